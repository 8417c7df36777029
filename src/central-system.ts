import { createServer as createHttpServer, type IncomingMessage, type Server as HttpServer } from 'node:http';
import { createServer as createHttpsServer, type ServerOptions as HttpsServerOptions } from 'node:https';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import type { PeerCertificate, TLSSocket } from 'node:tls';
import { EventEmitter } from 'eventemitter3';
import type { WebSocket } from 'ws';
import type { Handler, HandlerContext } from './core/context';
import { passedThrough, resolveSharedOptions, type SharedEndpointOptions } from './core/options';
import { identityFromPath } from './ocpp/identity';
import { rulesFor } from './ocpp/version-rules';
import { OCPP_PROTOCOLS, isOcppVersion, type OcppVersion } from './ocpp/version';
import { createPayloadValidator, type ValidationPolicy } from './ocpp/validation';
import { canSend, isKnownAction } from './ocpp/actions';
import { LocalStationRegistry, type StationRegistry } from './station-registry';
import { Station, trackBoot, type AnyStation, type BootStatus, type CentralSystemIncoming, type StationContextFields, type StationHandler, type StationHandlerContext, type StationHooks } from './station';
import { parseBasicAuth, type BasicCredentials } from './transport/basic-auth';
import { socketClosed, socketTransport, type SocketTransportOptions } from './transport/socket-transport';
import { UpgradeServer, type AcceptVerdict, type RefuseVerdict, type UpgradeVerdict } from './transport/server';
import type { PayloadValidator } from './core/validator';
import type { Logger } from './logger';
import { logTo } from './logger';

/** OCPP security profiles (1.6 Security Whitepaper, 2.0.1 Part 2 A00). 0: no requirement. */
export type SecurityProfile = 0 | 1 | 2 | 3;

/** What the `authenticate` hook is told about a connection attempt, before the upgrade. */
export interface AuthRequest {
  /** The identity from the URL, percent-decoded and already checked for the version's rules. */
  readonly identity: string;
  /** The subprotocol that will be selected. */
  readonly protocol: OcppVersion;
  /** The subprotocols the client offered, in its order. */
  readonly offeredProtocols: readonly string[];
  /**
   * The Basic-auth credentials, when the client sent any. The username is already checked to
   * equal the identity (A00.FR.204). Compare passwords with `safeEqual`, never `===`.
   */
  readonly credentials: BasicCredentials | undefined;
  /** The client certificate, on TLS connections that presented one (security profile 3). */
  readonly certificate: PeerCertificate | undefined;
  /** Whether the TLS layer verified `certificate` against the configured CAs. */
  readonly certificateAuthorized: boolean;
  /** Whether the connection is TLS. */
  readonly secure: boolean;
  /** The peer's IP address, as the socket reports it (a proxy's, behind one). */
  readonly remoteAddress: string | undefined;
  /** The HTTP headers of the upgrade request, as received. */
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
  /** The request URL (path and query). */
  readonly url: string;
}

/**
 * The hook's verdict: `true` accepts; `false` refuses with HTTP 401; `{ accept: true, data }`
 * accepts and attaches `data` to the station; `{ accept: false, status, message }` refuses with
 * that status (default 401) and a short body.
 */
export type AuthResult =
  | boolean
  | {
      /** Accept the connection. */
      accept: true;
      /** Attached to the station as `station.data` (a tenant, a charger record, ...). */
      data?: unknown;
    }
  | {
      /** Refuse the connection. */
      accept: false;
      /** HTTP error status, 400-599. @default 401 */
      status?: number;
      /** Short plain-text body; never put internal details here. */
      message?: string;
    };

/** BootNotification gating settings (checklist items 47-49). */
export interface BootGatingOptions {
  /**
   * Whether a station that connects is already registered, e.g. because it booted before this
   * server restarted and will not send BootNotification again.
   */
  isAccepted?(station: { identity: string; protocol: OcppVersion }): boolean | Promise<boolean>;
}

/** permessage-deflate settings (RFC 7692); every field bounds memory or CPU. */
export interface CompressionOptions {
  /** Messages smaller than this are sent uncompressed. @default 1024 */
  thresholdBytes?: number;
  /** zlib level 1-9. @default 3 */
  level?: number;
  /** zlib memLevel 1-9 (memory per deflate context). @default 7 */
  memLevel?: number;
  /** LZ77 window bits 9-15 on both sides (memory per connection). @default 13 */
  windowBits?: number;
  /** Drop the compression context after each message: less memory, lower ratio. @default false */
  noContextTakeover?: boolean;
  /** Concurrent zlib operations per process. @default 10 */
  concurrencyLimit?: number;
}

/**
 * Options of {@link CentralSystem}.
 *
 * @typeParam V - the OCPP versions served.
 */
