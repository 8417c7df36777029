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

/** Why {@link UpgradeServer} refused an upgrade on its own, and what exactly was wrong. */
export interface OwnRefusal {
  /**
   * `bad-handshake`: the request is not a valid WebSocket handshake (RFC 6455 §4.2.1: method,
   * Upgrade, Sec-WebSocket-Key, -Version, -Protocol or -Extensions); `handshake-timeout`: no
   * verdict within the handshake timeout; `shutting-down`: the server is closing;
   * `internal-error`: `decide` threw or rejected.
   */
  readonly reason: 'bad-handshake' | 'handshake-timeout' | 'shutting-down' | 'internal-error';
  /** For logs: what exactly was wrong (may say more than the response body). */
  readonly detail: string;
}

/** Options of {@link UpgradeServer}. */
export interface UpgradeServerOptions<T> {
  /** Decide on an upgrade request. A throw or rejection becomes HTTP 500 plus `onError`. */
  decide(req: IncomingMessage): UpgradeVerdict<T> | Promise<UpgradeVerdict<T>>;
  /** A socket completed the handshake. */
  onOpen(socket: WebSocket, req: IncomingMessage, verdict: AcceptVerdict<T>): void;
  /**
   * Called after a refusal was written, for events and logs. `own` is set when this server
   * refused on its own (a malformed handshake, the timeout, shutdown, a throwing `decide`)
   * rather than by a verdict of `decide`.
   */
  onRefused?(req: IncomingMessage, verdict: RefuseVerdict, own?: OwnRefusal): void;
  /** Our own failures: a throwing or rejecting `decide` (the request was answered 500). */
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
    // ws checks the handshake again when it completes it; with this listener it leaves the
    // answer to us, so a refusal of its own (one the check below let through: a malformed
    // Sec-WebSocket-Extensions header) is answered and reported like every other.
    this.wss.on('wsClientError', (error: Error, socket: Duplex, req: IncomingMessage) => {
      const status = req.method === 'GET' ? 400 : 405;
      this.refuse(req, socket, { accept: false, status, message: error.message }, { reason: 'bad-handshake', detail: error.message });
    });
  }

  /** Handle one upgrade request (for users who route upgrades themselves). */
  handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    if (this.stopped) {
      writeRefusal(socket, { accept: false, status: 503, message: 'server is shutting down' });
      return;
    }
    // A request ws would refuse is refused before `decide`: no hook runs for it.
    const problem = handshakeProblem(req);
    if (problem !== undefined) {
      this.refuse(
        req,
        socket,
        { accept: false, status: problem.status, message: problem.message, headers: problem.headers },
        { reason: 'bad-handshake', detail: problem.detail },
      );
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
    // The peer went away (ECONNRESET) while we decided: nothing to answer and nothing of ours
    // failed, so no error is raised; a late verdict finds the request settled.
    const onSocketError = (): void => {
      if (finish()) socket.destroy();
    };
    socket.on('error', onSocketError);
    // close() must settle the request too, or the timer or a late verdict answers it a second time.
    this.pending.set(socket, () => {
      if (finish()) this.refuse(req, socket, SHUTTING_DOWN, SHUTTING_DOWN_OWN);
    });
    const timer = setTimeout(() => {
      if (finish())
        this.refuse(
          req,
          socket,
          { accept: false, status: 408, message: 'handshake timed out' },
          { reason: 'handshake-timeout', detail: `no verdict within ${this.options.handshakeTimeoutMs} ms` },
        );
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
      this.refuse(req, socket, SHUTTING_DOWN, SHUTTING_DOWN_OWN);
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
    const failure = error instanceof Error ? error : new Error(String(error));
    this.refuse(req, socket, { accept: false, status: 500, message: 'internal error' }, { reason: 'internal-error', detail: failure.message });
    this.options.onError(failure, req);
  }

  /** Stop accepting; upgrades still being decided are refused with 503. */
  close(): void {
    this.stopped = true;
    for (const shut of [...this.pending.values()]) shut();
    this.wss.close();
  }

  private refuse(req: IncomingMessage, socket: Duplex, verdict: RefuseVerdict, own?: OwnRefusal): void {
    writeRefusal(socket, verdict);
    this.options.onRefused?.(req, verdict, own);
  }
}

const SHUTTING_DOWN: RefuseVerdict = Object.freeze({ accept: false, status: 503, message: 'server is shutting down' });
const SHUTTING_DOWN_OWN: OwnRefusal = Object.freeze({ reason: 'shutting-down', detail: 'server is shutting down' });

/** RFC 6455 §4.1: 16 random bytes, base64. ws checks the same. */
const KEY = /^[+/0-9A-Za-z]{22}==$/;
/** RFC 7230 §3.2.6 tokens separated by commas (RFC 6455 §4.2.1 item 8), as ws parses them. */
const PROTOCOL_LIST = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+(?:[ \t]*,[ \t]*[!#$%&'*+\-.^_`|~0-9A-Za-z]+)*$/;

/** What is wrong with a WebSocket handshake request. */
interface HandshakeProblem {
  readonly status: number;
  /** The response body: ws's words for it. */
  readonly message: string;
  /** For logs: the exact fault. */
  readonly detail: string;
  readonly headers?: Record<string, string>;
}

/**
 * @internal The checks `ws` makes before completing a handshake (and answers 400 or 405 to
 * without telling anyone), made first, so that such a request is refused before the decision
 * and reported. The Sec-WebSocket-Extensions header is left to ws (see the `wsClientError`
 * listener): parsing it twice is not worth it for a header only permessage-deflate reads.
 */
export function handshakeProblem(req: IncomingMessage): HandshakeProblem | undefined {
  if (req.method !== 'GET') return { status: 405, message: 'Invalid HTTP method', detail: `method ${String(req.method)}, not GET` };
  const upgrade = req.headers.upgrade;
  if (upgrade === undefined || upgrade.toLowerCase() !== 'websocket') {
    return { status: 400, message: 'Invalid Upgrade header', detail: `Upgrade: ${String(upgrade)}, not websocket` };
  }
  const key = req.headers['sec-websocket-key'];
  if (key === undefined || !KEY.test(key)) {
    return {
      status: 400,
      message: 'Missing or invalid Sec-WebSocket-Key header',
      detail: key === undefined ? 'no Sec-WebSocket-Key header' : 'Sec-WebSocket-Key is not 16 bytes in base64',
    };
  }
  const version = req.headers['sec-websocket-version'];
  if (version !== '13' && version !== '8') {
    return {
      status: 400,
      message: 'Missing or invalid Sec-WebSocket-Version header',
      detail: version === undefined ? 'no Sec-WebSocket-Version header' : `Sec-WebSocket-Version ${clip(version)}, not 13`,
      headers: { 'Sec-WebSocket-Version': '13, 8' },
    };
  }
  const protocols = req.headers['sec-websocket-protocol'];
  if (protocols !== undefined) {
    const fault = protocolListFault(protocols);
    if (fault !== undefined) {
      return { status: 400, message: 'Invalid Sec-WebSocket-Protocol header', detail: `Sec-WebSocket-Protocol ${JSON.stringify(clip(protocols))}: ${fault}` };
    }
  }
  return undefined;
}

/** What is wrong with a Sec-WebSocket-Protocol value, if anything. */
function protocolListFault(header: string): string | undefined {
  const names = header.split(',').map((p) => p.trim());
  if (!PROTOCOL_LIST.test(header)) {
    return names.some((p) => p.length === 0) ? 'an empty subprotocol name' : 'a subprotocol name that is not a token (names must be separated by commas)';
  }
  const twice = names.find((p, i) => names.indexOf(p) !== i);
  return twice === undefined ? undefined : `subprotocol ${clip(twice)} offered twice`;
}

/** A header value as far as a log line needs it: a hostile one can be 16 KB. */
function clip(value: string): string {
  return value.length <= 64 ? value : `${value.slice(0, 64)}...`;
}

/**
 * How long a refused client has to read its response and close: a well-behaved one does so at
 * once, and one that never reads must not hold the socket (and its memory) open.
 */
const REFUSAL_DRAIN_MS = 1000;

/** @internal Writes a complete HTTP/1.1 response on a raw upgrade socket and closes it. */
export function writeRefusal(socket: Duplex, verdict: RefuseVerdict): void {
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
