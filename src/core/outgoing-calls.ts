/**
 * Our own CALLs (and 2.1 SENDs) on one connection, from `call()` until they settle: checking and
 * sending them, the calls in flight by message id, the FIFO queue of calls waiting for a slot,
 * the one deadline sweep timer, matching the peer's answers, and the ids of calls that timed out
 * or were aborted (to tell a `late` answer from an `unknown-id` one).
 *
 * An endpoint makes its {@link OutgoingCalls} on its first call: most of a server's endpoints
 * only answer, and pay nothing for it. Per call: one {@link PendingCall}, one promise, one frame
 * string; no timer, AbortController or Error.
 */
import { EMPTY_MAP } from './empty';
import { INTERNAL_ERROR_DESCRIPTION, replyCodeOf } from './error-replies';
import type { RpcErrorCode } from './error-codes';
import { AbortError, ConnectionClosedError, createRpcError, isRpcError, QueueFullError, TimeoutError, ValidationError } from './errors';
import { Fifo } from './fifo';
import { isValidMessageId, serializeRequest, type CallErrorFrame, type CallFrame, type CallResultFrame, type JsonObject, type SendFrame } from './frames';
import { notify, reportValidation, type EndpointEmitter } from './notify';
import { describeValue, integerOptionProblem, TIMEOUT_MS_RANGE, type SharedEndpointOptions } from './options';
import type { Transport } from './transport';

/**
 * Per-call options of {@link RpcEndpoint.call}.
 *
 * @typeParam Res - the response type of the action called, for `accept`.
 */
export interface CallOptions<Res = unknown> {
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
  /**
   * Checks a response that passed validation before the call resolves with it. Return to accept
   * it; throw to refuse it, and the call rejects with what was thrown. On OCPP 2.1 the peer is
   * also told (use case I08, e.g. a tariff the charger cannot apply): a CALLRESULTERROR goes
   * back under the response's id, carrying the code and description of a thrown
   * {@link RpcError} (`new NotSupportedError({ description: 'tariff has too many periods' })`),
   * or `InternalError` with a generic description for anything else (its message stays local).
   * On 1.6 and 2.0.1 nothing can tell the peer, so only the call rejects.
   *
   * @example
   * ```ts
   * await cp.call('Authorize', request, {
   *   accept: (result) => {
   *     if (result.tariff !== undefined && !canApply(result.tariff)) throw new NotSupportedError({ description: 'tariff cannot be applied' });
   *   },
   * });
   * ```
   */
  accept?: (response: Res) => void;
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
    readonly accept: ((response: unknown) => void) | undefined,
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

/** The endpoint options our calls read (the endpoint's own resolved object, not a copy). */
type CallingOptions = Pick<
  SharedEndpointOptions,
  'rules' | 'validator' | 'callTimeoutMs' | 'callConcurrency' | 'maxQueuedCalls' | 'generateId' | 'now' | 'captureCallStack'
>;

/** What {@link OutgoingCalls} needs of its endpoint besides the transport and the events. */
export interface CallHost {
  /** Answers the peer's invalid or refused CALLRESULT with a CALLRESULTERROR (2.1 only). */
  rejectResult(messageId: string, code: RpcErrorCode, detail: string): void;
  /** An answer matched no call in flight; `lateAction` is set when it answered one that timed out or was aborted. */
  dropResponse(frame: CallResultFrame | CallErrorFrame, lateAction: string | undefined): void;
}

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
   * @param options - the endpoint's resolved options (shared, not copied).
   * @param peerIdentity - named in timeout errors.
   * @param transport - where our CALLs and SENDs go.
   * @param events - the endpoint, whose `frame` and `validationFailed` events these are.
   * @param host - the rest of the endpoint.
   */
  constructor(
    private readonly options: CallingOptions,
    private readonly peerIdentity: string | undefined,
    private readonly transport: Transport,
    private readonly events: EndpointEmitter,
    private readonly host: CallHost,
  ) {}

