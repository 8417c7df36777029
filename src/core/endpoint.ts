/**
 * {@link RpcEndpoint}: one OCPP-J connection's RPC state machine, between a {@link Transport}
 * and user handlers. It knows no OCPP version; everything version-specific comes from the
 * injected {@link ProtocolRules} and {@link PayloadValidator}.
 *
 * Hot-path budget, per call: one PendingCall record, one promise, one frame string. No timer
 * (one deadline sweep per endpoint does all timeouts), no AbortController, no Error object, no
 * event object unless someone listens. Per inbound CALL: one parsed frame, one context object.
 */
import { EventEmitter } from 'eventemitter3';
import { ConnectionSignal, InboundContext, type Handler, type HandlerContext } from './context';
import type { RpcErrorCode } from './error-codes';
import {
  AbortError,
  ConnectionClosedError,
  createRpcError,
  isRpcErrorCode,
  QueueFullError,
  RpcError,
  TimeoutError,
  ValidationError,
} from './errors';
import type { HandlerErrorEvent, RpcEndpointEvents } from './events';
import { Fifo } from './fifo';
import { isThenable } from './guards';
import {
  isValidMessageId,
  parseFrame,
  serializeError,
  serializeRequest,
  serializeResult,
  type CallErrorFrame,
  type CallFrame,
  type CallResultErrorFrame,
  type CallResultFrame,
  type Frame,
  type FramingError,
  type JsonObject,
  type SendFrame,
} from './frames';
import {
  checkTimeoutMs,
  combineOptions,
  describeValue,
  resolveOptions,
  SHARED_OPTIONS,
  type OptionsWithShared,
  type ResolvedRpcEndpointOptions,
  type RpcEndpointOptions,
  type SharedEndpointOptions,
} from './options';
import type { ProtocolRules } from './protocol-rules';
import type { Transport, TransportSink } from './transport';
import type { Direction, PayloadKind, PayloadValidator, ValidationIssue } from './validator';

export {
  DEFAULT_BAD_MESSAGE_WINDOW_MS,
  DEFAULT_CALL_CONCURRENCY,
  DEFAULT_CALL_TIMEOUT_MS,
  DEFAULT_MAX_BAD_MESSAGES,
  DEFAULT_MAX_INBOUND_CALLS,
  DEFAULT_MAX_QUEUED_CALLS,
} from './options';
export type { ResolvedRpcEndpointOptions, RpcEndpointOptions } from './options';
export type { Handler, HandlerContext } from './context';
export type * from './events';

/** Request and response payload types of one action. */
export interface ActionShape {
  /** Payload of the request (CALL). */
  request: unknown;
  /** Payload of the response (CALLRESULT). */
  response: unknown;
}

/** Action name to payload types: the actions one side may call, or may handle. */
export type ActionShapes = Record<string, ActionShape>;

/**
 * The constraint on an endpoint's action maps. Mapped over the map's own keys (rather than
 * `ActionShapes` itself) so that interfaces, which have no index signature, qualify too.
 */
export type ActionShapesOf<T> = { [K in keyof T]: ActionShape };

/** Per-call options of {@link RpcEndpoint.call}. */
export interface CallOptions {
  /** Overrides `callTimeoutMs` for this call. */
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

/** What the description of a CALLERROR for a failed handler says; the real error stays local. */
export const INTERNAL_ERROR_DESCRIPTION = 'An internal error occurred';

/** How many timed-out or aborted call ids are remembered, to tell `late` from `unknown-id`. */
const LATE_ID_MEMORY = 64;

/** After the peer passed a limit, how long CALLs already accepted may take to be answered before the close. */
const DRAIN_TIMEOUT_MS = 5000;

/** Close code and reasons for a peer that passed a limit. */
const LIMIT_CLOSE_CODE = 1008;
const TOO_MANY_CALLS = 'too many concurrent CALLs';
const TOO_MANY_BAD = 'too many invalid messages';

/**
 * Stand-ins, shared by every endpoint, for collections an endpoint has not needed yet: a server
 * holds thousands of mostly idle endpoints, and an empty Map or Set costs some 150 bytes. They
 * are never written: each `set`/`add` below first swaps in the endpoint's own collection
 * (`delete` and `clear` on an empty collection change nothing).
 */
const EMPTY_MAP: Map<never, never> = new Map<never, never>();
const EMPTY_SET: Set<never> = new Set<never>();

const NO_KEYS: readonly string[] = Object.freeze([]);
let lastContextKeys: readonly string[] = NO_KEYS;

/** The keys of a `context` option; endpoints whose contexts have the same keys share one array. */
function contextKeysOf(context: object): readonly string[] {
  const keys = Object.keys(context);
  const last = lastContextKeys;
  if (keys.length === last.length && keys.every((key, i) => key === last[i])) return last;
  return (lastContextKeys = Object.freeze(keys));
}

/** One of our calls, queued or in flight. */
class PendingCall {
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
}

/**
 * `instanceof RpcError` for whatever a handler threw: a hostile value (a Proxy whose traps
 * throw) is just "not an RpcError", instead of an exception that would leave the CALL unanswered.
 */
function isRpcError(value: unknown): value is RpcError {
  try {
    return value instanceof RpcError;
  } catch {
    return false;
  }
}

/** Reports an exception that has no caller to go to, the way a browser reports one from an event listener. */
function reportLater(error: unknown): void {
  queueMicrotask(() => {
    throw error;
  });
}

/** Cuts a description to `max` code points without splitting a surrogate pair. */
function cutDescription(text: string, max: number | undefined): string {
  if (max === undefined || text.length <= max) return text;
  let points = 0;
  for (let i = 0; i < text.length; i++) {
    if (points === max) return text.slice(0, i);
    const c = text.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff && i + 1 < text.length) {
      const d = text.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) i++;
    }
    points++;
  }
  return text;
}

