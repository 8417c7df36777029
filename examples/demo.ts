/**
 * The end-to-end demo behind `npm run demo` (also `npx ts-node examples/demo.ts`).
 *
 * In one process, the demo CSMS (examples/central-system.ts) listens on 127.0.0.1 (a free
 * port), and a simulated charger (examples/charge-point.ts) of each version (1.6, 2.0.1, 2.1)
 * runs a complete charging session against it: boot, status, authorize (one refused idTag, one
 * accepted), configuration read and change, a triggered message, remote start, meter values,
 * remote stop, unlock, and a reset after which the charger boots again. The 2.1 session adds
 * what only 2.1 has: a periodic event stream whose samples travel as NotifyPeriodicEventStream
 * SENDs (message type 6, never answered), and a tariff in an Authorize answer that the charger,
 * which applies no tariffs, refuses with a CALLRESULTERROR (message type 5, use case I08).
 * Every exchange is printed; a summary follows. Exit code 0 when every check passed, 1
 * otherwise (a failed assertion, a timeout, an unexpected CALLERROR or CALLRESULTERROR), and the
 * whole run is bounded in time.
 */
import assert from 'node:assert/strict';
import type { AnyStation, CentralSystem, OcppVersion } from '../src/index';
import {
  changeConfiguration,
  createDemoCentralSystem,
  CsmsState,
  DEMO_ID_TAGS,
  DEMO_PATH,
  DEMO_TARIFF_ID_TAGS,
  getConfiguration,
  remoteStart,
  remoteStop,
  reset,
  trigger,
  unlock,
} from './central-system';
import { createSimulatedCharger, SimulatedCharger21, type SimulatedCharger } from './charge-point';
import { ExchangeLog } from './exchange-log';

/** The whole demo must finish within this (it normally takes about a second). */
const DEADLINE_MS = 20_000;
/** Each wait for something a charger should do. */
const STEP_TIMEOUT_MS = 3_000;

/** How one version's session went. */
interface Outcome {
  protocol: OcppVersion;
  identity: string;
  passed: number;
  failed: string[];
  energyWh: number;
  /** 2.1: stream samples the CSMS received (each a NotifyPeriodicEventStream SEND). */
  streamSamples: number;
}

/** Per-version names of the same things. */
const VERSION = {
  'ocpp1.6': { identity: 'DEMO-16', heartbeatKey: 'HeartbeatInterval', sampleKey: 'MeterValueSampleInterval' },
  'ocpp2.0.1': { identity: 'DEMO-201', heartbeatKey: 'OCPPCommCtrlr/HeartbeatInterval', sampleKey: 'SampledDataCtrlr/TxUpdatedInterval' },
  'ocpp2.1': { identity: 'DEMO-21', heartbeatKey: 'OCPPCommCtrlr/HeartbeatInterval', sampleKey: 'SampledDataCtrlr/TxUpdatedInterval' },
} as const;

/**
 * CALLRESULTERRORs each session should have: the 2.1 charger refuses the one tariff it is sent.
 * Any other number (and any CALLERROR at all) is a failure.
 */
const EXPECTED_CALLRESULTERRORS: Readonly<Record<OcppVersion, number>> = { 'ocpp1.6': 0, 'ocpp2.0.1': 0, 'ocpp2.1': 1 };

/** A configuration value out of a GetConfiguration (1.6) or GetVariables (2.x) answer. */
function configValue(response: unknown, key: string): string | undefined {
  const r = response as {
    configurationKey?: Array<{ key: string; value?: string }>;
    getVariableResult?: Array<{ component: { name: string }; variable: { name: string }; attributeValue?: string }>;
  };
  const v16 = r.configurationKey?.find((k) => k.key === key)?.value;
  return v16 ?? r.getVariableResult?.find((v) => `${v.component.name}/${v.variable.name}` === key)?.attributeValue;
}

