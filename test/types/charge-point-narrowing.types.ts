// Type tests: a ChargePoint whose version comes from configuration (issue 11 item 6). Compiled by
// `tsc --noEmit -p tsconfig.json`, never run. Every `@ts-expect-error` sits on the line that must
// fail, so that a different mistake nearby cannot satisfy it.
//
// The patterns proven here: `ChargePoint.create()` gives an AnyChargePoint that narrows on
// `protocol`; a generic helper over `V` can call the actions both versions share; a helper that
// takes an AnyChargePoint narrows before using version-specific actions.
import { ChargePoint } from '../../src/charge-point';
import type { AnyChargePoint, CommonChargePointAction, CommonRequest } from '../../src/charge-point';
import { NotConnectedError } from '../../src/charge-point';
import type { OCPP16, OCPP201, OCPP21, OcppVersion } from '../../src/index';

type Equal<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;
function expectType<T extends true>(): T | undefined {
  return undefined;
}

const url = 'ws://127.0.0.1:9220/ocpp';
declare const config: { version: string };
const version = config.version as OcppVersion;

// --- the union and its narrowing ----------------------------------------------------------------
export function fromConfiguration(): void {
  const cp = ChargePoint.create({ url, identity: 'CP1', protocol: version });
  expectType<Equal<typeof cp, ChargePoint<'ocpp1.6'> | ChargePoint<'ocpp2.0.1'> | ChargePoint<'ocpp2.1'>>>();
  expectType<Equal<typeof cp, AnyChargePoint>>();

  // Version-specific actions need the version: not callable on the union.
  // @ts-expect-error handle differs per version: narrow on cp.protocol first
  cp.handle('Reset', () => ({ status: 'Accepted' }));

  if (cp.protocol === 'ocpp1.6') {
    expectType<Equal<typeof cp, ChargePoint<'ocpp1.6'>>>();
    cp.handle('Reset', (_request) => {
      expectType<Equal<typeof _request, OCPP16.ResetRequest>>();
      return { status: 'Accepted' };
    });
    void cp.call('BootNotification', { chargePointVendor: 'V', chargePointModel: 'M' });
    // @ts-expect-error a 1.6 charge point has no TransactionEvent
    void cp.call('TransactionEvent', {});
  } else if (cp.protocol === 'ocpp2.0.1') {
    expectType<Equal<typeof cp, ChargePoint<'ocpp2.0.1'>>>();
    cp.handle('Reset', (_request) => {
      expectType<Equal<typeof _request, OCPP201.ResetRequest>>();
      return { status: 'Accepted' };
    });
    void cp.boot({ reason: 'PowerUp', chargingStation: { model: 'M', vendorName: 'V' } });
    // @ts-expect-error a 2.0.1 station has no StartTransaction
    void cp.call('StartTransaction', {});
  } else {
    expectType<Equal<typeof cp, ChargePoint<'ocpp2.1'>>>();
    cp.handle('Reset', (_request) => {
      expectType<Equal<typeof _request, OCPP21.ResetRequest>>();
      return { status: 'Accepted' };
    });
    void cp.boot({ reason: 'PowerUp', chargingStation: { model: 'M', vendorName: 'V' } });
    // @ts-expect-error a 2.1 station has no StartTransaction either
    void cp.call('StartTransaction', {});
    // @ts-expect-error NotifyPeriodicEventStream travels as a SEND, never as a CALL
    void cp.call('NotifyPeriodicEventStream', { id: 1, pending: 0, basetime: '2025-01-01T00:00:00Z', data: [{ t: 0, v: '1' }] });
  }

  // A switch narrows the same way.
  switch (cp.protocol) {
    case 'ocpp1.6':
      void cp.boot({ chargePointVendor: 'V', chargePointModel: 'M' });
      break;
    case 'ocpp2.0.1':
      // @ts-expect-error the 1.6 BootNotification shape is not a 2.0.1 one
      void cp.boot({ chargePointVendor: 'V', chargePointModel: 'M' });
      break;
    case 'ocpp2.1':
      // @ts-expect-error nor a 2.1 one
      void cp.boot({ chargePointVendor: 'V', chargePointModel: 'M' });
      break;
  }

  // With a literal, create() is what `new` gives.
  const _literal = ChargePoint.create({ url, identity: 'CP2', protocol: 'ocpp2.0.1' });
  expectType<Equal<typeof _literal, ChargePoint<'ocpp2.0.1'>>>();
  // `new` with a union keeps the old, non-narrowing ChargePoint<OcppVersion>.
  const _loose = new ChargePoint({ url, identity: 'CP3', protocol: version });
  expectType<Equal<typeof _loose, ChargePoint<OcppVersion>>>();
}

