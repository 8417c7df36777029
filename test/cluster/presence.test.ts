/**
 * A cluster of three CentralSystem processes on a real redis-server, over each Redis client:
 * routing (every node calls every station), the fleet as the union of the nodes, the event log
 * read through a consumer group, stations that move between nodes while the old node closes
 * late, and the same identity on two nodes. Failures (killed nodes, Redis outage) are in
 * failures.test.ts; the in-process version of these cases is test/integration/cluster-memory.test.ts.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { readClusterEvents, type ClusterEventDelivery } from '../../src/redis/index';
import { connectClient } from './clients';
import { describeEachClient, fleets, ms, sleep, summary, until, untilFleets, type Cluster, type TestNode, type TestStation } from './fixture';

/** The identity and tag a station's GetConfiguration answer carries (see TestStation). */
function answeredBy(payload: unknown): string {
  return (payload as { configurationKey: { value: string }[] }).configurationKey[0].value;
}

/** Calls `identity` from every node and asserts each reached the connection tagged `tag`. */
async function assertReachable(nodes: readonly TestNode[], identity: string, tag: string): Promise<void> {
  for (const node of nodes) {
    const result = await node.call(identity, 'GetConfiguration', {});
    assert.ok(result.ok, `${node.id} -> ${identity}: ${JSON.stringify(result)}`);
    assert.equal(answeredBy(result.payload), `${identity}/${tag}`, `${node.id} reached the wrong connection`);
  }
}

/** The nodes listing `identity` among their own stations. */
async function holders(cluster: Cluster, identity: string): Promise<string[]> {
  const locals = await Promise.all(cluster.nodes.map(async (n) => ((await n.local()).includes(identity) ? [n.id] : [])));
  return locals.flat();
}

