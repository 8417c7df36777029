/**
 * The two Redis clients behind one small surface. The adapter takes the user's client (node-redis
 * or ioredis), recognises it by shape, and only ever uses duplicates of it: the user's options
 * (socket path, TLS, password, retry policy) carry over, and closing the adapter never touches the
 * user's own connection. Neither package is imported, not even for types, so neither reaches our
 * declarations; the shapes below are what we rely on.
 */
import { toText } from './replies';

/**
 * A Redis client the adapter accepts: a node-redis (`redis` v5/v6, `createClient()`) or an
 * ioredis (v5/v6, `new Redis()`) client. Typed by shape only, so `ocpp-sdk/redis` needs neither
 * package for its types; which one it is is decided at run time, and anything else is a
 * `TypeError` naming what is missing.
 */
export interface RedisClientLike {
  /** Both clients can make a second connection with the same options. */
  duplicate(...args: never[]): unknown;
  /** Both clients are event emitters. */
  on(event: never, listener: never): unknown;
}

/** @internal What the adapter needs from one connection, whichever client made it. */
export interface RawConnection {
  /** Which client it is. */
  readonly kind: 'node-redis' | 'ioredis';
  /** Whether it can take a command now. */
  isReady(): boolean;
  /** Sends one command; the reply is the client's raw reply (see replies.ts). */
  send(args: readonly string[]): Promise<unknown>;
  /** Subscribes to `channels`; `onMessage` gets every message of them. */
  subscribe(channels: readonly string[], onMessage: (channel: string, message: string) => void): Promise<void>;
  /** `up` when it became ready, `down` when it lost its connection (it reconnects by itself). */
  onState(listener: (up: boolean, error?: Error) => void): void;
  /** Starts connecting (the adapter waits for `up`). */
  connect(): void;
  /** Closes it at once; whatever is in flight fails (the adapter has settled it already). */
  destroy(): void;
}

/** What a connection is for: commands fail fast (no offline queue); a subscriber resubscribes. */
export type ConnectionRole = 'commands' | 'subscriber';

/** The node-redis surface we use. */
interface NodeRedisRaw {
  readonly isReady: boolean;
  readonly isOpen: boolean;
  sendCommand(args: readonly string[]): Promise<unknown>;
  duplicate(overrides?: Record<string, unknown>): NodeRedisRaw;
  connect(): Promise<unknown>;
  subscribe(channels: string[], listener: (message: unknown, channel: unknown) => void): Promise<unknown>;
  on(event: string, listener: (...args: unknown[]) => void): unknown;
  destroy?(): void;
  disconnect?(): Promise<void>;
}

/** The ioredis surface we use. */
interface IoredisRaw {
  readonly status: string;
  /** The socket of the current connection (replaced on reconnect). */
  readonly stream?: { readonly writable: boolean; cork(): void; uncork(): void };
  call(command: string, ...args: string[]): Promise<unknown>;
  duplicate(overrides?: Record<string, unknown>): IoredisRaw;
  connect(): Promise<unknown>;
  subscribe(...channels: string[]): Promise<unknown>;
  on(event: string, listener: (...args: unknown[]) => void): unknown;
  disconnect(): void;
}

/** Which client `client` is, or a TypeError naming what it lacks. */
export function clientKind(client: unknown): 'node-redis' | 'ioredis' {
  const c = client as Record<string, unknown> | null;
  if (c === null || typeof c !== 'object') throw new TypeError(`client must be a node-redis or ioredis client, got ${c === null ? 'null' : typeof c}`);
  if (typeof c.duplicate !== 'function') throw new TypeError('client must be a node-redis or ioredis client (it has no duplicate() method)');
  if (typeof c.call === 'function' && typeof c.status === 'string') return 'ioredis';
  if (typeof c.sendCommand === 'function' && 'isOpen' in c) {
    // createCluster() has sendCommand(firstKey, isReadonly, args): a different call, not supported.
    if ('masters' in c) throw new TypeError('client must be a single node-redis client: a cluster client (createCluster) is not supported');
    return 'node-redis';
  }
  throw new TypeError('client must be a node-redis client (createClient) or an ioredis client (new Redis): it has neither sendCommand() nor call()');
}

/** Sends one command through the user's own client (its offline queue and options apply). */
export function sendThrough(client: RedisClientLike, args: readonly string[]): Promise<unknown> {
  if (clientKind(client) === 'ioredis') return (client as unknown as IoredisRaw).call(args[0], ...args.slice(1));
  return (client as unknown as NodeRedisRaw).sendCommand(args);
}

/** A new connection duplicated from the user's `client`, for `role`. */
export function duplicateConnection(client: RedisClientLike, role: ConnectionRole): RawConnection {
  return clientKind(client) === 'ioredis'
    ? ioredisConnection(client as unknown as IoredisRaw, role)
    : nodeRedisConnection(client as unknown as NodeRedisRaw, role);
}