// --- actions every version shares --------------------------------------------------------------
// 1.6's security-extension actions have the 2.0.1 shapes, and 2.1 kept them: common too.
type Expected = 'DataTransfer' | 'FirmwareStatusNotification' | 'Heartbeat' | 'LogStatusNotification' | 'SecurityEventNotification' | 'SignCertificate';
expectType<Equal<CommonChargePointAction, Expected>>();
// The common DataTransfer request: the fields both versions have, `data` a string (1.6's type).
export const commonData: CommonRequest<'DataTransfer'> = { vendorId: 'v', messageId: 'm', data: 'text' };
// @ts-expect-error vendorId is required in both versions
export const noVendor: CommonRequest<'DataTransfer'> = { data: 'text' };

/** A generic helper over V: the common actions are callable without knowing V. */
export async function heartbeat<V extends OcppVersion>(cp: ChargePoint<V>): Promise<string> {
  const answer = await cp.call('Heartbeat', {});
  await cp.call('DataTransfer', { vendorId: 'com.example', messageId: 'ping', data: 'x' });
  await cp.call('FirmwareStatusNotification', { status: 'Installed' });
  // @ts-expect-error BootNotification differs between the versions: not callable without V
  await cp.call('BootNotification', { chargePointVendor: 'V', chargePointModel: 'M' });
  // @ts-expect-error only the statuses both versions know
  await cp.call('FirmwareStatusNotification', { status: 'InstallRebooting' });
  // @ts-expect-error DataTransfer's data must be valid in both versions (a string, for 1.6)
  await cp.call('DataTransfer', { vendorId: 'com.example', data: 42 });
  return answer.currentTime;
}

/** A helper over AnyChargePoint passes it on to generic code, and narrows for the rest. */
export async function keepAlive(cp: AnyChargePoint): Promise<string> {
  const time = await heartbeat(cp);
  if (cp.protocol === 'ocpp2.0.1') await cp.call('Heartbeat', { customData: { vendorId: 'com.example' } });
  return time;
}

// --- a known version keeps its own types -----------------------------------------------------------
export async function ownTypes(): Promise<void> {
  const cs = new ChargePoint({ url, identity: 'CS1', protocol: 'ocpp2.0.1' });
  const _answer = await cs.call('Heartbeat', { customData: { vendorId: 'com.example' } });
  expectType<Equal<typeof _answer, OCPP201.HeartbeatResponse>>();
  const _data = await cs.call('DataTransfer', { vendorId: 'v', data: { any: ['json'] } });
  expectType<Equal<typeof _data, OCPP201.DataTransferResponse>>();
  const cp = new ChargePoint({ url, identity: 'CP1', protocol: 'ocpp1.6' });
  const _beat = await cp.call('Heartbeat', {});
  expectType<Equal<typeof _beat, OCPP16.HeartbeatResponse>>();
  // @ts-expect-error a 1.6 DataTransfer's data is a string
  await cp.call('DataTransfer', { vendorId: 'v', data: { any: ['json'] } });
}

// --- NotConnectedError takes one init object ---------------------------------------------------
new NotConnectedError({ action: 'Heartbeat', state: 'closed' });
// @ts-expect-error the (action, state) arguments are gone
new NotConnectedError('Heartbeat', 'closed');
