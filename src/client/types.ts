/**
 * The ChargePoint's types: the actions it calls and handles per version, the actions every
 * version shares, and its events with their payloads.
 */
import type { Handler, HandlerContext } from '../core/context';
import type { RpcEndpointEvents } from '../core/events';
import type { IncomingActions, OutgoingActions, SendActions, Shapes } from '../ocpp/actions';
import type { OcppVersion } from '../ocpp/version';
import type { BootNotificationRequest as OCPP16BootRequest, BootNotificationResponse as OCPP16BootResponse } from '../generated/ocpp16/types';
import type { BootNotificationRequest as OCPP201BootRequest, BootNotificationResponse as OCPP201BootResponse } from '../generated/ocpp201/types';
import type { BootNotificationRequest as OCPP21BootRequest, BootNotificationResponse as OCPP21BootResponse } from '../generated/ocpp21/types';
import type { QueueDroppedEvent } from './outbox';

/** The actions a charge point of version `V` may call. */
export type ChargePointOutgoing<V extends OcppVersion> = Shapes<OutgoingActions<V, 'ChargePoint'>>;
/** The actions a charge point of version `V` handles. */
export type ChargePointIncoming<V extends OcppVersion> = Shapes<IncomingActions<V, 'ChargePoint'>>;
/** The actions a charge point of version `V` may send as a SEND (2.1: NotifyPeriodicEventStream). */
export type ChargePointSendActions<V extends OcppVersion> = SendActions<V, 'ChargePoint'>;

/** A handler for action `A` of version `V` on the charge-point side. */
export type ChargePointHandler<V extends OcppVersion, A extends keyof ChargePointIncoming<V>> = Handler<
  ChargePointIncoming<V>[A]['request'],
  ChargePointIncoming<V>[A]['response'],
  HandlerContext
>;

/** The BootNotification request of version `V`. */
export type BootRequest<V extends OcppVersion> = V extends 'ocpp1.6' ? OCPP16BootRequest : V extends 'ocpp2.0.1' ? OCPP201BootRequest : OCPP21BootRequest;
/** The BootNotification response of version `V`. */
export type BootResponse<V extends OcppVersion> = V extends 'ocpp1.6' ? OCPP16BootResponse : V extends 'ocpp2.0.1' ? OCPP201BootResponse : OCPP21BootResponse;

/** Payload of the ChargePoint `open` event. */
export interface ChargePointOpenEvent {
  /** The subprotocol selected. */
  readonly protocol: string;
  /** True after a reconnect, false for the connection `connect()` opened. */
  readonly reconnect: boolean;
}

/** Payload of the ChargePoint `disconnect` event. */
export interface ChargePointDisconnectEvent {
  /** WebSocket close code. */
  readonly code: number;
  /** WebSocket close reason. */
  readonly reason: string;
  /** Whether a reconnect attempt follows. */
  readonly willReconnect: boolean;
}

/** Payload of the ChargePoint `reconnecting` event. */
export interface ReconnectingEvent {
  /** The attempt scheduled, from 1. */
  readonly attempt: number;
  /** The wait before it (capped at 2^31-1 ms). */
  readonly delayMs: number;
  /**
   * Why the previous attempt failed (absent for the first attempt after a lost connection):
   * a `ConnectionError` (`HandshakeError`, `SubprotocolError`, `NetworkError`, `TlsError`).
   */
  readonly error?: Error;
}

/** Payload of the ChargePoint `error` event. */
export interface ChargePointErrorEvent {
  /** What failed. */
  readonly error: Error;
}

/** Events of {@link ChargePoint}, on top of the core's frame-level events of the current connection. */
export interface ChargePointEvents extends RpcEndpointEvents {
  /** A connection opened (first or after a reconnect). */
  open: (event: ChargePointOpenEvent) => void;
  /** The connection was lost or closed. `willReconnect` says whether a new attempt follows. */
  disconnect: (event: ChargePointDisconnectEvent) => void;
  /** A reconnect attempt is scheduled. */
  reconnecting: (event: ReconnectingEvent) => void;
  /** A queued transaction message was given up after its attempts. */
  queueDropped: (event: QueueDroppedEvent) => void;
  /** Something went wrong that no caller can be told about (e.g. the offline store failed). */
  error: (event: ChargePointErrorEvent) => void;
}

/**
 * Actions a charge point calls in every version (1.6, 2.0.1 and 2.1) with the same required
 * fields (Heartbeat, DataTransfer, FirmwareStatusNotification, and 1.6's security-extension
 * LogStatusNotification, SecurityEventNotification and SignCertificate). They can be called on a
 * ChargePoint whose version is not known statically: a `ChargePoint<V>` inside a generic function.
 * BootNotification is not one: its fields differ (narrow an `AnyChargePoint` first).
 */
