/**
 * The limits an endpoint puts on its peer: `maxBadMessages` within `badMessageWindowMs` (a ring
 * of the recent bad messages' times), `maxInboundCalls`, and what follows when one is passed:
 * nothing more is read, the CALLs already accepted are answered (for at most
 * {@link DRAIN_TIMEOUT_MS}), then the connection closes with 1008.
 *
 * An endpoint makes its {@link PeerLimits} on the peer's first bad message: a well-behaved peer
 * costs nothing here.
 */

/** After the peer passed a limit, how long CALLs already accepted may take to be answered before the close. */
export const DRAIN_TIMEOUT_MS = 5000;

/** Close code for a peer that passed a limit (policy violation). */
export const LIMIT_CLOSE_CODE = 1008;
/** Close reason when the peer passed `maxInboundCalls`. */
export const TOO_MANY_CALLS = 'too many concurrent CALLs';
/** Close reason when the peer passed `maxBadMessages`. */
export const TOO_MANY_BAD = 'too many invalid messages';

/** Which limit the peer passed. */
export type PeerLimit = 'maxInboundCalls' | 'maxBadMessages';

/** The state of one endpoint's limits on its peer. */
export class PeerLimits {
  /** Set once the peer passed a limit: the close reason the drain ends with. */
  drainReason: string | undefined = undefined;
  private drainTimer: ReturnType<typeof setTimeout> | undefined = undefined;
  /** Times of the peer's recent bad messages: a ring of at most `maxBadMessages`, grown on demand. */
  private badTimes: number[] = [];
  /** Next slot of `badTimes` to write; once the ring is full, also its oldest entry. */
  private badNext = 0;

  /**
   * Counts one bad message at `now`; true when it is the one past `max` within `windowMs` (a
   * sliding window, exact: the ring keeps the last `max` times). `max` is finite here; the caller
   * skips counting when the limit is off.
   */
  countBadMessage(now: number, max: number, windowMs: number): boolean {
    const times = this.badTimes;
    if (max > 0 && times.length < max) {
      times.push(now);
      this.badNext = times.length % max;
      return false;
    }
    // The ring is full: its oldest entry is the bad message N back. Within the window, N + 1 it is.
    if (max === 0 || times[this.badNext] > now - windowMs) return true;
    times[this.badNext] = now;
    this.badNext = (this.badNext + 1) % max;
    return false;
  }

  /** Starts draining for `reason`; false when a drain had started already (only the first limit counts). */
  startDrain(reason: string): boolean {
    if (this.drainReason !== undefined) return false;
    this.drainReason = reason;
    return true;
  }

  /** Bounds the drain: `close` runs after {@link DRAIN_TIMEOUT_MS} unless {@link dispose} ran first. */
  closeAfterDrainTimeout(close: () => void): void {
    const timer = setTimeout(close, DRAIN_TIMEOUT_MS);
    (timer as { unref?: () => void }).unref?.();
    this.drainTimer = timer;
  }

  /** Stops the drain timer; the connection closed. */
  dispose(): void {
    if (this.drainTimer !== undefined) {
      clearTimeout(this.drainTimer);
      this.drainTimer = undefined;
    }
    this.badTimes.length = 0;
  }
}
