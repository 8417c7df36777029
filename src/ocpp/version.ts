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
 * of preference. `ocpp2.1` is opt-in for now: the SDK does not yet speak 2.1's message types 5
 * (CALLRESULTERROR) and 6 (SEND), so a charger that offers both `ocpp2.1` and `ocpp2.0.1` is
 * better served on 2.0.1, which is complete, than on a 2.1 whose NotifyPeriodicEventStream
 * SENDs would be dropped. Listing it by default would also change, silently, the version
 * existing central systems negotiate. Pass `protocols: OCPP_PROTOCOLS` to serve 2.1 first.
 */
export const DEFAULT_PROTOCOLS: readonly DefaultOcppVersion[] = Object.freeze(['ocpp2.0.1', 'ocpp1.6']);

/** True when `value` names a subprotocol this SDK speaks. */
export function isOcppVersion(value: unknown): value is OcppVersion {
  return value === 'ocpp1.6' || value === 'ocpp2.0.1' || value === 'ocpp2.1';
}
