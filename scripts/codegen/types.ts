// Emits types.ts for one version: every request and response type, compiled once from a merged
// schema so that each shared type is declared once.
//
// Why a merged copy: 2.0.1 files repeat their shared definitions (CustomDataType, IdTokenType,
// ...) in every file, and compiling files one by one would declare them 128 times. 1.6 core files
// have no definitions at all: nested objects and enums are inline, and json-schema-to-typescript
// would name them after the property (`Status`, `Status1`, ...). So the generator builds, in
// memory, one schema per version whose `definitions` hold every message plus every shared type
// under a readable name, and compiles that. schemas/ is never modified.
import { compile } from 'json-schema-to-typescript';
import { canonical, header, type JsonSchema, type LoadedVersion } from './schemas';

/**
 * Names for 1.6's inline objects and enums, by property name. These are the class names of the
 * OCPP 1.6 specification (chapter 7, "Types"). An inline type whose property is not listed here
 * (nor in PATH_NAMES_16) stops generation: naming it is a deliberate decision, not a guess.
 */
const PROPERTY_NAMES_16: Readonly<Record<string, string>> = {
  chargingProfile: 'ChargingProfile',
  csChargingProfiles: 'ChargingProfile',
  chargingProfileKind: 'ChargingProfileKindType',
  chargingProfilePurpose: 'ChargingProfilePurposeType',
  chargingRateUnit: 'ChargingRateUnitType',
  chargingSchedule: 'ChargingSchedule',
  chargingSchedulePeriod: 'ChargingSchedulePeriod',
  configurationKey: 'KeyValue',
  context: 'ReadingContext',
  errorCode: 'ChargePointErrorCode',
  format: 'ValueFormat',
  idTagInfo: 'IdTagInfo',
  localAuthorizationList: 'AuthorizationData',
  location: 'Location',
  measurand: 'Measurand',
  meterValue: 'MeterValue',
  phase: 'Phase',
  reason: 'Reason',
  recurrencyKind: 'RecurrencyKindType',
  requestedMessage: 'MessageTrigger',
  sampledValue: 'SampledValue',
  transactionData: 'MeterValue',
  unit: 'UnitOfMeasure',
  updateType: 'UpdateType',
};

/**
 * Names for 1.6 inline types that depend on where they are (`status` means something different
 * in every response), keyed by `<MessageType>.<property path>`; `[]` marks array items.
 */
const PATH_NAMES_16: Readonly<Record<string, string>> = {
  'AuthorizeResponse.idTagInfo.status': 'AuthorizationStatus',
  'SendLocalListRequest.localAuthorizationList[].idTagInfo.status': 'AuthorizationStatus',
  'StartTransactionResponse.idTagInfo.status': 'AuthorizationStatus',
  'StopTransactionResponse.idTagInfo.status': 'AuthorizationStatus',
  'BootNotificationResponse.status': 'RegistrationStatus',
  'CancelReservationResponse.status': 'CancelReservationStatus',
  'ChangeAvailabilityRequest.type': 'AvailabilityType',
  'ChangeAvailabilityResponse.status': 'AvailabilityStatus',
  'ChangeConfigurationResponse.status': 'ConfigurationStatus',
  'ClearCacheResponse.status': 'ClearCacheStatus',
  'ClearChargingProfileResponse.status': 'ClearChargingProfileStatus',
  'DataTransferResponse.status': 'DataTransferStatus',
  'DiagnosticsStatusNotificationRequest.status': 'DiagnosticsStatus',
  'FirmwareStatusNotificationRequest.status': 'FirmwareStatus',
  'GetCompositeScheduleResponse.status': 'GetCompositeScheduleStatus',
  'RemoteStartTransactionResponse.status': 'RemoteStartStopStatus',
  'RemoteStopTransactionResponse.status': 'RemoteStartStopStatus',
  'ReserveNowResponse.status': 'ReservationStatus',
  'ResetRequest.type': 'ResetType',
  'ResetResponse.status': 'ResetStatus',
  'SendLocalListResponse.status': 'UpdateStatus',
  'SetChargingProfileResponse.status': 'ChargingProfileStatus',
  'StatusNotificationRequest.status': 'ChargePointStatus',
  'TriggerMessageResponse.status': 'TriggerMessageStatus',
  'UnlockConnectorResponse.status': 'UnlockStatus',
};

/** Annotation keys that do not change what a schema accepts. */
const ANNOTATIONS: ReadonlySet<string> = new Set(['description', 'title', '$id', 'id', '$schema', 'comment', 'javaType']);

