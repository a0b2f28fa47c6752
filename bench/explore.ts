/**
 * The ordering explorer's figures: schedules explored per second on the race
 * (sync delivery, the whole space), the partial-order reduction factor on
 * work that commutes, and the speed-up from 1 to 2 worker threads.
 */
import { VirtualClock, workTag } from '../src/clock';
import { exploreRace } from '../explore/exploreRace';
import { exploreRaceParallel } from '../explore/exploreRaceParallel';
import { exploreSchedules, type ExplorerRun } from '../explore/exploreSchedules';
import { median } from './measure';

/** What {@link measureExplore} found. */
export interface ExploreFigures {
  readonly device: string;
  readonly expiries: number;
  readonly schedules: number;
  /** Median wall time of one whole-space exploration on one thread, and on two. */
  readonly oneThreadMs: number;
  readonly twoThreadsMs: number;
  readonly reduction: { readonly devices: number; readonly full: number; readonly reduced: number };
  readonly reps: number;
}

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

/** Runs the explorer figures (about 80 s; `quick`: a few seconds). */
export const measureExplore = async (quick = false): Promise<ExploreFigures> => {
  const device = 'sp804';
  // 6 expiries: 46 656 schedules, about 15 s on one thread, so that starting the threads
  // (each loads and compiles the simulation) is a small part of the figure.
  const expiries = quick ? 3 : 6;
  const reps = quick ? 1 : 2;
  const options = { device, delivery: 'sync' as const, expiries, maxSchedules: 1_000_000 };
  const single = exploreRace(options); // warm-up, and the count
  const one: number[] = [];
  const two: number[] = [];
  for (let i = 0; i < reps; i++) {
    let t0 = performance.now();
    const a = exploreRace(options);
    one.push(performance.now() - t0);
    t0 = performance.now();
    const b = await exploreRaceParallel({ ...options, workers: 2 });
    two.push(performance.now() - t0);
    if (a.schedules !== single.schedules || b.schedules !== single.schedules || !a.exhausted || !b.exhausted) {
      throw new Error(`explore bench: counts differ (${single.schedules}, ${a.schedules}, ${b.schedules})`);
    }
  }
  const devices = 4;
  const full = exploreSchedules(commuting(devices), { reduce: false, maxSchedules: 1_000_000 });
  const reduced = exploreSchedules(commuting(devices), { reduce: true, maxSchedules: 1_000_000 });
  return {
    device,
    expiries,
    schedules: single.schedules,
    oneThreadMs: median(one),
    twoThreadsMs: median(two),
    reduction: { devices, full: full.schedules, reduced: reduced.schedules },
    reps,
  };
};

/** The RESULTS.md section. */
export const renderExplore = (f: ExploreFigures): string[] => [
  '## Ordering explorer',
  '',
  `The race (\`exploreRace\`, ${f.device}, sync delivery, ${f.expiries} expiries): the whole space, ${f.schedules.toLocaleString('en-US')} schedules, ` +
    `each a fresh system run to its end; median of ${f.reps} after a warm-up, the count checked equal on one thread and two.`,
  '',
  '| | Wall time | Schedules/s |',
  '|---|--:|--:|',
  `| 1 thread | ${f.oneThreadMs.toFixed(0)} ms | ${Math.round(f.schedules / (f.oneThreadMs / 1000)).toLocaleString('en-US')} |`,
  `| 2 worker threads (tinypool, parts merged in order) | ${f.twoThreadsMs.toFixed(0)} ms | ${Math.round(f.schedules / (f.twoThreadsMs / 1000)).toLocaleString('en-US')} |`,
  '',
  `Speed-up from 1 to 2 threads: ${(f.oneThreadMs / f.twoThreadsMs).toFixed(2)}× (2 cores; the split, the set-up of each thread and the merge are included).`,
  '',
  `Partial-order reduction: ${f.reduction.devices} timers of different devices and one guest due together at each of two instants: ` +
    `${f.reduction.full.toLocaleString('en-US')} schedules without reduction, ${f.reduction.reduced.toLocaleString('en-US')} with it ` +
    `(${(f.reduction.full / f.reduction.reduced).toFixed(0)}× fewer; the verdicts are tested equal). The race itself does not reduce: ` +
    'its guests read the device whose timer expires, so every order there differs.',
  '',
  'Each thread loads and compiles the simulation before its first part, and two threads on two cores share the machine',
  '(run alone a part takes the same time on a worker as on the main thread; two at once about 1.4× longer each), so',
  'small spaces (a few thousand schedules) are no faster on two threads and large ones gain about 1.4×.',
  '',
  '',
];
