/**
 * The station handle of TestCentralSystem over loopback (port 0), the same suite for OCPP 1.6
 * and 2.0.1: each expectation passes when the charger behaves and fails, with a message naming
 * what was awaited and what came, when it does not. The charger is the SDK's own ChargePoint,
 * driven by hand.
 */
import assert from 'node:assert/strict';
import { afterEach, describe, test } from 'node:test';
import { RpcError, TimeoutError, type ChargePoint } from '../../src/index';
import { callError, ExpectationError, TestCentralSystem, type StationHandle } from '../../src/testing/index';
import { chargePoint, delay, expect } from './support';

type V = 'ocpp1.6' | 'ocpp2.0.1';

const BOOT = {
  'ocpp1.6': { chargePointVendor: 'Acme', chargePointModel: 'Fast-1' },
  'ocpp2.0.1': { reason: 'PowerUp', chargingStation: { vendorName: 'Acme', model: 'Fast-1' } },
} as const;
const AVAILABLE = {
  'ocpp1.6': { connectorId: 1, errorCode: 'NoError', status: 'Available' },
  'ocpp2.0.1': { timestamp: new Date().toISOString(), connectorStatus: 'Available', evseId: 1, connectorId: 1 },
} as const;
const STATUS_OF = { 'ocpp1.6': 'status', 'ocpp2.0.1': 'connectorStatus' } as const;

/** Loose calls on a charger of either version (the payloads above are per version). */
const send = (cp: ChargePoint<V>, action: string, payload: unknown, o?: { validate?: boolean; timeoutMs?: number }): Promise<unknown> =>
  (cp as unknown as { call(a: string, p: unknown, o?: unknown): Promise<unknown> }).call(action, payload, o);

