import v8 from 'node:v8';
import { WebSocketServer } from 'ws';
import { CentralSystem } from '../src/index';
const kind = process.argv[2];
async function main() {
  let port: number;
  if (kind === 'ours') {
    const cs = new CentralSystem({ protocols: ['ocpp1.6'] });
    cs.handle('ocpp1.6', 'BootNotification', () => ({ status: 'Accepted', currentTime: new Date().toISOString(), interval: 300 }));
    cs.handle('ocpp1.6', 'Heartbeat', () => ({ currentTime: new Date().toISOString() }));
    port = (await cs.listen({ port: 0, host: '127.0.0.1' })).port;
  } else {
    const wss = new WebSocketServer({ host: '127.0.0.1', port: 0, perMessageDeflate: false, handleProtocols: (p) => p.values().next().value ?? false });
    wss.on('connection', (ws) => ws.on('message', (d) => { const f = JSON.parse(String(d)); ws.send(JSON.stringify([3, f[1], { status: 'Accepted', currentTime: new Date().toISOString(), interval: 300 }])); }));
    await new Promise((r) => wss.once('listening', r));
    port = (wss.address() as any).port;
  }
  process.send!({ port });
  process.on('message', (m: any) => {
    if (m === 'mem') { (global as any).gc(); (global as any).gc(); const u = process.memoryUsage(); process.send!({ rss: u.rss, heap: u.heapUsed, ext: u.external, ab: u.arrayBuffers }); }
    if (m === 'snap') { (global as any).gc(); const f = v8.writeHeapSnapshot(`/tmp/mem/${kind}.heapsnapshot`); process.send!({ f }); }
  });
}
void main();
