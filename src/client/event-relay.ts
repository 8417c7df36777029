/**
 * The ChargePoint's core events (`frame`, `badFrame`, ...) come from whichever connection is
 * current. The relay listens on a connection for an event only once somebody listens for it on
 * the ChargePoint, and re-attaches those listeners to each new connection after a reconnect, so
 * that unobserved events cost nothing.
 */
import type { EventEmitter } from 'eventemitter3';
import type { RpcEndpointEvents } from '../core/events';

/** The endpoint events a ChargePoint relays, by name. */
export const CORE_EVENTS = [
  'frame',
  'badFrame',
  'validationFailed',
  'responseDropped',
  'handlerError',
  'callResultError',
  'sendDropped',
  'limitExceeded',
  'close',
] as const satisfies readonly (keyof RpcEndpointEvents)[];

type CoreEventName = (typeof CORE_EVENTS)[number];

/** Relays core events from the current connection to `emit`. */
export class CoreEventRelay {
  private readonly wanted = new Set<CoreEventName>();

  constructor(private readonly emit: (name: CoreEventName, event: unknown) => void) {}

  /** Somebody listens for `event` on the ChargePoint: relay it from `current` (if any) and every later connection. */
  want(event: string, current: EventEmitter<RpcEndpointEvents> | undefined): void {
    if (!(CORE_EVENTS as readonly string[]).includes(event) || this.wanted.has(event as CoreEventName)) return;
    this.wanted.add(event as CoreEventName);
    if (current !== undefined) this.pipe(current, event as CoreEventName);
  }

  /** A new connection: relay what is wanted from it. */
  attach(endpoint: EventEmitter<RpcEndpointEvents>): void {
    for (const name of this.wanted) this.pipe(endpoint, name);
  }

  private pipe(endpoint: EventEmitter<RpcEndpointEvents>, name: CoreEventName): void {
    endpoint.on(name, (event: unknown) => this.emit(name, event));
  }
}
