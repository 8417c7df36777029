/**
 * What travels through Redis, encoded once per message (one JSON.stringify), and read back
 * defensively: anything from the wire that does not parse is reported, never thrown.
 *
 * - a station entry: `[node, conn, protocol]`
 * - on the presence channel: `{i, r: entry | null, p?: entry}`
 * - on a node's inbox: `{t:'call', ...RemoteCall}`, `{t:'result', id, o: RemoteOutcome}`,
 *   `{t:'evict', i, c}`
 */
import type { PresenceChange, RemoteCall, RemoteOutcome, StationRef } from '../cluster/adapter';

type Entry = [node: string, conn: string, protocol: string];

/** A station entry's stored value. */
export function encodeRef(ref: StationRef): string {
  return JSON.stringify([ref.node, ref.conn, ref.protocol]);
}

/** A stored value back to a ref; null when it is not one. */
export function decodeRef(value: unknown): StationRef | null {
  const entry = typeof value === 'string' ? safeParse(value) : value;
  if (!Array.isArray(entry) || entry.length < 3 || !entry.every((x) => typeof x === 'string')) return null;
  const [node, conn, protocol] = entry as Entry;
  return { node, conn, protocol };
}

/** The presence message for `identity` now at `ref`. */
export function claimMessage(identity: string, ref: StationRef): string {
  return JSON.stringify({ i: identity, r: [ref.node, ref.conn, ref.protocol] });
}

/** The presence message for `identity`'s entry `ref` removed. */
export function releaseMessage(identity: string, ref: StationRef): string {
  return JSON.stringify({ i: identity, r: null, p: [ref.node, ref.conn, ref.protocol] });
}

/** A presence message as a change; undefined when it is not one. */
export function parsePresence(message: string): PresenceChange | undefined {
  const m = safeParse(message) as { i?: unknown; r?: unknown; p?: unknown } | undefined;
  if (m === undefined || m === null || typeof m.i !== 'string') return undefined;
  if (m.r !== null) {
    const ref = decodeRef(m.r);
    return ref === null ? undefined : { identity: m.i, ref };
  }
  const previous = m.p === undefined ? null : decodeRef(m.p);
  return previous === null ? { identity: m.i, ref: null } : { identity: m.i, ref: null, previous };
}

/** A call for the owner's inbox. */
export function callMessage(call: RemoteCall): string {
  return JSON.stringify({
    t: 'call',
    id: call.id,
    from: call.from,
    identity: call.identity,
    conn: call.conn,
    action: call.action,
    payload: call.payload,
    validate: call.validate,
    deadline: call.deadline,
  });
}

/** An outcome for the caller's inbox. */
export function resultMessage(id: string, outcome: RemoteOutcome): string {
  return JSON.stringify({ t: 'result', id, o: outcome });
}

/** An eviction for the owner's inbox. */
export function evictMessage(identity: string, conn: string): string {
  return JSON.stringify({ t: 'evict', i: identity, c: conn });
}

/** What arrived in an inbox. */
export type InboxMessage =
  | { readonly t: 'call'; readonly call: RemoteCall }
  | { readonly t: 'result'; readonly id: string; readonly outcome: RemoteOutcome }
  | { readonly t: 'evict'; readonly identity: string; readonly conn: string };

/** An inbox message; undefined when it is none of ours. */
export function parseInbox(message: string): InboxMessage | undefined {
  const m = safeParse(message) as Record<string, unknown> | undefined;
  if (m === undefined || m === null || typeof m !== 'object') return undefined;
  switch (m.t) {
    case 'call': {
      const { id, from, identity, conn, action, deadline } = m;
      if (typeof id !== 'string' || typeof from !== 'string' || typeof identity !== 'string' || typeof conn !== 'string') return undefined;
      if (typeof action !== 'string' || typeof deadline !== 'number') return undefined;
      // A caller that does not say is asking for validation: strict is the default everywhere.
      return { t: 'call', call: { id, from, identity, conn, action, payload: m.payload, deadline, validate: m.validate !== false } };
    }
    case 'result': {
      const o = m.o as RemoteOutcome | undefined;
      if (typeof m.id !== 'string' || o === null || typeof o !== 'object' || typeof o.ok !== 'boolean') return undefined;
      return { t: 'result', id: m.id, outcome: o };
    }
    case 'evict':
      if (typeof m.i !== 'string' || typeof m.c !== 'string') return undefined;
      return { t: 'evict', identity: m.i, conn: m.c };
    default:
      return undefined;
  }
}

function safeParse(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}