export interface CentralSystemOptions<V extends OcppVersion = OcppVersion> {
  /**
   * Subprotocols served, in the server's order of preference: the first one the client also
   * offers is selected (checklist item 36).
   * @default ['ocpp2.0.1', 'ocpp1.6']
   */
  protocols?: readonly V[];
  /**
   * Path prefix: clients connect to `<path>/<identity>`.
   * @default '/'
   */
  path?: string;
  /** Validation policy per version; strict everywhere unless set. */
  validation?: {
    /** Policy for OCPP 1.6 connections. */
    readonly 'ocpp1.6'?: ValidationPolicy;
    /** Policy for OCPP 2.0.1 connections. */
    readonly 'ocpp2.0.1'?: ValidationPolicy;
  };
  /** How long calls to stations wait for an answer. @default 30000 */
  callTimeoutMs?: number;
  /** Outstanding calls per station (OCPP: 1). @default 1 */
  callConcurrency?: number;
  /** Calls per station that may wait for a slot. @default 1000 */
  maxQueuedCalls?: number;
  /**
   * CALLs of one station that may be in the hands of handlers at once. A station passing it
   * (OCPP stations send one CALL at a time) gets the ones accepted answered and is then
   * disconnected with 1008 `too many concurrent CALLs`, so a flood cannot pile up work.
   * `Infinity` turns it off.
   * @default 16
   */
  maxInboundCalls?: number;
  /**
   * Invalid messages (unparsable frames, unknown message types or actions, answers to ids never
   * used, CALLs refused by validation) one station may send within `badMessageWindowMs`; one
   * more disconnects it with 1008 `too many invalid messages`. Generous for buggy but working
   * chargers. `Infinity` turns it off.
   * @default 100
   */
  maxBadMessages?: number;
  /** The sliding window of `maxBadMessages`. @default 60000 */
  badMessageWindowMs?: number;
  /** Interval of WebSocket pings to each station; 0 turns them off. @default 30000 */
  pingIntervalMs?: number;
  /** How long a ping may go unanswered before the station is disconnected. @default pingIntervalMs */
  pongTimeoutMs?: number;
  /** Decides on each connection before the upgrade (credentials, certificate, allow-list). */
  authenticate?: (request: AuthRequest) => AuthResult | Promise<AuthResult>;
  /**
   * The security profile this endpoint requires: 1 Basic auth; 2 Basic auth over TLS; 3 TLS
   * with a verified client certificate. Connections below it are refused before `authenticate`
   * runs (A00.FR.002). 0 leaves everything to `authenticate`.
   * @default 0
   */
  securityProfile?: SecurityProfile;
  /**
   * What happens when a station connects under an identity that is already connected:
   * `'replace'` closes the old connection (1008) and keeps the new one; `'refuse'` answers the
   * new one HTTP 409.
   * @default 'replace'
   */
  duplicateIdentity?: 'replace' | 'refuse';
  /**
   * permessage-deflate, which OCPP 2.0.1 requires a CSMS to support; negotiated only with
   * clients that offer it.
   * @default true (with the bounded defaults of {@link CompressionOptions})
   */
  compression?: boolean | CompressionOptions;
  /** Largest inbound message in bytes; a larger one closes the connection with 1009. @default 1048576 */
  maxPayloadBytes?: number;
  /** A station whose unsent data passes this many bytes is disconnected (it stopped reading). @default 8388608 */
  maxBufferedBytes?: number;
  /**
   * Time for `authenticate` and the handshake before the request is answered 408. On the server
   * of {@link CentralSystem.listen} it also bounds receiving the HTTP request itself, so idle
   * or slow-header connections are dropped after about this long.
   * @default 10000
   */
  handshakeTimeoutMs?: number;
  /**
   * Refuse CALLs other than BootNotification (SecurityError) from stations not registered by an
   * Accepted BootNotification answer; while Pending, only what the server triggered.
   * Off by default, because a station reconnecting after a server restart does not boot again:
   * turn it on with `isAccepted` to recognise those.
   * @default false
   */
  bootGating?: boolean | BootGatingOptions;
  /** Receives structured log records; silent when absent. */
  logger?: Logger;
  /** Also log every frame at debug level. @default false */
  logFrames?: boolean;
  /** Message id generator (tests). @default crypto.randomUUID */
  generateId?: () => string;
  /** Capture the caller's stack on calls, for debugging timeouts. @default false */
  captureCallStack?: boolean;
  /** Where connected stations are kept; replace for a cluster. @default a LocalStationRegistry */
  registry?: StationRegistry<AnyStation<V>>;
}

/** Why an upgrade was refused. */
export type RefusalReason =
  | 'not-found'
  | 'bad-identity'
  | 'no-subprotocol'
  | 'insecure'
  | 'no-credentials'
  | 'bad-credentials'
  | 'duplicate-identity'
  | 'unauthorized'
  | 'handshake-timeout'
  | 'shutting-down'
  | 'internal-error';

