/**
 * The charge point's transaction outbox (OCPP 1.6 §3.7 / checklist item 45, 2.0.1 TC_E_43 and
 * TC_E_50 / item 46): messages go into a store, leave it one at a time in order whenever a
 * connection is ready, are retried after a CALLERROR or a timeout, and are given up after their
 * attempts. It knows nothing of sockets: it sends through whatever {@link OutboxConnection} its
 * host hands it, which lets it be tested with a plain function.
 */
import { ConnectionClosedError, RpcError, TimeoutError, ValidationError } from '../core/errors';
import type { PayloadValidator } from '../core/validator';
import { isTransactionMessage, marksOffline, type OfflineQueueStore, type QueuedMessage, type TransactionRetryOptions } from '../ocpp/offline-queue';
import type { OcppVersion } from '../ocpp/version';
import { clampDelayMs } from '../transport/delay';

/** A queued message given up after its attempts (or refused for good). */
export interface QueueDroppedEvent {
  /** Its action. */
  readonly action: string;
  /** Its payload, as it was sent. */
  readonly payload: unknown;
  /** Sends attempted. */
  readonly attempts: number;
  /** Why the last attempt failed. */
  readonly error: unknown;
}

/** What the outbox sends through: the current connection. */
export interface OutboxConnection {
  /** Sends a CALL and settles with its answer (an RpcEndpoint fits); `accept` as in CallOptions. */
  call(action: string, payload: unknown, options?: { accept?: (response: unknown) => void }): Promise<unknown>;
  /** True once the connection is gone: a failure then is the connection's, not the message's. */
  readonly closed: boolean;
}

/** What the outbox needs from its owner. */
export interface OutboxHost {
  /** The version spoken: it decides which messages are transaction messages. */
  readonly protocol: OcppVersion;
  /** Where messages wait. */
  readonly store: OfflineQueueStore;
  /** How often and how far apart a failing transaction message is sent. */
  readonly retry: Readonly<Required<TransactionRetryOptions>>;
  /** Checks requests as they are queued. */
  readonly validator: PayloadValidator;
  /** The connection to send through, or undefined while none may be used (offline, boot gating). */
  connection(): OutboxConnection | undefined;
  /** A transaction message was given up. */
  onDropped(event: QueueDroppedEvent): void;
  /** The store failed while flushing; the queue stops until the next flush. */
  onError(error: Error): void;
}

/** How a message is queued. */
export interface EnqueueOptions {
  /** Validate the request now (default true), so that an invalid one fails at its caller. */
  validate?: boolean;
  /** The charge point is offline: a 2.0.1 TransactionEvent is marked `offline: true` (TC_E_43). */
  offline?: boolean;
  /** The caller's check of the answer (CallOptions.accept); kept in memory only, not in the store. */
  accept?: (response: unknown) => void;
}

interface Waiter {
  resolve(value: unknown): void;
  reject(error: unknown): void;
  accept: ((response: unknown) => void) | undefined;
}

/**
 * Delivers queued messages in order, one at a time. The promise of {@link TransactionOutbox.enqueue}
 * settles when its message is delivered (its answer), given up (the last error), or the outbox
 * is closed.
 */
export class TransactionOutbox {
  private readonly waiters = new Map<string, Waiter>();
  private flushing = false;
  private closedWith: Error | undefined;
  private nextKey = 0;
  private retryTimer: ReturnType<typeof setTimeout> | undefined;
  private wakeRetry: (() => void) | undefined;

  constructor(private readonly host: OutboxHost) {}

  /** Messages whose callers still wait. */
  get waiting(): number {
    return this.waiters.size;
  }

