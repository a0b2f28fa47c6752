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

/** The channel's counter latch, if its counter is read through one. */
export const counterLatchOf = (channel: TimerChannel): CounterLatch | undefined => (channel as Partial<CatalogueChannel>).latch;

/** The channel's counter field, if its counter does not start at bit 0 of its register. */
export const counterFieldOf = (channel: TimerChannel): CounterField | undefined => (channel as Partial<CatalogueChannel>).counterField;
