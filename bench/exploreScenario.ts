/**
 * The ordering explorer on the default scenario: schedules explored per
 * second on one thread and on two, and the reduction factor at one instant
 * where the unreduced search can be exhausted too.
 */
import { exploreScenario, type ExploreScenarioOptions } from '../explore/exploreScenario';
import { exploreScenarioParallel } from '../explore/exploreScenarioParallel';
import { DEFAULT_SCENARIO } from '../system/scenario/defaultScenario';
import { median } from './measure';

/** What {@link measureExploreScenario} found. */
export interface ExploreScenarioFigures {
  readonly span: { readonly from: number; readonly until: number };
  readonly schedules: number;
  readonly oneThreadMs: number;
  readonly twoThreadsMs: number;
  readonly reduction: { readonly from: number; readonly until: number; readonly full: number; readonly reduced: number };
  readonly reps: number;
}

/** Runs the figures (about 60 s; `quick`: a few seconds). */
export const measureExploreScenario = async (quick = false): Promise<ExploreScenarioFigures> => {
  // The busiest instant of the first millisecond (the devices' ticks around 1 ms), bounded:
  // its space is far too large to exhaust, which is what a bound is for.
  const span = { from: 999_000, until: 1_000_100 };
  const options: ExploreScenarioOptions = { ...span, maxSchedules: quick ? 100 : 2_000 };
  const reps = quick ? 1 : 2;
  const first = exploreScenario(DEFAULT_SCENARIO, options); // warm-up, and the count
  const one: number[] = [];
  const two: number[] = [];
  for (let i = 0; i < reps; i++) {
    let t0 = performance.now();
    const a = exploreScenario(DEFAULT_SCENARIO, options);
    one.push(performance.now() - t0);
    t0 = performance.now();
    const b = await exploreScenarioParallel(DEFAULT_SCENARIO, { ...options, workers: 2 });
    two.push(performance.now() - t0);
    if (a.schedules !== first.schedules || b.schedules !== first.schedules || b.outcomes !== first.outcomes) {
      throw new Error(`explore bench: counts differ (${first.schedules}, ${a.schedules}, ${b.schedules})`);
    }
  }
  const at = { from: 199_999, until: 200_001 };
  const reduced = exploreScenario(DEFAULT_SCENARIO, { ...at, maxSchedules: 1_000_000 });
  const full = exploreScenario(DEFAULT_SCENARIO, { ...at, maxSchedules: 1_000_000, reduce: false });
  if (!reduced.exhausted || !full.exhausted) throw new Error('explore bench: the reduction span was not exhausted');
  return {
    span,
    schedules: first.schedules,
    oneThreadMs: median(one),
    twoThreadsMs: median(two),
    reduction: { ...at, full: full.schedules, reduced: reduced.schedules },
    reps,
  };
};

/** The RESULTS.md section. */
export const renderExploreScenario = (f: ExploreScenarioFigures): string[] => [
  '## Ordering explorer on the default scenario',
  '',
  `\`exploreScenario\` on examples/scenarios/default.json (sync delivery, observers at 2 expiry instants per device, built-in invariants), ` +
    `exploring the instants from ${f.span.from} to ${f.span.until} ns (the devices' ticks around 1 ms; every schedule re-runs the scenario from 0), ` +
    `bounded at ${f.schedules.toLocaleString('en-US')} schedules; median of ${f.reps} after a warm-up, the outcomes checked equal on one thread and two.`,
  '',
  '| | Wall time | Schedules/s |',
  '|---|--:|--:|',
  `| 1 thread | ${f.oneThreadMs.toFixed(0)} ms | ${Math.round(f.schedules / (f.oneThreadMs / 1000)).toLocaleString('en-US')} |`,
  `| 2 worker threads | ${f.twoThreadsMs.toFixed(0)} ms | ${Math.round(f.schedules / (f.twoThreadsMs / 1000)).toLocaleString('en-US')} |`,
  '',
  `Speed-up from 1 to 2 workers: ${(f.oneThreadMs / f.twoThreadsMs).toFixed(2)}×.`,
  '',
  `Reduction at the 200 µs instant (${f.reduction.from}..${f.reduction.until} ns; both searches exhausted): ` +
    `${f.reduction.full.toLocaleString('en-US')} schedules unreduced, ${f.reduction.reduced.toLocaleString('en-US')} reduced: ` +
    `${(f.reduction.full / f.reduction.reduced).toFixed(0)}× fewer, same verdict (none broken).`,
];
