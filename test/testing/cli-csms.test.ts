/**
 * `ocpp-sdk-test csms`, run as users run it: the CLI in a child process (through tsx) connecting
 * as a charger to the example CSMS (examples/central-system.ts) started in another process on
 * 127.0.0.1 with PORT=0 (the port it prints is read), holding a new charger Pending once
 * (PENDING_BOOT_RETRY_SEC=1, and `bootPending` in the profile) so that both boot scenarios of a version pass in one run.
 * Checked: the exit code, the verdict table on stdout, and the JUnit XML, parsed strictly; usage
 * errors exit 2; the prompting CsmsDriver. Every child is killed in `after`, each has a deadline.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { after, before, describe, test } from 'node:test';
import { createPrompter, csmsDriver } from '../../src/cli/prompt-driver';
import { CSMS_SCENARIOS, StepBlockedError, type CsmsDriver, type CsmsScenario } from '../../src/testing/index';
import { spawnExample } from '../examples/helpers';
import { cases, inProcess, killAll, startCli, track } from './cli-support';
import { parseXml } from './xml';

const work = mkdtempSync(path.join(tmpdir(), 'ocpp-sdk-cli-csms-'));
/** The example's allow-list has TAG-001; a short timeout keeps a failing run short. */
const profile = path.join(work, 'csms.json');
writeFileSync(
  profile,
  JSON.stringify({ $comment: 'the example CSMS', validToken: 'TAG-001', invalidToken: 'NOT-ON-THE-LIST', messageTimeoutMs: 3000, bootPending: true }),
);
let url = '';

