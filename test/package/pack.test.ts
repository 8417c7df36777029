/**
 * The published package, as a user gets it: `npm run build`, `npm pack`, then a fresh project
 * outside the repository that installs the tarball (its runtime dependencies come from the npm
 * cache that `npm ci` filled; `--prefer-offline` asks the registry only for what is missing) and
 * uses it the three ways users do: an ESM script, a CJS script and a type-checked TypeScript
 * script (the repository's ts-node, `skipLibCheck: false`, no DOM lib), each of which runs a
 * CentralSystem on 127.0.0.1:0, connects a ChargePoint, does a BootNotification round trip and
 * prints OK. Then the browser view of the same tarball: esbuild bundles
 * `import { ChargePoint } from 'ocpp-sdk'` for the browser and no `ws` or `node:` module may be
 * in it. Last, publint and attw (what `npm run pack:check` runs) must pass on that tarball, and
 * API Extractor must find the surface the checked-in report (etc/ocpp-sdk.api.md) describes.
 *
 * Then the README's two quickstarts, taken from README.md itself, in a project made by `npm init`
 * (CommonJS) and in one made ESM (`"type": "module"`): the tarball installed offline, the
 * snippets type-checked by this repository's tsc and run by its tsx, the client quickstart
 * against the server quickstart, which must stay up until SIGINT closes it.
 *
 * The consumer project has no ajv installed (it is a devDependency only), so the scripts passing
 * proves that nothing needs ajv at run time; the test also checks that it is absent. Neither
 * Redis client is installed either (both are optional peer dependencies): `ocpp-sdk/redis` must
 * import in ESM and CJS without them, and its declarations must not name them. No test framework
 * is installed: `ocpp-sdk/testing` must import in ESM and CJS, use the very classes of the main
 * door (not a bundled copy), and run a stubbed boot against a ChargePoint. The `ocpp-sdk-test`
 * bin must be linked and run through npx.
 */
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { once } from 'node:events';
import { createServer } from 'node:net';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { after, before, describe, test } from 'node:test';
import * as esbuild from 'esbuild';
import { readmeQuickstart } from './readme';

const root = resolve(__dirname, '../..');
const bin = (name: string): string => join(root, 'node_modules/.bin', name);

/** The parent's npm lifecycle variables and the test runner's would leak into the consumer. */
function cleanEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (/^npm_/i.test(key) || key === 'NODE_OPTIONS' || key === 'NODE_TEST_CONTEXT' || key === 'INIT_CWD') continue;
    env[key] = value;
  }
  return env;
}

const timings: string[] = [];

function run(cmd: string, args: string[], cwd: string, timeoutMs = 120_000): string {
  const started = Date.now();
  const r = spawnSync(cmd, args, { cwd, env: cleanEnv(), encoding: 'utf8', timeout: timeoutMs, maxBuffer: 64 * 1024 * 1024 });
  timings.push(`${[cmd.replace(root, '.'), ...args].join(' ').slice(0, 80)}: ${Date.now() - started} ms`);
  if (r.error) throw new Error(`${cmd} ${args.join(' ')} failed to run: ${r.error.message}`);
  if (r.status !== 0) {
    throw new Error(`${cmd} ${args.join(' ')} exited ${r.status ?? r.signal}\n--- stdout\n${r.stdout}\n--- stderr\n${r.stderr}`);
  }
  return r.stdout;
}

/** A port free on 127.0.0.1 a moment ago (the quickstarts name a fixed port; the test must not). */
async function freePort(): Promise<number> {
  const server = createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as { port: number };
  server.close();
  await once(server, 'close');
  return port;
}

/** A running child process whose output is collected, with a way to wait for a line of it. */
interface Running {
  child: ReturnType<typeof spawn>;
  output: () => string;
  waitFor: (re: RegExp, ms: number) => Promise<void>;
  /** Resolves with the exit code, or the signal that ended it. */
  exit: Promise<number | string>;
  kill: (signal: NodeJS.Signals) => void;
}

