// FileQueueStore (issue 16, deliverable 6) on a temporary folder: the queue it keeps, what a
// reopen finds, a torn last record, a damaged file, compaction, the bound and the options. The
// crash of a real ChargePoint process is test/reliability/durable-queue.test.ts.
import assert from 'node:assert/strict';
import { appendFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { FileQueueStore, QueueJournalError, type QueuedMessage } from '../../src/index';
import { JOURNAL_HEADER, replayJournal } from '../../src/node/queue-journal';

const dir = mkdtempSync(path.join(tmpdir(), 'ocpp-queue-'));
after(() => rmSync(dir, { recursive: true, force: true }));
let n = 0;
const fresh = (): string => path.join(dir, `q${n++}.jsonl`);

function msg(i: number, action = 'MeterValues'): QueuedMessage {
  return { key: `k${i}`, action, payload: { connectorId: 1, transactionId: 7, n: i }, attempts: 0, queuedAt: 1_700_000_000_000 + i };
}

async function drain(store: FileQueueStore): Promise<QueuedMessage[]> {
  const out: QueuedMessage[] = [];
  for (let m = await store.peek(); m !== undefined; m = await store.peek()) {
    out.push(m);
    await store.shift();
  }
  return out;
}

const lines = (file: string): string[] => readFileSync(file, 'utf8').split('\n').filter(Boolean);

describe('FileQueueStore - a durable offline queue in an append-only journal', () => {
  it('open - creates the journal with its header and starts empty', async () => {
    const file = fresh();
    const store = await FileQueueStore.open({ path: file });
    assert.equal(store.size(), 0);
    assert.equal(await store.peek(), undefined);
    await store.shift(); // nothing to shift: no record, no error
    assert.equal(readFileSync(file, 'utf8'), JOURNAL_HEADER);
    if (process.platform !== 'win32') assert.equal(statSync(file).mode & 0o777, 0o600, 'owner only: payloads carry id tokens');
    await store.close();
  });

  it('push, peek, update, shift - FIFO with attempt counts, one record each', async () => {
    const file = fresh();
    const store = await FileQueueStore.open({ path: file });
    for (let i = 0; i < 3; i++) await store.push(msg(i));
    assert.equal(store.size(), 3);
    assert.equal((await store.peek())?.key, 'k0');
    await store.update({ ...msg(0), attempts: 2 });
    await store.update({ ...msg(1), attempts: 5 }); // not the head: ignored
    assert.equal((await store.peek())?.attempts, 2);
    await store.shift();
    assert.deepEqual(await store.peek(), msg(1));
    assert.deepEqual(
      lines(file).map((l) => (JSON.parse(l) as { op?: string }).op),
      [undefined, 'push', 'push', 'push', 'update', 'shift'],
    );
    await store.close();
  });

  it('reopen - finds the same queue, in order, with its attempts', async () => {
    const file = fresh();
    const a = await FileQueueStore.open({ path: file });
    for (let i = 0; i < 5; i++) await a.push(msg(i, i === 0 ? 'StartTransaction' : 'MeterValues'));
    await a.shift();
    await a.update({ ...msg(1), attempts: 2 });
    await a.close();
    const b = await FileQueueStore.open({ path: file });
    assert.equal(b.size(), 4);
    assert.deepEqual(await drain(b), [{ ...msg(1), attempts: 2 }, msg(2), msg(3), msg(4)]);
    await b.close();
    const c = await FileQueueStore.open({ path: file });
    assert.equal(c.size(), 0);
    await c.close();
  });

  it('push - keeps a copy: changing the object afterwards changes nothing queued', async () => {
    const store = await FileQueueStore.open({ path: fresh() });
    const m = msg(1);
    await store.push(m);
    (m.payload as { n: number }).n = 99;
    assert.equal(((await store.peek())?.payload as { n: number }).n, 1);
    await store.close();
  });

  it('torn last record - ignored and cut off on open; the queue before it is intact and appends continue', async () => {
    const file = fresh();
    const a = await FileQueueStore.open({ path: file });
    await a.push(msg(0));
    await a.push(msg(1));
    await a.close();
    const whole = readFileSync(file);
    // A crash in the middle of writing the next record: part of a line, no newline.
    appendFileSync(file, '{"op":"push","message":{"key":"k2","act');
    const b = await FileQueueStore.open({ path: file });
    assert.equal(b.size(), 2);
    assert.deepEqual(readFileSync(file), whole, 'the torn bytes are cut off');
    await b.push(msg(3));
    await b.close();
    const c = await FileQueueStore.open({ path: file });
    assert.deepEqual(
      (await drain(c)).map((m) => m.key),
      ['k0', 'k1', 'k3'],
    );
    await c.close();
  });

  it('torn last record - a whole JSON record without its newline is torn too (its write never completed)', async () => {
    const file = fresh();
    writeFileSync(file, JOURNAL_HEADER + JSON.stringify({ op: 'push', message: msg(0) }));
    const store = await FileQueueStore.open({ path: file });
    assert.equal(store.size(), 0);
    await store.close();
  });

  it('torn header - a crash while the journal was created gives an empty queue', async () => {
    const file = fresh();
    writeFileSync(file, JOURNAL_HEADER.slice(0, 10));
    const store = await FileQueueStore.open({ path: file });
    assert.equal(store.size(), 0);
    await store.push(msg(0));
    await store.close();
    assert.equal(lines(file)[0] + '\n', JOURNAL_HEADER);
  });

  it('damaged journal - a bad record before good ones is refused with QueueJournalError naming file and line; the file is left as it is', async () => {
    const file = fresh();
    const text = JOURNAL_HEADER + JSON.stringify({ op: 'push', message: msg(0) }) + '\nnot json\n' + JSON.stringify({ op: 'push', message: msg(1) }) + '\n';
    writeFileSync(file, text);
    await assert.rejects(FileQueueStore.open({ path: file }), (error: unknown) => {
      assert.ok(error instanceof QueueJournalError);
      assert.equal(error.name, 'QueueJournalError');
      assert.equal(error.path, file);
      assert.equal(error.line, 3);
      assert.match(error.message, /line 3: unreadable record/);
      return true;
    });
    assert.equal(readFileSync(file, 'utf8'), text);
    // The failed open released the path: a second try fails the same way, not as "already open".
    await assert.rejects(FileQueueStore.open({ path: file }), QueueJournalError);
  });

  it('damaged journal - a shift of a message that is not the head is refused', async () => {
    const file = fresh();
    writeFileSync(file, JOURNAL_HEADER + JSON.stringify({ op: 'push', message: msg(0) }) + '\n' + JSON.stringify({ op: 'shift', key: 'k9' }) + '\n');
    await assert.rejects(FileQueueStore.open({ path: file }), /line 3: shift of "k9", which is not the head/);
  });

  it('foreign file - refused, not overwritten', async () => {
    const file = fresh();
    writeFileSync(file, 'PATH=/usr/bin\n');
    await assert.rejects(FileQueueStore.open({ path: file }), /line 1: not an ocpp-sdk offline queue journal/);
    assert.equal(readFileSync(file, 'utf8'), 'PATH=/usr/bin\n');
  });

  it('compaction - once compactAfterRecords records describe nothing queued, the journal is rewritten with the queue alone', async () => {
    const file = fresh();
    const store = await FileQueueStore.open({ path: file, compactAfterRecords: 5 });
    for (let i = 0; i < 10; i++) await store.push(msg(i));
    await store.shift();
    await store.shift();
    assert.equal(lines(file).length, 13, 'header, 10 pushes, 2 shifts: 4 surplus records, under the threshold');
    await store.shift(); // 13 records for 7 queued messages: 6 surplus
    assert.equal(lines(file).length, 8, 'rewritten: the header and the 7 queued messages');
    assert.equal(existsSync(`${file}.compact`), false);
    await store.update({ ...msg(3), attempts: 1 });
    await store.push(msg(10));
    await store.close();
    const again = await FileQueueStore.open({ path: file, compactAfterRecords: 5 });
    assert.deepEqual(
      (await drain(again)).map((m) => `${m.key}:${m.attempts}`),
      ['k3:1', 'k4:0', 'k5:0', 'k6:0', 'k7:0', 'k8:0', 'k9:0', 'k10:0'],
    );
    await again.close();
  });

  it('compaction - a side file left by a compaction that died before its rename is removed; the journal wins', async () => {
    const file = fresh();
    const a = await FileQueueStore.open({ path: file });
    await a.push(msg(0));
    await a.close();
    writeFileSync(`${file}.compact`, JOURNAL_HEADER);
    const b = await FileQueueStore.open({ path: file });
    assert.equal(b.size(), 1);
    assert.equal(existsSync(`${file}.compact`), false);
    await b.close();
  });

  it('compaction - on open, a journal past the threshold is rewritten', async () => {
    const file = fresh();
    const a = await FileQueueStore.open({ path: file, compactAfterRecords: 100 });
    for (let i = 0; i < 20; i++) await a.push(msg(i));
    for (let i = 0; i < 18; i++) await a.shift();
    await a.close();
    assert.equal(lines(file).length, 39);
    const b = await FileQueueStore.open({ path: file, compactAfterRecords: 10 });
    assert.equal(lines(file).length, 3);
    assert.deepEqual(
      (await drain(b)).map((m) => m.key),
      ['k18', 'k19'],
    );
    await b.close();
  });

  it('compaction - a failed rewrite (here the side file cannot be created) fails nothing: the journal stays whole and the rewrite is tried again later', async () => {
    const file = fresh();
    const store = await FileQueueStore.open({ path: file, compactAfterRecords: 3 });
    mkdirSync(`${file}.compact`);
    for (let i = 0; i < 6; i++) await store.push(msg(i));
    await store.shift();
    await store.shift(); // 8 records for 4 messages: due; the rewrite fails, the shift does not
    await store.shift();
    assert.equal(lines(file).length, 10, 'not rewritten: header, 6 pushes, 3 shifts');
    rmdirSync(`${file}.compact`);
    await store.shift(); // due, but the retry waits for 3 more records than the failed try saw
    assert.equal(lines(file).length, 11);
    await store.update({ ...msg(4), attempts: 1 }); // 11 records: tried again, and now it works
    assert.equal(lines(file).length, 3, 'header and the 2 queued messages');
    await store.close();
    const again = await FileQueueStore.open({ path: file });
    assert.deepEqual(
      (await drain(again)).map((m) => `${m.key}:${m.attempts}`),
      ['k4:1', 'k5:0'],
    );
    await again.close();
  });

  it('one store per file - the same file under another spelling of its path is refused too', async () => {
    const file = fresh();
    const a = await FileQueueStore.open({ path: file });
    await assert.rejects(FileQueueStore.open({ path: path.join(path.dirname(file), '.', path.basename(file)) }), /already open/);
    await a.close();
  });

  it('bound - a push beyond limit throws a RangeError and writes nothing; the oldest are kept', async () => {
    const file = fresh();
    const store = await FileQueueStore.open({ path: file, limit: 2 });
    await store.push(msg(0));
    await store.push(msg(1));
    await assert.rejects(store.push(msg(2)), (e: unknown) => e instanceof RangeError && /full \(2 messages\)/.test(e.message));
    assert.equal(lines(file).length, 3);
    await store.shift();
    await store.push(msg(3));
    assert.deepEqual(
      (await drain(store)).map((m) => m.key),
      ['k1', 'k3'],
    );
    await store.close();
  });

  it('options - each bad option is refused with a TypeError naming it', async () => {
    const cases: [object, RegExp][] = [
      [{ path: '' }, /path must be a non-empty string/],
      [{ path: fresh(), limit: 0 }, /limit must be a positive integer, got 0/],
      [{ path: fresh(), limit: 1.5 }, /limit must be a positive integer, got 1.5/],
      [{ path: fresh(), compactAfterRecords: -1 }, /compactAfterRecords must be a positive integer, got -1/],
      [{ path: fresh(), fsync: 'yes' }, /fsync must be a boolean, got string/],
    ];
    for (const [options, message] of cases) {
      await assert.rejects(FileQueueStore.open(options as never), (e: unknown) => e instanceof TypeError && message.test(e.message));
    }
    await assert.rejects(FileQueueStore.open({ path: path.join(dir, 'missing', 'q.jsonl') }), { code: 'ENOENT' });
  });

  it('one store per file - a second open of the same path in this process is refused until the first is closed', async () => {
    const file = fresh();
    const a = await FileQueueStore.open({ path: file });
    await assert.rejects(FileQueueStore.open({ path: file }), /already open in this process/);
    await a.close();
    await assert.rejects(a.push(msg(0)), /is closed/);
    const b = await FileQueueStore.open({ path: file });
    await b.close();
  });

  it('concurrent calls - applied in call order', async () => {
    const file = fresh();
    const store = await FileQueueStore.open({ path: file, fsync: false });
    await Promise.all([store.push(msg(0)), store.push(msg(1)), store.shift(), store.push(msg(2))]);
    await store.close();
    const again = await FileQueueStore.open({ path: file });
    assert.deepEqual(
      (await drain(again)).map((m) => m.key),
      ['k1', 'k2'],
    );
    await again.close();
  });
});

describe('replayJournal - the format, without a file', () => {
  it('reports whole bytes and torn bytes', () => {
    const text = JOURNAL_HEADER + JSON.stringify({ op: 'push', message: msg(0) }) + '\n';
    const r = replayJournal('x', Buffer.from(text + '{"op":"sh'));
    assert.equal(r.goodBytes, Buffer.byteLength(text));
    assert.equal(r.tornBytes, 9);
    assert.equal(r.records, 1);
    assert.deepEqual(r.messages, [msg(0)]);
  });

  it('an empty file is an empty queue', () => {
    assert.deepEqual(replayJournal('x', Buffer.alloc(0)), { messages: [], records: 0, goodBytes: 0, tornBytes: 0 });
  });
});