/** A refused connection attempt. */
export interface RefusedEvent {
  /** Why, in one word. */
  readonly reason: RefusalReason;
  /** The HTTP status sent, or 101 when the handshake completed and the socket was then closed. */
  readonly status: number;
  /** What exactly was wrong, for logs (the same text the client got, or more). */
  readonly detail: string;
  /** The identity from the URL, when one could be read. */
  readonly identity: string | undefined;
  /** The peer's IP address. */
  readonly remoteAddress: string | undefined;
  /** The subprotocols the client offered. */
  readonly offeredProtocols: readonly string[];
  /** The request URL (path and query). */
  readonly url: string;
}

/** A station disconnected. */
export interface DisconnectEvent<V extends OcppVersion = OcppVersion> {
  /** The station that disconnected (already removed from the registry). */
  readonly station: AnyStation<V>;
  /** WebSocket close code; 1006 when the connection dropped without a close frame. */
  readonly code: number;
  /** WebSocket close reason (may be empty). */
  readonly reason: string;
}

/** Something went wrong that no caller can be told about directly. */
export interface CentralSystemErrorEvent {
  /** What failed: a throwing `authenticate` hook, a socket or TLS error, a listen error. */
  readonly error: Error;
  /** The station concerned, when there is one. */
  readonly identity?: string;
}

/** Event map of {@link CentralSystem}. */
export interface CentralSystemEvents<V extends OcppVersion = OcppVersion> {
  /** A station connected and was registered. Attach per-station handlers and listeners here. */
  connection: (station: AnyStation<V>) => void;
  /** A station's connection closed (by either side, or dropped). */
  disconnect: (event: DisconnectEvent<V>) => void;
  /** An upgrade was refused, or a connection closed right after the handshake (no subprotocol). */
  refused: (event: RefusedEvent) => void;
  /** Something failed that no caller can be told about directly. */
  error: (event: CentralSystemErrorEvent) => void;
}

/** Where {@link CentralSystem.listen} binds. */
export interface ListenOptions {
  /** TCP port; 0 picks a free one (read it from the result or `cs.port`). */
  port: number;
  /** @default '0.0.0.0' (Node's default: all interfaces) */
  host?: string;
  /** Serve TLS with these options (security profiles 2 and 3); `minVersion` defaults to TLSv1.2. */
  tls?: HttpsServerOptions;
}

/** Options of {@link CentralSystem.close}. */
export interface CloseOptions {
  /** Close code sent to stations. @default 1001 */
  code?: number;
  /** @default 'server shutting down' */
  reason?: string;
  /** Wait up to this long for calls to stations to be answered first. @default 0 */
  waitForPendingMs?: number;
}

const DEFAULTS = {
  path: '/',
  pingIntervalMs: 30_000,
  maxPayloadBytes: 1024 * 1024,
  maxBufferedBytes: 8 * 1024 * 1024,
  handshakeTimeoutMs: 10_000,
  duplicateIdentity: 'replace',
  securityProfile: 0,
} as const;

/** Default permessage-deflate settings of {@link CentralSystem}. */
export const DEFAULT_COMPRESSION: Readonly<Required<CompressionOptions>> = Object.freeze({
  thresholdBytes: 1024,
  level: 3,
  memLevel: 7,
  windowBits: 13,
  noContextTakeover: false,
  concurrencyLimit: 10,
});

interface Acceptance<V extends OcppVersion> {
  identity: string | undefined;
  protocol: V | undefined;
  data: unknown;
  bootStatus: BootStatus | undefined;
}

/** What the synchronous checks of an upgrade learned, for the `authenticate` hook. */
interface HandshakeFacts<V extends OcppVersion> {
  identity: string;
  protocol: V;
  offered: string[];
  credentials: BasicCredentials | undefined;
  certificate: PeerCertificate | undefined;
  certificateAuthorized: boolean;
  secure: boolean;
  url: string;
}

/** Set on a socket when it answers our ping. */
const ALIVE = Symbol('ocpp-sdk.alive');
type AliveSocket = WebSocket & { [ALIVE]?: boolean };

/** The pong listener of every socket (an EventEmitter calls it with the socket as `this`). */
function onPong(this: AliveSocket): void {
  this[ALIVE] = true;
}

function positiveInt(name: string, value: unknown, allowZero = false): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < (allowZero ? 0 : 1)) {
    throw new TypeError(`${name} must be a ${allowZero ? 'non-negative' : 'positive'} integer, got ${String(value)}`);
  }
  return value;
}

function offeredProtocols(req: IncomingMessage): string[] {
  const header = req.headers['sec-websocket-protocol'];
  if (typeof header !== 'string') return [];
  return header.split(',').map((p) => p.trim()).filter((p) => p.length > 0);
}

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
export class CentralSystem<V extends OcppVersion = OcppVersion> extends EventEmitter<CentralSystemEvents<V>> {
  /** Connected stations by identity. */
  readonly stations: StationRegistry<AnyStation<V>>;
  /** The subprotocols served, in order of preference. */
  readonly protocols: readonly V[];

