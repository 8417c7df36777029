#!/usr/bin/env node
// `npm run schemas -- --from <folder>`: fills schemas/ocpp1.6/, schemas/ocpp2.0.1/ and
// schemas/ocpp2.1/ from two sources (schemas/README.md, "Source"):
//
// 1. OCA's own JSON schema files, copied byte for byte from a folder you give: `--from <folder>`,
//    else the OCPP_REFERENCE_SCHEMAS environment variable, else a default folder next to the
//    checkout (sourceFolder below). The folder holds one sub-folder per version, named like ours
//    (`ocpp1.6/`, `ocpp2.0.1/`, `ocpp2.1/`), each with the `.json` files of OCA's download for that
//    version. OCA publishes them on its website with the specifications, not through a package
//    registry, so this script cannot download them. Each folder must hash to the digest pinned
//    below (the sha256 of its `sha256sum` listing), so a modified copy or another edition is
//    refused instead of shipped: the 2.1 licence (CC BY-ND 4.0) forbids sharing modified files.
// 2. The 11 actions of the OCPP 1.6 Security Extension (22 files), which OCA's 1.6 download does
//    not contain: taken from ocpp-rpc 2.2.1 (MIT) through `npm pack`, checked against the
//    registry's sha512 integrity pinned below, and written as that package ships them
//    (`JSON.stringify(schema, null, 2)` plus a newline). These are not OCA originals.
//
// Every source is checked before anything is written, so a bad source leaves schemas/ untouched.
// Plain CommonJS with no dependencies so that it runs before anything is built.
'use strict';

const { execFileSync } = require('node:child_process');
const crypto = require('node:crypto');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const ROOT = path.resolve(__dirname, '..');
const OUT = path.join(ROOT, 'schemas');

/**
 * OCA's files per version: how many, and the sha256 of `LC_ALL=C sha256sum *.json` run in the
 * version's folder (reproduce it with `... | sha256sum`).
 */
const OCA = [
  { folder: 'ocpp1.6', files: 56, digest: '9ed573c187684c7b793065b001bafd32f7b5ef5e799ec7ad76eee8ef67debb79' },
  { folder: 'ocpp2.0.1', files: 128, digest: '7c22f654a0c9b4fc73eae77b29c89b1bb42c1b9758ab1b57332fdf54ed497340' },
  { folder: 'ocpp2.1', files: 181, digest: '1f18ce52b0ddc648bc39c82a0896414aa2538886bc4aa89a68fe54495dd06ef4' },
];

const RPC_PACKAGE = 'ocpp-rpc';
const RPC_VERSION = '2.2.1';
// From `npm view ocpp-rpc@2.2.1 dist.integrity`.
const RPC_INTEGRITY = 'sha512-CEzYrdv8U62c7SLcoEhjs0k2SvTULeAYVzVfoQgE9B5jRz5QeCQMTm854Nva6xgNfNcOVX9qPKcAoWhSmQj6sA==';
const RPC_SOURCE = 'package/lib/schemas/ocpp1_6.json';

