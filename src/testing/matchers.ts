/**
 * Matching received payloads: deep-partial objects, predicates, and any object with an
 * `asymmetricMatch` method (vitest's and jest's `expect.any(String)`, `expect.stringMatching(...)`,
 * `expect.objectContaining(...)`), so tests keep the matchers they already know without the kit
 * depending on any test framework.
 */

/** An asymmetric matcher as vitest, jest and Jasmine define it: anything with `asymmetricMatch`. */
export interface AsymmetricMatcher {
  /** True when `actual` matches. */
  asymmetricMatch(actual: unknown): boolean;
  /** How the matcher prints itself (vitest and jest provide it). */
  toString?(): string;
}

/** A function that decides whether a value matches. */
export type Predicate<T> = (value: T) => boolean;

/**
 * What a received payload (or part of it) is compared with:
 * - a plain object: every key it names must match (others are ignored): deep-partial;
 * - an array: same length, element by element (use a predicate or `expect.arrayContaining` for
 *   "contains");
 * - a function: a predicate, called with the value;
 * - an object with `asymmetricMatch`: asked;
 * - anything else: equal by `Object.is`.
 */
export type Matcher<T> =
  | AsymmetricMatcher
  | Predicate<T>
  | (T extends readonly (infer E)[] ? readonly Matcher<E>[] : T extends object ? { readonly [K in keyof T]?: Matcher<T[K]> } : T);

/** Where a value first failed to match, and why; undefined when it matched. */
export interface Mismatch {
  /** JSON-like path of the first difference, e.g. `$.idTagInfo.status`. */
  readonly path: string;
  /** What was expected there. */
  readonly expected: string;
  /** What was there. */
  readonly actual: string;
}

function isAsymmetric(m: unknown): m is AsymmetricMatcher {
  return typeof m === 'object' && m !== null && typeof (m as { asymmetricMatch?: unknown }).asymmetricMatch === 'function';
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  if (typeof v !== 'object' || v === null) return false;
  const proto = Object.getPrototypeOf(v) as unknown;
  return proto === Object.prototype || proto === null;
}

function plain(value: unknown): string {
  return typeof value === 'object' && value !== null ? Object.prototype.toString.call(value) : String(value);
}

/** A short printable form of a value, for messages. */
export function describeValue(value: unknown, max = 200): string {
  if (value === undefined) return 'undefined';
  if (typeof value === 'function') return `predicate ${value.name || '(anonymous)'}`;
  if (typeof value === 'bigint') return `${value}n`;
  if (value instanceof RegExp) return String(value);
  if (isAsymmetric(value)) {
    const s = describeAsymmetric(value, max);
    return s.length > max ? `${s.slice(0, max)}…` : s;
  }
  let text: string;
  try {
    text =
      JSON.stringify(value, (_key, v: unknown) =>
        typeof v === 'function' ? `<predicate ${(v as { name?: string }).name || 'anonymous'}>` : isAsymmetric(v) ? `<${describeValue(v)}>` : v,
      ) ?? plain(value);
  } catch {
    text = plain(value);
  }
  return text.length > max ? `${text.slice(0, max)}…` : text;
}

/**
 * How an asymmetric matcher prints itself. jest's and vitest's `toString()` gives the class name
 * only (`Any`, `ObjectContaining`): their own printers add the argument, so this does too: their
 * `toAsymmetricMatcher()` when there is one (`Any<String>`), else the name and its `sample`
 * (`StringMatching /^CP/`, `ObjectContaining {"vendorName":"Acme"}`).
 */
function describeAsymmetric(m: AsymmetricMatcher & { toAsymmetricMatcher?: () => unknown; sample?: unknown }, max: number): string {
  try {
    if (typeof m.toAsymmetricMatcher === 'function') {
      const s: unknown = m.toAsymmetricMatcher();
      if (typeof s === 'string') return s;
    }
    const name = typeof m.toString === 'function' && m.toString !== Object.prototype.toString ? m.toString() : 'asymmetric matcher';
    return 'sample' in m && !name.includes(' ') ? `${name} ${describeValue(m.sample, max)}` : name;
  } catch {
    return 'asymmetric matcher';
  }
}

/**
 * Compares `actual` with `matcher` (see {@link Matcher}) and returns the first difference, or
 * undefined when it matches. Never throws for the value: a predicate or asymmetric matcher that
 * throws counts as a mismatch naming what it threw.
 *
 * @example
 * ```ts
 * mismatch({ idTagInfo: { status: 'Blocked' } }, { idTagInfo: { status: 'Accepted' } });
 * // { path: '$.idTagInfo.status', expected: '"Accepted"', actual: '"Blocked"' }
 * ```
 */
export function mismatch(actual: unknown, matcher: unknown): Mismatch | undefined {
  // No matcher: anything matches (`expectCall('Heartbeat')`).
  return matcher === undefined ? undefined : compare(actual, matcher, '$', 0);
}

function compare(actual: unknown, matcher: unknown, path: string, depth: number): Mismatch | undefined {
  if (depth > 64) return { path, expected: 'a matcher at most 64 levels deep', actual: 'a deeper one' };
  if (isAsymmetric(matcher)) {
    let ok: boolean;
    try {
      ok = matcher.asymmetricMatch(actual) === true;
    } catch (error) {
      return { path, expected: describeValue(matcher), actual: `${describeValue(actual)} (the matcher threw ${String(error)})` };
    }
    return ok ? undefined : { path, expected: describeValue(matcher), actual: describeValue(actual) };
  }
  if (typeof matcher === 'function') {
    let ok: boolean;
    try {
      ok = (matcher as (v: unknown) => unknown)(actual) === true;
    } catch (error) {
      return { path, expected: describeValue(matcher), actual: `${describeValue(actual)} (the predicate threw ${String(error)})` };
    }
    return ok ? undefined : { path, expected: describeValue(matcher), actual: describeValue(actual) };
  }
  if (Array.isArray(matcher)) {
    if (!Array.isArray(actual)) return { path, expected: `an array of ${matcher.length}`, actual: describeValue(actual) };
    if (actual.length !== matcher.length)
      return { path, expected: `an array of ${matcher.length} (${describeValue(matcher)})`, actual: `${actual.length} items: ${describeValue(actual)}` };
    for (let i = 0; i < matcher.length; i++) {
      const m = compare(actual[i], matcher[i], `${path}[${i}]`, depth + 1);
      if (m) return m;
    }
    return undefined;
  }
  if (isPlainObject(matcher)) {
    if (!isPlainObject(actual)) return { path, expected: `an object like ${describeValue(matcher)}`, actual: describeValue(actual) };
    for (const key of Object.keys(matcher)) {
      const sub = `${path}.${/^[A-Za-z_$][\w$]*$/.test(key) ? key : JSON.stringify(key)}`;
      if (!Object.prototype.hasOwnProperty.call(actual, key)) {
        if (matcher[key] === undefined) continue;
        // An asymmetric matcher or predicate may accept a missing field (expect.anything() does not).
        const m = compare(undefined, matcher[key], sub, depth + 1);
        if (m) return { path: sub, expected: m.expected, actual: 'missing' };
        continue;
      }
      const m = compare(actual[key], matcher[key], sub, depth + 1);
      if (m) return m;
    }
    return undefined;
  }
  return Object.is(actual, matcher) ? undefined : { path, expected: describeValue(matcher), actual: describeValue(actual) };
}

/** Whether `actual` matches `matcher` (see {@link Matcher}). */
export function matches<T>(actual: T, matcher: Matcher<T> | undefined): boolean {
  return mismatch(actual, matcher) === undefined;
}
