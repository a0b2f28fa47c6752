/**
 * One local timer of the Exynos4210 MCT (L0 at 0x300, L1 at 0x400): the tick counter (TCNT) with
 * the interrupt counter (ICNT) it drives, and the local free-running counter (FRCNT). The
 * decisions it implements (X5-X9) are in Exynos4210Mct.ts's header; the device owns the register
 * bank, the rate and the lines. Not part of the public API (the folder's index does not export it).
 *
 * The tick ptimer counts *segments*: from the counters' values at a segment's start (`tcnt`,
 * `icnt`, the values of its first cycle) to the tick at which ICNT leaves 0 (the interrupt), or,
 * while ICNT does not count, a {@link MILESTONE} no run reaches; TCNTO and ICNTO are derived from
 * the cycles elapsed in the segment ({@link countersAt}). Under `sync` delivery the ptimer runs
 * periodic with the next segment's length as its reload value, so a segment starts at the exact
 * instant the last one ended; under `bottom-half` each segment runs one-shot and the bottom half
 * plans the next (as QEMU re-arms its one-shot ptimer). Not counting (TIMER_START 0 or no clock),
 * the ptimer is stopped with a count of 1 and `tcnt`/`icnt` hold the frozen counters.
 * The local FRC is a plain periodic ptimer whose reload value is FRCNTB + 1: FRCNTO is its count
 * less one.
 */
import {
  expectBottomHalfPutBack,
  expectTimerCountAtMost,
  expectTimerLimit,
  expectTimerMode,
  refuseSnapshot,
  registerPath,
  type CounterRate,
  type RegisterBank,
  type RegisterShape,
  type TimerPartView,
  type TriggerDelivery,
} from '../../src/bus';
import type { PTimer } from '../../src/ptimer';
import { countersAt, segmentLength, type TickCounters, type TickSegment } from './mctCounting';

/** One local timer's register names by role (`map.channel('L', i)`). */
export interface MctLocalNames {
  readonly TCNTB: string;
  readonly TCNTO: string;
  readonly ICNTB: string;
  readonly ICNTO: string;
  readonly FRCNTB: string;
  readonly FRCNTO: string;
  readonly TCON: string;
  readonly INT_CSTAT: string;
  readonly INT_ENB: string;
  readonly WSTAT: string;
}

/** What a local timer needs from its device. */
export interface MctLocalContext {
  /** The device's register bank. */
  readonly bank: RegisterBank<RegisterShape>;
  /** This local timer's register names. */
  readonly names: MctLocalNames;
  /** The tick counter's ptimer. */
  readonly tick: PTimer;
  /** The free-running counter's ptimer. */
  readonly frc: PTimer;
  /** The counters' rate (shared by the whole block; the device applies it). */
  readonly rate: CounterRate;
  /** How the tick ptimer's expiries reach it: only `sync` plans the next segment ahead. */
  readonly delivery: TriggerDelivery;
}

/** ICNTB's count field (bits 30:0). */
const ICNT_MASK = 0x7fff_ffff;
const TIMER_START = 1 << 0;
const INT_START = 1 << 1;
const INTERVAL_MODE = 1 << 2;
const FRC_START = 1 << 3;

/** The counters at a segment's end and whether ICNT has stopped (a one-shot that interrupted). */
interface SegmentEnd extends TickCounters {
  readonly done: boolean;
}

/** A local timer's own state in a device snapshot (its two ptimers besides). */
export interface MctLocalState {
  /** TCNT at the tick segment's start (frozen: TCNTO). */
  readonly tcnt: number;
  /** ICNT at the tick segment's start (frozen: ICNTO). */
  readonly icnt: number;
  /** ICNT stopped at 0 after a one-shot interrupt (X8). */
  readonly icntDone: boolean;
}

/** The segment of counters at 0, not counting, TCNTB 0 (after reset): one object for every local timer (#19). */
const IDLE_SEGMENT: TickSegment = Object.freeze({ tcnt: 0n, icnt: 0n, counting: false, tcntb: 0n });

