import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, mock, test } from 'node:test';
import fc from 'fast-check';
import '../support/property';
import { RpcEndpoint } from '../../src/core/endpoint';
import { isValidMessageId, parseFrame, serializeFrame, type FrameInit } from '../../src/core/frames';
import type { ProtocolRules } from '../../src/core/protocol-rules';
import type { Transport, TransportSink } from '../../src/core/transport';
import { counterIds, flush, guardUnhandledRejections } from '../support/harness';
import { ALL_RULES, KNOWN_ACTIONS } from '../support/protocol-rules';

const RUNS = Number(process.env.FC_RUNS ?? 300);

let guard: ReturnType<typeof guardUnhandledRejections>;
beforeEach(() => {
  guard = guardUnhandledRejections();
});
afterEach(async () => {
  await guard.check();
});

// ---------------------------------------------------------------- generators

const actions = fc.oneof(fc.constantFrom(...KNOWN_ACTIONS, 'MakeCoffee', 'heartbeat'), fc.string({ maxLength: 10 }));
const ids = fc.oneof(fc.uuid(), fc.string({ minLength: 1, maxLength: 36 }), fc.constantFrom('-1', '1', 'a'.repeat(36)));
const payloads = fc.dictionary(fc.string({ maxLength: 8 }), fc.jsonValue({ maxDepth: 3 }), { maxKeys: 4 });

/** Valid frames of all five types, as arrays. */
const validFrames: fc.Arbitrary<unknown[]> = fc.oneof(
  fc.tuple(
    fc.constant(2),
    ids,
    actions.filter((a) => a.length > 0),
    payloads,
  ),
  fc.tuple(fc.constant(3), ids, payloads),
  fc.tuple(fc.constant(4), ids, fc.string({ maxLength: 30 }), fc.string({ maxLength: 30 }), payloads),
  fc.tuple(fc.constant(5), ids, fc.string({ maxLength: 30 }), fc.string({ maxLength: 30 }), payloads),
  fc.tuple(
    fc.constant(6),
    ids,
    actions.filter((a) => a.length > 0),
    payloads,
  ),
);

const anyJson = fc.jsonValue({ maxDepth: 2 });

/** One structural change to a frame array. */
const mutation = fc.oneof(
  fc.record({ op: fc.constant('drop' as const), at: fc.nat(6) }),
  fc.record({ op: fc.constant('add' as const), at: fc.nat(6), value: anyJson }),
  fc.record({ op: fc.constant('replace' as const), at: fc.nat(5), value: anyJson }),
  fc.record({ op: fc.constant('longId' as const), length: fc.integer({ min: 37, max: 80 }) }),
  fc.record({ op: fc.constant('numberId' as const), value: fc.integer() }),
  fc.record({
    op: fc.constant('type' as const),
    value: fc.oneof(fc.integer({ min: -2, max: 9 }), fc.double(), fc.string({ maxLength: 2 }), fc.constant(null)),
  }),
  fc.record({ op: fc.constant('nullPayload' as const) }),
);

function mutate(frame: unknown[], changes: { op: string; at?: number; value?: unknown; length?: number }[]): unknown[] {
  const out = frame.slice();
  for (const change of changes) {
    switch (change.op) {
      case 'drop':
        out.splice(change.at! % (out.length + 1), 1);
        break;
      case 'add':
        out.splice(change.at! % (out.length + 1), 0, change.value);
        break;
      case 'replace':
        if (out.length > 0) out[change.at! % out.length] = change.value;
        break;
      case 'longId':
        out[1] = 'x'.repeat(change.length!);
        break;
      case 'numberId':
        out[1] = change.value;
        break;
      case 'type':
        out[0] = change.value;
        break;
      case 'nullPayload':
        out[out.length - 1] = null;
        break;
    }
  }
  return out;
}

