/**
 * Builds the Redis client of a given kind the way a user would (no options that the adapter
 * might quietly depend on), for the node processes and for the event readers in the test.
 */
import type { ClientKind } from './protocol';

/** A connected client and how to let go of it. */
export interface OpenClient {
  readonly client: unknown;
  /** Whether the client answers a PING (within a second). */
  ping(): Promise<boolean>;
  /** Closes it; never throws. */
  quit(): Promise<void>;
}

/** The two clients every case runs against. */
export const CLIENT_KINDS: readonly ClientKind[] = ['node-redis', 'ioredis'];

/** Connects a client of `kind` over the redis-server's Unix socket. */
export async function connectClient(kind: ClientKind, socket: string): Promise<OpenClient> {
  const complain = (error: Error): void => {
    // Expected while Redis is down in the outage test; visible with CLUSTER_DEBUG=1.
    if (process.env.CLUSTER_DEBUG) process.stderr.write(`${kind} client: ${error.message}\n`);
  };
  if (kind === 'node-redis') {
    const { createClient } = await import('redis');
    const client = createClient({ socket: { path: socket, tls: false } });
    client.on('error', complain);
    await client.connect();
    return { client, ping: () => pinged(client.ping()), quit: () => client.close().catch(() => client.destroy()) };
  }
  const { Redis } = await import('ioredis');
  const client = new Redis({ path: socket, lazyConnect: true });
  client.on('error', complain);
  await client.connect();
  return {
    client,
    ping: () => pinged(client.ping()),
    quit: () =>
      client.quit().then(
        () => undefined,
        () => client.disconnect(),
      ),
  };
}

function pinged(reply: Promise<unknown>): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(false), 1000)));
  return Promise.race([
    reply.then(
      (r) => r === 'PONG',
      () => false,
    ),
    late,
  ]).finally(() => clearTimeout(timer));
}
