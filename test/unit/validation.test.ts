import assert from 'node:assert/strict';
import path from 'node:path';
import { describe, it } from 'node:test';
import type { PayloadValidator, ValidationIssue } from '../../src/core/validator';
import { loadVersion, VERSIONS } from '../../scripts/codegen/schemas';
import { createPayloadValidator, validatePayload, type PayloadCheck, type ValidationPolicy } from '../../src/ocpp/validation';
import { isOcppVersion, type OcppVersion } from '../../src/ocpp/version';
import type * as V16 from '../../src/generated/ocpp16/types';
import type * as V201 from '../../src/generated/ocpp201/types';
import { deepFreeze, EXTRA, SchemaExamples } from '../support/schema-examples';

const ROOT = path.resolve(__dirname, '..', '..');

function failed(r: PayloadCheck): Extract<PayloadCheck, { ok: false }> {
  assert.equal(r.ok, false, 'expected the payload to be rejected');
  return r;
}

function check(version: OcppVersion, action: string, kind: 'request' | 'response', payload: unknown): PayloadCheck {
  // Frozen, so a validator that writes to the payload throws in strict mode and fails the test.
  return validatePayload(version, action, kind, deepFreeze(payload));
}

describe('validatePayload - every message, from a schema-driven example generator', () => {
  // Every version, 2.1 included; a SEND payload (2.1's NotifyPeriodicEventStream) is not a CALL
  // message: it is checked by test/unit/generated-ocpp21.test.ts until SEND itself lands.
  for (const spec of VERSIONS) {
    const version = spec.version;
    if (!isOcppVersion(version)) continue;
    const loaded = loadVersion(ROOT, spec);
    for (const msg of loaded.messages) {
      const kind = msg.kind;
      if (kind === 'send') continue;
      it(`${spec.version} ${msg.typeName} - minimal example passes; each derived variant gives its code and names the path`, () => {
        const variants = new SchemaExamples(msg.schema).variants();
        const invalid = variants.filter((v) => v.code !== undefined);
        // Even a message without properties (Heartbeat request) gets the root extra-property variant.
        assert.ok(invalid.length >= 1, 'no invalid variant derived');
        for (const v of variants) {
          const r = check(version, msg.action, kind, v.payload);
          if (v.code === undefined) {
            assert.deepEqual(r, { ok: true }, `${v.name}: expected valid, got ${JSON.stringify(r)}`);
            continue;
          }
          const f = failed(r);
          assert.equal(f.code, v.code, `${v.name}: ${f.detail}`);
          assert.ok(f.detail.startsWith(`${v.path}: `), `${v.name}: detail "${f.detail}" does not start with "${v.path}: "`);
          if (v.mentions) assert.ok(f.detail.includes(v.mentions), `${v.name}: detail "${f.detail}" does not mention ${v.mentions}`);
        }
      });
    }
  }
});

