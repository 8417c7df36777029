/**
 * The charger under test of the scenario tests: the SDK's simulated charger
 * (examples/charge-point.ts), a StationDriver for it, and misbehaving variants, each breaking
 * one thing a ready scenario checks.
 */
import { rulesFor, type ChargePoint, type OCPP16, type OcppVersion } from '../../src/index';
import type { StationDriver, StationProfile } from '../../src/testing/index';
import {
  SimulatedCharger16,
  SimulatedCharger201,
  SimulatedCharger21,
  type SimTransaction,
  type SimulatorOptions,
  type StopReason,
} from '../../examples/charge-point';
import type { ConnectorState } from '../../examples/charge-point';
import { reportPages } from '../../examples/charge-point/report';
import type { FirmwareStatus } from '../../examples/charge-point/firmware';

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
  | 'no-reboot' // accepts a reset and does not reboot
  | 'config-lax' // knows every key or variable, and lets any be set, read-only ones included
  | 'config-forgets' // answers every change Accepted and keeps the old value
  | 'no-boot-gating' // answers the CSMS's calls while its boot is Rejected
  | 'availability-ignored' // answers ChangeAvailability Accepted and changes nothing
  | 'availability-volatile' // forgets an Inoperative connector when it reboots
  | 'report-truncated' // sends the first page of a base report only
  | 'no-password' // connects without Basic auth
  | 'keeps-password' // accepts a new password and goes on with the old connection
  | 'any-password' // accepts a password of any length
  | 'hangs-up-on-garbage' // drops the connection when it gets a frame it cannot take
  | 'ignores-cable' // starts a session at once, cable or not (no cable sensor)
  | 'no-connection-timeout' // keeps an authorization waiting for its cable forever
  | 'remote-authorize-always' // authorizes remote starts whatever AuthorizeRemoteStart says
  | 'remote-authorize-never' // never authorizes remote starts whatever AuthorizeRemoteStart says
  | 'no-retry' // gives a transaction message up after its first attempt
  | 'meter-ignores-config' // accepts a sample interval and measurands and samples as before
  | 'loses-offline-stop' // forgets a transaction stopped while offline
  | 'firmware-skips-status' // reports a firmware update Downloading, then Installed at once
  | 'firmware-never-fails' // reports every firmware update installed, whatever the image
  | 'list-version-zero' // keeps a local list and answers GetLocalListVersion 0 whatever its version
  | 'differential-ignored' // answers a differential local list update Accepted and applies none
  | 'no-version-mismatch' // applies a differential local list update whatever its version
  | 'list-not-applied' // numbers its local list by each update and keeps none of its tokens
  | 'reservation-ignored' // answers ReserveNow Accepted and reserves nothing
  | 'reservation-never-expires' // keeps a reservation past its expiry date
  | 'reserves-occupied' // accepts a reservation of a connector with a cable in
  | 'ignores-parent-id' // lets only the reserved idTag itself use a reservation
  | 'no-security-events'; // reports no security event

/** The firmware locations of the profile: one the simulator's download server holds, one it does not, one corrupt. */
const FIRMWARE = {
  firmwareLocation: 'https://firmware.sim.test/v2.bin',
  unreachableFirmwareLocation: 'https://firmware.sim.test/missing.bin',
  corruptFirmwareLocation: 'https://firmware.sim.test/corrupt.bin',
} as const;

/** The simulator's Basic-auth password: 32 hex digits, valid in 1.6 (AuthorizationKey) and 2.x. */
export const SIM_PASSWORD = '00112233445566778899aabbccddeeff';

/** The profile of the simulator, with short intervals for tests. */
export const SIM_PROFILE: StationProfile = {
  heartbeatIntervalS: 1,
  retryIntervalS: 2,
  messageTimeoutMs: 1500,
  timingToleranceMs: 400,
  password: SIM_PASSWORD,
  ...FIRMWARE,
};

