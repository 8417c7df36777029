/**
 * examples/charge-point.ts: the simulated chargers run sessions against a test central system
 * in all three versions, keep their state, answer every command they claim to, and the script runs
 * one session with --once (exit 0) or fails (exit 1) when its idTag is refused.
 */
import assert from 'node:assert/strict';
import path from 'node:path';
import { describe, test } from 'node:test';
import type { CentralSystem, OcppVersion } from '../../src/index';
import {
  changeConfiguration,
  createDemoCentralSystem,
  CsmsState,
  DEMO_PATH,
  DEMO_TARIFF_ID_TAGS,
  getConfiguration,
  getLocalListVersion,
  remoteStart,
  remoteStop,
  reset,
  sendLocalList,
  trigger,
  unlock,
} from '../../examples/central-system';
import { createSimulatedCharger, SimulatedCharger16, SimulatedCharger201, SimulatedCharger21, type SimulatedCharger } from '../../examples/charge-point';
import { ROOT, runExample } from './helpers';

async function setup(
  t: { after(fn: () => unknown): void },
  protocol: OcppVersion,
  identity: string,
): Promise<{ cs: CentralSystem<OcppVersion>; state: CsmsState; charger: SimulatedCharger; url: string }> {
  const state = new CsmsState();
  const cs = createDemoCentralSystem({ state, log: false, callTimeoutMs: 2000 });
  const { port } = await cs.listen({ port: 0, host: '127.0.0.1' });
  const url = `ws://127.0.0.1:${port}${DEMO_PATH}`;
  const charger = createSimulatedCharger(protocol, { url, identity, meterIntervalMs: 40 });
  t.after(async () => {
    await charger.stop();
    await cs.close();
  });
  await charger.start();
  return { cs, state, charger, url };
}

const station = (cs: CentralSystem<OcppVersion>, identity: string) => {
  const s = cs.stations.get(identity);
  assert.ok(s, `${identity} is connected`);
  return s;
};

