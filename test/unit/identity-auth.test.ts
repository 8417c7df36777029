import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { checkIdentity, connectionUrl, identityFromPath, isForPath, MAX_IDENTITY_LENGTH_2X } from '../../src/ocpp/identity';
import { basicAuthHeader, parseBasicAuth, safeEqual } from '../../src/transport/basic-auth';

/** The problem reported for `path` below `/ocpp`, or 'ok:<identity>'. */
function outcome(path: string, strict2x = true): string {
  const r = identityFromPath(path, '/ocpp', strict2x);
  if (r === undefined) return 'outside';
  return r.ok ? `ok:${r.identity}` : r.problem;
}

describe('connectionUrl / identityFromPath (checklist item 34)', () => {
  test('item 34 - connectionUrl appends "/" and the percent-encoded identity, with or without a trailing slash', () => {
    assert.equal(connectionUrl('ws://h:1/ocpp', 'CP 001'), 'ws://h:1/ocpp/CP%20001');
    assert.equal(connectionUrl('ws://h:1/ocpp/', 'CP 001'), 'ws://h:1/ocpp/CP%20001');
    assert.equal(connectionUrl('ws://h:1', 'RDAM 123'), 'ws://h:1/RDAM%20123');
    // Everything with a meaning in a URL is encoded, so it cannot change the path or query.
    assert.equal(connectionUrl('ws://h', 'a/b?c#d%e+f'), 'ws://h/a%2Fb%3Fc%23d%25e%2Bf');
  });

  test('item 34 - percent-encoding round-trips through a real URL parser and the server-side decoder', () => {
    const identities = ['CP001', 'CP 001', 'RDAM 123', 'Ladesäule-Ü', 'a%b', 'x+y', 'q?r', 'h#1', '日本-01', 'e\u0301', '😀', 'CP:1'];
    for (const identity of identities) {
      const url = new URL(connectionUrl('ws://127.0.0.1:9000/ocpp', identity));
      const r = identityFromPath(url.pathname, '/ocpp', false);
      assert.deepEqual(r, { ok: true, identity }, `round trip of ${JSON.stringify(identity)} via ${url.pathname}`);
    }
  });

  test('item 34 - the path must be the prefix plus exactly one segment', () => {
    assert.equal(outcome('/ocpp/CP1'), 'ok:CP1');
    assert.equal(outcome('/ocpp'), 'outside');
    assert.equal(outcome('/ocppX/CP1'), 'outside');
    assert.equal(outcome('/other/CP1'), 'outside');
    assert.equal(outcome('/ocpp/'), 'missing');
    assert.equal(outcome('/ocpp/a/b'), 'path-separator');
    assert.equal(outcome('/ocpp//CP1'), 'path-separator');
    // A trailing slash on the prefix means the same thing; '/' serves every single-segment path.
    assert.deepEqual(identityFromPath('/ocpp/CP1', '/ocpp/', true), { ok: true, identity: 'CP1' });
    assert.deepEqual(identityFromPath('/CP1', '/', true), { ok: true, identity: 'CP1' });
    assert.equal(identityFromPath('/ocpp/CP1', '/', true)?.ok, false);
  });

  test('item 34 - encoded separators, dot segments and control characters are refused after decoding', () => {
    assert.equal(outcome('/ocpp/a%2Fb'), 'path-separator');
    assert.equal(outcome('/ocpp/a%2fb'), 'path-separator');
    assert.equal(outcome('/ocpp/a%5Cb'), 'path-separator');
    assert.equal(outcome('/ocpp/..'), 'dot-segment');
    assert.equal(outcome('/ocpp/.'), 'dot-segment');
    assert.equal(outcome('/ocpp/%2E%2E'), 'dot-segment');
    assert.equal(outcome('/ocpp/%2e'), 'dot-segment');
    assert.equal(outcome('/ocpp/...'), 'ok:...');
    assert.equal(outcome('/ocpp/a..b'), 'ok:a..b');
    for (const c of ['%00', '%01', '%09', '%0A', '%0D', '%1B', '%1F', '%7F']) {
      assert.equal(outcome(`/ocpp/CP${c}1`), 'control-character', c);
      assert.equal(outcome(`/ocpp/CP${c}1`, false), 'control-character', `${c} over 1.6`);
    }
    assert.equal(outcome('/ocpp/CP%0D%0AX-Injected:%201'), 'control-character');
  });

  test('item 34 - invalid percent-encoding is refused as bad-encoding', () => {
    for (const bad of ['CP%', 'CP%2', 'CP%ZZ', 'CP%G0', '%E0%A4%A', '%C0%AF', '%ED%A0%80', '%FF']) {
      assert.equal(outcome(`/ocpp/${bad}`), 'bad-encoding', bad);
      assert.equal(outcome(`/ocpp/${bad}`, false), 'bad-encoding', `${bad} over 1.6`);
    }
  });
});

