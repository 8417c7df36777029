/**
 * examples/charge-point.ts: the simulated chargers run sessions against a test central system
 * in both versions, keep their state, answer every command they claim to, and the script runs
 * one session with --once (exit 0) or fails (exit 1) when its idTag is refused.
 */
import assert from 'node:assert/strict';
import path from 'node:path';
import { describe, test } from 'node:test';
import type { CentralSystem, DefaultOcppVersion, OcppVersion } from '../../src/index';
import {
  changeConfiguration,
  createDemoCentralSystem,
  CsmsState,
  DEMO_PATH,
  getConfiguration,
  getLocalListVersion,
  remoteStart,
  remoteStop,
  reset,
  sendLocalList,
  trigger,
  unlock,
} from '../../examples/central-system';
import { createSimulatedCharger, SimulatedCharger16, SimulatedCharger201, type SimulatedCharger } from '../../examples/charge-point';
import { ROOT, runExample } from './helpers';

async function setup(
  t: { after(fn: () => unknown): void },
  protocol: DefaultOcppVersion,
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
        assert.equal(all.configurationKey.length, charger.config.size);
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
