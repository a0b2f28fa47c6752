import { Observable, Subject, type SchedulerLike, type Subscriber, type Subscription } from 'rxjs';
import { VirtualAction } from '../clock/VirtualAction';
import { VirtualClock } from '../clock/VirtualClock';
import { periodOfClock, periodOfFreq, spanNs, toU64 } from './arith';
import { countAt, effectivePeriod, nextCountChange } from './countAt';
import { PTimerCallbackError, PTimerRangeError, PTimerSnapshotError, PTimerTransactionError } from './errors';
import { LEGACY_POLICY, policyFlags, type PolicyFlags, type PTimerPolicy } from './PTimerPolicy';

/** Checked flags and a frozen copy per distinct policy list, shared by every timer that uses it. */
const POLICIES = new Map<string, { readonly flags: PolicyFlags; readonly frozen: readonly PTimerPolicy[] }>();
const sharedPolicy = (policy: readonly PTimerPolicy[]): { readonly flags: PolicyFlags; readonly frozen: readonly PTimerPolicy[] } => {
  const key = Array.isArray(policy) && policy.every((p) => typeof p === 'string') ? JSON.stringify(policy) : undefined;
  const known = key === undefined ? undefined : POLICIES.get(key);
  if (known !== undefined) return known;
  const entry = { flags: policyFlags(policy), frozen: Object.freeze([...policy]) };
  if (key !== undefined) POLICIES.set(key, entry);
  return entry;
};
import { fromSnapshot, toSnapshot, type PTimerSnapshot } from './PTimerSnapshot';
import { deadlineOf, setDeadline, type PTimerMode, type PTimerState } from './PTimerState';
import { describeValue } from '../shared/describeValue';

/** Why a trigger was delivered: the deadline passed, or a committed change left a zero count. */
export type PTimerTriggerCause = 'expiry' | 'commit';

/** One trigger of a timer, as passed to `onTrigger` and emitted by `triggers$`. */
export interface PTimerTrigger {
  /** The timer; its setters may be called directly (no `begin`) while the trigger is delivered. */
  readonly timer: PTimer;
  /** Virtual time (ns) of the trigger. */
  readonly time: number;
  /** Whether the deadline passed (`expiry`) or a committed change caused it (`commit`). */
  readonly cause: PTimerTriggerCause;
}

/** A change of the readable count, as emitted by `ticks$`. */
export interface PTimerTick {
  /** Virtual time (ns) from which the count reads `count`. */
  readonly time: number;
  /** The count as `getCount()` reads it from `time` on. */
  readonly count: bigint;
}

/** A condition QEMU reports on stderr ("Timer with period zero / delta zero, disabling"); the timer stops. */
export interface PTimerDiagnostic {
  /** The timer's name. */
  readonly timer: string;
  /** Virtual time (ns) of the condition. */
  readonly time: number;
  /**
   * Which condition: `period-zero`, the period is zero; `delta-zero`, the
   * countdown would be zero periods long (e.g. count and limit both 0).
   */
  readonly kind: 'period-zero' | 'delta-zero';
  /** A readable sentence naming the timer and the condition, in the manner of QEMU's message. */
  readonly message: string;
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
   * recursively (G3). It must not call `begin()`/`commit()`/`transaction()`
   * on this timer. If it throws, the timer still completes its step and the
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
}

interface TickWatcher {
  readonly subscriber: Subscriber<PTimerTick>;
  last: bigint;
  at: bigint | undefined;
  action: Subscription | undefined;
}

/** Reload reasons of reference §1.7, numerically as QEMU uses them in the W adjustment. */
const COMMIT = 0;
const EXPIRY = 1;
const EXPIRY_NOADJ = -1;
type ReloadReason = typeof COMMIT | typeof EXPIRY | typeof EXPIRY_NOADJ;

