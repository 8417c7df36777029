/**
 * The ready charging-station scenarios, named by their OCTT ids (the kit's own where OCTT has none),
 * for 1.6 and 2.0.1, and 2.1 where a 2.0.1 case holds unchanged.
 */
import type { Scenario } from '../scenario';
import { TC_023_1_CS, TC_023_2_CS, TC_023_3_CS, TC_C_02_CS, TC_C_06_CS, TC_C_07_CS } from './authorization';
import { TC_B_23_CS, TC_G_03_CS, TC_G_04_CS } from './availability';
import { TC_001_CS, TC_002_CS, TC_B_01_CS, TC_B_02_CS, TC_B_03_CS, TC_B_30_CS } from './boot';
import {
  TC_019_1_CS,
  TC_019_2_CS,
  TC_021_CS,
  TC_040_1_CS,
  TC_040_2_CS,
  TC_B_06_CS,
  TC_B_09_CS,
  TC_B_32_CS,
  TC_B_33_CS,
  TC_B_35_CS,
  TC_B_36_CS,
  TC_B_39_CS,
} from './configuration';
import { TC_044_1_CS, TC_044_2_CS, TC_044_3_CS, TC_L_01_CS, TC_L_06_CS, TC_L_07_CS } from './firmware';
import { TC_042_1_CS, TC_042_2_CS, TC_043_CS, TC_043_2_CS } from './local-list';
import { TC_046_1_CS, TC_047_CS, TC_048_2_CS, TC_053_CS } from './reservations';
import { SEC_01_CS, TC_077_CS } from './security-events';
import { TC_B_12_CS, TC_B_13_CS } from './report';
import { RPC_01_CS, RPC_02_CS, RPC_03_CS } from './rpc-framework';
import { TC_070_CS, TC_J_09_CS } from './meter-values';
import { TC_038_CS, TC_E_42_CS, TC_E_43_CS, TC_E_44_CS, TC_E_51_CS } from './transaction-messages';
import { TC_004_1_CS, TC_004_2_CS, TC_011_1_CS, TC_011_2_CS, TC_E_04_CS, TC_E_05_CS, TC_F_02_CS, TC_F_03_CS, TC_F_04_CS } from './sessions';
import { TC_073_CS, TC_085_CS, TC_A_01_CS, TC_A_09_CS, TC_A_10_CS } from './security';
import {
  TC_010_CS,
  TC_012_CS,
  TC_017_1_CS,
  TC_028_CS,
  TC_031_CS,
  TC_F_01_CS,
  TC_F_06_CS,
  TC_F_08_CS,
  TC_F_09_CS,
  TC_F_10_CS,
  TC_F_20_CS,
  TC_F_23_CS,
  TC_F_05_CS,
  TC_F_11_CS,
} from './remote-control';
import { TC_003_CS, TC_E_03_CS } from './transactions';
import { TC_013_CS, TC_014_CS, TC_015_CS, TC_B_20_CS, TC_B_21_CS, TC_B_22_CS } from './reset';

export { TC_023_1_CS, TC_023_2_CS, TC_023_3_CS, TC_C_02_CS, TC_C_06_CS, TC_C_07_CS } from './authorization';
export { TC_B_23_CS, TC_G_03_CS, TC_G_04_CS } from './availability';
export { TC_001_CS, TC_002_CS, TC_B_01_CS, TC_B_02_CS, TC_B_03_CS, TC_B_30_CS } from './boot';
export {
  TC_019_1_CS,
  TC_019_2_CS,
  TC_021_CS,
  TC_040_1_CS,
  TC_040_2_CS,
  TC_B_06_CS,
  TC_B_09_CS,
  TC_B_32_CS,
  TC_B_33_CS,
  TC_B_35_CS,
  TC_B_36_CS,
  TC_B_39_CS,
} from './configuration';
export { TC_044_1_CS, TC_044_2_CS, TC_044_3_CS, TC_L_01_CS, TC_L_06_CS, TC_L_07_CS } from './firmware';
export { TC_042_1_CS, TC_042_2_CS, TC_043_CS, TC_043_2_CS } from './local-list';
export { TC_046_1_CS, TC_047_CS, TC_048_2_CS, TC_053_CS } from './reservations';
export { SEC_01_CS, TC_077_CS } from './security-events';
export { TC_B_12_CS, TC_B_13_CS } from './report';
export { RPC_01_CS, RPC_02_CS, RPC_03_CS } from './rpc-framework';
export { TC_070_CS, TC_J_09_CS } from './meter-values';
export { TC_038_CS, TC_E_42_CS, TC_E_43_CS, TC_E_44_CS, TC_E_51_CS } from './transaction-messages';
export { TC_004_1_CS, TC_004_2_CS, TC_011_1_CS, TC_011_2_CS, TC_E_04_CS, TC_E_05_CS, TC_F_02_CS, TC_F_03_CS, TC_F_04_CS } from './sessions';
export { TC_073_CS, TC_085_CS, TC_A_01_CS, TC_A_09_CS, TC_A_10_CS } from './security';
export {
  TC_010_CS,
  TC_012_CS,
  TC_017_1_CS,
  TC_028_CS,
  TC_031_CS,
  TC_F_01_CS,
  TC_F_06_CS,
  TC_F_08_CS,
  TC_F_09_CS,
  TC_F_10_CS,
  TC_F_20_CS,
  TC_F_23_CS,
  TC_F_05_CS,
  TC_F_11_CS,
} from './remote-control';
export { TC_003_CS, TC_E_03_CS } from './transactions';
export { TC_013_CS, TC_014_CS, TC_015_CS, TC_B_20_CS, TC_B_21_CS, TC_B_22_CS } from './reset';

