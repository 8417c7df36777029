/**
 * `--profile profile.json`: the station profile (OCTT's "<Configured …>" values) read from a
 * JSON file and checked field by field, so that a typo is a usage error naming the field rather
 * than a default silently used.
 */
import { readFileSync } from 'node:fs';
import { DEFAULT_STATION_PROFILE, type StationProfile } from '../testing/index';
import { UsageError } from './args';

type Kind = 'integer' | 'string' | 'integers';

/** The fields of StationProfile and what each takes. */
const FIELDS: Readonly<Record<keyof StationProfile, Kind>> = {
  evseId: 'integer',
  connectorId: 'integer',
  connectorIds: 'integers',
  validToken: 'string',
  invalidToken: 'string',
  heartbeatIntervalS: 'integer',
  retryIntervalS: 'integer',
  messageTimeoutMs: 'integer',
  timingToleranceMs: 'integer',
  password: 'string',
};

const fits = (kind: Kind, v: unknown): boolean =>
  kind === 'string'
    ? typeof v === 'string' && v !== ''
    : kind === 'integer'
      ? Number.isSafeInteger(v) && (v as number) >= 0
      : Array.isArray(v) && v.length > 0 && v.every((x) => Number.isSafeInteger(x) && (x as number) >= 0);

const KIND_TEXT: Readonly<Record<Kind, string>> = {
  integer: 'a whole number (0 or more)',
  string: 'a non-empty string',
  integers: 'a non-empty list of whole numbers',
};

/**
 * Reads and checks the profile in `file`.
 *
 * @throws UsageError when the file cannot be read, is not a JSON object, or has an unknown field
 * or a field of the wrong type.
 */
export function loadProfile(file: string): StationProfile {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new UsageError(`--profile: cannot read ${file}: ${(error as Error).message}`);
  }
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    throw new UsageError(`--profile: ${file} is not JSON: ${(error as Error).message}`);
  }
  if (typeof data !== 'object' || data === null || Array.isArray(data)) throw new UsageError(`--profile: ${file} must hold a JSON object`);
  for (const [key, value] of Object.entries(data)) {
    if (key === '$comment') continue;
    const kind = (FIELDS as Record<string, Kind | undefined>)[key];
    if (kind === undefined) throw new UsageError(`--profile: unknown field '${key}' in ${file}; the fields are ${Object.keys(FIELDS).join(', ')}`);
    if (!fits(kind, value)) throw new UsageError(`--profile: '${key}' in ${file} must be ${KIND_TEXT[kind]}, got ${JSON.stringify(value)}`);
  }
  const { $comment: _comment, ...profile } = data as StationProfile & { $comment?: unknown };
  return profile;
}

/** The profile's message timeout, defaults filled in. */
export function messageTimeoutOf(profile: StationProfile): number {
  return profile.messageTimeoutMs ?? DEFAULT_STATION_PROFILE.messageTimeoutMs;
}