before(async () => {
  const csms = track(
    spawnExample('examples/central-system.ts', [], { env: { PORT: '0', HOST: '127.0.0.1', PENDING_BOOT_RETRY_SEC: '1' }, timeoutMs: 120_000 }),
  );
  [, url] = await csms.waitFor(/^CSMS listening on (ws:\/\/127\.0\.0\.1:\d+\/ocpp)\//m, 20_000);
});

after(() => {
  killAll();
  rmSync(work, { recursive: true, force: true });
});

/** Runs the CLI against the example CSMS and resolves with its exit code, stdout, all output and the JUnit XML. */
async function runCsms(protocol: string, identity: string, args: string[]) {
  const junit = path.join(work, `${identity}.xml`);
  const cli = startCli(['csms', '--url', url, '--identity', identity, '--protocol', protocol, '--profile', profile, '--junit', junit, ...args]);
  const { code, timedOut } = await cli.exited;
  assert.equal(timedOut, false, cli.output());
  return { code, stdout: cli.stdout(), output: cli.output(), xml: parseXml(readFileSync(junit, 'utf8')) };
}

/** Whether a scenario needs the CSMS to act on the tester's request (BLOCKED without a driver). */
const needsDriver = (s: CsmsScenario): boolean => s.steps.some((st) => /^Manual action: the CSMS/.test(st.title));

describe('ocpp-sdk-test csms, against the example CSMS in another process', () => {
  for (const [protocol, pendingId] of [
    ['ocpp1.6', 'TC_002_CSMS'],
    ['ocpp2.0.1', 'TC_B_02_CSMS'],
  ] as const) {
    const mine = CSMS_SCENARIOS.filter((s) => s.versions.includes(protocol));
    // The Pending boot first: the CSMS holds the new identity Pending once, then accepts it.
    const ordered = [...mine.filter((s) => s.id === pendingId), ...mine.filter((s) => s.id !== pendingId)];
    const blocked = mine.filter(needsDriver);

    test(`${protocol}: every scenario of the version PASSes or, needing the CSMS to act, is BLOCKED (no terminal); exit 0; the table and the JUnit XML say so`, async () => {
      const identity = `CLI-CSMS-${protocol.replace(/\W/g, '')}`;
      const { code, stdout, output, xml } = await runCsms(protocol, identity, ['--scenarios', ordered.map((s) => s.id).join(',')]);
      assert.equal(code, 0, output);
      assert.match(
        stdout,
        new RegExp(
          `^ocpp-sdk-test csms: connecting as ${identity} \\(${protocol.replace(/\./g, '\\.')}\\) to ws://127\\.0\\.0\\.1:\\d+/ocpp/${identity}$`,
          'm',
        ),
      );
      assert.match(stdout, /manual actions on the CSMS are BLOCKED \(not an interactive terminal\)/);
      assert.match(stdout, /^ID +TITLE +VERDICT +DURATION$/m);
      for (const s of mine) assert.match(stdout, new RegExp(`^${s.id} +\\S.* ${needsDriver(s) ? 'BLOCKED' : 'PASS'} +[\\d.]+ m?s$`, 'm'), s.id);
      assert.match(stdout, /needs a CsmsDriver, and none was given/);
      const passed = mine.length - blocked.length;
      assert.match(stdout, new RegExp(`^Totals: ${mine.length} scenarios: ${passed} PASS, 0 FAIL, ${blocked.length} BLOCKED, 0 SKIPPED`, 'm'));
      assert.match(stdout, /^Result: no FAIL$/m);
      assert.ok(blocked.length >= 5 && passed >= 6, `${passed} PASS, ${blocked.length} BLOCKED`);

      assert.equal(xml.name, 'testsuites');
      const testcases = cases(xml);
      assert.equal(testcases.length, mine.length);
      assert.deepEqual(
        testcases.map((c) => c.attributes.name.split(' ')[0]),
        ordered.map((s) => s.id),
      );
      assert.deepEqual([xml.attributes.tests, xml.attributes.failures, xml.attributes.errors], [String(mine.length), '0', '0']);
      assert.ok(testcases.every((c) => !c.children.some((e) => e.name === 'failure' || e.name === 'error')));
      const skippedIds = testcases
        .filter((c) => c.children.some((e) => e.name === 'skipped' && /^BLOCKED: /.test(e.attributes.message)))
        .map((c) => c.attributes.name.split(' ')[0]);
      assert.deepEqual(new Set(skippedIds), new Set(blocked.map((s) => s.id)));
    });
  }

  test('a CSMS that does not accept the charger (it holds this new identity Pending): TC_001_CSMS FAILs, exit 1, the step in the table and a <failure> in the JUnit XML', async () => {
    const { code, stdout, output, xml } = await runCsms('ocpp1.6', 'CLI-CSMS-NEW', ['--scenarios', 'TC_001_CSMS,TC_RPC_02_CSMS']);
    assert.equal(code, 1, output);
    assert.match(stdout, /^TC_001_CSMS +Cold Boot Charge Point +FAIL +\d+ m?s$/m);
    assert.match(
      stdout,
      /^FAIL TC_001_CSMS .*\n {4}step 2 \(BootNotification answered Accepted, with a heartbeat interval\): CLI-CSMS-NEW: expected the answer to BootNotification: status to be "Accepted"\n {6}but it was "Pending"/m,
    );
    assert.match(stdout, /^Totals: 2 scenarios: 1 PASS, 1 FAIL, 0 BLOCKED, 0 SKIPPED/m);
    assert.match(stdout, /^Result: FAIL$/m);
    assert.deepEqual([xml.attributes.tests, xml.attributes.failures], ['2', '1']);
    const failure = cases(xml)[0].children.find((e) => e.name === 'failure');
    assert.ok(failure, 'no <failure> for TC_001_CSMS');
    assert.match(failure.attributes.message, /BootNotification answered Accepted/);
  });

  test('ocpp2.1 is taken (the CSMS scenarios declare it): the boot scenarios PASS over 2.1', async () => {
    const r = await inProcess(
      'csms',
      '--url',
      url,
      '--identity',
      'CLI-CSMS-21',
      '--protocol',
      'ocpp2.1',
      '--profile',
      profile,
      '--scenarios',
      'TC_B_02_CSMS,TC_B_01_CSMS',
    );
    assert.equal(r.code, 0, r.out + r.err);
    assert.match(r.out, /^Totals: 2 scenarios: 2 PASS, 0 FAIL, 0 BLOCKED, 0 SKIPPED/m);
  });
});

describe('ocpp-sdk-test csms usage', () => {
  test('--list lists the _CSMS scenarios (of --protocol, when given) and exits 0', async () => {
    const all = await inProcess('csms', '--list');
    assert.equal(all.code, 0);
    for (const s of CSMS_SCENARIOS) assert.match(all.out, new RegExp(`^ {2}${s.id} +${s.versions.join(',').replace(/\./g, '\\.')} +`, 'm'), s.id);
    const v201 = await inProcess('csms', '--list', '--protocol', 'ocpp2.0.1');
    assert.match(v201.out, /^ {2}TC_B_01_CSMS +ocpp2\.0\.1,ocpp2\.1 +Cold Boot Charging Station - Accepted$/m);
    assert.doesNotMatch(v201.out, /TC_001_CSMS/);
    const help = await inProcess('csms', '--help');
    assert.equal(help.code, 0);
    for (const option of ['--url', '--identity', '--protocol', '--scenarios', '--junit', '--profile', '--password', '--strict', '--list'])
      assert.match(help.out, new RegExp(`^ {2}${option} `, 'm'), option);
    assert.match(help.out, /--protocol VERSION +ocpp1\.6, ocpp2\.0\.1 or ocpp2\.1 \(required\)/);
  });

  test('an unknown option exits 2 (a child process) naming it', async () => {
    const cli = startCli(['csms', '--url', 'ws://127.0.0.1:1/ocpp', '--identity', 'CP1', '--protocol', 'ocpp1.6', '--bogus'], 20_000);
    const { code } = await cli.exited;
    assert.equal(code, 2, cli.output());
    assert.match(cli.output(), /ocpp-sdk-test: csms: Unknown option '--bogus'/);
    assert.equal(cli.stdout(), '');
  });

  test('mistakes exit 2 and say what is wrong: no or a bad --url, no --identity, a bad --protocol, an unknown id, a bad profile', async () => {
    const base = ['csms', '--url', 'ws://127.0.0.1:1/ocpp', '--identity', 'CP1'];
    const write = (name: string, data: unknown): string => {
      const file = path.join(work, name);
      writeFileSync(file, JSON.stringify(data));
      return file;
    };
    const mistakes: Array<[string[], RegExp]> = [
      [['csms', '--identity', 'CP1', '--protocol', 'ocpp1.6'], /--url is required/],
      [['csms', '--url', 'http://127.0.0.1:1/ocpp', '--identity', 'CP1', '--protocol', 'ocpp1.6'], /--url must be a ws:\/\/ or wss:\/\/ URL/],
      [['csms', '--url', 'ws://127.0.0.1:1/ocpp', '--protocol', 'ocpp1.6'], /--identity is required/],
      [base, /--protocol is required: one of ocpp1\.6, ocpp2\.0\.1, ocpp2\.1$/m],
      [[...base, '--protocol', 'ocpp1.5'], /--protocol must be one of ocpp1\.6, ocpp2\.0\.1, ocpp2\.1, got 'ocpp1\.5'/],
      [
        [...base, '--protocol', 'ocpp1.6', '--scenarios', 'TC_001_CSMS,TC_999_CSMS'],
        /unknown scenario 'TC_999_CSMS'; the known ones are:\n {2}TC_002_CSMS +ocpp1\.6 +Cold Boot/,
      ],
      [[...base, '--protocol', 'ocpp1.6', '--password', ''], /--password must not be empty/],
      [[...base, '--protocol', 'ocpp1.6', '--junit', path.join(work, 'no-such-dir', 'x.xml')], /--junit: the folder of .* does not exist/],
      [
        [...base, '--protocol', 'ocpp1.6', '--profile', write('typo.json', { validTokn: 'X' })],
        /unknown field 'validTokn'.*the fields are evseId, connectorId, validToken/,
      ],
      [
        [...base, '--protocol', 'ocpp1.6', '--profile', write('var.json', { variable: 'OCPPCommCtrlr.HeartbeatInterval' })],
        /'variable' .* must be an object \{ "component"/,
      ],
      [[...base, '--protocol', 'ocpp1.6', '--profile', write('station.json', { heartbeatIntervalS: 60 })], /unknown field 'heartbeatIntervalS'/],
    ];
    for (const [argv, message] of mistakes) {
      const r = await inProcess(...argv);
      assert.equal(r.code, 2, `${argv.join(' ')}: ${r.out}${r.err}`);
      assert.match(r.err, message, argv.join(' '));
      assert.match(r.err, /\(ocpp-sdk-test csms --help lists the options\)/);
    }
  });
});

describe('the prompting CsmsDriver of an interactive run', () => {
  test('asks for each command by the message the CSMS should send (1.6 and 2.x names), with the profile timeout; Enter resolves, s rejects (BLOCKED)', async () => {
    const input = new PassThrough();
    const output = new PassThrough();
    let shown = '';
    output.on('data', (chunk: Buffer) => (shown += chunk.toString('utf8')));
    const prompter = createPrompter(input, output, 3000);
    const answer = async (pending: Promise<void>, line: string): Promise<void> => {
      await new Promise((resolve) => setImmediate(resolve));
      input.write(line);
      await pending;
    };
    try {
      const v16 = csmsDriver(prompter.ask, 'ocpp1.6');
      await answer(v16.remoteStart!('CP1', 'TAG-001', 1), '\n');
      assert.match(
        shown,
        />>> Make the CSMS send RemoteStartTransaction to CP1 for idTag TAG-001 on connector 1, then press Enter \(s then Enter skips it: BLOCKED\)\.\n {4}The reaction is awaited for 3 s from now\./,
      );
      await answer(v16.getConfiguration!('CP1', []), '\n');
      assert.match(shown, /Make the CSMS send GetConfiguration to CP1 for all keys, then press Enter/);
      const v2 = csmsDriver(prompter.ask, 'ocpp2.0.1');
      await answer(v2.remoteStop!('CP2', 'tx-7'), '\n');
      assert.match(shown, /Make the CSMS send RequestStopTransaction to CP2 for transaction tx-7, then/);
      await answer(v2.setVariables!('CP2', [{ component: 'OCPPCommCtrlr', variable: 'HeartbeatInterval', value: '300' }]), '\n');
      assert.match(shown, /Make the CSMS send SetVariables to CP2 setting OCPPCommCtrlr\.HeartbeatInterval to 300, then/);
      await assert.rejects(
        answer(v2.reset!('CP2', 'OnIdle'), 's\n'),
        (error: unknown) => error instanceof StepBlockedError && /skipped at the prompt: Make the CSMS send Reset \(OnIdle\) to CP2/.test(error.message),
      );
      const methods: Array<keyof CsmsDriver> = [
        'changeConfiguration',
        'getConfiguration',
        'getVariables',
        'remoteStart',
        'remoteStop',
        'reset',
        'setVariables',
        'triggerMessage',
      ];
      assert.deepEqual(Object.keys(v2).sort(), methods);
    } finally {
      prompter.close();
    }
  });
});
