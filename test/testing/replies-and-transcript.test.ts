/**
 * The kit's parts that need no socket: every default answer is valid by the schema, for every
 * action each side receives in 1.6, 2.0.1 and 2.1; callError and codes; the transcript's
 * numbering, limit, text and JSON.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { OCPP16_ACTIONS, OCPP201_ACTIONS, OCPP21_ACTIONS, validatePayload, type OcppVersion } from '../../src/index';
import { callError, CallErrorReply, codes, Transcript } from '../../src/testing/index';
import { defaultReply, receives } from '../../src/testing/replies';

const ACTIONS = { 'ocpp1.6': OCPP16_ACTIONS, 'ocpp2.0.1': OCPP201_ACTIONS, 'ocpp2.1': OCPP21_ACTIONS } as const;
/** The requests whose answers mirror them (one result per requested item). */
const SAMPLE: Record<string, unknown> = {
  GetVariables: { getVariableData: [{ component: { name: 'OCPPCommCtrlr' }, variable: { name: 'HeartbeatInterval' } }] },
  SetVariables: { setVariableData: [{ component: { name: 'OCPPCommCtrlr' }, variable: { name: 'HeartbeatInterval' }, attributeValue: '60' }] },
  ClearVariableMonitoring: { id: [1] },
  SetVariableMonitoring: { setMonitoringData: [{ value: 1, type: 'Delta', severity: 0, component: { name: 'EVSE' }, variable: { name: 'Power' } }] },
};

describe('default answers', () => {
  for (const protocol of ['ocpp1.6', 'ocpp2.0.1', 'ocpp2.1'] as const satisfies readonly OcppVersion[]) {
    for (const role of ['CentralSystem', 'ChargePoint'] as const) {
      test(`${protocol}, ${role} side - every action it receives has a default answer that passes the schema, or is named`, () => {
        const without: string[] = [];
        const invalid: string[] = [];
        for (const action of Object.keys(ACTIONS[protocol])) {
          if (!receives(protocol, role, action)) continue;
          const answer = defaultReply(protocol, role, action, SAMPLE[action] ?? {}, () => 1);
          if (answer === undefined) {
            without.push(action);
            continue;
          }
          const check = validatePayload(protocol, action, 'response', answer);
          if (!check.ok) invalid.push(`${action}: ${check.detail}`);
        }
        assert.deepEqual(invalid, []);
        // The few without one are answered NotSupported unless stubbed; keep the list visible.
        assert.ok(without.length <= 3, `${without.length} actions have no default: ${without.join(', ')}`);
      });
    }
  }

  test('BootNotification and Heartbeat carry the real current time; StartTransaction numbers its transactions', () => {
    const boot = defaultReply('ocpp1.6', 'CentralSystem', 'BootNotification', {}, () => 1)!;
    assert.equal(boot.status, 'Accepted');
    assert.ok(Math.abs(Date.parse(boot.currentTime as string) - Date.now()) < 5000);
    let n = 0;
    const counter = (): number => ++n;
    assert.equal(defaultReply('ocpp1.6', 'CentralSystem', 'StartTransaction', {}, counter)!.transactionId, 1);
    assert.equal(defaultReply('ocpp1.6', 'CentralSystem', 'StartTransaction', {}, counter)!.transactionId, 2);
    // 2.0.1 GetVariables from a TestChargePoint: one result per requested variable.
    const got = defaultReply(
      'ocpp2.0.1',
      'ChargePoint',
      'GetVariables',
      { getVariableData: [{ component: { name: 'A' }, variable: { name: 'B' } }] },
      counter,
    )!;
    assert.deepEqual(got, { getVariableResult: [{ attributeStatus: 'UnknownComponent', component: { name: 'A' }, variable: { name: 'B' } }] });
  });

  test('callError - a frozen reply naming code, description and details; bad arguments are TypeErrors naming them', () => {
    const reply = callError('InternalError', 'on purpose', { retry: true });
    assert.ok(reply instanceof CallErrorReply);
    assert.deepEqual({ ...reply }, { code: 'InternalError', description: 'on purpose', details: { retry: true } });
    assert.ok(Object.isFrozen(reply));
    assert.throws(() => callError(''), /callError: code must be a non-empty string/);
    assert.throws(() => callError('InternalError', 5 as never), /description must be a string/);
    assert.throws(() => callError('InternalError', '', [] as never), /details must be a plain object/);
  });

  test('codes - the wire spellings per version', () => {
    assert.deepEqual(
      { ...codes('ocpp1.6') },
      {
        format: 'FormationViolation',
        occurrence: 'OccurenceConstraintViolation',
        type: 'TypeConstraintViolation',
        property: 'PropertyConstraintViolation',
        framing: 'FormationViolation',
        notImplemented: 'NotImplemented',
        notSupported: 'NotSupported',
        security: 'SecurityError',
        internal: 'InternalError',
      },
    );
    assert.equal(codes('ocpp2.0.1').occurrence, 'OccurrenceConstraintViolation');
    assert.equal(codes('ocpp2.0.1').framing, 'RpcFrameworkError');
    assert.throws(() => codes('ocpp9' as never), TypeError);
  });
});

describe('Transcript', () => {
  test('numbers entries from 1, stamps monotonic and wall time, prints arrows and validation notes', () => {
    const t = new Transcript();
    t.add({ direction: 'event', kind: 'event', text: 'connected' });
    const call = t.add({ direction: 'in', kind: 'CALL', text: '[2,"a","Heartbeat",{}]', messageId: 'a', action: 'Heartbeat', validation: 'passed' });
    const bad = t.add({ direction: 'in', kind: 'CALL', text: '[2,"b","Heartbeat",{"x":1}]', messageId: 'b', action: 'Heartbeat', validation: 'passed' });
    bad.validation = 'failed';
    bad.validationError = { code: 'FormatViolation', detail: '$ must NOT have additional properties' };
    t.add({ direction: 'out', kind: 'raw', text: '{Malformed', validation: 'skipped' });
    assert.equal(call.seq, 2);
    assert.ok(bad.monotonicMs >= call.monotonicMs);
    assert.match(call.wallTime, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    const lines = t.format().split('\n');
    assert.equal(lines.length, 4);
    assert.match(lines[0], /^#1 \+\d+\.\dms \S+ -- connected$/);
    assert.match(lines[1], /^#2 .* <- CALL Heartbeat \[2,"a","Heartbeat",\{\}\]$/);
    assert.match(lines[2], /\(validation failed: FormatViolation \$ must NOT have additional properties\)$/);
    assert.match(lines[3], /-> raw \{Malformed {2}\(not validated\)$/);
    assert.equal(t.format({ tail: 1 }).split('\n').length, 1);
    assert.equal(t.find('in', ['CALL'], 'b'), bad);
    const json = JSON.parse(JSON.stringify(t)) as { dropped: number; entries: unknown[] };
    assert.equal(json.entries.length, 4);
    assert.equal(json.dropped, 0);
  });

  test('keeps at most `limit` entries, counts the dropped ones and says so; long texts are cut', () => {
    const t = new Transcript(3);
    for (let i = 0; i < 5; i++) t.add({ direction: 'in', kind: 'CALL', text: 'x'.repeat(600) });
    assert.equal(t.entries.length, 3);
    assert.equal(t.dropped, 2);
    assert.equal(t.length, 5);
    assert.equal(t.entries[0].seq, 3);
    const text = t.format();
    assert.match(text, /^\(2 earlier entries dropped\)/);
    assert.match(text, /x{500}…/);
  });
});
