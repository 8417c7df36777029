/**
 * Reliability: fuzzing (fast-check) a real CentralSystem and a real ChargePoint over loopback,
 * in OCPP 1.6 and 2.0.1, with hostile input: arbitrary strings and bytes, binary frames, huge
 * numbers, 10,000-deep nesting, `__proto__`/`constructor`/`prototype` keys, and mutations of
 * valid frames of both versions (issue 7).
 *
 * For every input: nothing throws out of the SDK (process guards); a CALL with a readable id is
 * answered exactly once with that id; answers are never answered; 1.6 never sends "-1",
 * RpcFrameworkError or MessageTypeNotSupported; 2.0.1 answers unreadable frames with "-1"; no
 * CALLERROR description carries a stack, a path or an exception text. Afterwards the connection
 * still works (a valid CALL is answered) and no prototype is polluted.
 *
 * Runs are bounded for `npm test` (FUZZ_RUNS batches of up to 50 inputs per target, about 1,000
 * inputs each); `npm run soak` runs 100,000 with a memory check (bench/soak/fuzz-soak.ts).
 * The seed is fixed by default (test/support/property.ts); `npm run test:explore` draws random ones.
 * Reproduce a failure with the seed and path fast-check prints: FUZZ_SEED=<seed> FUZZ_PATH=<path>.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import fc from 'fast-check';
import '../support/property';
import type { OcppVersion } from '../../src/index';
import { centralSystemTarget, chargePointTarget, inputArbitrary, pollution, processGuards, runBatch, specialInputs, type FuzzTarget } from './fuzz-support';

const RUNS = Number(process.env.FUZZ_RUNS ?? 40);
const SEED = process.env.FUZZ_SEED === undefined ? undefined : Number(process.env.FUZZ_SEED);
const PATH = process.env.FUZZ_PATH;
const VERSIONS: OcppVersion[] = ['ocpp1.6', 'ocpp2.0.1', 'ocpp2.1'];

const TARGETS: Array<{ name: string; toStation: boolean; open: (v: OcppVersion) => Promise<FuzzTarget> }> = [
  { name: 'CentralSystem', toStation: false, open: centralSystemTarget },
  { name: 'ChargePoint', toStation: true, open: chargePointTarget },
];

for (const { name, toStation, open } of TARGETS) {
  for (const version of VERSIONS) {
    describe(`fuzzing a ${name} (${version})`, () => {
      let target: FuzzTarget;
      let guards: ReturnType<typeof processGuards>;
      const counter = { n: 0 };
      const descriptions: string[] = [];

      before(async () => {
        guards = processGuards();
        target = await open(version);
      });
      after(async () => {
        await target?.close();
        guards?.remove();
      });

      test(`hand-picked hostile inputs (deep nesting, huge numbers, prototype keys, binary) are answered by the rules (${name}, ${version})`, async () => {
        const problems = await runBatch(target, specialInputs(version), counter, descriptions);
        assert.deepEqual(problems, []);
        assert.deepEqual(pollution(), []);
        assert.deepEqual(guards.failures, []);
      });

      test(`random and mutated inputs: each CALL with a readable id answered once with it, nothing else answered, no leaks (${name}, ${version})`, async () => {
        await fc.assert(
          fc.asyncProperty(fc.array(inputArbitrary(version, toStation), { minLength: 1, maxLength: 50, size: 'max' }), async (inputs) => {
            const problems = await runBatch(target, inputs, counter, descriptions);
            assert.deepEqual(problems, []);
            assert.deepEqual(pollution(), []);
          }),
          { numRuns: RUNS, endOnFailure: false, ...(SEED === undefined ? {} : { seed: SEED }), ...(PATH === undefined ? {} : { path: PATH }) },
        );
        assert.deepEqual(guards.failures, [], 'nothing escaped as an uncaught exception or unhandled rejection');
      });

      test(`afterwards the connection is open and a valid CALL still works; no prototype is polluted (${name}, ${version})`, async (t) => {
        t.diagnostic(`${counter.n} inputs sent; ${descriptions.length} CALLERRORs checked for leaks`);
        assert.equal(target.closed, false);
        const answer = await target.probe();
        assert.equal(answer[0], 3);
        assert.deepEqual(pollution(), []);
        assert.ok(descriptions.length > 0, 'the fuzz provoked CALLERRORs, and each description was checked for leaks');
        // Let late microtasks and timers surface anything that escaped.
        await new Promise((r) => setTimeout(r, 20));
        assert.deepEqual(guards.failures, []);
      });
    });
  }
}
