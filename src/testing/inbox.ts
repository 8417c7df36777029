/**
 * The expectation engine of a handle: the CALLs received (its inbox) and the expectations
 * waiting for them. Early arrivals count: an expectation first looks at what came and was not
 * taken yet, then waits. Every wait has a deadline on the real clock, and every promise it
 * hands out is marked handled, so one nobody awaited cannot crash the process with an
 * unhandled rejection (the handle's `close()` reports it instead).
 */
import { after as realAfter, monotonicNow, type RealTimer } from './clock';
import { ExpectationError } from './errors';
import {
  canonicalCode,
  checkAction,
  checkCallErrorArgs,
  checkListArgs,
  checkNextArgs,
  checkNoCallArgs,
  checkOptions,
  handled,
  label,
  type ExpectationSpec,
} from './arguments';
import { describeValue, mismatch } from './matchers';
import type {
  ExpectAllOptions,
  ExpectCallErrorOptions,
  ExpectNextOptions,
  ExpectNoCallOptions,
  ExpectOneOfOptions,
  ExpectOptions,
  Received,
  ReceivedCallError,
} from './received';

/** @internal A CALL in the inbox. */
export interface InboxRecord {
  readonly received: Received;
  /** Taken by an expectation. */
  consumed: boolean;
  /** Answered (or being answered) by the handle, before any expectation could choose the answer. */
  answered: boolean;
  /** Set when the CALL broke the schema and was refused before reaching the handle. */
  readonly invalid?: { readonly code: string; readonly detail: string };
}

/** @internal What the inbox needs from its handle. */
export interface InboxHost {
  readonly identity: string;
  /** The transcript's last lines, for failure messages. */
  tail(): string;
  readonly timeoutMs: number;
  readonly toleranceMs: number;
}

interface Waiter {
  readonly describe: string;
  /** A CALL arrived: returns `{ respond }` when this waiter takes it. */
  arrive?(rec: InboxRecord): { readonly respond: unknown } | undefined;
  /** A CALLERROR arrived: true when this waiter takes it. */
  arriveError?(rec: ReceivedCallError & { consumed: boolean }): boolean;
  /** Rejects the expectation (closing, or a failure seen elsewhere). */
  fail(error: ExpectationError): void;
}

/** How a CALL in the inbox is named in messages: `Heartbeat #7`. */
function name(rec: InboxRecord): string {
  return `${rec.received.action} #${rec.received.seq}`;
}

/** @internal */
export class Inbox {
  private readonly records: InboxRecord[] = [];
  private readonly errors: Array<ReceivedCallError & { consumed: boolean }> = [];
  private readonly waiters = new Set<Waiter>();
  /** The highest seq an expectation took: `expectNextCall` looks right after it. */
  private lastTakenSeq = 0;
  private closedWith: string | undefined;

  constructor(private readonly host: InboxHost) {}

  /** The CALLs received and not taken by any expectation, oldest first. */
  get untaken(): readonly Received[] {
    return this.records.filter((r) => !r.consumed && r.invalid === undefined).map((r) => r.received);
  }

  /** Descriptions of the expectations still waiting. */
  get pending(): string[] {
    return [...this.waiters].map((w) => w.describe);
  }

  // ------------------------------------------------------------------ arrivals

  /**
   * A CALL arrived. Returns the `respond` of the expectation that took it, if any (the handle
   * then answers with it); `answered` marks it answered by the handle otherwise.
   */
  arrive(rec: InboxRecord): { readonly respond: unknown } | undefined {
    this.records.push(rec);
    if (this.records.length > 10_000) this.records.splice(0, this.records.findIndex((r) => !r.consumed) + 1 || 1);
    for (const w of [...this.waiters]) {
      if (!this.waiters.has(w) || w.arrive === undefined) continue;
      const taken = w.arrive(rec);
      if (taken !== undefined) return taken;
      if (rec.consumed) return undefined;
    }
    return undefined;
  }

  /** A CALLERROR arrived that answered no pending call. */
  arriveError(rec: ReceivedCallError): void {
    const r = { ...rec, consumed: false };
    this.errors.push(r);
    if (this.errors.length > 1000) this.errors.shift();
    for (const w of [...this.waiters]) if (this.waiters.has(w) && w.arriveError?.(r) === true) return;
  }

  // ------------------------------------------------------------------ plumbing

