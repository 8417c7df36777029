/**
 * Runs scenarios against a station: decides SKIPPED (version, applicability), reaches the
 * preconditions (chained states), runs the steps and post checks, and turns what happened into
 * verdicts per step and per scenario, with the scenario's part of the transcript.
 */
import type { OcppVersion } from '../index';
import {
  DEFAULT_STATION_PROFILE,
  type ManualAction,
  type ResolvedStationProfile,
  type Scenario,
  type ScenarioContext,
  type StationDriver,
  type StationProfile,
  type StationSession,
  type Verdict,
} from './scenario';
import { callDriver, ensureState, runPlan, skipped, type PlanItem, type RunPlanOptions } from './scenario-engine';
import type { StationHandle } from './station-handle';
import type { TranscriptEntry } from './transcript';

/** Options of {@link runScenario} and {@link runScenarios}. */
export interface RunScenarioOptions {
  /** The station under test (`csms.station(id)`), connected or not yet. */
  readonly station: StationHandle;
  /** The version to run in. @default the station's negotiated subprotocol (required before it first connected) */
  readonly protocol?: OcppVersion;
  /** The charger's configured values. @default {@link DEFAULT_STATION_PROFILE} */
  readonly profile?: StationProfile;
  /** Carries out manual actions; without one, steps that need them are BLOCKED. */
  readonly driver?: StationDriver;
  /** The longest one scenario may run; past it, it FAILs. @default 120000 */
  readonly timeoutMs?: number;
}

/** The longest one scenario may run when no `timeoutMs` is given. */
export const DEFAULT_SCENARIO_TIMEOUT_MS = 120_000;

/** Where a step of a {@link ScenarioResult} comes from. */
export type StepPhase = 'precondition' | 'step' | 'post';

/** The outcome of one step (a precondition state, a main step, or a post check). */
export interface StepResult {
  /** Its number in the scenario, from 1, across phases. */
  readonly index: number;
  /** Where it comes from. */
  readonly phase: StepPhase;
  /** The step's title (for a precondition, the state's name and whether it held already). */
  readonly title: string;
  /** PASS; FAIL; BLOCKED (a manual action the driver cannot do); SKIPPED (not run: an earlier step did not pass). */
  readonly verdict: Verdict;
  /** How long it ran, in ms (0 when SKIPPED). */
  readonly durationMs: number;
  /** Why it failed or was blocked. */
  readonly failure?: string;
}

/** The outcome of one scenario. */
export interface ScenarioResult {
  /** The scenario's OCTT id. */
  readonly id: string;
  /** The scenario's title. */
  readonly title: string;
  /** The requirements it checks (from the definition). */
  readonly requirements: readonly string[];
  /** The version it ran in (or was skipped for). */
  readonly protocol: OcppVersion;
  /** The station's identity. */
  readonly identity: string;
  /**
   * PASS: every step passed; FAIL: a step failed; BLOCKED: a manual action could not be done;
   * SKIPPED: it does not apply (version or applicability).
   */
  readonly verdict: Verdict;
  /** When it started, ISO 8601. */
  readonly startedAt: string;
  /** How long it ran, in ms. */
  readonly durationMs: number;
  /** Every step with its verdict, preconditions first. */
  readonly steps: readonly StepResult[];
  /** For FAIL and BLOCKED, the failing step's message (an {@link ExpectationError}'s names what was awaited and what came); for SKIPPED, why. */
  readonly failure?: string;
  /** The error that failed it, as thrown. */
  readonly error?: unknown;
  /** The frames and events of the station while it ran. */
  readonly transcript: readonly TranscriptEntry[];
  /** The same, as text (see {@link Transcript.format}). */
  readonly transcriptText: string;
}

/** The sessions of the stations, kept across scenario runs. */
const sessions = new WeakMap<StationHandle, StationSession>();

function sessionOf(station: StationHandle): StationSession {
  let s = sessions.get(station);
  if (s === undefined) {
    s = { on: undefined, authorizedToken: undefined, transactionId: undefined, pluggedIn: false };
    sessions.set(station, s);
  }
  return s;
}

