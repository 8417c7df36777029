/**
 * Every failure as a JSON answer `{ error, message, code? }` with a status that says whose
 * fault it was: 400 for a request that is wrong before any OCPP is involved (malformed JSON,
 * missing or mistyped fields) or that the SDK's validation refuses; 401/403 for who is asking;
 * 404 for an unknown station or tag; 409 for a duplicate or an offline station; 502 when the
 * station answers with a CALLERROR (its OCPP error code is passed on as `code`) or an invalid
 * response; 503 when it disconnects meanwhile; 504 when it does not answer in time.
 */
import { ConnectionClosedError, RpcError, TimeoutError, ValidationError } from '../../../src/index';
import { DuplicateError } from '../store/stations';

/** An error with an HTTP status, thrown by routes for requests that are wrong. */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly error: string,
    message: string,
  ) {
    super(message);
  }
}

export interface ErrorBody {
  error: string;
  message: string;
  /** The OCPP error code, when the station answered with one (or the SDK's validation found one). */
  code?: string;
  details?: unknown;
}

/** Fastify's own errors we expect from bad requests, by their `code`. */
const FASTIFY_CODES: Readonly<Record<string, [number, string]>> = {
  FST_ERR_CTP_INVALID_JSON_BODY: [400, 'BadJson'],
  FST_ERR_CTP_EMPTY_JSON_BODY: [400, 'BadJson'],
  FST_ERR_CTP_BODY_TOO_LARGE: [413, 'PayloadTooLarge'],
  FST_ERR_CTP_INVALID_MEDIA_TYPE: [415, 'UnsupportedMediaType'],
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: [400, 'BadRequest'],
};

export function toHttpError(error: unknown): { status: number; body: ErrorBody } {
  if (error instanceof HttpError) return { status: error.status, body: { error: error.error, message: error.message } };
  if (error instanceof DuplicateError) return { status: 409, body: { error: 'Duplicate', message: error.message } };
  if (error instanceof ValidationError) {
    // Our request, refused before sending: the client's fault. The station's invalid answer: upstream's.
    const status = error.direction === 'outbound' ? 400 : 502;
    return { status, body: { error: 'ValidationError', code: error.code, message: error.message } };
  }
  if (error instanceof TimeoutError) return { status: 504, body: { error: 'Timeout', message: error.message } };
  if (error instanceof RpcError) {
    return {
      status: 502,
      body: {
        error: 'CallError',
        code: String(error.code),
        message: String(error.description || error.code),
        details: error.details,
      },
    };
  }
  if (error instanceof ConnectionClosedError) return { status: 503, body: { error: 'StationDisconnected', message: error.message } };
  const e = error as { validation?: unknown; code?: string; message?: string; statusCode?: number };
  if (e && e.validation) return { status: 400, body: { error: 'BadRequest', message: e.message ?? 'invalid request' } };
  const known = e?.code ? FASTIFY_CODES[e.code] : undefined;
  if (known) return { status: known[0], body: { error: known[1], message: e.message ?? known[1] } };
  if (e?.statusCode && e.statusCode >= 400 && e.statusCode < 500)
    return { status: e.statusCode, body: { error: 'BadRequest', message: e.message ?? 'bad request' } };
  return { status: 500, body: { error: 'InternalError', message: 'internal error' } };
}
