/**
 * Payload validation for the version layer: runs the generated, precompiled validators, maps
 * their failures to OCPP RPC error codes, and applies the user's {@link ValidationPolicy}.
 * The core sees only its own {@link PayloadValidator} contract; ajv stays out of it.
 */
import type { RpcErrorCode } from '../core/error-codes';
import { isPlainObject } from '../core/guards';
import type { Direction, PayloadKind, PayloadValidator, ValidationIssue } from '../core/validator';
import { validators as OCPP16_VALIDATORS } from '../generated/ocpp16/validators';
import type { ActionValidators, ErrorObjectLike, ValidateFunction } from '../generated/ocpp16/validators';
import { validators as OCPP201_VALIDATORS } from '../generated/ocpp201/validators';
import type { OcppVersion } from './version';

/**
 * How strictly payloads are checked.
 * - `'strict'`: every schema rule is enforced (the default, and OCPP's own rule).
 * - `'allow-extra'`: properties the schema does not know are reported but not enforced; every
 *   other rule is enforced. Chargers in the field add vendor fields; the spec allows receivers
 *   to reject them but does not require it.
 * - `'report'`: every failure is reported, none enforced.
 * - `'off'`: not validated at all. An explicit choice, never a silent fallback.
 */
export type ValidationMode = 'strict' | 'allow-extra' | 'report' | 'off';

/** The modes of one action, per direction. Directions left out fall back to the wider settings. */
export interface DirectionModes {
  /** Mode for payloads this endpoint receives (peer's requests and peer's responses). */
  inbound?: ValidationMode;
  /** Mode for payloads this endpoint sends (own requests and own responses). */
  outbound?: ValidationMode;
}

/**
 * Which {@link ValidationMode} applies where. The most specific setting wins:
 * `actions[action][direction]` > `actions[action]` (a plain mode) > `inbound`/`outbound` > `mode`.
 *
 * @example
 * ```ts
 * // Strict outbound, lenient about vendor fields inbound, and a charger fleet whose
 * // StatusNotification is known to be broken only reported.
 * { outbound: 'strict', inbound: 'allow-extra', actions: { StatusNotification: { inbound: 'report' } } }
 * ```
 */
export interface ValidationPolicy {
  /**
   * Mode for everything not set more specifically.
   * @default 'strict'
   */
  mode?: ValidationMode;
  /** Mode for received payloads; overrides `mode`. */
  inbound?: ValidationMode;
  /** Mode for sent payloads; overrides `mode`. */
  outbound?: ValidationMode;
  /** Per-action modes, keyed by action name of the version: a mode for both directions, or one per direction. */
  actions?: Partial<Record<string, ValidationMode | DirectionModes>>;
}

/** Result of {@link validatePayload}. */
export type PayloadCheck =
  | {
      /** The payload is valid. */
      ok: true;
    }
  | {
      /** The payload is invalid, or the action unknown. */
      ok: false;
      /** Canonical RPC error code; `'UnknownAction'` when the version has no such action. */
      code: RpcErrorCode | 'UnknownAction';
      /** Short detail naming the JSON path, e.g. `/: must have required property 'chargePointModel'`. */
      detail: string;
      /** The ajv keyword that failed (`required`, `enum`, ...), or `'action'` for an unknown action. */
      keyword: string;
    };

/** Every mode, for checking user input. */
const MODES: ReadonlySet<string> = new Set<ValidationMode>(['strict', 'allow-extra', 'report', 'off']);

/**
 * The validators of each version. 2.1's are loaded when first needed: they are 2.5 MB of
 * generated code, and parsing them on every `import 'ocpp-sdk'` nearly doubled its time (39 to 76
 * ms here) for applications that never speak 2.1. The Node builds ship them as a file of their
 * own (`dist/ocpp21-validators.cjs`, see tsup.config.ts), so this require is the only load.
 */
const TABLES: Record<OcppVersion, Readonly<Record<string, ActionValidators>> | undefined> = {
  'ocpp1.6': OCPP16_VALIDATORS,
  'ocpp2.0.1': OCPP201_VALIDATORS,
  'ocpp2.1': undefined,
};

