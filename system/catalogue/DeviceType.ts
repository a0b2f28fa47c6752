import type { SchedulerLike } from 'rxjs';
import type { TriggerDelivery } from '../../src/bus/kit/TriggerDelivery';
import type { Device } from '../../src/bus/Device';
import type { AccessSize, GuestAccess } from '../../src/bus/GuestAccess';
import type { ClockInput } from '../../src/clock/ClockInput';
import type { PTimerTiming } from '../../src/ptimer/PTimerSnapshot';

/** A clock input a device type takes, with the frequency scenarios get by default. */
export interface ClockSpec {
  /** The input's name as scenarios give it (`pclk`, `timclk`, ...). */
  readonly name: string;
  /** Default frequency (Hz). */
  readonly hz: number;
}

/** A register a driver reads, relative to the device's base. */
export interface RegisterRef {
  /** Byte offset from the device's base. */
  readonly offset: number;
  /** Access width (bytes). */
  readonly size: AccessSize;
}

/**
 * How a driver uses one counter of a device: the register recipe a Linux-like
 * driver follows. Built-in guest programs and the race experiment work on any
 * device through these recipes, so they need no per-device code.
 */
export interface TimerChannel {
  /** Channel name, e.g. `timer`, `timer1`, `watchdog`. */
  readonly name: string;
  /** `timer`: reloads and interrupts periodically; `watchdog`: interrupts (then resets) unless fed. */
  readonly kind: 'timer' | 'watchdog';
  /** The clock input (see {@link DeviceType.clocks}) whose cycles the counter counts, undivided by `start`. */
  readonly clock: string;
  /** Largest `ticks` that {@link TimerChannel.start} accepts. */
  readonly maxTicks: number;
  /**
   * Accesses (offsets relative to the device) that start the counter
   * periodic with its interrupt enabled, one expiry every `ticks` cycles of
   * `clock`, the first `ticks` cycles after the last access.
   */
  start(ticks: number): readonly GuestAccess[];
  /**
   * The counter register and which way it counts. Absent when the device has no
   * counter a guest can read (the i.MX2+ WDOG): programs that read the counter
   * (clocksource and polling readers, the race experiment) refuse such a channel.
   */
  readonly counter?: RegisterRef & {
    /** `down`: the counter decrements (towards 0); `up`: it increments. */
    readonly direction: 'down' | 'up';
  };
  /** The register holding the channel's pending interrupt, and its bit(s). */
  readonly status: RegisterRef & {
    /** The bit(s) of the register that are set while the interrupt is pending. */
    readonly mask: number;
  };
  /** Accesses that acknowledge the interrupt (clear `status`). For a watchdog, also what feeds it. */
  readonly acknowledge: readonly GuestAccess[];
  /** Key in the device's `lines` of the line this channel raises. */
  readonly line: string;
}

/** Options every catalogue device is created with. */
export interface CreateOptions {
  /** Instance name (its trace `source`). */
  readonly name: string;
  /** One input per {@link DeviceType.clocks} entry, by name. */
  readonly clocks: Readonly<Record<string, ClockInput>>;
  /** How the device's timers deliver their expiries: `sync`, or the legacy `bottom-half`. */
  readonly delivery: TriggerDelivery;
  /** How the device's timers keep time: `exact` (the devices' default when absent) or QEMU's `qemu`. */
  readonly timing?: PTimerTiming;
}

/** A device model as scenarios and the CLI name it. */
export interface DeviceType<D extends Device = Device> {
  /** Scenario name: the device folder's name (`cmsdk-apb-timer`). */
  readonly type: string;
  /** One line: what the device is. */
  readonly summary: string;
  /** The clock inputs it takes, each with its default frequency. */
  readonly clocks: readonly ClockSpec[];
  /** Creates an instance on `scheduler` (1 unit = 1 ns). */
  create(scheduler: SchedulerLike, options: CreateOptions): D;
  /** Its counters as drivers use them, in the device's own order; none for a counter with no interrupt (no status to acknowledge or race), whether or not a register shows it on demand. */
  readonly channels: readonly TimerChannel[];
}
