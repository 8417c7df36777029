/**
 * A central system (CSMS) for OCPP 1.6 and 2.0.1 on one port:
 *
 *   npx ts-node examples/central-system.ts          # ws://0.0.0.0:9220/ocpp/<identity>
 *   PORT=9000 npx ts-node examples/central-system.ts
 *
 * It accepts any identity and answers every action a charger may send, in both versions, with
 * a valid and sensible response: transaction ids, idTag/idToken checks against an allow-list,
 * a heartbeat interval. Boot gating is on (a charger must boot before anything else; chargers
 * that booted before are recognised with `isAccepted`), permessage-deflate is on, validation is
 * strict. Every exchange is logged.
 *
 * Transactions belong to the station that started them (csms-state.ts): meter values or a stop
 * naming another station's transaction, or one nobody started, change nothing, and neither does
 * a second stop of an ended one. What the charger is answered is said at each handler.
 *
 * The module also exports the pieces the demo, the other examples and the tests reuse:
 * `createDemoCentralSystem()`, the `CsmsState` it keeps (from csms-state.ts), and version-independent commands
 * (`remoteStart`, `reset`, `getConfiguration`, ...) that build the right request per version.
 */
import { CentralSystem, type AnyStation, type CentralSystemOptions, type OCPP16, type OCPP201, type DefaultOcppVersion } from '../src/index';
import { CsmsState, DEMO_ID_TAGS, type StationRecord, type TransactionRecord } from './csms-state';
import { ExchangeLog } from './exchange-log';

export { CsmsState, DEMO_ID_TAGS, TransactionStore } from './csms-state';
export type { CsmsEvents, StationRecord, TransactionRecord, TransactionRefusal } from './csms-state';

/** The DataTransfer vendorId this CSMS understands (it echoes the data back). */
export const DEMO_VENDOR_ID = 'org.example.demo';
/** Where chargers connect: `ws://host:port/ocpp/<identity>`. */
export const DEMO_PATH = '/ocpp';

// ------------------------------------------------------------------ the central system

/** Options of {@link createDemoCentralSystem}: the SDK's options plus the demo's own. */
export interface DemoCsmsOptions extends Omit<CentralSystemOptions<DefaultOcppVersion>, 'bootGating' | 'protocols'> {
  /** Where stations and transactions are kept. @default a new CsmsState */
  state?: CsmsState;
  /** Exchange log; `false` for none. @default an ExchangeLog on stdout */
  log?: ExchangeLog | false;
  /** Heartbeat interval given to chargers in the BootNotification answer, in seconds. @default 300 */
  heartbeatIntervalSec?: number;
}

const now = (): string => new Date().toISOString();

/**
 * Builds the demo CSMS: a CentralSystem serving 2.0.1 and 1.6 at {@link DEMO_PATH}, with a
 * handler for every action a charger may send. Call `listen()` on the result.
 */
