/**
 * Security event scenarios (row 22 of the design doc's table): after a reset the station
 * reports, once its boot is accepted, a SecurityEventNotification of the security events list,
 * ResetOrReboot or StartupOfTheDevice. 1.6 TC_077_CS (the security whitepaper's extension; its
 * id and title follow the design doc's table, not OCA's own test case document); 2.x SEC_01_CS,
 * the kit's own id, as the table names no 2.0.1 test case for it (OCTT checks it within its
 * Booted state, step 7). The table's TC_078_CS (an invalid certificate) is not here: it needs a
 * TLS connection and certificates the kit does not drive.
 */
import type { Received } from '../received';
import { defineScenario, step, type ScenarioContext } from '../scenario';
import { as201, Booted, expectBootAccepted, is16, markNow } from '../states';
import { expectValue } from './checks';

/** The accepted boot of the run's reset, by station. */
const boots = new WeakMap<object, Received>();

/** The security events a reboot is reported with. */
const REBOOT_EVENTS = ['ResetOrReboot', 'StartupOfTheDevice'] as const;

const RESET = step('Reset is Accepted; the station reboots: BootNotification answered Accepted, StatusNotification Available', async (ctx: ScenarioContext) => {
  const mark = markNow(ctx.station);
  const reset = is16(ctx) ? ctx.station.call('Reset', { type: 'Soft' }) : as201(ctx).call('Reset', { type: 'OnIdle' });
  const answered = reset.then((answer) => expectValue(ctx, 'the answer to Reset: status', answer.status, 'Accepted'));
  boots.set(ctx.station, await expectBootAccepted(ctx, mark, answered, is16(ctx) ? undefined : 'RemoteReset'));
});

const EVENT = step(`After the boot, SecurityEventNotification of type ${REBOOT_EVENTS.join(' or ')}`, async (ctx: ScenarioContext) => {
  const after = boots.get(ctx.station);
  if (after === undefined) throw new Error('the station did not reboot in this run');
  const o = { after, timeoutMs: ctx.profile.messageTimeoutMs };
  // Either spelling of the list is accepted (OCTT's "OR").
  await (is16(ctx)
    ? ctx.station.expectOneOf(
        REBOOT_EVENTS.map((type) => ['SecurityEventNotification', { type }] as const),
        o,
      )
    : as201(ctx).expectOneOf(
        REBOOT_EVENTS.map((type) => ['SecurityEventNotification', { type }] as const),
        o,
      ));
});

/** 1.6 TC_077_CS: a security event after a reset. */
export const TC_077_CS = defineScenario({
  id: 'TC_077_CS',
  title: 'Security event notification - after a reset',
  versions: ['ocpp1.6'],
  preconditions: [Booted],
  steps: [RESET, EVENT],
});

/** 2.x SEC_01_CS (the kit's own id): a security event after a reset. */
export const SEC_01_CS = defineScenario({
  id: 'SEC_01_CS',
  title: 'Security event notification - after a reset',
  versions: ['ocpp2.0.1', 'ocpp2.1'],
  preconditions: [Booted],
  steps: [RESET, EVENT],
});
