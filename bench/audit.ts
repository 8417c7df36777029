/**
 * Hot-path audit, in one process: `node --expose-gc audit.cjs <ours|ocpp-rpc|checks> <sdk path>`
 * (or `npx tsx bench/audit.ts checks src/index.ts` on the sources).
 *
 * `checks` (also run first by `ours`) pins the endpoint's performance internals, which unit tests
 * should not: one deadline timer per endpoint and none while idle or after close, the timer
 * unref-ed, no event object or `emit` call without a listener, no AbortController for handlers
 * that never read `ctx.signal`, one abort listener per call given a signal and none left after it
 * settles. Each check prints `ok` or `FAIL` on stderr; a failed one fails the audit (exit 2).
 *
 * Counts what each library creates per call in steady state, with a client and a server of the
 * same library talking over loopback (OCPP 2.0.1, strict validation): Error objects (every
 * `new Error`/`TypeError`/`RangeError`, including subclasses, through Proxies installed before
 * the library is loaded), AbortControllers (a counting subclass as the global) and timers
 * (async_hooks `Timeout` resources). Calls go both ways: station to server (Heartbeat,
 * MeterValues) and server to station (ClearCache). Prints one JSON line.
 */
import { createHook } from 'node:async_hooks';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { bootRequest, requestPayload } from './lib/messages';

const which = process.argv[2];
const sdkPath = process.argv[3];
const counts = { errors: 0, abortControllers: 0, timers: 0 };

for (const name of ['Error', 'TypeError', 'RangeError'] as const) {
  const original = globalThis[name];
  (globalThis as Record<string, unknown>)[name] = new Proxy(original, {
    construct(target, args, newTarget) {
      counts.errors++;
      return Reflect.construct(target, args, newTarget) as object;
    },
    apply(target, thisArg, args) {
      counts.errors++;
      return Reflect.apply(target, thisArg, args) as unknown;
    },
  });
}
const OriginalAbortController = globalThis.AbortController;
globalThis.AbortController = class CountingAbortController extends OriginalAbortController {
  constructor() {
    super();
    counts.abortControllers++;
  }
};
createHook({
  init(_id, type) {
    if (type === 'Timeout') counts.timers++;
  },
}).enable();

// The libraries are typed here by what the audit uses of them, not imported: they must load after
// the counters above are installed (a class that extends Error captures the Error of its load
// time), the SDK is whichever build the command line names (sources, dist/, a variant), and the
// calls name actions with plain strings.

/** A handler as the audit writes them: answers at once; `ctx.signal` is read by one check. */
type Handler = (request: unknown, ctx: { signal: AbortSignal }) => unknown;

/** One side of a connection, in either library. */
interface Peer {
  call(action: string, payload: unknown, options?: unknown): Promise<unknown>;
  handle(action: string, handler: Handler): void;
}

/** A transport of the SDK's in-memory pair. */
interface MemoryTransport {
  send(text: string): void;
  setSink(sink: { message(text: string): void; close(): void }): void;
}

/** An RpcEndpoint; `emit` is a property so that a check can wrap it. */
interface Endpoint extends Peer {
  emit: (...args: unknown[]) => boolean;
  close(): void;
}

/** The SDK's exports the audit uses. */
interface Sdk {
  CentralSystem: new (options: { protocols: string[] }) => {
    handle(protocol: string, action: string, handler: Handler): void;
    on(event: 'connection', listener: (station: Peer) => void): void;
    listen(options: { port: number; host: string }): Promise<AddressInfo>;
    close(): Promise<void>;
  };
  ChargePoint: new (options: { url: string; identity: string; protocol: string; reconnect: boolean }) => Peer & {
    connect(): Promise<void>;
    close(): Promise<void>;
  };
  RpcEndpoint: new (options: Record<string, unknown>) => Endpoint;
  createMemoryTransportPair(): [MemoryTransport, MemoryTransport];
  OCPP201_RULES: unknown;
}

