import type { TriggerDelivery } from '../../src/bus/kit/TriggerDelivery';
import { waitForIrq, waitUntil, type DriverCommand } from '../../operators/driverCommands';
import { readCounter } from '../programs/readCounter';
import { guestRead, guestWrite, type GuestAccess } from '../../src/bus/GuestAccess';
import { ClockInput } from '../../src/clock/ClockInput';
import type { CounterSample } from '../../src/trace/waveform/CounterSample';
import type { TraceEvent, ViolationEvent } from '../../src/trace/TraceEvent';
import { deviceType } from '../catalogue/catalogue';
import { acknowledgeOf, counterOf, divisorOf, minTicksOf } from '../catalogue/CatalogueChannel';
import type { DeviceType, TimerChannel } from '../catalogue/DeviceType';
import { SystemConfigError } from '../errors';
import { checkPosition } from '../programs/checkPosition';
import { System } from '../System';

/** Options of {@link raceExperiment}. */
export interface RaceOptions {
  /** Catalogue device type (default `sp804`, the device of the seed's bug). */
  readonly device?: string;
  /** Channel of that device (default: its first `timer` channel whose counter the guest can read). */
  readonly channel?: string;
  /** How the device's timer expiries reach it. */
  readonly delivery: TriggerDelivery;
  /** Expiries to read around (default 20). */
  readonly expiries?: number;
  /** Counter cycles per expiry (default 1 000, or the nearest the channel takes: its `minTicks` to `maxTicks`). */
  readonly ticks?: number;
  /** Reads at each expiry instant ± this many ns (default: two counter cycles). */
  readonly window?: number;
  /** Record probe samples for waveforms (default true). */
  readonly sampleProbes?: boolean;
}

/** One guest observation: the counter, then the status, read in one guest step. */
export interface RaceObservation {
  /** Virtual time of the two reads (ns). */
  readonly time: number;
  /** Relative to the expiry instant `expiry`: `E-3`, `E+0 before` (queued before the expiry's work), `E+0 after`. */
  readonly where: string;
  /** The expiry instant the reads were placed around (ns): one of {@link RaceResult.expiryTimes}. */
  readonly expiry: number;
  /** The counter value read (through the channel's latch, on devices that have one). */
  readonly counter: number;
  /** Whether the status read showed the channel's interrupt bit(s) (`status.mask`). */
  readonly pending: boolean;
  /**
   * The status disagrees with what the counter shows (at the expiry instant: whether it
   * changed from the read queued before the expiry; elsewhere: which side of it the read is).
   */
  readonly inconsistent: boolean;
}

/** What {@link raceExperiment} found. */
export interface RaceResult {
  /** The catalogue device type that was raced. */
  readonly device: string;
  /** The name of the channel that was raced. */
  readonly channel: string;
  /** How the device's timer expiries reached it (as given in the options). */
  readonly delivery: TriggerDelivery;
  /** The expiry instants the reads were placed around (ns). */
  readonly expiryTimes: readonly number[];
  /** Reads were placed from each expiry instant minus this to plus this (ns). */
  readonly window: number;
  /** Every observation, in the order the guests made them. */
  readonly observations: readonly RaceObservation[];
  /** Observations whose counter and status disagree. */
  readonly inconsistent: readonly RaceObservation[];
  /** The run, for its trace, digest and samples. */
  readonly system: System;
  /** One `violation` event per inconsistent observation, for waveforms (not part of the trace). */
  readonly violations: readonly ViolationEvent[];
  /** The system's trace events. */
  readonly events: readonly TraceEvent[];
  /** The system's probe samples (empty with `sampleProbes: false`). */
  readonly samples: readonly CounterSample[];
}

const BASE = 0x4000_0000;
const DEVICE = 'dut';

