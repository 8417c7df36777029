import type { Handler, HandlerContext } from './core/context';
import { RpcEndpoint, type CallOptions } from './core/endpoint';
import type { RpcErrorCode } from './core/error-codes';
import { withSharedOptions, type RpcEndpointOptions, type SharedEndpointOptions } from './core/options';
import type { Transport } from './core/transport';
import { canSend, isKnownAction, type IncomingActions, type OutgoingActions, type SendActions, type Shapes } from './ocpp/actions';
import type { OcppVersion } from './ocpp/version';
import { bootStatusOf, type BootStatus } from './ocpp/boot-status';
import { isThenable } from './core/guards';
import type { HandlerErrorEvent } from './core/events';

export type { BootStatus } from './ocpp/boot-status';

/** The actions a central system may call on a station of version `V`. */
export type CentralSystemOutgoing<V extends OcppVersion> = Shapes<OutgoingActions<V, 'CentralSystem'>>;
/** The actions a central system handles from a station of version `V` (its CALLs, and on 2.1 its SENDs). */
export type CentralSystemIncoming<V extends OcppVersion> = Shapes<IncomingActions<V, 'CentralSystem'>>;
/** The actions a central system may send to a station of version `V` as a SEND: none in OCPP 2.1 (kept for symmetry and later editions). */
export type CentralSystemSendActions<V extends OcppVersion> = SendActions<V, 'CentralSystem'>;

/**
 * Extra fields on the context of handlers that serve a station of version `V`: inside
 * `cs.handle('ocpp1.6', ...)` the station is already a `Station<'ocpp1.6'>`.
 */
export interface StationContextFields<V extends OcppVersion = OcppVersion> {
  /** The station whose CALL is being handled. */
  readonly station: AnyStation<V>;
}

/**
 * The handler context on the central-system side, for stations of version `V`: `station` is a
 * `Station<V>` and `protocol` is `V`.
 */
export type StationHandlerContext<V extends OcppVersion = OcppVersion> = HandlerContext & StationContextFields<V> & { readonly protocol: V };

/** A handler for action `A` of version `V` on the central-system side. */
export type StationHandler<V extends OcppVersion, A extends keyof CentralSystemIncoming<V>> = Handler<
  CentralSystemIncoming<V>[A]['request'],
  CentralSystemIncoming<V>[A]['response'],
  StationHandlerContext<V>
>;

/** @internal Facts about a connection, fixed at the handshake. */
export interface StationInit<V extends OcppVersion> {
  identity: string;
  protocol: V;
  remoteAddress: string | undefined;
  headers: Readonly<Record<string, string | string[] | undefined>>;
  /** What the `authenticate` hook attached, if anything. */
  data: unknown;
  /** Initial registration state (from `bootGating.isAccepted`), undefined when unknown. */
  bootStatus: BootStatus | undefined;
  /** Whether CALLs other than BootNotification are refused before registration. */
  gating: boolean;
  /** The central system's side of the station's life: one object shared by all its stations. */
  hooks: StationHooks;
}

/** @internal What a station tells its central system; shared, so no closure per station. */
export interface StationHooks {
  /** The station closed (before its `close` listeners run). */
  closed(station: Station, code: number, reason: string): void;
  /** Its socket reported an error (a close follows). */
  error(station: Station, error: Error): void;
  /** One of its handlers failed (see RpcEndpoint's handlerFailed). */
  handlerFailed(station: Station, event: HandlerErrorEvent): void;
  /**
   * The application closes the station: bound the closing handshake, so that a peer that never
   * answers the close frame cannot hold the socket (and `close()`'s promise) for ws's 30 s.
   */
  closing(station: Station): void;
}

/**
 * What a CALL may be answered while the station is not registered (checklist item 48):
 * BootNotification always; while Pending, what the central system itself asked for with a
 * trigger; nothing else.
 */
const TRIGGER_TARGETS: Readonly<Record<string, string>> = {
  SignChargePointCertificate: 'SignCertificate',
  SignChargingStationCertificate: 'SignCertificate',
  SignV2GCertificate: 'SignCertificate',
  SignCombinedCertificate: 'SignCertificate',
};

