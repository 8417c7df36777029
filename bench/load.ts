/**
 * The load generator, a separate process (pinned to core 1): `node load.cjs <label>`, driven by
 * bench/run.ts over IPC. It holds many OCPP connections and keeps exactly one CALL outstanding
 * on each (OCPP's rule), checks every answer (message type, id, keys of the payload) and counts
 * what does not match as an error, along with CALLERRORs, refused connections and drops.
 *
 * Connection kinds:
 * - `raw`: plain OCPP-J over `ws`, no permessage-deflate offered unless asked; this is also the
 *   "bare ws client" of the client-side comparison;
 * - `chargepoint`: this SDK's ChargePoint (public API, strict validation, the defaults);
 * - `ocpp-rpc`: ocpp-rpc's RPCClient with `strictMode: true`.
 *
 * Connections are opened in named groups (one per server, say); `start` runs the loop on one
 * group, so the orchestrator can alternate between servers in short windows.
 *
 * Commands: `connect`, `start`, `snap`, `stop`, `close`, `churn`, `exit`. `snap` reports the
 * round trips and errors so far, this process's CPU time, and the latency percentiles of the
 * round trips completed since the previous snap.
 */
import WebSocket from 'ws';
import { ChargePoint } from '../src/index';
import { cpuMicros, serveCommands, type Command } from './lib/ipc';
import { bootRequest, isExpectedResponse, requestPayload, type Message, type Version } from './lib/messages';

type ConnKind = 'raw' | 'raw-await' | 'chargepoint' | 'ocpp-rpc';

const label = process.argv[2] ?? 'load';

// ------------------------------------------------------------------ measurements

const MAX_SAMPLES = 1 << 20;
const samples = new Float64Array(MAX_SAMPLES);
let sampleCount = 0;
let done = 0;
let errors = 0;
let errorsLogged = 0;

function record(latencyMs: number, ok: boolean): void {
  done++;
  if (!ok) errors++;
  if (sampleCount < MAX_SAMPLES) samples[sampleCount++] = latencyMs;
}

function fail(what: string, detail: unknown): void {
  errors++;
  if (errorsLogged++ < 5) console.error(`${label}: ${what}: ${detail instanceof Error ? detail.message : String(detail)}`);
}

function percentile(sorted: Float64Array, p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))];
}

// ------------------------------------------------------------------ the closed loop

/** What the loop sends now; fixed for one phase. */
const loop = { running: false, action: 'Heartbeat' as Message, payload: {} as Record<string, unknown>, payloadJson: '{}' };

/**
 * Whether raw connections serialize every CALL with JSON.stringify, as an application using a
 * bare ws client does (the client-side comparison), rather than splicing the id into the
 * payload's JSON made once (the server benchmarks, where the load should cost little).
 */
let serializeEachCall = false;

interface Conn {
  /** Sends the next CALL of the loop (raw) or runs the loop (promise clients). */
  start(): void;
  /** Resolves when no CALL is outstanding. */
  idle(): Promise<void>;
  close(): Promise<void>;
}

function openSocket(url: string, protocol: string, compression: boolean): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, [protocol], { perMessageDeflate: compression });
    const onError = (error: Error): void => {
      ws.removeAllListeners();
      ws.on('error', () => {});
      reject(error);
    };
    ws.once('error', onError);
    ws.once('unexpected-response', (_req, res) => {
      res.resume();
      onError(new Error(`HTTP ${res.statusCode}`));
      ws.terminate();
    });
    ws.once('open', () => {
      ws.off('error', onError);
      ws.on('error', (error) => fail('socket error', error));
      if (ws.protocol !== protocol) {
        ws.close();
        reject(new Error(`server selected ${JSON.stringify(ws.protocol)}`));
        return;
      }
      resolve(ws);
    });
  });
}