/** A frame mutated structurally, then possibly cut or spliced as text. */
const mutatedTexts: fc.Arbitrary<string> = fc
  .tuple(validFrames, fc.array(mutation, { minLength: 0, maxLength: 3 }), fc.option(fc.tuple(fc.nat(200), fc.string({ maxLength: 3 }))))
  .map(([frame, changes, textEdit]) => {
    let text = JSON.stringify(mutate(frame, changes));
    if (textEdit !== null) {
      const [at, insert] = textEdit;
      const i = at % (text.length + 1);
      text = text.slice(0, i) + insert + text.slice(i + (insert.length === 0 ? 1 : 0));
    }
    return text;
  });

/** Everything the endpoint may be fed. */
const anyInput: fc.Arbitrary<string> = fc.oneof(
  { arbitrary: mutatedTexts, weight: 6 },
  { arbitrary: validFrames.map((f) => JSON.stringify(f)), weight: 2 },
  { arbitrary: fc.string({ unit: 'binary', maxLength: 40 }), weight: 1 },
  { arbitrary: fc.string({ unit: 'grapheme', maxLength: 40 }), weight: 1 },
  { arbitrary: fc.json({ maxDepth: 3 }), weight: 1 },
);

// ---------------------------------------------------------------- parser

describe('parseFrame properties', () => {
  function checkParse(text: string): void {
    const result = parseFrame(text);
    if (result.ok) {
      assert.ok([2, 3, 4, 5, 6].includes(result.frame.type));
      assert.ok(isValidMessageId(result.frame.messageId));
    } else {
      const { error } = result;
      assert.ok(
        ['not-json', 'not-array', 'bad-message-type', 'unknown-message-type', 'bad-message-id', 'message-id-too-long', 'wrong-length', 'bad-field'].includes(
          error.kind,
        ),
      );
      if (error.messageId !== undefined) assert.ok(isValidMessageId(error.messageId), 'a reported id is always a valid one');
      assert.equal(typeof error.detail, 'string');
    }
  }

  test('never throws on arbitrary strings, including lone surrogates and graphemes', () => {
    fc.assert(fc.property(fc.string({ unit: 'binary' }), checkParse), { numRuns: RUNS * 3 });
    fc.assert(fc.property(fc.string({ unit: 'grapheme' }), checkParse), { numRuns: RUNS });
  });

  test('never throws on arbitrary JSON values', () => {
    fc.assert(fc.property(fc.json(), checkParse), { numRuns: RUNS * 3 });
    fc.assert(
      fc.property(fc.array(anyJson, { maxLength: 7 }), (arr) => checkParse(JSON.stringify(arr))),
      { numRuns: RUNS * 3 },
    );
  });

  test('items 1, 2: never throws on mutated frames (dropped or added elements, changed types, long or numeric ids)', () => {
    fc.assert(fc.property(mutatedTexts, checkParse), { numRuns: RUNS * 5 });
  });

  test('item 1: parse(serialize(frame)) round-trips every valid frame', () => {
    fc.assert(
      fc.property(validFrames, (arr) => {
        const [type, messageId] = arr as [number, string];
        const init = (
          type === 2 || type === 6
            ? { type, messageId, action: arr[2], payload: arr[3] }
            : type === 3
              ? { type, messageId, payload: arr[2] }
              : { type, messageId, errorCode: arr[2], errorDescription: arr[3], errorDetails: arr[4] }
        ) as FrameInit;
        const text = serializeFrame(init);
        assert.equal(text, JSON.stringify(arr), 'the hand-built envelope equals JSON.stringify of the array');
        const result = parseFrame(text);
        assert.ok(result.ok);
        assert.equal(serializeFrame(result.frame), text);
      }),
      { numRuns: RUNS * 3 },
    );
  });
});

// ---------------------------------------------------------------- endpoint

