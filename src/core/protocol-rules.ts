import type { RpcErrorCode } from './error-codes';

/**
 * What the core needs to know about the negotiated OCPP version, injected by the version layer.
 * The core itself knows no version; this keeps 1.6, 2.0.1 and 2.1 differences in one table each.
 */
export interface ProtocolRules {
  /** Subprotocol name, e.g. `ocpp1.6`; used in events and errors. */
  readonly protocol: string;
  /** Wire spelling of a canonical code for this version (1.6: `FormationViolation`, ...). */
  toWireCode(code: RpcErrorCode): string;
  /** Canonical code for a received wire code; either spelling is accepted. Unknown codes pass through as-is. */
  fromWireCode(wire: string): string;
  /** Code for a frame that is not a valid RPC frame (1.6: FormatViolation spelled FormationViolation; 2.x: RpcFrameworkError). */
  readonly framingErrorCode: RpcErrorCode;
  /** Code for a CALL whose id is still being handled (1.6: GenericError; 2.x: RpcFrameworkError). */
  readonly duplicateIdCode: RpcErrorCode;
  /** When the id of a broken frame cannot be read: answer with id "-1" (2.x) or drop it (1.6). */
  readonly unreadableIdReply: boolean;
  /** Unknown message type id: reply MessageTypeNotSupported (2.0.1) or ignore (1.6, 2.1). */
  readonly replyToUnknownMessageType: boolean;
  /**
   * Maximum errorDescription length in code points; longer ones are cut (2.x: 255). The core
   * never sends more than 255 whatever this says (see MAX_ERROR_DESCRIPTION_LENGTH in
   * ./error-replies); undefined means the version sets no limit of its own (1.6).
   */
  readonly maxErrorDescriptionLength?: number;
  /** Whether SEND (6) and CALLRESULTERROR (5) frames exist in this version (2.1). */
  readonly hasSendAndCallResultError: boolean;
  /** True when `action` is an action of this version (in either direction). */
  isKnownAction(action: string): boolean;
  /**
   * True when `action` travels only as a SEND, never as a CALL (2.1: NotifyPeriodicEventStream).
   * Such an action cannot be called, and the peer's CALL of it is answered NotSupported; any other
   * action cannot be sent as a SEND, and the peer's SEND of it is dropped with a `sendDropped`
   * event. Left out, no action is bound to one message type.
   */
  isSendAction?(action: string): boolean;
}
