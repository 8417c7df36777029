#!/usr/bin/env node
// The `npm test` entry point. It lists test files explicitly because `node --test <folder>`
// finds nothing on Node 20 and exits 0, which would let a broken suite pass silently.
'use strict';
const { spawnSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');

const root = path.resolve(__dirname, '..');
const args = process.argv.slice(2);

// `--explore` (npm run test:explore): the property tests only, from random seeds and with more
// runs. `npm test` keeps fixed seeds (test/support/property.ts) so that it gives the same answer
// everywhere; exploring is how new counterexamples are found, and each prints the seed to replay.
const explore = args.includes('--explore');
const PROPERTY_FILES = ['test/unit/core-property.test.ts', 'test/unit/formats.test.ts', 'test/reliability/fuzz.test.ts'];
if (explore) {
  process.env.FC_SEED ??= 'random';
  process.env.FC_RUNS ??= '20000';
  process.env.FUZZ_RUNS ??= '1000';
}
const only = explore ? PROPERTY_FILES : args;

function find(dir, suffix) {
  const out = [];
  if (!fs.existsSync(dir)) return out;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) out.push(...find(full, suffix));
    else if (entry.name.endsWith(suffix)) out.push(path.relative(root, full));
  }
  return out.sort();
}

function run(label, cmd, args) {
  process.stdout.write(`\n# ${label}\n`);
  const r = spawnSync(cmd, args, { cwd: root, stdio: 'inherit' });
  if (r.status !== 0) {
    process.stdout.write(`\n# FAILED: ${label} (exit ${r.status ?? r.signal})\n`);
    process.exit(r.status || 1);
  }
}

const files = only.length ? only : find(path.join(root, 'test'), '.test.ts');
if (files.length === 0) {
  console.error('no test files found under test/');
  process.exit(1);
}

// The CSMS example (examples/csms) keeps its dependencies (SQLite, web server) in its own
// package.json so that the SDK's `npm ci` stays small; its tests, type check and lint need them.
// A no-op once installed; the first time it compiles better-sqlite3 (about a minute).
const csmsTests = files.some((f) => f.split(path.sep).join('/').startsWith('test/csms/'));
if (!only.length || csmsTests) {
  run('examples/csms dependencies (examples/csms/start.js --install-only)', process.execPath, ['examples/csms/start.js', '--install-only']);
}

if (!only.length) {
  if (fs.existsSync(path.join(root, 'scripts/generate.ts'))) {
    run('generated code is up to date (npm run generate -- --check)', process.execPath, ['--import', 'tsx', 'scripts/generate.ts', '--check']);
  }
  run('type check, including type tests (tsc --noEmit)', process.execPath, [require.resolve('typescript/bin/tsc'), '--noEmit', '-p', 'tsconfig.json']);
  // Its own project: the root one excludes it, so that `tsc` passes without its dependencies.
  run('type check examples/csms and test/csms (tsc --noEmit -p examples/csms)', process.execPath, [
    require.resolve('typescript/bin/tsc'),
    '--noEmit',
    '-p',
    'examples/csms/tsconfig.json',
  ]);
  // The same as `npm run lint`: typescript-eslint's type-checked rules, then Prettier's check.
  run('lint (eslint .)', process.execPath, [path.join(root, 'node_modules/eslint/bin/eslint.js'), '.']);
  run('format (prettier --check .)', process.execPath, [path.join(root, 'node_modules/prettier/bin/prettier.cjs'), '--check', '.', '--log-level', 'warn']);
}
run(`node --test (${files.length} files)`, process.execPath, ['--import', 'tsx', '--test', '--test-reporter=spec', ...files]);
