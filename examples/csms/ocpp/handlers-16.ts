/**
 * OCPP 1.6: what a charge point sends, answered from and recorded in the database.
 *
 * Transaction messages are answered even when they name a transaction we do not know or one
 * that has ended: the charger reports what already happened, and a CALLERROR would only make it
 * retry the same message. Such messages change nothing.
 */
import type { CentralSystem } from '../../../src/index';
import { idTagInfo, now, type CsmsVersion, type HandlerContext } from './context';
import { lastEnergy, samples16 } from './meter';

export function registerOcpp16(cs: CentralSystem<CsmsVersion>, ctx: HandlerContext): void {
  const { stations, transactions, feed } = ctx;

  cs.handle('ocpp1.6', 'BootNotification', (req, { station }) => {
    stations.booted(station.identity, 'ocpp1.6', {
      vendor: req.chargePointVendor,
      model: req.chargePointModel,
      serialNumber: req.chargePointSerialNumber ?? req.chargeBoxSerialNumber,
      firmware: req.firmwareVersion,
      iccid: req.iccid,
      imsi: req.imsi,
    });
    feed.changed(station.identity, 'boot');
    const pending = stations.credentials(station.identity)?.admission !== 'accepted';
    return pending
      ? { status: 'Pending', currentTime: now(), interval: ctx.pendingIntervalSec }
      : { status: 'Accepted', currentTime: now(), interval: ctx.heartbeatIntervalSec };
  });

  cs.handle('ocpp1.6', 'Heartbeat', () => ({ currentTime: now() }));

  cs.handle('ocpp1.6', 'StatusNotification', (req, { station }) => {
    stations.setStatus(station.identity, String(req.connectorId), req.status, req.errorCode);
    feed.changed(station.identity, 'status');
    return {};
  });

  cs.handle('ocpp1.6', 'Authorize', (req) => ({ idTagInfo: idTagInfo(ctx, req.idTag) }));

  cs.handle('ocpp1.6', 'StartTransaction', (req, { station }) => {
    // Recorded even for a refused tag: the charger reports the session and then stops it.
    const info = idTagInfo(ctx, req.idTag);
    const tx = transactions.start({
      station: station.identity,
      protocol: 'ocpp1.6',
      connector: String(req.connectorId),
      idTag: req.idTag,
      authStatus: info.status,
      startedAt: req.timestamp,
      meterStartWh: req.meterStart,
    });
    feed.changed(station.identity, 'transaction');
    return { transactionId: tx.id, idTagInfo: info };
  });

  cs.handle('ocpp1.6', 'MeterValues', (req, { station }) => {
    const tx = req.transactionId === undefined ? undefined : transactions.get(station.identity, String(req.transactionId));
    transactions.meter(station.identity, tx && tx.stoppedAt === null ? tx.id : null, samples16(req.meterValue));
    feed.changed(station.identity, 'meter');
    return {};
  });

  cs.handle('ocpp1.6', 'StopTransaction', (req, { station }) => {
    const tx = transactions.get(station.identity, String(req.transactionId));
    if (tx && tx.stoppedAt === null) {
      const samples = samples16(req.transactionData);
      transactions.meter(station.identity, tx.id, samples);
      transactions.stop(tx.id, { stoppedAt: req.timestamp, meterStopWh: req.meterStop ?? lastEnergy(samples), reason: req.reason ?? 'Local' });
      feed.changed(station.identity, 'transaction');
    }
    if (req.idTag === undefined) return {};
    return { idTagInfo: tx ? idTagInfo(ctx, req.idTag) : { status: 'Invalid' } };
  });

  // No vendor extensions here: say so rather than pretend.
  cs.handle('ocpp1.6', 'DataTransfer', () => ({ status: 'UnknownVendorId' }));
  // No CA behind this CSMS: a CSR is refused rather than accepted and never answered.
  cs.handle('ocpp1.6', 'SignCertificate', () => ({ status: 'Rejected' }));
  for (const action of [
    'DiagnosticsStatusNotification',
    'FirmwareStatusNotification',
    'LogStatusNotification',
    'SecurityEventNotification',
    'SignedFirmwareStatusNotification',
  ] as const) {
    cs.handle('ocpp1.6', action, () => ({}));
  }
}
