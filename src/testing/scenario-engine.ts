/**
 * What every scenario run shares, whichever side is under test: the plan of steps
 * (preconditions, main steps, post checks) run in order under one deadline, the chaining of
 * reusable states, the BLOCKED outcome of a manual action nobody can do, and the frozen
 * {@link ScenarioResult}. `runScenario` (a charging station under test) and `runCsmsScenario`
 * (a CSMS under test) each build a plan and a context and hand them here.
 */
import type { OcppVersion } from '../index';
import { after, monotonicNow, wallIso, wallNow } from './clock';
import { ExpectationError } from './errors';
import { StepBlockedError, type State, type Verdict } from './scenario';
import type { ScenarioResult, StepPhase, StepResult } from './scenario-runner';
import type { TranscriptEntry } from './transcript';

/**
 * @internal Calls `action` on `driver` for `ctx.manual`: throws a {@link StepBlockedError} synchronously
 * (so that nothing is armed for an action that never happens) when there is no driver or it
 * lacks the action; `kind` names the driver's interface in that message.
 */
export function callDriver(driver: object | undefined, kind: string, action: string, args: readonly unknown[]): Promise<void> {
  const fn: unknown = driver === undefined ? undefined : Reflect.get(driver, action);
  if (driver === undefined) throw new StepBlockedError(`manual action ${action} needs a ${kind}, and none was given`);
  if (typeof fn !== 'function') throw new StepBlockedError(`manual action ${action}: the ${kind} has no ${action}()`);
  const done = Promise.resolve(Reflect.apply(fn, driver, args) as Promise<void>);
  done.catch(() => undefined);
  return done;
}

/** @internal One item of a plan: a precondition state, a step or a post check. */
export interface PlanItem {
  readonly phase: StepPhase;
  readonly title: string;
  /** Resolves (with a note for the title) when it passed; throws when it failed or is blocked. */
  run(): Promise<string | void>;
}

/** @internal What {@link runPlan} needs besides the plan. */
export interface RunPlanOptions {
  readonly id: string;
  readonly title: string;
  readonly requirements: readonly string[] | undefined;
  readonly protocol: OcppVersion;
  readonly identity: string;
  readonly timeoutMs: number;
  /** The transcript's last lines, for the deadline's failure message. */
  tail(): string;
  /** The frames and events of the run, and their text, read when it ends. */
  transcript(): { readonly entries: readonly TranscriptEntry[]; readonly text: string };
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** @internal The result of a scenario that did not run (SKIPPED, with why). */
export function skipped(o: RunPlanOptions, why: string): ScenarioResult {
  return result(o, monotonicNow(), wallIso(wallNow()), [], { verdict: 'SKIPPED', failure: why });
}

function result(
  o: RunPlanOptions,
  startedMs: number,
  startedAt: string,
  steps: StepResult[],
  outcome: { verdict: Verdict; failure?: string; error?: unknown },
): ScenarioResult {
  const t = o.transcript();
  return Object.freeze({
    id: o.id,
    title: o.title,
    requirements: o.requirements ?? [],
    protocol: o.protocol,
    identity: o.identity,
    verdict: outcome.verdict,
    startedAt,
    durationMs: Math.round(monotonicNow() - startedMs),
    steps,
    transcript: t.entries,
    transcriptText: t.text,
    ...(outcome.failure === undefined ? {} : { failure: outcome.failure }),
    ...(outcome.error === undefined ? {} : { error: outcome.error }),
  });
}

/**
 * @internal Runs `plan` in order under one deadline: each item only while everything before it
 * passed (the rest are SKIPPED); a {@link StepBlockedError} (from `ctx.manual` without a driver, or thrown by a driver that cannot do the action) makes the verdict BLOCKED, any other
 * failure FAIL. Never rejects for a failing peer.
 */
export async function runPlan(o: RunPlanOptions, plan: readonly PlanItem[]): Promise<ScenarioResult> {
  const startedMs = monotonicNow();
  const startedAt = wallIso(wallNow());
  const steps: StepResult[] = [];
  // One deadline for the whole scenario: a step that never settles must not hang the run.
  let deadlineHit = false;
  let timer: { cancel(): void } | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = after(o.timeoutMs, () => {
      deadlineHit = true;
      reject(
        new ExpectationError({
          awaited: `scenario ${o.id} to finish within ${o.timeoutMs} ms`,
          got: 'it was still running',
          identity: o.identity,
          transcriptTail: o.tail(),
        }),
      );
    });
  });
  deadline.catch(() => undefined);

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
  return result(o, startedMs, startedAt, steps, outcome);
}

/**
 * @internal Reaches `state` unless it holds ("if State is NOT X then execute X"), reaching the
 * states it requires first. Resolves with a note for the step's title: `held` or `reached`.
 */
export async function ensureState<C>(state: State<OcppVersion, C>, ctx: C, depth = 0): Promise<string> {
  if (depth > 20) throw new TypeError(`state ${state.name}: the chain of required states is too deep (a cycle?)`);
  if (state.holds(ctx)) return 'held';
  for (const r of state.requires ?? []) await ensureState(r, ctx, depth + 1);
  await state.reach(ctx);
  return 'reached';
}
