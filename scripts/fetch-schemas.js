#!/usr/bin/env node
// `npm run schemas`: obtains the OCA JSON schemas through the npm registry and writes one file per
// message into schemas/ocpp1.6/ and schemas/ocpp2.0.1/.
//
// Why ocpp-rpc: it is MIT-licensed and redistributes the OCA schemas in one JSON array per
// version (lib/schemas/*.json), including the 1.6 Security Extension messages, which the OCA
// 1.6 download does not contain. We pin the version and check the tarball's sha512 against a
// constant, so a re-published or tampered tarball cannot change our schemas silently.
//
// Why `npm pack` and not node_modules/: the installed copy could have been patched locally;
// the packed tarball is exactly what the registry serves for that version.
//
// The content is written as ocpp-rpc ships it (no edits; key order kept). Differences from the
// OCA originals are documented in schemas/README.md and pinned by test/unit/schemas.test.ts.
//
// Plain CommonJS with no dependencies so that it runs before anything is built.
'use strict';

const { execFileSync } = require('node:child_process');
const crypto = require('node:crypto');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const PACKAGE = 'ocpp-rpc';
const VERSION = '2.2.1';
// From `npm view ocpp-rpc@2.2.1 dist.integrity`.
const INTEGRITY = 'sha512-CEzYrdv8U62c7SLcoEhjs0k2SvTULeAYVzVfoQgE9B5jRz5QeCQMTm854Nva6xgNfNcOVX9qPKcAoWhSmQj6sA==';

const ROOT = path.resolve(__dirname, '..');
const OUT = path.join(ROOT, 'schemas');

/**
 * Per version: the file inside the tarball, the output folder, the expected number of actions
 * (a guard against a silently truncated source), and how request/response file names are built.
 * 1.6 uses the OCA 1.6 naming (`Authorize.json`, `AuthorizeResponse.json`); 2.0.1 the OCA 2.0.1
 * naming (`AuthorizeRequest.json`, `AuthorizeResponse.json`).
 */
const VERSIONS = [
  { source: 'package/lib/schemas/ocpp1_6.json', folder: 'ocpp1.6', actions: 39, requestSuffix: '' },
  { source: 'package/lib/schemas/ocpp2_0_1.json', folder: 'ocpp2.0.1', actions: 64, requestSuffix: 'Request' },
];

// Throws rather than exiting, so that main()'s `finally` removes the temporary folder.
function fail(message) {
  throw new Error(message);
}

function npm(args, cwd) {
  // npm is a .cmd shim on Windows; shell: true lets execFileSync find it there too.
  return execFileSync('npm', args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'], shell: process.platform === 'win32' });
}

function main() {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'ocpp-sdk-schemas-'));
  try {
    const out = npm(['pack', `${PACKAGE}@${VERSION}`, '--pack-destination', tmp, '--json', '--silent'], tmp);
    let filename;
    try {
      filename = JSON.parse(out)[0].filename;
    } catch {
      fail(`could not read npm pack output: ${out.slice(0, 200)}`);
    }
    const tarball = path.join(tmp, filename);

    const actual = 'sha512-' + crypto.createHash('sha512').update(fs.readFileSync(tarball)).digest('base64');
    if (actual !== INTEGRITY) {
      fail(`integrity mismatch for ${PACKAGE}@${VERSION}:\n  expected ${INTEGRITY}\n  got      ${actual}`);
    }

    const extractDir = path.join(tmp, 'x');
    fs.mkdirSync(extractDir);
    execFileSync('tar', ['-xzf', tarball, '-C', extractDir, ...VERSIONS.map((v) => v.source)], { stdio: 'inherit' });

    // Check both versions before writing either, so a bad source leaves schemas/ untouched.
    const planned = VERSIONS.map((v) => [v, planVersion(v, JSON.parse(fs.readFileSync(path.join(extractDir, v.source), 'utf8')))]);
    for (const [v, files] of planned) writeVersion(v, files);
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}

/** Maps each schema to its OCA file name; checks ids, duplicates and the count. */
function planVersion(v, schemas) {
  if (!Array.isArray(schemas)) fail(`${v.source} is not an array`);
  const files = new Map();
  for (const schema of schemas) {
    const m = /^urn:([A-Za-z0-9]+)\.(req|conf)$/.exec(schema.$id || '');
    if (!m) fail(`${v.source}: unexpected $id ${JSON.stringify(schema.$id)}`);
    const [, action, kind] = m;
    const name = kind === 'req' ? `${action}${v.requestSuffix}.json` : `${action}Response.json`;
    if (files.has(name)) fail(`${v.source}: two schemas map to ${name}`);
    files.set(name, schema);
  }
  if (files.size !== v.actions * 2) fail(`${v.source}: expected ${v.actions * 2} schemas, found ${files.size}`);
  return files;
}

function writeVersion(v, files) {
  const dir = path.join(OUT, v.folder);
  // Start from an empty folder so a message dropped upstream does not linger here.
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(dir, { recursive: true });
  for (const name of [...files.keys()].sort()) {
    fs.writeFileSync(path.join(dir, name), JSON.stringify(files.get(name), null, 2) + '\n');
  }
  console.log(`fetch-schemas: wrote ${files.size} files to schemas/${v.folder}/`);
}

try {
  main();
} catch (err) {
  console.error(`fetch-schemas: ${err.message}`);
  process.exitCode = 1;
}
