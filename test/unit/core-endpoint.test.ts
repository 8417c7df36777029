import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, mock, test } from 'node:test';
import { RpcEndpoint } from '../../src/core/endpoint';
import {
  AbortError,
  ConnectionClosedError,
  FormatViolationError,
  NotSupportedError,
  OccurrenceConstraintViolationError,
  QueueFullError,
  RpcError,
  SecurityError,
  TimeoutError,
  ValidationError,
} from '../../src/core/errors';
import type { BadFrameEvent, FrameEvent, HandlerErrorEvent, ResponseDroppedEvent, ValidationFailedEvent } from '../../src/core/events';
import { createMemoryTransportPair } from '../../src/core/memory-transport';
import {
  DEFAULT_CALL_CONCURRENCY,
  DEFAULT_CALL_TIMEOUT_MS,
  DEFAULT_MAX_QUEUED_CALLS,
  resolveSharedOptions,
  withSharedOptions,
  type RpcEndpointOptions,
} from '../../src/core/options';
import type { ProtocolRules } from '../../src/core/protocol-rules';
import type { Transport, TransportSink } from '../../src/core/transport';
import { connectedPair, flush, guardUnhandledRejections, RawPeer, setup } from '../support/harness';
import { ALL_RULES, rules16, rules201, rules21 } from '../support/protocol-rules';
import { FakeValidator } from '../support/validator';

/** What differs between the versions, as the peer sees it on the wire. */
const WIRE: Record<
  string,
  { framing: string; duplicate: string; unreadableId: '-1' | null; unknownTypeReply: boolean; format: string; occurrence: string; limit: number | undefined }
> = {
  'ocpp1.6': {
    framing: 'FormationViolation',
    duplicate: 'GenericError',
    unreadableId: null,
    unknownTypeReply: false,
    format: 'FormationViolation',
    occurrence: 'OccurenceConstraintViolation',
    limit: undefined,
  },
  'ocpp2.0.1': {
    framing: 'RpcFrameworkError',
    duplicate: 'RpcFrameworkError',
    unreadableId: '-1',
    unknownTypeReply: true,
    format: 'FormatViolation',
    occurrence: 'OccurrenceConstraintViolation',
    limit: 255,
  },
  'ocpp2.1': {
    framing: 'RpcFrameworkError',
    duplicate: 'RpcFrameworkError',
    unreadableId: '-1',
    unknownTypeReply: false,
    format: 'FormatViolation',
    occurrence: 'OccurrenceConstraintViolation',
    limit: 255,
  },
};

async function rejection<E extends Error>(promise: Promise<unknown>, Class: new (...args: never[]) => E): Promise<E> {
  try {
    await promise;
  } catch (error) {
    assert.ok(error instanceof Class, `expected ${Class.name}, got ${String(error)}`);
    return error;
  }
  assert.fail(`expected rejection with ${Class.name}`);
}

/** Records how a promise settled, without ever leaving a rejection unhandled. */
function outcome<T>(promise: Promise<T>): { settled: boolean; value?: T; error?: unknown; count: number } {
  const state: { settled: boolean; value?: T; error?: unknown; count: number } = { settled: false, count: 0 };
  promise.then(
    (value) => {
      state.settled = true;
      state.count++;
      state.value = value;
    },
    (error: unknown) => {
      state.settled = true;
      state.count++;
      state.error = error;
    },
  );
  return state;
}

function collect<T>(endpoint: RpcEndpoint, name: 'frame' | 'badFrame' | 'validationFailed' | 'responseDropped' | 'handlerError' | 'close'): T[] {
  const events: T[] = [];
  endpoint.on(name, (e: unknown) => events.push(e as T));
  return events;
}

let guard: ReturnType<typeof guardUnhandledRejections>;
beforeEach(() => {
  guard = guardUnhandledRejections();
});
afterEach(async () => {
  await guard.check();
});

