/**
 * Checklist item 10 (and the version facts behind items 11-14, 16, 32): the real version tables
 * OCPP16_RULES, OCPP201_RULES and OCPP21_RULES, not the test stand-ins the core suite runs over.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { RPC_ERROR_CODES, type RpcErrorCode } from '../../src/core/error-codes';
import { descriptionLimit } from '../../src/core/error-replies';
import { OCPP16_RULES, OCPP201_RULES, OCPP21_RULES, rulesFor } from '../../src/ocpp/version-rules';
import type { OcppVersion } from '../../src/ocpp/version';
import { rules16, rules201 } from '../support/protocol-rules';

/** Every canonical code as each version spells it on the wire. */
const WIRE: Record<RpcErrorCode, { '1.6': string; '2.0.1': string }> = {
  FormatViolation: { '1.6': 'FormationViolation', '2.0.1': 'FormatViolation' },
  GenericError: { '1.6': 'GenericError', '2.0.1': 'GenericError' },
  InternalError: { '1.6': 'InternalError', '2.0.1': 'InternalError' },
  MessageTypeNotSupported: { '1.6': 'NotImplemented', '2.0.1': 'MessageTypeNotSupported' },
  NotImplemented: { '1.6': 'NotImplemented', '2.0.1': 'NotImplemented' },
  NotSupported: { '1.6': 'NotSupported', '2.0.1': 'NotSupported' },
  OccurrenceConstraintViolation: { '1.6': 'OccurenceConstraintViolation', '2.0.1': 'OccurrenceConstraintViolation' },
  PropertyConstraintViolation: { '1.6': 'PropertyConstraintViolation', '2.0.1': 'PropertyConstraintViolation' },
  ProtocolError: { '1.6': 'ProtocolError', '2.0.1': 'ProtocolError' },
  RpcFrameworkError: { '1.6': 'FormationViolation', '2.0.1': 'RpcFrameworkError' },
  SecurityError: { '1.6': 'SecurityError', '2.0.1': 'SecurityError' },
  TypeConstraintViolation: { '1.6': 'TypeConstraintViolation', '2.0.1': 'TypeConstraintViolation' },
};