describe('validatePayload - mapping and detail text', () => {
  it('required → OccurrenceConstraintViolation with "/: must have required property"', () => {
    const f = failed(check('ocpp1.6', 'BootNotification', 'request', { chargePointVendor: 'ABB' }));
    assert.equal(f.code, 'OccurrenceConstraintViolation');
    assert.equal(f.keyword, 'required');
    assert.equal(f.detail, "/: must have required property 'chargePointModel'");
  });

  it('additionalProperties → FormatViolation naming the property', () => {
    const f = failed(check('ocpp1.6', 'BootNotification', 'request', { chargePointVendor: 'ABB', chargePointModel: 'M', vendorExtra: 1 }));
    assert.equal(f.code, 'FormatViolation');
    assert.equal(f.detail, "/: must NOT have additional property 'vendorExtra'");
  });

  it('enum → PropertyConstraintViolation listing the first allowed values', () => {
    const payload = { connectorId: 1, meterValue: [{ timestamp: '2024-05-01T12:00:00Z', sampledValue: [{ value: '1', unit: 'Hz' }] }] };
    const f = failed(check('ocpp1.6', 'MeterValues', 'request', payload));
    assert.equal(f.code, 'PropertyConstraintViolation');
    assert.equal(f.detail, '/meterValue/0/sampledValue/0/unit: must be equal to one of the allowed values (Wh, kWh, varh, kvarh, W, kW, VA, kVA, ...)');
  });

  it('non-finite numbers (1e400 parses to Infinity; NaN) → TypeConstraintViolation naming them, both versions', () => {
    const f16 = failed(
      check('ocpp1.6', 'StopTransaction', 'request', { meterStop: 1, timestamp: '2025-01-01T00:00:00Z', transactionId: JSON.parse('1e400') as number }),
    );
    assert.equal(f16.code, 'TypeConstraintViolation');
    assert.equal(f16.detail, '/transactionId: must be integer (got Infinity)');
    const status = { timestamp: '2025-01-01T00:00:00Z', connectorStatus: 'Available', connectorId: 1 };
    for (const evseId of [Infinity, -Infinity, NaN]) {
      const f201 = failed(check('ocpp2.0.1', 'StatusNotification', 'request', { ...status, evseId }));
      assert.equal(f201.code, 'TypeConstraintViolation');
      assert.equal(f201.detail, `/evseId: must be integer (got ${String(evseId)})`);
    }
    // A `number` field, not only `integer`.
    const mv = failed(
      check('ocpp2.0.1', 'MeterValues', 'request', { evseId: 1, meterValue: [{ timestamp: '2025-01-01T00:00:00Z', sampledValue: [{ value: -Infinity }] }] }),
    );
    assert.equal(mv.code, 'TypeConstraintViolation');
    assert.equal(mv.detail, '/meterValue/0/sampledValue/0/value: must be number (got -Infinity)');
  });

  it('type → TypeConstraintViolation saying what was found', () => {
    const f = failed(check('ocpp1.6', 'Heartbeat', 'response', { currentTime: 1714564800 }));
    assert.equal(f.code, 'TypeConstraintViolation');
    assert.equal(f.detail, '/currentTime: must be string (got integer)');
  });

  it('unknown action → UnknownAction, not a schema code', () => {
    const f = failed(check('ocpp1.6', 'TransactionEvent', 'request', {}));
    assert.equal(f.code, 'UnknownAction');
    assert.match(f.detail, /TransactionEvent/);
    // Action names are case-sensitive on the wire.
    assert.equal(failed(check('ocpp2.0.1', 'bootNotification', 'request', {})).code, 'UnknownAction');
    // Inherited object keys are not actions.
    assert.equal(failed(check('ocpp2.0.1', 'toString', 'request', {})).code, 'UnknownAction');
  });

  it('throws a TypeError for an unsupported version', () => {
    assert.throws(() => validatePayload('ocpp2.2' as OcppVersion, 'Heartbeat', 'request', {}), TypeError);
  });

  it('DataTransfer data: any JSON value in 2.0.1 (the schema gives no type), a string in 1.6', () => {
    for (const data of ['text', 42, [1, 'two'], { nested: { deep: true } }, null]) {
      assert.deepEqual(check('ocpp2.0.1', 'DataTransfer', 'request', { vendorId: 'com.example', data }), { ok: true }, JSON.stringify(data));
    }
    assert.deepEqual(check('ocpp1.6', 'DataTransfer', 'request', { vendorId: 'com.example', data: '{"a":1}' }), { ok: true });
    assert.equal(failed(check('ocpp1.6', 'DataTransfer', 'request', { vendorId: 'com.example', data: { a: 1 } })).code, 'TypeConstraintViolation');
  });

  it('non-object payloads are type errors at the root', () => {
    for (const payload of [null, [], 'x', 1]) {
      const f = failed(check('ocpp2.0.1', 'Heartbeat', 'request', payload));
      assert.equal(f.code, 'TypeConstraintViolation');
      assert.ok(f.detail.startsWith('/: must be object'), f.detail);
    }
  });
});

