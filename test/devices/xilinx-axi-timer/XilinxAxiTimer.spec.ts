// The AXI Timer walked through like its product guide (PG079): program the registers, step to
// just before and just after each clock edge, and check what the guest reads. S_AXI_ACLK is
// 100 MHz (one clock = 10 ns) unless a test says otherwise; most tests start the clock at
// 1 000 ns so that nothing depends on the origin. "Ambiguity n" refers to the device's header.
import { describe, expect, it } from 'vitest';
import { XilinxAxiTimer, XILINX_AXI_TIMER_POLICY, type XilinxAxiTimerOptions } from '../../../devices/xilinx-axi-timer';
import { ClockInput, DeviceConfigError, RegisterSnapshotError, VirtualClock } from '../../../index';
import { thrown } from '../../support/errors';
import {
  ARHT,
  CAPT,
  CASC,
  CLOCK_NS,
  ENALL,
  ENIT,
  ENT,
  GENT,
  LOAD,
  MAX,
  MDT,
  PWMA,
  rig,
  TCR0,
  TCR1,
  TCSR0,
  TCSR1,
  TINT,
  TLR0,
  TLR1,
  UDT,
} from './rig';

const T0 = 1_000;
/** The instant `n` clocks after T0. */
const at = (n: number): number => T0 + n * CLOCK_NS;

describe('XilinxAxiTimer: reset state', () => {
  it('every register reads 0; the counters are stopped; the output is low', () => {
    const { clock, timer, r } = rig({ start: T0 });
    expect([r(TCSR0), r(TLR0), r(TCR0), r(TCSR1), r(TLR1), r(TCR1)]).toEqual([0, 0, 0, 0, 0, 0]);
    clock.advanceTo(at(1_000));
    expect([r(TCR0), r(TCR1), timer.interrupt.level]).toEqual([0, 0, false]);
  });

  it('the policy is W+O+R+D', () => {
    expect([...XILINX_AXI_TIMER_POLICY].sort()).toEqual(
      ['NO_COUNTER_ROUND_DOWN', 'NO_IMMEDIATE_RELOAD', 'TRIGGER_ONLY_ON_DECREMENT', 'WRAP_AFTER_ONE_PERIOD'].sort(),
    );
  });
});

