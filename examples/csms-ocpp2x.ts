/**
 * The demo CSMS's handlers for OCPP 2.0.1 and 2.1 (central-system.ts registers them). For the
 * actions a 2.0.1 charger sends, 2.1's requests and answers are supersets of 2.0.1's, so one
 * handler serves both versions: it reads the fields both requests have and answers what both
 * versions accept (strict validation checks every answer on the way out all the same). On top,
 * 2.1 gets what only 2.1 has: a tariff in the Authorize answer for the drivers that have one,
 * and periodic event streams.
 */
import type { CentralSystem, OCPP201, OCPP21, OcppVersion } from '../src/index';
import type { CsmsState, StationRecord, TransactionRecord } from './csms-state';

/** The DataTransfer vendorId this CSMS understands (it echoes the data back). */
export const DEMO_VENDOR_ID = 'org.example.demo';

/**
 * 2.1: idTokens whose driver has a tariff of their own, sent in the Authorize answer (2.1 I08).
 * They are on the allow-list too, so 1.6 and 2.0.1 chargers, which have no tariffs, simply
 * authorize them.
 */
export const DEMO_TARIFF_ID_TAGS: readonly string[] = ['04A2B3C4D5E6F7'];

/** The tariff those drivers get: 0.35 EUR per kWh. */
export const DEMO_TARIFF: OCPP21.TariffType = {
  tariffId: 'driver-0.35',
  currency: 'EUR',
  description: [{ format: 'UTF8', content: '0.35 EUR/kWh' }],
  energy: { prices: [{ priceKwh: 0.35 }] },
};

/** What the handlers record through: the state and the CSMS's bookkeeping helpers. */
export interface CsmsHooks {
  readonly state: CsmsState;
  /** The status and interval a BootNotification of `identity` gets (Pending once for a new charger, when so configured). */
  bootAnswer(identity: string): { status: 'Accepted' | 'Pending'; interval: number };
  booted(identity: string, protocol: OcppVersion, boot: NonNullable<StationRecord['boot']>): void;
  statusChanged(identity: string, protocol: OcppVersion, connector: string, status: string, errorCode?: string): void;
  started(tx: TransactionRecord): void;
  metered(identity: string, tx: TransactionRecord | undefined, energyWh: number | undefined): void;
  ended(tx: TransactionRecord, meterWh: number | undefined, reason: string | undefined): void;
}

const now = (): string => new Date().toISOString();

/** The energy register in Wh from 2.x meter values: numbers with a unit and a power-of-ten multiplier. */
export function energyWh2x(values: ReadonlyArray<OCPP201.MeterValueType | OCPP21.MeterValueType>): number | undefined {
  let wh: number | undefined;
  for (const mv of values) {
    for (const s of mv.sampledValue) {
      if ((s.measurand ?? 'Energy.Active.Import.Register') !== 'Energy.Active.Import.Register') continue;
      const scale = 10 ** (s.unitOfMeasure?.multiplier ?? 0) * (s.unitOfMeasure?.unit === 'kWh' ? 1000 : 1);
      wh = s.value * scale;
    }
  }
  return wh;
}

