/**
 * The ChargePoint's options are checked and defaulted once (client/options.ts), the compression
 * threshold is an option as on the server, and a failing handler is logged when a logger is set
 * (issue 11 items 10 and 4, client side).
 */
import assert from 'node:assert/strict';
import type { AddressInfo } from 'node:net';
import { describe, test, type TestContext } from 'node:test';
import WebSocket, { WebSocketServer } from 'ws';
import { CentralSystem, ChargePoint, NetworkError, type OcppVersion } from '../../src/index';
import type { Station } from '../../src/station';
import { resolveChargePointOptions } from '../../src/client/options';
import {
  DEFAULT_COMPRESSION_THRESHOLD_BYTES,
  DEFAULT_HANDSHAKE_TIMEOUT_MS,
  DEFAULT_MAX_BUFFERED_BYTES,
  DEFAULT_MAX_JSON_DEPTH,
  DEFAULT_PING_INTERVAL_MS,
  DEFAULT_READ_PAUSE_BUFFERED_BYTES,
} from '../../src/index';
import { MAX_DELAY_MS } from '../../src/transport/delay';

const base = { url: 'ws://127.0.0.1:9/ocpp', identity: 'CP1', protocol: 'ocpp1.6' as const };
const none = (): undefined => undefined;

describe('resolveChargePointOptions', () => {
  test('applies every default once into a frozen object', () => {
    const o = resolveChargePointOptions(base, none);
    assert.ok(Object.isFrozen(o));
    assert.equal(o.url, 'ws://127.0.0.1:9/ocpp/CP1');
    assert.equal(o.pingIntervalMs, DEFAULT_PING_INTERVAL_MS);
    assert.equal(o.pongTimeoutMs, DEFAULT_PING_INTERVAL_MS, 'pongTimeoutMs defaults to the ping interval');
    assert.equal(o.handshakeTimeoutMs, DEFAULT_HANDSHAKE_TIMEOUT_MS);
    assert.equal(o.maxBufferedBytes, DEFAULT_MAX_BUFFERED_BYTES);
    assert.equal(o.readPauseBufferedBytes, DEFAULT_READ_PAUSE_BUFFERED_BYTES);
    assert.equal(o.endpoint.maxJsonDepth, DEFAULT_MAX_JSON_DEPTH);
    assert.deepEqual(o.compression, { thresholdBytes: DEFAULT_COMPRESSION_THRESHOLD_BYTES });
    assert.deepEqual(o.reconnect, { waitMinimumMs: 3000, randomRangeMs: 2000, repeatTimes: 5 });
    assert.deepEqual(o.offline.retry, { attempts: 3, retryIntervalMs: 60_000 });
    assert.equal(o.offline.queueAll, false);
    assert.equal(o.bootGating, false);
    assert.equal(o.headers, undefined);
    assert.equal(o.endpoint.callTimeoutMs, 30_000);
  });

  test('compression: false turns it off, true or {} keep the 1024-byte threshold, a number sets it', () => {
    assert.equal(resolveChargePointOptions({ ...base, compression: false }, none).compression, false);
    assert.deepEqual(resolveChargePointOptions({ ...base, compression: true }, none).compression, { thresholdBytes: 1024 });
    assert.deepEqual(resolveChargePointOptions({ ...base, compression: {} }, none).compression, { thresholdBytes: 1024 });
    assert.deepEqual(resolveChargePointOptions({ ...base, compression: { thresholdBytes: 0 } }, none).compression, { thresholdBytes: 0 });
  });

  test("a password becomes the Authorization header, next to the user's headers", () => {
    const o = resolveChargePointOptions({ ...base, password: 'secret', headers: { 'X-Site': 'A' } }, none);
    assert.deepEqual(o.headers, { 'X-Site': 'A', Authorization: `Basic ${btoa('CP1:secret')}` });
  });

  const bad: Array<[string, Record<string, unknown>, RegExp]> = [
    ['a negative ping interval', { pingIntervalMs: -1 }, /^pingIntervalMs must be a non-negative integer, got -1$/],
    ['a ping interval a timer cannot hold', { pingIntervalMs: MAX_DELAY_MS + 1 }, /^pingIntervalMs must be at most 2147483647/],
    [
      'a pong timeout longer than the ping interval (the next ping settles it)',
      { pingIntervalMs: 1000, pongTimeoutMs: 1001 },
      /^pongTimeoutMs \(1001\) must not exceed pingIntervalMs \(1000\)$/,
    ],
    ['a zero handshake timeout', { handshakeTimeoutMs: 0 }, /^handshakeTimeoutMs must be a positive integer/],
    ['a fractional threshold', { compression: { thresholdBytes: 1.5 } }, /^compression\.thresholdBytes must be a non-negative integer, got 1\.5$/],
    ['a string for compression', { compression: 'yes' }, /^compression must be a boolean or \{ thresholdBytes \}/],
    ['retry attempts of 0', { offline: { retry: { attempts: 0 } } }, /^offline\.retry\.attempts must be a positive integer/],
    [
      'a retry interval a timer cannot hold',
      { offline: { retry: { retryIntervalMs: Infinity } } },
      /^offline\.retry\.retryIntervalMs must be a number from 0 to 2147483647/,
    ],
    ['a store without methods', { offline: { store: {} } }, /^offline\.store\.push must be a function/],
    ['a non-boolean bootGating', { bootGating: 'yes' }, /^bootGating must be a boolean/],
    ['a non-function random', { random: 0.5 }, /^random must be a function/],
    ['a negative maxBufferedBytes', { maxBufferedBytes: -1 }, /^maxBufferedBytes must be a non-negative integer/],
    ['an infinite back-off minimum', { reconnect: { waitMinimumMs: Infinity } }, /^reconnect\.waitMinimumMs must be a non-negative finite number/],
    ['a bad callTimeoutMs (checked by the shared endpoint options)', { callTimeoutMs: -1 }, /^callTimeoutMs must be a positive integer/],
    ['a negative readPauseBufferedBytes', { readPauseBufferedBytes: -1 }, /^readPauseBufferedBytes must be a non-negative integer/],
    ['a maxJsonDepth of 0 (checked by the shared endpoint options)', { maxJsonDepth: 0 }, /^maxJsonDepth must be a positive integer/],
    ['a webSocket factory that is not a function', { webSocket: 'ws' }, /^webSocket must be a function, got "ws"$/],
    ['a localAddress that is not a string', { localAddress: 2130706433 }, /^localAddress must be a non-empty string \(an IP address\), got 2130706433$/],
  ];
  for (const [what, options, message] of bad) {
    test(`refuses ${what} at construction with a TypeError naming the option`, () => {
      assert.throws(
        () => new ChargePoint({ ...base, ...options }),
        (e: unknown) => e instanceof TypeError && message.test(e.message),
      );
    });
  }
});

