/**
 * `--profile profile.json`: the profile (OCTT's "<Configured …>" values) read from a JSON file
 * and checked field by field, so that a typo is a usage error naming the field rather than a
 * default silently used. One reader for both subcommands: `station` takes a StationProfile,
 * `csms` a CsmsProfile, each described by a table of its fields.
 */
import { readFileSync } from 'node:fs';
import { DEFAULT_CSMS_PROFILE, DEFAULT_STATION_PROFILE, type CsmsProfile, type StationProfile } from '../testing/index';
import { UsageError } from './args';

type Kind = 'integer' | 'string' | 'integers' | 'variable' | 'boolean';

/** What each field of a profile takes; every field of `P` is listed, so a new one cannot be forgotten. */
type Fields<P> = Readonly<Record<keyof P, Kind>>;

/** The fields of StationProfile and what each takes. */
const STATION_FIELDS: Fields<StationProfile> = {
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
  firmwareLocation: 'string',
  unreachableFirmwareLocation: 'string',
  corruptFirmwareLocation: 'string',
};

/** The fields of CsmsProfile and what each takes. */
const CSMS_FIELDS: Fields<CsmsProfile> = {
  evseId: 'integer',
  connectorId: 'integer',
  validToken: 'string',
  invalidToken: 'string',
  vendor: 'string',
  model: 'string',
  configurationKey: 'string',
  variable: 'variable',
  configurationValue: 'string',
  messageTimeoutMs: 'integer',
  bootPending: 'boolean',
};

const isText = (v: unknown): boolean => typeof v === 'string' && v !== '';
const isCount = (v: unknown): boolean => Number.isSafeInteger(v) && (v as number) >= 0;

const FITS: Readonly<Record<Kind, (v: unknown) => boolean>> = {
  string: isText,
  boolean: (v) => typeof v === 'boolean',
  integer: isCount,
  integers: (v) => Array.isArray(v) && v.length > 0 && v.every(isCount),
  variable: (v) =>
    typeof v === 'object' &&
    v !== null &&
    !Array.isArray(v) &&
    Object.keys(v).sort().join() === 'component,variable' &&
    isText((v as { component: unknown }).component) &&
    isText((v as { variable: unknown }).variable),
};

const KIND_TEXT: Readonly<Record<Kind, string>> = {
  integer: 'a whole number (0 or more)',
  string: 'a non-empty string',
  boolean: 'true or false',
  integers: 'a non-empty list of whole numbers',
  variable: 'an object { "component": "...", "variable": "..." } of two non-empty strings',
};

/**
 * Reads `file` and checks it against `fields`.
 *
 * @throws UsageError when the file cannot be read, is not a JSON object, or has an unknown field
 * or a field of the wrong type.
 */
function loadJsonProfile<P>(file: string, fields: Fields<P>): P {
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
    const kind = (fields as Record<string, Kind | undefined>)[key];
    if (kind === undefined) throw new UsageError(`--profile: unknown field '${key}' in ${file}; the fields are ${Object.keys(fields).join(', ')}`);
    if (!FITS[kind](value)) throw new UsageError(`--profile: '${key}' in ${file} must be ${KIND_TEXT[kind]}, got ${JSON.stringify(value)}`);
  }
  const { $comment: _comment, ...profile } = data as P & { $comment?: unknown };
  return profile as P;
}

/** Reads and checks the station profile in `file`. @throws UsageError (see the fields above) */
export function loadProfile(file: string): StationProfile {
  return loadJsonProfile(file, STATION_FIELDS);
}

/** Reads and checks the CSMS profile in `file`. @throws UsageError (see the fields above) */
export function loadCsmsProfile(file: string): CsmsProfile {
  return loadJsonProfile(file, CSMS_FIELDS);
}

/** The station profile's message timeout, defaults filled in. */
export function messageTimeoutOf(profile: StationProfile): number {
  return profile.messageTimeoutMs ?? DEFAULT_STATION_PROFILE.messageTimeoutMs;
}

/**
 * The CSMS profile's message timeout, defaults filled in: how long a scenario waits for the
 * CALL the tester was asked to make the CSMS send, so the prompt says it.
 */
export function csmsMessageTimeoutOf(profile: CsmsProfile): number {
  return profile.messageTimeoutMs ?? DEFAULT_CSMS_PROFILE.messageTimeoutMs;
}
