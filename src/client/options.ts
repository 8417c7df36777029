/**
 * {@link ChargePointOptions}: what a user passes, and its resolution into one frozen object at
 * construction. Every default is applied here and nowhere else, and every bad value fails here
 * with a TypeError naming the option, instead of on some later (re)connect.
 */
import type { Handler, HandlerContext } from '../core/context';
import type { CallOptions } from '../core/endpoint';
import { describeValue, passedThrough, resolveSharedOptions, type SharedEndpointOptions } from '../core/options';
import type { PayloadValidator } from '../core/validator';
import type { Logger } from '../logger';
import { checkIdentity, connectionUrl } from '../ocpp/identity';
import { DEFAULT_TRANSACTION_RETRY, MemoryQueueStore, type OfflineQueueStore, type TransactionRetryOptions } from '../ocpp/offline-queue';
import { createPayloadValidator, type ValidationPolicy } from '../ocpp/validation';
import { rulesFor } from '../ocpp/version-rules';
import { isOcppVersion, type OcppVersion } from '../ocpp/version';
import { resolveBackoff, type BackoffOptions } from '../transport/backoff';
import { basicAuthHeader } from '../transport/basic-auth';
import { IS_NODE_WEBSOCKET, type ClientTlsOptions, type WebSocketFactory } from '../transport/client';
import { MAX_DELAY_MS } from '../transport/delay';
import {
  DEFAULT_COMPRESSION_THRESHOLD_BYTES,
  DEFAULT_HANDSHAKE_TIMEOUT_MS,
  DEFAULT_MAX_BUFFERED_BYTES,
  DEFAULT_MAX_PAYLOAD_BYTES,
  DEFAULT_PING_INTERVAL_MS,
  DEFAULT_READ_PAUSE_BUFFERED_BYTES,
} from '../transport/defaults';

/** Per-call options of `ChargePoint.call`. */
export interface ChargePointCallOptions<Res = unknown> extends CallOptions<Res> {
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

/** permessage-deflate settings of a ChargePoint (the server's `CompressionOptions` has more). */
export interface ClientCompressionOptions {
  /**
   * Messages smaller than this are sent uncompressed: a 60-byte Heartbeat through zlib costs
   * both sides tens of microseconds and saves nothing. Same default and meaning as the server's.
   * @default 1024
   */
  thresholdBytes?: number;
}

/**
 * Options of a ChargePoint.
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
   * Stop reading from the central system while more than this many bytes of our own messages
   * wait unsent, and read again once they are written (Node only); 0 turns it off.
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
   * Reconnect after a lost connection with the OCPP 2.0.1 back-off; `false` turns it off. Each
   * wait is capped at 2^31-1 ms, the largest a timer honours.
   * @default true (3 s minimum, 2 s random range, 5 doublings)
   */
  reconnect?: boolean | BackoffOptions;
  /** WebSocket ping interval (Node only; browsers cannot ping); 0 turns it off. @default 30000 */
  pingIntervalMs?: number;
  /**
   * How long a ping may go unanswered before the connection is dropped (then reconnected); at
   * most `pingIntervalMs`.
   * @default pingIntervalMs
   */
  pongTimeoutMs?: number;
  /** Time allowed for the opening handshake. @default 10000 */
  handshakeTimeoutMs?: number;
  /**
   * Local IP address to connect from (Node only): on a host with several addresses, the one the
   * central system should see; a load test spreads its chargers over loopback addresses with it
   * (one address offers about 28,000 ports to one server port). An address this host does not
   * have fails the connection with `NetworkError` (`EADDRNOTAVAIL`).
   */
  localAddress?: string;
  /**
   * Offer permessage-deflate (Node only; browsers decide themselves), and from which size our
   * messages are compressed.
   * @default true (with `thresholdBytes` 1024)
   */
  compression?: boolean | ClientCompressionOptions;
  /** Largest inbound message in bytes (Node only). @default 1048576 */
  maxPayloadBytes?: number;
  /** Offline queue of transaction messages. */
  offline?: OfflineOptions;
  /**
   * Makes the WebSocket instead of `ws` (Node) or the global WebSocket (browsers): to wrap or
   * observe the socket, to pass `ws` options the SDK does not name, or where no global one
   * exists. It gets the URL, `[protocol]` and `ws`'s client options (headers, TLS, ...).
   * @default `new WebSocket(url, protocols, options)`
   */
  webSocket?: WebSocketFactory;
  /**
   * Follow the registration rules OCPP sets a charger. Hold this charge point's calls (other
   * than BootNotification) until a BootNotification is answered Accepted (checklist item 47);
   * calls with `{ force: true }` are not held. While the last answer is Rejected, answer the
   * central system's CALLs as the version says (item 49): 2.0.1 with CALLERROR SecurityError
   * (a TriggerMessage for BootNotification still reaches its handler), 1.6 not at all.
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

/** {@link ChargePointOptions} checked and defaulted, frozen; what a ChargePoint reads. */
export interface ResolvedChargePointOptions<V extends OcppVersion = OcppVersion> {
  readonly identity: string;
  readonly protocol: V;
  /** The full connection URL (endpoint + '/' + percent-encoded identity). */
  readonly url: string;
  /** The upgrade request's headers, Authorization included; undefined when there are none. */
  readonly headers: Readonly<Record<string, string>> | undefined;
  readonly tls: ClientTlsOptions | undefined;
  readonly localAddress: string | undefined;
  readonly webSocket: WebSocketFactory | undefined;
  readonly validator: PayloadValidator;
  /** What every connection's endpoint is built from, checked once. */
  readonly endpoint: SharedEndpointOptions;
  /** The back-off, or undefined when reconnecting is off. */
  readonly reconnect: Readonly<Required<BackoffOptions>> | undefined;
  readonly pingIntervalMs: number;
  readonly pongTimeoutMs: number;
  readonly handshakeTimeoutMs: number;
  /** `false` when compression is off; else the smallest message compressed. */
  readonly compression: false | { readonly thresholdBytes: number };
  readonly maxPayloadBytes: number;
  readonly maxBufferedBytes: number;
  readonly readPauseBufferedBytes: number;
  readonly offline: { readonly store: OfflineQueueStore; readonly retry: Readonly<Required<TransactionRetryOptions>>; readonly queueAll: boolean };
  readonly bootGating: boolean;
  readonly logger: Logger | undefined;
  readonly random: () => number;
}

function integer(name: string, value: unknown, fallback: number, min: number): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min) {
    throw new TypeError(`${name} must be a ${min === 0 ? 'non-negative' : 'positive'} integer, got ${describeValue(value)}`);
  }
  return value;
}

