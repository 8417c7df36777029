/**
 * {@link RpcEndpointOptions}: defaults, and their resolution into one frozen object at
 * construction, so a wrong option fails loudly once instead of misbehaving on some later call.
 */
import { isRpcErrorCode } from './errors';
import { RESERVED_CONTEXT_KEYS, type Handler, type HandlerContext } from './context';
import type { RpcErrorCode } from './error-codes';
import type { ProtocolRules } from './protocol-rules';
import type { Transport } from './transport';
import type { PayloadValidator } from './validator';
import { isPlainObject } from './guards';
import { DEFAULT_MAX_JSON_DEPTH } from './frames';

/** Default {@link RpcEndpointOptions.callTimeoutMs}: 30 s, as mobilityhouse/ocpp, libocpp and ocpp-rpc's server. */
export const DEFAULT_CALL_TIMEOUT_MS = 30_000;
/** Default {@link RpcEndpointOptions.callConcurrency}: OCPP's one outstanding CALL per connection. */
export const DEFAULT_CALL_CONCURRENCY = 1;
/** Default {@link RpcEndpointOptions.maxQueuedCalls}. */
export const DEFAULT_MAX_QUEUED_CALLS = 1000;
/**
 * Default {@link RpcEndpointOptions.maxInboundCalls}: OCPP peers send one CALL at a time, so 16
 * being handled at once leaves room for a lenient peer and still stops a flood early.
 */
export const DEFAULT_MAX_INBOUND_CALLS = 16;
/**
 * Default {@link RpcEndpointOptions.maxBadMessages}: generous enough for a buggy but working
 * charger (one that answers late, or breaks a schema on every MeterValues), low enough to drop
 * a peer that sends garbage in a loop.
 */
export const DEFAULT_MAX_BAD_MESSAGES = 100;
/** Default {@link RpcEndpointOptions.badMessageWindowMs}: one minute. */
export const DEFAULT_BAD_MESSAGE_WINDOW_MS = 60_000;
/** Largest timeout `setTimeout` honours; beyond it, Node and browsers fire at once. */
export const MAX_CALL_TIMEOUT_MS = 2_147_483_647;

/**
 * Options of an {@link RpcEndpoint}.
 *
 * @typeParam Ctx - extra fields copied onto every handler context.
 */