describe('XilinxAxiTimer: generate mode (ambiguities 1 and 2)', () => {
  it('generate mode, counting down: TLR + 2 clocks per period, T0INT with the step 0 → 0xFFFFFFFF', () => {
    const { clock, timer, r, w } = rig({ start: T0 });
    // TLR0 = 5, LOAD: TCR0 shows 5 at once.
    w(TLR0, 5);
    w(TCSR0, LOAD);
    expect(r(TCR0)).toBe(5);
    // Run: down, auto-reload, interrupt enabled.
    w(TCSR0, ENT | ENIT | ARHT | UDT);
    // At the first edge TCR0 still shows 5; 1 ns later, 4.
    clock.advanceTo(at(1));
    expect(r(TCR0)).toBe(5);
    clock.advanceTo(at(1) + 1);
    expect(r(TCR0)).toBe(4);
    // Edge 5 → 0 at 5 clocks + 1 ns; 0 until just before edge 6.
    clock.advanceTo(at(5));
    expect(r(TCR0)).toBe(1);
    clock.advanceTo(at(5) + 1);
    expect(r(TCR0)).toBe(0);
    clock.advanceTo(at(6) - 1);
    expect([r(TCR0), r(TCSR0) & TINT, timer.interrupt.level]).toEqual([0, 0, false]);
    // Edge 6: the carry. TCR0 shows 0xFFFFFFFF from the edge itself, with T0INT and the output.
    clock.advanceTo(at(6));
    expect([r(TCR0), r(TCSR0), timer.interrupt.level, timer.timer0Irq.level]).toEqual([MAX, TINT | ENT | ENIT | ARHT | UDT, true, true]);
    // The carry value lasts one clock; then TLR again: a period of 5 + 2 = 7 clocks.
    clock.advanceTo(at(7));
    expect(r(TCR0)).toBe(MAX);
    clock.advanceTo(at(7) + 1);
    expect(r(TCR0)).toBe(5);
    // The handler acknowledges (writes back what it read: T0INT = 1 clears it).
    w(TCSR0, r(TCSR0));
    expect([r(TCSR0) & TINT, timer.interrupt.level]).toEqual([0, false]);
    // The next carry: 7 clocks after the first.
    clock.advanceTo(at(13) - 1);
    expect([r(TCR0), timer.interrupt.level]).toEqual([0, false]);
    clock.advanceTo(at(13));
    expect([r(TCR0), timer.interrupt.level]).toEqual([MAX, true]);
  });

  it('generate mode, counting up: 0xFFFFFFFF − TLR + 2 clocks per period, T0INT with the step 0xFFFFFFFF → 0', () => {
    const { clock, timer, r, w } = rig({ start: T0 });
    // TLR1 = 0xFFFFFFFC, LOAD, then up (UDT = 0) with auto-reload and interrupt.
    w(TLR1, 0xffff_fffc);
    w(TCSR1, LOAD);
    w(TCSR1, ENT | ENIT | ARHT);
    expect(r(TCR1)).toBe(0xffff_fffc);
    clock.advanceTo(at(1) + 1);
    expect(r(TCR1)).toBe(0xffff_fffd);
    // 0xFFFFFFFF from edge 3 + 1 ns to edge 4.
    clock.advanceTo(at(3) + 1);
    expect(r(TCR1)).toBe(MAX);
    clock.advanceTo(at(4) - 1);
    expect([r(TCR1), r(TCSR1) & TINT]).toEqual([MAX, 0]);
    // Edge 4: the carry. TCR1 shows 0 with T1INT.
    clock.advanceTo(at(4));
    expect([r(TCR1), r(TCSR1) & TINT, timer.timer1Irq.level, timer.interrupt.level]).toEqual([0, TINT, true, true]);
    // 0 for one clock, then TLR: a period of 3 + 2 = 5 clocks.
    clock.advanceTo(at(5));
    expect(r(TCR1)).toBe(0);
    clock.advanceTo(at(5) + 1);
    expect(r(TCR1)).toBe(0xffff_fffc);
    w(TCSR1, TINT | ENT | ENIT | ARHT);
    clock.advanceTo(at(9) - 1);
    expect(timer.interrupt.level).toBe(false);
    clock.advanceTo(at(9));
    expect([r(TCR1), timer.interrupt.level]).toEqual([0, true]);
  });

  it('ENIT masks the output, not TINT (ambiguity 13)', () => {
    const { clock, timer, r, w } = rig({ start: T0 });
    // Down from 2 without ENIT: the carry at 3 clocks sets T0INT, the output stays low.
    w(TLR0, 2);
    w(TCSR0, LOAD);
    w(TCSR0, ENT | ARHT | UDT);
    clock.advanceTo(at(3));
    expect([r(TCSR0) & TINT, timer.interrupt.level]).toEqual([TINT, false]);
    // Setting ENIT (writing T0INT as 0: kept) raises the output at once; clearing it lowers it.
    w(TCSR0, ENT | ENIT | ARHT | UDT);
    expect([r(TCSR0) & TINT, timer.interrupt.level]).toEqual([TINT, true]);
    w(TCSR0, ENT | ARHT | UDT);
    expect([r(TCSR0) & TINT, timer.interrupt.level]).toEqual([TINT, false]);
  });

  it('the two timers share the Interrupt output (an OR)', () => {
    const { clock, timer, r, w } = rig({ start: T0 });
    // Timer 0 down from 3 (carry at 4 clocks), timer 1 down from 5 (carry at 6 clocks).
    w(TLR0, 3);
    w(TCSR0, LOAD);
    w(TCSR0, ENT | ENIT | ARHT | UDT);
    w(TLR1, 5);
    w(TCSR1, LOAD);
    w(TCSR1, ENT | ENIT | ARHT | UDT);
    clock.advanceTo(at(4));
    expect([timer.timer0Irq.level, timer.timer1Irq.level, timer.interrupt.level]).toEqual([true, false, true]);
    clock.advanceTo(at(6));
    expect([timer.timer0Irq.level, timer.timer1Irq.level, timer.interrupt.level]).toEqual([true, true, true]);
    // Acknowledge timer 0: the output stays high for timer 1.
    w(TCSR0, r(TCSR0));
    expect([timer.timer0Irq.level, timer.interrupt.level]).toEqual([false, true]);
    w(TCSR1, r(TCSR1));
    expect(timer.interrupt.level).toBe(false);
  });
});

