/**
 * One counter of the SLAVIO counter/timers: the system counter, or a processor counter in either
 * of its modes. The hardware counts up and compares with a limit; its ptimer counts down the
 * cycles left to the next event (a limit match, a 22-bit wrap in free-run, or the user timer's
 * 54-bit overflow), so the count a guest reads is the event's value minus the ptimer's count,
 * modulo the counter's width. The decisions it implements (X1-X8) are in SlavioTimer.ts's header.
 */
import {
  CounterRate,
  expectTimerCountAtMost,
  expectTimerLimit,
  expectTimerMode,
  refuseSnapshot,
  type TimerPartView,
} from '../../src/bus';
import type { ClockInput } from '../../src/clock/ClockInput';
import type { PTimer } from '../../src/ptimer';

/** Values a counter/timer's count takes: 22 bits (X1). */
export const TIMER_WRAP = 1n << 22n;
/** Values the user timer takes: 54 bits (X7). */
export const USER_WRAP = 1n << 54n;
/** The largest limit: 22 bits, in 500 ns units. */
export const LIMIT_MAX = 0x3f_ffff;

const mod = (a: bigint, m: bigint): bigint => ((a % m) + m) % m;

/**
 * The ptimer count (cycles, in [1, wrap]) after which a counter now showing `value` shows
 * `target` (modulo `wrap`): the cycles to its next event.
 */
const cyclesTo = (target: bigint, value: bigint, wrap: bigint): bigint => mod(target - value - 1n, wrap) + 1n;

/** How a counter counts now: the value of its next event, the value it restarts from there, its width. */
interface Shape {
  readonly target: bigint;
  readonly restart: bigint;
  readonly wrap: bigint;
}

/** What a counter needs from its device. */
export interface SlavioCounterContext {
  /** Its ptimer (policy SLAVIO_TIMER_POLICY). */
  readonly timer: PTimer;
  /** The 2 MHz count enable. */
  readonly clock: ClockInput;
  /**
   * The device, asked about this counter's modes: a field and an index, not two closures per
   * counter (a device pays this per channel, #19).
   */
  readonly modes: SlavioCounterModes;
  /** The processor counter it is (0-based), or -1 for the system counter. */
  readonly cpu: number;
}

/** What a {@link SlavioCounter} asks its device about a processor counter `n`. */
export interface SlavioCounterModes {
  /** Whether processor counter `n` is in user-timer mode now (TIMER_CONFIG). */
  isUser(n: number): boolean;
  /** Whether processor counter `n`'s START_STOP.RUN is set (read only in user-timer mode). */
  isRunning(n: number): boolean;
}

/**
 * One SLAVIO counter (see the module doc). Its state besides the ptimer: the limit (the 22-bit
 * field, kept through user-timer mode) and the limit-reached bit. Every method that changes the
 * count does it in one transaction of its ptimer (joining the callback context when called from
 * there).
 */
export class SlavioCounter {
  constructor(private readonly c: SlavioCounterContext) {}

  /** Whether it is a processor counter in user-timer mode now; always false for the system counter. */
  private user(): boolean {
    return this.c.cpu >= 0 && this.c.modes.isUser(this.c.cpu);
  }

  /** Whether it is a processor counter whose START_STOP.RUN is set. */
  private running(): boolean {
    return this.c.cpu >= 0 && this.c.modes.isRunning(this.c.cpu);
  }

  /** The limit, in 500 ns units (0: free-run, X2). */
  limit = 0;
  /** The limit-reached bit (bit 31 of the counter, or of the user timer's most significant word). */
  reached = false;

  /** The count now, no side effect: 22 bits in counter/timer mode, 54 in user-timer mode. */
  value(): bigint {
    const { target, wrap } = this.shape();
    return mod(target - this.c.timer.getCount(), wrap);
  }

  /**
   * The ptimer reached 0: the counter reached its limit (sets limit reached, X1), wrapped in
   * free-run (nothing, X2), or the user timer overflowed (sets limit reached, X7). The ptimer
   * reloads by itself: the count restarts at 1 after a match, at 0 after a wrap.
   */
  onExpiry(): void {
    if (this.user() || this.limit !== 0) this.reached = true;
  }

  /** A limit write (X3): the limit, the count restarted at 1, limit reached cleared. */
  writeLimit(limit: number): void {
    this.limit = limit;
    this.reached = false;
    this.program(cyclesTo(BigInt(limit), 1n, TIMER_WRAP));
  }

  /**
   * A non-resetting limit write (X5): the limit changes, the count goes on (a count already
   * past the new limit runs on to the 22-bit wrap and meets it after). In user-timer mode only
   * the limit is kept, for counter/timer mode (X7).
   */
  writeLimitNoReset(limit: number): void {
    const value = this.value(); // before the limit changes what the count means
    this.limit = limit;
    if (!this.user()) this.program(cyclesTo(BigInt(limit), value, TIMER_WRAP));
  }