/** Registers the 2.0.1 and 2.1 handlers on `cs`. */
export function handleOcpp2x(cs: CentralSystem<OcppVersion>, hooks: CsmsHooks): void {
  const { state } = hooks;
  const idTokenInfo = (idToken: { idToken: string }): OCPP201.IdTokenInfoType => ({ status: state.isAuthorized(idToken.idToken) ? 'Accepted' : 'Unknown' });

  // 2.0.1 transaction ids are chosen by the charger and unique only per charger, so an id
  // another station also uses names this station's own transaction: it cannot reach the other's.
  const transactionEvent = (
    protocol: 'ocpp2.0.1' | 'ocpp2.1',
    identity: string,
    req: OCPP201.TransactionEventRequest | OCPP21.TransactionEventRequest,
  ): OCPP201.TransactionEventResponse => {
    const id = req.transactionInfo.transactionId;
    const energy = req.meterValue ? energyWh2x(req.meterValue) : undefined;
    const answer = req.idToken === undefined ? {} : { idTokenInfo: idTokenInfo(req.idToken) };
    let tx = state.transactions.get(identity, id);
    if (tx?.endedAt !== undefined) {
      // Ended already: a retried Ended, or a late event. Answered as before, changes nothing.
      state.openTransaction(identity, 'TransactionEvent', id);
      return answer;
    }
    if (tx === undefined) {
      // Started, or the first this CSMS hears of one (started offline, or before a restart).
      tx = {
        id,
        identity,
        protocol,
        idTag: req.idToken?.idToken,
        authorized: state.isAuthorized(req.idToken?.idToken),
        startedAt: req.timestamp,
        ...(energy === undefined ? {} : { meterStartWh: energy, meterWh: energy }),
      };
      hooks.started(tx);
    } else if (req.idToken !== undefined && tx.idTag === undefined) {
      // Authorized after the transaction started (e.g. cable first, then the card).
      tx.idTag = req.idToken.idToken;
      tx.authorized = state.isAuthorized(tx.idTag);
    }
    if (req.eventType === 'Updated' && energy !== undefined) hooks.metered(identity, tx, energy);
    if (req.eventType === 'Ended') hooks.ended(tx, energy, req.transactionInfo.stoppedReason ?? 'Local');
    // idTokenInfo only when the event carries an idToken to check.
    return answer;
  };

  // Every answer below is a 2.0.1 answer, which 2.1 accepts unchanged.
  for (const version of ['ocpp2.0.1', 'ocpp2.1'] as const) {
    cs.handle(version, 'BootNotification', (req, { station }): OCPP201.BootNotificationResponse => {
      const answer = hooks.bootAnswer(station.identity);
      if (answer.status === 'Pending') return { ...answer, currentTime: now() };
      hooks.booted(station.identity, version, {
        vendor: req.chargingStation.vendorName,
        model: req.chargingStation.model,
        serialNumber: req.chargingStation.serialNumber,
        firmwareVersion: req.chargingStation.firmwareVersion,
        reason: req.reason,
        at: now(),
      });
      return { ...answer, currentTime: now() };
    });
    cs.handle(version, 'Heartbeat', (): OCPP201.HeartbeatResponse => ({ currentTime: now() }));
    cs.handle(version, 'StatusNotification', (req, { station }): OCPP201.StatusNotificationResponse => {
      hooks.statusChanged(station.identity, version, `${req.evseId}/${req.connectorId}`, req.connectorStatus);
      return {};
    });
    cs.handle(version, 'TransactionEvent', (req, { station }) => transactionEvent(version, station.identity, req));
    cs.handle(version, 'MeterValues', (req, { station }): OCPP201.MeterValuesResponse => {
      hooks.metered(station.identity, undefined, energyWh2x(req.meterValue));
      return {};
    });
    cs.handle(version, 'DataTransfer', (req): OCPP201.DataTransferResponse =>
      req.vendorId === DEMO_VENDOR_ID ? { status: 'Accepted', ...(req.data === undefined ? {} : { data: req.data }) } : { status: 'UnknownVendorId' },
    );
    // No PKI, OCSP responder or smart charging behind this CSMS: say so with a reason.
    cs.handle(version, 'SignCertificate', (): OCPP201.SignCertificateResponse => ({ status: 'Rejected', statusInfo: { reasonCode: 'NoCA' } }));
    cs.handle(version, 'Get15118EVCertificate', (): OCPP201.Get15118EVCertificateResponse => ({
      status: 'Failed',
      statusInfo: { reasonCode: 'NoContractService' },
      exiResponse: '',
    }));
    cs.handle(version, 'GetCertificateStatus', (): OCPP201.GetCertificateStatusResponse => ({
      status: 'Failed',
      statusInfo: { reasonCode: 'NoOCSPResponder' },
    }));
    cs.handle(version, 'NotifyEVChargingNeeds', (): OCPP201.NotifyEVChargingNeedsResponse => ({
      status: 'Rejected',
      statusInfo: { reasonCode: 'NoSmartCharging' },
    }));
    cs.handle(version, 'NotifyEVChargingSchedule', (): OCPP201.NotifyEVChargingScheduleResponse => ({ status: 'Accepted' }));
    for (const action of [
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
    ] as const) {
      cs.handle(version, action, () => ({}));
    }
  }

  cs.handle('ocpp2.0.1', 'Authorize', (req) => ({ idTokenInfo: idTokenInfo(req.idToken) }));
  // A driver with a tariff of their own gets it with the authorization (2.1 I08). A charger
  // that cannot apply it answers with a CALLRESULTERROR: a `callResultError` in the state.
  cs.handle('ocpp2.1', 'Authorize', (req) => {
    const info = idTokenInfo(req.idToken);
    const tariff = info.status === 'Accepted' && DEMO_TARIFF_ID_TAGS.includes(req.idToken.idToken);
    return tariff ? { idTokenInfo: info, tariff: DEMO_TARIFF } : { idTokenInfo: info };
  });

  // 2.1 periodic event streams: any stream is accepted and its samples become events.
  cs.handle('ocpp2.1', 'OpenPeriodicEventStream', (req, { station }) => {
    const { id, variableMonitoringId } = req.constantStreamData;
    state.emit('streamOpened', { identity: station.identity, streamId: id, variableMonitoringId });
    return { status: 'Accepted' };
  });
  // A SEND: what this returns is never sent (a SEND is not answered).
  cs.handle('ocpp2.1', 'NotifyPeriodicEventStream', (req, { station }) => {
    state.emit('streamData', { identity: station.identity, streamId: req.id, basetime: req.basetime, data: req.data });
  });
  cs.handle('ocpp2.1', 'ClosePeriodicEventStream', () => ({}));
}
