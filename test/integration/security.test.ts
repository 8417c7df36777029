/**
 * Connection and security rules (CONFORMANCE.md, checklist items 34-39 and
 * 50-57) against a real CentralSystem on 127.0.0.1:0 and real clients: the SDK's ChargePoint,
 * `ws` clients, and raw HTTP upgrade requests where the exact status, headers and body matter.
 */
import assert from 'node:assert/strict';
import { createServer as createHttpServer, type Server as HttpServer } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import tls from 'node:tls';
import { describe, test, type TestContext } from 'node:test';
import WebSocket from 'ws';
import {
  basicAuthHeader,
  CentralSystem,
  ChargePoint,
  OCPP_PROTOCOLS,
  safeEqual,
  type AnyStation,
  type AuthRequest,
  type AuthResult,
  type CentralSystemErrorEvent,
  type CentralSystemOptions,
  type ChargePointOptions,
  type DisconnectEvent,
  type ListenOptions,
  type OcppVersion,
  type RefusedEvent,
} from '../../src/index';
import { opensslPath, testPki } from '../support/certs';
import { closeCode, delay, destroyUpgradedSockets, maskedTextFrame, nextEvent, rawExchange, rawUpgrade, readServerFrames, waitFor } from '../support/net';

const T = { timeout: 5000 };
const PASSWORD = 'correct-horse-battery-0001';
const BOOT16 = { chargePointVendor: 'V', chargePointModel: 'M' };
const BOOT_CALL_16 = JSON.stringify([2, 'm1', 'BootNotification', BOOT16]);

/** A running CentralSystem with everything it reported. */
interface Served<V extends OcppVersion> {
  cs: CentralSystem<V>;
  port: number;
  /** ws:// or wss:// base URL with the path prefix, e.g. ws://127.0.0.1:1234/ocpp */
  url: string;
  connections: AnyStation<V>[];
  disconnects: DisconnectEvent<V>[];
  refused: RefusedEvent[];
  errors: CentralSystemErrorEvent[];
  hookCalls: AuthRequest[];
  /** Handler invocations, all actions and stations. */
  handled: string[];
}

/**
 * Starts a CentralSystem (path '/ocpp', no pings) on 127.0.0.1:0 that records every event,
 * hook call and handler invocation, and closes it when the test ends.
 */
async function serve<V extends OcppVersion = 'ocpp1.6' | 'ocpp2.0.1'>(
  t: TestContext,
  options: CentralSystemOptions<V> = {},
  listen: Partial<ListenOptions> = {},
): Promise<Served<V>> {
  const hookCalls: AuthRequest[] = [];
  const hook = options.authenticate;
  const cs = new CentralSystem<V>({
    path: '/ocpp',
    pingIntervalMs: 0,
    ...options,
    ...(hook ? { authenticate: (r: AuthRequest) => (hookCalls.push(r), hook(r)) } : {}),
  });
  const served: Served<V> = { cs, port: 0, url: '', connections: [], disconnects: [], refused: [], errors: [], hookCalls, handled: [] };
  cs.on('connection', (s) => served.connections.push(s));
  cs.on('disconnect', (e) => served.disconnects.push(e));
  cs.on('refused', (e) => served.refused.push(e));
  cs.on('error', (e) => served.errors.push(e));
  const now = (): string => new Date().toISOString();
  for (const p of cs.protocols as readonly OcppVersion[]) {
    const any = cs as unknown as CentralSystem<OcppVersion>;
    if (p === 'ocpp1.6') {
      any.handle('ocpp1.6', 'BootNotification', () => (served.handled.push('BootNotification'), { status: 'Accepted', currentTime: now(), interval: 300 }));
      any.handle('ocpp1.6', 'Heartbeat', () => (served.handled.push('Heartbeat'), { currentTime: now() }));
    } else if (p === 'ocpp2.0.1') {
      any.handle('ocpp2.0.1', 'BootNotification', () => (served.handled.push('BootNotification'), { status: 'Accepted', currentTime: now(), interval: 300 }));
      any.handle('ocpp2.0.1', 'Heartbeat', () => (served.handled.push('Heartbeat'), { currentTime: now() }));
    } else {
      any.handle('ocpp2.1', 'BootNotification', () => (served.handled.push('BootNotification'), { status: 'Accepted', currentTime: now(), interval: 300 }));
      any.handle('ocpp2.1', 'Heartbeat', () => (served.handled.push('Heartbeat'), { currentTime: now() }));
    }
  }
  t.after(async () => {
    destroyUpgradedSockets();
    await cs.close();
  });
  const address = await cs.listen({ port: 0, host: '127.0.0.1', ...listen });
  served.port = address.port;
  served.url = `${listen.tls ? 'wss' : 'ws'}://127.0.0.1:${address.port}/ocpp`;
  return served;
}

/** A ChargePoint that does not reconnect or ping, closed when the test ends. */
function chargePoint<V extends OcppVersion>(t: TestContext, options: ChargePointOptions<V>): ChargePoint<V> {
  const cp = new ChargePoint<V>({ reconnect: false, pingIntervalMs: 0, handshakeTimeoutMs: 3000, ...options });
  t.after(() => cp.close());
  return cp;
}

/** Rejection of `promise`, failing if it resolves. */
type ConnectError = Error & { statusCode?: number; cause?: Error & { code?: string } };
async function rejection(promise: Promise<unknown>): Promise<ConnectError> {
  try {
    await promise;
  } catch (error) {
    assert.ok(error instanceof Error, 'rejects with an Error');
    return error as ConnectError;
  }
  assert.fail('expected a rejection');
}

/** Opens a `ws` client and waits for it to open; closed when the test ends. */
async function openWs(t: TestContext, url: string, protocols: string[], options: WebSocket.ClientOptions = {}): Promise<WebSocket> {
  const ws = new WebSocket(url, protocols, { perMessageDeflate: false, ...options });
  t.after(async () => {
    if (ws.readyState === WebSocket.CLOSED) return;
    const closed = new Promise((r) => ws.once('close', r));
    ws.close();
    await Promise.race([closed, delay(1000)]);
    ws.terminate();
  });
  await new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve());
    ws.once('error', reject);
    ws.once('unexpected-response', (_req, res) => reject(new Error(`HTTP ${res.statusCode}`)));
  });
  return ws;
}

function basic(user: string, password: string | Uint8Array): Record<string, string> {
  return { Authorization: basicAuthHeader(user, password) };
}

/** Asserts that nothing refused got through: no connection, no handler. */
function assertNothingReached(s: Served<OcppVersion>): void {
  assert.equal(s.connections.length, 0, 'no connection event for refused attempts');
  assert.equal(s.handled.length, 0, 'no handler ran for refused attempts');
  assert.equal(s.cs.stations.size, 0, 'nothing registered');
}

// ------------------------------------------------------------------------------------------------

