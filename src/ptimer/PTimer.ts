import { Observable, Subject, type SchedulerLike } from 'rxjs';
import { periodOfClock, periodOfFreq, toU64 } from './arith';
import { fixedOfRatio, MAX_EXACT_DEN, periodIsZero, ratioOfClock, ratioOfFixed, reduceRatio, type PeriodRatio } from './exact';
import { PTimerRangeError, PTimerSnapshotError, PTimerTransactionError } from './errors';
import { LEGACY_POLICY, type PTimerPolicy } from './PTimerPolicy';
import { fromSnapshot, fromSnapshotFor, PTIMER_TIMINGS, toSnapshot, type PTimerSnapshot, type PTimerTiming } from './PTimerSnapshot';
import { copyState, deadlineOf, type PTimerMode } from './PTimerState';
import { applyJoined, applyReload, diagnose, disarm, expireWork, finish, latch } from './reload';
import { sync } from './arming';
import { policyListOf, sharedPolicy } from './sharedPolicy';
import { readCountNumber } from './countNumber';
import { completeTicks, notifyTicks, readCount, readState, ticksOf } from './ticks';
import { NO_RELOAD, NO_WRAP, TimerRecord, type PTimerDiagnostic, type PTimerTick, type PTimerTriggerCause, type TriggerOf } from './TimerRecord';
import { describeValue } from '../shared/describeValue';
import type { ValueForecast } from '../shared/ValueForecast';
import { countForecast, sameCountState } from './countForecast';
import { sharedBigInt } from './sharedBigInt';

export type { PTimerDiagnostic, PTimerTick, PTimerTriggerCause } from './TimerRecord';

/** One trigger of a timer, as passed to `onTrigger` and emitted by `triggers$`. */
export interface PTimerTrigger {
  /** The timer; its setters may be called directly (no `begin`) while the trigger is delivered. */
  readonly timer: PTimer;
  /** Virtual time (ns) of the trigger. */
  readonly time: number;
  /** Whether the deadline passed (`expiry`) or a committed change caused it (`commit`). */
  readonly cause: PTimerTriggerCause;
  /**
   * How many expiries this trigger stands for: 1, except in exact timing
   * with a period under 1 ns, where every round of a periodic timer that
   * falls due within one ns is delivered as one trigger at that ns (the
   * count then reads as after the last of them). Always 1 for `commit`.
   */
  readonly expiries: number;
}

/** Options for {@link PTimer}. */
export interface PTimerOptions {
  /** Policy flags; default {@link LEGACY_POLICY} (none). New device models should choose flags. */
  readonly policy?: readonly PTimerPolicy[];
  /**
   * The device's callback, run synchronously at each trigger, in the timer's
   * callback context: it may call the timer's setters (`setCount`, `run`,
   * `stop`, …) directly, without `begin()`; their effect is applied when it
   * returns, and a trigger they cause is delivered after it returns, never
   * recursively (G3). `begin()`/`commit()`/`transaction()` on this timer
   * join the callback context there instead of opening a nested
   * transaction, so code it calls (an interrupt handler listening to the
   * device's line, say) may program the timer the usual way; such a joined
   * transaction re-anchors the countdown when it commits, so the handler's
   * next access sees its write as a guest's would, while a trigger it causes
   * is still delivered after the callback returns. If it throws,
   * the timer still completes its step and the
   * error is then thrown as a {@link PTimerCallbackError}: from `commit()` for
   * a commit trigger, or from the scheduler's run (e.g. `clock.advanceTo`)
   * for an expiry.
   */
  readonly onTrigger?: (trigger: PTimerTrigger) => void;
  /** Name for traces, diagnostics and errors (default `'ptimer'`). */
  readonly name?: string;
  /**
   * QEMU's periodic minimum-span clamp (periodic spans under 10 µs are
   * stretched to 10 µs), off by default as under QEMU's qtest/icount. Unlike
   * QEMU, the stretched period is at least 1 ns, so sub-ns periods cannot
   * re-fire at one instant forever.
   */
  readonly rateClamp?: boolean;
  /**
   * How the timer keeps time (default `'qemu'`):
   * - `'qemu'`: QEMU's arithmetic. The period is 64.32 fixed-point ns and
   *   each countdown is floored to whole ns, so with a clock that is not a
   *   whole number of ns per cycle (24 MHz, 32.768 kHz) the k-th expiry
   *   comes up to k ns early, and a read at the load instant shows one less
   *   than the loaded count.
   * - `'exact'`: the period is an exact rational number of ns (from the
   *   clock's Hz and divisor, a frequency, or a ratio), and the anchor and
   *   deadline keep the fraction of a ns they fall at: the k-th expiry of a
   *   timer started at A is at ⌊A + k·P⌋ ns however many periods pass, and
   *   reads are QEMU's formula on the exact remaining time. A period change
   *   keeps the count and goes on exactly from that instant. A countdown the
   *   trigger callback restarts with direct setter calls starts at the exact
   *   expiry instant (the hardware's reload at the edge); one restarted by a
   *   transaction (a register write, also from a handler in the callback
   *   context) starts at the whole ns, as a guest's write after the expiry. With a period
   *   under 1 ns, the rounds of a periodic timer due within one ns are
   *   delivered as one trigger (see {@link PTimerTrigger.expiries}), so no
   *   period is too short to run. The period's denominator must not exceed
   *   2^53 - 1, and `rateClamp` (QEMU's) is refused.
   */
  readonly timing?: PTimerTiming;
}

