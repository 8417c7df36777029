import WebSocket from 'isomorphic-ws';
import { ConnectionError, HandshakeError, isTlsErrorCode, NetworkError, SubprotocolError, TlsError } from './connection-errors';
import { socketTransport, type MinimalWebSocket, type SocketTransport, type SocketTransportOptions } from './socket-transport';

/**
 * TLS settings for a Node client (security profiles 2 and 3). Browsers take TLS from the page's
 * trust store and cannot present client certificates from script, so these apply in Node only.
 */
export interface ClientTlsOptions {
  /** Trusted CA certificates (PEM), when the server's chain is not in Node's default store. */
  ca?: string | Uint8Array | Array<string | Uint8Array>;
  /** Client certificate (PEM) for security profile 3. */
  cert?: string | Uint8Array;
  /** Private key (PEM) of `cert`. */
  key?: string | Uint8Array;
  /** Passphrase of `key`. */
  passphrase?: string;
  /**
   * Verify the server's certificate chain and host name (checklist item 56). Turning this off
   * defeats security profiles 2 and 3; it exists for test benches with throwaway certificates.
   * @default true
   */
  rejectUnauthorized?: boolean;
  /** Server name for SNI and host-name verification, when it differs from the URL's host. */
  servername?: string;
  /** Lowest TLS version accepted. @default 'TLSv1.2' (OCPP 2.x allows nothing older) */
  minVersion?: 'TLSv1' | 'TLSv1.1' | 'TLSv1.2' | 'TLSv1.3';
}

/** How long a ChargePoint's close() waits for the server's half of the closing handshake before dropping the socket. */
export const CLIENT_CLOSE_GRACE_MS = 2000;

/**
 * The options a ChargePoint hands a {@link WebSocketFactory}: exactly what it gives Node's `ws`
 * (its `ClientOptions`), the Basic-auth `Authorization` header and the TLS settings included.
 */
export interface WebSocketFactoryOptions extends ClientTlsOptions {
  /** The upgrade request's headers (Authorization included when a password is set). */
  headers?: Record<string, string>;
  /** Whether to offer permessage-deflate. */
  perMessageDeflate: boolean;
  /** Largest inbound message in bytes. */
  maxPayload?: number;
  /** Give up on the opening handshake after this many ms. */
  handshakeTimeout: number;
  /** Local address to connect from. */
  localAddress?: string;
}

/**
 * The socket a {@link WebSocketFactory} returns: Node's `ws` WebSocket, or anything with the
 * WHATWG WebSocket's properties (the browser's, undici's). The ChargePoint sets the three
 * handlers while the handshake runs, then listens with `on` (ws) or `addEventListener`.
 */
export interface ClientWebSocket {
  /** The WebSocket ready state (0 connecting, 1 open, 2 closing, 3 closed). */
  readonly readyState: number;
  /** Bytes queued but not yet sent. */
  readonly bufferedAmount: number;
  /** Sends one text message. */
  send(data: string): void;
  /** Starts the closing handshake. */
  close(code?: number, reason?: string): void;
  /** The subprotocol the server selected ('' before the handshake ends). */
  readonly protocol: string;
  /** Set by the ChargePoint for the handshake (`never`: any event type of the implementation fits). */
  onopen: ((event: never) => void) | null;
  /** Set by the ChargePoint for the handshake. */
  onerror: ((event: never) => void) | null;
  /** Set by the ChargePoint for the handshake. */
  onclose: ((event: never) => void) | null;
}

/**
 * Makes the WebSocket a ChargePoint connects with (the `webSocket` option), instead of `new
 * WebSocket(url, protocols, options)` of `ws` (Node) or the global one (browsers): to wrap or
 * observe the socket (a test harness, a traffic recorder), to pass `ws` options the SDK does not
 * name (an `agent` for a proxy), or to supply a WebSocket where no global one exists. Called once
 * per connection attempt, reconnects included; what it throws fails that attempt.
 */
export type WebSocketFactory = (url: string, protocols: string[], options: WebSocketFactoryOptions) => ClientWebSocket;

/** What {@link openWebSocket} needs. */
export interface OpenSocketOptions {
  url: string;
  /** Makes the socket instead of the default constructor. */
  factory?: WebSocketFactory;
  protocols: readonly string[];
  /** Extra request headers (Node only; browsers cannot set them). */
  headers?: Record<string, string>;
  tls?: ClientTlsOptions;
  /** Offer permessage-deflate (Node only; browsers decide themselves). @default true */
  perMessageDeflate?: boolean;
  /** Largest inbound message in bytes (Node only); bigger ones close the socket with 1009. */
  maxPayloadBytes?: number;
  /** Give up on the opening handshake after this long. */
  handshakeTimeoutMs: number;
  /** Local address to connect from (Node only), e.g. one of several on a multi-homed host. */
  localAddress?: string;
  /** Settings of the transport wrapped around the socket once it is open. */
  transport?: SocketTransportOptions;
}