/** Plain OCPP-J over ws: callback-driven, no promise per call. */
class RawConn implements Conn {
  private seq = 0;
  private pendingId = '';
  private pendingAction = '';
  private sentAt = 0;
  private oneShot: ((ok: boolean) => void) | undefined;
  private onIdle: (() => void) | undefined;
  private closed = false;
  private readonly closedPromise: Promise<void>;

  constructor(
    private readonly ws: WebSocket,
    private readonly prefix: string,
  ) {
    ws.on('message', (data: Buffer) => this.onMessage(data));
    this.closedPromise = new Promise((resolve) =>
      ws.once('close', () => {
        this.closed = true;
        if (this.pendingId !== '') fail('connection closed', `with ${this.pendingAction} outstanding`);
        this.pendingId = '';
        this.oneShot?.(false);
        this.onIdle?.();
        resolve();
      }),
    );
  }

  private send(action: string, payloadJson: string, payload?: unknown): void {
    const id = this.prefix + (++this.seq).toString(36);
    this.pendingId = id;
    this.pendingAction = action;
    this.sentAt = performance.now();
    this.ws.send(payload !== undefined ? JSON.stringify([2, id, action, payload]) : '[2,"' + id + '","' + action + '",' + payloadJson + ']');
  }

  /** One CALL outside the loop (BootNotification). */
  call(action: string, payload: unknown): Promise<boolean> {
    return new Promise((resolve) => {
      this.oneShot = (ok) => {
        this.oneShot = undefined;
        resolve(ok);
      };
      this.send(action, JSON.stringify(payload));
    });
  }

  start(): void {
    if (!this.closed) this.send(loop.action, loop.payloadJson, serializeEachCall ? loop.payload : undefined);
  }

  private onMessage(data: Buffer): void {
    const now = performance.now();
    if (this.pendingId === '') {
      fail('unexpected frame', data.toString().slice(0, 100));
      return;
    }
    let ok = false;
    try {
      const frame: unknown = JSON.parse(data.toString());
      ok = Array.isArray(frame) && frame.length === 3 && frame[0] === 3 && frame[1] === this.pendingId && isExpectedResponse(this.pendingAction, frame[2]);
      if (!ok && errorsLogged++ < 5) console.error(`${label}: bad answer to ${this.pendingAction}: ${data.toString().slice(0, 200)}`);
    } catch {
      // ok stays false
    }
    this.pendingId = '';
    if (this.oneShot) {
      this.oneShot(ok);
      return;
    }
    record(now - this.sentAt, ok);
    if (loop.running && !this.closed) this.send(loop.action, loop.payloadJson, serializeEachCall ? loop.payload : undefined);
    else this.onIdle?.();
  }

  idle(): Promise<void> {
    if (this.pendingId === '' || this.closed) return Promise.resolve();
    return new Promise((resolve) => {
      this.onIdle = () => {
        this.onIdle = undefined;
        resolve();
      };
    });
  }

  close(): Promise<void> {
    if (!this.closed) {
      this.ws.close(1000);
      const t = setTimeout(() => this.ws.terminate(), 5000);
      void this.closedPromise.then(() => clearTimeout(t));
    }
    return this.closedPromise;
  }
}

/** A client library with `call(action, payload): Promise`: the loop awaits each call, as users do. */
class PromiseConn implements Conn {
  private running: Promise<void> = Promise.resolve();

  constructor(
    private readonly callFn: (action: string, payload: unknown) => Promise<unknown>,
    private readonly closeFn: () => Promise<void>,
  ) {}

  async call(action: string, payload: unknown): Promise<boolean> {
    try {
      return isExpectedResponse(action, await this.callFn(action, payload));
    } catch (error) {
      if (errorsLogged++ < 5) console.error(`${label}: ${action} failed: ${error instanceof Error ? error.message : String(error)}`);
      return false;
    }
  }

  start(): void {
    this.running = this.run();
  }

