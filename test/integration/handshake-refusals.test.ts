/**
 * Connection attempts refused before the upgrade decision (issue 12 items 6 and 7): malformed
 * WebSocket handshakes, TLS handshakes that time out or fail. Each is answered (or dropped) and
 * reported as a `refused` event and a warn log line, never as an `error` event, and no
 * `authenticate` hook runs for it. Raw TCP and TLS clients on 127.0.0.1, a real server on port 0.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { connect as netConnect, type Socket } from 'node:net';
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
    [
      'a malformed Sec-WebSocket-Extensions',
      { 'Sec-WebSocket-Extensions': 'permessage-deflate; server_max_window_bits=99' },
      400,
      /Sec-WebSocket-Extensions|server_max_window_bits/,
    ],
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

/** Opens a raw TCP connection, writes `bytes` (if any), and resolves with how long until the server closed it. */
function closedAfter(port: number, bytes?: Buffer | string, limitMs = 3000): Promise<number> {
  return new Promise((resolve, reject) => {
    const started = Date.now();
    const socket: Socket = netConnect({ host: '127.0.0.1', port });
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new Error(`the server kept the connection open for ${limitMs} ms`));
    }, limitMs);
    socket.on('connect', () => {
      if (bytes !== undefined) socket.write(bytes);
    });
    socket.on('data', () => {});
    socket.on('error', () => {});
    socket.on('close', () => {
      clearTimeout(timer);
      resolve(Date.now() - started);
    });
  });
}

describe('TLS handshakes and requests that stall or fail (issue 12 item 6)', () => {
  const hasOpenssl = opensslPath() !== undefined;
  const pki = hasOpenssl ? testPki() : undefined;
  const tlsTest = (name: string, fn: (t: TestContext) => Promise<void>): void => {
    test(name, { ...T, skip: hasOpenssl ? false : 'openssl is missing' }, fn);
  };
  const tlsListen = (): Partial<ListenOptions> => ({ tls: { key: pki!.server.key, cert: pki!.server.cert } });

  tlsTest('a TCP connection to a TLS listener that sends nothing is closed after handshakeTimeoutMs, as a handshake-timeout refusal', async (t) => {
    const w = await serve(t, { handshakeTimeoutMs: 300 }, tlsListen());
    const elapsed = await closedAfter(w.port);
    assert.ok(elapsed >= 250 && elapsed < 1500, `closed after ${elapsed} ms (Node's own default: 120 s)`);
    await waitFor(() => w.refused.length === 1, 'the refused event');
    const e = w.refused[0];
    assert.deepEqual([e.reason, e.status, e.identity, e.url, e.offeredProtocols], ['handshake-timeout', 0, undefined, '', []]);
    assert.match(e.detail, /TLS handshake not complete within 300 ms/);
    assert.equal(e.remoteAddress, '127.0.0.1');
    assert.deepEqual(
      w.warnings.map((r) => [r.event, r.reason]),
      [['refused', 'handshake-timeout']],
    );
    assert.equal(w.errors.length, 0, 'a stalled handshake is not an error of ours');
  });

  tlsTest('a client dripping its ClientHello is cut at handshakeTimeoutMs too (the bound is total, not idle time)', async (t) => {
    const w = await serve(t, { handshakeTimeoutMs: 300 }, tlsListen());
    const started = Date.now();
    const socket = netConnect({ host: '127.0.0.1', port: w.port });
    socket.on('error', () => {});
    // A TLS record header announcing a 512-byte handshake message, then one byte every 50 ms.
    socket.write(Buffer.from([0x16, 0x03, 0x01, 0x02, 0x00]));
    const drip = setInterval(() => socket.write(Buffer.from([0x01])), 50);
    t.after(() => {
      clearInterval(drip);
      socket.destroy();
    });
    await new Promise((r) => socket.once('close', r));
    const elapsed = Date.now() - started;
    assert.ok(elapsed < 1500, `closed after ${elapsed} ms`);
    await waitFor(() => w.refused.length === 1, 'the refused event');
    assert.equal(w.refused[0].reason, 'handshake-timeout');
    assert.equal(w.errors.length, 0);
  });

  tlsTest('garbage instead of a ClientHello, or a plain HTTP request, is a tls-failed refusal, not an error', async (t) => {
    const w = await serve(t, { handshakeTimeoutMs: 2000 }, tlsListen());
    await closedAfter(w.port, randomBytes(64).fill(0x42, 0, 1));
    await closedAfter(w.port, 'GET /ocpp/CP1 HTTP/1.1\r\nHost: x\r\n\r\n');
    await waitFor(() => w.refused.length === 2, 'two refused events');
    assert.deepEqual(
      w.refused.map((e) => [e.reason, e.status]),
      [
        ['tls-failed', 0],
        ['tls-failed', 0],
      ],
    );
    assert.match(w.refused[1].detail, /TLS handshake failed \(ERR_SSL_HTTP_REQUEST\)/);
    assert.equal(w.errors.length, 0);
  });

  tlsTest('a client that aborts the TLS handshake half-way is a tls-failed refusal, not an error', async (t) => {
    const w = await serve(t, { handshakeTimeoutMs: 2000 }, tlsListen());
    const socket = netConnect({ host: '127.0.0.1', port: w.port });
    socket.on('error', () => {});
    t.after(() => socket.destroy());
    // The start of a ClientHello record, then a TCP reset.
    socket.on('connect', () => {
      socket.write(Buffer.from([0x16, 0x03, 0x01, 0x02, 0x00, 0x01, 0x00]));
      setTimeout(() => socket.resetAndDestroy(), 20);
    });
    await waitFor(() => w.refused.length === 1, 'the refused event');
    assert.equal(w.refused[0].reason, 'tls-failed');
    assert.match(w.refused[0].detail, /ECONNRESET/);
    assert.equal(w.errors.length, 0);
  });

  test('a plain-HTTP connection that sends nothing is answered 408 after about handshakeTimeoutMs, as a handshake-timeout refusal', T, async (t) => {
    const w = await serve(t, { handshakeTimeoutMs: 300 });
    const started = Date.now();
    const answer = await rawExchange(w.port, '', 3000);
    const elapsed = Date.now() - started;
    assert.match(answer, /^HTTP\/1\.1 408 /);
    assert.ok(elapsed >= 250 && elapsed < 1500, `answered after ${elapsed} ms`);
    await waitFor(() => w.refused.length === 1, 'the refused event');
    assert.deepEqual([w.refused[0].reason, w.refused[0].status, w.refused[0].url], ['handshake-timeout', 408, '']);
    assert.equal(w.errors.length, 0);
  });

  test('an HTTP request that cannot be parsed is answered 400 as a bad-handshake refusal', T, async (t) => {
    const w = await serve(t);
    const answer = await rawExchange(w.port, 'GET /ocpp/CP1 HTTP/1.1\r\nBad Header Line\r\n\r\n');
    assert.match(answer, /^HTTP\/1\.1 400 /);
    await waitFor(() => w.refused.length === 1, 'the refused event');
    assert.deepEqual([w.refused[0].reason, w.refused[0].status], ['bad-handshake', 400]);
    assert.match(w.refused[0].detail, /HPE_/);
    assert.equal(w.errors.length, 0);
  });

  test('a client that leaves while authenticate is still deciding raises no error', T, async (t) => {
    let release: (ok: boolean) => void = () => {};
    const w = await serve(t, { authenticate: () => new Promise<boolean>((r) => (release = r)) });
    const socket = netConnect({ host: '127.0.0.1', port: w.port });
    socket.on('error', () => {});
    socket.write(upgradeRequest('/ocpp/CP1', {}));
    await delay(100);
    socket.resetAndDestroy();
    await delay(100);
    release(true);
    await delay(100);
    assert.equal(w.errors.length, 0);
    assert.equal(w.cs.stations.size, 0, 'no station for a client that left');
  });
});

