/**
 * The bookkeeping of our own CALLs on one connection: the calls in flight by message id, the
 * FIFO queue of calls waiting for a slot, the one deadline sweep timer, and the ids of calls
 * that timed out or were aborted (to tell a `late` answer from an `unknown-id` one).
 *
 * An endpoint makes its {@link OutgoingCalls} on its first call: most of a server's endpoints
 * only answer, and pay nothing for it. Per call: one {@link PendingCall}, one promise (made by
 * the endpoint), one frame string; no timer, AbortController or Error.
 */
import { EMPTY_MAP } from './empty';
import { AbortError, ConnectionClosedError, TimeoutError } from './errors';
import { Fifo } from './fifo';
import type { SharedEndpointOptions } from './options';

/** Per-call options of {@link RpcEndpoint.call}. */
export interface CallOptions {
  /** Overrides `callTimeoutMs` for this call: a whole number of milliseconds, 1 to `MAX_CALL_TIMEOUT_MS`. */
  timeoutMs?: number;
  /** Aborts the call: a queued call is removed unsent; a sent one rejects and frees its slot. */
  signal?: AbortSignal;
  /**
   * `false` skips validation of this call's request (outbound) and of its response (inbound),
   * e.g. for a test harness that sends an invalid payload on purpose.
   * @default true
   */
  validate?: boolean;
}

/** How many timed-out or aborted call ids are remembered, to tell `late` from `unknown-id`. */
const LATE_ID_MEMORY = 64;

/** One of our calls, queued or in flight. */
export class PendingCall {
  /** Set by the one path that won the right to settle it (see {@link OutgoingCalls.claimSettlement}). */
  settled = false;
  inFlight = false;
  deadline = 0;
  resolve!: (value: unknown) => void;
  reject!: (reason: unknown) => void;
  onAbort: (() => void) | undefined = undefined;

  constructor(
    readonly messageId: string,
    readonly action: string,
    readonly payload: unknown,
    readonly text: string,
    readonly timeoutMs: number,
    readonly validate: boolean,
    readonly signal: AbortSignal | undefined,
    readonly callSite: Error | undefined,
  ) {}

  /** Rejects the call with `error`, given the caller's stack when `captureCallStack` captured one. */
  fail(error: Error): void {
    const site = this.callSite?.stack;
    if (site !== undefined) {
      const nl = site.indexOf('\n');
      error.stack = `${error.name}: ${error.message}${nl === -1 ? '' : site.slice(nl)}`;
    }
    this.reject(error);
  }
}

/** The options the bookkeeping reads; the endpoint's resolved options, not a copy. */
type CallLimits = Pick<SharedEndpointOptions, 'now' | 'callConcurrency' | 'maxQueuedCalls'>;

/** Our calls on one connection, from `call()` until they settle. */
export class OutgoingCalls {
  /** Our calls in flight, by message id. */
  private pending: Map<string, PendingCall> = EMPTY_MAP;
  /** Our calls waiting for a slot; may hold settled (aborted) entries, skipped when dequeued. */
  private queue: Fifo<PendingCall> | undefined = undefined;
  /** Live (unsettled) entries in `queue`. */
  private queued = 0;
  /** Recently timed-out or aborted call ids, with their action. */
  private lateIds: Map<string, string> = EMPTY_MAP;
  private timer: ReturnType<typeof setTimeout> | undefined = undefined;
  /** When `timer` fires; meaningless without a timer. 0 rather than Infinity: a Smi, not a boxed number. */
  private timerDeadline = 0;
  /** The deadline sweep as a timer callback, made when the first call is sent. */
  private fireTimer: (() => void) | undefined = undefined;
  private closed = false;

  /**
   * @param limits - the endpoint's resolved options.
   * @param peerIdentity - named in timeout errors.
   * @param transmit - writes a CALL whose slot is free (its `frame` event, then the transport); may throw.
   */
  constructor(
    private readonly limits: CallLimits,
    private readonly peerIdentity: string | undefined,
    private readonly transmit: (entry: PendingCall) => void,
  ) {}

  /** Calls sent and awaiting an answer. */
  get inFlight(): number {
    return this.pending.size;
  }

  /** Calls waiting for a free slot. */
  get waiting(): number {
    return this.queued;
  }

  /** Whether a new call would be sent at once (a slot is free and nothing waits before it). */
  hasFreeSlot(): boolean {
    return this.pending.size < this.limits.callConcurrency && this.queued === 0;
  }

  /** Whether a new call that cannot be sent at once would find the queue full. */
  queueIsFull(): boolean {
    return this.queued >= this.limits.maxQueuedCalls;
  }

  /** Sends `entry` when `slotFree` (as {@link hasFreeSlot} said before it was made), else queues it. */
  start(entry: PendingCall, slotFree: boolean): void {
    if (entry.signal !== undefined) {
      entry.onAbort = () => this.abort(entry);
      entry.signal.addEventListener('abort', entry.onAbort, { once: true });
    }
    if (slotFree) {
      this.dispatch(entry);
    } else {
      this.queued++;
      (this.queue ??= new Fifo()).push(entry);
    }
  }

  /** The action of the call in flight under `messageId`, if any. */
  actionOf(messageId: string): string | undefined {
    return this.pending.get(messageId)?.action;
  }

  /** The action of a recently timed-out or aborted call, if `messageId` was one. */
  lateAction(messageId: string): string | undefined {
    return this.lateIds.get(messageId);
  }

