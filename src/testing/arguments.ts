/**
 * Checks of the arguments every expectation takes (bad programmer input is a TypeError naming
 * the method and the argument, thrown when the expectation is made), and the small helpers the
 * inbox shares with them.
 */
import { describeValue } from './matchers';
import type { ExpectAllOptions, ExpectCallErrorOptions, ExpectNextOptions, ExpectNoCallOptions, ExpectOptions, Received } from './received';

/** A promise whose rejection nobody awaiting is harmless: the rejection is also observed here. */
export function handled<T>(p: Promise<T>): Promise<T> {
  p.catch(() => undefined);
  return p;
}

/** One expectation of a list given to expectAll or expectOneOf: action, matcher, options. */
export type ExpectationSpec = readonly [action: string, match?: unknown, options?: ExpectOptions];

export function checkTimeout(name: string, value: unknown): void {
  if (value === undefined) return;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 0 || value > 2_147_483_647) {
    throw new TypeError(`${name} must be an integer from 0 to 2147483647 (ms), got ${describeValue(value)}`);
  }
}

export function checkAction(method: string, action: unknown): asserts action is string {
  if (typeof action !== 'string' || action === '') throw new TypeError(`${method}: action must be a non-empty string, got ${describeValue(action)}`);
}

export function checkAfter(method: string, after: unknown): void {
  if (after === undefined) return;
  const a = after as Partial<Received>;
  if (typeof a !== 'object' || a === null || typeof a.seq !== 'number' || typeof a.monotonicMs !== 'number') {
    throw new TypeError(`${method}: options.after must be a message an expectation returned, got ${describeValue(after)}`);
  }
}

export function checkOptions(method: string, o: ExpectOptions | undefined): void {
  if (o === undefined) return;
  if (typeof o !== 'object' || o === null) throw new TypeError(`${method}: options must be an object, got ${describeValue(o)}`);
  checkTimeout(`${method}: options.timeoutMs`, o.timeoutMs);
  checkTimeout(`${method}: options.notBeforeMs`, o.notBeforeMs);
  checkTimeout(`${method}: options.withinMs`, o.withinMs);
  checkTimeout(`${method}: options.toleranceMs`, o.toleranceMs);
  checkAfter(method, o.after);
  if (o.notBeforeMs !== undefined && o.withinMs !== undefined && o.withinMs < o.notBeforeMs) {
    throw new TypeError(`${method}: options.withinMs (${o.withinMs}) is less than options.notBeforeMs (${o.notBeforeMs}): no arrival time can pass`);
  }
}

export function label(action: string, match: unknown): string {
  return match === undefined ? action : `${action} matching ${describeValue(match)}`;
}

export function checkSpecs(method: string, specs: unknown): asserts specs is readonly ExpectationSpec[] {
  if (!Array.isArray(specs)) throw new TypeError(`${method}: give an array of [action, match?, options?] tuples, got ${describeValue(specs)}`);
  specs.forEach((s: unknown, i) => {
    if (!Array.isArray(s)) throw new TypeError(`${method}: item ${i} must be an [action, match?, options?] tuple, got ${describeValue(s)}`);
    checkAction(`${method}: item ${i}`, s[0]);
    checkOptions(`${method}: item ${i}`, s[2] as ExpectOptions | undefined);
  });
}

/** Both spellings of the two misspelt 1.6 codes mean the same. */
export function canonicalCode(code: string): string {
  return code === 'FormationViolation' ? 'FormatViolation' : code === 'OccurenceConstraintViolation' ? 'OccurrenceConstraintViolation' : code;
}

export function checkNoCallArgs(action: unknown, o: ExpectNoCallOptions): void {
  checkAction('expectNoCall', action);
  if (typeof o !== 'object' || o === null) throw new TypeError('expectNoCall: options { forMs } are required');
  if (typeof o.forMs !== 'number') throw new TypeError(`expectNoCall: options.forMs must be a number of ms, got ${describeValue(o.forMs)}`);
  checkTimeout('expectNoCall: options.forMs', o.forMs);
  if (o.except !== undefined && (!Array.isArray(o.except) || o.except.some((a) => typeof a !== 'string'))) {
    throw new TypeError(`expectNoCall: options.except must be an array of action names, got ${describeValue(o.except)}`);
  }
}

export function checkCallErrorArgs(code: unknown, o: ExpectCallErrorOptions | undefined): void {
  if (typeof code !== 'string' || code === '') throw new TypeError(`expectCallError: code must be a non-empty string, got ${describeValue(code)}`);
  if (o !== undefined && (typeof o !== 'object' || o === null)) throw new TypeError('expectCallError: options must be an object');
  checkTimeout('expectCallError: options.timeoutMs', o?.timeoutMs);
  if (o?.messageId !== undefined && typeof o.messageId !== 'string') throw new TypeError(`expectCallError: options.messageId must be a string`);
}

export function checkNextArgs(action: unknown, o: ExpectNextOptions | undefined): void {
  checkAction('expectNextCall', action);
  checkOptions('expectNextCall', o);
  if (o?.ignore !== undefined && (!Array.isArray(o.ignore) || o.ignore.some((a) => typeof a !== 'string'))) {
    throw new TypeError(`expectNextCall: options.ignore must be an array of action names, got ${describeValue(o.ignore)}`);
  }
}

export function checkListArgs(method: 'expectAll' | 'expectOneOf', specs: unknown, o: Pick<ExpectAllOptions, 'timeoutMs' | 'after'> | undefined): void {
  checkSpecs(method, specs);
  if (method === 'expectOneOf' && specs.length === 0) throw new TypeError('expectOneOf: give at least one alternative');
  if (o !== undefined && (typeof o !== 'object' || o === null)) throw new TypeError(`${method}: options must be an object, got ${describeValue(o)}`);
  checkTimeout(`${method}: options.timeoutMs`, o?.timeoutMs);
  checkAfter(method, o?.after);
}
