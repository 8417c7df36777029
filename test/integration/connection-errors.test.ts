/**
 * A ChargePoint that cannot connect says why, with a typed error carrying the facts (issue 11
 * item 5): the server's HTTP status and reason for a refused upgrade, the subprotocols offered and
 * selected, the socket error code of an unreachable server, the TLS error of an untrusted
 * certificate. Each failure is produced for real on 127.0.0.1.
 */
import assert from 'node:assert/strict';
import { createServer, type AddressInfo } from 'node:net';
import { describe, test, type TestContext } from 'node:test';
import { WebSocketServer } from 'ws';
import { CentralSystem, ChargePoint, NotConnectedError, type ChargePointOptions, type ListenOptions, type OcppVersion } from '../../src/index';
import type { CentralSystemOptions } from '../../src/central-system';
import { ConnectionError, HandshakeError, NetworkError, SubprotocolError, TlsError } from '../../src/transport/connection-errors';
import { opensslPath, testPki } from '../support/certs';

async function serve<V extends OcppVersion>(
  t: TestContext,
  options: CentralSystemOptions<V>,
  listen: Partial<ListenOptions> = {},
): Promise<{ cs: CentralSystem<V>; url: string }> {
  const cs = new CentralSystem<V>({ path: '/ocpp', pingIntervalMs: 0, ...options });
  t.after(() => cs.close());
  const address = await cs.listen({ port: 0, host: '127.0.0.1', ...listen });
  return { cs, url: `${listen.tls ? 'wss' : 'ws'}://127.0.0.1:${address.port}/ocpp` };
}

function chargePoint<V extends OcppVersion>(t: TestContext, options: ChargePointOptions<V>): ChargePoint<V> {
  const cp = new ChargePoint<V>({ reconnect: false, pingIntervalMs: 0, handshakeTimeoutMs: 3000, ...options });
  t.after(() => cp.close());
  return cp;
}

/** The rejection of `promise`; fails when it resolves. */
async function rejection(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  assert.fail('expected a rejection');
}

