/**
 * The kit's matchers with the real asymmetric matchers of the two frameworks users bring: jest's
 * (`expect` 30, the package jest re-exports) and vitest's (`@vitest/expect` 5, whose `Any`,
 * `ObjectContaining`, `StringContaining` and `StringMatching` classes are what vitest's
 * `expect.any(String)`... construct), in `expectCall` against a real ChargePoint over a socket:
 * a match resolves; a mismatch is an ExpectationError whose message names the matcher as the
 * framework prints it (`Any<String>`, `StringMatching /^Acme/`), the field and what came.
 *
 * Both libraries claim the same global (`Symbol.for('$$jest-matchers-object')`): vitest's
 * defines it unconfigurable and throws when jest's is there already, while jest's takes over
 * one that exists. So vitest's is imported first, then jest's, both in `before`.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { ChargePoint } from '../../src/index';
import { ExpectationError, TestCentralSystem, type AsymmetricMatcher } from '../../src/testing/index';
import { chargePoint } from './support';

/** The four asymmetric matchers the test uses, made by one framework. */
interface Framework {
  any(ctor: unknown): AsymmetricMatcher;
  objectContaining(sample: Record<string, unknown>): AsymmetricMatcher;
  stringContaining(sample: string): AsymmetricMatcher;
  stringMatching(sample: RegExp): AsymmetricMatcher;
}

const frameworks = new Map<string, Framework>();

before(async () => {
  const vitest = await import('@vitest/expect');
  frameworks.set('vitest (@vitest/expect)', {
    any: (c) => new vitest.Any(c),
    objectContaining: (s) => new vitest.ObjectContaining(s),
    stringContaining: (s) => new vitest.StringContaining(s),
    stringMatching: (s) => new vitest.StringMatching(s),
  });
  const { expect } = await import('expect');
  frameworks.set('jest (expect)', {
    any: (c) => expect.any(c),
    objectContaining: (s) => expect.objectContaining(s),
    stringContaining: (s) => expect.stringContaining(s),
    stringMatching: (s) => expect.stringMatching(s),
  });
});

const BOOT = {
  reason: 'PowerUp',
  chargingStation: { vendorName: 'AcmeCharge', model: 'Fast-22', firmwareVersion: '1.4.2' },
} as const;

for (const name of ['jest (expect)', 'vitest (@vitest/expect)']) {
  describe(`${name} asymmetric matchers in expectCall, against a real ChargePoint`, () => {
    let csms: TestCentralSystem<'ocpp2.0.1'> | undefined;
    let cp: ChargePoint<'ocpp2.0.1'> | undefined;

    after(async () => {
      await cp?.close();
      await csms?.close().catch(() => undefined);
    });

    /** A fresh station handle with a charger connected that has sent its BootNotification. */
    async function booted(identity: string) {
      await cp?.close();
      await csms?.close().catch(() => undefined);
      csms = await TestCentralSystem.start({ protocols: ['ocpp2.0.1'] });
      const st = csms.station<'ocpp2.0.1'>(identity);
      cp = chargePoint(csms.url, identity, 'ocpp2.0.1');
      await cp.connect();
      assert.equal((await cp.call('BootNotification', BOOT)).status, 'Accepted');
      return st;
    }

    test('they match: any(String), objectContaining, stringContaining and stringMatching, nested in a deep-partial object', async () => {
      const m = frameworks.get(name)!;
      const st = await booted('FW-PASS');
      const boot = await st.expectCall('BootNotification', {
        reason: m.any(String),
        chargingStation: m.objectContaining({ vendorName: m.stringMatching(/^Acme/), model: m.stringContaining('22') }),
      });
      assert.deepEqual(boot.request, BOOT);
    });

    const failures: Array<[string, (m: Framework) => object, RegExp]> = [
      ['any(Number)', (m) => ({ reason: m.any(Number) }), /at \$\.reason expected Any<Number>, got "PowerUp"/],
      [
        'stringMatching',
        (m) => ({ chargingStation: { vendorName: m.stringMatching(/^Other/) } }),
        /at \$\.chargingStation\.vendorName expected StringMatching \/\^Other\/, got "AcmeCharge"/,
      ],
      [
        'stringContaining',
        (m) => ({ chargingStation: { model: m.stringContaining('99') } }),
        /at \$\.chargingStation\.model expected StringContaining "99", got "Fast-22"/,
      ],
      [
        'objectContaining',
        (m) => ({ chargingStation: m.objectContaining({ model: 'Slow-3' }) }),
        /at \$\.chargingStation expected ObjectContaining \{"model":"Slow-3"\}, got \{"vendorName":"AcmeCharge"/,
      ],
    ];
    for (const [matcher, build, says] of failures) {
      test(`a mismatch of ${matcher} is an ExpectationError naming the matcher, the field and what came`, async () => {
        const st = await booted(`FW-${matcher.replace(/\W/g, '')}`);
        const error = await st.expectCall('BootNotification', build(frameworks.get(name)!) as never, { timeoutMs: 100 }).then(
          () => assert.fail('the mismatching matcher matched'),
          (e: unknown) => e,
        );
        assert.ok(error instanceof ExpectationError, String(error));
        assert.match(error.message, /expected BootNotification matching /);
        assert.match(error.message, says);
      });
    }
  });
}
