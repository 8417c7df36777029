/**
 * The 2.1 rules on the wire, with the real OCPP21_RULES (the core suite runs over stand-ins):
 * what a 2.1 endpoint does with frames 2.0.1 would have answered differently, and what 1.6 and
 * 2.0.1 do with the 2.1 types 5 and 6 (SEND and CALLRESULTERROR themselves: ocpp21-send and
 * ocpp21-callresulterror tests).
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { OCPP16_RULES, OCPP201_RULES, OCPP21_RULES } from '../../src/ocpp/version-rules';
import { collect, guardUnhandledRejections, setup } from '../support/harness';

describe('ocpp2.1 wire rules (real version table)', () => {
  test('2.1 rule: an unknown message type is ignored (no MessageTypeNotSupported), reported as badFrame, and the connection goes on', async () => {
    const { endpoint, peer } = setup(OCPP21_RULES);
    const bad = collect(endpoint, 'badFrame');
    endpoint.handle('Heartbeat', () => ({ currentTime: '2025-01-01T00:00:00Z' }));
    peer.send([7, 'u1', 'Heartbeat', {}]);
    peer.send([0, 'u2']);
    peer.send([2, 'ok', 'Heartbeat', {}]);
    assert.deepEqual(await peer.frame(0), [3, 'ok', { currentTime: '2025-01-01T00:00:00Z' }]);
    assert.equal(peer.frames.length, 1, 'nothing but the CALLRESULT was sent');
    assert.deepEqual(
      bad.map((e) => [e.error.kind, e.error.messageType, e.replied]),
      [
        ['unknown-message-type', 7, false],
        ['unknown-message-type', 0, false],
      ],
    );
    endpoint.close();
  });

  test('the same frame on 2.0.1 is answered MessageTypeNotSupported (the rule that differs)', async () => {
    const { endpoint, peer } = setup(OCPP201_RULES);
    peer.send([7, 'u1', 'Heartbeat', {}]);
    const reply = await peer.frame(0);
    assert.deepEqual([reply[0], reply[1], reply[2]], [4, 'u1', 'MessageTypeNotSupported']);
    endpoint.close();
  });

  test('1.6 and 2.0.1 have no types 5 and 6: 2.0.1 answers MessageTypeNotSupported, 1.6 ignores them; no handler runs either way', async () => {
    for (const [rules, replies] of [
      [OCPP16_RULES, []],
      [
        OCPP201_RULES,
        [
          [4, 's1', 'MessageTypeNotSupported'],
          [4, 's2', 'MessageTypeNotSupported'],
        ],
      ],
    ] as const) {
      const { endpoint, peer } = setup(rules);
      const bad = collect(endpoint, 'badFrame');
      let handled = 0;
      endpoint.handle('NotifyPeriodicEventStream', () => void handled++);
      endpoint.handle('Heartbeat', () => ({ currentTime: '2025-01-01T00:00:00Z' }));
      peer.send([6, 's1', 'NotifyPeriodicEventStream', { id: 1, pending: 0, basetime: '2025-01-01T00:00:00Z', data: [] }]);
      peer.send([5, 's2', 'FormatViolation', 'bad result', {}]);
      peer.send([2, 'ok', 'Heartbeat', {}]);
      await peer.frame(replies.length);
      assert.deepEqual(
        peer.frames.slice(0, -1).map((f) => f.slice(0, 3)),
        replies,
        rules.protocol,
      );
      assert.equal(handled, 0);
      assert.deepEqual(
        bad.map((e) => [e.error.kind, e.error.messageType, e.replied]),
        [
          ['unknown-message-type', 6, replies.length > 0],
          ['unknown-message-type', 5, replies.length > 0],
        ],
      );
      endpoint.close();
    }
  });

  test('2.1: a broken SEND or CALLRESULTERROR is reported as badFrame and never answered (a SEND never is, nor an answer to an answer)', async () => {
    const guard = guardUnhandledRejections();
    const { endpoint, peer } = setup(OCPP21_RULES);
    const bad = collect(endpoint, 'badFrame');
    const inbound = collect(endpoint, 'frame');
    endpoint.handle('Heartbeat', () => ({ currentTime: '2025-01-01T00:00:00Z' }));
    peer.send([5, 's3']);
    peer.send([6, 's4', 'NotifyPeriodicEventStream', null]);
    peer.send([6, 's5']);
    peer.send([2, 'ok', 'Heartbeat', {}]);
    assert.deepEqual(await peer.frame(0), [3, 'ok', { currentTime: '2025-01-01T00:00:00Z' }]);
    assert.equal(peer.frames.length, 1, 'no reply to a broken SEND or CALLRESULTERROR');
    assert.deepEqual(
      bad.map((e) => [e.error.messageType, e.messageId, e.replied]),
      [
        [5, 's3', false],
        [6, 's4', false],
        [6, 's5', false],
      ],
    );
    assert.deepEqual(
      inbound.map((e) => [e.direction, e.frame.type]),
      [
        ['inbound', 2],
        ['outbound', 3],
      ],
    );
    endpoint.close();
    await guard.check();
  });

  test('2.1 rule: a text that is no frame is answered RpcFrameworkError under "-1", as in 2.0.1', async () => {
    const { endpoint, peer } = setup(OCPP21_RULES);
    peer.sendText('not json');
    const reply = await peer.frame(0);
    assert.deepEqual([reply[0], reply[1], reply[2]], [4, '-1', 'RpcFrameworkError']);
    endpoint.close();
  });

  test('2.1 rule: the 2.0.1 spellings go out (FormatViolation, OccurrenceConstraintViolation); the 1.6 ones are still read', () => {
    assert.equal(OCPP21_RULES.toWireCode('FormatViolation'), 'FormatViolation');
    assert.equal(OCPP21_RULES.toWireCode('OccurrenceConstraintViolation'), 'OccurrenceConstraintViolation');
    assert.equal(OCPP21_RULES.fromWireCode('OccurenceConstraintViolation'), 'OccurrenceConstraintViolation');
  });
});
