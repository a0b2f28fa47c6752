// The register sequences real SysTick drivers issue, with what the guest must read at the
// cycle edges that matter. Written from what the drivers do (which registers, in which
// order, reference devices-2.md §2), not from their code:
// - CMSIS SysTick_Config(ticks) and the FreeRTOS Cortex-M port's tick set-up: a periodic
//   tick interrupt of `ticks` core cycles.
// - Zephyr drivers/timer/cortex_m_systick.c: init, the tickless reprogramming (read VAL,
//   CTRL, VAL to detect a wrap; LOAD = cycles - 1; VAL = 0; ICSR.PENDSTCLR), idle.
// - Linux drivers/clocksource/armv7m_systick.c: a 24-bit down-counting clocksource on the
//   reference clock, no interrupt.
// Core clock 25 MHz (40 ns a cycle), reference clock 1 MHz, as on the MPS2 boards.
import { describe, expect, it } from 'vitest';
import { guestWrite, runDriver, waitForIrq, type AccessResult, type DriverCommand } from '../../../index';
import { CLKSOURCE, COUNTFLAG, CPU_HZ, CSR, CVR, ENABLE, ICSR, makeRig, PENDSTCLR, REF_TICK, RVR, TICK, TICKINT, type Rig } from './rig';

const T0 = 2_000_000; // the drivers start 2 ms after boot

/** Runs a driver on the rig's device and clock, collecting its access results. */
const drive = (rig: Rig, program: () => Generator<DriverCommand, void, number | undefined>): AccessResult[] => {
  const results: AccessResult[] = [];
  runDriver(program, { device: rig.device, scheduler: rig.clock }).subscribe((r) => results.push(r));
  return results;
};

/** A tick handler: waits for the pended exception, takes it (PENDSTCLR, what exception entry does), counts. */
const tickHandler = (rig: Rig, ticks: number[], count: number) =>
  function* (): Generator<DriverCommand, void, number | undefined> {
    for (let k = 0; k < count; k++) {
      yield waitForIrq(rig.device.irq);
      yield guestWrite(ICSR, PENDSTCLR);
      ticks.push(rig.clock.now());
    }
  };

describe('CMSIS SysTick_Config and the FreeRTOS tick', () => {
  it('SysTick_Config(25 000) at 25 MHz: RVR 24 999, CVR 0, CSR 7: a tick every 1 ms, the first 1 ms after the CSR write', () => {
    const rig = makeRig();
    rig.clock.advanceTo(T0);
    const ticks = 25_000;
    rig.w(RVR, ticks - 1);
    rig.w(CVR, 0);
    rig.w(CSR, CLKSOURCE | TICKINT | ENABLE);
    expect([rig.r(RVR), rig.r(CVR), rig.r(CSR)]).toEqual([24_999, 0, 7]);
    const seen: number[] = [];
    drive(rig, tickHandler(rig, seen, 10));
    rig.clock.advanceTo(T0 + 10_500_000);
    expect(seen).toEqual(Array.from({ length: 10 }, (_, k) => T0 + (k + 1) * 1_000_000));
  });

  it('the largest SysTick_Config(2^24): RVR 0xFFFFFF, one tick every 2^24 cycles', () => {
    const rig = makeRig();
    rig.w(RVR, 2 ** 24 - 1);
    rig.w(CVR, 0);
    rig.w(CSR, CLKSOURCE | TICKINT | ENABLE);
    rig.clock.advanceTo(2 ** 24 * TICK - 1);
    expect([rig.r(CVR), rig.device.irq.level]).toEqual([1, false]);
    rig.clock.advanceTo(2 ** 24 * TICK);
    expect(rig.device.irq.level).toBe(true);
  });

  it('FreeRTOS port set-up (CSR 0, CVR 0, RVR = Hz/1000 - 1, CSR 7): 1 kHz tick; stopping the scheduler (CSR 0) freezes it', () => {
    const rig = makeRig();
    rig.w(CSR, 0);
    rig.w(CVR, 0);
    rig.w(RVR, CPU_HZ / 1_000 - 1);
    rig.w(CSR, CLKSOURCE | TICKINT | ENABLE);
    const seen: number[] = [];
    drive(rig, tickHandler(rig, seen, 1_000));
    rig.clock.advanceTo(5_000_000);
    expect(seen).toEqual([1, 2, 3, 4, 5].map((k) => k * 1_000_000));
    rig.w(CSR, CLKSOURCE | TICKINT);
    rig.clock.advanceTo(50_000_000);
    expect(seen).toHaveLength(5);
  });
});

