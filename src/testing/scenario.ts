/**
 * The shape of an OCTT-like scenario: what it applies to, the reusable states it starts from,
 * its numbered steps and its post-scenario checks; the station profile (OCTT's "<Configured …>"
 * values) and the driver that stands in for the tester's manual actions.
 * {@link runScenario} (scenario-runner.ts) runs it.
 */
import type { OcppVersion } from '../index';
import type { StationHandle } from './station-handle';

/** The verdict of a scenario or of one of its steps, as OCTT and JUnit reports give them. */
export type Verdict = 'PASS' | 'FAIL' | 'BLOCKED' | 'SKIPPED';

/**
 * The manual actions a tester performs at OCTT's prompt ("Manual Action: Reboot the Charging
 * Station"), for a bench rig, a simulator or a hardware-in-the-loop controller to carry out
 * (EVerest's TestController has the same list). Every method is optional: a step that needs one
 * the driver lacks is BLOCKED, and so is one whose method rejects with a {@link StepBlockedError}. A method returns once the action is done on the charger's side; it
 * must not wait for the charger's messages about it (the scenario expects those).
 */
export interface StationDriver {
  /** Switches the charger off and on (or starts it for the first time): it connects and boots. */
  powerCycle?(): Promise<void>;
  /** Plugs a cable (an EV) into `connectorId`. */
  plugIn?(connectorId: number): Promise<void>;
  /** Unplugs the cable from `connectorId`. */
  unplug?(connectorId: number): Promise<void>;
  /** Presents an identification token (an RFID card) at the charger. */
  presentToken?(token: string): Promise<void>;
  /** Cuts the charger's network connection. */
  dropNetwork?(): Promise<void>;
  /** Restores the charger's network connection. */
  restoreNetwork?(): Promise<void>;
  /** Makes the charger report a fault on `connectorId`. */
  fault?(connectorId: number): Promise<void>;
}

/**
 * A manual action cannot be carried out: the driver lacks it, or the tester chose to skip it at
 * the prompt. A {@link StationDriver} method rejects with it to make the step, and so the
 * scenario, BLOCKED (nothing was verified) rather than FAIL (the charger misbehaved); any other
 * rejection is a FAIL.
 *
 * @example
 * ```ts
 * const driver: StationDriver = {
 *   plugIn: async () => {
 *     if (!rig.hasCableRobot) throw new StepBlockedError('this bench cannot plug a cable in');
 *     await rig.plugIn();
 *   },
 * };
 * ```
 */
export class StepBlockedError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'StepBlockedError';
  }
}

/** The name of a manual action: a method of {@link StationDriver}. */
export type ManualAction = keyof StationDriver;

/**
 * OCTT's "<Configured …>" values: how the charger under test is set up. Every field has a
 * default ({@link DEFAULT_STATION_PROFILE}); give what differs.
 */
export interface StationProfile {
  /** The EVSE used by the scenarios (2.0.1). @default 1 */
  readonly evseId?: number;
  /** The connector used by the scenarios. @default 1 */
  readonly connectorId?: number;
  /** Every connector whose status a boot must report (1.6 also wants connector 0, when the charger reports it). @default [connectorId] */
  readonly connectorIds?: readonly number[];
  /** A token the CSMS accepts. @default 'VALID-TOKEN' */
  readonly validToken?: string;
  /** A token the CSMS answers Invalid. @default 'INVALID-TOKEN' */
  readonly invalidToken?: string;
  /**
   * The Heartbeat interval the CSMS gives in BootNotification, in seconds. TC_F_20_CS (a
   * triggered Heartbeat) applies only when it exceeds twice `messageTimeoutMs`, so that no
   * periodic Heartbeat can pass for the triggered one. @default 60
   */
  readonly heartbeatIntervalS?: number;
  /** The interval the CSMS gives with a Pending or Rejected boot, in seconds. @default 5 */
  readonly retryIntervalS?: number;
  /** OCTT's "<Configured message timeout>": how long to wait for a message, or for its absence. @default 10000 */
  readonly messageTimeoutMs?: number;
  /** Slack of timing checks (OCTT labs allow 4 s). @default 1000 */
  readonly timingToleranceMs?: number;
  /** The Basic-auth password of the charger, for security scenarios. */
  readonly password?: string;
  /** A firmware image the station downloads and installs (OCTT's "<Configured firmware location>"). @default 'https://firmware.example.com/valid.bin' */
  readonly firmwareLocation?: string;
  /** A location the station cannot download firmware from. @default 'https://firmware.example.com/unreachable.bin' */
  readonly unreachableFirmwareLocation?: string;
  /** A firmware image the station downloads and fails to install. @default 'https://firmware.example.com/corrupt.bin' */
  readonly corruptFirmwareLocation?: string;
}