async function runSession(protocol: OcppVersion, cs: CentralSystem<OcppVersion>, state: CsmsState, url: string, log: ExchangeLog): Promise<Outcome> {
  const { identity, heartbeatKey, sampleKey } = VERSION[protocol];
  const outcome: Outcome = { protocol, identity, passed: 0, failed: [], energyWh: 0, streamSamples: 0 };
  const [allowedTag] = DEMO_ID_TAGS;
  const charger: SimulatedCharger = createSimulatedCharger(protocol, { url, identity, idTag: allowedTag, meterIntervalMs: 150 });
  charger.on('error', ({ error }) => outcome.failed.push(`charger error: ${error.message}`));
  const mine = <T extends { identity: string }>(e: T): boolean => e.identity === identity;
  const station = (): AnyStation<OcppVersion> => {
    const s = cs.stations.get(identity);
    assert.ok(s, `${identity} is not connected`);
    return s;
  };

  let n = 0;
  const step = async (title: string, body: () => Promise<void>): Promise<void> => {
    log.line(log.paint('bold', `▸ ${protocol} ${++n}. ${title}`));
    try {
      await body();
      outcome.passed++;
    } catch (error) {
      const message = (error instanceof Error ? error.message : String(error)).split('\n')[0];
      outcome.failed.push(`${title}: ${message}`);
      log.line(log.paint('red', `✘ ${title}: ${message}`));
    }
  };

  log.section(`OCPP ${protocol.slice(4)}: ${identity}`);
  await step('connect, boot, report the connector', async () => {
    const booted = state.next('boot', mine, STEP_TIMEOUT_MS);
    const available = state.next('status', (e) => mine(e) && e.status === 'Available', STEP_TIMEOUT_MS);
    await charger.start();
    const { record } = await booted;
    await available;
    assert.equal(record.boot?.vendor, 'Example');
    assert.equal(station().bootStatus, 'Accepted');
  });
  if (outcome.failed.length > 0) return outcome; // nothing else can work without a connection

  await step('authorize: an unknown idTag is refused, an allowed one accepted', async () => {
    assert.equal(await charger.authorize('NOT-ON-THE-LIST'), false);
    assert.equal(await charger.authorize(allowedTag), true);
  });
  if (charger instanceof SimulatedCharger21) {
    await step('a tariff the charger cannot apply is refused: CALLRESULTERROR (I08)', async () => {
      // The CSMS answers this driver's Authorize with a tariff; the charger's `accept` check refuses it.
      const refused = state.next('callResultError', (e) => mine(e) && e.action === 'Authorize', STEP_TIMEOUT_MS);
      assert.equal(await charger.authorize(DEMO_TARIFF_ID_TAGS[0]), false);
      const { code, description } = await refused;
      assert.equal(code, 'NotSupported');
      assert.match(description, /tariff/);
    });
  }
  await step('read and change configuration', async () => {
    const { response } = await getConfiguration(station(), [heartbeatKey]);
    assert.equal(configValue(response, heartbeatKey), '300');
    const { status } = await changeConfiguration(station(), sampleKey, '30');
    assert.equal(status, 'Accepted');
  });
  await step('trigger a Heartbeat', async () => {
    const heartbeat = state.next('message', (m) => mine(m) && m.action === 'Heartbeat', STEP_TIMEOUT_MS);
    assert.equal((await trigger(station(), 'Heartbeat')).response.status, 'Accepted');
    await heartbeat;
  });

  let transactionId = '';
  await step('remote start: the charger starts a transaction', async () => {
    const started = state.next('transactionStarted', mine, STEP_TIMEOUT_MS);
    const charging = state.next('status', (e) => mine(e) && e.status !== 'Available', STEP_TIMEOUT_MS);
    assert.equal((await remoteStart(station(), allowedTag, 1, state)).response.status, 'Accepted');
    const tx = await started;
    assert.ok(tx.authorized, 'the transaction should be authorized');
    transactionId = tx.id;
    await charging;
  });
  await step('meter values arrive while charging', async () => {
    for (let i = 0; i < 2; i++) {
      const { energyWh } = await state.next('meterValues', (e) => mine(e) && e.transaction?.id === transactionId, STEP_TIMEOUT_MS);
      assert.ok(energyWh !== undefined && energyWh > 0);
    }
  });
  if (charger instanceof SimulatedCharger21) {
    await step('periodic event stream: opened with a CALL, samples arrive as SENDs', async () => {
      const opened = state.next('streamOpened', mine, STEP_TIMEOUT_MS);
      assert.equal(await charger.openStream(), true);
      const { streamId } = await opened;
      // Two samples, each a SEND beside its TransactionEvent CALL, never answered.
      for (let i = 0; i < 2; i++) {
        const { data } = await state.next('streamData', (e) => mine(e) && e.streamId === streamId, STEP_TIMEOUT_MS);
        assert.ok(data.length > 0 && Number(data[0].v) > 0, 'a sample carries a value');
        outcome.streamSamples++;
      }
      await charger.closeStream();
    });
  }
  await step('remote stop: the charger ends the transaction', async () => {
    const ended = state.next('transactionEnded', (tx) => tx.id === transactionId, STEP_TIMEOUT_MS);
    const available = state.next('status', (e) => mine(e) && e.status === 'Available', STEP_TIMEOUT_MS);
    assert.equal((await remoteStop(station(), transactionId)).response.status, 'Accepted');
    const tx = await ended;
    await available;
    outcome.energyWh = (tx.meterWh ?? 0) - (tx.meterStartWh ?? 0);
    assert.ok(outcome.energyWh > 0, 'some energy should have been delivered');
    assert.equal(tx.stopReason, 'Remote');
  });
  await step('unlock the connector', async () => {
    assert.equal((await unlock(station())).response.status, 'Unlocked');
  });
  await step('reset: the charger reboots and boots again', async () => {
    const ready = charger.nextEvent('ready', STEP_TIMEOUT_MS);
    assert.equal((await reset(station())).response.status, 'Accepted');
    assert.equal((await ready).boots, 2);
    assert.equal(station().bootStatus, 'Accepted');
  });
  await charger.stop();
  return outcome;
}

