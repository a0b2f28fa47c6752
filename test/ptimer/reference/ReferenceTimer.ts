import type { PTimerPolicy } from '../../../index';
import { Countdown } from './Countdown';

/**
 * A deliberately simple, slow reference model of QEMU's ptimer, written from
 * /work/shared/reference/qemu-ptimer.md alone, for differential tests.
 *
 * Scope: integer periods (`period_frac = 0`), no rate clamp (qtest semantics),
 * counts and limits as exact unsigned 64-bit values. Spans are exact (a W
 * span of `limit + 1` periods never wraps), as in ptimer-rx.
 *
 * How it differs from the library: it owns its virtual time and moves it one
 * nanosecond at a time. The running count lives in a {@link Countdown} that
 * is stepped each nanosecond and reaches zero at the deadline; the expiry is
 * processed in the nanosecond it happens. Nothing is computed from an
 * absolute deadline.
 *
 * Choice where the reference does not decide: if a callback run from reload
 * step 1 stops the timer and the reload still finds a non-zero span (e.g. a
 * legacy zero-count commit with `limit != 0` whose callback calls `stop()`),
 * the model does not arm the expiry of the stopped timer: §5.1 Q6 (after a
 * commit a stopped timer has its underlying timer disarmed) is taken over the
 * literal "arm" of §1.7 step 11.
 *
 * A fresh timer has its anchor and deadline at the instant it was created
 * (QEMU puts them at virtual time 0, §1.2, which makes a latch in the first
 * transaction depend on the clock's origin; ptimer-rx anchors at creation so
 * behaviour never depends on absolute time). A stopped timer keeps its last
 * ones: a latch in the transaction that restarts it reads them (§1.6), see
 * {@link Countdown}.
 */

/** Why the reload algorithm runs (§1.7; numbered as there). */
const COMMIT = 0;
const EXPIRY = 1;
const EXPIRY_NOADJ = -1;
type ReloadReason = typeof COMMIT | typeof EXPIRY | typeof EXPIRY_NOADJ;

/** Stopped, periodic, one-shot: QEMU's `enabled` 0 / 1 / 2. */
const STOPPED = 0;
const PERIODIC = 1;
const ONESHOT = 2;
type Enabled = typeof STOPPED | typeof PERIODIC | typeof ONESHOT;

const U64_MAX = (1n << 64n) - 1n;

/** Ends a callback that keeps re-triggering at one instant with an error instead of a hang (as the library does). */
const MAX_TRIGGERS_PER_INSTANT = 10_000;

export type ReferenceTriggerCause = 'expiry' | 'commit';

/** The rules of the reference the model counts in {@link ReferenceTimer.rulesApplied}. */
export const REFERENCE_RULES = [
  'run:period-zero', // §1.6 run on a stopped timer with period 0
  'latch:running', // §1.6 a latch that reads a running timer
  'commit:extra-round', // §1.5 the commit loop runs again after a callback
  'expiry:oneshot', // §1.8
  'expiry:periodic', // §1.8 reason EXPIRY
  'expiry:periodic-noadj', // §1.8 reason EXPIRY_NOADJ
  'reload:immediate-trigger', // §1.7 step 1
  'reload:trigger-suppressed', // §1.7 step 1, zero count but T, or O on a commit
  'reload:immediate-reload', // §1.7 step 3
  'reload:period-zero', // §1.7 step 4
  'reload:wrap+1', // §1.7 step 5
  'reload:continuous-substitute', // §1.7 step 6
  'reload:no-trigger-substitute', // §1.7 step 7
  'reload:no-reload-substitute', // §1.7 step 8
  'reload:stopped-by-callback', // §1.7 step 9, silent
  'reload:delta-zero', // §1.7 step 9, "delta zero, disabling"
  'reload:not-armed-after-callback-stop', // §1.7 step 11 with the timer stopped by the callback (Q6)
  'read:overdue', // §1.9 step 1
  'read:old-rate', // departure: a read in a transaction that changed the period of the running countdown counts it at its own rate
  'read:wrap-zero-window', // §1.9 step 4
  'read:round-up', // §1.9 step 5
] as const;
export type ReferenceRule = (typeof REFERENCE_RULES)[number];

export interface ReferenceTrigger {
  readonly time: number;
  readonly cause: ReferenceTriggerCause;
}

export interface ReferenceTriggerEvent extends ReferenceTrigger {
  /** The model itself; its setters may be called directly while the callback runs. */
  readonly timer: ReferenceTimer;
}

