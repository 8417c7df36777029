/**
 * The ready CSMS scenarios (OCTT's `_CSMS` cases), for 1.6 and 2.0.1 (2.1 where the 2.0.1 one
 * holds unchanged): the kit plays the charging station against the CSMS under test.
 *
 * Ids: the 1.6 and 2.0.1 ids and titles are those of public OCTT result lists (1.6: TC_001,
 * TC_003, TC_010, TC_012, TC_013, TC_014, TC_019_1, TC_021, TC_023_1, TC_054; 2.0.1: TC_B_01,
 * TC_B_02, TC_B_06, TC_B_09, TC_B_20, TC_C_02, TC_E_03, TC_E_21, TC_F_01, TC_F_20), not checked
 * against OCA's test case document itself. Our own choices: TC_002_CSMS (named after TC_002_CS)
 * and TC_RPC_01..03_CSMS (OCTT has no bad-frame cases).
 */
import type { CsmsScenario } from './scenario';
import { TC_001_CSMS, TC_002_CSMS, TC_B_01_CSMS, TC_B_02_CSMS } from './boot';
import { TC_019_1_CSMS, TC_021_CSMS, TC_B_06_CSMS, TC_B_09_CSMS } from './configuration';
import { TC_010_CSMS, TC_012_CSMS, TC_013_CSMS, TC_014_CSMS, TC_054_CSMS, TC_B_20_CSMS, TC_E_21_CSMS, TC_F_01_CSMS, TC_F_20_CSMS } from './remote-control';
import { TC_RPC_01_CSMS, TC_RPC_02_CSMS, TC_RPC_03_CSMS } from './rpc';
import { TC_003_CSMS, TC_023_1_CSMS, TC_C_02_CSMS, TC_E_03_CSMS } from './transactions';

/**
 * Every ready CSMS scenario, 1.6 ones first, then 2.x, then the bad-frame ones (all versions).
 * Each runs on a connection of its own; run the list in one version and the others are SKIPPED.
 * TC_002_CSMS and TC_B_02_CSMS run only with the profile's `bootPending` (a CSMS set up to hold
 * a new charger Pending) and come before TC_001_CSMS and TC_B_01_CSMS, which then meet the
 * charger the CSMS accepted on its retry; without it they are SKIPPED, so a default run against
 * a CSMS that accepts new chargers can pass as a whole.
 */
export const CSMS_SCENARIOS: readonly CsmsScenario[] = Object.freeze([
  TC_002_CSMS,
  TC_001_CSMS,
  TC_003_CSMS,
  TC_010_CSMS,
  TC_012_CSMS,
  TC_013_CSMS,
  TC_014_CSMS,
  TC_019_1_CSMS,
  TC_021_CSMS,
  TC_023_1_CSMS,
  TC_054_CSMS,
  TC_B_02_CSMS,
  TC_B_01_CSMS,
  TC_B_06_CSMS,
  TC_B_09_CSMS,
  TC_B_20_CSMS,
  TC_C_02_CSMS,
  TC_E_03_CSMS,
  TC_E_21_CSMS,
  TC_F_01_CSMS,
  TC_F_20_CSMS,
  TC_RPC_01_CSMS,
  TC_RPC_02_CSMS,
  TC_RPC_03_CSMS,
] as CsmsScenario[]);
