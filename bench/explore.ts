/**
 * The ordering explorer's figures: schedules explored per second on the race
 * (sync delivery, the whole space), before issue 18 and after, on 1 and 2
 * worker threads, and the partial-order reduction factor on work that
 * commutes.
 */
import { VirtualClock, workTag } from '../src/clock';
import { exploreRace, raceExplorer } from '../explore/exploreRace';
import { exploreSchedules, type ExplorerRun } from '../explore/exploreSchedules';
import { collectGarbage, median } from './measure';
import { after, before, rate, warmPool, type Measured, type Search } from './exploreBaseline';

/** One variant's figures: wall time, schedules/s and runs (systems built and run). */
export interface Variant {
  readonly ms: number;
  readonly rate: number;
  readonly runs: number;
}

/** What {@link measureExplore} found. */
export interface ExploreFigures {
  readonly device: string;
  readonly expiries: number;
  readonly schedules: number;
  /** Before issue 18 (see exploreBaseline.ts) and after, on 1 and 2 workers: medians. */
  readonly before: { readonly one: Variant; readonly two: Variant };
  readonly after: { readonly one: Variant; readonly two: Variant };
  /** The new path's wall times (what bench/run.ts logs). */
  readonly oneThreadMs: number;
  readonly twoThreadsMs: number;
  readonly reduction: { readonly devices: number; readonly full: number; readonly reduced: number };
  readonly reps: number;
  /** Starting 2 threads and running a first part on each (ms): left out of the table's figures. */
  readonly warmUpMs: number;
}

/** The median of each figure over the repetitions. */
export const medianVariant = (all: readonly Measured[]): Variant => ({
  ms: median(all.map((m) => m.ms)),
  rate: median(all.map(rate)),
  runs: median(all.map((m) => m.runs)),
});

/** `devices` timers of different devices and one guest, all due at each of two instants. */
const commuting = (devices: number) => (): ExplorerRun => {
  const clock = new VirtualClock();
  for (const t of [10, 20]) {
    // Tagged as the library tags them: the explorer judges independence by work tags, not labels.
    for (let d = 0; d < devices; d++) clock.scheduleTagged(workTag('expiry', `d${d}.t`), () => undefined, t);
    clock.scheduleTagged(workTag('guest', 'g'), () => undefined, t);
  }
  return { clock, run: () => clock.advanceTo(30), check: () => undefined };
};

/**
 * Runs the explorer figures: the race's whole space, the old and the new
 * parallel path on 1 and 2 workers, in turn in each repetition, a full GC
 * before each (about 20 s; `quick`: a few seconds).
 * @param quick - a short sanity run
 * @param expiries - the race's expiries (default 6, quick 3): each multiplies the space by 6
 */
