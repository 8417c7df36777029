/**
 * The shape of a CSMS scenario (OCTT's `_CSMS` test cases): the kit plays the charging station
 * with a {@link TestChargePoint} against the CSMS under test. It mirrors the station side
 * (scenario.ts): a profile of "<Configured …>" values, a driver for what the tester makes the
 * CSMS do ({@link CsmsDriver}, the mirror of `StationDriver`), a context, and
 * {@link defineCsmsScenario}. `runCsmsScenario` (runner.ts) runs it.
 */
import type { OcppVersion } from '../../index';
import type { ScenarioDefinition, ScenarioStep, State } from '../scenario';
import type { TestChargePoint } from '../test-charge-point';

/**
 * What the tester makes the CSMS under test do, at OCTT's prompt ("Manual Action: Request the
 * CSMS to start a transaction"): calls into the CSMS's API (HTTP, a queue, a function), which
 * then sends the matching CALL to the charger. Every method is optional: a step that needs one
 * the driver lacks is BLOCKED. A method may resolve once the CSMS was asked or once it got the
 * charger's answer: the scenario arms its expectation of the CALL first and awaits both.
 */
export interface CsmsDriver {
  /** Have the CSMS start a transaction on `identity`: 1.6 RemoteStartTransaction (`evseId` is the connector), 2.x RequestStartTransaction. */
  remoteStart?(identity: string, idToken: string, evseId: number): Promise<void>;
  /** Have the CSMS stop a transaction: 1.6 RemoteStopTransaction (an integer id), 2.x RequestStopTransaction. */
  remoteStop?(identity: string, transactionId: string | number): Promise<void>;
  /** Have the CSMS reset the charger; `type` is the version's value (1.6 `Hard`/`Soft`, 2.x `OnIdle`/`Immediate`). */
  reset?(identity: string, type: string): Promise<void>;
  /** 1.6: have the CSMS read configuration keys with GetConfiguration (`[]`: all keys). */
  getConfiguration?(identity: string, keys: readonly string[]): Promise<void>;
  /** 1.6: have the CSMS set one configuration key with ChangeConfiguration. */
  changeConfiguration?(identity: string, key: string, value: string): Promise<void>;
  /** 2.x: have the CSMS read variables with GetVariables. */
  getVariables?(identity: string, variables: ReadonlyArray<CsmsVariable>): Promise<void>;
  /** 2.x: have the CSMS set variables with SetVariables (each with its `value`). */
  setVariables?(identity: string, variables: ReadonlyArray<CsmsVariable & { readonly value: string }>): Promise<void>;
  /** Have the CSMS send TriggerMessage for `requestedMessage` (the version's value, e.g. `Heartbeat`). */
  triggerMessage?(identity: string, requestedMessage: string): Promise<void>;
}

/** A 2.x variable of a component, as {@link CsmsDriver.getVariables} takes it. */
export interface CsmsVariable {
  /** The component's name, e.g. `OCPPCommCtrlr`. */
  readonly component: string;
  /** The variable's name, e.g. `HeartbeatInterval`. */
  readonly variable: string;
}

/** The name of a manual action on the CSMS: a method of {@link CsmsDriver}. */
export type CsmsAction = keyof CsmsDriver;

/** The parameters of a {@link CsmsDriver} method but the leading identity (the context supplies it). */
export type CsmsActionArgs<A extends CsmsAction> = NonNullable<CsmsDriver[A]> extends (identity: string, ...rest: infer R) => Promise<void> ? R : never;

/**
 * OCTT's "<Configured …>" values for a CSMS under test: what it is set up to accept. Every field
 * has a default ({@link DEFAULT_CSMS_PROFILE}); give what differs.
 */
