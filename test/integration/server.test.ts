/**
 * Server behaviour a user meets first: which URLs reach a station, what a refusal says, how a
 * failing handler shows up, what station.close() waits for, how listen() fails, and several
 * endpoints sharing one HTTP server. Real server on 127.0.0.1:0, real clients.
 */
import assert from 'node:assert/strict';
import { createServer as createHttpServer, type Server as HttpServer } from 'node:http';
import { createServer as createNetServer, Server as NetServer } from 'node:net';
import { describe, test, type TestContext } from 'node:test';
import WebSocket, { WebSocketServer } from 'ws';
import { CentralSystem, ChargePoint, DEFAULT_LISTEN_BACKLOG, type AnyStation, type ChargePointOptions, type OcppVersion } from '../../src/index';
import { ListenError, type StationHandlerErrorEvent } from '../../src/central-system';
import { listenFailure } from '../../src/server/listen';
import type { RefusedEvent } from '../../src/server/events';
import { delay, destroyUpgradedSockets, nextEvent, rawUpgrade, waitFor } from '../support/net';

const T = { timeout: 8000 };
const now = (): string => new Date().toISOString();

function server<V extends OcppVersion>(t: TestContext, options: ConstructorParameters<typeof CentralSystem<V>>[0] = {}): CentralSystem<V> {
  const cs = new CentralSystem<V>({ pingIntervalMs: 0, ...options });
  t.after(async () => {
    destroyUpgradedSockets();
    await cs.close();
  });
  return cs;
}

function chargePoint<V extends OcppVersion>(t: TestContext, options: ChargePointOptions<V>): ChargePoint<V> {
  const cp = new ChargePoint<V>({ reconnect: false, pingIntervalMs: 0, handshakeTimeoutMs: 3000, ...options });
  t.after(() => cp.close());
  return cp;
}

async function listening<V extends OcppVersion>(cs: CentralSystem<V>): Promise<number> {
  return (await cs.listen({ port: 0, host: '127.0.0.1' })).port;
}

describe('identity from the URL (issue 11 item 3)', () => {
  test('a server without path serves /ocpp/CP001, /CP001 and /a/b/CP001, the last segment being the identity', T, async (t) => {
    const cs = server(t, { protocols: ['ocpp1.6'] });
    const port = await listening(cs);
    const cp = chargePoint(t, { url: `ws://127.0.0.1:${port}/ocpp`, identity: 'CP001', protocol: 'ocpp1.6' });
    await cp.connect();
    await waitFor(() => cs.stations.has('CP001'), 'CP001 registered from /ocpp/CP001');
    for (const [path, identity] of [
      ['/CP002', 'CP002'],
      ['/a/b/CP003', 'CP003'],
      ['/a/b/CP%20004', 'CP 004'],
    ]) {
      const r = await rawUpgrade({ port, path, protocols: 'ocpp1.6' });
      assert.equal(r.status, 101, path);
      await waitFor(() => cs.stations.has(identity), `${identity} registered from ${path}`);
    }
  });

  test('with path /ocpp, /other/CP001 is refused 404; the refused event and the response body both say why', T, async (t) => {
    const cs = server(t, { protocols: ['ocpp1.6'], path: '/ocpp' });
    const refused: RefusedEvent[] = [];
    cs.on('refused', (e) => refused.push(e));
    const port = await listening(cs);
    const r = await rawUpgrade({ port, path: '/other/CP001', protocols: 'ocpp1.6' });
    assert.equal(r.status, 404);
    assert.equal(refused.length, 1);
    assert.equal(refused[0].reason, 'not-found');
    assert.equal(refused[0].detail, 'no OCPP endpoint at /other/CP001');
    assert.equal(r.body, refused[0].detail);
    assert.equal((await rawUpgrade({ port, path: '/ocpp/CP001', protocols: 'ocpp1.6' })).status, 101);
  });

  test('a bad identity is refused 400 with the reason in the event and the body', T, async (t) => {
    const cs = server(t, { protocols: ['ocpp2.0.1'] });
    const refused: RefusedEvent[] = [];
    cs.on('refused', (e) => refused.push(e));
    const port = await listening(cs);
    const r = await rawUpgrade({ port, path: '/ocpp/CP:1', protocols: 'ocpp2.0.1' });
    assert.equal(r.status, 400);
    assert.equal(refused[0].reason, 'bad-identity');
    assert.match(refused[0].detail, /':'/);
    assert.equal(r.body, refused[0].detail);
  });
});

