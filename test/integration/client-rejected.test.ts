/**
 * Checklist item 49 end to end: a ChargePoint with `bootGating` whose BootNotification was
 * answered Rejected, facing a raw central system that sends it CALLs anyway. 2.0.1 and 2.1 answer
 * each with CALLERROR SecurityError (P2 B03.FR.08), except TriggerMessage(BootNotification); 1.6
 * answers nothing (C16 §4.2: "SHALL NOT respond"). Accepted opens the gate again.
 */
import assert from 'node:assert/strict';
import { describe, test, type TestContext } from 'node:test';
import type { WebSocket } from 'ws';
import { ChargePoint, type OcppVersion } from '../../src/index';
import { rawServer } from '../reliability/support';

const BOOT = {
  'ocpp1.6': { chargePointVendor: 'V', chargePointModel: 'M' },
  'ocpp2.0.1': { reason: 'PowerUp', chargingStation: { model: 'M', vendorName: 'V' } },
  'ocpp2.1': { reason: 'PowerUp', chargingStation: { model: 'M', vendorName: 'V' } },
} as const;

interface Rig {
  cp: ChargePoint;
  /** Sends a CALL to the ChargePoint; resolves with its answer, or 'none' when there is none within `waitMs`. */
  call(action: string, payload: object, waitMs?: number): Promise<unknown[] | 'none'>;
  /** Makes the ChargePoint boot and answers it with `status`. */
  boot(status: 'Accepted' | 'Pending' | 'Rejected'): Promise<void>;
}

async function rig(t: TestContext, protocol: OcppVersion, bootGating: boolean): Promise<Rig> {
  const server = await rawServer(protocol);
  t.after(() => server.close());
  const cp = new ChargePoint({ url: server.url, identity: 'CP-REJ', protocol, bootGating, pingIntervalMs: 0, reconnect: false });
  t.after(() => cp.close());
  await cp.connect();
  const ws: WebSocket = await server.nextSocket();
  const inbox: unknown[][] = [];
  const waiting = new Set<() => void>();
  ws.on('message', (data) => {
    inbox.push(JSON.parse((data as Buffer).toString()) as unknown[]);
    for (const wake of waiting) wake();
  });
  /** The next frame that `match` accepts, taken out of the inbox; undefined after `ms`. */
  const next = (match: (f: unknown[]) => boolean, ms: number): Promise<unknown[] | undefined> =>
    new Promise((resolve) => {
      const look = (): boolean => {
        const i = inbox.findIndex(match);
        if (i < 0) return false;
        waiting.delete(wake);
        clearTimeout(timer);
        resolve(inbox.splice(i, 1)[0]);
        return true;
      };
      const wake = (): void => void look();
      const timer = setTimeout(() => {
        waiting.delete(wake);
        resolve(undefined);
      }, ms);
      if (!look()) waiting.add(wake);
    });
  let n = 0;
  return {
    cp,
    async call(action, payload, waitMs = 2000) {
      const id = `srv-${++n}`;
      ws.send(JSON.stringify([2, id, action, payload]));
      return (await next((f) => f[0] !== 2 && f[1] === id, waitMs)) ?? 'none';
    },
    async boot(status) {
      const answered = (cp as ChargePoint<'ocpp1.6'>).call('BootNotification', BOOT[protocol] as never);
      const frame = await next((f) => f[0] === 2 && f[2] === 'BootNotification', 2000);
      assert.ok(frame, 'no BootNotification');
      ws.send(JSON.stringify([3, frame[1], { status, currentTime: new Date().toISOString(), interval: 300 }]));
      assert.equal((await answered).status, status);
    },
  };
}

