/**
 * The optional message log: every OCPP frame to and from each station, as sent, for the
 * "what did the charger actually say" question. Off by default (`--message-log`), trimmed to
 * the newest `keep` frames per station so it cannot fill the disk.
 */
import type { Db } from './db';

export interface LoggedFrame {
  id: number;
  at: string;
  direction: 'in' | 'out';
  frame: string;
}

export class MessageLog {
  private writes = 0;

  constructor(
    private readonly db: Db,
    private readonly keep = 1000,
  ) {}

  add(station: string, direction: 'in' | 'out', frame: string): void {
    this.db.prepare('INSERT INTO message_log (station, at, direction, frame) VALUES (?, ?, ?, ?)').run(station, new Date().toISOString(), direction, frame);
    // Trimming every write would double the cost of logging; every 100th is enough.
    if (++this.writes % 100 === 0) {
      this.db
        .prepare('DELETE FROM message_log WHERE station = ? AND id <= (SELECT id FROM message_log WHERE station = ? ORDER BY id DESC LIMIT 1 OFFSET ?)')
        .run(station, station, this.keep);
    }
  }

  latest(station: string, limit = 100): LoggedFrame[] {
    return this.db.prepare('SELECT id, at, direction, frame FROM message_log WHERE station = ? ORDER BY id DESC LIMIT ?').all(station, limit) as LoggedFrame[];
  }
}
