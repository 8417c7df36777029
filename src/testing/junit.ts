/**
 * Scenario results as JUnit XML, the report format every CI reads: one `<testsuite>` per
 * station and version, one `<testcase>` per scenario, the steps and the transcript in
 * `<system-out>`.
 */
import type { ScenarioResult } from './scenario-runner';

/** Options of {@link toJUnitXml}. */
export interface JUnitOptions {
  /** The name of the `<testsuites>` element. @default 'ocpp-sdk scenarios' */
  readonly name?: string;
  /**
   * How a BLOCKED scenario is reported: `error` (an `<error type="BLOCKED">`: nothing was
   * verified, so CI goes red) or `skipped`. @default 'error'
   */
  readonly blockedAs?: 'error' | 'skipped';
  /** Whether `<system-out>` carries the scenario's transcript (the steps are always there). @default true */
  readonly transcript?: boolean;
}

/**
 * Characters XML 1.0 does not allow (C0 controls but tab, LF and CR; U+FFFE, U+FFFF; lone
 * surrogates): replaced by U+FFFD, since not even a character reference may name them.
 */
// eslint-disable-next-line no-control-regex
const INVALID_XML = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/** Escapes `text` for an XML attribute value or text node. */
export function escapeXml(text: string): string {
  return text
    .replace(INVALID_XML, '\uFFFD')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;')
    .replace(/\r/g, '&#13;');
}

const seconds = (ms: number): string => (ms / 1000).toFixed(3);

/**
 * The results as a JUnit XML document (UTF-8): one `<testsuite>` per station identity and
 * version, one `<testcase>` per scenario named `<id> <title>`. FAIL is a `<failure>` with the
 * failing step's message; SKIPPED a `<skipped>`; BLOCKED an `<error type="BLOCKED">` (or a
 * `<skipped>`, see {@link JUnitOptions.blockedAs}). Every step's verdict, and the transcript,
 * are in the test case's `<system-out>`.
 *
 * @example
 * ```ts
 * writeFileSync('scenarios.xml', toJUnitXml(await runScenarios(STATION_SCENARIOS, { station, driver })));
 * ```
 */
export function toJUnitXml(results: readonly ScenarioResult[], options: JUnitOptions = {}): string {
  const given: unknown = results;
  if (!Array.isArray(given)) throw new TypeError('toJUnitXml: give a list of scenario results');
  const blockedAs = options.blockedAs ?? 'error';
  const withTranscript = options.transcript ?? true;
  const suites = new Map<string, ScenarioResult[]>();
  for (const r of results) {
    const key = `${r.identity} ${r.protocol}`;
    const list = suites.get(key) ?? [];
    list.push(r);
    suites.set(key, list);
  }
  const count = (list: readonly ScenarioResult[]) => {
    const n = (v: string) => list.filter((r) => r.verdict === v).length;
    const blocked = n('BLOCKED');
    return {
      tests: list.length,
      failures: n('FAIL'),
      errors: blockedAs === 'error' ? blocked : 0,
      skipped: n('SKIPPED') + (blockedAs === 'skipped' ? blocked : 0),
      time: seconds(list.reduce((t, r) => t + r.durationMs, 0)),
    };
  };
  const attrs = (o: Record<string, string | number>): string =>
    Object.entries(o)
      .map(([k, v]) => ` ${k}="${escapeXml(String(v))}"`)
      .join('');

  const lines: string[] = ['<?xml version="1.0" encoding="UTF-8"?>'];
  lines.push(`<testsuites${attrs({ name: options.name ?? 'ocpp-sdk scenarios', ...count(results) })}>`);
  for (const [key, list] of suites) {
    const c = count(list);
    lines.push(`  <testsuite${attrs({ name: key, ...c, timestamp: list[0].startedAt.replace(/Z$/, '') })}>`);
    for (const r of list) {
      lines.push(`    <testcase${attrs({ classname: `ocpp-sdk.${r.protocol}`, name: `${r.id} ${r.title}`, time: seconds(r.durationMs) })}>`);
      const message = r.failure ?? '';
      if (r.verdict === 'FAIL') lines.push(`      <failure${attrs({ type: 'FAIL', message: firstLine(message) })}>${escapeXml(message)}</failure>`);
      else if (r.verdict === 'SKIPPED') lines.push(`      <skipped${attrs({ message })}/>`);
      else if (r.verdict === 'BLOCKED') {
        if (blockedAs === 'error') lines.push(`      <error${attrs({ type: 'BLOCKED', message: firstLine(message) })}>${escapeXml(message)}</error>`);
        else lines.push(`      <skipped${attrs({ message: `BLOCKED: ${message}` })}/>`);
      }
      const out = [
        `${r.id} ${r.verdict} (${r.protocol}, ${r.identity})`,
        ...(r.requirements.length === 0 ? [] : [`requirements: ${r.requirements.join(', ')}`]),
        ...r.steps.map((s) => `  ${s.index}. [${s.phase}] ${s.title}: ${s.verdict}${s.failure === undefined ? '' : ` - ${firstLine(s.failure)}`}`),
        ...(withTranscript && r.transcriptText !== '' ? ['', 'transcript:', r.transcriptText] : []),
      ].join('\n');
      lines.push(`      <system-out>${escapeXml(out)}</system-out>`);
      lines.push('    </testcase>');
    }
    lines.push('  </testsuite>');
  }
  lines.push('</testsuites>');
  return `${lines.join('\n')}\n`;
}

function firstLine(text: string): string {
  const i = text.indexOf('\n');
  return i === -1 ? text : text.slice(0, i);
}
