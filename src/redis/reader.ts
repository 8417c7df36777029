/**
 * The reading side of the events stream, for any process (a node, or a service with no
 * CentralSystem at all): a consumer group over `ocpp:{ns}:events`, so each event goes to one
 * consumer of the group, and stays pending until acknowledged. On start the consumer first reads
 * its own pending entries again (what it got but did not acknowledge before a crash), then new
 * ones: at least once. Events carry a unique `id` for consumers that must not act twice.
 */
import type { ClusterEvent } from '../cluster/adapter';
import { clientKind, duplicateConnection, sendThrough, type RedisClientLike } from './client';
import { Clock } from './clock';
import { Commands } from './commands';
import { RedisUnavailableError } from './errors';
import { Keys, namespaceProblem } from './keys';
import { parseStreamEntries, type StreamEntry } from './replies';

/** Options of {@link readClusterEvents}. */
export interface ReadClusterEventsOptions {
  /** A node-redis or ioredis client; the reader makes its own connections from it and never closes it. */
  client: RedisClientLike;
  /** The namespace the nodes write to (their `redisCluster({ namespace })`). @default 'ocpp' */
  namespace?: string;
  /** The consumer group: each event goes to one consumer of each group. */
  group: string;
  /** This consumer's name in the group, stable across restarts (its pending entries are read again). */
  consumer: string;
  /** Stops the reading; the loop then ends without an error. */
  signal?: AbortSignal;
  /** Where a new group starts: the oldest event kept (`'start'`) or the next one (`'new'`). @default 'start' */
  from?: 'start' | 'new';
  /** Entries read per round trip. @default 100 */
  count?: number;
  /** How long one read waits in Redis for new entries (the loop then reads again). @default 5000 */
  blockMs?: number;
}

/** An event read from the stream: acknowledge it once it is handled, or it is delivered again. */
export type ClusterEventDelivery = ClusterEvent & {
  /** The entry's id in the stream. */
  readonly streamId: string;
  /** Acknowledges the event (XACK): it will not be delivered to this group again. */
  ack(): Promise<void>;
};

/** How long to wait before reading again after Redis failed a read. */
const RETRY_MS = 100;

/**
 * Reads the cluster's events as one consumer of a consumer group (created if needed), until
 * `signal` aborts. Each event is delivered at least once: call `ack()` when it is handled.
 *
 * @example
 * ```ts
 * const stop = new AbortController();
 * for await (const event of readClusterEvents({ client, group: 'billing', consumer: 'worker-1', signal: stop.signal })) {
 *   if (event.type === 'call' && event.action === 'StopTransaction') await bill(event);
 *   await event.ack();
 * }
 * ```
 */
export function readClusterEvents(options: ReadClusterEventsOptions): AsyncGenerator<ClusterEventDelivery, void, undefined> {
  // Checked here, at the call, rather than at the first next(): a mistake shows where it is made.
  const { client, group, consumer } = options;
  clientKind(client);
  const namespace = options.namespace ?? 'ocpp';
  const problem = namespaceProblem(namespace);
  if (problem !== undefined) throw new TypeError(problem);
  for (const [name, value] of [
    ['group', group],
    ['consumer', consumer],
  ] as const) {
    if (typeof value !== 'string' || value.length === 0) throw new TypeError(`${name} must be a non-empty string, got ${String(value)}`);
  }
  for (const [name, value] of [
    ['count', options.count],
    ['blockMs', options.blockMs],
  ] as const) {
    if (value !== undefined && (!Number.isSafeInteger(value) || value <= 0)) throw new TypeError(`${name} must be a positive integer, got ${String(value)}`);
  }
  return read(options, namespace);
}

async function* read(options: ReadClusterEventsOptions, namespace: string): AsyncGenerator<ClusterEventDelivery, void, undefined> {
  const { client, group, consumer, signal } = options;
  const aborted = (): boolean => signal?.aborted === true;
  const count = String(options.count ?? 100);
  const blockMs = options.blockMs ?? 5000;
  const stream = new Keys(namespace).events;
  const clock = new Clock();
  // Two connections: XREADGROUP BLOCK holds one, and an ack must not wait behind it.
  const reader = new Commands(duplicateConnection(client, 'commands'), clock, blockMs + 5000);
  const acker = new Commands(duplicateConnection(client, 'commands'), clock, 5000);
  const onAbort = (): void => reader.failAll(new Error('aborted'));
  signal?.addEventListener('abort', onAbort, { once: true });
  reader.raw.connect();
  acker.raw.connect();
  let open = true;
  // While reading, acks go through our own connection (waiting for it to be ready); an ack after
  // the loop ended (a `break` right after handling) goes through the user's client.
  const ack = (id: string) => async (): Promise<void> => {
    const args = ['XACK', stream, group, id];
    if (!open) {
      await sendThrough(client, args);
      return;
    }
    if (!acker.ready) await acker.whenReady(AbortSignal.timeout(5000));
    await acker.send(args);
  };
  try {
    let created = false;
    // Our own pending entries first ('0', then after the last one read), then new ones ('>').
    let cursor = '0';
    while (!aborted()) {
      if (!(await reader.whenReady(signal))) return;
      let entries: StreamEntry[];
      try {
        if (!created) {
          await reader.send(['XGROUP', 'CREATE', stream, group, options.from === 'new' ? '$' : '0', 'MKSTREAM']).catch((error: Error) => {
            if (!error.message.startsWith('BUSYGROUP')) throw error;
          });
          created = true;
        }
        const args =
          cursor === '>'
            ? ['XREADGROUP', 'GROUP', group, consumer, 'COUNT', count, 'BLOCK', String(blockMs), 'STREAMS', stream, '>']
            : ['XREADGROUP', 'GROUP', group, consumer, 'COUNT', count, 'STREAMS', stream, cursor];
        entries = parseStreamEntries(await reader.send(args));
      } catch (error) {
        if (aborted()) return;
        // The stream or group went away (Redis restarted empty): make the group again.
        if (error instanceof Error && error.message.startsWith('NOGROUP')) created = false;
        // Redis away: wait for it (whenReady above). Any other answer (WRONGTYPE, ...) will not mend itself.
        else if (!(error instanceof RedisUnavailableError)) throw error;
        await sleep(RETRY_MS, signal);
        continue;
      }
      if (cursor !== '>') {
        if (entries.length === 0) {
          cursor = '>';
          continue;
        }
        cursor = entries[entries.length - 1].id;
      }
      for (const entry of entries) {
        const event = decode(entry);
        if (event === undefined) {
          // Trimmed away while pending, or not ours: nothing to deliver, so nothing to keep pending.
          await ack(entry.id)().catch(() => undefined);
          continue;
        }
        yield { ...event, streamId: entry.id, ack: ack(entry.id) };
        if (aborted()) return;
      }
    }
  } finally {
    open = false;
    signal?.removeEventListener('abort', onAbort);
    clock.stop();
    reader.failAll(new Error('closed'));
    acker.failAll(new Error('closed'));
    reader.raw.destroy();
    acker.raw.destroy();
  }
}

function decode(entry: StreamEntry): ClusterEvent | undefined {
  const data = entry.fields?.get('data');
  if (data === undefined) return undefined;
  try {
    const event = JSON.parse(data) as ClusterEvent;
    return event !== null && typeof event === 'object' && typeof event.type === 'string' ? event : undefined;
  } catch {
    return undefined;
  }
}

function sleep(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    function done(): void {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    }
    signal?.addEventListener('abort', done, { once: true });
  });
}
