/**
 * A durable {@link OfflineQueueStore} for Node: the ChargePoint's transaction messages survive a
 * process crash, a kill or a power cut, and are delivered after the restart. Node only (it
 * uses `node:fs`), so it is exported from the Node entry and not from the browser entry.
 *
 * @module
 */
import { open, rename, rm, type FileHandle } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { DEFAULT_OFFLINE_QUEUE_LIMIT, type OfflineQueueStore, type QueuedMessage } from '../ocpp/offline-queue';
import { encodeRecord, JOURNAL_HEADER, replayJournal } from './queue-journal';

/** Default {@link FileQueueStoreOptions.compactAfterRecords}. */
export const DEFAULT_COMPACT_AFTER_RECORDS = 1_000;

/** Options of {@link FileQueueStore.open}. */
export interface FileQueueStoreOptions {
  /**
   * The journal file. Created when missing, readable and writable by its owner only (the
   * payloads carry id tokens); its folder must exist. One store per file: a second {@link FileQueueStore.open} of the same path in
   * the same process is refused, and two processes must not share a file.
   */
  path: string;
  /**
   * Most messages held at once; a push beyond it throws a RangeError, and the charge point's
   * call rejects with it (the oldest messages are kept: they carry the transaction starts).
   * @default 10000
   */
  limit?: number;
  /**
   * Rewrite the journal with only the queued messages once it holds this many records more than
   * queued messages (delivered messages and attempt updates), so that a charger that runs for
   * years does not grow its file without end.
   * @default 1000
   */
  compactAfterRecords?: number;
  /**
   * fsync each record before the operation resolves. With `false` the queue still survives a
   * crash of the process (the operating system holds the writes), but not a crash of the
   * operating system or a power cut: messages can then be lost, or resent.
   * @default true
   */
  fsync?: boolean;
}

/** Owner only: the queued payloads carry id tokens. Applies when the file is created. */
const FILE_MODE = 0o600;

/** Paths open in this process: two stores appending to one journal would corrupt it. */
const openPaths = new Set<string>();

function positiveInteger(name: string, value: number | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  if (!Number.isSafeInteger(value) || value < 1) throw new TypeError(`FileQueueStore: ${name} must be a positive integer, got ${String(value)}`);
  return value;
}

/**
 * A durable offline queue: an append-only journal file (one JSON line per push, attempt update
 * and shift), replayed when the store is opened. Pass it as `offline.store` of a ChargePoint;
 * after a restart, a ChargePoint with a store opened on the same file sends what is left, in
 * order, as soon as it is connected (and accepted, with `bootGating`).
 *
 * What the journal guarantees, with the ChargePoint's outbox (which shifts a message only after
 * the central system's CALLRESULT for it arrived, or when it is given up):
 *
 * - **Nothing accepted is lost.** A message is in the queue once its push resolved, which is
 *   after its record is written and fsync'd; it leaves only by a shift, written after its
 *   delivery was confirmed (or after it was given up, which emits `queueDropped`). A crash at
 *   any point keeps it. A message whose push had not resolved when the process died (its record
 *   torn or not written) was never accepted: it is absent, never half there.
 * - **Order and attempts are kept.** Replay rebuilds the queue head first, with the attempt
 *   count of the last update.
 * - **What can be sent twice:** the message that was in flight when the process died, if the
 *   central system had received it: died after the CALLRESULT arrived but before the shift was
 *   on disk, or after the CALL was sent but before the answer came. After the restart it is the
 *   head and is sent again. That is OCPP's own at-least-once delivery, the same as a connection
 *   lost while a CALL is outstanding; a central system tells the repeat by its content (1.6: the
 *   same connector, timestamp and transactionId; 2.0.1 and 2.1: the same transactionId and seqNo). At most
 *   that one message repeats per crash, since the outbox sends one at a time.
 *
 * A torn last record (a crash during a write) is ignored and cut off on open, never an error. A
 * file damaged elsewhere, or one that is not a journal, is refused with {@link QueueJournalError}
 * and left as it is.
 *
 * The store's methods are called one at a time by the ChargePoint; calls made concurrently by
 * other code are applied in order too.
 *
 * @example
 * ```ts
 * const store = await FileQueueStore.open({ path: '/var/lib/charger/ocpp-queue.jsonl' });
 * const cp = new ChargePoint({ url, identity: 'CP001', protocol: 'ocpp1.6', offline: { store } });
 * await cp.connect(); // what the last run left in the queue goes out now, in order
 * // ... on shutdown, after cp.close():
 * await store.close();
 * ```
 */
export class FileQueueStore implements OfflineQueueStore {
  /** The journal file. */
  readonly path: string;
  /** Most messages held at once. */
  readonly limit: number;
  /** Surplus records that trigger a compaction. */
  readonly compactAfterRecords: number;
  /** Whether each record is fsync'd before its operation resolves. */
  readonly fsync: boolean;

