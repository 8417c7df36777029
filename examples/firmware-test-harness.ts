/**
 * How a charger firmware team tests a charger: a node:test suite on the SDK's test kit
 * (`ocpp-sdk/testing`): a TestCentralSystem plays the central system, waits for the charger under
 * test, expects what it sends (early arrivals count; a failure names what came instead and shows
 * the transcript) and drives it.
 *
 *   node --import tsx --test examples/firmware-test-harness.ts    # against the simulator (both versions)
 *   npx ts-node examples/firmware-test-harness.ts                  # the same: node:test runs on execution
 *
 *   # A real charger: point it at the URL below, then run
 *   CHARGER_URL=ws://0.0.0.0:9220/ocpp npx ts-node examples/firmware-test-harness.ts
 *
 *   # The simulator as that charger, in another terminal (no session of its own, so the remote
 *   # start the harness sends is accepted):
 *   npx ts-node examples/charge-point.ts --no-session --url ws://127.0.0.1:9220/ocpp
 *
 * Environment: CHARGER_URL (listen there and wait for a real charger instead of starting the
 * simulator), CHARGER_ID_TAG (an idTag the charger accepts for remote starts, default TAG-001),
 * CHARGER_WAIT_MS (how long to wait for it to connect, default 120000), VERBOSE=1 (print the
 * transcript of every exchange at the end).
 *
 * The checks: a BootNotification first, with vendor, model and firmware version; the connector
 * reported Available; configuration answered; a triggered Heartbeat; a remote start, meter
 * values and a remote stop; the right CALLERROR for an invalid request (sent raw); and nothing
 * the charger sent broke the schema. For ready OCTT-like scenarios, see `npx ocpp-sdk-test`.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { OcppVersion } from '../src/index';
import { codes, markNow, TestCentralSystem, type StationHandle } from '../src/testing/index';
import { createSimulatedCharger, type SimulatedCharger } from './charge-point';

const external = process.env.CHARGER_URL || undefined;
const idTag = process.env.CHARGER_ID_TAG ?? 'TAG-001';
/** A real charger is given time to connect, sample its meter and walk; the simulator is quick. */
const CONNECT_MS = external ? Number(process.env.CHARGER_WAIT_MS ?? 120_000) : 5_000;
const WAIT_MS = external ? 30_000 : 3_000;

/** A text field the charger must fill in. */
const filled = (v: unknown): boolean => typeof v === 'string' && v.length > 0;
type MeterValue = { readonly sampledValue: ReadonlyArray<{ readonly value: unknown; readonly measurand?: string }> };
const ENERGY = 'Energy.Active.Import.Register';
/** The energy register in meter values (the default measurand), or undefined. */
const energyOf = (mv: readonly MeterValue[] | undefined): number | undefined => {
  const v = mv?.flatMap((m) => m.sampledValue).find((s) => (s.measurand ?? ENERGY) === ENERGY)?.value;
  return v === undefined ? undefined : Number(v);
};
const withEnergy = (mv: readonly MeterValue[] | undefined): boolean => energyOf(mv) !== undefined;

