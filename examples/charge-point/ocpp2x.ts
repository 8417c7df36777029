/**
 * What the simulated 2.0.1 and 2.1 charging stations share: one EVSE with one connector, the
 * device-model variables, TransactionEvent, and the answers to the CSMS's commands. For these
 * actions 2.1's payloads are supersets of 2.0.1's, so the logic is written once; only the typed
 * wire (which ChargePoint the messages go through) is per version (ocpp201.ts, ocpp21.ts).
 */
import { randomUUID } from 'node:crypto';
import type { OCPP201, OCPP21 } from '../../src/index';
import { reportPages, supportsReport } from './report';
import { now, SimulatedChargerBase, type ConfigEntry, type ConnectorState, type SimTransaction, type SimulatorOptions, type StopReason } from './base';

/**
 * The messages a 2.x simulator sends. Requests are 2.0.1's types, which 2.1 accepts unchanged;
 * answers are reduced to the fields the simulator reads, which both versions have.
 */
export interface Wire2x {
  boot(request: OCPP201.BootNotificationRequest): Promise<{ status: string; interval: number }>;
  status(request: OCPP201.StatusNotificationRequest): Promise<unknown>;
  heartbeat(): Promise<unknown>;
  meterValues(request: OCPP201.MeterValuesRequest): Promise<unknown>;
  transactionEvent(request: OCPP201.TransactionEventRequest): Promise<{ idTokenInfo?: { status: string } }>;
  authorize(request: OCPP201.AuthorizeRequest): Promise<{ idTokenInfo: { status: string } }>;
  firmwareStatus(request: OCPP201.FirmwareStatusNotificationRequest): Promise<unknown>;
  logStatus(request: OCPP201.LogStatusNotificationRequest): Promise<unknown>;
  notifyReport(request: OCPP201.NotifyReportRequest): Promise<unknown>;
  securityEvent(request: OCPP201.SecurityEventNotificationRequest): Promise<unknown>;
}

/** A request of either 2.x version: handlers read only the fields both have. */
type Either<R201, R21> = R201 | R21;

/** A simulated OCPP 2.x charging station with one EVSE and one connector. */
export abstract class SimulatedCharger2x<V extends 'ocpp2.0.1' | 'ocpp2.1'> extends SimulatedChargerBase<V> {
  protected readonly heartbeatKey = 'OCPPCommCtrlr/HeartbeatInterval';
  protected readonly passwordKey = 'SecurityCtrlr/BasicAuthPassword';
  protected readonly connectionTimeoutKey = 'TxCtrlr/EVConnectionTimeOut';
  protected readonly measurandsKey = 'SampledDataCtrlr/TxUpdatedMeasurands';
  protected readonly retryKeys = {
    attempts: 'OCPPCommCtrlr/MessageAttemptsTransactionEvent',
    intervalS: 'OCPPCommCtrlr/MessageAttemptIntervalTransactionEvent',
  };
  /** The BootNotification model, per version. */
  protected abstract readonly model: string;
  /** The messages, sent through this version's ChargePoint. */
  protected abstract readonly wire: Wire2x;
  private seqNo = 0;

