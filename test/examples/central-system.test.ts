/**
 * examples/central-system.ts: the demo CSMS answers every action a 1.6 or 2.0.1 charger may send,
 * the same for 2.1 (plus its tariffs, periodic event streams and CALLRESULTERRORs), with responses the SDK's strict validation accepts (an invalid one would reject
 * the call), and with the right content; boot gating, isAccepted and compression are on;
 * transactions belong to the station that started them (another station's meter values or stop
 * change nothing, nor does a second stop); the script itself runs, logs and shuts down cleanly
 * on SIGTERM.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { WebSocket } from 'ws';
import {
  ChargePoint,
  NotSupportedError,
  OCPP16_ACTIONS,
  OCPP201_ACTIONS,
  SecurityError,
  type CentralSystem,
  type ChargePointOutgoing,
  type DefaultOcppVersion,
  type OCPP21,
  type OcppVersion,
} from '../../src/index';
import {
  createDemoCentralSystem,
  CsmsState,
  DEMO_PATH,
  DEMO_TARIFF,
  DEMO_TARIFF_ID_TAGS,
  DEMO_VENDOR_ID,
  type CsmsEvents,
} from '../../examples/central-system';
import { spawnExample } from './helpers';

const ts = (): string => new Date().toISOString();

/** A valid request for every action, given what earlier calls returned. */
type Samples<V extends DefaultOcppVersion> = { [A in keyof ChargePointOutgoing<V>]: (ctx: { transactionId: number }) => ChargePointOutgoing<V>[A]['request'] };

const SAMPLES_16: Samples<'ocpp1.6'> = {
  BootNotification: () => ({ chargePointVendor: 'Acme', chargePointModel: 'T-16', firmwareVersion: '2.1.0' }),
  StatusNotification: () => ({ connectorId: 1, errorCode: 'NoError', status: 'Available' }),
  Authorize: () => ({ idTag: 'TAG-001' }),
  StartTransaction: () => ({ connectorId: 1, idTag: 'TAG-001', meterStart: 100, timestamp: ts() }),
  MeterValues: ({ transactionId }) => ({ connectorId: 1, transactionId, meterValue: [{ timestamp: ts(), sampledValue: [{ value: '0.3', unit: 'kWh' }] }] }),
  StopTransaction: ({ transactionId }) => ({ transactionId, meterStop: 500, timestamp: ts(), idTag: 'TAG-001', reason: 'Local' }),
  Heartbeat: () => ({}),
  DataTransfer: () => ({ vendorId: DEMO_VENDOR_ID, messageId: 'Echo', data: 'hello' }),
  DiagnosticsStatusNotification: () => ({ status: 'Uploaded' }),
  FirmwareStatusNotification: () => ({ status: 'Installed' }),
  LogStatusNotification: () => ({ status: 'Uploaded', requestId: 1 }),
  SecurityEventNotification: () => ({ type: 'FirmwareUpdated', timestamp: ts(), techInfo: 'v2.1.0' }),
  SignCertificate: () => ({ csr: '-----BEGIN CERTIFICATE REQUEST-----\nMIIB\n-----END CERTIFICATE REQUEST-----' }),
  SignedFirmwareStatusNotification: () => ({ status: 'SignatureVerified', requestId: 1 }),
};

