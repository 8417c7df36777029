/**
 * A simulated charger: connects, boots, runs a charging session and answers the central
 * system's commands, in OCPP 1.6 or 2.0.1.
 *
 *   npx ts-node examples/charge-point.ts --protocol ocpp1.6 --url ws://127.0.0.1:9220/ocpp --identity SIM-1
 *   npx ts-node examples/charge-point.ts --protocol ocpp2.0.1 --once      # one session, then exit
 *   npx ts-node examples/charge-point.ts --no-session                     # only what the CSMS asks for
 *
 * It keeps a little state, like a real charger: configuration keys (1.6) or device-model
 * variables (2.0.1), the current transaction, an energy meter and a local authorization list.
 * Commands answered: RemoteStart/StopTransaction (2.0.1: RequestStart/StopTransaction), Reset
 * (the charger reboots and boots again), GetConfiguration/ChangeConfiguration (2.0.1:
 * GetVariables/SetVariables), TriggerMessage, UnlockConnector, SendLocalList,
 * GetLocalListVersion and DataTransfer.
 *
 * With `--no-session` it starts no session of its own: it boots, reports its connector and then
 * only does what the central system asks (a remote start included). That is the mode in which it
 * is the charger under test of firmware-test-harness.ts, which drives the session itself.
 *
 * The classes are exported for the demo, the firmware test harness and the tests.
 */
import { randomUUID } from 'node:crypto';
import { parseArgs } from 'node:util';
import { EventEmitter } from 'eventemitter3';
import { ChargePoint, type ChargePointOptions, type OCPP16, type OCPP201, type DefaultOcppVersion } from '../src/index';
import { ExchangeLog } from './exchange-log';

/** Options of a simulated charger. */
export interface SimulatorOptions {
  /** The CSMS endpoint; the identity is appended. */
  url: string;
  identity: string;
  /** The idTag (1.6) or idToken (2.0.1) presented for local sessions. @default 'TAG-001' */
  idTag?: string;
  vendor?: string;
  model?: string;
  serialNumber?: string;
  firmwareVersion?: string;
  /**
   * Real time between meter samples. Each sample stands for `MeterValueSampleInterval`
   * (1.6) or `TxUpdatedInterval` (2.0.1) seconds of charging, so a demo can compress time.
   * @default that interval in real seconds
   */
  meterIntervalMs?: number;
  /** Charging power, for the energy meter. @default 11000 */
  powerW?: number;
  /** Log every exchange from the charger's side; `false` for none. @default false */
  log?: ExchangeLog | false;
  /** More options for the underlying ChargePoint (timeouts, reconnect, password...). */
  chargePoint?: Partial<Omit<ChargePointOptions, 'url' | 'identity' | 'protocol'>>;
}

/** A transaction as the charger keeps it. */
export interface SimTransaction {
  /** 1.6: the CSMS's integer as a string; 2.0.1: the charger's own id. */
  id: string;
  idTag: string;
  meterStartWh: number;
  startedAt: string;
  /** Whether the CSMS accepted the idTag for this transaction. */
  authorized: boolean;
}

/** Why a transaction stops, in words both versions can translate. */
export type StopReason = 'Local' | 'Remote' | 'DeAuthorized' | 'SoftReset' | 'HardReset' | 'UnlockCommand' | 'EVDisconnected';

/** Events of a simulated charger. */
export interface ChargerEvents {
  booted: (e: { status: string; interval: number }) => void;
  /** start() finished: booted, connector reported. */
  ready: (e: { boots: number }) => void;
  transactionStarted: (tx: SimTransaction) => void;
  meterValues: (e: { transactionId: string | undefined; energyWh: number }) => void;
  transactionStopped: (e: SimTransaction & { reason: StopReason; meterStopWh: number }) => void;
  rebooting: (e: { type: string }) => void;
  error: (e: { error: Error }) => void;
}

/** One configuration key (1.6) or variable (2.0.1, keyed `Component/Variable`). */
export interface ConfigEntry {
  value: string;
  readonly: boolean;
  /** Only non-negative integers are accepted. */
  integer?: boolean;
}

const now = (): string => new Date().toISOString();
const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** What both versions share: connection, boot, timers, meter, configuration and local list. */
abstract class SimulatedChargerBase<V extends DefaultOcppVersion> extends EventEmitter<ChargerEvents> {
  readonly identity: string;
  abstract readonly protocol: V;
  readonly config = new Map<string, ConfigEntry>();
  readonly localList = { version: 0, idTags: new Set<string>() };
  transaction: SimTransaction | undefined;
  /**
   * A remote start was accepted and its transaction is being started: a second remote start
   * arriving before the first StartTransaction is answered must be rejected, not accepted twice.
   */
  protected remoteStartPending = false;

