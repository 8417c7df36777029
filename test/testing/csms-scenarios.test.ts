/**
 * The ready CSMS scenarios (CSMS_SCENARIOS) against the example CSMS (examples/central-system.ts)
 * with a CsmsDriver calling its command functions: all PASS for 1.6, 2.0.1 and 2.1 (those of
 * another version SKIPPED); each FAILs in its own step against a CSMS that misbehaves the way it
 * checks, so none passes vacuously; those that need the CSMS to act are BLOCKED without a driver.
 * Everything listens on 127.0.0.1 port 0 and is closed by the test that opened it.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import WebSocket, { WebSocketServer } from 'ws';
import {
  changeConfiguration,
  createDemoCentralSystem,
  CsmsState,
  DEMO_PATH,
  getConfiguration,
  remoteStart,
  remoteStop,
  reset,
  trigger,
} from '../../examples/central-system';
import type { AnyStation, OcppVersion } from '../../src/index';
import {
  CSMS_SCENARIOS,
  runCsmsScenario,
  runCsmsScenarios,
  toJUnitXml,
  type CsmsDriver,
  type CsmsScenario,
  type ScenarioResult,
} from '../../src/testing/index';

/** How the CSMS under test misbehaves ('correct': it does not). */
type Variant =
  | 'correct'
  | 'pending-boot'
  | 'accepts-any-token'
  | 'rejects-every-token'
  | 'silent-heartbeat'
  | 'never-sends-commands'
  | 'closes-on-bad-frames'
  | 'wrong-error-codes';

/** What each variant does, for test names. */
const DOES: Readonly<Record<Variant, string>> = {
  correct: 'accepts a new charger at once',
  'pending-boot': 'holds a new charger Pending',
  'accepts-any-token': 'accepts any token',
  'rejects-every-token': 'rejects every token',
  'silent-heartbeat': 'never answers Heartbeat',
  'never-sends-commands': 'never sends the commands it is asked to',
  'closes-on-bad-frames': 'drops the connection on a bad frame',
  'wrong-error-codes': 'answers bad frames with the wrong CALLERROR code',
};

const PROFILE = { validToken: 'TAG-001', invalidToken: 'NOT-ON-THE-LIST', messageTimeoutMs: 1500 };

const isPendingBoot = (s: CsmsScenario): boolean => s.id === 'TC_002_CSMS' || s.id === 'TC_B_02_CSMS';

const byId = (id: string): CsmsScenario => {
  const s = CSMS_SCENARIOS.find((x) => x.id === id);
  assert.ok(s, `no scenario ${id}`);
  return s;
};

/** What makes each scenario FAIL, and the title of the step it must fail in. */
const MISBEHAVIOUR: Readonly<Record<string, readonly [Variant, RegExp]>> = {
  TC_001_CSMS: ['pending-boot', /^BootNotification answered Accepted/],
  TC_B_01_CSMS: ['pending-boot', /^BootNotification answered Accepted/],
  TC_002_CSMS: ['correct', /^BootNotification answered Pending/],
  TC_B_02_CSMS: ['correct', /^BootNotification answered Pending/],
  TC_003_CSMS: ['rejects-every-token', /^Authorize of the valid token/],
  TC_E_03_CSMS: ['rejects-every-token', /^Authorize of the valid token/],
  TC_023_1_CSMS: ['accepts-any-token', /^Authorize of the invalid token/],
  TC_C_02_CSMS: ['accepts-any-token', /^Authorize of the invalid token/],
  TC_010_CSMS: ['never-sends-commands', /^Manual action: the CSMS starts a transaction/],
  TC_F_01_CSMS: ['never-sends-commands', /^Manual action: the CSMS starts a transaction/],
  TC_012_CSMS: ['never-sends-commands', /^Manual action: the CSMS stops the transaction/],
  TC_E_21_CSMS: ['never-sends-commands', /^Manual action: the CSMS stops the transaction/],
  TC_013_CSMS: ['never-sends-commands', /^Manual action: the CSMS resets/],
  TC_014_CSMS: ['never-sends-commands', /^Manual action: the CSMS resets/],
  TC_B_20_CSMS: ['never-sends-commands', /^Manual action: the CSMS resets/],
  TC_019_1_CSMS: ['never-sends-commands', /^Manual action: the CSMS reads the configuration/],
  TC_021_CSMS: ['never-sends-commands', /^Manual action: the CSMS sets the configuration key/],
  TC_B_06_CSMS: ['never-sends-commands', /^Manual action: the CSMS reads the variable/],
  TC_B_09_CSMS: ['never-sends-commands', /^Manual action: the CSMS sets the variable/],
  TC_054_CSMS: ['silent-heartbeat', /^The triggered Heartbeat answered/],
  TC_F_20_CSMS: ['silent-heartbeat', /^The triggered Heartbeat answered/],
  TC_RPC_01_CSMS: ['wrong-error-codes', /^A CALL without a payload/],
  TC_RPC_02_CSMS: ['wrong-error-codes', /^A CALL of an unknown action/],
  TC_RPC_03_CSMS: ['wrong-error-codes', /^Authorize without its required field/],
};

