/**
 * Why a client connection could not be opened, as one class per kind of failure, each carrying
 * the facts a user needs to act on it: what the server answered, which subprotocols were
 * offered and selected, which network or TLS error code. Browser-safe: plain classes, no Node
 * types.
 *
 * What can be known differs by runtime. Node's `ws` reports the HTTP status and body of a refused
 * upgrade, the socket error code and the TLS error. A browser's WebSocket reports none of it (an
 * `error` event with no detail, by design of the WebSocket API), so in a browser a failed
 * connection is a {@link NetworkError} without `code`, whatever the cause.
 */

/** What every {@link ConnectionError} is built from. */
export interface ConnectionErrorInit {
  /** The URL connected to. */
  url: string;
  /** The subprotocols offered. */
  protocols: readonly string[];
  /** What went wrong, in words; the class's own message is used when absent. */
  message?: string;
  /** The underlying error (the socket's, or the TLS layer's), if any. */
  cause?: unknown;
}

/**
 * A connection could not be opened. The base of {@link HandshakeError}, {@link SubprotocolError},
 * {@link NetworkError} and {@link TlsError}; `ChargePoint.connect()` rejects with one of them and
 * `reconnecting` events carry them.
 *
 * @example
 * ```ts
 * try { await cp.connect(); } catch (err) {
 *   if (err instanceof HandshakeError && err.statusCode === 401) askForNewPassword(err.reason);
 *   else if (err instanceof ConnectionError) console.warn(err.message);
 * }
 * ```
 */
export class ConnectionError extends Error {
  /** The URL connected to. */
  readonly url: string;
  /** The subprotocols offered. */
  readonly protocols: readonly string[];

  constructor(init: ConnectionErrorInit) {
    super(init.message ?? `connection to ${init.url} failed`, init.cause !== undefined ? { cause: init.cause } : undefined);
    this.url = init.url;
    this.protocols = init.protocols;
  }
}
ConnectionError.prototype.name = 'ConnectionError';

/** Most characters of a server's refusal body kept in {@link HandshakeError.reason}. */
export const MAX_REFUSAL_REASON_LENGTH = 1024;

/** What {@link HandshakeError} is built from. */
export interface HandshakeErrorInit extends Omit<ConnectionErrorInit, 'message'> {
  /** The HTTP status the server answered instead of 101. */
  statusCode: number;
  /** The HTTP status text, e.g. `Unauthorized`. */
  statusText?: string;
  /** The response body: the server's reason (cut to 1024 characters). */
  reason?: string;
  /** The subprotocol the refusal named in `Sec-WebSocket-Protocol`, if any. */
  selectedProtocol?: string;
}

/**
 * The server answered the WebSocket upgrade with an HTTP status instead of 101: 401 bad or
 * missing credentials, 403 security profile not met, 404 wrong path, 409 identity already
 * connected, and so on. `reason` is the body of the response, where ocpp-sdk's CentralSystem
 * (and many others) say why, e.g. `security profile 1 requires Basic authentication`.
 *
 * Node only: a browser's WebSocket does not expose the status or body of a refused upgrade, so
 * there the same refusal is a {@link NetworkError}.
 *
 * @example
 * ```ts
 * // HandshakeError: ws://127.0.0.1:9220/ocpp/CP001 refused the upgrade: HTTP 401 Unauthorized: security profile 1 requires Basic authentication
 * ```
 */
export class HandshakeError extends ConnectionError {
  /** The HTTP status answered (never 101). */
  readonly statusCode: number;
  /** The HTTP status text, '' when there was none. */
  readonly statusText: string;
  /** The server's reason: the response body as text, '' when empty. */
  readonly reason: string;
  /** The subprotocol named in the response, if any. */
  declare readonly selectedProtocol?: string;