export interface CsmsProfile {
  /** The EVSE (2.x) and connector the charger uses. @default 1 */
  readonly evseId?: number;
  /** The connector within the EVSE (2.x) or the charger (1.6). @default 1 */
  readonly connectorId?: number;
  /** A token the CSMS accepts. @default 'VALID-TOKEN' */
  readonly validToken?: string;
  /** A token the CSMS does not know (or holds invalid). @default 'INVALID-TOKEN' */
  readonly invalidToken?: string;
  /** The vendor the charger names in BootNotification. @default 'ocpp-sdk' */
  readonly vendor?: string;
  /** The model the charger names in BootNotification. @default 'TestChargePoint' */
  readonly model?: string;
  /** 1.6: the configuration key the configuration scenarios read and change. @default 'HeartbeatInterval' */
  readonly configurationKey?: string;
  /** 2.x: the variable the variable scenarios read and set. @default { component: 'OCPPCommCtrlr', variable: 'HeartbeatInterval' } */
  readonly variable?: CsmsVariable;
  /** The value the configuration scenarios set. @default '300' */
  readonly configurationValue?: string;
  /** OCTT's "<Configured message timeout>": how long the CSMS may take to answer or to send a CALL. @default 10000 */
  readonly messageTimeoutMs?: number;
  /**
   * Whether the CSMS under test is set up to answer this charger's first BootNotification
   * Pending (OCTT asks for that set-up for TC_B_02_CSMS). A CSMS answers a new charger one way or
   * the other, so only one of the two boot scenarios can pass against it as it stands: the
   * Pending ones (TC_002_CSMS, TC_B_02_CSMS) run only when this is true, and come first in
   * {@link CSMS_SCENARIOS}, so the Accepted ones meet the charger the CSMS accepted on its retry.
   * @default false
   */
  readonly bootPending?: boolean;
}

/** {@link CsmsProfile} with every default filled in. */
export type ResolvedCsmsProfile = Required<CsmsProfile>;

/** The defaults of {@link CsmsProfile}. */
export const DEFAULT_CSMS_PROFILE: Readonly<ResolvedCsmsProfile> = Object.freeze({
  evseId: 1,
  connectorId: 1,
  validToken: 'VALID-TOKEN',
  invalidToken: 'INVALID-TOKEN',
  vendor: 'ocpp-sdk',
  model: 'TestChargePoint',
  configurationKey: 'HeartbeatInterval',
  variable: Object.freeze({ component: 'OCPPCommCtrlr', variable: 'HeartbeatInterval' }),
  configurationValue: '300',
  messageTimeoutMs: 10_000,
  bootPending: false,
});

/** What the CSMS-side states know about the charger's session with the CSMS in one scenario run. */
export interface CsmsSession {
  /** Whether the CSMS accepted a BootNotification on the current connection. */
  booted: boolean;
  /** The token the CSMS accepted last. */
  authorizedToken: string | undefined;
  /** The transaction in progress: 1.6 the integer the CSMS gave, 2.x the charger's id. */
  transactionId: string | number | undefined;
  /** The next 2.x TransactionEvent seqNo. */
  seqNo: number;
}

/**
 * What the steps, states and post checks of one CSMS scenario run get: the charger the kit
 * plays, its version, the profile, the manual actions on the CSMS, and values between steps.
 */
export interface CsmsScenarioContext<V extends OcppVersion = OcppVersion> {
  /**
   * The charger the kit plays, once the `Connected` state (or {@link CsmsScenarioContext.connect})
   * opened it.
   * @throws ExpectationError (on access) before that.
   */
  readonly chargePoint: TestChargePoint<V>;
  /** The charger's identity. */
  readonly identity: string;
  /** The version the scenario runs in. */
  readonly protocol: V;
  /** The profile, defaults filled in. */
  readonly profile: ResolvedCsmsProfile;
  /** Opens the charger's connection to the CSMS (again, after a disconnect). */
  connect(): Promise<TestChargePoint<V>>;
  /**
   * Has the CSMS do `action` through the driver, for this charger's identity. Without a driver,
   * or with one that lacks the action, it throws at once (synchronously) and the step is
   * BLOCKED. Arm the expectation of the CALL it causes first, then await both.
   */
  manual<A extends CsmsAction>(action: A, ...args: CsmsActionArgs<A>): Promise<void>;
  /** Values steps hand each other; fresh per scenario. */
  readonly values: Map<string, unknown>;
  /** What the states know about the session; fresh per scenario. */
  readonly session: CsmsSession;
}