/** The tick segment a local timer's state and registers give. */
const segmentOf = (state: { readonly tcnt: bigint; readonly icnt: bigint; readonly icntDone: boolean }, tcon: number, tcntb: number): TickSegment => {
  const counting = (tcon & INT_START) !== 0 && !state.icntDone;
  if (!counting && tcntb === 0 && state.tcnt === 0n && state.icnt === 0n) return IDLE_SEGMENT;
  return { tcnt: state.tcnt, icnt: state.icnt, counting, tcntb: BigInt(tcntb) };
};

/**
 * The counters where a segment ends, under the registers now: at an interrupt TCNT reloads
 * TCNTB and ICNT reloads ICNTB in interval mode, else stops at 0 (X5, X8); a milestone just
 * passes (the counters go on).
 */
const segmentEnd = (s: TickSegment, done: boolean, tcon: number, icntb: number): SegmentEnd => {
  if (!s.counting) return { ...countersAt(s, segmentLength(s)), done };
  const interval = (tcon & INTERVAL_MODE) !== 0;
  return { tcnt: s.tcntb, icnt: interval ? BigInt(icntb & ICNT_MASK) : 0n, done: !interval };
};

/**
 * One local timer (see the module doc). Every method that changes a counter does it in one
 * transaction of its ptimer (joining the callback context when called from there).
 */
export class MctLocalTimer {
  constructor(c: MctLocalContext) {
    // The context's fields, held here: no context object per local timer (#19).
    this.bank = c.bank;
    this.names = c.names;
    this.tick = c.tick;
    this.frc = c.frc;
    this.rate = c.rate;
    this.delivery = c.delivery;
  }

  /** The tick counter's ptimer. */
  readonly tick: PTimer;
  /** The free-running counter's ptimer. */
  readonly frc: PTimer;

  // ---- reads ---------------------------------------------------------------------

  /** TCNTO and ICNTO as a guest read sees them now (no side effect). */
  counters(): TickCounters {
    const t = this.tick;
    if (t.mode === 'stopped') {
      // A count of 1 marks frozen counters; 0 a segment that ended and whose bottom half is pending.
      if (t.getCountNumber() !== 0) return { tcnt: this.tcnt, icnt: this.icnt };
      return segmentEnd(this.segment, this.icntDone, this.tcon(), this.icntb());
    }
    return countersAt(this.segment, segmentLength(this.segment) - t.getCount());
  }

  /**
   * The counting segment TCNTO and ICNTO follow while the tick ptimer runs (the probes' mapping from
   * its count, {@link countersAt}); undefined while it is stopped, when {@link MctLocalTimer.counters} holds.
   */
  runningSegment(): TickSegment | undefined {
    return this.tick.mode === 'stopped' ? undefined : this.segment;
  }

  /** FRCNTO as a guest read sees it now: the FRC ptimer's count less one (X9). */
  frcnto(): bigint {
    const count = this.frc.getCount();
    return count === 0n ? 0n : count - 1n;
  }

  // ---- register writes -------------------------------------------------------------

  /** TCNTB write: later ticks take the new length; a counting segment is re-planned from the counters now (X6). */
  writeTcntb(): void {
    this.wstat('TCNTB');
    this.restart();
  }

  /** ICNTB write: MANUAL_UPDATE loads ICNT at once, else the value waits for the next interval reload (X7). */
  writeIcntb(value: number): void {
    this.wstat('ICNTB');
    const manual = (value & 0x8000_0000) !== 0;
    if (!manual) {
      this.replanReload();
      return;
    }
    this.bank.set(this.names.ICNTB, value & ICNT_MASK); // a command: the bit stores nothing
    const now = this.counters();
    this.icntDone = false;
    this.tick.transaction((t) => this.plan(t, now.tcnt, BigInt(value & ICNT_MASK)));
  }

  /** FRCNTB write: the next reload loads it (X9). */
  writeFrcntb(value: number): void {
    this.wstat('FRCNTB');
    this.frc.transaction((t) => t.setLimit(BigInt(value) + 1n, false));
  }

