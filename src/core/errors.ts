/**
 * Errors of the framing core.
 *
 * Two families: {@link RpcError} and its subclasses are OCPP RPC errors (what a CALLERROR carries,
 * in either direction: the peer's answer to our call, or what a handler throws to answer the
 * peer); the others are local failures of a call (timeout, closed connection, validation, abort,
 * full queue) that never travel on the wire.
 */
import type { RpcErrorCode } from './error-codes';
import type { Direction, PayloadKind } from './validator';
import { isPlainObject } from './guards';

/** Error details: always a JSON object, `{}` when there are none. */
export type RpcErrorDetails = { [key: string]: unknown };

/** What an {@link RpcError} subclass is built from; every field is optional. */
export interface RpcErrorInit {
  /** Error description; `""` when absent. */
  description?: string;
  /** Error details; `{}` when absent or not a plain object. */
  details?: RpcErrorDetails;
  /** Id of the CALL the error answers. */
  messageId?: string;
  /** Action of that CALL. */
  action?: string;
  /** The underlying failure, if any. */
  cause?: unknown;
}

/**
 * An OCPP RPC error: the content of a CALLERROR. Thrown by a handler, it becomes the CALLERROR
 * sent to the peer; a CALLERROR received for one of our calls rejects the call with the
 * subclass for its code (see {@link createRpcError}), or a plain `RpcError` when the code is not
 * a canonical one (the peer's code is then kept as-is).
 *
 * `code` is canonical (2.0.1 spelling, e.g. `OccurrenceConstraintViolation`) whatever version the
 * connection speaks; the wire spelling is the version layer's business.
 *
 * @example
 * ```ts
 * endpoint.handle('Reset', () => {
 *   throw new NotSupportedError({ description: 'no hard reset here', details: { supported: ['Soft'] } });
 * });
 * try {
 *   await endpoint.call('Reset', { type: 'Hard' });
 * } catch (err) {
 *   if (err instanceof NotSupportedError) console.log('station cannot reset:', err.description);
 *   else if (err instanceof RpcError) console.log(err.code, err.details);
 * }
 * ```
 */
export class RpcError<C extends string = string> extends Error {
  /** Canonical error code, or the peer's code as received when it is not a known one. */
  readonly code: C;
  /** Error description; `""` when there is none. */
  readonly description: string;
  /** Error details; `{}` when there are none. */
  readonly details: RpcErrorDetails;
  /** Id of the CALL this error answers, when known. */
  declare readonly messageId?: string;
  /** Action of the CALL this error answers, when known. */
  declare readonly action?: string;

  /** @param init - the code (canonical, or the peer's as received) and the optional fields. */
  constructor(init: RpcErrorInit & { readonly code: C }) {
    // Plain JavaScript may pass `new RpcError('NotSupported', '...')`: say so rather than fail on `in`.
    if (!isPlainObject(init)) throw new TypeError(`RpcError takes an init object ({ code, description, details, ... }), got ${typeof init}`);
    const { code, description } = init;
    const text = description === undefined || description === null ? '' : String(description);
    super(text === '' ? code : `${code}: ${text}`, 'cause' in init ? { cause: init.cause } : undefined);
    this.code = code;
    this.description = text;
    this.details = isPlainObject(init.details) ? init.details : {};
    if (init.messageId !== undefined) this.messageId = init.messageId;
    if (init.action !== undefined) this.action = init.action;
  }
}
RpcError.prototype.name = 'RpcError';

/**
 * A subclass's init with its code added. Checked, because a caller from plain JavaScript may still
 * pass the description as a string, which would otherwise be spread into an object of characters.
 */
function withCode<C extends string>(init: RpcErrorInit, code: C): RpcErrorInit & { readonly code: C } {
  if (!isPlainObject(init)) throw new TypeError(`${code} errors take an init object ({ description, details, ... }), got ${typeof init}`);
  return { ...init, code };
}

/** Constructor signature shared by the per-code subclasses of {@link RpcError}. */
export type RpcErrorClass<C extends RpcErrorCode = RpcErrorCode> = new (init?: RpcErrorInit) => RpcError<C>;

/** `FormatViolation` (1.6 wire spelling `FormationViolation`): the payload is syntactically wrong. */
export class FormatViolationError extends RpcError<'FormatViolation'> {
  constructor(init: RpcErrorInit = {}) {
    super(withCode(init, 'FormatViolation'));
  }
}
FormatViolationError.prototype.name = 'FormatViolationError';

/** `GenericError`: any error not covered by a more specific code. */
export class GenericError extends RpcError<'GenericError'> {
  constructor(init: RpcErrorInit = {}) {
    super(withCode(init, 'GenericError'));
  }
}
GenericError.prototype.name = 'GenericError';

