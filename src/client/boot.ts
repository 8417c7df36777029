/**
 * A charge point's registration (checklist items 44, 47 and 49): `boot()` sends BootNotification
 * until it is Accepted, pausing for the interval the central system gives; with gating on,
 * other calls are held until then, and while the registration is Rejected the central system's
 * CALLs are refused (2.x) or left unanswered (1.6). Every pause goes through `clampDelayMs`, so an interval from
 * the wire that a timer cannot hold (2,147,484 s and more, or `1e400`) waits the longest a timer
 * can instead of 1 ms.
 */
import type { RpcErrorCode } from '../core/error-codes';
import { TimeoutError } from '../core/errors';
import { bootStatusOf, type BootStatus } from '../ocpp/boot-status';
import type { OcppVersion } from '../ocpp/version';
import { clampDelayMs } from '../transport/delay';
import { NotConnectedError, type ChargePointState } from './errors';

/**
 * What a charger whose registration is Rejected does with a CALL of the central system
 * (checklist item 49), per version: 1.6 "SHALL NOT respond to any Central System initiated
 * message" (C16 §4.2), so `null`, no answer at all; 2.0.1 answers CALLERROR SecurityError
 * (P2 B03.FR.08), and 2.1 keeps that requirement.
 */
const REJECTED_REPLY: Readonly<Record<OcppVersion, RpcErrorCode | null>> = { 'ocpp1.6': null, 'ocpp2.0.1': 'SecurityError', 'ocpp2.1': 'SecurityError' };

/** Default `retryIntervalMs` of `boot()`: the wait after a timeout, or after an interval of 0. */
export const DEFAULT_BOOT_RETRY_INTERVAL_MS = 30_000;

/** Options of `ChargePoint.boot()`. */
export interface BootOptions {
  /** Stops retrying; `boot()` rejects with the signal's reason. */
  signal?: AbortSignal;
  /**
   * The wait after a BootNotification that timed out, or that was answered Pending or Rejected
   * with an interval of 0. Capped at 2^31-1 ms, like every delay.
   * @default 30000
   */
  retryIntervalMs?: number;
}

/** What {@link BootController} needs from its ChargePoint. */
export interface BootHost {
  /** The version spoken: it decides what a Rejected charger answers. */
  readonly protocol: OcppVersion;
  /** Hold calls until Accepted, and refuse the central system's CALLs while Rejected. */
  readonly gating: boolean;
  /** The charge point's state now. */
  state(): ChargePointState;
  /** Sends BootNotification through the charge point (so that its answer is noted). */
  sendBoot(request: unknown, signal: AbortSignal | undefined): Promise<unknown>;
  /** Calls `listener` once on the next open; returns the unsubscribe function. */
  onceOpen(listener: () => void): () => void;
  /** The registration became Accepted: held calls were released; the outbox may flush. */
  accepted(): void;
}

/** Boot handling of one ChargePoint: the retry loop, the registration state and the gate. */
export class BootController {
  /** Registration state from the last BootNotification answer. */
  status: BootStatus | undefined;
  private held: Array<() => void> = [];
  private acceptedBoot: { readonly key: string; readonly response: unknown } | undefined;
  /** Pauses of `boot()`, ended by close(). */
  private readonly pauses = new Set<() => void>();
  private closed = false;

  constructor(private readonly host: BootHost) {}

  /** True while gating holds calls back: on, not Accepted yet, not BootNotification, not forced. */
  gates(action: string, force: boolean | undefined): boolean {
    return this.host.gating && this.status !== 'Accepted' && action !== 'BootNotification' && force !== true;
  }

