/**
 * `ocpp-sdk/redis`: the Redis implementation of the cluster adapter, so several CentralSystem
 * processes share their stations, and a reader of the events they publish. Bring your own
 * client: node-redis (`redis`) or ioredis, both optional peer dependencies; neither is imported
 * here, not even for types.
 *
 * @module ocpp-sdk/redis
 */
export { RedisCluster, redisCluster } from './cluster';
export { RedisUnavailableError } from './errors';
export { DEFAULT_REDIS_CLUSTER_OPTIONS } from './options';
export { readClusterEvents } from './reader';

export type { RedisClientLike } from './client';
export type { RedisClusterOptions, RedisEventsOptions } from './options';
export type { ClusterEventDelivery, ReadClusterEventsOptions } from './reader';
