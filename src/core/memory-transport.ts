/**
 * An in-memory {@link Transport} pair: two connected ends, for unit tests of the core and of
 * users' own handlers, without sockets.
 */
import type { Transport, TransportSink } from './transport';

/**
 * One end of a memory pair. Frames are delivered to the other end in order, each in its own
 * microtask, so delivery is asynchronous like a real socket's (a handler never runs inside the
 * caller's `send`). A frame arriving before the receiving end has a sink waits for it.
 */
class MemoryTransport implements Transport {
  peer!: MemoryTransport;
  private sink: TransportSink | undefined;
  private backlog: (() => void)[] | undefined;
  /** Set on both ends at once by either `close()`; later sends are dropped. */
  sendClosed = false;
  private delivered = false;

  send(data: string): void {
    if (this.sendClosed) return;
    const peer = this.peer;
    queueMicrotask(() => peer.deliver(() => peer.sink?.message(data)));
  }

  close(code = 1000, reason = ''): void {
    if (this.sendClosed) return;
    this.sendClosed = true;
    this.peer.sendClosed = true;
    // Queued behind frames already sent, as a WebSocket close follows the data before it.
    queueMicrotask(() => this.deliverClose(code, reason));
    queueMicrotask(() => this.peer.deliverClose(code, reason));
  }

  setSink(sink: TransportSink): void {
    this.sink = sink;
    const backlog = this.backlog;
    this.backlog = undefined;
    if (backlog !== undefined) for (const run of backlog) run();
  }

  private deliver(run: () => void): void {
    if (this.delivered) return;
    if (this.sink === undefined) (this.backlog ??= []).push(run);
    else run();
  }

  private deliverClose(code: number, reason: string): void {
    this.deliver(() => {
      this.delivered = true;
      this.sink?.close(code, reason);
    });
  }
}

/**
 * Creates two connected in-memory transports. What one end sends, the other end's sink
 * receives, asynchronously and in order; closing either end closes both (same code and
 * reason, after the frames already sent), and sends after a close are dropped.
 *
 * In tests, give one end to the endpoint under test and drive the other by hand: its `send`
 * injects raw text as if from the peer, and its sink sees every frame the endpoint writes.
 *
 * @example
 * ```ts
 * const [local, remote] = createMemoryTransportPair();
 * const endpoint = new RpcEndpoint({ transport: local, rules });
 * remote.setSink({ message: (text) => console.log('endpoint wrote', text), close: () => {} });
 * remote.send('[2,"1","Heartbeat",{}]');
 * ```
 */
export function createMemoryTransportPair(): [Transport, Transport] {
  const a = new MemoryTransport();
  const b = new MemoryTransport();
  a.peer = b;
  b.peer = a;
  return [a, b];
}