  /**
   * Validates and stores a message, starts a flush, and resolves with its answer once delivered.
   * Rejects with a ValidationError (nothing stored), with the store's error when it refuses the
   * message, with the last error when the message is given up, or with the close error.
   */
  async enqueue(action: string, payload: unknown, options: EnqueueOptions = {}): Promise<unknown> {
    if (this.closedWith !== undefined) throw this.closedWith;
    let body = payload;
    if (options.offline === true && marksOffline(this.host.protocol, action) && typeof payload === 'object' && payload !== null) {
      body = { ...payload, offline: true };
    }
    if (options.validate !== false) {
      const issue = this.host.validator.validate(action, 'request', 'outbound', body);
      if (issue?.enforced) throw new ValidationError({ direction: 'outbound', kind: 'request', action, code: issue.code, detail: issue.detail });
    }
    const key = `${Date.now().toString(36)}-${(this.nextKey++).toString(36)}`;
    const message: QueuedMessage = { key, action, payload: body, attempts: 0, queuedAt: Date.now() };
    await this.host.store.push(message);
    const delivered = new Promise<unknown>((resolve, reject) => this.waiters.set(key, { resolve, reject, accept: options.accept }));
    void this.flush();
    return delivered;
  }

  /**
   * Sends what is queued while a connection is ready. Safe to call at any time (on open, after
   * boot acceptance): a flush already running is not doubled. Never rejects; store failures go
   * to `onError`.
   */
  async flush(): Promise<void> {
    if (this.flushing) return;
    this.flushing = true;
    try {
      for (;;) {
        if (this.closedWith !== undefined) break;
        const connection = this.host.connection();
        if (connection === undefined) break;
        const head = await this.host.store.peek();
        if (head === undefined) break;
        if (!(await this.deliver(connection, head))) break;
      }
    } catch (error) {
      this.host.onError(error instanceof Error ? error : new Error(String(error)));
    } finally {
      this.flushing = false;
    }
  }

  /** Sends the head once; false when the connection failed and flushing must wait for the next. */
  private async deliver(connection: OutboxConnection, head: QueuedMessage): Promise<boolean> {
    let response: unknown;
    const accept = this.waiters.get(head.key)?.accept;
    let refused = false;
    try {
      response = await connection.call(
        head.action,
        head.payload,
        accept === undefined
          ? undefined
          : {
              accept: (answer) => {
                refused = true;
                accept(answer);
                refused = false;
              },
            },
      );
    } catch (error) {
      if (refused) {
        // Delivered, and its answer refused by the caller's own check: done with, never resent.
        await this.host.store.shift();
        this.settle(head.key)?.reject(error);
        return true;
      }
      // The connection's failure, not the message's: resent after a reconnect, not counted.
      if (error instanceof ConnectionClosedError || connection.closed) return false;
      await this.failed(head, error);
      return true;
    }
    await this.host.store.shift();
    this.settle(head.key)?.resolve(response);
    return true;
  }

  private async failed(head: QueuedMessage, error: unknown): Promise<void> {
    const transactional = isTransactionMessage(this.host.protocol, head.action, head.payload);
    const retriable = error instanceof RpcError || error instanceof TimeoutError;
    const attempts = head.attempts + 1;
    if (!transactional || !retriable || attempts >= this.host.retry.attempts) {
      await this.host.store.shift();
      this.settle(head.key)?.reject(error);
      if (transactional) this.host.onDropped({ action: head.action, payload: head.payload, attempts, error });
      return;
    }
    await this.host.store.update({ ...head, attempts });
    // 1.6 §3.7: wait TransactionMessageRetryInterval times the sends so far.
    await this.sleep(this.host.retry.retryIntervalMs * attempts);
  }

  private sleep(ms: number): Promise<void> {
    return new Promise<void>((resolve) => {
      const wake = (): void => {
        clearTimeout(this.retryTimer);
        this.retryTimer = undefined;
        this.wakeRetry = undefined;
        resolve();
      };
      this.wakeRetry = wake;
      this.retryTimer = setTimeout(wake, clampDelayMs(ms));
    });
  }

  private settle(key: string): Waiter | undefined {
    const waiter = this.waiters.get(key);
    this.waiters.delete(key);
    return waiter;
  }

  /**
   * Stops: ends a retry wait, and rejects every caller still waiting with `error`. Queued
   * messages stay in the store (a durable store hands them to the next outbox).
   */
  close(error: Error): void {
    if (this.closedWith !== undefined) return;
    this.closedWith = error;
    this.wakeRetry?.();
    const waiters = [...this.waiters.values()];
    this.waiters.clear();
    for (const w of waiters) w.reject(error);
  }
}
