/**
 * The ChargePoint's boot handling on its own (client/boot.ts): the retry loop, the gate that
 * holds calls until Accepted, and close. No socket: BootNotification goes to a scripted
 * function, and the waits run on node's mock timers.
 */
import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, mock, test } from 'node:test';
import { GenericError, TimeoutError } from '../../src/core/errors';
import { BootController, DEFAULT_BOOT_RETRY_INTERVAL_MS, type BootHost } from '../../src/client/boot';
import { NotConnectedError, type ChargePointState } from '../../src/client/errors';
import type { OcppVersion } from '../../src/ocpp/version';
import { MAX_DELAY_MS } from '../../src/transport/delay';

async function settle(rounds = 5): Promise<void> {
  for (let i = 0; i < rounds; i++) await new Promise<void>((resolve) => setImmediate(resolve));
}

interface Rig {
  boot: BootController;
  sent: unknown[];
  state: ChargePointState;
  opens: Set<() => void>;
  accepted: number;
}

/** A controller whose BootNotifications get the answers of `answer(n)` (n from 1); a thrown value rejects. */
function rig(answer: (n: number) => unknown, gating = false, protocol: OcppVersion = 'ocpp1.6'): Rig {
  const r: Rig = { boot: undefined as never, sent: [], state: 'open', opens: new Set(), accepted: 0 };
  const host: BootHost = {
    protocol,
    gating,
    state: () => r.state,
    sendBoot: (request) => {
      if (r.state !== 'open') return Promise.reject(new NotConnectedError({ action: 'BootNotification', state: r.state }));
      r.sent.push(request);
      const n = r.sent.length;
      return Promise.resolve().then(() => r.boot.note(answer(n)));
    },
    onceOpen: (listener) => {
      r.opens.add(listener);
      return () => r.opens.delete(listener);
    },
    accepted: () => r.accepted++,
  };
  r.boot = new BootController(host);
  return r;
}

const pending = (interval: number) => ({ status: 'Pending', currentTime: '2026-01-01T00:00:00Z', interval });
const accepted = { status: 'Accepted', currentTime: '2026-01-01T00:00:00Z', interval: 300 };
const REQUEST = { chargePointVendor: 'V', chargePointModel: 'M' };

