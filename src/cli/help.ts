/**
 * The `--help` texts of ocpp-sdk-test and its subcommands. The versions `--protocol` takes are
 * read from the catalogues, as the option itself reads them.
 */
import { CSMS_SCENARIOS, DEFAULT_CSMS_PROFILE, STATION_SCENARIOS } from '../testing/index';
import { versionsOf } from './catalogue';

/** "a, b or c". */
const either = (versions: readonly string[]): string =>
  versions.length < 2 ? versions.join('') : `${versions.slice(0, -1).join(', ')} or ${versions[versions.length - 1]}`;

/** `ocpp-sdk-test --help`. */
export const MAIN_HELP = `ocpp-sdk-test: run OCTT-like scenarios of ocpp-sdk/testing from the command line

usage:
  ocpp-sdk-test station --protocol VERSION [options]   test a charger: serve as its CSMS
  ocpp-sdk-test csms --url URL --protocol VERSION [options]   test a CSMS: connect as a charger
  ocpp-sdk-test station --list                         list the charging-station scenarios
  ocpp-sdk-test csms --list                            list the CSMS scenarios
  ocpp-sdk-test <command> --help                       the options of a command

exit codes: 0 no scenario FAILed; 1 a scenario FAILed (or the run could not happen: port in
use, no charger connected, no CSMS to connect to); 2 a usage error (unknown option or scenario id, bad value).`;

/** `ocpp-sdk-test station --help`. */
export const STATION_HELP = `usage: ocpp-sdk-test station --protocol VERSION [options]

Serves as the CSMS (a TestCentralSystem), prints the URL to point the charger at, waits for the
charger to connect and boot (its BootNotification is answered Accepted), then runs the chosen
charging-station scenarios one after the other, prints a verdict table and exits.

options:
  --protocol VERSION     ${either(versionsOf(STATION_SCENARIOS))} (required)
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
                         messageTimeoutMs, timingToleranceMs, password,
                         firmwareLocation, unreachableFirmwareLocation,
                         corruptFirmwareLocation
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

Connects to the CSMS under test as a charger (a TestChargePoint) with the given identity, one
connection per scenario, and runs the chosen _CSMS scenarios against it, prints a verdict table
and exits.

options:
  --url URL              the CSMS endpoint, e.g. ws://127.0.0.1:9000/ocpp (required; the
                         identity is appended)
  --identity ID          the charger identity to connect as (required; one the CSMS accepts)
  --protocol VERSION     ${either(versionsOf(CSMS_SCENARIOS))} (required)
  --scenarios IDS        scenario ids, comma-separated or repeated (default: every scenario
                         of the version; see --list)
  --junit FILE           write the results as JUnit XML to FILE
  --profile FILE         the CSMS profile as JSON: evseId, connectorId, validToken,
                         invalidToken, vendor, model, configurationKey, variable
                         ({"component": ..., "variable": ...}), configurationValue,
                         messageTimeoutMs (defaults: validToken ${DEFAULT_CSMS_PROFILE.validToken},
                         invalidToken ${DEFAULT_CSMS_PROFILE.invalidToken}, messageTimeoutMs ${DEFAULT_CSMS_PROFILE.messageTimeoutMs})
  --password SECRET      HTTP Basic auth password of the identity (security profile 1)
  --strict               BLOCKED and SKIPPED scenarios fail the run too (exit code 1; JUnit
                         reports BLOCKED as <error> instead of <skipped>)
  --list                 list the scenarios (of --protocol, when given) and exit
  -h, --help             this text

Manual actions on the CSMS side ("make the CSMS send RemoteStartTransaction to CP1 for idTag
TAG-001"): on an interactive terminal each is prompted, and done when you press Enter once the
CSMS was made to send it; s then Enter skips it (BLOCKED). The CALL is awaited for the
profile's messageTimeoutMs (default ${DEFAULT_CSMS_PROFILE.messageTimeoutMs}) from the prompt. Off a terminal (CI) they are
BLOCKED, and BLOCKED does not fail the run unless --strict.

Boot: TC_002_CSMS and TC_B_02_CSMS want a CSMS set up to answer a new charger's first boot
Pending; they run only with "bootPending": true in the profile (SKIPPED otherwise), and come
before TC_001_CSMS and TC_B_01_CSMS, which then meet the charger accepted on its retry.

example:
  npx ocpp-sdk-test csms --url ws://127.0.0.1:9220/ocpp --identity CP1 --protocol ocpp2.0.1 \\
    --profile csms.json --junit csms.xml`;