export interface RpcEndpointOptions<Ctx extends object = Record<never, never>> {
  /** The text-frame channel to the peer. The endpoint installs its sink at construction. */
  transport: Transport;
  /** Version knowledge: error-code spellings, framing replies, known actions. */
  rules: ProtocolRules;
  /**
   * Validates payloads in all four places (inbound CALL, our response, our CALL, the peer's
   * response). Absent means no validation; the version layer always passes one.
   */
  validator?: PayloadValidator;
  /**
   * How long a sent CALL waits for its answer, in whole milliseconds from 1 to
   * {@link MAX_CALL_TIMEOUT_MS}. The clock starts when the CALL is sent, not while it waits in
   * the queue (use an `AbortSignal` to bound the total).
   * @default 30000
   */
  callTimeoutMs?: number;
  /**
   * How many of our CALLs may await an answer at once. OCPP allows one; raise it only for a
   * peer known to accept more.
   * @default 1
   */
  callConcurrency?: number;
  /**
   * How many calls may wait for a free slot; beyond that, `call()` rejects at once with
   * `QueueFullError`. `0` disables queueing; `Infinity` removes the bound.
   * @default 1000
   */
  maxQueuedCalls?: number;
  /**
   * How many of the peer's CALLs may be in the hands of our handlers at once (received, not yet
   * answered). OCPP peers wait for each answer, so more means a misbehaving peer: the CALL that
   * passes the limit is not handled, nothing more is read, the CALLs already accepted are
   * answered, and then the connection is closed with 1008 `too many concurrent CALLs` (a
   * `limitExceeded` event first). Handlers that answer synchronously never count against it.
   * `Infinity` turns the limit off.
   * @default 16
   */
  maxInboundCalls?: number;
  /**
   * How many invalid messages the peer may send within `badMessageWindowMs` (a sliding window):
   * frames that do not parse or use an unknown message type, CALLRESULTs or CALLERRORs for ids
   * we never used, CALLs of unknown actions or with an id still being handled, and CALLs refused
   * by validation. One more closes the connection like `maxInboundCalls` does, with 1008
   * `too many invalid messages`. Each of those messages is still answered as the rules say
   * until then. Late answers (to calls that timed out), lenient validation reports and
   * `NotSupported` actions do not count. `Infinity` turns the limit off; `0` closes at the first.
   * @default 100
   */
  maxBadMessages?: number;
  /**
   * The window of `maxBadMessages`, in whole milliseconds from 1 to {@link MAX_CALL_TIMEOUT_MS}.
   * @default 60000
   */
  badMessageWindowMs?: number;
  /**
   * How deeply arrays and objects may nest in a received frame of more than 4,096 characters. A
   * deeper one is refused before `JSON.parse` runs, as a framing error answered by the version's
   * rules and counted as a bad message: a 1 MB frame nested 500,000 deep would hold the event
   * loop for 200-300 ms. Shorter frames are parsed whatever their nesting (at most about 0.2 ms),
   * which spares ordinary frames the scan. OCPP payloads nest about 8 levels deep.
   * @default 128
   */
  maxJsonDepth?: number;
  /**
   * Generates message ids (1..36 characters, unique per connection; 2.0.1 also across
   * reconnects of the same identity, which random UUIDs satisfy and counters do not).
   * @default () => globalThis.crypto.randomUUID()
   */
  generateId?: () => string;
  /**
   * Clock for call deadlines, in milliseconds. Inject one in tests.
   * @default () => Date.now()
   */
  now?: () => number;
  /**
   * Debugging aid: capture the caller's stack when `call()` is invoked and use it as the stack of
   * the error the call rejects with (errors raised from a timer or socket callback otherwise show
   * only internal frames). Costs one `Error` per call.
   * @default false
   */
  captureCallStack?: boolean;
  /** Identity of the peer (charging station id); named in errors and set on handler contexts. */
  identity?: string;
  /** Fields copied onto every handler context, e.g. `{ session }`. */
  context?: Ctx;
  /**
   * Handler for actions that have no handler of their own on this endpoint, e.g. defaults a
   * server shares among all stations. Return `undefined` for "no handler" (`NotSupported`).
   */
  fallbackHandler?: (action: string) => Handler<unknown, unknown, HandlerContext & Ctx> | undefined;
  /**
   * Admission check for inbound CALLs of known actions, run before the handler lookup and the
   * validation (the payload is not validated yet): return a code to refuse the CALL with it
   * (e.g. `SecurityError` before a station's BootNotification is accepted, checklist item 48, or
   * from a Rejected 2.0.1 charger, item 49), `null` to drop it without any answer (a Rejected 1.6
   * charge point, item 49), `undefined` to let it through. A refused SEND is dropped, since SENDs
   * are never answered.
   */
  inboundGate?: (action: string, payload: unknown) => RpcErrorCode | null | undefined;
}

/**
 * The options both classes take as their own and hand to every endpoint they make; with
 * `transport`, `rules` and `now` they are also what a resolved endpoint always has. One list, so
 * that a new option cannot be resolved by the core but forgotten by a class.
 */
type PassedThroughKey =
  | 'callTimeoutMs'
  | 'callConcurrency'
  | 'maxQueuedCalls'
  | 'maxInboundCalls'
  | 'maxBadMessages'
  | 'badMessageWindowMs'
  | 'maxJsonDepth'
  | 'generateId'
  | 'captureCallStack';

/** {@link RpcEndpointOptions} after defaults are applied and checked; frozen. */
export type ResolvedRpcEndpointOptions<Ctx extends object = Record<never, never>> = Readonly<
  Required<Pick<RpcEndpointOptions<Ctx>, 'transport' | 'rules' | 'now' | PassedThroughKey>> &
    Pick<RpcEndpointOptions<Ctx>, 'validator' | 'identity' | 'context' | 'fallbackHandler' | 'inboundGate'>
>;

/** Describes a bad option value without dumping it. */
export function describeValue(value: unknown): string {
  switch (typeof value) {
    case 'string':
      return JSON.stringify(value.length > 40 ? value.slice(0, 40) + '…' : value);
    case 'function':
      return 'a function';
    case 'object':
      return value === null ? 'null' : Array.isArray(value) ? 'an array' : 'an object';
    default:
      return String(value);
  }
}

/** The allowed values of an integer option, for {@link checkIntegerOption}. */
export interface IntegerOptionRange {
  /** Smallest allowed value. */
  readonly min: number;
  /** Largest allowed value. @default Number.MAX_SAFE_INTEGER */
  readonly max?: number;
  /** Whether `Infinity` is allowed too (e.g. "no limit"). @default false */
  readonly orInfinity?: boolean;
}

