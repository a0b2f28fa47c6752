import { isObservable, type SchedulerLike } from 'rxjs';
import { BusRangeError } from '../src/bus/errors';
import { guestRead, guestWrite } from '../src/bus/GuestAccess';
import { ArgumentError } from '../src/shared/ArgumentError';
import { describeValue } from '../src/shared/describeValue';

/**
 * A value given to an operator or creation function by its caller breaks a
 * rule: a scheduler that is not a `SchedulerLike`, a negative delay, a
 * history that is not a whole number, a stream value that is not a guest
 * access. The message names the argument, the value and the rule.
 *
 * Bad *guest* accesses (an unmapped offset, a write to a read-only register)
 * are not errors: the device reports them as `guest-error` events.
 *
 * @see TimedAccessError
 * @see DriverCommandError
 */
export class OperatorArgumentError extends ArgumentError {
  /** The error's class name, `'OperatorArgumentError'` (kept when the code is minified). */
  override readonly name: string = 'OperatorArgumentError';
  /**
   * Builds the error; the message reads `<what>: <value> is invalid: <rule>`.
   *
   * @param value - the offending value, as given
   * @param rule - the rule it breaks, in words
   * @param what - which argument it was, e.g. `'deliverAsBottomHalf(delay)'`
   * @param options - `cause`, when the rule was found broken by another check
   */
  constructor(value: unknown, rule: string, what: string, options?: ErrorOptions) {
    super(what, value, rule, options);
  }
}

/**
 * An entry of the array given to `accessesFrom` is malformed: its time is
 * negative, not a whole number of ns, or earlier than the entry before it,
 * or its access is not a guest access. `index` is the entry's position.
 *
 * @see accessesFrom
 */
export class TimedAccessError extends OperatorArgumentError {
  /** The error's class name, `'TimedAccessError'` (kept when the code is minified). */
  override readonly name: string = 'TimedAccessError';
  /**
   * Builds the error; the message names the entry as `accessesFrom(timed[index].field)`.
   *
   * @param index - position of the entry in the array
   * @param field - the entry's field at fault (`'at'` or `'access'`), or `''` for the whole entry
   * @param value - the offending value
   * @param rule - the rule it breaks
   * @param options - `cause`, when another check found the fault
   */
  constructor(
    readonly index: number,
    field: '' | 'at' | 'access',
    value: unknown,
    rule: string,
    options?: ErrorOptions,
  ) {
    super(value, rule, `accessesFrom(timed[${index}]${field === '' ? '' : `.${field}`})`, options);
  }
}

/**
 * A guest driver (see `runDriver`) asked for something that is not a valid
 * command: a value that is not a command at all, a negative or fractional
 * wait, a `waitUntil` in the past, a `waitForIrq` on something that is not
 * an interrupt signal, a malformed access. Thrown by the command
 * constructors, or delivered as the driver stream's error for a malformed
 * command the driver built by hand.
 *
 * @see runDriver
 */
export class DriverCommandError extends OperatorArgumentError {
  /** The error's class name, `'DriverCommandError'` (kept when the code is minified). */
  override readonly name: string = 'DriverCommandError';
}

/**
 * A guest driver ran more than `limit` commands at one virtual instant: a
 * polling loop that never waits, so virtual time could never advance. Raised
 * instead of hanging the simulation.
 *
 * @see runDriver
 */
export class DriverRunawayError extends Error {
  /** The error's class name, `'DriverRunawayError'` (kept when the code is minified). */
  override readonly name = 'DriverRunawayError';
  /**
   * Builds the error; the message names the instant and the bound, and says how a polling loop should wait.
   *
   * @param time - the virtual time (ns) at which the guard tripped
   * @param limit - the bound that was exceeded
   */
  constructor(
    readonly time: number,
    readonly limit: number,
  ) {
    super(
      `driver runaway: more than ${limit} commands at virtual time ${time} ns without time advancing; ` +
        'a polling loop must wait (wait(ns), waitUntil(time) or waitForIrq(signal))',
    );
  }
}

