/** The simulated OCPP 2.0.1 charging station (see ../charge-point.ts). */
import { randomUUID } from 'node:crypto';
import type { ChargePoint, OCPP201 } from '../../src/index';
import { now, SimulatedChargerBase, type ConfigEntry, type SimTransaction, type SimulatorOptions, type StopReason } from './base';

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
