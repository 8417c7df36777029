/** The simulated OCPP 1.6 charge point (see ../charge-point.ts). */
import type { ChargePoint, OCPP16 } from '../../src/index';
import { now, SimulatedChargerBase, type ConfigEntry, type ConnectorState, type SimTransaction, type SimulatorOptions, type StopReason } from './base';

/** A simulated OCPP 1.6 charge point with one connector. */
export class SimulatedCharger16 extends SimulatedChargerBase<'ocpp1.6'> {
  readonly protocol = 'ocpp1.6' as const;
  protected readonly heartbeatKey = 'HeartbeatInterval';
  protected readonly passwordKey = 'AuthorizationKey';
  protected readonly connectionTimeoutKey = 'ConnectionTimeOut';
  protected readonly measurandsKey = 'MeterValuesSampledData';
  protected readonly retryKeys = { attempts: 'TransactionMessageAttempts', intervalS: 'TransactionMessageRetryInterval' };

  constructor(options: SimulatorOptions) {
    super(options);
    const keys: Array<[string, ConfigEntry]> = [
      ['HeartbeatInterval', { value: '300', readonly: false, integer: true }],
      ['MeterValueSampleInterval', { value: '60', readonly: false, integer: true }],
      ['MeterValuesSampledData', { value: 'Energy.Active.Import.Register,Power.Active.Import', readonly: false }],
      ['AuthorizeRemoteTxRequests', { value: 'false', readonly: false }],
      ['ConnectionTimeOut', { value: '60', readonly: false, integer: true }],
      ['TransactionMessageAttempts', { value: '3', readonly: false, integer: true }],
      ['TransactionMessageRetryInterval', { value: '60', readonly: false, integer: true }],
      ['LocalAuthListEnabled', { value: 'true', readonly: false }],
      ['NumberOfConnectors', { value: '1', readonly: true }],
      ['SupportedFeatureProfiles', { value: 'Core,LocalAuthListManagement,RemoteTrigger', readonly: true }],
      // The security whitepaper's Basic-auth password: 16 to 20 bytes, written as hex; never read back.
      ['AuthorizationKey', { value: '', readonly: false, writeOnly: true, pattern: /^(?:[0-9a-fA-F]{2}){16,20}$/ }],
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

  protected async sendStatus(status: ConnectorState): Promise<void> {
    await this.chargePoint.call('StatusNotification', {
      connectorId: 1,
      errorCode: 'NoError',
      status: status === 'Occupied' ? 'Charging' : status,
      timestamp: now(),
    });
  }

  protected async sendHeartbeat(): Promise<void> {
    await this.chargePoint.call('Heartbeat', {});
  }

  protected async sendSecurityEvent(type: string): Promise<void> {
    await this.chargePoint.call('SecurityEventNotification', { type, timestamp: now() });
  }

  private meterValue(context: OCPP16.ReadingContext): OCPP16.MeterValue {
    const periodic = context === 'Sample.Periodic';
    const sampledValue: OCPP16.SampledValue[] = [];
    if (!periodic || this.samples('Energy.Active.Import.Register'))
      sampledValue.push({ value: String(this.meterWh), context, measurand: 'Energy.Active.Import.Register', unit: 'Wh' });
    if (periodic && this.samples('Power.Active.Import'))
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
    const offline = this.offlineAuthorization(idTag);
    if (offline !== undefined) return offline;
    const { idTagInfo } = await this.chargePoint.call('Authorize', { idTag });
    if (idTagInfo.parentIdTag === undefined) this.parentIdTags.delete(idTag);
    else this.parentIdTags.set(idTag, idTagInfo.parentIdTag);
    return idTagInfo.status === 'Accepted';
  }

  async startTransaction(idTag: string): Promise<SimTransaction> {
    if (this.transaction) throw new Error('a transaction is already in progress');
    const meterStartWh = this.meterWh;
    const startedAt = now();
    // A session on the reserved connector uses the reservation up (it was checked before).
    const reservationId = this.reservations.clear();
    const response = await this.chargePoint.call('StartTransaction', {
      connectorId: 1,
      idTag,
      meterStart: meterStartWh,
      timestamp: startedAt,
      ...(reservationId === undefined ? {} : { reservationId }),
    });
    const tx: SimTransaction = { id: String(response.transactionId), idTag, meterStartWh, startedAt, authorized: response.idTagInfo.status === 'Accepted' };
    this.transaction = tx;
    return this.afterStart(tx);
  }

  async stopTransaction(reason: StopReason): Promise<void> {
    const tx = this.transaction;
    if (!tx) return;
    // Over as soon as the charger decides it: the stop message only reports it, and may wait
    // in the offline queue; a new session may begin meanwhile.
    this.transaction = undefined;
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

  /**
   * ReserveNow: holds the connector when it is free (no cable, no session, no other
   * reservation) and in service, and reports it Reserved. Connector 0 (any connector) is not
   * offered: the charger has one.
   */
  protected reserveNow(req: OCPP16.ReserveNowRequest): OCPP16.ReserveNowResponse['status'] {
    if (req.connectorId !== 1) return 'Rejected';
    if (!this.operative) return 'Unavailable';
    const other = this.reservations.current !== undefined && this.reservations.current.id !== req.reservationId;
    if (this.transaction || this.pluggedIn || this.awaitingCable || this.remoteStartPending || other) return 'Occupied';
    this.reservations.reserve(req.reservationId, req.idTag, req.parentIdTag, req.expiryDate);
    this.later(() => this.sendStatus('Reserved'));
    return 'Accepted';
  }

  protected register(cp: ChargePoint<'ocpp1.6'>): void {
    cp.handle('RemoteStartTransaction', (req) => {
      if (this.transaction || this.remoteStartPending || this.awaitingCable || !this.operative || (req.connectorId !== undefined && req.connectorId !== 1))
        return { status: 'Rejected' };
      if (!this.mayUseReservation(req.idTag)) return { status: 'Rejected' };
      this.startRemotely(async () => {
        // With AuthorizeRemoteTxRequests, the idTag is checked first like a local one.
        if (this.config.get('AuthorizeRemoteTxRequests')?.value === 'true' && !(await this.authorize(req.idTag))) return;
        await this.startWhenPlugged(req.idTag);
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
      // A write-only key (the password) is not given out: asked for by name it is unknown.
      const readable = (k: string): boolean => this.config.has(k) && this.config.get(k)!.writeOnly !== true;
      const wanted = req.key ?? [...this.config.keys()].filter(readable);
      const configurationKey = wanted.filter(readable).map((key) => ({ key, readonly: this.config.get(key)!.readonly, value: this.config.get(key)!.value }));
      const unknownKey = wanted.filter((k) => !readable(k));
      return unknownKey.length > 0 ? { configurationKey, unknownKey } : { configurationKey };
    });
    cp.handle('ChangeConfiguration', (req) => {
      const outcome = this.setConfig(req.key, req.value);
      return { status: outcome === 'Unknown' ? 'NotSupported' : outcome };
    });
    cp.handle('ChangeAvailability', (req) => {
      if (req.connectorId !== 0 && req.connectorId !== 1) return { status: 'Rejected' };
      return { status: this.changeAvailability(req.type === 'Operative') };
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
      // An unknown connector: NotSupported (OCTT TC_031_CS).
      if (req.connectorId !== 1) return { status: 'NotSupported' };
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
    cp.handle('UpdateFirmware', (req) => {
      this.updateFirmware(req.location, req.retrieveDate, (status) => this.chargePoint.call('FirmwareStatusNotification', { status }));
      return {};
    });
    cp.handle('ReserveNow', (req) => ({ status: this.reserveNow(req) }));
    cp.handle('CancelReservation', (req) => {
      if (this.reservations.current?.id !== req.reservationId) return { status: 'Rejected' };
      this.reservations.clear();
      this.later(() => this.sendStatus(this.connectorState()));
      return { status: 'Accepted' };
    });
    cp.handle('DataTransfer', () => ({ status: 'UnknownVendorId' }));
  }
}
