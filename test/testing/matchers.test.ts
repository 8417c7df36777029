/**
 * The kit's matchers, without sockets: deep-partial objects, arrays, predicates, and any object
 * with `asymmetricMatch` (a hand-written one of the shape vitest and jest give; the real ones of
 * both frameworks are in framework-matchers.test.ts), with a mismatch that names the path.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { matches, mismatch } from '../../src/testing/index';
import { expect } from './support';

describe('matchers', () => {
  test('deep-partial objects - only the keys named must match, at any depth', () => {
    const boot = { reason: 'PowerUp', chargingStation: { vendorName: 'Acme', model: 'Fast-1' } };
    assert.equal(matches(boot, { chargingStation: { vendorName: 'Acme' } }), true);
    assert.equal(matches(boot, {}), true);
    assert.equal(matches(boot, undefined), true);
    assert.deepEqual(mismatch(boot, { chargingStation: { vendorName: 'Other' } }), {
      path: '$.chargingStation.vendorName',
      expected: '"Other"',
      actual: '"Acme"',
    });
    assert.deepEqual(mismatch(boot, { serialNumber: 'x' }), { path: '$.serialNumber', expected: '"x"', actual: 'missing' });
    assert.deepEqual(mismatch({ a: null }, { a: { b: 1 } }), { path: '$.a', expected: 'an object like {"b":1}', actual: 'null' });
  });

  test('arrays - same length, element by element (deep-partial inside)', () => {
    const event = { eventData: [{ actualValue: 'Available', trigger: 'Delta' }] };
    assert.equal(matches(event, { eventData: [{ actualValue: 'Available' }] }), true);
    assert.match(mismatch({ eventData: [{}, {}] }, { eventData: [{}] })!.expected, /an array of 1/);
    assert.equal(mismatch({ eventData: [{ actualValue: 'Faulted' }] }, { eventData: [{ actualValue: 'Available' }] })!.path, '$.eventData[0].actualValue');
    assert.equal(mismatch({ list: 'no' }, { list: [] })!.actual, '"no"');
  });

  test('predicates - called with the value; false or a throw is a mismatch naming it', () => {
    const positive = (n: number): boolean => n > 0;
    assert.equal(matches({ meterStart: 5 }, { meterStart: positive }), true);
    assert.deepEqual(mismatch({ meterStart: -1 }, { meterStart: positive }), { path: '$.meterStart', expected: 'predicate positive', actual: '-1' });
    const boom = (): boolean => {
      throw new Error('boom');
    };
    assert.match(mismatch({ a: 1 }, { a: boom })!.actual, /the predicate threw Error: boom/);
    // A predicate must return true, not just something truthy.
    assert.equal(matches({ a: 1 }, { a: (() => 1) as never }), false);
  });

  test('asymmetric matchers - expect.any(String) and expect.stringMatching work anywhere, and print themselves', () => {
    const start = { connectorId: 1, idTag: 'TAG1', meterStart: 1200, timestamp: '2026-01-01T00:00:00Z' };
    assert.equal(matches(start, { idTag: expect.any(String), meterStart: expect.any(Number), timestamp: expect.stringMatching(/^2026-/) }), true);
    assert.deepEqual(mismatch(start, { meterStart: expect.any(String) }), { path: '$.meterStart', expected: 'Any<String>', actual: '1200' });
    // One that accepts a missing field decides for itself; expect.any does not accept undefined.
    assert.equal(mismatch({}, { idTag: expect.any(String) })!.actual, 'missing');
    assert.equal(matches({}, { idTag: { asymmetricMatch: () => true } }), true);
    const throwing = {
      asymmetricMatch: (): boolean => {
        throw new Error('bad matcher');
      },
    };
    assert.match(mismatch({ a: 1 }, { a: throwing })!.actual, /the matcher threw Error: bad matcher/);
  });

  test('plain values - equal by Object.is; class instances are compared as values, not walked', () => {
    assert.equal(matches(NaN, NaN), true);
    assert.equal(matches(0, -0), false);
    const date = new Date(0);
    assert.equal(matches({ d: date }, { d: date }), true);
    assert.notEqual(mismatch({ d: new Date(0) }, { d: new Date(0) }), undefined);
  });

  test('hostile input - cyclic and very deep values do not crash the comparison', () => {
    const cyclic: Record<string, unknown> = { a: 1 };
    cyclic.self = cyclic;
    assert.equal(matches(cyclic, { a: 1 }), true);
    assert.equal(typeof mismatch(cyclic, { a: 2 })!.actual, 'string');
    let deep: Record<string, unknown> = {};
    let matcher: Record<string, unknown> = {};
    const root = matcher;
    const value = deep;
    for (let i = 0; i < 100; i++) {
      deep.x = {};
      deep = deep.x as Record<string, unknown>;
      matcher.x = {};
      matcher = matcher.x as Record<string, unknown>;
    }
    assert.match(mismatch(value, root)!.expected, /64 levels/);
  });
});
