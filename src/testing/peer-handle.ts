/**
 * What a station handle (TestCentralSystem) and a TestChargePoint share: the transcript, the
 * inbox of CALLs with its expectations, stubs, and the answer every received CALL gets.
 */
import {
  createRpcError,
  type BadFrameEvent,
  type CallOptions,
  type FrameEvent,
  type HandlerContext,
  type HandlerErrorEvent,
  type OcppRole,
  type OcppVersion,
  type ResponseDroppedEvent,
  type ValidationFailedEvent,
} from '../index';
import { canonicalCode } from './arguments';
import { Inbox, type InboxRecord } from './inbox';
import type { Matcher } from './matchers';
import { describeValue } from './matchers';
import {
  DEFAULT_EXPECT_TIMEOUT_MS,
  DEFAULT_TIMING_TOLERANCE_MS,
  type ExpectAllOptions,
  type ExpectCallErrorOptions,
  type ExpectNextOptions,
  type ExpectNoCallOptions,
  type ExpectOneOfOptions,
  type ExpectOptions,
  type Received,
  type ReceivedCallError,
} from './received';
import { CallErrorReply, defaultReply, resolveReply, type Reply } from './replies';
import { kindOfType, Transcript, type TranscriptEntry } from './transcript';

/** Options of `call()` on a `StationHandle` or a `TestChargePoint`. */
export interface TestCallOptions {
  /** How long to wait for the answer. @default the central system's `callTimeoutMs` (30000) */
  readonly timeoutMs?: number;
  /** `false` sends the request without validating it, for negative tests. @default true */
  readonly validate?: boolean;
}

/** Options of `disconnect()` on a `StationHandle` or a `TestChargePoint`. */
export interface DisconnectOptions {
  /** The WebSocket close code. @default 1000 */
  readonly code?: number;
  /** The close reason. @default '' */
  readonly reason?: string;
  /** Drop the TCP connection without a close frame (a network failure). @default false */
  readonly abrupt?: boolean;
}

/** Request and response types per action: what a handle receives or sends. */
export type ActionTable = Record<string, { request: unknown; response: unknown }>;

/**
 * One item of the list given to `expectAll` or `expectOneOf`: `[action, match?, options?]`,
 * typed per action.
 */
export type Expectation<In extends ActionTable> = {
  [A in keyof In & string]: readonly [action: A, match?: Matcher<In[A]['request']>, options?: ExpectOptions<In[A]['request'], In[A]['response']>];
}[keyof In & string];

/** Options of `stub`. */
export interface StubOptions {
  /** How many CALLs it answers before it expires. @default Infinity */
  readonly times?: number;
}

/** @internal The event emitter of a connection (a Station or a ChargePoint), as the handle uses it. */
interface ConnectionEvents {
  on(event: string, fn: (e: never) => void): unknown;
  off(event: string, fn: (e: never) => void): unknown;
}

interface Stub {
  readonly action: string;
  readonly reply: unknown;
  left: number;
}

interface Held {
  settle(outcome: { response: unknown } | { error: Error }): void;
  readonly fallback: Record<string, unknown> | undefined;
  readonly request: unknown;
}

/** Settings every handle shares. */
export interface HandleSettings {
  /** The default wait of expectations. */
  readonly timeoutMs: number;
  /** The default slack of timing checks. */
  readonly toleranceMs: number;
  /** How many transcript lines a failure message shows. */
  readonly tailLines: number;
}

/** @internal */
export function resolveSettings(o: { timeoutMs?: number; timingToleranceMs?: number; transcriptTail?: number } | undefined, owner: string): HandleSettings {
  const int = (name: string, v: unknown, fallback: number): number => {
    if (v === undefined) return fallback;
    if (typeof v !== 'number' || !Number.isInteger(v) || v < 0 || v > 2_147_483_647)
      throw new TypeError(`${owner}: ${name} must be an integer from 0 to 2147483647, got ${describeValue(v)}`);
    return v;
  };
  return {
    timeoutMs: int('timeoutMs', o?.timeoutMs, DEFAULT_EXPECT_TIMEOUT_MS),
    toleranceMs: int('timingToleranceMs', o?.timingToleranceMs, DEFAULT_TIMING_TOLERANCE_MS),
    tailLines: int('transcriptTail', o?.transcriptTail, 20),
  };
}

