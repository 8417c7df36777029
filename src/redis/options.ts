/**
 * The options of {@link redisCluster}, resolved once: defaults merged, every value checked, and
 * the rules between them (the heartbeat must come well inside the node TTL) checked with an
 * error that names the option.
 */
import { hostname } from 'node:os';
import { randomBytes } from 'node:crypto';
import { clientKind, type RedisClientLike } from './client';
import { namespaceProblem } from './keys';

/** The events stream's options (see {@link RedisClusterOptions.events}). */
export interface RedisEventsOptions {
  /** The stream is trimmed to about this many entries (`XADD MAXLEN ~`). @default 100_000 */
  maxLen?: number;
  /** Events kept in memory while Redis is away; further ones are counted in `eventsDropped`. @default 10_000 */
  bufferLimit?: number;
}

/** Options of {@link redisCluster}. */
export interface RedisClusterOptions {
  /**
   * A node-redis (`createClient()`) or ioredis (`new Redis()`) client. The adapter makes its own
   * connections from it (`duplicate()`), so it keeps the client's options; it never closes it.
   */
  client: RedisClientLike;
  /**
   * This node's id, unique in the cluster.
   * @default `${hostname}-${pid}-${random}`
   */
  nodeId?: string;
  /**
   * The key prefix: keys are `ocpp:{<namespace>}:...`, all in one hash slot.
   * @default 'ocpp'
   */
  namespace?: string;
  /**
   * Whether the node copies its stations' events into the stream `ocpp:{<namespace>}:events`,
   * for {@link readClusterEvents}; `true` uses the default limits.
   * @default true
   */
  events?: boolean | RedisEventsOptions;
  /** How often the node renews its heartbeat (and the janitor looks for dead nodes). @default 3000 */
  heartbeatMs?: number;
  /** How long a node stays alive without a heartbeat: its stations go this long after it dies. @default 10_000 */
  nodeTtlMs?: number;
  /** A Redis command with no answer in this time fails (never a client's offline queue). @default 2000 */
  commandTimeoutMs?: number;
}

/** @internal The options with every default applied. */
export interface ResolvedRedisClusterOptions {
  readonly client: RedisClientLike;
  readonly nodeId: string;
  readonly namespace: string;
  readonly events: { readonly maxLen: number; readonly bufferLimit: number } | undefined;
  readonly heartbeatMs: number;
  readonly nodeTtlMs: number;
  readonly commandTimeoutMs: number;
}

/** The defaults of {@link RedisClusterOptions}. */
export const DEFAULT_REDIS_CLUSTER_OPTIONS = {
  namespace: 'ocpp',
  heartbeatMs: 3000,
  nodeTtlMs: 10_000,
  commandTimeoutMs: 2000,
  maxLen: 100_000,
  bufferLimit: 10_000,
} as const;

/** @internal Checks and completes `options`; a TypeError names the first bad option. */
export function resolveOptions(options: RedisClusterOptions): ResolvedRedisClusterOptions {
  if (options === null || typeof options !== 'object') throw new TypeError('redisCluster needs an options object with a client');
  clientKind(options.client);
  const d = DEFAULT_REDIS_CLUSTER_OPTIONS;
  const nodeId = options.nodeId ?? `${hostname()}-${process.pid}-${randomBytes(4).toString('hex')}`;
  if (typeof nodeId !== 'string' || nodeId.length === 0 || /\s/.test(nodeId))
    throw new TypeError(`nodeId must be a non-empty string without whitespace, got ${JSON.stringify(nodeId)}`);
  const namespace = options.namespace ?? d.namespace;
  const problem = namespaceProblem(namespace);
  if (problem !== undefined) throw new TypeError(problem);
  const heartbeatMs = positiveInteger('heartbeatMs', options.heartbeatMs ?? d.heartbeatMs);
  const nodeTtlMs = positiveInteger('nodeTtlMs', options.nodeTtlMs ?? d.nodeTtlMs);
  const commandTimeoutMs = positiveInteger('commandTimeoutMs', options.commandTimeoutMs ?? d.commandTimeoutMs);
  // Two missed beats must not be enough to look dead: a busy event loop delays one now and then.
  if (nodeTtlMs < heartbeatMs * 2) throw new TypeError(`nodeTtlMs (${nodeTtlMs}) must be at least twice heartbeatMs (${heartbeatMs})`);
  let events: ResolvedRedisClusterOptions['events'];
  const e = options.events ?? true;
  if (e === true) events = { maxLen: d.maxLen, bufferLimit: d.bufferLimit };
  else if (e === false) events = undefined;
  else if (typeof e === 'object' && e !== null) {
    events = {
      maxLen: positiveInteger('events.maxLen', e.maxLen ?? d.maxLen),
      bufferLimit: nonNegativeInteger('events.bufferLimit', e.bufferLimit ?? d.bufferLimit),
    };
  } else throw new TypeError(`events must be a boolean or { maxLen, bufferLimit }, got ${String(e)}`);
  return { client: options.client, nodeId, namespace, events, heartbeatMs, nodeTtlMs, commandTimeoutMs };
}

function positiveInteger(name: string, value: unknown): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value <= 0) throw new TypeError(`${name} must be a positive integer, got ${String(value)}`);
  return value;
}

function nonNegativeInteger(name: string, value: unknown): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 0)
    throw new TypeError(`${name} must be a non-negative integer, got ${String(value)}`);
  return value;
}