  /** Runs a remote start later, marking it pending until it has started (or failed to). */
  protected startRemotely(task: () => Promise<unknown>): void {
    this.remoteStartPending = true;
    this.later(async () => {
      try {
        await task();
      } finally {
        this.remoteStartPending = false;
      }
    });
  }
  /** The energy register, in Wh. */
  meterWh = 12_345;
  /** Boots so far (a reset adds one). */
  boots = 0;

  protected readonly options: SimulatorOptions;
  protected cp: ChargePoint<V> | undefined;
  private heartbeatTimer: ReturnType<typeof setInterval> | undefined;
  private meterTimer: ReturnType<typeof setInterval> | undefined;
  private stopped = false;
  /** A reset asked for "when idle" (2.0.1 OnIdle during a transaction). */
  protected resetWhenIdle = false;

  constructor(options: SimulatorOptions) {
    super();
    this.options = options;
    this.identity = options.identity;
  }

  /** The current connection (a reset replaces it). */
  get chargePoint(): ChargePoint<V> {
    if (!this.cp) throw new Error(`${this.identity} is not started`);
    return this.cp;
  }

  get idTag(): string {
    return this.options.idTag ?? 'TAG-001';
  }

  /** The configured value of `key` as a number. */
  protected configNumber(key: string): number {
    return Number(this.config.get(key)?.value ?? 0);
  }

  /**
   * Connects and boots (retrying after the CSMS's interval until Accepted), then reports its
   * connector. Resolves once the boot is accepted.
   */
  async start(reason?: string): Promise<void> {
    this.stopped = false;
    const cp = new ChargePoint<V>({
      callTimeoutMs: 10_000,
      ...this.options.chargePoint,
      url: this.options.url,
      identity: this.identity,
      protocol: this.protocol,
      bootGating: true,
    });
    this.cp = cp;
    if (this.options.log) this.options.log.attachChargePoint(cp);
    cp.on('error', (e) => this.emit('error', e));
    this.register(cp);
    await cp.connect();
    for (;;) {
      const { status, interval } = await this.sendBoot(reason);
      this.boots++;
      this.emit('booted', { status, interval });
      if (status === 'Accepted') {
        if (interval > 0) this.setConfig(this.heartbeatKey, String(interval));
        this.restartHeartbeat();
        break;
      }
      // Pending or Rejected: only BootNotification may be sent; try again after `interval`.
      await sleep(Math.max(interval, 1) * 1000);
      if (this.stopped) return;
    }
    await this.sendStatus(this.transaction ? 'Occupied' : 'Available');
    this.emit('ready', { boots: this.boots });
  }

  /** Stops timers and closes the connection (a transaction in progress is left as it is). */
  async stop(): Promise<void> {
    this.stopped = true;
    this.clearTimers();
    await this.cp?.close();
  }

  /**
   * A whole local session: present the idTag, start if it is accepted, charge for `samples`
   * meter samples, stop. Resolves with the transaction, or undefined when the idTag is refused.
   */
  async runSession({ idTag = this.idTag, samples = 3 }: { idTag?: string; samples?: number } = {}): Promise<
    (SimTransaction & { meterStopWh: number }) | undefined
  > {
    if (!(await this.authorize(idTag))) return undefined;
    const tx = await this.startTransaction(idTag);
    for (let i = 0; i < samples && this.transaction === tx; i++) await this.nextEvent('meterValues');
    if (this.transaction === tx) await this.stopTransaction('Local');
    return { ...tx, meterStopWh: this.meterWh };
  }

