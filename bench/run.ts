/**
 * The benchmark suite: `npm run bench` (about 15 minutes), `npm run bench -- --quick` (about 2).
 * Not part of `npm test`. Prints a markdown report; `--write` also saves it as bench/RESULTS.md.
 *
 * Every server runs in its own process pinned to core 0 and measures its own CPU time with
 * `process.cpuUsage()` over the measured window; the load runs in other processes pinned to
 * core 1 and speaks plain OCPP-J over ws. Each figure is the median of `--runs` runs (3) with
 * min-max, and every comparison is a ratio taken inside one run, then summarised the same way.
 *
 * Options:
 *   --quick              1 run, C = 10 and 100, shorter windows, memory at 1,000 only
 *   --runs=N             runs per figure (default 3; 1 with --quick)
 *   --only=a,b           sections: throughput, churn, memory, client, startup, compression, audit,
 *                        and cluster (not in the default list: it needs redis-server and takes
 *                        about 4 minutes per run; see bench/cluster.ts)
 *   --base=REF           with cluster: the commit whose single-node SDK is compared with this tree
 *                        (default 01715ff, the commit before the cluster core; `none` to skip)
 *   --cluster=a,b        parts of the cluster section: calls, setup, base (default all three)
 *   --redis=<file>       with cluster: load this build of the redis adapter instead of bundling
 *                        src/redis (a variant to compare, like --sdk)
 *   --c=1,10,100         connection counts of the throughput section
 *   --sdk=auto|dist|src|<file>  which SDK build to load (auto: dist/ if newer than src/, else
 *                        bundle src/; a file: that module, e.g. a variant to compare)
 *   --write              save the report as bench/RESULTS.md
 *   --profile[=all]      run our server (all servers) with --cpu-prof at 100 µs (profiles in
 *                        bench/.build/profiles/, named by server kind)
 *   --priority=N         run servers and load at nice N (e.g. -10; needs root) when other work
 *                        shares the machine; recorded in the report
 */
import { execSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { clusterReport, clusterRun, type ClusterBenchContext } from './cluster';
import { buildAll, OUT, ROOT, type Built } from './lib/build';
import { canPin, Child } from './lib/ipc';
import { MESSAGES, VERSIONS, requestPayload, type Message, type Version } from './lib/messages';
import { cell, median, num, ratio, Series, table } from './lib/stats';

// ------------------------------------------------------------------ options

const argv = process.argv.slice(2);
const flag = (name: string): boolean => argv.some((a) => a === `--${name}` || a.startsWith(`--${name}=`));
const option = (name: string): string | undefined => argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3);
const known = ['quick', 'write', 'profile', 'runs', 'only', 'c', 'sdk', 'priority', 'base', 'cluster', 'redis'];
for (const a of argv) {
  const name = a.replace(/^--/, '').split('=')[0];
  if (!a.startsWith('--') || !known.includes(name)) {
    console.error(`unknown argument ${a}; known: ${known.map((k) => `--${k}`).join(' ')}`);
    process.exit(2);
  }
}

const QUICK = flag('quick');
const RUNS = Number(option('runs') ?? (QUICK ? 1 : 3));
const SECTIONS = new Set((option('only') ?? 'throughput,churn,memory,client,startup,compression,audit').split(','));
const CS = (option('c') ?? (QUICK ? '10,100' : '1,10,100,1000')).split(',').map(Number);
const SDK_CHOICE = option('sdk') ?? 'auto';
const CLUSTER_PARTS = new Set((option('cluster') ?? 'calls,setup,base').split(','));
/**
 * Measured windows per figure and run, alternating between the compared systems; one more round
 * warms up. 6, not 4: with 4, two full invocations an hour apart on this VM put the same ratio
 * 5-14% apart (MeterValues 1.6 C=1000 vs the ceiling: 1.01x, then 0.87x).
 */
const ROUNDS = QUICK ? 2 : 6;
const WARM_MS = 80;
const WINDOW_MS = 250;
const CHURN_TOTAL = QUICK ? 2000 : 4000;
const CHURN_PARALLEL = 50;
/** Connections each server takes right after its start, measured apart ("cold": the JIT at work). */
const CHURN_COLD = 500;
/**
 * Connections each server takes after the cold batch, unmeasured, before the measured batches.
 * Without them the figure is mostly JIT compilation: with 250 warm-up connections, CPU per
 * connection was 265-285 µs for bare ws and 360-370 µs for ours; after 5,000 it is 134-139 and
 * 152 µs (bench/.build scratch runs, 2026-11-21). A CSMS accepts connections for days.
 */
const CHURN_WARM = QUICK ? 1500 : 3500;
const MEMORY_SIZES = QUICK ? [1000] : [1000, 10_000];
const CLIENTS_PER_LOAD_PROCESS = 2500;
const CLIENT_CS = [1, 100];
const STARTUP_SAMPLES = QUICK ? 3 : 7;
const TARGET_CS = [10, 100, 1000];

const PRIORITY = option('priority') === undefined ? undefined : Number(option('priority'));
const CORES = os.cpus().length;
const PIN = canPin(CORES);
const SERVER_CORE = PIN ? 0 : undefined;
const LOAD_CORE = PIN ? 1 : undefined;

type ServerKind = 'bare' | 'bare-validate' | 'ours' | 'ocpp-rpc';
type ClientKind = 'raw' | 'raw-await' | 'chargepoint' | 'ocpp-rpc';
const SERVER_LABEL: Record<ServerKind, string> = {
  bare: 'bare ws',
  'bare-validate': 'bare ws + validators',
  ours: 'ocpp-sdk CentralSystem',
  'ocpp-rpc': 'ocpp-rpc (strict)',
};
const CLIENT_LABEL: Record<ClientKind, string> = {
  raw: 'bare ws client',
  'raw-await': 'bare ws client, awaited',
  chargepoint: 'ocpp-sdk ChargePoint',
  'ocpp-rpc': 'ocpp-rpc RPCClient (strict)',
};

const results = new Series();
const loadStart = os
  .loadavg()
  .map((x) => x.toFixed(1))
  .join(' / ');
const notes: string[] = [];
let built: Built;
/** The commit the SDK was built from, read when it was built. */
let builtFrom = '?';
let totalErrors = 0;

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
const log = (text: string): void => {
  process.stderr.write(`[bench ${new Date().toISOString().slice(11, 19)}] ${text}\n`);
};
/** Rotates the order of `list` by `run`, so no kind always goes first. */
const rotate = <T>(list: readonly T[], run: number): T[] => list.map((_, i) => list[(i + run) % list.length]);

// ------------------------------------------------------------------ processes

async function startServer(kind: ServerKind, extra: Record<string, unknown> = {}, nodeArgs: string[] = []): Promise<{ child: Child; port: number }> {
  const args = [...nodeArgs];
  if (flag('profile') && (kind === 'ours' || option('profile') === 'all')) {
    const dir = path.join(OUT, 'profiles');
    fs.mkdirSync(dir, { recursive: true });
    // 100 µs samples: the default 1 ms leaves a few hundred samples for a connection-setup run.
    args.push('--cpu-prof', `--cpu-prof-dir=${dir}`, `--cpu-prof-name=${kind}.${Date.now()}.cpuprofile`, '--cpu-prof-interval=100');
  }
  const child = new Child(`server:${kind}`, built.server, [kind, JSON.stringify(extra)], { core: SERVER_CORE, nodeArgs: args, priority: PRIORITY });
  const hello = await child.ready;
  return { child, port: hello['port'] as number };
}

