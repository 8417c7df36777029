/**
 * OCTT's reusable states, as {@link State}s that chain themselves ("if State is NOT X then
 * execute X"): {@link Booted}, {@link EVConnectedPreSession}, {@link Authorized},
 * {@link EnergyTransferStarted}; and the small helpers the ready scenarios share.
 */
import { monotonicNow } from './clock';
import { ExpectationError } from './errors';
import type { Received } from './received';
import type { ScenarioContext, State } from './scenario';
import type { StationHandle } from './station-handle';

/**
 * A reference point for `after` in expectations: only CALLs that come after this moment count,
 * and `notBeforeMs` / `withinMs` are measured from it.
 */
export function markNow(station: StationHandle): Received {
  return Object.freeze({
    action: '(mark)',
    request: undefined,
    messageId: '',
    seq: station.transcript.length,
    monotonicMs: monotonicNow(),
    wallTime: '',
    protocol: station.protocol ?? '',
    reply: () => {
      throw new TypeError('a mark is no CALL');
    },
  });
}

/**
 * The answer the station got to `received` (a CALLRESULT's payload), read from the transcript.
 * @throws ExpectationError when no answer was sent (yet).
 */
export function answerOf(station: StationHandle, received: Received): Record<string, unknown> {
  const entries = station.transcript.entries;
  for (let i = entries.length - 1; i >= 0; i--) {
    const e = entries[i];
    if (e.direction === 'out' && e.kind === 'CALLRESULT' && e.messageId === received.messageId) {
      return (JSON.parse(e.text) as [number, string, Record<string, unknown>])[2];
    }
  }
  throw new ExpectationError({
    awaited: `the answer to ${received.action} #${received.seq} in the transcript`,
    got: 'none was sent',
    identity: station.identity,
  });
}

/** Whether the scenario runs in 1.6. */
export function is16(ctx: ScenarioContext): ctx is ScenarioContext<'ocpp1.6'> {
  return ctx.protocol === 'ocpp1.6';
}

/** The station of a 2.x scenario, typed as 2.0.1 (2.1's payloads for these actions are supersets). */
export function as201(ctx: ScenarioContext): StationHandle<'ocpp2.0.1'> {
  return ctx.station as StationHandle<'ocpp2.0.1'>;
}

/**
 * Expects the boot that follows a power cycle or a reset (after `mark`), answering it Accepted
 * with the profile's heartbeat interval, then the status report of every connector: 1.6
 * StatusNotification Available per connector; 2.x StatusNotification Available or NotifyEvent
 * (OCTT's "OR"). The boot's expectation is armed before `action` (the power cycle or the reset
 * call, already under way) is awaited, so a boot that comes at once still gets the answer.
 */
export async function expectBootAccepted(ctx: ScenarioContext, mark: Received, action: Promise<void>, reason?: string): Promise<Received> {
  const { profile } = ctx;
  const respond = { status: 'Accepted' as const, interval: profile.heartbeatIntervalS };
  const timeoutMs = profile.messageTimeoutMs;
  const boot = is16(ctx)
    ? ctx.station.expectCall('BootNotification', {}, { after: mark, timeoutMs, respond })
    : as201(ctx).expectCall('BootNotification', reason === undefined ? {} : { reason: reason as 'PowerUp' }, { after: mark, timeoutMs, respond });
  boot.catch(() => undefined);
  await action;
  const received = await boot;
  await expectConnectorsAvailable(ctx, received);
  noteBooted(ctx);
  return received;
}

/** Expects a status report Available for every connector of the profile, after `after`. */
export async function expectConnectorsAvailable(ctx: ScenarioContext, after: Received): Promise<void> {
  const { profile } = ctx;
  const timeoutMs = profile.messageTimeoutMs;
  if (is16(ctx)) {
    await ctx.station.expectAll(
      profile.connectorIds.map((connectorId) => ['StatusNotification', { connectorId, status: 'Available' }] as const),
      { after, timeoutMs },
    );
    return;
  }
  const st = as201(ctx);
  for (const connectorId of profile.connectorIds) {
    await st.expectOneOf(
      [
        ['StatusNotification', { evseId: profile.evseId, connectorId, connectorStatus: 'Available' }],
        ['NotifyEvent', { eventData: [{ actualValue: 'Available', component: { name: 'Connector' } }] }],
      ],
      { after, timeoutMs },
    );
  }
}

/** Records that the station booted on its current connection (nothing authorized, no transaction). */
export function noteBooted(ctx: ScenarioContext): void {
  ctx.session.on = ctx.station.station;
  ctx.session.authorizedToken = undefined;
  ctx.session.transactionId = undefined;
  ctx.session.pluggedIn = false;
}

/** Whether the session facts belong to the station's current connection. */
function current(ctx: ScenarioContext): boolean {
  return ctx.station.connected && ctx.session.on === ctx.station.station;
}

/**
 * Whether the station's current connection has had a BootNotification answered Accepted: read
 * from the transcript, back to the latest `connected` event.
 */