for (const protocol of ['ocpp1.6', 'ocpp2.0.1'] as const) {
  describe(`examples/charge-point.ts (${protocol})`, () => {
    test('boots, reports its connector, runs a local session with meter values', async (t) => {
      const { state, charger } = await setup(t, protocol, `LOCAL-${protocol}`);
      assert.ok(charger instanceof (protocol === 'ocpp1.6' ? SimulatedCharger16 : SimulatedCharger201));
      const record = state.stations.get(charger.identity);
      assert.equal(record?.boot?.model, protocol === 'ocpp1.6' ? 'Sim-16' : 'Sim-201');
      const samples: number[] = [];
      state.on('meterValues', (e) => e.energyWh !== undefined && samples.push(e.energyWh));
      const tx = await charger.runSession({ samples: 2 });
      assert.ok(tx?.authorized);
      assert.ok(tx.meterStopWh > tx.meterStartWh);
      assert.equal(samples.length, 2);
      const seen = state.transactions.get(charger.identity, tx.id);
      assert.deepEqual([seen?.stopReason, seen?.meterWh, charger.transaction], ['Local', tx.meterStopWh, undefined]);
      // A refused idTag: no transaction.
      assert.equal(await charger.runSession({ idTag: 'NOT-ALLOWED' }), undefined);
    });

    test('remote start and stop; a second start, or a stop of another transaction, is rejected', async (t) => {
      const { cs, state, charger } = await setup(t, protocol, `REMOTE-${protocol}`);
      const s = station(cs, charger.identity);
      const started = state.next('transactionStarted');
      assert.equal((await remoteStart(s, 'TAG-002', 1, state)).response.status, 'Accepted');
      const tx = await started;
      assert.equal(tx.idTag, 'TAG-002');
      assert.equal((await remoteStart(s, 'TAG-002', 1, state)).response.status, 'Rejected');
      assert.equal((await remoteStop(s, protocol === 'ocpp1.6' ? 999 : 'other')).response.status, 'Rejected');
      const ended = state.next('transactionEnded');
      assert.equal((await remoteStop(s, tx.id)).response.status, 'Accepted');
      assert.equal((await ended).stopReason, 'Remote');
    });

    test('configuration: read, change, refuse read-only, malformed and unknown keys', async (t) => {
      const { cs, charger } = await setup(t, protocol, `CONFIG-${protocol}`);
      const s = station(cs, charger.identity);
      const v16 = protocol === 'ocpp1.6';
      const hb = v16 ? 'HeartbeatInterval' : 'OCPPCommCtrlr/HeartbeatInterval';
      assert.equal((await changeConfiguration(s, hb, '60')).status, 'Accepted');
      assert.equal(charger.config.get(hb)?.value, '60');
      assert.equal((await changeConfiguration(s, hb, 'soon')).status, 'Rejected');
      assert.equal((await changeConfiguration(s, v16 ? 'NumberOfConnectors' : 'SecurityCtrlr/Identity', '2')).status, 'Rejected');
      assert.equal((await changeConfiguration(s, v16 ? 'NoSuchKey' : 'NoSuchCtrlr/X', '1')).status, v16 ? 'NotSupported' : 'UnknownComponent');
      const { response } = await getConfiguration(s, [hb, v16 ? 'NoSuchKey' : 'OCPPCommCtrlr/NoSuchVariable']);
      if (v16) {
        assert.deepEqual(response, { configurationKey: [{ key: hb, readonly: false, value: '60' }], unknownKey: ['NoSuchKey'] });
        const all = (await getConfiguration(s)).response as { configurationKey: unknown[] };
        // Every key but the write-only password (AuthorizationKey), which is never read back.
        assert.equal(all.configurationKey.length, [...charger.config.values()].filter((e) => e.writeOnly !== true).length);
        assert.ok(!JSON.stringify(all).includes('AuthorizationKey'));
      } else {
        const results = (response as { getVariableResult: Array<{ attributeStatus: string; attributeValue?: string }> }).getVariableResult;
        assert.deepEqual(
          results.map((r) => [r.attributeStatus, r.attributeValue]),
          [
            ['Accepted', '60'],
            ['UnknownVariable', undefined],
          ],
        );
      }
    });

    test('trigger, unlock, local list and reset', async (t) => {
      const { cs, state, charger } = await setup(t, protocol, `CMDS-${protocol}`);
      const v16 = protocol === 'ocpp1.6';
      const status = state.next('status', (e) => e.identity === charger.identity);
      assert.equal((await trigger(station(cs, charger.identity), 'StatusNotification')).response.status, 'Accepted');
      assert.equal((await status).status, 'Available');
      if (!v16) assert.equal((await trigger(station(cs, charger.identity), 'SignV2GCertificate')).response.status, 'NotImplemented');
      assert.equal((await trigger(station(cs, charger.identity), 'Heartbeat', 2)).response.status, 'Rejected');

      // Local list: a full list, its version, and a differential update that is not newer.
      assert.equal((await sendLocalList(station(cs, charger.identity), 4, ['A', 'B'])).response.status, 'Accepted');
      assert.deepEqual([...charger.localList.idTags], ['A', 'B']);
      assert.equal((await getLocalListVersion(station(cs, charger.identity))).listVersion, 4);
      assert.equal((await sendLocalList(station(cs, charger.identity), 4, ['C'], 'Differential')).response.status, 'VersionMismatch');

      // Unlock while charging: 1.6 stops the transaction and unlocks; 2.0.1 refuses while a transaction runs.
      const started = state.next('transactionStarted');
      await remoteStart(station(cs, charger.identity), 'TAG-001', 1, state);
      const tx = await started;
      await state.next('status', (e) => e.status !== 'Available');
      if (v16) {
        const ended = state.next('transactionEnded');
        assert.equal((await unlock(station(cs, charger.identity))).response.status, 'Unlocked');
        assert.equal((await ended).stopReason, 'UnlockCommand');
      } else {
        assert.equal((await unlock(station(cs, charger.identity))).response.status, 'OngoingAuthorizedTransaction');
        assert.equal((await unlock(station(cs, charger.identity), 2)).response.status, 'UnknownConnector');
        // OnIdle during a transaction: scheduled, then done once the transaction ends.
        assert.equal((await reset(station(cs, charger.identity), 'OnIdle')).response.status, 'Scheduled');
        const rebooted = charger.nextEvent('ready');
        await remoteStop(station(cs, charger.identity), tx.id);
        assert.equal((await rebooted).boots, 2);
        assert.equal(state.transactions.get(charger.identity, tx.id)?.stopReason, 'Remote');
      }
      // Reset: the charger closes the connection, connects again and boots.
      const ready = charger.nextEvent('ready');
      assert.equal((await reset(station(cs, charger.identity), v16 ? 'Hard' : 'Immediate')).response.status, 'Accepted');
      assert.equal((await ready).boots, v16 ? 2 : 3);
      assert.equal(state.stations.get(charger.identity)?.boot?.reason, v16 ? undefined : 'RemoteReset');
    });
  });
}

