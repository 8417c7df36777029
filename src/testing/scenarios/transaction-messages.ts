/**
 * Transaction messages are delivered whatever happens to the first attempt: resent after a
 * CALLERROR (2.x TC_E_51_CS) or after no answer (TC_E_42_CS), no sooner than the configured
 * interval (OCPPCommCtrlr.MessageAttemptIntervalTransactionEvent, read from the station); and a
 * transaction stopped while the connection is down is reported once it is back (1.6 TC_038_CS
 * StopTransaction; 2.x TC_E_44_CS TransactionEvent Ended with `offline: true`), and so is a whole
 * transaction held offline, authorized by the local list (2.x TC_E_43_CS). Each ends the
 * transaction it started from.
 */
import { sleep } from '../clock';
import { callError } from '../replies';
import { defineScenario, step, type ScenarioContext } from '../scenario';
import { as201, EnergyTransferStarted, is16, markNow } from '../states';
import { expectValue } from './checks';
import { expectNewConnection } from './connection';
import { NoCable } from './sessions';

/** 2.x: an OCPPCommCtrlr variable as a number (undefined when the station does not report it). */
async function commVariable(ctx: ScenarioContext, name: string, instance?: string): Promise<number | undefined> {
  const answer = await as201(ctx).call('GetVariables', {
    getVariableData: [{ component: { name: 'OCPPCommCtrlr' }, variable: { name, ...(instance === undefined ? {} : { instance }) } }],
  });
  const r = answer.getVariableResult[0];
  return r?.attributeStatus === 'Accepted' && r.attributeValue !== undefined ? Number(r.attributeValue) : undefined;
}

/**
 * 2.x: stops the running transaction remotely; its TransactionEvent Ended is answered `first`
 * (a CALLERROR or no answer), and must come again, unchanged (same seqNo), no sooner than the
 * retry interval after the first attempt failed (after the station's message timeout, when it
 * got no answer).
 */
async function endedIsResent(ctx: ScenarioContext, first: 'callerror' | 'no-reply'): Promise<void> {
  const { profile, session } = ctx;
  const st = as201(ctx);
  const intervalS = await commVariable(ctx, 'MessageAttemptIntervalTransactionEvent');
  expectValue(
    ctx,
    'GetVariables OCPPCommCtrlr.MessageAttemptIntervalTransactionEvent: a number',
    typeof intervalS === 'number' && !Number.isNaN(intervalS),
    true,
  );
  const timeoutS = first === 'no-reply' ? ((await commVariable(ctx, 'MessageTimeout', 'Default')) ?? 30) : 0;
  const intervalMs = (intervalS ?? 0) * 1000;
  const transactionId = String(session.transactionId);
  const o = { after: markNow(st), timeoutMs: profile.messageTimeoutMs };
  const failed = st.expectCall(
    'TransactionEvent',
    { eventType: 'Ended', transactionInfo: { transactionId } },
    { ...o, respond: first === 'callerror' ? callError('InternalError', 'the kit fails the first attempt') : 'no-reply' },
  );
  failed.catch(() => undefined);
  expectValue(ctx, 'the answer to RequestStopTransaction: status', (await st.call('RequestStopTransaction', { transactionId })).status, 'Accepted');
  const attempt = await failed;
  const waitMs = timeoutS * 1000 + intervalMs;
  await st.expectCall(
    'TransactionEvent',
    { eventType: 'Ended', seqNo: attempt.request.seqNo, transactionInfo: { transactionId } },
    { after: attempt, notBeforeMs: waitMs, toleranceMs: profile.timingToleranceMs, timeoutMs: waitMs + profile.messageTimeoutMs * 2 },
  );
  session.transactionId = undefined;
  session.authorizedToken = undefined;
}

const X2 = ['ocpp2.0.1', 'ocpp2.1'] as const;

/** 2.x TC_E_51_CS: the Ended event answered with a CALLERROR is resent after the interval. */
export const TC_E_51_CS = defineScenario({
  id: 'TC_E_51_CS',
  title: 'Retry sending transaction message when failed - Success before reaching the max retry count - CallError',
  versions: [...X2],
  preconditions: [EnergyTransferStarted],
  steps: [
    step(
      'RequestStopTransaction is Accepted; TransactionEvent Ended, answered CALLERROR InternalError, comes again (same seqNo) no sooner than MessageAttemptIntervalTransactionEvent',
      (ctx) => endedIsResent(ctx, 'callerror'),
    ),
  ],
});

/** 2.x TC_E_42_CS: the Ended event left unanswered is resent after the message timeout and the interval. */
export const TC_E_42_CS = defineScenario({
  id: 'TC_E_42_CS',
  title: 'Retry sending transaction message when failed - Success before reaching the max retry count',
  versions: [...X2],
  preconditions: [EnergyTransferStarted],
  steps: [
    step(
      'RequestStopTransaction is Accepted; TransactionEvent Ended, left unanswered, comes again (same seqNo) no sooner than MessageTimeout plus MessageAttemptIntervalTransactionEvent',
      (ctx) => endedIsResent(ctx, 'no-reply'),
    ),
  ],
});

