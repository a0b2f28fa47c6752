/**
 * The variants under comparison. Each one builds its N timers in `prepare`
 * (not timed), runs them to the horizon in `run` (timed), and then reports
 * the counters it can read, which the runner checks against the closed-form
 * expected count: a variant that skips or doubles work fails the run.
 */
import { VirtualTimeScheduler, type SchedulerAction } from 'rxjs';
import { IrqLine, PTimer, VirtualClock, type PTimerPolicy } from '../index';
import { ObjectHeapLoop, TypedHeapLoop } from './bareHeap';
import type { RunSpec } from './workload';

/** A variant ready to run once. */
export interface Prepared {
  /** The timed part: run every expiry due up to the horizon. */
  run(): void;
  /** Independent counts of the expiries that ran (callback calls, clock's executed count, …). */
  counts(): Record<string, number>;
  /** Other post-run invariants; each string returned is a failure. */
  problems?(): string[];
}

export interface Variant {
  /** Short id for `--only` (prefix match) and for tables. */
  readonly id: string;
  readonly label: string;
  /** Timer i first expires at `period[i] + firstOffset` (see the PTimer policies). */
  readonly firstOffset: number;
  /** Set up N timers for `spec`; not timed. */
  prepare(spec: RunSpec): Prepared;
}

/** A VirtualClock that does not trip its runaway guards on this workload. */
const benchClock = (): VirtualClock => new VirtualClock({ maxEventsPerInstant: 1_000_000_000, maxEventsPerRun: 1_000_000_000 });

/** After a run every periodic timer must still have exactly one pending event. */
const stillArmed = (pending: number, n: number): string[] => (pending === n ? [] : [`${pending} events queued after the run, expected ${n}`]);

/** A hand-written heap loop as a variant: both shapes take the same workload and checks. */
const bareLoop = (
  id: string,
  label: string,
  make: (n: number, onEvent: () => void) => { add(id: number, first: number, period: number): void; runUntil(horizon: number): number; readonly size: number },
): Variant => ({
  id,
  label,
  firstOffset: 0,
  prepare(spec) {
    let count = 0;
    const loop = make(spec.n, () => {
      count++;
    });
    for (let i = 0; i < spec.n; i++) loop.add(i, spec.first[i]!, spec.period[i]!);
    let ran = 0;
    return {
      run: () => {
        ran = loop.runUntil(spec.horizon);
      },
      counts: () => ({ callback: count, 'loop return': ran }),
      problems: () => stillArmed(loop.size, spec.n),
    };
  },
});

const bareObjects = bareLoop('bare-objects', 'bare heap (objects, pop + push)', (_n, onEvent) => new ObjectHeapLoop(onEvent));
const bareTyped = bareLoop('bare-typed', 'bare heap (typed arrays, replace-top)', (n, onEvent) => new TypedHeapLoop(n, onEvent));

const virtualClock: Variant = {
  id: 'virtualclock',
  label: 'VirtualClock (self re-arming actions)',
  firstOffset: 0,
  prepare(spec) {
    let count = 0;
    const clock = benchClock();
    // The state carries the period, so one work function serves every timer (as in the bare heap).
    function work(this: SchedulerAction<number>, period?: number): void {
      count++;
      this.schedule(period, period);
    }
    for (let i = 0; i < spec.n; i++) clock.schedule(work, spec.first[i]!, spec.period[i]!);
    const before = clock.executedCount;
    return {
      run: () => clock.advanceTo(spec.horizon),
      counts: () => ({ callback: count, 'clock.executedCount': clock.executedCount - before }),
      problems: () => stillArmed(clock.pending, spec.n),
    };
  },
};

const rxjsVirtualTime: Variant = {
  id: 'rxjs',
  label: 'rxjs VirtualTimeScheduler',
  firstOffset: 0,
  prepare(spec) {
    let count = 0;
    const scheduler = new VirtualTimeScheduler();
    scheduler.maxFrames = spec.horizon;
    function work(this: SchedulerAction<number>, period?: number): void {
      count++;
      this.schedule(period, period);
    }
    for (let i = 0; i < spec.n; i++) scheduler.schedule(work, spec.first[i]!, spec.period[i]!);
    return {
      run: () => scheduler.flush(),
      counts: () => ({ callback: count }),
      problems: () => [...stillArmed(scheduler.actions.length, spec.n), ...(scheduler.frame > spec.horizon ? [`frame ${scheduler.frame} passed the horizon`] : [])],
    };
  },
};

/**
 * PTimer counting down at 1 GHz (period 1 ns) from a limit chosen so that the
 * expiry period is `period[i]`: the limit itself under the legacy policy, one
 * less under WRAP_AFTER_ONE_PERIOD (which holds zero for one extra period, so
 * its first expiry comes 1 ns earlier than the later spacing).
 */
const ptimerVariant = (id: string, label: string, policy: readonly PTimerPolicy[]): Variant => {
  const wrap = policy.includes('WRAP_AFTER_ONE_PERIOD');
  return {
    id,
    label,
    firstOffset: wrap ? -1 : 0,
    prepare(spec) {
      let count = 0;
      let raised = 0;
      const clock = benchClock();
      for (let i = 0; i < spec.n; i++) {
        const limit = spec.period[i]! - (wrap ? 1 : 0);
        // The device callback of the issue: it raises and lowers the timer's interrupt line.
        const line = new IrqLine(`t${i}.irq`);
        line.watch((level) => {
          if (level) raised++;
        });
        const onTrigger = (): void => {
          count++;
          line.raise();
          line.lower();
        };
        const timer = new PTimer(clock, { policy, onTrigger, name: `t${i}` });
        timer.transaction((t) => {
          t.setPeriod(1);
          t.setLimit(limit, true);
          t.run(false);
        });
      }
      const before = clock.executedCount;
      return {
        run: () => clock.advanceTo(spec.horizon),
        counts: () => ({ onTrigger: count, 'clock.executedCount': clock.executedCount - before }),
        problems: () => [...stillArmed(clock.pending, spec.n), ...(raised === count ? [] : [`the lines rose ${raised} times for ${count} callbacks`])],
      };
    },
  };
};

export const HW_POLICY = ['WRAP_AFTER_ONE_PERIOD', 'NO_COUNTER_ROUND_DOWN'] as const satisfies readonly PTimerPolicy[];

/** All variants, in the order they are run and listed. */
export const VARIANTS: readonly Variant[] = [
  bareObjects,
  bareTyped,
  virtualClock,
  rxjsVirtualTime,
  ptimerVariant('ptimer-legacy', 'PTimer on VirtualClock, LEGACY_POLICY', []),
  ptimerVariant('ptimer-hw', `PTimer on VirtualClock, [${HW_POLICY.join(', ')}]`, HW_POLICY),
];
