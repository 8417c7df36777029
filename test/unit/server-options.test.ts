/** CentralSystem options: checked once, defaults applied once, into one frozen object. */
import assert from 'node:assert/strict';
import { CentralSystem } from '../../src/central-system';
import { describe, test } from 'node:test';
import { DEFAULT_COMPRESSION, resolveCentralSystemOptions } from '../../src/server/options';
import { DEFAULT_PROTOCOLS, OCPP_PROTOCOLS } from '../../src/ocpp/version';
import {
  DEFAULT_HANDSHAKE_TIMEOUT_MS,
  DEFAULT_MAX_BUFFERED_BYTES,
  DEFAULT_MAX_PAYLOAD_BYTES,
  DEFAULT_PING_INTERVAL_MS,
  DEFAULT_READ_PAUSE_BUFFERED_BYTES,
} from '../../src/transport/defaults';

describe('resolveCentralSystemOptions', () => {
  test('ocpp2.1 is opt-in: not served by default, served first when OCPP_PROTOCOLS is passed', () => {
    assert.deepEqual(resolveCentralSystemOptions({}).protocols, DEFAULT_PROTOCOLS);
    assert.equal(DEFAULT_PROTOCOLS.includes('ocpp2.1' as never), false);
    assert.deepEqual(resolveCentralSystemOptions({ protocols: OCPP_PROTOCOLS }).protocols, ['ocpp2.1', 'ocpp2.0.1', 'ocpp1.6']);
    assert.deepEqual(resolveCentralSystemOptions({ protocols: ['ocpp2.1'] }).protocols, ['ocpp2.1']);
  });

  test('applies every default once, into a frozen object', () => {
    const r = resolveCentralSystemOptions({});
    assert.ok(Object.isFrozen(r));
    assert.deepEqual(r.protocols, ['ocpp2.0.1', 'ocpp1.6']);
    assert.equal(r.path, undefined);
    assert.equal(r.pingIntervalMs, DEFAULT_PING_INTERVAL_MS);
    assert.equal(r.pongTimeoutMs, DEFAULT_PING_INTERVAL_MS);
    assert.equal(r.maxPayloadBytes, DEFAULT_MAX_PAYLOAD_BYTES);
    assert.equal(r.maxBufferedBytes, DEFAULT_MAX_BUFFERED_BYTES);
    assert.equal(r.readPauseBufferedBytes, DEFAULT_READ_PAUSE_BUFFERED_BYTES);
    assert.equal(r.handshakeTimeoutMs, DEFAULT_HANDSHAKE_TIMEOUT_MS);
    assert.equal(r.securityProfile, 0);
    assert.equal(r.duplicateIdentity, 'replace');
    assert.equal(r.compression, DEFAULT_COMPRESSION);
    assert.equal(r.bootGating, false);
  });

  test('keeps the values given, maxBufferedBytes among them', () => {
    const r = resolveCentralSystemOptions({ maxBufferedBytes: 1234, path: '/ocpp', compression: { level: 6 }, bootGating: true });
    assert.equal(r.maxBufferedBytes, 1234);
    assert.equal(r.path, '/ocpp');
    assert.equal(r.compression !== false && r.compression.level, 6);
    assert.equal(r.compression !== false && r.compression.windowBits, DEFAULT_COMPRESSION.windowBits);
    assert.equal(r.bootGating, true);
    assert.equal(resolveCentralSystemOptions({ compression: false }).compression, false);
  });

  test('refuses bad values with a TypeError naming the option', () => {
    const bad: [Record<string, unknown>, RegExp][] = [
      [{ protocols: [] }, /protocols/],
      [{ protocols: ['ocpp2.2'] }, /protocols/],
      [{ path: 'ocpp' }, /path/],
      [{ pingIntervalMs: -1 }, /pingIntervalMs/],
      [{ pingIntervalMs: 1000, pongTimeoutMs: 2000 }, /pongTimeoutMs/],
      [{ maxBufferedBytes: 1.5 }, /maxBufferedBytes/],
      [{ readPauseBufferedBytes: -1 }, /^readPauseBufferedBytes must be/],
      [{ maxPayloadBytes: 0 }, /maxPayloadBytes/],
      [{ handshakeTimeoutMs: 'soon' }, /handshakeTimeoutMs/],
      [{ securityProfile: 4 }, /securityProfile/],
      [{ duplicateIdentity: 'keep' }, /duplicateIdentity/],
      [{ authenticate: 'yes' }, /authenticate/],
      [{ bootGating: { isAccepted: 1 } }, /bootGating\.isAccepted/],
      [{ compression: { level: 11 } }, /compression\.level/],
      [{ validation: { 'ocpp2.2': {} } }, /validation/],
    ];
    for (const [options, message] of bad) {
      assert.throws(
        () => resolveCentralSystemOptions(options as never),
        (e: unknown) => e instanceof TypeError && message.test(e.message),
        JSON.stringify(options),
      );
    }
  });
});

test('CentralSystem: maxJsonDepth is checked at construction, once per version, with a TypeError naming it', () => {
  assert.throws(
    () => new CentralSystem({ maxJsonDepth: 0 }),
    (e: unknown) => e instanceof TypeError && /^maxJsonDepth must be a positive integer/.test(e.message),
  );
  assert.doesNotThrow(() => new CentralSystem({ maxJsonDepth: 16 }));
});
