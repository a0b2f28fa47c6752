/**
 * The ordering explorer on the default scenario: schedules explored per
 * second re-running every schedule from time 0 (before issue 18 item 1) and
 * forked from a checkpoint at `from` (after), on 1 and 2 worker threads, and
 * the reduction factor at one instant where the unreduced search can be
 * exhausted too.
 */
import { exploreScenario, scenarioExplorer, type ExploreScenarioOptions } from '../explore/exploreScenario';
import { parseScenario } from '../system/scenario/loadScenario';
import { DEFAULT_SCENARIO } from '../system/scenario/defaultScenario';
import { median } from './measure';
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
  readonly reps: number;
  /** Starting 2 threads and running a first part of each search on each (ms): left out of the table's figures. */
  readonly warmUpMs: number;
}

/**
 * Runs the figures: the README's bounded search of the default scenario,
 * re-run and forked, on 1 and 2 workers, in turn in each repetition (about
 * 10 minutes; `quick`: a few seconds).
 * @param quick - a short sanity run
 * @param maxSchedules - the bound (default 2 000, quick 40)
 */
export const measureExploreScenario = async (quick = false, maxSchedules = quick ? 40 : 2_000): Promise<ExploreScenarioFigures> => {
  // The busiest instant of the first millisecond (the devices' ticks around 1 ms), bounded:
  // its space is far too large to exhaust, which is what a bound is for.
  const span = { from: 999_000, until: 1_000_100 };
  const reps = quick ? 1 : 2;
  const scenario = parseScenario(DEFAULT_SCENARIO);
  const searchOf = (options: ExploreScenarioOptions): Search => {
    const explorer = scenarioExplorer(scenario, options);
    return { build: explorer.build, options: explorer.exploreOptions, task: (prefix) => ({ kind: 'scenario', scenario, options, prefix }) };
  };
  const forked = searchOf({ ...span, maxSchedules });
  const rerun = searchOf({ ...span, maxSchedules, rerun: true });
  const first = exploreScenario(scenario, { ...span, maxSchedules }); // warm-up, and the count
  const runs = { b1: [] as Measured[], b2: [] as Measured[], a1: [] as Measured[], a2: [] as Measured[] };
  // One pool for both paths (a thread keeps each search's set-up): warmed on both.
  const warm = await warmPool(forked, 2);
  const t0 = performance.now();
  await warmPool(rerun, 2, warm.pool);
  const warmUpMs = warm.ms + (performance.now() - t0);
  try {
    for (let i = 0; i < reps; i++) {
      runs.b1.push(await after(rerun, 1));
      runs.b2.push(await after(rerun, 2, warm.pool));
      runs.a1.push(await after(forked, 1));
      runs.a2.push(await after(forked, 2, warm.pool));
    }
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
    `bounded at ${f.schedules.toLocaleString('en-US')} schedules (the README's figures: 2,000); median of ${f.reps}, the variants run in turn in each repetition after a warm-up, ` +
    `the outcomes checked equal in all of them. Re-run: every schedule builds the system and runs it from 0 (before issue 18); forked: one system runs to \`from\` once ` +
    `and is rewound there in place for every schedule. The 2-worker variants run on one pool of 2 threads started and warmed on both searches before (${(f.warmUpMs / 1000).toFixed(1)} s).`,
  '',
  '| | Wall time | Schedules/s | Runs (schedules and pruned runs made, past the bound included) |',
  '|---|--:|--:|--:|',
  `| re-run from 0, 1 worker | ${f.before.one.ms.toFixed(0)} ms | ${rate(f.before.one)} | ${f.before.one.runs.toLocaleString('en-US')} |`,
  `| re-run from 0, 2 workers | ${f.before.two.ms.toFixed(0)} ms | ${rate(f.before.two)} | ${f.before.two.runs.toLocaleString('en-US')} |`,
  `| forked from \`from\`, 1 worker | ${f.after.one.ms.toFixed(0)} ms | ${rate(f.after.one)} | ${f.after.one.runs.toLocaleString('en-US')} |`,
  `| forked from \`from\`, 2 workers | ${f.after.two.ms.toFixed(0)} ms | ${rate(f.after.two)} | ${f.after.two.runs.toLocaleString('en-US')} |`,
  '',
  `Forked against re-run: ${(f.after.one.rate / f.before.one.rate).toFixed(1)}× on 1 worker, ${(f.after.two.rate / f.before.two.rate).toFixed(1)}× on 2. ` +
    `1 → 2 workers: ${(f.before.two.rate / f.before.one.rate).toFixed(2)}× re-run, ${(f.after.two.rate / f.after.one.rate).toFixed(2)}× forked.`,
  '',
  `Reduction at the 200 µs instant (${f.reduction.from}..${f.reduction.until} ns; both searches exhausted): ` +
    `${f.reduction.full.toLocaleString('en-US')} schedules unreduced, ${f.reduction.reduced.toLocaleString('en-US')} reduced: ` +
    `${(f.reduction.full / f.reduction.reduced).toFixed(0)}× fewer, same verdict (none broken).`,
];
