/**
 * The browser entry in a real browser: examples/browser (index.html + main.ts, importing
 * src/browser.ts) is bundled by esbuild for the browser into a temp folder, served from
 * 127.0.0.1, and opened in Debian's headless Chromium through playwright-core. The page's
 * ChargePoint connects to a CentralSystem running here and sends a BootNotification; the
 * CentralSystem must see it and the page must show 'Accepted'.
 *
 * Chromium is /usr/bin/chromium (`apt-get install chromium`; .ci/run installs it), or CHROMIUM_PATH. Without it
 * the suite is skipped with the reason, except under CI (CI set), where it fails.
 *
 * Also here: the browser entry exports everything of src/index.ts except a pinned list of
 * server-side names, so a new export has to be placed on one side or the other.
 */
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { after, before, describe, test } from 'node:test';
import * as esbuild from 'esbuild';
import { chromium, type Browser, type Page } from 'playwright-core';
import { buildPage, serveDir } from '../../examples/browser/serve';
import * as browserEntry from '../../src/browser';
import * as nodeEntry from '../../src/index';
import { CentralSystem } from '../../src/index';

/** Debian's Chromium; CHROMIUM_PATH points elsewhere (also how the missing-browser path is tried). */
const CHROMIUM = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--no-first-run',
  '--disable-quic',
  '--disable-sync',
];
const root = resolve(__dirname, '../..');
const inCi = !!process.env.CI && process.env.CI !== 'false' && process.env.CI !== '0';
const missing = existsSync(CHROMIUM) ? undefined : `${CHROMIUM} is missing (apt-get install -y chromium)`;

/** Values of src/index.ts that serve stations, or need node:fs, and so are not in the browser entry. */
const SERVER_ONLY = [
  'CentralSystem',
  'ClusterUnavailableError',
  'DEFAULT_COMPACT_AFTER_RECORDS',
  'DEFAULT_COMPRESSION',
  'DEFAULT_DUPLICATE_IDENTITY',
  'DEFAULT_LISTEN_BACKLOG',
  'DEFAULT_SECURITY_PROFILE',
  'FileQueueStore',
  'ListenError',
  'LocalStationRegistry',
  'MemoryCluster',
  'parseBasicAuth',
  'QueueJournalError',
  'RemoteCallError',
  'RemoteStation',
  'safeEqual',
  'Station',
  'StationNotConnectedError',
];

describe('the browser entry (src/browser.ts)', () => {
  test('exports every value of src/index.ts except the server-side ones', () => {
    const nodeNames = Object.keys(nodeEntry).sort();
    const browserNames = Object.keys(browserEntry).sort();
    assert.deepEqual(
      browserNames.filter((n) => !nodeNames.includes(n)),
      [],
      'exported by the browser entry only',
    );
    assert.deepEqual(
      nodeNames.filter((n) => !browserNames.includes(n)),
      [...SERVER_ONLY].sort(),
      'a value of src/index.ts is neither in src/browser.ts nor in SERVER_ONLY: add it to one of them',
    );
  });
});

// Skipped per test rather than per suite, so the summary counts them as skipped, with the reason.
const skip = missing && !inCi ? missing : false;

