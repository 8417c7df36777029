/**
 * Test stand-ins for the version layer's ProtocolRules (the real ones live in src/ocpp/). They
 * mimic OCPP 1.6, 2.0.1 and 2.1 closely enough for the core's behaviour to be tested per
 * version without depending on the version layer.
 */
import type { RpcErrorCode } from '../../src/core/error-codes';
import type { ProtocolRules } from '../../src/core/protocol-rules';

/** Actions the test rules consider part of the version (either direction). */
export const KNOWN_ACTIONS: ReadonlySet<string> = new Set([
  'Authorize',
  'BootNotification',
  'DataTransfer',
  'GetVariables',
  'Heartbeat',
  'MeterValues',
  'NotifyPeriodicEventStream',
  'Reset',
  'StatusNotification',
]);

const FROM_16: Readonly<Record<string, string>> = {
  FormationViolation: 'FormatViolation',
  OccurenceConstraintViolation: 'OccurrenceConstraintViolation',
};

function fromWire(wire: string): string {
  return Object.prototype.hasOwnProperty.call(FROM_16, wire) ? FROM_16[wire] : wire;
}

/** OCPP 1.6: typo spellings (RpcFrameworkError and MessageTypeNotSupported sent as FormationViolation and NotImplemented), FormationViolation for framing, GenericError for duplicate ids, unreadable ids dropped, unknown types ignored, no description limit of its own (the core's 255 applies). */
export const rules16: ProtocolRules = Object.freeze({
  protocol: 'ocpp1.6',
  toWireCode(code: RpcErrorCode): string {
    if (code === 'FormatViolation') return 'FormationViolation';
    if (code === 'OccurrenceConstraintViolation') return 'OccurenceConstraintViolation';
    // 1.6 has neither code: the nearest 1.6 code stands in, as in the real table (WIRE_16 in src/ocpp/version-rules.ts).
    if (code === 'RpcFrameworkError') return 'FormationViolation';
    if (code === 'MessageTypeNotSupported') return 'NotImplemented';
    return code;
  },
  fromWireCode: fromWire,
  framingErrorCode: 'FormatViolation',
  duplicateIdCode: 'GenericError',
  unreadableIdReply: false,
  replyToUnknownMessageType: false,
  maxErrorDescriptionLength: undefined,
  hasSendAndCallResultError: false,
  isKnownAction: (action: string) => KNOWN_ACTIONS.has(action),
});

/** OCPP 2.0.1: canonical spellings, RpcFrameworkError, "-1" for unreadable ids, MessageTypeNotSupported replies, 255-character descriptions. */
export const rules201: ProtocolRules = Object.freeze({
  protocol: 'ocpp2.0.1',
  toWireCode: (code: RpcErrorCode) => code,
  fromWireCode: fromWire,
  framingErrorCode: 'RpcFrameworkError',
  duplicateIdCode: 'RpcFrameworkError',
  unreadableIdReply: true,
  replyToUnknownMessageType: true,
  maxErrorDescriptionLength: 255,
  hasSendAndCallResultError: false,
  isKnownAction: (action: string) => KNOWN_ACTIONS.has(action),
});

/** OCPP 2.1: as 2.0.1, plus SEND and CALLRESULTERROR, and unknown message types ignored again. */
export const rules21: ProtocolRules = Object.freeze({
  ...rules201,
  protocol: 'ocpp2.1',
  replyToUnknownMessageType: false,
  hasSendAndCallResultError: true,
});

/** The rule sets that the shared behavioural suite runs over. */
export const ALL_RULES: readonly ProtocolRules[] = [rules16, rules201, rules21];
