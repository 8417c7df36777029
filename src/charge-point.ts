import { EventEmitter } from 'eventemitter3';
import type { Handler, HandlerContext } from './core/context';
import { RpcEndpoint, type CallOptions } from './core/endpoint';
import { ConnectionClosedError, RpcError, TimeoutError, ValidationError } from './core/errors';
import type { RpcEndpointEvents } from './core/events';
import { passedThrough, resolveSharedOptions } from './core/options';
import type { PayloadValidator } from './core/validator';
import { canSend, isKnownAction } from './ocpp/actions';
import { connectionUrl, checkIdentity } from './ocpp/identity';
import {
  DEFAULT_TRANSACTION_RETRY,
  MemoryQueueStore,
  isTransactionMessage,
  type OfflineQueueStore,
  type QueuedMessage,
  type TransactionRetryOptions,
} from './ocpp/offline-queue';
import { rulesFor } from './ocpp/version-rules';
import { isOcppVersion, type OcppVersion } from './ocpp/version';
import { bootStatusOf, type BootStatus } from './ocpp/boot-status';
import { createPayloadValidator, type ValidationPolicy } from './ocpp/validation';
import type { BootNotificationRequest as OCPP16BootRequest, BootNotificationResponse as OCPP16BootResponse } from './generated/ocpp16/types';
import type { BootNotificationRequest as OCPP201BootRequest, BootNotificationResponse as OCPP201BootResponse } from './generated/ocpp201/types';
import type { Logger } from './logger';
import { logTo } from './logger';
import type { IncomingActions, OutgoingActions, Shapes } from './ocpp/actions';
import { backoffDelay, resolveBackoff, type BackoffOptions } from './transport/backoff';
import { basicAuthHeader } from './transport/basic-auth';
import { IS_NODE_WEBSOCKET, openWebSocket, type ClientTlsOptions, type OpenedSocket } from './transport/client';

/** The actions a charge point of version `V` may call. */
export type ChargePointOutgoing<V extends OcppVersion> = Shapes<OutgoingActions<V, 'ChargePoint'>>;
/** The actions a charge point of version `V` handles. */
export type ChargePointIncoming<V extends OcppVersion> = Shapes<IncomingActions<V, 'ChargePoint'>>;

/** A handler for action `A` of version `V` on the charge-point side. */
export type ChargePointHandler<V extends OcppVersion, A extends keyof ChargePointIncoming<V>> = Handler<
  ChargePointIncoming<V>[A]['request'],
  ChargePointIncoming<V>[A]['response'],
  HandlerContext
>;

/** The BootNotification request of version `V`. */
export type BootRequest<V extends OcppVersion> = V extends 'ocpp1.6' ? OCPP16BootRequest : OCPP201BootRequest;
/** The BootNotification response of version `V`. */
export type BootResponse<V extends OcppVersion> = V extends 'ocpp1.6' ? OCPP16BootResponse : OCPP201BootResponse;

/** Per-call options of {@link ChargePoint.call}. */
export interface ChargePointCallOptions extends CallOptions {
  /**
   * Send even though BootNotification gating holds calls back (a test harness probing how the
   * central system treats an unregistered charger).
   * @default false
   */
  force?: boolean;
}

/** Offline behaviour (checklist items 45 and 46). */
export interface OfflineOptions {
  /**
   * Where queued messages are kept. Pass a durable store to survive restarts.
   * @default a MemoryQueueStore of 10000 messages
   */
  store?: OfflineQueueStore;
  /** Retries of transaction messages that fail (CALLERROR, or no answer). */
  retry?: TransactionRetryOptions;
  /**
   * Queue every call made while offline, not only transaction messages (2.0.1's
   * QueueAllMessages). Non-transaction calls are still not retried on CALLERROR.
   * @default false
   */
  queueAll?: boolean;
}

/**
 * Options of {@link ChargePoint}.
 *
 * @typeParam V - the OCPP version spoken.
 */
