/**
 * Reset scenarios: without a transaction the station answers Accepted, reboots and boots again
 * (TC_013_CS hard, TC_014_CS soft, TC_B_20_CS OnIdle); with one, it ends the transaction first
 * (TC_015_CS hard, TC_B_22_CS Immediate), or schedules the reset until the transaction ends
 * (TC_B_21_CS OnIdle).
 */
import type { OCPP16 } from '../../index';
import { defineScenario, step, type ScenarioContext } from '../scenario';
import { as201, Booted, EnergyTransferStarted, expectBootAccepted, is16, markNow } from '../states';
import { expectValue } from './checks';

/** Resets (1.6 `type16`, 2.x `type2x`), expects Accepted, then the boot and the status reports. */
function resetAndBoot(type16: OCPP16.ResetRequest['type'], type2x: 'OnIdle' | 'Immediate') {
  return async (ctx: ScenarioContext): Promise<void> => {
    const mark = markNow(ctx.station);
    const reset = is16(ctx) ? ctx.station.call('Reset', { type: type16 }) : as201(ctx).call('Reset', { type: type2x });
    const answered = reset.then((answer) => expectValue(ctx, 'the answer to Reset: status', answer.status, 'Accepted'));
    await expectBootAccepted(ctx, mark, answered, is16(ctx) ? undefined : 'RemoteReset');
  };
}

/** With a transaction running: the Reset is Accepted, the transaction ends for the reset, then the boot. */
function resetEndingTransaction(type16: OCPP16.ResetRequest['type']) {
  return async (ctx: ScenarioContext): Promise<void> => {
    const { profile, session } = ctx;
    const mark = markNow(ctx.station);
    const o = { after: mark, timeoutMs: profile.messageTimeoutMs };
    const ended: Promise<unknown> = is16(ctx)
      ? ctx.station.expectCall('StopTransaction', { transactionId: session.transactionId as number, reason: type16 === 'Hard' ? 'HardReset' : 'SoftReset' }, o)
      : as201(ctx).expectCall(
          'TransactionEvent',
          {
            eventType: 'Ended',
            triggerReason: 'ResetCommand',
            transactionInfo: { transactionId: String(session.transactionId), stoppedReason: 'ImmediateReset' },
          },
          o,
        );
    ended.catch(() => undefined);
    const reset = is16(ctx) ? ctx.station.call('Reset', { type: type16 }) : as201(ctx).call('Reset', { type: 'Immediate' });
    const answered = reset.then((answer) => expectValue(ctx, 'the answer to Reset: status', answer.status, 'Accepted'));
    await expectBootAccepted(
      ctx,
      mark,
      answered.then(() => ended).then(() => undefined),
      is16(ctx) ? undefined : 'RemoteReset',
    );
  };
}

/** 1.6 TC_013_CS: hard reset without a transaction. */
export const TC_013_CS = defineScenario({
  id: 'TC_013_CS',
  title: 'Hard Reset Without Transaction',
  versions: ['ocpp1.6'],
  preconditions: [Booted],
  steps: [
    step(
      'Reset Hard is Accepted; the station reboots: BootNotification answered Accepted, StatusNotification Available per connector',
      resetAndBoot('Hard', 'OnIdle'),
    ),
  ],
});

/** 1.6 TC_014_CS: soft reset without a transaction. */
export const TC_014_CS = defineScenario({
  id: 'TC_014_CS',
  title: 'Soft Reset Without Transaction',
  versions: ['ocpp1.6'],
  preconditions: [Booted],
  steps: [
    step(
      'Reset Soft is Accepted; the station reboots: BootNotification answered Accepted, StatusNotification Available per connector',
      resetAndBoot('Soft', 'OnIdle'),
    ),
  ],
});

/** 1.6 TC_015_CS: hard reset while a transaction runs. */
export const TC_015_CS = defineScenario({
  id: 'TC_015_CS',
  title: 'Hard Reset With Transaction',
  versions: ['ocpp1.6'],
  preconditions: [EnergyTransferStarted],
  steps: [
    step(
      'Reset Hard is Accepted; StopTransaction (reason HardReset); the station reboots: BootNotification answered Accepted, StatusNotification Available',
      resetEndingTransaction('Hard'),
    ),
  ],
});

/** 2.0.1 TC_B_20_CS: reset OnIdle without a transaction. */
export const TC_B_20_CS = defineScenario({
  id: 'TC_B_20_CS',
  title: 'Reset Charging Station - Without ongoing transaction - OnIdle',
  versions: ['ocpp2.0.1'],
  requirements: ['B11.FR.01', 'B11.FR.03'],
  preconditions: [Booted],
  steps: [
    step(
      'Reset OnIdle is Accepted; the station reboots: BootNotification (RemoteReset) answered Accepted, StatusNotification Available',
      resetAndBoot('Hard', 'OnIdle'),
    ),
  ],
});

/** 2.0.1 TC_B_21_CS: reset OnIdle while a transaction runs: Scheduled, done when the transaction ends. */
export const TC_B_21_CS = defineScenario({
  id: 'TC_B_21_CS',
  title: 'Reset Charging Station - With Ongoing Transaction - OnIdle',
  versions: ['ocpp2.0.1'],
  requirements: ['B12.FR.01', 'B12.FR.02'],
  preconditions: [EnergyTransferStarted],
  steps: [
    step('Reset OnIdle is answered Scheduled; no reboot while the transaction runs', async (ctx) => {
      const st = as201(ctx);
      const mark = markNow(st);
      const answer = await st.call('Reset', { type: 'OnIdle' });
      expectValue(ctx, 'the answer to Reset: status', answer.status, 'Scheduled');
      await st.expectNoCall('BootNotification', { forMs: Math.min(ctx.profile.messageTimeoutMs, 2000) });
      ctx.values.set('mark', mark);
    }),
    step(
      'RequestStopTransaction ends the transaction; the station then reboots: BootNotification (RemoteReset) answered Accepted, StatusNotification Available',
      async (ctx) => {
        const { profile, session } = ctx;
        const st = as201(ctx);
        const transactionId = String(session.transactionId);
        const mark = markNow(st);
        const ended = st.expectCall(
          'TransactionEvent',
          { eventType: 'Ended', transactionInfo: { transactionId } },
          { after: mark, timeoutMs: profile.messageTimeoutMs },
        );
        ended.catch(() => undefined);
        const stopped = st.call('RequestStopTransaction', { transactionId }).then(async (answer) => {
          expectValue(ctx, 'the answer to RequestStopTransaction: status', answer.status, 'Accepted');
          await ended;
        });
        await expectBootAccepted(ctx, mark, stopped, 'RemoteReset');
      },
    ),
  ],
});

/** 2.0.1 TC_B_22_CS: reset Immediate while a transaction runs: the transaction ends, then the reboot. */
export const TC_B_22_CS = defineScenario({
  id: 'TC_B_22_CS',
  title: 'Reset Charging Station - With Ongoing Transaction - Immediate',
  versions: ['ocpp2.0.1'],
  requirements: ['B12.FR.04', 'B12.FR.05'],
  preconditions: [EnergyTransferStarted],
  steps: [
    step(
      'Reset Immediate is Accepted; TransactionEvent Ended (ResetCommand, ImmediateReset); the station reboots: BootNotification (RemoteReset) answered Accepted, StatusNotification Available',
      resetEndingTransaction('Hard'),
    ),
  ],
});
