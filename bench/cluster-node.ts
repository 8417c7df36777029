/**
 * A process of the cluster benchmark (bench/cluster.ts), driven over IPC like the others:
 *
 * - `node <json>`: a CentralSystem node (both versions, strict validation, the same handlers as
 *   bench/server.ts `ours`), with `redisCluster` over node-redis or ioredis, or no adapter at all
 *   (`client: 'none'`). Commands: `cpu`, `fleet` (wait until the fleet has `size` stations),
 *   `loop` (start `inFlight` call loops on stations held by other nodes, or on this node's own),
 *   `snap` (calls, errors, latency percentiles since the last snap), `stop-loop`, `count`, `exit`.
 * - `stations <json>`: raw OCPP-J chargers over `ws` that connect to a node, boot, and answer the
 *   node's CALLs (ClearCache, GetConfiguration) at once. Commands: `connect`, `close`, `cpu`.
 */
import WebSocket from 'ws';
import { CentralSystem, RemoteStation } from '../src/index';
import { redisCluster } from '../src/redis/index';
import { cpuMicros, serveCommands, type Command } from './lib/ipc';
import { bootRequest, responsePayload, type Version } from './lib/messages';

interface NodeOptions {
  client: 'node-redis' | 'ioredis' | 'none';
  events?: boolean;
  redisHost?: string;
  redisPort?: number;
  namespace?: string;
  nodeId?: string;
}

const role = process.argv[2];
const options = JSON.parse(process.argv[3] ?? '{}') as NodeOptions;

// ------------------------------------------------------------------ latency samples

const MAX_SAMPLES = 1 << 20;
const samples = new Float64Array(MAX_SAMPLES);
let sampleCount = 0;
let done = 0;
let errors = 0;
let errorsLogged = 0;

function fail(what: string, detail: unknown): void {
  errors++;
  if (errorsLogged++ < 5)
    console.error(`${role} ${options.nodeId ?? ''}: ${what}: ${detail instanceof Error ? `${detail.name}: ${detail.message}` : String(detail)}`);
}

function snap(): Record<string, number> {
  const sorted = samples.slice(0, sampleCount).sort();
  const at = (p: number): number => (sorted.length === 0 ? NaN : sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))]);
  const reply = { done, errors, cpuUs: cpuMicros(), at: performance.now(), p50: at(0.5), p99: at(0.99), samples: sampleCount };
  sampleCount = 0;
  return reply;
}

// ------------------------------------------------------------------ a node

async function startNode(): Promise<{ cs: CentralSystem; close(): Promise<void>; port: number }> {
  let cluster: ReturnType<typeof redisCluster> | undefined;
  let quit: () => Promise<unknown> = async () => {};
  if (options.client === 'node-redis') {
    const { createClient } = await import('redis');
    const client = createClient({ socket: { host: options.redisHost ?? '127.0.0.1', port: options.redisPort } });
    client.on('error', (error: Error) => fail('redis', error));
    await client.connect();
    cluster = redisCluster({ client, nodeId: options.nodeId, namespace: options.namespace, events: options.events ?? false });
    quit = () => client.close();
  } else if (options.client === 'ioredis') {
    const { Redis } = await import('ioredis');
    const client = new Redis({ host: options.redisHost ?? '127.0.0.1', port: options.redisPort });
    client.on('error', (error: Error) => fail('ioredis', error));
    await new Promise<void>((resolve, reject) => {
      client.once('ready', () => resolve());
      client.once('error', reject);
    });
    cluster = redisCluster({ client, nodeId: options.nodeId, namespace: options.namespace, events: options.events ?? false });
    quit = () => client.quit();
  }
  const cs = new CentralSystem({ protocols: ['ocpp2.0.1', 'ocpp1.6'], ...(cluster ? { cluster } : {}) });
  for (const protocol of ['ocpp1.6', 'ocpp2.0.1'] as const) {
    cs.handle(protocol, 'Heartbeat', () => ({ currentTime: new Date().toISOString() }));
    cs.handle(protocol, 'MeterValues', () => ({}));
  }
  cs.handle('ocpp1.6', 'BootNotification', () => ({ status: 'Accepted', currentTime: new Date().toISOString(), interval: 300 }));
  cs.handle('ocpp2.0.1', 'BootNotification', () => ({ status: 'Accepted', currentTime: new Date().toISOString(), interval: 300 }));
  cs.on('error', ({ error }) => fail('central system', error));
  const address = await cs.listen({ port: 0, host: '127.0.0.1' });
  return {
    cs,
    port: address.port,
    close: async () => {
      await cs.close({ code: 1001 });
      await quit().catch(() => undefined);
    },
  };
}

/** Call loops: each keeps one ClearCache outstanding on its own station (OCPP's one CALL per direction). */
const loops = { running: false, active: [] as Promise<void>[] };

