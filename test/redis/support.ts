/**
 * What the Redis tests share: one real redis-server per test file (test/support/redis-server.ts),
 * clients of both kinds made the way users make them (with a short retry delay, so reconnecting
 * tests are quick), and CentralSystem nodes on 127.0.0.1 port 0 with real ChargePoints.
 */
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import type { TestContext } from 'node:test';
import { createClient } from 'redis';
import Redis from 'ioredis';
import { CentralSystem, ChargePoint } from '../../src/index';
import { redisCluster, type RedisCluster, type RedisClusterOptions } from '../../src/redis/index';
import type { ClusterHost, PresenceChange, RemoteCall, RemoteOutcome, StationRef } from '../../src/index';
import type { RedisServer } from '../support/redis-server';

/** Every case runs once per client. */
export const CLIENTS = ['node-redis', 'ioredis'] as const;
export type ClientKind = (typeof CLIENTS)[number];

/** A connected client of `kind`, closed after the test; it reconnects every 20 ms while Redis is away. */
export async function makeClient(t: TestContext | undefined, kind: ClientKind, server: RedisServer) {
  if (kind === 'node-redis') {
    const client = createClient({ socket: { path: server.socket, tls: false, reconnectStrategy: () => 20 } });
    client.on('error', () => undefined);
    await client.connect();
    t?.after(() => client.destroy());
    return client;
  }
  const client = new Redis({ path: server.socket, retryStrategy: () => 20, lazyConnect: true });
  client.on('error', () => undefined);
  await client.connect();
  t?.after(() => client.disconnect());
  return client;
}

const now = (): string => new Date().toISOString();

/** A node: a CentralSystem with a Redis adapter, listening on 127.0.0.1, closed after the test. */
export interface Node {
  readonly cs: CentralSystem<'ocpp1.6'>;
  readonly cluster: RedisCluster;
  readonly url: string;
  readonly errors: Error[];
}

export async function startNode(
  t: TestContext,
  client: Parameters<typeof redisCluster>[0]['client'],
  nodeId: string,
  options: Partial<RedisClusterOptions> = {},
): Promise<Node> {
  const cluster = redisCluster({ client, nodeId, namespace: options.namespace ?? 'test', ...options });
  const cs = new CentralSystem({ protocols: ['ocpp1.6'], path: '/ocpp', cluster });
  const errors: Error[] = [];
  cs.on('error', (e) => errors.push(e.error));
  cs.handle('ocpp1.6', 'BootNotification', () => ({ status: 'Accepted', currentTime: now(), interval: 300 }));
  cs.handle('ocpp1.6', 'Heartbeat', () => ({ currentTime: now() }));
  const address = await cs.listen({ port: 0, host: '127.0.0.1' });
  t.after(() => cs.close());
  return { cs, cluster, url: `ws://127.0.0.1:${address.port}/ocpp`, errors };
}

/** A 1.6 ChargePoint connected to `node` and booted; it answers Reset and GetConfiguration. */
export async function station(t: TestContext, node: { url: string }, identity: string): Promise<ChargePoint<'ocpp1.6'>> {
  const cp = new ChargePoint({ url: node.url, identity, protocol: 'ocpp1.6', reconnect: false });
  t.after(() => cp.close());
  cp.handle('Reset', () => ({ status: 'Accepted' }));
  cp.handle('GetConfiguration', () => ({ configurationKey: [{ key: 'Identity', readonly: true, value: identity }] }));
  await cp.connect();
  await cp.call('BootNotification', { chargePointVendor: 'Acme', chargePointModel: 'One' });
  return cp;
}

/** Waits until `check` holds, looking every 5 ms; fails after `ms`. */
export async function until(check: () => boolean, what: string, ms = 3000): Promise<void> {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

/** A node in a child process (owner-process.ts): its port, and SIGKILL. */
export interface ChildNode {
  readonly url: string;
  kill(): Promise<void>;
}

export async function startChildNode(t: TestContext, kind: ClientKind, server: RedisServer, nodeId: string, namespace: string): Promise<ChildNode> {
  const child = spawn(process.execPath, ['--import', 'tsx', join(__dirname, 'owner-process.ts'), kind, server.socket, nodeId, namespace], {
    // stdin stays open while we live: the child exits when it closes, even if we die without killing it.
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const kill = async (): Promise<void> => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    await exited;
  };
  t.after(kill);
  let output = '';
  const port = await new Promise<number>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`the child node did not start in 15 s: ${output}`)), 15_000);
    const onData = (chunk: Buffer): void => {
      output += chunk.toString();
      const m = /PORT (\d+)/.exec(output);
      if (m === null) return;
      clearTimeout(timer);
      resolve(Number(m[1]));
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    void exited.then(() => {
      clearTimeout(timer);
      reject(new Error(`the child node exited: ${output}`));
    });
  });
  return { url: `ws://127.0.0.1:${port}/ocpp`, kill };
}

/** A ClusterHost that records what the adapter tells it, for tests of the adapter alone. */
export class RecordingHost implements ClusterHost {
  readonly changes: PresenceChange[] = [];
  readonly resets: Array<Array<readonly [string, StationRef]>> = [];
  readonly problems: Error[] = [];
  readonly evicted: Array<[string, string]> = [];
  readonly local = new Map<string, StationRef>();

  executeLocal(call: RemoteCall): Promise<RemoteOutcome> {
    return Promise.resolve({ ok: false, error: { kind: 'not-connected', delivered: false, detail: `${call.identity} is not here` } });
  }
  evict(identity: string, conn: string): void {
    this.evicted.push([identity, conn]);
  }
  localStations(): Iterable<readonly [string, StationRef]> {
    return this.local;
  }
  presence(change: PresenceChange): void {
    this.changes.push(change);
  }
  resetPresence(entries: Iterable<readonly [string, StationRef]>): void {
    this.resets.push([...entries]);
  }
  problem(error: Error): void {
    this.problems.push(error);
  }
}

/** Like {@link until}, for a check that asks Redis (a rejection counts as not yet). */
export async function untilAsync(check: () => Promise<boolean>, what: string, ms = 3000): Promise<void> {
  const end = Date.now() + ms;
  while (!(await check().catch(() => false))) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

/** Sends a raw command through a test client of either kind. */
export function rawCommand(client: unknown, args: string[]): Promise<unknown> {
  const c = client as { sendCommand?: (a: string[]) => Promise<unknown>; call?: (...a: string[]) => Promise<unknown> };
  return typeof c.call === 'function' && !('isOpen' in (client as object)) ? c.call(...args) : c.sendCommand!(args);
}
