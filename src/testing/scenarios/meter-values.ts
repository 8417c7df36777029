/**
 * Sampled meter values during a transaction (1.6 TC_070_CS MeterValues; 2.x TC_J_09_CS
 * TransactionEvent Updated): the sample interval set to 1 s and the measurands to the energy
 * register, then a transaction; two samples in a row come one interval apart (within the
 * tolerance), carrying the configured measurand and no other. The transaction is stopped
 * remotely and the configuration set back.
 */
import type { OCPP16, OCPP201 } from '../../index';
import type { Received } from '../received';
import { defineScenario, step, type ScenarioContext } from '../scenario';
import { as201, Authorized, EnergyTransferStarted, EVConnectedPreSession, is16, markNow } from '../states';
import { expectValue } from './checks';
import { NoCable } from './sessions';

const MEASURAND = 'Energy.Active.Import.Register';
const INTERVAL_S = 1;

const KEYS_16 = { interval: 'MeterValueSampleInterval', measurands: 'MeterValuesSampledData' } as const;
const VARS_2X = {
  interval: { component: { name: 'SampledDataCtrlr' }, variable: { name: 'TxUpdatedInterval' } },
  measurands: { component: { name: 'SampledDataCtrlr' }, variable: { name: 'TxUpdatedMeasurands' } },
} as const;

/** Reads the interval and measurands (kept in `values` to set back), then sets them; Accepted expected. */
async function configure(ctx: ScenarioContext, interval: string, measurands: string): Promise<void> {
  if (is16(ctx)) {
    const answer = await ctx.station.call('GetConfiguration', { key: [KEYS_16.interval, KEYS_16.measurands] });
    const old = (k: string): string | undefined => answer.configurationKey?.find((e) => e.key === k)?.value;
    if (!ctx.values.has('old')) ctx.values.set('old', [old(KEYS_16.interval), old(KEYS_16.measurands)]);
    for (const [key, value] of [
      [KEYS_16.interval, interval],
      [KEYS_16.measurands, measurands],
    ] as const) {
      expectValue(ctx, `the answer to ChangeConfiguration ${key}: status`, (await ctx.station.call('ChangeConfiguration', { key, value })).status, 'Accepted');
    }
    return;
  }
  const st = as201(ctx);
  const got = await st.call('GetVariables', { getVariableData: [VARS_2X.interval, VARS_2X.measurands] });
  if (!ctx.values.has('old'))
    ctx.values.set(
      'old',
      got.getVariableResult.map((r) => r.attributeValue),
    );
  const set = await st.call('SetVariables', {
    setVariableData: [
      { ...VARS_2X.interval, attributeValue: interval },
      { ...VARS_2X.measurands, attributeValue: measurands },
    ],
  });
  expectValue(ctx, 'the answer to SetVariables: attributeStatus', set.setVariableResult.map((r) => r.attributeStatus).join(','), 'Accepted,Accepted');
}

/** The measurands of a sample (a missing one is the energy register, the default). */
function measurandsOf(request: unknown, protocol: string): string[] {
  const values = protocol === 'ocpp1.6' ? (request as OCPP16.MeterValuesRequest).meterValue : ((request as OCPP201.TransactionEventRequest).meterValue ?? []);
  return values.flatMap((v) => v.sampledValue.map((s) => s.measurand ?? MEASURAND));
}

/** Two periodic samples of the running transaction, one interval apart, with the configured measurand only. */
async function sampledTwice(ctx: ScenarioContext): Promise<void> {
  const { profile, session } = ctx;
  const intervalMs = INTERVAL_S * 1000;
  const timing = { toleranceMs: profile.timingToleranceMs, timeoutMs: intervalMs + profile.messageTimeoutMs };
  const expectSample = (after: Received, spaced: boolean): Promise<Received> => {
    const o = { after, ...timing, ...(spaced ? { notBeforeMs: intervalMs, withinMs: intervalMs } : {}) };
    return is16(ctx)
      ? ctx.station.expectCall('MeterValues', { connectorId: profile.connectorId, transactionId: session.transactionId as number }, o)
      : as201(ctx).expectCall(
          'TransactionEvent',
          { eventType: 'Updated', triggerReason: 'MeterValuePeriodic', transactionInfo: { transactionId: String(session.transactionId) } },
          o,
        );
  };
  const first = await expectSample(markNow(ctx.station), false);
  const second = await expectSample(first, true);
  for (const sample of [first, second]) {
    expectValue(ctx, `the measurands of ${sample.action} #${sample.seq}`, [...new Set(measurandsOf(sample.request, ctx.protocol))].join(','), MEASURAND);
  }
}

/** Stops the transaction remotely and sets the configuration back. */
async function stopAndSetBack(ctx: ScenarioContext): Promise<void> {
  const { session, profile } = ctx;
  const o = { after: markNow(ctx.station), timeoutMs: profile.messageTimeoutMs };
  if (is16(ctx)) {
    const stopped = ctx.station.expectCall('StopTransaction', { transactionId: session.transactionId as number }, o);
    stopped.catch(() => undefined);
    expectValue(
      ctx,
      'the answer to RemoteStopTransaction: status',
      (await ctx.station.call('RemoteStopTransaction', { transactionId: session.transactionId as number })).status,
      'Accepted',
    );
    await stopped;
  } else {
    const transactionId = String(session.transactionId);
    const ended = as201(ctx).expectCall('TransactionEvent', { eventType: 'Ended', transactionInfo: { transactionId } }, o);
    ended.catch(() => undefined);
    expectValue(ctx, 'the answer to RequestStopTransaction: status', (await as201(ctx).call('RequestStopTransaction', { transactionId })).status, 'Accepted');
    await ended;
  }
  session.transactionId = undefined;
  session.authorizedToken = undefined;
  const [interval, measurands] = ctx.values.get('old') as Array<string | undefined>;
  await configure(ctx, interval ?? '60', measurands ?? MEASURAND);
}

const steps = [
  step(`The sample interval is set to ${INTERVAL_S} s and the measurands to ${MEASURAND}`, (ctx: ScenarioContext) =>
    configure(ctx, String(INTERVAL_S), MEASURAND),
  ),
  step('Manual actions: plug in, present the valid token; the transaction starts', async (ctx: ScenarioContext) => {
    await EVConnectedPreSession.reach(ctx);
    await Authorized.reach(ctx);
    await EnergyTransferStarted.reach(ctx);
  }),
  step(
    'Two periodic samples (1.6 MeterValues; 2.x TransactionEvent Updated, MeterValuePeriodic) one interval apart, with the configured measurand only',
    sampledTwice,
  ),
  step('Set back: the transaction is stopped remotely; the interval and measurands as they were', stopAndSetBack),
];

/** 1.6 TC_070_CS: sampled meter values at MeterValueSampleInterval with MeterValuesSampledData. */
export const TC_070_CS = defineScenario({
  id: 'TC_070_CS',
  title: 'Sampled Meter Values',
  versions: ['ocpp1.6'],
  preconditions: [NoCable],
  steps,
});

/** 2.x TC_J_09_CS: TransactionEvent Updated at TxUpdatedInterval with TxUpdatedMeasurands. */
export const TC_J_09_CS = defineScenario({
  id: 'TC_J_09_CS',
  title: 'Sampled Meter Values - EventType Updated',
  versions: ['ocpp2.0.1', 'ocpp2.1'],
  preconditions: [NoCable],
  steps,
});
