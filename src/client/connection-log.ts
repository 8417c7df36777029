/**
 * What a ChargePoint with a `logger` writes about one connection, beyond opening and closing:
 * the central system passing a limit, a handler of ours failing, an answer of ours rejected by a
 * CALLRESULTERROR (2.1), a SEND of the central system dropped, and CALLs refused while Rejected.
 * Without these the log would hold nothing of failures only the central system saw.
 */
import type { EventEmitter } from 'eventemitter3';
import type { RpcErrorCode } from '../core/error-codes';
import type { RpcEndpointEvents } from '../core/events';
import { logTo, type Logger } from '../logger';

/** Logs one connection's failures to `log`, each with the charge point's identity. */
export function logConnection(endpoint: EventEmitter<RpcEndpointEvents>, log: Logger, identity: string): void {
  endpoint.once('limitExceeded', (e) =>
    logTo(
      log,
      'warn',
      { event: 'limit-exceeded', identity, limit: e.limit, max: e.max, code: e.code, reason: e.reason },
      `central system passed ${e.limit}: closing`,
    ),
  );
  // A handler that throws (or answers with an invalid payload) leaves the central system only an InternalError.
  endpoint.on('handlerError', (e) =>
    logTo(log, 'warn', { event: 'handler-error', identity, action: e.action, messageId: e.messageId, error: e.error }, `handler for ${e.action} failed`),
  );
  endpoint.on('callResultError', (e) =>
    logTo(
      log,
      'warn',
      { event: 'result-rejected', identity, action: e.action, messageId: e.messageId, code: e.error.code, description: e.error.description },
      `central system rejected our answer${e.action === undefined ? '' : ` to ${e.action}`}: ${e.error.code}`,
    ),
  );
  endpoint.on('sendDropped', (e) =>
    logTo(
      log,
      'warn',
      { event: 'send-dropped', identity, action: e.action, messageId: e.messageId, reason: e.reason },
      `SEND ${e.action} dropped: ${e.reason}`,
    ),
  );
}

/** Logs a CALL refused (or left unanswered) because the registration is Rejected (checklist item 49). */
export function logRefusal(log: Logger, identity: string, action: string, refusal: RpcErrorCode | null): void {
  logTo(
    log,
    'info',
    { event: 'refused-while-rejected', identity, action, reply: refusal ?? 'none' },
    `registration Rejected: ${action} ${refusal === null ? 'left unanswered' : `refused with ${refusal}`}`,
  );
}
