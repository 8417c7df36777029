/**
 * The events stream, with each client: what the nodes publish is read through consumer groups
 * (each event once per group, split between the group's consumers), and a consumer that did not
 * acknowledge gets its pending events again when it comes back.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { readClusterEvents, type ClusterEventDelivery, type ReadClusterEventsOptions } from '../../src/redis/index';
import { redisSkipReason, startRedis, type RedisServer } from '../support/redis-server';
import { CLIENTS, makeClient, rawCommand, startNode, station } from './support';

const skip = redisSkipReason();

/** Reads until `enough` holds for what was read (or 3 s pass), then stops the reader. */
async function read(
  options: Omit<ReadClusterEventsOptions, 'signal'>,
  enough: (seen: ClusterEventDelivery[]) => boolean,
  ack = true,
): Promise<ClusterEventDelivery[]> {
  const stop = new AbortController();
  const timer = setTimeout(() => stop.abort(), 3000);
  const seen: ClusterEventDelivery[] = [];
  try {
    if (enough(seen)) return seen;
    for await (const event of readClusterEvents({ blockMs: 100, ...options, signal: stop.signal })) {
      seen.push(event);
      if (ack) await event.ack();
      if (enough(seen)) stop.abort();
    }
  } finally {
    clearTimeout(timer);
  }
  return seen;
}

const boots = (events: ClusterEventDelivery[]): string[] =>
  events
    .filter((e) => e.type === 'call' && e.action === 'BootNotification')
    .map((e) => e.identity)
    .sort();

for (const kind of CLIENTS) {
  describe(`cluster events (${kind})`, { skip }, () => {
    let server: RedisServer;
    before(async () => {
      server = await startRedis();
    });
    after(() => server?.stop());

    test('a consumer group sees each BootNotification of every node once, split between its consumers', async (t) => {
      const client = await makeClient(t, kind, server);
      const namespace = `boots-${kind}`;
      const a = await startNode(t, client, 'a', { namespace });
      const b = await startNode(t, client, 'b', { namespace });
      const ids = ['CP-1', 'CP-2', 'CP-3', 'CP-4'];
      await Promise.all(ids.map((id, i) => station(t, i % 2 === 0 ? a : b, id)));
      const all = (seen: ClusterEventDelivery[]): boolean => boots(seen).length >= ids.length;
      // Two consumers of one group, reading at the same time: together they see each boot once.
      const shared: ClusterEventDelivery[] = [];
      const stop = new AbortController();
      const timer = setTimeout(() => stop.abort(), 3000);
      await Promise.all(
        ['w1', 'w2'].map(async (consumer) => {
          for await (const event of readClusterEvents({ client, namespace, group: 'billing', consumer, signal: stop.signal, blockMs: 100, count: 1 })) {
            shared.push(event);
            await event.ack();
            if (all(shared)) stop.abort();
          }
        }),
      );
      clearTimeout(timer);
      assert.deepEqual(boots(shared), ids);
      assert.equal(new Set(shared.map((e) => e.streamId)).size, shared.length, 'no entry delivered twice within the group');
      const boot = shared.find((e) => e.type === 'call' && e.identity === 'CP-2');
      assert.ok(boot?.type === 'call' && boot.node === 'b');
      assert.deepEqual(boot.request, { chargePointVendor: 'Acme', chargePointModel: 'One' });
      assert.equal((boot.response as { status: string }).status, 'Accepted');
      // Another group reads the same events again, on its own.
      assert.deepEqual(boots(await read({ client, namespace, group: 'audit', consumer: 'x' }, all)), ids);
      assert.equal(a.cluster.eventsDropped + b.cluster.eventsDropped, 0);
    });

    test("a reader whose stream key holds something else fails with Redis's answer instead of retrying forever", async (t) => {
      const client = await makeClient(t, kind, server);
      await rawCommand(client, ['SET', 'ocpp:{wrong}:events', 'not a stream']);
      const reader = readClusterEvents({ client, namespace: 'wrong', group: 'g', consumer: 'c', blockMs: 50 });
      await assert.rejects(reader.next(), /WRONGTYPE/);
      assert.throws(() => readClusterEvents({ client, group: '', consumer: 'c' }).next(), TypeError);
    });

    test('a consumer that did not ack gets its pending events again first when it comes back', async (t) => {
      const client = await makeClient(t, kind, server);
      const namespace = `pending-${kind}`;
      const a = await startNode(t, client, 'a', { namespace });
      const cp = await station(t, a, 'CP-P');
      await cp.call('Heartbeat', {});
      const options = { client, namespace, group: 'g', consumer: 'c1' };
      // connected, BootNotification, Heartbeat: read all three, ack only the first, "crash".
      const first = await read(options, (seen) => seen.length === 3, false);
      assert.deepEqual(
        first.map((e) => (e.type === 'call' ? e.action : e.type)),
        ['connected', 'BootNotification', 'Heartbeat'],
      );
      await first[0].ack();
      await cp.call('Heartbeat', {});
      const again = await read(options, (seen) => seen.length === 3);
      assert.deepEqual(
        again.map((e) => e.streamId),
        [first[1].streamId, first[2].streamId, again[2].streamId],
        'the two unacknowledged ones first, then the new one',
      );
      assert.equal(again[2].type === 'call' && again[2].action, 'Heartbeat');
      assert.ok(!first.some((e) => e.streamId === again[2].streamId));
      // All acknowledged: a third run has nothing pending and nothing new.
      const stop = new AbortController();
      const reader = readClusterEvents({ ...options, signal: stop.signal, blockMs: 50 });
      const next = reader.next();
      setTimeout(() => stop.abort(), 150);
      assert.deepEqual(await next, { done: true, value: undefined });
    });
  });
}
