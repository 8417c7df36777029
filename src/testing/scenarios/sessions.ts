/**
 * Sessions that begin before the cable: identification first (1.6 TC_004_1_CS, 2.x TC_E_04_CS)
 * and remote start first (TC_011_1_CS; TC_F_02_CS with AuthorizeRemoteStart true, TC_F_03_CS
 * false), each ended by the driver so that it leaves no transaction; and their connection
 * timeouts (TC_004_2_CS, TC_011_2_CS, TC_E_05_CS, TC_F_04_CS), after which plugging in starts
 * nothing. The timeout scenarios set the connection timeout to the message timeout (rounded up
 * to whole seconds) and set it back; they apply to a station whose transaction starts once the
 * cable is in (2.x TxStartPoint EVConnected or PowerPathClosed).
 */
import { defineScenario, step, type ScenarioContext, type State } from '../scenario';
import { as201, Authorized, Booted, EnergyTransferStarted, is16, markNow } from '../states';
import { expectValue } from './checks';

/**
 * NoCable: no cable in the profile's connector and no transaction. Reached by unplugging (a
 * manual action), which ends a transaction that runs.
 */
export const NoCable: State = Object.freeze({
  name: 'NoCable',
  requires: [Booted],
  holds: (ctx: ScenarioContext) => Booted.holds(ctx) && !ctx.session.pluggedIn && ctx.session.transactionId === undefined,
  reach: async (ctx: ScenarioContext) => {
    const { session, profile } = ctx;
    // Reached by booting (the state required): nothing is plugged in then.
    if (!session.pluggedIn && session.transactionId === undefined) return;
    const o = { after: markNow(ctx.station), timeoutMs: profile.messageTimeoutMs };
    const ended =
      session.transactionId === undefined
        ? Promise.resolve()
        : is16(ctx)
          ? ctx.station.expectCall('StopTransaction', { transactionId: session.transactionId as number }, o)
          : as201(ctx).expectCall('TransactionEvent', { eventType: 'Ended', transactionInfo: { transactionId: String(session.transactionId) } }, o);
    ended.catch(() => undefined);
    await ctx.manual('unplug', profile.connectorId);
    await ended;
    noSession(ctx);
  },
});

/** Records that nothing is plugged in, authorized or running. */
function noSession(ctx: ScenarioContext): void {
  ctx.session.pluggedIn = false;
  ctx.session.transactionId = undefined;
  ctx.session.authorizedToken = undefined;
}

/** No transaction may start for `forMs` (the cable is not in, or its authorization lapsed). */
async function noTransactionFor(ctx: ScenarioContext, forMs: number): Promise<void> {
  await (is16(ctx) ? ctx.station.expectNoCall('StartTransaction', { forMs }) : as201(ctx).expectNoCall('TransactionEvent', { forMs }));
}

/** Plugs in and expects the transaction to start: 1.6 StartTransaction and Charging, 2.x a TransactionEvent Charging (with `remoteStartId`). */
async function plugInStarts(ctx: ScenarioContext, remoteStartId?: number): Promise<void> {
  const { profile, session } = ctx;
  const plugged = ctx.manual('plugIn', profile.connectorId);
  session.pluggedIn = true;
  if (is16(ctx) || remoteStartId === undefined) {
    await plugged;
    await EnergyTransferStarted.reach(ctx);
    return;
  }
  const event = as201(ctx).expectCall(
    'TransactionEvent',
    { triggerReason: 'RemoteStart', evse: { id: profile.evseId }, transactionInfo: { remoteStartId, chargingState: 'Charging' } },
    { timeoutMs: profile.messageTimeoutMs },
  );
  event.catch(() => undefined);
  await plugged;
  session.transactionId = (await event).request.transactionInfo.transactionId;
}

