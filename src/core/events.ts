/**
 * The events of an {@link RpcEndpoint}, typed through eventemitter3's own generics. Every
 * payload is a single object; wire events carry `direction`, `messageId` and `action` when known.
 * The endpoint builds an event object only when the event has a listener.
 */
import type { RpcError } from './errors';
import type { CallErrorFrame, CallResultErrorFrame, CallResultFrame, Frame, FramingError } from './frames';
import type { RpcErrorCode } from './error-codes';
import type { Direction, PayloadKind } from './validator';

/** A frame was received (`in`, after parsing) or sent (`out`, including CALLERRORs we send). */
export interface FrameEvent {
  readonly direction: 'in' | 'out';
  /** The text exactly as received or sent. */
  readonly text: string;
  readonly frame: Frame;
  readonly messageId: string;
  /** The action, for CALL/SEND and for answers to a known call. */
  readonly action?: string;
}

/** A received text was not a valid frame (or used a message type this version lacks). */
export interface BadFrameEvent {
  readonly direction: 'in';
  readonly text: string;
  readonly error: FramingError;
  /** The frame's message id, when it could be read. */
  readonly messageId?: string;
  /** Whether a CALLERROR was sent back. Never true for a broken CALLRESULT or CALLERROR. */
  readonly replied: boolean;
}

/** A payload failed validation. `enforced: false` means it was only reported and processing went on. */
export interface ValidationFailedEvent {
  readonly direction: Direction;
  readonly kind: PayloadKind;
  readonly action: string;
  /** Absent for our own request rejected before an id was assigned. */
  readonly messageId?: string;
  readonly code: RpcErrorCode;
  readonly detail: string;
  readonly enforced: boolean;
}

/**
 * A CALLRESULT or CALLERROR matched no pending call. `late`: the call had timed out or been
 * aborted (known for the last 64 such calls); `unknown-id`: no call of ours had that id.
 */
export interface ResponseDroppedEvent {
  readonly direction: 'in';
  readonly messageId: string;
  /** The action of the call it answered, when the drop is `late`. */
  readonly action?: string;
  readonly frame: CallResultFrame | CallErrorFrame;
  readonly reason: 'late' | 'unknown-id';
}

/**
 * Handling an inbound CALL or SEND failed locally: the handler threw (or rejected) something
 * other than an `RpcError` (the peer got a generic `InternalError`), a SEND handler failed
 * (SENDs are never answered), or the handler's response could not be serialized.
 */
export interface HandlerErrorEvent {
  readonly direction: 'in';
  readonly action: string;
  readonly messageId: string;
  /** The real error; it never reaches the peer. */
  readonly error: unknown;
}

/** The peer rejected one of our CALLRESULTs with a CALLRESULTERROR (OCPP 2.1). */
export interface CallResultErrorEvent {
  readonly direction: 'in';
  /** Id of the rejected CALLRESULT (the peer's CALL id). */
  readonly messageId: string;
  readonly frame: CallResultErrorFrame;
  /** The peer's code, description and details as an RpcError. */
  readonly error: RpcError;
}

/** The endpoint closed (by `close()` or by the transport). Emitted once. */
export interface CloseEvent {
  readonly code: number;
  readonly reason: string;
}

/** Event map of {@link RpcEndpoint}. */
export interface RpcEndpointEvents {
  frame: (event: FrameEvent) => void;
  badFrame: (event: BadFrameEvent) => void;
  validationFailed: (event: ValidationFailedEvent) => void;
  responseDropped: (event: ResponseDroppedEvent) => void;
  handlerError: (event: HandlerErrorEvent) => void;
  callResultError: (event: CallResultErrorEvent) => void;
  close: (event: CloseEvent) => void;
}
