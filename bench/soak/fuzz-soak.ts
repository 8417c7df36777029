/**
 * Soak: 100,000 fuzz inputs (the generators and oracle of test/reliability/fuzz-support.ts)
 * against a real CentralSystem and a real ChargePoint, 1.6 and 2.0.1, over loopback. Checks
 * every answer by the rules, that nothing escapes (process guards), that no prototype is
 * polluted, that the connections stay usable, and that the heap after GC returns to within 10%
 * of its start (measured after a warm-up, with the same connections open).
 *
 *   node --expose-gc --import tsx bench/soak/fuzz-soak.ts [--inputs 100000] [--seed 42]
 */
import fc from 'fast-check';
import type { OcppVersion } from '../../src/index';
import {
  centralSystemTarget,
  chargePointTarget,
  inputArbitrary,
  pollution,
  processGuards,
  runBatch,
  specialInputs,
  type FuzzInput,
  type FuzzTarget,
} from '../../test/reliability/fuzz-support';
import { mb, Report, settledHeap } from './common';

function arg(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
}

const TOTAL = arg('inputs', 100_000);
const SEED = arg('seed', 42);
const BATCH = 250;

async function main(): Promise<void> {
  const report = new Report('fuzz-soak');
  const guards = processGuards();
  const versions: OcppVersion[] = ['ocpp1.6', 'ocpp2.0.1'];
  const targets: Array<{ target: FuzzTarget; arb: fc.Arbitrary<FuzzInput> }> = [];
  for (const v of versions) {
    targets.push({ target: await centralSystemTarget(v), arb: inputArbitrary(v, false) });
    targets.push({ target: await chargePointTarget(v), arb: inputArbitrary(v, true) });
  }
  const counter = { n: 0 };
  const problems: string[] = [];
  const descriptions: string[] = [];
  let seed = SEED;
  const round = async (inputsPerTarget: number): Promise<number> => {
    let sent = 0;
    for (const { target, arb } of targets) {
      const inputs = fc.sample(arb, { numRuns: inputsPerTarget, seed: seed++ });
      problems.push(...(await runBatch(target, inputs, counter, descriptions)));
      sent += inputs.length;
    }
    descriptions.length = 0; // checked in runBatch; keep memory flat
    return sent;
  };

  // Warm-up: the special inputs and one round, then the baseline.
  for (const { target } of targets) problems.push(...(await runBatch(target, specialInputs(target.version), counter, descriptions)));
  await round(BATCH);
  const heapStart = await settledHeap();
  report.note('heapStart', mb(heapStart));

  const started = Date.now();
  let sent = 0;
  let nextLog = 10_000;
  while (sent < TOTAL && problems.length < 20) {
    sent += await round(Math.min(BATCH, Math.ceil((TOTAL - sent) / targets.length)));
    if (sent >= nextLog) {
      console.log(`     ${sent} inputs, ${((Date.now() - started) / 1000).toFixed(1)} s, heap ${mb(process.memoryUsage().heapUsed)}`);
      nextLog += 10_000;
    }
  }
  const seconds = (Date.now() - started) / 1000;
  report.note('inputs', sent);
  report.note('seconds', Number(seconds.toFixed(1)));
  report.note('inputsPerSecond', Math.round(sent / seconds));

  const heapEnd = await settledHeap();
  report.note('heapEnd', mb(heapEnd));
  report.check('every answer followed the rules', problems.length === 0, problems.length === 0 ? `${sent} inputs` : problems.slice(0, 5).join('\n'));
  report.check(
    'nothing escaped the SDK',
    guards.failures.length === 0,
    guards.failures.slice(0, 3).join('\n') || 'no uncaught exception or unhandled rejection',
  );
  report.check('no prototype polluted', pollution().length === 0, pollution().join('; ') || '({}).polluted === undefined, Object.prototype unchanged');
  let usable = 0;
  for (const { target } of targets) {
    if (!target.closed && (await target.probe())[0] === 3) usable++;
  }
  report.check('connections still usable', usable === targets.length, `${usable}/${targets.length} answered a valid CALL`);
  const growth = (heapEnd - heapStart) / heapStart;
  report.check('heap after GC within 10% of its start', growth <= 0.1, `${mb(heapStart)} -> ${mb(heapEnd)} (${(growth * 100).toFixed(1)}%)`);
  for (const { target } of targets) await target.close();
  guards.remove();
  report.finish();
}

main().catch((error: unknown) => {
  console.error(error);
  // Whatever is still open would keep the process alive.
  process.exit(1);
});