  /** Resolves with the next `event` (used to wait for meter samples). */
  nextEvent<E extends keyof ChargerEvents>(event: E, timeoutMs = 10_000): Promise<Parameters<ChargerEvents[E]>[0]> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.off(event, listener);
        reject(new Error(`${this.identity}: no '${event}' within ${timeoutMs} ms`));
      }, timeoutMs);
      const listener = (arg: Parameters<ChargerEvents[E]>[0]): void => {
        clearTimeout(timer);
        resolve(arg);
      };
      this.once(event, listener);
    });
  }

  /** Asks the CSMS whether `idTag` may charge. */
  abstract authorize(idTag: string): Promise<boolean>;
  /** Starts a transaction (the CSMS may still refuse the idTag, which stops it again). */
  abstract startTransaction(idTag: string, remote?: { remoteStartId: number; transactionId: string }): Promise<SimTransaction>;
  /** Stops the transaction in progress. */
  abstract stopTransaction(reason: StopReason): Promise<void>;
  protected abstract readonly heartbeatKey: string;
  protected abstract sendBoot(reason: string | undefined): Promise<{ status: string; interval: number }>;
  protected abstract sendStatus(status: 'Available' | 'Occupied'): Promise<void>;
  protected abstract sendMeterValues(): Promise<void>;
  protected abstract sendHeartbeat(): Promise<void>;
  protected abstract sampleSeconds(): number;
  protected abstract register(cp: ChargePoint<V>): void;

  // ---------------------------------------------------------------- shared behaviour

  /** Runs `task` after the current answer has gone out, reporting failures as 'error'. */
  protected later(task: () => Promise<unknown>): void {
    setImmediate(() => {
      if (this.stopped) return;
      task().catch((error: unknown) => {
        // Calls cut short by stop() are not errors.
        if (!this.stopped) this.emit('error', { error: error instanceof Error ? error : new Error(String(error)) });
      });
    });
  }

  /** Sets a configuration value; applies what changes behaviour. Returns the outcome. */
  protected setConfig(key: string, value: string): 'Accepted' | 'Rejected' | 'Unknown' {
    const entry = this.config.get(key);
    if (!entry) return 'Unknown';
    if (entry.readonly || (entry.integer && !/^\d+$/.test(value))) return 'Rejected';
    entry.value = value;
    if (key === this.heartbeatKey) this.restartHeartbeat();
    return 'Accepted';
  }

  protected restartHeartbeat(): void {
    clearInterval(this.heartbeatTimer);
    const seconds = this.configNumber(this.heartbeatKey);
    if (seconds <= 0) return;
    this.heartbeatTimer = setInterval(() => this.later(() => this.sendHeartbeat()), seconds * 1000);
    this.heartbeatTimer.unref();
  }

  /** Starts sampling the meter while a transaction runs. */
  protected startMetering(): void {
    clearInterval(this.meterTimer);
    const ms = this.options.meterIntervalMs ?? this.sampleSeconds() * 1000;
    this.meterTimer = setInterval(() => {
      this.meterWh += Math.round(((this.options.powerW ?? 11_000) * this.sampleSeconds()) / 3600);
      this.later(async () => {
        await this.sendMeterValues();
        this.emit('meterValues', { transactionId: this.transaction?.id, energyWh: this.meterWh });
      });
    }, ms);
  }

  protected stopMetering(): void {
    clearInterval(this.meterTimer);
    this.meterTimer = undefined;
  }

  protected clearTimers(): void {
    this.stopMetering();
    clearInterval(this.heartbeatTimer);
    this.heartbeatTimer = undefined;
  }

  /** After the CSMS answered a transaction start: stop at once if it refused the idTag, else charge. */
  protected async afterStart(tx: SimTransaction): Promise<SimTransaction> {
    this.emit('transactionStarted', tx);
    if (!tx.authorized) {
      // A refused idTag ends the transaction (1.6: StopTransactionOnInvalidId).
      await this.stopTransaction('DeAuthorized');
      return tx;
    }
    await this.sendStatus('Occupied');
    this.startMetering();
    return tx;
  }

  /**
   * TriggerMessage: sends `requested` after the answer if this charger can (the messages both
   * versions share, plus `own`). Returns the status to answer with.
   */
  protected runTrigger(requested: string, own: Record<string, () => Promise<unknown>>): 'Accepted' | 'NotImplemented' {
    const tasks: Record<string, () => Promise<unknown>> = {
      Heartbeat: () => this.sendHeartbeat(),
      StatusNotification: () => this.sendStatus(this.transaction ? 'Occupied' : 'Available'),
      MeterValues: () => this.sendMeterValues(),
      ...own,
    };
    const task = tasks[requested];
    if (!task) return 'NotImplemented';
    this.later(task);
    return 'Accepted';
  }

  /** After a transaction ended: report the connector free, and run a reset that waited for it. */
  protected async afterStop(tx: SimTransaction, reason: StopReason, meterStopWh: number): Promise<void> {
    this.transaction = undefined;
    this.emit('transactionStopped', { ...tx, reason, meterStopWh });
    await this.sendStatus('Available');
    if (this.resetWhenIdle) {
      this.resetWhenIdle = false;
      this.later(() => this.reboot('OnIdle'));
    }
  }

  /** A reset: end the transaction, drop the connection, connect and boot again. */
  protected async reboot(type: string): Promise<void> {
    this.emit('rebooting', { type });
    if (this.transaction) await this.stopTransaction(type === 'Hard' ? 'HardReset' : 'SoftReset');
    this.clearTimers();
    await this.cp?.close(1000, 'rebooting');
    if (this.stopped) return;
    await this.start('RemoteReset');
  }

  /** SendLocalList, for both versions: returns the status to answer with. */
  protected updateLocalList(version: number, full: boolean, entries: ReadonlyArray<{ idTag: string; remove: boolean }>): 'Accepted' | 'VersionMismatch' {
    if (!full && version <= this.localList.version) return 'VersionMismatch';
    if (full) this.localList.idTags.clear();
    for (const e of entries) {
      if (e.remove) this.localList.idTags.delete(e.idTag);
      else this.localList.idTags.add(e.idTag);
    }
    this.localList.version = version;
    return 'Accepted';
  }
}

