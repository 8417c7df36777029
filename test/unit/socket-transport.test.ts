/**
 * The WebSocket adapter's turn rule (`oneMessagePerTurn`, used by CentralSystem): the first
 * message of a connection in an event-loop turn is handed over at once, later ones of the same
 * turn are held (the socket paused) and handed over one per turn, in order; what is still held at a
 * close is dropped (a closed connection is not served). This replaced ws's `allowSynchronousEvents: false`, which paid a setImmediate per message;
 * test/reliability/flood.test.ts shows the fairness it buys over real sockets.
 */
import assert from 'node:assert/strict';
import { EventEmitter } from 'node:events';
import { describe, test } from 'node:test';
import type { TransportSink } from '../../src/core/transport';
import { socketTransport } from '../../src/transport/socket-transport';

/** A stand-in for a ws socket: emits what the test tells it to, counts pause/resume. */
class FakeSocket extends EventEmitter {
  readyState = 1;
  bufferedAmount = 0;
  paused = false;
  pauses = 0;
  resumes = 0;
  sent: string[] = [];
  /** The callback of the last send that asked for one (ws calls it once the data is written). */
  written: ((error?: Error) => void) | undefined = undefined;
  send(data: string, _options?: unknown, callback?: (error?: Error) => void): void {
    this.sent.push(data);
    this.bufferedAmount += data.length;
    if (callback) this.written = callback;
  }
  close(): void {}
  terminate(): void {}
  pause(): void {
    this.paused = true;
    this.pauses++;
  }
  resume(): void {
    this.paused = false;
    this.resumes++;
  }
  /** One read of the socket that brought these messages (ws emits them synchronously). */
  read(...texts: string[]): void {
    for (const text of texts) this.emit('message', Buffer.from(text), false);
  }
}

function recorder(): TransportSink & { got: string[]; closedWith?: [number, string] } {
  const sink = {
    got: [] as string[],
    closedWith: undefined as [number, string] | undefined,
    message(data: string) {
      sink.got.push(data);
    },
    close(code: number, reason: string) {
      sink.closedWith = [code, reason];
    },
  };
  return sink;
}

const nextTurn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

describe('socketTransport: one message per connection per event-loop turn', () => {
  test('a burst from one read is handed over one message per turn, in order, with the socket paused meanwhile', async () => {
    const socket = new FakeSocket();
    const transport = socketTransport(socket, { oneMessagePerTurn: true });
    const sink = recorder();
    transport.setSink(sink);
    socket.read('a', 'b', 'c');
    assert.deepEqual(sink.got, ['a'], 'only the first message of the turn is handed over at once');
    assert.equal(socket.paused, true, 'the socket stops reading while messages are held');
    socket.read('d'); // the rest of the same read, after the pause
    await nextTurn();
    assert.deepEqual(sink.got, ['a', 'b']);
    await nextTurn();
    assert.deepEqual(sink.got, ['a', 'b', 'c']);
    assert.equal(socket.paused, true, 'still holding d');
    await nextTurn();
    assert.deepEqual(sink.got, ['a', 'b', 'c', 'd']);
    assert.equal(socket.paused, false, 'reading again once nothing is held');
    assert.deepEqual([socket.pauses, socket.resumes], [1, 1]);
  });

  test('messages in different turns are all handed over at once, without pausing (the common case)', async () => {
    const socket = new FakeSocket();
    const transport = socketTransport(socket, { oneMessagePerTurn: true });
    const sink = recorder();
    transport.setSink(sink);
    for (let i = 0; i < 5; i++) {
      socket.read(`m${i}`);
      assert.equal(sink.got.length, i + 1);
      await nextTurn();
    }
    assert.equal(socket.pauses, 0);
  });

  test('connections take turns: a burst on one does not delay the first message of another', async () => {
    const flooder = new FakeSocket();
    const other = new FakeSocket();
    const a = recorder();
    const b = recorder();
    socketTransport(flooder, { oneMessagePerTurn: true }).setSink(a);
    socketTransport(other, { oneMessagePerTurn: true }).setSink(b);
    flooder.read(...Array.from({ length: 100 }, (_, i) => `f${i}`));
    other.read('hello');
    assert.deepEqual(b.got, ['hello']);
    assert.equal(a.got.length, 1);
    await nextTurn();
    other.read('again');
    assert.deepEqual(b.got, ['hello', 'again']);
    assert.equal(a.got.length, 2);
  });

  test('messages held at the close are dropped, not handed over at once: a closed connection is not served', async () => {
    const socket = new FakeSocket();
    const transport = socketTransport(socket, { oneMessagePerTurn: true });
    const sink = recorder();
    transport.setSink(sink);
    socket.read('a', 'b', 'c');
    socket.emit('close', 1006, Buffer.from(''));
    assert.deepEqual(sink.got, ['a']);
    assert.deepEqual(sink.closedWith, [1006, '']);
    await nextTurn();
    await nextTurn();
    assert.deepEqual(sink.got, ['a'], 'nothing is handed over after the close');
  });

  test('after our close for a policy violation (1008), held and later messages are dropped and the socket reads again (to see the close)', async () => {
    const socket = new FakeSocket();
    const transport = socketTransport(socket, { oneMessagePerTurn: true });
    const sink = recorder();
    transport.setSink(sink);
    socket.read('a', 'b', 'c');
    assert.equal(socket.paused, true);
    transport.close(1008, 'too many invalid messages');
    assert.equal(socket.paused, false);
    socket.read('d');
    await nextTurn();
    await nextTurn();
    assert.deepEqual(sink.got, ['a']);
  });

  test('messages held before the sink is installed are kept too', async () => {
    const socket = new FakeSocket();
    const transport = socketTransport(socket, { oneMessagePerTurn: true });
    socket.read('a', 'b');
    const sink = recorder();
    transport.setSink(sink);
    assert.deepEqual(sink.got, ['a']);
    await nextTurn();
    assert.deepEqual(sink.got, ['a', 'b']);
  });

  test('without the option (ChargePoint, browsers) every message is handed over at once', () => {
    const socket = new FakeSocket();
    const transport = socketTransport(socket);
    const sink = recorder();
    transport.setSink(sink);
    socket.read('a', 'b', 'c');
    assert.deepEqual(sink.got, ['a', 'b', 'c']);
    assert.equal(socket.pauses, 0);
  });
});

