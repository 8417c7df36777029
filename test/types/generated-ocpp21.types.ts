// Type tests for the generated ocpp2.1 types and action map, through the public door (the
// `OCPP21` namespace and `OCPP21ActionMap`). Compiled by `tsc --noEmit -p tsconfig.json`, never
// run: every `@ts-expect-error` line must produce an error.
import type { OCPP201, OCPP21, OCPP21ActionMap } from '../../src/index';
import { OCPP21_ACTIONS, OCPP21_SEND_ACTIONS } from '../../src/generated/ocpp21/actions';

/** Compile-time equality: resolves to true only when A and B are the same type. */
type Equal<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;
function expectType<T extends true>(): T | undefined {
  return undefined;
}

// --- message types -------------------------------------------------------------------------

// 2.1 IdTokenType.type is a string (IdTokenEnumStringType); 2.0.1's is an enum.
export const token21: OCPP21.IdTokenType = { idToken: 'x', type: 'VendorSpecific' };
// @ts-expect-error 2.0.1's IdTokenEnumType does not have this value
export const token201: OCPP201.IdTokenType = { idToken: 'x', type: 'VendorSpecific' };
// @ts-expect-error objects stay closed in 2.1
export const extraToken21: OCPP21.IdTokenType = { idToken: 'x', type: 'Local', vendorExtra: 1 };
export const custom21: OCPP21.CustomDataType = { vendorId: 'com.example', anything: [1] };

// The SEND payload keeps OCA's name: NotifyPeriodicEventStream, not ...Request.
export const stream: OCPP21.NotifyPeriodicEventStream = { id: 1, pending: 0, basetime: '2025-01-01T00:00:00Z', data: [{ t: 0, v: '1' }] };

// --- action map ------------------------------------------------------------------------------

expectType<Equal<OCPP21ActionMap['BatterySwap']['request'], OCPP21.BatterySwapRequest>>();
expectType<Equal<OCPP21ActionMap['BatterySwap']['sentBy'], 'ChargePoint'>>();
expectType<Equal<OCPP21ActionMap['SetDefaultTariff']['sentBy'], 'CentralSystem'>>();
expectType<Equal<OCPP21ActionMap['DataTransfer']['sentBy'], 'Both'>>();
expectType<
  Equal<
    OCPP21ActionMap['NotifyPeriodicEventStream'],
    { request: OCPP21.NotifyPeriodicEventStream; response: never; sentBy: 'ChargePoint'; messageType: 'SEND' }
  >
>();

/** The actions marked as travelling by SEND. */
type SendActions = { [A in keyof OCPP21ActionMap]: OCPP21ActionMap[A] extends { messageType: 'SEND' } ? A : never }[keyof OCPP21ActionMap];
expectType<Equal<SendActions, 'NotifyPeriodicEventStream'>>();
expectType<Equal<(typeof OCPP21_SEND_ACTIONS)[number], SendActions>>();
expectType<Equal<keyof typeof OCPP21_ACTIONS, keyof OCPP21ActionMap>>();

// @ts-expect-error NotifyPeriodicEventStream has no response type
export const noResponse: OCPP21ActionMap['NotifyPeriodicEventStream']['response'] = {};
// @ts-expect-error no such 2.1 action (1.6 only)
export type NoStartTransaction = OCPP21ActionMap['StartTransaction'];
