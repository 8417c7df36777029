/**
 * Integration: reconnect with the OCPP back-off, and the offline queue of transaction messages
 * across a server restart (checklist items 43, 45, 46).
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { backoffDelay, CentralSystem, ChargePoint, DEFAULT_BACKOFF, NotConnectedError, type OcppVersion } from '../../src/index';

const now = (): string => new Date().toISOString();
const FAST_RECONNECT = { waitMinimumMs: 40, randomRangeMs: 20, repeatTimes: 2 };

function serve(port: number, protocol: OcppVersion, log: string[], failFirst = new Set<string>()): Promise<CentralSystem<OcppVersion>> {
  const cs = new CentralSystem<OcppVersion>({ protocols: [protocol], path: '/ocpp' });
  const failed = new Set<string>();
  // Answers every transaction message and records it; `failFirst` actions fail once with a CALLERROR.
  const record = (name: string, key: string) => {
    if (failFirst.has(name) && !failed.has(name)) {
      failed.add(name);
      throw new Error('transient failure');
    }
    log.push(`${name} ${key}`);
  };
  if (protocol === 'ocpp1.6') {
    let tx = 1;
    cs.handle('ocpp1.6', 'StartTransaction', (req) => {
      record('StartTransaction', req.idTag);
      return { transactionId: tx++, idTagInfo: { status: 'Accepted' } };
    });
    cs.handle('ocpp1.6', 'MeterValues', (req) => {
      record('MeterValues', String(req.meterValue[0].sampledValue[0].value));
      return {};
    });
    cs.handle('ocpp1.6', 'StopTransaction', (req) => {
      record('StopTransaction', String(req.meterStop));
      return {};
    });
    cs.handle('ocpp1.6', 'Heartbeat', () => ({ currentTime: now() }));
  } else if (protocol === 'ocpp2.0.1') {
    cs.handle('ocpp2.0.1', 'TransactionEvent', (req) => {
      record('TransactionEvent', `${req.eventType} seq=${req.seqNo}${req.offline ? ' offline' : ''}`);
      return {};
    });
    cs.handle('ocpp2.0.1', 'Heartbeat', () => ({ currentTime: now() }));
  } else {
    cs.handle('ocpp2.1', 'TransactionEvent', (req) => {
      record('TransactionEvent', `${req.eventType} seq=${req.seqNo}${req.offline ? ' offline' : ''}`);
      return {};
    });
    cs.handle('ocpp2.1', 'Heartbeat', () => ({ currentTime: now() }));
  }
  return cs.listen({ port, host: '127.0.0.1' }).then(() => cs);
}

function waitFor(predicate: () => boolean, timeoutMs = 5000): Promise<void> {
  const until = Date.now() + timeoutMs;
  return new Promise((resolve, reject) => {
    const tick = () => {
      if (predicate()) resolve();
      else if (Date.now() > until) reject(new Error('condition not met in time'));
      else setTimeout(tick, 10);
    };
    tick();
  });
}

describe('item 43: the reconnect back-off', () => {
  test('the first wait is minimum + random part, then the base doubles up to repeatTimes, then stays', () => {
    const options = { waitMinimumMs: 3000, randomRangeMs: 2000, repeatTimes: 3 };
    const half = () => 0.5;
    assert.deepEqual(
      [0, 1, 2, 3, 4, 5].map((attempt) => backoffDelay(options, attempt, half)),
      [4000, 7000, 13000, 25000, 25000, 25000],
    );
    // The random part is fresh each time and never doubled.
    assert.equal(
      backoffDelay(options, 2, () => 0),
      12000,
    );
    assert.equal(
      backoffDelay(options, 2, () => 0.999999),
      14000,
    );
    assert.equal(DEFAULT_BACKOFF.waitMinimumMs, 3000);
  });

  for (const protocol of ['ocpp1.6', 'ocpp2.0.1', 'ocpp2.1'] as const) {
    test(`a charge point that loses its server schedules reconnects with growing waits and gets back (${protocol})`, async (t) => {
      const log: string[] = [];
      let cs = await serve(0, protocol, log);
      const port = cs.port!;
      const cp = new ChargePoint({ url: `ws://127.0.0.1:${port}/ocpp`, identity: `RC1-${protocol}`, protocol, reconnect: FAST_RECONNECT, random: () => 0.5 });
      t.after(() => cp.close());
      await cp.connect();
      const waits: number[] = [];
      cp.on('reconnecting', (e) => waits.push(e.delayMs));
      await cs.close();
      await waitFor(() => waits.length >= 3);
      assert.deepEqual(waits.slice(0, 3), [50, 90, 170]);
      const reopened = new Promise((resolve) => cp.once('open', resolve));
      cs = await serve(port, protocol, log);
      t.after(() => cs.close());
      await reopened;
      assert.equal(cp.state, 'open');
      assert.equal(typeof (await cp.call('Heartbeat', {})).currentTime, 'string');
    });
  }
});

describe('item 3: message ids stay unique across reconnects of the same identity', () => {
  for (const protocol of ['ocpp2.0.1', 'ocpp2.1'] as const) {
    test(`ids of calls before and after a server restart never repeat (random UUIDs, not a counter) (${protocol})`, async (t) => {
      const ids: string[] = [];
      const start = async (port: number) => {
        const cs = new CentralSystem({ protocols: [protocol], path: '/ocpp' });
        cs.handle(protocol, 'Heartbeat', (_req, ctx) => {
          ids.push(ctx.messageId);
          return { currentTime: now() };
        });
        await cs.listen({ port, host: '127.0.0.1' });
        return cs;
      };
      let cs = await start(0);
      const port = cs.port!;
      const cp = new ChargePoint({ url: `ws://127.0.0.1:${port}/ocpp`, identity: `IDS-${protocol}`, protocol, reconnect: FAST_RECONNECT });
      t.after(() => cp.close());
      await cp.connect();
      for (let i = 0; i < 5; i++) await cp.call('Heartbeat', {});
      const lost = new Promise((resolve) => cp.once('disconnect', resolve));
      await cs.close();
      await lost;
      const reopened = new Promise((resolve) => cp.once('open', resolve));
      cs = await start(port);
      t.after(() => cs.close());
      await reopened;
      for (let i = 0; i < 5; i++) await cp.call('Heartbeat', {});
      assert.equal(ids.length, 10);
      assert.equal(new Set(ids).size, 10);
      for (const id of ids) assert.ok(id.length <= 36, id);
    });
  }
});

describe('items 45-46: transaction messages survive a server restart', () => {
  test('1.6: Start, MeterValues and Stop made while offline arrive once and in order; other calls fail fast', async (t) => {
    const log: string[] = [];
    let cs = await serve(0, 'ocpp1.6', log);
    const port = cs.port!;
    const cp = new ChargePoint({ url: `ws://127.0.0.1:${port}/ocpp`, identity: 'Q16', protocol: 'ocpp1.6', reconnect: FAST_RECONNECT });
    t.after(() => cp.close());
    await cp.connect();
    const start = await cp.call('StartTransaction', { connectorId: 1, idTag: 'TAG', meterStart: 0, timestamp: now() });
    const lost = new Promise((resolve) => cp.once('disconnect', resolve));
    await cs.close();
    await lost;

    await assert.rejects(cp.call('Heartbeat', {}), NotConnectedError);
    const queued = [
      cp.call('MeterValues', { connectorId: 1, transactionId: start.transactionId, meterValue: [{ timestamp: now(), sampledValue: [{ value: '100' }] }] }),
      cp.call('MeterValues', { connectorId: 1, transactionId: start.transactionId, meterValue: [{ timestamp: now(), sampledValue: [{ value: '200' }] }] }),
      cp.call('StopTransaction', { transactionId: start.transactionId, meterStop: 300, timestamp: now() }),
    ];
    await new Promise((resolve) => setTimeout(resolve, 100));
    assert.deepEqual(log, ['StartTransaction TAG']);

    cs = await serve(port, 'ocpp1.6', log);
    t.after(() => cs.close());
    await Promise.all(queued);
    assert.deepEqual(log, ['StartTransaction TAG', 'MeterValues 100', 'MeterValues 200', 'StopTransaction 300']);
  });

  test('1.6: a transaction message answered with a CALLERROR is retried after the retry interval, in order', async (t) => {
    const log: string[] = [];
    const cs = await serve(0, 'ocpp1.6', log, new Set(['StopTransaction']));
    t.after(() => cs.close());
    const cp = new ChargePoint({
      url: `ws://127.0.0.1:${cs.port}/ocpp`,
      identity: 'RETRY',
      protocol: 'ocpp1.6',
      offline: { retry: { attempts: 3, retryIntervalMs: 30 } },
    });
    t.after(() => cp.close());
    await cp.connect();
    const stop = cp.call('StopTransaction', { transactionId: 1, meterStop: 10, timestamp: now() });
    const after = cp.call('MeterValues', { connectorId: 1, transactionId: 2, meterValue: [{ timestamp: now(), sampledValue: [{ value: '5' }] }] });
    await Promise.all([stop, after]);
    assert.deepEqual(log, ['StopTransaction 10', 'MeterValues 5']);
  });

  test('1.6: a message that keeps failing is given up after its attempts, reported, and the queue moves on', async (t) => {
    const cs = new CentralSystem({ protocols: ['ocpp1.6'], path: '/ocpp' });
    t.after(() => cs.close());
    let stops = 0;
    cs.handle('ocpp1.6', 'StopTransaction', () => {
      stops++;
      throw new Error('always');
    });
    cs.handle('ocpp1.6', 'StartTransaction', () => ({ transactionId: 9, idTagInfo: { status: 'Accepted' } }));
    await cs.listen({ port: 0, host: '127.0.0.1' });
    const cp = new ChargePoint({
      url: `ws://127.0.0.1:${cs.port}/ocpp`,
      identity: 'GIVEUP',
      protocol: 'ocpp1.6',
      offline: { retry: { attempts: 2, retryIntervalMs: 10 } },
    });
    t.after(() => cp.close());
    const dropped: string[] = [];
    cp.on('queueDropped', (e) => dropped.push(`${e.action} after ${e.attempts}`));
    await cp.connect();
    await assert.rejects(cp.call('StopTransaction', { transactionId: 1, meterStop: 1, timestamp: now() }), { code: 'InternalError' });
    assert.equal(stops, 2);
    assert.deepEqual(dropped, ['StopTransaction after 2']);
    assert.equal((await cp.call('StartTransaction', { connectorId: 1, idTag: 'X', meterStart: 0, timestamp: now() })).transactionId, 9);
  });

  for (const protocol of ['ocpp2.0.1', 'ocpp2.1'] as const) {
    test(`${protocol}: TransactionEvents queued while offline are sent with offline=true, in order, once`, async (t) => {
      const log: string[] = [];
      let cs = await serve(0, protocol, log);
      const port = cs.port!;
      const cp = new ChargePoint({ url: `ws://127.0.0.1:${port}/ocpp`, identity: `Q-${protocol}`, protocol, reconnect: FAST_RECONNECT });
      t.after(() => cp.close());
      await cp.connect();
      const tx = { transactionId: 'T1' };
      await cp.call('TransactionEvent', { eventType: 'Started', timestamp: now(), triggerReason: 'Authorized', seqNo: 0, transactionInfo: tx });
      const lost = new Promise((resolve) => cp.once('disconnect', resolve));
      await cs.close();
      await lost;
      const queued = [
        cp.call('TransactionEvent', { eventType: 'Updated', timestamp: now(), triggerReason: 'MeterValuePeriodic', seqNo: 1, transactionInfo: tx }),
        cp.call('TransactionEvent', { eventType: 'Ended', timestamp: now(), triggerReason: 'StopAuthorized', seqNo: 2, transactionInfo: tx }),
      ];
      cs = await serve(port, protocol, log);
      t.after(() => cs.close());
      await Promise.all(queued);
      assert.deepEqual(log, ['TransactionEvent Started seq=0', 'TransactionEvent Updated seq=1 offline', 'TransactionEvent Ended seq=2 offline']);
    });
  }

  for (const protocol of ['ocpp1.6', 'ocpp2.0.1', 'ocpp2.1'] as const) {
    const action = protocol === 'ocpp1.6' ? 'StopTransaction' : 'TransactionEvent';
    test(`items 45, 46: a ${action} that times out, then gets a CALLERROR, is resent after 1 x then 2 x the retry interval and delivered (${protocol})`, async (t) => {
      const cs = new CentralSystem({ protocols: [protocol], path: '/ocpp', pingIntervalMs: 0 });
      t.after(() => cs.close());
      const arrivals: number[] = [];
      // 1st send: no answer (the ChargePoint's call times out); 2nd: CALLERROR; 3rd: answered.
      const handler = (_req: unknown, ctx: { signal: AbortSignal }): Promise<object> | object => {
        arrivals.push(Date.now());
        if (arrivals.length === 1) return new Promise((resolve) => ctx.signal.addEventListener('abort', () => resolve({}), { once: true }));
        if (arrivals.length === 2) throw new Error('transient failure');
        return {};
      };
      if (protocol === 'ocpp1.6') cs.handle('ocpp1.6', 'StopTransaction', handler);
      else if (protocol === 'ocpp2.0.1') cs.handle('ocpp2.0.1', 'TransactionEvent', handler);
      else cs.handle('ocpp2.1', 'TransactionEvent', handler);
      await cs.listen({ port: 0, host: '127.0.0.1' });
      const cp = new ChargePoint({
        url: `ws://127.0.0.1:${cs.port}/ocpp`,
        identity: 'RETRY-GROWS',
        protocol,
        pingIntervalMs: 0,
        callTimeoutMs: 150,
        offline: { retry: { attempts: 3, retryIntervalMs: 150 } },
      });
      t.after(() => cp.close());
      const dropped: unknown[] = [];
      cp.on('queueDropped', (e) => dropped.push(e));
      await cp.connect();
      const delivered =
        protocol === 'ocpp1.6'
          ? (cp as ChargePoint<'ocpp1.6'>).call('StopTransaction', { transactionId: 1, meterStop: 10, timestamp: now() })
          : (cp as ChargePoint<'ocpp2.0.1' | 'ocpp2.1'>).call('TransactionEvent', {
              eventType: 'Ended',
              timestamp: now(),
              triggerReason: 'StopAuthorized',
              seqNo: 3,
              transactionInfo: { transactionId: 'T9' },
            });
      await delivered;
      assert.equal(arrivals.length, 3, 'sent three times');
      assert.deepEqual(dropped, []);
      const first = arrivals[1] - arrivals[0];
      const second = arrivals[2] - arrivals[1];
      // Timer slack only ever adds; the bounds below keep well clear of what a busy machine adds.
      assert.ok(first >= 290, `the timeout (150 ms) counted and was followed by 1 x 150 ms: ${first} ms`);
      assert.ok(second >= 290, `the CALLERROR was followed by 2 x 150 ms (the timeout counted as a send): ${second} ms`);
      assert.ok(second < 2000 && first < 2000, `waits stay bounded: ${first}, ${second} ms`);
    });
  }
});
