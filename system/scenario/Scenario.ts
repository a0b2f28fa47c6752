import type { TriggerDelivery } from '../../src/bus/kit/TriggerDelivery';
import type { AccessSize } from '../../src/bus/GuestAccess';
import type { PTimerTiming } from '../../src/ptimer/PTimerSnapshot';

/** A device of a {@link Scenario}. */
export interface ScenarioDevice {
  /** Instance name: its trace `source`, and the `<device>` of its line paths. */
  readonly name: string;
  /** Catalogue device type. */
  readonly type: string;
  /** Base address. */
  readonly base: number;
  /** Bytes it spans on the bus (its registers' extent in whole 4 KiB pages). */
  readonly size: number;
  /** Every clock input of the type, Hz (the file's, or the type's default). */
  readonly clocks: Readonly<Record<string, number>>;
  /** How its timers keep time, when the file says (absent: the device's default, `exact`). */
  readonly timing?: PTimerTiming;
}

/** The interrupt controller of a {@link Scenario}. */
export interface ScenarioController {
  /** Instance name (the file's, default `intc`). */
  readonly name: string;
  /** Base address; it spans one 4 KiB page. */
  readonly base: number;
  /** Line paths `<device>.<line>`; input i is bit i. */
  readonly inputs: readonly string[];
}

/** What every {@link ScenarioGuest} that runs a device's channel has (all but `accesses` guests). */
export interface ChannelGuest {
  /** Guest name, unique in the scenario. */
  readonly name: string;
  /** The device whose channel it runs: a {@link ScenarioDevice.name}. */
  readonly device: string;
  /** The channel (the file's, or the type's first fitting one). */
  readonly channel: string;
}

/** One access of an `accesses` guest. */
export interface ScenarioAccess {
  /** Virtual time, ns. */
  readonly at: number;
  /** A device of the scenario, or its interrupt controller. */
  readonly device: string;
  /** The register's name, when the file gave one. */
  readonly register?: string;
  /** Offset in the device. */
  readonly offset: number;
  /** Absolute bus address: the device's base + offset. */
  readonly address: number;
  /** Access width (bytes): the file's, else the register's, else 4. */
  readonly size: AccessSize;
  /** A write when the file gave a value to write, else a read. */
  readonly kind: 'read' | 'write';
  /** The value written (writes only). */
  readonly value?: number;
}

/** A guest of a {@link Scenario}: one of the built-in programs, with its options in ns and Hz. */
export type ScenarioGuest =
  | (ChannelGuest & {
      /** Runs {@link periodicTick}. */
      readonly program: 'periodic-tick';
      /** Ticks per second (Hz). */
      readonly hz: number;
      /** Stop after this many ticks (default: never). */
      readonly ticks?: number;
      /** Interrupt latency (ns, default 0). */
      readonly latencyNs?: number;
    })
  | (ChannelGuest & {
      /** Runs {@link clocksourceReader}. */
      readonly program: 'clocksource-reader';
      /** Interval between counter reads (ns). */
      readonly everyNs: number;
      /** Stop after this many reads (default: never). */
      readonly reads?: number;
    })
  | (ChannelGuest & {
      /** Runs {@link watchdogFeeder}. */
      readonly program: 'watchdog-feeder';
      /** Watchdog timeout (ns). */
      readonly timeoutNs: number;
      /** Interval between feeds (ns). */
      readonly feedEveryNs: number;
      /** Stop feeding after this many feeds, so the watchdog bites (default: never). */
      readonly stopAfter?: number;
    })
  | (ChannelGuest & {
      /** Runs {@link pollingReader}. */
      readonly program: 'polling-reader';
      /** Interval between polls (ns). */
      readonly everyNs: number;
      /** Start the channel first at this many expiries per second (Hz; default: poll only). */
      readonly hz?: number;
      /** Stop after this many polls (default: never). */
      readonly polls?: number;
    })
  | {
      /** Guest name, unique in the scenario. */
      readonly name: string;
      /** Runs {@link timedAccesses}. */
      readonly program: 'accesses';
      /** The accesses, in time order. */
      readonly accesses: readonly ScenarioAccess[];
    };

/**
 * A checked scenario: every value normalised (durations in ns, frequencies in
 * Hz, addresses as numbers, defaults filled in) and every reference resolved.
 */
export interface Scenario {
  /** The file's name for the scenario, if it gave one. */
  readonly name?: string;
  /** The file's description, if it gave one. */
  readonly description?: string;
  /** Reserved for programs that draw random numbers; recorded (default 1). */
  readonly seed: number;
  /** Run length from time 0, ns. */
  readonly duration: number;
  /** How the devices' timers deliver expiries (default `sync`). */
  readonly delivery: TriggerDelivery;
  /** The devices, in file order. */
  readonly devices: readonly ScenarioDevice[];
  /** The interrupt controller, if the file has one. */
  readonly interruptController?: ScenarioController;
  /** In file order: the order they are added to the system (and start). */
  readonly guests: readonly ScenarioGuest[];
}
