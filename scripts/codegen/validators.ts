// Emits validators.js and validators.d.ts for one version: ajv's standalone validation code for every message,
// bundled with esbuild into one module that imports nothing.
//
// Why precompile: compiling the 128 2.0.1 schemas with ajv at run time takes most of a second
// per process, and it needs `new Function`, which strict CSPs forbid in browsers. Standalone
// code is plain functions. Why bundle: that code still `require`s ajv's runtime helpers
// (ucs2length, equal) and ajv-formats; inlining them makes the module self-contained, so it
// loads the same under import and require, in Node and in a browser bundle.
import Ajv, { _ } from 'ajv';
import addFormats from 'ajv-formats';
import standaloneCode from 'ajv/dist/standalone';
import { build, type Plugin } from 'esbuild';
import { formats } from './formats';
import { header, isSendAction, type LoadedVersion } from './schemas';

/** Formats the OCA schemas use; anything else stops generation (ajv would silently ignore it). */
const SUPPORTED_FORMATS = ['date-time', 'uri'] as const;

/**
 * ajv options. Every one is a decision:
 * - `strict: false`: the schemas carry keywords ajv's strict mode rejects (no-op
 *   `additionalItems` next to a single `items` schema, unknown `javaType`/`comment` in the
 *   OCA originals);
 * - `multipleOfPrecision`: without it 0.3 fails `multipleOf: 0.1` (0.3 / 0.1 = 2.9999999999999996);
 * - `strictNumbers: true`: `1e400` parses to `Infinity` and `JSON.stringify` writes it as `null`, so
 *   a non-finite number is never a valid `number`/`integer` (a `type` error, TypeConstraintViolation);
 *   `strict: false` above would otherwise turn this check off too;
 * - `allErrors: false`: stop at the first error; the RPC error code needs one, and it is faster;
 * - no `useDefaults`, `removeAdditional` or `coerceTypes`: each of them rewrites the payload,
 *   and a validator must never mutate what it checks;
 * - draft-07 (ajv's default class) for every version, although OCA wrote 1.6 for draft-04 and
 *   2.x for draft-06: patches.ts drops `$schema`, and checkSupported below fails on any keyword
 *   whose meaning differs between those drafts, so the three read every OCA schema the same.
 */
function createAjv(): Ajv {
  const ajv = new Ajv({
    code: { source: true, esm: true },
    strict: false,
    strictNumbers: true,
    multipleOfPrecision: 6,
    allErrors: false,
    messages: true,
    useDefaults: false,
    removeAdditional: false,
    coerceTypes: false,
  });
  // Full mode: `date-time` requires a time zone offset, as RFC 3339 (and OCPP) does.
  addFormats(ajv, [...SUPPORTED_FORMATS]);
  // The same decisions with a fast path for the common timestamp shape (see formats.ts); the
  // emitted code reads its formats from there, and esbuild inlines that module below.
  ajv.addFormat('date-time', formats['date-time']);
  ajv.addFormat('uri', formats.uri);
  ajv.opts.code.formats = _`require("./scripts/codegen/formats").formats`;
  return ajv;
}

/** Keywords draft-04/06 validators ignore but draft-07 enforces; the OCA schemas use none. */
const LATER_DRAFT_KEYWORDS: ReadonlySet<string> = new Set(['const', 'contains', 'propertyNames', 'if', 'then', 'else']);

/**
 * Fails on schema features this setup would get wrong or read differently from the drafts OCA
 * wrote for (1.6: draft-04, 2.x: draft-06): formats ajv-formats is not told about (strict:
 * false would skip them silently), draft-04 boolean `exclusiveMinimum`/`exclusiveMaximum`
 * (draft-07 reads them as numbers), and keywords only later drafts know. Names inside
 * `properties`/`definitions` are skipped: they are names, not keywords.
 */
export function checkSupported(schema: unknown, where: string, inMap = false): void {
  if (Array.isArray(schema)) {
    schema.forEach((s, i) => checkSupported(s, `${where}/${i}`));
    return;
  }
  if (schema === null || typeof schema !== 'object') return;
  for (const [key, value] of Object.entries(schema as Record<string, unknown>)) {
    if (!inMap) {
      if (key === 'format' && !(SUPPORTED_FORMATS as readonly unknown[]).includes(value)) {
        throw new Error(`${where}: format ${JSON.stringify(value)} is not supported by the generator (add it to SUPPORTED_FORMATS)`);
      }
      if ((key === 'exclusiveMinimum' || key === 'exclusiveMaximum') && typeof value === 'boolean') {
        throw new Error(`${where}: draft-04 boolean ${key} needs a rewrite to the draft-06+ numeric form`);
      }
      if (LATER_DRAFT_KEYWORDS.has(key)) throw new Error(`${where}: keyword ${key} is not in the OCA schemas' drafts`);
      if (key === 'enum' || key === 'required') continue;
    }
    checkSupported(value, `${where}/${key}`, !inMap && (key === 'properties' || key === 'definitions' || key === 'patternProperties'));
  }
}

