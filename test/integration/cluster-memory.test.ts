/**
 * Integration: several CentralSystem nodes in one process sharing a MemoryCluster, with real
 * ChargePoints over loopback. What the core does as a cluster member, whatever the broker:
 * routing calls to the node that holds a station, the fleet view, presence across moves and
 * duplicates, errors that say whether a call was delivered, and the events it publishes. The
 * same behaviour over Redis, with separate processes, is in test/cluster/.
 */
import assert from 'node:assert/strict';
import { describe, test, type TestContext } from 'node:test';
import {
  CentralSystem,
  ChargePoint,
  ClusterUnavailableError,
  ConnectionClosedError,
  MemoryCluster,
  NotSupportedError,
  RemoteStation,
  StationNotConnectedError,
  TimeoutError,
  ValidationError,
  type ClusterAdapter,
  type ClusterHost,
  type OcppVersion,
} from '../../src/index';

const now = (): string => new Date().toISOString();

interface Node {
  cs: CentralSystem<'ocpp1.6' | 'ocpp2.0.1'>;
  url: string;
}

async function startNode(t: TestContext, hub: MemoryCluster, id: string, options: { duplicateIdentity?: 'replace' | 'refuse' } = {}): Promise<Node> {
  const cs = new CentralSystem({ protocols: ['ocpp1.6', 'ocpp2.0.1'], path: '/ocpp', cluster: hub.adapter(id), ...options });
  cs.handle('ocpp1.6', 'BootNotification', () => ({ status: 'Accepted', currentTime: now(), interval: 300 }));
  cs.handle('ocpp2.0.1', 'BootNotification', () => ({ status: 'Accepted', currentTime: now(), interval: 300 }));
  cs.handle('ocpp1.6', 'Heartbeat', () => ({ currentTime: now() }));
  const address = await cs.listen({ port: 0, host: '127.0.0.1' });
  t.after(() => cs.close());
  return { cs, url: `ws://127.0.0.1:${address.port}/ocpp` };
}

async function station16(t: TestContext, node: Node, identity: string): Promise<ChargePoint<'ocpp1.6'>> {
  const cp = new ChargePoint({ url: node.url, identity, protocol: 'ocpp1.6', reconnect: false });
  t.after(() => cp.close());
  cp.handle('Reset', () => ({ status: 'Accepted' }));
  cp.handle('GetConfiguration', () => ({ configurationKey: [{ key: 'Identity', readonly: true, value: identity }] }));
  await cp.connect();
  await cp.call('BootNotification', { chargePointVendor: 'Acme', chargePointModel: 'One' });
  return cp;
}