  private fail(awaited: string, got: string, cause?: unknown): ExpectationError {
    return new ExpectationError({ awaited, got, transcriptTail: this.host.tail(), identity: this.host.identity, cause });
  }

  /**
   * Makes a pending expectation: `setup` gets resolve/reject and returns the waiter's hooks (or
   * settles at once); the deadline rejects with `onTimeout()`'s text.
   */
  private pend<T>(
    describe: string,
    timeoutMs: number,
    setup: (resolve: (v: T) => void, reject: (e: ExpectationError) => void) => Omit<Waiter, 'describe' | 'fail'> | undefined,
    onTimeout: () => string,
    onTimeoutResolve?: () => T,
  ): Promise<T> {
    if (this.closedWith !== undefined) return handled(Promise.reject(this.fail(describe, `the handle was already closed (${this.closedWith})`)));
    return handled(
      new Promise<T>((resolvePromise, rejectPromise) => {
        const clock: { timer?: RealTimer } = {};
        let done = false;
        const waiter: Waiter = {
          describe,
          fail: (e) => reject(e),
        };
        const finish = (): boolean => {
          if (done) return false;
          done = true;
          clock.timer?.cancel();
          this.waiters.delete(waiter);
          return true;
        };
        const resolve = (v: T): void => {
          if (finish()) resolvePromise(v);
        };
        const reject = (e: ExpectationError): void => {
          if (finish()) rejectPromise(e);
        };
        const hooks = setup(resolve, reject);
        if (done) return;
        if (hooks === undefined) return;
        Object.assign(waiter, hooks);
        this.waiters.add(waiter);
        clock.timer = realAfter(timeoutMs, () => {
          if (onTimeoutResolve !== undefined) resolve(onTimeoutResolve());
          else reject(this.fail(describe, onTimeout()));
        });
      }),
    );
  }

  private take(rec: InboxRecord): void {
    rec.consumed = true;
    if (rec.received.seq > this.lastTakenSeq) this.lastTakenSeq = rec.received.seq;
  }

  /** Why `rec` breaks the timing of `o`, or undefined. */
  private timingProblem(rec: InboxRecord, o: ExpectOptions | undefined, armedAt: number): string | undefined {
    if (o === undefined || (o.notBeforeMs === undefined && o.withinMs === undefined)) return undefined;
    const ref = o.after?.monotonicMs ?? armedAt;
    const refName = o.after === undefined ? 'the expectation was made' : `${o.after.action} #${o.after.seq}`;
    const gap = rec.received.monotonicMs - ref;
    const tol = o.toleranceMs ?? this.host.toleranceMs;
    if (o.notBeforeMs !== undefined && gap < o.notBeforeMs - tol) {
      return `${name(rec)} came ${gap.toFixed(0)} ms after ${refName}: too early (notBeforeMs ${o.notBeforeMs}, tolerance ${tol} ms)`;
    }
    if (o.withinMs !== undefined && gap > o.withinMs + tol) {
      return `${name(rec)} came ${gap.toFixed(0)} ms after ${refName}: too late (withinMs ${o.withinMs}, tolerance ${tol} ms)`;
    }
    return undefined;
  }

  /** How long to wait: `timeoutMs`, shortened by `withinMs` (no point waiting past it). */
  private waitMs(o: ExpectOptions | undefined, armedAt: number, fallback?: number): number {
    let ms = o?.timeoutMs ?? fallback ?? this.host.timeoutMs;
    if (o?.withinMs !== undefined) {
      const ref = o.after?.monotonicMs ?? armedAt;
      const end = ref + o.withinMs + (o.toleranceMs ?? this.host.toleranceMs) - monotonicNow();
      ms = Math.min(ms, Math.max(0, Math.ceil(end)) + 1);
    }
    return ms;
  }

  /** When `withinMs` ended the wait: says so, before what came. */
  private withinNote(o: ExpectOptions | undefined): string {
    if (o?.withinMs === undefined) return '';
    const ref = o.after === undefined ? 'the expectation was made' : `${o.after.action} #${o.after.seq}`;
    return `none came within ${o.withinMs} ms (withinMs, tolerance ${o.toleranceMs ?? this.host.toleranceMs} ms) of ${ref}; `;
  }

