/**
 * The OCPP-J RPC error codes, in one canonical spelling (2.0.1's), with the wire spelling of
 * each version decided by the version layer (`src/ocpp`). Keeping one canonical name lets user
 * code test `err.code === 'FormatViolation'` whatever version the connection speaks.
 */

/** Canonical RPC error codes (OCPP 2.0.1 spelling). */
export const RPC_ERROR_CODES = [
  'FormatViolation',
  'GenericError',
  'InternalError',
  'MessageTypeNotSupported',
  'NotImplemented',
  'NotSupported',
  'OccurrenceConstraintViolation',
  'PropertyConstraintViolation',
  'ProtocolError',
  'RpcFrameworkError',
  'SecurityError',
  'TypeConstraintViolation',
] as const;

/** A canonical RPC error code. */
export type RpcErrorCode = (typeof RPC_ERROR_CODES)[number];
