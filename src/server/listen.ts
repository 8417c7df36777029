/**
 * The server {@link CentralSystem.listen} makes for itself, and {@link ListenError}, the typed
 * failure of `listen()`.
 */
import { createServer as createHttpServer, type Server as HttpServer } from 'node:http';
import { createServer as createHttpsServer, type ServerOptions as HttpsServerOptions } from 'node:https';
import type { AddressInfo, Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import { writeRefusal } from '../transport/server';

/** Why {@link CentralSystem.listen} failed. */
export type ListenFailure =
  /** This CentralSystem already listens (once per instance; use `attach` for more servers). */
  | 'already-listening'
  /** This CentralSystem was closed. */
  | 'closed'
  /** The port is taken on that address (EADDRINUSE). */
  | 'address-in-use'
  /** The host is not an address of this machine (EADDRNOTAVAIL). */
  | 'address-not-available'
  /** The host name does not resolve (ENOTFOUND, EAI_AGAIN). */
  | 'host-not-found'
  /** The process may not bind that port (EACCES: a port below 1024 without the right). */
  | 'access-denied'
  /** Any other failure of the socket; see `cause`. */
  | 'failed';

/** What {@link ListenError} is built from. */
export interface ListenErrorInit {
  /** Why it failed. */
  reason: ListenFailure;
  /** The port asked for. */
  port: number;
  /** The host asked for, when one was given. */
  host?: string;
  /** The underlying error (the socket's, for the system failures). */
  cause?: unknown;
}

/**
 * {@link CentralSystem.listen} failed.
 *
 * @example
 * ```ts
 * // ListenError: cannot listen on 127.0.0.1:9220: address-in-use (EADDRINUSE)
 * try { await cs.listen({ port: 9220 }); }
 * catch (err) { if (err instanceof ListenError && err.reason === 'address-in-use') usePort(9221); }
 * ```
 */
export class ListenError extends Error {
  /** Why it failed. */
  readonly reason: ListenFailure;
  /** The port asked for. */
  readonly port: number;
  /** The host asked for, when one was given. */
  declare readonly host?: string;

  constructor(init: ListenErrorInit) {
    const where = `${init.host ?? '*'}:${init.port}`;
    const code = (init.cause as { code?: unknown } | undefined)?.code;
    super(`cannot listen on ${where}: ${init.reason}${typeof code === 'string' ? ` (${code})` : ''}`, 'cause' in init ? { cause: init.cause } : undefined);
    this.reason = init.reason;
    this.port = init.port;
    if (init.host !== undefined) this.host = init.host;
  }
}
ListenError.prototype.name = 'ListenError';

/** @internal The {@link ListenFailure} of a socket error from `server.listen`. */
export function listenFailure(error: unknown): ListenFailure {
  switch ((error as { code?: unknown } | undefined)?.code) {
    case 'EADDRINUSE':
      return 'address-in-use';
    case 'EADDRNOTAVAIL':
      return 'address-not-available';
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
    case 'EAI_NONAME':
      return 'host-not-found';
    case 'EACCES':
    case 'EPERM':
      return 'access-denied';
    default:
      return 'failed';
  }
}

/**
 * @internal A connection the own server refused before an upgrade request reached the decision:
 * always the peer's doing (a TLS handshake that failed or took too long, a request that did not
 * arrive in time or could not be parsed), so it is a refusal, never an `error` of the server.
 */
export interface EarlyRefusal {
  readonly reason: 'handshake-timeout' | 'tls-failed' | 'bad-handshake';
  /** The HTTP status written, or 0 when none could be: the TLS handshake did not complete. */
  readonly status: number;
  /** For logs: what exactly happened. */
  readonly detail: string;
  readonly remoteAddress: string | undefined;
}

/** @internal Where to bind and how to serve. */
export interface OwnServerOptions {
  readonly tls: HttpsServerOptions | undefined;
  readonly handshakeTimeoutMs: number;
  /** Told of every connection refused before its upgrade request was complete. */
  readonly onRefused: (refusal: EarlyRefusal) => void;
}

/** How often Node checks `headersTimeout`/`requestTimeout` at most: its default is every 30 s. */
const CONNECTIONS_CHECK_INTERVAL_MS = 1000;

/**
 * @internal An HTTP(S) server for OCPP alone: plain requests get 426, and `handshakeTimeoutMs`
 * bounds the TLS handshake (Node's default: 120 s) and receiving the HTTP request before the
 * upgrade (Node's default, 60 s checked every 30 s), so idle, slow-header or stalled-handshake
 * sockets cannot pile up (slowloris). What goes wrong before the upgrade request is complete is
 * the peer's fault and reported through `onRefused`, not as an error.
 */
export function createOwnServer(options: OwnServerOptions): HttpServer {
  const ms = options.handshakeTimeoutMs;
  const timeouts = {
    headersTimeout: ms,
    requestTimeout: ms,
    connectionsCheckingInterval: Math.min(CONNECTIONS_CHECK_INTERVAL_MS, ms),
  };
  // `handshakeTimeout` bounds the whole TLS handshake (a timer, not an idle timeout: a client
  // dripping its ClientHello byte by byte is cut too). An explicit tls.handshakeTimeout wins.
  const server = options.tls ? createHttpsServer({ minVersion: 'TLSv1.2', handshakeTimeout: ms, ...timeouts, ...options.tls }) : createHttpServer(timeouts);
  server.on('request', (_req, res) => {
    res.writeHead(426, { 'Content-Type': 'text/plain', Upgrade: 'websocket', Connection: 'close' });
    res.end('OCPP-J requires a WebSocket upgrade');
  });
  server.on('clientError', (error: Error, socket: Duplex) => {
    const refusal = clientErrorRefusal(error, socket, ms);
    if (refusal !== undefined) options.onRefused(refusal);
  });
  if (options.tls) {
    server.on('tlsClientError', (error: Error, socket: Socket) => options.onRefused(tlsRefusal(error, socket, ms)));
  }
  return server;
}

/** The code of a Node or OpenSSL error, if it has one. */
function codeOf(error: Error): string | undefined {
  const code = (error as { code?: unknown }).code;
  return typeof code === 'string' ? code : undefined;
}

/**
 * Answers what Node's HTTP server would answer to a request that timed out (408) or could not be
 * parsed (400, 431 for oversized headers): with a `clientError` listener, Node leaves that to it.
 * A peer that went away mid-request (ECONNRESET) is not answered and not reported: it refused
 * nothing, it left.
 */
function clientErrorRefusal(error: Error, socket: Duplex, ms: number): EarlyRefusal | undefined {
  const code = codeOf(error);
  const remoteAddress = (socket as Partial<Socket>).remoteAddress;
  let refusal: EarlyRefusal | undefined;
  if (code === 'ERR_HTTP_REQUEST_TIMEOUT') {
    refusal = { reason: 'handshake-timeout', status: 408, detail: `no complete upgrade request within ${ms} ms`, remoteAddress };
  } else if (code?.startsWith('HPE_') === true) {
    const status = code === 'HPE_HEADER_OVERFLOW' ? 431 : 400;
    refusal = { reason: 'bad-handshake', status, detail: `unparsable HTTP request (${code})`, remoteAddress };
  }
  // As Node does: a response only where nothing was written yet (else it would corrupt one).
  if (refusal !== undefined && socket.writable && (socket as Partial<Socket>).bytesWritten === 0) {
    writeRefusal(socket, { accept: false, status: refusal.status });
  } else {
    socket.destroy();
  }
  return refusal;
}

/** A TLS handshake that failed, was aborted, or took longer than `ms` (Node destroys the socket). */
function tlsRefusal(error: Error, socket: Socket, ms: number): EarlyRefusal {
  const code = codeOf(error);
  const remoteAddress = socket.remoteAddress;
  if (code === 'ERR_TLS_HANDSHAKE_TIMEOUT')
    return { reason: 'handshake-timeout', status: 0, detail: `TLS handshake not complete within ${ms} ms`, remoteAddress };
  // OpenSSL's errors carry a short `reason` ('unsupported protocol', 'http request').
  const why = (error as { reason?: unknown }).reason;
  return {
    reason: 'tls-failed',
    status: 0,
    detail: `TLS handshake failed (${code ?? 'no code'}): ${typeof why === 'string' ? why : error.message}`,
    remoteAddress,
  };
}

/**
 * @internal Binds `server`; rejects with a {@link ListenError}. Errors after binding go to
 * `onError`.
 */
export function bind(
  server: HttpServer,
  where: { readonly port: number; readonly host: string | undefined; readonly backlog: number },
  onError: (error: Error) => void,
): Promise<AddressInfo> {
  const { port, host, backlog } = where;
  return new Promise((resolve, reject) => {
    const failed = (error: Error): void => reject(new ListenError({ reason: listenFailure(error), port, host, cause: error }));
    server.once('error', failed);
    server.listen({ port, host, backlog }, () => {
      server.off('error', failed);
      server.on('error', onError);
      resolve(server.address() as AddressInfo);
    });
  });
}

/** Where {@link CentralSystem.listen} binds. */
export interface ListenOptions {
  /** TCP port; 0 picks a free one (read it from the result or `cs.port`). */
  port: number;
  /** @default '0.0.0.0' (Node's default: all interfaces) */
  host?: string;
  /** Serve TLS with these options (security profiles 2 and 3); `minVersion` defaults to TLSv1.2. */
  tls?: HttpsServerOptions;
  /**
   * How many connections the kernel may hold that the process has not accepted yet (the
   * `listen(2)` backlog; Linux caps it at `net.core.somaxconn`). When a fleet reconnects at once
   * after a restart, the kernel drops the connections beyond it and those chargers retry after a
   * TCP retransmit (about a second), which spreads the storm; a larger backlog takes more of them
   * into each turn of the event loop instead.
   * @default {@link DEFAULT_LISTEN_BACKLOG}
   */
  backlog?: number;
}

/**
 * The default {@link ListenOptions.backlog}: Node's own, 511. Measured with 18,000 stations
 * reconnecting at once (bench/RESULTS.md, "Fleet"): 4096 left no connection to the kernel's
 * drops but made the event loop's p99 delay and the time until all were back no better, so the
 * default stays.
 */
export const DEFAULT_LISTEN_BACKLOG = 511;
