import type { Device } from '../../src/bus/Device';
import type { GuestAccess } from '../../src/bus/GuestAccess';
import { SystemConfigError } from '../errors';
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
 * Where the counter sits in its register when it does not start at bit 0:
 * the Versal CAN-FD's TSR shows its 16-bit timestamp counter in bits 31:16.
 * A driver reads the register and takes `width` bits from `lsb`.
 */
export interface CounterField {
  /** The counter's least significant bit in the register. */
  readonly lsb: number;
  /** Bits the counter has. */
  readonly width: number;
}

/**
 * A catalogue channel: a {@link TimerChannel} plus what that contract cannot
 * say yet (all are proposed for DeviceType.ts). Consumers that only know
 * TimerChannel keep working; the built-in programs read these through
 * {@link minTicksOf}, {@link counterLatchOf} and {@link divisorOf}.
 */
export interface CatalogueChannel extends TimerChannel {
  /**
   * Smallest `ticks` that `start` accepts. Most counters here reload a value
   * one below the period, and a reload of 0 stops them (or makes them one-shot).
   */
  readonly minTicks: number;
  /** Present when the counter is read through a latch (see {@link CounterLatch}). */
  readonly latch?: CounterLatch;
  /** Present when the counter is a field above bit 0 of its register (see {@link CounterField}). */
  readonly counterField?: CounterField;
  /**
   * Present when the counter does not start its next round by itself (the LAN9118 GP timer
   * wraps to 0xFFFF after its interrupt): the accesses a driver's interrupt handler makes,
   * before `acknowledge`, to count `ticks` cycles again from that moment, as the channel was
   * started with `start(ticks)`. The built-in programs make them through
   * {@link acknowledgeOf}; a consumer that only knows `acknowledge` gets one interrupt per start
   * (and then the counter's own wrap).
   */
  readonly rearm?: (ticks: number) => readonly GuestAccess[];
  /**
   * A fixed division of `clock` inside the device that `start` does not
   * program: the counter steps once every `divisor` cycles of `clock`, and
   * `ticks` (and `minTicks`, `maxTicks`) count those steps. Default 1. The
   * i.MX2+ WDOG counts half-seconds of its 32.768 kHz clock: 16384.
   */
  readonly divisor?: number;
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

/**
 * What an interrupt handler of a channel started with `start(ticks)` does to acknowledge each
 * interrupt: the channel's `rearm(ticks)` if it has one (see {@link CatalogueChannel.rearm}),
 * then its `acknowledge`. For every other channel, `acknowledge` itself.
 * @param channel - the channel
 * @param ticks - what its `start` was given
 * @returns the accesses, in order
 */
export const acknowledgeOf = (channel: TimerChannel, ticks: number): readonly GuestAccess[] => {
  const rearm = (channel as Partial<CatalogueChannel>).rearm;
  return rearm === undefined ? channel.acknowledge : [...rearm(ticks), ...channel.acknowledge];
};

/** The channel's clock cycles per counter step: its `divisor` for a catalogue channel, else 1. */
export const divisorOf = (channel: TimerChannel): number => {
  const divisor = (channel as Partial<CatalogueChannel>).divisor;
  return typeof divisor === 'number' ? divisor : 1;
};

/**
 * The channel's counter register, for a program that reads it.
 * @param channel - the channel
 * @param what - the program's option that names the channel, for the error
 * @returns the counter's register and direction
 * @throws SystemConfigError for a channel with no counter a guest can read
 */
export const counterOf = (channel: TimerChannel, what: string): NonNullable<TimerChannel['counter']> => {
  if (channel.counter === undefined) {
    throw new SystemConfigError(channel.name, 'must be a channel with a counter register (this device has no counter a guest can read)', what);
  }
  return channel.counter;
};

/** The channel's counter latch, if its counter is read through one. */
export const counterLatchOf = (channel: TimerChannel): CounterLatch | undefined => (channel as Partial<CatalogueChannel>).latch;

/** The channel's counter field, if its counter does not start at bit 0 of its register. */
export const counterFieldOf = (channel: TimerChannel): CounterField | undefined => (channel as Partial<CatalogueChannel>).counterField;
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
