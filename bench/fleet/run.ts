/**
 * The fleet benchmark: `npm run bench -- --only=fleet [options]` (bench/bench.sh raises the
 * open-file limit and sends `--only=fleet` here). Not part of the default suite: a run at
 * 50,000 stations takes the whole machine for several minutes.
 *
 * For each server kind and fleet size N: the server in its own process (pinned to core 0 when
 * taskset exists), N of the SDK's ChargePoints spread over `--procs` station processes (core 1),
 * each process connecting from its own loopback source address (127.0.0.10, .11, ...); every
 * station boots and then sends the mix of ./mix.ts. After all are booted: a steady window of
 * `--steady` seconds, then the figures: server RSS and heap per station (after a full GC), server
 * CPU in % of one core, latency of station CALLs and of CSMS calls, event-loop delay, errors.
 *
 * The storm (`--storm`, every kind at the largest N): the server is killed with SIGKILL and started
 * again on the same port; every ChargePoint reconnects with its default back-off. Reported: time
 * until 99% and 100% are back (reconnected and their StatusNotification answered: a CSMS restart
 * reboots no charger, so per OCPP 2.0.1 §5.3 no new BootNotification is sent), the peak accept
 * rate, failed connection attempts, event-loop delay and the latency of stations already back
 * during the storm, and the server's peak RSS against its steady RSS.
 *
 * Options: --fleet=10000,25000,50000  --kinds=ours,bare,ocpp-rpc  --procs=4  --steady=120
 * --storm (every kind at the largest N) --storm-timeout=180  --pace=2000 (connects per second, all
 * processes together)  --backlog=N (every server's listen backlog; default: each kind's own)
 * --profile (the server with --cpu-prof; the restarted one's profile covers the storm)
 * --write (replace the fleet section of bench/RESULTS.md).
 */
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { build } from 'esbuild';
import { buildAll, OUT, ROOT } from '../lib/build';
import { canPin, Child } from '../lib/ipc';
import { num, table } from '../lib/stats';
import { MESSAGES_PER_STATION_S, MIX_TEXT } from './mix';

const argv = process.argv.slice(2);
const option = (name: string): string | undefined => argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3);
const flag = (name: string): boolean => argv.includes(`--${name}`);
const KNOWN = ['only', 'fleet', 'kinds', 'procs', 'steady', 'storm', 'storm-timeout', 'pace', 'sdk', 'write', 'backlog', 'profile'];
for (const a of argv) {
  if (!a.startsWith('--') || !KNOWN.includes(a.slice(2).split('=')[0])) {
    console.error(`unknown argument ${a}; the fleet section knows ${KNOWN.map((k) => `--${k}`).join(' ')}`);
    process.exit(2);
  }
}
const SIZES = (option('fleet') ?? '10000,25000,50000').split(',').map(Number);
const KINDS = (option('kinds') ?? 'ours,bare,ocpp-rpc').split(',') as Kind[];
const PROCS = Number(option('procs') ?? 4);
const STEADY_S = Number(option('steady') ?? 120);
const STORM = flag('storm');
const STORM_TIMEOUT_S = Number(option('storm-timeout') ?? 180);
const PACE = Number(option('pace') ?? 2000);
/** The servers' listen backlog (ours and bare ws; ocpp-rpc has no such option); unset, each kind's default (Node's 511). */
const BACKLOG = option('backlog');
const PROFILE = flag('profile');

/**
 * The kernel's count of connections dropped because a listen queue was full (Linux,
 * /proc/net/netstat TcpExt ListenOverflows; NaN elsewhere): what a storm loses before any
 * process sees it.
 */
function listenOverflows(): number {
  try {
    const lines = fs
      .readFileSync('/proc/net/netstat', 'utf8')
      .split('\n')
      .filter((l) => l.startsWith('TcpExt:'));
    const names = lines[0].split(/\s+/);
    const values = lines[1].split(/\s+/);
    return Number(values[names.indexOf('ListenOverflows')]);
  } catch {
    return NaN;
  }
}

