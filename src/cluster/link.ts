/**
 * One CentralSystem's membership of a cluster: the {@link ClusterHost} its adapter talks to, and
 * the caller side of {@link RemoteStation.call}. Built only when the `cluster` option is set, so a
 * single node pays nothing for it.
 */
import { randomUUID } from 'node:crypto';
import type { FrameEvent } from '../core/events';
import { AbortError, ValidationError } from '../core/errors';
import { describeValue, integerOptionProblem, MAX_CALL_TIMEOUT_MS, TIMEOUT_MS_RANGE } from '../core/options';
import type { CallOptions } from '../core/outgoing-calls';
import type { PayloadValidator } from '../core/validator';
import type { OcppVersion } from '../ocpp/version';
import type { AnyStation, Station } from '../station';
import type { StationRegistry } from '../station-registry';
import type { ClusterAdapter, ClusterEvent, ClusterHost, PresenceChange, RemoteCall, RemoteOutcome, StationRef } from './adapter';
import { ClusterDirectory, sameRef } from './directory';
import { ClusterUnavailableError } from './errors';
import { errorOf, failed, failureOf } from './outcomes';
import type { RemoteCaller, RemoteStation } from './remote-station';

/** How many executed call ids the owner remembers, to run none twice. */
const SEEN_CALLS_LIMIT = 10_000;
/** The close reason of a connection another node took over. */
const REPLACED = 'replaced by a newer connection with the same identity';

/** What the link needs from its central system. */
export interface ClusterLinkOptions<V extends OcppVersion> {
  readonly adapter: ClusterAdapter;
  /** The stations of this node. */
  readonly local: StationRegistry<AnyStation<V>>;
  /** The validator of a version this node serves; undefined for one it does not. */
  validatorFor(protocol: string): PayloadValidator | undefined;
  /** The default timeout of calls (the endpoints' `callTimeoutMs`). */
  readonly callTimeoutMs: number;
  /** The duplicate-identity policy: whether a newer connection replaces an older one. */
  readonly replace: boolean;
  /** Reports what no caller can be told (the central system's `error` event). */
  report(error: Error, identity?: string): void;
}

/** What the link keeps per connection of this node. */
interface Linked {
  readonly ref: StationRef;
  /** Settles when the claim is done (either way). */
  claiming: Promise<void>;
  /** Whether the claim succeeded: only then may presence from elsewhere close the connection. */
  claimed: boolean;
  /** Event sequence of this connection. */
  seq: number;
  /** Inbound CALLs awaiting our answer, for the `call` events (made on first use). */
  calls: Map<string, { readonly action: string; readonly request: unknown }> | undefined;
}

/** @internal A central system's side of the cluster. */
export class ClusterLink<V extends OcppVersion> implements ClusterHost, RemoteCaller {
  readonly directory: ClusterDirectory<V>;
  private readonly adapter: ClusterAdapter;
  private readonly linked = new Map<Station, Linked>();
  /** Executed remote call ids and their deadlines (insertion order is about deadline order). */
  private readonly seen = new Map<string, number>();
  /** The outcomes of remote calls running here now, by call id. */
  private readonly running = new Map<string, Promise<RemoteOutcome>>();
  private readonly releases = new Set<Promise<void>>();
  private readonly token = randomUUID().replace(/-/g, '').slice(0, 10);
  private connections = 0;
  private starting: Promise<void> | undefined;
  private joined = false;

  constructor(private readonly options: ClusterLinkOptions<V>) {
    this.adapter = options.adapter;
    this.directory = new ClusterDirectory<V>(options.local, options.adapter.nodeId, this);
  }

  /** Joins the cluster once; a failed attempt may be retried. */
  start(): Promise<void> {
    this.starting ??= this.adapter.start(this).then(
      () => {
        this.joined = true;
      },
      (error: unknown) => {
        this.starting = undefined;
        throw error;
      },
    );
    return this.starting;
  }

  /** Leaves the cluster, after the releases of the stations already closed. */
  async close(): Promise<void> {
    await Promise.all(this.releases);
    if (this.starting !== undefined) await this.starting.catch(() => undefined);
    this.joined = false;
    await this.adapter.close();
    this.directory.clear();
  }

