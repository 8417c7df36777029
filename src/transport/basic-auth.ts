/**
 * HTTP Basic authentication as OCPP security profiles 1 and 2 use it (checklist items 50-53).
 * Browser-safe: no Buffer, only `btoa`/`atob` and TextEncoder/TextDecoder.
 */

/** Credentials taken from an `Authorization: Basic ...` header. */
export interface BasicCredentials {
  /** The username: OCPP requires it to equal the identity in the URL (A00.FR.204). */
  username: string;
  /**
   * The password as raw bytes. OCPP 1.6 `AuthorizationKey` peers differ on whether they send the
   * 20 raw key bytes or the 40-digit hex string, so a server may need to compare either form.
   */
  passwordBytes: Uint8Array;
  /** The password decoded as UTF-8 (OCPP 2.0.1 `BasicAuthPassword` is plain text). */
  password: string;
}

const encoder = /* @__PURE__ */ new TextEncoder();
const decoder = /* @__PURE__ */ new TextDecoder();

function bytesToBinary(bytes: Uint8Array): string {
  let s = '';
  for (let i = 0; i < bytes.length; i++) s += String.fromCharCode(bytes[i]);
  return s;
}

/**
 * Builds the value of an `Authorization` header. A string password is sent as UTF-8; a
 * Uint8Array is sent as those exact bytes (1.6 binary AuthorizationKey).
 */
export function basicAuthHeader(username: string, password: string | Uint8Array): string {
  const user = encoder.encode(`${username}:`);
  const pass = typeof password === 'string' ? encoder.encode(password) : password;
  const all = new Uint8Array(user.length + pass.length);
  all.set(user, 0);
  all.set(pass, user.length);
  return `Basic ${btoa(bytesToBinary(all))}`;
}

/**
 * Parses an `Authorization` header value; undefined when it is absent or not well-formed Basic.
 * The username ends at the first ':' (RFC 7617), so a password may itself contain ':'. An OCPP
 * 1.6 identity may contain ':' too (MAC-address style), so when the caller passes the expected
 * `username` and the credentials start with it and a ':', they are split there instead.
 */
export function parseBasicAuth(header: string | undefined, username?: string): BasicCredentials | undefined {
  if (!header) return undefined;
  const match = /^Basic\s+([A-Za-z0-9+/]+={0,2})\s*$/i.exec(header);
  if (!match) return undefined;
  let binary: string;
  try {
    binary = atob(match[1]);
  } catch {
    return undefined;
  }
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  const expected = username?.includes(':') ? encoder.encode(`${username}:`) : undefined;
  const prefixed = expected !== undefined && expected.length <= bytes.length && expected.every((b, i) => bytes[i] === b);
  const colon = prefixed ? expected.length - 1 : bytes.indexOf(0x3a);
  if (colon < 0) return undefined;
  const passwordBytes = bytes.slice(colon + 1);
  return {
    username: decoder.decode(bytes.subarray(0, colon)),
    passwordBytes,
    password: decoder.decode(passwordBytes),
  };
}

/**
 * Compares two secrets in time that depends only on their lengths, never on where they first
 * differ, so a remote attacker cannot guess a password byte by byte from response times.
 * Strings are compared as UTF-8 bytes.
 */
export function safeEqual(a: string | Uint8Array, b: string | Uint8Array): boolean {
  const x = typeof a === 'string' ? encoder.encode(a) : a;
  const y = typeof b === 'string' ? encoder.encode(b) : b;
  // Always walk the expected secret's full length so a length mismatch costs the same time.
  let diff = x.length ^ y.length;
  for (let i = 0; i < y.length; i++) diff |= (x[i % (x.length || 1)] ?? 0) ^ y[i];
  return diff === 0;
}
