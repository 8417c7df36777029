/**
 * CSMS authorization and transaction scenarios: an unknown token refused (TC_023_1_CSMS,
 * TC_C_02_CSMS), and a whole local charging session, cable first (TC_003_CSMS, TC_E_03_CSMS).
 */
import { csmsStep, defineCsmsScenario, type CsmsScenarioContext } from './scenario';
import { BootAccepted, cp16, cp2x, energyReading, expectField, is16, sendAuthorize, sendStatus, startTransaction, transactionEvent } from './states';

/** 1.6 TC_023_1_CSMS: the CSMS answers Authorize of a token it does not know Invalid. */
export const TC_023_1_CSMS = defineCsmsScenario({
  id: 'TC_023_1_CSMS',
  title: 'Start Charging Session - Authorize Invalid',
  versions: ['ocpp1.6'],
  preconditions: [BootAccepted],
  steps: [
    csmsStep('Authorize of the invalid token answered Invalid', async (ctx) => {
      expectField(ctx, 'the answer to Authorize: idTagInfo.status', await sendAuthorize(ctx, ctx.profile.invalidToken), 'Invalid');
    }),
  ],
});

/** 2.0.1 TC_C_02_CSMS (2.1 unchanged): the CSMS answers Authorize of an unknown token Invalid or Unknown. */
export const TC_C_02_CSMS = defineCsmsScenario({
  id: 'TC_C_02_CSMS',
  title: 'Local start transaction - Authorization Invalid/Unknown',
  versions: ['ocpp2.0.1', 'ocpp2.1'],
  requirements: ['C01.FR.07'],
  preconditions: [BootAccepted],
  steps: [
    csmsStep('Authorize of the invalid token answered Invalid or Unknown', async (ctx) => {
      expectField(ctx, 'the answer to Authorize: idTokenInfo.status', await sendAuthorize(ctx, ctx.profile.invalidToken), 'Invalid', 'Unknown');
    }),
  ],
});

const sessionSteps = [
  csmsStep(
    'Cable plugged in: 1.6 StatusNotification Preparing answered; 2.x StatusNotification Occupied and TransactionEvent Started (CablePluggedIn) answered',
    async (ctx: CsmsScenarioContext) => {
      await sendStatus(ctx, 'Preparing', 'Occupied');
      if (is16(ctx)) return;
      // 2.x: the transaction starts when the cable is plugged in (TxStartPoint EVConnected); the token comes after.
      ctx.session.transactionId = `tx-${Date.now().toString(36)}`;
      ctx.session.seqNo = 0;
      const event = transactionEvent(ctx, 'Started', 'CablePluggedIn', { meterValue: [energyReading(0)] });
      event.transactionInfo = { ...event.transactionInfo, chargingState: 'EVConnected' };
      await cp2x(ctx).call('TransactionEvent', event);
    },
  ),
  csmsStep('Authorize of the valid token answered Accepted', async (ctx: CsmsScenarioContext) => {
    expectField(ctx, 'the answer to Authorize: status', await sendAuthorize(ctx, ctx.profile.validToken), 'Accepted');
    ctx.session.authorizedToken = ctx.profile.validToken;
  }),
  csmsStep(
    'Charging for the token: 1.6 StartTransaction answered with a transaction id and Accepted; 2.x TransactionEvent Updated (Authorized, with the token) answered Accepted',
    async (ctx: CsmsScenarioContext) => {
      if (is16(ctx)) {
        await startTransaction(ctx);
        return;
      }
      const event = transactionEvent(ctx, 'Updated', 'Authorized', { idToken: { idToken: ctx.profile.validToken, type: 'ISO14443' } });
      event.transactionInfo = { ...event.transactionInfo, chargingState: 'Charging' };
      const answer = await cp2x(ctx).call('TransactionEvent', event);
      expectField(ctx, 'the answer to TransactionEvent Updated: idTokenInfo.status', answer.idTokenInfo?.status, 'Accepted');
    },
  ),
  csmsStep('Meter values of the transaction answered (1.6 MeterValues, 2.x TransactionEvent Updated)', async (ctx: CsmsScenarioContext) => {
    if (is16(ctx)) {
      await sendStatus(ctx, 'Charging', 'Occupied');
      const transactionId = Number(ctx.session.transactionId);
      const meterValue = [{ timestamp: new Date().toISOString(), sampledValue: [{ value: '500', measurand: 'Energy.Active.Import.Register' as const }] }];
      await cp16(ctx).call('MeterValues', { connectorId: ctx.profile.connectorId, transactionId, meterValue });
      return;
    }
    await cp2x(ctx).call('TransactionEvent', transactionEvent(ctx, 'Updated', 'MeterValuePeriodic', { meterValue: [energyReading(500)] }));
  }),
  csmsStep(
    'Transaction ended locally: 1.6 StopTransaction answered Accepted for the token; 2.x TransactionEvent Ended answered',
    async (ctx: CsmsScenarioContext) => {
      const token = ctx.profile.validToken;
      if (is16(ctx)) {
        const transactionId = Number(ctx.session.transactionId);
        const stop = await cp16(ctx).call('StopTransaction', {
          transactionId,
          idTag: token,
          meterStop: 1000,
          timestamp: new Date().toISOString(),
          reason: 'Local',
        });
        expectField(ctx, 'the answer to StopTransaction: idTagInfo.status', stop.idTagInfo?.status, 'Accepted');
        await sendStatus(ctx, 'Finishing', 'Available');
      } else {
        const event = transactionEvent(ctx, 'Ended', 'StopAuthorized', { meterValue: [energyReading(1000)] });
        event.transactionInfo = { ...event.transactionInfo, stoppedReason: 'Local' };
        await cp2x(ctx).call('TransactionEvent', event);
      }
      ctx.session.transactionId = undefined;
      await sendStatus(ctx, 'Available', 'Available');
    },
  ),
];

/** 1.6 TC_003_CSMS: a whole session, cable first: Authorize, StartTransaction, MeterValues, StopTransaction. */
export const TC_003_CSMS = defineCsmsScenario({
  id: 'TC_003_CSMS',
  title: 'Regular Charging Session - Plugin First',
  versions: ['ocpp1.6'],
  preconditions: [BootAccepted],
  steps: sessionSteps,
});

/** 2.0.1 TC_E_03_CSMS (2.1 unchanged): a whole session, cable first: TransactionEvent Started, Authorize, Updated (token, meter values), Ended. */
export const TC_E_03_CSMS = defineCsmsScenario({
  id: 'TC_E_03_CSMS',
  title: 'Local start transaction - Cable plugin first - Success',
  versions: ['ocpp2.0.1', 'ocpp2.1'],
  preconditions: [BootAccepted],
  steps: sessionSteps,
});