/** ocpp-rpc's exports the audit uses. */
interface OcppRpc {
  RPCServer: new (options: { protocols: string[]; strictMode: boolean }) => {
    on(event: 'client', listener: (client: Peer) => void): void;
    listen(port: number, host: string): Promise<Server>;
    close(options: { force: boolean }): Promise<void>;
  };
  RPCClient: new (options: { endpoint: string; identity: string; protocols: string[]; strictMode: boolean; reconnect: boolean }) => Peer & {
    connect(): Promise<unknown>;
    close(options: { code: number }): Promise<unknown>;
  };
}

// The SDK's path is relative to the working directory; ocpp-rpc is a package name.
// eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded after the counters are installed, from a path given at run time
const load = <T>(id: string): T => require(id) as T;
const loadSdk = (): Sdk => load<Sdk>(path.resolve(sdkPath));
const N = 5000;

interface Pair {
  /** A station-to-server call. */
  up(action: string, payload: unknown): Promise<unknown>;
  /** A server-to-station call. */
  down(): Promise<unknown>;
  close(): Promise<void>;
}

async function ours(): Promise<Pair> {
  const sdk = loadSdk();
  const cs = new sdk.CentralSystem({ protocols: ['ocpp2.0.1'] });
  cs.handle('ocpp2.0.1', 'Heartbeat', () => ({ currentTime: new Date().toISOString() }));
  cs.handle('ocpp2.0.1', 'MeterValues', () => ({}));
  cs.handle('ocpp2.0.1', 'BootNotification', () => ({ status: 'Accepted', currentTime: new Date().toISOString(), interval: 300 }));
  let station: Peer | undefined;
  cs.on('connection', (s) => (station = s));
  const { port } = await cs.listen({ port: 0, host: '127.0.0.1' });
  const cp = new sdk.ChargePoint({ url: `ws://127.0.0.1:${port}`, identity: 'AUDIT1', protocol: 'ocpp2.0.1', reconnect: false });
  cp.handle('ClearCache', () => ({ status: 'Accepted' }));
  await cp.connect();
  await cp.call('BootNotification', bootRequest('ocpp2.0.1'));
  return {
    up: (action, payload) => cp.call(action, payload),
    down: () => station!.call('ClearCache', {}),
    close: async () => {
      await cp.close();
      await cs.close();
    },
  };
}

async function ocppRpc(): Promise<Pair> {
  const { RPCServer, RPCClient } = load<OcppRpc>('ocpp-rpc');
  const server = new RPCServer({ protocols: ['ocpp2.0.1'], strictMode: true });
  let station: Peer | undefined;
  server.on('client', (client) => {
    station = client;
    client.handle('Heartbeat', () => ({ currentTime: new Date().toISOString() }));
    client.handle('MeterValues', () => ({}));
    client.handle('BootNotification', () => ({ status: 'Accepted', currentTime: new Date().toISOString(), interval: 300 }));
  });
  const http = await server.listen(0, '127.0.0.1');
  const client = new RPCClient({
    endpoint: `ws://127.0.0.1:${(http.address() as AddressInfo).port}`,
    identity: 'AUDIT1',
    protocols: ['ocpp2.0.1'],
    strictMode: true,
    reconnect: false,
  });
  client.handle('ClearCache', () => ({ status: 'Accepted' }));
  await client.connect();
  await client.call('BootNotification', bootRequest('ocpp2.0.1'));
  return {
    up: (action, payload) => client.call(action, payload),
    down: () => station!.call('ClearCache', {}),
    close: async () => {
      await client.close({ code: 1000 });
      await server.close({ force: true });
    },
  };
}

// ------------------------------------------------------------------ internals of our endpoint

interface Check {
  readonly name: string;
  readonly ok: boolean;
  readonly detail: string;
}

/** Lets queued microtasks (the memory transport delivers in microtasks) and their chains run. */
async function settle(): Promise<void> {
  await new Promise<void>((resolve) => setImmediate(resolve));
  await new Promise<void>((resolve) => setImmediate(resolve));
}

