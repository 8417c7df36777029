/**
 * Build of the published package (`npm run build`: this, then `tsc -p tsconfig.build.json`).
 *
 * The JavaScript outputs:
 *
 * - `dist/esm/index.mjs`      Node ESM (`import`), from src/index.ts
 * - `dist/cjs/index.js`       Node CJS (`require`), from src/index.ts
 * - `dist/browser/index.mjs`  bundlers targeting browsers (`browser` condition), from
 *   src/browser.ts: no CentralSystem, nothing that imports `node:*` or `ws`
 * - `dist/esm/redis.mjs` and `dist/cjs/redis.js`, the `ocpp-sdk/redis` subpath, from
 *   src/redis/index.ts. It imports only types from the main package, so its bundle holds none of
 *   the main package's code, and no Redis client: the user passes one in (`redis` and `ioredis`
 *   are optional peer dependencies, and nothing imports either).
 * - `dist/cjs/cli.js`, the `ocpp-sdk-test` command (package.json `bin`), from src/cli/main.ts,
 *   with its shebang; it requires `./testing.js` and `./index.js` beside it.
 * - `dist/esm/testing.mjs` and `dist/cjs/testing.js`, the `ocpp-sdk/testing` subpath, from
 *   src/testing/index.ts. It is built on the main package's public door (`src/index.ts`), and
 *   that import stays an import of the main build next to it (`./index.mjs`, `./index.js`), so
 *   the kit's CentralSystem is the very class the user imports from `ocpp-sdk` (one copy of the
 *   code and the validators, `instanceof` works across the two doors).
 *
 * The runtime dependencies stay external (the user's package manager and bundler resolve them;
 * in a browser bundle, isomorphic-ws resolves to its `browser.js`, the global WebSocket). Everything
 * else, including the big precompiled validators in src/generated/, is bundled: they import
 * nothing at run time (ajv was needed only to generate them).
 *
 * The package is `"type": "commonjs"`, so tsup names ESM files `.mjs` and CJS files `.js`,
 * which is what the `exports` map in package.json points at.
 *
 * Declarations are not bundled. A declaration bundler (tsup's rollup-plugin-dts) flattens every
 * module into one scope and renames the names the two versions share, so compiler messages
 * spoke of `BootNotificationRequest$1` where users wrote `OCPP16.BootNotificationRequest`.
 * Instead tsc writes one `.d.ts` per source file into `dist/types/` (tsconfig.build.json), which
 * keeps every name as written; `require` and the `types` field point there. ESM consumers need
 * an ES module declaration (a `.d.ts` in a CommonJS package is read as CommonJS, which attw
 * reports as masquerading), so the ESM and browser outputs get a one-line `.d.mts` that
 * re-exports `dist/types/index` and `dist/types/browser`. attw checks the result under every
 * resolution mode.
 *
 * rollup (tsup's dependency) is pinned as a devDependency to a release whose platform packages
 * (@rollup/rollup-<os>-<cpu>) all exist on the registry this project installs from: with one
 * missing, npm leaves them all out of package-lock.json and `npm ci` then refuses the lock file
 * ("Missing: @rollup/rollup-android-arm-eabi@ from lock file").
 */
