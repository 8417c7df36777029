/**
 * `ocpp-sdk-test csms`: connect to a CSMS under test as a charger and run the `_CSMS` scenarios
 * against it. The command line, its checks and its report are here; the scenarios and the way
 * to run one against a backend come from the kit, and this build has none yet: the command says
 * so (exit code 2). {@link CSMS_CATALOGUE} and {@link RUN_AGAINST_BACKEND} are where they plug in.
 */
import type { OcppVersion } from '../index';
import type { ScenarioResult } from '../testing/index';
import { idList, parseOptions, protocolOption, UsageError } from './args';
import { formatList, selectScenarios, type ScenarioInfo } from './catalogue';
import { CSMS_HELP } from './help';
import type { Io } from './io';
import { createPrompter, type Ask } from './prompt-driver';
import { runAndReport } from './run-loop';

/** The backend under test and how to reach it, as the command line gives it. */
export interface CsmsTarget {
  /** The CSMS endpoint; the identity is appended. */
  readonly url: string;
  readonly identity: string;
  readonly protocol: OcppVersion;
  readonly password: string | undefined;
  /** Asks the tester to act on the CSMS side; undefined off a terminal (manual steps BLOCKED). */
  readonly ask: Ask | undefined;
}

/** Runs one `_CSMS` scenario against the backend. */
type RunAgainstBackend = (scenario: ScenarioInfo, target: CsmsTarget) => Promise<ScenarioResult>;

/** The `_CSMS` scenarios of this build (the kit's CSMS_SCENARIOS, once it has them). */
const CSMS_CATALOGUE: readonly ScenarioInfo[] = [];
/** How one of them runs against a backend (the kit's runner entry for a URL, once it has one). */
const RUN_AGAINST_BACKEND: RunAgainstBackend | undefined = undefined;

const NONE = 'no _CSMS scenarios in this build: `ocpp-sdk-test csms` has nothing to run yet (`ocpp-sdk-test station` tests chargers)';

const OPTIONS = {
  url: { type: 'string' },
  identity: { type: 'string' },
  protocol: { type: 'string' },
  scenarios: { type: 'string', multiple: true },
  junit: { type: 'string' },
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

/**
 * Runs `ocpp-sdk-test csms` with `argv` (the arguments after `csms`) and resolves with the exit code.
 *
 * @throws UsageError (rejects) for a mistake on the command line, and while this build has no
 * `_CSMS` scenarios.
 */
export async function csmsCommand(argv: readonly string[], io: Io): Promise<number> {
  const v = parseOptions('csms', argv, OPTIONS);
  if (v.help === true) {
    io.out(CSMS_HELP);
    return 0;
  }
  if (v.list === true) {
    if (CSMS_CATALOGUE.length === 0) throw new UsageError(NONE);
    io.out(`CSMS scenarios (id, versions, title):\n${formatList(CSMS_CATALOGUE)}`);
    return 0;
  }
  const url = urlOption(v.url);
  if (v.identity === undefined || v.identity === '') throw new UsageError('--identity is required: the charger identity to connect as');
  const protocol = protocolOption(v.protocol);
  const runOne = RUN_AGAINST_BACKEND;
  if (CSMS_CATALOGUE.length === 0 || runOne === undefined) throw new UsageError(NONE);
  const scenarios = selectScenarios(CSMS_CATALOGUE, protocol, idList(v.scenarios));
  const prompter = io.interactive ? createPrompter(io.input, io.output, 10_000) : undefined;
  const target: CsmsTarget = { url, identity: v.identity, protocol, password: v.password, ask: prompter?.ask };
  io.out(`ocpp-sdk-test csms: ${v.identity} (${protocol}) against ${url}`);
  try {
    return await runAndReport(scenarios, (scenario) => runOne(scenario, target), io, {
      strict: v.strict === true,
      junit: v.junit,
      suiteName: 'ocpp-sdk-test csms',
    });
  } finally {
    prompter?.close();
  }
}
