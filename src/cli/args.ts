/**
 * Argument parsing shared by the subcommands: node:util's parseArgs in strict mode, with every
 * complaint turned into a {@link UsageError} (exit code 2) that names the option and what it
 * takes, and the typed checks of values (port, milliseconds, protocol, JUnit file, id lists).
 */
import { existsSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { OCPP_PROTOCOLS, type OcppVersion } from '../index';

/** A mistake on the command line: the CLI prints the message and exits with code 2. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

type Options = NonNullable<ParseArgsConfig['options']>;
/** The typed values parseArgs gives for `options`. */
export type OptionValues<O extends Options> = ReturnType<typeof parseArgs<{ options: O; strict: true; allowPositionals: false }>>['values'];

/**
 * Parses `argv` against `options` (no positionals allowed). parseArgs' own messages are good
 * but long-winded ("Unknown option '--x'. To specify a positional argument starting with a '-',
 * place it at the end of the command after '--', as in '-- \"--x\"'"): the first sentence is kept.
 *
 * @throws UsageError for an unknown option, a missing value or a stray argument.
 */
export function parseOptions<O extends Options>(command: string, argv: readonly string[], options: O): OptionValues<O> {
  try {
    return parseArgs({ args: [...argv], options, strict: true as const, allowPositionals: false as const }).values;
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    const first = /^[^.]*?'[^']*'[^.]*\.|^[^.]*\./.exec(message)?.[0] ?? message;
    throw new UsageError(`${command}: ${first.replace(/^Unexpected argument/, 'unexpected argument').replace(/\.$/, '')}`);
  }
}

/** A whole number from `min` to `max` given to `--name`. @throws UsageError */
export function integerOption(name: string, value: string | undefined, min: number, max: number): number | undefined {
  if (value === undefined) return undefined;
  const n = /^\d+$/.test(value) ? Number(value) : NaN;
  if (!Number.isSafeInteger(n) || n < min || n > max) throw new UsageError(`--${name} takes a whole number from ${min} to ${max}, got '${value}'`);
  return n;
}

/**
 * The OCPP version given to `--protocol`, one of `versions`: those the command's catalogue has
 * scenarios for (the caller's `versionsOf(catalogue)`), so that a version is accepted as soon as
 * scenarios for it exist, and not before. A version the SDK speaks but no scenario covers gets
 * its own message, so that the tester learns it is the catalogue, not a typo.
 *
 * @throws UsageError when it is missing, unknown, or has no scenario.
 */
export function protocolOption(value: string | undefined, versions: readonly OcppVersion[]): OcppVersion {
  const known = versions.join(', ');
  if (value === undefined) throw new UsageError(`--protocol is required: one of ${known}`);
  if ((versions as readonly string[]).includes(value)) return value as OcppVersion;
  if ((OCPP_PROTOCOLS as readonly string[]).includes(value))
    throw new UsageError(`no scenario in this build applies to ${value}; the scenarios are for ${known}`);
  throw new UsageError(`--protocol must be one of ${known}, got '${value}'`);
}

/** The `--junit` file, when its folder exists (found now rather than after a long run). @throws UsageError */
export function junitOption(value: string | undefined): string | undefined {
  if (value !== undefined && !existsSync(dirname(resolve(value)))) throw new UsageError(`--junit: the folder of ${value} does not exist`);
  return value;
}

/** The ids of `--scenarios`, given comma-separated and/or repeated, in order, without repeats. */
export function idList(values: readonly string[] | undefined): string[] | undefined {
  if (values === undefined) return undefined;
  const ids = values.flatMap((v) => v.split(',')).map((id) => id.trim());
  if (ids.some((id) => id === ''))
    throw new UsageError(`--scenarios takes scenario ids separated by commas, e.g. TC_001_CS,TC_010_CS; got '${values.join(',')}'`);
  return [...new Set(ids)];
}
