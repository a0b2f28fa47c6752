import type { SchedulerLike } from 'rxjs';
import type { DriverCommand, DriverInput, WaitUntilCommand } from '../../operators/driverCommands';
import { counterOf, divisorOf } from '../catalogue/CatalogueChannel';
import type { TimerChannel } from '../catalogue/DeviceType';
import type { GuestProgram } from '../GuestProgram';
import type { Mutable } from './Mutable';
import { BEGIN, counterResults, CounterReadingIterator, STARTING, yielded, type CounterResults, type Yielded } from './ProgramIterator';
import { counterReadPlan } from './readCounter';
import { relocate } from './relocate';
import { isPositive, isWhole, requireOption } from './requireOption';

/** Options of {@link clocksourceReader}. */
export interface ClocksourceReaderOptions {
  /** The device's base address. */
  readonly base: number;
  /** The channel to run free (started with its `maxTicks`). */
  readonly channel: TimerChannel;
  /** The system's clock, for the start instant (the reads are placed from it). */
  readonly clock: Pick<SchedulerLike, 'now'>;
  /** Frequency of the channel's clock (Hz): how far the counter should move between reads. */
  readonly clockHz: number;
  /** Virtual ns between reads. */
  readonly everyNs: number;
  /** Return after this many reads, the one at the start included (default: never). */
  readonly reads?: number;
}

/** Where a {@link clocksourceReader} is: plain data, see `GuestProgram.position`. */
export interface ClocksourceReaderPosition {
  /** Time of the next read (ns): the wait it is in. */
  readonly next: number;
  /** Reads made so far, the one at the start included. */
  readonly reads: number;
  /** Reads that did not follow from the one before (see {@link clocksourceReader}). */
  readonly inconsistent: number;
  /** Time of the previous reading (ns; 0 before any). */
  readonly lastTime: number;
  /** The previous reading: the counter value (0 before any). */
  readonly lastValue: number;
}

/** What a {@link clocksourceReader} has counted. */
export interface ClocksourceReaderStats {
  /** Reads made so far, the one at the start included. */
  readonly reads: number;
  /** Reads that did not follow from the one before (see {@link followsReading}). */
  readonly inconsistent: number;
  /** The last value read. */
  readonly last: number;
}

/** A clocksource reader (see {@link clocksourceReader}). */
export interface ClocksourceReader extends GuestProgram {
  position(): ClocksourceReaderPosition;
  /** What it has counted so far. */
  stats(): ClocksourceReaderStats;
}

/** Slack, in counter steps, for a reading between two clock edges and for the step a reload or wrap spends. */
const SLACK = 2;

/**
 * Whether `value`, read `cycles` clock cycles after `previous`, follows from it
 * for a counter going `direction` that wraps at most once between two reads:
 * without a wrap it moved by `cycles` (± 2 steps of slack); a wrap is only
 * possible when it had the time to get past its end (0 counting down,
 * `maxTicks - 1` counting up).
 */
export const followsReading = (
  direction: 'down' | 'up',
  previous: number,
  value: number,
  cycles: number,
  maxTicks: number,
): boolean => {
  const moved = direction === 'down' ? previous - value : value - previous;
  if (moved >= 0) return Math.abs(moved - cycles) <= SLACK;
  const toEnd = direction === 'down' ? previous : maxTicks - 1 - previous;
  return cycles + SLACK >= toEnd;
};

/**
 * A clocksource driver: starts the channel free-running (`start(maxTicks)`),
 * reads the counter right away and then every `everyNs`, and checks each
 * reading against the one before with {@link followsReading}; a reading that
 * does not follow is counted in `inconsistent` (the run goes on).
 *
 * Resumable: its whole state is a {@link ClocksourceReaderPosition}; it only
 * ever suspends in `waitUntil(next)`.
 *
 * Ordering: preserves G4: each read is one guest step at its instant.
 *
 * ## Example
 * ```ts
 * system.addGuest('cs', clocksourceReader({ base, channel, clock: system.clock, clockHz: 25e6, everyNs: 100_000 }));
 * system.run(10_000_000); // stats(): { reads: 101, inconsistent: 0, ... }
 * ```
 *
 * @param options - base, channel, clock, clock rate, read interval and an optional read limit
 * @returns the program
 * @throws SystemConfigError for a bad option, a channel with no counter register, or an interval of half the channel's longest period or more (wraps could not be told apart)
 */