  private handle: FileHandle | undefined;
  private items: QueuedMessage[];
  private head = 0;
  /** Records in the file after its header. */
  private records: number;
  /** Bytes of whole records in the file: where the next record goes, and where to cut a failed write back to. */
  private bytes: number;
  /** Operations run one after another on this chain, so records land in call order. */
  private chain: Promise<unknown> = Promise.resolve();
  private failure: Error | undefined;
  /** After a failed compaction: the record count at which to try again (not at every operation). */
  private compactRetryAt = 0;

  private constructor(options: Required<FileQueueStoreOptions>, handle: FileHandle, messages: QueuedMessage[], records: number, bytes: number) {
    this.path = options.path;
    this.limit = options.limit;
    this.compactAfterRecords = options.compactAfterRecords;
    this.fsync = options.fsync;
    this.handle = handle;
    this.items = messages;
    this.records = records;
    this.bytes = bytes;
  }

  /**
   * Opens (or creates) the journal at `options.path` and replays it.
   *
   * @throws TypeError naming the option when an option is invalid, or when the path is already
   *   open in this process.
   * @throws {@link QueueJournalError} when the file is damaged or is not a journal (a torn last
   *   record is not damage: it is ignored).
   * @throws the file system's error (ENOENT for a missing folder, EACCES, ...) as it comes.
   */
  static async open(options: FileQueueStoreOptions): Promise<FileQueueStore> {
    if (typeof options !== 'object' || options === null) throw new TypeError('FileQueueStore: options must be an object');
    if (typeof options.path !== 'string' || options.path === '') throw new TypeError('FileQueueStore: path must be a non-empty string');
    if (options.fsync !== undefined && typeof options.fsync !== 'boolean') {
      throw new TypeError(`FileQueueStore: fsync must be a boolean, got ${typeof options.fsync}`);
    }
    const resolved: Required<FileQueueStoreOptions> = {
      path: options.path,
      limit: positiveInteger('limit', options.limit, DEFAULT_OFFLINE_QUEUE_LIMIT),
      compactAfterRecords: positiveInteger('compactAfterRecords', options.compactAfterRecords, DEFAULT_COMPACT_AFTER_RECORDS),
      fsync: options.fsync ?? true,
    };
    const key = resolve(resolved.path);
    if (openPaths.has(key)) throw new TypeError(`FileQueueStore: path ${resolved.path} is already open in this process`);
    openPaths.add(key);
    let handle: FileHandle | undefined;
    try {
      // A compaction that died before its rename leaves this behind; the journal itself is intact.
      await rm(`${resolved.path}.compact`, { force: true });
      handle = await open(resolved.path, 'a+', FILE_MODE);
      const replay = replayJournal(resolved.path, await handle.readFile());
      let bytes = replay.goodBytes;
      if (replay.tornBytes > 0) {
        // Cut the torn record off, or the next record would be glued to it.
        await handle.truncate(bytes);
        await handle.sync();
      }
      if (bytes === 0) {
        await handle.appendFile(JOURNAL_HEADER);
        await handle.sync();
        await syncFolder(resolved.path);
        bytes = Buffer.byteLength(JOURNAL_HEADER);
      }
      const store = new FileQueueStore(resolved, handle, replay.messages, replay.records, bytes);
      await store.compactWhenDue();
      return store;
    } catch (error) {
      await handle?.close().catch(() => undefined);
      openPaths.delete(key);
      throw error;
    }
  }

  /** Appends a message; resolves once its record is on disk. Throws a RangeError when full. */
  push(message: QueuedMessage): Promise<void> {
    return this.run(async () => {
      if (this.size() >= this.limit) throw new RangeError(`offline queue is full (${this.limit} messages)`);
      // Kept as its JSON round trip: what replay will give after a restart, and a copy, so a
      // caller that changes its object later changes nothing here.
      const copy = JSON.parse(JSON.stringify(message)) as QueuedMessage;
      await this.append(encodeRecord({ op: 'push', message: copy }));
      this.items.push(copy);
    });
  }

  /** The head, or undefined when the queue is empty. */
  peek(): Promise<QueuedMessage | undefined> {
    return this.run(() => Promise.resolve(this.head < this.items.length ? this.items[this.head] : undefined));
  }

  /** Removes the head; resolves once that is on disk. Does nothing on an empty queue. */
  shift(): Promise<void> {
    return this.run(async () => {
      if (this.head >= this.items.length) return;
      await this.append(encodeRecord({ op: 'shift', key: this.items[this.head].key }));
      this.items[this.head++] = undefined as never;
      if (this.head > 1024 && this.head * 2 > this.items.length) {
        this.items = this.items.slice(this.head);
        this.head = 0;
      }
      await this.compactWhenDue();
    });
  }

