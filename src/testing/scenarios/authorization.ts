/**
 * Authorization scenarios: a token the CSMS answers Invalid, Expired or Blocked starts no
 * transaction (1.6 TC_023_1_CS, TC_023_2_CS, TC_023_3_CS; 2.x TC_C_02_CS, TC_C_07_CS, TC_C_06_CS).
 * The cable is in first, so that a charger which took the token would start one at once.
 */
import { defineScenario, step, type ScenarioContext } from '../scenario';
import { as201, EVConnectedPreSession, is16, markNow } from '../states';

type Refused = 'Invalid' | 'Expired' | 'Blocked';

/** Present the profile's invalid token and answer its Authorize `status`. */
async function refusedToken(ctx: ScenarioContext, status: Refused): Promise<void> {
  const { profile, station } = ctx;
  const token = profile.invalidToken;
  const mark = markNow(station);
  const presented = ctx.manual('presentToken', token);
  const o = { after: mark, timeoutMs: profile.messageTimeoutMs };
  const authorize = is16(ctx)
    ? ctx.station.expectCall('Authorize', { idTag: token }, { ...o, respond: { idTagInfo: { status } } })
    : as201(ctx).expectCall('Authorize', { idToken: { idToken: token } }, { ...o, respond: { idTokenInfo: { status } } });
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
  preconditions: [EVConnectedPreSession],
  steps: [
    step('Manual action: present the invalid idTag; Authorize answered Invalid', (ctx) => refusedToken(ctx, 'Invalid')),
    step('No StartTransaction within the message timeout', noTransaction),
  ],
});

/** 2.0.1 TC_C_02_CS: an invalid idToken starts no transaction. */
export const TC_C_02_CS = defineScenario({
  id: 'TC_C_02_CS',
  title: 'Local start transaction - Authorization Invalid',
  versions: ['ocpp2.0.1'],
  requirements: ['C01.FR.02'],
  preconditions: [EVConnectedPreSession],
  steps: [
    step('Manual action: present the invalid idToken; Authorize answered Invalid', (ctx) => refusedToken(ctx, 'Invalid')),
    step('No TransactionEvent within the message timeout', noTransaction),
  ],
});

/** A 1.6 scenario: the token answered `status` starts no transaction. */
function refused16(id: string, status: Refused) {
  return defineScenario({
    id,
    title: `Start Charging Session - Authorize ${status.toLowerCase()}`,
    versions: ['ocpp1.6'],
    preconditions: [EVConnectedPreSession],
    steps: [
      step(`Manual action: present an idTag; Authorize answered ${status}`, (ctx) => refusedToken(ctx, status)),
      step('No StartTransaction within the message timeout', noTransaction),
    ],
  });
}

/** A 2.x scenario: the token answered `status` starts no transaction. */
function refused2x(id: string, status: Refused) {
  return defineScenario({
    id,
    title: `Local start transaction - Authorization ${status}`,
    versions: ['ocpp2.0.1', 'ocpp2.1'],
    requirements: ['C01.FR.02'],
    preconditions: [EVConnectedPreSession],
    steps: [
      step(`Manual action: present an idToken; Authorize answered ${status}`, (ctx) => refusedToken(ctx, status)),
      step('No TransactionEvent within the message timeout', noTransaction),
    ],
  });
}

/** 1.6 TC_023_2_CS: an expired idTag starts no transaction. */
export const TC_023_2_CS = refused16('TC_023_2_CS', 'Expired');
/** 1.6 TC_023_3_CS: a blocked idTag starts no transaction. */
export const TC_023_3_CS = refused16('TC_023_3_CS', 'Blocked');
/** 2.x TC_C_06_CS: a blocked idToken starts no transaction. */
export const TC_C_06_CS = refused2x('TC_C_06_CS', 'Blocked');
/** 2.x TC_C_07_CS: an expired idToken starts no transaction. */
export const TC_C_07_CS = refused2x('TC_C_07_CS', 'Expired');
