/**
 * One channel of the SuperH TMU: TCORn, TCNTn, TCRn and its STRn bit in TSTR. The three
 * channels behave alike (channel 2 only adds input capture, which is not modelled); the
 * decisions they implement (X1-X6) are in ShTmu.ts's header.
 *
 * The channel's ptimer holds TCNT + 1, reloading TCOR + 1: its step to 0 is the underflow
 * (TCNT going from 0 to TCOR), so a round is TCOR + 1 counts and TCNT reads N through the
 * first count after a write of N and 0 through the last (X1).
 */
import {
  CounterRate,
  expectTimerCountAtMost,
  expectTimerLimit,
  expectTimerMode,
  expectTimerPeriod,
  refuseSnapshot,
  registerPath,
  type RegisterBank,
  type RegisterShape,
  type TimerPartView,
} from '../../src/bus';
import type { PTimer } from '../../src/ptimer';
import { SH_TMU_REGISTERS } from './SH_TMU_REGISTERS';

const { TPSC, CKEG, UNIE, UNF } = SH_TMU_REGISTERS.byName.TCR0.fieldByName;

/** TPSC 5: "setting prohibited" in the manual (X4). */
export const TPSC_RESERVED = 5;

/** Pφ's division for TPSC 0-4: Pφ/4, /16, /64, /256, /1024. */
const PCLK_DIVISORS = [4, 16, 64, 256, 1024] as const;

/** The TMU's three clock inputs' rates, in Hz. */
export interface TmuClockRates {
  /** Pφ, the peripheral clock (TPSC 0-4). */
  readonly pclk: number;
  /** The on-chip RTC output clock (TPSC 6). */
  readonly rtcclk: number;
  /** The external clock on the TCLK pin (TPSC 7). */
  readonly tclk: number;
}

/** What a channel counts: `hz / divisor` counts a second; `hz` 0 when it holds. */
export interface TmuCountSource {
  /** The rate handed to the ptimer (TCLK doubled when both edges count), 0 when nothing is counted. */
  readonly hz: number;
  /** The prescaler's division of `hz`. */
  readonly divisor: number;
  /** The selection in words, for messages (`Pφ/4`, `TCLK, both edges`). */
  readonly what: string;
}

/**
 * What TCR selects (X4): Pφ/4 … Pφ/1024, nothing for the reserved TPSC 5, the RTC output
 * clock, or TCLK counted on one edge (once per cycle) or both (twice per cycle).
 * @param tcr - the channel's TCR
 * @param rates - the clock inputs' rates now
 * @returns the source; its `hz` is 0 for TPSC 5 or a stopped clock
 */
export const tmuCountSource = (tcr: number, rates: TmuClockRates): TmuCountSource => {
  const tpsc = (tcr & TPSC.mask) >>> TPSC.lsb;
  if (tpsc < PCLK_DIVISORS.length) {
    const divisor = PCLK_DIVISORS[tpsc]!;
    return { hz: rates.pclk, divisor, what: `Pφ/${divisor}` };
  }
  if (tpsc === TPSC_RESERVED) return { hz: 0, divisor: 1, what: 'nothing (TPSC 5 is reserved)' };
  if (tpsc === 6) return { hz: rates.rtcclk, divisor: 1, what: 'the RTC output clock' };
  const both = (tcr & CKEG.mask) >>> CKEG.lsb >= 2;
  return { hz: both ? rates.tclk * 2 : rates.tclk, divisor: 1, what: both ? 'TCLK, both edges' : 'TCLK, one edge' };
};

/** The register names of one channel. */
export interface TmuChannelNames {
  /** `TCORn`. */
  readonly TCOR: string;
  /** `TCNTn`. */
  readonly TCNT: string;
  /** `TCRn`. */
  readonly TCR: string;
}

/** What a channel needs from its device. */
export interface TmuChannelContext {
  /** The device's register bank. */
  readonly bank: RegisterBank<RegisterShape>;
  /** The channel's number, 0-2: its STRn bit in TSTR. */
  readonly index: number;
  /** Its registers. */
  readonly names: TmuChannelNames;
  /** Its ptimer (policy SH_TMU_POLICY), holding TCNT + 1. */
  readonly timer: PTimer;
  /** The clock inputs' rates now. */
  readonly rates: () => TmuClockRates;
}

const COUNT_SPAN = 0x1_0000_0000n;
const RESET_COUNT = 0xffff_ffff;

/**
 * One TMU channel (see the module doc). Every method that changes the counter does it in one
 * transaction of its ptimer (joining the callback context when called from there).
 */
export class TmuChannel {
  constructor(private readonly c: TmuChannelContext) {}

