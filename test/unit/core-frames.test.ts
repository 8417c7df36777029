import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  DEFAULT_MAX_JSON_DEPTH,
  DEPTH_SCAN_MIN_LENGTH,
  isValidMessageId,
  MessageType,
  parseFrame,
  serializeFrame,
  type FramingErrorKind,
} from '../../src/core/frames';

function parseError(text: string): { kind: FramingErrorKind; messageId?: string; messageType?: number; detail: string } {
  const r = parseFrame(text);
  assert.equal(r.ok, false, `expected ${text} to be rejected`);
  return r.error;
}

function parseOk(text: string) {
  const r = parseFrame(text);
  if (!r.ok) assert.fail(`expected ${text} to parse, got ${r.error.kind}: ${r.error.detail}`);
  return r.frame;
}

describe('parseFrame', () => {
  test('item 1: decodes CALL, CALLRESULT and CALLERROR of exactly 4/3/5 elements', () => {
    assert.deepEqual(parseOk('[2,"a1","Heartbeat",{}]'), { type: 2, messageId: 'a1', action: 'Heartbeat', payload: {} });
    assert.deepEqual(parseOk('[3,"a1",{"currentTime":"x"}]'), { type: 3, messageId: 'a1', payload: { currentTime: 'x' } });
    assert.deepEqual(parseOk('[4,"a1","NotSupported","nope",{"k":1}]'), {
      type: 4,
      messageId: 'a1',
      errorCode: 'NotSupported',
      errorDescription: 'nope',
      errorDetails: { k: 1 },
    });
  });

  test('item 1: parses 2.1 CALLRESULTERROR (5 elements) and SEND (4 elements) as frames', () => {
    assert.deepEqual(parseOk('[5,"a1","FormatViolation","",{}]'), {
      type: 5,
      messageId: 'a1',
      errorCode: 'FormatViolation',
      errorDescription: '',
      errorDetails: {},
    });
    assert.deepEqual(parseOk('[6,"a1","NotifyPeriodicEventStream",{"id":1}]'), {
      type: 6,
      messageId: 'a1',
      action: 'NotifyPeriodicEventStream',
      payload: { id: 1 },
    });
  });

  test('item 1: a wrong element count is wrong-length, with the id and type when readable', () => {
    for (const [text, type] of [
      ['[2,"x","Heartbeat"]', 2],
      ['[2,"x","Heartbeat",{},{}]', 2],
      ['[3,"x"]', 3],
      ['[3,"x",{},{}]', 3],
      ['[4,"x","GenericError",""]', 4],
      ['[4,"x","GenericError","",{},1]', 4],
      ['[5,"x","GenericError",""]', 5],
      ['[6,"x","A"]', 6],
    ] as const) {
      const e = parseError(text);
      assert.equal(e.kind, 'wrong-length', text);
      assert.equal(e.messageId, 'x', text);
      assert.equal(e.messageType, type, text);
    }
    const short = parseError('[2]');
    assert.equal(short.kind, 'wrong-length');
    assert.equal(short.messageId, undefined);
  });

  test('items 12, 13: not JSON, not an array, empty and non-integer type ids have no readable id', () => {
    assert.equal(parseError('').kind, 'not-json');
    assert.equal(parseError('[2,"x",').kind, 'not-json');
    assert.equal(parseError('{"a":1}').kind, 'not-array');
    assert.equal(parseError('null').kind, 'not-array');
    assert.equal(parseError('"[2]"').kind, 'not-array');
    assert.equal(parseError('[]').kind, 'bad-message-type');
    assert.equal(parseError('["2","x","A",{}]').kind, 'bad-message-type');
    assert.equal(parseError('[2.5,"x","A",{}]').kind, 'bad-message-type');
    assert.equal(parseError('[1e999,"x","A",{}]').kind, 'bad-message-type');
    assert.equal(parseError('[null,"x","A",{}]').kind, 'bad-message-type');
    for (const text of ['', '{}', '[]', '["2","x","A",{}]']) assert.equal(parseError(text).messageId, undefined);
  });

  test('item 12: the detail never quotes the invalid input', () => {
    const secret = 'SECRET-TOKEN-123';
    for (const text of [`[2,"x","A",{${secret}`, `{"${secret}":1}`, `[2,"${'y'.repeat(40)}${secret}","A",{}]`]) {
      assert.ok(!parseError(text).detail.includes(secret), text);
    }
  });

  test('item 14: an integer type id outside 2..6 is unknown-message-type, keeping type and readable id', () => {
    const e = parseError('[7,"x","A",{}]');
    assert.equal(e.kind, 'unknown-message-type');
    assert.equal(e.messageType, 7);
    assert.equal(e.messageId, 'x');
    const noId = parseError('[1,{}]');
    assert.equal(noId.kind, 'unknown-message-type');
    assert.equal(noId.messageId, undefined);
    assert.equal(parseError('[0]').messageType, 0);
    assert.equal(parseError('[-3,"x"]').messageType, -3);
  });

  test('item 2: a message id must be a string of 1..36 characters', () => {
    assert.equal(parseError('[2,5,"A",{}]').kind, 'bad-message-id');
    assert.equal(parseError('[2,"","A",{}]').kind, 'bad-message-id');
    assert.equal(parseError('[2,null,"A",{}]').kind, 'bad-message-id');
    assert.equal(parseError('[3,["x"],{}]').kind, 'bad-message-id');
    const id36 = 'a'.repeat(36);
    assert.equal(parseOk(`[2,"${id36}","A",{}]`).messageId, id36);
    const tooLong = parseError(`[2,"${'a'.repeat(37)}","A",{}]`);
    assert.equal(tooLong.kind, 'message-id-too-long');
    assert.equal(tooLong.messageId, undefined, 'an invalid id is never reported as readable');
    assert.equal(tooLong.messageType, 2);
  });

  test('item 2: id length counts characters (code points), not UTF-16 units', () => {
    const emoji36 = '😀'.repeat(36); // 72 UTF-16 units
    assert.equal(parseOk(JSON.stringify([2, emoji36, 'A', {}])).messageId, emoji36);
    assert.equal(parseError(JSON.stringify([2, '😀'.repeat(37), 'A', {}])).kind, 'message-id-too-long');
    assert.equal(isValidMessageId('é'.repeat(36)), true);
    assert.equal(isValidMessageId('a'.repeat(35) + '😀'), true);
    assert.equal(isValidMessageId('a'.repeat(36) + '😀'), false);
    assert.equal(isValidMessageId(36), false);
  });

  test('item 5: the action must be a non-empty string and is kept case-sensitive', () => {
    const frame = parseOk('[2,"x","heartBeat",{}]');
    assert.equal(frame.type === MessageType.CALL ? frame.action : undefined, 'heartBeat');
    assert.equal(parseError('[2,"x","",{}]').kind, 'bad-field');
    assert.equal(parseError('[2,"x",3,{}]').kind, 'bad-field');
    assert.equal(parseError('[6,"x",null,{}]').kind, 'bad-field');
  });

  test('item 6: payloads must be objects; null, arrays and primitives are bad-field', () => {
    for (const text of ['[2,"x","A",null]', '[2,"x","A",[]]', '[2,"x","A","{}"]', '[2,"x","A",1]', '[3,"x",null]', '[3,"x",[]]', '[6,"x","A",null]']) {
      const e = parseError(text);
      assert.equal(e.kind, 'bad-field', text);
      assert.equal(e.messageId, 'x', text);
    }
  });

  test('item 8: CALLERROR code and description must be strings and details an object', () => {
    for (const text of [
      '[4,"x",1,"",{}]',
      '[4,"x","GenericError",null,{}]',
      '[4,"x","GenericError","",null]',
      '[4,"x","GenericError","",[]]',
      '[5,"x","GenericError","","str"]',
    ]) {
      assert.equal(parseError(text).kind, 'bad-field', text);
    }
  });

  test('a "__proto__" key in a payload stays an own property and pollutes nothing', () => {
    const frame = parseOk('[2,"x","DataTransfer",{"__proto__":{"polluted":true},"constructor":{"prototype":{"bad":1}}}]');
    assert.equal(frame.type, 2);
    const payload = (frame as { payload: Record<string, unknown> }).payload;
    assert.ok(Object.prototype.hasOwnProperty.call(payload, '__proto__'));
    assert.equal(Object.getPrototypeOf(payload), Object.prototype);
    assert.equal(({} as Record<string, unknown>).polluted, undefined);
    assert.equal(({} as Record<string, unknown>).bad, undefined);
  });

  test('never throws on non-string input', () => {
    for (const input of [undefined, null, 5, {}, [2, 'x', 'A', {}]]) {
      assert.equal(parseFrame(input as string).ok, false);
    }
  });
});

