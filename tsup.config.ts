/**
 * Build of the published package (`npm run build`).
 *
 * Three outputs, each with its own declarations so TypeScript reads the right module kind:
 *
 * - `dist/esm/index.mjs` + `index.d.mts`  Node ESM (`import`), from src/index.ts
 * - `dist/cjs/index.js`  + `index.d.ts`   Node CJS (`require`), from src/index.ts
 * - `dist/browser/index.mjs` + `index.d.mts`  bundlers targeting browsers (`browser` condition),
 *   from src/browser.ts: no CentralSystem, nothing that imports `node:*` or `ws`
 *
 * The runtime dependencies stay external (the user's package manager and bundler resolve them;
 * in a browser bundle, isomorphic-ws resolves to its `browser.js`, the global WebSocket). Everything
 * else, including the big precompiled validators in src/generated/, is bundled: they import
 * nothing at run time (ajv was needed only to generate them).
 *
 * The package is `"type": "commonjs"`, so tsup names ESM files `.mjs`/`.d.mts` and CJS files
 * `.js`/`.d.ts`, which is what the `exports` map in package.json points at.
 *
 * Declarations are the slow part (a TypeScript program over the generated types and validators,
 * ~6 s of CPU each). The Node ESM and CJS declarations come out of tsup byte for byte the same
 * (rollup-plugin-dts writes ES module syntax for both; only the extension differs), so they are
 * built once, for CJS, and `npm run build` copies `dist/cjs/index.d.ts` to
 * `dist/esm/index.d.mts` after tsup. attw checks the result under every resolution mode.
 *
 * rollup (tsup's declaration bundler) is pinned as a devDependency to a release whose platform
 * packages (@rollup/rollup-<os>-<cpu>) all exist on the registry this project installs from:
 * with one missing, npm leaves them all out of package-lock.json and `npm ci` then refuses the
 * lock file ("Missing: @rollup/rollup-android-arm-eabi@ from lock file").
 */
import { defineConfig, type Options } from 'tsup';

const external = ['ws', 'isomorphic-ws', 'eventemitter3'];

const common: Options = {
  external,
  dts: true,
  sourcemap: true,
  splitting: false,
  treeshake: false,
  minify: false,
  tsconfig: 'tsconfig.json',
  // Keep `node:http` as written: every supported Node (>= 18.17) has the prefix, and it tells
  // bundlers and readers at a glance that a module is a Node built-in.
  removeNodeProtocol: false,
};

export default defineConfig([
  {
    ...common,
    entry: { index: 'src/index.ts' },
    format: 'esm',
    platform: 'node',
    target: 'node18',
    outDir: 'dist/esm',
    clean: true,
    dts: false, // the CJS declarations, copied by `npm run build` (see above)
  },
  {
    ...common,
    entry: { index: 'src/index.ts' },
    format: 'cjs',
    platform: 'node',
    target: 'node18',
    outDir: 'dist/cjs',
    clean: true,
  },
  {
    ...common,
    entry: { index: 'src/browser.ts' },
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    outDir: 'dist/browser',
    clean: true,
  },
]);