describe('localAddress', () => {
  // The loopback range is this machine's own: a source address of 127.0.0.2 still only talks to 127.0.0.1.
  test('the charge point connects from the address given, and the station sees it', async (t) => {
    const cs = new CentralSystem({ protocols: ['ocpp1.6'], pingIntervalMs: 0 });
    t.after(() => cs.close());
    const { port } = await cs.listen({ port: 0, host: '127.0.0.1' });
    const connected = new Promise<Station>((resolve) => cs.once('connection', resolve));
    const cp = new ChargePoint({
      url: `ws://127.0.0.1:${port}`,
      identity: 'FROM2',
      protocol: 'ocpp1.6',
      reconnect: false,
      pingIntervalMs: 0,
      localAddress: '127.0.0.2',
    });
    t.after(() => cp.close());
    await cp.connect();
    assert.equal((await connected).remoteAddress, '127.0.0.2');
  });

  test('an address this host does not have fails the connection with NetworkError EADDRNOTAVAIL (no packet leaves)', async (t) => {
    const cs = new CentralSystem({ protocols: ['ocpp1.6'], pingIntervalMs: 0 });
    t.after(() => cs.close());
    const { port } = await cs.listen({ port: 0, host: '127.0.0.1' });
    // 192.0.2.1 is TEST-NET-1 (RFC 5737): never an address of this machine, so bind() fails locally.
    const cp = new ChargePoint({
      url: `ws://127.0.0.1:${port}`,
      identity: 'NOWHERE',
      protocol: 'ocpp1.6',
      reconnect: false,
      pingIntervalMs: 0,
      localAddress: '192.0.2.1',
    });
    t.after(() => cp.close());
    await assert.rejects(cp.connect(), (e: unknown) => e instanceof NetworkError && e.code === 'EADDRNOTAVAIL');
  });
});