async function startLoad(label: string): Promise<Child> {
  const child = new Child(label, built.load, [label], { core: LOAD_CORE, priority: PRIORITY });
  await child.ready;
  return child;
}

interface Snap {
  done: number;
  errors: number;
  cpuUs: number;
  at: number;
  p50: number;
  p99: number;
}

interface Measured {
  rate: number;
  serverCpu: number;
  loadCpu: number;
  p50: number;
  p99: number;
  errors: number;
}

// ------------------------------------------------------------------ quiet windows

/** USER_HZ, the unit of /proc/stat (100 on Linux). */
const CLK_TCK = 100;
/** Most CPU other processes may take during a window (in cores) before it is measured again. */
const QUIET_LIMIT_CORES = 0.15;
/** Attempts per window; the last one is kept whatever happened. */
const QUIET_ATTEMPTS = 4;
/** Total time a run may spend waiting for quiet, so that a busy machine cannot stretch it without bound. */
const QUIET_BUDGET_MS = QUICK ? 30_000 : 180_000;
const quiet = { windows: 0, retried: 0, keptNoisy: 0, waitedMs: 0 };

/**
 * CPU time (µs) the machine spent on processes so far (user, nice, system, steal; not interrupt
 * time, which is mostly our own loopback traffic), or undefined without /proc/stat.
 */
function machineBusyUs(): number | undefined {
  try {
    const f = fs.readFileSync('/proc/stat', 'utf8').split('\n', 1)[0].trim().split(/\s+/).slice(1).map(Number);
    return ((f[0] + f[1] + f[2] + f[7]) * 1e6) / CLK_TCK;
  } catch {
    return undefined;
  }
}

/**
 * Runs `measure` (which reports the CPU its own processes used) until other processes took less
 * than QUIET_LIMIT_CORES of CPU during it, at most QUIET_ATTEMPTS times: the other work that
 * shares this machine (test suites, builds) comes in bursts, and a window it lands on measures
 * the contention, not the code.
 */
async function quietly<T>(measure: (probe: Probe) => Promise<T>): Promise<T> {
  quiet.windows++;
  for (let attempt = 1; ; attempt++) {
    const probe = new Probe();
    const result = await measure(probe);
    const foreignCores = probe.foreignCores();
    if (foreignCores === undefined || foreignCores <= QUIET_LIMIT_CORES) return result;
    if (attempt === QUIET_ATTEMPTS || quiet.waitedMs >= QUIET_BUDGET_MS) {
      quiet.keptNoisy++;
      return result;
    }
    quiet.retried++;
    // Bursts of other work (a test file, a build) last seconds: wait longer each time.
    const pause = 400 * attempt;
    quiet.waitedMs += pause;
    await sleep(pause);
  }
}

/** Other processes' CPU between `start()` and `stop(ownCpuUs)`, in cores. */
class Probe {
  private machine0: number | undefined;
  private self0 = process.cpuUsage();
  private at0 = 0;
  private foreign: number | undefined;
  start(): void {
    this.machine0 = machineBusyUs();
    this.self0 = process.cpuUsage();
    this.at0 = performance.now();
  }
  /** `ownCpuUs`: what the measured processes (server, load) used meanwhile. */
  stop(ownCpuUs: number): void {
    const machine1 = machineBusyUs();
    const self = process.cpuUsage(this.self0);
    const wallUs = (performance.now() - this.at0) * 1000;
    if (this.machine0 === undefined || machine1 === undefined || wallUs <= 0) return;
    this.foreign = (machine1 - this.machine0 - ownCpuUs - self.user - self.system) / wallUs;
  }
  foreignCores(): number | undefined {
    return this.foreign;
  }
}

/** Connections of one compared system: a group in a load process, and the server to bill. */
interface Lane {
  readonly key: string;
  readonly load: Child;
  readonly group: string;
  readonly server: Child | undefined;
}

/** One window: runs the closed loop on `lane`'s connections for WARM_MS, then measures WINDOW_MS. */
async function windowOn(lane: Lane, protocol: Version, message: Message): Promise<Measured> {
  const { load, server } = lane;
  // Errors count whether or not the window is measured again.
  let errors = 0;
  const m = await quietly(async (probe) => {
    const before = await load.request<Snap>({ cmd: 'snap' });
    await load.request({ cmd: 'start', protocol, message, group: lane.group });
    await sleep(WARM_MS);
    const [l0, s0] = await Promise.all([load.request<Snap>({ cmd: 'snap' }), server?.request<{ cpuUs: number }>({ cmd: 'cpu' })]);
    probe.start();
    await sleep(WINDOW_MS);
    const [l1, s1] = await Promise.all([load.request<Snap>({ cmd: 'snap' }), server?.request<{ cpuUs: number }>({ cmd: 'cpu' })]);
    probe.stop((s0 && s1 ? s1.cpuUs - s0.cpuUs : 0) + (l1.cpuUs - l0.cpuUs));
    const after = await load.request<{ errors: number }>({ cmd: 'stop' });
    const n = l1.done - l0.done;
    errors += after.errors - before.errors;
    const serverUs = s0 && s1 ? s1.cpuUs - s0.cpuUs : 0;
    const result = {
      rate: n / ((l1.at - l0.at) / 1000),
      serverCpu: s0 && s1 ? serverUs / n : NaN,
      loadCpu: (l1.cpuUs - l0.cpuUs) / n,
      p50: l1.p50 * 1000,
      p99: l1.p99 * 1000,
      errors: 0,
    };
    return result;
  });
  totalErrors += errors;
  m.errors = errors;
  return m;
}

/**
 * Measures every lane in short windows, round-robin (the order rotates each round), after one
 * round that only warms up. Other work on the machine comes and goes; alternating keeps the
 * compared systems under the same conditions, and medians drop the windows it hit hardest.
 * Returns each lane's windows (errors of the warm-up round are added to its first window).
 */
async function interleave(lanes: readonly Lane[], protocol: Version, message: Message): Promise<Map<string, Measured[]>> {
  const out = new Map<string, Measured[]>(lanes.map((l) => [l.key, []]));
  const warmErrors = new Map<string, number>();
  for (let round = 0; round <= ROUNDS; round++) {
    for (const lane of rotate(lanes, round)) {
      const m = await windowOn(lane, protocol, message);
      if (round === 0) warmErrors.set(lane.key, m.errors);
      else out.get(lane.key)!.push(m);
    }
  }
  for (const [key, list] of out) list[0].errors += warmErrors.get(key) ?? 0;
  return out;
}

/** One run's figure for a lane: the median of its windows (errors summed). */
function summarise(list: readonly Measured[]): Measured {
  const med = (f: (m: Measured) => number): number => median(list.map(f));
  return {
    rate: med((m) => m.rate),
    serverCpu: med((m) => m.serverCpu),
    loadCpu: med((m) => m.loadCpu),
    p50: med((m) => m.p50),
    p99: med((m) => m.p99),
    errors: list.reduce((a, m) => a + m.errors, 0),
  };
}