describe('station.headers', () => {
  test('keeps what describes the station, masks the password, and drops the handshake-only headers', T, async (t) => {
    const cs = server(t, {
      protocols: ['ocpp1.6'],
      securityProfile: 1,
      authenticate: ({ credentials }) => credentials?.password.toString() === 'secret-pass-1234',
    });
    const port = await listening(cs);
    const connected = nextEvent(cs, 'connection');
    const cp = chargePoint(t, {
      url: `ws://127.0.0.1:${port}`,
      identity: 'CP-HDR',
      protocol: 'ocpp1.6',
      password: 'secret-pass-1234',
      headers: { 'X-Vendor-Serial': 'SN-42' },
    });
    await cp.connect();
    const station = (await connected) as AnyStation;
    assert.equal(station.headers.host, `127.0.0.1:${port}`);
    assert.equal(station.headers['x-vendor-serial'], 'SN-42');
    assert.equal(station.headers['sec-websocket-protocol'], 'ocpp1.6');
    assert.equal(station.headers.authorization, '[redacted]');
    for (const gone of ['connection', 'upgrade', 'sec-websocket-key', 'sec-websocket-version', 'sec-websocket-extensions']) {
      assert.equal(gone in station.headers, false, `${gone} is not kept`);
    }
  });
});

describe('failing handlers are visible on the server (issue 11 item 4)', () => {
  const cases: [string, (cs: CentralSystem<'ocpp1.6'>) => void, RegExp][] = [
    [
      'throws',
      (cs) =>
        cs.handle('ocpp1.6', 'Heartbeat', () => {
          throw new Error('database is down');
        }),
      /database is down/,
    ],
    ['rejects', (cs) => cs.handle('ocpp1.6', 'Heartbeat', () => Promise.reject(new Error('database is down'))), /database is down/],
    ['answers an invalid payload', (cs) => cs.handle('ocpp1.6', 'Heartbeat', () => ({ currentTime: 42 }) as never), /currentTime|type|string/i],
  ];
  for (const [what, install, message] of cases) {
    test(`a handler that ${what} is logged with identity, protocol, action and message id, and raised as handlerError`, T, async (t) => {
      const records: { level: string; record: Record<string, unknown>; message: string }[] = [];
      const logger = {
        warn: (record: Record<string, unknown>, m: string) => records.push({ level: 'warn', record, message: m }),
        error: (record: Record<string, unknown>, m: string) => records.push({ level: 'error', record, message: m }),
      };
      const cs = server(t, { protocols: ['ocpp1.6'], logger });
      install(cs);
      const events: StationHandlerErrorEvent<'ocpp1.6'>[] = [];
      cs.on('handlerError', (e) => events.push(e));
      const port = await listening(cs);
      const cp = chargePoint(t, { url: `ws://127.0.0.1:${port}`, identity: 'CP-H', protocol: 'ocpp1.6' });
      await cp.connect();
      await assert.rejects(cp.call('Heartbeat', {}), (e: Error & { code?: string }) => e.code === 'InternalError');
      await waitFor(() => events.length === 1, 'handlerError event');
      const e = events[0];
      assert.equal(e.station.identity, 'CP-H');
      assert.equal(e.action, 'Heartbeat');
      assert.equal(typeof e.messageId, 'string');
      assert.match(String((e.error as Error).message), message);
      const logged = records.find((r) => r.record.event === 'handler-error');
      assert.ok(logged, 'a handler-error record was logged');
      assert.equal(logged.level, 'error');
      assert.deepEqual(
        [logged.record.identity, logged.record.protocol, logged.record.action, logged.record.messageId, logged.record.err],
        ['CP-H', 'ocpp1.6', 'Heartbeat', e.messageId, e.error],
      );
    });
  }
});

