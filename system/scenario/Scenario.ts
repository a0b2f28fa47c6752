import type { TriggerDelivery } from '../../operators/deliverTriggers';
import type { AccessSize } from '../../src/bus/GuestAccess';

/** A device of a {@link Scenario}. */
export interface ScenarioDevice {
  readonly name: string;
  /** Catalogue device type. */
  readonly type: string;
  /** Base address. */
  readonly base: number;
  /** Bytes it spans on the bus (its registers' extent in whole 4 KiB pages). */
  readonly size: number;
  /** Every clock input of the type, Hz (the file's, or the type's default). */
  readonly clocks: Readonly<Record<string, number>>;
}

/** The interrupt controller of a {@link Scenario}. */
export interface ScenarioController {
  readonly name: string;
  readonly base: number;
  /** Line paths `<device>.<line>`; input i is bit i. */
  readonly inputs: readonly string[];
}

/** What every guest that runs a channel has. */
interface ChannelGuest {
  readonly name: string;
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
  readonly size: AccessSize;
  readonly kind: 'read' | 'write';
  /** The value written (writes only). */
  readonly value?: number;
}

/** A guest of a {@link Scenario}: one of the built-in programs, with its options in ns and Hz. */
export type ScenarioGuest =
  | (ChannelGuest & { readonly program: 'periodic-tick'; readonly hz: number; readonly ticks?: number; readonly latencyNs?: number })
  | (ChannelGuest & { readonly program: 'clocksource-reader'; readonly everyNs: number; readonly reads?: number })
  | (ChannelGuest & { readonly program: 'watchdog-feeder'; readonly timeoutNs: number; readonly feedEveryNs: number; readonly stopAfter?: number })
  | (ChannelGuest & { readonly program: 'polling-reader'; readonly everyNs: number; readonly hz?: number; readonly polls?: number })
  | { readonly name: string; readonly program: 'accesses'; readonly accesses: readonly ScenarioAccess[] };

/**
 * A checked scenario: every value normalised (durations in ns, frequencies in
 * Hz, addresses as numbers, defaults filled in) and every reference resolved.
 */
export interface Scenario {
  readonly name?: string;
  readonly description?: string;
  readonly seed: number;
  /** Run length from time 0, ns. */
  readonly duration: number;
  readonly delivery: TriggerDelivery;
  readonly devices: readonly ScenarioDevice[];
  readonly interruptController?: ScenarioController;
  /** In file order: the order they are added to the system (and start). */
  readonly guests: readonly ScenarioGuest[];
}
