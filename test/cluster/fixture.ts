/**
 * A cluster under test: CentralSystem nodes forked as separate processes (nodes.ts) on one real
 * redis-server, and ChargePoints in this process spread across them (stations.ts). Every wait
 * has a bound, and closing always kills what was started, even after a failed assertion: a test
 * that hangs or leaks a process costs the whole suite more than one that fails.
 */
import { after, before, describe, type TestContext } from 'node:test';
import { redisSkipReason, startRedis, type RedisServer } from '../support/redis-server';
import { CLIENT_KINDS } from './clients';
import { TestNode } from './nodes';
import type { ClientKind } from './protocol';
import { RawStation, TestStation, type StationBehaviour } from './stations';
import { until } from './timing';

export { TestNode } from './nodes';
export { RawStation, TestStation, type StationBehaviour } from './stations';
export { ms, sleep, summary, until } from './timing';

/** Node heartbeat and TTL in the tests: a killed node is forgotten within about a second. */
export const HEARTBEAT_MS = 200;
export const NODE_TTL_MS = 1000;

/** Options of {@link Cluster.start}. */
export interface ClusterOptions {
  readonly redis: RedisServer;
  readonly client: ClientKind;
  /** Key namespace: unique per test. */
  readonly namespace: string;
  /** @default 3 */
  readonly nodes?: number;
}

/** Nodes `n1`..`nN` on one redis-server, and the stations the test connected to them. */
export class Cluster {
  readonly nodes: TestNode[] = [];
  readonly stations: (TestStation | RawStation)[] = [];
  /** Every node forked, those in `nodes` and later ones. */
  private readonly forked = new Set<TestNode>();

  private constructor(private readonly options: ClusterOptions) {}

  get namespace(): string {
    return this.options.namespace;
  }

  /** Forks the nodes in parallel and waits until each listens. */
  static async start(options: ClusterOptions): Promise<Cluster> {
    const cluster = new Cluster(options);
    const count = options.nodes ?? 3;
    try {
      for (const node of await Promise.all(Array.from({ length: count }, (_, i) => cluster.spawn(`n${i + 1}`)))) cluster.nodes.push(node);
    } catch (error) {
      await cluster.close();
      throw error;
    }
    return cluster;
  }

  /** Forks one more node (not added to `nodes`); the caller closes it, or `close()` does. */
  async spawn(nodeId: string): Promise<TestNode> {
    const node = await TestNode.start({
      REDIS_SOCKET: this.options.redis.socket,
      REDIS_CLIENT: this.options.client,
      NODE_ID: nodeId,
      NAMESPACE: this.options.namespace,
      PROTOCOLS: 'ocpp1.6,ocpp2.0.1',
      HEARTBEAT_MS: String(HEARTBEAT_MS),
      NODE_TTL_MS: String(NODE_TTL_MS),
    });
    this.forked.add(node);
    return node;
  }

  /** Connects a counting station to `node` and boots it. */
  station(node: TestNode, identity: string, behaviour: StationBehaviour = {}, tag = node.id): Promise<TestStation> {
    return this.newStation(node, identity, behaviour, tag).start();
  }

  /** A counting station for `node`, not connected yet (closed by `close()` all the same). */
  newStation(node: TestNode, identity: string, behaviour: StationBehaviour = {}, tag = node.id): TestStation {
    const station = new TestStation(identity, node, tag, behaviour);
    this.stations.push(station);
    return station;
  }

  /** Connects a bare station that can be frozen (see {@link RawStation}). */
  async rawStation(node: TestNode, identity: string): Promise<RawStation> {
    const station = new RawStation(node, identity);
    this.stations.push(station);
    return station.start();
  }

  /** Closes the stations, then the nodes (gracefully, else killed); never throws. */
  async close(): Promise<void> {
    await this.closeStations();
    await Promise.all([...this.forked].map((node) => node.close().catch(() => undefined)));
  }

  /** Closes every station connected so far; never throws. */
  async closeStations(): Promise<void> {
    const stations = this.stations.splice(0);
    for (const station of stations) if (station instanceof RawStation) station.close();
    await Promise.all(stations.flatMap((s) => (s instanceof TestStation ? [s.close()] : [])));
  }

  /**
   * Makes a cluster shared by several tests clean for the next one: no stations, no delayed
   * releases, and every fleet empty (bounded); throws when it cannot get there.
   */
  async reset(): Promise<void> {
    await this.closeStations();
    await Promise.all(this.nodes.filter((n) => n.alive).map((n) => n.delayReleases(0)));
    await untilFleets(this.nodes, [], 'every fleet to be empty between tests', 3000);
  }
}

/** What a suite of one client gets: its redis-server and fresh clusters on it. */
export interface Suite {
  readonly client: ClientKind;
  /** The suite's redis-server (started before its first test). */
  readonly redis: RedisServer;
  /** A fresh cluster in a namespace of its own, closed (nodes killed if need be) after the test. */
  cluster(t: TestContext, nodes?: number): Promise<Cluster>;
  /**
   * The suite's one three-node cluster, started by the first test that asks, for tests that kill
   * nothing (it saves a startup per test); the test's stations are closed and the fleets checked
   * empty after it.
   */
  sharedCluster(t: TestContext): Promise<Cluster>;
}

/**
 * Declares `body`'s tests once per Redis client, each client with its own redis-server. Skips
 * without redis-server (fails under CI: see redisSkipReason).
 */
export function describeEachClient(title: string, body: (suite: Suite) => void): void {
  const skip = redisSkipReason();
  for (const client of CLIENT_KINDS) {
    describe(`${title} (${client})`, { skip }, () => {
      let redis: RedisServer | undefined;
      let tests = 0;
      let shared: Promise<Cluster> | undefined;
      before(async () => {
        redis = await startRedis();
      });
      after(async () => {
        if (shared !== undefined) await (await shared.catch(() => undefined))?.close();
        await redis?.stop();
      });
      body({
        client,
        get redis() {
          if (redis === undefined) throw new Error('redis-server is not running');
          return redis;
        },
        async cluster(t, nodes) {
          if (redis === undefined) throw new Error('redis-server is not running');
          const cluster = await Cluster.start({ redis, client, namespace: `t${++tests}`, nodes });
          t.after(() => cluster.close());
          return cluster;
        },
        async sharedCluster(t) {
          if (redis === undefined) throw new Error('redis-server is not running');
          shared ??= Cluster.start({ redis, client, namespace: 'shared' });
          const cluster = await shared;
          t.after(() => cluster.reset());
          return cluster;
        },
      });
    });
  }
}

/** Every node's fleet as `identity@node` strings, for comparing with one expected list. */
export async function fleets(nodes: readonly TestNode[]): Promise<string[][]> {
  return Promise.all(nodes.filter((n) => n.alive).map(async (n) => (await n.fleet()).map((e) => `${e.identity}@${e.node}`).sort()));
}

/** Waits until every live node's fleet is exactly `expected` (`identity@node`, sorted); resolves the time it took. */
export function untilFleets(nodes: readonly TestNode[], expected: readonly string[], what: string, ms = 5000): Promise<number> {
  const want = JSON.stringify([...expected].sort());
  let last: string[][] = [];
  return until(
    async () => {
      last = await fleets(nodes);
      return last.every((fleet) => JSON.stringify(fleet) === want);
    },
    what,
    ms,
  ).catch((error: Error) => {
    throw new Error(`${error.message}; wanted ${want}, fleets were ${JSON.stringify(last)}`);
  });
}
