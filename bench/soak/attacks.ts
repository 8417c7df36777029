/**
 * Soak: the two stalls of issue 12, against a real CentralSystem with the attackers in a child
 * process (so the server's event loop measures only the server's own work).
 *
 * - deep-json: 4 stations each send 100 compressed frames that inflate to 1,000,000 bytes of
 *   arrays nested 500,000 deep, as fast as they can, then disconnect.
 * - slow-reader: 3 stations each send 160,000 Heartbeat CALLs (~9 MB) and never read an answer
 *   (server maxBufferedBytes 1 MiB).
 *
 * Meanwhile a well-behaved station sends a Heartbeat every 20 ms (its latency also carries the
 * attackers' CPU use on a small machine, hence the looser bound than the event-loop delay's).
 * Reports the event-loop delay (perf_hooks.monitorEventLoopDelay, max and p99), that station's Heartbeat latency (p99, max),
 * how long the deep-JSON attackers stayed in `cs.stations` after they were gone, and how the slow
 * readers were dropped.
 *
 *   node --expose-gc --import tsx bench/soak/attacks.ts [--only deep-json|slow-reader]
 */
import { fork } from 'node:child_process';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import type { Socket } from 'node:net';
import { WebSocket } from 'ws';
import { CentralSystem } from '../../src/index';
import { Report } from './common';

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

// ------------------------------------------------------------------ attacker process

async function attacker(mode: string, port: number, identity: string): Promise<void> {
  const ws = new WebSocket(`ws://127.0.0.1:${port}/${identity}`, ['ocpp1.6'], { perMessageDeflate: mode === 'deep-json', maxPayload: 64 * 1024 * 1024 });
  ws.on('error', () => {});
  await new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve());
    ws.once('error', reject);
  });
  if (mode === 'deep-json') {
    const deep = '['.repeat(500_000) + ']'.repeat(500_000);
    for (let i = 0; i < 100; i++) ws.send(deep);
    // Until everything is written (compression is asynchronous), then gone without a close frame.
    while (ws.bufferedAmount > 0) await sleep(10);
    await sleep(200);
    ws.terminate();
  } else {
    (ws as unknown as { _socket: Socket })._socket.pause();
    for (let slice = 0; slice < 320 && ws.readyState === ws.OPEN; slice++) {
      for (let i = 0; i < 500; i++) ws.send(`[2,"s${slice}-${i}","Heartbeat",{}]`);
      await new Promise((resolve) => setImmediate(resolve));
    }
    await new Promise((resolve) => ws.once('close', resolve));
  }
  process.exit(0);
}

// ------------------------------------------------------------------ server process

async function scenario(report: Report, mode: 'deep-json' | 'slow-reader', attackers: number): Promise<void> {
  // slow-reader: a 1 MiB send-buffer limit (default 8 MiB) keeps the run short on a small machine;
  // the backlog that limit allows (~18,000 answers) is what a close used to pay for.
  const cs = new CentralSystem({ pingIntervalMs: 3000, compression: true, ...(mode === 'slow-reader' ? { maxBufferedBytes: 1024 * 1024 } : {}) });
  cs.handle('ocpp1.6', 'Heartbeat', () => ({ currentTime: new Date().toISOString() }));
  const { port } = await cs.listen({ port: 0, host: '127.0.0.1' });
  const closes: string[] = [];
  const goneFromStations = new Map<string, number>();
  cs.on('disconnect', (e) => {
    if (e.station.identity === 'GOOD') return;
    closes.push(`${e.code}${e.reason ? ` ${e.reason}` : ''}`);
    goneFromStations.set(e.station.identity, performance.now());
  });
  const good = new WebSocket(`ws://127.0.0.1:${port}/GOOD`, ['ocpp1.6']);
  await new Promise((resolve) => good.once('open', resolve));
  const sentAt = new Map<string, number>();
  const latencies: number[] = [];
  good.on('message', (data: Buffer) => {
    const id = (JSON.parse(data.toString()) as unknown[])[1] as string;
    const t = sentAt.get(id);
    if (t !== undefined) latencies.push(performance.now() - t);
  });
  let n = 0;
  const beat = setInterval(() => {
    const id = `hb${n++}`;
    sentAt.set(id, performance.now());
    good.send(`[2,"${id}","Heartbeat",{}]`);
  }, 20);
  const delay = monitorEventLoopDelay({ resolution: 10 });
  delay.enable();
  const started = performance.now();
  const exitedAt = new Map<string, number>();
  await Promise.all(
    Array.from({ length: attackers }, (_, i) => {
      const identity = `${mode === 'deep-json' ? 'DEEP' : 'SLOW'}${i}`;
      const child = fork(__filename, ['--attacker', mode, String(port), identity], { execArgv: ['--import', 'tsx'], stdio: 'inherit' });
      return new Promise<void>((resolve) => child.once('exit', () => (exitedAt.set(identity, performance.now()), resolve())));
    }),
  );
  const attackMs = performance.now() - started;
  while (cs.stations.size > 1 && performance.now() - started < 120_000) await sleep(50);
  await sleep(200);
  clearInterval(beat);
  delay.disable();
  const sorted = [...latencies].sort((a, b) => a - b);
  const p99 = sorted[Math.floor(sorted.length * 0.99)] ?? NaN;
  report.note(`${mode}.attackMs`, Math.round(attackMs));
  report.note(`${mode}.loopDelayMaxMs`, +(delay.max / 1e6).toFixed(1));
  report.note(`${mode}.loopDelayP99Ms`, +(delay.percentile(99) / 1e6).toFixed(1));
  report.note(`${mode}.heartbeatP99Ms`, +p99.toFixed(1));
  report.note(`${mode}.heartbeatMaxMs`, +(sorted[sorted.length - 1] ?? NaN).toFixed(1));
  report.note(`${mode}.closes`, closes);
  if (mode === 'deep-json') {
    const stayed = [...exitedAt].map(([id, t]) => (goneFromStations.get(id) ?? performance.now()) - t);
    report.note(`${mode}.registeredAfterGoneMaxMs`, Math.round(Math.max(...stayed)));
    report.check(`${mode}: attackers leave cs.stations within 1 s of leaving`, Math.max(...stayed) < 1000, `${Math.round(Math.max(...stayed))} ms`);
  }
  if (mode === 'slow-reader') {
    const bySendBuffer = closes.filter((c) => c.includes('send buffer limit')).length;
    report.check(`${mode}: no slow reader is served until its backlog hits maxBufferedBytes`, bySendBuffer === 0, `${bySendBuffer} closed for the send buffer`);
  }
  report.check(`${mode}: event-loop delay max under 100 ms`, delay.max / 1e6 < 100, `${(delay.max / 1e6).toFixed(1)} ms`);
  report.check(`${mode}: the well-behaved station's Heartbeat p99 under 250 ms`, p99 < 250, `${p99.toFixed(1)} ms over ${latencies.length}`);
  good.terminate();
  await cs.close();
}

async function main(): Promise<void> {
  const a = process.argv.indexOf('--attacker');
  if (a > 0) return attacker(process.argv[a + 1], Number(process.argv[a + 2]), process.argv[a + 3]);
  const o = process.argv.indexOf('--only');
  const only = o > 0 ? process.argv[o + 1] : undefined;
  const report = new Report('attacks');
  if (only === undefined || only === 'deep-json') await scenario(report, 'deep-json', 4);
  if (only === undefined || only === 'slow-reader') await scenario(report, 'slow-reader', 3);
  report.finish();
}

void main();