function loadOcpp21(): Readonly<Record<string, ActionValidators>> {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded on first use, see TABLES
  const loaded = require('../generated/ocpp21/validators') as typeof import('../generated/ocpp21/validators');
  // A SEND action (NotifyPeriodicEventStream) has one schema, its payload; it joins the table as
  // a request, so that the same policy keys and slots serve it, with a response that never passes.
  const table: Record<string, ActionValidators> = { ...loaded.validators };
  for (const [action, request] of Object.entries(loaded.sendValidators)) table[action] = Object.freeze({ request, response: noResponse(action) });
  return Object.freeze(table);
}

/** The "response" of a SEND action: there is none, so nothing passes, with a detail that says why. */
function noResponse(action: string): ValidateFunction {
  const error: ErrorObjectLike = {
    keyword: 'messageType',
    instancePath: '',
    schemaPath: '#',
    params: {},
    message: `${action} travels as a SEND and has no response`,
  };
  return Object.assign(() => false, { errors: [error] });
}

/**
 * ajv keyword → RPC error code, following the OCPP-J tables: a missing or surplus occurrence is
 * an occurrence problem, a wrong JSON type a type problem, a value outside what the field allows
 * a property problem. A property the schema does not know is a malformed message
 * (FormatViolation; the 1.6 wire spelling FormationViolation is applied by the version rules).
 * Anything unlisted also maps to FormatViolation.
 */
const CODE_BY_KEYWORD: ReadonlyMap<string, RpcErrorCode> = new Map<string, RpcErrorCode>([
  ['required', 'OccurrenceConstraintViolation'],
  ['minItems', 'OccurrenceConstraintViolation'],
  ['maxItems', 'OccurrenceConstraintViolation'],
  ['type', 'TypeConstraintViolation'],
  ['enum', 'PropertyConstraintViolation'],
  ['const', 'PropertyConstraintViolation'],
  ['pattern', 'PropertyConstraintViolation'],
  ['format', 'PropertyConstraintViolation'],
  ['maxLength', 'PropertyConstraintViolation'],
  ['minLength', 'PropertyConstraintViolation'],
  ['minimum', 'PropertyConstraintViolation'],
  ['maximum', 'PropertyConstraintViolation'],
  ['exclusiveMinimum', 'PropertyConstraintViolation'],
  ['exclusiveMaximum', 'PropertyConstraintViolation'],
  ['multipleOf', 'PropertyConstraintViolation'],
  ['additionalProperties', 'FormatViolation'],
]);

/** Enum values listed in a detail before it is cut with "...": details must stay short. */
const MAX_LISTED_VALUES = 8;

/**
 * How many unknown properties `'allow-extra'` strips, one validation each, before it gives up
 * and enforces. Bounds the cost of a hostile payload with thousands of extra keys.
 */
const MAX_EXTRA_PROPERTIES = 32;

const OK: PayloadCheck = Object.freeze({ ok: true });

function tableFor(version: OcppVersion): Readonly<Record<string, ActionValidators>> {
  // Own-property check: a version string like 'toString' must not reach Object.prototype.
  if (!Object.prototype.hasOwnProperty.call(TABLES, version)) {
    throw new TypeError(`unknown OCPP version ${JSON.stringify(version)} (expected 'ocpp1.6', 'ocpp2.0.1' or 'ocpp2.1')`);
  }
  return (TABLES[version] ??= loadOcpp21());
}

function lookup(table: Readonly<Record<string, ActionValidators>>, action: string): ActionValidators | undefined {
  return Object.prototype.hasOwnProperty.call(table, action) ? table[action] : undefined;
}

function codeFor(keyword: string): RpcErrorCode {
  return CODE_BY_KEYWORD.get(keyword) ?? 'FormatViolation';
}

/** Decodes a JSON Pointer into its reference tokens (RFC 6901: `~1` is `/`, `~0` is `~`). */
function pointerTokens(pointer: string): string[] {
  if (pointer === '') return [];
  return pointer
    .slice(1)
    .split('/')
    .map((t) => t.replace(/~1/g, '/').replace(/~0/g, '~'));
}