  /** {@link RpcEndpoint.call} on an open endpoint. */
  call(action: string, payload: unknown, callOptions: CallOptions | undefined): Promise<unknown> {
    const options = this.options;
    let timeoutMs = options.callTimeoutMs;
    let validate = true;
    let signal: AbortSignal | undefined;
    let accept: ((response: unknown) => void) | undefined;
    if (callOptions !== undefined) {
      if (callOptions.timeoutMs !== undefined) {
        const problem = integerOptionProblem('timeoutMs', callOptions.timeoutMs, TIMEOUT_MS_RANGE);
        if (problem !== undefined) return Promise.reject(new TypeError(problem));
        timeoutMs = callOptions.timeoutMs;
      }
      if (callOptions.validate !== undefined) {
        if (typeof callOptions.validate !== 'boolean')
          return Promise.reject(new TypeError(`validate must be a boolean, got ${describeValue(callOptions.validate)}`));
        validate = callOptions.validate;
      }
      if (callOptions.signal !== undefined) {
        signal = callOptions.signal;
        if (typeof signal?.addEventListener !== 'function') return Promise.reject(new TypeError(`signal must be an AbortSignal, got ${describeValue(signal)}`));
      }
      if (callOptions.accept !== undefined) {
        if (typeof callOptions.accept !== 'function')
          return Promise.reject(new TypeError(`accept must be a function, got ${describeValue(callOptions.accept)}`));
        accept = callOptions.accept;
      }
    }
    if (typeof action !== 'string' || action.length === 0) {
      return Promise.reject(new TypeError(`action must be a non-empty string, got ${describeValue(action)}`));
    }
    if (options.rules.isSendAction?.(action) === true) {
      return Promise.reject(new TypeError(`${action} travels as a SEND in ${options.rules.protocol} and has no response: use send(), not call()`));
    }
    if (validate && options.validator !== undefined) {
      const issue = options.validator.validate(action, 'request', 'outbound', payload);
      if (issue !== undefined) {
        reportValidation(this.events, 'outbound', 'request', action, undefined, issue);
        if (issue.enforced) {
          return Promise.reject(new ValidationError({ direction: 'outbound', kind: 'request', action, code: issue.code, detail: issue.detail }));
        }
      }
    }
    if (signal?.aborted) return Promise.reject(new AbortError({ action, cause: signal.reason }));
    const slotFree = this.pending.size < options.callConcurrency && this.queued === 0;
    if (!slotFree && this.queued >= options.maxQueuedCalls) {
      return Promise.reject(new QueueFullError({ limit: options.maxQueuedCalls, action }));
    }

    let messageId: string;
    let text: string;
    try {
      messageId = options.generateId();
      if (!isValidMessageId(messageId)) throw new TypeError(`generateId must return a string of 1..36 characters, got ${describeValue(messageId)}`);
      text = serializeRequest(2, messageId, action, payload);
    } catch (err) {
      // eslint-disable-next-line @typescript-eslint/prefer-promise-reject-errors -- the caller gets what generateId or serializing the payload threw, unchanged
      return Promise.reject(err);
    }

    const entry = new PendingCall(
      messageId,
      action,
      payload,
      text,
      timeoutMs,
      validate,
      signal,
      options.captureCallStack ? new Error('call site') : undefined,
      accept,
    );
    const promise = new Promise<unknown>((resolve, reject) => {
      entry.resolve = resolve;
      entry.reject = reject;
    });
    if (signal !== undefined) {
      entry.onAbort = () => this.abort(entry);
      signal.addEventListener('abort', entry.onAbort, { once: true });
    }
    if (slotFree) {
      this.dispatch(entry);
    } else {
      this.queued++;
      (this.queue ??= new Fifo()).push(entry);
    }
    return promise;
  }

  /** {@link RpcEndpoint.send} on an open endpoint of a version with SEND. */
  send(action: string, payload: unknown): string {
    if (typeof action !== 'string' || action.length === 0) throw new TypeError(`action must be a non-empty string, got ${describeValue(action)}`);
    const rules = this.options.rules;
    if (!rules.isKnownAction(action)) throw new TypeError(`send: ${JSON.stringify(action)} is not an action of ${rules.protocol}`);
    if (rules.isSendAction?.(action) === false) throw new TypeError(`send: ${action} travels as a CALL in ${rules.protocol}, never as a SEND: use call()`);
    const validator = this.options.validator;
    if (validator !== undefined) {
      const issue = validator.validate(action, 'request', 'outbound', payload);
      if (issue !== undefined) {
        reportValidation(this.events, 'outbound', 'request', action, undefined, issue);
        if (issue.enforced) throw new ValidationError({ direction: 'outbound', kind: 'request', action, code: issue.code, detail: issue.detail });
      }
    }
    const messageId = this.options.generateId();
    if (!isValidMessageId(messageId)) throw new TypeError(`generateId must return a string of 1..36 characters, got ${describeValue(messageId)}`);
    const text = serializeRequest(6, messageId, action, payload);
    if (this.events.listenerCount('frame') !== 0) {
      const frame: SendFrame = { type: 6, messageId, action, payload: (payload ?? {}) as JsonObject };
      notify(this.events, 'frame', { direction: 'outbound', text, frame, messageId, action });
    }
    this.transport.send(text);
    return messageId;
  }

