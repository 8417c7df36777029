// Type tests: both classes speak ocpp2.1, typed by version and direction like 2.0.1 (issue 14,
// deliverable 3). Compiled by `tsc --noEmit -p tsconfig.json`, never run; every
// `@ts-expect-error` sits on the one line that must fail, with a payload that is otherwise valid.
import { CentralSystem, ChargePoint, DEFAULT_PROTOCOLS, OCPP_PROTOCOLS } from '../../src/index';
import type {
  AnyStation,
  CentralSystemIncoming,
  CentralSystemOutgoing,
  CentralSystemSendActions,
  ChargePointIncoming,
  ChargePointOutgoing,
  ChargePointSendActions,
  DefaultOcppVersion,
  OCPP21,
  OcppVersion,
  Station,
} from '../../src/index';

type Equal<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;
function expectType<T extends true>(): T | undefined {
  return undefined;
}

const url = 'ws://127.0.0.1:9220/ocpp';
const stream: OCPP21.NotifyPeriodicEventStream = { id: 1, pending: 0, basetime: '2025-01-01T00:00:00Z', data: [{ t: 0, v: '1' }] };
const idToken: OCPP21.IdTokenType = { idToken: 'T', type: 'ISO14443' };

// --- the version list and the default -------------------------------------------------------
expectType<Equal<OcppVersion, 'ocpp1.6' | 'ocpp2.0.1' | 'ocpp2.1'>>();
expectType<Equal<DefaultOcppVersion, 'ocpp1.6' | 'ocpp2.0.1'>>();
expectType<Equal<typeof OCPP_PROTOCOLS, readonly OcppVersion[]>>();
expectType<Equal<typeof DEFAULT_PROTOCOLS, readonly DefaultOcppVersion[]>>();

export function serversAndTheirVersions(): void {
  // Without `protocols`, 2.1 is not served, and the type says so (as before 2.1 existed).
  const _byDefault = new CentralSystem();
  expectType<Equal<typeof _byDefault, CentralSystem<'ocpp1.6' | 'ocpp2.0.1'>>>();
  // @ts-expect-error a server that does not list ocpp2.1 has no 2.1 handlers
  _byDefault.handle('ocpp2.1', 'Heartbeat', () => ({ currentTime: '2025-01-01T00:00:00Z' }));
  // Opting in: every version, 2.1 first.
  const all = new CentralSystem({ protocols: OCPP_PROTOCOLS });
  expectType<Equal<typeof all, CentralSystem<OcppVersion>>>();
  all.on('connection', (station) => {
    expectType<Equal<typeof station, AnyStation<OcppVersion>>>();
    if (station.protocol === 'ocpp2.1') {
      expectType<Equal<typeof station, Station<'ocpp2.1'>>>();
      void station.call('SetDefaultTariff', { evseId: 0, tariff: { tariffId: 't1', currency: 'EUR' } });
    }
  });
}

// --- the central-system side of a 2.1 station -------------------------------------------------
export function stationSide(): void {
  const cs = new CentralSystem({ protocols: ['ocpp2.1'] });
  expectType<Equal<typeof cs, CentralSystem<'ocpp2.1'>>>();
  cs.handle('ocpp2.1', 'BootNotification', (_req, _ctx) => {
    expectType<Equal<typeof _req, OCPP21.BootNotificationRequest>>();
    expectType<Equal<typeof _ctx.station, Station<'ocpp2.1'>>>();
    expectType<Equal<typeof _ctx.protocol, 'ocpp2.1'>>();
    return { status: 'Accepted', currentTime: '2025-01-01T00:00:00Z', interval: 300 };
  });
  // A 2.1-only action the station sends.
  cs.handle('ocpp2.1', 'BatterySwap', (_req) => {
    expectType<Equal<typeof _req, OCPP21.BatterySwapRequest>>();
    return {};
  });
  // @ts-expect-error the CSMS sends RequestBatterySwap, it never receives it
  cs.handle('ocpp2.1', 'RequestBatterySwap', () => ({ status: 'Accepted' }));
  // @ts-expect-error a SEND-only action has no CALL handler (its SEND handler comes with SEND itself)
  cs.handle('ocpp2.1', 'NotifyPeriodicEventStream', () => ({}));
  // @ts-expect-error the answer must be a 2.1 BootNotificationResponse
  cs.handle('ocpp2.1', 'BootNotification', () => ({ status: 'Accepted', currentTime: '2025-01-01T00:00:00Z' }));
  // @ts-expect-error 1.6 actions do not exist in 2.1
  cs.handle('ocpp2.1', 'StartTransaction', () => ({ transactionId: 1, idTagInfo: { status: 'Accepted' } }));

  cs.on('connection', (station) => {
    expectType<Equal<typeof station, Station<'ocpp2.1'>>>();
    void station.call('RequestBatterySwap', { idToken, requestId: 1 });
    void station.call('Reset', { type: 'Immediate' });
    // @ts-expect-error BatterySwap is sent by the station, never by the CSMS
    void station.call('BatterySwap', { batteryData: [], eventType: 'BatteryIn', idToken, requestId: 1 });
    // @ts-expect-error NotifyPeriodicEventStream is the station's, and travels as a SEND anyway
    void station.call('NotifyPeriodicEventStream', stream);
  });
}

