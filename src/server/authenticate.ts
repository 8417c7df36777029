/**
 * What the application's `authenticate` hook is told about a connection attempt and what it
 * answers: the contract between the upgrade decision and the application.
 */
import type { PeerCertificate } from 'node:tls';
import type { OcppVersion } from '../ocpp/version';
import type { BasicCredentials } from '../transport/basic-auth';

/** OCPP security profiles (1.6 Security Whitepaper, 2.0.1 Part 2 A00). 0: no requirement. */
export type SecurityProfile = 0 | 1 | 2 | 3;

/** What the `authenticate` hook is told about a connection attempt, before the upgrade. */
export interface AuthRequest {
  /** The identity from the URL, percent-decoded and already checked for the version's rules. */
  readonly identity: string;
  /**
   * The subprotocol that will be selected; undefined when the client offered none of the served
   * ones. The hook runs for such a client too, because authentication comes first: refused, it
   * gets the HTTP refusal like any other; accepted, it gets what OCPP-J prescribes (the
   * handshake completes without a subprotocol, then the socket is closed with 1002, and the
   * `refused` event says `no-subprotocol`), and no station is ever made for it.
   */
  readonly protocol: OcppVersion | undefined;
  /** The subprotocols the client offered, in its order. */
  readonly offeredProtocols: readonly string[];
  /**
   * The Basic-auth credentials, when the client sent any. The username is already checked to
   * equal the identity (A00.FR.204). Compare passwords with `safeEqual`, never `===`.
   */
  readonly credentials: BasicCredentials | undefined;
  /** The client certificate, on TLS connections that presented one (security profile 3). */
  readonly certificate: PeerCertificate | undefined;
  /** Whether the TLS layer verified `certificate` against the configured CAs. */
  readonly certificateAuthorized: boolean;
  /** Whether the connection is TLS. */
  readonly secure: boolean;
  /** The peer's IP address, as the socket reports it (a proxy's, behind one). */
  readonly remoteAddress: string | undefined;
  /** The HTTP headers of the upgrade request, as received. */
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
  /** The request URL (path and query). */
  readonly url: string;
}

/**
 * The hook's verdict: `true` accepts; `false` refuses with HTTP 401; `{ accept: true, data }`
 * accepts and attaches `data` to the station; `{ accept: false, status, message }` refuses with
 * that status (default 401) and a short body.
 */
export type AuthResult =
  | boolean
  | {
      /** Accept the connection. */
      accept: true;
      /** Attached to the station as `station.data` (a tenant, a charger record, ...). */
      data?: unknown;
    }
  | {
      /** Refuse the connection. */
      accept: false;
      /** HTTP error status, 400-599. @default 401 */
      status?: number;
      /** Short plain-text body; never put internal details here. */
      message?: string;
    };
