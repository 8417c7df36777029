/**
 * The reusable states of CSMS scenarios, chained like the station's ("if State is NOT X then
 * execute X"): {@link Connected} → {@link BootAccepted} → {@link AuthorizeAccepted} →
 * {@link TransactionStarted}; and the helpers the `_CSMS` scenarios share (typed views of the
 * charger, the requests a charger sends, checks of the CSMS's answers).
 */
import type { OCPP201 } from '../../index';
import type { Received } from '../received';
import { ExpectationError } from '../errors';
import type { TestChargePoint } from '../test-charge-point';
import type { CsmsScenarioContext, CsmsScenarioState } from './scenario';

/** Whether the scenario runs in 1.6. */
export function is16(ctx: CsmsScenarioContext): boolean {
  return ctx.protocol === 'ocpp1.6';
}

/** The charger of a 1.6 scenario. */
export function cp16(ctx: CsmsScenarioContext): TestChargePoint<'ocpp1.6'> {
  return ctx.chargePoint as TestChargePoint<'ocpp1.6'>;
}

/** The charger of a 2.x scenario, typed as 2.0.1 (2.1's requests for these actions are supersets). */
export function cp2x(ctx: CsmsScenarioContext): TestChargePoint<'ocpp2.0.1'> {
  return ctx.chargePoint as TestChargePoint<'ocpp2.0.1'>;
}

/**
 * Fails unless `actual` is one of `expected`; `what` names it, e.g. `the answer to Authorize:
 * idTagInfo.status`.
 * @throws ExpectationError
 */
export function expectField(ctx: CsmsScenarioContext, what: string, actual: unknown, ...expected: readonly unknown[]): void {
  if (expected.includes(actual)) return;
  throw new ExpectationError({
    awaited: `${what} to be ${expected.map((e) => JSON.stringify(e)).join(' or ')}`,
    got: `it was ${JSON.stringify(actual)}`,
    identity: ctx.identity,
    transcriptTail: ctx.chargePoint.transcript.format({ tail: 10 }),
  });
}

/**
 * Sends BootNotification (2.x with `reason`) and resolves with the CSMS's answer; a CALLERROR
 * or no answer within the message timeout fails the step.
 */
export async function sendBoot(ctx: CsmsScenarioContext, reason: OCPP201.BootReasonEnumType = 'PowerUp'): Promise<{ status: string; interval: number }> {
  const { vendor, model } = ctx.profile;
  if (is16(ctx)) return cp16(ctx).call('BootNotification', { chargePointVendor: vendor, chargePointModel: model });
  return cp2x(ctx).call('BootNotification', { reason, chargingStation: { vendorName: vendor, model } });
}

/** Reports the profile's connector with `status` (1.6 ChargePointStatus, 2.x ConnectorStatusEnumType). */
export async function sendStatus(ctx: CsmsScenarioContext, status16: string, status2x: OCPP201.ConnectorStatusEnumType): Promise<void> {
  const { connectorId, evseId } = ctx.profile;
  const timestamp = new Date().toISOString();
  if (is16(ctx)) await cp16(ctx).call('StatusNotification', { connectorId, status: status16 as 'Available', errorCode: 'NoError', timestamp });
  else await cp2x(ctx).call('StatusNotification', { timestamp, connectorStatus: status2x, evseId, connectorId });
}

/** Asks the CSMS to authorize `token`; resolves with the status it gave. */
export async function sendAuthorize(ctx: CsmsScenarioContext, token: string): Promise<string> {
  if (is16(ctx)) return (await cp16(ctx).call('Authorize', { idTag: token })).idTagInfo.status;
  return (await cp2x(ctx).call('Authorize', { idToken: { idToken: token, type: 'ISO14443' } })).idTokenInfo.status;
}

/** A 2.x TransactionEvent of the session's transaction, with the next seqNo. */
export function transactionEvent(
  ctx: CsmsScenarioContext,
  eventType: OCPP201.TransactionEventEnumType,
  triggerReason: OCPP201.TriggerReasonEnumType,
  extra: Partial<OCPP201.TransactionEventRequest> = {},
): OCPP201.TransactionEventRequest {
  const { evseId, connectorId } = ctx.profile;
  const transactionId = String(ctx.session.transactionId);
  return {
    eventType,
    timestamp: new Date().toISOString(),
    triggerReason,
    seqNo: ctx.session.seqNo++,
    transactionInfo: { transactionId },
    evse: { id: evseId, connectorId },
    ...extra,
  };
}

/** A 2.x meter reading of the energy register, in Wh. */
export function energyReading(wh: number): OCPP201.MeterValueType {
  return { timestamp: new Date().toISOString(), sampledValue: [{ value: wh, measurand: 'Energy.Active.Import.Register' }] };
}

