/**
 * Every delay the client schedules is capped at 2^31-1 ms (issue 12 item 3). Beyond it Node's
 * timers fire after 1 ms: a central system answering BootNotification Pending with an interval
 * of 2,147,484 s (valid per the schema) or `1e400` (parsed as Infinity) got about 1,900
 * BootNotifications in 3 s. The servers here are raw `ws` servers on 127.0.0.1, so that the
 * answer can carry `1e400` literally.
 */
import assert from 'node:assert/strict';
import type { AddressInfo } from 'node:net';
import { describe, test, type TestContext } from 'node:test';
import { setTimeout as delay } from 'node:timers/promises';
import { WebSocketServer, type WebSocket } from 'ws';
import { ChargePoint, NotConnectedError, backoffDelay, type OcppVersion } from '../../src/index';
import { clampDelayMs, MAX_DELAY_MS } from '../../src/transport/delay';

interface RawServer {
  url: string;
  boots: number;
  sockets: Set<WebSocket>;
}

/** A raw OCPP server that answers every BootNotification with `answer` (JSON text, spliced in as is). */
async function rawServer(t: TestContext, protocol: OcppVersion, answer: string): Promise<RawServer> {
  const wss = new WebSocketServer({ host: '127.0.0.1', port: 0, handleProtocols: (offered) => (offered.has(protocol) ? protocol : false) });
  await new Promise<void>((resolve) => wss.once('listening', () => resolve()));
  const server: RawServer = { url: `ws://127.0.0.1:${(wss.address() as AddressInfo).port}/ocpp`, boots: 0, sockets: new Set() };
  wss.on('connection', (ws) => {
    server.sockets.add(ws);
    ws.on('message', (data: Buffer) => {
      const frame = JSON.parse(data.toString()) as [number, string, string];
      if (frame[0] !== 2 || frame[2] !== 'BootNotification') return;
      server.boots++;
      ws.send(`[3,${JSON.stringify(frame[1])},${answer}]`);
    });
  });
  t.after(async () => {
    for (const ws of server.sockets) ws.terminate();
    await new Promise<void>((resolve) => wss.close(() => resolve()));
  });
  return server;
}

const BOOT16 = { chargePointVendor: 'V', chargePointModel: 'M' };
const BOOT201 = { reason: 'PowerUp', chargingStation: { model: 'M', vendorName: 'V' } } as const;

describe('clampDelayMs', () => {
  test('keeps delays a timer honours, caps larger ones and Infinity at 2^31-1, and turns negative or NaN into 0', () => {
    assert.equal(MAX_DELAY_MS, 2 ** 31 - 1);
    assert.equal(clampDelayMs(0), 0);
    assert.equal(clampDelayMs(1500), 1500);
    assert.equal(clampDelayMs(MAX_DELAY_MS), MAX_DELAY_MS);
    assert.equal(clampDelayMs(MAX_DELAY_MS + 1), MAX_DELAY_MS);
    assert.equal(clampDelayMs(2_147_484 * 1000), MAX_DELAY_MS);
    assert.equal(clampDelayMs(Infinity), MAX_DELAY_MS);
    assert.equal(clampDelayMs(-5), 0);
    assert.equal(clampDelayMs(-Infinity), 0);
    assert.equal(clampDelayMs(NaN), 0);
  });

  test('backoffDelay with huge settings stays at 2^31-1 ms', () => {
    const huge = { waitMinimumMs: 1e300, randomRangeMs: 1e300, repeatTimes: 5 };
    for (const attempt of [0, 1, 5, 50])
      assert.equal(
        backoffDelay(huge, attempt, () => 0.5),
        MAX_DELAY_MS,
      );
    const doubling = { waitMinimumMs: 2 ** 30, randomRangeMs: 0, repeatTimes: 3 };
    assert.deepEqual(
      [0, 1, 2].map((a) => backoffDelay(doubling, a, () => 0)),
      [2 ** 30, MAX_DELAY_MS, MAX_DELAY_MS],
    );
  });
});

describe('boot() against intervals a timer cannot hold', () => {
  const cases: Array<{ protocol: OcppVersion; interval: string }> = [
    { protocol: 'ocpp1.6', interval: '2147484' },
    { protocol: 'ocpp1.6', interval: '1e400' },
    { protocol: 'ocpp2.0.1', interval: '2147484' },
    { protocol: 'ocpp2.0.1', interval: '1e400' },
  ];
  for (const { protocol, interval } of cases) {
    test(`${protocol}: Pending with interval ${interval} gets one BootNotification in 600 ms, not a storm`, async (t) => {
      const server = await rawServer(t, protocol, `{"status":"Pending","currentTime":"2026-01-01T00:00:00Z","interval":${interval}}`);
      const cp = new ChargePoint({ url: server.url, identity: 'CP1', protocol, reconnect: false, pingIntervalMs: 0 });
      t.after(() => cp.close());
      await cp.connect();
      const booting = cp.boot(protocol === 'ocpp1.6' ? BOOT16 : BOOT201);
      // Validation may refuse Infinity (issue 12 item 5); what must never happen is a resend storm.
      const outcome = booting.then(
        () => 'resolved',
        (error: unknown) => error,
      );
      await delay(600);
      assert.equal(server.boots, 1, `BootNotifications sent: ${server.boots}`);
      await cp.close();
      const settled = await outcome;
      assert.ok(
        settled instanceof NotConnectedError || (settled instanceof Error && settled.name === 'ValidationError'),
        `boot() ended with ${String(settled)}`,
      );
      assert.equal(server.boots, 1);
    });
  }

  test('Rejected with interval 0 waits retryIntervalMs (capped), not 1 ms', async (t) => {
    const server = await rawServer(t, 'ocpp1.6', '{"status":"Rejected","currentTime":"2026-01-01T00:00:00Z","interval":0}');
    const cp = new ChargePoint({ url: server.url, identity: 'CP1', protocol: 'ocpp1.6', reconnect: false, pingIntervalMs: 0 });
    t.after(() => cp.close());
    await cp.connect();
    const outcome = cp.boot(BOOT16, { retryIntervalMs: Number.MAX_SAFE_INTEGER }).catch((error: unknown) => error);
    await delay(300);
    assert.equal(server.boots, 1);
    await cp.close();
    assert.ok((await outcome) instanceof NotConnectedError);
  });
});

describe('reconnect back-off with huge settings', () => {
  test('the wait after a lost connection is capped at 2^31-1 ms and no attempt follows at once', async (t) => {
    const server = await rawServer(t, 'ocpp1.6', '{}');
    const cp = new ChargePoint({
      url: server.url,
      identity: 'CP1',
      protocol: 'ocpp1.6',
      pingIntervalMs: 0,
      reconnect: { waitMinimumMs: 1e300, randomRangeMs: 0, repeatTimes: 5 },
    });
    t.after(() => cp.close());
    const scheduled: number[] = [];
    cp.on('reconnecting', (e) => scheduled.push(e.delayMs));
    let opens = 0;
    cp.on('open', () => opens++);
    await cp.connect();
    for (const ws of server.sockets) ws.terminate();
    await delay(300);
    assert.deepEqual(scheduled, [MAX_DELAY_MS]);
    assert.equal(cp.state, 'reconnecting');
    assert.equal(opens, 1, 'no reconnect within 300 ms');
  });
});