/** Waits until `check` holds, looking every few milliseconds (presence travels asynchronously). */
async function until(check: () => boolean, what: string, ms = 2000): Promise<void> {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

function identities(cs: CentralSystem<OcppVersion>): string[] {
  return [...cs.fleet].map((s) => s.identity).sort();
}

describe('a cluster of CentralSystems (MemoryCluster)', () => {
  test('every node calls every station, and each fleet is the union of the nodes', async (t) => {
    const hub = new MemoryCluster();
    const a = await startNode(t, hub, 'a');
    const b = await startNode(t, hub, 'b');
    await station16(t, a, 'CP-A');
    await station16(t, b, 'CP-B');
    await until(() => a.cs.fleet.size === 2 && b.cs.fleet.size === 2, 'both fleets to hold both stations');
    assert.deepEqual(identities(a.cs), ['CP-A', 'CP-B']);
    assert.deepEqual(identities(b.cs), ['CP-A', 'CP-B']);
    assert.equal(a.cs.stations.size, 1, 'cs.stations stays this node only');

    const remote = a.cs.fleet.get('CP-B');
    assert.ok(remote instanceof RemoteStation);
    assert.equal(remote.node, 'b');
    assert.equal(remote.protocol, 'ocpp1.6');
    for (const [from, id] of [
      [a, 'CP-A'],
      [a, 'CP-B'],
      [b, 'CP-A'],
      [b, 'CP-B'],
    ] as const) {
      const station = from.cs.fleet.get(id);
      assert.ok(station?.protocol === 'ocpp1.6');
      const answer = await station.call('GetConfiguration', {});
      assert.deepEqual(answer.configurationKey, [{ key: 'Identity', readonly: true, value: id }]);
    }
  });

  test('a remote call validates and fails like a local one', async (t) => {
    const hub = new MemoryCluster();
    const a = await startNode(t, hub, 'a');
    const b = await startNode(t, hub, 'b');
    const cp = await station16(t, b, 'CP-1');
    cp.handle('UnlockConnector', () => {
      throw new NotSupportedError({ description: 'no lock here' });
    });
    await until(() => a.cs.fleet.has('CP-1'), 'the station in a');
    const station = a.cs.fleet.get('CP-1');
    assert.ok(station instanceof RemoteStation && station.protocol === 'ocpp1.6');
    // @ts-expect-error -- 'Hard-ish' is not a 1.6 reset type; checked here, never sent
    await assert.rejects(station.call('Reset', { type: 'Hard-ish' }), ValidationError);
    await assert.rejects(
      station.call('UnlockConnector', { connectorId: 1 }),
      (e: unknown) => e instanceof NotSupportedError && e.description === 'no lock here',
    );
    await assert.rejects(station.call('Reset', { type: 'Soft' }, { timeoutMs: 0 }), TypeError);
    // The same mistake on a local station of the same version fails the same way.
    await station16(t, a, 'CP-2');
    const local = a.cs.fleet.get('CP-2');
    assert.ok(local?.protocol === 'ocpp1.6' && !(local instanceof RemoteStation));
    for (const call of [
      // @ts-expect-error -- a charge point's own action is not the central system's to call
      (s: typeof local | typeof station) => s.call('Heartbeat', {}),
      (s: typeof local | typeof station) => s.call('ChangeAvailability', { connectorId: 1, type: 'Inoperative' }, { timeoutMs: 1.5 }),
    ]) {
      const [here, there]: unknown[] = await Promise.all([call(local).catch((e: unknown) => e), call(station).catch((e: unknown) => e)]);
      assert.ok(here instanceof Error && there instanceof Error);
      assert.equal(there.constructor, here.constructor);
      assert.equal(there.message, here.message);
    }
  });

  test('a station that left is NotConnected, delivered false; one that moved is reached where it is', async (t) => {
    const hub = new MemoryCluster();
    const a = await startNode(t, hub, 'a');
    const b = await startNode(t, hub, 'b');
    const first = await station16(t, b, 'CP-M');
    await until(() => a.cs.fleet.has('CP-M'), 'the station in a');
    const stale = a.cs.fleet.get('CP-M');
    assert.ok(stale instanceof RemoteStation && stale.protocol === 'ocpp1.6');
    await first.close();
    await until(() => !a.cs.fleet.has('CP-M'), 'the station to leave a');
    const gone = await stale.call('Reset', { type: 'Soft' }).catch((e: unknown) => e);
    assert.ok(gone instanceof StationNotConnectedError, String(gone));
    assert.equal(gone.delivered, false);

    // Back on a third node: the stale handle is routed again once, to where it is now.
    const c = await startNode(t, hub, 'c');
    await station16(t, c, 'CP-M');
    const answer = await stale.call('Reset', { type: 'Soft' });
    assert.deepEqual(answer, { status: 'Accepted' });
  });

  test('the same identity on another node replaces the older connection, and its late release changes nothing', async (t) => {
    const hub = new MemoryCluster();
    const a = await startNode(t, hub, 'a');
    const b = await startNode(t, hub, 'b');
    const old = await station16(t, a, 'CP-D');
    const closed = new Promise<{ code: number; reason: string }>((resolve) => a.cs.once('disconnect', (e) => resolve({ code: e.code, reason: e.reason })));
    await station16(t, b, 'CP-D');
    assert.deepEqual(await closed, { code: 1008, reason: 'replaced by a newer connection with the same identity' });
    await until(() => old.state !== 'open', 'the old connection to close');
    await until(() => a.cs.fleet.get('CP-D') instanceof RemoteStation, 'a to see the station on b');
    assert.equal(hub.entries.get('CP-D')?.node, 'b');
    assert.equal(a.cs.stations.size + b.cs.stations.size, 1, 'exactly one live connection');
    const moved = a.cs.fleet.get('CP-D');
    assert.ok(moved?.protocol === 'ocpp1.6');
    assert.deepEqual(await moved.call('Reset', { type: 'Soft' }), { status: 'Accepted' });
  });

  test("with duplicateIdentity 'refuse' the newer connection on another node is the one closed", async (t) => {
    const hub = new MemoryCluster();
    const a = await startNode(t, hub, 'a', { duplicateIdentity: 'refuse' });
    const b = await startNode(t, hub, 'b', { duplicateIdentity: 'refuse' });
    await station16(t, a, 'CP-R');
    await until(() => b.cs.fleet.has('CP-R'), 'b to see the station');
    const late = new ChargePoint({ url: b.url, identity: 'CP-R', protocol: 'ocpp1.6', reconnect: false });
    t.after(() => late.close());
    await assert.rejects(late.connect());
    assert.equal(a.cs.stations.size, 1);
    assert.equal(b.cs.stations.size, 0);
  });

  test('the owner dying with a call in flight gives NotConnected, delivered unknown, at once', async (t) => {
    const hub = new MemoryCluster();
    const a = await startNode(t, hub, 'a');
    const b = await startNode(t, hub, 'b');
    const cp = await station16(t, b, 'CP-K');
    let received = 0;
    cp.handle('RemoteStartTransaction', () => {
      received++;
      return new Promise(() => undefined); // holds the call
    });
    await until(() => a.cs.fleet.has('CP-K'), 'a to see the station');
    const station = a.cs.fleet.get('CP-K');
    assert.ok(station?.protocol === 'ocpp1.6');
    const call = station.call('RemoteStartTransaction', { idTag: 'TAG' }, { timeoutMs: 5000 }).catch((e: unknown) => e);
    await until(() => received === 1, 'the station to get the call');
    const started = Date.now();
    hub.kill('b');
    const error = await call;
    assert.ok(error instanceof StationNotConnectedError, String(error));
    assert.equal(error.delivered, 'unknown');
    assert.ok(Date.now() - started < 100, `took ${Date.now() - started} ms`);
    assert.equal(received, 1);
  });

  test('a station that does not answer times out with delivered unknown; the deadline travels with the call', async (t) => {
    const hub = new MemoryCluster();
    const a = await startNode(t, hub, 'a');
    const b = await startNode(t, hub, 'b');
    const cp = await station16(t, b, 'CP-T');
    cp.handle('ClearCache', () => new Promise(() => undefined));
    await until(() => a.cs.fleet.has('CP-T'), 'a to see the station');
    const station = a.cs.fleet.get('CP-T');
    assert.ok(station?.protocol === 'ocpp1.6');
    const started = Date.now();
    const error = await station.call('ClearCache', {}, { timeoutMs: 150 }).catch((e: unknown) => e);
    assert.ok(error instanceof TimeoutError, String(error));
    assert.equal(error.delivered, 'unknown');
    // The owner gave the station what was left of the caller's 150 ms, not its own 30 s default.
    assert.ok(Date.now() - started < 1000, `took ${Date.now() - started} ms`);
  });

  test('without the broker, remote calls fail at once and local calls keep working; presence comes back', async (t) => {
    const hub = new MemoryCluster();
    const a = await startNode(t, hub, 'a');
    const b = await startNode(t, hub, 'b');
    await station16(t, a, 'CP-L');
    await station16(t, b, 'CP-X');
    await until(() => a.cs.fleet.size === 2, 'a to see both');
    const errors: Error[] = [];
    a.cs.on('error', (e) => errors.push(e.error));
    hub.setAvailable(false);
    const remote = a.cs.fleet.get('CP-X');
    assert.ok(remote?.protocol === 'ocpp1.6');
    const started = Date.now();
    await assert.rejects(remote.call('Reset', { type: 'Soft' }), ClusterUnavailableError);
    assert.ok(Date.now() - started < 100);
    const local = a.cs.fleet.get('CP-L');
    assert.ok(local?.protocol === 'ocpp1.6' && !(local instanceof RemoteStation));
    assert.deepEqual(await local.call('Reset', { type: 'Soft' }), { status: 'Accepted' });
    hub.setAvailable(true);
    await until(() => a.cs.fleet.size === 2 && b.cs.fleet.size === 2, 'presence after the outage');
    assert.deepEqual(await remote.call('Reset', { type: 'Soft' }), { status: 'Accepted' });
    assert.deepEqual(errors, []);
  });

  test('a node that only calls joins with start(); before that its calls fail as unavailable', async (t) => {
    const hub = new MemoryCluster();
    const a = await startNode(t, hub, 'a');
    await station16(t, a, 'CP-S');
    const api = new CentralSystem({ protocols: ['ocpp1.6'], cluster: hub.adapter('api') });
    t.after(() => api.close());
    assert.equal(api.fleet.size, 0);
    await api.start();
    const station = api.fleet.get('CP-S');
    assert.ok(station?.protocol === 'ocpp1.6');
    assert.deepEqual(await station.call('Reset', { type: 'Soft' }), { status: 'Accepted' });
    const unjoined = new CentralSystem({ protocols: ['ocpp1.6'], cluster: hub.adapter('late') });
    const handle = new RemoteStation('CP-S', { node: 'a', conn: 'x', protocol: 'ocpp1.6' }, (unjoined as unknown as { cluster: never }).cluster);
    await assert.rejects(handle.call('Reset', { type: 'Soft' }), ClusterUnavailableError);
    await unjoined.close();
  });

  test('station events: connected, every inbound CALL with its answer, disconnected, each with a unique id', async (t) => {
    const hub = new MemoryCluster();
    const a = await startNode(t, hub, 'a');
    const cp = await station16(t, a, 'CP-E');
    await cp.call('Heartbeat', {});
    // A CALL refused by validation is an event too, with the CALLERROR we answered.
    await assert.rejects(cp.call('StatusNotification', { connectorId: -1, errorCode: 'NoError', status: 'Available' }, { validate: false }));
    await cp.close();
    await until(() => hub.events.some((e) => e.type === 'disconnected'), 'the disconnected event');
    const types = hub.events.map((e) => (e.type === 'call' ? `call ${e.action}` : e.type));
    assert.deepEqual(types, ['connected', 'call BootNotification', 'call Heartbeat', 'call StatusNotification', 'disconnected']);
    const boot = hub.events[1];
    assert.ok(boot.type === 'call');
    assert.equal(boot.identity, 'CP-E');
    assert.equal(boot.node, 'a');
    assert.deepEqual(boot.request, { chargePointVendor: 'Acme', chargePointModel: 'One' });
    assert.equal((boot.response as { status: string }).status, 'Accepted');
    const refused = hub.events[3];
    assert.ok(refused.type === 'call' && refused.error !== undefined && refused.response === undefined);
    assert.equal(new Set(hub.events.map((e) => e.id)).size, hub.events.length);
  });

  test('a bad cluster option is a TypeError naming it', () => {
    assert.throws(() => new CentralSystem({ cluster: {} as never }), /cluster must be a ClusterAdapter \(missing start/);
    assert.throws(() => new MemoryCluster().adapter(''), /nodeId must be a non-empty string/);
  });

  test('a closed station stays closed for callers on other nodes: ConnectionClosedError if it goes mid-call', async (t) => {
    const hub = new MemoryCluster();
    const a = await startNode(t, hub, 'a');
    const b = await startNode(t, hub, 'b');
    const cp = await station16(t, b, 'CP-C');
    let got = false;
    cp.handle('ClearCache', () => {
      got = true;
      return new Promise(() => undefined);
    });
    await until(() => a.cs.fleet.has('CP-C'), 'a to see the station');
    const station = a.cs.fleet.get('CP-C');
    assert.ok(station?.protocol === 'ocpp1.6');
    const call = station.call('ClearCache', {}, { timeoutMs: 5000 }).catch((e: unknown) => e);
    await until(() => got, 'the station to get the call');
    await b.cs.stations.get('CP-C')!.close(1001, 'going away');
    const error = await call;
    assert.ok(error instanceof ConnectionClosedError, String(error));
    assert.equal(error.code, 1001);
  });
  test("a call the broker delivers twice runs once, and the copy gets the station's answer, not an error", async (t) => {
    const hub = new MemoryCluster();
    const inner = hub.adapter('b');
    let host: ClusterHost | undefined;
    // The adapter of node b, recording the host so the test can deliver a call twice, as a broker might.
    const adapter: ClusterAdapter = {
      nodeId: inner.nodeId,
      publishesEvents: false,
      start: (h) => {
        host = h;
        return inner.start(h);
      },
      close: () => inner.close(),
      claim: (identity, ref, options) => inner.claim(identity, ref, options),
      release: (identity, ref) => inner.release(identity, ref),
      locate: (identity) => inner.locate(identity),
      call: (to, call) => inner.call(to, call),
      evict: (identity, to) => inner.evict(identity, to),
      publish: () => undefined,
    };
    const cs = new CentralSystem({ protocols: ['ocpp1.6'], path: '/ocpp', cluster: adapter });
    cs.handle('ocpp1.6', 'BootNotification', () => ({ status: 'Accepted', currentTime: now(), interval: 300 }));
    const address = await cs.listen({ port: 0, host: '127.0.0.1' });
    t.after(() => cs.close());
    const cp = await station16(t, { cs, url: `ws://127.0.0.1:${address.port}/ocpp` }, 'CP-D');
    let received = 0;
    cp.handle('RemoteStartTransaction', async () => {
      received++;
      await new Promise((r) => setTimeout(r, 30));
      return { status: 'Accepted' as const };
    });
    await until(() => [...host!.localStations()].length === 1, 'the station to be claimed');
    const [[identity, ref]] = [...host!.localStations()];
    const call = {
      id: 'call-1',
      from: 'a',
      identity,
      conn: ref.conn,
      action: 'RemoteStartTransaction',
      payload: { idTag: 'T' },
      deadline: Date.now() + 5000,
      validate: true,
    };
    const [first, copy] = await Promise.all([host!.executeLocal(call), host!.executeLocal({ ...call })]);
    assert.deepEqual(first, { ok: true, payload: { status: 'Accepted' } });
    assert.deepEqual(copy, first);
    assert.equal(received, 1, 'the station got the call once');
    const late = await host!.executeLocal({ ...call });
    assert.ok(!late.ok && late.error.kind === 'error', 'a copy after the call ended is refused, not run');
    assert.equal(received, 1);
  });
});
