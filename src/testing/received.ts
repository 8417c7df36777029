/**
 * What an expectation resolves with, and the options every expectation takes.
 */
import type { CallErrorReply, Reply } from './replies';

/** A CALL the peer sent, as an expectation hands it back. */
export interface Received<Req = unknown, Res = unknown> {
  /** The action. */
  readonly action: string;
  /** The request payload, as received. */
  readonly request: Req;
  /** The CALL's message id. */
  readonly messageId: string;
  /** The CALL's position in the handle's transcript. */
  readonly seq: number;
  /** When it arrived: monotonic milliseconds (see {@link TranscriptEntry.monotonicMs}). */
  readonly monotonicMs: number;
  /** When it arrived: wall-clock time, ISO 8601. */
  readonly wallTime: string;
  /** The subprotocol of the connection it came on. */
  readonly protocol: string;
  /**
   * Answers a CALL held with `respond: 'hold'` (merged over the default answer, like a stub).
   * @throws TypeError when the CALL was not held (`respond: 'hold'`) or was already answered.
   */
  reply(response: Partial<Res> | CallErrorReply): void;
}

/**
 * The tolerance of timing checks when none is given: arrival times are taken when the frame is
 * read, so they carry the event loop's latency (a few ms on loopback). Give OCTT's 4 s
 * (`timingToleranceMs: 4000`) when testing a real charger against OCTT's limits.
 */
export const DEFAULT_TIMING_TOLERANCE_MS = 50;
/** How long an expectation waits when no `timeoutMs` is given (EVerest's default). */
export const DEFAULT_EXPECT_TIMEOUT_MS = 30_000;

/** Options of one expectation. */
export interface ExpectOptions<Req = unknown, Res = unknown> {
  /** How long to wait. @default the handle's `timeoutMs` (30000) */
  readonly timeoutMs?: number;
  /**
   * Only a CALL received after this one counts; it is also the reference of `notBeforeMs` and
   * `withinMs`. Without it those are measured from the moment the expectation is made.
   */
  readonly after?: Received<unknown, unknown>;
  /** The CALL must arrive at least this long after `after` (minus the tolerance). */
  readonly notBeforeMs?: number;
  /** The CALL must arrive at most this long after `after` (plus the tolerance); the wait ends then. */
  readonly withinMs?: number;
  /** Slack of `notBeforeMs` and `withinMs`. @default the handle's (50 ms, {@link DEFAULT_TIMING_TOLERANCE_MS}) */
  readonly toleranceMs?: number;
  /**
   * How to answer the CALL, when it arrives after the expectation was made (one that came
   * earlier was answered already, and the expectation then fails, naming it). Wins over stubs.
   */
  readonly respond?: Reply<Req, Res>;
}

/** Options of `expectNextCall`. */
export interface ExpectNextOptions<Req = unknown, Res = unknown> extends ExpectOptions<Req, Res> {
  /** Actions that may come in between and are passed over (e.g. `['Heartbeat']`). @default [] */
  readonly ignore?: readonly string[];
}

/** Options of `expectAll`. */
export interface ExpectAllOptions {
  /** Whether the CALLs may come in any order; false: in the order listed. @default true */
  readonly anyOrder?: boolean;
  /** How long to wait for all of them. @default the handle's `timeoutMs` */
  readonly timeoutMs?: number;
  /** Only CALLs received after this one count. */
  readonly after?: Received<unknown, unknown>;
}

/** Options of `expectOneOf`. */
export interface ExpectOneOfOptions {
  /** How long to wait. @default the handle's `timeoutMs` */
  readonly timeoutMs?: number;
  /** Only CALLs received after this one count. */
  readonly after?: Received<unknown, unknown>;
}

/** Options of `expectNoCall`. */
export interface ExpectNoCallOptions {
  /** How long nothing may come. */
  readonly forMs: number;
  /** Actions that may come meanwhile (with `'*'`: everything but these is forbidden). @default [] */
  readonly except?: readonly string[];
}

/** Options of `expectCallError`. */
export interface ExpectCallErrorOptions {
  /** Only a CALLERROR answering this message id counts (`'-1'`: a frame whose id was unreadable). */
  readonly messageId?: string;
  /** How long to wait. @default the handle's `timeoutMs` */
  readonly timeoutMs?: number;
}

/** A CALLERROR the peer sent that answered no pending `call()` (a raw frame's, or a late one). */
export interface ReceivedCallError {
  /** The code as on the wire (the version's spelling). */
  readonly errorCode: string;
  /** The code in the canonical (2.0.1) spelling. */
  readonly code: string;
  /** The message id it answers. */
  readonly messageId: string;
  /** The error description. */
  readonly errorDescription: string;
  /** The error details. */
  readonly errorDetails: Record<string, unknown>;
  /** Its position in the transcript. */
  readonly seq: number;
}
