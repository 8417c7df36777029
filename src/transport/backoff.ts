/**
 * The OCPP 2.0.1 reconnect back-off (Part 4 §5.3 / checklist item 43), pure so it can be tested
 * with fixed random numbers: the first wait is `RetryBackOffWaitMinimum + rand(0..RandomRange)`;
 * each later wait doubles the previous base and adds a fresh random part, for
 * `RetryBackOffRepeatTimes` doublings, after which it stays constant.
 */

import { clampDelayMs } from './delay';

/** Back-off settings, in the units of the OCPP configuration variables but in milliseconds. */
export interface BackoffOptions {
  /** RetryBackOffWaitMinimum. @default 3000 */
  waitMinimumMs?: number;
  /** RetryBackOffRandomRange: the random part is drawn from [0, randomRangeMs]. @default 2000 */
  randomRangeMs?: number;
  /** RetryBackOffRepeatTimes: how many times the wait doubles. @default 5 */
  repeatTimes?: number;
}

/** Default reconnect settings (about 3-5 s at first, 96 s after five doublings). */
export const DEFAULT_BACKOFF: Readonly<Required<BackoffOptions>> = Object.freeze({
  waitMinimumMs: 3000,
  randomRangeMs: 2000,
  repeatTimes: 5,
});

/** Resolves and checks back-off settings; throws a TypeError naming the bad option. */
export function resolveBackoff(options: BackoffOptions | undefined, name = 'reconnect'): Readonly<Required<BackoffOptions>> {
  const r = { ...DEFAULT_BACKOFF, ...options };
  for (const key of ['waitMinimumMs', 'randomRangeMs', 'repeatTimes'] as const) {
    const v = r[key];
    if (typeof v !== 'number' || !Number.isFinite(v) || v < 0) {
      throw new TypeError(`${name}.${key} must be a non-negative finite number, got ${String(v)}`);
    }
  }
  if (!Number.isInteger(r.repeatTimes)) throw new TypeError(`${name}.repeatTimes must be an integer, got ${r.repeatTimes}`);
  return Object.freeze(r);
}

/**
 * The wait before reconnect attempt `attempt` (0 for the first attempt after a loss).
 * `random` returns a number in [0, 1), like Math.random. Never more than 2^31-1 ms, the longest
 * wait a timer holds.
 */
export function backoffDelay(options: Readonly<Required<BackoffOptions>>, attempt: number, random: () => number): number {
  const doublings = Math.min(attempt, options.repeatTimes);
  const base = options.waitMinimumMs * 2 ** doublings;
  // Huge settings (or 2 ** doublings) can pass what a timer holds: capped, not wrapped to 1 ms.
  return clampDelayMs(Math.round(base + random() * options.randomRangeMs));
}