/**
 * The profile per version: 1.6 checks periodic Heartbeats (TC_001_CS: a short interval), 2.0.1
 * a triggered one (TC_F_20_CS: an interval no periodic Heartbeat falls into).
 */
export function simProfile(protocol: OcppVersion): StationProfile {
  // 2.1 is profiled as 2.0.1.
  return protocol === 'ocpp1.6' ? SIM_PROFILE : { ...SIM_PROFILE, heartbeatIntervalS: 60 };
}

/** The versions the rig runs. */
export type RigVersion = Extract<OcppVersion, 'ocpp1.6' | 'ocpp2.0.1' | 'ocpp2.1'>;

type Sim = SimulatedCharger16 | SimulatedCharger201 | SimulatedCharger21;

/**
 * 'hangs-up-on-garbage': closes the connection on a frame it cannot take (a charger whose parser
 * gives up), just after the SDK answered it, so that only the connection check can tell.
 */
function hangUpOnGarbage(cp: ChargePoint): void {
  const hangUp = (): void => void setTimeout(() => void cp.close(1002, 'garbage').catch(() => undefined), 10);
  cp.on('badFrame', hangUp);
  cp.on('validationFailed', (e) => {
    if (e.direction === 'inbound') hangUp();
  });
  cp.on('frame', (e) => {
    if (e.direction === 'inbound' && e.frame.type === 2 && !rulesFor(cp.protocol).isKnownAction(e.frame.action)) hangUp();
  });
}

/** Applies `quirk` to the handlers of a freshly registered connection. */
function overrideHandlers(sim: Sim, cp: ChargePoint<'ocpp1.6'> | ChargePoint<'ocpp2.0.1'> | ChargePoint<'ocpp2.1'>, quirk: Quirk): void {
  if (quirk === 'hangs-up-on-garbage') hangUpOnGarbage(cp);
  if (cp.protocol === 'ocpp1.6') {
    const c = cp;
    if (quirk === 'rejects-remote-start') c.handle('RemoteStartTransaction', () => ({ status: 'Rejected' }));
    if (quirk === 'ignores-remote-stop') c.handle('RemoteStopTransaction', () => ({ status: 'Accepted' }));
    if (quirk === 'accepts-any-stop') c.handle('RemoteStopTransaction', () => ({ status: 'Accepted' }));
    if (quirk === 'unlock-fails') c.handle('UnlockConnector', () => ({ status: 'UnlockFailed' }));
    if (quirk === 'trigger-ignored') c.handle('TriggerMessage', () => ({ status: 'Accepted' }));
    if (quirk === 'no-reboot') c.handle('Reset', () => ({ status: 'Accepted' }));
    if (quirk === 'reservation-ignored') c.handle('ReserveNow', () => ({ status: 'Accepted' }));
    if (quirk === 'list-not-applied') {
      c.handle('SendLocalList', (req) => {
        sim.localList.version = req.listVersion;
        return { status: 'Accepted' };
      });
    }
    if (quirk === 'list-version-zero') c.handle('GetLocalListVersion', () => ({ listVersion: 0 }));
    if (quirk === 'differential-ignored' || quirk === 'no-version-mismatch') {
      c.handle('SendLocalList', (req) => {
        const list = sim.localList;
        const full = req.updateType === 'Full';
        if (!full && quirk === 'differential-ignored') return { status: 'Accepted' };
        if (full) list.idTags.clear();
        for (const e of req.localAuthorizationList ?? [])
          if (e.idTagInfo === undefined) list.idTags.delete(e.idTag);
          else list.idTags.add(e.idTag);
        list.version = req.listVersion;
        return { status: 'Accepted' };
      });
    }
    if (quirk === 'config-lax') {
      c.handle('GetConfiguration', (req) => ({
        configurationKey: (req.key ?? [...sim.config.keys()]).map((key) => ({ key, readonly: false, value: sim.config.get(key)?.value ?? '' })),
      }));
      c.handle('ChangeConfiguration', () => ({ status: 'Accepted' }));
    }
    return;
  }
  // 2.0.1 and 2.1 take the same requests and answers here; the handlers are typed as 2.0.1's.
  const c = cp as ChargePoint<'ocpp2.0.1'>;
  if (quirk === 'rejects-remote-start') c.handle('RequestStartTransaction', () => ({ status: 'Rejected' }));
  if (quirk === 'ignores-remote-stop') c.handle('RequestStopTransaction', () => ({ status: 'Accepted' }));
  if (quirk === 'accepts-any-stop') c.handle('RequestStopTransaction', () => ({ status: 'Accepted' }));
  if (quirk === 'unlock-fails') c.handle('UnlockConnector', () => ({ status: 'UnlockFailed' }));
  if (quirk === 'trigger-ignored') c.handle('TriggerMessage', () => ({ status: 'Accepted' }));
  if (quirk === 'no-reboot') c.handle('Reset', () => ({ status: 'Accepted' }));
  if (quirk === 'config-lax') {
    c.handle('GetVariables', (req) => ({
      getVariableResult: req.getVariableData.map(({ component, variable }) => ({
        component,
        variable,
        attributeStatus: 'Accepted' as const,
        attributeValue: sim.config.get(`${component.name}/${variable.name}`)?.value ?? '',
      })),
    }));
    c.handle('SetVariables', (req) => ({
      setVariableResult: req.setVariableData.map(({ component, variable }) => ({ component, variable, attributeStatus: 'Accepted' as const })),
    }));
  }
  if (quirk === 'report-truncated') {
    c.handle('GetBaseReport', (req) => {
      setImmediate(() => void c.call('NotifyReport', reportPages(sim.config, req.requestId, req.reportBase)[0]).catch(() => undefined));
      return { status: 'Accepted' };
    });
  }
}

