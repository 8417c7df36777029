import type { IncomingMessage, Server as HttpServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { EventEmitter } from 'eventemitter3';
import type { WebSocket } from 'ws';
import type { Handler, HandlerContext } from './core/context';
import { resolveSharedOptions, type SharedEndpointOptions } from './core/options';
import type { PayloadValidator } from './core/validator';
import { logTo } from './logger';
import { canSend, isKnownAction } from './ocpp/actions';
import { isForPath } from './ocpp/identity';
import { createPayloadValidator } from './ocpp/validation';
import type { DefaultOcppVersion, OcppVersion } from './ocpp/version';
import { rulesFor } from './ocpp/version-rules';
import { Keepalive } from './transport/keepalive';
import { stationHeaders } from './server/station-headers';
import { DEFAULT_LISTEN_BACKLOG, ListenError, bind, createOwnServer, type ListenOptions } from './server/listen';
import {
  resolveCentralSystemOptions,
  wsCompressionSettings,
  type CentralSystemOptions,
  type CloseOptions,
  type ResolvedCentralSystemOptions,
} from './server/options';
import type { CentralSystemEvents } from './server/events';
import { decideUpgrade, factsOf, identityGuess, offeredProtocols, pathOf, type Admission } from './server/upgrade-decision';
import { LocalStationRegistry, type StationRegistry } from './station-registry';
import { localFleet, type Fleet } from './cluster/directory';
import { ClusterLink } from './cluster/link';
import { ServerReports } from './server/reports';
import { DEFAULT_CALL_TIMEOUT_MS } from './core/options';
import { isOcppVersion } from './ocpp/version';
import {
  Station,
  trackBoot,
  type AnyStation,
  type CentralSystemIncoming,
  type StationContextFields,
  type StationHandler,
  type StationHandlerContext,
  type StationHooks,
} from './station';
import { socketTransport, type SocketTransportOptions } from './transport/socket-transport';
import { UpgradeServer, type AcceptVerdict } from './transport/server';

// The server's parts live in src/server/; their public names are re-exported here, where the
// package's door (src/index.ts) finds them beside the class.
export type { AuthRequest, AuthResult, SecurityProfile } from './server/authenticate';
export type { CentralSystemErrorEvent, CentralSystemEvents, DisconnectEvent, RefusedEvent, StationHandlerErrorEvent } from './server/events';
export { DEFAULT_LISTEN_BACKLOG, ListenError, type ListenErrorInit, type ListenFailure, type ListenOptions } from './server/listen';
export {
  DEFAULT_COMPRESSION,
  DEFAULT_DUPLICATE_IDENTITY,
  DEFAULT_SECURITY_PROFILE,
  type BootGatingOptions,
  type CentralSystemOptions,
  type CloseOptions,
  type CompressionOptions,
} from './server/options';
export type { RefusalReason } from './server/upgrade-decision';

/**
 * How long a socket that is not a station (no usable subprotocol, a duplicate, one accepted while
 * shutting down) has to answer our close frame. Shutdown's grace does not cover it, and ws would
 * otherwise hold it (and close()) for its 30 s closing timeout.
 */
const UNWANTED_SOCKET_GRACE_MS = 1000;
/**
 * How long a closed station has to finish the closing handshake before its socket is dropped,
 * as the ChargePoint does: long enough for any live peer, short enough that `close()` of a
 * station (or of the whole server) cannot be held up by one that never answers.
 */
const CLOSE_HANDSHAKE_GRACE_MS = 2000;
/** How often shutdown looks whether calls in flight were answered (`waitForPendingMs`). */
const PENDING_POLL_MS = 10;

/**
 * The server that charge points connect to: OCPP-J 1.6 and 2.0.1 over WebSocket, strict by
 * default, typed by version and direction.
 *
 * @typeParam V - the versions served (inferred from `protocols`).
 *
 * @example
 * ```ts
 * const cs = new CentralSystem({ protocols: ['ocpp2.0.1', 'ocpp1.6'] });
 * cs.handle('ocpp1.6', 'BootNotification', () => ({ status: 'Accepted', currentTime: new Date().toISOString(), interval: 300 }));
 * cs.on('connection', (station) => console.log(station.identity, station.protocol));
 * await cs.listen({ port: 9220 });
 * ```
 */
export class CentralSystem<V extends OcppVersion = DefaultOcppVersion> extends EventEmitter<CentralSystemEvents<V>> {
  /** The stations connected to this server (this node), by identity. */
  readonly stations: StationRegistry<AnyStation<V>>;
  /**
   * Every station of the fleet by identity, wherever it is connected: with a `cluster` adapter a
   * station on another node is a {@link RemoteStation} whose `call()` travels there; without
   * one, the same stations as {@link CentralSystem.stations}.
   */
  readonly fleet: Fleet<V>;
  /** The subprotocols served, in order of preference. */
  readonly protocols: readonly V[];

  private readonly options: ResolvedCentralSystemOptions<V>;
  private readonly reports: ServerReports<V>;
  private readonly cluster: ClusterLink<V> | undefined;
  private readonly validators = new Map<OcppVersion, PayloadValidator>();
  /** Default handlers per version, looked up by every station of it on each CALL. */
  private readonly defaults = new Map<OcppVersion, Map<string, Handler<unknown, unknown, StationHandlerContext>>>();
  /** Per version: the endpoint options its stations share (see endpointOptionsFor). */
  private readonly endpointOptions = new Map<OcppVersion, SharedEndpointOptions<StationContextFields>>();
  private readonly upgrades: UpgradeServer<Admission<V>>;
  /** The connected stations of this process and their sockets: pinged, and closed at shutdown. */
  private readonly live: Keepalive<Station, WebSocket>;
  /** The socket transport options of every station: one object for all (see open()). */
  private readonly transportOptions: SocketTransportOptions;
  private readonly attached = new Set<HttpServer>();
  private ownServer: HttpServer | undefined;
  /** Set by the first close(): the promise of the shutdown every later close() returns. */
  private shutdownDone: Promise<void> | undefined;
  /** Upgrades on attached servers: those outside `path` are left to the server's other listeners. */
  private readonly onAttachedUpgrade = (req: IncomingMessage, socket: Duplex, head: Buffer): void => {
    if (isForPath(pathOf(req.url ?? '/'), this.options.path)) this.handleUpgrade(req, socket, head);
  };

  /** @throws TypeError naming the option when an option is invalid. */
  constructor(options: CentralSystemOptions<V> = {}) {
    super();
    const resolved = resolveCentralSystemOptions(options);
    this.options = resolved;
    this.reports = new ServerReports<V>(this, resolved);
    this.protocols = resolved.protocols;
    // Built once per version and shared by every station: validators cache per-action policy.
    for (const p of this.protocols) this.validators.set(p, createPayloadValidator(p, resolved.validation?.[p]));
    // Every connection builds an endpoint from these: check them now (a bad value would otherwise
    // throw from a socket callback on the first connection), once per version.
    for (const p of this.protocols) this.endpointOptionsFor(p);

    this.stations = resolved.registry ?? new LocalStationRegistry<AnyStation<V>>();
    this.cluster =
      resolved.cluster &&
      new ClusterLink<V>({
        adapter: resolved.cluster,
        local: this.stations,
        validatorFor: (protocol) => this.validatorFor(protocol),
        callTimeoutMs: resolved.endpoint.callTimeoutMs ?? DEFAULT_CALL_TIMEOUT_MS,
        replace: resolved.duplicateIdentity === 'replace',
        report: (error, identity) => this.reports.report(error, identity),
      });
    this.fleet = this.cluster?.directory ?? localFleet(this.stations);
    this.live = new Keepalive<Station, WebSocket>({
      intervalMs: resolved.pingIntervalMs,
      pongTimeoutMs: resolved.pongTimeoutMs,
      onTimeout: (station) => {
        if (resolved.logger)
          logTo(resolved.logger, 'warn', { event: 'pong-timeout', identity: station.identity, protocol: station.protocol }, 'no pong: terminating');
      },
    });
    this.transportOptions = {
      maxBufferedBytes: resolved.maxBufferedBytes,
      readPauseBufferedBytes: resolved.readPauseBufferedBytes,
      // ws alone would compress every message, a 60-byte Heartbeat answer too.
      compressMinLength: resolved.compression === false ? 0 : resolved.compression.thresholdBytes,
      oneMessagePerTurn: true,
    };
    this.upgrades = new UpgradeServer<Admission<V>>({
      decide: (req) => decideUpgrade(factsOf(req), resolved, (identity) => this.fleet.has(identity)),
      onOpen: (ws, req, verdict) => this.open(ws, req, verdict),
      onRefused: (req, verdict, own) => this.reports.refused(req, verdict, own),
      onError: (error, req) => this.reports.report(error, identityGuess(req.url ?? '', resolved.path)),
      perMessageDeflate: wsCompressionSettings(resolved.compression),
      maxPayloadBytes: resolved.maxPayloadBytes,
      handshakeTimeoutMs: resolved.handshakeTimeoutMs,
    });
  }

  /** The bound port after {@link CentralSystem.listen}, else undefined. */
  get port(): number | undefined {
    const address = this.ownServer?.address();
    return typeof address === 'object' && address !== null ? address.port : undefined;
  }

  /**
   * Registers a default handler for `action` of `protocol`, used by every station of that
   * version that has no handler of its own for it. Its context's `station` is already a station
   * of that version.
   *
   * @example
   * ```ts
   * cs.handle('ocpp2.0.1', 'Heartbeat', () => ({ currentTime: new Date().toISOString() }));
   * cs.handle('ocpp1.6', 'StatusNotification', (req, { station }) => {
   *   void station.call('Reset', { type: 'Soft' }); // a 1.6 Reset: station is a Station<'ocpp1.6'>
   *   return {};
   * });
   * ```
   */
  // NoInfer: P and A come from `protocol` and `action` alone. Were the handler an inference site,
  // its return type would be read against a still-generic response type, which widens literals
  // ({ status: 'Accepted' } became { status: string }) and rejects every valid handler.
  handle<P extends V, A extends keyof CentralSystemIncoming<P> & string>(protocol: P, action: A, handler: NoInfer<StationHandler<P, A>>): this {
    if (!this.protocols.includes(protocol)) throw new TypeError(`handle: ${JSON.stringify(protocol)} is not one of this server's protocols`);
    if (!isKnownAction(protocol, action)) throw new TypeError(`handle: ${JSON.stringify(action)} is not an action of ${protocol}`);
    // The types already forbid it; plain JavaScript callers get told too.
    if (!canSend(protocol, 'ChargePoint', action)) throw new TypeError(`handle: ${action} is sent by the central system in ${protocol}, never received by it`);
    if (typeof handler !== 'function') throw new TypeError('handle: handler must be a function');
    let map = this.defaults.get(protocol);
    if (!map) this.defaults.set(protocol, (map = new Map<string, Handler<unknown, unknown, StationHandlerContext>>()));
    const h = handler as unknown as Handler<unknown, unknown, StationHandlerContext>;
    map.set(action, action === 'BootNotification' ? trackBoot(h) : h);
    return this;
  }

  /** Removes a default handler; returns whether there was one. */
  removeHandler(protocol: V, action: string): boolean {
    return this.defaults.get(protocol)?.delete(action) ?? false;
  }

  /**
   * Starts a server of its own (HTTP, or HTTPS with `tls`) on `port` (0 picks a free one), and
   * serves every upgrade on it (any other path is refused 404). Resolves with the bound address.
   *
   * @throws ListenError (rejects) when it cannot listen: already listening, closed, the address
   * in use or not available, the host not found, no right to the port.
   * @throws TypeError (rejects) for a bad port, or securityProfile 3 without `tls.requestCert`.
   */
  listen(options: ListenOptions): Promise<AddressInfo> {
    const port = options?.port;
    if (typeof port !== 'number' || !Number.isInteger(port) || port < 0 || port > 65535) {
      return Promise.reject(new TypeError(`listen: port must be an integer from 0 to 65535, got ${String(port)}`));
    }
    const host = options.host;
    const backlog = options.backlog ?? DEFAULT_LISTEN_BACKLOG;
    if (typeof backlog !== 'number' || !Number.isInteger(backlog) || backlog < 1) {
      return Promise.reject(new TypeError(`listen: backlog must be a positive integer, got ${String(backlog)}`));
    }
    if (this.ownServer) return Promise.reject(new ListenError({ reason: 'already-listening', port, host }));
    if (this.shutdownDone) return Promise.reject(new ListenError({ reason: 'closed', port, host }));
    if (this.options.securityProfile === 3 && options.tls !== undefined && options.tls.requestCert !== true) {
      // Without requestCert the TLS layer never asks for a certificate and every client is refused.
      return Promise.reject(new TypeError('listen: securityProfile 3 needs tls.requestCert: true (and the client CA in tls.ca)'));
    }
    const server = createOwnServer({
      tls: options.tls,
      handshakeTimeoutMs: this.options.handshakeTimeoutMs,
      // Before the request: nothing of it is known (no URL, no identity, no subprotocols).
      onRefused: (r) =>
        this.reports.emitRefused({
          reason: r.reason,
          status: r.status,
          detail: r.detail,
          identity: undefined,
          remoteAddress: r.remoteAddress,
          offeredProtocols: [],
          url: '',
        }),
    });
    // Nobody else listens on our own server: every upgrade is ours, answered even outside `path`.
    server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => this.handleUpgrade(req, socket, head));
    this.ownServer = server;
    return this.start()
      .then(() => bind(server, { port, host, backlog }, (error) => this.reports.report(error)))
      .catch((error: unknown) => {
        // A failed attempt leaves nothing behind: listen() may be called again.
        this.ownServer = undefined;
        throw error;
      });
  }

  /**
   * Serves OCPP upgrades on an existing HTTP(S) server. Its other requests stay its own, and so
   * do upgrades outside `path`: they are neither answered nor touched, so several CentralSystems
   * (on `/ocpp` and `/ocpp/v2`, say) and the application's own WebSocket endpoints (a `ws`
   * WebSocketServer with `noServer: true`, routed from the server's `upgrade` event) can share
   * one HTTP server. Whoever listens to the server's `upgrade` event must answer the requests
   * for its own paths; one that nobody answers stays open until the server's timeouts.
   *
   * Without `path` this server takes every upgrade of `server` (the identity is the last path
   * segment), so give it a `path` when it shares the server.
   *
   * @example
   * ```ts
   * const http = createServer();
   * new CentralSystem({ path: '/ocpp', protocols: ['ocpp1.6'] }).attach(http);
   * new CentralSystem({ path: '/ocpp/v2', protocols: ['ocpp2.0.1'] }).attach(http);
   * const live = new WebSocketServer({ noServer: true });
   * http.on('upgrade', (req, socket, head) => {
   *   if (req.url === '/live') live.handleUpgrade(req, socket, head, (ws) => live.emit('connection', ws, req));
   * });
   * ```
   */
  attach(server: HttpServer): this {
    // After close() the upgrades are answered 503; no keepalive timer to leak.
    if (this.shutdownDone === undefined) this.serve();
    if (!this.attached.has(server)) server.on('upgrade', this.onAttachedUpgrade);
    this.attached.add(server);
    return this;
  }

  /**
   * Handles one upgrade request, for applications that route upgrades themselves (Express,
   * Fastify, a shared server with other WebSocket endpoints). Every request given is answered,
   * outside `path` with 404.
   */
  handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    if (this.shutdownDone === undefined) this.serve();
    this.upgrades.handleUpgrade(req, socket, head);
  }

  /**
   * Joins the cluster (the `cluster` option) without serving stations, for a node that only
   * calls the stations of others (an API process, say). `listen()` joins first by itself, and
   * `attach()` and `handleUpgrade()` start joining. Resolves at once without a cluster.
   *
   * @throws (rejects) what the adapter failed with when it cannot join (the broker is unreachable).
   */
  start(): Promise<void> {
    return this.cluster?.start() ?? Promise.resolve();
  }

  /** Serving stations on a server we were given: ping them, and join the cluster in the background. */
  private serve(): void {
    this.live.start();
    this.cluster?.start().catch((error: unknown) => this.reports.report(error instanceof Error ? error : new Error(String(error))));
  }

  /**
   * Stops accepting connections, optionally lets calls in flight finish, closes every station
   * with `code` (1001 by default), and releases every timer and socket it owns. Resolves when all
   * is closed; calling it again returns the same promise.
   */
  close(options: CloseOptions = {}): Promise<void> {
    this.shutdownDone ??= this.shutdown(options);
    return this.shutdownDone;
  }

  private async shutdown(options: CloseOptions): Promise<void> {
    this.upgrades.close();
    for (const server of this.attached) server.off('upgrade', this.onAttachedUpgrade);
    this.attached.clear();
    const wait = options.waitForPendingMs ?? 0;
    if (wait > 0) {
      const until = Date.now() + wait;
      while (Date.now() < until && [...this.live.keys()].some((s) => s.pendingCalls + s.queuedCalls > 0)) {
        await new Promise((r) => setTimeout(r, PENDING_POLL_MS));
      }
    }
    this.live.stop();
    const code = options.code ?? 1001;
    const reason = options.reason ?? 'server shutting down';
    // Each resolves when its socket is really closed (station.close() bounds the handshake).
    await Promise.all([...this.live.keys()].map((station) => station.close(code, reason)));
    await this.cluster?.close().catch((error: unknown) => this.reports.report(error instanceof Error ? error : new Error(String(error))));
    const server = this.ownServer;
    if (server) {
      const done = new Promise<void>((resolve) => server.close(() => resolve()));
      // Idle keep-alive HTTP connections would otherwise hold close() for their timeout.
      server.closeAllConnections?.();
      await done;
    }
  }

  // ------------------------------------------------------------------ connections

  private open(ws: WebSocket, req: IncomingMessage, verdict: AcceptVerdict<Admission<V>>): void {
    const { identity, protocol, data, bootStatus } = verdict.data;
    const closing = this.shutdownDone !== undefined;
    // 'refuse' is checked in the decision, but attempts decided at the same time (an async
    // authenticate) all pass it: the one registered first must not be displaced by a later one.
    const duplicate = !closing && identity !== undefined && this.options.duplicateIdentity === 'refuse' && this.stations.has(identity);
    if (protocol === undefined || identity === undefined || closing || duplicate) {
      // The peer may still send anything until the close completes; ws reports what it cannot
      // parse as an 'error' event, which would be thrown with no listener.
      ws.on('error', (error) => this.reports.socketError(error, identity));
      if (protocol === undefined) ws.close(1002, 'no acceptable subprotocol');
      else if (duplicate) ws.close(1008, 'duplicate identity');
      else ws.close(1001, 'server shutting down');
      dropAfter(ws, UNWANTED_SOCKET_GRACE_MS);
      if (protocol === undefined) {
        this.reports.refusedRequest(
          req,
          101,
          'no-subprotocol',
          `none of the offered subprotocols (${offeredProtocols(req).join(', ') || 'none'}) is served (${this.protocols.join(', ')})`,
        );
      } else if (duplicate) {
        this.reports.refusedRequest(req, 101, 'duplicate-identity', `${identity} is already connected`);
      }
      return;
    }
    // One options object for every socket (the transport keeps it, not a copy); socket errors
    // reach us through the station (hooks.error), so no closure per connection is needed.
    const transport = socketTransport(ws, this.transportOptions);
    const station = new Station(
      {
        identity,
        protocol,
        remoteAddress: req.socket.remoteAddress,
        headers: stationHeaders(req.headers),
        data,
        bootStatus,
        gating: this.options.bootGating,
        hooks: this.hooks,
      },
      this.endpointOptionsFor(protocol),
      transport,
    ) as Station;
    this.live.watch(station, ws);
    const log = this.options.logger;
    if (log && this.options.logFrames) {
      station.on('frame', (e) =>
        logTo(log, 'debug', { event: 'frame', identity, direction: e.direction, messageId: e.messageId, action: e.action, text: e.text }, 'ocpp frame'),
      );
    }
    if (log) this.reports.logStation(station, log);
    const previous = this.stations.add(station as AnyStation<V>);
    this.cluster?.opened(station);
    if (previous !== undefined && previous !== (station as AnyStation<V>)) {
      void (previous as Station).close(1008, 'replaced by a newer connection with the same identity');
    }
    if (log) logTo(log, 'info', { event: 'connection', identity, protocol, remoteAddress: station.remoteAddress }, 'station connected');
    this.emit('connection', station as AnyStation<V>);
  }

  /** What every station tells us (one object for all, instead of listeners per station). */
  private readonly hooks: StationHooks = {
    closed: (station, code, reason) => {
      this.live.unwatch(station);
      this.stations.remove(station as AnyStation<V>);
      this.cluster?.closed(station, code, reason);
      const log = this.options.logger;
      if (log) logTo(log, 'info', { event: 'disconnect', identity: station.identity, protocol: station.protocol, code, reason }, 'station disconnected');
      this.emit('disconnect', { station: station as AnyStation<V>, code, reason });
    },
    error: (station, error) => {
      // ws closed the connection for a protocol error and waits for the peer's close frame: a
      // peer that broke the protocol is not trusted to send one within ws's 30 s.
      const socket = this.reports.socketError(error, station.identity) ? this.live.socketOf(station) : undefined;
      if (socket !== undefined) dropAfter(socket, CLOSE_HANDSHAKE_GRACE_MS);
    },
    handlerFailed: (station, event) => this.reports.handlerFailed(station, event),
    closing: (station) => {
      const socket = this.live.socketOf(station);
      if (socket !== undefined) dropAfter(socket, CLOSE_HANDSHAKE_GRACE_MS);
    },
  };

  /** The validator of `protocol`: this server's for a version it serves, a strict one for another (calls to other nodes' stations). */
  private validatorFor(protocol: string): PayloadValidator | undefined {
    if (!isOcppVersion(protocol)) return undefined;
    let validator = this.validators.get(protocol);
    if (validator === undefined) this.validators.set(protocol, (validator = createPayloadValidator(protocol)));
    return validator;
  }

  /**
   * The endpoint options every station of `protocol` shares: resolved and checked once, so that
   * a connection neither re-checks them nor carries its own copy.
   */
  private endpointOptionsFor(protocol: V): SharedEndpointOptions<StationContextFields> {
    let shared = this.endpointOptions.get(protocol);
    if (shared === undefined) {
      const defaults = this.defaults;
      shared = resolveSharedOptions<StationContextFields>({
        ...this.options.endpoint,
        rules: rulesFor(protocol),
        validator: this.validators.get(protocol),
        // Looked up on each CALL, so defaults registered after connections opened still apply.
        fallbackHandler: (action) => defaults.get(protocol)?.get(action) as Handler<unknown, unknown, HandlerContext & StationContextFields> | undefined,
      });
      this.endpointOptions.set(protocol, shared);
    }
    return shared;
  }
}

/** Drops `socket` if its closing handshake has not ended within `ms`; the timer goes with the socket. */
function dropAfter(socket: WebSocket, ms: number): void {
  if (socket.readyState === socket.CLOSED) return;
  const timer = setTimeout(() => socket.terminate(), ms);
  timer.unref?.();
  socket.once('close', () => clearTimeout(timer));
}