/**
 * The expectation API on one peer (a station handle or a TestChargePoint). `In` are the actions
 * the peer sends, which the handle receives and answers.
 */
export abstract class PeerHandle<In extends ActionTable> implements AsyncDisposable {
  /** Every frame received and sent, across reconnects. */
  readonly transcript = new Transcript();
  /** @internal */
  protected readonly inbox: Inbox;
  private readonly stubs: Stub[] = [];
  private readonly held = new Map<InboxRecord, Held>();
  /** Outbound CALLs sent with validation off, in order, to mark their transcript entries. */
  private readonly unvalidated: string[] = [];
  /** Inbound CALLs seen as frames, waiting for their handler (or their validation failure). */
  private readonly arriving = new Map<string, { entry: TranscriptEntry; payload: unknown }>();
  private transactionCounter = 0;

  /** @internal */
  protected constructor(
    /** The identity of the peer. */
    readonly identity: string,
    /** @internal The role that answers: 'CentralSystem' for a station handle. */
    protected readonly role: OcppRole,
    /** @internal */
    protected readonly settings: HandleSettings,
  ) {
    this.inbox = new Inbox({
      identity,
      tail: () => this.transcript.format({ tail: this.settings.tailLines }),
      timeoutMs: settings.timeoutMs,
      toleranceMs: settings.toleranceMs,
    });
  }

  /** The subprotocol of the current (or last) connection, undefined before the first. */
  abstract get protocol(): OcppVersion | undefined;

  /** CALLs received that no expectation took yet, oldest first. */
  get untaken(): readonly Received[] {
    return this.inbox.untaken;
  }

  // ------------------------------------------------------------------ stubs

  /**
   * Answers CALLs of `action` with `reply` from now on (instead of the default answer), the next
   * `times` ones or all. The newest stub of an action wins; an expectation's `respond` wins over
   * every stub. An object reply is merged over the default answer, so `{ status: 'Pending' }`
   * keeps `currentTime` and `interval`.
   *
   * @example
   * ```ts
   * st.stub('BootNotification', { status: 'Pending', interval: 10 }, { times: 1 });
   * st.stub('Authorize', (req) => ({ idTokenInfo: { status: req.idToken.idToken === 'BAD' ? 'Invalid' : 'Accepted' } }));
   * st.stub('TransactionEvent', callError('InternalError'), { times: 1 });
   * ```
   * @throws TypeError for an empty action or a bad `times`.
   */
  // NoInfer: A comes from `action` alone (as in CentralSystem.handle): were the reply an inference
  // site, a function's literals ('Accepted') would widen to string and valid replies fail.
  stub<A extends keyof In & string>(action: A, reply: NoInfer<Reply<In[A]['request'], In[A]['response']>>, options: StubOptions = {}): this {
    if (typeof action !== 'string' || action === '') throw new TypeError(`stub: action must be a non-empty string, got ${describeValue(action)}`);
    if (reply === undefined) throw new TypeError(`stub: give ${action} a reply (a response, a function, callError(...), 'no-reply' or 'hold')`);
    const times = options.times ?? Infinity;
    if (times !== Infinity && (typeof times !== 'number' || !Number.isInteger(times) || times < 1)) {
      throw new TypeError(`stub: times must be a positive integer, got ${describeValue(times)}`);
    }
    this.stubs.unshift({ action, reply, left: times });
    return this;
  }

  /** Removes the stubs of `action` (all stubs without one). */
  clearStubs(action?: keyof In & string): this {
    for (let i = this.stubs.length - 1; i >= 0; i--) if (action === undefined || this.stubs[i].action === action) this.stubs.splice(i, 1);
    return this;
  }

  // ------------------------------------------------------------------ expectations

  /**
   * Resolves with the first CALL of `action` matching `match` that no other expectation took,
   * including one that arrived before this call (early arrivals count). Fails with an
   * {@link ExpectationError} after `timeoutMs`, when the CALL broke the schema, or when it
   * breaks `notBeforeMs` / `withinMs`.
   *
   * @example
   * ```ts
   * const boot = await st.expectCall('BootNotification', { reason: 'PowerUp' });
   * await st.expectCall('Heartbeat', {}, { after: boot, notBeforeMs: 9_000, withinMs: 11_000 });
   * ```
   * @throws TypeError (synchronously) for bad arguments.
   */
  expectCall<A extends keyof In & string>(
    action: A,
    match?: NoInfer<Matcher<In[A]['request']>>,
    options?: NoInfer<ExpectOptions<In[A]['request'], In[A]['response']>>,
  ): Promise<Received<In[A]['request'], In[A]['response']>> {
    return this.inbox.expectCall(action, match, options);
  }

