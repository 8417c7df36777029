/** The simulated OCPP 2.0.1 charging station (see ../charge-point.ts and ocpp2x.ts). */
import type { ChargePoint } from '../../src/index';
import { SimulatedCharger2x, type Wire2x } from './ocpp2x';

/** A simulated OCPP 2.0.1 charging station with one EVSE and one connector. */
export class SimulatedCharger201 extends SimulatedCharger2x<'ocpp2.0.1'> {
  readonly protocol = 'ocpp2.0.1' as const;
  protected readonly model = 'Sim-201';
  protected readonly wire: Wire2x = {
    boot: (request) => this.chargePoint.call('BootNotification', request),
    status: (request) => this.chargePoint.call('StatusNotification', request),
    heartbeat: () => this.chargePoint.call('Heartbeat', {}),
    meterValues: (request) => this.chargePoint.call('MeterValues', request),
    transactionEvent: (request) => this.chargePoint.call('TransactionEvent', request),
    authorize: (request) => this.chargePoint.call('Authorize', request),
    firmwareStatus: (request) => this.chargePoint.call('FirmwareStatusNotification', request),
    logStatus: (request) => this.chargePoint.call('LogStatusNotification', request),
    notifyReport: (request) => this.chargePoint.call('NotifyReport', request),
    securityEvent: (request) => this.chargePoint.call('SecurityEventNotification', request),
  };

  protected register(cp: ChargePoint<'ocpp2.0.1'>): void {
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
