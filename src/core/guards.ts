/**
 * Type guards every layer needs, in one place so that "a plain object" and "a promise" mean the
 * same thing wherever a payload, an option or a handler's result is checked.
 */

/** A non-null object that is not an array: what a JSON object payload, an options bag or a details object must be. */
export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Whether `value` has a callable `then`: a handler may return a native promise or any
 * thenable, and both are awaited the same way.
 */
export function isThenable(value: unknown): value is PromiseLike<unknown> {
  return typeof value === 'object' && value !== null && typeof (value as { then?: unknown }).then === 'function';
}
