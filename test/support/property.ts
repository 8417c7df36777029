/**
 * One seed policy for every property test (fast-check), imported for its effect.
 *
 * `npm test` must give the same answer on every machine and every run: a random seed there made
 * CI fail on a counterexample nobody had seen locally. So by default every property runs from a
 * fixed seed. Exploring is a separate, explicit act: `npm run test:explore` sets FC_SEED=random
 * and raises the run counts; a failure it finds prints its seed, and FC_SEED=<that seed> (plus
 * the path fast-check prints, where a test reads one) replays it under `npm test`.
 */
import fc from 'fast-check';

/** The seed every property uses when FC_SEED is not set. Changing it is a deliberate act. */
export const DEFAULT_PROPERTY_SEED = 20_261_121;

function readSeed(raw: string | undefined): number | undefined {
  if (raw === undefined || raw === '') return DEFAULT_PROPERTY_SEED;
  if (raw === 'random') return undefined;
  const seed = Number(raw);
  if (!Number.isInteger(seed)) throw new TypeError(`FC_SEED must be an integer or "random", got ${JSON.stringify(raw)}`);
  return seed;
}

/** The seed in force for this process: a number, or undefined when exploring with random seeds. */
export const PROPERTY_SEED = readSeed(process.env.FC_SEED);

// fast-check spreads its global parameters under each call's own, so a call that passes
// `seed: undefined` would undo this; tests pass a seed only when they have one of their own.
if (PROPERTY_SEED !== undefined) fc.configureGlobal({ ...fc.readConfigureGlobal(), seed: PROPERTY_SEED });