/** Bound on re-trigger rounds in one commit, so a callback that keeps re-triggering cannot hang a run. */
const MAX_COMMIT_ROUNDS = 10_000;
const SAFE_NS = BigInt(Number.MAX_SAFE_INTEGER);
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
 *   callback context where it may reprogram the timer directly.
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
 * @see reference/qemu-ptimer.md for the semantics this follows exactly.
 */
export class PTimer {
  /** Name used in traces, diagnostics and errors. */
  readonly name: string;
  /** The policy flags this timer was created with. */
  readonly policy: readonly PTimerPolicy[];
  /** Whether the periodic rate clamp is on. */
  readonly rateClamp: boolean;
  /**
   * Hot stream of triggers, emitted synchronously right after `onTrigger`,
   * in the same callback context (subscribers may reprogram the timer too).
   * Completes when the timer is disposed.
   */
  get triggers$(): Observable<PTimerTrigger> {
    // Built on first use, like the other streams: a timer nobody watches stays small.
    return (this.triggerStream ??= new Observable<PTimerTrigger>((subscriber) => {
      if (this.disposed) {
        subscriber.complete();
        return undefined;
      }
      // Counted so the expiry path can skip the Subject when nobody listens.
      this.triggerObservers++;
      const subscription = (this.triggerSubject ??= new Subject<PTimerTrigger>()).subscribe(subscriber);
      return () => {
        this.triggerObservers--;
        subscription.unsubscribe();
      };
    }));
  }