import { copyFile, mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { defineConfig, type Options } from 'tsup';

/**
 * The OCPP 2.1 validators (2.5 MB) stay out of the Node bundles: src/ocpp/validation.ts requires
 * them on first use, and here that require is pointed at `dist/ocpp21-validators.cjs`, a copy of
 * the generated file, so an application that never speaks 2.1 never parses them. The browser
 * build keeps them inside (a browser bundle cannot require a file at run time).
 */
const OCPP21_VALIDATORS = /[\\/]generated[\\/]ocpp21[\\/]validators$/;
const ocpp21Apart: NonNullable<Options['esbuildPlugins']>[number] = {
  name: 'ocpp21-validators-apart',
  setup(build) {
    build.onResolve({ filter: OCPP21_VALIDATORS }, () => ({ path: '../ocpp21-validators.cjs', external: true }));
  },
};
const copyOcpp21Validators = (): Promise<void> => copyFile('src/generated/ocpp21/validators.js', 'dist/ocpp21-validators.cjs');
/** ESM has no `require`; esbuild's require shim uses this one to load the file above. */
const esmRequire = "import { createRequire as __ocppCreateRequire } from 'node:module';\nconst require = __ocppCreateRequire(import.meta.url);";

/**
 * The test kit imports the package's door as `../index`; in the build that import is the main
 * bundle beside it, not a second copy of it.
 */
const mainDoorApart = (file: string): NonNullable<Options['esbuildPlugins']>[number] => ({
  name: 'testing-imports-main-door',
  setup(build) {
    build.onResolve({ filter: /^\.\.\/index$/ }, (args) =>
      /[\\/]src[\\/]testing[\\/]/.test(args.importer) ? { path: `./${file}`, external: true } : undefined,
    );
  },
});

/**
 * The command line (`bin` ocpp-sdk-test, from src/cli/main.ts, CommonJS only: a bin is run, not
 * imported) imports the kit and the main door; in the build those are the bundles beside it.
 */
const cliDoorsApart: NonNullable<Options['esbuildPlugins']>[number] = {
  name: 'cli-imports-doors',
  setup(build) {
    build.onResolve({ filter: /^\.\.\/(testing\/)?index$/ }, (args) =>
      /[\\/]src[\\/]cli[\\/]/.test(args.importer) ? { path: args.path === '../index' ? './index.js' : './testing.js', external: true } : undefined,
    );
  },
};

const external = ['ws', 'isomorphic-ws', 'eventemitter3', 'redis', 'ioredis'];

const common: Options = {
  external,
  dts: false,
  sourcemap: true,
  splitting: false,
  treeshake: false,
  minify: false,
  tsconfig: 'tsconfig.json',
  // Keep `node:http` as written: every supported Node (>= 18.17) has the prefix, and it tells
  // bundlers and readers at a glance that a module is a Node built-in.
  removeNodeProtocol: false,
};

/** Writes `<outDir>/index.d.mts`, the ES module face of the declarations tsc writes for `entry`. */
const declarationsFor = (outDir: string, entries: Record<string, string>) => async (): Promise<void> => {
  await mkdir(outDir, { recursive: true });
  const header = `// The declarations of ocpp-sdk are in ../types/ (written by tsc, one file per source file).\n`;
  for (const [name, source] of Object.entries(entries)) await writeFile(join(outDir, `${name}.d.mts`), `${header}export * from '../types/${source}.js';\n`);
};

export default defineConfig([
  {
    ...common,
    entry: { index: 'src/index.ts', redis: 'src/redis/index.ts', testing: 'src/testing/index.ts' },
    format: 'esm',
    platform: 'node',
    target: 'node18',
    outDir: 'dist/esm',
    clean: true,
    esbuildPlugins: [ocpp21Apart, mainDoorApart('index.mjs')],
    banner: { js: esmRequire },
    onSuccess: async () => {
      await declarationsFor('dist/esm', { index: 'index', redis: 'redis/index', testing: 'testing/index' })();
      await copyOcpp21Validators();
    },
  },
  {
    ...common,
    entry: { index: 'src/index.ts', redis: 'src/redis/index.ts', testing: 'src/testing/index.ts', cli: 'src/cli/main.ts' },
    format: 'cjs',
    platform: 'node',
    target: 'node18',
    outDir: 'dist/cjs',
    clean: true,
    esbuildPlugins: [ocpp21Apart, mainDoorApart('index.js'), cliDoorsApart],
    onSuccess: copyOcpp21Validators,
  },
  {
    ...common,
    entry: { index: 'src/browser.ts' },
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    outDir: 'dist/browser',
    clean: true,
    onSuccess: declarationsFor('dist/browser', { index: 'browser' }),
  },
]);
