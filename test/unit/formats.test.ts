/**
 * The `date-time` check inlined into the generated validators (scripts/codegen/formats.ts) must
 * decide exactly as ajv-formats' full mode does: its fast path may only say yes where ajv-formats
 * says yes. Compared here on hand-picked edge cases, on every calendar day of four years, and on
 * random strings from a timestamp-like alphabet and random mutations of valid timestamps.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { fullFormats } from 'ajv-formats/dist/formats';
import fc from 'fast-check';
import '../support/property';
import { dateTime } from '../../scripts/codegen/formats';
import { createPayloadValidator } from '../../src/index';

const reference = (fullFormats['date-time'] as { validate: (value: string) => boolean }).validate;

function same(value: string): void {
  assert.equal(dateTime(value), reference(value), `date-time ${JSON.stringify(value)}`);
}

describe('date-time format: the fast path decides as ajv-formats (full mode) does', () => {
  test('edge cases', () => {
    const cases = [
      '2024-05-01T12:00:00.000Z',
      '2024-05-01T12:00:00Z',
      '2024-05-01T12:00:00.123456789Z',
      '2024-05-01T12:00:00.Z',
      '2024-05-01T12:00:00Zx',
      '2024-05-01t12:00:00z',
      '2024-05-01 12:00:00Z',
      '2024-05-01T12:00:00+02:00',
      '2024-05-01T12:00:00-0230',
      '2024-05-01T12:00:00',
      '2024-02-29T00:00:00Z',
      '2023-02-29T00:00:00Z',
      '1900-02-29T00:00:00Z',
      '2000-02-29T00:00:00Z',
      '2024-04-31T00:00:00Z',
      '2024-00-10T00:00:00Z',
      '2024-13-10T00:00:00Z',
      '2024-12-00T00:00:00Z',
      '2024-12-31T24:00:00Z',
      '2024-12-31T23:60:00Z',
      '2016-12-31T23:59:60Z',
      '2016-12-31T22:59:60-01:00',
      '2024-05-01T12:00:60Z',
      '2024-05-01T12:00:00.5+25:00',
      '0000-01-01T00:00:00Z',
      '9999-12-31T23:59:59.999Z',
      '２０２４-05-01T12:00:00Z',
      '2024-05-01T1２:00:00Z',
      '2024-05-01T12:00:00.1２Z',
      '2024-05-01T12:00:00.000ZZ',
      '',
      'Z',
      'not a date',
    ];
    for (const value of cases) same(value);
  });

  test('every day of 2023, 2024, 1900 and 2000, and the day after each month ends', () => {
    for (const year of [2023, 2024, 1900, 2000]) {
      for (let month = 1; month <= 12; month++) {
        for (let day = 0; day <= 32; day++) {
          same(`${year}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}T23:59:59.999Z`);
        }
      }
    }
  });

  test('random strings from a timestamp alphabet, and random one-character changes of valid timestamps', () => {
    const chars = fc.constantFrom(...'0123456789-:.TtZz +ｘ'.split(''));
    fc.assert(
      fc.property(fc.array(chars, { minLength: 18, maxLength: 30 }), (parts) => same(parts.join(''))),
      { numRuns: 20_000 },
    );
    const valid = fc
      .date({ min: new Date(Date.UTC(1, 0, 1)), max: new Date(Date.UTC(9999, 11, 31)), noInvalidDate: true })
      .map((d) => d.toISOString())
      .filter((s) => s.length === 24);
    fc.assert(
      fc.property(valid, fc.nat(), chars, (iso, at, c) => {
        same(iso);
        const i = at % iso.length;
        same(iso.slice(0, i) + c + iso.slice(i + 1));
        same(iso.slice(0, i) + iso.slice(i + 1));
      }),
      { numRuns: 20_000 },
    );
  });

  test('the generated validators use it: a Heartbeat answer with a timestamp ajv-formats refuses is refused', () => {
    const validator = createPayloadValidator('ocpp2.0.1');
    assert.equal(validator.validate('Heartbeat', 'response', 'inbound', { currentTime: '2024-05-01T12:00:00.000Z' }), undefined);
    assert.equal(validator.validate('Heartbeat', 'response', 'inbound', { currentTime: '2016-12-31T23:59:60Z' }), undefined, 'a leap second');
    assert.equal(validator.validate('Heartbeat', 'response', 'inbound', { currentTime: '2023-02-29T12:00:00.000Z' })?.code, 'PropertyConstraintViolation');
    assert.equal(validator.validate('Heartbeat', 'response', 'inbound', { currentTime: '2024-05-01T12:00:00' })?.code, 'PropertyConstraintViolation');
  });
});