  /** The underflow (X1, X5): UNF rises whatever UNIE says; the ptimer has already loaded TCOR. */
  onExpiry(): void {
    this.c.bank.setField(this.c.names.TCR, 'UNF', 1);
  }

  /** TUNIn: UNF & UNIE (X5). */
  pending(): boolean {
    const tcr = this.c.bank.get(this.c.names.TCR);
    return (tcr & UNF.mask) !== 0 && (tcr & UNIE.mask) !== 0;
  }

  /** TCNT as a guest read returns it now (no side effect). */
  value(): number {
    // A number, not a BigInt: the count is at most TCOR + 1 (33 bits), exact either way (#19: a read each poll).
    return this.c.timer.getCountNumber() - 1;
  }

  /** A TCNT write: the counter takes `value` at once, running or not (X2); TCNT itself stores nothing. */
  load(value: number): void {
    this.c.bank.set(this.c.names.TCNT, RESET_COUNT);
    this.sync({ count: value });
  }

  /** After a register reset: TCNT 0xFFFFFFFF, held (TSTR 0), on the current Pφ/4. */
  reset(): void {
    this.sync({ count: RESET_COUNT });
  }

  /** What TCR selects now (X4). */
  source(): TmuCountSource {
    return tmuCountSource(this.c.bank.get(this.c.names.TCR), this.c.rates());
  }

  /**
   * Brings the ptimer in line with the registers and the clocks, in one transaction: TCOR as
   * the next reload (X2), STRn (X3), the selected clock (X4, X6). Changing nothing re-anchors
   * nothing, so a TCR write that keeps the selection leaves the count alone.
   * @param change - `count`: TCNT is loaded with this value
   */
  sync(change: { readonly count?: number } = {}): void {
    const { bank, timer, names } = this.c;
    const started = ((bank.get('TSTR') >>> this.c.index) & 1) === 1;
    const limit = BigInt(bank.get(names.TCOR)) + 1n;
    const { hz, divisor } = this.source();
    const counting = started && hz > 0;
    timer.transaction((t) => {
      // Stop and period changes first: both latch the running count (reference §5.2 pitfall 3).
      if (!counting) t.stop();
      this.rate.apply(t, hz, divisor);
      t.setLimit(limit, false);
      if (change.count !== undefined) t.setCount(BigInt(change.count) + 1n);
      // On a running counter `run` only confirms the mode: the count goes on (X3).
      if (counting) t.run(false);
    });
  }

  /** The selected clock's rate as last applied. */
  private readonly rate = new CounterRate();
}

/** How the device names one channel's parts in messages. */
export interface TmuChannelPaths {
  /** Its registers. */
  readonly names: TmuChannelNames;
  /** The STRn field's path (`registers.registers.TSTR.STR0`). */
  readonly start: string;
}

/**
 * The snapshot invariants of one channel (the device header, "Snapshots"), on a snapshot the
 * schema and the counter accepted.
 * @param registers - the snapshot's register values by name
 * @param started - its STRn bit in the snapshot
 * @param timer - its counter's part
 * @param rates - the clock inputs' rates now (already compared with the snapshot's)
 * @param paths - names for messages
 * @throws RegisterSnapshotError at the field that breaks one
 */
export const checkTmuChannel = (
  registers: Readonly<Record<string, number>>,
  started: boolean,
  timer: TimerPartView,
  rates: TmuClockRates,
  paths: TmuChannelPaths,
): void => {
  const { TCOR, TCR } = paths.names;
  expectTimerLimit(timer, BigInt(registers[TCOR]!) + 1n, `(${registerPath(TCOR)} + 1: the underflow loads TCOR one count after TCNT reads 0, X1)`);
  expectTimerCountAtMost(timer, COUNT_SPAN, `(TCNT + 1: TCNT is 32 bits)`);
  if (timer.delta === 0n) {
    refuseSnapshot(`${timer.where}.delta`, timer.delta.toString(), `must be at least 1: the counter holds TCNT + 1 (X1)`);
  }
  const source = tmuCountSource(registers[TCR]!, rates);
  if (source.hz > 0) expectTimerPeriod(timer, source.hz, source.divisor, `of one count of ${source.what} (${registerPath(TCR, 'TPSC')})`);
  if (started && source.hz > 0) {
    expectTimerMode(timer, ['periodic'], `while ${paths.start} is 1 and ${registerPath(TCR, 'TPSC')} selects ${source.what}, running (the channel counts, X3)`);
  } else {
    expectTimerMode(
      timer,
      ['stopped'],
      `while ${paths.start} is ${started ? 1 : 0} and ${registerPath(TCR, 'TPSC')} selects ${source.what} at ${source.hz} Hz (the channel holds TCNT, X3, X4, X6)`,
    );
  }
};
