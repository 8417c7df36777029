// Who sends each action's request. The schemas do not say, so this is the one hand-written
// table of the generator, transcribed from the specifications:
// - 1.6: OCPP 1.6 edition 2, chapter 4 ("Operations initiated by Charge Point") and chapter 5
//   ("Operations initiated by Central System"), plus the 1.6 Security Whitepaper edition 2.
// - 2.0.1: OCPP 2.0.1 Part 2, the "Messages" chapter, where each message lists its sender.
// - 2.1: OCPP 2.1 Edition 1 Part 2, the same chapter: the 64 actions of 2.0.1 keep their
//   senders, and the 27 new ones are listed below under "2.1".
// The words are the same for both versions: 2.0.1's Charging Station is 'ChargePoint' and its
// CSMS is 'CentralSystem', so that role-typed APIs work the same over both versions.
import type { LoadedVersion } from './schemas';

/** Who sends an action's request. */
export type Sender = 'ChargePoint' | 'CentralSystem' | 'Both';

/** Actions whose request only the charger sends and the ones that go both ways; the rest are the server's. */
interface DirectionTable {
  readonly chargePoint: readonly string[];
  readonly both: readonly string[];
  readonly centralSystem: readonly string[];
}

const OCPP16: DirectionTable = {
  chargePoint: [
    // core (2019-12 errata edition)
    'Authorize',
    'BootNotification',
    'DiagnosticsStatusNotification',
    'FirmwareStatusNotification',
    'Heartbeat',
    'MeterValues',
    'StartTransaction',
    'StatusNotification',
    'StopTransaction',
    // Security Extension
    'LogStatusNotification',
    'SecurityEventNotification',
    'SignCertificate',
    'SignedFirmwareStatusNotification',
  ],
  both: ['DataTransfer'],
  centralSystem: [
    // core
    'CancelReservation',
    'ChangeAvailability',
    'ChangeConfiguration',
    'ClearCache',
    'ClearChargingProfile',
    'GetCompositeSchedule',
    'GetConfiguration',
    'GetDiagnostics',
    'GetLocalListVersion',
    'RemoteStartTransaction',
    'RemoteStopTransaction',
    'ReserveNow',
    'Reset',
    'SendLocalList',
    'SetChargingProfile',
    'TriggerMessage',
    'UnlockConnector',
    'UpdateFirmware',
    // Security Extension
    'CertificateSigned',
    'DeleteCertificate',
    'ExtendedTriggerMessage',
    'GetInstalledCertificateIds',
    'GetLog',
    'InstallCertificate',
    'SignedUpdateFirmware',
  ],
};

const OCPP201: DirectionTable = {
  chargePoint: [
    'Authorize',
    'BootNotification',
    'ClearedChargingLimit',
    'FirmwareStatusNotification',
    'Get15118EVCertificate',
    'GetCertificateStatus',
    'Heartbeat',
    'LogStatusNotification',
    'MeterValues',
    'NotifyChargingLimit',
    'NotifyCustomerInformation',
    'NotifyDisplayMessages',
    'NotifyEVChargingNeeds',
    'NotifyEVChargingSchedule',
    'NotifyEvent',
    'NotifyMonitoringReport',
    'NotifyReport',
    'PublishFirmwareStatusNotification',
    'ReportChargingProfiles',
    'ReservationStatusUpdate',
    'SecurityEventNotification',
    'SignCertificate',
    'StatusNotification',
    'TransactionEvent',
  ],
  both: ['DataTransfer'],
  centralSystem: [
    'CancelReservation',
    'CertificateSigned',
    'ChangeAvailability',
    'ClearCache',
    'ClearChargingProfile',
    'ClearDisplayMessage',
    'ClearVariableMonitoring',
    'CostUpdated',
    'CustomerInformation',
    'DeleteCertificate',
    'GetBaseReport',
    'GetChargingProfiles',
    'GetCompositeSchedule',
    'GetDisplayMessages',
    'GetInstalledCertificateIds',
    'GetLocalListVersion',
    'GetLog',
    'GetMonitoringReport',
    'GetReport',
    'GetTransactionStatus',
    'GetVariables',
    'InstallCertificate',
    'PublishFirmware',
    'RequestStartTransaction',
    'RequestStopTransaction',
    'ReserveNow',
    'Reset',
    'SendLocalList',
    'SetChargingProfile',
    'SetDisplayMessage',
    'SetMonitoringBase',
    'SetMonitoringLevel',
    'SetNetworkProfile',
    'SetVariableMonitoring',
    'SetVariables',
    'TriggerMessage',
    'UnlockConnector',
    'UnpublishFirmware',
    'UpdateFirmware',
  ],
};