describe('serializeFrame', () => {
  test('item 1: encodes each type as an array of exactly 4/3/5/5/4 elements', () => {
    assert.equal(serializeFrame({ type: MessageType.CALL, messageId: 'a', action: 'Heartbeat', payload: {} }), '[2,"a","Heartbeat",{}]');
    assert.equal(serializeFrame({ type: MessageType.CALLRESULT, messageId: 'a', payload: { x: 1 } }), '[3,"a",{"x":1}]');
    assert.equal(
      serializeFrame({ type: MessageType.CALLERROR, messageId: 'a', errorCode: 'GenericError', errorDescription: 'd', errorDetails: { k: 'v' } }),
      '[4,"a","GenericError","d",{"k":"v"}]',
    );
    assert.equal(serializeFrame({ type: MessageType.CALLRESULTERROR, messageId: 'a', errorCode: 'GenericError' }), '[5,"a","GenericError","",{}]');
    assert.equal(serializeFrame({ type: MessageType.SEND, messageId: 'a', action: 'B', payload: { y: [1] } }), '[6,"a","B",{"y":[1]}]');
  });

  test('items 6, 8: undefined or null payload and details become {}, an undefined description ""', () => {
    assert.equal(serializeFrame({ type: 2, messageId: 'a', action: 'Heartbeat' }), '[2,"a","Heartbeat",{}]');
    assert.equal(serializeFrame({ type: 2, messageId: 'a', action: 'Heartbeat', payload: null }), '[2,"a","Heartbeat",{}]');
    assert.equal(serializeFrame({ type: 3, messageId: 'a' }), '[3,"a",{}]');
    assert.equal(serializeFrame({ type: 4, messageId: 'a', errorCode: 'InternalError' }), '[4,"a","InternalError","",{}]');
    assert.equal(serializeFrame({ type: 4, messageId: 'a', errorCode: 'InternalError', errorDetails: null }), '[4,"a","InternalError","",{}]');
  });

  test('escapes ids, actions, codes and descriptions as JSON strings', () => {
    const tricky = 'a"b\\c\n\u2028';
    const text = serializeFrame({ type: 4, messageId: tricky, errorCode: tricky, errorDescription: tricky });
    assert.deepEqual(JSON.parse(text), [4, tricky, tricky, tricky, {}]);
    const call = serializeFrame({ type: 2, messageId: 'x', action: tricky, payload: {} });
    assert.deepEqual(JSON.parse(call), [2, 'x', tricky, {}]);
  });

  test('refuses what can never be a valid frame', () => {
    assert.throws(() => serializeFrame({ type: 2, messageId: 'a'.repeat(37), action: 'A' }), TypeError);
    assert.throws(() => serializeFrame({ type: 2, messageId: '', action: 'A' }), TypeError);
    assert.throws(() => serializeFrame({ type: 2, messageId: 'a', action: '' }), TypeError);
    assert.throws(() => serializeFrame({ type: 3, messageId: 'a', payload: [1] }), TypeError);
    assert.throws(() => serializeFrame({ type: 3, messageId: 'a', payload: 'x' }), TypeError);
    assert.throws(() => serializeFrame({ type: 3, messageId: 'a', payload: new Date(0) }), TypeError);
    assert.throws(() => serializeFrame({ type: 3, messageId: 'a', payload: () => 1 }), TypeError);
    assert.throws(() => serializeFrame({ type: 4, messageId: 'a', errorCode: 'X', errorDetails: [] }), TypeError);
    assert.throws(() => serializeFrame({ type: 9, messageId: 'a' } as never), TypeError);
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    assert.throws(() => serializeFrame({ type: 3, messageId: 'a', payload: cyclic }), TypeError);
  });

  test('an own "__proto__" key survives a parse/serialize round trip', () => {
    const text = '[3,"x",{"__proto__":{"a":1}}]';
    const frame = parseOk(text);
    assert.equal(serializeFrame(frame), text);
  });

  test('parse(serialize(frame)) gives the frame back for every type', () => {
    const frames = [
      { type: 2, messageId: 'm', action: 'Authorize', payload: { idTag: 'ABC', n: [1, { d: null }] } },
      { type: 3, messageId: 'm', payload: { status: 'Accepted' } },
      { type: 4, messageId: 'm', errorCode: 'FormatViolation', errorDescription: 'bad', errorDetails: { path: '/a' } },
      { type: 5, messageId: 'm', errorCode: 'GenericError', errorDescription: '', errorDetails: {} },
      { type: 6, messageId: 'm', action: 'NotifyPeriodicEventStream', payload: {} },
    ] as const;
    for (const frame of frames) assert.deepEqual(parseOk(serializeFrame(frame)), frame);
  });
});

