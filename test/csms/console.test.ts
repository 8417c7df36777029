/**
 * examples/csms: the console in headless Chromium (playwright-core, Debian's /usr/bin/chromium
 * or CHROMIUM_PATH, as test/browser). An admin logs in, watches a simulated 1.6 charger appear
 * on the overview without a reload, starts a transaction from the station page, sees energy
 * rise there and on the overview, stops it and downloads the CSV, whose row is checked. A user
 * sees no command buttons and no admin forms.
 *
 * With CSMS_SCREENSHOT=<file.png> it also saves the overview while charging (that is how
 * examples/csms/screenshot.png is made). Without Chromium the tests are skipped, except under
 * CI, where they fail.
 */
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { after, before, describe, test } from 'node:test';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import type { SimulatedCharger } from '../../examples/charge-point';
import { startSimulatedStations } from '../../examples/csms/simulator';
import { ADMIN, USER, eventually, startTestCsms, type TestCsms } from './helpers';

const CHROMIUM = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--no-first-run',
  '--disable-sync',
];
const inCi = !!process.env.CI && process.env.CI !== 'false' && process.env.CI !== '0';
const missing = existsSync(CHROMIUM) ? undefined : `${CHROMIUM} is missing (apt-get install -y chromium)`;
const skip = missing && !inCi ? missing : false;

describe('examples/csms: the console in headless Chromium', () => {
  let csms: TestCsms;
  let browser: Browser | undefined;
  let context: BrowserContext;
  let page: Page;
  const chargers: SimulatedCharger[] = [];
  const pageErrors: string[] = [];

  before(async () => {
    if (skip) return;
    if (missing) throw new Error(`${missing}: CI must install Chromium (.ci/run does) before npm test`);
    csms = await startTestCsms();
    csms.tags.create({ idTag: 'TAG-001', name: 'Demo card' });
    browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS, timeout: 30_000 });
    context = await browser.newContext({ acceptDownloads: true, viewport: { width: 1280, height: 720 } });
    page = await context.newPage();
    page.on('pageerror', (e) => pageErrors.push(e.message));
    page.setDefaultTimeout(10_000);
  });

  after(async () => {
    await browser?.close();
    for (const c of chargers) await c.stop();
    await csms?.close();
  });

  const login = async (who: { username: string; password: string }): Promise<void> => {
    await page.goto(`${csms.httpUrl}/`);
    await page.waitForURL(/\/login/);
    await page.fill('input[name=username]', who.username);
    await page.fill('input[name=password]', who.password);
    await Promise.all([page.waitForURL(`${csms.httpUrl}/`), page.click('button.primary')]);
  };
  const energyWh = async (selector: string): Promise<number> => {
    const text = (await page.locator(selector).first().textContent()) ?? '';
    return Math.round(Number(text.replace(/[^\d.]/g, '')) * 1000);
  };

  test('log in, see a charger connect, start remotely, watch energy rise, stop, download the CSV', { skip }, async () => {
    await login(ADMIN);
    assert.equal(await page.locator('[data-testid=user]').innerText(), 'admin admin');
    await page.locator('#stations').getByText('No stations yet.').waitFor();

    // The charger connects while the page is open: its row appears through the event stream.
    chargers.push(...(await startSimulatedStations(csms, [{ identity: 'SIM-16', protocol: 'ocpp1.6' }], { meterIntervalMs: 250 })));
    const row = page.locator('tr[data-identity="SIM-16"]');
    await row.getByText('Online').waitFor();
    await row.getByText('1: Available').waitFor();

    await Promise.all([page.waitForURL(/\/stations\/SIM-16$/), row.locator('a').click()]);
    await page.locator('#device').getByText('Sim-16', { exact: true }).waitFor();
    await page.locator('[data-testid=remote-start] button').click();
    await page.locator('#result').getByText('RemoteStartTransaction').waitFor();
    assert.match(await page.locator('#result').innerText(), /"status": "Accepted"/);

    // Energy rises on the station page without a reload...
    const energy = '[data-testid=running] [data-field=energy]';
    await page.locator(energy).waitFor();
    const first = await energyWh(energy);
    await eventually(async () => (await energyWh(energy)) > first, 'energy rising on the station page', 8000);
    assert.equal(await page.locator('[data-testid=running] [data-field=power]').innerText(), '11.0 kW');

    // ...and on the overview.
    await page.goto(`${csms.httpUrl}/`);
    await row.getByText('Charging').first().waitFor();
    const overviewEnergy = 'tr[data-identity="SIM-16"] [data-field=energy]';
    await page.locator(overviewEnergy).getByText('kWh').waitFor();
    const before = await energyWh(overviewEnergy);
    await eventually(async () => (await energyWh(overviewEnergy)) > before, 'energy rising on the overview', 8000);
    assert.equal(await page.locator('tr[data-identity="SIM-16"] [data-field=power]').innerText(), '11.0 kW');
    if (process.env.CSMS_SCREENSHOT) await page.screenshot({ path: process.env.CSMS_SCREENSHOT, fullPage: true });

    await Promise.all([page.waitForURL(/\/stations\/SIM-16$/), row.locator('a').click()]);
    await page.locator('[data-testid=remote-stop] button').click();
    await page.locator('#result').getByText('RemoteStopTransaction').waitFor();
    await page.locator('#transactions').getByText('Remote').waitFor();
    assert.equal(await page.locator('[data-testid=running]').count(), 0);

    const [download] = await Promise.all([page.waitForEvent('download'), page.click('[data-testid=csv]')]);
    const csv = readFileSync(await download.path(), 'utf8')
      .trim()
      .split('\n');
    assert.equal(download.suggestedFilename(), 'transactions-SIM-16.csv');
    assert.equal(csv.length, 2, csv.join('\n'));
    assert.equal(csv[0], 'id,station,connector,idTag,startedAt,stoppedAt,meterStartWh,meterStopWh,energyWh,stopReason');
    const cells = csv[1].split(',');
    const stored = csms.transactions.latest('SIM-16')[0];
    assert.deepEqual(cells, [
      stored.txId,
      'SIM-16',
      '1',
      'TAG-001',
      stored.startedAt,
      stored.stoppedAt,
      String(stored.meterStartWh),
      String(stored.meterStopWh),
      String(stored.energyWh),
      'Remote',
    ]);
    assert.ok(Number(cells[8]) > 0, 'energy charged');
    assert.deepEqual(pageErrors, []);
  });

  test('a user reads but gets no commands or admin forms; the API refuses them too', { skip }, async () => {
    await context.clearCookies();
    await login(USER);
    await page.locator('tr[data-identity="SIM-16"]').waitFor();
    assert.equal(await page.locator('[data-testid=add-station]').count(), 0);
    await page.goto(`${csms.httpUrl}/stations/SIM-16`);
    assert.equal(await page.locator('[data-testid=remote-start]').count(), 0);
    assert.equal(await page.locator('[data-testid=set-password]').count(), 0);
    const status = await page.evaluate(async () => {
      const res = await fetch('/api/stations/SIM-16/reset', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
      return res.status;
    });
    assert.equal(status, 403);
    await page.goto(`${csms.httpUrl}/tags`);
    assert.equal(await page.locator('[data-testid=add-tag]').count(), 0);
    await page.locator('[data-testid=tags]').getByText('TAG-001').waitFor();
    assert.deepEqual(pageErrors, []);
  });
});
