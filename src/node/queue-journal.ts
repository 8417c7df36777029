/**
 * The on-disk format of {@link FileQueueStore}: an append-only journal of JSON lines, and its
 * replay. Kept apart from the store so that the format (what a record is, what counts as torn,
 * what counts as corrupt) can be read and tested without any file.
 *
 * A journal is a header line, then one line per change of the queue:
 *
 * ```text
 * {"journal":"ocpp-sdk offline queue","version":1}
 * {"op":"push","message":{"key":"...","action":"StartTransaction","payload":{...},"attempts":0,"queuedAt":...}}
 * {"op":"update","key":"...","attempts":1}
 * {"op":"shift","key":"..."}
 * ```
 *
 * A record counts only once its newline is on disk: the store writes each record with its
 * newline in one `write`, so a record cut short by a crash (or by power loss between the write
 * and its fsync) is the last line and has no newline. Replay ignores such a tail and reports how
 * many bytes are good, so the store can cut it off before appending again. Anything else that
 * does not fit (a bad line followed by good ones, a shift of a message that is not the head) is
 * not a torn write but a damaged or foreign file, and replay refuses it with
 * {@link QueueJournalError} rather than guess which messages survive.
 *
 * @module
 */
import type { QueuedMessage } from '../ocpp/offline-queue';

/** The first line of every journal; replay refuses a file that starts otherwise. */
export const JOURNAL_HEADER = '{"journal":"ocpp-sdk offline queue","version":1}\n';

/** One change of the queue, as a journal line holds it. */
export type JournalRecord =
  | { readonly op: 'push'; readonly message: QueuedMessage }
  | { readonly op: 'update'; readonly key: string; readonly attempts: number }
  | { readonly op: 'shift'; readonly key: string };

/** What {@link FileQueueStore} found wrong with its journal file. */
export interface QueueJournalErrorInit {
  /** The journal file. */
  readonly path: string;
  /** 1-based line of the first record that could not be applied, when one is to blame. */
  readonly line?: number;
  /** What is wrong with it. */
  readonly reason: string;
}

/**
 * The journal file of a {@link FileQueueStore} is damaged or is not a journal: a record in the
 * middle cannot be read or does not fit the queue it builds. A torn last record, the trace of a
 * crash, is never this error: it is ignored.
 *
 * Nothing is changed in the file: move it aside to start with an empty queue, or repair it.
 */
export class QueueJournalError extends Error {
  /** The journal file. */
  readonly path: string;
  /** 1-based line of the offending record, when one is to blame. */
  readonly line: number | undefined;

  constructor(init: QueueJournalErrorInit) {
    super(`offline queue journal ${init.path}${init.line !== undefined ? ` line ${init.line}` : ''}: ${init.reason}`);
    this.name = 'QueueJournalError';
    this.path = init.path;
    this.line = init.line;
  }
}

/** Serialises one record as a journal line, newline included. */
export function encodeRecord(record: JournalRecord): string {
  return JSON.stringify(record) + '\n';
}

/** What replaying a journal gives. */
export interface Replay {
  /** The queue the journal describes, head first. */
  readonly messages: QueuedMessage[];
  /** Records replayed, header excluded: how long the file is, in records. */
  readonly records: number;
  /** Bytes of the file that hold whole records; anything after them is a torn tail to cut off. */
  readonly goodBytes: number;
  /** Bytes of torn tail ignored (0 when the file ended cleanly). */
  readonly tornBytes: number;
}

function isMessage(v: unknown): v is QueuedMessage {
  if (typeof v !== 'object' || v === null) return false;
  const m = v as Record<string, unknown>;
  return typeof m['key'] === 'string' && typeof m['action'] === 'string' && Number.isInteger(m['attempts']) && typeof m['queuedAt'] === 'number';
}

function parseRecord(line: string): JournalRecord | undefined {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch {
    return undefined;
  }
  if (typeof value !== 'object' || value === null) return undefined;
  const r = value as Record<string, unknown>;
  if (r['op'] === 'push' && isMessage(r['message'])) return { op: 'push', message: r['message'] };
  if (r['op'] === 'shift' && typeof r['key'] === 'string') return { op: 'shift', key: r['key'] };
  if (r['op'] === 'update' && typeof r['key'] === 'string' && Number.isInteger(r['attempts'])) {
    return { op: 'update', key: r['key'], attempts: r['attempts'] as number };
  }
  return undefined;
}

/**
 * Rebuilds the queue from a journal's bytes. An empty file is an empty queue (a crash before the
 * header was written). Throws {@link QueueJournalError} for a damaged or foreign file.
 */
export function replayJournal(path: string, bytes: Buffer): Replay {
  // Only a line that ends in a newline was written whole; the rest is a torn tail.
  const end = bytes.lastIndexOf(0x0a) + 1;
  const tornBytes = bytes.length - end;
  if (end === 0) {
    // Nothing whole, not even the header: an empty journal, or one torn inside its header.
    if (tornBytes > 0 && !JOURNAL_HEADER.startsWith(bytes.toString('utf8'))) {
      throw new QueueJournalError({ path, line: 1, reason: 'not an ocpp-sdk offline queue journal' });
    }
    return { messages: [], records: 0, goodBytes: 0, tornBytes };
  }
  const lines = bytes.toString('utf8', 0, end).split('\n');
  lines.pop(); // the empty string after the last newline
  if (lines[0] + '\n' !== JOURNAL_HEADER) throw new QueueJournalError({ path, line: 1, reason: 'not an ocpp-sdk offline queue journal' });

  // A head index instead of Array#shift: replaying a long journal stays linear.
  const queue: QueuedMessage[] = [];
  let head = 0;
  for (let i = 1; i < lines.length; i++) {
    const record = parseRecord(lines[i]);
    const line = i + 1;
    if (record === undefined) throw new QueueJournalError({ path, line, reason: 'unreadable record' });
    if (record.op === 'push') {
      queue.push(record.message);
      continue;
    }
    const current = head < queue.length ? queue[head] : undefined;
    if (current === undefined || current.key !== record.key) {
      throw new QueueJournalError({ path, line, reason: `${record.op} of ${JSON.stringify(record.key)}, which is not the head of the queue` });
    }
    if (record.op === 'shift') head++;
    else queue[head] = { ...current, attempts: record.attempts };
  }
  return { messages: queue.slice(head), records: lines.length - 1, goodBytes: end, tornBytes };
}
