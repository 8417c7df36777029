/** The events of {@link CentralSystem} and their payloads. */
import type { OcppVersion } from '../ocpp/version';
import type { AnyStation } from '../station';
import type { RefusalReason } from './upgrade-decision';

/** A refused connection attempt. */
export interface RefusedEvent {
  /** Why, in one word. */
  readonly reason: RefusalReason;
  /**
   * The HTTP status sent; 101 when the handshake completed and the socket was then closed
   * (`no-subprotocol`, a `duplicate-identity` decided at the same time); 0 when no HTTP
   * response could be sent because the TLS handshake did not complete (`tls-failed`,
   * `handshake-timeout`).
   */
  readonly status: number;
  /** What exactly was wrong, for logs (the same text the client got in the response body, or more). */
  readonly detail: string;
  /** The identity from the URL, when one could be read (never before the request arrived). */
  readonly identity: string | undefined;
  /** The peer's IP address; undefined when its socket was already gone (a TLS handshake aborted by a reset). */
  readonly remoteAddress: string | undefined;
  /** The subprotocols the client offered. */
  readonly offeredProtocols: readonly string[];
  /** The request URL (path and query); '' when the connection was refused before its request. */
  readonly url: string;
}

/** A station disconnected. */
export interface DisconnectEvent<V extends OcppVersion = OcppVersion> {
  /** The station that disconnected (already removed from the registry). */
  readonly station: AnyStation<V>;
  /** WebSocket close code; 1006 when the connection dropped without a close frame. */
  readonly code: number;
  /** WebSocket close reason (may be empty). */
  readonly reason: string;
}

/**
 * One of the server's handlers failed: it threw or rejected with anything but an `RpcError`
 * (the station got `InternalError`), or its answer broke the schema (the error is then a
 * `ValidationError`, and the station got `InternalError` too). Also logged at `error`.
 */
export interface StationHandlerErrorEvent<V extends OcppVersion = OcppVersion> {
  /** The station whose CALL was being handled. */
  readonly station: AnyStation<V>;
  /** Action of the CALL. */
  readonly action: string;
  /** Its message id. */
  readonly messageId: string;
  /** What the handler threw, or the `ValidationError` of its answer; it never reaches the station. */
  readonly error: unknown;
}

/**
 * Something of ours went wrong that no caller can be told about directly. A peer's misbehaviour
 * is never one: a failed, aborted or stalled TLS handshake, a malformed or late upgrade request
 * are `refused` events; a station breaking the WebSocket protocol (a message over
 * `maxPayloadBytes`, too many fragments, a bad frame) is closed with the matching code, logged
 * at warn and seen in its `disconnect` event.
 */
export interface CentralSystemErrorEvent {
  /** What failed: a throwing `authenticate` hook or `bootGating.isAccepted`, an error of the listening server. */
  readonly error: Error;
  /** The station concerned, when there is one. */
  readonly identity?: string;
}

/** Event map of {@link CentralSystem}. */
export interface CentralSystemEvents<V extends OcppVersion = OcppVersion> {
  /** A station connected and was registered. Attach per-station handlers and listeners here. */
  connection: (station: AnyStation<V>) => void;
  /** A station's connection closed (by either side, or dropped). */
  disconnect: (event: DisconnectEvent<V>) => void;
  /**
   * A connection attempt was refused: before the TLS handshake or the request completed, by the
   * upgrade decision, or closed right after the handshake (no subprotocol). Also logged at warn.
   */
  refused: (event: RefusedEvent) => void;
  /** A handler of any station failed (see {@link StationHandlerErrorEvent}). */
  handlerError: (event: StationHandlerErrorEvent<V>) => void;
  /** Something of ours failed that no caller can be told about directly (never a peer's misbehaviour). */
  error: (event: CentralSystemErrorEvent) => void;
}
