/**
 * Reliability: the transport limits, through a real CentralSystem and ChargePoint on loopback
 * (issue 7, checklist item 58): `maxPayloadBytes` (close 1009, both sides), `maxBufferedBytes`
 * (a peer that stops reading is dropped at once, both sides) and `handshakeTimeoutMs` (both
 * sides; on the server it also bounds idle and slow-header sockets).
 */
import assert from 'node:assert/strict';
import { connect, createServer, type Socket } from 'node:net';
import { describe, test } from 'node:test';
import { ChargePoint, ConnectionClosedError, NotConnectedError, type AnyStation } from '../../src/index';
import { closeAll, nextClose, openRaw, rawServer, startServer, until, withTimeout } from './support';

describe('maxPayloadBytes: 1009 on oversize messages', () => {
  test('server: a message of maxPayloadBytes is served; one byte more closes that station with 1009, and only it', async (t) => {
    const { cs, port } = await startServer({ maxPayloadBytes: 1024, compression: false });
    t.after(() => closeAll(cs));
    cs.handle('ocpp1.6', 'DataTransfer', () => ({ status: 'Accepted' }));
    const disconnects: Array<{ identity: string; code: number }> = [];
    cs.on('disconnect', (e) => disconnects.push({ identity: e.station.identity, code: e.code }));
    const errors: Array<{ identity?: string; code?: unknown }> = [];
    cs.on('error', (e) => errors.push({ identity: e.identity, code: (e.error as { code?: unknown }).code }));
    const other = await openRaw(port, 'OTHER', 'ocpp1.6');
    const big = await openRaw(port, 'BIG', 'ocpp1.6');
    const frame = (id: string, size: number): string => {
      const head = `[2,"${id}","DataTransfer",{"vendorId":"v","data":"`;
      const tail = '"}]';
      return head + 'x'.repeat(size - head.length - tail.length) + tail;
    };
    assert.equal(Buffer.byteLength(frame('fits', 1024)), 1024);
    assert.deepEqual((await big.call(frame('fits', 1024))).slice(0, 2), [3, 'fits']);
    const closed = nextClose(big.ws);
    big.ws.send(frame('over', 1025));
    assert.equal((await withTimeout(closed, 3000, 'no close after an oversize message')).code, 1009);
    await until(() => disconnects.length === 1);
    assert.deepEqual(disconnects, [{ identity: 'BIG', code: 1009 }]);
    // The peer's fault, seen in its disconnect (1009): not an error of the central system (issue 12 item 6).
    assert.deepEqual(errors, []);
    assert.equal(
      big.received.some((f) => f[1] === 'over'),
      false,
      'the oversize message was never handled',
    );
    assert.deepEqual((await other.call(frame('other', 1000))).slice(0, 2), [3, 'other']);
  });

  test('client: a ChargePoint receiving more than its maxPayloadBytes closes with 1009 (and reconnects)', async (t) => {
    const server = await rawServer('ocpp2.0.1');
    t.after(() => server.close());
    const cp = new ChargePoint({
      url: server.url,
      identity: 'CP-1009',
      protocol: 'ocpp2.0.1',
      maxPayloadBytes: 2048,
      compression: false,
      pingIntervalMs: 0,
      reconnect: { waitMinimumMs: 20, randomRangeMs: 1, repeatTimes: 1 },
    });
    t.after(() => cp.close());
    cp.handle('DataTransfer', () => ({ status: 'Accepted' }));
    const disconnects: number[] = [];
    cp.on('disconnect', (e) => disconnects.push(e.code));
    await cp.connect();
    const ws = await server.nextSocket();
    const answers: string[] = [];
    ws.on('message', (d: Buffer) => answers.push(d.toString()));
    ws.send(`[2,"small","DataTransfer",{"vendorId":"v","data":"${'y'.repeat(1900)}"}]`);
    await until(() => answers.length === 1);
    assert.match(answers[0], /^\[3,"small",/);
    const closed = nextClose(ws);
    ws.send(`[2,"large","DataTransfer",{"vendorId":"v","data":"${'y'.repeat(2100)}"}]`);
    assert.equal((await withTimeout(closed, 3000, 'the ChargePoint did not close')).code, 1009);
    await until(() => disconnects.length === 1);
    assert.deepEqual(disconnects, [1009]);
    assert.equal(answers.length, 1);
    await withTimeout(server.nextSocket(), 3000, 'no reconnect after 1009');
  });
});

describe('maxBufferedBytes: a peer that stops reading is dropped at once', () => {
  test('server: a station that stops reading is disconnected 1008 as soon as the buffer passes the limit; its calls reject at once', async (t) => {
    const { cs, port } = await startServer({ maxBufferedBytes: 256 * 1024, callConcurrency: 1000, compression: false });
    t.after(() => closeAll(cs));
    const connected = new Promise<AnyStation>((resolve) => cs.once('connection', resolve));
    const raw = await openRaw(port, 'SLOW', 'ocpp1.6');
    const station = await connected;
    assert.ok(station.protocol === 'ocpp1.6');
    (raw.ws as unknown as { _socket: Socket })._socket.pause();
    const started = Date.now();
    const data = 'z'.repeat(200_000);
    const outcomes = await Promise.all(
      Array.from({ length: 100 }, () =>
        station.call('DataTransfer', { vendorId: 'v', data }, { timeoutMs: 30_000 }).then(
          () => 'answered',
          (e: unknown) => e,
        ),
      ),
    );
    const elapsed = Date.now() - started;
    assert.ok(elapsed < 2000, `the calls settled after ${elapsed} ms, not at a timeout or after a closing handshake`);
    assert.ok(
      outcomes.every((e) => e instanceof ConnectionClosedError && e.code === 1008),
      'every call rejected with the close',
    );
    assert.equal((outcomes[0] as ConnectionClosedError).reason, 'send buffer limit exceeded: peer is not reading');
    assert.equal(cs.stations.has('SLOW'), false);
  });

  test('client: a ChargePoint whose central system stops reading drops the connection 1008', async (t) => {
    const server = await rawServer('ocpp1.6');
    t.after(() => server.close());
    const cp = new ChargePoint({
      url: server.url,
      identity: 'CP-SLOW',
      protocol: 'ocpp1.6',
      maxBufferedBytes: 256 * 1024,
      callConcurrency: 100,
      compression: false,
      pingIntervalMs: 0,
      reconnect: false,
    });
    t.after(() => cp.close());
    await cp.connect();
    const ws = await server.nextSocket();
    (ws as unknown as { _socket: Socket })._socket.pause();
    const disconnected = new Promise<{ code: number; reason: string }>((resolve) => cp.once('disconnect', resolve));
    const data = 'q'.repeat(200_000);
    const outcomes = await Promise.all(
      Array.from({ length: 100 }, () =>
        cp.call('DataTransfer', { vendorId: 'v', data }, { timeoutMs: 30_000 }).then(
          () => 'answered',
          (e: unknown) => e,
        ),
      ),
    );
    // Calls sent before the drop reject with its close; calls made after it find no connection.
    assert.ok(outcomes[0] instanceof ConnectionClosedError && outcomes[0].code === 1008, String(outcomes[0]));
    assert.ok(outcomes.every((e) => (e instanceof ConnectionClosedError && e.code === 1008) || e instanceof NotConnectedError));
    const { code, reason } = await withTimeout(disconnected, 1000, 'no disconnect');
    assert.equal(code, 1008);
    assert.equal(reason, 'send buffer limit exceeded: peer is not reading');
  });
});

describe('keepalive (checklist item 42)', () => {
  test('client: a ChargePoint whose central system stops answering pings drops the connection after pongTimeoutMs, rejects its pending call and reconnects', async (t) => {
    const server = await rawServer('ocpp2.0.1', { autoPong: false });
    t.after(() => server.close());
    const cp = new ChargePoint({
      url: server.url,
      identity: 'CP-PONG',
      protocol: 'ocpp2.0.1',
      pingIntervalMs: 100,
      pongTimeoutMs: 100,
      reconnect: { waitMinimumMs: 20, randomRangeMs: 1, repeatTimes: 1 },
    });
    t.after(() => cp.close());
    await cp.connect();
    await server.nextSocket(); // it never answers, neither the pings nor the call
    const disconnected = new Promise<{ code: number }>((resolve) => cp.once('disconnect', resolve));
    const started = Date.now();
    const pending = cp.call('Heartbeat', {}, { timeoutMs: 30_000 }).catch((e: unknown) => e);
    const { code } = await withTimeout(disconnected, 2000, 'no disconnect without pongs');
    const ms = Date.now() - started;
    assert.equal(code, 1006, 'the connection is dropped, not closed politely');
    assert.ok(ms >= 150 && ms < 1000, `dropped after ${ms} ms (ping at 100 ms, pong due 100 ms later)`);
    assert.ok((await pending) instanceof ConnectionClosedError);
    await withTimeout(server.nextSocket(), 2000, 'no reconnect');
  });
});

describe('handshakeTimeoutMs', () => {
  test('server: idle sockets and sockets that never finish their headers are answered 408 and closed after about handshakeTimeoutMs', async (t) => {
    const { cs, port } = await startServer({ handshakeTimeoutMs: 300 });
    t.after(() => closeAll(cs));
    const started = Date.now();
    const sockets = [connect(port, '127.0.0.1'), connect(port, '127.0.0.1')];
    sockets[1].once('connect', () => sockets[1].write('GET /CP HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\n'));
    const results = await Promise.all(
      sockets.map(
        (socket) =>
          new Promise<{ data: string; ms: number }>((resolve) => {
            let data = '';
            socket.on('data', (d) => (data += d.toString()));
            socket.on('error', () => {});
            socket.once('close', () => resolve({ data, ms: Date.now() - started }));
          }),
      ),
    );
    for (const r of results) {
      assert.match(r.data, /^HTTP\/1\.1 408/);
      assert.ok(r.ms < 2500, `closed after ${r.ms} ms (Node's default would be 60 s)`);
    }
  });

  test('server: an established connection is not affected by the short handshake timeout', async (t) => {
    const { cs, port } = await startServer({ handshakeTimeoutMs: 200 });
    t.after(() => closeAll(cs));
    cs.handle('ocpp1.6', 'Heartbeat', () => ({ currentTime: new Date().toISOString() }));
    const raw = await openRaw(port, 'STAYS', 'ocpp1.6');
    await new Promise((r) => setTimeout(r, 1500));
    assert.deepEqual((await raw.call('[2,"late","Heartbeat",{}]')).slice(0, 2), [3, 'late']);
  });

  test('client: connect() rejects after handshakeTimeoutMs when the server accepts TCP but never answers', async (t) => {
    const held = new Set<Socket>();
    const mute = createServer((socket) => {
      held.add(socket);
      socket.on('error', () => {});
    });
    await new Promise<void>((resolve) => mute.listen(0, '127.0.0.1', resolve));
    t.after(() => {
      for (const s of held) s.destroy();
      mute.close();
    });
    const port = (mute.address() as { port: number }).port;
    const cp = new ChargePoint({
      url: `ws://127.0.0.1:${port}`,
      identity: 'CP-HS',
      protocol: 'ocpp1.6',
      handshakeTimeoutMs: 300,
      reconnect: false,
      pingIntervalMs: 0,
    });
    const started = Date.now();
    await assert.rejects(cp.connect(), /timed out|handshake|closed/i);
    const elapsed = Date.now() - started;
    assert.ok(elapsed >= 250 && elapsed < 2000, `rejected after ${elapsed} ms`);
    await cp.close();
  });
});
