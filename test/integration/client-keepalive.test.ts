/**
 * The ChargePoint's keepalive (checklist items 41 and 42), the server's Keepalive watching one
 * socket: pings at `pingIntervalMs`, none at 0, and a dropped connection when pongs stop.
 */
import assert from 'node:assert/strict';
import { describe, test, type TestContext } from 'node:test';
import { ChargePoint } from '../../src/index';
import { rawServer } from '../reliability/support';

/** Pings a raw server receives from a ChargePoint with `pingIntervalMs` during `ms`, and whether it stayed connected. */
async function pingsWithin(t: TestContext, pingIntervalMs: number, ms: number, autoPong = true): Promise<{ pings: number; disconnects: number }> {
  const server = await rawServer('ocpp1.6', { autoPong });
  t.after(() => server.close());
  const cp = new ChargePoint({ url: server.url, identity: 'CP-KA', protocol: 'ocpp1.6', pingIntervalMs, reconnect: false });
  t.after(() => cp.close());
  let disconnects = 0;
  cp.on('disconnect', () => disconnects++);
  await cp.connect();
  const ws = await server.nextSocket();
  let pings = 0;
  ws.on('ping', () => pings++);
  await new Promise((resolve) => setTimeout(resolve, ms));
  return { pings, disconnects };
}

describe('ChargePoint keepalive (items 41, 42)', () => {
  test('item 41: a positive pingIntervalMs pings the central system; a server that answers keeps the connection', async (t) => {
    const { pings, disconnects } = await pingsWithin(t, 40, 250);
    assert.ok(pings >= 2, `a 40 ms interval sent ${pings} pings in 250 ms`);
    assert.equal(disconnects, 0);
  });

  test('item 41: pingIntervalMs 0 sends no pings, and a server that never answers pings keeps the connection', async (t) => {
    assert.deepEqual(await pingsWithin(t, 0, 250, false), { pings: 0, disconnects: 0 });
  });

  test('item 42: with pings on, a server that never answers them is dropped (1006)', async (t) => {
    const server = await rawServer('ocpp1.6', { autoPong: false });
    t.after(() => server.close());
    const cp = new ChargePoint({ url: server.url, identity: 'CP-KA', protocol: 'ocpp1.6', pingIntervalMs: 50, reconnect: false });
    t.after(() => cp.close());
    const disconnected = new Promise<{ code: number; willReconnect: boolean }>((resolve) => cp.once('disconnect', resolve));
    await cp.connect();
    const timer = setTimeout(() => assert.fail('no disconnect within 2 s'), 2000);
    t.after(() => clearTimeout(timer));
    const { code } = await disconnected;
    assert.equal(code, 1006);
    assert.equal(cp.state, 'idle');
  });
});
