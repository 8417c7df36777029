/**
 * The stations of the whole cluster as one node sees them: its own (the local registry, always
 * right) and the others' (a mirror kept from the adapter's presence messages), so that
 * `cs.fleet.get(id)` and listing stay synchronous and cost no broker round trip.
 */
import type { OcppVersion } from '../ocpp/version';
import type { AnyStation } from '../station';
import type { StationRegistry } from '../station-registry';
import type { PresenceChange, StationRef } from './adapter';
import { RemoteStation, type AnyRemoteStation, type RemoteCaller } from './remote-station';

/**
 * `cs.fleet`: every station of the fleet by identity, wherever it is connected. `get` returns
 * this node's `Station`, or with a `cluster` adapter a {@link RemoteStation} for one held by
 * another node; iterating gives this node's stations first, then the others'. What other nodes
 * hold is learned from the cluster's presence messages, so it can lag a connection by a broker
 * hop; a call to a station that has just moved is routed again once.
 *
 * @example
 * ```ts
 * const station = cs.fleet.get('CP001'); // here or on any other node
 * if (station?.protocol === 'ocpp2.0.1') await station.call('Reset', { type: 'Immediate' });
 * for (const s of cs.fleet) console.log(s.identity, s instanceof RemoteStation ? s.node : 'here');
 * ```
 */
export interface Fleet<V extends OcppVersion = OcppVersion> extends Iterable<AnyStation<V> | AnyRemoteStation<V>> {
  /** The station connected under `identity`, here or on another node. */
  get(identity: string): AnyStation<V> | AnyRemoteStation<V> | undefined;
  /** Whether a station is connected under `identity` anywhere in the cluster. */
  has(identity: string): boolean;
  /** Number of stations connected in the whole cluster. */
  readonly size: number;
}

/** @internal The cluster-wide directory behind {@link Fleet}. */
export class ClusterDirectory<V extends OcppVersion> implements Fleet<V> {
  private readonly remote = new Map<string, RemoteStation>();

  constructor(
    private readonly local: StationRegistry<AnyStation<V>>,
    private readonly self: string,
    private readonly caller: RemoteCaller,
  ) {}

  get(identity: string): AnyStation<V> | AnyRemoteStation<V> | undefined {
    return this.local.get(identity) ?? (this.remote.get(identity) as AnyRemoteStation<V> | undefined);
  }

  has(identity: string): boolean {
    return this.local.has(identity) || this.remote.has(identity);
  }

  get size(): number {
    let size = this.local.size + this.remote.size;
    // A station that just moved here may still have its old entry: count it once.
    if (this.remote.size !== 0 && this.local.size !== 0) for (const id of this.remote.keys()) if (this.local.has(id)) size--;
    return size;
  }

  *[Symbol.iterator](): Iterator<AnyStation<V> | AnyRemoteStation<V>> {
    yield* this.local;
    for (const station of this.remote.values()) if (!this.local.has(station.identity)) yield station as AnyRemoteStation<V>;
  }

  /** The remote entry of `identity`, whether or not a local station shadows it. */
  remoteEntry(identity: string): RemoteStation | undefined {
    return this.remote.get(identity);
  }

  /** Applies one presence message. Our own node's entries are the local registry's business. */
  apply(change: PresenceChange): void {
    const { identity, ref } = change;
    if (ref !== null) {
      if (ref.node === this.self) this.remote.delete(identity);
      else this.remote.set(identity, new RemoteStation(identity, ref, this.caller));
      return;
    }
    const known = this.remote.get(identity);
    // A removal of an older connection must not remove the entry of a newer one.
    if (known !== undefined && (change.previous === undefined || sameRef(known, change.previous))) this.remote.delete(identity);
  }

  /** Replaces the mirror with the cluster's whole presence. */
  reset(entries: Iterable<readonly [string, StationRef]>): void {
    this.remote.clear();
    for (const [identity, ref] of entries) {
      if (ref.node !== this.self) this.remote.set(identity, new RemoteStation(identity, ref, this.caller));
    }
  }

  /** Forgets every remote entry (this node left the cluster). */
  clear(): void {
    this.remote.clear();
  }
}

/** Whether a remote station is the connection `ref`. */
export function sameRef(station: { readonly node: string; readonly conn: string }, ref: StationRef): boolean {
  return station.node === ref.node && station.conn === ref.conn;
}

/** @internal `cs.fleet` of a single node: its own stations, behind the same interface. */
export function localFleet<V extends OcppVersion>(local: StationRegistry<AnyStation<V>>): Fleet<V> {
  return {
    get: (identity) => local.get(identity),
    has: (identity) => local.has(identity),
    get size() {
      return local.size;
    },
    [Symbol.iterator]: () => local[Symbol.iterator](),
  };
}
