/**
 * Checklist items about payload content and configuration that no other test names:
 * 7 (2.x leaves unset optional fields out), 23 (customData passes strict validation),
 * 24 (1.6 uses the 2019 errata schemas, whose inner objects are closed) and 41 (ping interval:
 * 0 disables, negative values are refused).
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { CentralSystem, ChargePoint, validatePayload } from '../../src/index';

describe('payload rules', () => {
  for (const version of ['ocpp2.0.1', 'ocpp2.1'] as const) {
    test(`item 7: in 2.x an unset optional field is left out; null, {} or [] in its place is refused (${version})`, () => {
      const base = {
        eventType: 'Updated',
        timestamp: '2025-01-01T00:00:00Z',
        triggerReason: 'MeterValuePeriodic',
        seqNo: 1,
        transactionInfo: { transactionId: 'T1' },
      };
      assert.deepEqual(validatePayload(version, 'TransactionEvent', 'request', base), { ok: true });
      const withNull = validatePayload(version, 'TransactionEvent', 'request', { ...base, evse: null });
      assert.equal(withNull.ok, false);
      assert.equal(!withNull.ok && withNull.code, 'TypeConstraintViolation');
      const withEmptyObject = validatePayload(version, 'TransactionEvent', 'request', { ...base, evse: {} });
      assert.equal(!withEmptyObject.ok && withEmptyObject.code, 'OccurrenceConstraintViolation');
      const withEmptyArray = validatePayload(version, 'TransactionEvent', 'request', { ...base, meterValue: [] });
      assert.equal(!withEmptyArray.ok && withEmptyArray.code, 'OccurrenceConstraintViolation');
    });
  }

  for (const version of ['ocpp2.0.1', 'ocpp2.1'] as const) {
    test(`item 23: 2.x customData with vendor properties passes strict validation, at the root and inside (${version})`, () => {
      const payload = {
        reason: 'PowerUp',
        chargingStation: { model: 'M', vendorName: 'V', customData: { vendorId: 'com.example', firmwareBuild: 42, flags: ['a'] } },
        customData: { vendorId: 'com.example', anything: { nested: true } },
      };
      assert.deepEqual(validatePayload(version, 'BootNotification', 'request', payload), { ok: true });
      // customData still has its own required vendorId.
      const noVendor = validatePayload(version, 'BootNotification', 'request', { ...payload, customData: { anything: 1 } });
      assert.equal(!noVendor.ok && noVendor.code, 'OccurrenceConstraintViolation');
    });
  }

  test('item 24: the 1.6 schemas are the 2019 errata edition: inner objects are closed too', () => {
    const ok = { idTagInfo: { status: 'Accepted' } };
    assert.deepEqual(validatePayload('ocpp1.6', 'Authorize', 'response', ok), { ok: true });
    // The first 1.6 schemas left idTagInfo open; the 2019 edition closes it.
    const extraInside = validatePayload('ocpp1.6', 'Authorize', 'response', { idTagInfo: { status: 'Accepted', vendorFlag: 1 } });
    assert.equal(!extraInside.ok && extraInside.code, 'FormatViolation');
    const extraInSample = validatePayload('ocpp1.6', 'MeterValues', 'request', {
      connectorId: 1,
      meterValue: [{ timestamp: '2025-01-01T00:00:00Z', sampledValue: [{ value: '1', extra: true }] }],
    });
    assert.equal(!extraInSample.ok && extraInSample.code, 'FormatViolation');
  });
});

describe('item 41: ping interval', () => {
  test('negative values are refused with an error naming the option, on both sides', () => {
    assert.throws(() => new CentralSystem({ pingIntervalMs: -1 }), /pingIntervalMs/);
    assert.throws(() => new ChargePoint({ url: 'ws://127.0.0.1:1', identity: 'X', protocol: 'ocpp1.6', pingIntervalMs: -5 }), /pingIntervalMs/);
  });

  test('a positive interval pings; 0 disables pings, and a peer that never answers pings stays connected', async (t) => {
    const { WebSocket } = await import('ws');
    async function pingsWithin(pingIntervalMs: number, ms: number): Promise<{ pings: number; connected: number }> {
      const cs = new CentralSystem({ pingIntervalMs, pongTimeoutMs: pingIntervalMs === 0 ? undefined : pingIntervalMs });
      t.after(() => cs.close());
      const { port } = await cs.listen({ port: 0, host: '127.0.0.1' });
      let pings = 0;
      // autoPong off: this peer never answers, so only a disabled keepalive leaves it connected.
      const ws = new WebSocket(`ws://127.0.0.1:${port}/QUIET`, ['ocpp1.6'], { autoPong: false });
      t.after(() => ws.terminate());
      ws.on('ping', () => pings++);
      await new Promise((resolve, reject) => {
        ws.once('open', resolve);
        ws.once('error', reject);
      });
      await new Promise((resolve) => setTimeout(resolve, ms));
      return { pings, connected: cs.stations.size };
    }
    const on = await pingsWithin(40, 200);
    assert.ok(on.pings >= 1, 'a 40 ms interval sent no ping in 200 ms');
    assert.equal(on.connected, 0, 'the silent peer was not dropped');
    assert.deepEqual(await pingsWithin(0, 200), { pings: 0, connected: 1 });
  });
});
