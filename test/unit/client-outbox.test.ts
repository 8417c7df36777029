/**
 * The ChargePoint's transaction outbox on its own: no socket, no endpoint. Messages are "sent"
 * through a fake connection whose answers each test scripts, and retry waits run on node's mock
 * timers, so every timing below is exact.
 */
import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, mock, test } from 'node:test';
import { ConnectionClosedError, GenericError, TimeoutError, ValidationError } from '../../src/core/errors';
import { TransactionOutbox, type OutboxConnection, type OutboxHost, type QueueDroppedEvent } from '../../src/client/outbox';
import { MemoryQueueStore, type OfflineQueueStore, type QueuedMessage } from '../../src/ocpp/offline-queue';
import { createPayloadValidator } from '../../src/ocpp/validation';
import type { OcppVersion } from '../../src/ocpp/version';
import { MAX_DELAY_MS } from '../../src/transport/delay';

const PASS = { validate: () => undefined };

/** Lets pending promise chains run (setImmediate is not mocked). */
async function settle(rounds = 5): Promise<void> {
  for (let i = 0; i < rounds; i++) await new Promise<void>((resolve) => setImmediate(resolve));
}

type Answer = (action: string, payload: unknown, n: number) => unknown;

/** A connection whose answer to the n-th send (from 1) `answer` decides; a thrown value rejects. */
class FakeConnection implements OutboxConnection {
  readonly sent: Array<{ action: string; payload: unknown }> = [];
  closed = false;
  constructor(private readonly answer: Answer) {}
  call(action: string, payload: unknown): Promise<unknown> {
    this.sent.push({ action, payload });
    const n = this.sent.length;
    return Promise.resolve().then(() => this.answer(action, payload, n));
  }
}

interface Rig {
  outbox: TransactionOutbox;
  store: OfflineQueueStore;
  dropped: QueueDroppedEvent[];
  errors: Error[];
  online: FakeConnection | undefined;
}

function rig(
  options: { connection?: FakeConnection; store?: OfflineQueueStore; attempts?: number; retryIntervalMs?: number; protocol?: OcppVersion } = {},
): Rig {
  const r: Rig = { outbox: undefined as never, store: options.store ?? new MemoryQueueStore(), dropped: [], errors: [], online: options.connection };
  const host: OutboxHost = {
    protocol: options.protocol ?? 'ocpp1.6',
    store: r.store,
    retry: { attempts: options.attempts ?? 3, retryIntervalMs: options.retryIntervalMs ?? 1000 },
    validator: PASS,
    connection: () => r.online,
    onDropped: (event) => r.dropped.push(event),
    onError: (error) => r.errors.push(error),
  };
  r.outbox = new TransactionOutbox(host);
  return r;
}

const stop = (meterStop: number) => ({ meterStop, timestamp: '2026-01-01T00:00:00Z', transactionId: 1 });