/**
 * What is wrong with an integer option, or undefined when it is valid. For callers that must
 * report rather than throw (a per-call option rejects the call's promise).
 */
export function integerOptionProblem(name: string, value: unknown, range: IntegerOptionRange): string | undefined {
  const max = range.max ?? Number.MAX_SAFE_INTEGER;
  if (typeof value === 'number' && ((Number.isInteger(value) && value >= range.min && value <= max) || (value === Infinity && range.orInfinity === true))) {
    return undefined;
  }
  const kind = range.min === 1 ? 'a positive integer' : range.min === 0 ? 'a non-negative integer' : `an integer of at least ${range.min}`;
  const upTo = max === Number.MAX_SAFE_INTEGER ? '' : ` up to ${max}`;
  return `${name} must be ${kind}${upTo}${range.orInfinity === true ? ' or Infinity' : ''}, got ${describeValue(value)}`;
}

/**
 * Checks an integer option and returns it; throws a `TypeError` naming the option and the value
 * otherwise, e.g. `maxQueuedCalls must be a non-negative integer or Infinity, got -1`.
 *
 * @example
 * ```ts
 * const retries = checkIntegerOption('maxRetries', options.maxRetries ?? 3, { min: 0 });
 * ```
 */
export function checkIntegerOption(name: string, value: unknown, range: IntegerOptionRange): number {
  const problem = integerOptionProblem(name, value, range);
  if (problem !== undefined) throw new TypeError(problem);
  return value as number;
}

/**
 * The range of every timeout option in milliseconds: a whole number of ms from 1 to
 * {@link MAX_CALL_TIMEOUT_MS}, beyond which `setTimeout` fires at once. Whole numbers because a
 * fraction of a millisecond is below any timer's resolution and usually a unit mistake (`1.5`
 * meant as seconds).
 */
export const TIMEOUT_MS_RANGE: IntegerOptionRange = Object.freeze({ min: 1, max: MAX_CALL_TIMEOUT_MS });

/** {@link checkIntegerOption} for a timeout in milliseconds (see {@link TIMEOUT_MS_RANGE}). */
export function checkTimeoutOption(name: string, value: unknown): number {
  return checkIntegerOption(name, value, TIMEOUT_MS_RANGE);
}

/** Checks a boolean option and returns it; throws a `TypeError` naming the option otherwise. */
export function checkBooleanOption(name: string, value: unknown): boolean {
  if (typeof value !== 'boolean') throw new TypeError(`${name} must be a boolean, got ${describeValue(value)}`);
  return value;
}

/** Checks an optional function option: returns it, or `fallback` when it is undefined; throws a `TypeError` naming the option otherwise. */
export function checkFunctionOption<T>(name: string, value: T | undefined, fallback: T): T {
  if (value === undefined) return fallback;
  if (typeof value !== 'function') throw new TypeError(`${name} must be a function, got ${describeValue(value)}`);
  return value;
}

function checkTransport(transport: unknown): Transport {
  if (!isPlainObject(transport)) throw new TypeError(`transport must be a Transport object, got ${describeValue(transport)}`);
  for (const method of ['send', 'close', 'setSink']) {
    if (typeof transport[method] !== 'function') throw new TypeError(`transport.${method} must be a function, got ${describeValue(transport[method])}`);
  }
  return transport as unknown as Transport;
}

function checkRules(rules: unknown): ProtocolRules {
  if (!isPlainObject(rules)) throw new TypeError(`rules must be a ProtocolRules object, got ${describeValue(rules)}`);
  if (typeof rules.protocol !== 'string') throw new TypeError(`rules.protocol must be a string, got ${describeValue(rules.protocol)}`);
  for (const method of ['toWireCode', 'fromWireCode', 'isKnownAction']) {
    if (typeof rules[method] !== 'function') throw new TypeError(`rules.${method} must be a function, got ${describeValue(rules[method])}`);
  }
  for (const code of ['framingErrorCode', 'duplicateIdCode']) {
    if (!isRpcErrorCode(rules[code])) throw new TypeError(`rules.${code} must be a canonical RPC error code, got ${describeValue(rules[code])}`);
  }
  for (const flag of ['unreadableIdReply', 'replyToUnknownMessageType', 'hasSendAndCallResultError']) {
    if (typeof rules[flag] !== 'boolean') throw new TypeError(`rules.${flag} must be a boolean, got ${describeValue(rules[flag])}`);
  }
  if (rules.isSendAction !== undefined && typeof rules.isSendAction !== 'function') {
    throw new TypeError(`rules.isSendAction must be a function or undefined, got ${describeValue(rules.isSendAction)}`);
  }
  const max = rules.maxErrorDescriptionLength;
  if (max !== undefined && !(typeof max === 'number' && Number.isInteger(max) && max >= 0)) {
    throw new TypeError(`rules.maxErrorDescriptionLength must be a non-negative integer or undefined, got ${describeValue(max)}`);
  }
  return rules as unknown as ProtocolRules;
}

