/**
 * Boot scenarios: a cold boot Accepted (TC_001_CS, TC_B_01_CS); a boot Pending (TC_002_CS,
 * TC_B_02_CS) or Rejected (TC_B_03_CS), after which the station stays silent and retries no
 * sooner than the interval; and, while Rejected, a CSMS call answered SecurityError (TC_B_30_CS).
 */
import type { Received } from '../received';
import { defineScenario, step, type ScenarioContext } from '../scenario';
import { as201, expectBootAccepted, expectConnectorsAvailable, is16, markNow, noteBooted } from '../states';
import { expectValue } from './checks';

/** 1.6 TC_001_CS: cold boot, status of every connector, then Heartbeats at the interval given. */
export const TC_001_CS = defineScenario({
  id: 'TC_001_CS',
  title: 'Cold Boot Charge Point',
  versions: ['ocpp1.6'],
  steps: [
    step(
      'Manual action: power cycle; BootNotification answered Accepted with the heartbeat interval; StatusNotification Available per connector',
      async (ctx) => {
        ctx.values.set('boot', await expectBootAccepted(ctx, markNow(ctx.station), ctx.manual('powerCycle')));
      },
    ),
    step('Heartbeat after the heartbeat interval', async (ctx) => {
      const interval = ctx.profile.heartbeatIntervalS * 1000;
      const boot = ctx.values.get('boot') as Received;
      const toleranceMs = ctx.profile.timingToleranceMs;
      await ctx.station.expectCall(
        'Heartbeat',
        {},
        { after: boot, notBeforeMs: interval, withinMs: interval, toleranceMs, timeoutMs: interval + toleranceMs + 1000 },
      );
    }),
  ],
});

/** 2.0.1 TC_B_01_CS: cold boot (reason PowerUp), status of every connector. */
export const TC_B_01_CS = defineScenario({
  id: 'TC_B_01_CS',
  title: 'Cold Boot Charging Station - Accepted',
  versions: ['ocpp2.0.1'],
  requirements: ['B01.FR.01', 'B01.FR.05'],
  steps: [
    step('Manual action: power cycle; BootNotification (PowerUp) answered Accepted; StatusNotification Available per connector', async (ctx) => {
      await expectBootAccepted(ctx, markNow(ctx.station), ctx.manual('powerCycle'), 'PowerUp');
    }),
  ],
});

/**
 * The boot answered `status` (Pending or Rejected) with the retry interval: nothing but
 * BootNotification may come until the retry, which must not come before the interval and is
 * answered Accepted. `meanwhile` runs during the wait (TC_B_30_CS's call).
 */
async function bootHeld(ctx: ScenarioContext, status: 'Pending' | 'Rejected', meanwhile?: (ctx: ScenarioContext) => Promise<void>): Promise<void> {
  const { station, profile } = ctx;
  const interval = profile.retryIntervalS * 1000;
  const tol = profile.timingToleranceMs;
  const mark = markNow(station);
  const cycled = ctx.manual('powerCycle');
  const o = { after: mark, timeoutMs: profile.messageTimeoutMs, respond: { status, interval: profile.retryIntervalS } };
  const first = is16(ctx) ? ctx.station.expectCall('BootNotification', {}, o) : as201(ctx).expectCall('BootNotification', {}, o);
  first.catch(() => undefined);
  await cycled;
  const boot1 = await first;
  // The retry, armed now so that it is answered Accepted; it must not come before the interval.
  const retryOptions = {
    after: boot1,
    notBeforeMs: interval,
    toleranceMs: tol,
    timeoutMs: interval + profile.messageTimeoutMs,
    respond: { status: 'Accepted' as const, interval: profile.heartbeatIntervalS },
  };
  const retry = is16(ctx) ? ctx.station.expectCall('BootNotification', {}, retryOptions) : as201(ctx).expectCall('BootNotification', {}, retryOptions);
  retry.catch(() => undefined);
  // While Pending, nothing but BootNotification may be sent. Whichever fails first tells: a
  // retry too early fails `retry` the moment it comes.
  const [, boot2] = await Promise.all([
    station.expectNoCall('*', { forMs: Math.max(0, interval - tol), except: ['BootNotification'] }),
    retry,
    meanwhile?.(ctx),
  ]);
  ctx.values.set('boot', boot2);
  await expectConnectorsAvailable(ctx, boot2);
  noteBooted(ctx);
}

const pendingSteps = [
  step(
    'Manual action: power cycle; BootNotification answered Pending with the retry interval; no other message meanwhile; BootNotification again no sooner than the interval, answered Accepted; StatusNotification Available',
    (ctx) => bootHeld(ctx, 'Pending'),
  ),
];

/** 1.6 TC_002_CS: boot Pending, then Accepted on the retry. */
export const TC_002_CS = defineScenario({
  id: 'TC_002_CS',
  title: 'Cold Boot Charge Point - Pending',
  versions: ['ocpp1.6'],
  steps: pendingSteps,
});

/** 2.0.1 TC_B_02_CS: boot Pending, then Accepted on the retry. */
export const TC_B_02_CS = defineScenario({
  id: 'TC_B_02_CS',
  title: 'Cold Boot Charging Station - Pending',
  versions: ['ocpp2.0.1'],
  requirements: ['B02.FR.01', 'B02.FR.02'],
  steps: pendingSteps,
});

/** 2.x TC_B_03_CS: boot Rejected: silent until the retry, no sooner than the interval. */
export const TC_B_03_CS = defineScenario({
  id: 'TC_B_03_CS',
  title: 'Cold Boot Charging Station - Rejected',
  versions: ['ocpp2.0.1', 'ocpp2.1'],
  steps: [
    step(
      'Manual action: power cycle; BootNotification answered Rejected with the retry interval; no other message meanwhile; BootNotification again no sooner than the interval, answered Accepted; StatusNotification Available',
      (ctx) => bootHeld(ctx, 'Rejected'),
    ),
  ],
});

/** 2.x TC_B_30_CS: while Rejected, a CSMS call is answered with a CALLERROR SecurityError. */
export const TC_B_30_CS = defineScenario({
  id: 'TC_B_30_CS',
  title: 'Cold Boot Charging Station - Pending/Rejected - SecurityError',
  versions: ['ocpp2.0.1', 'ocpp2.1'],
  steps: [
    step(
      'Manual action: power cycle; BootNotification answered Rejected; a GetVariables meanwhile gets CALLERROR SecurityError; the retry, no sooner than the interval, answered Accepted',
      (ctx) =>
        bootHeld(ctx, 'Rejected', async () => {
          const outcome = await as201(ctx)
            .call('GetVariables', { getVariableData: [{ component: { name: 'OCPPCommCtrlr' }, variable: { name: 'HeartbeatInterval' } }] })
            .then(
              () => 'a CALLRESULT',
              (error: unknown) => `CALLERROR ${String((error as { code?: unknown }).code)}`,
            );
          expectValue(ctx, 'the answer to GetVariables while Rejected', outcome, 'CALLERROR SecurityError');
        }),
    ),
  ],
});