/** Collects named definitions; a name reused for a different shape is an error, not a merge. */
class Definitions {
  readonly byName = new Map<string, { schema: JsonSchema; key: string; where: string; descriptions: Set<string> }>();

  add(name: string, schema: JsonSchema, where: string): void {
    const key = canonical(schema, ANNOTATIONS);
    const description = typeof schema['description'] === 'string' ? schema['description'] : '';
    const existing = this.byName.get(name);
    if (!existing) {
      this.byName.set(name, { schema, key, where, descriptions: new Set([description]) });
      return;
    }
    if (existing.key !== key) {
      throw new Error(`type name ${name} is used for two different schemas: ${existing.where} and ${where}`);
    }
    existing.descriptions.add(description);
  }

  /** Definitions sorted by name; a description survives only if every copy had the same one. */
  toObject(): Record<string, JsonSchema> {
    const out: Record<string, JsonSchema> = {};
    for (const name of [...this.byName.keys()].sort()) {
      const { schema, descriptions } = this.byName.get(name)!;
      const copy = { ...schema };
      // 2.0.1 reuses e.g. ChargingRateUnitEnumType with a different description per field;
      // any one of them would be wrong on the shared type.
      if (descriptions.size > 1) delete copy['description'];
      out[name] = copy;
    }
    return out;
  }
}

function isInlineType(schema: JsonSchema): boolean {
  return Array.isArray(schema['enum']) || (schema['type'] === 'object' && typeof schema['properties'] === 'object');
}

/**
 * Replaces inline objects and enums below the root by `$ref`s to named definitions. Works
 * bottom-up so that a hoisted object refers to its own hoisted children.
 */
function hoistInline(node: JsonSchema, typeName: string, where: string, prop: string | undefined, defs: Definitions, isRoot: boolean): JsonSchema {
  const out: JsonSchema = { ...node };
  const props = node['properties'];
  if (props && typeof props === 'object') {
    const next: Record<string, JsonSchema> = {};
    for (const [name, child] of Object.entries(props as Record<string, JsonSchema>)) {
      next[name] = hoistInline(child, typeName, `${where}.${name}`, name, defs, false);
    }
    out['properties'] = next;
  }
  const items = node['items'];
  if (items && typeof items === 'object' && !Array.isArray(items)) {
    out['items'] = hoistInline(items as JsonSchema, typeName, `${where}[]`, prop, defs, false);
  }
  if (isRoot || !isInlineType(node)) return out;
  const name = PATH_NAMES_16[where] ?? (prop !== undefined ? PROPERTY_NAMES_16[prop] : undefined);
  if (!name) {
    throw new Error(`no type name for the inline schema at ${where}: add it to PATH_NAMES_16 or PROPERTY_NAMES_16 in scripts/codegen/types.ts`);
  }
  defs.add(name, out, where);
  return { $ref: `#/definitions/${name}` };
}

/** Value constraints that TypeScript cannot express; they are repeated as TSDoc tags instead. */
const CONSTRAINT_TAGS = ['minLength', 'maxLength', 'format', 'minimum', 'maximum', 'multipleOf'] as const;

/**
 * Deep copy prepared for TSDoc: descriptions trimmed with CRLF turned into LF, and the value
 * constraints of a schema (`maxLength` ...) appended as tags, so that an editor shows
 * `@maxLength 20` on `chargePointVendor` instead of leaving it to a runtime rejection.
 */
function prepareDocs(value: unknown, inMap = false): unknown {
  if (Array.isArray(value)) return value.map((v) => prepareDocs(v));
  if (value !== null && typeof value === 'object') {
    const obj = value as Record<string, unknown>;
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(obj)) {
      if (inMap || k !== 'description') out[k] = prepareDocs(v, !inMap && (k === 'properties' || k === 'definitions'));
    }
    if (!inMap) {
      const lines: string[] = [];
      if (typeof obj['description'] === 'string') lines.push(obj['description'].replace(/\r\n?/g, '\n').trim());
      // Constraint keywords hold numbers (and `format` a string): printed as they are.
      // eslint-disable-next-line @typescript-eslint/no-base-to-string
      for (const tag of CONSTRAINT_TAGS) if (obj[tag] !== undefined) lines.push(`@${tag} ${String(obj[tag])}`);
      const text = lines.filter(Boolean).join('\n');
      if (text) out['description'] = text;
    }
    return out;
  }
  return value;
}

/** Keywords that give a schema a shape; a schema with none of them accepts any JSON value. */
const SHAPE_KEYWORDS = ['type', '$ref', 'enum', 'const', 'properties', 'items', 'anyOf', 'oneOf', 'allOf', 'not'];

