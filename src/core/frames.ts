/**
 * OCPP-J message frames: the five JSON-array shapes and their pure parser and serializer.
 *
 * The parser is the first thing that touches untrusted input, so it never throws: every input,
 * however broken, yields either a frame or a {@link FramingError} describing what is wrong and
 * as much of the frame (type id, message id) as could be read, because the endpoint needs
 * exactly those two facts to decide whether and how to answer.
 */
import { isPlainObject } from './guards';

/** The OCPP-J message type ids. 5 and 6 exist only in OCPP 2.1. */
export const MessageType = {
  /** A request that must be answered. */
  CALL: 2,
  /** The successful answer to a CALL. */
  CALLRESULT: 3,
  /** The failed answer to a CALL. */
  CALLERROR: 4,
  /** OCPP 2.1: the rejection of a CALLRESULT. */
  CALLRESULTERROR: 5,
  /** OCPP 2.1: a request that is never answered. */
  SEND: 6,
} as const;

/** A message type id known to the framing layer (2..6). */
export type MessageTypeId = (typeof MessageType)[keyof typeof MessageType];

/** Longest message id allowed by OCPP-J, in characters (Unicode code points). */
export const MAX_MESSAGE_ID_LENGTH = 36;

/**
 * Default of the nesting limit of {@link parseFrame}: arrays and objects inside one another,
 * the frame's own array counting as level 1. OCPP payloads nest to about 8 levels (2.0.1), so
 * 128 leaves room for any DataTransfer data while JSON.parse of a deeper text, which costs about
 * 0.5 µs per level (a 1 MB frame nested 500,000 deep: 200-300 ms of a blocked event loop), is
 * never started.
 */
export const DEFAULT_MAX_JSON_DEPTH = 128;

/**
 * Texts up to this many characters are parsed whatever their nesting, without the depth scan.
 * Measured on Node 20: JSON.parse of 4,096 characters nested as deep as they can be takes about
 * 170 µs (arrays; objects half that), against some 20 µs for an ordinary frame of that size:
 * bounded, and no stall. The scan itself would cost every ordinary frame about 2 µs per KB
 * (a 10-sample MeterValues of 1.5 KB: 7.4 -> 10.3 µs in parseFrame, some 8% of the server's
 * CPU per round trip). Deep nesting is superlinear only far above this size (1 MB nested
 * 500,000 deep: 200-300 ms), which is what the limit is for.
 */
export const DEPTH_SCAN_MIN_LENGTH = 4096;

/** A JSON object as produced by `JSON.parse`: the only allowed shape of payloads and error details. */
export type JsonObject = { [key: string]: unknown };

/** `[2, messageId, action, payload]`: a request that must be answered. */
export interface CallFrame {
  /** {@link MessageType.CALL}. */
  readonly type: 2;
  /** Id the answer must echo; 1..36 characters. */
  readonly messageId: string;
  /** Action name, case-sensitive (2.x: without the `Request` suffix). */
  readonly action: string;
  /** The request payload. */
  readonly payload: JsonObject;
}

/** `[3, messageId, payload]`: the successful answer to a CALL. */
export interface CallResultFrame {
  /** {@link MessageType.CALLRESULT}. */
  readonly type: 3;
  /** Id of the CALL this answers. */
  readonly messageId: string;
  /** The response payload. */
  readonly payload: JsonObject;
}

/** `[4, messageId, errorCode, errorDescription, errorDetails]`: the failed answer to a CALL. */
export interface CallErrorFrame {
  /** {@link MessageType.CALLERROR}. */
  readonly type: 4;
  /** Id of the CALL this answers (`"-1"` when that id could not be read, 2.x). */
  readonly messageId: string;
  /** Error code as on the wire (the version's spelling). */
  readonly errorCode: string;
  /** Error description; `""` when empty. */
  readonly errorDescription: string;
  /** Error details; `{}` when empty. */
  readonly errorDetails: JsonObject;
}

/**
 * `[5, messageId, errorCode, errorDescription, errorDetails]` (OCPP 2.1): the receiver of a
 * CALLRESULT rejects it; `messageId` is the id of that CALLRESULT (and of its CALL).
 */