describe('XilinxAxiTimer: control bits', () => {
  it('TINT is write-1-to-clear: a TCSR write with TINT = 0 leaves it set (ambiguity 6)', () => {
    const { clock, timer, r, w } = rig({ start: T0 });
    w(TLR0, 1);
    w(TCSR0, LOAD);
    w(TCSR0, ENT | ENIT | ARHT | UDT);
    clock.advanceTo(at(2));
    expect(r(TCSR0) & TINT).toBe(TINT);
    // A read-modify-write that clears the bit in the written value: T0INT stays (QEMU would clear it).
    w(TCSR0, r(TCSR0) & ~TINT);
    expect([r(TCSR0) & TINT, timer.interrupt.level]).toEqual([TINT, true]);
    // Writing 1 clears it.
    w(TCSR0, r(TCSR0));
    expect([r(TCSR0) & TINT, timer.interrupt.level]).toEqual([0, false]);
    // Writing 1 to a clear T0INT does not set it.
    w(TCSR0, TINT | ENT | ENIT | ARHT | UDT);
    expect(r(TCSR0) & TINT).toBe(0);
  });

  it('LOAD holds TCR at TLR, following TLR writes, until it is cleared (ambiguity 4)', () => {
    const { clock, r, w } = rig({ start: T0 });
    // LOAD with ENT: the counter shows TLR and does not count.
    w(TLR0, 100);
    w(TCSR0, LOAD | ENT | UDT);
    clock.advanceTo(at(50));
    expect(r(TCR0)).toBe(100);
    // A TLR write shows at once while LOAD is set.
    w(TLR0, 7);
    expect(r(TCR0)).toBe(7);
    // LOAD cleared at edge 60 + 5 ns: 7 for one clock, then counting down.
    clock.advanceTo(at(60) + 5);
    w(TCSR0, ENT | UDT);
    clock.advanceTo(at(61) + 5);
    expect(r(TCR0)).toBe(7);
    clock.advanceTo(at(61) + 6);
    expect(r(TCR0)).toBe(6);
  });

  it('hold mode stops at the carry value; W1C clears T0INT for good; ARHT or LOAD restarts it, ENT alone does not (ambiguity 3)', () => {
    const { clock, timer, events, r, w } = rig({ start: T0 });
    // Down from 3 without ARHT: the carry at edge 4.
    w(TLR0, 3);
    w(TCSR0, LOAD);
    w(TCSR0, ENT | ENIT | UDT);
    clock.advanceTo(at(4) - 1);
    expect([r(TCR0), timer.interrupt.level]).toEqual([0, false]);
    clock.advanceTo(at(4));
    expect([r(TCR0), r(TCSR0) & TINT, timer.interrupt.level]).toEqual([MAX, TINT, true]);
    // It holds there.
    clock.advanceTo(at(1_000));
    expect(r(TCR0)).toBe(MAX);
    // Acknowledged: T0INT stays clear while the counter holds.
    w(TCSR0, r(TCSR0));
    clock.advanceTo(at(2_000));
    expect([r(TCR0), r(TCSR0) & TINT, timer.interrupt.level]).toEqual([MAX, 0, false]);
    // ENT off and on again: still held (QEMU would restart from TLR).
    w(TCSR0, ENIT | UDT);
    w(TCSR0, ENT | ENIT | UDT);
    clock.advanceTo(at(3_000));
    expect([r(TCR0), r(TCSR0) & TINT]).toEqual([MAX, 0]);
    // Setting ARHT at edge 3000: TLR is reloaded at the next edge (shown from the edge), silently.
    const expiries = events.filter((e) => e.kind === 'expiry').length;
    w(TCSR0, ENT | ENIT | ARHT | UDT);
    clock.advanceTo(at(3_001) - 1);
    expect(r(TCR0)).toBe(MAX);
    clock.advanceTo(at(3_001));
    expect([r(TCR0), r(TCSR0) & TINT]).toEqual([3, 0]);
    clock.advanceTo(at(3_002) + 1);
    expect(r(TCR0)).toBe(2);
    // The next carry 4 clocks after the reload.
    clock.advanceTo(at(3_005));
    expect([r(TCR0), r(TCSR0) & TINT]).toEqual([MAX, TINT]);
    expect(events.filter((e) => e.kind === 'expiry').length).toBe(expiries + 1);
    // Back to hold mode and a LOAD restart (the standalone driver's way): counts from TLR again.
    w(TCSR0, TINT | ENIT | UDT);
    w(TCSR0, LOAD);
    w(TCSR0, ENT | ENIT | UDT);
    clock.advanceTo(at(3_006) + 1);
    expect(r(TCR0)).toBe(2);
    clock.advanceTo(at(3_009));
    expect([r(TCR0), r(TCSR0) & TINT]).toEqual([MAX, TINT]);
    clock.advanceTo(at(4_000));
    expect(r(TCR0)).toBe(MAX);
  });

  it('ENT = 0 freezes the counter at the value it shows; re-enabling resumes with a full clock (ambiguity 7)', () => {
    const { clock, r, w } = rig({ start: T0 });
    w(TLR0, 50);
    w(TCSR0, LOAD);
    w(TCSR0, ENT | ARHT | UDT);
    // Half-way through clock 11: TCR0 shows 40.
    clock.advanceTo(at(10) + 5);
    expect(r(TCR0)).toBe(40);
    w(TCSR0, ARHT | UDT);
    clock.advanceTo(at(500));
    expect(r(TCR0)).toBe(40);
    // Re-enabled mid-clock: 40 for a full clock, then 39.
    clock.advanceTo(at(500) + 3);
    w(TCSR0, ENT | ARHT | UDT);
    clock.advanceTo(at(501) + 3);
    expect(r(TCR0)).toBe(40);
    clock.advanceTo(at(501) + 4);
    expect(r(TCR0)).toBe(39);
  });

  it('changing UDT keeps TCR and counts the other way from it; the carry state stays (ambiguity 8)', () => {
    const { clock, r, w } = rig({ start: T0 });
    w(TLR0, 50);
    w(TCSR0, LOAD);
    w(TCSR0, ENT | ARHT | UDT);
    clock.advanceTo(at(10) + 5);
    expect(r(TCR0)).toBe(40);
    // Up from here: 40 for a full clock, then 41.
    w(TCSR0, ENT | ARHT);
    expect(r(TCR0)).toBe(40);
    clock.advanceTo(at(11) + 5);
    expect(r(TCR0)).toBe(40);
    clock.advanceTo(at(11) + 6);
    expect(r(TCR0)).toBe(41);
    // A holding down-counter at its carry (0xFFFFFFFF) switched to up shows the up carry value, 0.
    w(TLR1, 1);
    w(TCSR1, LOAD);
    w(TCSR1, ENT | UDT);
    clock.advanceTo(at(20));
    expect(r(TCR1)).toBe(MAX);
    w(TCSR1, ENT);
    clock.advanceTo(at(40));
    expect(r(TCR1)).toBe(0);
  });

  it('ENALL: mirrored in both TCSRs; 1 sets both ENTs, 0 leaves them (ambiguity 5)', () => {
    const { clock, r, w } = rig({ start: T0 });
    // ENALL written alone (ENT0 = 0) in TCSR0: both timers run (up from 0).
    w(TCSR0, ENALL);
    expect([r(TCSR0), r(TCSR1)]).toEqual([ENALL | ENT, ENALL | ENT]);
    clock.advanceTo(at(10) + 1);
    expect([r(TCR0), r(TCR1)]).toEqual([10, 10]);
    // A TCSR1 write without ENALL clears it in both; ENT0 stays, timer 0 keeps counting.
    w(TCSR1, ENT);
    expect([r(TCSR0), r(TCSR1)]).toEqual([ENT, ENT]);
    clock.advanceTo(at(20) + 1);
    expect([r(TCR0), r(TCR1)]).toEqual([20, 20]);
    // Now ENT0 = 0 stops timer 0 alone.
    w(TCSR0, 0);
    clock.advanceTo(at(30) + 1);
    expect([r(TCR0), r(TCR1)]).toEqual([20, 30]);
    // ENALL from TCSR1 starts timer 0 again (and sets ENALL in TCSR0).
    w(TCSR1, ENALL);
    expect([r(TCSR0), r(TCSR1)]).toEqual([ENALL | ENT, ENALL | ENT]);
    clock.advanceTo(at(40) + 1);
    expect([r(TCR0), r(TCR1)]).toEqual([29, 40]);
  });

  it('TLR written in the carry clock: the counter reloads the old TLR; the new one counts from the next rollover (ambiguity 12)', () => {
    const { clock, r, w } = rig({ start: T0 });
    w(TLR0, 5);
    w(TCSR0, LOAD);
    w(TCSR0, ENT | ARHT | UDT);
    // The carry at edge 6; TLR0 = 2 written 5 ns into the carry clock.
    clock.advanceTo(at(6) + 5);
    expect(r(TCR0)).toBe(MAX);
    w(TLR0, 2);
    clock.advanceTo(at(7) + 1);
    expect(r(TCR0)).toBe(5);
    // The next carry 7 clocks after the first, then periods of 2 + 2 = 4 clocks.
    clock.advanceTo(at(13));
    expect(r(TCR0)).toBe(MAX);
    clock.advanceTo(at(14) + 1);
    expect(r(TCR0)).toBe(2);
    clock.advanceTo(at(17) - 1);
    expect(r(TCR0)).toBe(0);
    clock.advanceTo(at(17));
    expect(r(TCR0)).toBe(MAX);
  });

  it('PWMA, GENT and CASC are stored and reported as unimplemented; the counters keep running as plain counters', () => {
    const { clock, events, r, w } = rig({ start: T0, name: 'axi0' });
    w(TCSR0, ENT | GENT | PWMA | CASC);
    w(TCSR1, ENT | PWMA);
    expect([r(TCSR0), r(TCSR1)]).toEqual([ENT | GENT | PWMA | CASC, ENT | PWMA]);
    expect(events).toEqual([
      { kind: 'unimplemented', time: T0, source: 'axi0', offset: TCSR0, feature: 'TCSR0.GENT0' },
      { kind: 'unimplemented', time: T0, source: 'axi0', offset: TCSR0, feature: 'TCSR0.PWMA0' },
      { kind: 'unimplemented', time: T0, source: 'axi0', offset: TCSR0, feature: 'TCSR0.CASC' },
      { kind: 'unimplemented', time: T0, source: 'axi0', offset: TCSR1, feature: 'TCSR1.PWMA1' },
    ]);
    clock.advanceTo(at(3) + 1);
    expect([r(TCR0), r(TCR1)]).toEqual([3, 3]);
  });
});

