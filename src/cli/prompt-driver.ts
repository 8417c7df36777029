/**
 * Manual steps on an interactive terminal: each manual action is an instruction printed to the
 * tester ("Plug in the cable on connector 1, then press Enter"), done when Enter is pressed;
 * `s` then Enter skips it, which makes the step BLOCKED ({@link StepBlockedError}).
 */
import { createInterface } from 'node:readline';
import type { Readable, Writable } from 'node:stream';
import { StepBlockedError, type ManualAction, type StationDriver } from '../testing/index';

/** Asks the tester to do `instruction`: resolves on Enter, rejects with StepBlockedError on `s`. */
export type Ask = (instruction: string) => Promise<void>;

/** A prompt on the terminal and the way to let go of it. */
export interface Prompter {
  readonly ask: Ask;
  /** Stops reading the terminal (the process can then exit). */
  close(): void;
}

/**
 * A prompter on `input`/`output` (a terminal). `reactionMs` is how long the scenario then waits
 * for the charger's (or the CSMS's) messages, said in the prompt: the wait starts with it.
 */
export function createPrompter(input: Readable, output: Writable, reactionMs: number): Prompter {
  const rl = createInterface({ input, output, terminal: true });
  // Without a listener, readline swallows Ctrl-C at a prompt: hand it to the process.
  rl.on('SIGINT', () => process.kill(process.pid, 'SIGINT'));
  const seconds = Math.round(reactionMs / 1000);
  const ask: Ask = (instruction) =>
    new Promise((resolve, reject) => {
      rl.question(
        `\n>>> ${instruction}, then press Enter (s then Enter skips it: BLOCKED).\n    The reaction is awaited for ${seconds} s from now. `,
        (answer) => {
          if (/^\s*s(kip)?\s*$/i.test(answer)) reject(new StepBlockedError(`skipped at the prompt: ${instruction}`));
          else resolve();
        },
      );
    });
  return { ask, close: () => rl.close() };
}

/** What each manual action asks of the tester. */
const INSTRUCTIONS: { readonly [A in ManualAction]-?: (...args: Parameters<NonNullable<StationDriver[A]>>) => string } = {
  powerCycle: () => 'Power cycle the charger (switch it off and on again)',
  plugIn: (connectorId) => `Plug in the cable on connector ${connectorId}`,
  unplug: (connectorId) => `Unplug the cable from connector ${connectorId}`,
  presentToken: (token) => `Present the token ${token} at the charger's reader`,
  dropNetwork: () => "Cut the charger's network connection",
  restoreNetwork: () => "Restore the charger's network connection",
  fault: (connectorId) => `Make connector ${connectorId} report a fault`,
};

/** A StationDriver whose every action is asked of the tester through `ask`. */
export function stationDriver(ask: Ask): StationDriver {
  const driver: StationDriver = {};
  for (const action of Object.keys(INSTRUCTIONS) as ManualAction[]) {
    const instruction = INSTRUCTIONS[action] as (...args: unknown[]) => string;
    Object.assign(driver, { [action]: (...args: unknown[]) => ask(instruction(...args)) });
  }
  return driver;
}
