/**
 * Runs CSMS scenarios: the kit connects a {@link TestChargePoint} to the CSMS under test (one
 * connection per scenario, so that each starts from a charger that just connected), and the
 * shared engine (scenario-engine.ts) gives the same verdicts, step results and transcript as a
 * station scenario's, ready for `toJUnitXml`.
 */
import type { OcppVersion } from '../../index';
import { ExpectationError } from '../errors';
import { callDriver, ensureState, runPlan, skipped, type PlanItem, type RunPlanOptions } from '../scenario-engine';
import { DEFAULT_SCENARIO_TIMEOUT_MS, type ScenarioResult } from '../scenario-runner';
import { TestChargePoint, type TestChargePointOptions } from '../test-charge-point';
import {
  DEFAULT_CSMS_PROFILE,
  type CsmsAction,
  type CsmsDriver,
  type CsmsProfile,
  type CsmsScenario,
  type CsmsScenarioContext,
  type ResolvedCsmsProfile,
} from './scenario';

/** How to reach the CSMS under test: its endpoint URL (the identity is appended) and how to connect. */
export interface CsmsConnectOptions extends Omit<TestChargePointOptions, 'protocol' | 'timeoutMs' | 'callTimeoutMs'> {
  /** The CSMS's endpoint, e.g. `ws://127.0.0.1:9220/ocpp`. */
  readonly url: string;
}

/** Options of {@link runCsmsScenario} and {@link runCsmsScenarios}. */
export interface RunCsmsScenarioOptions {
  /** The CSMS under test: its endpoint URL, or the URL with connection options (password, TLS, headers). */
  readonly csms: string | CsmsConnectOptions;
  /** The version the charger speaks. */
  readonly protocol: OcppVersion;
  /** The charger's identity (one the CSMS accepts). @default 'OCPP-SDK-TEST-CP' */
  readonly identity?: string;
  /** The CSMS's configured values. @default {@link DEFAULT_CSMS_PROFILE} */
  readonly profile?: CsmsProfile;
  /** Makes the CSMS send its commands; without one, steps that need them are BLOCKED. */
  readonly driver?: CsmsDriver;
  /** The longest one scenario may run; past it, it FAILs. @default 120000 */
  readonly timeoutMs?: number;
}

/** The identity the charger uses when none is given. */
const DEFAULT_IDENTITY = 'OCPP-SDK-TEST-CP';

/**
 * Runs one CSMS scenario and resolves with its verdict, its steps' verdicts, the failure and the
 * charger's transcript. It never rejects for a failing CSMS: that is a FAIL in the result. The
 * charger connects when the scenario reaches its `Connected` state and is closed at the end.
 *
 * @example
 * ```ts
 * const result = await runCsmsScenario(TC_B_01_CSMS, { csms: 'ws://127.0.0.1:9220/ocpp', protocol: 'ocpp2.0.1', driver });
 * assert.equal(result.verdict, 'PASS', result.failure);
 * ```
 * @throws TypeError (rejects) for bad options.
 */
export async function runCsmsScenario(scenario: CsmsScenario, options: RunCsmsScenarioOptions): Promise<ScenarioResult> {
  if (scenario?.kind !== 'csms-scenario') throw new TypeError('runCsmsScenario: give a scenario made by defineCsmsScenario');
  if (typeof options !== 'object' || options === null) throw new TypeError('runCsmsScenario: options { csms, protocol } are required');
  const connectOptions: CsmsConnectOptions = typeof options.csms === 'string' ? { url: options.csms } : options.csms;
  if (typeof connectOptions !== 'object' || connectOptions === null || typeof connectOptions.url !== 'string')
    throw new TypeError('runCsmsScenario: options.csms must be the CSMS URL or { url, ... }');
  const { protocol } = options;
  if (protocol !== 'ocpp1.6' && protocol !== 'ocpp2.0.1' && protocol !== 'ocpp2.1')
    throw new TypeError(`runCsmsScenario ${scenario.id}: options.protocol must be 'ocpp1.6', 'ocpp2.0.1' or 'ocpp2.1'`);
  const identity = options.identity ?? DEFAULT_IDENTITY;
  const profile: ResolvedCsmsProfile = { ...DEFAULT_CSMS_PROFILE, ...options.profile };

  let cp: TestChargePoint | undefined;
  const run: RunPlanOptions = {
    id: scenario.id,
    title: scenario.title,
    requirements: scenario.requirements,
    protocol,
    identity,
    timeoutMs: options.timeoutMs ?? DEFAULT_SCENARIO_TIMEOUT_MS,
    tail: () => cp?.transcript.format({ tail: 20 }) ?? '',
    transcript: () => {
      const entries = (cp?.transcript.entries ?? []).map((e) => ({ ...e }));
      return { entries, text: entries.length === 0 || cp === undefined ? '' : cp.transcript.format({ tail: entries.length }) };
    },
  };
  if (!scenario.versions.includes(protocol)) return skipped(run, `${scenario.id} applies to ${scenario.versions.join(', ')}, not ${protocol}`);
  const applicable = scenario.applicability?.(profile, protocol) ?? true;
  if (applicable !== true) return skipped(run, `${scenario.id} does not apply to this CSMS${typeof applicable === 'string' ? `: ${applicable}` : ''}`);

  const driver = options.driver;
  const { url, ...rest } = connectOptions;
  const ctx: CsmsScenarioContext = {
    get chargePoint(): TestChargePoint {
      if (cp === undefined) throw new ExpectationError({ awaited: 'a connected charger', got: 'it never connected (no Connected state?)', identity });
      return cp;
    },
    identity,
    protocol,
    profile,
    values: new Map(),
    session: { booted: false, authorizedToken: undefined, transactionId: undefined, seqNo: 0 },
    connect: async () => {
      if (cp === undefined) {
        const timeouts = { timeoutMs: profile.messageTimeoutMs, callTimeoutMs: profile.messageTimeoutMs };
        cp = await TestChargePoint.connect(url, identity, { ...rest, ...timeouts, protocol });
      } else if (!cp.connected) await cp.reconnect();
      ctx.session.booted = false;
      return cp;
    },
    manual: (action: CsmsAction, ...args: unknown[]): Promise<void> => callDriver(driver, 'CsmsDriver', action, [identity, ...args]),
  };

  const plan: PlanItem[] = [];
  for (const state of scenario.preconditions ?? []) plan.push({ phase: 'precondition', title: `State ${state.name}`, run: () => ensureState(state, ctx) });
  for (const [phase, list] of [
    ['step', scenario.steps],
    ['post', scenario.post],
  ] as const) {
    for (const s of list ?? []) plan.push({ phase, title: s.title, run: () => s.run(ctx) });
  }
  try {
    return await runPlan(run, plan);
  } finally {
    // Expectations a failed step left armed make close() reject: the verdict already says why.
    await cp?.close().catch(() => undefined);
  }
}

/** Runs CSMS scenarios one after the other (each on its own connection) and resolves with every result, in order. */
export async function runCsmsScenarios(scenarios: readonly CsmsScenario[], options: RunCsmsScenarioOptions): Promise<ScenarioResult[]> {
  const given: unknown = scenarios;
  if (!Array.isArray(given)) throw new TypeError('runCsmsScenarios: give a list of scenarios');
  const results: ScenarioResult[] = [];
  for (const s of scenarios) results.push(await runCsmsScenario(s, options));
  return results;
}
