/**
 * Remote control scenarios: remote start with the cable plugged in first (TC_010_CS,
 * TC_F_01_CS), remote stop (TC_012_CS, TC_F_08_CS) and its rejection (TC_028_CS, TC_F_09_CS),
 * unlock connector (TC_017_1_CS, TC_031_CS, TC_F_05_CS, TC_F_06_CS, TC_F_10_CS) and triggered messages
 * (TC_F_11_CS MeterValues, TC_F_20_CS Heartbeat, TC_F_23_CS StatusNotification).
 */
import { defineScenario, step } from '../scenario';
import { answerOf, Booted, EnergyTransferStarted, EVConnectedPreSession, markNow } from '../states';
import { expectValue } from './checks';

/** 1.6 TC_010_CS: remote start with the cable plugged in first; StartTransaction and Charging in any order. */
export const TC_010_CS = defineScenario<'ocpp1.6'>({
  id: 'TC_010_CS',
  title: 'Remote Start Charging Session - Cable Plugged in First',
  versions: ['ocpp1.6'],
  preconditions: [EVConnectedPreSession],
  steps: [
    step('RemoteStartTransaction is Accepted; StartTransaction and StatusNotification Charging follow (any order)', async (ctx) => {
      const { station, profile } = ctx;
      const session = station.expectAll(
        [
          ['StartTransaction', { connectorId: profile.connectorId, idTag: profile.validToken }],
          ['StatusNotification', { connectorId: profile.connectorId, status: 'Charging' }],
        ],
        { timeoutMs: profile.messageTimeoutMs },
      );
      session.catch(() => undefined);
      const answer = await station.call('RemoteStartTransaction', { connectorId: profile.connectorId, idTag: profile.validToken });
      expectValue(ctx, 'the answer to RemoteStartTransaction: status', answer.status, 'Accepted');
      const [start] = await session;
      ctx.session.transactionId = answerOf(station, start).transactionId as number;
      ctx.session.authorizedToken = profile.validToken;
    }),
  ],
});

/** 2.0.1 TC_F_01_CS: remote start with the cable plugged in first. */
export const TC_F_01_CS = defineScenario<'ocpp2.0.1'>({
  id: 'TC_F_01_CS',
  title: 'Remote start transaction - Cable plugin first',
  versions: ['ocpp2.0.1'],
  requirements: ['F01.FR.01', 'F01.FR.19'],
  preconditions: [EVConnectedPreSession],
  steps: [
    step('RequestStartTransaction is Accepted; a TransactionEvent with triggerReason RemoteStart and the remoteStartId follows, Charging', async (ctx) => {
      const { station, profile } = ctx;
      const remoteStartId = 4201;
      const event = station.expectCall(
        'TransactionEvent',
        { triggerReason: 'RemoteStart', evse: { id: profile.evseId }, transactionInfo: { remoteStartId, chargingState: 'Charging' } },
        { timeoutMs: profile.messageTimeoutMs },
      );
      event.catch(() => undefined);
      const answer = await station.call('RequestStartTransaction', {
        evseId: profile.evseId,
        remoteStartId,
        idToken: { idToken: profile.validToken, type: 'Central' },
      });
      expectValue(ctx, 'the answer to RequestStartTransaction: status', answer.status, 'Accepted');
      const received = await event;
      if (answer.transactionId !== undefined) {
        expectValue(
          ctx,
          'the TransactionEvent: transactionId (as answered to RequestStartTransaction)',
          received.request.transactionInfo.transactionId,
          answer.transactionId,
        );
      }
      ctx.session.transactionId = received.request.transactionInfo.transactionId;
      ctx.session.authorizedToken = profile.validToken;
    }),
  ],
});

/** 1.6 TC_012_CS: remote stop of the running transaction. */
export const TC_012_CS = defineScenario<'ocpp1.6'>({
  id: 'TC_012_CS',
  title: 'Remote Stop Charging Session',
  versions: ['ocpp1.6'],
  preconditions: [EnergyTransferStarted],
  steps: [
    step('RemoteStopTransaction is Accepted; StopTransaction (reason Remote) follows; the connector reports Finishing or Available', async (ctx) => {
      const { station, profile, session } = ctx;
      const transactionId = session.transactionId as number;
      const stop = station.expectCall('StopTransaction', { transactionId, reason: 'Remote' }, { timeoutMs: profile.messageTimeoutMs });
      stop.catch(() => undefined);
      const answer = await station.call('RemoteStopTransaction', { transactionId });
      expectValue(ctx, 'the answer to RemoteStopTransaction: status', answer.status, 'Accepted');
      const stopped = await stop;
      session.transactionId = undefined;
      session.authorizedToken = undefined;
      await station.expectOneOf(
        [
          ['StatusNotification', { connectorId: profile.connectorId, status: 'Finishing' }],
          ['StatusNotification', { connectorId: profile.connectorId, status: 'Available' }],
        ],
        { after: stopped, timeoutMs: profile.messageTimeoutMs },
      );
    }),
  ],
});

