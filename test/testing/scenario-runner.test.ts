/**
 * The scenario runner on hand-made scenarios (no charger needed): verdicts per step and per
 * scenario, the chaining of reusable states, applicability, the scenario deadline, the checks
 * of defineScenario; and toJUnitXml, parsed by a strict parser.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { createRpcError } from '../../src/index';
import {
  defineScenario,
  ExpectationError,
  manualStep,
  runScenario,
  runScenarios,
  step,
  StepBlockedError,
  TestCentralSystem,
  toJUnitXml,
  type ScenarioResult,
  type State,
} from '../../src/testing/index';
import { parseXml } from './xml';

const pass = (title: string) => step(title, () => Promise.resolve());
const fail = (title: string, message = 'boom') => step(title, () => Promise.reject(new ExpectationError({ awaited: message, got: 'nothing came' })));

async function withStation<T>(fn: (station: ReturnType<TestCentralSystem['station']>) => Promise<T>): Promise<T> {
  const csms = await TestCentralSystem.start({ protocols: ['ocpp2.0.1'] });
  try {
    return await fn(csms.station('UNIT'));
  } finally {
    await csms.close();
  }
}

describe('runScenario', () => {
  test('PASS when every step passes; the steps after a failing one are SKIPPED, post checks too; the failure names the step', async () => {
    await withStation(async (station) => {
      const ok = defineScenario({ id: 'OK', title: 'ok', versions: ['ocpp2.0.1'], steps: [pass('a'), pass('b')], post: [pass('p')] });
      const r1 = await runScenario(ok, { station, protocol: 'ocpp2.0.1' });
      assert.equal(r1.verdict, 'PASS');
      assert.deepEqual(
        r1.steps.map((s) => [s.index, s.phase, s.verdict]),
        [
          [1, 'step', 'PASS'],
          [2, 'step', 'PASS'],
          [3, 'post', 'PASS'],
        ],
      );
      assert.equal(r1.failure, undefined);

      const bad = defineScenario({ id: 'BAD', title: 'bad', versions: ['ocpp2.0.1'], steps: [pass('a'), fail('b', 'the Boot'), pass('c')], post: [pass('p')] });
      const r2 = await runScenario(bad, { station, protocol: 'ocpp2.0.1' });
      assert.equal(r2.verdict, 'FAIL');
      assert.deepEqual(
        r2.steps.map((s) => s.verdict),
        ['PASS', 'FAIL', 'SKIPPED', 'SKIPPED'],
      );
      assert.match(r2.failure ?? '', /^step 2 \(b\): expected the Boot\n {2}but nothing came/);
      assert.ok(r2.error instanceof ExpectationError);
    });
  });

  test('a failing post check fails the scenario; an RpcError from a call is a FAIL with its message', async () => {
    await withStation(async (station) => {
      const post = defineScenario({ id: 'POST', title: 'post', versions: ['ocpp2.0.1'], steps: [pass('a')], post: [fail('every connector reported')] });
      const r = await runScenario(post, { station, protocol: 'ocpp2.0.1' });
      assert.equal(r.verdict, 'FAIL');
      assert.equal(r.steps[1].phase, 'post');
      const rpc = defineScenario({
        id: 'RPC',
        title: 'rpc',
        versions: ['ocpp2.0.1'],
        steps: [step('call', () => Promise.reject(createRpcError('NotSupported', { description: 'no Reset here' })))],
      });
      const r2 = await runScenario(rpc, { station, protocol: 'ocpp2.0.1' });
      assert.equal(r2.verdict, 'FAIL');
      assert.match(r2.failure ?? '', /no Reset here/);
    });
  });

  test('states chain themselves: only those that do not hold are reached, required ones first', async () => {
    await withStation(async (station) => {
      const log: string[] = [];
      const make = (name: string, holds: boolean, requires: State[] = []): State => ({
        name,
        requires,
        holds: () => holds,
        reach: () => {
          log.push(name);
          return Promise.resolve();
        },
      });
      const c = make('C', true);
      const b = make('B', false, [c]);
      const a = make('A', false, [b]);
      const s = defineScenario({ id: 'CHAIN', title: 'chain', versions: ['ocpp2.0.1'], preconditions: [a], steps: [pass('x')] });
      const r = await runScenario(s, { station, protocol: 'ocpp2.0.1' });
      assert.equal(r.verdict, 'PASS');
      assert.deepEqual(log, ['B', 'A']);
      assert.equal(r.steps[0].title, 'State A (reached)');
      const held = defineScenario({ id: 'HELD', title: 'held', versions: ['ocpp2.0.1'], preconditions: [c], steps: [pass('x')] });
      assert.equal((await runScenario(held, { station, protocol: 'ocpp2.0.1' })).steps[0].title, 'State C (held)');
    });
  });

  test('SKIPPED for another version or when not applicable, saying why; BLOCKED for a manual step without a driver', async () => {
    await withStation(async (station) => {
      const only16 = defineScenario({ id: 'V16', title: 'v', versions: ['ocpp1.6'], steps: [pass('a')] });
      const r1 = await runScenario(only16, { station, protocol: 'ocpp2.0.1' });
      assert.equal(r1.verdict, 'SKIPPED');
      assert.match(r1.failure ?? '', /applies to ocpp1.6, not ocpp2.0.1/);
      const picky = defineScenario({
        id: 'PICS',
        title: 'p',
        versions: ['ocpp2.0.1'],
        applicability: (profile) => profile.connectorIds.length > 1 || 'needs two connectors',
        steps: [pass('a')],
      });
      const r2 = await runScenario(picky, { station, protocol: 'ocpp2.0.1' });
      assert.equal(r2.verdict, 'SKIPPED');
      assert.match(r2.failure ?? '', /does not apply to this station: needs two connectors/);
      assert.equal((await runScenario(picky, { station, protocol: 'ocpp2.0.1', profile: { connectorIds: [1, 2] } })).verdict, 'PASS');
      const manual = defineScenario({ id: 'MAN', title: 'm', versions: ['ocpp2.0.1'], steps: [pass('a'), manualStep('unplug', 'unplug', 1)] });
      const r3 = await runScenario(manual, { station, protocol: 'ocpp2.0.1' });
      assert.equal(r3.verdict, 'BLOCKED');
      assert.equal(r3.steps[1].title, 'Manual action: unplug');
      const unplugged: number[] = [];
      const r4 = await runScenario(manual, {
        station,
        protocol: 'ocpp2.0.1',
        driver: {
          unplug: (c) => {
            unplugged.push(c);
            return Promise.resolve();
          },
        },
      });
      assert.equal(r4.verdict, 'PASS');
      assert.deepEqual(unplugged, [1]);
    });
  });

  test('a driver that rejects with StepBlockedError (a tester skipping the action) makes the step BLOCKED; any other rejection is a FAIL', async () => {
    await withStation(async (station) => {
      const manual = defineScenario({ id: 'MAN2', title: 'm', versions: ['ocpp2.0.1'], steps: [manualStep('unplug', 'unplug', 1), pass('after')] });
      const skipped = await runScenario(manual, {
        station,
        protocol: 'ocpp2.0.1',
        driver: { unplug: () => Promise.reject(new StepBlockedError('skipped at the prompt')) },
      });
      assert.equal(skipped.verdict, 'BLOCKED');
      assert.deepEqual(
        skipped.steps.map((s) => s.verdict),
        ['BLOCKED', 'SKIPPED'],
      );
      assert.match(skipped.failure ?? '', /step 1 \(Manual action: unplug\): skipped at the prompt/);
      assert.equal(skipped.error, undefined);
      const broken = await runScenario(manual, { station, protocol: 'ocpp2.0.1', driver: { unplug: () => Promise.reject(new Error('relay stuck')) } });
      assert.equal(broken.verdict, 'FAIL');
      assert.match(broken.failure ?? '', /relay stuck/);
    });
  });

  test('a scenario that runs past timeoutMs FAILs naming the deadline; runScenarios goes on with the next', async () => {
    await withStation(async (station) => {
      const slow = defineScenario({ id: 'SLOW', title: 's', versions: ['ocpp2.0.1'], steps: [step('forever', () => new Promise(() => undefined))] });
      const quick = defineScenario({ id: 'QUICK', title: 'q', versions: ['ocpp2.0.1'], steps: [pass('a')] });
      const [r1, r2] = await runScenarios([slow, quick], { station, protocol: 'ocpp2.0.1', timeoutMs: 50 });
      assert.equal(r1.verdict, 'FAIL');
      assert.match(r1.failure ?? '', /expected scenario SLOW to finish within 50 ms/);
      assert.equal(r2.verdict, 'PASS');
    });
  });

  test('bad input: defineScenario throws TypeError naming the field; runScenario needs a protocol before the station connected', async () => {
    assert.throws(() => defineScenario({ id: '', title: 't', versions: ['ocpp1.6'], steps: [pass('a')] }), /id must be a non-empty string/);
    assert.throws(() => defineScenario({ id: 'X', title: 't', versions: [], steps: [pass('a')] }), /versions must list at least one version/);
    assert.throws(() => defineScenario({ id: 'X', title: 't', versions: ['ocpp1.6'], steps: [] }), /steps must list at least one step/);
    assert.throws(
      () => defineScenario({ id: 'X', title: 't', versions: ['ocpp1.6'], steps: [{ title: 'no run' } as never] }),
      /every step needs a title and a run function/,
    );
    await withStation(async (station) => {
      const s = defineScenario({ id: 'X', title: 't', versions: ['ocpp1.6'], steps: [pass('a')] });
      await assert.rejects(runScenario(s, { station }), /give options.protocol/);
      await assert.rejects(runScenario({ id: 'raw' } as never, { station, protocol: 'ocpp1.6' }), /a scenario made by defineScenario/);
      await assert.rejects(runScenario(s, undefined as never), /options \{ station \} are required/);
    });
  });
});

describe('toJUnitXml', () => {
  const result = (over: Partial<ScenarioResult>): ScenarioResult => ({
    id: 'TC_X',
    title: 'x',
    requirements: [],
    protocol: 'ocpp1.6',
    identity: 'CP1',
    verdict: 'PASS',
    startedAt: '2026-12-03T11:00:00.000Z',
    durationMs: 1234,
    steps: [{ index: 1, phase: 'step', title: 'a', verdict: 'PASS', durationMs: 5 }],
    transcript: [],
    transcriptText: '',
    ...over,
  });

  test('one suite per station and version, counts per verdict, every verdict in its element', () => {
    const xml = toJUnitXml([
      result({}),
      result({ id: 'TC_F', verdict: 'FAIL', failure: 'step 1 (a): expected X\n  but Y' }),
      result({ id: 'TC_S', verdict: 'SKIPPED', failure: 'applies to ocpp2.0.1' }),
      result({ id: 'TC_B', verdict: 'BLOCKED', failure: 'needs a driver' }),
      result({ id: 'TC_2', protocol: 'ocpp2.0.1', identity: 'CS2', requirements: ['B01.FR.01', 'B01.FR.05'] }),
    ]);
    const root = parseXml(xml);
    assert.deepEqual({ ...root.attributes }, { name: 'ocpp-sdk scenarios', tests: '5', failures: '1', errors: '1', skipped: '1', time: '6.170' });
    assert.deepEqual(
      root.children.map((s) => [s.attributes.name, s.attributes.tests]),
      [
        ['CP1 ocpp1.6', '4'],
        ['CS2 ocpp2.0.1', '1'],
      ],
    );
    const cases = root.children[0].children;
    assert.deepEqual(
      cases.map((c) => c.children.map((e) => e.name)),
      [['system-out'], ['failure', 'system-out'], ['skipped', 'system-out'], ['error', 'system-out']],
    );
    assert.equal(cases[1].children[0].attributes.message, 'step 1 (a): expected X');
    assert.equal(cases[1].children[0].text, 'step 1 (a): expected X\n  but Y');
    assert.equal(cases[3].children[0].attributes.type, 'BLOCKED');
    assert.match(root.children[1].children[0].children[0].text, /^TC_2 PASS \(ocpp2.0.1, CS2\)\nrequirements: B01.FR.01, B01.FR.05\n {2}1\. \[step\] a: PASS$/);
    const skipped = parseXml(toJUnitXml([result({ verdict: 'BLOCKED', failure: 'no driver' })], { blockedAs: 'skipped' }));
    assert.equal(skipped.attributes.errors, '0');
    assert.equal(skipped.attributes.skipped, '1');
    assert.equal(skipped.children[0].children[0].children[0].attributes.message, 'BLOCKED: no driver');
  });

  test('escapes markup, quotes and characters XML forbids, so the document stays well-formed and the text survives', () => {
    const nasty = `<a href="x">&amp; 'q' ]]> \u0000\u0007 \uD800 é 🚗`;
    const xml = toJUnitXml([result({ id: nasty, verdict: 'FAIL', failure: nasty, transcriptText: `#1 <- CALL ${nasty}` })]);
    const root = parseXml(xml);
    const testcase = root.children[0].children[0];
    assert.equal(testcase.attributes.name, `<a href="x">&amp; 'q' ]]> \uFFFD\uFFFD \uFFFD é 🚗 x`);
    assert.equal(testcase.children[0].text, `<a href="x">&amp; 'q' ]]> \uFFFD\uFFFD \uFFFD é 🚗`);
    assert.match(testcase.children[1].text, /#1 <- CALL <a href="x">/);
  });

  test('the test parser is strict: it rejects what is not well-formed', () => {
    for (const bad of ['<a>', '<a></b>', '<a x=1/>', '<a x="1" x="2"/>', '<a>&bogus;</a>', '<a>1 < 2</a>', '<a/><b/>', '<a>\u0001</a>', 'text<a/>']) {
      assert.throws(() => parseXml(bad), SyntaxError, bad);
    }
    assert.equal(parseXml('<?xml version="1.0"?>\n<a k="&lt;">x&#65;&#x42;</a>\n').text, 'xAB');
  });
});
