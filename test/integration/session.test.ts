/**
 * Integration: a real CentralSystem on 127.0.0.1 (port 0) and real ChargePoints over loopback,
 * running whole charging sessions in every version (1.6, 2.0.1, 2.1), plus what happens around them: duplicate
 * identities, keepalive, boot gating, and close() leaving nothing behind.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { describe, test } from 'node:test';
import { WebSocket } from 'ws';
import {
  CentralSystem,
  ChargePoint,
  ConnectionClosedError,
  NotConnectedError,
  NotSupportedError,
  SecurityError,
  type AnyChargePoint,
  type AnyStation,
  type OcppVersion,
} from '../../src/index';

const now = (): string => new Date().toISOString();

async function startServer(
  options: ConstructorParameters<typeof CentralSystem<OcppVersion>>[0] = {},
): Promise<{ cs: CentralSystem<OcppVersion>; url: string }> {
  const cs = new CentralSystem<OcppVersion>({ path: '/ocpp', ...options });
  const address = await cs.listen({ port: 0, host: '127.0.0.1' });
  return { cs, url: `ws://127.0.0.1:${address.port}/ocpp` };
}

function nextConnection<V extends OcppVersion>(cs: CentralSystem<V>): Promise<AnyStation<V>> {
  return new Promise((resolve) => cs.once('connection', resolve));
}

function meterValue16(wh: number) {
  return {
    timestamp: now(),
    sampledValue: [
      { value: String(wh), measurand: 'Energy.Active.Import.Register' as const, unit: 'Wh' as const },
      { value: '7200', measurand: 'Power.Active.Import' as const, unit: 'W' as const },
    ],
  };
}

describe('a full charging session over OCPP 1.6', () => {
  test('boot, status, authorize, start, meter values, remote commands, stop', async (t) => {
    const { cs, url } = await startServer({ protocols: ['ocpp1.6'] });
    t.after(() => cs.close());
    const seen: string[] = [];
    let nextTx = 1000;
    cs.handle('ocpp1.6', 'BootNotification', (req, ctx) => {
      seen.push(`boot ${ctx.station.identity} ${req.chargePointVendor}`);
      return { status: 'Accepted', currentTime: now(), interval: 300 };
    });
    cs.handle('ocpp1.6', 'StatusNotification', (req) => {
      seen.push(`status ${req.connectorId} ${req.status}`);
      return {};
    });
    cs.handle('ocpp1.6', 'Authorize', (req) => ({ idTagInfo: { status: req.idTag === 'TAG1' ? 'Accepted' : 'Invalid' } }));
    cs.handle('ocpp1.6', 'StartTransaction', (req) => {
      seen.push(`start ${req.idTag} ${req.meterStart}`);
      return { transactionId: nextTx++, idTagInfo: { status: 'Accepted' } };
    });
    cs.handle('ocpp1.6', 'MeterValues', (req) => {
      seen.push(`meter ${req.transactionId} ${req.meterValue[0].sampledValue[0].value}`);
      return {};
    });
    cs.handle('ocpp1.6', 'StopTransaction', (req) => {
      seen.push(`stop ${req.transactionId} ${req.meterStop} ${req.reason}`);
      return { idTagInfo: { status: 'Accepted' } };
    });

    const cp = new ChargePoint({ url, identity: 'CP-16', protocol: 'ocpp1.6' });
    t.after(() => cp.close());
    const remote: string[] = [];
    cp.handle('RemoteStartTransaction', (req) => {
      remote.push(`remote start ${req.idTag}`);
      return { status: 'Accepted' };
    });
    cp.handle('ChangeConfiguration', (req) => {
      remote.push(`config ${req.key}=${req.value}`);
      return { status: 'Accepted' };
    });
    cp.handle('RemoteStopTransaction', (req) => {
      remote.push(`remote stop ${req.transactionId}`);
      return { status: 'Accepted' };
    });

    const connected = nextConnection(cs);
    await cp.connect();
    const station = await connected;
    assert.equal(station.protocol, 'ocpp1.6');

    const boot = await cp.call('BootNotification', { chargePointVendor: 'Acme', chargePointModel: 'Fast-1' });
    assert.equal(boot.status, 'Accepted');
    assert.equal(station.bootStatus, 'Accepted');
    await cp.call('StatusNotification', { connectorId: 1, errorCode: 'NoError', status: 'Available' });
    const auth = await cp.call('Authorize', { idTag: 'TAG1' });
    assert.equal(auth.idTagInfo.status, 'Accepted');
    const denied = await cp.call('Authorize', { idTag: 'NOPE' });
    assert.equal(denied.idTagInfo.status, 'Invalid');

    // Remote commands from the central system while the charger is idle.
    assert.ok(station.protocol === 'ocpp1.6');
    const s16 = station;
    assert.deepEqual(await s16.call('ChangeConfiguration', { key: 'HeartbeatInterval', value: '300' }), { status: 'Accepted' });
    assert.deepEqual(await s16.call('RemoteStartTransaction', { idTag: 'TAG1', connectorId: 1 }), { status: 'Accepted' });

    const start = await cp.call('StartTransaction', { connectorId: 1, idTag: 'TAG1', meterStart: 0, timestamp: now() });
    assert.equal(start.transactionId, 1000);
    await cp.call('MeterValues', { connectorId: 1, transactionId: start.transactionId, meterValue: [meterValue16(1500)] });
    assert.deepEqual(await s16.call('RemoteStopTransaction', { transactionId: start.transactionId }), { status: 'Accepted' });
    await cp.call('StopTransaction', { transactionId: start.transactionId, meterStop: 3000, timestamp: now(), reason: 'Remote' });

    assert.deepEqual(seen, ['boot CP-16 Acme', 'status 1 Available', 'start TAG1 0', 'meter 1000 1500', 'stop 1000 3000 Remote']);
    assert.deepEqual(remote, ['config HeartbeatInterval=300', 'remote start TAG1', 'remote stop 1000']);
  });
});

describe('a full charging session over OCPP 2.0.1', () => {
  test('boot, status, authorize, transaction events, remote commands, stop', async (t) => {
    const { cs, url } = await startServer({ protocols: ['ocpp2.0.1'] });
    t.after(() => cs.close());
    const events: string[] = [];
    cs.handle('ocpp2.0.1', 'BootNotification', (req) => ({ status: 'Accepted', currentTime: now(), interval: 300, ...(req.reason === 'PowerUp' ? {} : {}) }));
    cs.handle('ocpp2.0.1', 'StatusNotification', (req) => {
      events.push(`status ${req.evseId}/${req.connectorId} ${req.connectorStatus}`);
      return {};
    });
    cs.handle('ocpp2.0.1', 'Authorize', (req) => ({ idTokenInfo: { status: req.idToken.idToken === 'TOKEN1' ? 'Accepted' : 'Unknown' } }));
    cs.handle('ocpp2.0.1', 'TransactionEvent', (req) => {
      events.push(`tx ${req.eventType} ${req.transactionInfo.transactionId} seq=${req.seqNo}`);
      return req.eventType === 'Started' ? { idTokenInfo: { status: 'Accepted' } } : {};
    });
    cs.handle('ocpp2.0.1', 'Heartbeat', () => ({ currentTime: now() }));

    const cp = new ChargePoint({ url, identity: 'CS-201', protocol: 'ocpp2.0.1' });
    t.after(() => cp.close());
    cp.handle('RequestStartTransaction', (req) => ({ status: 'Accepted', transactionId: `tx-${req.remoteStartId}` }));
    cp.handle('RequestStopTransaction', () => ({ status: 'Accepted' }));
    cp.handle('GetVariables', (req) => ({
      getVariableResult: req.getVariableData.map((d) => ({
        attributeStatus: 'Accepted' as const,
        component: d.component,
        variable: d.variable,
        attributeValue: '300',
      })),
    }));

    const connected = nextConnection(cs);
    await cp.connect();
    const station = (await connected) as AnyStation<'ocpp2.0.1'>;
    assert.equal(station.protocol, 'ocpp2.0.1');

    const boot = await cp.call('BootNotification', { reason: 'PowerUp', chargingStation: { model: 'Fast-2', vendorName: 'Acme' } });
    assert.equal(boot.status, 'Accepted');
    await cp.call('StatusNotification', { timestamp: now(), connectorStatus: 'Available', evseId: 1, connectorId: 1 });
    const auth = await cp.call('Authorize', { idToken: { idToken: 'TOKEN1', type: 'ISO14443' } });
    assert.equal(auth.idTokenInfo.status, 'Accepted');

    const vars = await station.call('GetVariables', { getVariableData: [{ component: { name: 'OCPPCommCtrlr' }, variable: { name: 'HeartbeatInterval' } }] });
    assert.equal(vars.getVariableResult[0].attributeValue, '300');
    const remote = await station.call('RequestStartTransaction', { idToken: { idToken: 'TOKEN1', type: 'ISO14443' }, remoteStartId: 7, evseId: 1 });
    assert.deepEqual(remote, { status: 'Accepted', transactionId: 'tx-7' });

    const tx = { transactionId: 'tx-7' };
    await cp.call('TransactionEvent', {
      eventType: 'Started',
      timestamp: now(),
      triggerReason: 'RemoteStart',
      seqNo: 0,
      transactionInfo: tx,
      evse: { id: 1, connectorId: 1 },
      idToken: { idToken: 'TOKEN1', type: 'ISO14443' },
    });
    await cp.call('TransactionEvent', {
      eventType: 'Updated',
      timestamp: now(),
      triggerReason: 'MeterValuePeriodic',
      seqNo: 1,
      transactionInfo: tx,
      meterValue: [{ timestamp: now(), sampledValue: [{ value: 1500, measurand: 'Energy.Active.Import.Register' }] }],
    });
    assert.deepEqual(await station.call('RequestStopTransaction', { transactionId: 'tx-7' }), { status: 'Accepted' });
    await cp.call('TransactionEvent', {
      eventType: 'Ended',
      timestamp: now(),
      triggerReason: 'RemoteStop',
      seqNo: 2,
      transactionInfo: { ...tx, stoppedReason: 'Remote' },
    });
    const hb = await cp.call('Heartbeat', {});
    assert.equal(typeof hb.currentTime, 'string');

    assert.deepEqual(events, ['status 1/1 Available', 'tx Started tx-7 seq=0', 'tx Updated tx-7 seq=1', 'tx Ended tx-7 seq=2']);
  });
});

describe('a full charging session over OCPP 2.1 (strict validation on both sides)', () => {
  test('boot, status, authorize, transaction events, remote commands, stop', async (t) => {
    const { cs, url } = await startServer({ protocols: ['ocpp2.1'] });
    t.after(() => cs.close());
    const events: string[] = [];
    cs.handle('ocpp2.1', 'BootNotification', (req) => ({ status: 'Accepted', currentTime: now(), interval: 300, ...(req.reason === 'PowerUp' ? {} : {}) }));
    cs.handle('ocpp2.1', 'StatusNotification', (req) => {
      events.push(`status ${req.evseId}/${req.connectorId} ${req.connectorStatus}`);
      return {};
    });
    cs.handle('ocpp2.1', 'Authorize', (req) => ({ idTokenInfo: { status: req.idToken.idToken === 'TOKEN1' ? 'Accepted' : 'Unknown' } }));
    cs.handle('ocpp2.1', 'TransactionEvent', (req) => {
      events.push(`tx ${req.eventType} ${req.transactionInfo.transactionId} seq=${req.seqNo}`);
      return req.eventType === 'Started' ? { idTokenInfo: { status: 'Accepted' } } : {};
    });
    cs.handle('ocpp2.1', 'Heartbeat', () => ({ currentTime: now() }));

    const cp = new ChargePoint({ url, identity: 'CS-21', protocol: 'ocpp2.1' });
    t.after(() => cp.close());
    cp.handle('RequestStartTransaction', (req) => ({ status: 'Accepted', transactionId: `tx-${req.remoteStartId}` }));
    cp.handle('RequestStopTransaction', () => ({ status: 'Accepted' }));
    cp.handle('GetVariables', (req) => ({
      getVariableResult: req.getVariableData.map((d) => ({
        attributeStatus: 'Accepted' as const,
        component: d.component,
        variable: d.variable,
        attributeValue: '300',
      })),
    }));

    const problems: string[] = [];
    cp.on('validationFailed', (e) => problems.push(`charger: ${e.action} ${e.detail}`));
    const connected = nextConnection(cs);
    await cp.connect();
    const station = (await connected) as AnyStation<'ocpp2.1'>;
    assert.equal(station.protocol, 'ocpp2.1');
    station.on('validationFailed', (e) => problems.push(`csms: ${e.action} ${e.detail}`));

    const boot = await cp.call('BootNotification', { reason: 'PowerUp', chargingStation: { model: 'Fast-2', vendorName: 'Acme' } });
    assert.equal(boot.status, 'Accepted');
    await cp.call('StatusNotification', { timestamp: now(), connectorStatus: 'Available', evseId: 1, connectorId: 1 });
    const auth = await cp.call('Authorize', { idToken: { idToken: 'TOKEN1', type: 'ISO14443' } });
    assert.equal(auth.idTokenInfo.status, 'Accepted');

    const vars = await station.call('GetVariables', { getVariableData: [{ component: { name: 'OCPPCommCtrlr' }, variable: { name: 'HeartbeatInterval' } }] });
    assert.equal(vars.getVariableResult[0].attributeValue, '300');
    const remote = await station.call('RequestStartTransaction', { idToken: { idToken: 'TOKEN1', type: 'ISO14443' }, remoteStartId: 7, evseId: 1 });
    assert.deepEqual(remote, { status: 'Accepted', transactionId: 'tx-7' });

    const tx = { transactionId: 'tx-7' };
    await cp.call('TransactionEvent', {
      eventType: 'Started',
      timestamp: now(),
      triggerReason: 'RemoteStart',
      seqNo: 0,
      transactionInfo: tx,
      evse: { id: 1, connectorId: 1 },
      idToken: { idToken: 'TOKEN1', type: 'ISO14443' },
    });
    await cp.call('TransactionEvent', {
      eventType: 'Updated',
      timestamp: now(),
      triggerReason: 'MeterValuePeriodic',
      seqNo: 1,
      transactionInfo: tx,
      meterValue: [{ timestamp: now(), sampledValue: [{ value: 1500, measurand: 'Energy.Active.Import.Register' }] }],
    });
    assert.deepEqual(await station.call('RequestStopTransaction', { transactionId: 'tx-7' }), { status: 'Accepted' });
    await cp.call('TransactionEvent', {
      eventType: 'Ended',
      timestamp: now(),
      triggerReason: 'RemoteStop',
      seqNo: 2,
      transactionInfo: { ...tx, stoppedReason: 'Remote' },
    });
    const hb = await cp.call('Heartbeat', {});
    assert.equal(typeof hb.currentTime, 'string');

    assert.deepEqual(events, ['status 1/1 Available', 'tx Started tx-7 seq=0', 'tx Updated tx-7 seq=1', 'tx Ended tx-7 seq=2']);
    // Both sides validated every message against the 2.1 schemas (strict is the default) and found nothing.
    assert.deepEqual(problems, []);
  });
});

/** Default handlers for BootNotification (answering `status()`) and Heartbeat, in `protocol`. */
function handleBootAndHeartbeat(cs: CentralSystem<OcppVersion>, protocol: OcppVersion, status: () => 'Accepted' | 'Pending'): void {
  if (protocol === 'ocpp1.6') {
    cs.handle('ocpp1.6', 'BootNotification', () => ({ status: status(), currentTime: now(), interval: 10 }));
    cs.handle('ocpp1.6', 'Heartbeat', () => ({ currentTime: now() }));
  } else if (protocol === 'ocpp2.0.1') {
    cs.handle('ocpp2.0.1', 'BootNotification', () => ({ status: status(), currentTime: now(), interval: 10 }));
    cs.handle('ocpp2.0.1', 'Heartbeat', () => ({ currentTime: now() }));
  } else {
    cs.handle('ocpp2.1', 'BootNotification', () => ({ status: status(), currentTime: now(), interval: 10 }));
    cs.handle('ocpp2.1', 'Heartbeat', () => ({ currentTime: now() }));
  }
}