  /** L_TCON write: the start bits' edges and the mode (X8). */
  writeTcon(value: number, old: number): void {
    this.wstat('TCON');
    const now = this.counters(); // from the segment as planned, before it changes
    const rose = (bit: number): boolean => (value & bit) !== 0 && (old & bit) === 0;
    const changed = (bit: number): boolean => ((value ^ old) & bit) !== 0;
    if (rose(INT_START)) this.icntDone = false;
    if (rose(TIMER_START)) {
      this.tick.transaction((t) => this.plan(t, BigInt(this.bank.get(this.names.TCNTB)), now.icnt));
    } else if (changed(TIMER_START) || changed(INT_START)) {
      this.tick.transaction((t) => this.plan(t, now.tcnt, now.icnt));
    } else if (changed(INTERVAL_MODE)) {
      this.replanReload();
    }
    if (changed(FRC_START)) this.frc.transaction((t) => this.runFrc(t, rose(FRC_START)));
  }

  // ---- expiries ----------------------------------------------------------------------

  /** The tick segment ended (in the ptimer's callback context under sync): the interrupt, then the next segment (X5). */
  onTickExpiry(): void {
    const t = this.tick;
    // Legacy bottom half: a write since the segment ended re-planned it already (and took the edge's place).
    if (this.delivery === 'bottom-half' && (t.mode !== 'stopped' || t.getCountNumber() !== 0)) return;
    const ended = this.segment;
    const end = segmentEnd(ended, this.icntDone, this.tcon(), this.icntb());
    if (ended.counting) this.bank.setField(this.names.INT_CSTAT, 'ICNT', 1);
    this.icntDone = end.done;
    const next = this.segmentFrom(end.tcnt, end.icnt);
    if (t.mode === 'periodic' && t.getLimit() === segmentLength(next)) {
      // The ptimer's reload started the next segment at this one's exact end: plan the one after.
      this.tcnt = end.tcnt;
      this.icnt = end.icnt;
      this.segment = next;
      t.transaction((tt) => tt.setLimit(this.followingLength(next), false));
    } else {
      t.transaction((tt) => this.plan(tt, end.tcnt, end.icnt));
    }
  }

  /** The free-running counter expired: its status bit; the ptimer reloads FRCNTB + 1 by itself (X9). */
  onFrcExpiry(): void {
    this.bank.setField(this.names.INT_CSTAT, 'FRC', 1);
  }

  // ---- rate and reset --------------------------------------------------------------

  /**
   * Applies the block's rate (`hz`, `divisor`) to both ptimers: running on, a new rate re-times the
   * count with a fresh cycle (the kit's CounterRate rule); a stopped clock freezes the counters,
   * a restarted one plans from them (X12).
   * @param hz - fin's rate
   * @param divisor - MCT_CFG's division
   * @param was - whether the clock ran before
   */
  applyRate(hz: number, divisor: number, was: boolean): void {
    this.tick.transaction((t) => {
      const now = this.counters();
      const period = t.getPeriodRatio();
      const runs = this.rate.apply(t, hz, divisor);
      const after = t.getPeriodRatio();
      const retimed = after.numerator !== period.numerator || after.denominator !== period.denominator;
      // A new period latched the count mid-segment: the segment starts again from the counters read (a fresh cycle either way).
      if (runs !== was || (runs && retimed)) this.plan(t, now.tcnt, now.icnt);
    });
    this.frc.transaction((t) => {
      const runs = this.rate.apply(t, hz, divisor);
      if (runs !== was) this.runFrc(t, false);
    });
  }

  /** After a register reset: counters 0, frozen; the FRC stopped with FRCNTO 0 and reload 1. */
  reset(): void {
    this.icntDone = false;
    this.tick.transaction((t) => this.plan(t, 0n, 0n));
    this.frc.transaction((t) => {
      t.stop();
      t.setLimit(1, true);
    });
  }

  // ---- snapshots ---------------------------------------------------------------------

  /** The state besides the ptimers. */
  state(): MctLocalState {
    return { tcnt: Number(this.tcnt), icnt: Number(this.icnt), icntDone: this.icntDone };
  }

  /** Loads a state the device checked with {@link checkMctLocal} (the ptimers restore on their own). */
  adopt(s: MctLocalState): void {
    this.tcnt = BigInt(s.tcnt);
    this.icnt = BigInt(s.icnt);
    this.icntDone = s.icntDone;
    this.segment = this.segmentFrom(this.tcnt, this.icnt);
  }

  // ---- private ---------------------------------------------------------------------

