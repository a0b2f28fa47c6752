import type { SchedulerAction } from 'rxjs';
import { spanNs } from './arith';
import { effectivePeriod } from './countAt';
import { anchorExact, periodIsZero } from './exact';
import { PTimerCallbackError, PTimerTransactionError } from './errors';
import { cancelArm, sync } from './arming';
import type { PolicyFlags } from './PTimerPolicy';
import { copyState, deadlineOf, setDeadline, type PTimerState } from './PTimerState';
import { notifyTicks, readCount } from './ticks';
import {
  COMMIT,
  EXPIRY,
  EXPIRY_NOADJ,
  NO_RELOAD,
  NO_WRAP,
  type PTimerDiagnostic,
  type PTimerTriggerCause,
  type ReloadReason,
  TimerRecord,
  type TriggerOf,
} from './TimerRecord';

/** Bound on re-trigger rounds in one commit, so a callback that keeps re-triggering cannot hang a run. */
const MAX_COMMIT_ROUNDS = 10_000;
const SAFE_NS = BigInt(Number.MAX_SAFE_INTEGER);


/** What the arithmetic of a reload did: re-anchored the countdown, stopped the timer (with QEMU's diagnostic), or nothing. */
export type ReloadOutcome = 'anchored' | 'idle' | PTimerDiagnostic['kind'];

/** Whether a reload for `reason` first delivers a trigger (a zero count that fires; reference §1.7 step 1). */
export const triggersFirst = (s: PTimerState, flags: PolicyFlags, reason: ReloadReason): boolean =>
  s.delta === 0n && !flags.noImmediateTrigger && !(reason === COMMIT && flags.triggerOnlyOnDecrement);

/**
 * Reference §1.7 after the trigger: reload a zero count, apply the policy's
 * span adjustments and re-anchor the countdown at `s.nextEvent` (always a
 * reached instant here: the old deadline at expiry, now at commit). Pure on
 * the state; a snapshot taken in a callback runs it on a copy.
 */
export const applyReload = (s: PTimerState, flags: PolicyFlags, rateClamp: boolean, reason: ReloadReason): ReloadOutcome => {
  // Whatever happens below, the countdown in progress ends here, and its rest period with it.
  s.wrapReload = NO_WRAP;
  let d = s.delta;
  if (d === 0n && !flags.noImmediateReload) {
    s.delta = s.limit;
    d = s.limit;
  }
  if (periodIsZero(s)) {
    s.enabled = 'stopped';
    return 'period-zero';
  }
  const rest = flags.wrapAfterOnePeriod && reason === EXPIRY;
  if (rest) d += 1n;
  if (d === 0n && flags.continuousTrigger && s.enabled === 'periodic' && s.limit === 0n) d = 1n;
  if (d === 0n && flags.noImmediateTrigger && reason !== EXPIRY_NOADJ) d = 1n;
  if (d === 0n && flags.noImmediateReload && s.enabled === 'periodic' && s.limit !== 0n) d = 1n;
  if (d === 0n) {
    if (s.enabled === 'stopped') return 'idle';
    s.enabled = 'stopped';
    return 'delta-zero';
  }
  if (rest) s.wrapReload = s.delta;
  if (s.exact) {
    anchorExact(s, d);
    return 'anchored';
  }
  const { p, f } = effectivePeriod(s, d, rateClamp);
  const span = spanNs(d, p, f);
  const anchor = s.nextEvent;
  s.lastEvent = anchor;
  setDeadline(s, anchor, span, span <= SAFE_NS ? Number(span) : -1);
  return 'anchored';
};

/** QEMU's "disabling" message on the diagnostics stream. */
export const diagnose = (r: TimerRecord, kind: PTimerDiagnostic['kind'], time: number): void => {
  const message = `ptimer '${r.name}': timer with ${kind === 'period-zero' ? 'period' : 'delta'} zero, disabling`;
  r.diagnosticSubject?.next({ timer: r.name, time, kind, message });
};