/** 2.0.1 TC_F_08_CS: remote stop of the running transaction. */
export const TC_F_08_CS = defineScenario<'ocpp2.0.1'>({
  id: 'TC_F_08_CS',
  title: 'Remote stop transaction - Success',
  versions: ['ocpp2.0.1'],
  requirements: ['F03.FR.01', 'F03.FR.07'],
  preconditions: [EnergyTransferStarted],
  steps: [
    step('RequestStopTransaction is Accepted; TransactionEvent Ended with triggerReason RemoteStop and stoppedReason Remote follows', async (ctx) => {
      const { station, profile, session } = ctx;
      const transactionId = String(session.transactionId);
      const ended = station.expectCall(
        'TransactionEvent',
        { eventType: 'Ended', triggerReason: 'RemoteStop', transactionInfo: { transactionId, stoppedReason: 'Remote' } },
        { timeoutMs: profile.messageTimeoutMs },
      );
      ended.catch(() => undefined);
      const answer = await station.call('RequestStopTransaction', { transactionId });
      expectValue(ctx, 'the answer to RequestStopTransaction: status', answer.status, 'Accepted');
      await ended;
      session.transactionId = undefined;
      session.authorizedToken = undefined;
    }),
  ],
});

/** 1.6 TC_028_CS: a remote stop of an unknown transaction is Rejected. */
export const TC_028_CS = defineScenario<'ocpp1.6'>({
  id: 'TC_028_CS',
  title: 'Remote Stop Transaction - Rejected',
  versions: ['ocpp1.6'],
  preconditions: [Booted],
  steps: [
    step('RemoteStopTransaction of a transaction that does not run is Rejected', async (ctx) => {
      const transactionId = typeof ctx.session.transactionId === 'number' ? ctx.session.transactionId + 100_000 : 987_654;
      const answer = await ctx.station.call('RemoteStopTransaction', { transactionId });
      expectValue(ctx, 'the answer to RemoteStopTransaction: status', answer.status, 'Rejected');
    }),
  ],
});

/** 2.0.1 TC_F_09_CS: a remote stop of an unknown transaction is Rejected. */
export const TC_F_09_CS = defineScenario<'ocpp2.0.1'>({
  id: 'TC_F_09_CS',
  title: 'Remote stop transaction - Rejected',
  versions: ['ocpp2.0.1'],
  requirements: ['F03.FR.08'],
  preconditions: [Booted],
  steps: [
    step('RequestStopTransaction of a transaction that does not run is Rejected', async (ctx) => {
      const answer = await ctx.station.call('RequestStopTransaction', { transactionId: 'no-such-transaction' });
      expectValue(ctx, 'the answer to RequestStopTransaction: status', answer.status, 'Rejected');
    }),
  ],
});

/** 1.6 TC_017_1_CS: unlock a connector without a session (not a fixed cable). */
export const TC_017_1_CS = defineScenario<'ocpp1.6'>({
  id: 'TC_017_1_CS',
  title: 'Unlock connector - no charging session running (Not fixed cable)',
  versions: ['ocpp1.6'],
  preconditions: [Booted],
  steps: [
    step('UnlockConnector is answered Unlocked', async (ctx) => {
      const answer = await ctx.station.call('UnlockConnector', { connectorId: ctx.profile.connectorId });
      expectValue(ctx, 'the answer to UnlockConnector: status', answer.status, 'Unlocked');
    }),
  ],
});

/** 2.0.1 TC_F_06_CS: unlock a connector without a transaction. */
export const TC_F_06_CS = defineScenario<'ocpp2.0.1'>({
  id: 'TC_F_06_CS',
  title: 'Remote unlock Connector - Without ongoing transaction - Accepted',
  versions: ['ocpp2.0.1'],
  requirements: ['F05.FR.02'],
  preconditions: [Booted],
  steps: [
    step('UnlockConnector is answered Unlocked', async (ctx) => {
      const answer = await ctx.station.call('UnlockConnector', { evseId: ctx.profile.evseId, connectorId: ctx.profile.connectorId });
      expectValue(ctx, 'the answer to UnlockConnector: status', answer.status, 'Unlocked');
    }),
  ],
});

/** 2.0.1 TC_F_10_CS: unlocking a connector that does not exist. */
export const TC_F_10_CS = defineScenario<'ocpp2.0.1'>({
  id: 'TC_F_10_CS',
  title: 'Remote unlock Connector - Without ongoing transaction - UnknownConnector',
  versions: ['ocpp2.0.1'],
  requirements: ['F05.FR.06'],
  preconditions: [Booted],
  steps: [
    step('UnlockConnector of an unknown connector is answered UnknownConnector', async (ctx) => {
      const answer = await ctx.station.call('UnlockConnector', { evseId: ctx.profile.evseId, connectorId: 99 });
      expectValue(ctx, 'the answer to UnlockConnector: status', answer.status, 'UnknownConnector');
    }),
  ],
});