  /**
   * Strict: the CALL right after the last one an expectation took (or after `options.after`)
   * must be `action` matching `match`; any other CALL (but those in `options.ignore`) fails it.
   */
  expectNextCall<A extends keyof In & string>(
    action: A,
    match?: NoInfer<Matcher<In[A]['request']>>,
    options?: NoInfer<ExpectNextOptions<In[A]['request'], In[A]['response']>>,
  ): Promise<Received<In[A]['request'], In[A]['response']>> {
    return this.inbox.expectNextCall(action, match, options);
  }

  /**
   * Resolves when every listed CALL came (in any order by default: OCTT's "steps may be
   * reversed"), with the CALLs in the order listed. Each item is `[action, match?, options?]`.
   *
   * @example
   * ```ts
   * const [start] = await st.expectAll([
   *   ['StartTransaction', { connectorId: 1 }, { respond: { transactionId: 42, idTagInfo: { status: 'Accepted' } } }],
   *   ['StatusNotification', { connectorId: 1, status: 'Charging' }],
   * ]);
   * ```
   */
  expectAll(expectations: ReadonlyArray<Expectation<In>>, options?: ExpectAllOptions): Promise<Received[]> {
    return this.inbox.expectAll(expectations, options);
  }

  /**
   * Resolves with the first CALL matching any of the alternatives (OCTT's "A OR B"); its
   * `alternative` is the index of the one it matched.
   */
  expectOneOf(alternatives: ReadonlyArray<Expectation<In>>, options?: ExpectOneOfOptions): Promise<Received & { readonly alternative: number }> {
    return this.inbox.expectOneOf(alternatives, options);
  }

  /**
   * Resolves after `forMs` when no CALL of `action` (`'*'`: any CALL but those in `except`)
   * arrived meanwhile; fails as soon as one does.
   */
  expectNoCall(action: (keyof In & string) | '*', options: ExpectNoCallOptions): Promise<void> {
    return this.inbox.expectNoCall(action, options);
  }

  /**
   * Resolves with a CALLERROR of `code` (either spelling of the 1.6 codes) that the peer sent
   * answering no pending `call()`: the answer to a frame sent with `sendRaw`, or a late one. A
   * `call()` that gets a CALLERROR rejects with it instead. With `messageId`, a CALLERROR for that
   * id with another code fails at once.
   */
  expectCallError(code: string, options?: ExpectCallErrorOptions): Promise<ReceivedCallError> {
    return this.inbox.expectCallError(code, options);
  }

  // ------------------------------------------------------------------ closing

  /** Closes the handle; see the subclasses. */
  abstract close(): Promise<void>;

  /** `await using` support: the same as {@link PeerHandle.close}. */
  [Symbol.asyncDispose](): Promise<void> {
    return this.close();
  }

  /** @internal Rejects what still waits; returns what it awaited. */
  protected closeExpectations(reason: string): string[] {
    for (const h of this.held.values()) h.settle({ error: createRpcError('GenericError', { description: 'test handle closed' }) });
    this.held.clear();
    return this.inbox.close(reason);
  }

  // ------------------------------------------------------------------ the wire

  /**
   * @internal Checks a frame given to `sendRaw` (before anything else, so a wrong type is a
   * TypeError whatever the connection's state).
   * @throws TypeError for a frame that is neither a string nor bytes.
   */
  protected checkRawFrame(frame: unknown): asserts frame is string | Uint8Array {
    if (typeof frame !== 'string' && !(frame instanceof Uint8Array))
      throw new TypeError(`sendRaw: frame must be a string or a Uint8Array, got ${describeValue(frame)}`);
  }

