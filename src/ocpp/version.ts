/**
 * The OCPP versions this SDK speaks, named by their WebSocket subprotocol: the one type every
 * layer above the core uses to say "which version".
 */

/** An OCPP version, named by its WebSocket subprotocol. */
export type OcppVersion = 'ocpp1.6' | 'ocpp2.0.1';

/** Every supported subprotocol, in this SDK's default order of preference (newest first). */
export const OCPP_PROTOCOLS: readonly OcppVersion[] = Object.freeze(['ocpp2.0.1', 'ocpp1.6']);

/** True when `value` names a subprotocol this SDK speaks. */
export function isOcppVersion(value: unknown): value is OcppVersion {
  return value === 'ocpp1.6' || value === 'ocpp2.0.1';
}
