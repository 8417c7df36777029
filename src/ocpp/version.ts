/**
 * The OCPP versions this SDK speaks, named by their WebSocket subprotocol: the one type every
 * layer above the core uses to say "which version".
 */

/** An OCPP version, named by its WebSocket subprotocol. */
export type OcppVersion = 'ocpp1.6' | 'ocpp2.0.1' | 'ocpp2.1';

/**
 * The versions a CentralSystem serves when `protocols` is not given ({@link DEFAULT_PROTOCOLS}):
 * the type a `new CentralSystem()` without `protocols` is typed by, as before 2.1 existed.
 */
export type DefaultOcppVersion = 'ocpp1.6' | 'ocpp2.0.1';

/** Every supported subprotocol, newest first. */
export const OCPP_PROTOCOLS: readonly OcppVersion[] = Object.freeze(['ocpp2.1', 'ocpp2.0.1', 'ocpp1.6']);

/**
 * The subprotocols a CentralSystem serves when its `protocols` option is not given, in its order
 * of preference. `ocpp2.1` is opt-in: listing it by default would change, silently, the version
 * existing central systems negotiate, and a charger offering 2.1 first would land on a version
 * whose handlers such a server never registered. Pass `protocols: OCPP_PROTOCOLS` to serve 2.1
 * first.
 */
export const DEFAULT_PROTOCOLS: readonly DefaultOcppVersion[] = Object.freeze(['ocpp2.0.1', 'ocpp1.6']);

/** True when `value` names a subprotocol this SDK speaks. */
export function isOcppVersion(value: unknown): value is OcppVersion {
  return value === 'ocpp1.6' || value === 'ocpp2.0.1' || value === 'ocpp2.1';
}
