/**
 * `ocpp-sdk-test station`: serve as the CSMS of a charger under test (a TestCentralSystem),
 * wait for it to connect and boot, run the chosen STATION_SCENARIOS, report, exit.
 */
import { networkInterfaces } from 'node:os';
import { safeEqual, type AnyStation, type OcppVersion } from '../index';
import {
  DEFAULT_STATION_PROFILE,
  runScenario,
  STATION_SCENARIOS,
  TestCentralSystem,
  type Scenario,
  type StationHandle,
  type StationProfile,
} from '../testing/index';
import { idList, integerOption, junitOption, parseOptions, protocolOption, UsageError } from './args';
import { formatList, selectScenarios, versionsOf } from './catalogue';
import { STATION_HELP } from './help';
import type { Io } from './io';
import { loadProfile, messageTimeoutOf } from './profile';
import { createPrompter, stationDriver } from './prompt-driver';
import { EXIT_FAILED } from './report';
import { runAndReport } from './run-loop';

/** The port served when `--listen` is not given (the SDK's examples use it too). */
export const DEFAULT_PORT = 9220;
/** How long to wait for the charger to connect when `--wait-ms` is not given. */
export const DEFAULT_WAIT_MS = 300_000;

/** A station run, as the command line asks for it. */
interface StationRun {
  readonly protocol: OcppVersion;
  readonly port: number;
  readonly host: string;
  readonly identity: string | undefined;
  readonly scenarios: readonly Scenario[];
  readonly junit: string | undefined;
  readonly profile: StationProfile;
  readonly password: string | undefined;
  readonly waitMs: number;
  readonly strict: boolean;
}