  private readonly options: CentralSystemOptions<V>;
  private readonly path: string;
  private readonly validators = new Map<OcppVersion, PayloadValidator>();
  private readonly defaults = new Map<OcppVersion, Map<string, Handler<unknown, unknown, StationHandlerContext>>>();
  /** `thresholdBytes` of the compression settings; ws alone would compress every message. */
  private readonly compressMinLength: number;
  /** Each protocol's lookup of default handlers, shared by its stations. */
  /** Per version: the endpoint options its stations share (see endpointOptionsFor). */
  private readonly endpointOptions = new Map<OcppVersion, SharedEndpointOptions<StationContextFields>>();
  private readonly upgrades: UpgradeServer<Acceptance<V>>;
  /** Connected stations and their sockets, for keepalive and shutdown. */
  private readonly live = new Map<Station, AliveSocket>();
  /** The socket transport options of every station (see open()). */
  private transportOptions: SocketTransportOptions | undefined = undefined;
  private readonly attached = new Set<HttpServer>();
  private ownServer: HttpServer | undefined;
  private pingTimer: ReturnType<typeof setInterval> | undefined;
  private pongTimer: ReturnType<typeof setTimeout> | undefined;
  private closing: Promise<void> | undefined;
  private readonly pingIntervalMs: number;
  private readonly pongTimeoutMs: number;
  private readonly onUpgrade = (req: IncomingMessage, socket: Duplex, head: Buffer): void => this.handleUpgrade(req, socket, head);

  /** @throws TypeError naming the option when an option is invalid. */
  constructor(options: CentralSystemOptions<V> = {}) {
    super();
    if (typeof options !== 'object' || options === null) throw new TypeError('options must be an object');
    this.options = options;
    const protocols = (options.protocols ?? OCPP_PROTOCOLS) as readonly V[];
    if (!Array.isArray(protocols) || protocols.length === 0) throw new TypeError('protocols must be a non-empty array');
    for (const p of protocols) if (!isOcppVersion(p)) throw new TypeError(`protocols: unsupported subprotocol ${JSON.stringify(p)} (supported: ocpp2.0.1, ocpp1.6)`);
    if (new Set(protocols).size !== protocols.length) throw new TypeError('protocols must not repeat a subprotocol');
    this.protocols = Object.freeze([...protocols]);

    const path = options.path ?? DEFAULTS.path;
    if (typeof path !== 'string' || !path.startsWith('/')) throw new TypeError(`path must be a string starting with '/', got ${JSON.stringify(path)}`);
    this.path = path;

    this.pingIntervalMs = positiveInt('pingIntervalMs', options.pingIntervalMs ?? DEFAULTS.pingIntervalMs, true);
    this.pongTimeoutMs = positiveInt('pongTimeoutMs', options.pongTimeoutMs ?? Math.max(this.pingIntervalMs, 1));
    if (this.pingIntervalMs > 0 && this.pongTimeoutMs > this.pingIntervalMs) {
      throw new TypeError(`pongTimeoutMs (${this.pongTimeoutMs}) must not exceed pingIntervalMs (${this.pingIntervalMs})`);
    }
    const maxPayloadBytes = positiveInt('maxPayloadBytes', options.maxPayloadBytes ?? DEFAULTS.maxPayloadBytes);
    positiveInt('maxBufferedBytes', options.maxBufferedBytes ?? DEFAULTS.maxBufferedBytes, true);
    const handshakeTimeoutMs = positiveInt('handshakeTimeoutMs', options.handshakeTimeoutMs ?? DEFAULTS.handshakeTimeoutMs);
    const profile = options.securityProfile ?? DEFAULTS.securityProfile;
    if (![0, 1, 2, 3].includes(profile)) throw new TypeError(`securityProfile must be 0, 1, 2 or 3, got ${String(profile)}`);
    const dup = options.duplicateIdentity ?? DEFAULTS.duplicateIdentity;
    if (dup !== 'replace' && dup !== 'refuse') throw new TypeError(`duplicateIdentity must be 'replace' or 'refuse', got ${JSON.stringify(dup)}`);
    if (options.authenticate !== undefined && typeof options.authenticate !== 'function') throw new TypeError('authenticate must be a function');
    if (options.callTimeoutMs !== undefined) positiveInt('callTimeoutMs', options.callTimeoutMs);
    for (const key of Object.keys(options.validation ?? {})) {
      if (!isOcppVersion(key)) throw new TypeError(`validation: unknown version key ${JSON.stringify(key)}`);
    }
    // Built once per version and shared by every station: validators cache per-action policy.
    for (const p of this.protocols) this.validators.set(p, createPayloadValidator(p, options.validation?.[p]));
    // Every connection builds an endpoint from these: check them now (a bad value would otherwise
    // throw from a socket callback on the first connection), once per version.
    for (const p of this.protocols) this.endpointOptionsFor(p);

    this.stations = options.registry ?? new LocalStationRegistry<AnyStation<V>>();
    this.upgrades = new UpgradeServer<Acceptance<V>>({
      decide: (req) => this.decide(req),
      onOpen: (ws, req, verdict) => this.open(ws, req, verdict),
      onRefused: (req, verdict) => this.refused(req, verdict),
      onError: (error, req) => this.report(error, identityGuess(req, this.path)),
      perMessageDeflate: compressionSettings(options.compression ?? true),
      maxPayloadBytes,
      handshakeTimeoutMs,
    });
    const compression = options.compression ?? true;
    this.compressMinLength = compression === false ? 0 : ((compression === true ? undefined : compression.thresholdBytes) ?? DEFAULT_COMPRESSION.thresholdBytes);
  }