/** Sends a BootNotification of the charge point's version. */
function sendBoot(charger: ChargePoint<OcppVersion>): Promise<{ status: string }> {
  const cp = charger as AnyChargePoint;
  if (cp.protocol === 'ocpp1.6') return cp.call('BootNotification', { chargePointVendor: 'V', chargePointModel: 'M' });
  if (cp.protocol === 'ocpp2.0.1') return cp.call('BootNotification', { reason: 'PowerUp', chargingStation: { model: 'M', vendorName: 'V' } });
  return cp.call('BootNotification', { reason: 'PowerUp', chargingStation: { model: 'M', vendorName: 'V' } });
}

for (const protocol of ['ocpp1.6', 'ocpp2.0.1', 'ocpp2.1'] as const) {
  describe(`connection behaviour (${protocol})`, () => {
    test(`item 17: an action the server has no handler for is answered NotSupported (${protocol})`, async (t) => {
      const { cs, url } = await startServer({ protocols: [protocol] });
      t.after(() => cs.close());
      const cp = new ChargePoint({ url, identity: 'NOHANDLER', protocol });
      t.after(() => cp.close());
      await cp.connect();
      await assert.rejects(cp.call('Heartbeat', {}), NotSupportedError);
    });

    test(`a handler that throws gives InternalError and the connection stays open (item 19, ${protocol})`, async (t) => {
      const { cs, url } = await startServer({ protocols: [protocol] });
      t.after(() => cs.close());
      const errors: unknown[] = [];
      cs.on('connection', (s) => s.on('handlerError', (e) => errors.push(e.error)));
      cs.handle(protocol, 'Heartbeat', () => {
        throw new Error('database down: secret connection string');
      });
      const cp = new ChargePoint({ url, identity: 'THROWS', protocol });
      t.after(() => cp.close());
      await cp.connect();
      const err = await cp.call('Heartbeat', {}).then(
        () => assert.fail('should reject'),
        (e: unknown) => e as { code: string; description: string },
      );
      assert.equal(err.code, 'InternalError');
      assert.doesNotMatch(err.description, /secret/);
      assert.equal(errors.length, 1);
      assert.equal(cp.state, 'open');
    });

    test(`duplicate identity: the new connection replaces the old, which is closed with 1008 (${protocol})`, async (t) => {
      const { cs, url } = await startServer({ protocols: [protocol] });
      t.after(() => cs.close());
      const first = new ChargePoint({ url, identity: 'DUP', protocol, reconnect: false });
      t.after(() => first.close());
      const firstConnected = nextConnection(cs);
      await first.connect();
      const s1 = await firstConnected;
      const lost = new Promise<{ code: number }>((resolve) => first.once('disconnect', resolve));
      const second = new ChargePoint({ url, identity: 'DUP', protocol, reconnect: false });
      t.after(() => second.close());
      const secondConnected = nextConnection(cs);
      await second.connect();
      const s2 = await secondConnected;
      assert.equal((await lost).code, 1008);
      assert.notEqual(s1, s2);
      assert.equal(cs.stations.get('DUP'), s2);
      assert.equal(cs.stations.size, 1);
    });

    test(`item 42: a peer that stops answering pings is disconnected and its pending call rejected (${protocol})`, async (t) => {
      const { cs, url } = await startServer({ protocols: [protocol], pingIntervalMs: 100, pongTimeoutMs: 50 });
      t.after(() => cs.close());
      // A raw client that never answers pings (autoPong off) and never answers calls.
      const connected = nextConnection(cs);
      const ws = new WebSocket(`${url}/DEAD`, [protocol], { autoPong: false });
      t.after(() => ws.terminate());
      await new Promise((resolve, reject) => {
        ws.once('open', resolve);
        ws.once('error', reject);
      });
      const station = await connected;
      const disconnected = new Promise<{ code: number }>((resolve) => cs.once('disconnect', resolve));
      const pending = (station as AnyStation<'ocpp1.6'>).call('ClearCache' as never, {} as never);
      await assert.rejects(pending, ConnectionClosedError);
      assert.equal((await disconnected).code, 1006);
      assert.equal(cs.stations.size, 0);
    });

    test(`items 47-48: with boot gating, CALLs before an Accepted boot get SecurityError (${protocol})`, async (t) => {
      const { cs, url } = await startServer({ protocols: [protocol], bootGating: true });
      t.after(() => cs.close());
      let accept = false;
      handleBootAndHeartbeat(cs, protocol, () => (accept ? 'Accepted' : 'Pending'));
      const cp = new ChargePoint({ url, identity: 'GATED', protocol });
      t.after(() => cp.close());
      await cp.connect();
      await assert.rejects(cp.call('Heartbeat', {}), SecurityError);
      const boot = await sendBoot(cp);
      assert.equal(boot.status, 'Pending');
      await assert.rejects(cp.call('Heartbeat', {}), SecurityError);
      accept = true;
      const accepted = await sendBoot(cp);
      assert.equal(accepted.status, 'Accepted');
      assert.equal(typeof (await cp.call('Heartbeat', {})).currentTime, 'string');
    });

    test(`charge point boot gating holds calls until the boot is accepted; force sends anyway (${protocol})`, async (t) => {
      const { cs, url } = await startServer({ protocols: [protocol] });
      t.after(() => cs.close());
      const order: string[] = [];
      cs.on('connection', (s) => s.on('frame', (e) => e.direction === 'inbound' && e.frame.type === 2 && order.push(e.action ?? '')));
      handleBootAndHeartbeat(cs, protocol, () => 'Accepted');
      const cp = new ChargePoint({ url, identity: 'CPGATE', protocol, bootGating: true });
      t.after(() => cp.close());
      await cp.connect();
      const held = cp.call('Heartbeat', {});
      const forced = await cp.call('Heartbeat', {}, { force: true });
      assert.equal(typeof forced.currentTime, 'string');
      await sendBoot(cp);
      await held;
      assert.deepEqual(order, ['Heartbeat', 'BootNotification', 'Heartbeat']);
    });
  });
}

