/**
 * The three examples of the design (../shared/design/testing.md §4) as tests, in node:test, with
 * vitest-style `expect.any` matchers: boot Pending (TC_B_02_CS-like, 2.0.1), remote start with
 * free order (TC_010_CS-like, 1.6) and negative frames (TC_B_30_CS plus frame errors, 2.0.1).
 * The charger under test is the SDK's ChargePoint with a little firmware of its own (`rig`);
 * each example also runs against a rig that misbehaves the way the example checks, and must
 * fail there, so no example passes vacuously.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { ChargePoint, OCPP16, OCPP201 } from '../../src/index';
import { codes, ExpectationError, TestCentralSystem } from '../../src/testing/index';
import { chargePoint, delay, expect, rawPeer } from './support';

// ---------------------------------------------------------------------------- rigs

/** Resolves once `ok()` holds, or after 1 s (the assertion that follows then tells). */
async function until(ok: () => boolean): Promise<void> {
  for (let i = 0; i < 100 && !ok(); i++) await delay(10);
}

interface Rig201 {
  readonly cp: ChargePoint<'ocpp2.0.1'>;
  powerCycle(): Promise<void>;
  stop(): Promise<void>;
}

/** A 2.0.1 charger: boots (retrying Pending/Rejected at the interval), obeys SetVariables, reports its connector. */
function rig201(url: string, id: string, quirks: { retryAfterMs?: number; status?: 'Available' | 'Unavailable'; bootGating?: boolean } = {}): Rig201 {
  const cp = chargePoint(url, id, 'ocpp2.0.1', { bootGating: quirks.bootGating ?? false });
  cp.handle('SetVariables', (req) => ({
    setVariableResult: req.setVariableData.map((d) => ({ attributeStatus: 'Accepted' as const, component: d.component, variable: d.variable })),
  }));
  cp.handle('GetBaseReport', () => ({ status: 'Accepted' }));
  const boot: OCPP201.BootNotificationRequest = { reason: 'PowerUp', chargingStation: { vendorName: 'Acme', model: 'Fast-1', firmwareVersion: '1.0' } };
  const firmware = async (): Promise<void> => {
    if (quirks.retryAfterMs === undefined) await cp.boot(boot);
    else {
      // Misbehaves: ignores the interval and retries after retryAfterMs.
      while ((await cp.call('BootNotification', boot)).status !== 'Accepted') await delay(quirks.retryAfterMs);
    }
    await cp.call('StatusNotification', { timestamp: new Date().toISOString(), connectorStatus: quirks.status ?? 'Available', evseId: 1, connectorId: 1 });
  };
  return {
    cp,
    powerCycle: async () => {
      await cp.connect();
      // Not awaited: the test waits for what the charger does, as it would for a real one.
      firmware().catch(() => undefined);
    },
    stop: () => cp.close(),
  };
}

interface Rig16 {
  readonly cp: ChargePoint<'ocpp1.6'>;
  transactionId: number | undefined;
  plugIn(connectorId: number): Promise<void>;
  stop(): Promise<void>;
}

/** A 1.6 charger: a remote start begins a session, reporting StartTransaction and Charging in the order given. */
function rig16(url: string, id: string, order: 'start-first' | 'status-first' | 'no-charging-status'): Rig16 {
  const cp = chargePoint(url, id, 'ocpp1.6');
  const rig: Rig16 = {
    cp,
    transactionId: undefined,
    plugIn: async (connectorId) => {
      await cp.connect();
      await cp.call('StatusNotification', { connectorId, errorCode: 'NoError', status: 'Preparing' });
    },
    stop: () => cp.close(),
  };
  const charging = (connectorId: number): Promise<unknown> => cp.call('StatusNotification', { connectorId, errorCode: 'NoError', status: 'Charging' });
  const start = async (req: OCPP16.RemoteStartTransactionRequest): Promise<void> => {
    const connectorId = req.connectorId ?? 1;
    if (order === 'status-first') await charging(connectorId);
    const started = await cp.call('StartTransaction', { connectorId, idTag: req.idTag, meterStart: 1200, timestamp: new Date().toISOString() });
    rig.transactionId = started.transactionId;
    if (order === 'start-first') await charging(connectorId);
  };
  cp.handle('RemoteStartTransaction', (req) => {
    setImmediate(() => void start(req).catch(() => undefined));
    return { status: 'Accepted' };
  });
  return rig;
}