/** The value at a JSON Pointer, or undefined. Used only on the failure path, for details. */
function valueAt(root: unknown, pointer: string): unknown {
  let node = root;
  for (const token of pointerTokens(pointer)) {
    if (node === null || typeof node !== 'object') return undefined;
    node = (node as Record<string, unknown>)[token];
  }
  return node;
}

function jsonType(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  // Non-finite numbers (`1e400` parses to Infinity) are no JSON number: name them.
  if (typeof value === 'number') return Number.isInteger(value) ? 'integer' : Number.isFinite(value) ? 'number' : String(value);
  return typeof value;
}

/**
 * A short detail for one ajv error: the JSON path, then what is wrong. ajv's messages are kept
 * but made specific where they are vague on their own (which property is surplus, which values
 * an enum allows, what type or length was found).
 */
function describe(error: ErrorObjectLike, payload: unknown): string {
  const path = error.instancePath || '/';
  const params = error.params;
  let text = error.message ?? `must pass "${error.keyword}"`;
  switch (error.keyword) {
    case 'additionalProperties':
      text = `must NOT have additional property '${String(params['additionalProperty'])}'`;
      break;
    case 'enum': {
      const allowed = Array.isArray(params['allowedValues']) ? (params['allowedValues'] as unknown[]) : [];
      const listed = allowed.slice(0, MAX_LISTED_VALUES).map(String);
      if (allowed.length > MAX_LISTED_VALUES) listed.push('...');
      if (listed.length) text += ` (${listed.join(', ')})`;
      break;
    }
    case 'type':
      text += ` (got ${jsonType(valueAt(payload, error.instancePath))})`;
      break;
    case 'maxLength':
    case 'minLength': {
      const value = valueAt(payload, error.instancePath);
      // ajv counts Unicode code points, not UTF-16 units; report the same measure.
      if (typeof value === 'string') text += ` (got ${[...value].length})`;
      break;
    }
    case 'format':
    case 'minimum':
    case 'maximum':
    case 'multipleOf': {
      const value = valueAt(payload, error.instancePath);
      if (typeof value === 'string' || typeof value === 'number') {
        const shown = typeof value === 'string' && value.length > 40 ? `${value.slice(0, 40)}...` : value;
        text += ` (got ${JSON.stringify(shown)})`;
      }
      break;
    }
  }
  return `${path}: ${text}`;
}

/**
 * Validates one payload against the schema of `action` in `version`, with every rule enforced.
 * Stops at the first failure and maps it to a canonical RPC error code: `required`,
 * `minItems`, `maxItems` → OccurrenceConstraintViolation; `type` → TypeConstraintViolation;
 * `enum`, `pattern`, `format`, length and range rules, `multipleOf`, `const` →
 * PropertyConstraintViolation; `additionalProperties` and anything else → FormatViolation.
 * Never mutates `payload`.
 *
 * @param version - Negotiated OCPP version.
 * @param action - Action name, e.g. `'BootNotification'` (case-sensitive, as on the wire).
 * @param kind - Whether `payload` is the action's request or its response.
 * @param payload - The parsed JSON payload.
 * @returns `{ ok: true }`, or the failure with its code, detail and ajv keyword.
 * @throws TypeError when `version` is not a supported version (a programming error).
 */
export function validatePayload(version: OcppVersion, action: string, kind: PayloadKind, payload: unknown): PayloadCheck {
  const pair = lookup(tableFor(version), action);
  if (!pair) return { ok: false, code: 'UnknownAction', detail: `unknown ${version} action '${action}'`, keyword: 'action' };
  const validate = kind === 'request' ? pair.request : pair.response;
  if (validate(payload)) return OK;
  const error = validate.errors?.[0];
  if (!error) return { ok: false, code: 'FormatViolation', detail: '/: invalid payload', keyword: 'unknown' };
  return { ok: false, code: codeFor(error.keyword), detail: describe(error, payload), keyword: error.keyword };
}

/** Policy resolved for one (action, kind, direction): the validator to run and how to treat failures. */
interface Slot {
  readonly validate: ValidateFunction;
  readonly mode: ValidationMode;
}

/** The four slots of one action, resolved at construction so the hot path only reads them. */
interface ActionSlots {
  readonly requestInbound: Slot;
  readonly requestOutbound: Slot;
  readonly responseInbound: Slot;
  readonly responseOutbound: Slot;
}

