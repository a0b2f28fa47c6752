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
  return yield* counterReader(base, channel)();
}

/**
 * {@link readCounter} for a program that reads the same counter many times: the
 * channel is looked up and the accesses are made once, here, not at every read.
 * @param base - the device's base address
 * @param channel - the channel whose counter to read
 * @returns a generator function to use with `yield*`, returning the counter's value
 * @throws SystemConfigError for a channel with no counter a guest can read
 */
export const counterReader = (base: number, channel: TimerChannel): (() => Generator<DriverCommand, number, DriverInput>) => {
  const counter = counterOf(channel, 'readCounter(channel)');
  const latch = counterLatchOf(channel);
  const field = counterFieldOf(channel);
  const fieldOf = (value: number): number => (field === undefined ? value : Math.floor(value / 2 ** field.lsb) % 2 ** field.width);
  const read = guestRead(base + counter.offset, counter.size);
  if (latch === undefined) {
    return function* readDirect() {
      return fieldOf((yield read) ?? 0);
    };
  }
  const latchAccesses = latch.accesses.map((access) => relocate(base, access));
  const high = guestRead(base + latch.high.offset, latch.high.size);
  return function* readLatched() {
    for (const access of latchAccesses) yield access;
    const low = fieldOf((yield read) ?? 0);
    return ((yield high) ?? 0) * 2 ** latch.shift + low;
  };
};
