// Loads schemas/<version>/ into a list of messages, checking the folder's shape on the way, and
// applies the generator-time patches (patches.ts) to in-memory copies.
// Everything else in the generator works from this list, so a file that does not fit the
// expected naming (or a request without a response) stops generation here with its name.
import fs from 'node:fs';
import path from 'node:path';
import { patchedSchema, SCHEMA_PATCHES } from './patches';

/** A parsed JSON schema. The generator only ever reads these, except on deep copies. */
export type JsonSchema = { [key: string]: unknown };

/** What differs between the versions as far as file layout and output naming go. */
export interface VersionSpec {
  /** Subprotocol name; also the folder name under schemas/. */
  readonly version: 'ocpp1.6' | 'ocpp2.0.1' | 'ocpp2.1';
  /** Output folder under src/generated/. */
  readonly outDir: 'ocpp16' | 'ocpp201' | 'ocpp21';
  /** Prefix of the generated action map and table: `OCPP16ActionMap`, `OCPP16_ACTIONS`. */
  readonly prefix: 'OCPP16' | 'OCPP201' | 'OCPP21';
  /** Request file suffix in the OCA naming: 1.6 `Authorize.json`, 2.x `AuthorizeRequest.json`. */
  readonly requestFileSuffix: '' | 'Request';
  /** Expected number of actions: a guard against a silently truncated schemas/ folder. */
  readonly actionCount: number;
  /**
   * Actions that travel only as SEND (OCPP-J 2.1 message type 6): one schema, `<Action>.json`,
   * and no response. OCA marks them so in the file name; 2.1 has NotifyPeriodicEventStream.
   */
  readonly sendActions: readonly string[];
  /** The OCA id of every file: `<idPrefix><Action>Request`, `<idPrefix><Action>Response` (`$id`, or draft-04 `id`). */
  readonly idPrefix: string;
  /**
   * Actions whose files are not OCA originals but ocpp-rpc 2.2.1's copies (the 1.6 Security
   * Extension, which OCA's 1.6 schema download does not contain); their id is ocpp-rpc's
   * `urn:<Action>.req` / `urn:<Action>.conf`.
   */
  readonly nonOcaActions: readonly string[];
}

/** The 11 actions of the OCPP 1.6 Security Extension (Security Whitepaper edition 2). */
export const SECURITY_EXTENSION_16: readonly string[] = [
  'CertificateSigned',
  'DeleteCertificate',
  'ExtendedTriggerMessage',
  'GetInstalledCertificateIds',
  'GetLog',
  'InstallCertificate',
  'LogStatusNotification',
  'SecurityEventNotification',
  'SignCertificate',
  'SignedFirmwareStatusNotification',
  'SignedUpdateFirmware',
];

/** The versions this SDK generates code for. */
export const VERSIONS: readonly VersionSpec[] = [
  {
    version: 'ocpp1.6',
    outDir: 'ocpp16',
    prefix: 'OCPP16',
    requestFileSuffix: '',
    actionCount: 39,
    sendActions: [],
    idPrefix: 'urn:OCPP:1.6:2019:12:',
    nonOcaActions: SECURITY_EXTENSION_16,
  },
  {
    version: 'ocpp2.0.1',
    outDir: 'ocpp201',
    prefix: 'OCPP201',
    requestFileSuffix: 'Request',
    actionCount: 64,
    sendActions: [],
    idPrefix: 'urn:OCPP:Cp:2:2020:3:',
    nonOcaActions: [],
  },
  {
    version: 'ocpp2.1',
    outDir: 'ocpp21',
    prefix: 'OCPP21',
    requestFileSuffix: 'Request',
    actionCount: 91,
    sendActions: ['NotifyPeriodicEventStream'],
    idPrefix: 'urn:OCPP:Cp:2:2025:1:',
    nonOcaActions: [],
  },
];

/** One request, response or SEND schema. */
export interface MessageSchema {
  readonly action: string;
  /** `send`: the one payload of an action that travels only as SEND (no response exists). */
  readonly kind: 'request' | 'response' | 'send';
  /**
   * TypeScript name of the message type: `BootNotificationRequest`, `BootNotificationResponse`;
   * a SEND message keeps OCA's name, the action's (`NotifyPeriodicEventStream`).
   */
  readonly typeName: string;
  /** File name inside schemas/<version>/. */
  readonly file: string;
  /**
   * The schema as the generator uses it: the file's content with the generator-time patches of
   * scripts/codegen/patches.ts applied (no `$schema`/`$id`/`id`). The file itself is never edited.
   */
  readonly schema: JsonSchema;
}

