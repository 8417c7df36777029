import WebSocket from 'isomorphic-ws';
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

/** What {@link openWebSocket} needs. */
export interface OpenSocketOptions {
  url: string;
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

/**
 * Opens a client WebSocket with `ws` in Node or the global WebSocket in browsers, resolving once
 * open and rejecting with a descriptive Error if the handshake fails (HTTP status included when
 * Node's `ws` reports one, e.g. 401 for bad credentials).
 */
export function openWebSocket(options: OpenSocketOptions): Promise<OpenedSocket> {
  return new Promise((resolve, reject) => {
    let socket: WebSocket;
    try {
      if (IS_NODE_WEBSOCKET) {
        socket = new WebSocket(options.url, [...options.protocols], {
          headers: options.headers,
          perMessageDeflate: options.perMessageDeflate ?? true,
          maxPayload: options.maxPayloadBytes,
          handshakeTimeout: options.handshakeTimeoutMs,
          // TLS 1.2 at least, with or without TLS options (OCPP 2.x allows nothing older).
          minVersion: 'TLSv1.2',
          ...options.tls,
        } as WebSocket.ClientOptions);
      } else {
        if (options.headers && Object.keys(options.headers).length > 0) {
          throw new TypeError('a browser WebSocket cannot send HTTP headers: Basic auth needs Node (or credentials handled by the page)');
        }
        socket = new (WebSocket as unknown as new (url: string, protocols: string[]) => WebSocket)(options.url, [...options.protocols]);
      }
    } catch (error) {
      reject(error);
      return;
    }
    let settled = false;
    const timer = IS_NODE_WEBSOCKET
      ? undefined
      : setTimeout(() => fail(new Error(`WebSocket handshake with ${options.url} timed out after ${options.handshakeTimeoutMs} ms`)), options.handshakeTimeoutMs);
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
    const node = socket as unknown as { on?: (event: string, listener: (...args: any[]) => void) => void };
    if (typeof node.on === 'function') {
      node.on('unexpected-response', (_req: unknown, res: { statusCode?: number; statusMessage?: string; resume?: () => void }) => {
        res.resume?.();
        const error = new Error(`server refused the WebSocket upgrade: HTTP ${res.statusCode} ${res.statusMessage ?? ''}`.trim());
        (error as Error & { statusCode?: number }).statusCode = res.statusCode;
        fail(error);
      });
    }
    socket.onerror = (event: { error?: unknown; message?: string }) => {
      const cause = event.error instanceof Error ? event.error : undefined;
      fail(new Error(`WebSocket connection to ${options.url} failed${cause ? `: ${cause.message}` : ''}`, { cause }));
    };
    socket.onclose = (event: { code: number; reason: string }) => {
      fail(new Error(`WebSocket to ${options.url} closed during the handshake (${event.code} ${event.reason})`.trim()));
    };
    socket.onopen = () => {
      if (settled) return;
      settled = true;
      if (timer) clearTimeout(timer);
      // A no-op, not null: Node's ws throws on an 'error' event nobody listens to. The transport
      // reports errors through its own listener.
      socket.onerror = () => {};
      socket.onclose = null as never;
      socket.onopen = null as never;
      const opened = socket as unknown as OpenedSocket['socket'];
      resolve({ socket: opened, protocol: socket.protocol ?? '', transport: socketTransport(opened, options.transport) });
    };
  });
}
