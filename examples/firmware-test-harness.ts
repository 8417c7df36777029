/**
 * How a charger firmware team tests a charger: a node:test suite that plays the central
 * system, waits for the charger under test, checks what it sends and drives it.
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
 * CHARGER_WAIT_MS (how long to wait for it to connect, default 120000), VERBOSE=1 (log every
 * exchange).
 *
 * The checks: a BootNotification first, with vendor, model and firmware version; the connector
 * reported Available; configuration answered; a triggered Heartbeat; a remote start, meter
 * values and a remote stop; the right CALLERROR for an invalid request (sent with validation
 * off for that one call); and nothing the charger sent broke the schema.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { RpcError, type AnyStation, type CentralSystem, type DefaultOcppVersion, type OcppVersion, type ValidationFailedEvent } from '../src/index';
import {
  changeConfiguration,
  createDemoCentralSystem,
  CsmsState,
  DEMO_ID_TAGS,
  DEMO_PATH,
  getConfiguration,
  remoteStart,
  remoteStop,
  trigger,
} from './central-system';
import { createSimulatedCharger, type SimulatedCharger } from './charge-point';
import { ExchangeLog } from './exchange-log';

const external = process.env.CHARGER_URL;
const idTag = process.env.CHARGER_ID_TAG ?? DEMO_ID_TAGS[0];
/** A real charger is given time to connect, sample its meter and walk; the simulator is quick. */
const CONNECT_MS = external ? Number(process.env.CHARGER_WAIT_MS ?? 120_000) : 5_000;
const WAIT_MS = external ? 30_000 : 3_000;

/** What each version calls the same things, and how it spells the code of a missing field. */
const VERSION = {
  'ocpp1.6': { heartbeatKey: 'HeartbeatInterval', sampleKey: 'MeterValueSampleInterval', missingFieldCode: 'OccurenceConstraintViolation' },
  'ocpp2.0.1': {
    heartbeatKey: 'OCPPCommCtrlr/HeartbeatInterval',
    sampleKey: 'SampledDataCtrlr/TxUpdatedInterval',
    missingFieldCode: 'OccurrenceConstraintViolation',
  },
  // A real 2.1 charger may connect too: the demo CSMS serves 2.1 first.
  'ocpp2.1': {
    heartbeatKey: 'OCPPCommCtrlr/HeartbeatInterval',
    sampleKey: 'SampledDataCtrlr/TxUpdatedInterval',
    missingFieldCode: 'OccurrenceConstraintViolation',
  },
} as const;

/** A CALL the charger sent. */
interface Received {
  action: string;
  request: Record<string, unknown>;
}

