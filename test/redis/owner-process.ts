/**
 * A CentralSystem node in a process of its own, for the tests that kill a node (SIGKILL) and need
 * its connections to drop the way a crashed process's do. Usage:
 * `node --import tsx test/redis/owner-process.ts <node-redis|ioredis> <socket> <nodeId> <namespace>`;
 * prints `PORT <n>` once it listens, then runs until killed (or until its stdin closes).
 */
import { CentralSystem } from '../../src/index';
import { redisCluster } from '../../src/redis/index';
import { ownerClient } from './owner-client';

async function main(): Promise<void> {
  const [kind, socket, nodeId, namespace] = process.argv.slice(2);
  const client = await ownerClient(kind, socket);
  const cs = new CentralSystem({ protocols: ['ocpp1.6'], path: '/ocpp', cluster: redisCluster({ client, nodeId, namespace }) });
  cs.handle('ocpp1.6', 'BootNotification', () => ({ status: 'Accepted', currentTime: new Date().toISOString(), interval: 300 }));
  const address = await cs.listen({ port: 0, host: '127.0.0.1' });
  process.stdout.write(`PORT ${address.port}\n`);
  // The test that started us holds our stdin: when it goes, so do we.
  process.stdin.on('end', () => process.exit(0));
  process.stdin.resume();
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
