// The generated ocpp2.1 validators, run directly on every message with the schema-driven example
// generator (test/support/schema-examples.ts), including the SEND payload that validatePayload
// does not cover yet; test/unit/validation.test.ts runs the CALL messages of every version through
// validatePayload with their RPC error codes. Here each variant must be accepted or refused as
// derived, and a refusal must point at the derived JSON path.
import assert from 'node:assert/strict';
import path from 'node:path';
import { describe, it } from 'node:test';
import { loadVersion, VERSIONS } from '../../scripts/codegen/schemas';
import { sendValidators, validators, type ValidateFunction } from '../../src/generated/ocpp21/validators';
import { deepFreeze, SchemaExamples } from '../support/schema-examples';

const ROOT = path.resolve(__dirname, '..', '..');
const spec = VERSIONS.find((v) => v.version === 'ocpp2.1')!;
const loaded = loadVersion(ROOT, spec);

function validatorOf(action: string, kind: 'request' | 'response' | 'send'): ValidateFunction {
  return kind === 'send' ? sendValidators[action] : validators[action][kind];
}

describe('ocpp2.1 generated validators - every message, from a schema-driven example generator', () => {
  it('covers 181 schemas: 90 requests, 90 responses, 1 SEND', () => {
    const kinds = loaded.messages.map((m) => m.kind);
    assert.deepEqual(
      ['request', 'response', 'send'].map((k) => kinds.filter((x) => x === k).length),
      [90, 90, 1],
    );
  });

  for (const msg of loaded.messages) {
    it(`${msg.typeName} - minimal example passes; each derived invalid variant is refused at its path`, () => {
      const validate = validatorOf(msg.action, msg.kind);
      const variants = new SchemaExamples(msg.schema).variants();
      assert.ok(
        variants.some((v) => v.code !== undefined),
        'no invalid variant derived',
      );
      for (const v of variants) {
        // Frozen, so a validator that writes to the payload throws in strict mode.
        const ok = validate(deepFreeze(v.payload));
        if (v.code === undefined) {
          assert.equal(ok, true, `${v.name}: expected valid, got ${JSON.stringify(validate.errors)}`);
          continue;
        }
        assert.equal(ok, false, `${v.name}: expected ${v.code}`);
        const at = validate.errors?.[0].instancePath || '/';
        assert.equal(at, v.path, `${v.name}: refused at ${at}: ${validate.errors?.[0].message}`);
      }
    });
  }
});

describe('ocpp2.1 - what changed from 2.0.1, as the validators see it', () => {
  it('IdTokenType.type is a free string of at most 20 characters, idToken up to 255', () => {
    const authorize = validators['Authorize'].request;
    assert.equal(authorize({ idToken: { idToken: 'x'.repeat(255), type: 'DirectPayment' } }), true);
    assert.equal(authorize({ idToken: { idToken: 'x', type: 'VendorSpecificType' } }), true);
    assert.equal(authorize({ idToken: { idToken: 'x', type: 'x'.repeat(21) } }), false);
    assert.equal(authorize({ idToken: { idToken: 'x'.repeat(256), type: 'Local' } }), false);
  });

  it('Heartbeat is unchanged: an empty request, a response with currentTime', () => {
    assert.equal(validators['Heartbeat'].request({}), true);
    assert.equal(validators['Heartbeat'].response({ currentTime: '2025-01-01T00:00:00Z' }), true);
    assert.equal(validators['Heartbeat'].response({ currentTime: '2025-01-01T00:00:00' }), false);
  });
});