const I64_MAX = (1n << 63n) - 1n;

const checkPeriodNs = (ns: bigint | number, what: string): bigint => {
  const v = toU64(ns, what);
  if (v > I64_MAX) throw new PTimerRangeError(ns, 'must not exceed 2^63 - 1 ns', what);
  return v;
};

/**
 * QEMU's ptimer, re-implemented from its documented behaviour, with the
 * bottom-half race fixed by construction: a down-counter with reload that
 * calls its device synchronously when it reaches zero.
 *
 * Time comes only from the scheduler passed in (1 unit = 1 ns). The count is
 * never ticked: it is computed on read from the anchor, deadline and a 64.32
 * fixed-point period, and one scheduled action per expiry is all a running
 * timer costs. Counts and limits are exact over the full unsigned 64-bit range.
 *
 * Changes are grouped in transactions (`transaction(fn)`, or `begin()`/`commit()`);
 * a setter called outside one throws.
 *
 * Ordering:
 * - G1: at a deadline, the reload (or stop) and the trigger happen in one
 *   scheduled action; nothing can run between them.
 * - G2: a change inside a transaction that makes the timer trigger delivers
 *   that trigger exactly once, synchronously inside `commit()`, after every
 *   change of the transaction is applied; only the final state counts.
 * - G3: `onTrigger` never runs while a transaction is open; it runs in a
 *   callback context where it may reprogram the timer directly, and where
 *   `transaction()` and `begin()`/`commit()` join that context instead of
 *   nesting. Direct setter calls apply when the callback returns; a joined
 *   transaction re-anchors the countdown at its commit (so a handler's
 *   sequence of register writes ends where a guest's would). A trigger
 *   either causes is delivered after the callback returns, never
 *   recursively.
 * - G5: one trigger per expiry (per the policy), also when a callback throws
 *   or reprograms its own timer.
 * Same-instant order (G4) is the scheduler's: FIFO on {@link VirtualClock}.
 * Within one trigger: `onTrigger` first, then `triggers$` subscribers, then
 * `ticks$` emissions.
 *
 * ## Example
 * ```ts
 * const clock = new VirtualClock();
 * const timer = new PTimer(clock, {
 *   policy: ['WRAP_AFTER_ONE_PERIOD', 'NO_COUNTER_ROUND_DOWN'],
 *   onTrigger: () => { irqPending = true; }, // runs at the expiry instant (G1)
 * });
 * timer.transaction((t) => { t.setPeriod(1_000); t.setLimit(10, true); t.run(false); });
 * clock.advanceTo(10_000); // onTrigger ran at 10 000 ns
 * timer.getCount();        // 0n (W: rests at zero for one period)
 * ```
 *
 * @see docs/semantics.md for the semantics this follows, rule by rule, and the tests that pin them.
 */
export class PTimer {
  // A device pays its timers per channel: the timer is one field, everything else lives on its record.

