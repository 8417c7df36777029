/**
 * One timer for the whole adapter. Command timeouts, call deadlines and the owner-liveness
 * poll all hang off a single interval that runs only while something is pending: at 10k calls/s a
 * `setTimeout` per command and per call would be 20k timers created and cleared every second.
 */

/** Something the clock ticks while it reports work pending. */
export interface Ticking {
  /** Called on each tick; returns whether it still has work (the clock stops when none has). */
  tick(now: number): boolean;
}

/** The tick period: the resolution of every timeout the adapter keeps. */
export const TICK_MS = 10;

/** @internal A shared interval that sleeps when every task is idle. */
export class Clock {
  private readonly tasks: Ticking[] = [];
  private timer: ReturnType<typeof setInterval> | undefined;

  /** Adds a task; it is ticked from the next {@link Clock.wake} on. */
  add(task: Ticking): void {
    this.tasks.push(task);
  }

  /** Makes sure the interval runs (cheap when it already does). */
  wake(): void {
    if (this.timer !== undefined) return;
    this.timer = setInterval(() => this.run(), TICK_MS);
  }

  /** Stops the interval for good (the adapter closed). */
  stop(): void {
    if (this.timer !== undefined) clearInterval(this.timer);
    this.timer = undefined;
  }

  private run(): void {
    const now = Date.now();
    let busy = false;
    for (const task of this.tasks) if (task.tick(now)) busy = true;
    if (!busy) this.stop();
  }
}

/** An entry of a {@link DeadlineWheel}. */
export interface Expiring {
  /** When it expires, ms since the epoch. */
  readonly expiresAt: number;
  /** Called once when it expires while still in the wheel. */
  expire(): void;
}

/**
 * A hashed timing wheel: entries in buckets of {@link TICK_MS}, so adding and removing are O(1)
 * and a tick visits only the buckets that came due (call deadlines differ per call, so the
 * FIFO that serves command timeouts would not do).
 */
export class DeadlineWheel implements Ticking {
  private readonly buckets = new Map<number, Set<Expiring>>();
  private readonly slotOf = new Map<Expiring, number>();
  /** The last slot processed. */
  private cursor = Math.floor(Date.now() / TICK_MS);

  constructor(private readonly clock: Clock) {}

  /** Number of entries waiting. */
  get size(): number {
    return this.slotOf.size;
  }

  /** Adds `entry`; it expires on the first tick at or after its `expiresAt`. */
  add(entry: Expiring): void {
    if (this.slotOf.size === 0) this.cursor = Math.floor(Date.now() / TICK_MS);
    const slot = Math.max(Math.ceil(entry.expiresAt / TICK_MS), this.cursor + 1);
    let bucket = this.buckets.get(slot);
    if (bucket === undefined) this.buckets.set(slot, (bucket = new Set()));
    bucket.add(entry);
    this.slotOf.set(entry, slot);
    this.clock.wake();
  }

  /** Removes `entry`; false when it was not there (expired or removed before). */
  delete(entry: Expiring): boolean {
    const slot = this.slotOf.get(entry);
    if (slot === undefined) return false;
    this.slotOf.delete(entry);
    const bucket = this.buckets.get(slot)!;
    bucket.delete(entry);
    if (bucket.size === 0) this.buckets.delete(slot);
    return true;
  }

  tick(now: number): boolean {
    const target = Math.floor(now / TICK_MS);
    for (let slot = this.cursor + 1; slot <= target && this.slotOf.size > 0; slot++) {
      const bucket = this.buckets.get(slot);
      if (bucket === undefined) continue;
      this.buckets.delete(slot);
      for (const entry of bucket) {
        this.slotOf.delete(entry);
        entry.expire();
      }
    }
    this.cursor = Math.max(this.cursor, target);
    return this.slotOf.size > 0;
  }
}