describe('checkIdentity (checklist item 35)', () => {
  test('item 35 - 2.x refuses ":" and more than 48 characters; 48 is fine', () => {
    assert.equal(MAX_IDENTITY_LENGTH_2X, 48);
    assert.deepEqual(checkIdentity('A'.repeat(48), true), { ok: true, identity: 'A'.repeat(48) });
    const long = checkIdentity('A'.repeat(49), true);
    assert.equal(long.ok, false);
    assert.equal(!long.ok && long.problem, 'too-long');
    const colon = checkIdentity('CP:1', true);
    assert.equal(!colon.ok && colon.problem, 'colon');
    assert.equal(outcome('/ocpp/CP%3A1'), 'colon');
    assert.equal(outcome('/ocpp/CP:1'), 'colon');
    assert.equal(outcome(`/ocpp/${'B'.repeat(49)}`), 'too-long');
  });

  test('item 35 - 1.6 has neither rule: ":" and long identities pass', () => {
    assert.deepEqual(checkIdentity('CP:1', false), { ok: true, identity: 'CP:1' });
    assert.deepEqual(checkIdentity('A'.repeat(49), false), { ok: true, identity: 'A'.repeat(49) });
    assert.equal(outcome('/ocpp/CP%3A1', false), 'ok:CP:1');
  });

  test('every version refuses empty identities, separators, dot segments and control characters', () => {
    for (const strict of [true, false]) {
      const problem = (id: string): string | undefined => {
        const r = checkIdentity(id, strict);
        return r.ok ? undefined : r.problem;
      };
      assert.equal(problem(''), 'missing');
      assert.equal(problem('a/b'), 'path-separator');
      assert.equal(problem('a\\b'), 'path-separator');
      assert.equal(problem('.'), 'dot-segment');
      assert.equal(problem('..'), 'dot-segment');
      assert.equal(problem('a\u0000b'), 'control-character');
      assert.equal(problem('a\nb'), 'control-character');
      assert.equal(problem('a\u007fb'), 'control-character');
      assert.equal(problem('CP 001'), undefined);
      const r = checkIdentity('..', strict);
      assert.ok(!r.ok && typeof r.detail === 'string' && r.detail.length > 0, 'a refusal carries a detail');
    }
  });
});