describe('validatePayload - realistic messages, OCPP 1.6', () => {
  const ts = '2024-05-01T12:00:00.000Z';
  const boot: V16.BootNotificationRequest = {
    chargePointVendor: 'ABB',
    chargePointModel: 'Terra AC W22-T-R-0',
    chargePointSerialNumber: 'TACW2245321G0172',
    chargeBoxSerialNumber: 'TACW2245321G0172',
    firmwareVersion: '1.6.3',
    iccid: '89490200001234567890',
    imsi: '262011234567890',
    meterType: 'ABB B23 312-100',
    meterSerialNumber: '23456789',
  };
  const sampledValues: V16.SampledValue[] = [
    { value: '12345.6', context: 'Sample.Periodic', format: 'Raw', measurand: 'Energy.Active.Import.Register', location: 'Outlet', unit: 'Wh' },
    { value: '7360', measurand: 'Power.Active.Import', unit: 'W' },
    { value: '10.6', measurand: 'Current.Import', phase: 'L1', unit: 'A' },
    { value: '10.7', measurand: 'Current.Import', phase: 'L2', unit: 'A' },
    { value: '10.5', measurand: 'Current.Import', phase: 'L3', unit: 'A' },
    { value: '230.1', measurand: 'Voltage', phase: 'L1-N', unit: 'V' },
    { value: '229.8', measurand: 'Voltage', phase: 'L2-N', unit: 'V' },
    { value: '231.0', measurand: 'Voltage', phase: 'L3-N', unit: 'V' },
    { value: '64', measurand: 'SoC', location: 'EV', unit: 'Percent' },
    { value: '38.5', measurand: 'Temperature', location: 'Body', unit: 'Celsius' },
  ];
  const meterValues: V16.MeterValuesRequest = { connectorId: 1, transactionId: 1234, meterValue: [{ timestamp: ts, sampledValue: sampledValues }] };
  const cases: [string, 'request' | 'response', unknown][] = [
    ['BootNotification', 'request', boot],
    ['BootNotification', 'response', { status: 'Accepted', currentTime: ts, interval: 300 } satisfies V16.BootNotificationResponse],
    [
      'StatusNotification',
      'request',
      {
        connectorId: 1,
        errorCode: 'NoError',
        status: 'Charging',
        timestamp: ts,
        info: 'ok',
        vendorId: 'com.abb',
        vendorErrorCode: '0',
      } satisfies V16.StatusNotificationRequest,
    ],
    ['StatusNotification', 'response', {}],
    ['MeterValues', 'request', meterValues],
    ['MeterValues', 'response', {}],
    [
      'StartTransaction',
      'request',
      { connectorId: 1, idTag: '04E8A1B2C3D4E5', meterStart: 12345, timestamp: ts, reservationId: 7 } satisfies V16.StartTransactionRequest,
    ],
    [
      'StartTransaction',
      'response',
      {
        idTagInfo: { status: 'Accepted', expiryDate: '2024-12-31T23:59:59Z', parentIdTag: 'FLEET-1' },
        transactionId: 1234,
      } satisfies V16.StartTransactionResponse,
    ],
    [
      'StopTransaction',
      'request',
      {
        idTag: '04E8A1B2C3D4E5',
        meterStop: 23456,
        timestamp: ts,
        transactionId: 1234,
        reason: 'EVDisconnected',
        transactionData: meterValues.meterValue,
      } satisfies V16.StopTransactionRequest,
    ],
    ['StopTransaction', 'response', { idTagInfo: { status: 'Accepted' } } satisfies V16.StopTransactionResponse],
  ];
  for (const [action, kind, payload] of cases) {
    it(`${action} ${kind} passes`, () => assert.deepEqual(check('ocpp1.6', action, kind, payload), { ok: true }));
  }
  it('MeterValues has the 10 sampled values the test claims', () => assert.equal(sampledValues.length, 10));
});

