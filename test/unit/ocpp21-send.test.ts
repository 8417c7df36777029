/**
 * OCPP 2.1 SEND (message type 6) over the memory transport, with the real OCPP21_RULES and the
 * strict 2.1 validators: a request that is never answered (P4-21 4.2.4, checklist item 25), sent
 * even while a CALL is outstanding, dropped with an event whenever it cannot reach a handler.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { ConnectionClosedError, ValidationError } from '../../src/core/errors';
import { createPayloadValidator } from '../../src/ocpp/validation';
import { OCPP201_RULES, OCPP21_RULES } from '../../src/ocpp/version-rules';
import { collect, connectedPair, flush, guardUnhandledRejections, setup } from '../support/harness';

const STREAM = { id: 1, pending: 0, basetime: '2025-01-01T00:00:00Z', data: [{ t: 0, v: '11.5' }] };
const NOW = { currentTime: '2025-01-01T00:00:00Z' };

function strict21(options: Parameters<typeof setup>[1] = {}) {
  return setup(OCPP21_RULES, { validator: createPayloadValidator('ocpp2.1'), ...options });
}

describe('ocpp2.1 SEND, outbound', () => {
  test('2.1 rule (item 25): a SEND goes out at once while a CALL is in flight and another is queued, and is never answered', async () => {
    const { endpoint, peer } = strict21({ callConcurrency: 1 });
    const first = endpoint.call('Heartbeat', {});
    const second = endpoint.call('Heartbeat', {});
    assert.equal(endpoint.pendingCalls, 1);
    assert.equal(endpoint.queuedCalls, 1);
    const id = endpoint.send('NotifyPeriodicEventStream', STREAM);
    await peer.frame(1);
    assert.deepEqual(peer.frames, [
      [2, 'id-1', 'Heartbeat', {}],
      [6, id, 'NotifyPeriodicEventStream', STREAM],
    ]);
    assert.equal(endpoint.queuedCalls, 1, 'the SEND took no call slot and jumped no queue of its own');
    peer.send([3, 'id-1', NOW]);
    await first;
    peer.send([3, (await peer.frame(2))[1], NOW]);
    await second;
    endpoint.close();
  });

  test('a SEND and a CALL share one id space: ids come from the same generator', async () => {
    const { endpoint, peer } = strict21();
    void endpoint.call('Heartbeat', {}).catch(() => undefined);
    const id = endpoint.send('NotifyPeriodicEventStream', STREAM);
    assert.equal(id, 'id-2');
    await peer.frame(1);
    assert.deepEqual(
      peer.frames.map((f) => f[1]),
      ['id-1', 'id-2'],
    );
    endpoint.close();
  });

  test('a SEND that breaks its schema throws ValidationError naming the path, and nothing is sent', () => {
    const { endpoint, peer } = strict21();
    const failed: string[] = [];
    endpoint.on('validationFailed', (e) => failed.push(`${e.direction} ${e.kind} ${e.action} ${e.code}`));
    assert.throws(
      () => endpoint.send('NotifyPeriodicEventStream', { id: 1, basetime: '2025-01-01T00:00:00Z', data: [] }),
      (e: unknown) => e instanceof ValidationError && e.code === 'OccurrenceConstraintViolation' && /pending/.test(e.message),
    );
    assert.deepEqual(failed, ['outbound request NotifyPeriodicEventStream OccurrenceConstraintViolation']);
    assert.equal(peer.texts.length, 0);
    endpoint.close();
  });

  test('programmer errors are typed and named: a CALL action sent as SEND, an unknown action, SEND on 2.0.1, call() of a SEND action, a closed endpoint', async () => {
    const { endpoint, peer } = strict21();
    assert.throws(() => endpoint.send('Heartbeat', {}), { name: 'TypeError', message: /Heartbeat travels as a CALL in ocpp2\.1/ });
    assert.throws(() => endpoint.send('NoSuchThing', {}), { name: 'TypeError', message: /"NoSuchThing" is not an action of ocpp2\.1/ });
    await assert.rejects(endpoint.call('NotifyPeriodicEventStream', STREAM), { name: 'TypeError', message: /travels as a SEND in ocpp2\.1 .*use send\(\)/ });
    const old = setup(OCPP201_RULES);
    assert.throws(() => old.endpoint.send('Heartbeat', {}), { name: 'TypeError', message: /SEND frames do not exist in ocpp2\.0\.1/ });
    old.endpoint.close();
    endpoint.close();
    assert.throws(
      () => endpoint.send('NotifyPeriodicEventStream', STREAM),
      (e: unknown) => e instanceof ConnectionClosedError,
    );
    assert.equal(peer.texts.length, 0);
  });
});

describe('ocpp2.1 SEND, inbound', () => {
  test('a SEND reaches its handler with a context; the return value is ignored and nothing is answered', async () => {
    const { endpoint, peer } = strict21({ identity: 'CS21' });
    const seen: unknown[] = [];
    endpoint.handle('NotifyPeriodicEventStream', (request, ctx) => {
      seen.push([request, ctx.messageId, ctx.action, ctx.protocol, ctx.identity]);
      return { ignored: true };
    });
    endpoint.handle('Heartbeat', () => NOW);
    peer.send([6, 's1', 'NotifyPeriodicEventStream', STREAM]);
    assert.deepEqual(await peer.exchange([2, 'h1', 'Heartbeat', {}]), [3, 'h1', NOW]);
    assert.deepEqual(seen, [[STREAM, 's1', 'NotifyPeriodicEventStream', 'ocpp2.1', 'CS21']]);
    assert.equal(peer.texts.length, 1, 'only the Heartbeat was answered');
    endpoint.close();
  });

  test('a SEND whose handler throws or rejects: handlerError, no reply, the connection goes on', async () => {
    const guard = guardUnhandledRejections();
    const { endpoint, peer } = strict21();
    const errors: unknown[] = [];
    endpoint.on('handlerError', (e) => errors.push([e.messageId, e.action, (e.error as Error).message]));
    let n = 0;
    endpoint.handle('NotifyPeriodicEventStream', () => {
      if (n++ === 0) throw new Error('sync boom');
      return Promise.reject(new Error('async boom'));
    });
    endpoint.handle('Heartbeat', () => NOW);
    peer.send([6, 's1', 'NotifyPeriodicEventStream', STREAM]);
    peer.send([6, 's2', 'NotifyPeriodicEventStream', STREAM]);
    await flush();
    assert.deepEqual(await peer.exchange([2, 'h1', 'Heartbeat', {}]), [3, 'h1', NOW]);
    assert.deepEqual(errors, [
      ['s1', 'NotifyPeriodicEventStream', 'sync boom'],
      ['s2', 'NotifyPeriodicEventStream', 'async boom'],
    ]);
    assert.equal(peer.texts.length, 1);
    endpoint.close();
    await guard.check();
  });

  test('a SEND that cannot reach a handler is dropped with a sendDropped event naming why, never answered', async () => {
    const { endpoint, peer } = strict21({ inboundGate: (action) => (action === 'NotifyPeriodicEventStream' && gateClosed ? 'SecurityError' : undefined) });
    let gateClosed = false;
    const dropped = collect(endpoint, 'sendDropped');
    const failed: string[] = [];
    endpoint.on('validationFailed', (e) => failed.push(`${e.messageId} ${e.code}`));
    let handled = 0;
    endpoint.handle('Heartbeat', () => NOW);
    // No handler yet.
    peer.send([6, 'a', 'NotifyPeriodicEventStream', STREAM]);
    await flush();
    endpoint.handle('NotifyPeriodicEventStream', () => void handled++);
    peer.send([6, 'b', 'NoSuchAction', {}]);
    peer.send([6, 'c', 'Heartbeat', {}]);
    peer.send([6, 'd', 'NotifyPeriodicEventStream', { ...STREAM, data: 'nope' }]);
    await flush();
    gateClosed = true;
    peer.send([6, 'e', 'NotifyPeriodicEventStream', STREAM]);
    await flush();
    gateClosed = false;
    peer.send([6, 'f', 'NotifyPeriodicEventStream', STREAM]);
    assert.deepEqual(await peer.exchange([2, 'h1', 'Heartbeat', {}]), [3, 'h1', NOW]);
    assert.equal(peer.texts.length, 1, 'no SEND was answered');
    assert.deepEqual(
      dropped.map((e) => [e.messageId, e.action, e.reason, e.frame.type]),
      [
        ['a', 'NotifyPeriodicEventStream', 'no-handler', 6],
        ['b', 'NoSuchAction', 'unknown-action', 6],
        ['c', 'Heartbeat', 'not-a-send-action', 6],
        ['d', 'NotifyPeriodicEventStream', 'invalid', 6],
        ['e', 'NotifyPeriodicEventStream', 'not-allowed', 6],
      ],
    );
    assert.deepEqual(failed, ['d TypeConstraintViolation']);
    assert.equal(handled, 1, 'only f reached the handler');
    endpoint.close();
  });

  test('leniency is explicit per action and direction: a policy naming NotifyPeriodicEventStream lets a broken SEND through, reported', async () => {
    const validator = createPayloadValidator('ocpp2.1', { actions: { NotifyPeriodicEventStream: { inbound: 'report' } } });
    const { endpoint, peer } = setup(OCPP21_RULES, { validator });
    const failed: string[] = [];
    endpoint.on('validationFailed', (e) => failed.push(`${e.messageId} ${e.code} enforced=${String(e.enforced)}`));
    const got: unknown[] = [];
    endpoint.handle('NotifyPeriodicEventStream', (req) => void got.push(req));
    peer.send([6, 'lax', 'NotifyPeriodicEventStream', { ...STREAM, vendorField: 1 }]);
    await flush();
    assert.deepEqual(got, [{ ...STREAM, vendorField: 1 }]);
    assert.deepEqual(failed, ['lax FormatViolation enforced=false']);
    // Outbound stays strict under that policy.
    assert.throws(() => endpoint.send('NotifyPeriodicEventStream', { ...STREAM, vendorField: 1 }), ValidationError);
    assert.throws(() => createPayloadValidator('ocpp2.1', { actions: { NotifyPeriodicEventStreams: 'off' } }), /not a ocpp2\.1 action/);
    assert.equal(peer.texts.length, 0);
    endpoint.close();
  });

  test('SENDs that break the rules count toward maxBadMessages: a flood of them ends the connection with 1008', async () => {
    const { endpoint, peer } = strict21({ maxBadMessages: 3 });
    const limits: string[] = [];
    endpoint.on('limitExceeded', (e) => limits.push(e.limit));
    for (let i = 0; i < 4; i++) peer.send([6, `x${i}`, 'Heartbeat', {}]);
    await flush();
    assert.deepEqual(limits, ['maxBadMessages']);
    assert.equal(peer.closed?.code, 1008);
    assert.equal(peer.texts.length, 0);
  });

  test('a CALL of a SEND-only action is answered NotSupported (its response has no schema) and counted as a bad message', async () => {
    const { endpoint, peer } = strict21({ maxBadMessages: 1 });
    let handled = 0;
    endpoint.handle('NotifyPeriodicEventStream', () => void handled++);
    const reply = await peer.exchange([2, 'c1', 'NotifyPeriodicEventStream', STREAM]);
    assert.deepEqual(reply, [4, 'c1', 'NotSupported', 'NotifyPeriodicEventStream travels as a SEND, never as a CALL', {}]);
    assert.equal(handled, 0);
    peer.send([2, 'c2', 'NotifyPeriodicEventStream', STREAM]);
    await flush();
    assert.equal(peer.closed?.code, 1008, 'the second one passed maxBadMessages: 1');
  });

  test('two endpoints: the SENDs of one reach the handler of the other, in order', async () => {
    const { a, b } = connectedPair(OCPP21_RULES, { validator: createPayloadValidator('ocpp2.1') });
    const got: unknown[] = [];
    b.handle('NotifyPeriodicEventStream', (req) => void got.push(req));
    a.send('NotifyPeriodicEventStream', STREAM);
    a.send('NotifyPeriodicEventStream', { ...STREAM, pending: 3 });
    await flush();
    assert.deepEqual(got, [STREAM, { ...STREAM, pending: 3 }]);
    a.close();
  });
});
