/**
 * Raw HTTP and WebSocket helpers for integration tests that need to see exactly what goes over
 * the wire: the HTTP status and headers of a refused upgrade, a 101 without a subprotocol, the
 * close frame the server sends next. Everything here has a time limit and cleans up after itself.
 */
import { randomBytes } from 'node:crypto';
import { request as httpRequest, type IncomingHttpHeaders } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { connect as netConnect, type Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import type { ConnectionOptions } from 'node:tls';

/** What a raw upgrade request got back. */
export interface UpgradeOutcome {
  /** HTTP status: 101 when the upgrade completed. */
  readonly status: number;
  readonly headers: IncomingHttpHeaders;
  /** Body of a refusal ('' after a 101). */
  readonly body: string;
  /** The upgraded socket (101 only); the caller must destroy it. */
  readonly socket: Duplex | undefined;
  /** Bytes that arrived with the 101 response. */
  readonly head: Buffer;
}

/**
 * Upgraded sockets from {@link rawUpgrade} that are still open. Test cleanup destroys them before
 * closing the server, so a failed assertion never leaves the server waiting on its peer.
 */
export const openUpgradedSockets = new Set<Duplex>();

/** Destroys every socket in {@link openUpgradedSockets}. */
export function destroyUpgradedSockets(): void {
  for (const socket of openUpgradedSockets) socket.destroy();
  openUpgradedSockets.clear();
}

/** Options of {@link rawUpgrade}. */
export interface RawUpgradeOptions {
  port: number;
  /** Request path, sent as is (already percent-encoded). */
  path: string;
  /** Value of Sec-WebSocket-Protocol; omitted when undefined. */
  protocols?: string;
  /** Extra request headers (e.g. Authorization). */
  headers?: Record<string, string>;
  /** Use TLS with these options. */
  tls?: ConnectionOptions;
  /** @default 3000 */
  timeoutMs?: number;
}

/**
 * Sends one WebSocket upgrade request by hand and reports the response as it came: status,
 * headers, body; or, for a 101, the socket.
 */
export function rawUpgrade(options: RawUpgradeOptions): Promise<UpgradeOutcome> {
  const headers: Record<string, string> = {
    Connection: 'Upgrade',
    Upgrade: 'websocket',
    'Sec-WebSocket-Version': '13',
    'Sec-WebSocket-Key': randomBytes(16).toString('base64'),
    ...(options.protocols !== undefined ? { 'Sec-WebSocket-Protocol': options.protocols } : {}),
    ...options.headers,
  };
  const common = { host: '127.0.0.1', port: options.port, path: options.path, headers, agent: false as const };
  return new Promise<UpgradeOutcome>((resolve, reject) => {
    const req = options.tls ? httpsRequest({ ...common, ...options.tls }) : httpRequest(common);
    const timer = setTimeout(() => {
      req.destroy();
      reject(new Error(`raw upgrade to ${options.path} got no response within ${options.timeoutMs ?? 3000} ms`));
    }, options.timeoutMs ?? 3000);
    req.on('upgrade', (res, socket, head) => {
      clearTimeout(timer);
      openUpgradedSockets.add(socket);
      socket.once('close', () => openUpgradedSockets.delete(socket));
      resolve({ status: res.statusCode ?? 0, headers: res.headers, body: '', socket, head });
    });
    req.on('response', (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        clearTimeout(timer);
        resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8'), socket: undefined, head: Buffer.alloc(0) });
      });
      res.on('error', (error) => {
        clearTimeout(timer);
        reject(error);
      });
    });
    req.on('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    req.end();
  });
}

/** A client-to-server (masked) WebSocket text frame; payloads under 126 bytes. */
export function maskedTextFrame(text: string): Buffer {
  const payload = Buffer.from(text, 'utf8');
  if (payload.length >= 126) throw new RangeError('maskedTextFrame: payloads under 126 bytes only');
  const mask = randomBytes(4);
  const out = Buffer.alloc(2 + 4 + payload.length);
  out[0] = 0x81; // FIN + text
  out[1] = 0x80 | payload.length;
  mask.copy(out, 2);
  for (let i = 0; i < payload.length; i++) out[6 + i] = payload[i] ^ mask[i % 4];
  return out;
}