  // ------------------------------------------------------------------ this node's stations

  /** A station connected here: claim it in the cluster, and publish what it does. */
  opened(station: Station): void {
    const ref: StationRef = { node: this.adapter.nodeId, conn: `${this.token}.${(++this.connections).toString(36)}`, protocol: station.protocol };
    const linked: Linked = { ref, claiming: Promise.resolve(), claimed: false, seq: 0, calls: undefined };
    this.linked.set(station, linked);
    if (this.adapter.publishesEvents) {
      station.on('frame', (event) => this.frame(station, linked, event));
      this.publish(station, {
        id: `${ref.conn}:${++linked.seq}`,
        identity: station.identity,
        node: ref.node,
        conn: ref.conn,
        protocol: ref.protocol,
        at: Date.now(),
        type: 'connected',
        remoteAddress: station.remoteAddress,
      });
    }
    linked.claiming = this.claim(station, linked);
  }

  /** A station of this node closed: release its entry (only if it is still this connection's). */
  closed(station: Station, code: number, reason: string): void {
    const linked = this.linked.get(station);
    if (linked === undefined) return;
    this.linked.delete(station);
    if (this.adapter.publishesEvents) {
      const ref = linked.ref;
      this.publish(station, {
        id: `${ref.conn}:${++linked.seq}`,
        identity: station.identity,
        node: ref.node,
        conn: ref.conn,
        protocol: ref.protocol,
        at: Date.now(),
        type: 'disconnected',
        code,
        reason,
      });
    }
    const release = linked.claiming
      .then(() => this.adapter.release(station.identity, linked.ref))
      .then(
        () => undefined,
        (error: unknown) => this.options.report(asError(error), station.identity),
      )
      .finally(() => this.releases.delete(release));
    this.releases.add(release);
  }

  private async claim(station: Station, linked: Linked): Promise<void> {
    try {
      await this.start();
      const result = await this.adapter.claim(station.identity, linked.ref, { replace: this.options.replace });
      if (!this.linked.has(station)) return; // closed meanwhile: closed() releases it
      if (!result.claimed) {
        void station.close(1008, 'duplicate identity');
        return;
      }
      linked.claimed = true;
      const previous = result.previous;
      if (previous !== null && previous.node !== this.adapter.nodeId) await this.adapter.evict(station.identity, previous);
    } catch (error) {
      // The station keeps working here; the adapter claims it again when the broker is back.
      this.options.report(asError(error), station.identity);
    }
  }

  // ------------------------------------------------------------------ ClusterHost

  async executeLocal(call: RemoteCall): Promise<RemoteOutcome> {
    const station = this.options.local.get(call.identity) as Station | undefined;
    const linked = station === undefined ? undefined : this.linked.get(station);
    if (station === undefined || linked === undefined || linked.ref.conn !== call.conn) {
      return failed({ kind: 'not-connected', delivered: false, detail: `${call.identity} is not connected on node ${this.adapter.nodeId}` });
    }
    // A second copy of a call (a broker that delivers twice) is never run again. While the first
    // runs, the copy gets the same outcome: an error answered at once would reach the caller
    // before the station's real answer. Once it has ended, the caller has its answer already.
    const running = this.running.get(call.id);
    if (running !== undefined) return running;
    if (!this.firstTime(call)) return failed({ kind: 'error', message: `call ${call.id} was already received: not run twice` });
    const outcome = this.run(station, call);
    this.running.set(call.id, outcome);
    return outcome.finally(() => this.running.delete(call.id));
  }

  private async run(station: Station, call: RemoteCall): Promise<RemoteOutcome> {
    const left = call.deadline - Date.now();
    if (left <= 0) return failed({ kind: 'expired' });
    try {
      const payload: unknown = await station.call(call.action as never, call.payload as never, {
        timeoutMs: Math.min(Math.ceil(left), MAX_CALL_TIMEOUT_MS),
        validate: call.validate,
      });
      return { ok: true, payload };
    } catch (error) {
      return failed(failureOf(error));
    }
  }

