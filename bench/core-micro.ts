/**
 * Micro-benchmark of the framing core's hot paths: `npx tsx bench/core-micro.ts`.
 *
 * - parse/serialize of a Heartbeat-sized frame;
 * - call round trips (call -> CALL out -> handler -> CALLRESULT in -> resolve) between two
 *   endpoints over a synchronous in-process transport pair (the core's own cost, no I/O) and
 *   over the in-memory pair (one microtask per frame, like a socket callback);
 * - the same with a listener on `frame`, to show what events cost when someone listens.
 *
 * Calls are awaited one after another, as OCPP's one-outstanding-CALL rule makes them.
 */
import { RpcEndpoint } from '../src/core/endpoint';
import type { RpcErrorCode } from '../src/core/error-codes';
import { parseFrame, serializeFrame } from '../src/core/frames';
import { createMemoryTransportPair } from '../src/core/memory-transport';
import type { ProtocolRules } from '../src/core/protocol-rules';
import type { Transport, TransportSink } from '../src/core/transport';

const rules: ProtocolRules = {
  protocol: 'ocpp2.0.1',
  toWireCode: (code: RpcErrorCode) => code,
  fromWireCode: (wire: string) => wire,
  framingErrorCode: 'RpcFrameworkError',
  duplicateIdCode: 'RpcFrameworkError',
  unreadableIdReply: true,
  replyToUnknownMessageType: true,
  maxErrorDescriptionLength: 255,
  hasSendAndCallResultError: false,
  isKnownAction: (action) => action === 'Heartbeat',
};

type Station = { Heartbeat: { request: Record<string, never>; response: { currentTime: string } } };
type Csms = Record<never, never>;

/** Two transports that hand each frame straight to the other side's sink. */
function syncPair(): [Transport, Transport] {
  const sinks: (TransportSink | undefined)[] = [undefined, undefined];
  const end = (self: number): Transport => ({
    send: (data) => sinks[1 - self]?.message(data),
    close: (code = 1000, reason = '') => {
      sinks[0]?.close(code, reason);
      sinks[1]?.close(code, reason);
    },
    setSink: (sink) => (sinks[self] = sink),
  });
  return [end(0), end(1)];
}

function rate(label: string, ops: number, ms: number, unit: string): number {
  const perSecond = (ops / ms) * 1000;
  console.log(`${label.padEnd(58)} ${Math.round(perSecond).toLocaleString('en-US').padStart(12)} ${unit}/s  (${(1e6 / perSecond).toFixed(2)} µs each)`);
  return perSecond;
}

function benchFrames(): void {
  const text = '[2,"c2b9a7c4-3f4e-4c59-8d1e-6f1a2b3c4d5e","Heartbeat",{}]';
  const frame = { type: 2 as const, messageId: 'c2b9a7c4-3f4e-4c59-8d1e-6f1a2b3c4d5e', action: 'Heartbeat', payload: {} };
  const n = 2_000_000;
  let sink = 0;
  for (let i = 0; i < 100_000; i++) sink += parseFrame(text).ok ? 1 : 0;
  let t = performance.now();
  for (let i = 0; i < n; i++) sink += parseFrame(text).ok ? 1 : 0;
  rate('parseFrame (Heartbeat CALL)', n, performance.now() - t, 'frames');
  t = performance.now();
  for (let i = 0; i < n; i++) sink += serializeFrame(frame).length;
  rate('serializeFrame (Heartbeat CALL)', n, performance.now() - t, 'frames');
  if (sink === 42) console.log('');
}

async function benchRoundTrips(label: string, pair: [Transport, Transport], n: number, options: { listen?: boolean; uuid?: boolean } = {}): Promise<number> {
  let id = 0;
  const generateId = options.uuid ? undefined : () => `m${++id}`;
  const station = new RpcEndpoint<Station, Csms>({ transport: pair[0], rules, generateId });
  const csms = new RpcEndpoint<Csms, Station>({ transport: pair[1], rules });
  const currentTime = '2025-01-01T00:00:00.000Z';
  csms.handle('Heartbeat', () => ({ currentTime }));
  if (options.listen) {
    station.on('frame', () => {});
    csms.on('frame', () => {});
  }
  for (let i = 0; i < 20_000; i++) await station.call('Heartbeat', {});
  const t = performance.now();
  for (let i = 0; i < n; i++) await station.call('Heartbeat', {});
  const perSecond = rate(label, n, performance.now() - t, 'round trips');
  station.close();
  return perSecond;
}

async function main(): Promise<void> {
  console.log(`node ${process.version}`);
  benchFrames();
  const best: number[] = [];
  for (let round = 0; round < 3; round++) {
    best.push(await benchRoundTrips('call round trip, synchronous in-process pair', syncPair(), 300_000));
  }
  await benchRoundTrips('call round trip, synchronous pair, default UUID ids', syncPair(), 200_000, { uuid: true });
  await benchRoundTrips('call round trip, synchronous pair, "frame" listeners', syncPair(), 200_000, { listen: true });
  await benchRoundTrips('call round trip, in-memory pair (microtask per frame)', createMemoryTransportPair(), 200_000);
  console.log(`best synchronous-pair result: ${Math.round(Math.max(...best)).toLocaleString('en-US')} round trips/s`);
}

void main();
