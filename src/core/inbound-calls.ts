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
import { quoteAction } from './error-replies';
import { ConnectionClosedError, isRpcError, isRpcErrorCode, ValidationError } from './errors';
import { serializeResult, type CallFrame, type CallResultFrame, type JsonObject, type SendFrame } from './frames';
import { isThenable } from './guards';
import { notify, reportValidation, type EndpointEmitter } from './notify';
import type { RpcEndpointOptions, SharedEndpointOptions } from './options';
import { TOO_MANY_CALLS, type PeerLimit } from './peer-limits';

/** What the description of a CALLERROR for a failed handler says; the real error stays local. */
export const INTERNAL_ERROR_DESCRIPTION = 'An internal error occurred';

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

  /** Handles a SEND (2.1): like a CALL, but never answered, so what cannot be handled is only visible as the `frame` event. */
  onSend(frame: SendFrame): void {
    const { messageId, action } = frame;
    if (!this.options.rules.isKnownAction(action) || this.inboundGate?.(action, frame.payload) !== undefined) return;
    const handler = this.handlerFor(action);
    if (handler === undefined) return;
    const validator = this.options.validator;
    if (validator !== undefined) {
      const issue = validator.validate(action, 'request', 'inbound', frame.payload);
      if (issue !== undefined) {
        reportValidation(this.events, 'inbound', 'request', action, messageId, issue);
        if (issue.enforced) return;
      }
    }
    try {
      const result = handler(frame.payload, this.context(messageId, action));
      if (isThenable(result)) result.then(undefined, (error: unknown) => this.host.reportHandlerError(messageId, action, error));
    } catch (error) {
      this.host.reportHandlerError(messageId, action, error);
    }
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
    this.host.write(text);
  }

  private answerFailure(messageId: string, action: string, error: unknown): void {
    const live = this.forgetHandling(messageId);
    if (isRpcError(error)) {
      if (!live) return;
      const canonical = this.options.rules.fromWireCode(error.code);
      // A code outside the version's table must not reach the wire; keep its text under GenericError.
      const code: RpcErrorCode = isRpcErrorCode(canonical) ? canonical : 'GenericError';
      this.host.replyError(messageId, action, code, error.description, error.details);
      return;
    }
    this.host.reportHandlerError(messageId, action, error);
    if (!live) return;
    // Never the exception's message or stack: they may hold secrets or internals (item 19).
    this.host.replyError(messageId, action, 'InternalError', INTERNAL_ERROR_DESCRIPTION, undefined);
  }
}