  /** Name used in traces, diagnostics and errors. */
  get name(): string {
    return this.r.name;
  }

  /** The policy flags this timer was created with (frozen). */
  get policy(): readonly PTimerPolicy[] {
    return policyListOf(this.r.flags);
  }

  /** Whether the periodic rate clamp is on. */
  get rateClamp(): boolean {
    return this.r.rateClamp;
  }

  /** How the timer keeps time: `'qemu'` (64.32 fixed point, floored per countdown) or `'exact'`. */
  get timing(): PTimerTiming {
    return this.r.exact ? 'exact' : 'qemu';
  }

  /**
   * Hot stream of triggers, emitted synchronously right after `onTrigger`,
   * in the same callback context (subscribers may reprogram the timer too).
   * For observers: an error a subscriber throws is rxjs's to report, so a
   * device takes its expiries through `onTrigger`, whose errors surface
   * from the clock (G5). Completes when the timer is disposed.
   */
  get triggers$(): Observable<PTimerTrigger> {
    // Built on first use, like the other streams: a timer nobody watches stays small.
    const r = this.r;
    return (r.triggerStream ??= new Observable<PTimerTrigger>((subscriber) => {
      const r = this.r;
      if (r.disposed) {
        subscriber.complete();
        return undefined;
      }
      // Counted so the expiry path can skip the Subject when nobody listens.
      r.triggerObservers++;
      const subject = (r.triggerSubject ??= new Subject<TriggerOf>()) as unknown as Subject<PTimerTrigger>;
      const subscription = subject.subscribe(subscriber);
      return () => {
        r.triggerObservers--;
        subscription.unsubscribe();
      };
    })) as Observable<PTimerTrigger>;
  }

  /** Hot stream of QEMU's "disabling" diagnostics. Completes when the timer is disposed. */
  get diagnostics$(): Observable<PTimerDiagnostic> {
    const r = this.r;
    return (r.diagnosticStream ??= new Observable<PTimerDiagnostic>((subscriber) => {
      if (r.disposed) {
        subscriber.complete();
        return undefined;
      }
      return (r.diagnosticSubject ??= new Subject<PTimerDiagnostic>()).subscribe(subscriber);
    }));
  }

  /**
   * The readable count each time it changes (each decrement, reload or
   * write), at the instant it changes, on the timer's scheduler. Cold and
   * lazy: per-tick work is scheduled only while subscribed, so use it for
   * waveforms and tick-level tests at low rates; with no subscriber a timer
   * schedules one action per expiry and nothing per tick.
   */
  get ticks$(): Observable<PTimerTick> {
    return (this.r.tickStream ??= ticksOf(this.r));
  }

  /** Everything the timer is at run time (state, transaction, arming, listeners); the functions of reload.ts work on it. */
  private readonly r: TimerRecord;

  /**
   * @param scheduler - where time comes from (1 unit = 1 ns); usually a {@link VirtualClock}
   * @param options - policy, device callback, name, rate clamp
   * @throws PTimerPolicyError for an unknown, repeated or incompatible flag
   */
  constructor(scheduler: SchedulerLike, options: PTimerOptions = {}) {
    if (
      typeof scheduler !== 'object' ||
      scheduler === null ||
      typeof scheduler.now !== 'function' ||
      typeof scheduler.schedule !== 'function'
    ) {
      throw new PTimerRangeError(scheduler, 'must be an rxjs SchedulerLike (e.g. a VirtualClock)', 'new PTimer(scheduler)');
    }
    if (options.onTrigger !== undefined && typeof options.onTrigger !== 'function') {
      throw new PTimerRangeError(options.onTrigger, 'must be a function', 'new PTimer({ onTrigger })');
    }
    if (options.name !== undefined && (typeof options.name !== 'string' || options.name === '')) {
      throw new PTimerRangeError(options.name, 'must be a non-empty string', 'new PTimer({ name })');
    }
    if (options.rateClamp !== undefined && typeof options.rateClamp !== 'boolean') {
      throw new PTimerRangeError(options.rateClamp, 'must be a boolean', 'new PTimer({ rateClamp })');
    }
    if (options.timing !== undefined && !PTIMER_TIMINGS.includes(options.timing)) {
      throw new PTimerRangeError(options.timing, "must be 'qemu' or 'exact'", 'new PTimer({ timing })');
    }
    if (options.timing === 'exact' && options.rateClamp === true) {
      throw new PTimerRangeError(true, "must not be set with timing 'exact' (the clamp is QEMU's host-timer limit, not hardware's)", 'new PTimer({ rateClamp })');
    }
    const { flags } = sharedPolicy(options.policy ?? LEGACY_POLICY);
    // The record hands callbacks `timer: this`, so its triggers are PTimerTriggers.
    this.r = new TimerRecord(
      this,
      scheduler,
      flags,
      options.rateClamp ?? false,
      options.timing === 'exact',
      options.name ?? 'ptimer',
      options.onTrigger as ((trigger: TriggerOf) => void) | undefined,
    );
  }

