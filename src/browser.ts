/**
 * ocpp-sdk for browsers: the client half of the public door.
 *
 * Why a second entry: `src/index.ts` also exports the CentralSystem, which is built on
 * `node:http`/`node:https` and `ws`. A bundler targeting browsers that starts from that file has
 * to find, stub or polyfill those modules even when the page only uses a ChargePoint. This entry
 * re-exports everything from `src/index.ts` that runs on standard globals alone (the framing
 * core, errors, validation, action tables, rules, the ChargePoint with its offline queue and
 * back-off, and every type they use) and leaves out what serves stations: CentralSystem,
 * Station, LocalStationRegistry and the server-side Basic-auth checks.
 *
 * Users do not import this file by name: the package's `exports` map has a `browser` condition
 * that points bundlers (esbuild, Vite, webpack, Rollup with `browser: true`) at its build,
 * `dist/browser/index.mjs`. There, `isomorphic-ws` resolves to its `browser.js`, the global
 * WebSocket.
 *
 * In a browser a ChargePoint cannot send HTTP headers, so it cannot do Basic auth (security
 * profiles 1 and 2): a `password` option throws a TypeError at construction. TLS comes from the
 * page's trust store, so the `tls` option has no effect there either.
 *
 * Keep this list in step with `src/index.ts`: `test/browser/browser.test.ts` fails when a value
 * exported there is neither exported here nor listed as server-only.
 *
 * @packageDocumentation
 */
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
