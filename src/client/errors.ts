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

/** What {@link NotRegisteredError} is built from. */
export interface NotRegisteredErrorInit {
  /** The action that could not be sent. */
  action: string;
  /** The registration state at the time (undefined before any BootNotification answer). */
  bootStatus: 'Accepted' | 'Pending' | 'Rejected' | undefined;
}

/**
 * A SEND (OCPP 2.1) was attempted with `bootGating` on before the central system accepted the
 * charge point. A CALL waits for the registration instead; a SEND carries data that is only
 * worth its moment (a periodic event stream), so it is refused at once and the caller decides.
 *
 * @example
 * ```ts
 * // NotRegisteredError: NotifyPeriodicEventStream not sent: the charge point is not registered (Pending)
 * if (err instanceof NotRegisteredError) skipThisSample();
 * ```
 */
export class NotRegisteredError extends Error {
  /** The action that could not be sent. */
  readonly action: string;
  /** The registration state at the time. */
  readonly bootStatus: 'Accepted' | 'Pending' | 'Rejected' | undefined;

  constructor(init: NotRegisteredErrorInit) {
    super(`${init.action} not sent: the charge point is not registered (${init.bootStatus ?? 'no BootNotification answered yet'})`);
    this.action = init.action;
    this.bootStatus = init.bootStatus;
  }
}
NotRegisteredError.prototype.name = 'NotRegisteredError';
