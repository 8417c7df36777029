/**
 * The upgrade decision: whether a WebSocket upgrade request becomes a station connection, and
 * if not, which HTTP refusal it gets. A pure function of the request's facts and the resolved
 * options (plus the registry's "is this identity connected?"), so every rule is unit-tested
 * without a socket (test/unit/upgrade-decision.test.ts). The order of the checks is the rule:
 * path and identity, security profile, Basic auth, the application's `authenticate` hook, then
 * the subprotocol rule, duplicate identity and the boot-status lookup. Who the client is comes
 * before what it speaks: a client that fails authentication is refused with an HTTP status
 * whatever it offered, and only an authenticated one without a usable subprotocol gets the
 * OCPP-J answer to that (the handshake completed without a subprotocol, then a close), so the
 * refusal a client sees never depends on anything but its credentials until they are accepted.
 */
import type { IncomingMessage } from 'node:http';
import type { PeerCertificate, TLSSocket } from 'node:tls';
import type { BootStatus } from '../ocpp/boot-status';
import { identityFromPath } from '../ocpp/identity';
import type { OcppVersion } from '../ocpp/version';
import { parseBasicAuth, type BasicCredentials } from '../transport/basic-auth';
import type { AcceptVerdict, RefuseVerdict } from '../transport/verdict';
import type { ResolvedCentralSystemOptions } from './options';

/**
 * Why a connection attempt was refused. Most are decided on the upgrade request; some come
 * before it: `bad-handshake` (not a valid WebSocket handshake, or an HTTP request the server
 * could not parse), `handshake-timeout` (the TLS handshake, the request or the decision took
 * longer than `handshakeTimeoutMs`) and `tls-failed` (the TLS handshake failed or was aborted).
 */
export type RefusalReason =
  | 'not-found'
  | 'bad-handshake'
  | 'tls-failed'
  | 'bad-identity'
  | 'no-subprotocol'
  | 'insecure'
  | 'no-credentials'
  | 'bad-credentials'
  | 'duplicate-identity'
  | 'unauthorized'
  | 'handshake-timeout'
  | 'shutting-down'
  | 'internal-error';

/** @internal What an accepted upgrade carries to the new station. */
export interface Admission<V extends OcppVersion> {
  /** Undefined only when `protocol` is (no usable subprotocol: the socket is closed at once). */
  readonly identity: string | undefined;
  /** Undefined: none of the offered subprotocols is served (OCPP-J §3.2). */
  readonly protocol: V | undefined;
  /** What `authenticate` attached. */
  readonly data: unknown;
  /** From `bootGating.isAccepted`. */
  readonly bootStatus: BootStatus | undefined;
}

/** @internal A refusal, with its reason for the `refused` event. */
export type Refusal = RefuseVerdict & { readonly reason: RefusalReason; readonly message: string };

/** @internal The verdict on an upgrade. */
export type UpgradeDecision<V extends OcppVersion> = AcceptVerdict<Admission<V>> | Refusal;

/** @internal What the decision needs to know about an upgrade request. */
export interface UpgradeRequestFacts {
  /** Request URL: path and query. */
  readonly url: string;
  /** The subprotocols the client offered, in its order. */
  readonly offeredProtocols: readonly string[];
  /** The Authorization header, when sent. */
  readonly authorization: string | undefined;
  /** Whether the connection is TLS. */
  readonly secure: boolean;
  /** The client certificate, when one was presented. */
  readonly certificate: PeerCertificate | undefined;
  /** Whether the TLS layer verified it. */
  readonly certificateAuthorized: boolean;
  /** The peer's address. */
  readonly remoteAddress: string | undefined;
  /** The request headers (for `authenticate`). */
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
}

/** A Basic challenge on 401s, so that clients which wait for one send their credentials. */
const BASIC_CHALLENGE = Object.freeze({ 'WWW-Authenticate': 'Basic realm="OCPP", charset="UTF-8"' });

/** @internal Builds a refusal; `challenge` adds the Basic-auth challenge header. */
export function refusal(status: number, reason: RefusalReason, message: string, challenge = false): Refusal {
  return challenge ? { accept: false, status, reason, message, headers: BASIC_CHALLENGE } : { accept: false, status, reason, message };
}

/** @internal The path of a request URL, without its query. */
export function pathOf(url: string): string {
  const q = url.indexOf('?');
  return q < 0 ? url : url.slice(0, q);
}

/** @internal The subprotocols offered by the `Sec-WebSocket-Protocol` header, in order. */
export function offeredProtocols(req: IncomingMessage): string[] {
  const header = req.headers['sec-websocket-protocol'];
  if (typeof header !== 'string') return [];
  return header
    .split(',')
    .map((p) => p.trim())
    .filter((p) => p.length > 0);
}

/** @internal The facts of a Node upgrade request. */
export function factsOf(req: IncomingMessage): UpgradeRequestFacts {
  const tlsSocket = req.socket as Partial<TLSSocket>;
  const secure = tlsSocket.encrypted === true;
  const presented = secure && typeof tlsSocket.getPeerCertificate === 'function' ? tlsSocket.getPeerCertificate() : undefined;
  const certificate = presented !== undefined && presented !== null && Object.keys(presented).length > 0 ? presented : undefined;
  return {
    url: req.url ?? '/',
    offeredProtocols: offeredProtocols(req),
    authorization: req.headers.authorization,
    secure,
    certificate,
    certificateAuthorized: secure && tlsSocket.authorized === true && certificate !== undefined,
    remoteAddress: req.socket.remoteAddress,
    headers: req.headers,
  };
}