describe('basicAuthHeader / parseBasicAuth (checklist items 50-53)', () => {
  test('item 50 - the header is "Basic " + base64(identity:password), as in RFC 7617', () => {
    assert.equal(basicAuthHeader('CP001', 'secret'), `Basic ${Buffer.from('CP001:secret').toString('base64')}`);
    // The RFC 7617 example.
    assert.equal(basicAuthHeader('Aladdin', 'open sesame'), 'Basic QWxhZGRpbjpvcGVuIHNlc2FtZQ==');
  });

  test('item 53 - a password containing ":" survives: the username ends at the first ":"', () => {
    const c = parseBasicAuth(basicAuthHeader('CP001', 'pa:ss:word:0123456789'));
    assert.ok(c);
    assert.equal(c.username, 'CP001');
    assert.equal(c.password, 'pa:ss:word:0123456789');
  });

  test('item 53 - a 2.0.1 UTF-8 password is sent as UTF-8 bytes and decoded back', () => {
    const password = 'Päßwörd-😀-0123456789';
    const header = basicAuthHeader('CS-01', password);
    assert.equal(header, `Basic ${Buffer.from(`CS-01:${password}`, 'utf8').toString('base64')}`);
    const c = parseBasicAuth(header);
    assert.ok(c);
    assert.equal(c.username, 'CS-01');
    assert.equal(c.password, password);
    assert.deepEqual(Buffer.from(c.passwordBytes), Buffer.from(password, 'utf8'));
    // A UTF-8 username (allowed in 1.6 identities) round-trips too.
    assert.equal(parseBasicAuth(basicAuthHeader('Ladesäule 1', 'x'))?.username, 'Ladesäule 1');
  });

  test('item 53 - a raw 20-byte 1.6 AuthorizationKey is sent and parsed byte-exact', () => {
    // Bytes that are not valid UTF-8, a NUL and a ':' inside the key.
    const key = Uint8Array.from([0x00, 0xff, 0x3a, 0x80, 0xc3, 0x28, 0x7f, 0x0a, 0x0d, 0xfe, 0x01, 0x3a, 0x3a, 0xa0, 0xa1, 0xe2, 0x82, 0x10, 0x20, 0x99]);
    assert.equal(key.length, 20);
    const header = basicAuthHeader('CP001', key);
    assert.equal(header, `Basic ${Buffer.concat([Buffer.from('CP001:'), Buffer.from(key)]).toString('base64')}`);
    const c = parseBasicAuth(header);
    assert.ok(c);
    assert.equal(c.username, 'CP001');
    assert.deepEqual(Buffer.from(c.passwordBytes), Buffer.from(key));
    assert.ok(safeEqual(c.passwordBytes, key));
    // The 40-hex-digit form of the same key is a different password: a server compares the form it expects.
    const hex = Buffer.from(key).toString('hex');
    assert.equal(hex.length, 40);
    assert.equal(parseBasicAuth(basicAuthHeader('CP001', hex))?.password, hex);
    assert.equal(safeEqual(c.passwordBytes, hex), false);
  });

  test('item 51 - with the expected username given, an identity containing ":" (1.6 allows it) is split after it', () => {
    const header = basicAuthHeader('00:11:22:33:44:55', 'pw:x');
    // RFC 7617 alone cannot tell where such a username ends.
    assert.equal(parseBasicAuth(header)?.username, '00');
    const c = parseBasicAuth(header, '00:11:22:33:44:55');
    assert.ok(c);
    assert.equal(c.username, '00:11:22:33:44:55');
    assert.equal(c.password, 'pw:x');
    // Raw key bytes after such a username stay byte-exact.
    const key = Uint8Array.from([0x3a, 0x00, 0xff]);
    assert.deepEqual(Buffer.from(parseBasicAuth(basicAuthHeader('a:b', key), 'a:b')!.passwordBytes), Buffer.from(key));
    // When the header does not start with the expected username, the RFC split applies.
    assert.equal(parseBasicAuth(basicAuthHeader('00:11:22:33:44:66', 'pw'), '00:11:22:33:44:55')?.username, '00');
    // A username without ':' is unaffected by the hint.
    assert.deepEqual(parseBasicAuth(basicAuthHeader('CP1', 'a:b'), 'CP1'), parseBasicAuth(basicAuthHeader('CP1', 'a:b')));
    assert.equal(parseBasicAuth(basicAuthHeader('CP1', 'a:b'), 'CP1:a')?.username, 'CP1:a');
  });

  test('empty password and empty username are parsed, not refused (the server decides)', () => {
    assert.deepEqual(
      { ...parseBasicAuth(basicAuthHeader('CP001', '')), passwordBytes: undefined },
      { username: 'CP001', password: '', passwordBytes: undefined },
    );
    assert.equal(parseBasicAuth(`Basic ${Buffer.from(':pw').toString('base64')}`)?.username, '');
  });

  test('the scheme is case-insensitive and surrounding whitespace is tolerated', () => {
    const token = Buffer.from('CP001:pw').toString('base64');
    assert.equal(parseBasicAuth(`basic ${token}`)?.password, 'pw');
    assert.equal(parseBasicAuth(`BASIC   ${token}  `)?.password, 'pw');
    // Unpadded base64 is accepted too.
    assert.equal(parseBasicAuth(`Basic ${token.replace(/=+$/, '')}`)?.password, 'pw');
  });

  test('items 51/52 - malformed headers return undefined, never throw', () => {
    const b64 = (s: string): string => Buffer.from(s).toString('base64');
    const bad = [
      undefined,
      '',
      'Basic',
      'Basic ',
      `Bearer ${b64('CP001:pw')}`,
      `Digest ${b64('CP001:pw')}`,
      `Basic ${b64('no-colon-here')}`,
      'Basic !!!!',
      'Basic a',
      'Basic ab=c',
      'Basic abc===',
      `Basic ${b64('CP001:pw')} extra`,
      `Basic${b64('CP001:pw')}`,
      `Basic ${b64('CP001:pw')}\r\nX: y`,
    ];
    for (const header of bad) {
      assert.doesNotThrow(() => parseBasicAuth(header), String(header));
      assert.equal(parseBasicAuth(header), undefined, JSON.stringify(header));
    }
  });
});

