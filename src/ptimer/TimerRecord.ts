import type { SchedulerLike, Subject, Subscriber, Subscription } from 'rxjs';
import { labelOf, workTag, type WorkTag } from '../clock/WorkTag';
import type { PolicyFlags } from './PTimerPolicy';
import type { PTimerMode, PTimerState } from './PTimerState';

/** Why a trigger was delivered: the deadline passed, or a committed change left a zero count. */
export type PTimerTriggerCause = 'expiry' | 'commit';

/** A trigger as the record delivers it; `timer` is the public timer object (PTimer narrows the type: this module needs no PTimer import). */
export interface TriggerOf {
  readonly timer: unknown;
  readonly time: number;
  readonly cause: PTimerTriggerCause;
  readonly expiries: number;
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

/** The fields that give a countdown its rate: its period, and in exact timing the phases measured in it. */
export type AnchoredRate = Pick<PTimerState, 'period' | 'periodFrac' | 'periodNum' | 'periodDen' | 'lastPhase' | 'nextPhase'>;

/** One subscriber of `ticks$` and where its next tick is planned. */
export interface TickWatcher {
  readonly subscriber: Subscriber<PTimerTick>;
  last: bigint;
  at: bigint | undefined;
  action: Subscription | undefined;
}

/** Reload reasons of reference §1.7, numerically as QEMU uses them in the W adjustment. */
export const COMMIT = 0;
/** A deadline passed with count and limit non-zero. */
export const EXPIRY = 1;
/** A deadline passed with a zero count or limit: no W adjustment. */
export const EXPIRY_NOADJ = -1;
/** Why a reload happens (reference §1.7). */
export type ReloadReason = typeof COMMIT | typeof EXPIRY | typeof EXPIRY_NOADJ;
/** No reload is waiting on a trigger callback. */
export const NO_RELOAD = 2;

/**
 * `wrapReload` when the countdown has no rest period. A module constant: a `-1n` literal in an
 * expression is a negation evaluated (and a BigInt allocated) each time, on every expiry.
 */
export const NO_WRAP = -1n;

/**
 * Everything one timer is at run time: its state (the {@link PTimerState}
 * fields, which snapshots cover), its transaction and callback context, its
 * arming on the scheduler and its listeners. One flat object, so an expiry
 * touches the clock's action and this record and nothing else (this matters
 * when thousands of timers take turns: bench/RESULTS.md). It knows the public
 * timer object handed to callbacks (`owner`).
 *
 * Private to src/ptimer: the arithmetic (reload.ts), the arming (arming.ts)
 * and the tick watchers (ticks.ts) are functions over it; PTimer is its API.
 */
export class TimerRecord implements PTimerState {
  /**
   * The expiry step (reload.ts's, set there: that module builds on this one).
   * On a {@link VirtualClock} the record is its own queue entry and the clock
   * runs it through {@link TimerRecord.execute}.
   */
  static expire: (r: TimerRecord) => void;

