/**
 * examples/csms: the REST API over a real server (port 0) and a temporary SQLite database,
 * with simulated stations of 1.6 and 2.0.1 and a bare 2.1 ChargePoint: status and device
 * information, tag checks, remote start and stop with meter values, the other commands, CSV,
 * OpenAPI, and bad input that gets a clear error and changes nothing.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { ChargePoint, HandshakeError } from '../../src/index';
import type { SimulatedCharger } from '../../examples/charge-point';
import { startSimulatedStations } from '../../examples/csms/simulator';
import { hashPassword } from '../../examples/csms/store/passwords';
import type { Station } from '../../examples/csms/store/stations';
import type { Tag } from '../../examples/csms/store/tags';
import type { Transaction } from '../../examples/csms/store/transactions';
import { documentedRoutes } from '../../examples/csms/web/openapi';
import { ADMIN, eventually, startTestCsms, USER, type TestCsms } from './helpers';

type StationView = Station & { transactions: Transaction[] };
type Command = {
  identity: string;
  action: string;
  request: unknown;
  response: { status?: string; listVersion?: number; versionNumber?: number } & Record<string, unknown>;
};

describe('examples/csms: REST API', () => {
  let csms: TestCsms;
  let chargers: SimulatedCharger[] = [];
  let v21: ChargePoint<'ocpp2.1'>;
  const V21_PASSWORD = 'password-of-the-2.1-station';

  before(async () => {
    csms = await startTestCsms();
    chargers = await startSimulatedStations(csms, undefined, { meterIntervalMs: 40 });
    csms.stations.create('CP-21', { passwordHash: await hashPassword(V21_PASSWORD) });
    // A bare 2.1 station: boots with modem information and supports nothing else.
    v21 = new ChargePoint({ url: csms.ocppUrl, identity: 'CP-21', protocol: 'ocpp2.1', password: V21_PASSWORD, reconnect: false });
    await v21.connect();
    await v21.call('BootNotification', {
      reason: 'PowerUp',
      chargingStation: {
        vendorName: 'Acme',
        model: 'X21',
        serialNumber: 'S-21',
        firmwareVersion: '2.1.0',
        modem: { iccid: '8931000000000000001', imsi: '262010000000001' },
      },
    });
    await v21.call('StatusNotification', { timestamp: new Date().toISOString(), connectorStatus: 'Available', evseId: 1, connectorId: 1 });
  });

  after(async () => {
    await v21?.close();
    for (const c of chargers) await c.stop();
    await csms?.close();
  });

  test('creates its database on first start, schema by migration', () => {
    assert.equal(csms.db.pragma('user_version', { simple: true }), 1);
    const tables = (csms.db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").all() as Array<{ name: string }>).map((t) => t.name);
    for (const t of ['connectors', 'message_log', 'meter_values', 'stations', 'tags', 'transactions', 'users']) assert.ok(tables.includes(t), t);
  });

  test('GET /api/stations: connection, device information from BootNotification and connector status, for 1.6, 2.0.1 and 2.1', async () => {
    const { status, json } = await csms.request<StationView[]>('GET', '/api/stations', { as: USER });
    assert.equal(status, 200);
    const by = Object.fromEntries(json.map((s) => [s.identity, s]));
    assert.deepEqual(Object.keys(by).sort(), ['CP-21', 'SIM-16', 'SIM-201']);
    assert.deepEqual(
      [by['SIM-16'].protocol, by['SIM-16'].connected, by['SIM-16'].device?.model, by['SIM-16'].connectors[0].status],
      ['ocpp1.6', true, 'Sim-16', 'Available'],
    );
    assert.deepEqual([by['SIM-201'].protocol, by['SIM-201'].connectors[0].connector], ['ocpp2.0.1', '1/1']);
    assert.deepEqual(by['CP-21'].device, {
      vendor: 'Acme',
      model: 'X21',
      serialNumber: 'S-21',
      firmware: '2.1.0',
      iccid: '8931000000000000001',
      imsi: '262010000000001',
    });
    assert.equal(by['CP-21'].protocol, 'ocpp2.1');
    assert.equal(by['CP-21'].hasPassword, true);
    assert.equal(JSON.stringify(json).includes('scrypt'), false, 'no password hash in the API');
    const one = await csms.request<StationView>('GET', '/api/stations/SIM-16', { as: USER });
    assert.deepEqual([one.status, one.json.identity], [200, 'SIM-16']);
  });

  test('stations: an unknown identity and a wrong password are refused at the handshake', async () => {
    for (const [identity, password] of [
      ['NOBODY', 'some-password-here'],
      ['CP-21', 'not-the-right-password'],
    ]) {
      const cp = new ChargePoint({ url: csms.ocppUrl, identity, protocol: 'ocpp2.0.1', password, reconnect: false });
      await assert.rejects(cp.connect(), (e: unknown) => e instanceof HandshakeError && e.statusCode === 401, identity);
      await cp.close();
    }
    assert.equal(csms.stations.get('NOBODY'), undefined);
  });

  test('stations: with unknownStations "pending", an unknown one is admitted, recorded and answered Pending', async () => {
    const other = await startTestCsms({ unknownStations: 'pending', messageLog: true });
    const cp = new ChargePoint({ url: other.ocppUrl, identity: 'NEW-1', protocol: 'ocpp1.6', reconnect: false });
    try {
      await cp.connect();
      const boot = await cp.call('BootNotification', { chargePointVendor: 'V', chargePointModel: 'M' });
      assert.equal(boot.status, 'Pending');
      assert.deepEqual([other.stations.get('NEW-1')?.admission, other.stations.get('NEW-1')?.device?.vendor], ['pending', 'V']);
      const accepted = await other.request<StationView>('PATCH', '/api/stations/NEW-1', { body: { admission: 'accepted' } });
      assert.equal(accepted.json.admission, 'accepted');
      assert.equal((await cp.call('BootNotification', { chargePointVendor: 'V', chargePointModel: 'M' })).status, 'Accepted');
      // --message-log: every frame, both ways, newest first.
      const log = await other.request<Array<{ direction: string; frame: string }>>('GET', '/api/stations/NEW-1/messages', { as: USER });
      assert.equal(log.json.length, 4);
      assert.deepEqual(
        log.json.map((m) => [m.direction, (JSON.parse(m.frame) as unknown[])[0]]),
        [
          ['out', 3],
          ['in', 2],
          ['out', 3],
          ['in', 2],
        ],
      );
      assert.equal((await csms.request('GET', '/api/stations/SIM-16/messages')).json.error, 'MessageLogOff');
    } finally {
      await cp.close();
      await other.close();
    }
  });

  test('Authorize is answered from the tag table: accepted, blocked, expired, unknown, with the parent', async () => {
    assert.equal((await csms.request('POST', '/api/tags', { body: { idTag: 'GROUP-1', name: 'Fleet' } })).status, 201);
    for (const body of [
      { idTag: 'OK-1', parent: 'GROUP-1' },
      { idTag: 'BLOCKED-1', blocked: true },
      { idTag: 'OLD-1', expiry: '2020-01-01T00:00:00.000Z' },
    ])
      assert.equal((await csms.request('POST', '/api/tags', { body })).status, 201, JSON.stringify(body));
    const sim16 = chargers.find((c) => c.identity === 'SIM-16')!;
    const cp16 = sim16.chargePoint as ChargePoint<'ocpp1.6'>;
    assert.deepEqual((await cp16.call('Authorize', { idTag: 'OK-1' })).idTagInfo, { status: 'Accepted', parentIdTag: 'GROUP-1' });
    assert.equal((await cp16.call('Authorize', { idTag: 'BLOCKED-1' })).idTagInfo.status, 'Blocked');
    assert.equal((await cp16.call('Authorize', { idTag: 'OLD-1' })).idTagInfo.status, 'Expired');
    assert.equal((await cp16.call('Authorize', { idTag: 'WHO-1' })).idTagInfo.status, 'Invalid');
    const r21 = await v21.call('Authorize', { idToken: { idToken: 'WHO-1', type: 'ISO14443' } });
    assert.equal(r21.idTokenInfo.status, 'Unknown');
    const ok21 = await v21.call('Authorize', { idToken: { idToken: 'OK-1', type: 'ISO14443' } });
    assert.deepEqual(ok21.idTokenInfo, { status: 'Accepted', groupIdToken: { idToken: 'GROUP-1', type: 'Central' } });
  });

  for (const [identity, protocol] of [
    ['SIM-16', 'ocpp1.6'],
    ['SIM-201', 'ocpp2.0.1'],
  ] as const) {
    test(`remote start, energy rises, remote stop, CSV (${protocol})`, async () => {
      const start = await csms.request<Command>('POST', `/api/stations/${identity}/remote-start`, { body: { idTag: 'TAG-001' } });
      assert.equal(start.status, 200, start.text);
      assert.deepEqual(
        [start.json.action, start.json.response.status],
        [protocol === 'ocpp1.6' ? 'RemoteStartTransaction' : 'RequestStartTransaction', 'Accepted'],
      );
      const first = await eventually(
        async () => (await csms.request<StationView>('GET', `/api/stations/${identity}`)).json.transactions[0],
        'a running transaction',
      );
      assert.equal(first.idTag, 'TAG-001');
      assert.equal(first.authStatus, 'Accepted');
      await eventually(
        async () => ((await csms.request<StationView>('GET', `/api/stations/${identity}`)).json.transactions[0]?.energyWh ?? 0) > 0,
        'energy above 0',
      );
      const live = (await csms.request<StationView[]>('GET', '/api/stations')).json;
      assert.equal(live.find((s) => s.identity === identity)?.transactions[0].powerW, 11_000);

      const stop = await csms.request<Command>('POST', `/api/stations/${identity}/remote-stop`, { body: {} });
      assert.deepEqual([stop.status, stop.json.response.status], [200, 'Accepted']);
      const done = await eventually(
        async () => (await csms.request<Transaction[]>('GET', `/api/stations/${identity}/transactions`)).json.find((t) => t.stoppedAt),
        'the stop',
      );
      assert.equal(done.stopReason, 'Remote');
      assert.ok(done.energyWh! > 0 && done.meterStopWh! > done.meterStartWh!);
      assert.equal((await csms.request('POST', `/api/stations/${identity}/remote-stop`, { body: {} })).json.error, 'NoTransaction');

      const csv = await csms.request('GET', `/api/stations/${identity}/transactions.csv`, { as: USER });
      assert.equal(csv.status, 200);
      const [header, row] = csv.text.trim().split('\n');
      assert.equal(header, 'id,station,connector,idTag,startedAt,stoppedAt,meterStartWh,meterStopWh,energyWh,stopReason');
      assert.deepEqual(row.split(',').slice(0, 4), [done.txId, identity, done.connector, 'TAG-001']);
      assert.equal(row.split(',')[8], String(done.energyWh));
      assert.equal(row.split(',')[9], 'Remote');
    });

    test(`reset, unlock, availability, trigger, local list, configuration: the station's own answers (${protocol})`, async () => {
      const post = async (route: string, body: unknown): Promise<Command> => {
        const r = await csms.request<Command>(route === 'local-list' ? 'PUT' : 'POST', `/api/stations/${identity}/${route}`, { body });
        assert.equal(r.status, 200, `${route}: ${r.text}`);
        return r.json;
      };
      assert.equal((await post('unlock', { connectorId: 1 })).response.status, 'Unlocked');
      assert.equal((await post('availability', { available: true })).response.status, 'Accepted');
      assert.equal((await post('trigger', { message: 'Heartbeat' })).response.status, 'Accepted');
      assert.equal((await post('local-list', { listVersion: 4, idTags: ['TAG-001'] })).response.status, 'Accepted');
      const version = await csms.request<Command & { listVersion: number }>('GET', `/api/stations/${identity}/local-list`, { as: USER });
      assert.deepEqual([version.status, version.json.listVersion], [200, 4]);
      const config = await csms.request<Command>('GET', `/api/stations/${identity}/configuration`, { as: USER });
      assert.deepEqual([config.status, config.json.action], [200, protocol === 'ocpp1.6' ? 'GetConfiguration' : 'GetVariables']);
      const charger = chargers.find((c) => c.identity === identity)!;
      const rebooted = charger.nextEvent('ready');
      assert.equal((await post('reset', { type: 'soft' })).response.status, 'Accepted');
      await rebooted;
    });
  }

  test('a 2.1 station: TransactionEvent Started, Updated and Ended are recorded with energy and reason', async () => {
    const at = (s: number): string => new Date(Date.now() + s * 1000).toISOString();
    const meter = (wh: number, s: number) => [
      { timestamp: at(s), sampledValue: [{ value: wh, measurand: 'Energy.Active.Import.Register' as const, unitOfMeasure: { unit: 'kWh', multiplier: 0 } }] },
    ];
    const base = { transactionInfo: { transactionId: 'T21-1' }, evse: { id: 1, connectorId: 1 } };
    const started = await v21.call('TransactionEvent', {
      ...base,
      eventType: 'Started',
      timestamp: at(0),
      triggerReason: 'Authorized',
      seqNo: 0,
      idToken: { idToken: 'TAG-001', type: 'ISO14443' },
      meterValue: meter(10, 0),
    });
    assert.equal(started.idTokenInfo?.status, 'Accepted');
    await v21.call('TransactionEvent', {
      ...base,
      eventType: 'Updated',
      timestamp: at(1),
      triggerReason: 'MeterValuePeriodic',
      seqNo: 1,
      meterValue: meter(10.5, 1),
    });
    assert.equal(csms.transactions.get('CP-21', 'T21-1')?.energyWh, 500);
    await v21.call('TransactionEvent', {
      ...base,
      transactionInfo: { transactionId: 'T21-1', stoppedReason: 'EVDisconnected' },
      eventType: 'Ended',
      timestamp: at(2),
      triggerReason: 'EVCommunicationLost',
      seqNo: 2,
      meterValue: meter(11, 2),
    });
    const tx = csms.transactions.get('CP-21', 'T21-1')!;
    assert.deepEqual(
      [tx.protocol, tx.connector, tx.idTag, tx.meterStartWh, tx.meterStopWh, tx.energyWh, tx.stopReason],
      ['ocpp2.1', '1/1', 'TAG-001', 10_000, 11_000, 1000, 'EVDisconnected'],
    );
    // A retried Ended changes nothing.
    await v21.call('TransactionEvent', {
      ...base,
      eventType: 'Ended',
      timestamp: at(9),
      triggerReason: 'EVCommunicationLost',
      seqNo: 3,
      meterValue: meter(99, 9),
    });
    assert.equal(csms.transactions.get('CP-21', 'T21-1')?.meterStopWh, 11_000);
  });

  test('502 with the OCPP error code when the station answers a CALLERROR', async () => {
    const r = await csms.request('POST', '/api/stations/CP-21/unlock', { body: {} });
    assert.deepEqual([r.status, r.json.error, r.json.code], [502, 'CallError', 'NotSupported']);
  });

  test('bad input gets a clear error and changes nothing', async () => {
    const tagsBefore = (await csms.request<Tag[]>('GET', '/api/tags')).json;
    const stationsBefore = (await csms.request<StationView[]>('GET', '/api/stations')).json.map((s) => s.identity);
    const cases: Array<[string, string, unknown, number, string, (typeof ADMIN | null)?]> = [
      ['POST', '/api/stations/NOBODY/remote-start', { idTag: 'TAG-001' }, 404, 'UnknownStation'],
      ['GET', '/api/stations/NOBODY', undefined, 404, 'UnknownStation'],
      ['POST', '/api/tags', '{"idTag": "X-1",', 400, 'BadJson'],
      ['POST', '/api/stations/SIM-16/remote-start', '{"idTag"', 400, 'BadJson'],
      ['POST', '/api/tags', { idTag: 'TAG-001', name: 'again' }, 409, 'Duplicate'],
      ['POST', '/api/stations', { identity: 'SIM-16' }, 409, 'Duplicate'],
      ['POST', '/api/tags', { idTag: 'X-2' }, 401, 'Unauthenticated', null],
      ['GET', '/api/stations', undefined, 401, 'Unauthenticated', null],
      ['POST', '/api/tags', { idTag: 'X-3' }, 401, 'Unauthenticated', { username: 'admin', password: 'wrong' }],
      ['POST', '/api/tags', { idTag: 'X-4' }, 403, 'Forbidden', USER],
      ['POST', '/api/stations', { identity: 'X-5' }, 403, 'Forbidden', USER],
      ['POST', '/api/stations/SIM-16/remote-start', { idTag: 'TAG-001' }, 403, 'Forbidden', USER],
      ['PATCH', '/api/stations/SIM-16', { password: 'x'.repeat(20) }, 403, 'Forbidden', USER],
      ['POST', '/api/tags', { idTag: 'X-6', colour: 'red' }, 400, 'BadRequest'],
      ['POST', '/api/tags', { name: 'no id' }, 400, 'BadRequest'],
      ['POST', '/api/tags', { idTag: 'X'.repeat(21) }, 400, 'BadRequest'],
      ['POST', '/api/tags', { idTag: 'X-7', parent: 'NO-SUCH-TAG' }, 400, 'UnknownParent'],
      ['POST', '/api/stations', { identity: 'bad/identity' }, 400, 'BadRequest'],
      ['POST', '/api/stations', { identity: 'X-8', password: 'short' }, 400, 'BadRequest'],
      ['POST', '/api/stations/SIM-16/remote-start', { idTag: 42 }, 400, 'BadRequest'],
      ['POST', '/api/stations/SIM-16/trigger', { message: 'Coffee' }, 400, 'ValidationError'],
      ['PUT', '/api/stations/SIM-16/local-list', { listVersion: 1, idTags: ['NO-SUCH-TAG'] }, 404, 'UnknownTag'],
      ['PATCH', '/api/tags/NO-SUCH-TAG', { name: 'x' }, 404, 'UnknownTag'],
      ['DELETE', '/api/tags/NO-SUCH-TAG', undefined, 404, 'UnknownTag'],
      ['GET', '/api/nothing', undefined, 404, 'NotFound'],
    ];
    for (const [method, path, body, status, error, as] of cases) {
      const r = await csms.request(method, path, { body, ...(as === undefined ? {} : { as }) });
      assert.deepEqual([r.status, r.json?.error], [status, error], `${method} ${path} ${JSON.stringify(body)}: ${r.text}`);
      assert.ok(typeof r.json.message === 'string' && r.json.message.length > 0, `${method} ${path}: a message`);
    }
    assert.deepEqual((await csms.request<Tag[]>('GET', '/api/tags')).json, tagsBefore);
    assert.deepEqual(
      (await csms.request<StationView[]>('GET', '/api/stations')).json.map((s) => s.identity),
      stationsBefore,
    );
    assert.equal(csms.tags.get('TAG-001')?.name, 'Demo card');
  });

  test('409 for a command to a known station that is offline', async () => {
    assert.equal((await csms.request('POST', '/api/stations', { body: { identity: 'OFF-1' } })).status, 201);
    const r = await csms.request('POST', '/api/stations/OFF-1/reset', { body: {} });
    assert.deepEqual([r.status, r.json.error], [409, 'StationOffline']);
  });

  test('admin: edit and remove tags, set a station password, which the station must then use', async () => {
    assert.equal((await csms.request<Tag>('PATCH', '/api/tags/OK-1', { body: { name: 'Renamed', blocked: true } })).json.name, 'Renamed');
    assert.equal(csms.tags.check('OK-1').status, 'Blocked');
    assert.equal((await csms.request('DELETE', '/api/tags/OK-1')).status, 204);
    assert.equal(csms.tags.get('OK-1'), undefined);

    const password = 'a-new-password-for-cp-x';
    assert.equal((await csms.request('POST', '/api/stations', { body: { identity: 'CP-X', password } })).status, 201);
    const wrong = new ChargePoint({ url: csms.ocppUrl, identity: 'CP-X', protocol: 'ocpp1.6', password: 'an-old-password-for-cp-x', reconnect: false });
    await assert.rejects(wrong.connect(), HandshakeError);
    await wrong.close();
    const right = new ChargePoint({ url: csms.ocppUrl, identity: 'CP-X', protocol: 'ocpp1.6', password, reconnect: false });
    await right.connect();
    await eventually(() => csms.stations.get('CP-X')?.connected, 'CP-X online');
    // Removing a station disconnects it.
    assert.equal((await csms.request('DELETE', '/api/stations/CP-X')).status, 204);
    await eventually(() => !csms.cs.stations.get('CP-X'), 'CP-X disconnected');
    await right.close();
  });

  test('login: a session cookie for the console; wrong credentials are refused', async () => {
    const bad = await fetch(`${csms.httpUrl}/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'admin', password: 'x' }),
    });
    assert.equal(bad.status, 401);
    const res = await fetch(`${csms.httpUrl}/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(ADMIN) });
    assert.equal(res.status, 200);
    const cookie = res.headers.get('set-cookie')!;
    assert.match(cookie, /csms\.sid=.*HttpOnly.*SameSite=Strict/i);
    const me = await fetch(`${csms.httpUrl}/api/me`, { headers: { cookie: cookie.split(';')[0] } });
    assert.deepEqual(await me.json(), { username: 'admin', role: 'admin' });
    const page = await fetch(`${csms.httpUrl}/`, { redirect: 'manual' });
    assert.deepEqual([page.status, page.headers.get('location')], [302, '/login?next=%2F']);
  });

  test('the OpenAPI document is served and lists every operation the server has', async () => {
    const { status, json } = await csms.request<{ openapi: string; paths: Record<string, Record<string, unknown>> }>('GET', '/api/openapi.json', { as: null });
    assert.deepEqual([status, json.openapi], [200, '3.1.0']);
    for (const route of documentedRoutes()) {
      const [method, url] = route.split(' ');
      assert.ok(csms.web.hasRoute({ method: method, url }), `${route} is documented but not served`);
    }
    assert.ok(json.paths['/api/stations/{id}/remote-start'].post);
  });
});