// ------------------------------------------------------------------ OCPP 1.6

/** A simulated OCPP 1.6 charge point with one connector. */
export class SimulatedCharger16 extends SimulatedChargerBase<'ocpp1.6'> {
  readonly protocol = 'ocpp1.6' as const;
  protected readonly heartbeatKey = 'HeartbeatInterval';

  constructor(options: SimulatorOptions) {
    super(options);
    const keys: Array<[string, ConfigEntry]> = [
      ['HeartbeatInterval', { value: '300', readonly: false, integer: true }],
      ['MeterValueSampleInterval', { value: '60', readonly: false, integer: true }],
      ['MeterValuesSampledData', { value: 'Energy.Active.Import.Register,Power.Active.Import', readonly: false }],
      ['AuthorizeRemoteTxRequests', { value: 'false', readonly: false }],
      ['ConnectionTimeOut', { value: '60', readonly: false, integer: true }],
      ['LocalAuthListEnabled', { value: 'true', readonly: false }],
      ['NumberOfConnectors', { value: '1', readonly: true }],
      ['SupportedFeatureProfiles', { value: 'Core,LocalAuthListManagement,RemoteTrigger', readonly: true }],
    ];
    for (const [key, entry] of keys) this.config.set(key, entry);
  }

  protected sampleSeconds(): number {
    return this.configNumber('MeterValueSampleInterval') || 60;
  }

  protected async sendBoot(): Promise<{ status: string; interval: number }> {
    const o = this.options;
    return this.chargePoint.call('BootNotification', {
      chargePointVendor: o.vendor ?? 'Example',
      chargePointModel: o.model ?? 'Sim-16',
      chargePointSerialNumber: o.serialNumber ?? `SN-${this.identity}`.slice(0, 25),
      firmwareVersion: o.firmwareVersion ?? '1.0.0',
    });
  }

  protected async sendStatus(status: 'Available' | 'Occupied'): Promise<void> {
    await this.chargePoint.call('StatusNotification', {
      connectorId: 1,
      errorCode: 'NoError',
      status: status === 'Available' ? 'Available' : 'Charging',
      timestamp: now(),
    });
  }

  protected async sendHeartbeat(): Promise<void> {
    await this.chargePoint.call('Heartbeat', {});
  }

  private meterValue(context: OCPP16.ReadingContext): OCPP16.MeterValue {
    const sampledValue: OCPP16.SampledValue[] = [{ value: String(this.meterWh), context, measurand: 'Energy.Active.Import.Register', unit: 'Wh' }];
    if (context === 'Sample.Periodic')
      sampledValue.push({ value: String(this.options.powerW ?? 11_000), context, measurand: 'Power.Active.Import', unit: 'W' });
    return { timestamp: now(), sampledValue };
  }

  protected async sendMeterValues(): Promise<void> {
    const tx = this.transaction;
    await this.chargePoint.call('MeterValues', {
      connectorId: 1,
      ...(tx ? { transactionId: Number(tx.id) } : {}),
      meterValue: [this.meterValue(tx ? 'Sample.Periodic' : 'Trigger')],
    });
  }

  async authorize(idTag: string): Promise<boolean> {
    const { idTagInfo } = await this.chargePoint.call('Authorize', { idTag });
    return idTagInfo.status === 'Accepted';
  }

  async startTransaction(idTag: string): Promise<SimTransaction> {
    if (this.transaction) throw new Error('a transaction is already in progress');
    const meterStartWh = this.meterWh;
    const startedAt = now();
    const response = await this.chargePoint.call('StartTransaction', { connectorId: 1, idTag, meterStart: meterStartWh, timestamp: startedAt });
    const tx: SimTransaction = { id: String(response.transactionId), idTag, meterStartWh, startedAt, authorized: response.idTagInfo.status === 'Accepted' };
    this.transaction = tx;
    return this.afterStart(tx);
  }

