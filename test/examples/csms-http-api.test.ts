/**
 * examples/csms-http-api.ts: every route against simulated chargers of both versions, and
 * the error paths: 400 (bad JSON, missing or mistyped fields, requests the SDK's validation
 * refuses), 404, 405, 502 (a CALLERROR from the station, with its code), 504 (no answer).
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { ChargePoint } from '../../src/index';
import { createSimulatedCharger, type SimulatedCharger } from '../../examples/charge-point';
import { startCsmsHttpApi, type HttpApiHandles } from '../../examples/csms-http-api';
import { spawnExample } from './helpers';

/** Short, so that the 504 path is quick; the simulators answer in milliseconds. */
const CALL_TIMEOUT_MS = 400;

/**
 * The fields of the API's JSON answers that these tests read; each route fills some of them.
 * Reading one that a route does not fill gives undefined (or a TypeError a level down): either
 * fails the test.
 */
interface ApiBody {
  identity: string;
  action: string;
  status: string;
  error: string;
  code: string;
  listVersion: number;
  transaction: { id: unknown };
  response: {
    status: string;
    configurationKey: Array<{ value: string }>;
    getVariableResult: Array<{ attributeValue: string }>;
  };
}

/** One station in the answer to GET /stations. */
interface StationView {
  identity: string;
  protocol: string;
  bootStatus: string | null;
  boot: { model?: string; reason?: string } | null;
  status: Record<string, { status: string }>;
}