export interface CallResultErrorFrame {
  /** {@link MessageType.CALLRESULTERROR}. */
  readonly type: 5;
  /** Id of the rejected CALLRESULT. */
  readonly messageId: string;
  /** Error code as on the wire. */
  readonly errorCode: string;
  /** Error description; `""` when empty. */
  readonly errorDescription: string;
  /** Error details; `{}` when empty. */
  readonly errorDetails: JsonObject;
}

/** `[6, messageId, action, payload]` (OCPP 2.1): a request that is never answered. */
export interface SendFrame {
  /** {@link MessageType.SEND}. */
  readonly type: 6;
  /** Message id; shares the id space of CALLs. */
  readonly messageId: string;
  /** Action name. */
  readonly action: string;
  /** The request payload. */
  readonly payload: JsonObject;
}

/** Any well-formed OCPP-J frame, discriminated on `type`. */
export type Frame = CallFrame | CallResultFrame | CallErrorFrame | CallResultErrorFrame | SendFrame;

/**
 * What {@link serializeFrame} accepts: a {@link Frame} whose payload, description and details
 * may be left out (written as `{}`, `""` and `{}`). A `null` payload or details is also written
 * as `{}`, because `null` in their place is a well-known interoperability bug (checklist item 6).
 */
export type FrameInit = RequestFrameInit | ResultFrameInit | ErrorFrameInit;

/** A CALL or SEND to serialize. */
export interface RequestFrameInit {
  /** {@link MessageType.CALL} or {@link MessageType.SEND}. */
  readonly type: 2 | 6;
  /** Message id, 1..36 characters. */
  readonly messageId: string;
  /** Action name, non-empty. */
  readonly action: string;
  /** Request payload; `undefined` and `null` are written as `{}`. */
  readonly payload?: unknown;
}

/** A CALLRESULT to serialize. */
export interface ResultFrameInit {
  /** {@link MessageType.CALLRESULT}. */
  readonly type: 3;
  /** Id of the CALL answered. */
  readonly messageId: string;
  /** Response payload; `undefined` and `null` are written as `{}`. */
  readonly payload?: unknown;
}

/** A CALLERROR or CALLRESULTERROR to serialize. */
export interface ErrorFrameInit {
  /** {@link MessageType.CALLERROR} or {@link MessageType.CALLRESULTERROR}. */
  readonly type: 4 | 5;
  /** Id of the message answered. */
  readonly messageId: string;
  /** Error code, already spelled for the wire. */
  readonly errorCode: string;
  /** Written as `""` when undefined. */
  readonly errorDescription?: string;
  /** Written as `{}` when undefined or `null`. */
  readonly errorDetails?: unknown;
}

/** Why a text is not a valid frame. */
export type FramingErrorKind =
  /** Not parseable as JSON (or not text at all). */
  | 'not-json'
  /** Valid JSON, but not an array. */
  | 'not-array'
  /** The first element is missing or is not an integer. */
  | 'bad-message-type'
  /** The first element is an integer that is not a known message type id (2..6). */
  | 'unknown-message-type'
  /** The message id is not a non-empty string. */
  | 'bad-message-id'
  /** The message id is longer than {@link MAX_MESSAGE_ID_LENGTH} characters. */
  | 'message-id-too-long'
  /** The array does not have the element count of its message type. */
  | 'wrong-length'
  /** Action, payload, error code, description or details has the wrong type. */
  | 'bad-field'
  /** Arrays and objects nest deeper than the limit; the text was not parsed. */
  | 'too-deep';

/**
 * A text that is not a valid frame. `messageId` and `messageType` are set when they could be
 * read, so the endpoint can answer with the right id or decide not to answer at all.
 * `detail` never quotes the input: it is safe to send to the peer as an error description.
 */
export interface FramingError {
  /** What is wrong, as a machine-readable category. */
  readonly kind: FramingErrorKind;
  /** The frame's message id, when it is a valid one (a string of 1..36 characters). */
  readonly messageId?: string;
  /** The frame's message type id, when the first element is an integer. */
  readonly messageType?: number;
  /** What is wrong, e.g. `CALL must have 4 elements, got 3`. */
  readonly detail: string;
}

/** The outcome of {@link parseFrame}. */
export type ParseResult = ParseSuccess | ParseFailure;

/** {@link parseFrame} found a well-formed frame. */
export interface ParseSuccess {
  /** Discriminant. */
  readonly ok: true;
  /** The parsed frame. */
  readonly frame: Frame;
}

