/**
 * A station connected to another node of the cluster, as this node sees it: who it is, which
 * version it speaks, where it is, and a `call()` typed exactly like a local station's.
 */
import type { CallOptions } from '../core/outgoing-calls';
import type { OcppVersion } from '../ocpp/version';
import type { CentralSystemOutgoing } from '../station';
import type { StationRef } from './adapter';

/** @internal What carries a remote station's calls: the node's cluster link. */
export interface RemoteCaller {
  callRemote(station: RemoteStation, action: string, payload: unknown, options: CallOptions | undefined): Promise<unknown>;
}

/**
 * A station held by another CentralSystem node, from `cs.fleet.get(id)` on a node with a
 * `cluster` adapter. Its {@link RemoteStation.call} takes the same actions, checks and validates
 * the request the same way, and fails with the same errors as a local `Station.call`, plus the
 * cluster's own: `StationNotConnectedError` (with `delivered`), `ClusterUnavailableError`, and a
 * `TimeoutError` that says whether the station may have got the call. Delivery is at most once:
 * nothing is ever sent twice.
 *
 * Narrow on `protocol` for the version's actions, as with a local station; tell the two apart
 * with `instanceof RemoteStation` (a local one is a `Station`, with events and handlers).
 *
 * @example
 * ```ts
 * const station = cs.fleet.get('CP001');
 * if (station?.protocol === 'ocpp1.6') await station.call('Reset', { type: 'Soft' });
 * ```
 */
export class RemoteStation<V extends OcppVersion = OcppVersion> {
  /** The station's identity. */
  readonly identity: string;
  /** The negotiated subprotocol. */
  readonly protocol: V;
  /** The node holding its connection. */
  readonly node: string;
  /** @internal The connection on that node. */
  readonly conn: string;
  private readonly caller: RemoteCaller;

  /** @internal Made by the cluster directory, not by users. */
  constructor(identity: string, ref: StationRef, caller: RemoteCaller) {
    this.identity = identity;
    this.protocol = ref.protocol as V;
    this.node = ref.node;
    this.conn = ref.conn;
    this.caller = caller;
  }

  /**
   * Calls `action` on the station through the node that holds it, and resolves with the
   * station's response. The timeout (`timeoutMs`, else the server's `callTimeoutMs`) is a
   * deadline that travels with the call: the node holding the station refuses it once expired.
   * Aborting the `signal` stops waiting here; a call already forwarded is not recalled.
   */
  call<A extends keyof CentralSystemOutgoing<V> & string>(
    action: A,
    payload: CentralSystemOutgoing<V>[A]['request'],
    options?: CallOptions,
  ): Promise<CentralSystemOutgoing<V>[A]['response']> {
    return this.caller.callRemote(this, action, payload, options) as Promise<CentralSystemOutgoing<V>[A]['response']>;
  }
}

/** A remote station of any of the versions `V`: narrow on `protocol` to get the version's actions. */
export type AnyRemoteStation<V extends OcppVersion = OcppVersion> = V extends OcppVersion ? RemoteStation<V> : never;
