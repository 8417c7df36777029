import { fork } from 'node:child_process';
import { WebSocket } from 'ws';
const kind = process.argv[2]; const N = Number(process.argv[3] ?? 3000);
function ask(child: any, m: string): Promise<any> { return new Promise((r) => { child.once('message', r); child.send(m); }); }
async function main() {
  const child = fork('bench/.memsrv.ts', [kind], { execArgv: ['--import', 'tsx', '--expose-gc'] });
  const { port } = await new Promise<any>((r) => child.once('message', r));
  const before = await ask(child, 'mem');
  const socks: WebSocket[] = [];
  for (let i = 0; i < N; i += 100) {
    await Promise.all(Array.from({ length: Math.min(100, N - i) }, (_, j) => new Promise<void>((res, rej) => {
      const ws = new WebSocket(`ws://127.0.0.1:${port}/CP${i + j}`, 'ocpp1.6', { perMessageDeflate: false });
      ws.once('open', () => { ws.send(JSON.stringify([2, 'b1', 'BootNotification', { chargePointVendor: 'V', chargePointModel: 'M' }])); ws.once('message', () => res()); });
      ws.once('error', rej); socks.push(ws);
    })));
  }
  await new Promise((r) => setTimeout(r, 1000));
  const after = await ask(child, 'mem');
  const per = (k: string) => ((after[k] - before[k]) / N / 1024).toFixed(2);
  console.log(kind, N, 'per station KB: rss', per('rss'), 'heap', per('heap'), 'external', per('ext'), 'arrayBuffers', per('ab'));
  if (process.argv[4] === 'snap') console.log(await ask(child, 'snap'));
  for (const s of socks) s.terminate(); child.kill();
}
void main();