/** An open socket and what the handshake settled. */
export interface OpenedSocket {
  socket: MinimalWebSocket & { ping?(): void; terminate?(): void; on?(event: 'pong', listener: () => void): unknown };
  /** The subprotocol the server selected, '' when it selected none. */
  protocol: string;
  /**
   * The core transport over `socket`, created the moment the socket opened so that no frame the
   * server sends straight away can arrive before anyone listens (it is held until a sink is set).
   */
  transport: SocketTransport;
}

/** True where the WebSocket implementation is Node's `ws` (it accepts an options object). */
export const IS_NODE_WEBSOCKET: boolean = typeof (WebSocket as unknown as { Server?: unknown }).Server === 'function';

/** How long the body of a refused upgrade may take to arrive before the refusal is reported without it. */
const REFUSAL_BODY_WAIT_MS = 2000;

/** Most bytes of a refused upgrade's body read (the reason is cut shorter still). */
const REFUSAL_BODY_MAX_BYTES = 4096;

/** The failure `ws` reports for `error`, classified; `selected` is the subprotocol the server's 101 named. */
function connectionError(options: OpenSocketOptions, error: unknown, selected: string | undefined): ConnectionError {
  const base = { url: options.url, protocols: options.protocols };
  if (!(error instanceof Error)) return new NetworkError({ ...base, message: `WebSocket connection to ${options.url} failed` });
  const raw = (error as { code?: unknown }).code;
  const code = typeof raw === 'string' ? raw : undefined;
  // ws's own wording (websocket.js): "Server sent no subprotocol", "... an invalid subprotocol", ...
  if (/subprotocol/i.test(error.message) && code === undefined) {
    return new SubprotocolError({ ...base, selectedProtocol: selected ?? '', cause: error });
  }
  if (code !== undefined && isTlsErrorCode(code)) {
    return new TlsError({ ...base, code, cause: error, message: `TLS with ${options.url} failed: ${error.message} (${code})` });
  }
  if (code === undefined && /handshake has timed out/i.test(error.message)) {
    return new NetworkError({
      ...base,
      code: 'ETIMEDOUT',
      cause: error,
      message: `WebSocket handshake with ${options.url} timed out after ${options.handshakeTimeoutMs} ms`,
    });
  }
  return new NetworkError({ ...base, code, cause: error, message: `cannot reach ${options.url}: ${error.message}${code === undefined ? '' : ` (${code})`}` });
}

/** The parts of Node's IncomingMessage a refused upgrade is read from. */
interface RefusalResponse {
  statusCode?: number;
  statusMessage?: string;
  headers?: Record<string, string | string[] | undefined>;
  on?(event: string, listener: (...args: never[]) => void): unknown;
  resume?(): void;
}

/**
 * Reads a refused upgrade's status, headers and body (bounded in bytes and time) into a
 * HandshakeError. The body is decoded with TextDecoder, so no Node type is needed here.
 */
function readRefusal(options: OpenSocketOptions, res: RefusalResponse, done: (error: HandshakeError) => void): void {
  const chunks: Uint8Array[] = [];
  let bytes = 0;
  let finished = false;
  const finish = (): void => {
    if (finished) return;
    finished = true;
    clearTimeout(timer);
    const all = new Uint8Array(bytes);
    let at = 0;
    for (const c of chunks) {
      all.set(c.subarray(0, bytes - at), at);
      at += Math.min(c.length, bytes - at);
    }
    const selected = res.headers?.['sec-websocket-protocol'];
    done(
      new HandshakeError({
        url: options.url,
        protocols: options.protocols,
        statusCode: res.statusCode ?? 0,
        statusText: res.statusMessage,
        reason: new TextDecoder().decode(all).trim(),
        selectedProtocol: typeof selected === 'string' ? selected : undefined,
      }),
    );
  };
  const timer = setTimeout(finish, REFUSAL_BODY_WAIT_MS);
  if (typeof res.on !== 'function') {
    finish();
    return;
  }
  res.on('data', (chunk: Uint8Array | string) => {
    const data = typeof chunk === 'string' ? new TextEncoder().encode(chunk) : chunk;
    if (bytes < REFUSAL_BODY_MAX_BYTES) {
      chunks.push(data);
      bytes = Math.min(REFUSAL_BODY_MAX_BYTES, bytes + data.length);
    }
    if (bytes >= REFUSAL_BODY_MAX_BYTES) finish();
  });
  res.on('end', finish);
  res.on('close', finish);
  res.on('error', finish);
}

