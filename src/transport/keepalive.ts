/**
 * Keepalive: WebSocket pings for every watched socket, and termination of those that did not
 * answer with a pong in time, on one interval timer, not a timer per connection. The sockets are
 * spread over slices of about a second ({@link KEEPALIVE_SLICE_MS}), each pinged in its own turn
 * of the interval: 18,000 pings at once held the event loop for a few hundred milliseconds every
 * interval (a station's CALL waited up to 584 ms; bench/RESULTS.md, "Fleet"), a slice of them
 * takes a few. A client (one socket) uses it the same way with a single entry.
 *
 * A transport concern, shared by both sides: Node-only in practice (browser WebSockets cannot
 * ping), but it imports nothing from Node, so the browser-safe ChargePoint may import it; it
 * needs only the small {@link PingableSocket} shape, which `ws` sockets have.
 */

/** The part of a socket keepalive uses (a `ws` WebSocket has it). */
export interface PingableSocket {
  /** Sends a ping frame; may throw when the socket is already closing. */
  ping(): void;
  /** Drops the connection without a closing handshake. */
  terminate(): void;
  /** Subscribes to pongs; the listener is called with the socket as `this`. */
  on(event: 'pong', listener: (this: PingableSocket) => void): unknown;
  /** Unsubscribes. */
  off?(event: 'pong', listener: (this: PingableSocket) => void): unknown;
}

/** Options of {@link Keepalive}. */
/** Whether `socket` can be pinged and watched: Node's `ws` can; a browser's WebSocket cannot ping from script. */
export function isPingable<S extends object>(socket: S): socket is S & PingableSocket {
  const s = socket as Partial<PingableSocket>;
  return typeof s.ping === 'function' && typeof s.terminate === 'function' && typeof s.on === 'function';
}

export interface KeepaliveOptions<K> {
  /** Interval of the pings; 0 turns keepalive off (nothing is ever scheduled). */
  readonly intervalMs: number;
  /** How long after a ping a pong may come; at most `intervalMs`. */
  readonly pongTimeoutMs: number;
  /** Told about each connection about to be terminated for not answering (for logs). */
  readonly onTimeout?: (key: K) => void;
}

/**
 * The time between two slices' pings: the interval is cut into `floor(intervalMs / 1000)` slices
 * (one below 2 s, so a short interval pings everything at once, as before), at most
 * {@link MAX_SLICES}.
 */
export const KEEPALIVE_SLICE_MS = 1000;
/** At most this many slices: a very long interval need not be cut finer than this. */
const MAX_SLICES = 600;

/** Set on a socket when it answered the last ping; a symbol, so no wrapper object per socket. */
const ALIVE = Symbol('ocpp-sdk.alive');
/** The slice a socket belongs to, on the socket for the same reason. */
const SLICE = Symbol('ocpp-sdk.slice');
type Flagged = PingableSocket & { [ALIVE]?: boolean; [SLICE]?: number };

/** The pong listener of every socket (an EventEmitter calls it with the socket as `this`). */
function onPong(this: PingableSocket): void {
  (this as Flagged)[ALIVE] = true;
}

/**
 * Pings the sockets it watches every `intervalMs` and terminates, `pongTimeoutMs` later, each
 * that did not answer. `K` is what the owner knows a connection by (a server: the station).
 * Timers are unref'd: keepalive alone never keeps a process running.
 *
 * @example
 * ```ts
 * const keepalive = new Keepalive<string>({ intervalMs: 30_000, pongTimeoutMs: 30_000 });
 * keepalive.watch('CP001', ws);
 * keepalive.start();
 * // ... on close: keepalive.unwatch('CP001'); at shutdown: keepalive.stop();
 * ```
 * @internal
 */
export class Keepalive<K, S extends PingableSocket = PingableSocket> {
  /** The watched sockets by key; the owner may use it as its list of live connections. */
  private readonly sockets = new Map<K, S>();
  /** The keys of each slice; a slice is pinged once per interval, one slice per tick. */
  private readonly slices: K[][];
  /** Each slice's pending pong deadline. */
  private readonly deadlines: Array<ReturnType<typeof setTimeout> | undefined>;
  private pingTimer: ReturnType<typeof setInterval> | undefined = undefined;
  /** The slice the next tick pings. */
  private turn = 0;
  /** The slice the next watched socket joins (round robin, so slices stay even). */
  private nextSlice = 0;

