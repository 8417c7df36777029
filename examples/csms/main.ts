/**
 * `npm run csms`: starts the CSMS with the settings of config.ts and stops it cleanly on
 * SIGINT or SIGTERM. start.js runs this once the example's own dependencies are installed.
 */
import { dirname } from 'node:path';
import { startCsms } from './app';
import { readConfig } from './config';
import { startSimulatedStations } from './simulator';

async function main(): Promise<void> {
  const config = readConfig();
  const csms = await startCsms(config);
  console.log(`database:  ${config.db}`);
  console.log(`stations:  ${csms.ocppUrl}/<identity>   (OCPP 1.6, 2.0.1, 2.1; unknown stations: ${config.unknownStations})`);
  console.log(`console:   ${csms.httpUrl}/`);
  console.log(`API:       ${csms.httpUrl}/api/openapi.json`);
  for (const [user, password] of Object.entries(csms.generatedPasswords)) {
    console.log(`first start: console user "${user}" has password ${password} (set CSMS_${user.toUpperCase()}_PASSWORD to choose it)`);
  }
  // The simulated chargers keep their offline queues in journal files next to the database.
  const chargers = config.simulate ? await startSimulatedStations(csms, undefined, { queueDir: dirname(config.db) }) : [];
  if (chargers.length) console.log(`simulated: ${chargers.map((c) => c.identity).join(', ')} connected`);

  let stopping = false;
  const stop = (signal: string): void => {
    if (stopping) return;
    stopping = true;
    console.log(`${signal}: closing`);
    void Promise.allSettled(chargers.map((c) => c.stop()))
      .then(() => csms.close())
      .then(
        () => process.exit(0),
        (error: unknown) => {
          console.error(error);
          process.exit(1);
        },
      );
  };
  process.once('SIGINT', () => stop('SIGINT'));
  process.once('SIGTERM', () => stop('SIGTERM'));
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
