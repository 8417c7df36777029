/**
 * Several CentralSystem nodes serving one fleet, through Redis (`ocpp-sdk/redis`):
 *
 *   npx ts-node examples/cluster.ts                        # starts its own redis-server
 *   REDIS_URL=redis://127.0.0.1:6379 npx ts-node examples/cluster.ts
 *
 * Without REDIS_URL it starts `redis-server` (if installed) on a Unix socket in a temporary
 * folder, with no TCP port and nothing saved, and stops it at the end. Then it forks itself
 * three times: three CentralSystem nodes (node-a, node-b, node-c), each in its own process with
 * its own node-redis client and the `redisCluster` adapter. Thirty simulated chargers
 * (examples/charge-point.ts; every fifth one speaks OCPP 2.0.1) connect and boot, spread over
 * the three nodes. Then each node calls every charger held by another node through `cs.fleet`:
 * one line per call (who asked, who holds the charger, the answer, the time), a summary, and a
 * clean shutdown. Exit code 0 when every call came back right, 1 otherwise, and 1 with a
 * message when there is neither redis-server nor REDIS_URL.
 *
 * What a node does is what a production node does: `new CentralSystem({ cluster })`, listen,
 * and call `cs.fleet.get(identity)?.call(...)` whether the station is on this node or another.
 */
import { spawn, fork, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createClient } from 'redis';
import { RemoteStation, type DefaultOcppVersion } from '../src/index';
import { redisCluster } from '../src/redis/index';
import { createDemoCentralSystem, DEMO_PATH } from './central-system';
import { createSimulatedCharger, type SimulatedCharger } from './charge-point';

const NODES = ['node-a', 'node-b', 'node-c'] as const;
const CHARGERS = 30;
/** The whole run must end within this. */
const DEADLINE_MS = 60_000;
/** The configuration key read from each charger, per version. */
const HEARTBEAT_KEY = { 'ocpp1.6': 'HeartbeatInterval', 'ocpp2.0.1': 'OCPPCommCtrlr/HeartbeatInterval' } as const;

/** Where the nodes find Redis: a URL (REDIS_URL) or the Unix socket of the redis-server we started. */
type RedisTarget = { url: string } | { socket: string };

/** One remote call, as a node reports it. */
interface CallReport {
  asker: string;
  identity: string;
  holder: string;
  protocol: string;
  action: string;
  ok: boolean;
  answer: string;
  ms: number;
}

/** Parent → node messages. */
type ToNode = { type: 'wait-fleet'; size: number } | { type: 'call-others' } | { type: 'stop' };
/** Node → parent messages. */
type FromNode =
  | { type: 'listening'; port: number }
  | { type: 'fleet'; size: number; local: number }
  | { type: 'calls'; reports: CallReport[] }
  | { type: 'stopped' }
  | { type: 'failed'; message: string };

// ------------------------------------------------------------------ one node (a child process)

async function runNode(nodeId: string, target: RedisTarget, namespace: string): Promise<void> {
  const send = (message: FromNode): void => void process.send?.(message);
  // The user builds and owns the Redis client; the adapter opens its own subscriber from it.
  const client = 'url' in target ? createClient({ url: target.url }) : createClient({ socket: { path: target.socket, tls: false } });
  // Unreachable at start: say so and stop, rather than retry for ever (later drops are retried by the client).
  const unreachable = new Promise<never>((_, reject) => client.once('error', (error: Error) => reject(new Error(`cannot reach Redis: ${error.message}`))));
  unreachable.catch(() => undefined); // an error after a good start is not this promise's business
  await Promise.race([client.connect(), unreachable]);
  client.on('error', (error: Error) => console.error(`${nodeId}: redis: ${error.message}`));
  // events: false keeps this example from leaving an event stream behind in a shared Redis.
  const cluster = redisCluster({ client, nodeId, namespace, events: false });
  const cs = createDemoCentralSystem({ log: false, cluster });
  cs.on('error', ({ error, identity }) => console.error(`${nodeId}: error${identity ? ` (${identity})` : ''}: ${error.message}`));
  const { port } = await cs.listen({ port: 0, host: '127.0.0.1' });
  send({ type: 'listening', port });

  process.on('message', (message: ToNode) => {
    void (async () => {
      if (message.type === 'wait-fleet') {
        // Presence travels over Pub/Sub: another node's charger shows up a broker hop after its boot.
        const until = Date.now() + 5000;
        while (cs.fleet.size < message.size && Date.now() < until) await new Promise((r) => setTimeout(r, 20));
        send({ type: 'fleet', size: cs.fleet.size, local: cs.stations.size });
      } else if (message.type === 'call-others') {
        const reports: CallReport[] = [];
        for (const station of cs.fleet) {
          if (!(station instanceof RemoteStation)) continue; // this node's own chargers
          if (station.protocol === 'ocpp2.1') continue; // none in this fleet: it runs 1.6 and 2.0.1 chargers
          reports.push(await callOne(nodeId, station));
        }
        send({ type: 'calls', reports });
      } else if (message.type === 'stop') {
        await cs.close(); // leaves the cluster; never closes the client it was given
        await client.close();
        send({ type: 'stopped' });
        process.disconnect();
      }
    })().catch((error: unknown) => send({ type: 'failed', message: error instanceof Error ? error.message : String(error) }));
  });
  // The parent is gone (killed, or it crashed): do not linger.
  process.on('disconnect', () => setTimeout(() => process.exit(0), 2000).unref());
}