  /** The bound port after {@link listen}, else undefined. */
  get port(): number | undefined {
    const address = this.ownServer?.address();
    return typeof address === 'object' && address !== null ? address.port : undefined;
  }

  /**
   * Registers a default handler for `action` of `protocol`, used by every station of that
   * version that has no handler of its own for it.
   *
   * @example
   * ```ts
   * cs.handle('ocpp2.0.1', 'Heartbeat', () => ({ currentTime: new Date().toISOString() }));
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
    if (!map) this.defaults.set(protocol, (map = new Map()));
    const h = handler as unknown as Handler<unknown, unknown, StationHandlerContext>;
    map.set(action, action === 'BootNotification' ? trackBoot(h) : h);
    return this;
  }

  /** Removes a default handler; returns whether there was one. */
  removeHandler(protocol: V, action: string): boolean {
    return this.defaults.get(protocol)?.delete(action) ?? false;
  }

  /**
   * Starts a server of its own (HTTP, or HTTPS with `tls`) on `port` (0 picks a free one).
   * Resolves with the bound address.
   */
  listen(options: ListenOptions): Promise<AddressInfo> {
    if (this.ownServer) return Promise.reject(new Error('listen: this CentralSystem is already listening'));
    if (this.closing) return Promise.reject(new Error('listen: this CentralSystem is closed'));
    if (typeof options?.port !== 'number') return Promise.reject(new TypeError('listen: port must be a number'));
    if ((this.options.securityProfile ?? 0) === 3 && options.tls !== undefined && options.tls.requestCert !== true) {
      // Without requestCert the TLS layer never asks for a certificate and every client is refused.
      return Promise.reject(new TypeError('listen: securityProfile 3 needs tls.requestCert: true (and the client CA in tls.ca)'));
    }
    // handshakeTimeoutMs also bounds the HTTP request before the upgrade: Node's own default
    // (60 s, checked every 30 s) lets idle or slow-header sockets pile up (slowloris).
    const handshakeTimeoutMs = this.options.handshakeTimeoutMs ?? DEFAULTS.handshakeTimeoutMs;
    const timeouts = {
      headersTimeout: handshakeTimeoutMs,
      requestTimeout: handshakeTimeoutMs,
      connectionsCheckingInterval: Math.min(1000, handshakeTimeoutMs),
    };
    const server = options.tls
      ? createHttpsServer({ minVersion: 'TLSv1.2', ...timeouts, ...options.tls })
      : createHttpServer(timeouts);
    server.on('request', (_req, res) => {
      res.writeHead(426, { 'Content-Type': 'text/plain', Upgrade: 'websocket', Connection: 'close' });
      res.end('OCPP-J requires a WebSocket upgrade');
    });
    server.on('tlsClientError', (error: Error) => this.report(error));
    this.ownServer = server;
    this.attach(server);
    return new Promise((resolve, reject) => {
      server.once('error', reject);
      server.listen(options.port, options.host, () => {
        server.off('error', reject);
        server.on('error', (error) => this.report(error));
        resolve(server.address() as AddressInfo);
      });
    });
  }

  /** Serves OCPP upgrades on an existing HTTP(S) server (its other requests stay its own). */
  attach(server: HttpServer): this {
    this.startKeepalive();
    server.on('upgrade', this.onUpgrade);
    this.attached.add(server);
    return this;
  }