/**
 * One connected charge point (1.6) or charging station (2.0.1, 2.1), as the central system sees it:
 * an {@link RpcEndpoint} typed for version `V`, plus what the handshake established.
 *
 * Its `call()` takes the actions a central system sends to a station of version `V`,
 * {@link CentralSystemOutgoing} (1.6: Reset, RemoteStartTransaction, ... DataTransfer), and
 * `handle()` those it receives, {@link CentralSystemIncoming}, each with its request and response
 * type from `OCPP16`, `OCPP201` or `OCPP21`; anything else does not compile.
 *
 * Narrow a station of unknown version on `station.protocol` to get the exact action map:
 *
 * @example
 * ```ts
 * cs.on('connection', (station) => {
 *   if (station.protocol === 'ocpp1.6') {
 *     station.handle('Heartbeat', () => ({ currentTime: new Date().toISOString() }));
 *     void station.call('Reset', { type: 'Soft' });        // 1.6 request type
 *   } else {
 *     void station.call('Reset', { type: 'Immediate' });   // 2.0.1 request type
 *   }
 * });
 * ```
 */
export class Station<V extends OcppVersion = OcppVersion> extends RpcEndpoint<CentralSystemOutgoing<V>, CentralSystemIncoming<V>, StationContextFields> {
  /** The identity from the connection URL, percent-decoded. */
  readonly identity: string;
  /** The negotiated subprotocol. */
  readonly protocol: V;
  /** The peer's IP address, as the socket reports it. */
  readonly remoteAddress: string | undefined;
  /**
   * The HTTP headers of the upgrade request, without the WebSocket handshake's own (Connection,
   * Upgrade, Sec-WebSocket-Key, -Version and -Extensions); an Authorization header is kept as
   * `[redacted]`.
   */
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
  /** What the `authenticate` hook attached (`{ accept: true, data }`), else undefined. */
  readonly data: unknown;
  /** When the connection opened (ms since the epoch). */
  readonly connectedAt: number;
  /** Registration state, from the answers given to its BootNotifications. */
  bootStatus: BootStatus | undefined;

  private readonly gating: boolean;
  private readonly hooks: StationHooks;
  /** The transport, for `close()` to wait for the socket to be gone. */
  private readonly link: Transport;
  /** What we triggered while Pending; made on first use (most stations never need it). */
  private triggered: Set<string> | undefined = undefined;

  /**
   * @internal Built by {@link CentralSystem}; not meant to be constructed by users. `shared` are
   * endpoint options the central system resolved once for the version (see resolveSharedOptions).
   */
  constructor(init: StationInit<V>, shared: SharedEndpointOptions<StationContextFields>, transport: Transport) {
    // `this` does not exist before super(): the context and the gate get it right after.
    const context = { station: undefined as unknown as AnyStation };
    super(
      withSharedOptions(shared, {
        transport,
        identity: init.identity,
        context,
        inboundGate: init.gating ? (action: string) => (context.station as Station).gate(action) : undefined,
      }) as unknown as RpcEndpointOptions<StationContextFields>,
    );
    context.station = this as unknown as AnyStation;
    this.identity = init.identity;
    this.protocol = init.protocol;
    this.remoteAddress = init.remoteAddress;
    this.headers = init.headers;
    this.data = init.data;
    this.bootStatus = init.bootStatus;
    this.gating = init.gating;
    this.hooks = init.hooks;
    this.link = transport;
    this.connectedAt = Date.now();
  }

  /** @internal */
  protected override onTeardown(code: number, reason: string): void {
    this.hooks.closed(this, code, reason);
  }

  /** @internal */
  protected override transportError(error: Error): void {
    this.hooks.error(this, error);
  }

  /** @internal */
  protected override handlerFailed(event: HandlerErrorEvent): void {
    this.hooks.handlerFailed(this, event);
  }

  /**
   * Closes the connection (see {@link RpcEndpoint.close} for what happens to calls in flight)
   * and resolves once the socket is really closed: after the closing handshake, or after a
   * short grace when the station does not answer the close frame. Calling it again returns a
   * promise of the same moment.
   *
   * @example
   * ```ts
   * await station.close(1000, 'maintenance');
   * ```
   */
  // RpcEndpoint.close() returns nothing and ends the endpoint at once; a Station also tells when
  // its socket is gone, so callers that ignore the promise lose nothing.
  // eslint-disable-next-line @typescript-eslint/no-misused-promises
  override close(code = 1000, reason = ''): Promise<void> {
    if (!this.closed) {
      this.hooks.closing(this);
      super.close(code, reason);
    }
    return (this.link as { readonly closed?: Promise<void> }).closed ?? Promise.resolve();
  }

