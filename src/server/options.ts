/**
 * The options of {@link CentralSystem}: their defaults, as named constants, and their
 * resolution into one frozen object at construction. Every option is checked here, once, with a
 * TypeError naming it; the rest of the server reads the resolved object and never re-applies a
 * default.
 */
import { describeValue, passedThrough, type PassedThroughOptions } from '../core/options';
import type { Logger } from '../logger';
import type { ValidationPolicy } from '../ocpp/validation';
import { DEFAULT_PROTOCOLS, OCPP_PROTOCOLS, isOcppVersion, type DefaultOcppVersion, type OcppVersion } from '../ocpp/version';
import type { AnyStation } from '../station';
import type { StationRegistry } from '../station-registry';
import type { ClusterAdapter } from '../cluster/adapter';
import {
  DEFAULT_COMPRESSION_THRESHOLD_BYTES,
  DEFAULT_HANDSHAKE_TIMEOUT_MS,
  DEFAULT_MAX_BUFFERED_BYTES,
  DEFAULT_MAX_PAYLOAD_BYTES,
  DEFAULT_PING_INTERVAL_MS,
  DEFAULT_READ_PAUSE_BUFFERED_BYTES,
} from '../transport/defaults';
import type { AuthRequest, AuthResult, SecurityProfile } from './authenticate';

/** Default {@link CentralSystemOptions.securityProfile}: no requirement (left to `authenticate`). */
export const DEFAULT_SECURITY_PROFILE: SecurityProfile = 0;
/** Default {@link CentralSystemOptions.duplicateIdentity}. */
export const DEFAULT_DUPLICATE_IDENTITY = 'replace' as const;