/** Counts timers made through the global setTimeout, those still active, and how many were unref-ed. */
function watchTimers(): { created: number; active: Set<unknown>; unrefs: number; restore(): void } {
  const realSet = globalThis.setTimeout;
  const realClear = globalThis.clearTimeout;
  const state = {
    created: 0,
    active: new Set<unknown>(),
    unrefs: 0,
    restore() {
      globalThis.setTimeout = realSet;
      globalThis.clearTimeout = realClear;
    },
  };
  globalThis.setTimeout = ((fn: (...args: unknown[]) => void, ms?: number, ...args: unknown[]) => {
    state.created++;
    const handle = realSet(
      (...a: unknown[]) => {
        state.active.delete(handle);
        fn(...a);
      },
      ms,
      ...args,
    );
    const realUnref = handle.unref.bind(handle);
    handle.unref = () => (state.unrefs++, realUnref());
    state.active.add(handle);
    return handle;
  }) as typeof setTimeout;
  globalThis.clearTimeout = (handle: unknown) => {
    state.active.delete(handle);
    realClear(handle as Parameters<typeof clearTimeout>[0]);
  };
  return state;
}

async function endpointChecks(sdk: Sdk): Promise<Check[]> {
  const checks: Check[] = [];
  const check = (name: string, ok: boolean, detail: string): void => {
    checks.push({ name, ok, detail });
  };
  let ids = 0;
  /** An endpoint (2.0.1 rules, no validator) and a hand-driven peer on a memory transport pair. */
  const pair = (options: Record<string, unknown> = {}) => {
    const [local, remote] = sdk.createMemoryTransportPair();
    const texts: string[] = [];
    remote.setSink({ message: (t: string) => texts.push(t), close: () => {} });
    const endpoint = new sdk.RpcEndpoint({ transport: local, rules: sdk.OCPP201_RULES, generateId: () => `id-${++ids}`, ...options });
    return { endpoint, texts, send: (frame: unknown) => remote.send(typeof frame === 'string' ? frame : JSON.stringify(frame)) };
  };
  /** Makes one call and answers it. */
  const roundTrip = async (p: ReturnType<typeof pair>, options?: unknown): Promise<void> => {
    const call = p.endpoint.call('Heartbeat', {}, options);
    await settle();
    const [, id] = JSON.parse(p.texts[p.texts.length - 1]) as [number, string];
    p.send([3, id, {}]);
    await call;
  };

  {
    const timers = watchTimers();
    try {
      const p = pair();
      check('an idle endpoint creates no timer', timers.created === 0, `${timers.created} created`);
      p.endpoint.close();
    } finally {
      timers.restore();
    }
  }
  {
    const timers = watchTimers();
    try {
      const p = pair({ callTimeoutMs: 60_000 });
      for (let i = 0; i < 20; i++) await roundTrip(p);
      check('20 sequential calls share one deadline timer', timers.created === 1, `${timers.created} created`);
      check('the deadline timer is unref-ed', timers.unrefs === timers.created, `${timers.unrefs} of ${timers.created} unref-ed`);
      p.endpoint.close();
      check('no timer is left active after close', timers.active.size === 0, `${timers.active.size} active`);
    } finally {
      timers.restore();
    }
  }
  {
    const p = pair();
    let emits = 0;
    const realEmit = p.endpoint.emit.bind(p.endpoint);
    p.endpoint.emit = (...args: unknown[]) => (emits++, realEmit(...args));
    p.endpoint.handle('Heartbeat', () => ({ currentTime: 't' }));
    await roundTrip(p);
    p.send([2, 'h1', 'Heartbeat', {}]);
    p.send('[2,"h2","Heartbeat"]');
    p.send([3, 'unknown', {}]);
    await settle();
    check('no emit call (and so no event object) for events nobody listens to', emits === 0, `${emits} emit calls`);
    p.endpoint.close();
  }
  {
    const before = counts.abortControllers;
    const p = pair();
    let signal: AbortSignal | undefined;
    p.endpoint.handle('Heartbeat', () => ({ currentTime: 't' }));
    p.endpoint.handle('Reset', (_request, ctx) => ((signal = ctx.signal), { status: 'Accepted' }));
    for (let i = 0; i < 5; i++) p.send([2, `h${i}`, 'Heartbeat', {}]);
    await settle();
    const unread = counts.abortControllers - before;
    check('no AbortController for handlers that never read ctx.signal', unread === 0, `${unread} made`);
    p.send([2, 'r1', 'Reset', {}]);
    p.send([2, 'r2', 'Reset', {}]);
    await settle();
    const read = counts.abortControllers - before;
    check('one AbortController per connection once a handler reads ctx.signal', read === 1 && signal !== undefined, `${read} made`);
    p.endpoint.close();
  }
  {
    const p = pair();
    const controller = new AbortController();
    let added = 0;
    let removed = 0;
    const signal = controller.signal;
    const add = signal.addEventListener.bind(signal) as (...args: unknown[]) => void;
    const remove = signal.removeEventListener.bind(signal) as (...args: unknown[]) => void;
    signal.addEventListener = ((...args: unknown[]) => (added++, add(...args))) as typeof signal.addEventListener;
    signal.removeEventListener = ((...args: unknown[]) => (removed++, remove(...args))) as typeof signal.removeEventListener;
    await roundTrip(p, { signal });
    check('a call given a signal adds one abort listener and removes it when it settles', added === 1 && removed === 1, `${added} added, ${removed} removed`);
    const before = added;
    await roundTrip(p);
    check('a call without a signal adds no listener', added === before, `${added - before} added`);
    p.endpoint.close();
  }
  return checks;
}

