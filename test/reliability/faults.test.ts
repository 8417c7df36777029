/**
 * Reliability: faults of handlers and of the network, through a real CentralSystem and
 * ChargePoint on loopback (issue 7). Extends test/integration/session.test.ts (a throwing
 * handler gives InternalError) and test/integration/reconnect.test.ts (messages queued while
 * the server is down): here handlers throw anything at all, return data that cannot be sent, or
 * hang; and connections drop while a call is in flight, losing its request or its answer.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  CentralSystem,
  ChargePoint,
  ConnectionClosedError,
  createRpcError,
  RpcError,
  TimeoutError,
  type AnyStation,
  type OcppVersion,
  type Station,
} from '../../src/index';
import { processGuards } from './fuzz-support';
import { tcpProxy, until, withTimeout } from './support';

const now = (): string => new Date().toISOString();
const FAST = { waitMinimumMs: 30, randomRangeMs: 10, repeatTimes: 1 };

async function pair<V extends OcppVersion>(protocol: V, csOptions: ConstructorParameters<typeof CentralSystem>[0] = {}) {
  const cs = new CentralSystem({ protocols: [protocol], pingIntervalMs: 0, ...csOptions });
  const address = await cs.listen({ port: 0, host: '127.0.0.1' });
  const connected = new Promise<AnyStation>((resolve) => cs.once('connection', resolve));
  const cp = new ChargePoint({ url: `ws://127.0.0.1:${address.port}`, identity: `CP-${protocol}`, protocol, pingIntervalMs: 0, reconnect: false });
  await cp.connect();
  const station = await connected;
  return {
    cs,
    cp,
    station,
    close: async (): Promise<void> => {
      await cp.close();
      await cs.close();
    },
  };
}

async function rejection(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    (value) => assert.fail(`expected a rejection, got ${JSON.stringify(value)}`),
    (error: unknown) => error,
  );
}

/** Timers and sockets of this process, as Node counts them. */
function resources(): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const r of process.getActiveResourcesInfo()) counts[r] = (counts[r] ?? 0) + 1;
  return counts;
}