/**
 * Returns the first module load left in bundled code, or undefined. A `require(` right after a
 * quote is a string: ajv's ucs2length carries its own require expression as a string
 * (`ucs2length.code`) for code generation, which is inert at run time. `__require` is esbuild's
 * shim for a require it could not bundle.
 */
export function findRuntimeLoads(code: string): string | undefined {
  const m = /(?<![\w$'"`])require\s*\(|__require\b|\bimport\s*\(|^\s*import[\s{*]|\bimport\s*["']/m.exec(code);
  return m ? code.slice(Math.max(0, m.index - 40), m.index + 60) : undefined;
}

/** Keywords that never affect validation; the standalone code embeds parts of the schemas. */
const ANNOTATIONS: ReadonlySet<string> = new Set(['description', 'title', '$comment', 'comment', 'javaType']);

/**
 * Copy without annotations, to keep them out of the emitted code (ajv embeds schema fragments,
 * e.g. an enum's schema for `allowedValues`; with descriptions that doubles the file). Keys of
 * `properties`/`definitions` are names, not keywords, and are kept whatever they are called.
 */
function stripAnnotations(value: unknown, inMap = false): unknown {
  if (Array.isArray(value)) return value.map((v) => stripAnnotations(v));
  if (value === null || typeof value !== 'object') return value;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
    if (!inMap && ANNOTATIONS.has(k)) continue;
    out[k] = stripAnnotations(v, !inMap && (k === 'properties' || k === 'definitions' || k === 'patternProperties'));
  }
  return out;
}

/** Export name of a message's function in the intermediate standalone module. */
function exportName(index: number): string {
  return `v${index}`;
}

/** Prologue of the emitted file: the small types the table is declared with. */
function typesPrologue(): string {
  return `/** One validation error, as ajv reports it (the fields this SDK relies on). */
export interface ErrorObjectLike {
  /** ajv keyword that failed: \`required\`, \`type\`, \`enum\`, \`additionalProperties\`, ... */
  keyword: string;
  /** JSON Pointer of the failing value in the payload; \`''\` for the root. */
  instancePath: string;
  /** JSON Pointer of the failing keyword in the schema. */
  schemaPath: string;
  /** Keyword details, e.g. \`{ missingProperty }\`, \`{ additionalProperty }\`, \`{ allowedValues }\`. */
  params: Record<string, unknown>;
  /** ajv's English message, e.g. \`must be string\`. */
  message?: string;
}

/** A precompiled validator. Returns true when \`data\` is valid; otherwise sets \`errors\`. */
export interface ValidateFunction {
  (data: unknown): boolean;
  /** Errors of the last call (one at most: generated with \`allErrors: false\`); null after a valid call. */
  errors?: ErrorObjectLike[] | null;
}

/** The request and response validators of one action. */
export interface ActionValidators {
  readonly request: ValidateFunction;
  readonly response: ValidateFunction;
}
`;
}

/** The two files of one version's validators. */
export interface GeneratedValidators {
  /** validators.js: plain CommonJS, so ts-node and tsx load it without transpiling 1.2 MB. */
  js: string;
  /** validators.d.ts: its types. */
  dts: string;
}

/**
 * Builds validators.js and validators.d.ts for one version. JavaScript rather than a
 * `@ts-nocheck` TypeScript file: ts-node (the documented way to run the examples) transpiles
 * every .ts it loads, and spent about 4 s of each start on the 2.0.1 bundle alone.
 */