describe('validatePayload - realistic messages, OCPP 2.0.1', () => {
  const ts = '2024-05-01T12:00:00.000+02:00';
  const sampled: V201.SampledValueType[] = [
    {
      value: 12345.6,
      context: 'Sample.Periodic',
      measurand: 'Energy.Active.Import.Register',
      location: 'Outlet',
      unitOfMeasure: { unit: 'kWh', multiplier: 0 },
    },
    { value: 7360, measurand: 'Power.Active.Import', unitOfMeasure: { unit: 'W' } },
    { value: 10.6, measurand: 'Current.Import', phase: 'L1' },
    { value: 10.7, measurand: 'Current.Import', phase: 'L2' },
    { value: 10.5, measurand: 'Current.Import', phase: 'L3' },
    { value: 230.1, measurand: 'Voltage', phase: 'L1-N' },
    { value: 229.8, measurand: 'Voltage', phase: 'L2-N' },
    { value: 231.0, measurand: 'Voltage', phase: 'L3-N' },
    { value: 64, measurand: 'SoC', location: 'EV', unitOfMeasure: { unit: 'Percent' } },
    {
      value: 12345.6,
      measurand: 'Energy.Active.Import.Register',
      signedMeterValue: { signedMeterData: 'T0NNRg==', signingMethod: 'ECDSA-secp256r1-SHA256', encodingMethod: 'OCMF', publicKey: 'MFkwEwYHKoZIzj0=' },
      customData: { vendorId: 'com.example', firmwareBuild: 42 },
    },
  ];
  const idToken: V201.IdTokenType = { idToken: '04E8A1B2C3D4E5', type: 'ISO14443' };
  const cases: [string, 'request' | 'response', unknown][] = [
    [
      'BootNotification',
      'request',
      {
        reason: 'PowerUp',
        chargingStation: {
          model: 'Terra AC',
          vendorName: 'ABB',
          serialNumber: 'TACW2245321G0172',
          firmwareVersion: '1.8.2',
          modem: { iccid: '89490200001234567890', imsi: '262011234567890' },
        },
      } satisfies V201.BootNotificationRequest,
    ],
    [
      'BootNotification',
      'response',
      { currentTime: ts, interval: 300, status: 'Accepted', statusInfo: { reasonCode: 'OK' } } satisfies V201.BootNotificationResponse,
    ],
    ['StatusNotification', 'request', { timestamp: ts, connectorStatus: 'Occupied', evseId: 1, connectorId: 1 } satisfies V201.StatusNotificationRequest],
    ['StatusNotification', 'response', {}],
    ['MeterValues', 'request', { evseId: 1, meterValue: [{ timestamp: ts, sampledValue: sampled }] } satisfies V201.MeterValuesRequest],
    ['MeterValues', 'response', {}],
    [
      'TransactionEvent',
      'request',
      {
        eventType: 'Started',
        timestamp: ts,
        triggerReason: 'Authorized',
        seqNo: 0,
        transactionInfo: { transactionId: 'f1b8a6a2-5d4c-4b0e-9a51-6c1f8f3e2d10', chargingState: 'Charging' },
        idToken,
        evse: { id: 1, connectorId: 1 },
        meterValue: [{ timestamp: ts, sampledValue: sampled.slice(0, 2) }],
        offline: false,
      } satisfies V201.TransactionEventRequest,
    ],
    ['TransactionEvent', 'response', { totalCost: 3.5, idTokenInfo: { status: 'Accepted' } } satisfies V201.TransactionEventResponse],
  ];
  for (const [action, kind, payload] of cases) {
    it(`${action} ${kind} passes`, () => assert.deepEqual(check('ocpp2.0.1', action, kind, payload), { ok: true }));
  }
});

