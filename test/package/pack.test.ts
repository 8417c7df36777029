/**
 * The published package, as a user gets it: `npm run build`, `npm pack`, then a fresh project
 * outside the repository that installs the tarball (its runtime dependencies come from the npm
 * cache that `npm ci` filled; `--prefer-offline` asks the registry only for what is missing) and
 * uses it the three ways users do: an ESM script, a CJS script and a type-checked TypeScript
 * script (the repository's ts-node, `skipLibCheck: false`, no DOM lib), each of which runs a
 * CentralSystem on 127.0.0.1:0, connects a ChargePoint, does a BootNotification round trip and
 * prints OK. Then the browser view of the same tarball: esbuild bundles
 * `import { ChargePoint } from 'ocpp-sdk'` for the browser and no `ws` or `node:` module may be
 * in it. Last, publint and attw (what `npm run pack:check` runs) must pass on that tarball.
 *
 * The consumer project has no ajv installed (it is a devDependency only), so the scripts passing
 * proves that nothing needs ajv at run time; the test also checks that it is absent.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { after, before, describe, test } from 'node:test';
import * as esbuild from 'esbuild';

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
    const unexpected = files.filter((f) => !/^(dist\/|schemas\/.*\.json$|package\.json$|(.*\/)?README\.md$|CHANGELOG\.md$|LICENSE)/.test(f));
    assert.deepEqual(unexpected, [], 'files outside dist/, schemas/ and the docs are packed');
    for (const f of ['dist/esm/index.mjs', 'dist/esm/index.d.mts', 'dist/cjs/index.js', 'dist/cjs/index.d.ts', 'dist/browser/index.mjs', 'dist/browser/index.d.mts']) {
      assert.ok(files.includes(f), `${f} is not in the tarball`);
    }

    project = join(work, 'consumer');
    mkdirSync(project);
    writeFileSync(join(project, 'package.json'), JSON.stringify({ name: 'consumer', version: '1.0.0', private: true }, null, 2));
    run('npm', ['install', tarball, '--prefer-offline', '--no-audit', '--no-fund', '--no-package-lock'], project, 120_000);
  });

  after(() => {
    if (work && !process.env.KEEP_PACK_TEST) rmSync(work, { recursive: true, force: true });
    if (timings.length) console.log(`# pack test timings\n# ${timings.join('\n# ')}`);
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
    const importsOf = (file: string): string[] =>
      [...readFileSync(join(project, 'node_modules/ocpp-sdk', file), 'utf8').matchAll(/^import .* from ['"]([^'"]+)['"];?$/gm)].map((m) => m[1]);
    for (const file of ['dist/esm/index.d.mts', 'dist/cjs/index.d.ts']) {
      assert.deepEqual(importsOf(file).filter((m) => m !== 'eventemitter3' && !m.startsWith('node:')), [], file);
    }
    assert.deepEqual([...new Set(importsOf('dist/browser/index.d.mts'))], ['eventemitter3']);
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
    assert.ok(inputs.some((i) => i.endsWith('node_modules/ocpp-sdk/dist/browser/index.mjs')), `the browser build was not picked: ${inputs.join(', ')}`);
    assert.ok(inputs.some((i) => i.endsWith('node_modules/isomorphic-ws/browser.js')), 'isomorphic-ws did not resolve to browser.js');
    assert.deepEqual(inputs.filter((i) => /(^|\/)node_modules\/ws\/|^node:|(^|\/)ajv/.test(i)), []);
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
});