describe('URL and identity (items 34, 35, 39)', () => {
  test('items 34/39 - a path outside the prefix, or with no identity, is answered 404 before any hook', T, async (t) => {
    const s = await serve(t, { protocols: ['ocpp1.6'], authenticate: () => true });
    for (const path of ['/other/CP1', '/ocpp', '/ocppX/CP1', '/', '/ocpp/']) {
      const r = await rawUpgrade({ port: s.port, path, protocols: 'ocpp1.6' });
      assert.equal(r.status, 404, path);
      assert.equal(r.socket, undefined);
    }
    assert.deepEqual(
      s.refused.map((e) => [e.reason, e.status]),
      [
        ['not-found', 404],
        ['not-found', 404],
        ['not-found', 404],
        ['not-found', 404],
        ['bad-identity', 404],
      ],
    );
    assert.equal(s.hookCalls.length, 0);
    assertNothingReached(s);
    // A plain HTTP request (not an upgrade) gets 426 Upgrade Required.
    const res = await fetch(`http://127.0.0.1:${s.port}/ocpp/CP1`);
    assert.equal(res.status, 426);
    assert.equal(res.headers.get('upgrade'), 'websocket');
    await res.text();
  });

  test('item 34 - the identity is percent-decoded: CP%20001 connects as "CP 001"', T, async (t) => {
    const s = await serve(t, { protocols: ['ocpp1.6', 'ocpp2.0.1'], authenticate: () => true });
    const cp = chargePoint(t, { url: s.url, identity: 'CP 001', protocol: 'ocpp1.6' });
    assert.equal(cp.url, `${s.url}/CP%20001`);
    await cp.connect();
    await waitFor(() => s.connections.length === 1, 'the connection event');
    assert.equal(s.hookCalls[0].identity, 'CP 001');
    assert.equal(s.hookCalls[0].url, '/ocpp/CP%20001');
    assert.equal(s.connections[0].identity, 'CP 001');
    assert.equal(s.cs.stations.get('CP 001'), s.connections[0]);
    assert.equal(s.cs.stations.get('CP%20001'), undefined);
    // Non-ASCII over 2.0.1, by a plain ws client with the path encoded by hand.
    await openWs(t, `${s.url}/Lades%C3%A4ule-%C3%9C`, ['ocpp2.0.1']);
    await waitFor(() => s.connections.length === 2, 'the second connection');
    assert.equal(s.connections[1].identity, 'Ladesäule-Ü');
    assert.ok(s.cs.stations.has('Ladesäule-Ü'));
  });

  test('item 34 - encoded separators, dot segments, control characters and bad encoding are answered 400', T, async (t) => {
    const s = await serve(t, { protocols: ['ocpp1.6'], authenticate: () => true });
    for (const id of ['a%2Fb', 'a%5Cb', '..', '%2E%2E', 'a%00b', 'CP%0D%0AX-Evil:%201', 'CP%ZZ', '%C0%AF']) {
      const r = await rawUpgrade({ port: s.port, path: `/ocpp/${id}`, protocols: 'ocpp1.6' });
      assert.equal(r.status, 400, id);
      assert.doesNotMatch(r.body, /X-Evil/, 'the refusal does not echo the identity');
    }
    const r = await rawUpgrade({ port: s.port, path: '/ocpp/a/b', protocols: 'ocpp1.6' });
    assert.equal(r.status, 400);
    assert.ok(s.refused.every((e) => e.reason === 'bad-identity' && e.status === 400));
    assert.equal(s.refused.length, 9);
    assert.equal(s.hookCalls.length, 0);
    assertNothingReached(s);
  });

  for (const protocol of ['ocpp2.0.1', 'ocpp2.1'] as const) {
    test(`item 35 - 2.x: an identity with ":" or of 49 characters is answered 400 before the upgrade; 48 connects (${protocol})`, T, async (t) => {
      const s = await serve(t, { protocols: [protocol], authenticate: () => true });
      for (const path of ['/ocpp/CP%3A1', '/ocpp/CP:1', `/ocpp/${'A'.repeat(49)}`]) {
        const r = await rawUpgrade({ port: s.port, path, protocols: protocol, headers: basic('x', 'y') });
        assert.equal(r.status, 400, path);
        assert.equal(r.socket, undefined, 'no upgrade');
      }
      assert.deepEqual(
        s.refused.map((e) => [e.reason, e.status]),
        [
          ['bad-identity', 400],
          ['bad-identity', 400],
          ['bad-identity', 400],
        ],
      );
      assert.match(s.refused[0].detail, /':'/);
      assert.match(s.refused[2].detail, /49 characters/);
      assert.equal(s.hookCalls.length, 0);
      assertNothingReached(s);
      // The limit is inclusive.
      const cp = chargePoint(t, { url: s.url, identity: 'B'.repeat(48), protocol: protocol });
      await cp.connect();
      await waitFor(() => s.cs.stations.has('B'.repeat(48)), '48-character station');
      // The client refuses such identities too, before connecting.
      assert.throws(() => new ChargePoint({ url: s.url, identity: 'CP:1', protocol: protocol }), /identity: .*':'/);
      assert.throws(() => new ChargePoint({ url: s.url, identity: 'A'.repeat(49), protocol: protocol }), /identity: .*49 characters/);
    });
  }

  test('item 35 - 1.6 has no such rule: an identity with ":" or of 49 characters connects over ocpp1.6', T, async (t) => {
    const s = await serve(t, { protocols: ['ocpp2.0.1', 'ocpp1.6'] });
    const colon = chargePoint(t, { url: s.url, identity: 'CP:1', protocol: 'ocpp1.6' });
    assert.equal(colon.url, `${s.url}/CP%3A1`);
    await colon.connect();
    const long = chargePoint(t, { url: s.url, identity: 'L'.repeat(60), protocol: 'ocpp1.6' });
    await long.connect();
    await waitFor(() => s.connections.length === 2, 'both connections');
    assert.equal(s.cs.stations.get('CP:1')?.protocol, 'ocpp1.6');
    assert.equal(s.cs.stations.get('L'.repeat(60))?.protocol, 'ocpp1.6');
    assert.equal(s.refused.length, 0);
    // The 2.0.1 rule follows the *selected* subprotocol: offering 2.0.1 first selects it, so ':' is refused.
    const r = await rawUpgrade({ port: s.port, path: '/ocpp/CP%3A2', protocols: 'ocpp2.0.1, ocpp1.6' });
    assert.equal(r.status, 400);
  });

  test('item 39 - the hook can answer 404 for an unknown identity', T, async (t) => {
    const known = new Set(['CP-KNOWN']);
    const s = await serve(t, {
      protocols: ['ocpp1.6'],
      authenticate: ({ identity }) => (known.has(identity) ? true : { accept: false, status: 404, message: 'unknown charge point' }),
    });
    const cp = chargePoint(t, { url: s.url, identity: 'CP-UNKNOWN', protocol: 'ocpp1.6' });
    const error = await rejection(cp.connect());
    assert.equal(error.statusCode, 404);
    const r = await rawUpgrade({ port: s.port, path: '/ocpp/CP-UNKNOWN', protocols: 'ocpp1.6' });
    assert.equal(r.status, 404);
    assert.equal(r.body, 'unknown charge point');
    assert.equal(r.headers['www-authenticate'], undefined, 'no Basic challenge on a 404');
    assertNothingReached(s);
    await chargePoint(t, { url: s.url, identity: 'CP-KNOWN', protocol: 'ocpp1.6' }).connect();
    await waitFor(() => s.connections.length === 1, 'the known station');
  });
});

