/**
 * `npm run soak`: runs the long reliability runs one after another, each in its own process
 * with `--expose-gc`, and fails if any check of any run fails. Results are summarised at the
 * end (the RESULT lines that RELIABILITY.md quotes).
 *
 *   npm run soak                      # fuzz-soak, churn, restart, attacks
 *   npm run soak -- churn --cycles 5000
 */
import { spawnSync } from 'node:child_process';
import path from 'node:path';

const ALL = ['fuzz-soak', 'churn', 'restart', 'attacks'];
const [first, ...rest] = process.argv.slice(2);
const chosen = first !== undefined && ALL.includes(first) ? [first] : ALL;
const extra = first !== undefined && ALL.includes(first) ? rest : process.argv.slice(2);

const results: string[] = [];
let failed = false;
for (const name of chosen) {
  const started = Date.now();
  const run = spawnSync(process.execPath, ['--expose-gc', '--import', 'tsx', path.join(__dirname, `${name}.ts`), ...extra], {
    stdio: ['ignore', 'pipe', 'inherit'],
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
  process.stdout.write(run.stdout ?? '');
  const line = (run.stdout ?? '').split('\n').find((l) => l.startsWith('RESULT '));
  results.push(`${name} (${((Date.now() - started) / 1000).toFixed(1)} s, exit ${run.status ?? run.signal}): ${line?.slice(7) ?? 'no result'}`);
  if (run.status !== 0) failed = true;
}
console.log('\n# soak summary');
for (const r of results) console.log(r);
process.exitCode = failed ? 1 : 0;
