// Type tests of ocpp-sdk/testing: a station handle is typed by the station's version and by
// direction, like the classes it is built on. Compiled by `tsc --noEmit` (npm test), never run;
// every `@ts-expect-error` line must produce an error of its own.
import {
  BootAccepted,
  Booted,
  callError,
  CSMS_SCENARIOS,
  csmsStep,
  defineCsmsScenario,
  defineScenario,
  step,
  STATION_SCENARIOS,
  TestCentralSystem,
  TestChargePoint,
  type CsmsScenario,
  type Received,
  type Scenario,
} from '../../src/testing/index';
import type { OCPP16, OCPP201 } from '../../src/index';

type Equal<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;
function expectType<T extends true>(): T | undefined {
  return undefined;
}

export async function stationHandlesAreTypedByVersion(): Promise<void> {
  const csms = await TestCentralSystem.start({ protocols: ['ocpp1.6', 'ocpp2.0.1'] });
  const st16 = csms.station<'ocpp1.6'>('CP1');
  const st201 = csms.station<'ocpp2.0.1'>('CS1');

  // Expectations: the received request has the version's type.
  const boot = await st16.expectCall('BootNotification', { chargePointVendor: 'Acme' });
  expectType<Equal<typeof boot.request, OCPP16.BootNotificationRequest>>();
  void boot;
  const tx = await st201.expectCall('TransactionEvent', { eventType: 'Started' });
  expectType<Equal<typeof tx.request, OCPP201.TransactionEventRequest>>();
  void tx;
  // @ts-expect-error - a 2.0.1 action on a 1.6 station
  void st16.expectCall('TransactionEvent');
  // @ts-expect-error - sent by the central system, never received by it
  void st16.expectCall('RemoteStartTransaction');
  // @ts-expect-error - a field the request does not have
  void st16.expectCall('BootNotification', { vendorName: 'Acme' });
  // @ts-expect-error - a value of the wrong type
  void st201.expectCall('BootNotification', { reason: 42 });

  // Stubs and respond: partial responses of the action, functions of its request, CALLERRORs.
  st16.stub('BootNotification', { status: 'Pending', interval: 10 }, { times: 1 });
  st16.stub('Authorize', (req) => ({ idTagInfo: { status: req.idTag === 'BAD' ? 'Blocked' : 'Accepted' } }));
  st201.stub('TransactionEvent', callError('InternalError'), { times: 1 });
  st201.stub('Heartbeat', 'no-reply');
  // @ts-expect-error - not a status of BootNotification
  st16.stub('BootNotification', { status: 'Maybe' });
  // @ts-expect-error - a 1.6 response field on a 2.0.1 station
  st201.stub('Authorize', { idTagInfo: { status: 'Accepted' } });
  void st16.expectCall('StartTransaction', undefined, { respond: { transactionId: 42, idTagInfo: { status: 'Accepted' } } });

  // Lists: each item typed by its own action.
  const all: Received[] = await st16.expectAll([
    ['StartTransaction', { connectorId: 1 }, { respond: { transactionId: 1, idTagInfo: { status: 'Accepted' } } }],
    ['StatusNotification', { status: 'Charging' }],
  ]);
  void all;
  // @ts-expect-error - a 2.0.1 field in a 1.6 item
  void st16.expectOneOf([['StatusNotification', { connectorStatus: 'Available' }]]);

  // Calls: the actions the central system sends to that version, with their types.
  const reset = await st16.call('Reset', { type: 'Soft' });
  expectType<Equal<typeof reset.status, OCPP16.ResetResponse['status']>>();
  void reset;
  // @ts-expect-error - a 2.0.1 Reset type on a 1.6 station
  void st16.call('Reset', { type: 'Immediate' });
  // @ts-expect-error - sent by the station, not the central system
  void st201.call('BootNotification', { reason: 'PowerUp', chargingStation: { vendorName: 'V', model: 'M' } });
  await st201.call('SetVariables', { setVariableData: [] }, { validate: false });
  await csms.close();
}

export async function testChargePointsAreTypedByVersion(): Promise<void> {
  await using cp = await TestChargePoint.connect('ws://127.0.0.1:9220', 'CP1', { protocol: 'ocpp1.6' });
  const remote = await cp.expectCall('RemoteStartTransaction', { idTag: 'TAG1' }, { respond: { status: 'Accepted' } });
  expectType<Equal<typeof remote.request, OCPP16.RemoteStartTransactionRequest>>();
  void remote;
  // @ts-expect-error - a charge point sends BootNotification, never receives it
  void cp.expectCall('BootNotification');
  // @ts-expect-error - a 2.0.1 action
  void cp.call('TransactionEvent', {});
}

export function scenariosAreTypedByVersion(): Scenario[] {
  // A scenario of one version: its steps get that version's station handle.
  const only16 = defineScenario<'ocpp1.6'>({
    id: 'T16',
    title: 't',
    versions: ['ocpp1.6'],
    preconditions: [Booted],
    steps: [
      step('reset', async ({ station }) => {
        const r = await station.call('Reset', { type: 'Hard' });
        expectType<Equal<typeof r.status, OCPP16.ResetResponse['status']>>();
        void r;
        // @ts-expect-error - a 2.0.1 action on a 1.6 scenario's station
        await station.call('RequestStartTransaction', { remoteStartId: 1, idToken: { idToken: 'T', type: 'Central' } });
      }),
    ],
  });
  // @ts-expect-error - a version outside the scenario's
  defineScenario<'ocpp1.6'>({ id: 'X', title: 't', versions: ['ocpp2.0.1'], steps: [] });
  // Scenarios of different versions go into one list.
  return [only16, ...STATION_SCENARIOS];
}

export function csmsScenariosAreTypedByVersion(): CsmsScenario[] {
  // A CSMS scenario of one version: its steps get that version's charger, and the driver's
  // actions are typed without the identity (the context adds it).
  const only16 = defineCsmsScenario<'ocpp1.6'>({
    id: 'T16_CSMS',
    title: 't',
    versions: ['ocpp1.6'],
    preconditions: [BootAccepted],
    steps: [
      csmsStep('authorize', async (ctx) => {
        const r = await ctx.chargePoint.call('Authorize', { idTag: 'T' });
        expectType<Equal<typeof r.idTagInfo.status, OCPP16.AuthorizeResponse['idTagInfo']['status']>>();
        void r;
        await ctx.manual('remoteStart', 'T', 1);
        // @ts-expect-error - the identity is not given: the context adds it
        await ctx.manual('remoteStart', 'CP1', 'T', 1);
        // @ts-expect-error - a 2.0.1 action on a 1.6 scenario's charger
        await ctx.chargePoint.call('TransactionEvent', {});
      }),
    ],
  });
  // @ts-expect-error - a station scenario's state is no CSMS state
  defineCsmsScenario({ id: 'X', title: 't', versions: ['ocpp1.6'], preconditions: [Booted], steps: [] });
  return [only16, ...CSMS_SCENARIOS];
}