/** @internal The identity a request URL names, when it can be read (for refusal events). */
export function identityGuess(url: string, path: string | undefined): string | undefined {
  const parsed = identityFromPath(pathOf(url), path, false);
  return parsed?.ok === true ? parsed.identity : undefined;
}

/**
 * Decides on an upgrade. Synchronous unless an `authenticate` hook or a `bootGating.isAccepted`
 * lookup has to be awaited, so a plain server completes the handshake in the turn the request
 * arrived (no promise, no handshake timer). A throwing hook rejects (the server answers 500).
 *
 * @param isConnected - whether a station is connected under an identity (`duplicateIdentity: 'refuse'`).
 * @internal
 */
export function decideUpgrade<V extends OcppVersion>(
  facts: UpgradeRequestFacts,
  options: ResolvedCentralSystemOptions<V>,
  isConnected: (identity: string) => boolean,
): UpgradeDecision<V> | Promise<UpgradeDecision<V>> {
  const pathname = pathOf(facts.url);
  const offered = facts.offeredProtocols;
  const protocol = options.protocols.find((p) => offered.includes(p));

  const parsed = identityFromPath(pathname, options.path, protocol !== 'ocpp1.6');
  if (parsed === undefined) return refusal(404, 'not-found', `no OCPP endpoint at ${pathname}`);
  if (!parsed.ok) return refusal(parsed.problem === 'missing' ? 404 : 400, 'bad-identity', parsed.detail);
  const identity = parsed.identity;

  const profile = options.securityProfile;
  if (profile >= 2 && !facts.secure) return refusal(403, 'insecure', `security profile ${profile} requires TLS`);
  if (profile === 3 && !facts.certificateAuthorized) return refusal(403, 'insecure', 'security profile 3 requires a verified client certificate');

  const header = facts.authorization;
  const credentials = parseBasicAuth(header, identity);
  if (header !== undefined && credentials === undefined) return refusal(401, 'bad-credentials', 'malformed Authorization header', true);
  if ((profile === 1 || profile === 2) && credentials === undefined) {
    return refusal(401, 'no-credentials', `security profile ${profile} requires Basic authentication`, true);
  }
  if (credentials !== undefined && credentials.username !== identity) {
    return refusal(401, 'bad-credentials', 'the Basic-auth username must equal the identity', true);
  }

  if (options.authenticate !== undefined) return decideLater(facts, options, isConnected, identity, protocol, credentials);
  return admit(options, isConnected, identity, protocol, undefined);
}

/**
 * The rules after authentication: the subprotocol (OCPP-J §3.2: complete the handshake without
 * one, then close, checklist item 37), duplicate identity, and the boot-status lookup.
 */
function admit<V extends OcppVersion>(
  options: ResolvedCentralSystemOptions<V>,
  isConnected: (identity: string) => boolean,
  identity: string,
  protocol: V | undefined,
  data: unknown,
): UpgradeDecision<V> | Promise<UpgradeDecision<V>> {
  if (protocol === undefined) return { accept: true, protocol: undefined, data: { identity, protocol: undefined, data: undefined, bootStatus: undefined } };
  if (options.duplicateIdentity === 'refuse' && isConnected(identity)) return refusal(409, 'duplicate-identity', `${identity} is already connected`);
  const isAccepted = options.isAccepted;
  if (isAccepted === undefined) return { accept: true, protocol, data: { identity, protocol, data, bootStatus: undefined } };
  return Promise.resolve(isAccepted({ identity, protocol })).then((accepted): UpgradeDecision<V> => ({
    accept: true,
    protocol,
    data: { identity, protocol, data, bootStatus: accepted ? 'Accepted' : undefined },
  }));
}

/** The `authenticate` hook, then {@link admit}. */
async function decideLater<V extends OcppVersion>(
  facts: UpgradeRequestFacts,
  options: ResolvedCentralSystemOptions<V>,
  isConnected: (identity: string) => boolean,
  identity: string,
  protocol: V | undefined,
  credentials: BasicCredentials | undefined,
): Promise<UpgradeDecision<V>> {
  let data: unknown;
  const result = await options.authenticate!({
    identity,
    protocol,
    offeredProtocols: facts.offeredProtocols,
    credentials,
    certificate: facts.certificate,
    certificateAuthorized: facts.certificateAuthorized,
    secure: facts.secure,
    remoteAddress: facts.remoteAddress,
    headers: facts.headers,
    url: facts.url,
  });
  if (result === false) return refusal(401, 'unauthorized', 'not authorized', true);
  if (typeof result === 'object' && result !== null) {
    if (result.accept === false) {
      const status = result.status ?? 401;
      if (!Number.isInteger(status) || status < 400 || status > 599) {
        throw new TypeError(`authenticate refused with status ${String(status)}: a refusal must be an HTTP error status (400-599)`);
      }
      return refusal(status, 'unauthorized', result.message ?? 'not authorized', status === 401);
    }
    data = result.data;
  } else if (result !== true) {
    throw new TypeError(`authenticate must return a boolean or { accept, ... }, got ${typeof result}`);
  }
  return admit(options, isConnected, identity, protocol, data);
}
