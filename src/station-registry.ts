/**
 * "Find the station" and "send to it", behind one small interface. The default keeps the
 * stations of this process in a Map; a cluster adapter can implement the same interface and hand
 * back handles whose `call` travels to whichever process holds the socket (over Redis, say), so
 * code written against `cs.stations.get(id)?.call(...)` does not change when the CSMS scales out.
 */

/** The least a station handle offers: who it is, which version it speaks, and a way to call it. */
export interface StationHandle {
  /** The station's identity. */
  readonly identity: string;
  /** The subprotocol it speaks. */
  readonly protocol: string;
  /** Calls an action on the station and resolves with its response. */
  call(action: string, payload: unknown, options?: { timeoutMs?: number; signal?: AbortSignal }): Promise<unknown>;
}

/**
 * The registry of connected stations by identity. `add` is told about every new connection
 * (returning the connection it replaces, if any); `remove` only removes the given connection,
 * so a late close of a replaced connection cannot evict its successor.
 */
export interface StationRegistry<S extends StationHandle = StationHandle> extends Iterable<S> {
  /** The station connected under `identity`. */
  get(identity: string): S | undefined;
  /** Whether a station is connected under `identity`. */
  has(identity: string): boolean;
  /** Number of stations connected here. */
  readonly size: number;
  /** Record a new connection; returns the connection it displaced. */
  add(station: S): S | undefined;
  /** Forget `station`, if it is still the one registered under its identity. */
  remove(station: S): boolean;
}

/** The in-process registry (the default). */
export class LocalStationRegistry<S extends StationHandle = StationHandle> implements StationRegistry<S> {
  private readonly map = new Map<string, S>();

  get(identity: string): S | undefined {
    return this.map.get(identity);
  }

  has(identity: string): boolean {
    return this.map.has(identity);
  }

  get size(): number {
    return this.map.size;
  }

  add(station: S): S | undefined {
    const previous = this.map.get(station.identity);
    this.map.set(station.identity, station);
    return previous;
  }

  remove(station: S): boolean {
    if (this.map.get(station.identity) !== station) return false;
    return this.map.delete(station.identity);
  }

  /** The connected stations, in connection order. */
  [Symbol.iterator](): Iterator<S> {
    return this.map.values();
  }
}