  /**
   * Registers this station's handler for `action` (it wins over the central system's default).
   * A BootNotification handler's answers also set {@link Station.bootStatus}.
   */
  override handle<A extends keyof CentralSystemIncoming<V> & string>(action: A, handler: StationHandler<V, A>): this {
    // The core types the context without the version (ctx.protocol: string); it is the station's own.
    const h = handler as unknown as Handler<unknown, unknown, StationHandlerContext>;
    return super.handle(action, (action === 'BootNotification' ? trackBoot(h) : h) as never);
  }

  /**
   * Calls `action` on the station. See {@link RpcEndpoint.call} for how it settles, and
   * {@link CallOptions.accept} for refusing a valid answer on purpose.
   */
  override call<A extends keyof CentralSystemOutgoing<V> & string>(
    action: A,
    payload: CentralSystemOutgoing<V>[A]['request'],
    options?: CallOptions<CentralSystemOutgoing<V>[A]['response']>,
  ): Promise<CentralSystemOutgoing<V>[A]['response']> {
    const result = super.call(action, payload, options);
    if (!this.gating || this.bootStatus !== 'Pending') return result;
    // While Pending, a station may send what we triggered: remember what that is.
    const wanted = triggeredAction(action, payload);
    if (wanted === undefined) return result;
    return result.then((response) => {
      if ((response as { status?: unknown } | undefined)?.status === 'Accepted') (this.triggered ??= new Set()).add(wanted);
      return response;
    });
  }

  /**
   * Sends a SEND (OCPP 2.1) to the station, never answered; see {@link RpcEndpoint.send}. Typed to
   * {@link CentralSystemSendActions}, which OCPP 2.1 leaves empty: every 2.1 SEND action goes
   * from the station to the CSMS.
   *
   * @throws TypeError for an action the station sends, or one that is not a SEND; see {@link RpcEndpoint.send} for the rest.
   */
  override send<A extends keyof CentralSystemSendActions<V> & string>(action: A, payload: CentralSystemSendActions<V>[A]['request']): string {
    if (isKnownAction(this.protocol, action) && !canSend(this.protocol, 'CentralSystem', action))
      throw new TypeError(`send: ${action} is sent by the station in ${this.protocol}, never by a central system`);
    return super.send(action, payload);
  }

  /** Mark the station registered (e.g. it booted before a server restart and will not boot again). */
  markAccepted(): void {
    this.bootStatus = 'Accepted';
    this.triggered = undefined;
  }

  /** What an unregistered station's CALL of `action` is refused with, if it is (the inbound gate). */
  private gate(action: string): RpcErrorCode | undefined {
    if (action === 'BootNotification' || this.bootStatus === 'Accepted') return undefined;
    if (this.bootStatus === 'Pending' && this.triggered?.has(action) === true) return undefined;
    return 'SecurityError';
  }
}

/** A station of any of the versions `V`: narrow on `protocol` to get the version's actions. */
export type AnyStation<V extends OcppVersion = OcppVersion> = V extends OcppVersion ? Station<V> : never;

/** Which action a trigger-like request asks the station to send, if any. */
function triggeredAction(action: string, payload: unknown): string | undefined {
  if (action === 'GetBaseReport' || action === 'GetReport') return 'NotifyReport';
  if (action === 'GetMonitoringReport') return 'NotifyMonitoringReport';
  if (action !== 'TriggerMessage' && action !== 'ExtendedTriggerMessage') return undefined;
  const requested = (payload as { requestedMessage?: unknown } | undefined)?.requestedMessage;
  if (typeof requested !== 'string') return undefined;
  return TRIGGER_TARGETS[requested] ?? requested;
}

/** Records the status a BootNotification was answered with. */
function noteBootResponse(station: Station, status: BootStatus | undefined): void {
  if (status === 'Accepted') station.markAccepted();
  else if (status !== undefined) station.bootStatus = status;
}

/**
 * @internal Wraps a BootNotification handler so its answer updates the station's registration
 * state (not part of the public door).
 */
export function trackBoot(handler: Handler<unknown, unknown, StationHandlerContext>): Handler<unknown, unknown, StationHandlerContext> {
  return (request, ctx) => {
    const result = handler(request, ctx);
    const note = (response: unknown): unknown => {
      noteBootResponse(ctx.station as Station, bootStatusOf(response));
      return response;
    };
    return isThenable(result) ? Promise.resolve(result).then(note) : note(result);
  };
}
