/**
 * Makes screenshot.png, the overview the README shows: a fresh CSMS in a temporary folder,
 * the two simulated stations (one charging), a station that never connected and one waiting
 * for admission, photographed in headless Chromium (playwright-core, /usr/bin/chromium).
 *
 *   npx tsx examples/csms/screenshot.ts [out.png] [page path, default /]
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { ChargePoint } from '../../src/index';
import { startCsms } from './app';
import { remoteStart } from './ocpp/commands';
import { startSimulatedStations } from './simulator';

async function main(): Promise<void> {
  const out = process.argv[2] ?? join(__dirname, 'screenshot.png');
  const dir = mkdtempSync(join(tmpdir(), 'csms-shot-'));
  const csms = await startCsms({
    ocppPort: 0,
    httpPort: 0,
    host: '127.0.0.1',
    db: join(dir, 'csms.sqlite'),
    adminPassword: 'screenshot-admin',
    unknownStations: 'pending',
  });
  const chargers = await startSimulatedStations(csms, undefined, { meterIntervalMs: 200 });
  csms.stations.create('DEPOT-07', { description: 'Depot, bay 7' });
  const stranger = new ChargePoint({ url: csms.ocppUrl, identity: 'NEW-0042', protocol: 'ocpp2.1', reconnect: false });
  await stranger.connect();
  await stranger.call('BootNotification', { reason: 'PowerUp', chargingStation: { vendorName: 'Acme', model: 'Wallbox 21' } });
  await remoteStart(csms.cs.stations.get('SIM-201')!, 'TAG-001');

  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH || '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu'],
  });
  try {
    const page = await browser.newPage({ viewport: { width: 1200, height: 560 }, deviceScaleFactor: 1 });
    await page.goto(`${csms.httpUrl}/login`);
    await page.fill('input[name=username]', 'admin');
    await page.fill('input[name=password]', 'screenshot-admin');
    await Promise.all([page.waitForURL(`${csms.httpUrl}/`), page.click('button.primary')]);
    await page.locator('tr[data-identity="SIM-201"] [data-field=energy]').getByText('kWh').waitFor();
    if (process.argv[3]) await page.goto(`${csms.httpUrl}${process.argv[3]}`);
    await new Promise((r) => setTimeout(r, 3000));
    await page.screenshot({ path: out, fullPage: true });
    console.log(`wrote ${out}`);
  } finally {
    await browser.close();
    await stranger.close();
    for (const c of chargers) await c.stop();
    await csms.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
