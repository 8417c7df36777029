/**
 * The events publisher without Redis, over a fake command connection: the events of one turn go
 * out as one command in order, and a drop before the turn's end or with the batch in flight keeps
 * them in the bounded buffer (the rest counted) until Redis is back.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { ClusterEvent } from '../../src/cluster/adapter';
import type { RawConnection } from '../../src/redis/client';
import { Clock } from '../../src/redis/clock';
import { Commands } from '../../src/redis/commands';
import { EventPublisher } from '../../src/redis/events';
import { APPEND } from '../../src/redis/scripts';

interface Sent {
  readonly args: readonly string[];
  resolve(reply: unknown): void;
  reject(error: Error): void;
}

function fakeConnection() {
  const sent: Sent[] = [];
  let state: (up: boolean, error?: Error) => void = () => undefined;
  let up = true;
  const raw: RawConnection = {
    kind: 'node-redis',
    isReady: () => up,
    send: (args) => new Promise((resolve, reject) => sent.push({ args, resolve, reject })),
    subscribe: () => Promise.resolve(),
    onState: (listener) => (state = listener),
    connect: () => undefined,
    destroy: () => undefined,
  };
  const clock = new Clock();
  const commands = new Commands(raw, clock, 1000);
  const setUp = (value: boolean): void => {
    up = value;
    state(value);
  };
  setUp(true);
  return { sent, commands, setUp, stop: () => clock.stop() };
}

const turn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

function event(seq: number): ClusterEvent {
  return { id: `c1:${seq}`, identity: 'CP', node: 'n', conn: 'c1', protocol: 'ocpp1.6', at: 0, type: 'disconnected', code: 1000, reason: '' };
}

const ids = (args: readonly string[]): string[] => args.slice(5).map((data) => (JSON.parse(data) as { id: string }).id);

test('events - the events of one turn go to Redis as one script call, in order', async (t) => {
  const c = fakeConnection();
  t.after(c.stop);
  const events = new EventPublisher(c.commands, 'ocpp:{t}:events', 1000, 10);
  for (let i = 1; i <= 3; i++) events.publish(event(i));
  assert.equal(c.sent.length, 0, 'nothing written before the turn ends');
  await turn();
  assert.equal(c.sent.length, 1);
  assert.deepEqual(c.sent[0].args.slice(0, 5), ['EVALSHA', APPEND.sha, '1', 'ocpp:{t}:events', '1000']);
  assert.deepEqual(ids(c.sent[0].args), ['c1:1', 'c1:2', 'c1:3']);
  c.sent[0].resolve(3);
  events.publish(event(4));
  await turn();
  assert.equal(c.sent.length, 2, 'a later turn, a later call');
  assert.deepEqual(ids(c.sent[1].args), ['c1:4']);
});

test('events - a drop before the turn ends, or with the batch in flight, buffers them (bounded, the rest counted) until Redis is back', async (t) => {
  const c = fakeConnection();
  t.after(c.stop);
  const events = new EventPublisher(c.commands, 'ocpp:{t}:events', 1000, 3);
  events.publish(event(1));
  events.publish(event(2));
  c.setUp(false);
  await turn();
  assert.equal(c.sent.length, 0, 'nothing sent while the connection is down');
  assert.equal(events.buffered, 2);
  c.setUp(true);
  events.flush();
  assert.equal(c.sent.length, 1);
  assert.deepEqual(ids(c.sent[0].args), ['c1:1', 'c1:2']);
  // The connection drops with that batch in flight: it is buffered again (may be written twice).
  c.setUp(false);
  await turn();
  assert.equal(events.buffered, 2);
  events.publish(event(3));
  events.publish(event(4));
  assert.equal(events.buffered, 3, 'the buffer stops at bufferLimit');
  assert.equal(events.dropped, 1);
  c.setUp(true);
  events.flush();
  assert.deepEqual(ids(c.sent[1].args), ['c1:1', 'c1:2', 'c1:3']);
});