export interface ReferenceTimerOptions {
  readonly policy?: readonly PTimerPolicy[];
  /** Initial virtual time in ns (default 0). */
  readonly start?: number;
  /** The device callback, run in callback context (transaction open) at each trigger. */
  readonly onTrigger?: (trigger: ReferenceTriggerEvent) => void;
}

interface Flags {
  readonly wrapAfterOnePeriod: boolean; // W
  readonly continuousTrigger: boolean; // C
  readonly noImmediateTrigger: boolean; // T
  readonly noImmediateReload: boolean; // R
  readonly noCounterRoundDown: boolean; // D
  readonly triggerOnlyOnDecrement: boolean; // O
}

const flagsOf = (policy: readonly PTimerPolicy[]): Flags => {
  const has = (p: PTimerPolicy): boolean => policy.includes(p);
  const flags: Flags = {
    wrapAfterOnePeriod: has('WRAP_AFTER_ONE_PERIOD'),
    continuousTrigger: has('CONTINUOUS_TRIGGER'),
    noImmediateTrigger: has('NO_IMMEDIATE_TRIGGER'),
    noImmediateReload: has('NO_IMMEDIATE_RELOAD'),
    noCounterRoundDown: has('NO_COUNTER_ROUND_DOWN'),
    triggerOnlyOnDecrement: has('TRIGGER_ONLY_ON_DECREMENT'),
  };
  if (flags.noImmediateTrigger && flags.triggerOnlyOnDecrement) {
    throw new Error('reference model: NO_IMMEDIATE_TRIGGER and TRIGGER_ONLY_ON_DECREMENT exclude each other (§1.4)');
  }
  return flags;
};

const u64 = (value: bigint | number, what: string): bigint => {
  const v = BigInt(value);
  if (v < 0n || v > U64_MAX) throw new RangeError(`reference model: ${what} ${v} is not an unsigned 64-bit value`);
  return v;
};

export class ReferenceTimer {
  /** Every trigger so far, in order. */
  readonly triggers: ReferenceTrigger[] = [];
  /**
   * How often each rule of the reference was applied (keys like
   * `'reload:wrap+1'`), so tests can check that random cases reach them all.
   */
  readonly rulesApplied = new Map<ReferenceRule, number>();

  private readonly flags: Flags;
  private readonly onTrigger: ((trigger: ReferenceTriggerEvent) => void) | undefined;
  private time: number;

  private enabled: Enabled = STOPPED;
  private limit = 0n;
  /** Stopped: the count. Running: the nominal count the current countdown started from. */
  private delta = 0n;
  private period = 0;
  /**
   * Departure from the reference (docs/semantics.md §3): the period the
   * running countdown was started with, kept from a `setPeriod` in the open
   * transaction to its commit, so that reads (and the latch of a later
   * `stop` or `setPeriod`) count that countdown at its own rate. QEMU reads
   * it in the new period.
   */
  private readPeriod: number | undefined = undefined;
  /**
   * Departure from the reference (docs/semantics.md §6): the count a
   * countdown begun by W's reload (§1.7 step 5) was reloaded with; its first
   * period reads 0 whatever the limit is set to during it. QEMU tests
   * `delta == limit` instead, so a limit written during the rest reads as
   * the old reload + 1.
   */
  private restReload: bigint | undefined = undefined;
  private countdown: Countdown;
  /** Whether reaching the countdown's end runs the expiry handler (QEMU's underlying timer is armed). */
  private armed = false;

  private inTransaction = false;
  private needReload = false;
  private triggersAt: { time: number; count: number } = { time: Number.NaN, count: 0 };

  constructor(options: ReferenceTimerOptions = {}) {
    this.flags = flagsOf(options.policy ?? []);
    this.onTrigger = options.onTrigger;
    this.time = options.start ?? 0;
    this.countdown = Countdown.initial();
  }

  // ---- time -------------------------------------------------------------

  now(): number {
    return this.time;
  }

  /** Moves time forward one nanosecond at a time, running each expiry in the nanosecond it happens. */
  advanceBy(ns: number): void {
    if (!Number.isInteger(ns) || ns < 0) throw new RangeError(`reference model: cannot advance by ${ns}`);
    if (this.inTransaction) throw new Error('reference model: time cannot pass inside a transaction (§5.2 pitfall 7)');
    for (let i = 0; i < ns; i++) {
      this.time += 1;
      if (this.countdown.tick() && this.armed) this.expire();
    }
  }

