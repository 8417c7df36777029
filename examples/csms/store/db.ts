/**
 * The SQLite database: opened (and created) on start, its schema brought up to date by the
 * migrations below, in order, each once. The schema version is SQLite's own `user_version`,
 * so there is no table to keep in step and a database from a newer build is refused rather
 * than damaged.
 */
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';

/** The database handle the stores share. */
export type Db = Database.Database;

/** Each entry moves the schema one version up. Append; never edit a migration that shipped. */
const MIGRATIONS: readonly string[] = [
  `
  CREATE TABLE stations (
    identity        TEXT PRIMARY KEY,
    password_hash   TEXT,                -- scrypt (passwords.ts); NULL: no Basic auth required
    admission       TEXT NOT NULL DEFAULT 'accepted' CHECK (admission IN ('accepted', 'pending')),
    description     TEXT NOT NULL DEFAULT '',
    protocol        TEXT,
    vendor          TEXT,
    model           TEXT,
    serial_number   TEXT,
    firmware        TEXT,
    iccid           TEXT,
    imsi            TEXT,
    booted_at       TEXT,
    last_seen       TEXT,
    connected       INTEGER NOT NULL DEFAULT 0,
    created_at      TEXT NOT NULL
  );
  CREATE TABLE connectors (
    station         TEXT NOT NULL REFERENCES stations(identity) ON DELETE CASCADE,
    connector       TEXT NOT NULL,       -- 1.6: "1"; 2.x: "evseId/connectorId"
    status          TEXT NOT NULL,
    error_code      TEXT,
    updated_at      TEXT NOT NULL,
    PRIMARY KEY (station, connector)
  );
  CREATE TABLE tags (
    id_tag          TEXT PRIMARY KEY,
    name            TEXT NOT NULL DEFAULT '',
    expiry          TEXT,                -- ISO 8601; NULL: never
    blocked         INTEGER NOT NULL DEFAULT 0,
    parent          TEXT,                -- parentIdTag (1.6) / groupIdToken (2.x)
    created_at      TEXT NOT NULL
  );
  CREATE TABLE transactions (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,  -- 1.6: the transactionId we assign
    station         TEXT NOT NULL REFERENCES stations(identity) ON DELETE CASCADE,
    protocol        TEXT NOT NULL,
    tx_id           TEXT,                -- 1.6: id as text; 2.x: the station's own transactionId
    connector       TEXT,
    id_tag          TEXT,
    auth_status     TEXT,
    started_at      TEXT NOT NULL,
    stopped_at      TEXT,
    meter_start     REAL,
    meter_last      REAL,
    meter_stop      REAL,
    power_w         REAL,
    stop_reason     TEXT,
    UNIQUE (station, tx_id)
  );
  CREATE INDEX transactions_open ON transactions (station, stopped_at);
  CREATE TABLE meter_values (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    station         TEXT NOT NULL,
    transaction_id INTEGER REFERENCES transactions(id) ON DELETE CASCADE,
    at              TEXT NOT NULL,
    measurand       TEXT NOT NULL,
    value           REAL NOT NULL,
    unit            TEXT
  );
  CREATE INDEX meter_values_tx ON meter_values (transaction_id);
  CREATE TABLE users (
    username        TEXT PRIMARY KEY,
    password_hash   TEXT NOT NULL,
    role            TEXT NOT NULL CHECK (role IN ('admin', 'user'))
  );
  CREATE TABLE message_log (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    station         TEXT NOT NULL,
    at              TEXT NOT NULL,
    direction       TEXT NOT NULL,       -- 'in' (from the station) or 'out'
    frame           TEXT NOT NULL
  );
  CREATE INDEX message_log_station ON message_log (station, id);
  `,
];

/** The schema version this build writes. */
export const SCHEMA_VERSION = MIGRATIONS.length;

/**
 * Opens `file` (`:memory:` for a throwaway database), creating it and its folder if needed,
 * and runs the migrations it lacks, each in a transaction of its own.
 */
export function openDatabase(file: string): Db {
  if (file !== ':memory:') mkdirSync(dirname(file), { recursive: true });
  const db = new Database(file);
  // WAL: the console's reads do not wait for the OCPP handlers' writes.
  if (file !== ':memory:') db.pragma('journal_mode = WAL');
  db.pragma('foreign_keys = ON');
  const current = db.pragma('user_version', { simple: true }) as number;
  if (current > SCHEMA_VERSION) {
    db.close();
    throw new Error(`${file} has schema version ${current}, newer than this build's ${SCHEMA_VERSION}`);
  }
  for (let v = current; v < SCHEMA_VERSION; v++) {
    db.transaction(() => {
      db.exec(MIGRATIONS[v]);
      db.pragma(`user_version = ${v + 1}`);
    })();
  }
  return db;
}
