/**
 * Raw replies, made one shape. The same command comes back differently from node-redis (RESP3
 * maps as plain objects), ioredis (RESP3 maps flattened into `[key, value, key, value]`) and
 * either over RESP2 (`[[key, value], ...]`), with strings or Buffers depending on the client's
 * type mapping. Everything the adapter reads goes through here.
 */

/** A reply element as text (Buffers decoded as UTF-8; null and undefined as ''). */
export function toText(value: unknown): string {
  if (typeof value === 'string') return value;
  if (value === null || value === undefined) return '';
  if (value instanceof Uint8Array) return Buffer.from(value.buffer, value.byteOffset, value.byteLength).toString('utf8');
  if (typeof value === 'number' || typeof value === 'bigint' || typeof value === 'boolean') return String(value);
  return JSON.stringify(value);
}

/** A reply element as a number (integers may come as numbers, bigints or text). */
export function toNumber(value: unknown): number {
  if (typeof value === 'number') return value;
  if (typeof value === 'bigint') return Number(value);
  return Number(toText(value));
}

/**
 * A map-like reply (`PUBSUB NUMSUB`, the top level of `XREADGROUP`) as key-value pairs, whatever
 * shape it came in: a Map, a plain object, a flat array or an array of pairs.
 */
export function toPairs(reply: unknown): Array<[string, unknown]> {
  if (reply === null || reply === undefined) return [];
  if (reply instanceof Map) return [...(reply as Map<unknown, unknown>)].map(([k, v]) => [toText(k), v]);
  if (Array.isArray(reply)) {
    if (reply.length === 0) return [];
    if (Array.isArray(reply[0]) && (reply[0] as unknown[]).length === 2) return (reply as Array<[unknown, unknown]>).map(([k, v]) => [toText(k), v]);
    const pairs: Array<[string, unknown]> = [];
    for (let i = 0; i + 1 < reply.length; i += 2) pairs.push([toText(reply[i]), reply[i + 1]]);
    return pairs;
  }
  if (typeof reply === 'object') return Object.entries(reply as Record<string, unknown>);
  throw new TypeError(`unexpected reply shape: ${typeof reply}`);
}

/** `PUBSUB NUMSUB a b ...`: the subscriber count per channel. */
export function parseNumsub(reply: unknown): Map<string, number> {
  const counts = new Map<string, number>();
  for (const [channel, count] of toPairs(reply)) counts.set(channel, toNumber(count));
  return counts;
}

/** One stream entry: its id and its fields (null when the entry was trimmed away). */
export interface StreamEntry {
  readonly id: string;
  readonly fields: Map<string, string> | null;
}

/**
 * `XREADGROUP ... STREAMS key id`: the entries of the one stream read. An entry is `[id, fields]`
 * in every client; fields are a flat array, or a map/object under some type mappings.
 */
export function parseStreamEntries(reply: unknown): StreamEntry[] {
  const entries: StreamEntry[] = [];
  for (const [, list] of toPairs(reply)) {
    if (!Array.isArray(list)) continue;
    for (const raw of list as unknown[]) {
      if (Array.isArray(raw)) {
        entries.push({ id: toText(raw[0]), fields: raw[1] === null || raw[1] === undefined ? null : new Map(toPairs(raw[1]).map(([k, v]) => [k, toText(v)])) });
      } else if (raw !== null && typeof raw === 'object' && 'id' in raw) {
        // node-redis with a transform: { id, message }
        const entry = raw as { id: unknown; message?: unknown };
        entries.push({ id: toText(entry.id), fields: entry.message == null ? null : new Map(toPairs(entry.message).map(([k, v]) => [k, toText(v)])) });
      }
    }
  }
  return entries;
}

/** A flat array reply of texts (`[a, b, c]`); anything else is an empty list. */
export function toTextList(reply: unknown): string[] {
  return Array.isArray(reply) ? reply.map(toText) : [];
}