function delayOption(name: string, value: unknown, fallback: number, min: number): number {
  const ms = integer(name, value, fallback, min);
  if (ms > MAX_DELAY_MS) throw new TypeError(`${name} must be at most ${MAX_DELAY_MS} (the largest timer delay), got ${ms}`);
  return ms;
}

function flag(name: string, value: unknown): boolean {
  if (value === undefined) return false;
  if (typeof value !== 'boolean') throw new TypeError(`${name} must be a boolean, got ${describeValue(value)}`);
  return value;
}

function resolveCompression(value: unknown): ResolvedChargePointOptions['compression'] {
  if (value === undefined || value === true) return Object.freeze({ thresholdBytes: DEFAULT_COMPRESSION_THRESHOLD_BYTES });
  if (value === false) return false;
  if (typeof value !== 'object' || value === null) throw new TypeError(`compression must be a boolean or { thresholdBytes }, got ${describeValue(value)}`);
  const thresholdBytes = integer('compression.thresholdBytes', (value as ClientCompressionOptions).thresholdBytes, DEFAULT_COMPRESSION_THRESHOLD_BYTES, 0);
  return Object.freeze({ thresholdBytes });
}

function resolveOffline(offline: OfflineOptions | undefined): ResolvedChargePointOptions['offline'] {
  if (offline !== undefined && (typeof offline !== 'object' || offline === null))
    throw new TypeError(`offline must be an object, got ${describeValue(offline)}`);
  const retry = Object.freeze({ ...DEFAULT_TRANSACTION_RETRY, ...offline?.retry });
  if (!Number.isInteger(retry.attempts) || retry.attempts < 1)
    throw new TypeError(`offline.retry.attempts must be a positive integer, got ${describeValue(retry.attempts)}`);
  if (!(typeof retry.retryIntervalMs === 'number' && retry.retryIntervalMs >= 0 && retry.retryIntervalMs <= MAX_DELAY_MS)) {
    throw new TypeError(`offline.retry.retryIntervalMs must be a number from 0 to ${MAX_DELAY_MS}, got ${describeValue(retry.retryIntervalMs)}`);
  }
  const store = offline?.store ?? new MemoryQueueStore();
  for (const method of ['push', 'peek', 'shift', 'update', 'size'] as const) {
    // Read as a plain property (a user's store may be any object): only whether it is callable matters here.
    const fn = (store as unknown as Record<string, unknown>)[method];
    if (typeof fn !== 'function') throw new TypeError(`offline.store.${method} must be a function, got ${describeValue(fn)}`);
  }
  return Object.freeze({ store, retry, queueAll: flag('offline.queueAll', offline?.queueAll) });
}

