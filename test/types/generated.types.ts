// Type tests for the generated types and the role-typed action maps. Compiled by
// `tsc --noEmit -p tsconfig.json` (part of `npm test`), never run: every `@ts-expect-error`
// line must produce an error, or the compile fails with "Unused '@ts-expect-error' directive".
import type { OCPP16ActionMap } from '../../src/generated/ocpp16/actions';
import type * as V16 from '../../src/generated/ocpp16/types';
import type { OCPP201ActionMap } from '../../src/generated/ocpp201/actions';
import type * as V201 from '../../src/generated/ocpp201/types';
import type { ActionMapOf, IncomingActions, OutgoingActions } from '../../src/ocpp/actions';

/** Compile-time equality: resolves to true only when A and B are the same type. */
type Equal<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;
function expectType<T extends true>(): T | undefined {
  return undefined;
}

// --- generated message types --------------------------------------------------------------

export const boot16: V16.BootNotificationRequest = { chargePointVendor: 'ABB', chargePointModel: 'Terra AC', iccid: '8949' };

// @ts-expect-error chargePointModel must be a string
export const wrongType16: V16.BootNotificationRequest = { chargePointVendor: 'ABB', chargePointModel: 42 };

// @ts-expect-error chargePointModel is required
export const missing16: V16.BootNotificationRequest = { chargePointVendor: 'ABB' };

// @ts-expect-error objects are closed (additionalProperties: false): no extra property in a literal
export const extra16: V16.BootNotificationRequest = { chargePointVendor: 'ABB', chargePointModel: 'M', vendorExtra: 1 };

// Enums are string-literal unions, with the 1.6 spec's class names.
export const unit: V16.UnitOfMeasure = 'Celsius';
export const misspeltUnit: V16.UnitOfMeasure = 'Celcius';
// @ts-expect-error not a unit of the 1.6 schema
export const badUnit: V16.UnitOfMeasure = 'Hz';
export const sampled16: V16.SampledValue = { value: '1', measurand: 'Energy.Active.Import.Register', unit: 'Wh' };
export const status16: V16.RegistrationStatus = 'Accepted';

// 2.0.1 shared types are declared once and reused.
export const token: V201.IdTokenType = { idToken: '04E8A1B2', type: 'ISO14443' };
export const auth201: V201.AuthorizeRequest = { idToken: token };
export const sampled201: V201.SampledValueType = { value: 1.5, measurand: 'Voltage', phase: 'L1-N' };
// @ts-expect-error 2.0.1 sampled values are numbers
export const sampledString201: V201.SampledValueType = { value: '1.5' };
// customData is open: vendor properties are allowed next to vendorId.
export const custom: V201.CustomDataType = { vendorId: 'com.example', firmwareBuild: 42, nested: { any: true } };
// @ts-expect-error vendorId is required in customData
export const customWithoutVendor: V201.CustomDataType = { firmwareBuild: 42 };
// @ts-expect-error every other 2.0.1 object is closed
export const extraToken: V201.IdTokenType = { idToken: 'x', type: 'Local', vendorExtra: 1 };

// 2.0.1 DataTransfer data is any JSON value (the schema gives it no type); 1.6 data is a string.
export const dt201: V201.DataTransferRequest[] = [
  { vendorId: 'com.example', data: 'text' },
  { vendorId: 'com.example', data: [1, 2] },
  { vendorId: 'com.example', data: { any: 'object' } },
];
export const dt16: V16.DataTransferRequest = { vendorId: 'com.example', data: '{"json":"in a string"}' };
// @ts-expect-error 1.6 data is a string
export const dt16Object: V16.DataTransferRequest = { vendorId: 'com.example', data: { any: 'object' } };

// --- action maps -------------------------------------------------------------------------

expectType<Equal<OCPP16ActionMap['BootNotification']['request'], V16.BootNotificationRequest>>();
expectType<Equal<OCPP16ActionMap['DataTransfer']['sentBy'], 'Both'>>();
expectType<Equal<OCPP201ActionMap['RequestStartTransaction']['sentBy'], 'CentralSystem'>>();
expectType<Equal<ActionMapOf<'ocpp1.6'>, OCPP16ActionMap>>();
expectType<Equal<ActionMapOf<'ocpp2.0.1'>, OCPP201ActionMap>>();

// @ts-expect-error TransactionEvent is not a 1.6 action
export type NoSuchAction16 = OCPP16ActionMap['TransactionEvent'];
// @ts-expect-error action names are case-sensitive
export type LowerCase201 = OCPP201ActionMap['bootNotification'];

// --- role-typed views --------------------------------------------------------------------

type CpOut16 = OutgoingActions<'ocpp1.6', 'ChargePoint'>;
type CpIn201 = IncomingActions<'ocpp2.0.1', 'ChargePoint'>;
type CsOut201 = OutgoingActions<'ocpp2.0.1', 'CentralSystem'>;

expectType<Equal<CpOut16['BootNotification'], { request: V16.BootNotificationRequest; response: V16.BootNotificationResponse }>>();
expectType<Equal<CpOut16['DataTransfer']['request'], V16.DataTransferRequest>>();
// @ts-expect-error a Charge Point does not send Reset
export type CpSendsReset = CpOut16['Reset'];

expectType<Equal<CpIn201['RequestStartTransaction']['response'], V201.RequestStartTransactionResponse>>();
expectType<Equal<CpIn201['DataTransfer']['request'], V201.DataTransferRequest>>();
// @ts-expect-error a Charging Station does not receive BootNotification
export type CpReceivesBoot = CpIn201['BootNotification'];

// Incoming for one role is outgoing for the other.
expectType<Equal<CpIn201, CsOut201>>();
expectType<Equal<keyof OutgoingActions<'ocpp1.6', 'CentralSystem'> & 'Heartbeat', never>>();
// 13 + 1 actions a 1.6 Charge Point may send: a sample of the key set.
expectType<Equal<Extract<keyof CpOut16, 'Heartbeat' | 'Reset' | 'SignCertificate' | 'GetLog'>, 'Heartbeat' | 'SignCertificate'>>();

// A handler typed from the map must return the response shape.
export const handleBoot: (req: CpOut16['BootNotification']['request']) => CpOut16['BootNotification']['response'] = () => ({
  status: 'Accepted',
  currentTime: '2024-05-01T12:00:00Z',
  interval: 300,
});
// @ts-expect-error wrong response shape: status is not a RegistrationStatus
export const badHandler: (req: V16.BootNotificationRequest) => CpOut16['BootNotification']['response'] = () => ({ status: 'OK', currentTime: '', interval: 1 });