type Kind = 'ours' | 'bare' | 'ocpp-rpc';
type Snap = Record<string, number>;

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));
const log = (text: string): void => console.error(`[fleet ${new Date().toISOString().slice(11, 19)}] ${text}`);

async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** Bundles the two fleet scripts like the suite's, with the SDK the suite chose. */
async function buildFleet(): Promise<{ server: string; stations: string; sdkSource: string }> {
  const built = await buildAll(option('sdk') ?? 'auto');
  const bundle = async (name: string): Promise<string> => {
    const outfile = path.join(OUT, `fleet-${name}.cjs`);
    await build({
      entryPoints: [path.join(ROOT, 'bench', 'fleet', `${name}.ts`)],
      outfile,
      bundle: true,
      format: 'cjs',
      platform: 'node',
      target: 'node18',
      packages: 'external',
      plugins: [{ name: 'sdk', setup: (b) => void b.onResolve({ filter: /(^|\/)src\/index$/ }, () => ({ path: built.sdk, external: true })) }],
      logLevel: 'warning',
    });
    return outfile;
  };
  return { server: await bundle('server'), stations: await bundle('stations'), sdkSource: built.sdkSource };
}

interface Result {
  kind: Kind;
  n: number;
  booted: number;
  setupS: number;
  rssPerStation: number;
  heapPerStation: number;
  cpuPct: number;
  callP50: number;
  callP99: number;
  callMax: number;
  csmsP50: number;
  csmsP99: number;
  csmsMax: number;
  loopP99: number;
  errors: number;
  storm?: StormResult;
}

interface StormResult {
  t99S: number;
  t100S: number;
  back: number;
  peakAcceptsPerS: number;
  failedAttempts: number;
  loopP99: number;
  backP99: number;
  peakRss: number;
  steadyRss: number;
  listenOverflows: number;
}

function merge(snaps: Snap[], key: string, how: 'sum' | 'max'): number {
  const values = snaps.map((s) => s[key]).filter((v) => Number.isFinite(v));
  if (values.length === 0) return NaN;
  return how === 'sum' ? values.reduce((a, b) => a + b, 0) : Math.max(...values);
}