/** The scenarios that need the CSMS to act (a driver), and the step that is BLOCKED without one. */
const NEEDS_DRIVER = /^Manual action: the CSMS/;

interface Backend {
  readonly url: string;
  readonly driver: CsmsDriver;
  close(): Promise<void>;
}

/** The example CSMS, misbehaving as `variant` says, with a driver calling its command functions. */
async function exampleCsms(variant: Variant): Promise<Backend> {
  const state = new CsmsState();
  const cs = createDemoCentralSystem({
    state,
    log: false,
    callTimeoutMs: 3000,
    pingIntervalMs: 0,
    ...(variant === 'pending-boot' ? { pendingBootRetrySec: 1 } : {}),
    ...(variant === 'closes-on-bad-frames' ? { maxBadMessages: 0 } : {}),
  });
  const status = variant === 'accepts-any-token' ? 'Accepted' : variant === 'rejects-every-token' ? 'Invalid' : undefined;
  if (status !== undefined) {
    cs.handle('ocpp1.6', 'Authorize', () => ({ idTagInfo: { status } }));
    for (const v of ['ocpp2.0.1', 'ocpp2.1'] as const) cs.handle(v, 'Authorize', () => ({ idTokenInfo: { status } }));
  }
  if (variant === 'silent-heartbeat') {
    // Never answered: the handler ends only when the connection does.
    const hang = (_: unknown, { signal }: { signal: AbortSignal }): Promise<never> =>
      new Promise((_resolve, reject) => signal.addEventListener('abort', () => reject(new Error('connection closed'))));
    for (const v of ['ocpp1.6', 'ocpp2.0.1', 'ocpp2.1'] as const) cs.handle(v, 'Heartbeat', hang);
  }
  const { port } = await cs.listen({ port: 0, host: '127.0.0.1' });
  const at = (identity: string): AnyStation<OcppVersion> => {
    const station = cs.stations.get(identity);
    assert.ok(station, `${identity} is not connected`);
    return station;
  };
  const asks: CsmsDriver = {
    remoteStart: async (id, token, evseId) => void (await remoteStart(at(id), token, evseId, state)),
    remoteStop: async (id, transactionId) => void (await remoteStop(at(id), transactionId)),
    reset: async (id, type) => void (await reset(at(id), type)),
    getConfiguration: async (id, keys) => void (await getConfiguration(at(id), keys)),
    changeConfiguration: async (id, key, value) => void (await changeConfiguration(at(id), key, value)),
    getVariables: async (id, variables) =>
      void (await getConfiguration(
        at(id),
        variables.map((v) => `${v.component}/${v.variable}`),
      )),
    setVariables: async (id, variables) => {
      for (const v of variables) await changeConfiguration(at(id), `${v.component}/${v.variable}`, v.value);
    },
    triggerMessage: async (id, message) => void (await trigger(at(id), message)),
  };
  // A CSMS whose operator's commands never reach the charger: the driver is called, nothing is sent.
  const silent: CsmsDriver = Object.fromEntries(Object.keys(asks).map((k) => [k, () => Promise.resolve()]));
  return { url: `ws://127.0.0.1:${port}${DEMO_PATH}`, driver: variant === 'never-sends-commands' ? silent : asks, close: () => cs.close() };
}