// Frames real chargers send that break the schema, with the documented outcome (also in
// schemas/README.md, "Real-world frames").
describe('real-world frames and their documented results', () => {
  const strict16 = createPayloadValidator('ocpp1.6');
  const boot = { chargePointVendor: 'ABB', chargePointModel: 'Terra AC' };

  it('1.6 BootNotification with vendor fields: strict → FormatViolation; allow-extra → passes, reported', () => {
    const frame = deepFreeze({ ...boot, vendorExtra: 'x', 'com.vendor.hwRevision': 'B' });
    assert.deepEqual(strict16.validate('BootNotification', 'request', 'inbound', frame), {
      code: 'FormatViolation',
      detail: "/: must NOT have additional property 'vendorExtra'",
      enforced: true,
    });
    const lenient = createPayloadValidator('ocpp1.6', { inbound: 'allow-extra' });
    assert.deepEqual(lenient.validate('BootNotification', 'request', 'inbound', frame), {
      code: 'FormatViolation',
      detail: "/: must NOT have additional property 'vendorExtra'; /: must NOT have additional property 'com.vendor.hwRevision'",
      enforced: false,
    });
  });

  it('a time stamp without zone (2024-05-01T12:00:00) → PropertyConstraintViolation; mode report accepts it', () => {
    // ajv-formats' full date-time follows RFC 3339, which requires "Z" or an offset.
    const frame = deepFreeze({ connectorId: 1, errorCode: 'NoError', status: 'Available', timestamp: '2024-05-01T12:00:00' });
    const issue = strict16.validate('StatusNotification', 'request', 'inbound', frame);
    assert.deepEqual(issue, {
      code: 'PropertyConstraintViolation',
      detail: '/timestamp: must match format "date-time" (got "2024-05-01T12:00:00")',
      enforced: true,
    });
    const report = createPayloadValidator('ocpp1.6', { mode: 'report' });
    assert.equal(report.validate('StatusNotification', 'request', 'inbound', frame)?.enforced, false);
    // Lower-case separators and offsets without a colon are RFC 3339 and pass.
    assert.equal(strict16.validate('StatusNotification', 'request', 'inbound', { ...frame, timestamp: '2024-05-01t12:00:00z' }), undefined);
    assert.equal(strict16.validate('StatusNotification', 'request', 'inbound', { ...frame, timestamp: '2024-05-01T12:00:00.123+0200' }), undefined);
  });

  it('a 26-character ICCID (limit 20 in 1.6) → PropertyConstraintViolation', () => {
    const issue = strict16.validate('BootNotification', 'request', 'inbound', { ...boot, iccid: '89490200001234567890123456' });
    assert.deepEqual(issue, { code: 'PropertyConstraintViolation', detail: '/iccid: must NOT have more than 20 characters (got 26)', enforced: true });
  });

  it('a 33-character chargeBoxSerialNumber (limit 25) → PropertyConstraintViolation', () => {
    const issue = strict16.validate('BootNotification', 'request', 'inbound', { ...boot, chargeBoxSerialNumber: 'X'.repeat(33) });
    assert.deepEqual(issue, {
      code: 'PropertyConstraintViolation',
      detail: '/chargeBoxSerialNumber: must NOT have more than 25 characters (got 33)',
      enforced: true,
    });
  });

  it('unit "Celsius" and the spec\'s "Celcius" are both accepted, in MeterValues and in StopTransaction', () => {
    for (const unit of ['Celsius', 'Celcius']) {
      const mv = [{ timestamp: '2024-05-01T12:00:00Z', sampledValue: [{ value: '21.5', measurand: 'Temperature', unit }] }];
      assert.equal(strict16.validate('MeterValues', 'request', 'inbound', { connectorId: 1, meterValue: mv }), undefined, unit);
      const stop = { meterStop: 1, timestamp: '2024-05-01T12:00:00Z', transactionId: 1, transactionData: mv };
      assert.equal(strict16.validate('StopTransaction', 'request', 'inbound', stop), undefined, unit);
    }
  });

  it('errorCode "Error" and unit "Hz" → PropertyConstraintViolation', () => {
    assert.equal(
      strict16.validate('StatusNotification', 'request', 'inbound', { connectorId: 1, errorCode: 'Error', status: 'Faulted' })?.code,
      'PropertyConstraintViolation',
    );
    const mv = [{ timestamp: '2024-05-01T12:00:00Z', sampledValue: [{ value: '50', measurand: 'Frequency', unit: 'Hz' }] }];
    assert.equal(strict16.validate('MeterValues', 'request', 'inbound', { connectorId: 1, meterValue: mv })?.code, 'PropertyConstraintViolation');
  });

  it('an empty sampledValue list: accepted by 1.6 (no minItems), OccurrenceConstraintViolation in 2.0.1', () => {
    assert.equal(
      strict16.validate('MeterValues', 'request', 'inbound', { connectorId: 1, meterValue: [{ timestamp: '2024-05-01T12:00:00Z', sampledValue: [] }] }),
      undefined,
    );
    const f = failed(check('ocpp2.0.1', 'MeterValues', 'request', { evseId: 1, meterValue: [{ timestamp: '2024-05-01T12:00:00Z', sampledValue: [] }] }));
    assert.equal(f.code, 'OccurrenceConstraintViolation');
    assert.equal(f.detail, '/meterValue/0/sampledValue: must NOT have fewer than 1 items');
  });

  it('"Reason" with a capital R in StopTransaction → FormatViolation when strict; allow-extra passes, reported', () => {
    const frame = { meterStop: 1, timestamp: '2024-05-01T12:00:00Z', transactionId: 1, Reason: 'Local' };
    assert.equal(strict16.validate('StopTransaction', 'request', 'inbound', frame)?.code, 'FormatViolation');
    const lenient = createPayloadValidator('ocpp1.6', { inbound: 'allow-extra' });
    assert.equal(lenient.validate('StopTransaction', 'request', 'inbound', frame)?.enforced, false);
  });

  it('multipleOf 0.1 (1.6 SetChargingProfile limit and minChargingRate): 0.3 and 12.3 pass, 0.35 fails', () => {
    // Only 1.6 has multipleOf (chargingSchedulePeriod.limit, minChargingRate in RemoteStartTransaction,
    // SetChargingProfile and GetCompositeSchedule.conf); without multipleOfPrecision 0.3 would fail.
    const profile = (limit: number) => ({
      connectorId: 1,
      csChargingProfiles: {
        chargingProfileId: 1,
        stackLevel: 0,
        chargingProfilePurpose: 'TxDefaultProfile',
        chargingProfileKind: 'Absolute',
        chargingSchedule: { chargingRateUnit: 'A', minChargingRate: 12.3, chargingSchedulePeriod: [{ startPeriod: 0, limit }] },
      },
    });
    assert.equal(strict16.validate('SetChargingProfile', 'request', 'outbound', profile(0.3)), undefined);
    assert.equal(strict16.validate('SetChargingProfile', 'request', 'outbound', profile(16.1)), undefined);
    const issue = strict16.validate('SetChargingProfile', 'request', 'outbound', profile(0.35));
    assert.equal(issue?.code, 'PropertyConstraintViolation');
    assert.match(issue.detail, /^\/csChargingProfiles\/chargingSchedule\/chargingSchedulePeriod\/0\/limit: must be multiple of 0.1/);
  });

  it('2.0.1 has no multipleOf: ChargingSchedulePeriod limit 0.35 passes', () => {
    const payload = {
      evseId: 1,
      chargingProfile: {
        id: 1,
        stackLevel: 0,
        chargingProfilePurpose: 'TxDefaultProfile',
        chargingProfileKind: 'Absolute',
        chargingSchedule: [{ id: 1, chargingRateUnit: 'A', chargingSchedulePeriod: [{ startPeriod: 0, limit: 0.35 }] }],
      },
    };
    assert.deepEqual(check('ocpp2.0.1', 'SetChargingProfile', 'request', payload), { ok: true });
  });
});

