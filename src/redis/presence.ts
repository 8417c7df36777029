/**
 * Presence in Redis: which node holds which station, and which nodes are alive. Every change is
 * one Lua script (scripts.ts), which also publishes it on the presence channel.
 */
import type { ClaimResult, PresenceChange, StationRef } from '../cluster/adapter';
import type { Commands } from './commands';
import type { Keys } from './keys';
import { claimMessage, decodeRef, encodeRef, releaseMessage } from './messages';
import { toNumber, toText } from './replies';
import { CLAIM, ENTRIES, HEARTBEAT, LEAVE, LOCATE, RELEASE, run } from './scripts';

/** How many own presence messages are remembered until their echo (see {@link Presence.echo}). */
const ECHO_LIMIT = 4096;

/** What a heartbeat found out about this node's own key. */
export type HeartbeatState = 'alive' | 'expired' | 'taken';

/** @internal The presence operations of one node. */
export class Presence {
  /**
   * This node's own presence messages, by text, with the change each announces. Every node hears
   * its own claims and releases back over Pub/Sub, and the host must apply them in channel order
   * (a claim here drops the mirror's entry of another node); recognising the text spares parsing
   * it. A message whose echo never comes (claim refused, release of a replaced entry) stays until
   * the bound clears the map; a message not found is simply parsed.
   */
  private readonly sent = new Map<string, PresenceChange>();

  constructor(
    private readonly commands: Commands,
    private readonly keys: Keys,
    private readonly nodeId: string,
    /** Unique per process: tells this process's heartbeat key from another one's with the same node id. */
    private readonly token: string,
    private readonly nodeTtlMs: number,
  ) {}

  async claim(identity: string, ref: StationRef, replace: boolean): Promise<ClaimResult> {
    const k = this.keys;
    const message = claimMessage(identity, ref);
    this.expect(message, { identity, ref });
    const reply = (await run(
      this.commands,
      CLAIM,
      [k.station(identity), k.owned(ref.node)],
      [encodeRef(ref), replace ? '1' : '0', identity, k.prefix, ref.node, message],
    )) as unknown[];
    const previous = reply[1] === null || reply[1] === undefined ? null : decodeRef(toText(reply[1]));
    return { claimed: toNumber(reply[0]) === 1, previous };
  }

  /** Claims every entry in one round trip (after Redis came back): keeps newer entries of live nodes. */
  async reclaim(entries: ReadonlyArray<readonly [string, StationRef]>): Promise<void> {
    await Promise.all(entries.map(([identity, ref]) => this.claim(identity, ref, false)));
  }

  async release(identity: string, ref: StationRef): Promise<boolean> {
    const k = this.keys;
    const message = releaseMessage(identity, ref);
    this.expect(message, { identity, ref: null, previous: ref });
    const reply = await run(this.commands, RELEASE, [k.station(identity), k.owned(ref.node)], [encodeRef(ref), identity, k.prefix, ref.node, message]);
    return toNumber(reply) === 1;
  }

  /** The change of `message` when it is one of this node's own (its echo), without parsing it. */
  echo(message: string): PresenceChange | undefined {
    if (this.sent.size === 0) return undefined;
    const change = this.sent.get(message);
    if (change !== undefined) this.sent.delete(message);
    return change;
  }

  private expect(message: string, change: PresenceChange): void {
    if (this.sent.size >= ECHO_LIMIT) this.sent.clear();
    this.sent.set(message, change);
  }

  async locate(identity: string): Promise<StationRef | null> {
    const reply = await run(this.commands, LOCATE, [this.keys.station(identity)], [this.keys.prefix]);
    return reply === null || reply === undefined ? null : decodeRef(toText(reply));
  }

  /** The whole presence of the cluster: every entry whose node is alive. */
  async entries(): Promise<Array<[string, StationRef]>> {
    const reply = await run(this.commands, ENTRIES, [this.keys.nodes], [this.keys.prefix]);
    const list = Array.isArray(reply) ? reply : [];
    const entries: Array<[string, StationRef]> = [];
    for (let i = 0; i + 1 < list.length; i += 2) {
      const ref = decodeRef(toText(list[i + 1]));
      if (ref !== null) entries.push([toText(list[i]), ref]);
    }
    return entries;
  }

  /** Renews this node's heartbeat; runs the janitor's round when this node is (or becomes) the janitor. */
  async heartbeat(): Promise<{ state: HeartbeatState; removed: number }> {
    const k = this.keys;
    const reply = (await run(
      this.commands,
      HEARTBEAT,
      [k.node(this.nodeId), k.nodes, k.janitor],
      [this.token, String(this.nodeTtlMs), this.nodeId, k.prefix],
    )) as unknown[];
    const state = toNumber(reply[0]);
    return { state: state === 0 ? 'alive' : state === 1 ? 'expired' : 'taken', removed: toNumber(reply[1]) };
  }

  /** Whether another live process holds this node id (its heartbeat key has another token). */
  async nodeIdTaken(): Promise<boolean> {
    const current = await this.commands.send(['GET', this.keys.node(this.nodeId)]);
    return current !== null && current !== undefined && toText(current) !== this.token;
  }

  /** Removes this node's entries (announcing each), its heartbeat and its membership. */
  async leave(): Promise<void> {
    const k = this.keys;
    await run(this.commands, LEAVE, [k.owned(this.nodeId), k.node(this.nodeId), k.nodes], [this.nodeId, k.prefix, this.token]);
  }
}
