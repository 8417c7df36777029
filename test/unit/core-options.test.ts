/**
 * The option checkers of src/core/options.ts, which the endpoint uses and CentralSystem and
 * ChargePoint can reuse, so that one option is refused with the same words everywhere.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  checkBooleanOption,
  checkFunctionOption,
  checkIntegerOption,
  checkTimeoutOption,
  integerOptionProblem,
  MAX_CALL_TIMEOUT_MS,
  TIMEOUT_MS_RANGE,
} from '../../src/core/options';

function typeError(fn: () => unknown, message: string): void {
  assert.throws(fn, (e: unknown) => e instanceof TypeError && e.message === message);
}

describe('option checkers', () => {
  test('checkIntegerOption returns a valid value and throws a TypeError naming the option and the value otherwise', () => {
    assert.equal(checkIntegerOption('maxRetries', 3, { min: 0 }), 3);
    assert.equal(checkIntegerOption('limit', Infinity, { min: 1, orInfinity: true }), Infinity);
    typeError(() => checkIntegerOption('maxRetries', -1, { min: 0 }), 'maxRetries must be a non-negative integer, got -1');
    typeError(() => checkIntegerOption('slots', 1.5, { min: 1 }), 'slots must be a positive integer, got 1.5');
    typeError(() => checkIntegerOption('limit', Infinity, { min: 1 }), 'limit must be a positive integer, got Infinity');
    typeError(() => checkIntegerOption('port', 70_000, { min: 0, max: 65_535 }), 'port must be a non-negative integer up to 65535, got 70000');
    typeError(() => checkIntegerOption('level', 0, { min: 2, max: 9 }), 'level must be an integer of at least 2 up to 9, got 0');
    typeError(() => checkIntegerOption('queue', '5', { min: 0, orInfinity: true }), 'queue must be a non-negative integer or Infinity, got "5"');
    assert.equal(integerOptionProblem('n', 2, { min: 1 }), undefined);
    assert.equal(integerOptionProblem('n', NaN, { min: 1 }), 'n must be a positive integer, got NaN');
  });

  test('timeouts are whole milliseconds from 1 to MAX_CALL_TIMEOUT_MS (1.5 is refused, as the classes refuse it)', () => {
    assert.deepEqual([TIMEOUT_MS_RANGE.min, TIMEOUT_MS_RANGE.max], [1, MAX_CALL_TIMEOUT_MS]);
    assert.equal(checkTimeoutOption('callTimeoutMs', 1), 1);
    assert.equal(checkTimeoutOption('callTimeoutMs', MAX_CALL_TIMEOUT_MS), MAX_CALL_TIMEOUT_MS);
    for (const bad of [1.5, 0, -1, MAX_CALL_TIMEOUT_MS + 1, Infinity, NaN]) {
      typeError(() => checkTimeoutOption('callTimeoutMs', bad), `callTimeoutMs must be a positive integer up to ${MAX_CALL_TIMEOUT_MS}, got ${bad}`);
    }
  });

  test('checkBooleanOption and checkFunctionOption name the option; a function option falls back when undefined', () => {
    assert.equal(checkBooleanOption('captureCallStack', false), false);
    typeError(() => checkBooleanOption('captureCallStack', 'yes'), 'captureCallStack must be a boolean, got "yes"');
    const fallback = (): string => 'x';
    assert.equal(checkFunctionOption('generateId', undefined, fallback), fallback);
    typeError(() => checkFunctionOption('generateId', 42 as never, fallback), 'generateId must be a function, got 42');
  });
});