describe('XilinxAxiTimer: capture mode (ambiguity 9)', () => {
  it('capture mode: a capture copies TCR into TLR and sets TINT; ARHT = 0 keeps the first capture until TINT is cleared', () => {
    const { clock, timer, r, w } = rig({ start: T0 });
    // Timer 1 in capture mode, up from 0, capture input enabled, overwrite (ARHT), interrupt enabled.
    w(TCSR1, MDT | CAPT | ENT | ENIT | ARHT);
    clock.advanceTo(at(10) + 5);
    expect(r(TCR1)).toBe(10);
    // CaptureTrig1 asserted: TLR1 = 10, T1INT, output high.
    expect(timer.capture(1)).toBe(true);
    expect([r(TLR1), r(TCSR1) & TINT, timer.interrupt.level]).toEqual([10, TINT, true]);
    // With ARHT a second capture overwrites.
    clock.advanceTo(at(20) + 5);
    expect(timer.capture(1)).toBe(true);
    expect(r(TLR1)).toBe(20);
    // Without ARHT, and T1INT still set: the capture is ignored.
    w(TCSR1, MDT | CAPT | ENT | ENIT);
    clock.advanceTo(at(30) + 5);
    expect(timer.capture(1)).toBe(false);
    expect(r(TLR1)).toBe(20);
    // T1INT cleared: the next capture is taken.
    w(TCSR1, TINT | MDT | CAPT | ENT | ENIT);
    expect(timer.interrupt.level).toBe(false);
    clock.advanceTo(at(40) + 5);
    expect(timer.capture(1)).toBe(true);
    expect([r(TLR1), timer.interrupt.level]).toEqual([40, true]);
    // The counter was not disturbed by any of it.
    clock.advanceTo(at(50) + 1);
    expect(r(TCR1)).toBe(50);
  });

  it('capture mode: no capture without MDT, CAPT or ENT, or with S_AXI_ACLK stopped', () => {
    const { aclk, timer, r, w } = rig({ start: T0 });
    for (const tcsr of [CAPT | ENT, MDT | ENT, MDT | CAPT]) {
      w(TCSR0, tcsr);
      expect(timer.capture(0)).toBe(false);
      expect([r(TLR0), r(TCSR0) & TINT]).toEqual([0, 0]);
    }
    w(TCSR0, MDT | CAPT | ENT);
    aclk.setHz(0);
    expect(timer.capture(0)).toBe(false);
    aclk.setHz(100_000_000);
    expect(timer.capture(0)).toBe(true);
    expect(() => timer.capture(2 as 0)).toThrow(DeviceConfigError);
  });

  it('capture mode: the counter wraps after 2^32 clocks, reloads nothing and raises nothing', () => {
    const { clock, timer, r, w } = rig({ start: T0 });
    // Up from 0xFFFFFFFE in capture mode with interrupt enabled.
    w(TLR0, 0xffff_fffe);
    w(TCSR0, LOAD | MDT);
    w(TCSR0, MDT | ENT | ENIT);
    clock.advanceTo(at(2) - 1);
    expect(r(TCR0)).toBe(MAX);
    // The wrap at edge 2 shows 0 without T0INT, then 1, 2, … (not TLR).
    clock.advanceTo(at(2));
    expect([r(TCR0), r(TCSR0) & TINT, timer.interrupt.level]).toEqual([0, 0, false]);
    clock.advanceTo(at(3) + 1);
    expect(r(TCR0)).toBe(1);
    clock.advanceTo(at(4) + 1);
    expect(r(TCR0)).toBe(2);
  });
});

