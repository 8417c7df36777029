/**
 * The one bound on every delay the client schedules. Node and browsers keep timer delays in a
 * signed 32-bit integer: anything above 2^31-1 ms (about 24.8 days), and `Infinity`, fires after
 * 1 ms instead. A delay taken from the wire (a BootNotification `interval` of 2,147,484 s, or
 * `1e400`, both valid per the schema) or from configuration would otherwise turn a long wait into
 * a retry storm.
 */

import { MAX_CALL_TIMEOUT_MS } from '../core/index';

/** Largest delay a timer honours: 2^31-1 ms (about 24.8 days); the core's `MAX_CALL_TIMEOUT_MS`. */
export const MAX_DELAY_MS: number = MAX_CALL_TIMEOUT_MS;

/**
 * `ms` as a delay a timer honours: at most {@link MAX_DELAY_MS} (`Infinity` included), at least
 * 0 (negative values), and 0 for `NaN` (a value that says nothing is no reason to wait forever).
 */
export function clampDelayMs(ms: number): number {
  if (ms > MAX_DELAY_MS) return MAX_DELAY_MS;
  if (ms > 0) return ms;
  return 0;
}