// Written out in one type, without helper aliases: the API reference documents only exported
// names, and a helper referenced here would have to become public.
export type CommonChargePointAction = {
  [A in keyof ChargePointOutgoing<'ocpp1.6'> & keyof ChargePointOutgoing<'ocpp2.0.1'> & keyof ChargePointOutgoing<'ocpp2.1'>]: [
    // The required keys of each version's request, compared both ways against 2.0.1's.
    {
      [K in keyof ChargePointOutgoing<'ocpp1.6'>[A]['request']]-?: Record<never, never> extends Pick<ChargePointOutgoing<'ocpp1.6'>[A]['request'], K>
        ? never
        : K;
    }[keyof ChargePointOutgoing<'ocpp1.6'>[A]['request']],
    {
      [K in keyof ChargePointOutgoing<'ocpp2.0.1'>[A]['request']]-?: Record<never, never> extends Pick<ChargePointOutgoing<'ocpp2.0.1'>[A]['request'], K>
        ? never
        : K;
    }[keyof ChargePointOutgoing<'ocpp2.0.1'>[A]['request']],
    {
      [K in keyof ChargePointOutgoing<'ocpp2.1'>[A]['request']]-?: Record<never, never> extends Pick<ChargePointOutgoing<'ocpp2.1'>[A]['request'], K>
        ? never
        : K;
    }[keyof ChargePointOutgoing<'ocpp2.1'>[A]['request']],
  ] extends [infer R16, infer R201, infer R21]
    ? [[R16, R21], [R201, R201]] extends [[R201, R201], [R16, R21]]
      ? A
      : never
    : never;
}[keyof ChargePointOutgoing<'ocpp1.6'> & keyof ChargePointOutgoing<'ocpp2.0.1'> & keyof ChargePointOutgoing<'ocpp2.1'>];

/** The request of common action `A`: the fields every version knows, with values valid in all. */
export type CommonRequest<A extends CommonChargePointAction> = Pick<
  ChargePointOutgoing<'ocpp1.6'>[A]['request'] & ChargePointOutgoing<'ocpp2.0.1'>[A]['request'] & ChargePointOutgoing<'ocpp2.1'>[A]['request'],
  keyof ChargePointOutgoing<'ocpp1.6'>[A]['request'] & keyof ChargePointOutgoing<'ocpp2.0.1'>[A]['request'] & keyof ChargePointOutgoing<'ocpp2.1'>[A]['request']
>;

/** The response of common action `A`: any version's. */
export type CommonResponse<A extends CommonChargePointAction> =
  ChargePointOutgoing<'ocpp1.6'>[A]['response'] | ChargePointOutgoing<'ocpp2.0.1'>[A]['response'] | ChargePointOutgoing<'ocpp2.1'>[A]['response'];

/**
 * What `call()` of a `ChargePoint<V>` accepts: the actions of `V`, and the common ones, which a
 * `ChargePoint<V>` in a generic function (where `V` is not known) can call too.
 */
export type CallableAction<V extends OcppVersion> = (keyof ChargePointOutgoing<V> | CommonChargePointAction) & string;

/**
 * The request of `A` in `call()`: the version's own request type; for a common action the
 * version-neutral {@link CommonRequest} is accepted too (what a generic `V` can offer).
 */
export type CallRequest<V extends OcppVersion, A extends CallableAction<V>> = A extends CommonChargePointAction
  ? CommonRequest<A> | (A extends keyof ChargePointOutgoing<V> ? ChargePointOutgoing<V>[A]['request'] : never)
  : A extends keyof ChargePointOutgoing<V>
    ? ChargePointOutgoing<V>[A]['request']
    : never;

/**
 * The response of `A` in `call()`: the version's own; for a common action on a `ChargePoint<V>`
 * whose `V` is not known, {@link CommonResponse} (any version's), so its shared fields
 * (`currentTime` of a Heartbeat) can be read.
 */
export type CallResponse<V extends OcppVersion, A extends CallableAction<V>> = A extends CommonChargePointAction
  ? [V] extends ['ocpp1.6']
    ? ChargePointOutgoing<'ocpp1.6'>[A]['response']
    : [V] extends ['ocpp2.0.1']
      ? ChargePointOutgoing<'ocpp2.0.1'>[A]['response']
      : [V] extends ['ocpp2.1']
        ? ChargePointOutgoing<'ocpp2.1'>[A]['response']
        : CommonResponse<A>
  : A extends keyof ChargePointOutgoing<V>
    ? ChargePointOutgoing<V>[A]['response']
    : never;
