/**
 * A helper shared by the examples (not an example itself): prints each OCPP exchange as one
 * readable line, from either side of the connection.
 *
 *   +0.004s  DEMO-16     → CSMS  CALL    BootNotification        chargePointVendor=Acme chargePointModel=Sim-16
 *   +0.006s  DEMO-16     ← CSMS  RESULT  BootNotification        status=Accepted interval=300
 *
 * OCPP 2.1's own message types show as `SEND` (6: a request never answered) and `RESERR`
 * (5: CALLRESULTERROR, the receiver of a CALLRESULT refusing it), in the sender's column.
 *
 * The charger is always on the left and the CSMS on the right; the arrow points from sender to
 * receiver. Colour only when the output is a terminal and NO_COLOR is unset (no-color.org).
 */
import type { FrameEvent } from '../src/index';

/** What the log needs of a Station or a ChargePoint: an identity and its frame events. */
export interface FrameSource {
  readonly identity: string;
  on(event: 'frame', listener: (event: FrameEvent) => void): unknown;
}

/** Where and how lines are written. */
export interface ExchangeLogOptions {
  /** Receives each finished line (no trailing newline). @default a line on stdout */
  write?: (line: string) => void;
  /** ANSI colours. @default stdout is a TTY and NO_COLOR is unset */
  color?: boolean;
  /** Longest payload summary, in characters. @default 110 */
  maxSummary?: number;
}

/** Counts of what a log has seen, for summaries. */
export interface ExchangeCounts {
  frames: number;
  callErrors: number;
  /** 2.1 CALLRESULTERRORs (message type 5); present once there has been one. */
  callResultErrors?: number;
  /** 2.1 SENDs (message type 6); present once there has been one. */
  sends?: number;
}

/** How many answered ids are remembered, to name the action of a CALLRESULTERROR under one. */
const ANSWERED_MEMORY = 64;

/** Whether colours should be used on `stream` (a TTY, and NO_COLOR unset or empty). */
export function colorEnabled(stream: { isTTY?: boolean } = process.stdout): boolean {
  return stream.isTTY === true && !process.env.NO_COLOR;
}

const CODES = { dim: 2, bold: 1, red: 31, green: 32, yellow: 33, blue: 34, magenta: 35, cyan: 36 } as const;
type Style = keyof typeof CODES;

/** Keys left out of summaries: long and the same in every message. */
const NOISE = new Set(['timestamp', 'currentTime', 'generatedAt', 'customData', 'context', 'chargingState']);

/** A meter sample: 1.6 SampledValue or 2.0.1 SampledValueType. */
interface Sample {
  value: string | number;
  measurand?: string;
  unit?: string;
  unitOfMeasure?: { unit?: string; multiplier?: number };
}

function isSample(value: unknown): value is Sample {
  return value !== null && typeof value === 'object' && 'value' in value && ('measurand' in value || 'unit' in value || 'unitOfMeasure' in value);
}

/** `energy=12528Wh`: a sample as the measurand's short name, the value and the unit. */
function sample(s: Sample): string {
  const measurand = s.measurand ?? 'Energy.Active.Import.Register';
  const name = measurand.startsWith('Energy.Active.Import') ? 'energy' : measurand.startsWith('Power.Active.Import') ? 'power' : measurand;
  const multiplier = s.unitOfMeasure?.multiplier ? `e${s.unitOfMeasure.multiplier}` : '';
  return `${name}=${s.value}${multiplier}${s.unit ?? s.unitOfMeasure?.unit ?? ''}`;
}

function isComponentVariable(value: unknown): value is { component: { name: string }; variable: { name: string } } {
  const v = value as { component?: { name?: unknown }; variable?: { name?: unknown } } | null;
  return typeof v === 'object' && v !== null && typeof v.component?.name === 'string' && typeof v.variable?.name === 'string';
}

/** A UUID as its first 8 digits, any other long string cut at 24 characters. */
function shorten(text: string): string {
  if (/^[0-9a-f]{8}-[0-9a-f]{4}-/i.test(text)) return `${text.slice(0, 8)}…`;
  return text.length > 24 ? `${text.slice(0, 23)}…` : text;
}

/**
 * A one-line summary of a payload: its leaf values as `name=value`, in order, without the
 * timestamps, cut to `max` characters. `{}` for an empty payload.
 */