  /** What came instead of `action` matching `match`, since `fromSeq`. */
  private whatCame(action: string | undefined, match: unknown, fromSeq: number): string {
    const since = this.records.filter((r) => r.received.seq > fromSeq);
    if (action !== undefined) {
      const same = since.filter((r) => r.received.action === action);
      const last = same.filter((r) => !r.consumed).at(-1) ?? same.at(-1);
      if (last !== undefined) {
        if (last.invalid !== undefined) return `${name(last)} broke the schema (${last.invalid.code}: ${last.invalid.detail})`;
        const m = mismatch(last.received.request, match);
        if (m !== undefined) return `${name(last)} did not match: at ${m.path} expected ${m.expected}, got ${m.actual}`;
        if (last.consumed) return `${name(last)} matched but was already taken by an earlier expectation`;
      }
    }
    if (since.length === 0) return `nothing was received${action === undefined ? '' : ` (no ${action})`}`;
    const list = since.slice(-8).map((r) => `${name(r)}${r.consumed ? ' (taken)' : ''}`);
    return `${action === undefined ? '' : `no ${action} came; `}received meanwhile: ${list.join(', ')}`;
  }

  // ------------------------------------------------------------------ expectations

  /** See {@link StationHandle.expectCall}. */
  expectCall(action: string, match: unknown, o: ExpectOptions | undefined): Promise<Received> {
    checkAction('expectCall', action);
    checkOptions('expectCall', o);
    const armedAt = monotonicNow();
    const from = o?.after?.seq ?? 0;
    const describe = label(action, match);
    return this.pend<Received>(
      describe,
      this.waitMs(o, armedAt),
      (resolve, reject) => {
        const consider = (rec: InboxRecord, live: boolean): boolean => {
          if (rec.consumed || rec.received.seq <= from || rec.received.action !== action) return false;
          if (rec.invalid !== undefined) {
            reject(this.fail(describe, `${name(rec)} broke the schema (${rec.invalid.code}: ${rec.invalid.detail})`));
            return true;
          }
          if (mismatch(rec.received.request, match) !== undefined) return false;
          this.take(rec);
          const late = this.timingProblem(rec, o, armedAt);
          if (late !== undefined) reject(this.fail(describe, late));
          else if (!live && o?.respond !== undefined && rec.answered) {
            reject(
              this.fail(
                describe,
                `${name(rec)} came before the expectation was made and was answered already, so its \`respond\` could not be used (make the expectation earlier, or use stub())`,
              ),
            );
          } else resolve(rec.received);
          return true;
        };
        for (const rec of this.records) if (consider(rec, false)) return undefined;
        return { arrive: (rec) => (consider(rec, true) ? { respond: o?.respond } : undefined) };
      },
      () => this.withinNote(o) + this.whatCame(action, match, from),
    );
  }

  /** See {@link StationHandle.expectNextCall}. */
  expectNextCall(action: string, match: unknown, o: ExpectNextOptions | undefined): Promise<Received> {
    checkNextArgs(action, o);
    const armedAt = monotonicNow();
    const from = Math.max(this.lastTakenSeq, o?.after?.seq ?? 0);
    const ignore = new Set(o?.ignore ?? []);
    const describe = `next CALL to be ${label(action, match)}`;
    return this.pend<Received>(
      describe,
      this.waitMs(o, armedAt),
      (resolve, reject) => {
        const consider = (rec: InboxRecord, live: boolean): boolean => {
          if (rec.consumed || rec.received.seq <= from || ignore.has(rec.received.action)) return false;
          if (rec.received.action !== action) {
            reject(this.fail(describe, `the next CALL was ${name(rec)}: ${describeValue(rec.received.request)}`));
            return true;
          }
          if (rec.invalid !== undefined) {
            reject(this.fail(describe, `${name(rec)} broke the schema (${rec.invalid.code}: ${rec.invalid.detail})`));
            return true;
          }
          const m = mismatch(rec.received.request, match);
          if (m !== undefined) {
            reject(this.fail(describe, `${name(rec)} did not match: at ${m.path} expected ${m.expected}, got ${m.actual}`));
            return true;
          }
          this.take(rec);
          const late = this.timingProblem(rec, o, armedAt);
          if (late !== undefined) reject(this.fail(describe, late));
          else if (!live && o?.respond !== undefined && rec.answered)
            reject(this.fail(describe, `${name(rec)} came before the expectation was made and was answered already`));
          else resolve(rec.received);
          return true;
        };
        for (const rec of this.records) if (consider(rec, false)) return undefined;
        // A CALL that does not match fails the expectation but is not taken: return no respond for it.
        return { arrive: (rec) => (consider(rec, true) && rec.consumed ? { respond: o?.respond } : undefined) };
      },
      () => this.withinNote(o) + this.whatCame(action, match, from),
    );
  }

