/**
 * examples/firmware-test-harness.ts is itself a node:test suite: run it as documented, in a
 * child process with a time bound, against the in-process simulator of both versions, and
 * against examples/charge-point.ts run as a separate charger (`--no-session`) the way a real
 * charger is tested (CHARGER_URL).
 *
 * What must pass is read from the harness itself: every `test('...')` it declares must be
 * reported `ok` once per charger suite, and the pass count must be exactly that, so adding or
 * removing a check needs no edit here.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { once } from 'node:events';
import path from 'node:path';
import { describe, test } from 'node:test';
import { ROOT, runExample, spawnExample } from './helpers';

const HARNESS = 'examples/firmware-test-harness.ts';

/** The names of the checks the harness declares, from its source. */
function declaredChecks(): string[] {
  const source = readFileSync(path.join(ROOT, HARNESS), 'utf8');
  return [...source.matchAll(/^\s*test\((['"`])(.+?)\1,/gm)].map((m) => m[2]);
}

/** Every declared check passed once per suite, nothing failed, and nothing else ran. */
function assertAllChecksPassed(output: string, suites: string[]): void {
  const checks = declaredChecks();
  assert.ok(checks.length >= 5, `only ${checks.length} checks found in ${HARNESS}`);
  const escape = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  for (const name of checks) {
    const passed = output.match(new RegExp(`^\\s*ok \\d+ - ${escape(name)}$`, 'gm')) ?? [];
    assert.equal(passed.length, suites.length, `"${name}" passed ${passed.length} times, not once per suite\n${output}`);
  }
  for (const suite of suites) assert.match(output, new RegExp(`^ok \\d+ - charger under test: ${escape(suite)}$`, 'm'), output);
  assert.match(output, new RegExp(`^# pass ${checks.length * suites.length}$`, 'm'), output);
  assert.match(output, /^# fail 0$/m, output);
}

async function freePort(): Promise<number> {
  const server = createServer().listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as { port: number };
  server.close();
  await once(server, 'close');
  return port;
}

describe('examples/firmware-test-harness.ts', () => {
  test('node --import tsx --test passes every check it declares, for both simulated versions', async () => {
    const { code, timedOut, output } = await runExample('', [], {
      nodeArgs: ['--import', 'tsx', '--test', '--test-reporter=tap', HARNESS],
      env: { CHARGER_URL: '' },
      timeoutMs: 30_000,
    });
    assert.deepEqual([code, timedOut], [0, false], output);
    assertAllChecksPassed(output, ['simulated ocpp1.6 charger', 'simulated ocpp2.0.1 charger']);
    assert.match(output, /ok \d+ - answers an invalid request with its version's CALLERROR code/);
  });

  // Without --no-session the simulator runs a session of its own and refuses the remote start.
  for (const protocol of ['ocpp1.6', 'ocpp2.0.1'] as const) {
    test(`with CHARGER_URL, examples/charge-point.ts --no-session (${protocol}) is a charger under test that passes every check`, async (t) => {
      const url = `ws://127.0.0.1:${await freePort()}/ocpp`;
      const harness = spawnExample('', [], {
        nodeArgs: ['--import', 'tsx', '--test', '--test-reporter=tap', HARNESS],
        env: { CHARGER_URL: url, CHARGER_WAIT_MS: '15000' },
        timeoutMs: 40_000,
      });
      t.after(() => harness.kill());
      await harness.waitFor(/# waiting up to \d+ s for a charger/, 20_000);
      const charger = spawnExample(
        'examples/charge-point.ts',
        ['--no-session', '--protocol', protocol, '--url', url, '--identity', 'DUT-1', '--meter-interval-ms', '100'],
        { timeoutMs: 40_000 },
      );
      t.after(() => charger.kill());
      const { code, timedOut } = await harness.exited;
      const output = harness.output();
      assert.deepEqual([code, timedOut], [0, false], `${output}\n--- charger\n${charger.output()}`);
      assertAllChecksPassed(output, [`the charger connecting to ${url}`]);
      assert.match(charger.output(), /no session of its own/);
    });
  }
});
