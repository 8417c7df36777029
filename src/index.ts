/**
 * ocpp-sdk: typed OCPP-J 1.6 and 2.0.1 for TypeScript.
 *
 * The one public door for Node, as an explicit list: values first, then types. It holds what the
 * browser door (`./browser`) holds, everything that runs on standard globals (the framing core,
 * validation, the ChargePoint), plus the server side, listed last in each part.
 * `test/unit/exports.test.ts` pins the runtime names and `etc/ocpp-sdk.api.md` (API Extractor's
 * report, checked by the package test) the whole surface, types included, so that a change to
 * the surface is a visible decision. `test/browser/browser.test.ts` keeps the two doors in step.
 *
 * @packageDocumentation
 */

// ---- values: the core, versions, validation, the ChargePoint
export {
  AbortError,
  ConnectionClosedError,
  createMemoryTransportPair,
  createRpcError,
  DEFAULT_CALL_CONCURRENCY,
  DEFAULT_BAD_MESSAGE_WINDOW_MS,
  DEFAULT_CALL_TIMEOUT_MS,
  DEFAULT_MAX_BAD_MESSAGES,
  DEFAULT_MAX_INBOUND_CALLS,
  DEFAULT_MAX_JSON_DEPTH,
  DEFAULT_MAX_QUEUED_CALLS,
  FormatViolationError,
  GenericError,
  InternalError,
  INTERNAL_ERROR_DESCRIPTION,
  isRpcErrorCode,
  isValidMessageId,
  MAX_CALL_TIMEOUT_MS,
  MAX_MESSAGE_ID_LENGTH,
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
export { ChargePoint, NotConnectedError, NotRegisteredError } from './charge-point';
export { ConnectionError, HandshakeError, NetworkError, SubprotocolError, TlsError } from './transport/connection-errors';
export { OCPP16_ACTIONS } from './generated/ocpp16/actions';
export { OCPP201_ACTIONS } from './generated/ocpp201/actions';
export { OCPP21_ACTIONS } from './generated/ocpp21/actions';
export { actionSender, canSend, isKnownAction } from './ocpp/actions';
export { MemoryQueueStore } from './ocpp/offline-queue';
export { OCPP16_RULES, OCPP201_RULES, OCPP21_RULES, rulesFor } from './ocpp/version-rules';
export { DEFAULT_PROTOCOLS, OCPP_PROTOCOLS } from './ocpp/version';
export { createPayloadValidator, validatePayload } from './ocpp/validation';
export { basicAuthHeader } from './transport/basic-auth';
export { backoffDelay, DEFAULT_BACKOFF } from './transport/backoff';
export {
  DEFAULT_COMPRESSION_THRESHOLD_BYTES,
  DEFAULT_HANDSHAKE_TIMEOUT_MS,
  DEFAULT_MAX_BUFFERED_BYTES,
  DEFAULT_MAX_PAYLOAD_BYTES,
  DEFAULT_PING_INTERVAL_MS,
  DEFAULT_READ_PAUSE_BUFFERED_BYTES,
} from './transport/defaults';

// ---- values: the server side, and the durable queue store (Node only: node:fs)
export {
  CentralSystem,
  DEFAULT_COMPRESSION,
  DEFAULT_DUPLICATE_IDENTITY,
  DEFAULT_LISTEN_BACKLOG,
  DEFAULT_SECURITY_PROFILE,
  ListenError,
} from './central-system';
export { LocalStationRegistry } from './station-registry';
export { ClusterUnavailableError, MemoryCluster, RemoteCallError, RemoteStation, StationNotConnectedError } from './cluster/index';
export { Station } from './station';
export { DEFAULT_COMPACT_AFTER_RECORDS, FileQueueStore } from './node/file-queue-store';
export { QueueJournalError } from './node/queue-journal';
export { parseBasicAuth, safeEqual } from './transport/basic-auth';

// ---- types
export type {
  AbortErrorInit,
  ActionShape,
  ActionShapes,
  BadFrameEvent,
  CallErrorFrame,
  CallFrame,
  CallOptions,
  CallResultErrorEvent,
  SendDroppedEvent,
  SendDropReason,
  CallResultErrorFrame,
  CallResultFrame,
  CloseEvent,
  ConnectionClosedErrorInit,
  ErrorFrameInit,
  Direction,
  Frame,
  FrameEvent,
  FrameInit,
  FramingError,
  FramingErrorKind,
  Handler,
  HandlerContext,
  HandlerErrorEvent,
  JsonObject,
  LimitExceededEvent,
  MessageTypeId,
  ParseFailure,
  ParseResult,
  ParseSuccess,
  PayloadKind,
  PayloadValidator,
  ProtocolRules,
  QueueFullErrorInit,
  RequestFrameInit,
  ResultFrameInit,
  ResponseDroppedEvent,
  RpcEndpointEvents,
  RpcEndpointOptions,
  RpcErrorClass,
  RpcErrorCode,
  RpcErrorDetails,
  RpcErrorInit,
  SendFrame,
  TimeoutErrorInit,
  Transport,
  TransportSink,
  ValidationErrorInit,
  ValidationFailedEvent,
  ValidationIssue,
} from './core/index';
export type {
  AnyChargePoint,
  BootOptions,
  BootRequest,
  BootResponse,
  CallableAction,
  CallRequest,
  CallResponse,
  ChargePointDisconnectEvent,
  ChargePointErrorEvent,
  ChargePointOpenEvent,
  ClientCompressionOptions,
  CommonChargePointAction,
  CommonRequest,
  CommonResponse,
  NotConnectedErrorInit,
  NotRegisteredErrorInit,
  QueueDroppedEvent,
  ReconnectingEvent,
  ChargePointCallOptions,
  ChargePointEvents,
  ChargePointHandler,
  ChargePointIncoming,
  ChargePointOptions,
  ChargePointOutgoing,
  ChargePointSendActions,
  ChargePointState,
  OfflineOptions,
} from './charge-point';
export type * as OCPP16 from './generated/ocpp16/types';
export type { OCPP16ActionMap } from './generated/ocpp16/actions';
export type * as OCPP201 from './generated/ocpp201/types';
export type { OCPP201ActionMap } from './generated/ocpp201/actions';
export type * as OCPP21 from './generated/ocpp21/types';
export type { OCPP21ActionMap } from './generated/ocpp21/actions';
export type { Logger, LogLevel } from './logger';
export type { ActionMapOf, ActionName, ActionSender, IncomingActions, OcppRole, OutgoingActions, SendActions, Shapes } from './ocpp/actions';
export type { OfflineQueueStore, QueuedMessage, TransactionRetryOptions } from './ocpp/offline-queue';
export type { PayloadCheck, ValidationMode, ValidationPolicy, DirectionModes } from './ocpp/validation';
export type { DefaultOcppVersion, OcppVersion } from './ocpp/version';
export type { BasicCredentials } from './transport/basic-auth';
export type { BackoffOptions } from './transport/backoff';
export type { ClientTlsOptions, ClientWebSocket, WebSocketFactory, WebSocketFactoryOptions } from './transport/client';
export type { CodedConnectionErrorInit, ConnectionErrorInit, HandshakeErrorInit, SubprotocolErrorInit } from './transport/connection-errors';

// ---- types: the server side, and the durable queue store
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
  ListenErrorInit,
  ListenFailure,
  ListenOptions,
  RefusalReason,
  RefusedEvent,
  SecurityProfile,
  StationHandlerErrorEvent,
} from './central-system';
export type { FileQueueStoreOptions } from './node/file-queue-store';
export type { QueueJournalErrorInit } from './node/queue-journal';
export type { StationHandle, StationRegistry } from './station-registry';
export type {
  AnyRemoteStation,
  ClaimResult,
  ClusterAdapter,
  ClusterEvent,
  ClusterEventBase,
  ClusterHost,
  ClusterUnavailableErrorInit,
  Delivery,
  Fleet,
  MemoryAdapterOptions,
  PresenceChange,
  RemoteCall,
  RemoteCallErrorInit,
  RemoteFailure,
  RemoteOutcome,
  StationNotConnectedErrorInit,
  StationRef,
} from './cluster/index';
export type {
  AnyStation,
  BootStatus,
  CentralSystemIncoming,
  CentralSystemOutgoing,
  CentralSystemSendActions,
  StationContextFields,
  StationHandler,
  StationHandlerContext,
} from './station';