/** The suite for one charger: a simulated one of `protocol`, or whatever connects to CHARGER_URL. */
function chargerSuite(label: string, protocol: 'ocpp1.6' | 'ocpp2.0.1' | undefined): void {
  describe(`charger under test: ${label}`, () => {
    let csms: TestCentralSystem<OcppVersion>;
    let simulator: SimulatedCharger | undefined;
    let st: StationHandle;
    // One handle, typed by family (2.1's payloads for these actions are 2.0.1's, extended).
    const v16 = (): StationHandle<'ocpp1.6'> | undefined => (st.protocol === 'ocpp1.6' ? (st as StationHandle<'ocpp1.6'>) : undefined);
    const v2x = (): StationHandle<'ocpp2.0.1'> => st as StationHandle<'ocpp2.0.1'>;

    before(async () => {
      const url = external ? new URL(external) : undefined;
      csms = await TestCentralSystem.start<OcppVersion>({
        protocols: protocol ? [protocol] : ['ocpp2.1', 'ocpp2.0.1', 'ocpp1.6'],
        port: url ? Number(url.port || 9220) : 0,
        host: url?.hostname ?? '127.0.0.1',
        timeoutMs: WAIT_MS,
        callTimeoutMs: WAIT_MS,
      });
      const connected = new Promise<string>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no charger connected within ${CONNECT_MS} ms`)), CONNECT_MS);
        csms.centralSystem.once('connection', (s) => {
          clearTimeout(timer);
          resolve(s.identity);
        });
      });
      if (external) console.log(`# waiting up to ${CONNECT_MS / 1000} s for a charger on ${external}/<identity>`);
      else {
        simulator = createSimulatedCharger(protocol!, { url: `${csms.url}/ocpp`, identity: `FW-${protocol}`, idTag, meterIntervalMs: 100 });
        // Not awaited: the harness waits for what the charger does, as it would for a real one.
        simulator.start().catch(() => undefined);
      }
      st = csms.station(await connected);
    });

    after(async () => {
      if (process.env.VERBOSE && st) console.log(st.transcript.format());
      await simulator?.stop();
      await csms?.close();
    });

    test('sends BootNotification first, with vendor, model and firmware version', async () => {
      await (v16()?.expectNextCall('BootNotification', { chargePointVendor: filled, chargePointModel: filled, firmwareVersion: filled }) ??
        v2x().expectNextCall('BootNotification', { chargingStation: { vendorName: filled, model: filled, firmwareVersion: filled } }));
    });

    test('reports its connector Available after booting', async () => {
      await (v16()?.expectCall('StatusNotification', { status: 'Available' }) ?? v2x().expectCall('StatusNotification', { connectorStatus: 'Available' }));
    });

    test('answers a configuration read with its heartbeat interval', async () => {
      const value = v16()
        ? (await v16()!.call('GetConfiguration', { key: ['HeartbeatInterval'] })).configurationKey?.find((k) => k.key === 'HeartbeatInterval')?.value
        : (await v2x().call('GetVariables', { getVariableData: [{ component: { name: 'OCPPCommCtrlr' }, variable: { name: 'HeartbeatInterval' } }] }))
            .getVariableResult[0]?.attributeValue;
      assert.match(value ?? '', /^\d+$/);
    });

    test('sends a Heartbeat when one is triggered', async () => {
      const [, answer] = await Promise.all([
        st.expectCall('Heartbeat', {}, { after: markNow(st) }),
        v16()?.call('TriggerMessage', { requestedMessage: 'Heartbeat' }) ?? v2x().call('TriggerMessage', { requestedMessage: 'Heartbeat' }),
      ]);
      assert.equal(answer.status, 'Accepted');
    });

    test('starts a transaction on remote start, reports meter values, stops on remote stop', async () => {
      const accepted = (r: { status: string }): void => assert.equal(r.status, 'Accepted');
      const cp16 = v16();
      if (cp16) {
        // Real chargers sample every minute or so by default: ask for samples every 5 s.
        if (external) accepted(await cp16.call('ChangeConfiguration', { key: 'MeterValueSampleInterval', value: '5' }));
        const transactionId = 4242;
        const respond = { transactionId, idTagInfo: { status: 'Accepted' as const } };
        const [start] = await Promise.all([
          cp16.expectCall('StartTransaction', { connectorId: 1, idTag }, { respond }),
          cp16.call('RemoteStartTransaction', { connectorId: 1, idTag }).then(accepted),
        ]);
        await cp16.expectCall('MeterValues', { transactionId, meterValue: withEnergy });
        const [stop] = await Promise.all([
          cp16.expectCall('StopTransaction', { transactionId, reason: 'Remote' }),
          cp16.call('RemoteStopTransaction', { transactionId }).then(accepted),
        ]);
        assert.ok(stop.request.meterStop >= start.request.meterStart, 'the energy register never goes backwards');
        return;
      }
      const cp = v2x();
      const sampled = { component: { name: 'SampledDataCtrlr' }, variable: { name: 'TxUpdatedInterval' }, attributeValue: '5' };
      if (external) assert.equal((await cp.call('SetVariables', { setVariableData: [sampled] })).setVariableResult[0].attributeStatus, 'Accepted');
      const [started] = await Promise.all([
        cp.expectCall('TransactionEvent', { eventType: 'Started', idToken: { idToken: idTag } }),
        cp.call('RequestStartTransaction', { evseId: 1, remoteStartId: 1, idToken: { idToken: idTag, type: 'Central' } }).then(accepted),
      ]);
      const { transactionId } = started.request.transactionInfo;
      await cp.expectCall('TransactionEvent', { eventType: 'Updated', transactionInfo: { transactionId }, meterValue: withEnergy });
      const [ended] = await Promise.all([
        cp.expectCall('TransactionEvent', { eventType: 'Ended', transactionInfo: { transactionId, stoppedReason: 'Remote' } }),
        cp.call('RequestStopTransaction', { transactionId }).then(accepted),
      ]);
      const [from, to] = [energyOf(started.request.meterValue), energyOf(ended.request.meterValue)];
      if (from !== undefined && to !== undefined) assert.ok(to >= from, 'the energy register never goes backwards');
    });

    test("answers an invalid request with its version's CALLERROR code", async () => {
      // Reset without its required "type", sent raw: the SDK would not send it.
      st.sendRaw('[2,"fw-bad-reset","Reset",{}]');
      const error = await st.expectCallError('OccurrenceConstraintViolation', { messageId: 'fw-bad-reset' });
      // The version's own spelling on the wire (1.6: OccurenceConstraintViolation).
      assert.equal(error.errorCode, codes(st.protocol!).occurrence);
    });

    test('sent nothing that breaks the OCPP schema', () => {
      const invalid = st.transcript.entries.filter((e) => e.direction === 'in' && e.validationError !== undefined);
      assert.deepEqual(
        invalid.map((e) => `${e.action} ${e.kind}: ${e.validationError!.detail}`),
        [],
      );
    });
  });
}

if (external) chargerSuite(`the charger connecting to ${external}`, undefined);
else for (const protocol of ['ocpp1.6', 'ocpp2.0.1'] as const) chargerSuite(`simulated ${protocol} charger`, protocol);