  async stopTransaction(reason: StopReason): Promise<void> {
    const tx = this.transaction;
    if (!tx) return;
    this.stopMetering();
    const meterStop = this.meterWh;
    await this.chargePoint.call('StopTransaction', {
      transactionId: Number(tx.id),
      meterStop,
      timestamp: now(),
      reason,
      ...(reason === 'Local' ? { idTag: tx.idTag } : {}),
      transactionData: [this.meterValue('Transaction.End')],
    });
    await this.afterStop(tx, reason, meterStop);
  }

  protected register(cp: ChargePoint<'ocpp1.6'>): void {
    cp.handle('RemoteStartTransaction', (req) => {
      if (this.transaction || this.remoteStartPending || (req.connectorId !== undefined && req.connectorId !== 1)) return { status: 'Rejected' };
      this.startRemotely(async () => {
        // With AuthorizeRemoteTxRequests, the idTag is checked first like a local one.
        if (this.config.get('AuthorizeRemoteTxRequests')?.value === 'true' && !(await this.authorize(req.idTag))) return;
        await this.startTransaction(req.idTag);
      });
      return { status: 'Accepted' };
    });
    cp.handle('RemoteStopTransaction', (req) => {
      if (this.transaction?.id !== String(req.transactionId)) return { status: 'Rejected' };
      this.later(() => this.stopTransaction('Remote'));
      return { status: 'Accepted' };
    });
    cp.handle('Reset', (req) => {
      this.later(() => this.reboot(req.type));
      return { status: 'Accepted' };
    });
    cp.handle('GetConfiguration', (req) => {
      const wanted = req.key ?? [...this.config.keys()];
      const configurationKey = wanted
        .filter((k) => this.config.has(k))
        .map((key) => ({ key, readonly: this.config.get(key)!.readonly, value: this.config.get(key)!.value }));
      const unknownKey = wanted.filter((k) => !this.config.has(k));
      return unknownKey.length > 0 ? { configurationKey, unknownKey } : { configurationKey };
    });
    cp.handle('ChangeConfiguration', (req) => {
      const outcome = this.setConfig(req.key, req.value);
      return { status: outcome === 'Unknown' ? 'NotSupported' : outcome };
    });
    cp.handle('TriggerMessage', (req) => {
      if (req.connectorId !== undefined && req.connectorId !== 1) return { status: 'Rejected' };
      const status = this.runTrigger(req.requestedMessage, {
        BootNotification: () => this.sendBoot(),
        FirmwareStatusNotification: () => this.chargePoint.call('FirmwareStatusNotification', { status: 'Idle' }),
        DiagnosticsStatusNotification: () => this.chargePoint.call('DiagnosticsStatusNotification', { status: 'Idle' }),
      });
      return { status };
    });
    cp.handle('UnlockConnector', (req) => {
      if (req.connectorId !== 1) return { status: 'UnlockFailed' };
      if (this.transaction) this.later(() => this.stopTransaction('UnlockCommand'));
      return { status: 'Unlocked' };
    });
    cp.handle('SendLocalList', (req) => ({
      status: this.updateLocalList(
        req.listVersion,
        req.updateType === 'Full',
        (req.localAuthorizationList ?? []).map((e) => ({ idTag: e.idTag, remove: e.idTagInfo === undefined })),
      ),
    }));
    cp.handle('GetLocalListVersion', () => ({ listVersion: this.localList.version }));
    cp.handle('DataTransfer', () => ({ status: 'UnknownVendorId' }));
  }
}

// ------------------------------------------------------------------ OCPP 2.0.1

/** A simulated OCPP 2.0.1 charging station with one EVSE and one connector. */
export class SimulatedCharger201 extends SimulatedChargerBase<'ocpp2.0.1'> {
  readonly protocol = 'ocpp2.0.1' as const;
  protected readonly heartbeatKey = 'OCPPCommCtrlr/HeartbeatInterval';
  private seqNo = 0;