describe('subprotocol negotiation (items 36-38)', () => {
  test('items 36/37 - only an unsupported subprotocol: 101 without Sec-WebSocket-Protocol, then close 1002; no handler runs', T, async (t) => {
    const s = await serve(t, { protocols: ['ocpp2.0.1', 'ocpp1.6'] });
    const r = await rawUpgrade({ port: s.port, path: '/ocpp/CP1', protocols: 'ocpp1.5' });
    assert.equal(r.status, 101);
    assert.equal(r.headers['sec-websocket-protocol'], undefined, 'no subprotocol selected');
    assert.ok(r.socket);
    // A client that ignores the missing header and sends a CALL at once gets no answer.
    r.socket.write(maskedTextFrame(BOOT_CALL_16));
    const frames = await readServerFrames(r.socket, r.head);
    assert.deepEqual(
      frames.map((f) => f.opcode),
      [0x8],
      'only a close frame, no CALLRESULT',
    );
    assert.equal(closeCode(frames[0]), 1002);
    await waitFor(() => s.refused.length === 1, 'the refused event');
    assert.equal(s.refused[0].reason, 'no-subprotocol');
    assert.equal(s.refused[0].status, 101);
    assert.deepEqual(s.refused[0].offeredProtocols, ['ocpp1.5']);
    assert.equal(s.refused[0].identity, 'CP1');
    // Some chargers send no Sec-WebSocket-Protocol at all (steve#1109): same treatment.
    const none = await rawUpgrade({ port: s.port, path: '/ocpp/CP2' });
    assert.equal(none.status, 101);
    assert.equal(none.headers['sec-websocket-protocol'], undefined);
    assert.ok(none.socket);
    const frames2 = await readServerFrames(none.socket, none.head);
    assert.equal(closeCode(frames2[frames2.length - 1]), 1002);
    await waitFor(() => s.refused.length === 2, 'the second refused event');
    assert.deepEqual(s.refused[1].offeredProtocols, []);
    await delay(50);
    assertNothingReached(s);
  });

  test('items 37/51/54 - the security profile is checked before the no-subprotocol handshake: 401/403, not 101', T, async (t) => {
    const p1 = await serve(t, { protocols: ['ocpp1.6'], securityProfile: 1, authenticate: () => true });
    const noCredentials = await rawUpgrade({ port: p1.port, path: '/ocpp/CP1', protocols: 'ocpp1.5' });
    assert.equal(noCredentials.status, 401, 'no upgrade for a client without credentials');
    noCredentials.socket?.destroy();
    const wrongUser = await rawUpgrade({ port: p1.port, path: '/ocpp/CP1', protocols: 'ocpp1.5', headers: basic('CP2', PASSWORD) });
    assert.equal(wrongUser.status, 401);
    wrongUser.socket?.destroy();
    // With credentials of the right shape, item 37 applies: 101 without the header, then 1002.
    const ok = await rawUpgrade({ port: p1.port, path: '/ocpp/CP1', protocols: 'ocpp1.5', headers: basic('CP1', PASSWORD) });
    assert.equal(ok.status, 101);
    assert.equal(ok.headers['sec-websocket-protocol'], undefined);
    assert.ok(ok.socket);
    assert.equal(closeCode((await readServerFrames(ok.socket, ok.head)).at(-1)!), 1002);
    await waitFor(() => p1.refused.length === 3, 'three refused events');
    assert.deepEqual(
      p1.refused.map((e) => [e.reason, e.status]),
      [
        ['no-credentials', 401],
        ['bad-credentials', 401],
        ['no-subprotocol', 101],
      ],
    );

    const p2 = await serve(t, { protocols: ['ocpp1.6'], securityProfile: 2, authenticate: () => true });
    const plain = await rawUpgrade({ port: p2.port, path: '/ocpp/CP1', protocols: 'ocpp1.5', headers: basic('CP1', PASSWORD) });
    assert.equal(plain.status, 403, 'no WebSocket over plain TCP on a profile 2 endpoint');
    plain.socket?.destroy();
    assert.deepEqual(
      p2.refused.map((e) => [e.reason, e.status]),
      [['insecure', 403]],
    );
    assert.deepEqual(
      p1.hookCalls.map((r) => r.protocol),
      [undefined],
      'the hook ran once: for the well-formed credentials, without a protocol',
    );
    assert.equal(p2.hookCalls.length, 0);
    assertNothingReached(p1);
    assertNothingReached(p2);
  });

  test(
    'item 37 - authentication comes first: a wrong password without a usable subprotocol is answered 401; the right one gets 101 then 1002',
    T,
    async (t) => {
      const s = await serve(t, {
        protocols: ['ocpp1.6'],
        securityProfile: 1,
        authenticate: ({ credentials }) => credentials !== undefined && safeEqual(credentials.password, PASSWORD),
      });
      for (const protocols of ['ocpp1.5', undefined]) {
        const wrong = await rawUpgrade({ port: s.port, path: '/ocpp/CP1', protocols, headers: basic('CP1', 'wrong-password') });
        assert.equal(wrong.status, 401, `a wrong password offering ${String(protocols)} gets no WebSocket`);
        assert.match(String(wrong.headers['www-authenticate']), /^Basic /);
        wrong.socket?.destroy();
      }
      const right = await rawUpgrade({ port: s.port, path: '/ocpp/CP1', protocols: 'ocpp1.5', headers: basic('CP1', PASSWORD) });
      assert.equal(right.status, 101);
      assert.equal(right.headers['sec-websocket-protocol'], undefined);
      assert.ok(right.socket);
      assert.equal(closeCode((await readServerFrames(right.socket, right.head)).at(-1)!), 1002);
      await waitFor(() => s.refused.length === 3, 'three refused events');
      assert.deepEqual(
        s.refused.map((e) => [e.reason, e.status]),
        [
          ['unauthorized', 401],
          ['unauthorized', 401],
          ['no-subprotocol', 101],
        ],
      );
      assert.deepEqual(
        s.hookCalls.map((r) => [r.protocol, r.offeredProtocols]),
        [
          [undefined, ['ocpp1.5']],
          [undefined, []],
          [undefined, ['ocpp1.5']],
        ],
      );
      assertNothingReached(s);
    },
  );

  test("item 37 - a client that never answers the 1002 close frame does not hold the socket or close() for ws's 30 s", T, async (t) => {
    const s = await serve(t, { protocols: ['ocpp1.6'] });
    const r = await rawUpgrade({ port: s.port, path: '/ocpp/MUTE', protocols: 'ocpp1.5' });
    assert.equal(r.status, 101);
    assert.ok(r.socket);
    const socket = r.socket;
    t.after(() => socket.destroy());
    // Read (so the server's writes go through) but never send the closing handshake back.
    let ended = false;
    socket.on('data', () => {});
    socket.on('close', () => (ended = true));
    await waitFor(() => s.refused.length === 1, 'the refused event');
    const started = Date.now();
    await s.cs.close();
    const elapsed = Date.now() - started;
    assert.ok(elapsed < 2500, `close() took ${elapsed} ms`);
    await waitFor(() => ended, 'the server to drop the socket', 2500);
  });

  test("item 36 - the server's order of preference decides when the client offers several", T, async (t) => {
    const a = await serve(t, { protocols: ['ocpp2.0.1', 'ocpp1.6'] });
    const wsA = await openWs(t, `${a.url}/CP1`, ['ocpp1.6', 'ocpp2.0.1']);
    assert.equal(wsA.protocol, 'ocpp2.0.1');
    await waitFor(() => a.connections.length === 1, 'connection');
    assert.equal(a.connections[0].protocol, 'ocpp2.0.1');
    const rawA = await rawUpgrade({ port: a.port, path: '/ocpp/CP2', protocols: 'ocpp1.6, ocpp2.0.1' });
    assert.equal(rawA.headers['sec-websocket-protocol'], 'ocpp2.0.1');
    rawA.socket?.destroy();

    const b = await serve(t, { protocols: ['ocpp1.6', 'ocpp2.0.1'] });
    const wsB = await openWs(t, `${b.url}/CP1`, ['ocpp2.0.1', 'ocpp1.6']);
    assert.equal(wsB.protocol, 'ocpp1.6');
    await waitFor(() => b.connections.length === 1, 'connection');
    assert.equal(b.connections[0].protocol, 'ocpp1.6');
    // Unknown entries in the offer are skipped, not fatal.
    const wsC = await openWs(t, `${b.url}/CP3`, ['ocpp2.1', 'ocpp2.0.1']);
    assert.equal(wsC.protocol, 'ocpp2.0.1');
  });

  test('item 36 with ocpp2.1 - served first when listed first; never chosen by a server that does not list it (the default)', T, async (t) => {
    const all = await serve(t, { protocols: OCPP_PROTOCOLS });
    const ws21 = await openWs(t, `${all.url}/CP21`, ['ocpp1.6', 'ocpp2.0.1', 'ocpp2.1']);
    assert.equal(ws21.protocol, 'ocpp2.1');
    await waitFor(() => all.connections.length === 1, 'connection');
    assert.equal(all.connections[0].protocol, 'ocpp2.1');
    // A 2.0.1-only client on the same server still gets 2.0.1.
    const ws201 = await openWs(t, `${all.url}/CP201`, ['ocpp2.0.1']);
    assert.equal(ws201.protocol, 'ocpp2.0.1');
    // A server preferring 2.0.1 keeps it even when the client prefers 2.1.
    const older = await serve(t, { protocols: ['ocpp2.0.1', 'ocpp2.1'] });
    const wsOlder = await openWs(t, `${older.url}/CP1`, ['ocpp2.1', 'ocpp2.0.1']);
    assert.equal(wsOlder.protocol, 'ocpp2.0.1');
    // The default list does not serve 2.1: a 2.1-only client gets no subprotocol (close 1002).
    const byDefault = await serve(t, {});
    const raw = await rawUpgrade({ port: byDefault.port, path: '/ocpp/CP2', protocols: 'ocpp2.1' });
    assert.equal(raw.headers['sec-websocket-protocol'], undefined);
    raw.socket?.destroy();
    const cp = chargePoint(t, { url: byDefault.url, identity: 'CP21', protocol: 'ocpp2.1' });
    assert.match((await rejection(cp.connect())).message, /subprotocol/i);
  });

  test('item 38 - a ChargePoint rejects connect() when the server selected no subprotocol', T, async (t) => {
    const s = await serve(t, { protocols: ['ocpp2.0.1'] });
    const cp = chargePoint(t, { url: s.url, identity: 'CP16', protocol: 'ocpp1.6' });
    const error = await rejection(cp.connect());
    assert.match(error.message, /subprotocol/i);
    assert.equal(cp.state, 'idle');
    await waitFor(() => s.refused.length === 1, 'the refused event');
    assert.equal(s.refused[0].reason, 'no-subprotocol');
    assertNothingReached(s);
  });
});