describe('examples/charge-point.ts (ocpp2.1)', () => {
  test('a 2.1 station does what the 2.0.1 one does: session, remote start and stop, configuration, reset', async (t) => {
    const { cs, state, charger } = await setup(t, 'ocpp2.1', 'LOCAL-21');
    assert.ok(charger instanceof SimulatedCharger21);
    assert.equal(station(cs, charger.identity).protocol, 'ocpp2.1');
    assert.equal(state.stations.get(charger.identity)?.boot?.model, 'Sim-21');
    const tx = await charger.runSession({ samples: 2 });
    assert.ok(tx?.authorized);
    assert.equal(state.transactions.get(charger.identity, tx.id)?.stopReason, 'Local');
    assert.equal(await charger.runSession({ idTag: 'NOT-ALLOWED' }), undefined);

    const s = station(cs, charger.identity);
    const started = state.next('transactionStarted', (e) => e.identity === charger.identity);
    assert.equal((await remoteStart(s, 'TAG-002', 1, state)).response.status, 'Accepted');
    const remote = await started;
    const ended = state.next('transactionEnded', (e) => e.id === remote.id);
    assert.equal((await remoteStop(s, remote.id)).response.status, 'Accepted');
    assert.equal((await ended).stopReason, 'Remote');

    assert.equal((await changeConfiguration(s, 'OCPPCommCtrlr/HeartbeatInterval', '60')).status, 'Accepted');
    const { response } = await getConfiguration(s, ['OCPPCommCtrlr/HeartbeatInterval']);
    assert.equal((response as { getVariableResult: Array<{ attributeValue?: string }> }).getVariableResult[0].attributeValue, '60');
    assert.equal((await trigger(s, 'Heartbeat')).response.status, 'Accepted');
    assert.equal((await sendLocalList(s, 2, ['A'])).response.status, 'Accepted');
    assert.equal((await getLocalListVersion(s)).listVersion, 2);
    assert.equal((await unlock(s)).response.status, 'Unlocked');
    const ready = charger.nextEvent('ready');
    assert.equal((await reset(s, 'Immediate')).response.status, 'Accepted');
    assert.equal((await ready).boots, 2);
  });

  test('streams its meter samples as NotifyPeriodicEventStream SENDs once the CSMS accepts the stream', async (t) => {
    const { cs, state, charger } = await setup(t, 'ocpp2.1', 'STREAM-21');
    assert.ok(charger instanceof SimulatedCharger21);
    const sends: string[] = [];
    const answered: string[] = [];
    station(cs, charger.identity).on('frame', (f) => {
      if (f.direction === 'inbound' && f.frame.type === 6) sends.push(f.messageId);
      if (f.direction === 'outbound') answered.push(f.messageId);
    });
    const started = state.next('transactionStarted', (e) => e.identity === charger.identity);
    await remoteStart(station(cs, charger.identity), 'TAG-001', 1, state);
    const tx = await started;
    assert.equal(await charger.openStream(), true);
    const samples = [];
    for (let i = 0; i < 2; i++) samples.push(await state.next('streamData', (e) => e.identity === charger.identity, 2000));
    assert.deepEqual(
      samples.map((d) => [d.streamId, d.data[0].v]),
      [
        [1, '11'],
        [1, '11'],
      ],
    );
    await charger.closeStream();
    assert.equal(charger.stream, undefined);
    const ended = state.next('transactionEnded', (e) => e.id === tx.id);
    await remoteStop(station(cs, charger.identity), tx.id);
    await ended;
    assert.ok(sends.length >= 2);
    assert.deepEqual(
      sends.filter((id) => answered.includes(id)),
      [],
      'a SEND is never answered',
    );
  });

  test('refuses an Authorize answer carrying a tariff with a CALLRESULTERROR (I08); the idToken counts as refused', async (t) => {
    const { state, charger } = await setup(t, 'ocpp2.1', 'TARIFF-21');
    const refused = state.next('callResultError', (e) => e.identity === charger.identity, 2000);
    assert.equal(await charger.authorize(DEMO_TARIFF_ID_TAGS[0]), false);
    const e = await refused;
    assert.deepEqual([e.action, e.code, e.description], ['Authorize', 'NotSupported', 'this charger applies no tariffs']);
    // Without a tariff, the same charger authorizes as before.
    assert.equal(await charger.authorize('TAG-001'), true);
  });

  test('a 2.0.1 station is not sent the tariff: the same idToken is simply accepted', async (t) => {
    const { state, charger } = await setup(t, 'ocpp2.0.1', 'TARIFF-201');
    let resultErrors = 0;
    state.on('callResultError', () => resultErrors++);
    assert.equal(await charger.authorize(DEMO_TARIFF_ID_TAGS[0]), true);
    assert.equal(resultErrors, 0);
  });

  test('the script runs one 2.1 session with --protocol ocpp2.1 --once', async (t) => {
    const cs = createDemoCentralSystem({ state: new CsmsState(), log: false });
    t.after(() => cs.close());
    const { port } = await cs.listen({ port: 0, host: '127.0.0.1' });
    const url = `ws://127.0.0.1:${port}${DEMO_PATH}`;
    const run = await runExample('examples/charge-point.ts', ['--protocol', 'ocpp2.1', '--url', url, '--once', '--samples', '2', '--meter-interval-ms', '50']);
    assert.deepEqual([run.code, run.timedOut], [0, false], run.output);
    assert.match(run.output, /SIM-21 +→ CSMS +CALL +TransactionEvent +eventType=Ended/);
    assert.match(run.output, /SIM-21 booted \(ocpp2\.1\)/);
  });
});