  // Declaration order is layout order: the fields an expiry reads and writes come first, so that
  // with thousands of timers taking turns one expiry touches a few cache lines of the record, not all of it.
  enabled: PTimerMode = 'stopped';
  /** QEMU's in_transaction: a user transaction or the timer's own (expiry, callback context). */
  txOpen = false;
  /**
   * Span (ns) of the next expiry's round when it is a plain periodic reload
   * (delta and limit non-zero, span within range), else -1. Any setter or
   * reload resets it; `finish` recomputes it, so a periodic timer left alone
   * expires without bigint work.
   */
  fastSpan = -1;
  nextEvent: number;
  nextPhase = 0;
  delta = 0n;
  limit = 0n;
  wrapReload = NO_WRAP;
  lastEvent: number;
  lastPhase = 0;
  /** Exact timing: the fraction of a ns (units of 1/den) the plain round adds beyond `fastSpan`; 0 in QEMU timing. */
  fastRem = 0;
  /** `periodDen` as a number, for the per-expiry path (1 in QEMU timing). */
  denN = 1;
  /** The countdown was re-anchored since the last arm, so the next sync arms anew. */
  rearm = false;
  /** Expiries the current expiry action stands for (exact timing folds those due within one ns into one trigger). */
  dueExpiries = 1;
  /** Deadline the action is queued for, or `undefined` when it is not queued. */
  armedAt: number | undefined = undefined;
  action: Subscription | undefined = undefined;
  needReload = false;
  /**
   * Exact timing: the phase of the instant the timer's own expiry step runs
   * at (its deadline's), so a countdown the callback restarts with direct
   * setter calls (the device's own reload at the edge) starts at the exact
   * expiry instant; 0 outside an expiry step. A transaction joined in the
   * callback is a register write and restarts at the whole ns, as a guest's.
   */
  instantPhase = 0;
  disposed = false;
  triggerObservers = 0;
  /** >0 while the trigger callback (and `triggers$` subscribers) run: the callback context. */
  callbackDepth = 0;
  /** A setter ran in the current callback context: its changes apply when the callback returns. */
  changedInCallback = false;
  /** Transactions opened from the callback context that joined it (G3): begin/commit only count. */
  joinDepth = 0;
  /** An expiry came due while a user transaction was open (see deliverHeldExpiry). */
  heldExpiry = false;
  /**
   * The rate the running countdown was anchored with, kept when a period
   * setter replaced it in the open transaction (or callback context) and
   * the commit has not re-anchored yet: until then reads, and so the latch
   * of a `stop()` or of a second period setter, count the old countdown at
   * its own rate (docs/semantics.md §3). `undefined` otherwise.
   */
  anchoredRate: AnchoredRate | undefined = undefined;
  errors: unknown[] | undefined = undefined;
  watcherCount = 0;
  period = 0n;
  periodFrac = 0n;
  periodNum = 0n;
  periodDen = 1n;
  farNextEvent = 0n;
  userTx = false;
  /** The reload a trigger callback interrupted (the trigger comes first for a zero count), or NO_RELOAD. */
  pendingReload: ReloadReason | typeof NO_RELOAD = NO_RELOAD;
  /** A transaction joined in the callback re-anchored the countdown: the interrupted reload is superseded. */
  reloadSuperseded = false;
  errorTime = 0;
  // Subjects and tags are created on first use (an idle timer stays small).
  triggerSubject: Subject<TriggerOf> | undefined = undefined;
  diagnosticSubject: Subject<PTimerDiagnostic> | undefined = undefined;
  watchers: Set<TickWatcher> | undefined = undefined;
  expiryTag: WorkTag | undefined = undefined;
  // Queue entry fields, used when the scheduler is a VirtualClock (see VirtualClock's QueuedWork): due time, FIFO seq, heap slot.
  time = 0;
  seq = 0;
  index = -1;

  constructor(
    readonly owner: object,
    readonly scheduler: SchedulerLike,
    readonly flags: PolicyFlags,
    readonly rateClamp: boolean,
    readonly exact: boolean,
    readonly name: string,
    readonly onTrigger: ((trigger: TriggerOf) => void) | undefined,
  ) {
    // QEMU anchors a new timer at virtual time 0; anchoring at creation keeps a
    // latch in its first transaction independent of the clock's origin.
    this.lastEvent = this.nextEvent = scheduler.now();
  }

  /** The expiry's work tag (made on first use: a timer nobody observes keeps none). */
  get tag(): WorkTag {
    return (this.expiryTag ??= workTag('expiry', this.name));
  }

  /** The expiry's diagnostic label. */
  get label(): string {
    return labelOf(this.tag);
  }

  /** Runs the expiry (the clock calls this once it has taken the record off its queue). */
  execute(): void {
    TimerRecord.expire(this);
  }

  /** The clock dropped the queued expiry (`cancelAll`): it stays dropped until the timer re-arms, as a cancelled action would. */
  unsubscribe(): void {}
}