/** The median over rounds of the per-round ratio f(a) / f(b): both measured in the same round. */
function roundRatio(windows: Map<string, Measured[]>, a: string, b: string, f: (m: Measured) => number): number {
  const wa = windows.get(a)!;
  const wb = windows.get(b)!;
  return median(wa.map((m, i) => f(m) / f(wb[i])));
}

function store(prefix: string, m: Measured): void {
  results.add(`${prefix}|rate`, m.rate);
  results.add(`${prefix}|cpu`, m.serverCpu);
  results.add(`${prefix}|loadcpu`, m.loadCpu);
  results.add(`${prefix}|p50`, m.p50);
  results.add(`${prefix}|p99`, m.p99);
  results.add(`${prefix}|errors`, m.errors);
}

async function connect(
  load: Child,
  kind: ClientKind,
  port: number,
  protocol: Version,
  count: number,
  prefix: string,
  extra: Record<string, unknown> = {},
): Promise<number> {
  const r = await load.request<{ opened: number; failed: number; ms: number }>({ cmd: 'connect', kind, port, protocol, count, prefix, ...extra }, 300_000);
  if (r.failed > 0) {
    totalErrors += r.failed;
    notes.push(`${r.failed} of ${count} ${kind} connections to port ${port} failed (${prefix})`);
  }
  return r.failed;
}

// ------------------------------------------------------------------ 1. throughput

const THROUGHPUT_SERVERS: readonly ServerKind[] = ['bare', 'bare-validate', 'ours', 'ocpp-rpc'];

async function throughput(run: number): Promise<void> {
  const servers = new Map<ServerKind, { child: Child; port: number }>();
  for (const kind of THROUGHPUT_SERVERS) servers.set(kind, await startServer(kind));
  const load = await startLoad(`load-tp${run}`);
  try {
    for (const version of VERSIONS) {
      for (const c of CS) {
        log(`run ${run + 1}/${RUNS} throughput ${version} C=${c}`);
        const failed = new Map<ServerKind, number>();
        const lanes: Lane[] = [];
        for (const kind of THROUGHPUT_SERVERS) {
          const server = servers.get(kind)!;
          failed.set(kind, await connect(load, 'raw', server.port, version, c, `T${run}${kind.slice(0, 2)}${c}-`, { group: kind }));
          lanes.push({ key: kind, load, group: kind, server: server.child });
        }
        for (const message of MESSAGES) {
          const windows = await interleave(lanes, version, message);
          for (const kind of THROUGHPUT_SERVERS) {
            const m = summarise(windows.get(kind)!);
            m.errors += message === 'Heartbeat' ? failed.get(kind)! : 0;
            store(`tp|${version}|${message}|${c}|${kind}`, m);
          }
          const key = `tpr|${version}|${message}|${c}`;
          const rate = (m: Measured): number => m.rate;
          const cpu = (m: Measured): number => m.serverCpu;
          results.add(`${key}|rate/bare`, roundRatio(windows, 'ours', 'bare', rate));
          results.add(`${key}|rate/ceiling`, roundRatio(windows, 'ours', 'bare-validate', rate));
          results.add(`${key}|rate/rpc`, roundRatio(windows, 'ours', 'ocpp-rpc', rate));
          results.add(`${key}|bareeff/cpu`, roundRatio(windows, 'bare', 'ours', cpu));
          results.add(`${key}|ceileff/cpu`, roundRatio(windows, 'bare-validate', 'ours', cpu));
          results.add(`${key}|rpccpu/cpu`, roundRatio(windows, 'ocpp-rpc', 'ours', cpu));
          // What any strict server could reach against ocpp-rpc, for reading the ratio above.
          results.add(`${key}|ceiling/rpc`, roundRatio(windows, 'bare-validate', 'ocpp-rpc', rate));
        }
        await load.request({ cmd: 'close' }, 300_000);
      }
    }
    if (VERSIONS.includes('ocpp2.1')) await versionsSideBySide(run, load, servers.get('ours')!);
  } finally {
    await load.stop();
    for (const s of servers.values()) await s.child.stop();
  }
}

/**
 * Our server on 2.1 against itself on 2.0.1 (issue 14: within 3%), measured in the same
 * alternating windows: C connections of each version on the one server process, one group loaded
 * at a time, so the machine's drift cancels out of the ratio as it does for the other ratios. The
 * payload bytes are the same in both versions, so the difference is the version's validators and
 * rules alone.
 */
async function versionsSideBySide(run: number, load: Child, ours: { child: Child; port: number }): Promise<void> {
  for (const c of CS) {
    log(`run ${run + 1}/${RUNS} throughput ocpp2.1 vs ocpp2.0.1 on our server C=${c}`);
    const lanes: Lane[] = [];
    // A second 2.0.1 group is the control: 2.0.1 against itself shows what the method alone
    // reads as a difference (A/A), the floor under which a 2.1 gap is not a finding.
    for (const [key, version] of [
      ['ocpp2.0.1', 'ocpp2.0.1'],
      ['ocpp2.1', 'ocpp2.1'],
      ['control', 'ocpp2.0.1'],
    ] as const) {
      await connect(load, 'raw', ours.port, version, c, `V${run}${key.slice(-3)}${c}-`, { group: key });
      lanes.push({ key, load, group: key, server: ours.child });
    }
    for (const message of MESSAGES) {
      // The version passed here only picks the request payload, the same in both.
      const windows = await interleave(lanes, 'ocpp2.0.1', message);
      const key = `vab|${message}|${c}`;
      results.add(
        `${key}|rate`,
        roundRatio(windows, 'ocpp2.1', 'ocpp2.0.1', (m) => m.rate),
      );
      results.add(
        `${key}|cpu`,
        roundRatio(windows, 'ocpp2.0.1', 'ocpp2.1', (m) => m.serverCpu),
      );
      results.add(
        `${key}|aa-rate`,
        roundRatio(windows, 'control', 'ocpp2.0.1', (m) => m.rate),
      );
      results.add(
        `${key}|aa-cpu`,
        roundRatio(windows, 'ocpp2.0.1', 'control', (m) => m.serverCpu),
      );
    }
    await load.request({ cmd: 'close' }, 300_000);
  }
}

// ------------------------------------------------------------------ 2. connection setup

const CHURN_SERVERS: readonly ServerKind[] = ['bare', 'ours', 'ocpp-rpc'];