describe('XilinxAxiTimer: S_AXI_ACLK', () => {
  it('S_AXI_ACLK at 0 Hz freezes the counters; they resume with a full clock (ambiguity 11)', () => {
    const { clock, aclk, timer, r, w } = rig({ start: T0 });
    w(TLR0, 50);
    w(TCSR0, LOAD);
    w(TCSR0, ENT | ENIT | ARHT | UDT);
    clock.advanceTo(at(10) + 5);
    aclk.setHz(0);
    clock.advanceTo(at(10_000));
    expect([r(TCR0), r(TCSR0) & ENT, timer.interrupt.level]).toEqual([40, ENT, false]);
    aclk.setHz(100_000_000);
    clock.advanceTo(at(10_001));
    expect(r(TCR0)).toBe(40);
    clock.advanceTo(at(10_001) + 1);
    expect(r(TCR0)).toBe(39);
    // 40 clocks on from 39's first instant, plus the carry edge: 41 clocks after the restart.
    clock.advanceTo(at(10_041) - 1);
    expect(timer.interrupt.level).toBe(false);
    clock.advanceTo(at(10_041));
    expect([r(TCR0), timer.interrupt.level]).toEqual([MAX, true]);
  });

  it('S_AXI_ACLK above 2 GHz: not modelled, the counters freeze and an unimplemented event is emitted; 2 GHz itself runs', () => {
    const { clock, aclk, events, r, w } = rig({ start: T0, name: 'axi0' });
    const carries = (): number => events.filter((e) => e.kind === 'expiry').length;
    // TLR0 = 0 counting down: a period of 2 clocks, 1 ns at 2 GHz (the shortest the model schedules).
    w(TLR0, 0);
    w(TCSR0, LOAD);
    w(TCSR0, ENT | ARHT | UDT);
    aclk.setHz(2_000_000_000);
    clock.advanceTo(T0 + 100);
    expect(carries()).toBeGreaterThanOrEqual(99);
    expect(carries()).toBeLessThanOrEqual(101);
    // 3 GHz: reported, and the counter freezes at the value it shows.
    aclk.setHz(3_000_000_000);
    expect(events.at(-1)).toEqual({ kind: 'unimplemented', time: T0 + 100, source: 'axi0', offset: 0, feature: 'S_AXI_ACLK above 2 GHz' });
    const frozen = [r(TCR0), carries()];
    clock.advanceTo(T0 + 10_000);
    expect([r(TCR0), carries()]).toEqual(frozen);
    // Back to 100 MHz: counting again, a carry every 20 ns.
    aclk.setHz(100_000_000);
    clock.advanceTo(T0 + 10_100);
    expect(carries()).toBeGreaterThanOrEqual(frozen[1]! + 4);
  });

  it('a frequency change at run time: the count shown holds for one clock of the new period, then counts at the new rate', () => {
    const { clock, aclk, timer, r, w } = rig({ start: T0 });
    w(TLR0, 1_000);
    w(TCSR0, LOAD);
    w(TCSR0, ENT | ENIT | ARHT | UDT);
    // 100 clocks in (plus 5 ns): TCR0 = 900. S_AXI_ACLK to 50 MHz (20 ns).
    const change = at(100) + 5;
    clock.advanceTo(change);
    expect(r(TCR0)).toBe(900);
    aclk.setHz(50_000_000);
    clock.advanceTo(change + 20);
    expect(r(TCR0)).toBe(900);
    clock.advanceTo(change + 21);
    expect(r(TCR0)).toBe(899);
    // The carry 901 clocks of 20 ns after the change.
    clock.advanceTo(change + 901 * 20 - 1);
    expect([r(TCR0), timer.interrupt.level]).toEqual([0, false]);
    clock.advanceTo(change + 901 * 20);
    expect([r(TCR0), timer.interrupt.level]).toEqual([MAX, true]);
    // Then 200 MHz (5 ns) inside the carry clock: the carry value for one 5 ns clock, then TLR,
    // shown from that edge itself (a restarted carry state, ambiguity 2); the next carry 1 001 clocks later.
    const fast = change + 901 * 20 + 7;
    clock.advanceTo(fast);
    aclk.setHz(200_000_000);
    expect(r(TCR0)).toBe(MAX);
    clock.advanceTo(fast + 4);
    expect(r(TCR0)).toBe(MAX);
    clock.advanceTo(fast + 5);
    expect(r(TCR0)).toBe(1_000);
    clock.advanceTo(fast + 10);
    expect(r(TCR0)).toBe(1_000);
    clock.advanceTo(fast + 11);
    expect(r(TCR0)).toBe(999);
    w(TCSR0, r(TCSR0));
    clock.advanceTo(fast + 5 + 1_001 * 5 - 1);
    expect(timer.interrupt.level).toBe(false);
    clock.advanceTo(fast + 5 + 1_001 * 5);
    expect([r(TCR0), timer.interrupt.level]).toEqual([MAX, true]);
  });
});

