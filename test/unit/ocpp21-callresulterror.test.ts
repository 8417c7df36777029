/**
 * OCPP 2.1 CALLRESULTERROR (message type 5) over the memory transport, with the real rules and
 * strict validators: an invalid CALLRESULT we receive is rejected under its id (2.1 FR.06,
 * checklist item 26); a valid one can be refused on purpose through `accept` (use case I08); a
 * CALLRESULTERROR the peer sends about one of our answers is an event naming the action.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { NotSupportedError, RpcError, ValidationError } from '../../src/core/errors';
import { createPayloadValidator } from '../../src/ocpp/validation';
import { OCPP201_RULES, OCPP21_RULES } from '../../src/ocpp/version-rules';
import type { ProtocolRules } from '../../src/core/protocol-rules';
import type { OcppVersion } from '../../src/ocpp/version';
import { collect, flush, guardUnhandledRejections, setup } from '../support/harness';

const NOW = { currentTime: '2025-01-01T00:00:00Z' };
const TOKEN = { idToken: { idToken: 'TAG1', type: 'ISO14443' } };

function strict(rules: ProtocolRules = OCPP21_RULES) {
  return setup(rules, { validator: createPayloadValidator(rules.protocol as OcppVersion) });
}

describe('ocpp2.1 CALLRESULTERROR we send', () => {
  test('2.1 rule (FR.06, item 26): an invalid CALLRESULT is answered with a CALLRESULTERROR under its id, with the code of the failure; the call rejects with ValidationError', async () => {
    const { endpoint, peer } = strict();
    const call = endpoint.call('Authorize', TOKEN);
    await peer.frame(0);
    peer.send([3, 'id-1', { idTokenInfo: {} }]);
    await assert.rejects(
      call,
      (e: unknown) => e instanceof ValidationError && e.direction === 'inbound' && e.kind === 'response' && e.code === 'OccurrenceConstraintViolation',
    );
    const reply = await peer.frame(1);
    assert.deepEqual(reply.slice(0, 3), [5, 'id-1', 'OccurrenceConstraintViolation']);
    assert.match(String(reply[3]), /status/);
    assert.deepEqual(reply[4], {});
    endpoint.close();
  });

  test('a CALLRESULT that does not parse but names our call: CALLRESULTERROR RpcFrameworkError, and the call fails at once', async () => {
    const { endpoint, peer } = strict();
    const call = endpoint.call('Heartbeat', {});
    await peer.frame(0);
    peer.send([3, 'id-1']);
    await assert.rejects(call, (e: unknown) => e instanceof ValidationError && e.code === 'RpcFrameworkError');
    assert.deepEqual((await peer.frame(1)).slice(0, 3), [5, 'id-1', 'RpcFrameworkError']);
    endpoint.close();
  });

  test('the rule that differs: on 2.0.1 the same invalid CALLRESULT only rejects the call; nothing goes back (no type 5 there)', async () => {
    const { endpoint, peer } = strict(OCPP201_RULES);
    const call = endpoint.call('Authorize', TOKEN);
    await peer.frame(0);
    peer.send([3, 'id-1', { idTokenInfo: {} }]);
    await assert.rejects(call, ValidationError);
    await flush();
    assert.equal(peer.texts.length, 1, 'only our CALL');
    endpoint.close();
  });

  test('validate: false on the call skips the response check, so nothing is rejected', async () => {
    const { endpoint, peer } = strict();
    const call = endpoint.call('Heartbeat', {}, { validate: false });
    await peer.frame(0);
    peer.send([3, 'id-1', { odd: true }]);
    assert.deepEqual(await call, { odd: true });
    await flush();
    assert.equal(peer.texts.length, 1);
    endpoint.close();
  });
});

describe('ocpp2.1 deliberate rejection of a valid result (I08): call(..., { accept })', () => {
  const TARIFF_RESULT = { idTokenInfo: { status: 'Accepted' }, tariff: { tariffId: 'T1', currency: 'EUR' } };

  test('accept returns: the call resolves with the result and nothing more is sent', async () => {
    const { endpoint, peer } = strict();
    const seen: unknown[] = [];
    const call = endpoint.call('Authorize', TOKEN, { accept: (result) => void seen.push(result) });
    await peer.frame(0);
    peer.send([3, 'id-1', TARIFF_RESULT]);
    assert.deepEqual(await call, TARIFF_RESULT);
    assert.deepEqual(seen, [TARIFF_RESULT]);
    await flush();
    assert.equal(peer.texts.length, 1);
    endpoint.close();
  });

  test('accept throws an RpcError: CALLRESULTERROR with its code and description; the call rejects with that very error', async () => {
    const { endpoint, peer } = strict();
    const refusal = new NotSupportedError({ description: 'tariff with 5 periods cannot be applied' });
    const call = endpoint.call('Authorize', TOKEN, {
      accept: (result) => {
        if (result !== null && typeof result === 'object' && 'tariff' in result) throw refusal;
      },
    });
    await peer.frame(0);
    peer.send([3, 'id-1', TARIFF_RESULT]);
    await assert.rejects(call, (e: unknown) => e === refusal);
    assert.deepEqual(await peer.frame(1), [5, 'id-1', 'NotSupported', 'tariff with 5 periods cannot be applied', {}]);
    endpoint.close();
  });

  test('an RpcError whose code is outside the table goes out as GenericError with its text; anything else as InternalError without its message', async () => {
    const guard = guardUnhandledRejections();
    const { endpoint, peer } = strict();
    const odd = endpoint.call(
      'Heartbeat',
      {},
      {
        accept: () => {
          throw new RpcError({ code: 'NoSuchCode', description: 'not today' });
        },
      },
    );
    await peer.frame(0);
    peer.send([3, 'id-1', NOW]);
    await assert.rejects(odd, { description: 'not today' });
    assert.deepEqual(await peer.frame(1), [5, 'id-1', 'GenericError', 'not today', {}]);
    const bug = endpoint.call(
      'Heartbeat',
      {},
      {
        accept: () => {
          throw new Error('secret internals');
        },
      },
    );
    await peer.frame(2);
    peer.send([3, 'id-2', NOW]);
    await assert.rejects(bug, { message: 'secret internals' });
    assert.deepEqual(await peer.frame(3), [5, 'id-2', 'InternalError', 'An internal error occurred', {}]);
    endpoint.close();
    await guard.check();
  });

  test('on 2.0.1 a refused result rejects the call and sends nothing (the version has no way to say it)', async () => {
    const { endpoint, peer } = strict(OCPP201_RULES);
    const call = endpoint.call(
      'Heartbeat',
      {},
      {
        accept: () => {
          throw new NotSupportedError({ description: 'no' });
        },
      },
    );
    await peer.frame(0);
    peer.send([3, 'id-1', NOW]);
    await assert.rejects(call, NotSupportedError);
    await flush();
    assert.equal(peer.texts.length, 1);
    endpoint.close();
  });

  test('accept is not run on an invalid result (that one is rejected by validation first), and must be a function', async () => {
    const { endpoint, peer } = strict();
    let ran = 0;
    const call = endpoint.call('Authorize', TOKEN, { accept: () => void ran++ });
    await peer.frame(0);
    peer.send([3, 'id-1', {}]);
    await assert.rejects(call, ValidationError);
    assert.equal(ran, 0);
    await assert.rejects(endpoint.call('Heartbeat', {}, { accept: 'yes' as never }), { name: 'TypeError', message: /accept must be a function, got "yes"/ });
    endpoint.close();
  });
});

describe('ocpp2.1 CALLRESULTERROR we receive', () => {
  test('one about our answer: a callResultError event with the code (either spelling), description, details and the action answered; nothing goes back', async () => {
    const { endpoint, peer } = strict();
    const seen = collect(endpoint, 'callResultError');
    endpoint.handle('Heartbeat', () => NOW);
    assert.deepEqual(await peer.exchange([2, 'h1', 'Heartbeat', {}]), [3, 'h1', NOW]);
    peer.send([5, 'h1', 'OccurenceConstraintViolation', 'currentTime looks wrong', { hint: 'clock' }]);
    peer.send([5, 'never-ours', 'FormatViolation', '', {}]);
    await flush();
    assert.deepEqual(
      seen.map((e) => [e.messageId, e.action, e.error.code, e.error.description, e.error.details, e.frame.errorCode]),
      [
        ['h1', 'Heartbeat', 'OccurrenceConstraintViolation', 'currentTime looks wrong', { hint: 'clock' }, 'OccurenceConstraintViolation'],
        ['never-ours', undefined, 'FormatViolation', '', {}, 'FormatViolation'],
      ],
    );
    assert.equal(peer.texts.length, 1, 'a CALLRESULTERROR is never answered');
    endpoint.close();
  });

  test('the action is remembered for the last 64 answers only, and an unobserved CALLRESULTERROR is harmless', async () => {
    const guard = guardUnhandledRejections();
    const { endpoint, peer } = strict();
    endpoint.handle('Heartbeat', () => NOW);
    for (let i = 0; i < 70; i++) await peer.exchange([2, `h${i}`, 'Heartbeat', {}]);
    peer.send([5, 'h0', 'GenericError', 'late', {}]);
    await flush();
    const seen = collect(endpoint, 'callResultError');
    peer.send([5, 'h0', 'GenericError', 'late', {}]);
    peer.send([5, 'h69', 'GenericError', 'recent', {}]);
    await flush();
    assert.deepEqual(
      seen.map((e) => [e.messageId, e.action]),
      [
        ['h0', undefined],
        ['h69', 'Heartbeat'],
      ],
    );
    assert.equal(endpoint.closed, false);
    endpoint.close();
    await guard.check();
  });
});
