/**
 * Integration, over real sockets: what both classes do on an ocpp2.1 connection with frames of
 * message types they do not speak yet (5 CALLRESULTERROR and 6 SEND, issue 14 deliverables 4-5)
 * or that do not exist (7). 2.1 rule: unknown message types are ignored; until SEND and
 * CALLRESULTERROR land, 5 and 6 are treated as such: a `badFrame` event, no reply, no handler,
 * and the connection keeps working.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { WebSocket } from 'ws';
import { CentralSystem, ChargePoint, type BadFrameEvent, type Station } from '../../src/index';
import { openRaw, rawServer } from '../reliability/support';

const now = (): string => new Date().toISOString();
const STREAM = { id: 1, pending: 0, basetime: '2025-01-01T00:00:00Z', data: [{ t: 0, v: '1' }] };
const STRAY = [
  [6, 's1', 'NotifyPeriodicEventStream', STREAM],
  [5, 's2', 'FormatViolation', 'your result was broken', {}],
  [5, 's3'],
  [7, 's4', 'Heartbeat', {}],
];

describe('ocpp2.1: frames of types 5, 6 and unknown ones are ignored with an event (real sockets)', () => {
  test('a CentralSystem: badFrame events on the station, nothing answered, the next CALL answered', async (t) => {
    const cs = new CentralSystem({ protocols: ['ocpp2.1'], path: '/ocpp', pingIntervalMs: 0 });
    t.after(() => cs.close());
    cs.handle('ocpp2.1', 'Heartbeat', () => ({ currentTime: now() }));
    const bad: BadFrameEvent[] = [];
    const connected = new Promise<Station<'ocpp2.1'>>((resolve) => cs.once('connection', resolve));
    const { port } = await cs.listen({ port: 0, host: '127.0.0.1' });
    const raw = await openRaw(port, 'RAW21', 'ocpp2.1', { path: '/ocpp/' });
    t.after(() => raw.ws.terminate());
    const station = await connected;
    station.on('badFrame', (e) => bad.push(e));
    for (const frame of STRAY) raw.ws.send(JSON.stringify(frame));
    const answer = await raw.call('[2,"hb","Heartbeat",{}]');
    assert.equal(answer[0], 3);
    assert.deepEqual(
      raw.received.map((f) => f[1]),
      ['hb'],
      'only the CALL was answered',
    );
    assert.deepEqual(
      bad.map((e) => [e.error.messageType, e.messageId, e.replied]),
      [
        [6, 's1', false],
        [5, 's2', false],
        [5, 's3', false],
        [7, 's4', false],
      ],
    );
    assert.equal(cs.stations.get('RAW21'), station, 'still connected');
  });

  test('a ChargePoint: badFrame events, nothing answered, no handler run, the next CALL answered', async (t) => {
    const server = await rawServer('ocpp2.1');
    t.after(() => server.close());
    const cp = new ChargePoint({ url: server.url, identity: 'CP21', protocol: 'ocpp2.1', pingIntervalMs: 0, reconnect: false });
    t.after(() => cp.close());
    const bad: BadFrameEvent[] = [];
    cp.on('badFrame', (e) => bad.push(e));
    let cleared = 0;
    cp.handle('ClearCache', () => (cleared++, { status: 'Accepted' }));
    const socket = server.nextSocket();
    await cp.connect();
    const ws: WebSocket = await socket;
    const received: unknown[][] = [];
    const answered = new Promise<void>((resolve) =>
      ws.on('message', (data: Buffer) => {
        received.push(JSON.parse(data.toString()) as unknown[]);
        resolve();
      }),
    );
    for (const frame of STRAY) ws.send(JSON.stringify(frame));
    ws.send(JSON.stringify([2, 'cc', 'ClearCache', {}]));
    await answered;
    assert.deepEqual(received, [[3, 'cc', { status: 'Accepted' }]]);
    assert.equal(cleared, 1);
    assert.deepEqual(
      bad.map((e) => [e.error.messageType, e.messageId, e.replied]),
      [
        [6, 's1', false],
        [5, 's2', false],
        [5, 's3', false],
        [7, 's4', false],
      ],
    );
    assert.equal(cp.state, 'open');
  });
});
