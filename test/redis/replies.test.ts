/**
 * The reply normaliser, without a server: the same reply in the shapes node-redis (RESP3 maps as
 * objects), ioredis (RESP3 maps flattened) and RESP2 (arrays of pairs) give it, and Buffers.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseNumsub, parseStreamEntries, toText } from '../../src/redis/replies';

test('replies - PUBSUB NUMSUB reads the same from a flat array, pairs, an object and a Map', () => {
  const expected = new Map([
    ['a', 1],
    ['b', 0],
  ]);
  for (const reply of [
    ['a', 1, 'b', 0],
    [
      ['a', 1],
      ['b', 0],
    ],
    { a: 1, b: 0 },
    new Map<string, number>([
      ['a', 1],
      ['b', 0],
    ]),
    ['a', '1', 'b', '0'],
  ]) {
    assert.deepEqual(parseNumsub(reply), expected, JSON.stringify(reply));
  }
});

test('replies - XREADGROUP entries read the same in every client shape; a trimmed entry has null fields', () => {
  const entries = [
    ['1-0', ['data', '{"x":1}']],
    ['2-0', null],
  ];
  const expected = [
    { id: '1-0', fields: new Map([['data', '{"x":1}']]) },
    { id: '2-0', fields: null },
  ];
  for (const reply of [{ s: entries }, ['s', entries], [['s', entries]], new Map([['s', entries]])]) {
    assert.deepEqual(parseStreamEntries(reply), expected, JSON.stringify(reply));
  }
  assert.deepEqual(parseStreamEntries(null), []);
  assert.deepEqual(parseStreamEntries([{ name: 's', messages: [{ id: '1-0', message: { data: 'y' } }] }].map((s) => [s.name, s.messages])), [
    { id: '1-0', fields: new Map([['data', 'y']]) },
  ]);
});

test('replies - Buffers and numbers read as text', () => {
  assert.equal(toText(Buffer.from('héllo')), 'héllo');
  assert.equal(toText(3), '3');
  assert.equal(toText(null), '');
});
