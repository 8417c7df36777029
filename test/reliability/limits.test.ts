/**
 * Reliability: the limits a connection puts on a misbehaving peer (issue 7, checklist item 58).
 *
 * - `maxInboundCalls`: CALLs of the peer in the hands of handlers at once.
 * - `maxBadMessages` per `badMessageWindowMs`: invalid frames, answers to unknown ids, unknown
 *   actions, duplicate ids, CALLs refused by validation.
 *
 * Both close with 1008 after answering what was accepted. First over the core with a memory
 * transport (exact, fast), then through a real CentralSystem and ChargePoint over loopback.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { RpcEndpoint } from '../../src/core/endpoint';
import { ConnectionClosedError } from '../../src/core/errors';
import type { LimitExceededEvent } from '../../src/core/events';
import type { OcppVersion } from '../../src/ocpp/version';
import { DEFAULT_BAD_MESSAGE_WINDOW_MS, DEFAULT_MAX_BAD_MESSAGES, DEFAULT_MAX_INBOUND_CALLS } from '../../src/core/options';
import { OCPP16_RULES, OCPP201_RULES, OCPP21_RULES } from '../../src/ocpp/version-rules';
import { createPayloadValidator } from '../../src/ocpp/validation';
import { CentralSystem, ChargePoint } from '../../src/index';
import { flush, guardUnhandledRejections, setup } from '../support/harness';
import { closeAll, nextClose, openRaw, rawServer, startServer, until, withTimeout } from './support';

const VERSIONS = [OCPP16_RULES, OCPP201_RULES, OCPP21_RULES] as const;
const HEARTBEAT = (id: string) => `[2,"${id}","Heartbeat",{}]`;

function core(rules: (typeof VERSIONS)[number], options: Partial<ConstructorParameters<typeof RpcEndpoint>[0]> = {}) {
  const validator = createPayloadValidator(rules.protocol as OcppVersion);
  const { endpoint, peer } = setup(rules, { validator, ...options });
  const exceeded: LimitExceededEvent[] = [];
  endpoint.on('limitExceeded', (e) => exceeded.push(e));
  return { endpoint, peer, exceeded };
}

/** A handler whose answers wait until `release()`; counts how many are waiting. */
function gatedHandler() {
  const waiting: Array<() => void> = [];
  return {
    handler: () => new Promise<{ currentTime: string }>((resolve) => waiting.push(() => resolve({ currentTime: new Date(0).toISOString() }))),
    get waiting() {
      return waiting.length;
    },
    release() {
      for (const go of waiting.splice(0)) go();
    },
  };
}

describe('defaults', () => {
  test('maxInboundCalls 16, maxBadMessages 100, badMessageWindowMs 60000, on the resolved options', () => {
    assert.equal(DEFAULT_MAX_INBOUND_CALLS, 16);
    assert.equal(DEFAULT_MAX_BAD_MESSAGES, 100);
    assert.equal(DEFAULT_BAD_MESSAGE_WINDOW_MS, 60_000);
    const { endpoint } = core(OCPP16_RULES);
    assert.equal(endpoint.options.maxInboundCalls, 16);
    assert.equal(endpoint.options.maxBadMessages, 100);
    assert.equal(endpoint.options.badMessageWindowMs, 60_000);
    endpoint.close();
  });

  test('bad values are refused at construction with a TypeError naming the option (endpoint, CentralSystem, ChargePoint)', () => {
    const bad: Array<[string, unknown, RegExp]> = [
      ['maxInboundCalls', 0, /maxInboundCalls must be a positive integer or Infinity, got 0/],
      ['maxInboundCalls', 1.5, /maxInboundCalls/],
      ['maxBadMessages', -1, /maxBadMessages must be a non-negative integer or Infinity, got -1/],
      ['maxBadMessages', 'many', /maxBadMessages/],
      ['badMessageWindowMs', 0, /badMessageWindowMs must be a positive integer up to 2147483647, got 0/],
      ['callConcurrency', 0, /callConcurrency must be a positive integer/],
      ['maxQueuedCalls', -2, /maxQueuedCalls/],
    ];
    for (const [name, value, message] of bad) {
      assert.throws(() => core(OCPP16_RULES, { [name]: value }), message, `endpoint ${name}`);
      assert.throws(() => new CentralSystem({ [name]: value }), message, `CentralSystem ${name}`);
      assert.throws(() => new ChargePoint({ url: 'ws://127.0.0.1:1', identity: 'CP', protocol: 'ocpp1.6', [name]: value }), message, `ChargePoint ${name}`);
    }
    assert.throws(
      () => new ChargePoint({ url: 'ws://127.0.0.1:1', identity: 'CP', protocol: 'ocpp1.6', maxBufferedBytes: -1 }),
      /maxBufferedBytes must be a non-negative integer/,
    );
    // Infinity turns both limits off; 0 bad messages is a valid (strict) choice.
    const { endpoint } = core(OCPP16_RULES, { maxInboundCalls: Infinity, maxBadMessages: 0 });
    endpoint.close();
  });
});