describe('Zephyr cortex_m_systick', () => {
  const CYCLES_PER_TICK = 250; // 10 µs ticks at 25 MHz
  /** sys_clock_driver_init(): LOAD = cycles_per_tick - 1; VAL = 0; CTRL = ENABLE | TICKINT | CLKSOURCE. */
  const init = (): Rig => {
    const rig = makeRig();
    rig.clock.advanceTo(T0);
    rig.w(RVR, CYCLES_PER_TICK - 1);
    rig.w(CVR, 0);
    rig.w(CSR, ENABLE | TICKINT | CLKSOURCE);
    return rig;
  };
  /** The reprogramming's wrap check: VAL, CTRL, VAL (reads of 0 count as the last LOAD, Zephyr PR #63344). */
  const wrapCheck = (rig: Rig, gap: number) => {
    const val1 = rig.r(CVR);
    rig.clock.advanceBy(gap);
    const ctrl = rig.r(CSR);
    const val2 = rig.r(CVR);
    const load = rig.r(RVR);
    const v1 = val1 === 0 ? load : val1;
    const v2 = val2 === 0 ? load : val2;
    return { val1, val2, wrapped: (ctrl & COUNTFLAG) !== 0 || v1 < v2 };
  };

  it('init: the first tick interrupt cycles_per_tick cycles after the CTRL write', () => {
    const rig = init();
    rig.clock.advanceTo(T0 + CYCLES_PER_TICK * TICK - 1);
    expect(rig.device.irq.level).toBe(false);
    rig.clock.advanceTo(T0 + CYCLES_PER_TICK * TICK);
    expect(rig.device.irq.level).toBe(true);
  });

  it('reprogramming mid-period: no COUNTFLAG, VAL only went down: no wrap seen', () => {
    const rig = init();
    rig.clock.advanceTo(T0 + 100 * TICK + 1);
    const c = wrapCheck(rig, TICK);
    expect(c).toEqual({ val1: 150, val2: 149, wrapped: false });
  });

  it('reprogramming across the step to 0: COUNTFLAG says wrapped, and VAL reads 0 in the cycle after it', () => {
    const rig = init();
    const e = T0 + CYCLES_PER_TICK * TICK; // the step to 0
    rig.clock.advanceTo(e - TICK + 1);
    const c = wrapCheck(rig, TICK); // VAL at e - 39 (1), CTRL and VAL at e + 1
    expect(c).toEqual({ val1: 1, val2: 0, wrapped: true });
  });

  it('set_timeout: LOAD = n - 1, VAL = 0, PENDSTCLR: a stale pend is dropped, VAL reads 0 one cycle, the next interrupt n cycles after the VAL write', () => {
    const rig = init();
    const e = T0 + CYCLES_PER_TICK * TICK;
    rig.clock.advanceTo(e + 3 * TICK); // a tick pended and not yet taken
    expect(rig.device.irq.level).toBe(true);
    const n = 1_000;
    const at = rig.clock.now();
    rig.w(RVR, n - 1);
    rig.w(CVR, 0);
    rig.w(ICSR, PENDSTCLR);
    expect([rig.r(CVR), rig.device.irq.level]).toEqual([0, false]);
    rig.clock.advanceTo(at + TICK - 1);
    expect(rig.r(CVR)).toBe(0); // the zero Zephyr #48608 tripped over
    rig.clock.advanceTo(at + TICK);
    expect(rig.r(CVR)).toBe(n - 1);
    rig.clock.advanceTo(at + n * TICK - 1);
    expect(rig.device.irq.level).toBe(false);
    rig.clock.advanceTo(at + n * TICK);
    expect(rig.device.irq.level).toBe(true);
  });

  it('idle forever: CTRL &= ~ENABLE freezes VAL, no more interrupts', () => {
    const rig = init();
    rig.clock.advanceTo(T0 + 10 * TICK + 1);
    rig.w(CSR, rig.r(CSR) & ~ENABLE);
    const val = rig.r(CVR);
    rig.clock.advanceTo(T0 + 1_000_000);
    expect([rig.r(CVR), rig.device.irq.level]).toEqual([val, false]);
  });
});

describe('Linux armv7m_systick clocksource', () => {
  /** RVR = 0xFFFFFF; CSR = ENABLE (CLKSOURCE 0: the reference clock); CVR read as a 24-bit down counter. */
  const init = (): Rig => {
    const rig = makeRig();
    rig.clock.advanceTo(T0);
    rig.w(RVR, 0x00ff_ffff);
    rig.w(CSR, ENABLE);
    return rig;
  };
  const cycles = (rig: Rig): number => (0x00ff_ffff - rig.r(CVR)) & 0x00ff_ffff;

  it('counts reference-clock cycles (1 MHz): 1000 more after 1 ms', () => {
    const rig = init();
    rig.clock.advanceTo(T0 + 2 * REF_TICK + 1); // the cycle at CVR 0 (reset value), then 0xFFFFFF
    const a = cycles(rig);
    rig.clock.advanceTo(T0 + 2 * REF_TICK + 1 + 1_000_000);
    expect(cycles(rig) - a).toBe(1_000);
  });

  it('wraps after 2^24 cycles with COUNTFLAG and no interrupt (TICKINT 0)', () => {
    const rig = init();
    rig.clock.advanceTo(T0 + (1 + 2 ** 24 - 1) * REF_TICK);
    expect(rig.state()).toEqual([0, 1, false]);
    rig.clock.advanceTo(T0 + (1 + 2 ** 24) * REF_TICK + 1);
    expect(rig.r(CVR)).toBe(0x00ff_ffff);
  });
});