async function runOne(kind: Kind, n: number, scripts: { server: string; stations: string }, storm: boolean): Promise<Result> {
  const pin = canPin(os.cpus().length);
  const port = await freePort();
  const profile = PROFILE ? ['--cpu-prof', `--cpu-prof-dir=${path.join(OUT, 'profiles')}`, `--cpu-prof-name=fleet-${kind}-${n}.${Date.now()}.cpuprofile`] : [];
  const startServer = (): Child =>
    new Child(`server ${kind}`, scripts.server, [kind, String(port), BACKLOG ?? ''], {
      core: pin ? 0 : undefined,
      nodeArgs: ['--expose-gc', '--max-old-space-size=8192', ...profile],
    });
  let server = startServer();
  await server.ready;
  // What the server holds with no station: subtracted, so that per-station figures are the stations' own.
  const empty = await server.request<Snap>({ cmd: 'mem' }, 120_000);
  const procs = Array.from(
    { length: PROCS },
    (_, i) => new Child(`stations ${i}`, scripts.stations, [`stations-${i}`], { core: pin ? 1 : undefined, nodeArgs: ['--max-old-space-size=8192'] }),
  );
  await Promise.all(procs.map((p) => p.ready));
  const t0 = performance.now();
  const share = Math.ceil(n / PROCS);
  const opened = await Promise.all(
    procs.map((p, i) =>
      p.request<{ booted: number; failed: number }>(
        {
          cmd: 'open',
          url: `ws://127.0.0.1:${port}`,
          first: i * share,
          count: Math.min(share, n - i * share),
          localAddress: `127.0.0.${10 + i}`,
          perSecond: PACE / PROCS,
        },
        30 * 60_000,
      ),
    ),
  );
  const booted = opened.reduce((a, o) => a + o.booted, 0);
  const setupS = (performance.now() - t0) / 1000;
  log(`${kind} N=${n}: ${booted} booted in ${setupS.toFixed(1)} s (${opened.reduce((a, o) => a + o.failed, 0)} failed)`);

  // Steady state: reset every counter, wait, read.
  await server.request({ cmd: 'snap' });
  const stationsBefore = await Promise.all(procs.map((p) => p.request<Snap>({ cmd: 'snap' })));
  const serverBefore = await server.request<Snap>({ cmd: 'snap' });
  const w0 = performance.now();
  await sleep(STEADY_S * 1000);
  const serverAfter = await server.request<Snap>({ cmd: 'snap' });
  const wallUs = (performance.now() - w0) * 1000;
  const stationsAfter = await Promise.all(procs.map((p) => p.request<Snap>({ cmd: 'snap' })));
  const mem = await server.request<Snap>({ cmd: 'mem' }, 120_000);
  const errors = merge(stationsAfter, 'errors', 'sum') - merge(stationsBefore, 'errors', 'sum') + serverAfter['csmsErrors'] - serverBefore['csmsErrors'];
  const result: Result = {
    kind,
    n,
    booted,
    setupS,
    rssPerStation: (mem['rss'] - empty['rss']) / mem['connected'],
    heapPerStation: (mem['heapUsed'] - empty['heapUsed']) / mem['connected'],
    cpuPct: ((serverAfter['cpuUs'] - serverBefore['cpuUs']) / wallUs) * 100,
    // Per process percentiles: the fleet's p50 is their median, its p99 their highest (a bound).
    callP50: [...stationsAfter.map((s) => s['p50'])].sort((a, b) => a - b)[Math.floor(stationsAfter.length / 2)],
    callP99: merge(stationsAfter, 'p99', 'max'),
    callMax: merge(stationsAfter, 'max', 'max'),
    csmsP50: serverAfter['csmsP50'],
    csmsP99: serverAfter['csmsP99'],
    csmsMax: serverAfter['csmsMax'],
    loopP99: serverAfter['loopP99Ms'],
    errors: errors + (n - booted),
  };
  log(`${kind} N=${n}: ${JSON.stringify(result)}`);

  if (storm) {
    const steadyRss = serverAfter['rssBytes'];
    const before = await Promise.all(procs.map((p) => p.request<Snap>({ cmd: 'snap' })));
    await server.kill();
    const overflows0 = listenOverflows();
    await Promise.all(procs.map((p) => p.request({ cmd: 'storm' })));
    const s0 = performance.now();
    server = startServer();
    await server.ready;
    let back = 0;
    let t99S = NaN;
    let peakAccepts = 0;
    let loopP99 = 0;
    let peakRss = 0;
    // Counted against the stations that were up before the kill (a setup failure is an error of
    // its own, in the steady table): only those can come back.
    while (back < booted && performance.now() - s0 < STORM_TIMEOUT_S * 1000) {
      await sleep(250);
      const snap = await server.request<Snap>({ cmd: 'snap' });
      peakAccepts = Math.max(peakAccepts, snap['peakAcceptsPer100ms'] * 10);
      loopP99 = Math.max(loopP99, snap['loopP99Ms']);
      peakRss = Math.max(peakRss, snap['rssBytes']);
      const counts = await Promise.all(procs.map((p) => p.request<{ back: number }>({ cmd: 'back' })));
      back = counts.reduce((a, c) => a + c.back, 0);
      if (Number.isNaN(t99S) && back >= 0.99 * booted) t99S = (performance.now() - s0) / 1000;
    }
    const t100S = back >= booted ? (performance.now() - s0) / 1000 : NaN;
    const after = await Promise.all(procs.map((p) => p.request<Snap>({ cmd: 'snap' })));
    result.storm = {
      t99S,
      t100S,
      back,
      peakAcceptsPerS: peakAccepts,
      failedAttempts: merge(after, 'failedAttempts', 'sum') - merge(before, 'failedAttempts', 'sum'),
      loopP99,
      backP99: merge(after, 'p99', 'max'),
      peakRss,
      steadyRss,
      listenOverflows: listenOverflows() - overflows0,
    };
    log(`${kind} N=${n} storm: ${JSON.stringify(result.storm)}`);
  }

  await Promise.all(procs.map((p) => p.request({ cmd: 'close' }, 120_000).catch(() => undefined)));
  await Promise.all([server.stop(), ...procs.map((p) => p.stop())]);
  return result;
}

