/**
 * Manual steps on an interactive terminal: each manual action is an instruction printed to the
 * tester ("Plug in the cable on connector 1, then press Enter"), done when Enter is pressed;
 * `s` then Enter skips it, which makes the step BLOCKED ({@link StepBlockedError}). A charger
 * under test gets a StationDriver of such prompts, a CSMS under test a CsmsDriver.
 */
import { createInterface } from 'node:readline';
import type { Readable, Writable } from 'node:stream';
import type { OcppVersion } from '../index';
import { StepBlockedError, type CsmsDriver, type ManualAction, type StationDriver } from '../testing/index';

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

/** What each CsmsDriver method asks of the tester, for a charger `identity`; `v16` names 1.6's messages. */
type CsmsInstructions = {
  readonly [A in keyof CsmsDriver]-?: (v16: boolean, ...args: Parameters<NonNullable<CsmsDriver[A]>>) => string;
};

const variableList = (variables: ReadonlyArray<{ readonly component: string; readonly variable: string }>): string =>
  variables.map((v) => `${v.component}.${v.variable}`).join(', ');

/** The instructions name the message the CSMS should send, as the tester finds it in the CSMS's console. */
const CSMS_INSTRUCTIONS: CsmsInstructions = {
  remoteStart: (v16, identity, idToken, evseId) =>
    v16
      ? `Make the CSMS send RemoteStartTransaction to ${identity} for idTag ${idToken} on connector ${evseId}`
      : `Make the CSMS send RequestStartTransaction to ${identity} for idToken ${idToken} on EVSE ${evseId}`,
  remoteStop: (v16, identity, transactionId) =>
    `Make the CSMS send ${v16 ? 'RemoteStopTransaction' : 'RequestStopTransaction'} to ${identity} for transaction ${transactionId}`,
  reset: (_v16, identity, type) => `Make the CSMS send Reset (${type}) to ${identity}`,
  getConfiguration: (_v16, identity, keys) =>
    `Make the CSMS send GetConfiguration to ${identity} for ${keys.length === 0 ? 'all keys' : `the key${keys.length === 1 ? '' : 's'} ${keys.join(', ')}`}`,
  changeConfiguration: (_v16, identity, key, value) => `Make the CSMS send ChangeConfiguration to ${identity} setting ${key} to ${value}`,
  getVariables: (_v16, identity, variables) => `Make the CSMS send GetVariables to ${identity} for ${variableList(variables)}`,
  setVariables: (_v16, identity, variables) =>
    `Make the CSMS send SetVariables to ${identity} setting ${variables.map((v) => `${variableList([v])} to ${v.value}`).join(', ')}`,
  triggerMessage: (_v16, identity, requestedMessage) => `Make the CSMS send TriggerMessage to ${identity} for ${requestedMessage}`,
};

/**
 * A CsmsDriver whose every method is asked of the tester through `ask`: the tester makes the
 * CSMS under test send the command (from its console, its API), then presses Enter; the scenario
 * has armed its expectation of the CALL already.
 */
export function csmsDriver(ask: Ask, protocol: OcppVersion): CsmsDriver {
  const v16 = protocol === 'ocpp1.6';
  const driver: CsmsDriver = {};
  for (const action of Object.keys(CSMS_INSTRUCTIONS) as Array<keyof CsmsDriver>) {
    const instruction = CSMS_INSTRUCTIONS[action] as (v16: boolean, ...args: unknown[]) => string;
    Object.assign(driver, { [action]: (...args: unknown[]) => ask(instruction(v16, ...args)) });
  }
  return driver;
}