for (const rules of VERSIONS) {
  const v = rules.protocol;
  describe(`maxInboundCalls (${v})`, () => {
    test(`the CALL past the limit is not handled; the 16 accepted are answered, then close 1008 'too many concurrent CALLs' (${v})`, async () => {
      const guard = guardUnhandledRejections();
      const { endpoint, peer, exceeded } = core(rules);
      const gate = gatedHandler();
      endpoint.handle('Heartbeat', gate.handler);
      const ours = endpoint.call('Heartbeat', {}).then(
        () => undefined,
        (e: unknown) => e,
      );
      for (let i = 1; i <= 17; i++) peer.sendText(HEARTBEAT(`c${i}`));
      peer.sendText('not json, ignored once the limit is passed');
      await flush();
      assert.equal(gate.waiting, 16, 'the 17th CALL never reached the handler');
      assert.deepEqual(exceeded, [{ limit: 'maxInboundCalls', max: 16, code: 1008, reason: 'too many concurrent CALLs' }]);
      assert.equal(endpoint.closed, false, 'still open: 16 answers are owed');
      assert.equal(peer.texts.length, 1, 'only our own CALL went out so far');
      gate.release();
      await flush();
      const answers = peer.frames.slice(1);
      assert.deepEqual(
        answers.map((f) => [f[0], f[1]]),
        Array.from({ length: 16 }, (_, i) => [3, `c${i + 1}`]),
        'each accepted CALL answered once; the 17th and the garbage got nothing',
      );
      assert.deepEqual(peer.closed, { code: 1008, reason: 'too many concurrent CALLs' });
      const error = await ours;
      assert.ok(error instanceof ConnectionClosedError && error.code === 1008, 'our pending call rejects with the close');
      await guard.check();
    });

    test(`handlers that answer synchronously never count: 2,000 CALLs in a row keep the connection open (${v})`, async () => {
      const { endpoint, peer, exceeded } = core(rules);
      endpoint.handle('Heartbeat', () => ({ currentTime: new Date(0).toISOString() }));
      for (let i = 0; i < 2000; i++) peer.sendText(HEARTBEAT(`s${i}`));
      await until(() => peer.texts.length === 2000);
      assert.equal(endpoint.closed, false);
      assert.equal(exceeded.length, 0);
      endpoint.close();
    });

    test(`accepted CALLs whose handlers hang: the connection closes 5 s later anyway, and their signals abort (${v})`, async (t) => {
      t.mock.timers.enable({ apis: ['setTimeout'] });
      const { endpoint, peer } = core(rules, { maxInboundCalls: 2 });
      const signals: AbortSignal[] = [];
      endpoint.handle('Heartbeat', (_req, ctx) => {
        signals.push(ctx.signal);
        return new Promise(() => {});
      });
      for (let i = 0; i < 3; i++) peer.sendText(HEARTBEAT(`h${i}`));
      await flush();
      assert.equal(signals.length, 2);
      assert.equal(endpoint.closed, false);
      t.mock.timers.tick(4999);
      await flush();
      assert.equal(endpoint.closed, false);
      t.mock.timers.tick(1);
      await flush();
      assert.equal(endpoint.closed, true);
      assert.deepEqual(peer.closed, { code: 1008, reason: 'too many concurrent CALLs' });
      assert.ok(signals.every((s) => s.aborted));
      assert.equal(peer.texts.length, 0, 'nothing was answered');
    });

    test(`Infinity turns the limit off (${v})`, async () => {
      const { endpoint, peer, exceeded } = core(rules, { maxInboundCalls: Infinity });
      const gate = gatedHandler();
      endpoint.handle('Heartbeat', gate.handler);
      for (let i = 0; i < 500; i++) peer.sendText(HEARTBEAT(`i${i}`));
      await flush();
      assert.equal(gate.waiting, 500);
      gate.release();
      await until(() => peer.texts.length === 500);
      assert.equal(exceeded.length, 0);
      assert.equal(endpoint.closed, false);
      endpoint.close();
    });
  });

  describe(`maxBadMessages (${v})`, () => {
    /** One bad message of each kind that counts, in a cycle. */
    const BAD_KINDS = [
      'not json',
      '{"an":"object"}',
      '[9,"u1",{}]',
      '[3,"never-sent",{}]',
      '[4,"never-sent","GenericError","",{}]',
      '[2,"x1","NoSuchAction",{}]',
      '[2,"x2","Heartbeat",{"unexpected":1}]',
      '[2,"x3","BootNotification",{}]',
    ];

    test(`100 invalid messages in a minute are tolerated and each answered by the rules; the 101st is answered too, then close 1008 (${v})`, async () => {
      const { endpoint, peer, exceeded } = core(rules);
      endpoint.handle('Heartbeat', () => ({ currentTime: new Date(0).toISOString() }));
      endpoint.handle('BootNotification', () => ({ status: 'Accepted', currentTime: new Date(0).toISOString(), interval: 60 }));
      for (let i = 0; i < 100; i++) peer.sendText(BAD_KINDS[i % BAD_KINDS.length]);
      // Valid traffic in between neither counts nor resets anything.
      peer.sendText(HEARTBEAT('ok-1'));
      await flush();
      assert.equal(endpoint.closed, false);
      assert.equal(exceeded.length, 0);
      const before = peer.texts.length;
      assert.ok(
        peer.frames.some((f) => f[1] === 'ok-1' && f[0] === 3),
        'valid CALLs still answered',
      );
      peer.sendText('[2,"x101","NoSuchAction",{}]');
      peer.sendText(HEARTBEAT('after'));
      await flush();
      assert.deepEqual(exceeded, [{ limit: 'maxBadMessages', max: 100, code: 1008, reason: 'too many invalid messages' }]);
      assert.deepEqual(
        peer.frames.slice(before).map((f) => f[1]),
        ['x101'],
        'the 101st is answered; nothing after it',
      );
      assert.deepEqual(peer.closed, { code: 1008, reason: 'too many invalid messages' });
    });

    test(`the window slides: invalid messages older than badMessageWindowMs stop counting (${v})`, async () => {
      let clock = 0;
      const { endpoint, peer } = core(rules, { maxBadMessages: 3, badMessageWindowMs: 1000, now: () => clock });
      const bad = () => peer.sendText('[3,"nope",{}]');
      for (const at of [0, 400, 800]) {
        clock = at;
        bad();
        await flush();
      }
      clock = 1001; // the one at 0 left the window: still 3 within the last second
      bad();
      await flush();
      assert.equal(endpoint.closed, false);
      clock = 1300; // 400, 800, 1001 and this one: 4 within a second
      bad();
      await flush();
      assert.equal(endpoint.closed, true);
      assert.deepEqual(peer.closed, { code: 1008, reason: 'too many invalid messages' });
    });

    test(`late answers, NotSupported actions, lenient validation and boot-gate refusals do not count (${v})`, async (t) => {
      t.mock.timers.enable({ apis: ['setTimeout', 'Date'] });
      const lenient = createPayloadValidator(v as 'ocpp1.6', { inbound: 'report' });
      const { endpoint, peer, exceeded } = core(rules, {
        maxBadMessages: 0,
        validator: lenient,
        inboundGate: (action) => (action === 'Authorize' ? 'SecurityError' : undefined),
        callTimeoutMs: 10,
      });
      endpoint.handle('Heartbeat', () => ({ currentTime: new Date(0).toISOString() }));
      const late = endpoint.call('Heartbeat', {}).catch((e: unknown) => e);
      await flush();
      t.mock.timers.tick(11);
      await late;
      const lateId = peer.frames[0][1];
      assert.ok(typeof lateId === 'string');
      peer.sendText(`[3,"${lateId}",{"currentTime":"1970-01-01T00:00:00.000Z"}]`); // late
      peer.sendText('[2,"n1","StatusNotification",{}]'); // known, no handler: NotSupported
      peer.sendText('[2,"n2","Heartbeat",{"extra":true}]'); // reported, not enforced
      peer.sendText('[2,"n3","Authorize",{"idTag":"x"}]'); // refused by the gate
      await flush();
      assert.equal(exceeded.length, 0);
      assert.equal(endpoint.closed, false);
      peer.sendText('[3,"never-sent",{}]'); // and with a limit of 0 the first real one closes
      await flush();
      assert.equal(exceeded.length, 1);
      assert.equal(endpoint.closed, true);
    });

    test(`Infinity never closes (${v})`, async () => {
      const { endpoint, peer } = core(rules, { maxBadMessages: Infinity });
      for (let i = 0; i < 1000; i++) peer.sendText(BAD_KINDS[i % BAD_KINDS.length]);
      await flush();
      assert.equal(endpoint.closed, false);
      endpoint.close();
    });
  });
}