// ---------------------------------------------------------------------------- example 1

describe('design example 1: boot Pending (TC_B_02_CS-like, 2.0.1)', () => {
  /** The example as the design writes it, with a 1 s interval instead of 10 s (and no 4 s slack). */
  async function bootPending(quirks: Parameters<typeof rig201>[2]): Promise<void> {
    await using csms = await TestCentralSystem.start({ protocols: ['ocpp2.0.1'], timeoutMs: 3000 });
    const st = csms.station<'ocpp2.0.1'>('CS001');
    const rig = rig201(csms.url, 'CS001', quirks);
    try {
      st.stub('BootNotification', { status: 'Pending', interval: 1 }, { times: 1 });
      await rig.powerCycle();
      const boot1 = await st.expectCall('BootNotification', {
        reason: 'PowerUp',
        chargingStation: { vendorName: expect.any(String), firmwareVersion: expect.any(String) },
      });
      const r = await st.call('SetVariables', {
        setVariableData: [{ component: { name: 'OCPPCommCtrlr' }, variable: { name: 'OfflineThreshold' }, attributeValue: '300' }],
      });
      assert.equal(r.setVariableResult[0].attributeStatus, 'Accepted');
      await st.expectCall('BootNotification', {}, { after: boot1, notBeforeMs: 1_000 });
      await st.expectOneOf(
        [
          ['StatusNotification', { connectorStatus: 'Available' }],
          ['NotifyEvent', { eventData: [{ actualValue: 'Available' }] }],
        ],
        { timeoutMs: 1500 },
      );
    } finally {
      await rig.stop();
    }
  }

  test('passes against a charger that waits the interval and reports its connector Available', async () => {
    await bootPending({});
  });

  test('fails against a charger that retries its boot before the interval, naming how early', async () => {
    await assert.rejects(bootPending({ retryAfterMs: 100 }), (e: unknown) => {
      assert.ok(e instanceof ExpectationError, String(e));
      assert.match(e.message, /BootNotification #\d+ came \d+ ms after BootNotification #\d+: too early \(notBeforeMs 1000, tolerance 50 ms\)/);
      return true;
    });
  });

  test('fails against a charger that reports its connector Unavailable, naming both alternatives', async () => {
    await assert.rejects(
      bootPending({ status: 'Unavailable' }),
      /expected one of: StatusNotification matching \{"connectorStatus":"Available"\} OR NotifyEvent.*\n {2}but StatusNotification #\d+ did not match: at \$\.connectorStatus expected "Available", got "Unavailable"/,
    );
  });
});

// ---------------------------------------------------------------------------- example 2

describe('design example 2: remote start, steps in free order (TC_010_CS-like, 1.6)', () => {
  async function remoteStart(order: Parameters<typeof rig16>[2]): Promise<void> {
    await using csms = await TestCentralSystem.start({ protocols: ['ocpp1.6'], timeoutMs: 1500 });
    const st = csms.station<'ocpp1.6'>('CP16');
    const rig = rig16(csms.url, 'CP16', order);
    try {
      await rig.plugIn(1);
      await st.expectCall('StatusNotification', { connectorId: 1, status: 'Preparing' });
      // Armed before the remote start: its `respond` must be in place when StartTransaction
      // comes, which may be before the RemoteStartTransaction answer is read here.
      const session = st.expectAll(
        [
          [
            'StartTransaction',
            { connectorId: 1, idTag: 'TAG1', meterStart: expect.any(Number) },
            { respond: { transactionId: 42, idTagInfo: { status: 'Accepted' } } },
          ],
          ['StatusNotification', { connectorId: 1, status: 'Charging' }],
        ],
        { anyOrder: true },
      );
      assert.equal((await st.call('RemoteStartTransaction', { connectorId: 1, idTag: 'TAG1' })).status, 'Accepted');
      await session;
      // The answer is on its way to the charger; give it the moment it needs to read it.
      await until(() => rig.transactionId !== undefined);
      assert.equal(rig.transactionId, 42, 'the charger got the transactionId the test chose');
    } finally {
      await rig.stop();
    }
  }

  test('passes when StartTransaction comes first', async () => {
    await remoteStart('start-first');
  });

  test('passes when the Charging status comes first (steps may be reversed)', async () => {
    await remoteStart('status-first');
  });

  test('fails against a charger that never reports Charging, naming what is missing', async () => {
    await assert.rejects(
      remoteStart('no-charging-status'),
      /got StartTransaction #\d+; missing StatusNotification matching \{"connectorId":1,"status":"Charging"\}/,
    );
  });
});

// ---------------------------------------------------------------------------- example 3

describe('design example 3: negative tests (TC_B_30_CS plus frame errors, 2.0.1)', () => {
  async function negative(quirks: Parameters<typeof rig201>[2]): Promise<void> {
    await using csms = await TestCentralSystem.start({ protocols: ['ocpp2.0.1'], timeoutMs: 3000 });
    const st = csms.station<'ocpp2.0.1'>('CS002');
    const rig = rig201(csms.url, 'CS002', quirks);
    try {
      st.stub('BootNotification', { status: 'Rejected', interval: 1 }, { times: 1 });
      await rig.powerCycle();
      await st.expectCall('BootNotification');
      // The Rejected answer is on its way: the charger must have read it before it is tested.
      await until(() => rig.cp.bootStatus === 'Rejected');
      await assert.rejects(st.call('GetBaseReport', { requestId: 1, reportBase: 'FullInventory' }), { code: 'SecurityError' });
      await st.expectCall('BootNotification'); // the retry gets the default Accepted
      st.sendRaw('[2,"u1","NoSuchAction",{}]');
      await st.expectCallError('NotImplemented', { messageId: 'u1' });
      st.sendRaw('{Malformed');
      await st.expectCallError('RpcFrameworkError', { messageId: '-1' });
      await assert.rejects(st.call('SetVariables', { setVariableData: [] }, { validate: false }), { code: codes(st.protocol!).occurrence });
    } finally {
      await rig.stop();
    }
  }

  test('passes against a charger that refuses calls while Rejected and answers bad frames by the rules', async () => {
    await negative({ bootGating: true });
  });

  test('fails against a charger that answers the CSMS while Rejected', async () => {
    await assert.rejects(negative({ bootGating: false }), assert.AssertionError);
  });

  test('expectCallError fails naming the code a misbehaving charger sent instead', async () => {
    await using csms = await TestCentralSystem.start({ protocols: ['ocpp2.0.1'], timeoutMs: 500 });
    const st = csms.station<'ocpp2.0.1'>('BAD');
    // Answers every CALL with GenericError and ignores what it cannot parse.
    const peer = await rawPeer(`${csms.url}/BAD`, 'ocpp2.0.1', (frame) => JSON.stringify([4, frame[1], 'GenericError', 'no', {}]));
    try {
      await st.waitForConnection();
      st.sendRaw('[2,"u1","NoSuchAction",{}]');
      await assert.rejects(
        st.expectCallError('NotImplemented', { messageId: 'u1' }),
        /expected a CALLERROR NotImplemented for message "u1"\n {2}but the answer was CALLERROR GenericError "no"/,
      );
      st.sendRaw('{Malformed');
      await assert.rejects(st.expectCallError('RpcFrameworkError', { messageId: '-1' }), /but no such CALLERROR came/);
    } finally {
      await peer.close();
    }
  });
});
