/**
 * The failures only a call across nodes can have. Everything a local call can fail with (an
 * `RpcError` from the station, `TimeoutError`, `ConnectionClosedError`, `ValidationError`,
 * `AbortError`) is reported with the same class when the station is on another node; these three
 * say what only the cluster can go wrong with, and whether the station may have got the call.
 */
import type { Delivery } from './adapter';

/** What {@link StationNotConnectedError} is built from. */
export interface StationNotConnectedErrorInit {
  /** The station. */
  identity: string;
  /** The action of the call. */
  action: string;
  /** `false`: the call certainly did not reach the station; `'unknown'`: it may have. */
  delivered: Delivery;
  /** What happened, for logs. */
  detail: string;
}

/**
 * The station is not connected anywhere the call could reach, or the node holding it went away.
 * With `delivered: false` the station certainly did not get the call, and it is safe to retry
 * (once the station is back); with `'unknown'` the node holding it died while it had the call:
 * reconcile (a TriggerMessage, the station's own events) rather than retry blindly.
 *
 * @example
 * ```ts
 * // StationNotConnectedError: RemoteStartTransaction for CP001 not delivered: CP001 is not connected
 * if (err instanceof StationNotConnectedError && err.delivered === false) retryWhenBack(err.identity);
 * ```
 */
export class StationNotConnectedError extends Error {
  /** The station. */
  readonly identity: string;
  /** The action of the call. */
  readonly action: string;
  /** Whether the station may have got the call. */
  readonly delivered: Delivery;

  constructor(init: StationNotConnectedErrorInit) {
    const outcome = init.delivered === false ? 'not delivered' : 'outcome unknown';
    super(`${init.action} for ${init.identity} ${outcome}: ${init.detail}`);
    this.identity = init.identity;
    this.action = init.action;
    this.delivered = init.delivered;
  }
}
StationNotConnectedError.prototype.name = 'StationNotConnectedError';

/** What {@link ClusterUnavailableError} is built from. */
export interface ClusterUnavailableErrorInit {
  /** The action of the call, when the error concerns one. */
  action?: string;
  /** The station, when the error concerns one. */
  identity?: string;
  /** What is down, for logs. */
  detail: string;
}

/**
 * The cluster cannot carry a call now: its broker (Redis) is down or the node has not joined the
 * cluster yet. Raised at once, never after a client's offline queue; the call was not sent
 * (`delivered` is always `false`). Calls to stations of this node keep working meanwhile.
 *
 * @example
 * ```ts
 * // ClusterUnavailableError: Reset for CP001 not sent: the cluster is unavailable (redis: connection closed)
 * if (err instanceof ClusterUnavailableError) res.status(503).end();
 * ```
 */
export class ClusterUnavailableError extends Error {
  /** The action of the call, when the error concerns one. */
  declare readonly action?: string;
  /** The station, when the error concerns one. */
  declare readonly identity?: string;
  /** Always false: nothing was sent. */
  readonly delivered = false as const;

  constructor(init: ClusterUnavailableErrorInit) {
    const what = init.action === undefined ? '' : `${init.action}${init.identity === undefined ? '' : ` for ${init.identity}`} not sent: `;
    super(`${what}the cluster is unavailable (${init.detail})`);
    if (init.action !== undefined) this.action = init.action;
    if (init.identity !== undefined) this.identity = init.identity;
  }
}
ClusterUnavailableError.prototype.name = 'ClusterUnavailableError';

/** What {@link RemoteCallError} is built from. */
export interface RemoteCallErrorInit {
  /** The station. */
  identity: string;
  /** The action of the call. */
  action: string;
  /** The node that held the station. */
  node: string;
  /** What the owner reported. */
  detail: string;
}

/**
 * The node holding the station failed to run the call for a reason of its own (not the
 * station's answer, not a timeout or a closed connection). The station may have got the call.
 */
export class RemoteCallError extends Error {
  /** The station. */
  readonly identity: string;
  /** The action of the call. */
  readonly action: string;
  /** The node that held the station. */
  readonly node: string;
  /** The station may have got the call. */
  readonly delivered = 'unknown' as const;

  constructor(init: RemoteCallErrorInit) {
    super(`${init.action} for ${init.identity} failed on node ${init.node}: ${init.detail}`);
    this.identity = init.identity;
    this.action = init.action;
    this.node = init.node;
  }
}
RemoteCallError.prototype.name = 'RemoteCallError';
