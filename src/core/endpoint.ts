/**
 * {@link RpcEndpoint}: one OCPP-J connection's RPC state machine, between a {@link Transport}
 * and user handlers. It knows no OCPP version; everything version-specific comes from the
 * injected {@link ProtocolRules} and {@link PayloadValidator}.
 *
 * Hot-path budget, per call: one PendingCall record, one promise, one frame string. No timer
 * (one deadline sweep per endpoint does all timeouts), no AbortController, no Error object, no
 * event object unless someone listens. Per inbound CALL: one parsed frame, one context object.
 *
 * Two parts live in files of their own and are made only when needed: our calls' bookkeeping
 * (./outgoing-calls: pending, queue, deadlines, late ids), made on the first call; and the limits
 * on the peer (./peer-limits: bad-message ring, drain-then-close), made on its first bad message.
 * Here: receiving, answering, handlers, events and closing.
 */
import { EventEmitter } from 'eventemitter3';
import { ConnectionSignal, contextKeysOf, InboundContext, type Handler, type HandlerContext } from './context';
import { EMPTY_MAP, EMPTY_SET } from './empty';
import type { RpcErrorCode } from './error-codes';
import { cutDescription, descriptionLimit, quoteAction, serializeBoundedError } from './error-replies';
import { AbortError, ConnectionClosedError, createRpcError, isRpcError, isRpcErrorCode, QueueFullError, ValidationError } from './errors';
import type { HandlerErrorEvent, RpcEndpointEvents } from './events';
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
  combineOptions,
  describeValue,
  integerOptionProblem,
  resolveOptions,
  SHARED_OPTIONS,
  TIMEOUT_MS_RANGE,
  type OptionsWithShared,
  type ResolvedRpcEndpointOptions,
  type RpcEndpointOptions,
  type SharedEndpointOptions,
} from './options';
import { OutgoingCalls, PendingCall, type CallOptions } from './outgoing-calls';
import { LIMIT_CLOSE_CODE, PeerLimits, TOO_MANY_BAD, TOO_MANY_CALLS, type PeerLimit } from './peer-limits';
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
export type { CallOptions } from './outgoing-calls';
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

/** What the description of a CALLERROR for a failed handler says; the real error stays local. */
export const INTERNAL_ERROR_DESCRIPTION = 'An internal error occurred';

