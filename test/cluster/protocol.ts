/**
 * The messages between a cluster test and the CentralSystem node processes it forks
 * (test/cluster/node-process.ts), over Node's IPC channel. Plain JSON: errors travel as their
 * class name and the fields the tests assert on, never as instances.
 */

/** Which Redis client a node builds: both are supported, and every case runs against both. */
export type ClientKind = 'node-redis' | 'ioredis';

/** What the fixture passes a node in its environment. */
export interface NodeEnv {
  /** The redis-server's Unix socket. */
  REDIS_SOCKET: string;
  REDIS_CLIENT: ClientKind;
  NODE_ID: string;
  /** Key namespace, unique per test so that tests sharing a redis-server do not see each other. */
  NAMESPACE: string;
  /** Comma-separated subprotocols the node serves. */
  PROTOCOLS: string;
  /** Node heartbeat period and TTL: short, so that a killed node is forgotten within a test. */
  HEARTBEAT_MS: string;
  NODE_TTL_MS: string;
}

/** A request from the test to a node; every one is answered by a {@link Reply} with its `id`. */
export type Command =
  /** Calls `identity` through `cs.fleet` (here or on another node) and reports how it ended. */
  | { readonly id: number; readonly type: 'call'; readonly identity: string; readonly action: string; readonly payload: unknown; readonly timeoutMs: number }
  /** Lists `cs.fleet`: every station of the cluster as this node sees it. */
  | { readonly id: number; readonly type: 'fleet' }
  /** Lists `cs.stations`: the stations connected to this node. */
  | { readonly id: number; readonly type: 'local' }
  /** Makes this node's adapter wait `ms` before each release (a node that closes late). */
  | { readonly id: number; readonly type: 'delay-releases'; readonly ms: number }
  /** The adapter's counters and the errors the CentralSystem reported. */
  | { readonly id: number; readonly type: 'stats' }
  /** Closes the CentralSystem (and with it the adapter), then the Redis client, then exits. */
  | { readonly id: number; readonly type: 'close' };

/** A failed call as it crosses the IPC channel. */
export interface ErrorInfo {
  /** The error's class name (`StationNotConnectedError`, `TimeoutError`, ...). */
  readonly name: string;
  readonly message: string;
  /** `delivered` of the cluster's errors and of a remote TimeoutError. */
  readonly delivered?: false | 'unknown';
  /** An RpcError's OCPP code, or a ConnectionClosedError's close code. */
  readonly code?: string | number;
}

/** How a `call` command ended; `ms` is measured inside the node, without the IPC hop. */
export type CallResult =
  | { readonly ok: true; readonly payload: unknown; readonly ms: number; readonly via: string }
  | { readonly ok: false; readonly error: ErrorInfo; readonly ms: number; readonly via: string };

/** One entry of a node's `cs.fleet`: the identity and the node holding it. */
export interface FleetEntry {
  readonly identity: string;
  readonly node: string;
}

/** A release this node's adapter made: whether it removed the entry, and when (ms since the epoch). */
export interface ReleaseRecord {
  readonly identity: string;
  readonly conn: string;
  readonly removed: boolean | 'failed';
  readonly at: number;
}

export interface NodeStats {
  readonly eventsDropped: number;
  /** Every release the adapter was asked for, with its result. */
  readonly releases: readonly ReleaseRecord[];
  /** Messages of the CentralSystem's `error` events so far. */
  readonly errors: readonly string[];
}

/** The answer to a {@link Command}. */
export type Reply =
  | { readonly id: number; readonly type: 'call'; readonly result: CallResult }
  | { readonly id: number; readonly type: 'fleet'; readonly fleet: readonly FleetEntry[] }
  | { readonly id: number; readonly type: 'local'; readonly identities: readonly string[] }
  | { readonly id: number; readonly type: 'stats'; readonly stats: NodeStats }
  | { readonly id: number; readonly type: 'done' }
  /** Closed; `clientAlive`: whether the Redis client given to the adapter still answered a PING after `cs.close()`. */
  | { readonly id: number; readonly type: 'closed'; readonly clientAlive: boolean }
  /** The command itself failed (a bug in the node program, not a call outcome). */
  | { readonly id: number; readonly type: 'failed'; readonly message: string };

/** What a node says without being asked. */
export type Notice =
  /** How far startup got (so a node that never gets ready says where it stuck). */
  | { readonly type: 'stage'; readonly stage: string }
  /** Listening (sent once, after the cluster was joined). */
  | { readonly type: 'ready'; readonly port: number; readonly nodeId: string }
  /** Startup failed; the node exits after sending this. */
  | { readonly type: 'fatal'; readonly message: string };

export type FromNode = Reply | Notice;

/** Whether a message from a node is a {@link Notice} rather than a reply. */
export function isNotice(message: FromNode): message is Notice {
  return message.type === 'ready' || message.type === 'fatal' || message.type === 'stage';
}