type Callable = { call(action: 'ClearCache', payload: Record<string, never>, options?: { timeoutMs: number }): Promise<unknown> };

async function runLoop(station: Callable): Promise<void> {
  while (loops.running) {
    const t = performance.now();
    try {
      const answer = (await station.call('ClearCache', {}, { timeoutMs: 10_000 })) as { status?: string };
      if (answer.status !== 'Accepted') fail('ClearCache', JSON.stringify(answer));
      done++;
      if (sampleCount < MAX_SAMPLES) samples[sampleCount++] = performance.now() - t;
    } catch (error) {
      fail('ClearCache', error);
    }
  }
}

async function runNode(): Promise<void> {
  const node: { handle?: Awaited<ReturnType<typeof startNode>> } = {};
  const channel = serveCommands(
    async (command: Command) => {
      const cs = node.handle!.cs;
      switch (command.cmd) {
        case 'cpu':
          return { cpuUs: cpuMicros(), at: performance.now() };
        case 'count':
          return { connected: cs.stations.size };
        case 'fleet': {
          const size = command['size'] as number;
          const until = Date.now() + 20_000;
          while (cs.fleet.size < size && Date.now() < until) await new Promise((r) => setTimeout(r, 20));
          return { size: cs.fleet.size, local: cs.stations.size };
        }
        case 'loop': {
          if (loops.running) throw new Error('loop: already running');
          const remote = command['remote'] === true;
          const inFlight = command['inFlight'] as number;
          const targets: Callable[] = [];
          for (const station of cs.fleet) {
            if (remote === station instanceof RemoteStation) targets.push(station);
            if (targets.length === inFlight) break;
          }
          if (targets.length < inFlight) throw new Error(`loop: ${targets.length} ${remote ? 'remote' : 'local'} stations, ${inFlight} needed`);
          loops.running = true;
          loops.active = targets.map((s) => runLoop(s));
          return { loops: targets.length };
        }
        case 'snap':
          return snap();
        case 'stop-loop':
          loops.running = false;
          await Promise.all(loops.active);
          loops.active = [];
          return { done, errors };
        default:
          throw new Error(`unknown command ${command.cmd}`);
      }
    },
    { maxLifetimeMs: 30 * 60_000, onExit: () => node.handle?.close() },
  );
  node.handle = await startNode();
  channel.hello({ port: node.handle.port, pid: process.pid });
}

// ------------------------------------------------------------------ raw chargers

const sockets: WebSocket[] = [];

function openStation(port: number, identity: string, protocol: Version): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`ws://127.0.0.1:${port}/${identity}`, [protocol], { perMessageDeflate: false });
    let booted = false;
    ws.once('error', reject);
    ws.on('message', (data: Buffer) => {
      const frame = JSON.parse(data.toString()) as unknown[];
      if (frame[0] === 2) {
        // The node's CALL: answered at once, so the figures measure the path, not the charger.
        const action = frame[2] as string;
        const payload = action === 'ClearCache' ? { status: 'Accepted' } : action === 'GetConfiguration' ? { configurationKey: [] } : responsePayload(action);
        ws.send(JSON.stringify([3, frame[1], payload]));
      } else if (!booted && frame[0] === 3 && frame[1] === 'boot') {
        booted = true;
        ws.off('error', reject);
        ws.on('error', (error) => fail('station socket', error));
        resolve(ws);
      } else if (!booted) {
        reject(new Error(`boot answered ${data.toString().slice(0, 200)}`));
      }
    });
    ws.once('open', () => ws.send(JSON.stringify([2, 'boot', 'BootNotification', bootRequest(protocol)])));
  });
}

function stations(): void {
  serveCommands(
    async (command: Command) => {
      switch (command.cmd) {
        case 'cpu':
          return { cpuUs: cpuMicros(), at: performance.now() };
        case 'connect': {
          const { port, count, prefix, protocol } = command as unknown as { port: number; count: number; prefix: string; protocol: Version };
          const opened = await Promise.all(Array.from({ length: count }, (_, i) => openStation(port, `${prefix}${i}`, protocol)));
          sockets.push(...opened);
          return { opened: opened.length };
        }
        case 'close': {
          await Promise.all(
            sockets.splice(0).map(
              (ws) =>
                new Promise<void>((resolve) => {
                  ws.once('close', () => resolve());
                  ws.close(1000);
                }),
            ),
          );
          return {};
        }
        default:
          throw new Error(`unknown command ${command.cmd}`);
      }
    },
    { maxLifetimeMs: 30 * 60_000, onExit: () => sockets.forEach((ws) => ws.terminate()) },
  ).hello({ role });
}

if (role === 'node') {
  void runNode().catch((error: unknown) => {
    console.error(error);
    process.exit(1);
  });
} else if (role === 'stations') {
  stations();
} else {
  console.error(`unknown role ${role}: node | stations`);
  process.exit(2);
}