export function summarize(payload: unknown, max = 110): string {
  const parts: string[] = [];
  const walk = (value: unknown, key: string): void => {
    if (NOISE.has(key)) return;
    if (Array.isArray(value)) value.forEach((item) => walk(item, key));
    else if (isSample(value)) parts.push(sample(value));
    else if (isComponentVariable(value)) {
      // 2.0.1 device model: `Component/Variable`, then the rest of the entry.
      parts.push(`${value.component.name}/${value.variable.name}`);
      for (const [k, v] of Object.entries(value)) if (k !== 'component' && k !== 'variable') walk(v, k);
    } else if (value !== null && typeof value === 'object') for (const [k, v] of Object.entries(value)) walk(v, k);
    else if (key !== '') parts.push(`${key}=${typeof value === 'string' ? shorten(value) : String(value)}`);
  };
  walk(payload, '');
  const text = parts.length === 0 ? '{}' : parts.join(' ');
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

/** A line printer for exchanges, sections and notes, with counters per identity. */
export class ExchangeLog {
  private readonly write: (line: string) => void;
  private readonly color: boolean;
  private readonly maxSummary: number;
  private readonly started = Date.now();
  private readonly counts = new Map<string, ExchangeCounts>();
  /** Actions of calls in flight by message id, to name the action of their answers. */
  private readonly pending = new Map<string, string>();
  /** Actions of calls answered lately, by message id: a CALLRESULTERROR comes under such an id. */
  private readonly answered = new Map<string, string>();

  constructor(options: ExchangeLogOptions = {}) {
    this.write = options.write ?? ((line) => process.stdout.write(`${line}\n`));
    this.color = options.color ?? colorEnabled();
    this.maxSummary = options.maxSummary ?? 110;
  }

  /** Wraps `text` in an ANSI style when colours are on. */
  paint(style: Style, text: string): string {
    return this.color ? `\x1b[${CODES[style]}m${text}\x1b[0m` : text;
  }

  /** What has been seen for `identity` (frames and CALLERRORs). */
  countsFor(identity: string): ExchangeCounts {
    let c = this.counts.get(identity);
    if (!c) this.counts.set(identity, (c = { frames: 0, callErrors: 0 }));
    return c;
  }

  /** Prints a frame. `sender` says which side sent it. */
  frame(identity: string, sender: 'charger' | 'csms', event: FrameEvent): void {
    const { frame } = event;
    const counts = this.countsFor(identity);
    counts.frames++;
    const arrow = sender === 'charger' ? '→' : '←';
    let kind: string;
    let action = event.action ?? this.pending.get(frame.messageId) ?? '?';
    let detail: string;
    if (frame.type === 2 || frame.type === 6) {
      // A SEND is never answered: nothing to remember it for.
      if (frame.type === 2) this.pending.set(frame.messageId, frame.action);
      else counts.sends = (counts.sends ?? 0) + 1;
      action = frame.action;
      kind = this.paint(sender === 'charger' ? 'blue' : 'magenta', frame.type === 2 ? 'CALL  ' : 'SEND  ');
      detail = summarize(frame.payload, this.maxSummary);
    } else if (frame.type === 3) {
      this.pending.delete(frame.messageId);
      this.answered.set(frame.messageId, action);
      if (this.answered.size > ANSWERED_MEMORY) this.answered.delete(this.answered.keys().next().value as string);
      kind = this.paint('green', 'RESULT');
      detail = summarize(frame.payload, this.maxSummary);
    } else if (frame.type === 5) {
      action = event.action ?? this.answered.get(frame.messageId) ?? '?';
      counts.callResultErrors = (counts.callResultErrors ?? 0) + 1;
      kind = this.paint('yellow', 'RESERR');
      detail = this.paint('yellow', `${frame.errorCode}${frame.errorDescription ? `: ${frame.errorDescription}` : ''}`);
    } else {
      this.pending.delete(frame.messageId);
      counts.callErrors++;
      kind = this.paint('red', 'ERROR ');
      detail = this.paint('red', `${frame.errorCode}${frame.errorDescription ? `: ${frame.errorDescription}` : ''}`);
    }
    this.line(`${this.paint('cyan', identity.padEnd(10))} ${arrow} CSMS  ${kind}  ${action.padEnd(24)} ${detail}`);
  }

  /** Prints a note (connections, decisions, state changes). */
  note(text: string): void {
    this.line(this.paint('dim', `· ${text}`));
  }

  /** Prints a section title. */
  section(title: string): void {
    this.write('');
    this.write(this.paint('bold', `── ${title} ${'─'.repeat(Math.max(0, 70 - title.length))}`));
  }

  /** Prints a finished line with the elapsed time in front. */
  line(text: string): void {
    const elapsed = `+${((Date.now() - this.started) / 1000).toFixed(3)}s`;
    this.write(`${this.paint('dim', elapsed.padStart(8))}  ${text}`);
  }

  /** Logs every frame of a station (central-system side). */
  attachStation(station: FrameSource): void {
    station.on('frame', (event) => this.frame(station.identity, event.direction === 'inbound' ? 'charger' : 'csms', event));
  }

  /** Logs every frame of a charge point (charger side). */
  attachChargePoint(cp: FrameSource): void {
    cp.on('frame', (event) => this.frame(cp.identity, event.direction === 'outbound' ? 'charger' : 'csms', event));
  }
}
