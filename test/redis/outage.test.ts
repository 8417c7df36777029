/**
 * Redis going away and coming back, with each client (the server is killed with SIGKILL and
 * restarted empty, as after a crash without persistence): commands in flight fail at once, remote
 * calls are unavailable at once while local ones keep working, presence operations reject at
 * once; on restart every node claims its stations again and the fleets are whole; events wait in
 * a bounded buffer and the rest are counted.
 */
import assert from 'node:assert/strict';
import { after, afterEach, before, describe, test } from 'node:test';
import { ClusterUnavailableError, RemoteStation, StationNotConnectedError } from '../../src/index';
import { duplicateConnection } from '../../src/redis/client';
import { Clock } from '../../src/redis/clock';
import { Commands } from '../../src/redis/commands';
import { RedisUnavailableError, readClusterEvents, redisCluster, type ClusterEventDelivery } from '../../src/redis/index';
import { redisSkipReason, startRedis, type RedisServer } from '../support/redis-server';
import { CLIENTS, makeClient, rawCommand, RecordingHost, startNode, station, until, untilAsync } from './support';

const skip = redisSkipReason();

for (const kind of CLIENTS) {
  describe(`redis down and back (${kind})`, { skip }, () => {
    let server: RedisServer;
    before(async () => {
      server = await startRedis();
    });
    after(() => server?.stop());
    // Each case kills the server; the next one needs it up.
    afterEach(async () => {
      await server.restart();
    });

    test('a command in flight when Redis dies fails at once, and one sent while it is down is refused at once', async (t) => {
      const client = await makeClient(t, kind, server);
      const clock = new Clock();
      const commands = new Commands(duplicateConnection(client, 'commands'), clock, 60_000);
      commands.raw.connect();
      t.after(() => {
        clock.stop();
        commands.raw.destroy();
      });
      assert.ok(await commands.whenReady());
      const blocked = commands.send(['BLPOP', 'nothing', '0']).catch((e: unknown) => e);
      await untilAsync(async () => /cmd=blpop/.test(String(await rawCommand(client, ['CLIENT', 'LIST']))), 'Redis to hold the BLPOP');
      const killed = Date.now();
      await server.kill();
      const error = await blocked;
      assert.ok(error instanceof RedisUnavailableError, String(error));
      assert.ok(Date.now() - killed < 100, `took ${Date.now() - killed} ms`);
      const refused = Date.now();
      await assert.rejects(commands.send(['PING']), RedisUnavailableError);
      assert.ok(Date.now() - refused < 10);
    });

    test('while Redis is down remote calls are unavailable at once and local ones work; on restart the fleets are whole again', async (t) => {
      const client = await makeClient(t, kind, server);
      const ns = `down-${kind}`;
      const a = await startNode(t, client, 'a', { namespace: ns });
      const b = await startNode(t, client, 'b', { namespace: ns });
      const cpL = await station(t, a, 'CP-L');
      const held = await station(t, b, 'CP-X');
      let got = false;
      held.handle('ClearCache', () => {
        got = true;
        return new Promise(() => undefined);
      });
      await until(() => a.cs.fleet.size === 2 && b.cs.fleet.size === 2, 'both fleets to hold both stations');
      const remote = a.cs.fleet.get('CP-X');
      assert.ok(remote instanceof RemoteStation && remote.protocol === 'ocpp1.6');
      const inFlight = remote.call('ClearCache', {}, { timeoutMs: 10_000 }).catch((e: unknown) => e);
      await until(() => got, 'the station to get the call');

      const killed = Date.now();
      await server.kill();
      const lost = await inFlight;
      assert.ok(lost instanceof StationNotConnectedError && lost.delivered === 'unknown', String(lost));
      assert.ok(Date.now() - killed < 100, `the call in flight took ${Date.now() - killed} ms to fail`);

      const started = Date.now();
      await assert.rejects(remote.call('Reset', { type: 'Soft' }), ClusterUnavailableError);
      await assert.rejects(a.cluster.locate('CP-X'), RedisUnavailableError);
      await assert.rejects(a.cluster.claim('CP-Z', { node: 'a', conn: 'z', protocol: 'ocpp1.6' }, { replace: false }), RedisUnavailableError);
      assert.ok(Date.now() - started < 50, `took ${Date.now() - started} ms`);
      const local = a.cs.fleet.get('CP-L');
      assert.ok(local?.protocol === 'ocpp1.6' && !(local instanceof RemoteStation));
      assert.deepEqual(await local.call('Reset', { type: 'Soft' }), { status: 'Accepted' });

      await server.restart(); // empty: nothing was saved

      // Both nodes claim their stations again (Redis came back empty).
      await untilAsync(
        async () => (await a.cluster.locate('CP-X'))?.node === 'b' && (await b.cluster.locate('CP-L'))?.node === 'a',
        'both stations claimed again',
      ).catch((error: Error) => {
        throw new Error(`${error.message}; errors reported: ${[...a.errors, ...b.errors].map((e) => e.message).join(' | ')}`);
      });
      assert.equal(a.cs.fleet.size, 2);
      assert.equal(b.cs.fleet.size, 2);
      // (CP-X still holds the ClearCache, so the call goes the other way: b to a's station.)
      const back = b.cs.fleet.get('CP-L');
      assert.ok(back instanceof RemoteStation);
      assert.ok(back?.protocol === 'ocpp1.6');
      let resets = 0;
      cpL.handle('Reset', () => {
        resets++;
        return { status: 'Accepted' };
      });
      for (let i = 0; i < 5; i++) assert.deepEqual(await back.call('Reset', { type: 'Soft' }), { status: 'Accepted' });
      assert.equal(resets, 5, 'each call reached the station once after the resubscribe');
      assert.ok(a.errors.length > 0 && a.errors.every((e) => e instanceof RedisUnavailableError), a.errors.map(String).join('\n'));
      await server.kill(); // afterEach restarts it
    });

    test('joining while Redis is down fails with RedisUnavailableError within nodeTtlMs, and a later start succeeds', async (t) => {
      const client = await makeClient(t, kind, server);
      const cluster = redisCluster({ client, nodeId: 'late', namespace: `join-${kind}`, heartbeatMs: 100, nodeTtlMs: 300 });
      t.after(() => cluster.close());
      await server.kill();
      const started = Date.now();
      await assert.rejects(cluster.start(new RecordingHost()), RedisUnavailableError);
      assert.ok(Date.now() - started < 1000, `took ${Date.now() - started} ms`);
      await server.restart();
      const host = new RecordingHost();
      await cluster.start(host);
      assert.deepEqual(host.resets, [[]]);
      // Another adapter with the same node id is refused while this one lives.
      const twin = redisCluster({ client, nodeId: 'late', namespace: `join-${kind}` });
      await assert.rejects(twin.start(new RecordingHost()), /nodeId late is in use/);
      await server.kill();
    });

    test('events during an outage wait in a bounded buffer, the rest are counted, and the buffer is written when Redis is back', async (t) => {
      const client = await makeClient(t, kind, server);
      const ns = `buffer-${kind}`;
      const a = await startNode(t, client, 'a', { namespace: ns, events: { bufferLimit: 2 } });
      const cp = await station(t, a, 'CP-E');
      // connected and BootNotification are in the stream before the outage starts.
      await untilAsync(async () => Number(await rawCommand(client, ['XLEN', `ocpp:{${ns}}:events`])) === 2, 'the first two events written');
      await server.kill();
      await until(() => a.errors.length > 0, 'the adapter to report the drop');
      for (let i = 0; i < 4; i++) await cp.call('Heartbeat', {});
      assert.equal(a.cluster.eventsDropped, 2);
      await server.restart();
      const stop = new AbortController();
      const seen: ClusterEventDelivery[] = [];
      for await (const event of readClusterEvents({ client, namespace: ns, group: 'g', consumer: 'c', signal: stop.signal, blockMs: 200 })) {
        seen.push(event);
        if (seen.length === 2) stop.abort();
      }
      assert.deepEqual(
        seen.map((e) => (e.type === 'call' ? e.action : e.type)),
        ['Heartbeat', 'Heartbeat'],
      );
      assert.deepEqual(
        seen.map((e) => e.id.split(':').at(-1)),
        ['3', '4'],
        'the first two heartbeats after the boot (events 3 and 4 of the connection) were kept, in order',
      );
      await server.kill();
    });
  });
}
