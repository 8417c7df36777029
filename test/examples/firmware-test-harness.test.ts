/**
 * examples/firmware-test-harness.ts is itself a node:test suite: run it as documented, in a
 * child process with a time bound, against the in-process simulator of both versions.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { runExample } from './helpers';

describe('examples/firmware-test-harness.ts', () => {
  test('node --import tsx --test passes all its checks for both versions', async () => {
    const { code, timedOut, output } = await runExample('', [], {
      nodeArgs: ['--import', 'tsx', '--test', '--test-reporter=tap', 'examples/firmware-test-harness.ts'],
      env: { CHARGER_URL: '' },
      timeoutMs: 30_000,
    });
    assert.deepEqual([code, timedOut], [0, false], output);
    assert.match(output, /# pass 14\b/);
    assert.match(output, /# fail 0\b/);
    assert.match(output, /ok \d+ - charger under test: simulated ocpp1\.6 charger/);
    assert.match(output, /ok \d+ - charger under test: simulated ocpp2\.0\.1 charger/);
    assert.match(output, /ok \d+ - answers an invalid request with its version's CALLERROR code/);
  });
});