/** {@link parseFrame} found no well-formed frame. */
export interface ParseFailure {
  /** Discriminant. */
  readonly ok: false;
  /** What is wrong, and what could be read. */
  readonly error: FramingError;
}

const TYPE_NAMES: Readonly<Record<number, string>> = {
  2: 'CALL',
  3: 'CALLRESULT',
  4: 'CALLERROR',
  5: 'CALLRESULTERROR',
  6: 'SEND',
};

const TYPE_LENGTHS: Readonly<Record<number, number>> = { 2: 4, 3: 3, 4: 5, 5: 5, 6: 4 };

/**
 * True when `id` is a valid OCPP-J message id: a non-empty string of at most 36 characters.
 * Characters are Unicode code points, as in JSON Schema's `maxLength`; the common all-ASCII case
 * is decided by `length` alone.
 */
export function isValidMessageId(id: unknown): id is string {
  if (typeof id !== 'string') return false;
  const n = id.length;
  if (n === 0) return false;
  if (n <= MAX_MESSAGE_ID_LENGTH) return true;
  // Each code point takes one or two UTF-16 units, so beyond 72 units it cannot fit.
  if (n > 2 * MAX_MESSAGE_ID_LENGTH) return false;
  let points = 0;
  for (let i = 0; i < n; i++) {
    const c = id.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff && i + 1 < n) {
      const d = id.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) i++;
    }
    if (++points > MAX_MESSAGE_ID_LENGTH) return false;
  }
  return true;
}

function isJsonObject(value: unknown): value is JsonObject {
  return isPlainObject(value);
}

function fail(kind: FramingErrorKind, detail: string, messageType?: number, messageId?: string): ParseResult {
  const error: { kind: FramingErrorKind; detail: string; messageType?: number; messageId?: string } = { kind, detail };
  if (messageType !== undefined) error.messageType = messageType;
  if (messageId !== undefined) error.messageId = messageId;
  return { ok: false, error };
}

function typeOf(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  return typeof value;
}

/**
 * True when arrays and objects in `text` nest deeper than `max`. Stops at the first level past
 * `max`, so a hostile megabyte of `[` costs `max` steps. Brackets inside strings do not count;
 * the text is not otherwise checked (JSON.parse does that next).
 */
function nestsDeeperThan(text: string, max: number): boolean {
  let depth = 0;
  const n = text.length;
  for (let i = 0; i < n; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x22) {
      // Skip the string with indexOf (most of an OCPP frame is strings): to the next quote
      // preceded by an even number of backslashes.
      for (;;) {
        i = text.indexOf('"', i + 1);
        if (i < 0) return false;
        let k = i - 1;
        while (text.charCodeAt(k) === 0x5c) k--;
        if (((i - k) & 1) === 1) break;
      }
    } else if (c === 0x5b || c === 0x7b) {
      if (++depth > max) return true;
    } else if (c === 0x5d || c === 0x7d) {
      depth--;
    }
  }
  return false;
}

/** `[<type>,"<id>"` at the start of a text that was not parsed: enough to answer it by the rules. */
const HEAD = /^\s*\[\s*(\d)\s*,\s*"([^"\\]{1,72})"/;

function tooDeep(text: string, max: number): ParseResult {
  const detail = `frame nests deeper than ${max} levels`;
  const head = HEAD.exec(text);
  // Only a known type is reported: an unknown one would be answered as such, unread as it is.
  if (head === null || TYPE_NAMES[Number(head[1])] === undefined) return fail('too-deep', detail);
  return fail('too-deep', detail, Number(head[1]), isValidMessageId(head[2]) ? head[2] : undefined);
}

