import type { Observable, SchedulerLike, Subject, Subscriber, Subscription } from 'rxjs';
import { labelOf, workTag, type WorkTag } from '../clock/WorkTag';
import type { PolicyFlags } from './PTimerPolicy';
import type { PTimerMode, PTimerState } from './PTimerState';
import type { CountForecastEntry } from './countForecast';

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

/** The fields of a {@link TimerRecord} that most timers never change from their defaults: made on the first change. */
class TimerExtra {
  nextPhase: number = 0;
  lastPhase: number = 0;
  fastRem: number = 0;
  instantPhase: number = 0;
  dueExpiries: number = 1;
  triggerObservers: number = 0;
  joinDepth: number = 0;
  watcherCount: number = 0;
  errorTime: number = 0;
  pendingReload: ReloadReason | typeof NO_RELOAD = NO_RELOAD;
  farNextEvent: bigint = 0n;
  anchoredRate: AnchoredRate | undefined = undefined;
  errors: unknown[] | undefined = undefined;
  action: Subscription | undefined = undefined;
  triggerSubject: Subject<TriggerOf> | undefined = undefined;
  diagnosticSubject: Subject<PTimerDiagnostic> | undefined = undefined;
  watchers: Set<TickWatcher> | undefined = undefined;
  expiryTag: WorkTag | undefined = undefined;
  triggerStream: Observable<unknown> | undefined = undefined;
  diagnosticStream: Observable<PTimerDiagnostic> | undefined = undefined;
  tickStream: Observable<PTimerTick> | undefined = undefined;
  forecastCache: CountForecastEntry | undefined = undefined;
}

const BIT_RATE_CLAMP = 1;
const BIT_EXACT = 2;
const BIT_TX_OPEN = 4;
const BIT_NEED_RELOAD = 8;
const BIT_REARM = 16;
const BIT_DISPOSED = 32;
const BIT_CHANGED_IN_CALLBACK = 64;
const BIT_HELD_EXPIRY = 128;
const BIT_USER_TX = 256;
const BIT_RELOAD_SUPERSEDED = 512;

/**
 * Everything one timer is at run time: its state (the {@link PTimerState}
 * fields, which snapshots cover), its transaction and callback context, its
 * arming on the scheduler and its listeners. It knows the public timer
 * object handed to callbacks (`owner`), and on a VirtualClock it is its own
 * queue entry, so an expiry touches this record and nothing else of the
 * timer (this matters when thousands of timers take turns: bench/RESULTS.md).
 *
 * It is kept small, because a device pays it per channel: the fields an
 * expiry or a plain transaction uses are own fields (the booleans packed in
 * one number), and the rest, which most timers leave at their defaults
 * (exact timing's phases, listeners, streams, errors), live on a side
 * record made on the first write of another value. Both sit behind
 * accessors, so the code over the record reads and writes plain properties.
 *
 * Private to src/ptimer: the arithmetic (reload.ts), the arming (arming.ts)
 * and the tick watchers (ticks.ts) are functions over it; PTimer is its API.
 */
export class TimerRecord implements PTimerState {
  /**
   * The expiry step (reload.ts's, set there: that module builds on this one).
   * On a VirtualClock the record is its own queue entry and the clock
   * runs it through {@link TimerRecord.execute}.
   */
  static expire: (r: TimerRecord) => void;

  // Declaration order is layout order: what an expiry reads and writes comes first, so that with thousands
  // of timers taking turns one expiry touches as few cache lines of the record as it can.
  // Queue entry fields, used when the scheduler is a VirtualClock (see VirtualClock's QueuedWork): due time, FIFO seq, heap slot.
  time = 0;
  seq = 0;
  index = -1;
  /** The flags of {@link TimerRecord}'s boolean accessors, one bit each. */
  private bits: number;
  enabled: PTimerMode = 'stopped';
  /**
   * Span (ns) of the next expiry's round when it is a plain periodic reload
   * (delta and limit non-zero, span within range), else -1. Any setter or
   * reload resets it; `finish` recomputes it, so a periodic timer left alone
   * expires without bigint work.
   */
  fastSpan = -1;
  nextEvent: number;
  lastEvent: number;
  delta = 0n;
  limit = 0n;
  wrapReload = NO_WRAP;
  /** Deadline the expiry is queued for, or `undefined` when it is not queued. */
  armedAt: number | undefined = undefined;
  /** >0 while the trigger callback (and `triggers$` subscribers) run: the callback context. */
  callbackDepth = 0;
  /** The fields most timers leave at their defaults (see {@link TimerExtra}); made on the first other value. */
  private extra: TimerExtra | undefined = undefined;
  /** The device's callback. */
  readonly onTrigger: ((trigger: TriggerOf) => void) | undefined;
  /** The public timer object handed to callbacks. */
  readonly owner: object;
  /** The policy's flags (shared by every timer with that policy). */
  readonly flags: PolicyFlags;
  readonly scheduler: SchedulerLike;
  period = 0n;
  periodFrac = 0n;
  /**
   * The period as a fraction (see PTimerState), and its denominator as a
   * number for the per-expiry path (1 in QEMU timing). Own fields, not on the
   * side record: every timer given a frequency sets them (a device's always).
   */
  periodNum = 0n;
  periodDen = 1n;
  denN = 1;
  readonly name: string;

