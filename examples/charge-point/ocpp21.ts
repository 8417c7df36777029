/**
 * The simulated OCPP 2.1 charging station (see ../charge-point.ts and ocpp2x.ts): everything the
 * 2.0.1 one does, over a 2.1 connection, plus two things only 2.1 has.
 *
 * - A periodic event stream: `openStream()` asks the CSMS with OpenPeriodicEventStream, and from
 *   then on each meter sample also goes out as a NotifyPeriodicEventStream SEND (message type 6,
 *   never answered, and never waiting for the sample's own TransactionEvent CALL).
 * - It applies no tariffs: an Authorize answer that carries one is refused with a
 *   CALLRESULTERROR (message type 5, use case I08) through the call's `accept` check, and the
 *   idToken counts as not authorized.
 */
import { NotSupportedError, type ChargePoint } from '../../src/index';
import { now } from './base';
import { SimulatedCharger2x, type Wire2x } from './ocpp2x';

/** A simulated OCPP 2.1 charging station with one EVSE and one connector. */
export class SimulatedCharger21 extends SimulatedCharger2x<'ocpp2.1'> {
  readonly protocol = 'ocpp2.1' as const;
  protected readonly model = 'Sim-21';
  protected readonly wire: Wire2x = {
    boot: (request) => this.chargePoint.call('BootNotification', request),
    status: (request) => this.chargePoint.call('StatusNotification', request),
    heartbeat: () => this.chargePoint.call('Heartbeat', {}),
    meterValues: (request) => this.chargePoint.call('MeterValues', request),
    transactionEvent: (request) => this.chargePoint.call('TransactionEvent', request),
    authorize: (request) => this.authorizeWithoutTariff(request),
    firmwareStatus: (request) => this.chargePoint.call('FirmwareStatusNotification', request),
    logStatus: (request) => this.chargePoint.call('LogStatusNotification', request),
    notifyReport: (request) => this.chargePoint.call('NotifyReport', request),
    securityEvent: (request) => this.chargePoint.call('SecurityEventNotification', request),
  };
  /** The open periodic event stream and how many samples went out on it; a stream lives as long as its connection. */
  stream: { id: number; samples: number } | undefined;
  private nextStreamId = 1;

  override async start(reason?: string): Promise<void> {
    this.stream = undefined;
    await super.start(reason);
  }

  /**
   * Opens a periodic event stream (OpenPeriodicEventStream). Resolves with whether the CSMS
   * accepted it; from then on each meter sample is also sent on the stream.
   */
  async openStream(): Promise<boolean> {
    const id = this.nextStreamId++;
    const constantStreamData = { id, variableMonitoringId: 1, params: { interval: this.sampleSeconds(), values: 1 } };
    const { status } = await this.chargePoint.call('OpenPeriodicEventStream', { constantStreamData });
    if (status === 'Accepted') this.stream = { id, samples: 0 };
    return status === 'Accepted';
  }

  /** Closes the open stream (ClosePeriodicEventStream); nothing when none is open. */
  async closeStream(): Promise<void> {
    const stream = this.stream;
    if (!stream) return;
    this.stream = undefined;
    await this.chargePoint.call('ClosePeriodicEventStream', { id: stream.id });
  }

  protected override async sendMeterValues(): Promise<void> {
    // The sample goes out as a SEND beside its TransactionEvent CALL, waiting for neither the
    // CALL's slot nor its answer: a SEND needs neither, and a stream sample is only worth its moment.
    const sent = super.sendMeterValues();
    try {
      this.sendStreamSample();
    } finally {
      await sent;
    }
  }

  private sendStreamSample(): void {
    if (!this.stream || !this.transaction) return;
    this.stream.samples++;
    const powerKw = (this.options.powerW ?? 11_000) / 1000;
    this.chargePoint.send('NotifyPeriodicEventStream', { id: this.stream.id, pending: 0, basetime: now(), data: [{ t: 0, v: String(powerKw) }] });
  }

  /**
   * Authorize, refusing an answer that carries a tariff: this charger cannot apply one (2.1
   * I08), so the CSMS is told with a CALLRESULTERROR NotSupported and the idToken is treated as
   * not authorized, which is what a charger does that cannot bill the driver as agreed.
   */
  private async authorizeWithoutTariff(request: Parameters<Wire2x['authorize']>[0]): Promise<{ idTokenInfo: { status: string } }> {
    const refusal = new NotSupportedError({ description: 'this charger applies no tariffs' });
    try {
      return await this.chargePoint.call('Authorize', request, {
        accept: (result) => {
          if (result.tariff !== undefined) throw refusal;
        },
      });
    } catch (error) {
      if (error === refusal) return { idTokenInfo: { status: 'Invalid' } };
      throw error;
    }
  }

  protected register(cp: ChargePoint<'ocpp2.1'>): void {
    cp.handle('RequestStartTransaction', (req) => this.onRequestStart(req))
      .handle('RequestStopTransaction', (req) => this.onRequestStop(req))
      .handle('Reset', (req) => this.onReset(req))
      .handle('GetVariables', (req) => this.onGetVariables(req))
      .handle('SetVariables', (req) => this.onSetVariables(req))
      .handle('TriggerMessage', (req) => this.onTriggerMessage(req))
      .handle('UnlockConnector', (req) => this.onUnlockConnector(req))
      .handle('ChangeAvailability', (req) => this.onChangeAvailability(req))
      .handle('GetBaseReport', (req) => this.onGetBaseReport(req))
      .handle('SendLocalList', (req) => this.onSendLocalList(req))
      .handle('GetLocalListVersion', () => this.onGetLocalListVersion())
      .handle('UpdateFirmware', (req) => this.onUpdateFirmware(req))
      .handle('DataTransfer', () => ({ status: 'UnknownVendorId' }));
  }
}
