/**
 * OCPP 2.0.1 and 2.1: what a charging station sends, answered from and recorded in the database.
 *
 * The messages handled here have the same shape in 2.1 as in 2.0.1 (2.1 adds optional fields),
 * so one set of handlers serves both; `on` registers each for the version it is given, typed as
 * 2.0.1. Responses are still validated against the negotiated version's schemas by the SDK.
 */
import type { CentralSystem, StationHandler } from '../../../src/index';
import { idTokenInfo, now, type CsmsVersion, type HandlerContext } from './context';
import { lastEnergy, samples2x } from './meter';

type V2 = 'ocpp2.0.1' | 'ocpp2.1';
type Incoming201 = Parameters<CentralSystem<'ocpp2.0.1'>['handle']>[1];

export function registerOcpp2x(cs: CentralSystem<CsmsVersion>, protocol: V2, ctx: HandlerContext): void {
  const { stations, transactions, feed } = ctx;
  const on = <A extends Incoming201>(action: A, handler: StationHandler<'ocpp2.0.1', A>): void => {
    (cs as unknown as CentralSystem<'ocpp2.0.1'>).handle(protocol as 'ocpp2.0.1', action, handler);
  };

  on('BootNotification', (req, { station }) => {
    const cs2 = req.chargingStation;
    stations.booted(station.identity, protocol, {
      vendor: cs2.vendorName,
      model: cs2.model,
      serialNumber: cs2.serialNumber,
      firmware: cs2.firmwareVersion,
      iccid: cs2.modem?.iccid,
      imsi: cs2.modem?.imsi,
    });
    feed.changed(station.identity, 'boot');
    const pending = stations.credentials(station.identity)?.admission !== 'accepted';
    return pending
      ? { status: 'Pending', currentTime: now(), interval: ctx.pendingIntervalSec }
      : { status: 'Accepted', currentTime: now(), interval: ctx.heartbeatIntervalSec };
  });

  on('Heartbeat', () => ({ currentTime: now() }));

  on('StatusNotification', (req, { station }) => {
    stations.setStatus(station.identity, `${req.evseId}/${req.connectorId}`, req.connectorStatus);
    feed.changed(station.identity, 'status');
    return {};
  });

  on('Authorize', (req) => ({ idTokenInfo: idTokenInfo(ctx, req.idToken.idToken) }));

  on('TransactionEvent', (req, { station }) => {
    const id = req.transactionInfo.transactionId;
    const samples = samples2x(req.meterValue);
    const token = req.idToken?.idToken;
    const info = token === undefined ? undefined : idTokenInfo(ctx, token);
    let tx = transactions.get(station.identity, id);
    if (tx === undefined) {
      // Started, or the first we hear of one (started offline, or before our restart).
      const connector = req.evse ? `${req.evse.id}/${req.evse.connectorId ?? 1}` : undefined;
      tx = transactions.start({
        station: station.identity,
        protocol,
        txId: id,
        connector,
        idTag: token,
        authStatus: info?.status,
        startedAt: req.timestamp,
        meterStartWh: lastEnergy(samples),
      });
    } else if (token !== undefined && tx.idTag === null && info) {
      // Authorised after it started (cable first, then the card).
      transactions.setTag(tx.id, token, info.status);
    }
    // An event for an ended transaction (a retried Ended) is answered as before and changes nothing.
    if (tx.stoppedAt === null) {
      transactions.meter(station.identity, tx.id, samples);
      if (req.eventType === 'Ended') {
        transactions.stop(tx.id, { stoppedAt: req.timestamp, meterStopWh: lastEnergy(samples), reason: req.transactionInfo.stoppedReason ?? 'Local' });
      }
      feed.changed(station.identity, req.eventType === 'Updated' ? 'meter' : 'transaction');
    }
    return info ? { idTokenInfo: info } : {};
  });

  on('MeterValues', (req, { station }) => {
    transactions.meter(station.identity, null, samples2x(req.meterValue));
    return {};
  });

  on('DataTransfer', () => ({ status: 'UnknownVendorId' }));
  // No PKI, OCSP responder or smart charging behind this CSMS: say so with a reason.
  on('SignCertificate', () => ({ status: 'Rejected', statusInfo: { reasonCode: 'NoCA' } }));
  on('Get15118EVCertificate', () => ({ status: 'Failed', statusInfo: { reasonCode: 'NoContractService' }, exiResponse: '' }));
  on('GetCertificateStatus', () => ({ status: 'Failed', statusInfo: { reasonCode: 'NoOCSPResponder' } }));
  on('NotifyEVChargingNeeds', () => ({ status: 'Rejected', statusInfo: { reasonCode: 'NoSmartCharging' } }));
  on('NotifyEVChargingSchedule', () => ({ status: 'Accepted' }));
  const acknowledged: Incoming201[] = [
    'ClearedChargingLimit',
    'FirmwareStatusNotification',
    'LogStatusNotification',
    'NotifyChargingLimit',
    'NotifyCustomerInformation',
    'NotifyDisplayMessages',
    'NotifyEvent',
    'NotifyMonitoringReport',
    'NotifyReport',
    'PublishFirmwareStatusNotification',
    'ReportChargingProfiles',
    'ReservationStatusUpdate',
    'SecurityEventNotification',
  ];
  for (const action of acknowledged) on(action, () => ({}));
}
