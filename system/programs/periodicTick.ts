import type { SchedulerLike } from 'rxjs';
import { waitForIrq, type DriverCommand, type DriverInput } from '../../operators/driverCommands';
import { guestRead } from '../../src/bus/GuestAccess';
import type { IrqSignal } from '../../src/irq/IrqLine';
import { acknowledgeOf } from '../catalogue/CatalogueChannel';
import type { TimerChannel } from '../catalogue/DeviceType';
import { SystemSnapshotError } from '../errors';
import type { GuestProgram } from '../GuestProgram';
import { checkPosition } from './checkPosition';
import type { Mutable } from './Mutable';
import { BEGIN, ProgramIterator, STARTING, yielded, type Yielded } from './ProgramIterator';
import { relocate } from './relocate';
import { isWhole, requireOption } from './requireOption';
import { ticksForRate } from './ticksForRate';

/** Options of {@link periodicTick}. */
export interface PeriodicTickOptions {
  /** The device's base address. */
  readonly base: number;
  /** The channel to run (its recipe). */
  readonly channel: TimerChannel;
  /** The line the channel raises (the system's `<device>.<channel.line>`). */
  readonly line: IrqSignal;
  /** Frequency of the channel's clock (Hz). */
  readonly clockHz: number;
  /** Ticks per second wanted: the channel expires every round(clockHz / hz) cycles. */
  readonly hz: number;
  /** Return after this many ticks (default: never). */
  readonly ticks?: number;
  /**
   * Interrupt latency (ns, default 0): the handler reads the status this long
   * after the line rises, so the line stays high that long (visible in waveforms).
   */
  readonly latencyNs?: number;
  /** The system's clock; needed with a `latencyNs` above 0. */
  readonly clock?: Pick<SchedulerLike, 'now'>;
}

/** Where a {@link periodicTick} is: plain data, see `GuestProgram.position`. */
export interface PeriodicTickPosition {
  /** Ticks handled (the status showed the channel's bit). */
  readonly ticks: number;
  /** Wake-ups with the line high but the channel's status clear (nothing acknowledged). */
  readonly spurious: number;
  /**
   * The wait it is in: for the line to rise; the latency after a rise (until
   * `handleAt`); or, after a wake-up that left the line high, for it to fall.
   */
  readonly waiting: 'rise' | 'latency' | 'fall';
  /** With `waiting: 'latency'`: when the handler runs (ns). */
  readonly handleAt?: number;
}

/** What a {@link periodicTick} has counted. */
export interface PeriodicTickStats {
  /** Ticks handled (the status showed the channel's bit; acknowledged). */
  readonly ticks: number;
  /** Wake-ups with the line high but the channel's status clear (nothing acknowledged). */
  readonly spurious: number;
  /** Clock cycles per expiry the channel was started with. */
  readonly cyclesPerTick: number;
}

/** A tick handler (see {@link periodicTick}). */
export interface PeriodicTick extends GuestProgram {
  position(): PeriodicTickPosition;
  /** What it has counted so far. */
  stats(): PeriodicTickStats;
  /** Clock cycles per expiry: round(clockHz / hz). */
  readonly cyclesPerTick: number;
}

const isWait = (v: unknown): boolean => v === 'rise' || v === 'latency' || v === 'fall';

/**
 * A periodic tick handler, as an OS's timer interrupt: starts the channel at
 * `hz` expiries per second, then for each interrupt (after `latencyNs`, if
 * given) reads the status and, when it shows the channel's bit, acknowledges
 * and counts a tick. A wake-up with
 * the status clear (a line something else holds high) is counted as spurious
 * and the handler waits for the line to fall before it waits again.
 *
 * `line` should be the channel's own: on a shared line (an OR of sources) an
 * expiry that comes while another source holds the line high raises nothing,
 * and the handler sees it only once the line has fallen and risen again.
 *
 * Resumable: its whole state is a {@link PeriodicTickPosition}, and it only
 * ever suspends in `waitForIrq` on `line` (rising, or falling first) or in
 * `waitUntil(handleAt)` during the latency.
 *
 * Ordering: relies on G1: it wakes in a step after the expiry's, so the status
 * it reads is the expiry's.
 *
 * ## Example
 * ```ts
 * const timer = deviceType('sp804').channels[0]!;
 * system.addGuest('tick', periodicTick({ base, channel: timer, line: system.line('sp0.timint1'), clockHz: 1e6, hz: 1000 }));
 * system.run(10_000_000); // stats().ticks === 10
 * ```
 *
 * @param options - base, channel, line, clock rate, tick rate and an optional tick limit
 * @returns the program
 * @throws SystemConfigError for a rate the channel cannot make, or a bad option
 */