describe('station.close() (issue 11 item 10)', () => {
  test('resolves once the socket is really closed, and a second call resolves too', T, async (t) => {
    const cs = server(t, { protocols: ['ocpp1.6'] });
    const port = await listening(cs);
    const ws = new WebSocket(`ws://127.0.0.1:${port}/CP-C`, ['ocpp1.6']);
    t.after(() => ws.terminate());
    const clientClose = new Promise<[number, string]>((r) => ws.once('close', (code, reason) => r([code, String(reason)])));
    const station = await nextEvent<AnyStation<'ocpp1.6'>>(cs, 'connection');
    let settled = false;
    const started = Date.now();
    const first = station.close(1000, 'bye').then(() => (settled = true));
    const second = station.close();
    await Promise.resolve();
    assert.equal(settled, false, 'not settled before the closing handshake');
    await Promise.all([first, second]);
    // A peer that answers the close frame: settled by the handshake, not by the grace timer.
    assert.ok(Date.now() - started < 1000, `took ${Date.now() - started} ms`);
    assert.deepEqual(await clientClose, [1000, 'bye']);
    await station.close();
  });

  test('resolves after a short grace when the station never answers the close frame', T, async (t) => {
    const cs = server(t, { protocols: ['ocpp1.6'] });
    const port = await listening(cs);
    const connected = nextEvent<AnyStation<'ocpp1.6'>>(cs, 'connection');
    // A raw socket that never reads or answers anything after the 101.
    const r = await rawUpgrade({ port, path: '/CP-SILENT', protocols: 'ocpp1.6' });
    assert.equal(r.status, 101);
    r.socket!.pause();
    const station = await connected;
    const started = Date.now();
    await station.close(1000, 'bye');
    const took = Date.now() - started;
    assert.ok(took >= 1500 && took < 4000, `resolved after ${took} ms`);
  });
});

describe('listen() failures are ListenErrors (issue 11 item 5)', () => {
  test('address-in-use: a port taken on 127.0.0.1', T, async (t) => {
    const taken = createNetServer();
    await new Promise<void>((r) => taken.listen(0, '127.0.0.1', r));
    t.after(() => new Promise<void>((r) => taken.close(() => r())));
    const port = (taken.address() as { port: number }).port;
    const cs = server(t);
    const error = await cs.listen({ port, host: '127.0.0.1' }).then(
      () => undefined,
      (e: unknown) => e,
    );
    assert.ok(error instanceof ListenError);
    assert.equal(error.name, 'ListenError');
    assert.equal(error.reason, 'address-in-use');
    assert.equal(error.port, port);
    assert.equal(error.host, '127.0.0.1');
    assert.equal((error.cause as { code?: string }).code, 'EADDRINUSE');
    assert.match(error.message, new RegExp(`127\\.0\\.0\\.1:${port}: address-in-use \\(EADDRINUSE\\)`));
    // The failed attempt left nothing behind: another port works.
    assert.ok((await cs.listen({ port: 0, host: '127.0.0.1' })).port > 0);
  });

  test('already-listening and closed', T, async (t) => {
    const cs = server(t);
    await cs.listen({ port: 0, host: '127.0.0.1' });
    const again = await cs.listen({ port: 0 }).then(
      () => undefined,
      (e: unknown) => e,
    );
    assert.ok(again instanceof ListenError && again.reason === 'already-listening');
    const closed = new CentralSystem({ pingIntervalMs: 0 });
    await closed.close();
    const late = await closed.listen({ port: 0 }).then(
      () => undefined,
      (e: unknown) => e,
    );
    assert.ok(late instanceof ListenError && late.reason === 'closed');
  });

  test('address-not-available: a host that is not an address of this machine', T, async (t) => {
    const cs = server(t);
    const error = await cs.listen({ port: 0, host: '192.0.2.1' }).then(
      () => undefined,
      (e: unknown) => e,
    );
    assert.ok(error instanceof ListenError);
    assert.equal(error.reason, 'address-not-available');
    assert.equal(error.host, '192.0.2.1');
  });

  test('host-not-found: a host name that does not resolve', T, async (t) => {
    const cs = server(t);
    const error = await cs.listen({ port: 0, host: 'no-such-host.invalid' }).then(
      () => undefined,
      (e: unknown) => e,
    );
    assert.ok(error instanceof ListenError);
    assert.equal(error.reason, 'host-not-found');
  });

  test('access-denied and failed are told apart by the system error code', () => {
    assert.equal(listenFailure(Object.assign(new Error('x'), { code: 'EACCES' })), 'access-denied');
    assert.equal(listenFailure(Object.assign(new Error('x'), { code: 'EMFILE' })), 'failed');
    assert.equal(listenFailure(undefined), 'failed');
  });

  test('a port that is not an integer from 0 to 65535 is a TypeError', async () => {
    const cs = new CentralSystem({ pingIntervalMs: 0 });
    await assert.rejects(cs.listen({ port: 70000 }), TypeError);
    await assert.rejects(cs.listen({ port: 1.5 }), TypeError);
    await cs.close();
  });

  test("the listen backlog is DEFAULT_LISTEN_BACKLOG (511, Node's) unless set; a bad one is a TypeError naming it", T, async (t) => {
    // What reaches the socket's listen(): the kernel's queue itself is not observable from here.
    const seen: unknown[] = [];
    const original = Reflect.get(NetServer.prototype, 'listen') as (this: NetServer, ...args: unknown[]) => NetServer;
    t.mock.method(NetServer.prototype, 'listen', function (this: NetServer, ...args: unknown[]) {
      seen.push((args[0] as { backlog?: unknown }).backlog);
      return original.apply(this, args);
    });
    const a = server(t);
    await a.listen({ port: 0, host: '127.0.0.1' });
    const b = server(t);
    await b.listen({ port: 0, host: '127.0.0.1', backlog: 64 });
    assert.deepEqual(seen, [DEFAULT_LISTEN_BACKLOG, 64]);
    assert.equal(DEFAULT_LISTEN_BACKLOG, 511);
    const c = server(t);
    for (const bad of [0, -1, 1.5, '128'] as unknown[]) {
      await assert.rejects(
        c.listen({ port: 0, backlog: bad as number }),
        new RegExp(`^TypeError: listen: backlog must be a positive integer, got ${String(bad)}$`),
      );
    }
    assert.equal(seen.length, 2, 'a refused backlog never reaches listen()');
  });
});

