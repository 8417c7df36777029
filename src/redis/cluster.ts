/**
 * The Redis {@link ClusterAdapter}: a node's membership of the cluster. It composes the parts:
 * commands that fail fast (commands.ts), presence scripts (presence.ts), the calls out
 * (calls.ts), the events stream (events.ts); and it owns the lifecycle: joining, the heartbeat,
 * what happens when Redis goes away and comes back, and leaving.
 */
import { randomBytes } from 'node:crypto';
import type { ClaimResult, ClusterAdapter, ClusterEvent, ClusterHost, PresenceChange, RemoteCall, RemoteOutcome, StationRef } from '../cluster/adapter';
import { OutgoingCalls } from './calls';
import { duplicateConnection, type RawConnection } from './client';
import { Clock } from './clock';
import { Commands } from './commands';
import { RedisUnavailableError } from './errors';
import { EventPublisher } from './events';
import { Keys } from './keys';
import { evictMessage, parseInbox, parsePresence, resultMessage } from './messages';
import { resolveOptions, type RedisClusterOptions, type ResolvedRedisClusterOptions } from './options';
import { Presence } from './presence';

type State = 'new' | 'starting' | 'started' | 'closing' | 'closed';

/** How soon a failed rejoin (after Redis came back) is tried again. */
const RESYNC_RETRY_MS = 200;
/** How many received call ids a node remembers, to pass none to its host twice. */
const SEEN_CALLS_LIMIT = 10_000;

/** The connections and parts of a started adapter. */
interface Joined {
  readonly host: ClusterHost;
  readonly commands: Commands;
  readonly subscriber: RawConnection;
  readonly presence: Presence;
  readonly calls: OutgoingCalls;
  subscriberUp: boolean;
  /** Whether the drop was reported (once per outage, not once per connection). */
  reported: boolean;
  /** False from a reconnect until this node has claimed its stations and re-read the presence. */
  resynced: boolean;
  /** The presence changes heard while the whole presence is being read (see {@link RedisCluster.readPresence}). */
  heard: PresenceChange[] | undefined;
  heartbeat: ReturnType<typeof setInterval> | undefined;
}

/**
 * A CentralSystem's link to the other nodes of its cluster through Redis: presence, remote calls
 * and the events stream. Made by {@link redisCluster}; give it to `new CentralSystem({ cluster })`,
 * which starts and closes it. Closing it closes the connections it made, never the client given.
 */
export class RedisCluster implements ClusterAdapter {
  /** This node's id, unique in the cluster. */
  readonly nodeId: string;
  /** The key namespace: keys are `ocpp:{<namespace>}:...`. */
  readonly namespace: string;
  /** Whether the node writes station events to the stream. */
  readonly publishesEvents: boolean;
  private readonly options: ResolvedRedisClusterOptions;
  private readonly keys: Keys;
  /** Made anew by each start, so that a failed start leaves nothing ticking. */
  private clock = new Clock();
  private readonly token = randomBytes(8).toString('hex');
  private state: State = 'new';
  private joined: Joined | undefined;
  private events: EventPublisher | undefined;
  private resyncing = false;
  /** Ids of the calls received lately, with their deadlines (insertion order is about deadline order). */
  private readonly seenCalls = new Map<string, number>();
  private resyncAgain = false;

  /** @internal Use {@link redisCluster}. */
  constructor(options: RedisClusterOptions) {
    this.options = resolveOptions(options);
    this.nodeId = this.options.nodeId;
    this.namespace = this.options.namespace;
    this.keys = new Keys(this.namespace);
    this.publishesEvents = this.options.events !== undefined;
  }

  /** Events dropped because Redis was away longer than the buffer (`events.bufferLimit`) lasted. */
  get eventsDropped(): number {
    return this.events?.dropped ?? 0;
  }

