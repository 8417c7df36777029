import type { RpcErrorCode } from './error-codes';

/** Which half of an exchange a payload is. */
export type PayloadKind = 'request' | 'response';

/** Which way a payload travels, seen from the local endpoint. */
export type Direction = 'inbound' | 'outbound';

/**
 * A failed validation. `enforced: false` means the policy for this action and direction is
 * lenient: the core reports it as an event and carries on, instead of rejecting.
 */
export interface ValidationIssue {
  /** Canonical error code the failure maps to. */
  code: RpcErrorCode;
  /** Short, human-readable detail naming the JSON path, e.g. `/meterValue/0/timestamp: must be string`. */
  detail: string;
  /** True when the failure must reject the message; false when policy says only report it. */
  enforced: boolean;
}

/**
 * Validates payloads for one negotiated version. Returns `undefined` when the payload is
 * acceptable. Must not throw and must not mutate `payload`.
 */
export interface PayloadValidator {
  /** Checks one payload of `action`; undefined when it is acceptable. */
  validate(action: string, kind: PayloadKind, direction: Direction, payload: unknown): ValidationIssue | undefined;
}