describe('the browser example in headless Chromium', () => {
  const timings: string[] = [];
  let work = '';
  let browser: Browser | undefined;
  let page: Page;
  let cs: CentralSystem<'ocpp1.6'>;
  let csPort = 0;
  let pagePort = 0;
  let inputs: string[] = [];
  const boots: string[] = [];
  const pageLog: string[] = [];
  const closers: Array<() => unknown> = [];

  before(async () => {
    if (skip) return;
    if (missing) throw new Error(`${missing}: CI must install Chromium (.ci/run does) before npm test`);
    let started = Date.now();
    work = mkdtempSync(join(tmpdir(), 'ocpp-sdk-browser-'));
    ({ inputs } = await buildPage(work));
    // A second tiny bundle for the Basic-auth check, from the same browser entry.
    await esbuild.build({
      stdin: {
        contents: `import { ChargePoint } from ${JSON.stringify(join(root, 'src/browser'))};
window.tryPassword = () => {
  try {
    new ChargePoint({ url: 'ws://127.0.0.1:9/ocpp', identity: 'X', protocol: 'ocpp1.6', password: 'secret' });
    return 'no error';
  } catch (error) {
    return error.name + ': ' + error.message;
  }
};`,
        resolveDir: root,
        sourcefile: 'auth.js',
      },
      outfile: join(work, 'auth.js'),
      bundle: true,
      platform: 'browser',
      format: 'esm',
      logLevel: 'warning',
    });
    timings.push(`bundle: ${Date.now() - started} ms`);

    cs = new CentralSystem({ path: '/ocpp', protocols: ['ocpp1.6'] });
    closers.push(() => cs.close());
    cs.handle('ocpp1.6', 'BootNotification', (request, ctx) => {
      boots.push(`${ctx.station.identity} ${ctx.station.protocol} ${request.chargePointVendor} ${request.chargePointModel}`);
      return { status: 'Accepted', currentTime: new Date().toISOString(), interval: 300 };
    });
    csPort = (await cs.listen({ port: 0, host: '127.0.0.1' })).port;
    const served = await serveDir(work);
    pagePort = served.port;
    closers.push(() => new Promise((done) => served.server.close(done)));

    started = Date.now();
    browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS, timeout: 30_000 });
    page = await browser.newPage();
    page.on('console', (m) => pageLog.push(`console.${m.type()}: ${m.text()}`));
    page.on('pageerror', (e) => pageLog.push(`pageerror: ${e.message}`));
    timings.push(`chromium launch: ${Date.now() - started} ms`);
  });

  after(async () => {
    await browser?.close();
    for (const close of closers.reverse()) await close();
    if (work) rmSync(work, { recursive: true, force: true });
    if (timings.length) console.log(`# browser test timings\n# ${timings.join('\n# ')}`);
  });

  test('the page bundle takes isomorphic-ws/browser.js and no ws, no node: module, no ajv', { skip }, () => {
    assert.ok(inputs.includes('node_modules/isomorphic-ws/browser.js'), `isomorphic-ws/browser.js is not in ${inputs.join(', ')}`);
    assert.ok(inputs.includes('src/browser.ts'));
    assert.deepEqual(
      inputs.filter((i) => /(^|\/)node_modules\/(ws|ajv)\/|^node:|src\/central-system|src\/transport\/server/.test(i)),
      [],
    );
  });

  test('the page sends a BootNotification, the CentralSystem sees it, the page shows Accepted', { skip }, async () => {
    const started = Date.now();
    await page.goto(`http://127.0.0.1:${pagePort}/index.html?url=${encodeURIComponent(`ws://127.0.0.1:${csPort}/ocpp`)}&identity=BROWSER-7`);
    const status = page.locator('#status:not([data-state="connecting"])');
    await status.waitFor({ timeout: 15_000 }).catch(() => undefined);
    const text = (await page.locator('#status').textContent()) ?? '';
    timings.push(`page load to Accepted: ${Date.now() - started} ms`);
    assert.equal(text, 'Accepted', `page shows ${JSON.stringify(text)}; page log:\n${pageLog.join('\n')}`);
    assert.equal(await page.locator('#status').getAttribute('data-state'), 'done');
    assert.deepEqual(boots, ['BROWSER-7 ocpp1.6 Acme Browser-1']);
    assert.deepEqual(
      pageLog.filter((l) => l.startsWith('pageerror')),
      [],
    );
  });

  test('a ChargePoint with a password throws in the browser (no Basic-auth headers there)', { skip }, async () => {
    await page.addScriptTag({ url: '/auth.js', type: 'module' });
    await page.waitForFunction(() => typeof (window as unknown as { tryPassword?: unknown }).tryPassword === 'function', undefined, { timeout: 10_000 });
    const outcome = await page.evaluate(() => (window as unknown as { tryPassword: () => string }).tryPassword());
    assert.equal(outcome, 'TypeError: password: browsers cannot send Basic auth headers');
  });
});
