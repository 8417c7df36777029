/**
 * The peer's CALLs (and 2.1 SENDs) on one connection: the handlers by action, the ids of CALLs
 * being handled, the handler contexts, and turning a handler's outcome into the answer (a
 * CALLRESULT, or a CALLERROR that never leaks the exception).
 *
 * An endpoint makes its {@link InboundCalls} on its first handler or the peer's first CALL. Per
 * inbound CALL: one context object; the id is kept in a field, not a Set, while only one CALL is
 * being handled (a peer that obeys OCPP never has more).
 */
import { ConnectionSignal, contextKeysOf, InboundContext, type Handler, type HandlerContext } from './context';
import { EMPTY_MAP, EMPTY_SET } from './empty';
import type { RpcErrorCode } from './error-codes';
import { INTERNAL_ERROR_DESCRIPTION, quoteAction, replyCodeOf } from './error-replies';
import { ConnectionClosedError, isRpcError, ValidationError } from './errors';
import { serializeResult, type CallFrame, type CallResultFrame, type JsonObject, type SendFrame } from './frames';
import { isThenable } from './guards';
import type { SendDropReason } from './events';
import { notify, reportValidation, type EndpointEmitter } from './notify';
import type { RpcEndpointOptions, SharedEndpointOptions } from './options';
import { TOO_MANY_CALLS, type PeerLimit } from './peer-limits';

/**
 * How many of our CALLRESULTs a 2.1 connection remembers the action of. A peer rejects a result
 * as soon as it reads it, so only the last few can be concerned; the bound keeps memory flat.
 * A power of two: the ring's index wraps with a mask.
 */
const ANSWER_MEMORY = 64;

/** What {@link InboundCalls} needs of its endpoint besides the events. */
export interface AnswerHost {
  /** Sends a CALLERROR (bounded, spelled for the version); nothing once closed. */
  replyError(messageId: string, action: string | undefined, code: RpcErrorCode, description: string, details: unknown): void;
  /** Writes an answer's text, then closes if it was the last answer owed to a peer that passed a limit. */
  write(text: string): void;
  /** A handler failed locally: the endpoint's `handlerFailed` hook and `handlerError` event. */
  reportHandlerError(messageId: string, action: string, error: unknown): void;
  /** Counts one bad message of the peer. */
  noteBadMessage(): void;
  /** The peer passed a limit. */
  limitExceeded(limit: PeerLimit, reason: string): void;
}

/** Handlers, and the peer's CALLs in their hands. */
export class InboundCalls<Ctx extends object> {
  private handlers: Map<string, Handler<unknown, unknown, HandlerContext & Ctx>> = EMPTY_MAP;
  /** Id of a peer's CALL whose handler has not answered yet. */
  private handlingOne: string | undefined = undefined;
  /** More of them, beyond `handlingOne` (rare: a peer that obeys OCPP has one CALL outstanding). */
  private handlingMore: Set<string> = EMPTY_SET;
  /**
   * Our last CALLRESULTs (2.1 only, where the peer may reject them): a ring of message ids and
   * their actions, made on the first answer. A ring, not a Map: writing two slots costs next to
   * nothing per answer (a Map's set, delete and iterator cost 2.1 about 8% of its Heartbeat
   * round trips at 100 connections), and the rare CALLRESULTERROR pays for the search.
   */
  private answered: { ids: string[]; actions: string[]; next: number } | undefined = undefined;
  private readonly connectionSignal = new ConnectionSignal();
  private readonly contextKeys: readonly string[];

  /**
   * @param options - the endpoint's resolved options (shared, not copied).
   * @param peerIdentity - set on every context.
   * @param peerContext - the `context` option, copied onto every context.
   * @param inboundGate - the admission check, if any.
   * @param events - the endpoint, whose `frame` and `validationFailed` events these are.
   * @param host - the rest of the endpoint.
   */
  constructor(
    private readonly options: SharedEndpointOptions<Ctx>,
    private readonly peerIdentity: string | undefined,
    private readonly peerContext: Ctx | undefined,
    private readonly inboundGate: RpcEndpointOptions['inboundGate'],
    private readonly events: EndpointEmitter,
    private readonly host: AnswerHost,
  ) {
    this.contextKeys = contextKeysOf(peerContext);
  }

