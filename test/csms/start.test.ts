/**
 * examples/csms/start.js, what `npm run csms` runs: it starts the whole system (database file
 * created on first start, OCPP and console ports from the environment, simulated stations with
 * --simulate, each with its offline queue in a journal file), prints where, and closes cleanly on
 * SIGTERM, which it passes on to the CSMS.
 */
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { spawnExample } from '../examples/helpers';

test('npm run csms: creates the database, serves stations and the console, closes on SIGTERM', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'csms-start-'));
  const db = join(dir, 'nested', 'csms.sqlite');
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const run = spawnExample('', [], {
    nodeArgs: ['examples/csms/start.js', '--simulate'],
    env: { CSMS_OCPP_PORT: '0', CSMS_HTTP_PORT: '0', CSMS_HOST: '127.0.0.1', CSMS_DB: db, CSMS_ADMIN_PASSWORD: 'start-test-admin' },
    timeoutMs: 30_000,
  });
  t.after(() => run.kill());
  const [, url] = await run.waitFor(/console:\s+(http:\/\/\S+)\//, 20_000);
  await run.waitFor(/simulated: SIM-16, SIM-201 connected/);
  assert.match(run.output(), /stations:\s+ws:\/\/127\.0\.0\.1:\d+\/ocpp\/<identity>/);
  // The user nobody chose a password for gets one, printed once.
  assert.match(run.output(), /console user "user" has password \S+/);
  assert.doesNotMatch(run.output(), /console user "admin"/);
  assert.ok(existsSync(db), 'the database file exists');
  // The simulated chargers keep their offline queues in journal files beside the database (FileQueueStore).
  for (const identity of ['SIM-16', 'SIM-201']) assert.ok(existsSync(join(dir, 'nested', `queue-${identity}.jsonl`)), `${identity}'s queue journal exists`);

  const login = await fetch(`${url}/login`);
  assert.equal(login.status, 200);
  const stations = await fetch(`${url}/api/stations`, { headers: { authorization: `Basic ${Buffer.from('admin:start-test-admin').toString('base64')}` } });
  const list = (await stations.json()) as Array<{ identity: string; connected: boolean }>;
  assert.deepEqual(
    list.map((s) => [s.identity, s.connected]),
    [
      ['SIM-16', true],
      ['SIM-201', true],
    ],
  );

  run.child.kill('SIGTERM');
  const exit = await run.exited;
  assert.deepEqual([exit.code, exit.timedOut], [0, false], run.output());
});