  advanceTo(time: number): void {
    this.advanceBy(time - this.time);
  }

  // ---- reads (§1.9) -------------------------------------------------------

  get mode(): 'stopped' | 'periodic' | 'oneshot' {
    return this.enabled === STOPPED ? 'stopped' : this.enabled === PERIODIC ? 'periodic' : 'oneshot';
  }

  getLimit(): bigint {
    return this.limit;
  }

  getCount(): bigint {
    if (this.enabled === STOPPED || this.delta === 0n) return this.delta;
    const { flags, countdown } = this;
    let count: bigint;
    const period = this.readPeriod ?? this.period;
    if (period !== this.period) this.ruleApplied('read:old-rate');
    const whole = countdown.wholePeriodsLeft(period);
    if (whole === undefined) {
      this.ruleApplied('read:overdue');
      count = 0n; // deadline reached (a commit's next_event = now, or a stopped timer's stale one): no W test
    } else {
      count = whole;
      if (this.restReload !== undefined) {
        // The first period of a reload + 1 span rests at zero.
        const zeroAt = countdown.atAnchor ? this.restReload + 1n : this.restReload;
        if (count === zeroAt) {
          this.ruleApplied('read:wrap-zero-window');
          return 0n;
        }
      }
    }
    if (flags.noCounterRoundDown && !countdown.atAnchor) {
      this.ruleApplied('read:round-up');
      count += 1n;
    }
    return count;
  }

  // ---- transactions (§1.5) ----------------------------------------------

  begin(): void {
    if (this.inTransaction) throw new Error('reference model: begin() inside an open transaction');
    this.inTransaction = true;
    this.needReload = false;
  }

  commit(): void {
    if (!this.inTransaction) throw new Error('reference model: commit() without begin()');
    let rounds = 0;
    while (this.needReload && this.enabled !== STOPPED) {
      if (++rounds > 1) this.ruleApplied('commit:extra-round');
      this.needReload = false;
      this.readPeriod = undefined;
      this.countdown.pullDeadlineToNow();
      this.reload(COMMIT, 'commit');
    }
    this.readPeriod = undefined;
    this.inTransaction = false;
  }

  transaction(changes: (timer: this) => void): void {
    this.begin();
    try {
      changes(this);
    } finally {
      this.commit();
    }
  }

  // ---- mutators (§1.6) ----------------------------------------------------

  setCount(count: bigint | number): void {
    this.mustBeInTransaction('setCount');
    this.delta = u64(count, 'count');
    if (this.enabled !== STOPPED) this.needReload = true;
  }

  setLimit(limit: bigint | number, reload: boolean): void {
    this.mustBeInTransaction('setLimit');
    this.limit = u64(limit, 'limit');
    if (reload) {
      this.delta = this.limit;
      if (this.enabled !== STOPPED) this.needReload = true;
    }
  }

  setPeriod(ns: bigint | number): void {
    this.mustBeInTransaction('setPeriod');
    const p = Number(ns);
    if (!Number.isSafeInteger(p) || p < 0) throw new RangeError(`reference model: period ${ns}`);
    this.latch();
    if (this.enabled !== STOPPED && this.readPeriod === undefined) this.readPeriod = this.period;
    this.period = p;
    if (this.enabled !== STOPPED) this.needReload = true;
  }

  run(oneshot: boolean): void {
    this.mustBeInTransaction('run');
    const wasStopped = this.enabled === STOPPED;
    if (wasStopped && this.period === 0) {
      this.ruleApplied('run:period-zero'); // stays stopped
      return;
    }
    this.enabled = oneshot ? ONESHOT : PERIODIC;
    if (wasStopped) this.needReload = true; // else a mode switch: the countdown goes on
  }

  stop(): void {
    this.mustBeInTransaction('stop');
    if (this.enabled === STOPPED) return;
    this.latch();
    this.armed = false;
    this.enabled = STOPPED;
    this.restReload = undefined;
    this.readPeriod = undefined;
    this.needReload = false;
  }

  // ---- internals ------------------------------------------------------------

  private ruleApplied(rule: ReferenceRule): void {
    this.rulesApplied.set(rule, (this.rulesApplied.get(rule) ?? 0) + 1);
  }

  private mustBeInTransaction(what: string): void {
    if (!this.inTransaction) throw new Error(`reference model: ${what}() outside a transaction`);
  }