/**
 * The seed's race on a real device model: a guest reads the counter and then
 * the interrupt status at every expiry instant (queued both before and after
 * the expiry's work) and at each ns-step around it, and each pair is checked:
 * a counter that shows the expiry (reloaded, or at 0 after a decrement) with
 * the status clear, or the reverse, is an inconsistent observation.
 *
 * With `sync` delivery (the fixed design) there are none; with the legacy
 * `bottom-half` delivery the read queued right after the expiry sees the new
 * counter and the old status at every expiry (QEMU LP #1777777).
 *
 * The expiry instants come from a calibration run of the same device with
 * the same delivery (and a tick handler), so reads land on them exactly
 * whatever the clock's rate: in exact timing a device may keep a fraction
 * of a ns across its expiries under sync delivery that a legacy bottom half,
 * restarting its counter later, does not (the i.MX EPIT's segments).
 *
 * Ordering: relies on G4 (FIFO at an instant) to place the reads: the
 * `early` reader queues its wake-up for an expiry before the timer re-arms
 * for it, the `late` reader after.
 *
 * @param options - device, channel, delivery and sizes
 * @returns the observations and the run
 * @throws SystemConfigError for an unknown device or channel, or a device with no timer channel whose counter the guest can read
 */
export const raceExperiment = (options: RaceOptions): RaceResult => {
  const { type, channel, expiries, ticks, window, step } = raceSizes(options);
  const times = calibrate(type, channel, ticks, expiries, window, options.delivery);
  const { system, observations, until } = buildRace({ type, channel, times, ticks, window, step, delivery: options.delivery, sampleProbes: options.sampleProbes ?? true });
  system.run(until);

  const inconsistent = observations.filter((o) => o.inconsistent);
  const violations = inconsistent.map(
    (o): ViolationEvent => ({
      time: o.time,
      source: 'guest',
      kind: 'violation',
      message: `${o.where}: counter ${o.counter} ${o.pending ? 'shows no expiry, status set' : 'shows the expiry, status clear'}`,
    }),
  );
  return {
    device: type.type,
    channel: channel.name,
    delivery: options.delivery,
    expiryTimes: times,
    window,
    observations,
    inconsistent,
    system,
    violations,
    events: system.trace.events,
    samples: system.samples,
  };
};

/** The counter values around one expiry in the reference run: read just before and just after its work. @internal */
export interface RaceReference {
  readonly before: number;
  readonly after: number;
}

/** What {@link buildRace} needs. @internal */
export interface RaceSpec {
  readonly type: DeviceType;
  readonly channel: TimerChannel;
  /** The expiry instants (from the calibration run). */
  readonly times: readonly number[];
  readonly ticks: number;
  readonly window: number;
  readonly step: number;
  readonly delivery: TriggerDelivery;
  readonly sampleProbes: boolean;
  /**
   * Keep the run's trace (default true). The explorer's runs keep none (they
   * are judged by the observations; only a counterexample's replay shows its
   * trace): then the bus calls the device directly and records nothing.
   */
  readonly keepTrace?: boolean;
  /**
   * Counter values before and after each expiry's work, from a reference run
   * in the normal order. Given, an observation at an expiry instant is judged
   * by them rather than by which reader made it, so the judgement holds in any
   * order of the instant's work (the ordering explorer runs other orders).
   */
  readonly reference?: ReadonlyMap<number, RaceReference>;
}

/**
 * The race's system, guests and observation log, ready to run to `until`.
 * @internal
 */