/** `InternalError`: the receiver failed while processing the request (e.g. its handler threw). */
export class InternalError extends RpcError<'InternalError'> {
  constructor(init: RpcErrorInit = {}) {
    super(withCode(init, 'InternalError'));
  }
}
InternalError.prototype.name = 'InternalError';

/** `MessageTypeNotSupported` (2.0.1): the receiver does not know the message type id. */
export class MessageTypeNotSupportedError extends RpcError<'MessageTypeNotSupported'> {
  constructor(init: RpcErrorInit = {}) {
    super(withCode(init, 'MessageTypeNotSupported'));
  }
}
MessageTypeNotSupportedError.prototype.name = 'MessageTypeNotSupportedError';

/** `NotImplemented`: the action is not known to the receiver. */
export class NotImplementedError extends RpcError<'NotImplemented'> {
  constructor(init: RpcErrorInit = {}) {
    super(withCode(init, 'NotImplemented'));
  }
}
NotImplementedError.prototype.name = 'NotImplementedError';

/** `NotSupported`: the action is known but not supported by the receiver. */
export class NotSupportedError extends RpcError<'NotSupported'> {
  constructor(init: RpcErrorInit = {}) {
    super(withCode(init, 'NotSupported'));
  }
}
NotSupportedError.prototype.name = 'NotSupportedError';

/** `OccurrenceConstraintViolation` (1.6 wire spelling `OccurenceConstraintViolation`): a required field is missing or repeated. */
export class OccurrenceConstraintViolationError extends RpcError<'OccurrenceConstraintViolation'> {
  constructor(init: RpcErrorInit = {}) {
    super(withCode(init, 'OccurrenceConstraintViolation'));
  }
}
OccurrenceConstraintViolationError.prototype.name = 'OccurrenceConstraintViolationError';

/** `PropertyConstraintViolation`: a field's value breaks its constraints (enum, pattern, length, range). */
export class PropertyConstraintViolationError extends RpcError<'PropertyConstraintViolation'> {
  constructor(init: RpcErrorInit = {}) {
    super(withCode(init, 'PropertyConstraintViolation'));
  }
}
PropertyConstraintViolationError.prototype.name = 'PropertyConstraintViolationError';

/** `ProtocolError`: the payload is incomplete. */
export class ProtocolError extends RpcError<'ProtocolError'> {
  constructor(init: RpcErrorInit = {}) {
    super(withCode(init, 'ProtocolError'));
  }
}
ProtocolError.prototype.name = 'ProtocolError';

/** `RpcFrameworkError` (2.x): the message is not a valid RPC frame, e.g. its id cannot be read. */
export class RpcFrameworkError extends RpcError<'RpcFrameworkError'> {
  constructor(init: RpcErrorInit = {}) {
    super(withCode(init, 'RpcFrameworkError'));
  }
}
RpcFrameworkError.prototype.name = 'RpcFrameworkError';

/** `SecurityError`: the request was refused for security reasons (e.g. before BootNotification is accepted). */
export class SecurityError extends RpcError<'SecurityError'> {
  constructor(init: RpcErrorInit = {}) {
    super(withCode(init, 'SecurityError'));
  }
}
SecurityError.prototype.name = 'SecurityError';

/** `TypeConstraintViolation`: a field has the wrong JSON type. */
export class TypeConstraintViolationError extends RpcError<'TypeConstraintViolation'> {
  constructor(init: RpcErrorInit = {}) {
    super(withCode(init, 'TypeConstraintViolation'));
  }
}
TypeConstraintViolationError.prototype.name = 'TypeConstraintViolationError';

/**
 * The one table from canonical code to error class. The mapped type makes the compiler check
 * that each class's `code` matches its key, so the two directions cannot drift apart:
 * `RPC_ERROR_CLASSES[code]` gives the class, `new Class().code` gives the code back.
 */
export const RPC_ERROR_CLASSES: { readonly [C in RpcErrorCode]: RpcErrorClass<C> } = Object.freeze({
  FormatViolation: FormatViolationError,
  GenericError,
  InternalError,
  MessageTypeNotSupported: MessageTypeNotSupportedError,
  NotImplemented: NotImplementedError,
  NotSupported: NotSupportedError,
  OccurrenceConstraintViolation: OccurrenceConstraintViolationError,
  PropertyConstraintViolation: PropertyConstraintViolationError,
  ProtocolError,
  RpcFrameworkError,
  SecurityError,
  TypeConstraintViolation: TypeConstraintViolationError,
});

