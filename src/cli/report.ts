/**
 * What a run prints and how it ends: the verdict table (id, title, verdict, duration), the
 * failing step and message of every FAIL and BLOCKED, why each SKIPPED one was skipped, the
 * totals, and the exit code they make.
 */
import type { ScenarioResult, Verdict } from '../testing/index';

/** The exit code of a run with a FAIL (or, with `--strict`, a BLOCKED or SKIPPED). */
export const EXIT_FAILED = 1;

const VERDICTS: readonly Verdict[] = ['PASS', 'FAIL', 'BLOCKED', 'SKIPPED'];
const TITLE_WIDTH = 64;

function duration(ms: number): string {
  return ms < 1000 ? `${ms} ms` : `${(ms / 1000).toFixed(1)} s`;
}

function clip(text: string, width: number): string {
  return text.length <= width ? text : `${text.slice(0, width - 3)}...`;
}

function indent(text: string, prefix: string): string {
  return text
    .split('\n')
    .map((line) => prefix + line)
    .join('\n');
}

/** The one line printed as a scenario finishes. */
export function progressLine(r: ScenarioResult): string {
  return `${r.verdict.padEnd(7)} ${r.id} (${duration(r.durationMs)})`;
}

/** The verdict table, the failures, the skips and the totals. */
export function formatReport(results: readonly ScenarioResult[], options: { readonly strict: boolean }): string {
  const idWidth = Math.max(2, ...results.map((r) => r.id.length));
  const titleWidth = Math.min(TITLE_WIDTH, Math.max(5, ...results.map((r) => r.title.length)));
  const row = (id: string, title: string, verdict: string, time: string): string =>
    `${id.padEnd(idWidth)}  ${clip(title, titleWidth).padEnd(titleWidth)}  ${verdict.padEnd(7)}  ${time.padStart(8)}`;
  const lines = [row('ID', 'TITLE', 'VERDICT', 'DURATION'), ...results.map((r) => row(r.id, r.title, r.verdict, duration(r.durationMs)))];

  const broken = results.filter((r) => r.verdict === 'FAIL' || r.verdict === 'BLOCKED');
  if (broken.length > 0) {
    lines.push('', 'Failures and blocked steps:');
    for (const r of broken) lines.push(`${r.verdict} ${r.id} ${r.title}`, indent(r.failure ?? '(no message)', '    '));
  }
  const skipped = results.filter((r) => r.verdict === 'SKIPPED');
  if (skipped.length > 0) {
    lines.push('', 'Skipped:');
    for (const r of skipped) lines.push(`  ${r.id}: ${r.failure ?? ''}`);
  }
  const counts = VERDICTS.map((v) => `${results.filter((r) => r.verdict === v).length} ${v}`).join(', ');
  const total = results.reduce((t, r) => t + r.durationMs, 0);
  lines.push('', `Totals: ${results.length} scenario${results.length === 1 ? '' : 's'}: ${counts} (${duration(total)})`);
  const code = exitCodeOf(results, options);
  lines.push(
    code === 0
      ? `Result: no FAIL${options.strict ? ', nothing BLOCKED or SKIPPED' : ''}`
      : `Result: ${options.strict ? 'FAIL, BLOCKED or SKIPPED (--strict)' : 'FAIL'}`,
  );
  return lines.join('\n');
}

/** 0 when nothing failed; {@link EXIT_FAILED} on a FAIL, and with `strict` on a BLOCKED or SKIPPED too. */
export function exitCodeOf(results: readonly ScenarioResult[], options: { readonly strict: boolean }): number {
  const bad = (r: ScenarioResult): boolean => r.verdict === 'FAIL' || (options.strict && r.verdict !== 'PASS');
  return results.some(bad) ? EXIT_FAILED : 0;
}
