/**
 * The charger under test of the scenario tests: the SDK's simulated charger
 * (examples/charge-point.ts), a StationDriver for it, and misbehaving variants, each breaking
 * one thing a ready scenario checks.
 */
import type { ChargePoint, OcppVersion } from '../../src/index';
import type { StationDriver, StationProfile } from '../../src/testing/index';
import { SimulatedCharger16, SimulatedCharger201, type SimTransaction, type SimulatorOptions } from '../../examples/charge-point';

/** How a variant misbehaves ('none': it does not). */
export type Quirk =
  | 'none'
  | 'unavailable' // reports its connector Unavailable when it should say Available
  | 'no-heartbeat' // never sends a Heartbeat
  | 'early-retry' // retries a Pending boot after half the interval
  | 'ignores-invalid' // starts a transaction for a token the CSMS answered Invalid
  | 'rejects-remote-start' // answers remote starts Rejected
  | 'ignores-remote-stop' // accepts a remote stop and goes on charging
  | 'accepts-any-stop' // accepts a remote stop of a transaction it does not have
  | 'unlock-fails' // answers every UnlockConnector UnlockFailed
  | 'trigger-ignored' // accepts TriggerMessage and sends nothing
  | 'no-start' // accepts the token and never starts the transaction
  | 'no-reboot'; // accepts a reset and does not reboot

/** The profile of the simulator, with short intervals for tests. */
export const SIM_PROFILE: StationProfile = {
  heartbeatIntervalS: 1,
  retryIntervalS: 2,
  messageTimeoutMs: 1500,
  timingToleranceMs: 400,
};

/**
 * The profile per version: 1.6 checks periodic Heartbeats (TC_001_CS: a short interval), 2.0.1
 * a triggered one (TC_F_20_CS: an interval no periodic Heartbeat falls into).
 */
export function simProfile(protocol: OcppVersion): StationProfile {
  return protocol === 'ocpp1.6' ? SIM_PROFILE : { ...SIM_PROFILE, heartbeatIntervalS: 60 };
}

type Sim = SimulatedCharger16 | SimulatedCharger201;

/** Applies `quirk` to the handlers of a freshly registered connection. */
function overrideHandlers(sim: Sim, cp: ChargePoint<'ocpp1.6'> | ChargePoint<'ocpp2.0.1'>, quirk: Quirk): void {
  if (cp.protocol === 'ocpp1.6') {
    const c = cp;
    if (quirk === 'rejects-remote-start') c.handle('RemoteStartTransaction', () => ({ status: 'Rejected' }));
    if (quirk === 'ignores-remote-stop') c.handle('RemoteStopTransaction', () => ({ status: 'Accepted' }));
    if (quirk === 'accepts-any-stop') c.handle('RemoteStopTransaction', () => ({ status: 'Accepted' }));
    if (quirk === 'unlock-fails') c.handle('UnlockConnector', () => ({ status: 'UnlockFailed' }));
    if (quirk === 'trigger-ignored') c.handle('TriggerMessage', () => ({ status: 'Accepted' }));
    if (quirk === 'no-reboot') c.handle('Reset', () => ({ status: 'Accepted' }));
    return;
  }
  const c = cp;
  if (quirk === 'rejects-remote-start') c.handle('RequestStartTransaction', () => ({ status: 'Rejected' }));
  if (quirk === 'ignores-remote-stop') c.handle('RequestStopTransaction', () => ({ status: 'Accepted' }));
  if (quirk === 'accepts-any-stop') c.handle('RequestStopTransaction', () => ({ status: 'Accepted' }));
  if (quirk === 'unlock-fails') c.handle('UnlockConnector', () => ({ status: 'UnlockFailed' }));
  if (quirk === 'trigger-ignored') c.handle('TriggerMessage', () => ({ status: 'Accepted' }));
  if (quirk === 'no-reboot') c.handle('Reset', () => ({ status: 'Accepted' }));
  void sim;
}

