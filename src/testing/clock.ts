/**
 * The kit's own clock: the timer and time functions as they were when this module loaded.
 *
 * A test that installs fake timers (node:test's `mock.timers`, vitest's `vi.useFakeTimers()`,
 * jest's, sinon's) replaces `setTimeout`, `Date` and often `performance.now` on the global
 * object. Deadlines taken from those would never fire, and a failing expectation would hang the
 * test instead of failing it. So the kit keeps the real functions, read once at load: import the
 * kit before installing fake timers (a top-level import always is).
 */

/** The real `setTimeout`, whatever a test installs later. */
const realSetTimeout: typeof globalThis.setTimeout = globalThis.setTimeout;
/** The real `clearTimeout`. */
const realClearTimeout: typeof globalThis.clearTimeout = globalThis.clearTimeout;
/** The real `Date` constructor (wall time for transcripts and `currentTime`). */
const RealDate: DateConstructor = globalThis.Date;
const realDateNow: () => number = globalThis.Date.now.bind(globalThis.Date);
const realPerformanceNow: () => number = globalThis.performance.now.bind(globalThis.performance);

/** Monotonic milliseconds (the real `performance.now()`): what every duration is measured with. */
export function monotonicNow(): number {
  return realPerformanceNow();
}

/** Wall-clock milliseconds since the epoch (the real `Date.now()`). */
export function wallNow(): number {
  return realDateNow();
}

/** The real wall-clock time as an ISO 8601 string (what `currentTime` fields carry). */
export function wallIso(ms: number = realDateNow()): string {
  return new RealDate(ms).toISOString();
}

/**
 * A cancellable timer on the real clock. It keeps the process alive, like any timer: a test
 * awaiting a deadline must not end early; the handles cancel theirs when they close.
 */
export interface RealTimer {
  /** Cancels it; harmless after it fired. */
  cancel(): void;
}

/** Runs `fn` after `ms` on the real clock. */
export function after(ms: number, fn: () => void): RealTimer {
  const handle = realSetTimeout(fn, Math.max(0, ms));
  return { cancel: () => realClearTimeout(handle) };
}

/** Resolves after `ms` on the real clock. */
export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => realSetTimeout(resolve, Math.max(0, ms)));
}