describe('examples/csms-http-api.ts', () => {
  let api: HttpApiHandles;
  const chargers: SimulatedCharger[] = [];
  let mute: ChargePoint<'ocpp1.6'>;

  async function request(method: string, route: string, body?: unknown): Promise<{ status: number; json: ApiBody }> {
    const res = await fetch(`${api.httpUrl}${route}`, {
      method,
      ...(body === undefined ? {} : { body: typeof body === 'string' ? body : JSON.stringify(body), headers: { 'content-type': 'application/json' } }),
    });
    return { status: res.status, json: (await res.json()) as ApiBody };
  }

  before(async () => {
    api = await startCsmsHttpApi({ ocppPort: 0, httpPort: 0, host: '127.0.0.1', log: false, callTimeoutMs: CALL_TIMEOUT_MS });
    for (const [protocol, identity] of [
      ['ocpp1.6', 'H-16'],
      ['ocpp2.0.1', 'H-201'],
    ] as const) {
      const charger = createSimulatedCharger(protocol, { url: api.ocppUrl, identity, meterIntervalMs: 40 });
      chargers.push(charger);
      await charger.start();
    }
    // A station that never answers Reset and supports nothing else: the 504 and 502 paths.
    mute = new ChargePoint({ url: api.ocppUrl, identity: 'MUTE', protocol: 'ocpp1.6', reconnect: false });
    mute.handle('Reset', () => new Promise<never>(() => undefined));
    await mute.connect();
  });

  after(async () => {
    await mute?.close();
    for (const c of chargers) await c.stop();
    await api?.close();
  });

  test('GET /stations lists connected stations with protocol, boot info and last status', async () => {
    const { status, json } = await request('GET', '/stations');
    assert.equal(status, 200);
    const byId = Object.fromEntries((json as unknown as StationView[]).map((s) => [s.identity, s]));
    assert.deepEqual(Object.keys(byId).sort(), ['H-16', 'H-201', 'MUTE']);
    assert.deepEqual(
      [byId['H-16'].protocol, byId['H-16'].bootStatus, byId['H-16'].boot?.model, byId['H-16'].status['1'].status],
      ['ocpp1.6', 'Accepted', 'Sim-16', 'Available'],
    );
    assert.deepEqual([byId['H-201'].protocol, byId['H-201'].boot?.reason, byId['H-201'].status['1/1'].status], ['ocpp2.0.1', 'PowerUp', 'Available']);
    assert.deepEqual([byId.MUTE.bootStatus, byId.MUTE.boot], [null, null]);
    assert.equal((await request('GET', '/stations/H-16')).json.identity, 'H-16');
  });

  for (const [identity, protocol] of [
    ['H-16', 'ocpp1.6'],
    ['H-201', 'ocpp2.0.1'],
  ] as const) {
    const v16 = protocol === 'ocpp1.6';

    test(`remote start, remote stop (${protocol})`, async () => {
      const started = api.state.next('transactionStarted', (tx) => tx.identity === identity);
      const start = await request('POST', `/stations/${identity}/remote-start`, { idTag: 'TAG-001' });
      assert.deepEqual(
        [start.status, start.json.action, start.json.response.status],
        [200, v16 ? 'RemoteStartTransaction' : 'RequestStartTransaction', 'Accepted'],
      );
      const tx = await started;
      assert.equal((await request('GET', `/stations/${identity}`)).json.transaction.id, tx.id);
      // Without a transactionId, the transaction in progress is stopped.
      const ended = api.state.next('transactionEnded', (t) => t.id === tx.id);
      const stop = await request('POST', `/stations/${identity}/remote-stop`, {});
      assert.deepEqual([stop.status, stop.json.response.status], [200, 'Accepted']);
      assert.equal((await ended).stopReason, 'Remote');
      const none = await request('POST', `/stations/${identity}/remote-stop`, {});
      assert.deepEqual([none.status, none.json.error], [400, 'BadRequest']);
      const other = await request('POST', `/stations/${identity}/remote-stop`, { transactionId: v16 ? 12345 : 'unknown' });
      assert.deepEqual([other.status, other.json.response.status], [200, 'Rejected']);
    });

    test(`configuration read and change, trigger, local list (${protocol})`, async () => {
      const key = v16 ? 'HeartbeatInterval' : 'OCPPCommCtrlr/HeartbeatInterval';
      const set = await request('POST', `/stations/${identity}/configuration`, { key, value: '120' });
      assert.deepEqual([set.status, set.json.action, set.json.status], [200, v16 ? 'ChangeConfiguration' : 'SetVariables', 'Accepted']);
      const get = await request('GET', `/stations/${identity}/configuration?key=${encodeURIComponent(key)}`);
      assert.equal(get.status, 200);
      const value = v16 ? get.json.response.configurationKey[0].value : get.json.response.getVariableResult[0].attributeValue;
      assert.equal(value, '120');
      const all = await request('GET', `/stations/${identity}/configuration`);
      assert.ok((v16 ? all.json.response.configurationKey : all.json.response.getVariableResult).length >= 3);

      const heartbeat = api.state.next('message', (m) => m.identity === identity && m.action === 'Heartbeat');
      const trig = await request('POST', `/stations/${identity}/trigger`, { message: 'Heartbeat' });
      assert.deepEqual([trig.status, trig.json.response.status], [200, 'Accepted']);
      await heartbeat;

      const put = await request('PUT', `/stations/${identity}/local-list`, { listVersion: 7, idTags: ['TAG-001', 'TAG-002'] });
      assert.deepEqual([put.status, put.json.response.status], [200, 'Accepted']);
      const version = await request('GET', `/stations/${identity}/local-list`);
      assert.deepEqual([version.status, version.json.listVersion], [200, 7]);
    });

    test(`reset: the charger reboots (${protocol})`, async () => {
      const charger = chargers.find((c) => c.identity === identity)!;
      const ready = charger.nextEvent('ready');
      const res = await request('POST', `/stations/${identity}/reset`, v16 ? { type: 'Soft' } : {});
      assert.deepEqual([res.status, res.json.response.status], [200, 'Accepted']);
      await ready;
    });

    test(`400: bad JSON, missing or mistyped fields, payloads the SDK refuses (${protocol})`, async () => {
      const bad = async (method: string, route: string, body: unknown, error: string): Promise<ApiBody> => {
        const res = await request(method, `/stations/${identity}${route}`, body);
        assert.deepEqual([res.status, res.json.error], [400, error], `${route} ${JSON.stringify(body)}: ${JSON.stringify(res.json)}`);
        return res.json;
      };
      await bad('POST', '/remote-start', '{"idTag": ', 'BadJson');
      await bad('POST', '/remote-start', '[1, 2]', 'BadRequest');
      await bad('POST', '/remote-start', {}, 'BadRequest');
      await bad('POST', '/remote-start', { idTag: 42 }, 'BadRequest');
      await bad('POST', '/configuration', { key: 'HeartbeatInterval' }, 'BadRequest');
      await bad('POST', '/trigger', {}, 'BadRequest');
      await bad('PUT', '/local-list', { listVersion: 1, idTags: [1] }, 'BadRequest');
      await bad('PUT', '/local-list', { listVersion: 1, idTags: [], updateType: 'Sometimes' }, 'BadRequest');
      // Well-formed for HTTP, invalid for OCPP: refused by the SDK before anything is sent.
      const tooLong = await bad('POST', '/remote-start', { idTag: 'X'.repeat(40) }, 'ValidationError');
      assert.equal(tooLong.code, 'PropertyConstraintViolation');
      await bad('POST', '/reset', { type: 'Sideways' }, 'ValidationError');
      await bad('POST', '/trigger', { message: 'Coffee' }, 'ValidationError');
      await bad('PUT', '/local-list', { listVersion: 1.5, idTags: [] }, 'ValidationError');
      if (v16) await bad('POST', '/remote-stop', { transactionId: 'abc' }, 'ValidationError');
    });
  }

  test('404 for unknown stations and routes, 405 for a wrong method', async () => {
    for (const [method, route] of [
      ['GET', '/stations/NOBODY'],
      ['POST', '/stations/NOBODY/reset'],
      ['GET', '/nothing'],
      ['GET', '/stations/H-16/nothing'],
    ]) {
      const res = await request(method, route);
      assert.equal(res.status, 404, `${method} ${route}`);
    }
    assert.equal((await request('GET', '/stations/NOBODY')).json.error, 'UnknownStation');
    assert.equal((await request('DELETE', '/stations/H-16/reset')).status, 405);
    assert.equal((await request('POST', '/stations')).status, 405);
  });

  test('502 with the code when the station answers a CALLERROR', async () => {
    const res = await request('POST', '/stations/MUTE/trigger', { message: 'Heartbeat' });
    assert.deepEqual([res.status, res.json.error, res.json.code], [502, 'CallError', 'NotSupported']);
  });

  test('504 when the station does not answer in time', async () => {
    const started = Date.now();
    const res = await request('POST', '/stations/MUTE/reset', {});
    assert.deepEqual([res.status, res.json.error], [504, 'Timeout']);
    assert.ok(Date.now() - started >= CALL_TIMEOUT_MS - 50);
  });

  test('the script starts both servers on $PORT and $HTTP_PORT and stops on SIGTERM', async (t) => {
    const run = spawnExample('examples/csms-http-api.ts', [], { env: { PORT: '0', HTTP_PORT: '0' }, timeoutMs: 20_000 });
    t.after(() => run.kill());
    const [, url] = await run.waitFor(/HTTP API: (http:\/\/\S+)\/stations/);
    const res = await fetch(`${url}/stations`);
    assert.deepEqual([res.status, await res.json()], [200, []]);
    run.child.kill('SIGTERM');
    const exit = await run.exited;
    assert.deepEqual([exit.code, exit.timedOut], [0, false], run.output());
  });
});