/** Whether a connection is up, as its events tell, and who hears the changes. */
interface ConnectionState {
  up: boolean;
  listener: (up: boolean, error?: Error) => void;
}

/**
 * Tracks `conn`'s state from its events, the same way for both clients: up on 'ready', down on
 * 'error' and on each of `downEvents` (the clients name a lost connection differently), with
 * each change told once.
 */
function connectionState(conn: { on(event: string, listener: (...args: unknown[]) => void): unknown }, downEvents: readonly string[]): ConnectionState {
  const state: ConnectionState = { up: false, listener: () => undefined };
  const down = (error?: unknown): void => {
    if (!state.up) return;
    state.up = false;
    state.listener(false, error instanceof Error ? error : undefined);
  };
  conn.on('ready', () => {
    state.up = true;
    state.listener(true);
  });
  conn.on('error', (error) => down(error));
  for (const event of downEvents) conn.on(event, () => down());
  return state;
}

function nodeRedisConnection(parent: NodeRedisRaw, role: ConnectionRole): RawConnection {
  // The offline queue would hold a command for as long as Redis is away; we fail fast instead.
  // Our own sweep times commands out, so node-redis's per-command timeout (an AbortSignal.timeout
  // per command: ~10 % of a busy caller's CPU) is turned off; plain strings, whatever the user's
  // type mapping, keep the replies in the shapes replies.ts reads.
  const commandOptions = { timeout: 0 };
  const conn = parent.duplicate(role === 'commands' ? { disableOfflineQueue: true, commandOptions } : { commandOptions });
  const state = connectionState(conn, ['end', 'reconnecting']);
  let onMessage: (channel: string, message: string) => void = () => undefined;
  const messageListener = (message: unknown, channel: unknown): void => onMessage(toText(channel), toText(message));
  return {
    kind: 'node-redis',
    isReady: () => state.up && conn.isReady,
    send: (args) => conn.sendCommand(args),
    subscribe: async (channels, handler) => {
      onMessage = handler;
      // One listener for the connection's life: subscribing again (after a reconnect) must not add a second.
      await conn.subscribe([...channels], messageListener);
    },
    onState: (l) => (state.listener = l),
    connect: () => {
      // Rejections are reported through 'error' too; the adapter waits for 'ready' with its own bound.
      conn.connect().catch(() => undefined);
    },
    destroy: () => {
      state.up = false;
      if (!conn.isOpen) return;
      if (typeof conn.destroy === 'function') conn.destroy();
      else void conn.disconnect?.().catch(() => undefined);
    },
  };
}

function ioredisConnection(parent: IoredisRaw, role: ConnectionRole): RawConnection {
  // keyPrefix would rewrite the keys inside our scripts' KEYS but not the ones they build; lazyConnect
  // lets us attach listeners first. Commands: no offline queue, and never re-sent after a reconnect
  // (a re-sent PUBLISH would deliver a call twice). Not enableAutoPipelining, though it took
  // cross-node calls from ~8k to ~13k/s with 100 in flight here: after a Redis restart it left
  // commands unanswered (an EVALSHA with no reply for 2 s, 3 of 10 stress runs; 0 of 10 without).
  const overrides: Record<string, unknown> = { keyPrefix: '', lazyConnect: true };
  if (role === 'commands') Object.assign(overrides, { enableOfflineQueue: false, autoResendUnfulfilledCommands: false });
  // The adapter subscribes again itself after a reconnect (and waits for the reply). ioredis's own
  // resubscription is left out: its promise has no handler, and an adapter closed during it made
  // an unhandled rejection ("Connection is closed.").
  else Object.assign(overrides, { autoResubscribe: false });
  const conn = parent.duplicate(overrides);
  const state = connectionState(conn, ['close', 'end']);
  let onMessage: (channel: string, message: string) => void = () => undefined;
  conn.on('message', (channel, message) => onMessage(toText(channel), toText(message)));
  // ioredis writes each command to its socket at once: one syscall per command, and the commands
  // of one connection setup (claim, events) come in different ticks. Corking the socket until the
  // event loop's check phase turns what a turn issued into one write, as node-redis does by itself.
  // A command stays in ioredis's queue as if written, so a drop fails it like any in flight.
  let corked: { uncork(): void } | undefined;
  const uncork = (): void => {
    const stream = corked;
    corked = undefined;
    stream?.uncork();
  };
  return {
    kind: 'ioredis',
    isReady: () => state.up && conn.status === 'ready',
    send: (args) => {
      if (corked === undefined && conn.stream?.writable === true) {
        corked = conn.stream;
        conn.stream.cork();
        setImmediate(uncork);
      }
      return conn.call(args[0], ...args.slice(1));
    },
    subscribe: async (channels, handler) => {
      onMessage = handler;
      await conn.subscribe(...channels);
    },
    onState: (l) => (state.listener = l),
    connect: () => {
      if (conn.status === 'wait') conn.connect().catch(() => undefined);
    },
    destroy: () => {
      state.up = false;
      conn.disconnect();
    },
  };
}