  /**
   * Restores a timer from {@link PTimer.snapshot} on a scheduler whose
   * `now()` equals the snapshot's time; it then continues exactly as the
   * original would have.
   * @param scheduler - the new timer's scheduler
   * @param snapshot - untrusted snapshot data (e.g. parsed JSON)
   * @param options - callback and name (policy, rate clamp and timing come from the snapshot)
   * @throws PTimerSnapshotError naming the first malformed field
   */
  static restore(
    scheduler: SchedulerLike,
    snapshot: unknown,
    options: Omit<PTimerOptions, 'policy' | 'rateClamp' | 'timing'> = {},
  ): PTimer {
    const parsed = fromSnapshot(snapshot, scheduler.now());
    let timer: PTimer;
    try {
      timer = new PTimer(scheduler, { ...options, policy: parsed.policy, rateClamp: parsed.rateClamp, timing: parsed.timing });
    } catch (error) {
      throw new PTimerSnapshotError('policy', parsed.policy, error instanceof Error ? error.message : describeValue(error));
    }
    timer.restoreState(snapshot);
    return timer;
  }

  // ---- transactions --------------------------------------------------------

  /**
   * Opens a transaction. Prefer {@link PTimer.transaction}, which cannot be left open.
   * In the timer's callback context (its trigger callback, and whatever that
   * calls) it joins that context instead (G3): see {@link PTimer.commit}.
   * @throws PTimerTransactionError if one is already open outside a callback context
   */
  begin(): void {
    const r = this.r;
    this.checkAlive('begin');
    if (r.callbackDepth > 0) {
      r.joinDepth++;
      return;
    }
    if (r.txOpen) throw new PTimerTransactionError(this.name, 'begin() while a transaction is open (nested begin); commit() it first');
    r.txOpen = true;
    r.userTx = true;
    r.needReload = false;
  }

  /**
   * Applies the open transaction: if its final state needs the countdown
   * re-anchored, that happens now, and a trigger it causes is delivered
   * before `commit()` returns (G2). A transaction that joined a callback
   * context re-anchors the countdown here too, at this instant, but a
   * trigger it causes (a zero count that fires) is delivered, with its
   * reload, after the callback returns (G3).
   * @throws PTimerTransactionError without a matching `begin()`
   * @throws PTimerCallbackError if `onTrigger` threw (after the timer is consistent)
   */
  commit(): void {
    const r = this.r;
    if (r.joinDepth > 0) {
      if (--r.joinDepth === 0) applyJoined(r, r.scheduler.now());
      return;
    }
    if (r.disposed && r.userTx) {
      // Disposed inside the transaction: close it, deliver nothing (no trigger after dispose).
      r.userTx = false;
      r.txOpen = false;
      return;
    }
    if (!r.userTx) {
      throw new PTimerTransactionError(
        this.name,
        r.callbackDepth > 0 ? "commit() inside the timer's own trigger callback without a matching begin()" : 'commit() without begin()',
      );
    }
    r.userTx = false;
    finish(r, r.scheduler.now());
  }

