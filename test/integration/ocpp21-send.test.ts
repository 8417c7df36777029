/**
 * Integration, over real sockets on 127.0.0.1: SEND (6) and CALLRESULTERROR (5) between the two
 * classes on ocpp2.1, strict validation on both sides; against raw peers where only a peer that
 * breaks the rules can produce the frame (an invalid CALLRESULT, a broken SEND); and the same
 * frame types arriving on 1.6 and 2.0.1 connections, handled as those versions' rules say.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { WebSocket } from 'ws';
import {
  ChargePoint,
  NotConnectedError,
  NotRegisteredError,
  NotSupportedError,
  ValidationError,
  type CallResultErrorEvent,
  type SendDroppedEvent,
  type Station,
} from '../../src/index';
import type { OCPP21 } from '../../src/index';
import { closeAll, openRaw, rawServer, startServer, until, withTimeout } from '../reliability/support';

const now = (): string => new Date().toISOString();
const STREAM: OCPP21.NotifyPeriodicEventStream = { id: 7, pending: 0, basetime: '2025-01-01T00:00:00Z', data: [{ t: 0, v: '11.5' }] };
const BOOT: OCPP21.BootNotificationRequest = { reason: 'PowerUp', chargingStation: { vendorName: 'V', model: 'M' } };
const TOKEN: OCPP21.IdTokenType = { idToken: 'TAG1', type: 'ISO14443' };

/** Resolves with the next parsed frame a raw server socket receives. */
function nextFrame(ws: WebSocket): Promise<unknown[]> {
  return new Promise((resolve) => ws.once('message', (data: Buffer) => resolve(JSON.parse(data.toString()) as unknown[])));
}