describe('createPayloadValidator - modes and policy', () => {
  const boot = { chargePointVendor: 'ABB', chargePointModel: 'Terra AC' };
  const extra = { ...boot, vendorExtra: 1 };
  const missing = { chargePointVendor: 'ABB' };
  // One valid payload and one with a required field missing, per action used below.
  const fixtures: Record<string, { kind: 'request' | 'response'; valid: object; missing: object }> = {
    BootNotification: { kind: 'request', valid: boot, missing },
    Authorize: { kind: 'request', valid: { idTag: 'x' }, missing: {} },
    Heartbeat: { kind: 'response', valid: { currentTime: '2024-05-01T12:00:00Z' }, missing: {} },
  };
  /**
   * Observes the resolved mode through behaviour: off → nothing reported; strict → an extra
   * property enforced; allow-extra → extra reported only, missing field enforced; report →
   * both reported only.
   */
  const modeOf = (v: PayloadValidator, action: string, direction: 'inbound' | 'outbound'): string => {
    const f = fixtures[action];
    assert.equal(v.validate(action, f.kind, direction, f.valid), undefined, `${action}: fixture is not valid`);
    const forExtra = v.validate(action, f.kind, direction, { ...f.valid, [EXTRA]: 1 });
    if (forExtra === undefined) return 'off';
    if (forExtra.enforced) return 'strict';
    return v.validate(action, f.kind, direction, f.missing)?.enforced ? 'allow-extra' : 'report';
  };

  it('strict by default: an extra property is enforced in both directions', () => {
    const v = createPayloadValidator('ocpp1.6');
    assert.equal(modeOf(v, 'BootNotification', 'inbound'), 'strict');
    assert.equal(modeOf(v, 'BootNotification', 'outbound'), 'strict');
    assert.equal(v.validate('BootNotification', 'request', 'inbound', boot), undefined);
  });

  it('precedence: action+direction > action > direction > mode', () => {
    const policy: ValidationPolicy = {
      mode: 'report',
      inbound: 'allow-extra',
      actions: { BootNotification: { inbound: 'off' }, Heartbeat: 'strict' },
    };
    const v = createPayloadValidator('ocpp1.6', policy);
    assert.equal(modeOf(v, 'BootNotification', 'inbound'), 'off'); // action+direction
    assert.equal(modeOf(v, 'BootNotification', 'outbound'), 'report'); // no outbound for the action, no outbound policy → mode
    assert.equal(modeOf(v, 'Heartbeat', 'inbound'), 'strict'); // action beats direction
    assert.equal(modeOf(v, 'Heartbeat', 'outbound'), 'strict'); // action beats mode
    assert.equal(modeOf(v, 'Authorize', 'inbound'), 'allow-extra'); // direction beats mode
    assert.equal(modeOf(v, 'Authorize', 'outbound'), 'report'); // mode
  });

  it('resolves the policy once, at construction: later changes to the policy object have no effect', () => {
    let reads = 0;
    const policy = {
      get mode(): 'strict' {
        reads++;
        return 'strict';
      },
      actions: { BootNotification: 'report' as const },
    };
    const v = createPayloadValidator('ocpp1.6', policy);
    const readsAtConstruction = reads;
    policy.actions.BootNotification = 'off' as never;
    for (let i = 0; i < 100; i++) v.validate('Authorize', 'request', 'inbound', { idTag: 'x' });
    assert.equal(reads, readsAtConstruction, 'policy read again after construction');
    assert.equal(modeOf(v, 'BootNotification', 'inbound'), 'report');
  });

  it("'off' validates nothing, not even a missing field", () => {
    const v = createPayloadValidator('ocpp2.0.1', { mode: 'off' });
    assert.equal(v.validate('BootNotification', 'request', 'inbound', { nonsense: true }), undefined);
    assert.equal(v.validate('NoSuchAction', 'request', 'inbound', {}), undefined);
  });

  it("'report' reports every failure without enforcing it", () => {
    const v = createPayloadValidator('ocpp1.6', { mode: 'report' });
    assert.deepEqual(v.validate('BootNotification', 'request', 'inbound', missing), {
      code: 'OccurrenceConstraintViolation',
      detail: "/: must have required property 'chargePointModel'",
      enforced: false,
    });
    assert.equal(v.validate('BootNotification', 'request', 'outbound', extra)?.enforced, false);
  });

  it("'allow-extra' with only unknown properties (also nested): passes, reported, payload untouched", () => {
    const v = createPayloadValidator('ocpp1.6', { mode: 'allow-extra' });
    const payload = deepFreeze({
      connectorId: 1,
      vendorRoot: true,
      meterValue: [{ timestamp: '2024-05-01T12:00:00Z', sampledValue: [{ value: '1', vendorInner: 'x' }] }],
    });
    const before = JSON.stringify(payload);
    const issue = v.validate('MeterValues', 'request', 'inbound', payload);
    assert.deepEqual(issue, {
      code: 'FormatViolation',
      detail: "/: must NOT have additional property 'vendorRoot'; /meterValue/0/sampledValue/0: must NOT have additional property 'vendorInner'",
      enforced: false,
    });
    assert.equal(JSON.stringify(payload), before);
  });

  it("'allow-extra' with an unknown property and a real error: enforced with the real error's code", () => {
    const v = createPayloadValidator('ocpp1.6', { mode: 'allow-extra' });
    const payload = deepFreeze({ chargePointVendor: 'ABB', chargePointModel: 'M'.repeat(21), vendorExtra: 1 });
    assert.deepEqual(v.validate('BootNotification', 'request', 'inbound', payload), {
      code: 'PropertyConstraintViolation',
      detail: '/chargePointModel: must NOT have more than 20 characters (got 21)',
      enforced: true,
    });
    // A real error alone is enforced too.
    assert.equal(v.validate('BootNotification', 'request', 'inbound', missing)?.enforced, true);
  });

  it("'allow-extra' gives up and enforces past its bound of unknown properties", () => {
    const v = createPayloadValidator('ocpp1.6', { mode: 'allow-extra' });
    const many: Record<string, unknown> = { ...boot };
    for (let i = 0; i < 40; i++) many[`x${i}`] = i;
    const issue = v.validate('BootNotification', 'request', 'inbound', many);
    assert.equal(issue?.code, 'FormatViolation');
    assert.equal(issue?.enforced, true);
    const few: Record<string, unknown> = { ...boot };
    for (let i = 0; i < 10; i++) few[`x${i}`] = i;
    assert.equal(v.validate('BootNotification', 'request', 'inbound', few)?.enforced, false);
  });

  it('kind picks the request or the response schema', () => {
    const v = createPayloadValidator('ocpp1.6');
    assert.equal(v.validate('Heartbeat', 'request', 'outbound', {}), undefined);
    assert.equal(v.validate('Heartbeat', 'response', 'inbound', {})?.code, 'OccurrenceConstraintViolation');
  });

  it('an unknown action gives NotImplemented, under the mode of its direction', () => {
    const v = createPayloadValidator('ocpp1.6', { inbound: 'report' });
    assert.deepEqual(v.validate('TransactionEvent', 'request', 'outbound', {}), {
      code: 'NotImplemented',
      detail: "unknown ocpp1.6 action 'TransactionEvent'",
      enforced: true,
    });
    assert.equal(v.validate('TransactionEvent', 'request', 'inbound', {})?.enforced, false);
    assert.equal(v.validate('__proto__', 'request', 'outbound', {})?.code, 'NotImplemented');
  });

  it('rejects a malformed policy at construction, naming the bad key or value', () => {
    const bad: [unknown, RegExp][] = [
      [{ mode: 'lenient' }, /mode is "lenient"; expected one of 'strict', 'allow-extra', 'report', 'off'/],
      [{ inbound: 'STRICT' }, /inbound is "STRICT"/],
      [{ outbound: 1 }, /outbound is 1/],
      [{ direction: 'inbound' }, /unknown key direction/],
      [{ actions: { RequestStartTransaction: 'off' } }, /actions\.RequestStartTransaction is not a ocpp1\.6 action/],
      [{ actions: { BootNotification: { inbound: 'nope' } } }, /actions\.BootNotification\.inbound is "nope"/],
      [{ actions: { BootNotification: { request: 'off' } } }, /unknown key actions\.BootNotification\.request/],
      [{ actions: { BootNotification: 3 } }, /actions\.BootNotification is 3/],
      [{ actions: [] }, /actions must be an object/],
      ['strict', /expected an object, got string/],
    ];
    for (const [policy, message] of bad) {
      assert.throws(
        () => createPayloadValidator('ocpp1.6', policy as ValidationPolicy),
        (err: unknown) => {
          assert.ok(err instanceof TypeError);
          assert.match(err.message, message);
          return true;
        },
        JSON.stringify(policy),
      );
    }
    assert.throws(() => createPayloadValidator('ocpp9' as OcppVersion), /unknown OCPP version "ocpp9"/);
    // 2.0.1 actions are checked against 2.0.1.
    assert.doesNotThrow(() => createPayloadValidator('ocpp2.0.1', { actions: { RequestStartTransaction: 'off' } }));
  });

  it('never mutates the payload and never throws, whatever the mode', () => {
    const payloads = [extra, missing, { ...boot, chargePointModel: 5 }, null, 'x', { ...extra, chargePointVendor: 'V'.repeat(30) }];
    for (const mode of ['strict', 'allow-extra', 'report', 'off'] as const) {
      const v = createPayloadValidator('ocpp1.6', { mode });
      for (const p of payloads) {
        const frozen = deepFreeze(structuredClone(p));
        const issue: ValidationIssue | undefined = v.validate('BootNotification', 'request', 'inbound', frozen);
        assert.deepEqual(frozen, p, mode);
        if (mode === 'off') assert.equal(issue, undefined);
      }
    }
  });
});