  /**
   * The call in flight under `messageId`, claimed for settlement by its answer (the caller
   * resolves or rejects it, then calls {@link pump}); undefined when there is none.
   */
  takeAnswered(messageId: string): PendingCall | undefined {
    const entry = this.pending.get(messageId);
    if (entry === undefined || !this.claimSettlement(entry)) return undefined;
    return entry;
  }

  /**
   * Claims the right to settle a call, exactly once: marks it settled, removes its abort
   * listener and frees its slot or queue place. False when another path (answer, deadline,
   * abort, close) claimed it first; the caller must then leave the promise alone.
   */
  claimSettlement(entry: PendingCall): boolean {
    if (entry.settled) return false;
    entry.settled = true;
    if (entry.onAbort !== undefined) {
      entry.signal!.removeEventListener('abort', entry.onAbort);
      entry.onAbort = undefined;
    }
    if (entry.inFlight) {
      if (this.pending.get(entry.messageId) === entry) this.pending.delete(entry.messageId);
    } else {
      this.queued--;
    }
    return true;
  }

  /** Sends queued calls while slots are free. Re-entrant: a synchronous answer may pump from inside `dispatch`. */
  pump(): void {
    while (this.queued > 0 && this.pending.size < this.limits.callConcurrency && !this.closed) {
      const entry = this.queue?.shift();
      if (entry === undefined) break;
      if (entry.settled) continue;
      this.queued--;
      this.dispatch(entry);
    }
  }

  /** Rejects every call with {@link ConnectionClosedError} and stops the sweep; the connection closed. */
  closeAll(code: number, reason: string): void {
    this.closed = true;
    if (this.timer !== undefined) {
      clearTimeout(this.timer);
      this.timer = undefined;
    }
    for (const entry of [...this.pending.values()]) {
      if (!this.claimSettlement(entry)) continue;
      entry.fail(new ConnectionClosedError({ code, reason, action: entry.action, messageId: entry.messageId }));
    }
    for (const entry of this.queue?.drain() ?? []) {
      if (!this.claimSettlement(entry)) continue;
      entry.fail(new ConnectionClosedError({ code, reason, action: entry.action }));
    }
    this.lateIds.clear();
  }

  /** Sends a call whose slot is free and starts its deadline. */
  private dispatch(entry: PendingCall): void {
    entry.inFlight = true;
    if (this.pending.has(entry.messageId)) {
      // Answers are matched by id: a second call under the same id would steal the first's answer.
      this.claimSettlement(entry);
      entry.reject(new Error(`generateId returned ${JSON.stringify(entry.messageId)}, which a pending call already uses`));
      return;
    }
    const deadline = this.limits.now() + entry.timeoutMs;
    entry.deadline = deadline;
    if (this.pending === EMPTY_MAP) this.pending = new Map();
    this.pending.set(entry.messageId, entry);
    if (this.timer === undefined || deadline < this.timerDeadline) this.armTimer(deadline);
    try {
      this.transmit(entry);
    } catch (err) {
      if (this.claimSettlement(entry)) {
        entry.reject(err);
        this.pump();
      }
    }
  }

  private abort(entry: PendingCall): void {
    const wasInFlight = entry.inFlight;
    if (!this.claimSettlement(entry)) return;
    if (wasInFlight) this.rememberLate(entry);
    entry.fail(new AbortError({ action: entry.action, messageId: wasInFlight ? entry.messageId : undefined, cause: entry.signal?.reason }));
    this.pump();
  }

  private rememberLate(entry: PendingCall): void {
    if (this.lateIds === EMPTY_MAP) this.lateIds = new Map();
    this.lateIds.set(entry.messageId, entry.action);
    if (this.lateIds.size > LATE_ID_MEMORY) this.lateIds.delete(this.lateIds.keys().next().value as string);
  }

  // ---------------------------------------------------------------- the deadline sweep

  /**
   * One timer per endpoint, armed for the earliest deadline. Completing a call does not touch
   * it: a fire that finds nothing expired just re-arms for the next deadline, which costs less
   * than clearing and re-arming on every answer.
   */
  private armTimer(deadline: number): void {
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timerDeadline = deadline;
    const timer = setTimeout((this.fireTimer ??= () => this.sweep()), Math.max(0, deadline - this.limits.now()));
    // An idle endpoint must not keep a Node process alive; browsers return a number.
    (timer as { unref?: () => void }).unref?.();
    this.timer = timer;
  }

  /** Rejects the calls whose deadline passed with {@link TimeoutError}, and re-arms for the next one. */
  private sweep(): void {
    this.timer = undefined;
    if (this.closed) return;
    const now = this.limits.now();
    let expired: PendingCall[] | undefined;
    let next = Infinity;
    for (const entry of this.pending.values()) {
      if (entry.deadline <= now) (expired ??= []).push(entry);
      else if (entry.deadline < next) next = entry.deadline;
    }
    if (next !== Infinity) this.armTimer(next);
    if (expired === undefined) return;
    for (const entry of expired) {
      if (!this.claimSettlement(entry)) continue;
      this.rememberLate(entry);
      entry.fail(new TimeoutError({ action: entry.action, messageId: entry.messageId, timeoutMs: entry.timeoutMs, identity: this.peerIdentity }));
    }
    this.pump();
  }
}