/** Unplugs: the transaction ends (1.6 StopTransaction EVDisconnected, 2.x TransactionEvent Ended). */
async function unplugEnds(ctx: ScenarioContext): Promise<void> {
  const { profile, session } = ctx;
  const o = { after: markNow(ctx.station), timeoutMs: profile.messageTimeoutMs };
  const ended = is16(ctx)
    ? ctx.station.expectCall('StopTransaction', { transactionId: session.transactionId as number, reason: 'EVDisconnected' }, o)
    : as201(ctx).expectCall('TransactionEvent', { eventType: 'Ended', transactionInfo: { transactionId: String(session.transactionId) } }, o);
  ended.catch(() => undefined);
  await ctx.manual('unplug', profile.connectorId);
  await ended;
  noSession(ctx);
}

/** The connection timeout's key (1.6) or variable (2.x). */
const TIMEOUT_16 = 'ConnectionTimeOut';
const TIMEOUT_2X = { component: { name: 'TxCtrlr' }, variable: { name: 'EVConnectionTimeOut' } };

/** Sets the connection timeout to `seconds` (Accepted expected). */
async function setConnectionTimeout(ctx: ScenarioContext, seconds: number): Promise<void> {
  const status = is16(ctx)
    ? (await ctx.station.call('ChangeConfiguration', { key: TIMEOUT_16, value: String(seconds) })).status
    : (await as201(ctx).call('SetVariables', { setVariableData: [{ ...TIMEOUT_2X, attributeValue: String(seconds) }] })).setVariableResult[0]?.attributeStatus;
  expectValue(ctx, `the answer to setting the connection timeout to ${seconds} s: status`, status, 'Accepted');
}

/** The connection timeout's value now, in seconds. */
async function connectionTimeout(ctx: ScenarioContext): Promise<number> {
  if (is16(ctx)) return Number((await ctx.station.call('GetConfiguration', { key: [TIMEOUT_16] })).configurationKey?.[0]?.value);
  return Number((await as201(ctx).call('GetVariables', { getVariableData: [TIMEOUT_2X] })).getVariableResult[0]?.attributeValue);
}

/** The timeout the scenarios set: the message timeout in whole seconds. */
const shortTimeoutS = (ctx: ScenarioContext): number => Math.max(1, Math.ceil(ctx.profile.messageTimeoutMs / 1000));

const noStartBeforeCable = step('No transaction starts while the cable is out', (ctx: ScenarioContext) => noTransactionFor(ctx, ctx.profile.timingToleranceMs));

/** The steps of an identification-first session. */
const identificationFirst = [
  step('Manual action: present the valid token; Authorize answered Accepted', (ctx: ScenarioContext) => Authorized.reach(ctx)),
  noStartBeforeCable,
  step(
    'Manual action: plug in the cable; the transaction starts (1.6 StartTransaction and StatusNotification Charging; 2.x TransactionEvent Charging)',
    (ctx: ScenarioContext) => plugInStarts(ctx),
  ),
  step('Manual action: unplug; the transaction ends (1.6 StopTransaction EVDisconnected; 2.x TransactionEvent Ended)', unplugEnds),
];

/** 1.6 TC_004_1_CS: identification first. */
export const TC_004_1_CS = defineScenario({
  id: 'TC_004_1_CS',
  title: 'Regular Charging Session - Identification First',
  versions: ['ocpp1.6'],
  preconditions: [NoCable],
  steps: identificationFirst,
});

/** 2.x TC_E_04_CS: identification first. */
export const TC_E_04_CS = defineScenario({
  id: 'TC_E_04_CS',
  title: 'Local start transaction - Authorization first - Success',
  versions: ['ocpp2.0.1', 'ocpp2.1'],
  preconditions: [NoCable],
  steps: identificationFirst,
});

