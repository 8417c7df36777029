/**
 * Hot-path audit, in one process: `node --expose-gc audit.cjs <ours|ocpp-rpc> <sdk path>`.
 *
 * Counts what each library creates per call in steady state, with a client and a server of the
 * same library talking over loopback (OCPP 2.0.1, strict validation): Error objects (every
 * `new Error`/`TypeError`/`RangeError`, including subclasses, through Proxies installed before
 * the library is loaded), AbortControllers (a counting subclass as the global) and timers
 * (async_hooks `Timeout` resources). Calls go both ways: station to server (Heartbeat,
 * MeterValues) and server to station (ClearCache). Prints one JSON line.
 */
import { createHook } from 'node:async_hooks';
import type { AddressInfo } from 'node:net';
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

const load = (id: string): Record<string, any> => require(id) as Record<string, any>;
const N = 5000;

interface Pair {
  /** A station-to-server call. */
  up(action: string, payload: unknown): Promise<unknown>;
  /** A server-to-station call. */
  down(): Promise<unknown>;
  close(): Promise<void>;
}

async function ours(): Promise<Pair> {
  const sdk = load(sdkPath);
  const cs = new sdk.CentralSystem({ protocols: ['ocpp2.0.1'] });
  cs.handle('ocpp2.0.1', 'Heartbeat', () => ({ currentTime: new Date().toISOString() }));
  cs.handle('ocpp2.0.1', 'MeterValues', () => ({}));
  cs.handle('ocpp2.0.1', 'BootNotification', () => ({ status: 'Accepted', currentTime: new Date().toISOString(), interval: 300 }));
  let station: { call(action: string, payload: unknown): Promise<unknown> } | undefined;
  cs.on('connection', (s: typeof station) => (station = s));
  const { port } = (await cs.listen({ port: 0, host: '127.0.0.1' })) as AddressInfo;
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
  const { RPCServer, RPCClient } = load('ocpp-rpc');
  const server = new RPCServer({ protocols: ['ocpp2.0.1'], strictMode: true });
  let station: { call(action: string, payload: unknown): Promise<unknown> } | undefined;
  server.on('client', (client: any) => {
    station = client;
    client.handle('Heartbeat', () => ({ currentTime: new Date().toISOString() }));
    client.handle('MeterValues', () => ({}));
    client.handle('BootNotification', () => ({ status: 'Accepted', currentTime: new Date().toISOString(), interval: 300 }));
  });
  const http = await server.listen(0, '127.0.0.1');
  const client = new RPCClient({ endpoint: `ws://127.0.0.1:${(http.address() as AddressInfo).port}`, identity: 'AUDIT1', protocols: ['ocpp2.0.1'], strictMode: true, reconnect: false });
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

async function main(): Promise<void> {
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
