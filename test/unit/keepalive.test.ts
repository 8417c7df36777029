/** Keepalive with fake timers and fake sockets: who is pinged, who is dropped, and when. */
import assert from 'node:assert/strict';
import { EventEmitter } from 'node:events';
import { afterEach, beforeEach, describe, mock, test } from 'node:test';
import { KEEPALIVE_SLICE_MS, Keepalive } from '../../src/transport/keepalive';

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
const total = (sockets: readonly FakeSocket[]): number => sockets.reduce((n, s) => n + s.pings, 0);

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

  describe('a long interval is cut into slices of about a second (KEEPALIVE_SLICE_MS)', () => {
    test('30 s and 60 sockets: 2 are pinged each second, every socket once per interval, never two at once', async () => {
      const k = new Keepalive<number, FakeSocket>({ intervalMs: 30_000, pongTimeoutMs: 30_000 });
      const sockets = Array.from({ length: 60 }, () => new FakeSocket());
      sockets.forEach((s, i) => k.watch(i, s));
      k.start();
      mock.timers.tick(KEEPALIVE_SLICE_MS - 1);
      assert.equal(total(sockets), 0);
      for (let second = 1; second <= 30; second++) {
        mock.timers.tick(second === 1 ? 1 : KEEPALIVE_SLICE_MS);
        await flush();
        assert.equal(total(sockets), 2 * second, `after ${second} s`);
      }
      assert.deepEqual(new Set(sockets.map((s) => s.pings)), new Set([1]), 'each once in the first interval');
      mock.timers.tick(30_000);
      await flush();
      assert.deepEqual(new Set(sockets.map((s) => s.pings)), new Set([2]), 'and once in the next');
      assert.equal(sockets.filter((s) => s.terminated > 0).length, 0, 'all answered');
      k.stop();
    });

    test('a silent socket is dropped pongTimeoutMs after its own slice pinged it; the others stay', async () => {
      const timedOut: number[] = [];
      const k = new Keepalive<number, FakeSocket>({ intervalMs: 10_000, pongTimeoutMs: 4_000, onTimeout: (key) => timedOut.push(key) });
      const sockets = Array.from({ length: 10 }, () => new FakeSocket());
      sockets[7].answers = false; // slice 7: pinged at 8 s
      sockets.forEach((s, i) => k.watch(i, s));
      k.start();
      mock.timers.tick(8_000);
      await flush();
      assert.equal(sockets[7].pings, 1);
      mock.timers.tick(3_999);
      await flush();
      assert.deepEqual(timedOut, [], 'not before its pong timeout');
      mock.timers.tick(1);
      assert.deepEqual(timedOut, [7]);
      assert.equal(sockets[7].terminated, 1);
      assert.equal(
        sockets.reduce((n, s) => n + s.terminated, 0),
        1,
      );
      k.stop();
    });

    test('unwatch takes a socket out of its slice; watching a key again does not ping it twice', async () => {
      const k = new Keepalive<string, FakeSocket>({ intervalMs: 5_000, pongTimeoutMs: 5_000 });
      const a = new FakeSocket();
      const b = new FakeSocket();
      const again = new FakeSocket();
      k.watch('a', a);
      k.watch('b', b);
      k.unwatch('a');
      k.watch('b', again); // a reconnect under the same key: the old socket is dropped from watch
      k.start();
      mock.timers.tick(10_000);
      await flush();
      assert.deepEqual([a.pings, b.pings, again.pings], [0, 0, 2]);
      assert.equal(k.size, 1);
      k.stop();
    });
  });
});
