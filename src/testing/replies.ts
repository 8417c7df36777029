/**
 * How the kit answers the CALLs it receives: the default answer per version and action (valid
 * by the schema, `currentTime` from the real clock), what a stub or an expectation may give
 * instead, and {@link callError} for answering with a CALLERROR.
 */
import { actionSender, createRpcError, validatePayload, type OcppVersion, type OcppRole, type RpcErrorCode } from '../index';
import { wallIso } from './clock';

/** A CALLERROR to answer with, made by {@link callError}. */
export class CallErrorReply {
  /** The error code (canonical spelling; the wire gets the version's own). */
  readonly code: string;
  /** The error description. */
  readonly description: string;
  /** The error details. */
  readonly details: Record<string, unknown> | undefined;

  /** @internal Use {@link callError}. */
  constructor(code: string, description: string, details: Record<string, unknown> | undefined) {
    this.code = code;
    this.description = description;
    this.details = details;
    Object.freeze(this);
  }
}

/**
 * A CALLERROR reply for a stub or an expectation's `respond`: the peer gets `code` (spelled for
 * its version), `description` and `details`.
 *
 * @example
 * ```ts
 * st.stub('TransactionEvent', callError('InternalError'), { times: 1 }); // TC_E_50: the station must retry
 * ```
 * @throws TypeError when `code` is not a non-empty string.
 */
export function callError(code: RpcErrorCode | (string & {}), description = '', details?: Record<string, unknown>): CallErrorReply {
  if (typeof code !== 'string' || code === '') throw new TypeError(`callError: code must be a non-empty string, got ${String(code)}`);
  if (typeof description !== 'string') throw new TypeError('callError: description must be a string');
  if (details !== undefined && (typeof details !== 'object' || details === null || Array.isArray(details))) {
    throw new TypeError('callError: details must be a plain object');
  }
  return new CallErrorReply(code, description, details);
}

/**
 * What a stub or an expectation answers a CALL with: a response (merged over the default
 * answer, so a partial one such as `{ status: 'Pending' }` keeps the default `currentTime`); a
 * function of the request giving one; a {@link callError}; `'no-reply'` (never answered: for
 * timeout and retry tests); or `'hold'` (answered later with {@link Received.reply}).
 */
export type Reply<Req, Res> = Partial<Res> | CallErrorReply | 'no-reply' | 'hold' | ((request: Req) => Partial<Res> | CallErrorReply);

/** The interval of the default BootNotification answer, in seconds. */
export const DEFAULT_BOOT_INTERVAL_S = 300;

type Maker = (request: Record<string, unknown>, counter: () => number) => Record<string, unknown>;

const accepted: Maker = () => ({ status: 'Accepted' });
const empty: Maker = () => ({});
const unknownVendor: Maker = () => ({ status: 'UnknownVendorId' });

/** The central system's answers that are more than `{}` or `{ status: 'Accepted' }`. */
const CSMS_DEFAULTS: Record<string, Readonly<Record<string, Maker>>> = {
  'ocpp1.6': {
    Authorize: () => ({ idTagInfo: { status: 'Accepted' } }),
    BootNotification: () => ({ status: 'Accepted', currentTime: wallIso(), interval: DEFAULT_BOOT_INTERVAL_S }),
    DataTransfer: unknownVendor,
    Heartbeat: () => ({ currentTime: wallIso() }),
    StartTransaction: (_r, counter) => ({ transactionId: counter(), idTagInfo: { status: 'Accepted' } }),
  },
  'ocpp2.0.1': {
    Authorize: () => ({ idTokenInfo: { status: 'Accepted' } }),
    BootNotification: () => ({ status: 'Accepted', currentTime: wallIso(), interval: DEFAULT_BOOT_INTERVAL_S }),
    DataTransfer: unknownVendor,
    Heartbeat: () => ({ currentTime: wallIso() }),
    Get15118EVCertificate: () => ({ status: 'Failed', exiResponse: '' }),
    GetCertificateStatus: () => ({ status: 'Failed' }),
    TransactionEvent: (r) => (r.idToken === undefined ? {} : { idTokenInfo: { status: 'Accepted' } }),
  },
};
CSMS_DEFAULTS['ocpp2.1'] = CSMS_DEFAULTS['ocpp2.0.1'];