describe('webSocket (a factory)', () => {
  test('makes the socket of every connection with the URL, [protocol] and ws options (Authorization included); the ChargePoint speaks over it', async (t) => {
    const cs = new CentralSystem({ protocols: ['ocpp1.6'], pingIntervalMs: 0 });
    t.after(() => cs.close());
    cs.handle('ocpp1.6', 'Heartbeat', () => ({ currentTime: new Date().toISOString() }));
    const { port } = await cs.listen({ port: 0, host: '127.0.0.1' });
    const made: Array<{ url: string; protocols: string[]; authorization: string | undefined; socket: WebSocket }> = [];
    const cp = new ChargePoint({
      url: `ws://127.0.0.1:${port}`,
      identity: 'MADE',
      protocol: 'ocpp1.6',
      password: 'secret-password-16',
      reconnect: false,
      pingIntervalMs: 0,
      webSocket: (url, protocols, options) => {
        const socket = new WebSocket(url, protocols, options);
        made.push({ url, protocols, authorization: options.headers?.Authorization, socket });
        return socket;
      },
    });
    t.after(() => cp.close());
    await cp.connect();
    assert.equal(made.length, 1);
    assert.equal(made[0].url, `ws://127.0.0.1:${port}/MADE`);
    assert.deepEqual(made[0].protocols, ['ocpp1.6']);
    assert.equal(made[0].authorization, `Basic ${btoa('MADE:secret-password-16')}`);
    assert.ok((await cp.call('Heartbeat', {})).currentTime);
  });

  test('what the factory throws fails the connection attempt; a non-socket is refused', async () => {
    const boom = new ChargePoint({
      ...base,
      reconnect: false,
      webSocket: () => {
        throw new Error('no sockets today');
      },
    });
    await assert.rejects(boom.connect(), /no sockets today/);
    const odd = new ChargePoint({ ...base, reconnect: false, webSocket: () => ({}) as never });
    await assert.rejects(odd.connect(), /the factory must return a WebSocket/);
  });
});

/** Bytes a raw server reads from one client while it sends a DataTransfer of 2000 repeated bytes. */
async function bytesForLargeMessage(t: TestContext, compression: boolean | { thresholdBytes?: number }): Promise<number> {
  const wss = new WebSocketServer({ host: '127.0.0.1', port: 0, perMessageDeflate: true, handleProtocols: () => 'ocpp1.6' });
  await new Promise<void>((resolve) => wss.once('listening', () => resolve()));
  t.after(() => new Promise<void>((resolve) => wss.close(() => resolve())));
  let bytes = 0;
  const received = new Promise<void>((resolve) => {
    wss.on('connection', (ws, req) => {
      const start = req.socket.bytesRead;
      ws.on('message', (data) => {
        bytes = req.socket.bytesRead - start;
        const [, id] = JSON.parse((data as Buffer).toString()) as [number, string];
        ws.send(JSON.stringify([3, id, { status: 'Accepted' }]));
        resolve();
      });
    });
  });
  const cp = new ChargePoint({
    url: `ws://127.0.0.1:${(wss.address() as AddressInfo).port}/ocpp`,
    identity: 'CP1',
    protocol: 'ocpp1.6',
    reconnect: false,
    pingIntervalMs: 0,
    compression,
  });
  t.after(() => cp.close());
  await cp.connect();
  await cp.call('DataTransfer', { vendorId: 'v', data: 'a'.repeat(2000) });
  await received;
  await cp.close();
  return bytes;
}

