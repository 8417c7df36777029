/**
 * `ocpp-sdk-test csms`: connect to a CSMS under test as a charger and run the kit's
 * CSMS_SCENARIOS (OCTT's `_CSMS` cases) against it, one connection per scenario, then report.
 * What the CSMS must do on the tester's request ("send RemoteStartTransaction") is prompted on
 * an interactive terminal and BLOCKED off one.
 */
import type { OcppVersion } from '../index';
import { CSMS_SCENARIOS, runCsmsScenario, type CsmsProfile, type CsmsScenario, type RunCsmsScenarioOptions } from '../testing/index';
import { idList, junitOption, parseOptions, protocolOption, UsageError } from './args';
import { formatList, selectScenarios, versionsOf } from './catalogue';
import { CSMS_HELP } from './help';
import type { Io } from './io';
import { csmsMessageTimeoutOf, loadCsmsProfile } from './profile';
import { createPrompter, csmsDriver } from './prompt-driver';
import { runAndReport } from './run-loop';

/** A CSMS run, as the command line asks for it. */
interface CsmsRun {
  /** The CSMS endpoint; the identity is appended. */
  readonly url: string;
  readonly identity: string;
  readonly protocol: OcppVersion;
  readonly password: string | undefined;
  readonly scenarios: readonly CsmsScenario[];
  readonly profile: CsmsProfile;
  readonly junit: string | undefined;
  readonly strict: boolean;
}

const OPTIONS = {
  url: { type: 'string' },
  identity: { type: 'string' },
  protocol: { type: 'string' },
  scenarios: { type: 'string', multiple: true },
  junit: { type: 'string' },
  profile: { type: 'string' },
  password: { type: 'string' },
  strict: { type: 'boolean' },
  list: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const;

function urlOption(value: string | undefined): string {
  if (value === undefined) throw new UsageError('--url is required: the CSMS endpoint, e.g. ws://127.0.0.1:9000/ocpp');
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new UsageError(`--url must be a ws:// or wss:// URL, got '${value}'`);
  }
  if (url.protocol !== 'ws:' && url.protocol !== 'wss:') throw new UsageError(`--url must be a ws:// or wss:// URL, got '${value}'`);
  return value;
}

/** Reads the command line. @throws UsageError */
function parse(argv: readonly string[]): { kind: 'help' } | { kind: 'list'; protocol: OcppVersion | undefined } | { kind: 'run'; run: CsmsRun } {
  const v = parseOptions('csms', argv, OPTIONS);
  if (v.help === true) return { kind: 'help' };
  const versions = versionsOf(CSMS_SCENARIOS);
  if (v.list === true) return { kind: 'list', protocol: v.protocol === undefined ? undefined : protocolOption(v.protocol, versions) };
  const url = urlOption(v.url);
  if (v.identity === undefined || v.identity === '') throw new UsageError('--identity is required: the charger identity to connect as');
  const protocol = protocolOption(v.protocol, versions);
  if (v.password === '') throw new UsageError('--password must not be empty');
  return {
    kind: 'run',
    run: {
      url,
      identity: v.identity,
      protocol,
      password: v.password,
      scenarios: selectScenarios(CSMS_SCENARIOS, protocol, idList(v.scenarios)),
      profile: v.profile === undefined ? {} : loadCsmsProfile(v.profile),
      junit: junitOption(v.junit),
      strict: v.strict === true,
    },
  };
}

/**
 * Runs `ocpp-sdk-test csms` with `argv` (the arguments after `csms`) and resolves with the exit code.
 *
 * @throws UsageError (rejects) for a mistake on the command line.
 */
export async function csmsCommand(argv: readonly string[], io: Io): Promise<number> {
  const parsed = parse(argv);
  if (parsed.kind === 'help') {
    io.out(CSMS_HELP);
    return 0;
  }
  if (parsed.kind === 'list') {
    const { protocol } = parsed;
    io.out(`CSMS scenarios${protocol === undefined ? '' : ` of ${protocol}`} (id, versions, title):`);
    io.out(formatList(protocol === undefined ? CSMS_SCENARIOS : CSMS_SCENARIOS.filter((s) => s.versions.includes(protocol))));
    return 0;
  }
  return run(parsed.run, io);
}

async function run(options: CsmsRun, io: Io): Promise<number> {
  const { url, identity, protocol, password, profile, scenarios } = options;
  // The prompt says how long the CALL is awaited: the scenario's wait for it, the profile's.
  const prompter = io.interactive ? createPrompter(io.input, io.output, csmsMessageTimeoutOf(profile)) : undefined;
  const runOptions: RunCsmsScenarioOptions = {
    csms: password === undefined ? url : { url, password },
    protocol,
    identity,
    profile,
    ...(prompter === undefined ? {} : { driver: csmsDriver(prompter.ask, protocol) }),
  };
  io.out(
    `ocpp-sdk-test csms: connecting as ${identity} (${protocol}) to ${url.replace(/\/$/, '')}/${identity}${password === undefined ? '' : ' (Basic auth)'}`,
  );
  io.out(
    `${scenarios.length} scenario${scenarios.length === 1 ? '' : 's'}: ${scenarios.map((s) => s.id).join(', ')}; manual actions on the CSMS ${
      prompter === undefined ? 'are BLOCKED (not an interactive terminal)' : 'are prompted'
    }`,
  );
  try {
    return await runAndReport(scenarios, (scenario) => runCsmsScenario(scenario, runOptions), io, {
      strict: options.strict,
      junit: options.junit,
      suiteName: 'ocpp-sdk-test csms',
    });
  } finally {
    prompter?.close();
  }
}