const SAMPLES_201: Samples<'ocpp2.0.1'> = {
  BootNotification: () => ({ reason: 'PowerUp', chargingStation: { model: 'T-201', vendorName: 'Acme', firmwareVersion: '2.1.0' } }),
  StatusNotification: () => ({ timestamp: ts(), connectorStatus: 'Available', evseId: 1, connectorId: 1 }),
  Authorize: () => ({ idToken: { idToken: 'TAG-001', type: 'ISO14443' } }),
  TransactionEvent: () => ({
    eventType: 'Started',
    timestamp: ts(),
    triggerReason: 'Authorized',
    seqNo: 0,
    transactionInfo: { transactionId: 'TX-201' },
    idToken: { idToken: 'TAG-001', type: 'ISO14443' },
    evse: { id: 1, connectorId: 1 },
    meterValue: [{ timestamp: ts(), sampledValue: [{ value: 100, measurand: 'Energy.Active.Import.Register' }] }],
  }),
  MeterValues: () => ({ evseId: 1, meterValue: [{ timestamp: ts(), sampledValue: [{ value: 0.1, unitOfMeasure: { unit: 'kWh' } }] }] }),
  Heartbeat: () => ({}),
  DataTransfer: () => ({ vendorId: DEMO_VENDOR_ID, messageId: 'Echo', data: { any: ['json', 1] } }),
  ClearedChargingLimit: () => ({ chargingLimitSource: 'EMS', evseId: 1 }),
  FirmwareStatusNotification: () => ({ status: 'Installed', requestId: 1 }),
  Get15118EVCertificate: () => ({ iso15118SchemaVersion: 'urn:iso:15118:2:2013:MsgDef', action: 'Install', exiRequest: 'AAECAw==' }),
  GetCertificateStatus: () => ({
    ocspRequestData: {
      hashAlgorithm: 'SHA256',
      issuerNameHash: 'a'.repeat(64),
      issuerKeyHash: 'b'.repeat(64),
      serialNumber: '01',
      responderURL: 'http://ocsp.example.com',
    },
  }),
  LogStatusNotification: () => ({ status: 'Uploaded', requestId: 1 }),
  NotifyChargingLimit: () => ({ chargingLimit: { chargingLimitSource: 'SO', isGridCritical: false }, evseId: 1 }),
  NotifyCustomerInformation: () => ({ data: 'no data held', seqNo: 0, generatedAt: ts(), requestId: 1 }),
  NotifyDisplayMessages: () => ({ requestId: 1, messageInfo: [{ id: 1, priority: 'NormalCycle', message: { format: 'UTF8', content: 'Hello' } }] }),
  NotifyEVChargingNeeds: () => ({
    evseId: 1,
    chargingNeeds: {
      requestedEnergyTransfer: 'AC_three_phase',
      acChargingParameters: { energyAmount: 20_000, evMinCurrent: 6, evMaxCurrent: 32, evMaxVoltage: 400 },
    },
  }),
  NotifyEVChargingSchedule: () => ({
    timeBase: ts(),
    evseId: 1,
    chargingSchedule: { id: 1, chargingRateUnit: 'A', chargingSchedulePeriod: [{ startPeriod: 0, limit: 16 }] },
  }),
  NotifyEvent: () => ({
    generatedAt: ts(),
    seqNo: 0,
    eventData: [
      {
        eventId: 1,
        timestamp: ts(),
        trigger: 'Alerting',
        actualValue: 'Faulted',
        component: { name: 'Connector', evse: { id: 1, connectorId: 1 } },
        variable: { name: 'AvailabilityState' },
        eventNotificationType: 'HardWiredNotification',
      },
    ],
  }),
  NotifyMonitoringReport: () => ({
    requestId: 1,
    seqNo: 0,
    generatedAt: ts(),
    monitor: [
      {
        component: { name: 'EVSE', evse: { id: 1 } },
        variable: { name: 'Power' },
        variableMonitoring: [{ id: 1, transaction: false, value: 22_000, type: 'UpperThreshold', severity: 5 }],
      },
    ],
  }),
  NotifyReport: () => ({
    requestId: 1,
    generatedAt: ts(),
    seqNo: 0,
    reportData: [
      {
        component: { name: 'OCPPCommCtrlr' },
        variable: { name: 'HeartbeatInterval' },
        variableAttribute: [{ type: 'Actual', value: '300', mutability: 'ReadWrite' }],
      },
    ],
  }),
  PublishFirmwareStatusNotification: () => ({ status: 'Published', location: ['http://192.168.1.10/fw.bin'], requestId: 1 }),
  ReportChargingProfiles: () => ({
    requestId: 1,
    chargingLimitSource: 'CSO',
    evseId: 1,
    chargingProfile: [
      {
        id: 1,
        stackLevel: 0,
        chargingProfilePurpose: 'TxDefaultProfile',
        chargingProfileKind: 'Relative',
        chargingSchedule: [{ id: 1, chargingRateUnit: 'A', chargingSchedulePeriod: [{ startPeriod: 0, limit: 32 }] }],
      },
    ],
  }),
  ReservationStatusUpdate: () => ({ reservationId: 1, reservationUpdateStatus: 'Expired' }),
  SecurityEventNotification: () => ({ type: 'FirmwareUpdated', timestamp: ts() }),
  SignCertificate: () => ({
    csr: '-----BEGIN CERTIFICATE REQUEST-----\nMIIB\n-----END CERTIFICATE REQUEST-----',
    certificateType: 'ChargingStationCertificate',
  }),
};

