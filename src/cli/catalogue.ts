/**
 * Which scenarios a run takes: all those of the version by default, or the ids given, checked
 * against the catalogue (an unknown id is a usage error that lists the known ones); and the
 * `--list` output. Generic over the scenario's id, title and versions, so the station and the
 * CSMS subcommands share it.
 */
import type { OcppVersion } from '../index';
import { UsageError } from './args';

/** What the CLI needs to know of a scenario to choose and list it. */
export interface ScenarioInfo {
  readonly id: string;
  readonly title: string;
  readonly versions: readonly OcppVersion[];
}

/**
 * The scenarios to run: `ids` in the order given, or every one of `catalogue` that applies to
 * `protocol`. A chosen scenario of another version stays in (the runner reports it SKIPPED).
 *
 * @throws UsageError naming the unknown ids and listing the known ones, or when none applies.
 */
export function selectScenarios<S extends ScenarioInfo>(catalogue: readonly S[], protocol: OcppVersion, ids: readonly string[] | undefined): S[] {
  if (ids === undefined) {
    const mine = catalogue.filter((s) => s.versions.includes(protocol));
    if (mine.length === 0) {
      const versions = versionsOf(catalogue).join(', ');
      throw new UsageError(`no scenario in this build applies to ${protocol}${versions === '' ? '' : `; the scenarios are for ${versions}`}`);
    }
    return mine;
  }
  const byId = new Map(catalogue.map((s) => [s.id.toUpperCase(), s]));
  const unknown = ids.filter((id) => !byId.has(id.toUpperCase()));
  if (unknown.length > 0) {
    throw new UsageError(`unknown scenario ${unknown.map((id) => `'${id}'`).join(', ')}; the known ones are:\n${formatList(catalogue)}`);
  }
  return ids.map((id) => byId.get(id.toUpperCase())!);
}

/** The versions `catalogue` has scenarios for, oldest first: what `--protocol` accepts. */
export function versionsOf(catalogue: readonly ScenarioInfo[]): OcppVersion[] {
  // 'ocpp1.6' < 'ocpp2.0.1' < 'ocpp2.1' as strings too.
  return [...new Set(catalogue.flatMap((s) => s.versions))].sort();
}

/** One line per scenario: id, versions, title, aligned (the `--list` output). */
export function formatList(catalogue: readonly ScenarioInfo[]): string {
  const idWidth = Math.max(2, ...catalogue.map((s) => s.id.length));
  const versionWidth = Math.max(8, ...catalogue.map((s) => s.versions.join(',').length));
  return catalogue.map((s) => `  ${s.id.padEnd(idWidth)}  ${s.versions.join(',').padEnd(versionWidth)}  ${s.title}`).join('\n');
}
