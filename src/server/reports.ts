/**
 * What the central system tells its application about things no caller can be told directly:
 * refused connections, failed handlers, socket and server errors. Each is logged (when a logger
 * is set) and raised as the matching event, in one place, so both stay in step.
 */
import type { IncomingMessage } from 'node:http';
import type { EventEmitter } from 'eventemitter3';
import type { HandlerErrorEvent } from '../core/events';
import { logTo, type Logger } from '../logger';
import type { OcppVersion } from '../ocpp/version';
import { rulesFor } from '../ocpp/version-rules';
import type { AnyStation, Station } from '../station';
import type { OwnRefusal, RefuseVerdict } from '../transport/server';
import type { CentralSystemEvents, RefusedEvent } from './events';
import { identityGuess, offeredProtocols, type Refusal, type RefusalReason } from './upgrade-decision';

/** @internal The central system's reports: logged, then emitted. */
export class ServerReports<V extends OcppVersion> {
  constructor(
    private readonly events: Pick<EventEmitter<CentralSystemEvents>, 'emit'>,
    private readonly options: { readonly logger: Logger | undefined; readonly path: string | undefined },
  ) {}

  /** A handler failed: logged with who, what and which message, and raised as `handlerError`. */
  handlerFailed(station: Station, event: HandlerErrorEvent): void {
    const { action, messageId, error } = event;
    const log = this.options.logger;
    if (log) {
      const message = error instanceof Error ? error.message : String(error);
      logTo(
        log,
        'error',
        { event: 'handler-error', identity: station.identity, protocol: station.protocol, action, messageId, err: error },
        `handler for ${action} failed: ${message}`,
      );
    }
    this.events.emit('handlerError', { station: station as AnyStation<V>, action, messageId, error });
  }

  /**
   * Logs what a station's peer did that only its events would show otherwise: passing a limit,
   * rejecting one of our answers with a CALLRESULTERROR (2.1), a SEND it sent that reached no
   * handler (2.1). Listeners are added only when a logger is set.
   */
  logStation(station: Station, log: Logger): void {
    const { identity, protocol } = station;
    station.once('limitExceeded', (e) =>
      logTo(
        log,
        'warn',
        { event: 'limit-exceeded', identity, protocol, limit: e.limit, max: e.max, code: e.code, reason: e.reason },
        `station passed ${e.limit}: closing`,
      ),
    );
    if (!rulesFor(protocol).hasSendAndCallResultError) return;
    station.on('callResultError', (e) =>
      logTo(
        log,
        'warn',
        { event: 'result-rejected', identity, protocol, action: e.action, messageId: e.messageId, code: e.error.code, description: e.error.description },
        `station rejected our answer${e.action === undefined ? '' : ` to ${e.action}`}: ${e.error.code}`,
      ),
    );
    station.on('sendDropped', (e) =>
      logTo(
        log,
        'warn',
        { event: 'send-dropped', identity, protocol, action: e.action, messageId: e.messageId, reason: e.reason },
        `SEND ${e.action} dropped: ${e.reason}`,
      ),
    );
  }

  refused(req: IncomingMessage, verdict: RefuseVerdict, own: OwnRefusal | undefined): void {
    // A verdict of ours (the decision) carries its reason; the upgrade server's own refusals say theirs.
    const reason: RefusalReason = own?.reason ?? (verdict as Partial<Refusal>).reason ?? 'internal-error';
    this.refusedRequest(req, verdict.status, reason, own?.detail ?? verdict.message ?? '');
  }

  refusedRequest(req: IncomingMessage, status: number, reason: RefusalReason, detail: string): void {
    const url = req.url ?? '';
    this.emitRefused({
      reason,
      status,
      detail,
      identity: identityGuess(url, this.options.path),
      remoteAddress: req.socket.remoteAddress,
      offeredProtocols: offeredProtocols(req),
      url,
    });
  }

  emitRefused(event: RefusedEvent): void {
    if (this.options.logger) logTo(this.options.logger, 'warn', { event: 'refused', ...event }, `connection refused: ${event.reason}`);
    this.events.emit('refused', event);
  }

  /**
   * An error on a station's socket. `ws` reports the peer's protocol errors this way (a message
   * over `maxPayloadBytes`, too many fragments, a bad frame, invalid UTF-8) after closing the
   * connection with the matching code: the peer's fault, so it is logged at warn and seen in the
   * `disconnect` event that follows (with that code and reason), never raised as `error`.
   * Returns whether it was such a protocol error.
   */
  socketError(error: Error, identity: string | undefined): boolean {
    const code = (error as { code?: unknown }).code;
    if (typeof code !== 'string' || !code.startsWith('WS_ERR_')) {
      this.report(error, identity);
      return false;
    }
    const log = this.options.logger;
    if (log) logTo(log, 'warn', { event: 'protocol-error', identity, code, detail: error.message }, `peer broke the WebSocket protocol: ${error.message}`);
    return true;
  }

  report(error: Error, identity?: string): void {
    if (this.options.logger) logTo(this.options.logger, 'error', { event: 'error', identity, err: error }, error.message);
    this.events.emit('error', identity === undefined ? { error } : { error, identity });
  }
}
