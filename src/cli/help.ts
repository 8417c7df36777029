/**
 * The `--help` texts of ocpp-sdk-test and its subcommands.
 */

/** `ocpp-sdk-test --help`. */
export const MAIN_HELP = `ocpp-sdk-test: run OCTT-like scenarios of ocpp-sdk/testing from the command line

usage:
  ocpp-sdk-test station --protocol VERSION [options]   test a charger: serve as its CSMS
  ocpp-sdk-test csms --url URL --protocol VERSION [options]   test a CSMS: connect as a charger
  ocpp-sdk-test station --list                         list the charging-station scenarios
  ocpp-sdk-test <command> --help                       the options of a command

exit codes: 0 no scenario FAILed; 1 a scenario FAILed (or the run could not happen: port in
use, no charger connected); 2 a usage error (unknown option or scenario id, bad value).`;

/** `ocpp-sdk-test station --help`. */
export const STATION_HELP = `usage: ocpp-sdk-test station --protocol VERSION [options]

Serves as the CSMS (a TestCentralSystem), prints the URL to point the charger at, waits for the
charger to connect and boot (its BootNotification is answered Accepted), then runs the chosen
charging-station scenarios one after the other, prints a verdict table and exits.

options:
  --protocol VERSION     ocpp1.6, ocpp2.0.1 or ocpp2.1 (required)
  --listen PORT          TCP port to serve on; 0 picks a free one (printed) (default 9220)
  --host HOST            interface to listen on; 0.0.0.0 for a charger on the network
                         (default 127.0.0.1)
  --identity ID          the charger's identity; others connecting are ignored
                         (default: the first charger that connects)
  --scenarios IDS        scenario ids, comma-separated or repeated (default: every scenario
                         of the version; see --list)
  --junit FILE           write the results as JUnit XML to FILE
  --profile FILE         the station profile as JSON: evseId, connectorId, connectorIds,
                         validToken, invalidToken, heartbeatIntervalS, retryIntervalS,
                         messageTimeoutMs, timingToleranceMs, password
  --password SECRET      require HTTP Basic auth with this password (security profile 1)
  --wait-ms MS           how long to wait for the charger to connect (default 300000)
  --strict               BLOCKED and SKIPPED scenarios fail the run too (exit code 1; JUnit
                         reports BLOCKED as <error> instead of <skipped>)
  --list                 list the scenarios (of --protocol, when given) and exit
  -h, --help             this text

Manual steps ("plug in the cable", "power cycle the charger"): on an interactive terminal each
is prompted, and done when you press Enter; s then Enter skips it (BLOCKED). The charger's
reaction is awaited for the profile's messageTimeoutMs (default 10000) from the prompt: raise it
for a charger that takes longer to boot. Off a terminal (CI) no one can act: manual steps are
BLOCKED, and BLOCKED does not fail the run unless --strict.

example:
  npx ocpp-sdk-test station --host 0.0.0.0 --listen 9220 --protocol ocpp1.6 \\
    --scenarios TC_001_CS,TC_010_CS --junit ocpp.xml`;

/** `ocpp-sdk-test csms --help`. */
export const CSMS_HELP = `usage: ocpp-sdk-test csms --url URL --identity ID --protocol VERSION [options]

Connects to the CSMS under test as a charger (a TestChargePoint) with the given identity and
runs the chosen _CSMS scenarios against it, prints a verdict table and exits.

options:
  --url URL              the CSMS endpoint, e.g. ws://127.0.0.1:9000/ocpp (required; the
                         identity is appended)
  --identity ID          the charger identity to connect as (required)
  --protocol VERSION     ocpp1.6, ocpp2.0.1 or ocpp2.1 (required)
  --scenarios IDS        scenario ids, comma-separated or repeated (default: every scenario
                         of the version; see --list)
  --junit FILE           write the results as JUnit XML to FILE
  --password SECRET      HTTP Basic auth password of the identity (security profile 1)
  --strict               BLOCKED and SKIPPED scenarios fail the run too
  --list                 list the scenarios and exit
  -h, --help             this text

Manual steps on the CSMS side ("start a transaction from the back office") are prompted on an
interactive terminal, BLOCKED off one.`;
