import type { RandomExploreResult, RandomStrategy } from '../explore/strategies/exploreRandom';
import { CliError, USAGE_ERROR } from './CliError';

/** The explorer's strategies on the command line: today's exhaustive search, or a random one. */
export const STRATEGIES = ['exhaustive', 'random', 'pct'] as const;

/** `explore --strategy`. */
export type StrategyName = (typeof STRATEGIES)[number];

/** The strategy options of `explore`, as parsed. */
export interface StrategyOptions {
  readonly strategy?: StrategyName;
  readonly seed?: number;
  readonly runs?: number;
  readonly depth?: number;
}

/** The random search's own parameters, told as the options they came from (see `optionError`). */
export const RANDOM_OPTIONS: Readonly<Record<string, string>> = {
  'exploreRandom(seed)': '--seed',
  'exploreRandom(runs)': '--runs',
  'exploreRandom(depth)': '--depth',
  'exploreRandom(maxMillis)': '--max-time',
};

/** The seed when `--seed` is not given: fixed, so a run without it is repeatable too. */
export const DEFAULT_SEED = 1;

/** The runs when `--runs` is not given. */
export const DEFAULT_RUNS = 1000;

/**
 * The random search's options from the command line's, refusing options
 * the strategy does not take (one usage error naming the option).
 * @returns `undefined` for the exhaustive strategy
 */
export const randomStrategy = (options: StrategyOptions): { strategy: RandomStrategy; seed: number; runs: number; depth?: number } | undefined => {
  const strategy = options.strategy ?? 'exhaustive';
  const only = (option: string, value: number | undefined, rule: string): void => {
    if (value !== undefined) throw new CliError(`${option}: ${value} is invalid: ${rule}`, USAGE_ERROR);
  };
  if (strategy === 'exhaustive') {
    only('--seed', options.seed, 'applies to --strategy random or pct only');
    only('--runs', options.runs, 'applies to --strategy random or pct only');
    only('--depth', options.depth, 'applies to --strategy pct only');
    return undefined;
  }
  if (strategy === 'random') only('--depth', options.depth, 'applies to --strategy pct only');
  return {
    strategy,
    seed: options.seed ?? DEFAULT_SEED,
    runs: options.runs ?? DEFAULT_RUNS,
    ...(options.depth === undefined ? {} : { depth: options.depth }),
  };
};

/** The strategy, seed and runs of a random search, for its result's first line. */
export const strategyHeading = (r: RandomExploreResult): string =>
  `${r.strategy} strategy, seed ${r.seed}${r.pct === undefined ? '' : `, depth ${r.pct.depth}`}: ${r.runs} run(s)${r.timedOut === true ? ', time limit reached' : ''}`;

/**
 * The lines of a random search's result under its heading: PCT's guarantee
 * for the n and k seen, the verdict, and a violation shrunk (its schedule
 * and the choices that replay it).
 */
export const randomResultLines = (r: RandomExploreResult, none: string): string[] => {
  const lines: string[] = [];
  const { pct, violation } = r;
  if (pct !== undefined) {
    const formula = pct.depth === 1 ? `1/${pct.n}` : `1/(${pct.n}·${pct.k}${pct.depth > 2 ? `^${pct.depth - 1}` : ''})`;
    lines.push(
      `  pct: n = ${pct.n} piece(s) of work, k = ${pct.k} choice point(s): a run finds a depth-${pct.depth} bug with probability at least ${formula} = ${probability(pct.bound)}` +
        (pct.overSteps > 0 ? ` (not guaranteed for ${pct.overSteps} run(s) with more choice points than estimated)` : ''),
    );
  }
  if (violation === undefined) {
    lines.push(`  ${none} in ${r.runs} ${r.strategy} run(s)`);
    if (pct !== undefined && pct.bound < 1) lines.push(`  a depth-${pct.depth} bug escapes all ${r.runs} run(s) with probability at most ${probability((1 - pct.bound) ** r.runs)}`);
    return lines;
  }
  lines.push(`  violation (run ${violation.run}): ${violation.message}`);
  lines.push(
    violation.found.choices.length === 0
      ? '  shrunk: nothing to shrink, the run found takes the normal FIFO order'
      : `  shrunk: a choice sequence of ${violation.found.choices.length} → ${violation.choices.length} (in ${violation.shrinkRuns} run(s))`,
  );
  lines.push(`  schedule: ${violation.schedule.length === 0 ? '(no choice point)' : violation.schedule.join(' → ')}`);
  lines.push(`  choices: [${violation.choices.join(', ')}] (replayChoices; [] is the normal FIFO order)`);
  return lines;
};

const probability = (p: number): string => (p >= 0.001 || p === 0 ? p.toFixed(4) : p.toExponential(2));