/** The 1.6 Security Extension actions (Security Whitepaper edition 2), taken from ocpp-rpc. */
const SECURITY_EXTENSION_16 = [
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

// Throws rather than exiting, so that main()'s `finally` removes the temporary folder.
function fail(message) {
  throw new Error(message);
}

function sha256(data) {
  return crypto.createHash('sha256').update(data).digest('hex');
}

/** The source folder of OCA's files, from the command line, the environment or the default. */
function sourceFolder() {
  const args = process.argv.slice(2);
  const at = args.indexOf('--from');
  if (at >= 0 && !args[at + 1]) fail('--from needs a folder');
  for (const [i, arg] of args.entries()) {
    if (i !== at && i !== at + 1) fail(`unknown argument ${arg} (expected --from <folder>)`);
  }
  const chosen = at >= 0 ? args[at + 1] : process.env.OCPP_REFERENCE_SCHEMAS || path.join(ROOT, '..', 'shared', 'ocpp-schemas');
  const dir = path.resolve(chosen);
  if (!fs.existsSync(dir)) {
    fail(`no folder of OCA schema files at ${dir}: pass --from <folder> or set OCPP_REFERENCE_SCHEMAS (see schemas/README.md)`);
  }
  return dir;
}

/** Reads one version's OCA files and checks them against the pinned count and digest. */
function planOca(source, v) {
  const dir = path.join(source, v.folder);
  if (!fs.existsSync(dir)) fail(`${dir} does not exist`);
  const names = fs
    .readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .sort();
  if (names.length !== v.files) fail(`${dir}: expected ${v.files} .json files, found ${names.length}`);
  const files = new Map(names.map((name) => [name, fs.readFileSync(path.join(dir, name))]));
  const listing = names.map((name) => `${sha256(files.get(name))}  ${name}\n`).join('');
  const digest = sha256(listing);
  if (digest !== v.digest) {
    fail(`${dir}: these are not the OCA files this script pins (digest ${digest}, expected ${v.digest}); a new edition needs a review and a new pin`);
  }
  return files;
}

function npm(args, cwd) {
  // npm is a .cmd shim on Windows; shell: true lets execFileSync find it there too.
  return execFileSync('npm', args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'], shell: process.platform === 'win32' });
}

/** The 22 Security Extension files from ocpp-rpc's tarball, as name to bytes. */
function planSecurityExtension(tmp) {
  const out = npm(['pack', `${RPC_PACKAGE}@${RPC_VERSION}`, '--pack-destination', tmp, '--json', '--silent'], tmp);
  let filename;
  try {
    filename = JSON.parse(out)[0].filename;
  } catch {
    fail(`could not read npm pack output: ${out.slice(0, 200)}`);
  }
  const tarball = path.join(tmp, filename);
  const actual = 'sha512-' + crypto.createHash('sha512').update(fs.readFileSync(tarball)).digest('base64');
  if (actual !== RPC_INTEGRITY) fail(`integrity mismatch for ${RPC_PACKAGE}@${RPC_VERSION}:\n  expected ${RPC_INTEGRITY}\n  got      ${actual}`);
  const extractDir = path.join(tmp, 'x');
  fs.mkdirSync(extractDir);
  execFileSync('tar', ['-xzf', tarball, '-C', extractDir, RPC_SOURCE], { stdio: 'inherit' });
  const schemas = JSON.parse(fs.readFileSync(path.join(extractDir, RPC_SOURCE), 'utf8'));
  if (!Array.isArray(schemas)) fail(`${RPC_SOURCE} is not an array`);
  const files = new Map();
  for (const schema of schemas) {
    const m = /^urn:([A-Za-z0-9]+)\.(req|conf)$/.exec(schema.$id || '');
    if (!m) fail(`${RPC_SOURCE}: unexpected $id ${JSON.stringify(schema.$id)}`);
    const [, action, kind] = m;
    if (!SECURITY_EXTENSION_16.includes(action)) continue;
    const name = kind === 'req' ? `${action}.json` : `${action}Response.json`;
    if (files.has(name)) fail(`${RPC_SOURCE}: two schemas map to ${name}`);
    files.set(name, Buffer.from(JSON.stringify(schema, null, 2) + '\n'));
  }
  if (files.size !== SECURITY_EXTENSION_16.length * 2)
    fail(`${RPC_SOURCE}: expected ${SECURITY_EXTENSION_16.length * 2} Security Extension schemas, found ${files.size}`);
  return files;
}

function writeFolder(folder, files) {
  const dir = path.join(OUT, folder);
  // Start from an empty folder so that a file dropped upstream does not linger here.
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(dir, { recursive: true });
  for (const name of [...files.keys()].sort()) fs.writeFileSync(path.join(dir, name), files.get(name));
  console.log(`fetch-schemas: wrote ${files.size} files to schemas/${folder}/`);
}

function main() {
  const source = sourceFolder();
  const planned = OCA.map((v) => [v.folder, planOca(source, v)]);
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'ocpp-sdk-schemas-'));
  try {
    const security = planSecurityExtension(tmp);
    const v16 = planned.find(([folder]) => folder === 'ocpp1.6')[1];
    for (const name of security.keys()) if (v16.has(name)) fail(`ocpp1.6/${name} is in both OCA's files and the Security Extension`);
    for (const [name, bytes] of security) v16.set(name, bytes);
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
  for (const [folder, files] of planned) writeFolder(folder, files);
}

// The pins are exported for test/unit/schemas.test.ts, which checks schemas/ against them.
module.exports = { OCA, SECURITY_EXTENSION_16, sha256 };

if (require.main === module) {
  try {
    main();
  } catch (err) {
    console.error(`fetch-schemas: ${err.message}`);
    process.exitCode = 1;
  }
}
