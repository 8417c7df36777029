/**
 * A cluster inside one process: several CentralSystems share one {@link MemoryCluster}, each with
 * its own adapter. For unit tests of code built on the cluster (ours and the user's), and as the
 * reference behaviour of the {@link ClusterAdapter} contract; not for production, where the nodes
 * are separate processes (see `ocpp-sdk/redis`).
 */
import type { ClaimResult, ClusterAdapter, ClusterEvent, ClusterHost, RemoteCall, RemoteOutcome, StationRef } from './adapter';

/** How long past a call's deadline its caller waits for the owner's answer. */
const CALL_GRACE_MS = 1000;

/** Options of {@link MemoryCluster.adapter}. */
export interface MemoryAdapterOptions {
  /** Whether the node publishes events into {@link MemoryCluster.events}. @default true */
  events?: boolean;
}

/**
 * The shared state of an in-process cluster: presence, the nodes' inboxes and the event log.
 *
 * @example
 * ```ts
 * const hub = new MemoryCluster();
 * const a = new CentralSystem({ protocols: ['ocpp1.6'], cluster: hub.adapter('a') });
 * const b = new CentralSystem({ protocols: ['ocpp1.6'], cluster: hub.adapter('b') });
 * await Promise.all([a.listen({ port: 0 }), b.start()]);
 * // a station connected to `a` is reachable from `b`: b.stations.get('CP001')?.call(...)
 * ```
 */
export class MemoryCluster {
  /** Every event published by any node, in order. */
  readonly events: ClusterEvent[] = [];
  /** Events published while the cluster was down and dropped. */
  eventsDropped = 0;
  /** @internal */
  readonly entries = new Map<string, StationRef>();
  /** @internal The nodes that joined and are alive. */
  readonly nodes = new Map<string, MemoryAdapter>();
  /** @internal */
  available = true;

  /** An adapter for the node `nodeId` (ids must be unique in the cluster). */
  adapter(nodeId: string, options: MemoryAdapterOptions = {}): ClusterAdapter {
    if (typeof nodeId !== 'string' || nodeId.length === 0) throw new TypeError(`nodeId must be a non-empty string, got ${String(nodeId)}`);
    return new MemoryAdapter(this, nodeId, options.events ?? true);
  }

  /** Simulates the death of node `nodeId`: calls in flight to it fail with `'unknown'`, its stations vanish. */
  kill(nodeId: string): void {
    const node = this.nodes.get(nodeId);
    if (node === undefined) return;
    this.nodes.delete(nodeId);
    node.die();
    for (const [identity, ref] of this.entries) {
      if (ref.node === nodeId) {
        this.entries.delete(identity);
        this.broadcast(identity, null, ref);
      }
    }
  }

  /** Simulates the broker going away (`false`) and coming back (`true`, presence is then re-read by every node). */
  setAvailable(available: boolean): void {
    this.available = available;
    if (available) for (const node of this.nodes.values()) node.reconnected();
  }

  /** @internal Tells every node (asynchronously, like a broker) that a presence changed. */
  broadcast(identity: string, ref: StationRef | null, previous?: StationRef): void {
    for (const node of this.nodes.values()) {
      queueMicrotask(() => node.host?.presence(previous === undefined ? { identity, ref } : { identity, ref, previous }));
    }
  }
}

/** One node's adapter of a {@link MemoryCluster}. */
class MemoryAdapter implements ClusterAdapter {
  host: ClusterHost | undefined;
  private readonly inFlight = new Set<(outcome: RemoteOutcome) => void>();
  private readonly waiting = new Map<MemoryAdapter, Set<(outcome: RemoteOutcome) => void>>();

  constructor(
    private readonly hub: MemoryCluster,
    readonly nodeId: string,
    readonly publishesEvents: boolean,
  ) {}

  start(host: ClusterHost): Promise<void> {
    if (this.hub.nodes.has(this.nodeId)) return Promise.reject(new Error(`node ${this.nodeId} already joined this cluster`));
    this.host = host;
    this.hub.nodes.set(this.nodeId, this);
    host.resetPresence(this.hub.entries);
    return Promise.resolve();
  }

