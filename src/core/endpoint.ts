/**
 * {@link RpcEndpoint}: one OCPP-J connection's RPC state machine, between a {@link Transport}
 * and user handlers. It knows no OCPP version; everything version-specific comes from the
 * injected `ProtocolRules` (./protocol-rules) and `PayloadValidator` (./validator).
 *
 * Hot-path budget, per call: one PendingCall record, one promise, one frame string. No timer
 * (one deadline sweep per endpoint does all timeouts), no AbortController, no Error object, no
 * event object unless someone listens. Per inbound CALL: one parsed frame, one context object.
 *
 * The endpoint routes frames between the transport and three parts, each in a file of its own
 * and made only when first needed: our calls (./outgoing-calls: checking, sending, the pending
 * map, the queue, the deadline sweep, late ids), the peer's calls (./inbound-calls: handlers,
 * contexts, answers), and the limits on the peer (./peer-limits: bad-message ring, drain, close).
 * Here: construction, receiving and routing, framing errors, writing CALLERRORs, events, closing.
 */
import { EventEmitter } from 'eventemitter3';
import type { Handler, HandlerContext } from './context';
import type { RpcErrorCode } from './error-codes';
import { cutDescription, descriptionLimit, serializeBoundedError } from './error-replies';
import { ConnectionClosedError } from './errors';
import type { HandlerErrorEvent, RpcEndpointEvents } from './events';
import {
  parseFrame,
  serializeError,
  type CallErrorFrame,
  type CallResultErrorFrame,
  type CallResultFrame,
  type Frame,
  type FramingError,
  type JsonObject,
} from './frames';
import { InboundCalls, type AnswerHost } from './inbound-calls';
import { notify, reportCallResultError, reportDroppedResponse, reportLater } from './notify';
import {
  combineOptions,
  describeValue,
  resolveOptions,
  SHARED_OPTIONS,
  type OptionsWithShared,
  type ResolvedRpcEndpointOptions,
  type RpcEndpointOptions,
  type SharedEndpointOptions,
} from './options';
import { OutgoingCalls, type CallHost, type CallOptions } from './outgoing-calls';
import { LIMIT_CLOSE_CODE, PeerLimits, TOO_MANY_BAD, type PeerLimit } from './peer-limits';
import type { Transport, TransportSink } from './transport';

import type { ActionShapes, ActionShapesOf } from './action-shapes';

