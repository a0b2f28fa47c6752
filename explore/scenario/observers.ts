import { waitUntil, type DriverCommand } from '../../operators/driverCommands';
import { guestRead } from '../../src/bus/GuestAccess';
import { deviceType } from '../../system/catalogue/catalogue';
import type { TimerChannel } from '../../system/catalogue/DeviceType';
import { readCounter } from '../../system/programs/readCounter';
import { checkPosition } from '../../system/programs/checkPosition';
import type { GuestProgram } from '../../system/GuestProgram';
import type { Scenario } from '../../system/scenario/Scenario';
import type { System } from '../../system/System';

/** Guest name prefix of the explorer's observers (`:` cannot occur in a scenario's names). */
export const OBSERVER_PREFIX = 'observe:';

/** A channel the observers read, and the instants they read it at. @internal */
export interface ObservedDevice {
  /** The device (scenario name). */
  readonly device: string;
  /** Its base address. */
  readonly base: number;
  /** The channels a scenario guest runs (timer kind only), read at each instant. */
  readonly channels: readonly TimerChannel[];
  /** The instants (ns) at which one of the device's timers expires, from the calibration run. */
  readonly instants: readonly number[];
}

/** One observation: a channel's counter, then its status, read in one guest step. @internal */
export interface Observation {
  readonly device: string;
  readonly channel: string;
  readonly time: number;
  readonly counter: number;
  readonly pending: boolean;
  /** A guest wrote to the device earlier at this instant (an acknowledge or a reprogram): the pair cannot be judged. */
  readonly afterWrite: boolean;
}

/** The timer-kind channels with a counter register that the scenario's guests run, by device. @internal */
export const observedChannels = (scenario: Scenario): Map<string, { base: number; channels: TimerChannel[] }> => {
  const byDevice = new Map<string, { base: number; channels: TimerChannel[] }>();
  for (const g of scenario.guests) {
    if (g.program === 'accesses') continue;
    const device = scenario.devices.find((d) => d.name === g.device)!;
    const channel = deviceType(device.type).channels.find((c) => c.name === g.channel)!;
    if (channel.kind !== 'timer' || channel.counter === undefined) continue;
    let entry = byDevice.get(device.name);
    if (entry === undefined) byDevice.set(device.name, (entry = { base: device.base, channels: [] }));
    if (!entry.channels.includes(channel)) entry.channels.push(channel);
  }
  return byDevice;
};


/**
 * Runs the scenario's system once in the normal order and notes, per device
 * with observed channels, the first `count` instants in [from, until] at
 * which one of its timers expires. @internal
 */
export const calibrateInstants = (
  system: System,
  until: number,
  from: number,
  count: number,
  channels: ReadonlyMap<string, { base: number; channels: TimerChannel[] }>,
): ObservedDevice[] => {
  const instants = new Map<string, number[]>([...channels.keys()].map((d) => [d, []]));
  const stop = system.clock.observe({ after: (tag, now) => {
    if (now < from || tag.kind !== 'expiry') return;
    // Catalogue timers are named `<device>.<timer>`.
    const list = instants.get(tag.owner.slice(0, Math.max(0, tag.owner.indexOf('.'))));
    if (list !== undefined && list.length < count && list.at(-1) !== now) list.push(now);
  } });
  try {
    system.run(until);
  } finally {
    stop();
  }
  return [...channels].map(([device, { base, channels: list }]) => ({ device, base, channels: list, instants: instants.get(device)! }));
};

/** Where an observer is: the index of the instant it waits for (plain data, see `GuestProgram.position`). @internal */
export interface ObserverPosition {
  readonly index: number;
}

/**
 * Adds one observer guest per observed device (`observe:<device>`): at each
 * of its instants it reads every observed channel's counter (through the
 * latch where there is one), then its status, and logs the pair.
 *
 * Observers are resumable (their position is the index of the instant they
 * wait for: they only suspend there), so a system with observers can be
 * snapshot and restored, a step towards forking explored runs (issue 18).
 * A device written at an instant before the snapshot is not in it: an
 * observer resumed at that same instant judges its pair as if unwritten.
 * @internal
 */