  /** Joins the cluster: connects, subscribes to this node's inbox and the presence channel, reads the presence, starts the heartbeat. Called by the CentralSystem. */
  async start(host: ClusterHost): Promise<void> {
    if (this.state !== 'new') throw new Error(`the redis cluster adapter of node ${this.nodeId} was already started`);
    this.state = 'starting';
    this.clock = new Clock();
    const commands = new Commands(duplicateConnection(this.options.client, 'commands'), this.clock, this.options.commandTimeoutMs);
    const subscriber = duplicateConnection(this.options.client, 'subscriber');
    const presence = new Presence(commands, this.keys, this.nodeId, this.token, this.options.nodeTtlMs);
    const joined: Joined = {
      host,
      commands,
      subscriber,
      presence,
      calls: new OutgoingCalls(commands, this.keys, this.clock),
      subscriberUp: false,
      reported: false,
      resynced: true,
      heard: undefined,
      heartbeat: undefined,
    };
    if (this.options.events !== undefined)
      this.events = new EventPublisher(commands, this.keys.events, this.options.events.maxLen, this.options.events.bufferLimit);
    this.joined = joined;
    try {
      await this.connect(joined);
      if (await presence.nodeIdTaken()) throw new Error(`nodeId ${this.nodeId} is in use by another live node of namespace ${this.namespace}`);
      await presence.heartbeat();
      await this.subscribe(joined);
      await this.readPresence(joined);
    } catch (error) {
      // Nothing stays behind, so the central system may try again (it does on the next listen or start).
      this.shutdown(joined);
      this.joined = undefined;
      this.events = undefined;
      this.state = 'new';
      throw error;
    }
    commands.onState((up) => this.connectionChanged(joined, up));
    subscriber.onState((up) => {
      joined.subscriberUp = up;
      this.connectionChanged(joined, up);
    });
    joined.heartbeat = setInterval(() => this.beat(joined), this.options.heartbeatMs);
    // The node's sockets keep the process alive; a forgotten close() should not.
    joined.heartbeat.unref();
    this.state = 'started';
  }

  /** Leaves the cluster: removes this node's entries, ends its calls out, closes the adapter's own connections (never the client given). */
  async close(): Promise<void> {
    const joined = this.joined;
    if (this.state === 'closed' || this.state === 'closing' || joined === undefined) {
      this.state = 'closed';
      return;
    }
    this.state = 'closing';
    clearInterval(joined.heartbeat);
    joined.calls.failAll({ kind: 'not-connected', delivered: 'unknown', detail: `node ${this.nodeId} left the cluster` });
    // After the events in flight on the same connection: when LEAVE is answered, they are too.
    this.events?.writeTurn();
    if (joined.commands.ready) await joined.presence.leave().catch((error: Error) => joined.host.problem(error));
    if (this.events !== undefined) this.events.dropped += this.events.buffered;
    this.state = 'closed';
    this.shutdown(joined);
  }

  /** Records where `identity` is connected (one Lua script); rejects at once with {@link RedisUnavailableError} when Redis is away. */
  claim(identity: string, ref: StationRef, options: { readonly replace: boolean }): Promise<ClaimResult> {
    const joined = this.usable('claim', identity);
    return joined instanceof Error ? Promise.reject(joined) : joined.presence.claim(identity, ref, options.replace);
  }

  /** Removes `identity`'s entry only if it is still `ref` (compare and delete); rejects at once when Redis is away. */
  release(identity: string, ref: StationRef): Promise<boolean> {
    const joined = this.usable('release', identity);
    return joined instanceof Error ? Promise.reject(joined) : joined.presence.release(identity, ref);
  }

  /** Where `identity` is connected, if its node is alive; rejects at once when Redis is away. */
  locate(identity: string): Promise<StationRef | null> {
    const joined = this.usable('locate', identity);
    return joined instanceof Error ? Promise.reject(joined) : joined.presence.locate(identity);
  }

  /** Sends `call` to the owner's inbox once and resolves with its outcome; `unavailable` at once when Redis is away. */
  call(to: StationRef, call: RemoteCall): Promise<RemoteOutcome> {
    const joined = this.joined;
    if (this.state !== 'started' || joined === undefined) {
      return Promise.resolve({ ok: false, error: { kind: 'unavailable', detail: `the redis adapter of node ${this.nodeId} is ${this.state}` } });
    }
    // Without our subscriber the answer could not reach us: not sending is the honest choice.
    if (!joined.subscriberUp) return Promise.resolve({ ok: false, error: { kind: 'unavailable', detail: 'the redis subscriber connection is down' } });
    return joined.calls.send(to, call);
  }

  /** Asks `to.node` to close connection `to.conn` of `identity` (best effort). */
  evict(identity: string, to: StationRef): Promise<void> {
    const joined = this.joined;
    if (this.state !== 'started' || joined === undefined || !joined.commands.ready) return Promise.resolve();
    return joined.commands.send(['PUBLISH', this.keys.inbox(to.node), evictMessage(identity, to.conn)]).then(
      () => undefined,
      () => undefined,
    );
  }