  /** See {@link StationHandle.expectAll}. */
  expectAll(specs: readonly ExpectationSpec[], o: ExpectAllOptions | undefined): Promise<Received[]> {
    checkListArgs('expectAll', specs, o);
    const anyOrder = o?.anyOrder ?? true;
    const armedAt = monotonicNow();
    const from = o?.after?.seq ?? 0;
    const describe = `all of ${anyOrder ? '(any order)' : '(in this order)'}: ${specs.map(([a, m]) => label(a, m)).join('; ')}`;
    const assigned: Array<InboxRecord | undefined> = specs.map(() => undefined);
    // A record this expectation holds is marked consumed (no other expectation may take it) but
    // may still move to another of its slots.
    const fits = (i: number, rec: InboxRecord): boolean =>
      (!rec.consumed || assigned.includes(rec)) &&
      rec.invalid === undefined &&
      rec.received.seq > from &&
      rec.received.action === specs[i][0] &&
      mismatch(rec.received.request, specs[i][1]) === undefined;
    const liveTaken = new Set<InboxRecord>();
    if (specs.length === 0) return handled(Promise.resolve([]));
    return this.pend<Received[]>(
      describe,
      o?.timeoutMs ?? this.host.timeoutMs,
      (resolve, reject) => {
        /** Kuhn's augmenting path: can `rec` get an expectation, moving others if need be? */
        const place = (rec: InboxRecord, seen: Set<number>): number | undefined => {
          for (let i = 0; i < specs.length; i++) {
            if (seen.has(i) || !fits(i, rec)) continue;
            seen.add(i);
            const holder = assigned[i];
            if (holder === undefined || place(holder, seen) !== undefined) {
              assigned[i] = rec;
              return i;
            }
          }
          return undefined;
        };
        const placeOrdered = (rec: InboxRecord): number | undefined => {
          const i = assigned.findIndex((a) => a === undefined);
          if (i < 0) return undefined;
          const prev = i === 0 ? undefined : assigned[i - 1];
          if (prev !== undefined && rec.received.seq <= prev.received.seq) return undefined;
          return fits(i, rec) ? ((assigned[i] = rec), i) : undefined;
        };
        const check = (): boolean => {
          if (assigned.some((a) => a === undefined)) return false;
          for (const rec of assigned as InboxRecord[]) this.take(rec);
          for (let i = 0; i < specs.length; i++) {
            const rec = assigned[i] as InboxRecord;
            const late = this.timingProblem(rec, specs[i][2], armedAt);
            if (late !== undefined) {
              reject(this.fail(describe, late));
              return true;
            }
            if (specs[i][2]?.respond !== undefined && !liveTaken.has(rec) && rec.answered) {
              reject(this.fail(describe, `${name(rec)} came before the expectation was made and was answered already, so its \`respond\` could not be used`));
              return true;
            }
          }
          resolve((assigned as InboxRecord[]).map((r) => r.received));
          return true;
        };
        for (const rec of this.records) {
          if (anyOrder) place(rec, new Set());
          else placeOrdered(rec);
        }
        for (const rec of assigned) if (rec !== undefined) rec.consumed = true;
        if (check()) return undefined;
        return {
          arrive: (rec) => {
            const i = anyOrder ? place(rec, new Set()) : placeOrdered(rec);
            if (i === undefined) return undefined;
            liveTaken.add(rec);
            // The CALL is answered now with the respond of the expectation it went to; a later
            // reshuffle of the matching cannot change an answer already sent.
            const respond = specs[assigned.indexOf(rec)]?.[2]?.respond;
            rec.consumed = true;
            check();
            return { respond };
          },
        };
      },
      () => {
        // Failed: what it held is free for later expectations again.
        for (const rec of assigned) if (rec !== undefined) rec.consumed = false;
        const got = assigned.map((r, i) =>
          r === undefined ? `missing ${label(specs[i][0], specs[i][1])} (${this.whatCame(specs[i][0], specs[i][1], from)})` : `got ${name(r)}`,
        );
        return got.join('; ');
      },
    );
  }

