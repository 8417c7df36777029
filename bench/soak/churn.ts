/**
 * Soak: churn and leaks. A CentralSystem (1.6 and 2.0.1) and, over loopback:
 *
 * 1. 20,000 connect / BootNotification / close cycles of ChargePoints (25 at a time, both
 *    versions), with a check that the server forgets each one (registry and internal state);
 * 2. 100,000 calls with timeouts over 100 connected ChargePoints, half from the server, half
 *    from the stations: a third answered, a third answered after the caller's timeout (a late
 *    answer, dropped), a third refused with a CALLERROR; every call must settle exactly once.
 *
 * Then everything is closed, and the heap after GC must be within 10% of its start, with no
 * timer, socket or process listener left over (process.getActiveResourcesInfo()).
 *
 *   node --expose-gc --import tsx bench/soak/churn.ts [--cycles 20000] [--calls 100000]
 */
import { CentralSystem, ChargePoint, createRpcError, RpcError, TimeoutError, type AnyStation, type OcppVersion } from '../../src/index';
import { activeResources, mb, Report, settledHeap } from './common';

function arg(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
}

const CYCLES = arg('cycles', 20_000);
const CALLS = arg('calls', 100_000);
const STATIONS = 100;
const PARALLEL = 25;
const TIMEOUT_MS = 50;
const LATE_MS = 80;
const now = (): string => new Date().toISOString();

function server(): CentralSystem {
  const cs = new CentralSystem({ pingIntervalMs: 0, compression: false });
  cs.handle('ocpp1.6', 'BootNotification', () => ({ status: 'Accepted', currentTime: now(), interval: 300 }));
  cs.handle('ocpp2.0.1', 'BootNotification', () => ({ status: 'Accepted', currentTime: now(), interval: 300 }));
  let n = 0;
  const heartbeat = (): unknown => {
    const mode = n++ % 3;
    if (mode === 0) return { currentTime: now() };
    if (mode === 1) return new Promise((resolve) => setTimeout(() => resolve({ currentTime: now() }), LATE_MS));
    throw createRpcError('GenericError', { description: 'refused on purpose' });
  };
  cs.handle('ocpp1.6', 'Heartbeat', heartbeat as never);
  cs.handle('ocpp2.0.1', 'Heartbeat', heartbeat as never);
  return cs;
}

function chargePoint(url: string, identity: string, protocol: OcppVersion): ChargePoint {
  const cp = new ChargePoint({ url, identity, protocol, pingIntervalMs: 0, reconnect: false, compression: false });
  let n = 0;
  cp.handle('ClearCache', (() => {
    const mode = n++ % 3;
    if (mode === 0) return { status: 'Accepted' };
    if (mode === 1) return new Promise((resolve) => setTimeout(() => resolve({ status: 'Accepted' }), LATE_MS));
    throw createRpcError('GenericError', { description: 'refused on purpose' });
  }) as never);
  return cp;
}

async function boot(cp: ChargePoint): Promise<void> {
  if (cp.protocol === 'ocpp1.6') {
    await (cp as ChargePoint<'ocpp1.6'>).call('BootNotification', { chargePointVendor: 'V', chargePointModel: 'M' });
  } else {
    await (cp as ChargePoint<'ocpp2.0.1'>).call('BootNotification', { chargingStation: { model: 'M', vendorName: 'V' }, reason: 'PowerUp' });
  }
}

/** Connect/boot/close cycles, `PARALLEL` at a time. */
async function cycles(url: string, count: number, prefix: string): Promise<number> {
  let next = 0;
  let failures = 0;
  const worker = async (): Promise<void> => {
    while (next < count) {
      const i = next++;
      const cp = chargePoint(url, `${prefix}-${i}`, i % 2 === 0 ? 'ocpp1.6' : 'ocpp2.0.1');
      try {
        await cp.connect();
        await boot(cp);
      } catch (error) {
        failures++;
        if (failures <= 3) console.error(`cycle ${i}:`, error);
      } finally {
        await cp.close();
      }
    }
  };
  await Promise.all(Array.from({ length: PARALLEL }, worker));
  return failures;
}

interface Tally {
  answered: number;
  timedOut: number;
  refused: number;
  other: number;
  settledTwice: number;
}

/** `count` calls over `cps` and their stations, each waiting for the one before on its connection. */
async function calls(cs: CentralSystem, cps: ChargePoint[], count: number): Promise<Tally> {
  const tally: Tally = { answered: 0, timedOut: 0, refused: 0, other: 0, settledTwice: 0 };
  const track = (p: Promise<unknown>): Promise<void> => {
    let settled = false;
    const once = (kind: keyof Tally) => {
      if (settled) tally.settledTwice++;
      settled = true;
      tally[kind]++;
    };
    return p.then(
      () => once('answered'),
      (error: unknown) => once(error instanceof TimeoutError ? 'timedOut' : error instanceof RpcError ? 'refused' : 'other'),
    );
  };
  const perLane = Math.ceil(count / (2 * cps.length));
  const lanes: Array<Promise<void>> = [];
  for (const cp of cps) {
    const station = cs.stations.get(cp.identity) as AnyStation;
    lanes.push(
      (async () => {
        for (let i = 0; i < perLane; i++) await track((cp as ChargePoint<'ocpp1.6'>).call('Heartbeat', {}, { timeoutMs: TIMEOUT_MS }));
      })(),
      (async () => {
        for (let i = 0; i < perLane; i++) await track((station as AnyStation<'ocpp1.6'>).call('ClearCache', {}, { timeoutMs: TIMEOUT_MS }));
      })(),
    );
  }
  await Promise.all(lanes);
  return tally;
}

