/**
 * Availability scenarios (2.x): an EVSE set Inoperative reports Unavailable (TC_G_03_CS) and
 * Available again when set Operative (TC_G_04_CS); a charging station set Inoperative stays
 * Unavailable over a reset (TC_B_23_CS). Each ends with the station Operative, as it found it.
 */
import type { Received } from '../received';
import { defineScenario, step, type ScenarioContext } from '../scenario';
import { as201, Booted, markNow, noteBooted } from '../states';
import { expectValue } from './checks';

/** The status report of every connector of the profile, after `after`: StatusNotification `status` or NotifyEvent (OCTT's "OR"). */
async function expectStatus(ctx: ScenarioContext, after: Received, status: 'Available' | 'Unavailable'): Promise<void> {
  const { profile } = ctx;
  for (const connectorId of profile.connectorIds) {
    await as201(ctx).expectOneOf(
      [
        ['StatusNotification', { evseId: profile.evseId, connectorId, connectorStatus: status }],
        ['NotifyEvent', { eventData: [{ actualValue: status, component: { name: 'Connector' } }] }],
      ],
      { after, timeoutMs: profile.messageTimeoutMs },
    );
  }
}

/** ChangeAvailability (of the profile's EVSE, or of the whole station) answered Accepted, then the status report. */
async function changeAvailability(ctx: ScenarioContext, operative: boolean, scope: 'evse' | 'station'): Promise<void> {
  const mark = markNow(ctx.station);
  const answer = await as201(ctx).call('ChangeAvailability', {
    operationalStatus: operative ? 'Operative' : 'Inoperative',
    ...(scope === 'evse' ? { evse: { id: ctx.profile.evseId } } : {}),
  });
  expectValue(ctx, 'the answer to ChangeAvailability: status', answer.status, 'Accepted');
  await expectStatus(ctx, mark, operative ? 'Available' : 'Unavailable');
}

const X2 = ['ocpp2.0.1', 'ocpp2.1'] as const;

/** 2.x TC_G_03_CS: EVSE Operative to Inoperative. */
export const TC_G_03_CS = defineScenario({
  id: 'TC_G_03_CS',
  title: 'Change Availability EVSE - Operative to inoperative',
  versions: [...X2],
  preconditions: [Booted],
  steps: [
    step('ChangeAvailability Inoperative of the EVSE is Accepted; StatusNotification Unavailable', (ctx) => changeAvailability(ctx, false, 'evse')),
    step('Set back: ChangeAvailability Operative is Accepted; StatusNotification Available', (ctx) => changeAvailability(ctx, true, 'evse')),
  ],
});

/** 2.x TC_G_04_CS: EVSE Inoperative to Operative. */
export const TC_G_04_CS = defineScenario({
  id: 'TC_G_04_CS',
  title: 'Change Availability EVSE - Inoperative to operative',
  versions: [...X2],
  preconditions: [Booted],
  steps: [
    step('Before: ChangeAvailability Inoperative of the EVSE is Accepted; StatusNotification Unavailable', (ctx) => changeAvailability(ctx, false, 'evse')),
    step('ChangeAvailability Operative of the EVSE is Accepted; StatusNotification Available', (ctx) => changeAvailability(ctx, true, 'evse')),
  ],
});

/** 2.x TC_B_23_CS: the station set Inoperative boots Unavailable after a reset. */
export const TC_B_23_CS = defineScenario({
  id: 'TC_B_23_CS',
  title: 'Reset Charging Station - Unavailable persists reset',
  versions: [...X2],
  preconditions: [Booted],
  steps: [
    step('ChangeAvailability Inoperative of the charging station is Accepted; StatusNotification Unavailable', (ctx) =>
      changeAvailability(ctx, false, 'station'),
    ),
    step('Reset OnIdle is Accepted; the station reboots: BootNotification answered Accepted; StatusNotification Unavailable (not Available)', async (ctx) => {
      const { profile } = ctx;
      const st = as201(ctx);
      const mark = markNow(st);
      const respond = { status: 'Accepted' as const, interval: profile.heartbeatIntervalS };
      const boot = st.expectCall('BootNotification', {}, { after: mark, timeoutMs: profile.messageTimeoutMs, respond });
      boot.catch(() => undefined);
      expectValue(ctx, 'the answer to Reset: status', (await st.call('Reset', { type: 'OnIdle' })).status, 'Accepted');
      const booted = await boot;
      noteBooted(ctx);
      await expectStatus(ctx, booted, 'Unavailable');
    }),
    step('Set back: ChangeAvailability Operative is Accepted; StatusNotification Available', (ctx) => changeAvailability(ctx, true, 'station')),
  ],
});
