/**
 * How the ready scenarios are proved against the simulated charger: the run against a fresh
 * simulator (well-behaved or misbehaving), the misbehaviour that must fail each scenario, and
 * what its failure says. Shared by ready-scenarios.test.ts (the PASS runs, BLOCKED, SKIPPED) and
 * misbehaving-chargers.test.ts (the FAIL runs).
 */
import assert from 'node:assert/strict';
import { runScenarios, STATION_SCENARIOS, TestCentralSystem, type Scenario, type ScenarioResult } from '../../src/testing/index';
import { simProfile, simRig, type Quirk, type RigVersion } from './sim-rig';

/** The scenario of `id` in STATION_SCENARIOS. */
export function byId(id: string): Scenario {
  const s = STATION_SCENARIOS.find((x) => x.id === id);
  assert.ok(s, `no scenario ${id}`);
  return s;
}

/** What breaks each scenario: the misbehaviour that must make it FAIL in its own steps. */
export const MISBEHAVIOUR: Readonly<Record<string, Quirk>> = {
  TC_001_CS: 'unavailable',
  TC_B_01_CS: 'unavailable',
  TC_002_CS: 'early-retry',
  TC_B_02_CS: 'early-retry',
  TC_B_03_CS: 'early-retry',
  TC_B_30_CS: 'no-boot-gating',
  TC_023_1_CS: 'ignores-invalid',
  TC_023_2_CS: 'ignores-invalid',
  TC_023_3_CS: 'ignores-invalid',
  TC_C_02_CS: 'ignores-invalid',
  TC_C_06_CS: 'ignores-invalid',
  TC_C_07_CS: 'ignores-invalid',
  TC_010_CS: 'rejects-remote-start',
  TC_F_01_CS: 'rejects-remote-start',
  TC_012_CS: 'ignores-remote-stop',
  TC_F_08_CS: 'ignores-remote-stop',
  TC_028_CS: 'accepts-any-stop',
  TC_F_09_CS: 'accepts-any-stop',
  TC_017_1_CS: 'unlock-fails',
  TC_F_06_CS: 'unlock-fails',
  TC_F_10_CS: 'unlock-fails',
  TC_F_20_CS: 'trigger-ignored',
  TC_F_23_CS: 'trigger-ignored',
  TC_F_11_CS: 'trigger-ignored',
  TC_F_05_CS: 'unlock-fails',
  TC_003_CS: 'no-start',
  TC_E_03_CS: 'no-start',
  TC_013_CS: 'no-reboot',
  TC_014_CS: 'no-reboot',
  TC_015_CS: 'no-reboot',
  TC_B_20_CS: 'no-reboot',
  TC_B_21_CS: 'no-reboot',
  TC_B_22_CS: 'no-reboot',
  TC_019_1_CS: 'config-forgets',
  TC_019_2_CS: 'config-lax',
  TC_021_CS: 'config-forgets',
  TC_040_1_CS: 'config-lax',
  TC_040_2_CS: 'config-lax',
  TC_B_06_CS: 'config-forgets',
  TC_B_09_CS: 'config-forgets',
  TC_B_32_CS: 'config-lax',
  TC_B_33_CS: 'config-lax',
  TC_B_35_CS: 'config-lax',
  TC_B_36_CS: 'config-lax',
  TC_B_39_CS: 'config-lax',
  TC_B_12_CS: 'report-truncated',
  TC_B_13_CS: 'report-truncated',
  TC_G_03_CS: 'availability-ignored',
  TC_G_04_CS: 'availability-ignored',
  TC_B_23_CS: 'availability-volatile',
  TC_085_CS: 'no-password',
  TC_A_01_CS: 'no-password',
  TC_073_CS: 'keeps-password',
  TC_A_09_CS: 'keeps-password',
  TC_A_10_CS: 'any-password',
  TC_031_CS: 'unlock-fails',
  TC_004_1_CS: 'ignores-cable',
  TC_E_04_CS: 'ignores-cable',
  TC_011_1_CS: 'ignores-cable',
  TC_F_02_CS: 'remote-authorize-never',
  TC_F_03_CS: 'remote-authorize-always',
  TC_004_2_CS: 'no-connection-timeout',
  TC_011_2_CS: 'no-connection-timeout',
  TC_E_05_CS: 'no-connection-timeout',
  TC_F_04_CS: 'no-connection-timeout',
  TC_070_CS: 'meter-ignores-config',
  TC_J_09_CS: 'meter-ignores-config',
  TC_E_51_CS: 'no-retry',
  TC_E_42_CS: 'no-retry',
  TC_038_CS: 'loses-offline-stop',
  TC_E_44_CS: 'loses-offline-stop',
  TC_E_43_CS: 'loses-offline-stop',
  TC_044_1_CS: 'firmware-skips-status',
  TC_L_01_CS: 'firmware-skips-status',
  TC_044_2_CS: 'firmware-never-fails',
  TC_044_3_CS: 'firmware-never-fails',
  TC_L_06_CS: 'firmware-never-fails',
  TC_L_07_CS: 'firmware-never-fails',
  TC_042_1_CS: 'list-version-zero',
  TC_042_2_CS: 'differential-ignored',
  TC_043_2_CS: 'no-version-mismatch',
  TC_043_CS: 'list-not-applied',
  TC_046_1_CS: 'reservation-ignored',
  TC_047_CS: 'reservation-never-expires',
  TC_048_2_CS: 'reserves-occupied',
  TC_053_CS: 'ignores-parent-id',
  TC_077_CS: 'no-security-events',
  SEC_01_CS: 'no-security-events',
  RPC_01_CS: 'hangs-up-on-garbage',
  RPC_02_CS: 'hangs-up-on-garbage',
  RPC_03_CS: 'hangs-up-on-garbage',
};