/**
 * Checks the connection limits shared by the endpoint, `CentralSystem` and `ChargePoint`
 * (`maxInboundCalls`, `maxBadMessages`, `badMessageWindowMs`), throwing a `TypeError` naming the
 * first invalid one. Servers call it at construction (through {@link resolveSharedOptions}), so a
 * bad value fails there rather than on each connection.
 */
export function checkLimitOptions(options: Pick<RpcEndpointOptions, 'maxInboundCalls' | 'maxBadMessages' | 'badMessageWindowMs'>): void {
  const { maxInboundCalls, maxBadMessages, badMessageWindowMs } = options;
  if (maxInboundCalls !== undefined) checkIntegerOption('maxInboundCalls', maxInboundCalls, { min: 1, orInfinity: true });
  if (maxBadMessages !== undefined) checkIntegerOption('maxBadMessages', maxBadMessages, { min: 0, orInfinity: true });
  if (badMessageWindowMs !== undefined) checkTimeoutOption('badMessageWindowMs', badMessageWindowMs);
}

/** The endpoint options `CentralSystem` and `ChargePoint` take as their own and pass through. */
export type PassedThroughOptions = Pick<RpcEndpointOptions, PassedThroughKey>;

/** The {@link PassedThroughOptions} of a server's or client's options, for its endpoints. */
export function passedThrough(options: PassedThroughOptions): PassedThroughOptions {
  return {
    callTimeoutMs: options.callTimeoutMs,
    callConcurrency: options.callConcurrency,
    maxQueuedCalls: options.maxQueuedCalls,
    maxInboundCalls: options.maxInboundCalls,
    maxBadMessages: options.maxBadMessages,
    badMessageWindowMs: options.badMessageWindowMs,
    maxJsonDepth: options.maxJsonDepth,
    generateId: options.generateId,
    captureCallStack: options.captureCallStack,
  };
}

/** The options that belong to one connection; every other option can be shared by many. */
type PerConnectionKey = 'transport' | 'identity' | 'context' | 'inboundGate';

/**
 * The part of {@link ResolvedRpcEndpointOptions} many endpoints can share (everything but the
 * transport, identity, context and inbound gate). A server resolves it once per version and hands
 * it to each connection's endpoint with {@link withSharedOptions}, so that a connection neither
 * re-checks the options nor carries its own copy of them.
 */
export type SharedEndpointOptions<Ctx extends object = Record<never, never>> = Readonly<Omit<ResolvedRpcEndpointOptions<Ctx>, PerConnectionKey>>;

/** Where {@link withSharedOptions} puts the shared options in an endpoint's options. */
export const SHARED_OPTIONS: unique symbol = Symbol('ocpp-sdk.sharedEndpointOptions');

/** Endpoint options whose shared part was resolved before (see {@link withSharedOptions}). */
export type OptionsWithShared<Ctx extends object> = Pick<RpcEndpointOptions<Ctx>, PerConnectionKey> & { readonly [SHARED_OPTIONS]: SharedEndpointOptions<Ctx> };

/**
 * Checks and applies the defaults to every option but the per-connection ones, throwing a
 * `TypeError` that names the option, e.g. `callTimeoutMs must be a positive integer up to 2147483647, got -1`.
 */