describe('close() leaves nothing open', () => {
  test('after a server and clients close, no socket, server or timer of theirs remains', async () => {
    const baseline = process.getActiveResourcesInfo().length;
    const { cs, url } = await startServer({ pingIntervalMs: 50 });
    cs.handle('ocpp1.6', 'Heartbeat', () => ({ currentTime: now() }));
    const clients = ['A', 'B', 'C'].map((id) => new ChargePoint({ url, identity: id, protocol: 'ocpp1.6', pingIntervalMs: 50 }));
    await Promise.all(clients.map((c) => c.connect()));
    await Promise.all(clients.map((c) => c.call('Heartbeat', {})));
    assert.ok(process.getActiveResourcesInfo().length > baseline);
    await cs.close();
    await Promise.all(clients.map((c) => c.close()));
    // Let the sockets' own close callbacks run.
    await new Promise((resolve) => setImmediate(resolve));
    const left = process.getActiveResourcesInfo().filter((r) => r !== 'TTYWrap' && r !== 'PipeWrap');
    assert.ok(left.length <= baseline, `resources left: ${left.join(', ')} (baseline ${baseline})`);
    for (const c of clients) assert.equal(c.state, 'closed');
  });
});

describe('item 40: permessage-deflate', () => {
  for (const protocol of ['ocpp2.0.1', 'ocpp2.1'] as const) {
    test(`negotiated with clients that offer it, with the bounded window; a large message round-trips compressed (${protocol})`, async (t) => {
      const { cs, url } = await startServer({ protocols: [protocol] });
      t.after(() => cs.close());
      cs.handle(protocol, 'DataTransfer', (req) => ({ status: 'Accepted', data: req.data }));
      const connected = nextConnection(cs);
      const ws = new WebSocket(`${url}/DEFLATE`, [protocol], { perMessageDeflate: true });
      t.after(() => ws.terminate());
      const upgrade = new Promise<string>((resolve) => ws.once('upgrade', (res) => resolve(String(res.headers['sec-websocket-extensions']))));
      await new Promise((resolve, reject) => {
        ws.once('open', resolve);
        ws.once('error', reject);
      });
      await connected;
      const extensions = await upgrade;
      assert.match(extensions, /permessage-deflate/);
      assert.match(extensions, /server_max_window_bits=13/);
      const big = 'x'.repeat(100_000);
      const answer = new Promise<unknown>((resolve) => ws.once('message', (data: Buffer) => resolve(JSON.parse(data.toString()))));
      ws.send(JSON.stringify([2, 'big-1', 'DataTransfer', { vendorId: 'v', data: big }]));
      assert.deepEqual(await answer, [3, 'big-1', { status: 'Accepted', data: big }]);
    });
  }

  test('compression: false negotiates none', async (t) => {
    const { cs, url } = await startServer({ protocols: ['ocpp1.6'], compression: false });
    t.after(() => cs.close());
    const ws = new WebSocket(`${url}/PLAIN`, ['ocpp1.6'], { perMessageDeflate: true });
    t.after(() => ws.terminate());
    await new Promise((resolve, reject) => {
      ws.once('open', resolve);
      ws.once('error', reject);
    });
    assert.equal(ws.extensions, '');
  });
});

