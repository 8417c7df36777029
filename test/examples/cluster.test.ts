/**
 * examples/cluster.ts: three CentralSystem nodes over a redis-server of their own, thirty chargers
 * spread over them; every node reaches every charger held by another node, one line per call,
 * a summary, and exit code 0 after a clean shutdown (no redis-server or node left behind). Without
 * Redis, or with a REDIS_URL nothing answers at, it says so and exits 1. The first test is skipped
 * (locally) when redis-server is not installed; under CI a missing redis-server fails
 * (test/support/redis-server.ts).
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { describe, test } from 'node:test';
import { redisSkipReason } from '../support/redis-server';
import { runExample } from './helpers';

const skip = redisSkipReason();

/** Processes whose command line mentions `text` (pgrep -f, read only). */
function processesMentioning(text: string): string[] {
  const r = spawnSync('pgrep', ['-af', text], { encoding: 'utf8' });
  return r.stdout
    .split('\n')
    .filter((line) => line.trim() !== '' && !line.includes('pgrep'))
    .map((line) => line.trim());
}

describe('examples/cluster.ts', () => {
  test('three nodes, thirty chargers: each node calls every charger held by another, then exits 0', { skip }, async () => {
    const started = Date.now();
    // REDIS_URL unset: the example starts its own redis-server.
    const { code, timedOut, output } = await runExample('examples/cluster.ts', [], { env: { REDIS_URL: '' }, timeoutMs: 30_000 });
    assert.deepEqual([code, timedOut], [0, false], output);
    assert.ok(Date.now() - started < 30_000);

    assert.match(output, /Redis: redis-server started on \S+redis\.sock/);
    for (const node of ['node-a', 'node-b', 'node-c']) {
      assert.match(output, new RegExp(`${node}: listening on ws://127\\.0\\.0\\.1:\\d+/ocpp`));
      assert.match(output, new RegExp(`${node}: cs\\.fleet\\.size = 30 \\(10 here, 20 on other nodes\\)`));
      assert.match(output, new RegExp(`${node}: 20/20 calls answered; p50 \\d+\\.\\d+ ms`));
    }
    assert.match(output, /30 chargers booted \(24 OCPP 1\.6, 6 OCPP 2\.0\.1\), 10 per node/);

    // One line per call: 3 nodes x 20 chargers held elsewhere, never the asker's own.
    const lines = output.split('\n').filter((l) => /^[✔✘] node-/.test(l));
    assert.equal(lines.length, 60, output);
    const seen = new Set<string>();
    for (const line of lines) {
      const m = line.match(
        /^✔ (node-[abc]) → (CP-\d\d) +held by (node-[abc]) +(ocpp1\.6|ocpp2\.0\.1) +(GetConfiguration|GetVariables) +(\S+=\d+).* (\d+\.\d\d) ms$/,
      );
      assert.ok(m, `unexpected line: ${line}`);
      const [, asker, identity, holder, protocol, action] = m;
      assert.notEqual(asker, holder, line);
      assert.equal(action, protocol === 'ocpp1.6' ? 'GetConfiguration' : 'GetVariables', line);
      // Chargers are dealt round-robin: CP-01 on node-a, CP-02 on node-b, ...
      assert.equal(holder, ['node-a', 'node-b', 'node-c'][(Number(identity.slice(3)) - 1) % 3], line);
      seen.add(`${asker} ${identity}`);
    }
    assert.equal(seen.size, 60, 'no call twice');
    assert.match(output, /60\/60 cross-node calls answered, 0 problem\(s\)/);
    assert.match(output, /All nodes reached every charger; shut down cleanly\./);
    assert.doesNotMatch(output, /error|FAILED/i);
    // The redis-server it started is gone, and so are the nodes.
    const socket = output.match(/redis-server started on (\S+)/)![1];
    await new Promise((r) => setTimeout(r, 300));
    assert.deepEqual(processesMentioning(socket), []);
  });

  test('without redis-server and REDIS_URL it says what it needs and exits 1', async () => {
    const { code, timedOut, output } = await runExample('examples/cluster.ts', [], {
      env: { REDIS_URL: '', REDIS_SERVER: '/nonexistent/redis-server' },
      timeoutMs: 15_000,
    });
    assert.deepEqual([code, timedOut], [1, false], output);
    assert.match(output, /needs Redis: install redis-server .*or point REDIS_URL at a running one/);
  });

  test('with REDIS_URL pointing at no server, each node says it cannot reach Redis and the run exits 1 at once', async () => {
    const { code, timedOut, output } = await runExample('examples/cluster.ts', [], { env: { REDIS_URL: 'redis://127.0.0.1:1' }, timeoutMs: 15_000 });
    assert.deepEqual([code, timedOut], [1, false], output);
    assert.match(output, /node-a: cannot reach Redis: .*ECONNREFUSED/);
    assert.match(output, /FAILED: \d+ problem\(s\)/);
  });
});