/**
 * Parses one OCPP-J text frame. Never throws: a broken frame gives `{ ok: false, error }`.
 *
 * Checks the element count of each type exactly (4/3/5/5/4), that the message id is a string
 * of 1..36 characters, that the action is a non-empty string, that payloads and error details
 * are JSON objects (not arrays, not `null`) and that error code and description are strings.
 * Types 5 and 6 parse whatever the version; whether they are allowed is the endpoint's call.
 * Payloads are returned as `JSON.parse` built them, never copied, so a `"__proto__"` key stays
 * an ordinary own property.
 *
 * A text longer than 4,096 characters whose arrays and objects nest deeper than `maxDepth` (the
 * frame's array is level 1) is not parsed at all: it is a `too-deep` framing error, carrying the
 * type id and message id read from its start when they are there. Shorter texts are parsed
 * whatever their nesting: at that size JSON.parse costs at most about 0.2 ms, and scanning every
 * ordinary frame would cost more than it saves (see DEPTH_SCAN_MIN_LENGTH).
 *
 * @param text - the frame as received.
 * @param maxDepth - nesting limit, a positive integer; 128 (`DEFAULT_MAX_JSON_DEPTH`) by default.
 *
 * @example
 * ```ts
 * const r = parseFrame('[2,"19223201","Heartbeat",{}]');
 * if (r.ok && r.frame.type === MessageType.CALL) console.log(r.frame.action); // Heartbeat
 * ```
 */
export function parseFrame(text: string, maxDepth: number = DEFAULT_MAX_JSON_DEPTH): ParseResult {
  if (typeof text !== 'string') return fail('not-json', 'frame is not text');
  // Ordinary frames (Heartbeat, StatusNotification, a 10-sample MeterValues) are never scanned:
  // up to DEPTH_SCAN_MIN_LENGTH characters the parse is cheap whatever the nesting. Valid JSON
  // nesting deeper than maxDepth also needs more than 2 * maxDepth characters.
  if (text.length > DEPTH_SCAN_MIN_LENGTH && text.length > 2 * maxDepth && nestsDeeperThan(text, maxDepth)) return tooDeep(text, maxDepth);
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    // JSON.parse's message quotes the input; the detail must not (checklist item 12).
    return fail('not-json', 'frame is not valid JSON');
  }
  if (!Array.isArray(value)) return fail('not-array', `frame must be a JSON array, got ${typeOf(value)}`);

  const type: unknown = value[0];
  if (typeof type !== 'number' || !Number.isInteger(type)) {
    return fail('bad-message-type', value.length === 0 ? 'frame is an empty array' : `message type id must be an integer, got ${typeOf(type)}`);
  }
  const rawId: unknown = value[1];
  const messageId = isValidMessageId(rawId) ? rawId : undefined;
  const name = TYPE_NAMES[type];
  if (name === undefined) return fail('unknown-message-type', `unknown message type id ${type}`, type, messageId);

  if (value.length < 2) return fail('wrong-length', `${name} must have ${TYPE_LENGTHS[type]} elements, got ${value.length}`, type);
  if (messageId === undefined) {
    if (typeof rawId === 'string' && rawId.length > 0) {
      return fail('message-id-too-long', `message id must be at most ${MAX_MESSAGE_ID_LENGTH} characters`, type);
    }
    return fail('bad-message-id', `message id must be a non-empty string, got ${typeof rawId === 'string' ? 'empty string' : typeOf(rawId)}`, type);
  }
  const expected = TYPE_LENGTHS[type];
  if (value.length !== expected) {
    return fail('wrong-length', `${name} must have ${expected} elements, got ${value.length}`, type, messageId);
  }

  switch (type) {
    case 2:
    case 6: {
      const action: unknown = value[2];
      if (typeof action !== 'string' || action.length === 0) {
        return fail(
          'bad-field',
          `${name} action must be a non-empty string, got ${typeof action === 'string' ? 'empty string' : typeOf(action)}`,
          type,
          messageId,
        );
      }
      const payload: unknown = value[3];
      if (!isJsonObject(payload)) return fail('bad-field', `${name} payload must be an object, got ${typeOf(payload)}`, type, messageId);
      return { ok: true, frame: { type, messageId, action, payload } };
    }
    case 3: {
      const payload: unknown = value[2];
      if (!isJsonObject(payload)) return fail('bad-field', `CALLRESULT payload must be an object, got ${typeOf(payload)}`, type, messageId);
      return { ok: true, frame: { type, messageId, payload } };
    }
    default: {
      // 4 and 5 share one shape.
      const errorCode: unknown = value[2];
      const errorDescription: unknown = value[3];
      const errorDetails: unknown = value[4];
      if (typeof errorCode !== 'string') return fail('bad-field', `${name} error code must be a string, got ${typeOf(errorCode)}`, type, messageId);
      if (typeof errorDescription !== 'string') {
        return fail('bad-field', `${name} error description must be a string, got ${typeOf(errorDescription)}`, type, messageId);
      }
      if (!isJsonObject(errorDetails)) return fail('bad-field', `${name} error details must be an object, got ${typeOf(errorDetails)}`, type, messageId);
      return { ok: true, frame: { type: type as 4 | 5, messageId, errorCode, errorDescription, errorDetails } };
    }
  }
}