async function churn(run: number): Promise<void> {
  log(`run ${run + 1}/${RUNS} connection setup`);
  const load = await startLoad(`load-churn${run}`);
  const servers = new Map<ServerKind, { child: Child; port: number }>();
  const protocol: Version = 'ocpp2.0.1';
  const batch = Math.round(CHURN_TOTAL / ROUNDS);
  try {
    for (const kind of CHURN_SERVERS) servers.set(kind, await startServer(kind));
    const windows = new Map<string, { rate: number; cpu: number; loadCpu: number; errors: number }[]>(CHURN_SERVERS.map((k) => [k, []]));
    /** One churn batch against `kind`, re-measured while other work shares the machine. */
    const measure = async (kind: ServerKind, total: number, label: string) => {
      const server = servers.get(kind)!;
      let attempt = 0;
      return quietly(async (probe) => {
        const c0 = await server.child.request<{ cpuUs: number }>({ cmd: 'cpu' });
        probe.start();
        const r = await load.request<{ ms: number; failed: number; cpuUs: number }>(
          { cmd: 'churn', port: server.port, protocol, total, parallel: CHURN_PARALLEL, prefix: `C${run}${label}a${attempt++}-` },
          300_000,
        );
        const c1 = await server.child.request<{ cpuUs: number }>({ cmd: 'cpu' });
        probe.stop(c1.cpuUs - c0.cpuUs + r.cpuUs);
        totalErrors += r.failed;
        return { rate: total / (r.ms / 1000), cpu: (c1.cpuUs - c0.cpuUs) / total, loadCpu: r.cpuUs / total, errors: r.failed };
      });
    };
    // Cold: the first connections after the start, then an unmeasured warm-up (see CHURN_WARM).
    const cold = new Map<ServerKind, { cpu: number }>();
    for (const kind of rotate(CHURN_SERVERS, run)) {
      const w = await measure(kind, CHURN_COLD, 'cold');
      cold.set(kind, w);
      results.add(`churn|${kind}|coldcpu`, w.cpu);
      if (w.errors > 0) results.add(`churn|${kind}|errors`, w.errors);
      const warm = await load.request<{ failed: number }>(
        { cmd: 'churn', port: servers.get(kind)!.port, protocol, total: CHURN_WARM, parallel: CHURN_PARALLEL, prefix: `C${run}warm-` },
        300_000,
      );
      totalErrors += warm.failed;
      if (warm.failed > 0) results.add(`churn|${kind}|errors`, warm.failed);
    }
    results.add('churnr|coldcpu/bare', cold.get('ours')!.cpu / cold.get('bare')!.cpu);
    for (let round = 1; round <= ROUNDS; round++) {
      for (const kind of rotate(CHURN_SERVERS, round)) {
        windows.get(kind)!.push(await measure(kind, batch, `r${round}`));
      }
    }
    for (const kind of CHURN_SERVERS) {
      const list = windows.get(kind)!;
      results.add(`churn|${kind}|rate`, median(list.map((w) => w.rate)));
      results.add(`churn|${kind}|cpu`, median(list.map((w) => w.cpu)));
      results.add(`churn|${kind}|loadcpu`, median(list.map((w) => w.loadCpu)));
      results.add(
        `churn|${kind}|errors`,
        list.reduce((a, w) => a + w.errors, 0),
      );
    }
    const per = (a: ServerKind, b: ServerKind, f: (w: { rate: number; cpu: number }) => number): number =>
      median(windows.get(a)!.map((w, i) => f(w) / f(windows.get(b)![i])));
    results.add(
      'churnr|cpu/bare',
      per('ours', 'bare', (w) => w.cpu),
    );
    results.add(
      'churnr|rate/bare',
      per('ours', 'bare', (w) => w.rate),
    );
    results.add(
      'churnr|rpccpu/cpu',
      per('ocpp-rpc', 'ours', (w) => w.cpu),
    );
  } finally {
    await load.stop();
    for (const s of servers.values()) await s.child.stop();
  }
}

// ------------------------------------------------------------------ 3. idle memory

const MEMORY_SERVERS: readonly ServerKind[] = ['bare', 'ours', 'ocpp-rpc'];

interface Mem {
  rss: number;
  heapUsed: number;
  external: number;
  connected: number;
}

async function memory(run: number): Promise<void> {
  for (const size of MEMORY_SIZES) {
    log(`run ${run + 1}/${RUNS} idle memory at ${num(size)} stations`);
    for (const kind of rotate(MEMORY_SERVERS, run)) {
      const server = await startServer(kind, {}, ['--expose-gc']);
      const loads: Child[] = [];
      try {
        const protocol: Version = 'ocpp2.0.1';
        // Warm-up: the first connections load and compile code; that must not count per station.
        const warm = await startLoad(`load-mem-warm${run}`);
        loads.push(warm);
        await connect(warm, 'raw', server.port, protocol, 200, `MW${run}-`, { boot: true });
        await windowOn({ key: 'warm', load: warm, group: 'default', server: server.child }, protocol, 'Heartbeat');
        await warm.request({ cmd: 'close' });
        await sleep(200);
        const base = await server.child.request<Mem>({ cmd: 'mem' });
        const processes = Math.ceil(size / CLIENTS_PER_LOAD_PROCESS);
        for (let p = 0; p < processes; p++) loads.push(await startLoad(`load-mem${run}-${p}`));
        const per = Math.ceil(size / processes);
        await Promise.all(
          loads.slice(1).map((l, p) => connect(l, 'raw', server.port, protocol, Math.min(per, size - p * per), `M${run}p${p}-`, { boot: true, parallel: 50 })),
        );
        await sleep(500);
        const m = await server.child.request<Mem>({ cmd: 'mem' }, 60_000);
        if (m.connected !== size) notes.push(`memory ${kind} at ${size}: server counted ${m.connected} stations`);
        results.add(`mem|${size}|${kind}|rss`, (m.rss - base.rss) / m.connected / 1024);
        results.add(`mem|${size}|${kind}|heap`, (m.heapUsed - base.heapUsed) / m.connected / 1024);
        results.add(`mem|${size}|${kind}|external`, (m.external - base.external) / m.connected / 1024);
      } finally {
        await Promise.all(loads.map((l) => l.stop()));
        await server.child.stop();
      }
    }
    const last = (kind: ServerKind, what: string): number => results.get(`mem|${size}|${kind}|${what}`)!.at(-1)!;
    results.add(`memr|${size}|rss/bare`, last('ours', 'rss') / last('bare', 'rss'));
    results.add(`memr|${size}|heap/bare`, last('ours', 'heap') / last('bare', 'heap'));
    results.add(`memr|${size}|rpcrss/rss`, last('ocpp-rpc', 'rss') / last('ours', 'rss'));
  }
}

// ------------------------------------------------------------------ 4. client side

const CLIENTS: readonly ClientKind[] = ['raw', 'raw-await', 'chargepoint', 'ocpp-rpc'];
const CLIENT_VERSION: Version = 'ocpp2.0.1';

async function clients(run: number): Promise<void> {
  log(`run ${run + 1}/${RUNS} client side`);
  const server = await startServer('bare');
  const loads = new Map<ClientKind, Child>();
  try {
    for (const kind of CLIENTS) loads.set(kind, await startLoad(`client-${kind}${run}`));
    for (const c of CLIENT_CS) {
      const failed = new Map<ClientKind, number>();
      // The bare client serializes each CALL with JSON.stringify, as an application would.
      for (const kind of CLIENTS)
        failed.set(kind, await connect(loads.get(kind)!, kind, server.port, CLIENT_VERSION, c, `K${run}${kind.slice(0, 2)}${c}-`, { serialize: true }));
      const lanes: Lane[] = CLIENTS.map((kind) => ({ key: kind, load: loads.get(kind)!, group: 'default', server: server.child }));
      for (const message of MESSAGES) {
        const windows = await interleave(lanes, CLIENT_VERSION, message);
        for (const kind of CLIENTS) {
          const m = summarise(windows.get(kind)!);
          m.errors += message === 'Heartbeat' ? failed.get(kind)! : 0;
          store(`cl|${message}|${c}|${kind}`, m);
        }
        const k = `clr|${message}|${c}`;
        results.add(
          `${k}|cpu/raw`,
          roundRatio(windows, 'chargepoint', 'raw', (m) => m.loadCpu),
        );
        results.add(
          `${k}|rpccpu/raw`,
          roundRatio(windows, 'ocpp-rpc', 'raw', (m) => m.loadCpu),
        );
        results.add(
          `${k}|rate/raw`,
          roundRatio(windows, 'chargepoint', 'raw', (m) => m.rate),
        );
        results.add(
          `${k}|rpcrate/raw`,
          roundRatio(windows, 'ocpp-rpc', 'raw', (m) => m.rate),
        );
        results.add(
          `${k}|rate/await`,
          roundRatio(windows, 'chargepoint', 'raw-await', (m) => m.rate),
        );
        results.add(
          `${k}|cpu/await`,
          roundRatio(windows, 'chargepoint', 'raw-await', (m) => m.loadCpu),
        );
      }
      for (const load of loads.values()) await load.request({ cmd: 'close' });
    }
  } finally {
    for (const load of loads.values()) await load.stop();
    await server.child.stop();
  }
}

