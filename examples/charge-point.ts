/**
 * A simulated charger: connects, boots, runs a charging session and answers the central
 * system's commands, in OCPP 1.6, 2.0.1 or 2.1.
 *
 *   npx ts-node examples/charge-point.ts --protocol ocpp1.6 --url ws://127.0.0.1:9220/ocpp --identity SIM-1
 *   npx ts-node examples/charge-point.ts --protocol ocpp2.0.1 --once      # one session, then exit
 *   npx ts-node examples/charge-point.ts --protocol ocpp2.1 --once        # the same in 2.1
 *   npx ts-node examples/charge-point.ts --no-session                     # only what the CSMS asks for
 *
 * It keeps a little state, like a real charger: configuration keys (1.6) or device-model
 * variables (2.x) with read-only ones and a write-only Basic-auth password, the current
 * transaction, an energy meter, a local authorization list, and whether its connector is in
 * service (kept over reboots). Commands answered: RemoteStart/StopTransaction (2.x:
 * RequestStart/StopTransaction), Reset (the charger reboots and boots again),
 * GetConfiguration/ChangeConfiguration (2.x: GetVariables/SetVariables; a new password makes it
 * reconnect with it), ChangeAvailability, TriggerMessage, UnlockConnector, SendLocalList,
 * GetLocalListVersion, DataTransfer, UpdateFirmware (its statuses one step apart, failing for a
 * location or image its download server, `firmware`, says so: charge-point/firmware.ts), 1.6
 * ReserveNow/CancelReservation (charge-point/reservations.ts) and (2.x) GetBaseReport, answered
 * with paged NotifyReport. With `securityEvents` it reports a SecurityEventNotification after
 * each accepted boot.
 * Transaction messages are retried as its configuration says. With `cableSensor` (the test
 * kit's rig) a session authorized or remotely started before the cable waits for it, up to the
 * connection timeout: `plugIn()`, `unplug()` and `presentToken()` are its cable and card reader. The 2.1 one (charge-point/ocpp21.ts) also streams its
 * meter samples as NotifyPeriodicEventStream SENDs once `openStream()` is accepted, and refuses an
 * Authorize answer carrying a tariff with a CALLRESULTERROR: it applies no tariffs.
 *
 * The code lives in charge-point/: base.ts (what every version shares), ocpp16.ts, ocpp2x.ts
 * (2.0.1 and 2.1 alike), ocpp201.ts and ocpp21.ts; this file is the door and the CLI.
 *
 * With `--no-session` it starts no session of its own: it boots, reports its connector and then
 * only does what the central system asks (a remote start included). That is the mode in which it
 * is the charger under test of firmware-test-harness.ts, which drives the session itself.
 *
 * The classes are exported for the demo, the firmware test harness and the tests.
 */
import { parseArgs } from 'node:util';
import type { OcppVersion } from '../src/index';
import type { SimulatorOptions } from './charge-point/base';
import { SimulatedCharger16 } from './charge-point/ocpp16';
import { SimulatedCharger201 } from './charge-point/ocpp201';
import { SimulatedCharger21 } from './charge-point/ocpp21';
import { ExchangeLog } from './exchange-log';

export type { ChargerEvents, ConfigEntry, ConnectorState, SimTransaction, SimulatorOptions, StopReason } from './charge-point/types';
export { SimulatedCharger16 } from './charge-point/ocpp16';
export { SimulatedCharger201 } from './charge-point/ocpp201';
export { SimulatedCharger21 } from './charge-point/ocpp21';

/** A simulated charger of any version. */
export type SimulatedCharger = SimulatedCharger16 | SimulatedCharger201 | SimulatedCharger21;

/** Builds the simulator of `protocol`. */
export function createSimulatedCharger(protocol: OcppVersion, options: SimulatorOptions): SimulatedCharger {
  if (protocol === 'ocpp1.6') return new SimulatedCharger16(options);
  return protocol === 'ocpp2.0.1' ? new SimulatedCharger201(options) : new SimulatedCharger21(options);
}

// ------------------------------------------------------------------ run it

const USAGE = `usage: npx ts-node examples/charge-point.ts [options]
  --protocol VERSION             ocpp1.6, ocpp2.0.1 or ocpp2.1 (default ocpp1.6)
  --url URL                      CSMS endpoint, identity appended (default ws://127.0.0.1:9220/ocpp)
  --identity ID                  charger identity (default SIM-16, SIM-201 or SIM-21)
  --id-tag TAG                   idTag/idToken of the local session (default TAG-001)
  --samples N                    meter samples per session (default 3)
  --meter-interval-ms MS         real time between samples (default 1000)
  --once                         exit after one session (exit code 1 if it failed)
  --no-session                   no session of its own: boot, report the connector, then only
                                 answer the central system (the charger under test of
                                 examples/firmware-test-harness.ts)`;

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      protocol: { type: 'string', default: 'ocpp1.6' },
      url: { type: 'string', default: 'ws://127.0.0.1:9220/ocpp' },
      identity: { type: 'string' },
      'id-tag': { type: 'string', default: 'TAG-001' },
      samples: { type: 'string', default: '3' },
      'meter-interval-ms': { type: 'string', default: '1000' },
      once: { type: 'boolean', default: false },
      'no-session': { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) {
    console.log(USAGE);
    return;
  }
  const protocol = values.protocol;
  if (protocol !== 'ocpp1.6' && protocol !== 'ocpp2.0.1' && protocol !== 'ocpp2.1')
    throw new Error(`--protocol must be ocpp1.6, ocpp2.0.1 or ocpp2.1\n${USAGE}`);
  if (values.once && values['no-session']) throw new Error(`--once and --no-session exclude each other\n${USAGE}`);
  const log = new ExchangeLog();
  const charger = createSimulatedCharger(protocol, {
    url: values.url,
    identity: values.identity ?? { 'ocpp1.6': 'SIM-16', 'ocpp2.0.1': 'SIM-201', 'ocpp2.1': 'SIM-21' }[protocol],
    idTag: values['id-tag'],
    meterIntervalMs: Number(values['meter-interval-ms']),
    log,
  });
  charger.on('error', ({ error }) => log.note(`error: ${error.message}`));
  charger.on('rebooting', ({ type }) => log.note(`reset (${type}): rebooting`));
  const shutdown = (signal: string): void => {
    log.note(`${signal}: stopping`);
    charger.stop().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.once('SIGINT', () => shutdown('SIGINT'));
  process.once('SIGTERM', () => shutdown('SIGTERM'));

  await charger.start();
  log.note(`${charger.identity} booted (${protocol})`);
  if (values['no-session']) {
    log.note('no session of its own; answering the central system until SIGINT');
    return;
  }
  const tx = await charger.runSession({ samples: Number(values.samples) });
  if (tx) log.note(`session ${tx.id}: ${tx.meterStopWh - tx.meterStartWh} Wh for ${tx.idTag}`);
  else log.note(`idTag ${charger.idTag} was refused`);
  if (values.once) {
    await charger.stop();
    process.exit(tx?.authorized ? 0 : 1);
  }
  log.note('running; answering the central system until SIGINT');
}

if (require.main === module) {
  main().catch((error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  });
}