describe('logging', () => {
  test('a logger gets structured records for connect, frames (logFrames) and disconnect; none without one', async (t) => {
    const records: Array<{ level: string; record: Record<string, unknown>; message: string }> = [];
    const at = (level: string) => (record: Record<string, unknown>, message: string) => records.push({ level, record, message });
    const { cs, url } = await startServer({
      protocols: ['ocpp1.6'],
      logger: { debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') },
      logFrames: true,
    });
    t.after(() => cs.close());
    cs.handle('ocpp1.6', 'Heartbeat', () => ({ currentTime: now() }));
    const cp = new ChargePoint({ url, identity: 'LOGGED', protocol: 'ocpp1.6' });
    await cp.connect();
    await cp.call('Heartbeat', {});
    const disconnected = new Promise((resolve) => cs.once('disconnect', resolve));
    await cp.close();
    await disconnected;
    const events = records.map((r) => `${r.level}:${String(r.record.event)}`);
    assert.deepEqual(events, ['info:connection', 'debug:frame', 'debug:frame', 'info:disconnect']);
    assert.equal(records[1].record.identity, 'LOGGED');
    assert.equal(records[1].record.direction, 'inbound');
    assert.equal(records[1].record.action, 'Heartbeat');
  });
});

describe('ChargePoint.boot() (items 44, 47)', () => {
  test('retries while Pending after the interval, stops at Accepted, and is not re-sent unless the request changes', async (t) => {
    const { cs, url } = await startServer({ protocols: ['ocpp1.6'] });
    t.after(() => cs.close());
    const boots: string[] = [];
    cs.handle('ocpp1.6', 'BootNotification', (req) => {
      boots.push(req.chargePointModel);
      // Pending twice with interval 0 ("charger's choice"), then Accepted.
      return { status: boots.length < 3 ? 'Pending' : 'Accepted', currentTime: now(), interval: boots.length < 3 ? 0 : 300 };
    });
    const cp = new ChargePoint({ url, identity: 'BOOTER', protocol: 'ocpp1.6' });
    t.after(() => cp.close());
    await cp.connect();
    const started = Date.now();
    const accepted = await cp.boot({ chargePointVendor: 'V', chargePointModel: 'M1' }, { retryIntervalMs: 30 });
    assert.equal(accepted.status, 'Accepted');
    assert.equal(accepted.interval, 300);
    assert.ok(Date.now() - started >= 55, 'two waits of 30 ms');
    assert.deepEqual(boots, ['M1', 'M1', 'M1']);
    assert.equal(cp.bootStatus, 'Accepted');

    // Same contents (a reconnect): nothing is sent; the stored answer comes back.
    assert.deepEqual(await cp.boot({ chargePointVendor: 'V', chargePointModel: 'M1' }), accepted);
    assert.equal(boots.length, 3);
    // Changed contents: booted again.
    await cp.boot({ chargePointVendor: 'V', chargePointModel: 'M2' });
    assert.deepEqual(boots, ['M1', 'M1', 'M1', 'M2']);
  });

  test('retries while Pending after the interval, stops at Accepted, and is not re-sent unless the request changes (ocpp2.1)', async (t) => {
    const { cs, url } = await startServer({ protocols: ['ocpp2.1'] });
    t.after(() => cs.close());
    const boots: string[] = [];
    cs.handle('ocpp2.1', 'BootNotification', (req) => {
      boots.push(req.chargingStation.model);
      return { status: boots.length < 3 ? 'Pending' : 'Accepted', currentTime: now(), interval: boots.length < 3 ? 0 : 300 };
    });
    const cp = new ChargePoint({ url, identity: 'BOOTER21', protocol: 'ocpp2.1' });
    t.after(() => cp.close());
    await cp.connect();
    const request = (model: string) => ({ reason: 'PowerUp' as const, chargingStation: { model, vendorName: 'V' } });
    const accepted = await cp.boot(request('M1'), { retryIntervalMs: 30 });
    assert.equal(accepted.status, 'Accepted');
    assert.deepEqual(boots, ['M1', 'M1', 'M1']);
    assert.equal(cp.bootStatus, 'Accepted');
    assert.deepEqual(await cp.boot(request('M1')), accepted);
    assert.equal(boots.length, 3);
    await cp.boot(request('M2'));
    assert.deepEqual(boots, ['M1', 'M1', 'M1', 'M2']);
  });

  test('close() ends a boot that waits out a Rejected interval', async (t) => {
    const { cs, url } = await startServer({ protocols: ['ocpp2.0.1'] });
    t.after(() => cs.close());
    cs.handle('ocpp2.0.1', 'BootNotification', () => ({ status: 'Rejected', currentTime: now(), interval: 3600 }));
    const cp = new ChargePoint({ url, identity: 'REJECTED', protocol: 'ocpp2.0.1' });
    await cp.connect();
    const booting = cp.boot({ reason: 'PowerUp', chargingStation: { model: 'M', vendorName: 'V' } });
    await new Promise((resolve) => setTimeout(resolve, 50));
    assert.equal(cp.bootStatus, 'Rejected');
    const outcome = assert.rejects(booting, NotConnectedError);
    await cp.close();
    await outcome;
  });
});

describe('programmer errors name what is wrong', () => {
  test('handle() refuses an action the side never receives, and unknown actions, at registration', () => {
    const cs = new CentralSystem({ protocols: ['ocpp1.6'] });
    assert.throws(() => cs.handle('ocpp1.6', 'Reset' as never, (() => ({})) as never), /Reset is sent by the central system in ocpp1\.6/);
    assert.throws(() => cs.handle('ocpp1.6', 'TransactionEvent' as never, (() => ({})) as never), /"TransactionEvent" is not an action of ocpp1\.6/);
    const cp = new ChargePoint({ url: 'ws://127.0.0.1:1/ocpp', identity: 'X', protocol: 'ocpp2.0.1' });
    assert.throws(() => cp.handle('BootNotification' as never, (() => ({})) as never), /BootNotification is sent by the charge point in ocpp2\.0\.1/);
    // DataTransfer goes both ways.
    cs.handle('ocpp1.6', 'DataTransfer', () => ({ status: 'Accepted' }));
    cp.handle('DataTransfer', () => ({ status: 'Accepted' }));
  });
});

describe('nothing is lost silently', () => {
  test('a connection listener that throws is an uncaught exception (as with any listener), not swallowed by the upgrade path', () => {
    // A child process, so the uncaught exception can be observed without failing this runner.
    const script = `
      const { CentralSystem, ChargePoint } = require('./src/index');
      process.on('uncaughtException', (e) => { console.log('uncaught: ' + e.message); process.exit(0); });
      (async () => {
        const cs = new CentralSystem({ protocols: ['ocpp2.0.1'] });
        cs.on('connection', () => { throw new Error('bug in a listener'); });
        const { port } = await cs.listen({ port: 0, host: '127.0.0.1' });
        const cp = new ChargePoint({ url: 'ws://127.0.0.1:' + port, identity: 'X', protocol: 'ocpp2.0.1', reconnect: false });
        cp.connect().catch(() => {});
        setTimeout(() => { console.log('nothing surfaced'); process.exit(1); }, 3000).unref();
      })();`;
    const child = spawnSync(process.execPath, ['--import', 'tsx', '-e', script], {
      cwd: path.resolve(__dirname, '../..'),
      encoding: 'utf8',
      timeout: 20_000,
    });
    assert.match(child.stdout, /uncaught: bug in a listener/, child.stderr);
  });
});

describe('item 40: what the ChargePoint compresses', () => {
  test('with permessage-deflate negotiated, small messages go uncompressed and large ones compressed', async (t) => {
    // Count what the server has to inflate: ws calls PerMessageDeflate#decompress once per
    // compressed message it receives.
    // ws does not export the class by name; its file is loaded by path (ws's own package).
    const wsRoot = path.dirname(require.resolve('ws/package.json'));
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const PerMessageDeflate = require(path.join(wsRoot, 'lib', 'permessage-deflate.js')) as { prototype: { decompress: (...args: unknown[]) => unknown } };
    const original = PerMessageDeflate.prototype.decompress;
    let inflated = 0;
    PerMessageDeflate.prototype.decompress = function (this: unknown, ...args: unknown[]) {
      inflated++;
      return original.apply(this, args);
    };
    t.after(() => {
      PerMessageDeflate.prototype.decompress = original;
    });
    const { cs, url } = await startServer({ protocols: ['ocpp1.6'] });
    t.after(() => cs.close());
    cs.handle('ocpp1.6', 'Heartbeat', () => ({ currentTime: now() }));
    cs.handle('ocpp1.6', 'DataTransfer', () => ({ status: 'Accepted' }));
    const cp = new ChargePoint({ url, identity: 'COMPRESS', protocol: 'ocpp1.6' });
    t.after(() => cp.close());
    await cp.connect();
    for (let i = 0; i < 5; i++) await cp.call('Heartbeat', {});
    assert.equal(inflated, 0, 'Heartbeats were compressed');
    await cp.call('DataTransfer', { vendorId: 'v', data: 'x'.repeat(10_000) });
    assert.equal(inflated, 1, 'the 10 kB DataTransfer was not compressed');
  });
});