export const buildRace = (
  spec: RaceSpec,
): { readonly system: System; readonly observations: RaceObservation[]; readonly until: number; readonly checkpoint: () => () => void } => {
  const { channel, times, ticks, window, step, reference } = spec;
  const system = setUp(spec.type, spec.delivery, spec.sampleProbes, spec.keepTrace ?? true);
  const read = (r: { offset: number; size: 1 | 2 | 4 | 8 }): GuestAccess => guestRead(BASE + r.offset, r.size);
  const observations: RaceObservation[] = [];
  /** The counter read at each expiry instant before the expiry's work (by the early reader). */
  const before = new Map<number, number>();
  /**
   * Whether the counter shows the expiry. Away from the instant, time says it (the reads are
   * less than a period away). At the instant, the read queued after the expiry's work shows
   * it if the counter differs from the read queued before it, in the same instant: the same
   * test works for counters that reload, wrap or rest at 0, whatever their policy. With a
   * reference run, the instant's reads are compared with its values instead.
   */
  const shown = (expiry: number, d: number, where: string, counter: number): boolean => {
    if (d < 0) return false;
    if (d > 0) return true;
    const ref = reference?.get(expiry);
    // Any value but the pre-expiry one means the counter has moved on (reloaded, wrapped, or shown as 0).
    if (ref !== undefined) return ref.after !== ref.before && counter !== ref.before;
    if (where === 'E+0 before') return false;
    return counter !== before.get(expiry);
  };

  const statusRead = read(channel.status);
  function* observe(expiry: number, d: number, where: string): Generator<DriverCommand, void, number | undefined> {
    const counter = yield* readCounter(BASE, channel); // through the latch on devices that have one
    const status = (yield statusRead) ?? 0;
    const pending = (status & channel.status.mask) !== 0;
    const time = system.clock.now();
    if (where === 'E+0 before') before.set(expiry, counter);
    observations.push({ time, where, expiry, counter, pending, inconsistent: shown(expiry, d, where, counter) !== pending });
  }

  // The readers report where they wait (the expiry's index and, for the late one, the offset from it), so
  // the explorer can fork the race and rewind it (only at waits: their reads and writes never suspend).
  const isIndex = (v: unknown): boolean => Number.isSafeInteger(v) && (v as number) >= 0 && (v as number) <= times.length;
  let early = 0;
  // Added first: its wake-ups are queued before the timer arms (and re-arms) for each expiry.
  system.addGuest('early', {
    *start(position?: unknown) {
      early = position === undefined ? 0 : checkPosition<{ at: number }>(position, { at: isIndex }, 'the race reader').at;
      for (; early < times.length; early++) {
        yield waitUntil(times[early]!);
        yield* observe(times[early]!, 0, 'E+0 before');
      }
    },
    position: () => ({ at: early }),
  });
  system.addGuest('driver', function* () {
    for (const a of channel.start(ticks)) yield relocate(a);
  });
  let late = { at: 0, d: -window };
  system.addGuest('late', {
    *start(position?: unknown) {
      const from = position === undefined ? { at: 0, d: -window } : checkPosition<{ at: number; d: number }>(position, { at: isIndex, d: Number.isSafeInteger }, 'the race reader');
      // Its own object, changed in place as the reader moves on (`position()` hands out copies): one object of one
      // shape for the run, not one per read.
      late = { at: from.at, d: from.d };
      for (; late.at < times.length; late.at++, late.d = -window) {
        const expiry = times[late.at]!;
        for (; late.d <= window; late.d += late.d < 0 && late.d + step > 0 ? -late.d : step) {
          const d = late.d;
          yield waitUntil(expiry + d);
          yield* observe(expiry, d, d === 0 ? 'E+0 after' : `E${d < 0 ? '' : '+'}${d}`);
        }
        for (const a of acknowledgeOf(channel, ticks)) yield relocate(a);
      }
    },
    position: () => ({ ...late }),
  });
  /** The observations so far and the early reads, put back with a system rewound in place. */
  const checkpoint = (): (() => void) => {
    const length = observations.length;
    const saved = [...before];
    return () => {
      observations.length = length;
      before.clear();
      for (const [k, v] of saved) before.set(k, v);
    };
  };
  return { system, observations, until: times.at(-1)! + window + 1, checkpoint };
};

/**
 * Each expiry's counter values just before and just after its work, from a
 * run in the normal order (see {@link RaceSpec.reference}). @internal
 */
export const raceReference = (observations: readonly RaceObservation[], times: readonly number[]): Map<number, RaceReference> => {
  const reference = new Map<number, RaceReference>();
  for (const e of times) {
    const before = observations.find((o) => o.expiry === e && o.where === 'E+0 before');
    const after = observations.find((o) => o.expiry === e && o.where === 'E+0 after');
    if (before !== undefined && after !== undefined) reference.set(e, { before: before.counter, after: after.counter });
  }
  return reference;
};

/** The race's sizes, checked (shared by {@link raceExperiment} and the ordering explorer). @internal */
export const raceSizes = (
  options: RaceOptions,
): { readonly type: DeviceType; readonly channel: TimerChannel; readonly expiries: number; readonly ticks: number; readonly window: number; readonly step: number } => {
  const type = deviceType(options.device ?? 'sp804');
  const channel = pickChannel(type, options.channel);
  const expiries = options.expiries ?? 20;
  // A counter with one fixed period (the Versal CAN-FD's 2^16-cycle wrap) takes only its own.
  const least = Math.max(16, minTicksOf(channel));
  const ticks = options.ticks ?? Math.min(Math.max(1_000, least), channel.maxTicks);
  if (!Number.isSafeInteger(expiries) || expiries < 1 || expiries > 10_000) {
    throw new SystemConfigError(expiries, 'must be a whole number from 1 to 10000', 'raceExperiment(expiries)');
  }
  if (!Number.isSafeInteger(ticks) || ticks < least || ticks > channel.maxTicks) {
    throw new SystemConfigError(ticks, `must be a whole number from ${least} to ${channel.maxTicks} (the channel's maximum)`, 'raceExperiment(ticks)');
  }
  const hz = type.clocks.find((c) => c.name === channel.clock)!.hz;
  const cycle = Math.max(1, Math.round((divisorOf(channel) * 1e9) / hz));
  const window = options.window ?? 2 * cycle;
  const step = Math.max(1, Math.floor(cycle / 2));
  if (!Number.isSafeInteger(window) || window < 0 || window * 4 > ticks * cycle) {
    throw new SystemConfigError(window, 'must be whole ns, at most a quarter of the expiry period', 'raceExperiment(window)');
  }
  return { type, channel, expiries, ticks, window, step };
};