/**
 * An invariant checked by `assertInvariant` did not hold. Carries the value
 * that broke it, the virtual time, and the values before it (oldest first)
 * exactly as the predicate saw them; the message names all of them (long
 * values cut short).
 *
 * @see assertInvariant
 */
export class InvariantViolationError<T = unknown> extends Error {
  /** The error's class name, `'InvariantViolationError'` (kept when the code is minified). */
  override readonly name = 'InvariantViolationError';
  /**
   * Builds the error; the message names the invariant, the instant, the value and the history.
   *
   * @param invariant - the invariant's name
   * @param time - virtual time (ns) of the violating value
   * @param value - the value for which the predicate returned false
   * @param history - the values before it, oldest first (at most the configured history)
   */
  constructor(
    readonly invariant: string,
    readonly time: number,
    readonly value: T,
    readonly history: readonly T[],
  ) {
    super(
      `invariant '${invariant}' violated at ${time} ns by ${describeValue(value)}` +
        (history.length === 0 ? ' (the first value)' : ` (after ${describeValue(history)})`),
    );
  }
}

// ---- argument checks shared by the operators (not exported from the index) ----

/** @internal */
export const checkScheduler = (value: unknown, what: string): SchedulerLike => {
  if (
    typeof value !== 'object' ||
    value === null ||
    typeof (value as Partial<SchedulerLike>).now !== 'function' ||
    typeof (value as Partial<SchedulerLike>).schedule !== 'function'
  ) {
    throw new OperatorArgumentError(value, 'must be an rxjs SchedulerLike (e.g. a VirtualClock)', what);
  }
  return value as SchedulerLike;
};

/** @internal */
export const checkFunction = (value: unknown, what: string): void => {
  if (typeof value !== 'function') throw new OperatorArgumentError(value, 'must be a function', what);
};

/** @internal */
export const checkName = (value: unknown, what: string): string => {
  if (typeof value !== 'string' || value === '') throw new OperatorArgumentError(value, 'must be a non-empty string', what);
  return value;
};

/** @internal A trace sink (an object with a `record` method), or `undefined` when `optional`. */
export const checkSink = (value: unknown, what: string, optional = true): void => {
  if (optional && value === undefined) return;
  if (typeof value !== 'object' || value === null || typeof (value as { record?: unknown }).record !== 'function') {
    const rule = 'must be a TraceSink (an object with a record(event) method)';
    throw new OperatorArgumentError(value, optional ? `${rule} or undefined` : rule, what);
  }
};

/** @internal */
export const checkDevice = (value: unknown, what: string): void => {
  const d = value as { name?: unknown; read?: unknown; write?: unknown; events$?: unknown } | null;
  if (
    typeof value !== 'object' ||
    d === null ||
    typeof d.name !== 'string' ||
    typeof d.read !== 'function' ||
    typeof d.write !== 'function' ||
    !isObservable(d.events$)
  ) {
    throw new OperatorArgumentError(value, 'must be a Device (name, read, write and events$)', what);
  }
};

/** @internal A whole, non-negative, safe number of ns (delays, times). */
export const nsRule = (value: unknown): string | undefined =>
  typeof value === 'number' && Number.isSafeInteger(value) && value >= 0
    ? undefined
    : 'must be a whole, non-negative number of ns (a safe integer)';

/**
 * Why `value` is not a valid guest access, or `undefined` if it is one (the
 * rules of `guestRead`/`guestWrite`).
 * @internal
 */
export const accessRule = (value: unknown): string | undefined => {
  if (typeof value !== 'object' || value === null) return 'must be a guest access (from guestRead or guestWrite)';
  const a = value as { kind?: unknown; offset?: unknown; size?: unknown; value?: unknown };
  if (a.kind !== 'read' && a.kind !== 'write') return "must be a guest access: kind must be 'read' or 'write'";
  if (a.size === undefined) return 'must be a guest access: size is missing';
  try {
    // The constructors hold the rules; calling them checks a hand-built access the same way.
    if (a.kind === 'read') guestRead(a.offset as number, a.size as 1);
    else guestWrite(a.offset as number, a.value as number, a.size as 1);
  } catch (error) {
    if (error instanceof BusRangeError) return error.message;
    throw error;
  }
  return undefined;
};
