import type { DriverCommand, DriverInput } from '../../operators/driverCommands';
import { guestRead } from '../../src/bus/GuestAccess';
import { counterFieldOf, counterLatchOf, counterOf } from '../catalogue/CatalogueChannel';
import type { TimerChannel } from '../catalogue/DeviceType';
import { relocate } from './relocate';

/**
 * Reads a channel's counter as a driver does, in one guest step: the latch
 * accesses first when the counter is read through a latch, then the counter
 * register (and the upper part); a counter that is a field of its register
 * (`counterField`) is taken out of it. Use with `yield*` inside a guest program.
 * @param base - the device's base address
 * @param channel - the channel whose counter to read
 * @returns the counter's value
 * @throws SystemConfigError for a channel with no counter a guest can read (programs check it when they are made)
 */
export function* readCounter(base: number, channel: TimerChannel): Generator<DriverCommand, number, DriverInput> {
  const plan = planOf(base, channel);
  for (const access of plan.before) yield access;
  const low = (yield plan.read) ?? 0;
  return plan.value(low, plan.high === undefined ? 0 : ((yield plan.high) ?? 0));
}

/**
 * The plans made so far, by channel and base: {@link readCounter} runs per
 * read (the race's and the explorer's observers read at every step), and
 * made the plan's accesses and closures each time.
 */
const plans = new WeakMap<TimerChannel, Map<number, CounterReadPlan>>();

const planOf = (base: number, channel: TimerChannel): CounterReadPlan => {
  let byBase = plans.get(channel);
  if (byBase === undefined) plans.set(channel, (byBase = new Map()));
  let plan = byBase.get(base);
  if (plan === undefined) byBase.set(base, (plan = counterReadPlan(base, channel)));
  return plan;
};

/** A channel's counter read as accesses made once (see {@link counterReadPlan}). @internal */
export interface CounterReadPlan {
  /** The latch accesses, in order (none for a counter read directly). */
  readonly before: readonly DriverCommand[];
  /** The counter register's read. */
  readonly read: DriverCommand;
  /** The upper part's read, for a latched counter. */
  readonly high: DriverCommand | undefined;
  /** The counter's value from what the two reads returned (`high` is 0 without an upper part). */
  readonly value: (low: number, high: number) => number;
}

/**
 * {@link readCounter} for a program that reads the same counter many times:
 * the channel is looked up and the accesses are made once, here, and the
 * program yields them itself (no generator per read).
 * @param base - the device's base address
 * @param channel - the channel whose counter to read
 * @returns the plan
 * @throws SystemConfigError for a channel with no counter a guest can read
 * @internal
 */
export const counterReadPlan = (base: number, channel: TimerChannel): CounterReadPlan => {
  const counter = counterOf(channel, 'readCounter(channel)');
  const latch = counterLatchOf(channel);
  const field = counterFieldOf(channel);
  // The powers are worked out here, once: `2 ** n` with a variable n is a floating-point call, and this runs per read.
  const unit = field === undefined ? 1 : 2 ** field.lsb;
  const span = field === undefined ? 0 : 2 ** field.width;
  const fieldOf = (value: number): number => (field === undefined ? value : Math.floor(value / unit) % span);
  const read = guestRead(base + counter.offset, counter.size);
  if (latch === undefined) return { before: [], read, high: undefined, value: (low) => fieldOf(low) };
  const highUnit = 2 ** latch.shift;
  return {
    before: latch.accesses.map((access) => relocate(base, access)),
    read,
    high: guestRead(base + latch.high.offset, latch.high.size),
    value: (low, high) => high * highUnit + fieldOf(low),
  };
};
