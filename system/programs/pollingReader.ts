import type { SchedulerLike } from 'rxjs';
import type { DriverCommand, DriverInput, WaitUntilCommand } from '../../operators/driverCommands';
import { guestRead } from '../../src/bus/GuestAccess';
import { counterOf } from '../catalogue/CatalogueChannel';
import type { TimerChannel } from '../catalogue/DeviceType';
import type { GuestProgram } from '../GuestProgram';
import type { Mutable } from './Mutable';
import { BEGIN, counterResults, CounterReadingIterator, STARTING, yielded, type CounterResults, type Yielded } from './ProgramIterator';
import { counterReadPlan } from './readCounter';
import { relocate } from './relocate';
import { isWhole, requireOption } from './requireOption';
import { ticksForRate } from './ticksForRate';

/** Options of {@link pollingReader}. */
export interface PollingReaderOptions {
  /** The device's base address. */
  readonly base: number;
  /** The channel to poll. */
  readonly channel: TimerChannel;
  /** The system's clock, for the start instant (the polls are placed from it). */
  readonly clock: Pick<SchedulerLike, 'now'>;
  /** Virtual ns between polls. */
  readonly everyNs: number;
  /** Start the channel first at this many expiries per second (default: poll only; another guest runs it). */
  readonly hz?: number;
  /** Frequency of the channel's clock (Hz); needed with `hz`. */
  readonly clockHz?: number;
  /** Return after this many polls (default: never). */
  readonly polls?: number;
}

/** Where a {@link pollingReader} is: plain data, see `GuestProgram.position`. */
export interface PollingReaderPosition {
  /** Time of the next poll (ns): the wait it is in. */
  readonly next: number;
  /** Polls made so far. */
  readonly polls: number;
  /** Polls whose status showed the channel's bit. */
  readonly pending: number;
  /** The counter value of the last poll (0 before any). */
  readonly lastCounter: number;
  /** The whole status register value of the last poll (0 before any). */
  readonly lastStatus: number;
}

/** What a {@link pollingReader} has counted. */
export interface PollingReaderStats {
  /** Polls made so far. */
  readonly polls: number;
  /** Polls whose status showed the channel's bit. */
  readonly pending: number;
  /** The counter value of the last poll (0 before any). */
  readonly lastCounter: number;
  /** The whole status register value of the last poll (0 before any). */
  readonly lastStatus: number;
}

/** A polling reader (see {@link pollingReader}). */
export interface PollingReader extends GuestProgram {
  position(): PollingReaderPosition;
  /** What it has counted so far. */
  stats(): PollingReaderStats;
}

/**
 * A polling driver: every `everyNs` it reads the channel's counter and then
 * its status, in one guest step (so the pair is one observation, the race
 * experiment's), and counts the polls that found the status bit set. It
 * acknowledges nothing. With `hz` it first starts the channel at that rate.
 *
 * Resumable: its whole state is a {@link PollingReaderPosition}; it only ever
 * suspends in `waitUntil(next)`.
 *
 * Ordering: relies on G1: a poll at an expiry instant sees the counter and the
 * status both before or both after the expiry.
 *
 * ## Example
 * ```ts
 * system.addGuest('poll', pollingReader({ base, channel, clock: system.clock, everyNs: 50_000 }));
 * ```
 *
 * @param options - base, channel, clock, interval, optional start rate and poll limit
 * @returns the program
 * @throws SystemConfigError for a bad option, or a channel with no counter register
 */