/** A server frame as read by {@link readServerFrames}. */
export interface ServerFrame {
  readonly opcode: number;
  readonly payload: Buffer;
}

/**
 * Reads the (unmasked) frames a server sends on an upgraded socket until it ends or `timeoutMs`
 * passes, starting with the bytes that came with the 101 response. Destroys the socket.
 */
export function readServerFrames(socket: Duplex, head: Buffer, timeoutMs = 2000): Promise<ServerFrame[]> {
  return new Promise((resolve) => {
    let buffer = head;
    const frames: ServerFrame[] = [];
    const parse = (): void => {
      while (buffer.length >= 2) {
        let length = buffer[1] & 0x7f;
        let offset = 2;
        if (length === 126) {
          if (buffer.length < 4) return;
          length = buffer.readUInt16BE(2);
          offset = 4;
        } else if (length === 127) {
          if (buffer.length < 10) return;
          length = Number(buffer.readBigUInt64BE(2));
          offset = 10;
        }
        if (buffer.length < offset + length) return;
        frames.push({ opcode: buffer[0] & 0x0f, payload: buffer.subarray(offset, offset + length) });
        buffer = buffer.subarray(offset + length);
      }
    };
    const done = (): void => {
      clearTimeout(timer);
      socket.destroy();
      resolve(frames);
    };
    const timer = setTimeout(done, timeoutMs);
    socket.on('data', (chunk: Buffer) => {
      buffer = Buffer.concat([buffer, chunk]);
      parse();
      // A close frame ends the conversation: no need to wait for the TCP close.
      if (frames.some((f) => f.opcode === 0x8)) done();
    });
    socket.on('end', done);
    socket.on('close', done);
    socket.on('error', done);
    parse();
    if (frames.some((f) => f.opcode === 0x8)) done();
  });
}

/** The status code of a close frame's payload (1005 when it has none). */
export function closeCode(frame: ServerFrame): number {
  return frame.payload.length >= 2 ? frame.payload.readUInt16BE(0) : 1005;
}

/**
 * Writes `bytes` on a fresh TCP connection at once (an upgrade request with pipelined frames,
 * say) and collects everything the server answers until it closes or `timeoutMs` passes.
 */
export function rawExchange(port: number, bytes: Buffer | string, timeoutMs = 2000): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket: Socket = netConnect({ host: '127.0.0.1', port });
    const chunks: Buffer[] = [];
    const done = (): void => {
      clearTimeout(timer);
      socket.destroy();
      resolve(Buffer.concat(chunks).toString('latin1'));
    };
    const timer = setTimeout(done, timeoutMs);
    socket.on('connect', () => socket.write(bytes));
    socket.on('data', (c: Buffer) => chunks.push(c));
    socket.on('end', done);
    socket.on('close', done);
    socket.on('error', (error) => {
      if (chunks.length > 0) done();
      else {
        clearTimeout(timer);
        reject(error);
      }
    });
  });
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- any emitter, typed event maps included
type Onceable = { once(event: any, listener: (...args: any[]) => void): unknown; off?(event: any, listener: (...args: any[]) => void): unknown };

/** Resolves with the next `event` of an emitter (eventemitter3 or Node), or rejects after `timeoutMs`. */
export function nextEvent<T = unknown>(emitter: Onceable, event: string, timeoutMs = 2000): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const listener = (value: T): void => {
      clearTimeout(timer);
      resolve(value);
    };
    const timer = setTimeout(() => {
      emitter.off?.(event, listener);
      reject(new Error(`no ${event} event within ${timeoutMs} ms`));
    }, timeoutMs);
    emitter.once(event, listener);
  });
}

/** Polls `predicate` every 5 ms until it is true; rejects after `timeoutMs`. */
export async function waitFor(predicate: () => boolean, what: string, timeoutMs = 2000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!predicate()) {
    if (Date.now() > until) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

/** Resolves after `ms`. */
export function delay(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}
