/**
 * The framing core's public pieces, for `src/index.ts` (the package's one public door) to pick
 * from. Explicit and alphabetical: values first, then types.
 */
export {
  DEFAULT_BAD_MESSAGE_WINDOW_MS,
  DEFAULT_CALL_CONCURRENCY,
  DEFAULT_CALL_TIMEOUT_MS,
  DEFAULT_MAX_BAD_MESSAGES,
  DEFAULT_MAX_INBOUND_CALLS,
  DEFAULT_MAX_QUEUED_CALLS,
  MAX_CALL_TIMEOUT_MS,
} from './options';
export { RpcEndpoint } from './endpoint';
export { INTERNAL_ERROR_DESCRIPTION } from './error-replies';
export { createMemoryTransportPair } from './memory-transport';
export { RPC_ERROR_CODES } from './error-codes';
export {
  AbortError,
  ConnectionClosedError,
  createRpcError,
  FormatViolationError,
  GenericError,
  InternalError,
  isRpcErrorCode,
  MessageTypeNotSupportedError,
  NotImplementedError,
  NotSupportedError,
  OccurrenceConstraintViolationError,
  PropertyConstraintViolationError,
  ProtocolError,
  QueueFullError,
  RPC_ERROR_CLASSES,
  RpcError,
  RpcFrameworkError,
  SecurityError,
  TimeoutError,
  TypeConstraintViolationError,
  ValidationError,
} from './errors';
export { DEFAULT_MAX_JSON_DEPTH, isValidMessageId, MAX_MESSAGE_ID_LENGTH, MessageType, parseFrame, serializeFrame } from './frames';

export type { ActionShape, ActionShapes, ActionShapesOf } from './action-shapes';
export type { CallOptions } from './outgoing-calls';
export type { Handler, HandlerContext } from './context';
export type { RpcErrorCode } from './error-codes';
export type {
  AbortErrorInit,
  ConnectionClosedErrorInit,
  QueueFullErrorInit,
  RpcErrorClass,
  RpcErrorDetails,
  RpcErrorInit,
  TimeoutErrorInit,
  ValidationErrorInit,
} from './errors';
export type {
  BadFrameEvent,
  CallResultErrorEvent,
  SendDroppedEvent,
  SendDropReason,
  CloseEvent,
  FrameEvent,
  HandlerErrorEvent,
  LimitExceededEvent,
  ResponseDroppedEvent,
  RpcEndpointEvents,
  ValidationFailedEvent,
} from './events';
export type {
  CallErrorFrame,
  CallFrame,
  CallResultErrorFrame,
  CallResultFrame,
  ErrorFrameInit,
  Frame,
  FrameInit,
  FramingError,
  FramingErrorKind,
  JsonObject,
  MessageTypeId,
  ParseFailure,
  ParseResult,
  ParseSuccess,
  RequestFrameInit,
  ResultFrameInit,
  SendFrame,
} from './frames';
export type { ResolvedRpcEndpointOptions, RpcEndpointOptions } from './options';
export type { ProtocolRules } from './protocol-rules';
export type { Transport, TransportSink } from './transport';
export type { Direction, PayloadKind, PayloadValidator, ValidationIssue } from './validator';