/**
 * A hand-written CSMS (no SDK) that boots chargers and answers Heartbeat and StatusNotification,
 * but answers every frame it does not like, broken or not, with a CALLERROR GenericError, and a
 * CALL without a payload as if it had one.
 */
async function wrongCodesCsms(protocol: OcppVersion): Promise<Backend> {
  const wss = new WebSocketServer({ host: '127.0.0.1', port: 0, handleProtocols: () => protocol });
  await new Promise<void>((resolve) => wss.once('listening', () => resolve()));
  wss.on('connection', (ws: WebSocket) => {
    ws.on('message', (data: Buffer) => {
      let frame: unknown;
      try {
        frame = JSON.parse(data.toString());
      } catch {
        ws.send(JSON.stringify([4, '-1', 'GenericError', 'bad', {}]));
        return;
      }
      if (!Array.isArray(frame) || frame[0] !== 2) return;
      const [, id, action] = frame as [number, string, string];
      const currentTime = new Date().toISOString();
      const answers: Record<string, unknown> = {
        BootNotification: { status: 'Accepted', currentTime, interval: 300 },
        StatusNotification: {},
        Heartbeat: { currentTime },
      };
      ws.send(JSON.stringify(action in answers ? [3, id, answers[action]] : [4, id, 'GenericError', 'no', {}]));
    });
  });
  const { port } = wss.address() as { port: number };
  return {
    url: `ws://127.0.0.1:${port}`,
    driver: {},
    close: () =>
      new Promise<void>((resolve) => {
        for (const c of wss.clients) c.terminate();
        wss.close(() => resolve());
      }),
  };
}

/** Runs `scenarios` against a fresh CSMS of `variant`. */
async function against(protocol: OcppVersion, variant: Variant, scenarios: readonly CsmsScenario[], o: { driver?: boolean } = {}): Promise<ScenarioResult[]> {
  const backend = variant === 'wrong-error-codes' ? await wrongCodesCsms(protocol) : await exampleCsms(variant);
  try {
    return await runCsmsScenarios(scenarios, {
      csms: backend.url,
      protocol,
      identity: `CP-${protocol.replace(/\W/g, '')}`,
      // The Pending scenarios run only against a CSMS the profile says holds new chargers Pending.
      profile: { ...PROFILE, bootPending: scenarios.some(isPendingBoot) },
      timeoutMs: 20_000,
      ...(o.driver === false ? {} : { driver: backend.driver }),
    });
  } finally {
    await backend.close();
  }
}

const explain = (results: readonly ScenarioResult[]): string =>
  results
    .filter((r) => r.verdict !== 'PASS' && r.verdict !== 'SKIPPED')
    .map((r) => `${r.id} ${r.verdict}: ${r.failure}\n${r.transcriptText}`)
    .join('\n\n');