describe('BootController', () => {
  beforeEach(() => mock.timers.enable({ apis: ['setTimeout'] }));
  afterEach(() => mock.timers.reset());

  test('resends after the interval the central system gave until Accepted, then answers later boots from memory', async () => {
    const r = rig((n) => (n < 3 ? pending(60) : accepted));
    const booted = r.boot.boot(REQUEST);
    await settle();
    assert.equal(r.sent.length, 1);
    mock.timers.tick(59_999);
    await settle();
    assert.equal(r.sent.length, 1, 'not before 60 s');
    mock.timers.tick(1);
    await settle();
    assert.equal(r.sent.length, 2);
    mock.timers.tick(60_000);
    await settle();
    assert.deepEqual(await booted, accepted);
    assert.equal(r.boot.status, 'Accepted');
    assert.equal(r.accepted, 1);
    assert.deepEqual(await r.boot.boot(REQUEST), accepted);
    assert.equal(r.sent.length, 3, 'the same request is not sent again once accepted');
  });

  test('an interval of 0 waits retryIntervalMs; a timeout waits it too; a CALLERROR rejects', async () => {
    const r = rig((n) => {
      if (n === 1) return pending(0);
      if (n === 2) throw new TimeoutError({ action: 'BootNotification', messageId: 'm', timeoutMs: 1 });
      throw new GenericError({ description: 'nope' });
    });
    const booted = r.boot.boot(REQUEST, { retryIntervalMs: 5000 });
    const outcome = assert.rejects(booted, GenericError);
    await settle();
    mock.timers.tick(4999);
    await settle();
    assert.equal(r.sent.length, 1);
    mock.timers.tick(1);
    await settle();
    assert.equal(r.sent.length, 2);
    mock.timers.tick(5000);
    await settle();
    await outcome;
    assert.equal(r.sent.length, 3);
    assert.equal(DEFAULT_BOOT_RETRY_INTERVAL_MS, 30_000);
  });

  test('intervals a timer cannot hold (2147484 s, Infinity) wait 2^31-1 ms, not 1 ms', async () => {
    for (const interval of [2_147_484, Infinity]) {
      const r = rig(() => pending(interval));
      const booted = r.boot.boot(REQUEST).catch((error: unknown) => error);
      await settle();
      mock.timers.tick(1000);
      await settle();
      assert.equal(r.sent.length, 1, `interval ${interval}: resent too early`);
      mock.timers.tick(MAX_DELAY_MS - 1000);
      await settle();
      assert.equal(r.sent.length, 2, `interval ${interval}: resent after 2^31-1 ms`);
      r.boot.close();
      assert.ok((await booted) instanceof NotConnectedError);
    }
  });

  test('while not connected it waits for the next open instead of failing', async () => {
    const r = rig(() => accepted);
    r.state = 'reconnecting';
    const booted = r.boot.boot(REQUEST);
    await settle();
    assert.equal(r.opens.size, 1, 'waiting for open');
    assert.equal(r.sent.length, 0);
    r.state = 'open';
    for (const open of [...r.opens]) open();
    assert.deepEqual(await booted, accepted);
  });

  test('gating holds calls other than BootNotification until Accepted, and not forced ones', async () => {
    const r = rig(() => accepted, true);
    assert.equal(r.boot.gates('Heartbeat', false), true);
    assert.equal(r.boot.gates('Heartbeat', true), false);
    assert.equal(r.boot.gates('BootNotification', false), false);
    assert.equal(r.boot.holdsOutbox, true);
    let ran = 0;
    const held = r.boot.hold('Heartbeat', () => Promise.resolve(++ran));
    await settle();
    assert.equal(ran, 0);
    await r.boot.boot(REQUEST);
    assert.equal(await held, 1);
    assert.equal(r.boot.gates('Heartbeat', false), false);
    assert.equal(r.boot.holdsOutbox, false);
  });

  test("item 49: while Rejected with gating on, a 2.0.1 charger refuses the central system's CALLs with SecurityError, except TriggerMessage(BootNotification)", () => {
    const r = rig(() => undefined, true, 'ocpp2.0.1');
    assert.equal(r.boot.refusal('GetVariables', {}), undefined, 'no boot answered yet: let through');
    for (const status of ['Pending', 'Accepted'] as const) {
      r.boot.status = status;
      assert.equal(r.boot.refusal('GetVariables', {}), undefined, status);
    }
    r.boot.status = 'Rejected';
    assert.equal(r.boot.refusal('GetVariables', {}), 'SecurityError');
    assert.equal(r.boot.refusal('TriggerMessage', { requestedMessage: 'Heartbeat' }), 'SecurityError');
    assert.equal(r.boot.refusal('TriggerMessage', { requestedMessage: 'BootNotification' }), undefined);
    assert.equal(r.boot.refusal('TriggerMessage', null), 'SecurityError', 'a payload that is not an object is no exception');
  });

  test('item 49: while Rejected with gating on, a 1.6 charge point leaves every CALL unanswered (null), TriggerMessage included', () => {
    const r = rig(() => undefined, true, 'ocpp1.6');
    r.boot.status = 'Pending';
    assert.equal(r.boot.refusal('GetConfiguration', {}), undefined);
    r.boot.status = 'Rejected';
    assert.equal(r.boot.refusal('GetConfiguration', {}), null);
    assert.equal(r.boot.refusal('TriggerMessage', { requestedMessage: 'BootNotification' }), null);
  });

  test('item 49: without gating a Rejected charger lets every CALL through (opt-in, like item 47)', () => {
    for (const protocol of ['ocpp1.6', 'ocpp2.0.1'] as const) {
      const r = rig(() => undefined, false, protocol);
      r.boot.status = 'Rejected';
      assert.equal(r.boot.refusal('Reset', {}), undefined, protocol);
    }
  });

  test('close rejects held calls and ends a pause of boot() with NotConnectedError', async () => {
    const r = rig(() => pending(3600), true);
    const held = r.boot.hold('Heartbeat', () => Promise.reject(new Error('never sent')));
    const booted = r.boot.boot(REQUEST);
    await settle();
    r.boot.close();
    await assert.rejects(held, (e: unknown) => e instanceof NotConnectedError && e.action === 'Heartbeat' && e.state === 'closed');
    await assert.rejects(booted, NotConnectedError);
    assert.equal(r.sent.length, 1);
  });

  test('an aborted signal ends boot() with its reason', async () => {
    const r = rig(() => pending(3600));
    const controller = new AbortController();
    const booted = r.boot.boot(REQUEST, { signal: controller.signal });
    await settle();
    controller.abort(new Error('stop'));
    await assert.rejects(booted, /stop/);
  });
});
