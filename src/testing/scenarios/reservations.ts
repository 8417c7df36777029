/**
 * Reservation scenarios, 1.6 (row 20 of the design doc's table; 2.0.1 has none in this
 * edition): a reservation for the valid token, used by a local start that carries its
 * reservationId (TC_046_1_CS); a reservation that lapses at its expiry date, the connector
 * Available again (TC_047_CS); a reservation refused Occupied while a cable is in (TC_048_2_CS);
 * and a reservation for another idTag of the same parentIdTag, used by the valid token
 * (TC_053_CS). The ids and titles follow the design doc's table, not OCA's own test case
 * document. Each starts with nothing plugged in and leaves nothing plugged in or reserved.
 */
import type { OCPP16 } from '../../index';
import type { Received } from '../received';
import { defineScenario, step, type ScenarioContext } from '../scenario';
import { answerOf, EVConnectedPreSession, markNow } from '../states';
import { expectValue } from './checks';
import { NoCable } from './sessions';

type Ctx = ScenarioContext<'ocpp1.6'>;

/** The reservation of the current run: its id, when it was asked for, and how long it holds. */
const reservations = new WeakMap<object, { id: number; asked: Received; expiryMs: number }>();

function reservationOf(ctx: Ctx): { id: number; asked: Received; expiryMs: number } {
  const r = reservations.get(ctx.station);
  if (r === undefined) throw new Error('no reservation was made in this run');
  return r;
}

/** The idTag another card of the valid token's parent reserves with (TC_053_CS), and that parent (CiString20). */
const sibling = (ctx: Ctx): string => `R-${ctx.profile.validToken}`.slice(0, 20);
const parent = (ctx: Ctx): string => `P-${ctx.profile.validToken}`.slice(0, 20);

/** ReserveNow of the profile's connector for `idTag`, holding `expiryMs`; its answer must be `status`. */
async function reserve(ctx: Ctx, idTag: string, expiryMs: number, status: OCPP16.ReserveNowResponse['status'], parentIdTag?: string): Promise<Received> {
  const asked = markNow(ctx.station);
  const id = (asked.seq % 1000) + 1;
  reservations.set(ctx.station, { id, asked, expiryMs });
  const request = { connectorId: ctx.profile.connectorId, expiryDate: new Date(Date.now() + expiryMs).toISOString(), idTag, reservationId: id };
  const answer = await ctx.station.call('ReserveNow', parentIdTag === undefined ? request : { ...request, parentIdTag });
  expectValue(ctx, 'the answer to ReserveNow: status', answer.status, status);
  return asked;
}

/** ReserveNow Accepted, then StatusNotification Reserved. */
async function reserveAccepted(ctx: Ctx, idTag: string, expiryMs: number, parentIdTag?: string): Promise<void> {
  const asked = await reserve(ctx, idTag, expiryMs, 'Accepted', parentIdTag);
  const o = { after: asked, timeoutMs: ctx.profile.messageTimeoutMs };
  await ctx.station.expectCall('StatusNotification', { connectorId: ctx.profile.connectorId, status: 'Reserved' }, o);
}

/** Long enough for a whole session on the reservation. */
const holdMs = (ctx: Ctx): number => 10 * ctx.profile.messageTimeoutMs;

/**
 * The valid token at the reader (its Authorize answered Accepted, naming `parentIdTag`), then
 * the cable: StartTransaction on the reservation, and Charging.
 */
async function startOnReservation(ctx: Ctx, parentIdTag?: string): Promise<void> {
  const { profile, session } = ctx;
  const token = profile.validToken;
  const o = { after: markNow(ctx.station), timeoutMs: profile.messageTimeoutMs };
  const idTagInfo = parentIdTag === undefined ? { status: 'Accepted' as const } : { status: 'Accepted' as const, parentIdTag };
  const authorize = ctx.station.expectCall('Authorize', { idTag: token }, { ...o, respond: { idTagInfo } });
  authorize.catch(() => undefined);
  await ctx.manual('presentToken', token);
  await authorize;
  session.authorizedToken = token;
  const started = ctx.station.expectAll(
    [
      ['StartTransaction', { connectorId: profile.connectorId, idTag: token, reservationId: reservationOf(ctx).id }],
      ['StatusNotification', { connectorId: profile.connectorId, status: 'Charging' }],
    ],
    { after: o.after, timeoutMs: profile.messageTimeoutMs },
  );
  started.catch(() => undefined);
  await ctx.manual('plugIn', profile.connectorId);
  session.pluggedIn = true;
  session.transactionId = answerOf(ctx.station, (await started)[0]).transactionId as number;
}