export function resolveSharedOptions<Ctx extends object>(options: Omit<RpcEndpointOptions<Ctx>, PerConnectionKey>): SharedEndpointOptions<Ctx> {
  if (!isPlainObject(options)) throw new TypeError(`options must be an object, got ${describeValue(options)}`);
  const rules = checkRules(options.rules);

  const validator = options.validator;
  if (validator !== undefined && !(isPlainObject(validator) && typeof validator.validate === 'function')) {
    throw new TypeError(`validator must be a PayloadValidator (an object with a validate method), got ${describeValue(validator)}`);
  }

  const callTimeoutMs = checkTimeoutOption('callTimeoutMs', options.callTimeoutMs ?? DEFAULT_CALL_TIMEOUT_MS);
  const callConcurrency = checkIntegerOption('callConcurrency', options.callConcurrency ?? DEFAULT_CALL_CONCURRENCY, { min: 1 });
  const maxQueuedCalls = checkIntegerOption('maxQueuedCalls', options.maxQueuedCalls ?? DEFAULT_MAX_QUEUED_CALLS, { min: 0, orInfinity: true });
  checkLimitOptions(options);
  const captureCallStack = checkBooleanOption('captureCallStack', options.captureCallStack ?? false);
  const maxJsonDepth = checkIntegerOption('maxJsonDepth', options.maxJsonDepth ?? DEFAULT_MAX_JSON_DEPTH, { min: 1 });

  if (options.generateId === undefined && typeof globalThis.crypto?.randomUUID !== 'function') {
    // Node 18 without --experimental-global-webcrypto, or a browser page outside a secure context.
    throw new TypeError('generateId is required: this runtime has no globalThis.crypto.randomUUID()');
  }

  return Object.freeze({
    rules,
    validator,
    callTimeoutMs,
    callConcurrency,
    maxQueuedCalls,
    maxInboundCalls: options.maxInboundCalls ?? DEFAULT_MAX_INBOUND_CALLS,
    maxBadMessages: options.maxBadMessages ?? DEFAULT_MAX_BAD_MESSAGES,
    badMessageWindowMs: options.badMessageWindowMs ?? DEFAULT_BAD_MESSAGE_WINDOW_MS,
    maxJsonDepth,
    generateId: checkFunctionOption('generateId', options.generateId, defaultGenerateId),
    now: checkFunctionOption('now', options.now, defaultNow),
    captureCallStack,
    fallbackHandler: checkFunctionOption('fallbackHandler', options.fallbackHandler, undefined),
  });
}

/**
 * Endpoint options for one connection over options resolved once with
 * {@link resolveSharedOptions}.
 */
export function withSharedOptions<Ctx extends object>(
  shared: SharedEndpointOptions<Ctx>,
  perConnection: Pick<RpcEndpointOptions<Ctx>, PerConnectionKey>,
): OptionsWithShared<Ctx> {
  return Object.assign({ [SHARED_OPTIONS]: shared }, perConnection);
}

/** The per-connection options, checked. */
export function checkConnectionOptions<Ctx extends object>(options: Pick<RpcEndpointOptions<Ctx>, PerConnectionKey>): void {
  checkTransport(options.transport);
  const identity = options.identity;
  if (identity !== undefined && typeof identity !== 'string') throw new TypeError(`identity must be a string, got ${describeValue(identity)}`);
  const context = options.context;
  if (context !== undefined) {
    if (!isPlainObject(context)) throw new TypeError(`context must be an object, got ${describeValue(context)}`);
    for (const key of Object.keys(context)) {
      if (RESERVED_CONTEXT_KEYS.has(key)) throw new TypeError(`context must not set "${key}": the endpoint sets it on every handler context`);
    }
  }
  checkFunctionOption('inboundGate', options.inboundGate, undefined);
}

/**
 * Applies the defaults and checks every option, throwing a `TypeError` that names the option,
 * e.g. `callTimeoutMs must be a positive integer up to 2147483647, got -1`.
 */
export function resolveOptions<Ctx extends object>(options: RpcEndpointOptions<Ctx>): ResolvedRpcEndpointOptions<Ctx> {
  if (!isPlainObject(options)) throw new TypeError(`options must be an object, got ${describeValue(options)}`);
  // The transport first: it is the one option without which nothing else matters.
  checkTransport(options.transport);
  const shared = resolveSharedOptions(options);
  checkConnectionOptions(options);
  return combineOptions(shared, options);
}

/** The full resolved options of one endpoint: its shared part plus its per-connection options. */
export function combineOptions<Ctx extends object>(
  shared: SharedEndpointOptions<Ctx>,
  perConnection: Pick<RpcEndpointOptions<Ctx>, PerConnectionKey>,
): ResolvedRpcEndpointOptions<Ctx> {
  return Object.freeze({
    ...shared,
    transport: perConnection.transport,
    identity: perConnection.identity,
    context: perConnection.context,
    inboundGate: perConnection.inboundGate,
  });
}

function defaultGenerateId(): string {
  return globalThis.crypto.randomUUID();
}

// Looks Date up on each call, so fake clocks installed after construction still apply.
function defaultNow(): number {
  return Date.now();
}