export interface ChargePointOptions<V extends OcppVersion = OcppVersion> {
  /** The central system's endpoint, e.g. `ws://csms.example.com/ocpp`; the identity is appended. */
  url: string;
  /** This charge point's identity (2.x: at most 48 characters, no ':'). */
  identity: string;
  /** The OCPP version to speak (its subprotocol). */
  protocol: V;
  /**
   * Basic-auth password (security profiles 1 and 2), sent on every connect (Node only). A string
   * is sent as UTF-8; bytes as they are (a 1.6 binary AuthorizationKey).
   */
  password?: string | Uint8Array;
  /** TLS options (Node): CA, client certificate for profile 3, verification. */
  tls?: ClientTlsOptions;
  /** Extra HTTP headers of the upgrade request (Node only). */
  headers?: Record<string, string>;
  /** Validation policy; strict unless set. */
  validation?: ValidationPolicy;
  /** How long calls wait for an answer. @default 30000 */
  callTimeoutMs?: number;
  /** Outstanding calls at once (OCPP: 1). @default 1 */
  callConcurrency?: number;
  /** Calls that may wait for a slot. @default 1000 */
  maxQueuedCalls?: number;
  /**
   * CALLs of the central system that may be in the hands of handlers at once; past it, the ones
   * accepted are answered and the connection is closed with 1008 `too many concurrent CALLs`
   * (then reconnected, if `reconnect` is on). `Infinity` turns it off.
   * @default 16
   */
  maxInboundCalls?: number;
  /**
   * Invalid messages the central system may send within `badMessageWindowMs`; one more closes
   * the connection with 1008 `too many invalid messages`. `Infinity` turns it off.
   * @default 100
   */
  maxBadMessages?: number;
  /** The sliding window of `maxBadMessages`. @default 60000 */
  badMessageWindowMs?: number;
  /**
   * Close the connection (1008) when more than this many bytes wait unsent, i.e. the central
   * system stopped reading; 0 turns the check off.
   * @default 8388608
   */
  maxBufferedBytes?: number;
  /**
   * Reconnect after a lost connection with the OCPP 2.0.1 back-off; `false` turns it off.
   * @default true (3 s minimum, 2 s random range, 5 doublings)
   */
  reconnect?: boolean | BackoffOptions;
  /** WebSocket ping interval (Node only; browsers cannot ping); 0 turns it off. @default 30000 */
  pingIntervalMs?: number;
  /** How long a ping may go unanswered before the connection is dropped. @default pingIntervalMs */
  pongTimeoutMs?: number;
  /** Time allowed for the opening handshake. @default 10000 */
  handshakeTimeoutMs?: number;
  /** Offer permessage-deflate (Node only). @default true */
  compression?: boolean;
  /** Largest inbound message in bytes (Node only). @default 1048576 */
  maxPayloadBytes?: number;
  /** Offline queue of transaction messages. */
  offline?: OfflineOptions;
  /**
   * Hold this charge point's calls (other than BootNotification) until a BootNotification is
   * answered Accepted, as OCPP requires of a charger (checklist item 47). Calls with
   * `{ force: true }` are not held.
   * @default false
   */
  bootGating?: boolean;
  /** Receives structured log records; silent when absent. */
  logger?: Logger;
  /** Message id generator (tests). @default crypto.randomUUID */
  generateId?: () => string;
  /** Random numbers for the back-off jitter (tests). @default Math.random */
  random?: () => number;
  /** Capture the caller's stack on calls, for debugging timeouts. @default false */
  captureCallStack?: boolean;
}

/** Connection state of a {@link ChargePoint}. */
export type ChargePointState = 'idle' | 'connecting' | 'open' | 'reconnecting' | 'closed';

/** Events of {@link ChargePoint}, on top of the core's frame-level events of the current connection. */
export interface ChargePointEvents extends RpcEndpointEvents {
  /** A connection opened (first or after a reconnect). */
  open: (event: { readonly protocol: string; readonly reconnect: boolean }) => void;
  /** The connection was lost or closed. `willReconnect` says whether a new attempt follows. */
  disconnect: (event: { readonly code: number; readonly reason: string; readonly willReconnect: boolean }) => void;
  /** A reconnect attempt is scheduled. */
  reconnecting: (event: { readonly attempt: number; readonly delayMs: number; readonly error?: Error }) => void;
  /** A queued message was given up after its attempts, or the store failed. */
  queueDropped: (event: { readonly action: string; readonly payload: unknown; readonly attempts: number; readonly error: unknown }) => void;
  /** Something went wrong that no caller can be told about. */
  error: (event: { readonly error: Error }) => void;
}