  private async run(): Promise<void> {
    while (loop.running) {
      const action = loop.action;
      const t = performance.now();
      let ok = false;
      try {
        ok = isExpectedResponse(action, await this.callFn(action, loop.payload));
      } catch (error) {
        if (errorsLogged++ < 5) console.error(`${label}: ${action} failed: ${error instanceof Error ? error.message : String(error)}`);
      }
      record(performance.now() - t, ok);
    }
  }

  idle(): Promise<void> {
    return this.running;
  }

  close(): Promise<void> {
    return this.closeFn();
  }
}

/**
 * The bare ws client with the API shape of the client libraries: `call()` returns a promise the
 * loop awaits (one promise, one pending-map entry and one microtask hop per call), so the
 * ChargePoint can also be compared with the least a promise API costs.
 */
function awaitedRawConn(ws: WebSocket, prefix: string): PromiseConn {
  const pending = new Map<string, (payload: unknown) => void>();
  let seq = 0;
  ws.on('message', (data: Buffer) => {
    const frame: unknown = JSON.parse(data.toString());
    if (!Array.isArray(frame) || frame[0] !== 3 || typeof frame[1] !== 'string') {
      fail('unexpected frame', data.toString().slice(0, 100));
      return;
    }
    const resolve = pending.get(frame[1]);
    pending.delete(frame[1]);
    resolve?.(frame[2]);
  });
  return new PromiseConn(
    (action, payload) =>
      new Promise((resolve) => {
        const id = prefix + (++seq).toString(36);
        pending.set(id, resolve);
        ws.send(JSON.stringify([2, id, action, payload]));
      }),
    () =>
      new Promise<void>((resolve) => {
        ws.once('close', () => resolve());
        ws.close(1000);
      }),
  );
}

async function openConn(kind: ConnKind, port: number, protocol: Version, identity: string, compression: boolean): Promise<RawConn | PromiseConn> {
  const base = `ws://127.0.0.1:${port}`;
  if (kind === 'raw') return new RawConn(await openSocket(`${base}/${identity}`, protocol, compression), identity.slice(-6) + '-');
  if (kind === 'raw-await') return awaitedRawConn(await openSocket(`${base}/${identity}`, protocol, compression), identity.slice(-6) + '-');
  if (kind === 'chargepoint') {
    const cp = new ChargePoint({ url: base, identity, protocol, reconnect: false, compression });
    cp.on('error', ({ error }) => fail('ChargePoint error', error));
    await cp.connect();
    return new PromiseConn(
      (action, payload) => cp.call(action as never, payload as never),
      () => cp.close(),
    );
  }
  // Loaded only when used. Its declared option type lists every option as required; the defaults fill the rest.
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded only in the load processes that drive ocpp-rpc clients
  const { RPCClient } = require('ocpp-rpc') as typeof import('ocpp-rpc');
  const client = new RPCClient({ endpoint: base, identity, protocols: [protocol], strictMode: true, reconnect: false } as unknown as ConstructorParameters<
    typeof RPCClient
  >[0]);
  client.on('error', (error: Error) => fail('RPCClient error', error));
  await client.connect();
  return new PromiseConn(
    (action, payload) => client.call(action, payload),
    async () => {
      await client.close({ code: 1000 });
    },
  );
}

/** Runs `fn(i)` for i in [0, n) with at most `parallel` at once. */
async function pool(n: number, parallel: number, fn: (i: number) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < n) await fn(next++);
  };
  await Promise.all(Array.from({ length: Math.min(parallel, n) }, worker));
}

// ------------------------------------------------------------------ commands

/** Connections by group: the orchestrator runs the loop on one group at a time. */
const groups = new Map<string, (RawConn | PromiseConn)[]>();
let active: (RawConn | PromiseConn)[] = [];

