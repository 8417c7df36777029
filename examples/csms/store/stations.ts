/**
 * Stations: who may connect (identity, password hash, admission), what they said about
 * themselves in BootNotification, when they were last seen, and the status of each connector.
 */
import type { Db } from './db';

/** Whether a station may act, or waits for an administrator (its boot is answered Pending). */
export type Admission = 'accepted' | 'pending';

/** Device information from BootNotification (1.6 and 2.x name the fields differently). */
export interface DeviceInfo {
  vendor: string;
  model: string;
  serialNumber?: string;
  firmware?: string;
  iccid?: string;
  imsi?: string;
}

/** The last status a connector reported. */
export interface ConnectorStatus {
  connector: string;
  status: string;
  errorCode: string | null;
  updatedAt: string;
}

/** A station as the console and the API show it (never its password hash). */
export interface Station {
  identity: string;
  description: string;
  admission: Admission;
  hasPassword: boolean;
  protocol: string | null;
  device: DeviceInfo | null;
  bootedAt: string | null;
  lastSeen: string | null;
  connected: boolean;
  connectors: ConnectorStatus[];
}

interface StationRow {
  identity: string;
  password_hash: string | null;
  admission: Admission;
  description: string;
  protocol: string | null;
  vendor: string | null;
  model: string | null;
  serial_number: string | null;
  firmware: string | null;
  iccid: string | null;
  imsi: string | null;
  booted_at: string | null;
  last_seen: string | null;
  connected: number;
}

const now = (): string => new Date().toISOString();

/** Thrown for a station that is created twice; the web layer answers 409. */
export class DuplicateError extends Error {
  override readonly name = 'DuplicateError';
}

export class StationStore {
  constructor(private readonly db: Db) {}

  /** Every station, by identity. */
  list(): Station[] {
    const rows = this.db.prepare('SELECT * FROM stations ORDER BY identity').all() as StationRow[];
    const connectors = this.db
      .prepare('SELECT station, connector, status, error_code AS errorCode, updated_at AS updatedAt FROM connectors ORDER BY station, connector')
      .all() as Array<ConnectorStatus & { station: string }>;
    return rows.map((row) =>
      toStation(
        row,
        connectors.filter((c) => c.station === row.identity).map(({ station: _s, ...c }) => c),
      ),
    );
  }

  get(identity: string): Station | undefined {
    const row = this.db.prepare('SELECT * FROM stations WHERE identity = ?').get(identity) as StationRow | undefined;
    if (!row) return undefined;
    const connectors = this.db
      .prepare('SELECT connector, status, error_code AS errorCode, updated_at AS updatedAt FROM connectors WHERE station = ? ORDER BY connector')
      .all(identity) as ConnectorStatus[];
    return toStation(row, connectors);
  }

  /** What authentication needs: the hash (null when none is set) and the admission. */
  credentials(identity: string): { passwordHash: string | null; admission: Admission } | undefined {
    const row = this.db.prepare('SELECT password_hash, admission FROM stations WHERE identity = ?').get(identity) as
      Pick<StationRow, 'password_hash' | 'admission'> | undefined;
    return row && { passwordHash: row.password_hash, admission: row.admission };
  }

  /** Adds a station; a {@link DuplicateError} when the identity exists. */
  create(identity: string, fields: { description?: string; passwordHash?: string | null; admission?: Admission } = {}): Station {
    try {
      this.db
        .prepare('INSERT INTO stations (identity, description, password_hash, admission, created_at) VALUES (?, ?, ?, ?, ?)')
        .run(identity, fields.description ?? '', fields.passwordHash ?? null, fields.admission ?? 'accepted', now());
    } catch (error) {
      if ((error as { code?: string }).code === 'SQLITE_CONSTRAINT_PRIMARYKEY') throw new DuplicateError(`station ${identity} exists already`);
      throw error;
    }
    return this.get(identity)!;
  }

  /** Changes what an administrator may change; false when there is no such station. */
  update(identity: string, fields: { description?: string; passwordHash?: string | null; admission?: Admission }): boolean {
    const sets: string[] = [];
    const values: unknown[] = [];
    for (const [column, value] of [
      ['description', fields.description],
      ['password_hash', fields.passwordHash],
      ['admission', fields.admission],
    ] as const) {
      if (value === undefined) continue;
      sets.push(`${column} = ?`);
      values.push(value);
    }
    if (sets.length === 0) return this.get(identity) !== undefined;
    return this.db.prepare(`UPDATE stations SET ${sets.join(', ')} WHERE identity = ?`).run(...values, identity).changes === 1;
  }

  remove(identity: string): boolean {
    return this.db.prepare('DELETE FROM stations WHERE identity = ?').run(identity).changes === 1;
  }

  /** A BootNotification: device information and protocol. */
  booted(identity: string, protocol: string, device: DeviceInfo): void {
    this.db
      .prepare(
        `UPDATE stations SET protocol = ?, vendor = ?, model = ?, serial_number = ?, firmware = ?, iccid = ?, imsi = ?, booted_at = ?, last_seen = ?
         WHERE identity = ?`,
      )
      .run(
        protocol,
        device.vendor,
        device.model,
        device.serialNumber ?? null,
        device.firmware ?? null,
        device.iccid ?? null,
        device.imsi ?? null,
        now(),
        now(),
        identity,
      );
  }

  /** Connected or gone; a connection also counts as being seen. */
  setConnected(identity: string, connected: boolean, protocol?: string): void {
    if (protocol) this.db.prepare('UPDATE stations SET connected = ?, protocol = ?, last_seen = ? WHERE identity = ?').run(1, protocol, now(), identity);
    else this.db.prepare('UPDATE stations SET connected = ? WHERE identity = ?').run(connected ? 1 : 0, identity);
  }

  /** Every station offline: on start, since no connection survives a restart. */
  allDisconnected(): void {
    this.db.prepare('UPDATE stations SET connected = 0').run();
  }

  seen(identity: string): void {
    this.db.prepare('UPDATE stations SET last_seen = ? WHERE identity = ?').run(now(), identity);
  }

  /** A StatusNotification for one connector (`connector` as in {@link ConnectorStatus}). */
  setStatus(identity: string, connector: string, status: string, errorCode?: string): void {
    this.db
      .prepare(
        `INSERT INTO connectors (station, connector, status, error_code, updated_at) VALUES (?, ?, ?, ?, ?)
         ON CONFLICT (station, connector) DO UPDATE SET status = excluded.status, error_code = excluded.error_code, updated_at = excluded.updated_at`,
      )
      .run(identity, connector, status, errorCode ?? null, now());
  }
}

function toStation(row: StationRow, connectors: ConnectorStatus[]): Station {
  return {
    identity: row.identity,
    description: row.description,
    admission: row.admission,
    hasPassword: row.password_hash !== null,
    protocol: row.protocol,
    device:
      row.vendor === null
        ? null
        : {
            vendor: row.vendor,
            model: row.model ?? '',
            ...(row.serial_number ? { serialNumber: row.serial_number } : {}),
            ...(row.firmware ? { firmware: row.firmware } : {}),
            ...(row.iccid ? { iccid: row.iccid } : {}),
            ...(row.imsi ? { imsi: row.imsi } : {}),
          },
    bootedAt: row.booted_at,
    lastSeen: row.last_seen,
    connected: row.connected === 1,
    connectors,
  };
}