  constructor(options: SimulatorOptions) {
    super(options);
    const variables: Array<[string, ConfigEntry]> = [
      ['OCPPCommCtrlr/HeartbeatInterval', { value: '300', readonly: false, integer: true }],
      ['OCPPCommCtrlr/MessageAttemptsTransactionEvent', { value: '3', readonly: false, integer: true }],
      ['OCPPCommCtrlr/MessageAttemptIntervalTransactionEvent', { value: '60', readonly: false, integer: true }],
      // How long a CALL waits for its answer, in seconds: the ChargePoint's callTimeoutMs.
      ['OCPPCommCtrlr/MessageTimeout', { value: String(Math.ceil((options.chargePoint?.callTimeoutMs ?? 10_000) / 1000)), readonly: true, integer: true }],
      ['SampledDataCtrlr/TxUpdatedInterval', { value: '60', readonly: false, integer: true }],
      ['SampledDataCtrlr/TxUpdatedMeasurands', { value: 'Energy.Active.Import.Register,Power.Active.Import', readonly: false }],
      ['AuthCtrlr/AuthorizeRemoteStart', { value: 'false', readonly: false }],
      ['TxCtrlr/EVConnectionTimeOut', { value: '60', readonly: false, integer: true }],
      ['LocalAuthListCtrlr/Enabled', { value: 'true', readonly: false }],
      ['SecurityCtrlr/Identity', { value: options.identity, readonly: true }],
      ['DeviceDataCtrlr/ItemsPerMessage', { value: '10', readonly: true }],
      // 2.0.1's passwordString: 16 to 40 characters; write-only.
      ['SecurityCtrlr/BasicAuthPassword', { value: '', readonly: false, writeOnly: true, pattern: /^[\x21-\x7e]{16,40}$/ }],
    ];
    for (const [key, entry] of variables) this.config.set(key, entry);
  }

  protected sampleSeconds(): number {
    return this.configNumber('SampledDataCtrlr/TxUpdatedInterval') || 60;
  }

  protected async sendBoot(reason = 'PowerUp'): Promise<{ status: string; interval: number }> {
    const o = this.options;
    return this.wire.boot({
      reason: reason as OCPP201.BootReasonEnumType,
      chargingStation: {
        vendorName: o.vendor ?? 'Example',
        model: o.model ?? this.model,
        serialNumber: o.serialNumber ?? `SN-${this.identity}`.slice(0, 25),
        firmwareVersion: o.firmwareVersion ?? '1.0.0',
      },
    });
  }

  protected async sendStatus(status: ConnectorState): Promise<void> {
    // 2.x has no Preparing: a connector is Occupied once the cable is in, and a driver authorized
    // before it changes nothing to report.
    if (status === 'Preparing' && !this.pluggedIn) return;
    await this.wire.status({ timestamp: now(), connectorStatus: status === 'Preparing' ? 'Occupied' : status, evseId: 1, connectorId: 1 });
  }

  protected async sendHeartbeat(): Promise<void> {
    await this.wire.heartbeat();
  }

  protected async sendSecurityEvent(type: string): Promise<void> {
    await this.wire.securityEvent({ type, timestamp: now() });
  }

  private meterValue(context: OCPP201.ReadingContextEnumType): OCPP201.MeterValueType {
    const periodic = context === 'Sample.Periodic';
    const sampledValue: OCPP201.SampledValueType[] = [];
    if (!periodic || this.samples('Energy.Active.Import.Register'))
      sampledValue.push({ value: this.meterWh, context, measurand: 'Energy.Active.Import.Register', unitOfMeasure: { unit: 'Wh' } });
    if (periodic && this.samples('Power.Active.Import'))
      sampledValue.push({ value: this.options.powerW ?? 11_000, context, measurand: 'Power.Active.Import', unitOfMeasure: { unit: 'W' } });
    return { timestamp: now(), sampledValue };
  }

  protected async sendMeterValues(): Promise<void> {
    const tx = this.transaction;
    if (!tx) {
      await this.wire.meterValues({ evseId: 1, meterValue: [this.meterValue('Trigger')] });
      return;
    }
    await this.wire.transactionEvent({
      eventType: 'Updated',
      timestamp: now(),
      triggerReason: 'MeterValuePeriodic',
      seqNo: this.seqNo++,
      transactionInfo: { transactionId: tx.id, chargingState: 'Charging' },
      meterValue: [this.meterValue('Sample.Periodic')],
    });
  }

  async authorize(idTag: string): Promise<boolean> {
    const offline = this.offlineAuthorization(idTag);
    if (offline !== undefined) return offline;
    const { idTokenInfo } = await this.wire.authorize({ idToken: { idToken: idTag, type: 'ISO14443' } });
    return idTokenInfo.status === 'Accepted';
  }