/** All messages of one version, sorted by action then kind (request first). */
export interface LoadedVersion {
  readonly spec: VersionSpec;
  /** Action names, sorted: CALL actions and SEND actions alike. */
  readonly actions: readonly string[];
  readonly messages: readonly MessageSchema[];
}

/** Kind of a file by its name, or undefined when the name fits none of the version's patterns. */
function classify(spec: VersionSpec, file: string): { action: string; kind: MessageSchema['kind'] } | undefined {
  const base = file.slice(0, -'.json'.length);
  if (spec.sendActions.includes(base)) return { action: base, kind: 'send' };
  if (base.endsWith('Response')) return { action: base.slice(0, -'Response'.length), kind: 'response' };
  if (spec.requestFileSuffix === '') return { action: base, kind: 'request' };
  if (base.endsWith(spec.requestFileSuffix)) return { action: base.slice(0, -spec.requestFileSuffix.length), kind: 'request' };
  return undefined;
}

/** The id a file must carry: OCA's, or ocpp-rpc's for the actions that have no OCA original. */
function expectedId(spec: VersionSpec, action: string, kind: MessageSchema['kind']): { key: '$id' | 'id'; value: string } {
  if (spec.nonOcaActions.includes(action)) return { key: '$id', value: `urn:${action}.${kind === 'response' ? 'conf' : 'req'}` };
  const name = kind === 'send' ? action : `${action}${kind === 'request' ? 'Request' : 'Response'}`;
  // OCA's 1.6 files are draft-04, which spells the id `id`; 2.x files are draft-06: `$id`.
  return { key: spec.version === 'ocpp1.6' ? 'id' : '$id', value: `${spec.idPrefix}${name}` };
}

/**
 * Reads and checks schemas/<version>/: every file named as OCA names it, carrying the id that
 * name implies, every CALL action with a request and a response, every SEND action with its one
 * schema, and the expected number of actions. Throws with the offending file name on any
 * surprise. The schemas are returned patched (scripts/codegen/patches.ts).
 */
export function loadVersion(root: string, spec: VersionSpec): LoadedVersion {
  const dir = path.join(root, 'schemas', spec.version);
  const files = fs
    .readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .sort();
  const byAction = new Map<string, Partial<Record<MessageSchema['kind'], MessageSchema>>>();
  for (const file of files) {
    const where = `schemas/${spec.version}/${file}`;
    const named = classify(spec, file);
    if (!named) throw new Error(`${where}: the name is not <Action>${spec.requestFileSuffix}.json or <Action>Response.json`);
    const { action, kind } = named;
    const original = JSON.parse(fs.readFileSync(path.join(dir, file), 'utf8')) as JsonSchema;
    const id = expectedId(spec, action, kind);
    if (original[id.key] !== id.value) throw new Error(`${where}: expected ${id.key} ${JSON.stringify(id.value)}, found ${JSON.stringify(original[id.key])}`);
    const typeName = kind === 'send' ? action : `${action}${kind === 'request' ? 'Request' : 'Response'}`;
    const entry = byAction.get(action) ?? {};
    entry[kind] = { action, kind, typeName, file, schema: patchedSchema(spec.version, file, original) };
    byAction.set(action, entry);
  }
  for (const patch of SCHEMA_PATCHES) {
    if (patch.version === spec.version && !files.includes(patch.file)) {
      throw new Error(`scripts/codegen/patches.ts: a patch names schemas/${spec.version}/${patch.file}, which does not exist`);
    }
  }
  const actions = [...byAction.keys()].sort();
  const messages: MessageSchema[] = [];
  for (const action of actions) {
    const { request, response, send } = byAction.get(action)!;
    if (send) {
      messages.push(send);
    } else {
      if (!request || !response) {
        throw new Error(`schemas/${spec.version}/: ${action} has no ${request ? 'response' : 'request'} schema`);
      }
      messages.push(request, response);
    }
  }
  if (actions.length !== spec.actionCount) {
    throw new Error(`schemas/${spec.version}/: expected ${spec.actionCount} actions, found ${actions.length}`);
  }
  return { spec, actions, messages };
}

/** True when `action` travels only as SEND in this version. */
export function isSendAction(loaded: LoadedVersion, action: string): boolean {
  return loaded.spec.sendActions.includes(action);
}

/** The first line of every generated file. */
export function header(spec: VersionSpec): string {
  return (
    `// GENERATED, DO NOT EDIT. Source: schemas/${spec.version}/ (OCA JSON schemas, patched in memory by scripts/codegen/patches.ts). ` +
    'Generator: scripts/generate.ts (npm run generate).'
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