  /** Settles the call a CALLRESULT or CALLERROR answers, after validating a result; drops an answer that matches none. */
  onAnswer(frame: CallResultFrame | CallErrorFrame): void {
    const entry = this.pending.get(frame.messageId);
    if (entry === undefined || !this.claimSettlement(entry)) {
      this.host.dropResponse(frame, this.lateIds.get(frame.messageId));
      return;
    }
    if (frame.type === 3) {
      const validator = this.options.validator;
      const issue = entry.validate && validator !== undefined ? validator.validate(entry.action, 'response', 'inbound', frame.payload) : undefined;
      if (issue !== undefined) reportValidation(this.events, 'inbound', 'response', entry.action, frame.messageId, issue);
      if (issue?.enforced === true) {
        entry.fail(
          new ValidationError({
            direction: 'inbound',
            kind: 'response',
            action: entry.action,
            code: issue.code,
            detail: issue.detail,
            messageId: frame.messageId,
          }),
        );
        if (this.options.rules.hasSendAndCallResultError) this.host.rejectResult(frame.messageId, issue.code, issue.detail);
      } else if (entry.accept === undefined) {
        entry.resolve(frame.payload);
      } else {
        this.acceptOrRefuse(entry, frame.payload);
      }
    } else {
      const code = this.options.rules.fromWireCode(frame.errorCode);
      entry.fail(createRpcError(code, { description: frame.errorDescription, details: frame.errorDetails, messageId: frame.messageId, action: entry.action }));
    }
    this.pump();
  }

  /** Runs the call's `accept` check on a valid result: resolves with it, or rejects and (2.1) tells the peer. */
  private acceptOrRefuse(entry: PendingCall, payload: unknown): void {
    try {
      entry.accept!(payload);
    } catch (error) {
      if (this.options.rules.hasSendAndCallResultError) {
        // An RpcError's own code and text; anything else a generic InternalError, never its message.
        if (isRpcError(error)) this.host.rejectResult(entry.messageId, replyCodeOf(error, this.options.rules), error.description);
        else this.host.rejectResult(entry.messageId, 'InternalError', INTERNAL_ERROR_DESCRIPTION);
      }
      entry.reject(error);
      return;
    }
    entry.resolve(payload);
  }

  /** A CALLRESULT (3) or CALLERROR (4) that does not parse but names a call in flight fails that call now, not at its timeout. */
  onBrokenAnswer(type: 3 | 4, messageId: string, detail: string): void {
    const entry = this.pending.get(messageId);
    if (entry === undefined || !this.claimSettlement(entry)) return;
    const code = this.options.rules.framingErrorCode;
    entry.fail(new ValidationError({ direction: 'inbound', kind: 'response', action: entry.action, code, detail, messageId }));
    if (type === 3 && this.options.rules.hasSendAndCallResultError) this.host.rejectResult(messageId, code, detail);
    this.pump();
  }

  /** Calls sent and awaiting an answer. */
  get inFlight(): number {
    return this.pending.size;
  }

  /** Calls waiting for a free slot. */
  get waiting(): number {
    return this.queued;
  }

  /** The action of the call in flight under `messageId`, if any. */
  actionOf(messageId: string): string | undefined {
    return this.pending.get(messageId)?.action;
  }

  /**
   * Claims the right to settle a call, exactly once: marks it settled, removes its abort
   * listener and frees its slot or queue place. False when another path (answer, deadline,
   * abort, close) claimed it first; the caller must then leave the promise alone.
   */
  private claimSettlement(entry: PendingCall): boolean {
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
  private pump(): void {
    while (this.queued > 0 && this.pending.size < this.options.callConcurrency && !this.closed) {
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
    const deadline = this.options.now() + entry.timeoutMs;
    entry.deadline = deadline;
    if (this.pending === EMPTY_MAP) this.pending = new Map();
    this.pending.set(entry.messageId, entry);
    if (this.timer === undefined || deadline < this.timerDeadline) this.armTimer(deadline);
    if (this.events.listenerCount('frame') !== 0) {
      const frame: CallFrame = { type: 2, messageId: entry.messageId, action: entry.action, payload: (entry.payload ?? {}) as JsonObject };
      notify(this.events, 'frame', { direction: 'outbound', text: entry.text, frame, messageId: entry.messageId, action: entry.action });
    }
    try {
      this.transport.send(entry.text);
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
    const timer = setTimeout((this.fireTimer ??= () => this.sweep()), Math.max(0, deadline - this.options.now()));
    // An idle endpoint must not keep a Node process alive; browsers return a number.
    (timer as { unref?: () => void }).unref?.();
    this.timer = timer;
  }

  /** Rejects the calls whose deadline passed with {@link TimeoutError}, and re-arms for the next one. */
  private sweep(): void {
    this.timer = undefined;
    if (this.closed) return;
    const now = this.options.now();
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
