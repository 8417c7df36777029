/**
 * The server {@link CentralSystem.listen} makes for itself, and {@link ListenError}, the typed
 * failure of `listen()`.
 */
import { createServer as createHttpServer, type Server as HttpServer } from 'node:http';
import { createServer as createHttpsServer, type ServerOptions as HttpsServerOptions } from 'node:https';
import type { AddressInfo } from 'node:net';

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

/** @internal Where to bind and how to serve. */
export interface OwnServerOptions {
  readonly tls: HttpsServerOptions | undefined;
  readonly handshakeTimeoutMs: number;
}

/** How often Node checks `headersTimeout`/`requestTimeout` at most: its default is every 30 s. */
const CONNECTIONS_CHECK_INTERVAL_MS = 1000;

/**
 * @internal An HTTP(S) server for OCPP alone: plain requests get 426, and `handshakeTimeoutMs`
 * also bounds receiving the HTTP request before the upgrade (Node's own default, 60 s checked
 * every 30 s, lets idle or slow-header sockets pile up: slowloris).
 */
export function createOwnServer(options: OwnServerOptions): HttpServer {
  const timeouts = {
    headersTimeout: options.handshakeTimeoutMs,
    requestTimeout: options.handshakeTimeoutMs,
    connectionsCheckingInterval: Math.min(CONNECTIONS_CHECK_INTERVAL_MS, options.handshakeTimeoutMs),
  };
  const server = options.tls ? createHttpsServer({ minVersion: 'TLSv1.2', ...timeouts, ...options.tls }) : createHttpServer(timeouts);
  server.on('request', (_req, res) => {
    res.writeHead(426, { 'Content-Type': 'text/plain', Upgrade: 'websocket', Connection: 'close' });
    res.end('OCPP-J requires a WebSocket upgrade');
  });
  return server;
}

/**
 * @internal Binds `server`; rejects with a {@link ListenError}. Errors after binding go to
 * `onError`.
 */
export function bind(server: HttpServer, port: number, host: string | undefined, onError: (error: Error) => void): Promise<AddressInfo> {
  return new Promise((resolve, reject) => {
    const failed = (error: Error): void => reject(new ListenError({ reason: listenFailure(error), port, host, cause: error }));
    server.once('error', failed);
    server.listen(port, host, () => {
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
}