/**
 * Checks `options` and applies every default, once.
 *
 * @param fallbackHandler - how each connection's endpoint finds the ChargePoint's handlers.
 * @throws TypeError naming the option when one is invalid.
 */
export function resolveChargePointOptions<V extends OcppVersion>(
  options: ChargePointOptions<V>,
  fallbackHandler: (action: string) => Handler<unknown, unknown, HandlerContext> | undefined,
): ResolvedChargePointOptions<V> {
  if (typeof options !== 'object' || options === null) throw new TypeError('options must be an object');
  if (!isOcppVersion(options.protocol)) throw new TypeError(`protocol must be 'ocpp1.6', 'ocpp2.0.1' or 'ocpp2.1', got ${JSON.stringify(options.protocol)}`);
  if (typeof options.url !== 'string' || !/^wss?:\/\//i.test(options.url))
    throw new TypeError(`url must be a ws:// or wss:// URL, got ${JSON.stringify(options.url)}`);
  if (typeof options.identity !== 'string') throw new TypeError('identity must be a string');
  const id = checkIdentity(options.identity, options.protocol !== 'ocpp1.6');
  if (!id.ok) throw new TypeError(`identity: ${id.detail}`);
  if (options.password !== undefined && !IS_NODE_WEBSOCKET) throw new TypeError('password: browsers cannot send Basic auth headers');
  if (options.headers !== undefined && (typeof options.headers !== 'object' || options.headers === null))
    throw new TypeError(`headers must be an object, got ${describeValue(options.headers)}`);
  if (options.logger !== undefined && (typeof options.logger !== 'object' || options.logger === null))
    throw new TypeError(`logger must be an object, got ${describeValue(options.logger)}`);
  if (options.random !== undefined && typeof options.random !== 'function')
    throw new TypeError(`random must be a function, got ${describeValue(options.random)}`);
  if (options.webSocket !== undefined && typeof options.webSocket !== 'function')
    throw new TypeError(`webSocket must be a function, got ${describeValue(options.webSocket)}`);

  const headers: Record<string, string> = { ...options.headers };
  if (options.password !== undefined) headers.Authorization = basicAuthHeader(options.identity, options.password);
  const pingIntervalMs = delayOption('pingIntervalMs', options.pingIntervalMs, DEFAULT_PING_INTERVAL_MS, 0);
  const pongTimeoutMs = delayOption('pongTimeoutMs', options.pongTimeoutMs, Math.max(pingIntervalMs, 1), 1);
  // The next ping settles the last one's deadline (one keepalive for both sides): a longer
  // timeout could never be honoured, so it is refused, as the server refuses it.
  if (pingIntervalMs > 0 && pongTimeoutMs > pingIntervalMs) {
    throw new TypeError(`pongTimeoutMs (${pongTimeoutMs}) must not exceed pingIntervalMs (${pingIntervalMs})`);
  }
  const validator = createPayloadValidator(options.protocol, options.validation);
  return Object.freeze({
    identity: options.identity,
    protocol: options.protocol,
    url: connectionUrl(options.url, options.identity),
    headers: Object.keys(headers).length > 0 ? Object.freeze(headers) : undefined,
    tls: options.tls,
    localAddress: localAddressOption(options.localAddress),
    webSocket: options.webSocket,
    validator,
    endpoint: resolveSharedOptions({ ...passedThrough(options), rules: rulesFor(options.protocol), validator, fallbackHandler }),
    reconnect: options.reconnect === false ? undefined : resolveBackoff(options.reconnect === true ? undefined : options.reconnect),
    pingIntervalMs,
    pongTimeoutMs,
    handshakeTimeoutMs: delayOption('handshakeTimeoutMs', options.handshakeTimeoutMs, DEFAULT_HANDSHAKE_TIMEOUT_MS, 1),
    compression: resolveCompression(options.compression),
    maxPayloadBytes: integer('maxPayloadBytes', options.maxPayloadBytes, DEFAULT_MAX_PAYLOAD_BYTES, 1),
    maxBufferedBytes: integer('maxBufferedBytes', options.maxBufferedBytes, DEFAULT_MAX_BUFFERED_BYTES, 0),
    readPauseBufferedBytes: integer('readPauseBufferedBytes', options.readPauseBufferedBytes, DEFAULT_READ_PAUSE_BUFFERED_BYTES, 0),
    offline: resolveOffline(options.offline),
    bootGating: flag('bootGating', options.bootGating),
    logger: options.logger,
    random: options.random ?? Math.random,
  });
}

/** `localAddress`, checked: a non-empty string, or undefined (the system picks). */
function localAddressOption(value: unknown): string | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'string' || value.length === 0)
    throw new TypeError(`localAddress must be a non-empty string (an IP address), got ${describeValue(value)}`);
  return value;
}
