import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { STATUS_CODES } from 'node:http';
import { WebSocketServer, type WebSocket, type PerMessageDeflateOptions } from 'ws';
import type { AcceptVerdict, RefuseVerdict, UpgradeVerdict } from './verdict';

/**
 * The Node side of the WebSocket upgrade, with no OCPP knowledge: the caller decides (possibly
 * asynchronously: authentication) whether and how to accept; this module turns the verdict into
 * a proper HTTP refusal or a completed handshake, and keeps the handshake from hanging.
 */

export type { AcceptVerdict, RefuseVerdict, UpgradeVerdict } from './verdict';

/** Options of {@link UpgradeServer}. */
export interface UpgradeServerOptions<T> {
  /** Decide on an upgrade request. A throw or rejection becomes HTTP 500 plus `onError`. */
  decide(req: IncomingMessage): UpgradeVerdict<T> | Promise<UpgradeVerdict<T>>;
  /** A socket completed the handshake. */
  onOpen(socket: WebSocket, req: IncomingMessage, verdict: AcceptVerdict<T>): void;
  /** Called after a refusal was written, for events and logs. */
  onRefused?(req: IncomingMessage, verdict: RefuseVerdict): void;
  /** Unexpected errors (a throwing `decide`, socket errors during the handshake). */
  onError(error: Error, req: IncomingMessage): void;
  /** permessage-deflate settings, or false. */
  perMessageDeflate: false | PerMessageDeflateOptions;
  /** Largest message in bytes; ws closes the socket with 1009 above it. */
  maxPayloadBytes: number;
  /** Time allowed for `decide` plus the handshake before the request is answered 408. */
  handshakeTimeoutMs: number;
}

/**
 * Turns HTTP upgrade requests into WebSockets by the caller's verdict. One instance can serve
 * any number of HTTP servers (`attach`) or a framework's upgrade handler (`handleUpgrade`).
 */
export class UpgradeServer<T> {
  private readonly wss: WebSocketServer;
  /** Upgrades being decided, each with the way to answer it 503 exactly once on close(). */
  private readonly pending = new Map<Duplex, () => void>();
  private stopped = false;

  constructor(private readonly options: UpgradeServerOptions<T>) {
    this.wss = new WebSocketServer({
      noServer: true,
      perMessageDeflate: options.perMessageDeflate,
      maxPayload: options.maxPayloadBytes,
      // Selection happened in `decide`; ws only has to echo it (or nothing).
      handleProtocols: (_offered, req) => (req as IncomingMessage & { ocppProtocol?: string }).ocppProtocol ?? false,
      clientTracking: false,
      // Messages are handed over synchronously (cheapest); the rule of one message per connection
      // per event-loop turn, which keeps a flooding station from holding up the others, is kept
      // by the transport (socket-transport.ts, `oneMessagePerTurn`) at one setImmediate per turn
      // instead of ws's one per message.
      allowSynchronousEvents: true,
    });
  }

  /** Handle one upgrade request (for users who route upgrades themselves). */
  handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    if (this.stopped) {
      writeRefusal(socket, { accept: false, status: 503, message: 'server is shutting down' });
      return;
    }
    let verdict: UpgradeVerdict<T> | Promise<UpgradeVerdict<T>>;
    try {
      verdict = this.options.decide(req);
    } catch (error) {
      this.crashed(req, socket, error);
      return;
    }
    // Decided at once (no authenticate hook): the handshake completes in this same turn, so
    // there is nothing to time out, nothing for close() to settle and no error to wait for.
    if (!(verdict instanceof Promise)) this.settle(req, socket, head, verdict);
    else this.awaitVerdict(req, socket, head, verdict);
  }

  /** Waits for an asynchronous verdict, bounded by the handshake timeout and by close(). */
  private awaitVerdict(req: IncomingMessage, socket: Duplex, head: Buffer, verdict: Promise<UpgradeVerdict<T>>): void {
    let done = false;
    const finish = (): boolean => {
      if (done) return false;
      done = true;
      clearTimeout(timer);
      this.pending.delete(socket);
      socket.off('error', onSocketError);
      return true;
    };
    const onSocketError = (error: Error): void => {
      if (finish()) {
        socket.destroy();
        this.options.onError(error, req);
      }
    };
    socket.on('error', onSocketError);
    // close() must settle the request too, or the timer or a late verdict answers it a second time.
    this.pending.set(socket, () => {
      if (finish()) this.refuse(req, socket, { accept: false, status: 503, message: 'server is shutting down' });
    });
    const timer = setTimeout(() => {
      if (finish()) this.refuse(req, socket, { accept: false, status: 408, message: 'handshake timed out' });
    }, this.options.handshakeTimeoutMs);
    timer.unref?.();
    verdict.then(
      (decided) => {
        if (!finish()) return;
        try {
          this.settle(req, socket, head, decided);
        } catch (error) {
          // A throwing `connection` listener: uncaught, as in the synchronous path, rather than
          // an unhandled rejection of this chain.
          queueMicrotask(() => {
            throw error;
          });
        }
      },
      (error: unknown) => {
        if (finish()) this.crashed(req, socket, error);
      },
    );
  }

  private settle(req: IncomingMessage, socket: Duplex, head: Buffer, verdict: UpgradeVerdict<T>): void {
    if (this.stopped) {
      this.refuse(req, socket, { accept: false, status: 503, message: 'server is shutting down' });
      return;
    }
    if (!verdict.accept) {
      this.refuse(req, socket, verdict);
      return;
    }
    (req as IncomingMessage & { ocppProtocol?: string }).ocppProtocol = verdict.protocol;
    this.wss.handleUpgrade(req, socket, head, (ws) => this.options.onOpen(ws, req, verdict));
  }

  private crashed(req: IncomingMessage, socket: Duplex, error: unknown): void {
    this.refuse(req, socket, { accept: false, status: 500, message: 'internal error' });
    this.options.onError(error instanceof Error ? error : new Error(String(error)), req);
  }

  /** Stop accepting; upgrades still being decided are refused with 503. */
  close(): void {
    this.stopped = true;
    for (const shut of [...this.pending.values()]) shut();
    this.wss.close();
  }

  private refuse(req: IncomingMessage, socket: Duplex, verdict: RefuseVerdict): void {
    writeRefusal(socket, verdict);
    this.options.onRefused?.(req, verdict);
  }
}

/**
 * How long a refused client has to read its response and close: a well-behaved one does so at
 * once, and one that never reads must not hold the socket (and its memory) open.
 */
const REFUSAL_DRAIN_MS = 1000;

/** Writes a complete HTTP/1.1 response on a raw upgrade socket and closes it. */
function writeRefusal(socket: Duplex, verdict: RefuseVerdict): void {
  if (socket.destroyed) return;
  const body = verdict.message ?? STATUS_CODES[verdict.status] ?? '';
  const headers: Record<string, string> = {
    Connection: 'close',
    'Content-Type': 'text/plain; charset=utf-8',
    'Content-Length': String(Buffer.byteLength(body)),
    ...verdict.headers,
  };
  let head = `HTTP/1.1 ${verdict.status} ${STATUS_CODES[verdict.status] ?? 'Error'}\r\n`;
  for (const [name, value] of Object.entries(headers)) head += `${name}: ${value}\r\n`;
  socket.end(`${head}\r\n${body}`);
  // A peer that never reads must not hold the socket open; the timer goes with the socket.
  const timer = setTimeout(() => socket.destroy(), REFUSAL_DRAIN_MS);
  timer.unref();
  socket.once('close', () => clearTimeout(timer));
}