  async startTransaction(idTag: string, remote?: { remoteStartId: number; transactionId: string }): Promise<SimTransaction> {
    if (this.transaction) throw new Error('a transaction is already in progress');
    const tx: SimTransaction = { id: remote?.transactionId ?? randomUUID(), idTag, meterStartWh: this.meterWh, startedAt: now(), authorized: true };
    this.transaction = tx;
    this.seqNo = 0;
    const response = await this.wire.transactionEvent({
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
    // Over as soon as the charger decides it: the stop message only reports it, and may wait
    // in the offline queue; a new session may begin meanwhile.
    this.transaction = undefined;
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
    await this.wire.transactionEvent({
      eventType: 'Ended',
      timestamp: now(),
      triggerReason: trigger[reason],
      seqNo: this.seqNo++,
      transactionInfo: { transactionId: tx.id, chargingState: 'Idle', stoppedReason: stoppedReason[reason] },
      meterValue: [this.meterValue('Transaction.End')],
    });
    await this.afterStop(tx, reason, meterStop);
  }

  // ---------------------------------------------------------------- answers to the CSMS, both versions
  // Each version class registers these on its own ChargePoint (ocpp201.ts, ocpp21.ts): `handle`
  // of a ChargePoint whose version is one of two cannot be typed, so the list is written twice.

  protected onRequestStart(
    req: Either<OCPP201.RequestStartTransactionRequest, OCPP21.RequestStartTransactionRequest>,
  ): OCPP201.RequestStartTransactionResponse {
    if (this.transaction || this.remoteStartPending || this.awaitingCable || !this.operative || (req.evseId !== undefined && req.evseId !== 1))
      return { status: 'Rejected' };
    const transactionId = randomUUID();
    this.startRemotely(async () => {
      if (this.config.get('AuthCtrlr/AuthorizeRemoteStart')?.value === 'true' && !(await this.authorize(req.idToken.idToken))) return;
      await this.startWhenPlugged(req.idToken.idToken, { remoteStartId: req.remoteStartId, transactionId });
    });
    return { status: 'Accepted', transactionId };
  }

  protected onRequestStop(req: Either<OCPP201.RequestStopTransactionRequest, OCPP21.RequestStopTransactionRequest>): OCPP201.RequestStopTransactionResponse {
    if (this.transaction?.id !== req.transactionId) return { status: 'Rejected' };
    this.later(() => this.stopTransaction('Remote'));
    return { status: 'Accepted' };
  }

  protected onReset(req: Either<OCPP201.ResetRequest, OCPP21.ResetRequest>): OCPP201.ResetResponse {
    if (req.evseId !== undefined && req.evseId !== 1) return { status: 'Rejected' };
    if (req.type === 'OnIdle' && this.transaction) {
      this.resetWhenIdle = true;
      return { status: 'Scheduled' };
    }
    this.later(() => this.reboot(req.type));
    return { status: 'Accepted' };
  }

  protected onGetVariables(req: Either<OCPP201.GetVariablesRequest, OCPP21.GetVariablesRequest>): OCPP201.GetVariablesResponse {
    return {
      getVariableResult: req.getVariableData.map(({ component, variable, attributeType }) => {
        const result = { component, variable, ...(attributeType ? { attributeType } : {}) };
        const entry = this.config.get(`${component.name}/${variable.name}`);
        if (attributeType !== undefined && attributeType !== 'Actual') return { ...result, attributeStatus: 'NotSupportedAttributeType' as const };
        if (!entry) return { ...result, attributeStatus: this.knowsComponent(component.name) ? ('UnknownVariable' as const) : ('UnknownComponent' as const) };
        if (entry.writeOnly) return { ...result, attributeStatus: 'Rejected' as const };
        return { ...result, attributeStatus: 'Accepted' as const, attributeValue: entry.value };
      }),
    };
  }

  protected onSetVariables(req: Either<OCPP201.SetVariablesRequest, OCPP21.SetVariablesRequest>): OCPP201.SetVariablesResponse {
    return {
      setVariableResult: req.setVariableData.map(({ component, variable, attributeType, attributeValue }) => {
        const result = { component, variable, ...(attributeType ? { attributeType } : {}) };
        if (attributeType !== undefined && attributeType !== 'Actual') return { ...result, attributeStatus: 'NotSupportedAttributeType' as const };
        const outcome = this.setConfig(`${component.name}/${variable.name}`, attributeValue);
        if (outcome !== 'Unknown') return { ...result, attributeStatus: outcome };
        return { ...result, attributeStatus: this.knowsComponent(component.name) ? ('UnknownVariable' as const) : ('UnknownComponent' as const) };
      }),
    };
  }

  protected onTriggerMessage(req: Either<OCPP201.TriggerMessageRequest, OCPP21.TriggerMessageRequest>): OCPP201.TriggerMessageResponse {
    if (req.evse !== undefined && req.evse.id !== 1) return { status: 'Rejected' };
    // A TransactionEvent can only be triggered during a transaction.
    if (req.requestedMessage === 'TransactionEvent' && !this.transaction) return { status: 'Rejected' };
    const status = this.runTrigger(req.requestedMessage, {
      BootNotification: () => this.sendBoot('Triggered'),
      TransactionEvent: () => this.sendMeterValues(),
      FirmwareStatusNotification: () => this.wire.firmwareStatus({ status: 'Idle' }),
      LogStatusNotification: () => this.wire.logStatus({ status: 'Idle' }),
    });
    return { status };
  }

  protected onUnlockConnector(req: Either<OCPP201.UnlockConnectorRequest, OCPP21.UnlockConnectorRequest>): OCPP201.UnlockConnectorResponse {
    if (req.evseId !== 1 || req.connectorId !== 1) return { status: 'UnknownConnector' };
    // 2.x does not unlock a connector while an authorized transaction runs on it.
    return { status: this.transaction ? 'OngoingAuthorizedTransaction' : 'Unlocked' };
  }

  protected onChangeAvailability(req: Either<OCPP201.ChangeAvailabilityRequest, OCPP21.ChangeAvailabilityRequest>): OCPP201.ChangeAvailabilityResponse {
    if (req.evse !== undefined && (req.evse.id > 1 || (req.evse.connectorId !== undefined && req.evse.connectorId !== 1))) return { status: 'Rejected' };
    return { status: this.changeAvailability(req.operationalStatus === 'Operative') };
  }

  /** GetBaseReport: Accepted, then the report in NotifyReport pages, one after the other. */
  protected onGetBaseReport(req: Either<OCPP201.GetBaseReportRequest, OCPP21.GetBaseReportRequest>): OCPP201.GetBaseReportResponse {
    if (!supportsReport(req.reportBase)) return { status: 'NotSupported' };
    this.later(async () => {
      for (const page of reportPages(this.config, req.requestId, req.reportBase)) await this.wire.notifyReport(page);
    });
    return { status: 'Accepted' };
  }

  protected onSendLocalList(req: Either<OCPP201.SendLocalListRequest, OCPP21.SendLocalListRequest>): OCPP201.SendLocalListResponse {
    return {
      status: this.updateLocalList(
        req.versionNumber,
        req.updateType === 'Full',
        (req.localAuthorizationList ?? []).map((e) => ({ idTag: e.idToken.idToken, remove: e.idTokenInfo === undefined })),
      ),
    };
  }

  /** UpdateFirmware: Accepted, then the statuses of the update, each with the request's id. */
  protected onUpdateFirmware(req: Either<OCPP201.UpdateFirmwareRequest, OCPP21.UpdateFirmwareRequest>): OCPP201.UpdateFirmwareResponse {
    this.updateFirmware(req.firmware.location, req.firmware.retrieveDateTime, (status) => this.wire.firmwareStatus({ status, requestId: req.requestId }));
    return { status: 'Accepted' };
  }

  protected onGetLocalListVersion(): OCPP201.GetLocalListVersionResponse {
    return { versionNumber: this.localList.version };
  }

  private knowsComponent(name: string): boolean {
    for (const key of this.config.keys()) if (key.startsWith(`${name}/`)) return true;
    return false;
  }
}
