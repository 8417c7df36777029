/**
 * Builds what the benchmark processes run, so that no TypeScript transform runs inside a
 * measured process: the SDK (dist/ when a build newer than every file in src/ exists, else an
 * esbuild bundle of src/index.ts made like tsup's CJS build) and the benchmark scripts, each
 * bundled to CommonJS in bench/.build/ with the SDK, ws and ocpp-rpc left as `require`s.
 */
import fs from 'node:fs';
import path from 'node:path';
import { build, type Plugin } from 'esbuild';

export const ROOT = path.resolve(__dirname, '..', '..');
export const OUT = path.join(ROOT, 'bench', '.build');

export interface Built {
  /** Absolute path of the SDK module the processes load. */
  sdk: string;
  /** Where it came from, for the report. */
  sdkSource: string;
  server: string;
  load: string;
  startup: string;
  audit: string;
}

function newestMtime(dir: string): number {
  let newest = 0;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(full) : fs.statSync(full).mtimeMs);
  }
  return newest;
}

/** `sdkChoice`: `auto`, `dist`, `src`, or the path of a prebuilt SDK module (`--sdk=`). */
export async function buildAll(sdkChoice: string): Promise<Built> {
  fs.mkdirSync(OUT, { recursive: true });
  const dist = path.join(ROOT, 'dist', 'cjs', 'index.js');
  const distFresh = fs.existsSync(dist) && fs.statSync(dist).mtimeMs >= newestMtime(path.join(ROOT, 'src'));
  let sdk: string;
  let sdkSource: string;
  if (sdkChoice !== 'auto' && sdkChoice !== 'dist' && sdkChoice !== 'src') {
    // A prebuilt module, e.g. a variant to compare against.
    sdk = path.resolve(sdkChoice);
    if (!fs.existsSync(sdk)) throw new Error(`--sdk=${sdkChoice}: no such file`);
    sdkSource = path.relative(ROOT, sdk);
  } else if (sdkChoice === 'dist' || (sdkChoice === 'auto' && distFresh)) {
    if (!fs.existsSync(dist)) throw new Error('--sdk=dist: dist/cjs/index.js does not exist (npm run build)');
    sdk = dist;
    sdkSource = `dist/cjs/index.js (npm run build${distFresh ? '' : ', OLDER than src/'})`;
  } else {
    sdk = path.join(OUT, 'sdk.cjs');
    await build({
      entryPoints: [path.join(ROOT, 'src', 'index.ts')],
      outfile: sdk,
      bundle: true,
      format: 'cjs',
      platform: 'node',
      target: 'node18',
      external: ['ws', 'isomorphic-ws', 'eventemitter3'],
      sourcemap: true,
      logLevel: 'warning',
    });
    sdkSource = `esbuild bundle of src/index.ts (CJS, node18; ${distFresh ? 'forced' : 'dist/ missing or older than src/'})`;
  }
  // The scripts import '../src/index' for type checking; at run time that is the SDK chosen above.
  const sdkPlugin: Plugin = {
    name: 'sdk',
    setup(b) {
      b.onResolve({ filter: /(^|\/)src\/index$/ }, () => ({ path: sdk, external: true }));
    },
  };
  const scripts = ['server', 'load', 'startup', 'audit'] as const;
  await Promise.all(
    scripts.map((name) =>
      build({
        entryPoints: [path.join(ROOT, 'bench', `${name}.ts`)],
        outfile: path.join(OUT, `${name}.cjs`),
        bundle: true,
        format: 'cjs',
        platform: 'node',
        target: 'node18',
        packages: 'external',
        plugins: [sdkPlugin],
        sourcemap: true,
        logLevel: 'warning',
      }),
    ),
  );
  const out = (name: string): string => path.join(OUT, `${name}.cjs`);
  return { sdk, sdkSource, server: out('server'), load: out('load'), startup: out('startup'), audit: out('audit') };
}