describe('the limits through CentralSystem and ChargePoint, over loopback', () => {
  test('a station sending invalid frames is disconnected 1008 after maxBadMessages, logged at warn; another station is unaffected', async (t) => {
    const logs: Array<{ level: string; record: Record<string, unknown> }> = [];
    const logger = {
      debug() {},
      info() {},
      warn: (record: Record<string, unknown>) => logs.push({ level: 'warn', record }),
      error() {},
    };
    const { cs, port } = await startServer({ maxBadMessages: 20, logger });
    t.after(() => closeAll(cs));
    cs.handle('ocpp2.0.1', 'Heartbeat', () => ({ currentTime: new Date().toISOString() }));
    const exceeded: LimitExceededEvent[] = [];
    cs.on('connection', (station) => station.on('limitExceeded', (e) => exceeded.push(e)));
    const good = await openRaw(port, 'GOOD', 'ocpp2.0.1');
    const bad = await openRaw(port, 'BAD', 'ocpp2.0.1');
    const closed = nextClose(bad.ws);
    for (let i = 0; i < 25; i++) bad.ws.send(`garbage ${i}`);
    const { code, reason } = await withTimeout(closed, 3000, 'BAD was not disconnected');
    assert.equal(code, 1008);
    assert.equal(reason, 'too many invalid messages');
    assert.equal(bad.received.length, 21, 'each of the 21 got its "-1" RpcFrameworkError before the close');
    assert.deepEqual(
      exceeded.map((e) => e.limit),
      ['maxBadMessages'],
    );
    assert.ok(logs.some((l) => l.record.event === 'limit-exceeded' && l.record.identity === 'BAD'));
    const answer = await good.call('[2,"g1","Heartbeat",{}]');
    assert.deepEqual(answer.slice(0, 2), [3, 'g1'], 'the other station is still served');
    assert.ok(cs.stations.has('GOOD'));
    assert.equal(cs.stations.has('BAD'), false);
    good.ws.close();
  });

  test('a station flooding CALLs while async handlers run: its accepted CALLs are answered, then 1008 too many concurrent CALLs', async (t) => {
    const { cs, port } = await startServer({ maxInboundCalls: 4 });
    t.after(() => closeAll(cs));
    cs.handle('ocpp1.6', 'Heartbeat', async () => {
      await new Promise((r) => setTimeout(r, 50));
      return { currentTime: new Date().toISOString() };
    });
    const raw = await openRaw(port, 'FLOOD', 'ocpp1.6');
    const closed = nextClose(raw.ws);
    for (let i = 0; i < 50; i++) raw.ws.send(`[2,"f${i}","Heartbeat",{}]`);
    const { code, reason } = await withTimeout(closed, 3000, 'FLOOD was not disconnected');
    assert.equal(code, 1008);
    assert.equal(reason, 'too many concurrent CALLs');
    assert.deepEqual(
      raw.received.map((f) => f[1]),
      ['f0', 'f1', 'f2', 'f3'],
    );
    assert.ok(raw.received.every((f) => f[0] === 3));
  });

  test('a ChargePoint whose central system sends garbage closes 1008, then reconnects', async (t) => {
    const server = await rawServer('ocpp1.6');
    t.after(() => server.close());
    const cp = new ChargePoint({
      url: server.url,
      identity: 'CP-LIMIT',
      protocol: 'ocpp1.6',
      maxBadMessages: 5,
      reconnect: { waitMinimumMs: 20, randomRangeMs: 1, repeatTimes: 1 },
      pingIntervalMs: 0,
    });
    t.after(() => cp.close());
    const disconnects: Array<{ code: number; reason: string }> = [];
    cp.on('disconnect', (e) => disconnects.push(e));
    await cp.connect();
    const first = await server.nextSocket();
    for (let i = 0; i < 6; i++) first.send('[5]');
    await until(() => disconnects.length === 1, 3000);
    assert.deepEqual(disconnects[0], { code: 1008, reason: 'too many invalid messages', willReconnect: true } as never);
    await withTimeout(server.nextSocket(), 3000, 'no reconnect');
  });
});
