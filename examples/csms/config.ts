/**
 * The CSMS's settings, from command-line flags, then environment variables, then defaults.
 * Ports of 0 pick free ones (the tests do that).
 *
 *   --ocpp-port  CSMS_OCPP_PORT   9220      stations: ws://host:port/ocpp/<identity>
 *   --http-port  CSMS_HTTP_PORT   8080      console and API
 *   --host       CSMS_HOST        0.0.0.0
 *   --db         CSMS_DB          examples/csms/data/csms.sqlite
 *   --unknown-stations CSMS_UNKNOWN_STATIONS  refuse | pending   (default refuse)
 *   --message-log CSMS_MESSAGE_LOG=1          keep every OCPP frame
 *   --simulate   CSMS_SIMULATE=1              also run two simulated stations (1.6 and 2.0.1)
 *   CSMS_ADMIN_PASSWORD, CSMS_USER_PASSWORD   console passwords of `admin` and `user`
 */
import { join } from 'node:path';
import { parseArgs } from 'node:util';

export interface CsmsConfig {
  ocppPort: number;
  httpPort: number;
  host: string;
  /** SQLite file; `:memory:` for a throwaway database. */
  db: string;
  unknownStations: 'refuse' | 'pending';
  messageLog: boolean;
  simulate: boolean;
  /** Set (or reset) these console users' passwords on start; unset users keep theirs. */
  adminPassword?: string;
  userPassword?: string;
  /** Heartbeat interval given to stations, in seconds. */
  heartbeatIntervalSec: number;
  /** How long a station has to answer a command. */
  callTimeoutMs: number;
}

export const DEFAULT_CONFIG: CsmsConfig = {
  ocppPort: 9220,
  httpPort: 8080,
  host: '0.0.0.0',
  db: join(__dirname, 'data', 'csms.sqlite'),
  unknownStations: 'refuse',
  messageLog: false,
  simulate: false,
  heartbeatIntervalSec: 300,
  callTimeoutMs: 15_000,
};

function port(value: string | undefined, name: string, fallback: number): number {
  if (value === undefined || value === '') return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0 || n > 65535) throw new Error(`${name} must be a port number (0-65535), got ${JSON.stringify(value)}`);
  return n;
}

const truthy = (v: string | undefined): boolean => v !== undefined && v !== '' && v !== '0' && v !== 'false';

/** Reads flags and the environment; throws with the option's name when a value is wrong. */
export function readConfig(argv: readonly string[] = process.argv.slice(2), env: NodeJS.ProcessEnv = process.env): CsmsConfig {
  const { values } = parseArgs({
    args: [...argv],
    options: {
      'ocpp-port': { type: 'string' },
      'http-port': { type: 'string' },
      host: { type: 'string' },
      db: { type: 'string' },
      'unknown-stations': { type: 'string' },
      'message-log': { type: 'boolean' },
      simulate: { type: 'boolean' },
    },
  });
  const unknown = values['unknown-stations'] ?? env.CSMS_UNKNOWN_STATIONS ?? DEFAULT_CONFIG.unknownStations;
  if (unknown !== 'refuse' && unknown !== 'pending') throw new Error(`--unknown-stations must be refuse or pending, got ${JSON.stringify(unknown)}`);
  return {
    ...DEFAULT_CONFIG,
    ocppPort: port(values['ocpp-port'] ?? env.CSMS_OCPP_PORT, '--ocpp-port', DEFAULT_CONFIG.ocppPort),
    httpPort: port(values['http-port'] ?? env.CSMS_HTTP_PORT, '--http-port', DEFAULT_CONFIG.httpPort),
    host: values.host ?? env.CSMS_HOST ?? DEFAULT_CONFIG.host,
    db: values.db ?? env.CSMS_DB ?? DEFAULT_CONFIG.db,
    unknownStations: unknown,
    messageLog: values['message-log'] ?? truthy(env.CSMS_MESSAGE_LOG),
    simulate: values.simulate ?? truthy(env.CSMS_SIMULATE),
    ...(env.CSMS_ADMIN_PASSWORD ? { adminPassword: env.CSMS_ADMIN_PASSWORD } : {}),
    ...(env.CSMS_USER_PASSWORD ? { userPassword: env.CSMS_USER_PASSWORD } : {}),
  };
}
