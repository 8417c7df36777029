/**
 * Reliability (issue 16, deliverable 6): a charger process crashes with transaction messages in
 * its FileQueueStore, and after the restart the central system has every transaction message
 * exactly once, in order.
 *
 * Per version: the charger (test/reliability/durable-queue-child.ts, its own process) delivers
 * the first messages of a transaction online; the central system (a real CentralSystem here, on
 * 127.0.0.1 port 0) goes away; the charger queues the rest while offline and is killed with
 * SIGKILL once the store holds them; a new central system starts, a new charger process opens the
 * same journal and connects. The central system must then receive exactly what was queued,
 * after what it had already received, nothing twice and nothing missing: the messages delivered
 * before the crash are not sent again (their shifts survived), those queued are (their pushes
 * survived).
 */
import assert from 'node:assert/strict';
import { fork, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { CentralSystem, type OcppVersion } from '../../src/index';
import { until, withTimeout } from './support';

const dir = mkdtempSync(path.join(tmpdir(), 'ocpp-crash-'));
after(() => rmSync(dir, { recursive: true, force: true }));

type Call = [action: string, payload: Record<string, unknown>];
interface Received {
  action: string;
  payload: Record<string, unknown>;
}

/** A charger process, driven over IPC. */
class Charger {
  private readonly pending = new Map<number, { resolve(v: unknown): void; reject(e: Error): void }>();
  private nextId = 1;
  readonly exited: Promise<NodeJS.Signals | number | null>;
  readonly ready: Promise<unknown>;

  private constructor(private readonly child: ChildProcess) {
    this.exited = new Promise((resolve) => child.once('exit', (code, signal) => resolve(signal ?? code)));
    this.ready = new Promise((resolve, reject) => this.pending.set(0, { resolve, reject }));
    child.on('message', (m: { id: number; ok: boolean; value?: unknown; error?: string }) => {
      const waiter = this.pending.get(m.id);
      this.pending.delete(m.id);
      if (m.ok) waiter?.resolve(m.value);
      else waiter?.reject(new Error(`charger: ${m.error}`));
    });
    void this.exited.then((how) => {
      for (const w of this.pending.values()) w.reject(new Error(`charger exited (${String(how)})`));
      this.pending.clear();
    });
  }

  static start(args: { url: string; identity: string; protocol: OcppVersion; journal: string }): Charger {
    const child = fork(path.join(__dirname, 'durable-queue-child.ts'), [JSON.stringify(args)], {
      execArgv: ['--import', 'tsx'],
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    return new Charger(child);
  }

  request(cmd: string, calls?: Call[]): Promise<unknown> {
    const id = this.nextId++;
    const answer = new Promise((resolve, reject) => this.pending.set(id, { resolve, reject }));
    this.child.send({ id, cmd, calls });
    return withTimeout(answer, 15_000, `charger ${cmd}`);
  }

  /** The crash: no exit handler runs, nothing is flushed. */
  async kill(): Promise<void> {
    this.child.kill('SIGKILL');
    assert.equal(await this.exited, 'SIGKILL');
  }
}

/**
 * A central system that records every transaction message it receives, in order. `hold`: a
 * TransactionEvent it answers only when `release` is called (a message in flight at the crash).
 */
async function serve(
  protocol: OcppVersion,
  received: Received[],
  transactionIds: { next: number },
  hold?: { seqNo: number; release?: () => void },
): Promise<CentralSystem<OcppVersion>> {
  const cs = new CentralSystem({ protocols: [protocol], pingIntervalMs: 0 });
  const record = (action: string) => (payload: unknown) => void received.push({ action, payload: payload as Record<string, unknown> });
  if (protocol === 'ocpp1.6') {
    const v16 = cs as CentralSystem<'ocpp1.6'>;
    v16.handle('ocpp1.6', 'StartTransaction', (req) => {
      record('StartTransaction')(req);
      return { transactionId: transactionIds.next++, idTagInfo: { status: 'Accepted' } };
    });
    v16.handle('ocpp1.6', 'MeterValues', (req) => (record('MeterValues')(req), {}));
    v16.handle('ocpp1.6', 'StopTransaction', (req) => (record('StopTransaction')(req), {}));
  } else {
    const v2 = cs as CentralSystem<'ocpp2.0.1' | 'ocpp2.1'>;
    v2.handle(protocol as 'ocpp2.0.1', 'TransactionEvent', (req) => {
      record('TransactionEvent')(req);
      if (hold === undefined || req.seqNo !== hold.seqNo) return {};
      return new Promise<Record<string, never>>((resolve) => (hold.release = () => resolve({})));
    });
  }
  await cs.listen({ port: 0, host: '127.0.0.1' });
  return cs;
}

const at = (s: number): string => new Date(Date.UTC(2026, 0, 1, 12, 0, s)).toISOString();

/** What the charger sends: the part delivered online, then the part queued offline. */
function script(protocol: OcppVersion, transactionId: number): { online: Call[]; offline: (startedId: number) => Call[] } {
  if (protocol === 'ocpp1.6') {
    const meter = (txId: number, s: number, wh: number): Call => [
      'MeterValues',
      { connectorId: 1, transactionId: txId, meterValue: [{ timestamp: at(s), sampledValue: [{ value: String(wh) }] }] },
    ];
    return {
      online: [['StartTransaction', { connectorId: 1, idTag: 'TAG-A', meterStart: 0, timestamp: at(0) }], meter(transactionId, 1, 100)],
      offline: (txId) => [
        meter(txId, 2, 200),
        meter(txId, 3, 300),
        meter(txId, 4, 400),
        ['StopTransaction', { transactionId: txId, meterStop: 450, timestamp: at(5), reason: 'Local' }],
        // A transaction that starts while offline: its id comes from the central system after the restart.
        ['StartTransaction', { connectorId: 2, idTag: 'TAG-B', meterStart: 0, timestamp: at(6) }],
      ],
    };
  }
  const event = (seqNo: number, eventType: string, triggerReason: string, extra: Record<string, unknown> = {}): Call => [
    'TransactionEvent',
    {
      eventType,
      timestamp: at(seqNo),
      triggerReason,
      seqNo,
      transactionInfo: { transactionId: 'TX-1', ...(eventType === 'Ended' ? { stoppedReason: 'Local' } : {}) },
      ...extra,
    },
  ];
  const meter = (seqNo: number): Call =>
    event(seqNo, 'Updated', 'MeterValuePeriodic', { meterValue: [{ timestamp: at(seqNo), sampledValue: [{ value: seqNo * 100 }] }] });
  return {
    online: [event(0, 'Started', 'Authorized', { evse: { id: 1, connectorId: 1 }, idToken: { idToken: 'TAG-A', type: 'ISO14443' } }), meter(1)],
    offline: () => [meter(2), meter(3), meter(4), event(5, 'Ended', 'StopAuthorized')],
  };
}

for (const protocol of ['ocpp1.6', 'ocpp2.0.1', 'ocpp2.1'] as const) {
  describe(`durable offline queue - ${protocol} charger killed with SIGKILL while offline`, () => {
    it('after the restart the central system has every transaction message exactly once, in order', { timeout: 60_000 }, async () => {
      const journal = path.join(dir, `${protocol}.jsonl`);
      const identity = `CRASH-${protocol.replace(/\W/g, '')}`;
      const received: Received[] = [];
      const ids = { next: 1 };
      const { online, offline } = script(protocol, 1);

      // Run 1: online, then the central system goes away and the rest is queued.
      let cs = await serve(protocol, received, ids);
      const first = Charger.start({ url: `ws://127.0.0.1:${cs.port}`, identity, protocol, journal });
      try {
        assert.equal(await withTimeout(first.ready, 15_000, 'charger start'), 0, 'a new journal starts empty');
        await first.request('connect');
        const answers = (await first.request('deliver', online)) as Record<string, unknown>[];
        const txId = protocol === 'ocpp1.6' ? (answers[0]['transactionId'] as number) : 0;
        await cs.close();
        await first.request('waitOffline');
        const queued = offline(txId);
        assert.equal(await first.request('queue', queued), queued.length);
        await first.kill();
        assert.equal(received.length, online.length, 'nothing queued reached the central system before the crash');

        // Run 2: a new central system, a new charger process on the same journal.
        cs = await serve(protocol, received, ids);
        const second = Charger.start({ url: `ws://127.0.0.1:${cs.port}`, identity, protocol, journal });
        try {
          assert.equal(await withTimeout(second.ready, 15_000, 'charger restart'), queued.length, 'the journal holds every queued message');
          await second.request('connect');
          assert.equal(await second.request('drain'), 0);
          // Time for a stray repeat to show up before the count is taken.
          await new Promise((resolve) => setTimeout(resolve, 300));
          await second.kill();

          const expected = [...online, ...queued];
          assert.equal(received.length, expected.length, `received ${received.length} messages, sent ${expected.length}`);
          received.forEach((r, i) => {
            const [action, payload] = expected[i];
            const { offline: flag, ...rest } = r.payload;
            assert.equal(r.action, action, `message ${i}`);
            assert.deepEqual(rest, payload, `message ${i}: ${action}`);
            // 2.x E04: what was stored while offline says so; what went out online does not.
            if (protocol !== 'ocpp1.6') assert.equal(flag, i >= online.length ? true : undefined, `message ${i}: offline flag`);
          });
          if (protocol === 'ocpp1.6') assert.equal(ids.next, 3, 'two StartTransactions answered: TAG-A online, TAG-B after the restart');
          else
            assert.deepEqual(
              received.map((r) => r.payload['seqNo']),
              [0, 1, 2, 3, 4, 5],
            );
        } finally {
          await second.kill().catch(() => undefined);
        }
      } finally {
        await first.kill().catch(() => undefined);
        await cs.close();
      }
    });
  });
}

describe('durable offline queue - ocpp2.0.1 charger killed while a message is in flight', () => {
  it(
    'the one message the central system received but had not answered is sent again after the restart, and nothing else repeats',
    { timeout: 60_000 },
    async () => {
      const protocol = 'ocpp2.0.1';
      const journal = path.join(dir, 'in-flight.jsonl');
      const identity = 'CRASH-IN-FLIGHT';
      const received: Received[] = [];
      const ids = { next: 1 };
      const { online, offline } = script(protocol, 0);
      const all = [...online, ...offline(0)]; // seqNo 0-5
      const hold: { seqNo: number; release?: () => void } = { seqNo: 2 };

      let cs = await serve(protocol, received, ids, hold);
      const first = Charger.start({ url: `ws://127.0.0.1:${cs.port}`, identity, protocol, journal });
      try {
        await withTimeout(first.ready, 15_000, 'charger start');
        await first.request('connect');
        // Every push is on disk before the first send: the outbox starts sending once the first
        // push resolves, and the store applies operations in call order.
        await first.request('fire', all);
        await withTimeout(
          until(() => received.length === 3),
          15_000,
          'seqNo 2 received',
        );
        // seqNo 0 and 1 answered and shifted; 2 received, its answer held: the crash comes now.
        assert.equal(await first.request('size'), 4);
        await first.kill();
        hold.release?.();
        await cs.close();

        cs = await serve(protocol, received, ids);
        const second = Charger.start({ url: `ws://127.0.0.1:${cs.port}`, identity, protocol, journal });
        try {
          assert.equal(await withTimeout(second.ready, 15_000, 'charger restart'), 4);
          await second.request('connect');
          assert.equal(await second.request('drain'), 0);
          await new Promise((resolve) => setTimeout(resolve, 300));
        } finally {
          await second.kill();
        }
        assert.deepEqual(
          received.map((r) => r.payload['seqNo']),
          [0, 1, 2, 2, 3, 4, 5],
          'seqNo 2 twice (in flight at the crash), everything else once, in order',
        );
      } finally {
        await first.kill().catch(() => undefined);
        hold.release?.();
        await cs.close();
      }
    },
  );
});
