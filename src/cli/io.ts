/**
 * Where a command writes and reads: the process's streams, or a test's. Whether the run is
 * interactive (a terminal on both ends) decides whether manual steps are prompted.
 */
import type { Readable, Writable } from 'node:stream';

/** The streams of a command. */
export interface Io {
  /** Writes a line (or lines) of results to standard output. */
  out(text: string): void;
  /** Writes a line of diagnostics to standard error. */
  err(text: string): void;
  /** Whether stdin and stdout are a terminal: a tester is there to do the manual steps. */
  readonly interactive: boolean;
  readonly input: Readable;
  readonly output: Writable;
}

/** The process's own streams. */
export function processIo(): Io {
  return {
    out: (text) => void process.stdout.write(`${text}\n`),
    err: (text) => void process.stderr.write(`${text}\n`),
    interactive: process.stdin.isTTY === true && process.stdout.isTTY === true,
    input: process.stdin,
    output: process.stdout,
  };
}