function start(cmd: string, args: string[], cwd: string): Running {
  const child = spawn(cmd, args, { cwd, env: cleanEnv(), stdio: ['ignore', 'pipe', 'pipe'] });
  let text = '';
  const waiters = new Set<() => void>();
  const onData = (chunk: Buffer): void => {
    text += chunk.toString('utf8');
    for (const check of waiters) check();
  };
  child.stdout.on('data', onData);
  child.stderr.on('data', onData);
  const exit = new Promise<number | string>((resolve) => child.once('exit', (code, signal) => resolve(code ?? signal ?? 'unknown')));
  const handle: Running = {
    child,
    output: () => text,
    waitFor: (re: RegExp, ms: number) =>
      new Promise<void>((resolve, reject) => {
        const check = (): void => {
          if (!re.test(text)) return;
          waiters.delete(check);
          clearTimeout(timer);
          resolve();
        };
        const timer = setTimeout(() => {
          waiters.delete(check);
          reject(new Error(`no ${re} within ${ms} ms from ${[cmd, ...args].join(' ')}; output:\n${text}`));
        }, ms);
        waiters.add(check);
        check();
        void exit.then(() => {
          if (!waiters.has(check)) return;
          waiters.delete(check);
          clearTimeout(timer);
          reject(new Error(`${[cmd, ...args].join(' ')} exited before ${re}; output:\n${text}`));
        });
      }),
    exit,
    kill: (signal) => {
      child.kill(signal);
    },
  };
  children.add(child);
  void exit.then(() => children.delete(child));
  return handle;
}

/** Children still running when the suite ends are killed: nothing outlives the test. */
const children = new Set<ReturnType<typeof spawn>>();

/** The scenario every consumer script runs; `kind` only labels the output. */
function scenario(kind: string): string {
  return `
  const cs = new CentralSystem({ path: '/ocpp', protocols: ['ocpp1.6'] });
  let seen = '';
  cs.handle('ocpp1.6', 'BootNotification', (request, ctx) => {
    seen = ctx.station.identity + ' ' + request.chargePointVendor;
    return { status: 'Accepted', currentTime: new Date().toISOString(), interval: 300 };
  });
  const address = await cs.listen({ port: 0, host: '127.0.0.1' });
  const cp = new ChargePoint({ url: 'ws://127.0.0.1:' + address.port + '/ocpp', identity: 'CP-${kind}', protocol: 'ocpp1.6' });
  await cp.connect();
  const response = await cp.call('BootNotification', { chargePointVendor: 'Acme', chargePointModel: 'Fast-1' });
  await cp.close();
  await cs.close();
  if (response.status !== 'Accepted') throw new Error('boot status ' + response.status);
  if (seen !== 'CP-${kind} Acme') throw new Error('the central system saw ' + JSON.stringify(seen));
  console.log('OK ${kind}');
`;
}

const ESM = `import { CentralSystem, ChargePoint } from 'ocpp-sdk';
console.log('resolved ' + import.meta.resolve('ocpp-sdk'));
${scenario('esm')}`;

const CJS = `'use strict';
const { CentralSystem, ChargePoint } = require('ocpp-sdk');
console.log('resolved ' + require.resolve('ocpp-sdk'));
async function main() {
${scenario('cjs')}
}
main().catch((error) => { console.error(error); process.exit(1); });
`;

// Type-checked: the packed declarations must compile against a strict consumer, and the role
// typing must survive bundling (a CSMS-only action from a ChargePoint does not compile).
const TS = `import { CentralSystem, ChargePoint, type OCPP16 } from 'ocpp-sdk';

async function main(): Promise<void> {
${scenario('ts')}
  const status: OCPP16.BootNotificationResponse['status'] = response.status;
  void status;
  // @ts-expect-error RemoteStartTransaction is sent by the Central System, not a Charge Point
  void (() => cp.call('RemoteStartTransaction', { idTag: 'TAG1' }));
}
main().catch((error: unknown) => { console.error(error); process.exit(1); });
`;

