/**
 * The one failure of the kit: {@link ExpectationError}, an `AssertionError`, so every test
 * framework reports it as a failed assertion (not as a crash) and shows its message.
 */
import { AssertionError } from 'node:assert';

/** What an {@link ExpectationError} is built from. */
export interface ExpectationErrorInit {
  /** What was awaited, e.g. `BootNotification matching {"reason":"PowerUp"}`. */
  readonly awaited: string;
  /** What came instead: the closest message, nothing, a disconnect. */
  readonly got: string;
  /** The transcript's last lines, printed under the message. */
  readonly transcriptTail?: string;
  /** The station or charge point the expectation was about. */
  readonly identity?: string;
  /** Underlying failure, if any. */
  readonly cause?: unknown;
}

/**
 * An expectation of the test kit failed: a message did not come in time, came in another shape
 * or order, came too early or too late, or came when none was allowed.
 *
 * The message names what was awaited, what came instead, and ends with the transcript's last
 * lines, so a failure in CI can be read without re-running it.
 */
export class ExpectationError extends AssertionError {
  /** AssertionError's `actual`: here always undefined (what came is in {@link ExpectationError.got}). */
  declare readonly actual: unknown;
  /** AssertionError's `expected`: here always undefined (what was awaited is in {@link ExpectationError.awaited}). */
  declare readonly expected: unknown;
  /** What was awaited. */
  readonly awaited: string;
  /** What came instead. */
  readonly got: string;
  /** The transcript's last lines at the moment of failure ('' when none). */
  readonly transcriptTail: string;
  /** The station or charge point concerned, when there is one. */
  readonly identity: string | undefined;

  constructor(init: ExpectationErrorInit) {
    const who = init.identity === undefined ? '' : `${init.identity}: `;
    const tail = init.transcriptTail ?? '';
    const message = `${who}expected ${init.awaited}\n  but ${init.got}${tail === '' ? '' : `\n  transcript (last lines):\n${indent(tail, '    ')}`}`;
    super({ message, operator: 'ocpp-expectation' });
    this.name = 'ExpectationError';
    // Not enumerable: the message already says all of it, and test runners print an error's
    // enumerable fields under its stack (the transcript would show twice).
    const hidden = (key: string, value: unknown): void =>
      void Object.defineProperty(this, key, { value, enumerable: false, configurable: true, writable: true });
    this.awaited = init.awaited;
    this.got = init.got;
    this.transcriptTail = tail;
    this.identity = init.identity;
    for (const key of ['awaited', 'got', 'transcriptTail', 'identity', 'actual', 'expected']) hidden(key, (this as unknown as Record<string, unknown>)[key]);
    if (init.cause !== undefined) Object.defineProperty(this, 'cause', { value: init.cause, configurable: true, writable: true });
  }
}

function indent(text: string, prefix: string): string {
  return text
    .split('\n')
    .map((line) => prefix + line)
    .join('\n');
}
