import type { Device } from '../../src/bus/Device';
import type { GuestAccess } from '../../src/bus/GuestAccess';
import type { DeviceType, RegisterRef, TimerChannel } from './DeviceType';

/**
 * How to read a counter that the bus does not show directly: some cores latch
 * it into snapshot registers on a write and show it in halves (the Altera
 * interval timer's snapl/snaph). A driver makes `accesses`, reads
 * {@link TimerChannel.counter} (the low part), then `high`; the value is
 * `high * 2^shift + low`.
 */
export interface CounterLatch {
  /** Accesses (offsets relative to the device) that latch the counter, made right before it is read. */
  readonly accesses: readonly GuestAccess[];
  /** The register holding the upper part. */
  readonly high: RegisterRef;
  /** Bits the low part holds. */
  readonly shift: number;
}

/**
 * A catalogue channel: a {@link TimerChannel} plus what that contract cannot
 * say yet (both are proposed for DeviceType.ts). Consumers that only know
 * TimerChannel keep working; the built-in programs read these through
 * {@link minTicksOf} and {@link counterLatchOf}.
 */
export interface CatalogueChannel extends TimerChannel {
  /**
   * Smallest `ticks` that `start` accepts. Most counters here reload a value
   * one below the period, and a reload of 0 stops them (or makes them one-shot).
   */
  readonly minTicks: number;
  /** Present when the counter is read through a latch (see {@link CounterLatch}). */
  readonly latch?: CounterLatch;
  /**
   * Present when `start` takes only some `ticks`, because the period comes from a table (a
   * watchdog's interval field): those values, ascending, from `minTicks` to `maxTicks`.
   * Pick one with {@link ticksAtLeast}.
   */
  readonly ticksTable?: readonly number[];
}

/** A catalogue device type: its channels are {@link CatalogueChannel}s. */
export interface CatalogueDeviceType<D extends Device = Device> extends DeviceType<D> {
  readonly channels: readonly CatalogueChannel[];
}

/** The channel's smallest `ticks`: its `minTicks` for a catalogue channel, else 1. */
export const minTicksOf = (channel: TimerChannel): number => {
  const min = (channel as Partial<CatalogueChannel>).minTicks;
  return typeof min === 'number' ? min : 1;
};

/** The channel's counter latch, if its counter is read through one. */
export const counterLatchOf = (channel: TimerChannel): CounterLatch | undefined => (channel as Partial<CatalogueChannel>).latch;

/** The channel's table of accepted `ticks`, if `start` takes only some (see {@link CatalogueChannel.ticksTable}). */
export const ticksTableOf = (channel: TimerChannel): readonly number[] | undefined => (channel as Partial<CatalogueChannel>).ticksTable;

/**
 * The smallest `ticks` at least `wanted` that the channel's `start` accepts: `wanted` itself
 * within [minTicks, maxTicks] (raised to `minTicks` below it), the next entry of its table for
 * a channel with a {@link CatalogueChannel.ticksTable}; `maxTicks` when nothing is that large.
 * @param channel - the channel
 * @param wanted - a whole number of cycles
 * @returns ticks its `start` accepts
 */
export const ticksAtLeast = (channel: TimerChannel, wanted: number): number => {
  const table = ticksTableOf(channel);
  if (table !== undefined) return table.find((t) => t >= wanted) ?? channel.maxTicks;
  return Math.min(Math.max(wanted, minTicksOf(channel)), channel.maxTicks);
};
