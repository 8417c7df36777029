/** A client for owner-process.ts (no TestContext there: the process is killed, not closed). */
import { createClient } from 'redis';
import Redis from 'ioredis';

export async function ownerClient(kind: string, socket: string) {
  if (kind === 'node-redis') {
    const client = createClient({ socket: { path: socket, tls: false } });
    client.on('error', () => undefined);
    return client.connect();
  }
  const client = new Redis({ path: socket, lazyConnect: true });
  client.on('error', () => undefined);
  await client.connect();
  return client;
}