/** The steps of a connection timeout after `begin` (the token presented, or a remote start). */
function timeoutSteps(beginTitle: string, begin: (ctx: ScenarioContext) => Promise<void>) {
  return [
    step('The connection timeout is set to the message timeout (whole seconds)', async (ctx: ScenarioContext) => {
      ctx.values.set('timeout', await connectionTimeout(ctx));
      await setConnectionTimeout(ctx, shortTimeoutS(ctx));
    }),
    step(beginTitle, begin),
    step('No transaction starts within the connection timeout; 1.6: StatusNotification Available once it expires', async (ctx: ScenarioContext) => {
      const { profile } = ctx;
      const mark = markNow(ctx.station);
      const forMs = shortTimeoutS(ctx) * 1000 + profile.timingToleranceMs;
      if (!is16(ctx)) return noTransactionFor(ctx, forMs);
      const available = ctx.station.expectCall(
        'StatusNotification',
        { connectorId: profile.connectorId, status: 'Available' },
        { after: mark, timeoutMs: forMs + profile.messageTimeoutMs },
      );
      available.catch(() => undefined);
      await Promise.all([noTransactionFor(ctx, forMs), available]);
    }),
    step('Manual action: plug in the cable after the timeout; no transaction starts (the authorization lapsed)', async (ctx: ScenarioContext) => {
      // Armed first: a charger may start the transaction before the manual action returns.
      const none = noTransactionFor(ctx, ctx.profile.messageTimeoutMs);
      none.catch(() => undefined);
      await ctx.manual('plugIn', ctx.profile.connectorId);
      ctx.session.pluggedIn = true;
      ctx.session.authorizedToken = undefined;
      await none;
    }),
    step('Set back: manual action: unplug; the connection timeout is set back', async (ctx: ScenarioContext) => {
      await ctx.manual('unplug', ctx.profile.connectorId);
      noSession(ctx);
      await setConnectionTimeout(ctx, ctx.values.get('timeout') as number);
    }),
  ];
}

const presentValid = (ctx: ScenarioContext): Promise<void> => Authorized.reach(ctx);

/** 1.6 TC_004_2_CS: identification first, no cable within ConnectionTimeOut. */
export const TC_004_2_CS = defineScenario({
  id: 'TC_004_2_CS',
  title: 'Regular Charging Session - Identification First - ConnectionTimeOut',
  versions: ['ocpp1.6'],
  preconditions: [NoCable],
  steps: timeoutSteps('Manual action: present the valid token; Authorize answered Accepted', presentValid),
});

/** 2.x TC_E_05_CS: identification first, no cable within EVConnectionTimeOut. */
export const TC_E_05_CS = defineScenario({
  id: 'TC_E_05_CS',
  title: 'Local start transaction - Authorization first - Cable plugin timeout',
  versions: ['ocpp2.0.1', 'ocpp2.1'],
  preconditions: [NoCable],
  steps: timeoutSteps('Manual action: present the valid token; Authorize answered Accepted', presentValid),
});

/** A remote start without a cable, answered Accepted; 2.x keeps the remoteStartId in `values`. */
async function remoteStart(ctx: ScenarioContext): Promise<void> {
  const { profile } = ctx;
  if (is16(ctx)) {
    const answer = await ctx.station.call('RemoteStartTransaction', { connectorId: profile.connectorId, idTag: profile.validToken });
    expectValue(ctx, 'the answer to RemoteStartTransaction: status', answer.status, 'Accepted');
  } else {
    const remoteStartId = 4300 + Math.floor(Math.random() * 1000);
    ctx.values.set('remoteStartId', remoteStartId);
    const answer = await as201(ctx).call('RequestStartTransaction', {
      evseId: profile.evseId,
      remoteStartId,
      idToken: { idToken: profile.validToken, type: 'Central' },
    });
    expectValue(ctx, 'the answer to RequestStartTransaction: status', answer.status, 'Accepted');
  }
  ctx.session.authorizedToken = profile.validToken;
}

/** The steps of a remote-first session, with `authorize` between the start and the cable (2.x AuthorizeRemoteStart). */
function remoteFirst(authorize?: (ctx: ScenarioContext) => Promise<void>) {
  return [
    step('RemoteStartTransaction (2.x RequestStartTransaction) without a cable is Accepted', remoteStart),
    ...(authorize === undefined ? [] : [step('The idToken is authorized as AuthorizeRemoteStart says', authorize)]),
    noStartBeforeCable,
    step(
      'Manual action: plug in the cable; the transaction starts (1.6 StartTransaction and Charging; 2.x TransactionEvent RemoteStart with the remoteStartId)',
      (ctx) => plugInStarts(ctx, ctx.values.get('remoteStartId') as number | undefined),
    ),
    step('Manual action: unplug; the transaction ends', unplugEnds),
  ];
}

