/**
 * The public door: `src/index.ts` is the only thing users import, so its runtime exports are
 * pinned here. Adding, removing or renaming one fails this test on purpose: a change to the
 * surface is a visible decision (update the list in the same commit).
 *
 * Also: importing the package must not load ajv. The validators are precompiled at generation
 * time into self-contained modules; compiling schemas at run time would cost ~750 ms at startup
 * and drag ajv into browser bundles.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { describe, test } from 'node:test';
import * as api from '../../src/index';

const ROOT = path.resolve(__dirname, '..', '..');

/** Every runtime export of src/index.ts, sorted (types are erased and not listed). */
const EXPORTS = [
  'AbortError',
  'CentralSystem',
  'ChargePoint',
  'ClusterUnavailableError',
  'ConnectionClosedError',
  'ConnectionError',
  'DEFAULT_BACKOFF',
  'DEFAULT_BAD_MESSAGE_WINDOW_MS',
  'DEFAULT_CALL_CONCURRENCY',
  'DEFAULT_CALL_TIMEOUT_MS',
  'DEFAULT_COMPACT_AFTER_RECORDS',
  'DEFAULT_COMPRESSION',
  'DEFAULT_COMPRESSION_THRESHOLD_BYTES',
  'DEFAULT_DUPLICATE_IDENTITY',
  'DEFAULT_HANDSHAKE_TIMEOUT_MS',
  'DEFAULT_LISTEN_BACKLOG',
  'DEFAULT_MAX_BAD_MESSAGES',
  'DEFAULT_MAX_BUFFERED_BYTES',
  'DEFAULT_MAX_INBOUND_CALLS',
  'DEFAULT_MAX_JSON_DEPTH',
  'DEFAULT_MAX_PAYLOAD_BYTES',
  'DEFAULT_MAX_QUEUED_CALLS',
  'DEFAULT_PING_INTERVAL_MS',
  'DEFAULT_PROTOCOLS',
  'DEFAULT_READ_PAUSE_BUFFERED_BYTES',
  'DEFAULT_SECURITY_PROFILE',
  'FileQueueStore',
  'FormatViolationError',
  'GenericError',
  'HandshakeError',
  'INTERNAL_ERROR_DESCRIPTION',
  'InternalError',
  'ListenError',
  'LocalStationRegistry',
  'MAX_CALL_TIMEOUT_MS',
  'MAX_MESSAGE_ID_LENGTH',
  'MemoryCluster',
  'MemoryQueueStore',
  'MessageType',
  'MessageTypeNotSupportedError',
  'NetworkError',
  'NotConnectedError',
  'NotImplementedError',
  'NotRegisteredError',
  'NotSupportedError',
  'OCPP16_ACTIONS',
  'OCPP16_RULES',
  'OCPP201_ACTIONS',
  'OCPP201_RULES',
  'OCPP21_ACTIONS',
  'OCPP21_RULES',
  'OCPP_PROTOCOLS',
  'OccurrenceConstraintViolationError',
  'PropertyConstraintViolationError',
  'ProtocolError',
  'QueueFullError',
  'QueueJournalError',
  'RPC_ERROR_CLASSES',
  'RPC_ERROR_CODES',
  'RemoteCallError',
  'RemoteStation',
  'RpcEndpoint',
  'RpcError',
  'RpcFrameworkError',
  'SecurityError',
  'Station',
  'StationNotConnectedError',
  'SubprotocolError',
  'TimeoutError',
  'TlsError',
  'TypeConstraintViolationError',
  'ValidationError',
  'actionSender',
  'backoffDelay',
  'basicAuthHeader',
  'canSend',
  'createMemoryTransportPair',
  'createPayloadValidator',
  'createRpcError',
  'isKnownAction',
  'isRpcErrorCode',
  'isValidMessageId',
  'parseBasicAuth',
  'parseFrame',
  'rulesFor',
  'safeEqual',
  'serializeFrame',
  'validatePayload',
] as const;

/** Code-unit order, the same as Array.prototype.sort without a comparator. */
function sorted(names: Iterable<string>): string[] {
  return [...names].sort();
}

describe('public exports of src/index.ts', () => {
  test('the pinned list is itself sorted and free of repeats', () => {
    assert.deepEqual([...EXPORTS], sorted(new Set(EXPORTS)));
  });

  test('the runtime export names are exactly the pinned list', () => {
    // `default` and `__esModule` are interop artefacts of the CommonJS test build, not exports.
    const actual = sorted(Object.keys(api).filter((name) => name !== 'default' && name !== '__esModule'));
    assert.deepEqual(actual, [...EXPORTS]);
  });

  test('every export is defined (no re-export of a name the module does not have)', () => {
    const record = api as unknown as Record<string, unknown>;
    const missing = EXPORTS.filter((name) => record[name] === undefined);
    assert.deepEqual(missing, []);
  });

  test('importing src/index.ts does not load ajv (the validators are precompiled)', { timeout: 30_000 }, () => {
    // A fresh process, so that nothing this test runner loaded counts. Every module request is
    // recorded through the resolver (a require of ajv would show there even if it failed), and
    // every loaded file is listed from require.cache.
    const script = `
      const Module = require('node:module');
      const requested = new Set();
      const resolve = Module._resolveFilename;
      Module._resolveFilename = function (request, ...rest) {
        requested.add(request);
        return resolve.call(this, request, ...rest);
      };
      const api = require('./src/index.ts');
      const validation = require('./src/ocpp/validation.ts');
      // Use a validator, so that lazily required dependencies would be loaded too.
      const check = validation.validatePayload('ocpp2.0.1', 'BootNotification', 'request', { reason: 'PowerUp', chargingStation: { model: 'M', vendorName: 'V' } });
      const check16 = validation.validatePayload('ocpp1.6', 'Authorize', 'request', { idTag: 'x'.repeat(21) });
      process.stdout.write(JSON.stringify({
        exports: Object.keys(api).length,
        check, check16,
        requested: [...requested],
        loaded: Object.keys(require.cache),
      }));
    `;
    const child = spawnSync(process.execPath, ['--import', 'tsx', '-e', script], { cwd: ROOT, encoding: 'utf8', timeout: 25_000 });
    assert.equal(child.status, 0, `child failed: ${child.stderr}`);
    const report = JSON.parse(child.stdout) as {
      exports: number;
      check: { ok: boolean };
      check16: { ok: boolean; code: string };
      requested: string[];
      loaded: string[];
    };
    assert.equal(report.exports, EXPORTS.length);
    // The validators did run (so the check below is about a working module graph).
    assert.equal(report.check.ok, true);
    assert.deepEqual({ ok: report.check16.ok, code: report.check16.code }, { ok: false, code: 'PropertyConstraintViolation' });

    const isAjv = (p: string): boolean => /(^|[\\/])ajv([\\/-]|$)/.test(p) || /node_modules[\\/]ajv/.test(p);
    assert.deepEqual(report.requested.filter(isAjv), [], 'ajv was required');
    assert.deepEqual(report.loaded.filter(isAjv), [], 'an ajv file was loaded');
    // What the runtime does load from node_modules, besides the test loader itself.
    const thirdParty = new Set(
      report.loaded
        .map((p) => /node_modules[\\/]((?:@[^\\/]+[\\/])?[^\\/]+)/.exec(p)?.[1])
        .filter((name): name is string => name !== undefined && name !== 'tsx' && name !== 'esbuild'),
    );
    assert.deepEqual(sorted(thirdParty), ['eventemitter3', 'isomorphic-ws', 'ws']);
  });
});
