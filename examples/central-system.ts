/**
 * A central system (CSMS) for OCPP 1.6, 2.0.1 and 2.1 on one port:
 *
 *   npx ts-node examples/central-system.ts          # ws://0.0.0.0:9220/ocpp/<identity>
 *   PORT=9000 npx ts-node examples/central-system.ts
 *   PENDING_BOOT_RETRY_SEC=1 npx ts-node examples/central-system.ts   # a new charger's first boot Pending
 *
 * It accepts any identity and answers every action a 1.6 or 2.0.1 charger may send with a valid
 * and sensible response: transaction ids, idTag/idToken checks against an allow-list, a
 * heartbeat interval. A 2.1 charger gets the same answers (csms-ocpp2x.ts: 2.1's payloads for
 * these actions are supersets of 2.0.1's), plus what is new in 2.1 that it uses: a tariff in the
 * Authorize answer for drivers that have one, and periodic event streams (the samples arrive as
 * SENDs). A CALLRESULTERROR a charger sends back is a `callResultError` event in the state. Boot gating is on (a charger must boot before anything else; chargers
 * that booted before are recognised with `isAccepted`), permessage-deflate is on, validation is
 * strict. Every exchange is logged.
 *
 * Transactions belong to the station that started them (csms-state.ts): meter values or a stop
 * naming another station's transaction, or one nobody started, change nothing, and neither does
 * a second stop of an ended one. What the charger is answered is said at each handler.
 *
 * The module also exports the pieces the demo, the other examples and the tests reuse:
 * `createDemoCentralSystem()`, the `CsmsState` it keeps (from csms-state.ts), and version-independent commands
 * (`remoteStart`, `reset`, `getConfiguration`, ..., from csms-commands.ts) that build the right
 * request per version.
 */
import { CentralSystem, OCPP_PROTOCOLS, type CentralSystemOptions, type OCPP16, type OcppVersion } from '../src/index';
import { CsmsState, DEMO_ID_TAGS, type StationRecord, type TransactionRecord } from './csms-state';
import { DEMO_VENDOR_ID, handleOcpp2x } from './csms-ocpp2x';
import { ExchangeLog } from './exchange-log';

export { CsmsState, DEMO_ID_TAGS, TransactionStore } from './csms-state';
export type { CsmsEvents, StationRecord, TransactionRecord, TransactionRefusal } from './csms-state';
export { DEMO_TARIFF, DEMO_TARIFF_ID_TAGS, DEMO_VENDOR_ID } from './csms-ocpp2x';
export {
  changeConfiguration,
  componentVariable,
  DEFAULT_201_KEYS,
  getConfiguration,
  getLocalListVersion,
  remoteStart,
  remoteStop,
  reset,
  sendLocalList,
  trigger,
  unlock,
} from './csms-commands';
export type { CommandResult } from './csms-commands';
/** Where chargers connect: `ws://host:port/ocpp/<identity>`. */
export const DEMO_PATH = '/ocpp';

// ------------------------------------------------------------------ the central system

/** Options of {@link createDemoCentralSystem}: the SDK's options plus the demo's own. */
export interface DemoCsmsOptions extends Omit<CentralSystemOptions<OcppVersion>, 'bootGating' | 'protocols'> {
  /** Where stations and transactions are kept. @default a new CsmsState */
  state?: CsmsState;
  /** Exchange log; `false` for none. @default an ExchangeLog on stdout */
  log?: ExchangeLog | false;
  /** Heartbeat interval given to chargers in the BootNotification answer, in seconds. @default 300 */
  heartbeatIntervalSec?: number;
  /**
   * Hold a charger this CSMS never accepted Pending on its first boot, telling it to retry after
   * this many seconds, and accept it on the next (the time a CSMS takes to provision a new
   * charger, and may use to configure it). Off (every boot Accepted) unless set.
   */
  pendingBootRetrySec?: number;
}

const now = (): string => new Date().toISOString();

/**
 * Builds the demo CSMS: a CentralSystem serving 2.1, 2.0.1 and 1.6 at {@link DEMO_PATH}, with a
 * handler for every action a 1.6 or 2.0.1 charger may send, the same for 2.1, and 2.1's periodic
 * event streams. Call `listen()` on the result.
 */