  /**
   * Handles one upgrade request, for applications that route upgrades themselves (Express,
   * Fastify, a shared server with other WebSocket endpoints).
   */
  handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    this.startKeepalive();
    this.upgrades.handleUpgrade(req, socket, head);
  }

  /**
   * Stops accepting connections, optionally lets calls in flight finish, closes every station
   * with `code` (1001 by default), and releases every timer and socket it owns.
   */
  close(options: CloseOptions = {}): Promise<void> {
    this.closing ??= this.shutdown(options);
    return this.closing;
  }

  private async shutdown(options: CloseOptions): Promise<void> {
    this.upgrades.close();
    for (const server of this.attached) server.off('upgrade', this.onUpgrade);
    this.attached.clear();
    const wait = options.waitForPendingMs ?? 0;
    if (wait > 0) {
      const until = Date.now() + wait;
      while (Date.now() < until && [...this.live.keys()].some((s) => s.pendingCalls + s.queuedCalls > 0)) {
        await new Promise((r) => setTimeout(r, 10));
      }
    }
    this.stopKeepalive();
    const snapshot = [...this.live];
    const closed = snapshot.map(([station, socket]) => {
      station.close(options.code ?? 1001, options.reason ?? 'server shutting down');
      // Resolves when the socket is really closed, not just when the endpoint stopped.
      return socketClosed(socket);
    });
    // A peer that never completes the closing handshake must not hold shutdown up.
    const grace = setTimeout(() => {
      for (const [, socket] of snapshot) socket.terminate();
    }, 2000);
    await Promise.all(closed);
    clearTimeout(grace);
    const server = this.ownServer;
    if (server) {
      const done = new Promise<void>((resolve) => server.close(() => resolve()));
      // Idle keep-alive HTTP connections would otherwise hold close() for their timeout.
      server.closeAllConnections?.();
      await done;
    }
  }

  // ------------------------------------------------------------------ the handshake

  /**
   * The verdict on an upgrade request: synchronous unless an `authenticate` hook or a
   * `bootGating.isAccepted` lookup has to be awaited, so a plain server completes the handshake
   * in the turn the request arrived (no promise, no handshake timer).
   */
  private decide(req: IncomingMessage): UpgradeVerdict<Acceptance<V>> | Promise<UpgradeVerdict<Acceptance<V>>> {
    const url = req.url ?? '/';
    const q = url.indexOf('?');
    const pathname = q < 0 ? url : url.slice(0, q);
    const offered = offeredProtocols(req);
    const protocol = this.protocols.find((p) => offered.includes(p));

    const parsed = identityFromPath(pathname, this.path, protocol !== 'ocpp1.6');
    if (parsed === undefined) return refuse(404, 'not-found', `no OCPP endpoint at ${pathname}`);
    if (!parsed.ok) return refuse(parsed.problem === 'missing' ? 404 : 400, 'bad-identity', parsed.detail);
    const identity = parsed.identity;

    const tlsSocket = req.socket as Partial<TLSSocket>;
    const secure = tlsSocket.encrypted === true;
    const certificate = secure && typeof tlsSocket.getPeerCertificate === 'function' ? tlsSocket.getPeerCertificate() : undefined;
    const hasCertificate = certificate !== undefined && Object.keys(certificate).length > 0;
    const certificateAuthorized = secure && tlsSocket.authorized === true && hasCertificate;

    const profile = this.options.securityProfile ?? DEFAULTS.securityProfile;
    if (profile >= 2 && !secure) return refuse(403, 'insecure', `security profile ${profile} requires TLS`);
    if (profile === 3 && !certificateAuthorized) return refuse(403, 'insecure', 'security profile 3 requires a verified client certificate');

    const header = req.headers.authorization;
    const credentials = parseBasicAuth(header, identity);
    if (header !== undefined && credentials === undefined) return refuse(401, 'bad-credentials', 'malformed Authorization header', true);
    if ((profile === 1 || profile === 2) && credentials === undefined) return refuse(401, 'no-credentials', `security profile ${profile} requires Basic authentication`, true);
    if (credentials !== undefined && credentials.username !== identity) {
      return refuse(401, 'bad-credentials', 'the Basic-auth username must equal the identity', true);
    }

    // OCPP-J §3.2: complete the handshake without a subprotocol, then close (checklist item 37);
    // only after the profile checks, so no client gets a WebSocket it may not have (items 51, 54).
    if (protocol === undefined) return { accept: true, protocol: undefined, data: { identity, protocol: undefined, data: undefined, bootStatus: undefined } };

    if ((this.options.duplicateIdentity ?? DEFAULTS.duplicateIdentity) === 'refuse' && this.stations.has(identity)) {
      return refuse(409, 'duplicate-identity', `${identity} is already connected`);
    }

    const gating = this.options.bootGating;
    const lookup = typeof gating === 'object' ? gating.isAccepted : undefined;
    if (this.options.authenticate === undefined && lookup === undefined) {
      return { accept: true, protocol, data: { identity, protocol, data: undefined, bootStatus: undefined } };
    }
    return this.decideLater(req, { identity, protocol, offered, credentials, certificate: hasCertificate ? certificate : undefined, certificateAuthorized, secure, url });
  }

  /** The asynchronous end of {@link decide}: the `authenticate` hook and the boot-status lookup. */
  private async decideLater(req: IncomingMessage, known: HandshakeFacts<V>): Promise<UpgradeVerdict<Acceptance<V>>> {
    const { identity, protocol } = known;
    let data: unknown;
    if (this.options.authenticate) {
      const result = await this.options.authenticate({
        identity,
        protocol,
        offeredProtocols: known.offered,
        credentials: known.credentials,
        certificate: known.certificate,
        certificateAuthorized: known.certificateAuthorized,
        secure: known.secure,
        remoteAddress: req.socket.remoteAddress,
        headers: req.headers,
        url: known.url,
      });
      if (result === false) return refuse(401, 'unauthorized', 'not authorized', true);
      if (typeof result === 'object' && result !== null) {
        if (result.accept === false) {
          const status = result.status ?? 401;
          if (!Number.isInteger(status) || status < 400 || status > 599) {
            throw new TypeError(`authenticate refused with status ${String(status)}: a refusal must be an HTTP error status (400-599)`);
          }
          return refuse(status, 'unauthorized', result.message ?? 'not authorized', status === 401);
        }
        data = result.data;
      } else if (result !== true) {
        throw new TypeError(`authenticate must return a boolean or { accept, ... }, got ${typeof result}`);
      }
    }

    let bootStatus: BootStatus | undefined;
    const gating = this.options.bootGating;
    if (typeof gating === 'object' && gating.isAccepted && (await gating.isAccepted({ identity, protocol }))) bootStatus = 'Accepted';
    return { accept: true, protocol, data: { identity, protocol, data, bootStatus } };
  }

  private open(ws: WebSocket, req: IncomingMessage, verdict: AcceptVerdict<Acceptance<V>>): void {
    const { identity, protocol, data, bootStatus } = verdict.data;
    // 'refuse' is checked in decide(), but attempts decided at the same time (an async
    // authenticate) all pass it: the one registered first must not be displaced by a later one.
    const duplicate = !this.closing && identity !== undefined && (this.options.duplicateIdentity ?? DEFAULTS.duplicateIdentity) === 'refuse' && this.stations.has(identity);
    if (protocol === undefined || identity === undefined || this.closing || duplicate) {
      if (protocol === undefined) ws.close(1002, 'no acceptable subprotocol');
      else if (duplicate) ws.close(1008, 'duplicate identity');
      else ws.close(1001, 'server shutting down');
      // Not a station, so shutdown's grace does not cover it: a peer that never answers the close
      // frame would hold the socket (and close()) for ws's 30 s closing timeout.
      const drop = setTimeout(() => ws.terminate(), 1000);
      drop.unref?.();
      ws.once('close', () => clearTimeout(drop));
      if (protocol === undefined) {
        this.emitRefused(req, 101, 'no-subprotocol', `none of the offered subprotocols (${offeredProtocols(req).join(', ') || 'none'}) is served (${this.protocols.join(', ')})`);
      } else if (duplicate) {
        this.emitRefused(req, 101, 'duplicate-identity', `${identity} is already connected`);
      }
      return;
    }
    // One options object for every socket (the transport keeps it, not a copy); socket errors
    // reach us through the station (hooks.error), so no closure per connection is needed.
    const transport = socketTransport(ws, (this.transportOptions ??= {
      maxBufferedBytes: this.options.maxBufferedBytes ?? DEFAULTS.maxBufferedBytes,
      compressMinLength: this.compressMinLength,
      oneMessagePerTurn: true,
    }));
    const station = new Station(
      {
        identity,
        protocol,
        remoteAddress: req.socket.remoteAddress,
        headers: withoutCredentials(req.headers),
        data,
        bootStatus,
        gating: this.options.bootGating !== undefined && this.options.bootGating !== false,
        hooks: this.hooks,
      },
      this.endpointOptionsFor(protocol),
      transport,
    ) as Station;
    (ws as AliveSocket)[ALIVE] = true;
    ws.on('pong', onPong);
    this.live.set(station, ws);
    const log = this.options.logger;
    if (log && this.options.logFrames) {
      station.on('frame', (e) => logTo(log, 'debug', { event: 'frame', identity, direction: e.direction, messageId: e.messageId, action: e.action, text: e.text }, 'ocpp frame'));
    }
    if (log) {
      station.once('limitExceeded', (e) => logTo(log, 'warn', { event: 'limit-exceeded', identity, protocol, limit: e.limit, max: e.max, code: e.code, reason: e.reason }, `station passed ${e.limit}: closing`));
    }
    const previous = this.stations.add(station as AnyStation<V>);
    if (previous !== undefined && previous !== (station as AnyStation<V>)) {
      (previous as Station).close(1008, 'replaced by a newer connection with the same identity');
    }
    if (log) logTo(log, 'info', { event: 'connection', identity, protocol, remoteAddress: station.remoteAddress }, 'station connected');
    this.emit('connection', station as AnyStation<V>);
  }

  /** What every station tells us (one object for all, instead of listeners per station). */
  private readonly hooks: StationHooks = {
    closed: (station, code, reason) => {
      this.live.delete(station);
      this.stations.remove(station as AnyStation<V>);
      const log = this.options.logger;
      if (log) logTo(log, 'info', { event: 'disconnect', identity: station.identity, protocol: station.protocol, code, reason }, 'station disconnected');
      this.emit('disconnect', { station: station as AnyStation<V>, code, reason });
    },
    error: (station, error) => this.report(error, station.identity),
  };

  /**
   * The endpoint options every station of `protocol` shares: resolved and checked once, so that
   * a connection neither re-checks them nor carries its own copy.
   */
  private endpointOptionsFor(protocol: V): SharedEndpointOptions<StationContextFields> {
    let shared = this.endpointOptions.get(protocol);
    if (shared === undefined) {
      const defaults = this.defaults;
      shared = resolveSharedOptions<StationContextFields>({
        ...passedThrough(this.options),
        rules: rulesFor(protocol),
        validator: this.validators.get(protocol),
        // Looked up on each CALL, so defaults registered after connections opened still apply.
        fallbackHandler: (action) => defaults.get(protocol)?.get(action) as Handler<unknown, unknown, HandlerContext & StationContextFields> | undefined,
      });
      this.endpointOptions.set(protocol, shared);
    }
    return shared;
  }

  private refused(req: IncomingMessage, verdict: RefuseVerdict): void {
    const tagged = verdict as RefuseVerdict & { reason?: RefusalReason };
    const reason: RefusalReason = tagged.reason ?? (verdict.status === 408 ? 'handshake-timeout' : verdict.status === 503 ? 'shutting-down' : 'internal-error');
    this.emitRefused(req, verdict.status, reason, verdict.message ?? '');
  }

  private emitRefused(req: IncomingMessage, status: number, reason: RefusalReason, detail: string): void {
    const event: RefusedEvent = {
      reason,
      status,
      detail,
      identity: identityGuess(req, this.path),
      remoteAddress: req.socket.remoteAddress,
      offeredProtocols: offeredProtocols(req),
      url: req.url ?? '',
    };
    if (this.options.logger) logTo(this.options.logger, 'warn', { event: 'refused', ...event }, `connection refused: ${reason}`);
    this.emit('refused', event);
  }

  private report(error: Error, identity?: string): void {
    if (this.options.logger) logTo(this.options.logger, 'error', { event: 'error', identity, err: error }, error.message);
    this.emit('error', identity === undefined ? { error } : { error, identity });
  }

  // ------------------------------------------------------------------ keepalive

  private startKeepalive(): void {
    if (this.pingTimer || this.pingIntervalMs === 0 || this.closing) return;
    // One timer for all stations, not one per connection.
    this.pingTimer = setInterval(() => this.pingAll(), this.pingIntervalMs);
    this.pingTimer.unref?.();
  }

  private stopKeepalive(): void {
    clearInterval(this.pingTimer);
    clearTimeout(this.pongTimer);
    this.pingTimer = undefined;
    this.pongTimer = undefined;
  }

  private pingAll(): void {
    for (const socket of this.live.values()) {
      socket[ALIVE] = false;
      try {
        socket.ping();
      } catch {
        // The socket is already closing; its close event cleans up.
      }
    }
    clearTimeout(this.pongTimer);
    this.pongTimer = setTimeout(() => {
      for (const [station, socket] of this.live) {
        if (socket[ALIVE] !== true) {
          if (this.options.logger) logTo(this.options.logger, 'warn', { event: 'pong-timeout', identity: station.identity }, 'no pong: terminating');
          // terminate() drops the TCP connection; ws then reports close 1006 and pending calls reject.
          socket.terminate();
        }
      }
    }, this.pongTimeoutMs);
    this.pongTimer.unref?.();
  }
}