async function connect(c: Command): Promise<unknown> {
  const kind = c['kind'] as ConnKind;
  const count = c['count'] as number;
  const protocol = c['protocol'] as Version;
  const boot = c['boot'] === true;
  const prefix = c['prefix'] as string;
  const compression = c['compression'] === true;
  if (c['serialize'] !== undefined) serializeEachCall = c['serialize'] === true;
  const t = performance.now();
  const opened = new Array<RawConn | PromiseConn>(count);
  let failed = 0;
  await pool(count, (c['parallel'] as number | undefined) ?? 100, async (i) => {
    try {
      const conn = await openConn(kind, c['port'] as number, protocol, `${prefix}${String(i).padStart(5, '0')}`, compression);
      if (boot && !(await conn.call('BootNotification', bootRequest(protocol)))) throw new Error('BootNotification not answered as expected');
      opened[i] = conn;
    } catch (error) {
      failed++;
      fail('connect', error);
    }
  });
  const list = opened.filter((x) => x !== undefined);
  groups.set((c['group'] as string | undefined) ?? 'default', list);
  return { opened: list.length, failed, ms: performance.now() - t };
}

async function churn(c: Command): Promise<unknown> {
  const total = c['total'] as number;
  const protocol = c['protocol'] as Version;
  const prefix = c['prefix'] as string;
  const boot = bootRequest(protocol);
  let failed = 0;
  const cpu0 = cpuMicros();
  const t = performance.now();
  await pool(total, (c['parallel'] as number | undefined) ?? 50, async (i) => {
    try {
      const ws = await openSocket(`ws://127.0.0.1:${c['port'] as number}/${prefix}${i}`, protocol, false);
      const conn = new RawConn(ws, 'c-');
      const ok = await conn.call('BootNotification', boot);
      await conn.close();
      if (!ok) throw new Error('BootNotification not answered as expected');
    } catch (error) {
      failed++;
      fail('churn connection', error);
    }
  });
  return { ms: performance.now() - t, failed, cpuUs: cpuMicros() - cpu0 };
}

serveCommands(
  async (c) => {
    switch (c.cmd) {
      case 'connect':
        return connect(c);
      case 'start': {
        if (loop.running) throw new Error('start: the loop is already running');
        loop.action = c['message'] as Message;
        loop.payload = requestPayload(c['protocol'] as Version, loop.action);
        loop.payloadJson = JSON.stringify(loop.payload);
        loop.running = true;
        active = groups.get((c['group'] as string | undefined) ?? 'default') ?? [];
        for (const conn of active) conn.start();
        return { connections: active.length };
      }
      case 'snap': {
        const sorted = samples.slice(0, sampleCount).sort();
        const reply = {
          done,
          errors,
          cpuUs: cpuMicros(),
          at: performance.now(),
          p50: percentile(sorted, 0.5),
          p99: percentile(sorted, 0.99),
          samples: sampleCount,
        };
        sampleCount = 0;
        return reply;
      }
      case 'stop': {
        loop.running = false;
        const idle = Promise.all(active.map((x) => x.idle()));
        let timer: NodeJS.Timeout | undefined;
        const timedOut = await Promise.race([idle.then(() => false), new Promise<boolean>((r) => (timer = setTimeout(() => r(true), 10_000)))]);
        clearTimeout(timer);
        if (timedOut) fail('stop', 'calls still outstanding after 10 s');
        return { done, errors };
      }
      case 'close': {
        const all = [...groups.values()].flat();
        groups.clear();
        active = [];
        await Promise.all(all.map((x) => x.close().catch((error: unknown) => fail('close', error))));
        return { closed: all.length };
      }
      case 'churn':
        return churn(c);
      case 'reset':
        done = 0;
        errors = 0;
        sampleCount = 0;
        return {};
      default:
        throw new Error(`unknown command ${c.cmd}`);
    }
  },
  {
    maxLifetimeMs: 30 * 60_000,
    onExit: async () => {
      await Promise.all([...groups.values()].flat().map((x) => x.close().catch(() => {})));
    },
  },
).hello({ label });
