/** Bounded waiting and the printing of measured figures, for the cluster tests. */

/** The p50 and max of a list of durations. */
export function summary(values: readonly number[]): string {
  const sorted = [...values].sort((x, y) => x - y);
  const p50 = sorted[Math.floor(sorted.length / 2)] ?? NaN;
  const p99 = sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * 0.99))] ?? NaN;
  return `n=${sorted.length} p50 ${p50.toFixed(2)} ms, p99 ${p99.toFixed(2)} ms, max ${(sorted.at(-1) ?? NaN).toFixed(2)} ms`;
}

/** `promise`, or `fallback` after `ms`. */
export function bounded<T, F>(promise: Promise<T>, ms: number, fallback: F): Promise<T | F> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<F>((resolve) => (timer = setTimeout(() => resolve(fallback), ms)));
  return Promise.race([promise, late]).finally(() => clearTimeout(timer));
}

/** Waits until `check` resolves true, looking every 10 ms; throws naming `what` after `ms`. */
export async function until(check: () => boolean | Promise<boolean>, what: string, ms = 5000): Promise<number> {
  const started = performance.now();
  while (!(await check())) {
    if (performance.now() - started > ms) throw new Error(`timed out after ${ms} ms waiting for ${what}`);
    await sleep(10);
  }
  return performance.now() - started;
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Rounds a duration for printing. */
export function ms(value: number): string {
  return `${value.toFixed(1)} ms`;
}
