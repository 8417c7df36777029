/**
 * One benchmark server in its own process: `node server.cjs <kind> [json options]`, started
 * and driven by bench/run.ts (pinned to core 0). Every kind listens on 127.0.0.1, serves
 * OCPP 1.6, 2.0.1 and 2.1 and answers Heartbeat, MeterValues and BootNotification the same way:
 *
 * - `bare`: a `ws` server that only parses the frame and stringifies the answer;
 * - `bare-validate`: the same plus this SDK's precompiled validators on request and response,
 *   the ceiling for any strict server;
 * - `ours`: this SDK's CentralSystem through its public API, strict validation (the default);
 * - `ocpp-rpc`: ocpp-rpc's RPCServer with `strictMode: true` (on 2.1 with its own 2.1 schemas under
 *   the ids its lookup expects: test/support/ocpp-rpc-21.ts).
 *
 * Commands (IPC): `cpu` (CPU µs used so far), `mem` (memory after full GC), `count`
 * (connected stations), `exit`.
 */
import type { AddressInfo } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';
import { CentralSystem, createPayloadValidator, type PayloadValidator } from '../src/index';
import { cpuMicros, fullGc, serveCommands } from './lib/ipc';
import { bootResponse, responsePayload } from './lib/messages';

type Kind = 'bare' | 'bare-validate' | 'ours' | 'ocpp-rpc';

interface Options {
  /** `ours`: the CentralSystem `compression` option (default: the SDK default). */
  compression?: boolean;
}

/** Every server accepts the three versions; each load client offers exactly one. */
const PROTOCOLS = ['ocpp2.1', 'ocpp2.0.1', 'ocpp1.6'] as const;

const kind = process.argv[2] as Kind;
const options = JSON.parse(process.argv[3] ?? '{}') as Options;

let connected = 0;
let close: () => Promise<void> = async () => {};

/** The answer to a CALL, as every kind gives it. */
function answer(action: string): Record<string, unknown> {
  return action === 'BootNotification' ? bootResponse() : responsePayload(action);
}

async function startBare(validate: boolean): Promise<number> {
  const validators: Record<string, PayloadValidator> | undefined = validate
    ? { 'ocpp1.6': createPayloadValidator('ocpp1.6'), 'ocpp2.0.1': createPayloadValidator('ocpp2.0.1'), 'ocpp2.1': createPayloadValidator('ocpp2.1') }
    : undefined;
  const wss = new WebSocketServer({
    host: '127.0.0.1',
    port: 0,
    perMessageDeflate: false,
    handleProtocols: (offered: Set<string>) => PROTOCOLS.find((p) => offered.has(p)) ?? false,
  });
  wss.on('connection', (ws: WebSocket) => {
    connected++;
    const validator = validators?.[ws.protocol];
    ws.on('message', (data: Buffer) => {
      let frame: unknown;
      try {
        frame = JSON.parse(data.toString());
      } catch {
        return;
      }
      if (!Array.isArray(frame) || frame[0] !== 2) return;
      const id = frame[1] as string;
      const action = frame[2] as string;
      if (validator !== undefined) {
        const issue = validator.validate(action, 'request', 'inbound', frame[3]);
        if (issue !== undefined) {
          ws.send(JSON.stringify([4, id, issue.code, issue.detail, {}]));
          return;
        }
      }
      const response = answer(action);
      if (validator !== undefined) {
        const issue = validator.validate(action, 'response', 'outbound', response);
        if (issue !== undefined) {
          ws.send(JSON.stringify([4, id, 'InternalError', '', {}]));
          return;
        }
      }
      ws.send(JSON.stringify([3, id, response]));
    });
    ws.on('close', () => connected--);
  });
  await new Promise<void>((resolve) => wss.once('listening', () => resolve()));
  close = () =>
    new Promise<void>((resolve) => {
      for (const ws of wss.clients) ws.terminate();
      wss.close(() => resolve());
    });
  return (wss.address() as AddressInfo).port;
}

async function startOurs(): Promise<number> {
  const cs = new CentralSystem({
    protocols: [...PROTOCOLS],
    ...(options.compression !== undefined ? { compression: options.compression } : {}),
  });
  for (const protocol of PROTOCOLS) {
    cs.handle(protocol, 'Heartbeat', () => ({ currentTime: new Date().toISOString() }));
    cs.handle(protocol, 'MeterValues', () => ({}));
    cs.handle(protocol, 'BootNotification', () => ({ status: 'Accepted', currentTime: new Date().toISOString(), interval: 300 }));
  }
  cs.on('connection', () => connected++);
  cs.on('disconnect', () => connected--);
  cs.on('error', ({ error }) => console.error(`ours: ${error.message}`));
  const address = await cs.listen({ port: 0, host: '127.0.0.1' });
  close = () => cs.close({ code: 1001 });
  return address.port;
}

async function startOcppRpc(): Promise<number> {
  // Loaded only here, so the other servers' processes do not carry ocpp-rpc and its schemas.
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded only in the ocpp-rpc server's process (above)
  const { RPCServer } = require('ocpp-rpc') as typeof import('ocpp-rpc');
  // ocpp-rpc 2.2.1 cannot find its own 2.1 schemas in strict mode (see the helper): its schemas, renamed.
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- with ocpp-rpc, above
  const { ocppRpc21Validator } = require('../test/support/ocpp-rpc-21') as typeof import('../test/support/ocpp-rpc-21');
  const server = new RPCServer({ protocols: [...PROTOCOLS], strictMode: true, strictModeValidators: [ocppRpc21Validator()] });
  type Client = { handle(method: string, handler: (call: { params: unknown }) => unknown): void; once(event: 'close', listener: () => void): void };
  server.on('client', (client: Client) => {
    connected++;
    client.handle('Heartbeat', () => ({ currentTime: new Date().toISOString() }));
    client.handle('MeterValues', () => ({}));
    client.handle('BootNotification', () => bootResponse());
    client.once('close', () => connected--);
  });
  const http = await server.listen(0, '127.0.0.1');
  close = () => server.close({ force: true });
  return (http.address() as AddressInfo).port;
}

async function main(): Promise<void> {
  const channel = serveCommands(
    async (command) => {
      switch (command.cmd) {
        case 'cpu':
          return { cpuUs: cpuMicros(), at: performance.now() };
        case 'count':
          return { connected };
        case 'mem': {
          await fullGc();
          const m = process.memoryUsage();
          return { rss: m.rss, heapUsed: m.heapUsed, external: m.external, arrayBuffers: m.arrayBuffers, connected };
        }
        default:
          throw new Error(`unknown command ${command.cmd}`);
      }
    },
    { maxLifetimeMs: 30 * 60_000, onExit: () => close() },
  );
  let port: number;
  if (kind === 'bare' || kind === 'bare-validate') port = await startBare(kind === 'bare-validate');
  else if (kind === 'ours') port = await startOurs();
  else if (kind === 'ocpp-rpc') port = await startOcppRpc();
  else throw new Error(`unknown server kind ${String(kind)}`);
  channel.hello({ port, kind });
}

void main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
