/**
 * CSMS remote-control scenarios, each started by the tester through the {@link CsmsDriver}:
 * remote start, cable first (TC_010_CSMS, TC_F_01_CSMS); remote stop (TC_012_CSMS,
 * TC_E_21_CSMS); reset and the reboot after it (TC_013_CSMS, TC_014_CSMS, TC_B_20_CSMS); a
 * triggered Heartbeat (TC_054_CSMS, TC_F_20_CSMS).
 */
import type { OcppVersion } from '../../index';
import { csmsStep, defineCsmsScenario, type CsmsScenario, type CsmsScenarioContext } from './scenario';
import { BootAccepted, commanded, cp16, cp2x, expectField, is16, sendBoot, sendStatus, startTransaction, transactionEvent, TransactionStarted } from './states';

/** The wait for a CALL the CSMS was asked to send. */
const within = (ctx: CsmsScenarioContext): { timeoutMs: number } => ({ timeoutMs: ctx.profile.messageTimeoutMs });

const remoteStartSteps = [
  csmsStep('Cable plugged in: StatusNotification Preparing (1.6) or Occupied (2.x) answered', (ctx: CsmsScenarioContext) =>
    sendStatus(ctx, 'Preparing', 'Occupied'),
  ),
  csmsStep(
    'Manual action: the CSMS starts a transaction for the valid token; RemoteStartTransaction (1.6) or RequestStartTransaction (2.x) for it, answered Accepted',
    async (ctx: CsmsScenarioContext) => {
      const { validToken, evseId } = ctx.profile;
      const respond = { respond: { status: 'Accepted' as const } };
      if (is16(ctx)) {
        await commanded(
          () => ctx.manual('remoteStart', validToken, evseId),
          () => cp16(ctx).expectCall('RemoteStartTransaction', { idTag: validToken }, { ...within(ctx), ...respond }),
        );
      } else {
        const got = await commanded(
          () => ctx.manual('remoteStart', validToken, evseId),
          () => cp2x(ctx).expectCall('RequestStartTransaction', { idToken: { idToken: validToken } }, { ...within(ctx), ...respond }),
        );
        ctx.values.set('remoteStartId', got.request.remoteStartId);
      }
      ctx.session.authorizedToken = validToken;
    },
  ),
  csmsStep(
    'Transaction started for the remote start: 1.6 StartTransaction answered Accepted; 2.x TransactionEvent Started (RemoteStart, with its remoteStartId) answered Accepted',
    async (ctx: CsmsScenarioContext) => {
      await startTransaction(ctx, is16(ctx) ? undefined : Number(ctx.values.get('remoteStartId')));
      if (is16(ctx)) await sendStatus(ctx, 'Charging', 'Occupied');
    },
  ),
];

/** 1.6 TC_010_CSMS: the CSMS starts a transaction remotely on a charger whose cable is plugged in. */
export const TC_010_CSMS = defineCsmsScenario({
  id: 'TC_010_CSMS',
  title: 'Remote Start Charging Session - Cable Plugged in First',
  versions: ['ocpp1.6'],
  preconditions: [BootAccepted],
  steps: remoteStartSteps,
});

/** 2.0.1 TC_F_01_CSMS (2.1 unchanged): the CSMS starts a transaction remotely, cable first. */
export const TC_F_01_CSMS = defineCsmsScenario({
  id: 'TC_F_01_CSMS',
  title: 'Remote start transaction - Cable plugin first',
  versions: ['ocpp2.0.1', 'ocpp2.1'],
  preconditions: [BootAccepted],
  steps: remoteStartSteps,
});

const remoteStopSteps = [
  csmsStep(
    'Manual action: the CSMS stops the transaction; RemoteStopTransaction (1.6) or RequestStopTransaction (2.x) naming it, answered Accepted',
    async (ctx: CsmsScenarioContext) => {
      const transactionId = ctx.session.transactionId as string | number;
      const respond = { respond: { status: 'Accepted' as const } };
      if (is16(ctx)) {
        await commanded(
          () => ctx.manual('remoteStop', transactionId),
          () => cp16(ctx).expectCall('RemoteStopTransaction', { transactionId: Number(transactionId) }, { ...within(ctx), ...respond }),
        );
      } else {
        await commanded(
          () => ctx.manual('remoteStop', transactionId),
          () => cp2x(ctx).expectCall('RequestStopTransaction', { transactionId: String(transactionId) }, { ...within(ctx), ...respond }),
        );
      }
    },
  ),
  csmsStep(
    'Transaction ended remotely: 1.6 StopTransaction (Remote) answered; 2.x TransactionEvent Ended (RemoteStop) answered',
    async (ctx: CsmsScenarioContext) => {
      if (is16(ctx)) {
        await sendStatus(ctx, 'Finishing', 'Available');
        const transactionId = Number(ctx.session.transactionId);
        await cp16(ctx).call('StopTransaction', { transactionId, meterStop: 1000, timestamp: new Date().toISOString(), reason: 'Remote' });
      } else {
        const event = transactionEvent(ctx, 'Ended', 'RemoteStop');
        event.transactionInfo = { ...event.transactionInfo, stoppedReason: 'Remote' };
        await cp2x(ctx).call('TransactionEvent', event);
      }
      ctx.session.transactionId = undefined;
    },
  ),
];