export const measureExplore = async (quick = false, expiries = quick ? 3 : 6): Promise<ExploreFigures> => {
  const device = 'sp804';
  // Four: with two the speed-ups moved by up to 0.5 between runs of the same code.
  const reps = quick ? 1 : 4;
  const options = { device, delivery: 'sync' as const, expiries, maxSchedules: 1_000_000 };
  const explorer = raceExplorer(options);
  const search: Search = { build: explorer.build, options: { maxSchedules: options.maxSchedules }, task: (prefix) => ({ kind: 'race', options, prefix }) };
  const single = exploreRace(options); // warm-up, and the count
  const runs = { b1: [] as Measured[], b2: [] as Measured[], a1: [] as Measured[], a2: [] as Measured[] };
  const warm = await warmPool(search, 2);
  // One whole search on the pool, untimed, as `single` is in this thread: a thread's first search runs much of
  // its code unoptimized, and would otherwise be the first repetition's 2-worker figure.
  const t0 = performance.now();
  await after(search, 2, warm.pool);
  const warmUpMs = warm.ms + (performance.now() - t0);
  try {
    // A full GC in this thread before each: one search's garbage is not collected on the next one's clock.
    const timed = <T>(measure: () => Promise<T>): Promise<T> => {
      collectGarbage();
      return measure();
    };
    for (let i = 0; i < reps; i++) {
      runs.b1.push(await timed(() => before(search, 1)));
      runs.b2.push(await timed(() => before(search, 2, warm.pool)));
      runs.a1.push(await timed(() => after(search, 1)));
      runs.a2.push(await timed(() => after(search, 2, warm.pool)));
    }
  } finally {
    await warm.pool.destroy();
  }
  for (const m of Object.values(runs).flat()) {
    if (m.result.outcomes !== single.outcomes || !m.result.exhausted) throw new Error(`explore bench: outcomes differ (${single.schedules}, ${m.result.schedules})`);
  }
  const devices = 4;
  const full = exploreSchedules(commuting(devices), { reduce: false, maxSchedules: 1_000_000 });
  const reduced = exploreSchedules(commuting(devices), { reduce: true, maxSchedules: 1_000_000 });
  return {
    device,
    expiries,
    schedules: single.schedules,
    before: { one: medianVariant(runs.b1), two: medianVariant(runs.b2) },
    after: { one: medianVariant(runs.a1), two: medianVariant(runs.a2) },
    oneThreadMs: median(runs.a1.map((m) => m.ms)),
    twoThreadsMs: median(runs.a2.map((m) => m.ms)),
    reduction: { devices, full: full.schedules, reduced: reduced.schedules },
    reps,
    warmUpMs,
  };
};

/** A table row per path and worker count, with the speed-up from 1 to 2 workers. */
export const variantRows = (f: { readonly before: { one: Variant; two: Variant }; readonly after: { one: Variant; two: Variant } }): string[] => {
  const row = (name: string, v: Variant): string =>
    `| ${name} | ${v.ms.toFixed(0)} ms | ${v.rate < 100 ? v.rate.toFixed(1) : Math.round(v.rate).toLocaleString('en-US')} | ${v.runs.toLocaleString('en-US')} |`;
  return [
    '| | Wall time | Schedules/s | Runs (systems built and run) |',
    '|---|--:|--:|--:|',
    row('before #18, 1 worker (split at depth 2, parts in this thread)', f.before.one),
    row('before #18, 2 workers (every part to the whole bound, at once)', f.before.two),
    row('after, 1 worker (the plain search)', f.after.one),
    row('after, 2 workers (parts split on demand, shared bound)', f.after.two),
    '',
    `1 → 2 workers: ${(f.before.two.rate / f.before.one.rate).toFixed(2)}× before, ${(f.after.two.rate / f.after.one.rate).toFixed(2)}× after; ` +
      `after against before: ${(f.after.one.rate / f.before.one.rate).toFixed(2)}× on 1 worker, ${(f.after.two.rate / f.before.two.rate).toFixed(2)}× on 2.`,
  ];
};

/** The RESULTS.md section. */
export const renderExplore = (f: ExploreFigures): string[] => [
  '## Ordering explorer',
  '',
  `The race (\`exploreRace\`, ${f.device}, sync delivery, ${f.expiries} expiries): the whole space, ${f.schedules.toLocaleString('en-US')} schedules, ` +
    `each a fresh system run to its end; median of ${f.reps}, the variants run in turn in each repetition after a warm-up, a full GC in this thread before each, in a process of their own (bench/exploreChild.ts), the outcomes checked equal in all of them. ` +
    `Both 2-worker variants run on one pool of 2 threads started and warmed before, then one whole search on it untimed (${(f.warmUpMs / 1000).toFixed(1)} s in all, from the TypeScript sources, which each thread compiles).`,
  '',
  ...variantRows(f),
  '',
  `Partial-order reduction: ${f.reduction.devices} timers of different devices and one guest due together at each of two instants: ` +
    `${f.reduction.full.toLocaleString('en-US')} schedules without reduction, ${f.reduction.reduced.toLocaleString('en-US')} with it ` +
    `(${(f.reduction.full / f.reduction.reduced).toFixed(0)}× fewer; the verdicts are tested equal). The race itself does not reduce: ` +
    'its guests read the device whose timer expires, so every order there differs.',
  '',
  '',
];