describe('examples/charge-point.ts as a script', () => {
  test('--once runs one session and exits 0 (both versions); a refused idTag exits 1; plain ts-node runs it', async (t) => {
    const state = new CsmsState();
    const cs = createDemoCentralSystem({ state, log: false });
    t.after(() => cs.close());
    const { port } = await cs.listen({ port: 0, host: '127.0.0.1' });
    const url = `ws://127.0.0.1:${port}${DEMO_PATH}`;
    const common = ['--url', url, '--once', '--samples', '2', '--meter-interval-ms', '50'];
    // ts-node transpiles the whole SDK on every start (several seconds): run it alongside.
    const tsNode = path.join(ROOT, 'node_modules/ts-node/dist/bin.js');
    const [v16, v201, refused, help] = await Promise.all([
      runExample('examples/charge-point.ts', ['--protocol', 'ocpp1.6', '--identity', 'CLI-16', ...common]),
      runExample('examples/charge-point.ts', ['--protocol', 'ocpp2.0.1', '--identity', 'CLI-201', ...common]),
      runExample('examples/charge-point.ts', ['--protocol', 'ocpp2.0.1', '--identity', 'CLI-BAD', '--id-tag', 'NOPE', ...common]),
      runExample('', [], { nodeArgs: [tsNode, 'examples/charge-point.ts', '--help'], timeoutMs: 30_000 }),
    ]);
    assert.deepEqual([v16.code, v16.timedOut], [0, false], v16.output);
    assert.deepEqual([v201.code, v201.timedOut], [0, false], v201.output);
    assert.deepEqual([refused.code, refused.timedOut], [1, false], refused.output);
    assert.match(v16.output, /CLI-16 +→ CSMS +CALL +StopTransaction/);
    assert.match(v201.output, /CLI-201 +→ CSMS +CALL +TransactionEvent +eventType=Ended/);
    assert.match(refused.output, /idTag NOPE was refused/);
    const ended = [...state.transactions.values()]
      .filter((tx) => tx.endedAt !== undefined)
      .map((tx) => tx.identity)
      .sort();
    assert.deepEqual(ended, ['CLI-16', 'CLI-201']);
    assert.deepEqual([help.code, help.timedOut], [0, false], help.output);
    assert.match(help.output, /usage: npx ts-node examples\/charge-point\.ts/);
  });
});