/** 1.6 TC_012_CSMS: the CSMS stops a running transaction remotely. */
export const TC_012_CSMS = defineCsmsScenario({
  id: 'TC_012_CSMS',
  title: 'Remote Stop Charging Session',
  versions: ['ocpp1.6'],
  preconditions: [TransactionStarted],
  steps: remoteStopSteps,
});

/** 2.0.1 TC_E_21_CSMS (2.1 unchanged): the CSMS stops a running transaction remotely. */
export const TC_E_21_CSMS = defineCsmsScenario({
  id: 'TC_E_21_CSMS',
  title: 'Stop transaction options - StopAuthorized - Remote',
  versions: ['ocpp2.0.1', 'ocpp2.1'],
  preconditions: [TransactionStarted],
  steps: remoteStopSteps,
});

/** A reset of `type`, then the reboot a charger does after it: reconnect, boot (2.x RemoteReset) Accepted, status. */
function resetScenario<V extends OcppVersion>(id: string, title: string, versions: readonly V[], type: string): CsmsScenario<V> {
  return defineCsmsScenario<V>({
    id,
    title,
    versions,
    preconditions: [BootAccepted],
    steps: [
      csmsStep(`Manual action: the CSMS resets the charger; Reset ${type}, answered Accepted`, async (ctx) => {
        await commanded(
          () => ctx.manual('reset', type),
          () => ctx.chargePoint.expectCall('Reset', { type } as never, { ...within(ctx), respond: { status: 'Accepted' } as never }),
        );
      }),
      csmsStep('The charger reboots: it reconnects and BootNotification (2.x reason RemoteReset) is answered Accepted', async (ctx) => {
        await ctx.chargePoint.disconnect({ code: 1001, reason: 'resetting' });
        await ctx.connect();
        expectField(ctx, 'the answer to BootNotification after the reset: status', (await sendBoot(ctx, 'RemoteReset')).status, 'Accepted');
        ctx.session.booted = true;
      }),
      csmsStep('StatusNotification Available answered', (ctx) => sendStatus(ctx, 'Available', 'Available')),
    ],
  });
}

/** 1.6 TC_013_CSMS: the CSMS hard-resets the charger and accepts its boot after. */
export const TC_013_CSMS = resetScenario('TC_013_CSMS', 'Hard Reset', ['ocpp1.6'], 'Hard');

/** 1.6 TC_014_CSMS: the CSMS soft-resets the charger and accepts its boot after. */
export const TC_014_CSMS = resetScenario('TC_014_CSMS', 'Soft Reset', ['ocpp1.6'], 'Soft');

/** 2.0.1 TC_B_20_CSMS (2.1 unchanged): the CSMS resets an idle charger (OnIdle) and accepts its boot after. */
export const TC_B_20_CSMS = resetScenario('TC_B_20_CSMS', 'Reset Charging Station - Without ongoing transaction - OnIdle', ['ocpp2.0.1', 'ocpp2.1'], 'OnIdle');

const triggerSteps = [
  csmsStep('Manual action: the CSMS triggers a Heartbeat; TriggerMessage Heartbeat, answered Accepted', async (ctx: CsmsScenarioContext) => {
    await commanded(
      () => ctx.manual('triggerMessage', 'Heartbeat'),
      () =>
        ctx.chargePoint.expectCall('TriggerMessage', { requestedMessage: 'Heartbeat' } as never, { ...within(ctx), respond: { status: 'Accepted' } as never }),
    );
  }),
  csmsStep('The triggered Heartbeat answered with the current time', async (ctx: CsmsScenarioContext) => {
    const { currentTime } = is16(ctx) ? await cp16(ctx).call('Heartbeat', {}) : await cp2x(ctx).call('Heartbeat', {});
    expectField(ctx, 'the answer to Heartbeat: currentTime is a date', Number.isNaN(Date.parse(currentTime)), false);
  }),
];

/** 1.6 TC_054_CSMS: the CSMS triggers a message (Heartbeat) and answers it. */
export const TC_054_CSMS = defineCsmsScenario({
  id: 'TC_054_CSMS',
  title: 'Trigger Message',
  versions: ['ocpp1.6'],
  preconditions: [BootAccepted],
  steps: triggerSteps,
});

/** 2.0.1 TC_F_20_CSMS (2.1 unchanged): the CSMS triggers a Heartbeat and answers it. */
export const TC_F_20_CSMS = defineCsmsScenario({
  id: 'TC_F_20_CSMS',
  title: 'Trigger message - Heartbeat',
  versions: ['ocpp2.0.1', 'ocpp2.1'],
  preconditions: [BootAccepted],
  steps: triggerSteps,
});