describe('parseFrame - nesting limit (issue 12: deep JSON stalled the event loop)', () => {
  const nest = (depth: number, open = '[', close = ']'): string => open.repeat(depth) + close.repeat(depth);
  // Texts up to DEPTH_SCAN_MIN_LENGTH characters are not scanned: padding (a string field, or
  // white space) puts a test text above it without nesting anything.
  const PAD = `"pad":"${'x'.repeat(DEPTH_SCAN_MIN_LENGTH)}",`;
  const SPACE = ' '.repeat(DEPTH_SCAN_MIN_LENGTH);

  test('a megabyte nested 500,000 deep is refused as too-deep without being parsed, in well under a millisecond', () => {
    const text = nest(500_000);
    const started = performance.now();
    const r = parseFrame(text);
    const elapsed = performance.now() - started;
    assert.equal(r.ok, false);
    assert.equal(!r.ok && r.error.kind, 'too-deep');
    assert.equal(!r.ok && r.error.detail, `frame nests deeper than ${DEFAULT_MAX_JSON_DEPTH} levels`);
    // JSON.parse of this text takes 200-300 ms; the scan stops after DEFAULT_MAX_JSON_DEPTH characters.
    assert.ok(elapsed < 20, `took ${elapsed} ms`);
  });

  test('the frame array is level 1: exactly maxDepth levels parse, one more is too-deep (arrays and objects alike)', () => {
    // Frame array (1), payload (2), then levels - 2 nested objects in `data`.
    const call = (levels: number): string => `[2,"id1","DataTransfer",{"vendorId":"v",${PAD}"data":${'{"a":'.repeat(levels - 2)}1${'}'.repeat(levels - 2)}}]`;
    assert.equal(parseFrame(call(DEFAULT_MAX_JSON_DEPTH)).ok, true);
    const over = parseFrame(call(DEFAULT_MAX_JSON_DEPTH + 1));
    assert.equal(!over.ok && over.error.kind, 'too-deep');
    assert.equal(parseFrame(nest(10) + SPACE, 10).ok, false, 'valid depth, but not a frame');
    assert.equal((parseFrame(nest(10) + SPACE, 10) as { error: { kind: string } }).error.kind, 'bad-message-type');
    assert.equal((parseFrame(nest(11) + SPACE, 10) as { error: { kind: string } }).error.kind, 'too-deep');
    // Mixed: frame array + 9 x (object, array) = 19 levels.
    const mixed = `[2,"x","A",${nest(9, '{"k":[', ']}')}${SPACE}]`;
    assert.equal(parseFrame(mixed, 19).ok, true);
    assert.equal((parseFrame(mixed, 18) as { error: { kind: string } }).error.kind, 'too-deep');
  });

  test('brackets inside strings (escaped quotes and backslashes too) do not count', () => {
    const deepText = '['.repeat(2500) + '\\"' + ']'.repeat(2500) + '\\\\';
    const text = JSON.stringify([2, 'id2', 'DataTransfer', { vendorId: 'v', data: deepText }]);
    assert.equal(parseFrame(text, 4).ok, true);
  });

  test('a too-deep CALL keeps its type id and message id, so it is answered by the rules; other heads carry neither', () => {
    const r = parseFrame(`[2,"abc-1","DataTransfer",{"vendorId":"v",${PAD}"data":${nest(300)}}]`);
    assert.deepEqual(!r.ok && r.error, {
      kind: 'too-deep',
      detail: `frame nests deeper than ${DEFAULT_MAX_JSON_DEPTH} levels`,
      messageType: 2,
      messageId: 'abc-1',
    });
    const unknownType = parseFrame(`[9,"abc-1",${nest(300)}${SPACE}]`);
    assert.deepEqual(!unknownType.ok && unknownType.error, { kind: 'too-deep', detail: `frame nests deeper than ${DEFAULT_MAX_JSON_DEPTH} levels` });
    const longId = parseFrame(`[3,"${'x'.repeat(40)}",${nest(300)}${SPACE}]`);
    assert.deepEqual(!longId.ok && longId.error, { kind: 'too-deep', detail: `frame nests deeper than ${DEFAULT_MAX_JSON_DEPTH} levels`, messageType: 3 });
  });

  test('texts up to DEPTH_SCAN_MIN_LENGTH characters are parsed whatever their nesting; one character more and the same nesting is too-deep', () => {
    const frame = (data: string): string => `[2,"id3","DataTransfer",{"vendorId":"v","data":${data}}]`;
    const deep = nest(1000);
    const padding = DEPTH_SCAN_MIN_LENGTH - frame(deep).length;
    const atFloor = frame(deep + ' '.repeat(padding));
    assert.equal(atFloor.length, DEPTH_SCAN_MIN_LENGTH);
    assert.equal(parseFrame(atFloor).ok, true, 'not scanned: parsed, nested 1,002 deep');
    const over = parseFrame(frame(deep + ' '.repeat(padding + 1)));
    assert.equal(!over.ok && over.error.kind, 'too-deep');
    // Invalid short deep texts are still not-json.
    assert.equal(
      !parseFrame('['.repeat(2 * DEFAULT_MAX_JSON_DEPTH)).ok && (parseFrame('['.repeat(2 * DEFAULT_MAX_JSON_DEPTH)) as { error: { kind: string } }).error.kind,
      'not-json',
    );
  });
});
