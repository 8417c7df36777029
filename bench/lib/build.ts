/**
 * Builds what the benchmark processes run, so that no TypeScript transform runs inside a
 * measured process: the SDK (dist/ when a build newer than every file in src/ exists, else an
 * esbuild bundle of src/index.ts made like tsup's CJS build) and the benchmark scripts, each
 * bundled to CommonJS in bench/.build/ with the SDK, ws and ocpp-rpc left as `require`s.
 */
import { execSync } from 'node:child_process';
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
  /** bench/cluster-node.ts (built with `cluster`), loading the redis adapter from `redis`. */
  clusterNode?: string;
  /** The `ocpp-sdk/redis` entry (src/redis/index.ts), bundled; built with `cluster`. */
  redis?: string;
  /** bench/server.ts loading the SDK of `baseRef` (built with `baseRef`). */
  serverBase?: string;
  /** The SDK of `baseRef`: an esbuild bundle of that commit's src/index.ts. */
  sdkBase?: string;
  /** The commit `baseRef` names, abbreviated. */
  baseCommit?: string;
}

/** What else to build. */
export interface BuildExtras {
  /** The cluster benchmark's processes and the redis adapter. */
  cluster?: boolean;
  /** With `cluster`: a prebuilt adapter module to load instead of bundling src/redis (a variant to compare). */
  redisModule?: string;
  /**
   * A git ref whose src/ is bundled as a second SDK, with a bench/server.ts of its own, for A/B
   * runs of the single-node benchmarks in one invocation (the tree is read with `git archive`:
   * no worktree, nothing in .git changes).
   */
  baseRef?: string;
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
export async function buildAll(sdkChoice: string, extras: BuildExtras = {}): Promise<Built> {
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
  const sdkPlugin = (target: string, redis?: string): Plugin => ({
    name: 'sdk',
    setup(b) {
      b.onResolve({ filter: /(^|\/)src\/index$/ }, () => ({ path: target, external: true }));
      if (redis !== undefined) b.onResolve({ filter: /(^|\/)src\/redis\/index$/ }, () => ({ path: redis, external: true }));
    },
  });
  const bundle = (entry: string, outfile: string, plugin: Plugin): Promise<unknown> =>
    build({
      entryPoints: [entry],
      outfile,
      bundle: true,
      format: 'cjs',
      platform: 'node',
      target: 'node18',
      packages: 'external',
      plugins: [plugin],
      sourcemap: true,
      logLevel: 'warning',
    });
  const out = (name: string): string => path.join(OUT, `${name}.cjs`);
  const scripts = ['server', 'load', 'startup', 'audit'] as const;
  await Promise.all(scripts.map((name) => bundle(path.join(ROOT, 'bench', `${name}.ts`), out(name), sdkPlugin(sdk))));
  const built: Built = { sdk, sdkSource, server: out('server'), load: out('load'), startup: out('startup'), audit: out('audit') };

  if (extras.cluster) {
    let redis = out('redis');
    if (extras.redisModule !== undefined) {
      redis = path.resolve(extras.redisModule);
      if (!fs.existsSync(redis)) throw new Error(`--redis=${extras.redisModule}: no such file`);
    } else {
      const entry = path.join(ROOT, 'src', 'redis', 'index.ts');
      if (!fs.existsSync(entry)) throw new Error('the cluster benchmark needs src/redis/index.ts (ocpp-sdk/redis)');
      // The adapter imports only types from the main package; any value import of it resolves to the same SDK.
      await bundle(entry, redis, sdkPlugin(sdk));
    }
    await bundle(path.join(ROOT, 'bench', 'cluster-node.ts'), out('cluster-node'), sdkPlugin(sdk, redis));
    built.redis = redis;
    built.clusterNode = out('cluster-node');
  }
  if (extras.baseRef !== undefined) {
    const commit = execSync(`git rev-parse --short ${extras.baseRef}`, { cwd: ROOT, encoding: 'utf8' }).trim();
    const dir = path.join(OUT, `base-${commit}`);
    if (!fs.existsSync(path.join(dir, 'src', 'index.ts'))) {
      fs.mkdirSync(dir, { recursive: true });
      execSync(`git archive ${commit} src | tar -x -C ${JSON.stringify(dir)}`, { cwd: ROOT, stdio: ['ignore', 'ignore', 'inherit'] });
    }
    const sdkBase = out(`sdk-base-${commit}`);
    await build({
      entryPoints: [path.join(dir, 'src', 'index.ts')],
      outfile: sdkBase,
      bundle: true,
      format: 'cjs',
      platform: 'node',
      target: 'node18',
      // Resolved from the working tree's node_modules, like the current SDK.
      nodePaths: [path.join(ROOT, 'node_modules')],
      external: ['ws', 'isomorphic-ws', 'eventemitter3'],
      sourcemap: true,
      logLevel: 'warning',
    });
    await bundle(path.join(ROOT, 'bench', 'server.ts'), out('server-base'), sdkPlugin(sdkBase));
    Object.assign(built, { sdkBase, serverBase: out('server-base'), baseCommit: commit });
  }
  return built;
}