  /** Appends `event` to the events stream; buffers it while Redis is away. Never throws or waits. */
  publish(event: ClusterEvent): void {
    if (this.state === 'closed') {
      if (this.events !== undefined) this.events.dropped++;
      return;
    }
    this.events?.publish(event);
  }

  // ------------------------------------------------------------------ lifecycle

  /** Connects both connections; rejects when they are not ready within `nodeTtlMs`. */
  private connect(joined: Joined): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      let commandsUp = false;
      const timer = setTimeout(() => {
        stop();
        reject(new RedisUnavailableError(`could not connect within ${this.options.nodeTtlMs} ms (nodeTtlMs)`));
      }, this.options.nodeTtlMs);
      const check = (): void => {
        if (!commandsUp || !joined.subscriberUp) return;
        clearTimeout(timer);
        stop();
        resolve();
      };
      const stop = joined.commands.onState((up) => {
        commandsUp = up;
        check();
      });
      joined.subscriber.onState((up) => {
        joined.subscriberUp = up;
        check();
      });
      joined.commands.raw.connect();
      joined.subscriber.connect();
    });
  }

  /** A connection went down or came back. */
  private connectionChanged(joined: Joined, up: boolean): void {
    if (this.state !== 'started') return;
    if (!up) {
      // Answers can no longer reach us, and Redis may have lost what we sent: end every call out now.
      if (joined.calls.size > 0)
        joined.calls.failAll({ kind: 'not-connected', delivered: 'unknown', detail: 'the connection to redis dropped with the call in flight' });
      if (!joined.reported)
        joined.host.problem(new RedisUnavailableError('the connection dropped; the node keeps its stations and rejoins when redis is back'));
      joined.reported = true;
      return;
    }
    if (joined.commands.ready && joined.subscriberUp) {
      joined.reported = false;
      void this.resync(joined);
    }
  }

  /**
   * Subscribes to this node's inbox and the presence channel. Also after a reconnect, though both
   * clients resubscribe by themselves: the reply to our SUBSCRIBE proves the subscription is
   * active, so no presence message published after it (another node re-claiming) can be missed.
   */
  private subscribe(joined: Joined): Promise<void> {
    return joined.subscriber.subscribe([this.keys.inbox(this.nodeId), this.keys.presence], (channel, message) => this.received(joined, channel, message));
  }

  /**
   * Redis is back (or forgot us): heartbeat first (so our claims count as a live node's), then
   * claim the stations connected here, write the buffered events, and read the presence anew.
   */
  private async resync(joined: Joined): Promise<void> {
    if (this.resyncing) {
      this.resyncAgain = true;
      return;
    }
    this.resyncing = true;
    joined.resynced = false;
    try {
      // The subscriber has no fail-fast wrapper (it only ever subscribes): bound the wait here.
      await withTimeout(this.subscribe(joined), this.options.commandTimeoutMs, 'SUBSCRIBE');
      await joined.presence.heartbeat();
      await joined.presence.reclaim([...joined.host.localStations()]);
      this.events?.flush();
      await this.readPresence(joined);
      joined.resynced = true;
    } catch (error) {
      // Tried again soon (and on every heartbeat until it succeeds), whatever went wrong.
      if (this.state === 'started' && joined.commands.ready) joined.host.problem(asError(error));
      setTimeout(() => {
        if (this.state === 'started' && !joined.resynced && joined.commands.ready && joined.subscriberUp) void this.resync(joined);
      }, RESYNC_RETRY_MS).unref();
    } finally {
      this.resyncing = false;
      if (this.resyncAgain && this.state === 'started') {
        this.resyncAgain = false;
        void this.resync(joined);
      }
    }
  }

  /**
   * Reads the whole presence and hands it to the host. The snapshot comes back on the command
   * connection, while changes made after it was taken come on the subscriber connection and may
   * arrive first: those heard meanwhile are applied again after the reset, in order, so a newer
   * change is never wiped by the older snapshot (a claim is idempotent; a removal names the entry
   * it removed).
   */
  private async readPresence(joined: Joined): Promise<void> {
    const heard: PresenceChange[] = [];
    joined.heard = heard;
    try {
      const entries = await joined.presence.entries();
      if (this.state !== 'started' && this.state !== 'starting') return;
      joined.host.resetPresence(entries);
      for (const change of heard) joined.host.presence(change);
    } finally {
      if (joined.heard === heard) joined.heard = undefined;
    }
  }

  private beat(joined: Joined): void {
    if (this.state !== 'started' || !joined.commands.ready) return;
    if (!joined.resynced && joined.subscriberUp) {
      void this.resync(joined);
      return;
    }
    joined.presence.heartbeat().then(
      ({ state }) => {
        if (this.state !== 'started') return;
        if (state === 'expired')
          void this.resync(joined); // we were taken for dead: our entries may be gone
        else if (state === 'taken') joined.host.problem(new Error(`nodeId ${this.nodeId} is also used by another process: node ids must be unique`));
      },
      (error: Error) => {
        if (this.state === 'started' && joined.commands.ready) joined.host.problem(error);
      },
    );
  }

  private shutdown(joined: Joined): void {
    clearInterval(joined.heartbeat);
    this.clock.stop();
    joined.commands.failAll(new RedisUnavailableError('the adapter closed'));
    joined.commands.raw.destroy();
    joined.subscriber.destroy();
  }

  // ------------------------------------------------------------------ messages

  private received(joined: Joined, channel: string, message: string): void {
    if (this.state !== 'started' && this.state !== 'starting') return;
    if (channel === this.keys.presence) {
      const change = joined.presence.echo(message) ?? parsePresence(message);
      if (change !== undefined) {
        joined.heard?.push(change);
        joined.host.presence(change);
      } else joined.host.problem(new Error(`unreadable presence message on ${channel}`));
      return;
    }
    const m = parseInbox(message);
    if (m === undefined) {
      joined.host.problem(new Error(`unreadable message on ${channel}`));
      return;
    }
    if (m.t === 'result') joined.calls.answered(m.id, m.outcome);
    else if (m.t === 'evict') joined.host.evict(m.identity, m.conn);
    else this.execute(joined, m.call);
  }

  /** Runs a call for one of our stations and sends the outcome to its caller's inbox. */
  private execute(joined: Joined, call: RemoteCall): void {
    // A second copy of a call (a doubled subscription, a duplicated message) is dropped here:
    // answering it, even with an error, could beat the real answer to the caller.
    if (this.seenCalls.has(call.id)) return;
    const now = Date.now();
    for (const [id, deadline] of this.seenCalls) {
      if (deadline >= now && this.seenCalls.size < SEEN_CALLS_LIMIT) break;
      this.seenCalls.delete(id);
    }
    this.seenCalls.set(call.id, call.deadline);
    void joined.host.executeLocal(call).then((outcome) => {
      // If Redis is away the caller has ended the call already (its connection dropped too).
      if (!joined.commands.ready) return;
      joined.commands.send(['PUBLISH', this.keys.inbox(call.from), resultMessage(call.id, outcome)]).catch(() => undefined);
    });
  }

  /** The started parts, or the error a presence operation rejects with at once. */
  private usable(what: string, identity: string): Joined | Error {
    const joined = this.joined;
    if (this.state !== 'started' || joined === undefined)
      return new RedisUnavailableError(`the adapter of node ${this.nodeId} is ${this.state} (${what} ${identity})`);
    if (!joined.commands.ready) return new RedisUnavailableError(`the connection is down (${what} ${identity})`);
    return joined;
  }
}

/**
 * Makes the Redis cluster adapter of one CentralSystem node, from your node-redis or ioredis client.
 *
 * @example
 * ```ts
 * import { createClient } from 'redis';
 * import { CentralSystem } from 'ocpp-sdk';
 * import { redisCluster } from 'ocpp-sdk/redis';
 *
 * const client = await createClient({ url: process.env.REDIS_URL }).connect();
 * const cs = new CentralSystem({ protocols: ['ocpp1.6'], cluster: redisCluster({ client }) });
 * await cs.listen({ port: 9220 });
 * ```
 */
export function redisCluster(options: RedisClusterOptions): RedisCluster {
  return new RedisCluster(options);
}

/** `promise`, or a {@link RedisUnavailableError} after `ms`. */
function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(new RedisUnavailableError(`no answer to ${what} within ${ms} ms`)), ms);
    promise.then(
      (value) => {
        clearTimeout(timer);
        resolve(value);
      },
      (error: unknown) => {
        clearTimeout(timer);
        reject(asError(error));
      },
    );
  });
}

function asError(error: unknown): Error {
  return error instanceof Error ? error : new Error(String(error));
}