  /** Records the head's new attempt count; ignored when `message` is not the head. */
  update(message: QueuedMessage): Promise<void> {
    return this.run(async () => {
      const current = this.head < this.items.length ? this.items[this.head] : undefined;
      if (current === undefined || current.key !== message.key) return;
      await this.append(encodeRecord({ op: 'update', key: current.key, attempts: message.attempts }));
      this.items[this.head] = { ...current, attempts: message.attempts };
      await this.compactWhenDue();
    });
  }

  /** Messages queued. Synchronous: what is counted is on disk. */
  size(): number {
    return this.items.length - this.head;
  }

  /**
   * Waits for the operations under way, then closes the file. The queue stays in the file for
   * the next {@link FileQueueStore.open}; this store refuses further operations.
   */
  async close(): Promise<void> {
    await this.chain.catch(() => undefined);
    const handle = this.handle;
    if (handle === undefined) return;
    this.handle = undefined;
    this.failure ??= new Error(`FileQueueStore ${this.path} is closed`);
    openPaths.delete(resolve(this.path));
    await handle.close();
  }

  /** Records in the file that no longer describe a queued message. */
  private surplus(): number {
    return this.records - this.size();
  }

  private run<T>(operation: () => Promise<T>): Promise<T> {
    const result = this.chain.then(() => {
      if (this.failure !== undefined) throw this.failure;
      return operation();
    });
    this.chain = result.catch(() => undefined);
    return result;
  }

  /** Writes one record, whole or not at all as far as later records are concerned. */
  private async append(line: string): Promise<void> {
    const handle = this.handle!;
    const data = Buffer.from(line);
    try {
      // The file is open for appending and ends at `this.bytes`; the record and its newline go
      // in one write (a regular file takes it whole unless the disk is full, handled below).
      let written = 0;
      while (written < data.length) written += (await handle.write(data, written, data.length - written)).bytesWritten;
      if (this.fsync) await handle.datasync();
    } catch (error) {
      // Cut back what may have been written, so the file still ends on a whole record; if even
      // that fails, stop: appending after a partial record would damage the journal.
      try {
        await handle.truncate(this.bytes);
      } catch {
        this.failure = error instanceof Error ? error : new Error(String(error));
      }
      throw error;
    }
    this.bytes += data.length;
    this.records++;
  }

  /**
   * Compacts once the surplus passes the threshold. Compaction only saves space: when it fails
   * (a full disk) the journal is still whole, the operation that triggered it has succeeded, and
   * the next try waits for another `compactAfterRecords` records. Only a failure that leaves no
   * usable journal (see `compact`) stops the store.
   */
  private async compactWhenDue(): Promise<void> {
    if (this.surplus() < this.compactAfterRecords || this.records < this.compactRetryAt) return;
    try {
      await this.compact();
    } catch (error) {
      if (this.failure !== undefined) throw error;
      this.compactRetryAt = this.records + this.compactAfterRecords;
    }
  }

  /**
   * Rewrites the journal as the header plus one push per queued message: written to a side file,
   * fsync'd, renamed over the journal (atomic), the folder fsync'd. A crash leaves either the old
   * journal or the new one, both whole.
   */
  private async compact(): Promise<void> {
    const live = this.items.slice(this.head);
    const text = JOURNAL_HEADER + live.map((message) => encodeRecord({ op: 'push', message })).join('');
    const side = `${this.path}.compact`;
    try {
      const out = await open(side, 'w', FILE_MODE);
      try {
        await out.writeFile(text);
        await out.sync();
      } finally {
        await out.close();
      }
      await rename(side, this.path);
    } catch (error) {
      await rm(side, { force: true }).catch(() => undefined);
      throw error;
    }
    await syncFolder(this.path);
    const old = this.handle!;
    try {
      this.handle = await open(this.path, 'a+', FILE_MODE);
    } catch (error) {
      // The old handle now writes to a file that is no longer the journal: appending there would
      // lose records, so the store stops (the new journal on disk is whole; reopen it).
      this.failure = error instanceof Error ? error : new Error(String(error));
      throw error;
    }
    await old.close().catch(() => undefined);
    this.items = live;
    this.head = 0;
    this.records = live.length;
    this.bytes = Buffer.byteLength(text);
  }
}

/** fsync of the folder, so that a created or renamed file is itself durable (where the platform allows). */
async function syncFolder(path: string): Promise<void> {
  let folder: FileHandle | undefined;
  try {
    folder = await open(dirname(path), 'r');
    await folder.sync();
  } catch {
    // Windows cannot open a folder for fsync; its file system orders the rename itself.
  } finally {
    await folder?.close().catch(() => undefined);
  }
}
