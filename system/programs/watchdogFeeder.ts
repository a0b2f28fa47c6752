import type { SchedulerLike } from 'rxjs';
import type { DriverCommand, DriverInput, WaitUntilCommand } from '../../operators/driverCommands';
import { divisorOf } from '../catalogue/CatalogueChannel';
import type { TimerChannel } from '../catalogue/DeviceType';
import type { GuestProgram } from '../GuestProgram';
import { checkPosition } from './checkPosition';
import type { Mutable } from './Mutable';
import { relocate } from './relocate';
import { isWhole, requireOption } from './requireOption';
import { ticksForDuration } from './ticksForRate';

/** Options of {@link watchdogFeeder}. */
export interface WatchdogFeederOptions {
  /** The device's base address. */
  readonly base: number;
  /** A `watchdog` channel. */
  readonly channel: TimerChannel;
  /** The system's clock, for the start instant (the feeds are placed from it). */
  readonly clock: Pick<SchedulerLike, 'now'>;
  /** Frequency of the channel's clock (Hz). */
  readonly clockHz: number;
  /** The timeout (ns): the watchdog is started with round(timeoutNs × clockHz / 1e9) cycles (counter steps, for a channel with a `divisor`). */
  readonly timeoutNs: number;
  /** Virtual ns between feeds; less than the timeout. */
  readonly feedEveryNs: number;
  /** Stop feeding after this many feeds, so the watchdog bites (default: feed for ever). */
  readonly stopAfter?: number;
}

/** Where a {@link watchdogFeeder} is: plain data, see `GuestProgram.position`. */
export interface WatchdogFeederPosition {
  /** Time of the next feed (ns): the wait it is in. */
  readonly next: number;
  /** Feeds made so far. */
  readonly feeds: number;
}

/** What a {@link watchdogFeeder} has counted. */
export interface WatchdogFeederStats {
  /** Feeds made so far. */
  readonly feeds: number;
  /** Clock cycles of the timeout the watchdog was started with (counter steps of `divisor` cycles, for a channel with one). */
  readonly timeoutCycles: number;
}

/** A watchdog feeder (see {@link watchdogFeeder}). */
export interface WatchdogFeeder extends GuestProgram {
  position(): WatchdogFeederPosition;
  /** What it has counted so far. */
  stats(): WatchdogFeederStats;
}

/**
 * A watchdog daemon: starts a `watchdog` channel with a timeout of `timeoutNs`
 * and feeds it (the channel's `acknowledge` accesses) every `feedEveryNs`, so
 * it never times out; with `stopAfter` it stops feeding after that many feeds
 * and returns, and the watchdog then bites.
 *
 * Resumable: its whole state is a {@link WatchdogFeederPosition}; it only ever
 * suspends in `waitUntil(next)`.
 *
 * ## Example
 * ```ts
 * system.addGuest('wd', watchdogFeeder({ base, channel, clock: system.clock, clockHz: 25e6, timeoutNs: 1_000_000, feedEveryNs: 400_000 }));
 * ```
 *
 * @param options - base, channel, clock, clock rate, timeout, feed interval and an optional feed limit
 * @returns the program
 * @throws SystemConfigError for a channel that is not a watchdog, a timeout the channel cannot make, or a feed interval not under the timeout
 */
export const watchdogFeeder = (options: WatchdogFeederOptions): WatchdogFeeder => {
  const { base, channel, clock, clockHz, timeoutNs, feedEveryNs, stopAfter } = options;
  requireOption(isWhole(base), base, 'must be a whole, non-negative address', 'watchdogFeeder(options.base)');
  requireOption(channel.kind === 'watchdog', channel.name, `must be a watchdog channel (kind 'watchdog'), not a ${channel.kind} channel`, 'watchdogFeeder(options.channel)');
  const timeoutCycles = ticksForDuration(channel, clockHz, timeoutNs, 'watchdogFeeder(options.timeoutNs)');
  const divisor = divisorOf(channel);
  const actualTimeoutNs = (timeoutCycles * divisor * 1e9) / clockHz;
  requireOption(
    isWhole(feedEveryNs) && feedEveryNs > 0 && feedEveryNs < actualTimeoutNs,
    feedEveryNs,
    `must be a positive whole number of ns under the timeout (${timeoutCycles} ${divisor === 1 ? 'cycles' : `steps of ${divisor} cycles`} = ${actualTimeoutNs} ns), or the watchdog bites between feeds`,
    'watchdogFeeder(options.feedEveryNs)',
  );
  requireOption(stopAfter === undefined || isWhole(stopAfter), stopAfter, 'must be a whole number of feeds', 'watchdogFeeder(options.stopAfter)');
  const startAccesses = channel.start(timeoutCycles).map((a) => relocate(base, a));
  const feed = channel.acknowledge.map((a) => relocate(base, a));
  // Changed in place (one object per program, not per feed); position() hands out copies. The wake-up is made once.
  let state: Mutable<WatchdogFeederPosition> = { next: 0, feeds: 0 };
  const wake: WaitUntilCommand = { kind: 'wait-until', time: 0 };

  return {
    *start(position?: unknown): Generator<DriverCommand, void, DriverInput> {
      if (position === undefined) {
        yield* startAccesses;
        state = { next: clock.now() + feedEveryNs, feeds: 0 };
      } else {
        state = checkPosition<Mutable<WatchdogFeederPosition>>(position, { next: isWhole, feeds: isWhole }, 'watchdogFeeder');
      }
      while (stopAfter === undefined || state.feeds < stopAfter) {
        (wake as { time: number }).time = state.next;
        yield wake;
        for (let i = 0; i < feed.length; i++) yield feed[i]!;
        state.next += feedEveryNs;
        state.feeds++;
      }
    },
    position: () => ({ ...state }),
    stats: () => ({ feeds: state.feeds, timeoutCycles }),
  };
};
