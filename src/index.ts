/**
 * ocpp-sdk: typed OCPP-J 1.6 and 2.0.1 for TypeScript.
 *
 * The one public door: everything users can import is listed here, explicitly and
 * alphabetically (values, then types). `test/unit/exports.test.ts` pins the names, so a
 * change to the surface is a visible decision.
 *
 * @packageDocumentation
 */
export {
  AbortError,
  ConnectionClosedError,
  createMemoryTransportPair,
  createRpcError,
  DEFAULT_CALL_CONCURRENCY,
  DEFAULT_CALL_TIMEOUT_MS,
  DEFAULT_MAX_QUEUED_CALLS,
  FormatViolationError,
  GenericError,
  InternalError,
  isRpcErrorCode,
  MessageType,
  MessageTypeNotSupportedError,
  NotImplementedError,
  NotSupportedError,
  OccurrenceConstraintViolationError,
  parseFrame,
  PropertyConstraintViolationError,
  ProtocolError,
  QueueFullError,
  RPC_ERROR_CLASSES,
  RPC_ERROR_CODES,
  RpcEndpoint,
  RpcError,
  RpcFrameworkError,
  SecurityError,
  serializeFrame,
  TimeoutError,
  TypeConstraintViolationError,
  ValidationError,
} from './core/index';
export { CentralSystem, DEFAULT_COMPRESSION } from './central-system';
export { ChargePoint, NotConnectedError } from './charge-point';
export { OCPP16_ACTIONS } from './generated/ocpp16/actions';
export { OCPP201_ACTIONS } from './generated/ocpp201/actions';
export { actionSender, canSend, isKnownAction } from './ocpp/actions';
export { MemoryQueueStore } from './ocpp/offline-queue';
export { OCPP16_RULES, OCPP201_RULES, OCPP_PROTOCOLS, rulesFor } from './ocpp/rules';
export { createPayloadValidator, validatePayload } from './ocpp/validation';
export { LocalStationRegistry } from './station-registry';
export { Station } from './station';
export { basicAuthHeader, parseBasicAuth, safeEqual } from './transport/basic-auth';
export { backoffDelay, DEFAULT_BACKOFF } from './transport/backoff';

export type {
  ActionShape,
  ActionShapes,
  BadFrameEvent,
  CallOptions,
  CallResultErrorEvent,
  CloseEvent,
  Direction,
  Frame,
  FrameEvent,
  FramingError,
  Handler,
  HandlerContext,
  HandlerErrorEvent,
  LimitExceededEvent,
  ParseResult,
  PayloadKind,
  PayloadValidator,
  ProtocolRules,
  ResponseDroppedEvent,
  RpcEndpointEvents,
  RpcEndpointOptions,
  RpcErrorCode,
  RpcErrorDetails,
  Transport,
  TransportSink,
  ValidationFailedEvent,
  ValidationIssue,
} from './core/index';
export type {
  AuthRequest,
  AuthResult,
  BootGatingOptions,
  CentralSystemErrorEvent,
  CentralSystemEvents,
  CentralSystemOptions,
  CloseOptions,
  CompressionOptions,
  DisconnectEvent,
  ListenOptions,
  RefusalReason,
  RefusedEvent,
  SecurityProfile,
} from './central-system';
export type {
  ChargePointCallOptions,
  ChargePointEvents,
  ChargePointHandler,
  ChargePointIncoming,
  ChargePointOptions,
  ChargePointOutgoing,
  ChargePointState,
  OfflineOptions,
} from './charge-point';
export type * as OCPP16 from './generated/ocpp16/types';
export type { OCPP16ActionMap } from './generated/ocpp16/actions';
export type * as OCPP201 from './generated/ocpp201/types';
export type { OCPP201ActionMap } from './generated/ocpp201/actions';
export type { Logger, LogLevel } from './logger';
export type { ActionMapOf, ActionName, ActionSender, IncomingActions, OcppRole, OutgoingActions } from './ocpp/actions';
export type { OfflineQueueStore, QueuedMessage, TransactionRetryOptions } from './ocpp/offline-queue';
export type { OcppVersion, PayloadCheck, ValidationMode, ValidationPolicy, DirectionModes } from './ocpp/validation';
export type { StationHandle, StationRegistry } from './station-registry';
export type {
  AnyStation,
  BootStatus,
  CentralSystemIncoming,
  CentralSystemOutgoing,
  StationContextFields,
  StationHandler,
  StationHandlerContext,
} from './station';
export type { BasicCredentials } from './transport/basic-auth';
export type { BackoffOptions } from './transport/backoff';
export type { ClientTlsOptions } from './transport/client';