describe('handler faults', () => {
  test('a handler that throws anything gives the caller one CALLERROR: RpcErrors keep their code, the rest are InternalError without details; the connection stays open', async (t) => {
    const guards = processGuards();
    const { cs, cp, station, close } = await pair('ocpp1.6', { callTimeoutMs: 2000 });
    t.after(async () => {
      await close();
      guards.remove();
    });
    const hostile: Record<string, () => unknown> = {
      error: () => new Error('secret database password in message'),
      string: () => 'a thrown string',
      undefined: () => undefined,
      null: () => null,
      frozen: () => Object.freeze({ message: 'frozen' }),
      trap: () =>
        new Proxy(
          {},
          {
            get() {
              throw new Error('get trap');
            },
            getPrototypeOf() {
              throw new Error('getPrototypeOf trap');
            },
          },
        ),
      rpc: () => createRpcError('PropertyConstraintViolation', { description: 'vendor unknown', details: { vendorId: 'x' } }),
    };
    cs.handle('ocpp1.6', 'DataTransfer', (req) => {
      throw hostile[req.vendorId]();
    });
    const rejectedAsync = new Set(['error', 'string']);
    cs.handle('ocpp1.6', 'Authorize', async (req) => {
      await Promise.resolve();
      if (rejectedAsync.has(req.idTag)) throw hostile[req.idTag]();
      // eslint-disable-next-line @typescript-eslint/prefer-promise-reject-errors -- rejects with anything at all (undefined, a Proxy that throws), to prove the SDK copes
      return Promise.reject(hostile[req.idTag]());
    });
    const localErrors: unknown[] = [];
    station.on('handlerError', (e) => localErrors.push(e.error));
    for (const vendorId of Object.keys(hostile)) {
      const error = await rejection(cp.call('DataTransfer', { vendorId }, { timeoutMs: 2000 }));
      assert.ok(error instanceof RpcError, `${vendorId}: ${String(error)}`);
      if (vendorId === 'rpc') {
        assert.equal(error.code, 'PropertyConstraintViolation');
        assert.equal(error.description, 'vendor unknown');
        assert.deepEqual(error.details, { vendorId: 'x' });
      } else {
        assert.equal(error.code, 'InternalError', vendorId);
        assert.equal(error.description, 'An internal error occurred');
        assert.deepEqual(error.details, {});
      }
    }
    for (const idTag of ['error', 'string', 'undefined', 'trap']) {
      const error = await rejection(cp.call('Authorize', { idTag }, { timeoutMs: 2000 }));
      assert.ok(error instanceof RpcError && error.code === 'InternalError', `async ${idTag}`);
    }
    assert.equal(localErrors.length, Object.keys(hostile).length - 1 + 4, 'every non-RpcError is reported locally, with the real error');
    cs.handle('ocpp1.6', 'Heartbeat', () => ({ currentTime: now() }));
    assert.ok((await cp.call('Heartbeat', {})).currentTime);
    assert.deepEqual(guards.failures, [], 'nothing escaped the SDK');
  });

  test('a handler whose response cannot be sent (invalid, missing, circular, BigInt, throwing getter) gives the caller InternalError; the cause is reported locally', async (t) => {
    const guards = processGuards();
    const { cs, cp, station, close } = await pair('ocpp2.0.1');
    t.after(async () => {
      await close();
      guards.remove();
    });
    const circular: Record<string, unknown> = { status: 'Accepted' };
    circular.data = circular;
    const responses: Record<string, () => unknown> = {
      invalid: () => ({ status: 'Maybe' }),
      missing: () => undefined,
      extra: () => ({ status: 'Accepted', secret: 'internal' }),
      circular: () => circular,
      bigint: () => ({ status: 'Accepted', data: 10n }),
      getter: () => ({
        status: 'Accepted',
        get data(): unknown {
          throw new Error('getter');
        },
      }),
      array: () => [1, 2, 3],
      string: () => 'Accepted',
      proxy: () =>
        new Proxy(
          {},
          {
            get() {
              throw new Error('get trap');
            },
            ownKeys() {
              throw new Error('ownKeys trap');
            },
            getPrototypeOf() {
              throw new Error('getPrototypeOf trap');
            },
          },
        ),
    };
    cs.handle('ocpp2.0.1', 'DataTransfer', (req) => responses[req.vendorId]() as never);
    const reported: string[] = [];
    station.on('validationFailed', (e) => e.direction === 'outbound' && reported.push(`validation ${e.code}`));
    station.on('handlerError', () => reported.push('handlerError'));
    for (const vendorId of Object.keys(responses)) {
      const error = await rejection(cp.call('DataTransfer', { vendorId }, { timeoutMs: 2000 }));
      assert.ok(error instanceof RpcError && error.code === 'InternalError', `${vendorId}: ${String(error)}`);
      assert.equal(error.description, 'An internal error occurred');
    }
    assert.deepEqual(guards.failures, [], 'nothing escaped the SDK');
    // Every failure is one handlerError (the server logs and re-emits those); an answer that broke
    // the schema is also a validationFailed, just before it.
    assert.equal(
      reported.filter((r) => r === 'handlerError').length,
      Object.keys(responses).length,
      `each failure reported once locally: ${reported.join(', ')}`,
    );
    assert.equal(reported.filter((r) => r.startsWith('validation')).length, 5, `the invalid answers are validation failures too: ${reported.join(', ')}`);
    cs.handle('ocpp2.0.1', 'Heartbeat', () => ({ currentTime: now() }));
    assert.ok((await cp.call('Heartbeat', {})).currentTime);
  });

  test('a handler that hangs: the caller gets TimeoutError; a late answer is dropped as late (not a bad message); after close the handler is aborted and nothing leaks', async (t) => {
    const baseline = resources();
    const cs = new CentralSystem({ protocols: ['ocpp1.6'], pingIntervalMs: 0, maxBadMessages: 0 });
    const address = await cs.listen({ port: 0, host: '127.0.0.1' });
    const cp = new ChargePoint({
      url: `ws://127.0.0.1:${address.port}`,
      identity: 'HANG',
      protocol: 'ocpp1.6',
      pingIntervalMs: 0,
      reconnect: false,
      maxBadMessages: 0,
    });
    t.after(async () => {
      await cp.close();
      await cs.close();
    });
    const release: Array<() => void> = [];
    const signals: AbortSignal[] = [];
    cs.handle('ocpp1.6', 'Heartbeat', (_req, ctx) => {
      signals.push(ctx.signal);
      return new Promise((resolve) => release.push(() => resolve({ currentTime: now() })));
    });
    await cp.connect();
    const dropped: string[] = [];
    cp.on('responseDropped', (e) => dropped.push(e.reason));
    const error = await rejection(cp.call('Heartbeat', {}, { timeoutMs: 100 }));
    assert.ok(error instanceof TimeoutError);
    assert.equal(error.action, 'Heartbeat');
    release.shift()!();
    await until(() => dropped.length === 1);
    assert.deepEqual(dropped, ['late']);
    assert.equal(cp.state, 'open', 'a late answer does not count as a bad message, even with maxBadMessages 0');

    const hanging = cp.call('Heartbeat', {}).catch((e: unknown) => e);
    await until(() => signals.length === 2);
    await cp.close();
    assert.ok((await hanging) instanceof ConnectionClosedError);
    await until(() => signals[1].aborted);
    release.shift()!(); // answering after the close sends nothing and throws nothing
    await cs.close();
    await new Promise((r) => setTimeout(r, 20));
    const left = resources();
    for (const kind of ['Timeout', 'TCPSocketWrap', 'TCPServerWrap']) {
      assert.ok((left[kind] ?? 0) <= (baseline[kind] ?? 0), `${kind}: ${left[kind] ?? 0} now, ${baseline[kind] ?? 0} before`);
    }
  });
});