/** The suite for one charger: a simulated one of `protocol`, or whatever connects to CHARGER_URL. */
function chargerSuite(label: string, protocol: DefaultOcppVersion | undefined): void {
  describe(`charger under test: ${label}`, () => {
    const state = new CsmsState([...DEMO_ID_TAGS, idTag]);
    let cs: CentralSystem<OcppVersion>;
    let simulator: SimulatedCharger | undefined;
    let station: AnyStation<OcppVersion>;
    const received: Received[] = [];
    const invalid: ValidationFailedEvent[] = [];

    /** The first `action` the charger sent at or after position `from`, waiting for it if needed. */
    const message = (action: string, from = 0): Promise<Received> => {
      const found = received.slice(from).find((m) => m.action === action);
      if (found) return Promise.resolve(found);
      return state.next('message', (m) => m.action === action, WAIT_MS) as Promise<Received>;
    };

    before(async () => {
      cs = createDemoCentralSystem({
        state,
        log: process.env.VERBOSE ? new ExchangeLog() : false,
        callTimeoutMs: WAIT_MS,
        ...(external ? { path: new URL(external).pathname } : {}),
      });
      state.on('message', (m) => received.push({ action: m.action, request: m.request as Record<string, unknown> }));
      const connected = new Promise<AnyStation<OcppVersion>>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no charger connected within ${CONNECT_MS} ms`)), CONNECT_MS);
        cs.once('connection', (s) => {
          clearTimeout(timer);
          s.on('validationFailed', (e) => e.direction === 'inbound' && invalid.push(e));
          resolve(s);
        });
      });
      if (external) {
        const url = new URL(external);
        await cs.listen({ port: Number(url.port || 9220), host: url.hostname });
        console.log(`# waiting up to ${CONNECT_MS / 1000} s for a charger on ${external}/<identity>`);
      } else {
        const { port } = await cs.listen({ port: 0, host: '127.0.0.1' });
        simulator = createSimulatedCharger(protocol!, { url: `ws://127.0.0.1:${port}${DEMO_PATH}`, identity: `FW-${protocol}`, idTag, meterIntervalMs: 100 });
        // Not awaited: the harness waits for what the charger does, as it would for a real one.
        simulator.start().catch(() => undefined);
      }
      station = await connected;
    });

    after(async () => {
      await simulator?.stop();
      await cs?.close();
    });

    test('sends BootNotification first, with vendor, model and firmware version', async () => {
      const boot = await message('BootNotification');
      assert.equal(received[0].action, 'BootNotification', 'nothing may be sent before BootNotification');
      const info =
        station.protocol === 'ocpp1.6'
          ? { vendor: boot.request.chargePointVendor, model: boot.request.chargePointModel, firmware: boot.request.firmwareVersion }
          : (({ vendorName, model, firmwareVersion }) => ({ vendor: vendorName, model, firmware: firmwareVersion }))(
              boot.request.chargingStation as Record<string, unknown>,
            );
      assert.ok(typeof info.vendor === 'string' && info.vendor.length > 0, 'vendor');
      assert.ok(typeof info.model === 'string' && info.model.length > 0, 'model');
      assert.ok(typeof info.firmware === 'string' && info.firmware.length > 0, 'firmware version (needed to track fleets)');
      assert.equal(station.bootStatus, 'Accepted');
    });

    test('reports its connector Available after booting', async () => {
      const status = await message('StatusNotification');
      const value = station.protocol === 'ocpp1.6' ? status.request.status : status.request.connectorStatus;
      assert.equal(value, 'Available');
    });

    test('answers a configuration read with its heartbeat interval', async () => {
      const key = VERSION[station.protocol].heartbeatKey;
      const { response } = await getConfiguration(station, [key]);
      const r = response as {
        configurationKey?: Array<{ key: string; value?: string }>;
        getVariableResult?: Array<{ attributeStatus: string; attributeValue?: string }>;
      };
      const value = station.protocol === 'ocpp1.6' ? r.configurationKey?.find((k) => k.key === key)?.value : r.getVariableResult?.[0]?.attributeValue;
      assert.match(value ?? '', /^\d+$/);
    });

    test('sends a Heartbeat when one is triggered', async () => {
      const mark = received.length;
      assert.equal((await trigger(station, 'Heartbeat')).response.status, 'Accepted');
      await message('Heartbeat', mark);
    });

    test('starts a transaction on remote start, reports meter values, stops on remote stop', async () => {
      // Real chargers sample every minute or so by default: ask for samples every 5 s.
      if (external) await changeConfiguration(station, VERSION[station.protocol].sampleKey, '5');
      // A charger busy with a session of its own is let finish first.
      const busy = state.activeTransaction(station.identity);
      if (busy) await state.next('transactionEnded', (t) => t.id === busy.id, WAIT_MS);
      const started = state.next('transactionStarted', () => true, WAIT_MS);
      assert.equal((await remoteStart(station, idTag, 1, state)).response.status, 'Accepted');
      const tx = await started;
      assert.ok(tx.authorized);
      const sample = await state.next('meterValues', (e) => e.transaction?.id === tx.id, WAIT_MS);
      assert.ok(sample.energyWh !== undefined, 'the meter values carry the energy register');
      const ended = state.next('transactionEnded', (t) => t.id === tx.id, WAIT_MS);
      assert.equal((await remoteStop(station, tx.id)).response.status, 'Accepted');
      const done = await ended;
      assert.equal(done.stopReason, 'Remote');
      assert.ok((done.meterWh ?? 0) >= (done.meterStartWh ?? 0), 'the energy register never goes backwards');
    });

    test("answers an invalid request with its version's CALLERROR code", async () => {
      // Reset without its required "type": sent on purpose, with validation off for this call.
      const wire: string[] = [];
      const onFrame = (e: { direction: string; frame: { type: number; errorCode?: string } }): void => {
        if (e.direction === 'inbound' && e.frame.type === 4 && e.frame.errorCode) wire.push(e.frame.errorCode);
      };
      station.on('frame', onFrame);
      try {
        // Both versions have Reset; the cast only picks one signature for the compiler.
        const error = await (station as AnyStation<'ocpp1.6'>).call('Reset', {} as never, { validate: false }).then(
          () => assert.fail('the charger accepted a Reset without "type"'),
          (e: unknown) => e,
        );
        assert.ok(error instanceof RpcError, `expected a CALLERROR, got ${String(error)}`);
        // The SDK reports the canonical (2.0.1) spelling; the wire must carry the version's own.
        assert.equal(error.code, 'OccurrenceConstraintViolation');
        assert.deepEqual(wire, [VERSION[station.protocol].missingFieldCode]);
      } finally {
        station.off('frame', onFrame);
      }
    });

    test('sent nothing that breaks the OCPP schema', () => {
      assert.deepEqual(
        invalid.map((e) => `${e.action} ${e.kind}: ${e.detail}`),
        [],
      );
    });
  });
}

if (external) chargerSuite(`the charger connecting to ${external}`, undefined);
else for (const protocol of ['ocpp1.6', 'ocpp2.0.1'] as const) chargerSuite(`simulated ${protocol} charger`, protocol);
