import { isObservable } from 'rxjs';
import type { GuestAccess } from '../src/bus/GuestAccess';
import { IrqLine, type IrqSignal } from '../src/irq/IrqLine';
import { accessRule, DriverCommandError, nsRule } from './errors';
import { isWellFormedAccess } from './isWellFormedAccess';

/** Driver command: resume `ns` nanoseconds later. */
export interface WaitCommand {
  /** Discriminant. */
  readonly kind: 'wait';
  /** Whole, non-negative ns. */
  readonly ns: number;
}

/** Driver command: resume at virtual time `time`. */
export interface WaitUntilCommand {
  /** Discriminant. */
  readonly kind: 'wait-until';
  /** Absolute virtual time in ns on the driver's scheduler, not in the past. */
  readonly time: number;
}

/** Driver command: resume once `signal` reaches `level`. */
export interface WaitForIrqCommand {
  /** Discriminant. */
  readonly kind: 'wait-for-irq';
  /** The interrupt line (or combination of lines) to watch. */
  readonly signal: IrqSignal;
  /** The level to wait for (`true`: raised). */
  readonly level: boolean;
}

/**
 * What a guest driver (see `runDriver`) may yield: a guest access (performed
 * at once; the driver receives the value read, or `undefined` for a write),
 * or one of the waits (the driver receives `undefined` when it resumes).
 */
export type DriverCommand = GuestAccess | WaitCommand | WaitUntilCommand | WaitForIrqCommand;

/** What a driver receives back for a command: the value read for a read, else `undefined`. */
export type DriverInput = number | undefined;

/**
 * A driver command that resumes the driver `ns` nanoseconds of virtual time
 * later. `wait(0)` resumes at the same instant, after the work already
 * queued for it: a driver's way to let the rest of the instant happen.
 *
 * Ordering: preserves G4 — the wake-up is scheduled like any other work,
 * FIFO at its instant.
 *
 * ## Example
 * ```ts
 * // 1 frame = 1 000 ns
 * runDriver(function* () {
 *   yield guestWrite(DATA, 1); // frame 0
 *   yield wait(3_000);
 *   yield guestWrite(DATA, 2); // frame 3
 * }, { device, scheduler: ns });  // results: 'a--(b|)'
 * ```
 *
 * @param ns - whole, non-negative ns
 * @returns the command, to `yield`
 * @throws DriverCommandError for a negative, fractional, non-finite or unsafe `ns`
 * @see runDriver
 * @see waitUntil
 */
export const wait = (ns: number): WaitCommand => {
  const rule = nsRule(ns);
  if (rule !== undefined) throw new DriverCommandError(ns, rule, 'wait(ns)');
  return { kind: 'wait', ns };
};

/**
 * A driver command that resumes the driver at virtual time `time` (ns on the
 * driver's scheduler). A time equal to now behaves like `wait(0)`; a time in
 * the past makes the driver stream error with a {@link DriverCommandError}
 * (nothing is silently clamped).
 *
 * Ordering: preserves G4 — the wake-up is scheduled like any other work,
 * FIFO at its instant.
 *
 * ## Example
 * ```ts
 * // 1 frame = 1 000 ns
 * runDriver(function* () {
 *   yield waitUntil(4_000);
 *   yield guestRead(DATA);     // frame 4
 * }, { device, scheduler: ns });  // results: '----(a|)'
 * ```
 *
 * @param time - absolute virtual time, whole non-negative ns
 * @returns the command, to `yield`
 * @throws DriverCommandError for a negative, fractional, non-finite or unsafe `time`
 * @see runDriver
 * @see wait
 */
export const waitUntil = (time: number): WaitUntilCommand => {
  const rule = nsRule(time);
  if (rule !== undefined) throw new DriverCommandError(time, rule, 'waitUntil(time)');
  return { kind: 'wait-until', time };
};

