/**
 * The shapes every simulated charger shares: its options, events, transactions, configuration
 * entries and connector states. The behaviour is in base.ts.
 */
import type { ChargePointOptions } from '../../src/index';
import type { ExchangeLog } from '../exchange-log';
import type { FirmwareOptions } from './firmware';

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
  /**
   * Whether the charger sees the cable (`plugIn()` / `unplug()`): a driver authorized, or a remote
   * start accepted, before the cable is in then waits for it up to the connection timeout (1.6
   * ConnectionTimeOut, 2.x TxCtrlr.EVConnectionTimeOut). Without one a session starts at once.
   * @default false
   */
  cableSensor?: boolean;
  /** The firmware update: how long each status takes, and which images download and install. */
  firmware?: FirmwareOptions;
  /**
   * Report security events (SecurityEventNotification; in 1.6 the security whitepaper's
   * extension): after each accepted boot, StartupOfTheDevice, or ResetOrReboot after a reset.
   * Off unless asked for, so that the charger's exchange with a central system that expects
   * none stays as it was. @default false
   */
  securityEvents?: boolean;
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
  /** Set but never read back (a password): reads are refused, reports leave the value out. */
  writeOnly?: boolean;
  /** A value must match this to be accepted (e.g. a password's length). */
  pattern?: RegExp;
}

/** What a connector reports: free, in use, held by a reservation, or taken out of service by ChangeAvailability. */
export type ConnectorState = 'Available' | 'Preparing' | 'Occupied' | 'Reserved' | 'Unavailable';

/** A session waiting for its cable (authorized, or remotely started, first). */
export interface AwaitingCable {
  readonly idTag: string;
  readonly remote: { remoteStartId: number; transactionId: string } | undefined;
  readonly timer: ReturnType<typeof setTimeout>;
}