export type { ActionShape, ActionShapes, ActionShapesOf } from './action-shapes';
export type { CallOptions } from './outgoing-calls';

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
  /** `options`, made when first asked for. */
  private view: ResolvedRpcEndpointOptions<Ctx> | undefined;
  private readonly transport: Transport;
  private readonly peerIdentity: string | undefined;
  private readonly peerContext: Ctx | undefined;
  private readonly inboundGate: RpcEndpointOptions['inboundGate'];
  /** What the transport and the parts below call back. */
  private readonly port: RpcEndpointPort;
  /** Our calls; made by the first call (an endpoint that only answers never needs it). */
  private calls: OutgoingCalls | undefined = undefined;
  /** The peer's calls and our handlers; made by the first handler or the peer's first CALL. */
  private inbound: InboundCalls<Ctx> | undefined = undefined;
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
    this.port = new RpcEndpoint.Port(this as unknown as RpcEndpoint);
    this.transport.setSink(this.port);
  }

  /** The options after defaults were applied; frozen. */
  get options(): ResolvedRpcEndpointOptions<Ctx> {
    return (this.view ??= combineOptions(this.shared, {
      transport: this.transport,
      identity: this.peerIdentity,
      context: this.peerContext,
      inboundGate: this.inboundGate,
    }));
  }

  /**
   * What the transport and the endpoint's parts call back: one small object per endpoint (rather
   * than a closure per callback), with access to the endpoint's private members.
   */
  private static readonly Port = class implements TransportSink, CallHost, AnswerHost {
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
    rejectResult(messageId: string, code: RpcErrorCode, detail: string): void {
      this.endpoint.writeError(5, messageId, undefined, code, detail, undefined);
    }
    dropResponse(frame: CallResultFrame | CallErrorFrame, lateAction: string | undefined): void {
      this.endpoint.dropResponse(frame, lateAction);
    }
    replyError(messageId: string, action: string | undefined, code: RpcErrorCode, description: string, details: unknown): void {
      this.endpoint.writeError(4, messageId, action, code, description, details);
    }
    write(text: string): void {
      this.endpoint.write(text);
    }
    reportHandlerError(messageId: string, action: string, error: unknown): void {
      this.endpoint.reportHandlerError(messageId, action, error);
    }
    noteBadMessage(): void {
      this.endpoint.noteBadMessage();
    }
    limitExceeded(limit: PeerLimit, reason: string): void {
      this.endpoint.limitExceeded(limit, reason);
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

  // ---------------------------------------------------------------- our calls

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
  call<A extends keyof Out & string>(action: A, payload: Out[A]['request'], options?: CallOptions<Out[A]['response']>): Promise<Out[A]['response']> {
    if (this.closedWith !== undefined) {
      return Promise.reject(new ConnectionClosedError({ code: this.closedWith.code, reason: this.closedWith.reason, action }));
    }
    return this.outgoing().call(action, payload, options);
  }

  /**
   * Sends a SEND frame (OCPP 2.1): a request the peer never answers. Untyped here: `Out` holds
   * CALL actions; `Station` and `ChargePoint` type it to their version's SEND actions. It goes out at once, even
   * while our CALLs are in flight or queued (the one-CALL-at-a-time rule does not cover it), and
   * is validated like a CALL's request. Returns the message id. Nothing confirms delivery: a SEND
   * written to a connection that then drops is lost, as the protocol intends.
   *
   * @throws TypeError when the negotiated version has no SEND, or `action` is not one that travels
   * as a SEND; {@link ConnectionClosedError} when closed; {@link ValidationError} when the payload
   * is invalid (nothing is sent).
   */
  send(action: string, payload: unknown): string {
    if (!this.shared.rules.hasSendAndCallResultError) throw new TypeError(`send: SEND frames do not exist in ${this.shared.rules.protocol}; use call()`);
    if (this.closedWith !== undefined) throw new ConnectionClosedError({ code: this.closedWith.code, reason: this.closedWith.reason, action });
    return this.outgoing().send(action, payload);
  }

  private outgoing(): OutgoingCalls {
    return (this.calls ??= new OutgoingCalls(this.shared, this.peerIdentity, this.transport, this, this.port));
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
    this.incoming().setHandler(action, handler);
    return this;
  }

  /** Removes the handler of `action`; returns whether there was one. */
  removeHandler(action: keyof In & string): boolean {
    return this.inbound?.removeHandler(action) ?? false;
  }

  private incoming(): InboundCalls<Ctx> {
    return (this.inbound ??= new InboundCalls(this.shared, this.peerIdentity, this.peerContext, this.inboundGate, this, this.port));
  }

  // ---------------------------------------------------------------- receiving

  private receive(text: string): void {
    // A closed endpoint reads nothing more (input a transport still delivers after the close), and
    // neither does one draining after the peer passed a limit.
    if (this.closedWith !== undefined || this.limits?.drainReason !== undefined) return;
    const result = parseFrame(text, this.shared.maxJsonDepth);
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
        this.incoming().onCall(frame);
        break;
      case 3:
      case 4:
        if (this.calls === undefined) this.dropResponse(frame, undefined);
        else this.calls.onAnswer(frame);
        break;
      case 5:
        // Never answered (an answer to an answer); the action is known when the id is one of our recent answers.
        reportCallResultError(this, this.shared.rules, frame, this.inbound?.answeredAction(frame.messageId));
        break;
      case 6:
        this.incoming().onSend(frame);
        break;
    }
  }

  private emitFrameIn(text: string, frame: Frame): void {
    const action = frame.type === 2 || frame.type === 6 ? frame.action : frame.type === 5 ? undefined : this.calls?.actionOf(frame.messageId);
    notify(this, 'frame', { direction: 'inbound', text, frame, messageId: frame.messageId, action });
  }

  /** A text that is not a valid frame: answered as the version says, and always counted as a bad message. */
  private onBadFrame(text: string, error: FramingError): void {
    const rules = this.shared.rules;
    const type = error.messageType;
    let replyId: string | undefined;
    let replyCode: RpcErrorCode = rules.framingErrorCode;
    // Types 5 and 6 do not exist before 2.1: their shape is then as unknown as their meaning.
    if (error.kind === 'unknown-message-type' || ((type === 5 || type === 6) && !rules.hasSendAndCallResultError)) {
      if (rules.replyToUnknownMessageType) {
        replyId = error.messageId ?? (rules.unreadableIdReply ? '-1' : undefined);
        replyCode = 'MessageTypeNotSupported';
      }
    } else if (type === 3 || type === 4) {
      // Never answer an answer (item 15); but a call it clearly belongs to fails now, not at its timeout.
      if (error.messageId !== undefined) this.calls?.onBrokenAnswer(type, error.messageId, error.detail);
    } else if (type === 5 || type === 6) {
      // A CALLRESULTERROR is an answer, and a SEND is never answered, even when broken.
    } else {
      // 1.6 drops a frame whose id cannot be read (no "-1" rule); it still counts below.
      replyId = error.messageId ?? (rules.unreadableIdReply ? '-1' : undefined);
    }
    if (this.listenerCount('badFrame') !== 0) {
      notify(this, 'badFrame', { direction: 'inbound', text, error, messageId: error.messageId, replied: replyId !== undefined });
    }
    if (replyId !== undefined) this.writeError(4, replyId, undefined, replyCode, error.detail, undefined);
    this.noteBadMessage();
  }

  private dropResponse(frame: CallResultFrame | CallErrorFrame, lateAction: string | undefined): void {
    reportDroppedResponse(this, frame, lateAction);
    // A late answer is a slow peer, not a broken one; an answer to an id we never used is.
    if (lateAction === undefined) this.noteBadMessage();
  }

  // ---------------------------------------------------------------- writing

  /**
   * Sends a CALLERROR (4), or a CALLRESULTERROR (5) rejecting the peer's CALLRESULT (2.1, item
   * 26), spelled for the version, with the description cut to the connection's limit and the
   * details bounded (see ./error-replies): both may echo what the peer sent. Nothing once closed.
   */
  private writeError(type: 4 | 5, messageId: string, action: string | undefined, code: RpcErrorCode, description: string, details: unknown): void {
    if (this.closedWith !== undefined) return;
    const wire = this.shared.rules.toWireCode(code);
    const text = cutDescription(description, descriptionLimit(this.shared.rules.maxErrorDescriptionLength));
    let frameText: string;
    if (details === undefined) {
      frameText = serializeError(type, messageId, wire, text, undefined);
    } else {
      const bounded = serializeBoundedError(type, messageId, wire, text, details);
      frameText = bounded.text;
      if (bounded.dropped !== undefined) {
        details = undefined;
        // Details only come from a handler's RpcError, so the action is known; the peer still gets its answer.
        if (action !== undefined) this.reportHandlerError(messageId, action, bounded.dropped);
      }
    }
    if (this.listenerCount('frame') !== 0) {
      const errorDetails = (details ?? {}) as JsonObject;
      const frame: CallErrorFrame | CallResultErrorFrame = { type, messageId, errorCode: wire, errorDescription: text, errorDetails };
      notify(this, 'frame', { direction: 'outbound', text: frameText, frame, messageId, action });
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

  private handlingCount(): number {
    return this.inbound?.handlingCount() ?? 0;
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
      notify(this, 'limitExceeded', { limit, max: this.shared[limit], code: LIMIT_CLOSE_CODE, reason });
    }
    if (this.handlingCount() === 0) {
      this.close(LIMIT_CLOSE_CODE, reason);
      return;
    }
    limits.closeAfterDrainTimeout(() => this.close(LIMIT_CLOSE_CODE, reason));
  }

  // ---------------------------------------------------------------- events

  private reportHandlerError(messageId: string, action: string, error: unknown): void {
    const event: HandlerErrorEvent = { direction: 'inbound', action, messageId, error };
    try {
      this.handlerFailed(event);
    } catch (hookError) {
      reportLater(hookError);
    }
    if (this.listenerCount('handlerError') !== 0) notify(this, 'handlerError', event);
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
    this.inbound?.closeAll(code, reason);
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
    if (this.listenerCount('close') !== 0) notify(this, 'close', { code, reason });
  }
}

/** The type of {@link RpcEndpoint}'s Port (a class expression, so it can reach the endpoint's private members). */
type RpcEndpointPort = InstanceType<(typeof RpcEndpoint)['Port']>;