/** Reads the heartbeat interval of a charger held by another node: the same call() as a local station's. */
async function callOne(asker: string, station: RemoteStation<DefaultOcppVersion>): Promise<CallReport> {
  const base = { asker, identity: station.identity, holder: station.node, protocol: station.protocol };
  const started = performance.now();
  try {
    if (station.protocol === 'ocpp1.6') {
      const response = await (station as RemoteStation<'ocpp1.6'>).call('GetConfiguration', { key: [HEARTBEAT_KEY['ocpp1.6']] }, { timeoutMs: 5000 });
      const value = response.configurationKey?.find((k) => k.key === HEARTBEAT_KEY['ocpp1.6'])?.value;
      return { ...base, action: 'GetConfiguration', ok: value !== undefined, answer: `HeartbeatInterval=${value}`, ms: performance.now() - started };
    }
    const [component, variable] = HEARTBEAT_KEY['ocpp2.0.1'].split('/');
    const response = await (station as RemoteStation<'ocpp2.0.1'>).call(
      'GetVariables',
      { getVariableData: [{ component: { name: component }, variable: { name: variable } }] },
      { timeoutMs: 5000 },
    );
    const result = response.getVariableResult[0];
    const ok = result?.attributeStatus === 'Accepted';
    return {
      ...base,
      action: 'GetVariables',
      ok,
      answer: `${variable}=${result?.attributeValue} (${result?.attributeStatus})`,
      ms: performance.now() - started,
    };
  } catch (error) {
    const name = error instanceof Error ? error.name : 'Error';
    const message = error instanceof Error ? error.message : String(error);
    return {
      ...base,
      action: station.protocol === 'ocpp1.6' ? 'GetConfiguration' : 'GetVariables',
      ok: false,
      answer: `${name}: ${message}`,
      ms: performance.now() - started,
    };
  }
}

// ------------------------------------------------------------------ the coordinator (the parent)

/** redis-server: REDIS_SERVER when set (only that one), else the usual paths or the PATH; undefined when none. */
function redisServerBinary(): string | undefined {
  if (process.env.REDIS_SERVER) return existsSync(process.env.REDIS_SERVER) ? process.env.REDIS_SERVER : undefined;
  for (const candidate of ['/usr/bin/redis-server', '/usr/local/bin/redis-server', '/opt/homebrew/bin/redis-server']) {
    if (existsSync(candidate)) return candidate;
  }
  const found = spawnSync('sh', ['-c', 'command -v redis-server'], { encoding: 'utf8' });
  return found.status === 0 && found.stdout.trim() !== '' ? found.stdout.trim() : undefined;
}

/** Starts redis-server on a Unix socket in a temporary folder; resolves once it answers. */
async function startRedisServer(binary: string): Promise<{ socket: string; stop(): Promise<void> }> {
  const dir = mkdtempSync(path.join(tmpdir(), 'ocpp-cluster-example-'));
  const socket = path.join(dir, 'redis.sock');
  const args = ['--port', '0', '--unixsocket', socket, '--unixsocketperm', '700', '--save', '', '--appendonly', 'no', '--dir', dir, '--loglevel', 'warning'];
  const server = spawn(binary, args, { stdio: ['ignore', 'ignore', 'inherit'] });
  const exited = new Promise<void>((resolve) => server.once('exit', () => resolve()));
  const kill = (): void => {
    if (server.exitCode === null && server.signalCode === null) server.kill('SIGKILL');
  };
  process.once('exit', kill); // whatever happens, no redis-server is left behind
  const stop = async (): Promise<void> => {
    if (server.exitCode === null && server.signalCode === null) server.kill('SIGTERM');
    const timer = setTimeout(kill, 3000);
    await exited;
    clearTimeout(timer);
    process.off('exit', kill);
    rmSync(dir, { recursive: true, force: true });
  };
  const probe = createClient({ socket: { path: socket, tls: false, reconnectStrategy: false } });
  probe.on('error', () => {});
  for (const until = Date.now() + 10_000; Date.now() < until; await new Promise((r) => setTimeout(r, 25))) {
    if (server.exitCode !== null) throw new Error(`redis-server exited with code ${server.exitCode}`);
    if (!existsSync(socket)) continue;
    try {
      await probe.connect();
      await probe.close();
      return { socket, stop };
    } catch {
      // not ready yet
    }
  }
  await stop();
  throw new Error('redis-server did not answer within 10 s');
}

