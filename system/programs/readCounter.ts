import type { DriverCommand, DriverInput } from '../../operators/driverCommands';
import { guestRead } from '../../src/bus/GuestAccess';
import { counterFieldOf, counterLatchOf } from '../catalogue/CatalogueChannel';
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
 */
export function* readCounter(base: number, channel: TimerChannel): Generator<DriverCommand, number, DriverInput> {
  const latch = counterLatchOf(channel);
  const field = counterFieldOf(channel);
  const counterOf = (value: number): number => (field === undefined ? value : Math.floor(value / 2 ** field.lsb) % 2 ** field.width);
  if (latch === undefined) return counterOf((yield guestRead(base + channel.counter.offset, channel.counter.size)) ?? 0);
  for (const access of latch.accesses) yield relocate(base, access);
  const low = counterOf((yield guestRead(base + channel.counter.offset, channel.counter.size)) ?? 0);
  const high = (yield guestRead(base + latch.high.offset, latch.high.size)) ?? 0;
  return high * 2 ** latch.shift + low;
}