const OCPP21: DirectionTable = {
  chargePoint: [
    ...OCPP201.chargePoint,
    // 2.1
    'BatterySwap',
    'ClosePeriodicEventStream',
    'GetCertificateChainStatus',
    'NotifyDERAlarm',
    'NotifyDERStartStop',
    // Travels as SEND (message type 6): no response (see sendActions in schemas.ts).
    'NotifyPeriodicEventStream',
    'NotifyPriorityCharging',
    'NotifySettlement',
    'OpenPeriodicEventStream',
    'PullDynamicScheduleUpdate',
    'ReportDERControl',
    'VatNumberValidation',
  ],
  both: OCPP201.both,
  centralSystem: [
    ...OCPP201.centralSystem,
    // 2.1
    'AdjustPeriodicEventStream',
    'AFRRSignal',
    'ChangeTransactionTariff',
    'ClearDERControl',
    'ClearTariffs',
    'GetDERControl',
    'GetPeriodicEventStream',
    'GetTariffs',
    'NotifyAllowedEnergyTransfer',
    // Ad hoc payment via a QR code (2.1 Part 2, section C): the driver pays on the CSMS's web page, so
    // only the CSMS can know that a web payment started; it tells the station, which waits up
    // to `timeout` seconds for the result. (Some implementations list it the other way round.)
    'NotifyWebPaymentStarted',
    'RequestBatterySwap',
    'SetDefaultTariff',
    'SetDERControl',
    'UpdateDynamicSchedule',
    'UsePriorityCharging',
  ],
};

const TABLES: Record<LoadedVersion['spec']['version'], DirectionTable> = {
  'ocpp1.6': OCPP16,
  'ocpp2.0.1': OCPP201,
  'ocpp2.1': OCPP21,
};

/**
 * The sender of every action in `loaded`, sorted by action. Throws when an action in schemas/
 * has no direction, when a direction names an action that has no schema, or when an action is
 * listed twice: the table and the schemas must describe the same set.
 */
export function directionsFor(loaded: LoadedVersion): ReadonlyMap<string, Sender> {
  const table = TABLES[loaded.spec.version];
  const senders = new Map<string, Sender>();
  const problems: string[] = [];
  const add = (actions: readonly string[], sender: Sender): void => {
    for (const action of actions) {
      if (senders.has(action)) problems.push(`${action} is listed twice (${senders.get(action)} and ${sender})`);
      senders.set(action, sender);
    }
  };
  add(table.chargePoint, 'ChargePoint');
  add(table.both, 'Both');
  add(table.centralSystem, 'CentralSystem');
  const known = new Set(loaded.actions);
  for (const action of senders.keys()) {
    if (!known.has(action)) problems.push(`direction table names ${action}, which has no schema`);
  }
  for (const action of loaded.actions) {
    if (!senders.has(action)) problems.push(`${action} has a schema but no direction`);
  }
  if (problems.length) {
    throw new Error(`scripts/codegen/directions.ts (${loaded.spec.version}):\n  ${problems.join('\n  ')}`);
  }
  return new Map(loaded.actions.map((a) => [a, senders.get(a)!]));
}