describe('version rules (item 10)', () => {
  test("item 10: every code is sent in the version's spelling (1.6: the errata's FormationViolation and OccurenceConstraintViolation; its nearest code for the two it lacks)", () => {
    assert.deepEqual(Object.keys(WIRE).sort(), [...RPC_ERROR_CODES].sort(), 'the table above covers every code');
    for (const code of RPC_ERROR_CODES) {
      assert.equal(OCPP16_RULES.toWireCode(code), WIRE[code]['1.6'], `1.6 ${code}`);
      assert.equal(OCPP201_RULES.toWireCode(code), WIRE[code]['2.0.1'], `2.0.1 ${code}`);
    }
  });

  test('2.1 rule: every code is spelt as in 2.0.1 (both Part 4s spell OccurrenceConstraintViolation)', () => {
    for (const code of RPC_ERROR_CODES) assert.equal(OCPP21_RULES.toWireCode(code), WIRE[code]['2.0.1'], `2.1 ${code}`);
  });

  test("item 10: the core suite's 1.6 stand-in spells every code as the real 1.6 table does", () => {
    for (const code of RPC_ERROR_CODES) {
      assert.equal(rules16.toWireCode(code), OCPP16_RULES.toWireCode(code), code);
      assert.equal(rules201.toWireCode(code), OCPP201_RULES.toWireCode(code), code);
    }
  });

  test("item 11: received codes are read in either version's spelling into the canonical code; unknown codes are kept", () => {
    for (const rules of [OCPP16_RULES, OCPP201_RULES, OCPP21_RULES]) {
      assert.equal(rules.fromWireCode('FormationViolation'), 'FormatViolation');
      assert.equal(rules.fromWireCode('OccurenceConstraintViolation'), 'OccurrenceConstraintViolation');
      for (const code of RPC_ERROR_CODES) assert.equal(rules.fromWireCode(code), code, `${rules.protocol} ${code}`);
      assert.equal(rules.fromWireCode('VendorSpecificThing'), 'VendorSpecificThing');
    }
  });

  test('items 12-14, 32: framing, duplicate-id, unreadable-id and unknown-type behaviour per version', () => {
    const facts = (r: typeof OCPP16_RULES) => ({
      protocol: r.protocol,
      framing: r.toWireCode(r.framingErrorCode),
      duplicate: r.toWireCode(r.duplicateIdCode),
      unreadableIdReply: r.unreadableIdReply,
      replyToUnknownMessageType: r.replyToUnknownMessageType,
      hasSendAndCallResultError: r.hasSendAndCallResultError,
    });
    assert.deepEqual(facts(OCPP16_RULES), {
      protocol: 'ocpp1.6',
      framing: 'FormationViolation',
      duplicate: 'GenericError',
      unreadableIdReply: false,
      replyToUnknownMessageType: false,
      hasSendAndCallResultError: false,
    });
    assert.deepEqual(facts(OCPP201_RULES), {
      protocol: 'ocpp2.0.1',
      framing: 'RpcFrameworkError',
      duplicate: 'RpcFrameworkError',
      unreadableIdReply: true,
      replyToUnknownMessageType: true,
      hasSendAndCallResultError: false,
    });
    // 2.1 rule: unknown message types are ignored (2.0.1 answered MessageTypeNotSupported); the
    // rest as 2.0.1, plus SEND (6) and CALLRESULTERROR (5).
    assert.deepEqual(facts(OCPP21_RULES), {
      protocol: 'ocpp2.1',
      framing: 'RpcFrameworkError',
      duplicate: 'RpcFrameworkError',
      unreadableIdReply: true,
      replyToUnknownMessageType: false,
      hasSendAndCallResultError: true,
    });
  });

  test("items 9, 59: 2.0.1 limits descriptions to 255; 1.6 sets none of its own, and the core's 255 applies to both", () => {
    assert.equal(OCPP201_RULES.maxErrorDescriptionLength, 255);
    assert.equal(OCPP21_RULES.maxErrorDescriptionLength, 255);
    assert.equal(OCPP16_RULES.maxErrorDescriptionLength, undefined);
    assert.equal(descriptionLimit(OCPP16_RULES.maxErrorDescriptionLength), 255);
    assert.equal(descriptionLimit(OCPP201_RULES.maxErrorDescriptionLength), 255);
  });

  test('items 5, 16: isKnownAction is exact, suffix-free and version-specific, and no inherited name counts', () => {
    assert.equal(OCPP16_RULES.isKnownAction('StartTransaction'), true);
    assert.equal(OCPP201_RULES.isKnownAction('StartTransaction'), false);
    assert.equal(OCPP201_RULES.isKnownAction('TransactionEvent'), true);
    assert.equal(OCPP16_RULES.isKnownAction('TransactionEvent'), false);
    assert.equal(OCPP21_RULES.isKnownAction('TransactionEvent'), true);
    assert.equal(OCPP21_RULES.isKnownAction('BatterySwap'), true);
    assert.equal(OCPP201_RULES.isKnownAction('BatterySwap'), false);
    // An action of the version, though it travels only as a SEND.
    assert.equal(OCPP21_RULES.isKnownAction('NotifyPeriodicEventStream'), true);
    for (const rules of [OCPP16_RULES, OCPP201_RULES, OCPP21_RULES]) {
      assert.equal(rules.isKnownAction('BootNotification'), true, rules.protocol);
      assert.equal(rules.isKnownAction('DataTransfer'), true, rules.protocol);
      for (const name of [
        'bootNotification',
        'BOOTNOTIFICATION',
        'BootNotificationRequest',
        'BootNotification ',
        '',
        'toString',
        'constructor',
        '__proto__',
        'hasOwnProperty',
      ]) {
        assert.equal(rules.isKnownAction(name), false, `${rules.protocol} ${JSON.stringify(name)}`);
      }
    }
  });

  test('rulesFor gives each subprotocol its table; the tables are frozen', () => {
    assert.equal(rulesFor('ocpp1.6'), OCPP16_RULES);
    assert.equal(rulesFor('ocpp2.0.1'), OCPP201_RULES);
    assert.equal(rulesFor('ocpp2.1'), OCPP21_RULES);
    assert.ok(Object.isFrozen(OCPP16_RULES) && Object.isFrozen(OCPP201_RULES) && Object.isFrozen(OCPP21_RULES));
    for (const bad of ['ocpp2.2', 'toString', '']) assert.throws(() => rulesFor(bad as OcppVersion), TypeError, bad);
  });
});
