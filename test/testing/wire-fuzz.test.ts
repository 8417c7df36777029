/**
 * Whatever a charger sends, the kit neither crashes nor leaks an unhandled rejection: a raw
 * WebSocket peer sends seeded random texts, near-frames and binary messages while expectations
 * wait, and the handle afterwards still matches and answers a valid CALL.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { TestCentralSystem } from '../../src/testing/index';
import { rawPeer } from './support';

/** A small deterministic generator (mulberry32), so a failure replays. */
function random(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const PIECES = [
  '[',
  ']',
  '{',
  '}',
  ',',
  '"',
  ':',
  '2',
  '3',
  '4',
  '5',
  '6',
  '-1',
  'null',
  'true',
  '"Heartbeat"',
  '"BootNotification"',
  '"x"',
  '{}',
  '[]',
  '1e999',
  '"\\u0000"',
  ' ',
];

for (const protocol of ['ocpp1.6', 'ocpp2.0.1'] as const) {
  test(`${protocol}: 600 random messages from the charger crash nothing, and the handle still works`, async () => {
    const unhandled: unknown[] = [];
    const onUnhandled = (e: unknown): void => void unhandled.push(e);
    process.on('unhandledRejection', onUnhandled);
    const csms = await TestCentralSystem.start({ protocols: [protocol], timeoutMs: 3000 });
    const st = csms.station('FUZZ');
    const peer = await rawPeer(`${csms.url}/FUZZ`, protocol, () => undefined);
    try {
      const next = random(protocol === 'ocpp1.6' ? 16 : 201);
      // Expectations waiting meanwhile (none may be met by garbage).
      const waiting = st.expectCall('Authorize', undefined, { timeoutMs: 60_000 });
      const quiet = st.expectNoCall('MeterValues', { forMs: 300 });
      for (let i = 0; i < 600; i++) {
        const kind = next();
        if (kind < 0.4) {
          let text = '';
          const n = 1 + Math.floor(next() * 12);
          for (let j = 0; j < n; j++) text += PIECES[Math.floor(next() * PIECES.length)];
          peer.send(text);
        } else if (kind < 0.7) {
          const id = `f${i}`;
          const payload = next() < 0.5 ? '{}' : `{"x":${Math.floor(next() * 100)}}`;
          const action = ['Heartbeat', 'StatusNotification', 'NoSuch', '', 'BootNotification'][Math.floor(next() * 5)];
          peer.send(`[${2 + Math.floor(next() * 5)},"${id}","${action}",${payload}]`);
        } else if (kind < 0.85) {
          peer.ws.send(Buffer.from(Array.from({ length: 1 + Math.floor(next() * 40) }, () => Math.floor(next() * 256))));
        } else {
          peer.send(`[2,"h${i}","Heartbeat",{}]`);
        }
      }
      peer.send('[2,"last","Heartbeat",{}]');
      const hb = await st.expectCall('Heartbeat', undefined, { after: undefined });
      assert.equal(hb.action, 'Heartbeat');
      await quiet;
      assert.ok(
        st.transcript.entries.some((e) => e.kind === 'bad'),
        'no bad frame recorded',
      );
      assert.ok(st.connected, 'the test double kept the station');
      st.clearStubs();
      void waiting;
    } finally {
      await peer.close();
      await csms.close().catch(() => undefined);
      await new Promise((r) => setImmediate(r));
      process.off('unhandledRejection', onUnhandled);
    }
    assert.deepEqual(unhandled, []);
  });
}
