/**
 * The WebSocket adapter's turn rule (`oneMessagePerTurn`, used by CentralSystem): the first
 * message of a connection in an event-loop turn is handed over at once, later ones of the same
 * turn are held (the socket paused) and handed over one per turn, in order, and none is lost at a
 * close. This replaced ws's `allowSynchronousEvents: false`, which paid a setImmediate per message;
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
  send(data: string): void {
    this.sent.push(data);
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

  test('held messages are handed over before the close, none lost (an answer to our call may be among them)', async () => {
    const socket = new FakeSocket();
    const transport = socketTransport(socket, { oneMessagePerTurn: true });
    const sink = recorder();
    transport.setSink(sink);
    socket.read('a', 'b', 'c');
    socket.emit('close', 1000, Buffer.from('bye'));
    assert.deepEqual(sink.got, ['a', 'b', 'c']);
    assert.deepEqual(sink.closedWith, [1000, 'bye']);
    await nextTurn();
    assert.deepEqual(sink.got, ['a', 'b', 'c'], 'nothing is handed over twice or after the close');
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
