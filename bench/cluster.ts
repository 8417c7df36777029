/**
 * The cluster section of the benchmark (`npm run bench -- --only=cluster`; not in the default
 * list: it needs redis-server and adds about 4 minutes per run). Driven by bench/run.ts, which
 * passes in its helpers; the node and charger processes are bench/cluster-node.ts.
 *
 * (a) Calls across nodes: a caller node calls ClearCache on stations held by an owner node
 *     (caller -> Redis -> owner -> station -> owner -> Redis -> caller), over node-redis and over
 *     ioredis, against a local call on a node without an adapter and on the owner node itself;
 *     sequential (one in flight) and with 100 in flight. Alternating windows, as the suite does.
 * (b) Connection setup (connect, BootNotification, close), server CPU per connection: a node
 *     without adapter vs nodes with the adapter, events on and off, both clients; plus what
 *     redis-server and an idle second node of the same cluster spend per connection.
 * (c) Single node, no adapter: this tree's SDK against the SDK of `--base` (default 01715ff,
 *     the commit before the cluster core), round trips and connection setup, in one run.
 */
import { execSync, spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import type { Built } from './lib/build';
import { Child } from './lib/ipc';
import type { Message, Version } from './lib/messages';
import { cell, median, num, Series, table } from './lib/stats';

/** What run.ts lends this section. */
export interface ClusterBenchContext {
  readonly built: Built;
  readonly results: Series;
  readonly notes: string[];
  readonly quick: boolean;
  readonly rounds: number;
  readonly warmMs: number;
  readonly windowMs: number;
  readonly serverCore: number | undefined;
  readonly loadCore: number | undefined;
  readonly priority: number | undefined;
  /** `--profile`: the nodes run with --cpu-prof (profiles in bench/.build/profiles/). */
  readonly profileDir: string | undefined;
  /** Which parts run: calls, setup, base. */
  readonly parts: ReadonlySet<string>;
  log(text: string): void;
  addErrors(count: number): void;
  quietly<T>(measure: (probe: { start(): void; stop(ownCpuUs: number): void }) => Promise<T>): Promise<T>;
  startLoad(label: string): Promise<Child>;
  /** run.ts's alternating windows over load groups (throughput lanes). */
  interleave(
    lanes: readonly { key: string; load: Child; group: string; server: Child | undefined }[],
    protocol: Version,
    message: Message,
  ): Promise<Map<string, { rate: number; serverCpu: number; p50: number; p99: number; errors: number }[]>>;
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
const rotate = <T>(list: readonly T[], run: number): T[] => list.map((_, i) => list[(i + run) % list.length]);
const CLK_TCK = 100;

// ------------------------------------------------------------------ redis-server

interface RedisProc {
  readonly port: number;
  readonly pid: number;
  cpuUs(): number;
  stop(): Promise<void>;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

/** redis-server on 127.0.0.1 (TCP, as nodes on several machines would use it), nothing saved, pinned to the load core. */
async function startRedis(core: number | undefined, priority: number | undefined): Promise<RedisProc> {
  const port = await freePort();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ocpp-bench-redis-'));
  const args = ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', dir, '--loglevel', 'warning'];
  const child: ChildProcess =
    core !== undefined
      ? spawn('taskset', ['-c', String(core), 'redis-server', ...args], { stdio: 'ignore' })
      : spawn('redis-server', args, { stdio: 'ignore' });
  const kill = (): void => void child.kill('SIGKILL');
  process.once('exit', kill);
  if (priority !== undefined && child.pid !== undefined) os.setPriority(child.pid, priority);
  for (let i = 0; ; i++) {
    const ok = await new Promise<boolean>((resolve) => {
      const s = net.connect(port, '127.0.0.1');
      s.once('error', () => resolve(false));
      s.once('connect', () => s.write('PING\r\n'));
      s.once('data', (d) => {
        s.destroy();
        resolve(d.toString().startsWith('+PONG'));
      });
    });
    if (ok) break;
    if (i > 200 || child.exitCode !== null) throw new Error('redis-server did not start (is it installed?)');
    await sleep(25);
  }
  const pid = child.pid!;
  return {
    port,
    pid,
    cpuUs: () => {
      const f = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
      return ((Number(f[11]) + Number(f[12])) * 1e6) / CLK_TCK;
    },
    stop: async () => {
      process.off('exit', kill);
      if (child.exitCode === null) {
        const exited = new Promise((r) => child.once('exit', r));
        child.kill('SIGTERM');
        await exited;
      }
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

// ------------------------------------------------------------------ processes

type ClientKind = 'node-redis' | 'ioredis' | 'none';

async function startNode(
  ctx: ClusterBenchContext,
  label: string,
  options: { client: ClientKind; events?: boolean; redisPort?: number; namespace?: string; nodeId?: string },
  core: number | undefined,
): Promise<{ child: Child; port: number }> {
  const nodeArgs: string[] = [];
  if (ctx.profileDir !== undefined) {
    fs.mkdirSync(ctx.profileDir, { recursive: true });
    nodeArgs.push('--cpu-prof', `--cpu-prof-dir=${ctx.profileDir}`, `--cpu-prof-name=cluster-${label}.${Date.now()}.cpuprofile`, '--cpu-prof-interval=100');
  }
  const child = new Child(`cluster:${label}`, ctx.built.clusterNode!, ['node', JSON.stringify(options)], { core, nodeArgs, priority: ctx.priority });
  const hello = await child.ready;
  return { child, port: hello['port'] as number };
}

async function startStations(ctx: ClusterBenchContext, label: string, core: number | undefined): Promise<Child> {
  const child = new Child(label, ctx.built.clusterNode!, ['stations', '{}'], { core, priority: ctx.priority });
  await child.ready;
  return child;
}

const cpuOf = async (child: Child): Promise<number> => (await child.request<{ cpuUs: number }>({ cmd: 'cpu' })).cpuUs;

// ------------------------------------------------------------------ (a) calls across nodes

const CALL_LANES = ['local', 'local-adapter', 'node-redis', 'ioredis'] as const;
type CallLane = (typeof CALL_LANES)[number];
export const CALL_LANE_LABEL: Record<CallLane, string> = {
  local: 'local call, node without adapter',
  'local-adapter': 'local call, node with adapter (node-redis)',
  'node-redis': 'cross-node call, node-redis',
  ioredis: 'cross-node call, ioredis',
};
const MODES = [
  { key: 'seq', inFlight: 1, label: 'sequential (1 in flight)' },
  { key: 'par', inFlight: 100, label: '100 in flight' },
] as const;
const STATIONS_PER_NODE = 100;

interface CallWindow {
  rate: number;
  p50: number;
  p99: number;
  /** CPU µs per call of the node processes involved (caller and owner). */
  nodeCpu: number;
  redisCpu: number;
  errors: number;
}

async function crossNode(ctx: ClusterBenchContext, run: number, redis: RedisProc): Promise<void> {
  const children: Child[] = [];
  const start = async (label: string, options: Parameters<typeof startNode>[2]): Promise<{ child: Child; port: number }> => {
    const n = await startNode(ctx, label, options, undefined);
    children.push(n.child);
    return n;
  };
  try {
    const plain = await start('plain', { client: 'none' });
    const nr = { a: await start('nr-a', { client: 'node-redis', redisPort: redis.port, namespace: `x-nr-${run}`, nodeId: 'nr-a' }) } as Record<
      string,
      { child: Child; port: number }
    >;
    nr.b = await start('nr-b', { client: 'node-redis', redisPort: redis.port, namespace: `x-nr-${run}`, nodeId: 'nr-b' });
    const io = { a: await start('io-a', { client: 'ioredis', redisPort: redis.port, namespace: `x-io-${run}`, nodeId: 'io-a' }) } as Record<
      string,
      { child: Child; port: number }
    >;
    io.b = await start('io-b', { client: 'ioredis', redisPort: redis.port, namespace: `x-io-${run}`, nodeId: 'io-b' });
    const stations = await startStations(ctx, `cluster-stations${run}`, undefined);
    children.push(stations);
    for (const [node, prefix] of [
      [plain, 'P'],
      [nr.b, 'N'],
      [io.b, 'I'],
    ] as const) {
      await stations.request({ cmd: 'connect', port: node.port, count: STATIONS_PER_NODE, prefix: `${prefix}${run}-`, protocol: 'ocpp1.6' });
    }
    for (const a of [nr.a, io.a]) {
      const f = await a.child.request<{ size: number }>({ cmd: 'fleet', size: STATIONS_PER_NODE });
      if (f.size !== STATIONS_PER_NODE) throw new Error(`a caller node sees ${f.size} of ${STATIONS_PER_NODE} remote stations`);
    }
    const lanes: Record<CallLane, { caller: Child; remote: boolean; nodes: Child[]; redis: boolean }> = {
      local: { caller: plain.child, remote: false, nodes: [plain.child], redis: false },
      'local-adapter': { caller: nr.b.child, remote: false, nodes: [nr.b.child], redis: true },
      'node-redis': { caller: nr.a.child, remote: true, nodes: [nr.a.child, nr.b.child], redis: true },
      ioredis: { caller: io.a.child, remote: true, nodes: [io.a.child, io.b.child], redis: true },
    };
    const window = async (lane: CallLane, inFlight: number, warmMs: number, windowMs: number): Promise<CallWindow> => {
      const l = lanes[lane];
      let errors = 0;
      const w = await ctx.quietly(async (probe) => {
        const e0 = (await l.caller.request<{ errors: number }>({ cmd: 'snap' })).errors;
        await l.caller.request({ cmd: 'loop', remote: l.remote, inFlight });
        await sleep(warmMs);
        const [s0, st0, ...n0] = await Promise.all([l.caller.request<{ done: number; at: number }>({ cmd: 'snap' }), cpuOf(stations), ...l.nodes.map(cpuOf)]);
        const r0 = redis.cpuUs();
        probe.start();
        await sleep(windowMs);
        const [s1, st1, ...n1] = await Promise.all([
          l.caller.request<{ done: number; at: number; p50: number; p99: number; errors: number }>({ cmd: 'snap' }),
          cpuOf(stations),
          ...l.nodes.map(cpuOf),
        ]);
        const r1 = redis.cpuUs();
        const nodeUs = n1.reduce((a, v, i) => a + v - n0[i], 0);
        // Our processes' CPU, so that the quiet-window check counts only other work.
        probe.stop(nodeUs + (st1 - st0) + (r1 - r0));
        const stopped = await l.caller.request<{ errors: number }>({ cmd: 'stop-loop' }, 60_000);
        errors += stopped.errors - e0;
        const n = s1.done - s0.done;
        return { rate: n / ((s1.at - s0.at) / 1000), p50: s1.p50, p99: s1.p99, nodeCpu: nodeUs / n, redisCpu: l.redis ? (r1 - r0) / n : 0, errors: 0 };
      });
      w.errors = errors;
      ctx.addErrors(errors);
      return w;
    };
    // JIT warm-up of every path, unmeasured.
    for (const lane of CALL_LANES) {
      await window(lane, 100, ctx.quick ? 500 : 1500, 50);
      await window(lane, 1, ctx.quick ? 200 : 500, 50);
    }
    for (const mode of MODES) {
      ctx.log(`run ${run + 1} cluster: calls, ${mode.label}`);
      const windows = new Map<CallLane, CallWindow[]>(CALL_LANES.map((l) => [l, []]));
      for (let round = 0; round <= ctx.rounds; round++) {
        for (const lane of rotate(CALL_LANES, round)) {
          const w = await window(lane, mode.inFlight, ctx.warmMs, ctx.windowMs * 2);
          if (round > 0) windows.get(lane)!.push(w);
          else if (w.errors > 0) ctx.results.add(`cx|${mode.key}|${lane}|errors`, w.errors);
        }
      }
      for (const lane of CALL_LANES) {
        const list = windows.get(lane)!;
        const k = `cx|${mode.key}|${lane}`;
        ctx.results.add(`${k}|rate`, median(list.map((w) => w.rate)));
        ctx.results.add(`${k}|p50`, median(list.map((w) => w.p50)));
        ctx.results.add(`${k}|p99`, median(list.map((w) => w.p99)));
        ctx.results.add(`${k}|cpu`, median(list.map((w) => w.nodeCpu)));
        ctx.results.add(`${k}|rediscpu`, median(list.map((w) => w.redisCpu)));
        ctx.results.add(
          `${k}|errors`,
          list.reduce((a, w) => a + w.errors, 0),
        );
        // Added latency: the same round's local call (no adapter) subtracted, in ms.
        const local = windows.get('local')!;
        ctx.results.add(`${k}|addedp50`, median(list.map((w, i) => w.p50 - local[i].p50)));
        ctx.results.add(`${k}|addedp99`, median(list.map((w, i) => w.p99 - local[i].p99)));
      }
    }
    await stations.request({ cmd: 'close' });
  } finally {
    for (const c of children.reverse()) await c.stop();
  }
}

// ------------------------------------------------------------------ (b) connection setup

const CHURN_KINDS = ['none', 'nr-events', 'nr-noevents', 'io-events', 'io-noevents'] as const;
type ChurnKind = (typeof CHURN_KINDS)[number];
export const CHURN_LABEL: Record<ChurnKind, string> = {
  none: 'no adapter (single node)',
  'nr-events': 'redisCluster, node-redis, events on',
  'nr-noevents': 'redisCluster, node-redis, events off',
  'io-events': 'redisCluster, ioredis, events on',
  'io-noevents': 'redisCluster, ioredis, events off',
};
const CHURN_PARALLEL = 50;
const CHURN_COLD = 500;

async function churnSetup(ctx: ClusterBenchContext, run: number, redis: RedisProc): Promise<void> {
  ctx.log(`run ${run + 1} cluster: connection setup`);
  const children: Child[] = [];
  const total = ctx.quick ? 2000 : 4000;
  const warmCount = ctx.quick ? 1500 : 3500;
  const batch = Math.round(total / ctx.rounds);
  try {
    const servers = new Map<ChurnKind, { child: Child; port: number }>();
    for (const kind of CHURN_KINDS) {
      const client: ClientKind = kind === 'none' ? 'none' : kind.startsWith('nr') ? 'node-redis' : 'ioredis';
      const n = await startNode(
        ctx,
        `churn-${kind}`,
        { client, events: kind.endsWith('-events'), redisPort: redis.port, namespace: `c-${kind}-${run}`, nodeId: `c-${kind}` },
        ctx.serverCore,
      );
      children.push(n.child);
      servers.set(kind, n);
    }
    // A second node of the node-redis cluster with events on: it holds nothing and only hears presence.
    const observer = await startNode(
      ctx,
      'churn-observer',
      { client: 'node-redis', events: true, redisPort: redis.port, namespace: `c-nr-events-${run}`, nodeId: 'c-observer' },
      ctx.loadCore,
    );
    children.push(observer.child);
    const load = await ctx.startLoad(`load-cluster-churn${run}`);
    children.push(load);
    let attempt = 0;
    const measure = async (kind: ChurnKind, count: number) =>
      ctx.quietly(async (probe) => {
        const server = servers.get(kind)!;
        const [c0, o0] = await Promise.all([cpuOf(server.child), cpuOf(observer.child)]);
        const r0 = redis.cpuUs();
        probe.start();
        const r = await load.request<{ ms: number; failed: number; cpuUs: number }>(
          { cmd: 'churn', port: server.port, protocol: 'ocpp2.0.1', total: count, parallel: CHURN_PARALLEL, prefix: `K${run}${kind}a${attempt++}-` },
          300_000,
        );
        // Releases and their presence messages finish a moment after the last close.
        await sleep(30);
        const [c1, o1] = await Promise.all([cpuOf(server.child), cpuOf(observer.child)]);
        const r1 = redis.cpuUs();
        probe.stop(c1 - c0 + (o1 - o0) + (r1 - r0) + r.cpuUs);
        ctx.addErrors(r.failed);
        return { cpu: (c1 - c0) / count, redis: (r1 - r0) / count, observer: (o1 - o0) / count, rate: count / (r.ms / 1000), errors: r.failed };
      });
    for (const kind of rotate(CHURN_KINDS, run)) {
      const cold = await measure(kind, CHURN_COLD);
      ctx.results.add(`cc|${kind}|coldcpu`, cold.cpu);
      const warm = await load.request<{ failed: number }>(
        { cmd: 'churn', port: servers.get(kind)!.port, protocol: 'ocpp2.0.1', total: warmCount, parallel: CHURN_PARALLEL, prefix: `K${run}${kind}warm-` },
        300_000,
      );
      ctx.addErrors(warm.failed);
      if (cold.errors + warm.failed > 0) ctx.results.add(`cc|${kind}|errors`, cold.errors + warm.failed);
    }
    const windows = new Map<ChurnKind, Awaited<ReturnType<typeof measure>>[]>(CHURN_KINDS.map((k) => [k, []]));
    for (let round = 1; round <= ctx.rounds; round++) for (const kind of rotate(CHURN_KINDS, round)) windows.get(kind)!.push(await measure(kind, batch));
    const base = windows.get('none')!;
    for (const kind of CHURN_KINDS) {
      const list = windows.get(kind)!;
      ctx.results.add(`cc|${kind}|cpu`, median(list.map((w) => w.cpu)));
      ctx.results.add(`cc|${kind}|redis`, median(list.map((w) => w.redis)));
      ctx.results.add(`cc|${kind}|rate`, median(list.map((w) => w.rate)));
      if (kind === 'nr-events') ctx.results.add(`cc|${kind}|observer`, median(list.map((w) => w.observer)));
      ctx.results.add(`cc|${kind}|ratio`, median(list.map((w, i) => w.cpu / base[i].cpu)));
      ctx.results.add(
        `cc|${kind}|errors`,
        list.reduce((a, w) => a + w.errors, 0),
      );
    }
  } finally {
    for (const c of children.reverse()) await c.stop();
  }
}

// ------------------------------------------------------------------ (c) this tree vs the base commit, single node

const AB_CS = [1, 100];
const AB_MESSAGES: readonly Message[] = ['Heartbeat', 'MeterValues'];
const AB_VERSIONS: readonly Version[] = ['ocpp1.6', 'ocpp2.0.1'];

async function baseVsNow(ctx: ClusterBenchContext, run: number): Promise<void> {
  const built = ctx.built;
  if (built.serverBase === undefined) return;
  const children: Child[] = [];
  try {
    const servers: Record<'now' | 'base', { child: Child; port: number }> = {} as never;
    for (const [key, script] of [
      ['now', built.server],
      ['base', built.serverBase],
    ] as const) {
      const child = new Child(`server:${key}`, script, ['ours', '{}'], { core: ctx.serverCore, priority: ctx.priority });
      children.push(child);
      servers[key] = { child, port: (await child.ready)['port'] as number };
    }
    const load = await ctx.startLoad(`load-ab${run}`);
    children.push(load);
    for (const version of AB_VERSIONS) {
      for (const c of AB_CS) {
        ctx.log(`run ${run + 1} cluster: single node now vs ${built.baseCommit}, ${version} C=${c}`);
        const lanes = [];
        for (const key of ['now', 'base'] as const) {
          const r = await load.request<{ failed: number }>(
            { cmd: 'connect', kind: 'raw', port: servers[key].port, protocol: version, count: c, prefix: `AB${run}${key}${c}-`, group: key },
            300_000,
          );
          ctx.addErrors(r.failed);
          lanes.push({ key, load, group: key, server: servers[key].child });
        }
        for (const message of AB_MESSAGES) {
          const windows = await ctx.interleave(lanes, version, message);
          const now = windows.get('now')!;
          const base = windows.get('base')!;
          const k = `ab|${version}|${message}|${c}`;
          ctx.results.add(`${k}|now|rate`, median(now.map((w) => w.rate)));
          ctx.results.add(`${k}|base|rate`, median(base.map((w) => w.rate)));
          ctx.results.add(`${k}|now|cpu`, median(now.map((w) => w.serverCpu)));
          ctx.results.add(`${k}|base|cpu`, median(base.map((w) => w.serverCpu)));
          ctx.results.add(`${k}|rate`, median(now.map((w, i) => w.rate / base[i].rate)));
          ctx.results.add(`${k}|cpu`, median(now.map((w, i) => w.serverCpu / base[i].serverCpu)));
        }
        await load.request({ cmd: 'close' }, 300_000);
      }
    }
    // Connection setup, now vs base.
    const warmCount = ctx.quick ? 1500 : 3500;
    const batch = Math.round((ctx.quick ? 2000 : 4000) / ctx.rounds);
    let attempt = 0;
    const churn = (key: 'now' | 'base', count: number) =>
      ctx.quietly(async (probe) => {
        const c0 = await cpuOf(servers[key].child);
        probe.start();
        const r = await load.request<{ ms: number; failed: number; cpuUs: number }>(
          { cmd: 'churn', port: servers[key].port, protocol: 'ocpp2.0.1', total: count, parallel: CHURN_PARALLEL, prefix: `ABC${run}${key}${attempt++}-` },
          300_000,
        );
        const c1 = await cpuOf(servers[key].child);
        probe.stop(c1 - c0 + r.cpuUs);
        ctx.addErrors(r.failed);
        return (c1 - c0) / count;
      });
    for (const key of ['now', 'base'] as const) await churn(key, CHURN_COLD + warmCount);
    const w: Record<'now' | 'base', number[]> = { now: [], base: [] };
    for (let round = 1; round <= ctx.rounds; round++) for (const key of rotate(['now', 'base'] as const, round)) w[key].push(await churn(key, batch));
    ctx.results.add('ab|churn|now|cpu', median(w.now));
    ctx.results.add('ab|churn|base|cpu', median(w.base));
    ctx.results.add('ab|churn|cpu', median(w.now.map((v, i) => v / w.base[i])));
  } finally {
    for (const c of children.reverse()) await c.stop();
  }
}

// ------------------------------------------------------------------ the section

/** One run of the cluster section. */
export async function clusterRun(ctx: ClusterBenchContext, run: number): Promise<void> {
  if (ctx.parts.has('calls') || ctx.parts.has('setup')) {
    const redis = await startRedis(ctx.loadCore, ctx.priority);
    try {
      if (ctx.parts.has('calls')) await crossNode(ctx, run, redis);
      if (ctx.parts.has('setup')) await churnSetup(ctx, run, redis);
    } finally {
      await redis.stop();
    }
  }
  if (ctx.parts.has('base')) await baseVsNow(ctx, run);
}

/** The report's cluster section and its targets. */
export function clusterReport(ctx: ClusterBenchContext): { text: string[]; targets: string[][] } {
  const r = (key: string): number[] | undefined => ctx.results.get(key);
  const x = (key: string): string => cell(r(key), (v) => `${v.toFixed(2)}x`);
  const ms = (key: string): string => cell(r(key), (v) => v.toFixed(3));
  const sum = (key: string): number => (r(key) ?? []).reduce((a, b) => a + b, 0);
  const med = (key: string): number => median(r(key) ?? []);
  const pass = (ok: boolean): string => (ok ? 'met' : '**MISSED**');
  const out: string[] = [
    '## Several nodes (cluster)',
    '',
    `redis-server ${redisVersion()} on 127.0.0.1 (TCP), nothing saved, pinned to the load core; node-redis ${pkg('redis')}, ioredis ${pkg('ioredis')}. ` +
      'Node processes of the cross-node part are not pinned (caller, owner, stations and redis-server share the 2 cores); the connection-setup nodes are pinned to the server core.',
    '',
  ];
  if (ctx.parts.has('calls'))
    out.push(
      '### Calls across nodes',
      '',
      `ClearCache (OCPP 1.6) from a node to stations held by another node of the same cluster (caller → Redis → owner → station → owner → Redis → caller), ` +
        `against the same call made locally. ${STATIONS_PER_NODE} raw-ws stations per owner answer at once. Per run: lanes measured in alternating windows (${ctx.rounds} rounds of ${ctx.windowMs * 2} ms after ${ctx.warmMs} ms, plus a warm-up round, after an unmeasured JIT warm-up). ` +
        '"node µs/call" is the CPU of the node processes involved (caller and owner); "redis µs/call" is redis-server\'s (/proc, 10 ms ticks). "added" subtracts the same round\'s local call without adapter.',
      '',
    );
  const rows: string[][] = [];
  for (const mode of MODES)
    for (const lane of CALL_LANES) {
      const k = `cx|${mode.key}|${lane}`;
      rows.push([
        mode.label,
        CALL_LANE_LABEL[lane],
        cell(r(`${k}|rate`), (v) => num(v)),
        ms(`${k}|p50`),
        ms(`${k}|p99`),
        lane === 'local' ? '–' : ms(`${k}|addedp50`),
        cell(r(`${k}|cpu`)),
        lane === 'local' ? '–' : cell(r(`${k}|rediscpu`)),
        num(sum(`${k}|errors`)),
      ]);
    }
  if (ctx.parts.has('calls'))
    out.push(table(['mode', 'path', 'calls/s', 'p50 ms', 'p99 ms', 'added p50 ms', 'node µs/call', 'redis µs/call', 'errors'], rows, ['l', 'l']), '');

  if (ctx.parts.has('setup'))
    out.push(
      '### Connection setup with the adapter',
      '',
      `Connect, BootNotification (2.0.1), close and wait for the close, ${CHURN_PARALLEL} in parallel, a new identity each time (claim, release, presence; with events: connected, call, disconnected). ` +
        `Per run each node first takes ${CHURN_COLD} connections ("cold"), then ${ctx.quick ? '1,500' : '3,500'} unmeasured, then ${ctx.rounds} alternating batches. ` +
        '"vs no adapter" is the per-round ratio of server CPU per connection. The idle second node hears every claim and release over Pub/Sub.',
      '',
    );
  const crow = CHURN_KINDS.map((kind) => [
    CHURN_LABEL[kind],
    cell(r(`cc|${kind}|rate`), (v) => num(v)),
    cell(r(`cc|${kind}|cpu`)),
    kind === 'none' ? '–' : x(`cc|${kind}|ratio`),
    kind === 'none' ? '–' : cell(r(`cc|${kind}|redis`)),
    kind === 'nr-events' ? cell(r(`cc|${kind}|observer`)) : '–',
    cell(r(`cc|${kind}|coldcpu`)),
    num(sum(`cc|${kind}|errors`)),
  ]);
  out.push(
    table(
      ['node', 'connections/s', 'server µs/connection', 'vs no adapter', 'redis µs/connection', 'idle 2nd node µs/connection', 'cold µs/connection', 'errors'],
      crow,
    ),
    '',
  );

  const targets: string[][] = [];
  if (ctx.parts.has('calls')) {
    const added = Math.max(med('cx|seq|node-redis|addedp50'), med('cx|seq|ioredis|addedp50'));
    targets.push([
      'Cluster: added p50 of a cross-node call ≤ 0.5 ms (sequential)',
      `node-redis ${ms('cx|seq|node-redis|addedp50')} ms, ioredis ${ms('cx|seq|ioredis|addedp50')} ms (p50 ${ms('cx|seq|node-redis|p50')} / ${ms('cx|seq|ioredis|p50')} vs local ${ms('cx|seq|local|p50')})`,
      pass(added <= 0.5),
    ]);
    const rate = Math.min(med('cx|par|node-redis|rate'), med('cx|par|ioredis|rate'));
    targets.push([
      'Cluster: ≥ 10,000 cross-node calls/s with 100 in flight',
      `node-redis ${cell(r('cx|par|node-redis|rate'), (v) => num(v))}, ioredis ${cell(r('cx|par|ioredis|rate'), (v) => num(v))} (local ${cell(r('cx|par|local|rate'), (v) => num(v))})`,
      pass(rate >= 10_000),
    ]);
  }
  if (ctx.parts.has('setup')) {
    const worst = Math.max(...CHURN_KINDS.filter((k) => k !== 'none').map((k) => med(`cc|${k}|ratio`)));
    targets.push([
      'Cluster: connection setup CPU ≤ 1.3x the single node',
      CHURN_KINDS.filter((k) => k !== 'none')
        .map((k) => `${CHURN_LABEL[k].replace('redisCluster, ', '')} ${x(`cc|${k}|ratio`)}`)
        .join('; '),
      pass(worst <= 1.3),
    ]);
  }

  if (ctx.built.serverBase !== undefined && ctx.parts.has('base')) {
    out.push(
      `### Single node, no adapter: this tree vs ${ctx.built.baseCommit} (before the cluster core)`,
      '',
      `Both SDKs built the same way (esbuild bundle of src/index.ts; the base from \`git archive ${ctx.built.baseCommit} src\`), the same bench/server.ts \`ours\` kind, in alternating windows of one run (server pinned to core 0, load to core 1). Ratios are now ÷ base per round: 1.00x = unchanged; rate above 1 and CPU below 1 are better.`,
      '',
    );
    const arows: string[][] = [];
    for (const version of AB_VERSIONS)
      for (const message of AB_MESSAGES)
        for (const c of AB_CS) {
          const k = `ab|${version}|${message}|${c}`;
          arows.push([
            version,
            message,
            num(c),
            cell(r(`${k}|now|rate`), (v) => num(v)),
            cell(r(`${k}|base|rate`), (v) => num(v)),
            x(`${k}|rate`),
            cell(r(`${k}|now|cpu`)),
            cell(r(`${k}|base|cpu`)),
            x(`${k}|cpu`),
          ]);
        }
    arows.push(['ocpp2.0.1', 'connection setup', '50', '–', '–', '–', cell(r('ab|churn|now|cpu')), cell(r('ab|churn|base|cpu')), x('ab|churn|cpu')]);
    out.push(
      table(['version', 'message', 'C', 'now round trips/s', 'base round trips/s', 'rate now/base', 'now server µs', 'base server µs', 'CPU now/base'], arows, [
        'l',
        'l',
        'r',
      ]),
      '',
    );
    const ratios: number[] = [];
    for (const version of AB_VERSIONS) for (const message of AB_MESSAGES) for (const c of AB_CS) ratios.push(med(`ab|${version}|${message}|${c}|cpu`));
    ratios.push(med('ab|churn|cpu'));
    const worstCpu = Math.max(...ratios);
    targets.push([
      `Cluster: single node without adapter unchanged (server CPU now vs ${ctx.built.baseCommit}, within 5%)`,
      `worst median CPU ratio ${worstCpu.toFixed(2)}x, best ${Math.min(...ratios).toFixed(2)}x (${ratios.length} figures)`,
      pass(worstCpu <= 1.05),
    ]);
  }
  return { text: out, targets };
}

function pkg(name: string): string {
  try {
    return (JSON.parse(fs.readFileSync(path.join(__dirname, '..', 'node_modules', name, 'package.json'), 'utf8')) as { version: string }).version;
  } catch {
    try {
      return (JSON.parse(fs.readFileSync(path.join(process.cwd(), 'node_modules', name, 'package.json'), 'utf8')) as { version: string }).version;
    } catch {
      return '?';
    }
  }
}

function redisVersion(): string {
  try {
    return /v=(\S+)/.exec(execSync('redis-server --version', { encoding: 'utf8' }))?.[1] ?? '?';
  } catch {
    return '?';
  }
}