function resolveProfile(p: StationProfile | undefined): ResolvedStationProfile {
  const merged: ResolvedStationProfile = { ...DEFAULT_STATION_PROFILE, ...p };
  if (p?.connectorIds === undefined) return { ...merged, connectorIds: [merged.connectorId] };
  return merged;
}

/**
 * Runs one scenario against a station and resolves with its verdict, its steps' verdicts, the
 * failure and the transcript. It never rejects for a failing charger: that is a FAIL in the
 * result. The preconditions run first, each state reaching the states it requires when they do
 * not hold; then the steps, then the post checks, each only while everything before passed.
 *
 * @example
 * ```ts
 * const result = await runScenario(TC_B_01_CS, { station: csms.station('CS001'), protocol: 'ocpp2.0.1', driver });
 * assert.equal(result.verdict, 'PASS', result.failure);
 * ```
 * @throws TypeError (rejects) for bad options, or when no protocol is given for a station that never connected.
 */
export async function runScenario(scenario: Scenario, options: RunScenarioOptions): Promise<ScenarioResult> {
  if (scenario?.kind !== 'scenario') throw new TypeError('runScenario: give a scenario made by defineScenario');
  if (typeof options !== 'object' || options === null) throw new TypeError('runScenario: options { station } are required');
  const { station } = options;
  if (typeof station !== 'object' || station === null || typeof station.expectCall !== 'function')
    throw new TypeError('runScenario: options.station must be a StationHandle');
  const protocol = options.protocol ?? station.protocol;
  if (protocol === undefined) throw new TypeError(`runScenario ${scenario.id}: give options.protocol (the station has not connected yet)`);
  const profile = resolveProfile(options.profile);
  const firstSeq = station.transcript.length;
  const run: RunPlanOptions = {
    id: scenario.id,
    title: scenario.title,
    requirements: scenario.requirements,
    protocol,
    identity: station.identity,
    timeoutMs: options.timeoutMs ?? DEFAULT_SCENARIO_TIMEOUT_MS,
    tail: () => station.transcript.format({ tail: 20 }),
    transcript: () => {
      const entries = station.transcript.entries.filter((e) => e.seq > firstSeq).map((e) => ({ ...e }));
      return { entries, text: entries.length === 0 ? '' : station.transcript.format({ tail: entries.length }) };
    },
  };

  if (!scenario.versions.includes(protocol)) return skipped(run, `${scenario.id} applies to ${scenario.versions.join(', ')}, not ${protocol}`);
  const applicable = scenario.applicability?.(profile, protocol) ?? true;
  if (applicable !== true) return skipped(run, `${scenario.id} does not apply to this station${typeof applicable === 'string' ? `: ${applicable}` : ''}`);

  const driver = options.driver;
  const ctx: ScenarioContext = {
    station,
    protocol,
    profile,
    values: new Map(),
    session: sessionOf(station),
    manual: (action: ManualAction, ...args: unknown[]): Promise<void> => callDriver(driver, 'StationDriver', action, args),
  };

  const plan: PlanItem[] = [];
  for (const state of scenario.preconditions ?? []) plan.push({ phase: 'precondition', title: `State ${state.name}`, run: () => ensureState(state, ctx) });
  for (const [phase, list] of [
    ['step', scenario.steps],
    ['post', scenario.post],
  ] as const) {
    for (const s of list ?? []) plan.push({ phase, title: s.title, run: () => s.run(ctx) });
  }
  return runPlan(run, plan);
}

/**
 * Runs scenarios one after the other on the same station (the reusable states carry over:
 * a Booted station stays booted) and resolves with every result, in order.
 */
export async function runScenarios(scenarios: readonly Scenario[], options: RunScenarioOptions): Promise<ScenarioResult[]> {
  const given: unknown = scenarios;
  if (!Array.isArray(given)) throw new TypeError('runScenarios: give a list of scenarios');
  const results: ScenarioResult[] = [];
  for (const s of scenarios) results.push(await runScenario(s, options));
  return results;
}