export function createDemoCentralSystem(options: DemoCsmsOptions = {}): CentralSystem<DefaultOcppVersion> {
  const { state = new CsmsState(), log = new ExchangeLog(), heartbeatIntervalSec = 300, ...sdkOptions } = options;
  const cs = new CentralSystem<DefaultOcppVersion>({
    path: DEMO_PATH,
    compression: true,
    validation: { 'ocpp1.6': { mode: 'strict' }, 'ocpp2.0.1': { mode: 'strict' } },
    ...sdkOptions,
    protocols: ['ocpp2.0.1', 'ocpp1.6'],
    // Only BootNotification until a boot is accepted, unless this charger booted before.
    bootGating: { isAccepted: ({ identity }) => state.accepted.has(identity) },
  });

  cs.on('connection', (station) => {
    const record = state.station(station.identity, station.protocol);
    record.connected = true;
    if (log) {
      log.note(`${station.identity} connected (${station.protocol}${state.accepted.has(station.identity) ? ', booted before' : ''})`);
      log.attachStation(station);
    }
    station.on('frame', (e) => {
      record.lastSeen = now();
      if (e.direction === 'inbound' && e.frame.type === 2) {
        state.emit('message', { identity: station.identity, protocol: station.protocol, action: e.frame.action, request: e.frame.payload });
      }
    });
  });
  cs.on('disconnect', ({ station, code }) => {
    const record = state.stations.get(station.identity);
    if (record && cs.stations.get(station.identity) === undefined) record.connected = false;
    if (log) log.note(`${station.identity} disconnected (${code})`);
  });
  if (log) {
    const noteRefusal = (e: { identity: string; action: string; transactionId: string; reason: string }): void => {
      if (cs.stations.get(e.identity) !== undefined) log.note(`${e.identity}: ${e.action} for transaction ${e.transactionId} changed nothing (${e.reason})`);
    };
    state.on('transactionRefused', noteRefusal);
    cs.on('refused', (e) => log.note(`refused ${e.identity ?? e.url}: ${e.reason} (${e.status})`));
    cs.on('error', (e) => log.note(`error${e.identity ? ` (${e.identity})` : ''}: ${e.error.message}`));
  }

  const booted = (identity: string, protocol: DefaultOcppVersion, boot: NonNullable<StationRecord['boot']>): void => {
    const record = state.station(identity, protocol);
    record.boot = boot;
    state.accepted.add(identity);
    state.emit('boot', { identity, protocol, record });
  };
  const statusChanged = (identity: string, protocol: DefaultOcppVersion, connector: string, status: string, errorCode?: string): void => {
    state.station(identity, protocol).status[connector] = { status, at: now(), ...(errorCode ? { errorCode } : {}) };
    state.emit('status', { identity, connector, status });
  };
  const started = (tx: TransactionRecord): void => {
    state.transactions.add(tx);
    state.emit('transactionStarted', tx);
  };
  const metered = (identity: string, tx: TransactionRecord | undefined, energyWh: number | undefined): void => {
    if (tx && energyWh !== undefined) tx.meterWh = energyWh;
    state.emit('meterValues', { identity, transaction: tx, energyWh });
  };
  const ended = (tx: TransactionRecord, meterWh: number | undefined, reason: string | undefined): void => {
    tx.endedAt = now();
    if (meterWh !== undefined) tx.meterWh = meterWh;
    tx.stopReason = reason;
    state.emit('transactionEnded', tx);
  };

  // ---------------------------------------------------------------- OCPP 1.6 (13 + DataTransfer)
  const idTagInfo = (idTag: string): OCPP16.IdTagInfo => ({ status: state.isAuthorized(idTag) ? 'Accepted' : 'Invalid' });

  cs.handle('ocpp1.6', 'BootNotification', (req, { station }) => {
    booted(station.identity, 'ocpp1.6', {
      vendor: req.chargePointVendor,
      model: req.chargePointModel,
      serialNumber: req.chargePointSerialNumber ?? req.chargeBoxSerialNumber,
      firmwareVersion: req.firmwareVersion,
      at: now(),
    });
    return { status: 'Accepted', currentTime: now(), interval: heartbeatIntervalSec };
  });
  cs.handle('ocpp1.6', 'Heartbeat', () => ({ currentTime: now() }));
  cs.handle('ocpp1.6', 'StatusNotification', (req, { station }) => {
    statusChanged(station.identity, 'ocpp1.6', String(req.connectorId), req.status, req.errorCode);
    return {};
  });
  cs.handle('ocpp1.6', 'Authorize', (req) => ({ idTagInfo: idTagInfo(req.idTag) }));
  cs.handle('ocpp1.6', 'StartTransaction', (req, { station }) => {
    // A transaction id even for a refused idTag: the charger reports the session, then stops it.
    const transactionId = state.newTransactionId();
    const info = idTagInfo(req.idTag);
    started({
      id: String(transactionId),
      identity: station.identity,
      protocol: 'ocpp1.6',
      idTag: req.idTag,
      authorized: info.status === 'Accepted',
      startedAt: req.timestamp,
      meterStartWh: req.meterStart,
      meterWh: req.meterStart,
    });
    return { transactionId, idTagInfo: info };
  });
  // Transaction messages naming a transaction this station may not change are answered, not
  // refused with a CALLERROR: the charger reports what already happened (the CSMS cannot stop
  // it), and a CALLERROR would only make it retry the same message (TransactionMessageAttempts).
  // MeterValues.conf has no field to say no with; nothing is recorded and the refusal is logged.
  cs.handle('ocpp1.6', 'MeterValues', (req, { station }) => {
    if (req.transactionId === undefined) {
      metered(station.identity, undefined, energyWh16(req.meterValue));
      return {};
    }
    const tx = state.openTransaction(station.identity, 'MeterValues', String(req.transactionId));
    if (typeof tx !== 'string') metered(station.identity, tx, energyWh16(req.meterValue));
    return {};
  });
  cs.handle('ocpp1.6', 'StopTransaction', (req, { station }) => {
    const tx = state.openTransaction(station.identity, 'StopTransaction', String(req.transactionId));
    if (typeof tx !== 'string') ended(tx, req.meterStop, req.reason ?? 'Local');
    if (req.idTag === undefined) return {};
    // Another station's transaction, or none at all: the idTag is not honoured for it. A second
    // stop of this station's own ended transaction is most likely a retry of one whose answer
    // was lost, so it gets the same answer as the first (and changes nothing).
    return { idTagInfo: tx === 'foreign' || tx === 'unknown' ? { status: 'Invalid' } : idTagInfo(req.idTag) };
  });
  cs.handle('ocpp1.6', 'DataTransfer', (req) =>
    req.vendorId === DEMO_VENDOR_ID ? { status: 'Accepted', ...(req.data === undefined ? {} : { data: req.data }) } : { status: 'UnknownVendorId' },
  );
  // No CA behind this CSMS: a CSR is refused rather than accepted and never answered.
  cs.handle('ocpp1.6', 'SignCertificate', () => ({ status: 'Rejected' }));
  // Notifications: acknowledged (their content is in the exchange log).
  for (const action of [
    'DiagnosticsStatusNotification',
    'FirmwareStatusNotification',
    'LogStatusNotification',
    'SecurityEventNotification',
    'SignedFirmwareStatusNotification',
  ] as const) {
    cs.handle('ocpp1.6', action, () => ({}));
  }

  // ---------------------------------------------------------------- OCPP 2.0.1 (24 + DataTransfer)
  const idTokenInfo = (idToken: OCPP201.IdTokenType): OCPP201.IdTokenInfoType => ({ status: state.isAuthorized(idToken.idToken) ? 'Accepted' : 'Unknown' });

  cs.handle('ocpp2.0.1', 'BootNotification', (req, { station }) => {
    booted(station.identity, 'ocpp2.0.1', {
      vendor: req.chargingStation.vendorName,
      model: req.chargingStation.model,
      serialNumber: req.chargingStation.serialNumber,
      firmwareVersion: req.chargingStation.firmwareVersion,
      reason: req.reason,
      at: now(),
    });
    return { status: 'Accepted', currentTime: now(), interval: heartbeatIntervalSec };
  });
  cs.handle('ocpp2.0.1', 'Heartbeat', () => ({ currentTime: now() }));
  cs.handle('ocpp2.0.1', 'StatusNotification', (req, { station }) => {
    statusChanged(station.identity, 'ocpp2.0.1', `${req.evseId}/${req.connectorId}`, req.connectorStatus);
    return {};
  });
  cs.handle('ocpp2.0.1', 'Authorize', (req) => ({ idTokenInfo: idTokenInfo(req.idToken) }));
  // 2.0.1 transaction ids are chosen by the charger and unique only per charger, so an id
  // another station also uses names this station's own transaction: it cannot reach the other's.
  cs.handle('ocpp2.0.1', 'TransactionEvent', (req, { station }) => {
    const id = req.transactionInfo.transactionId;
    const energy = req.meterValue ? energyWh201(req.meterValue) : undefined;
    const answer = req.idToken === undefined ? {} : { idTokenInfo: idTokenInfo(req.idToken) };
    let tx = state.transactions.get(station.identity, id);
    if (tx?.endedAt !== undefined) {
      // Ended already: a retried Ended, or a late event. Answered as before, changes nothing.
      state.openTransaction(station.identity, 'TransactionEvent', id);
      return answer;
    }
    if (tx === undefined) {
      // Started, or the first this CSMS hears of one (started offline, or before a restart).
      tx = {
        id,
        identity: station.identity,
        protocol: 'ocpp2.0.1',
        idTag: req.idToken?.idToken,
        authorized: state.isAuthorized(req.idToken?.idToken),
        startedAt: req.timestamp,
        ...(energy === undefined ? {} : { meterStartWh: energy, meterWh: energy }),
      };
      started(tx);
    } else if (req.idToken !== undefined && tx.idTag === undefined) {
      // Authorized after the transaction started (e.g. cable first, then the card).
      tx.idTag = req.idToken.idToken;
      tx.authorized = state.isAuthorized(tx.idTag);
    }
    if (req.eventType === 'Updated' && energy !== undefined) metered(station.identity, tx, energy);
    if (req.eventType === 'Ended') ended(tx, energy, req.transactionInfo.stoppedReason ?? 'Local');
    // idTokenInfo only when the event carries an idToken to check.
    return answer;
  });
  cs.handle('ocpp2.0.1', 'MeterValues', (req, { station }) => {
    metered(station.identity, undefined, energyWh201(req.meterValue));
    return {};
  });
  cs.handle('ocpp2.0.1', 'DataTransfer', (req) =>
    req.vendorId === DEMO_VENDOR_ID ? { status: 'Accepted', ...(req.data === undefined ? {} : { data: req.data }) } : { status: 'UnknownVendorId' },
  );
  // No PKI, OCSP responder or smart charging behind this CSMS: say so with a reason.
  cs.handle('ocpp2.0.1', 'SignCertificate', () => ({ status: 'Rejected', statusInfo: { reasonCode: 'NoCA' } }));
  cs.handle('ocpp2.0.1', 'Get15118EVCertificate', () => ({ status: 'Failed', statusInfo: { reasonCode: 'NoContractService' }, exiResponse: '' }));
  cs.handle('ocpp2.0.1', 'GetCertificateStatus', () => ({ status: 'Failed', statusInfo: { reasonCode: 'NoOCSPResponder' } }));
  cs.handle('ocpp2.0.1', 'NotifyEVChargingNeeds', () => ({ status: 'Rejected', statusInfo: { reasonCode: 'NoSmartCharging' } }));
  cs.handle('ocpp2.0.1', 'NotifyEVChargingSchedule', () => ({ status: 'Accepted' }));
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
    cs.handle('ocpp2.0.1', action, () => ({}));
  }
  return cs;
}