  /** Hot stream of QEMU's "disabling" diagnostics. Completes when the timer is disposed. */
  get diagnostics$(): Observable<PTimerDiagnostic> {
    return (this.diagnosticStream ??= new Observable<PTimerDiagnostic>((subscriber) => {
      if (this.disposed) {
        subscriber.complete();
        return undefined;
      }
      return (this.diagnosticSubject ??= new Subject<PTimerDiagnostic>()).subscribe(subscriber);
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
    return (this.tickStream ??= new Observable<PTimerTick>((subscriber) => {
      const watchers = (this.watchers ??= new Set<TickWatcher>());
      const watcher: TickWatcher = { subscriber, last: this.getCount(), at: undefined, action: undefined };
      watchers.add(watcher);
      this.watcherCount = watchers.size;
      this.planTick(watcher);
      return () => {
        watchers.delete(watcher);
        this.watcherCount = watchers.size;
        watcher.action?.unsubscribe();
      };
    }));
  }

  private readonly flags: PolicyFlags;
  private readonly onTrigger: ((trigger: PTimerTrigger) => void) | undefined;
  // The timer is its own state record (PTimerState, read through `s`): an expiry
  // then touches one object instead of a timer, a record and a flags object, which
  // matters when thousands of timers take turns (bench/RESULTS.md). The fields are
  // @internal: not part of the API, and stripped from the published typings.
  /** @internal */ enabled: PTimerMode = 'stopped';
  /** @internal */ limit = 0n;
  /** @internal */ delta = 0n;
  /** @internal */ period = 0n;
  /** @internal */ periodFrac = 0n;
  /** @internal */ lastEvent = 0;
  /** @internal */ nextEvent = 0;
  /** @internal */ farNextEvent = 0n;
  /**
   * Span (ns) of the next expiry's round when it is a plain periodic reload
   * (delta and limit non-zero, span within range), else -1. Any setter or
   * reload resets it; `finish` recomputes it, so a periodic timer left alone
   * expires without bigint work.
   */
  private fastSpan = -1;
  private readonly wrap: boolean;
  /** QEMU's in_transaction: a user transaction or the timer's own (expiry, callback context). */
  private txOpen = false;
  private userTx = false;
  private callbackDepth = 0;
  private needReload = false;
  private disposed = false;
  /** An expiry came due while a user transaction was open (see deliverHeldExpiry). */
  private heldExpiry = false;
  private action: Subscription | undefined;
  /** Deadline the action is queued for, or `undefined` when it is not queued. */
  private armedAt: number | undefined;
  /** The countdown was re-anchored since the last arm, so the next sync arms anew. */
  private rearm = false;
  private errors: unknown[] | undefined;
  private errorTime = 0;
  private triggerObservers = 0;
  // Streams and their subjects are created on first use (an idle timer stays under 1 KiB).
  private triggerSubject: Subject<PTimerTrigger> | undefined;
  private diagnosticSubject: Subject<PTimerDiagnostic> | undefined;
  private watchers: Set<TickWatcher> | undefined;
  private triggerStream: Observable<PTimerTrigger> | undefined;
  private diagnosticStream: Observable<PTimerDiagnostic> | undefined;
  private tickStream: Observable<PTimerTick> | undefined;
  private watcherCount = 0;

  /**
   * @param scheduler - where time comes from (1 unit = 1 ns); usually a {@link VirtualClock}
   * @param options - policy, device callback, name, rate clamp
   * @throws PTimerPolicyError for an unknown, repeated or incompatible flag
   */
  constructor(
    private readonly scheduler: SchedulerLike,
    options: PTimerOptions = {},
  ) {
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
    const { flags, frozen } = sharedPolicy(options.policy ?? LEGACY_POLICY);
    this.flags = flags;
    this.wrap = flags.wrapAfterOnePeriod;
    this.policy = frozen;
    this.name = options.name ?? 'ptimer';
    this.rateClamp = options.rateClamp ?? false;
    this.onTrigger = options.onTrigger;
    // QEMU anchors a new timer at virtual time 0; anchoring at creation keeps a
    // latch in its first transaction independent of the clock's origin.
    this.lastEvent = this.nextEvent = scheduler.now();
  }

  /**
   * Restores a timer from {@link PTimer.snapshot} on a scheduler whose
   * `now()` equals the snapshot's time; it then continues exactly as the
   * original would have.
   * @param scheduler - the new timer's scheduler
   * @param snapshot - untrusted snapshot data (e.g. parsed JSON)
   * @param options - callback and name (policy and rate clamp come from the snapshot)
   * @throws PTimerSnapshotError naming the first malformed field
   */
  static restore(
    scheduler: SchedulerLike,
    snapshot: unknown,
    options: Omit<PTimerOptions, 'policy' | 'rateClamp'> = {},
  ): PTimer {
    const parsed = fromSnapshot(snapshot);
    let timer: PTimer;
    try {
      timer = new PTimer(scheduler, { ...options, policy: parsed.policy, rateClamp: parsed.rateClamp });
    } catch (error) {
      throw new PTimerSnapshotError('policy', parsed.policy, error instanceof Error ? error.message : describeValue(error));
    }
    timer.restoreState(snapshot);
    return timer;
  }

  // ---- transactions --------------------------------------------------------

  /**
   * Opens a transaction. Prefer {@link PTimer.transaction}, which cannot be left open.
   * @throws PTimerTransactionError if one is already open, or from inside this timer's callback
   */
  begin(): void {
    this.checkAlive('begin');
    if (this.callbackDepth > 0) {
      throw new PTimerTransactionError(
        this.name,
        "begin() inside the timer's own trigger callback: the callback already runs in the timer's transaction, call the setters directly",
      );
    }
    if (this.txOpen) throw new PTimerTransactionError(this.name, 'begin() while a transaction is open (nested begin); commit() it first');
    this.txOpen = true;
    this.userTx = true;
    this.needReload = false;
  }

  /**
   * Applies the open transaction: if its final state needs the countdown
   * re-anchored, that happens now, and a trigger it causes is delivered
   * before `commit()` returns (G2).
   * @throws PTimerTransactionError without a matching `begin()`
   * @throws PTimerCallbackError if `onTrigger` threw (after the timer is consistent)
   */
  commit(): void {
    if (this.disposed && this.userTx) {
      // Disposed inside the transaction: close it, deliver nothing (no trigger after dispose).
      this.userTx = false;
      this.txOpen = false;
      return;
    }
    if (!this.userTx) {
      throw new PTimerTransactionError(
        this.name,
        this.callbackDepth > 0 ? "commit() inside the timer's own trigger callback" : 'commit() without begin()',
      );
    }
    this.userTx = false;
    this.finish(this.scheduler.now());
  }

  /**
   * Runs `changes` in a transaction and commits it, even if `changes` throws.
   * A trigger caused inside is delivered once, after all changes, before
   * `transaction` returns (G2).
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
    return this.txOpen;
  }

  // ---- setters (inside a transaction) ---------------------------------------

  /**
   * Sets the counter. On a running timer the countdown restarts from it at commit.
   * @param count - bigint in [0, 2^64) or a safe non-negative integer
   */
  setCount(count: bigint | number): void {
    const value = toU64(count, 'setCount(count)');
    this.checkMutable('setCount');
    this.s.delta = value;
    if (this.s.enabled !== 'stopped') this.needReload = true;
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
    this.s.limit = value;
    if (reload) {
      this.s.delta = value;
      if (this.s.enabled !== 'stopped') this.needReload = true;
    }
  }

  /**
   * Sets a whole-ns period. A running timer latches its current count and
   * restarts from it with the new period at commit (the partial period is lost).
   * @param ns - non-negative integer ns (0 stops the timer at commit, as QEMU)
   */
  setPeriod(ns: bigint | number): void {
    this.applyPeriod(checkPeriodNs(ns, 'setPeriod(ns)'), 0n, 'setPeriod');
  }

  /**
   * Sets the period as 64.32 fixed point: `ns + frac32 / 2^32` ns.
   * @param ns - integer part, non-negative
   * @param frac32 - fractional part in units of 2^-32 ns, in [0, 2^32)
   */
  setPeriodFrac(ns: bigint | number, frac32: bigint | number): void {
    const p = checkPeriodNs(ns, 'setPeriodFrac(ns)');
    const f = toU64(frac32, 'setPeriodFrac(frac32)');
    if (f >= 1n << 32n) throw new PTimerRangeError(frac32, 'must be below 2^32', 'setPeriodFrac(frac32)');
    this.applyPeriod(p, f, 'setPeriodFrac');
  }

  /**
   * Sets the period from a frequency: `⌊10^9/hz⌋` ns plus the fraction
   * `⌊10^9·2^32/hz⌋ mod 2^32`, so frequencies above 1 GHz work.
   * @param hz - positive integer
   */
  setFreq(hz: bigint | number): void {
    const f = toU64(hz, 'setFreq(hz)');
    if (f === 0n) throw new PTimerRangeError(hz, 'must be positive (a frequency of 0 has no period)', 'setFreq(hz)');
    const { ns, frac } = periodOfFreq(f);
    this.applyPeriod(ns, frac, 'setFreq');
  }

  /**
   * Sets the period from a clock input and a divider, as QEMU's
   * `set_period_from_clock`: the clock's period is taken at 2^-32 ns
   * resolution, then multiplied by `divisor` (a divide-by-N prescaler).
   * A stopped clock (0 Hz) gives a zero period: a running timer then stops
   * at commit with a `period-zero` diagnostic, and `run()` refuses to start.
   * @param hz - the clock's frequency, a non-negative integer (0 = stopped)
   * @param divisor - the prescaler's division, a positive integer (default 1)
   */
  setPeriodFromClock(hz: bigint | number, divisor: bigint | number = 1): void {
    const f = toU64(hz, 'setPeriodFromClock(hz)');
    const d = toU64(divisor, 'setPeriodFromClock(divisor)');
    if (d === 0n) throw new PTimerRangeError(divisor, 'must be a positive integer', 'setPeriodFromClock(divisor)');
    const { ns, frac } = periodOfClock(f, d);
    if (ns > I64_MAX) throw new PTimerRangeError(divisor, 'makes the period exceed 2^63 - 1 ns', 'setPeriodFromClock(divisor)');
    this.applyPeriod(ns, frac, 'setPeriodFromClock');
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
    const s = this.s;
    const wasStopped = s.enabled === 'stopped';
    if (wasStopped && s.period === 0n && s.periodFrac === 0n) {
      this.diagnose('period-zero', this.scheduler.now());
      return;
    }
    s.enabled = oneshot ? 'oneshot' : 'periodic';
    if (wasStopped) this.needReload = true;
  }

  /** Stops the timer, latching the current count; cancels a re-anchor pending in this transaction. */
  stop(): void {
    this.checkMutable('stop');
    if (this.s.enabled === 'stopped') return;
    this.latch();
    this.s.enabled = 'stopped';
    this.needReload = false;
  }

  // ---- reads -----------------------------------------------------------------

  /**
   * The count a guest reads now: pure, O(1). Inside an open transaction it
   * still uses the pre-commit anchor and deadline (as QEMU).
   */
  getCount(): bigint {
    return countAt(this.s, this.flags, this.rateClamp, BigInt(this.scheduler.now()));
  }

  /** The reload value. */
  getLimit(): bigint {
    return this.s.limit;
  }

  /** The period as 64.32 fixed point. */
  getPeriod(): {
    /** Integer part of the period, in ns. */
    readonly ns: bigint;
    /** Fractional part of the period, in units of 2^-32 ns. */
    readonly frac32: bigint;
  } {
    return { ns: this.s.period, frac32: this.s.periodFrac };
  }

  /** Stopped, periodic or one-shot. */
  get mode(): PTimerMode {
    return this.s.enabled;
  }

  /** Virtual time (ns) at which a running timer next expires, `undefined` when stopped. */
  get deadline(): bigint | undefined {
    return this.s.enabled === 'stopped' ? undefined : deadlineOf(this.s);
  }

  // ---- snapshot / lifecycle ----------------------------------------------------

  /**
   * The timer's state as JSON-safe, versioned data.
   * @throws PTimerTransactionError while a transaction is open (state would be half-applied)
   */
  snapshot(): PTimerSnapshot {
    if (this.txOpen) throw new PTimerTransactionError(this.name, 'snapshot() while a transaction is open; commit() first');
    return toSnapshot(this.s, this.scheduler.now(), this.policy, this.rateClamp);
  }

  /**
   * Loads a snapshot into this timer (a device restoring its timers uses this;
   * {@link PTimer.restore} creates a new timer). Policy and rate clamp must match.
   * @param snapshot - untrusted snapshot data
   * @throws PTimerSnapshotError naming the first bad or mismatching field
   */
  restoreState(snapshot: unknown): void {
    this.checkAlive('restoreState');
    if (this.txOpen) throw new PTimerTransactionError(this.name, 'restoreState() while a transaction is open');
    const parsed = fromSnapshot(snapshot);
    const now = this.scheduler.now();
    if (parsed.time !== now) {
      throw new PTimerSnapshotError('time', parsed.time, `must equal the scheduler's now() (${now} ns): restore on a clock at the snapshot's time`);
    }
    const mine = [...this.policy].sort().join(',');
    if ([...parsed.policy].sort().join(',') !== mine) {
      throw new PTimerSnapshotError('policy', parsed.policy, `must match this timer's policy [${this.policy.join(', ')}]`);
    }
    if (parsed.rateClamp !== this.rateClamp) {
      throw new PTimerSnapshotError('rateClamp', parsed.rateClamp, `must match this timer's rateClamp (${this.rateClamp})`);
    }
    Object.assign(this.s, parsed.state);
    this.fastSpan = -1;
    this.sync();
    this.notifyTicks();
  }

  /**
   * Cancels the timer's scheduled work and completes its streams; no trigger
   * is delivered afterwards, also when called from its own callback or inside
   * a transaction (whose `commit()` then only closes it). Setters then throw.
   */
  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.needReload = false;
    this.heldExpiry = false;
    this.cancelArm();
    this.action?.unsubscribe();
    this.action = undefined;
    for (const w of [...(this.watchers ?? [])]) w.subscriber.complete();
    this.triggerSubject?.complete();
    this.diagnosticSubject?.complete();
  }

  // ---- internals ---------------------------------------------------------------

  /** This timer seen as its state record (the fields above are exactly PTimerState). */
  private get s(): PTimerState {
    return this as unknown as PTimerState;
  }

  private checkAlive(method: string): void {
    if (this.disposed) throw new PTimerTransactionError(this.name, `${method}() on a disposed timer`);
  }

  private checkMutable(method: string): void {
    this.checkAlive(method);
    if (!this.txOpen) {
      throw new PTimerTransactionError(
        this.name,
        `${method}() outside a transaction: group changes in timer.transaction((t) => { … }) or between begin() and commit()`,
      );
    }
    this.fastSpan = -1;
  }

  /**
   * Span of the next round if the next expiry is a plain periodic reload
   * (reference §1.7 with reason EXPIRY: count and limit non-zero, so no
   * immediate trigger and no substitute span), or -1 if it needs the full
   * algorithm. W adds its one period here, as step 5 does.
   */
  private plainRoundSpan(): number {
    if (this.limit === 0n || this.delta === 0n || (this.period === 0n && this.periodFrac === 0n)) return -1;
    const d = this.wrap ? this.limit + 1n : this.limit;
    const { p, f } = effectivePeriod(this.s, d, this.rateClamp);
    const span = spanNs(d, p, f);
    return span <= SAFE_NS ? Number(span) : -1;
  }

  /** Shared by the period setters: latch the running count, then restart with the new period at commit. */
  private applyPeriod(p: bigint, f: bigint, method: string): void {
    this.checkMutable(method);
    this.latch();
    this.s.period = p;
    this.s.periodFrac = f;
    if (this.s.enabled !== 'stopped') this.needReload = true;
  }

  /** QEMU's latch: the running value becomes the stored count (uses the pre-commit anchor). */
  private latch(): void {
    if (this.s.enabled !== 'stopped') this.s.delta = this.getCount();
  }

  private diagnose(kind: PTimerDiagnostic['kind'], time: number): void {
    const message = `ptimer '${this.name}': timer with ${kind === 'period-zero' ? 'period' : 'delta'} zero, disabling`;
    this.diagnosticSubject?.next({ timer: this.name, time, kind, message });
  }

  /** Delivers one trigger in the callback context; a throwing callback is recorded, not allowed to cut the step short. */
  private trigger(cause: PTimerTriggerCause, time: number): void {
    if (this.disposed) return;
    const observed = this.triggerObservers > 0;
    // Nobody listens: skip building the event (the per-expiry hot path of a bare timer).
    if (this.onTrigger === undefined && !observed) return;
    const event: PTimerTrigger = { timer: this, time, cause };
    this.callbackDepth++;
    try {
      if (this.onTrigger !== undefined) {
        try {
          this.onTrigger(event);
        } catch (error) {
          (this.errors ??= []).push(error);
          this.errorTime = time;
        }
      }
      // rxjs reports errors thrown by subscribers itself (config.onUnhandledError).
      if (observed) this.triggerSubject!.next(event);
    } finally {
      this.callbackDepth--;
    }
  }

  /** Reference §1.7, steps 1-11, with `d` the local span in periods. */
  private reload(reason: ReloadReason, time: number): void {
    const s = this.s;
    this.fastSpan = -1;
    const fl = this.flags;
    if (s.delta === 0n && !fl.noImmediateTrigger && !(reason === COMMIT && fl.triggerOnlyOnDecrement)) {
      this.trigger(reason === COMMIT ? 'commit' : 'expiry', time);
    }
    // Read after the trigger: the callback may have changed any of these.
    let d = s.delta;
    if (d === 0n && !fl.noImmediateReload) {
      s.delta = s.limit;
      d = s.limit;
    }
    if (s.period === 0n && s.periodFrac === 0n) {
      this.diagnose('period-zero', time);
      s.enabled = 'stopped';
      return;
    }
    if (fl.wrapAfterOnePeriod && reason === EXPIRY) d += 1n;
    if (d === 0n && fl.continuousTrigger && s.enabled === 'periodic' && s.limit === 0n) d = 1n;
    if (d === 0n && fl.noImmediateTrigger && reason !== EXPIRY_NOADJ) d = 1n;
    if (d === 0n && fl.noImmediateReload && s.enabled === 'periodic' && s.limit !== 0n) d = 1n;
    if (d === 0n) {
      if (s.enabled === 'stopped') return;
      this.diagnose('delta-zero', time);
      s.enabled = 'stopped';
      return;
    }
    const { p, f } = effectivePeriod(s, d, this.rateClamp);
    const span = spanNs(d, p, f);
    // The anchor is always a reached instant here: the old deadline at expiry, `now` at commit.
    const anchor = s.nextEvent;
    s.lastEvent = anchor;
    setDeadline(s, anchor, span, span <= SAFE_NS ? Number(span) : -1);
    // A re-anchored countdown is armed anew, even onto the same instant: it then runs
    // behind work already armed there (G4 is FIFO by when each timer was armed).
    this.rearm = true;
  }

  /** The commit loop: a re-trigger caused by a callback is handled iteratively, never recursively (G3). */
  private commitLoop(time: number): void {
    let rounds = 0;
    while (this.needReload && this.s.enabled !== 'stopped' && !this.disposed) {
      if (++rounds > MAX_COMMIT_ROUNDS) {
        this.needReload = false;
        throw new PTimerTransactionError(
          this.name,
          `re-triggered more than ${MAX_COMMIT_ROUNDS} times at ${time} ns without time moving (a trigger callback that keeps setting a zero count?)`,
        );
      }
      this.needReload = false;
      this.s.nextEvent = time;
      this.reload(COMMIT, time);
    }
  }

  /** Ends a transaction (user or internal): re-anchor, close, arm, publish ticks, then report callback errors. */
  private finish(time: number): void {
    try {
      if (this.heldExpiry) this.deliverHeldExpiry(time);
      this.commitLoop(time);
    } finally {
      this.txOpen = false;
      this.needReload = false;
      if (!this.disposed) {
        this.sync();
        this.notifyTicks();
      }
    }
    if (this.fastSpan < 0 && this.enabled === 'periodic') this.fastSpan = this.plainRoundSpan();
    const errors = this.errors;
    if (errors !== undefined) {
      this.errors = undefined;
      throw new PTimerCallbackError(this.name, this.errorTime, errors);
    }
  }

  /**
   * The clock work of every timer: the timer travels as the action's state,
   * so an expiry reaches it without a per-timer closure.
   */
  private static readonly expireWork = function expireWork(timer?: PTimer): void {
    timer!.expire();
  };

  /** The deadline came: reference §1.8, with a fast path for a plain periodic round. */
  private expire(): void {
    this.armedAt = undefined;
    const s = this.s;
    if (s.enabled === 'stopped') return;
    const time = this.scheduler.now();
    if (this.txOpen) {
      // Delivering now would run the device inside its own half-done update (G3).
      // The commit delivers it instead, so it is late but not lost (G5).
      this.heldExpiry = true;
      throw new PTimerTransactionError(
        this.name,
        `a transaction was left open while virtual time moved to ${time} ns; the expiry is held until commit()`,
      );
    }
    this.txOpen = true;
    this.needReload = false;
    const span = this.fastSpan;
    if (span >= 0 && s.nextEvent + span <= Number.MAX_SAFE_INTEGER) {
      // Reload, and re-anchor at the old deadline so periods do not drift (§1.7 step 11).
      s.delta = s.limit;
      s.lastEvent = s.nextEvent;
      s.nextEvent += span;
      this.rearm = true;
      this.trigger('expiry', time);
      this.finish(time);
      return;
    }
    this.fastSpan = -1;
    let notify: boolean;
    if (s.enabled === 'oneshot') {
      s.delta = 0n;
      s.enabled = 'stopped';
      notify = true;
    } else {
      const reason = s.delta === 0n || s.limit === 0n ? EXPIRY_NOADJ : EXPIRY;
      notify = this.flags.noImmediateTrigger || reason === EXPIRY;
      s.delta = s.limit;
      this.reload(reason, time);
    }
    if (notify) this.trigger('expiry', time);
    this.finish(time);
  }

  /**
   * An expiry came due while a transaction was left open. If the commit keeps
   * the running countdown, the overdue deadline is simply re-armed and expires
   * normally; if the transaction re-anchored or stopped the timer, the missed
   * expiry is delivered here, once, before the commit applies the new state.
   */
  private deliverHeldExpiry(time: number): void {
    this.heldExpiry = false;
    const keepsDeadline = this.s.enabled !== 'stopped' && !this.needReload;
    if (!keepsDeadline) this.trigger('expiry', time);
  }

  private cancelArm(): void {
    this.armedAt = undefined;
    const action = this.action;
    if (action === undefined) return;
    if (action instanceof VirtualAction) {
      // Taken off the heap but kept, so the next arm reuses it (no allocation).
      action.schedule(undefined, Infinity);
    } else {
      action.unsubscribe();
      this.action = undefined;
    }
  }

  /** Makes the scheduled action match the state: armed at the deadline while running, else idle. */
  private sync(): void {
    const s = this.s;
    if (s.enabled === 'stopped' || s.nextEvent === Infinity) {
      // A deadline past the clock's range can never be reached.
      if (this.armedAt !== undefined) this.cancelArm();
      this.rearm = false;
      return;
    }
    if (this.armedAt === s.nextEvent && !this.rearm) return;
    this.rearm = false;
    this.armedAt = s.nextEvent;
    const delay = s.nextEvent - this.scheduler.now();
    const ns = delay > 0 ? delay : 0;
    const action = this.action as (Subscription & { schedule?: (state?: unknown, delay?: number) => Subscription }) | undefined;
    if (action !== undefined && !action.closed && typeof action.schedule === 'function') {
      this.action = action.schedule(this, ns);
    } else {
      this.action =
        this.scheduler instanceof VirtualClock
          ? this.scheduler.scheduleLabeled(`ptimer '${this.name}' expiry`, PTimer.expireWork, ns, this)
          : this.scheduler.schedule(PTimer.expireWork, ns, this);
    }
  }

  private notifyTicks(): void {
    if (this.watcherCount === 0) return;
    for (const w of this.watchers!) {
      this.emitTick(w);
      this.planTick(w);
    }
  }

  private emitTick(w: TickWatcher): void {
    const count = this.getCount();
    if (count !== w.last) {
      w.last = count;
      w.subscriber.next({ time: this.scheduler.now(), count });
    }
  }

  private planTick(w: TickWatcher): void {
    const now = BigInt(this.scheduler.now());
    const at = nextCountChange(this.s, this.flags, this.rateClamp, now);
    if (at === undefined || at > SAFE_NS) {
      w.at = undefined;
      w.action?.unsubscribe();
      w.action = undefined;
      return;
    }
    if (w.at === at) return;
    w.at = at;
    w.action?.unsubscribe();
    w.action = this.scheduler.schedule(() => {
      w.at = undefined;
      w.action = undefined;
      this.emitTick(w);
      this.planTick(w);
    }, Number(at - now));
  }
}