const CORE_EVENTS = ['frame', 'badFrame', 'validationFailed', 'responseDropped', 'handlerError', 'callResultError', 'limitExceeded', 'close'] as const;
type CoreEventName = (typeof CORE_EVENTS)[number];

/** A call made through the queue, waiting for its delivery. */
interface Waiter {
  resolve(value: unknown): void;
  reject(error: unknown): void;
}

/** Thrown by calls made while the charge point has no connection (and the message is not queued). */
export class NotConnectedError extends Error {
  /** The action that could not be sent. */
  readonly action: string;
  constructor(action: string, state: ChargePointState) {
    super(`${action} not sent: the charge point is ${state === 'closed' ? 'closed' : 'not connected'}`);
    this.action = action;
  }
}
NotConnectedError.prototype.name = 'NotConnectedError';

/**
 * The client side: a charge point (1.6) or charging station (2.0.1) connected to a central
 * system. Works in Node and in browsers. Reconnects with the OCPP back-off, keeps transaction
 * messages while offline and delivers them in order.
 *
 * @typeParam V - the OCPP version spoken, inferred from `protocol`.
 *
 * @example
 * ```ts
 * const cp = new ChargePoint({ url: 'ws://127.0.0.1:9220/ocpp', identity: 'CP001', protocol: 'ocpp1.6' });
 * cp.handle('RemoteStartTransaction', () => ({ status: 'Accepted' }));
 * await cp.connect();
 * const boot = await cp.call('BootNotification', { chargePointVendor: 'V', chargePointModel: 'M' });
 * await cp.close();
 * ```
 */
export class ChargePoint<V extends OcppVersion = OcppVersion> extends EventEmitter<ChargePointEvents> {
  /** The identity this charge point connects as. */
  readonly identity: string;
  /** The OCPP version spoken. */
  readonly protocol: V;
  /** The full connection URL (endpoint + '/' + percent-encoded identity). */
  readonly url: string;
  /** Registration state from the last BootNotification answer, when gating is on or a boot was sent. */
  bootStatus: BootStatus | undefined;

  private readonly options: ChargePointOptions<V>;
  private readonly validator: PayloadValidator;
  private readonly handlers = new Map<string, Handler<unknown, unknown, HandlerContext>>();
  private readonly backoff: ReturnType<typeof resolveBackoff> | undefined;
  private readonly store: OfflineQueueStore;
  private readonly retry: Required<TransactionRetryOptions>;
  private readonly waiters = new Map<string, Waiter>();
  private readonly forwarded = new Set<CoreEventName>();
  private endpoint: RpcEndpoint<ChargePointOutgoing<V>, ChargePointIncoming<V>> | undefined;
  private socket: OpenedSocket['socket'] | undefined;
  private socketClosed: Promise<void> | undefined;
  private stateValue: ChargePointState = 'idle';
  private attempt = 0;
  private reconnectTimer: ReturnType<typeof setTimeout> | undefined;
  private retryTimer: ReturnType<typeof setTimeout> | undefined;
  private wakeRetry: (() => void) | undefined;
  private pingTimer: ReturnType<typeof setInterval> | undefined;
  private pongTimer: ReturnType<typeof setTimeout> | undefined;
  private flushing = false;
  private queueKey = 0;
  private held: Array<() => void> = [];
  private closePromise: Promise<void> | undefined;
  private acceptedBoot: { readonly key: string; readonly response: unknown } | undefined;
  /** Waits of `boot()`, ended by close(). */
  private readonly pauses = new Set<() => void>();

