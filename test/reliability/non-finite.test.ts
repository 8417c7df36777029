/**
 * Issue 12, item 5: `1e400` parses to Infinity, which `JSON.stringify` writes as `null`. A
 * non-finite number is never a valid `number`/`integer`, at every validation point: an inbound
 * CALL gets TypeConstraintViolation (every version) and its handler never runs; an outbound call
 * carrying one is rejected locally with a ValidationError and nothing is sent.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { ChargePoint, ValidationError } from '../../src/index';
import { closeAll, openRaw, rawServer, startServer } from './support';

describe('non-finite numbers are refused by strict validation', () => {
  test('1.6: a CALL with transactionId 1e400 is answered TypeConstraintViolation; the handler never runs', async (t) => {
    const { cs, port } = await startServer({ compression: false });
    t.after(() => closeAll(cs));
    let handled = 0;
    cs.handle('ocpp1.6', 'StopTransaction', () => {
      handled++;
      return {};
    });
    const raw = await openRaw(port, 'INF16', 'ocpp1.6');
    const answer = await raw.call('[2,"s1","StopTransaction",{"meterStop":1,"timestamp":"2025-01-01T00:00:00Z","transactionId":1e400}]');
    assert.equal(answer[0], 4);
    assert.equal(answer[2], 'TypeConstraintViolation');
    assert.match(String(answer[3]), /transactionId/);
    assert.equal(handled, 0);
  });

  for (const protocol of ['ocpp2.0.1', 'ocpp2.1'] as const) {
    test(`${protocol.slice(4)}: a CALL with evseId 1e400 is answered TypeConstraintViolation; the handler never runs`, async (t) => {
      const { cs, port } = await startServer({ compression: false, protocols: [protocol] });
      t.after(() => closeAll(cs));
      let handled = 0;
      cs.handle(protocol, 'StatusNotification', () => {
        handled++;
        return {};
      });
      const raw = await openRaw(port, 'INF2X', protocol);
      const answer = await raw.call(
        '[2,"s2","StatusNotification",{"timestamp":"2025-01-01T00:00:00Z","connectorStatus":"Available","evseId":1e400,"connectorId":1}]',
      );
      assert.equal(answer[0], 4);
      assert.equal(answer[2], 'TypeConstraintViolation');
      assert.match(String(answer[3]), /evseId/);
      assert.equal(handled, 0);
    });
  }

  for (const [protocol, action, payload] of [
    [
      'ocpp1.6',
      'MeterValues',
      { connectorId: 1, transactionId: Infinity, meterValue: [{ timestamp: '2025-01-01T00:00:00Z', sampledValue: [{ value: '1' }] }] },
    ],
    ['ocpp2.0.1', 'StatusNotification', { timestamp: '2025-01-01T00:00:00Z', connectorStatus: 'Available', evseId: Infinity, connectorId: 1 }],
    ['ocpp2.1', 'StatusNotification', { timestamp: '2025-01-01T00:00:00Z', connectorStatus: 'Available', evseId: Infinity, connectorId: 1 }],
  ] as const) {
    test(`${protocol}: an outbound ${action} carrying Infinity rejects locally with ValidationError and sends nothing`, async (t) => {
      const server = await rawServer(protocol);
      t.after(() => server.close());
      const cp = new ChargePoint({ url: server.url, identity: 'CP-INF', protocol, compression: false, pingIntervalMs: 0, reconnect: false });
      t.after(() => cp.close());
      await cp.connect();
      const ws = await server.nextSocket();
      const seen: string[] = [];
      ws.on('message', (data: Buffer) => seen.push(data.toString()));
      const outcome = await (cp.call as (a: string, p: unknown, o: { timeoutMs: number }) => Promise<unknown>)(action, payload, { timeoutMs: 1000 }).then(
        () => 'sent',
        (e: unknown) => e,
      );
      assert.ok(outcome instanceof ValidationError, String(outcome));
      assert.equal(outcome.code, 'TypeConstraintViolation');
      // A frame the ChargePoint did send would arrive well within this (loopback).
      await new Promise((resolve) => setTimeout(resolve, 100));
      assert.deepEqual(seen, []);
    });
  }
});
