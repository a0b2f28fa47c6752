/**
 * One general-purpose timer of the MCF5206 timer module (timer 1 or timer 2): the 16-bit
 * up-counter TCN with its prescaler, its reference compare against TRR and its event register.
 * The decisions it implements (M1–M7, M9) are in Mcf5206Timer.ts's header.
 *
 * Structure (decided): the down-counting timer counts steps to the next reference event, the
 * edge that takes TCN off TRR. From a TCN of c that is `((TRR - c) mod 2^16) + 1` steps (through
 * the wrap from 0xFFFF to 0 when c is above TRR), and while it counts TCN = `(TRR + 1 - count)
 * mod 2^16` (NO_COUNTER_ROUND_DOWN: c for the whole first step, TRR in the last). It runs
 * periodic and its reload value is the next round: TRR + 1 steps in restart mode (TCN back to 0),
 * 2^16 in free-run mode (TCN on to TRR + 1, round through the wrap, back to TRR). So the reference
 * event is the timer's expiry, and TCN's move off TRR and REF happen in one step (G1).
 */
import {
  CounterRate,
  expectResetValues,
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
import type { ClockInput } from '../../src/clock/ClockInput';
import type { PTimer } from '../../src/ptimer';
import { MCF5206_TIMER_REGISTERS } from './MCF5206_TIMER_REGISTERS';

/** The register names of one timer, by role. */
export type Mcf5206TimerNames = (typeof MCF5206_TIMER_REGISTERS.channels.Timer)[number];

const TMR = MCF5206_TIMER_REGISTERS.byName.TMR1.fieldByName;
const TER = MCF5206_TIMER_REGISTERS.byName.TER1.fieldByName;
/** Steps in a full round of the 16-bit counter. */
const WRAP = 0x1_0000;
/** CLK values: the system clock, ÷ 16, and the TIN pin. */
const CLK_SYSTEM = 0b01;
const CLK_SYSTEM_16 = 0b10;
const CLK_TIN = 0b11;

const field = (value: number, f: { readonly mask: number; readonly lsb: number }): number => ((value & f.mask) >>> f.lsb) >>> 0;

/** Whether TMR lets the counter count: out of reset, with the system clock selected (M2, M3). */
const counts = (tmr: number): boolean => field(tmr, TMR.RST) === 1 && [CLK_SYSTEM, CLK_SYSTEM_16].includes(field(tmr, TMR.CLK));
/** System clock cycles per step: (PS + 1), times 16 for CLK 10 (M2). */
const divisorOf = (tmr: number): number => (field(tmr, TMR.PS) + 1) * (field(tmr, TMR.CLK) === CLK_SYSTEM_16 ? 16 : 1);
/** The timer's reload value: the steps from one reference event to the next (M1). */
const roundOf = (tmr: number, trr: number): number => (field(tmr, TMR.FRR) === 1 ? trr + 1 : WRAP);
/** The countdown from TCN = c to the next reference event. */
const stepsToReference = (trr: number, c: number): number => ((trr - c) & 0xffff) + 1;

/** What a timer needs from its device. */
export interface Mcf5206CounterContext {
  /** The device's register bank. */
  readonly bank: RegisterBank<RegisterShape>;
  /** This timer's register names (`TMR1`, …). */
  readonly names: Mcf5206TimerNames;
  /** Its ptimer (policy MCF5206_TIMER_POLICY). */
  readonly timer: PTimer;
  /** The system clock it counts. */
  readonly clock: ClockInput;
  /** Reports a feature the model leaves out (`TMR1.CLK = 11 (TIN)`) as an `unimplemented` event at `offset`. */
  readonly report: (offset: number, feature: string) => void;
}

/**
 * One MCF5206 timer (see the module doc). Every method that changes the counter does it in one
 * transaction of its ptimer (joining the callback context when called from there).
 */
export class Mcf5206Counter {
  constructor(private readonly c: Mcf5206CounterContext) {}

  /** The reference event (in the timer's callback context under sync delivery): REF, whatever ORI says (M1, M6). */
  onExpiry(): void {
    this.c.bank.setField(this.c.names.TER, 'REF', 1);
  }

  /** TCN as a guest read returns it now: 0 in reset, else `(TRR + 1 - count) mod 2^16` (no side effect). */
  tcn(): number {
    return (this.c.bank.get(this.c.names.TRR) + 1 - this.c.timer.getCountNumber()) & 0xffff;
  }

  /** The interrupt request: ORI && REF, or CE ≠ 00 && CAP (M6). */
  pending(): boolean {
    const tmr = this.c.bank.get(this.c.names.TMR);
    const ter = this.c.bank.get(this.c.names.TER);
    return (field(tmr, TMR.ORI) === 1 && (ter & TER.REF.mask) !== 0) || (field(tmr, TMR.CE) !== 0 && (ter & TER.CAP.mask) !== 0);
  }

  /**
   * TMR write: a change of RST from 1 to 0 resets TRR, TCR, TCN and TER (TMR keeps what was
   * written); CLK 11 is reported; then the counter follows the registers (M2, M3).
   */
  writeMode(value: number, old: number): void {
    const { bank, names } = this.c;
    if (field(old, TMR.RST) === 1 && field(value, TMR.RST) === 0) {
      for (const r of [names.TRR, names.TCR, names.TER]) bank.set(r, MCF5206_TIMER_REGISTERS.byName[r].reset);
      this.sync({ tcn: 0 });
      return;
    }
    if (field(value, TMR.CLK) === CLK_TIN) this.c.report(MCF5206_TIMER_REGISTERS.byName[names.TMR].offset, `${names.TMR}.CLK = 11 (the TIN input)`);
    this.sync();
  }

  /** TRR write: the next reference event is when TCN leaves the new TRR, counted from TCN's reading now (M5). */
  writeReference(old: number): void {
    this.sync({ trrBefore: old });
  }

  /** TCN write: any value clears TCN (a fresh step); nothing is stored (M4). */
  writeCount(): void {
    this.c.bank.set(this.c.names.TCN, 0);
    this.sync({ tcn: 0 });
  }

  /** After a register reset: TCN 0, held in reset. */
  reset(): void {
    this.sync({ tcn: 0 });
  }

  /**
   * Brings the ptimer in line with TMR, TRR and the system clock, in one transaction: the rate
   * (unchanged, it leaves the count alone), the countdown to the next reference event (re-planned
   * only when TCN is set or TRR changed: M4, M5), the next round (FRR, TRR: applies after the
   * next event, M7), and whether it counts (M2, M3, M9).
   * @param change - `tcn`: TCN is set to this value; `trrBefore`: TRR was just written, and the
   *   count was planned against this value
   */
  sync(change: { readonly tcn?: number; readonly trrBefore?: number } = {}): void {
    const { bank, names, timer, clock } = this.c;
    const tmr = bank.get(names.TMR);
    const trr = bank.get(names.TRR);
    const hz = clock.hz;
    const counting = counts(tmr) && hz > 0;
    timer.transaction((t) => {
      const before = t.getCount(); // before any change: later reads in the transaction are stale (reference §5.2 pitfall 2)
      const c = field(tmr, TMR.RST) === 0 ? 0 : (change.tcn ?? ((change.trrBefore ?? trr) + 1 - Number(before)) & 0xffff);
      if (!counting) t.stop(); // first: stop latches the count at the old period (pitfall 3)
      if (hz > 0) this.rate.apply(t, hz, divisorOf(tmr)); // a new period latches a running count
      const steps = stepsToReference(trr, c);
      if (change.tcn !== undefined || BigInt(steps) !== before) t.setCount(steps);
      t.setLimit(roundOf(tmr, trr), false);
      if (counting) t.run(false); // a stopped counter was stopped above, before the changes
    });
  }

  /** The rate the counter last applied (for a restore: what its snapshot's period was set from). */
  adoptRate(): void {
    this.rate.adopt(this.c.clock.hz, divisorOf(this.c.bank.get(this.c.names.TMR)));
  }

  private readonly rate = new CounterRate();
}

/**
 * The snapshot invariants of one timer (the device header, "Snapshots"), on a snapshot the schema
 * and the counter accepted.
 * @param r - the snapshot's register values by name
 * @param names - the timer's register names
 * @param timer - its counter's part
 * @param hz - the system clock now (already compared with the snapshot's)
 * @throws RegisterSnapshotError at the field that breaks one
 */
export const checkMcf5206Counter = (r: Readonly<Record<string, number>>, names: Mcf5206TimerNames, timer: TimerPartView, hz: number): void => {
  const defs = MCF5206_TIMER_REGISTERS.byName;
  expectResetValues(r, [defs[names.TCR], defs[names.TCN]]);
  const tmr = r[names.TMR]!;
  const trr = r[names.TRR]!;
  const ter = r[names.TER]!;
  if ((ter & TER.CAP.mask) !== 0) refuseSnapshot(registerPath(names.TER), ter, `must have ${registerPath(names.TER, 'CAP')} 0: no capture input is modelled (M11)`);
  expectTimerLimit(timer, roundOf(tmr, trr), `(the steps from one reference event to the next: ${registerPath(names.TRR)} + 1 with ${registerPath(names.TMR, 'FRR')} 1, 2^16 with FRR 0, M1)`);
  expectTimerCountAtMost(timer, WRAP, '(at most a full round of the 16-bit TCN to the next reference event)');
  if (timer.delta === 0n) refuseSnapshot(`${timer.where}.delta`, '0', 'must be at least 1: the counter always counts at least a step to the next reference event');
  if (hz > 0) expectTimerPeriod(timer, hz, divisorOf(tmr), `of one step, ${divisorOf(tmr)} system clock cycles at ${hz} Hz (${registerPath(names.TMR, 'PS')} and CLK, M2)`);
  if (field(tmr, TMR.RST) === 0) {
    if (ter !== 0) refuseSnapshot(registerPath(names.TER), ter, `must be 0 while ${registerPath(names.TMR, 'RST')} is 0: the reset clears it and nothing sets it in reset (M3)`);
    expectTimerMode(timer, ['stopped'], `while ${registerPath(names.TMR, 'RST')} is 0 (the timer is held in reset, M3)`);
    if (timer.delta !== BigInt(trr + 1)) {
      refuseSnapshot(`${timer.where}.delta`, timer.delta.toString(), `must be ${trr + 1} (TCN 0: ${registerPath(names.TRR)} + 1 steps to the reference event) while ${registerPath(names.TMR, 'RST')} is 0 (M3)`);
    }
    return;
  }
  if (counts(tmr) && hz > 0) expectTimerMode(timer, ['periodic'], `while ${registerPath(names.TMR, 'RST')} is 1, CLK selects the system clock and it runs at ${hz} Hz (M1, M2)`);
  else expectTimerMode(timer, ['stopped'], `while ${registerPath(names.TMR, 'CLK')} is ${field(tmr, TMR.CLK)} and the system clock runs at ${hz} Hz (the counter counts only the system clock, M2, M9)`);
};
