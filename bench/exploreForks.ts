/**
 * Forking in the searches that re-ran every schedule before (issue 18 item
 * 1's remaining cases): schedules/s re-running every schedule from time 0
 * and forked, in turn in one process, with the same counts and outcomes
 * checked, for bottom-half delivery (with and without a window), DPOR, the
 * race, the random and PCT strategies (forked at `from`; from 0 they build
 * a system per run either way), and user predicates.
 *
 * `node --import ./bench/tsLoader.mjs bench/exploreForks.ts [--quick]` prints a Markdown table.
 */
import { exploreRace, type ExploreRaceOptions } from '../explore/exploreRace';
import { exploreScenario, type ExploreScenarioOptions } from '../explore/exploreScenario';
import { exploreScenarioRandom, type ExploreScenarioRandomOptions } from '../explore/strategies/exploreScenarioRandom';
import { DEFAULT_SCENARIO } from '../system/scenario/defaultScenario';
import { parseScenario } from '../system/scenario/loadScenario';
import { median } from './measure';

/** One search, re-run and forked: medians over the repetitions. */
export interface ForkFigure {
  readonly search: string;
  readonly schedules: number;
  /** Schedules (or random runs) per second, re-running every one from time 0. */
  readonly rerun: number;
  /** The same, forked. */
  readonly forked: number;
}

/** A search's result, as far as the comparison goes. */
interface Found {
  readonly count: number;
  readonly key: string;
}

interface Case {
  readonly search: string;
  readonly run: (rerun: boolean) => Found;
}

/** Every invariant off: under bottom-half delivery the search then covers its bound instead of stopping at the race. */
const NO_INVARIANTS = { atomicExpiry: false, consistentReads: false, exactlyOnce: false } as const;

const cases = (quick: boolean): Case[] => {
  const scenario = parseScenario(DEFAULT_SCENARIO);
  // The busiest instant of the first millisecond, as in bench/exploreScenario.ts.
  const busy = { from: 999_000, until: 1_000_100 };
  const n = quick ? 20 : 300;
  const scenarioCase = (search: string, options: ExploreScenarioOptions): Case => ({
    search,
    run: (rerun) => {
      const r = exploreScenario(scenario, { ...options, rerun });
      return { count: r.schedules, key: `${r.outcomes} ${r.violation?.message ?? ''}` };
    },
  });
  const raceCase = (search: string, options: ExploreRaceOptions): Case => ({
    search,
    run: (rerun) => {
      const r = exploreRace({ ...options, rerun });
      return { count: r.schedules, key: `${r.outcomes} ${r.violation?.message ?? ''}` };
    },
  });
  const randomCase = (search: string, options: ExploreScenarioRandomOptions): Case => ({
    search,
    run: (rerun) => {
      const r = exploreScenarioRandom(scenario, { ...options, rerun });
      return { count: r.runs + (r.violation?.shrinkRuns ?? 0), key: `${r.runs} ${r.violation?.message ?? ''} ${JSON.stringify(r.violation?.choices ?? [])}` };
    },
  });
  return [
    scenarioCase('default scenario, bottom-half, bounded', { ...busy, delivery: 'bottom-half', invariants: NO_INVARIANTS, maxSchedules: n }),
    scenarioCase('default scenario, bottom-half, 1 µs window', { from: 499_999, until: 502_001, delivery: 'bottom-half', bottomHalfWindow: 1_000, invariants: NO_INVARIANTS, maxSchedules: n }),
    scenarioCase("default scenario, reduce 'dpor', bounded", { ...busy, reduce: 'dpor', maxSchedules: n }),
    scenarioCase('default scenario from 0, sync, bounded', { until: 500_001, maxSchedules: quick ? 10 : 100 }),
    raceCase('race sp804, sync, 4 expiries', { delivery: 'sync', expiries: quick ? 2 : 4, maxSchedules: 100_000 }),
    raceCase("race sp804, sync, 4 expiries, 'dpor'", { delivery: 'sync', expiries: quick ? 2 : 4, reduce: 'dpor', maxSchedules: 100_000 }),
    randomCase('random strategy, busy span, sync', { ...busy, strategy: 'random', seed: 1, runs: quick ? 10 : 100 }),
    randomCase('PCT (depth 2), busy span, sync', { ...busy, strategy: 'pct', seed: 1, runs: quick ? 10 : 100, depth: 2 }),
    randomCase('random strategy from 0, sync', { until: 500_001, strategy: 'random', seed: 1, runs: quick ? 5 : 40 }),
    scenarioCase('default scenario, a user predicate', { ...busy, maxSchedules: quick ? 5 : 40, predicates: [({ time }) => (time < 0 ? 'never' : undefined)] }),
  ];
};

/**
 * Runs every case re-run and forked, in turn, `reps` times.
 * @param quick - a short sanity run (a few seconds)
 * @returns one figure per case
 */
export const measureExploreForks = (quick = false): ForkFigure[] => {
  const reps = quick ? 1 : 3;
  const out: ForkFigure[] = [];
  for (const c of cases(quick)) {
    const rates = { rerun: [] as number[], forked: [] as number[] };
    let first: Found | undefined;
    for (let i = 0; i < reps; i++) {
      for (const rerun of [true, false]) {
        const t0 = performance.now();
        const found = c.run(rerun);
        const ms = performance.now() - t0;
        first ??= found;
        if (found.key !== first.key) throw new Error(`explore forks bench: ${c.search}: the ${rerun ? 're-run' : 'forked'} search found something else`);
        (rerun ? rates.rerun : rates.forked).push((found.count / ms) * 1_000);
      }
    }
    out.push({ search: c.search, schedules: first!.count, rerun: median(rates.rerun), forked: median(rates.forked) });
  }
  return out;
};

/** The figures as a Markdown table. */
export const renderExploreForks = (figures: readonly ForkFigure[]): string =>
  [
    '| search | schedules | re-run /s | forked /s | forked / re-run |',
    '| --- | ---: | ---: | ---: | ---: |',
    ...figures.map((f) => `| ${f.search} | ${f.schedules} | ${f.rerun.toFixed(0)} | ${f.forked.toFixed(0)} | ${(f.forked / f.rerun).toFixed(1)}x |`),
  ].join('\n');

/** The figures as a section of bench/RESULTS.md. */
export const renderExploreForksSection = (figures: readonly ForkFigure[]): string[] => [
  '### Forking in every search mode',
  '',
  'Each search run re-running every schedule from time 0 (`rerun: true`) and forked (the default), in turn, 3 times, in one process; medians. ' +
    'Every run of a search found the same thing (counts, outcomes, violation) both ways, checked. ' +
    'Random and PCT from 0 build one system per run either way (nothing to fork before the first choice).',
  '',
  renderExploreForks(figures),
];

if (import.meta.url === `file://${process.argv[1]}`) console.log(renderExploreForks(measureExploreForks(process.argv.includes('--quick'))));
