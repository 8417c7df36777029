/**
 * Runs the browser example: `npx ts-node examples/browser/serve.ts`, then open the printed URL.
 *
 * It bundles main.ts for the browser with esbuild (isomorphic-ws resolves to its `browser.js`,
 * the global WebSocket; `ws` and `node:*` stay out), serves the page from 127.0.0.1, and runs a
 * CentralSystem that accepts the page's BootNotification. Ports: PAGE_PORT (default 8080) and
 * OCPP_PORT (default 9220). test/browser/browser.test.ts uses buildPage and serveDir.
 */
import { copyFileSync, mkdtempSync, readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { extname, join, normalize, resolve, sep } from 'node:path';
import * as esbuild from 'esbuild';
import { CentralSystem } from '../../src/index';

/** What went into the bundle, from esbuild's metafile: paths relative to the repository. */
export interface BuiltPage {
  dir: string;
  inputs: string[];
}

/** Bundles main.ts into `outDir/main.js` and copies index.html beside it. */
export async function buildPage(outDir: string): Promise<BuiltPage> {
  const result = await esbuild.build({
    entryPoints: [join(__dirname, 'main.ts')],
    outfile: join(outDir, 'main.js'),
    bundle: true,
    platform: 'browser',
    format: 'esm',
    target: 'es2022',
    sourcemap: true,
    metafile: true,
    logLevel: 'warning',
    absWorkingDir: resolve(__dirname, '../..'),
  });
  copyFileSync(join(__dirname, 'index.html'), join(outDir, 'index.html'));
  return { dir: outDir, inputs: Object.keys(result.metafile.inputs) };
}

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.map': 'application/json',
};

/** A static file server for `dir` on 127.0.0.1 (port 0 picks a free one). */
export function serveDir(dir: string, port = 0): Promise<{ server: Server; port: number }> {
  const root = resolve(dir);
  const server = createServer((req, res) => {
    const path = normalize(join(root, decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname)));
    const file = path === root || path === root + sep ? join(root, 'index.html') : path;
    if (!file.startsWith(root + sep)) {
      res.writeHead(403).end();
      return;
    }
    let body: Buffer;
    try {
      body = readFileSync(file);
    } catch {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { 'Content-Type': TYPES[extname(file)] ?? 'application/octet-stream', 'Cache-Control': 'no-store' }).end(body);
  });
  return new Promise((resolvePromise, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolvePromise({ server, port: (server.address() as AddressInfo).port }));
  });
}

async function main(): Promise<void> {
  const cs = new CentralSystem({ path: '/ocpp', protocols: ['ocpp1.6'] });
  cs.handle('ocpp1.6', 'BootNotification', (request, ctx) => {
    console.log(`BootNotification from ${ctx.station.identity}: ${request.chargePointVendor} ${request.chargePointModel}`);
    return { status: 'Accepted', currentTime: new Date().toISOString(), interval: 300 };
  });
  const ocpp = await cs.listen({ port: Number(process.env.OCPP_PORT ?? 9220), host: '127.0.0.1' });
  const page = await buildPage(mkdtempSync(join(tmpdir(), 'ocpp-sdk-browser-')));
  const { port } = await serveDir(page.dir, Number(process.env.PAGE_PORT ?? 8080));
  console.log(`open http://127.0.0.1:${port}/?url=ws://127.0.0.1:${ocpp.port}/ocpp  (Ctrl-C to stop)`);
}

if (require.main === module) {
  main().catch((error: unknown) => {
    console.error(error);
    process.exit(1);
  });
}
