/**
 * Authorization scenarios: a token the CSMS answers Invalid starts no transaction
 * (TC_023_1_CS, TC_C_02_CS).
 */
import { defineScenario, step, type ScenarioContext } from '../scenario';
import { as201, Booted, is16, markNow } from '../states';

/** Present the invalid token, answer Invalid, and expect no transaction for the message timeout. */
async function invalidToken(ctx: ScenarioContext): Promise<void> {
  const { profile, station } = ctx;
  const token = profile.invalidToken;
  const mark = markNow(station);
  const presented = ctx.manual('presentToken', token);
  const o = { after: mark, timeoutMs: profile.messageTimeoutMs };
  const authorize = is16(ctx)
    ? ctx.station.expectCall('Authorize', { idTag: token }, { ...o, respond: { idTagInfo: { status: 'Invalid' } } })
    : as201(ctx).expectCall('Authorize', { idToken: { idToken: token } }, { ...o, respond: { idTokenInfo: { status: 'Invalid' } } });
  authorize.catch(() => undefined);
  await presented;
  await authorize;
}

async function noTransaction(ctx: ScenarioContext): Promise<void> {
  const forMs = ctx.profile.messageTimeoutMs;
  await (is16(ctx) ? ctx.station.expectNoCall('StartTransaction', { forMs }) : as201(ctx).expectNoCall('TransactionEvent', { forMs }));
}

/** 1.6 TC_023_1_CS: an invalid idTag starts no transaction. */
export const TC_023_1_CS = defineScenario({
  id: 'TC_023_1_CS',
  title: 'Start Charging Session - Authorize invalid',
  versions: ['ocpp1.6'],
  preconditions: [Booted],
  steps: [
    step('Manual action: present the invalid idTag; Authorize answered Invalid', invalidToken),
    step('No StartTransaction within the message timeout', noTransaction),
  ],
});

/** 2.0.1 TC_C_02_CS: an invalid idToken starts no transaction. */
export const TC_C_02_CS = defineScenario({
  id: 'TC_C_02_CS',
  title: 'Local start transaction - Authorization Invalid',
  versions: ['ocpp2.0.1'],
  requirements: ['C01.FR.02'],
  preconditions: [Booted],
  steps: [
    step('Manual action: present the invalid idToken; Authorize answered Invalid', invalidToken),
    step('No TransactionEvent within the message timeout', noTransaction),
  ],
});