  evict(identity: string, conn: string): void {
    const station = this.options.local.get(identity) as Station | undefined;
    if (station !== undefined && this.linked.get(station)?.ref.conn === conn) void station.close(1008, REPLACED);
  }

  *localStations(): Iterable<readonly [string, StationRef]> {
    for (const [station, linked] of this.linked) yield [station.identity, linked.ref];
  }

  presence(change: PresenceChange): void {
    this.directory.apply(change);
    if (change.ref !== null && change.ref.node !== this.adapter.nodeId) this.yieldTo(change.identity, change.ref);
  }

  resetPresence(entries: Iterable<readonly [string, StationRef]>): void {
    const list = [...entries];
    this.directory.reset(list);
    for (const [identity, ref] of list) {
      if (ref.node !== this.adapter.nodeId) {
        this.yieldTo(identity, ref);
        continue;
      }
      // An entry of ours whose connection is gone (its release failed while the broker was away).
      const station = this.options.local.get(identity) as Station | undefined;
      const linked = station === undefined ? undefined : this.linked.get(station);
      if (linked === undefined || linked.ref.conn !== ref.conn) {
        void this.adapter.release(identity, ref).catch((error: unknown) => this.options.report(asError(error), identity));
      }
    }
  }

  problem(error: Error): void {
    this.options.report(error);
  }

  /**
   * Another node announced `identity`'s entry: a claimed connection of ours for it is the older
   * one, unless our claim came after that announcement (two nodes claiming at the same moment
   * hear each other's claims in either order). The store decides: we close only when its entry
   * is not ours, so exactly one connection stays.
   */
  private yieldTo(identity: string, ref: StationRef): void {
    const station = this.options.local.get(identity) as Station | undefined;
    const linked = station === undefined ? undefined : this.linked.get(station);
    if (station === undefined || linked?.claimed !== true || sameRef(ref, linked.ref)) return;
    this.adapter.locate(identity).then(
      (current) => {
        if (current !== null && sameRef(current, linked.ref)) return;
        if (this.linked.get(station) === linked) void station.close(1008, REPLACED);
      },
      // Unknown: keep the connection; presence is read anew when the broker is back.
      (error: unknown) => this.options.report(asError(error), identity),
    );
  }

  /** Records a remote call id; false when it was seen before. */
  private firstTime(call: RemoteCall): boolean {
    if (this.seen.has(call.id)) return false;
    const now = Date.now();
    for (const [id, deadline] of this.seen) {
      if (deadline > now && this.seen.size < SEEN_CALLS_LIMIT) break;
      this.seen.delete(id);
    }
    this.seen.set(call.id, call.deadline);
    return true;
  }

  // ------------------------------------------------------------------ events

  // Events are built as whole literals at each site, not as a base object spread with the
  // type's fields: the two spreads per event were a measurable part of connection setup.
  private publish(station: Station, event: ClusterEvent): void {
    try {
      this.adapter.publish(event);
    } catch (error) {
      // The contract says publish never throws; an adapter that does must not break the station.
      this.options.report(asError(error), station.identity);
    }
  }

  /** Pairs each inbound CALL with the answer we send, for a `call` event. */
  private frame(station: Station, linked: Linked, event: FrameEvent): void {
    const frame = event.frame;
    if (event.direction === 'inbound') {
      if (frame.type === 2) (linked.calls ??= new Map()).set(frame.messageId, { action: frame.action, request: frame.payload });
      return;
    }
    if (frame.type !== 3 && frame.type !== 4) return;
    const call = linked.calls?.get(frame.messageId);
    if (call === undefined) return;
    linked.calls!.delete(frame.messageId);
    const ref = linked.ref;
    const callEvent: Writable<CallEvent> = {
      id: `${ref.conn}:${++linked.seq}`,
      identity: station.identity,
      node: ref.node,
      conn: ref.conn,
      protocol: ref.protocol,
      at: Date.now(),
      type: 'call',
      messageId: frame.messageId,
      action: call.action,
      request: call.request,
    };
    if (frame.type === 3) callEvent.response = frame.payload;
    else callEvent.error = { code: frame.errorCode, description: frame.errorDescription, details: frame.errorDetails };
    this.publish(station, callEvent);
  }