  constructor(private readonly options: KeepaliveOptions<K>) {
    const count = Math.min(MAX_SLICES, Math.max(1, Math.floor(options.intervalMs / KEEPALIVE_SLICE_MS)));
    this.slices = Array.from({ length: count }, () => []);
    this.deadlines = new Array<undefined>(count).fill(undefined);
  }

  /** Number of sockets watched. */
  get size(): number {
    return this.sockets.size;
  }

  /** Whether the ping timer runs. */
  get running(): boolean {
    return this.pingTimer !== undefined;
  }

  /** The socket watched under `key`. */
  socketOf(key: K): S | undefined {
    return this.sockets.get(key);
  }

  /** The keys watched, in the order they were added. */
  keys(): IterableIterator<K> {
    return this.sockets.keys();
  }

  /** Watches `socket` under `key` (counted as alive until its slice's next ping). */
  watch(key: K, socket: S): void {
    if (this.sockets.has(key)) this.unwatch(key);
    const slice = this.nextSlice;
    this.nextSlice = (slice + 1) % this.slices.length;
    (socket as Flagged)[ALIVE] = true;
    (socket as Flagged)[SLICE] = slice;
    socket.on('pong', onPong);
    this.sockets.set(key, socket);
    this.slices[slice].push(key);
  }

  /** Stops watching the socket of `key`. */
  unwatch(key: K): void {
    const socket = this.sockets.get(key);
    if (socket === undefined) return;
    this.sockets.delete(key);
    socket.off?.('pong', onPong);
    // Order within a slice does not matter: swap with the last and pop (a slice holds about
    // 1/30 of the sockets at the default interval, so the search is short).
    const keys = this.slices[(socket as Flagged)[SLICE] ?? 0];
    const i = keys.indexOf(key);
    if (i !== -1) {
      keys[i] = keys[keys.length - 1];
      keys.pop();
    }
  }

  /** Starts the ping timer (once; a no-op when `intervalMs` is 0 or it already runs). */
  start(): void {
    if (this.pingTimer !== undefined || this.options.intervalMs === 0) return;
    this.pingTimer = setInterval(() => this.pingSlice(), this.options.intervalMs / this.slices.length);
    this.pingTimer.unref?.();
  }

  /** Stops every timer; watched sockets stay watched (start() resumes). */
  stop(): void {
    clearInterval(this.pingTimer);
    this.pingTimer = undefined;
    for (const [slice, timer] of this.deadlines.entries()) {
      clearTimeout(timer);
      this.deadlines[slice] = undefined;
    }
  }

  private pingSlice(): void {
    const slice = this.turn;
    this.turn = (slice + 1) % this.slices.length;
    if (this.deadlines[slice] !== undefined) {
      // The slice's last deadline is due at the same moment as this ping (pongTimeoutMs =
      // intervalMs, the default) and timers of equal time run in no promised order: settle it
      // first, or the sockets silent since the last ping would be pinged again instead of dropped.
      clearTimeout(this.deadlines[slice]);
      this.dropSilent(slice);
    }
    for (const key of this.slices[slice]) {
      const socket = this.sockets.get(key) as Flagged;
      socket[ALIVE] = false;
      try {
        socket.ping();
      } catch {
        // The socket is already closing; its close event makes the owner unwatch it.
      }
    }
    const deadline = setTimeout(() => this.dropSilent(slice), this.options.pongTimeoutMs);
    deadline.unref?.();
    this.deadlines[slice] = deadline;
  }

  private dropSilent(slice: number): void {
    this.deadlines[slice] = undefined;
    // A copy: terminate() may make the owner unwatch at once, which edits the slice.
    for (const key of [...this.slices[slice]]) {
      const socket = this.sockets.get(key);
      if (socket === undefined || (socket as Flagged)[ALIVE] === true) continue;
      this.options.onTimeout?.(key);
      // terminate() drops the TCP connection; ws then reports close 1006 and pending calls reject.
      socket.terminate();
    }
  }
}