  /** A read of the limit register in counter/timer mode (X4): limit reached cleared. */
  acknowledge(): void {
    this.reached = false;
  }

  /** A user-timer word write (X7): the 54-bit count set to `value`, limit reached cleared. */
  setUserValue(value: bigint): void {
    this.reached = false;
    this.program(cyclesTo(0n, mod(value, USER_WRAP), USER_WRAP));
  }

  /** The CPU's TIMER_CONFIG bit changed (X6), after the register took it: the count restarts in the new mode, limit reached cleared. */
  modeChanged(): void {
    this.reached = false;
    const { target, restart, wrap } = this.shape();
    this.program(cyclesTo(target, restart, wrap));
  }

  /** After a register reset (X9): limit 0 (free-run), count 0, limit reached clear, counting. */
  reset(): void {
    this.limit = 0;
    this.reached = false;
    this.program(TIMER_WRAP);
  }

  /** Re-evaluates the clock and RUN (X8, X12): the count goes on from its reading. */
  sync(): void {
    this.program(undefined);
  }

  /**
   * Brings the ptimer in line with the mode, the limit, RUN and the clock, in one transaction.
   * @param count - cycles to the next event, when the count is set
   */
  private program(count: bigint | undefined): void {
    const { target, restart, wrap } = this.shape();
    const hz = this.c.clock.hz;
    const counting = hz > 0 && (!this.user() || this.running());
    this.c.timer.transaction((t) => {
      // Stop and period changes first: both latch the running count (reference §5.2 pitfall 3).
      if (!counting) t.stop();
      this.rate.apply(t, hz);
      t.setLimit(cyclesTo(target, restart, wrap), false);
      if (count !== undefined) t.setCount(count);
      // On a running counter `run` only switches the mode: the count goes on.
      if (counting) t.run(false);
    });
  }

  /** The counter's next event value, restart value and width in its mode now. */
  private shape(): Shape {
    if (this.user()) return { target: 0n, restart: 0n, wrap: USER_WRAP };
    const target = BigInt(this.limit);
    return { target, restart: target === 0n ? 0n : 1n, wrap: TIMER_WRAP };
  }

  /** The clock's rate as the counter last applied it. */
  private readonly rate = new CounterRate();
}

/** What {@link checkSlavioCounter} compares a counter's part with. */
export interface SlavioCounterFacts {
  /** The limit the snapshot gives it. */
  readonly limit: number;
  /** In user-timer mode (TIMER_CONFIG), with these words for messages. */
  readonly user: boolean;
  /** START_STOP.RUN (processor counters). */
  readonly run: boolean;
  /** The clock now (already compared with the snapshot's). */
  readonly hz: number;
  /** Where the limit is (`limits[1]`), where the mode comes from (`registers.registers.TIMER_CONFIG.T0`), where RUN is. */
  readonly paths: { readonly limit: string; readonly mode: string; readonly run: string };
}

/**
 * The snapshot invariants of one counter (the device header, "Snapshots"), on a part its timer
 * accepted: the reload value its mode and limit give, a count of 1 to its width, periodic while
 * it counts and stopped otherwise.
 * @throws RegisterSnapshotError at the field that breaks one
 */
export const checkSlavioCounter = (view: TimerPartView, f: SlavioCounterFacts): void => {
  const wrap = f.user ? USER_WRAP : TIMER_WRAP;
  const target = f.user ? 0n : BigInt(f.limit);
  const reload = cyclesTo(target, target === 0n ? 0n : 1n, wrap);
  const mode = `${f.paths.mode} ${f.user ? 1 : 0}`;
  expectTimerLimit(view, reload, f.user ? `(the user timer's 54-bit wrap, while ${mode})` : `(the cycles from 1 to ${f.paths.limit} ${f.limit}, or a 22-bit wrap for 0)`);
  expectTimerCountAtMost(view, wrap, `(the cycles to the next event of a ${f.user ? 54 : 22}-bit counter)`);
  if (view.delta === 0n) refuseSnapshot(`${view.where}.delta`, '0', 'must be at least 1: the count always has a cycle to go to its next event');
  const counting = f.hz > 0 && (!f.user || f.run);
  if (counting) {
    const why = f.user ? `while ${mode} and ${f.paths.run} is 1 with clkHz ${f.hz} (the user timer counts, X8)` : `while clkHz is ${f.hz} (a counter/timer never stops, X1)`;
    expectTimerMode(view, ['periodic'], why);
  } else {
    expectTimerMode(view, ['stopped'], f.hz === 0 ? `while clkHz is 0 (a stopped clock holds every count, X12)` : `while ${mode} and ${f.paths.run} is 0 (the user timer holds, X8)`);
  }
};