// --- the ChargePoint side ------------------------------------------------------------------------
export async function chargePointSide(): Promise<void> {
  const cp = new ChargePoint({ url, identity: 'CS21', protocol: 'ocpp2.1' });
  expectType<Equal<typeof cp, ChargePoint<'ocpp2.1'>>>();
  const _boot = await cp.boot({ reason: 'PowerUp', chargingStation: { model: 'M', vendorName: 'V' } });
  expectType<Equal<typeof _boot, OCPP21.BootNotificationResponse>>();
  const _swap = await cp.call('BatterySwap', { batteryData: [], eventType: 'BatteryIn', idToken, requestId: 1 });
  expectType<Equal<typeof _swap, OCPP21.BatterySwapResponse>>();
  const _beat = await cp.call('Heartbeat', {});
  expectType<Equal<typeof _beat, OCPP21.HeartbeatResponse>>();
  // The SEND-only action is not callable with call(), in the direction that sends it.
  // @ts-expect-error NotifyPeriodicEventStream travels as a SEND (message type 6), never as a CALL
  await cp.call('NotifyPeriodicEventStream', stream);
  // @ts-expect-error RequestBatterySwap is the CSMS's
  await cp.call('RequestBatterySwap', { idToken, requestId: 1 });
  cp.handle('RequestBatterySwap', (_req) => {
    expectType<Equal<typeof _req, OCPP21.RequestBatterySwapRequest>>();
    return { status: 'Accepted' };
  });
  cp.handle('SetDefaultTariff', () => ({ status: 'Accepted' }));
}

// --- the maps by direction -----------------------------------------------------------------------
type Has<M, A extends string> = A extends keyof M ? true : false;
expectType<Equal<Has<ChargePointOutgoing<'ocpp2.1'>, 'NotifyPeriodicEventStream'>, false>>();
expectType<Equal<Has<ChargePointIncoming<'ocpp2.1'>, 'NotifyPeriodicEventStream'>, false>>();
expectType<Equal<Has<CentralSystemOutgoing<'ocpp2.1'>, 'NotifyPeriodicEventStream'>, false>>();
// The CSMS handles the station's SENDs: NotifyPeriodicEventStream is incoming, answered by nothing.
expectType<Equal<Has<CentralSystemIncoming<'ocpp2.1'>, 'NotifyPeriodicEventStream'>, true>>();
expectType<Equal<CentralSystemIncoming<'ocpp2.1'>['NotifyPeriodicEventStream']['response'], void>>();
expectType<Equal<Has<ChargePointSendActions<'ocpp2.1'>, 'NotifyPeriodicEventStream'>, true>>();
expectType<Equal<keyof CentralSystemSendActions<'ocpp2.1'>, never>>();
expectType<Equal<keyof ChargePointSendActions<'ocpp2.0.1'>, never>>();
expectType<Equal<keyof ChargePointSendActions<'ocpp1.6'>, never>>();
expectType<Equal<Has<ChargePointOutgoing<'ocpp2.1'>, 'BatterySwap'>, true>>();
expectType<Equal<Has<ChargePointOutgoing<'ocpp2.0.1'>, 'BatterySwap'>, false>>();
expectType<Equal<Has<CentralSystemOutgoing<'ocpp2.1'>, 'SetDefaultTariff'>, true>>();
expectType<Equal<Has<ChargePointOutgoing<'ocpp2.1'>, 'DataTransfer'>, true>>();
expectType<Equal<Has<CentralSystemOutgoing<'ocpp2.1'>, 'DataTransfer'>, true>>();
// 90 CALL actions: 91 less the one SEND-only action.
type CountOf<U, Acc extends unknown[] = []> = [U] extends [never] ? Acc['length'] : CountOf<Exclude<U, LastOf<U>>, [...Acc, 1]>;
type LastOf<U> = (U extends unknown ? (x: () => U) => void : never) extends (x: infer L) => void ? (L extends () => infer R ? R : never) : never;
expectType<Equal<CountOf<keyof ChargePointOutgoing<'ocpp2.1'> | keyof CentralSystemOutgoing<'ocpp2.1'>>, 90>>();