/** {@link StationProfile} with every default filled in. */
export type ResolvedStationProfile = Required<Omit<StationProfile, 'password'>> & Pick<StationProfile, 'password'>;

/** The defaults of {@link StationProfile}. */
export const DEFAULT_STATION_PROFILE: Readonly<ResolvedStationProfile> = Object.freeze({
  evseId: 1,
  connectorId: 1,
  connectorIds: [1],
  validToken: 'VALID-TOKEN',
  invalidToken: 'INVALID-TOKEN',
  heartbeatIntervalS: 60,
  retryIntervalS: 5,
  messageTimeoutMs: 10_000,
  timingToleranceMs: 1_000,
  firmwareLocation: 'https://firmware.example.com/valid.bin',
  unreachableFirmwareLocation: 'https://firmware.example.com/unreachable.bin',
  corruptFirmwareLocation: 'https://firmware.example.com/corrupt.bin',
});

/**
 * What the steps, states and post checks of one scenario run get: the station, its version,
 * the profile, the manual actions, and a place to pass values between steps.
 */
export interface ScenarioContext<V extends OcppVersion = OcppVersion> {
  /** The station under test. */
  readonly station: StationHandle<V>;
  /** The version the scenario runs in. */
  readonly protocol: V;
  /** The profile, defaults filled in. */
  readonly profile: ResolvedStationProfile;
  /**
   * Performs a manual action through the driver. Without a driver, or with one that lacks the
   * action, it throws a {@link StepBlockedError} at once (synchronously, so that nothing is armed
   * for an action that never happens) and the step is BLOCKED: the scenario stops there, and its
   * verdict is BLOCKED; so it is when the driver rejects with one. Arm
   * the expectations of what the action causes right after calling it, then await both.
   */
  manual<A extends ManualAction>(action: A, ...args: Parameters<NonNullable<StationDriver[A]>>): Promise<void>;
  /** Values steps hand each other (a transaction id, an earlier message); fresh per scenario. */
  readonly values: Map<string, unknown>;
  /** What the reusable states know about the station, kept across the scenarios run on it. */
  readonly session: StationSession;
}

/**
 * What the reusable states know about a station between scenarios: which token was
 * authorized and which transaction runs, on which connection.
 */
export interface StationSession {
  /** The connection (the handle's `station` object) the facts below belong to. */
  on: object | undefined;
  /** The token the CSMS accepted last. */
  authorizedToken: string | undefined;
  /** The transaction in progress: 1.6 the integer the CSMS gave, 2.0.1 the station's id. */
  transactionId: string | number | undefined;
  /** Whether a cable is plugged into the profile's connector. */
  pluggedIn: boolean;
}

/**
 * One numbered step of a scenario (or a post-scenario check). `C` is what it runs with: a
 * {@link ScenarioContext} for a station under test, a `CsmsScenarioContext` for a CSMS.
 */
export interface ScenarioStep<V extends OcppVersion = OcppVersion, C = ScenarioContext<V>> {
  /** What it does or checks, e.g. `BootNotification, answered Accepted`. */
  readonly title: string;
  /** Does it: resolves when it passed, throws (an {@link ExpectationError}) when it failed. */
  run(ctx: C): Promise<void>;
}

/**
 * A reusable state (OCTT's "Reusable State": Booted, Authorized, EnergyTransferStarted, …), of a
 * station under test (`C` a {@link ScenarioContext}) or of a CSMS under test. It chains itself: when it does not hold, the states it `requires` are reached first ("if State is
 * NOT X then execute X"), then `reach` runs.
 */
export interface State<V extends OcppVersion = OcppVersion, C = ScenarioContext<V>> {
  /** Its OCTT name. */
  readonly name: string;
  /** The states that must hold before `reach` runs. */
  readonly requires?: ReadonlyArray<State<V, C>>;
  /** Whether the peer under test is in this state already. */
  holds(ctx: C): boolean;
  /** Brings the peer under test into this state (its `requires` hold by then). */
  reach(ctx: C): Promise<void>;
}

