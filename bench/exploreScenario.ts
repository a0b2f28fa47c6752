/**
 * The ordering explorer on the default scenario: schedules explored per
 * second re-running every schedule from time 0 (before issue 18 item 1) and
 * forked (after: from `from` and every choice point of the search's path),
 * on 1 and 2 worker threads, and
 * the reduction factor at one instant where the unreduced search can be
 * exhausted too.
 */
import { exploreScenario, scenarioExplorer, type ExploreScenarioOptions } from '../explore/exploreScenario';
import { exploreRace } from '../explore/exploreRace';
import type { Reduction } from '../explore/exploreSchedules';
import { parseScenario } from '../system/scenario/loadScenario';
import { DEFAULT_SCENARIO } from '../system/scenario/defaultScenario';
import { collectGarbage, median } from './measure';
import { medianVariant, type Variant } from './explore';
import { after, warmPool, type Measured, type Search } from './exploreBaseline';

/** What {@link measureExploreScenario} found. */
export interface ExploreScenarioFigures {
  readonly span: { readonly from: number; readonly until: number };
  readonly schedules: number;
  /** Re-running every schedule from time 0 (before forking) and forked, on 1 and 2 workers: medians. */
  readonly before: { readonly one: Variant; readonly two: Variant };
  readonly after: { readonly one: Variant; readonly two: Variant };
  /** The forked path's wall times (what bench/run.ts logs). */
  readonly oneThreadMs: number;
  readonly twoThreadsMs: number;
  readonly reduction: { readonly from: number; readonly until: number; readonly full: number; readonly reduced: number };
  readonly reps: { readonly rerun: number; readonly forked: number };
  /** Starting 2 threads and running a first part of each search on each (ms): left out of the table's figures. */
  readonly warmUpMs: number;
}

/**
 * Runs the figures: the README's bounded search of the default scenario,
 * re-run, then forked, each on 1 and 2 workers in turn (about a minute;
 * `quick`: a few seconds).
 * @param quick - a short sanity run
 * @param maxSchedules - the bound (default 2 000, quick 40)
 */
export const measureExploreScenario = async (quick = false, maxSchedules = quick ? 40 : 2_000): Promise<ExploreScenarioFigures> => {
  // The busiest instant of the first millisecond (the devices' ticks around 1 ms), bounded:
  // its space is far too large to exhaust, which is what a bound is for.
  const span = { from: 999_000, until: 1_000_100 };
  // Re-running costs seconds a search; the forked search a fraction of one: more repetitions of it steady its median.
  const reps = { rerun: quick ? 1 : 2, forked: quick ? 1 : 5 };
  const scenario = parseScenario(DEFAULT_SCENARIO);
  const searchOf = (options: ExploreScenarioOptions): Search => {
    const explorer = scenarioExplorer(scenario, options);
    return { build: explorer.build, options: explorer.exploreOptions, task: (prefix) => ({ kind: 'scenario', scenario, options, prefix }) };
  };
  const forked = searchOf({ ...span, maxSchedules });
  const rerun = searchOf({ ...span, maxSchedules, rerun: true });
  const first = exploreScenario(scenario, { ...span, maxSchedules }); // the count
  const runs = { b1: [] as Measured[], b2: [] as Measured[], a1: [] as Measured[], a2: [] as Measured[] };
  // One pool for both paths (a thread keeps each search's set-up).
  const warm = await warmPool(rerun, 2);
  await warmPool(forked, 2, warm.pool);
  let warmUpMs = warm.ms;
  try {
    // A full GC in this thread before each: one search's garbage (a re-run's is large) is not collected on the next one's clock.
    const timed = (search: Search, workers: number): Promise<Measured> => {
      collectGarbage();
      return after(search, workers, workers === 1 ? undefined : warm.pool);
    };
    // One path after the other, not in turn: a re-run between two forked searches sent the forked search's optimized
    // code back to the compiler (the same functions see other shapes), in this thread and on the pool alike, and the
    // forked figures measured that (its one-thread search took about twice its time alone).
    // Each path first runs one whole search on 1 and on 2 workers untimed: a thread's first search runs much of
    // its code unoptimized, and would otherwise be the first repetition's figure. 1 and 2 workers in turn.
    const phase = async (search: Search, count: number, one: Measured[], two: Measured[]): Promise<void> => {
      const t0 = performance.now();
      await after(search, 1);
      await after(search, 2, warm.pool);
      warmUpMs += performance.now() - t0;
      for (let i = 0; i < count; i++) {
        one.push(await timed(search, 1));
        two.push(await timed(search, 2));
      }
    };
    await phase(rerun, reps.rerun, runs.b1, runs.b2);
    await phase(forked, reps.forked, runs.a1, runs.a2);
  } finally {
    await warm.pool.destroy();
  }
  for (const m of Object.values(runs).flat()) {
    if (m.result.outcomes !== first.outcomes) throw new Error(`explore bench: outcomes differ (${first.schedules}, ${m.result.schedules})`);
  }
  const at = { from: 199_999, until: 200_001 };
  const reduced = exploreScenario(scenario, { ...at, maxSchedules: 1_000_000 });
  const full = exploreScenario(scenario, { ...at, maxSchedules: 1_000_000, reduce: false });
  if (!reduced.exhausted || !full.exhausted) throw new Error('explore bench: the reduction span was not exhausted');
  return {
    span,
    schedules: first.schedules,
    before: { one: medianVariant(runs.b1), two: medianVariant(runs.b2) },
    after: { one: medianVariant(runs.a1), two: medianVariant(runs.a2) },
    oneThreadMs: median(runs.a1.map((m) => m.ms)),
    twoThreadsMs: median(runs.a2.map((m) => m.ms)),
    reduction: { ...at, full: full.schedules, reduced: reduced.schedules },
    reps,
    warmUpMs,
  };
};