/** Names an action in a description without echoing an absurdly long one back. */
function quoteAction(action: string): string {
  return action.length <= 64 ? action : action.slice(0, 64) + '…';
}

/**
 * The RPC endpoint of one OCPP-J connection: sends our CALLs and settles them, answers the
 * peer's CALLs through handlers, and enforces the framing rules of the injected version.
 *
 * @typeParam Out - actions we may call: `{ [action]: { request; response } }`.
 * @typeParam In - actions we may handle.
 * @typeParam Ctx - extra fields on every handler context (the `context` option).
 *
 * @example
 * ```ts
 * const endpoint = new RpcEndpoint<CsmsToStation, StationToCsms>({ transport, rules, validator, identity: 'CP001' });
 * endpoint.handle('Heartbeat', () => ({ currentTime: new Date().toISOString() }));
 * const status = await endpoint.call('Reset', { type: 'Immediate' });
 * endpoint.close();
 * ```
 */
export class RpcEndpoint<
  Out extends ActionShapesOf<Out> = ActionShapes,
  In extends ActionShapesOf<In> = ActionShapes,
  Ctx extends object = Record<never, never>,
> extends EventEmitter<RpcEndpointEvents> {
  /**
   * The options shared with other endpoints (a server resolves them once per version) or, for
   * an endpoint built from plain options, all of them.
   */
  private readonly shared: SharedEndpointOptions<Ctx>;
  /** {@link options}, made when first asked for. */
  private view: ResolvedRpcEndpointOptions<Ctx> | undefined;
  private readonly transport: Transport;
  private readonly peerIdentity: string | undefined;
  private readonly peerContext: Ctx | undefined;
  private readonly inboundGate: ((action: string) => RpcErrorCode | undefined) | undefined;
  private handlers: Map<string, Handler<unknown, unknown, HandlerContext & Ctx>> = EMPTY_MAP;
  private readonly connectionSignal = new ConnectionSignal();
  private readonly contextKeys: readonly string[];

  /** Our calls in flight, by message id. */
  private pending: Map<string, PendingCall> = EMPTY_MAP;
  /** Our calls waiting for a slot; may hold settled (aborted) entries, skipped when dequeued. */
  private queue: Fifo<PendingCall> | undefined = undefined;
  /** Live (unsettled) entries in `queue`. */
  private queued = 0;
  /** Ids of the peer's CALLs whose handler has not answered yet. */
  private handlingOne: string | undefined = undefined;
  /** More of them, beyond `handlingOne` (rare: a peer that obeys OCPP has one CALL outstanding). */
  private handlingMore: Set<string> = EMPTY_SET;
  /** Recently timed-out or aborted call ids, with their action. */
  private lateIds: Map<string, string> = EMPTY_MAP;

  private timer: ReturnType<typeof setTimeout> | undefined = undefined;
  /** When `timer` fires; meaningless without a timer. 0 rather than Infinity: a Smi, not a boxed number per idle endpoint. */
  private timerDeadline = 0;
  /** The deadline sweep as a timer callback, made when the first call is sent. */
  private fireTimer: (() => void) | undefined = undefined;
  private closedWith: { readonly code: number; readonly reason: string } | undefined = undefined;
  /** Set when the peer passed a limit: input is ignored while accepted CALLs are answered, then we close. */
  private draining: { readonly code: number; readonly reason: string } | undefined = undefined;
  private drainTimer: ReturnType<typeof setTimeout> | undefined = undefined;
  /** Times of the peer's recent bad messages: a ring of at most `maxBadMessages`, grown on demand. */
  private badTimes: number[] | undefined = undefined;
  /** Next slot of `badTimes` to write; once the ring is full, also its oldest entry. */
  private badNext = 0;

  /**
   * @throws TypeError naming the option when an option is invalid.
   */
  constructor(options: RpcEndpointOptions<Ctx>) {
    super();
    const shared = (options as Partial<OptionsWithShared<Ctx>> | null | undefined)?.[SHARED_OPTIONS];
    if (shared !== undefined) {
      // Built by a server from options it resolved and checked once (withSharedOptions).
      this.shared = shared;
      this.view = undefined;
    } else {
      const resolved = resolveOptions(options);
      this.shared = resolved;
      this.view = resolved;
    }
    this.transport = options.transport;
    this.peerIdentity = options.identity;
    this.peerContext = options.context;
    this.inboundGate = options.inboundGate;
    this.contextKeys = options.context === undefined ? NO_KEYS : contextKeysOf(options.context);
    this.transport.setSink(new RpcEndpoint.Sink(this as unknown as RpcEndpoint));
  }

  /** The options after defaults were applied; frozen. */
  get options(): ResolvedRpcEndpointOptions<Ctx> {
    return (this.view ??= combineOptions(this.shared, { transport: this.transport, identity: this.peerIdentity, context: this.peerContext, inboundGate: this.inboundGate }));
  }

  /** What the transport calls: one small object per endpoint rather than two closures. */
  private static readonly Sink = class implements TransportSink {
    constructor(private readonly endpoint: RpcEndpoint) {}
    message(data: string): void {
      this.endpoint.receive(data);
    }
    close(code: number, reason: string): void {
      this.endpoint.teardown(code, reason);
    }
    error(error: Error): void {
      this.endpoint.transportError(error);
    }
  };

  /**
   * Called with a socket-level error the transport reports (a close follows). Does nothing here;
   * a subclass that knows where such errors go (a server's `error` event) overrides it.
   */
  protected transportError(error: Error): void {
    void error;
  }

  /**
   * Called whenever one of our handlers failed: it threw or rejected with anything but an
   * {@link RpcError}, or its answer broke the schema and the peer got `InternalError` instead.
   * Runs whether or not anyone listens for `handlerError`, so that a subclass can make such
   * failures visible on its own (a server's log and its own event). Does nothing here.
   */
  protected handlerFailed(event: HandlerErrorEvent): void {
    void event;
  }

  /**
   * Called once when the endpoint closes, after pending calls were rejected and before the
   * `close` event. Does nothing here; for subclasses that must clean up before any listener runs.
   */
  protected onTeardown(code: number, reason: string): void {
    void code;
    void reason;
  }

  /** True once the endpoint is closed (by `close()` or by the transport). */
  get closed(): boolean {
    return this.closedWith !== undefined;
  }

  /** Our calls sent and awaiting an answer. */
  get pendingCalls(): number {
    return this.pending.size;
  }

  /** Our calls waiting for a free slot. */
  get queuedCalls(): number {
    return this.queued;
  }

  // ---------------------------------------------------------------- outbound calls

  /**
   * Calls `action` on the peer and resolves with its response.
   *
   * Settles exactly once, with: the response; the peer's CALLERROR as the {@link RpcError}
   * subclass for its code; {@link TimeoutError}; {@link ConnectionClosedError};
   * {@link AbortError}; {@link QueueFullError}; or {@link ValidationError} (our request is
   * invalid: nothing is sent; or the peer's response is invalid). Invalid arguments reject with
   * a `TypeError`. The request is validated and serialized now, so later changes to `payload`
   * do not affect what is sent.
   *
   * @example
   * ```ts
   * const res = await endpoint.call('GetVariables', { getVariableData: [...] }, { timeoutMs: 10_000 });
   * ```
   */
  call<A extends keyof Out & string>(action: A, payload: Out[A]['request'], options?: CallOptions): Promise<Out[A]['response']> {
    if (this.closedWith !== undefined) {
      return Promise.reject(new ConnectionClosedError({ code: this.closedWith.code, reason: this.closedWith.reason, action }));
    }
    let timeoutMs = this.shared.callTimeoutMs;
    let validate = true;
    let signal: AbortSignal | undefined;
    if (options !== undefined) {
      if (options.timeoutMs !== undefined) {
        const problem = checkTimeoutMs('timeoutMs', options.timeoutMs);
        if (problem !== undefined) return Promise.reject(new TypeError(problem));
        timeoutMs = options.timeoutMs;
      }
      if (options.validate !== undefined) {
        if (typeof options.validate !== 'boolean') return Promise.reject(new TypeError(`validate must be a boolean, got ${describeValue(options.validate)}`));
        validate = options.validate;
      }
      if (options.signal !== undefined) {
        signal = options.signal;
        if (typeof signal?.addEventListener !== 'function') return Promise.reject(new TypeError(`signal must be an AbortSignal, got ${describeValue(signal)}`));
      }
    }
    if (typeof action !== 'string' || action.length === 0) {
      return Promise.reject(new TypeError(`action must be a non-empty string, got ${describeValue(action)}`));
    }

    if (validate && this.shared.validator !== undefined) {
      const issue = this.shared.validator.validate(action, 'request', 'outbound', payload);
      if (issue !== undefined) {
        this.reportValidation('outbound', 'request', action, undefined, issue);
        if (issue.enforced) {
          return Promise.reject(new ValidationError({ direction: 'outbound', kind: 'request', action, code: issue.code, detail: issue.detail }));
        }
      }
    }
    if (signal?.aborted) return Promise.reject(new AbortError({ action, cause: signal.reason }));
    const slotFree = this.pending.size < this.shared.callConcurrency && this.queued === 0;
    if (!slotFree && this.queued >= this.shared.maxQueuedCalls) {
      return Promise.reject(new QueueFullError({ limit: this.shared.maxQueuedCalls, action }));
    }

    let messageId: string;
    let text: string;
    try {
      messageId = this.shared.generateId();
      if (!isValidMessageId(messageId)) throw new TypeError(`generateId must return a string of 1..36 characters, got ${describeValue(messageId)}`);
      text = serializeRequest(2, messageId, action, payload);
    } catch (err) {
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
      this.shared.captureCallStack ? new Error('call site') : undefined,
    );
    const promise = new Promise<Out[A]['response']>((resolve, reject) => {
      entry.resolve = resolve as (value: unknown) => void;
      entry.reject = reject;
    });
    if (signal !== undefined) {
      entry.onAbort = () => this.abortCall(entry);
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

  /**
   * Sends a SEND frame (OCPP 2.1): a request the peer never answers, allowed while a CALL is
   * pending. Validated like a CALL's request. Returns the message id.
   *
   * @throws Error when the negotiated version has no SEND; {@link ConnectionClosedError} when
   * closed; {@link ValidationError} when the payload is invalid (nothing is sent).
   */
  send<A extends keyof Out & string>(action: A, payload: Out[A]['request']): string {
    if (!this.shared.rules.hasSendAndCallResultError) throw new Error(`SEND frames do not exist in ${this.shared.rules.protocol}; use call()`);
    if (this.closedWith !== undefined) throw new ConnectionClosedError({ code: this.closedWith.code, reason: this.closedWith.reason, action });
    if (typeof action !== 'string' || action.length === 0) throw new TypeError(`action must be a non-empty string, got ${describeValue(action)}`);
    if (this.shared.validator !== undefined) {
      const issue = this.shared.validator.validate(action, 'request', 'outbound', payload);
      if (issue !== undefined) {
        this.reportValidation('outbound', 'request', action, undefined, issue);
        if (issue.enforced) throw new ValidationError({ direction: 'outbound', kind: 'request', action, code: issue.code, detail: issue.detail });
      }
    }
    const messageId = this.shared.generateId();
    if (!isValidMessageId(messageId)) throw new TypeError(`generateId must return a string of 1..36 characters, got ${describeValue(messageId)}`);
    const text = serializeRequest(6, messageId, action, payload);
    if (this.listenerCount('frame') !== 0) {
      const frame: SendFrame = { type: 6, messageId, action, payload: (payload ?? {}) as JsonObject };
      this.notify('frame', { direction: 'out', text, frame, messageId, action });
    }
    this.transport.send(text);
    return messageId;
  }

  /** Sends a call whose slot is free and starts its deadline. */
  private dispatch(entry: PendingCall): void {
    entry.inFlight = true;
    if (this.pending.has(entry.messageId)) {
      // Answers are matched by id: a second call under the same id would steal the first's answer.
      this.finish(entry);
      entry.reject(new Error(`generateId returned ${JSON.stringify(entry.messageId)}, which a pending call already uses`));
      return;
    }
    const deadline = this.shared.now() + entry.timeoutMs;
    entry.deadline = deadline;
    if (this.pending === EMPTY_MAP) this.pending = new Map();
    this.pending.set(entry.messageId, entry);
    if (this.timer === undefined || deadline < this.timerDeadline) this.armTimer(deadline);
    if (this.listenerCount('frame') !== 0) {
      const frame: CallFrame = { type: 2, messageId: entry.messageId, action: entry.action, payload: (entry.payload ?? {}) as JsonObject };
      this.notify('frame', { direction: 'out', text: entry.text, frame, messageId: entry.messageId, action: entry.action });
    }
    try {
      this.transport.send(entry.text);
    } catch (err) {
      if (this.finish(entry)) {
        entry.reject(err);
        this.pump();
      }
    }
  }

  /** Marks a call settled and frees its slot or queue place. False when it was settled already. */
  private finish(entry: PendingCall): boolean {
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
    while (this.queued > 0 && this.pending.size < this.shared.callConcurrency && this.closedWith === undefined) {
      const entry = this.queue?.shift();
      if (entry === undefined) break;
      if (entry.settled) continue;
      this.queued--;
      this.dispatch(entry);
    }
  }

  /** Gives the error the caller's stack when `captureCallStack` is on. */
  private decorate<E extends Error>(error: E, entry: PendingCall): E {
    const site = entry.callSite?.stack;
    if (site !== undefined) {
      const nl = site.indexOf('\n');
      error.stack = `${error.name}: ${error.message}${nl === -1 ? '' : site.slice(nl)}`;
    }
    return error;
  }

  private abortCall(entry: PendingCall): void {
    const wasInFlight = entry.inFlight;
    if (!this.finish(entry)) return;
    if (wasInFlight) this.rememberLate(entry);
    entry.reject(
      this.decorate(new AbortError({ action: entry.action, messageId: wasInFlight ? entry.messageId : undefined, cause: entry.signal?.reason }), entry),
    );
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
    const timer = setTimeout((this.fireTimer ??= () => this.onTimer()), Math.max(0, deadline - this.shared.now()));
    // An idle endpoint must not keep a Node process alive; browsers return a number.
    (timer as { unref?: () => void }).unref?.();
    this.timer = timer;
  }

  private onTimer(): void {
    this.timer = undefined;
    if (this.closedWith !== undefined) return;
    const now = this.shared.now();
    let expired: PendingCall[] | undefined;
    let next = Infinity;
    for (const entry of this.pending.values()) {
      if (entry.deadline <= now) (expired ??= []).push(entry);
      else if (entry.deadline < next) next = entry.deadline;
    }
    if (next !== Infinity) this.armTimer(next);
    if (expired === undefined) return;
    for (const entry of expired) {
      if (!this.finish(entry)) continue;
      this.rememberLate(entry);
      entry.reject(
        this.decorate(new TimeoutError({ action: entry.action, messageId: entry.messageId, timeoutMs: entry.timeoutMs, identity: this.peerIdentity }), entry),
      );
    }
    this.pump();
  }

  // ---------------------------------------------------------------- handlers

  /**
   * Registers the handler for an inbound action, replacing any previous one. The handler gets
   * the request (validated, when a validator is set) and a {@link HandlerContext}; its return
   * value is the response. A handler that returns a plain value is answered synchronously.
   *
   * @example
   * ```ts
   * endpoint.handle('BootNotification', (req, ctx) => ({ status: 'Accepted', currentTime: new Date().toISOString(), interval: 300 }));
   * ```
   */
  handle<A extends keyof In & string>(action: A, handler: Handler<In[A]['request'], In[A]['response'], HandlerContext & Ctx>): this {
    if (typeof action !== 'string' || action.length === 0) throw new TypeError(`action must be a non-empty string, got ${describeValue(action)}`);
    if (typeof handler !== 'function') throw new TypeError(`handler must be a function, got ${describeValue(handler)}`);
    if (this.handlers === EMPTY_MAP) this.handlers = new Map();
    this.handlers.set(action, handler as Handler<unknown, unknown, HandlerContext & Ctx>);
    return this;
  }

  /** Removes the handler of `action`; returns whether there was one. */
  removeHandler(action: keyof In & string): boolean {
    return this.handlers.delete(action);
  }

  private handlerFor(action: string): Handler<unknown, unknown, HandlerContext & Ctx> | undefined {
    return this.handlers.get(action) ?? this.shared.fallbackHandler?.(action);
  }

  private context(messageId: string, action: string): HandlerContext & Ctx {
    return new InboundContext(
      this.connectionSignal,
      messageId,
      action,
      this.shared.rules.protocol,
      this.peerIdentity,
      this.peerContext as Record<string, unknown> | undefined,
      this.contextKeys,
    ) as unknown as HandlerContext & Ctx;
  }

  // ---------------------------------------------------------------- inbound frames

  private receive(text: string): void {
    if (this.closedWith !== undefined || this.draining !== undefined) return;
    const result = parseFrame(text);
    if (!result.ok) {
      this.onBadFrame(text, result.error);
      return;
    }
    const frame = result.frame;
    if ((frame.type === 5 || frame.type === 6) && !this.shared.rules.hasSendAndCallResultError) {
      this.onBadFrame(text, {
        kind: 'unknown-message-type',
        messageType: frame.type,
        messageId: frame.messageId,
        detail: `message type id ${frame.type} does not exist in ${this.shared.rules.protocol}`,
      });
      return;
    }
    if (this.listenerCount('frame') !== 0) this.emitFrameIn(text, frame);
    switch (frame.type) {
      case 2:
        this.onCall(frame);
        break;
      case 3:
      case 4:
        this.onResponse(frame);
        break;
      case 5:
        this.onCallResultError(frame);
        break;
      case 6:
        this.onSend(frame);
        break;
    }
  }

  private emitFrameIn(text: string, frame: Frame): void {
    const action = frame.type === 2 || frame.type === 6 ? frame.action : frame.type === 5 ? undefined : this.pending.get(frame.messageId)?.action;
    this.notify('frame', { direction: 'in', text, frame, messageId: frame.messageId, action });
  }

  private onBadFrame(text: string, error: FramingError): void {
    const type = error.messageType;
    let replyId: string | undefined;
    let replyCode: RpcErrorCode = this.shared.rules.framingErrorCode;
    // Types 5 and 6 do not exist before 2.1: their shape is then as unknown as their meaning.
    if (error.kind === 'unknown-message-type' || ((type === 5 || type === 6) && !this.shared.rules.hasSendAndCallResultError)) {
      if (this.shared.rules.replyToUnknownMessageType) {
        replyId = error.messageId ?? (this.shared.rules.unreadableIdReply ? '-1' : undefined);
        replyCode = 'MessageTypeNotSupported';
      }
    } else if (type === 3 || type === 4) {
      // Never answer an answer (item 15); but a call it clearly belongs to fails now, not at its timeout.
      if (error.messageId !== undefined) this.failOnBrokenResponse(type, error.messageId, error.detail);
    } else if (type === 5 || type === 6) {
      // A CALLRESULTERROR is an answer, and a SEND is never answered, even when broken.
    } else {
      replyId = error.messageId ?? (this.shared.rules.unreadableIdReply ? '-1' : undefined);
    }
    if (this.listenerCount('badFrame') !== 0) {
      this.notify('badFrame', { direction: 'in', text, error, messageId: error.messageId, replied: replyId !== undefined });
    }
    if (replyId !== undefined) this.replyError(replyId, undefined, replyCode, error.detail, undefined);
    this.noteBadMessage();
  }

  private failOnBrokenResponse(type: 3 | 4, messageId: string, detail: string): void {
    const entry = this.pending.get(messageId);
    if (entry === undefined || !this.finish(entry)) return;
    const code = this.shared.rules.framingErrorCode;
    entry.reject(this.decorate(new ValidationError({ direction: 'inbound', kind: 'response', action: entry.action, code, detail, messageId }), entry));
    if (type === 3 && this.shared.rules.hasSendAndCallResultError) this.sendResultError(messageId, code, detail);
    this.pump();
  }

  private onResponse(frame: CallResultFrame | CallErrorFrame): void {
    const entry = this.pending.get(frame.messageId);
    if (entry === undefined) {
      this.dropResponse(frame);
      return;
    }
    this.finish(entry);
    if (frame.type === 3) {
      if (entry.validate && this.shared.validator !== undefined) {
        const issue = this.shared.validator.validate(entry.action, 'response', 'inbound', frame.payload);
        if (issue !== undefined) {
          this.reportValidation('inbound', 'response', entry.action, frame.messageId, issue);
          if (issue.enforced) {
            entry.reject(
              this.decorate(
                new ValidationError({ direction: 'inbound', kind: 'response', action: entry.action, code: issue.code, detail: issue.detail, messageId: frame.messageId }),
                entry,
              ),
            );
            if (this.shared.rules.hasSendAndCallResultError) this.sendResultError(frame.messageId, issue.code, issue.detail);
            this.pump();
            return;
          }
        }
      }
      entry.resolve(frame.payload);
    } else {
      const error = createRpcError(this.shared.rules.fromWireCode(frame.errorCode), frame.errorDescription, frame.errorDetails, {
        messageId: frame.messageId,
        action: entry.action,
      });
      entry.reject(this.decorate(error, entry));
    }
    this.pump();
  }

  private dropResponse(frame: CallResultFrame | CallErrorFrame): void {
    const action = this.lateIds.get(frame.messageId);
    if (this.listenerCount('responseDropped') !== 0) {
      this.notify('responseDropped', {
        direction: 'in',
        messageId: frame.messageId,
        action,
        frame,
        reason: action === undefined ? 'unknown-id' : 'late',
      });
    }
    // A late answer is a slow peer, not a broken one; an answer to an id we never used is.
    if (action === undefined) this.noteBadMessage();
  }

  private onCallResultError(frame: CallResultErrorFrame): void {
    if (this.listenerCount('callResultError') === 0) return;
    const error = createRpcError(this.shared.rules.fromWireCode(frame.errorCode), frame.errorDescription, frame.errorDetails, { messageId: frame.messageId });
    this.notify('callResultError', { direction: 'in', messageId: frame.messageId, frame, error });
  }

  private onCall(frame: CallFrame): void {
    const { messageId, action } = frame;
    if (this.handlingCount() >= this.shared.maxInboundCalls) {
      this.limitExceeded('maxInboundCalls', TOO_MANY_CALLS);
      return;
    }
    if (messageId === this.handlingOne || this.handlingMore.has(messageId)) {
      this.replyError(messageId, action, this.shared.rules.duplicateIdCode, 'A message with this id is still being handled', undefined);
      this.noteBadMessage();
      return;
    }
    if (!this.shared.rules.isKnownAction(action)) {
      this.replyError(messageId, action, 'NotImplemented', `Action ${quoteAction(action)} is not known`, undefined);
      this.noteBadMessage();
      return;
    }
    const refusal = this.inboundGate?.(action);
    if (refusal !== undefined) {
      this.replyError(messageId, action, refusal, `Action ${action} is not allowed now`, undefined);
      return;
    }
    const handler = this.handlerFor(action);
    if (handler === undefined) {
      this.replyError(messageId, action, 'NotSupported', `Action ${action} is not supported`, undefined);
      return;
    }
    if (this.shared.validator !== undefined) {
      const issue = this.shared.validator.validate(action, 'request', 'inbound', frame.payload);
      if (issue !== undefined) {
        this.reportValidation('inbound', 'request', action, messageId, issue);
        if (issue.enforced) {
          this.replyError(messageId, action, issue.code, issue.detail, undefined);
          this.noteBadMessage();
          return;
        }
      }
    }
    if (this.handlingOne === undefined) this.handlingOne = messageId;
    else (this.handlingMore === EMPTY_SET ? (this.handlingMore = new Set()) : this.handlingMore).add(messageId);
    let result: unknown;
    try {
      result = handler(frame.payload, this.context(messageId, action));
      if (isThenable(result)) {
        result.then(
          (response) => this.answer(messageId, action, response),
          (error: unknown) => this.answerFailure(messageId, action, error),
        );
        return;
      }
    } catch (error) {
      this.answerFailure(messageId, action, error);
      return;
    }
    this.answer(messageId, action, result);
  }

  /** Inbound CALLs whose handler has not answered yet. */
  private handlingCount(): number {
    return (this.handlingOne === undefined ? 0 : 1) + this.handlingMore.size;
  }

  /** Forgets an inbound CALL as being handled; false when it was not (answered, or closed). */
  private handled(messageId: string): boolean {
    if (messageId === this.handlingOne) {
      this.handlingOne = undefined;
      return true;
    }
    return this.handlingMore.delete(messageId);
  }

  private answer(messageId: string, action: string, response: unknown): void {
    // False after close (the set was cleared) or if a misbehaving thenable settles twice.
    if (!this.handled(messageId)) return;
    const payload = response === undefined || response === null ? {} : response;
    if (this.shared.validator !== undefined) {
      const issue = this.shared.validator.validate(action, 'response', 'outbound', payload);
      if (issue !== undefined) {
        this.reportValidation('outbound', 'response', action, messageId, issue);
        if (issue.enforced) {
          this.reportHandlerError(messageId, action, new ValidationError({ direction: 'outbound', kind: 'response', action, code: issue.code, detail: issue.detail, messageId }));
          this.replyError(messageId, action, 'InternalError', INTERNAL_ERROR_DESCRIPTION, undefined);
          return;
        }
      }
    }
    let text: string;
    try {
      text = serializeResult(messageId, payload);
    } catch (error) {
      this.reportHandlerError(messageId, action, error);
      this.replyError(messageId, action, 'InternalError', INTERNAL_ERROR_DESCRIPTION, undefined);
      return;
    }
    if (this.listenerCount('frame') !== 0) {
      const frame: CallResultFrame = { type: 3, messageId, payload: payload as JsonObject };
      this.notify('frame', { direction: 'out', text, frame, messageId, action });
    }
    this.write(text);
  }

  private answerFailure(messageId: string, action: string, error: unknown): void {
    const live = this.handled(messageId);
    if (isRpcError(error)) {
      if (!live) return;
      const canonical = this.shared.rules.fromWireCode(error.code);
      // A code outside the version's table must not reach the wire; keep its text under GenericError.
      const code: RpcErrorCode = isRpcErrorCode(canonical) ? canonical : 'GenericError';
      this.replyError(messageId, action, code, error.description, error.details);
      return;
    }
    this.reportHandlerError(messageId, action, error);
    if (!live) return;
    // Never the exception's message or stack: they may hold secrets or internals (item 19).
    this.replyError(messageId, action, 'InternalError', INTERNAL_ERROR_DESCRIPTION, undefined);
  }

  private onSend(frame: SendFrame): void {
    const { messageId, action } = frame;
    // A SEND is never answered (item 25): what cannot be handled is only visible as the `frame` event.
    if (!this.shared.rules.isKnownAction(action) || this.inboundGate?.(action) !== undefined) return;
    const handler = this.handlerFor(action);
    if (handler === undefined) return;
    if (this.shared.validator !== undefined) {
      const issue = this.shared.validator.validate(action, 'request', 'inbound', frame.payload);
      if (issue !== undefined) {
        this.reportValidation('inbound', 'request', action, messageId, issue);
        if (issue.enforced) return;
      }
    }
    try {
      const result = handler(frame.payload, this.context(messageId, action));
      if (isThenable(result)) result.then(undefined, (error: unknown) => this.reportHandlerError(messageId, action, error));
    } catch (error) {
      this.reportHandlerError(messageId, action, error);
    }
  }

  // ---------------------------------------------------------------- outbound answers

  /** Sends a CALLERROR, spelled for the version, with the description cut to the version's limit. */
  private replyError(messageId: string, action: string | undefined, code: RpcErrorCode, description: string, details: unknown): void {
    if (this.closedWith !== undefined) return;
    const wire = this.shared.rules.toWireCode(code);
    const text = cutDescription(description, this.shared.rules.maxErrorDescriptionLength);
    let frameText: string;
    try {
      frameText = serializeError(4, messageId, wire, text, details);
    } catch {
      // Details that do not serialize (a cycle, a BigInt) must not cost the peer its answer.
      frameText = serializeError(4, messageId, wire, text, undefined);
      details = undefined;
    }
    if (this.listenerCount('frame') !== 0) {
      const frame: CallErrorFrame = { type: 4, messageId, errorCode: wire, errorDescription: text, errorDetails: (details ?? {}) as JsonObject };
      this.notify('frame', { direction: 'out', text: frameText, frame, messageId, action });
    }
    this.write(frameText);
  }

  /** Rejects a CALLRESULT of the peer (2.1 CALLRESULTERROR, item 26). */
  private sendResultError(messageId: string, code: RpcErrorCode, description: string): void {
    if (this.closedWith !== undefined) return;
    const wire = this.shared.rules.toWireCode(code);
    const text = cutDescription(description, this.shared.rules.maxErrorDescriptionLength);
    const frameText = serializeError(5, messageId, wire, text, undefined);
    if (this.listenerCount('frame') !== 0) {
      const frame: CallResultErrorFrame = { type: 5, messageId, errorCode: wire, errorDescription: text, errorDetails: {} };
      this.notify('frame', { direction: 'out', text: frameText, frame, messageId });
    }
    this.write(frameText);
  }

  private write(text: string): void {
    try {
      this.transport.send(text);
    } catch (error) {
      // The transport broke its contract; our state is consistent, so report and carry on.
      reportLater(error);
    }
    // The last answer owed to a peer that passed a limit is out: now close.
    if (this.draining !== undefined && this.handlingCount() === 0) this.close(this.draining.code, this.draining.reason);
  }

  // ---------------------------------------------------------------- limits

  /**
   * Counts one invalid message of the peer; the one past `maxBadMessages` within
   * `badMessageWindowMs` (a sliding window, exact: the ring keeps the last N times) ends the
   * connection.
   */
  private noteBadMessage(): void {
    const max = this.shared.maxBadMessages;
    if (max === Infinity || this.closedWith !== undefined) return;
    const now = this.shared.now();
    const times = (this.badTimes ??= []);
    if (max > 0 && times.length < max) {
      times.push(now);
      this.badNext = times.length % max;
      return;
    }
    // The ring is full: its oldest entry is the bad message N back. Within the window, N + 1 it is.
    if (max === 0 || times[this.badNext] > now - this.shared.badMessageWindowMs) {
      this.limitExceeded('maxBadMessages', TOO_MANY_BAD);
      return;
    }
    times[this.badNext] = now;
    this.badNext = (this.badNext + 1) % max;
  }

  /**
   * The peer passed a limit: read nothing more from it, let the CALLs already accepted be
   * answered (for at most {@link DRAIN_TIMEOUT_MS}), then close with 1008.
   */
  private limitExceeded(limit: 'maxInboundCalls' | 'maxBadMessages', reason: string): void {
    if (this.draining !== undefined || this.closedWith !== undefined) return;
    this.draining = { code: LIMIT_CLOSE_CODE, reason };
    if (this.listenerCount('limitExceeded') !== 0) {
      this.notify('limitExceeded', { limit, max: this.shared[limit], code: LIMIT_CLOSE_CODE, reason });
    }
    if (this.handlingCount() === 0) {
      this.close(LIMIT_CLOSE_CODE, reason);
      return;
    }
    const timer = setTimeout(() => this.close(LIMIT_CLOSE_CODE, reason), DRAIN_TIMEOUT_MS);
    (timer as { unref?: () => void }).unref?.();
    this.drainTimer = timer;
  }

  // ---------------------------------------------------------------- events

  private reportValidation(
    direction: Direction,
    kind: PayloadKind,
    action: string,
    messageId: string | undefined,
    issue: ValidationIssue,
  ): void {
    if (this.listenerCount('validationFailed') === 0) return;
    this.notify('validationFailed', { direction, kind, action, messageId, code: issue.code, detail: issue.detail, enforced: issue.enforced });
  }

  private reportHandlerError(messageId: string, action: string, error: unknown): void {
    const event: HandlerErrorEvent = { direction: 'in', action, messageId, error };
    try {
      this.handlerFailed(event);
    } catch (hookError) {
      reportLater(hookError);
    }
    if (this.listenerCount('handlerError') !== 0) this.notify('handlerError', event);
  }

  /**
   * Emits without letting a throwing listener break the state machine mid-step: the exception
   * is re-thrown from a microtask, where it surfaces as any uncaught exception would.
   */
  private notify<K extends keyof RpcEndpointEvents>(name: K, event: Parameters<RpcEndpointEvents[K]>[0]): void {
    try {
      (this.emit as (name: K, event: unknown) => boolean)(name, event);
    } catch (error) {
      reportLater(error);
    }
  }

  // ---------------------------------------------------------------- closing

  /**
   * Closes the connection. Pending and queued calls reject with {@link ConnectionClosedError},
   * handler signals abort, answers still being prepared are not sent, the deadline timer is
   * cleared and `close` is emitted once. Calling it again does nothing.
   */
  close(code = 1000, reason = ''): void {
    if (this.closedWith !== undefined) return;
    this.teardown(code, reason);
    try {
      this.transport.close(code, reason);
    } catch (error) {
      reportLater(error);
    }
  }

  private teardown(code: number, reason: string): void {
    if (this.closedWith !== undefined) return;
    this.closedWith = { code, reason };
    if (this.timer !== undefined) {
      clearTimeout(this.timer);
      this.timer = undefined;
    }
    this.handlingOne = undefined;
    this.handlingMore.clear();
    this.connectionSignal.abort(() => new ConnectionClosedError({ code, reason }));
    for (const entry of [...this.pending.values()]) {
      if (!this.finish(entry)) continue;
      entry.reject(this.decorate(new ConnectionClosedError({ code, reason, action: entry.action, messageId: entry.messageId }), entry));
    }
    for (const entry of this.queue?.drain() ?? []) {
      if (!this.finish(entry)) continue;
      entry.reject(this.decorate(new ConnectionClosedError({ code, reason, action: entry.action }), entry));
    }
    this.lateIds.clear();
    if (this.drainTimer !== undefined) {
      clearTimeout(this.drainTimer);
      this.drainTimer = undefined;
    }
    this.badTimes = undefined;
    try {
      this.onTeardown(code, reason);
    } catch (error) {
      reportLater(error);
    }
    if (this.listenerCount('close') !== 0) this.notify('close', { code, reason });
  }
}
