// How hard the property and fuzz tests search. `npm test` runs each at a fixed seed and a size that
// keeps the whole suite within a few minutes on two cores; `PTIMER_DEEP=1 npm test` runs them
// deeper (more runs, the full default scenario) from a seed that changes at every run, so repeated
// deep runs explore new cases. The seed is printed; `PTIMER_SEED=n` repeats a deep run.

/** Whether this run is a deep one (`PTIMER_DEEP=1`). */
export const DEEP = process.env.PTIMER_DEEP === '1';

const parseSeed = (text: string): number => {
  const seed = Number(text);
  if (!Number.isSafeInteger(seed)) throw new Error(`PTIMER_SEED: "${text}" is invalid: must be a whole number`);
  return seed;
};

/** The deep run's base seed: PTIMER_SEED, else a new one each run. */
const DEEP_SEED = process.env.PTIMER_SEED !== undefined ? parseSeed(process.env.PTIMER_SEED) : Math.floor(Math.random() * 2 ** 31);
if (DEEP) console.info(`PTIMER_DEEP: seed ${DEEP_SEED} (PTIMER_SEED=${DEEP_SEED} repeats this run)`);

/**
 * The number of runs: `quick` in a normal run, `deep` in a deep one.
 * @param quick - runs for `npm test`
 * @param deep - runs for `PTIMER_DEEP=1`
 * @returns the runs for this run
 */
export const runs = (quick: number, deep: number): number => (DEEP ? deep : quick);

/**
 * A test's seed: `fixed` in a normal run (so `npm test` is deterministic), and in a deep run
 * the run's seed mixed with `fixed` (so two tests of one deep run draw different cases).
 * @param fixed - the test's own seed
 * @returns the seed for this run
 */
export const seedFor = (fixed: number): number => (DEEP ? (DEEP_SEED + fixed) | 0 : fixed);