/** QEMU's latch: the running value becomes the stored count (uses the pre-commit anchor). */
export const latch = (r: TimerRecord): void => {
  if (r.enabled !== 'stopped') r.delta = readCount(r);
};

/**
 * Span of the next round if the next expiry is a plain periodic reload
 * (reference §1.7 with reason EXPIRY: count and limit non-zero, so no
 * immediate trigger and no substitute span), or -1 if it needs the full
 * algorithm. W adds its one period here, as step 5 does.
 */
const plainRoundSpan = (r: TimerRecord): number => {
  if (r.limit === 0n || r.delta === 0n || periodIsZero(r)) return -1;
  const d = r.flags.wrapAfterOnePeriod ? r.limit + 1n : r.limit;
  if (r.exact) {
    // Whole ns and the phase it adds: an expiry then only adds and carries.
    const units = d * r.periodNum;
    const whole = units / r.periodDen;
    r.fastRem = Number(units % r.periodDen);
    return whole < SAFE_NS ? Number(whole) : -1;
  }
  const { p, f } = effectivePeriod(r, d, r.rateClamp);
  const span = spanNs(d, p, f);
  return span <= SAFE_NS ? Number(span) : -1;
};

/**
 * Delivers one trigger in the callback context (G3): `onTrigger`, then
 * `triggers$`. A throwing callback is recorded, not allowed to cut the step
 * short; `finish` throws it once the timer is consistent (G5).
 */
export const trigger = (r: TimerRecord, cause: PTimerTriggerCause, time: number): void => {
  if (r.disposed) return;
  const observed = r.triggerObservers > 0;
  // Nobody listens: skip building the event (the per-expiry hot path of a bare timer).
  if (r.onTrigger === undefined && !observed) return;
  const event: TriggerOf = { timer: r.owner, time, cause, expiries: cause === 'expiry' ? r.dueExpiries : 1 };
  r.callbackDepth++;
  r.changedInCallback = false;
  try {
    if (r.onTrigger !== undefined) {
      try {
        r.onTrigger(event);
      } catch (error) {
        (r.errors ??= []).push(error);
        r.errorTime = time;
      }
    }
    // rxjs reports errors thrown by subscribers itself (config.onUnhandledError).
    if (observed) r.triggerSubject!.next(event);
  } finally {
    r.callbackDepth--;
    r.changedInCallback = false;
    if (r.joinDepth > 0) {
      // A transaction joined from the callback was never committed: its changes still apply.
      r.joinDepth = 0;
      (r.errors ??= []).push(new PTimerTransactionError(r.name, 'begin() in the trigger callback without a matching commit(); the changes were applied when the callback returned'));
      r.errorTime = time;
    }
  }
};

/** Reference §1.7, steps 1-11: the trigger of a zero count first, then the arithmetic. */
const reload = (r: TimerRecord, reason: ReloadReason, time: number): void => {
  r.fastSpan = -1;
  if (triggersFirst(r, r.flags, reason)) {
    // A snapshot in the callback completes this reload on a copy (the state is mid-reload here).
    r.pendingReload = reason;
    r.reloadSuperseded = false;
    try {
      trigger(r, reason === COMMIT ? 'commit' : 'expiry', time);
    } finally {
      r.pendingReload = NO_RELOAD;
    }
    if (r.reloadSuperseded) {
      // The callback's own transaction re-anchored the countdown at this instant: its state wins.
      r.reloadSuperseded = false;
      return;
    }
  }
  // Read after the trigger: the callback may have changed the state.
  const outcome = applyReload(r, r.flags, r.rateClamp, reason);
  // A re-anchored countdown is armed anew, even onto the same instant: it then runs
  // behind work already armed there (G4 is FIFO by when each timer was armed).
  if (outcome === 'anchored') r.rearm = true;
  else if (outcome !== 'idle') diagnose(r, outcome, time);
};

/**
 * The commit of a transaction joined in the callback context (G3): a change
 * that re-anchors the countdown is applied now, at this instant, so the rest
 * of the callback (a handler's next register access) sees it, as a guest's
 * next access after the expiry would. A zero count that would fire is left
 * to the end of the callback, where its trigger is delivered, never
 * recursively.
 */
