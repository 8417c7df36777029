/**
 * Helpers for core tests: a raw peer that speaks frames by hand over the other end of a memory
 * transport pair, endpoint factories with deterministic ids, and a guard for
 * unhandled rejections.
 */
import { RpcEndpoint } from '../../src/core/endpoint';
import { createMemoryTransportPair } from '../../src/core/memory-transport';
import type { RpcEndpointEvents } from '../../src/core/events';
import type { RpcEndpointOptions } from '../../src/core/options';
import type { ProtocolRules } from '../../src/core/protocol-rules';
import type { Transport } from '../../src/core/transport';

/** Lets every queued microtask (and microtask chain) run. Uses setImmediate, which tests never fake. */
export async function flush(): Promise<void> {
  await new Promise<void>((resolve) => setImmediate(resolve));
  await new Promise<void>((resolve) => setImmediate(resolve));
}

/** The far end of a memory transport, driven by hand. */
export class RawPeer {
  readonly texts: string[] = [];
  closed: { code: number; reason: string } | undefined;
  private waiters: (() => void)[] = [];

  constructor(readonly transport: Transport) {
    transport.setSink({
      message: (text) => {
        this.texts.push(text);
        for (const wake of this.waiters.splice(0)) wake();
      },
      close: (code, reason) => {
        this.closed = { code, reason };
        for (const wake of this.waiters.splice(0)) wake();
      },
    });
  }

  /** Sends raw text to the endpoint. */
  sendText(text: string): void {
    this.transport.send(text);
  }

  /** Sends a frame given as an array. */
  send(frame: unknown[]): void {
    this.transport.send(JSON.stringify(frame));
  }

  /** Every frame received so far, parsed. */
  get frames(): unknown[][] {
    return this.texts.map((t) => JSON.parse(t) as unknown[]);
  }

  /** The n-th received frame (0-based), waiting for it to arrive. */
  async frame(n: number): Promise<unknown[]> {
    while (this.texts.length <= n) {
      if (this.closed) throw new Error(`connection closed before frame ${n} arrived`);
      await new Promise<void>((resolve) => this.waiters.push(resolve));
    }
    return JSON.parse(this.texts[n]) as unknown[];
  }

  /** Sends a frame and returns the next frame the endpoint writes. */
  async exchange(frame: unknown[] | string): Promise<unknown[]> {
    const n = this.texts.length;
    if (typeof frame === 'string') this.sendText(frame);
    else this.send(frame);
    return this.frame(n);
  }
}

/** A counter-based id generator (`id-1`, `id-2`, ...). */
export function counterIds(prefix = 'id-'): () => string {
  let n = 0;
  return () => `${prefix}${++n}`;
}

type AnyEndpoint = RpcEndpoint;

/** An endpoint under test and the raw peer on the other side. */
export function setup(rules: ProtocolRules, options: Partial<RpcEndpointOptions> = {}): { endpoint: AnyEndpoint; peer: RawPeer } {
  const [local, remote] = createMemoryTransportPair();
  const endpoint: AnyEndpoint = new RpcEndpoint({ transport: local, rules, generateId: counterIds(), ...options });
  return { endpoint, peer: new RawPeer(remote) };
}

/** Two endpoints connected to each other (a "station" and a "csms"). */
export function connectedPair(rules: ProtocolRules, options: Partial<RpcEndpointOptions> = {}): { a: AnyEndpoint; b: AnyEndpoint } {
  const [ta, tb] = createMemoryTransportPair();
  const a: AnyEndpoint = new RpcEndpoint({ transport: ta, rules, generateId: counterIds('a-'), ...options });
  const b: AnyEndpoint = new RpcEndpoint({ transport: tb, rules, generateId: counterIds('b-'), ...options });
  return { a, b };
}

/** Collects unhandled rejections from now on; `check()` throws if there were any and stops collecting. */
export function guardUnhandledRejections(): { check(): Promise<void> } {
  const seen: unknown[] = [];
  const listener = (reason: unknown) => seen.push(reason);
  process.on('unhandledRejection', listener);
  return {
    async check() {
      // Unhandled rejections are reported after the microtask queue drains.
      await flush();
      await new Promise((resolve) => setImmediate(resolve));
      process.off('unhandledRejection', listener);
      if (seen.length > 0) throw new Error(`unhandled rejections: ${seen.map(String).join('; ')}`);
    },
  };
}

/** Every `event` the endpoint emits from now on, in order (the array fills as they come). */
export function collect<K extends keyof RpcEndpointEvents>(endpoint: RpcEndpoint, event: K): Array<Parameters<RpcEndpointEvents[K]>[0]> {
  const seen: Array<Parameters<RpcEndpointEvents[K]>[0]> = [];
  endpoint.on(event, (e: Parameters<RpcEndpointEvents[K]>[0]) => seen.push(e));
  return seen;
}
