/**
 * Checklist item 55 on the client: a ChargePoint speaks TLS 1.2 or later unless told otherwise,
 * even in a process whose Node default minimum was lowered. Against a server that offers only
 * TLS 1.1, `connect()` fails with a TlsError.
 */
import assert from 'node:assert/strict';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { after, describe, test, type TestContext } from 'node:test';
import tls from 'node:tls';
import { WebSocketServer } from 'ws';
import { ChargePoint, TlsError } from '../../src/index';
import { opensslPath, testPki } from '../support/certs';

/** OpenSSL 3 refuses TLS 1.1 at its default security level; level 0 lets both ends speak it. */
const WEAK = { ciphers: 'DEFAULT@SECLEVEL=0' };

describe('item 55: the ChargePoint refuses TLS below 1.2', { skip: opensslPath() === undefined ? 'openssl is missing' : false }, () => {
  const pki = opensslPath() === undefined ? undefined : testPki();

  /** A wss server on 127.0.0.1 that speaks ocpp2.0.1 and offers only TLS 1.0 and 1.1. */
  async function tls11Server(t: TestContext): Promise<string> {
    const server = createHttpsServer({ key: pki!.server.key, cert: pki!.server.cert, minVersion: 'TLSv1', maxVersion: 'TLSv1.1', ...WEAK });
    const wss = new WebSocketServer({ server, handleProtocols: () => 'ocpp2.0.1' });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    t.after(
      () =>
        new Promise<void>((resolve) => {
          for (const ws of wss.clients) ws.terminate();
          wss.close();
          server.close(() => resolve());
        }),
    );
    return `wss://127.0.0.1:${(server.address() as AddressInfo).port}`;
  }

  const defaults = tls as unknown as { DEFAULT_MIN_VERSION: string };
  const before = defaults.DEFAULT_MIN_VERSION;
  after(() => {
    defaults.DEFAULT_MIN_VERSION = before;
  });

  test("a TLS 1.1-only server: connect() rejects with a TlsError, although Node's default minimum was lowered and weak ciphers allowed", async (t) => {
    defaults.DEFAULT_MIN_VERSION = 'TLSv1';
    const url = await tls11Server(t);
    // Control: told so explicitly, this client does speak TLS 1.1 with this server; so only the
    // SDK's own minimum stands between the default ChargePoint and TLS 1.1.
    const legacy = new ChargePoint({
      url,
      identity: 'LEGACY',
      protocol: 'ocpp2.0.1',
      reconnect: false,
      pingIntervalMs: 0,
      tls: { ca: pki!.ca, minVersion: 'TLSv1', ...WEAK } as never,
    });
    t.after(() => legacy.close());
    try {
      await legacy.connect();
    } catch (error) {
      t.skip(`this OpenSSL cannot negotiate TLS 1.1 at all (${String(error)}), so there is nothing to refuse`);
      return;
    }
    const cp = new ChargePoint({ url, identity: 'MODERN', protocol: 'ocpp2.0.1', reconnect: false, pingIntervalMs: 0, tls: { ca: pki!.ca, ...WEAK } });
    t.after(() => cp.close());
    const error = await cp.connect().then(
      () => assert.fail('connected over TLS 1.1'),
      (e: unknown) => e,
    );
    assert.ok(error instanceof TlsError, `a TlsError, got ${String(error)}`);
    assert.match(error.message, /protocol version/i, 'the versions did not meet (no other TLS failure)');
    assert.equal(error.url, `${url}/MODERN`);
  });
});