// A Map, not the object above, for lookups by untrusted codes: `constructor` or `__proto__`
// must not find Object.prototype members.
const CLASS_BY_CODE: ReadonlyMap<string, RpcErrorClass> = new Map(Object.entries(RPC_ERROR_CLASSES) as [string, RpcErrorClass][]);

/**
 * `instanceof RpcError` for whatever a handler threw: a hostile value (a Proxy whose traps
 * throw) is just "not an RpcError", instead of an exception that would leave the CALL unanswered.
 */
export function isRpcError(value: unknown): value is RpcError {
  try {
    return value instanceof RpcError;
  } catch {
    return false;
  }
}

/** True when `code` is one of the canonical RPC error codes. */
export function isRpcErrorCode(code: unknown): code is RpcErrorCode {
  return typeof code === 'string' && CLASS_BY_CODE.has(code);
}

/**
 * Creates the {@link RpcError} subclass for a canonical code, or a plain `RpcError` carrying
 * `code` as-is when it is not canonical (a peer's vendor code, or another version's spelling
 * that the version layer did not normalise).
 *
 * @example
 * ```ts
 * createRpcError('NotSupported', { description: 'Reset not supported' }) instanceof NotSupportedError; // true
 * createRpcError('VendorSpecific').code; // 'VendorSpecific'
 * ```
 */
export function createRpcError(code: string, init: RpcErrorInit = {}): RpcError {
  const Class = CLASS_BY_CODE.get(code);
  return Class === undefined ? new RpcError({ ...init, code }) : new Class(init);
}

/** Formats an error prefix that names the call when there is one. */
function describeCall(action: string | undefined, messageId: string | undefined): string {
  if (action === undefined) return messageId === undefined ? '' : `call ${messageId}`;
  return messageId === undefined ? `${action} call` : `${action} call ${messageId}`;
}

/** What {@link TimeoutError} is built from. */
export interface TimeoutErrorInit {
  /** Action of the call. */
  action: string;
  /** Message id of the call. */
  messageId: string;
  /** The timeout that expired, in milliseconds. */
  timeoutMs: number;
  /** Identity of the peer, when the endpoint knows it. */
  identity?: string;
  /** For a call to a station on another node: whether the station may have got it. */
  delivered?: false | 'unknown';
}

/**
 * A call got no answer within its timeout. Its slot is freed; a late answer is dropped with a
 * `responseDropped` event.
 *
 * @example
 * ```ts
 * // TimeoutError: Reset call 1f0e6c2e-... to CP001 timed out after 30000 ms
 * if (err instanceof TimeoutError) retryLater(err.action);
 * ```
 */
export class TimeoutError extends Error {
  /** Action of the call. */
  readonly action: string;
  /** Message id of the call. */
  readonly messageId: string;
  /** Identity of the peer, when known. */
  declare readonly identity?: string;
  /** The timeout that expired, in milliseconds. */
  readonly timeoutMs: number;
  /**
   * Set for a call to a station on another node (see `ClusterAdapter`): `false` when the deadline
   * passed before the call could be sent, `'unknown'` when the station may have got it.
   */
  declare readonly delivered?: false | 'unknown';

  constructor(init: TimeoutErrorInit) {
    const to = init.identity === undefined ? '' : ` to ${init.identity}`;
    super(`${describeCall(init.action, init.messageId)}${to} timed out after ${init.timeoutMs} ms`);
    this.action = init.action;
    this.messageId = init.messageId;
    if (init.identity !== undefined) this.identity = init.identity;
    this.timeoutMs = init.timeoutMs;
    if (init.delivered !== undefined) this.delivered = init.delivered;
  }
}
TimeoutError.prototype.name = 'TimeoutError';

/** What {@link ConnectionClosedError} is built from. */
export interface ConnectionClosedErrorInit {
  /** WebSocket close code. */
  code: number;
  /** WebSocket close reason. */
  reason: string;
  /** Action of the call this error settles, if any. */
  action?: string;
  /** Message id of the call this error settles, if any (absent for a call still queued). */
  messageId?: string;
  /** The underlying failure, if any. */
  cause?: unknown;
}

/**
 * The connection closed (or was already closed) before a call was answered.
 *
 * @example
 * ```ts
 * // ConnectionClosedError: Reset call 1f0e... not answered: connection closed (1006)
 * if (err instanceof ConnectionClosedError && err.code === 1006) scheduleReconnect();
 * ```
 */
export class ConnectionClosedError extends Error {
  /** WebSocket close code. */
  readonly code: number;
  /** WebSocket close reason (may be empty). */
  readonly reason: string;
  /** Action of the call, when the error concerns one. */
  declare readonly action?: string;
  /** Message id of the call, when it had been sent. */
  declare readonly messageId?: string;