export async function generateValidators(loaded: LoadedVersion, root: string): Promise<GeneratedValidators> {
  const ajv = createAjv();
  const mapping: Record<string, string> = {};
  loaded.messages.forEach((msg, i) => {
    checkSupported(msg.schema, `schemas/${loaded.spec.version}/${msg.file}`);
    // The loaded schema has no `$id` (patches.ts drops the document keys): ajv knows it by a key
    // of our own. Every `$ref` is local (`#/definitions/...`), so no id is needed to resolve one.
    const key = `${msg.action}.${msg.kind}`;
    ajv.addSchema(stripAnnotations(msg.schema) as Record<string, unknown>, key);
    mapping[exportName(i)] = key;
  });
  const standalone = standaloneCode(ajv, mapping);

  const indexOf = (action: string, kind: string): number => loaded.messages.findIndex((m) => m.action === action && m.kind === kind);
  const callActions = loaded.actions.filter((a) => !isSendAction(loaded, a));
  const sendActions = loaded.actions.filter((a) => isSendAction(loaded, a));
  const table = callActions
    .map(
      (action) =>
        `  ${JSON.stringify(action)}: Object.freeze({ request: s.${exportName(indexOf(action, 'request'))}, response: s.${exportName(indexOf(action, 'response'))} }),`,
    )
    .join('\n');
  const sendTable = sendActions.map((action) => `  ${JSON.stringify(action)}: s.${exportName(indexOf(action, 'send'))},`).join('\n');
  const sendExport = sendActions.length ? `export const sendValidators = Object.freeze({\n${sendTable}\n});\n` : '';
  const entry = `import * as s from 'ocpp-standalone';\nexport const validators = Object.freeze({\n${table}\n});\n${sendExport}`;

  // The standalone code is served from memory; its require()s resolve from the project root.
  const standalonePlugin: Plugin = {
    name: 'ocpp-standalone',
    setup(b) {
      b.onResolve({ filter: /^ocpp-standalone$/ }, () => ({ path: 'ocpp-standalone', namespace: 'ocpp-standalone' }));
      b.onLoad({ filter: /.*/, namespace: 'ocpp-standalone' }, () => ({ contents: standalone, loader: 'js', resolveDir: root }));
    },
  };
  const result = await build({
    stdin: { contents: entry, loader: 'js', resolveDir: root, sourcefile: `${loaded.spec.outDir}-validators-entry.js` },
    absWorkingDir: root,
    bundle: true,
    write: false,
    // An IIFE keeps every helper private; the file then exports only the typed table below.
    format: 'iife',
    globalName: '__ocppValidators',
    platform: 'neutral',
    mainFields: ['main'],
    target: 'es2020',
    // Whitespace and syntax only (1.2 MB instead of 1.8 MB for 2.0.1, same load time);
    // identifiers stay as ajv named them.
    minifyWhitespace: true,
    minifySyntax: true,
    legalComments: 'none',
    charset: 'utf8',
    plugins: [standalonePlugin],
    // Module paths end up in the output (`node_modules/ajv/...`): keep them as seen from the
    // checkout, so a checkout whose node_modules is a symlink generates the same bytes.
    preserveSymlinks: true,
    logLevel: 'silent',
  });
  if (result.errors.length || result.outputFiles.length !== 1) {
    throw new Error(`esbuild failed for ${loaded.spec.version}: ${result.errors.map((e) => e.text).join('; ')}`);
  }
  const bundled = result.outputFiles[0].text.trim();
  const leftover = findRuntimeLoads(bundled);
  if (leftover) throw new Error(`the ${loaded.spec.version} validator bundle still loads something at run time: ${leftover}`);

  const what = sendActions.length ? `every ${loaded.spec.version} action that travels as CALL` : `every ${loaded.spec.version} action`;
  const doc = [
    `/**`,
    ` * Precompiled validators for ${what}, keyed by action name: the`,
    ` * request and the response schema of each. Generated with ajv (draft-07 rules, which the`,
    ` * generator checks the OCA drafts agree with; ajv-formats for \`date-time\`/\`uri\`; first`,
    ` * error only, no defaults, no coercion, no property removal).`,
    ` */`,
  ];
  const sendDoc = [
    `/**`,
    ` * Precompiled validators for the ${loaded.spec.version} actions that travel as SEND (message type 6),`,
    ` * keyed by action name: the one payload schema of each (a SEND has no response).`,
    ` */`,
  ];
  const js = [
    header(loaded.spec),
    `'use strict';`,
    bundled,
    '',
    ...doc,
    `exports.validators = __ocppValidators.validators;`,
    ...(sendActions.length ? [...sendDoc, `exports.sendValidators = __ocppValidators.sendValidators;`] : []),
    '',
  ].join('\n');
  const dts = [
    header(loaded.spec),
    typesPrologue(),
    ...doc,
    `export declare const validators: Readonly<Record<string, ActionValidators>>;`,
    ...(sendActions.length ? [...sendDoc, `export declare const sendValidators: Readonly<Record<string, ValidateFunction>>;`] : []),
    '',
  ].join('\n');
  return { js, dts };
}
