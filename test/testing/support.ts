/**
 * Helpers of the test kit's own tests: a hand-written asymmetric matcher of the shape vitest and
 * jest give (`expect.any(String)`), chargers under test built on the SDK's ChargePoint, and a
 * raw WebSocket peer that misbehaves on purpose.
 */
import { once } from 'node:events';
import WebSocket from 'ws';
import { ChargePoint, type OcppVersion } from '../../src/index';

/** `expect` as vitest and jest have it, as far as the kit's matchers are concerned. */
export const expect = {
  any(ctor: unknown): { asymmetricMatch(v: unknown): boolean; toString(): string } {
    return {
      asymmetricMatch: (v: unknown) =>
        ctor === String
          ? typeof v === 'string' || v instanceof String
          : ctor === Number
            ? typeof v === 'number' || v instanceof Number
            : ctor === Boolean
              ? typeof v === 'boolean'
              : v instanceof (ctor as new () => unknown),
      toString: () => `Any<${(ctor as { name?: string }).name ?? 'anonymous'}>`,
    };
  },
  stringMatching(re: RegExp): { asymmetricMatch(v: unknown): boolean; toString(): string } {
    return { asymmetricMatch: (v: unknown) => typeof v === 'string' && re.test(v), toString: () => `StringMatching ${String(re)}` };
  },
};

/** A ChargePoint pointed at `url`, not yet connected, closed by `cleanup`. */
export function chargePoint<V extends OcppVersion>(
  url: string,
  identity: string,
  protocol: V,
  extra: Partial<ConstructorParameters<typeof ChargePoint<V>>[0]> = {},
): ChargePoint<V> {
  return new ChargePoint<V>({ url, identity, protocol, reconnect: false, pingIntervalMs: 0, ...extra });
}

/** A raw WebSocket client speaking `protocol`, answering every CALL with `answer(frame)` (or not at all). */
export async function rawPeer(
  url: string,
  protocol: string,
  answer: (frame: unknown[]) => string | undefined,
): Promise<{ ws: WebSocket; send(text: string): void; close(): Promise<void> }> {
  const ws = new WebSocket(url, [protocol]);
  ws.on('message', (data: Buffer) => {
    let frame: unknown;
    try {
      frame = JSON.parse(data.toString('utf8'));
    } catch {
      return;
    }
    if (Array.isArray(frame) && frame[0] === 2) {
      const reply = answer(frame);
      if (reply !== undefined) ws.send(reply);
    }
  });
  await once(ws, 'open');
  return {
    ws,
    send: (text) => ws.send(text),
    close: async () => {
      if (ws.readyState === WebSocket.CLOSED) return;
      const closed = once(ws, 'close');
      ws.close();
      await closed;
    },
  };
}

/** Resolves after `ms` (real time: tests here never fake setImmediate or this). */
export const delay = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
