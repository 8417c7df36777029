/**
 * The one error of `ocpp-sdk/redis`. The adapter never waits in a client's offline queue: when its
 * connection to Redis is down, or a command gets no answer in time, the operation fails at once
 * with this, and the caller (the central system) decides what to do.
 */

/**
 * Redis cannot be reached now: the adapter's connection is down, a command was in flight when it
 * dropped, or it got no answer within `commandTimeoutMs`. Raised at once, never after a client's
 * offline queue.
 *
 * @example
 * ```ts
 * // RedisUnavailableError: redis is unavailable: the connection is down (claim CP001)
 * if (err instanceof RedisUnavailableError) console.warn('presence not recorded yet:', err.message);
 * ```
 */
export class RedisUnavailableError extends Error {
  constructor(detail: string, options?: { cause?: unknown }) {
    super(`redis is unavailable: ${detail}`, options);
  }
}
RedisUnavailableError.prototype.name = 'RedisUnavailableError';