/** The energy register in Wh from 1.6 meter values (the default measurand is that register). */
function energyWh16(values: OCPP16.MeterValue[]): number | undefined {
  let wh: number | undefined;
  for (const mv of values) {
    for (const s of mv.sampledValue) {
      if ((s.measurand ?? 'Energy.Active.Import.Register') !== 'Energy.Active.Import.Register') continue;
      const v = Number(s.value);
      if (Number.isFinite(v)) wh = s.unit === 'kWh' ? v * 1000 : v;
    }
  }
  return wh;
}

/** The same for 2.0.1, where values are numbers with a unit and a power-of-ten multiplier. */
function energyWh201(values: OCPP201.MeterValueType[]): number | undefined {
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

// ------------------------------------------------------------------ commands, for both versions

/** What a command sent and got back. */
export interface CommandResult<R = unknown> {
  action: string;
  response: R;
}

/** 2.0.1 components of the variables that have a 1.6 configuration key of the same name. */
const COMPONENT_OF: Readonly<Record<string, string>> = {
  HeartbeatInterval: 'OCPPCommCtrlr',
  TxUpdatedInterval: 'SampledDataCtrlr',
  AuthorizeRemoteStart: 'AuthCtrlr',
};

/** The 2.0.1 variables read when no key is given (GetVariables needs at least one). */
export const DEFAULT_201_KEYS: readonly string[] = ['OCPPCommCtrlr/HeartbeatInterval', 'SampledDataCtrlr/TxUpdatedInterval', 'AuthCtrlr/AuthorizeRemoteStart'];

/**
 * A configuration key as a 2.0.1 component and variable: `"Component/Variable"`, or a bare
 * variable name known to {@link COMPONENT_OF}.
 */
export function componentVariable(key: string): { component: { name: string }; variable: { name: string } } {
  const slash = key.indexOf('/');
  if (slash < 0) return { component: { name: COMPONENT_OF[key] ?? 'ChargingStation' }, variable: { name: key } };
  return { component: { name: key.slice(0, slash) }, variable: { name: key.slice(slash + 1) } };
}

/** Starts a transaction remotely: 1.6 RemoteStartTransaction, 2.0.1 RequestStartTransaction. */
export async function remoteStart(
  station: AnyStation<DefaultOcppVersion>,
  idTag: string,
  connectorId = 1,
  state?: CsmsState,
): Promise<CommandResult<{ status: 'Accepted' | 'Rejected' }>> {
  if (station.protocol === 'ocpp1.6') {
    return { action: 'RemoteStartTransaction', response: await station.call('RemoteStartTransaction', { connectorId, idTag }) };
  }
  const remoteStartId = state?.newRemoteStartId() ?? Math.floor(Math.random() * 1e6);
  const request = { evseId: connectorId, remoteStartId, idToken: { idToken: idTag, type: 'Central' as const } };
  return { action: 'RequestStartTransaction', response: await station.call('RequestStartTransaction', request) };
}

/** Stops a transaction remotely: 1.6 RemoteStopTransaction (integer id), 2.0.1 RequestStopTransaction. */
export async function remoteStop(
  station: AnyStation<DefaultOcppVersion>,
  transactionId: string | number,
): Promise<CommandResult<{ status: 'Accepted' | 'Rejected' }>> {
  if (station.protocol === 'ocpp1.6') {
    // A non-numeric id becomes NaN, which the SDK's validation refuses before anything is sent.
    return { action: 'RemoteStopTransaction', response: await station.call('RemoteStopTransaction', { transactionId: Number(transactionId) }) };
  }
  return { action: 'RequestStopTransaction', response: await station.call('RequestStopTransaction', { transactionId: String(transactionId) }) };
}

/** Resets the charger. `type` is the version's own value (1.6 Soft/Hard, 2.0.1 OnIdle/Immediate). */
export async function reset(station: AnyStation<DefaultOcppVersion>, type?: string): Promise<CommandResult<{ status: string }>> {
  if (station.protocol === 'ocpp1.6') {
    return { action: 'Reset', response: await station.call('Reset', { type: (type ?? 'Soft') as OCPP16.ResetType }) };
  }
  return { action: 'Reset', response: await station.call('Reset', { type: (type ?? 'OnIdle') as OCPP201.ResetEnumType }) };
}

/** Reads configuration: 1.6 GetConfiguration; 2.0.1 GetVariables (keys as `Component/Variable`). */
export async function getConfiguration(station: AnyStation<DefaultOcppVersion>, keys: readonly string[] = []): Promise<CommandResult> {
  if (station.protocol === 'ocpp1.6') {
    return { action: 'GetConfiguration', response: await station.call('GetConfiguration', keys.length > 0 ? { key: [...keys] } : {}) };
  }
  const getVariableData = (keys.length > 0 ? keys : DEFAULT_201_KEYS).map(componentVariable);
  return { action: 'GetVariables', response: await station.call('GetVariables', { getVariableData }) };
}

/** Changes one configuration value: 1.6 ChangeConfiguration; 2.0.1 SetVariables. Returns the status. */
export async function changeConfiguration(station: AnyStation<DefaultOcppVersion>, key: string, value: string): Promise<CommandResult & { status: string }> {
  if (station.protocol === 'ocpp1.6') {
    const response = await station.call('ChangeConfiguration', { key, value });
    return { action: 'ChangeConfiguration', response, status: response.status };
  }
  const response = await station.call('SetVariables', { setVariableData: [{ ...componentVariable(key), attributeValue: value }] });
  return { action: 'SetVariables', response, status: response.setVariableResult[0]?.attributeStatus ?? 'Rejected' };
}

/** Asks the charger to send a message now (TriggerMessage; `message` is the version's value). */
export async function trigger(station: AnyStation<DefaultOcppVersion>, message: string, connectorId?: number): Promise<CommandResult<{ status: string }>> {
  if (station.protocol === 'ocpp1.6') {
    const request = { requestedMessage: message as OCPP16.MessageTrigger, ...(connectorId === undefined ? {} : { connectorId }) };
    return { action: 'TriggerMessage', response: await station.call('TriggerMessage', request) };
  }
  const request = { requestedMessage: message as OCPP201.MessageTriggerEnumType, ...(connectorId === undefined ? {} : { evse: { id: connectorId } }) };
  return { action: 'TriggerMessage', response: await station.call('TriggerMessage', request) };
}

/** Unlocks a connector (2.0.1: connector 1 of EVSE `connectorId`). */
export async function unlock(station: AnyStation<DefaultOcppVersion>, connectorId = 1): Promise<CommandResult<{ status: string }>> {
  if (station.protocol === 'ocpp1.6') return { action: 'UnlockConnector', response: await station.call('UnlockConnector', { connectorId }) };
  return { action: 'UnlockConnector', response: await station.call('UnlockConnector', { evseId: connectorId, connectorId: 1 }) };
}

/** Replaces (or updates) the charger's local authorization list with `idTags`, all Accepted. */
export async function sendLocalList(
  station: AnyStation<DefaultOcppVersion>,
  listVersion: number,
  idTags: readonly string[],
  updateType: 'Full' | 'Differential' = 'Full',
): Promise<CommandResult<{ status: string }>> {
  if (station.protocol === 'ocpp1.6') {
    const localAuthorizationList = idTags.map((idTag) => ({ idTag, idTagInfo: { status: 'Accepted' as const } }));
    return { action: 'SendLocalList', response: await station.call('SendLocalList', { listVersion, updateType, localAuthorizationList }) };
  }
  const localAuthorizationList = idTags.map((idToken) => ({ idToken: { idToken, type: 'Central' as const }, idTokenInfo: { status: 'Accepted' as const } }));
  return { action: 'SendLocalList', response: await station.call('SendLocalList', { versionNumber: listVersion, updateType, localAuthorizationList }) };
}

/** The version of the charger's local authorization list. */
export async function getLocalListVersion(station: AnyStation<DefaultOcppVersion>): Promise<CommandResult & { listVersion: number }> {
  if (station.protocol === 'ocpp1.6') {
    const response = await station.call('GetLocalListVersion', {});
    return { action: 'GetLocalListVersion', response, listVersion: response.listVersion };
  }
  const response = await station.call('GetLocalListVersion', {});
  return { action: 'GetLocalListVersion', response, listVersion: response.versionNumber };
}

// ------------------------------------------------------------------ run it

async function main(): Promise<void> {
  const port = Number(process.env.PORT ?? 9220);
  const host = process.env.HOST ?? '0.0.0.0';
  const cs = createDemoCentralSystem();
  const address = await cs.listen({ port, host });
  console.log(`CSMS listening on ws://${host}:${address.port}${DEMO_PATH}/<identity> (OCPP 2.0.1 and 1.6); allowed idTags: ${DEMO_ID_TAGS.join(', ')}`);
  const stop = (signal: string): void => {
    console.log(`${signal}: closing`);
    cs.close().then(
      () => process.exit(0),
      (error: unknown) => {
        console.error(error);
        process.exit(1);
      },
    );
  };
  process.once('SIGINT', () => stop('SIGINT'));
  process.once('SIGTERM', () => stop('SIGTERM'));
}

if (require.main === module) {
  main().catch((error: unknown) => {
    console.error(error);
    process.exit(1);
  });
}