/**
 * Has the CSMS do something through the driver (`ask`, which throws at once when the driver
 * cannot: the step is BLOCKED, nothing armed) and expects the CALL it causes (`expect`, armed
 * right after, before any frame can arrive); resolves with that CALL once both are done.
 */
export async function commanded<R extends Received>(ask: () => Promise<void>, expect: () => Promise<R>): Promise<R> {
  const asked = ask();
  const received = expect();
  received.catch(() => undefined);
  const [, got] = await Promise.all([asked, received]);
  return got;
}

/**
 * Starts a transaction for the session's authorized token (1.6 StartTransaction, 2.x
 * TransactionEvent Started with chargingState Charging) and checks that the CSMS accepts the
 * token for it; 2.x uses `transactionId` (a fresh one by default). `remoteStartId` marks a start
 * the CSMS asked for (2.x triggerReason RemoteStart).
 */
export async function startTransaction(ctx: CsmsScenarioContext, remoteStartId?: number): Promise<void> {
  const token = ctx.session.authorizedToken ?? ctx.profile.validToken;
  if (is16(ctx)) {
    const started = await cp16(ctx).call('StartTransaction', {
      connectorId: ctx.profile.connectorId,
      idTag: token,
      meterStart: 0,
      timestamp: new Date().toISOString(),
    });
    expectField(ctx, 'the answer to StartTransaction: idTagInfo.status', started.idTagInfo.status, 'Accepted');
    ctx.session.transactionId = started.transactionId;
    return;
  }
  ctx.session.transactionId = `tx-${Date.now().toString(36)}-${Math.floor(Math.random() * 1e6).toString(36)}`;
  ctx.session.seqNo = 0;
  const event = transactionEvent(ctx, 'Started', remoteStartId === undefined ? 'Authorized' : 'RemoteStart', {
    idToken: { idToken: token, type: 'ISO14443' },
    meterValue: [energyReading(0)],
  });
  event.transactionInfo = { ...event.transactionInfo, chargingState: 'Charging', ...(remoteStartId === undefined ? {} : { remoteStartId }) };
  const answer = await cp2x(ctx).call('TransactionEvent', event);
  expectField(ctx, 'the answer to TransactionEvent Started: idTokenInfo.status', answer.idTokenInfo?.status, 'Accepted');
}

/** Connected: the charger has an open WebSocket to the CSMS (it upgraded with the version's subprotocol). */
export const Connected: CsmsScenarioState = Object.freeze({
  name: 'Connected',
  holds: (ctx: CsmsScenarioContext) => {
    try {
      return ctx.chargePoint.connected;
    } catch {
      return false;
    }
  },
  reach: async (ctx: CsmsScenarioContext) => void (await ctx.connect()),
});

/**
 * BootAccepted: the CSMS answered the charger's BootNotification Accepted on this connection,
 * and the charger reported its connector Available.
 */
export const BootAccepted: CsmsScenarioState = Object.freeze({
  name: 'BootAccepted',
  requires: [Connected],
  holds: (ctx: CsmsScenarioContext) => ctx.session.booted,
  reach: async (ctx: CsmsScenarioContext) => {
    expectField(ctx, 'the answer to BootNotification: status', (await sendBoot(ctx)).status, 'Accepted');
    ctx.session.booted = true;
    await sendStatus(ctx, 'Available', 'Available');
  },
});

/** AuthorizeAccepted: the CSMS accepted the profile's valid token (Authorize). */
export const AuthorizeAccepted: CsmsScenarioState = Object.freeze({
  name: 'AuthorizeAccepted',
  requires: [BootAccepted],
  holds: (ctx: CsmsScenarioContext) => ctx.session.authorizedToken !== undefined,
  reach: async (ctx: CsmsScenarioContext) => {
    const token = ctx.profile.validToken;
    expectField(ctx, 'the answer to Authorize of the valid token: status', await sendAuthorize(ctx, token), 'Accepted');
    ctx.session.authorizedToken = token;
  },
});

/**
 * TransactionStarted: a transaction runs on the profile's connector, accepted by the CSMS (1.6
 * StartTransaction with StatusNotification Charging; 2.x TransactionEvent Started, Charging).
 */
export const TransactionStarted: CsmsScenarioState = Object.freeze({
  name: 'TransactionStarted',
  requires: [AuthorizeAccepted],
  holds: (ctx: CsmsScenarioContext) => ctx.session.transactionId !== undefined,
  reach: async (ctx: CsmsScenarioContext) => {
    await startTransaction(ctx);
    if (is16(ctx)) await sendStatus(ctx, 'Charging', 'Occupied');
  },
});

/** The CSMS-side reusable states, by name. */
export const CSMS_STATES: Readonly<Record<string, CsmsScenarioState>> = Object.freeze({ Connected, BootAccepted, AuthorizeAccepted, TransactionStarted });
