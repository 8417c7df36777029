/**
 * Each ready scenario FAILs, in its own steps (its preconditions hold), against the simulated
 * charger misbehaving the way the scenario checks (MISBEHAVIOUR in scenario-proof.ts), with a
 * failure that says what went wrong: none passes vacuously. Per version it applies to.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { STATION_SCENARIOS } from '../../src/testing/index';
import { against, byId, describeResult, MISBEHAVIOUR, SAYS } from './scenario-proof';

for (const protocol of ['ocpp1.6', 'ocpp2.0.1', 'ocpp2.1'] as const) {
  // Each test has its own central system and simulator on port 0 and mostly waits on timers:
  // run four at once, or this file alone would take over two minutes of `npm test`.
  describe(`ready scenarios against misbehaving chargers, ${protocol}`, { concurrency: 4 }, () => {
    const mine = STATION_SCENARIOS.filter((s) => (s.versions as readonly string[]).includes(protocol));
    for (const scenario of mine) {
      const quirk = MISBEHAVIOUR[scenario.id];
      test(`${scenario.id} fails in its own steps against a charger that misbehaves (${quirk})`, async () => {
        const [r] = await against(protocol, quirk, [scenario]);
        assert.equal(r.verdict, 'FAIL', describeResult(r));
        const failed = r.steps.find((s) => s.verdict === 'FAIL');
        assert.ok(failed, describeResult(r));
        assert.notEqual(failed.phase, 'precondition', `the preconditions must hold, the scenario's own step must fail:\n${describeResult(r)}`);
        assert.ok(r.error instanceof Error);
        assert.match(r.failure ?? '', SAYS[quirk], describeResult(r));
      });
    }
  });
}

test('TC_001_CS also fails against a charger that never sends a Heartbeat', async () => {
  const [r] = await against('ocpp1.6', 'no-heartbeat', [byId('TC_001_CS')]);
  assert.equal(r.verdict, 'FAIL', describeResult(r));
  assert.equal(r.steps.find((s) => s.verdict === 'FAIL')?.title, 'Heartbeat after the heartbeat interval');
  assert.match(r.failure ?? '', SAYS['no-heartbeat']);
});
