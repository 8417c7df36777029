/**
 * Simulated stations for trying the console without hardware (`npm run csms -- --simulate`)
 * and for the tests: the chargers of examples/charge-point.ts, connected with a Basic-auth
 * password, doing nothing on their own until the CSMS asks (remote start, stop, reset, ...).
 *
 * With `queueDir` (what `npm run csms -- --simulate` passes: the database's folder), each
 * charger keeps its offline queue in a journal file there (`FileQueueStore`): transaction
 * messages queued while the CSMS is unreachable survive a crash of the process and are sent,
 * in order, when it comes back. Without it the queue is in memory.
 */
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { FileQueueStore, MemoryQueueStore, type OfflineQueueStore } from '../../src/index';
import { createSimulatedCharger, type SimulatedCharger } from '../charge-point';
import type { Csms } from './app';
import { hashPassword } from './store/passwords';

function acceptAvailability(charger: SimulatedCharger): void {
  // One line per version: the handler types differ, so a union of chargers cannot take one call.
  if (charger.protocol === 'ocpp1.6') charger.chargePoint.handle('ChangeAvailability', () => ({ status: 'Accepted' }));
  else if (charger.protocol === 'ocpp2.0.1') charger.chargePoint.handle('ChangeAvailability', () => ({ status: 'Accepted' }));
  else charger.chargePoint.handle('ChangeAvailability', () => ({ status: 'Accepted' }));
}

export interface SimulatedStation {
  identity: string;
  protocol: 'ocpp1.6' | 'ocpp2.0.1';
}

export const DEMO_STATIONS: readonly SimulatedStation[] = [
  { identity: 'SIM-16', protocol: 'ocpp1.6' },
  { identity: 'SIM-201', protocol: 'ocpp2.0.1' },
];

/** The tag the demo starts transactions with. */
export const DEMO_TAG = 'TAG-001';

/**
 * Makes sure each station exists with a fresh password (and the demo tag exists), then
 * connects a simulated charger for each. Resolves once all have booted.
 */
export async function startSimulatedStations(
  csms: Csms,
  list: readonly SimulatedStation[] = DEMO_STATIONS,
  options: { meterIntervalMs?: number; powerW?: number; queueDir?: string } = {},
): Promise<SimulatedCharger[]> {
  if (!csms.tags.get(DEMO_TAG)) csms.tags.create({ idTag: DEMO_TAG, name: 'Demo card' });
  const chargers: SimulatedCharger[] = [];
  for (const { identity, protocol } of list) {
    const password = randomBytes(18).toString('base64url');
    const passwordHash = await hashPassword(password);
    if (csms.stations.get(identity)) csms.stations.update(identity, { passwordHash, admission: 'accepted' });
    else csms.stations.create(identity, { description: 'simulated charger', passwordHash });
    const store: OfflineQueueStore & { close?(): Promise<void> } =
      options.queueDir === undefined ? new MemoryQueueStore() : await FileQueueStore.open({ path: join(options.queueDir, `queue-${identity}.jsonl`) });
    const charger = createSimulatedCharger(protocol, {
      url: csms.ocppUrl.replace('0.0.0.0', '127.0.0.1'),
      identity,
      idTag: DEMO_TAG,
      meterIntervalMs: options.meterIntervalMs ?? 2000,
      powerW: options.powerW ?? 11_000,
      vendor: 'ocpp-sdk',
      chargePoint: {
        password,
        offline: { store },
      },
    });
    // The journal stays open while the charger runs (one store per file); stopping it closes the file.
    const stop = charger.stop.bind(charger);
    charger.stop = async () => {
      try {
        await stop();
      } finally {
        await store.close?.();
      }
    };
    // examples/charge-point.ts answers no ChangeAvailability; ours accept it. Registered on every
    // `ready`, because a reset replaces the charger's connection and with it its handlers.
    charger.on('ready', () => acceptAvailability(charger));
    await charger.start();
    chargers.push(charger);
  }
  return chargers;
}