describe('safeEqual', () => {
  test('equal strings and equal bytes are equal', () => {
    assert.equal(safeEqual('secret-password-01', 'secret-password-01'), true);
    assert.equal(safeEqual(new Uint8Array([1, 2, 3]), new Uint8Array([1, 2, 3])), true);
    assert.equal(safeEqual('', ''), true);
    assert.equal(safeEqual(new Uint8Array(0), ''), true);
  });

  test('unequal secrets of the same length differ, wherever the difference is', () => {
    assert.equal(safeEqual('secret-password-01', 'secret-password-02'), false);
    assert.equal(safeEqual('Xecret-password-01', 'secret-password-01'), false);
    assert.equal(safeEqual(new Uint8Array([1, 2, 3]), new Uint8Array([1, 2, 4])), false);
    assert.equal(safeEqual(new Uint8Array([0x80]), new Uint8Array([0x00])), false);
  });

  test('different lengths are never equal, including prefixes, empties and repetitions', () => {
    assert.equal(safeEqual('secret', 'secret-password'), false);
    assert.equal(safeEqual('secret-password', 'secret'), false);
    assert.equal(safeEqual('', 'x'), false);
    assert.equal(safeEqual('x', ''), false);
    // The shorter input is read cyclically internally: a repetition of it must still not match.
    assert.equal(safeEqual('ab', 'abab'), false);
    assert.equal(safeEqual('abab', 'ab'), false);
    assert.equal(safeEqual(new Uint8Array(0), new Uint8Array([0])), false);
    assert.equal(safeEqual(new Uint8Array([0]), new Uint8Array(0)), false);
    // Lengths whose XOR has high bits only.
    assert.equal(safeEqual('a'.repeat(256), 'a'.repeat(512)), false);
  });

  test('strings are compared as UTF-8 bytes, so bytes and strings can be mixed', () => {
    assert.equal(safeEqual('pä', Uint8Array.from([0x70, 0xc3, 0xa4])), true);
    assert.equal(safeEqual(Uint8Array.from([0x70, 0xc3, 0xa4]), 'pä'), true);
    // Latin-1 bytes of 'pä' are not its UTF-8 bytes.
    assert.equal(safeEqual('pä', Uint8Array.from([0x70, 0xe4])), false);
    // Composed vs decomposed forms are different bytes (no normalisation).
    assert.equal(safeEqual('\u00e9', 'e\u0301'), false);
  });
});

describe('identityFromPath without a prefix (issue 11 item 3)', () => {
  test('any path is served and its last segment, percent-decoded, is the identity', () => {
    for (const path of ['/ocpp/CP001', '/CP001', '/a/b/CP001', '/ocpp//CP001']) {
      assert.deepEqual(identityFromPath(path, undefined, true), { ok: true, identity: 'CP001' }, path);
    }
    assert.deepEqual(identityFromPath('/ocpp/CP%20001', undefined, false), { ok: true, identity: 'CP 001' });
  });

  test('the last segment is checked as with a prefix', () => {
    assert.equal(identityFromPath('/ocpp/', undefined, true)?.ok, false);
    assert.deepEqual(identityFromPath('/', undefined, true), { ok: false, problem: 'missing', detail: 'no identity at the end of the path' });
    const problem = (path: string, strict2x = true): string | undefined => {
      const r = identityFromPath(path, undefined, strict2x);
      return r?.ok === false ? r.problem : undefined;
    };
    assert.equal(problem('/ocpp/a%2Fb'), 'path-separator');
    assert.equal(problem('/ocpp/..'), 'dot-segment');
    assert.equal(problem('/ocpp/%ZZ'), 'bad-encoding');
    assert.equal(problem('/ocpp/CP:1'), 'colon');
    assert.equal(problem('/ocpp/CP:1', false), undefined);
  });
});

describe('isForPath: which upgrades an attached server leaves alone (issue 12 item 4)', () => {
  test('with a prefix, only <prefix>/<one segment> is ours', () => {
    assert.equal(isForPath('/ocpp/CP1', '/ocpp'), true);
    assert.equal(isForPath('/ocpp/', '/ocpp'), true, 'an empty identity is ours to refuse');
    assert.equal(isForPath('/ocpp/v2/CS1', '/ocpp'), false, 'another endpoint below ours');
    assert.equal(isForPath('/ocpp/v2/CS1', '/ocpp/v2'), true);
    assert.equal(isForPath('/ocppx/CP1', '/ocpp'), false);
    assert.equal(isForPath('/live', '/ocpp'), false);
  });

  test('without a prefix every path is ours', () => {
    assert.equal(isForPath('/live', undefined), true);
    assert.equal(isForPath('/a/b/c', undefined), true);
  });
});