describe('several endpoints share one HTTP server (issue 12 item 4)', () => {
  test('a CentralSystem on /ocpp (1.6), one on /ocpp/v2 (2.0.1) and a ws endpoint on /live all work', T, async (t) => {
    const http: HttpServer = createHttpServer((_req, res) => res.end('app'));
    const live = new WebSocketServer({ noServer: true });
    live.on('connection', (ws) => ws.on('message', (data: Buffer) => ws.send(`echo:${data.toString()}`)));
    http.on('upgrade', (req, socket, head) => {
      if (req.url === '/live') live.handleUpgrade(req, socket, head, (ws) => live.emit('connection', ws, req));
    });
    const v16 = server(t, { protocols: ['ocpp1.6'], path: '/ocpp' });
    const v201 = server(t, { protocols: ['ocpp2.0.1'], path: '/ocpp/v2' });
    v16.attach(http);
    v201.attach(http);
    v16.handle('ocpp1.6', 'Heartbeat', () => ({ currentTime: now() }));
    v201.handle('ocpp2.0.1', 'Heartbeat', () => ({ currentTime: now() }));
    const refused: RefusedEvent[] = [];
    v16.on('refused', (e) => refused.push(e));
    v201.on('refused', (e) => refused.push(e));
    await new Promise<void>((r) => http.listen(0, '127.0.0.1', r));
    t.after(
      () =>
        new Promise<void>((r) => {
          // Upgraded sockets still count for http.close(): end the /live ones (ws 8 does not).
          for (const client of live.clients) client.terminate();
          live.close();
          http.closeAllConnections();
          http.close(() => r());
        }),
    );
    const port = (http.address() as { port: number }).port;

    const cp16 = chargePoint(t, { url: `ws://127.0.0.1:${port}/ocpp`, identity: 'CP16', protocol: 'ocpp1.6' });
    const cp201 = chargePoint(t, { url: `ws://127.0.0.1:${port}/ocpp/v2`, identity: 'CS1', protocol: 'ocpp2.0.1' });
    await cp16.connect();
    await cp201.connect();
    const ws = new WebSocket(`ws://127.0.0.1:${port}/live`);
    t.after(() => ws.terminate());
    await new Promise<void>((resolve, reject) => {
      ws.once('open', () => resolve());
      ws.once('error', reject);
    });
    const echo = new Promise<string>((r) => ws.once('message', (d: Buffer) => r(d.toString())));
    ws.send('hi');
    assert.equal(await echo, 'echo:hi');
    assert.ok((await cp16.call('Heartbeat', {})).currentTime);
    assert.ok((await cp201.call('Heartbeat', {})).currentTime);
    assert.ok(v16.stations.has('CP16') && !v16.stations.has('CS1'));
    assert.ok(v201.stations.has('CS1') && !v201.stations.has('CP16'));
    await delay(50);
    assert.equal(cp16.state, 'open', 'the 1.6 connection was not cut by the other server');
    assert.deepEqual(refused, [], "neither server refused the others' upgrades");
  });
});