/** A port that was just free: bound, then closed. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

describe('connect() rejects with a typed ConnectionError', () => {
  test("401: HandshakeError with the status, the server's reason from the body, the URL and the protocols offered", async (t) => {
    const s = await serve(t, { protocols: ['ocpp1.6'], securityProfile: 1, authenticate: () => true });
    const cp = chargePoint(t, { url: s.url, identity: 'CP401', protocol: 'ocpp1.6' });
    const error = await rejection(cp.connect());
    assert.ok(error instanceof HandshakeError, `got ${String(error)}`);
    assert.ok(error instanceof ConnectionError);
    assert.equal(error.name, 'HandshakeError');
    assert.equal(error.statusCode, 401);
    assert.equal(error.statusText, 'Unauthorized');
    assert.equal(error.reason, 'security profile 1 requires Basic authentication');
    assert.equal(error.url, `${s.url}/CP401`);
    assert.deepEqual(error.protocols, ['ocpp1.6']);
    assert.match(error.message, /HTTP 401 Unauthorized: security profile 1 requires Basic authentication/);
    assert.equal(cp.state, 'idle');
  });

  test('404 for a wrong path: HandshakeError whose reason names the path', async (t) => {
    const s = await serve(t, { protocols: ['ocpp2.0.1'] });
    const url = s.url.replace(/\/ocpp$/, '/elsewhere');
    const cp = chargePoint(t, { url, identity: 'CS404', protocol: 'ocpp2.0.1' });
    const error = await rejection(cp.connect());
    assert.ok(error instanceof HandshakeError, `got ${String(error)}`);
    assert.equal(error.statusCode, 404);
    assert.match(error.reason, /\/elsewhere/);
    assert.equal(error.url, `${url}/CS404`);
  });

  test('no subprotocol served: the CentralSystem speaks only 2.0.1, the client offers 1.6', async (t) => {
    const s = await serve(t, { protocols: ['ocpp2.0.1'] });
    const cp = chargePoint(t, { url: s.url, identity: 'CP-OLD', protocol: 'ocpp1.6' });
    const error = await rejection(cp.connect());
    // Today the server completes the upgrade without a subprotocol (then 1002); a server that
    // refuses before the upgrade instead (issue 12 item 9) gives a HandshakeError naming it.
    if (error instanceof SubprotocolError) {
      assert.equal(error.selectedProtocol, '');
      assert.deepEqual(error.protocols, ['ocpp1.6']);
      assert.match(error.message, /selected no subprotocol; offered ocpp1\.6/);
    } else {
      assert.ok(error instanceof HandshakeError, `got ${String(error)}`);
      assert.match(error.reason, /subprotocol/i);
    }
  });

  test('a server that selects no subprotocol, or one not offered: SubprotocolError with offered and selected', async (t) => {
    for (const served of [false, 'ocpp2.0.1'] as const) {
      const wss = new WebSocketServer({ host: '127.0.0.1', port: 0, handleProtocols: () => served });
      await new Promise<void>((resolve) => wss.once('listening', () => resolve()));
      t.after(() => new Promise<void>((resolve) => wss.close(() => resolve())));
      wss.on('connection', (ws) => ws.on('error', () => {}));
      const url = `ws://127.0.0.1:${(wss.address() as AddressInfo).port}/ocpp`;
      const cp = chargePoint(t, { url, identity: 'CP1', protocol: 'ocpp1.6' });
      const error = await rejection(cp.connect());
      assert.ok(error instanceof SubprotocolError, `got ${String(error)}`);
      assert.equal(error.selectedProtocol, served === false ? '' : 'ocpp2.0.1');
      assert.deepEqual(error.protocols, ['ocpp1.6']);
      for (const ws of wss.clients) ws.terminate();
    }
  });

  test("an unreachable server: NetworkError with code ECONNREFUSED, Node's error as cause", async (t) => {
    const port = await closedPort();
    const cp = chargePoint(t, { url: `ws://127.0.0.1:${port}/ocpp`, identity: 'CP1', protocol: 'ocpp1.6' });
    const error = await rejection(cp.connect());
    assert.ok(error instanceof NetworkError, `got ${String(error)}`);
    assert.equal(error.code, 'ECONNREFUSED');
    assert.equal((error.cause as { code?: string }).code, 'ECONNREFUSED');
    assert.match(error.message, new RegExp(`cannot reach ws://127\\.0\\.0\\.1:${port}/ocpp/CP1`));
  });

  test('TLS with a certificate the client does not trust: TlsError with the TLS code', { skip: opensslPath() ? false : 'openssl is missing' }, async (t) => {
    const pki = testPki();
    const s = await serve(t, { protocols: ['ocpp1.6'], securityProfile: 2, authenticate: () => true }, { tls: { key: pki.server.key, cert: pki.server.cert } });
    const cp = chargePoint(t, { url: s.url, identity: 'CP1', protocol: 'ocpp1.6', password: 'a-password-of-16+' });
    const error = await rejection(cp.connect());
    assert.ok(error instanceof TlsError, `got ${String(error)}`);
    assert.match(error.code ?? '', /UNABLE_TO_(GET_ISSUER_CERT_LOCALLY|VERIFY_LEAF_SIGNATURE)|SELF_SIGNED/);
    assert.equal((error.cause as { code?: string }).code, error.code);
    assert.equal(error.url, `${s.url}/CP1`);
    // With the CA trusted, the same server is reached.
    const trusting = chargePoint(t, { url: s.url, identity: 'CP2', protocol: 'ocpp1.6', password: 'a-password-of-16+', tls: { ca: pki.ca } });
    await trusting.connect();
  });
});

describe('after a connection was open', () => {
  test('reconnecting events carry the typed failure, and call() meanwhile rejects with NotConnectedError citing it', async (t) => {
    const s = await serve(t, { protocols: ['ocpp1.6'] });
    const cp = new ChargePoint({
      url: s.url,
      identity: 'CP1',
      protocol: 'ocpp1.6',
      pingIntervalMs: 0,
      reconnect: { waitMinimumMs: 20, randomRangeMs: 0, repeatTimes: 0 },
    });
    t.after(() => cp.close());
    const errors: Array<Error | undefined> = [];
    cp.on('reconnecting', (e) => errors.push(e.error));
    await cp.connect();
    await s.cs.close();
    const until = Date.now() + 5000;
    while (errors.length < 3 && Date.now() < until) await new Promise((r) => setTimeout(r, 10));
    assert.equal(errors[0], undefined, 'the first wait follows the loss itself');
    assert.ok(errors[1] instanceof NetworkError, `got ${String(errors[1])}`);
    assert.equal(errors[1].code, 'ECONNREFUSED');
    const error = await rejection(cp.call('Heartbeat', {}));
    assert.ok(error instanceof NotConnectedError);
    assert.equal(error.action, 'Heartbeat');
    assert.equal(error.state, 'reconnecting');
    assert.ok(error.cause instanceof NetworkError);
  });

  test('NotConnectedError after close names the state; its init object is the one argument', async () => {
    const cp = new ChargePoint({ url: 'ws://127.0.0.1:9/ocpp', identity: 'CP1', protocol: 'ocpp1.6', reconnect: false });
    await cp.close();
    const error = await rejection(cp.call('Heartbeat', {}));
    assert.ok(error instanceof NotConnectedError);
    assert.equal(error.state, 'closed');
    assert.equal(error.message, 'Heartbeat not sent: the charge point is closed');
    const direct = new NotConnectedError({ action: 'Authorize', state: 'connecting', cause: new Error('x') });
    assert.equal(direct.name, 'NotConnectedError');
    assert.equal(direct.message, 'Authorize not sent: the charge point is not connected (connecting)');
    assert.equal((direct.cause as Error).message, 'x');
  });
});
