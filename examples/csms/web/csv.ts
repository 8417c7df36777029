/** Transactions as CSV, one row each, energies in Wh, times in ISO 8601 (UTC). */
import { stringify } from 'csv-stringify/sync';
import type { Transaction } from '../store/transactions';

export const CSV_COLUMNS = ['id', 'station', 'connector', 'idTag', 'startedAt', 'stoppedAt', 'meterStartWh', 'meterStopWh', 'energyWh', 'stopReason'] as const;

export function transactionsCsv(rows: readonly Transaction[]): string {
  return stringify(
    rows.map((t) => ({ ...t, id: t.txId })),
    { header: true, columns: [...CSV_COLUMNS], cast: { number: (n) => String(n) } },
  );
}