async function main(): Promise<number> {
  const started = Date.now();
  const log = new ExchangeLog();
  const state = new CsmsState();
  const cs = createDemoCentralSystem({ state, log, callTimeoutMs: STEP_TIMEOUT_MS });
  const problems: string[] = [];
  cs.on('error', ({ error }) => problems.push(`central system error: ${error.message}`));
  const { port } = await cs.listen({ port: 0, host: '127.0.0.1' });
  const url = `ws://127.0.0.1:${port}${DEMO_PATH}`;
  log.note(`central system listening on ${url}/<identity>, serving OCPP 2.1, 2.0.1 and 1.6`);

  const outcomes: Outcome[] = [];
  for (const protocol of ['ocpp1.6', 'ocpp2.0.1', 'ocpp2.1'] as const) outcomes.push(await runSession(protocol, cs, state, url, log));
  await cs.close();

  log.section('Summary');
  let failures = problems.length;
  for (const o of outcomes) {
    const counts = log.countsFor(o.identity);
    // No CALLERROR is expected anywhere in this demo: each one is a failure.
    if (counts.callErrors > 0) o.failed.push(`${counts.callErrors} unexpected CALLERROR(s)`);
    const resultErrors = counts.callResultErrors ?? 0;
    const expected = EXPECTED_CALLRESULTERRORS[o.protocol];
    if (resultErrors !== expected) o.failed.push(`${resultErrors} CALLRESULTERROR(s), expected ${expected}`);
    // 2.1's own message types, counted only where they can occur (the 1.6 and 2.0.1 lines are as before).
    const v21 = o.protocol === 'ocpp2.1' ? `, ${resultErrors} CALLRESULTERROR, ${counts.sends ?? 0} SENDs (${o.streamSamples} checked)` : '';
    failures += o.failed.length;
    const mark = o.failed.length === 0 ? log.paint('green', '✔') : log.paint('red', '✘');
    const txs = [...state.transactions.values()].filter((tx) => tx.identity === o.identity).length;
    console.log(
      `  ${mark} ${o.protocol.padEnd(10)} ${o.identity.padEnd(9)} ${o.passed} steps passed, ${counts.frames} frames, ${counts.callErrors} CALLERRORs${v21}, ${txs} transaction(s), ${o.energyWh} Wh delivered`,
    );
    for (const f of o.failed) console.log(`      ${log.paint('red', f)}`);
  }
  for (const p of problems) console.log(`  ${log.paint('red', p)}`);
  const seconds = ((Date.now() - started) / 1000).toFixed(2);
  console.log(
    failures === 0
      ? log.paint('green', `\n  All checks passed in ${seconds} s (OCPP 1.6, 2.0.1 and 2.1).`)
      : log.paint('red', `\n  ${failures} check(s) failed (${seconds} s).`),
  );
  return failures === 0 ? 0 : 1;
}

if (require.main === module) {
  const deadline = setTimeout(() => {
    console.error(`demo: not finished after ${DEADLINE_MS / 1000} s; giving up`);
    process.exit(1);
  }, DEADLINE_MS);
  deadline.unref();
  main().then(
    (code) => process.exit(code),
    (error: unknown) => {
      console.error('demo failed:', error);
      process.exit(1);
    },
  );
}
