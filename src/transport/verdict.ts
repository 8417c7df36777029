/**
 * What an upgrade decision returns, apart from the server that carries it out
 * (src/transport/server.ts): the decision's types reach the public declarations (a refusal's
 * reason is public), and they must not drag the `ws` types in with them.
 */

/** Accept the upgrade, selecting `protocol` (or none: the handshake completes without the header). */
export interface AcceptVerdict<T> {
  accept: true;
  /** Subprotocol to select; undefined completes the handshake without one (OCPP-J §3.2). */
  protocol: string | undefined;
  /** Carried through to `onOpen`. */
  data: T;
}

/** Refuse the upgrade with an HTTP status. */
export interface RefuseVerdict {
  accept: false;
  status: number;
  /** Short plain-text body; never internal details. */
  message?: string;
  headers?: Record<string, string>;
}

/** What the decision callback returns. */
export type UpgradeVerdict<T> = AcceptVerdict<T> | RefuseVerdict;
