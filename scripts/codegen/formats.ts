// The string formats the generated validators use, inlined into each validators.js by the
// generator (validators.ts points ajv's `code.formats` here). Hand-written: edit this file, not
// the generated output, then run `npm run generate`.
//
// `date-time` is ajv-formats' full-mode check with a fast path in front. Every OCPP message with
// a timestamp pays for it (Heartbeat's currentTime, MeterValues' timestamp, ...), and
// ajv-formats splits the string, runs two regular expressions and converts seven captures to
// numbers: about 0.5 µs, a few per cent of a server's whole round trip. Nearly every timestamp on
// the wire has the shape Date#toISOString gives (`2024-05-01T12:00:00.000Z`); for that shape
// the fast path checks the same rules character by character in about 50 ns. It only ever
// answers true, and only for strings ajv-formats accepts too; every other string (offsets, lower
// case, leap seconds, anything invalid) goes to ajv-formats unchanged, so what is accepted and
// refused is exactly ajv-formats' decision (test/unit/formats.test.ts compares the two).
import { fullFormats } from 'ajv-formats/dist/formats';

const fullDateTime = (fullFormats['date-time'] as { validate: (value: string) => boolean }).validate;

/** Days per month in a common year; index 0 unused. */
const DAYS = [0, 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/** The two-digit number at `i`, or -1 when either character is not an ASCII digit. */
function twoDigits(s: string, i: number): number {
  const a = s.charCodeAt(i) - 48;
  const b = s.charCodeAt(i + 1) - 48;
  return a >= 0 && a <= 9 && b >= 0 && b <= 9 ? a * 10 + b : -1;
}

/**
 * True when `s` is `YYYY-MM-DDTHH:MM:SS[.fraction]Z` with a real calendar date, hours 00-23,
 * minutes and seconds 00-59: a subset of what RFC 3339 (ajv-formats' full mode) accepts.
 */
function isCanonicalUtc(s: string): boolean {
  const n = s.length;
  // 'Z', '-', '-', 'T', ':', ':' at their places; a fraction, when present, after '.'.
  if (n < 20 || n > 64 || s.charCodeAt(n - 1) !== 90 || s.charCodeAt(4) !== 45 || s.charCodeAt(7) !== 45) return false;
  if (s.charCodeAt(10) !== 84 || s.charCodeAt(13) !== 58 || s.charCodeAt(16) !== 58) return false;
  const century = twoDigits(s, 0);
  const yy = twoDigits(s, 2);
  const month = twoDigits(s, 5);
  const day = twoDigits(s, 8);
  const hour = twoDigits(s, 11);
  const minute = twoDigits(s, 14);
  const second = twoDigits(s, 17);
  if (century < 0 || yy < 0 || month < 1 || month > 12 || day < 1 || hour < 0 || hour > 23 || minute < 0 || minute > 59 || second < 0 || second > 59) {
    return false;
  }
  if (n > 20) {
    if (n === 21 || s.charCodeAt(19) !== 46) return false;
    for (let i = 20; i < n - 1; i++) {
      const c = s.charCodeAt(i);
      if (c < 48 || c > 57) return false;
    }
  }
  const year = century * 100 + yy;
  const leap = year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
  return day <= (month === 2 && leap ? 29 : DAYS[month]);
}

/** RFC 3339 date-time with a required offset, exactly as ajv-formats' full mode decides it. */
export function dateTime(value: string): boolean {
  return isCanonicalUtc(value) || fullDateTime(value);
}

/** The format table the generated code reads (`formats["date-time"].validate`, `formats.uri`). */
export const formats = {
  'date-time': { validate: dateTime },
  uri: fullFormats.uri,
};