  constructor(options: SimulatorOptions) {
    super(options);
    const variables: Array<[string, ConfigEntry]> = [
      ['OCPPCommCtrlr/HeartbeatInterval', { value: '300', readonly: false, integer: true }],
      ['SampledDataCtrlr/TxUpdatedInterval', { value: '60', readonly: false, integer: true }],
      ['SampledDataCtrlr/TxUpdatedMeasurands', { value: 'Energy.Active.Import.Register,Power.Active.Import', readonly: false }],
      ['AuthCtrlr/AuthorizeRemoteStart', { value: 'false', readonly: false }],
      ['TxCtrlr/EVConnectionTimeOut', { value: '60', readonly: false, integer: true }],
      ['LocalAuthListCtrlr/Enabled', { value: 'true', readonly: false }],
      ['SecurityCtrlr/Identity', { value: options.identity, readonly: true }],
      ['DeviceDataCtrlr/ItemsPerMessage', { value: '10', readonly: true }],
    ];
    for (const [key, entry] of variables) this.config.set(key, entry);
  }

  protected sampleSeconds(): number {
    return this.configNumber('SampledDataCtrlr/TxUpdatedInterval') || 60;
  }

  protected async sendBoot(reason = 'PowerUp'): Promise<{ status: string; interval: number }> {
    const o = this.options;
    return this.chargePoint.call('BootNotification', {
      reason: reason as OCPP201.BootReasonEnumType,
      chargingStation: {
        vendorName: o.vendor ?? 'Example',
        model: o.model ?? 'Sim-201',
        serialNumber: o.serialNumber ?? `SN-${this.identity}`.slice(0, 25),
        firmwareVersion: o.firmwareVersion ?? '1.0.0',
      },
    });
  }

  protected async sendStatus(status: 'Available' | 'Occupied'): Promise<void> {
    await this.chargePoint.call('StatusNotification', { timestamp: now(), connectorStatus: status, evseId: 1, connectorId: 1 });
  }

  protected async sendHeartbeat(): Promise<void> {
    await this.chargePoint.call('Heartbeat', {});
  }

  private meterValue(context: OCPP201.ReadingContextEnumType): OCPP201.MeterValueType {
    const sampledValue: OCPP201.SampledValueType[] = [
      { value: this.meterWh, context, measurand: 'Energy.Active.Import.Register', unitOfMeasure: { unit: 'Wh' } },
    ];
    if (context === 'Sample.Periodic')
      sampledValue.push({ value: this.options.powerW ?? 11_000, context, measurand: 'Power.Active.Import', unitOfMeasure: { unit: 'W' } });
    return { timestamp: now(), sampledValue };
  }

  protected async sendMeterValues(): Promise<void> {
    const tx = this.transaction;
    if (!tx) {
      await this.chargePoint.call('MeterValues', { evseId: 1, meterValue: [this.meterValue('Trigger')] });
      return;
    }
    await this.chargePoint.call('TransactionEvent', {
      eventType: 'Updated',
      timestamp: now(),
      triggerReason: 'MeterValuePeriodic',
      seqNo: this.seqNo++,
      transactionInfo: { transactionId: tx.id, chargingState: 'Charging' },
      meterValue: [this.meterValue('Sample.Periodic')],
    });
  }

  async authorize(idTag: string): Promise<boolean> {
    const { idTokenInfo } = await this.chargePoint.call('Authorize', { idToken: { idToken: idTag, type: 'ISO14443' } });
    return idTokenInfo.status === 'Accepted';
  }

  async startTransaction(idTag: string, remote?: { remoteStartId: number; transactionId: string }): Promise<SimTransaction> {
    if (this.transaction) throw new Error('a transaction is already in progress');
    const tx: SimTransaction = { id: remote?.transactionId ?? randomUUID(), idTag, meterStartWh: this.meterWh, startedAt: now(), authorized: true };
    this.transaction = tx;
    this.seqNo = 0;
    const response = await this.chargePoint.call('TransactionEvent', {
      eventType: 'Started',
      timestamp: tx.startedAt,
      triggerReason: remote ? 'RemoteStart' : 'Authorized',
      seqNo: this.seqNo++,
      transactionInfo: { transactionId: tx.id, chargingState: 'Charging', ...(remote ? { remoteStartId: remote.remoteStartId } : {}) },
      evse: { id: 1, connectorId: 1 },
      idToken: { idToken: idTag, type: remote ? 'Central' : 'ISO14443' },
      meterValue: [this.meterValue('Transaction.Begin')],
    });
    tx.authorized = response.idTokenInfo?.status === 'Accepted';
    return this.afterStart(tx);
  }