/** Reports an exception that has no caller to go to, the way a browser reports one from an event listener. */
function reportLater(error: unknown): void {
  queueMicrotask(() => {
    throw error;
  });
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
  /** Our calls; made by the first call (an endpoint that only answers never needs it). */
  private calls: OutgoingCalls | undefined = undefined;
  /** Ids of the peer's CALLs whose handler has not answered yet. */
  private handlingOne: string | undefined = undefined;
  /** More of them, beyond `handlingOne` (rare: a peer that obeys OCPP has one CALL outstanding). */
  private handlingMore: Set<string> = EMPTY_SET;
  /** The limits on the peer; made by its first bad message or limit passed. */
  private limits: PeerLimits | undefined = undefined;
  private closedWith: { readonly code: number; readonly reason: string } | undefined = undefined;

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
    this.contextKeys = contextKeysOf(options.context);
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
    return this.calls?.inFlight ?? 0;
  }

  /** Our calls waiting for a free slot. */
  get queuedCalls(): number {
    return this.calls?.waiting ?? 0;
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
        const problem = integerOptionProblem('timeoutMs', options.timeoutMs, TIMEOUT_MS_RANGE);
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
    const calls = (this.calls ??= new OutgoingCalls(this.shared, this.peerIdentity, (entry) => this.transmitCall(entry)));
    const slotFree = calls.hasFreeSlot();
    if (!slotFree && calls.queueIsFull()) {
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
    calls.start(entry, slotFree);
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
      this.notify('frame', { direction: 'outbound', text, frame, messageId, action });
    }
    this.transport.send(text);
    return messageId;
  }

  /** Writes one of our CALLs whose slot is free: its `frame` event, then the transport (which may throw). */
  private transmitCall(entry: PendingCall): void {
    if (this.listenerCount('frame') !== 0) {
      const frame: CallFrame = { type: 2, messageId: entry.messageId, action: entry.action, payload: (entry.payload ?? {}) as JsonObject };
      this.notify('frame', { direction: 'outbound', text: entry.text, frame, messageId: entry.messageId, action: entry.action });
    }
    this.transport.send(entry.text);
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
    // A closed endpoint reads nothing more (input a transport still delivers after the close), and
    // neither does one draining after the peer passed a limit.
    if (this.closedWith !== undefined || this.limits?.drainReason !== undefined) return;
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
    const action = frame.type === 2 || frame.type === 6 ? frame.action : frame.type === 5 ? undefined : this.calls?.actionOf(frame.messageId);
    this.notify('frame', { direction: 'inbound', text, frame, messageId: frame.messageId, action });
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
      this.notify('badFrame', { direction: 'inbound', text, error, messageId: error.messageId, replied: replyId !== undefined });
    }
    if (replyId !== undefined) this.replyError(replyId, undefined, replyCode, error.detail, undefined);
    this.noteBadMessage();
  }

  private failOnBrokenResponse(type: 3 | 4, messageId: string, detail: string): void {
    const entry = this.calls?.takeAnswered(messageId);
    if (entry === undefined) return;
    const code = this.shared.rules.framingErrorCode;
    entry.fail(new ValidationError({ direction: 'inbound', kind: 'response', action: entry.action, code, detail, messageId }));
    if (type === 3 && this.shared.rules.hasSendAndCallResultError) this.sendResultError(messageId, code, detail);
    this.calls!.pump();
  }

  private onResponse(frame: CallResultFrame | CallErrorFrame): void {
    const calls = this.calls;
    const entry = calls?.takeAnswered(frame.messageId);
    if (entry === undefined) {
      this.dropResponse(frame);
      return;
    }
    if (frame.type === 3) {
      if (entry.validate && this.shared.validator !== undefined) {
        const issue = this.shared.validator.validate(entry.action, 'response', 'inbound', frame.payload);
        if (issue !== undefined) {
          this.reportValidation('inbound', 'response', entry.action, frame.messageId, issue);
          if (issue.enforced) {
            entry.fail(new ValidationError({ direction: 'inbound', kind: 'response', action: entry.action, code: issue.code, detail: issue.detail, messageId: frame.messageId }));
            if (this.shared.rules.hasSendAndCallResultError) this.sendResultError(frame.messageId, issue.code, issue.detail);
            calls!.pump();
            return;
          }
        }
      }
      entry.resolve(frame.payload);
    } else {
      const code = this.shared.rules.fromWireCode(frame.errorCode);
      entry.fail(createRpcError(code, { description: frame.errorDescription, details: frame.errorDetails, messageId: frame.messageId, action: entry.action }));
    }
    calls!.pump();
  }

  private dropResponse(frame: CallResultFrame | CallErrorFrame): void {
    const action = this.calls?.lateAction(frame.messageId);
    if (this.listenerCount('responseDropped') !== 0) {
      this.notify('responseDropped', {
        direction: 'inbound',
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
    const code = this.shared.rules.fromWireCode(frame.errorCode);
    const error = createRpcError(code, { description: frame.errorDescription, details: frame.errorDetails, messageId: frame.messageId });
    this.notify('callResultError', { direction: 'inbound', messageId: frame.messageId, frame, error });
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
      this.notify('frame', { direction: 'outbound', text, frame, messageId, action });
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

  /**
   * Sends a CALLERROR, spelled for the version, with the description cut to the connection's
   * limit and the details bounded (see ./error-replies): both may echo what the peer sent.
   */
  private replyError(messageId: string, action: string | undefined, code: RpcErrorCode, description: string, details: unknown): void {
    if (this.closedWith !== undefined) return;
    const wire = this.shared.rules.toWireCode(code);
    const text = cutDescription(description, descriptionLimit(this.shared.rules.maxErrorDescriptionLength));
    let frameText: string;
    if (details === undefined) {
      frameText = serializeError(4, messageId, wire, text, undefined);
    } else {
      const bounded = serializeBoundedError(4, messageId, wire, text, details);
      frameText = bounded.text;
      if (bounded.dropped !== undefined) {
        details = undefined;
        // Details only come from a handler's RpcError, so the action is known; the peer still gets its answer.
        if (action !== undefined) this.reportHandlerError(messageId, action, bounded.dropped);
      }
    }
    if (this.listenerCount('frame') !== 0) {
      const frame: CallErrorFrame = { type: 4, messageId, errorCode: wire, errorDescription: text, errorDetails: (details ?? {}) as JsonObject };
      this.notify('frame', { direction: 'outbound', text: frameText, frame, messageId, action });
    }
    this.write(frameText);
  }

  /** Rejects a CALLRESULT of the peer (2.1 CALLRESULTERROR, item 26). */
  private sendResultError(messageId: string, code: RpcErrorCode, description: string): void {
    if (this.closedWith !== undefined) return;
    const wire = this.shared.rules.toWireCode(code);
    const text = cutDescription(description, descriptionLimit(this.shared.rules.maxErrorDescriptionLength));
    const frameText = serializeError(5, messageId, wire, text, undefined);
    if (this.listenerCount('frame') !== 0) {
      const frame: CallResultErrorFrame = { type: 5, messageId, errorCode: wire, errorDescription: text, errorDetails: {} };
      this.notify('frame', { direction: 'outbound', text: frameText, frame, messageId });
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
    const drainReason = this.limits?.drainReason;
    if (drainReason !== undefined && this.handlingCount() === 0) this.close(LIMIT_CLOSE_CODE, drainReason);
  }

  // ---------------------------------------------------------------- limits

  /** Counts one invalid message of the peer; the one past `maxBadMessages` within `badMessageWindowMs` ends the connection. */
  private noteBadMessage(): void {
    const max = this.shared.maxBadMessages;
    if (max === Infinity || this.closedWith !== undefined) return;
    const limits = (this.limits ??= new PeerLimits());
    if (limits.countBadMessage(this.shared.now(), max, this.shared.badMessageWindowMs)) this.limitExceeded('maxBadMessages', TOO_MANY_BAD);
  }

  /**
   * The peer passed a limit: read nothing more from it, let the CALLs already accepted be
   * answered (for at most DRAIN_TIMEOUT_MS), then close with 1008.
   */
  private limitExceeded(limit: PeerLimit, reason: string): void {
    if (this.closedWith !== undefined) return;
    const limits = (this.limits ??= new PeerLimits());
    if (!limits.startDrain(reason)) return;
    if (this.listenerCount('limitExceeded') !== 0) {
      this.notify('limitExceeded', { limit, max: this.shared[limit], code: LIMIT_CLOSE_CODE, reason });
    }
    if (this.handlingCount() === 0) {
      this.close(LIMIT_CLOSE_CODE, reason);
      return;
    }
    limits.closeAfterDrainTimeout(() => this.close(LIMIT_CLOSE_CODE, reason));
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
    const event: HandlerErrorEvent = { direction: 'inbound', action, messageId, error };
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
    this.handlingOne = undefined;
    this.handlingMore.clear();
    this.connectionSignal.abort(() => new ConnectionClosedError({ code, reason }));
    this.calls?.closeAll(code, reason);
    if (this.limits !== undefined) {
      this.limits.dispose();
      this.limits = undefined;
    }
    try {
      this.onTeardown(code, reason);
    } catch (error) {
      reportLater(error);
    }
    if (this.listenerCount('close') !== 0) this.notify('close', { code, reason });
  }
}
