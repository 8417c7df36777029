/**
 * Boot scenarios: a cold boot Accepted (TC_001_CS, TC_B_01_CS) and a boot Pending, after which
 * the station stays silent and retries no sooner than the interval (TC_002_CS, TC_B_02_CS).
 */
import type { Received } from '../received';
import { defineScenario, step, type ScenarioContext } from '../scenario';
import { as201, expectBootAccepted, expectConnectorsAvailable, is16, markNow, noteBooted } from '../states';

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

/** The Pending boot of TC_002_CS and TC_B_02_CS. */
async function bootPending(ctx: ScenarioContext): Promise<void> {
  const { station, profile } = ctx;
  const interval = profile.retryIntervalS * 1000;
  const tol = profile.timingToleranceMs;
  const mark = markNow(station);
  const cycled = ctx.manual('powerCycle');
  const o = { after: mark, timeoutMs: profile.messageTimeoutMs, respond: { status: 'Pending' as const, interval: profile.retryIntervalS } };
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
  const [, boot2] = await Promise.all([station.expectNoCall('*', { forMs: Math.max(0, interval - tol), except: ['BootNotification'] }), retry]);
  ctx.values.set('boot', boot2);
  await expectConnectorsAvailable(ctx, boot2);
  noteBooted(ctx);
}

const pendingSteps = [
  step(
    'Manual action: power cycle; BootNotification answered Pending with the retry interval; no other message meanwhile; BootNotification again no sooner than the interval, answered Accepted; StatusNotification Available',
    bootPending,
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