export const periodicTick = (options: PeriodicTickOptions): PeriodicTick => {
  const { base, channel, line, clockHz, hz, ticks: limit, clock } = options;
  const latencyNs = options.latencyNs ?? 0;
  requireOption(isWhole(base), base, 'must be a whole, non-negative address', 'periodicTick(options.base)');
  requireOption(isWhole(latencyNs), latencyNs, 'must be a whole, non-negative number of ns', 'periodicTick(options.latencyNs)');
  requireOption(latencyNs === 0 || clock !== undefined, clock, 'must be given with a latency (the system clock)', 'periodicTick(options.clock)');
  requireOption(limit === undefined || (isWhole(limit) && limit > 0), limit, 'must be a positive whole number of ticks', 'periodicTick(options.ticks)');
  const cyclesPerTick = ticksForRate(channel, clockHz, hz, 'periodicTick(options.hz)');
  const startAccesses = channel.start(cyclesPerTick).map((a) => relocate(base, a));
  // With the re-arm of a channel that needs one (the LAN9118 GP timer), so that it keeps ticking.
  const acknowledge = acknowledgeOf(channel, cyclesPerTick).map((a) => relocate(base, a));
  const status = guestRead(base + channel.status.offset, channel.status.size);
  // Changed in place (one object per program, not per tick); position() hands out copies.
  const state: Mutable<PeriodicTickPosition> = { ticks: 0, spurious: 0, waiting: 'rise' };
  const resumeAt = (p: PeriodicTickPosition): void => {
    state.ticks = p.ticks;
    state.spurious = p.spurious;
    state.waiting = p.waiting;
    state.handleAt = p.handleAt;
  };

  const plan: TickPlan = {
    start: startAccesses.map(yielded),
    acknowledge: acknowledge.map(yielded),
    status: yielded(status),
    rise: yielded(waitForIrq(line, true)),
    fall: yielded(waitForIrq(line, false)),
    // Changed in place, as the handler's time comes: one per program, not one per tick.
    latency: yielded({ kind: 'wait-until', time: 0 }),
    mask: channel.status.mask,
    line,
    latencyNs,
    clock,
    limit,
    state,
    resumeAt,
  };

  return {
    cyclesPerTick,
    start: (position?: unknown): Iterator<DriverCommand, void, DriverInput> => new TickRun(plan, position),
    position: () =>
      state.handleAt === undefined
        ? { ticks: state.ticks, spurious: state.spurious, waiting: state.waiting }
        : { ticks: state.ticks, spurious: state.spurious, waiting: state.waiting, handleAt: state.handleAt },
    stats: () => ({ ticks: state.ticks, spurious: state.spurious, cyclesPerTick }),
  };
};

/** What a {@link periodicTick}'s runs share: its commands as results made once, its options and its state. */
interface TickPlan {
  readonly start: readonly Yielded[];
  readonly acknowledge: readonly Yielded[];
  readonly status: Yielded;
  readonly rise: Yielded;
  readonly fall: Yielded;
  /** Yields the wait-until whose time the run sets to `handleAt`. */
  readonly latency: Yielded;
  /** The channel's bit in its status register. */
  readonly mask: number;
  readonly line: IrqSignal;
  readonly latencyNs: number;
  readonly clock: Pick<SchedulerLike, 'now'> | undefined;
  readonly limit: number | undefined;
  readonly state: Mutable<PeriodicTickPosition>;
  readonly resumeAt: (p: PeriodicTickPosition) => void;
}

// Where a TickRun stands, after BEGIN and STARTING: the places the handler's loop (as in its doc) goes on from.
const TOP = 2;
const AFTER_FALL = 3;
const RISE = 4;
const AFTER_RISE = 5;
const LATENCY = 6;
const STATUS = 7;
const AFTER_STATUS = 8;
const ACKNOWLEDGING = 9;
const HANDLED = 10;

/**
 * One run of a {@link periodicTick} (see ProgramIterator): the loop
 * "wait for the line (to fall first if it was left high), wait the latency,
 * read the status, acknowledge or count a spurious wake-up".
 */
class TickRun extends ProgramIterator<TickPlan> {
  protected step(input: DriverInput): IteratorResult<DriverCommand, void> {
    const { plan } = this;
    const { state } = plan;
    for (;;) {
      switch (this.at) {
        case BEGIN:
          if (this.position === undefined) {
            plan.resumeAt({ ticks: 0, spurious: 0, waiting: 'rise' });
            this.at = STARTING;
          } else {
            const checked = checkPosition<PeriodicTickPosition>(
              this.position,
              { ticks: isWhole, spurious: isWhole, waiting: isWait, handleAt: (v) => v === undefined || isWhole(v) },
              'periodicTick',
            );
            if (checked.waiting === 'latency' && checked.handleAt === undefined) {
              throw new SystemSnapshotError('position.handleAt', undefined, 'is required while waiting for the latency');
            }
            plan.resumeAt(checked);
            this.at = TOP;
          }
          break;
        case STARTING: {
          const access = this.each(plan.start, TOP);
          if (access !== undefined) return access;
          break;
        }
        case TOP:
          if (plan.limit !== undefined && state.ticks >= plan.limit) return this.end();
          if (state.waiting === 'fall') {
            this.at = AFTER_FALL;
            return plan.fall;
          }
          this.at = RISE;
          break;
        case AFTER_FALL:
          state.waiting = 'rise';
          this.at = RISE;
          break;
        case RISE:
          if (state.waiting === 'rise') {
            this.at = AFTER_RISE;
            return plan.rise;
          }
          this.at = LATENCY;
          break;
        case AFTER_RISE:
          if (plan.latencyNs > 0) {
            state.waiting = 'latency';
            state.handleAt = plan.clock!.now() + plan.latencyNs;
          }
          this.at = LATENCY;
          break;
        case LATENCY:
          this.at = STATUS;
          if (state.waiting === 'latency') {
            (plan.latency.value as { time: number }).time = state.handleAt!;
            return plan.latency;
          }
          break;
        case STATUS:
          this.at = AFTER_STATUS;
          return plan.status;
        case AFTER_STATUS:
          if (((input ?? 0) & plan.mask) !== 0) this.at = ACKNOWLEDGING;
          else {
            state.spurious++;
            this.at = HANDLED;
          }
          break;
        case ACKNOWLEDGING: {
          const access = this.each(plan.acknowledge, HANDLED);
          if (access !== undefined) return access;
          state.ticks++;
          break;
        }
        default:
          // HANDLED: decided before the next wait, from the line as the handler leaves it.
          state.waiting = plan.line.level ? 'fall' : 'rise';
          state.handleAt = undefined;
          this.at = TOP;
      }
    }
  }
}