describe('compression on the client', () => {
  test('a 2000-byte message is compressed by default (threshold 1024) and sent as is above a higher threshold or with compression off', async (t) => {
    const byDefault = await bytesForLargeMessage(t, true);
    const aboveThreshold = await bytesForLargeMessage(t, { thresholdBytes: 4096 });
    const off = await bytesForLargeMessage(t, false);
    assert.ok(byDefault < 300, `compressed: ${byDefault} bytes`);
    assert.ok(aboveThreshold > 2000, `not compressed: ${aboveThreshold} bytes`);
    assert.ok(off > 2000, `compression off: ${off} bytes`);
  });
});

describe('handler failures on the client', () => {
  for (const protocol of ['ocpp1.6', 'ocpp2.0.1', 'ocpp2.1'] as const) {
    test(`${protocol}: a handler that throws, or answers with an invalid payload, is logged at warn with identity, action, messageId and error`, async (t) => {
      const cs = new CentralSystem<OcppVersion>({ protocols: [protocol], path: '/ocpp', pingIntervalMs: 0 });
      t.after(() => cs.close());
      const station = new Promise<Station<OcppVersion>>((resolve) => cs.once('connection', (s) => resolve(s as Station<OcppVersion>)));
      const { port } = await cs.listen({ port: 0, host: '127.0.0.1' });
      const records: Array<{ record: Record<string, unknown>; message: string }> = [];
      const cp = new ChargePoint<OcppVersion>({
        url: `ws://127.0.0.1:${port}/ocpp`,
        identity: 'CP-LOG',
        protocol,
        reconnect: false,
        pingIntervalMs: 0,
        logger: { warn: (record, message) => records.push({ record, message }) },
      });
      t.after(() => cp.close());
      cp.handle('ClearCache' as never, () => {
        throw new Error('database is down');
      });
      cp.handle('UnlockConnector' as never, (() => ({ status: 'NoSuchStatus' })) as never);
      await cp.connect();
      const s = (await station) as Station<'ocpp1.6'>;
      await assert.rejects(s.call('ClearCache', {}));
      const unlock = protocol === 'ocpp1.6' ? { connectorId: 1 } : { evseId: 1, connectorId: 1 };
      await assert.rejects((s as unknown as Station<OcppVersion>).call('UnlockConnector' as never, unlock as never));
      const failures = records.filter((r) => r.record.event === 'handler-error');
      assert.equal(failures.length, 2, JSON.stringify(records.map((r) => r.message)));
      const [thrown, invalid] = failures;
      assert.equal(thrown.record.identity, 'CP-LOG');
      assert.equal(thrown.record.action, 'ClearCache');
      assert.equal(typeof thrown.record.messageId, 'string');
      assert.equal((thrown.record.error as Error).message, 'database is down');
      assert.match(thrown.message, /ClearCache/);
      assert.equal(invalid.record.action, 'UnlockConnector');
      assert.equal((invalid.record.error as Error).name, 'ValidationError');
    });
  }

  test('without a logger nothing listens for handlerError', async (t) => {
    const cs = new CentralSystem({ protocols: ['ocpp1.6'], path: '/ocpp', pingIntervalMs: 0 });
    t.after(() => cs.close());
    const { port } = await cs.listen({ port: 0, host: '127.0.0.1' });
    const cp = new ChargePoint({ url: `ws://127.0.0.1:${port}/ocpp`, identity: 'CP1', protocol: 'ocpp1.6', reconnect: false, pingIntervalMs: 0 });
    t.after(() => cp.close());
    await cp.connect();
    const endpoint = (cp as unknown as { endpoint: { listenerCount(name: string): number } }).endpoint;
    assert.equal(endpoint.listenerCount('handlerError'), 0);
  });
});
