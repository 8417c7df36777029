/**
 * The core's inbound gate beyond a refusal code (checklist item 49): it sees the payload, and
 * `null` drops a CALL without any answer (what a Rejected 1.6 charge point must do).
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { flush, setup } from '../support/harness';
import { rules16, rules201 } from '../support/protocol-rules';

describe('inboundGate', () => {
  for (const rules of [rules16, rules201]) {
    test(`item 49: null drops the CALL unanswered and unhandled; the next CALL is served (${rules.protocol})`, async () => {
      let closed = true;
      const seen: unknown[] = [];
      const { endpoint, peer } = setup(rules, {
        inboundGate: (action, payload) => {
          seen.push([action, payload]);
          return closed ? null : undefined;
        },
      });
      let ran = 0;
      endpoint.handle('Reset', () => (ran++, { status: 'Accepted' }));
      peer.send([2, 'd1', 'Reset', { type: 'Soft' }]);
      await flush();
      assert.equal(peer.frames.length, 0, 'nothing answered');
      assert.equal(ran, 0);
      assert.deepEqual(seen, [['Reset', { type: 'Soft' }]], 'the gate sees action and payload');
      closed = false;
      assert.deepEqual(await peer.exchange([2, 'd1', 'Reset', { type: 'Hard' }]), [3, 'd1', { status: 'Accepted' }], 'a dropped id is not "in progress"');
      assert.equal(ran, 1);
      endpoint.close();
    });
  }
});