/**
 * The CSMS drops the connection and refuses the station for the message timeout; meanwhile the
 * driver presents the token again, which stops the transaction; once connected again the
 * station reports the stop (2.x marked `offline: true`).
 */
async function stopWhileOffline(ctx: ScenarioContext): Promise<void> {
  const { profile, session, station } = ctx;
  const before = station.station;
  const forMs = profile.messageTimeoutMs;
  await station.refuseConnections({ forMs });
  const mark = markNow(station);
  const o = { after: mark, timeoutMs: forMs + profile.messageTimeoutMs * 3 };
  const reported = is16(ctx)
    ? ctx.station.expectCall('StopTransaction', { transactionId: session.transactionId as number }, o)
    : as201(ctx).expectCall('TransactionEvent', { eventType: 'Ended', offline: true, transactionInfo: { transactionId: String(session.transactionId) } }, o);
  reported.catch(() => undefined);
  await ctx.manual('presentToken', session.authorizedToken ?? profile.validToken);
  await expectNewConnection(ctx, before, o.timeoutMs);
  await reported;
  session.transactionId = undefined;
  session.authorizedToken = undefined;
}

const offlineStop = [
  step(
    'The CSMS closes the connection and refuses reconnects for the message timeout; manual action: present the token again (the transaction stops offline); once reconnected, the stop is reported (2.x: TransactionEvent Ended with offline true)',
    stopWhileOffline,
  ),
];

/** 1.6 TC_038_CS: a transaction stopped offline is reported once online. */
export const TC_038_CS = defineScenario({
  id: 'TC_038_CS',
  title: 'Offline Stop Transaction',
  versions: ['ocpp1.6'],
  preconditions: [EnergyTransferStarted],
  steps: offlineStop,
});

/** 2.x TC_E_44_CS: a transaction stopped offline is reported once online, marked offline. */
export const TC_E_44_CS = defineScenario({
  id: 'TC_E_44_CS',
  title: 'Offline Behaviour - Stop transaction during offline period',
  versions: [...X2],
  preconditions: [EnergyTransferStarted],
  steps: offlineStop,
});

/**
 * 2.x: the valid token goes on the local list; the CSMS drops the connection and refuses the
 * station while the driver plugs in, presents the token (the transaction starts offline),
 * presents it again (it stops) and unplugs; once connected again the station sends both events,
 * in order, marked `offline: true`.
 */
async function transactionWhileOffline(ctx: ScenarioContext): Promise<void> {
  const { profile, station } = ctx;
  const st = as201(ctx);
  const versionNumber = (await st.call('GetLocalListVersion', {})).versionNumber + 1;
  const listed = await st.call('SendLocalList', {
    versionNumber,
    updateType: 'Full',
    localAuthorizationList: [{ idToken: { idToken: profile.validToken, type: 'ISO14443' }, idTokenInfo: { status: 'Accepted' } }],
  });
  expectValue(ctx, 'the answer to SendLocalList: status', listed.status, 'Accepted');
  const before = station.station;
  const forMs = profile.messageTimeoutMs * 2;
  await station.refuseConnections({ forMs });
  const timeoutMs = forMs + profile.messageTimeoutMs * 3;
  const events = st.expectAll(
    [
      ['TransactionEvent', { eventType: 'Started', offline: true, idToken: { idToken: profile.validToken } }],
      ['TransactionEvent', { eventType: 'Ended', offline: true }],
    ],
    { anyOrder: false, after: markNow(station), timeoutMs },
  );
  events.catch(() => undefined);
  const pause = (): Promise<void> => sleep(profile.timingToleranceMs);
  await ctx.manual('plugIn', profile.connectorId);
  await pause();
  await ctx.manual('presentToken', profile.validToken);
  await pause();
  await ctx.manual('presentToken', profile.validToken);
  await pause();
  await ctx.manual('unplug', profile.connectorId);
  await expectNewConnection(ctx, before, timeoutMs);
  const [started, ended] = await events;
  const id = (e: unknown): string => (e as { transactionInfo: { transactionId: string } }).transactionInfo.transactionId;
  expectValue(ctx, "the Ended event: transactionId (the Started one's)", id(ended.request), id(started.request));
  ctx.session.pluggedIn = false;
}

/** 2.x TC_E_43_CS: a transaction started and stopped offline, reported once online. */
export const TC_E_43_CS = defineScenario({
  id: 'TC_E_43_CS',
  title: 'Offline Behaviour - Transaction during offline period',
  versions: [...X2],
  preconditions: [NoCable],
  steps: [
    step(
      'SendLocalList Full with the valid token is Accepted; the CSMS closes the connection and refuses reconnects; manual actions: plug in, present the token, present it again, unplug; once reconnected, TransactionEvent Started and Ended follow in order, both offline true',
      transactionWhileOffline,
    ),
  ],
});
