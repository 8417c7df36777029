/** Medians, ranges and markdown formatting for the benchmark report. */

export function median(values: readonly number[]): number {
  const s = values.filter((v) => Number.isFinite(v)).sort((a, b) => a - b);
  if (s.length === 0) return NaN;
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
}

export function min(values: readonly number[]): number {
  const s = values.filter((v) => Number.isFinite(v));
  return s.length ? Math.min(...s) : NaN;
}

export function max(values: readonly number[]): number {
  const s = values.filter((v) => Number.isFinite(v));
  return s.length ? Math.max(...s) : NaN;
}

/** A number with thousands separators and `digits` decimals. */
export function num(value: number, digits = 0): string {
  if (!Number.isFinite(value)) return '–';
  return value.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
}

/** Picks decimals by magnitude: 12,345 / 123 / 12.3 / 1.23. */
export function auto(value: number): string {
  const a = Math.abs(value);
  return num(value, a >= 100 ? 0 : a >= 10 ? 1 : 2);
}

/** `median (min–max)` of per-run values; just the value for a single run. */
export function cell(values: readonly number[] | undefined, format: (v: number) => string = auto): string {
  if (values === undefined || values.length === 0) return '–';
  const m = median(values);
  if (values.length === 1) return format(m);
  return `${format(m)} (${format(min(values))}–${format(max(values))})`;
}

export function ratio(value: number): string {
  return Number.isFinite(value) ? `${value.toFixed(2)}x` : '–';
}

/** A markdown table. */
export function table(head: readonly string[], rows: readonly (readonly string[])[], align?: readonly ('l' | 'r')[]): string {
  const sep = head.map((_, i) => ((align?.[i] ?? (i === 0 ? 'l' : 'r')) === 'r' ? '---:' : '---'));
  return [head, sep, ...rows].map((r) => `| ${r.join(' | ')} |`).join('\n');
}

/** Per-run values under string keys; `add` appends one run's value. */
export class Series {
  private readonly map = new Map<string, number[]>();
  add(key: string, value: number): void {
    let list = this.map.get(key);
    if (!list) this.map.set(key, (list = []));
    list.push(value);
  }
  get(key: string): number[] | undefined {
    return this.map.get(key);
  }
  has(key: string): boolean {
    return this.map.has(key);
  }
}
