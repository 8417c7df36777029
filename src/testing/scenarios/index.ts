/**
 * The ready charging-station scenarios, named by their OCTT ids, for 1.6 and 2.0.1.
 */
import type { Scenario } from '../scenario';
import { TC_023_1_CS, TC_C_02_CS } from './authorization';
import { TC_001_CS, TC_002_CS, TC_B_01_CS, TC_B_02_CS } from './boot';
import {
  TC_010_CS,
  TC_012_CS,
  TC_017_1_CS,
  TC_028_CS,
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

export { TC_023_1_CS, TC_C_02_CS } from './authorization';
export { TC_001_CS, TC_002_CS, TC_B_01_CS, TC_B_02_CS } from './boot';
export {
  TC_010_CS,
  TC_012_CS,
  TC_017_1_CS,
  TC_028_CS,
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
 * Every ready charging-station scenario, 1.6 ones first, in an order that runs well on one
 * station: boots first; a scenario that starts a transaction (TC_003_CS, TC_010_CS, TC_E_03_CS,
 * TC_F_01_CS) follows one that leaves none and a message or more after one that ended one (a
 * station may take a moment to settle after its TransactionEvent Ended). Each applies to one
 * version: run the list against a station and the others are SKIPPED.
 */
export const STATION_SCENARIOS: readonly Scenario[] = Object.freeze([
  TC_001_CS,
  TC_002_CS,
  TC_023_1_CS,
  TC_003_CS,
  TC_012_CS,
  TC_010_CS,
  TC_015_CS,
  TC_028_CS,
  TC_017_1_CS,
  TC_013_CS,
  TC_014_CS,
  TC_B_01_CS,
  TC_B_02_CS,
  TC_C_02_CS,
  TC_F_01_CS,
  TC_F_05_CS,
  TC_F_08_CS,
  TC_F_09_CS,
  TC_F_06_CS,
  TC_F_10_CS,
  TC_F_11_CS,
  TC_F_20_CS,
  TC_F_23_CS,
  TC_E_03_CS,
  TC_B_22_CS,
  TC_B_20_CS,
  TC_B_21_CS,
] as Scenario[]);