  close(): Promise<void> {
    if (this.hub.nodes.get(this.nodeId) === this) this.hub.kill(this.nodeId);
    return Promise.resolve();
  }

  claim(identity: string, ref: StationRef, options: { readonly replace: boolean }): Promise<ClaimResult> {
    if (!this.hub.available) return Promise.reject(new Error('memory cluster unavailable'));
    const existing = this.hub.entries.get(identity);
    const live = existing !== undefined && this.hub.nodes.has(existing.node) && !(existing.node === ref.node && existing.conn === ref.conn);
    if (live && !options.replace) return Promise.resolve({ claimed: false, previous: existing });
    this.hub.entries.set(identity, ref);
    this.hub.broadcast(identity, ref);
    return Promise.resolve({ claimed: true, previous: live ? existing : null });
  }

  release(identity: string, ref: StationRef): Promise<boolean> {
    if (!this.hub.available) return Promise.reject(new Error('memory cluster unavailable'));
    const existing = this.hub.entries.get(identity);
    if (existing === undefined || existing.node !== ref.node || existing.conn !== ref.conn) return Promise.resolve(false);
    this.hub.entries.delete(identity);
    this.hub.broadcast(identity, null, ref);
    return Promise.resolve(true);
  }

  locate(identity: string): Promise<StationRef | null> {
    if (!this.hub.available) return Promise.reject(new Error('memory cluster unavailable'));
    const ref = this.hub.entries.get(identity);
    return Promise.resolve(ref !== undefined && this.hub.nodes.has(ref.node) ? ref : null);
  }

  call(to: StationRef, call: RemoteCall): Promise<RemoteOutcome> {
    if (!this.hub.available) return Promise.resolve({ ok: false, error: { kind: 'unavailable', detail: 'memory cluster unavailable' } });
    const owner = this.hub.nodes.get(to.node);
    if (owner?.host === undefined) return Promise.resolve({ ok: false, error: { kind: 'not-connected', delivered: false, detail: `node ${to.node} is gone` } });
    return new Promise<RemoteOutcome>((resolve) => {
      const timer = setTimeout(
        () => settle({ ok: false, error: { kind: 'timeout', timeoutMs: Math.max(0, call.deadline - Date.now()), delivered: 'unknown' } }),
        Math.max(0, call.deadline - Date.now()) + CALL_GRACE_MS,
      );
      const waiting = this.waiting.get(owner) ?? new Set();
      this.waiting.set(owner, waiting);
      const settle = (outcome: RemoteOutcome): void => {
        if (!waiting.delete(settle)) return;
        clearTimeout(timer);
        resolve(outcome);
      };
      waiting.add(settle);
      owner.inFlight.add(settle);
      void owner.host!.executeLocal(call).then((outcome) => {
        owner.inFlight.delete(settle);
        settle(outcome);
      });
    });
  }

  evict(identity: string, to: StationRef): Promise<void> {
    const owner = this.hub.nodes.get(to.node);
    if (this.hub.available && owner?.host !== undefined) queueMicrotask(() => owner.host?.evict(identity, to.conn));
    return Promise.resolve();
  }

  publish(event: ClusterEvent): void {
    if (!this.publishesEvents) return;
    if (this.hub.available) this.hub.events.push(event);
    else this.hub.eventsDropped++;
  }

  /** @internal This node died: every call it had fails as maybe delivered. */
  die(): void {
    const outcome: RemoteOutcome = { ok: false, error: { kind: 'not-connected', delivered: 'unknown', detail: `node ${this.nodeId} went away` } };
    for (const settle of [...this.inFlight]) settle(outcome);
    this.inFlight.clear();
    this.host = undefined;
  }

  /** @internal The broker is back: re-claim this node's stations and re-read presence. */
  reconnected(): void {
    const host = this.host;
    if (host === undefined) return;
    for (const [identity, ref] of host.localStations()) void this.claim(identity, ref, { replace: false });
    host.resetPresence(this.hub.entries);
  }
}