  /**
   * Runs `changes` in a transaction and commits it, even if `changes` throws.
   * A trigger caused inside is delivered once, after all changes, before
   * `transaction` returns (G2). In the timer's callback context it joins
   * that context (G3): the changes apply when it returns, and a trigger they
   * cause is delivered when the callback returns.
   *
   * ## Example
   * ```ts
   * timer.transaction((t) => { t.setLimit(0, true); t.setLimit(5, true); }); // no trigger: only count 5 is seen
   * ```
   * @param changes - receives this timer
   */
  transaction(changes: (timer: this) => void): void {
    this.begin();
    try {
      changes(this);
    } catch (error) {
      try {
        this.commit();
      } catch (commitError) {
        throw new AggregateError([error, commitError], `ptimer '${this.name}': transaction body threw, and so did its commit`);
      }
      throw error;
    }
    this.commit();
  }

  /** Whether a transaction (or the callback context) is open. */
  get inTransaction(): boolean {
    return this.r.txOpen;
  }

  // ---- setters (inside a transaction) ---------------------------------------

  /**
   * Sets the counter. On a running timer the countdown restarts from it at commit.
   * @param count - bigint in [0, 2^64) or a safe non-negative integer
   */
  setCount(count: bigint | number): void {
    const value = toU64(count, 'setCount(count)');
    this.checkMutable('setCount');
    this.r.delta = value;
    if (this.r.enabled !== 'stopped') this.r.needReload = true;
  }

  /**
   * Sets the reload value.
   * @param limit - bigint in [0, 2^64) or a safe non-negative integer
   * @param reload - also set the counter to it (restarting a running countdown at commit)
   */
  setLimit(limit: bigint | number, reload: boolean): void {
    const value = toU64(limit, 'setLimit(limit)');
    if (typeof reload !== 'boolean') throw new PTimerRangeError(reload, 'must be a boolean', 'setLimit(reload)');
    this.checkMutable('setLimit');
    this.r.limit = value;
    if (reload) {
      this.r.delta = value;
      if (this.r.enabled !== 'stopped') this.r.needReload = true;
    }
  }

  /**
   * Sets a whole-ns period. A running timer latches its current count and
   * restarts from it with the new period at commit (the partial period is lost).
   * @param ns - non-negative integer ns (0 stops the timer at commit, as QEMU)
   */
  setPeriod(ns: bigint | number): void {
    const p = checkPeriodNs(ns, 'setPeriod(ns)');
    this.applyPeriod('setPeriod', () => ({ ns: p, frac: 0n }), () => ({ num: p, den: 1n }));
  }

  /**
   * Sets the period as 64.32 fixed point: `ns + frac32 / 2^32` ns (in exact
   * timing, exactly that fraction).
   * @param ns - integer part, non-negative
   * @param frac32 - fractional part in units of 2^-32 ns, in [0, 2^32)
   */
  setPeriodFrac(ns: bigint | number, frac32: bigint | number): void {
    const p = checkPeriodNs(ns, 'setPeriodFrac(ns)');
    const f = toU64(frac32, 'setPeriodFrac(frac32)');
    if (f >= 1n << 32n) throw new PTimerRangeError(frac32, 'must be below 2^32', 'setPeriodFrac(frac32)');
    this.applyPeriod('setPeriodFrac', () => ({ ns: p, frac: f }), () => ratioOfFixed(p, f));
  }

  /**
   * Sets the period from a frequency. QEMU timing: `⌊10^9/hz⌋` ns plus the
   * fraction `⌊10^9·2^32/hz⌋ mod 2^32`, so frequencies above 1 GHz work.
   * Exact timing: exactly 10^9/hz ns.
   * @param hz - positive integer
   */
  setFreq(hz: bigint | number): void {
    const f = toU64(hz, 'setFreq(hz)');
    if (f === 0n) throw new PTimerRangeError(hz, 'must be positive (a frequency of 0 has no period)', 'setFreq(hz)');
    this.applyPeriod('setFreq', () => periodOfFreq(f), () => reduceRatio(1_000_000_000n, f));
  }