describe('network drop mid-call', () => {
  test('calls in flight in both directions settle exactly once with ConnectionClosedError when the network drops', async (t) => {
    const cs = new CentralSystem({ protocols: ['ocpp2.0.1'], pingIntervalMs: 0 });
    const address = await cs.listen({ port: 0, host: '127.0.0.1' });
    const proxy = await tcpProxy(address.port);
    const cp = new ChargePoint({ url: `ws://127.0.0.1:${proxy.port}`, identity: 'DROP', protocol: 'ocpp2.0.1', pingIntervalMs: 0, reconnect: false });
    t.after(async () => {
      await cp.close();
      await proxy.close();
      await cs.close();
    });
    cs.handle('ocpp2.0.1', 'Heartbeat', () => new Promise(() => {}));
    cp.handle('Reset', () => new Promise(() => {}));
    const connected = new Promise<AnyStation>((resolve) => cs.once('connection', resolve));
    await cp.connect();
    const station = (await connected) as Station<'ocpp2.0.1'>;
    let settled = 0;
    const count = (p: Promise<unknown>): Promise<unknown> =>
      p.then(
        (v) => {
          settled++;
          return v;
        },
        (e: unknown) => {
          settled++;
          return e;
        },
      );
    const fromCp = count(cp.call('Heartbeat', {}));
    const fromCs = count(station.call('Reset', { type: 'Immediate' }));
    await new Promise((r) => setTimeout(r, 50));
    proxy.drop();
    const [a, b] = await withTimeout(Promise.all([fromCp, fromCs]), 3000, 'calls did not settle after the drop');
    assert.ok(a instanceof ConnectionClosedError && a.code === 1006, String(a));
    assert.ok(b instanceof ConnectionClosedError && b.code === 1006, String(b));
    await new Promise((r) => setTimeout(r, 50));
    assert.equal(settled, 2);
  });

  test('1.6: transaction messages whose request is lost in a drop are sent again after reconnect, each delivered once and in order', async (t) => {
    const log: string[] = [];
    const cs = new CentralSystem({ protocols: ['ocpp1.6'], pingIntervalMs: 0 });
    cs.handle('ocpp1.6', 'StartTransaction', (req) => {
      log.push(`Start ${req.idTag}`);
      return { transactionId: 7, idTagInfo: { status: 'Accepted' } };
    });
    cs.handle('ocpp1.6', 'MeterValues', (req) => {
      log.push(`Meter ${req.meterValue[0].sampledValue[0].value}`);
      return {};
    });
    cs.handle('ocpp1.6', 'StopTransaction', (req) => {
      log.push(`Stop ${req.meterStop}`);
      return {};
    });
    const address = await cs.listen({ port: 0, host: '127.0.0.1' });
    const proxy = await tcpProxy(address.port);
    const cp = new ChargePoint({ url: `ws://127.0.0.1:${proxy.port}`, identity: 'LOSTREQ', protocol: 'ocpp1.6', pingIntervalMs: 0, reconnect: FAST });
    t.after(async () => {
      await cp.close();
      await proxy.close();
      await cs.close();
    });
    await cp.connect();
    proxy.mode = 'lose-requests';
    let settled = 0;
    const track = <T>(p: Promise<T>): Promise<T> => p.finally(() => settled++);
    const start = track(cp.call('StartTransaction', { connectorId: 1, idTag: 'TAG', meterStart: 0, timestamp: now() }));
    const calls = [
      start,
      track(cp.call('MeterValues', { connectorId: 1, transactionId: 7, meterValue: [{ timestamp: now(), sampledValue: [{ value: '100' }] }] })),
      track(cp.call('StopTransaction', { transactionId: 7, meterStop: 200, timestamp: now() })),
    ];
    await new Promise((r) => setTimeout(r, 50));
    assert.deepEqual(log, [], 'the request was lost');
    proxy.mode = 'pass';
    proxy.drop();
    await withTimeout(Promise.all(calls), 5000, 'not delivered after reconnect');
    assert.equal((await start).transactionId, 7);
    assert.deepEqual(log, ['Start TAG', 'Meter 100', 'Stop 200']);
    assert.equal(settled, 3);
  });

  test('2.0.1: an answer lost in a drop makes delivery at-least-once: the same TransactionEvent (same seqNo) arrives again, then the rest in order', async (t) => {
    const log: string[] = [];
    const cs = new CentralSystem({ protocols: ['ocpp2.0.1'], pingIntervalMs: 0 });
    cs.handle('ocpp2.0.1', 'TransactionEvent', (req) => {
      log.push(`${req.eventType} seq=${req.seqNo}`);
      return {};
    });
    const address = await cs.listen({ port: 0, host: '127.0.0.1' });
    const proxy = await tcpProxy(address.port);
    const cp = new ChargePoint({ url: `ws://127.0.0.1:${proxy.port}`, identity: 'LOSTANS', protocol: 'ocpp2.0.1', pingIntervalMs: 0, reconnect: FAST });
    t.after(async () => {
      await cp.close();
      await proxy.close();
      await cs.close();
    });
    await cp.connect();
    proxy.mode = 'lose-answers';
    const tx = { transactionId: 'T-9' };
    const started = cp.call('TransactionEvent', { eventType: 'Started', timestamp: now(), triggerReason: 'Authorized', seqNo: 0, transactionInfo: tx });
    const ended = cp.call('TransactionEvent', { eventType: 'Ended', timestamp: now(), triggerReason: 'StopAuthorized', seqNo: 1, transactionInfo: tx });
    await until(() => log.length === 1);
    proxy.mode = 'pass';
    proxy.drop();
    await withTimeout(Promise.all([started, ended]), 5000, 'not delivered after reconnect');
    assert.deepEqual(log, ['Started seq=0', 'Started seq=0', 'Ended seq=1'], 'the duplicate carries the same seqNo, so the CSMS can recognise it');
  });
});