class Quirky16 extends SimulatedCharger16 {
  constructor(
    options: SimulatorOptions,
    readonly quirk: Quirk,
  ) {
    super(options);
  }
  protected override async sendStatus(status: 'Available' | 'Occupied'): Promise<void> {
    if (this.quirk === 'unavailable' && status === 'Available') {
      await this.chargePoint.call('StatusNotification', { connectorId: 1, errorCode: 'NoError', status: 'Unavailable' });
      return;
    }
    await super.sendStatus(status);
  }
  protected override async sendBoot(): Promise<{ status: string; interval: number }> {
    const r = await super.sendBoot();
    return this.quirk === 'early-retry' && r.status !== 'Accepted' ? { ...r, interval: r.interval / 2 } : r;
  }
  protected override restartHeartbeat(): void {
    if (this.quirk !== 'no-heartbeat') super.restartHeartbeat();
  }
  override async authorize(idTag: string): Promise<boolean> {
    const ok = await super.authorize(idTag);
    return ok || this.quirk === 'ignores-invalid';
  }
  override async startTransaction(idTag: string): Promise<SimTransaction> {
    if (this.quirk === 'no-start') return { id: 'never', idTag, meterStartWh: 0, startedAt: '', authorized: false };
    return super.startTransaction(idTag);
  }
  protected override register(cp: ChargePoint<'ocpp1.6'>): void {
    super.register(cp);
    overrideHandlers(this, cp, this.quirk);
  }
}

class Quirky201 extends SimulatedCharger201 {
  constructor(
    options: SimulatorOptions,
    readonly quirk: Quirk,
  ) {
    super(options);
  }
  protected override async sendStatus(status: 'Available' | 'Occupied'): Promise<void> {
    if (this.quirk === 'unavailable' && status === 'Available') {
      await this.chargePoint.call('StatusNotification', { timestamp: new Date().toISOString(), connectorStatus: 'Unavailable', evseId: 1, connectorId: 1 });
      return;
    }
    await super.sendStatus(status);
  }
  protected override async sendBoot(reason?: string): Promise<{ status: string; interval: number }> {
    const r = await super.sendBoot(reason);
    return this.quirk === 'early-retry' && r.status !== 'Accepted' ? { ...r, interval: r.interval / 2 } : r;
  }
  protected override restartHeartbeat(): void {
    if (this.quirk !== 'no-heartbeat') super.restartHeartbeat();
  }
  override async authorize(idTag: string): Promise<boolean> {
    const ok = await super.authorize(idTag);
    return ok || this.quirk === 'ignores-invalid';
  }
  override async startTransaction(idTag: string, remote?: { remoteStartId: number; transactionId: string }): Promise<SimTransaction> {
    if (this.quirk === 'no-start') return { id: 'never', idTag, meterStartWh: 0, startedAt: '', authorized: false };
    return super.startTransaction(idTag, remote);
  }
  protected override register(cp: ChargePoint<'ocpp2.0.1'>): void {
    super.register(cp);
    overrideHandlers(this, cp, this.quirk);
  }
}

/** The simulated charger `identity` of `protocol`, pointed at `url`, with a driver; not started. */
export interface SimRig {
  readonly sim: Sim;
  readonly driver: StationDriver;
  stop(): Promise<void>;
}

/** Builds a rig: the simulator (misbehaving by `quirk`) and its StationDriver. */
export function simRig(protocol: Extract<OcppVersion, 'ocpp1.6' | 'ocpp2.0.1'>, url: string, identity: string, quirk: Quirk = 'none'): SimRig {
  const options: SimulatorOptions = { url, identity, chargePoint: { reconnect: false, pingIntervalMs: 0, callTimeoutMs: 5000 } };
  const sim: Sim = protocol === 'ocpp1.6' ? new Quirky16(options, quirk) : new Quirky201(options, quirk);
  const background = (task: () => Promise<unknown>): void => void task().catch(() => undefined);
  const driver: StationDriver = {
    // Switch off, switch on: the boot goes on in the background, as on a real charger.
    powerCycle: async () => {
      await sim.stop();
      background(() => sim.start());
    },
    // The simulator has no cable sensor: plugging in is its status report.
    plugIn: async (connectorId) => {
      if (sim instanceof SimulatedCharger16) {
        await sim.chargePoint.call('StatusNotification', { connectorId, errorCode: 'NoError', status: 'Preparing' });
      } else {
        await sim.chargePoint.call('StatusNotification', { timestamp: new Date().toISOString(), connectorStatus: 'Occupied', evseId: 1, connectorId });
      }
    },
    // A card at the reader: authorize, and start charging when accepted (the cable is in).
    presentToken: (token) => {
      background(async () => {
        if (await sim.authorize(token)) await sim.startTransaction(token);
      });
      return Promise.resolve();
    },
  };
  return { sim, driver, stop: () => sim.stop() };
}
