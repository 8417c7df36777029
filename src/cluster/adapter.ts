/**
 * The seam between a {@link CentralSystem} and the other CentralSystem processes of the same
 * fleet. Broker-neutral on purpose: nothing here names Redis, a key layout or a script, so an
 * MQTT or NATS adapter can implement the same contract (`ocpp-sdk/redis` is the first one;
 * {@link MemoryCluster} is the in-process one the unit tests use).
 *
 * The split of work: the central system (the "host") owns its sockets, validates, runs the
 * station calls and keeps the cluster-wide directory of stations; the adapter moves messages
 * between nodes, keeps presence in the shared store, tells the host what changed, and decides
 * when a node is gone.
 */

/** Where a station is connected: which node, which WebSocket, which subprotocol. */
export interface StationRef {
  /** The node (CentralSystem process) holding the socket: its adapter's `nodeId`. */
  readonly node: string;
  /** The connection: unique per WebSocket across the cluster and across restarts. */
  readonly conn: string;
  /** The negotiated subprotocol (`ocpp1.6`, `ocpp2.0.1`, ...). */
  readonly protocol: string;
}

/** A call for a station, travelling from the calling node to the node that owns the station. */
export interface RemoteCall {
  /** Unique id of this remote call (not the OCPP message id, which the owner's station picks). */
  readonly id: string;
  /** The calling node. */
  readonly from: string;
  /** The station's identity. */
  readonly identity: string;
  /** The connection the caller believes it is on; the owner refuses the call when it has another. */
  readonly conn: string;
  /** The action, already checked and validated by the caller. */
  readonly action: string;
  /** The request payload (JSON). */
  readonly payload: unknown;
  /** False when the caller asked for no validation of this call (test harnesses); the owner skips it too. */
  readonly validate: boolean;
  /**
   * When the caller stops waiting, in ms since the epoch (clocks are assumed NTP-synced). The
   * owner refuses an expired call and gives the station only the time left.
   */
  readonly deadline: number;
}

/**
 * Whether a failed call reached the station: `false` when it certainly did not (safe to retry),
 * `'unknown'` when it may have (reconcile, never retry blindly).
 */
export type Delivery = false | 'unknown';

/** Why a remote call failed, as it travels back to the caller (JSON, no class instances). */
export type RemoteFailure =
  /** The station answered with a CALLERROR. */
  | { readonly kind: 'rpc'; readonly code: string; readonly description: string; readonly details: Record<string, unknown> }
  /** The station is not connected where the call went, or its node is gone. */
  | { readonly kind: 'not-connected'; readonly delivered: Delivery; readonly detail: string }
  /** The deadline passed before the call could be sent to the station (never sent). */
  | { readonly kind: 'expired' }
  /** The station did not answer before the deadline. */
  | { readonly kind: 'timeout'; readonly timeoutMs: number; readonly delivered: Delivery }
  /** The station's connection closed before it answered. */
  | { readonly kind: 'closed'; readonly code: number; readonly reason: string }
  /** The station's answer broke the schema (rejected by the owner's validator). */
  | { readonly kind: 'invalid-response'; readonly code: string; readonly detail: string }
  /** The cluster cannot carry the call now (the broker is down or not started); never sent. */
  | { readonly kind: 'unavailable'; readonly detail: string }
  /** Anything else the owner could not do; the station may have got the call. */
  | { readonly kind: 'error'; readonly message: string };

/** How a remote call ended. Adapters and hosts resolve with one; they never reject. */
export type RemoteOutcome = { readonly ok: true; readonly payload: unknown } | { readonly ok: false; readonly error: RemoteFailure };

/** What a claim did. */
export interface ClaimResult {
  /** Whether `ref` is now the station's entry. */
  readonly claimed: boolean;
  /**
   * The entry it replaced (claimed) or that kept its place (not claimed): a live connection of
   * the same identity, on this node or another. Null when there was none or its node is dead.
   */
  readonly previous: StationRef | null;
}

/** A station's presence changed somewhere in the cluster. */
export interface PresenceChange {
  /** The station. */
  readonly identity: string;
  /** The new entry; null when the station is gone. */
  readonly ref: StationRef | null;
  /** For a removal: the entry removed (the host ignores it when it knows a newer one). */
  readonly previous?: StationRef;
}

/**
 * What the cluster publishes for application code anywhere (see {@link ClusterAdapter.publish}):
 * one record per station connection, disconnection and inbound CALL with its answer.
 * `id` is unique (`<conn>:<seq>`), so a consumer that may see a record twice can drop repeats.
 */