async function main(): Promise<void> {
  const report = new Report('churn');
  const listenersBefore = ['uncaughtException', 'unhandledRejection', 'exit', 'warning'].map((e) => process.listenerCount(e));

  // Warm-up: the same work, smaller, so that what is built once (validators, optimised code) is in
  // the baseline: a soak measures growth with the work, not the first-time costs.
  {
    const cs = server();
    const { port } = await cs.listen({ port: 0, host: '127.0.0.1' });
    const url = `ws://127.0.0.1:${port}`;
    await cycles(url, 2000, 'warm');
    const cps = Array.from({ length: STATIONS }, (_, i) => chargePoint(url, `warm-call-${i}`, i % 2 === 0 ? 'ocpp1.6' : 'ocpp2.0.1'));
    await Promise.all(cps.map((cp) => cp.connect()));
    await calls(cs, cps, 10_000);
    await Promise.all(cps.map((cp) => cp.close()));
    await cs.close();
  }
  await new Promise((r) => setTimeout(r, LATE_MS * 2));
  const heapStart = await settledHeap();
  const resourcesStart = activeResources();
  report.note('heapStart', mb(heapStart));
  report.note('resourcesStart', resourcesStart);

  const cs = server();
  const { port } = await cs.listen({ port: 0, host: '127.0.0.1' });
  const url = `ws://127.0.0.1:${port}`;

  // 1. Connect / boot / close churn.
  let started = Date.now();
  const failures = await cycles(url, CYCLES, 'churn');
  const cycleSeconds = (Date.now() - started) / 1000;
  report.note('cycles', CYCLES);
  report.note('cycleSeconds', Number(cycleSeconds.toFixed(1)));
  report.note('cyclesPerSecond', Math.round(CYCLES / cycleSeconds));
  report.check('every cycle connected, booted and closed', failures === 0, `${failures} failures`);
  const deadline = Date.now() + 5000;
  while (cs.stations.size > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
  const live = (cs as unknown as { live: Map<unknown, unknown> }).live.size;
  report.check('the server forgot every station', cs.stations.size === 0 && live === 0, `registry ${cs.stations.size}, live ${live}`);
  const heapAfterCycles = await settledHeap();
  report.note('heapAfterCycles', mb(heapAfterCycles));

  // 2. Calls with timeouts.
  const cps = Array.from({ length: STATIONS }, (_, i) => chargePoint(url, `calls-${i}`, i % 2 === 0 ? 'ocpp1.6' : 'ocpp2.0.1'));
  await Promise.all(cps.map((cp) => cp.connect()));
  started = Date.now();
  const tally = await calls(cs, cps, CALLS);
  const callSeconds = (Date.now() - started) / 1000;
  const total = tally.answered + tally.timedOut + tally.refused + tally.other;
  report.note('calls', tally);
  report.note('callSeconds', Number(callSeconds.toFixed(1)));
  report.check(
    'every call settled exactly once',
    total >= CALLS && tally.settledTwice === 0 && tally.other === 0,
    `${total} settled, ${tally.settledTwice} twice, ${tally.other} unexpected`,
  );
  // Each third of the mix is exercised (answers meant to be in time can still time out under load).
  report.check(
    'answers, timeouts and CALLERRORs all exercised',
    [tally.answered, tally.timedOut, tally.refused].every((n) => n >= total * 0.25),
    `${tally.answered} / ${tally.timedOut} / ${tally.refused}`,
  );
  const pending = [...cs.stations].reduce((sum, s) => sum + s.pendingCalls + s.queuedCalls, 0);
  report.check('no call left pending', pending === 0, `${pending} pending or queued on the server`);

  // Close everything; late answers still in flight land on closed connections.
  await Promise.all(cps.map((cp) => cp.close()));
  await cs.close();
  // Drop this script's own references, or the closed ChargePoints it still holds count as growth.
  cps.length = 0;
  await new Promise((r) => setTimeout(r, LATE_MS * 2));
  const heapEnd = await settledHeap();
  const resourcesEnd = activeResources();
  report.note('heapEnd', mb(heapEnd));
  report.note('resourcesEnd', resourcesEnd);
  const growth = (heapEnd - heapStart) / heapStart;
  report.check('heap after GC within 10% of its start', growth <= 0.1, `${mb(heapStart)} -> ${mb(heapEnd)} (${(growth * 100).toFixed(1)}%)`);
  const leftover = Object.entries(resourcesEnd).filter(([kind, n]) => n > (resourcesStart[kind] ?? 0));
  report.check('no timer, socket or server left', leftover.length === 0, leftover.length === 0 ? JSON.stringify(resourcesEnd) : JSON.stringify(leftover));
  const listenersAfter = ['uncaughtException', 'unhandledRejection', 'exit', 'warning'].map((e) => process.listenerCount(e));
  report.check(
    'no process listener left',
    listenersAfter.every((n, i) => n <= listenersBefore[i]),
    `${listenersBefore.join(',')} -> ${listenersAfter.join(',')}`,
  );
  report.finish();
}

main().catch((error: unknown) => {
  console.error(error);
  // Whatever is still open would keep the process alive.
  process.exit(1);
});