  /** @throws TypeError naming the option when an option is invalid. */
  constructor(options: ChargePointOptions<V>) {
    super();
    if (typeof options !== 'object' || options === null) throw new TypeError('options must be an object');
    if (!isOcppVersion(options.protocol)) throw new TypeError(`protocol must be 'ocpp1.6' or 'ocpp2.0.1', got ${JSON.stringify(options.protocol)}`);
    if (typeof options.url !== 'string' || !/^wss?:\/\//i.test(options.url)) throw new TypeError(`url must be a ws:// or wss:// URL, got ${JSON.stringify(options.url)}`);
    if (typeof options.identity !== 'string') throw new TypeError('identity must be a string');
    const id = checkIdentity(options.identity, options.protocol !== 'ocpp1.6');
    if (!id.ok) throw new TypeError(`identity: ${id.detail}`);
    if (options.password !== undefined && !IS_NODE_WEBSOCKET) throw new TypeError('password: browsers cannot send Basic auth headers');
    for (const key of ['pingIntervalMs', 'pongTimeoutMs', 'handshakeTimeoutMs', 'callTimeoutMs', 'maxPayloadBytes'] as const) {
      const v = options[key];
      if (v !== undefined && (typeof v !== 'number' || !Number.isInteger(v) || v < (key === 'pingIntervalMs' ? 0 : 1))) {
        throw new TypeError(`${key} must be a ${key === 'pingIntervalMs' ? 'non-negative' : 'positive'} integer, got ${String(v)}`);
      }
    }
    if (options.maxBufferedBytes !== undefined && !(Number.isInteger(options.maxBufferedBytes) && options.maxBufferedBytes >= 0)) {
      throw new TypeError(`maxBufferedBytes must be a non-negative integer, got ${String(options.maxBufferedBytes)}`);
    }
    // Each connection builds an endpoint from these: check them now, not on every (re)connect.
    resolveSharedOptions({ ...passedThrough(options), rules: rulesFor(options.protocol) });
    this.options = options;
    this.identity = options.identity;
    this.protocol = options.protocol;
    this.url = connectionUrl(options.url, options.identity);
    this.validator = createPayloadValidator(options.protocol, options.validation);
    this.backoff = options.reconnect === false ? undefined : resolveBackoff(options.reconnect === true ? undefined : options.reconnect);
    this.store = options.offline?.store ?? new MemoryQueueStore();
    this.retry = { ...DEFAULT_TRANSACTION_RETRY, ...options.offline?.retry };
    if (!Number.isInteger(this.retry.attempts) || this.retry.attempts < 1) throw new TypeError(`offline.retry.attempts must be a positive integer, got ${this.retry.attempts}`);
    if (!(this.retry.retryIntervalMs >= 0)) throw new TypeError(`offline.retry.retryIntervalMs must be a non-negative number, got ${this.retry.retryIntervalMs}`);
  }

  /** Connection state. */
  get state(): ChargePointState {
    return this.stateValue;
  }

  /**
   * Registers the handler for a CALL the central system sends.
   *
   * @example
   * ```ts
   * cp.handle('Reset', (req) => ({ status: 'Accepted' }));
   * ```
   */
  handle<A extends keyof ChargePointIncoming<V> & string>(action: A, handler: ChargePointHandler<V, A>): this {
    if (!isKnownAction(this.protocol, action)) throw new TypeError(`handle: ${JSON.stringify(action)} is not an action of ${this.protocol}`);
    // The types already forbid it; plain JavaScript callers get told too.
    if (!canSend(this.protocol, 'CentralSystem', action)) throw new TypeError(`handle: ${action} is sent by the charge point in ${this.protocol}, never received by it`);
    if (typeof handler !== 'function') throw new TypeError('handle: handler must be a function');
    this.handlers.set(action, handler as unknown as Handler<unknown, unknown, HandlerContext>);
    return this;
  }

  /** Removes a handler; returns whether there was one. */
  removeHandler(action: keyof ChargePointIncoming<V> & string): boolean {
    return this.handlers.delete(action);
  }

  /**
   * Connects. Resolves once the WebSocket is open with the subprotocol; rejects if this first
   * attempt fails (bad URL, refused credentials: retrying would not help). Once connected, lost
   * connections are re-established with the back-off until {@link close}.
   */
  async connect(): Promise<void> {
    if (this.stateValue === 'closed') throw new Error('connect: this ChargePoint is closed; create a new one');
    if (this.stateValue !== 'idle') throw new Error(`connect: already ${this.stateValue}`);
    this.stateValue = 'connecting';
    try {
      await this.openOnce(false);
    } catch (error) {
      if (this.stateValue === 'connecting') this.stateValue = 'idle';
      throw error;
    }
  }

  /**
   * Calls `action` on the central system.
   *
   * Transaction messages (1.6 Start/StopTransaction and MeterValues with a transactionId; 2.0.1
   * TransactionEvent) go through the offline queue: sent in order, kept while offline, retried
   * when they fail; the promise settles when they are delivered or given up. Other calls made
   * while offline reject at once with {@link NotConnectedError} (unless `offline.queueAll`).
   */
  call<A extends keyof ChargePointOutgoing<V> & string>(
    action: A,
    payload: ChargePointOutgoing<V>[A]['request'],
    options?: ChargePointCallOptions,
  ): Promise<ChargePointOutgoing<V>[A]['response']> {
    if (this.stateValue === 'closed') return Promise.reject(new NotConnectedError(action, 'closed'));
    if (isTransactionMessage(this.protocol, action, payload) || (this.options.offline?.queueAll && this.stateValue !== 'open')) {
      return this.enqueue(action, payload, options);
    }
    const endpoint = this.endpoint;
    if (endpoint === undefined || this.stateValue !== 'open') return Promise.reject(new NotConnectedError(action, this.stateValue));
    if (this.gated(action, options)) return this.hold(() => this.call(action, payload, { ...options, force: true }));
    const result = endpoint.call(action, payload, options);
    return action === 'BootNotification' ? result.then((r) => this.noteBoot(r)) : result;
  }

  /**
   * Registers with the central system (checklist items 44 and 47). Sends BootNotification;
   * while the answer is Pending or Rejected, sends it again after the `interval` the central
   * system gave (or `retryIntervalMs` when it gave 0), until Accepted. A charge point already
   * accepted with the same request (on this or an earlier connection of this object) is not
   * booted again: the stored answer is returned without sending anything, as OCPP 2.0.1 §5.3
   * asks after a reconnect. While offline, it waits for the connection; a call that times out
   * is retried; a CALLERROR rejects.
   *
   * @example
   * ```ts
   * cp.on('open', () => void cp.boot({ chargePointVendor: 'V', chargePointModel: 'M' }));
   * ```
   */
  async boot(request: BootRequest<V>, options: { signal?: AbortSignal; retryIntervalMs?: number } = {}): Promise<BootResponse<V>> {
    const key = JSON.stringify(request);
    if (this.acceptedBoot !== undefined && this.acceptedBoot.key === key) return this.acceptedBoot.response as BootResponse<V>;
    const retryMs = options.retryIntervalMs ?? 30_000;
    for (;;) {
      options.signal?.throwIfAborted();
      let response: { status: string; interval: number };
      try {
        response = (await this.call('BootNotification' as never, request as never, { signal: options.signal })) as { status: string; interval: number };
      } catch (error) {
        if (error instanceof NotConnectedError && this.stateValue !== 'closed' && this.stateValue !== 'idle') {
          await this.pause(undefined, options.signal);
          continue;
        }
        if (!(error instanceof TimeoutError)) throw error;
        await this.pause(retryMs, options.signal);
        continue;
      }
      if (response.status === 'Accepted') {
        this.acceptedBoot = { key, response };
        return response as BootResponse<V>;
      }
      await this.pause(response.interval > 0 ? response.interval * 1000 : retryMs, options.signal);
    }
  }

  /** Waits `ms` (or, without it, for the next 'open'); ends early, with an error, on close or abort. */
  private pause(ms: number | undefined, signal: AbortSignal | undefined): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      const done = (error?: unknown): void => {
        clearTimeout(timer);
        this.off('open', onOpen);
        signal?.removeEventListener('abort', onAbort);
        this.pauses.delete(onClose);
        if (error === undefined) resolve();
        else reject(error);
      };
      const onOpen = (): void => done();
      const onAbort = (): void => done(signal?.reason);
      const onClose = (): void => done(new NotConnectedError('BootNotification', 'closed'));
      const timer = ms === undefined ? undefined : setTimeout(() => done(), ms);
      if (ms === undefined) this.once('open', onOpen);
      signal?.addEventListener('abort', onAbort, { once: true });
      this.pauses.add(onClose);
    });
  }

  /**
   * Closes the connection (1000) and stops reconnecting. Calls in flight reject with
   * ConnectionClosedError; queued transaction messages stay in the store.
   */
  close(code = 1000, reason = ''): Promise<void> {
    this.closePromise ??= new Promise<void>((resolve) => {
      this.stateValue = 'closed';
      clearTimeout(this.reconnectTimer);
      clearTimeout(this.retryTimer);
      this.wakeRetry?.();
      for (const wake of [...this.pauses]) wake();
      this.stopPing();
      const held = this.held;
      this.held = [];
      for (const release of held) release();
      // Queued messages stay in the store for the next ChargePoint; their callers learn now.
      this.rejectWaiters(new NotConnectedError('queued message', 'closed'));
      const endpoint = this.endpoint;
      const socketClosed = this.socketClosed;
      if (endpoint === undefined || socketClosed === undefined) {
        resolve();
        return;
      }
      endpoint.close(code, reason);
      // Resolve when the socket is really gone; a server that never finishes the closing
      // handshake must not hold close() up, so the socket is dropped after 2 s.
      const socket = this.socket;
      const t = setTimeout(() => socket?.terminate?.(), 2000);
      void socketClosed.then(() => {
        clearTimeout(t);
        resolve();
      });
    });
    return this.closePromise;
  }

  /**
   * Adds a listener. Core events (`frame`, `badFrame`, ...) are relayed from the current
   * connection, and from each one after a reconnect, only once somebody listens for them.
   */
  override on<K extends EventEmitter.EventNames<ChargePointEvents>>(event: K, listener: EventEmitter.EventListener<ChargePointEvents, K>, context?: unknown): this {
    this.forward(event);
    return super.on(event, listener, context);
  }

  /** Adds a one-time listener; see {@link ChargePoint.on}. */
  override once<K extends EventEmitter.EventNames<ChargePointEvents>>(event: K, listener: EventEmitter.EventListener<ChargePointEvents, K>, context?: unknown): this {
    this.forward(event);
    return super.once(event, listener, context);
  }

  /** Same as {@link ChargePoint.on}. */
  override addListener<K extends EventEmitter.EventNames<ChargePointEvents>>(event: K, listener: EventEmitter.EventListener<ChargePointEvents, K>, context?: unknown): this {
    return this.on(event, listener, context);
  }

  // ------------------------------------------------------------------ connection

  private async openOnce(reconnect: boolean): Promise<void> {
    const headers: Record<string, string> = { ...this.options.headers };
    if (this.options.password !== undefined) headers.Authorization = basicAuthHeader(this.identity, this.options.password);
    const opened = await openWebSocket({
      url: this.url,
      protocols: [this.protocol],
      headers: Object.keys(headers).length > 0 ? headers : undefined,
      tls: this.options.tls,
      perMessageDeflate: this.options.compression ?? true,
      maxPayloadBytes: this.options.maxPayloadBytes ?? 1024 * 1024,
      handshakeTimeoutMs: this.options.handshakeTimeoutMs ?? 10_000,
      transport: {
        maxBufferedBytes: this.options.maxBufferedBytes ?? 8 * 1024 * 1024,
        onError: (error) => this.emit('error', { error }),
        // ws compresses every message, however small, unless told otherwise (its threshold only
        // applies without context takeover): a 60-byte Heartbeat through zlib costs both sides
        // tens of microseconds and saves nothing.
        compressMinLength: 1024,
      },
    });
    if (this.stateValue === 'closed') {
      opened.transport.close(1000, 'closed');
      return;
    }
    if (opened.protocol !== this.protocol) {
      // Checklist item 38: a server that selected no (or another) subprotocol is not spoken to.
      opened.transport.close(1002, 'no acceptable subprotocol selected');
      throw new Error(`the server selected subprotocol ${JSON.stringify(opened.protocol)}, expected ${this.protocol}`);
    }
    this.attach(opened, reconnect);
  }

  private attach(opened: OpenedSocket, reconnect: boolean): void {
    const endpoint = new RpcEndpoint<ChargePointOutgoing<V>, ChargePointIncoming<V>>({
      ...passedThrough(this.options),
      transport: opened.transport,
      rules: rulesFor(this.protocol),
      validator: this.validator,
      identity: this.identity,
      fallbackHandler: (action) => this.handlers.get(action),
    });
    this.endpoint = endpoint;
    this.socket = opened.socket;
    this.socketClosed = opened.transport.closed;
    for (const name of this.forwarded) this.pipe(endpoint, name);
    const log = this.options.logger;
    if (log) {
      endpoint.once('limitExceeded', (e) =>
        logTo(log, 'warn', { event: 'limit-exceeded', identity: this.identity, limit: e.limit, max: e.max, code: e.code, reason: e.reason }, `central system passed ${e.limit}: closing`),
      );
    }
    endpoint.once('close', ({ code, reason }) => this.lost(endpoint, code, reason));
    this.stateValue = 'open';
    this.attempt = 0;
    this.startPing(opened.socket);
    if (this.options.logger) logTo(this.options.logger, 'info', { event: 'open', identity: this.identity, protocol: this.protocol, reconnect }, 'connected');
    this.emit('open', { protocol: opened.protocol, reconnect });
    void this.flush();
  }

  private lost(endpoint: RpcEndpoint<ChargePointOutgoing<V>, ChargePointIncoming<V>>, code: number, reason: string): void {
    if (this.endpoint !== endpoint) return;
    this.endpoint = undefined;
    this.socket = undefined;
    this.stopPing();
    const willReconnect = this.stateValue !== 'closed' && this.backoff !== undefined;
    if (this.options.logger) logTo(this.options.logger, 'info', { event: 'disconnect', identity: this.identity, code, reason, willReconnect }, 'disconnected');
    this.emit('disconnect', { code, reason, willReconnect });
    if (this.stateValue === 'closed') return;
    if (willReconnect) this.scheduleReconnect();
    else this.stateValue = 'idle';
  }

  private scheduleReconnect(error?: Error): void {
    const backoff = this.backoff;
    if (backoff === undefined || this.stateValue === 'closed') return;
    this.stateValue = 'reconnecting';
    const delayMs = backoffDelay(backoff, this.attempt, this.options.random ?? Math.random);
    this.emit('reconnecting', error === undefined ? { attempt: this.attempt + 1, delayMs } : { attempt: this.attempt + 1, delayMs, error });
    this.attempt++;
    this.reconnectTimer = setTimeout(() => {
      this.reconnectTimer = undefined;
      this.openOnce(true).catch((err: unknown) => this.scheduleReconnect(err instanceof Error ? err : new Error(String(err))));
    }, delayMs);
  }

  private startPing(socket: OpenedSocket['socket']): void {
    const interval = this.options.pingIntervalMs ?? 30_000;
    if (interval === 0 || typeof socket.ping !== 'function' || typeof socket.on !== 'function') return;
    const timeout = this.options.pongTimeoutMs ?? interval;
    socket.on('pong', () => clearTimeout(this.pongTimer));
    this.pingTimer = setInterval(() => {
      try {
        socket.ping?.();
      } catch {
        return;
      }
      clearTimeout(this.pongTimer);
      this.pongTimer = setTimeout(() => {
        if (this.options.logger) logTo(this.options.logger, 'warn', { event: 'pong-timeout', identity: this.identity }, 'no pong: dropping the connection');
        socket.terminate?.();
      }, timeout);
    }, interval);
  }

  private stopPing(): void {
    clearInterval(this.pingTimer);
    clearTimeout(this.pongTimer);
    this.pingTimer = undefined;
    this.pongTimer = undefined;
  }

  // ------------------------------------------------------------------ events

  private forward(event: keyof ChargePointEvents): void {
    if (!(CORE_EVENTS as readonly string[]).includes(event) || this.forwarded.has(event as CoreEventName)) return;
    // Listen on the endpoint only once someone listens here, so unobserved events stay free.
    this.forwarded.add(event as CoreEventName);
    if (this.endpoint) this.pipe(this.endpoint, event as CoreEventName);
  }

  private pipe(endpoint: RpcEndpoint<ChargePointOutgoing<V>, ChargePointIncoming<V>>, name: CoreEventName): void {
    endpoint.on(name, ((event: unknown) => this.emit(name, event as never)) as never);
  }

  // ------------------------------------------------------------------ boot gating

  private gated(action: string, options: ChargePointCallOptions | undefined): boolean {
    return this.options.bootGating === true && this.bootStatus !== 'Accepted' && action !== 'BootNotification' && options?.force !== true;
  }

  private hold<T>(send: () => Promise<T>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.held.push(() => {
        if (this.stateValue === 'closed') reject(new NotConnectedError('held call', 'closed'));
        else send().then(resolve, reject);
      });
    });
  }

  private noteBoot<T>(response: T): T {
    const status = bootStatusOf(response);
    if (status !== undefined) {
      this.bootStatus = status;
      if (status === 'Accepted') {
        const held = this.held;
        this.held = [];
        for (const release of held) release();
        void this.flush();
      }
    }
    return response;
  }

  // ------------------------------------------------------------------ offline queue

  private async enqueue(action: string, payload: unknown, options: ChargePointCallOptions | undefined): Promise<never> {
    let body = payload;
    // 2.0.1 TC_E_43: a TransactionEvent queued while offline says so.
    if (this.protocol === 'ocpp2.0.1' && action === 'TransactionEvent' && this.stateValue !== 'open' && typeof payload === 'object' && payload !== null) {
      body = { ...(payload as object), offline: true };
    }
    // Validate now: an invalid message would otherwise fail later, far from its caller.
    if (options?.validate !== false) {
      const issue = this.validator.validate(action, 'request', 'outbound', body);
      if (issue?.enforced) {
        throw new ValidationError({ direction: 'outbound', kind: 'request', action, code: issue.code, detail: issue.detail });
      }
    }
    const key = `${Date.now().toString(36)}-${(this.queueKey++).toString(36)}`;
    const message: QueuedMessage = { key, action, payload: body, attempts: 0, queuedAt: Date.now() };
    await this.store.push(message);
    const delivered = new Promise<never>((resolve, reject) => this.waiters.set(key, { resolve: resolve as (v: unknown) => void, reject }));
    void this.flush();
    return delivered;
  }

  private async flush(): Promise<void> {
    if (this.flushing) return;
    this.flushing = true;
    try {
      while (this.stateValue === 'open' && this.endpoint !== undefined && !(this.options.bootGating && this.bootStatus !== 'Accepted')) {
        const head = await this.store.peek();
        if (head === undefined) break;
        const endpoint = this.endpoint;
        const transactional = isTransactionMessage(this.protocol, head.action, head.payload);
        try {
          const response = await endpoint.call(head.action as never, head.payload as never);
          await this.store.shift();
          this.waiters.get(head.key)?.resolve(response);
          this.waiters.delete(head.key);
        } catch (error) {
          if (error instanceof ConnectionClosedError || endpoint.closed) break; // retried after reconnect, not counted
          const failed = error instanceof RpcError || error instanceof TimeoutError;
          const attempts = head.attempts + 1;
          if (!transactional || !failed || attempts >= this.retry.attempts) {
            await this.store.shift();
            this.waiters.get(head.key)?.reject(error);
            this.waiters.delete(head.key);
            if (transactional) this.emit('queueDropped', { action: head.action, payload: head.payload, attempts, error });
            continue;
          }
          await this.store.update({ ...head, attempts });
          // 1.6 §3.7: wait TransactionMessageRetryInterval times the sends so far.
          const waitMs = this.retry.retryIntervalMs * attempts;
          await new Promise<void>((resolve) => {
            this.wakeRetry = resolve;
            this.retryTimer = setTimeout(resolve, waitMs);
          });
          this.wakeRetry = undefined;
        }
      }
    } catch (error) {
      this.emit('error', { error: error instanceof Error ? error : new Error(String(error)) });
    } finally {
      this.flushing = false;
    }
  }

  private rejectWaiters(error: Error): void {
    const waiters = [...this.waiters.values()];
    this.waiters.clear();
    for (const w of waiters) w.reject(error);
  }
}