export const applyJoined = (r: TimerRecord, time: number): void => {
  if (!r.needReload || r.enabled === 'stopped' || r.disposed) return;
  if (triggersFirst(r, r.flags, COMMIT)) return;
  r.needReload = false;
  r.anchoredRate = undefined;
  r.fastSpan = -1;
  r.nextEvent = time;
  // A transaction is a register write: at the whole ns, as a guest's right after the expiry (G3 keeps the two alike).
  r.nextPhase = 0;
  const outcome = applyReload(r, r.flags, r.rateClamp, COMMIT);
  if (outcome === 'anchored') r.rearm = true;
  else if (outcome !== 'idle') diagnose(r, outcome, time);
  if (r.pendingReload !== NO_RELOAD) r.reloadSuperseded = true;
};

/** The commit loop: a re-trigger caused by a callback is handled iteratively, never recursively (G3). */
const commitLoop = (r: TimerRecord, time: number): void => {
  let rounds = 0;
  while (r.needReload && r.enabled !== 'stopped' && !r.disposed) {
    if (++rounds > MAX_COMMIT_ROUNDS) {
      r.needReload = false;
      throw new PTimerTransactionError(
        r.name,
        `re-triggered more than ${MAX_COMMIT_ROUNDS} times at ${time} ns without time moving (a trigger callback that keeps setting a zero count?)`,
      );
    }
    r.needReload = false;
    // The countdown the transaction found ends here: reads from now on use the new rate.
    r.anchoredRate = undefined;
    r.nextEvent = time;
    r.nextPhase = r.instantPhase;
    reload(r, COMMIT, time);
  }
};

/**
 * An expiry came due while a transaction was left open. If the commit keeps
 * the running countdown, the overdue deadline is simply re-armed and expires
 * normally; if the transaction re-anchored or stopped the timer, the missed
 * expiry is delivered here, once, before the commit applies the new state.
 */
const deliverHeldExpiry = (r: TimerRecord, time: number): void => {
  r.heldExpiry = false;
  const keepsDeadline = r.enabled !== 'stopped' && !r.needReload;
  if (!keepsDeadline) trigger(r, 'expiry', time);
};

/** Ends a transaction (user or internal): re-anchor, close, arm, publish ticks, then report callback errors. */
export const finish = (r: TimerRecord, time: number): void => {
  try {
    if (r.heldExpiry) deliverHeldExpiry(r, time);
    commitLoop(r, time);
  } finally {
    r.txOpen = false;
    r.needReload = false;
    r.anchoredRate = undefined;
    r.instantPhase = 0;
    if (!r.disposed) {
      sync(r, expireWork);
      notifyTicks(r);
    }
  }
  if (r.fastSpan < 0 && r.enabled === 'periodic') r.fastSpan = plainRoundSpan(r);
  const errors = r.errors;
  if (errors !== undefined) {
    r.errors = undefined;
    throw new PTimerCallbackError(r.name, r.errorTime, errors);
  }
};

