/**
 * Basic-auth scenarios: the station connects with its identity and password (1.6 TC_085_CS,
 * 2.x TC_A_01_CS); a new password set by the CSMS is Accepted and the station reconnects with it
 * (TC_073_CS, TC_A_09_CS) and is set back the same way; a password that breaks the rules is
 * Rejected and the connection stays (TC_A_10_CS). They apply when the profile gives the password.
 */
import { defineScenario, step, type ScenarioContext } from '../scenario';
import { as201, Booted, expectBootAccepted, is16, markNow } from '../states';
import { expectValue } from './checks';
import { expectNewConnection, expectStillConnected } from './connection';

/**
 * The password the CSMS sets: 32 hex digits, so that it is a valid 1.6 AuthorizationKey (16 to
 * 20 bytes, hex) and a valid 2.x passwordString (16 to 40 characters).
 */
const NEW_PASSWORD = '0a1b2c3d4e5f60718293a4b5c6d7e8f9';

const needsPassword = (profile: { password?: string }): boolean | string => profile.password !== undefined || 'the profile gives no password';

/** Fails unless the current connection's handshake carried Basic auth with the identity and `password`. */
function expectCredentials(ctx: ScenarioContext, password: string | undefined): void {
  const auth = ctx.station.handshake?.basicAuth;
  expectValue(ctx, 'the Basic-auth user of the connection', auth?.id, ctx.station.identity);
  expectValue(ctx, 'the Basic-auth password of the connection', auth?.password, password);
}

/** Sets the password (1.6 ChangeConfiguration AuthorizationKey, 2.x SetVariables SecurityCtrlr.BasicAuthPassword); resolves with the status. */
async function setPassword(ctx: ScenarioContext, password: string): Promise<string> {
  if (is16(ctx)) return (await ctx.station.call('ChangeConfiguration', { key: 'AuthorizationKey', value: password })).status;
  const answer = await as201(ctx).call('SetVariables', {
    setVariableData: [{ component: { name: 'SecurityCtrlr' }, variable: { name: 'BasicAuthPassword' }, attributeValue: password }],
  });
  return answer.setVariableResult[0]?.attributeStatus;
}

/** Sets `password`, expects Accepted, then a new connection that carries it. */
async function changePassword(ctx: ScenarioContext, password: string): Promise<void> {
  const before = ctx.station.station;
  expectValue(ctx, `the answer to ${is16(ctx) ? 'ChangeConfiguration' : 'SetVariables'}: status`, await setPassword(ctx, password), 'Accepted');
  await expectNewConnection(ctx, before, ctx.profile.messageTimeoutMs * 2);
  expectCredentials(ctx, password);
}

const connectWithPassword = step(
  'Manual action: power cycle; the connection carries Basic auth with the identity and the password; BootNotification answered Accepted',
  async (ctx) => {
    await expectBootAccepted(ctx, markNow(ctx.station), ctx.manual('powerCycle'));
    expectCredentials(ctx, ctx.profile.password);
  },
);

/** 1.6 TC_085_CS: Basic auth with the configured password. */
export const TC_085_CS = defineScenario({
  id: 'TC_085_CS',
  title: 'Basic Authentication - Valid username/password combination',
  versions: ['ocpp1.6'],
  applicability: needsPassword,
  steps: [connectWithPassword],
});

/** 2.x TC_A_01_CS: Basic auth with the configured password. */
export const TC_A_01_CS = defineScenario({
  id: 'TC_A_01_CS',
  title: 'Basic Authentication - Valid username/password combination',
  versions: ['ocpp2.0.1', 'ocpp2.1'],
  applicability: needsPassword,
  steps: [connectWithPassword],
});

const updateSteps = [
  step('The new password is Accepted; the station reconnects with it', (ctx: ScenarioContext) => changePassword(ctx, NEW_PASSWORD)),
  step('Set back: the configured password is Accepted; the station reconnects with it', (ctx: ScenarioContext) =>
    changePassword(ctx, ctx.profile.password ?? ''),
  ),
];

/** 1.6 TC_073_CS: a new AuthorizationKey, and the reconnect with it. */
export const TC_073_CS = defineScenario({
  id: 'TC_073_CS',
  title: 'Update Charge Point Password for HTTP Basic Authentication',
  versions: ['ocpp1.6'],
  applicability: needsPassword,
  preconditions: [Booted],
  steps: updateSteps,
});

/** 2.x TC_A_09_CS: a new BasicAuthPassword, and the reconnect with it. */
export const TC_A_09_CS = defineScenario({
  id: 'TC_A_09_CS',
  title: 'Update Charging Station Password for HTTP Basic Authentication - Accepted',
  versions: ['ocpp2.0.1', 'ocpp2.1'],
  applicability: needsPassword,
  preconditions: [Booted],
  steps: updateSteps,
});

/** 2.x TC_A_10_CS: a password too short for a passwordString is Rejected; the connection stays. */
export const TC_A_10_CS = defineScenario({
  id: 'TC_A_10_CS',
  title: 'Update Charging Station Password for HTTP Basic Authentication - Rejected',
  versions: ['ocpp2.0.1', 'ocpp2.1'],
  applicability: needsPassword,
  preconditions: [Booted],
  steps: [
    step('SetVariables of a 5-character BasicAuthPassword is Rejected; the station keeps its connection for the message timeout', async (ctx) => {
      const seq = ctx.station.transcript.length;
      expectValue(ctx, 'the answer to SetVariables: attributeStatus', await setPassword(ctx, 'short'), 'Rejected');
      await ctx.station.expectNoCall('BootNotification', { forMs: ctx.profile.messageTimeoutMs });
      await expectStillConnected(ctx, seq);
      expectCredentials(ctx, ctx.profile.password);
    }),
  ],
});