/** A step of a CSMS scenario. */
export type CsmsScenarioStep<V extends OcppVersion = OcppVersion> = ScenarioStep<V, CsmsScenarioContext<V>>;

/** A reusable state of a CSMS scenario (`Connected`, `BootAccepted`, `TransactionStarted`, …). */
export type CsmsScenarioState<V extends OcppVersion = OcppVersion> = State<V, CsmsScenarioContext<V>>;

/** What {@link defineCsmsScenario} takes: a station scenario's fields, with CSMS-side states, steps and profile. */
export interface CsmsScenarioDefinition<V extends OcppVersion = OcppVersion> extends Omit<
  ScenarioDefinition<V>,
  'applicability' | 'preconditions' | 'steps' | 'post'
> {
  /** The OCTT test case id, e.g. `TC_B_01_CSMS`. */
  readonly id: string;
  /** OCTT's prerequisites: false (or a string saying why not) makes it SKIPPED. @default always applicable */
  applicability?(profile: ResolvedCsmsProfile, protocol: V): boolean | string;
  /** The reusable states to start from, reached in order. @default [] */
  readonly preconditions?: ReadonlyArray<CsmsScenarioState<V>>;
  /** The main steps, in order. */
  readonly steps: ReadonlyArray<CsmsScenarioStep<V>>;
  /** Post-scenario validations, run when every step passed. @default [] */
  readonly post?: ReadonlyArray<CsmsScenarioStep<V>>;
}

/** A CSMS scenario, ready for `runCsmsScenario`. */
export type CsmsScenario<V extends OcppVersion = OcppVersion> = Readonly<CsmsScenarioDefinition<V>> & { readonly kind: 'csms-scenario' };

/**
 * Checks and freezes a CSMS scenario.
 *
 * @example
 * ```ts
 * const MY_HEARTBEAT = defineCsmsScenario({
 *   id: 'MY_01_CSMS', title: 'Heartbeat answered', versions: ['ocpp1.6'], preconditions: [BootAccepted],
 *   steps: [csmsStep('Heartbeat answered with currentTime', async ({ chargePoint }) => {
 *     assert.ok((await (chargePoint as TestChargePoint<'ocpp1.6'>).call('Heartbeat', {})).currentTime);
 *   })],
 * });
 * ```
 * @throws TypeError for a missing id, title, version list or steps.
 */
export function defineCsmsScenario<V extends OcppVersion>(definition: CsmsScenarioDefinition<V>): CsmsScenario<V> {
  if (typeof definition !== 'object' || definition === null) throw new TypeError('defineCsmsScenario: give a definition object');
  const { id, title, versions, steps } = definition;
  if (typeof id !== 'string' || id === '') throw new TypeError('defineCsmsScenario: id must be a non-empty string');
  if (typeof title !== 'string' || title === '') throw new TypeError(`defineCsmsScenario ${id}: title must be a non-empty string`);
  const givenVersions: unknown = versions;
  const givenSteps: unknown = steps;
  if (!Array.isArray(givenVersions) || versions.length === 0) throw new TypeError(`defineCsmsScenario ${id}: versions must list at least one version`);
  if (!Array.isArray(givenSteps) || steps.length === 0) throw new TypeError(`defineCsmsScenario ${id}: steps must list at least one step`);
  for (const s of [...steps, ...(definition.post ?? [])]) {
    if (typeof s?.title !== 'string' || typeof s.run !== 'function')
      throw new TypeError(`defineCsmsScenario ${id}: every step needs a title and a run function`);
  }
  return Object.freeze({ ...definition, kind: 'csms-scenario' as const });
}

/** A step of a CSMS scenario: `title` and what it does (the mirror of `step`). */
export function csmsStep<V extends OcppVersion = OcppVersion>(title: string, run: (ctx: CsmsScenarioContext<V>) => Promise<unknown>): CsmsScenarioStep<V> {
  return { title, run: async (ctx) => void (await run(ctx)) };
}