/**
 * The upgrade headers as a station keeps them: the Authorization header is masked so that an
 * application logging `station.headers` does not log the station's password.
 */
function withoutCredentials(headers: IncomingMessage['headers']): Readonly<Record<string, string | string[] | undefined>> {
  if (headers.authorization === undefined) return headers;
  return { ...headers, authorization: '[redacted]' };
}

function refuse(status: number, reason: RefusalReason, message: string, challenge = false): RefuseVerdict & { reason: RefusalReason } {
  return {
    accept: false,
    status,
    message,
    reason,
    ...(challenge ? { headers: { 'WWW-Authenticate': 'Basic realm="OCPP", charset="UTF-8"' } } : {}),
  };
}

function identityGuess(req: IncomingMessage, path: string): string | undefined {
  const url = req.url ?? '';
  const q = url.indexOf('?');
  const parsed = identityFromPath(q < 0 ? url : url.slice(0, q), path, false);
  return parsed?.ok ? parsed.identity : undefined;
}

function compressionSettings(option: boolean | CompressionOptions): false | Record<string, unknown> {
  if (option === false) return false;
  const c = { ...DEFAULT_COMPRESSION, ...(option === true ? {} : option) };
  return {
    threshold: c.thresholdBytes,
    concurrencyLimit: c.concurrencyLimit,
    serverMaxWindowBits: c.windowBits,
    clientMaxWindowBits: c.windowBits,
    serverNoContextTakeover: c.noContextTakeover,
    clientNoContextTakeover: c.noContextTakeover,
    zlibDeflateOptions: { level: c.level, memLevel: c.memLevel },
  };
}
