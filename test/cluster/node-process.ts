/**
 * One CentralSystem node of a cluster test, as its own process (forked by fixture.ts): a Redis
 * client of the kind asked for, `redisCluster(...)` over it, a CentralSystem on 127.0.0.1 port 0.
 * It reports its port over IPC and then serves the test's commands (see protocol.ts). The
 * ChargePoints are not here: they live in the test process, so that they outlive a SIGKILL of
 * this node and count what they receive.
 */
import { CentralSystem, RemoteStation, type ClusterAdapter, type OcppVersion, type StationRef } from '../../src/index';
import { redisCluster } from '../../src/redis/index';
import { connectClient } from './clients';
import type { ClientKind, Command, ErrorInfo, FleetEntry, FromNode, NodeEnv, ReleaseRecord, Reply } from './protocol';

const env = process.env as Partial<NodeEnv>;

function required(name: keyof NodeEnv): string {
  const value = env[name];
  if (value === undefined || value === '') throw new Error(`${name} is not set`);
  return value;
}

function send(message: FromNode): void {
  process.send?.(message);
}

/** The test process went away (crashed, or was killed): a node must not outlive it. */
process.on('disconnect', () => process.exit(1));

/**
 * The adapter, with a hook the "closes late" test turns on: every release waits `ms` first, so
 * the old node's release reaches Redis after the new node's claim.
 */
function withDelayedReleases(adapter: ClusterAdapter): { adapter: ClusterAdapter; delay(ms: number): void; releases: ReleaseRecord[] } {
  let delayMs = 0;
  const releases: ReleaseRecord[] = [];
  const wrapped = new Proxy(adapter, {
    get(target, property) {
      if (property === 'release') {
        return async (identity: string, ref: StationRef): Promise<boolean> => {
          if (delayMs > 0) await new Promise((resolve) => setTimeout(resolve, delayMs));
          try {
            const removed = await target.release(identity, ref);
            releases.push({ identity, conn: ref.conn, removed, at: Date.now() });
            return removed;
          } catch (error) {
            releases.push({ identity, conn: ref.conn, removed: 'failed', at: Date.now() });
            throw error;
          }
        };
      }
      const value: unknown = Reflect.get(target, property, target);
      return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(target) : value;
    },
  });
  return { adapter: wrapped, delay: (ms) => (delayMs = ms), releases };
}

function errorInfo(error: unknown): ErrorInfo {
  if (!(error instanceof Error)) return { name: typeof error, message: String(error) };
  const fields = error as Error & { delivered?: false | 'unknown'; code?: string | number };
  return {
    name: error.constructor.name,
    message: error.message,
    ...(fields.delivered === undefined ? {} : { delivered: fields.delivered }),
    ...(fields.code === undefined ? {} : { code: fields.code }),
  };
}

async function main(): Promise<void> {
  const nodeId = required('NODE_ID');
  const kind = required('REDIS_CLIENT') as ClientKind;
  send({ type: 'stage', stage: `loaded; connecting ${kind}` });
  const redis = await connectClient(kind, required('REDIS_SOCKET'));
  send({ type: 'stage', stage: 'client connected; joining the cluster' });
  const cluster = redisCluster({
    client: redis.client as never,
    nodeId,
    namespace: required('NAMESPACE'),
    events: true,
    heartbeatMs: Number(required('HEARTBEAT_MS')),
    nodeTtlMs: Number(required('NODE_TTL_MS')),
  });
  const hook = withDelayedReleases(cluster);
  const protocols = required('PROTOCOLS').split(',') as OcppVersion[];
  const cs = new CentralSystem({ protocols, path: '/ocpp', cluster: hook.adapter });
  const now = (): string => new Date().toISOString();
  cs.handle('ocpp1.6', 'BootNotification', () => ({ status: 'Accepted', currentTime: now(), interval: 300 }));
  cs.handle('ocpp1.6', 'Heartbeat', () => ({ currentTime: now() }));
  cs.handle('ocpp1.6', 'StatusNotification', () => ({}));
  cs.handle('ocpp2.0.1', 'BootNotification', () => ({ status: 'Accepted', currentTime: now(), interval: 300 }));
  cs.handle('ocpp2.0.1', 'Heartbeat', () => ({ currentTime: now() }));
  const errors: string[] = [];
  cs.on('error', (event) => errors.push(event.error.message));

  const address = await cs.listen({ port: 0, host: '127.0.0.1' });

  const serve = async (command: Command): Promise<Reply> => {
    switch (command.type) {
      case 'call': {
        const started = performance.now();
        const station = cs.fleet.get(command.identity);
        if (station === undefined) {
          const error = { name: 'NotInFleet', message: `${command.identity} is not in this node's fleet` };
          return { id: command.id, type: 'call', result: { ok: false, error, ms: performance.now() - started, via: 'absent' } };
        }
        const via = station instanceof RemoteStation ? station.node : 'local';
        try {
          const call = station.call.bind(station) as (action: string, payload: unknown, options: object) => Promise<unknown>;
          const payload = await call(command.action, command.payload, { timeoutMs: command.timeoutMs });
          return { id: command.id, type: 'call', result: { ok: true, payload, ms: performance.now() - started, via } };
        } catch (error) {
          return { id: command.id, type: 'call', result: { ok: false, error: errorInfo(error), ms: performance.now() - started, via } };
        }
      }
      case 'fleet': {
        const fleet: FleetEntry[] = [...cs.fleet].map((s) => ({ identity: s.identity, node: s instanceof RemoteStation ? s.node : nodeId }));
        return { id: command.id, type: 'fleet', fleet };
      }
      case 'local':
        return { id: command.id, type: 'local', identities: [...cs.stations].map((s) => s.identity) };
      case 'delay-releases':
        hook.delay(command.ms);
        return { id: command.id, type: 'done' };
      case 'stats':
        return { id: command.id, type: 'stats', stats: { eventsDropped: cluster.eventsDropped, releases: [...hook.releases], errors: [...errors] } };
      case 'close': {
        await cs.close();
        // cs.close() closes the adapter's own connections, never the client the user passed in.
        const clientAlive = await redis.ping();
        await redis.quit();
        return { id: command.id, type: 'closed', clientAlive };
      }
    }
  };

  process.on('message', (command: Command) => {
    serve(command).then(
      (reply) => {
        send(reply);
        if (command.type === 'close') setImmediate(() => process.exit(0));
      },
      (error: unknown) => send({ id: command.id, type: 'failed', message: error instanceof Error ? (error.stack ?? error.message) : String(error) }),
    );
  });
  send({ type: 'ready', port: address.port, nodeId });
}

main().catch((error: unknown) => {
  send({ type: 'fatal', message: error instanceof Error ? (error.stack ?? error.message) : String(error) });
  setImmediate(() => process.exit(1));
});