  // ------------------------------------------------------------------ calling other nodes

  async callRemote(station: RemoteStation, action: string, payload: unknown, options: CallOptions | undefined): Promise<unknown> {
    const { timeoutMs, validate, signal } = this.checkCall(station, action, payload, options);
    if (signal?.aborted === true) throw new AbortError({ action, cause: signal.reason });
    const facts = { identity: station.identity, action, callId: randomUUID(), node: station.node, timeoutMs };
    if (!this.joined)
      throw new ClusterUnavailableError({ action, identity: station.identity, detail: 'this node has not joined the cluster: call start() or listen() first' });
    const call: RemoteCall = {
      id: facts.callId,
      from: this.adapter.nodeId,
      identity: station.identity,
      conn: station.conn,
      action,
      payload,
      deadline: Date.now() + timeoutMs,
      validate,
    };
    let outcome = await this.untilAborted(this.adapter.call(station, call), signal, action);
    if (!outcome.ok && outcome.error.kind === 'not-connected' && outcome.error.delivered === false) {
      // The route may be stale (the station moved): ask the store once, and go there if it is elsewhere.
      outcome = (await this.untilAborted(this.reroute(station, call), signal, action)) ?? outcome;
    }
    if (outcome.ok) return outcome.payload;
    throw errorOf(outcome.error, facts);
  }

  /** Sends `call` once more to where the station is now, if that is somewhere else. */
  private async reroute(station: RemoteStation, call: RemoteCall): Promise<RemoteOutcome | undefined> {
    const fresh = await this.adapter.locate(station.identity).catch(() => null);
    if (fresh === null || sameRef(fresh, station) || Date.now() >= call.deadline) return undefined;
    const moved: RemoteCall = { ...call, id: randomUUID(), conn: fresh.conn };
    return fresh.node === this.adapter.nodeId ? this.executeLocal(moved) : this.adapter.call(fresh, moved);
  }

  private untilAborted<T>(promise: Promise<T>, signal: AbortSignal | undefined, action: string): Promise<T> {
    if (signal === undefined) return promise;
    return new Promise<T>((resolve, reject) => {
      const onAbort = (): void => reject(new AbortError({ action, cause: signal.reason }));
      signal.addEventListener('abort', onAbort, { once: true });
      promise.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
    });
  }

  /** The checks a local call makes, with the same errors (see OutgoingCalls.call). */
  private checkCall(station: RemoteStation, action: string, payload: unknown, options: CallOptions | undefined) {
    let timeoutMs = this.options.callTimeoutMs;
    let validate = true;
    let signal: AbortSignal | undefined;
    if (options !== undefined) {
      if (options.timeoutMs !== undefined) {
        const problem = integerOptionProblem('timeoutMs', options.timeoutMs, TIMEOUT_MS_RANGE);
        if (problem !== undefined) throw new TypeError(problem);
        timeoutMs = options.timeoutMs;
      }
      if (options.validate !== undefined) {
        if (typeof options.validate !== 'boolean') throw new TypeError(`validate must be a boolean, got ${describeValue(options.validate)}`);
        validate = options.validate;
      }
      if (options.signal !== undefined) {
        signal = options.signal;
        if (typeof signal?.addEventListener !== 'function') throw new TypeError(`signal must be an AbortSignal, got ${describeValue(signal)}`);
      }
    }
    if (typeof action !== 'string' || action.length === 0) throw new TypeError(`action must be a non-empty string, got ${describeValue(action)}`);
    const validator = this.options.validatorFor(station.protocol);
    if (validate && validator !== undefined) {
      const issue = validator.validate(action, 'request', 'outbound', payload);
      if (issue?.enforced === true) throw new ValidationError({ direction: 'outbound', kind: 'request', action, code: issue.code, detail: issue.detail });
    }
    return { timeoutMs, validate, signal };
  }
}

type CallEvent = Extract<ClusterEvent, { readonly type: 'call' }>;
type Writable<T> = { -readonly [K in keyof T]: T[K] };

function asError(error: unknown): Error {
  return error instanceof Error ? error : new Error(String(error));
}
