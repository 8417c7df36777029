/**
 * Local authorization list scenarios, 1.6 (row 19 of the design doc's table; 2.0.1 has none in
 * this edition): the list version a station reports after a full update (TC_042_1_CS) and after
 * a differential one (TC_042_2_CS), and a differential update that is not newer than the list
 * answered VersionMismatch, leaving the version as it was (TC_043_2_CS); and a full update whose
 * token the station then authorizes from its list while offline, reporting the transaction once
 * connected again (TC_043_CS: the list is used, not only numbered). The ids and titles
 * follow the design doc's table, not OCA's own test case document. Each begins from the version
 * the station reports, so the scenarios run in any order on one station; the lists they send
 * hold only the profile's valid token.
 */
import { defineScenario, step, type ScenarioContext } from '../scenario';
import { answerOf, Booted, EVConnectedPreSession, markNow } from '../states';
import { expectValue } from './checks';
import { expectNewConnection } from './connection';

type Ctx = ScenarioContext<'ocpp1.6'>;

/** The version of the Full update each run sent, by station. */
const fullVersion = new WeakMap<object, number>();

/** GetLocalListVersion's answer. */
async function listVersion(ctx: Ctx): Promise<number> {
  return (await ctx.station.call('GetLocalListVersion', {})).listVersion;
}

/** The profile's valid token, Accepted, as a list entry. */
const entry = (ctx: Ctx): { idTag: string; idTagInfo: { status: 'Accepted' } } => ({ idTag: ctx.profile.validToken, idTagInfo: { status: 'Accepted' } });

/** A SendLocalList whose answer must be `status`. */
async function sendList(ctx: Ctx, updateType: 'Full' | 'Differential', version: number, status: 'Accepted' | 'VersionMismatch'): Promise<void> {
  const answer = await ctx.station.call('SendLocalList', { listVersion: version, updateType, localAuthorizationList: [entry(ctx)] });
  expectValue(ctx, `the answer to SendLocalList ${updateType} of version ${version}: status`, answer.status, status);
}

/** Step: a Full update, one version above the station's, Accepted. */
const FULL = step<'ocpp1.6'>('GetLocalListVersion; SendLocalList Full of the next version, with the valid token, is Accepted', async (ctx) => {
  const version = (await listVersion(ctx)) + 1;
  await sendList(ctx, 'Full', version, 'Accepted');
  fullVersion.set(ctx.station, version);
});

/** The version the run's Full update sent. */
function sent(ctx: Ctx): number {
  const version = fullVersion.get(ctx.station);
  if (version === undefined) throw new Error('no Full update was sent in this run');
  return version;
}

/** Step: GetLocalListVersion answers the Full version plus `more`. */
function expectVersion(title: string, more: number) {
  return step<'ocpp1.6'>(title, async (ctx) => expectValue(ctx, 'the answer to GetLocalListVersion: listVersion', await listVersion(ctx), sent(ctx) + more));
}

/** 1.6 TC_042_1_CS: the version of a full update is reported. */
export const TC_042_1_CS = defineScenario<'ocpp1.6'>({
  id: 'TC_042_1_CS',
  title: 'Get Local List Version - after a full update',
  versions: ['ocpp1.6'],
  preconditions: [Booted],
  steps: [FULL, expectVersion('GetLocalListVersion answers the version of the Full update', 0)],
});

/** 1.6 TC_042_2_CS: the version of a differential update is reported. */
export const TC_042_2_CS = defineScenario<'ocpp1.6'>({
  id: 'TC_042_2_CS',
  title: 'Get Local List Version - after a differential update',
  versions: ['ocpp1.6'],
  preconditions: [Booted],
  steps: [
    FULL,
    step<'ocpp1.6'>('SendLocalList Differential of the next version is Accepted', (ctx) => sendList(ctx, 'Differential', sent(ctx) + 1, 'Accepted')),
    expectVersion('GetLocalListVersion answers the version of the Differential update', 1),
  ],
});

/** 1.6 TC_043_2_CS: a differential update not newer than the list is refused. */
export const TC_043_2_CS = defineScenario<'ocpp1.6'>({
  id: 'TC_043_2_CS',
  title: 'Send Local Authorization List - VersionMismatch',
  versions: ['ocpp1.6'],
  preconditions: [Booted],
  steps: [
    FULL,
    step<'ocpp1.6'>('SendLocalList Differential of the same version is answered VersionMismatch', (ctx) =>
      sendList(ctx, 'Differential', sent(ctx), 'VersionMismatch'),
    ),
    expectVersion('GetLocalListVersion still answers the version of the Full update', 0),
  ],
});

/**
 * The CSMS drops the connection and refuses reconnects for the message timeout; meanwhile the
 * driver presents the valid token, which only the local list can authorize; once connected
 * again the station reports the transaction it started offline.
 */
async function startOffline(ctx: Ctx): Promise<void> {
  const { profile, session, station } = ctx;
  const before = station.station;
  const forMs = profile.messageTimeoutMs;
  await station.refuseConnections({ forMs });
  const o = { after: markNow(station), timeoutMs: forMs + profile.messageTimeoutMs * 3 };
  const started = station.expectCall('StartTransaction', { connectorId: profile.connectorId, idTag: profile.validToken }, o);
  started.catch(() => undefined);
  await ctx.manual('presentToken', profile.validToken);
  await expectNewConnection(ctx, before, o.timeoutMs);
  session.authorizedToken = profile.validToken;
  session.transactionId = answerOf(station, await started).transactionId as number;
}

/** Unplugs: the transaction ends (StopTransaction) and the connector is Available. */
async function unplugEnds(ctx: Ctx): Promise<void> {
  const { profile, session } = ctx;
  const o = { after: markNow(ctx.station), timeoutMs: profile.messageTimeoutMs };
  const ended = ctx.station.expectCall('StopTransaction', { transactionId: session.transactionId as number }, o);
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

/** 1.6 TC_043_CS: a token of a full update authorizes offline. */
export const TC_043_CS = defineScenario<'ocpp1.6'>({
  id: 'TC_043_CS',
  title: 'Send Local Authorization List - a listed token authorizes offline',
  versions: ['ocpp1.6'],
  preconditions: [EVConnectedPreSession],
  steps: [
    FULL,
    step<'ocpp1.6'>(
      'The CSMS closes the connection and refuses reconnects for the message timeout; manual action: present the valid token (authorized from the local list, offline); once reconnected, StartTransaction for it',
      startOffline,
    ),
    step<'ocpp1.6'>('Unplug: StopTransaction; StatusNotification Available', unplugEnds),
  ],
});
