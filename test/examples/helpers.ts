/**
 * Running the examples as child processes, the way users run them, with a time bound: a child
 * still running at its deadline is killed and the test fails with its output.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';

export const ROOT = path.resolve(__dirname, '../..');

/** A running example. */
export interface Spawned {
  readonly child: ChildProcess;
  /** stdout and stderr so far, interleaved. */
  output(): string;
  /** Resolves with the first match of `re` in the output, waiting for it up to `timeoutMs`. */
  waitFor(re: RegExp, timeoutMs?: number): Promise<RegExpMatchArray>;
  /** Settles when the process exits; `timedOut` when the deadline killed it. */
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null; timedOut: boolean }>;
  /** Kills the process if it is still running. */
  kill(signal?: NodeJS.Signals): void;
}

/**
 * Starts `node --import tsx <file> ...args` (or `node ...nodeArgs` when `nodeArgs` is given)
 * in the project root, killed after `timeoutMs`.
 */
export function spawnExample(
  file: string,
  args: string[] = [],
  options: { env?: Record<string, string>; timeoutMs?: number; nodeArgs?: string[] } = {},
): Spawned {
  const argv = options.nodeArgs ?? ['--import', 'tsx', file, ...args];
  const env: NodeJS.ProcessEnv = { ...process.env, ...options.env };
  // Set by `node --test` for its children; a child that sees it will not run a suite of its own.
  delete env.NODE_TEST_CONTEXT;
  const child = spawn(process.execPath, argv, {
    cwd: ROOT,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let text = '';
  const listeners = new Set<() => void>();
  const append = (chunk: Buffer): void => {
    text += chunk.toString('utf8');
    for (const l of listeners) l();
  };
  child.stdout.on('data', append);
  child.stderr.on('data', append);
  let timedOut = false;
  const deadline = setTimeout(() => {
    timedOut = true;
    child.kill('SIGKILL');
  }, options.timeoutMs ?? 20_000);
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null; timedOut: boolean }>((resolve) => {
    child.once('exit', (code, signal) => {
      clearTimeout(deadline);
      // Let the last output arrive before anyone reads it.
      setImmediate(() => resolve({ code, signal, timedOut }));
    });
  });
  return {
    child,
    output: () => text,
    exited,
    kill(signal = 'SIGKILL') {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
    },
    waitFor(re, timeoutMs = 15_000) {
      return new Promise((resolve, reject) => {
        const check = (): void => {
          const m = text.match(re);
          if (!m) return;
          cleanup();
          resolve(m);
        };
        const timer = setTimeout(() => {
          cleanup();
          reject(new Error(`no ${re} in the output within ${timeoutMs} ms:\n${text}`));
        }, timeoutMs);
        const gone = (): void => {
          cleanup();
          reject(new Error(`the process exited before printing ${re}:\n${text}`));
        };
        const cleanup = (): void => {
          clearTimeout(timer);
          listeners.delete(check);
          child.off('exit', gone);
        };
        listeners.add(check);
        child.once('exit', gone);
        check();
      });
    },
  };
}

/** Runs an example to completion (time-bounded) and returns its exit and output. */
export async function runExample(
  file: string,
  args: string[] = [],
  options: { env?: Record<string, string>; timeoutMs?: number; nodeArgs?: string[] } = {},
): Promise<{ code: number | null; timedOut: boolean; output: string }> {
  const run = spawnExample(file, args, options);
  const { code, timedOut } = await run.exited;
  return { code, timedOut, output: run.output() };
}
