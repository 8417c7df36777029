/**
 * The ready scenarios (STATION_SCENARIOS) against the SDK's simulated charger
 * (examples/charge-point.ts) with a StationDriver: all PASS in one run per version on one
 * station (2.1 included, for the scenarios that declare it), and the JUnit XML of the run
 * parses; without a driver they are BLOCKED, for another version SKIPPED. That each FAILs
 * against a charger misbehaving the way it checks is misbehaving-chargers.test.ts.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { runScenario, runScenarios, STATION_SCENARIOS, TestCentralSystem, toJUnitXml } from '../../src/testing/index';
import { parseXml, type XmlElement } from './xml';
import { against, byId, describeResult, MISBEHAVIOUR } from './scenario-proof';
import { SIM_PROFILE, simProfile, simRig } from './sim-rig';

test('every scenario has a misbehaviour that must fail it, and ids are unique', () => {
  const ids = STATION_SCENARIOS.map((s) => s.id);
  assert.equal(new Set(ids).size, ids.length);
  assert.deepEqual([...ids].sort(), Object.keys(MISBEHAVIOUR).sort());
  assert.ok(ids.filter((id) => byId(id).versions.includes('ocpp1.6')).length >= 6);
  assert.ok(ids.filter((id) => byId(id).versions.includes('ocpp2.0.1')).length >= 6);
  assert.ok(ids.filter((id) => byId(id).versions.includes('ocpp2.1')).length >= 6);
});

// The three versions at once (each its own central system and simulator on port 0, waiting on
// timers most of the time): one after the other they took over 90 s of `npm test`.
describe('ready scenarios', { concurrency: 3 }, () => {
  for (const protocol of ['ocpp1.6', 'ocpp2.0.1', 'ocpp2.1'] as const) {
    const mine = STATION_SCENARIOS.filter((s) => (s.versions as readonly string[]).includes(protocol));

    test(`${protocol}: all pass in one run on one station against the simulated charger; the others are SKIPPED; the JUnit XML parses`, async () => {
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
  }
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
    for (const protocol of ['ocpp1.6', 'ocpp2.0.1', 'ocpp2.1'] as const) {
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
      const r = await runScenario(byId('TC_004_1_CS'), { station: csms.station('PARTIAL'), protocol: 'ocpp1.6', profile: SIM_PROFILE, driver });
      assert.equal(r.verdict, 'BLOCKED', describeResult(r));
      assert.deepEqual(
        r.steps.map((s) => s.verdict),
        ['PASS', 'BLOCKED', 'SKIPPED', 'SKIPPED', 'SKIPPED'],
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
