import type { SchedulerLike } from 'rxjs';
import type { DriverCommand, DriverInput, WaitUntilCommand } from '../../operators/driverCommands';
import { divisorOf } from '../catalogue/CatalogueChannel';
import type { TimerChannel } from '../catalogue/DeviceType';
import type { GuestProgram } from '../GuestProgram';
import type { Mutable } from './Mutable';
import { BEGIN, ProgramIterator, STARTING, yielded, type Yielded } from './ProgramIterator';
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
  // The wake-up is made once and changed in place: the loop runs once per feed for the whole simulation.
  const wake: WaitUntilCommand = { kind: 'wait-until', time: 0 };
  const plan: FeedPlan = {
    start: startAccesses.map(yielded),
    wake: yielded(wake),
    feed: feed.map(yielded),
    feedEveryNs,
    clock,
    stopAfter,
    // Changed in place (one object per program, not per feed); position() hands out copies.
    state: { next: 0, feeds: 0 },
  };

  return {
    start: (position?: unknown): Iterator<DriverCommand, void, DriverInput> => new FeedRun(plan, position),
    position: () => ({ ...plan.state }),
    stats: () => ({ feeds: plan.state.feeds, timeoutCycles }),
  };
};

/** What a {@link watchdogFeeder}'s runs share: its commands as results made once, its options and its state. */
interface FeedPlan {
  readonly start: readonly Yielded[];
  /** Yields the wait-until whose time the run sets before each feed. */
  readonly wake: Yielded;
  readonly feed: readonly Yielded[];
  readonly feedEveryNs: number;
  readonly clock: Pick<SchedulerLike, 'now'>;
  readonly stopAfter: number | undefined;
  state: Mutable<WatchdogFeederPosition>;
}

// Where a FeedRun stands, after BEGIN and STARTING.
const TOP = 2;
const FEEDING = 3;

/** One run of a {@link watchdogFeeder} (see ProgramIterator): "wait until the next feed, feed". */
class FeedRun extends ProgramIterator<FeedPlan> {
  protected step(): IteratorResult<DriverCommand, void> {
    const { plan } = this;
    for (;;) {
      switch (this.at) {
        case BEGIN: {
          const state = this.resumed<Mutable<WatchdogFeederPosition>>({ next: isWhole, feeds: isWhole }, 'watchdogFeeder', TOP);
          if (state !== undefined) plan.state = state;
          break;
        }
        case STARTING: {
          const access = this.each(plan.start, TOP);
          if (access !== undefined) return access;
          plan.state = { next: plan.clock.now() + plan.feedEveryNs, feeds: 0 };
          break;
        }
        case TOP:
          if (plan.stopAfter !== undefined && plan.state.feeds >= plan.stopAfter) return this.end();
          (plan.wake.value as { time: number }).time = plan.state.next;
          this.at = FEEDING;
          return plan.wake;
        default: {
          // FEEDING
          const access = this.each(plan.feed, TOP);
          if (access !== undefined) return access;
          plan.state.next += plan.feedEveryNs;
          plan.state.feeds++;
        }
      }
    }
  }
}
