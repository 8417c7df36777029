#!/usr/bin/env node
/**
 * `ocpp-sdk-test`, the command line of ocpp-sdk/testing: `station` tests a charger (the CLI is
 * its CSMS), `csms` tests a CSMS (the CLI is a charger). Each subcommand is a module of its own;
 * this file picks one and turns a {@link UsageError} into exit code 2.
 */
import { UsageError } from './args';
import { csmsCommand } from './csms';
import { MAIN_HELP } from './help';
import { processIo, type Io } from './io';
import { stationCommand } from './station';

/** Exit code of a mistake on the command line. */
export const EXIT_USAGE = 2;

const COMMANDS: Readonly<Record<string, (argv: readonly string[], io: Io) => Promise<number>>> = {
  station: stationCommand,
  csms: csmsCommand,
};

/** Runs the command line `argv` (without `node` and the script) and resolves with the exit code. */
export async function main(argv: readonly string[], io: Io): Promise<number> {
  const [command, ...rest] = argv;
  if (command === undefined || command === '--help' || command === '-h' || command === 'help') {
    io.out(MAIN_HELP);
    return command === undefined ? EXIT_USAGE : 0;
  }
  const run = Object.hasOwn(COMMANDS, command) ? COMMANDS[command] : undefined;
  try {
    if (run === undefined) throw new UsageError(`unknown command '${command}': use station or csms (ocpp-sdk-test --help)`);
    return await run(rest, io);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    io.err(`ocpp-sdk-test: ${error.message}`);
    if (run !== undefined) io.err(`(ocpp-sdk-test ${command} --help lists the options)`);
    return EXIT_USAGE;
  }
}

if (require.main === module) {
  main(process.argv.slice(2), processIo()).then(
    (code) => {
      process.exitCode = code;
    },
    (error: unknown) => {
      process.stderr.write(`ocpp-sdk-test: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
      process.exitCode = 1;
    },
  );
}
