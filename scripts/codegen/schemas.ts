// Loads schemas/<version>/ into a list of messages, checking the folder's shape on the way.
// Everything else in the generator works from this list, so a file that does not fit the
// expected naming (or a request without a response) stops generation here with its name.
import fs from 'node:fs';
import path from 'node:path';

/** A parsed JSON schema. The generator only ever reads these, except on deep copies. */
export type JsonSchema = { [key: string]: unknown };

/** What differs between the two versions as far as file layout and output naming go. */
export interface VersionSpec {
  /** Subprotocol name; also the folder name under schemas/. */
  readonly version: 'ocpp1.6' | 'ocpp2.0.1';
  /** Output folder under src/generated/. */
  readonly outDir: 'ocpp16' | 'ocpp201';
  /** Prefix of the generated action map and table: `OCPP16ActionMap`, `OCPP16_ACTIONS`. */
  readonly prefix: 'OCPP16' | 'OCPP201';
  /** Request file suffix in the OCA naming: 1.6 `Authorize.json`, 2.0.1 `AuthorizeRequest.json`. */
  readonly requestFileSuffix: '' | 'Request';
  /** Expected number of actions: a guard against a silently truncated schemas/ folder. */
  readonly actionCount: number;
}

/** The two versions this SDK generates code for. */
export const VERSIONS: readonly VersionSpec[] = [
  { version: 'ocpp1.6', outDir: 'ocpp16', prefix: 'OCPP16', requestFileSuffix: '', actionCount: 39 },
  { version: 'ocpp2.0.1', outDir: 'ocpp201', prefix: 'OCPP201', requestFileSuffix: 'Request', actionCount: 64 },
];

/** One request or response schema. */
export interface MessageSchema {
  readonly action: string;
  readonly kind: 'request' | 'response';
  /** TypeScript name of the message type: `BootNotificationRequest`, `BootNotificationResponse`. */
  readonly typeName: string;
  /** File name inside schemas/<version>/. */
  readonly file: string;
  /** The `$id` as shipped by ocpp-rpc (`urn:BootNotification.req`); ajv keys the schema by it. */
  readonly id: string;
  readonly schema: JsonSchema;
}

/** All messages of one version, sorted by action then kind (request first). */
export interface LoadedVersion {
  readonly spec: VersionSpec;
  /** Action names, sorted. */
  readonly actions: readonly string[];
  readonly messages: readonly MessageSchema[];
}

const ID_PATTERN = /^urn:([A-Za-z0-9]+)\.(req|conf)$/;

/** Reads and checks schemas/<version>/. Throws with the offending file name on any surprise. */
export function loadVersion(root: string, spec: VersionSpec): LoadedVersion {
  const dir = path.join(root, 'schemas', spec.version);
  const files = fs
    .readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .sort();
  const byAction = new Map<string, { request?: MessageSchema; response?: MessageSchema }>();
  for (const file of files) {
    const schema = JSON.parse(fs.readFileSync(path.join(dir, file), 'utf8')) as JsonSchema;
    const id = schema['$id'];
    const m = typeof id === 'string' ? ID_PATTERN.exec(id) : null;
    if (!m || typeof id !== 'string') throw new Error(`schemas/${spec.version}/${file}: unexpected $id ${JSON.stringify(id)}`);
    const action = m[1];
    const kind = m[2] === 'req' ? 'request' : 'response';
    const expectedFile = kind === 'request' ? `${action}${spec.requestFileSuffix}.json` : `${action}Response.json`;
    if (file !== expectedFile) {
      throw new Error(`schemas/${spec.version}/${file}: $id ${id} belongs in ${expectedFile}`);
    }
    const entry = byAction.get(action) ?? {};
    entry[kind] = { action, kind, typeName: `${action}${kind === 'request' ? 'Request' : 'Response'}`, file, id, schema };
    byAction.set(action, entry);
  }
  const actions = [...byAction.keys()].sort();
  const messages: MessageSchema[] = [];
  for (const action of actions) {
    const { request, response } = byAction.get(action)!;
    if (!request || !response) {
      throw new Error(`schemas/${spec.version}/: ${action} has no ${request ? 'response' : 'request'} schema`);
    }
    messages.push(request, response);
  }
  if (actions.length !== spec.actionCount) {
    throw new Error(`schemas/${spec.version}/: expected ${spec.actionCount} actions, found ${actions.length}`);
  }
  return { spec, actions, messages };
}

/** The first line of every generated file. */
export function header(spec: VersionSpec): string {
  return (
    `// GENERATED, DO NOT EDIT. Source: schemas/${spec.version}/ (OCA JSON schemas via ocpp-rpc 2.2.1). ` + 'Generator: scripts/generate.ts (npm run generate).'
  );
}

/**
 * Key-order-independent serialisation, used to decide whether two schema fragments are the
 * same. `ignore` drops annotation keys (e.g. `description`) at schema positions only, never a
 * property that happens to be called `description`.
 */
export function canonical(value: unknown, ignore: ReadonlySet<string> = new Set(), inPropertyMap = false): string {
  if (Array.isArray(value)) return `[${value.map((v) => canonical(v, ignore)).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const obj = value as Record<string, unknown>;
    const keys = Object.keys(obj)
      .filter((k) => inPropertyMap || !ignore.has(k))
      .sort();
    return `{${keys
      .map((k) => {
        // `properties` and `definitions` map names to schemas: their keys are names, not keywords.
        const isMap = !inPropertyMap && (k === 'properties' || k === 'definitions' || k === 'patternProperties');
        return `${JSON.stringify(k)}:${canonical(obj[k], ignore, isMap)}`;
      })
      .join(',')}}`;
  }
  return JSON.stringify(value);
}