  /** See {@link StationHandle.expectOneOf}. */
  expectOneOf(specs: readonly ExpectationSpec[], o: ExpectOneOfOptions | undefined): Promise<Received & { readonly alternative: number }> {
    checkListArgs('expectOneOf', specs, o);
    const armedAt = monotonicNow();
    const from = o?.after?.seq ?? 0;
    const describe = `one of: ${specs.map(([a, m]) => label(a, m)).join(' OR ')}`;
    return this.pend<Received & { readonly alternative: number }>(
      describe,
      o?.timeoutMs ?? this.host.timeoutMs,
      (resolve, reject) => {
        const consider = (rec: InboxRecord, live: boolean): number | undefined => {
          if (rec.consumed || rec.invalid !== undefined || rec.received.seq <= from) return undefined;
          const i = specs.findIndex(([a, m]) => a === rec.received.action && mismatch(rec.received.request, m) === undefined);
          if (i < 0) return undefined;
          this.take(rec);
          const late = this.timingProblem(rec, specs[i][2], armedAt);
          if (late !== undefined) reject(this.fail(describe, late));
          else if (!live && specs[i][2]?.respond !== undefined && rec.answered)
            reject(this.fail(describe, `${name(rec)} came before the expectation was made and was answered already`));
          else resolve(Object.freeze({ ...rec.received, alternative: i }));
          return i;
        };
        for (const rec of this.records) if (consider(rec, false) !== undefined) return undefined;
        return {
          arrive: (rec) => {
            const i = consider(rec, true);
            return i === undefined ? undefined : { respond: specs[i][2]?.respond };
          },
        };
      },
      () => specs.map(([a, m]) => this.whatCame(a, m, from)).join(' / '),
    );
  }

  /** See {@link StationHandle.expectNoCall}. */
  expectNoCall(action: string, o: ExpectNoCallOptions): Promise<void> {
    checkNoCallArgs(action, o);
    const except = new Set(o.except ?? []);
    const armedAt = monotonicNow();
    const describe = `no ${action === '*' ? 'CALL' : action}${except.size > 0 ? ` (except ${[...except].join(', ')})` : ''} for ${o.forMs} ms`;
    return this.pend<void>(
      describe,
      o.forMs,
      (_resolve, reject) => ({
        arrive: (rec) => {
          if ((action === '*' || rec.received.action === action) && !except.has(rec.received.action)) {
            reject(
              this.fail(describe, `${name(rec)} came ${(rec.received.monotonicMs - armedAt).toFixed(0)} ms after: ${describeValue(rec.received.request)}`),
            );
          }
          return undefined;
        },
      }),
      () => '',
      () => undefined,
    );
  }

  /** See {@link StationHandle.expectCallError}. */
  expectCallError(code: string, o: ExpectCallErrorOptions | undefined): Promise<ReceivedCallError> {
    checkCallErrorArgs(code, o);
    const wanted = canonicalCode(code);
    const describe = `a CALLERROR ${code}${o?.messageId === undefined ? '' : ` for message ${JSON.stringify(o.messageId)}`}`;
    const seen: string[] = [];
    return this.pend<ReceivedCallError>(
      describe,
      o?.timeoutMs ?? this.host.timeoutMs,
      (resolve, reject) => {
        const consider = (rec: ReceivedCallError & { consumed: boolean }): boolean => {
          if (rec.consumed) return false;
          if (o?.messageId !== undefined && rec.messageId !== o.messageId) return false;
          if (rec.code !== wanted) {
            seen.push(`${rec.errorCode} for ${JSON.stringify(rec.messageId)} (#${rec.seq})`);
            if (o?.messageId === undefined) return false;
            rec.consumed = true;
            reject(this.fail(describe, `the answer was CALLERROR ${rec.errorCode} ${JSON.stringify(rec.errorDescription)} (#${rec.seq})`));
            return true;
          }
          rec.consumed = true;
          const { consumed: _c, ...clean } = rec;
          void _c;
          resolve(clean);
          return true;
        };
        for (const rec of this.errors) if (consider(rec)) return undefined;
        return { arriveError: consider };
      },
      () => (seen.length === 0 ? 'no such CALLERROR came' : `came instead: ${seen.join(', ')}`),
    );
  }

  /**
   * Rejects every expectation still waiting and refuses new ones; returns what they awaited.
   */
  close(reason: string): string[] {
    this.closedWith = reason;
    const left = [...this.waiters];
    for (const w of left) w.fail(this.fail(w.describe, `the handle closed first (${reason})`));
    return left.map((w) => w.describe);
  }
}
