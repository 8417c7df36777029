/**
 * Checklist item 48 on the server: with `bootGating`, a station whose boot is Pending may send
 * what the central system triggered (TriggerMessage, and on 2.x GetBaseReport's NotifyReport),
 * and nothing else: every other CALL gets SecurityError until it is Accepted.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { CentralSystem, ChargePoint, SecurityError, type AnyStation, type OcppVersion } from '../../src/index';

const now = (): string => new Date().toISOString();

describe('item 48: the central system lets triggered messages through while Pending', () => {
  for (const protocol of ['ocpp1.6', 'ocpp2.0.1', 'ocpp2.1'] as const satisfies readonly OcppVersion[]) {
    test(`a triggered Heartbeat is accepted while Pending; an untriggered StatusNotification, or one whose trigger was Rejected, gets SecurityError (${protocol})`, async (t) => {
      const cs = new CentralSystem({ protocols: [protocol], path: '/ocpp', pingIntervalMs: 0, bootGating: true });
      t.after(() => cs.close());
      let heartbeats = 0;
      if (protocol === 'ocpp1.6') {
        cs.handle('ocpp1.6', 'BootNotification', () => ({ status: 'Pending', currentTime: now(), interval: 300 }));
        cs.handle('ocpp1.6', 'Heartbeat', () => (heartbeats++, { currentTime: now() }));
        cs.handle('ocpp1.6', 'StatusNotification', () => ({}));
      } else if (protocol === 'ocpp2.0.1') {
        cs.handle('ocpp2.0.1', 'BootNotification', () => ({ status: 'Pending', currentTime: now(), interval: 300 }));
        cs.handle('ocpp2.0.1', 'Heartbeat', () => (heartbeats++, { currentTime: now() }));
        cs.handle('ocpp2.0.1', 'StatusNotification', () => ({}));
      } else {
        cs.handle('ocpp2.1', 'BootNotification', () => ({ status: 'Pending', currentTime: now(), interval: 300 }));
        cs.handle('ocpp2.1', 'Heartbeat', () => (heartbeats++, { currentTime: now() }));
        cs.handle('ocpp2.1', 'StatusNotification', () => ({}));
      }
      const { port } = await cs.listen({ port: 0, host: '127.0.0.1' });
      const connected = new Promise<AnyStation>((resolve) => cs.once('connection', resolve));
      const cp = ChargePoint.create({ url: `ws://127.0.0.1:${port}/ocpp`, identity: 'PENDING', protocol, pingIntervalMs: 0, reconnect: false });
      t.after(() => cp.close());
      // The charger agrees to trigger Heartbeat and refuses StatusNotification.
      const triggerAnswer = (requested: string) => ({ status: requested === 'Heartbeat' ? ('Accepted' as const) : ('Rejected' as const) });
      if (cp.protocol === 'ocpp1.6') cp.handle('TriggerMessage', (req) => triggerAnswer(req.requestedMessage));
      else if (cp.protocol === 'ocpp2.0.1') cp.handle('TriggerMessage', (req) => triggerAnswer(req.requestedMessage));
      else cp.handle('TriggerMessage', (req) => triggerAnswer(req.requestedMessage));
      const status2x = { timestamp: now(), connectorStatus: 'Available', evseId: 1, connectorId: 1 } as const;
      const sendStatus = (): Promise<unknown> =>
        cp.protocol === 'ocpp1.6'
          ? cp.call('StatusNotification', { connectorId: 1, errorCode: 'NoError', status: 'Available' })
          : cp.protocol === 'ocpp2.0.1'
            ? cp.call('StatusNotification', status2x)
            : cp.call('StatusNotification', status2x);
      await cp.connect();
      const station = (await connected) as AnyStation<'ocpp1.6'>;
      await assert.rejects(sendStatus(), SecurityError, 'StatusNotification before any boot');
      const boot2x = { reason: 'PowerUp', chargingStation: { model: 'M', vendorName: 'V' } } as const;
      const boot =
        cp.protocol === 'ocpp1.6'
          ? await cp.call('BootNotification', { chargePointVendor: 'V', chargePointModel: 'M' })
          : cp.protocol === 'ocpp2.0.1'
            ? await cp.call('BootNotification', boot2x)
            : await cp.call('BootNotification', boot2x);
      assert.equal(boot.status, 'Pending');
      await assert.rejects((cp as ChargePoint).call('Heartbeat', {}), SecurityError, 'Heartbeat is not triggered yet');
      assert.equal(heartbeats, 0);

      // The station's type is the version's; the trigger request is the same shape in both.
      const trigger = (requestedMessage: string) => station.call('TriggerMessage', { requestedMessage } as never) as Promise<{ status: string }>;
      assert.equal((await trigger('Heartbeat')).status, 'Accepted');
      assert.equal((await trigger('StatusNotification')).status, 'Rejected');
      await (cp as ChargePoint).call('Heartbeat', {});
      assert.equal(heartbeats, 1, 'the triggered Heartbeat reached its handler');
      await assert.rejects(sendStatus(), SecurityError, 'a trigger the charger Rejected lets nothing through');
    });
  }

  for (const protocol of ['ocpp2.0.1', 'ocpp2.1'] as const) {
    test(`${protocol}: GetBaseReport lets the NotifyReport it asks for through while Pending`, async (t) => {
      const cs = new CentralSystem({ protocols: [protocol], path: '/ocpp', pingIntervalMs: 0, bootGating: true });
      t.after(() => cs.close());
      const reports: number[] = [];
      cs.handle(protocol, 'BootNotification', () => ({ status: 'Pending', currentTime: now(), interval: 300 }));
      cs.handle(protocol, 'NotifyReport', (req) => (reports.push(req.requestId), {}));
      const { port } = await cs.listen({ port: 0, host: '127.0.0.1' });
      const connected = new Promise<AnyStation<typeof protocol>>((resolve) => cs.once('connection', resolve));
      const cp = new ChargePoint({ url: `ws://127.0.0.1:${port}/ocpp`, identity: `REPORT-${protocol}`, protocol, pingIntervalMs: 0, reconnect: false });
      t.after(() => cp.close());
      cp.handle('GetBaseReport', () => ({ status: 'Accepted' }));
      await cp.connect();
      const station = await connected;
      await cp.call('BootNotification', { reason: 'PowerUp', chargingStation: { model: 'M', vendorName: 'V' } });
      const report = { requestId: 7, generatedAt: now(), seqNo: 0 };
      await assert.rejects(cp.call('NotifyReport', report), SecurityError, 'not asked for yet');
      const ask = { requestId: 7, reportBase: 'FullInventory' } as const;
      const asked = station.protocol === 'ocpp2.0.1' ? await station.call('GetBaseReport', ask) : await station.call('GetBaseReport', ask);
      assert.equal(asked.status, 'Accepted');
      await cp.call('NotifyReport', report);
      assert.deepEqual(reports, [7]);
    });
  }
});
