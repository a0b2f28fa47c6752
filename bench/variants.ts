/**
 * The variants under comparison. Each one builds its N timers in `prepare`
 * (not timed), runs them to the horizon in `run` (timed), and then reports
 * the counters it can read, which the runner checks against the closed-form
 * expected count: a variant that skips or doubles work fails the run.
 */
import { createRequire } from 'node:module';
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

/** The part of @sinonjs/fake-timers the bench uses. */
export interface FakeTimersModule {
  createClock(now?: number, loopLimit?: number): {
    setInterval(callback: () => void, ms: number): unknown;
    tick(ms: number): number;
    countTimers(): number;
    readonly now: number;
  };
}

/**
 * @sinonjs/fake-timers (the fake timers of vitest and jest), when it is
 * installed: it is the bench's only optional baseline, so a checkout without
 * it still runs every other variant (the report then says it was not run).
 * @returns the module and its version, or `undefined` when it cannot be loaded
 */
export const loadFakeTimers = (): { module: FakeTimersModule; version: string } | undefined => {
  const require = createRequire(import.meta.url);
  try {
    const module = require('@sinonjs/fake-timers') as FakeTimersModule;
    let version = '';
    try {
      version = (require('@sinonjs/fake-timers/package.json') as { version: string }).version;
    } catch {
      // The package may not export its package.json: the version is only a label.
    }
    return { module, version };
  } catch {
    return undefined;
  }
};

/**
 * @sinonjs/fake-timers: N `setInterval`s (the first call one period after the
 * start, as in the workload) on a clock created for the run, advanced with
 * `tick(horizon)`, which runs every timer due at or before the horizon. Its
 * queue is a binary heap (since 15.x), so it runs the full workload at every N.
 * @param fakeTimers - the loaded module
 * @param version - its version, for the label
 * @returns the variant
 */
export const sinonVariant = (fakeTimers: FakeTimersModule, version: string): Variant => ({
  id: 'sinon',
  label: `@sinonjs/fake-timers${version === '' ? '' : ` ${version}`} (setInterval, tick)`,
  firstOffset: 0,
  prepare(spec) {
    let count = 0;
    const clock = fakeTimers.createClock(0, 1_000_000_000);
    const callback = (): void => {
      count++;
    };
    for (let i = 0; i < spec.n; i++) clock.setInterval(callback, spec.period[i]!);
    return {
      run: () => {
        clock.tick(spec.horizon);
      },
      counts: () => ({ callback: count }),
      problems: () => [...stillArmed(clock.countTimers(), spec.n), ...(clock.now === spec.horizon ? [] : [`clock.now ${clock.now} is not the horizon`])],
    };
  },
});

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

/** @sinonjs/fake-timers as loaded for this run, or `undefined` when it is not installed. */
export const FAKE_TIMERS = loadFakeTimers();

/** All variants, in the order they are run and listed. */
export const VARIANTS: readonly Variant[] = [
  bareObjects,
  bareTyped,
  virtualClock,
  rxjsVirtualTime,
  ...(FAKE_TIMERS === undefined ? [] : [sinonVariant(FAKE_TIMERS.module, FAKE_TIMERS.version)]),
  ptimerVariant('ptimer-legacy', 'PTimer on VirtualClock, LEGACY_POLICY', []),
  ptimerVariant('ptimer-hw', `PTimer on VirtualClock, [${HW_POLICY.join(', ')}]`, HW_POLICY),
];
