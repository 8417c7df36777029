/**
 * The charge point's queue of transaction messages (OCPP 1.6 §3.7 / checklist item 45, 2.0.1
 * TC_E_43/TC_E_50 / item 46): which messages belong in it, and where they are kept. The store
 * is an interface so an application can make the queue durable (a file, IndexedDB, SQLite)
 * without the SDK knowing how.
 */
import type { OcppVersion } from './version';

/** One message waiting to be delivered. */
export interface QueuedMessage {
  /** Local key, unique within the store. */
  key: string;
  /** The action to call. */
  action: string;
  /** The request payload, as it will be sent. */
  payload: unknown;
  /** Sends attempted so far. */
  attempts: number;
  /** When it was queued (ms since the epoch). */
  queuedAt: number;
}

/**
 * Where queued messages live, in FIFO order. Methods may return promises (a durable store) or
 * plain values (memory). The SDK calls them one at a time, never concurrently.
 */
export interface OfflineQueueStore {
  /** Append at the tail. Throw to refuse (the caller's call then rejects with that error). */
  push(message: QueuedMessage): void | Promise<void>;
  /** The head, or undefined when empty. */
  peek(): QueuedMessage | undefined | Promise<QueuedMessage | undefined>;
  /** Remove the head (after delivery, or when it is given up). */
  shift(): void | Promise<void>;
  /** Record a changed attempt count of the head. */
  update(message: QueuedMessage): void | Promise<void>;
  /** Number of queued messages. */
  size(): number | Promise<number>;
}

/** Default bound of {@link MemoryQueueStore}. */
export const DEFAULT_OFFLINE_QUEUE_LIMIT = 10_000;

/**
 * The default, in-memory store: bounded, so a charger that stays offline for days cannot grow
 * without limit; the oldest messages are kept (they carry the transaction starts) and new ones
 * are refused once full.
 */
export class MemoryQueueStore implements OfflineQueueStore {
  private items: QueuedMessage[] = [];
  private head = 0;

  /** @param limit Most messages held at once. @default 10000 */
  constructor(readonly limit: number = DEFAULT_OFFLINE_QUEUE_LIMIT) {
    if (!Number.isInteger(limit) || limit < 1) throw new TypeError(`MemoryQueueStore limit must be a positive integer, got ${limit}`);
  }

  push(message: QueuedMessage): void {
    if (this.items.length - this.head >= this.limit) {
      throw new RangeError(`offline queue is full (${this.limit} messages)`);
    }
    this.items.push(message);
  }

  peek(): QueuedMessage | undefined {
    return this.head < this.items.length ? this.items[this.head] : undefined;
  }

  shift(): void {
    if (this.head >= this.items.length) return;
    this.items[this.head++] = undefined as never;
    // Compact now and then so a long-lived queue does not keep its whole history.
    if (this.head > 1024 && this.head * 2 > this.items.length) {
      this.items = this.items.slice(this.head);
      this.head = 0;
    }
  }

  update(message: QueuedMessage): void {
    const current = this.peek();
    if (current && current.key === message.key) this.items[this.head] = message;
  }

  size(): number {
    return this.items.length - this.head;
  }
}

/**
 * True for messages that must not be lost while offline: 1.6 Start/StopTransaction and
 * MeterValues that carry a transactionId (periodic or clock-aligned transaction data); 2.0.1
 * and 2.1 TransactionEvent.
 */
export function isTransactionMessage(protocol: string, action: string, payload: unknown): boolean {
  if (protocol === 'ocpp1.6') {
    if (action === 'StartTransaction' || action === 'StopTransaction') return true;
    return (
      action === 'MeterValues' &&
      typeof payload === 'object' &&
      payload !== null &&
      'transactionId' in payload &&
      (payload as { transactionId?: unknown }).transactionId !== undefined
    );
  }
  return action === 'TransactionEvent';
}

/**
 * Versions whose TransactionEvent has the `offline` flag ("this event was stored while the
 * station was offline", 2.0.1 and 2.1 E04): the outbox sets it on what it queued while offline.
 */
const OFFLINE_FLAG: Readonly<Record<OcppVersion, boolean>> = { 'ocpp1.6': false, 'ocpp2.0.1': true, 'ocpp2.1': true };

/** True when `action` of `protocol` is marked `offline: true` if it was queued while offline. */
export function marksOffline(protocol: OcppVersion, action: string): boolean {
  return OFFLINE_FLAG[protocol] && action === 'TransactionEvent';
}

/** Retry settings for transaction messages. */
export interface TransactionRetryOptions {
  /**
   * Sends in total before a message is given up (1.6 TransactionMessageAttempts, 2.0.1
   * MessageAttemptsTransactionEvent). @default 3
   */
  attempts?: number;
  /**
   * Base wait before a resend; the n-th resend waits n times this (1.6
   * TransactionMessageRetryInterval, 2.0.1 MessageAttemptIntervalTransactionEvent). @default 60000
   */
  retryIntervalMs?: number;
}

/** Default transaction-message retries: 3 sends, 60 s then 120 s apart. */
export const DEFAULT_TRANSACTION_RETRY: Readonly<Required<TransactionRetryOptions>> = Object.freeze({
  attempts: 3,
  retryIntervalMs: 60_000,
});
