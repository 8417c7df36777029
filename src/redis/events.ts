/**
 * The writing side of the events stream. `publish` is called from the station's message path, so
 * it never throws and never waits: an event is encoded once and queued; the events of one turn of
 * the event loop go to Redis together, as one script call that appends each (XADD takes a single
 * entry per command, and a command per event cost each connection setup three round trips' worth
 * of client work). While Redis is away events wait in a bounded buffer (in order) and are written
 * when it is back; beyond the bound they are counted, never kept. A batch that failed in flight is
 * buffered again, so an event may be written twice: consumers drop repeats by the event's `id`.
 */
import type { ClusterEvent } from '../cluster/adapter';
import type { Commands } from './commands';
import { APPEND, run } from './scripts';

/** Events per script call: bounds one command's size when a long outage's buffer is written. */
const BATCH = 256;

/** @internal Appends events to `ocpp:{ns}:events`. */
export class EventPublisher {
  /** Events dropped because the buffer was full (or the event could not be encoded). */
  dropped = 0;
  /** Events waiting for Redis (bounded by `bufferLimit`). */
  private buffer: string[] = [];
  /** Events of this turn, Redis being up: written at the end of the turn. */
  private turn: string[] = [];
  private scheduled = false;
  private readonly maxLen: string;
  private readonly flushTurn = (): void => {
    this.scheduled = false;
    this.writeTurn();
  };

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

  /** Writes `event` at the end of this turn, or buffers it while Redis is away. */
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
    if (this.buffer.length !== 0 || !this.commands.ready) {
      this.hold(data);
      return;
    }
    this.turn.push(data);
    if (!this.scheduled) {
      this.scheduled = true;
      setImmediate(this.flushTurn);
    }
  }

  /** Redis is back: writes what waited, in order. */
  flush(): void {
    if (!this.commands.ready || this.buffer.length === 0) return;
    const waiting = this.buffer;
    this.buffer = [];
    this.write(waiting);
  }

  /** Writes this turn's events now (the node leaves: they go before its LEAVE on the same connection). */
  writeTurn(): void {
    if (this.turn.length === 0) return;
    const events = this.turn;
    this.turn = [];
    if (this.commands.ready) this.write(events);
    else for (const data of events) this.hold(data);
  }

  private write(events: string[]): void {
    for (let i = 0; i < events.length; i += BATCH) {
      const batch = events.length <= BATCH ? events : events.slice(i, i + BATCH);
      run(this.commands, APPEND, [this.stream], [this.maxLen, ...batch]).catch(() => {
        for (const data of batch) this.hold(data);
      });
    }
  }

  private hold(data: string): void {
    if (this.buffer.length >= this.bufferLimit) this.dropped++;
    else this.buffer.push(data);
  }
}
