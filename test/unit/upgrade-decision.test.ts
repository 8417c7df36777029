/**
 * The upgrade decision as a pure function: request facts and resolved options in, a verdict out.
 * No socket, no server: every rule of who may connect is checked here on its own.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { resolveCentralSystemOptions, type CentralSystemOptions } from '../../src/server/options';
import { decideUpgrade, type UpgradeDecision, type UpgradeRequestFacts } from '../../src/server/upgrade-decision';
import type { OcppVersion } from '../../src/ocpp/version';

const basic = (user: string, password: string): string => `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;

function facts(over: Partial<UpgradeRequestFacts> = {}): UpgradeRequestFacts {
  return {
    url: '/ocpp/CP001',
    offeredProtocols: ['ocpp1.6'],
    authorization: undefined,
    secure: false,
    certificate: undefined,
    certificateAuthorized: false,
    remoteAddress: '127.0.0.1',
    headers: {},
    ...over,
  };
}

function decide(f: Partial<UpgradeRequestFacts>, options: CentralSystemOptions = {}, connected: string[] = []) {
  return decideUpgrade(facts(f), resolveCentralSystemOptions(options), (id) => connected.includes(id));
}

function sync<V extends OcppVersion>(verdict: UpgradeDecision<V> | Promise<UpgradeDecision<V>>): UpgradeDecision<V> {
  assert.ok(!(verdict instanceof Promise), 'decided synchronously');
  return verdict;
}

function refused(verdict: UpgradeDecision<OcppVersion>): { status: number; reason: string; message: string } {
  assert.equal(verdict.accept, false, 'refused');
  if (verdict.accept) throw new Error('unreachable');
  return { status: verdict.status, reason: verdict.reason, message: verdict.message };
}

describe('upgrade decision - path and identity', () => {
  test('without path, the last segment of any path is the identity', () => {
    for (const url of ['/ocpp/CP001', '/CP001', '/a/b/CP001', '/a/b/CP001?x=1']) {
      const v = sync(decide({ url }));
      assert.ok(v.accept, url);
      assert.equal(v.accept && v.data.identity, 'CP001', url);
    }
  });

  test('without path, the last segment is percent-decoded and checked as before', () => {
    const v = sync(decide({ url: '/ocpp/CP%20001' }));
    assert.equal(v.accept && v.data.identity, 'CP 001');
    assert.deepEqual(refused(sync(decide({ url: '/ocpp/a%2Fb' }))), { status: 400, reason: 'bad-identity', message: 'the identity contains a path separator' });
    assert.equal(refused(sync(decide({ url: '/ocpp/%E0%A4%A' }))).status, 400);
    assert.equal(refused(sync(decide({ url: '/ocpp/' }))).status, 404);
  });

  test('with path, only <path>/<identity> is served; another path is 404 naming it', () => {
    const v = sync(decide({ url: '/ocpp/CP001' }, { path: '/ocpp' }));
    assert.equal(v.accept && v.data.identity, 'CP001');
    assert.deepEqual(refused(sync(decide({ url: '/other/CP001' }, { path: '/ocpp' }))), {
      status: 404,
      reason: 'not-found',
      message: 'no OCPP endpoint at /other/CP001',
    });
    assert.equal(refused(sync(decide({ url: '/ocpp/a/CP001' }, { path: '/ocpp' }))).status, 400);
  });

  test('2.0.1 identities follow the 2.x rules (colon refused), 1.6 ones do not', () => {
    assert.equal(refused(sync(decide({ url: '/ocpp/CP:1', offeredProtocols: ['ocpp2.0.1'] }))).reason, 'bad-identity');
    assert.ok(sync(decide({ url: '/ocpp/CP:1', offeredProtocols: ['ocpp1.6'] })).accept);
  });
});

describe('upgrade decision - security profile and Basic auth', () => {
  test('profile 2 and 3 refuse plain connections with 403 insecure', () => {
    assert.deepEqual(refused(sync(decide({}, { securityProfile: 2 }))), { status: 403, reason: 'insecure', message: 'security profile 2 requires TLS' });
    assert.equal(refused(sync(decide({ secure: true }, { securityProfile: 3 }))).reason, 'insecure');
    assert.ok(sync(decide({ secure: true, certificateAuthorized: true }, { securityProfile: 3 })).accept);
  });

  test('profile 1 without credentials is 401 no-credentials with a Basic challenge', () => {
    const v = sync(decide({}, { securityProfile: 1 }));
    assert.equal(refused(v).reason, 'no-credentials');
    assert.match(String(!v.accept && v.headers?.['WWW-Authenticate']), /^Basic /);
  });

  test('a malformed header or a username other than the identity is 401 bad-credentials', () => {
    assert.equal(refused(sync(decide({ authorization: 'Bearer x' }))).reason, 'bad-credentials');
    assert.equal(refused(sync(decide({ authorization: basic('CP999', 'pw') }))).message, 'the Basic-auth username must equal the identity');
    assert.ok(sync(decide({ authorization: basic('CP001', 'pw') }, { securityProfile: 1 })).accept);
  });
});

describe('upgrade decision - subprotocol and duplicates', () => {
  test('the server picks the first of its protocols the client offers', () => {
    const v = sync(decide({ offeredProtocols: ['ocpp1.6', 'ocpp2.0.1'] }, { protocols: ['ocpp2.0.1', 'ocpp1.6'] }));
    assert.equal(v.accept && v.protocol, 'ocpp2.0.1');
  });

  test('no served subprotocol is accepted without one (closed after the handshake), after the profile checks', () => {
    const v = sync(decide({ offeredProtocols: ['ocpp2.1'] }));
    assert.ok(v.accept);
    assert.equal(v.accept && v.protocol, undefined);
    assert.equal(refused(sync(decide({ offeredProtocols: [] }, { securityProfile: 1 }))).reason, 'no-credentials');
  });

  test('authentication comes before the subprotocol rule: the hook runs without a protocol, and its refusal wins', async () => {
    const seen: (string | undefined)[] = [];
    const hook = (r: { protocol: string | undefined; credentials?: { password: string } }) => (seen.push(r.protocol), r.credentials?.password === 'right');
    const wrong = await decide({ offeredProtocols: ['ocpp2.1'], authorization: basic('CP001', 'wrong') }, { securityProfile: 1, authenticate: hook });
    assert.deepEqual(refused(wrong), { status: 401, reason: 'unauthorized', message: 'not authorized' });
    const right = await decide({ offeredProtocols: [], authorization: basic('CP001', 'right') }, { securityProfile: 1, authenticate: hook });
    assert.ok(right.accept, 'an authenticated client gets the no-subprotocol handshake');
    assert.equal(right.accept && right.protocol, undefined);
    assert.deepEqual(seen, [undefined, undefined], 'the hook saw no protocol both times');
  });

  test('without a usable subprotocol, bootGating.isAccepted is not asked (there will be no station)', async () => {
    let asked = 0;
    const v = await decide({ offeredProtocols: ['ocpp2.1'] }, { bootGating: { isAccepted: () => (asked++, true) } });
    assert.ok(v.accept);
    assert.equal(v.accept && v.data.bootStatus, undefined);
    assert.equal(asked, 0);
  });

  test("duplicateIdentity 'refuse' refuses a connected identity with 409; 'replace' accepts it", () => {
    assert.deepEqual(refused(sync(decide({}, { duplicateIdentity: 'refuse' }, ['CP001']))), {
      status: 409,
      reason: 'duplicate-identity',
      message: 'CP001 is already connected',
    });
    assert.ok(sync(decide({}, { duplicateIdentity: 'replace' }, ['CP001'])).accept);
  });

  test("duplicateIdentity 'refuse' tells whether an identity is connected only to a client the hook accepted", async () => {
    const options: CentralSystemOptions = { duplicateIdentity: 'refuse', authenticate: (r) => r.credentials?.password === 'right' };
    assert.equal(refused(await decide({ authorization: basic('CP001', 'wrong') }, options, ['CP001'])).reason, 'unauthorized');
    assert.equal(refused(await decide({ authorization: basic('CP001', 'right') }, options, ['CP001'])).reason, 'duplicate-identity');
  });
});

describe('upgrade decision - authenticate hook and boot status', () => {
  test('without hooks the decision is synchronous', () => {
    assert.ok(!(decide({}) instanceof Promise));
  });

  test('the hook is told the facts and its data is carried to the station', async () => {
    const seen: unknown[] = [];
    const v = await decide({ authorization: basic('CP001', 'pw') }, { authenticate: (r) => (seen.push(r), { accept: true, data: { tenant: 7 } }) });
    assert.equal(v.accept && (v.data.data as { tenant: number }).tenant, 7);
    const r = seen[0] as { identity: string; protocol: string; credentials: { password: string }; url: string };
    assert.deepEqual([r.identity, r.protocol, r.credentials.password, r.url], ['CP001', 'ocpp1.6', 'pw', '/ocpp/CP001']);
  });

  test('false is 401 unauthorized; a refusal object gives its status and message', async () => {
    assert.deepEqual(refused(await decide({}, { authenticate: () => false })), { status: 401, reason: 'unauthorized', message: 'not authorized' });
    assert.deepEqual(refused(await decide({}, { authenticate: () => ({ accept: false, status: 403, message: 'unknown charger' }) })), {
      status: 403,
      reason: 'unauthorized',
      message: 'unknown charger',
    });
  });

  test('a refusal status outside 400-599 or a non-boolean answer rejects (the server answers 500)', async () => {
    await assert.rejects(Promise.resolve(decide({}, { authenticate: () => ({ accept: false, status: 200 }) })), /400-599/);
    await assert.rejects(Promise.resolve(decide({}, { authenticate: () => 'yes' as unknown as boolean })), /boolean/);
  });

  test('the hook does not run for a refused profile check', () => {
    let calls = 0;
    const v = decide({}, { securityProfile: 1, authenticate: () => (calls++, true) });
    assert.equal(refused(sync(v)).reason, 'no-credentials');
    assert.equal(calls, 0);
  });

  test('bootGating.isAccepted marks a known station Accepted', async () => {
    const v = await decide({}, { bootGating: { isAccepted: ({ identity }) => identity === 'CP001' } });
    assert.equal(v.accept && v.data.bootStatus, 'Accepted');
    const w = await decide({ url: '/ocpp/CP002' }, { bootGating: { isAccepted: ({ identity }) => identity === 'CP001' } });
    assert.equal(w.accept && w.data.bootStatus, undefined);
  });
});