export const clocksourceReader = (options: ClocksourceReaderOptions): ClocksourceReader => {
  const { base, channel, clock, clockHz, everyNs, reads: limit } = options;
  const { direction } = counterOf(channel, 'clocksourceReader(options.channel)');
  requireOption(isWhole(base), base, 'must be a whole, non-negative address', 'clocksourceReader(options.base)');
  requireOption(isPositive(clockHz), clockHz, `the ${channel.clock} clock must run (a positive frequency in Hz)`, 'clocksourceReader(options.clockHz)');
  requireOption(isWhole(everyNs) && everyNs > 0, everyNs, 'must be a positive whole number of ns', 'clocksourceReader(options.everyNs)');
  // The counter steps once every `divisor` clock cycles.
  const stepHz = clockHz / divisorOf(channel);
  const halfPeriodNs = (channel.maxTicks * 1e9) / stepHz / 2;
  requireOption(everyNs < halfPeriodNs, everyNs, `must be under half the channel's longest period (${Math.floor(halfPeriodNs)} ns)`, 'clocksourceReader(options.everyNs)');
  requireOption(limit === undefined || (isWhole(limit) && limit > 0), limit, 'must be a positive whole number of reads', 'clocksourceReader(options.reads)');
  const startAccesses = channel.start(channel.maxTicks).map((a) => relocate(base, a));
  const counter = counterReadPlan(base, channel);
  // The wake-up is made once and changed in place: the loop runs once per read for the whole simulation.
  const wake: WaitUntilCommand = { kind: 'wait-until', time: 0 };
  const plan: ClocksourcePlan = {
    start: startAccesses.map(yielded),
    wake: yielded(wake),
    counter: counterResults(counter),
    clock,
    limit,
    // Changed in place (one object per program, not per read); position() hands out copies.
    state: freshReading(),
    /** One reading at `time`: checked against the previous one, then the next read is planned. */
    take(time: number, value: number): void {
      const { state } = plan;
      const cycles = ((time - state.lastTime) * stepHz) / 1e9;
      const follows = state.reads === 0 || followsReading(direction, state.lastValue, value, cycles, channel.maxTicks);
      state.next = time + everyNs;
      state.reads++;
      if (!follows) state.inconsistent++;
      state.lastTime = time;
      state.lastValue = value;
    },
  };

  return {
    start: (position?: unknown): Iterator<DriverCommand, void, DriverInput> => new ClocksourceRun(plan, position),
    position: () => ({ ...plan.state }),
    stats: () => ({ reads: plan.state.reads, inconsistent: plan.state.inconsistent, last: plan.state.lastValue }),
  };
};

const freshReading = (): Mutable<ClocksourceReaderPosition> => ({ next: 0, reads: 0, inconsistent: 0, lastTime: 0, lastValue: 0 });

/** What a {@link clocksourceReader}'s runs share: its commands as results made once, its options and its state. */
interface ClocksourcePlan {
  readonly start: readonly Yielded[];
  /** Yields the wait-until whose time the run sets before each read. */
  readonly wake: Yielded;
  /** The counter's read. */
  readonly counter: CounterResults;
  readonly clock: Pick<SchedulerLike, 'now'>;
  readonly limit: number | undefined;
  state: Mutable<ClocksourceReaderPosition>;
  readonly take: (time: number, value: number) => void;
}

// Where a ClocksourceRun stands, after BEGIN and STARTING.
const READING = 2;
const TOP = 3;

/** One run of a {@link clocksourceReader} (see ProgramIterator): "read the counter (at the start, then at each planned instant), check it". */
class ClocksourceRun extends CounterReadingIterator<ClocksourcePlan> {
  /** When this reading is taken: the start instant, then each planned one. */
  private time = 0;

  protected step(input: DriverInput): IteratorResult<DriverCommand, void> {
    const { plan } = this;
    for (;;) {
      switch (this.at) {
        case BEGIN:
          plan.state =
            this.resumed<Mutable<ClocksourceReaderPosition>>(
              { next: isWhole, reads: isWhole, inconsistent: isWhole, lastTime: isWhole, lastValue: isWhole },
              'clocksourceReader',
              TOP,
            ) ?? freshReading();
          break;
        case STARTING: {
          const access = this.each(plan.start, READING);
          if (access !== undefined) return access;
          this.time = plan.clock.now();
          this.counter.begin();
          break;
        }
        case READING: {
          const access = this.counter.step(input);
          if (access !== undefined) return access;
          plan.take(this.time, this.counter.value);
          this.at = TOP;
          break;
        }
        default:
          // TOP
          if (plan.limit !== undefined && plan.state.reads >= plan.limit) return this.end();
          this.time = plan.state.next;
          (plan.wake.value as { time: number }).time = this.time;
          this.counter.begin();
          this.at = READING;
          return plan.wake;
      }
    }
  }
}
