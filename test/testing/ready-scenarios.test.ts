/**
 * The ready scenarios (STATION_SCENARIOS) against the SDK's simulated charger
 * (examples/charge-point.ts) with a StationDriver: all PASS in one run per version on one
 * station, and each FAILs in its own step against a charger that misbehaves the way it checks,
 * so none passes vacuously. The JUnit XML of the run is parsed.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { OcppVersion } from '../../src/index';
import { runScenario, runScenarios, STATION_SCENARIOS, TestCentralSystem, toJUnitXml, type Scenario, type ScenarioResult } from '../../src/testing/index';
import { parseXml, type XmlElement } from './xml';
import { SIM_PROFILE, simProfile, simRig, type Quirk } from './sim-rig';

type Version = Extract<OcppVersion, 'ocpp1.6' | 'ocpp2.0.1'>;

const byId = (id: string): Scenario => {
  const s = STATION_SCENARIOS.find((x) => x.id === id);
  assert.ok(s, `no scenario ${id}`);
  return s;
};

/** What breaks each scenario: the misbehaviour that must make it FAIL in its own steps. */
const MISBEHAVIOUR: Readonly<Record<string, Quirk>> = {
  TC_001_CS: 'unavailable',
  TC_B_01_CS: 'unavailable',
  TC_002_CS: 'early-retry',
  TC_B_02_CS: 'early-retry',
  TC_023_1_CS: 'ignores-invalid',
  TC_C_02_CS: 'ignores-invalid',
  TC_010_CS: 'rejects-remote-start',
  TC_F_01_CS: 'rejects-remote-start',
  TC_012_CS: 'ignores-remote-stop',
  TC_F_08_CS: 'ignores-remote-stop',
  TC_028_CS: 'accepts-any-stop',
  TC_F_09_CS: 'accepts-any-stop',
  TC_017_1_CS: 'unlock-fails',
  TC_F_06_CS: 'unlock-fails',
  TC_F_10_CS: 'unlock-fails',
  TC_F_20_CS: 'trigger-ignored',
  TC_F_23_CS: 'trigger-ignored',
  TC_F_11_CS: 'trigger-ignored',
  TC_F_05_CS: 'unlock-fails',
  TC_003_CS: 'no-start',
  TC_E_03_CS: 'no-start',
  TC_013_CS: 'no-reboot',
  TC_014_CS: 'no-reboot',
  TC_015_CS: 'no-reboot',
  TC_B_20_CS: 'no-reboot',
  TC_B_21_CS: 'no-reboot',
  TC_B_22_CS: 'no-reboot',
};

/** Runs `scenarios` against a fresh simulator of `protocol` misbehaving by `quirk`. */
async function against(protocol: Version, quirk: Quirk, scenarios: readonly Scenario[]): Promise<ScenarioResult[]> {
  const csms = await TestCentralSystem.start({ protocols: [protocol], timeoutMs: 5000 });
  const station = csms.station('SIM');
  const rig = simRig(protocol, csms.url, 'SIM', quirk);
  try {
    return await runScenarios(scenarios, { station, protocol, profile: simProfile(protocol), driver: rig.driver, timeoutMs: 30_000 });
  } finally {
    await rig.stop();
    // Passing scenarios leave no expectation unmet, so close() must succeed; a failed one may
    // leave one, and close() says so, which is not the point of the failing runs.
    if (quirk === 'none') await csms.close();
    else await csms.close().catch(() => undefined);
  }
}

/** What the failure of each misbehaviour says. */
const SAYS: Readonly<Record<Quirk, RegExp>> = {
  none: /^$/,
  unavailable: /"Unavailable"/,
  'no-heartbeat': /expected Heartbeat/,
  'early-retry': /BootNotification #\d+ came \d+ ms after BootNotification #\d+: too early/,
  'ignores-invalid': /expected no (StartTransaction|TransactionEvent)/,
  'rejects-remote-start': /status to be "Accepted"\n {2}but it was "Rejected"/,
  'ignores-remote-stop': /expected (StopTransaction|TransactionEvent)/,
  'accepts-any-stop': /status to be "Rejected"\n {2}but it was "Accepted"/,
  'unlock-fails': /but it was "UnlockFailed"/,
  'trigger-ignored': /expected (Heartbeat|StatusNotification|MeterValues)/,
  'no-start': /expected (StartTransaction|TransactionEvent)|missing StartTransaction/,
  'no-reboot': /expected (BootNotification|StopTransaction|TransactionEvent)|status to be "Scheduled"/,
};

function describeResult(r: ScenarioResult): string {
  return `${r.id} ${r.verdict}${r.failure === undefined ? '' : `: ${r.failure}`}\n${r.steps.map((s) => `  ${s.index} ${s.phase} ${s.title}: ${s.verdict}`).join('\n')}`;
}

test('every scenario has a misbehaviour that must fail it, and ids are unique', () => {
  const ids = STATION_SCENARIOS.map((s) => s.id);
  assert.equal(new Set(ids).size, ids.length);
  assert.deepEqual([...ids].sort(), Object.keys(MISBEHAVIOUR).sort());
  assert.ok(ids.filter((id) => byId(id).versions.includes('ocpp1.6')).length >= 6);
  assert.ok(ids.filter((id) => byId(id).versions.includes('ocpp2.0.1')).length >= 6);
});

