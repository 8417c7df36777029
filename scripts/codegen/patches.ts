// The changes the generator makes to the schemas, in memory, before it compiles anything.
// schemas/ holds OCA's files byte for byte (the 2.1 licence, CC BY-ND 4.0, forbids sharing
// modified copies, and the same rule is kept for 1.6 and 2.0.1), so every normalisation and
// every erratum fix lives here, listed in schemas/README.md ("Generator-time patches").
//
// Each patch states what it expects to find. When a schema no longer looks like that (a new OCA
// edition fixed the erratum, say), generation stops and names the patch, so that no patch
// silently turns into a no-op or into an edit of something else.
import type { JsonSchema } from './schemas';

/** The keys every loaded schema loses: they name the draft and the document, and change nothing ajv checks. */
export const DOCUMENT_KEYS = ['$schema', '$id', 'id'] as const;

/** One targeted edit of one file, applied to a deep copy. */
export interface SchemaPatch {
  /** Subprotocol (folder under schemas/). */
  readonly version: string;
  /** File name inside the version's folder. */
  readonly file: string;
  /** Property names from the schema root to the value edited. */
  readonly path: readonly string[];
  /** Why, in one line; repeated in schemas/README.md. */
  readonly why: string;
  /** Edits the value at `path` in place; throws when the value is not what the patch expects. */
  readonly apply: (value: unknown, where: string) => void;
}

/**
 * Adds `value` to a string enum, after `after`, and fails if it is already there (OCA fixed
 * it: drop the patch) or `after` is missing (the enum changed: look again).
 */
function addEnumValue(value: string, after: string): SchemaPatch['apply'] {
  return (target, where) => {
    const list = (target as { enum?: unknown }).enum;
    if (!Array.isArray(list)) throw new Error(`${where}: expected a schema with an enum`);
    if (list.includes(value)) throw new Error(`${where}: enum already holds ${JSON.stringify(value)}; the patch is no longer needed`);
    const at = list.indexOf(after);
    if (at < 0) throw new Error(`${where}: enum has no ${JSON.stringify(after)} to insert ${JSON.stringify(value)} after`);
    list.splice(at + 1, 0, value);
  };
}

/** The erratum fixes, by version and file. */
export const SCHEMA_PATCHES: readonly SchemaPatch[] = [
  {
    // OCA's 2019-12 errata added the correct spelling next to the spec's misspelt "Celcius" in
    // MeterValues but not in StopTransaction's transactionData. Without this a charger that
    // reports the same sampled value in both messages is accepted in one and refused in the
    // other. Strictly more permissive than OCA: nothing OCA accepts is refused.
    version: 'ocpp1.6',
    file: 'StopTransaction.json',
    path: ['properties', 'transactionData', 'items', 'properties', 'sampledValue', 'items', 'properties', 'unit'],
    why: 'add "Celsius" to the unit enum, as OCA\'s own MeterValues.json has it',
    apply: addEnumValue('Celsius', 'Celcius'),
  },
];

/**
 * Drops `additionalProperties` from schemas whose `type` is not `object` (OCA writes
 * `additionalProperties: false` on every string enum). The keyword only ever applies to
 * objects, so it is a no-op there; dropping it keeps the emitted validators free of a dead
 * object check per enum. Returns how many were dropped.
 */
function dropNoOpAdditionalProperties(node: unknown, inMap = false): number {
  if (Array.isArray(node)) return node.reduce((n: number, v) => n + dropNoOpAdditionalProperties(v), 0);
  if (node === null || typeof node !== 'object') return 0;
  const obj = node as Record<string, unknown>;
  let dropped = 0;
  if (!inMap && obj['type'] !== undefined && obj['type'] !== 'object' && 'additionalProperties' in obj) {
    delete obj['additionalProperties'];
    dropped++;
  }
  for (const [key, value] of Object.entries(obj)) {
    if (!inMap && (key === 'enum' || key === 'required')) continue;
    dropped += dropNoOpAdditionalProperties(value, !inMap && (key === 'properties' || key === 'definitions' || key === 'patternProperties'));
  }
  return dropped;
}

/**
 * The schema as the generator uses it: a deep copy without the document keys (`$schema`,
 * `$id`, draft-04 `id`), without no-op `additionalProperties`, and with this file's patches
 * applied. The original is left untouched.
 */
export function patchedSchema(version: string, file: string, original: JsonSchema): JsonSchema {
  const copy = structuredClone(original);
  for (const key of DOCUMENT_KEYS) delete copy[key];
  dropNoOpAdditionalProperties(copy);
  for (const patch of SCHEMA_PATCHES) {
    if (patch.version !== version || patch.file !== file) continue;
    const where = `schemas/${version}/${file}#/${patch.path.join('/')} (scripts/codegen/patches.ts)`;
    let target: unknown = copy;
    for (const step of patch.path) {
      target = target !== null && typeof target === 'object' ? (target as Record<string, unknown>)[step] : undefined;
      if (target === undefined) throw new Error(`${where}: no ${step} on the way`);
    }
    patch.apply(target, where);
  }
  return copy;
}