  constructor(
    owner: object,
    scheduler: SchedulerLike,
    flags: PolicyFlags,
    rateClamp: boolean,
    exact: boolean,
    name: string,
    onTrigger: ((trigger: TriggerOf) => void) | undefined,
  ) {
    this.bits = (rateClamp ? BIT_RATE_CLAMP : 0) | (exact ? BIT_EXACT : 0);
    this.onTrigger = onTrigger;
    this.owner = owner;
    this.flags = flags;
    this.scheduler = scheduler;
    this.name = name;
    // QEMU anchors a new timer at virtual time 0; anchoring at creation keeps a
    // latch in its first transaction independent of the clock's origin.
    this.lastEvent = this.nextEvent = scheduler.now();
  }

  /** Whether the record has no side record: every {@link TimerExtra} field is at its default (no listeners, errors, phases). */
  get plain(): boolean {
    return this.extra === undefined;
  }

  /**
   * Whether a transaction or callback left `finish` nothing beyond closing
   * and arming: no re-anchor, held expiry or disposal.
   */
  get settled(): boolean {
    return (this.bits & (BIT_NEED_RELOAD | BIT_HELD_EXPIRY | BIT_DISPOSED)) === 0;
  }

  /** The side record, made now. */
  private more(): TimerExtra {
    return (this.extra ??= new TimerExtra());
  }

  /** Whether the periodic rate clamp is on. */
  get rateClamp(): boolean {
    return (this.bits & BIT_RATE_CLAMP) !== 0;
  }

  set rateClamp(on: boolean) {
    this.bits = on ? this.bits | BIT_RATE_CLAMP : this.bits & ~BIT_RATE_CLAMP;
  }

  /** Exact timing (see PTimerState). */
  get exact(): boolean {
    return (this.bits & BIT_EXACT) !== 0;
  }

  set exact(on: boolean) {
    this.bits = on ? this.bits | BIT_EXACT : this.bits & ~BIT_EXACT;
  }

  /** QEMU's in_transaction: a user transaction or the timer's own (expiry, callback context). */
  get txOpen(): boolean {
    return (this.bits & BIT_TX_OPEN) !== 0;
  }

  set txOpen(on: boolean) {
    this.bits = on ? this.bits | BIT_TX_OPEN : this.bits & ~BIT_TX_OPEN;
  }

  /** The open transaction re-anchors the countdown at commit. */
  get needReload(): boolean {
    return (this.bits & BIT_NEED_RELOAD) !== 0;
  }

  set needReload(on: boolean) {
    this.bits = on ? this.bits | BIT_NEED_RELOAD : this.bits & ~BIT_NEED_RELOAD;
  }

  /** The countdown was re-anchored since the last arm, so the next sync arms anew. */
  get rearm(): boolean {
    return (this.bits & BIT_REARM) !== 0;
  }

  set rearm(on: boolean) {
    this.bits = on ? this.bits | BIT_REARM : this.bits & ~BIT_REARM;
  }

  /** The timer was disposed. */
  get disposed(): boolean {
    return (this.bits & BIT_DISPOSED) !== 0;
  }

  set disposed(on: boolean) {
    this.bits = on ? this.bits | BIT_DISPOSED : this.bits & ~BIT_DISPOSED;
  }

  /** A setter ran in the current callback context: its changes apply when the callback returns. */
  get changedInCallback(): boolean {
    return (this.bits & BIT_CHANGED_IN_CALLBACK) !== 0;
  }

  set changedInCallback(on: boolean) {
    this.bits = on ? this.bits | BIT_CHANGED_IN_CALLBACK : this.bits & ~BIT_CHANGED_IN_CALLBACK;
  }

  /** An expiry came due while a user transaction was open (see deliverHeldExpiry). */
  get heldExpiry(): boolean {
    return (this.bits & BIT_HELD_EXPIRY) !== 0;
  }