describeEachClient('cluster over Redis: routing and presence', (suite) => {
  test('every node calls every station, and every fleet is the union of the nodes', async (t) => {
    const cluster = await suite.sharedCluster(t);
    const stations = await Promise.all(cluster.nodes.flatMap((node) => [1, 2].map((k) => cluster.station(node, `CP-${node.id}-${k}`))));
    const expected = stations.map((s) => `${s.identity}@${s.node.id}`);
    t.diagnostic(`presence converged on 3 nodes in ${ms(await untilFleets(cluster.nodes, expected, 'every fleet to list all 6 stations'))}`);
    for (const node of cluster.nodes) {
      assert.deepEqual(
        await node.local(),
        stations.filter((s) => s.node === node).map((s) => s.identity),
        `${node.id}: cs.stations stays local`,
      );
    }

    const calls = await Promise.all(
      cluster.nodes.flatMap((node) => stations.map(async (station) => ({ node, station, result: await node.call(station.identity, 'GetConfiguration', {}) }))),
    );
    for (const { node, station, result } of calls) {
      assert.ok(result.ok, `${node.id} -> ${station.identity}: ${JSON.stringify(result)}`);
      assert.equal(answeredBy(result.payload), `${station.identity}/${station.node.id}`);
      assert.equal(result.via, station.node === node ? 'local' : station.node.id);
    }
    for (const station of stations) assert.equal(station.count('GetConfiguration'), 3, `${station.identity} got one call from each node`);

    // Sequential remote calls n1 -> a station of n2, timed inside n1 (no IPC in the figure).
    const remote = stations.find((s) => s.node === cluster.nodes[1])!;
    const times: number[] = [];
    for (let i = 0; i < 200; i++) {
      const result = await cluster.nodes[0].call(remote.identity, 'Reset', { type: 'Soft' });
      assert.ok(result.ok, JSON.stringify(result));
      times.push(result.ms);
    }
    t.diagnostic(`${suite.client}: remote call n1 -> n2 -> station, sequential: ${summary(times)}`);
  });

  test('a consumer group sees each BootNotification exactly once', async (t) => {
    const cluster = await suite.sharedCluster(t);
    const abort = new AbortController();
    const seen: { group: string; consumer: string; event: ClusterEventDelivery }[] = [];
    const readers: Promise<void>[] = [];
    // Two consumers share 'billing' (each event goes to one of them); 'audit' reads on its own.
    for (const [group, consumer] of [
      ['billing', 'w1'],
      ['billing', 'w2'],
      ['audit', 'a1'],
    ] as const) {
      const reader = await connectClient(suite.client, suite.redis.socket);
      readers.push(
        (async () => {
          try {
            for await (const event of readClusterEvents({
              client: reader.client as never,
              namespace: cluster.namespace,
              group,
              consumer,
              signal: abort.signal,
            })) {
              seen.push({ group, consumer, event });
              await event.ack();
            }
          } catch (error) {
            if (!abort.signal.aborted) throw error;
          } finally {
            await reader.quit();
          }
        })(),
      );
    }
    t.after(async () => {
      abort.abort();
      await Promise.race([Promise.allSettled(readers), sleep(3000)]);
    });

    // The groups read from a position of their own choosing: start counting once both see a probe.
    await cluster.station(cluster.nodes[0], 'CP-PROBE');
    await until(
      () => ['billing', 'audit'].every((g) => seen.some((s) => s.group === g && s.event.identity === 'CP-PROBE' && s.event.type === 'connected')),
      'both groups to see the probe station connect',
    );
    const stations = await Promise.all(cluster.nodes.flatMap((node) => [1, 2].map((k) => cluster.station(node, `CP-EV-${node.id}-${k}`))));
    const boots = (group: string) =>
      seen.filter((s) => s.group === group && s.event.type === 'call' && s.event.action === 'BootNotification' && s.event.identity.startsWith('CP-EV-'));
    const took = await until(() => boots('billing').length >= 6 && boots('audit').length >= 6, 'six BootNotification events in each group');
    t.diagnostic(`${suite.client}: all 6 boots read by both groups ${ms(took)} after the last boot was answered`);
    await sleep(500); // anything delivered twice would arrive by now

    for (const group of ['billing', 'audit']) {
      const events = boots(group).map((s) => s.event);
      assert.deepEqual(events.map((e) => e.identity).sort(), stations.map((s) => s.identity).sort(), `${group}: each boot once`);
      for (const event of events) {
        const station = stations.find((s) => s.identity === event.identity)!;
        assert.equal(event.node, station.node.id);
        assert.ok(event.type === 'call' && (event.response as { status: string }).status === 'Accepted');
      }
      const ids = seen.filter((s) => s.group === group).map((s) => s.event.id);
      assert.equal(new Set(ids).size, ids.length, `${group}: no event id delivered twice`);
    }
    const consumers = new Set(boots('billing').map((s) => s.consumer));
    t.diagnostic(`${suite.client}: billing boots split over consumers ${[...consumers].join(', ')}`);
  });

  test('a station moving to another node while the old one closes late (half-closed socket) stays reachable from every node', async (t) => {
    const cluster = await suite.sharedCluster(t);
    const [n1, n2, n3] = cluster.nodes;
    const old = await cluster.rawStation(n1, 'CP-MOVE');
    await untilFleets(cluster.nodes, ['CP-MOVE@n1'], 'every node to see the station on n1');
    old.freeze(); // n1's close frame will go unanswered: n1 drops the socket only after a grace

    const connected = Date.now();
    await cluster.station(n2, 'CP-MOVE', {}, 'new');
    await untilFleets([n2, n3], ['CP-MOVE@n2'], 'n2 and n3 to see the station on n2', 2000);
    // While n1 waits for the frozen peer, the other nodes reach the new connection.
    await assertReachable([n2, n3], 'CP-MOVE', 'new');
    const fromOld = await n1.call('CP-MOVE', 'GetConfiguration', {}, 500);
    t.diagnostic(`${suite.client}: a call from n1 while it still holds the old socket: ${fromOld.ok ? 'ok' : fromOld.error.name} (via ${fromOld.via})`);

    await until(async () => (await n1.stats()).releases.some((r) => r.identity === 'CP-MOVE'), "n1's late release", 5000);
    const release = (await n1.stats()).releases.find((r) => r.identity === 'CP-MOVE')!;
    t.diagnostic(`${suite.client}: n1 released the old connection ${release.at - connected} ms after the new one connected to n2`);
    assert.ok(release.at >= connected, 'the old connection closed after the new one was claimed');
    assert.equal(release.removed, false, "n1's late release must not remove n2's entry");
    assert.deepEqual(await n1.local(), []);

    await sleep(200); // let whatever n1's release announced reach every node
    assert.deepEqual(await fleets(cluster.nodes), [['CP-MOVE@n2'], ['CP-MOVE@n2'], ['CP-MOVE@n2']]);
    await assertReachable(cluster.nodes, 'CP-MOVE', 'new');
    assert.deepEqual(await holders(cluster, 'CP-MOVE'), ['n2']);
  });

  test("a station moving to another node while the old node's release is delayed stays reachable from every node", async (t) => {
    const cluster = await suite.sharedCluster(t);
    const [n1, n2] = cluster.nodes;
    await n1.delayReleases(1000);
    const old = await cluster.station(n1, 'CP-LATE', {}, 'old');
    await untilFleets(cluster.nodes, ['CP-LATE@n1'], 'every node to see the station on n1');
    await cluster.station(n2, 'CP-LATE', {}, 'new');
    await until(() => !old.open, 'the old connection to be replaced');

    // Call from every node throughout, until well past n1's release (1 s after its close).
    const failures: string[] = [];
    let calls = 0;
    const end = performance.now() + 1500;
    while (performance.now() < end) {
      const results = await Promise.all(cluster.nodes.map((node) => node.call('CP-LATE', 'GetConfiguration', {}).then((r) => ({ node, r }))));
      for (const { node, r } of results) {
        calls++;
        if (!r.ok || answeredBy(r.payload) !== 'CP-LATE/new') failures.push(`${node.id}: ${JSON.stringify(r)}`);
      }
      await sleep(20);
    }
    const release = (await n1.stats()).releases.find((r) => r.identity === 'CP-LATE');
    assert.equal(release?.removed, false, "n1's delayed release happened and removed nothing");
    t.diagnostic(`${suite.client}: ${calls} calls across n1's delayed release, ${failures.length} failed`);
    assert.deepEqual(failures.slice(0, 5), []);
    assert.deepEqual(await fleets(cluster.nodes), [['CP-LATE@n2'], ['CP-LATE@n2'], ['CP-LATE@n2']]);
    assert.equal(old.count('GetConfiguration'), 0);
  });

  test('the same identity on two nodes at the same moment leaves exactly one live connection', async (t) => {
    const cluster = await suite.sharedCluster(t);
    const [n1, n2, n3] = cluster.nodes;
    const pairs: [string, TestNode[]][] = [
      ['CP-DUP-1', [n1, n2]],
      ['CP-DUP-2', [n2, n3]],
      ['CP-DUP-3', [n3, n1]],
      ['CP-DUP-4', [n1, n2, n3]],
    ];
    const started: { identity: string; stations: TestStation[] }[] = [];
    await Promise.all(
      pairs.map(async ([identity, nodes]) => {
        const stations: TestStation[] = [];
        started.push({ identity, stations });
        // Each connects and boots at the same moment; the losers are closed (or refused).
        await Promise.allSettled(
          nodes.map((node) => {
            const station = cluster.newStation(node, identity);
            stations.push(station);
            return station.start();
          }),
        );
      }),
    );
    t.diagnostic(`${suite.client}: at the same moment: ${await exactlyOneEach(cluster, started)}`);
  });

  test('the same identity connecting to one node after another leaves exactly one live connection, on the last', async (t) => {
    const cluster = await suite.sharedCluster(t);
    const stations: TestStation[] = [];
    for (const node of cluster.nodes) {
      stations.push(await cluster.station(node, 'CP-SEQ'));
      await untilFleets(cluster.nodes, [`CP-SEQ@${node.id}`], `every node to see CP-SEQ on ${node.id}`);
    }
    t.diagnostic(`${suite.client}: one after another: ${await exactlyOneEach(cluster, [{ identity: 'CP-SEQ', stations }])}`);
    assert.ok(stations[2].open && !stations[0].open && !stations[1].open);
  });
});