/** BootNotification gating settings (checklist item 48: the central system refuses CALLs before acceptance). */
export interface BootGatingOptions {
  /**
   * Whether a station that connects is already registered, e.g. because it booted before this
   * server restarted and will not send BootNotification again.
   */
  isAccepted?: (station: { identity: string; protocol: OcppVersion }) => boolean | Promise<boolean>;
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

/** Default permessage-deflate settings of {@link CentralSystem}. */
export const DEFAULT_COMPRESSION: Readonly<Required<CompressionOptions>> = Object.freeze({
  thresholdBytes: DEFAULT_COMPRESSION_THRESHOLD_BYTES,
  level: 3,
  memLevel: 7,
  windowBits: 13,
  noContextTakeover: false,
  concurrencyLimit: 10,
});

/**
 * Options of {@link CentralSystem}.
 *
 * @typeParam V - the OCPP versions served.
 */
export interface CentralSystemOptions<V extends OcppVersion = DefaultOcppVersion> {
  /**
   * Subprotocols served, in the server's order of preference: the first one the client also
   * offers is selected (checklist item 36). `ocpp2.1` is served only when listed (see
   * `DEFAULT_PROTOCOLS` for why); `OCPP_PROTOCOLS` lists all three, newest first.
   * @default ['ocpp2.0.1', 'ocpp1.6']
   */
  protocols?: readonly V[];
  /**
   * Path prefix: clients connect to `<path>/<identity>`, and any other path is refused 404
   * (or, on a server given to {@link CentralSystem.attach}, left to the server's other upgrade
   * listeners).
   *
   * Without it, any path is served and its last segment is the identity: `/ocpp/CP001`,
   * `/CP001` and `/a/b/CP001` all connect `CP001`, as chargers configured with a URL ending in
   * their identity expect. An attached server without `path` takes every upgrade of its HTTP
   * server; give it a `path` to share the HTTP server with other WebSocket endpoints.
   * @default undefined (any path; the identity is its last segment)
   */
  path?: string;
  /** Validation policy per version; strict everywhere unless set. */
  validation?: {
    /** Policy for OCPP 1.6 connections. */
    readonly 'ocpp1.6'?: ValidationPolicy;
    /** Policy for OCPP 2.0.1 connections. */
    readonly 'ocpp2.0.1'?: ValidationPolicy;
    /** Policy for OCPP 2.1 connections. */
    readonly 'ocpp2.1'?: ValidationPolicy;
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
  /**
   * Decides on each connection before the upgrade (credentials, certificate, allow-list). It
   * runs after the path, `securityProfile` and Basic-auth checks and before the subprotocol and
   * `duplicateIdentity` rules, so it is also asked about a client that offered no served
   * subprotocol (`request.protocol` is then undefined): refused, that client gets the HTTP
   * refusal; accepted, the handshake completes without a subprotocol and is closed with 1002.
   */
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
  /** A station whose unsent data passes this many bytes is disconnected (it stopped reading); 0 turns it off. @default 8388608 */
  maxBufferedBytes?: number;
  /**
   * Stop reading from a station while more than this many bytes of our answers to it wait unsent,
   * and read again once they are written; 0 turns it off. A station that sends and never reads
   * then cannot pile up more than this, so dropping it stays cheap for everyone else.
   * @default 65536
   */
  readPauseBufferedBytes?: number;
  /**
   * How deeply arrays and objects may nest in a received frame of more than 4,096 characters; a
   * deeper one is refused before it is parsed (a framing error, answered by the version's rules
   * and counted as a bad message). Shorter frames are cheap to parse whatever their nesting.
   * @default 128
   */
  maxJsonDepth?: number;
  /**
   * Time for `authenticate` and the handshake before the request is answered 408. On the server
   * of {@link CentralSystem.listen} it also bounds the TLS handshake (unless `tls.handshakeTimeout`
   * is given) and receiving the HTTP request itself, each separately, so idle, slow-header or
   * stalled-TLS connections are dropped after about this long, each with a `refused` event
   * (`handshake-timeout`).
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
  /** Where this node's connected stations are kept. @default a LocalStationRegistry */
  registry?: StationRegistry<AnyStation<V>>;
  /**
   * Makes this server one node of a cluster: stations connected to any node can be called from
   * every node (`cs.stations` lists them all), presence stays right across nodes, the
   * duplicate-identity policy applies cluster-wide, and station events reach the adapter's event
   * log. `redisCluster()` from `ocpp-sdk/redis` is the production adapter; `MemoryCluster` is the
   * in-process one for tests. Without it the server is a single node, exactly as before.
   */
  cluster?: ClusterAdapter;
}

/**
 * @internal {@link CentralSystemOptions} checked, with every default applied; frozen. What the
 * server's parts (the upgrade decision, keepalive, the stations) read.
 */
export interface ResolvedCentralSystemOptions<V extends OcppVersion = OcppVersion> {
  readonly protocols: readonly V[];
  /** Undefined: any path, the identity is its last segment. */
  readonly path: string | undefined;
  readonly validation: CentralSystemOptions<V>['validation'];
  readonly pingIntervalMs: number;
  readonly pongTimeoutMs: number;
  readonly authenticate: ((request: AuthRequest) => AuthResult | Promise<AuthResult>) | undefined;
  readonly securityProfile: SecurityProfile;
  readonly duplicateIdentity: 'replace' | 'refuse';
  /** The compression settings, or false when compression is off. */
  readonly compression: false | Readonly<Required<CompressionOptions>>;
  readonly maxPayloadBytes: number;
  readonly maxBufferedBytes: number;
  readonly readPauseBufferedBytes: number;
  readonly handshakeTimeoutMs: number;
  /** Whether CALLs before registration are refused. */
  readonly bootGating: boolean;
  /** `bootGating.isAccepted`, when given. */
  readonly isAccepted: BootGatingOptions['isAccepted'] | undefined;
  readonly logger: Logger | undefined;
  readonly logFrames: boolean;
  readonly registry: StationRegistry<AnyStation<V>> | undefined;
  readonly cluster: ClusterAdapter | undefined;
  /** The options every station's endpoint gets (checked by the core, once per version). */
  readonly endpoint: Readonly<PassedThroughOptions>;
}

function integer(name: string, value: unknown, min: 0 | 1): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min) {
    throw new TypeError(`${name} must be a ${min === 0 ? 'non-negative' : 'positive'} integer, got ${String(value)}`);
  }
  return value;
}