describe('Basic authentication (items 50-53)', () => {
  for (const protocol of ['ocpp2.0.1', 'ocpp2.1'] as const) {
    test(
      `items 50/53 - a ChargePoint sends its password on every connect; the hook sees username = identity, password and bytes (${protocol})`,
      T,
      async (t) => {
        const password = 'pä:ss-wörd-0123456789'; // UTF-8, with ':'
        const s = await serve(t, {
          protocols: [protocol],
          securityProfile: 1,
          authenticate: ({ credentials }) => credentials !== undefined && safeEqual(credentials.passwordBytes, password),
        });
        const cp = new ChargePoint({
          url: s.url,
          identity: 'CS-01',
          protocol: protocol,
          password,
          pingIntervalMs: 0,
          reconnect: { waitMinimumMs: 10, randomRangeMs: 0, repeatTimes: 0 },
        });
        t.after(() => cp.close());
        await cp.connect();
        await waitFor(() => s.connections.length === 1, 'first connection');
        // The server drops the connection; the ChargePoint reconnects and must authenticate again.
        const reopened = nextEvent<{ reconnect: boolean }>(cp, 'open');
        void s.connections[0].close(1001, 'bye');
        assert.equal((await reopened).reconnect, true);
        await waitFor(() => s.connections.length === 2, 'second connection');
        assert.equal(s.hookCalls.length, 2);
        for (const call of s.hookCalls) {
          assert.ok(call.credentials, 'credentials on every connect');
          assert.equal(call.credentials.username, 'CS-01');
          assert.equal(call.credentials.username, call.identity);
          assert.equal(call.credentials.password, password);
          assert.deepEqual(Buffer.from(call.credentials.passwordBytes), Buffer.from(password, 'utf8'));
          assert.equal(call.secure, false);
          assert.equal(call.protocol, protocol);
        }
        assert.equal(s.refused.length, 0);
      },
    );
  }

  test('item 53 - a raw 20-byte 1.6 AuthorizationKey arrives byte-exact', T, async (t) => {
    const key = Uint8Array.from([0x00, 0xff, 0x3a, 0x80, 0xc3, 0x28, 0x7f, 0x0a, 0x0d, 0xfe, 0x01, 0x3a, 0xa0, 0xa1, 0xe2, 0x82, 0x10, 0x20, 0x99, 0x5c]);
    const s = await serve(t, {
      protocols: ['ocpp1.6'],
      securityProfile: 1,
      authenticate: ({ credentials }) => credentials !== undefined && safeEqual(credentials.passwordBytes, key),
    });
    const cp = chargePoint(t, { url: s.url, identity: 'CP-KEY', protocol: 'ocpp1.6', password: key });
    await cp.connect();
    await waitFor(() => s.connections.length === 1, 'connection');
    assert.deepEqual(Buffer.from(s.hookCalls[0].credentials!.passwordBytes), Buffer.from(key));
    assert.equal(s.hookCalls[0].credentials!.passwordBytes.length, 20);
    // The hex form of the same key is a different password for this server.
    const hex = chargePoint(t, { url: s.url, identity: 'CP-KEY', protocol: 'ocpp1.6', password: Buffer.from(key).toString('hex') });
    assert.equal((await rejection(hex.connect())).statusCode, 401);
  });

  test('items 51/53 - 1.6: an identity containing ":" (MAC-address style) authenticates; the username is the whole identity', T, async (t) => {
    const identity = '00:11:22:33:44:55';
    const password = 'pw:with:colons-0123';
    const s = await serve(t, {
      protocols: ['ocpp1.6'],
      securityProfile: 1,
      authenticate: ({ credentials }) => credentials !== undefined && safeEqual(credentials.password, password),
    });
    const cp = chargePoint(t, { url: s.url, identity, protocol: 'ocpp1.6', password });
    await cp.connect();
    await waitFor(() => s.connections.length === 1, 'connection');
    assert.equal(s.hookCalls[0].credentials?.username, identity);
    assert.equal(s.hookCalls[0].credentials?.password, password);
    assert.equal(s.cs.stations.get(identity)?.identity, identity);
    // Another identity sharing the first segment is still a different username.
    const r = await rawUpgrade({
      port: s.port,
      path: `/ocpp/${encodeURIComponent(identity)}`,
      protocols: 'ocpp1.6',
      headers: basic('00:11:22:33:44:66', password),
    });
    assert.equal(r.status, 401);
    assert.equal(s.refused.at(-1)?.reason, 'bad-credentials');
    assert.equal(s.hookCalls.length, 1);
  });

  test('items 51/52 - a wrong password is answered 401 with WWW-Authenticate: Basic; ChargePoint.connect() rejects with statusCode 401', T, async (t) => {
    const s = await serve(t, {
      protocols: ['ocpp1.6'],
      securityProfile: 1,
      authenticate: ({ credentials }) => credentials !== undefined && safeEqual(credentials.password, PASSWORD),
    });
    const r = await rawUpgrade({ port: s.port, path: '/ocpp/CP1', protocols: 'ocpp1.6', headers: basic('CP1', 'wrong-password-000000') });
    assert.equal(r.status, 401);
    assert.match(String(r.headers['www-authenticate']), /^Basic realm="OCPP"/);
    assert.equal(r.socket, undefined);
    const cp = chargePoint(t, { url: s.url, identity: 'CP1', protocol: 'ocpp1.6', password: 'wrong-password-000000' });
    const error = await rejection(cp.connect());
    assert.equal(error.statusCode, 401);
    assert.match(error.message, /401/);
    assert.equal(cp.state, 'idle');
    assert.equal(s.hookCalls.length, 2);
    assert.deepEqual(
      s.refused.map((e) => [e.reason, e.status]),
      [
        ['unauthorized', 401],
        ['unauthorized', 401],
      ],
    );
    assertNothingReached(s);
    // The right password gets in.
    await chargePoint(t, { url: s.url, identity: 'CP1', protocol: 'ocpp1.6', password: PASSWORD }).connect();
    await waitFor(() => s.connections.length === 1, 'connection');
  });

  test('item 51 - a username other than the identity is answered 401 without calling the hook', T, async (t) => {
    const s = await serve(t, { protocols: ['ocpp1.6'], securityProfile: 1, authenticate: () => true });
    const r = await rawUpgrade({ port: s.port, path: '/ocpp/CP1', protocols: 'ocpp1.6', headers: basic('CP2', PASSWORD) });
    assert.equal(r.status, 401);
    assert.match(String(r.headers['www-authenticate']), /^Basic/);
    // Case matters: identities are compared exactly.
    const r2 = await rawUpgrade({ port: s.port, path: '/ocpp/CP1', protocols: 'ocpp1.6', headers: basic('cp1', PASSWORD) });
    assert.equal(r2.status, 401);
    assert.equal(s.hookCalls.length, 0);
    assert.deepEqual(
      s.refused.map((e) => e.reason),
      ['bad-credentials', 'bad-credentials'],
    );
    assertNothingReached(s);
  });

  test('item 51 - a malformed Authorization header is answered 401, even where no profile is required', T, async (t) => {
    for (const profile of [0, 1] as const) {
      const s = await serve(t, { protocols: ['ocpp1.6'], securityProfile: profile, authenticate: () => true });
      const b64 = (x: string): string => Buffer.from(x).toString('base64');
      for (const value of ['Basic !!!', `Bearer ${b64('CP1:pw')}`, `Basic ${b64('no-colon')}`, 'Basic', 'Basic a']) {
        const r = await rawUpgrade({ port: s.port, path: '/ocpp/CP1', protocols: 'ocpp1.6', headers: { Authorization: value } });
        assert.equal(r.status, 401, `${value} (profile ${profile})`);
        assert.match(String(r.headers['www-authenticate']), /^Basic/);
      }
      assert.ok(s.refused.every((e) => e.reason === 'bad-credentials'));
      assert.equal(s.hookCalls.length, 0);
      assertNothingReached(s);
    }
  });

  test('items 51/54 - securityProfile 1 without credentials is answered 401 before the upgrade; hook, connection and handlers never run', T, async (t) => {
    const s = await serve(t, { protocols: ['ocpp1.6'], securityProfile: 1, authenticate: () => true });
    const r = await rawUpgrade({ port: s.port, path: '/ocpp/CP1', protocols: 'ocpp1.6' });
    assert.equal(r.status, 401);
    assert.match(String(r.headers['www-authenticate']), /^Basic/);
    const cp = chargePoint(t, { url: s.url, identity: 'CP1', protocol: 'ocpp1.6' });
    assert.equal((await rejection(cp.connect())).statusCode, 401);
    // A client that pipelines a CALL behind its upgrade request gets the 401 and nothing else.
    const request =
      'GET /ocpp/CP1 HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n' +
      'Sec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Protocol: ocpp1.6\r\n\r\n';
    const answer = await rawExchange(s.port, Buffer.concat([Buffer.from(request), maskedTextFrame(BOOT_CALL_16)]));
    assert.match(answer, /^HTTP\/1\.1 401 /);
    assert.doesNotMatch(answer, /101 Switching|BootNotification|currentTime/);
    assert.deepEqual(
      s.refused.map((e) => e.reason),
      ['no-credentials', 'no-credentials', 'no-credentials'],
    );
    assert.equal(s.hookCalls.length, 0);
    await delay(50);
    assertNothingReached(s);
  });
});