  async stopTransaction(reason: StopReason): Promise<void> {
    const tx = this.transaction;
    if (!tx) return;
    this.stopMetering();
    const trigger: Record<StopReason, OCPP201.TriggerReasonEnumType> = {
      Local: 'StopAuthorized',
      Remote: 'RemoteStop',
      DeAuthorized: 'Deauthorized',
      SoftReset: 'ResetCommand',
      HardReset: 'ResetCommand',
      UnlockCommand: 'UnlockCommand',
      EVDisconnected: 'EVCommunicationLost',
    };
    const stoppedReason: Record<StopReason, OCPP201.ReasonEnumType> = {
      Local: 'Local',
      Remote: 'Remote',
      DeAuthorized: 'DeAuthorized',
      SoftReset: 'ImmediateReset',
      HardReset: 'ImmediateReset',
      UnlockCommand: 'Other',
      EVDisconnected: 'EVDisconnected',
    };
    const meterStop = this.meterWh;
    await this.chargePoint.call('TransactionEvent', {
      eventType: 'Ended',
      timestamp: now(),
      triggerReason: trigger[reason],
      seqNo: this.seqNo++,
      transactionInfo: { transactionId: tx.id, chargingState: 'Idle', stoppedReason: stoppedReason[reason] },
      meterValue: [this.meterValue('Transaction.End')],
    });
    await this.afterStop(tx, reason, meterStop);
  }

  protected register(cp: ChargePoint<'ocpp2.0.1'>): void {
    cp.handle('RequestStartTransaction', (req) => {
      if (this.transaction || this.remoteStartPending || (req.evseId !== undefined && req.evseId !== 1)) return { status: 'Rejected' };
      const transactionId = randomUUID();
      this.startRemotely(async () => {
        if (this.config.get('AuthCtrlr/AuthorizeRemoteStart')?.value === 'true' && !(await this.authorize(req.idToken.idToken))) return;
        await this.startTransaction(req.idToken.idToken, { remoteStartId: req.remoteStartId, transactionId });
      });
      return { status: 'Accepted', transactionId };
    });
    cp.handle('RequestStopTransaction', (req) => {
      if (this.transaction?.id !== req.transactionId) return { status: 'Rejected' };
      this.later(() => this.stopTransaction('Remote'));
      return { status: 'Accepted' };
    });
    cp.handle('Reset', (req) => {
      if (req.evseId !== undefined && req.evseId !== 1) return { status: 'Rejected' };
      if (req.type === 'OnIdle' && this.transaction) {
        this.resetWhenIdle = true;
        return { status: 'Scheduled' };
      }
      this.later(() => this.reboot(req.type));
      return { status: 'Accepted' };
    });
    cp.handle('GetVariables', (req) => ({
      getVariableResult: req.getVariableData.map(({ component, variable, attributeType }) => {
        const result = { component, variable, ...(attributeType ? { attributeType } : {}) };
        const entry = this.config.get(`${component.name}/${variable.name}`);
        if (attributeType !== undefined && attributeType !== 'Actual') return { ...result, attributeStatus: 'NotSupportedAttributeType' as const };
        if (!entry) return { ...result, attributeStatus: this.knowsComponent(component.name) ? ('UnknownVariable' as const) : ('UnknownComponent' as const) };
        return { ...result, attributeStatus: 'Accepted' as const, attributeValue: entry.value };
      }),
    }));
    cp.handle('SetVariables', (req) => ({
      setVariableResult: req.setVariableData.map(({ component, variable, attributeType, attributeValue }) => {
        const result = { component, variable, ...(attributeType ? { attributeType } : {}) };
        if (attributeType !== undefined && attributeType !== 'Actual') return { ...result, attributeStatus: 'NotSupportedAttributeType' as const };
        const outcome = this.setConfig(`${component.name}/${variable.name}`, attributeValue);
        if (outcome !== 'Unknown') return { ...result, attributeStatus: outcome };
        return { ...result, attributeStatus: this.knowsComponent(component.name) ? ('UnknownVariable' as const) : ('UnknownComponent' as const) };
      }),
    }));
    cp.handle('TriggerMessage', (req) => {
      if (req.evse !== undefined && req.evse.id !== 1) return { status: 'Rejected' };
      // A TransactionEvent can only be triggered during a transaction.
      if (req.requestedMessage === 'TransactionEvent' && !this.transaction) return { status: 'Rejected' };
      const status = this.runTrigger(req.requestedMessage, {
        BootNotification: () => this.sendBoot('Triggered'),
        TransactionEvent: () => this.sendMeterValues(),
        FirmwareStatusNotification: () => this.chargePoint.call('FirmwareStatusNotification', { status: 'Idle' }),
        LogStatusNotification: () => this.chargePoint.call('LogStatusNotification', { status: 'Idle' }),
      });
      return { status };
    });
    cp.handle('UnlockConnector', (req) => {
      if (req.evseId !== 1 || req.connectorId !== 1) return { status: 'UnknownConnector' };
      // 2.0.1 does not unlock a connector while an authorized transaction runs on it.
      return { status: this.transaction ? 'OngoingAuthorizedTransaction' : 'Unlocked' };
    });
    cp.handle('SendLocalList', (req) => ({
      status: this.updateLocalList(
        req.versionNumber,
        req.updateType === 'Full',
        (req.localAuthorizationList ?? []).map((e) => ({ idTag: e.idToken.idToken, remove: e.idTokenInfo === undefined })),
      ),
    }));
    cp.handle('GetLocalListVersion', () => ({ versionNumber: this.localList.version }));
    cp.handle('DataTransfer', () => ({ status: 'UnknownVendorId' }));
  }