for (const protocol of ['ocpp1.6', 'ocpp2.0.1'] as const) {
  describe(`StationHandle over ${protocol}`, () => {
    let csms: TestCentralSystem<V> | undefined;
    const chargers: ChargePoint<V>[] = [];

    async function setup(id = 'CP1'): Promise<{ st: StationHandle<V>; cp: ChargePoint<V> }> {
      csms = await TestCentralSystem.start({ protocols: [protocol], timeoutMs: 2000 });
      const st = csms.station(id);
      const cp = chargePoint<V>(csms.url, id, protocol);
      chargers.push(cp);
      cp.handle('Reset' as never, (() => ({ status: 'Accepted' })) as never);
      await cp.connect();
      return { st, cp };
    }

    afterEach(async () => {
      for (const cp of chargers.splice(0)) await cp.close();
      await csms?.close().catch(() => undefined);
      csms = undefined;
    });

    test('expectCall - an early arrival counts; deep-partial, predicate and asymmetric matchers all apply', async () => {
      const { st, cp } = await setup();
      await send(cp, 'BootNotification', BOOT[protocol]);
      const vendorPath =
        protocol === 'ocpp1.6'
          ? { chargePointVendor: expect.any(String) }
          : { chargingStation: { vendorName: expect.any(String), model: (m: string) => m.startsWith('Fast') } };
      const boot = await st.expectCall('BootNotification', vendorPath);
      assert.equal(boot.action, 'BootNotification');
      assert.equal(boot.protocol, protocol);
      assert.deepEqual(boot.request, BOOT[protocol]);
      assert.ok(boot.seq > 0 && boot.monotonicMs > 0 && /^\d{4}-/.test(boot.wallTime));
      // Taken: a second expectation for the same CALL waits for another one.
      await assert.rejects(st.expectCall('BootNotification', undefined, { timeoutMs: 100 }), ExpectationError);
    });

    test('expectCall - fails after timeoutMs naming the awaited CALL, the field that differed, and the transcript tail', async () => {
      const { st, cp } = await setup();
      await send(cp, 'StatusNotification', AVAILABLE[protocol]);
      const started = Date.now();
      const error = await st.expectCall('StatusNotification', { [STATUS_OF[protocol]]: 'Charging' }, { timeoutMs: 150 }).then(
        () => assert.fail('resolved'),
        (e: unknown) => e,
      );
      assert.ok(Date.now() - started >= 140, 'failed before its timeout');
      assert.ok(error instanceof ExpectationError);
      assert.ok(error instanceof assert.AssertionError, 'an ExpectationError is an AssertionError');
      assert.match(error.message, /CP1: expected StatusNotification matching \{"(status|connectorStatus)":"Charging"\}/);
      assert.match(error.message, /StatusNotification #\d+ did not match: at \$\.(status|connectorStatus) expected "Charging", got "Available"/);
      assert.match(error.message, /transcript \(last lines\):\n.*<- CALL StatusNotification/s);
    });

    test('stub - answers the next `times` CALLs, merged over the default; then the default again', async () => {
      const { st, cp } = await setup();
      st.stub('BootNotification', { status: 'Pending', interval: 7 }, { times: 1 });
      const first = (await send(cp, 'BootNotification', BOOT[protocol])) as { status: string; interval: number; currentTime: string };
      assert.equal(first.status, 'Pending');
      assert.equal(first.interval, 7);
      assert.ok(Math.abs(Date.parse(first.currentTime) - Date.now()) < 5000, 'currentTime from the clock');
      const second = (await send(cp, 'BootNotification', BOOT[protocol])) as { status: string; interval: number };
      assert.equal(second.status, 'Accepted');
      // A function of the request, and a CALLERROR.
      st.stub('Heartbeat', () => ({ currentTime: '2020-01-01T00:00:00.000Z' }), { times: 1 });
      assert.deepEqual(await send(cp, 'Heartbeat', {}), { currentTime: '2020-01-01T00:00:00.000Z' });
      st.stub('Heartbeat', callError('InternalError', 'on purpose'), { times: 1 });
      await assert.rejects(send(cp, 'Heartbeat', {}), (e: unknown) => e instanceof RpcError && e.code === 'InternalError' && e.description === 'on purpose');
    });

    test('expectCall respond - wins over stubs when armed first; fails naming the CALL when it came before and was answered', async () => {
      const { st, cp } = await setup();
      st.stub('Heartbeat', { currentTime: '2020-01-01T00:00:00.000Z' });
      const hb = st.expectCall('Heartbeat', {}, { respond: { currentTime: '2021-01-01T00:00:00.000Z' } });
      assert.deepEqual(await send(cp, 'Heartbeat', {}), { currentTime: '2021-01-01T00:00:00.000Z' });
      await hb;
      await send(cp, 'Heartbeat', {});
      await assert.rejects(
        st.expectCall('Heartbeat', {}, { respond: { currentTime: '2022-01-01T00:00:00.000Z' } }),
        /Heartbeat #\d+ came before the expectation was made and was answered already/,
      );
    });

    test('two expectations of one action - the one made first takes the first CALL, the other the next; each respond goes to its own', async () => {
      const { st, cp } = await setup();
      const first = st.expectCall('Heartbeat', {}, { respond: { currentTime: '2001-01-01T00:00:00.000Z' } });
      const second = st.expectCall('Heartbeat', {}, { respond: { currentTime: '2002-02-02T00:00:00.000Z' } });
      assert.deepEqual(await send(cp, 'Heartbeat', {}), { currentTime: '2001-01-01T00:00:00.000Z' });
      assert.deepEqual(await send(cp, 'Heartbeat', {}), { currentTime: '2002-02-02T00:00:00.000Z' });
      const [a, b] = await Promise.all([first, second]);
      assert.ok(a.seq < b.seq);
      assert.deepEqual(st.untaken, []);
    });

    test('expectNextCall - strict: passes for the CALL right after the last one taken, fails naming another', async () => {
      const { st, cp } = await setup();
      await send(cp, 'BootNotification', BOOT[protocol]);
      await st.expectCall('BootNotification');
      const next = st.expectNextCall('StatusNotification', undefined, { ignore: ['Heartbeat'] });
      await send(cp, 'Heartbeat', {});
      await send(cp, 'StatusNotification', AVAILABLE[protocol]);
      await next;
      await send(cp, 'Heartbeat', {});
      await assert.rejects(
        st.expectNextCall('StatusNotification', undefined, { timeoutMs: 500 }),
        /expected next CALL to be StatusNotification\n {2}but the next CALL was Heartbeat #\d+/,
      );
    });

    test('expectAll - any order by default (both orders pass); in order fails when reversed; fails naming what is missing', async () => {
      const { st, cp } = await setup();
      const all = st.expectAll([['StatusNotification'], ['Heartbeat']] as never);
      await send(cp, 'Heartbeat', {});
      await send(cp, 'StatusNotification', AVAILABLE[protocol]);
      const [status, hb] = await all;
      assert.equal(status.action, 'StatusNotification');
      assert.equal(hb.action, 'Heartbeat');
      assert.ok(hb.seq < status.seq);

      const ordered = st.expectAll([['StatusNotification'], ['Heartbeat']] as never, { anyOrder: false, timeoutMs: 300 });
      await send(cp, 'Heartbeat', {});
      await send(cp, 'StatusNotification', AVAILABLE[protocol]);
      await assert.rejects(ordered, /missing Heartbeat/);

      const missing = st.expectAll([['Heartbeat'], ['StatusNotification', { [STATUS_OF[protocol]]: 'Faulted' }]] as never, { timeoutMs: 300 });
      await send(cp, 'Heartbeat', {});
      await assert.rejects(missing, /got Heartbeat #\d+; missing StatusNotification matching/);
    });

    test('expectAll - overlapping matchers are assigned so that all can be met', async () => {
      const { st, cp } = await setup();
      await send(cp, 'StatusNotification', AVAILABLE[protocol]);
      const all = st.expectAll([['StatusNotification'], ['StatusNotification', { [STATUS_OF[protocol]]: 'Available' }]] as never);
      await send(cp, 'StatusNotification', { ...AVAILABLE[protocol], connectorId: 1 });
      const [a, b] = await all;
      assert.notEqual(a.seq, b.seq);
    });

    test('expectOneOf - resolves with the alternative that came; fails naming every alternative', async () => {
      const { st, cp } = await setup();
      const one = st.expectOneOf([['StatusNotification', { [STATUS_OF[protocol]]: 'Faulted' }], ['Heartbeat']] as never);
      await send(cp, 'Heartbeat', {});
      assert.equal((await one).alternative, 1);
      await send(cp, 'StatusNotification', AVAILABLE[protocol]);
      await assert.rejects(
        st.expectOneOf([['StatusNotification', { [STATUS_OF[protocol]]: 'Faulted' }], ['Authorize']] as never, { timeoutMs: 200 }),
        /expected one of: StatusNotification .* OR Authorize\n {2}but StatusNotification #\d+ did not match.* \/ nothing|no Authorize/s,
      );
    });

    test('expectNoCall - resolves after forMs of silence (except what is allowed); fails as soon as a forbidden CALL arrives', async () => {
      const { st, cp } = await setup();
      const quiet = st.expectNoCall('*', { forMs: 200, except: ['Heartbeat'] });
      await send(cp, 'Heartbeat', {});
      await quiet;
      const none = st.expectNoCall('StatusNotification', { forMs: 5000 });
      const started = Date.now();
      await send(cp, 'StatusNotification', AVAILABLE[protocol]);
      await assert.rejects(none, /expected no StatusNotification for 5000 ms\n {2}but StatusNotification #\d+ came \d+ ms after/);
      assert.ok(Date.now() - started < 2000, 'did not fail at once');
    });

    test('notBeforeMs / withinMs - measured from `after`, with the tolerance; too early and too late fail', async () => {
      const { st, cp } = await setup();
      await send(cp, 'Heartbeat', {});
      const first = await st.expectCall('Heartbeat');
      await delay(250);
      await send(cp, 'Heartbeat', {});
      await st.expectCall('Heartbeat', {}, { after: first, notBeforeMs: 200, withinMs: 2000 });
      const second = st.transcript.entries.length;
      void second;
      const anchor = await (async () => {
        await send(cp, 'Heartbeat', {});
        return st.expectCall('Heartbeat');
      })();
      await send(cp, 'Heartbeat', {});
      await assert.rejects(
        st.expectCall('Heartbeat', {}, { after: anchor, notBeforeMs: 1000 }),
        /came \d+ ms after Heartbeat #\d+: too early \(notBeforeMs 1000, tolerance 50 ms\)/,
      );
      const late = st.expectCall('Heartbeat', {}, { after: anchor, withinMs: 100, timeoutMs: 5000 });
      const started = Date.now();
      await assert.rejects(late, /but none came within 100 ms \(withinMs, tolerance 50 ms\) of Heartbeat #\d+; /);
      assert.ok(Date.now() - started < 1000, 'withinMs did not shorten the wait');
    });

    test("respond 'hold' waits for reply(); 'no-reply' leaves the charger's call to time out", async () => {
      const { st, cp } = await setup();
      const held = st.expectCall('Heartbeat', {}, { respond: 'hold' });
      const answer = send(cp, 'Heartbeat', {});
      const hb = await held;
      await delay(50);
      hb.reply({ currentTime: '2023-01-01T00:00:00.000Z' });
      assert.deepEqual(await answer, { currentTime: '2023-01-01T00:00:00.000Z' });
      assert.throws(() => hb.reply({}), /was not held/);
      st.stub('Heartbeat', 'no-reply', { times: 1 });
      await assert.rejects(send(cp, 'Heartbeat', {}, { timeoutMs: 200 }), TimeoutError);
    });

    test('call - answers typed; validate: false sends an invalid request and rejects with the canonical code', async () => {
      const { st } = await setup();
      assert.deepEqual(await st.call('Reset' as never, (protocol === 'ocpp1.6' ? { type: 'Soft' } : { type: 'Immediate' }) as never), { status: 'Accepted' });
      await assert.rejects(st.call('Reset' as never, {} as never), { name: 'ValidationError' });
      await assert.rejects(st.call('Reset' as never, {} as never, { validate: false }), { code: 'OccurrenceConstraintViolation' });
      const unvalidated = st.transcript.entries.filter((e) => e.direction === 'out' && e.action === 'Reset').at(-1);
      assert.equal(unvalidated?.validation, 'skipped');
    });

    test('a CALL that breaks the schema fails the expectation naming the problem; the transcript marks it failed', async () => {
      const { st, cp } = await setup();
      await assert.rejects(send(cp, 'StatusNotification', { connectorId: 1 }, { validate: false }), RpcError);
      await assert.rejects(st.expectCall('StatusNotification'), /StatusNotification #\d+ broke the schema \((OccurrenceConstraintViolation|FormatViolation)/);
      const entry = st.transcript.entries.find((e) => e.kind === 'CALL' && e.action === 'StatusNotification');
      assert.equal(entry?.validation, 'failed');
      assert.ok(entry?.validationError?.detail);
    });

    test('sendRaw + expectCallError - the answer to an unknown action; a wrong code for the id fails at once', async () => {
      const { st } = await setup();
      st.sendRaw('[2,"u1","NoSuchAction",{}]');
      const e = await st.expectCallError('NotImplemented', { messageId: 'u1' });
      assert.equal(e.messageId, 'u1');
      st.sendRaw('[2,"u2","NoSuchAction",{}]');
      await assert.rejects(st.expectCallError('FormatViolation', { messageId: 'u2', timeoutMs: 5000 }), /but the answer was CALLERROR NotImplemented/);
      const raw = st.transcript.entries.find((x) => x.kind === 'raw');
      assert.equal(raw?.validation, 'skipped');
      assert.equal(raw?.messageId, 'u1');
      // Invalid UTF-8 is sent as it is: the charger's WebSocket closes the connection (1007).
      const closed = new Promise<void>((resolve) => st.station!.once('close', () => resolve()));
      st.sendRaw(new Uint8Array([0x5b, 0xff, 0x5d]));
      await closed;
      assert.equal(st.connected, false);
    });

    test('disconnect and waitForReconnect - resolves when the charger comes back, fails when it does not', async () => {
      const { st, cp } = await setup();
      await st.disconnect({ code: 1001 });
      assert.equal(st.connected, false);
      await assert.rejects(st.waitForReconnect({ timeoutMs: 100 }), /expected the station to reconnect\n {2}but it did not reconnect/);
      const again = chargePoint<V>(csms!.url, 'CP1', protocol);
      chargers.push(again);
      const back = st.waitForReconnect({ timeoutMs: 2000 });
      await again.connect();
      await back;
      assert.equal(st.connected, true);
      await st.waitForReconnect(); // already back: at once
      void cp;
      await st.disconnect({ abrupt: true });
      assert.equal(st.connected, false);
      assert.match(st.transcript.format(), /disconnected: 1006/);
    });

    test('a handle is armable before the station connects, and keeps its expectations across reconnects and replaced connections', async () => {
      csms = await TestCentralSystem.start({ protocols: [protocol], timeoutMs: 3000 });
      const st = csms.station('EARLY');
      const boot = st.expectCall('BootNotification');
      const hb = st.expectCall('Heartbeat');
      const first = chargePoint<V>(csms.url, 'EARLY', protocol);
      chargers.push(first);
      await first.connect();
      await send(first, 'BootNotification', BOOT[protocol]);
      await boot;
      // A second connection of the same identity replaces the first (the CentralSystem's default).
      const second = chargePoint<V>(csms.url, 'EARLY', protocol);
      chargers.push(second);
      await second.connect();
      await send(second, 'Heartbeat', {});
      await hb;
      assert.equal(st.connected, true);
      assert.match(st.transcript.format(), /connected \(ocpp[\d.]+\), connection 2/);
      await delay(50); // the replaced connection's close must not mark the live one gone
      assert.equal(st.connected, true);
    });

    test('a held CALL whose connection closes ends quietly: no crash, no unhandled rejection, reply() then refuses', async () => {
      const { st, cp } = await setup();
      const unhandled: unknown[] = [];
      const onUnhandled = (e: unknown): void => void unhandled.push(e);
      process.on('unhandledRejection', onUnhandled);
      try {
        const held = st.expectCall('Heartbeat', {}, { respond: 'hold' });
        void send(cp, 'Heartbeat', {}).catch(() => undefined);
        const hb = await held;
        await st.disconnect();
        await delay(20);
        assert.throws(() => hb.reply({}), TypeError);
        assert.deepEqual(unhandled, []);
      } finally {
        process.off('unhandledRejection', onUnhandled);
      }
    });

    test('refuseConnections - closes the connection and refuses reconnects for forMs, then accepts again', async () => {
      const { st } = await setup();
      await st.refuseConnections({ forMs: 300 });
      assert.equal(st.connected, false);
      const refused = chargePoint<V>(csms!.url, 'CP1', protocol);
      chargers.push(refused);
      await assert.rejects(refused.connect(), (e: unknown) => (e as { name?: string }).name === 'HandshakeError' && /503/.test(String((e as Error).message)));
      await delay(350);
      const later = chargePoint<V>(csms!.url, 'CP1', protocol);
      chargers.push(later);
      await later.connect();
      assert.equal(st.connected, true);
      assert.match(st.transcript.format(), /connection refused: 503/);
    });

    test('transcript - every frame with seq, monotonic and wall time, direction, raw text, validation; printable and JSON', async () => {
      const { st, cp } = await setup();
      await send(cp, 'BootNotification', BOOT[protocol]);
      const text = st.transcript.format();
      assert.match(text, /^#1 \+\d+\.\dms \d{4}-\d\d-\d\dT[\d:.]+Z -- connected/m);
      assert.match(text, /<- CALL BootNotification \[2,/);
      assert.match(text, /-> CALLRESULT BootNotification \[3,/);
      const json = JSON.parse(JSON.stringify(st.transcript)) as { entries: Array<Record<string, unknown>> };
      const call = json.entries.find((e) => e.kind === 'CALL')!;
      assert.deepEqual(Object.keys(call).sort(), ['action', 'direction', 'kind', 'messageId', 'monotonicMs', 'seq', 'text', 'validation', 'wallTime']);
      assert.equal(call.direction, 'in');
      assert.equal(call.validation, 'passed');
      assert.equal((JSON.parse(call.text as string) as unknown[])[2], 'BootNotification');
      const seqs = json.entries.map((e) => e.seq as number);
      assert.deepEqual(
        seqs,
        seqs.map((_, i) => i + 1),
      );
    });

    test('close - rejects naming an expectation that never happened; an expectation nobody awaited does not crash the process', async () => {
      const { st } = await setup();
      const unhandled: unknown[] = [];
      const onUnhandled = (e: unknown): void => void unhandled.push(e);
      process.on('unhandledRejection', onUnhandled);
      try {
        void st.expectCall('Authorize');
        void st.expectNoCall('*', { forMs: 100_000 });
        const closing = csms!.close();
        await assert.rejects(closing, /CP1: expected every expectation to be met before close\n {2}but 2 never happened: Authorize; no CALL for 100000 ms/);
        csms = undefined;
        await delay(20);
        assert.deepEqual(unhandled, []);
      } finally {
        process.off('unhandledRejection', onUnhandled);
      }
    });
  });
}
