/**
 * Helpers for the reliability tests: a CentralSystem on 127.0.0.1 port 0, raw WebSocket peers
 * that send exactly the bytes a test chooses and record every frame they get, and a raw server
 * for ChargePoints to connect to. Everything has a time limit and is closed by the test.
 */
import { connect as netConnect, createServer as createNetServer, type AddressInfo, type Socket } from 'node:net';
import { WebSocket, WebSocketServer } from 'ws';
import { CentralSystem, type CentralSystemOptions, type DefaultOcppVersion, type OcppVersion } from '../../src/index';

/** Resolves when `predicate` holds; rejects after `timeoutMs`. */
export function until(predicate: () => boolean, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  return new Promise((resolve, reject) => {
    const tick = (): void => {
      if (predicate()) resolve();
      else if (Date.now() > deadline) reject(new Error(`condition not met within ${timeoutMs} ms`));
      else setTimeout(tick, 2);
    };
    tick();
  });
}

/** `promise`, or a rejection naming `what` after `ms`. */
export function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: ReturnType<typeof setTimeout>;
  return Promise.race([
    promise.finally(() => clearTimeout(timer)),
    new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`${what} (after ${ms} ms)`)), ms);
    }),
  ]);
}

/** A CentralSystem on 127.0.0.1, port 0, with pings off unless asked for. */
export async function startServer<V extends OcppVersion = DefaultOcppVersion>(
  options: CentralSystemOptions<V> = {},
): Promise<{ cs: CentralSystem<V>; port: number; url: string }> {
  const cs = new CentralSystem<V>({ pingIntervalMs: 0, ...options });
  const address = await cs.listen({ port: 0, host: '127.0.0.1' });
  return { cs, port: address.port, url: `ws://127.0.0.1:${address.port}` };
}

/** Closes servers, terminating raw sockets first so nothing waits on a closing handshake. */
export async function closeAll(...things: Array<{ close(): unknown }>): Promise<void> {
  for (const raw of openRawSockets) raw.terminate();
  openRawSockets.clear();
  await Promise.all(things.map((t) => t.close()));
}

const openRawSockets = new Set<WebSocket>();

/** The close a socket gets, with its code and reason. */
export function nextClose(ws: WebSocket): Promise<{ code: number; reason: string }> {
  return new Promise((resolve) => ws.once('close', (code, reason) => resolve({ code, reason: reason.toString() })));
}

/** A raw client: what it received (parsed when it parses), and a way to wait for an answer by id. */
export interface RawClient {
  readonly ws: WebSocket;
  /** Every text received, parsed as JSON when possible. */
  readonly received: unknown[][];
  /** Sends `text` and resolves with the first frame received whose id is `id` (read from `text` if absent). */
  call(text: string, id?: string, timeoutMs?: number): Promise<unknown[]>;
  /** Resolves with the first frame received (from now or before) with this id. */
  answer(id: string, timeoutMs?: number): Promise<unknown[]>;
}

/** Opens a raw WebSocket to `port` as `identity`, offering `protocol`. */
export function openRaw(port: number, identity: string, protocol: string, options: { maxPayload?: number; path?: string } = {}): Promise<RawClient> {
  const ws = new WebSocket(`ws://127.0.0.1:${port}${options.path ?? '/'}${encodeURIComponent(identity)}`, [protocol], {
    perMessageDeflate: false,
    maxPayload: options.maxPayload ?? 64 * 1024 * 1024,
  });
  openRawSockets.add(ws);
  ws.once('close', () => openRawSockets.delete(ws));
  const received: unknown[][] = [];
  const waiters = new Set<() => void>();
  // ws's default binaryType ('nodebuffer') delivers every message as one Buffer.
  ws.on('message', (data: Buffer) => {
    const text = data.toString();
    try {
      const parsed: unknown = JSON.parse(text);
      received.push(Array.isArray(parsed) ? parsed : [parsed]);
    } catch {
      received.push([text]);
    }
    for (const wake of [...waiters]) wake();
  });
  const answer = (id: string, timeoutMs = 3000): Promise<unknown[]> =>
    withTimeout(
      new Promise<unknown[]>((resolve) => {
        const check = (): void => {
          const found = received.find((f) => f[1] === id);
          if (found) {
            waiters.delete(check);
            resolve(found);
          }
        };
        waiters.add(check);
        check();
      }),
      timeoutMs,
      `no answer with id ${id}`,
    );
  const client: RawClient = {
    ws,
    received,
    answer,
    call(text, id, timeoutMs) {
      ws.send(text);
      return answer(id ?? ((JSON.parse(text) as unknown[])[1] as string), timeoutMs);
    },
  };
  return new Promise((resolve, reject) => {
    ws.once('open', () => resolve(client));
    ws.once('error', reject);
    ws.once('unexpected-response', (_req, res) => reject(new Error(`HTTP ${res.statusCode}`)));
  });
}