const OPTIONS = {
  protocol: { type: 'string' },
  listen: { type: 'string' },
  host: { type: 'string' },
  identity: { type: 'string' },
  scenarios: { type: 'string', multiple: true },
  junit: { type: 'string' },
  profile: { type: 'string' },
  password: { type: 'string' },
  'wait-ms': { type: 'string' },
  strict: { type: 'boolean' },
  list: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const;

/** Reads the command line. @throws UsageError */
function parse(argv: readonly string[]): { kind: 'help' } | { kind: 'list'; protocol: OcppVersion | undefined } | { kind: 'run'; run: StationRun } {
  const v = parseOptions('station', argv, OPTIONS);
  if (v.help === true) return { kind: 'help' };
  const versions = versionsOf(STATION_SCENARIOS);
  if (v.list === true) return { kind: 'list', protocol: v.protocol === undefined ? undefined : protocolOption(v.protocol, versions) };
  const protocol = protocolOption(v.protocol, versions);
  const junit = junitOption(v.junit);
  const profile = v.profile === undefined ? {} : loadProfile(v.profile);
  const password = v.password ?? profile.password;
  if (v.password === '') throw new UsageError('--password must not be empty');
  return {
    kind: 'run',
    run: {
      protocol,
      port: integerOption('listen', v.listen, 0, 65535) ?? DEFAULT_PORT,
      host: v.host ?? '127.0.0.1',
      identity: v.identity,
      scenarios: selectScenarios(STATION_SCENARIOS, protocol, idList(v.scenarios)),
      junit,
      profile: password === undefined ? profile : { ...profile, password },
      password,
      waitMs: integerOption('wait-ms', v['wait-ms'], 1, 2_147_483_647) ?? DEFAULT_WAIT_MS,
      strict: v.strict === true,
    },
  };
}

/**
 * Runs `ocpp-sdk-test station` with `argv` (the arguments after `station`) and resolves with the
 * exit code.
 *
 * @throws UsageError (rejects) for a mistake on the command line.
 */
export async function stationCommand(argv: readonly string[], io: Io): Promise<number> {
  const parsed = parse(argv);
  if (parsed.kind === 'help') {
    io.out(STATION_HELP);
    return 0;
  }
  if (parsed.kind === 'list') {
    const { protocol } = parsed;
    io.out(`Charging-station scenarios${protocol === undefined ? '' : ` of ${protocol}`} (id, versions, title):`);
    io.out(formatList(protocol === undefined ? STATION_SCENARIOS : STATION_SCENARIOS.filter((s) => s.versions.includes(protocol))));
    return 0;
  }
  return run(parsed.run, io);
}

async function run(options: StationRun, io: Io): Promise<number> {
  const { protocol, password, identity } = options;
  let csms: TestCentralSystem<OcppVersion>;
  try {
    csms = await TestCentralSystem.start<OcppVersion>({
      protocols: [protocol],
      port: options.port,
      host: options.host,
      ...(password === undefined
        ? {}
        : { basicAuth: (id: string, given: string) => (identity === undefined || id === identity) && safeEqual(given, password) }),
    });
  } catch (error) {
    io.err(`ocpp-sdk-test station: cannot listen on ${options.host}:${options.port}: ${(error as Error).message}`);
    return EXIT_FAILED;
  }
  const interrupted = (): void => {
    io.err('\ninterrupted: closing');
    void csms.close().finally(() => process.exit(130));
  };
  process.once('SIGINT', interrupted);
  const prompt = io.interactive ? createPrompter(io.input, io.output, messageTimeoutOf(options.profile)) : undefined;
  try {
    io.out(`ocpp-sdk-test station: serving as the CSMS (${protocol}) on ${csms.url}`);
    io.out(`Point the charger at ${csms.url}/${identity ?? '<identity>'}${password === undefined ? '' : ' (Basic auth required)'}`);
    for (const address of reachableAddresses(options.host)) io.out(`  from the network: ws://${address}:${csms.port}/${identity ?? '<identity>'}`);
    io.out(
      `${options.scenarios.length} scenario${options.scenarios.length === 1 ? '' : 's'}: ${options.scenarios.map((s) => s.id).join(', ')}; manual steps ${
        prompt === undefined ? 'are BLOCKED (not an interactive terminal)' : 'are prompted'
      }`,
    );
    io.out(
      `Waiting up to ${options.waitMs < 1000 ? `${options.waitMs} ms` : `${Math.round(options.waitMs / 1000)} s`} for ${identity ?? 'a charger'} to connect...`,
    );
    const station = await waitForCharger(csms, options, io);
    if (station === undefined) {
      io.err(`ocpp-sdk-test station: no charger connected within ${options.waitMs} ms`);
      return EXIT_FAILED;
    }
    const driver = prompt === undefined ? {} : { driver: stationDriver(prompt.ask) };
    return await runAndReport(options.scenarios, (scenario) => runScenario(scenario, { station, protocol, profile: options.profile, ...driver }), io, {
      strict: options.strict,
      junit: options.junit,
      suiteName: 'ocpp-sdk-test station',
    });
  } finally {
    process.off('SIGINT', interrupted);
    prompt?.close();
    // A failed scenario may leave an expectation unmet, which close() reports: the verdicts
    // have said it already.
    await csms.close().catch(() => undefined);
  }
}

/**
 * Resolves with the handle of the charger once it has connected and its BootNotification was
 * answered Accepted (with the profile's heartbeat interval), or undefined after `waitMs`. A
 * charger that connects without booting is taken as it is: the scenarios that need it booted
 * ask for a power cycle.
 */
async function waitForCharger(csms: TestCentralSystem<OcppVersion>, options: StationRun, io: Io): Promise<StationHandle | undefined> {
  const interval = options.profile.heartbeatIntervalS ?? DEFAULT_STATION_PROFILE.heartbeatIntervalS;
  const connected = await new Promise<AnyStation<OcppVersion> | undefined>((resolve) => {
    const timer = setTimeout(() => done(undefined), options.waitMs);
    const onConnection = (s: AnyStation<OcppVersion>): void => {
      if (options.identity !== undefined && s.identity !== options.identity) {
        io.out(`(${s.identity} connected; waiting for ${options.identity})`);
        return;
      }
      // Armed before the charger's first message can be read: its boot gets this answer.
      csms.station(s.identity).stub('BootNotification', { status: 'Accepted', interval } as never, { times: 1 });
      done(s);
    };
    const done = (s: AnyStation<OcppVersion> | undefined): void => {
      clearTimeout(timer);
      csms.centralSystem.off('connection', onConnection);
      resolve(s);
    };
    csms.centralSystem.on('connection', onConnection);
  });
  if (connected === undefined) return undefined;
  const station = csms.station(connected.identity);
  io.out(`${connected.identity} connected (${connected.protocol}) from ${connected.remoteAddress ?? 'an unknown address'}`);
  const timeoutMs = messageTimeoutOf(options.profile);
  try {
    await station.expectCall('BootNotification', {}, { timeoutMs });
    io.out(`${connected.identity} booted: BootNotification answered Accepted (heartbeat interval ${interval} s)`);
  } catch {
    io.out(`(no BootNotification within ${timeoutMs} ms: the scenarios that need a booted charger will ask for a power cycle)`);
  }
  return station;
}

/** The addresses a charger on the network can reach when listening on every interface. */
function reachableAddresses(host: string): string[] {
  if (host !== '0.0.0.0' && host !== '::') return [];
  return Object.values(networkInterfaces())
    .flatMap((list) => list ?? [])
    .filter((a) => !a.internal && a.family === 'IPv4')
    .map((a) => a.address);
}
