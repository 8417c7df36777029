/**
 * Remote calls between two CentralSystem nodes over a real redis-server, with each client: the
 * answer, the station's CALLERROR, an expired deadline, a node that is not listening, and an
 * owner process that dies (SIGKILL) while it holds the call.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { ChargePoint, NotSupportedError, RemoteStation, StationNotConnectedError, TimeoutError, ValidationError } from '../../src/index';
import { redisCluster } from '../../src/redis/index';
import { redisSkipReason, startRedis, type RedisServer } from '../support/redis-server';
import { CLIENTS, makeClient, rawCommand, startChildNode, startNode, station, until } from './support';

const skip = redisSkipReason();

for (const kind of CLIENTS) {
  describe(`remote calls over redis (${kind})`, { skip }, () => {
    let server: RedisServer;
    before(async () => {
      server = await startRedis();
    });
    after(() => server?.stop());

    test('a call from one node reaches a station on the other and comes back with its answer', async (t) => {
      const client = await makeClient(t, kind, server);
      const a = await startNode(t, client, `a-${kind}`, { namespace: `ok-${kind}` });
      const b = await startNode(t, client, `b-${kind}`, { namespace: `ok-${kind}` });
      await station(t, b, 'CP-1');
      await station(t, a, 'CP-2');
      await until(() => a.cs.fleet.size === 2 && b.cs.fleet.size === 2, 'both fleets to hold both stations');
      const remote = a.cs.fleet.get('CP-1');
      assert.ok(remote instanceof RemoteStation && remote.protocol === 'ocpp1.6');
      assert.equal(remote.node, `b-${kind}`);
      const answer = await remote.call('GetConfiguration', {});
      assert.deepEqual(answer.configurationKey, [{ key: 'Identity', readonly: true, value: 'CP-1' }]);
      const back = b.cs.fleet.get('CP-2');
      assert.ok(back instanceof RemoteStation && back.protocol === 'ocpp1.6');
      assert.deepEqual(await back.call('Reset', { type: 'Soft' }), { status: 'Accepted' });
      assert.deepEqual([...a.errors, ...b.errors], []);
    });

    test("the station's CALLERROR, a timeout and a bad answer come back as the errors a local call has", async (t) => {
      const client = await makeClient(t, kind, server);
      const a = await startNode(t, client, 'a', { namespace: `err-${kind}` });
      const b = await startNode(t, client, 'b', { namespace: `err-${kind}` });
      // This station does not check its own answers, so a bad one reaches the owner's validator.
      const cp = new ChargePoint({ url: b.url, identity: 'CP-E', protocol: 'ocpp1.6', reconnect: false, validation: { outbound: 'off' } });
      t.after(() => cp.close());
      await cp.connect();
      cp.handle('UnlockConnector', () => {
        throw new NotSupportedError({ description: 'no lock here' });
      });
      cp.handle('ClearCache', () => new Promise(() => undefined));
      cp.handle('ChangeAvailability', () => ({ status: 'Bogus' }) as never);
      await until(() => a.cs.fleet.has('CP-E'), 'a to see the station');
      const remote = a.cs.fleet.get('CP-E');
      assert.ok(remote instanceof RemoteStation && remote.protocol === 'ocpp1.6');
      await assert.rejects(
        remote.call('UnlockConnector', { connectorId: 1 }),
        (e: unknown) => e instanceof NotSupportedError && e.description === 'no lock here',
      );
      const started = Date.now();
      const timeout = await remote.call('ClearCache', {}, { timeoutMs: 150 }).catch((e: unknown) => e);
      assert.ok(timeout instanceof TimeoutError && timeout.delivered === 'unknown', String(timeout));
      assert.ok(Date.now() - started < 1000, `the owner gave the station the caller's 150 ms, took ${Date.now() - started} ms`);
      const invalid = await remote.call('ChangeAvailability', { connectorId: 1, type: 'Inoperative' }).catch((e: unknown) => e);
      assert.ok(invalid instanceof ValidationError && invalid.direction === 'inbound', String(invalid));
    });

    test('an expired call is refused by the owner; a call to a node nobody listens for is not delivered', async (t) => {
      const client = await makeClient(t, kind, server);
      const a = await startNode(t, client, 'a', { namespace: `exp-${kind}` });
      const b = await startNode(t, client, 'b', { namespace: `exp-${kind}` });
      const cpX = await station(t, b, 'CP-X');
      let resets = 0;
      cpX.handle('Reset', () => {
        resets++;
        return { status: 'Accepted' };
      });
      await until(() => a.cs.fleet.has('CP-X'), 'a to see the station');
      const ref = await a.cluster.locate('CP-X');
      assert.ok(ref !== null && ref.node === 'b');
      const call = { id: 'c1', from: 'a', identity: 'CP-X', conn: ref.conn, action: 'Reset', payload: { type: 'Soft' }, validate: true };
      assert.deepEqual(await a.cluster.call(ref, { ...call, deadline: Date.now() - 1 }), { ok: false, error: { kind: 'expired' } });
      assert.deepEqual(await a.cluster.call(ref, { ...call, id: 'c2', deadline: Date.now() + 5000 }), { ok: true, payload: { status: 'Accepted' } });
      const nowhere = await a.cluster.call({ ...ref, node: 'nobody' }, { ...call, id: 'c3', deadline: Date.now() + 5000 });
      assert.equal(nowhere.ok, false);
      assert.deepEqual(!nowhere.ok && { kind: nowhere.error.kind, delivered: 'delivered' in nowhere.error && nowhere.error.delivered }, {
        kind: 'not-connected',
        delivered: false,
      });
      // The same call message twice in the owner's inbox runs once. Messages of one channel arrive
      // in order, so when the next call is answered both copies have been handled.
      const twice = JSON.stringify({ t: 'call', ...call, id: 'dup', deadline: Date.now() + 5000 });
      for (let i = 0; i < 2; i++) await rawCommand(client, ['PUBLISH', `ocpp:{exp-${kind}}:inbox:b`, twice]);
      assert.deepEqual(await a.cluster.call(ref, { ...call, id: 'c4', deadline: Date.now() + 5000 }), { ok: true, payload: { status: 'Accepted' } });
      assert.equal(resets, 3, 'c2, the duplicated call once, c4');
      // Through the central system: a station that left is NotConnected, delivered false.
      const stale = a.cs.fleet.get('CP-X');
      assert.ok(stale instanceof RemoteStation && stale.protocol === 'ocpp1.6');
      await b.cs.stations.get('CP-X')!.close();
      await until(() => !a.cs.fleet.has('CP-X'), 'a to hear that the station left');
      const gone = await stale.call('Reset', { type: 'Soft' }).catch((e: unknown) => e);
      assert.ok(gone instanceof StationNotConnectedError && gone.delivered === false, String(gone));
    });

    test("an owner process killed while it holds the call: the caller gets NotConnected 'unknown' within 100 ms", async (t) => {
      const client = await makeClient(t, kind, server);
      const namespace = `kill-${kind}`;
      const a = await startNode(t, client, 'a', { namespace });
      const owner = await startChildNode(t, kind, server, 'owner', namespace);
      const cp = new ChargePoint({ url: owner.url, identity: 'CP-K', protocol: 'ocpp1.6', reconnect: false });
      t.after(() => cp.close());
      let received = 0;
      cp.handle('RemoteStartTransaction', () => {
        received++;
        return new Promise(() => undefined);
      });
      await cp.connect();
      await until(() => a.cs.fleet.has('CP-K'), 'a to see the station on the child node', 5000);
      const remote = a.cs.fleet.get('CP-K');
      assert.ok(remote?.protocol === 'ocpp1.6');
      const call = remote.call('RemoteStartTransaction', { idTag: 'TAG' }, { timeoutMs: 10_000 }).catch((e: unknown) => e);
      await until(() => received === 1, 'the station to get the call');
      const killed = Date.now();
      await owner.kill();
      const error = await call;
      const took = Date.now() - killed;
      assert.ok(error instanceof StationNotConnectedError && error.delivered === 'unknown', String(error));
      assert.ok(took < 100, `took ${took} ms`);
      t.diagnostic(`owner SIGKILL -> 'unknown' in ${took} ms`);
      assert.equal(received, 1);
    });

    test('the adapter checks its options, and never closes the client it was given', async (t) => {
      const client = await makeClient(t, kind, server);
      assert.throws(() => redisCluster({ client: {} as never }), /client must be a node-redis or ioredis client/);
      assert.throws(() => redisCluster({ client, namespace: 'a{b}' }), /namespace must not contain braces/);
      assert.throws(() => redisCluster({ client, heartbeatMs: 6000, nodeTtlMs: 10_000 }), /nodeTtlMs \(10000\) must be at least twice heartbeatMs/);
      const a = await startNode(t, client, 'solo', { namespace: `opt-${kind}` });
      await a.cs.close();
      assert.equal(await (client as { ping(): Promise<string> }).ping(), 'PONG');
    });
  });
}
