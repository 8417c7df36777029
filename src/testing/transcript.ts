/**
 * Every frame on a handle, in order: what was received and sent (raw text included), when, and
 * whether it passed validation. Printable for humans (`format()`) and JSON for tools (`toJSON()`).
 */
import { monotonicNow, wallIso, wallNow } from './clock';

/** One line of a {@link Transcript}. */
export interface TranscriptEntry {
  /** Position in the transcript, from 1. */
  readonly seq: number;
  /** Monotonic milliseconds (the real `performance.now()`, immune to fake timers). */
  readonly monotonicMs: number;
  /** Wall-clock time, ISO 8601. */
  readonly wallTime: string;
  /**
   * `in`: received from the peer; `out`: sent to it; `event`: the connection opened, closed or
   * was refused (not a frame).
   */
  readonly direction: 'in' | 'out' | 'event';
  /**
   * `CALL`, `CALLRESULT`, `CALLERROR`, `CALLRESULTERROR`, `SEND`; `raw` for text sent with
   * `sendRaw`; `bad` for a received text that is no valid frame; `event` for events.
   */
  readonly kind: 'CALL' | 'CALLRESULT' | 'CALLERROR' | 'CALLRESULTERROR' | 'SEND' | 'raw' | 'bad' | 'event';
  /** The text exactly as received or sent (for events, what happened). */
  readonly text: string;
  /** The frame's message id, when known. */
  readonly messageId?: string;
  /** The action, when known (CALLs, and answers to a known CALL). */
  readonly action?: string;
  /**
   * `passed`: the payload was validated against the schema and passed; `failed`: it broke it
   * (see `validationError`); `skipped`: sent with validation off (`validate: false`, `sendRaw`);
   * `none`: nothing to validate (CALLERRORs, bad frames, events).
   */
  validation: 'passed' | 'failed' | 'skipped' | 'none';
  /** Why validation failed: the canonical error code and the detail naming the JSON path. */
  validationError?: { readonly code: string; readonly detail: string };
}

const KINDS: Readonly<Record<number, TranscriptEntry['kind']>> = { 2: 'CALL', 3: 'CALLRESULT', 4: 'CALLERROR', 5: 'CALLRESULTERROR', 6: 'SEND' };

/** The transcript kind of an OCPP message type id. */
export function kindOfType(type: number): TranscriptEntry['kind'] {
  return KINDS[type] ?? 'bad';
}

/** Options of {@link Transcript.format}. */
export interface TranscriptFormatOptions {
  /** Only the last `tail` entries. @default all */
  readonly tail?: number;
  /** Longest text printed per entry (longer ones end in `…`). @default 500 */
  readonly maxTextLength?: number;
}

/**
 * The frames of one handle, across its reconnects. Entries are kept in memory up to `limit`
 * (the oldest are dropped first, and `dropped` counts them).
 */
export class Transcript {
  private readonly list: TranscriptEntry[] = [];
  private nextSeq = 1;
  private readonly startedAt = monotonicNow();
  /** Entries dropped because the transcript passed its limit. */
  dropped = 0;

  /** @param limit - the most entries kept. */
  constructor(private readonly limit = 10_000) {}

  /** The entries kept, oldest first. */
  get entries(): readonly TranscriptEntry[] {
    return this.list;
  }

  /** The number of the next entry. */
  get length(): number {
    return this.nextSeq - 1;
  }

  /** @internal Appends an entry and returns it. */
  add(entry: Omit<TranscriptEntry, 'seq' | 'monotonicMs' | 'wallTime' | 'validation'> & { validation?: TranscriptEntry['validation'] }): TranscriptEntry {
    const full: TranscriptEntry = { validation: 'none', ...entry, seq: this.nextSeq++, monotonicMs: monotonicNow(), wallTime: wallIso(wallNow()) };
    this.list.push(full);
    if (this.list.length > this.limit) {
      this.list.shift();
      this.dropped++;
    }
    return full;
  }

  /** @internal The latest entry of `direction` and kind with `messageId`, if still kept. */
  find(direction: 'in' | 'out', kinds: readonly TranscriptEntry['kind'][], messageId: string): TranscriptEntry | undefined {
    for (let i = this.list.length - 1; i >= 0; i--) {
      const e = this.list[i];
      if (e.direction === direction && e.messageId === messageId && kinds.includes(e.kind)) return e;
    }
    return undefined;
  }

  /**
   * The transcript as text, one line per entry:
   * `#7 +1523.4ms 2026-12-03T10:25:01.123Z <- CALL BootNotification [2,"…",…]` with a
   * `(validation failed: …)` note where a payload broke its schema. `<-` is received, `->` sent.
   */
  format(options: TranscriptFormatOptions = {}): string {
    const max = options.maxTextLength ?? 500;
    const from = options.tail === undefined ? 0 : Math.max(0, this.list.length - options.tail);
    const lines: string[] = [];
    if (from === 0 && this.dropped > 0) lines.push(`(${this.dropped} earlier entries dropped)`);
    for (const e of this.list.slice(from)) {
      const arrow = e.direction === 'in' ? '<-' : e.direction === 'out' ? '->' : '--';
      const text = e.text.length > max ? `${e.text.slice(0, max)}…` : e.text;
      const label = e.kind === 'event' ? '' : `${e.kind}${e.action === undefined ? '' : ` ${e.action}`} `;
      const note =
        e.validation === 'failed'
          ? `  (validation failed: ${e.validationError?.code ?? ''} ${e.validationError?.detail ?? ''})`
          : e.validation === 'skipped'
            ? '  (not validated)'
            : '';
      lines.push(`#${e.seq} +${(e.monotonicMs - this.startedAt).toFixed(1)}ms ${e.wallTime} ${arrow} ${label}${text}${note}`);
    }
    return lines.join('\n');
  }

  /** The entries as plain JSON-ready objects (what `JSON.stringify(transcript)` writes). */
  toJSON(): { startedAtMonotonicMs: number; dropped: number; entries: TranscriptEntry[] } {
    return { startedAtMonotonicMs: this.startedAt, dropped: this.dropped, entries: this.list.map((e) => ({ ...e })) };
  }
}