/** The node's loader flags: a child runs the same TypeScript this file runs in (tsx or ts-node). */
function childExecArgv(): string[] {
  const argv = process.execArgv.filter((a) => !a.startsWith('--inspect'));
  const underTsNode = (process as unknown as Record<symbol, unknown>)[Symbol.for('ts-node.register.instance')] !== undefined;
  if (underTsNode && !argv.some((a) => a.includes('ts-node'))) argv.push('--require', 'ts-node/register');
  return argv;
}

/** A forked node, with a way to wait for its next message of a type. */
class NodeProcess {
  readonly child: ChildProcess;
  private readonly inbox: FromNode[] = [];
  private wake: (() => void) | undefined;
  port = 0;
  /** Whether it reported a failure (then it exits by itself). */
  failed = false;

  constructor(
    readonly id: string,
    target: RedisTarget,
    namespace: string,
  ) {
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      CLUSTER_EXAMPLE_NODE: id,
      CLUSTER_EXAMPLE_REDIS: JSON.stringify(target),
      CLUSTER_EXAMPLE_NAMESPACE: namespace,
      TS_NODE_PROJECT: process.env.TS_NODE_PROJECT ?? path.join(__dirname, '..', 'tsconfig.json'),
    };
    this.child = fork(__filename, [], { execArgv: childExecArgv(), env, stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    this.child.on('message', (message: FromNode) => {
      this.inbox.push(message);
      this.wake?.();
    });
    this.child.on('exit', () => this.wake?.());
  }

  send(message: ToNode): void {
    this.child.send(message);
  }

  async next<T extends FromNode['type']>(type: T, timeoutMs = 15_000): Promise<Extract<FromNode, { type: T }>> {
    const until = Date.now() + timeoutMs;
    for (;;) {
      const failed = this.inbox.find((m) => m.type === 'failed');
      if (failed?.type === 'failed') {
        this.failed = true;
        this.inbox.splice(this.inbox.indexOf(failed), 1);
        throw new Error(`${this.id}: ${failed.message}`);
      }
      const index = this.inbox.findIndex((m) => m.type === type);
      if (index >= 0) return this.inbox.splice(index, 1)[0] as Extract<FromNode, { type: T }>;
      if (this.child.exitCode !== null || this.child.signalCode !== null)
        throw new Error(`${this.id} exited (${this.child.exitCode ?? this.child.signalCode})`);
      const left = until - Date.now();
      if (left <= 0) throw new Error(`${this.id}: no '${type}' within ${timeoutMs} ms`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.wake = () => {
          clearTimeout(timer);
          this.wake = undefined;
          resolve();
        };
      });
    }
  }
}

const ms = (v: number): string => `${v.toFixed(2)} ms`;
const percentile = (sorted: readonly number[], p: number): number => sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))] ?? NaN;