/**
 * For each identity: settles (bounded) to exactly one open ChargePoint, exactly one node holding
 * it, every fleet pointing there, calls from every node reaching it; and still so a moment later.
 */
async function exactlyOneEach(cluster: Cluster, started: readonly { identity: string; stations: readonly TestStation[] }[]): Promise<string> {
  const survivors = async (): Promise<Map<string, TestStation>> => {
    const result = new Map<string, TestStation>();
    for (const { identity, stations } of started) {
      const open = stations.filter((s) => s.open);
      const held = await holders(cluster, identity);
      if (open.length !== 1 || held.length !== 1 || held[0] !== open[0].node.id) continue;
      result.set(identity, open[0]);
    }
    return result;
  };
  let live = new Map<string, TestStation>();
  const settled = await until(async () => (live = await survivors()).size === started.length, 'exactly one live connection per identity', 5000).catch(
    async (error: Error) => {
      const state = await Promise.all(
        started.map(
          async ({ identity, stations }) =>
            `${identity}: open on [${stations
              .filter((s) => s.open)
              .map((s) => s.node.id)
              .join()}], held by [${(await holders(cluster, identity)).join()}]`,
        ),
      );
      throw new Error(`${error.message}: ${state.join('; ')}`);
    },
  );
  const expected = [...live].map(([identity, station]) => `${identity}@${station.node.id}`);
  await untilFleets(cluster.nodes, expected, 'every fleet to agree on the survivors', 3000);
  await sleep(300); // a late eviction or release would show by now
  assert.equal((await survivors()).size, started.length, 'still exactly one each');
  for (const [identity, station] of live) await assertReachable(cluster.nodes, identity, station.tag);
  const closes = started.flatMap(({ stations }) => stations.filter((s) => !s.open)).length;
  return `survivors ${[...live].map(([identity, station]) => `${identity}@${station.node.id}`).join(', ')}; ${closes} older/losing connections closed; settled ${ms(settled)} after the last connect`;
}