/** 2.1 requires `eventNotificationType` in each monitor, which 2.0.1 does not have. */
const NOTIFY_MONITORING_REPORT_21: OCPP21.NotifyMonitoringReportRequest = {
  requestId: 1,
  seqNo: 0,
  generatedAt: ts(),
  monitor: [
    {
      component: { name: 'EVSE', evse: { id: 1 } },
      variable: { name: 'Power' },
      variableMonitoring: [{ id: 1, transaction: false, value: 22_000, type: 'UpperThreshold', severity: 5, eventNotificationType: 'CustomMonitor' }],
    },
  ],
};

/** The actions a charger may send in a version, from the generated tables. */
function chargerActions(table: Readonly<Record<string, string>>): string[] {
  return Object.keys(table)
    .filter((a) => table[a] === 'ChargePoint' || table[a] === 'Both')
    .sort();
}

async function start(state: CsmsState): Promise<{ cs: CentralSystem<OcppVersion>; url: string }> {
  const cs = createDemoCentralSystem({ state, log: false, heartbeatIntervalSec: 120, callTimeoutMs: 2000 });
  const { port } = await cs.listen({ port: 0, host: '127.0.0.1' });
  return { cs, url: `ws://127.0.0.1:${port}${DEMO_PATH}` };
}

describe('examples/central-system.ts', () => {
  test('the samples cover exactly the 14 (1.6) and 25 (2.0.1) actions a charger may send', () => {
    assert.deepEqual(Object.keys(SAMPLES_16).sort(), chargerActions(OCPP16_ACTIONS));
    assert.deepEqual(Object.keys(SAMPLES_201).sort(), chargerActions(OCPP201_ACTIONS));
    assert.equal(Object.keys(SAMPLES_16).length, 14);
    assert.equal(Object.keys(SAMPLES_201).length, 25);
  });

  test('OCPP 1.6: every charger-initiated action gets a valid, sensible answer', async (t) => {
    const state = new CsmsState();
    const { cs, url } = await start(state);
    t.after(() => cs.close());
    const cp = new ChargePoint({ url, identity: 'ALL-16', protocol: 'ocpp1.6', reconnect: false });
    t.after(() => cp.close());
    await cp.connect();

    // Boot gating: nothing but BootNotification before an accepted boot.
    await assert.rejects(cp.call('Heartbeat', {}), SecurityError);

    const ctx = { transactionId: 0 };
    const answers: Record<string, unknown> = {};
    for (const action of Object.keys(SAMPLES_16) as Array<keyof typeof SAMPLES_16>) {
      const response = await cp.call(action, SAMPLES_16[action](ctx));
      answers[action] = response;
      if (action === 'StartTransaction') ctx.transactionId = (response as { transactionId: number }).transactionId;
    }
    assert.deepEqual(Object.keys(answers).sort(), chargerActions(OCPP16_ACTIONS));
    assert.deepEqual({ ...(answers.BootNotification as object), currentTime: 'x' }, { status: 'Accepted', currentTime: 'x', interval: 120 });
    assert.deepEqual(answers.Authorize, { idTagInfo: { status: 'Accepted' } });
    assert.ok(Number.isInteger(ctx.transactionId) && ctx.transactionId > 0);
    assert.deepEqual(answers.StopTransaction, { idTagInfo: { status: 'Accepted' } });
    assert.deepEqual(answers.DataTransfer, { status: 'Accepted', data: 'hello' });
    assert.deepEqual(answers.SignCertificate, { status: 'Rejected' });

    // The state followed along: boot info, status, the transaction with its energy.
    const record = state.stations.get('ALL-16');
    assert.equal(record?.boot?.firmwareVersion, '2.1.0');
    assert.equal(record?.status['1']?.status, 'Available');
    const tx = state.transactions.get('ALL-16', String(ctx.transactionId));
    assert.deepEqual([tx?.idTag, tx?.authorized, tx?.meterStartWh, tx?.meterWh, tx?.stopReason], ['TAG-001', true, 100, 500, 'Local']);

    // idTags outside the allow-list, and unknown vendors.
    assert.deepEqual(await cp.call('Authorize', { idTag: 'STOLEN' }), { idTagInfo: { status: 'Invalid' } });
    const refused = await cp.call('StartTransaction', { connectorId: 1, idTag: 'STOLEN', meterStart: 0, timestamp: ts() });
    assert.equal(refused.idTagInfo.status, 'Invalid');
    assert.equal(refused.transactionId, ctx.transactionId + 1, 'transaction ids keep increasing');
    assert.deepEqual(await cp.call('DataTransfer', { vendorId: 'com.other' }), { status: 'UnknownVendorId' });
  });

  test('OCPP 2.0.1: every charger-initiated action gets a valid, sensible answer', async (t) => {
    const state = new CsmsState();
    const { cs, url } = await start(state);
    t.after(() => cs.close());
    const cp = new ChargePoint({ url, identity: 'ALL-201', protocol: 'ocpp2.0.1', reconnect: false });
    t.after(() => cp.close());
    await cp.connect();

    await assert.rejects(cp.call('Heartbeat', {}), SecurityError);

    const answers: Record<string, unknown> = {};
    for (const action of Object.keys(SAMPLES_201) as Array<keyof typeof SAMPLES_201>) {
      answers[action] = await cp.call(action, SAMPLES_201[action]({ transactionId: 0 }));
    }
    assert.deepEqual(Object.keys(answers).sort(), chargerActions(OCPP201_ACTIONS));
    assert.equal((answers.BootNotification as { interval: number }).interval, 120);
    assert.deepEqual(answers.Authorize, { idTokenInfo: { status: 'Accepted' } });
    assert.deepEqual(answers.TransactionEvent, { idTokenInfo: { status: 'Accepted' } });
    assert.deepEqual(answers.DataTransfer, { status: 'Accepted', data: { any: ['json', 1] } });
    assert.equal((answers.Get15118EVCertificate as { status: string }).status, 'Failed');
    assert.equal((answers.GetCertificateStatus as { status: string }).status, 'Failed');
    assert.equal((answers.SignCertificate as { status: string }).status, 'Rejected');
    assert.equal((answers.NotifyEVChargingSchedule as { status: string }).status, 'Accepted');

    // The transaction continues and ends; an event without idToken gets an empty answer.
    const ended = await cp.call('TransactionEvent', {
      eventType: 'Ended',
      timestamp: ts(),
      triggerReason: 'StopAuthorized',
      seqNo: 1,
      transactionInfo: { transactionId: 'TX-201', stoppedReason: 'Local' },
      meterValue: [{ timestamp: ts(), sampledValue: [{ value: 1.5, unitOfMeasure: { unit: 'kWh' } }] }],
    });
    assert.deepEqual(ended, {});
    const tx = state.transactions.get('ALL-201', 'TX-201');
    assert.deepEqual([tx?.meterStartWh, tx?.meterWh, tx?.stopReason], [100, 1500, 'Local']);
    assert.equal(state.stations.get('ALL-201')?.status['1/1']?.status, 'Available');

    assert.deepEqual(await cp.call('Authorize', { idToken: { idToken: 'STOLEN', type: 'ISO14443' } }), { idTokenInfo: { status: 'Unknown' } });
    assert.deepEqual(await cp.call('DataTransfer', { vendorId: 'com.other' }), { status: 'UnknownVendorId' });
  });

  test('OCPP 2.1: the 2.0.1 actions get the same answers; a tariff for drivers with one; streams; a CALLRESULTERROR is a state event', async (t) => {
    const state = new CsmsState();
    const { cs, url } = await start(state);
    t.after(() => cs.close());
    const cp = new ChargePoint({ url, identity: 'ALL-21', protocol: 'ocpp2.1', reconnect: false });
    t.after(() => cp.close());
    await cp.connect();
    await assert.rejects(cp.call('Heartbeat', {}), SecurityError);

    // 2.1's requests for these actions are supersets of 2.0.1's: the same samples (but one, where
    // 2.1 requires a field more), validated strictly against the 2.1 schemas on both sides. The
    // cast only picks one call signature for the compiler.
    const answers: Record<string, unknown> = {};
    for (const action of Object.keys(SAMPLES_201) as Array<keyof typeof SAMPLES_201>) {
      const request = action === 'NotifyMonitoringReport' ? NOTIFY_MONITORING_REPORT_21 : SAMPLES_201[action]({ transactionId: 0 });
      answers[action] = await cp.call(action as 'Heartbeat', request);
    }
    assert.equal(state.stations.get('ALL-21')?.protocol, 'ocpp2.1');
    assert.equal((answers.BootNotification as { interval: number }).interval, 120);
    assert.deepEqual(answers.Authorize, { idTokenInfo: { status: 'Accepted' } });
    assert.deepEqual(answers.TransactionEvent, { idTokenInfo: { status: 'Accepted' } });
    assert.deepEqual(answers.DataTransfer, { status: 'Accepted', data: { any: ['json', 1] } });
    assert.equal((answers.SignCertificate as { status: string }).status, 'Rejected');
    assert.equal(state.transactions.get('ALL-21', 'TX-201')?.protocol, 'ocpp2.1');

    // A driver with a tariff of their own gets it with the authorization (I08); others do not.
    const withTariff = { idToken: { idToken: DEMO_TARIFF_ID_TAGS[0], type: 'ISO14443' } };
    assert.deepEqual(await cp.call('Authorize', withTariff), { idTokenInfo: { status: 'Accepted' }, tariff: DEMO_TARIFF });
    // Refusing it sends a CALLRESULTERROR: the CSMS sees it as a state event naming the action.
    const refused = state.next('callResultError', (e) => e.identity === 'ALL-21', 2000);
    const refusal = new NotSupportedError({ description: 'no tariffs here' });
    await assert.rejects(
      cp.call('Authorize', withTariff, {
        accept: (result) => {
          if (result.tariff) throw refusal;
        },
      }),
      (error) => error === refusal,
    );
    const e = await refused;
    assert.deepEqual([e.action, e.code, e.description], ['Authorize', 'NotSupported', 'no tariffs here']);

    // Periodic event streams: opened with a CALL, samples as SENDs (never answered), closed.
    const opened = state.next('streamOpened', (o) => o.identity === 'ALL-21', 2000);
    const open = await cp.call('OpenPeriodicEventStream', { constantStreamData: { id: 7, variableMonitoringId: 3, params: { interval: 1 } } });
    assert.equal(open.status, 'Accepted');
    assert.deepEqual(await opened, { identity: 'ALL-21', streamId: 7, variableMonitoringId: 3 });
    const data = state.next('streamData', (d) => d.identity === 'ALL-21', 2000);
    const answeredIds: string[] = [];
    cp.on('frame', (f) => f.direction === 'inbound' && answeredIds.push(f.messageId));
    const sendId = cp.send('NotifyPeriodicEventStream', { id: 7, pending: 0, basetime: ts(), data: [{ t: 0, v: '11' }] });
    assert.deepEqual((await data).data, [{ t: 0, v: '11' }]);
    assert.deepEqual(await cp.call('ClosePeriodicEventStream', { id: 7 }), {});
    assert.ok(!answeredIds.includes(sendId), 'a SEND is never answered');
  });

  test('a charger offering every version gets 2.1, the newest this CSMS serves', async (t) => {
    const { cs, url } = await start(new CsmsState());
    t.after(() => cs.close());
    const ws = new WebSocket(`${url}/NEWEST`, ['ocpp1.6', 'ocpp2.0.1', 'ocpp2.1']);
    t.after(() => ws.terminate());
    await new Promise((resolve, reject) => {
      ws.once('open', resolve);
      ws.once('error', reject);
    });
    assert.equal(ws.protocol, 'ocpp2.1');
  });

  /** Chargers of `protocol`, connected and booted, closed after the test; and the refusals seen. */
  async function booted<V extends DefaultOcppVersion>(t: { after: (fn: () => unknown) => void }, protocol: V, identities: string[]) {
    const state = new CsmsState();
    const { cs, url } = await start(state);
    t.after(() => cs.close());
    const refusals: Array<Parameters<CsmsEvents['transactionRefused']>[0]> = [];
    state.on('transactionRefused', (e) => refusals.push(e));
    const chargers = [];
    for (const identity of identities) {
      const cp = new ChargePoint<V>({ url, identity, protocol, reconnect: false });
      t.after(() => cp.close());
      await cp.connect();
      chargers.push(cp);
    }
    return { state, chargers, refusals };
  }

  test("OCPP 1.6: a station cannot meter or stop another station's transaction, nor stop an ended one twice", async (t) => {
    const { state, chargers, refusals } = await booted(t, 'ocpp1.6', ['OWNER-16', 'OTHER-16']);
    const [owner, other] = chargers;
    for (const cp of [owner, other]) await cp.call('BootNotification', SAMPLES_16.BootNotification({ transactionId: 0 }));
    const { transactionId } = await owner.call('StartTransaction', { connectorId: 1, idTag: 'TAG-001', meterStart: 100, timestamp: ts() });
    const tx = state.transactions.get('OWNER-16', String(transactionId));
    assert.equal(tx?.meterWh, 100);

    // The other station names the owner's transaction: answered, nothing changes.
    const meter = (wh: string) => [{ timestamp: ts(), sampledValue: [{ value: wh }] }];
    assert.deepEqual(await other.call('MeterValues', { connectorId: 1, transactionId, meterValue: meter('9999') }), {});
    assert.deepEqual(await other.call('StopTransaction', { transactionId, meterStop: 9999, timestamp: ts(), idTag: 'TAG-001' }), {
      idTagInfo: { status: 'Invalid' },
    });
    assert.deepEqual(await other.call('StopTransaction', { transactionId, meterStop: 9999, timestamp: ts() }), {});
    assert.deepEqual(await other.call('StopTransaction', { transactionId: 424242, meterStop: 1, timestamp: ts(), idTag: 'TAG-001' }), {
      idTagInfo: { status: 'Invalid' },
    });
    assert.deepEqual([tx?.meterWh, tx?.endedAt], [100, undefined]);
    assert.equal(state.activeTransaction('OWNER-16'), tx);
    assert.equal(state.transactions.get('OTHER-16', String(transactionId)), undefined);

    // The owner meters and stops its own; a second stop (say, a retry) changes nothing.
    await owner.call('MeterValues', { connectorId: 1, transactionId, meterValue: meter('300') });
    assert.equal(tx?.meterWh, 300);
    assert.deepEqual(await owner.call('StopTransaction', { transactionId, meterStop: 500, timestamp: ts(), idTag: 'TAG-001', reason: 'Local' }), {
      idTagInfo: { status: 'Accepted' },
    });
    const endedAt = tx?.endedAt;
    assert.equal(typeof endedAt, 'string');
    assert.deepEqual(await owner.call('StopTransaction', { transactionId, meterStop: 777, timestamp: ts(), idTag: 'TAG-001', reason: 'Remote' }), {
      idTagInfo: { status: 'Accepted' },
    });
    await owner.call('MeterValues', { connectorId: 1, transactionId, meterValue: meter('888') });
    assert.deepEqual([tx?.meterWh, tx?.endedAt, tx?.stopReason], [500, endedAt, 'Local']);

    const id = String(transactionId);
    assert.deepEqual(refusals, [
      { identity: 'OTHER-16', action: 'MeterValues', transactionId: id, reason: 'foreign' },
      { identity: 'OTHER-16', action: 'StopTransaction', transactionId: id, reason: 'foreign' },
      { identity: 'OTHER-16', action: 'StopTransaction', transactionId: id, reason: 'foreign' },
      { identity: 'OTHER-16', action: 'StopTransaction', transactionId: '424242', reason: 'unknown' },
      { identity: 'OWNER-16', action: 'StopTransaction', transactionId: id, reason: 'ended' },
      { identity: 'OWNER-16', action: 'MeterValues', transactionId: id, reason: 'ended' },
    ]);
  });

  test("OCPP 2.0.1: the same transactionId from another station is that station's own; an ended transaction stays ended", async (t) => {
    const { state, chargers, refusals } = await booted(t, 'ocpp2.0.1', ['OWNER-201', 'OTHER-201']);
    const [owner, other] = chargers;
    for (const cp of [owner, other]) await cp.call('BootNotification', SAMPLES_201.BootNotification({ transactionId: 0 }));
    const event = (eventType: 'Started' | 'Updated' | 'Ended', seqNo: number, kWh: number) => ({
      eventType,
      timestamp: ts(),
      triggerReason: 'MeterValuePeriodic' as const,
      seqNo,
      transactionInfo: { transactionId: 'TX-1' },
      evse: { id: 1, connectorId: 1 },
      meterValue: [{ timestamp: ts(), sampledValue: [{ value: kWh, unitOfMeasure: { unit: 'kWh' } }] }],
    });
    await owner.call('TransactionEvent', event('Started', 0, 1));
    const tx = state.transactions.get('OWNER-201', 'TX-1');
    assert.equal(tx?.meterWh, 1000);

    // The other station's events for "TX-1" are about its own TX-1, never the owner's.
    await other.call('TransactionEvent', event('Updated', 1, 50));
    await other.call('TransactionEvent', event('Ended', 2, 60));
    assert.deepEqual([tx?.meterWh, tx?.endedAt], [1000, undefined]);
    const others = state.transactions.get('OTHER-201', 'TX-1');
    assert.notEqual(others, tx);
    assert.deepEqual([others?.meterWh, typeof others?.endedAt], [60_000, 'string']);

    await owner.call('TransactionEvent', event('Updated', 1, 2));
    await owner.call('TransactionEvent', event('Ended', 2, 3));
    const endedAt = tx?.endedAt;
    assert.deepEqual([tx?.meterWh, typeof endedAt], [3000, 'string']);
    // A second Ended, and a late Updated: answered, nothing changes, nothing starts anew.
    assert.deepEqual(await owner.call('TransactionEvent', event('Ended', 3, 9)), {});
    await owner.call('TransactionEvent', event('Updated', 4, 10));
    assert.deepEqual([tx?.meterWh, tx?.endedAt], [3000, endedAt]);
    assert.equal(state.transactions.get('OWNER-201', 'TX-1'), tx);
    assert.deepEqual(
      refusals.map((r) => [r.identity, r.reason]),
      [
        ['OWNER-201', 'ended'],
        ['OWNER-201', 'ended'],
      ],
    );
  });

  test('isAccepted: after a restart, a charger that booted before is served without booting again', async (t) => {
    const state = new CsmsState();
    const first = await start(state);
    const cp = new ChargePoint({ url: first.url, identity: 'RETURNING', protocol: 'ocpp2.0.1', reconnect: false });
    await cp.connect();
    await cp.call('BootNotification', SAMPLES_201.BootNotification({ transactionId: 0 }));
    await cp.close();
    await first.cs.close();

    const second = await start(state); // same state: what a database would give a restarted CSMS
    t.after(() => second.cs.close());
    const back = new ChargePoint({ url: second.url, identity: 'RETURNING', protocol: 'ocpp2.0.1', reconnect: false });
    t.after(() => back.close());
    await back.connect();
    assert.equal(typeof (await back.call('Heartbeat', {})).currentTime, 'string');
    const stranger = new ChargePoint({ url: second.url, identity: 'STRANGER', protocol: 'ocpp1.6', reconnect: false });
    t.after(() => stranger.close());
    await stranger.connect();
    await assert.rejects(stranger.call('Heartbeat', {}), SecurityError);
  });

  test('permessage-deflate is negotiated with clients that offer it', async (t) => {
    const { cs, url } = await start(new CsmsState());
    t.after(() => cs.close());
    const ws = new WebSocket(`${url}/DEFLATE`, ['ocpp2.0.1'], { perMessageDeflate: true });
    t.after(() => ws.terminate());
    await new Promise((resolve, reject) => {
      ws.once('open', resolve);
      ws.once('error', reject);
    });
    assert.equal(ws.protocol, 'ocpp2.0.1');
    assert.match(ws.extensions, /permessage-deflate/);
  });

  test('the script listens on $PORT, logs each exchange, and closes cleanly on SIGTERM', async (t) => {
    const run = spawnExample('examples/central-system.ts', [], { env: { PORT: '0', HOST: '127.0.0.1' }, timeoutMs: 20_000 });
    t.after(() => run.kill());
    const [, port] = await run.waitFor(/listening on ws:\/\/127\.0\.0\.1:(\d+)\/ocpp/);
    const cp = new ChargePoint({ url: `ws://127.0.0.1:${port}/ocpp`, identity: 'CLI-16', protocol: 'ocpp1.6', reconnect: false });
    t.after(() => cp.close());
    await cp.connect();
    await cp.call('BootNotification', SAMPLES_16.BootNotification({ transactionId: 0 }));
    await run.waitFor(/CLI-16 +← CSMS +RESULT +BootNotification +status=Accepted interval=300/);
    assert.match(run.output(), /CLI-16 +→ CSMS +CALL +BootNotification +chargePointVendor=Acme/);
    run.child.kill('SIGTERM');
    const exit = await run.exited;
    assert.deepEqual([exit.code, exit.timedOut], [0, false], run.output());
    assert.match(run.output(), /SIGTERM: closing/);
  });
});
