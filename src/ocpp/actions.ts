/**
 * Version-keyed views of the generated action tables: which actions exist, who sends them, and
 * the request/response types per role. `call()` and `handle()` are typed with
 * {@link OutgoingActions} and {@link IncomingActions}, which is what makes sending a CSMS-only
 * action from a charger, or answering with the wrong shape, a compile error.
 */
import { OCPP16_ACTIONS, type OCPP16ActionMap } from '../generated/ocpp16/actions';
import { OCPP201_ACTIONS, type OCPP201ActionMap } from '../generated/ocpp201/actions';
import { OCPP21_ACTIONS, type OCPP21ActionMap } from '../generated/ocpp21/actions';
import type { ActionShape } from '../core/action-shapes';
import type { OcppVersion } from './version';

/**
 * One side of an OCPP connection. The same words serve every version: in 2.0.1 and 2.1,
 * `'ChargePoint'` is the Charging Station and `'CentralSystem'` the CSMS.
 */
export type OcppRole = 'ChargePoint' | 'CentralSystem';

/** Who sends an action's request: one role, or `'Both'` (DataTransfer). */
export type ActionSender = OcppRole | 'Both';

/** The generated action map of a version: request, response and sender of every action. */
export type ActionMapOf<V extends OcppVersion> = V extends 'ocpp1.6'
  ? OCPP16ActionMap
  : V extends 'ocpp2.0.1'
    ? OCPP201ActionMap
    : V extends 'ocpp2.1'
      ? OCPP21ActionMap
      : never;

/** Action names of a version. */
export type ActionName<V extends OcppVersion> = keyof ActionMapOf<V> & string;

/** The role on the other end of the connection. */
export type PeerRole<R extends OcppRole> = R extends 'ChargePoint' ? 'CentralSystem' : 'ChargePoint';

/**
 * The actions role `R` may send in version `V` as a CALL (sent by `R` or by both sides), each with
 * its request and response type. `OutgoingActions<'ocpp1.6', 'ChargePoint'>` has BootNotification
 * and DataTransfer but not Reset. Actions that travel only as a SEND (2.1's
 * NotifyPeriodicEventStream, marked `messageType: 'SEND'` in the map) are left out: they have no
 * response, and `call()` must not offer them.
 */
export type OutgoingActions<V extends OcppVersion, R extends OcppRole> = {
  [A in keyof ActionMapOf<V> as ActionMapOf<V>[A] extends { messageType: 'SEND' } ? never : ActionMapOf<V>[A] extends { sentBy: R | 'Both' } ? A : never]: {
    /** The request payload type. */
    request: ActionMapOf<V>[A] extends { request: infer Q } ? Q : never;
    /** The response payload type. */
    response: ActionMapOf<V>[A] extends { response: infer S } ? S : never;
  };
};

/**
 * The actions role `R` may send in version `V` as a SEND (OCPP 2.1, message type 6: never
 * answered), each with its request type and `response: void`. `SendActions<'ocpp2.1',
 * 'ChargePoint'>` has NotifyPeriodicEventStream; it is empty for the CSMS, and for 1.6 and 2.0.1.
 */
export type SendActions<V extends OcppVersion, R extends OcppRole> = {
  [A in keyof ActionMapOf<V> as ActionMapOf<V>[A] extends { messageType: 'SEND'; sentBy: R | 'Both' } ? A : never]: {
    /** The payload type. */
    request: ActionMapOf<V>[A] extends { request: infer Q } ? Q : never;
    /** A SEND has no response: its handler's return value is ignored. */
    response: void;
  };
};

/**
 * The actions role `R` may receive in version `V`: the peer's CALLs (sent by the peer or by both
 * sides), what `R` must handle, and the peer's SENDs (2.1), whose handlers return nothing.
 * `IncomingActions<'ocpp2.0.1', 'ChargePoint'>` has RequestStartTransaction but not
 * BootNotification; `IncomingActions<'ocpp2.1', 'CentralSystem'>` has NotifyPeriodicEventStream.
 */
export type IncomingActions<V extends OcppVersion, R extends OcppRole> = {
  [A in keyof ActionMapOf<V> as ActionMapOf<V>[A] extends { sentBy: PeerRole<R> | 'Both' } ? A : never]: {
    /** The request payload type. */
    request: ActionMapOf<V>[A] extends { request: infer Q } ? Q : never;
    /** The response payload type; `void` for a SEND, which is never answered. */
    response: ActionMapOf<V>[A] extends { messageType: 'SEND' } ? void : ActionMapOf<V>[A] extends { response: infer S } ? S : never;
  };
};

/**
 * Restates an action map so that TypeScript can see, for a still-generic version, that every
 * entry has a request and a response (what the core's endpoint requires of its maps).
 */
export type Shapes<T> = { [K in keyof T]: T[K] extends ActionShape ? T[K] : never };

const SENDERS: Readonly<Record<OcppVersion, Readonly<Record<string, ActionSender>>>> = {
  'ocpp1.6': OCPP16_ACTIONS,
  'ocpp2.0.1': OCPP201_ACTIONS,
  'ocpp2.1': OCPP21_ACTIONS,
};

function sendersOf(version: OcppVersion): Readonly<Record<string, ActionSender>> {
  // An own-property check, so that neither a bad version nor an action such as 'toString' or
  // '__proto__' can reach Object.prototype.
  if (!Object.prototype.hasOwnProperty.call(SENDERS, version)) {
    throw new TypeError(`unknown OCPP version ${JSON.stringify(version)} (expected 'ocpp1.6', 'ocpp2.0.1' or 'ocpp2.1')`);
  }
  return SENDERS[version];
}

/**
 * True when `action` is an action of `version` (in either direction). Case-sensitive, as
 * action names are on the wire.
 *
 * @throws TypeError when `version` is not a supported version.
 */
export function isKnownAction<V extends OcppVersion>(version: V, action: string): action is ActionName<V> {
  return Object.prototype.hasOwnProperty.call(sendersOf(version), action);
}

/**
 * Who sends the request of `action` in `version`, or `undefined` for an action the version
 * does not have.
 *
 * @throws TypeError when `version` is not a supported version.
 */
export function actionSender(version: OcppVersion, action: string): ActionSender | undefined {
  const senders = sendersOf(version);
  return Object.prototype.hasOwnProperty.call(senders, action) ? senders[action] : undefined;
}

/**
 * True when `role` may send the request of `action` in `version`: the action is the role's
 * own or goes both ways. False for unknown actions.
 *
 * @throws TypeError when `version` is not a supported version.
 */
export function canSend(version: OcppVersion, role: OcppRole, action: string): boolean {
  const sender = actionSender(version, action);
  return sender === role || sender === 'Both';
}