  /** @internal Records `frame` sent raw (bytes as the UTF-8 they decode to). */
  protected recordRaw(frame: string | Uint8Array): void {
    const text = typeof frame === 'string' ? frame : Buffer.from(frame).toString('utf8');
    let messageId: string | undefined;
    try {
      const parsed = JSON.parse(text) as unknown;
      if (Array.isArray(parsed) && typeof parsed[1] === 'string') messageId = parsed[1];
    } catch {
      messageId = undefined;
    }
    this.transcript.add({ direction: 'out', kind: 'raw', text, messageId, validation: 'skipped' });
  }

  /**
   * @internal The core's options for a `call()` of the handle; with `validate: false`, notes that
   * the CALL of `action` goes out unvalidated (the transcript says so).
   */
  protected callOptionsFor(action: string, options: TestCallOptions): CallOptions {
    if (options.validate === false) this.unvalidated.push(action);
    const callOptions: CallOptions = {};
    if (options.timeoutMs !== undefined) callOptions.timeoutMs = options.timeoutMs;
    if (options.validate !== undefined) callOptions.validate = options.validate;
    return callOptions;
  }

  /**
   * @internal `disconnect()`'s argument as options (a number is the close code).
   * @throws TypeError for anything else.
   */
  protected disconnectOptions(options: number | DisconnectOptions): DisconnectOptions {
    const o: DisconnectOptions = typeof options === 'number' ? { code: options } : options;
    if (typeof o !== 'object' || o === null) throw new TypeError(`disconnect: give a close code or options, got ${describeValue(options)}`);
    return o;
  }

  /** @internal Records a connection event in the transcript. */
  protected recordEvent(text: string): void {
    this.transcript.add({ direction: 'event', kind: 'event', text });
  }

  /**
   * @internal Follows one connection's events into the transcript and the inbox; returns the
   * function that stops following.
   */
  protected follow(emitter: object, protocol: OcppVersion): () => void {
    const conn = emitter as ConnectionEvents;
    const onFrame = (e: FrameEvent): void => {
      const direction = e.direction === 'inbound' ? 'in' : 'out';
      const kind = kindOfType(e.frame.type);
      let validation: TranscriptEntry['validation'] = kind === 'CALL' || kind === 'CALLRESULT' || kind === 'SEND' ? 'passed' : 'none';
      if (direction === 'out' && kind === 'CALL' && this.unvalidated[0] === e.action) {
        this.unvalidated.shift();
        validation = 'skipped';
      }
      const entry = this.transcript.add({ direction, kind, text: e.text, messageId: e.messageId, action: e.action, validation });
      if (direction === 'in' && e.frame.type === 2) {
        this.arriving.set(e.messageId, { entry, payload: e.frame.payload });
        if (this.arriving.size > 1000) this.arriving.delete(this.arriving.keys().next().value as string);
      }
    };
    const onBad = (e: BadFrameEvent): void => {
      this.transcript.add({
        direction: 'in',
        kind: 'bad',
        text: e.text,
        messageId: e.messageId,
        validationError: { code: e.error.kind, detail: `${e.error.detail}${e.replied ? ' (answered with a CALLERROR)' : ''}` },
      });
    };
    const onInvalid = (e: ValidationFailedEvent): void => {
      if (e.messageId === undefined) return;
      if (e.direction === 'outbound') {
        this.recordEvent(
          `our ${e.kind} of ${e.action} (${e.messageId}) broke the schema: ${e.code} ${e.detail}${e.kind === 'response' ? ' (the peer got InternalError)' : ''}`,
        );
        return;
      }
      const entry = this.transcript.find('in', e.kind === 'request' ? ['CALL', 'SEND'] : ['CALLRESULT'], e.messageId);
      if (entry !== undefined) {
        entry.validation = 'failed';
        entry.validationError = { code: e.code, detail: e.detail };
      }
      if (e.kind === 'request' && e.enforced) {
        const arriving = this.arriving.get(e.messageId);
        this.arriving.delete(e.messageId);
        if (arriving !== undefined) {
          this.inbox.arrive({
            received: this.makeReceived(e.action, arriving.payload, e.messageId, arriving.entry, protocol, undefined),
            consumed: false,
            answered: true,
            invalid: { code: e.code, detail: e.detail },
          });
        }
      }
    };
    const onDropped = (e: ResponseDroppedEvent): void => {
      if (e.frame.type !== 4) return;
      const entry = this.transcript.find('in', ['CALLERROR'], e.messageId);
      this.inbox.arriveError({
        errorCode: e.frame.errorCode,
        code: canonicalCode(e.frame.errorCode),
        messageId: e.messageId,
        errorDescription: e.frame.errorDescription,
        errorDetails: e.frame.errorDetails,
        seq: entry?.seq ?? this.transcript.length,
      });
    };
    const onHandlerError = (e: HandlerErrorEvent): void => {
      this.recordEvent(`answering ${e.action} (${e.messageId}) failed: ${e.error instanceof Error ? e.error.message : String(e.error)}`);
    };
    conn.on('frame', onFrame);
    conn.on('badFrame', onBad);
    conn.on('validationFailed', onInvalid);
    conn.on('responseDropped', onDropped);
    conn.on('handlerError', onHandlerError);
    return () => {
      conn.off('frame', onFrame);
      conn.off('badFrame', onBad);
      conn.off('validationFailed', onInvalid);
      conn.off('responseDropped', onDropped);
      conn.off('handlerError', onHandlerError);
    };
  }