/** 1.6 TC_031_CS: unlocking a connector that does not exist. */
export const TC_031_CS = defineScenario<'ocpp1.6'>({
  id: 'TC_031_CS',
  title: 'Unlock Connector - Unknown Connector',
  versions: ['ocpp1.6'],
  preconditions: [Booted],
  steps: [
    step('UnlockConnector of an unknown connector is answered NotSupported', async (ctx) => {
      const answer = await ctx.station.call('UnlockConnector', { connectorId: 99 });
      expectValue(ctx, 'the answer to UnlockConnector: status', answer.status, 'NotSupported');
    }),
  ],
});

/** 2.0.1 TC_F_20_CS: a triggered Heartbeat. */
export const TC_F_20_CS = defineScenario<'ocpp2.0.1'>({
  id: 'TC_F_20_CS',
  title: 'Trigger message - Heartbeat',
  versions: ['ocpp2.0.1'],
  requirements: ['F06.FR.04'],
  // A periodic Heartbeat could pass for the triggered one: the interval must be well beyond the wait.
  applicability: (profile) =>
    profile.heartbeatIntervalS * 1000 > 2 * profile.messageTimeoutMs ||
    `the heartbeat interval (${profile.heartbeatIntervalS} s) must exceed twice the message timeout (${profile.messageTimeoutMs} ms)`,
  preconditions: [Booted],
  steps: [
    step('TriggerMessage Heartbeat is Accepted; a Heartbeat follows', async (ctx) => {
      const { station, profile } = ctx;
      const heartbeat = station.expectCall('Heartbeat', {}, { after: markNow(station), withinMs: profile.messageTimeoutMs });
      heartbeat.catch(() => undefined);
      const answer = await station.call('TriggerMessage', { requestedMessage: 'Heartbeat' });
      expectValue(ctx, 'the answer to TriggerMessage: status', answer.status, 'Accepted');
      await heartbeat;
    }),
  ],
});

/** 2.0.1 TC_F_23_CS: a triggered StatusNotification of a specific connector, Available. */
export const TC_F_23_CS = defineScenario<'ocpp2.0.1'>({
  id: 'TC_F_23_CS',
  title: 'Trigger message - StatusNotification - Specific EVSE - Available',
  versions: ['ocpp2.0.1'],
  requirements: ['F06.FR.05', 'F06.FR.06'],
  preconditions: [Booted],
  steps: [
    step('TriggerMessage StatusNotification for the EVSE and connector is Accepted; StatusNotification Available follows', async (ctx) => {
      const { station, profile } = ctx;
      const status = station.expectCall(
        'StatusNotification',
        { evseId: profile.evseId, connectorId: profile.connectorId, connectorStatus: 'Available' },
        { after: markNow(station), timeoutMs: profile.messageTimeoutMs },
      );
      status.catch(() => undefined);
      const answer = await station.call('TriggerMessage', {
        requestedMessage: 'StatusNotification',
        evse: { id: profile.evseId, connectorId: profile.connectorId },
      });
      expectValue(ctx, 'the answer to TriggerMessage: status', answer.status, 'Accepted');
      await status;
    }),
  ],
});

/** 2.0.1 TC_F_11_CS: triggered MeterValues of a specific EVSE, outside a transaction. */
export const TC_F_11_CS = defineScenario<'ocpp2.0.1'>({
  id: 'TC_F_11_CS',
  title: 'Trigger message - MeterValues - Specific EVSE',
  versions: ['ocpp2.0.1'],
  requirements: ['F06.FR.05', 'F06.FR.06'],
  preconditions: [Booted],
  steps: [
    step('TriggerMessage MeterValues for the EVSE is Accepted; MeterValues of that EVSE with a Trigger sample follow', async (ctx) => {
      const { station, profile } = ctx;
      const values = station.expectCall(
        'MeterValues',
        { evseId: profile.evseId, meterValue: [{ sampledValue: [{ context: 'Trigger' }] }] },
        { after: markNow(station), timeoutMs: profile.messageTimeoutMs },
      );
      values.catch(() => undefined);
      const answer = await station.call('TriggerMessage', { requestedMessage: 'MeterValues', evse: { id: profile.evseId } });
      expectValue(ctx, 'the answer to TriggerMessage: status', answer.status, 'Accepted');
      await values;
    }),
  ],
});

/** 2.0.1 TC_F_05_CS: unlocking the connector of a running, authorized transaction is refused. */
export const TC_F_05_CS = defineScenario<'ocpp2.0.1'>({
  id: 'TC_F_05_CS',
  title: 'Remote unlock Connector - With ongoing transaction',
  versions: ['ocpp2.0.1'],
  requirements: ['F05.FR.04'],
  preconditions: [EnergyTransferStarted],
  steps: [
    step('UnlockConnector of the connector in use is answered OngoingAuthorizedTransaction', async (ctx) => {
      const answer = await ctx.station.call('UnlockConnector', { evseId: ctx.profile.evseId, connectorId: ctx.profile.connectorId });
      expectValue(ctx, 'the answer to UnlockConnector: status', answer.status, 'OngoingAuthorizedTransaction');
    }),
  ],
});