  set heldExpiry(on: boolean) {
    this.bits = on ? this.bits | BIT_HELD_EXPIRY : this.bits & ~BIT_HELD_EXPIRY;
  }

  /** The open transaction is the user's (begin/transaction), not the timer's own. */
  get userTx(): boolean {
    return (this.bits & BIT_USER_TX) !== 0;
  }

  set userTx(on: boolean) {
    this.bits = on ? this.bits | BIT_USER_TX : this.bits & ~BIT_USER_TX;
  }

  /** A transaction joined in the callback re-anchored the countdown: the interrupted reload is superseded. */
  get reloadSuperseded(): boolean {
    return (this.bits & BIT_RELOAD_SUPERSEDED) !== 0;
  }

  set reloadSuperseded(on: boolean) {
    this.bits = on ? this.bits | BIT_RELOAD_SUPERSEDED : this.bits & ~BIT_RELOAD_SUPERSEDED;
  }

  /** The deadline's phase (exact timing; see PTimerState). */
  get nextPhase(): number {
    const x = this.extra;
    return x === undefined ? 0 : x.nextPhase;
  }

  set nextPhase(value: number) {
    if (this.extra === undefined && value === 0) return;
    this.more().nextPhase = value;
  }

  /** The anchor's phase (exact timing; see PTimerState). */
  get lastPhase(): number {
    const x = this.extra;
    return x === undefined ? 0 : x.lastPhase;
  }

  set lastPhase(value: number) {
    if (this.extra === undefined && value === 0) return;
    this.more().lastPhase = value;
  }

  /** Exact timing: the fraction of a ns (units of 1/den) the plain round adds beyond `fastSpan`; 0 in QEMU timing. */
  get fastRem(): number {
    const x = this.extra;
    return x === undefined ? 0 : x.fastRem;
  }

  set fastRem(value: number) {
    if (this.extra === undefined && value === 0) return;
    this.more().fastRem = value;
  }

  /** Exact timing: the phase of the instant the timer's own expiry step runs at (its deadline's), so a countdown the callback restarts with direct setter calls (the device's own reload at the edge) starts at the exact expiry instant; 0 outside an expiry step. A transaction joined in the callback is a register write and restarts at the whole ns, as a guest's. */
  get instantPhase(): number {
    const x = this.extra;
    return x === undefined ? 0 : x.instantPhase;
  }

  set instantPhase(value: number) {
    if (this.extra === undefined && value === 0) return;
    this.more().instantPhase = value;
  }

  /** Expiries the current expiry stands for (exact timing folds those due within one ns into one trigger). */
  get dueExpiries(): number {
    const x = this.extra;
    return x === undefined ? 1 : x.dueExpiries;
  }

  set dueExpiries(value: number) {
    if (this.extra === undefined && value === 1) return;
    this.more().dueExpiries = value;
  }

  /** Subscribers of `triggers$`. */
  get triggerObservers(): number {
    const x = this.extra;
    return x === undefined ? 0 : x.triggerObservers;
  }

  set triggerObservers(value: number) {
    if (this.extra === undefined && value === 0) return;
    this.more().triggerObservers = value;
  }

  /** Transactions opened from the callback context that joined it (G3): begin/commit only count. */
  get joinDepth(): number {
    const x = this.extra;
    return x === undefined ? 0 : x.joinDepth;
  }

  set joinDepth(value: number) {
    if (this.extra === undefined && value === 0) return;
    this.more().joinDepth = value;
  }

  /** Subscribers of `ticks$`. */
  get watcherCount(): number {
    const x = this.extra;
    return x === undefined ? 0 : x.watcherCount;
  }

  set watcherCount(value: number) {
    if (this.extra === undefined && value === 0) return;
    this.more().watcherCount = value;
  }

  /** Virtual time of the first error in `errors`. */
  get errorTime(): number {
    const x = this.extra;
    return x === undefined ? 0 : x.errorTime;
  }

  set errorTime(value: number) {
    if (this.extra === undefined && value === 0) return;
    this.more().errorTime = value;
  }

  /** The reload a trigger callback interrupted (the trigger comes first for a zero count), or NO_RELOAD. */
  get pendingReload(): ReloadReason | typeof NO_RELOAD {
    const x = this.extra;
    return x === undefined ? NO_RELOAD : x.pendingReload;
  }

  set pendingReload(value: ReloadReason | typeof NO_RELOAD) {
    if (this.extra === undefined && value === NO_RELOAD) return;
    this.more().pendingReload = value;
  }