/** Runs the internal checks; prints each on stderr, and returns whether all passed. */
async function runChecks(): Promise<{ passed: number; failed: string[] }> {
  const checks = await endpointChecks(loadSdk());
  for (const c of checks) process.stderr.write(`audit: ${c.ok ? 'ok  ' : 'FAIL'} ${c.name} (${c.detail})\n`);
  return { passed: checks.filter((c) => c.ok).length, failed: checks.filter((c) => !c.ok).map((c) => c.name) };
}

async function main(): Promise<void> {
  if (which === 'checks' || which === 'ours') {
    const { passed, failed } = await runChecks();
    if (which === 'checks') process.stdout.write(JSON.stringify({ checksPassed: passed, checksFailed: failed }) + '\n');
    if (failed.length > 0) {
      process.stderr.write(`audit: ${failed.length} internal check(s) failed: ${failed.join('; ')}\n`);
      process.exit(2);
    }
    if (which === 'checks') {
      setTimeout(() => process.exit(0), 100).unref();
      return;
    }
  }
  const pair = which === 'ours' ? await ours() : await ocppRpc();
  const hb = requestPayload('ocpp2.0.1', 'Heartbeat');
  const mv = requestPayload('ocpp2.0.1', 'MeterValues');
  const round = async (n: number): Promise<void> => {
    for (let i = 0; i < n; i++) {
      await pair.up('Heartbeat', hb);
      await pair.up('MeterValues', mv);
      await pair.down();
    }
  };
  await round(500);
  const before = { ...counts };
  await round(N);
  const calls = 3 * N;
  const per = (k: keyof typeof counts): number => (counts[k] - before[k]) / calls;
  const result = { calls, errorsPerCall: per('errors'), abortControllersPerCall: per('abortControllers'), timersPerCall: per('timers') };
  await pair.close();
  process.stdout.write(JSON.stringify(result) + '\n');
  setTimeout(() => process.exit(0), 100).unref();
}

setTimeout(() => {
  console.error('audit: time limit reached');
  process.exit(3);
}, 120_000).unref();
void main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
