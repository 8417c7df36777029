/**
 * Waiting for a handle's connection to open: a small list of waiters with real-clock deadlines,
 * rejected with an {@link ExpectationError} on timeout or when the handle closes.
 */
import { after, type RealTimer } from './clock';
import { ExpectationError } from './errors';

interface Waiter {
  /** Whether connection number `generation` settles it. */
  readonly wants: (generation: number) => boolean;
  readonly resolve: () => void;
  readonly reject: (e: ExpectationError) => void;
  readonly timer: RealTimer;
}

/** @internal */
export class ConnectionWaits {
  private readonly waiters = new Set<Waiter>();
  private closed = false;

  constructor(
    private readonly identity: string,
    private readonly tail: () => string,
  ) {}

  /** Resolves when a connection `wants` accepts opens (handled: an unawaited one cannot crash). */
  wait(awaited: string, timeoutMs: number, wants: (generation: number) => boolean, got: () => string): Promise<void> {
    const p = new Promise<void>((resolve, reject) => {
      if (this.closed) {
        reject(new ExpectationError({ awaited, got: 'the handle was already closed', identity: this.identity, transcriptTail: this.tail() }));
        return;
      }
      const waiter: Waiter = {
        wants,
        resolve: () => {
          waiter.timer.cancel();
          this.waiters.delete(waiter);
          resolve();
        },
        reject: (e) => {
          waiter.timer.cancel();
          this.waiters.delete(waiter);
          reject(e);
        },
        timer: after(timeoutMs, () => waiter.reject(new ExpectationError({ awaited, got: got(), identity: this.identity, transcriptTail: this.tail() }))),
      };
      this.waiters.add(waiter);
    });
    p.catch(() => undefined);
    return p;
  }

  /** Connection number `generation` opened. */
  opened(generation: number): void {
    for (const w of [...this.waiters]) if (w.wants(generation)) w.resolve();
  }

  /** Rejects every waiter; returns how many there were. */
  close(reason: string): number {
    this.closed = true;
    const n = this.waiters.size;
    for (const w of [...this.waiters])
      w.reject(
        new ExpectationError({ awaited: 'a connection', got: `the handle closed first (${reason})`, identity: this.identity, transcriptTail: this.tail() }),
      );
    return n;
  }
}
