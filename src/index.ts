/**
 * ocpp-sdk: typed OCPP-J 1.6 and 2.0.1 for TypeScript.
 *
 * The one public door for Node. It is the browser door (`./browser`, whose explicit list holds
 * everything that runs on standard globals: the core, validation, the ChargePoint) plus the
 * server side, listed here. `test/unit/exports.test.ts` pins the names, so a change to the
 * surface is a visible decision.
 *
 * @packageDocumentation
 */
export * from './browser';
export {
  CentralSystem,
  DEFAULT_COMPRESSION,
  DEFAULT_DUPLICATE_IDENTITY,
  DEFAULT_SECURITY_PROFILE,
  ListenError,
} from './central-system';
export { LocalStationRegistry } from './station-registry';
export { Station } from './station';
export { parseBasicAuth, safeEqual } from './transport/basic-auth';

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

