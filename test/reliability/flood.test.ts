/**
 * Reliability and security: one station flooding the central system must not starve the others
 * (issue 7). A raw peer writes pre-built WebSocket frames as fast as the socket takes them
 * (cheap for the sender, all the parsing on the server) while a second station measures its
 * Heartbeat round trip. Floods: invalid frames, CALLERRORs for unknown ids, and valid CALLs sent
 * without waiting for answers. With the default limits the first two end in a 1008 close within
 * a few milliseconds; with the limits off, they show that the server still shares its time.
 */
import assert from 'node:assert/strict';
import type { Duplex } from 'node:stream';
import { describe, test } from 'node:test';
import { CentralSystem, type CentralSystemOptions } from '../../src/index';
import { destroyUpgradedSockets, maskedTextFrame, rawUpgrade } from '../support/net';
import { closeAll, openRaw, startServer, withTimeout, type RawClient } from './support';

/**
 * The flooder: a raw upgraded TCP socket that writes pre-built frames and discards whatever comes
 * back unparsed, so that all the work measured is the server's (a real flooder is another machine).
 */
interface Flooder {
  readonly socket: Duplex;
  /** Bytes the server sent back. */
  readonly received: number;
  /** Resolves when the server closed the connection, with the close code of its close frame. */
  readonly closed: Promise<number | undefined>;
}

async function openFlooder(port: number): Promise<Flooder> {
  const outcome = await rawUpgrade({ port, path: '/BAD', protocols: 'ocpp2.0.1' });
  if (outcome.status !== 101 || outcome.socket === undefined) throw new Error(`flooder refused: ${outcome.status}`);
  const socket = outcome.socket;
  let received = 0;
  let closeCode: number | undefined;
  let head: Buffer = Buffer.alloc(0);
  socket.on('data', (d: Buffer) => {
    received += d.length;
    // Keep only enough to find the server's close frame (opcode 8) at the start of a chunk.
    if (closeCode === undefined && d.length >= 4 && (d[0] & 0x0f) === 8) closeCode = d.readUInt16BE(2);
    head = d.length > 0 ? d : head;
  });
  socket.on('error', () => {});
  const closed = new Promise<number | undefined>((resolve) => socket.once('close', () => resolve(closeCode ?? findClose(head))));
  return {
    socket,
    get received() {
      return received;
    },
    closed,
  };
}

/** The close code of a close frame somewhere in the last chunk, if there is one. */
function findClose(chunk: Buffer): number | undefined {
  for (let i = 0; i + 3 < chunk.length; i++) {
    if (chunk[i] === 0x88 && (chunk[i + 1] & 0x7f) >= 2 && (chunk[i + 1] & 0x7f) < 126) return chunk.readUInt16BE(i + 2);
  }
  return undefined;
}

/** Writes `chunk` again and again, respecting backpressure, until stopped or closed. */
function flood(socket: Duplex, chunk: Buffer): { stop(): Promise<number> } {
  let running = true;
  let chunks = 0;
  const done = (async () => {
    while (running && !socket.destroyed) {
      chunks++;
      if (!socket.write(chunk))
        await new Promise<void>((resolve) => {
          const go = (): void => {
            socket.off('close', go);
            socket.off('drain', go);
            resolve();
          };
          socket.once('drain', go);
          socket.once('close', go);
        });
    }
  })();
  return {
    async stop() {
      running = false;
      await done;
      return chunks;
    },
  };
}

let heartbeats = 0;

/** Heartbeat round trips of `client`, one after the other, for `ms`. */
async function latencies(client: RawClient, ms: number): Promise<number[]> {
  const out: number[] = [];
  const until = Date.now() + ms;
  while (Date.now() < until) {
    const started = process.hrtime.bigint();
    await client.call(`[2,"hb-${heartbeats++}","Heartbeat",{}]`, undefined, 10_000);
    client.received.length = 0;
    out.push(Number(process.hrtime.bigint() - started) / 1e6);
  }
  return out;
}

function stats(values: number[]): { n: number; p50: number; p99: number; max: number } {
  const sorted = [...values].sort((a, b) => a - b);
  const at = (q: number): number => Number(sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))].toFixed(2));
  return { n: sorted.length, p50: at(0.5), p99: at(0.99), max: Number(sorted[sorted.length - 1].toFixed(2)) };
}

