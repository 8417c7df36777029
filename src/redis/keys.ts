/**
 * The key layout. Every key and channel carries the hash tag `{<namespace>}`, so they all live in
 * one slot and the Lua scripts, which touch several keys at once, also run on Redis Cluster.
 */

/** @internal The names of one namespace's keys and channels. */
export class Keys {
  /** The common prefix, `ocpp:{<namespace>}:`, which the scripts extend themselves. */
  readonly prefix: string;
  /** The set of node ids that ever joined and have not been cleaned up. */
  readonly nodes: string;
  /** The janitor's lock (`SET NX`). */
  readonly janitor: string;
  /** The channel every presence change is published on. */
  readonly presence: string;
  /** The events stream. */
  readonly events: string;

  constructor(readonly namespace: string) {
    this.prefix = `ocpp:{${namespace}}:`;
    this.nodes = `${this.prefix}nodes`;
    this.janitor = `${this.prefix}janitor`;
    this.presence = `${this.prefix}presence`;
    this.events = `${this.prefix}events`;
  }

  /** A station's entry. */
  station(identity: string): string {
    return `${this.prefix}st:${identity}`;
  }

  /** A node's heartbeat key (with a TTL). */
  node(node: string): string {
    return `${this.prefix}node:${node}`;
  }

  /** The set of identities a node holds. */
  owned(node: string): string {
    return `${this.prefix}own:${node}`;
  }

  /** A node's inbox channel (calls, results, evictions). */
  inbox(node: string): string {
    return `${this.prefix}inbox:${node}`;
  }
}

/** Whether `namespace` is usable in the key layout (no braces: they would break the hash tag). */
export function namespaceProblem(namespace: unknown): string | undefined {
  if (typeof namespace !== 'string' || namespace.length === 0) return `namespace must be a non-empty string, got ${String(namespace)}`;
  if (/[{}\s]/.test(namespace)) return `namespace must not contain braces or whitespace, got ${JSON.stringify(namespace)}`;
  return undefined;
}