describe('XilinxAxiTimer: reset, snapshot, configuration', () => {
  it('reset() returns every register to 0, stops the counters and lowers the output', () => {
    const { clock, timer, r, w } = rig({ start: T0 });
    w(TLR0, 3);
    w(TCSR0, LOAD);
    w(TCSR0, ENT | ENIT | ARHT | UDT);
    w(TLR1, 9);
    w(TCSR1, ENALL | MDT | CAPT);
    clock.advanceTo(at(4));
    expect(timer.interrupt.level).toBe(true);
    timer.reset();
    expect([r(TCSR0), r(TLR0), r(TCR0), r(TCSR1), r(TLR1), r(TCR1), timer.interrupt.level]).toEqual([0, 0, 0, 0, 0, 0, false]);
    clock.advanceTo(at(1_000));
    expect([r(TCR0), r(TCR1)]).toEqual([0, 0]);
    // And it works as from power-up.
    w(TCSR0, ENT);
    clock.advanceTo(at(1_005) + 1);
    expect(r(TCR0)).toBe(5);
  });

  it('restore() refuses a malformed snapshot or one taken at another S_AXI_ACLK, and changes nothing', () => {
    const { clock, timer, r, w } = rig({ start: T0 });
    w(TLR0, 30);
    w(TCSR0, LOAD);
    w(TCSR0, ENT | UDT);
    clock.advanceTo(at(5) + 1);
    const good = timer.snapshot();
    const before = JSON.stringify(good);
    expect(() => timer.restore(null)).toThrow(RegisterSnapshotError);
    expect(() => timer.restore({ ...good, version: 2 })).toThrow(RegisterSnapshotError);
    expect(() => timer.restore({ ...good, aclkHz: 1 })).toThrow(RegisterSnapshotError);
    expect(() => timer.restore({ ...good, timers: [good.timers[0]] })).toThrow(RegisterSnapshotError);
    expect(() => timer.restore({ ...good, registers: { ...good.registers, registers: { TCSR0: 1 } } })).toThrow(RegisterSnapshotError);
    // A bad second timer after a good bank: refused at its full path before anything loads (#14).
    expect(() => timer.restore({ ...good, timers: [good.timers[0], { ...good.timers[1], time: 0 }] })).toThrow(/^snapshot field 'timers\[1\]\./);
    expect(JSON.stringify(timer.snapshot())).toBe(before);
    clock.advanceTo(at(6) + 1);
    expect(r(TCR0)).toBe(24);
  });

  it('constructor arguments are checked', () => {
    const clock = new VirtualClock();
    expect(() => new XilinxAxiTimer(clock, { aclk: 100_000_000 as unknown as ClockInput })).toThrow(DeviceConfigError);
    expect(() => new XilinxAxiTimer(clock, { aclk: new ClockInput('S_AXI_ACLK', 1), name: '' })).toThrow(DeviceConfigError);
    // A stopped clock at creation is fine: nothing counts until it starts.
    const aclk = new ClockInput('S_AXI_ACLK', 0);
    const timer = new XilinxAxiTimer(clock, { aclk });
    timer.write(TCSR0, 4, ENT);
    clock.advanceTo(1_000);
    expect(timer.read(TCR0, 4)).toBe(0);
    aclk.setHz(100_000_000);
    clock.advanceTo(1_031);
    expect(timer.read(TCR0, 4)).toBe(3);
  });

  it('checks every option: an unknown key, an S_AXI_ACLK that is not a ClockInput, a bad delivery (#13)', () => {
    const clock = new VirtualClock();
    const aclk = new ClockInput('S_AXI_ACLK', 100_000_000);
    const refusal = (options: object): DeviceConfigError => {
      const e = thrown(() => new XilinxAxiTimer(clock, options as XilinxAxiTimerOptions));
      expect(e).toBeInstanceOf(DeviceConfigError);
      return e as DeviceConfigError;
    };
    expect(refusal({ aclk, countWidth: 16 }).message).toBe(
      'XilinxAxiTimer(options.countWidth): 16 is invalid: is not an option of XilinxAxiTimer (options: aclk, name, delivery, timing)',
    );
    expect(refusal({ aclk: { hz: 100_000_000 } }).message).toMatch(/^XilinxAxiTimer\(options\.aclk\): .* is invalid: must be a ClockInput$/);
    expect(refusal({ aclk, delivery: 'later' }).message).toBe(
      `XilinxAxiTimer(options.delivery): "later" is invalid: must be one of 'sync', 'bottom-half'`,
    );
    expect(refusal({ aclk, timing: 'fast' }).message).toBe(`XilinxAxiTimer(options.timing): "fast" is invalid: must be one of 'qemu', 'exact'`);
  });

  it('dispose(): both counters stop for good, S_AXI_ACLK no longer reaches them (no 2 GHz report either), events$ completes (#13)', () => {
    const { clock, aclk, timer, events, w } = rig();
    let completed = false;
    timer.events$.subscribe({ complete: () => (completed = true) });
    w(TLR0, 3);
    w(TCSR0, LOAD);
    w(TCSR0, ENT | ENIT | ARHT | UDT);
    w(TCSR1, ENT); // counting up from 0
    clock.advanceTo(10 * CLOCK_NS); // timer 0 has rolled over
    const seen = events.length;
    timer.dispose();
    expect(completed).toBe(true);
    expect(clock.pending).toBe(0);
    aclk.setHz(3_000_000_000);
    aclk.setHz(50_000_000);
    expect(clock.pending).toBe(0);
    clock.advanceTo(1_000 * CLOCK_NS);
    expect(events).toHaveLength(seen);
  });
});