/** Unplugs: StopTransaction, then the connector Available (the reservation was used up). */
async function unplugFree(ctx: Ctx): Promise<void> {
  const { profile, session } = ctx;
  const o = { after: markNow(ctx.station), timeoutMs: profile.messageTimeoutMs };
  const running = session.transactionId;
  const ended = running === undefined ? Promise.resolve() : ctx.station.expectCall('StopTransaction', { transactionId: running as number }, o);
  const free = ctx.station.expectCall('StatusNotification', { connectorId: profile.connectorId, status: 'Available' }, o);
  ended.catch(() => undefined);
  free.catch(() => undefined);
  await ctx.manual('unplug', profile.connectorId);
  await ended;
  await free;
  session.pluggedIn = false;
  session.transactionId = undefined;
  session.authorizedToken = undefined;
}

const UNPLUG = step<'ocpp1.6'>('Unplug: StopTransaction; StatusNotification Available (the reservation is used up)', unplugFree);

/** 1.6 TC_046_1_CS: a local start on a reservation. */
export const TC_046_1_CS = defineScenario<'ocpp1.6'>({
  id: 'TC_046_1_CS',
  title: 'Reservation of a Connector - Local start transaction',
  versions: ['ocpp1.6'],
  preconditions: [NoCable],
  steps: [
    step<'ocpp1.6'>('ReserveNow of the connector for the valid token is Accepted; StatusNotification Reserved', (ctx) =>
      reserveAccepted(ctx, ctx.profile.validToken, holdMs(ctx)),
    ),
    step<'ocpp1.6'>('The valid token is presented (Authorize Accepted), the cable plugged in: StartTransaction with the reservationId; Charging', (ctx) =>
      startOnReservation(ctx),
    ),
    UNPLUG,
  ],
});

/** 1.6 TC_047_CS: a reservation expires. */
export const TC_047_CS = defineScenario<'ocpp1.6'>({
  id: 'TC_047_CS',
  title: 'Reservation of a Connector - Expire',
  versions: ['ocpp1.6'],
  preconditions: [NoCable],
  steps: [
    step<'ocpp1.6'>('ReserveNow expiring after the message timeout is Accepted; StatusNotification Reserved', (ctx) =>
      reserveAccepted(ctx, ctx.profile.validToken, ctx.profile.messageTimeoutMs),
    ),
    step<'ocpp1.6'>('At the expiry date, StatusNotification Available', async (ctx) => {
      const { asked, expiryMs } = reservationOf(ctx);
      const { profile } = ctx;
      const timing = { after: asked, notBeforeMs: expiryMs, withinMs: expiryMs + profile.messageTimeoutMs, toleranceMs: profile.timingToleranceMs };
      await ctx.station.expectCall('StatusNotification', { connectorId: profile.connectorId, status: 'Available' }, timing);
    }),
  ],
});

/** 1.6 TC_048_2_CS: a reservation of an occupied connector is refused. */
export const TC_048_2_CS = defineScenario<'ocpp1.6'>({
  id: 'TC_048_2_CS',
  title: 'Reservation of a Connector - Occupied',
  versions: ['ocpp1.6'],
  preconditions: [EVConnectedPreSession],
  steps: [
    step<'ocpp1.6'>('With the cable in, ReserveNow of the connector is answered Occupied', (ctx) =>
      reserve(ctx, ctx.profile.validToken, holdMs(ctx), 'Occupied'),
    ),
    step<'ocpp1.6'>('Set back: unplug; StatusNotification Available', unplugFree),
  ],
});

/** 1.6 TC_053_CS: a reservation used by another idTag of the same parent. */
export const TC_053_CS = defineScenario<'ocpp1.6'>({
  id: 'TC_053_CS',
  title: 'Reservation of a Connector - parentIdTag',
  versions: ['ocpp1.6'],
  preconditions: [NoCable],
  steps: [
    step<'ocpp1.6'>('ReserveNow of the connector for another idTag with a parentIdTag is Accepted; StatusNotification Reserved', (ctx) =>
      reserveAccepted(ctx, sibling(ctx), holdMs(ctx), parent(ctx)),
    ),
    step<'ocpp1.6'>(
      'The valid token is presented (Authorize Accepted with the same parentIdTag), the cable plugged in: StartTransaction with the reservationId; Charging',
      (ctx) => startOnReservation(ctx, parent(ctx)),
    ),
    UNPLUG,
  ],
});