export function createDemoCentralSystem(options: DemoCsmsOptions = {}): CentralSystem<OcppVersion> {
  const { state = new CsmsState(), log = new ExchangeLog(), heartbeatIntervalSec = 300, pendingBootRetrySec, ...sdkOptions } = options;
  const cs = new CentralSystem<OcppVersion>({
    path: DEMO_PATH,
    compression: true,
    validation: { 'ocpp1.6': { mode: 'strict' }, 'ocpp2.0.1': { mode: 'strict' }, 'ocpp2.1': { mode: 'strict' } },
    ...sdkOptions,
    // 2.1 first: a charger offering several versions gets the newest this CSMS speaks.
    protocols: OCPP_PROTOCOLS,
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
    // 2.1: the charger refused one of our answers (e.g. a tariff it cannot apply, I08).
    station.on('callResultError', (e) => {
      const { code, description } = e.error;
      state.emit('callResultError', { identity: station.identity, action: e.action, messageId: e.messageId, code, description });
      if (log) log.note(`${station.identity} refused the ${e.action ?? 'unknown'} answer with a CALLRESULTERROR: ${code} (${description})`);
    });
    // 2.1: a SEND nobody handled is never answered; this is its only trace.
    if (log) station.on('sendDropped', (e) => log.note(`${station.identity}: ${e.action} SEND dropped (${e.reason})`));
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

  const heldPending = new Set<string>();
  // A new charger is held Pending once (when pendingBootRetrySec is set); its retry is accepted.
  const bootAnswer = (identity: string): { status: 'Accepted' | 'Pending'; interval: number } => {
    if (pendingBootRetrySec === undefined || state.accepted.has(identity) || heldPending.has(identity)) {
      return { status: 'Accepted', interval: heartbeatIntervalSec };
    }
    heldPending.add(identity);
    return { status: 'Pending', interval: pendingBootRetrySec };
  };
  const booted = (identity: string, protocol: OcppVersion, boot: NonNullable<StationRecord['boot']>): void => {
    const record = state.station(identity, protocol);
    record.boot = boot;
    state.accepted.add(identity);
    state.emit('boot', { identity, protocol, record });
  };
  const statusChanged = (identity: string, protocol: OcppVersion, connector: string, status: string, errorCode?: string): void => {
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
    const answer = bootAnswer(station.identity);
    if (answer.status === 'Pending') return { ...answer, currentTime: now() };
    booted(station.identity, 'ocpp1.6', {
      vendor: req.chargePointVendor,
      model: req.chargePointModel,
      serialNumber: req.chargePointSerialNumber ?? req.chargeBoxSerialNumber,
      firmwareVersion: req.firmwareVersion,
      at: now(),
    });
    return { ...answer, currentTime: now() };
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

  handleOcpp2x(cs, { state, bootAnswer, booted, statusChanged, started, metered, ended });
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

// ------------------------------------------------------------------ run it

async function main(): Promise<void> {
  const port = Number(process.env.PORT ?? 9220);
  const host = process.env.HOST ?? '0.0.0.0';
  // A CSMS that provisions new chargers: what `ocpp-sdk-test csms` checks with TC_002_CSMS/TC_B_02_CSMS.
  const pending = process.env.PENDING_BOOT_RETRY_SEC;
  const retrySec = pending === undefined || pending === '' ? undefined : Number(pending);
  if (retrySec !== undefined && !(Number.isInteger(retrySec) && retrySec >= 0))
    throw new Error(`PENDING_BOOT_RETRY_SEC must be a whole number of seconds, got '${pending}'`);
  const cs = createDemoCentralSystem(retrySec === undefined ? {} : { pendingBootRetrySec: retrySec });
  const address = await cs.listen({ port, host });
  console.log(`CSMS listening on ws://${host}:${address.port}${DEMO_PATH}/<identity> (OCPP 2.1, 2.0.1 and 1.6); allowed idTags: ${DEMO_ID_TAGS.join(', ')}`);
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
