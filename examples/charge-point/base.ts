/**
 * What every simulated charger does, whatever its version: the base class with the connection,
 * the boot loop, the timers, the energy meter, the configuration, availability, the cable and
 * card reader, and the local list (its shapes are in types.ts, re-exported here). The version
 * classes (ocpp16.ts, ocpp2x.ts) add the messages; ../charge-point.ts is the door and the CLI.
 */
import { EventEmitter } from 'eventemitter3';
import { ChargePoint, type OcppVersion } from '../../src/index';
import { ReservationDesk } from './reservations';
import { firmwareStatuses, walkFirmwareStatuses, type FirmwareStatus } from './firmware';
import type { AwaitingCable, ChargerEvents, ConfigEntry, ConnectorState, SimTransaction, SimulatorOptions, StopReason } from './types';

export type { ChargerEvents, ConfigEntry, ConnectorState, SimTransaction, SimulatorOptions, StopReason } from './types';

export const now = (): string => new Date().toISOString();
const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** What both versions share: connection, boot, timers, meter, configuration and local list. */
export abstract class SimulatedChargerBase<V extends OcppVersion> extends EventEmitter<ChargerEvents> {
  readonly identity: string;
  abstract readonly protocol: V;
  readonly config = new Map<string, ConfigEntry>();
  readonly localList = { version: 0, idTags: new Set<string>() };
  /** The reservation of the connector (1.6 ReserveNow); it ends when used, cancelled or expired. */
  readonly reservations = new ReservationDesk(() => this.reservationExpired());
  /** The parent of each idTag, as the CSMS's last Authorize answer for it said (for reservations). */
  protected readonly parentIdTags = new Map<string, string>();
  transaction: SimTransaction | undefined;
  /** Whether a cable is plugged in (with `cableSensor`). A reboot releases it. */
  pluggedIn = false;
  /** A session authorized before its cable: it starts on `plugIn()`, or is dropped at the connection timeout. */
  protected awaitingCable: AwaitingCable | undefined;
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
  /**
   * Whether the connector is in service (ChangeAvailability). It survives reboots, as on a real
   * charger, so a connector set Inoperative boots Unavailable.
   */
  operative = true;
  /** An availability change asked for during a transaction (answered Scheduled), applied when it ends. */
  protected operativeWhenIdle: boolean | undefined;
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

  /** The Basic-auth password to connect with: the option's, until the CSMS sets a new one. */
  protected get password(): string | undefined {
    const entry = this.config.get(this.passwordKey);
    if (entry !== undefined && entry.value !== '') return entry.value;
    const given = this.options.chargePoint?.password;
    return typeof given === 'string' ? given : undefined;
  }

  /** What the connector reports now. */
  protected connectorState(): ConnectorState {
    if (this.transaction) return 'Occupied';
    if (!this.operative) return 'Unavailable';
    return this.reservations.current ? 'Reserved' : 'Available';
  }

  /** The current connection (a reset replaces it). */
  get chargePoint(): ChargePoint<V> {
    if (!this.cp) throw new Error(`${this.identity} is not started`);
    return this.cp;
  }

  get idTag(): string {
    return this.options.idTag ?? 'TAG-001';
  }

  /**
   * Whether a periodic sample carries `measurand`: the configured list, of what this meter
   * measures (energy and power); energy when the list names neither.
   */
  protected samples(measurand: 'Energy.Active.Import.Register' | 'Power.Active.Import'): boolean {
    const listed = (this.config.get(this.measurandsKey)?.value ?? '').split(',').map((m) => m.trim());
    const known = listed.filter((m) => m === 'Energy.Active.Import.Register' || m === 'Power.Active.Import');
    return known.length === 0 ? measurand === 'Energy.Active.Import.Register' : known.includes(measurand);
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
    if (!this.transaction) this.pluggedIn = false;
    await this.connect();
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
    await this.sendStatus(this.connectorState());
    if (this.options.securityEvents === true) await this.sendSecurityEvent(reason === 'RemoteReset' ? 'ResetOrReboot' : 'StartupOfTheDevice');
    this.emit('ready', { boots: this.boots });
  }