/** The deadline came: reference §1.8, with a fast path for a plain periodic round. */
const expire = (r: TimerRecord): void => {
  r.armedAt = undefined;
  if (r.enabled === 'stopped') return;
  const time = r.scheduler.now();
  if (r.txOpen) {
    // Delivering now would run the device inside its own half-done update (G3).
    // The commit delivers it instead, so it is late but not lost (G5).
    r.heldExpiry = true;
    throw new PTimerTransactionError(
      r.name,
      `a transaction was left open while virtual time moved to ${time} ns; the expiry is held until commit()`,
    );
  }
  r.txOpen = true;
  r.needReload = false;
  if (r.exact && r.periodNum < r.periodDen) foldDueExpiries(r, time);
  // The exact instant of this expiry: a countdown its callback restarts starts there, as the hardware's would.
  if (r.exact) r.instantPhase = r.nextPhase;
  const span = r.fastSpan;
  if (span >= 0 && r.nextEvent + span < Number.MAX_SAFE_INTEGER) {
    // Reload, and re-anchor at the old deadline so periods do not drift (§1.7
    // step 11); in exact timing the deadline's phase carries into the next
    // round, so no fraction of a ns is lost either.
    r.delta = r.limit;
    // A plain round under W begins with its rest period (plainRoundSpan counted it).
    r.wrapReload = r.flags.wrapAfterOnePeriod ? r.limit : NO_WRAP;
    r.lastEvent = r.nextEvent;
    if (r.exact) {
      r.lastPhase = r.nextPhase;
      let phase = r.nextPhase + r.fastRem;
      let whole = span;
      if (phase >= r.denN) {
        phase -= r.denN;
        whole++;
      }
      r.nextPhase = phase;
      r.nextEvent += whole;
    } else {
      // QEMU timing has no phases (all 0): the round is whole ns.
      r.nextEvent += span;
    }
    r.rearm = true;
    trigger(r, 'expiry', time);
    if (r.plain && r.settled && r.fastSpan === span) {
      // The callback changed nothing (no setter ran: each resets fastSpan) and nothing listens:
      // of finish's work only closing the step and arming the next round are left.
      r.txOpen = false;
      sync(r, expireWork);
      return;
    }
    r.dueExpiries = 1;
    finish(r, time);
    return;
  }
  r.fastSpan = -1;
  let notify: boolean;
  if (r.enabled === 'oneshot') {
    r.delta = 0n;
    r.enabled = 'stopped';
    r.wrapReload = NO_WRAP;
    notify = true;
  } else {
    const reason = r.delta === 0n || r.limit === 0n ? EXPIRY_NOADJ : EXPIRY;
    notify = r.flags.noImmediateTrigger || reason === EXPIRY;
    r.delta = r.limit;
    reload(r, reason, time);
  }
  if (notify) trigger(r, 'expiry', time);
  r.dueExpiries = 1;
  finish(r, time);
};

/**
 * Exact timing with a period under 1 ns: every round of a periodic timer
 * whose deadline falls within this ns is due now. Rounds after a reload are
 * all alike (the count reloads from the limit), so instead of one expiry
 * action per round (which a very short period would turn into a livelock)
 * the deadline moves to the last round due and its one trigger stands for
 * all of them (`expiries`). The first round after a commit may differ from
 * the rest; it runs alone and the others follow in the next action, at the
 * same ns.
 */
const foldDueExpiries = (r: TimerRecord, time: number): void => {
  if (r.enabled !== 'periodic' || r.delta !== r.limit) return;
  const steady = copyState(r);
  steady.nextEvent = 0;
  steady.nextPhase = 0;
  if (applyReload(steady, r.flags, false, r.limit === 0n ? EXPIRY_NOADJ : EXPIRY) !== 'anchored') return;
  // One round, in units of 1/den ns (the copy was anchored at 0).
  const round = deadlineOf(steady) * r.periodDen + BigInt(steady.nextPhase);
  const den = r.periodDen;
  const first = BigInt(r.nextEvent - time) * den + BigInt(r.nextPhase);
  if (first + round >= den) return;
  const due = (den - 1n - first) / round + 1n;
  const last = BigInt(r.nextEvent) * den + BigInt(r.nextPhase) + (due - 1n) * round;
  const before = last - round;
  r.lastEvent = Number(before / den);
  r.lastPhase = Number(before % den);
  r.nextEvent = Number(last / den);
  r.nextPhase = Number(last % den);
  r.dueExpiries = Number(due);
};

/**
 * The clock work of every timer: the record travels as the action's state,
 * so an expiry reaches it without a per-timer closure.
 */
TimerRecord.expire = expire;

export const expireWork = function expireWork(this: SchedulerAction<TimerRecord>, r?: TimerRecord): void {
  expire(r!);
};

/** Cancels the timer's scheduled work for good (dispose). */
export const disarm = (r: TimerRecord): void => {
  cancelArm(r);
  // On a VirtualClock cancelArm took the record itself off the queue; an action of another scheduler is closed here.
  r.action?.unsubscribe();
  r.action = undefined;
};
