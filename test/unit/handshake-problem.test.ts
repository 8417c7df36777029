/**
 * The WebSocket handshake checks made before the upgrade decision (src/transport/server.ts):
 * the requests ws would refuse on its own are named here, with no socket, so that the server can
 * refuse and report them before any hook runs (issue 12 item 7).
 */
import assert from 'node:assert/strict';
import type { IncomingMessage } from 'node:http';
import { describe, test } from 'node:test';
import { handshakeProblem } from '../../src/transport/server';

const KEY = 'dGhlIHNhbXBsZSBub25jZQ==';

function request(headers: Record<string, string | undefined>, method = 'GET'): IncomingMessage {
  const all: Record<string, string | undefined> = { upgrade: 'websocket', 'sec-websocket-key': KEY, 'sec-websocket-version': '13', ...headers };
  for (const name of Object.keys(all)) if (all[name] === undefined) delete all[name];
  return { method, headers: all } as unknown as IncomingMessage;
}

describe('handshakeProblem', () => {
  test('a well-formed handshake, with or without subprotocols, has none', () => {
    for (const protocols of [undefined, 'ocpp1.6', 'ocpp2.0.1, ocpp1.6', 'ocpp2.0.1,ocpp1.6', 'ocpp2.0.1 ,\tocpp1.6']) {
      assert.equal(handshakeProblem(request({ 'sec-websocket-protocol': protocols })), undefined, String(protocols));
    }
    assert.equal(handshakeProblem(request({ upgrade: 'WebSocket', 'sec-websocket-version': '8' })), undefined);
  });

  test('Sec-WebSocket-Protocol: empty, an empty name, space-separated names or a duplicate are 400 with what is wrong', () => {
    const cases: Array<[string, RegExp]> = [
      ['', /empty subprotocol/],
      ['ocpp1.6,', /empty subprotocol/],
      [',ocpp1.6', /empty subprotocol/],
      ['ocpp1.6 ocpp2.0.1', /not a token/],
      ['ocpp1.6;x', /not a token/],
      ['ocpp1.6, ocpp2.0.1, ocpp1.6', /ocpp1\.6 offered twice/],
    ];
    for (const [value, detail] of cases) {
      const p = handshakeProblem(request({ 'sec-websocket-protocol': value }));
      assert.equal(p?.status, 400, JSON.stringify(value));
      assert.equal(p?.message, 'Invalid Sec-WebSocket-Protocol header');
      assert.match(p?.detail ?? '', detail, JSON.stringify(value));
    }
  });

  test('method, Upgrade, key and version are checked as ws checks them (405, 400 with the versions it speaks)', () => {
    assert.equal(handshakeProblem(request({}, 'POST'))?.status, 405);
    assert.match(handshakeProblem(request({ upgrade: 'h2c' }))?.detail ?? '', /Upgrade: h2c/);
    assert.equal(handshakeProblem(request({ 'sec-websocket-key': undefined }))?.detail, 'no Sec-WebSocket-Key header');
    assert.equal(handshakeProblem(request({ 'sec-websocket-key': 'dGhlIHNhbXBsZSBub25jZQ' }))?.status, 400);
    const version = handshakeProblem(request({ 'sec-websocket-version': '14' }));
    assert.deepEqual([version?.status, version?.headers], [400, { 'Sec-WebSocket-Version': '13, 8' }]);
  });

  test('a huge header value is cut in the detail', () => {
    const p = handshakeProblem(request({ 'sec-websocket-protocol': `${'a'.repeat(10_000)} b` }));
    assert.ok((p?.detail.length ?? Infinity) < 200, `detail of ${p?.detail.length} characters`);
  });
});
