/**
 * The part of a run both subcommands share: the scenarios one after the other with a line as
 * each finishes, then the report, the JUnit file and the exit code.
 */
import { writeFileSync } from 'node:fs';
import { toJUnitXml, type ScenarioResult } from '../testing/index';
import type { ScenarioInfo } from './catalogue';
import type { Io } from './io';
import { exitCodeOf, formatReport, progressLine } from './report';

/** How the results are reported. */
export interface ReportOptions {
  /** BLOCKED and SKIPPED fail the run, and JUnit reports BLOCKED as an error. */
  readonly strict: boolean;
  /** Where to write the JUnit XML, if anywhere. */
  readonly junit: string | undefined;
  /** The name of the JUnit `<testsuites>`. */
  readonly suiteName: string;
}

/**
 * Runs `scenarios` through `runOne` in order (one at a time: they share the charger or the
 * connection), prints progress, the report, writes the JUnit file, and resolves with the exit code.
 */
export async function runAndReport<S extends ScenarioInfo>(
  scenarios: readonly S[],
  runOne: (scenario: S) => Promise<ScenarioResult>,
  io: Io,
  options: ReportOptions,
): Promise<number> {
  const results: ScenarioResult[] = [];
  for (const scenario of scenarios) {
    io.out(`\n${scenario.id} ${scenario.title}`);
    const result = await runOne(scenario);
    results.push(result);
    io.out(progressLine(result));
  }
  io.out(`\n${formatReport(results, options)}`);
  if (options.junit !== undefined) {
    writeFileSync(options.junit, toJUnitXml(results, { name: options.suiteName, blockedAs: options.strict ? 'error' : 'skipped' }));
    io.out(`JUnit XML: ${options.junit}`);
  }
  return exitCodeOf(results, options);
}