  /** Re-plans the tick segment from the counters as they read now. */
  private restart(): void {
    const now = this.counters();
    this.tick.transaction((t) => this.plan(t, now.tcnt, now.icnt));
  }

  /**
   * The counters now hold `tcnt` and `icnt` (a load, an edge, or where they were read): plan the
   * segment from them with a fresh cycle now; not counting, freeze them (count 1).
   */
  private plan(t: PTimer, tcnt: bigint, icnt: bigint): void {
    t.stop(); // first: stop latches the running count (reference §5.2 pitfall 3)
    t.setLimit(0, false); // only a periodic ptimer has a reload value (the next segment's length)
    this.tcnt = tcnt;
    this.icnt = icnt;
    this.segment = this.segmentFrom(tcnt, icnt);
    if (!this.ticking()) {
      t.setCount(1);
      return;
    }
    t.setCount(segmentLength(this.segment));
    if (this.delivery === 'sync') {
      t.setLimit(this.followingLength(this.segment), false);
      t.run(false);
    } else {
      t.run(true);
    }
  }

  /** The reload value (the next segment's length) after a register changed only what follows the current segment. */
  private replanReload(): void {
    const t = this.tick;
    if (t.mode !== 'periodic') return; // bottom-half and frozen counters plan when they go on
    t.transaction((tt) => tt.setLimit(this.followingLength(this.segment), false));
  }

  /** The length of the segment after `s` (under the registers now). */
  private followingLength(s: TickSegment): bigint {
    const end = segmentEnd(s, this.icntDone, this.tcon(), this.icntb());
    return segmentLength(segmentOf({ tcnt: end.tcnt, icnt: end.icnt, icntDone: end.done }, this.tcon(), this.bank.get(this.names.TCNTB)));
  }

  /** The segment from these counters under the registers and `icntDone` now. */
  private segmentFrom(tcnt: bigint, icnt: bigint): TickSegment {
    return segmentOf({ tcnt, icnt, icntDone: this.icntDone }, this.tcon(), this.bank.get(this.names.TCNTB));
  }

  /** FRC_START edge or clock change: count from FRCNTB (a start) or from where it stood, or freeze. */
  private runFrc(t: PTimer, load: boolean): void {
    if (load) t.setLimit(BigInt(this.bank.get(this.names.FRCNTB)) + 1n, true);
    if ((this.tcon() & FRC_START) !== 0 && this.rate.running) t.run(false);
    else t.stop();
  }

  private ticking(): boolean {
    return (this.tcon() & TIMER_START) !== 0 && this.rate.running;
  }

  private tcon(): number {
    return this.bank.get(this.names.TCON);
  }

  private icntb(): number {
    return this.bank.get(this.names.ICNTB);
  }

  private wstat(field: 'TCNTB' | 'ICNTB' | 'FRCNTB' | 'TCON'): void {
    this.bank.setField(this.names.WSTAT, field, 1);
  }

  /** TCNT at the segment's start (frozen: TCNTO). */
  private tcnt = 0n;
  /** ICNT at the segment's start (frozen: ICNTO). */
  private icnt = 0n;
  /** ICNT stopped at 0 after a one-shot interrupt (X8). */
  private icntDone = false;
  /** The segment the tick ptimer counts, as planned. */
  private segment: TickSegment = IDLE_SEGMENT;
  private readonly bank: RegisterBank<RegisterShape>;
  private readonly names: MctLocalNames;
  private readonly rate: CounterRate;
  private readonly delivery: TriggerDelivery;
}

/**
 * The invariants of a local timer's part of a device snapshot (Exynos4210Mct.ts header,
 * "Snapshots"), on parts the schema and the ptimers accepted.
 * @param r - the snapshot's register values
 * @param names - this local timer's register names
 * @param where - where its state sits (`locals[0]`)
 * @param s - its state
 * @param tick - the tick ptimer's part
 * @param frc - the FRC ptimer's part
 * @param clockRuns - whether the counters' rate is above 0
 * @param delivery - how the tick ptimer delivers its expiries
 * @throws RegisterSnapshotError at the field that breaks one
 */
