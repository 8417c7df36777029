/**
 * Commands that fail fast. Neither client does this by itself: ioredis keeps a command whose
 * connection dropped until Redis returns (then, by default, sends it again), and node-redis's
 * timeout covers only commands not yet written. So the adapter keeps its own list of commands in
 * flight: a command sent while the connection is down is refused at once; the commands in flight
 * when it drops fail at once; one with no answer after `commandTimeoutMs` fails then. The late
 * reply of a command already failed is ignored.
 */
import type { RawConnection } from './client';
import type { Clock, Ticking } from './clock';
import { RedisUnavailableError } from './errors';

/** Errors of commands that certainly never left this process (refused before being written). */
const unsent = new WeakSet<Error>();

/** Whether `error` failed a command that was never written to Redis (so Redis cannot have run it). */
export function wasNotSent(error: unknown): boolean {
  return error instanceof Error && unsent.has(error);
}

/**
 * The clients' own refusals to write (ioredis without offline queue: "Stream isn't writeable";
 * node-redis: ClientOfflineError, ClientClosedError): the command was never sent. They come when
 * the client saw the connection drop a moment before we did.
 */
function refusedByClient(error: Error): boolean {
  return error.name === 'ClientOfflineError' || error.name === 'ClientClosedError' || /Stream isn't writeable|client is (offline|closed)/i.test(error.message);
}

function notSent(detail: string, cause?: unknown): RedisUnavailableError {
  const error = new RedisUnavailableError(detail, cause === undefined ? undefined : { cause });
  unsent.add(error);
  return error;
}

interface InFlight {
  readonly expiresAt: number;
  readonly resolve: (value: unknown) => void;
  readonly reject: (error: Error) => void;
  readonly what: string;
}

/** @internal The adapter's command connection, with its own in-flight bookkeeping. */
export class Commands implements Ticking {
  /** In send order; all share one timeout, so this is also deadline order. */
  private readonly inFlight = new Set<InFlight>();
  private up = false;
  private readonly stateListeners: Array<(up: boolean) => void> = [];

  constructor(
    readonly raw: RawConnection,
    private readonly clock: Clock,
    private readonly timeoutMs: number,
  ) {
    clock.add(this);
    raw.onState((up, error) => {
      this.up = up;
      if (!up) this.failAll(new RedisUnavailableError(`the connection dropped${error === undefined ? '' : ` (${error.message})`}`, { cause: error }));
      for (const listener of this.stateListeners) listener(up);
    });
  }

  /** Whether a command sent now would be written to Redis. */
  get ready(): boolean {
    return this.up && this.raw.isReady();
  }

  /** Listens to the connection going down (`false`) and becoming ready (`true`); returns the way to stop. */
  onState(listener: (up: boolean) => void): () => void {
    this.stateListeners.push(listener);
    return () => {
      const i = this.stateListeners.indexOf(listener);
      if (i >= 0) this.stateListeners.splice(i, 1);
    };
  }

  /** Resolves when the connection is ready (at once if it is); false when `signal` aborts first. */
  whenReady(signal?: AbortSignal): Promise<boolean> {
    if (this.ready) return Promise.resolve(true);
    if (signal?.aborted === true) return Promise.resolve(false);
    return new Promise<boolean>((resolve) => {
      const done = (ok: boolean): void => {
        stop();
        signal?.removeEventListener('abort', onAbort);
        resolve(ok);
      };
      const onAbort = (): void => done(false);
      const stop = this.onState((up) => {
        if (up) done(true);
      });
      signal?.addEventListener('abort', onAbort, { once: true });
    });
  }

  /** Sends a command; rejects with {@link RedisUnavailableError} at once when it cannot be answered. */
  send(args: readonly string[]): Promise<unknown> {
    if (!this.ready) return Promise.reject(notSent(`the connection is down (${args[0]})`));
    return new Promise<unknown>((resolve, reject) => {
      const entry: InFlight = { expiresAt: Date.now() + this.timeoutMs, resolve, reject, what: args[0] };
      this.inFlight.add(entry);
      this.clock.wake();
      this.raw.send(args).then(
        (reply) => {
          if (this.inFlight.delete(entry)) resolve(reply);
        },
        (error: unknown) => {
          if (!this.inFlight.delete(entry)) return;
          const e = error instanceof Error ? error : new Error(String(error));
          if (refusedByClient(e)) reject(notSent(`the client refused ${args[0]}: ${e.message}`, e));
          // A reply error (wrong type, NOSCRIPT, ...) is Redis answering: pass it on as it is.
          else reject(e);
        },
      );
    });
  }

  /** Fails every command in flight with `error` (the connection went away or the adapter closes). */
  failAll(error: Error): void {
    if (this.inFlight.size === 0) return;
    const failed = [...this.inFlight];
    this.inFlight.clear();
    for (const entry of failed) entry.reject(error);
  }

  tick(now: number): boolean {
    for (const entry of this.inFlight) {
      if (entry.expiresAt > now) break;
      this.inFlight.delete(entry);
      entry.reject(new RedisUnavailableError(`no answer to ${entry.what} within ${this.timeoutMs} ms`));
    }
    return this.inFlight.size > 0;
  }
}
