/**
 * The ChargePoint: the client side, browser-safe. This file is the class and its public types;
 * the parts with a life of their own are in `src/client/`: the options (checked and defaulted
 * once), boot handling with its gates, the transaction outbox, and the types. Keepalive is the
 * server's too (`src/transport/keepalive.ts`), watching this client's one socket.
 */
import { EventEmitter } from 'eventemitter3';
import type { Handler, HandlerContext } from './core/context';
import { RpcEndpoint } from './core/endpoint';
import type { RpcErrorCode } from './core/error-codes';
import { withSharedOptions, type RpcEndpointOptions } from './core/options';
import { canSend, isKnownAction } from './ocpp/actions';
import type { BootStatus } from './ocpp/boot-status';
import { isTransactionMessage } from './ocpp/offline-queue';
import type { OcppVersion } from './ocpp/version';
import { logTo } from './logger';
import { backoffDelay } from './transport/backoff';
import { CLIENT_CLOSE_GRACE_MS, openWebSocket, type OpenedSocket } from './transport/client';
import { ConnectionError, SubprotocolError } from './transport/connection-errors';
import { clampDelayMs } from './transport/delay';
import { isPingable, Keepalive } from './transport/keepalive';
import { BootController, type BootOptions } from './client/boot';
import { logConnection, logRefusal } from './client/connection-log';
import { CoreEventRelay } from './client/event-relay';
import { NotConnectedError, NotRegisteredError, type ChargePointState } from './client/errors';
import { resolveChargePointOptions, type ChargePointCallOptions, type ChargePointOptions, type ResolvedChargePointOptions } from './client/options';
import { TransactionOutbox } from './client/outbox';
import type {
  BootRequest,
  BootResponse,
  ChargePointEvents,
  ChargePointHandler,
  ChargePointIncoming,
  ChargePointOutgoing,
  ChargePointSendActions,
  CallableAction,
  CallRequest,
  CallResponse,
} from './client/types';

export { NotConnectedError, NotRegisteredError } from './client/errors';
export type { NotConnectedErrorInit, NotRegisteredErrorInit, ChargePointState } from './client/errors';
export type { BootOptions } from './client/boot';
export type { ChargePointCallOptions, ChargePointOptions, ClientCompressionOptions, OfflineOptions } from './client/options';
export type { QueueDroppedEvent } from './client/outbox';
export type {
  BootRequest,
  BootResponse,
  CallableAction,
  CallRequest,
  CallResponse,
  ChargePointDisconnectEvent,
  ChargePointErrorEvent,
  ChargePointEvents,
  ChargePointHandler,
  ChargePointIncoming,
  ChargePointOpenEvent,
  ChargePointOutgoing,
  ChargePointSendActions,
  CommonChargePointAction,
  CommonRequest,
  CommonResponse,
  ReconnectingEvent,
} from './client/types';

/**
 * A ChargePoint of any one version, as a union that narrows on `protocol`: for a version that
 * comes from configuration (see {@link ChargePoint.create}). Distributive, like `AnyStation`:
 * `AnyChargePoint<'ocpp1.6'>` is `ChargePoint<'ocpp1.6'>`.
 */
export type AnyChargePoint<V extends OcppVersion = OcppVersion> = V extends OcppVersion ? ChargePoint<V> : never;

type ClientEndpoint<V extends OcppVersion> = RpcEndpoint<ChargePointOutgoing<V>, ChargePointIncoming<V>>;

