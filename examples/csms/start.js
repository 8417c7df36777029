#!/usr/bin/env node
// `npm run csms`: installs the example's own dependencies on first use (SQLite, web server,
// sessions, CSV live in examples/csms/package.json so the SDK's `npm ci` stays small), then
// runs main.ts with tsx. `--install-only` stops after the install (the tests and CI use it).
'use strict';
const { spawn, spawnSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');

const here = __dirname;
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';

/** better-sqlite3 is native: its install script builds it (about 75 s from source). */
function sqliteLoads() {
  const r = spawnSync(process.execPath, ['-e', "new (require('better-sqlite3'))(':memory:').close()"], { cwd: here, stdio: 'ignore' });
  return r.status === 0;
}

function run(args, label) {
  console.error(`csms: ${label} (npm ${args.join(' ')})`);
  const r = spawnSync(npm, args, { cwd: here, stdio: ['ignore', 'inherit', 'inherit'] });
  if (r.status !== 0) {
    console.error(`csms: npm ${args.join(' ')} failed (exit ${r.status ?? r.signal})`);
    process.exit(1);
  }
}

function ensureDependencies() {
  if (!fs.existsSync(path.join(here, 'node_modules', '.package-lock.json'))) {
    run(['ci', '--no-audit', '--no-fund', '--foreground-scripts'], "installing the example's dependencies; better-sqlite3 compiles, about a minute");
  }
  // npm may skip dependency install scripts (its allowScripts policy): build the one we need.
  if (!sqliteLoads()) {
    run(['rebuild', 'better-sqlite3', '--foreground-scripts'], 'building better-sqlite3');
    if (!sqliteLoads()) {
      console.error('csms: better-sqlite3 still does not load; see the output above');
      process.exit(1);
    }
  }
}

ensureDependencies();
if (process.argv.includes('--install-only')) process.exit(0);

const child = spawn(process.execPath, ['--import', 'tsx', path.join(here, 'main.ts'), ...process.argv.slice(2)], {
  cwd: path.resolve(here, '../..'),
  stdio: 'inherit',
});
// The CSMS closes cleanly on these: pass them on and wait for it, rather than die first.
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal));
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