describe('the authenticate hook', () => {
  test('a { accept: false, status: 403, message } verdict is answered 403 with that body; false is 401', T, async (t) => {
    const s = await serve(t, {
      protocols: ['ocpp1.6'],
      authenticate: ({ identity }): AuthResult => (identity === 'BLOCKED' ? { accept: false, status: 403, message: 'blocked' } : false),
    });
    const r = await rawUpgrade({ port: s.port, path: '/ocpp/BLOCKED', protocols: 'ocpp1.6' });
    assert.equal(r.status, 403);
    assert.equal(r.body, 'blocked');
    assert.equal(r.headers['www-authenticate'], undefined);
    const cp = chargePoint(t, { url: s.url, identity: 'BLOCKED', protocol: 'ocpp1.6' });
    assert.equal((await rejection(cp.connect())).statusCode, 403);
    const r2 = await rawUpgrade({ port: s.port, path: '/ocpp/OTHER', protocols: 'ocpp1.6' });
    assert.equal(r2.status, 401);
    assert.match(String(r2.headers['www-authenticate']), /^Basic/);
    assert.deepEqual(
      s.refused.map((e) => [e.reason, e.status, e.identity]),
      [
        ['unauthorized', 403, 'BLOCKED'],
        ['unauthorized', 403, 'BLOCKED'],
        ['unauthorized', 401, 'OTHER'],
      ],
    );
    assertNothingReached(s);
  });

  test('{ accept: true, data } attaches data to the station; the hook sees the request', T, async (t) => {
    const s = await serve(t, { protocols: ['ocpp1.6'], authenticate: () => Promise.resolve({ accept: true as const, data: { tenant: 'x' } }) });
    const cp = chargePoint(t, { url: s.url, identity: 'CP-T', protocol: 'ocpp1.6', headers: { 'X-Site': 'depot-7' } });
    await cp.connect();
    await waitFor(() => s.connections.length === 1, 'connection');
    assert.deepEqual(s.connections[0].data, { tenant: 'x' });
    const seen = s.hookCalls[0];
    assert.equal(seen.identity, 'CP-T');
    assert.equal(seen.protocol, 'ocpp1.6');
    assert.deepEqual(seen.offeredProtocols, ['ocpp1.6']);
    assert.equal(seen.credentials, undefined);
    assert.equal(seen.certificate, undefined);
    assert.equal(seen.certificateAuthorized, false);
    assert.equal(seen.secure, false);
    assert.equal(seen.headers['x-site'], 'depot-7');
    assert.match(String(seen.remoteAddress), /127\.0\.0\.1/);
    // The connection works end to end.
    await cp.call('Heartbeat', {});
    assert.deepEqual(s.handled, ['Heartbeat']);
  });

  test('a throwing hook, or one returning no verdict, is answered 500 and reported as an error event, with no exception text in the body', T, async (t) => {
    const s = await serve(t, {
      protocols: ['ocpp1.6'],
      authenticate: (r) => {
        if (r.identity === 'SYNC') throw new Error('SECRET-db-password=hunter2 at pool.connect');
        if (r.identity === 'ASYNC') return Promise.reject(new TypeError('SECRET async failure'));
        // A forgotten return, or something that is not a verdict, fails closed.
        return (r.identity === 'UNDEFINED' ? undefined : 'yes') as unknown as AuthResult;
      },
    });
    for (const id of ['SYNC', 'ASYNC', 'UNDEFINED', 'STRING']) {
      const r = await rawUpgrade({ port: s.port, path: `/ocpp/${id}`, protocols: 'ocpp1.6' });
      assert.equal(r.status, 500);
      assert.equal(r.body, 'internal error');
      assert.doesNotMatch(r.body, /SECRET|hunter2|Error|\bat\s+\S+\s*\(|\.ts:\d+/);
      assert.doesNotMatch(JSON.stringify(r.headers), /SECRET/);
    }
    assert.equal(s.errors.length, 4);
    assert.match(s.errors[0].error.message, /SECRET-db-password/);
    assert.equal(s.errors[0].identity, 'SYNC');
    assert.ok(s.errors[1].error instanceof TypeError);
    assert.match(s.errors[2].error.message, /authenticate must return/);
    assert.match(s.errors[3].error.message, /authenticate must return/);
    assert.deepEqual(
      s.refused.map((e) => [e.reason, e.status]),
      Array(4).fill(['internal-error', 500]),
    );
    assertNothingReached(s);
  });

  test('a hook that never settles is answered 408 after handshakeTimeoutMs', T, async (t) => {
    const s = await serve(t, { protocols: ['ocpp1.6'], handshakeTimeoutMs: 200, authenticate: () => new Promise<AuthResult>(() => {}) });
    const started = Date.now();
    const r = await rawUpgrade({ port: s.port, path: '/ocpp/SLOW', protocols: 'ocpp1.6' });
    const elapsed = Date.now() - started;
    assert.equal(r.status, 408);
    assert.ok(elapsed >= 180 && elapsed < 2000, `answered after ${elapsed} ms`);
    assert.deepEqual(
      s.refused.map((e) => [e.reason, e.status]),
      [['handshake-timeout', 408]],
    );
    assertNothingReached(s);
  });

  test('close() answers upgrades still being decided 503, with one refused event, and nothing later (timer or late hook)', T, async (t) => {
    const releases: Array<(r: AuthResult) => void> = [];
    const s = await serve(t, {
      protocols: ['ocpp1.6'],
      handshakeTimeoutMs: 300,
      authenticate: () => new Promise<AuthResult>((resolve) => releases.push(resolve)),
    });
    // Raw clients that keep their side open, so the server's sockets stay writable.
    const request = (id: string): string =>
      `GET /ocpp/${id} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n` +
      'Sec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Protocol: ocpp1.6\r\n\r\n';
    const answers = [rawExchange(s.port, request('NEVER'), 1500), rawExchange(s.port, request('LATE'), 1500)];
    await waitFor(() => s.hookCalls.length === 2, 'both hook calls');
    await s.cs.close();
    assert.deepEqual(
      s.refused.map((e) => [e.reason, e.status]).sort(),
      [
        ['shutting-down', 503],
        ['shutting-down', 503],
      ],
      'close() reports what it answered',
    );
    releases[1](true); // LATE: the hook settles after close()
    await delay(400); // NEVER: past handshakeTimeoutMs
    for (const answer of await Promise.all(answers)) {
      assert.match(answer, /^HTTP\/1\.1 503 [^]*server is shutting down$/);
      assert.equal(answer.match(/HTTP\/1\.1/g)?.length, 1, 'exactly one response per request');
    }
    assert.deepEqual(
      s.refused.map((e) => [e.reason, e.status]),
      [
        ['shutting-down', 503],
        ['shutting-down', 503],
      ],
      'no event after close()',
    );
    assert.equal(s.errors.length, 0);
    assertNothingReached(s);
  });
});

describe('duplicate identities', () => {
  test("'replace' (default) closes the old connection with 1008; the registry keeps the new one, also after the old one's close", T, async (t) => {
    const s = await serve(t, { protocols: ['ocpp1.6'] });
    const first = chargePoint(t, { url: s.url, identity: 'DUP', protocol: 'ocpp1.6' });
    await first.connect();
    await waitFor(() => s.connections.length === 1, 'first connection');
    const firstGone = nextEvent<{ code: number; reason: string }>(first, 'disconnect');
    const second = chargePoint(t, { url: s.url, identity: 'DUP', protocol: 'ocpp1.6' });
    await second.connect();
    const [oldStation, newStation] = await (async () => {
      await waitFor(() => s.connections.length === 2, 'second connection');
      return s.connections;
    })();
    assert.equal((await firstGone).code, 1008);
    // The old connection's close arrives after the new one is registered and must not evict it.
    await waitFor(() => s.disconnects.length === 1, "the old station's disconnect");
    assert.equal(s.disconnects[0].station, oldStation);
    assert.equal(s.disconnects[0].code, 1008);
    assert.equal(s.cs.stations.get('DUP'), newStation);
    assert.equal(s.cs.stations.size, 1);
    assert.equal(s.cs.stations.remove(oldStation), false, 'a stale handle cannot remove its successor');
    assert.equal(s.cs.stations.get('DUP'), newStation);
    await second.call('Heartbeat', {});
    assert.equal(second.state, 'open');
    assert.equal(s.refused.length, 0);
  });

  test("'refuse' holds when two attempts are decided at the same time: the first registered is never displaced", T, async (t) => {
    // A barrier in the hook: both attempts pass every check before either is registered.
    const waiting: Array<() => void> = [];
    const s = await serve(t, {
      protocols: ['ocpp1.6'],
      duplicateIdentity: 'refuse',
      authenticate: () =>
        new Promise<AuthResult>((resolve) => {
          waiting.push(() => resolve(true));
          if (waiting.length === 2) for (const go of waiting) go();
        }),
    });
    const a = chargePoint(t, { url: s.url, identity: 'RACE', protocol: 'ocpp1.6' });
    const b = chargePoint(t, { url: s.url, identity: 'RACE', protocol: 'ocpp1.6' });
    await Promise.allSettled([a.connect(), b.connect()]);
    await waitFor(() => s.refused.length === 1, 'one refusal');
    assert.equal(s.hookCalls.length, 2);
    assert.deepEqual(
      s.refused.map((e) => [e.reason, e.status]),
      [['duplicate-identity', 101]],
    );
    assert.equal(s.connections.length, 1, 'only one station registered');
    await delay(50);
    assert.equal(s.disconnects.length, 0, 'the registered station was not closed');
    assert.equal(s.cs.stations.get('RACE'), s.connections[0]);
    const winner = [a, b].find((cp) => cp.state === 'open');
    assert.ok(winner, 'one charge point is still connected');
    await winner.call('Heartbeat', {});
  });

  test("'refuse' answers a second authenticated connection under a connected identity with 409; a wrong password still gets 401", T, async (t) => {
    const s = await serve(t, { protocols: ['ocpp1.6'], duplicateIdentity: 'refuse', authenticate: ({ credentials }) => credentials?.password === PASSWORD });
    const first = chargePoint(t, { url: s.url, identity: 'DUP', protocol: 'ocpp1.6', password: PASSWORD });
    await first.connect();
    await waitFor(() => s.connections.length === 1, 'first connection');
    const second = chargePoint(t, { url: s.url, identity: 'DUP', protocol: 'ocpp1.6', password: PASSWORD });
    assert.equal((await rejection(second.connect())).statusCode, 409);
    // Authentication comes first: whether an identity is connected is told only to its owner.
    const stranger = chargePoint(t, { url: s.url, identity: 'DUP', protocol: 'ocpp1.6', password: 'not-the-password' });
    assert.equal((await rejection(stranger.connect())).statusCode, 401);
    assert.deepEqual(
      s.refused.map((e) => [e.reason, e.status]),
      [
        ['duplicate-identity', 409],
        ['unauthorized', 401],
      ],
    );
    assert.equal(s.hookCalls.length, 3, 'every attempt was authenticated first');
    assert.equal(s.connections.length, 1);
    assert.equal(first.state, 'open');
    // Once the first one is gone, the identity is free again.
    await first.close();
    await waitFor(() => s.cs.stations.size === 0, 'the first station to leave');
    await chargePoint(t, { url: s.url, identity: 'DUP', protocol: 'ocpp1.6', password: PASSWORD }).connect();
    await waitFor(() => s.connections.length === 2, 'the new connection');
  });
});

describe('attach and handleUpgrade', () => {
  async function httpServer(t: TestContext, onUpgrade?: (server: HttpServer) => void): Promise<{ server: HttpServer; port: number }> {
    const server = createHttpServer((_req, res) => res.end('app'));
    onUpgrade?.(server);
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    t.after(
      () =>
        new Promise<void>((r) => {
          server.closeAllConnections();
          server.close(() => r());
        }),
    );
    return { server, port: (server.address() as { port: number }).port };
  }

  test('attach serves OCPP upgrades on an existing server, applying the same checks', T, async (t) => {
    const cs = new CentralSystem({
      protocols: ['ocpp1.6'],
      path: '/ocpp',
      pingIntervalMs: 0,
      securityProfile: 1,
      authenticate: ({ credentials }) => credentials?.password === PASSWORD,
    });
    const connections: unknown[] = [];
    cs.on('connection', (st) => connections.push(st));
    t.after(() => cs.close());
    // The application answers the upgrades outside /ocpp itself; the attached server must leave
    // them alone (a 404 written by it first would reach the client instead of the 418).
    const { server, port } = await httpServer(t, (srv) =>
      srv.on('upgrade', (req, socket) => {
        if (!req.url?.startsWith('/ocpp/')) socket.end("HTTP/1.1 418 I'm a teapot\r\nConnection: close\r\nContent-Length: 0\r\n\r\n");
      }),
    );
    cs.attach(server);
    assert.equal((await rawUpgrade({ port, path: '/elsewhere/CP1', protocols: 'ocpp1.6' })).status, 418);
    assert.equal((await rawUpgrade({ port, path: '/ocpp/CP1', protocols: 'ocpp1.6' })).status, 401);
    const cp = chargePoint(t, { url: `ws://127.0.0.1:${port}/ocpp`, identity: 'CP1', protocol: 'ocpp1.6', password: PASSWORD });
    await cp.connect();
    await waitFor(() => connections.length === 1, 'connection');
    // The application's own requests are untouched.
    assert.equal(await (await fetch(`http://127.0.0.1:${port}/`)).text(), 'app');
  });

  test('handleUpgrade serves upgrades an application routes to it', T, async (t) => {
    const cs = new CentralSystem({ protocols: ['ocpp2.0.1'], path: '/ocpp', pingIntervalMs: 0 });
    t.after(() => cs.close());
    const { port } = await httpServer(t, (server) =>
      server.on('upgrade', (req, socket, head) => {
        if (req.url?.startsWith('/ocpp/')) cs.handleUpgrade(req, socket, head);
        else socket.end("HTTP/1.1 418 I'm a teapot\r\nConnection: close\r\nContent-Length: 0\r\n\r\n");
      }),
    );
    assert.equal((await rawUpgrade({ port, path: '/other/x', protocols: 'ocpp2.0.1' })).status, 418);
    const ws = await openWs(t, `ws://127.0.0.1:${port}/ocpp/CS-9`, ['ocpp2.0.1']);
    assert.equal(ws.protocol, 'ocpp2.0.1');
    await waitFor(() => cs.stations.has('CS-9'), 'registration');
  });
});

describe('TLS and security profiles 2 and 3 (items 54-57)', () => {
  const hasOpenssl = opensslPath() !== undefined;
  // A missing openssl must fail loudly, not skip: CI runs where it exists.
  test('the openssl CLI needed for the TLS tests is installed', () => {
    assert.ok(hasOpenssl, 'the TLS tests need the openssl command-line tool (apt-get install openssl); `command -v openssl` found nothing');
  });
  const pki = hasOpenssl ? testPki() : undefined;
  const tlsOpts = (): ListenOptions['tls'] => ({ key: pki!.server.key, cert: pki!.server.cert });
  const tlsTest = (name: string, fn: (t: TestContext) => Promise<void>): void => {
    test(name, { ...T, skip: hasOpenssl ? false : 'openssl is missing' }, fn);
  };

  for (const protocol of ['ocpp2.0.1', 'ocpp2.1'] as const) {
    tlsTest(`items 50/54/56 - profile 2: a ChargePoint trusting the CA and sending its password connects over wss:// (${protocol})`, async (t) => {
      const s = await serve(
        t,
        {
          protocols: [protocol],
          securityProfile: 2,
          authenticate: ({ credentials }) => credentials !== undefined && safeEqual(credentials.password, PASSWORD),
        },
        { tls: tlsOpts() },
      );
      assert.match(s.url, /^wss:/);
      const cp = chargePoint(t, { url: s.url, identity: 'CS-TLS', protocol: protocol, password: PASSWORD, tls: { ca: pki!.ca } });
      await cp.connect();
      await waitFor(() => s.connections.length === 1, 'connection');
      assert.equal(s.hookCalls[0].secure, true);
      assert.equal(s.hookCalls[0].credentials?.username, 'CS-TLS');
      assert.equal(s.hookCalls[0].certificate, undefined, 'no client certificate was requested');
      await cp.call('Heartbeat', {});
      // The same server by its DNS name (subjectAltName DNS:localhost).
      const byName = chargePoint(t, {
        url: `wss://localhost:${s.port}/ocpp`,
        identity: 'CS-TLS-2',
        protocol: protocol,
        password: PASSWORD,
        tls: { ca: pki!.ca },
      });
      await byName.connect();
      // Without the password: 401 even over TLS.
      const noPassword = chargePoint(t, { url: s.url, identity: 'CS-NOPW', protocol: protocol, tls: { ca: pki!.ca } });
      assert.equal((await rejection(noPassword.connect())).statusCode, 401);
      assert.equal(s.refused.at(-1)?.reason, 'no-credentials');
    });
  }

  tlsTest('item 56 - the client verifies the chain and the host name: no CA, or a wrong name, fails to connect', async (t) => {
    const s = await serve(t, { protocols: ['ocpp1.6'], securityProfile: 2, authenticate: () => true }, { tls: tlsOpts() });
    const noCa = chargePoint(t, { url: s.url, identity: 'CP1', protocol: 'ocpp1.6', password: PASSWORD });
    const e1 = await rejection(noCa.connect());
    assert.match(`${e1.message} ${e1.cause?.code ?? ''}`, /self[- ]signed|unable to (get|verify)|UNABLE_TO|SELF_SIGNED/i);
    const wrongName = chargePoint(t, {
      url: s.url,
      identity: 'CP1',
      protocol: 'ocpp1.6',
      password: PASSWORD,
      tls: { ca: pki!.ca, servername: 'csms.example.com' },
    });
    const e2 = await rejection(wrongName.connect());
    assert.match(`${e2.message} ${e2.cause?.code ?? ''}`, /ERR_TLS_CERT_ALTNAME_INVALID|does not match|altnames/i);
    assert.equal(s.hookCalls.length, 0, 'the upgrade request was never sent');
    assertNothingReached(s);
  });

  tlsTest("item 55 - the server refuses TLS 1.1 even where Node's default minimum was lowered; TLS 1.2 and 1.3 are accepted", async (t) => {
    const weak = { ciphers: 'DEFAULT@SECLEVEL=0' };
    const defaults = tls as unknown as { DEFAULT_MIN_VERSION: string };
    const before = defaults.DEFAULT_MIN_VERSION;
    defaults.DEFAULT_MIN_VERSION = 'TLSv1';
    t.after(() => {
      defaults.DEFAULT_MIN_VERSION = before;
    });
    const handshake = (port: number, options: tls.ConnectionOptions): Promise<string> =>
      new Promise((resolve) => {
        const socket = tls.connect({ host: '127.0.0.1', port, ca: pki!.ca, ...options }, () => {
          resolve(String(socket.getProtocol()));
          socket.destroy();
        });
        socket.on('error', (e: Error & { code?: string }) => resolve(`error ${e.code ?? e.message}`));
      });
    const tls11 = { minVersion: 'TLSv1', maxVersion: 'TLSv1.1', ...weak } as const;

    // Control: with Node's lowered default, a plain HTTPS server does negotiate TLS 1.1 here.
    const plain = createHttpsServer({ ...tlsOpts(), ...weak });
    await new Promise<void>((r) => plain.listen(0, '127.0.0.1', r));
    t.after(() => new Promise<void>((r) => plain.close(() => r())));
    const control = await handshake((plain.address() as { port: number }).port, tls11);
    if (control !== 'TLSv1.1') {
      t.skip(`this OpenSSL cannot negotiate TLS 1.1 at all (${control}), so there is nothing to refuse`);
      return;
    }

    const s = await serve(t, { protocols: ['ocpp2.0.1'] }, { tls: { ...tlsOpts(), ...weak } });
    const refused = await handshake(s.port, tls11);
    assert.match(refused, /^error /, 'the TLS 1.1 handshake fails');
    await waitFor(() => s.refused.length > 0, 'the server-side TLS refusal');
    assert.equal(s.refused[0].reason, 'tls-failed');
    assert.match(s.refused[0].detail, /ERR_SSL_UNSUPPORTED_PROTOCOL/, 'the server, not the client, refused the version');
    assert.equal(s.errors.length, 0, "a client's TLS version is not an error of the server");
    assert.equal(await handshake(s.port, { maxVersion: 'TLSv1.2' }), 'TLSv1.2');
    assert.equal(await handshake(s.port, {}), 'TLSv1.3');
    // An explicit minVersion is the operator's choice (1.6 tolerates legacy chargers).
    const legacy = await serve(t, { protocols: ['ocpp1.6'] }, { tls: { ...tlsOpts(), ...weak, minVersion: 'TLSv1' } });
    assert.equal(await handshake(legacy.port, tls11), 'TLSv1.1');
  });

  tlsTest('item 54 - plain ws:// to a profile 2 or 3 endpoint is answered 403 (insecure), credentials or not', async (t) => {
    for (const profile of [2, 3] as const) {
      const s = await serve(t, { protocols: ['ocpp1.6'], securityProfile: profile, authenticate: () => true });
      const r = await rawUpgrade({ port: s.port, path: '/ocpp/CP1', protocols: 'ocpp1.6', headers: basic('CP1', PASSWORD) });
      assert.equal(r.status, 403);
      assert.match(r.body, /TLS/);
      const cp = chargePoint(t, { url: s.url, identity: 'CP1', protocol: 'ocpp1.6', password: PASSWORD });
      assert.equal((await rejection(cp.connect())).statusCode, 403);
      assert.deepEqual(
        s.refused.map((e) => [e.reason, e.status]),
        [
          ['insecure', 403],
          ['insecure', 403],
        ],
      );
      assert.equal(s.hookCalls.length, 0);
      assertNothingReached(s);
    }
  });

  for (const protocol of ['ocpp2.0.1', 'ocpp2.1'] as const) {
    tlsTest(`item 57 - profile 3: a client certificate signed by the CA connects; the hook sees its CN and certificateAuthorized (${protocol})`, async (t) => {
      const s = await serve(
        t,
        {
          protocols: [protocol],
          securityProfile: 3,
          authenticate: ({ identity, certificate }) =>
            certificate?.subject.CN === identity || { accept: false, status: 403, message: 'certificate does not match the identity' },
        },
        { tls: { ...tlsOpts(), ca: pki!.ca, requestCert: true, rejectUnauthorized: false } },
      );
      const cert = pki!.client('CS-CERT');
      const cp = chargePoint(t, { url: s.url, identity: 'CS-CERT', protocol: protocol, tls: { ca: pki!.ca, cert: cert.cert, key: cert.key } });
      await cp.connect();
      await waitFor(() => s.connections.length === 1, 'connection');
      const seen = s.hookCalls[0];
      assert.equal(seen.certificate?.subject.CN, 'CS-CERT');
      assert.equal(seen.certificate?.subject.O, 'ocpp-sdk tests');
      assert.equal(seen.certificateAuthorized, true);
      assert.equal(seen.secure, true);
      assert.equal(seen.credentials, undefined, 'profile 3 needs no password');
      await cp.call('Heartbeat', {});
    });
  }

  tlsTest('item 57 - profile 3: no client certificate, or one from an untrusted CA, is answered 403 (insecure) without calling the hook', async (t) => {
    const s = await serve(
      t,
      { protocols: ['ocpp1.6'], securityProfile: 3, authenticate: () => true },
      { tls: { ...tlsOpts(), ca: pki!.ca, requestCert: true, rejectUnauthorized: false } },
    );
    const none = chargePoint(t, { url: s.url, identity: 'CP3', protocol: 'ocpp1.6', password: PASSWORD, tls: { ca: pki!.ca } });
    assert.equal((await rejection(none.connect())).statusCode, 403);
    const rogue = pki!.rogueClient('CP3');
    const untrusted = chargePoint(t, { url: s.url, identity: 'CP3', protocol: 'ocpp1.6', tls: { ca: pki!.ca, cert: rogue.cert, key: rogue.key } });
    assert.equal((await rejection(untrusted.connect())).statusCode, 403);
    assert.deepEqual(
      s.refused.map((e) => [e.reason, e.status]),
      [
        ['insecure', 403],
        ['insecure', 403],
      ],
    );
    assert.match(s.refused[0].detail, /client certificate/);
    assert.equal(s.hookCalls.length, 0);
    assertNothingReached(s);
  });

  for (const protocol of ['ocpp2.0.1', 'ocpp2.1'] as const) {
    tlsTest(`item 57 - profile 3: the hook can refuse a valid certificate whose CN is not the identity (403) (${protocol})`, async (t) => {
      const s = await serve(
        t,
        {
          protocols: [protocol],
          securityProfile: 3,
          authenticate: ({ identity, certificate }) =>
            certificate?.subject.CN === identity || { accept: false, status: 403, message: 'certificate does not match the identity' },
        },
        { tls: { ...tlsOpts(), ca: pki!.ca, requestCert: true, rejectUnauthorized: false } },
      );
      const other = pki!.client('CS-OTHER');
      const cp = chargePoint(t, { url: s.url, identity: 'CS-VICTIM', protocol: protocol, tls: { ca: pki!.ca, cert: other.cert, key: other.key } });
      assert.equal((await rejection(cp.connect())).statusCode, 403);
      assert.equal(s.hookCalls[0].certificateAuthorized, true);
      assert.equal(s.hookCalls[0].certificate?.subject.CN, 'CS-OTHER');
      const r = await rawUpgrade({ port: s.port, path: '/ocpp/CS-VICTIM', protocols: protocol, tls: { ca: pki!.ca, cert: other.cert, key: other.key } });
      assert.equal(r.status, 403);
      assert.equal(r.body, 'certificate does not match the identity');
      assertNothingReached(s);
    });
  }
});