async function setup(options: CentralSystemOptions = {}) {
  const { cs, port } = await startServer({ protocols: ['ocpp2.0.1'], compression: false, ...options });
  (cs as CentralSystem<'ocpp2.0.1'>).handle('ocpp2.0.1', 'Heartbeat', () => ({ currentTime: new Date().toISOString() }));
  let badFrames = 0;
  let closeReason = '';
  cs.on('connection', (s) => {
    if (s.identity === 'BAD') {
      s.on('badFrame', () => badFrames++);
      s.on('responseDropped', () => badFrames++);
      s.on('close', (e) => (closeReason = e.reason));
    }
  });
  const good = await openRaw(port, 'GOOD', 'ocpp2.0.1');
  const bad = await openFlooder(port);
  return { cs, good, bad, badFrames: () => badFrames, closeReason: () => closeReason };
}

async function teardown(cs: CentralSystem): Promise<void> {
  destroyUpgradedSockets();
  await closeAll(cs);
}

const FLOODS: Array<{ name: string; frame: string }> = [
  { name: 'invalid frames', frame: 'this is not json at all' },
  { name: 'CALLERRORs for unknown ids', frame: '[4,"no-such-call","GenericError","flood",{}]' },
];

describe('floods from one station do not starve another', () => {
  for (const { name, frame } of FLOODS) {
    test(`${name}: with the default limits the flooder is closed 1008 almost at once; the other station is unaffected`, async (t) => {
      const { cs, good, bad, closeReason } = await setup();
      t.after(() => teardown(cs));
      const started = Date.now();
      // The flooder never answers the close frame and keeps writing: it is dropped anyway.
      const f = flood(bad.socket, Buffer.concat(Array.from({ length: 2000 }, () => maskedTextFrame(frame))));
      const code = await withTimeout(bad.closed, 5000, 'the flooder was not disconnected');
      const ms = Date.now() - started;
      await f.stop();
      assert.equal(code, 1008);
      assert.equal(closeReason(), 'too many invalid messages');
      t.diagnostic(`TCP connection dropped ${ms} ms after the flood began`);
      assert.ok(ms < 2500, `took ${ms} ms`);
      const after = stats(await latencies(good, 200));
      assert.ok(after.max < 100, `Heartbeat round trips after the flood: ${JSON.stringify(after)}`);
    });

    test(`${name}: even with maxBadMessages off, another station's Heartbeats keep a bounded round trip during the flood`, async (t) => {
      const { cs, good, bad, badFrames } = await setup({ maxBadMessages: Infinity });
      t.after(() => teardown(cs));
      const quiet = stats(await latencies(good, 300));
      const f = flood(bad.socket, Buffer.concat(Array.from({ length: 2000 }, () => maskedTextFrame(frame))));
      const loaded = stats(await latencies(good, 1500));
      await f.stop();
      t.diagnostic(`quiet ${JSON.stringify(quiet)}; under flood ${JSON.stringify(loaded)} ms; ${badFrames()} flood frames handled`);
      assert.ok(badFrames() > 5000, `the flood was real: ${badFrames()} frames handled`);
      assert.ok(loaded.n >= 100, `Heartbeats kept being answered during the flood: ${loaded.n}`);
      assert.ok(loaded.p99 < 50 && loaded.max < 250, `round trip under flood: ${JSON.stringify(loaded)}`);
      assert.equal(bad.socket.destroyed, false, 'with the limit off the flooder stays connected');
    });
  }

  test('valid CALLs sent without waiting (answered synchronously): no limit applies, and the other station still gets its turn', async (t) => {
    const { cs, good, bad } = await setup();
    t.after(() => teardown(cs));
    const f = flood(bad.socket, Buffer.concat(Array.from({ length: 2000 }, (_, i) => maskedTextFrame(`[2,"f${i}","Heartbeat",{}]`))));
    const loaded = stats(await latencies(good, 1500));
    await f.stop();
    // An answer is about 70 bytes.
    const answered = Math.round(bad.received / 70);
    t.diagnostic(`under a CALL flood ${JSON.stringify(loaded)} ms; about ${answered} flood CALLs answered`);
    assert.ok(answered > 5000, `the flood was real: about ${answered} answered`);
    assert.ok(loaded.n >= 100 && loaded.p99 < 50 && loaded.max < 250, JSON.stringify(loaded));
  });
});
