/**
 * The central system of the fleet benchmark, in its own process: `node fleet-server.cjs <kind>
 * <port>`, driven by bench/fleet/run.ts. Kinds: `ours` (the SDK's CentralSystem, public API,
 * strict validation, default keepalive), `bare` (a `ws` server that parses and answers, the
 * limit) and `ocpp-rpc` (RPCServer, strictMode). Each answers the mix of ./mix.ts and calls 1%
 * of its stations per minute (GetConfiguration), timing those calls.
 *
 * It listens on 127.0.0.1 at a fixed port, so that a restarted server is found where the
 * stations left it. Commands: `snap` (event-loop delay, CPU, connection counts, accept rate and
 * CSMS call latency since the last snap), `mem` (memory after a full GC).
 */
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { WebSocketServer, type WebSocket } from 'ws';
import { CentralSystem } from '../../src/index';
import { cpuMicros, fullGc, serveCommands } from '../lib/ipc';
import { CSMS_CALLS_PER_MINUTE, HEARTBEAT_S } from './mix';

type Kind = 'ours' | 'bare' | 'ocpp-rpc';
const kind = process.argv[2] as Kind;
const port = Number(process.argv[3]);
/** `--backlog`: the listen backlog of every kind (undefined: each kind's own default). */
const backlog = process.argv[4] === undefined || process.argv[4] === '' ? undefined : Number(process.argv[4]);

const now = (): string => new Date().toISOString();
let nextTransactionId = 1;

/** The answer every kind gives to each action of the mix. */
function answer(action: string): Record<string, unknown> | undefined {
  switch (action) {
    case 'BootNotification':
      return { status: 'Accepted', currentTime: now(), interval: HEARTBEAT_S };
    case 'Heartbeat':
      return { currentTime: now() };
    case 'StatusNotification':
    case 'MeterValues':
      return {};
    case 'Authorize':
      return { idTagInfo: { status: 'Accepted' } };
    case 'StartTransaction':
      return { transactionId: nextTransactionId++, idTagInfo: { status: 'Accepted' } };
    case 'StopTransaction':
      return { idTagInfo: { status: 'Accepted' } };
    default:
      return undefined;
  }
}
const ACTIONS = ['BootNotification', 'Heartbeat', 'StatusNotification', 'MeterValues', 'Authorize', 'StartTransaction', 'StopTransaction'] as const;

// ------------------------------------------------------------------ measurements

const loop = monitorEventLoopDelay({ resolution: 10 });
loop.enable();
let connects = 0;
let connected = 0;
let acceptsThisTick = 0;
let peakAcceptsPer100ms = 0;
setInterval(() => {
  if (acceptsThisTick > peakAcceptsPer100ms) peakAcceptsPer100ms = acceptsThisTick;
  acceptsThisTick = 0;
}, 100).unref();
const csmsLatencies: number[] = [];
let csmsErrors = 0;

function accepted(): void {
  connects++;
  connected++;
  acceptsThisTick++;
}

/** A station the CSMS can call: one function per kind. */
type Callable = () => Promise<unknown>;
const callables: Callable[] = [];
function addCallable(call: Callable): () => void {
  callables.push(call);
  return () => {
    const i = callables.indexOf(call);
    if (i !== -1) callables[i] = callables[callables.length - 1];
    if (i !== -1) callables.pop();
  };
}

/**
 * Calls 1% of the connected stations per minute, evenly spread: every 100 ms the calls due for
 * that tenth of a second (at the current fleet size) accrue, and whole ones are made at once.
 */
function startCsmsCalls(): void {
  let due = 0;
  setInterval(() => {
    const n = callables.length;
    due += (n * CSMS_CALLS_PER_MINUTE) / 600;
    for (; due >= 1 && n > 0; due--) {
      const call = callables[Math.floor(Math.random() * n)];
      const t0 = performance.now();
      call().then(
        () => csmsLatencies.push(performance.now() - t0),
        () => csmsErrors++,
      );
    }
  }, 100).unref();
}

// ------------------------------------------------------------------ the three kinds

async function startOurs(): Promise<() => Promise<void>> {
  const cs = new CentralSystem({ protocols: ['ocpp1.6'] });
  for (const action of ACTIONS) cs.handle('ocpp1.6', action, () => answer(action) as never);
  cs.on('connection', (station) => {
    accepted();
    const remove = addCallable(() => station.call('GetConfiguration', { key: ['HeartbeatInterval'] }));
    station.once('close', () => {
      connected--;
      remove();
    });
  });
  cs.on('error', ({ error }) => console.error(`ours: ${error.message}`));
  await cs.listen({ port, host: '127.0.0.1', ...(backlog === undefined ? {} : { backlog }) });
  return () => cs.close({ code: 1001 });
}