/**
 * Deep copy in which every schema that constrains nothing (2.0.1 DataTransfer `data`: "Data
 * without specified length or format") is typed `unknown`. json-schema-to-typescript would
 * otherwise emit `{ [k: string]: unknown }`, which rejects the strings and arrays the schema
 * allows.
 */
function typeUnconstrained(schema: JsonSchema): JsonSchema {
  const out: JsonSchema = { ...schema };
  if (!SHAPE_KEYWORDS.some((k) => k in schema)) out['tsType'] = 'unknown';
  for (const key of ['properties', 'definitions'] as const) {
    const map = schema[key];
    if (map && typeof map === 'object') {
      out[key] = Object.fromEntries(Object.entries(map as Record<string, JsonSchema>).map(([n, s]) => [n, typeUnconstrained(s)]));
    }
  }
  const items = schema['items'];
  if (items && typeof items === 'object' && !Array.isArray(items)) out['items'] = typeUnconstrained(items as JsonSchema);
  return out;
}

/** The merged schema of one version: `definitions` holds every message and shared type. */
export function mergedSchema(loaded: LoadedVersion): Record<string, JsonSchema> {
  const defs = new Definitions();
  const messageNames = new Set(loaded.messages.map((m) => m.typeName));
  const messages: Record<string, JsonSchema> = {};
  for (const msg of loaded.messages) {
    const { $id: _id, $schema: _schema, definitions, title: _title, ...rest } = msg.schema;
    for (const [name, def] of Object.entries((definitions ?? {}) as Record<string, JsonSchema>)) {
      if (messageNames.has(name)) throw new Error(`${msg.file}: definition ${name} clashes with a message type name`);
      defs.add(name, def, `${msg.file}#/definitions/${name}`);
    }
    messages[msg.typeName] = loaded.spec.version === 'ocpp1.6' ? hoistInline(rest, msg.typeName, msg.typeName, undefined, defs, true) : rest;
  }
  for (const name of defs.byName.keys()) {
    if (messageNames.has(name)) throw new Error(`shared type ${name} clashes with a message type name`);
  }
  const all: Record<string, JsonSchema> = { ...messages, ...defs.toObject() };
  return Object.fromEntries(Object.entries(all).map(([name, schema]) => [name, typeUnconstrained(schema)]));
}

const ROOT_NAME = 'OcppGeneratorRoot';

/** Compiles the merged schema with json-schema-to-typescript and returns the file text. */
export async function generateTypes(loaded: LoadedVersion): Promise<string> {
  const definitions = prepareDocs(mergedSchema(loaded)) as Record<string, JsonSchema>;
  // The root exists only to carry `definitions`; `unreachableDefinitions` emits all of them.
  const root = { title: ROOT_NAME, type: 'object', additionalProperties: false, definitions };
  const text = await compile(root as Parameters<typeof compile>[0], ROOT_NAME, {
    bannerComment: '',
    unreachableDefinitions: true,
    // Arrays stay `T[]`: minItems/maxItems as tuples make payloads painful to build, and the
    // validators enforce the counts anyway.
    ignoreMinAndMaxItems: true,
    // Name every definition by its key, never by a nested `title`.
    customName: (_schema, keyName) => keyName,
    // Left at its default (true) on purpose: the only object without `additionalProperties:
    // false` is 2.0.1's CustomDataType, which OCPP leaves open for vendor data.
    additionalProperties: true,
    strictIndexSignatures: false,
    style: { printWidth: 120, singleQuote: true },
  });
  return stripRoot(text, loaded);
}

/** Removes the placeholder root and json-schema-to-typescript's "referenced by" notes. */
function stripRoot(text: string, loaded: LoadedVersion): string {
  const rootDecl = `export interface ${ROOT_NAME} {}\n`;
  if (!text.includes(rootDecl)) throw new Error(`json-schema-to-typescript output has no "${rootDecl.trim()}"`);
  let out = text.replace(rootDecl, '');
  out = out.replace(/( \*\n)* \* This interface was referenced by `\w+`'s JSON-Schema\n \* via the `definition` "\w+"\.\n/g, '');
  // A doc comment that held only the note is now empty.
  out = out.replace(/\/\*\*\n \*\/\n/g, '');
  if (out.includes(ROOT_NAME)) throw new Error(`could not remove every mention of ${ROOT_NAME} from the generated types`);
  return `${header(loaded.spec)}\n\n${out.trim()}\n`;
}