/** What the failure of each misbehaviour says. */
export const SAYS: Readonly<Record<Quirk, RegExp>> = {
  none: /^$/,
  unavailable: /"Unavailable"/,
  'no-heartbeat': /expected Heartbeat/,
  'early-retry': /BootNotification #\d+ came \d+ ms after BootNotification #\d+: too early/,
  'ignores-invalid': /expected no (StartTransaction|TransactionEvent)/,
  'rejects-remote-start': /status to be "Accepted"\n {2}but it was "Rejected"/,
  'ignores-remote-stop': /expected (StopTransaction|TransactionEvent)/,
  'accepts-any-stop': /status to be "Rejected"\n {2}but it was "Accepted"/,
  'unlock-fails': /but it was "UnlockFailed"/,
  'trigger-ignored': /expected (Heartbeat|StatusNotification|MeterValues)/,
  'no-start': /expected (StartTransaction|TransactionEvent)|missing StartTransaction/,
  'no-reboot': /expected (BootNotification|StopTransaction|TransactionEvent)|status to be "Scheduled"/,
  'config-lax': /to be "(UnknownComponent|UnknownVariable|Rejected|NotSupported|OcppSdkTestingUnknown)"\n {2}but it was|configurationKey to be 0/,
  'config-forgets': /to be "\d+"\n {2}but it was "\d+"/,
  'no-boot-gating': /to be "CALLERROR SecurityError"\n {2}but it was "a CALLRESULT"/,
  'availability-ignored': /expected one of: StatusNotification matching \{[^}]*"connectorStatus":"Unavailable"\}/,
  'availability-volatile': /expected "Unavailable", got "Available"/,
  'report-truncated': /expected next CALL to be NotifyReport matching \{"requestId":\d+,"seqNo":1\}/,
  'no-password': /Basic-auth user of the connection to be "SIM"\n {2}but it was undefined/,
  'keeps-password': /the station to connect again .*\n {2}but it kept its connection/,
  'any-password': /attributeStatus to be "Rejected"\n {2}but it was "Accepted"/,
  'hangs-up-on-garbage': /the station to stay connected and answer\n {2}but it dropped the connection/,
  'ignores-cable': /expected no (StartTransaction|TransactionEvent)/,
  'no-connection-timeout': /expected no (StartTransaction|TransactionEvent)|expected StatusNotification matching \{"connectorId":1,"status":"Available"\}/,
  'remote-authorize-always': /expected no Authorize/,
  'remote-authorize-never': /expected Authorize/,
  'meter-ignores-config': /expected (MeterValues|TransactionEvent) matching \{[^\n]*\}\n {2}but (nothing was received|no (MeterValues|TransactionEvent) came)/,
  'no-retry': /expected TransactionEvent matching \{"eventType":"Ended","seqNo":\d+/,
  'loses-offline-stop': /expected (StopTransaction|TransactionEvent)|expected all of/,
  'firmware-skips-status': /status of the next FirmwareStatusNotification to be "Downloaded"\n {2}but it was "Installed"/,
  'firmware-never-fails': /status of the next FirmwareStatusNotification to be "(DownloadFailed|InstallationFailed)"\n {2}but it was "(Downloaded|Installed)"/,
  'list-version-zero': /listVersion to be \d+\n {2}but it was 0/,
  'differential-ignored': /listVersion to be (\d+)\n {2}but it was (?!\1)\d+/,
  'no-version-mismatch': /status to be "VersionMismatch"\n {2}but it was "Accepted"/,
  'list-not-applied': /expected StartTransaction matching \{"connectorId":1,"idTag":"[^"]+"\}/,
  'reservation-ignored': /expected StatusNotification matching \{"connectorId":1,"status":"Reserved"\}/,
  'reservation-never-expires': /expected StatusNotification matching \{"connectorId":1,"status":"Available"\}/,
  'reserves-occupied': /status to be "Occupied"\n {2}but it was "Accepted"/,
  'ignores-parent-id': /StartTransaction matching \{"connectorId":1,"idTag":"[^"]+","reservationId":\d+\}/,
  'no-security-events': /expected one of: SecurityEventNotification matching \{"type":"ResetOrReboot"\}/,
};

/** A result with its steps, for assertion messages. */
export function describeResult(r: ScenarioResult): string {
  return `${r.id} ${r.verdict}${r.failure === undefined ? '' : `: ${r.failure}`}\n${r.steps.map((s) => `  ${s.index} ${s.phase} ${s.title}: ${s.verdict}`).join('\n')}`;
}

/** Runs `scenarios` against a fresh simulator of `protocol` misbehaving by `quirk`. */
export async function against(protocol: RigVersion, quirk: Quirk, scenarios: readonly Scenario[]): Promise<ScenarioResult[]> {
  const csms = await TestCentralSystem.start({ protocols: [protocol], timeoutMs: 5000 });
  const station = csms.station('SIM');
  const rig = simRig(protocol, csms.url, 'SIM', quirk);
  try {
    return await runScenarios(scenarios, { station, protocol, profile: simProfile(protocol), driver: rig.driver, timeoutMs: 30_000 });
  } finally {
    await rig.stop();
    // Passing scenarios leave no expectation unmet, so close() must succeed; a failed one may
    // leave one, and close() says so, which is not the point of the failing runs.
    if (quirk === 'none') await csms.close();
    else await csms.close().catch(() => undefined);
  }
}
