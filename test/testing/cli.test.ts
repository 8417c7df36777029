/**
 * `ocpp-sdk-test`, the kit's command line (src/cli/), run as users run it: a child process
 * (through tsx) serving as the CSMS on 127.0.0.1 with `--listen 0`, and the SDK's simulated
 * charger (examples/charge-point.ts --no-session) in another process pointed at the URL it
 * prints. Checked: the exit code, the verdict table on stdout, and the JUnit XML file, parsed
 * strictly. Usage errors exit 2 and say what is wrong. Every child is killed in `after`, and
 * each has its own deadline.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, describe, test } from 'node:test';
import { PassThrough } from 'node:stream';
import { main } from '../../src/cli/main';
import { createPrompter, stationDriver } from '../../src/cli/prompt-driver';
import { exitCodeOf, formatReport } from '../../src/cli/report';
import { StepBlockedError, type ScenarioResult, type Verdict } from '../../src/testing/index';
import { createSimulatedCharger } from '../../examples/charge-point';
import type { Io } from '../../src/cli/io';
import { spawnExample, type Spawned } from '../examples/helpers';
import { cases, inProcess, killAll, startCli, track } from './cli-support';
import { parseXml } from './xml';

const work = mkdtempSync(path.join(tmpdir(), 'ocpp-sdk-cli-'));

after(() => {
  killAll();
  rmSync(work, { recursive: true, force: true });
});

/** The simulated charger in its own process, answering the CSMS only (no session of its own). */
function startCharger(protocol: string, url: string, identity: string): Spawned {
  return track(spawnExample('examples/charge-point.ts', ['--no-session', '--protocol', protocol, '--url', url, '--identity', identity], { timeoutMs: 60_000 }));
}