describe('TransactionOutbox', () => {
  beforeEach(() => mock.timers.enable({ apis: ['setTimeout'] }));
  afterEach(() => mock.timers.reset());

  test('delivers queued messages in order, one at a time, each caller getting its own answer', async () => {
    let inFlight = 0;
    let most = 0;
    const conn = new FakeConnection(async (_action, payload) => {
      inFlight++;
      most = Math.max(most, inFlight);
      await Promise.resolve();
      inFlight--;
      return { echo: (payload as { meterStop: number }).meterStop };
    });
    const r = rig({ connection: conn });
    const answers = await Promise.all([1, 2, 3].map((n) => r.outbox.enqueue('StopTransaction', stop(n))));
    assert.deepEqual(answers, [{ echo: 1 }, { echo: 2 }, { echo: 3 }]);
    assert.deepEqual(
      conn.sent.map((s) => (s.payload as { meterStop: number }).meterStop),
      [1, 2, 3],
    );
    assert.equal(most, 1, 'never two messages in flight');
    assert.equal(await r.store.size(), 0);
  });

  test('keeps messages while no connection is ready and sends them on the next flush', async () => {
    const r = rig();
    const delivered = r.outbox.enqueue('StartTransaction', { connectorId: 1, idTag: 'T', meterStart: 0, timestamp: '2026-01-01T00:00:00Z' });
    await settle();
    assert.equal(await r.store.size(), 1);
    r.online = new FakeConnection(() => ({ transactionId: 7, idTagInfo: { status: 'Accepted' } }));
    await r.outbox.flush();
    assert.deepEqual(await delivered, { transactionId: 7, idTagInfo: { status: 'Accepted' } });
    assert.equal(await r.store.size(), 0);
  });

  test('resends after a CALLERROR, waiting retryIntervalMs x attempts so far, until answered', async () => {
    const conn = new FakeConnection((_a, _p, n) => {
      if (n < 3) throw new GenericError({ description: 'busy' });
      return {};
    });
    const r = rig({ connection: conn, attempts: 3, retryIntervalMs: 1000 });
    const delivered = r.outbox.enqueue('StopTransaction', stop(5));
    await settle();
    assert.equal(conn.sent.length, 1);
    mock.timers.tick(999);
    await settle();
    assert.equal(conn.sent.length, 1, 'not before 1 x 1000 ms');
    mock.timers.tick(1);
    await settle();
    assert.equal(conn.sent.length, 2);
    assert.equal((await r.store.peek())?.attempts, 2, 'both failed sends recorded');
    mock.timers.tick(1999);
    await settle();
    assert.equal(conn.sent.length, 2, 'not before 2 x 1000 ms');
    mock.timers.tick(1);
    await settle();
    assert.equal(conn.sent.length, 3);
    assert.deepEqual(await delivered, {});
    assert.deepEqual(r.dropped, []);
  });

  test('a timeout counts as a failed attempt like a CALLERROR', async () => {
    const conn = new FakeConnection((action, _p, n) => {
      if (n === 1) throw new TimeoutError({ action, messageId: 'm1', timeoutMs: 30_000 });
      return {};
    });
    const r = rig({ connection: conn, retryIntervalMs: 500 });
    const delivered = r.outbox.enqueue('StopTransaction', stop(1));
    await settle();
    assert.equal((await r.store.peek())?.attempts, 1);
    mock.timers.tick(500);
    await settle();
    assert.deepEqual(await delivered, {});
    assert.equal(conn.sent.length, 2);
  });

  test('item 45: timeouts count in the growing wait: after the second failed send (a timeout) the wait is 2 x retryIntervalMs', async () => {
    const conn = new FakeConnection((action, _p, n) => {
      if (n < 3) throw new TimeoutError({ action, messageId: `m${n}`, timeoutMs: 30_000 });
      return {};
    });
    const r = rig({ connection: conn, attempts: 3, retryIntervalMs: 400 });
    const delivered = r.outbox.enqueue('StopTransaction', stop(1));
    await settle();
    mock.timers.tick(400);
    await settle();
    assert.equal(conn.sent.length, 2, 'first wait: 1 x 400 ms');
    assert.equal((await r.store.peek())?.attempts, 2, 'two timeouts, two failed sends');
    mock.timers.tick(799);
    await settle();
    assert.equal(conn.sent.length, 2, 'not before 2 x 400 ms');
    mock.timers.tick(1);
    await settle();
    assert.equal(conn.sent.length, 3);
    assert.deepEqual(await delivered, {});
  });

  test('item 46: a 2.0.1 TransactionEvent that fails (CALLERROR, then a timeout) is resent, the same payload each time, until answered', async () => {
    const conn = new FakeConnection((action, _p, n) => {
      if (n === 1) throw new GenericError({ description: 'busy' });
      if (n === 2) throw new TimeoutError({ action, messageId: 'm2', timeoutMs: 30_000 });
      return { totalCost: 0 };
    });
    const r = rig({ connection: conn, protocol: 'ocpp2.0.1', attempts: 3, retryIntervalMs: 100 });
    const event = {
      eventType: 'Updated',
      seqNo: 4,
      timestamp: '2026-01-01T00:00:00Z',
      triggerReason: 'MeterValuePeriodic',
      transactionInfo: { transactionId: 'T1' },
    };
    const delivered = r.outbox.enqueue('TransactionEvent', event);
    await settle();
    mock.timers.tick(100);
    await settle();
    mock.timers.tick(199);
    await settle();
    assert.equal(conn.sent.length, 2, 'the timeout counted: the second wait is 2 x 100 ms');
    mock.timers.tick(1);
    await settle();
    assert.deepEqual(await delivered, { totalCost: 0 });
    assert.deepEqual(
      conn.sent.map((s) => s.payload),
      [event, event, event],
    );
    assert.deepEqual(r.dropped, []);
  });

  test('item 46: a 2.0.1 TransactionEvent that keeps timing out is given up after its attempts and reported', async () => {
    const conn = new FakeConnection((action) => {
      throw new TimeoutError({ action, messageId: 'm', timeoutMs: 30_000 });
    });
    const r = rig({ connection: conn, protocol: 'ocpp2.0.1', attempts: 2, retryIntervalMs: 100 });
    const outcome = assert.rejects(r.outbox.enqueue('TransactionEvent', { eventType: 'Ended', seqNo: 9 }), TimeoutError);
    await settle();
    mock.timers.tick(100);
    await settle();
    await outcome;
    assert.equal(conn.sent.length, 2);
    assert.deepEqual(
      r.dropped.map((d) => [d.action, d.attempts, d.error instanceof TimeoutError]),
      [['TransactionEvent', 2, true]],
    );
  });

  test('gives a message up after its attempts: queueDropped, its caller rejected with the last error, the next one sent', async () => {
    const conn = new FakeConnection((_a, payload) => {
      if ((payload as { meterStop: number }).meterStop === 1) throw new GenericError({ description: 'refused' });
      return { ok: true };
    });
    const r = rig({ connection: conn, attempts: 2, retryIntervalMs: 100 });
    const first = r.outbox.enqueue('StopTransaction', stop(1));
    const second = r.outbox.enqueue('StopTransaction', stop(2));
    const firstOutcome = assert.rejects(first, (e: unknown) => e instanceof GenericError && e.description === 'refused');
    await settle();
    mock.timers.tick(100);
    await settle();
    await firstOutcome;
    assert.deepEqual(await second, { ok: true });
    assert.equal(r.dropped.length, 1);
    assert.equal(r.dropped[0].action, 'StopTransaction');
    assert.equal(r.dropped[0].attempts, 2);
    assert.ok(r.dropped[0].error instanceof GenericError);
    assert.deepEqual(
      conn.sent.map((s) => (s.payload as { meterStop: number }).meterStop),
      [1, 1, 2],
    );
  });

  test('a lost connection is not an attempt: the message stays at the head with 0 attempts and goes on the next flush', async () => {
    const broken = new FakeConnection(() => {
      broken.closed = true;
      throw new ConnectionClosedError({ code: 1006, reason: '' });
    });
    const r = rig({ connection: broken, attempts: 1 });
    const delivered = r.outbox.enqueue('StopTransaction', stop(9));
    await settle();
    assert.equal(broken.sent.length, 1);
    assert.equal((await r.store.peek())?.attempts, 0);
    assert.deepEqual(r.dropped, [], 'not given up, although attempts is 1');
    const fresh = new FakeConnection(() => ({ delivered: true }));
    r.online = fresh;
    await r.outbox.flush();
    assert.deepEqual(await delivered, { delivered: true });
    assert.equal(fresh.sent.length, 1);
  });

  test('a message other than a transaction message is not retried: its caller gets the error, no queueDropped', async () => {
    const conn = new FakeConnection(() => {
      throw new GenericError({ description: 'no' });
    });
    const r = rig({ connection: conn });
    await assert.rejects(r.outbox.enqueue('Heartbeat', {}), GenericError);
    assert.equal(conn.sent.length, 1);
    assert.deepEqual(r.dropped, []);
  });

  test('a store that fails while flushing is reported through onError, and the queue does not spin', async () => {
    const store = new MemoryQueueStore();
    const r = rig({ store, connection: new FakeConnection(() => ({})) });
    r.online = undefined;
    const pending = r.outbox.enqueue('StopTransaction', stop(1));
    await settle();
    store.peek = () => {
      throw new Error('disk gone');
    };
    r.online = new FakeConnection(() => ({}));
    await r.outbox.flush();
    assert.equal(r.errors.length, 1);
    assert.equal(r.errors[0].message, 'disk gone');
    assert.equal(r.online.sent.length, 0);
    r.outbox.close(new Error('closed'));
    await assert.rejects(pending, /closed/);
  });

  test('a store that refuses a message rejects that call with the store error', async () => {
    const r = rig({ store: new MemoryQueueStore(1) });
    const first = r.outbox.enqueue('StopTransaction', stop(1));
    await assert.rejects(r.outbox.enqueue('StopTransaction', stop(2)), RangeError);
    r.outbox.close(new Error('closed'));
    await assert.rejects(first, /closed/);
  });

  test('close rejects every waiting caller, ends a retry wait, and leaves the messages in the store', async () => {
    const conn = new FakeConnection(() => {
      throw new GenericError({ description: 'busy' });
    });
    const r = rig({ connection: conn, retryIntervalMs: 60_000 });
    const a = r.outbox.enqueue('StopTransaction', stop(1));
    const b = r.outbox.enqueue('StopTransaction', stop(2));
    await settle();
    assert.equal(conn.sent.length, 1, 'waiting 60 s before the resend');
    const closing = new Error('charge point closed');
    r.outbox.close(closing);
    await assert.rejects(a, (e) => e === closing);
    await assert.rejects(b, (e) => e === closing);
    await settle();
    assert.equal(conn.sent.length, 1, 'nothing sent after close');
    assert.equal(await r.store.size(), 2);
    await assert.rejects(r.outbox.enqueue('StopTransaction', stop(3)), (e) => e === closing);
    assert.equal(r.outbox.waiting, 0);
  });

  test('an invalid request is refused at its caller with a ValidationError and never stored', async () => {
    const store = new MemoryQueueStore();
    const outbox = new TransactionOutbox({
      protocol: 'ocpp1.6',
      store,
      retry: { attempts: 3, retryIntervalMs: 1000 },
      validator: createPayloadValidator('ocpp1.6'),
      connection: () => undefined,
      onDropped: () => assert.fail('nothing to drop'),
      onError: (e) => assert.fail(e),
    });
    await assert.rejects(outbox.enqueue('StopTransaction', { meterStop: 'x' }), ValidationError);
    assert.equal(store.size(), 0);
  });

  test('2.0.1: a TransactionEvent queued while offline is stored with offline: true', async () => {
    const r = rig({ protocol: 'ocpp2.0.1' });
    const closed = (e: unknown): boolean => e instanceof Error && e.message === 'end';
    const a = assert.rejects(r.outbox.enqueue('TransactionEvent', { eventType: 'Started', seqNo: 0 }, { offline: true }), closed);
    const b = assert.rejects(r.outbox.enqueue('TransactionEvent', { eventType: 'Ended', seqNo: 1 }), closed);
    await settle();
    const store = r.store as MemoryQueueStore;
    const first = store.peek() as QueuedMessage;
    assert.deepEqual(first.payload, { eventType: 'Started', seqNo: 0, offline: true });
    store.shift();
    assert.deepEqual((store.peek() as QueuedMessage).payload, { eventType: 'Ended', seqNo: 1 });
    r.outbox.close(new Error('end'));
    await Promise.all([a, b]);
  });
});

describe('TransactionOutbox retry waits are capped', () => {
  test('retryIntervalMs x attempts beyond 2^31-1 ms is scheduled at 2^31-1 ms, not wrapped to 1 ms', async (t) => {
    const delays: number[] = [];
    // Records each delay and fires at once, so the test walks through every wait.
    t.mock.method(globalThis, 'setTimeout', ((fn: () => void, ms: number) => {
      delays.push(ms);
      queueMicrotask(fn);
      return 0 as never;
    }) as never);
    const conn = new FakeConnection(() => {
      throw new GenericError({ description: 'busy' });
    });
    const r = rig({ connection: conn, attempts: 3, retryIntervalMs: MAX_DELAY_MS });
    await assert.rejects(r.outbox.enqueue('StopTransaction', stop(1)), GenericError);
    assert.deepEqual(delays, [MAX_DELAY_MS, MAX_DELAY_MS], 'the second wait (2 x 2^31-1) is capped');
    assert.equal(conn.sent.length, 3);
  });
});