describe('socketTransport: reading pauses while the peer does not read our answers (readPauseBufferedBytes)', () => {
  test('a send that takes the buffer past the mark pauses reading; what arrives meanwhile waits; once written, reading and serving resume', async () => {
    const socket = new FakeSocket();
    const transport = socketTransport(socket, { oneMessagePerTurn: true, readPauseBufferedBytes: 100 });
    const sink = recorder();
    transport.setSink(sink);
    transport.send('x'.repeat(60));
    assert.equal(socket.paused, false, 'under the mark: nothing changes');
    assert.equal(socket.written === undefined, true, 'no callback asked for under the mark');
    transport.send('y'.repeat(60));
    assert.equal(socket.paused, true, 'past the mark: reading stops');
    assert.ok(socket.written, 'the send that crossed the mark asks to be told when it is written');
    socket.read('a', 'b');
    await nextTurn();
    await nextTurn();
    assert.deepEqual(sink.got, [], 'nothing is served while the peer is behind');
    socket.bufferedAmount = 0;
    socket.written();
    assert.deepEqual(sink.got, []);
    await nextTurn();
    assert.deepEqual(sink.got, ['a']);
    await nextTurn();
    assert.deepEqual(sink.got, ['a', 'b']);
    assert.equal(socket.paused, false, 'reading again once the backlog is served');
  });

  test('without held input, reading resumes as soon as the buffer is written; a close in between keeps it closed', () => {
    const socket = new FakeSocket();
    const transport = socketTransport(socket, { readPauseBufferedBytes: 10 });
    transport.setSink(recorder());
    transport.send('z'.repeat(20));
    assert.equal(socket.paused, true);
    socket.written!();
    assert.equal(socket.paused, false);
    transport.send('z'.repeat(20));
    assert.equal(socket.paused, true);
    socket.emit('close', 1006, Buffer.from(''));
    socket.written!(new Error('closed'));
    assert.equal(socket.paused, true, 'a closed socket is not resumed');
  });

  test('0 turns it off; a bad value is a TypeError naming the option', () => {
    const socket = new FakeSocket();
    const transport = socketTransport(socket, { readPauseBufferedBytes: 0 });
    transport.setSink(recorder());
    transport.send('z'.repeat(1_000_000));
    assert.equal(socket.paused, false);
    assert.throws(
      () => socketTransport(new FakeSocket(), { readPauseBufferedBytes: -1 }),
      (e: unknown) => e instanceof TypeError && /readPauseBufferedBytes/.test(e.message),
    );
  });
});