function between(name: string, value: unknown, min: number, max: number): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    throw new TypeError(`${name} must be an integer from ${min} to ${max}, got ${String(value)}`);
  }
  return value;
}

function resolveCompression(option: unknown): false | Readonly<Required<CompressionOptions>> {
  if (option === false) return false;
  if (option === true || option === undefined) return DEFAULT_COMPRESSION;
  if (typeof option !== 'object' || option === null) throw new TypeError(`compression must be a boolean or an object, got ${describeValue(option)}`);
  const c = { ...DEFAULT_COMPRESSION, ...(option as CompressionOptions) };
  integer('compression.thresholdBytes', c.thresholdBytes, 0);
  between('compression.level', c.level, 0, 9);
  between('compression.memLevel', c.memLevel, 1, 9);
  between('compression.windowBits', c.windowBits, 9, 15);
  integer('compression.concurrencyLimit', c.concurrencyLimit, 1);
  if (typeof c.noContextTakeover !== 'boolean') throw new TypeError('compression.noContextTakeover must be a boolean');
  return Object.freeze(c);
}

/**
 * Checks every option of {@link CentralSystemOptions} and applies the defaults, once.
 * @throws TypeError naming the option when an option is invalid.
 * @internal
 */
export function resolveCentralSystemOptions<V extends OcppVersion>(options: CentralSystemOptions<V>): ResolvedCentralSystemOptions<V> {
  if (typeof options !== 'object' || options === null) throw new TypeError('options must be an object');
  // Checked as unknown (for JavaScript callers): Array.isArray would narrow a typed array to any[].
  const given: unknown = options.protocols ?? DEFAULT_PROTOCOLS;
  if (!Array.isArray(given) || given.length === 0) throw new TypeError('protocols must be a non-empty array');
  const protocols = given as readonly V[];
  for (const p of protocols)
    if (!isOcppVersion(p)) throw new TypeError(`protocols: unsupported subprotocol ${JSON.stringify(p)} (supported: ${OCPP_PROTOCOLS.join(', ')})`);
  if (new Set(protocols).size !== protocols.length) throw new TypeError('protocols must not repeat a subprotocol');

  const path = options.path;
  if (path !== undefined && (typeof path !== 'string' || !path.startsWith('/'))) {
    throw new TypeError(`path must be a string starting with '/', got ${JSON.stringify(path)}`);
  }

  const pingIntervalMs = integer('pingIntervalMs', options.pingIntervalMs ?? DEFAULT_PING_INTERVAL_MS, 0);
  const pongTimeoutMs = integer('pongTimeoutMs', options.pongTimeoutMs ?? Math.max(pingIntervalMs, 1), 1);
  if (pingIntervalMs > 0 && pongTimeoutMs > pingIntervalMs) {
    throw new TypeError(`pongTimeoutMs (${pongTimeoutMs}) must not exceed pingIntervalMs (${pingIntervalMs})`);
  }
  const securityProfile = options.securityProfile ?? DEFAULT_SECURITY_PROFILE;
  if (![0, 1, 2, 3].includes(securityProfile)) throw new TypeError(`securityProfile must be 0, 1, 2 or 3, got ${String(securityProfile)}`);
  const duplicateIdentity = options.duplicateIdentity ?? DEFAULT_DUPLICATE_IDENTITY;
  if (duplicateIdentity !== 'replace' && duplicateIdentity !== 'refuse') {
    throw new TypeError(`duplicateIdentity must be 'replace' or 'refuse', got ${JSON.stringify(duplicateIdentity)}`);
  }
  if (options.authenticate !== undefined && typeof options.authenticate !== 'function') throw new TypeError('authenticate must be a function');
  const gating = options.bootGating ?? false;
  if (typeof gating !== 'boolean' && (typeof gating !== 'object' || gating === null)) throw new TypeError('bootGating must be a boolean or an object');
  const isAccepted = typeof gating === 'object' ? gating.isAccepted : undefined;
  if (isAccepted !== undefined && typeof isAccepted !== 'function') throw new TypeError('bootGating.isAccepted must be a function');
  if (options.callTimeoutMs !== undefined) integer('callTimeoutMs', options.callTimeoutMs, 1);
  for (const key of Object.keys(options.validation ?? {})) {
    if (!isOcppVersion(key)) throw new TypeError(`validation: unknown version key ${JSON.stringify(key)}`);
  }
  const logger = options.logger;
  if (logger !== undefined && (typeof logger !== 'object' || logger === null)) throw new TypeError('logger must be an object with level methods');

  return Object.freeze({
    protocols: Object.freeze([...protocols]),
    path,
    validation: options.validation,
    pingIntervalMs,
    pongTimeoutMs,
    authenticate: options.authenticate,
    securityProfile,
    duplicateIdentity,
    compression: resolveCompression(options.compression),
    maxPayloadBytes: integer('maxPayloadBytes', options.maxPayloadBytes ?? DEFAULT_MAX_PAYLOAD_BYTES, 1),
    maxBufferedBytes: integer('maxBufferedBytes', options.maxBufferedBytes ?? DEFAULT_MAX_BUFFERED_BYTES, 0),
    readPauseBufferedBytes: integer('readPauseBufferedBytes', options.readPauseBufferedBytes ?? DEFAULT_READ_PAUSE_BUFFERED_BYTES, 0),
    handshakeTimeoutMs: integer('handshakeTimeoutMs', options.handshakeTimeoutMs ?? DEFAULT_HANDSHAKE_TIMEOUT_MS, 1),
    bootGating: gating !== false,
    isAccepted,
    logger,
    logFrames: options.logFrames === true,
    registry: options.registry,
    cluster: clusterOption(options.cluster),
    endpoint: Object.freeze(passedThrough(options)),
  });
}