export const pollingReader = (options: PollingReaderOptions): PollingReader => {
  const { base, channel, clock, everyNs, hz, clockHz, polls: limit } = options;
  counterOf(channel, 'pollingReader(options.channel)');
  requireOption(isWhole(base), base, 'must be a whole, non-negative address', 'pollingReader(options.base)');
  requireOption(isWhole(everyNs) && everyNs > 0, everyNs, 'must be a positive whole number of ns', 'pollingReader(options.everyNs)');
  requireOption(limit === undefined || (isWhole(limit) && limit > 0), limit, 'must be a positive whole number of polls', 'pollingReader(options.polls)');
  requireOption(hz === undefined || clockHz !== undefined, clockHz, "must be given with hz (the channel's clock rate, Hz)", 'pollingReader(options.clockHz)');
  const startAccesses =
    hz === undefined ? [] : channel.start(ticksForRate(channel, clockHz ?? 0, hz, 'pollingReader(options.hz)')).map((a) => relocate(base, a));
  const status = guestRead(base + channel.status.offset, channel.status.size);
  const counter = counterReadPlan(base, channel);
  // The wake-up is made once and changed in place: the loop runs once per poll for the whole simulation.
  const wake: WaitUntilCommand = { kind: 'wait-until', time: 0 };
  const plan: PollPlan = {
    start: startAccesses.map(yielded),
    wake: yielded(wake),
    counter: counterResults(counter),
    status: yielded(status),
    mask: channel.status.mask,
    everyNs,
    clock,
    limit,
    // Changed in place (one object per program, not per poll); position() hands out copies.
    state: { next: 0, polls: 0, pending: 0, lastCounter: 0, lastStatus: 0 },
  };

  return {
    start: (position?: unknown): Iterator<DriverCommand, void, DriverInput> => new PollRun(plan, position),
    position: () => ({ ...plan.state }),
    stats: () => {
      const { state } = plan;
      return { polls: state.polls, pending: state.pending, lastCounter: state.lastCounter, lastStatus: state.lastStatus };
    },
  };
};

/** What a {@link pollingReader}'s runs share: its commands as results made once, its options and its state. */
interface PollPlan {
  readonly start: readonly Yielded[];
  /** Yields the wait-until whose time the run sets before each poll. */
  readonly wake: Yielded;
  /** The counter's read. */
  readonly counter: CounterResults;
  readonly status: Yielded;
  readonly mask: number;
  readonly everyNs: number;
  readonly clock: Pick<SchedulerLike, 'now'>;
  readonly limit: number | undefined;
  state: Mutable<PollingReaderPosition>;
}

// Where a PollRun stands, after BEGIN and STARTING.
const TOP = 2;
const READING = 3;
const AFTER_STATUS = 4;

/** One run of a {@link pollingReader} (see ProgramIterator): "wait until the next poll, read the counter, then the status". */
class PollRun extends CounterReadingIterator<PollPlan> {

  protected step(input: DriverInput): IteratorResult<DriverCommand, void> {
    const { plan } = this;
    for (;;) {
      switch (this.at) {
        case BEGIN: {
          const state = this.resumed<Mutable<PollingReaderPosition>>(
            { next: isWhole, polls: isWhole, pending: isWhole, lastCounter: isWhole, lastStatus: isWhole },
            'pollingReader',
            TOP,
          );
          if (state !== undefined) plan.state = state;
          break;
        }
        case STARTING: {
          const access = this.each(plan.start, TOP);
          if (access !== undefined) return access;
          plan.state = { next: plan.clock.now() + plan.everyNs, polls: 0, pending: 0, lastCounter: 0, lastStatus: 0 };
          break;
        }
        case TOP:
          if (plan.limit !== undefined && plan.state.polls >= plan.limit) return this.end();
          (plan.wake.value as { time: number }).time = plan.state.next;
          this.counter.begin();
          this.at = READING;
          return plan.wake;
        case READING: {
          const access = this.counter.step(input);
          if (access !== undefined) return access;
          this.at = AFTER_STATUS;
          return plan.status;
        }
        default: {
          // AFTER_STATUS
          const value = input ?? 0;
          const { state } = plan;
          state.next += plan.everyNs;
          state.polls++;
          if ((value & plan.mask) !== 0) state.pending++;
          state.lastCounter = this.counter.value;
          state.lastStatus = value;
          this.at = TOP;
        }
      }
    }
  }
}