// ------------------------------------------------------------------ 5. start-up

function startup(): void {
  log('start-up');
  for (let i = 0; i < STARTUP_SAMPLES; i++) {
    for (const which of ['ours', 'ocpp-rpc']) {
      const t = performance.now();
      const cmd = SERVER_CORE !== undefined ? 'taskset' : process.execPath;
      const args = [built.startup, which, built.sdk];
      const r = spawnSync(cmd, SERVER_CORE !== undefined ? ['-c', String(SERVER_CORE), process.execPath, ...args] : args, {
        encoding: 'utf8',
        timeout: 60_000,
      });
      const wall = performance.now() - t;
      if (r.status !== 0) throw new Error(`startup ${which}: ${r.stderr}`);
      const j = JSON.parse(r.stdout) as { importMs: number; constructMs: number; firstValidationMs: number; rssMb: number };
      results.add(`start|${which}|import`, j.importMs);
      results.add(`start|${which}|construct`, j.constructMs);
      results.add(`start|${which}|first`, j.firstValidationMs);
      results.add(`start|${which}|total`, j.importMs + j.constructMs + j.firstValidationMs);
      results.add(`start|${which}|wall`, wall);
      results.add(`start|${which}|rss`, j.rssMb);
    }
  }
}

// ------------------------------------------------------------------ 6. compression

async function compression(run: number): Promise<void> {
  log(`run ${run + 1}/${RUNS} compression`);
  const server = await startServer('ours');
  const load = await startLoad(`load-z${run}`);
  const c = 100;
  try {
    const lanes: Lane[] = [];
    for (const on of [false, true]) {
      const failed = await connect(load, 'raw', server.port, 'ocpp2.0.1', c, `Z${run}${on ? 1 : 0}-`, { compression: on, group: String(on) });
      if (failed > 0) results.add(`z|Heartbeat|${on}|errors`, failed);
      lanes.push({ key: String(on), load, group: String(on), server: server.child });
    }
    for (const message of MESSAGES) {
      const windows = await interleave(lanes, 'ocpp2.0.1', message);
      for (const on of [false, true]) store(`z|${message}|${on}`, summarise(windows.get(String(on))!));
      results.add(
        `zr|${message}|cpu`,
        roundRatio(windows, 'true', 'false', (m) => m.serverCpu),
      );
    }
    await load.request({ cmd: 'close' });
  } finally {
    await load.stop();
    await server.child.stop();
  }
}

// ------------------------------------------------------------------ 7. hot-path audit

function audit(): void {
  log('hot-path audit');
  for (const which of ['ours', 'ocpp-rpc']) {
    const r = spawnSync(process.execPath, [built.audit, which, built.sdk], { encoding: 'utf8', timeout: 120_000 });
    if (r.status !== 0) throw new Error(`audit ${which}: ${r.stderr}`);
    const j = JSON.parse(r.stdout.trim().split('\n').at(-1)!) as Record<string, number>;
    for (const k of ['errorsPerCall', 'abortControllersPerCall', 'timersPerCall']) results.add(`audit|${which}|${k}`, j[k]);
  }
}

// ------------------------------------------------------------------ 8. several nodes (bench/cluster.ts)

function clusterContext(): ClusterBenchContext {
  return {
    built,
    results,
    notes,
    quick: QUICK,
    rounds: ROUNDS,
    warmMs: WARM_MS,
    windowMs: WINDOW_MS,
    serverCore: SERVER_CORE,
    loadCore: LOAD_CORE,
    priority: PRIORITY,
    profileDir: flag('profile') ? path.join(OUT, 'profiles') : undefined,
    parts: CLUSTER_PARTS,
    log,
    addErrors: (count) => {
      totalErrors += count;
    },
    quietly,
    startLoad,
    interleave,
  };
}

// ------------------------------------------------------------------ report