  private knowsComponent(name: string): boolean {
    for (const key of this.config.keys()) if (key.startsWith(`${name}/`)) return true;
    return false;
  }
}

/** A simulated charger of either version. */
export type SimulatedCharger = SimulatedCharger16 | SimulatedCharger201;

/** Builds the simulator of `protocol`. */
export function createSimulatedCharger(protocol: DefaultOcppVersion, options: SimulatorOptions): SimulatedCharger {
  return protocol === 'ocpp1.6' ? new SimulatedCharger16(options) : new SimulatedCharger201(options);
}

// ------------------------------------------------------------------ run it

const USAGE = `usage: npx ts-node examples/charge-point.ts [options]
  --protocol ocpp1.6|ocpp2.0.1   OCPP version (default ocpp1.6)
  --url URL                      CSMS endpoint, identity appended (default ws://127.0.0.1:9220/ocpp)
  --identity ID                  charger identity (default SIM-16 or SIM-201)
  --id-tag TAG                   idTag/idToken of the local session (default TAG-001)
  --samples N                    meter samples per session (default 3)
  --meter-interval-ms MS         real time between samples (default 1000)
  --once                         exit after one session (exit code 1 if it failed)
  --no-session                   no session of its own: boot, report the connector, then only
                                 answer the central system (the charger under test of
                                 examples/firmware-test-harness.ts)`;

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      protocol: { type: 'string', default: 'ocpp1.6' },
      url: { type: 'string', default: 'ws://127.0.0.1:9220/ocpp' },
      identity: { type: 'string' },
      'id-tag': { type: 'string', default: 'TAG-001' },
      samples: { type: 'string', default: '3' },
      'meter-interval-ms': { type: 'string', default: '1000' },
      once: { type: 'boolean', default: false },
      'no-session': { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) {
    console.log(USAGE);
    return;
  }
  const protocol = values.protocol;
  if (protocol !== 'ocpp1.6' && protocol !== 'ocpp2.0.1') throw new Error(`--protocol must be ocpp1.6 or ocpp2.0.1\n${USAGE}`);
  if (values.once && values['no-session']) throw new Error(`--once and --no-session exclude each other\n${USAGE}`);
  const log = new ExchangeLog();
  const charger = createSimulatedCharger(protocol, {
    url: values.url,
    identity: values.identity ?? (protocol === 'ocpp1.6' ? 'SIM-16' : 'SIM-201'),
    idTag: values['id-tag'],
    meterIntervalMs: Number(values['meter-interval-ms']),
    log,
  });
  charger.on('error', ({ error }) => log.note(`error: ${error.message}`));
  charger.on('rebooting', ({ type }) => log.note(`reset (${type}): rebooting`));
  const shutdown = (signal: string): void => {
    log.note(`${signal}: stopping`);
    charger.stop().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.once('SIGINT', () => shutdown('SIGINT'));
  process.once('SIGTERM', () => shutdown('SIGTERM'));

  await charger.start();
  log.note(`${charger.identity} booted (${protocol})`);
  if (values['no-session']) {
    log.note('no session of its own; answering the central system until SIGINT');
    return;
  }
  const tx = await charger.runSession({ samples: Number(values.samples) });
  if (tx) log.note(`session ${tx.id}: ${tx.meterStopWh - tx.meterStartWh} Wh for ${tx.idTag}`);
  else log.note(`idTag ${charger.idTag} was refused`);
  if (values.once) {
    await charger.stop();
    process.exit(tx?.authorized ? 0 : 1);
  }
  log.note('running; answering the central system until SIGINT');
}

if (require.main === module) {
  main().catch((error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  });
}