  /**
   * Sets the period from a clock input and a divider. QEMU timing: as QEMU's
   * `set_period_from_clock`, the clock's period is taken at 2^-32 ns
   * resolution, then multiplied by `divisor` (a divide-by-N prescaler).
   * Exact timing: exactly 10^9·divisor/hz ns.
   * A stopped clock (0 Hz) gives a zero period: a running timer then stops
   * at commit with a `period-zero` diagnostic, and `run()` refuses to start.
   * @param hz - the clock's frequency, a non-negative integer (0 = stopped)
   * @param divisor - the prescaler's division, a positive integer (default 1)
   */
  setPeriodFromClock(hz: bigint | number, divisor: bigint | number = 1): void {
    const f = toU64(hz, 'setPeriodFromClock(hz)');
    const d = toU64(divisor, 'setPeriodFromClock(divisor)');
    if (d === 0n) throw new PTimerRangeError(divisor, 'must be a positive integer', 'setPeriodFromClock(divisor)');
    this.applyPeriod('setPeriodFromClock', () => periodOfClock(f, d), () => ratioOfClock(f, d), 'setPeriodFromClock(divisor)', divisor);
  }

  /**
   * Sets the period to `numerator/denominator` ns: exactly in exact timing,
   * floored to QEMU's 64.32 fixed point in QEMU timing.
   * @param numerator - ns, a non-negative integer (0 stops the timer at commit)
   * @param denominator - a positive integer (in exact timing, at most 2^53 - 1 once the ratio is in lowest terms)
   */
  setPeriodRatio(numerator: bigint | number, denominator: bigint | number): void {
    const n = toU64(numerator, 'setPeriodRatio(numerator)');
    const d = toU64(denominator, 'setPeriodRatio(denominator)');
    if (d === 0n) throw new PTimerRangeError(denominator, 'must be a positive integer', 'setPeriodRatio(denominator)');
    const ratio = reduceRatio(n, d);
    this.applyPeriod('setPeriodRatio', () => fixedOfRatio(ratio), () => ratio, 'setPeriodRatio(numerator)', numerator);
  }

  /**
   * Starts the timer. On a stopped timer the countdown starts from the count
   * at commit; on a running timer this only switches between periodic and
   * one-shot (the countdown continues, as QEMU). A stopped timer with a zero
   * period stays stopped and reports a `period-zero` diagnostic.
   * @param oneshot - stop at zero instead of reloading
   */
  run(oneshot: boolean): void {
    if (typeof oneshot !== 'boolean') throw new PTimerRangeError(oneshot, 'must be a boolean', 'run(oneshot)');
    this.checkMutable('run');
    const s = this.r;
    const wasStopped = s.enabled === 'stopped';
    if (wasStopped && periodIsZero(s)) {
      diagnose(this.r, 'period-zero', this.r.scheduler.now());
      return;
    }
    s.enabled = oneshot ? 'oneshot' : 'periodic';
    if (wasStopped) this.r.needReload = true;
  }

  /**
   * Stops the timer, latching the current count (as {@link PTimer.getCount}
   * reads it now, so at the running countdown's own rate also after a period
   * setter in this transaction); cancels a re-anchor pending in this transaction.
   */
  stop(): void {
    this.checkMutable('stop');
    if (this.r.enabled === 'stopped') return;
    latch(this.r);
    this.r.enabled = 'stopped';
    this.r.wrapReload = NO_WRAP;
    this.r.anchoredRate = undefined;
    this.r.needReload = false;
  }

  // ---- reads -----------------------------------------------------------------

  /**
   * The count a guest reads now: pure, O(1). Inside an open transaction it
   * still uses the pre-commit anchor and deadline (as QEMU), and after a
   * period setter the pre-commit period too (unlike QEMU): until the commit
   * it counts the countdown that is still running, at its own rate.
   */
  getCount(): bigint {
    return readCount(this.r);
  }

  /**
   * {@link PTimer.getCount} as a number, always equal to
   * `Number(timer.getCount())` (exact up to `Number.MAX_SAFE_INTEGER`), for
   * a device reading its counter register: in the common case (QEMU timing,
   * the time left and the period within 32 bits, or a whole period) it does
   * no BigInt arithmetic and allocates nothing; other cases read the BigInt.
   *
   * ## Example
   * ```ts
   * timer.transaction((t) => { t.setFreq(24_000_000); t.setLimit(0xffff_ffff, true); t.run(false); });
   * clock.advanceBy(1_000);
   * timer.getCountNumber() === Number(timer.getCount()); // true
   * ```
   * @returns the count now
   */
  getCountNumber(): number {
    return readCountNumber(this.r);
  }