/**
 * Every ready charging-station scenario, 1.6 ones first, then 2.x, then those of every version
 * (RPC_*), in an order that runs well on one station: boots first; the sessions that begin
 * before the cable (sessions.ts) end their own transactions; a scenario that leaves a
 * transaction running (TC_003_CS, TC_010_CS, TC_E_03_CS, TC_F_01_CS) follows one that leaves none and a
 * message or more after one that ended one (a station may take a moment to settle after its
 * TransactionEvent Ended); those that read the heartbeat interval given at boot (TC_019_*,
 * TC_B_06_CS) come before those that reconnect without a boot (TC_073_CS, TC_A_09_CS); the
 * firmware, local-list and reservation ones leave the station as they found it (no cable, no
 * reservation), and the security-event ones reboot it, so they sit with the resets. Run the
 * list against a station and the scenarios of other versions are SKIPPED.
 */
export const STATION_SCENARIOS: readonly Scenario[] = Object.freeze([
  TC_001_CS,
  TC_002_CS,
  TC_085_CS,
  TC_023_1_CS,
  TC_023_2_CS,
  TC_023_3_CS,
  TC_004_2_CS,
  TC_011_2_CS,
  TC_004_1_CS,
  TC_011_1_CS,
  TC_070_CS,
  TC_003_CS,
  TC_012_CS,
  TC_010_CS,
  TC_038_CS,
  TC_015_CS,
  TC_028_CS,
  TC_017_1_CS,
  TC_031_CS,
  TC_019_1_CS,
  TC_019_2_CS,
  TC_021_CS,
  TC_040_1_CS,
  TC_040_2_CS,
  TC_044_1_CS,
  TC_044_2_CS,
  TC_044_3_CS,
  TC_042_1_CS,
  TC_042_2_CS,
  TC_043_2_CS,
  TC_043_CS,
  TC_046_1_CS,
  TC_047_CS,
  TC_048_2_CS,
  TC_053_CS,
  TC_073_CS,
  TC_013_CS,
  TC_014_CS,
  TC_077_CS,
  TC_B_01_CS,
  TC_B_02_CS,
  TC_B_03_CS,
  TC_B_30_CS,
  TC_A_01_CS,
  TC_C_02_CS,
  TC_C_06_CS,
  TC_C_07_CS,
  TC_E_05_CS,
  TC_F_04_CS,
  TC_E_04_CS,
  TC_F_02_CS,
  TC_F_03_CS,
  TC_J_09_CS,
  TC_E_43_CS,
  TC_F_01_CS,
  TC_E_51_CS,
  TC_F_05_CS,
  TC_F_08_CS,
  TC_F_09_CS,
  TC_F_06_CS,
  TC_F_10_CS,
  TC_F_11_CS,
  TC_F_20_CS,
  TC_F_23_CS,
  TC_B_06_CS,
  TC_B_09_CS,
  TC_B_32_CS,
  TC_B_33_CS,
  TC_B_35_CS,
  TC_B_36_CS,
  TC_B_39_CS,
  TC_B_12_CS,
  TC_B_13_CS,
  TC_G_03_CS,
  TC_G_04_CS,
  TC_L_01_CS,
  TC_L_06_CS,
  TC_L_07_CS,
  TC_A_10_CS,
  TC_A_09_CS,
  TC_E_03_CS,
  TC_E_42_CS,
  TC_E_44_CS,
  TC_B_22_CS,
  TC_B_20_CS,
  TC_B_21_CS,
  SEC_01_CS,
  TC_B_23_CS,
  RPC_01_CS,
  RPC_02_CS,
  RPC_03_CS,
] as Scenario[]);
