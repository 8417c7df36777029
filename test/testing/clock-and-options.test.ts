/**
 * The kit under conditions a user's suite creates: fake timers installed by the test (node:test's
 * mock timers, and a replaced performance.now as sinon does), TLS, Basic auth, OCPP 2.1 opt-in, a
 * given port, garbage from the wire, and bad arguments, each of which is a TypeError naming it.
 */
import assert from 'node:assert/strict';
import { once } from 'node:events';
import { createServer } from 'node:net';
import { afterEach, describe, test } from 'node:test';
import type { ChargePoint, OcppVersion } from '../../src/index';
import { ExpectationError, TestCentralSystem } from '../../src/testing/index';
import { opensslPath, testPki } from '../support/certs';
import { chargePoint, rawPeer } from './support';

const open: Array<{ close(): Promise<void> }> = [];
afterEach(async () => {
  for (const x of open.splice(0).reverse()) await x.close().catch(() => undefined);
});

async function started<V extends OcppVersion>(o: Parameters<typeof TestCentralSystem.start<V>>[0]): Promise<TestCentralSystem<V>> {
  const csms = await TestCentralSystem.start<V>(o);
  open.push(csms);
  return csms;
}

function charger<V extends OcppVersion>(url: string, id: string, protocol: V, extra: Parameters<typeof chargePoint<V>>[3] = {}): ChargePoint<V> {
  const cp = chargePoint(url, id, protocol, extra);
  open.push(cp);
  return cp;
}

describe('fake timers in the test do not freeze the kit', () => {
  test(
    'under node:test mock timers (setTimeout, setInterval, Date): deadlines fire on time, CALLs still match, wall times are real',
    { timeout: 10_000 },
    async (t) => {
      const csms = await started({ protocols: ['ocpp2.0.1'] });
      const st = csms.station('FT1');
      const cp = charger(csms.url, 'FT1', 'ocpp2.0.1');
      await cp.connect();
      t.mock.timers.enable({ apis: ['setTimeout', 'setInterval', 'Date'], now: 0 });
      try {
        assert.equal(Date.now(), 0, 'the mock is on');
        const before = performance.now();
        await assert.rejects(st.expectCall('Authorize', undefined, { timeoutMs: 100 }), ExpectationError);
        const waited = performance.now() - before;
        assert.ok(waited >= 95 && waited < 2000, `the deadline took ${waited} ms`);
        const hb = st.expectCall('Heartbeat');
        void cp.call('Heartbeat', {}).catch(() => undefined);
        const received = await hb;
        assert.ok(received.wallTime.startsWith('20'), `wall time ${received.wallTime} came from the mocked Date`);
        await st.expectNoCall('Authorize', { forMs: 50 });
      } finally {
        t.mock.timers.reset();
      }
    },
  );

  test('with performance.now and Date.now replaced (as sinon and vitest do): arrival times stay monotonic and real', async () => {
    const csms = await started({ protocols: ['ocpp1.6'] });
    const st = csms.station('FT2');
    const cp = charger(csms.url, 'FT2', 'ocpp1.6');
    await cp.connect();
    const realPerf = performance.now.bind(performance);
    const realDate = Date.now;
    performance.now = () => 0;
    Date.now = () => 0;
    try {
      await cp.call('Heartbeat', {});
      await cp.call('Heartbeat', {});
      const a = await st.expectCall('Heartbeat');
      const b = await st.expectCall('Heartbeat', {}, { after: a, withinMs: 5000 });
      assert.ok(a.monotonicMs > 0 && b.monotonicMs >= a.monotonicMs);
      assert.ok(b.wallTime.startsWith('20'));
    } finally {
      performance.now = realPerf;
      Date.now = realDate;
    }
  });
});

describe('TestCentralSystem options', () => {
  test('basicAuth - right credentials are accepted and shown in the handshake; wrong ones refused 401 and noted in the transcript', async () => {
    const csms = await started({ protocols: ['ocpp1.6'], basicAuth: { BA1: 'correct-horse-battery' } });
    const st = csms.station('BA1');
    const wrong = charger(csms.url, 'BA1', 'ocpp1.6', { password: 'wrong-password-123' });
    await assert.rejects(wrong.connect(), /401/);
    assert.match(st.transcript.format(), /connection refused: 401/);
    const right = charger(csms.url, 'BA1', 'ocpp1.6', { password: 'correct-horse-battery' });
    await right.connect();
    assert.deepEqual(st.handshake?.basicAuth, { id: 'BA1', password: 'correct-horse-battery' });
    assert.equal(st.handshake?.headers['x-ocpp-sdk-testing-connection'], undefined, 'the kit header is not shown');
    assert.equal(st.handshake?.headers.authorization, '[redacted]');
  });

  test(
    'tls - serves wss; a charger trusting the CA connects and is expected as usual',
    { skip: opensslPath() === undefined ? 'no openssl' : false },
    async () => {
      const pki = testPki();
      const csms = await started({ protocols: ['ocpp2.0.1'], tls: { key: pki.server.key, cert: pki.server.cert } });
      assert.match(csms.url, /^wss:\/\/127\.0\.0\.1:\d+$/);
      const st = csms.station('TLS1');
      const cp = charger(csms.url, 'TLS1', 'ocpp2.0.1', { tls: { ca: pki.ca } });
      await cp.connect();
      void cp.call('Heartbeat', {});
      await st.expectCall('Heartbeat');
      st.sendRaw('[2,"r1","NoSuchAction",{}]');
      await st.expectCallError('NotImplemented', { messageId: 'r1' });
    },
  );

  test("protocols - 'ocpp2.1' is served only when listed", async () => {
    const plain = await started({});
    await assert.rejects(charger(plain.url, 'N21', 'ocpp2.1').connect(), { name: 'SubprotocolError' });
    const csms = await started({ protocols: ['ocpp2.1'] });
    const st = csms.station('V21');
    const cp = charger(csms.url, 'V21', 'ocpp2.1');
    await cp.connect();
    const answer = await cp.call('BootNotification', { reason: 'PowerUp', chargingStation: { vendorName: 'V', model: 'M' } });
    assert.equal(answer.status, 'Accepted');
    await st.expectCall('BootNotification', { reason: 'PowerUp' });
    assert.equal(st.protocol, 'ocpp2.1');
  });

  test('port - listens on the port given', async () => {
    const probe = createServer().listen(0, '127.0.0.1');
    await once(probe, 'listening');
    const { port } = probe.address() as { port: number };
    probe.close();
    await once(probe, 'close');
    const csms = await started({ port, path: '/ocpp' });
    assert.equal(csms.port, port);
    assert.equal(csms.url, `ws://127.0.0.1:${port}/ocpp`);
    await assert.rejects(TestCentralSystem.start({ port }), { code: 'EADDRINUSE' });
  });
});