describe('WebSocket protocol errors after the upgrade (issue 12 item 6)', () => {
  /** A masked client text frame with a 64-bit length, for payloads of any size. */
  function bigMaskedFrame(payload: Buffer): Buffer {
    const head = Buffer.alloc(14);
    head[0] = 0x81;
    head[1] = 0x80 | 127;
    head.writeBigUInt64BE(BigInt(payload.length), 2);
    return Buffer.concat([head, payload]); // mask key 0: payload sent as is
  }

  test('a message over maxPayloadBytes closes the station with 1009: a warn log and the disconnect event, no error event', T, async (t) => {
    const w = await serve(t, { maxPayloadBytes: 1024 });
    const disconnects: number[] = [];
    w.cs.on('disconnect', (e) => disconnects.push(e.code));
    const socket = netConnect({ host: '127.0.0.1', port: w.port });
    socket.on('error', () => {});
    t.after(() => socket.destroy());
    socket.write(upgradeRequest('/ocpp/BIG', {}));
    await waitFor(() => w.cs.stations.has('BIG'), 'the station');
    const started = Date.now();
    socket.write(bigMaskedFrame(Buffer.alloc(4096, 0x61)));
    // The client never answers the close frame: it is dropped after a short grace, not ws's 30 s.
    await waitFor(() => disconnects.length === 1, 'the disconnect', 4000);
    assert.ok(Date.now() - started < 3500, `disconnected after ${Date.now() - started} ms`);
    assert.deepEqual(disconnects, [1009]);
    assert.deepEqual(
      w.warnings.filter((r) => r.event === 'protocol-error').map((r) => [r.identity, r.code]),
      [['BIG', 'WS_ERR_UNSUPPORTED_MESSAGE_LENGTH']],
    );
    assert.equal(w.errors.length, 0, "the peer's fault is not an error of ours");
  });

  test('a bad frame on a socket closed for lack of a subprotocol does not crash the server', T, async (t) => {
    const w = await serve(t);
    const socket = netConnect({ host: '127.0.0.1', port: w.port });
    socket.on('error', () => {});
    t.after(() => socket.destroy());
    socket.write(upgradeRequest('/ocpp/X', { 'Sec-WebSocket-Protocol': 'ocpp1.5' }));
    await waitFor(() => w.refused.length === 1, 'the no-subprotocol refusal');
    // A frame with the reserved opcode 3: ws reports it as an 'error' on a socket we are closing.
    socket.write(Buffer.from([0x83, 0x80, 1, 2, 3, 4]));
    await waitFor(() => w.warnings.some((r) => r.event === 'protocol-error'), 'the protocol error log');
    assert.equal(w.errors.length, 0);
  });
});