  private makeReceived(
    action: string,
    request: unknown,
    messageId: string,
    entry: TranscriptEntry | undefined,
    protocol: string,
    rec: (() => InboxRecord) | undefined,
  ): Received {
    return Object.freeze({
      action,
      request,
      messageId,
      seq: entry?.seq ?? this.transcript.length,
      monotonicMs: entry?.monotonicMs ?? 0,
      wallTime: entry?.wallTime ?? '',
      protocol,
      reply: (response: unknown) => {
        const r = rec?.();
        const held = r === undefined ? undefined : this.held.get(r);
        if (held === undefined || r === undefined)
          throw new TypeError(`reply: ${action} #${entry?.seq ?? '?'} was not held (respond: 'hold'), or was answered already`);
        this.held.delete(r);
        held.settle(resolveReply(response, held.request, held.fallback));
      },
    });
  }

  /** @internal The handler of every received action: inbox, then the expectation's respond, a stub, or the default. */
  protected answer(action: string, request: unknown, ctx: HandlerContext, protocol: OcppVersion): unknown {
    const arriving = this.arriving.get(ctx.messageId);
    this.arriving.delete(ctx.messageId);
    const record: InboxRecord = {
      received: this.makeReceived(action, request, ctx.messageId, arriving?.entry, protocol, () => record),
      consumed: false,
      answered: false,
    };
    let taken: { readonly respond: unknown } | undefined;
    try {
      taken = this.inbox.arrive(record);
    } catch (error) {
      // A fault of the kit (or of a user's matcher object) must not cost the charger its answer:
      // the stub or default still answers, and the transcript says what went wrong.
      this.recordEvent(`test kit error while matching ${action} (${ctx.messageId}): ${error instanceof Error ? error.message : String(error)}`);
    }
    let reply = taken?.respond;
    if (reply === undefined) {
      const stub = this.stubs.find((s) => s.action === action && s.left > 0);
      if (stub !== undefined) {
        reply = stub.reply;
        if (--stub.left === 0) this.stubs.splice(this.stubs.indexOf(stub), 1);
      }
    }
    record.answered = true;
    const fallback = defaultReply(protocol, this.role, action, request, () => ++this.transactionCounter);
    if (reply === 'no-reply' || reply === 'hold') {
      return new Promise((resolve, reject) => {
        const settle = (outcome: { response: unknown } | { error: Error }): void => ('error' in outcome ? reject(outcome.error) : resolve(outcome.response));
        if (reply === 'hold') this.held.set(record, { settle, fallback, request });
        // Once the connection is gone nothing can be sent: end the handler quietly (an RpcError
        // after close is dropped without a handlerError event).
        ctx.signal.addEventListener('abort', () => {
          this.held.delete(record);
          reject(createRpcError('GenericError', { description: 'connection closed' }));
        });
      });
    }
    if (reply === undefined) {
      if (fallback === undefined) throw createRpcError('NotSupported', { description: `the test kit has no default answer to ${action}: stub it` });
      return fallback;
    }
    const outcome = resolveReply(reply, request, fallback);
    if ('error' in outcome) throw outcome.error;
    return outcome.response;
  }
}

export { CallErrorReply };