  /** The exact deadline when `nextEvent` is `Infinity` (see PTimerState). */
  get farNextEvent(): bigint {
    const x = this.extra;
    return x === undefined ? 0n : x.farNextEvent;
  }

  set farNextEvent(value: bigint) {
    if (this.extra === undefined && value === 0n) return;
    this.more().farNextEvent = value;
  }

  /** The rate the running countdown was anchored with, kept when a period setter replaced it in the open transaction (or callback context) and the commit has not re-anchored yet: until then reads, and so the latch of a `stop()` or of a second period setter, count the old countdown at its own rate (docs/semantics.md §3). `undefined` otherwise. */
  get anchoredRate(): AnchoredRate | undefined {
    const x = this.extra;
    return x === undefined ? undefined : x.anchoredRate;
  }

  set anchoredRate(value: AnchoredRate | undefined) {
    if (this.extra === undefined && value === undefined) return;
    this.more().anchoredRate = value;
  }

  /** Errors thrown by the trigger callback, thrown once the step is complete. */
  get errors(): unknown[] | undefined {
    const x = this.extra;
    return x === undefined ? undefined : x.errors;
  }

  set errors(value: unknown[] | undefined) {
    if (this.extra === undefined && value === undefined) return;
    this.more().errors = value;
  }

  /** The expiry action on a scheduler other than a VirtualClock (on one, the record is its own queue entry). */
  get action(): Subscription | undefined {
    const x = this.extra;
    return x === undefined ? undefined : x.action;
  }

  set action(value: Subscription | undefined) {
    if (this.extra === undefined && value === undefined) return;
    this.more().action = value;
  }

  /** Behind `triggers$`, made on first subscription. */
  get triggerSubject(): Subject<TriggerOf> | undefined {
    const x = this.extra;
    return x === undefined ? undefined : x.triggerSubject;
  }

  set triggerSubject(value: Subject<TriggerOf> | undefined) {
    if (this.extra === undefined && value === undefined) return;
    this.more().triggerSubject = value;
  }

  /** Behind `diagnostics$`, made on first subscription. */
  get diagnosticSubject(): Subject<PTimerDiagnostic> | undefined {
    const x = this.extra;
    return x === undefined ? undefined : x.diagnosticSubject;
  }

  set diagnosticSubject(value: Subject<PTimerDiagnostic> | undefined) {
    if (this.extra === undefined && value === undefined) return;
    this.more().diagnosticSubject = value;
  }

  /** The `ticks$` subscribers. */
  get watchers(): Set<TickWatcher> | undefined {
    const x = this.extra;
    return x === undefined ? undefined : x.watchers;
  }

  set watchers(value: Set<TickWatcher> | undefined) {
    if (this.extra === undefined && value === undefined) return;
    this.more().watchers = value;
  }

  /** The expiry's work tag, made on first use. */
  get expiryTag(): WorkTag | undefined {
    const x = this.extra;
    return x === undefined ? undefined : x.expiryTag;
  }

  set expiryTag(value: WorkTag | undefined) {
    if (this.extra === undefined && value === undefined) return;
    this.more().expiryTag = value;
  }

  /** The public timer's `triggers$`, built on first use. */
  get triggerStream(): Observable<unknown> | undefined {
    const x = this.extra;
    return x === undefined ? undefined : x.triggerStream;
  }

  set triggerStream(value: Observable<unknown> | undefined) {
    if (this.extra === undefined && value === undefined) return;
    this.more().triggerStream = value;
  }

  /** The public timer's `diagnostics$`, built on first use. */
  get diagnosticStream(): Observable<PTimerDiagnostic> | undefined {
    const x = this.extra;
    return x === undefined ? undefined : x.diagnosticStream;
  }

  set diagnosticStream(value: Observable<PTimerDiagnostic> | undefined) {
    if (this.extra === undefined && value === undefined) return;
    this.more().diagnosticStream = value;
  }

  /** The public timer's `ticks$`, built on first use. */
  get tickStream(): Observable<PTimerTick> | undefined {
    const x = this.extra;
    return x === undefined ? undefined : x.tickStream;
  }

  set tickStream(value: Observable<PTimerTick> | undefined) {
    if (this.extra === undefined && value === undefined) return;
    this.more().tickStream = value;
  }

  /** The public timer's last forecast and the state it was made from. */
  get forecastCache(): CountForecastEntry | undefined {
    const x = this.extra;
    return x === undefined ? undefined : x.forecastCache;
  }

  set forecastCache(value: CountForecastEntry | undefined) {
    if (this.extra === undefined && value === undefined) return;
    this.more().forecastCache = value;
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