/** What {@link defineScenario} takes. */
export interface ScenarioDefinition<V extends OcppVersion = OcppVersion> {
  /** The OCTT test case id, e.g. `TC_B_01_CS`. */
  readonly id: string;
  /** The OCTT test case name. */
  readonly title: string;
  /** The versions it applies to; for any other it is SKIPPED. */
  readonly versions: readonly V[];
  /** The requirements it checks, e.g. `B01.FR.01`. @default [] */
  readonly requirements?: readonly string[];
  /**
   * OCTT's prerequisites (PICS): false (or a string saying why not) makes it SKIPPED for this
   * station. @default always applicable
   */
  applicability?(profile: ResolvedStationProfile, protocol: V): boolean | string;
  /** The reusable states to start from ("Before"), reached in order. @default [] */
  readonly preconditions?: ReadonlyArray<State<V>>;
  /** The main steps, in order. */
  readonly steps: ReadonlyArray<ScenarioStep<V>>;
  /** Post-scenario validations, run when every step passed. @default [] */
  readonly post?: ReadonlyArray<ScenarioStep<V>>;
}

/** A scenario, ready for {@link runScenario}: a frozen, checked {@link ScenarioDefinition}. */
export type Scenario<V extends OcppVersion = OcppVersion> = Readonly<ScenarioDefinition<V>> & { readonly kind: 'scenario' };

/**
 * Checks and freezes a scenario.
 *
 * @example
 * ```ts
 * const TC_F_09_CS = defineScenario({
 *   id: 'TC_F_09_CS', title: 'Remote stop transaction - Rejected', versions: ['ocpp2.0.1'],
 *   preconditions: [Booted],
 *   steps: [step('RequestStopTransaction of an unknown transaction is Rejected', async ({ station }) => {
 *     assert.equal((await station.call('RequestStopTransaction', { transactionId: 'unknown' })).status, 'Rejected');
 *   })],
 * });
 * ```
 * @throws TypeError for a missing id, title, version list or steps.
 */
export function defineScenario<V extends OcppVersion>(definition: ScenarioDefinition<V>): Scenario<V> {
  if (typeof definition !== 'object' || definition === null) throw new TypeError('defineScenario: give a definition object');
  const { id, title, versions, steps } = definition;
  if (typeof id !== 'string' || id === '') throw new TypeError('defineScenario: id must be a non-empty string');
  if (typeof title !== 'string' || title === '') throw new TypeError(`defineScenario ${id}: title must be a non-empty string`);
  const givenVersions: unknown = versions;
  const givenSteps: unknown = steps;
  if (!Array.isArray(givenVersions) || versions.length === 0) throw new TypeError(`defineScenario ${id}: versions must list at least one version`);
  if (!Array.isArray(givenSteps) || steps.length === 0) throw new TypeError(`defineScenario ${id}: steps must list at least one step`);
  for (const s of [...steps, ...(definition.post ?? [])]) {
    if (typeof s?.title !== 'string' || typeof s.run !== 'function') throw new TypeError(`defineScenario ${id}: every step needs a title and a run function`);
  }
  return Object.freeze({ ...definition, kind: 'scenario' as const });
}

/**
 * A step: `title` and what it does.
 *
 * @example
 * ```ts
 * step('StatusNotification Available', ({ station }) => station.expectCall('StatusNotification', { status: 'Available' }).then(() => undefined));
 * ```
 */
export function step<V extends OcppVersion = OcppVersion>(title: string, run: (ctx: ScenarioContext<V>) => Promise<unknown>): ScenarioStep<V> {
  return { title, run: async (ctx) => void (await run(ctx)) };
}

/**
 * A step that is only a manual action ("Manual Action: Reboot the Charging Station"): BLOCKED
 * without a driver that can do it.
 */
export function manualStep<V extends OcppVersion = OcppVersion, A extends ManualAction = ManualAction>(
  title: string,
  action: A,
  ...args: Parameters<NonNullable<StationDriver[A]>>
): ScenarioStep<V> {
  return { title: `Manual action: ${title}`, run: (ctx) => ctx.manual(action, ...args) };
}