  /** {@link RpcEndpoint.handle}, its arguments checked. */
  setHandler(action: string, handler: Handler<unknown, unknown, HandlerContext & Ctx>): void {
    if (this.handlers === EMPTY_MAP) this.handlers = new Map();
    this.handlers.set(action, handler);
  }

  /** {@link RpcEndpoint.removeHandler}. */
  removeHandler(action: string): boolean {
    return this.handlers.delete(action);
  }

  /** The peer's CALLs whose handler has not answered yet. */
  handlingCount(): number {
    return (this.handlingOne === undefined ? 0 : 1) + this.handlingMore.size;
  }

  /** The connection closed: answers still being prepared are not sent, and handler signals abort. */
  closeAll(code: number, reason: string): void {
    this.handlingOne = undefined;
    this.handlingMore.clear();
    this.connectionSignal.abort(() => new ConnectionClosedError({ code, reason }));
  }

  /** Handles a CALL: refused by the limits or the rules, else validated, handled and answered. */
  onCall(frame: CallFrame): void {
    const { messageId, action } = frame;
    const { rules, validator } = this.options;
    if (this.handlingCount() >= this.options.maxInboundCalls) {
      this.host.limitExceeded('maxInboundCalls', TOO_MANY_CALLS);
      return;
    }
    if (messageId === this.handlingOne || this.handlingMore.has(messageId)) {
      this.host.replyError(messageId, action, rules.duplicateIdCode, 'A message with this id is still being handled', undefined);
      this.host.noteBadMessage();
      return;
    }
    if (!rules.isKnownAction(action)) {
      this.host.replyError(messageId, action, 'NotImplemented', `Action ${quoteAction(action)} is not known`, undefined);
      this.host.noteBadMessage();
      return;
    }
    if (rules.isSendAction?.(action) === true) {
      // Known, but never a CALL: its response has no schema, so no answer could be right.
      this.host.replyError(messageId, action, 'NotSupported', `${action} travels as a SEND, never as a CALL`, undefined);
      this.host.noteBadMessage();
      return;
    }
    const refusal = this.inboundGate?.(action, frame.payload);
    if (refusal !== undefined) {
      if (refusal !== null) this.host.replyError(messageId, action, refusal, `Action ${action} is not allowed now`, undefined);
      return;
    }
    const handler = this.handlerFor(action);
    if (handler === undefined) {
      this.host.replyError(messageId, action, 'NotSupported', `Action ${action} is not supported`, undefined);
      return;
    }
    if (validator !== undefined) {
      const issue = validator.validate(action, 'request', 'inbound', frame.payload);
      if (issue !== undefined) {
        reportValidation(this.events, 'inbound', 'request', action, messageId, issue);
        if (issue.enforced) {
          this.host.replyError(messageId, action, issue.code, issue.detail, undefined);
          this.host.noteBadMessage();
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

  /**
   * Handles a SEND (2.1): like a CALL, but never answered (2.1 Part 4), whatever happens. What
   * cannot reach a handler is a `sendDropped` event; a SEND that breaks the rules (an unknown
   * action, or one that travels as a CALL) also counts as a bad message.
   */
  onSend(frame: SendFrame): void {
    const { messageId, action } = frame;
    const rules = this.options.rules;
    if (!rules.isKnownAction(action)) return this.dropSend(frame, 'unknown-action', true);
    if (rules.isSendAction !== undefined && !rules.isSendAction(action)) return this.dropSend(frame, 'not-a-send-action', true);
    if (this.inboundGate?.(action, frame.payload) !== undefined) return this.dropSend(frame, 'not-allowed', false);
    const handler = this.handlerFor(action);
    if (handler === undefined) return this.dropSend(frame, 'no-handler', false);
    const validator = this.options.validator;
    if (validator !== undefined) {
      const issue = validator.validate(action, 'request', 'inbound', frame.payload);
      if (issue !== undefined) {
        reportValidation(this.events, 'inbound', 'request', action, messageId, issue);
        if (issue.enforced) return this.dropSend(frame, 'invalid', true);
      }
    }
    try {
      const result = handler(frame.payload, this.context(messageId, action));
      if (isThenable(result)) result.then(undefined, (error: unknown) => this.host.reportHandlerError(messageId, action, error));
    } catch (error) {
      this.host.reportHandlerError(messageId, action, error);
    }
  }

  private dropSend(frame: SendFrame, reason: SendDropReason, bad: boolean): void {
    if (this.events.listenerCount('sendDropped') !== 0) {
      notify(this.events, 'sendDropped', { direction: 'inbound', messageId: frame.messageId, action: frame.action, frame, reason });
    }
    if (bad) this.host.noteBadMessage();
  }

  /** The action of one of our last {@link ANSWER_MEMORY} CALLRESULTs (2.1 only), for a CALLRESULTERROR that rejects it. */
  answeredAction(messageId: string): string | undefined {
    const ring = this.answered;
    if (ring === undefined) return undefined;
    // Newest first: an id the peer reused is the answer it just read.
    for (let k = 1; k <= ANSWER_MEMORY; k++) {
      const i = (ring.next - k) & (ANSWER_MEMORY - 1);
      if (ring.ids[i] === messageId) return ring.actions[i];
    }
    return undefined;
  }

  private handlerFor(action: string): Handler<unknown, unknown, HandlerContext & Ctx> | undefined {
    return this.handlers.get(action) ?? this.options.fallbackHandler?.(action);
  }

  private context(messageId: string, action: string): HandlerContext & Ctx {
    return new InboundContext(
      this.connectionSignal,
      messageId,
      action,
      this.options.rules.protocol,
      this.peerIdentity,
      this.peerContext as Record<string, unknown> | undefined,
      this.contextKeys,
    ) as unknown as HandlerContext & Ctx;
  }

  /** Forgets a CALL as being handled; false when it was not (answered, or closed). */
  private forgetHandling(messageId: string): boolean {
    if (messageId === this.handlingOne) {
      this.handlingOne = undefined;
      return true;
    }
    return this.handlingMore.delete(messageId);
  }

  private answer(messageId: string, action: string, response: unknown): void {
    // False after close (the set was cleared) or if a misbehaving thenable settles twice.
    if (!this.forgetHandling(messageId)) return;
    const payload = response === undefined || response === null ? {} : response;
    const validator = this.options.validator;
    if (validator !== undefined) {
      const issue = validator.validate(action, 'response', 'outbound', payload);
      if (issue !== undefined) {
        reportValidation(this.events, 'outbound', 'response', action, messageId, issue);
        if (issue.enforced) {
          this.host.reportHandlerError(
            messageId,
            action,
            new ValidationError({ direction: 'outbound', kind: 'response', action, code: issue.code, detail: issue.detail, messageId }),
          );
          this.host.replyError(messageId, action, 'InternalError', INTERNAL_ERROR_DESCRIPTION, undefined);
          return;
        }
      }
    }
    let text: string;
    try {
      text = serializeResult(messageId, payload);
    } catch (error) {
      this.host.reportHandlerError(messageId, action, error);
      this.host.replyError(messageId, action, 'InternalError', INTERNAL_ERROR_DESCRIPTION, undefined);
      return;
    }
    if (this.events.listenerCount('frame') !== 0) {
      const frame: CallResultFrame = { type: 3, messageId, payload: payload as JsonObject };
      notify(this.events, 'frame', { direction: 'outbound', text, frame, messageId, action });
    }
    if (this.options.rules.hasSendAndCallResultError) this.rememberAnswer(messageId, action);
    this.host.write(text);
  }

  /** Remembers which action a CALLRESULT answered, for the CALLRESULTERROR that may reject it. */
  private rememberAnswer(messageId: string, action: string): void {
    const ring = (this.answered ??= { ids: new Array<string>(ANSWER_MEMORY).fill(''), actions: new Array<string>(ANSWER_MEMORY).fill(''), next: 0 });
    ring.ids[ring.next] = messageId;
    ring.actions[ring.next] = action;
    ring.next = (ring.next + 1) & (ANSWER_MEMORY - 1);
  }

  private answerFailure(messageId: string, action: string, error: unknown): void {
    const live = this.forgetHandling(messageId);
    if (isRpcError(error)) {
      if (!live) return;
      this.host.replyError(messageId, action, replyCodeOf(error, this.options.rules), error.description, error.details);
      return;
    }
    this.host.reportHandlerError(messageId, action, error);
    if (!live) return;
    // Never the exception's message or stack: they may hold secrets or internals (item 19).
    this.host.replyError(messageId, action, 'InternalError', INTERNAL_ERROR_DESCRIPTION, undefined);
  }
}
