/**
 * Emitting an endpoint's events safely, shared by the endpoint and the parts it delegates to
 * (./outgoing-calls, ./inbound-calls). Callers check `listenerCount` first, so that an event
 * nobody listens to is never built.
 */
import type { EventEmitter } from 'eventemitter3';
import { createRpcError } from './errors';
import type { RpcEndpointEvents } from './events';
import type { CallErrorFrame, CallResultErrorFrame, CallResultFrame } from './frames';
import type { ProtocolRules } from './protocol-rules';
import type { Direction, PayloadKind, ValidationIssue } from './validator';

/** The endpoint as the parts it delegates to see it: where its events go. */
export type EndpointEmitter = EventEmitter<RpcEndpointEvents>;

/** Reports an exception that has no caller to go to, the way a browser reports one from an event listener. */
export function reportLater(error: unknown): void {
  queueMicrotask(() => {
    throw error;
  });
}

/**
 * Emits without letting a throwing listener break the state machine mid-step: the exception
 * is re-thrown from a microtask, where it surfaces as any uncaught exception would.
 */
export function notify<K extends keyof RpcEndpointEvents>(emitter: EndpointEmitter, name: K, event: Parameters<RpcEndpointEvents[K]>[0]): void {
  try {
    (emitter.emit as (name: K, event: unknown) => boolean)(name, event);
  } catch (error) {
    reportLater(error);
  }
}

/** Emits `validationFailed` when someone listens. */
export function reportValidation(
  emitter: EndpointEmitter,
  direction: Direction,
  kind: PayloadKind,
  action: string,
  messageId: string | undefined,
  issue: ValidationIssue,
): void {
  if (emitter.listenerCount('validationFailed') === 0) return;
  notify(emitter, 'validationFailed', { direction, kind, action, messageId, code: issue.code, detail: issue.detail, enforced: issue.enforced });
}

/** Emits `responseDropped` when someone listens: `late` when the answer's call had timed out or been aborted. */
export function reportDroppedResponse(emitter: EndpointEmitter, frame: CallResultFrame | CallErrorFrame, lateAction: string | undefined): void {
  if (emitter.listenerCount('responseDropped') === 0) return;
  notify(emitter, 'responseDropped', {
    direction: 'inbound',
    messageId: frame.messageId,
    action: lateAction,
    frame,
    reason: lateAction === undefined ? 'unknown-id' : 'late',
  });
}

/** Emits `callResultError` when someone listens, with the peer's code made canonical and the action of our answer when known. */
export function reportCallResultError(emitter: EndpointEmitter, rules: ProtocolRules, frame: CallResultErrorFrame, action: string | undefined): void {
  if (emitter.listenerCount('callResultError') === 0) return;
  const { messageId } = frame;
  const error = createRpcError(rules.fromWireCode(frame.errorCode), { description: frame.errorDescription, details: frame.errorDetails, messageId, action });
  notify(
    emitter,
    'callResultError',
    action === undefined ? { direction: 'inbound', messageId, frame, error } : { direction: 'inbound', messageId, action, frame, error },
  );
}