  /**
   * What {@link PTimer.getCount} will read from now on if nothing changes the
   * timer: pure and O(1) per call, it schedules nothing, and it keeps a copy
   * of the state, so it stays true of this moment after the timer moves on.
   * It follows the timer's timing (QEMU's per-round flooring, or exact) and
   * its policy's rounding (W's zero window, D's `+1`, the count one less
   * between boundaries without D). Its `until` is the next expiry (whose
   * reload it does not predict), `Infinity` when stopped.
   *
   * While the state is unchanged the same object is returned, so a caller
   * can tell "nothing changed" by identity (the waveform recorder keeps one
   * sample per change of state, not per event). Inside a transaction or the
   * timer's callback context it forecasts the state `getCount()` reads there
   * (before the pending changes apply).
   *
   * Ordering: a forecast ends where work may change the timer (G4: the
   * expiry at `until`, a write at any later step); take a new one after it.
   *
   * ## Example
   * ```ts
   * timer.transaction((t) => { t.setPeriod(1_000); t.setLimit(10, true); t.run(false); });
   * const f = timer.forecast();      // at 0 ns, LEGACY policy
   * f.valueAt(2_500);                // 7n: what getCount() reads at 2.5 µs
   * f.nextChange(2_500);             // 3_001: the count reads 6n from there
   * f.until;                         // 10_000: the expiry
   * ```
   * @returns the forecast, valid from now to its `until`
   */
  forecast(): ValueForecast {
    const r = this.r;
    const now = r.scheduler.now();
    const cached = r.forecastCache;
    const state = readState(r);
    if (cached !== undefined && now <= cached.forecast.until && sameCountState(cached.state, state)) return cached.forecast;
    const entry = countForecast(state, r.flags, r.rateClamp, now, this.name);
    r.forecastCache = entry;
    return entry.forecast;
  }

  /** The reload value. */
  getLimit(): bigint {
    return this.r.limit;
  }

  /** The period as 64.32 fixed point. */
  getPeriod(): {
    /** Integer part of the period, in ns. */
    readonly ns: bigint;
    /** Fractional part of the period, in units of 2^-32 ns. */
    readonly frac32: bigint;
  } {
    return { ns: this.r.period, frac32: this.r.periodFrac };
  }

  /**
   * The period as a fraction of ns in lowest terms: exact in exact timing;
   * in QEMU timing, the exact value of its 64.32 fixed point.
   */
  getPeriodRatio(): {
    /** Numerator, ns. */
    readonly numerator: bigint;
    /** Denominator, positive. */
    readonly denominator: bigint;
  } {
    const r = this.r;
    const ratio = r.exact ? { num: r.periodNum, den: r.periodDen } : ratioOfFixed(r.period, r.periodFrac);
    return { numerator: ratio.num, denominator: ratio.den };
  }

  /** Stopped, periodic or one-shot. */
  get mode(): PTimerMode {
    return this.r.enabled;
  }

  /** Virtual time (ns) at which a running timer next expires, `undefined` when stopped. */
  get deadline(): bigint | undefined {
    return this.r.enabled === 'stopped' ? undefined : deadlineOf(this.r);
  }

  // ---- snapshot / lifecycle ----------------------------------------------------

  /**
   * The timer's state as JSON-safe, versioned data. Legal in the timer's
   * callback context, where the state is consistent (a reload the trigger
   * came ahead of is completed on a copy), as long as the callback has not
   * changed the timer yet.
   * @throws PTimerTransactionError inside a user transaction, or after the callback changed the timer (state would be half-applied)
   */
  snapshot(): PTimerSnapshot {
    const r = this.r;
    const now = r.scheduler.now();
    if (!r.txOpen) return toSnapshot(r, now, this.policy, this.rateClamp);
    if (r.userTx || r.callbackDepth === 0) {
      throw new PTimerTransactionError(this.name, 'snapshot() while a transaction is open; commit() first');
    }
    if (r.changedInCallback || r.needReload || r.joinDepth > 0) {
      throw new PTimerTransactionError(this.name, 'snapshot() after the trigger callback changed the timer: the changes apply when it returns; snapshot after that');
    }
    if (r.pendingReload === NO_RELOAD) return toSnapshot(r, now, this.policy, this.rateClamp);
    const state = copyState(r);
    applyReload(state, r.flags, this.rateClamp, r.pendingReload);
    return toSnapshot(state, now, this.policy, this.rateClamp);
  }