describe('ocpp2.1 SEND and CALLRESULTERROR between ChargePoint and CentralSystem (real sockets)', () => {
  test('a SEND goes out while a CALL is outstanding and reaches the CSMS handler first; the I08 refusal reaches the station as callResultError', async (t) => {
    const { cs, url } = await startServer({ protocols: ['ocpp2.1'], bootGating: true });
    const cp = new ChargePoint({ url, identity: 'CP21', protocol: 'ocpp2.1', pingIntervalMs: 0, reconnect: false, bootGating: true });
    t.after(() => closeAll(cp, cs));
    const order: string[] = [];
    let releaseHeartbeat!: () => void;
    cs.handle('ocpp2.1', 'BootNotification', () => ({ status: 'Accepted', currentTime: now(), interval: 300 }));
    cs.handle('ocpp2.1', 'Heartbeat', async () => {
      order.push('heartbeat handled');
      await new Promise<void>((resolve) => (releaseHeartbeat = resolve));
      return { currentTime: now() };
    });
    cs.handle('ocpp2.1', 'NotifyPeriodicEventStream', (request, ctx) => {
      order.push(`stream ${request.id} from ${ctx.station.identity}`);
    });
    cs.handle('ocpp2.1', 'Authorize', () => ({ idTokenInfo: { status: 'Accepted' }, tariff: { tariffId: 'T1', currency: 'EUR' } }));
    const rejected: CallResultErrorEvent[] = [];
    cs.on('connection', (station) => station.on('callResultError', (e) => rejected.push(e)));

    await cp.connect();
    // Boot gating on the charge point: no SEND before the CSMS accepted it.
    assert.throws(
      () => cp.send('NotifyPeriodicEventStream', STREAM),
      (e: unknown) => e instanceof NotRegisteredError && e.bootStatus === undefined,
    );
    await cp.boot(BOOT);

    const heartbeat = cp.call('Heartbeat', {});
    await until(() => order.length === 1);
    cp.send('NotifyPeriodicEventStream', STREAM);
    await until(() => order.length === 2);
    assert.deepEqual(order, ['heartbeat handled', 'stream 7 from CP21'], 'the SEND overtook the outstanding CALL');
    releaseHeartbeat();
    await heartbeat;

    const refusal = new NotSupportedError({ description: 'this charger applies no tariffs' });
    // A check that fails by accident: the station hears InternalError, never the message.
    await assert.rejects(
      cp.call(
        'Authorize',
        { idToken: TOKEN },
        {
          accept: () => {
            throw new Error('bug in the tariff parser');
          },
        },
      ),
      { message: 'bug in the tariff parser' },
    );
    await assert.rejects(
      cp.call(
        'Authorize',
        { idToken: TOKEN },
        {
          accept: (result) => {
            if (result.tariff !== undefined) throw refusal;
          },
        },
      ),
      (e: unknown) => e === refusal,
    );
    await until(() => rejected.length === 2);
    assert.deepEqual(
      rejected.map((e) => [e.action, e.error.code]),
      [
        ['Authorize', 'InternalError'],
        ['Authorize', 'NotSupported'],
      ],
    );
    assert.equal(rejected[0].error.description, 'An internal error occurred');
    assert.equal(rejected[1].error.description, 'this charger applies no tariffs');
    assert.equal(cp.state, 'open');
  });

  test('the CSMS answers an invalid CALLRESULT with CALLRESULTERROR (FR.06) and drops a broken SEND with an event, answering neither', async (t) => {
    const { cs, port } = await startServer({ protocols: ['ocpp2.1'] });
    t.after(() => closeAll(cs));
    const connected = new Promise<Station<'ocpp2.1'>>((resolve) => cs.once('connection', resolve));
    const raw = await openRaw(port, 'RAW21', 'ocpp2.1');
    const station = await connected;
    const dropped: SendDroppedEvent[] = [];
    station.on('sendDropped', (e) => dropped.push(e));
    station.handle('NotifyPeriodicEventStream', () => assert.fail('an invalid SEND must not reach the handler'));

    const call = station.call('ClearCache', {});
    await until(() => raw.received.length === 1);
    const id = raw.received[0][1] as string;
    raw.ws.send(JSON.stringify([3, id, { status: 'Maybe' }]));
    await assert.rejects(call, (e: unknown) => e instanceof ValidationError && e.code === 'PropertyConstraintViolation');
    await until(() => raw.received.length === 2);
    assert.deepEqual(raw.received[1].slice(0, 3), [5, id, 'PropertyConstraintViolation']);

    raw.ws.send(JSON.stringify([6, 's1', 'NotifyPeriodicEventStream', { ...STREAM, pending: -1 }]));
    await until(() => dropped.length === 1);
    assert.deepEqual([dropped[0].messageId, dropped[0].reason], ['s1', 'invalid']);
    // Anything answered after this CALL's answer would have been answered before it.
    await raw.call('[2,"hb","Heartbeat",{}]');
    assert.equal(raw.received.filter((f) => f[1] === 's1').length, 0, 'the SEND was not answered');
  });

  test('a ChargePoint answers an invalid CALLRESULT with CALLRESULTERROR; before it is connected, send() throws NotConnectedError', async (t) => {
    const server = await rawServer('ocpp2.1');
    const cp = new ChargePoint({ url: server.url, identity: 'CP21B', protocol: 'ocpp2.1', pingIntervalMs: 0, reconnect: false });
    t.after(() => closeAll(cp, server));
    assert.throws(
      () => cp.send('NotifyPeriodicEventStream', STREAM),
      (e: unknown) => e instanceof NotConnectedError && e.state === 'idle',
    );
    const socket = server.nextSocket();
    await cp.connect();
    const ws = await socket;
    const sent = nextFrame(ws);
    const call = cp.call('Heartbeat', {});
    const [, id] = await sent;
    const reply = nextFrame(ws);
    ws.send(JSON.stringify([3, id, {}]));
    await assert.rejects(call, (e: unknown) => e instanceof ValidationError && e.code === 'OccurrenceConstraintViolation');
    assert.deepEqual((await withTimeout(reply, 2000, 'no CALLRESULTERROR')).slice(0, 3), [5, id, 'OccurrenceConstraintViolation']);
    // The SEND itself, seen raw: type 6, never expecting an answer.
    const streamed = nextFrame(ws);
    const streamId = cp.send('NotifyPeriodicEventStream', STREAM);
    assert.deepEqual(await streamed, [6, streamId, 'NotifyPeriodicEventStream', STREAM]);
  });
});

describe('types 5 and 6 on 1.6 and 2.0.1 connections (real sockets)', () => {
  for (const [protocol, expected] of [
    ['ocpp1.6', []],
    ['ocpp2.0.1', ['MessageTypeNotSupported', 'MessageTypeNotSupported']],
  ] as const) {
    test(`${protocol}: ${expected.length === 0 ? 'ignored' : 'answered MessageTypeNotSupported'}, no handler runs, the next CALL is answered`, async (t) => {
      const { cs, port } = await startServer({ protocols: [protocol] });
      t.after(() => closeAll(cs));
      cs.handle(protocol, 'Heartbeat', () => ({ currentTime: now() }));
      const raw = await openRaw(port, 'OLD', protocol);
      raw.ws.send(JSON.stringify([6, 's1', 'NotifyPeriodicEventStream', STREAM]));
      raw.ws.send(JSON.stringify([5, 's2', 'FormatViolation', 'no', {}]));
      const answer = await raw.call('[2,"hb","Heartbeat",{}]');
      assert.equal(answer[0], 3);
      assert.deepEqual(
        raw.received.filter((f) => f[1] !== 'hb').map((f) => f[2]),
        expected,
      );
    });
  }
});
