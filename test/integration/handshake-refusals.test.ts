/**
 * Connection attempts refused before the upgrade decision (issue 12 items 6 and 7): malformed
 * WebSocket handshakes, TLS handshakes that time out or fail. Each is answered (or dropped) and
 * reported as a `refused` event and a warn log line, never as an `error` event, and no
 * `authenticate` hook runs for it. Raw TCP and TLS clients on 127.0.0.1, a real server on port 0.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { connect as netConnect, type Socket } from 'node:net';
import { connect as tlsConnect } from 'node:tls';
import { describe, test, type TestContext } from 'node:test';
import { CentralSystem, type CentralSystemErrorEvent, type CentralSystemOptions, type ListenOptions, type RefusedEvent } from '../../src/index';
import { opensslPath, testPki } from '../support/certs';
import { delay, rawExchange, waitFor } from '../support/net';

const T = { timeout: 8000 };

/** A running CentralSystem with what it reported: events and warn log lines. */
interface Watched {
  cs: CentralSystem;
  port: number;
  refused: RefusedEvent[];
  errors: CentralSystemErrorEvent[];
  warnings: Record<string, unknown>[];
  hookCalls: number;
}

async function serve(t: TestContext, options: CentralSystemOptions = {}, listen: Partial<ListenOptions> = {}): Promise<Watched> {
  const w: Watched = { cs: undefined as unknown as CentralSystem, port: 0, refused: [], errors: [], warnings: [], hookCalls: 0 };
  w.cs = new CentralSystem({
    protocols: ['ocpp1.6'],
    pingIntervalMs: 0,
    authenticate: () => (w.hookCalls++, true),
    logger: { warn: (record) => w.warnings.push(record) },
    ...options,
  });
  w.cs.on('refused', (e) => w.refused.push(e));
  w.cs.on('error', (e) => w.errors.push(e));
  t.after(() => w.cs.close());
  w.port = (await w.cs.listen({ port: 0, host: '127.0.0.1', ...listen })).port;
  return w;
}

/** An upgrade request by hand, with `headers` replacing or removing (undefined) the usual ones. */
function upgradeRequest(path: string, headers: Record<string, string | undefined>, method = 'GET'): string {
  const all: Record<string, string | undefined> = {
    Host: '127.0.0.1',
    Connection: 'Upgrade',
    Upgrade: 'websocket',
    'Sec-WebSocket-Version': '13',
    'Sec-WebSocket-Key': randomBytes(16).toString('base64'),
    'Sec-WebSocket-Protocol': 'ocpp1.6',
    ...headers,
  };
  let text = `${method} ${path} HTTP/1.1\r\n`;
  for (const [name, value] of Object.entries(all)) if (value !== undefined) text += `${name}: ${value}\r\n`;
  return `${text}\r\n`;
}

describe('handshakes ws would refuse (issue 12 item 7)', () => {
  const cases: Array<[string, Record<string, string | undefined>, number, RegExp, string?]> = [
    ['a duplicated subprotocol', { 'Sec-WebSocket-Protocol': 'ocpp1.6, ocpp1.6' }, 400, /ocpp1\.6 offered twice/],
    ['an empty Sec-WebSocket-Protocol', { 'Sec-WebSocket-Protocol': '' }, 400, /empty subprotocol/],
    ['an empty name in the list', { 'Sec-WebSocket-Protocol': 'ocpp1.6,,ocpp2.0.1' }, 400, /empty subprotocol/],
    ['space-separated subprotocols', { 'Sec-WebSocket-Protocol': 'ocpp1.6 ocpp2.0.1' }, 400, /not a token/],
    ['a malformed Sec-WebSocket-Key', { 'Sec-WebSocket-Key': 'short' }, 400, /Sec-WebSocket-Key is not 16 bytes/],
    ['no Sec-WebSocket-Key', { 'Sec-WebSocket-Key': undefined }, 400, /no Sec-WebSocket-Key/],
    ['Sec-WebSocket-Version 12', { 'Sec-WebSocket-Version': '12' }, 400, /Version 12, not 13/],
    ['an Upgrade other than websocket', { Upgrade: 'h2c' }, 400, /Upgrade: h2c/],
    ['a method other than GET', {}, 405, /method POST/, 'POST'],
    // Left to ws itself (its wsClientError), after the decision: reported all the same.
    ['a malformed Sec-WebSocket-Extensions', { 'Sec-WebSocket-Extensions': 'permessage-deflate; server_max_window_bits=99' }, 400, /Sec-WebSocket-Extensions|server_max_window_bits/],
  ];
  for (const [what, headers, status, detail, method] of cases) {
    test(`${what}: answered ${status}, reported as a bad-handshake refusal and logged at warn`, T, async (t) => {
      const w = await serve(t);
      const answer = await rawExchange(w.port, upgradeRequest('/ocpp/CP1', headers, method));
      assert.match(answer, new RegExp(`^HTTP/1\\.1 ${status} `), 'an HTTP refusal, not a 101');
      await waitFor(() => w.refused.length === 1, 'the refused event');
      const e = w.refused[0];
      assert.deepEqual([e.reason, e.status, e.identity, e.url], ['bad-handshake', status, 'CP1', '/ocpp/CP1']);
      assert.match(e.detail, detail);
      assert.deepEqual(
        w.warnings.map((r) => [r.event, r.reason]),
        [['refused', 'bad-handshake']],
      );
      assert.equal(w.errors.length, 0, 'a bad request is not an error of ours');
      assert.equal(w.cs.stations.size, 0);
    });
  }

  test('a malformed handshake is refused before the authenticate hook runs', T, async (t) => {
    const w = await serve(t);
    await rawExchange(w.port, upgradeRequest('/ocpp/CP1', { 'Sec-WebSocket-Protocol': 'ocpp1.6, ocpp1.6' }));
    await waitFor(() => w.refused.length === 1, 'the refused event');
    assert.equal(w.hookCalls, 0);
    // Control: the same request, well formed, reaches the hook.
    const ok = await rawExchange(w.port, upgradeRequest('/ocpp/CP1', {}), 300);
    assert.match(ok, /^HTTP\/1\.1 101 /);
    assert.equal(w.hookCalls, 1);
  });
});