describe('bad input', () => {
  test('from the wire - garbage frames land in the transcript as bad, and the handle keeps working', async () => {
    const csms = await started({ protocols: ['ocpp2.0.1'], timeoutMs: 1000 });
    const st = csms.station('JUNK');
    const peer = await rawPeer(`${csms.url}/JUNK`, 'ocpp2.0.1', () => undefined);
    open.push(peer);
    for (const junk of [
      '{',
      '[]',
      '[9,"x"]',
      '[3,"unknown-id",{}]',
      '[4,"nope","GenericError","",{}]',
      '"text"',
      '[2,"a".repeat(100),"Heartbeat",{}]',
      '\u0000',
    ])
      peer.send(junk);
    peer.send('[2,"ok1","Heartbeat",{}]');
    const hb = await st.expectCall('Heartbeat');
    assert.equal(hb.messageId, 'ok1');
    const kinds = st.transcript.entries.filter((e) => e.direction === 'in').map((e) => e.kind);
    assert.ok(kinds.filter((k) => k === 'bad').length >= 5, kinds.join(','));
    // A CALLERROR for an id never used is offered to expectCallError.
    await st.expectCallError('GenericError', { messageId: 'nope' });
  });

  test('from the programmer - TypeErrors naming the argument, thrown at once', async () => {
    await assert.rejects(TestCentralSystem.start({ port: -1 }), /port must be an integer from 0 to 65535, got -1/);
    await assert.rejects(
      TestCentralSystem.start({ protocols: ['ocpp3'] as never }),
      /protocols must list some of ocpp2\.1, ocpp2\.0\.1, ocpp1\.6, got \["ocpp3"\]/,
    );
    await assert.rejects(TestCentralSystem.start({ timeoutMs: 1.5 }), /timeoutMs must be an integer/);
    await assert.rejects(TestCentralSystem.start({ basicAuth: 5 as never }), /basicAuth must map identities/);
    const csms = await started({ protocols: ['ocpp1.6'] });
    assert.throws(() => csms.station(''), /station: identity must be a non-empty string/);
    const st = csms.station('ARGS');
    assert.throws(() => st.expectCall('' as never), /expectCall: action must be a non-empty string/);
    assert.throws(() => st.expectCall('Heartbeat', undefined, { timeoutMs: -1 }), /expectCall: options.timeoutMs must be an integer/);
    assert.throws(
      () => st.expectCall('Heartbeat', undefined, { notBeforeMs: 500, withinMs: 100 }),
      /withinMs \(100\) is less than options.notBeforeMs \(500\)/,
    );
    assert.throws(() => st.expectCall('Heartbeat', undefined, { after: {} as never }), /options.after must be a message an expectation returned/);
    assert.throws(() => st.expectNextCall('Heartbeat', undefined, { ignore: 'Heartbeat' as never }), /options.ignore must be an array/);
    assert.throws(() => st.expectAll('Heartbeat' as never), /expectAll: give an array of \[action, match\?, options\?\] tuples/);
    assert.throws(() => st.expectAll([['Heartbeat', undefined, { timeoutMs: 'x' as never }]]), /expectAll: item 0: options.timeoutMs/);
    assert.throws(() => st.expectOneOf([]), /expectOneOf: give at least one alternative/);
    assert.throws(() => st.expectNoCall('Heartbeat', {} as never), /expectNoCall: options.forMs must be a number/);
    assert.throws(() => st.expectCallError(''), /expectCallError: code must be a non-empty string/);
    assert.throws(() => st.stub('Heartbeat', undefined as never), /stub: give Heartbeat a reply/);
    assert.throws(() => st.stub('Heartbeat', {}, { times: 0 }), /stub: times must be a positive integer, got 0/);
    assert.throws(() => st.sendRaw(5 as never), /sendRaw: frame must be a string or a Uint8Array, got 5/);
    assert.throws(
      () => st.sendRaw('[]'),
      (e: unknown) => e instanceof ExpectationError && /the station is not connected/.test(e.message),
    );
    await assert.rejects(st.call('Reset', { type: 'Soft' }), /the station is not connected/);
    await assert.rejects(st.refuseConnections({ forMs: -5 }), /refuseConnections: forMs must be a non-negative integer, got -5/);
    await assert.rejects(st.refuseConnections({ forMs: 5, status: 200 }), /status must be an HTTP error status 400-599, got 200/);
  });
});