/**
 * Opens a client WebSocket with `ws` in Node or the global WebSocket in browsers, resolving once
 * open. Rejects with a {@link ConnectionError}: {@link HandshakeError} when the server answers the
 * upgrade with an HTTP status (with its body as `reason`; Node only), {@link SubprotocolError}
 * when it selects a subprotocol not offered or none, {@link TlsError} for certificate and TLS
 * failures, {@link NetworkError} for the rest (in a browser, for everything: it hides the cause).
 */
export function openWebSocket(options: OpenSocketOptions): Promise<OpenedSocket> {
  return new Promise((resolve, reject) => {
    let socket: WebSocket;
    try {
      const nodeOptions: WebSocketFactoryOptions = {
        headers: options.headers,
        perMessageDeflate: options.perMessageDeflate ?? true,
        maxPayload: options.maxPayloadBytes,
        handshakeTimeout: options.handshakeTimeoutMs,
        localAddress: options.localAddress,
        // TLS 1.2 at least, with or without TLS options (OCPP 2.x allows nothing older).
        minVersion: 'TLSv1.2',
        ...options.tls,
      };
      if (options.factory !== undefined) {
        const made: unknown = options.factory(options.url, [...options.protocols], nodeOptions);
        if (typeof made !== 'object' || made === null || typeof (made as { send?: unknown }).send !== 'function')
          throw new TypeError('webSocket: the factory must return a WebSocket');
        socket = made as WebSocket;
      } else if (IS_NODE_WEBSOCKET) {
        socket = new WebSocket(options.url, [...options.protocols], nodeOptions);
      } else {
        if (options.headers && Object.keys(options.headers).length > 0) {
          throw new TypeError('a browser WebSocket cannot send HTTP headers: Basic auth needs Node (or credentials handled by the page)');
        }
        if (options.localAddress !== undefined) throw new TypeError('a browser WebSocket cannot choose its local address: localAddress needs Node');
        socket = new (WebSocket as unknown as new (url: string, protocols: string[]) => WebSocket)(options.url, [...options.protocols]);
      }
    } catch (error) {
      // ws throws a SyntaxError for a URL it cannot use; anything else is passed on as an Error.
      reject(error instanceof Error ? error : new Error(String(error)));
      return;
    }
    let settled = false;
    let selected: string | undefined;
    const timer = IS_NODE_WEBSOCKET
      ? undefined
      : setTimeout(
          () =>
            fail(
              new NetworkError({
                url: options.url,
                protocols: options.protocols,
                code: 'ETIMEDOUT',
                message: `WebSocket handshake with ${options.url} timed out after ${options.handshakeTimeoutMs} ms`,
              }),
            ),
          options.handshakeTimeoutMs,
        );
    const fail = (error: Error): void => {
      if (settled) return;
      settled = true;
      if (timer) clearTimeout(timer);
      try {
        socket.close();
      } catch {
        // already closing
      }
      reject(error);
    };
    const node = socket as unknown as { on?: (event: string, listener: (...args: never[]) => void) => void };
    let refusing = false;
    if (typeof node.on === 'function') {
      node.on('upgrade', (res: RefusalResponse) => {
        const header = res.headers?.['sec-websocket-protocol'];
        selected = typeof header === 'string' ? header : '';
      });
      node.on('unexpected-response', (_req: unknown, res: RefusalResponse) => {
        // ws leaves the request open for us while we read the body; fail() aborts it after.
        refusing = true;
        readRefusal(options, res, fail);
      });
    }
    socket.onerror = (event: { error?: unknown; message?: string }) => {
      // A refusal being read ends the handshake with an abort error of its own: not the cause.
      if (refusing) return;
      fail(connectionError(options, event.error, selected));
    };
    socket.onclose = (event: { code: number; reason: string }) => {
      if (refusing) return;
      fail(
        new NetworkError({
          url: options.url,
          protocols: options.protocols,
          message: `WebSocket to ${options.url} closed during the handshake (${event.code}${event.reason === '' ? '' : ` ${event.reason}`})`,
        }),
      );
    };
    socket.onopen = () => {
      if (settled) return;
      settled = true;
      if (timer) clearTimeout(timer);
      // A no-op, not null: Node's ws throws on an 'error' event nobody listens to. The transport
      // reports errors through its own listener.
      socket.onerror = () => {};
      socket.onclose = null;
      socket.onopen = null;
      const opened = socket as unknown as OpenedSocket['socket'];
      resolve({ socket: opened, protocol: socket.protocol ?? '', transport: socketTransport(opened, options.transport) });
    };
  });
}