  /**
   * The inbound gate of each connection (checklist item 49): with gating on and the registration
   * Rejected, a CALL of the central system gets the version's {@link REJECTED_REPLY}. A 2.0.1
   * TriggerMessage for a BootNotification still goes to its handler: it is the one CALL a CSMS
   * may send to a Rejected station (B03.FR.08), and the way out of Rejected before the interval.
   */
  refusal(action: string, payload: unknown): RpcErrorCode | null | undefined {
    if (!this.host.gating || this.status !== 'Rejected') return undefined;
    const reply = REJECTED_REPLY[this.host.protocol];
    if (reply !== null && action === 'TriggerMessage' && (payload as { requestedMessage?: unknown } | null)?.requestedMessage === 'BootNotification')
      return undefined;
    return reply;
  }

  /** True when gating keeps the outbox from sending. */
  get holdsOutbox(): boolean {
    return this.host.gating && this.status !== 'Accepted';
  }

  /** Runs `send` once the registration is Accepted; rejects with NotConnectedError if closed first. */
  hold<T>(action: string, send: () => Promise<T>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.held.push(() => {
        if (this.closed) reject(new NotConnectedError({ action, state: 'closed' }));
        else send().then(resolve, reject);
      });
    });
  }

  /** Records the status of a BootNotification answer; Accepted releases what was held. */
  note<T>(response: T): T {
    const status = bootStatusOf(response);
    if (status === undefined) return response;
    this.status = status;
    if (status === 'Accepted') {
      this.release();
      this.host.accepted();
    }
    return response;
  }

  /** See `ChargePoint.boot()`. */
  async boot(request: unknown, options: BootOptions = {}): Promise<unknown> {
    const key = JSON.stringify(request);
    if (this.acceptedBoot !== undefined && this.acceptedBoot.key === key) return this.acceptedBoot.response;
    const retryMs = clampDelayMs(options.retryIntervalMs ?? DEFAULT_BOOT_RETRY_INTERVAL_MS);
    for (;;) {
      options.signal?.throwIfAborted();
      let response: { status: string; interval: number };
      try {
        response = (await this.host.sendBoot(request, options.signal)) as { status: string; interval: number };
      } catch (error) {
        const state = this.host.state();
        if (error instanceof NotConnectedError && state !== 'closed' && state !== 'idle') {
          await this.pause(undefined, options.signal);
          continue;
        }
        if (!(error instanceof TimeoutError)) throw error;
        await this.pause(retryMs, options.signal);
        continue;
      }
      if (response.status === 'Accepted') {
        this.acceptedBoot = { key, response };
        return response;
      }
      // `interval` comes from the wire: 1e400 parses to Infinity, and anything from 2,147,484 s
      // up would overflow the timer; clampDelayMs turns both into the longest wait a timer holds.
      await this.pause(response.interval > 0 ? clampDelayMs(response.interval * 1000) : retryMs, options.signal);
    }
  }

  /** Waits `ms` (or, without it, for the next open); ends early, with an error, on close or abort. */
  private pause(ms: number | undefined, signal: AbortSignal | undefined): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      let stopListening: (() => void) | undefined;
      const done = (error?: unknown): void => {
        clearTimeout(timer);
        stopListening?.();
        signal?.removeEventListener('abort', onAbort);
        this.pauses.delete(onClose);
        if (error === undefined) resolve();
        // The abort reason as the signal holds it (an AbortError DOMException unless the caller chose one).
        // eslint-disable-next-line @typescript-eslint/prefer-promise-reject-errors -- the caller's own reason, unchanged
        else reject(error);
      };
      const onAbort = (): void => done(signal?.reason);
      const onClose = (): void => done(new NotConnectedError({ action: 'BootNotification', state: 'closed' }));
      const timer = ms === undefined ? undefined : setTimeout(() => done(), ms);
      if (ms === undefined) stopListening = this.host.onceOpen(() => done());
      signal?.addEventListener('abort', onAbort, { once: true });
      this.pauses.add(onClose);
    });
  }

  private release(): void {
    const held = this.held;
    this.held = [];
    for (const run of held) run();
  }

  /** Ends every pause of `boot()` and rejects every held call. */
  close(): void {
    this.closed = true;
    for (const wake of [...this.pauses]) wake();
    this.release();
  }
}
