/**
 * Helpers of the `ocpp-sdk-test` tests (cli.test.ts, cli-csms.test.ts): the CLI in a child
 * process (through tsx, as users run it, with a deadline) or in this process with captured
 * streams, and the JUnit test cases of a parsed report.
 */
import { main } from '../../src/cli/main';
import type { Io } from '../../src/cli/io';
import { spawnExample, type Spawned } from '../examples/helpers';
import type { XmlElement } from './xml';

const CLI = 'src/cli/main.ts';
const running = new Set<Spawned>();

/** Tracks a child so that {@link killAll} ends it. */
export function track<S extends Spawned>(child: S): S {
  running.add(child);
  return child;
}

/** Kills every child started here that still runs: call it in the test file's `after`. */
export function killAll(): void {
  for (const child of running) child.kill();
  running.clear();
}

/** Starts the CLI in a child process; `stdout()` is its standard output alone. */
export function startCli(args: string[], timeoutMs = 60_000): Spawned & { stdout(): string } {
  const child = track(spawnExample('', [], { nodeArgs: ['--import', 'tsx', CLI, ...args], timeoutMs }));
  let stdout = '';
  child.child.stdout?.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
  return Object.assign(child, { stdout: () => stdout });
}

/** Runs the CLI in this process, off a terminal, and resolves with its exit code and what it wrote. */
export async function inProcess(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const io: Io = {
    out: (t) => void (out += `${t}\n`),
    err: (t) => void (err += `${t}\n`),
    interactive: false,
    input: process.stdin,
    output: process.stdout,
  };
  const code = await main(argv, io);
  return { code, out, err };
}

/** The `<testcase>` elements of every suite of a JUnit report. */
export const cases = (xml: XmlElement): XmlElement[] => xml.children.flatMap((suite) => suite.children.filter((c) => c.name === 'testcase'));
