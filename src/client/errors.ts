/**
 * The ChargePoint's connection state, and the error of a call made without a connection.
 */

/** Connection state of a ChargePoint. */
export type ChargePointState = 'idle' | 'connecting' | 'open' | 'reconnecting' | 'closed';

/** What {@link NotConnectedError} is built from. */
export interface NotConnectedErrorInit {
  /** The action that could not be sent. */
  action: string;
  /** The charge point's state at the time. */
  state: ChargePointState;
  /** Why there is no connection, when known: the last connection failure (a `ConnectionError`). */
  cause?: unknown;
}

/**
 * A call was made while the charge point has no connection (and the message is not queued), or
 * a queued or held call was still waiting when the charge point was closed.
 *
 * @example
 * ```ts
 * // NotConnectedError: Heartbeat not sent: the charge point is not connected (reconnecting)
 * if (err instanceof NotConnectedError && err.state !== 'closed') retryLater();
 * ```
 */
export class NotConnectedError extends Error {
  /** The action that could not be sent. */
  readonly action: string;
  /** The charge point's state at the time. */
  readonly state: ChargePointState;

  constructor(init: NotConnectedErrorInit) {
    const why = init.state === 'closed' ? 'closed' : `not connected (${init.state})`;
    super(`${init.action} not sent: the charge point is ${why}`, 'cause' in init && init.cause !== undefined ? { cause: init.cause } : undefined);
    this.action = init.action;
    this.state = init.state;
  }
}
NotConnectedError.prototype.name = 'NotConnectedError';
