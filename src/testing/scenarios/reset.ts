/**
 * Reset scenarios without a transaction: the station answers Accepted, reboots and boots again
 * (TC_013_CS hard reset, TC_B_20_CS OnIdle).
 */
import { defineScenario, step, type ScenarioContext } from '../scenario';
import { as201, Booted, expectBootAccepted, is16, markNow } from '../states';
import { expectValue } from './checks';

async function resetAndBoot(ctx: ScenarioContext): Promise<void> {
  const mark = markNow(ctx.station);
  const reset = is16(ctx) ? ctx.station.call('Reset', { type: 'Hard' }) : as201(ctx).call('Reset', { type: 'OnIdle' });
  const answered = reset.then((answer) => expectValue(ctx, 'the answer to Reset: status', answer.status, 'Accepted'));
  await expectBootAccepted(ctx, mark, answered, is16(ctx) ? undefined : 'RemoteReset');
}

/** 1.6 TC_013_CS: hard reset without a transaction. */
export const TC_013_CS = defineScenario({
  id: 'TC_013_CS',
  title: 'Hard Reset Without Transaction',
  versions: ['ocpp1.6'],
  preconditions: [Booted],
  steps: [step('Reset Hard is Accepted; the station reboots: BootNotification answered Accepted, StatusNotification Available per connector', resetAndBoot)],
});

/** 2.0.1 TC_B_20_CS: reset OnIdle without a transaction. */
export const TC_B_20_CS = defineScenario({
  id: 'TC_B_20_CS',
  title: 'Reset Charging Station - Without ongoing transaction - OnIdle',
  versions: ['ocpp2.0.1'],
  requirements: ['B11.FR.01', 'B11.FR.03'],
  preconditions: [Booted],
  steps: [step('Reset OnIdle is Accepted; the station reboots: BootNotification (RemoteReset) answered Accepted, StatusNotification Available', resetAndBoot)],
});