  /** Opens a new connection (with the current password) and registers the handlers on it. */
  private async connect(): Promise<ChargePoint<V>> {
    const password = this.password;
    const given = this.options.chargePoint;
    // Transaction messages are retried as configured (read at each connection); the options win.
    const retry = { attempts: this.configNumber(this.retryKeys.attempts) || 3, retryIntervalMs: this.configNumber(this.retryKeys.intervalS) * 1000 };
    const cp = new ChargePoint<V>({
      callTimeoutMs: 10_000,
      // Boot gating is what a charger does; a test's misbehaving variant may turn it off.
      bootGating: true,
      ...given,
      offline: { ...given?.offline, retry: { ...retry, ...given?.offline?.retry } },
      ...(password === undefined ? {} : { password }),
      url: this.options.url,
      identity: this.identity,
      protocol: this.protocol,
    });
    this.cp = cp;
    if (this.options.log) this.options.log.attachChargePoint(cp);
    cp.on('error', (e) => this.emit('error', e));
    this.register(cp);
    await cp.connect();
    return cp;
  }

  /**
   * A new Basic-auth password was set: drop the connection and connect again with it (2.0.1
   * use case A01, the 1.6 security whitepaper). The registration stays Accepted: no new boot.
   */
  protected async reconnectWithNewPassword(): Promise<void> {
    clearInterval(this.heartbeatTimer);
    await this.cp?.close(1000, 'new password');
    if (this.stopped) return;
    const cp = await this.connect();
    cp.bootStatus = 'Accepted';
    this.restartHeartbeat();
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

  /** The cable goes in: a session waiting for it starts; otherwise the connector reports it. */
  async plugIn(): Promise<void> {
    this.pluggedIn = true;
    const waiting = this.awaitingCable;
    if (waiting === undefined) return this.sendStatus('Preparing');
    clearTimeout(waiting.timer);
    this.awaitingCable = undefined;
    await this.startTransaction(waiting.idTag, waiting.remote);
  }

  /** The cable comes out: the transaction on it ends (EVDisconnected), or the connector reports it. */
  async unplug(): Promise<void> {
    this.pluggedIn = false;
    if (this.transaction) await this.stopTransaction('EVDisconnected');
    else await this.sendStatus(this.connectorState());
  }

  /**
   * A card at the reader: the card of the running transaction stops it; another is authorized
   * and starts a session (when the cable is in, else once it is).
   */
  async presentToken(idTag: string): Promise<void> {
    if (this.transaction) {
      if (this.transaction.idTag === idTag) await this.stopTransaction('Local');
      return;
    }
    // A reserved connector only takes the reservation's idTag, or one of the same parent.
    if ((await this.authorize(idTag)) && this.mayUseReservation(idTag)) await this.startWhenPlugged(idTag);
  }

  /** Whether `idTag` may charge on the connector, as far as its reservation goes. */
  protected mayUseReservation(idTag: string): boolean {
    return this.reservations.admits(idTag, this.parentIdTags.get(idTag));
  }

  /** The reservation's expiry date passed: the connector is free again. */
  protected reservationExpired(): void {
    this.reservations.clear();
    this.later(() => this.sendStatus(this.connectorState()));
  }

  /**
   * Starts a session now when the cable is in (or the charger has no cable sensor); else waits
   * for it, for the connection timeout at most.
   */
  protected async startWhenPlugged(idTag: string, remote?: { remoteStartId: number; transactionId: string }): Promise<void> {
    if (this.pluggedIn || this.options.cableSensor !== true) {
      await this.startTransaction(idTag, remote);
      return;
    }
    if (this.awaitingCable) clearTimeout(this.awaitingCable.timer);
    const timer = setTimeout(() => this.later(() => this.cableTimedOut()), this.configNumber(this.connectionTimeoutKey) * 1000);
    this.awaitingCable = { idTag, remote, timer };
    await this.sendStatus('Preparing');
  }

  /** No cable within the connection timeout: the authorization lapses. */
  protected async cableTimedOut(): Promise<void> {
    if (this.awaitingCable === undefined) return;
    this.awaitingCable = undefined;
    await this.sendStatus(this.connectorState());
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

  /**
   * Offline, the local list decides (LocalAuthorizeOffline): a card on it is accepted, any other
   * refused. Undefined while online: ask the CSMS.
   */
  protected offlineAuthorization(idTag: string): boolean | undefined {
    return this.cp?.state === 'open' ? undefined : this.localList.idTags.has(idTag);
  }

  /** Asks the CSMS whether `idTag` may charge. */
  abstract authorize(idTag: string): Promise<boolean>;
  /** Starts a transaction (the CSMS may still refuse the idTag, which stops it again). */
  abstract startTransaction(idTag: string, remote?: { remoteStartId: number; transactionId: string }): Promise<SimTransaction>;
  /** Stops the transaction in progress. */
  abstract stopTransaction(reason: StopReason): Promise<void>;
  protected abstract readonly heartbeatKey: string;
  /** The configuration key of the Basic-auth password (1.6 AuthorizationKey, 2.x SecurityCtrlr/BasicAuthPassword). */
  protected abstract readonly passwordKey: string;
  /** The configuration key of the measurands sampled periodically (1.6 MeterValuesSampledData, 2.x SampledDataCtrlr/TxUpdatedMeasurands). */
  protected abstract readonly measurandsKey: string;
  /** The configuration keys of the transaction-message retries: attempts, and the base interval in seconds. */
  protected abstract readonly retryKeys: { readonly attempts: string; readonly intervalS: string };
  /** The configuration key of the connection timeout (1.6 ConnectionTimeOut, 2.x TxCtrlr/EVConnectionTimeOut), in seconds. */
  protected abstract readonly connectionTimeoutKey: string;
  protected abstract sendBoot(reason: string | undefined): Promise<{ status: string; interval: number }>;
  protected abstract sendStatus(status: ConnectorState): Promise<void>;
  protected abstract sendMeterValues(): Promise<void>;
  protected abstract sendHeartbeat(): Promise<void>;
  /** SecurityEventNotification of `type` (a name of the security events list), now. */
  protected abstract sendSecurityEvent(type: string): Promise<void>;
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
    if (entry.readonly || (entry.integer && !/^\d+$/.test(value)) || (entry.pattern && !entry.pattern.test(value))) return 'Rejected';
    entry.value = value;
    if (key === this.heartbeatKey) this.restartHeartbeat();
    if (key === this.passwordKey) this.later(() => this.reconnectWithNewPassword());
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
    // A reboot drops the reservation with the rest of the charger's volatile state.
    this.reservations.clear();
    if (this.awaitingCable) clearTimeout(this.awaitingCable.timer);
    this.awaitingCable = undefined;
    clearInterval(this.heartbeatTimer);
    this.heartbeatTimer = undefined;
  }

  /** After the CSMS answered a transaction start: stop at once if it refused the idTag, else charge. */
  protected async afterStart(tx: SimTransaction): Promise<SimTransaction> {
    this.emit('transactionStarted', tx);
    // Stopped already (offline, before its start was even delivered): nothing to charge.
    if (this.transaction !== tx) return tx;
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
      StatusNotification: () => this.sendStatus(this.connectorState()),
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
    this.emit('transactionStopped', { ...tx, reason, meterStopWh });
    if (this.operativeWhenIdle !== undefined) {
      this.operative = this.operativeWhenIdle;
      this.operativeWhenIdle = undefined;
    }
    await this.sendStatus(this.connectorState());
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

  /**
   * ChangeAvailability, for both versions: in or out of service now, or (out of service during a
   * transaction) once it ends. Reports the connector when its state changes.
   */
  protected changeAvailability(operative: boolean): 'Accepted' | 'Scheduled' {
    if (this.transaction && !operative) {
      this.operativeWhenIdle = operative;
      return 'Scheduled';
    }
    this.operativeWhenIdle = undefined;
    const changed = this.operative !== operative;
    this.operative = operative;
    if (changed) this.later(() => this.sendStatus(this.connectorState()));
    return 'Accepted';
  }

  /** The statuses an update from `location` reports (a test's misbehaving variant may lie). */
  protected firmwareSteps(location: string): FirmwareStatus[] {
    return firmwareStatuses(location, this.options.firmware);
  }

  /**
   * UpdateFirmware, for both versions: after the answer, from `retrieveDate` on, reports each
   * status of the update through `report`, one step apart, while the charger runs.
   */
  protected updateFirmware(location: string, retrieveDate: string, report: (status: FirmwareStatus) => Promise<unknown>): void {
    const steps = this.firmwareSteps(location);
    this.later(() => walkFirmwareStatuses(steps, retrieveDate, this.options.firmware, () => !this.stopped, report));
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
