/**
 * How a call's end crosses the wire between nodes: an error of the owner's station call becomes
 * a JSON {@link RemoteFailure}, and the caller turns it back into the error class a local call
 * would have failed with (plus the cluster's own, which say whether the station got the call).
 */
import { ConnectionClosedError, RpcError, TimeoutError, ValidationError, createRpcError } from '../core/errors';
import type { RpcErrorCode } from '../core/error-codes';
import type { RemoteFailure, RemoteOutcome } from './adapter';
import { ClusterUnavailableError, RemoteCallError, StationNotConnectedError } from './errors';

/** What the owner reports when one of its station's calls failed with `error`. */
export function failureOf(error: unknown): RemoteFailure {
  if (error instanceof RpcError) return { kind: 'rpc', code: String(error.code), description: error.description, details: error.details };
  if (error instanceof TimeoutError) return { kind: 'timeout', timeoutMs: error.timeoutMs, delivered: 'unknown' };
  if (error instanceof ConnectionClosedError) return { kind: 'closed', code: error.code, reason: error.reason };
  // Our request broke the schema on the owner (only when its validation differs from the caller's): never sent.
  if (error instanceof ValidationError && error.direction === 'outbound') return { kind: 'error', message: error.message };
  if (error instanceof ValidationError) return { kind: 'invalid-response', code: error.code, detail: error.detail };
  return { kind: 'error', message: error instanceof Error ? error.message : String(error) };
}

/** A failed outcome. */
export function failed(error: RemoteFailure): RemoteOutcome {
  return { ok: false, error };
}

/** Who and what a failure concerns, for the error's message and fields. */
export interface CallFacts {
  readonly identity: string;
  readonly action: string;
  /** The remote call's id (the owner's OCPP message id is not known here). */
  readonly callId: string;
  readonly node: string;
  readonly timeoutMs: number;
}

/** The error a caller rejects with for `failure`: the class a local call would use, or the cluster's own. */
export function errorOf(failure: RemoteFailure, facts: CallFacts): Error {
  const { identity, action } = facts;
  switch (failure.kind) {
    case 'rpc':
      return createRpcError(failure.code, { description: failure.description, details: failure.details, action });
    case 'not-connected':
      return new StationNotConnectedError({ identity, action, delivered: failure.delivered, detail: failure.detail });
    case 'expired':
      return new TimeoutError({ action, messageId: facts.callId, timeoutMs: facts.timeoutMs, identity, delivered: false });
    case 'timeout':
      return new TimeoutError({ action, messageId: facts.callId, timeoutMs: facts.timeoutMs, identity, delivered: failure.delivered });
    case 'closed':
      return new ConnectionClosedError({ code: failure.code, reason: failure.reason, action });
    case 'invalid-response':
      return new ValidationError({ direction: 'inbound', kind: 'response', action, code: failure.code as RpcErrorCode, detail: failure.detail });
    case 'unavailable':
      return new ClusterUnavailableError({ action, identity, detail: failure.detail });
    case 'error':
      return new RemoteCallError({ identity, action, node: facts.node, detail: failure.message });
  }
}
