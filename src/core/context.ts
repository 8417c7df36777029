/**
 * What a handler receives besides the request: {@link HandlerContext}, built once per inbound
 * CALL with as little work as possible, because it sits on the hot path of every request.
 */
import { ConnectionClosedError } from './errors';

/**
 * The context passed to every handler along with the request.
 */
export interface HandlerContext {
  /** Id of the inbound CALL (or SEND) being handled. */
  readonly messageId: string;
  /** Its action. */
  readonly action: string;
  /** The negotiated subprotocol, e.g. `ocpp2.0.1` (from the endpoint's rules). */
  readonly protocol: string;
  /** Identity of the peer, when the endpoint was given one. */
  readonly identity?: string;
  /**
   * Aborts when the connection closes, so long-running handlers can stop early; their answer
   * would not be sent anyway. Created on first read: handlers that never look cost nothing.
   */
  readonly signal: AbortSignal;
}

/**
 * Answers one action. Return the response (or a promise of it); throw an {@link RpcError}
 * subclass to answer with that CALLERROR; anything else thrown becomes `InternalError`.
 *
 * @typeParam Req - the request payload type.
 * @typeParam Res - the response payload type.
 * @typeParam Ctx - the context type (HandlerContext plus the endpoint's `context` fields).
 */
export type Handler<Req = unknown, Res = unknown, Ctx extends HandlerContext = HandlerContext> = (request: Req, ctx: Ctx) => Res | PromiseLike<Res>;

/**
 * One per endpoint: the connection-wide AbortSignal behind `ctx.signal`. The AbortController is
 * only allocated when some handler reads `ctx.signal`, and a single one serves every handler,
 * because all of them abort for the same reason at the same moment (the connection closed).
 */
export class ConnectionSignal {
  private controller: AbortController | undefined;
  /** Builds the abort reason; set once the connection closed. */
  private reason: (() => ConnectionClosedError) | undefined;

  /** The signal, created on first use; already aborted when the connection is closed. */
  get signal(): AbortSignal {
    if (this.controller === undefined) {
      this.controller = new AbortController();
      if (this.reason !== undefined) this.controller.abort(this.reason());
    }
    return this.controller.signal;
  }

  /**
   * Aborts the signal (if anyone ever read it) and makes later reads return an aborted one. The
   * reason is built only when a signal needs it: most connections close without any handler
   * having read `ctx.signal`, and an Error object (with its stack) per close is not free.
   */
  abort(reason: () => ConnectionClosedError): void {
    if (this.reason !== undefined) return;
    this.reason = reason;
    this.controller?.abort(reason());
  }
}

/**
 * Names a `context` option may not use: the core sets them on every context (a user's value
 * would overwrite `protocol` or `identity`, which handlers trust to describe the connection), or
 * they would reach the prototype. Checked once, when the options are resolved.
 */
export const RESERVED_CONTEXT_KEYS: ReadonlySet<string> = new Set(['messageId', 'action', 'protocol', 'identity', 'signal', '__proto__', 'constructor']);

const NO_KEYS: readonly string[] = Object.freeze([]);
let lastContextKeys: readonly string[] = NO_KEYS;

/**
 * The keys of a `context` option, to copy onto each handler context; endpoints whose contexts
 * have the same keys (a server's stations) share one frozen array instead of one each.
 */
export function contextKeysOf(context: object | undefined): readonly string[] {
  if (context === undefined) return NO_KEYS;
  const keys = Object.keys(context);
  const last = lastContextKeys;
  if (keys.length === last.length && keys.every((key, i) => key === last[i])) return last;
  return (lastContextKeys = Object.freeze(keys));
}

/**
 * The concrete context. A class (not an object literal with a getter) so every context has the
 * same shape and the `signal` getter lives once on the prototype.
 */
export class InboundContext implements HandlerContext {
  readonly messageId: string;
  readonly action: string;
  readonly protocol: string;
  declare readonly identity?: string;
  readonly #source: ConnectionSignal;

  constructor(
    source: ConnectionSignal,
    messageId: string,
    action: string,
    protocol: string,
    identity: string | undefined,
    extra: Readonly<Record<string, unknown>> | undefined,
    extraKeys: readonly string[],
  ) {
    this.messageId = messageId;
    this.action = action;
    this.protocol = protocol;
    if (identity !== undefined) (this as { identity?: string }).identity = identity;
    this.#source = source;
    // Keys were checked against RESERVED_CONTEXT_KEYS once, when the options were resolved.
    for (let i = 0; i < extraKeys.length; i++) {
      const key = extraKeys[i];
      (this as unknown as Record<string, unknown>)[key] = (extra as Record<string, unknown>)[key];
    }
  }

  get signal(): AbortSignal {
    return this.#source.signal;
  }
}