describe('the packed package', () => {
  let work = '';
  let tarball = '';
  let project = '';

  before(() => {
    work = mkdtempSync(join(tmpdir(), 'ocpp-sdk-pack-'));
    run('npm', ['run', 'build'], root, 180_000);
    const packed = JSON.parse(run('npm', ['pack', '--json', '--pack-destination', work], root)) as Array<{ filename: string; files: Array<{ path: string }> }>;
    tarball = join(work, packed[0].filename);
    const files = packed[0].files.map((f) => f.path);
    const unexpected = files.filter(
      (f) => !/^(dist\/|schemas\/.*\.json$|((redis|testing)\/)?package\.json$|(.*\/)?README\.md$|CHANGELOG\.md$|LICENSE)/.test(f),
    );
    assert.deepEqual(unexpected, [], 'files outside dist/, schemas/ and the docs are packed');
    for (const f of [
      'dist/esm/index.mjs',
      'dist/esm/index.d.mts',
      'dist/cjs/index.js',
      'dist/types/index.d.ts',
      'dist/types/browser.d.ts',
      'dist/browser/index.mjs',
      'dist/browser/index.d.mts',
      'dist/esm/redis.mjs',
      'dist/esm/redis.d.mts',
      'dist/cjs/redis.js',
      'dist/types/redis/index.d.ts',
      'redis/package.json',
      'dist/esm/testing.mjs',
      'dist/esm/testing.d.mts',
      'dist/cjs/testing.js',
      'dist/types/testing/index.d.ts',
      'testing/package.json',
      'dist/cjs/cli.js',
      'LICENSE',
    ]) {
      assert.ok(files.includes(f), `${f} is not in the tarball`);
    }

    project = join(work, 'consumer');
    mkdirSync(project);
    writeFileSync(join(project, 'package.json'), JSON.stringify({ name: 'consumer', version: '1.0.0', private: true }, null, 2));
    run('npm', ['install', tarball, '--prefer-offline', '--no-audit', '--no-fund', '--no-package-lock'], project, 120_000);
  });

  after(() => {
    for (const child of children) child.kill('SIGKILL');
    if (work && !process.env.KEEP_PACK_TEST) rmSync(work, { recursive: true, force: true });
    if (timings.length) console.log(`# pack test timings\n# ${timings.join('\n# ')}`);
  });

  test('the public surface, types included, matches the checked-in API reports (etc/ocpp-sdk.api.md, etc/ocpp-sdk-redis.api.md, etc/ocpp-sdk-testing.api.md)', () => {
    // API Extractor reads the declarations `npm run build` just wrote. Without --local it fails
    // when the surface differs from the report, or when a TSDoc link names nothing: run
    // `npm run api` to update the reports, and commit them with the change that made them.
    for (const [config, report] of [
      ['api-extractor.json', 'etc/ocpp-sdk.api.md'],
      ['api-extractor.redis.json', 'etc/ocpp-sdk-redis.api.md'],
      ['api-extractor.testing.json', 'etc/ocpp-sdk-testing.api.md'],
    ]) {
      const r = spawnSync(process.execPath, [join(root, 'node_modules/@microsoft/api-extractor/bin/api-extractor'), 'run', '-c', config], {
        cwd: root,
        env: cleanEnv(),
        encoding: 'utf8',
        timeout: 120_000,
      });
      assert.equal(
        r.status,
        0,
        `the public API differs from ${report} (run \`npm run api\` and commit the report if the change is meant):\n${r.stdout}\n${r.stderr}`,
      );
    }
  });

  test('installs with exactly its runtime dependencies: eventemitter3, isomorphic-ws, ws (no ajv)', () => {
    const manifest = JSON.parse(readFileSync(join(project, 'node_modules/ocpp-sdk/package.json'), 'utf8')) as { dependencies: Record<string, string> };
    assert.deepEqual(Object.keys(manifest.dependencies).sort(), ['eventemitter3', 'isomorphic-ws', 'ws']);
    assert.equal(existsSync(join(project, 'node_modules/ajv')), false, 'ajv was installed into the consumer');
    for (const file of ['dist/esm/index.mjs', 'dist/cjs/index.js', 'dist/browser/index.mjs']) {
      const text = readFileSync(join(project, 'node_modules/ocpp-sdk', file), 'utf8');
      // The one mention allowed is ajv's ucs2length carrying its own source as a string
      // (ucs2length.code = 'require("ajv/dist/runtime/ucs2length").default'), hence the lookbehind.
      const loads = text.match(/(?<!['"])(?:require\(|from |import\()\s*["']ajv[^"']*["']/g) ?? [];
      assert.deepEqual(loads, [], `${file} loads ajv`);
    }
  });

  test('the declarations import only eventemitter3 and, for Node, node: built-ins (no ws types)', () => {
    const pkg = join(project, 'node_modules/ocpp-sdk');
    /** The bare module names the declarations reachable from `entry` import (relative ones followed). */
    const importsOf = (entry: string): string[] => {
      const bare = new Set<string>();
      const seen = new Set<string>();
      const visit = (file: string): void => {
        if (seen.has(file)) return;
        seen.add(file);
        const text = readFileSync(file, 'utf8');
        for (const m of text.matchAll(/(?:^(?:import|export)\b[^;]*?\bfrom\s*|\bimport\()['"]([^'"]+)['"]/gm)) {
          const spec = m[1];
          if (!spec.startsWith('.')) {
            bare.add(spec);
            continue;
          }
          const base = join(file, '..', spec.replace(/\.js$/, ''));
          const next = [`${base}.d.ts`, join(base, 'index.d.ts')].find((f) => existsSync(f));
          assert.ok(next, `${file} imports ${spec}, which is not in the package`);
          visit(next);
        }
      };
      visit(join(pkg, entry));
      assert.ok(seen.size > 5, `only ${seen.size} declaration files reached from ${entry}`);
      return [...bare].sort();
    };
    for (const entry of ['dist/esm/index.d.mts', 'dist/types/index.d.ts']) {
      assert.deepEqual(
        importsOf(entry).filter((m) => m !== 'eventemitter3' && !m.startsWith('node:')),
        [],
        entry,
      );
    }
    assert.deepEqual(importsOf('dist/browser/index.d.mts'), ['eventemitter3']);
    // ocpp-sdk/testing: no test framework's types either (the matchers are typed by shape).
    for (const entry of ['dist/esm/testing.d.mts', 'dist/types/testing/index.d.ts']) {
      assert.deepEqual(
        importsOf(entry).filter((m) => m !== 'eventemitter3' && !m.startsWith('node:')),
        [],
        entry,
      );
    }
    // ocpp-sdk/redis: typed by shape, so neither Redis client reaches a user's compilation.
    for (const entry of ['dist/esm/redis.d.mts', 'dist/types/redis/index.d.ts']) {
      assert.deepEqual(
        importsOf(entry).filter((m) => !m.startsWith('node:')),
        [],
        entry,
      );
    }
  });

  test('ocpp-sdk/redis imports from ESM and CJS with neither redis nor ioredis installed', () => {
    for (const client of ['redis', 'ioredis'])
      assert.equal(existsSync(join(project, 'node_modules', client)), false, `${client} was installed into the consumer`);
    // Both doors of the package in one script, then the adapter refusing a non-client by name.
    const body = (resolved: string): string => `
console.log('resolved ' + ${resolved});
if (typeof CentralSystem !== 'function' || typeof redisCluster !== 'function' || typeof readClusterEvents !== 'function') throw new Error('missing exports');
try {
  redisCluster({ client: {} });
  throw new Error('accepted a non-client');
} catch (error) {
  if (!(error instanceof TypeError) || !/node-redis or ioredis client/.test(error.message)) throw error;
}
if (!(new RedisUnavailableError('x') instanceof Error)) throw new Error('RedisUnavailableError');
console.log('OK redis');
`;
    writeFileSync(
      join(project, 'redis-esm.mjs'),
      `import { CentralSystem } from 'ocpp-sdk';\nimport { redisCluster, readClusterEvents, RedisUnavailableError } from 'ocpp-sdk/redis';\n${body("import.meta.resolve('ocpp-sdk/redis')")}`,
    );
    writeFileSync(
      join(project, 'redis-cjs.cjs'),
      `'use strict';\nconst { CentralSystem } = require('ocpp-sdk');\nconst { redisCluster, readClusterEvents, RedisUnavailableError } = require('ocpp-sdk/redis');\n${body("require.resolve('ocpp-sdk/redis')")}`,
    );
    const esm = run(process.execPath, ['redis-esm.mjs'], project, 30_000);
    assert.match(esm, /resolved file:.*\/node_modules\/ocpp-sdk\/dist\/esm\/redis\.mjs/);
    assert.match(esm, /^OK redis$/m);
    const cjs = run(process.execPath, ['redis-cjs.cjs'], project, 30_000);
    assert.match(cjs, /resolved .*\/node_modules\/ocpp-sdk\/dist\/cjs\/redis\.js/);
    assert.match(cjs, /^OK redis$/m);
  });

  test("ocpp-sdk/testing imports from ESM and CJS, shares the main door's classes, and runs a boot against a ChargePoint", () => {
    const body = (resolved: string): string => `
console.log('resolved ' + ${resolved});
const csms = await TestCentralSystem.start({ protocols: ['ocpp1.6'] });
if (!(csms.centralSystem instanceof CentralSystem)) throw new Error('the kit bundles its own CentralSystem');
const st = csms.station('CP-T');
st.stub('BootNotification', { status: 'Pending', interval: 7 }, { times: 1 });
const cp = new ChargePoint({ url: csms.url, identity: 'CP-T', protocol: 'ocpp1.6' });
await cp.connect();
const answer = await cp.call('BootNotification', { chargePointVendor: 'V', chargePointModel: 'M' });
await st.expectCall('BootNotification', { chargePointVendor: (v) => v === 'V' });
if (answer.status !== 'Pending' || answer.interval !== 7) throw new Error('stub not used: ' + JSON.stringify(answer));
let failed;
try { await st.expectCall('Heartbeat', undefined, { timeoutMs: 50 }); } catch (error) { failed = error; }
if (!(failed instanceof ExpectationError) || !(failed instanceof AssertionError)) throw new Error('no ExpectationError: ' + failed);
await cp.close();
await csms.close();
console.log('OK testing');
`;
    writeFileSync(
      join(project, 'testing-esm.mjs'),
      `import { AssertionError } from 'node:assert';\nimport { CentralSystem, ChargePoint } from 'ocpp-sdk';\nimport { TestCentralSystem, ExpectationError } from 'ocpp-sdk/testing';\n${body("import.meta.resolve('ocpp-sdk/testing')")}`,
    );
    writeFileSync(
      join(project, 'testing-cjs.cjs'),
      `'use strict';\nconst { AssertionError } = require('node:assert');\nconst { CentralSystem, ChargePoint } = require('ocpp-sdk');\nconst { TestCentralSystem, ExpectationError } = require('ocpp-sdk/testing');\n(async () => {${body("require.resolve('ocpp-sdk/testing')")}})().catch((error) => { console.error(error); process.exit(1); });\n`,
    );
    const esm = run(process.execPath, ['testing-esm.mjs'], project, 30_000);
    assert.match(esm, /resolved file:.*\/node_modules\/ocpp-sdk\/dist\/esm\/testing\.mjs/);
    assert.match(esm, /^OK testing$/m);
    const cjs = run(process.execPath, ['testing-cjs.cjs'], project, 30_000);
    assert.match(cjs, /resolved .*\/node_modules\/ocpp-sdk\/dist\/cjs\/testing\.js/);
    assert.match(cjs, /^OK testing$/m);
  });

  test('the ocpp-sdk-test command is installed as a bin and runs from the tarball: npx ocpp-sdk-test --help, --list (station and csms), and a station run that serves and waits', () => {
    assert.ok(existsSync(join(project, 'node_modules/.bin/ocpp-sdk-test')), 'npm linked no node_modules/.bin/ocpp-sdk-test');
    assert.match(readFileSync(join(project, 'node_modules/ocpp-sdk/dist/cjs/cli.js'), 'utf8'), /^#!\/usr\/bin\/env node\n/);
    const help = run('npx', ['ocpp-sdk-test', '--help'], project, 60_000);
    assert.match(help, /^ {2}ocpp-sdk-test station --protocol VERSION/m);
    assert.match(run('npx', ['ocpp-sdk-test', 'station', '--help'], project, 60_000), /^ {2}--junit FILE/m);
    assert.match(
      run('npx', ['ocpp-sdk-test', 'station', '--list', '--protocol', 'ocpp1.6'], project, 60_000),
      /^ {2}TC_001_CS +ocpp1\.6 +Cold Boot Charge Point$/m,
    );
    assert.match(
      run('npx', ['ocpp-sdk-test', 'csms', '--list', '--protocol', 'ocpp2.1'], project, 60_000),
      /^ {2}TC_B_01_CSMS +ocpp2\.0\.1,ocpp2\.1 +Cold Boot Charging Station - Accepted$/m,
    );
    // A real run needs the kit and the main door beside the bin: it serves, and with no charger
    // connecting it says so and exits 1.
    const served = spawnSync('npx', ['ocpp-sdk-test', 'station', '--listen', '0', '--protocol', 'ocpp2.0.1', '--wait-ms', '300'], {
      cwd: project,
      env: cleanEnv(),
      encoding: 'utf8',
      timeout: 60_000,
    });
    assert.equal(served.status, 1, `${served.stdout}\n${served.stderr}`);
    assert.match(served.stdout, /^Point the charger at ws:\/\/127\.0\.0\.1:\d+\/<identity>$/m);
    assert.match(served.stderr, /no charger connected within 300 ms/);
    const usage = spawnSync('npx', ['ocpp-sdk-test', 'station', '--protocol', 'ocpp1.6', '--scenarios', 'TC_NOPE'], {
      cwd: project,
      env: cleanEnv(),
      encoding: 'utf8',
      timeout: 60_000,
    });
    assert.equal(usage.status, 2, usage.stderr);
    assert.match(usage.stderr, /unknown scenario 'TC_NOPE'/);
  });

  // The declarations are tsc's, one file per source file: a declaration bundler renames the
  // names the two versions share (`BootNotificationRequest$1`), and compiler messages showed them.
  test('compiler messages name the types as users know them: no bundler renames like BootNotificationRequest$1', () => {
    const pkg = join(project, 'node_modules/ocpp-sdk');
    const declarations = (dir: string): string[] =>
      readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
        e.isDirectory() ? declarations(join(dir, e.name)) : /\.d\.m?ts$/.test(e.name) ? [join(dir, e.name)] : [],
      );
    const files = declarations(join(pkg, 'dist'));
    assert.ok(files.length > 10, files.join(', '));
    for (const file of files) assert.doesNotMatch(readFileSync(file, 'utf8'), /\b[A-Za-z_]\w*\$\d+\b/, file);

    // In the consumer project, where `ocpp-sdk` resolves to the installed tarball.
    writeFileSync(
      join(project, 'wrong.ts'),
      `import { ChargePoint } from 'ocpp-sdk';\nexport async function f(cp: ChargePoint<'ocpp1.6'>, cs: ChargePoint<'ocpp2.0.1'>): Promise<void> {\n  await cp.call('BootNotification', { chargePointVendor: 'V' });\n  await cs.call('BootNotification', { reason: 'PowerUp' });\n}\n`,
    );
    const r = spawnSync(
      process.execPath,
      [
        require.resolve('typescript/bin/tsc'),
        '--noEmit',
        '--strict',
        '--module',
        'nodenext',
        '--types',
        'node',
        '--typeRoots',
        join(root, 'node_modules/@types'),
        '--pretty',
        'false',
        'wrong.ts',
      ],
      { cwd: project, env: cleanEnv(), encoding: 'utf8', timeout: 60_000 },
    );
    const output = `${r.stdout}${r.stderr}`;
    assert.equal(r.status, 2, output);
    assert.match(output, /wrong\.ts\(3,\d+\): error TS2345: .*'BootNotificationRequest'/, output);
    assert.match(output, /wrong\.ts\(4,\d+\): error TS2345: .*'BootNotificationRequest'/, output);
    assert.doesNotMatch(output, /\$\d/, output);
  });

  test('the 2.1 validators load from their own file on first use, in ESM and CJS, and not before', () => {
    assert.ok(existsSync(join(project, 'node_modules/ocpp-sdk/dist/ocpp21-validators.cjs')), 'dist/ocpp21-validators.cjs was not packed');
    // The module cache shows whether the file was read: not at import, once a 2.1 payload is validated.
    const body = (cache: string): string => `
const loaded = () => ${cache}.some((f) => f.endsWith('ocpp21-validators.cjs'));
new CentralSystem({ protocols: ['ocpp1.6'] });
if (loaded()) throw new Error('2.1 validators loaded at import');
const good = validatePayload('ocpp2.1', 'BootNotification', 'request', { reason: 'PowerUp', chargingStation: { model: 'M', vendorName: 'V' } });
const bad = validatePayload('ocpp2.1', 'BootNotification', 'request', { reason: 'Nope', chargingStation: { model: 'M', vendorName: 'V' } });
if (!good.ok || bad.ok || bad.code !== 'PropertyConstraintViolation') throw new Error(JSON.stringify({ good, bad }));
if (!loaded()) throw new Error('2.1 validators not loaded from their file');
console.log('OK 2.1');
`;
    writeFileSync(
      join(project, 'v21-esm.mjs'),
      `import { createRequire } from 'node:module';\nimport { CentralSystem, validatePayload } from 'ocpp-sdk';\n${body('Object.keys(createRequire(import.meta.url).cache)')}`,
    );
    writeFileSync(
      join(project, 'v21-cjs.cjs'),
      `'use strict';\nconst { CentralSystem, validatePayload } = require('ocpp-sdk');\n${body('Object.keys(require.cache)')}`,
    );
    assert.match(run(process.execPath, ['v21-esm.mjs'], project, 30_000), /^OK 2\.1$/m);
    assert.match(run(process.execPath, ['v21-cjs.cjs'], project, 30_000), /^OK 2\.1$/m);
  });

  test('import from an ESM script resolves dist/esm and runs a BootNotification round trip', () => {
    writeFileSync(join(project, 'esm.mjs'), ESM);
    const out = run(process.execPath, ['esm.mjs'], project, 30_000);
    assert.match(out, /resolved file:.*\/node_modules\/ocpp-sdk\/dist\/esm\/index\.mjs/);
    assert.match(out, /^OK esm$/m);
  });

  test('require from a CJS script resolves dist/cjs and runs a BootNotification round trip', () => {
    writeFileSync(join(project, 'cjs.cjs'), CJS);
    const out = run(process.execPath, ['cjs.cjs'], project, 30_000);
    assert.match(out, /resolved .*\/node_modules\/ocpp-sdk\/dist\/cjs\/index\.js/);
    assert.match(out, /^OK cjs$/m);
  });

  test('a strict TypeScript script type-checks against the packed declarations and runs (ts-node)', () => {
    writeFileSync(
      join(project, 'tsconfig.json'),
      JSON.stringify(
        {
          compilerOptions: {
            target: 'ES2022',
            lib: ['ES2022'],
            module: 'NodeNext',
            moduleResolution: 'NodeNext',
            strict: true,
            skipLibCheck: false,
            types: ['node'],
            typeRoots: [join(root, 'node_modules/@types')],
          },
          files: ['check.ts'],
        },
        null,
        2,
      ),
    );
    writeFileSync(join(project, 'check.ts'), TS);
    const out = run(bin('ts-node'), ['--project', join(project, 'tsconfig.json'), 'check.ts'], project, 60_000);
    assert.match(out, /^OK ts$/m);
  });

  test('bundled for the browser, ChargePoint pulls in no ws and no node: module; CentralSystem is not there', async () => {
    const result = await esbuild.build({
      stdin: { contents: "import { ChargePoint } from 'ocpp-sdk';\nconsole.log(ChargePoint);\n", resolveDir: project, sourcefile: 'page.js' },
      bundle: true,
      platform: 'browser',
      format: 'esm',
      write: false,
      metafile: true,
      logLevel: 'silent',
    });
    const inputs = Object.keys(result.metafile.inputs);
    assert.ok(
      inputs.some((i) => i.endsWith('node_modules/ocpp-sdk/dist/browser/index.mjs')),
      `the browser build was not picked: ${inputs.join(', ')}`,
    );
    assert.ok(
      inputs.some((i) => i.endsWith('node_modules/isomorphic-ws/browser.js')),
      'isomorphic-ws did not resolve to browser.js',
    );
    assert.deepEqual(
      inputs.filter((i) => /(^|\/)node_modules\/ws\/|^node:|(^|\/)ajv/.test(i)),
      [],
    );
    const text = result.outputFiles[0].text;
    assert.doesNotMatch(text, /\b(?:require\(|from\s*|import\()\s*["'](?:node:[^"']*|ws|http|https|net|tls|stream|zlib|crypto)["']/);

    await assert.rejects(
      esbuild.build({
        stdin: { contents: "import { CentralSystem } from 'ocpp-sdk';\nconsole.log(CentralSystem);\n", resolveDir: project, sourcefile: 'server.js' },
        bundle: true,
        platform: 'browser',
        format: 'esm',
        write: false,
        logLevel: 'silent',
      }),
      /No matching export .* "CentralSystem"/,
    );
  });

  // The same checks as `npm run pack:check`, run on the artifacts just packed rather than on a
  // second build and pack: publint on the unpacked tarball, attw on the tarball itself.
  test('publint --strict and attw find no problems in what was packed', () => {
    const lint = run(bin('publint'), ['--strict', '--pack', 'false', join(project, 'node_modules/ocpp-sdk')], work, 60_000);
    assert.match(lint, /All good!/, lint);
    const types = run(bin('attw'), [tarball, '--format', 'ascii'], work, 60_000);
    assert.match(types, /No problems found/, types);
  });

  // The README's quickstarts, as a new user runs them: `npm init`, `npm install ocpp-sdk`, paste
  // server.ts and client.ts, `npx tsx server.ts`, then `npx tsx client.ts` in another terminal.
  for (const kind of ['CommonJS', 'ESM'] as const) {
    test(`the README quickstarts type-check and run in a fresh ${kind} project: the client boots Accepted against the server, which stays up until SIGINT`, async () => {
      const dir = join(work, `quickstart-${kind.toLowerCase()}`);
      mkdirSync(dir);
      run('npm', ['init', '-y'], dir, 30_000);
      if (kind === 'ESM') run('npm', ['pkg', 'set', 'type=module'], dir, 30_000);
      const manifest = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { type?: string };
      assert.equal(manifest.type ?? 'commonjs', kind === 'ESM' ? 'module' : 'commonjs');
      // Offline: the first consumer's install above put every runtime dependency in the cache.
      run('npm', ['install', tarball, '--offline', '--no-audit', '--no-fund'], dir, 60_000);

      // The README's port is fixed (9220); tests run in parallel, so each run gets a free one.
      const port = await freePort();
      const withPort = (code: string): string => {
        assert.match(code, /\b9220\b/, 'the quickstart no longer names port 9220; update this test');
        return code.replace(/\b9220\b/g, String(port));
      };
      writeFileSync(join(dir, 'server.ts'), withPort(readmeQuickstart(root, 'Quickstart: a central system')));
      writeFileSync(join(dir, 'client.ts'), withPort(readmeQuickstart(root, 'Quickstart: a charge point')));

      // Type-checked as the README says: this repository's tsc (5.9), module nodenext, strict.
      writeFileSync(
        join(dir, 'tsconfig.json'),
        JSON.stringify(
          {
            compilerOptions: {
              module: 'nodenext',
              target: 'es2022',
              strict: true,
              noEmit: true,
              types: ['node'],
              typeRoots: [join(root, 'node_modules/@types')],
            },
            files: ['server.ts', 'client.ts'],
          },
          null,
          2,
        ),
      );
      run(process.execPath, [require.resolve('typescript/bin/tsc'), '-p', 'tsconfig.json'], dir, 60_000);

      const server = start(bin('tsx'), ['server.ts'], dir);
      await server.waitFor(/listening on ws:\/\/localhost:\d+\/ocpp/, 30_000);
      const client = start(bin('tsx'), ['client.ts'], dir);
      const clientCode = await Promise.race([client.exit, new Promise<string>((resolve) => setTimeout(() => resolve('timed out'), 30_000))]);
      assert.equal(clientCode, 0, `client.ts:\n${client.output()}\nserver.ts:\n${server.output()}`);
      assert.match(client.output(), /^Accepted 300$/m);
      await server.waitFor(/CP001 disconnected/, 10_000);
      assert.match(server.output(), /^CP001 connected \(ocpp1\.6\)$/m);
      assert.match(server.output(), /^CP001 booted: V M$/m);

      // Still up after the client left; SIGINT (Ctrl-C) closes it and it exits by itself.
      assert.ok(children.has(server.child), `server.ts exited on its own:\n${server.output()}`);
      server.kill('SIGINT');
      const serverCode = await Promise.race([server.exit, new Promise<string>((resolve) => setTimeout(() => resolve('timed out'), 10_000))]);
      assert.equal(serverCode, 0, server.output());
      assert.match(server.output(), /^closed$/m);
    });
  }
});
