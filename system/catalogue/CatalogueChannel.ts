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
   * Present (`true`) when the hardware shows no count of this timer (a DMA's timeout
   * counter): `counter` then names the channel's status register, which changes only at an
   * expiry, so a read never sees a count move nor a count that disagrees with the status.
   * Programs that need a moving count (the clocksource reader, the race experiment) refuse
   * the channel.
   */
  readonly counterHidden?: true;
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

/** Whether the channel's count is hidden from the guest (see {@link CatalogueChannel.counterHidden}). */
export const counterHiddenOf = (channel: TimerChannel): boolean => (channel as Partial<CatalogueChannel>).counterHidden === true;
