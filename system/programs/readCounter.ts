import type { DriverCommand, DriverInput } from '../../operators/driverCommands';
import { guestRead } from '../../src/bus/GuestAccess';
import { counterLatchOf } from '../catalogue/CatalogueChannel';
import type { TimerChannel } from '../catalogue/DeviceType';
import { SystemConfigError } from '../errors';
import { relocate } from './relocate';

/**
 * Reads a channel's counter as a driver does, in one guest step: the latch
 * accesses first when the counter is read through a latch, then the counter
 * register (and the upper part). Use with `yield*` inside a guest program.
 * @param base - the device's base address
 * @param channel - the channel whose counter to read
 * @returns the counter's value
 * @throws SystemConfigError for a channel with no counter register (check `channel.counter` first)
 */
export function* readCounter(base: number, channel: TimerChannel): Generator<DriverCommand, number, DriverInput> {
  const counter = channel.counter;
  if (counter === undefined) throw new SystemConfigError(channel.name, 'has no counter register to read (its only sign of an expiry is its status)', 'readCounter(channel)');
  const latch = counterLatchOf(channel);
  if (latch === undefined) return (yield guestRead(base + counter.offset, counter.size)) ?? 0;
  for (const access of latch.accesses) yield relocate(base, access);
  const low = (yield guestRead(base + counter.offset, counter.size)) ?? 0;
  const high = (yield guestRead(base + latch.high.offset, latch.high.size)) ?? 0;
  return high * 2 ** latch.shift + low;
}
