/**
 * Keepalive: WebSocket pings on one timer for every watched socket, and termination of those
 * that did not answer with a pong in time. One interval and one pong deadline in all, not a
 * timer per connection, so a server with thousands of stations pays for two timers. A client
 * (one socket) uses it the same way with a single entry.
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

/** Set on a socket when it answered the last ping; a symbol, so no wrapper object per socket. */
const ALIVE = Symbol('ocpp-sdk.alive');
type Flagged = PingableSocket & { [ALIVE]?: boolean };

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
  private pingTimer: ReturnType<typeof setInterval> | undefined = undefined;
  private pongTimer: ReturnType<typeof setTimeout> | undefined = undefined;

  constructor(private readonly options: KeepaliveOptions<K>) {}

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

  /** Watches `socket` under `key` (counted as alive until the next ping). */
  watch(key: K, socket: S): void {
    (socket as Flagged)[ALIVE] = true;
    socket.on('pong', onPong);
    this.sockets.set(key, socket);
  }

  /** Stops watching the socket of `key`. */
  unwatch(key: K): void {
    const socket = this.sockets.get(key);
    if (socket === undefined) return;
    this.sockets.delete(key);
    socket.off?.('pong', onPong);
  }

  /** Starts the ping timer (once; a no-op when `intervalMs` is 0 or it already runs). */
  start(): void {
    if (this.pingTimer !== undefined || this.options.intervalMs === 0) return;
    this.pingTimer = setInterval(() => this.pingAll(), this.options.intervalMs);
    this.pingTimer.unref?.();
  }

  /** Stops both timers; watched sockets stay watched (start() resumes). */
  stop(): void {
    clearInterval(this.pingTimer);
    clearTimeout(this.pongTimer);
    this.pingTimer = undefined;
    this.pongTimer = undefined;
  }

  private pingAll(): void {
    if (this.pongTimer !== undefined) {
      // The last deadline is due at the same moment as this ping (pongTimeoutMs = intervalMs, the
      // default) and timers of equal time run in no promised order: settle it first, or the
      // sockets silent since the last ping would be pinged again instead of dropped.
      clearTimeout(this.pongTimer);
      this.dropSilent();
    }
    for (const socket of this.sockets.values()) {
      (socket as Flagged)[ALIVE] = false;
      try {
        socket.ping();
      } catch {
        // The socket is already closing; its close event makes the owner unwatch it.
      }
    }
    this.pongTimer = setTimeout(() => this.dropSilent(), this.options.pongTimeoutMs);
    this.pongTimer.unref?.();
  }

  private dropSilent(): void {
    this.pongTimer = undefined;
    for (const [key, socket] of this.sockets) {
      if ((socket as Flagged)[ALIVE] === true) continue;
      this.options.onTimeout?.(key);
      // terminate() drops the TCP connection; ws then reports close 1006 and pending calls reject.
      socket.terminate();
    }
  }
}