async function main(): Promise<void> {
  const binary = process.env.REDIS_URL ? undefined : redisServerBinary();
  if (!process.env.REDIS_URL && binary === undefined) {
    console.error(
      'This example needs Redis: install redis-server (e.g. apt-get install redis-server, brew install redis), ' +
        'or point REDIS_URL at a running one (REDIS_URL=redis://127.0.0.1:6379 npx ts-node examples/cluster.ts).',
    );
    process.exit(1);
  }
  const started = performance.now();
  const deadline = setTimeout(() => {
    console.error(`not done within ${DEADLINE_MS / 1000} s: giving up`);
    process.exit(1);
  }, DEADLINE_MS);
  deadline.unref();

  let target: RedisTarget;
  let redis: { stop(): Promise<void> } | undefined;
  if (process.env.REDIS_URL) {
    target = { url: process.env.REDIS_URL };
    console.log(`Redis: ${process.env.REDIS_URL.replace(/\/\/[^@/]*@/, '//***@')} (REDIS_URL)`);
  } else {
    const server = await startRedisServer(binary!);
    redis = server;
    target = { socket: server.socket };
    console.log(`Redis: redis-server started on ${server.socket} (no TCP port, nothing saved)`);
  }
  // A namespace of its own, so that a shared Redis (REDIS_URL) keeps other fleets apart.
  const namespace = `cluster-example-${process.pid}`;

  const nodes = NODES.map((id) => new NodeProcess(id, target, namespace));
  const chargers: SimulatedCharger[] = [];
  let failures = 0;
  try {
    for (const node of nodes) {
      node.port = (await node.next('listening')).port;
      console.log(`${node.id}: listening on ws://127.0.0.1:${node.port}${DEMO_PATH} (pid ${node.child.pid})`);
    }

    // Thirty chargers, dealt round-robin over the nodes (a load balancer would do the same).
    const holder = new Map<string, string>();
    await Promise.all(
      Array.from({ length: CHARGERS }, async (_, i) => {
        const identity = `CP-${String(i + 1).padStart(2, '0')}`;
        const protocol: DefaultOcppVersion = (i + 1) % 5 === 0 ? 'ocpp2.0.1' : 'ocpp1.6';
        const node = nodes[i % nodes.length];
        const charger = createSimulatedCharger(protocol, {
          url: `ws://127.0.0.1:${node.port}${DEMO_PATH}`,
          identity,
          chargePoint: { reconnect: false },
        });
        charger.on('error', ({ error }) => console.error(`${identity}: ${error.message}`));
        chargers.push(charger);
        await charger.start(); // connects, boots, reports its connector Available
        holder.set(identity, node.id);
      }),
    );
    const v201 = chargers.filter((c) => c.protocol === 'ocpp2.0.1').length;
    console.log(`${CHARGERS} chargers booted (${CHARGERS - v201} OCPP 1.6, ${v201} OCPP 2.0.1), ${CHARGERS / nodes.length} per node`);

    for (const node of nodes) node.send({ type: 'wait-fleet', size: CHARGERS });
    for (const node of nodes) {
      const { size, local } = await node.next('fleet');
      console.log(`${node.id}: cs.fleet.size = ${size} (${local} here, ${size - local} on other nodes)`);
      if (size !== CHARGERS) {
        console.error(`${node.id} sees ${size} of ${CHARGERS} chargers`);
        failures++;
      }
    }

    console.log('\nEach node calls every charger held by another node:\n');
    const all: CallReport[] = [];
    for (const node of nodes) {
      node.send({ type: 'call-others' });
      const { reports } = await node.next('calls');
      for (const r of reports) {
        const right = r.ok && holder.get(r.identity) === r.holder && r.holder !== r.asker;
        if (!right) failures++;
        console.log(
          `${right ? '✔' : '✘'} ${r.asker} → ${r.identity.padEnd(5)}  held by ${r.holder}  ${r.protocol.padEnd(9)}  ${r.action.padEnd(16)}  ${r.answer.padEnd(32)}  ${ms(r.ms)}`,
        );
      }
      const expected = CHARGERS - [...holder.values()].filter((h) => h === node.id).length;
      if (reports.length !== expected) {
        console.error(`${node.id} called ${reports.length} remote chargers, expected ${expected}`);
        failures++;
      }
      all.push(...reports);
    }

    console.log('\nSummary:');
    for (const node of nodes) {
      const mine = all.filter((r) => r.asker === node.id);
      const times = mine.map((r) => r.ms).sort((a, b) => a - b);
      console.log(
        `  ${node.id}: ${mine.filter((r) => r.ok).length}/${mine.length} calls answered; p50 ${ms(percentile(times, 0.5))}, max ${ms(times.at(-1) ?? NaN)}`,
      );
    }
    const ok = all.filter((r) => r.ok).length;
    console.log(`  ${ok}/${all.length} cross-node calls answered, ${failures} problem(s), ${((performance.now() - started) / 1000).toFixed(1)} s in all`);
  } catch (error) {
    failures++;
    console.error(error instanceof Error ? error.message : String(error));
  } finally {
    // Chargers first (their nodes release them in Redis), then the nodes, then Redis.
    await Promise.all(chargers.map((c) => c.stop().catch(() => undefined)));
    for (const node of nodes) if (node.child.connected && !node.failed) node.send({ type: 'stop' });
    for (const node of nodes) {
      if (node.failed || node.child.exitCode !== null || node.child.signalCode !== null) continue; // gone, or going (it said why)
      try {
        await node.next('stopped', 10_000);
      } catch (error) {
        failures++;
        console.error(error instanceof Error ? error.message : String(error));
        node.child.kill('SIGKILL');
      }
    }
    await redis?.stop();
  }
  console.log(failures === 0 ? 'All nodes reached every charger; shut down cleanly.' : `FAILED: ${failures} problem(s)`);
  process.exit(failures === 0 ? 0 : 1);
}

const nodeId = process.env.CLUSTER_EXAMPLE_NODE;
if (nodeId !== undefined && process.send !== undefined) {
  runNode(nodeId, JSON.parse(process.env.CLUSTER_EXAMPLE_REDIS ?? '{}') as RedisTarget, process.env.CLUSTER_EXAMPLE_NAMESPACE ?? 'ocpp').catch(
    (error: unknown) => {
      // The parent prints it; exit once the message is out.
      process.send?.({ type: 'failed', message: error instanceof Error ? error.message : String(error) } satisfies FromNode, () => process.exit(1));
    },
  );
} else if (require.main === module) {
  void main();
}