const ms = (v: number): string => (Number.isFinite(v) ? num(v, v < 10 ? 2 : 1) : '–');
const kb = (v: number): string => num(v / 1024, 1);

function report(results: Result[], sdkSource: string): string {
  const lines = [
    '## Fleet: many stations on one node',
    '',
    `Measured ${new Date().toISOString().slice(0, 10)} on ${os.cpus().length} × ${os.cpus()[0]?.model ?? 'cpu'}, Node ${process.version}, ${sdkSource}; ` +
      `${PROCS} station processes (the SDK's ChargePoint, OCPP 1.6, default back-off and keepalive), steady window ${STEADY_S} s. ` +
      `Mix: ${MIX_TEXT} (about ${num(MESSAGES_PER_STATION_S * 1000, 1)} messages per 1,000 stations per second).`,
    '',
    table(
      [
        'server',
        'N',
        'booted',
        'setup s',
        'RSS/station KB (over empty)',
        'heap/station KB (over empty)',
        'CPU % of a core',
        'CALL p50/p99/max ms',
        'CSMS call p50/p99/max ms',
        'loop p99 ms',
        'errors',
      ],
      results.map((r) => [
        r.kind,
        num(r.n),
        num(r.booted),
        num(r.setupS, 1),
        kb(r.rssPerStation),
        kb(r.heapPerStation),
        num(r.cpuPct, 1),
        `${ms(r.callP50)} / ${ms(r.callP99)} / ${ms(r.callMax)}`,
        `${ms(r.csmsP50)} / ${ms(r.csmsP99)} / ${ms(r.csmsMax)}`,
        ms(r.loopP99),
        num(r.errors),
      ]),
    ),
  ];
  const storms = results.filter((r) => r.storm !== undefined);
  if (storms.length > 0) {
    lines.push(
      '',
      'Storm: the server killed with SIGKILL and started again on the same port.',
      '',
      table(
        [
          'server',
          'N',
          'back',
          '99% back s',
          '100% back s',
          'peak accepts/s',
          'failed attempts',
          'kernel listen-queue drops',
          'loop p99 ms',
          'CALL p99 of those back ms',
          'peak RSS / steady',
        ],
        storms.map((r) => {
          const s = r.storm!;
          return [
            r.kind,
            num(r.n),
            num(s.back),
            num(s.t99S, 1),
            Number.isFinite(s.t100S) ? num(s.t100S, 1) : 'not all',
            num(s.peakAcceptsPerS),
            num(s.failedAttempts),
            Number.isFinite(s.listenOverflows) ? num(s.listenOverflows) : '–',
            ms(s.loopP99),
            ms(s.backP99),
            `${num(s.peakRss / s.steadyRss, 2)}x`,
          ];
        }),
      ),
    );
  }
  return lines.join('\n');
}

const START = '<!-- fleet section: npm run bench -- --only=fleet -->';
const END = '<!-- end of fleet section -->';

async function main(): Promise<void> {
  const scripts = await buildFleet();
  const results: Result[] = [];
  const largest = Math.max(...SIZES);
  for (const n of SIZES) {
    for (const kind of KINDS) {
      try {
        results.push(await runOne(kind, n, scripts, STORM && n === largest));
      } catch (error) {
        log(`${kind} N=${n} failed: ${(error as Error).message}`);
      }
    }
  }
  const text = report(results, scripts.sdkSource);
  console.log(text);
  if (argv.includes('--write')) {
    const file = path.join(ROOT, 'bench', 'RESULTS.md');
    const old = fs.readFileSync(file, 'utf8');
    const section = `${START}\n${text}\n${END}`;
    const i = old.indexOf(START);
    const j = old.indexOf(END);
    fs.writeFileSync(file, i !== -1 && j > i ? old.slice(0, i) + section + old.slice(j + END.length) : `${old.trimEnd()}\n\n${section}\n`);
    log('bench/RESULTS.md: fleet section written');
  }
}

void main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
