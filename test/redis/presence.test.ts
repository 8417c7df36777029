/**
 * Presence in Redis, with each client: claims with replace semantics, compare-and-delete (a late
 * release of an old entry leaves the new one), a dead node's entries (gone from locate when its
 * heartbeat expires, cleared and announced by the janitor), and the fleet across two nodes when
 * the same identity connects to both.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test, type TestContext } from 'node:test';
import { RemoteStation, type StationRef } from '../../src/index';
import { redisCluster, type RedisClientLike } from '../../src/redis/index';
import { redisSkipReason, startRedis, type RedisServer } from '../support/redis-server';
import { CLIENTS, makeClient, RecordingHost, startNode, station, until } from './support';

const skip = redisSkipReason();

async function adapter(t: TestContext, client: RedisClientLike, nodeId: string, namespace: string, options: { heartbeatMs?: number; nodeTtlMs?: number } = {}) {
  const cluster = redisCluster({ client, nodeId, namespace, events: false, ...options });
  const host = new RecordingHost();
  await cluster.start(host);
  t.after(() => cluster.close());
  return { cluster, host };
}

const ref = (node: string, conn: string): StationRef => ({ node, conn, protocol: 'ocpp1.6' });

for (const kind of CLIENTS) {
  describe(`presence in redis (${kind})`, { skip }, () => {
    let server: RedisServer;
    before(async () => {
      server = await startRedis();
    });
    after(() => server?.stop());

    test('claim keeps a live entry unless replacing; a late release of the old entry leaves the new one', async (t) => {
      const client = await makeClient(t, kind, server);
      const ns = `claim-${kind}`;
      const a = await adapter(t, client, 'a', ns);
      const b = await adapter(t, client, 'b', ns);
      assert.deepEqual(await a.cluster.claim('CP', ref('a', 'a1'), { replace: false }), { claimed: true, previous: null });
      assert.deepEqual(await b.cluster.claim('CP', ref('b', 'b1'), { replace: false }), { claimed: false, previous: ref('a', 'a1') });
      assert.deepEqual(await b.cluster.claim('CP', ref('b', 'b1'), { replace: true }), { claimed: true, previous: ref('a', 'a1') });
      assert.equal(await a.cluster.release('CP', ref('a', 'a1')), false, 'the late release of the old entry removes nothing');
      assert.deepEqual(await a.cluster.locate('CP'), ref('b', 'b1'));
      assert.equal(await b.cluster.release('CP', ref('b', 'b1')), true);
      assert.equal(await a.cluster.locate('CP'), null);
      // Every node hears every change, its own included, in order.
      await until(() => a.host.changes.length === 3 && b.host.changes.length === 3, 'both hosts to hear the three changes');
      for (const host of [a.host, b.host]) {
        assert.deepEqual(host.changes, [
          { identity: 'CP', ref: ref('a', 'a1') },
          { identity: 'CP', ref: ref('b', 'b1') },
          { identity: 'CP', ref: null, previous: ref('b', 'b1') },
        ]);
      }
      // A node that joins later reads the whole presence at start.
      await a.cluster.claim('CP-2', ref('a', 'a2'), { replace: false });
      const c = await adapter(t, client, 'c', ns);
      assert.deepEqual(c.host.resets, [[['CP-2', ref('a', 'a2')]]]);
      assert.deepEqual([...a.host.problems, ...b.host.problems, ...c.host.problems], []);
    });

    test("a dead node's entries: gone from locate when its heartbeat expires, then cleared and announced by the janitor", async (t) => {
      const client = await makeClient(t, kind, server);
      const ns = `janitor-${kind}`;
      const ghost = redisCluster({ client, nodeId: 'ghost', namespace: ns, events: false, heartbeatMs: 50, nodeTtlMs: 150 });
      await ghost.start(new RecordingHost());
      await ghost.claim('CP-G', ref('ghost', 'g1'), { replace: false });
      const a = await adapter(t, client, 'a', ns, { heartbeatMs: 50, nodeTtlMs: 150 });
      assert.deepEqual(a.host.resets, [[['CP-G', ref('ghost', 'g1')]]]);
      // The ghost stops beating without leaving, as a crashed process does.
      (ghost as unknown as { joined: { heartbeat: NodeJS.Timeout } }).joined.heartbeat.close();
      await until(() => a.host.changes.some((c) => c.ref === null), 'the janitor to announce the removal', 2000);
      assert.deepEqual(a.host.changes.at(-1), { identity: 'CP-G', ref: null, previous: ref('ghost', 'g1') });
      assert.equal(await a.cluster.locate('CP-G'), null);
      // A live node claims it without a fight: a dead node's entry is not a previous owner.
      assert.deepEqual(await a.cluster.claim('CP-G', ref('a', 'a1'), { replace: false }), { claimed: true, previous: null });
      await ghost.close();
      assert.deepEqual(await a.cluster.locate('CP-G'), ref('a', 'a1'), "the ghost's leaving does not remove a newer entry");
    });

    test('two nodes: each fleet is the union; the same identity on the other node replaces the older connection', async (t) => {
      const client = await makeClient(t, kind, server);
      const ns = `fleet-${kind}`;
      const a = await startNode(t, client, 'a', { namespace: ns });
      const b = await startNode(t, client, 'b', { namespace: ns });
      await station(t, a, 'CP-A');
      await station(t, b, 'CP-B');
      await until(() => a.cs.fleet.size === 2 && b.cs.fleet.size === 2, 'both fleets to hold both stations');
      const old = await station(t, a, 'CP-D');
      const closed = new Promise<string>((resolve) => a.cs.once('disconnect', (e) => resolve(e.reason)));
      await station(t, b, 'CP-D');
      assert.equal(await closed, 'replaced by a newer connection with the same identity');
      await until(() => old.state !== 'open', 'the old connection to close');
      await until(() => a.cs.fleet.get('CP-D') instanceof RemoteStation, 'a to see CP-D on b');
      assert.equal((await a.cluster.locate('CP-D'))?.node, 'b', "a's late release left b's entry");
      const moved = a.cs.fleet.get('CP-D');
      assert.ok(moved?.protocol === 'ocpp1.6');
      assert.deepEqual(await moved.call('Reset', { type: 'Soft' }), { status: 'Accepted' });
      assert.deepEqual([...a.cs.fleet].map((s) => s.identity).sort(), ['CP-A', 'CP-B', 'CP-D']);
      assert.deepEqual([...a.errors, ...b.errors], []);
    });
  });
}
