/**
 * The writing side of the events stream. `publish` is called from the station's message path, so
 * it never throws and never waits: an event is encoded once and handed to XADD; while Redis is
 * away events wait in a bounded buffer (in order) and are written when it is back; beyond the
 * bound they are counted, never kept. An XADD that failed in flight is buffered again, so an event
 * may be written twice: consumers drop repeats by the event's `id`.
 */
import type { ClusterEvent } from '../cluster/adapter';
import type { Commands } from './commands';

/** @internal Appends events to `ocpp:{ns}:events`. */
export class EventPublisher {
  /** Events dropped because the buffer was full (or the event could not be encoded). */
  dropped = 0;
  private buffer: string[] = [];
  private readonly maxLen: string;

  constructor(
    private readonly commands: Commands,
    private readonly stream: string,
    maxLen: number,
    private readonly bufferLimit: number,
  ) {
    this.maxLen = String(maxLen);
  }

  /** Events waiting for Redis. */
  get buffered(): number {
    return this.buffer.length;
  }

  /** Writes `event`, or buffers it while Redis is away. */
  publish(event: ClusterEvent): void {
    let data: string;
    try {
      data = JSON.stringify(event);
    } catch {
      // A payload JSON cannot carry (a BigInt, a cycle) cannot reach any consumer either.
      this.dropped++;
      return;
    }
    // Behind a non-empty buffer, a new event waits its turn: order is kept per node.
    if (this.buffer.length === 0 && this.commands.ready) this.write(data);
    else this.hold(data);
  }

  /** Redis is back: writes what waited, in order. */
  flush(): void {
    if (!this.commands.ready || this.buffer.length === 0) return;
    const waiting = this.buffer;
    this.buffer = [];
    for (const data of waiting) this.write(data);
  }

  private write(data: string): void {
    this.commands.send(['XADD', this.stream, 'MAXLEN', '~', this.maxLen, '*', 'data', data]).catch(() => this.hold(data));
  }

  private hold(data: string): void {
    if (this.buffer.length >= this.bufferLimit) this.dropped++;
    else this.buffer.push(data);
  }
}