/**
 * 'config-forgets': a known key is Accepted and not stored; 'remote-authorize-*': so is
 * AuthorizeRemoteStart; 'meter-ignores-config': so are the sample interval and measurands.
 * Undefined: behave normally.
 */
function forgetfulSet(quirk: Quirk, config: ReadonlyMap<string, unknown>, key: string): 'Accepted' | 'Unknown' | undefined {
  const stuck =
    ((quirk === 'remote-authorize-always' || quirk === 'remote-authorize-never') && key === 'AuthCtrlr/AuthorizeRemoteStart') ||
    (quirk === 'meter-ignores-config' && /^(MeterValue|SampledDataCtrlr\/TxUpdated)/.test(key));
  if (quirk !== 'config-forgets' && !stuck) return undefined;
  return config.has(key) ? 'Accepted' : 'Unknown';
}

/** 'firmware-*': what a lying firmware update reports instead of `honest`. */
function firmwareLies(quirk: Quirk, honest: FirmwareStatus[]): FirmwareStatus[] {
  if (quirk === 'firmware-skips-status' && honest.includes('Installed')) return ['Downloading', 'Installed'];
  if (quirk === 'firmware-never-fails') return ['Downloading', 'Downloaded', 'Installing', 'Installed'];
  return honest;
}

/** The misbehaviours every version shares that live in the simulator's methods (the constructor's part). */
function quirkConfig(sim: Sim, quirk: Quirk, passwordKey: string): void {
  const entry = sim.config.get(passwordKey);
  if (quirk === 'any-password' && entry) entry.pattern = undefined;
  const remote = sim.config.get('AuthCtrlr/AuthorizeRemoteStart');
  if (remote) remote.value = String(quirk === 'remote-authorize-always');
}