/**
 * A driver command that resumes the driver when `signal` reaches `level`.
 *
 * - If the line is already at `level` when the command is yielded, the driver
 *   goes on at once, in the same step: nothing else runs in between, so what
 *   it reads next is the state in which it found the line at that level.
 * - Otherwise it resumes at the instant of the change, but in a step of its
 *   own, scheduled (delay 0) when the line changes: after the work that moved
 *   the line has returned, and after the work already queued for that
 *   instant. A CPU takes an interrupt between instructions, never inside the
 *   device's emulation; resuming inside the change would run guest accesses
 *   inside the device's callback (where a timer is in its callback context
 *   and the device may not have finished its update).
 * - It wakes on any change to `level`, a pulse included: it does not check
 *   the level again when it resumes, so a pulse (high and low again in one
 *   instant) still wakes it, and the driver reads the line if it cares.
 *
 * Ordering: relies on G1 — the device raises its line at the end of its
 * expiry step, with its state consistent, and the driver resumes only after
 * that step, so it can never see the line raised and the device half-updated;
 * preserves G4 — the wake-up is FIFO at the instant of the change.
 *
 * ## Example
 * ```ts
 * // 1 frame = 1 000 ns; the device's timer raises `device.irq` at frame 5
 * runDriver(function* () {
 *   yield waitForIrq(device.irq);
 *   yield guestRead(STATUS);   // frame 5, after the expiry's step
 * }, { device, scheduler: ns });  // results: '-----(a|)'
 * ```
 *
 * @param signal - the interrupt line (or combination of lines)
 * @param level - the level to wait for, default `true` (raised)
 * @returns the command, to `yield`
 * @throws DriverCommandError if `signal` is not an `IrqSignal` or `level` not a boolean
 * @see runDriver
 */
export const waitForIrq = (signal: IrqSignal, level = true): WaitForIrqCommand => {
  const rule = signalRule(signal, level);
  if (rule !== undefined) throw new DriverCommandError(rule.value, rule.rule, `waitForIrq(${rule.field})`);
  const command: WaitForIrqCommand = Object.freeze({ kind: 'wait-for-irq', signal, level });
  checkedWaits.add(command);
  return command;
};

/**
 * The commands {@link waitForIrq} made (checked, and frozen so they stay so): a driver yields the same one
 * at every tick, and checking its signal again cost every wait a look at `level$` (#19).
 */
const checkedWaits = new WeakSet<object>();

const signalRule = (
  signal: unknown,
  level: unknown,
): { field: 'signal' | 'level'; value: unknown; rule: string } | undefined => {
  const s = signal as Partial<IrqSignal> | null;
  // A line is one without a look at `level$`, which a line builds on first read (#19: memory per line).
  if (!(signal instanceof IrqLine) && (typeof signal !== 'object' || s === null || typeof s.level !== 'boolean' || !isObservable(s.level$))) {
    return { field: 'signal', value: signal, rule: 'must be an IrqSignal (level and level$)' };
  }
  if (typeof level !== 'boolean') return { field: 'level', value: level, rule: 'must be a boolean' };
  return undefined;
};

/**
 * Checks a value a driver yielded, including commands it built by hand.
 * @param value - what the driver yielded
 * @param now - the driver's current virtual time (for `waitUntil`)
 * @returns the command
 * @throws DriverCommandError naming the value and the rule
 * @internal
 */
export const checkCommand = (value: unknown, now: number): DriverCommand => {
  const what = 'runDriver: yielded command';
  if (typeof value !== 'object' || value === null) {
    throw new DriverCommandError(value, 'must be a guest access or a command from wait, waitUntil or waitForIrq', what);
  }
  const c = value as { kind?: unknown; ns?: unknown; time?: unknown; signal?: unknown; level?: unknown };
  switch (c.kind) {
    case 'read':
    case 'write': {
      // The quick check settles the usual case without building an access (see isWellFormedAccess).
      if (isWellFormedAccess(value)) break;
      const rule = accessRule(value);
      if (rule !== undefined) throw new DriverCommandError(value, rule, what);
      break;
    }
    case 'wait': {
      const rule = nsRule(c.ns);
      if (rule !== undefined) throw new DriverCommandError(value, `ns ${rule}`, what);
      break;
    }
    case 'wait-until': {
      const rule = nsRule(c.time);
      if (rule !== undefined) throw new DriverCommandError(value, `time ${rule}`, what);
      if ((c.time as number) < now) {
        throw new DriverCommandError(value, `time must not be in the past (now is ${now} ns)`, what);
      }
      break;
    }
    case 'wait-for-irq': {
      if (checkedWaits.has(c)) break;
      const rule = signalRule(c.signal, c.level);
      if (rule !== undefined) throw new DriverCommandError(value, `${rule.field} ${rule.rule}`, what);
      break;
    }
    default:
      throw new DriverCommandError(value, 'must be a guest access or a command from wait, waitUntil or waitForIrq', what);
  }
  return value as DriverCommand;
};