/**
 * Serializes a payload or error details: `undefined` and `null` become `{}`; anything that does
 * not serialize to a JSON object (arrays, primitives, a Date's string) is a programming error.
 */
function objectJson(value: unknown, what: string): string {
  if (value === undefined || value === null) return '{}';
  const json: string | undefined = JSON.stringify(value);
  // 123 is '{': one char check covers arrays, primitives, functions and toJSON() surprises.
  if (json === undefined || json.charCodeAt(0) !== 123) throw new TypeError(`${what} must serialize to a JSON object`);
  return json;
}

/**
 * JSON string literal of `text`. Ids and action names are short and plain, and for those a scan
 * plus concatenation is about twice as fast as `JSON.stringify`; anything that needs escaping
 * (quote, backslash, control character, any surrogate) goes to `JSON.stringify` itself.
 */
function quote(text: string): string {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x20 || c === 0x22 || c === 0x5c || (c >= 0xd800 && c <= 0xdfff)) return JSON.stringify(text);
  }
  return '"' + text + '"';
}

function idJson(messageId: string): string {
  if (!isValidMessageId(messageId)) throw new TypeError(`message id must be a string of 1..${MAX_MESSAGE_ID_LENGTH} characters`);
  return quote(messageId);
}

/** `[2|6,"id","action",{...}]` without building a frame object (the endpoint's hot path). */
export function serializeRequest(type: 2 | 6, messageId: string, action: string, payload: unknown): string {
  if (typeof action !== 'string' || action.length === 0) throw new TypeError('action must be a non-empty string');
  return (type === 2 ? '[2,' : '[6,') + idJson(messageId) + ',' + quote(action) + ',' + objectJson(payload, 'payload') + ']';
}

/** `[3,"id",{...}]` without building a frame object (the endpoint's hot path). */
export function serializeResult(messageId: string, payload: unknown): string {
  return '[3,' + idJson(messageId) + ',' + objectJson(payload, 'payload') + ']';
}

/** `[4|5,"id","code","description",{...}]` without building a frame object. */
export function serializeError(type: 4 | 5, messageId: string, errorCode: string, errorDescription: string | undefined, errorDetails: unknown): string {
  if (typeof errorCode !== 'string') throw new TypeError('error code must be a string');
  const description = errorDescription === undefined ? '""' : JSON.stringify(String(errorDescription));
  return (type === 4 ? '[4,' : '[5,') + idJson(messageId) + ',' + quote(errorCode) + ',' + description + ',' + objectJson(errorDetails, 'error details') + ']';
}

/**
 * Serializes a frame to its OCPP-J text. Pure; the payload is passed to `JSON.stringify` once
 * and the envelope is built by hand around it.
 *
 * Writes `{}` for an undefined (or `null`) payload or error details and `""` for an undefined
 * description. Throws a `TypeError` for what can never be a valid frame: a message id that is
 * not 1..36 characters, an empty action, or a payload that does not serialize to a JSON object;
 * and whatever `JSON.stringify` throws (cycles, BigInt).
 *
 * @example
 * ```ts
 * serializeFrame({ type: MessageType.CALLRESULT, messageId: '19223201', payload: { currentTime: '2025-01-01T00:00:00Z' } });
 * // '[3,"19223201",{"currentTime":"2025-01-01T00:00:00Z"}]'
 * ```
 */
export function serializeFrame(frame: Frame | FrameInit): string {
  switch (frame.type) {
    case 2:
    case 6:
      return serializeRequest(frame.type, frame.messageId, frame.action, frame.payload);
    case 3:
      return serializeResult(frame.messageId, frame.payload);
    case 4:
    case 5:
      return serializeError(frame.type, frame.messageId, frame.errorCode, frame.errorDescription, frame.errorDetails);
    default:
      throw new TypeError(`unknown message type id ${String((frame as { type: unknown }).type)}`);
  }
}