/** The `cluster` option, checked for the adapter's methods (a plain-JavaScript caller may pass anything). */
function clusterOption(cluster: unknown): ClusterAdapter | undefined {
  if (cluster === undefined) return undefined;
  const methods = ['start', 'close', 'claim', 'release', 'locate', 'call', 'evict', 'publish'] as const;
  const missing =
    typeof cluster === 'object' && cluster !== null ? methods.filter((m) => typeof (cluster as Record<string, unknown>)[m] !== 'function') : methods;
  if (missing.length > 0) throw new TypeError(`cluster must be a ClusterAdapter (missing ${missing.join(', ')}), got ${describeValue(cluster)}`);
  const nodeId = (cluster as ClusterAdapter).nodeId;
  if (typeof nodeId !== 'string' || nodeId.length === 0) throw new TypeError(`cluster.nodeId must be a non-empty string, got ${String(nodeId)}`);
  return cluster as ClusterAdapter;
}

/** The compression settings in `ws`'s terms. @internal */
export function wsCompressionSettings(compression: ResolvedCentralSystemOptions['compression']): false | Record<string, unknown> {
  if (compression === false) return false;
  return {
    threshold: compression.thresholdBytes,
    concurrencyLimit: compression.concurrencyLimit,
    serverMaxWindowBits: compression.windowBits,
    clientMaxWindowBits: compression.windowBits,
    serverNoContextTakeover: compression.noContextTakeover,
    clientNoContextTakeover: compression.noContextTakeover,
    zlibDeflateOptions: { level: compression.level, memLevel: compression.memLevel },
  };
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