function bootedOnThisConnection(station: StationHandle): boolean {
  if (!station.connected) return false;
  const entries = station.transcript.entries;
  for (let i = entries.length - 1; i >= 0; i--) {
    const e = entries[i];
    if (e.kind === 'event' && e.text.startsWith('connected')) return false;
    if (e.direction === 'out' && e.kind === 'CALLRESULT' && e.action === 'BootNotification') {
      try {
        if ((JSON.parse(e.text) as [number, string, { status?: string }])[2].status === 'Accepted') return true;
      } catch {
        // Not JSON: not an Accepted boot.
      }
    }
  }
  return false;
}

/**
 * Booted: the station is connected and its BootNotification was answered Accepted on this
 * connection. Reached by a power cycle (a manual action), answering the boot Accepted with the
 * profile's heartbeat interval and expecting the status of every connector.
 */
export const Booted: State = Object.freeze({
  name: 'Booted',
  holds: (ctx: ScenarioContext) => bootedOnThisConnection(ctx.station),
  reach: async (ctx: ScenarioContext) => {
    const mark = markNow(ctx.station);
    await expectBootAccepted(ctx, mark, ctx.manual('powerCycle'));
  },
});

/**
 * EVConnectedPreSession: a cable is plugged into the profile's connector, no transaction yet.
 * Reached by plugging in (a manual action): 1.6 StatusNotification Preparing, 2.x
 * StatusNotification Occupied.
 */
export const EVConnectedPreSession: State = Object.freeze({
  name: 'EVConnectedPreSession',
  requires: [Booted],
  holds: (ctx: ScenarioContext) => current(ctx) && ctx.session.pluggedIn === true,
  reach: async (ctx: ScenarioContext) => {
    const { profile } = ctx;
    const mark = markNow(ctx.station);
    const plugged = ctx.manual('plugIn', profile.connectorId);
    const o = { after: mark, timeoutMs: profile.messageTimeoutMs };
    const status = is16(ctx)
      ? ctx.station.expectCall('StatusNotification', { connectorId: profile.connectorId, status: 'Preparing' }, o)
      : as201(ctx).expectCall('StatusNotification', { evseId: profile.evseId, connectorId: profile.connectorId, connectorStatus: 'Occupied' }, o);
    status.catch(() => undefined);
    await plugged;
    await status;
    ctx.session.pluggedIn = true;
  },
});

/**
 * Authorized: the profile's valid token was presented and the CSMS accepted it. Reached by
 * presenting it (a manual action) and answering the Authorize Accepted.
 */
export const Authorized: State = Object.freeze({
  name: 'Authorized',
  requires: [Booted],
  holds: (ctx: ScenarioContext) => current(ctx) && ctx.session.authorizedToken !== undefined,
  reach: async (ctx: ScenarioContext) => {
    const { profile } = ctx;
    const token = profile.validToken;
    const mark = markNow(ctx.station);
    const presented = ctx.manual('presentToken', token);
    const o = { after: mark, timeoutMs: profile.messageTimeoutMs };
    const authorize = is16(ctx)
      ? ctx.station.expectCall('Authorize', { idTag: token }, { ...o, respond: { idTagInfo: { status: 'Accepted' } } })
      : as201(ctx).expectCall('Authorize', { idToken: { idToken: token } }, { ...o, respond: { idTokenInfo: { status: 'Accepted' } } });
    authorize.catch(() => undefined);
    await presented;
    await authorize;
    ctx.session.authorizedToken = token;
  },
});

/**
 * EnergyTransferStarted: a transaction runs on the profile's connector and energy flows. Reached
 * from EVConnectedPreSession and Authorized: 1.6 StartTransaction and StatusNotification
 * Charging (any order); 2.x a TransactionEvent with chargingState Charging.
 */
export const EnergyTransferStarted: State = Object.freeze({
  name: 'EnergyTransferStarted',
  requires: [EVConnectedPreSession, Authorized],
  holds: (ctx: ScenarioContext) => current(ctx) && ctx.session.transactionId !== undefined,
  reach: async (ctx: ScenarioContext) => {
    const { profile, session } = ctx;
    const timeoutMs = profile.messageTimeoutMs;
    if (is16(ctx)) {
      const [start] = await ctx.station.expectAll(
        [
          ['StartTransaction', { connectorId: profile.connectorId, idTag: session.authorizedToken }],
          ['StatusNotification', { connectorId: profile.connectorId, status: 'Charging' }],
        ],
        { timeoutMs },
      );
      session.transactionId = answerOf(ctx.station, start).transactionId as number;
      return;
    }
    const event = await as201(ctx).expectCall(
      'TransactionEvent',
      { evse: { id: profile.evseId }, transactionInfo: { chargingState: 'Charging' } },
      { timeoutMs },
    );
    session.transactionId = event.request.transactionInfo.transactionId;
  },
});

/** The reusable states, by OCTT name. */
export const STATES: Readonly<Record<string, State>> = Object.freeze({ Booted, EVConnectedPreSession, Authorized, EnergyTransferStarted });