  /**
   * Loads a snapshot into this timer (a device restoring its timers uses this;
   * {@link PTimer.restore} creates a new timer). Policy and rate clamp must match.
   * @param snapshot - untrusted snapshot data
   * @throws PTimerSnapshotError naming the first bad or mismatching field
   */
  restoreState(snapshot: unknown): void {
    const r = this.r;
    this.checkAlive('restoreState');
    if (r.txOpen) throw new PTimerTransactionError(this.name, 'restoreState() while a transaction is open');
    const parsed = fromSnapshotFor(this, snapshot, r.scheduler.now());
    Object.assign(r, parsed.state);
    r.anchoredRate = undefined;
    r.denN = Number(r.periodDen);
    r.fastSpan = -1;
    sync(r, expireWork);
    notifyTicks(r);
  }

  /**
   * Cancels the timer's scheduled work and completes its streams; no trigger
   * is delivered afterwards, also when called from its own callback or inside
   * a transaction (whose `commit()` then only closes it). Setters then throw.
   */
  dispose(): void {
    const r = this.r;
    if (r.disposed) return;
    r.disposed = true;
    r.needReload = false;
    r.heldExpiry = false;
    disarm(r);
    completeTicks(r);
    r.triggerSubject?.complete();
    r.diagnosticSubject?.complete();
  }

  // ---- internals ---------------------------------------------------------------

  private checkAlive(method: string): void {
    if (this.r.disposed) throw new PTimerTransactionError(this.name, `${method}() on a disposed timer`);
  }

  private checkMutable(method: string): void {
    const r = this.r;
    this.checkAlive(method);
    if (!r.txOpen) {
      throw new PTimerTransactionError(
        this.name,
        `${method}() outside a transaction: group changes in timer.transaction((t) => { … }) or between begin() and commit()`,
      );
    }
    r.fastSpan = -1;
    if (r.callbackDepth > 0) r.changedInCallback = true;
  }

  /**
   * Shared by the period setters: latch the running count, then restart
   * with the new period at commit. Each setter gives the period both ways;
   * only the timer's own timing's is computed.
   */
  private applyPeriod(
    method: string,
    fixed: () => { readonly ns: bigint; readonly frac: bigint },
    ratio: () => PeriodRatio,
    what = `${method}(ns)`,
    given: unknown = undefined,
  ): void {
    const r = this.r;
    let ns: bigint;
    let frac: bigint;
    let exact: PeriodRatio | undefined;
    if (r.exact) {
      exact = ratio();
      if (exact.den > MAX_EXACT_DEN) {
        throw new PTimerRangeError(given ?? exact.den, `gives a period whose denominator (${exact.den}) exceeds 2^53 - 1, the limit of exact timing`, what);
      }
      ({ ns, frac } = fixedOfRatio(exact));
    } else {
      ({ ns, frac } = fixed());
    }
    if (ns > I64_MAX) throw new PTimerRangeError(given, 'makes the period exceed 2^63 - 1 ns', what);
    this.checkMutable(method);
    latch(r);
    if (r.enabled !== 'stopped' && r.anchoredRate === undefined) {
      // The countdown runs on at this rate until the commit restarts it: a later latch in this transaction counts it so.
      r.anchoredRate = { period: r.period, periodFrac: r.periodFrac, periodNum: r.periodNum, periodDen: r.periodDen, lastPhase: r.lastPhase, nextPhase: r.nextPhase };
    }
    // One BigInt object per value, shared by the timers at the same rate.
    r.period = sharedBigInt(ns);
    r.periodFrac = sharedBigInt(frac);
    if (exact !== undefined) {
      r.periodNum = sharedBigInt(exact.num);
      r.periodDen = sharedBigInt(exact.den);
      r.denN = Number(exact.den);
      // The phases count in units of the old period's denominator: a period change re-anchors at a whole ns,
      // also when made from the expiry callback (whose restart would otherwise start at the expiry's phase).
      r.lastPhase = 0;
      r.nextPhase = 0;
      r.instantPhase = 0;
    }
    if (r.enabled !== 'stopped') r.needReload = true;
  }
}