for (const protocol of ['ocpp1.6', 'ocpp2.0.1', 'ocpp2.1'] as const) {
  const mine = CSMS_SCENARIOS.filter((s) => s.versions.includes(protocol));
  const pending = mine.filter(isPendingBoot);
  const rest = mine.filter((s) => !pending.includes(s));

  // Every test has its own CSMS on port 0 and mostly waits on timers: four at once.
  describe(`CSMS scenarios against the example CSMS over ${protocol}`, { concurrency: 4 }, () => {
    test(`every ${protocol} scenario PASSes (the Pending ones against the CSMS holding new chargers Pending); the others are SKIPPED`, async () => {
      const results = await against(protocol, 'correct', [...CSMS_SCENARIOS.filter((s) => !pending.includes(s))]);
      results.push(...(await against(protocol, 'pending-boot', pending)));
      assert.equal(explain(results), '');
      const passed = results.filter((r) => r.verdict === 'PASS').map((r) => r.id);
      assert.deepEqual(new Set(passed), new Set(mine.map((s) => s.id)));
      assert.ok(mine.length >= 10, `${protocol} has ${mine.length} scenarios`);
      const skipped = results.filter((r) => r.verdict === 'SKIPPED');
      assert.equal(skipped.length, CSMS_SCENARIOS.length - mine.length);
      for (const r of skipped) assert.match(r.failure ?? '', new RegExp(`applies to .*, not ${protocol.replace('.', '\\.')}`));
      const xml = toJUnitXml(results);
      assert.match(xml, new RegExp(`tests="${results.length}"`));
    });

    test(`${protocol}: without bootPending in the profile the Pending boot scenario is SKIPPED, naming the field`, async () => {
      const backend = await exampleCsms('correct');
      try {
        const [result] = await runCsmsScenarios(pending, { csms: backend.url, protocol, identity: 'CP-NO-PENDING', profile: PROFILE, timeoutMs: 5000 });
        assert.equal(result.verdict, 'SKIPPED');
        assert.match(result.failure ?? '', /does not apply to this CSMS: .*set bootPending: true/);
      } finally {
        await backend.close();
      }
    });

    for (const s of mine) {
      const [variant, stepTitle] = MISBEHAVIOUR[s.id] ?? assert.fail(`no misbehaviour listed for ${s.id}`);
      test(`${s.id} FAILs against a CSMS that ${DOES[variant]}, in the step "${stepTitle.source.slice(1)}…"`, async () => {
        const [result] = await against(protocol, variant, [s]);
        assert.equal(result.verdict, 'FAIL', `${s.id}: ${result.verdict} ${result.failure ?? ''}`);
        const failed = result.steps.find((st) => st.verdict === 'FAIL');
        assert.ok(failed, 'a failed step');
        assert.match(failed.title, stepTitle, result.failure);
        assert.ok(result.steps.slice(result.steps.indexOf(failed) + 1).every((st) => st.verdict === 'SKIPPED'));
      });
    }

    test('without a driver, the scenarios that need the CSMS to act are BLOCKED in that step; the others still PASS', async () => {
      const results = await against(protocol, 'correct', rest, { driver: false });
      for (const r of results) {
        const needs = byId(r.id).steps.some((st) => NEEDS_DRIVER.test(st.title));
        assert.equal(r.verdict, needs ? 'BLOCKED' : 'PASS', `${r.id}: ${r.failure ?? ''}`);
        if (needs) {
          const blocked = r.steps.find((st) => st.verdict === 'BLOCKED');
          assert.match(blocked?.title ?? '', NEEDS_DRIVER);
          assert.match(r.failure ?? '', /needs a CsmsDriver, and none was given/);
        }
      }
      assert.ok(results.filter((r) => r.verdict === 'BLOCKED').length >= 6);
    });
  });
}

describe('CSMS scenarios: more ways to fail', () => {
  test('TC_RPC_02_CSMS FAILs against a CSMS that drops the connection on a bad frame: it answered but did not stay up', async () => {
    const [result] = await against('ocpp2.0.1', 'closes-on-bad-frames', [byId('TC_RPC_02_CSMS')]);
    assert.equal(result.verdict, 'FAIL');
    assert.match(result.steps.find((st) => st.verdict === 'FAIL')?.title ?? '', /^The CSMS stays up/, result.failure);
  });

  test('a CSMS that cannot be reached FAILs the scenario in its Connected state', async () => {
    const backend = await exampleCsms('correct');
    const { url } = backend;
    await backend.close();
    const result = await runCsmsScenario(byId('TC_B_01_CSMS'), { csms: url, protocol: 'ocpp2.0.1', profile: PROFILE });
    assert.equal(result.verdict, 'FAIL');
    assert.equal(result.steps[0].title, 'State Connected');
    assert.equal(result.steps[0].verdict, 'FAIL');
    assert.ok(result.steps.slice(1).every((st) => st.verdict === 'SKIPPED'));
  });

  test('runCsmsScenario refuses what is not a CSMS scenario or lacks a protocol', async () => {
    await assert.rejects(runCsmsScenario({ id: 'x' } as never, { csms: 'ws://127.0.0.1:9', protocol: 'ocpp1.6' }), TypeError);
    await assert.rejects(runCsmsScenario(byId('TC_001_CSMS'), { csms: 'ws://127.0.0.1:9' } as never), /options\.protocol/);
  });
});