/** Runs the CLI against the simulator and resolves with its exit code, stdout, all output and the JUnit XML. */
async function runAgainstSimulator(protocol: string, identity: string, args: string[]) {
  const junit = path.join(work, `${identity}.xml`);
  const cli = startCli(['station', '--listen', '0', '--protocol', protocol, '--identity', identity, '--junit', junit, '--wait-ms', '20000', ...args]);
  const [, url] = await cli.waitFor(/^Point the charger at (ws:\/\/127\.0\.0\.1:\d+)\//m, 20_000);
  const charger = startCharger(protocol, url, identity);
  const { code, timedOut } = await cli.exited;
  charger.kill();
  const output = `${cli.output()}\n--- charger\n${charger.output()}`;
  assert.equal(timedOut, false, output);
  return { code, stdout: cli.stdout(), output, xml: parseXml(readFileSync(junit, 'utf8')) };
}

describe('ocpp-sdk-test station, against the simulated charger in another process', () => {
  test('1.6: the chosen scenarios PASS, the manual one is BLOCKED (no terminal), exit 0; the table and the JUnit XML say so', async () => {
    const { code, stdout, output, xml } = await runAgainstSimulator('ocpp1.6', 'CLI-16', [
      '--scenarios',
      'TC_028_CS,TC_017_1_CS',
      '--scenarios',
      'TC_013_CS,TC_023_1_CS',
    ]);
    assert.equal(code, 0, output);
    assert.match(stdout, /^Point the charger at ws:\/\/127\.0\.0\.1:\d+\/CLI-16$/m);
    assert.match(stdout, /^CLI-16 booted: BootNotification answered Accepted/m);
    assert.match(stdout, /^ID +TITLE +VERDICT +DURATION$/m);
    for (const id of ['TC_028_CS', 'TC_017_1_CS', 'TC_013_CS']) assert.match(stdout, new RegExp(`^${id} +\\S.* PASS +\\d+ m?s$`, 'm'), stdout);
    assert.match(stdout, /^TC_023_1_CS +Start Charging Session - Authorize invalid +BLOCKED +\d+ m?s$/m);
    assert.match(stdout, /manual action plugIn needs a StationDriver/);
    assert.match(stdout, /^Totals: 4 scenarios: 3 PASS, 0 FAIL, 1 BLOCKED, 0 SKIPPED/m);
    assert.equal(xml.name, 'testsuites');
    assert.deepEqual([xml.attributes.tests, xml.attributes.failures, xml.attributes.errors, xml.attributes.skipped], ['4', '0', '0', '1']);
    const testcases = cases(xml);
    assert.deepEqual(
      testcases.map((c) => c.attributes.name.split(' ')[0]),
      ['TC_028_CS', 'TC_017_1_CS', 'TC_013_CS', 'TC_023_1_CS'],
    );
    assert.ok(testcases.every((c) => !c.children.some((e) => e.name === 'failure')));
    // BLOCKED is a <skipped> unless --strict: the exit code and the report agree.
    assert.match(testcases[3].children.find((e) => e.name === 'skipped')?.attributes.message ?? '', /^BLOCKED: /);
  });

  test('2.0.1: a scenario the charger fails (the profile names a connector it lacks) exits 1, with the failing step in the table and a <failure> in the JUnit XML', async () => {
    const profile = path.join(work, 'two.json');
    writeFileSync(profile, JSON.stringify({ connectorId: 2, messageTimeoutMs: 3000 }));
    const { code, stdout, output, xml } = await runAgainstSimulator('ocpp2.0.1', 'CLI-201', ['--scenarios', 'TC_F_09_CS,TC_F_06_CS', '--profile', profile]);
    assert.equal(code, 1, output);
    assert.match(stdout, /^TC_F_09_CS +.* PASS +\d+ m?s$/m);
    assert.match(stdout, /^TC_F_06_CS +.* FAIL +\d+ m?s$/m);
    assert.match(
      stdout,
      /^FAIL TC_F_06_CS .*\n {4}step 2 \(UnlockConnector is answered Unlocked\): CLI-201: expected the answer to UnlockConnector: status to be "Unlocked"\n {6}but it was "UnknownConnector"/m,
    );
    assert.match(stdout, /^Totals: 2 scenarios: 1 PASS, 1 FAIL, 0 BLOCKED, 0 SKIPPED/m);
    assert.match(stdout, /^Result: FAIL$/m);
    assert.deepEqual([xml.attributes.tests, xml.attributes.failures], ['2', '1']);
    const failure = cases(xml)[1].children.find((e) => e.name === 'failure');
    assert.ok(failure, 'no <failure> for TC_F_06_CS');
    assert.match(failure.attributes.message, /UnlockConnector is answered Unlocked/);
  });
});

describe('ocpp-sdk-test usage', () => {
  test('an unknown option exits 2 (a child process) naming it', async () => {
    const cli = startCli(['station', '--protocol', 'ocpp1.6', '--bogus'], 20_000);
    const { code } = await cli.exited;
    assert.equal(code, 2, cli.output());
    assert.match(cli.output(), /ocpp-sdk-test: station: Unknown option '--bogus'/);
    assert.equal(cli.stdout(), '');
  });

  test('mistakes exit 2 and say what is wrong: an unknown scenario id (listing the known ones), no --protocol, a bad port, a bad profile, an unknown command', async () => {
    const unknown = await inProcess('station', '--protocol', 'ocpp1.6', '--scenarios', 'TC_001_CS,TC_999_CS');
    assert.equal(unknown.code, 2);
    assert.match(unknown.err, /unknown scenario 'TC_999_CS'; the known ones are:\n {2}TC_001_CS +ocpp1\.6 +Cold Boot Charge Point\n/);
    assert.match(unknown.err, /TC_B_01_CS +ocpp2\.0\.1 +Cold Boot Charging Station - Accepted/);
    const cases: Array<[string[], RegExp]> = [
      // The versions of the charging-station scenarios, not every version the SDK speaks.
      [['station'], /--protocol is required: one of ocpp1\.6, ocpp2\.0\.1, ocpp2\.1$/m],
      [['station', '--protocol', 'ocpp1.5'], /--protocol must be one of ocpp1\.6, ocpp2\.0\.1, ocpp2\.1, got 'ocpp1\.5'/],
      [['station', '--protocol', 'ocpp1.6', '--listen', '70000'], /--listen takes a whole number from 0 to 65535, got '70000'/],
      [['station', '--protocol', 'ocpp1.6', '--scenarios', 'TC_001_CS,,'], /--scenarios takes scenario ids separated by commas/],
      [['station', '--protocol', 'ocpp1.6', '--profile', path.join(work, 'missing.json')], /--profile: cannot read/],
      [['station', '--protocol', 'ocpp1.6', 'extra'], /station: unexpected argument 'extra'$/m],
      [['station', '--protocol', 'ocpp1.6', '--junit', path.join(work, 'no-such-dir', 'x.xml')], /--junit: the folder of .* does not exist/],
      [['charger'], /unknown command 'charger': use station or csms/],
    ];
    for (const [argv, message] of cases) {
      const r = await inProcess(...argv);
      assert.equal(r.code, 2, `${argv.join(' ')}: ${r.out}${r.err}`);
      assert.match(r.err, message, argv.join(' '));
    }
    const badProfile = path.join(work, 'bad.json');
    writeFileSync(badProfile, JSON.stringify({ conectorId: 2 }));
    assert.match(
      (await inProcess('station', '--protocol', 'ocpp1.6', '--profile', badProfile)).err,
      /unknown field 'conectorId'.*the fields are evseId, connectorId/,
    );
    writeFileSync(badProfile, JSON.stringify({ connectorIds: [] }));
    assert.match(
      (await inProcess('station', '--protocol', 'ocpp1.6', '--profile', badProfile)).err,
      /'connectorIds' .* must be a non-empty list of whole numbers, got \[\]/,
    );
  });

  test('--help and --list print and exit 0; no command prints the help and exits 2', async () => {
    const help = await inProcess('station', '--help');
    assert.equal(help.code, 0);
    for (const option of [
      '--protocol',
      '--listen',
      '--host',
      '--identity',
      '--scenarios',
      '--junit',
      '--profile',
      '--password',
      '--wait-ms',
      '--strict',
      '--list',
    ])
      assert.match(help.out, new RegExp(`^ {2}${option} `, 'm'), option);
    assert.equal((await inProcess('--help')).code, 0);
    assert.equal((await inProcess()).code, 2);
    const list = await inProcess('station', '--list', '--protocol', 'ocpp2.0.1');
    assert.equal(list.code, 0);
    assert.match(list.out, /^ {2}TC_B_01_CS +ocpp2\.0\.1 +Cold Boot Charging Station - Accepted$/m);
    assert.doesNotMatch(list.out, /TC_001_CS/);
    assert.match((await inProcess('station', '--list')).out, /TC_001_CS[\s\S]*TC_B_01_CS/);
  });

  test('--password: a charger with the wrong Basic-auth password is refused, the right one is tested', async () => {
    let out = '';
    let announced: (url: string) => void = () => undefined;
    const url = new Promise<string>((resolve) => (announced = resolve));
    const io: Io = {
      out: (t) => {
        out += `${t}\n`;
        const m = /^Point the charger at (ws:\/\/127\.0\.0\.1:\d+)\/PW-1 \(Basic auth required\)$/m.exec(out);
        if (m) announced(m[1]);
      },
      err: (t) => void (out += `${t}\n`),
      interactive: false,
      input: process.stdin,
      output: process.stdout,
    };
    const run = main(
      ['station', '--listen', '0', '--protocol', 'ocpp1.6', '--identity', 'PW-1', '--password', 's3cret-pw', '--scenarios', 'TC_028_CS', '--wait-ms', '10000'],
      io,
    );
    const endpoint = await url;
    const charger = (password: string) =>
      createSimulatedCharger('ocpp1.6', { url: endpoint, identity: 'PW-1', chargePoint: { password, reconnect: false, pingIntervalMs: 0 } });
    const wrong = charger('not-it');
    await assert.rejects(wrong.start(), /401/);
    const right = charger('s3cret-pw');
    try {
      void right.start().catch(() => undefined);
      assert.equal(await run, 0, out);
    } finally {
      await right.stop();
      await wrong.stop();
    }
    assert.match(out, /^TC_028_CS +.* PASS +\d+ m?s$/m);
  });

  test('no charger within --wait-ms: exit 1, saying so', async () => {
    const r = await inProcess('station', '--listen', '0', '--protocol', 'ocpp1.6', '--wait-ms', '200');
    assert.equal(r.code, 1);
    assert.match(r.err, /no charger connected within 200 ms/);
    assert.match(r.out, /^Point the charger at ws:\/\/127\.0\.0\.1:\d+\/<identity>$/m);
  });
});

describe('the prompting driver of an interactive run', () => {
  test('prints the instruction and resolves on Enter; s then Enter rejects with StepBlockedError (the step is BLOCKED)', async () => {
    const input = new PassThrough();
    const output = new PassThrough();
    let shown = '';
    output.on('data', (chunk: Buffer) => (shown += chunk.toString('utf8')));
    const prompter = createPrompter(input, output, 10_000);
    try {
      const driver = stationDriver(prompter.ask);
      const plugged = driver.plugIn!(1);
      await new Promise((resolve) => setImmediate(resolve));
      assert.match(
        shown,
        />>> Plug in the cable on connector 1, then press Enter \(s then Enter skips it: BLOCKED\)\.\n {4}The reaction is awaited for 10 s from now\./,
      );
      input.write('\n');
      await plugged;
      const token = driver.presentToken!('TAG-9');
      await new Promise((resolve) => setImmediate(resolve));
      assert.match(shown, /Present the token TAG-9 at the charger's reader/);
      input.write('s\n');
      await assert.rejects(
        token,
        (error: unknown) => error instanceof StepBlockedError && /skipped at the prompt: Present the token TAG-9/.test(error.message),
      );
      assert.deepEqual(Object.keys(driver).sort(), ['dropNetwork', 'fault', 'plugIn', 'powerCycle', 'presentToken', 'restoreNetwork', 'unplug']);
    } finally {
      prompter.close();
    }
  });
});

describe('the verdicts and the exit code', () => {
  const result = (id: string, verdict: Verdict, failure?: string): ScenarioResult => ({
    id,
    title: `title of ${id}`,
    requirements: [],
    protocol: 'ocpp1.6',
    identity: 'CP',
    verdict,
    startedAt: '2026-01-01T00:00:00.000Z',
    durationMs: 1500,
    steps: [],
    transcript: [],
    transcriptText: '',
    ...(failure === undefined ? {} : { failure }),
  });

  test('BLOCKED and SKIPPED fail the run only with --strict; a FAIL always does', () => {
    const soft = [result('A', 'PASS'), result('B', 'BLOCKED', 'step 1 (x): no driver'), result('C', 'SKIPPED', 'applies to ocpp2.0.1')];
    assert.equal(exitCodeOf(soft, { strict: false }), 0);
    assert.equal(exitCodeOf(soft, { strict: true }), 1);
    assert.equal(exitCodeOf([result('A', 'PASS'), result('D', 'FAIL', 'step 2 (y): boom')], { strict: false }), 1);
    const text = formatReport(soft, { strict: true });
    assert.match(text, /^B +title of B +BLOCKED +1\.5 s$/m);
    assert.match(text, /^Skipped:\n {2}C: applies to ocpp2\.0\.1$/m);
    assert.match(text, /^Totals: 3 scenarios: 1 PASS, 0 FAIL, 1 BLOCKED, 1 SKIPPED \(4\.5 s\)$/m);
    assert.match(text, /^Result: FAIL, BLOCKED or SKIPPED \(--strict\)$/m);
    assert.match(formatReport(soft, { strict: false }), /^Result: no FAIL$/m);
  });
});