/** The channel's expiry instants (see {@link calibrate}), for a race whose late reader acknowledges `window` ns after each (default 0). @internal */
export const raceTimes = (type: DeviceType, channel: TimerChannel, ticks: number, expiries: number, window = 0): number[] =>
  calibrate(type, channel, ticks, expiries, window);

const relocate = (a: GuestAccess): GuestAccess =>
  a.kind === 'read' ? guestRead(BASE + a.offset, a.size) : guestWrite(BASE + a.offset, a.value, a.size);

const pickChannel = (type: DeviceType, name: string | undefined): TimerChannel => {
  // The race reads the counter, then the status: a count no register shows cannot disagree with the status.
  const timers = type.channels.filter((c) => c.kind === 'timer' && c.counter !== undefined);
  if (name === undefined) {
    const first = timers[0];
    if (first === undefined) {
      throw new SystemConfigError(
        type.type,
        'has no timer channel with a counter the guest can read to race (a watchdog resets the system; a counter with no interrupt has no status, a hidden one no stale read)',
        'raceExperiment(device)',
      );
    }
    return first;
  }
  const found = timers.find((c) => c.name === name);
  if (found === undefined) {
    throw new SystemConfigError(name, `is not a timer channel of ${type.type}; channels: ${timers.map((c) => c.name).join(', ')}`, 'raceExperiment(channel)');
  }
  counterOf(found, 'raceExperiment(channel)'); // the race reads it
  return found;
};

const setUp = (type: DeviceType, delivery: TriggerDelivery, sampleProbes: boolean, keepTrace: boolean): System => {
  const system = new System(keepTrace ? { sampleProbes } : { sampleProbes, keepTrace: false, digest: false });
  const clocks = Object.fromEntries(type.clocks.map((c) => [c.name, new ClockInput(`${DEVICE}.${c.name}`, c.hz)]));
  const device = type.create(system.clock, { name: DEVICE, clocks, delivery });
  system.addDevice(device, { base: BASE });
  return system;
};

/**
 * The channel's expiry instants: the line's rising edges under `delivery` (sync by default),
 * with a handler acknowledging each `window` after it, when the race's late reader does: a
 * channel whose handler re-arms it (the LAN9118 GP timer) counts its next round from there.
 */
const calibrate = (type: DeviceType, channel: TimerChannel, ticks: number, expiries: number, window: number, delivery: TriggerDelivery = 'sync'): number[] => {
  const system = setUp(type, delivery, false, false);
  const line = system.line(`${DEVICE}.${channel.line}`);
  system.addGuest('calibrate', function* () {
    for (const a of channel.start(ticks)) yield relocate(a);
    for (let k = 0; k < expiries; k++) {
      yield waitForIrq(line, true);
      yield waitUntil(system.clock.now() + window);
      for (const a of acknowledgeOf(channel, ticks)) yield relocate(a);
    }
  });
  const times: number[] = [];
  line.level$.subscribe((level) => {
    if (level && times.length < expiries) times.push(system.clock.now());
  });
  times.length = 0; // the subscription saw the current level
  const hz = type.clocks.find((c) => c.name === channel.clock)!.hz;
  const period = Math.ceil((ticks * divisorOf(channel) * 1e9) / hz);
  system.run(period * (expiries + 2));
  if (times.length < expiries) {
    throw new SystemConfigError(type.type, `its ${channel.name} channel expired ${times.length} times in ${expiries + 2} periods, expected ${expiries}`, 'raceExperiment(calibration)');
  }
  return times;
};