function checkMode(value: unknown, where: string): ValidationMode | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'string' || !MODES.has(value)) {
    throw new TypeError(`Invalid validation policy: ${where} is ${JSON.stringify(value)}; expected one of ${[...MODES].map((m) => `'${m}'`).join(', ')}`);
  }
  return value as ValidationMode;
}

function checkKeys(value: object, allowed: readonly string[], where: string): void {
  for (const key of Object.keys(value)) {
    if (!allowed.includes(key)) {
      throw new TypeError(`Invalid validation policy: unknown key ${where}${key} (expected ${allowed.join(', ')})`);
    }
  }
}

/** A checked policy: the per-action entry keeps a plain mode as `both`. */
interface ResolvedPolicy {
  readonly mode: ValidationMode;
  readonly inbound: ValidationMode | undefined;
  readonly outbound: ValidationMode | undefined;
  readonly actions: ReadonlyMap<string, { both?: ValidationMode; inbound?: ValidationMode; outbound?: ValidationMode }>;
}

/** Checks a user policy completely and returns a normalised copy; throws naming the first bad key or value. */
function normalisePolicy(version: OcppVersion, table: Readonly<Record<string, ActionValidators>>, policy: unknown): ResolvedPolicy {
  if (policy === undefined) policy = {};
  if (!isPlainObject(policy)) throw new TypeError(`Invalid validation policy: expected an object, got ${jsonType(policy)}`);
  checkKeys(policy, ['mode', 'inbound', 'outbound', 'actions'], '');
  const actions = new Map<string, { both?: ValidationMode; inbound?: ValidationMode; outbound?: ValidationMode }>();
  const rawActions = policy['actions'];
  if (rawActions !== undefined) {
    if (!isPlainObject(rawActions)) throw new TypeError(`Invalid validation policy: actions must be an object, got ${jsonType(rawActions)}`);
    for (const [action, entry] of Object.entries(rawActions)) {
      if (!lookup(table, action)) throw new TypeError(`Invalid validation policy: actions.${action} is not a ${version} action`);
      if (entry === undefined) continue;
      if (typeof entry === 'string') {
        actions.set(action, { both: checkMode(entry, `actions.${action}`) });
      } else if (isPlainObject(entry)) {
        checkKeys(entry, ['inbound', 'outbound'], `actions.${action}.`);
        actions.set(action, {
          inbound: checkMode(entry['inbound'], `actions.${action}.inbound`),
          outbound: checkMode(entry['outbound'], `actions.${action}.outbound`),
        });
      } else {
        throw new TypeError(`Invalid validation policy: actions.${action} is ${JSON.stringify(entry)}; expected a mode or { inbound, outbound }`);
      }
    }
  }
  return {
    mode: checkMode(policy['mode'], 'mode') ?? 'strict',
    inbound: checkMode(policy['inbound'], 'inbound'),
    outbound: checkMode(policy['outbound'], 'outbound'),
    actions,
  };
}

/** Removes `property` from the object at `pointer` inside `root` (a private clone). */
function removeProperty(root: unknown, pointer: string, property: string): boolean {
  const parent = valueAt(root, pointer);
  if (parent === null || typeof parent !== 'object' || !Object.prototype.hasOwnProperty.call(parent, property)) return false;
  delete (parent as Record<string, unknown>)[property];
  return true;
}

/**
 * The failure path, kept out of `validate` so that the hot path stays one Map lookup and one
 * validator call. Under `'allow-extra'`, an unknown property is removed from a private
 * structuredClone and the clone validated again, until it passes (every failure was an extra:
 * reported, not enforced) or fails for another reason (enforced, with that reason's code).
 * The caller's object is never touched.
 */