async function startBare(): Promise<() => Promise<void>> {
  const wss = new WebSocketServer({
    host: '127.0.0.1',
    port,
    ...(backlog === undefined ? {} : { backlog }),
    perMessageDeflate: false,
    handleProtocols: (offered) => (offered.has('ocpp1.6') ? 'ocpp1.6' : false),
  });
  wss.on('connection', (ws: WebSocket) => {
    accepted();
    let seq = 0;
    const waiting = new Map<string, (ok: boolean) => void>();
    ws.on('message', (data: Buffer) => {
      let frame: unknown;
      try {
        frame = JSON.parse(data.toString());
      } catch {
        return;
      }
      if (!Array.isArray(frame)) return;
      if (frame[0] === 2) ws.send(JSON.stringify([3, frame[1], answer(frame[2] as string) ?? {}]));
      else waiting.get(frame[1] as string)?.(frame[0] === 3);
    });
    const remove = addCallable(
      () =>
        new Promise((resolve, reject) => {
          const id = `c${++seq}`;
          waiting.set(id, (ok) => {
            waiting.delete(id);
            if (ok) resolve(undefined);
            else reject(new Error('CALLERROR'));
          });
          ws.send(JSON.stringify([2, id, 'GetConfiguration', { key: ['HeartbeatInterval'] }]));
        }),
    );
    ws.on('close', () => {
      connected--;
      remove();
    });
    ws.on('error', () => {});
  });
  await new Promise<void>((resolve) => wss.once('listening', () => resolve()));
  return () =>
    new Promise<void>((resolve) => {
      for (const ws of wss.clients) ws.terminate();
      wss.close(() => resolve());
    });
}

async function startOcppRpc(): Promise<() => Promise<void>> {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- only this kind's process carries ocpp-rpc
  const { RPCServer } = require('ocpp-rpc') as typeof import('ocpp-rpc');
  const server = new RPCServer({ protocols: ['ocpp1.6'], strictMode: true });
  type Client = {
    handle(method: string, handler: () => unknown): void;
    call(method: string, params: unknown): Promise<unknown>;
    once(event: 'close', listener: () => void): void;
  };
  server.on('client', (client: Client) => {
    accepted();
    for (const action of ACTIONS) client.handle(action, () => answer(action));
    const remove = addCallable(() => client.call('GetConfiguration', { key: ['HeartbeatInterval'] }));
    client.once('close', () => {
      connected--;
      remove();
    });
  });
  await server.listen(port, '127.0.0.1');
  return () => server.close({ force: true });
}

function percentile(sorted: readonly number[], p: number): number {
  return sorted.length === 0 ? NaN : sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))];
}

async function main(): Promise<void> {
  let close: () => Promise<void> = async () => {};
  const channel = serveCommands(
    async (command) => {
      switch (command.cmd) {
        case 'snap': {
          const sorted = csmsLatencies.splice(0).sort((a, b) => a - b);
          const result = {
            connected,
            connects,
            peakAcceptsPer100ms,
            cpuUs: cpuMicros(),
            loopP99Ms: loop.percentile(99) / 1e6,
            loopMaxMs: loop.max / 1e6,
            csmsCalls: sorted.length,
            csmsErrors,
            csmsP50: percentile(sorted, 0.5),
            csmsP99: percentile(sorted, 0.99),
            csmsMax: sorted.length === 0 ? NaN : sorted[sorted.length - 1],
            rssBytes: process.memoryUsage().rss,
          };
          loop.reset();
          peakAcceptsPer100ms = 0;
          return result;
        }
        case 'mem': {
          await fullGc();
          const m = process.memoryUsage();
          return { rss: m.rss, heapUsed: m.heapUsed, external: m.external, arrayBuffers: m.arrayBuffers, connected };
        }
        default:
          throw new Error(`unknown command ${command.cmd}`);
      }
    },
    { maxLifetimeMs: 3 * 3600_000, onExit: () => close() },
  );
  close = kind === 'ours' ? await startOurs() : kind === 'bare' ? await startBare() : await startOcppRpc();
  startCsmsCalls();
  channel.hello({ kind, port });
}

void main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
