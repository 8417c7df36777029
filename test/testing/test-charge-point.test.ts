/**
 * TestChargePoint, the mirror for CSMS teams, against the SDK's own CentralSystem as the backend
 * under test, for 1.6 and 2.0.1: it answers the backend, checks what the backend sends, and its
 * close() fails when an expectation never happened.
 */
import assert from 'node:assert/strict';
import { afterEach, describe, test } from 'node:test';
import { CentralSystem, type AnyStation } from '../../src/index';
import { codes, ExpectationError, TestChargePoint } from '../../src/testing/index';
import { expect } from './support';

for (const protocol of ['ocpp1.6', 'ocpp2.0.1'] as const) {
  describe(`TestChargePoint over ${protocol}`, () => {
    let backend: CentralSystem<'ocpp1.6' | 'ocpp2.0.1'> | undefined;
    const stations = new Map<string, AnyStation<'ocpp1.6' | 'ocpp2.0.1'>>();
    let url = '';

    async function start(): Promise<void> {
      backend = new CentralSystem<'ocpp1.6' | 'ocpp2.0.1'>({ protocols: [protocol] });
      const accept = () => ({ status: 'Accepted' as const, currentTime: new Date().toISOString(), interval: 60 });
      if (protocol === 'ocpp1.6') backend.handle('ocpp1.6', 'BootNotification', accept);
      else backend.handle('ocpp2.0.1', 'BootNotification', accept);
      backend.on('connection', (s) => stations.set(s.identity, s));
      const { port } = await backend.listen({ port: 0, host: '127.0.0.1' });
      url = `ws://127.0.0.1:${port}`;
    }

    afterEach(async () => {
      stations.clear();
      await backend?.close();
      backend = undefined;
    });

    test('call - the backend answers; validate: false gets its CALLERROR with the canonical code', async () => {
      await start();
      const cp = await TestChargePoint.connect(url, 'CP1', { protocol });
      const boot =
        protocol === 'ocpp1.6'
          ? await (cp as TestChargePoint<'ocpp1.6'>).call('BootNotification', { chargePointVendor: 'V', chargePointModel: 'M' })
          : await (cp as TestChargePoint<'ocpp2.0.1'>).call('BootNotification', { reason: 'PowerUp', chargingStation: { vendorName: 'V', model: 'M' } });
      assert.equal(boot.status, 'Accepted');
      await assert.rejects(cp.call('BootNotification', {} as never, { validate: false }), { code: 'OccurrenceConstraintViolation' });
      assert.match(cp.transcript.format(), /-> CALL BootNotification .*\(not validated\)/);
      await cp.close();
    });

    test('expectCall with respond - answers the backend as told; the default answers the rest validly', async () => {
      await start();
      const cp = await TestChargePoint.connect(url, 'CP2', { protocol, timeoutMs: 2000 });
      const station = stations.get('CP2')!;
      const resetType = protocol === 'ocpp1.6' ? 'Hard' : 'Immediate';
      const reset = cp.expectCall('Reset', { type: expect.any(String) }, { respond: { status: 'Rejected' } as never });
      const answer = await (station as AnyStation<'ocpp1.6'>).call('Reset', { type: resetType } as never);
      assert.equal(answer.status, 'Rejected');
      assert.equal((await reset).request.type, resetType);
      // No expectation, no stub: the default answer, valid by the schema.
      const clear = await (station as AnyStation<'ocpp1.6'>).call('ClearCache', {});
      assert.equal(clear.status, 'Accepted');
      await cp.close();
    });

    test('close - fails naming the expectation that never happened (the connection is closed anyway)', async () => {
      await start();
      const cp = await TestChargePoint.connect(url, 'CP3', { protocol });
      void cp.expectCall('Reset');
      await assert.rejects(cp.close(), (e: unknown) => {
        assert.ok(e instanceof ExpectationError);
        assert.match(e.message, /CP3: expected every expectation to be met before close\n {2}but 1 never happened: Reset/);
        return true;
      });
      assert.equal(cp.connected, false);
    });

    test('expectNoCall fails when the backend sends what it must not', async () => {
      await start();
      const cp = await TestChargePoint.connect(url, 'CP4', { protocol });
      const quiet = cp.expectNoCall('*', { forMs: 2000 });
      void (stations.get('CP4') as AnyStation<'ocpp1.6'>).call('ClearCache', {});
      await assert.rejects(quiet, /expected no CALL for 2000 ms\n {2}but ClearCache #\d+ came/);
      await cp.close();
    });

    test('sendRaw - goes out on the same connection; the backend CALLERRORs arrive through expectCallError, in the version spelling', async () => {
      await start();
      const cp = await TestChargePoint.connect(url, 'CP6', { protocol, timeoutMs: 2000 });
      const c = codes(protocol);
      cp.sendRaw('[2,"u1","NoSuchAction",{}]');
      assert.equal((await cp.expectCallError('NotImplemented', { messageId: 'u1' })).errorCode, c.notImplemented);
      // A readable id, no payload: every version answers it (1.6 leaves an unreadable id unanswered).
      cp.sendRaw(new TextEncoder().encode('[2,"u2","Heartbeat"]'));
      assert.equal((await cp.expectCallError(c.framing, { messageId: 'u2' })).errorCode, c.framing);
      assert.match(cp.transcript.format(), /-> raw \[2,"u1","NoSuchAction",\{\}\]/);
      await cp.close();
      assert.throws(() => cp.sendRaw('[]'), ExpectationError);
      assert.throws(() => cp.sendRaw(42 as never), TypeError);
    });

    test('disconnect and reconnect - the same handle and transcript, the backend sees the charger leave and come back', async () => {
      await start();
      const cp = await TestChargePoint.connect(url, 'CP7', { protocol });
      const first = stations.get('CP7');
      await cp.disconnect({ code: 1001, reason: 'rebooting' });
      assert.equal(cp.connected, false);
      await cp.reconnect();
      assert.equal(cp.connected, true);
      assert.notEqual(stations.get('CP7'), first);
      await cp.disconnect({ abrupt: true });
      await cp.reconnect();
      assert.match(cp.transcript.format(), /disconnected: 1001 rebooting[\s\S]*connected[\s\S]*disconnected/);
      await cp.close();
      await assert.rejects(cp.reconnect(), TypeError);
    });

    test('connect - rejects with the ChargePoint connection error when the backend refuses', async () => {
      await start();
      await assert.rejects(TestChargePoint.connect(url, 'CP5', { protocol: protocol === 'ocpp1.6' ? 'ocpp2.0.1' : 'ocpp1.6' }), { name: 'SubprotocolError' });
      await assert.rejects(TestChargePoint.connect(url, 'CP5', null as never), TypeError);
    });
  });
}
