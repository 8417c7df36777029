/**
 * CSMS boot scenarios: a cold boot Accepted (TC_001_CSMS, TC_B_01_CSMS) and a boot Pending that
 * the CSMS accepts on the charger's retry (TC_002_CSMS, TC_B_02_CSMS).
 */
import { sleep } from '../clock';
import { csmsStep, defineCsmsScenario, type CsmsScenarioContext, type ResolvedCsmsProfile } from './scenario';
import { cp16, cp2x, Connected, expectField, is16, sendBoot, sendStatus } from './states';

/** The boot Accepted, the status report and a Heartbeat: TC_001_CSMS and TC_B_01_CSMS. */
const coldBootSteps = [
  csmsStep('BootNotification answered Accepted, with a heartbeat interval', async (ctx) => {
    const answer = await sendBoot(ctx);
    expectField(ctx, 'the answer to BootNotification: status', answer.status, 'Accepted');
    expectField(ctx, 'the answer to BootNotification: interval is a whole number of seconds', Number.isInteger(answer.interval) && answer.interval >= 0, true);
    ctx.session.booted = true;
  }),
  csmsStep('StatusNotification Available answered', (ctx) => sendStatus(ctx, 'Available', 'Available')),
  csmsStep('Heartbeat answered with the current time', async (ctx) => {
    const { currentTime } = is16(ctx) ? await cp16(ctx).call('Heartbeat', {}) : await cp2x(ctx).call('Heartbeat', {});
    expectField(ctx, 'the answer to Heartbeat: currentTime is a date', Number.isNaN(Date.parse(currentTime)), false);
  }),
];

/** 1.6 TC_001_CSMS: the CSMS accepts a cold boot, takes the status report and answers Heartbeats. */
export const TC_001_CSMS = defineCsmsScenario({
  id: 'TC_001_CSMS',
  title: 'Cold Boot Charge Point',
  versions: ['ocpp1.6'],
  preconditions: [Connected],
  steps: coldBootSteps,
});

/** 2.0.1 TC_B_01_CSMS (2.1 unchanged): the CSMS accepts a cold boot (reason PowerUp). */
export const TC_B_01_CSMS = defineCsmsScenario({
  id: 'TC_B_01_CSMS',
  title: 'Cold Boot Charging Station - Accepted',
  versions: ['ocpp2.0.1', 'ocpp2.1'],
  requirements: ['B01.FR.02'],
  preconditions: [Connected],
  steps: coldBootSteps,
});

/** The Pending scenarios apply to a CSMS set up to hold a new charger Pending (the profile says so). */
const pendingSetUp = (profile: ResolvedCsmsProfile): true | string =>
  profile.bootPending || 'the profile says it accepts a new charger at once (set bootPending: true when it answers the first boot Pending)';

/** The Pending boot and the accepted retry of TC_002_CSMS and TC_B_02_CSMS. */
const pendingSteps = [
  csmsStep('BootNotification answered Pending, with the interval to retry after', async (ctx: CsmsScenarioContext) => {
    const answer = await sendBoot(ctx);
    expectField(ctx, 'the answer to BootNotification: status', answer.status, 'Pending');
    ctx.values.set('retryAfterS', answer.interval);
  }),
  csmsStep(
    'While Pending the CSMS may configure the charger (its CALLs are answered); BootNotification again after the interval, answered Accepted',
    async (ctx: CsmsScenarioContext) => {
      // A charger retries no sooner than the interval given (B02.FR.01): so does the kit.
      await sleep(Math.max(0, Number(ctx.values.get('retryAfterS'))) * 1000);
      expectField(ctx, 'the answer to the retried BootNotification: status', (await sendBoot(ctx)).status, 'Accepted');
      ctx.session.booted = true;
    },
  ),
  csmsStep('StatusNotification Available answered', (ctx) => sendStatus(ctx, 'Available', 'Available')),
];

/**
 * 1.6 TC_002_CSMS: the CSMS answers a new charger's boot Pending, then accepts its retry. The id
 * is our own choice: public lists of the 1.6 `_CSMS` cases name none for a Pending boot; it is
 * named after the charger-side TC_002_CS.
 */
export const TC_002_CSMS = defineCsmsScenario({
  id: 'TC_002_CSMS',
  title: 'Cold Boot Charge Point - Pending',
  versions: ['ocpp1.6'],
  applicability: pendingSetUp,
  preconditions: [Connected],
  steps: pendingSteps,
});

/** 2.0.1 TC_B_02_CSMS (2.1 unchanged): the CSMS answers the boot Pending, then accepts the retry. */
export const TC_B_02_CSMS = defineCsmsScenario({
  id: 'TC_B_02_CSMS',
  title: 'Cold Boot Charging Station - Pending',
  versions: ['ocpp2.0.1', 'ocpp2.1'],
  applicability: pendingSetUp,
  preconditions: [Connected],
  steps: pendingSteps,
});
