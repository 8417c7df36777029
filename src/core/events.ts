/**
 * The events of an {@link RpcEndpoint}, typed through eventemitter3's own generics. Every
 * payload is a single object; wire events carry `direction`, `messageId` and `action` when known.
 * `direction` is always the {@link Direction} word (`inbound` | `outbound`), the same word the
 * validation policy is keyed by. The endpoint builds an event object only when the event has a
 * listener.
 */
import type { RpcError } from './errors';
import type { CallErrorFrame, CallResultErrorFrame, CallResultFrame, Frame, FramingError, SendFrame } from './frames';
import type { RpcErrorCode } from './error-codes';
import type { Direction, PayloadKind } from './validator';

/** A frame was received (`inbound`, after parsing) or sent (`outbound`, including CALLERRORs we send). */
export interface FrameEvent {
  /** `inbound`: received from the peer; `outbound`: sent to it. */
  readonly direction: Direction;
  /** The text exactly as received or sent. */
  readonly text: string;
  /** The frame, parsed (inbound) or as built (outbound). */
  readonly frame: Frame;
  /** The frame's message id. */
  readonly messageId: string;
  /** The action, for CALL/SEND and for answers to a known call. */
  readonly action?: string;
}

/** A received text was not a valid frame (or used a message type this version lacks). */
export interface BadFrameEvent {
  /** Always `inbound`. */
  readonly direction: 'inbound';
  /** The text exactly as received. */
  readonly text: string;
  /** What is wrong with it. */
  readonly error: FramingError;
  /** The frame's message id, when it could be read. */
  readonly messageId?: string;
  /** Whether a CALLERROR was sent back. Never true for a broken CALLRESULT or CALLERROR. */
  readonly replied: boolean;
}

/** A payload failed validation. `enforced: false` means it was only reported and processing went on. */
export interface ValidationFailedEvent {
  /** `inbound`: from the peer; `outbound`: ours. */
  readonly direction: Direction;
  /** Request or response. */
  readonly kind: PayloadKind;
  /** The action the payload belongs to. */
  readonly action: string;
  /** Absent for our own request rejected before an id was assigned. */
  readonly messageId?: string;
  /** Canonical code the failure maps to. */
  readonly code: RpcErrorCode;
  /** What is wrong, naming the JSON path. */
  readonly detail: string;
  /** True when the message was rejected; false when only reported (lenient policy). */
  readonly enforced: boolean;
}

/**
 * A CALLRESULT or CALLERROR matched no pending call. `late`: the call had timed out or been
 * aborted (known for the last 64 such calls); `unknown-id`: no call of ours had that id.
 */
export interface ResponseDroppedEvent {
  /** Always `inbound`. */
  readonly direction: 'inbound';
  /** The answer's message id. */
  readonly messageId: string;
  /** The action of the call it answered, when the drop is `late`. */
  readonly action?: string;
  /** The dropped answer. */
  readonly frame: CallResultFrame | CallErrorFrame;
  /** Why no call matched it. */
  readonly reason: 'late' | 'unknown-id';
}

/**
 * Handling an inbound CALL or SEND failed locally: the handler threw (or rejected) something
 * other than an `RpcError` (the peer got a generic `InternalError`), a SEND handler failed
 * (SENDs are never answered), or the handler's response could not be serialized.
 */
export interface HandlerErrorEvent {
  /** Always `inbound`: it concerns a message received. */
  readonly direction: 'inbound';
  /** Action of the CALL or SEND being handled. */
  readonly action: string;
  /** Its message id. */
  readonly messageId: string;
  /** The real error; it never reaches the peer. */
  readonly error: unknown;
}

/**
 * The peer rejected one of our CALLRESULTs with a CALLRESULTERROR (OCPP 2.1): our handler's answer
 * was invalid in its eyes (2.1 FR.06), or it could not accept what the answer said (use case I08,
 * a tariff it cannot apply). Nothing is sent back: a CALLRESULTERROR is never answered.
 */
export interface CallResultErrorEvent {
  /** Always `inbound`. */
  readonly direction: 'inbound';
  /** Id of the rejected CALLRESULT (the peer's CALL id). */
  readonly messageId: string;
  /**
   * The action of the CALL we answered, when the id names one of our last 64 answers on this
   * connection; absent for an id we never answered (the peer's mistake, still reported).
   */
  readonly action?: string;
  /** The frame as received. */
  readonly frame: CallResultErrorFrame;
  /** The peer's code, description and details as an RpcError. */
  readonly error: RpcError;
}

/**
 * Why a SEND of the peer (OCPP 2.1) reached no handler. A SEND is never answered, so this event
 * (and `validationFailed` for `invalid`) is the only trace:
 * - `unknown-action`: the version has no such action;
 * - `not-a-send-action`: the action exists but travels as a CALL (e.g. a Heartbeat sent as SEND);
 * - `not-allowed`: the inbound gate refused it (a station that is not registered yet);
 * - `no-handler`: nobody handles the action;
 * - `invalid`: its payload broke the schema (enforced).
 *
 * A handler that throws is a `handlerError`, not this.
 */
export type SendDropReason = 'unknown-action' | 'not-a-send-action' | 'not-allowed' | 'no-handler' | 'invalid';

/** A SEND of the peer (OCPP 2.1) was dropped without reaching a handler; see {@link SendDropReason}. */
export interface SendDroppedEvent {
  /** Always `inbound`. */
  readonly direction: 'inbound';
  /** The SEND's message id. */
  readonly messageId: string;
  /** Its action, as received. */
  readonly action: string;
  /** The frame as received. */
  readonly frame: SendFrame;
  /** Why it was dropped. */
  readonly reason: SendDropReason;
}

/**
 * The peer passed a limit (`maxInboundCalls` or `maxBadMessages`): nothing more is read from it,
 * CALLs already accepted are answered, then the connection closes with `code` and `reason`.
 * Emitted once, before the `close` event.
 */
export interface LimitExceededEvent {
  /** Which limit. */
  readonly limit: 'maxInboundCalls' | 'maxBadMessages';
  /** The limit's value. */
  readonly max: number;
  /** The close code that follows: 1008 (policy violation). */
  readonly code: number;
  /** The close reason that follows, e.g. `too many concurrent CALLs`. */
  readonly reason: string;
}

/** The endpoint closed (by `close()` or by the transport). Emitted once. */
export interface CloseEvent {
  /** WebSocket close code. */
  readonly code: number;
  /** WebSocket close reason (may be empty). */
  readonly reason: string;
}

/** Event map of {@link RpcEndpoint}. */
export interface RpcEndpointEvents {
  /** Every frame received or sent. */
  frame: (event: FrameEvent) => void;
  /** A received text was not a valid frame. */
  badFrame: (event: BadFrameEvent) => void;
  /** A payload failed validation (enforced or only reported). */
  validationFailed: (event: ValidationFailedEvent) => void;
  /** An answer matched no pending call. */
  responseDropped: (event: ResponseDroppedEvent) => void;
  /** A handler failed with something other than an RpcError. */
  handlerError: (event: HandlerErrorEvent) => void;
  /** The peer rejected one of our CALLRESULTs (2.1). */
  callResultError: (event: CallResultErrorEvent) => void;
  /** A SEND of the peer reached no handler (2.1). */
  sendDropped: (event: SendDroppedEvent) => void;
  /** The peer passed `maxInboundCalls` or `maxBadMessages`; the connection is being closed. */
  limitExceeded: (event: LimitExceededEvent) => void;
  /** The connection closed; emitted once. */
  close: (event: CloseEvent) => void;
}
