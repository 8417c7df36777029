// `npm run generate`: writes src/generated/ from schemas/.
// `tsx scripts/generate.ts --check`: regenerates in memory and exits 1, naming the files, when
// src/generated/ differs (npm test runs this first, so a hand edit or a forgotten regeneration
// fails the build).
//
// Output per version (src/generated/ocpp16/, src/generated/ocpp201/, src/generated/ocpp21/):
//   types.ts       every request/response type and shared type (json-schema-to-typescript)
//   actions.ts     the action map type with directions, the runtime table of senders and, for
//                  2.1, the actions that travel as SEND
//   validators.js  precompiled ajv validators, bundled into one CommonJS module without imports
//                  (`validators` for CALL actions; `sendValidators` for SEND actions, 2.1)
//   validators.d.ts  their types
//   index.ts       re-exports
// The schemas are read as OCA ships them and patched in memory (scripts/codegen/patches.ts).
// The output depends only on schemas/ and the locked tool versions, so a re-run is byte-identical.
// `--out <dir>` writes or checks another folder instead (used by the tests).
import fs from 'node:fs';
import path from 'node:path';
import { generateActions, generateIndex } from './codegen/actions';
import { loadVersion, VERSIONS } from './codegen/schemas';
import { generateTypes } from './codegen/types';
import { generateValidators } from './codegen/validators';

const ROOT = path.resolve(__dirname, '..');
const DEFAULT_OUT = path.join(ROOT, 'src', 'generated');

/** Every generated file, keyed by its path relative to src/generated/ (forward slashes). */
async function generateAll(): Promise<Map<string, string>> {
  const files = new Map<string, string>();
  for (const spec of VERSIONS) {
    const loaded = loadVersion(ROOT, spec);
    files.set(`${spec.outDir}/types.ts`, await generateTypes(loaded));
    files.set(`${spec.outDir}/actions.ts`, generateActions(loaded));
    const validators = await generateValidators(loaded, ROOT);
    files.set(`${spec.outDir}/validators.js`, validators.js);
    files.set(`${spec.outDir}/validators.d.ts`, validators.dts);
    files.set(`${spec.outDir}/index.ts`, generateIndex(loaded));
  }
  return files;
}

/** Files currently under src/generated/, relative, with forward slashes. */
function existingFiles(dir: string, prefix = ''): string[] {
  if (!fs.existsSync(dir)) return [];
  const out: string[] = [];
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const rel = prefix ? `${prefix}/${entry.name}` : entry.name;
    if (entry.isDirectory()) out.push(...existingFiles(path.join(dir, entry.name), rel));
    else out.push(rel);
  }
  return out.sort();
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const check = args.includes('--check');
  const outIndex = args.indexOf('--out');
  const outArg = outIndex >= 0 ? args[outIndex + 1] : undefined;
  if (outIndex >= 0 && !outArg) throw new Error('--out needs a folder');
  args.forEach((arg, i) => {
    const isOut = outIndex >= 0 && (i === outIndex || i === outIndex + 1);
    if (arg !== '--check' && !isOut) throw new Error(`unknown argument ${arg} (expected --check, --out <dir>)`);
  });
  const OUT = outArg ? path.resolve(outArg) : DEFAULT_OUT;
  const shown = path.relative(ROOT, OUT).split(path.sep).join('/') || '.';
  const files = await generateAll();
  const existing = existingFiles(OUT);

  if (check) {
    const problems: string[] = [];
    for (const [rel, text] of files) {
      const file = path.join(OUT, rel);
      if (!fs.existsSync(file)) problems.push(`missing:  ${shown}/${rel}`);
      else if (fs.readFileSync(file, 'utf8') !== text) problems.push(`differs:  ${shown}/${rel}`);
    }
    for (const rel of existing) if (!files.has(rel)) problems.push(`stale:    ${shown}/${rel}`);
    if (problems.length) {
      console.error(`${shown}/ is out of date with schemas/ and scripts/ (run npm run generate):\n  ${problems.join('\n  ')}`);
      process.exit(1);
    }
    console.log(`${shown}/ is up to date (${files.size} files)`);
    return;
  }

  // Files no longer generated would otherwise linger and keep compiling.
  for (const rel of existing) if (!files.has(rel)) fs.rmSync(path.join(OUT, rel));
  for (const [rel, text] of files) {
    const file = path.join(OUT, rel);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, text);
  }
  console.log(`wrote ${files.size} files to ${shown}/`);
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