for (const rules of ALL_RULES) {
  const v = rules.protocol;
  const wire = WIRE[v];

  describe(`RpcEndpoint (${v})`, () => {
    // ------------------------------------------------------------ framing and answers

    test(`items 1, 4: call sends a 4-element CALL and resolves with the CALLRESULT of the same id (${v})`, async () => {
      const { endpoint, peer } = setup(rules);
      const result = endpoint.call('Heartbeat', {});
      const frame = await peer.frame(0);
      assert.deepEqual(frame, [2, 'id-1', 'Heartbeat', {}]);
      peer.send([3, 'id-1', { currentTime: 't' }]);
      assert.deepEqual(await result, { currentTime: 't' });
      endpoint.close();
    });

    test(`item 4: the answer to an inbound CALL echoes its id (${v})`, async () => {
      const { endpoint, peer } = setup(rules);
      endpoint.handle('Heartbeat', () => ({ currentTime: 'now' }));
      assert.deepEqual(await peer.exchange([2, 'abc-123', 'Heartbeat', {}]), [3, 'abc-123', { currentTime: 'now' }]);
      endpoint.close();
    });

    test(`item 2: default ids are UUIDs of 36 characters, unique per call (${v})`, async () => {
      const [local, remote] = createMemoryTransportPair();
      const endpoint = new RpcEndpoint({ transport: local, rules, callConcurrency: 50 });
      const peer = new RawPeer(remote);
      const calls = Array.from({ length: 50 }, () => outcome(endpoint.call('Heartbeat', {})));
      await peer.frame(49);
      const ids = peer.frames.map((f) => f[1] as string);
      assert.equal(new Set(ids).size, 50);
      for (const id of ids) assert.match(id, /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
      endpoint.close();
      await flush();
      assert.ok(calls.every((c) => c.error instanceof ConnectionClosedError));
    });

    test(`item 6: an undefined payload is sent as {}, and a handler returning nothing answers {} (${v})`, async () => {
      const { endpoint, peer } = setup(rules);
      endpoint.handle('StatusNotification', () => undefined);
      const call = outcome(endpoint.call('Heartbeat', undefined));
      assert.deepEqual(await peer.frame(0), [2, 'id-1', 'Heartbeat', {}]);
      assert.deepEqual(await peer.exchange([2, 's1', 'StatusNotification', {}]), [3, 's1', {}]);
      endpoint.close();
      await flush();
      assert.ok(call.error instanceof ConnectionClosedError);
    });

    test(`item 8: a CALLERROR we send has "" description and {} details when empty (${v})`, async () => {
      const { endpoint, peer } = setup(rules);
      endpoint.handle('Reset', () => {
        throw new SecurityError();
      });
      assert.deepEqual(await peer.exchange([2, 'r1', 'Reset', {}]), [4, 'r1', 'SecurityError', '', {}]);
      endpoint.close();
    });

    test(`item 10: handler errors are sent with the version's spelling (${v})`, async () => {
      const { endpoint, peer } = setup(rules);
      endpoint.handle('Reset', () => {
        throw new FormatViolationError({ description: 'bad format', details: { path: '/type' } });
      });
      endpoint.handle('Authorize', () => Promise.reject(new OccurrenceConstraintViolationError({ description: 'missing idTag' })));
      assert.deepEqual(await peer.exchange([2, 'r1', 'Reset', {}]), [4, 'r1', wire.format, 'bad format', { path: '/type' }]);
      assert.deepEqual(await peer.exchange([2, 'r2', 'Authorize', {}]), [4, 'r2', wire.occurrence, 'missing idTag', {}]);
      endpoint.close();
    });

    test(`item 10: an RpcError thrown with another version's spelling is normalised, an unknown code becomes GenericError (${v})`, async () => {
      const { endpoint, peer } = setup(rules);
      endpoint.handle('Reset', () => {
        throw new RpcError({ code: 'FormationViolation', description: 'typo spelling' });
      });
      endpoint.handle('Authorize', () => {
        throw new RpcError({ code: 'VendorError', description: 'vendor text', details: { v: 1 } });
      });
      assert.deepEqual(await peer.exchange([2, 'r1', 'Reset', {}]), [4, 'r1', wire.format, 'typo spelling', {}]);
      assert.deepEqual(await peer.exchange([2, 'r2', 'Authorize', {}]), [4, 'r2', 'GenericError', 'vendor text', { v: 1 }]);
      endpoint.close();
    });

    test(`item 11: an inbound CALLERROR rejects with the class for its code, in either spelling (${v})`, async () => {
      const { endpoint, peer } = setup(rules, { callConcurrency: 4 });
      const calls = [endpoint.call('Reset', {}), endpoint.call('Reset', {}), endpoint.call('Reset', {}), endpoint.call('Reset', {})].map((p) =>
        p.catch((e: unknown) => e),
      );
      await peer.frame(3);
      peer.send([4, 'id-1', 'FormationViolation', 'old spelling', { a: 1 }]);
      peer.send([4, 'id-2', 'FormatViolation', 'new spelling', {}]);
      peer.send([4, 'id-3', 'OccurenceConstraintViolation', '', {}]);
      peer.send([4, 'id-4', 'SomethingElse', 'vendor', { b: 2 }]);
      const [e1, e2, e3, e4] = (await Promise.all(calls)) as RpcError[];
      assert.ok(e1 instanceof FormatViolationError);
      assert.deepEqual([e1.code, e1.description, e1.details, e1.messageId, e1.action], ['FormatViolation', 'old spelling', { a: 1 }, 'id-1', 'Reset']);
      assert.ok(e2 instanceof FormatViolationError);
      assert.ok(e3 instanceof OccurrenceConstraintViolationError);
      assert.equal(Object.getPrototypeOf(e4), RpcError.prototype);
      assert.deepEqual([e4.code, e4.description, e4.details], ['SomethingElse', 'vendor', { b: 2 }]);
      endpoint.close();
    });

    test(`item 9: CALLERROR descriptions are cut to the version's limit, and to 255 code points where the version sets none (${v})`, async () => {
      const { endpoint, peer } = setup(rules);
      const long = 'x'.repeat(300) + '😀';
      endpoint.handle('Reset', () => {
        throw new NotSupportedError({ description: long });
      });
      endpoint.handle('Authorize', () => {
        throw new NotSupportedError({ description: '😀'.repeat(300) });
      });
      const frame = await peer.exchange([2, 'r1', 'Reset', {}]);
      assert.equal(frame[3], 'x'.repeat(wire.limit ?? 255));
      const pairs = await peer.exchange([2, 'r2', 'Authorize', {}]);
      assert.equal(pairs[3], '😀'.repeat(wire.limit ?? 255), 'code points, never half a surrogate pair');
      endpoint.close();
    });

    test(`issue 12 item 8: a validation detail echoing a huge property name is not echoed whole (${v})`, async () => {
      const name = 'p'.repeat(500_000);
      const validator = new FakeValidator().fail('Authorize', 'request', 'inbound', {
        code: 'OccurrenceConstraintViolation',
        detail: `must NOT have additional property '${name}'`,
        enforced: true,
      });
      const { endpoint, peer } = setup(rules, { validator });
      endpoint.handle('Authorize', () => ({}));
      const frame = await peer.exchange(JSON.stringify([2, 'a1', 'Authorize', { [name]: 1 }]));
      assert.equal(frame[2], wire.occurrence);
      assert.ok((frame[3] as string).length <= 255, `description of ${(frame[3] as string).length} characters`);
      assert.ok(peer.texts[0].length < 1000, `a CALLERROR of ${peer.texts[0].length} characters`);
      assert.match(frame[3] as string, /^must NOT have additional property 'ppp/);
      endpoint.close();
    });

    test(`issue 12 item 8: errorDetails over 4096 characters of JSON are replaced by {} and reported locally; smaller ones pass whole (${v})`, async () => {
      const { endpoint, peer } = setup(rules);
      const errors = collect<HandlerErrorEvent>(endpoint, 'handlerError');
      const big = { rows: 'r'.repeat(10_000) };
      const small = { rows: 'r'.repeat(4000) };
      const cyclic: Record<string, unknown> = {};
      cyclic.self = cyclic;
      endpoint.handle('Reset', () => {
        throw new NotSupportedError({ description: 'too big', details: big });
      });
      endpoint.handle('Authorize', () => {
        throw new NotSupportedError({ description: 'fits', details: small });
      });
      endpoint.handle('Heartbeat', () => {
        throw new NotSupportedError({ description: 'cycle', details: cyclic });
      });
      assert.deepEqual(await peer.exchange([2, 'r1', 'Reset', {}]), [4, 'r1', 'NotSupported', 'too big', {}]);
      assert.deepEqual(await peer.exchange([2, 'a1', 'Authorize', {}]), [4, 'a1', 'NotSupported', 'fits', small]);
      assert.deepEqual(await peer.exchange([2, 'h1', 'Heartbeat', {}]), [4, 'h1', 'NotSupported', 'cycle', {}]);
      assert.deepEqual(
        errors.map((e) => [e.direction, e.action, e.messageId, (e.error as Error).name]),
        [
          ['inbound', 'Reset', 'r1', 'RangeError'],
          ['inbound', 'Heartbeat', 'h1', 'TypeError'],
        ],
      );
      assert.match((errors[0].error as Error).message, /errorDetails serialize to 100\d\d characters, over the 4096 sent/);
      endpoint.close();
    });

    // ------------------------------------------------------------ malformed input

    test(`items 12, 13: a frame whose id cannot be read gets ${wire.unreadableId === null ? 'no answer' : '"-1"'} (${v})`, async () => {
      const { endpoint, peer } = setup(rules);
      const bad = collect<BadFrameEvent>(endpoint, 'badFrame');
      endpoint.handle('Heartbeat', () => ({}));
      const inputs = ['not json {secret}', '{"secret":1}', '[]', '["2","x","Heartbeat",{}]', '[2,7,"Heartbeat",{}]', `[2,"${'a'.repeat(37)}","Heartbeat",{}]`];
      for (const text of inputs) peer.sendText(text);
      // A valid CALL after them shows the connection still works and marks the end of the replies.
      const marker = inputs.length;
      peer.send([2, 'ok', 'Heartbeat', {}]);
      const expectedReplies = wire.unreadableId === null ? 0 : inputs.length;
      const last = await peer.frame(expectedReplies);
      assert.deepEqual(last, [3, 'ok', {}]);
      assert.equal(bad.length, marker);
      for (let i = 0; i < expectedReplies; i++) {
        const reply = peer.frames[i];
        assert.equal(reply.length, 5);
        assert.deepEqual([reply[0], reply[1], reply[2], reply[4]], [4, '-1', wire.framing, {}]);
        assert.ok(!String(reply[3]).includes('secret'), 'item 12: the reply does not embed the invalid input');
      }
      assert.ok(bad.every((e) => e.replied === (wire.unreadableId !== null)));
      endpoint.close();
    });

    test(`item 13: a CALL with a readable id but a wrong element count or field gets ${wire.framing} with its id (${v})`, async () => {
      const { endpoint, peer } = setup(rules);
      const bad = collect<BadFrameEvent>(endpoint, 'badFrame');
      for (const [text, id] of [
        ['[2,"w1","Heartbeat"]', 'w1'],
        ['[2,"w2","Heartbeat",{},{}]', 'w2'],
        ['[2,"w3","Heartbeat",null]', 'w3'],
        ['[2,"w4","",{}]', 'w4'],
      ] as const) {
        const reply = await peer.exchange(text);
        assert.deepEqual([reply[0], reply[1], reply[2]], [4, id, wire.framing], text);
      }
      assert.deepEqual(
        bad.map((e) => [e.error.kind, e.messageId, e.replied]),
        [
          ['wrong-length', 'w1', true],
          ['wrong-length', 'w2', true],
          ['bad-field', 'w3', true],
          ['bad-field', 'w4', true],
        ],
      );
      endpoint.close();
    });

    test(`item 14: an unknown message type is ${wire.unknownTypeReply ? 'answered MessageTypeNotSupported' : 'ignored'} (${v})`, async () => {
      const { endpoint, peer } = setup(rules);
      const bad = collect<BadFrameEvent>(endpoint, 'badFrame');
      endpoint.handle('Heartbeat', () => ({}));
      peer.send([7, 'u1', 'Heartbeat', {}]);
      peer.send([2, 'ok', 'Heartbeat', {}]);
      if (wire.unknownTypeReply) {
        const reply = await peer.frame(0);
        assert.deepEqual([reply[0], reply[1], reply[2]], [4, 'u1', 'MessageTypeNotSupported']);
        assert.deepEqual(await peer.frame(1), [3, 'ok', {}]);
      } else {
        assert.deepEqual(await peer.frame(0), [3, 'ok', {}]);
      }
      assert.equal(bad.length, 1);
      assert.equal(bad[0].error.kind, 'unknown-message-type');
      assert.equal(bad[0].error.messageType, 7);
      assert.equal(bad[0].replied, wire.unknownTypeReply);
      endpoint.close();
    });

    if (!rules.hasSendAndCallResultError) {
      test(`items 14, 25: SEND and CALLRESULTERROR are unknown message types in ${v}`, async () => {
        const { endpoint, peer } = setup(rules);
        const bad = collect<BadFrameEvent>(endpoint, 'badFrame');
        let handled = 0;
        endpoint.handle('NotifyPeriodicEventStream', () => {
          handled++;
          return {};
        });
        endpoint.handle('Heartbeat', () => ({}));
        peer.send([6, 's1', 'NotifyPeriodicEventStream', {}]);
        peer.send([5, 's2', 'GenericError', '', {}]);
        // Broken ones too: the shape of a type the version lacks is as unknown as the type.
        peer.send([5, 's3']);
        peer.send([6, 's4', 'NotifyPeriodicEventStream', null]);
        peer.send([2, 'ok', 'Heartbeat', {}]);
        const replies = wire.unknownTypeReply ? 4 : 0;
        assert.deepEqual(await peer.frame(replies), [3, 'ok', {}]);
        if (wire.unknownTypeReply) {
          assert.deepEqual(
            peer.frames.slice(0, 4).map((f) => [f[0], f[1], f[2]]),
            [
              [4, 's1', 'MessageTypeNotSupported'],
              [4, 's2', 'MessageTypeNotSupported'],
              [4, 's3', 'MessageTypeNotSupported'],
              [4, 's4', 'MessageTypeNotSupported'],
            ],
          );
        }
        assert.equal(handled, 0);
        assert.deepEqual(
          bad.map((e) => [e.error.messageType, e.replied]),
          [
            [6, wire.unknownTypeReply],
            [5, wire.unknownTypeReply],
            [5, wire.unknownTypeReply],
            [6, wire.unknownTypeReply],
          ],
        );
        assert.throws(() => endpoint.send('NotifyPeriodicEventStream', {}), /SEND frames do not exist/);
        endpoint.close();
      });
    }

    test(`item 15: a broken CALLRESULT or CALLERROR is never answered (${v})`, async () => {
      const { endpoint, peer } = setup(rules);
      const bad = collect<BadFrameEvent>(endpoint, 'badFrame');
      endpoint.handle('Heartbeat', () => ({}));
      const inputs = [
        '[3,"x"]',
        '[3,"x",null]',
        '[3,"x",{},1]',
        '[3,5,{}]',
        '[3,"' + 'a'.repeat(40) + '",{}]',
        '[4,"x",1,"",{}]',
        '[4,"x","GenericError"]',
        '[4,null,"GenericError","",{}]',
      ];
      // A broken CALLRESULTERROR is an answer only where type 5 exists (before 2.1 it is an unknown type, item 14).
      if (rules.hasSendAndCallResultError) inputs.push('[5,"x"]');
      for (const text of inputs) peer.sendText(text);
      peer.send([2, 'ok', 'Heartbeat', {}]);
      assert.deepEqual(await peer.frame(0), [3, 'ok', {}]);
      await flush();
      assert.equal(peer.texts.length, 1, 'only the marker CALL was answered');
      assert.equal(bad.length, inputs.length);
      assert.ok(bad.every((e) => !e.replied));
      endpoint.close();
    });

    test(`item 15: a broken answer to a pending call rejects that call at once instead of at its timeout (${v})`, async () => {
      const { endpoint, peer } = setup(rules);
      const call = endpoint.call('Heartbeat', {});
      await peer.frame(0);
      peer.sendText('[3,"id-1",null]');
      const error = await rejection(call, ValidationError);
      assert.deepEqual(
        [error.direction, error.kind, error.action, error.messageId, error.code],
        ['inbound', 'response', 'Heartbeat', 'id-1', rules.framingErrorCode],
      );
      await flush();
      // 2.1 rejects the broken CALLRESULT with a CALLRESULTERROR (item 26); older versions stay silent (item 15).
      assert.equal(peer.texts.length, rules.hasSendAndCallResultError ? 2 : 1);
      endpoint.close();
    });

    // ------------------------------------------------------------ actions and handlers

    test(`item 16: an action unknown to the version gets NotImplemented (${v})`, async () => {
      const { endpoint, peer } = setup(rules);
      const reply = await peer.exchange([2, 'n1', 'MakeCoffee', {}]);
      assert.deepEqual([reply[0], reply[1], reply[2], reply[4]], [4, 'n1', 'NotImplemented', {}]);
      endpoint.close();
    });

    test(`item 5: actions are case-sensitive: a wrongly cased action is unknown (${v})`, async () => {
      const { endpoint, peer } = setup(rules);
      endpoint.handle('Heartbeat', () => ({}));
      const reply = await peer.exchange([2, 'c1', 'heartbeat', {}]);
      assert.equal(reply[2], 'NotImplemented');
      endpoint.close();
    });

    test(`item 17: a known action without a handler gets NotSupported; a fallback handler fills in, own handlers win (${v})`, async () => {
      const seen: string[] = [];
      const { endpoint, peer } = setup(rules, {
        fallbackHandler: (action) =>
          action === 'Authorize'
            ? (req, ctx) => {
                seen.push(`fallback:${ctx.action}`);
                return { idTagInfo: { status: 'Accepted' } };
              }
            : action === 'Heartbeat'
              ? () => ({ from: 'fallback' })
              : undefined,
      });
      endpoint.handle('Heartbeat', () => ({ from: 'own' }));
      const noHandler = await peer.exchange([2, 'a1', 'Reset', {}]);
      assert.deepEqual([noHandler[0], noHandler[1], noHandler[2], noHandler[4]], [4, 'a1', 'NotSupported', {}]);
      assert.deepEqual(await peer.exchange([2, 'a2', 'Authorize', {}]), [3, 'a2', { idTagInfo: { status: 'Accepted' } }]);
      assert.deepEqual(await peer.exchange([2, 'a3', 'Heartbeat', {}]), [3, 'a3', { from: 'own' }]);
      assert.deepEqual(seen, ['fallback:Authorize']);
      assert.equal(endpoint.removeHandler('Heartbeat'), true);
      assert.deepEqual(await peer.exchange([2, 'a4', 'Heartbeat', {}]), [3, 'a4', { from: 'fallback' }]);
      endpoint.close();
    });

    test(`items 48, 49: an inbound gate refuses known actions with its code before the handler runs (${v})`, async () => {
      let accepted = false;
      const validator = new FakeValidator();
      const { endpoint, peer } = setup(rules, {
        validator,
        inboundGate: (action) => (accepted || action === 'BootNotification' ? undefined : 'SecurityError'),
      });
      let ran = 0;
      endpoint.handle('Heartbeat', () => (ran++, {}));
      endpoint.handle('BootNotification', () => ((accepted = true), { status: 'Accepted' }));
      const refused = await peer.exchange([2, 'g1', 'Heartbeat', {}]);
      assert.deepEqual([refused[0], refused[1], refused[2], refused[4]], [4, 'g1', 'SecurityError', {}]);
      assert.equal(ran, 0);
      assert.equal(validator.calls.length, 0, 'a refused CALL is not validated');
      assert.equal((await peer.exchange([2, 'g2', 'MakeCoffee', {}]))[2], 'NotImplemented', 'unknown actions stay NotImplemented');
      assert.deepEqual(await peer.exchange([2, 'g3', 'BootNotification', {}]), [3, 'g3', { status: 'Accepted' }]);
      assert.deepEqual(await peer.exchange([2, 'g4', 'Heartbeat', {}]), [3, 'g4', {}]);
      endpoint.close();
    });

    test(`item 19: a handler exception becomes InternalError with a generic description, and the connection stays open (${v})`, async () => {
      const { endpoint, peer } = setup(rules);
      const errors = collect<HandlerErrorEvent>(endpoint, 'handlerError');
      const secret = new Error('password=hunter2 at db.internal:5432');
      endpoint.handle('Reset', () => {
        throw secret;
      });
      endpoint.handle('Authorize', () => Promise.reject(secret));
      endpoint.handle('Heartbeat', () => ({}));
      for (const id of ['e1', 'e2']) {
        const reply = await peer.exchange([2, id, id === 'e1' ? 'Reset' : 'Authorize', {}]);
        assert.deepEqual([reply[0], reply[1], reply[2], reply[4]], [4, id, 'InternalError', {}]);
        assert.ok(!JSON.stringify(reply).includes('hunter2'), 'the exception text never reaches the peer');
        assert.ok(!JSON.stringify(reply).includes('db.internal'));
      }
      assert.deepEqual(
        errors.map((e) => [e.direction, e.action, e.messageId, e.error]),
        [
          ['inbound', 'Reset', 'e1', secret],
          ['inbound', 'Authorize', 'e2', secret],
        ],
      );
      assert.deepEqual(await peer.exchange([2, 'after', 'Heartbeat', {}]), [3, 'after', {}]);
      assert.equal(endpoint.closed, false);
      endpoint.close();
    });

    test(`handler context carries messageId, action, protocol, identity and context fields (${v})`, async () => {
      const { endpoint, peer } = setup(rules, { identity: 'CP001', context: { tenant: 'acme' } });
      let seen: unknown;
      endpoint.handle('Heartbeat', (_req, ctx) => {
        seen = { ...ctx, tenant: (ctx as unknown as { tenant: string }).tenant, signal: ctx.signal instanceof AbortSignal };
        return {};
      });
      await peer.exchange([2, 'h1', 'Heartbeat', {}]);
      assert.deepEqual(seen, { messageId: 'h1', action: 'Heartbeat', protocol: v, identity: 'CP001', tenant: 'acme', signal: true });
      endpoint.close();
    });

    test(`issue 11 item 11: a context option cannot overwrite protocol or identity on the handler context (${v})`, () => {
      for (const context of [{ protocol: 'forged' }, { identity: 'forged' }, { tenant: 'acme', identity: 'forged' }]) {
        assert.throws(
          () => setup(rules, { identity: 'CP001', context }),
          (e: unknown) => e instanceof TypeError && /^context must not set "(protocol|identity)"/.test(e.message),
        );
      }
    });

    test(`a handler that returns a plain value is answered synchronously, inside the message delivery (${v})`, () => {
      const sent: string[] = [];
      let sink: TransportSink | undefined;
      const transport: Transport = { send: (t) => sent.push(t), close: () => {}, setSink: (s) => (sink = s) };
      const endpoint = new RpcEndpoint({ transport, rules });
      endpoint.handle('Heartbeat', () => ({ currentTime: 't' }));
      sink!.message('[2,"s1","Heartbeat",{}]');
      assert.deepEqual(sent, ['[3,"s1",{"currentTime":"t"}]']);
      endpoint.close();
    });

    test(`a handler answering after the connection closed sends nothing and throws nothing (${v})`, async () => {
      const { endpoint, peer } = setup(rules);
      let release!: (v: unknown) => void;
      endpoint.handle('Heartbeat', () => new Promise((resolve) => (release = resolve)));
      peer.send([2, 'late', 'Heartbeat', {}]);
      await flush();
      endpoint.close();
      release({});
      await flush();
      assert.equal(peer.texts.length, 0);
      assert.ok(peer.closed);
    });

    test(`the handler signal aborts with ConnectionClosedError when the connection closes (${v})`, async () => {
      const { endpoint, peer } = setup(rules);
      let signal: AbortSignal | undefined;
      endpoint.handle('Reset', (_req, ctx) => {
        signal = ctx.signal;
        return new Promise(() => {});
      });
      peer.send([2, 'r1', 'Reset', {}]);
      await flush();
      assert.equal(signal!.aborted, false);
      endpoint.close(4000, 'bye');
      assert.equal(signal!.aborted, true);
      assert.ok(signal!.reason instanceof ConnectionClosedError);
      assert.equal(signal!.reason.code, 4000);
    });

    // ------------------------------------------------------------ validation

    test(`items 18, 20: an inbound CALL is validated before the handler runs and rejected with the issue's code (${v})`, async () => {
      const validator = new FakeValidator()
        .fail('Authorize', 'request', 'inbound', { code: 'OccurrenceConstraintViolation', detail: '/idTag: required', enforced: true })
        .fail('Reset', 'request', 'inbound', { code: 'TypeConstraintViolation', detail: '/type: must be string', enforced: true })
        .fail('MeterValues', 'request', 'inbound', { code: 'PropertyConstraintViolation', detail: '/unit: must be one of', enforced: true })
        .fail('DataTransfer', 'request', 'inbound', { code: 'FormatViolation', detail: '/extra: not allowed', enforced: true });
      const { endpoint, peer } = setup(rules, { validator });
      const failures = collect<ValidationFailedEvent>(endpoint, 'validationFailed');
      let ran = 0;
      for (const action of ['Authorize', 'Reset', 'MeterValues', 'DataTransfer']) endpoint.handle(action, () => (ran++, {}));
      assert.deepEqual(await peer.exchange([2, 'v1', 'Authorize', {}]), [4, 'v1', wire.occurrence, '/idTag: required', {}]);
      assert.deepEqual(await peer.exchange([2, 'v2', 'Reset', { type: 1 }]), [4, 'v2', 'TypeConstraintViolation', '/type: must be string', {}]);
      assert.deepEqual(await peer.exchange([2, 'v3', 'MeterValues', {}]), [4, 'v3', 'PropertyConstraintViolation', '/unit: must be one of', {}]);
      assert.deepEqual(await peer.exchange([2, 'v4', 'DataTransfer', {}]), [4, 'v4', wire.format, '/extra: not allowed', {}]);
      assert.equal(ran, 0, 'item 20: no handler ran');
      assert.deepEqual(validator.calls[0], { action: 'Authorize', kind: 'request', direction: 'inbound', payload: {} });
      assert.deepEqual(failures[0], {
        direction: 'inbound',
        kind: 'request',
        action: 'Authorize',
        messageId: 'v1',
        code: 'OccurrenceConstraintViolation',
        detail: '/idTag: required',
        enforced: true,
      });
      endpoint.close();
    });

    test(`item 21: our own invalid request rejects at once with ValidationError and nothing is sent (${v})`, async () => {
      const validator = new FakeValidator().fail('Reset', 'request', 'outbound', { code: 'PropertyConstraintViolation', detail: '/type: bad', enforced: true });
      const { endpoint, peer } = setup(rules, { validator });
      const call = endpoint.call('Reset', { type: 'Sideways' });
      const error = await rejection(call, ValidationError);
      assert.deepEqual(
        [error.direction, error.kind, error.action, error.code, error.detail],
        ['outbound', 'request', 'Reset', 'PropertyConstraintViolation', '/type: bad'],
      );
      await flush();
      assert.equal(peer.texts.length, 0);
      assert.equal(endpoint.pendingCalls + endpoint.queuedCalls, 0);
      endpoint.close();
    });

    test(`item 21: an invalid response from our handler becomes InternalError to the peer and a local event (${v})`, async () => {
      const validator = new FakeValidator().fail('Heartbeat', 'response', 'outbound', {
        code: 'OccurrenceConstraintViolation',
        detail: '/currentTime: required',
        enforced: true,
      });
      const { endpoint, peer } = setup(rules, { validator });
      const failures = collect<ValidationFailedEvent>(endpoint, 'validationFailed');
      endpoint.handle('Heartbeat', () => ({}));
      const reply = await peer.exchange([2, 'h1', 'Heartbeat', {}]);
      assert.deepEqual([reply[0], reply[1], reply[2]], [4, 'h1', 'InternalError']);
      assert.deepEqual(
        failures.map((f) => [f.direction, f.kind, f.action, f.messageId, f.enforced]),
        [['outbound', 'response', 'Heartbeat', 'h1', true]],
      );
      endpoint.close();
    });

    test(`item 21: an invalid response from the peer rejects the call with ValidationError (${v})`, async () => {
      const validator = new FakeValidator().fail('Heartbeat', 'response', 'inbound', {
        code: 'TypeConstraintViolation',
        detail: '/currentTime: must be string',
        enforced: true,
      });
      const { endpoint, peer } = setup(rules, { validator });
      const call = endpoint.call('Heartbeat', {});
      await peer.frame(0);
      peer.send([3, 'id-1', { currentTime: 5 }]);
      const error = await rejection(call, ValidationError);
      assert.deepEqual([error.direction, error.kind, error.messageId, error.code], ['inbound', 'response', 'id-1', 'TypeConstraintViolation']);
      endpoint.close();
    });

    test(`item 22: a non-enforced issue is reported with enforced:false and processing goes on (${v})`, async () => {
      const lenient = { code: 'FormatViolation' as const, detail: '/extra: unknown property', enforced: false };
      const validator = new FakeValidator()
        .fail('Heartbeat', 'request', 'inbound', lenient)
        .fail('Heartbeat', 'response', 'outbound', lenient)
        .fail('Reset', 'request', 'outbound', lenient)
        .fail('Reset', 'response', 'inbound', lenient);
      const { endpoint, peer } = setup(rules, { validator });
      const failures = collect<ValidationFailedEvent>(endpoint, 'validationFailed');
      endpoint.handle('Heartbeat', () => ({ currentTime: 't' }));
      assert.deepEqual(await peer.exchange([2, 'h1', 'Heartbeat', { extra: 1 }]), [3, 'h1', { currentTime: 't' }]);
      const call = endpoint.call('Reset', { type: 'Hard', extra: 1 });
      await peer.frame(1);
      peer.send([3, 'id-1', { status: 'Accepted', extra: true }]);
      assert.deepEqual(await call, { status: 'Accepted', extra: true });
      assert.deepEqual(
        failures.map((f) => [f.direction, f.kind, f.action, f.enforced]),
        [
          ['inbound', 'request', 'Heartbeat', false],
          ['outbound', 'response', 'Heartbeat', false],
          ['outbound', 'request', 'Reset', false],
          ['inbound', 'response', 'Reset', false],
        ],
      );
      endpoint.close();
    });

    test(`item 22: validate:false skips this call's request and response validation only (${v})`, async () => {
      const strict = { code: 'PropertyConstraintViolation' as const, detail: 'bad', enforced: true };
      const validator = new FakeValidator().fail('Reset', 'request', 'outbound', strict).fail('Reset', 'response', 'inbound', strict);
      const { endpoint, peer } = setup(rules, { validator });
      const call = endpoint.call('Reset', { type: 'Sideways' }, { validate: false });
      assert.deepEqual(await peer.frame(0), [2, 'id-1', 'Reset', { type: 'Sideways' }]);
      peer.send([3, 'id-1', { status: 'Weird' }]);
      assert.deepEqual(await call, { status: 'Weird' });
      assert.equal(validator.calls.length, 0);
      await rejection(endpoint.call('Reset', { type: 'Sideways' }), ValidationError);
      endpoint.close();
    });

    // ------------------------------------------------------------ concurrency

    test(`item 27: a second call waits until the first is answered (${v})`, async () => {
      const { endpoint, peer } = setup(rules);
      const first = endpoint.call('Heartbeat', {});
      const second = endpoint.call('StatusNotification', { status: 'Available' });
      await peer.frame(0);
      await flush();
      assert.equal(peer.texts.length, 1, 'only one CALL outstanding');
      assert.equal(endpoint.queuedCalls, 1);
      peer.send([3, 'id-1', {}]);
      assert.deepEqual(await peer.frame(1), [2, 'id-2', 'StatusNotification', { status: 'Available' }]);
      peer.send([3, 'id-2', {}]);
      await Promise.all([first, second]);
      endpoint.close();
    });

    test(`item 28: queued calls go out in FIFO order (${v})`, async () => {
      const { endpoint, peer } = setup(rules);
      const calls = Array.from({ length: 5 }, (_, i) => endpoint.call('DataTransfer', { i }));
      for (let i = 0; i < 5; i++) {
        const frame = await peer.frame(i);
        assert.deepEqual(frame[3], { i });
        peer.send([3, frame[1], { status: `r${i}` }]);
      }
      assert.deepEqual(await Promise.all(calls), [{ status: 'r0' }, { status: 'r1' }, { status: 'r2' }, { status: 'r3' }, { status: 'r4' }]);
      endpoint.close();
    });

    test(`item 29: incoming CALLs are answered while our own CALL is pending, even by a handler that calls back (${v})`, async () => {
      const { a, b } = connectedPair(rules);
      // b's handler for a's Authorize itself calls a; a answers while its own Authorize is pending.
      a.handle('GetVariables', () => ({ getVariableResult: [] }));
      b.handle('Authorize', async () => {
        const vars = await b.call('GetVariables', {});
        return { idTokenInfo: { status: 'Accepted' }, vars };
      });
      const result = await a.call('Authorize', { idToken: 'X' });
      assert.deepEqual(result, { idTokenInfo: { status: 'Accepted' }, vars: { getVariableResult: [] } });
      a.close();
    });

    test(`concurrency > 1 keeps that many calls in flight (${v})`, async () => {
      const { endpoint, peer } = setup(rules, { callConcurrency: 3 });
      const calls = Array.from({ length: 5 }, () => endpoint.call('Heartbeat', {}));
      await peer.frame(2);
      await flush();
      assert.equal(peer.texts.length, 3);
      assert.equal(endpoint.pendingCalls, 3);
      assert.equal(endpoint.queuedCalls, 2);
      // Answers in any order free slots.
      peer.send([3, 'id-2', { n: 2 }]);
      await peer.frame(3);
      peer.send([3, 'id-3', { n: 3 }]);
      peer.send([3, 'id-1', { n: 1 }]);
      await peer.frame(4);
      peer.send([3, 'id-4', { n: 4 }]);
      peer.send([3, 'id-5', { n: 5 }]);
      assert.deepEqual(await Promise.all(calls), [{ n: 1 }, { n: 2 }, { n: 3 }, { n: 4 }, { n: 5 }]);
      endpoint.close();
    });

    test(`a full queue rejects at once with QueueFullError (${v})`, async () => {
      const { endpoint, peer } = setup(rules, { maxQueuedCalls: 2 });
      const calls = [endpoint.call('Heartbeat', {}), endpoint.call('Heartbeat', {}), endpoint.call('Heartbeat', {})].map(outcome);
      const refused = endpoint.call('Heartbeat', {});
      const error = await rejection(refused, QueueFullError);
      assert.equal(error.limit, 2);
      assert.equal(calls.filter((c) => c.settled).length, 0);
      await peer.frame(0);
      peer.send([3, 'id-1', {}]);
      await peer.frame(1);
      // A slot opened up in the queue again.
      calls.push(outcome(endpoint.call('Heartbeat', {})));
      endpoint.close();
      await flush();
      assert.deepEqual(
        calls.map((c) => (c.error === undefined ? 'ok' : (c.error as Error).name)),
        ['ok', 'ConnectionClosedError', 'ConnectionClosedError', 'ConnectionClosedError'],
      );
    });

    test(`maxQueuedCalls 0 refuses any call that cannot be sent at once (${v})`, async () => {
      const { endpoint } = setup(rules, { maxQueuedCalls: 0 });
      const first = outcome(endpoint.call('Heartbeat', {}));
      await rejection(endpoint.call('Heartbeat', {}), QueueFullError);
      endpoint.close();
      await flush();
      assert.ok(first.error instanceof ConnectionClosedError);
    });

    // ------------------------------------------------------------ ids

    test(`item 32: a CALL whose id is still being handled gets ${wire.duplicate}; an answered id is processed again (${v})`, async () => {
      const { endpoint, peer } = setup(rules);
      const releases: ((v: unknown) => void)[] = [];
      let runs = 0;
      endpoint.handle('Heartbeat', () => {
        runs++;
        return new Promise((resolve) => releases.push(resolve));
      });
      peer.send([2, 'dup', 'Heartbeat', {}]);
      const reply = await peer.exchange([2, 'dup', 'Heartbeat', {}]);
      assert.deepEqual([reply[0], reply[1], reply[2]], [4, 'dup', wire.duplicate]);
      assert.equal(runs, 1);
      releases[0]({ currentTime: 'a' });
      assert.deepEqual(await peer.frame(1), [3, 'dup', { currentTime: 'a' }]);
      peer.send([2, 'dup', 'Heartbeat', {}]);
      await flush();
      assert.equal(runs, 2, 'an id already answered is processed again (2.1 retries may reuse ids)');
      releases[1]({ currentTime: 'b' });
      assert.deepEqual(await peer.frame(2), [3, 'dup', { currentTime: 'b' }]);
      endpoint.close();
    });

    test(`item 31: a CALLRESULT or CALLERROR for an unknown id is dropped with an event and resolves nothing (${v})`, async () => {
      const { endpoint, peer } = setup(rules);
      const dropped = collect<ResponseDroppedEvent>(endpoint, 'responseDropped');
      const call = outcome(endpoint.call('Heartbeat', {}));
      await peer.frame(0);
      peer.send([3, 'nope', { currentTime: 'wrong' }]);
      peer.send([4, 'nope2', 'GenericError', '', {}]);
      await flush();
      assert.equal(call.settled, false);
      assert.deepEqual(
        dropped.map((d) => [d.direction, d.messageId, d.reason, d.frame.type]),
        [
          ['inbound', 'nope', 'unknown-id', 3],
          ['inbound', 'nope2', 'unknown-id', 4],
        ],
      );
      assert.equal(peer.texts.length, 1, 'never answered');
      peer.send([3, 'id-1', { currentTime: 'right' }]);
      await flush();
      assert.deepEqual(call.value, { currentTime: 'right' });
      endpoint.close();
    });

    test(`generateId returning an invalid or in-use id rejects the call instead of sending it (${v})`, async () => {
      const ids = ['x'.repeat(37), 'same', 'same'];
      const { endpoint, peer } = setup(rules, { generateId: () => ids.shift()!, callConcurrency: 2 });
      await rejection(endpoint.call('Heartbeat', {}), TypeError);
      const first = outcome(endpoint.call('Heartbeat', {}));
      const error = await rejection(endpoint.call('Heartbeat', {}), Error);
      assert.match(error.message, /already uses/);
      await peer.frame(0);
      await flush();
      assert.equal(peer.texts.length, 1);
      endpoint.close();
      await flush();
      assert.ok(first.error instanceof ConnectionClosedError);
    });

    // ------------------------------------------------------------ timeouts, abort, close

    describe('with fake timers', () => {
      beforeEach(() => mock.timers.enable({ apis: ['setTimeout', 'Date'], now: 1_000_000 }));
      afterEach(() => mock.timers.reset());

      test(`item 30: a call times out with TimeoutError naming action, id and peer, and frees its slot (${v})`, async () => {
        const { endpoint, peer } = setup(rules, { callTimeoutMs: 5000, identity: 'CP001' });
        const first = endpoint.call('Reset', {});
        const second = outcome(endpoint.call('Heartbeat', {}));
        await peer.frame(0);
        mock.timers.tick(4999);
        await flush();
        assert.equal(peer.texts.length, 1);
        mock.timers.tick(1);
        const error = await rejection(first, TimeoutError);
        assert.equal(error.message, 'Reset call id-1 to CP001 timed out after 5000 ms');
        assert.deepEqual([error.action, error.messageId, error.identity, error.timeoutMs], ['Reset', 'id-1', 'CP001', 5000]);
        assert.deepEqual(await peer.frame(1), [2, 'id-2', 'Heartbeat', {}], 'the slot was freed for the queued call');
        endpoint.close();
        await flush();
        assert.ok(second.error instanceof ConnectionClosedError);
      });

      test(`item 31: a late answer to a timed-out call is dropped as 'late' and does not resolve the next call (${v})`, async () => {
        const { endpoint, peer } = setup(rules, { callTimeoutMs: 1000 });
        const dropped = collect<ResponseDroppedEvent>(endpoint, 'responseDropped');
        const first = outcome(endpoint.call('Reset', {}));
        const second = outcome(endpoint.call('Heartbeat', {}));
        await peer.frame(0);
        mock.timers.tick(1000);
        await peer.frame(1);
        peer.send([3, 'id-1', { status: 'Accepted' }]);
        await flush();
        assert.ok(first.error instanceof TimeoutError);
        assert.equal(second.settled, false);
        assert.deepEqual(
          dropped.map((d) => [d.messageId, d.action, d.reason]),
          [['id-1', 'Reset', 'late']],
        );
        endpoint.close();
        await flush();
      });

      test(`per-call timeoutMs overrides the default, and an earlier deadline re-arms the timer (${v})`, async () => {
        const { endpoint, peer } = setup(rules, { callTimeoutMs: 60_000, callConcurrency: 2 });
        const slow = outcome(endpoint.call('Heartbeat', {}));
        const fast = outcome(endpoint.call('Heartbeat', {}, { timeoutMs: 100 }));
        await peer.frame(1);
        mock.timers.tick(100);
        await flush();
        assert.ok(fast.error instanceof TimeoutError);
        assert.equal(fast.error.timeoutMs, 100);
        assert.equal(slow.settled, false);
        mock.timers.tick(59_900);
        await flush();
        assert.ok(slow.error instanceof TimeoutError);
        endpoint.close();
      });

      test(`item 33: close rejects in-flight and queued calls, and later calls reject (${v})`, async () => {
        const { endpoint, peer } = setup(rules);
        const closes = collect<{ code: number; reason: string }>(endpoint, 'close');
        const inFlight = endpoint.call('Reset', {});
        const queued = endpoint.call('Heartbeat', {});
        await peer.frame(0);
        endpoint.close(4001, 'going away');
        const e1 = await rejection(inFlight, ConnectionClosedError);
        assert.deepEqual([e1.code, e1.reason, e1.action, e1.messageId], [4001, 'going away', 'Reset', 'id-1']);
        const e2 = await rejection(queued, ConnectionClosedError);
        assert.deepEqual([e2.action, e2.messageId], ['Heartbeat', undefined]);
        assert.equal(endpoint.pendingCalls + endpoint.queuedCalls, 0);
        const after = await rejection(endpoint.call('Heartbeat', {}), ConnectionClosedError);
        assert.equal(after.code, 4001);
        endpoint.close();
        await flush();
        assert.deepEqual(closes, [{ code: 4001, reason: 'going away' }], 'close is emitted once');
        assert.deepEqual(peer.closed, { code: 4001, reason: 'going away' });
        mock.timers.tick(DEFAULT_CALL_TIMEOUT_MS * 2);
        await flush();
        assert.equal(peer.texts.length, 1, 'no deadline fires after close');
      });

      test(`item 33: a close by the transport settles everything the same way (${v})`, async () => {
        const { endpoint, peer } = setup(rules);
        const closes = collect<{ code: number; reason: string }>(endpoint, 'close');
        const call = endpoint.call('Reset', {});
        await peer.frame(0);
        peer.transport.close(1006, 'abnormal');
        const error = await rejection(call, ConnectionClosedError);
        assert.equal(error.code, 1006);
        assert.equal(endpoint.closed, true);
        assert.deepEqual(closes, [{ code: 1006, reason: 'abnormal' }]);
      });

      test(`abort: a queued call is removed unsent, an in-flight one rejects and frees its slot (${v})`, async () => {
        const { endpoint, peer } = setup(rules);
        const dropped = collect<ResponseDroppedEvent>(endpoint, 'responseDropped');
        const inFlightCtl = new AbortController();
        const queuedCtl = new AbortController();
        const inFlight = endpoint.call('Reset', {}, { signal: inFlightCtl.signal });
        const queued = endpoint.call('Authorize', {}, { signal: queuedCtl.signal });
        const third = endpoint.call('Heartbeat', {});
        await peer.frame(0);
        const reason = new Error('user cancelled');
        queuedCtl.abort(reason);
        const qe = await rejection(queued, AbortError);
        assert.equal(qe.cause, reason);
        assert.equal(qe.messageId, undefined, 'never sent');
        assert.equal(endpoint.queuedCalls, 1);
        inFlightCtl.abort();
        const fe = await rejection(inFlight, AbortError);
        assert.equal(fe.messageId, 'id-1');
        assert.deepEqual(await peer.frame(1), [2, 'id-3', 'Heartbeat', {}], 'the aborted queued call was skipped');
        peer.send([3, 'id-1', {}]);
        peer.send([3, 'id-3', {}]);
        await third;
        assert.deepEqual(
          dropped.map((d) => [d.messageId, d.reason]),
          [['id-1', 'late']],
        );
        endpoint.close();
        assert.equal(endpoint.queuedCalls, 0);
      });

      test(`abort: a queued call aborted before close is not settled or counted twice (${v})`, async () => {
        const { endpoint, peer } = setup(rules);
        const ctl = new AbortController();
        const first = outcome(endpoint.call('Heartbeat', {}));
        const aborted = outcome(endpoint.call('Heartbeat', {}, { signal: ctl.signal }));
        const kept = outcome(endpoint.call('Heartbeat', {}));
        await peer.frame(0);
        ctl.abort();
        assert.equal(endpoint.queuedCalls, 1);
        endpoint.close();
        await flush();
        assert.deepEqual([endpoint.pendingCalls, endpoint.queuedCalls], [0, 0]);
        assert.deepEqual([first.count, aborted.count, kept.count], [1, 1, 1]);
        assert.ok(aborted.error instanceof AbortError);
        assert.ok(kept.error instanceof ConnectionClosedError);
      });

      test(`abort: an already-aborted signal rejects at once and sends nothing (${v})`, async () => {
        const { endpoint, peer } = setup(rules);
        const reason = new Error('too late');
        await rejection(endpoint.call('Heartbeat', {}, { signal: AbortSignal.abort(reason) }), AbortError);
        await flush();
        assert.equal(peer.texts.length, 0);
        endpoint.close();
      });

      describe('exactly-once settlement under races', () => {
        test(`answer then deadline in the same tick: resolves, no TimeoutError (${v})`, async () => {
          const { endpoint, peer } = setup(rules, { callTimeoutMs: 1000 });
          const call = outcome(endpoint.call('Heartbeat', {}));
          await peer.frame(0);
          mock.timers.tick(999);
          peer.send([3, 'id-1', { ok: 1 }]);
          await Promise.resolve();
          await Promise.resolve();
          mock.timers.tick(1);
          await flush();
          assert.equal(call.count, 1);
          assert.deepEqual(call.value, { ok: 1 });
          endpoint.close();
        });

        test(`deadline then answer in the same tick: TimeoutError, the answer is dropped (${v})`, async () => {
          const { endpoint, peer } = setup(rules, { callTimeoutMs: 1000 });
          const dropped = collect<ResponseDroppedEvent>(endpoint, 'responseDropped');
          const call = outcome(endpoint.call('Heartbeat', {}));
          await peer.frame(0);
          peer.send([3, 'id-1', { ok: 1 }]); // queued as a microtask, delivered after the tick below
          mock.timers.tick(1000);
          await flush();
          assert.equal(call.count, 1);
          assert.ok(call.error instanceof TimeoutError);
          assert.equal(dropped.length, 1);
          endpoint.close();
        });

        test(`abort and answer in the same tick settle once (${v})`, async () => {
          const { endpoint, peer } = setup(rules);
          const ctl = new AbortController();
          const call = outcome(endpoint.call('Heartbeat', {}, { signal: ctl.signal }));
          await peer.frame(0);
          peer.send([3, 'id-1', {}]);
          ctl.abort();
          await flush();
          assert.equal(call.count, 1);
          assert.ok(call.error instanceof AbortError);
          endpoint.close();
        });

        test(`close, abort, deadline and answer together settle once (${v})`, async () => {
          const { endpoint, peer } = setup(rules, { callTimeoutMs: 10 });
          const ctl = new AbortController();
          const call = outcome(endpoint.call('Heartbeat', {}, { signal: ctl.signal }));
          await peer.frame(0);
          peer.send([3, 'id-1', {}]);
          mock.timers.tick(10);
          ctl.abort();
          endpoint.close();
          await flush();
          assert.equal(call.count, 1);
          assert.ok(call.error instanceof TimeoutError);
        });

        test(`answer then close: resolved, not rejected (${v})`, async () => {
          const { endpoint, peer } = setup(rules);
          const call = outcome(endpoint.call('Heartbeat', {}));
          await peer.frame(0);
          peer.send([3, 'id-1', { ok: true }]);
          await Promise.resolve();
          endpoint.close();
          await flush();
          assert.equal(call.count, 1);
          assert.deepEqual(call.value, { ok: true });
        });
      });

      test(`captureCallStack puts the caller's stack on the error (${v})`, async () => {
        const { endpoint, peer } = setup(rules, { callTimeoutMs: 10, captureCallStack: true });
        async function distinctiveCallerName(): Promise<unknown> {
          return endpoint.call('Heartbeat', {});
        }
        const call = distinctiveCallerName();
        await peer.frame(0);
        mock.timers.tick(10);
        const error = await rejection(call, TimeoutError);
        assert.match(error.stack ?? '', /^TimeoutError: Heartbeat call id-1 timed out after 10 ms\n/);
        assert.match(error.stack ?? '', /distinctiveCallerName/);
        endpoint.close();
      });
    });

    // ------------------------------------------------------------ events

    test(`frame events cover every frame in and out, including CALLERRORs we send (${v})`, async () => {
      const { endpoint, peer } = setup(rules);
      const frames = collect<FrameEvent>(endpoint, 'frame');
      endpoint.handle('Heartbeat', () => ({ currentTime: 't' }));
      const call = endpoint.call('Reset', { type: 'Hard' });
      await peer.frame(0);
      peer.send([3, 'id-1', { status: 'Accepted' }]);
      await call;
      await peer.exchange([2, 'in-1', 'Heartbeat', {}]);
      await peer.exchange([2, 'in-2', 'Reset', {}]);
      assert.deepEqual(
        frames.map((f) => [f.direction, f.frame.type, f.messageId, f.action]),
        [
          ['outbound', 2, 'id-1', 'Reset'],
          ['inbound', 3, 'id-1', 'Reset'],
          ['inbound', 2, 'in-1', 'Heartbeat'],
          ['outbound', 3, 'in-1', 'Heartbeat'],
          ['inbound', 2, 'in-2', 'Reset'],
          ['outbound', 4, 'in-2', 'Reset'],
        ],
      );
      assert.equal(frames[0].text, peer.texts[0]);
      assert.deepEqual(frames[5].frame, {
        type: 4,
        messageId: 'in-2',
        errorCode: 'NotSupported',
        errorDescription: 'Action Reset is not supported',
        errorDetails: {},
      });
      endpoint.close();
    });

    test(`a listener added at any time gets the events from then on (${v})`, async () => {
      const { endpoint, peer } = setup(rules);
      endpoint.handle('Heartbeat', () => ({}));
      await peer.exchange([2, 'h1', 'Heartbeat', {}]);
      const frames = collect<FrameEvent>(endpoint, 'frame');
      await peer.exchange([2, 'h2', 'Heartbeat', {}]);
      assert.deepEqual(
        frames.map((f) => [f.direction, f.messageId]),
        [
          ['inbound', 'h2'],
          ['outbound', 'h2'],
        ],
      );
      endpoint.close();
    });

    test(`a throwing event listener does not break the state machine (${v})`, async () => {
      const { endpoint, peer } = setup(rules);
      // The endpoint re-throws listener errors from a microtask; catch them there instead of crashing the runner.
      const reported: unknown[] = [];
      const realQueueMicrotask = globalThis.queueMicrotask;
      globalThis.queueMicrotask = (callback) =>
        realQueueMicrotask(() => {
          try {
            callback();
          } catch (error) {
            reported.push(error);
          }
        });
      try {
        endpoint.on('frame', () => {
          throw new Error('listener bug');
        });
        endpoint.handle('Heartbeat', () => ({}));
        const call = endpoint.call('Heartbeat', {});
        await peer.frame(0);
        peer.send([3, 'id-1', { ok: 1 }]);
        assert.deepEqual(await call, { ok: 1 });
        assert.deepEqual(await peer.exchange([2, 'h1', 'Heartbeat', {}]), [3, 'h1', {}]);
        await flush();
        assert.ok(reported.length >= 1);
        assert.ok(reported.every((e) => (e as Error).message === 'listener bug'));
      } finally {
        globalThis.queueMicrotask = realQueueMicrotask;
        endpoint.close();
      }
    });
  });
}

// ---------------------------------------------------------------- OCPP 2.1 only

describe('RpcEndpoint (ocpp2.1 SEND and CALLRESULTERROR)', () => {
  test('item 25: an inbound SEND is dispatched to its handler and never answered (ocpp2.1)', async () => {
    const { endpoint, peer } = setup(rules21);
    const got: unknown[] = [];
    endpoint.handle('NotifyPeriodicEventStream', (req, ctx) => {
      got.push([req, ctx.messageId]);
      return { ignored: true };
    });
    endpoint.handle('Heartbeat', () => ({}));
    peer.send([6, 's1', 'NotifyPeriodicEventStream', { data: [1] }]);
    peer.send([6, 's2', 'MakeCoffee', {}]);
    peer.send([6, 's3', 'Reset', {}]);
    peer.send([2, 'ok', 'Heartbeat', {}]);
    assert.deepEqual(await peer.frame(0), [3, 'ok', {}]);
    await flush();
    assert.equal(peer.texts.length, 1, 'no answer to any SEND, even unknown or unhandled ones');
    assert.deepEqual(got, [[{ data: [1] }, 's1']]);
    endpoint.close();
  });

  test('item 25: a failing SEND handler is reported locally and not answered (ocpp2.1)', async () => {
    const { endpoint, peer } = setup(rules21);
    const errors = collect<HandlerErrorEvent>(endpoint, 'handlerError');
    const boom = new Error('boom');
    endpoint.handle('NotifyPeriodicEventStream', () => Promise.reject(boom));
    peer.send([6, 's1', 'NotifyPeriodicEventStream', {}]);
    await flush();
    assert.deepEqual(
      errors.map((e) => [e.messageId, e.error]),
      [['s1', boom]],
    );
    assert.equal(peer.texts.length, 0);
    endpoint.close();
  });

  test('item 25: send() goes out while a CALL is pending and is validated (ocpp2.1)', async () => {
    const validator = new FakeValidator().fail('NotifyPeriodicEventStream', 'request', 'outbound', (p) =>
      (p as { bad?: boolean }).bad ? { code: 'TypeConstraintViolation', detail: 'bad', enforced: true } : undefined,
    );
    const { endpoint, peer } = setup(rules21, { validator });
    const call = outcome(endpoint.call('Reset', {}));
    const id = endpoint.send('NotifyPeriodicEventStream', { data: [] });
    assert.equal(id, 'id-2');
    await peer.frame(1);
    assert.deepEqual(peer.frames, [
      [2, 'id-1', 'Reset', {}],
      [6, 'id-2', 'NotifyPeriodicEventStream', { data: [] }],
    ]);
    assert.throws(() => endpoint.send('NotifyPeriodicEventStream', { bad: true }), ValidationError);
    endpoint.close();
    assert.throws(() => endpoint.send('NotifyPeriodicEventStream', {}), ConnectionClosedError);
    await flush();
    assert.ok(call.error instanceof ConnectionClosedError);
  });

  test('item 26: an invalid CALLRESULT is rejected with a CALLRESULTERROR carrying its id (ocpp2.1)', async () => {
    const validator = new FakeValidator().fail('Reset', 'response', 'inbound', {
      code: 'PropertyConstraintViolation',
      detail: '/status: bad enum',
      enforced: true,
    });
    const { endpoint, peer } = setup(rules21, { validator });
    const call = endpoint.call('Reset', {});
    await peer.frame(0);
    peer.send([3, 'id-1', { status: 'Maybe' }]);
    await rejection(call, ValidationError);
    assert.deepEqual(await peer.frame(1), [5, 'id-1', 'PropertyConstraintViolation', '/status: bad enum', {}]);
    endpoint.close();
  });

  test('an inbound CALLRESULTERROR is reported and never answered or matched to our calls (ocpp2.1)', async () => {
    const { endpoint, peer } = setup(rules21);
    const events: { messageId: string; error: RpcError }[] = [];
    endpoint.on('callResultError', (e) => events.push(e));
    const call = outcome(endpoint.call('Heartbeat', {}));
    await peer.frame(0);
    peer.send([5, 'id-1', 'FormatViolation', 'your result was bad', { p: 1 }]);
    await flush();
    assert.equal(call.settled, false, 'a CALLRESULTERROR is not an answer to our CALL');
    assert.equal(events.length, 1);
    assert.ok(events[0].error instanceof FormatViolationError);
    assert.equal(events[0].error.description, 'your result was bad');
    assert.equal(peer.texts.length, 1);
    endpoint.close();
  });
});

// ---------------------------------------------------------------- options and lifecycle

describe('RpcEndpoint options', () => {
  const [transport] = createMemoryTransportPair();
  const base = { transport, rules: rules201 };

  test('defaults are the exported constants', () => {
    const endpoint = new RpcEndpoint({ ...base });
    assert.equal(endpoint.options.callTimeoutMs, DEFAULT_CALL_TIMEOUT_MS);
    assert.equal(endpoint.options.callConcurrency, DEFAULT_CALL_CONCURRENCY);
    assert.equal(endpoint.options.maxQueuedCalls, DEFAULT_MAX_QUEUED_CALLS);
    assert.equal(DEFAULT_CALL_TIMEOUT_MS, 30_000);
    assert.equal(DEFAULT_CALL_CONCURRENCY, 1);
    assert.equal(endpoint.options.captureCallStack, false);
    assert.ok(Object.isFrozen(endpoint.options));
    endpoint.close();
  });

  test('endpoints built over shared options (as a server builds its stations) behave the same and report the same options', async () => {
    const shared = resolveSharedOptions({ rules: rules201, callTimeoutMs: 5000, maxInboundCalls: 4 });
    assert.ok(Object.isFrozen(shared));
    assert.throws(
      () => resolveSharedOptions({ rules: rules201, callTimeoutMs: -1 }),
      /^TypeError: callTimeoutMs must be a positive integer up to 2147483647, got -1$/,
    );
    const [a, b] = createMemoryTransportPair();
    const context = { site: 'north' };
    const endpoint = new RpcEndpoint(withSharedOptions(shared, { transport: a, identity: 'CS-1', context }) as unknown as RpcEndpointOptions<{ site: string }>);
    const peer = new RpcEndpoint({ transport: b, rules: rules201 });
    peer.handle('Heartbeat', () => ({ currentTime: '2024-01-01T00:00:00Z' }));
    endpoint.handle('DataTransfer', (_req, ctx) => ({ status: 'Accepted', data: ctx.site }));
    assert.deepEqual(await endpoint.call('Heartbeat', {}), { currentTime: '2024-01-01T00:00:00Z' });
    assert.deepEqual(await peer.call('DataTransfer', { vendorId: 'v' }), { status: 'Accepted', data: 'north' });
    const plain = new RpcEndpoint({
      transport: createMemoryTransportPair()[0],
      rules: rules201,
      callTimeoutMs: 5000,
      maxInboundCalls: 4,
      identity: 'CS-1',
      context,
    });
    const { transport: t1, ...fromShared } = endpoint.options;
    const { transport: t2, ...fromPlain } = plain.options;
    assert.equal(t1, a);
    assert.notEqual(t2, a);
    assert.deepEqual(fromShared, fromPlain);
    assert.ok(Object.isFrozen(endpoint.options));
    assert.equal(endpoint.options, endpoint.options, 'made once');
    endpoint.close();
    peer.close();
    plain.close();
  });

  test('a wrong option throws a TypeError naming the option and the value', () => {
    const cases: [Record<string, unknown>, RegExp][] = [
      [{ callTimeoutMs: -1 }, /^callTimeoutMs must be a positive integer up to 2147483647, got -1$/],
      [{ callTimeoutMs: 0 }, /^callTimeoutMs must be a positive integer up to 2147483647, got 0$/],
      [{ callTimeoutMs: 1.5 }, /^callTimeoutMs must be a positive integer up to 2147483647, got 1.5$/],
      [{ callTimeoutMs: Infinity }, /^callTimeoutMs must be a positive integer up to 2147483647, got Infinity$/],
      [{ callTimeoutMs: NaN }, /^callTimeoutMs must be a positive integer up to 2147483647, got NaN$/],
      [{ callTimeoutMs: '30' }, /^callTimeoutMs must be a positive integer up to 2147483647, got "30"$/],
      [{ callTimeoutMs: 2 ** 31 }, /^callTimeoutMs must be a positive integer up to 2147483647, got 2147483648$/],
      [{ badMessageWindowMs: 0.5 }, /^badMessageWindowMs must be a positive integer up to 2147483647, got 0.5$/],
      [{ maxInboundCalls: 0 }, /^maxInboundCalls must be a positive integer or Infinity, got 0$/],
      [{ maxBadMessages: 1.5 }, /^maxBadMessages must be a non-negative integer or Infinity, got 1.5$/],
      [{ callConcurrency: 0 }, /^callConcurrency must be a positive integer, got 0$/],
      [{ callConcurrency: 1.5 }, /^callConcurrency must be a positive integer, got 1.5$/],
      [{ maxQueuedCalls: -1 }, /^maxQueuedCalls must be a non-negative integer or Infinity, got -1$/],
      [{ generateId: 'uuid' }, /^generateId must be a function, got "uuid"$/],
      [{ now: 5 }, /^now must be a function, got 5$/],
      [{ captureCallStack: 'yes' }, /^captureCallStack must be a boolean/],
      [{ identity: 42 }, /^identity must be a string, got 42$/],
      [{ context: [] }, /^context must be an object, got an array$/],
      [{ context: { signal: 1 } }, /^context must not set "signal"/],
      [{ context: { protocol: 'ocpp9' } }, /^context must not set "protocol"/],
      [{ context: { identity: 'someone-else' } }, /^context must not set "identity"/],
      [{ fallbackHandler: {} }, /^fallbackHandler must be a function, got an object$/],
      [{ validator: {} }, /^validator must be a PayloadValidator/],
      [{ transport: undefined }, /^transport must be a Transport object, got undefined$/],
      [{ transport: { send() {}, close() {} } }, /^transport.setSink must be a function/],
      [{ rules: undefined }, /^rules must be a ProtocolRules object/],
      [{ rules: { ...rules201, framingErrorCode: 'Oops' } }, /^rules.framingErrorCode must be a canonical RPC error code, got "Oops"$/],
      [{ rules: { ...rules201, unreadableIdReply: 'yes' } }, /^rules.unreadableIdReply must be a boolean/],
      [{ rules: { ...rules201, maxErrorDescriptionLength: -5 } }, /^rules.maxErrorDescriptionLength must be a non-negative integer/],
    ];
    for (const [override, message] of cases) {
      assert.throws(
        () => new RpcEndpoint({ ...base, ...override }),
        (e: unknown) => e instanceof TypeError && message.test(e.message),
        JSON.stringify(Object.keys(override)),
      );
    }
  });

  test('without globalThis.crypto.randomUUID, generateId is required', () => {
    const descriptor = Object.getOwnPropertyDescriptor(globalThis, 'crypto')!;
    Object.defineProperty(globalThis, 'crypto', { value: undefined, configurable: true, writable: true });
    try {
      assert.throws(() => new RpcEndpoint({ ...base }), /^TypeError: generateId is required/);
      new RpcEndpoint({ ...base, generateId: () => 'x' }).close();
    } finally {
      Object.defineProperty(globalThis, 'crypto', descriptor);
    }
  });

  test('wrong per-call options reject with a TypeError naming the option', async () => {
    const { endpoint } = setup(rules201);
    await assert.rejects(endpoint.call('Heartbeat', {}, { timeoutMs: -5 }), /^TypeError: timeoutMs must be a positive integer up to 2147483647, got -5$/);
    await assert.rejects(endpoint.call('Heartbeat', {}, { timeoutMs: 1.5 }), /^TypeError: timeoutMs must be a positive integer up to 2147483647, got 1.5$/);
    await assert.rejects(endpoint.call('Heartbeat', {}, { validate: 'no' as never }), /validate must be a boolean/);
    await assert.rejects(endpoint.call('Heartbeat', {}, { signal: {} as never }), /signal must be an AbortSignal/);
    await assert.rejects(endpoint.call('' as never, {}), /action must be a non-empty string/);
    assert.equal(endpoint.pendingCalls, 0);
    endpoint.close();
  });

  test('a payload that cannot be a JSON object rejects the call and sends nothing', async () => {
    const { endpoint, peer } = setup(rules201);
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    await assert.rejects(endpoint.call('DataTransfer', cyclic), TypeError);
    await assert.rejects(endpoint.call('DataTransfer', [1, 2] as never), TypeError);
    await flush();
    assert.equal(peer.texts.length, 0);
    endpoint.close();
  });

  test('a handler response that cannot be serialized becomes InternalError and a handlerError event', async () => {
    const { endpoint, peer } = setup(rules16);
    const errors = collect<HandlerErrorEvent>(endpoint, 'handlerError');
    endpoint.handle('DataTransfer', () => 'not an object');
    const reply = await peer.exchange([2, 'd1', 'DataTransfer', {}]);
    assert.deepEqual([reply[0], reply[1], reply[2]], [4, 'd1', 'InternalError']);
    assert.equal(errors.length, 1);
    assert.ok(errors[0].error instanceof TypeError);
    endpoint.close();
  });
});

describe('unhandled rejections', () => {
  test('a mix of failures leaves no unhandled rejection behind', async () => {
    const local = guardUnhandledRejections();
    mock.timers.enable({ apis: ['setTimeout', 'Date'] });
    try {
      for (const rules of ALL_RULES) {
        const validator = new FakeValidator().fail('Heartbeat', 'response', 'outbound', { code: 'FormatViolation', detail: 'x', enforced: true });
        const { endpoint, peer } = setup(rules, { callTimeoutMs: 10, validator });
        endpoint.handle('Reset', () => Promise.reject(new Error('handler rejects')));
        endpoint.handle('Authorize', () => Promise.reject(new NotSupportedError({ description: 'no' })));
        endpoint.handle('Heartbeat', () => Promise.resolve({}));
        // The endpoint aborts a handler's signal with a ConnectionClosedError.
        endpoint.handle(
          'StatusNotification',
          (_r, ctx) => new Promise((_res, rej) => ctx.signal.addEventListener('abort', () => rej(ctx.signal.reason as Error))),
        );
        const ctl = new AbortController();
        // The caller's own promises are observed at once; what is tested is that the endpoint creates no stray rejection of its own.
        const settled = Promise.allSettled([
          endpoint.call('Heartbeat', {}),
          endpoint.call('Heartbeat', {}),
          endpoint.call('Heartbeat', {}),
          endpoint.call('Heartbeat', {}, { signal: ctl.signal }),
        ]);
        for (const [i, action] of ['Reset', 'Authorize', 'Heartbeat', 'StatusNotification'].entries()) peer.send([2, `in-${i}`, action, {}]);
        peer.sendText('garbage');
        await peer.frame(0);
        mock.timers.tick(10);
        ctl.abort();
        await flush();
        endpoint.close();
        assert.deepEqual(
          (await settled).map((s) => (s.status === 'rejected' ? (s.reason as Error).name : 'fulfilled')),
          ['TimeoutError', 'ConnectionClosedError', 'ConnectionClosedError', 'AbortError'],
        );
      }
    } finally {
      mock.timers.reset();
    }
    await local.check();
  });
});

describe('memory transport', () => {
  test('delivers in order, asynchronously, and propagates close to both ends once', async () => {
    const [a, b] = createMemoryTransportPair();
    const got: string[] = [];
    const closes: string[] = [];
    a.setSink({ message: (t) => got.push(`a:${t}`), close: (c, r) => closes.push(`a:${c}:${r}`) });
    b.setSink({ message: (t) => got.push(`b:${t}`), close: (c, r) => closes.push(`b:${c}:${r}`) });
    a.send('1');
    a.send('2');
    b.send('3');
    assert.deepEqual(got, [], 'asynchronous');
    a.close(4000, 'done');
    a.send('after');
    b.send('after');
    a.close(1000, 'again');
    await flush();
    assert.deepEqual(got, ['b:1', 'b:2', 'a:3']);
    assert.deepEqual(closes.sort(), ['a:4000:done', 'b:4000:done']);
  });

  test('frames sent before the receiving end has a sink wait for it', async () => {
    const [a, b] = createMemoryTransportPair();
    a.send('early');
    await flush();
    const got: string[] = [];
    b.setSink({ message: (t) => got.push(t), close: () => {} });
    assert.deepEqual(got, ['early']);
  });
});

// Type-level checks: compiled by `tsc --noEmit`, which is part of `npm test`.
interface StationCalls {
  Heartbeat: { request: Record<string, never>; response: { currentTime: string } };
}
interface CsmsCalls {
  Reset: { request: { type: 'Hard' | 'Soft' }; response: { status: 'Accepted' | 'Rejected' } };
}
function typeChecks(endpoint: RpcEndpoint<StationCalls, CsmsCalls>): void {
  const response: Promise<{ currentTime: string }> = endpoint.call('Heartbeat', {});
  void response;
  // @ts-expect-error Reset is not an action this side may call
  void endpoint.call('Reset', { type: 'Hard' });
  endpoint.handle('Reset', (req) => ({ status: req.type === 'Hard' ? 'Accepted' : 'Rejected' }));
  // @ts-expect-error a handler must return the action's response shape
  endpoint.handle('Reset', () => ({ status: 'Maybe' }));
  // @ts-expect-error Heartbeat is not an action this side handles
  endpoint.handle('Heartbeat', () => ({ currentTime: '' }));
}
void typeChecks;
void (rules16 satisfies ProtocolRules);
