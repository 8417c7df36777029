/**
 * Transactions and their meter values, for every version. A 1.6 transaction id is ours (the
 * row id, handed out in the StartTransaction answer); a 2.x one is the station's own and is
 * unique only per station, so transactions are looked up by (station, tx_id).
 */
import type { Db } from './db';

export interface Transaction {
  /** Our row id (also the 1.6 transactionId). */
  id: number;
  station: string;
  protocol: string;
  /** The id the station uses: 1.6 the row id as text, 2.x its own transactionId. */
  txId: string;
  connector: string | null;
  idTag: string | null;
  /** What the tag check said when the transaction started. */
  authStatus: string | null;
  startedAt: string;
  stoppedAt: string | null;
  /** Energy register at the start, latest and at the stop, in Wh. */
  meterStartWh: number | null;
  meterLastWh: number | null;
  meterStopWh: number | null;
  /** Energy charged so far (or in all, once stopped), in Wh. */
  energyWh: number | null;
  /** Last reported power, in W (null when stopped or never reported). */
  powerW: number | null;
  stopReason: string | null;
}

/** One sampled value, normalised to Wh and W. */
export interface MeterSample {
  at: string;
  measurand: string;
  value: number;
  unit: string | null;
}

interface TxRow {
  id: number;
  station: string;
  protocol: string;
  tx_id: string;
  connector: string | null;
  id_tag: string | null;
  auth_status: string | null;
  started_at: string;
  stopped_at: string | null;
  meter_start: number | null;
  meter_last: number | null;
  meter_stop: number | null;
  power_w: number | null;
  stop_reason: string | null;
}

function toTransaction(r: TxRow): Transaction {
  const end = r.meter_stop ?? r.meter_last;
  return {
    id: r.id,
    station: r.station,
    protocol: r.protocol,
    txId: r.tx_id,
    connector: r.connector,
    idTag: r.id_tag,
    authStatus: r.auth_status,
    startedAt: r.started_at,
    stoppedAt: r.stopped_at,
    meterStartWh: r.meter_start,
    meterLastWh: r.meter_last,
    meterStopWh: r.meter_stop,
    energyWh: r.meter_start !== null && end !== null ? Math.max(0, end - r.meter_start) : null,
    powerW: r.stopped_at === null ? r.power_w : null,
    stopReason: r.stop_reason,
  };
}

/** What starting a transaction records. */
export interface StartFields {
  station: string;
  protocol: string;
  /** 2.x: the station's id; 1.6: omitted (the row id becomes it). */
  txId?: string;
  connector?: string;
  idTag?: string;
  authStatus?: string;
  startedAt: string;
  meterStartWh?: number;
}

export class TransactionStore {
  constructor(private readonly db: Db) {}

  /** Records a new transaction and returns it; 1.6 callers answer with its `id`. */
  start(f: StartFields): Transaction {
    return this.db.transaction(() => {
      const { lastInsertRowid } = this.db
        .prepare(
          `INSERT INTO transactions (station, protocol, tx_id, connector, id_tag, auth_status, started_at, meter_start, meter_last)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
        )
        .run(
          f.station,
          f.protocol,
          f.txId ?? null,
          f.connector ?? null,
          f.idTag ?? null,
          f.authStatus ?? null,
          f.startedAt,
          f.meterStartWh ?? null,
          f.meterStartWh ?? null,
        );
      const id = Number(lastInsertRowid);
      if (f.txId === undefined) this.db.prepare('UPDATE transactions SET tx_id = ? WHERE id = ?').run(String(id), id);
      return this.byRowId(id)!;
    })();
  }

  byRowId(id: number): Transaction | undefined {
    const row = this.db.prepare('SELECT * FROM transactions WHERE id = ?').get(id) as TxRow | undefined;
    return row && toTransaction(row);
  }

  /** The transaction `txId` of `station` (never another station's). */
  get(station: string, txId: string): Transaction | undefined {
    const row = this.db.prepare('SELECT * FROM transactions WHERE station = ? AND tx_id = ?').get(station, txId) as TxRow | undefined;
    return row && toTransaction(row);
  }

  /** The transactions of `station` still running. */
  open(station: string): Transaction[] {
    return (this.db.prepare('SELECT * FROM transactions WHERE station = ? AND stopped_at IS NULL ORDER BY id').all(station) as TxRow[]).map(toTransaction);
  }

  /** Every running transaction, for the overview. */
  allOpen(): Transaction[] {
    return (this.db.prepare('SELECT * FROM transactions WHERE stopped_at IS NULL ORDER BY id').all() as TxRow[]).map(toTransaction);
  }

  /** The latest `limit` transactions of `station`, newest first. */
  latest(station: string, limit = 50): Transaction[] {
    return (this.db.prepare('SELECT * FROM transactions WHERE station = ? ORDER BY id DESC LIMIT ?').all(station, limit) as TxRow[]).map(toTransaction);
  }

  /** Stores samples and moves the transaction's latest energy and power along. */
  meter(station: string, transactionId: number | null, samples: readonly MeterSample[]): void {
    if (samples.length === 0) return;
    this.db.transaction(() => {
      const insert = this.db.prepare('INSERT INTO meter_values (station, transaction_id, at, measurand, value, unit) VALUES (?, ?, ?, ?, ?, ?)');
      for (const s of samples) insert.run(station, transactionId, s.at, s.measurand, s.value, s.unit);
      if (transactionId === null) return;
      const energy = samples.filter((s) => s.measurand === 'Energy.Active.Import.Register').at(-1);
      const power = samples.filter((s) => s.measurand === 'Power.Active.Import').at(-1);
      // A register reading without a start reading (a 2.x transaction first heard of here) starts it.
      if (energy)
        this.db
          .prepare('UPDATE transactions SET meter_last = ?, meter_start = COALESCE(meter_start, ?) WHERE id = ?')
          .run(energy.value, energy.value, transactionId);
      if (power) this.db.prepare('UPDATE transactions SET power_w = ? WHERE id = ?').run(power.value, transactionId);
    })();
  }

  /** Ends a transaction; false when it had ended already (a retried stop changes nothing). */
  stop(id: number, fields: { stoppedAt: string; meterStopWh?: number; reason?: string }): boolean {
    const result = this.db
      .prepare(
        `UPDATE transactions SET stopped_at = ?, meter_stop = COALESCE(?, meter_last), meter_last = COALESCE(?, meter_last), stop_reason = ?, power_w = NULL
         WHERE id = ? AND stopped_at IS NULL`,
      )
      .run(fields.stoppedAt, fields.meterStopWh ?? null, fields.meterStopWh ?? null, fields.reason ?? null, id);
    return result.changes === 1;
  }

  /** Sets the tag of a 2.x transaction that was authorised after it started. */
  setTag(id: number, idTag: string, authStatus: string): void {
    this.db.prepare('UPDATE transactions SET id_tag = ?, auth_status = ? WHERE id = ?').run(idTag, authStatus, id);
  }
}