function git(cmd: string): string {
  try {
    return execSync(`git ${cmd}`, { cwd: ROOT, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  } catch {
    return '?';
  }
}

function machine(): string[] {
  const cpu = os.cpus()[0]?.model ?? 'unknown CPU';
  const pkg = (name: string): string =>
    (JSON.parse(fs.readFileSync(path.join(ROOT, 'node_modules', name, 'package.json'), 'utf8')) as { version: string }).version;
  return [
    `- Machine: ${cpu}, ${CORES} cores, ${Math.round(os.totalmem() / 2 ** 30)} GB RAM, ${os.type()} ${os.release()}`,
    `- Node ${process.version}; ws ${pkg('ws')}; ocpp-rpc ${pkg('ocpp-rpc')} (strictMode: true)`,
    `- ocpp-sdk: commit ${builtFrom}; loaded from ${built.sdkSource}`,
    `- Processes: ${PIN ? 'server pinned to core 0, load to core 1 (taskset)' : 'NOT pinned (taskset missing or one core)'}; loopback 127.0.0.1; no permessage-deflate unless stated`,
    `- Other load on the machine: load average ${loadStart} at the start, ${os
      .loadavg()
      .map((x) => x.toFixed(1))
      .join(' / ')} at the end (1/5/15 min)` + (PRIORITY !== undefined ? `; benchmark processes ran at nice ${PRIORITY}` : ''),
    `- Quiet windows: of ${num(quiet.windows)} measured windows, ${num(quiet.retried)} were measured again because other processes took more than ${QUIET_LIMIT_CORES} of a core during them (/proc/stat), ` +
      `and ${num(quiet.keptNoisy)} were kept noisy (after ${QUIET_ATTEMPTS} attempts, or once ${QUIET_BUDGET_MS / 1000} s of waiting were spent)`,
    `- ${RUNS} run(s) per figure, shown as median (min–max) over runs. Within a run, the compared systems are measured in alternating windows ` +
      `(${ROUNDS} rounds of ${WINDOW_MS} ms each after ${WARM_MS} ms of load, plus one warm-up round); a run's figure is the median of its windows, and a ratio is the median of the per-round ratios`,
    `- Date: ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC; command: \`npm run bench${argv.length ? ' -- ' + argv.join(' ') : ''}\``,
  ];
}

const r = (key: string): number[] | undefined => results.get(key);

/** The report of {@link versionsSideBySide}, with its target. */
function versionComparison(targets: string[][]): string[] {
  const rows: string[][] = [];
  let worst = Infinity;
  let where = '';
  for (const message of MESSAGES)
    for (const c of CS) {
      const key = `vab|${message}|${c}`;
      const fmt = (what: string): string => cell(r(`${key}|${what}`), (x) => `${x.toFixed(3)}x`);
      rows.push([message, num(c), fmt('rate'), fmt('cpu'), fmt('aa-rate'), fmt('aa-cpu')]);
      const rate = r(`${key}|rate`);
      if (TARGET_CS.includes(c) && rate) {
        const m = median(rate);
        if (m < worst) [worst, where] = [m, `${message} C=${c}`];
      }
    }
  if (where !== '')
    targets.push(['ocpp2.1 round trips/s within 3% of ocpp2.0.1 (ours, same windows)', `worst median ${worst.toFixed(3)}x (${where})`, pass(worst >= 0.97)]);
  return [
    '### ocpp2.1 against ocpp2.0.1 (ocpp-sdk CentralSystem, side by side)',
    '',
    'C connections of each version on the same server process, loaded in alternating windows like the servers above; same payload bytes in both versions. "rate" is round trips/s of 2.1 over 2.0.1; "CPU efficiency" is server µs per round trip of 2.0.1 over 2.1 (above 1: 2.1 cheaper). The control is a second group of 2.0.1 connections measured the same way against the first (A/A): how far from 1.000x the method itself reads. Median over rounds per run, then median (min–max) over runs.',
    '',
    table(['message', 'C', 'rate 2.1 / 2.0.1', 'CPU efficiency 2.1 vs 2.0.1', 'control rate (A/A)', 'control CPU (A/A)'], rows, ['l', 'r']),
    '',
  ];
}

const rcell = (key: string): string => cell(r(key), (v) => `${v.toFixed(2)}x`);
const pass = (ok: boolean): string => (ok ? 'met' : '**MISSED**');

function report(): string {
  const out: string[] = ['# ocpp-sdk benchmark results', '', ...machine(), ''];
  const frameBytes = (v: Version, m: Message): number =>
    Buffer.byteLength(JSON.stringify([2, 'xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx', m, requestPayload(v, m)]));
  const targets: string[][] = [];

  if (SECTIONS.has('throughput')) {
    out.push(
      '## 1. Round trips, one CALL outstanding per connection',
      '',
      `Load: one process, C connections, each sends the next CALL when the answer to the last one arrives, and checks it (type, id, keys). ` +
        `Heartbeat request \`{}\`; MeterValues with 10 sampled values (${num(frameBytes('ocpp1.6', 'MeterValues'))} bytes in 1.6, ${num(frameBytes('ocpp2.0.1', 'MeterValues'))} in 2.0.1, with a 36-character id). ` +
        `"server µs/rt" is the server process's CPU time (user + system) per round trip; "load µs/rt" the load generator's.`,
      '',
    );
    const rows: string[][] = [];
    for (const version of VERSIONS)
      for (const message of MESSAGES)
        for (const c of CS)
          for (const kind of THROUGHPUT_SERVERS) {
            const k = `tp|${version}|${message}|${c}|${kind}`;
            rows.push([
              version,
              message,
              num(c),
              SERVER_LABEL[kind],
              cell(r(`${k}|rate`), (v) => num(v)),
              cell(r(`${k}|cpu`)),
              cell(r(`${k}|p50`)),
              cell(r(`${k}|p99`)),
              cell(r(`${k}|loadcpu`)),
              num(sumOf(`${k}|errors`)),
            ]);
          }
    out.push(
      table(['version', 'message', 'C', 'server', 'round trips/s', 'server µs/rt', 'p50 µs', 'p99 µs', 'load µs/rt', 'errors'], rows, ['l', 'l', 'r', 'l']),
      '',
    );
    out.push(
      '### Ratios (ours to the others, per run)',
      '',
      '"rate" compares round trips/s (the target\'s measure; bounded by the load core too), "CPU" compares server CPU per round trip as efficiency (other µs ÷ our µs: 1.00x = as cheap, above 1 = cheaper than the other).',
      '',
    );
    const rrows: string[][] = [];
    for (const version of VERSIONS)
      for (const message of MESSAGES)
        for (const c of CS) {
          const k = `tpr|${version}|${message}|${c}`;
          rrows.push([
            version,
            message,
            num(c),
            rcell(`${k}|rate/bare`),
            rcell(`${k}|rate/ceiling`),
            rcell(`${k}|rate/rpc`),
            rcell(`${k}|ceiling/rpc`),
            rcell(`${k}|bareeff/cpu`),
            rcell(`${k}|ceileff/cpu`),
            rcell(`${k}|rpccpu/cpu`),
          ]);
        }
    out.push(
      table(
        [
          'version',
          'message',
          'C',
          'rate vs bare',
          'rate vs ceiling',
          'rate vs ocpp-rpc',
          '(ceiling vs ocpp-rpc)',
          'CPU efficiency vs bare',
          'CPU efficiency vs ceiling',
          'CPU efficiency vs ocpp-rpc',
        ],
        rrows,
        ['l', 'l', 'r'],
      ),
      '',
    );
    if (VERSIONS.includes('ocpp2.1')) out.push(...versionComparison(targets));
    for (const [message, bare, rpc] of [
      ['Heartbeat', 0.85, 1.8],
      ['MeterValues', 0.8, 1.4],
    ] as const) {
      const cs = TARGET_CS.filter((c) => CS.includes(c));
      const worst = (what: string): { value: number; where: string } => {
        let value = Infinity;
        let where = '';
        for (const version of VERSIONS)
          for (const c of cs) {
            const m = median(r(`tpr|${version}|${message}|${c}|${what}`) ?? []);
            if (m < value) {
              value = m;
              where = `${version} C=${c}`;
            }
          }
        return { value, where };
      };
      const wb = worst('rate/bare');
      const wr = worst('rate/rpc');
      const wc = worst('rate/ceiling');
      const eb = worst('bareeff/cpu');
      const er = worst('rpccpu/cpu');
      const ec = worst('ceileff/cpu');
      const cr = worst('ceiling/rpc');
      targets.push([
        `${message} round trips/s ≥ ${bare}x bare ws (C = ${cs.join(', ')}, every version)`,
        `worst median ${ratio(wb.value)} (${wb.where}); by server CPU per round trip ${ratio(eb.value)} (${eb.where})`,
        pass(wb.value >= bare),
      ]);
      targets.push([
        `${message} round trips/s ≥ ${rpc}x ocpp-rpc`,
        `worst median ${ratio(wr.value)} (${wr.where}); by CPU ${ratio(er.value)} (${er.where}); the validating ceiling itself reaches ${ratio(cr.value)} (${cr.where})`,
        pass(wr.value >= rpc),
      ]);
      targets.push([
        `${message} round trips/s ≥ 0.9x the validating ceiling`,
        `worst median ${ratio(wc.value)} (${wc.where}); by CPU ${ratio(ec.value)} (${ec.where})`,
        pass(wc.value >= 0.9),
      ]);
    }
  }

  if (SECTIONS.has('churn')) {
    out.push(
      '## 2. Connection setup',
      '',
      `Connect, BootNotification, close (1000) and wait for the close, ${CHURN_PARALLEL} in parallel, OCPP 2.0.1, a new identity each time. Per run, each freshly started server first takes ${num(CHURN_COLD)} connections measured apart ("cold": JIT compilation included), then ${num(CHURN_WARM)} unmeasured ones, then ${ROUNDS} alternating batches of ${num(Math.round(CHURN_TOTAL / ROUNDS))} connections per server (the steady state a long-running server is in). Figures are per connection.`,
      '',
    );
    const rows = CHURN_SERVERS.map((kind) => [
      SERVER_LABEL[kind],
      cell(r(`churn|${kind}|rate`), (v) => num(v)),
      cell(r(`churn|${kind}|cpu`)),
      cell(r(`churn|${kind}|loadcpu`)),
      cell(r(`churn|${kind}|coldcpu`)),
      num(sumOf(`churn|${kind}|errors`)),
    ]);
    out.push(
      table(['server', 'connections/s', 'server µs/connection', 'load µs/connection', `cold: server µs/connection, first ${num(CHURN_COLD)}`, 'errors'], rows),
      '',
    );
    out.push(
      `Ours vs bare ws: server CPU per connection ${rcell('churnr|cpu/bare')}, rate ${rcell('churnr|rate/bare')}; ocpp-rpc's CPU per connection is ${rcell('churnr|rpccpu/cpu')} ours. ` +
        `Cold (the first ${num(CHURN_COLD)} connections after the start): ours ${rcell('churnr|coldcpu/bare')} bare ws.`,
      '',
    );
    const v = median(r('churnr|cpu/bare') ?? []);
    targets.push(['Server CPU per new connection ≤ 1.25x bare ws', `${rcell('churnr|cpu/bare')}`, pass(v <= 1.25)]);
  }

  if (SECTIONS.has('memory')) {
    out.push(
      '## 3. Idle memory per connected station',
      '',
      `Server process with --expose-gc; 200 stations connect, boot, run Heartbeats and leave first (warm-up), then the baseline is taken; then N stations connect (spread over ${CLIENTS_PER_LOAD_PROCESS}-connection load processes) and send a BootNotification. ` +
        'Figures: (value after full GC − baseline) ÷ N, in KB. OCPP 2.0.1.',
      '',
    );
    const rows: string[][] = [];
    for (const size of MEMORY_SIZES)
      for (const kind of MEMORY_SERVERS) {
        const k = `mem|${size}|${kind}`;
        rows.push([num(size), SERVER_LABEL[kind], cell(r(`${k}|rss`)), cell(r(`${k}|heap`)), cell(r(`${k}|external`))]);
      }
    out.push(table(['stations', 'server', 'RSS KB/station', 'heap KB/station', 'external KB/station'], rows, ['r', 'l']), '');
    for (const size of MEMORY_SIZES)
      out.push(
        `- ${num(size)} stations: ours vs bare ws RSS ${rcell(`memr|${size}|rss/bare`)}, heap ${rcell(`memr|${size}|heap/bare`)}; ocpp-rpc RSS is ${rcell(`memr|${size}|rpcrss/rss`)} ours.`,
      );
    out.push('');
    const size = MEMORY_SIZES.at(-1)!;
    const v = median(r(`memr|${size}|rss/bare`) ?? []);
    targets.push([
      `Idle RSS per station at ${num(size)} stations ≤ 1.3x bare ws`,
      `${rcell(`memr|${size}|rss/bare`)} (${cell(r(`mem|${size}|ours|rss`))} KB vs ${cell(r(`mem|${size}|bare|rss`))} KB)`,
      pass(v <= 1.3),
    ]);
  }

  if (SECTIONS.has('client')) {
    out.push(
      '## 4. The ChargePoint side',
      '',
      `Each client in its own load process (core 1) against the bare ws server (core 0), OCPP 2.0.1, one CALL outstanding per connection. The bare ws client is callback-driven: its message listener JSON.parse-s the answer and sends the next CALL (JSON.stringify) at once, with no promise. "Bare ws client, awaited" is the same client behind a promise API, as the libraries are: the loop awaits each call. ` +
        '"client µs/call" is the client process\'s CPU time per call.',
      '',
    );
    const rows: string[][] = [];
    for (const c of CLIENT_CS)
      for (const message of MESSAGES)
        for (const kind of CLIENTS) {
          const k = `cl|${message}|${c}|${kind}`;
          rows.push([
            num(c),
            message,
            CLIENT_LABEL[kind],
            cell(r(`${k}|rate`), (v) => num(v)),
            cell(r(`${k}|loadcpu`)),
            cell(r(`${k}|p50`)),
            cell(r(`${k}|p99`)),
            cell(r(`${k}|cpu`)),
            num(sumOf(`${k}|errors`)),
          ]);
        }
    out.push(
      table(['connections', 'message', 'client', 'calls/s', 'client µs/call', 'p50 µs', 'p99 µs', 'server µs/call', 'errors'], rows, ['r', 'l', 'l']),
      '',
    );
    const rrows: string[][] = [];
    for (const c of CLIENT_CS)
      for (const message of MESSAGES) {
        const k = `clr|${message}|${c}`;
        rrows.push([
          num(c),
          message,
          rcell(`${k}|cpu/raw`),
          rcell(`${k}|rpccpu/raw`),
          rcell(`${k}|rate/raw`),
          rcell(`${k}|rpcrate/raw`),
          rcell(`${k}|rate/await`),
          rcell(`${k}|cpu/await`),
        ]);
      }
    out.push(
      table(
        [
          'connections',
          'message',
          'ChargePoint CPU/call vs bare client',
          'ocpp-rpc CPU/call vs bare client',
          'ChargePoint calls/s vs bare client',
          'ocpp-rpc calls/s vs bare client',
          'ChargePoint calls/s vs awaited bare client',
          'ChargePoint CPU/call vs awaited bare client',
        ],
        rrows,
        ['r', 'l'],
      ),
      '',
    );
    for (const message of MESSAGES) {
      const v = median(r(`clr|${message}|100|cpu/raw`) ?? []);
      targets.push([
        `ChargePoint CPU per call ≤ 2x bare ws client, 100 connections, ${message}`,
        `${rcell(`clr|${message}|100|cpu/raw`)} (ocpp-rpc ${rcell(`clr|${message}|100|rpccpu/raw`)})`,
        pass(v <= 2),
      ]);
      const w = median(r(`clr|${message}|1|rate/raw`) ?? []);
      targets.push([`ChargePoint calls/s on one connection ≥ 0.9x bare ws client, ${message}`, rcell(`clr|${message}|1|rate/raw`), pass(w >= 0.9)]);
    }
  }

  if (SECTIONS.has('startup')) {
    out.push(
      '## 5. Start-up',
      '',
      `A fresh process per sample (${STARTUP_SAMPLES} samples), timed inside it: require the library; construct a server for 1.6 and 2.0.1 with strict validation; validate one BootNotification per version (a library that compiles schemas lazily pays then). "process" is spawn to exit, Node's own start-up included.`,
      '',
    );
    const rows = ['ours', 'ocpp-rpc'].map((w) => [
      w === 'ours' ? 'ocpp-sdk' : 'ocpp-rpc',
      cell(r(`start|${w}|import`)),
      cell(r(`start|${w}|construct`)),
      cell(r(`start|${w}|first`)),
      cell(r(`start|${w}|total`)),
      cell(r(`start|${w}|wall`)),
      cell(r(`start|${w}|rss`)),
    ]);
    out.push(table(['library', 'import ms', 'construct ms', 'first validation ms', 'total ms', 'process ms', 'RSS MB'], rows), '');
  }

  if (SECTIONS.has('compression')) {
    out.push(
      '## 6. permessage-deflate (our server)',
      '',
      'OCPP 2.0.1, C = 100; the load clients offer permessage-deflate (ws defaults) or not; the server uses its defaults (threshold 1024 bytes: MeterValues requests are compressed, the small answers are not).',
      '',
    );
    const rows = MESSAGES.flatMap((message) =>
      [false, true].map((on) => [
        message,
        on ? 'negotiated' : 'off',
        cell(r(`z|${message}|${on}|rate`), (v) => num(v)),
        cell(r(`z|${message}|${on}|cpu`)),
        cell(r(`z|${message}|${on}|p50`)),
        cell(r(`z|${message}|${on}|p99`)),
        num(sumOf(`z|${message}|${on}|errors`)),
      ]),
    );
    out.push(table(['message', 'compression', 'round trips/s', 'server µs/rt', 'p50 µs', 'p99 µs', 'errors'], rows, ['l', 'l']), '');
    out.push(`Server CPU per round trip with compression vs without: Heartbeat ${rcell('zr|Heartbeat|cpu')}, MeterValues ${rcell('zr|MeterValues|cpu')}.`, '');
  }

  if (SECTIONS.has('audit')) {
    out.push(
      '## 7. Hot-path audit',
      '',
      'One process, a client and a server of the same library over loopback (2.0.1, strict), Heartbeat and MeterValues up and ClearCache down; what each call creates in steady state (15,000 calls after 1,500 to warm up). Errors: every `new Error`/`TypeError`/`RangeError` including subclasses; timers: `Timeout` resources.',
      '',
    );
    const rows = ['ours', 'ocpp-rpc'].map((w) => [
      w === 'ours' ? 'ocpp-sdk' : 'ocpp-rpc',
      num(median(r(`audit|${w}|errorsPerCall`) ?? []), 3),
      num(median(r(`audit|${w}|abortControllersPerCall`) ?? []), 3),
      num(median(r(`audit|${w}|timersPerCall`) ?? []), 3),
    ]);
    out.push(table(['library', 'Error objects / call', 'AbortControllers / call', 'timers / call'], rows), '');
    const e = ['errorsPerCall', 'abortControllersPerCall', 'timersPerCall'].map((k) => median(r(`audit|ours|${k}`) ?? []));
    targets.push([
      'No Error object, AbortController or timer per call on the hot path',
      `${e.map((x) => num(x, 3)).join(' / ')} per call`,
      pass(e.every((x) => x < 0.001)),
    ]);
  }

  if (SECTIONS.has('cluster')) {
    const cluster = clusterReport(clusterContext());
    out.push(CLUSTER_START, ...cluster.text, CLUSTER_END, '');
    targets.push(...cluster.targets);
  }

  targets.push(['Zero errors (every answer checked, every connection)', `${num(totalErrors)} errors`, pass(totalErrors === 0)]);
  out.push('## Targets', '', table(['target', 'measured', 'status'], targets, ['l', 'l', 'l']), '');
  if (notes.length) out.push('## Notes from this run', '', ...notes.map((n) => `- ${n}`), '');
  return out.join('\n');
}

function sumOf(key: string): number {
  return (r(key) ?? []).reduce((a, b) => a + b, 0);
}

// ------------------------------------------------------------------ main

/** The cluster section sits between these markers in RESULTS.md. */
const CLUSTER_START = '<!-- cluster section: npm run bench -- --only=cluster -->';
const CLUSTER_END = '<!-- end of cluster section -->';

/**
 * What `--write` saves. The cluster section is measured apart (`--only=cluster`), so a run of
 * the cluster section alone replaces only that section of RESULTS.md (with this run's machine
 * lines and targets inside it), and a run without it keeps the one already there.
 */
function mergeResults(text: string): string {
  const file = path.join(ROOT, 'bench', 'RESULTS.md');
  const old = fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : '';
  const between = (s: string): string | undefined => {
    const a = s.indexOf(CLUSTER_START);
    const b = s.indexOf(CLUSTER_END);
    return a >= 0 && b > a ? s.slice(a, b + CLUSTER_END.length) : undefined;
  };
  const previous = between(old);
  const fresh = between(text);
  const onlyCluster = [...SECTIONS].every((s) => s === 'cluster');
  if (fresh !== undefined && onlyCluster) {
    // This run's machine lines and targets go inside the section, under its heading.
    const head = text
      .slice(0, text.indexOf(CLUSTER_START))
      .split('\n')
      .filter((l) => l.startsWith('- '))
      .join('\n');
    const tail = text
      .slice(text.indexOf(CLUSTER_END) + CLUSTER_END.length)
      .trim()
      .replace(/^## /gm, '### ');
    const [first, ...rest] = fresh.slice(CLUSTER_START.length, -CLUSTER_END.length).trim().split('\n');
    const block = [CLUSTER_START, first, '', head, ...rest, '', tail, CLUSTER_END].join('\n');
    return previous !== undefined ? old.replace(previous, block) : `${old.trimEnd()}\n\n${block}\n`;
  }
  if (fresh === undefined && previous !== undefined) return `${text.trimEnd()}\n\n${previous}\n`;
  return text;
}

async function main(): Promise<void> {
  const t0 = performance.now();
  log(`building (sdk: ${SDK_CHOICE})`);
  builtFrom = git('rev-parse --short HEAD') + (git('status --porcelain -- src').length > 0 ? ' (plus uncommitted changes in src/)' : '');
  const base = option('base') ?? '01715ff';
  const withBase = SECTIONS.has('cluster') && base !== 'none' && CLUSTER_PARTS.has('base');
  built = await buildAll(SDK_CHOICE, {
    cluster: SECTIONS.has('cluster'),
    ...(withBase ? { baseRef: base } : {}),
    ...(option('redis') !== undefined ? { redisModule: option('redis') } : {}),
  });
  log(`SDK: ${built.sdkSource}`);
  const limit = Number(execSync('ulimit -n', { encoding: 'utf8', shell: '/bin/sh' }).trim());
  if (SECTIONS.has('memory') && limit < Math.max(...MEMORY_SIZES) + 1000) {
    notes.push(`open-file limit ${limit} is below ${Math.max(...MEMORY_SIZES)}: run through \`npm run bench\` (bench/bench.sh raises it)`);
  }
  if (!PIN) notes.push('processes were not pinned to cores: figures are noisier and server and load compete for CPU');
  for (let run = 0; run < RUNS; run++) {
    if (SECTIONS.has('throughput')) await throughput(run);
    if (SECTIONS.has('churn')) await churn(run);
    if (SECTIONS.has('memory')) await memory(run);
    if (SECTIONS.has('client')) await clients(run);
    if (SECTIONS.has('compression')) await compression(run);
    if (SECTIONS.has('cluster')) await clusterRun(clusterContext(), run);
  }
  if (SECTIONS.has('startup')) startup();
  if (SECTIONS.has('audit')) audit();
  const text = report() + `\nTotal benchmark time: ${num((performance.now() - t0) / 60_000, 1)} min.\n`;
  process.stdout.write('\n' + text);
  fs.writeFileSync(path.join(OUT, 'RESULTS.md'), text);
  if (flag('write')) {
    fs.writeFileSync(path.join(ROOT, 'bench', 'RESULTS.md'), mergeResults(text));
    log('wrote bench/RESULTS.md');
  }
}

void main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