export type ClusterEvent =
  | (ClusterEventBase & { readonly type: 'connected'; readonly remoteAddress: string | undefined })
  | (ClusterEventBase & { readonly type: 'disconnected'; readonly code: number; readonly reason: string })
  | (ClusterEventBase & {
      readonly type: 'call';
      /** The OCPP message id of the station's CALL. */
      readonly messageId: string;
      readonly action: string;
      /** The request as received (before validation). */
      readonly request: unknown;
      /** Our CALLRESULT payload, when it was answered with one. */
      readonly response?: unknown;
      /** Our CALLERROR, when it was answered with one. */
      readonly error?: { readonly code: string; readonly description: string; readonly details: unknown };
    });

/** The fields every {@link ClusterEvent} has. */
export interface ClusterEventBase {
  /** Unique across the cluster: `<conn>:<seq>`. */
  readonly id: string;
  /** The station. */
  readonly identity: string;
  /** The node that holds its connection. */
  readonly node: string;
  /** The connection (unique per WebSocket). */
  readonly conn: string;
  /** Its subprotocol. */
  readonly protocol: string;
  /** When it happened, ms since the epoch. */
  readonly at: number;
}

/**
 * The central system's side, given to {@link ClusterAdapter.start}. The adapter calls it; it
 * never throws and never blocks.
 */
export interface ClusterHost {
  /** Run a call that arrived for a station of this node. Never rejects. */
  executeLocal(call: RemoteCall): Promise<RemoteOutcome>;
  /** Another node took over `identity`: close our connection `conn` of it, if we still have it. */
  evict(identity: string, conn: string): void;
  /** The stations connected here: re-claimed by the adapter after the broker comes back. */
  localStations(): Iterable<readonly [identity: string, ref: StationRef]>;
  /** One station's presence changed somewhere (this node included). */
  presence(change: PresenceChange): void;
  /** The whole presence of the cluster, read anew (at start and after the broker came back). */
  resetPresence(entries: Iterable<readonly [identity: string, ref: StationRef]>): void;
  /** Something failed that no caller can be told about (the broker went away, a janitor failed). */
  problem(error: Error): void;
}

/**
 * A transport between CentralSystem nodes. `CentralSystem` takes one as its `cluster` option;
 * without one it is a single node, as fast and as small as ever.
 *
 * Contract, for adapter authors:
 * - `call` delivers at most once: it never re-sends, and resolves (never rejects) with the
 *   owner's outcome, or with `not-connected` (`delivered: false` when the owner certainly did not
 *   get it, `'unknown'` when the owner died while it had it), `timeout` (`'unknown'`) when no
 *   answer came by the deadline plus a grace, and `unavailable` at once when the broker is down.
 * - `claim` and `release` are atomic; `release` removes only the given entry (compare and delete),
 *   so a late close on an old node cannot remove a newer connection on another.
 * - `publish` never throws and never blocks; what cannot be published is buffered up to a bound
 *   and the rest counted.
 */
export interface ClusterAdapter {
  /** This node's id, unique in the cluster. */
  readonly nodeId: string;
  /** Joins the cluster: starts receiving calls and presence, then calls `host.resetPresence`. */
  start(host: ClusterHost): Promise<void>;
  /** Leaves the cluster: stops heartbeats, removes this node's entries, and stops receiving. */
  close(): Promise<void>;
  /**
   * Records `ref` as where `identity` is connected. With `replace: false` an entry on a live node
   * is kept and the claim fails; with `true` it is replaced (and returned as `previous`).
   */
  claim(identity: string, ref: StationRef, options: { readonly replace: boolean }): Promise<ClaimResult>;
  /** Removes `identity`'s entry if it is still `ref`; resolves whether it did. */
  release(identity: string, ref: StationRef): Promise<boolean>;
  /** Where `identity` is connected now, asking the shared store; null when nowhere alive. */
  locate(identity: string): Promise<StationRef | null>;
  /** Sends `call` to the node in `to` and resolves with its outcome (see the contract above). */
  call(to: StationRef, call: RemoteCall): Promise<RemoteOutcome>;
  /** Asks `to.node` to close connection `to.conn` of `identity` (best effort, never rejects). */
  evict(identity: string, to: StationRef): Promise<void>;
  /** Whether `publish` keeps events; when false, the host does not build them. */
  readonly publishesEvents: boolean;
  /** Hands an event to the cluster's event log; never throws, never blocks. */
  publish(event: ClusterEvent): void;
}