export const checkMctLocal = (
  r: Readonly<Record<string, number>>,
  names: MctLocalNames,
  where: string,
  s: MctLocalState,
  tick: TimerPartView,
  frc: TimerPartView,
  clockRuns: boolean,
  delivery: TriggerDelivery,
): void => {
  const tcon = r[names.TCON]!;
  const tconPath = registerPath(names.TCON);
  if (s.icntDone && s.icnt !== 0) {
    refuseSnapshot(`${where}.icntDone`, s.icntDone, `must be false while ${where}.icnt is ${s.icnt}: a one-shot ICNT stops at 0 (X8)`);
  }
  // The local FRC.
  expectTimerLimit(frc, BigInt(r[names.FRCNTB]!) + 1n, `(${registerPath(names.FRCNTB)} + 1: the FRC counts FRCNTB down to 0, X9)`);
  if ((tcon & FRC_START) !== 0 && clockRuns) expectTimerMode(frc, ['periodic'], `while ${tconPath}.FRC_START is 1 and the clock runs (X9)`);
  else expectTimerMode(frc, ['stopped'], `while ${tconPath}.FRC_START is ${(tcon & FRC_START) !== 0 ? 1 : 0} and the clock ${clockRuns ? 'runs' : 'is stopped'} (X9)`);
  if (frc.delta < 1n) refuseSnapshot(`${frc.where}.delta`, frc.delta.toString(), 'must be at least 1: FRCNTO is the count less one (X9)');
  expectTimerCountAtMost(frc, 1n << 32n, '(FRCNTB + 1 for a 32-bit FRCNTB)');
  // The tick counter.
  const ticking = (tcon & TIMER_START) !== 0 && clockRuns;
  if (!ticking) {
    const why = `while ${tconPath}.TIMER_START is ${(tcon & TIMER_START) !== 0 ? 1 : 0} and the clock ${clockRuns ? 'runs' : 'is stopped'}`;
    expectTimerMode(tick, ['stopped'], `${why} (the tick counter is frozen)`);
    expectTimerLimit(tick, 0, `${why} (only a periodic tick ptimer has a reload value)`);
    if (tick.delta !== 1n) refuseSnapshot(`${tick.where}.delta`, tick.delta.toString(), `must be 1 ${why}: ${where}.tcnt and ${where}.icnt hold the frozen counters`);
    return;
  }
  const state = { tcnt: BigInt(s.tcnt), icnt: BigInt(s.icnt), icntDone: s.icntDone };
  const segment = segmentOf(state, tcon, r[names.TCNTB]!);
  const length = segmentLength(segment);
  const from = `${where}.tcnt (${s.tcnt}), ${where}.icnt (${s.icnt}), ${where}.icntDone (${s.icntDone}), ${tconPath}.INT_START and ${registerPath(names.TCNTB)}`;
  if (delivery === 'bottom-half' && tick.mode === 'stopped' && tick.delta === 0n) {
    // The segment from tcnt/icnt ended; its bottom half (the interrupt, then the next segment) is pending.
    expectBottomHalfPutBack(tick, 'the tick segment');
    return;
  }
  if (tick.mode === 'stopped') refuseSnapshot(`${tick.where}.mode`, tick.mode, `must be running while ${tconPath}.TIMER_START is 1 and the clock runs`);
  if (tick.delta !== length) refuseSnapshot(`${tick.where}.delta`, tick.delta.toString(), `must be ${length}, the length of the segment from ${from} (X5)`);
  if (delivery === 'bottom-half') {
    expectTimerMode(tick, ['oneshot'], "under 'bottom-half' delivery (each segment runs one-shot and its bottom half plans the next)");
    expectTimerLimit(tick, 0, "under 'bottom-half' delivery (a one-shot ptimer has no reload value)");
    return;
  }
  expectTimerMode(tick, ['periodic'], "under 'sync' delivery while the tick counter counts (the next segment's length is its reload value)");
  const end = segmentEnd(segment, s.icntDone, tcon, r[names.ICNTB]!);
  const next = segmentLength(segmentOf({ tcnt: end.tcnt, icnt: end.icnt, icntDone: end.done }, tcon, r[names.TCNTB]!));
  expectTimerLimit(
    tick,
    next,
    `(the next segment's length: after the segment from ${from}, with ${tconPath}.INTERVAL_MODE and ${registerPath(names.ICNTB)})`,
  );
};