describe("item 49: a Rejected charger and the central system's CALLs", () => {
  for (const protocol of ['ocpp2.0.1', 'ocpp2.1'] as const) {
    test(`${protocol} with bootGating: every CALL gets SecurityError while Rejected, TriggerMessage(BootNotification) reaches its handler; Accepted opens the gate`, async (t) => {
      const r = await rig(t, protocol, true);
      const handled: string[] = [];
      (r.cp as ChargePoint<'ocpp2.0.1' | 'ocpp2.1'>).handle('GetVariables', (req) => {
        handled.push('GetVariables');
        return { getVariableResult: req.getVariableData.map((d) => ({ attributeStatus: 'Rejected' as const, component: d.component, variable: d.variable })) };
      });
      (r.cp as ChargePoint<'ocpp2.0.1' | 'ocpp2.1'>).handle('TriggerMessage', (req) => {
        handled.push(`TriggerMessage ${req.requestedMessage}`);
        return { status: 'Accepted' };
      });
      const getVariables = { getVariableData: [{ component: { name: 'OCPPCommCtrlr' }, variable: { name: 'HeartbeatInterval' } }] };
      await r.boot('Rejected');
      const refused = await r.call('GetVariables', getVariables);
      assert.equal(refused !== 'none' && refused[0], 4);
      assert.equal(refused !== 'none' && refused[2], 'SecurityError');
      const heartbeatTrigger = await r.call('TriggerMessage', { requestedMessage: 'Heartbeat' });
      assert.equal(heartbeatTrigger !== 'none' && heartbeatTrigger[2], 'SecurityError');
      assert.deepEqual(await r.call('TriggerMessage', { requestedMessage: 'BootNotification' }), [3, 'srv-3', { status: 'Accepted' }]);
      assert.deepEqual(handled, ['TriggerMessage BootNotification'], 'no refused CALL reached a handler');
      await r.boot('Accepted');
      const answered = await r.call('GetVariables', getVariables);
      assert.equal(answered !== 'none' && answered[0], 3);
      assert.deepEqual(handled, ['TriggerMessage BootNotification', 'GetVariables']);
    });
  }

  test('1.6 with bootGating: CALLs get no answer at all while Rejected; Pending and Accepted are answered', async (t) => {
    const r = await rig(t, 'ocpp1.6', true);
    let resets = 0;
    (r.cp as ChargePoint<'ocpp1.6'>).handle('Reset', () => {
      resets++;
      return { status: 'Accepted' };
    });
    await r.boot('Rejected');
    assert.equal(await r.call('Reset', { type: 'Soft' }, 300), 'none');
    assert.equal(await r.call('TriggerMessage', { requestedMessage: 'BootNotification' }, 300), 'none');
    assert.equal(resets, 0);
    await r.boot('Pending');
    assert.deepEqual(await r.call('Reset', { type: 'Soft' }), [3, 'srv-3', { status: 'Accepted' }]);
    await r.boot('Accepted');
    assert.deepEqual(await r.call('Reset', { type: 'Hard' }), [3, 'srv-4', { status: 'Accepted' }]);
    assert.equal(resets, 2);
  });

  test('2.0.1: a CALL that arrives in the same read as the Rejected answer meets the gate (the status is noted as the answer is read)', async (t) => {
    const server = await rawServer('ocpp2.0.1');
    t.after(() => server.close());
    const cp = new ChargePoint({ url: server.url, identity: 'CP-RACE', protocol: 'ocpp2.0.1', bootGating: true, pingIntervalMs: 0, reconnect: false });
    t.after(() => cp.close());
    cp.handle('GetVariables', () => ({ getVariableResult: [] }));
    await cp.connect();
    const ws: WebSocket = await server.nextSocket();
    const frames: unknown[][] = [];
    const refused = new Promise<unknown[]>((resolve) =>
      ws.on('message', (data) => {
        const f = JSON.parse((data as Buffer).toString()) as unknown[];
        frames.push(f);
        if (f[0] === 2 && f[2] === 'BootNotification') {
          // Both frames in one write: the client reads them in one go.
          const answer = JSON.stringify([3, f[1], { status: 'Rejected', currentTime: new Date().toISOString(), interval: 300 }]);
          const call = JSON.stringify([
            2,
            'srv-race',
            'GetVariables',
            { getVariableData: [{ component: { name: 'OCPPCommCtrlr' }, variable: { name: 'HeartbeatInterval' } }] },
          ]);
          ws.send(answer);
          ws.send(call);
        }
        if (f[1] === 'srv-race') resolve(f);
      }),
    );
    assert.equal((await cp.call('BootNotification', BOOT['ocpp2.0.1'])).status, 'Rejected');
    const answer = await refused;
    assert.equal(answer[0], 4, JSON.stringify(frames));
    assert.equal(answer[2], 'SecurityError');
  });

  for (const protocol of ['ocpp1.6', 'ocpp2.0.1', 'ocpp2.1'] as const) {
    test(`without bootGating a Rejected charger answers as usual (opt-in) (${protocol})`, async (t) => {
      const r = await rig(t, protocol, false);
      await r.boot('Rejected');
      const answer = await r.call('TriggerMessage', { requestedMessage: 'Heartbeat' });
      // No TriggerMessage handler: NotSupported, i.e. the CALL went past any gate to the handler lookup.
      assert.equal(answer !== 'none' && answer[2], 'NotSupported');
    });
  }
});