const rate = (v: Variant): string => (v.rate < 100 ? v.rate.toFixed(1) : Math.round(v.rate).toLocaleString('en-US'));

/** The RESULTS.md section. */
export const renderExploreScenario = (f: ExploreScenarioFigures): string[] => [
  '## Ordering explorer on the default scenario',
  '',
  `\`exploreScenario\` on examples/scenarios/default.json (sync delivery, observers at 2 expiry instants per device, built-in invariants), ` +
    `exploring the instants from ${f.span.from} to ${f.span.until} ns (the devices' ticks around 1 ms), ` +
    `bounded at ${f.schedules.toLocaleString('en-US')} schedules (the README's figures: 2,000); medians of ${f.reps.rerun} (re-run) and ${f.reps.forked} (forked) repetitions, one path after the other ` +
    `(a re-run between two forked searches sent the forked code back to the compiler), 1 and 2 workers in turn, each path after one untimed search on 1 and on 2 workers, a full GC in this thread before each timed one, in a process of their own (bench/exploreChild.ts); ` +
    `the outcomes checked equal in all of them. Re-run: every schedule builds the system and runs it from 0 (before issue 18); forked: one system runs to \`from\` once, ` +
    `is forked there and at every choice point of the search's path, and each schedule starts from the deepest fork it shares with the one before, rewound in place. The 2-worker variants run on one pool of 2 threads, warmed (start-up, set-up and the untimed searches: ${(f.warmUpMs / 1000).toFixed(1)} s in all).`,
  '',
  '| | Wall time | Schedules/s | Runs (schedules and pruned runs made, past the bound included) |',
  '|---|--:|--:|--:|',
  `| re-run from 0, 1 worker | ${f.before.one.ms.toFixed(0)} ms | ${rate(f.before.one)} | ${f.before.one.runs.toLocaleString('en-US')} |`,
  `| re-run from 0, 2 workers | ${f.before.two.ms.toFixed(0)} ms | ${rate(f.before.two)} | ${f.before.two.runs.toLocaleString('en-US')} |`,
  `| forked, 1 worker | ${f.after.one.ms.toFixed(0)} ms | ${rate(f.after.one)} | ${f.after.one.runs.toLocaleString('en-US')} |`,
  `| forked, 2 workers | ${f.after.two.ms.toFixed(0)} ms | ${rate(f.after.two)} | ${f.after.two.runs.toLocaleString('en-US')} |`,
  '',
  `Forked against re-run: ${(f.after.one.rate / f.before.one.rate).toFixed(1)}× on 1 worker, ${(f.after.two.rate / f.before.two.rate).toFixed(1)}× on 2. ` +
    `1 → 2 workers: ${(f.before.two.rate / f.before.one.rate).toFixed(2)}× re-run, ${(f.after.two.rate / f.after.one.rate).toFixed(2)}× forked.`,
  '',
  `Reduction at the 200 µs instant (${f.reduction.from}..${f.reduction.until} ns; both searches exhausted): ` +
    `${f.reduction.full.toLocaleString('en-US')} schedules unreduced, ${f.reduction.reduced.toLocaleString('en-US')} reduced: ` +
    `${(f.reduction.full / f.reduction.reduced).toFixed(0)}× fewer, same verdict (none broken).`,
];

/** What {@link measureDporReduction} found: schedules per reduction at one instant of the default scenario. */
export interface DporReductionFigures {
  /** What was searched. */
  readonly what: string;
  /** The instant's span (ns). */
  readonly from: number;
  readonly until: number;
  /** Unreduced, the per-device reduction (sleep and persistent sets), and source-DPOR: complete schedules and whether the space was exhausted. */
  readonly full: { readonly schedules: number; readonly exhausted: boolean };
  readonly sleep: { readonly schedules: number; readonly exhausted: boolean };
  readonly dpor: { readonly schedules: number; readonly pruned: number; readonly exhausted: boolean };
  /** The bound given to the searches that may not exhaust. */
  readonly bound: number;
}

