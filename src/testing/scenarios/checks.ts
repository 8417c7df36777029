/**
 * Checks the ready scenarios share: an answer's field against the expected value, failing with
 * an {@link ExpectationError} that names the action, both values and the transcript's tail.
 */
import { ExpectationError } from '../errors';
import type { ScenarioContext } from '../scenario';

/**
 * Fails unless `actual` equals one of `expected`: `what` names it, e.g.
 * `the answer to Reset: status`.
 * @throws ExpectationError
 */
export function expectValue(ctx: ScenarioContext, what: string, actual: unknown, ...expected: readonly unknown[]): void {
  if (expected.includes(actual)) return;
  throw new ExpectationError({
    awaited: `${what} to be ${expected.map((e) => JSON.stringify(e)).join(' or ')}`,
    got: `it was ${JSON.stringify(actual)}`,
    identity: ctx.station.identity,
    transcriptTail: ctx.station.transcript.format({ tail: 10 }),
  });
}
