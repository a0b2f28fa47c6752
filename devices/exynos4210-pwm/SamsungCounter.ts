/**
 * The down-counter of Samsung's S3C/Exynos timers, shared by the Exynos4210 PWM timers (five
 * of them) and the Exynos4210 RTC's tick counter: a count that decrements once per input tick,
 * interrupts when a decrement brings it to 0, and then either stops at 0 or, with auto-reload,
 * rests at 0 for one tick and loads its reload value (TCNTB, TICCNT). The decisions it
 * implements are the PWM header's P1-P4 (devices/exynos4210-pwm/Exynos4210Pwm.ts); the RTC's
 * tick counter is the same counter with auto-reload always on and no manual update. The
 * devices own their registers and outputs. Not part of the public API (the folder's index does
 * not export it); devices/exynos4210-rtc uses it.
 */
import {
  CounterRate,
  expectRunningMode,
  expectTimerCountAtMost,
  expectTimerLimit,
  expectTimerMode,
  expectTimerPeriod,
  refuseSnapshot,
  type TimerPartView,
} from '../../src/bus';
import type { PTimer, PTimerPolicy } from '../../src/ptimer';

/** The counter's policy flags, one reason each (PWM header P1, P2). */
export const SAMSUNG_COUNTER_POLICY = [
  'WRAP_AFTER_ONE_PERIOD', // after the decrement to 0 the count rests at 0 for a tick before it reloads: a period is reload + 1 ticks (P1)
  'TRIGGER_ONLY_ON_DECREMENT', // only a decrement to 0 interrupts: starting at 0 (a reload value of 0, Linux's "cycles = 0") never does (P2)
  'NO_IMMEDIATE_RELOAD', // a 0 count started with auto-reload waits one tick, then loads the reload value silently (P2)
  'NO_COUNTER_ROUND_DOWN', // the count reads like the hardware's: the loaded value for the whole first tick (TCNTO, CURTICCNT)
] as const satisfies readonly PTimerPolicy[];

/** The largest count: the counters are 32 bits wide. */
export const SAMSUNG_COUNT_MAX = 0xffff_ffff;

/** What a counter's registers and clock say, read by the device at each change. */
export interface SamsungCounterSetting {
  /** The reload value (TCNTBn, TICCNT): loaded by a manual update, and after 0 under auto-reload. */
  readonly reload: number;
  /** The start bit (TCON.STARTn, RTCCON.TICEN): 0 holds the count. */
  readonly start: boolean;
  /** Auto-reload (TCON.AUTO_RELOADn; always on for the RTC's tick): 0 stops the count at 0. */
  readonly autoReload: boolean;
  /** Manual update held (TCON.MANUAL_UPDATEn): the count is the reload value and does not move. */
  readonly hold: boolean;
  /** The input clock's rate in Hz, 0 for none (stopped, or a source that is not modelled). */
  readonly hz: number;
  /** Input cycles per tick (prescaler and divider). */
  readonly divisor: number;
}

/** Whether the count can move under `s` from `count`: started, not held, clocked, and not at a 0 nothing reloads (P2, P4). */
const counts = (s: SamsungCounterSetting, count: number): boolean =>
  s.start && !s.hold && s.hz > 0 && !(count === 0 && (!s.autoReload || s.reload === 0));

/**
 * One Samsung down-counter on its ptimer (policy {@link SAMSUNG_COUNTER_POLICY}). Every change
 * is one transaction of the ptimer (joining the callback context when called from there), and
 * a change that changes nothing re-anchors nothing.
 */
export class SamsungCounter {
  constructor(private readonly timer: PTimer) {}

  /**
   * The count now, what TCNTOn or CURTICCNT reads (P4); 0 for the whole tick at 0 after an
   * expiry, also when the reload value changes in it (the ptimer's rest period belongs to the
   * round that began with it).
   */
  count(): number {
    return this.timer.getCountNumber();
  }

  /**
   * Brings the ptimer in line with `s`: the rate, the reload value (used at the next reload, P1),
   * the count (the reload value when `load` or while held, P3), and whether it runs, one-shot
   * without auto-reload (P2).
   * @param s - what the registers and the clock say now
   * @param load - the count takes the reload value now (the RTC's TICEN 0 -> 1)
   */
  sync(s: SamsungCounterSetting, load = false): void {
    // Read before the transaction: once a count is set, reads in it are stale (reference §5.2 pitfall 2).
    const shown = this.count();
    const recount = load || s.hold;
    this.timer.transaction((t) => {
      const count = recount ? s.reload : shown;
      const counting = counts(s, count);
      // Stop and period changes first: both latch the running count (reference §5.2 pitfall 3).
      if (!counting) t.stop();
      this.rate.apply(t, s.hz, s.divisor); // a rate it already runs at changes nothing
      t.setLimit(s.reload, false);
      if (recount) t.setCount(count);
      if (counting) t.run(!s.autoReload); // on a running timer only a mode switch: the count goes on (P2)
    });
  }

  /**
   * Records the rate a restored ptimer runs at (its snapshot carries the period).
   * @param s - what the restored registers and the clock say
   */
  adopt(s: SamsungCounterSetting): void {
    this.rate.adopt(s.hz, s.divisor);
  }

  private readonly rate = new CounterRate();
}

/**
 * The snapshot invariants of one Samsung down-counter (the PWM header's "Snapshots"), on a
 * snapshot the schema and the ptimer accepted.
 * @param timer - the counter's part
 * @param s - what the snapshot's registers and the clock now say
 * @param words - for messages: the fields behind `s` (reload value, start, manual update), the clock in words, and why the mode is what it is
 * @throws RegisterSnapshotError at the field that breaks one
 */
export const checkSamsungCounter = (
  timer: TimerPartView,
  s: SamsungCounterSetting,
  words: { readonly reload: string; readonly start: string; readonly hold?: string; readonly clock: string; readonly mode: string },
): void => {
  expectTimerLimit(timer, s.reload, `(${words.reload}: the value the counter reloads)`);
  expectTimerCountAtMost(timer, SAMSUNG_COUNT_MAX, '(the largest 32-bit count)');
  if (s.hz > 0) expectTimerPeriod(timer, s.hz, s.divisor, `of one tick: ${words.clock}`);
  if (s.hold) {
    expectTimerMode(timer, ['stopped'], `while ${words.hold!} is 1 (a manual update holds the count, P3)`);
    if (timer.delta !== BigInt(s.reload)) refuseSnapshot(`${timer.where}.delta`, timer.delta.toString(), `must be ${s.reload} while ${words.hold!} is 1: the count is ${words.reload} (P3)`);
    return;
  }
  if (!s.start || s.hz === 0) {
    expectTimerMode(timer, ['stopped'], `while ${words.start} is ${s.start ? 1 : 0} and ${words.clock} (it counts only when started with a clock)`);
    return;
  }
  expectRunningMode(timer, !s.autoReload, words.mode);
  if (timer.mode === 'stopped' && (timer.delta !== 0n || (s.autoReload && s.reload !== 0))) {
    refuseSnapshot(
      `${timer.where}.mode`,
      timer.mode,
      `must be running while ${words.start} is 1 with a clock, unless it holds a 0 nothing reloads (${timer.where}.delta 0 and no auto-reload or a reload value of 0, P2; here delta ${timer.delta}, reload ${s.reload})`,
    );
  }
};
