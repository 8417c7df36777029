import type { RpcErrorCode } from '../core/error-codes';
import type { ProtocolRules } from '../core/protocol-rules';
import { OCPP16_ACTIONS } from '../generated/ocpp16/actions';
import { OCPP201_ACTIONS } from '../generated/ocpp201/actions';
import { OCPP21_ACTIONS, OCPP21_SEND_ACTIONS } from '../generated/ocpp21/actions';

import type { OcppVersion } from './version';

/**
 * 1.6 keeps two misspelt codes on purpose (OCPP-J 1.6 errata §5); 1.6 also has no
 * MessageTypeNotSupported or RpcFrameworkError, so their nearest 1.6 codes stand in should the
 * core ever need to send them on a 1.6 connection.
 */
const WIRE_16: Readonly<Record<RpcErrorCode, string>> = {
  FormatViolation: 'FormationViolation',
  GenericError: 'GenericError',
  InternalError: 'InternalError',
  MessageTypeNotSupported: 'NotImplemented',
  NotImplemented: 'NotImplemented',
  NotSupported: 'NotSupported',
  OccurrenceConstraintViolation: 'OccurenceConstraintViolation',
  PropertyConstraintViolation: 'PropertyConstraintViolation',
  ProtocolError: 'ProtocolError',
  RpcFrameworkError: 'FormationViolation',
  SecurityError: 'SecurityError',
  TypeConstraintViolation: 'TypeConstraintViolation',
};

/** Inbound, both spellings of both versions map to the canonical (2.0.1) code: checklist item 11. */
const FROM_WIRE: ReadonlyMap<string, string> = new Map([
  ['FormationViolation', 'FormatViolation'],
  ['OccurenceConstraintViolation', 'OccurrenceConstraintViolation'],
]);

function fromWireCode(wire: string): string {
  return FROM_WIRE.get(wire) ?? wire;
}

/** 2.x spells every code the canonical way. */
function canonicalSpelling(code: RpcErrorCode): string {
  return code;
}

/** The 2.1 actions that travel as SEND (6) and never as CALL. */
const SEND_21: ReadonlySet<string> = new Set<string>(OCPP21_SEND_ACTIONS);

/** 1.6 and 2.0.1 have no SEND: no action travels as one. */
const noSendActions = (): boolean => false;

/** OCPP-J 1.6 rules (with the 2019 errata). */
export const OCPP16_RULES: ProtocolRules = Object.freeze({
  protocol: 'ocpp1.6',
  toWireCode: (code: RpcErrorCode) => WIRE_16[code],
  fromWireCode,
  framingErrorCode: 'FormatViolation',
  // 1.6 names no code for a reused id; GenericError is the honest catch-all.
  duplicateIdCode: 'GenericError',
  // 1.6 has no "-1" rule: an answer with an invented id could only confuse the peer.
  unreadableIdReply: false,
  replyToUnknownMessageType: false,
  maxErrorDescriptionLength: undefined,
  hasSendAndCallResultError: false,
  isKnownAction: (action: string) => Object.prototype.hasOwnProperty.call(OCPP16_ACTIONS, action),
  isSendAction: noSendActions,
});

/** OCPP-J 2.0.1 rules (Part 4, with the 2023-12 errata). */
export const OCPP201_RULES: ProtocolRules = Object.freeze({
  protocol: 'ocpp2.0.1',
  toWireCode: canonicalSpelling,
  fromWireCode,
  framingErrorCode: 'RpcFrameworkError',
  duplicateIdCode: 'RpcFrameworkError',
  unreadableIdReply: true,
  replyToUnknownMessageType: true,
  maxErrorDescriptionLength: 255,
  hasSendAndCallResultError: false,
  isKnownAction: (action: string) => Object.prototype.hasOwnProperty.call(OCPP201_ACTIONS, action),
  isSendAction: noSendActions,
});

/**
 * OCPP-J 2.1 rules (Part 4, 2025-01): the 2.0.1 error spellings, the "-1" id, the 255-character
 * description, but an unknown message type is ignored (2.1 Part 4) where 2.0.1 answered
 * MessageTypeNotSupported; and two message types of its own: CALLRESULTERROR (5), with which a
 * party rejects a CALLRESULT it received, and SEND (6), a request that is never answered
 * (NotifyPeriodicEventStream travels only as one).
 */
export const OCPP21_RULES: ProtocolRules = Object.freeze({
  protocol: 'ocpp2.1',
  toWireCode: canonicalSpelling,
  fromWireCode,
  framingErrorCode: 'RpcFrameworkError',
  duplicateIdCode: 'RpcFrameworkError',
  unreadableIdReply: true,
  replyToUnknownMessageType: false,
  maxErrorDescriptionLength: 255,
  hasSendAndCallResultError: true,
  isKnownAction: (action: string) => Object.prototype.hasOwnProperty.call(OCPP21_ACTIONS, action),
  isSendAction: (action: string) => SEND_21.has(action),
});

const RULES: Readonly<Record<OcppVersion, ProtocolRules>> = {
  'ocpp1.6': OCPP16_RULES,
  'ocpp2.0.1': OCPP201_RULES,
  'ocpp2.1': OCPP21_RULES,
};

/**
 * The rules for a negotiated subprotocol.
 *
 * @throws TypeError when `protocol` is not a supported version.
 */
export function rulesFor(protocol: OcppVersion): ProtocolRules {
  // Own-property check: a string such as 'toString' must not reach Object.prototype.
  if (!Object.prototype.hasOwnProperty.call(RULES, protocol)) throw new TypeError(`unknown OCPP version ${JSON.stringify(protocol)}`);
  return RULES[protocol];
}
