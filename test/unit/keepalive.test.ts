/** Keepalive with fake timers and fake sockets: who is pinged, who is dropped, and when. */
import assert from 'node:assert/strict';
import { EventEmitter } from 'node:events';
import { afterEach, beforeEach, describe, mock, test } from 'node:test';
import { Keepalive } from '../../src/transport/keepalive';

/** A socket that counts pings and terminations and answers pings only when told to. */
class FakeSocket extends EventEmitter {
  pings = 0;
  terminated = 0;
  answers = true;
  throwsOnPing = false;
  ping(): void {
    if (this.throwsOnPing) throw new Error('WebSocket is not open');
    this.pings++;
    if (this.answers) queueMicrotask(() => this.emit('pong'));
  }
  terminate(): void {
    this.terminated++;
  }
}

const flush = (): Promise<void> => new Promise((resolve) => queueMicrotask(resolve));

describe('Keepalive', () => {
  beforeEach(() => mock.timers.enable({ apis: ['setInterval', 'setTimeout'] }));
  afterEach(() => mock.timers.reset());

  test('pings every watched socket once per interval, on one timer', async () => {
    const k = new Keepalive<string, FakeSocket>({ intervalMs: 1000, pongTimeoutMs: 500 });
    const a = new FakeSocket();
    const b = new FakeSocket();
    k.watch('a', a);
    k.watch('b', b);
    k.start();
    mock.timers.tick(999);
    assert.deepEqual([a.pings, b.pings], [0, 0]);
    mock.timers.tick(1);
    assert.deepEqual([a.pings, b.pings], [1, 1]);
    await flush();
    mock.timers.tick(2000);
    assert.deepEqual([a.pings, b.pings], [3, 3]);
    k.stop();
  });

  test('terminates, after pongTimeoutMs, only the sockets that did not pong, telling the owner first', async () => {
    const timedOut: string[] = [];
    const k = new Keepalive<string, FakeSocket>({ intervalMs: 1000, pongTimeoutMs: 400, onTimeout: (key) => timedOut.push(key) });
    const alive = new FakeSocket();
    const silent = new FakeSocket();
    silent.answers = false;
    k.watch('alive', alive);
    k.watch('silent', silent);
    k.start();
    mock.timers.tick(1000);
    await flush();
    mock.timers.tick(399);
    assert.equal(silent.terminated, 0, 'not before the pong timeout');
    mock.timers.tick(1);
    assert.deepEqual(timedOut, ['silent']);
    assert.equal(silent.terminated, 1);
    assert.equal(alive.terminated, 0);
    k.stop();
  });

  test('a socket whose ping throws (already closing) does not stop the others being pinged', () => {
    const k = new Keepalive<string, FakeSocket>({ intervalMs: 100, pongTimeoutMs: 100 });
    const closing = new FakeSocket();
    closing.throwsOnPing = true;
    const other = new FakeSocket();
    k.watch('closing', closing);
    k.watch('other', other);
    k.start();
    mock.timers.tick(100);
    assert.equal(other.pings, 1);
    k.stop();
  });

  test('unwatch stops pinging a socket and removes its pong listener', () => {
    const k = new Keepalive<string, FakeSocket>({ intervalMs: 100, pongTimeoutMs: 50 });
    const s = new FakeSocket();
    k.watch('s', s);
    assert.equal(s.listenerCount('pong'), 1);
    assert.equal(k.socketOf('s'), s);
    k.unwatch('s');
    assert.equal(s.listenerCount('pong'), 0);
    assert.equal(k.size, 0);
    k.start();
    mock.timers.tick(500);
    assert.equal(s.pings, 0);
    k.stop();
  });

  test('a single socket (a client) is pinged and dropped the same way', () => {
    const k = new Keepalive<'cp', FakeSocket>({ intervalMs: 200, pongTimeoutMs: 200 });
    const s = new FakeSocket();
    s.answers = false;
    k.watch('cp', s);
    k.start();
    mock.timers.tick(400);
    assert.equal(s.terminated, 1);
    k.stop();
  });

  test('intervalMs 0 never schedules anything; stop() clears both timers', () => {
    const off = new Keepalive<string, FakeSocket>({ intervalMs: 0, pongTimeoutMs: 1 });
    const s = new FakeSocket();
    off.watch('s', s);
    off.start();
    assert.equal(off.running, false);
    mock.timers.tick(100_000);
    assert.equal(s.pings, 0);

    const on = new Keepalive<string, FakeSocket>({ intervalMs: 100, pongTimeoutMs: 100 });
    const silent = new FakeSocket();
    silent.answers = false;
    on.watch('s', silent);
    on.start();
    mock.timers.tick(100);
    on.stop();
    mock.timers.tick(1000);
    assert.equal(silent.pings, 1);
    assert.equal(silent.terminated, 0, 'the pending pong deadline was cleared');
  });
});