/** A transport that delivers synchronously both ways, and records what the endpoint writes. */
function syncTransport(): { transport: Transport; sent: string[]; deliver(text: string): void; sink(): TransportSink } {
  let sink: TransportSink | undefined;
  const sent: string[] = [];
  return {
    transport: { send: (text) => void sent.push(text), close: (code = 1000, reason = '') => sink?.close(code, reason), setSink: (s) => (sink = s) },
    sent,
    deliver: (text) => sink!.message(text),
    sink: () => sink!,
  };
}

/** What the endpoint must do with one input, whatever else is true of it. */
function expectation(text: string, rules: ProtocolRules): { kind: 'answer-once'; id: string } | { kind: 'silent' } | { kind: 'maybe-error' } {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return { kind: 'maybe-error' };
  }
  if (!Array.isArray(value)) return { kind: 'maybe-error' };
  const [type, id] = value as [unknown, unknown];
  if (type === 2 && isValidMessageId(id)) return { kind: 'answer-once', id };
  if (type === 3 || type === 4) return { kind: 'silent' };
  if ((type === 5 || type === 6) && rules.hasSendAndCallResultError) return { kind: 'silent' };
  return { kind: 'maybe-error' };
}

for (const rules of ALL_RULES) {
  const v = rules.protocol;
  describe(`RpcEndpoint properties (${v})`, () => {
    test(`items 4, 15: every CALL with a readable id gets exactly one answer with that id; responses get none (${v})`, () => {
      const io = syncTransport();
      // Thousands of invalid inputs on one connection: without this, maxBadMessages closes it.
      const endpoint = new RpcEndpoint({ transport: io.transport, rules, maxBadMessages: Infinity });
      for (const action of KNOWN_ACTIONS) endpoint.handle(action, (req) => ({ echo: req }));
      endpoint.handle('Reset', () => {
        throw new Error('handler bug');
      });
      fc.assert(
        fc.property(anyInput, (text) => {
          const before = io.sent.length;
          io.deliver(text);
          const replies = io.sent.slice(before);
          for (const reply of replies) {
            const parsed = parseFrame(reply);
            assert.ok(parsed.ok, `the endpoint wrote an invalid frame: ${reply}`);
            assert.ok(parsed.frame.type === 3 || parsed.frame.type === 4, 'answers are CALLRESULT or CALLERROR');
          }
          const expected = expectation(text, rules);
          if (expected.kind === 'answer-once') {
            assert.equal(replies.length, 1, `one answer to ${text}`);
            assert.equal((JSON.parse(replies[0]) as unknown[])[1], expected.id);
          } else if (expected.kind === 'silent') {
            assert.equal(replies.length, 0, `no answer to ${text}`);
          } else {
            assert.ok(replies.length <= 1);
            if (replies.length === 1) {
              const reply = JSON.parse(replies[0]) as unknown[];
              assert.equal(reply[0], 4);
              assert.ok(reply[1] === '-1' ? rules.unreadableIdReply : true);
            }
          }
        }),
        { numRuns: RUNS * 3 },
      );
      assert.equal(endpoint.closed, false, 'no input closes the connection');
      endpoint.close();
    });

    test(`items 30, 31, 33: every call settles exactly once, whatever mix of answers, timeouts, aborts and close (${v})`, async () => {
      const command = fc.oneof(
        {
          // Short timeouts race the ticks below; long ones leave calls pending for answers to reach.
          arbitrary: fc.record({
            kind: fc.constant('call' as const),
            timeoutMs: fc.oneof(fc.integer({ min: 1, max: 100 }), fc.integer({ min: 100, max: 5000 })),
            signal: fc.boolean(),
          }),
          weight: 4,
        },
        {
          arbitrary: fc.record({
            kind: fc.constant('answer' as const),
            which: fc.nat(8),
            late: fc.boolean(),
            as: fc.constantFrom('result', 'result', 'error', 'broken', 'unknown'),
          }),
          weight: 4,
        },
        { arbitrary: fc.record({ kind: fc.constant('tick' as const), ms: fc.integer({ min: 0, max: 120 }) }), weight: 2 },
        { arbitrary: fc.record({ kind: fc.constant('abort' as const), which: fc.nat(8) }), weight: 3 },
        { arbitrary: fc.record({ kind: fc.constant('flush' as const) }), weight: 1 },
        { arbitrary: fc.record({ kind: fc.constant('close' as const) }), weight: 1 },
      );
      await fc.assert(
        fc.asyncProperty(
          fc.array(command, { minLength: 1, maxLength: 30 }),
          fc.integer({ min: 1, max: 3 }),
          fc.integer({ min: 0, max: 4 }),
          async (commands, callConcurrency, maxQueuedCalls) => {
            mock.timers.enable({ apis: ['setTimeout', 'Date'], now: 0 });
            try {
              const io = syncTransport();
              const endpoint = new RpcEndpoint({ transport: io.transport, rules, callConcurrency, maxQueuedCalls, generateId: counterIds() });
              const calls: { counts: number; value?: unknown; error?: unknown; controller?: AbortController; n: number }[] = [];
              const answered = new Set<unknown>();
              for (const c of commands) {
                switch (c.kind) {
                  case 'call': {
                    const controller = c.signal ? new AbortController() : undefined;
                    const record: (typeof calls)[number] = { counts: 0, controller, n: calls.length + 1 };
                    calls.push(record);
                    endpoint.call('Heartbeat', { n: record.n }, { timeoutMs: c.timeoutMs, signal: controller?.signal }).then(
                      (value) => ((record.counts += 1), (record.value = value)),
                      (error: unknown) => ((record.counts += 1), (record.error = error)),
                    );
                    break;
                  }
                  case 'answer': {
                    // Answer a CALL actually written: one not answered yet, or (late) any of them,
                    // whatever became of its call since; a second or late answer must be ignored.
                    // Ids come from the wire, not from the call's index: a call refused at once
                    // (queue full, aborted while queued) never gets one.
                    const written = io.sent.map((t) => JSON.parse(t) as unknown[]).filter((f) => f[0] === 2);
                    const candidates = c.late ? written : written.filter((f) => !answered.has(f[1]));
                    const frame = candidates.length > 0 ? candidates[c.which % candidates.length] : undefined;
                    if (frame !== undefined) answered.add(frame[1]);
                    if (frame === undefined || c.as === 'unknown') io.deliver(JSON.stringify([3, `other-${c.which}`, {}]));
                    else if (c.as === 'result') io.deliver(JSON.stringify([3, frame[1], frame[3]]));
                    else if (c.as === 'error') io.deliver(JSON.stringify([4, frame[1], 'NotSupported', '', {}]));
                    else io.deliver(JSON.stringify([3, frame[1], null]));
                    break;
                  }
                  case 'tick':
                    mock.timers.tick(c.ms);
                    break;
                  case 'abort':
                    calls[c.which]?.controller?.abort();
                    break;
                  case 'flush':
                    await flush();
                    break;
                  case 'close':
                    endpoint.close();
                    break;
                }
                assert.ok(endpoint.pendingCalls <= callConcurrency, 'item 27: never more calls in flight than allowed');
                assert.ok(endpoint.queuedCalls <= maxQueuedCalls);
              }
              endpoint.close();
              await flush();
              for (const call of calls) {
                assert.equal(call.counts, 1, `call ${call.n} settled exactly once`);
                if (call.error === undefined) assert.deepEqual(call.value, { n: call.n }, 'a call only ever gets its own answer');
              }
              assert.equal(endpoint.pendingCalls + endpoint.queuedCalls, 0, 'nothing pending after close');
              // Every CALL written used a distinct id, and none was written after close.
              const written = io.sent.map((t) => JSON.parse(t) as unknown[]).filter((f) => f[0] === 2);
              assert.equal(new Set(written.map((f) => f[1])).size, written.length);
            } finally {
              mock.timers.reset();
            }
          },
        ),
        { numRuns: Math.max(50, RUNS / 2) },
      );
    });
  });
}
