/**
 * Soak: a server restart under 1,000 ChargePoints, spread over worker processes (half OCPP 1.6,
 * half 2.0.1). The server is closed (1001 to every station) and a new one listens on the same
 * port at once, as a process restart would. Reports the time until all are back, the peak
 * connects per 100 ms (the back-off's spreading of the storm) and checks that each identity came
 * back exactly once and answers a Heartbeat round afterwards.
 *
 *   node --expose-gc --import tsx bench/soak/restart.ts [--clients 1000] [--procs 4] [--fast]
 *
 * `--fast` uses a 100 ms + 400 ms back-off instead of the OCPP default (3 s + up to 2 s). Each
 * ChargePoint is one socket on each side: raise `ulimit -n` above 2 x clients + 100 if needed.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { CentralSystem, ChargePoint, DEFAULT_BACKOFF, type OcppVersion } from '../../src/index';
import { Report } from './common';

type ToWorker = { cmd: 'heartbeat' } | { cmd: 'close' };
type FromWorker = { kind: 'connected'; count: number; errors: number } | { kind: 'heartbeats'; ok: number; errors: number; reconnects: number };

function arg(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
}

const now = (): string => new Date().toISOString();

// ------------------------------------------------------------------ worker: a share of the ChargePoints

async function worker(port: number, first: number, count: number, fast: boolean): Promise<void> {
  const reconnect = fast ? { waitMinimumMs: 100, randomRangeMs: 400, repeatTimes: 3 } : DEFAULT_BACKOFF;
  const cps: ChargePoint[] = [];
  let reconnects = 0;
  for (let i = first; i < first + count; i++) {
    const protocol: OcppVersion = i % 2 === 0 ? 'ocpp1.6' : 'ocpp2.0.1';
    const cp = new ChargePoint({ url: `ws://127.0.0.1:${port}`, identity: `R-${i}`, protocol, pingIntervalMs: 0, reconnect, compression: false });
    cp.on('open', (e) => {
      if (e.reconnect) reconnects++;
    });
    cps.push(cp);
  }
  let errors = 0;
  // Connect in slices, so that the first connect is not itself a storm.
  for (let i = 0; i < cps.length; i += 50) {
    await Promise.all(cps.slice(i, i + 50).map((cp) => cp.connect().catch(() => errors++)));
  }
  const send = (m: FromWorker): void => void process.send!(m);
  send({ kind: 'connected', count: cps.length - errors, errors });
  process.on('message', (m: ToWorker) => void onMessage(m));
  async function onMessage(m: ToWorker): Promise<void> {
    if (m.cmd === 'heartbeat') {
      let ok = 0;
      let failed = 0;
      await Promise.all(
        cps.map((cp) =>
          (cp as ChargePoint<'ocpp1.6'>).call('Heartbeat', {}).then(
            () => ok++,
            () => failed++,
          ),
        ),
      );
      send({ kind: 'heartbeats', ok, errors: failed, reconnects });
    } else {
      await Promise.all(cps.map((cp) => cp.close()));
      process.exit(0);
    }
  }
}

// ------------------------------------------------------------------ main: the server

function server(port: number): Promise<CentralSystem> {
  const cs = new CentralSystem({ pingIntervalMs: 0, compression: false });
  cs.handle('ocpp1.6', 'Heartbeat', () => ({ currentTime: now() }));
  cs.handle('ocpp2.0.1', 'Heartbeat', () => ({ currentTime: now() }));
  return cs.listen({ port, host: '127.0.0.1' }).then(() => cs);
}

function waitFor(predicate: () => boolean, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  return new Promise((resolve) => {
    const tick = (): void => {
      if (predicate()) resolve(true);
      else if (Date.now() > deadline) resolve(false);
      else setTimeout(tick, 5);
    };
    tick();
  });
}

async function main(): Promise<void> {
  const clients = arg('clients', 1000);
  const procs = arg('procs', 4);
  const fast = process.argv.includes('--fast');
  const report = new Report('restart');
  report.note('clients', clients);
  report.note('processes', procs);
  report.note('backoff', fast ? '100 ms + rand(400 ms)' : '3 s + rand(2 s) (OCPP default)');

  let cs = await server(0);
  const port = cs.port!;
  const workers: ChildProcess[] = [];
  const connected: number[] = [];
  const heartbeats: Array<{ ok: number; errors: number; reconnects: number }> = [];
  const started = Date.now();
  const per = Math.ceil(clients / procs);
  for (let w = 0; w < procs; w++) {
    const first = w * per;
    const count = Math.min(per, clients - first);
    if (count <= 0) break;
    const child = fork(__filename, ['--worker', String(port), String(first), String(count), fast ? 'fast' : 'default'], {
      execArgv: ['--import', 'tsx'],
    });
    child.on('message', (m: FromWorker) => {
      if (m.kind === 'connected') connected.push(m.count);
      else heartbeats.push(m);
    });
    workers.push(child);
  }
  const ready = await waitFor(() => connected.length === workers.length && cs.stations.size === clients, 120_000);
  report.check('all connected', ready, `${cs.stations.size}/${clients} in ${Date.now() - started} ms`);

  // The restart.
  const connects: number[] = [];
  const perIdentity = new Map<string, number>();
  const closeStarted = Date.now();
  await cs.close();
  const closeMs = Date.now() - closeStarted;
  cs = await server(port);
  const restartedAt = Date.now();
  cs.on('connection', (station) => {
    connects.push(Date.now() - restartedAt);
    perIdentity.set(station.identity, (perIdentity.get(station.identity) ?? 0) + 1);
  });
  const back = await waitFor(() => cs.stations.size === clients, 120_000);
  const allBackMs = connects.length > 0 ? Math.max(...connects) : NaN;
  report.note('closeMs', closeMs);
  report.check('all reconnected', back, `${cs.stations.size}/${clients}, the last ${allBackMs} ms after the new server listened`);
  const windows = new Map<number, number>();
  for (const ms of connects) windows.set(Math.floor(ms / 100), (windows.get(Math.floor(ms / 100)) ?? 0) + 1);
  const peak = Math.max(0, ...windows.values());
  report.note('allBackMs', allBackMs);
  report.note('firstBackMs', connects.length > 0 ? Math.min(...connects) : NaN);
  report.note('peakConnectsPer100ms', peak);
  const twice = [...perIdentity.values()].filter((n) => n > 1).length;
  report.check(
    'each identity reconnected exactly once',
    perIdentity.size === clients && twice === 0,
    `${perIdentity.size} identities, ${twice} more than once`,
  );

  for (const w of workers) w.send({ cmd: 'heartbeat' } satisfies ToWorker);
  await waitFor(() => heartbeats.length === workers.length, 60_000);
  const ok = heartbeats.reduce((s, h) => s + h.ok, 0);
  report.check('every ChargePoint answers a Heartbeat after the restart', ok === clients, `${ok}/${clients}`);
  const reopened = heartbeats.reduce((s, h) => s + h.reconnects, 0);
  report.check('every ChargePoint saw exactly one reconnect', reopened === clients, `${reopened} 'open' events with reconnect: true`);

  await Promise.all(
    workers.map(
      (w) =>
        new Promise<void>((resolve) => {
          w.once('exit', () => resolve());
          w.send({ cmd: 'close' } satisfies ToWorker);
        }),
    ),
  );
  await cs.close();
  report.finish();
}

const w = process.argv.indexOf('--worker');
if (w > 0) {
  const [port, first, count, mode] = process.argv.slice(w + 1);
  worker(Number(port), Number(first), Number(count), mode === 'fast').catch((error: unknown) => {
    console.error(error);
    process.exit(1);
  });
} else {
  main().catch((error: unknown) => {
    console.error(error);
    process.exit(1);
  });
}