/** 1.6 TC_011_1_CS: remote start first. */
export const TC_011_1_CS = defineScenario({
  id: 'TC_011_1_CS',
  title: 'Remote Start Charging Session - Remote Start First',
  versions: ['ocpp1.6'],
  preconditions: [NoCable],
  steps: remoteFirst(),
});

/** 1.6 TC_011_2_CS: remote start, no cable within ConnectionTimeOut. */
export const TC_011_2_CS = defineScenario({
  id: 'TC_011_2_CS',
  title: 'Remote Start Charging Session - Time Out',
  versions: ['ocpp1.6'],
  preconditions: [NoCable],
  steps: timeoutSteps('RemoteStartTransaction without a cable is Accepted', remoteStart),
});

/** 2.x: sets AuthCtrlr.AuthorizeRemoteStart (Accepted expected), keeping the old value to set back. */
async function setAuthorizeRemoteStart(ctx: ScenarioContext, value: boolean): Promise<void> {
  const variable = { component: { name: 'AuthCtrlr' }, variable: { name: 'AuthorizeRemoteStart' } };
  const old = (await as201(ctx).call('GetVariables', { getVariableData: [variable] })).getVariableResult[0]?.attributeValue;
  if (!ctx.values.has('authorizeRemoteStart')) ctx.values.set('authorizeRemoteStart', old);
  const answer = await as201(ctx).call('SetVariables', { setVariableData: [{ ...variable, attributeValue: String(value) }] });
  expectValue(ctx, 'the answer to SetVariables AuthCtrlr.AuthorizeRemoteStart: attributeStatus', answer.setVariableResult[0]?.attributeStatus, 'Accepted');
}

/** 2.x: the remote-first scenario with AuthorizeRemoteStart `value`, set back at the end. */
function remoteFirst2x(id: string, value: boolean) {
  const authorize = value
    ? (ctx: ScenarioContext) =>
        as201(ctx)
          .expectCall(
            'Authorize',
            { idToken: { idToken: ctx.profile.validToken } },
            { timeoutMs: ctx.profile.messageTimeoutMs, respond: { idTokenInfo: { status: 'Accepted' } } },
          )
          .then(() => undefined)
    : (ctx: ScenarioContext) => as201(ctx).expectNoCall('Authorize', { forMs: ctx.profile.timingToleranceMs });
  return defineScenario({
    id,
    title: `Remote start transaction - Remote start first - AuthorizeRemoteStart is ${value}`,
    versions: ['ocpp2.0.1', 'ocpp2.1'],
    preconditions: [NoCable],
    steps: [
      step(`SetVariables AuthCtrlr.AuthorizeRemoteStart ${value} is Accepted`, (ctx) => setAuthorizeRemoteStart(ctx, value)),
      ...remoteFirst(authorize),
      step('Set back: AuthCtrlr.AuthorizeRemoteStart as it was', async (ctx) => {
        const old = ctx.values.get('authorizeRemoteStart') as string | undefined;
        if (old !== undefined) await setAuthorizeRemoteStart(ctx, old === 'true');
      }),
    ],
  });
}

/** 2.x TC_F_02_CS: remote start first; the station authorizes the idToken first. */
export const TC_F_02_CS = remoteFirst2x('TC_F_02_CS', true);
/** 2.x TC_F_03_CS: remote start first; the station does not authorize the idToken. */
export const TC_F_03_CS = remoteFirst2x('TC_F_03_CS', false);

/** 2.x TC_F_04_CS: remote start, no cable within EVConnectionTimeOut. */
export const TC_F_04_CS = defineScenario({
  id: 'TC_F_04_CS',
  title: 'Remote start transaction - Remote start first - Cable plugin timeout',
  versions: ['ocpp2.0.1', 'ocpp2.1'],
  preconditions: [NoCable],
  steps: timeoutSteps('RequestStartTransaction without a cable is Accepted', remoteStart),
});