/**
 * The dynamic partial-order reduction (`reduce: 'dpor'`, #18 item 2) next to
 * the per-device reduction and the unreduced search, on the default scenario:
 * at the 200 µs instant (all three exhausted), at the 500 µs instant
 * (8 pieces of work ready at once) and over 500..600 µs, where the searches
 * other than DPOR are bounded (`quick`: a lower bound); and on the race.
 * @param quick - a short sanity run
 * @returns one row per instant
 */
export const measureDporReduction = (quick = false): DporReductionFigures[] => {
  const scenario = parseScenario(DEFAULT_SCENARIO);
  const rows: DporReductionFigures[] = [];
  for (const [from, until, bound] of [
    [199_999, 200_001, 1_000_000],
    [499_999, 500_001, quick ? 100 : 2_000],
    // Two busy instants (500 and 600 µs, and the acknowledgements at 502 µs): the per-device reduction's product of orders outgrows the bound.
    [499_999, 600_001, quick ? 100 : 2_000],
  ] as const) {
    const at = { from, until, maxSchedules: bound };
    const full = exploreScenario(scenario, { ...at, reduce: false });
    const sleep = exploreScenario(scenario, { ...at, reduce: true });
    const dpor = exploreScenario(scenario, { ...at, maxSchedules: 1_000_000, reduce: 'dpor' });
    if (!dpor.exhausted) throw new Error(`explore bench: the DPOR search at ${from}..${until} ns was not exhausted`);
    for (const r of [full, sleep, dpor]) if (r.violation !== undefined) throw new Error(`explore bench: a violation at ${from} ns: ${r.violation.message}`);
    rows.push({
      what: `default scenario, ${from}..${until} ns`,
      from,
      until,
      full: { schedules: full.schedules, exhausted: full.exhausted },
      sleep: { schedules: sleep.schedules, exhausted: sleep.exhausted },
      dpor: { schedules: dpor.schedules, pruned: dpor.pruned, exhausted: dpor.exhausted },
      bound,
    });
  }
  // The race (sp804, sync delivery, 3 expiries): its readers only read, so DPOR orders them only against the expiries.
  const race = (reduce: Reduction) => exploreRace({ device: 'sp804', delivery: 'sync', reduce, maxSchedules: 1_000_000 });
  const [full, sleep, dpor] = [race(false), race(true), race('dpor')];
  if (!full.exhausted || !sleep.exhausted || !dpor.exhausted) throw new Error('explore bench: a race search was not exhausted');
  rows.push({
    what: 'the race (sp804, sync, 3 expiries)',
    from: 0,
    until: 0,
    full: { schedules: full.schedules, exhausted: true },
    sleep: { schedules: sleep.schedules, exhausted: true },
    dpor: { schedules: dpor.schedules, pruned: dpor.pruned, exhausted: true },
    bound: 1_000_000,
  });
  return rows;
};

/** The RESULTS.md lines for {@link measureDporReduction}. */
export const renderDporReduction = (rows: readonly DporReductionFigures[]): string[] => {
  const count = (r: { readonly schedules: number; readonly exhausted: boolean }): string =>
    r.exhausted ? r.schedules.toLocaleString('en-US') : `> ${r.schedules.toLocaleString('en-US')} (bound hit)`;
  return [
    '### Dynamic partial-order reduction (`reduce: \'dpor\'`)',
    '',
    'Complete schedules at instants of the default scenario (sync delivery, built-in invariants, none broken) and on the race: unreduced, the per-device reduction ' +
      '(sleep and persistent sets over static per-device footprints, the default) and source-DPOR with sleep sets over footprints learned from each run ' +
      '(register reads commute). DPOR\'s runs cut short by a sleep set are counted apart.',
    '',
    '| search | unreduced | per-device reduction | DPOR (pruned runs) | DPOR vs unreduced | DPOR vs per-device |',
    '|---|---:|---:|---:|---:|---:|',
    ...rows.map((r) => {
      const factor = (other: { readonly schedules: number; readonly exhausted: boolean }): string =>
        `${other.exhausted ? '' : '> '}${(other.schedules / r.dpor.schedules).toFixed(1)}×`;
      return `| ${r.what} | ${count(r.full)} | ${count(r.sleep)} | ${r.dpor.schedules.toLocaleString('en-US')} (${r.dpor.pruned}) | ${factor(r.full)} | ${factor(r.sleep)} |`;
    }),
  ];
};