  /** The running value becomes the stored one, read with the parameters in force now (§1.6). */
  private latch(): void {
    if (this.enabled !== STOPPED) this.ruleApplied('latch:running');
    this.delta = this.getCount();
  }

  /** The countdown ran out while armed (§1.8); now is the deadline. */
  private expire(): void {
    this.armed = false;
    this.begin();
    let notify: boolean;
    if (this.enabled === ONESHOT) {
      this.ruleApplied('expiry:oneshot');
      this.delta = 0n;
      this.enabled = STOPPED;
      this.restReload = undefined;
      notify = true;
    } else {
      const reason = this.delta === 0n || this.limit === 0n ? EXPIRY_NOADJ : EXPIRY;
      this.ruleApplied(reason === EXPIRY ? 'expiry:periodic' : 'expiry:periodic-noadj');
      notify = this.flags.noImmediateTrigger || reason === EXPIRY;
      this.delta = this.limit;
      this.reload(reason, 'expiry');
    }
    if (notify) this.trigger('expiry');
    this.commit();
  }

  /** §1.7, steps 1-11 (step 10, the rate clamp, is off). */
  private reload(reason: ReloadReason, cause: ReferenceTriggerCause): void {
    const { flags } = this;
    // 1. immediate trigger on a zero count
    if (this.delta === 0n) {
      if (!flags.noImmediateTrigger && !(reason === COMMIT && flags.triggerOnlyOnDecrement)) {
        this.ruleApplied('reload:immediate-trigger');
        this.trigger(cause);
      } else {
        this.ruleApplied('reload:trigger-suppressed');
      }
    }
    // 2. read the state after the callback; the countdown in progress (and its rest period) ends here
    this.restReload = undefined;
    let span = this.delta;
    const period = this.period;
    // 3. immediate reload
    if (span === 0n && !flags.noImmediateReload) {
      this.ruleApplied('reload:immediate-reload');
      this.delta = this.limit;
      span = this.limit;
    }
    // 4. period zero
    if (period === 0) {
      this.ruleApplied('reload:period-zero');
      this.armed = false;
      this.enabled = STOPPED;
      return;
    }
    // 5. W: one more period after a normal periodic expiry
    if (flags.wrapAfterOnePeriod && reason === EXPIRY) {
      this.ruleApplied('reload:wrap+1');
      span += 1n;
    }
    // 6-8. one-period substitutes for a zero span
    if (span === 0n && flags.continuousTrigger && this.enabled === PERIODIC && this.limit === 0n) {
      this.ruleApplied('reload:continuous-substitute');
      span = 1n;
    }
    if (span === 0n && flags.noImmediateTrigger && reason !== EXPIRY_NOADJ) {
      this.ruleApplied('reload:no-trigger-substitute');
      span = 1n;
    }
    if (span === 0n && flags.noImmediateReload && this.enabled === PERIODIC && this.limit !== 0n) {
      this.ruleApplied('reload:no-reload-substitute');
      span = 1n;
    }
    // 9. still zero: "delta zero" (silently if the callback already stopped the timer)
    if (span === 0n) {
      if (this.enabled === STOPPED) {
        this.ruleApplied('reload:stopped-by-callback');
        return;
      }
      this.ruleApplied('reload:delta-zero');
      this.armed = false;
      this.enabled = STOPPED;
      return;
    }
    // 11. a new countdown from now; armed only if still running (see the note on Q6 above)
    this.countdown = Countdown.start(span, period);
    if (flags.wrapAfterOnePeriod && reason === EXPIRY) this.restReload = this.delta;
    this.armed = this.enabled !== STOPPED;
    if (!this.armed) this.ruleApplied('reload:not-armed-after-callback-stop');
  }

  /** Calls the device callback, in the open transaction. */
  private trigger(cause: ReferenceTriggerCause): void {
    if (this.triggersAt.time === this.time) {
      this.triggersAt.count += 1;
      if (this.triggersAt.count > MAX_TRIGGERS_PER_INSTANT) {
        throw new Error(`reference model: more than ${MAX_TRIGGERS_PER_INSTANT} triggers at ${this.time} ns`);
      }
    } else {
      this.triggersAt = { time: this.time, count: 1 };
    }
    const record: ReferenceTrigger = { time: this.time, cause };
    this.triggers.push(record);
    this.onTrigger?.({ ...record, timer: this });
  }
}
