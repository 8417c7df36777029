/**
 * Helpers of the soak scripts: forced GC, heap and resource snapshots, a result line that
 * RELIABILITY.md quotes, and the exit code (1 when a check failed).
 */

/** Runs the GC until the heap stops shrinking (needs node --expose-gc). */
export async function settledHeap(): Promise<number> {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (gc === undefined) throw new Error('run with node --expose-gc (npm run soak does)');
  let last = Infinity;
  for (let i = 0; i < 10; i++) {
    await new Promise((r) => setImmediate(r));
    gc();
    const used = process.memoryUsage().heapUsed;
    if (used >= last * 0.995) return used;
    last = used;
  }
  return process.memoryUsage().heapUsed;
}

/** Active handles and requests by kind (timers, sockets, servers), as Node reports them. */
export function activeResources(): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const r of process.getActiveResourcesInfo()) counts[r] = (counts[r] ?? 0) + 1;
  return counts;
}

export const mb = (bytes: number): string => `${(bytes / 1024 / 1024).toFixed(1)} MB`;

/** Collects named checks and prints a summary; sets the exit code. */
export class Report {
  private readonly checks: Array<{ name: string; ok: boolean; detail: string }> = [];
  readonly numbers: Record<string, unknown> = {};

  constructor(readonly title: string) {
    console.log(`# ${title}`);
  }

  check(name: string, ok: boolean, detail: string): void {
    this.checks.push({ name, ok, detail });
    console.log(`${ok ? 'ok  ' : 'FAIL'} ${name}: ${detail}`);
  }

  note(key: string, value: unknown): void {
    this.numbers[key] = value;
    console.log(`     ${key}: ${typeof value === 'string' ? value : JSON.stringify(value)}`);
  }

  finish(): void {
    const failed = this.checks.filter((c) => !c.ok);
    console.log(`# ${this.title}: ${failed.length === 0 ? 'PASS' : `FAIL (${failed.map((f) => f.name).join(', ')})`}`);
    console.log(`RESULT ${JSON.stringify({ soak: this.title, pass: failed.length === 0, ...this.numbers })}`);
    process.exitCode = failed.length === 0 ? 0 : 1;
  }
}
