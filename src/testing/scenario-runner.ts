/**
 * Runs scenarios against a station: decides SKIPPED (version, applicability), reaches the
 * preconditions (chained states), runs the steps and post checks, and turns what happened into
 * verdicts per step and per scenario, with the scenario's part of the transcript.
 */
import type { OcppVersion } from '../index';
import { after, monotonicNow, wallIso, wallNow } from './clock';
import { ExpectationError } from './errors';
import {
  DEFAULT_STATION_PROFILE,
  type ManualAction,
  type ResolvedStationProfile,
  type Scenario,
  type ScenarioContext,
  type ScenarioStep,
  type State,
  type StationDriver,
  type StationProfile,
  type StationSession,
  type Verdict,
  StepBlockedError,
} from './scenario';
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

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
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
  const timeoutMs = options.timeoutMs ?? DEFAULT_SCENARIO_TIMEOUT_MS;
  const startedMs = monotonicNow();
  const startedAt = wallIso(wallNow());
  const firstSeq = station.transcript.length;
  const steps: StepResult[] = [];

  const finish = (verdict: Verdict, failure?: string, error?: unknown): ScenarioResult => {
    const transcript = station.transcript.entries.filter((e) => e.seq > firstSeq).map((e) => ({ ...e }));
    const base = {
      id: scenario.id,
      title: scenario.title,
      requirements: scenario.requirements ?? [],
      protocol,
      identity: station.identity,
      verdict,
      startedAt,
      durationMs: Math.round(monotonicNow() - startedMs),
      steps,
      transcript,
      transcriptText: transcript.length === 0 ? '' : station.transcript.format({ tail: transcript.length }),
    };
    return Object.freeze({ ...base, ...(failure === undefined ? {} : { failure }), ...(error === undefined ? {} : { error }) });
  };

  if (!scenario.versions.includes(protocol)) return finish('SKIPPED', `${scenario.id} applies to ${scenario.versions.join(', ')}, not ${protocol}`);
  const applicable = scenario.applicability?.(profile, protocol) ?? true;
  if (applicable !== true) return finish('SKIPPED', `${scenario.id} does not apply to this station${typeof applicable === 'string' ? `: ${applicable}` : ''}`);

  const driver = options.driver;
  const ctx: ScenarioContext = {
    station,
    protocol,
    profile,
    values: new Map(),
    session: sessionOf(station),
    manual: (action: ManualAction, ...args: unknown[]): Promise<void> => {
      const fn: unknown = driver === undefined ? undefined : Reflect.get(driver, action);
      if (driver === undefined) throw new StepBlockedError(`manual action ${action} needs a StationDriver, and none was given`);
      if (typeof fn !== 'function') throw new StepBlockedError(`manual action ${action}: the StationDriver has no ${action}()`);
      const done = Promise.resolve(Reflect.apply(fn, driver, args) as Promise<void>);
      done.catch(() => undefined);
      return done;
    },
  };

  // One deadline for the whole scenario: a step that never settles must not hang the run.
  let deadlineHit = false;
  let timer: { cancel(): void } | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = after(timeoutMs, () => {
      deadlineHit = true;
      reject(
        new ExpectationError({
          awaited: `scenario ${scenario.id} to finish within ${timeoutMs} ms`,
          got: 'it was still running',
          identity: station.identity,
          transcriptTail: station.transcript.format({ tail: 20 }),
        }),
      );
    });
  });
  deadline.catch(() => undefined);

  const plan: Array<{ phase: StepPhase; title: string; run: () => Promise<string | void> }> = [];
  for (const state of scenario.preconditions ?? []) plan.push({ phase: 'precondition', title: `State ${state.name}`, run: () => ensureState(state, ctx) });
  const add = (phase: StepPhase, list: ReadonlyArray<ScenarioStep> | undefined): void => {
    for (const s of list ?? []) plan.push({ phase, title: s.title, run: () => s.run(ctx) });
  };
  add('step', scenario.steps);
  add('post', scenario.post);

  let outcome: { verdict: Verdict; failure?: string; error?: unknown } = { verdict: 'PASS' };
  try {
    for (const [i, p] of plan.entries()) {
      const index = i + 1;
      if (outcome.verdict !== 'PASS') {
        steps.push({ index, phase: p.phase, title: p.title, verdict: 'SKIPPED', durationMs: 0 });
        continue;
      }
      const t0 = monotonicNow();
      try {
        const note = await Promise.race([p.run(), deadline]);
        steps.push({
          index,
          phase: p.phase,
          title: typeof note === 'string' ? `${p.title} (${note})` : p.title,
          verdict: 'PASS',
          durationMs: Math.round(monotonicNow() - t0),
        });
      } catch (error) {
        const blocked = error instanceof StepBlockedError && !deadlineHit;
        const failure = messageOf(error);
        outcome = { verdict: blocked ? 'BLOCKED' : 'FAIL', failure: `step ${index} (${p.title}): ${failure}`, ...(blocked ? {} : { error }) };
        steps.push({ index, phase: p.phase, title: p.title, verdict: outcome.verdict, durationMs: Math.round(monotonicNow() - t0), failure });
      }
    }
  } finally {
    timer?.cancel();
  }
  return finish(outcome.verdict, outcome.failure, outcome.error);
}

/**
 * Reaches `state` unless it holds ("if State is NOT X then execute X"), reaching the states it
 * requires first. Resolves with a note for the step's title: `held` or `reached`.
 */
async function ensureState<V extends OcppVersion>(state: State<V>, ctx: ScenarioContext<V>, depth = 0): Promise<string> {
  if (depth > 20) throw new TypeError(`state ${state.name}: the chain of required states is too deep (a cycle?)`);
  if (state.holds(ctx)) return 'held';
  for (const r of state.requires ?? []) await ensureState(r, ctx, depth + 1);
  await state.reach(ctx);
  return 'reached';
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