class Quirky16 extends SimulatedCharger16 {
  constructor(
    options: SimulatorOptions,
    readonly quirk: Quirk,
  ) {
    super(options);
    quirkConfig(this, quirk, this.passwordKey);
  }
  protected override reserveNow(req: OCPP16.ReserveNowRequest): OCPP16.ReserveNowResponse['status'] {
    if (this.quirk !== 'reserves-occupied') return super.reserveNow(req);
    this.reservations.reserve(req.reservationId, req.idTag, req.parentIdTag, req.expiryDate);
    return 'Accepted';
  }
  protected override reservationExpired(): void {
    if (this.quirk !== 'reservation-never-expires') super.reservationExpired();
  }
  protected override mayUseReservation(idTag: string): boolean {
    const r = this.reservations.current;
    return this.quirk === 'ignores-parent-id' ? r === undefined || r.idTag === idTag : super.mayUseReservation(idTag);
  }
  protected override setConfig(key: string, value: string): 'Accepted' | 'Rejected' | 'Unknown' {
    return forgetfulSet(this.quirk, this.config, key) ?? super.setConfig(key, value);
  }
  protected override firmwareSteps(location: string): FirmwareStatus[] {
    return firmwareLies(this.quirk, super.firmwareSteps(location));
  }
  protected override changeAvailability(operative: boolean): 'Accepted' | 'Scheduled' {
    return this.quirk === 'availability-ignored' ? 'Accepted' : super.changeAvailability(operative);
  }
  override async start(reason?: string): Promise<void> {
    if (this.quirk === 'availability-volatile') this.operative = true;
    await super.start(reason);
  }
  protected override reconnectWithNewPassword(): Promise<void> {
    return this.quirk === 'keeps-password' ? Promise.resolve() : super.reconnectWithNewPassword();
  }
  protected override cableTimedOut(): Promise<void> {
    return this.quirk === 'no-connection-timeout' ? Promise.resolve() : super.cableTimedOut();
  }
  override async stopTransaction(reason: StopReason): Promise<void> {
    if (this.quirk === 'loses-offline-stop' && this.transaction && this.chargePoint.state !== 'open') {
      this.transaction = undefined;
      return;
    }
    await super.stopTransaction(reason);
  }
  protected override async sendStatus(status: ConnectorState): Promise<void> {
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

// The 2.0.1 and 2.1 variants are the same class over each version's simulator (a mixin over
// both cannot override their protected methods in TypeScript).
class Quirky201 extends SimulatedCharger201 {
  constructor(
    options: SimulatorOptions,
    readonly quirk: Quirk,
  ) {
    super(options);
    quirkConfig(this, quirk, this.passwordKey);
  }
  protected override setConfig(key: string, value: string): 'Accepted' | 'Rejected' | 'Unknown' {
    return forgetfulSet(this.quirk, this.config, key) ?? super.setConfig(key, value);
  }
  protected override firmwareSteps(location: string): FirmwareStatus[] {
    return firmwareLies(this.quirk, super.firmwareSteps(location));
  }
  protected override changeAvailability(operative: boolean): 'Accepted' | 'Scheduled' {
    return this.quirk === 'availability-ignored' ? 'Accepted' : super.changeAvailability(operative);
  }
  override async start(reason?: string): Promise<void> {
    if (this.quirk === 'availability-volatile') this.operative = true;
    await super.start(reason);
  }
  protected override reconnectWithNewPassword(): Promise<void> {
    return this.quirk === 'keeps-password' ? Promise.resolve() : super.reconnectWithNewPassword();
  }
  protected override cableTimedOut(): Promise<void> {
    return this.quirk === 'no-connection-timeout' ? Promise.resolve() : super.cableTimedOut();
  }
  override async stopTransaction(reason: StopReason): Promise<void> {
    if (this.quirk === 'loses-offline-stop' && this.transaction && this.chargePoint.state !== 'open') {
      this.transaction = undefined;
      return;
    }
    await super.stopTransaction(reason);
  }
  protected override async sendStatus(status: ConnectorState): Promise<void> {
    await super.sendStatus(this.quirk === 'unavailable' && status === 'Available' ? 'Unavailable' : status);
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

class Quirky21 extends SimulatedCharger21 {
  constructor(
    options: SimulatorOptions,
    readonly quirk: Quirk,
  ) {
    super(options);
    quirkConfig(this, quirk, this.passwordKey);
  }
  protected override setConfig(key: string, value: string): 'Accepted' | 'Rejected' | 'Unknown' {
    return forgetfulSet(this.quirk, this.config, key) ?? super.setConfig(key, value);
  }
  protected override firmwareSteps(location: string): FirmwareStatus[] {
    return firmwareLies(this.quirk, super.firmwareSteps(location));
  }
  protected override changeAvailability(operative: boolean): 'Accepted' | 'Scheduled' {
    return this.quirk === 'availability-ignored' ? 'Accepted' : super.changeAvailability(operative);
  }
  override async start(reason?: string): Promise<void> {
    if (this.quirk === 'availability-volatile') this.operative = true;
    await super.start(reason);
  }
  protected override reconnectWithNewPassword(): Promise<void> {
    return this.quirk === 'keeps-password' ? Promise.resolve() : super.reconnectWithNewPassword();
  }
  protected override cableTimedOut(): Promise<void> {
    return this.quirk === 'no-connection-timeout' ? Promise.resolve() : super.cableTimedOut();
  }
  override async stopTransaction(reason: StopReason): Promise<void> {
    if (this.quirk === 'loses-offline-stop' && this.transaction && this.chargePoint.state !== 'open') {
      this.transaction = undefined;
      return;
    }
    await super.stopTransaction(reason);
  }
  protected override async sendStatus(status: ConnectorState): Promise<void> {
    await super.sendStatus(this.quirk === 'unavailable' && status === 'Available' ? 'Unavailable' : status);
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
  protected override register(cp: ChargePoint<'ocpp2.1'>): void {
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
export function simRig(protocol: RigVersion, url: string, identity: string, quirk: Quirk = 'none'): SimRig {
  const options: SimulatorOptions = {
    url,
    identity,
    cableSensor: quirk !== 'ignores-cable',
    securityEvents: quirk !== 'no-security-events',
    // A quick update; the download server holds a good image and a corrupt one.
    firmware: { stepMs: 100, images: { [FIRMWARE.firmwareLocation]: 'valid', [FIRMWARE.corruptFirmwareLocation]: 'corrupt' } },
    chargePoint: {
      // Back quickly after the CSMS dropped it (the offline scenarios).
      reconnect: { waitMinimumMs: 200, randomRangeMs: 100 },
      pingIntervalMs: 0,
      callTimeoutMs: 2000,
      ...(quirk === 'no-retry' ? { offline: { retry: { attempts: 1 } } } : {}),
      ...(quirk === 'no-password' ? {} : { password: SIM_PASSWORD }),
      ...(quirk === 'no-boot-gating' ? { bootGating: false } : {}),
    },
  };
  const sim: Sim =
    protocol === 'ocpp1.6' ? new Quirky16(options, quirk) : protocol === 'ocpp2.0.1' ? new Quirky201(options, quirk) : new Quirky21(options, quirk);
  // Configured like a bench charger: transaction messages retried a second apart.
  for (const key of ['TransactionMessageRetryInterval', 'OCPPCommCtrlr/MessageAttemptIntervalTransactionEvent']) {
    const entry = sim.config.get(key);
    if (entry) entry.value = '1';
  }
  const background = (task: () => Promise<unknown>): void => void task().catch(() => undefined);
  const driver: StationDriver = {
    // Switch off, switch on: the boot goes on in the background, as on a real charger.
    powerCycle: async () => {
      await sim.stop();
      background(() => sim.start());
    },
    // The simulator's cable sensor and card reader; a card's session goes on in the background.
    plugIn: () => {
      background(() => sim.plugIn());
      return Promise.resolve();
    },
    unplug: () => {
      background(() => sim.unplug());
      return Promise.resolve();
    },
    presentToken: (token) => {
      background(() => sim.presentToken(token));
      return Promise.resolve();
    },
  };
  return { sim, driver, stop: () => sim.stop() };
}