for (const protocol of ['ocpp1.6', 'ocpp2.0.1'] as const) {
  describe(`ready scenarios, ${protocol}`, () => {
    const mine = STATION_SCENARIOS.filter((s) => (s.versions as readonly string[]).includes(protocol));

    test(`all pass in one run on one station against the simulated charger; the others are SKIPPED; the JUnit XML parses`, async () => {
      const results = await against(protocol, 'none', STATION_SCENARIOS);
      for (const r of results) {
        const expected = mine.includes(byId(r.id)) ? 'PASS' : 'SKIPPED';
        assert.equal(r.verdict, expected, describeResult(r));
        if (expected === 'PASS') {
          assert.ok(r.steps.length > 0 && r.steps.every((s) => s.verdict === 'PASS'), describeResult(r));
          assert.ok(
            r.transcript.some((e) => e.direction === 'in' || e.direction === 'out'),
            `${r.id} exchanged no message`,
          );
        } else assert.match(r.failure ?? '', /applies to ocpp/);
      }
      const xml = parseXml(toJUnitXml(results));
      assert.equal(xml.name, 'testsuites');
      assert.equal(xml.attributes.tests, String(STATION_SCENARIOS.length));
      assert.equal(xml.attributes.failures, '0');
      assert.equal(xml.attributes.skipped, String(STATION_SCENARIOS.length - mine.length));
      const cases = xml.children.flatMap((suite: XmlElement) => suite.children);
      assert.equal(cases.length, STATION_SCENARIOS.length);
      const first = cases.find((c) => c.attributes.name.startsWith(`${mine[0].id} `));
      assert.ok(first);
      const out = first.children.find((c) => c.name === 'system-out');
      assert.match(out?.text ?? '', /BootNotification/, 'the transcript is in system-out');
    });

    for (const scenario of mine) {
      const quirk = MISBEHAVIOUR[scenario.id];
      test(`${scenario.id} fails in its own steps against a charger that misbehaves (${quirk})`, async () => {
        const [r] = await against(protocol, quirk, [scenario]);
        assert.equal(r.verdict, 'FAIL', describeResult(r));
        const failed = r.steps.find((s) => s.verdict === 'FAIL');
        assert.ok(failed, describeResult(r));
        assert.notEqual(failed.phase, 'precondition', `the preconditions must hold, the scenario's own step must fail:\n${describeResult(r)}`);
        assert.ok(r.error instanceof Error);
        assert.match(r.failure ?? '', SAYS[quirk]);
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

describe('BLOCKED and SKIPPED', () => {
  test('a manual step without a driver is BLOCKED, and so is a precondition that needs one', async () => {
    await using csms = await TestCentralSystem.start({ protocols: ['ocpp2.0.1'], timeoutMs: 2000 });
    const station = csms.station('NODRIVER');
    const cold = await runScenario(byId('TC_B_01_CS'), { station, protocol: 'ocpp2.0.1', profile: SIM_PROFILE });
    assert.equal(cold.verdict, 'BLOCKED');
    assert.equal(cold.steps[0].verdict, 'BLOCKED');
    assert.match(cold.failure ?? '', /manual action powerCycle needs a StationDriver/);
    const stop = await runScenario(byId('TC_F_09_CS'), { station, protocol: 'ocpp2.0.1', profile: SIM_PROFILE });
    assert.equal(stop.verdict, 'BLOCKED');
    assert.deepEqual(
      stop.steps.map((s) => [s.phase, s.verdict]),
      [
        ['precondition', 'BLOCKED'],
        ['step', 'SKIPPED'],
      ],
    );
  });

  test('without a driver, every ready scenario is BLOCKED on a station that never connected (each needs a power cycle first)', async () => {
    for (const protocol of ['ocpp1.6', 'ocpp2.0.1'] as const) {
      await using csms = await TestCentralSystem.start({ protocols: [protocol], timeoutMs: 2000 });
      const results = await runScenarios(STATION_SCENARIOS, { station: csms.station('NONE'), protocol, profile: simProfile(protocol) });
      for (const r of results) {
        const mine = (byId(r.id).versions as readonly string[]).includes(protocol);
        assert.equal(r.verdict, mine ? 'BLOCKED' : 'SKIPPED', describeResult(r));
        if (mine) assert.match(r.failure ?? '', /manual action powerCycle needs a StationDriver/);
      }
    }
  });

  test('a driver without the action needed is BLOCKED at that action, after the steps before it ran', async () => {
    const csms = await TestCentralSystem.start({ protocols: ['ocpp1.6'], timeoutMs: 3000 });
    const rig = simRig('ocpp1.6', csms.url, 'PARTIAL');
    try {
      const driver = { powerCycle: () => rig.driver.powerCycle!() };
      const r = await runScenario(byId('TC_023_1_CS'), { station: csms.station('PARTIAL'), protocol: 'ocpp1.6', profile: SIM_PROFILE, driver });
      assert.equal(r.verdict, 'BLOCKED', describeResult(r));
      assert.deepEqual(
        r.steps.map((s) => s.verdict),
        ['PASS', 'BLOCKED', 'SKIPPED'],
      );
      assert.match(r.failure ?? '', /the StationDriver has no presentToken\(\)/);
    } finally {
      await rig.stop();
      await csms.close();
    }
  });

  test('a scenario of another version is SKIPPED without touching the station', async () => {
    await using csms = await TestCentralSystem.start({ protocols: ['ocpp1.6'] });
    const station = csms.station('SKIP');
    const r = await runScenario(byId('TC_B_01_CS'), { station, protocol: 'ocpp1.6' });
    assert.equal(r.verdict, 'SKIPPED');
    assert.match(r.failure ?? '', /TC_B_01_CS applies to ocpp2.0.1, not ocpp1.6/);
    assert.equal(r.steps.length, 0);
    assert.equal(station.transcript.length, 0);
  });
});
