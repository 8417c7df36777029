/**
 * A real redis-server per test file: `--port 0` (no TCP port, so no clashes) and a Unix socket in
 * a temporary folder, nothing saved. Tests that need Redis call {@link redisSkipReason} first:
 * locally, without redis-server, they skip with the reason; under CI they fail, because CI must
 * install it (.ci/run does).
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Whether we run under CI, where a missing redis-server is a failure rather than a skip. */
export const inCi = !!process.env.CI && process.env.CI !== 'false' && process.env.CI !== '0';

/** The redis-server binary: REDIS_SERVER, or the first one on the usual paths; undefined when none. */
export function redisServerBinary(): string | undefined {
  const candidates = [process.env.REDIS_SERVER, '/usr/bin/redis-server', '/usr/local/bin/redis-server', '/opt/homebrew/bin/redis-server'];
  for (const candidate of candidates) if (candidate !== undefined && candidate !== '' && existsSync(candidate)) return candidate;
  const found = spawnSync('sh', ['-c', 'command -v redis-server'], { encoding: 'utf8' });
  const path = found.stdout.trim();
  return found.status === 0 && path !== '' ? path : undefined;
}

/**
 * Why the Redis tests cannot run here (undefined when they can). Under CI a missing server throws
 * instead, so the suite fails rather than passing without having run.
 */
export function redisSkipReason(): string | undefined {
  if (redisServerBinary() !== undefined) return undefined;
  const reason = 'redis-server is not installed (apt-get install -y redis-server, or set REDIS_SERVER)';
  if (inCi) throw new Error(`${reason}: CI must install it (.ci/run does) before npm test`);
  return reason;
}

/** A running redis-server, started by {@link startRedis}. */
export interface RedisServer {
  /** Its Unix socket path. */
  readonly socket: string;
  /** A URL for node-redis (`redis+unix:` is not understood by every client; see `socket`). */
  readonly url: string;
  /** The process id (for tests that kill it). */
  readonly pid: number;
  /** Kills it at once (SIGKILL) and waits for it to exit; the socket file stays (as after a crash). */
  kill(): Promise<void>;
  /** Starts it again on the same socket, empty (nothing was saved), and waits until it answers. */
  restart(): Promise<void>;
  /** Stops it and removes its folder. Safe to call twice. */
  stop(): Promise<void>;
}

const servers = new Set<ChildProcess>();
let exitHookInstalled = false;

/**
 * Starts `redis-server --port 0 --unixsocket <tmp>/redis.sock --save '' --appendonly no` and waits
 * (at most `timeoutMs`) until it accepts connections. The server dies with this process.
 */
export async function startRedis(timeoutMs = 10_000): Promise<RedisServer> {
  const binary = redisServerBinary();
  if (binary === undefined) throw new Error('redis-server is not installed');
  const dir = mkdtempSync(join(tmpdir(), 'ocpp-sdk-redis-'));
  const socket = join(dir, 'redis.sock');
  let child = await launch(binary, dir, socket, timeoutMs);
  if (!exitHookInstalled) {
    exitHookInstalled = true;
    // A test runner that exits without stopping us must not leave redis-server running.
    process.once('exit', () => {
      for (const server of servers) server.kill('SIGKILL');
    });
  }
  let stopped = false;
  const server: RedisServer = {
    socket,
    url: `unix://${socket}`,
    get pid() {
      return child.pid ?? -1;
    },
    kill: () => killChild(child),
    restart: async () => {
      await killChild(child);
      child = await launch(binary, dir, socket, timeoutMs);
    },
    stop: async () => {
      if (stopped) return;
      stopped = true;
      await killChild(child);
      rmSync(dir, { recursive: true, force: true });
    },
  };
  return server;
}

async function launch(binary: string, dir: string, socket: string, timeoutMs: number): Promise<ChildProcess> {
  rmSync(socket, { force: true });
  const args = ['--port', '0', '--unixsocket', socket, '--unixsocketperm', '700', '--save', '', '--appendonly', 'no', '--dir', dir, '--loglevel', 'warning'];
  const child = spawn(binary, args, { stdio: ['ignore', 'ignore', 'pipe'] });
  servers.add(child);
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  child.once('exit', () => servers.delete(child));
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`redis-server exited with ${child.exitCode}: ${stderr.trim()}`);
    if (existsSync(socket) && (await answers(socket))) return child;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  child.kill('SIGKILL');
  throw new Error(`redis-server did not answer on ${socket} within ${timeoutMs} ms: ${stderr.trim()}`);
}

/** Whether a PING on the socket gets PONG. */
async function answers(socket: string): Promise<boolean> {
  const { connect } = await import('node:net');
  return new Promise((resolve) => {
    const conn = connect(socket);
    const timer = setTimeout(() => finish(false), 500);
    function finish(ok: boolean): void {
      clearTimeout(timer);
      conn.destroy();
      resolve(ok);
    }
    conn.once('error', () => finish(false));
    conn.once('connect', () => conn.write('PING\r\n'));
    conn.once('data', (data: Buffer) => finish(data.toString().startsWith('+PONG')));
  });
}

function killChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    child.once('exit', () => resolve());
    child.kill('SIGKILL');
  });
}