/** The charge point's answers that are more than `{ status: 'Accepted' }` or `{}`. */
const STATION_DEFAULTS: Record<string, Readonly<Record<string, Maker>>> = {
  'ocpp1.6': {
    DataTransfer: unknownVendor,
    GetConfiguration: (r) => ({ configurationKey: [], ...(Array.isArray(r.key) && r.key.length > 0 ? { unknownKey: r.key } : {}) }),
    GetLocalListVersion: () => ({ listVersion: 0 }),
    GetCompositeSchedule: () => ({ status: 'Rejected' }),
    UnlockConnector: () => ({ status: 'Unlocked' }),
  },
  'ocpp2.0.1': {
    DataTransfer: unknownVendor,
    GetVariables: (r) => ({
      getVariableResult: (Array.isArray(r.getVariableData) ? (r.getVariableData as Record<string, unknown>[]) : []).map((d) => ({
        attributeStatus: 'UnknownComponent',
        component: d.component,
        variable: d.variable,
      })),
    }),
    SetVariables: (r) => ({
      setVariableResult: (Array.isArray(r.setVariableData) ? (r.setVariableData as Record<string, unknown>[]) : []).map((d) => ({
        attributeStatus: 'UnknownComponent',
        component: d.component,
        variable: d.variable,
      })),
    }),
    GetLocalListVersion: () => ({ versionNumber: 0 }),
    GetCompositeSchedule: () => ({ status: 'Rejected' }),
    GetTransactionStatus: () => ({ messagesInQueue: false }),
    UnlockConnector: () => ({ status: 'Unlocked' }),
    UnpublishFirmware: () => ({ status: 'NoFirmware' }),
    ClearVariableMonitoring: (r) => ({ clearMonitoringResult: items(r.id).map((id) => ({ status: 'NotFound', id })) }),
    SetVariableMonitoring: (r) => ({
      setMonitoringResult: items(r.setMonitoringData).map((d) => ({
        status: 'UnknownComponent',
        type: (d as Record<string, unknown>).type,
        severity: (d as Record<string, unknown>).severity,
        component: (d as Record<string, unknown>).component,
        variable: (d as Record<string, unknown>).variable,
      })),
    }),
  },
};
STATION_DEFAULTS['ocpp2.1'] = STATION_DEFAULTS['ocpp2.0.1'];

/** The items of a request's array field (none when it is not an array). */
function items(value: unknown): unknown[] {
  return Array.isArray(value) ? (value as unknown[]) : [];
}

/** Tried in order when no specific default is listed: the first valid one is the default. */
const GENERIC: readonly Maker[] = [empty, accepted];

/** Found by trying the generic answers: per version and action, or null when none is valid. */
const genericCache = new Map<string, Maker | null>();

/**
 * The default answer of `role` (the side answering) to a CALL of `action`, or undefined when the
 * kit has none that passes the schema (the CALL is then answered `NotSupported`).
 */
export function defaultReply(
  protocol: OcppVersion,
  role: OcppRole,
  action: string,
  request: unknown,
  counter: () => number,
): Record<string, unknown> | undefined {
  const table = role === 'CentralSystem' ? CSMS_DEFAULTS : STATION_DEFAULTS;
  const req = typeof request === 'object' && request !== null && !Array.isArray(request) ? (request as Record<string, unknown>) : {};
  const own = Object.prototype.hasOwnProperty.call(table[protocol] ?? {}, action) ? table[protocol][action] : undefined;
  if (own !== undefined) return own(req, counter);
  const key = `${protocol} ${action}`;
  let maker = genericCache.get(key);
  if (maker === undefined) {
    maker =
      GENERIC.find(
        (m) =>
          validatePayload(
            protocol,
            action,
            'response',
            m({}, () => 1),
          ).ok,
      ) ?? null;
    genericCache.set(key, maker);
  }
  return maker === null ? undefined : maker(req, counter);
}

/** Whether `role` receives `action` as a CALL in `protocol`. */
export function receives(protocol: OcppVersion, role: OcppRole, action: string): boolean {
  const sender = actionSender(protocol, action);
  return sender === 'Both' || (sender !== undefined && sender !== role);
}

/** The answer to send for `reply`, merged over `fallback`; a CallErrorReply becomes the RpcError to throw. */
export function resolveReply(reply: unknown, request: unknown, fallback: Record<string, unknown> | undefined): { response: unknown } | { error: Error } {
  let value = reply;
  if (typeof value === 'function') value = (value as (r: unknown) => unknown)(request);
  if (value instanceof CallErrorReply) {
    return { error: createRpcError(value.code, { description: value.description, ...(value.details === undefined ? {} : { details: value.details }) }) };
  }
  if (typeof value === 'object' && value !== null && !Array.isArray(value) && fallback !== undefined) return { response: { ...fallback, ...value } };
  return { response: value };
}
