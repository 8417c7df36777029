/**
 * Reliability: a server restart under many ChargePoints (issue 7), CI-sized. The soak version
 * with 1,000 ChargePoints over several processes is bench/soak/restart.ts (`npm run soak`).
 *
 * Every ChargePoint must come back on its own with the back-off, exactly once (one registered
 * connection per identity), and be usable at once; the transaction message each one made while
 * the server was down must arrive exactly once.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { CentralSystem, ChargePoint } from '../../src/index';
import { until, withTimeout } from './support';

const COUNT = 50;
const now = (): string => new Date().toISOString();

async function serve(port: number, log: Map<string, number>): Promise<CentralSystem<'ocpp1.6'>> {
  const cs = new CentralSystem({ protocols: ['ocpp1.6'], pingIntervalMs: 0 });
  cs.handle('ocpp1.6', 'Heartbeat', () => ({ currentTime: now() }));
  cs.handle('ocpp1.6', 'StopTransaction', (_req, ctx) => {
    log.set(ctx.station.identity, (log.get(ctx.station.identity) ?? 0) + 1);
    return {};
  });
  await cs.listen({ port, host: '127.0.0.1' });
  return cs;
}

test(`server restart: ${COUNT} ChargePoints reconnect with the back-off, once each, and what they queued meanwhile arrives once`, async (t) => {
  const delivered = new Map<string, number>();
  let cs = await serve(0, delivered);
  const port = cs.port!;
  const cps = Array.from(
    { length: COUNT },
    (_, i) =>
      new ChargePoint({
        url: `ws://127.0.0.1:${port}`,
        identity: `RS-${i}`,
        protocol: 'ocpp1.6',
        pingIntervalMs: 0,
        reconnect: { waitMinimumMs: 100, randomRangeMs: 400, repeatTimes: 3 },
      }),
  );
  t.after(async () => {
    await Promise.all(cps.map((cp) => cp.close()));
    await cs.close();
  });
  await Promise.all(cps.map((cp) => cp.connect()));
  assert.equal(cs.stations.size, COUNT);

  await cs.close();
  await until(() => cps.every((cp) => cp.state === 'reconnecting'), 3000);
  // Each makes a transaction message while offline: it waits in its queue.
  const queued = cps.map((cp) => cp.call('StopTransaction', { transactionId: 1, meterStop: 10, timestamp: now() }));

  const restartedAt = Date.now();
  cs = await serve(port, delivered);
  const connectTimes: number[] = [];
  cs.on('connection', () => connectTimes.push(Date.now() - restartedAt));
  await withTimeout(Promise.all(queued), 10_000, 'queued messages not delivered after the restart');
  await until(() => cps.every((cp) => cp.state === 'open'), 5000);
  const allBackMs = Math.max(...connectTimes);

  assert.equal(cs.stations.size, COUNT, 'one registered connection per identity');
  assert.equal(connectTimes.length, COUNT, 'each reconnected exactly once');
  assert.deepEqual([...delivered.values()], Array(COUNT).fill(1), 'each queued message arrived once');
  const heartbeats = await Promise.all(cps.map((cp) => cp.call('Heartbeat', {})));
  assert.equal(heartbeats.length, COUNT);
  const perWindow = new Map<number, number>();
  for (const ms of connectTimes) perWindow.set(Math.floor(ms / 100), (perWindow.get(Math.floor(ms / 100)) ?? 0) + 1);
  t.diagnostic(`all ${COUNT} back ${allBackMs} ms after the restart; peak ${Math.max(...perWindow.values())} connects per 100 ms`);
  // The back-off spreads the reconnects: 100 ms minimum plus up to 400 ms random, not all at once.
  assert.ok(Math.min(...connectTimes) >= 0);
  assert.ok(Math.max(...perWindow.values()) < COUNT, 'reconnects are spread over time');
});