  constructor(init: HandshakeErrorInit) {
    const statusText = init.statusText ?? '';
    const reason = (init.reason ?? '').slice(0, MAX_REFUSAL_REASON_LENGTH);
    const status = `HTTP ${init.statusCode}${statusText === '' ? '' : ` ${statusText}`}`;
    super({ ...init, message: `${init.url} refused the upgrade: ${status}${reason === '' ? '' : `: ${reason}`}` });
    this.statusCode = init.statusCode;
    this.statusText = statusText;
    this.reason = reason;
    if (init.selectedProtocol !== undefined) this.selectedProtocol = init.selectedProtocol;
  }
}
HandshakeError.prototype.name = 'HandshakeError';

/** What {@link SubprotocolError} is built from. */
export interface SubprotocolErrorInit extends Omit<ConnectionErrorInit, 'message'> {
  /** What the server selected; '' when it selected none. */
  selectedProtocol: string;
}

/**
 * The upgrade succeeded but the server selected no subprotocol, or one that was not offered
 * (checklist item 38): an OCPP client does not speak to it, and closes with 1002.
 *
 * @example
 * ```ts
 * // SubprotocolError: ws://.../CP001 selected no subprotocol; offered ocpp1.6
 * ```
 */
export class SubprotocolError extends ConnectionError {
  /** What the server selected; '' when it selected none. */
  readonly selectedProtocol: string;

  constructor(init: SubprotocolErrorInit) {
    const selected = init.selectedProtocol === '' ? 'no subprotocol' : `subprotocol ${JSON.stringify(init.selectedProtocol)}`;
    super({ ...init, message: `${init.url} selected ${selected}; offered ${init.protocols.join(', ')}` });
    this.selectedProtocol = init.selectedProtocol;
  }
}
SubprotocolError.prototype.name = 'SubprotocolError';

/** What {@link NetworkError} and {@link TlsError} are built from. */
export interface CodedConnectionErrorInit extends ConnectionErrorInit {
  /** The system or library error code, e.g. `ECONNREFUSED`, `ETIMEDOUT`, `DEPTH_ZERO_SELF_SIGNED_CERT`. */
  code?: string;
}

/**
 * The server could not be reached, or the connection broke or timed out before the upgrade
 * finished: `ECONNREFUSED` (nothing listens), `ENOTFOUND` (no such host), `ECONNRESET`,
 * `ETIMEDOUT` (including `handshakeTimeoutMs`). In a browser every failure lands here, without a
 * code: the WebSocket API hides the cause.
 *
 * @example
 * ```ts
 * // NetworkError: cannot reach ws://127.0.0.1:9/ocpp/CP001: connect ECONNREFUSED 127.0.0.1:9 (ECONNREFUSED)
 * ```
 */
export class NetworkError extends ConnectionError {
  /** The error code, when the runtime gave one. */
  declare readonly code?: string;

  constructor(init: CodedConnectionErrorInit) {
    super(init);
    if (init.code !== undefined) this.code = init.code;
  }
}
NetworkError.prototype.name = 'NetworkError';

/**
 * The TLS handshake failed (Node): the server's certificate is not trusted
 * (`DEPTH_ZERO_SELF_SIGNED_CERT`, `UNABLE_TO_VERIFY_LEAF_SIGNATURE`, ...), does not name the host
 * (`ERR_TLS_CERT_ALTNAME_INVALID`), has expired, or the two sides agree on no protocol version.
 * `cause` is Node's own error.
 *
 * @example
 * ```ts
 * // TlsError: TLS with wss://127.0.0.1:9443/ocpp/CP001 failed: self-signed certificate (DEPTH_ZERO_SELF_SIGNED_CERT)
 * ```
 */
export class TlsError extends ConnectionError {
  /** The TLS error code, when the runtime gave one. */
  declare readonly code?: string;

  constructor(init: CodedConnectionErrorInit) {
    super(init);
    if (init.code !== undefined) this.code = init.code;
  }
}
TlsError.prototype.name = 'TlsError';

/** True for the codes Node and OpenSSL give certificate and TLS failures. */
export function isTlsErrorCode(code: string): boolean {
  return /^ERR_(TLS|SSL)_|CERT|SELF_SIGNED|^UNABLE_TO_|^EPROTO$|^HOSTNAME_MISMATCH$/.test(code);
}
