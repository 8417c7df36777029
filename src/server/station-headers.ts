/**
 * The upgrade request's headers as a station keeps them for its whole connection
 * (`station.headers`): what says something about the station (Host, User-Agent, the offered
 * subprotocols, a vendor's own headers), not the WebSocket handshake's own mechanics, and never
 * its password.
 */

type Headers = Readonly<Record<string, string | string[] | undefined>>;

/**
 * Headers that only carry the handshake (RFC 6455 §4.1): meaningless once it is done, and kept for
 * every connection they would cost about 150 bytes a station (a 24-byte random key among them).
 */
const HANDSHAKE_ONLY: ReadonlySet<string> = new Set(['connection', 'upgrade', 'sec-websocket-key', 'sec-websocket-version', 'sec-websocket-extensions']);

/**
 * A copy of `headers` without the handshake-only ones, with Authorization masked as
 * `[redacted]` so that an application logging `station.headers` does not log the station's
 * password.
 */
export function stationHeaders(headers: Headers): Headers {
  const kept: Record<string, string | string[] | undefined> = {};
  for (const name of Object.keys(headers)) {
    if (HANDSHAKE_ONLY.has(name)) continue;
    kept[name] = name === 'authorization' ? '[redacted]' : headers[name];
  }
  return kept;
}