export const addObservers = (system: System, observed: readonly ObservedDevice[]): Observation[] => attachObservers(system, observed).log;

/** Observers added to a system: their log, and a checkpoint of it for a system rewound in place. @internal */
export interface Observers {
  /** Every observation so far, in order. */
  readonly log: Observation[];
  /**
   * Notes the log and the observers' view of device writes now; the function
   * returned puts them back (each observer's own position is put back by
   * the system's rewind, which restarts it from it).
   */
  checkpoint(): () => void;
}

/** {@link addObservers}, with a checkpoint of the observers' state. @internal */
export const attachObservers = (system: System, observed: readonly ObservedDevice[]): Observers => {
  const log: Observation[] = [];
  const writtenAt = new Map<string, number>();
  system.watchTrace((event) => {
    if (event.kind === 'write') writtenAt.set(event.source, event.time);
  });
  for (const o of observed) {
    if (o.instants.length === 0) continue;
    let index = 0;
    function* observe(): Generator<DriverCommand, void, number | undefined> {
      for (; index < o.instants.length; index++) {
        const time = o.instants[index]!;
        yield waitUntil(time);
        const afterWrite = writtenAt.get(o.device) === time;
        for (const c of o.channels) {
          const counter = yield* readCounter(o.base, c);
          const status = (yield guestRead(o.base + c.status.offset, c.status.size)) ?? 0;
          log.push({ device: o.device, channel: c.name, time, counter, pending: (status & c.status.mask) !== 0, afterWrite });
        }
      }
    }
    const program: GuestProgram = {
      start: (position?: unknown) => {
        const what = `the observer of ${o.device}`;
        index =
          position === undefined
            ? 0
            : checkPosition<ObserverPosition>(position, { index: (v) => Number.isSafeInteger(v) && (v as number) >= 0 && (v as number) < o.instants.length }, what).index;
        return observe();
      },
      position: (): ObserverPosition => ({ index }),
    };
    system.addGuest(OBSERVER_PREFIX + o.device, program);
  }
  return {
    log,
    checkpoint: () => {
      const length = log.length;
      const written = [...writtenAt];
      return () => {
        log.length = length;
        writtenAt.clear();
        for (const [device, time] of written) writtenAt.set(device, time);
      };
    },
  };
};

/** Key of an observation's reference. */
export const observationKey = (o: Pick<Observation, 'device' | 'channel' | 'time'>): string => `${o.device}/${o.channel}/${o.time}`;

/**
 * G1 on an observation, against the reference reads of the same channel at
 * the same instant before any of the instant's work (`before`) and after
 * all of it in the normal order (`after`): a counter that moved on (the
 * expiry happened) must come with the status set, unless the device leaves
 * it clear after that instant's work anyway (a reload from 0 that flags
 * nothing, such as SysTick's first one: `after` shows the same count with
 * the status clear and no write); a counter that did not move must come
 * with the status unchanged. @internal
 */
export const judgeObservation = (o: Observation, before: Observation | undefined, after?: Observation): string | undefined => {
  if (before === undefined || o.afterWrite) return undefined;
  const where = `G1 (consistent reads) at ${o.time} ns: ${o.device}.${o.channel}`;
  if (o.counter !== before.counter) {
    if (o.pending) return undefined;
    const flagsNothing = after !== undefined && !after.afterWrite && !after.pending && after.counter === o.counter;
    return flagsNothing ? undefined : `${where}: counter ${o.counter} shows the expiry (it read ${before.counter} before the instant's work) with the status clear`;
  }
  return o.pending === before.pending
    ? undefined
    : `${where}: status ${o.pending ? 'set' : 'clear'} (it was ${before.pending ? 'set' : 'clear'} before the instant's work) while the counter still reads ${o.counter}`;
};