/** A raw WebSocket server a ChargePoint can connect to: selects `protocol`, hands out sockets in order. */
export async function rawServer(
  protocol: string,
  options: { maxPayload?: number; autoPong?: boolean } = {},
): Promise<{
  url: string;
  nextSocket(): Promise<WebSocket>;
  close(): Promise<void>;
}> {
  const wss = new WebSocketServer({
    port: 0,
    host: '127.0.0.1',
    perMessageDeflate: false,
    maxPayload: options.maxPayload ?? 64 * 1024 * 1024,
    autoPong: options.autoPong ?? true,
    handleProtocols: (offered) => (offered.has(protocol) ? protocol : false),
  });
  await new Promise<void>((resolve) => wss.once('listening', () => resolve()));
  const sockets: WebSocket[] = [];
  const waiting: Array<(ws: WebSocket) => void> = [];
  wss.on('connection', (ws) => {
    ws.on('error', () => {});
    const wake = waiting.shift();
    if (wake) wake(ws);
    else sockets.push(ws);
  });
  const port = (wss.address() as AddressInfo).port;
  return {
    url: `ws://127.0.0.1:${port}`,
    nextSocket: () => {
      const ready = sockets.shift();
      return ready ? Promise.resolve(ready) : new Promise((resolve) => waiting.push(resolve));
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const ws of wss.clients) ws.terminate();
        wss.close(() => resolve());
      }),
  };
}

/**
 * A TCP proxy in front of a server, to break connections the way networks do: `drop()` destroys
 * every connection at once (no close frame; both ends see 1006), and `mode` can make it swallow
 * what one side sends just before a drop, so that a request (`'lose-requests'`) or its answer
 * (`'lose-answers'`) is lost in flight.
 */
export async function tcpProxy(targetPort: number): Promise<{
  port: number;
  mode: 'pass' | 'lose-requests' | 'lose-answers';
  readonly connections: number;
  drop(): void;
  close(): Promise<void>;
}> {
  const pairs = new Set<[Socket, Socket]>();
  const proxy = {
    port: 0,
    mode: 'pass' as 'pass' | 'lose-requests' | 'lose-answers',
    get connections() {
      return pairs.size;
    },
    drop() {
      for (const [a, b] of pairs) {
        a.destroy();
        b.destroy();
      }
      pairs.clear();
    },
    close: () =>
      new Promise<void>((resolve) => {
        proxy.drop();
        server.close(() => resolve());
      }),
  };
  const server = createNetServer((client) => {
    const upstream = netConnect(targetPort, '127.0.0.1');
    const pair: [Socket, Socket] = [client, upstream];
    pairs.add(pair);
    client.on('data', (d) => {
      if (proxy.mode !== 'lose-requests') upstream.write(d);
    });
    upstream.on('data', (d) => {
      if (proxy.mode !== 'lose-answers') client.write(d);
    });
    const end = (): void => {
      client.destroy();
      upstream.destroy();
      pairs.delete(pair);
    };
    for (const s of pair) {
      s.on('close', end);
      s.on('error', end);
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  proxy.port = (server.address() as AddressInfo).port;
  return proxy;
}
