/**
 * Charge point identities in the connection URL (OCPP-J 1.6 §3.1.1, 2.0.1 Part 4 §3.1.1): the
 * last path segment, percent-encoded. Pure string work, so both the server and the browser-safe
 * client can use it.
 */

/** Why an identity was refused. */
export type IdentityProblem = 'missing' | 'bad-encoding' | 'control-character' | 'path-separator' | 'dot-segment' | 'too-long' | 'colon';

/** The outcome of {@link checkIdentity} and {@link identityFromPath}. */
export type IdentityResult = { ok: true; identity: string } | { ok: false; problem: IdentityProblem; detail: string };

/** OCPP 2.x identities are identifierString[48] (Part 4 §3.1.1 with the 2023-12 errata). */
export const MAX_IDENTITY_LENGTH_2X = 48;

// Control characters have no place in an identity and would poison logs (checklist of issue 7).
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f]/;

/**
 * Checks a decoded identity. 2.x (`strict2x`) also refuses ':' (the identity is the Basic-auth
 * username) and more than 48 characters. Every version refuses empty identities, control
 * characters, '/' and dot segments, which no charger needs and which path-based routing or
 * file-based stores could misread.
 */
export function checkIdentity(identity: string, strict2x: boolean): IdentityResult {
  if (identity.length === 0) return { ok: false, problem: 'missing', detail: 'the identity is empty' };
  if (CONTROL.test(identity)) return { ok: false, problem: 'control-character', detail: 'the identity contains a control character' };
  if (identity.includes('/') || identity.includes('\\')) {
    return { ok: false, problem: 'path-separator', detail: 'the identity contains a path separator' };
  }
  if (identity === '.' || identity === '..') return { ok: false, problem: 'dot-segment', detail: 'the identity is a dot segment' };
  if (strict2x) {
    if (identity.length > MAX_IDENTITY_LENGTH_2X) {
      return { ok: false, problem: 'too-long', detail: `the identity has ${identity.length} characters, OCPP 2.x allows ${MAX_IDENTITY_LENGTH_2X}` };
    }
    if (identity.includes(':')) return { ok: false, problem: 'colon', detail: "the identity contains ':', which OCPP 2.x forbids" };
  }
  return { ok: true, identity };
}

/**
 * Takes the identity from a request path (query string already removed), percent-decoded and
 * checked (checklist item 34).
 *
 * With a `prefix` (e.g. `/ocpp`) the path must be `prefix/<identity>`, exactly one segment after
 * the prefix; any other path gives `undefined` (not ours). Without one, every path is ours and its
 * last segment is the identity, as chargers configured with `ws://host/ocpp/CP001` expect.
 */
export function identityFromPath(pathname: string, prefix: string | undefined, strict2x: boolean): IdentityResult | undefined {
  let raw: string;
  if (prefix === undefined) {
    raw = pathname.slice(pathname.lastIndexOf('/') + 1);
    if (raw.length === 0) return { ok: false, problem: 'missing', detail: 'no identity at the end of the path' };
  } else {
    const base = prefix.endsWith('/') ? prefix : `${prefix}/`;
    if (!pathname.startsWith(base)) return undefined;
    raw = pathname.slice(base.length);
    if (raw.length === 0) return { ok: false, problem: 'missing', detail: 'no identity after the path prefix' };
    if (raw.includes('/')) return { ok: false, problem: 'path-separator', detail: 'more than one path segment after the prefix' };
  }
  let decoded: string;
  try {
    decoded = decodeURIComponent(raw);
  } catch {
    return { ok: false, problem: 'bad-encoding', detail: 'the identity is not valid percent-encoding' };
  }
  return checkIdentity(decoded, strict2x);
}

/**
 * Whether a request path is for an endpoint at `prefix`: `prefix/<one segment>` (the segment may
 * be empty or invalid: that is still ours to refuse). Without a prefix every path is. A server
 * sharing its HTTP server leaves every other path to the other endpoints (`/ocpp/v2/CS1` is not
 * for `/ocpp`).
 */
export function isForPath(pathname: string, prefix: string | undefined): boolean {
  if (prefix === undefined) return true;
  const base = prefix.endsWith('/') ? prefix : `${prefix}/`;
  return pathname.startsWith(base) && pathname.indexOf('/', base.length) < 0;
}

/** Builds `endpoint/identity` with the identity percent-encoded (checklist item 34). */
export function connectionUrl(endpoint: string, identity: string): string {
  return `${endpoint.endsWith('/') ? endpoint.slice(0, -1) : endpoint}/${encodeURIComponent(identity)}`;
}
