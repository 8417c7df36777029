/**
 * What an endpoint does with input it should not act on: every framing error counts against
 * `maxBadMessages` on every version, including the frames 1.6 drops without an answer (issue 12
 * item 1), and an endpoint that is closed ignores whatever its transport still delivers.
 */
import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, test } from 'node:test';
import { RpcEndpoint } from '../../src/core/endpoint';
import type { BadFrameEvent, LimitExceededEvent } from '../../src/core/events';
import { DEPTH_SCAN_MIN_LENGTH } from '../../src/core/frames';
import { createMemoryTransportPair } from '../../src/core/memory-transport';
import type { TransportSink } from '../../src/core/transport';
import { counterIds, flush, guardUnhandledRejections, RawPeer, setup } from '../support/harness';
import { ALL_RULES } from '../support/protocol-rules';

let guard: ReturnType<typeof guardUnhandledRejections>;
beforeEach(() => {
  guard = guardUnhandledRejections();
});
afterEach(async () => {
  await guard.check();
});

/** Frames whose message id cannot be read: 2.x answers them with "-1", 1.6 drops them. */
const UNREADABLE_ID = ['[[[[[[1]]]]]]', '{"a":1}', '[2]', `${'['.repeat(10_000)}${']'.repeat(10_000)}`, 'not json'];

for (const rules of ALL_RULES) {
  const v = rules.protocol;
  describe(`bad input (${v})`, () => {
    test(`every frame whose id cannot be read counts as a bad message, answered or not, so maxBadMessages closes the connection (${v})`, async () => {
      const { endpoint, peer } = setup(rules, { maxBadMessages: UNREADABLE_ID.length - 1 });
      const bad: BadFrameEvent[] = [];
      const exceeded: LimitExceededEvent[] = [];
      endpoint.on('badFrame', (e) => bad.push(e));
      endpoint.on('limitExceeded', (e) => exceeded.push(e));
      for (const text of UNREADABLE_ID) peer.sendText(text);
      await flush();
      assert.equal(bad.length, UNREADABLE_ID.length);
      assert.ok(bad.every((e) => e.messageId === undefined && e.replied === rules.unreadableIdReply));
      assert.equal(peer.texts.length, rules.unreadableIdReply ? UNREADABLE_ID.length : 0, 'answered with "-1" only where the version says so');
      assert.deepEqual(
        exceeded.map((e) => [e.limit, e.max]),
        [['maxBadMessages', UNREADABLE_ID.length - 1]],
      );
      assert.equal(endpoint.closed, true);
      assert.deepEqual(peer.closed, { code: 1008, reason: 'too many invalid messages' });
    });

    test(`one bad message fewer than the limit leaves the connection open (${v})`, async () => {
      const { endpoint, peer } = setup(rules, { maxBadMessages: UNREADABLE_ID.length });
      for (const text of UNREADABLE_ID) peer.sendText(text);
      await flush();
      assert.equal(endpoint.closed, false);
      endpoint.handle('Heartbeat', () => ({ currentTime: 't' }));
      assert.deepEqual(await peer.exchange([2, 'h1', 'Heartbeat', {}]), [3, 'h1', { currentTime: 't' }]);
      endpoint.close();
    });

    test(`maxJsonDepth: a CALL nested one level deeper than the option is a framing error answered by the version's rules and counted; one at the limit reaches the handler (${v})`, async () => {
      const { endpoint, peer } = setup(rules, { maxJsonDepth: 4 });
      const bad: BadFrameEvent[] = [];
      endpoint.on('badFrame', (e) => bad.push(e));
      const seen: unknown[] = [];
      endpoint.handle('DataTransfer', (request) => {
        seen.push(request);
        return { status: 'Accepted' };
      });
      // Depth 4: the frame's array, the payload object, `data`'s array, and the array inside it.
      // Only frames over DEPTH_SCAN_MIN_LENGTH characters are scanned: a long string field makes these so.
      const pad = 'x'.repeat(DEPTH_SCAN_MIN_LENGTH);
      const atLimit = [2, 'ok', 'DataTransfer', { vendorId: 'v', messageId: pad, data: [[1]] }];
      assert.deepEqual(await peer.exchange(atLimit), [3, 'ok', { status: 'Accepted' }]);
      peer.sendText(JSON.stringify([2, 'deep', 'DataTransfer', { vendorId: 'v', messageId: pad, data: [[[1]]] }]));
      await flush();
      assert.deepEqual(seen, [{ vendorId: 'v', messageId: pad, data: [[1]] }], 'the handler saw only the frame within the limit');
      assert.equal(bad.length, 1);
      assert.equal(bad[0].error.kind, 'too-deep');
      // Its id is readable, so every version answers it with its framing code.
      const answer = JSON.parse(peer.texts.at(-1) ?? 'null') as unknown[];
      assert.deepEqual(answer.slice(0, 3), [4, 'deep', rules.toWireCode(rules.framingErrorCode)]);
      endpoint.close();
    });

    test(`maxJsonDepth is checked at construction: 0, 1.5 and a string are refused with a TypeError naming it (${v})`, () => {
      for (const bad of [0, 1.5, '8']) {
        assert.throws(
          () => setup(rules, { maxJsonDepth: bad as number }),
          (e: unknown) => e instanceof TypeError && /^maxJsonDepth must be/.test(e.message),
        );
      }
    });

    test(`a closed endpoint ignores input its transport still delivers: no handler runs, nothing is written, no event (${v})`, async () => {
      const [local, remote] = createMemoryTransportPair();
      let sink: TransportSink | undefined;
      const realSetSink = local.setSink.bind(local);
      local.setSink = (s) => {
        sink = s;
        realSetSink(s);
      };
      const endpoint = new RpcEndpoint({ transport: local, rules, generateId: counterIds() });
      const peer = new RawPeer(remote);
      let handled = 0;
      endpoint.handle('Heartbeat', () => {
        handled++;
        return { currentTime: 't' };
      });
      const events: string[] = [];
      for (const name of ['frame', 'badFrame', 'responseDropped', 'handlerError', 'validationFailed', 'limitExceeded'] as const)
        endpoint.on(name, () => events.push(name));
      endpoint.close(4000, 'done');
      for (const text of ['[2,"late-1","Heartbeat",{}]', '[3,"id-1",{}]', '[4,"id-1","GenericError","",{}]', 'garbage', '[2]', '[7,"x"]']) sink!.message(text);
      await flush();
      assert.equal(handled, 0);
      assert.deepEqual(events, []);
      assert.equal(peer.texts.length, 0);
      assert.deepEqual(peer.closed, { code: 4000, reason: 'done' });
    });

    test(`input after a close by the transport is ignored too, and a handler that closes the endpoint stops the rest of the batch (${v})`, async () => {
      const { endpoint, peer } = setup(rules);
      let handled = 0;
      endpoint.handle('Heartbeat', () => {
        handled++;
        endpoint.close(4001, 'handler closed it');
        return { currentTime: 't' };
      });
      peer.sendText('[2,"h1","Heartbeat",{}]');
      peer.sendText('[2,"h2","Heartbeat",{}]');
      peer.sendText('garbage');
      await flush();
      assert.equal(handled, 1);
      assert.equal(peer.texts.length, 0, 'not even the first answer: the endpoint was closed before it was written');
      assert.deepEqual(peer.closed, { code: 4001, reason: 'handler closed it' });
    });
  });
}
