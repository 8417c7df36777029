import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startRedis } from '/work/main/test/support/redis-server';
import { createClient } from 'redis';
import Redis from 'ioredis';
test('redis', async () => {
  const s = await startRedis();
  const c = await createClient({ socket: { path: s.socket } }).connect();
  assert.equal(await c.ping(), 'PONG');
  const i = new Redis({ path: s.socket });
  assert.equal(await i.ping(), 'PONG');
  await s.restart();
  await c.quit().catch(()=>{}); i.disconnect();
  await s.stop();
});