  constructor(init: ConnectionClosedErrorInit) {
    const what = describeCall(init.action, init.messageId);
    const closed = `connection closed (${init.code}${init.reason === '' ? '' : ` ${JSON.stringify(init.reason)}`})`;
    super(what === '' ? closed : `${what} not answered: ${closed}`, 'cause' in init ? { cause: init.cause } : undefined);
    this.code = init.code;
    this.reason = init.reason;
    if (init.action !== undefined) this.action = init.action;
    if (init.messageId !== undefined) this.messageId = init.messageId;
  }
}
ConnectionClosedError.prototype.name = 'ConnectionClosedError';

/** What {@link ValidationError} is built from. */
export interface ValidationErrorInit {
  /** `outbound`: our own request (nothing was sent); `inbound`: the peer's response. */
  direction: Direction;
  /** Which half of the exchange failed. */
  kind: PayloadKind;
  /** Action of the call. */
  action: string;
  /** Canonical code the failure maps to. */
  code: RpcErrorCode;
  /** What is wrong, naming the JSON path. */
  detail: string;
  /** Message id, when the message had one (absent for a request rejected before sending). */
  messageId?: string;
  /** The underlying failure, if any. */
  cause?: unknown;
}

/**
 * A payload failed validation: our own outbound request (the call rejects at once and nothing
 * is sent) or the peer's response to our call (the call rejects).
 *
 * @example
 * ```ts
 * // ValidationError: invalid outbound Reset request: /type: must be equal to one of the allowed values
 * if (err instanceof ValidationError) console.log(err.code, err.detail);
 * ```
 */
export class ValidationError extends Error {
  /** `outbound`: our own request; `inbound`: the peer's response. */
  readonly direction: Direction;
  /** Request or response. */
  readonly kind: PayloadKind;
  /** Action of the call. */
  readonly action: string;
  /** Canonical code the failure maps to. */
  readonly code: RpcErrorCode;
  /** What is wrong, naming the JSON path. */
  readonly detail: string;
  /** Message id, when the message had one. */
  declare readonly messageId?: string;

  constructor(init: ValidationErrorInit) {
    super(`invalid ${init.direction} ${init.action} ${init.kind}: ${init.detail}`, 'cause' in init ? { cause: init.cause } : undefined);
    this.direction = init.direction;
    this.kind = init.kind;
    this.action = init.action;
    this.code = init.code;
    this.detail = init.detail;
    if (init.messageId !== undefined) this.messageId = init.messageId;
  }
}
ValidationError.prototype.name = 'ValidationError';

/** What {@link AbortError} is built from. */
export interface AbortErrorInit {
  /** Action of the call. */
  action: string;
  /** Message id, when the call had been sent. */
  messageId?: string;
  /** The signal's `reason`. */
  cause?: unknown;
}

/**
 * The caller aborted a call through its `AbortSignal`. `cause` is the signal's `reason`. A call
 * still queued is removed without being sent; one in flight frees its slot and its late answer
 * is dropped.
 *
 * @example
 * ```ts
 * const r = endpoint.call('Heartbeat', {}, { signal: AbortSignal.timeout(5000) });
 * ```
 */
export class AbortError extends Error {
  /** Action of the aborted call. */
  readonly action: string;
  /** Its message id, when it had been sent. */
  declare readonly messageId?: string;

  constructor(init: AbortErrorInit) {
    super(`${describeCall(init.action, init.messageId)} aborted`, 'cause' in init ? { cause: init.cause } : undefined);
    this.action = init.action;
    if (init.messageId !== undefined) this.messageId = init.messageId;
  }
}
AbortError.prototype.name = 'AbortError';

/** What {@link QueueFullError} is built from. */
export interface QueueFullErrorInit {
  /** The `maxQueuedCalls` limit that was reached. */
  limit: number;
  /** Action of the refused call. */
  action: string;
  /** The underlying failure, if any. */
  cause?: unknown;
}

/**
 * A call was refused at once because `maxQueuedCalls` calls were already waiting for a slot.
 *
 * @example
 * ```ts
 * if (err instanceof QueueFullError) console.warn(`more than ${err.limit} calls queued`);
 * ```
 */
export class QueueFullError extends Error {
  /** The `maxQueuedCalls` limit that was reached. */
  readonly limit: number;
  /** Action of the refused call. */
  readonly action: string;

  constructor(init: QueueFullErrorInit) {
    super(`${init.action} call refused: ${init.limit} calls already queued`, 'cause' in init ? { cause: init.cause } : undefined);
    this.limit = init.limit;
    this.action = init.action;
  }
}
QueueFullError.prototype.name = 'QueueFullError';
