/**
 * Parent/child plumbing of the benchmark: every server and load generator is a child process
 * (pinned to a core with taskset when available), driven over Node's IPC channel with
 * request/response commands. Children exit by themselves when the channel closes or when
 * their lifetime limit passes, so an interrupted run leaves nothing behind.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';

export interface Command {
  readonly cmd: string;
  readonly [key: string]: unknown;
}

interface Envelope {
  readonly id: number;
  readonly command?: Command;
  readonly reply?: unknown;
  readonly error?: string;
}

const HAS_TASKSET = (() => {
  try {
    for (const dir of (process.env.PATH ?? '').split(':')) if (fs.existsSync(`${dir}/taskset`)) return true;
  } catch {
    // no PATH
  }
  return false;
})();

/** Whether processes are pinned to cores (taskset present and at least 2 cores). */
export function canPin(cores: number): boolean {
  return HAS_TASKSET && cores >= 2;
}

/** A child process answering commands. */
export class Child {
  private readonly proc: ChildProcess;
  private next = 1;
  private readonly waiting = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void; timer: NodeJS.Timeout }>();
  private exited = false;
  readonly ready: Promise<Record<string, unknown>>;
  readonly exit: Promise<number | null>;

  constructor(
    readonly label: string,
    script: string,
    args: readonly string[],
    options: { core?: number; nodeArgs?: readonly string[]; priority?: number } = {},
  ) {
    const node = [...(options.nodeArgs ?? []), script, ...args];
    const [cmd, argv] = options.core !== undefined ? ['taskset', ['-c', String(options.core), process.execPath, ...node]] : [process.execPath, node];
    this.proc = spawn(cmd, argv, { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    if (options.priority !== undefined && this.proc.pid !== undefined) {
      try {
        // taskset execs node in place, so the pid is node's.
        os.setPriority(this.proc.pid, options.priority);
      } catch (error) {
        console.error(`${label}: could not set priority ${options.priority}: ${(error as Error).message}`);
      }
    }
    let readyResolve!: (v: Record<string, unknown>) => void;
    let readyReject!: (e: Error) => void;
    this.ready = new Promise((resolve, reject) => {
      readyResolve = resolve;
      readyReject = reject;
    });
    this.proc.on('message', (raw: unknown) => {
      const msg = raw as Envelope;
      if (msg.id === 0) {
        readyResolve(msg.reply as Record<string, unknown>);
        return;
      }
      const w = this.waiting.get(msg.id);
      if (!w) return;
      this.waiting.delete(msg.id);
      clearTimeout(w.timer);
      if (msg.error !== undefined) w.reject(new Error(`${this.label}: ${msg.error}`));
      else w.resolve(msg.reply);
    });
    this.exit = new Promise((resolve) => {
      this.proc.on('exit', (code) => {
        this.exited = true;
        const error = new Error(`${this.label} exited (code ${code})`);
        readyReject(error);
        for (const w of this.waiting.values()) {
          clearTimeout(w.timer);
          w.reject(error);
        }
        this.waiting.clear();
        resolve(code);
      });
    });
    // An unobserved rejection of `ready` must not crash the orchestrator.
    this.ready.catch(() => {});
  }

  /** Sends a command and waits (at most `timeoutMs`) for its reply. */
  request<T = Record<string, unknown>>(command: Command, timeoutMs = 120_000): Promise<T> {
    if (this.exited) return Promise.reject(new Error(`${this.label} has exited`));
    const id = this.next++;
    return new Promise<T>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiting.delete(id);
        reject(new Error(`${this.label}: ${command.cmd} timed out after ${timeoutMs} ms`));
      }, timeoutMs);
      this.waiting.set(id, { resolve: resolve as (v: unknown) => void, reject, timer });
      this.proc.send({ id, command } satisfies Envelope);
    });
  }

  /** Kills the child at once with SIGKILL (a crash, for the fleet storm); resolves once it is gone. */
  async kill(): Promise<void> {
    if (this.exited) return;
    this.proc.kill('SIGKILL');
    await this.exit;
  }

  /** Asks the child to exit; kills it (this process's own child, by pid) if it does not within 5 s. */
  async stop(): Promise<void> {
    if (this.exited) return;
    try {
      this.proc.send({ id: -1, command: { cmd: 'exit' } } satisfies Envelope);
    } catch {
      // channel already closed: the child exits on its own
    }
    const t = setTimeout(() => this.proc.kill('SIGKILL'), 5000);
    await this.exit;
    clearTimeout(t);
  }
}

/**
 * The child side: answers commands with `handler` (its answer, or a promise of it), announces
 * `hello` once ready, and exits when the parent goes away, on `exit`, or after `maxLifetimeMs`
 * whatever happens.
 */
export function serveCommands(
  handler: (command: Command) => unknown,
  options: { maxLifetimeMs: number; onExit?: () => void | Promise<void> },
): { hello(info: Record<string, unknown>): void } {
  if (typeof process.send !== 'function') {
    console.error('this script is a benchmark child process: run it through `npm run bench`');
    process.exit(2);
  }
  const send = (e: Envelope): void => {
    if (process.connected) process.send!(e);
  };
  let exiting = false;
  const exit = async (code: number): Promise<void> => {
    if (exiting) return;
    exiting = true;
    const hard = setTimeout(() => process.exit(code), 3000);
    hard.unref();
    try {
      await options.onExit?.();
    } catch {
      // exiting anyway
    }
    process.exit(code);
  };
  setTimeout(() => {
    console.error(`benchmark child ${process.argv[2] ?? ''}: lifetime limit reached, exiting`);
    void exit(3);
  }, options.maxLifetimeMs).unref();
  process.on('disconnect', () => void exit(0));
  process.on('message', (raw: unknown) => {
    const msg = raw as Envelope;
    if (!msg.command) return;
    if (msg.command.cmd === 'exit') {
      void exit(0);
      return;
    }
    Promise.resolve()
      .then(() => handler(msg.command!))
      .then(
        (reply) => send({ id: msg.id, reply: reply ?? {} }),
        (error: unknown) => send({ id: msg.id, error: error instanceof Error ? (error.stack ?? error.message) : String(error) }),
      );
  });
  return { hello: (info) => send({ id: 0, reply: info }) };
}

/** CPU time (user + system, µs) this process has used. */
export function cpuMicros(): number {
  const u = process.cpuUsage();
  return u.user + u.system;
}

/** Runs `gc()` a few times (needs --expose-gc), letting finalizers and weak callbacks run between. */
export async function fullGc(): Promise<void> {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (!gc) return;
  for (let i = 0; i < 4; i++) {
    gc();
    await new Promise((r) => setImmediate(r));
    await new Promise((r) => setTimeout(r, 20));
  }
}