/**
 * The client side: a charge point (1.6) or charging station (2.0.1, 2.1) connected to a central
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

  private readonly options: ResolvedChargePointOptions<V>;
  private readonly handlers = new Map<string, Handler<unknown, unknown, HandlerContext>>();
  private readonly bootControl: BootController;
  private readonly outbox: TransactionOutbox;
  private readonly relay = new CoreEventRelay((name, event) => this.emit(name, event as never));
  private endpoint: ClientEndpoint<V> | undefined;
  private socket: OpenedSocket['socket'] | undefined;
  private socketClosed: Promise<void> | undefined;
  private stateValue: ChargePointState = 'idle';
  private attempt = 0;
  private lastFailure: Error | undefined;
  private reconnectTimer: ReturnType<typeof setTimeout> | undefined;
  /** Pings the one open socket (Node only; undefined when `pingIntervalMs` is 0). */
  private readonly keepalive: Keepalive<'central system'> | undefined;
  private closePromise: Promise<void> | undefined;
  /** Checklist item 49 (with `bootGating`): what the central system's CALLs get while Rejected; one function for every connection. */
  private readonly inboundGate: RpcEndpointOptions['inboundGate'];

  /** @throws TypeError naming the option when an option is invalid. */
  constructor(options: ChargePointOptions<V>) {
    super();
    this.options = resolveChargePointOptions(options, (action) => this.handlers.get(action));
    this.identity = this.options.identity;
    this.protocol = this.options.protocol;
    this.url = this.options.url;
    this.bootControl = new BootController({
      protocol: this.protocol,
      gating: this.options.bootGating,
      state: () => this.stateValue,
      sendBoot: (request, signal) => this.call('BootNotification' as never, request as never, { signal }),
      onceOpen: (listener) => {
        this.once('open', listener);
        return () => this.off('open', listener);
      },
      accepted: () => void this.outbox.flush(),
    });
    this.outbox = new TransactionOutbox({
      protocol: this.protocol,
      store: this.options.offline.store,
      retry: this.options.offline.retry,
      validator: this.options.validator,
      connection: () => (this.stateValue === 'open' && !this.bootControl.holdsOutbox ? this.endpoint : undefined),
      onDropped: (event) => this.emit('queueDropped', event),
      onError: (error) => this.emit('error', { error }),
    });
    this.inboundGate = this.options.bootGating ? (action, payload) => this.refuseWhileRejected(action, payload) : undefined;
    if (this.options.pingIntervalMs > 0) {
      const log = this.options.logger;
      this.keepalive = new Keepalive({
        intervalMs: this.options.pingIntervalMs,
        pongTimeoutMs: this.options.pongTimeoutMs,
        // The socket is then terminated: close 1006, pending calls reject, and we reconnect.
        onTimeout: () => {
          if (log) logTo(log, 'warn', { event: 'pong-timeout', identity: this.identity }, 'no pong: dropping the connection');
        },
      });
    }
  }

  /**
   * Creates a ChargePoint typed as an {@link AnyChargePoint}: for a version known only at run
   * time, the result narrows on `protocol` (`new` gives a `ChargePoint<OcppVersion>`, which does
   * not). With a literal `protocol` it is the same as `new`.
   *
   * @example
   * ```ts
   * const cp = ChargePoint.create({ url, identity, protocol: config.version as OcppVersion });
   * await cp.connect();
   * if (cp.protocol === 'ocpp1.6') cp.handle('Reset', () => ({ status: 'Accepted' })); // cp: ChargePoint<'ocpp1.6'>
   * else cp.handle('Reset', () => ({ status: 'Accepted' })); // cp: ChargePoint<'ocpp2.0.1'>
   * ```
   * @throws TypeError naming the option when an option is invalid.
   */
  static create<P extends OcppVersion>(options: ChargePointOptions<P>): AnyChargePoint<P> {
    return new ChargePoint<P>(options) as unknown as AnyChargePoint<P>;
  }

  /** Connection state. */
  get state(): ChargePointState {
    return this.stateValue;
  }

  /** Registration state from the last BootNotification answer, when gating is on or a boot was sent. */
  get bootStatus(): BootStatus | undefined {
    return this.bootControl.status;
  }

  set bootStatus(status: BootStatus | undefined) {
    this.bootControl.status = status;
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
    if (!canSend(this.protocol, 'CentralSystem', action))
      throw new TypeError(`handle: ${action} is sent by the charge point in ${this.protocol}, never received by it`);
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
   * attempt fails (bad URL, refused credentials: retrying would not help) with a
   * {@link ConnectionError}: `HandshakeError` (the server answered with an HTTP status; its
   * `reason` is the response body, Node only), `SubprotocolError`, `TlsError` or `NetworkError`.
   * Once connected, lost connections are re-established with the back-off until {@link ChargePoint.close}.
   */
  async connect(): Promise<void> {
    if (this.stateValue === 'closed') throw new Error('connect: this ChargePoint is closed; create a new one');
    if (this.stateValue !== 'idle') throw new Error(`connect: already ${this.stateValue}`);
    this.stateValue = 'connecting';
    try {
      await this.openOnce(false);
    } catch (error) {
      if (this.stateValue === 'connecting') this.stateValue = 'idle';
      this.lastFailure = error instanceof Error ? error : undefined;
      throw error;
    }
  }

  /**
   * Calls `action` on the central system. Which actions: those a charge point of version `V`
   * sends, {@link ChargePointOutgoing} (`ChargePointOutgoing<'ocpp1.6'>`: BootNotification,
   * Authorize, StartTransaction, ... DataTransfer), each with its request and response type from
   * `OCPP16`, `OCPP201` or `OCPP21`; anything else does not compile.
   *
   * Transaction messages (1.6 Start/StopTransaction and MeterValues with a transactionId; 2.x
   * TransactionEvent) go through the offline queue: sent in order, kept while offline, retried
   * when they fail; the promise settles when they are delivered or given up. Other calls made
   * while offline reject at once with {@link NotConnectedError} (its `cause` is the last
   * connection failure, when there was one), unless `offline.queueAll`.
   *
   * Where `V` is not known (a `ChargePoint<V>` in a generic function), the actions every
   * version shares ({@link CommonChargePointAction}: Heartbeat, DataTransfer, ...) can still be
   * called, with a payload valid in all; for the others, narrow an {@link AnyChargePoint} on
   * `protocol` first.
   */
  call<A extends CallableAction<V>>(action: A, payload: CallRequest<V, A>, options?: ChargePointCallOptions<CallResponse<V, A>>): Promise<CallResponse<V, A>>;
  call(action: string, payload: unknown, options?: ChargePointCallOptions): Promise<unknown> {
    if (this.stateValue === 'closed') return Promise.reject(new NotConnectedError({ action, state: 'closed' }));
    if (isTransactionMessage(this.protocol, action, payload) || (this.options.offline.queueAll && this.stateValue !== 'open')) {
      return this.outbox.enqueue(action, payload, { validate: options?.validate, offline: this.stateValue !== 'open', accept: options?.accept });
    }
    const endpoint = this.endpoint;
    if (endpoint === undefined || this.stateValue !== 'open') {
      return Promise.reject(new NotConnectedError({ action, state: this.stateValue, cause: this.lastFailure }));
    }
    if (this.bootControl.gates(action, options?.force))
      return this.bootControl.hold(action, () => this.call(action as never, payload as never, { ...options, force: true }));
    if (action !== 'BootNotification') return endpoint.call(action as never, payload as never, options);
    // The registration status is noted as the answer is read, not a microtask later: a CALL of the
    // central system in the same read (a GetVariables right behind a Rejected) must meet the gate.
    const accept = options?.accept;
    const noting = {
      ...options,
      accept: (response: unknown) => {
        accept?.(response);
        this.bootControl.note(response);
      },
    };
    return endpoint.call(action as never, payload as never, noting);
  }

  /**
   * Sends a SEND (OCPP 2.1, message type 6) to the central system: a message that is never
   * answered, for the actions that travel that way, {@link ChargePointSendActions}
   * (NotifyPeriodicEventStream). It is validated and written at once, even while a CALL is in
   * flight; it is never queued, neither behind a CALL nor while offline, because a stream sample
   * is only worth its moment. Returns the message id.
   *
   * @example
   * ```ts
   * cp.send('NotifyPeriodicEventStream', { id: 1, pending: 0, basetime: new Date().toISOString(), data: [{ t: 0, v: '11.5' }] });
   * ```
   * @throws {@link NotConnectedError} while not connected; {@link NotRegisteredError} with
   * `bootGating` before the registration is Accepted; {@link ValidationError} when the payload
   * breaks its schema (nothing is sent); TypeError for an action that is not a SEND of this
   * version sent by a charge point, or on 1.6 and 2.0.1, which have no SEND.
   */
  send<A extends keyof ChargePointSendActions<V> & string>(action: A, payload: ChargePointSendActions<V>[A]['request']): string {
    if (isKnownAction(this.protocol, action) && !canSend(this.protocol, 'ChargePoint', action))
      throw new TypeError(`send: ${action} is sent by the central system in ${this.protocol}, never by a charge point`);
    const endpoint = this.endpoint;
    if (endpoint === undefined || this.stateValue !== 'open') throw new NotConnectedError({ action, state: this.stateValue, cause: this.lastFailure });
    if (this.bootControl.gates(action, undefined)) throw new NotRegisteredError({ action, bootStatus: this.bootControl.status });
    return endpoint.send(action, payload);
  }

  /**
   * Registers with the central system (checklist items 44 and 47). Sends BootNotification;
   * while the answer is Pending or Rejected, sends it again after the `interval` the central
   * system gave (or `retryIntervalMs` when it gave 0), until Accepted. Every wait is capped at
   * 2^31-1 ms (about 24.8 days), the longest a timer holds, so an interval too large for a timer
   * (or `1e400`) cannot turn into a retry storm. A charge point already accepted with the same
   * request (on this or an earlier connection of this object) is not booted again: the stored
   * answer is returned without sending anything, as OCPP 2.0.1 §5.3 asks after a reconnect.
   * While offline, it waits for the connection; a call that times out is retried; a CALLERROR
   * rejects.
   *
   * @example
   * ```ts
   * cp.on('open', () => void cp.boot({ chargePointVendor: 'V', chargePointModel: 'M' }));
   * ```
   */
  boot(request: BootRequest<V>, options: BootOptions = {}): Promise<BootResponse<V>> {
    return this.bootControl.boot(request, options) as Promise<BootResponse<V>>;
  }

  /**
   * Closes the connection (1000) and stops reconnecting. Calls in flight reject with
   * ConnectionClosedError; queued transaction messages stay in the store (their callers get a
   * NotConnectedError).
   */
  close(code = 1000, reason = ''): Promise<void> {
    this.closePromise ??= new Promise<void>((resolve) => {
      this.stateValue = 'closed';
      clearTimeout(this.reconnectTimer);
      this.stopKeepalive();
      this.bootControl.close();
      // Queued messages stay in the store for the next ChargePoint; their callers learn now.
      this.outbox.close(new NotConnectedError({ action: 'queued message', state: 'closed' }));
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
      const t = setTimeout(() => socket?.terminate?.(), CLIENT_CLOSE_GRACE_MS);
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
  override on<K extends EventEmitter.EventNames<ChargePointEvents>>(
    event: K,
    listener: EventEmitter.EventListener<ChargePointEvents, K>,
    context?: unknown,
  ): this {
    this.relay.want(event, this.endpoint);
    return super.on(event, listener, context);
  }

  /** Adds a one-time listener; see {@link ChargePoint.on}. */
  override once<K extends EventEmitter.EventNames<ChargePointEvents>>(
    event: K,
    listener: EventEmitter.EventListener<ChargePointEvents, K>,
    context?: unknown,
  ): this {
    this.relay.want(event, this.endpoint);
    return super.once(event, listener, context);
  }

  /** Same as {@link ChargePoint.on}. */
  override addListener<K extends EventEmitter.EventNames<ChargePointEvents>>(
    event: K,
    listener: EventEmitter.EventListener<ChargePointEvents, K>,
    context?: unknown,
  ): this {
    return this.on(event, listener, context);
  }

  // ------------------------------------------------------------------ connection

  private async openOnce(reconnect: boolean): Promise<void> {
    const o = this.options;
    const opened = await openWebSocket({
      url: this.url,
      protocols: [this.protocol],
      headers: o.headers === undefined ? undefined : { ...o.headers },
      tls: o.tls,
      perMessageDeflate: o.compression !== false,
      maxPayloadBytes: o.maxPayloadBytes,
      handshakeTimeoutMs: o.handshakeTimeoutMs,
      localAddress: o.localAddress,
      ...(o.webSocket === undefined ? {} : { factory: o.webSocket }),
      transport: {
        maxBufferedBytes: o.maxBufferedBytes,
        readPauseBufferedBytes: o.readPauseBufferedBytes,
        onError: (error) => this.emit('error', { error }),
        // ws compresses every message, however small, unless told otherwise (its threshold only
        // applies without context takeover).
        compressMinLength: o.compression === false ? 0 : o.compression.thresholdBytes,
      },
    });
    if (this.stateValue === 'closed') {
      opened.transport.close(1000, 'closed');
      return;
    }
    if (opened.protocol !== this.protocol) {
      // Checklist item 38: a server that selected no (or another) subprotocol is not spoken to.
      // Node's ws refuses that itself; a browser's WebSocket accepts "none" and lands here.
      opened.transport.close(1002, 'no acceptable subprotocol selected');
      throw new SubprotocolError({ url: this.url, protocols: [this.protocol], selectedProtocol: opened.protocol });
    }
    this.attach(opened, reconnect);
  }

  private attach(opened: OpenedSocket, reconnect: boolean): void {
    const endpoint: ClientEndpoint<V> = new RpcEndpoint(
      withSharedOptions(this.options.endpoint, {
        transport: opened.transport,
        identity: this.identity,
        inboundGate: this.inboundGate,
      }) as unknown as RpcEndpointOptions,
    );
    this.endpoint = endpoint;
    this.socket = opened.socket;
    this.socketClosed = opened.transport.closed;
    this.lastFailure = undefined;
    this.relay.attach(endpoint);
    const log = this.options.logger;
    if (log) logConnection(endpoint, log, this.identity);
    endpoint.once('close', ({ code, reason }) => this.lost(endpoint, code, reason));
    this.stateValue = 'open';
    this.attempt = 0;
    // A browser's WebSocket cannot ping from script: there the socket has no `ping` and is not watched.
    if (this.keepalive !== undefined && isPingable(opened.socket)) {
      this.keepalive.watch('central system', opened.socket);
      this.keepalive.start();
    }
    if (log) logTo(log, 'info', { event: 'open', identity: this.identity, protocol: this.protocol, reconnect }, 'connected');
    this.emit('open', { protocol: opened.protocol, reconnect });
    void this.outbox.flush();
  }

  private lost(endpoint: ClientEndpoint<V>, code: number, reason: string): void {
    if (this.endpoint !== endpoint) return;
    this.endpoint = undefined;
    this.socket = undefined;
    this.stopKeepalive();
    const willReconnect = this.stateValue !== 'closed' && this.options.reconnect !== undefined;
    if (this.options.logger) logTo(this.options.logger, 'info', { event: 'disconnect', identity: this.identity, code, reason, willReconnect }, 'disconnected');
    this.emit('disconnect', { code, reason, willReconnect });
    if (this.stateValue === 'closed') return;
    if (willReconnect) this.scheduleReconnect();
    else this.stateValue = 'idle';
  }

  private scheduleReconnect(error?: Error): void {
    const backoff = this.options.reconnect;
    if (backoff === undefined || this.stateValue === 'closed') return;
    this.stateValue = 'reconnecting';
    if (error !== undefined) this.lastFailure = error;
    const delayMs = clampDelayMs(backoffDelay(backoff, this.attempt, this.options.random));
    this.emit('reconnecting', error === undefined ? { attempt: this.attempt + 1, delayMs } : { attempt: this.attempt + 1, delayMs, error });
    this.attempt++;
    this.reconnectTimer = setTimeout(() => {
      this.reconnectTimer = undefined;
      this.openOnce(true).catch((err: unknown) =>
        this.scheduleReconnect(err instanceof Error ? err : new ConnectionError({ url: this.url, protocols: [this.protocol], cause: err })),
      );
    }, delayMs);
  }

  private refuseWhileRejected(action: string, payload: unknown): RpcErrorCode | null | undefined {
    const refusal = this.bootControl.refusal(action, payload);
    if (refusal !== undefined && this.options.logger) logRefusal(this.options.logger, this.identity, action, refusal);
    return refusal;
  }

  /** Stops pinging until the next connection opens. */
  private stopKeepalive(): void {
    this.keepalive?.stop();
    this.keepalive?.unwatch('central system');
  }
}
