/**
 * The caller's side of remote calls: each call is one PUBLISH to the owner's inbox (never
 * re-sent), and the answer comes back on this node's inbox. What a caller must never do is wait
 * for a node that is gone, so a call in flight ends:
 *
 * - with the owner's outcome, when it answers;
 * - `not-connected`, `delivered: false`, when PUBLISH reached no subscriber (nobody got it);
 * - `not-connected`, `'unknown'`, when the owner's inbox loses its subscriber while the call is
 *   there: a dead process's connections drop at once, so Redis reports 0 subscribers for its
 *   inbox. While calls to a node are out, one `PUBSUB NUMSUB` for all such nodes goes every
 *   {@link LIVENESS_CHECK_MS} (nothing when no call is out), which notices a SIGKILLed owner in
 *   tens of milliseconds instead of the heartbeat's seconds;
 * - `not-connected`, `'unknown'`, at once when this node's own connection to Redis drops (the
 *   answer could no longer reach us);
 * - `timeout`, `'unknown'`, when nothing came by the call's deadline plus {@link CALL_GRACE_MS}.
 */
import type { RemoteCall, RemoteFailure, RemoteOutcome, StationRef } from '../cluster/adapter';
import type { Clock, Expiring, Ticking } from './clock';
import { DeadlineWheel } from './clock';
import { wasNotSent, type Commands } from './commands';
import type { Keys } from './keys';
import { callMessage } from './messages';
import { parseNumsub, toNumber } from './replies';

/** How long past its deadline a caller waits for the owner's answer (the owner stops at the deadline). */
export const CALL_GRACE_MS = 1000;
/** How often, while calls are out, the owners' inboxes are checked for a subscriber. */
export const LIVENESS_CHECK_MS = 25;

interface Pending extends Expiring {
  readonly id: string;
  readonly node: string;
  readonly timeoutMs: number;
  readonly resolve: (outcome: RemoteOutcome) => void;
}

/** @internal The calls this node has out, and how each ends. */
export class OutgoingCalls implements Ticking {
  private readonly pending = new Map<string, Pending>();
  private readonly wheel: DeadlineWheel;
  /** Per owner node: its calls that PUBLISH delivered, the ones a lost subscriber makes 'unknown'. */
  private readonly delivered = new Map<string, Set<Pending>>();
  private checking = false;
  private lastCheck = 0;

  constructor(
    private readonly commands: Commands,
    private readonly keys: Keys,
    private readonly clock: Clock,
  ) {
    this.wheel = new DeadlineWheel(clock);
    clock.add(this);
  }

  /** Number of calls out. */
  get size(): number {
    return this.pending.size;
  }

  /** Sends `call` to `to.node`; resolves with how it ended (never rejects). */
  send(to: StationRef, call: RemoteCall): Promise<RemoteOutcome> {
    if (!this.commands.ready) return Promise.resolve(failed({ kind: 'unavailable', detail: 'the connection to redis is down' }));
    if (this.pending.has(call.id)) return Promise.resolve(failed({ kind: 'error', message: `call ${call.id} is already out: not sent twice` }));
    return new Promise<RemoteOutcome>((resolve) => {
      const now = Date.now();
      const pending: Pending = {
        id: call.id,
        node: to.node,
        timeoutMs: Math.max(0, call.deadline - now),
        expiresAt: Math.max(call.deadline, now) + CALL_GRACE_MS,
        resolve,
        expire: () => this.settle(pending, failed({ kind: 'timeout', timeoutMs: pending.timeoutMs, delivered: 'unknown' })),
      };
      this.pending.set(call.id, pending);
      this.wheel.add(pending);
      this.commands.send(['PUBLISH', this.keys.inbox(to.node), callMessage(call)]).then(
        (receivers) => {
          if (this.pending.get(call.id) !== pending) return;
          if (toNumber(receivers) === 0) {
            this.settle(pending, failed({ kind: 'not-connected', delivered: false, detail: `node ${to.node} is not listening` }));
            return;
          }
          let set = this.delivered.get(to.node);
          if (set === undefined) this.delivered.set(to.node, (set = new Set()));
          set.add(pending);
          this.clock.wake();
        },
        (error: Error) =>
          this.settle(
            pending,
            // Refused before it was written: certainly not sent. Written, then the connection failed: maybe.
            wasNotSent(error)
              ? failed({ kind: 'unavailable', detail: error.message })
              : failed({ kind: 'not-connected', delivered: 'unknown', detail: `the call may have reached redis: ${error.message}` }),
          ),
      );
    });
  }

  /** The owner's answer to call `id` (ignored when the call already ended). */
  answered(id: string, outcome: RemoteOutcome): void {
    const pending = this.pending.get(id);
    if (pending !== undefined) this.settle(pending, outcome);
  }

  /** Ends every call out with `failure` (our connection dropped, or this node leaves). */
  failAll(failure: RemoteFailure): void {
    for (const pending of [...this.pending.values()]) this.settle(pending, failed(failure));
  }

  tick(now: number): boolean {
    this.wheel.tick(now);
    if (this.delivered.size > 0 && !this.checking && now - this.lastCheck >= LIVENESS_CHECK_MS && this.commands.ready) this.checkOwners(now);
    return this.pending.size > 0;
  }

  /**
   * Asks Redis how many subscribers the inboxes of the nodes we wait for have. Replies come in
   * order on one connection, so every call marked delivered when the answer arrives was published
   * before the count was taken: a count of 0 means its owner left after getting it.
   */
  private checkOwners(now: number): void {
    this.checking = true;
    this.lastCheck = now;
    const nodes = [...this.delivered.keys()];
    this.commands.send(['PUBSUB', 'NUMSUB', ...nodes.map((n) => this.keys.inbox(n))]).then(
      (reply) => {
        this.checking = false;
        const counts = parseNumsub(reply);
        for (const node of nodes) {
          if ((counts.get(this.keys.inbox(node)) ?? 1) !== 0) continue;
          const lost = this.delivered.get(node);
          if (lost === undefined) continue;
          const failure = failed({ kind: 'not-connected', delivered: 'unknown', detail: `node ${node} went away with the call` });
          for (const pending of [...lost]) this.settle(pending, failure);
        }
      },
      // Our connection failed: failAll runs from the connection's state change.
      () => (this.checking = false),
    );
  }

  private settle(pending: Pending, outcome: RemoteOutcome): void {
    if (this.pending.get(pending.id) !== pending) return;
    this.pending.delete(pending.id);
    this.wheel.delete(pending);
    const set = this.delivered.get(pending.node);
    if (set !== undefined && set.delete(pending) && set.size === 0) this.delivered.delete(pending.node);
    pending.resolve(outcome);
  }
}

function failed(error: RemoteFailure): RemoteOutcome {
  return { ok: false, error };
}