function failure(slot: Slot, payload: unknown): ValidationIssue {
  const first = slot.validate.errors?.[0];
  if (!first) return { code: 'FormatViolation', detail: '/: invalid payload', enforced: slot.mode !== 'report' };
  const issue = { code: codeFor(first.keyword), detail: describe(first, payload) };
  if (slot.mode === 'strict') return { ...issue, enforced: true };
  if (slot.mode === 'report' || first.keyword !== 'additionalProperties') return { ...issue, enforced: slot.mode !== 'report' };

  let clone: unknown;
  try {
    clone = structuredClone(payload);
  } catch {
    // Not JSON-like (functions, symbols): it could never have been valid OCPP anyway.
    return { ...issue, enforced: true };
  }
  const extras = [issue.detail];
  let error: ErrorObjectLike = first;
  for (let i = 0; i < MAX_EXTRA_PROPERTIES; i++) {
    // Cannot happen with ajv's errors; if it did, looping would not make progress.
    if (!removeProperty(clone, error.instancePath, String(error.params['additionalProperty']))) return { ...issue, enforced: true };
    if (slot.validate(clone)) {
      const shown = extras.length > 3 ? [...extras.slice(0, 3), `and ${extras.length - 3} more`] : extras;
      return { code: 'FormatViolation', detail: shown.join('; '), enforced: false };
    }
    const next = slot.validate.errors?.[0];
    if (!next) return { ...issue, enforced: true };
    if (next.keyword !== 'additionalProperties') {
      // Paths are unchanged by the removals, so the detail is right for the caller's payload too.
      return { code: codeFor(next.keyword), detail: describe(next, clone), enforced: true };
    }
    error = next;
    extras.push(describe(next, clone));
  }
  return { code: 'FormatViolation', detail: `${issue.detail} (more than ${MAX_EXTRA_PROPERTIES} unknown properties: enforced)`, enforced: true };
}

/**
 * Creates the core's {@link PayloadValidator} for one version under a policy.
 *
 * The policy is checked completely and resolved for every (action, kind, direction) here, once:
 * later changes to the policy object have no effect, and a malformed policy (unknown key, unknown
 * mode, action unknown to the version) throws now, naming the bad key or value, instead of at
 * the first message. Validating a valid payload then costs one Map lookup and one precompiled
 * validator call.
 *
 * `validate` returns `undefined` when the payload is valid or its mode is `'off'`; otherwise an
 * issue with `enforced: false` under `'report'` (and for unknown properties under
 * `'allow-extra'`), `enforced: true` otherwise. An action the version does not know yields
 * `NotImplemented`, under the mode of its direction.
 *
 * @param version - The negotiated OCPP version.
 * @param policy - Validation modes; strict everywhere when omitted.
 * @throws TypeError naming the offending key or value when the policy is malformed.
 */
export function createPayloadValidator(version: OcppVersion, policy?: ValidationPolicy): PayloadValidator {
  const table = tableFor(version);
  const p = normalisePolicy(version, table, policy);
  const resolve = (action: string | undefined, direction: Direction): ValidationMode => {
    const entry = action === undefined ? undefined : p.actions.get(action);
    return entry?.[direction] ?? entry?.both ?? p[direction] ?? p.mode;
  };

  const slots = new Map<string, ActionSlots>();
  for (const action of Object.keys(table)) {
    const { request, response } = table[action];
    const inbound = resolve(action, 'inbound');
    const outbound = resolve(action, 'outbound');
    slots.set(action, {
      requestInbound: { validate: request, mode: inbound },
      requestOutbound: { validate: request, mode: outbound },
      responseInbound: { validate: response, mode: inbound },
      responseOutbound: { validate: response, mode: outbound },
    });
  }
  const unknownModes = { inbound: resolve(undefined, 'inbound'), outbound: resolve(undefined, 'outbound') };

  return {
    validate(action: string, kind: PayloadKind, direction: Direction, payload: unknown): ValidationIssue | undefined {
      const entry = slots.get(action);
      if (entry === undefined) {
        const mode = unknownModes[direction];
        if (mode === 'off') return undefined;
        return { code: 'NotImplemented', detail: `unknown ${version} action '${action}'`, enforced: mode !== 'report' };
      }
      const slot =
        kind === 'request'
          ? direction === 'inbound'
            ? entry.requestInbound
            : entry.requestOutbound
          : direction === 'inbound'
            ? entry.responseInbound
            : entry.responseOutbound;
      if (slot.mode === 'off' || slot.validate(payload)) return undefined;
      return failure(slot, payload);
    },
  };
}
