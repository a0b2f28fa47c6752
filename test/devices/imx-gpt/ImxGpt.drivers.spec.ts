// The register sequences of the GPT's drivers, replayed with the values the manual implies:
// Linux drivers/clocksource/timer-imx-gpt.c ("mxc_timer1": a free-running clocksource and
// sched_clock read from CNT, a one-shot clockevent on OCR1) with its "imx31" data (i.MX25/31/35/5x
// and i.MX6Dual/Quad, Linux's v2 GPT) and its "imx6dl" data (i.MX6DL/S, 6SL, 6SX, 6UL, 7), and
// Zephyr's restart-mode GPT system timer (mcux_gpt_timer, before it moved to free-run mode).
// Clocks: ipgHighfreq ("per") at 24 MHz, the 24 MHz crystal, ipg32k at 32.768 kHz.
import { describe, expect, it } from 'vitest';
import type { ImxGptVariant } from '../../../devices/imx-gpt';
import { clksrc, CNT, CR, DOZEEN, EN, EN_24M, FRR, IR, K32, makeRig, OCR1, OF1, PR, prescaler24m, SR, STOPEN, SWR, WAITEN, type Rig } from './rig';

/** Linux's CR for the v2 GPT: FRR | WAITEN | EN, and CLKSRC per (010) or the crystal ÷ 8 (101). */
const V2_PER = FRR | WAITEN | EN | clksrc(2); // 0x289
const V2_OSC_DIV8 = FRR | WAITEN | EN | clksrc(5); // 0x349
/** Linux's imx6dl CR with the 3 MHz crystal path: CLKSRC 101 and EN_24M (PR.PRESCALER24M = 7). */
const DL_OSC = V2_OSC_DIV8 | EN_24M; // 0x749

/** `_mxc_timer_init`: everything off and the prescaler cleared, then the variant's set-up. */
const linuxInit = (rig: Rig, setup: readonly (readonly [number, number])[]): void => {
  rig.w(CR, 0);
  rig.w(PR, 0);
  for (const [offset, value] of setup) rig.w(offset, value);
};

/** CNT 1 ms + 1 ns after the init at 0 (a read between two edges at any of these rates). */
const countAfter1ms = (rig: Rig): number => {
  rig.clock.advanceTo(1_000_001);
  return rig.r(CNT);
};

describe('Linux timer-imx-gpt: set-up by data and variant', () => {
  it.each<[string, ImxGptVariant, readonly (readonly [number, number])[], number, number]>([
    ['"imx31" data, per clock not 3 MHz (i.MX25/31/35/5x): CLKSRC per', 'imx31', [[CR, V2_PER]], V2_PER, 24_000],
    ['"imx31" data, i.MX6Q rev1.1+ with the 3 MHz osc_per: CLKSRC 101, the crystal ÷ 8', 'imx6', [[CR, V2_OSC_DIV8]], V2_OSC_DIV8, 3_000],
    ['"imx6dl" data with the 3 MHz osc_per: PRESCALER24M 7, CLKSRC 101 and EN_24M', 'imx6dl', [[PR, prescaler24m(7)], [CR, DL_OSC]], DL_OSC, 3_000],
    ['"imx6dl" data, per clock not 3 MHz: CLKSRC per', 'imx6dl', [[CR, V2_PER]], V2_PER, 24_000],
    // Why Linux has two data sets: the v2 value on an i.MX6DL-class GPT leaves the crystal gated off (X2).
    ['"imx31" data on an i.MX6DL-class GPT: CLKSRC 101 without EN_24M selects no clock', 'imx6dl', [[CR, V2_OSC_DIV8]], V2_OSC_DIV8, 0],
  ])('%s', (_what, variant, setup, cr, counts) => {
    const rig = makeRig({ variant });
    linuxInit(rig, setup);
    expect(rig.r(CR)).toBe(cr);
    expect(countAfter1ms(rig)).toBe(counts); // the clocksource counts up at the per rate, from 0 (ENMOD 0 resumes the reset value)
    expect(rig.events).toEqual([]);
  });

  it('"imx6dl" data: PR holds PRESCALER24M = 7 (0x7000) and CR 0x749 on the i.MX6DL layout; the same writes on the i.MX6Q layout keep neither crystal bit', () => {
    const dl = makeRig({ variant: 'imx6dl' });
    linuxInit(dl, [[PR, prescaler24m(7)], [CR, DL_OSC]]);
    expect([dl.r(PR), dl.r(CR)]).toEqual([0x7000, 0x749]);
    const q = makeRig({ variant: 'imx6' });
    linuxInit(q, [[PR, prescaler24m(7)], [CR, DL_OSC]]);
    expect([q.r(PR), q.r(CR)]).toEqual([0, 0x349]); // reserved bits: the crystal ÷ 8 all the same
    expect(countAfter1ms(q)).toBe(3_000);
  });
});

describe('Linux timer-imx-gpt: clocksource and clockevent on the "imx31" data, i.MX6Q with osc_per (3 MHz)', () => {
  /** 3 MHz: a counter cycle is 1000/3 ns. */
  const cycles = (n: number): number => (n * 1000) / 3;

  /** The kernel's view: the GPT set up, the ISR installed on the line (reads SR, acknowledges OF1, counts). */
  const booted = () => {
    const rig = makeRig({ variant: 'imx6' });
    linuxInit(rig, [[CR, V2_OSC_DIV8]]);
    const interrupts: { time: number; tstat: number; cnt: number }[] = [];
    rig.device.irq.watch((high) => {
      if (!high) return;
      const tstat = rig.r(SR);
      rig.w(SR, OF1); // gpt_irq_acknowledge
      interrupts.push({ time: rig.clock.now(), tstat, cnt: rig.r(CNT) });
    });
    /** set_state_oneshot (from shutdown): IR 0; OCR1 = CNT - 3 ("far future"); SR = OF1; IR = OF1IE. */
    const setOneshot = (): void => {
      rig.w(IR, 0);
      rig.w(OCR1, (rig.r(CNT) - 3) >>> 0);
      rig.w(SR, OF1);
      rig.w(IR, OF1);
    };
    /** v2_set_next_event: OCR1 = CNT + delta; -ETIME if the counter has already passed it. */
    const setNextEvent = (delta: number): number => {
      const tcmp = (rig.r(CNT) + delta) >>> 0;
      rig.w(OCR1, tcmp);
      return delta < 0x7fff_ffff && ((tcmp - rig.r(CNT)) | 0) < 0 ? -62 : 0;
    };
    /** shutdown / tick_resume: IR 0; OCR1 = CNT - 3; SR = OF1. */
    const shutdown = (): void => {
      rig.w(IR, 0);
      rig.w(OCR1, (rig.r(CNT) - 3) >>> 0);
      rig.w(SR, OF1);
    };
    return { rig, interrupts, setOneshot, setNextEvent, shutdown };
  };

  it('clocksource / sched_clock / delay timer: CNT counts up at 3 MHz from the init and wraps at 2^32', () => {
    const { rig } = booted();
    for (const ms of [1, 2, 5, 100]) {
      rig.clock.advanceTo(ms * 1_000_000 + 1);
      expect(rig.r(CNT)).toBe(ms * 3_000);
    }
    rig.clock.advanceTo(Math.ceil(cycles(2 ** 32)) + 1); // about 1432 s: back at 0
    expect(rig.r(CNT)).toBe(0);
    expect(rig.r(SR)).toBe(0x27); // ROV, and OF1-OF3 (their reset value is 0xFFFFFFFF) at the rollover; IR is 0: no interrupt
    expect(rig.device.irq.level).toBe(false);
  });

  it('set_state_oneshot then set_next_event(3000): in time (0), the interrupt comes delta + 1 cycles after the write (X1, X6); the ISR acknowledges OF1', () => {
    const { rig, interrupts, setOneshot, setNextEvent } = booted();
    const w = 3_000_001; // between two edges: CNT 9000
    rig.clock.advanceTo(w);
    setOneshot();
    expect(rig.r(IR)).toBe(OF1);
    expect(rig.r(OCR1)).toBe(8_997);
    expect(setNextEvent(3_000)).toBe(0);
    expect(rig.r(OCR1)).toBe(12_000);
    // The OCR1 writes re-time CNT from 9000 with a fresh cycle at w (X6), so OCR1 = 12000 is left
    // 3001 cycles later: w + 1 000 333.33 ns. (The manual's counter would leave it 1 ns earlier:
    // its next edge after w was 333.33 ns after 3 ms, not after w.)
    const at = Math.floor(w + cycles(3_001));
    expect(at).toBe(4_000_334);
    rig.clock.advanceTo(at - 1);
    expect([rig.r(CNT), rig.r(SR), rig.device.irq.level]).toEqual([12_000, 0, false]);
    rig.clock.advanceTo(at);
    expect(interrupts).toEqual([{ time: at, tstat: OF1, cnt: 12_001 }]);
    expect([rig.r(SR), rig.device.irq.level]).toEqual([0, false]); // acknowledged in the ISR
  });

  it('periodic use of the one-shot clockevent: each handler programs the next event from its ISR', () => {
    const { rig, interrupts, setOneshot, setNextEvent } = booted();
    rig.clock.advanceTo(1_000_001);
    setOneshot();
    setNextEvent(2_999); // 1 ms: the compare is 3000 cycles after the write
    rig.device.irq.watch((high) => {
      if (high && interrupts.length < 5) setNextEvent(2_999); // the tick handler, after the ISR's acknowledge
    });
    rig.clock.advanceTo(7_000_000);
    // Every event 3000 cycles (1 ms) after the last, the handler writing OCR1 at the compare instant.
    expect(interrupts.map((i) => i.time)).toEqual([2_000_001, 3_000_001, 4_000_001, 5_000_001, 6_000_001]);
    expect(interrupts.every((i) => i.tstat === OF1)).toBe(true);
    expect(interrupts.map((i) => i.cnt)).toEqual([6_000, 9_000, 12_000, 15_000, 18_000]);
  });

  it('an event written equal to CNT is in time for Linux ((int)(tcmp - CNT) is 0) and comes at the next edge (X1)', () => {
    const { rig, interrupts, setOneshot, setNextEvent } = booted();
    rig.clock.advanceTo(1_000_001);
    setOneshot();
    expect(setNextEvent(0)).toBe(0);
    rig.clock.advanceTo(1_000_001 + Math.floor(cycles(1)));
    expect(interrupts.map((i) => i.cnt)).toEqual([3_001]);
  });

  it('shutdown: IR 0, OCR1 = CNT - 3, SR = OF1: a pending event is dropped and none comes for 2^32 - 3 cycles', () => {
    const { rig, interrupts, setOneshot, setNextEvent, shutdown } = booted();
    rig.clock.advanceTo(1_000_001);
    setOneshot();
    setNextEvent(300);
    rig.clock.advanceTo(1_050_002); // CNT 3150
    shutdown();
    rig.clock.advanceTo(1_000_000_000); // 1 s
    expect(interrupts).toEqual([]);
    expect([rig.r(SR), rig.device.irq.level]).toEqual([0, false]);
    expect(rig.r(OCR1)).toBe(3_000 + 150 - 3);
  });
});

describe("Zephyr's restart-mode GPT system timer (mcux_gpt_timer before it moved to free-run mode)", () => {
  /** 32 768 / 100 ticks a second, as Zephyr's integer division gives it. */
  const CYC_PER_TICK = 327;
  const P = 1e9 / 32_768; // 30 517.578125 ns

  it('OCR1 = CYC_PER_TICK - 1 gives ticks of CYC_PER_TICK cycles: its wrap accounting (OCR1 + 1 a wrap) matches CNT (X1)', () => {
    const rig = makeRig({ variant: 'imx6dl' });
    // Its init's register effects: a software reset, the 32 kHz clock in restart mode, running in wait/doze/stop.
    rig.w(CR, SWR);
    expect(rig.r(CR) & SWR).toBe(0); // the driver polls until SWR clears: at once here
    rig.w(CR, K32 | WAITEN | DOZEEN | STOPEN);
    const lastLoad = CYC_PER_TICK;
    rig.w(OCR1, lastLoad - 1);
    expect(rig.r(CNT)).toBe(0); // it waits for CNT to read 0 after the OCR1 write (X5)
    rig.w(IR, OF1);
    let cycleCount = 0;
    let wrapped = 0;
    /** elapsed(): two CNT reads around the OF1 check; a wrap adds last_load. */
    const elapsed = (): number => {
      const read1 = rig.r(CNT);
      const status = rig.r(SR) & OF1;
      rig.w(SR, OF1);
      const read2 = rig.r(CNT);
      if (status !== 0 || read1 > read2) wrapped += lastLoad;
      return read2 + wrapped;
    };
    const ticks: number[] = [];
    rig.device.irq.watch((high) => {
      if (!high) return;
      elapsed();
      cycleCount += wrapped;
      wrapped = 0;
      ticks.push(rig.clock.now());
    });
    const t0 = rig.clock.now();
    rig.w(CR, K32 | WAITEN | DOZEEN | STOPEN | EN); // GPT_StartTimer
    rig.clock.advanceTo(t0 + Math.ceil(10.5 * CYC_PER_TICK * P));
    expect(ticks).toEqual(Array.from({ length: 10 }, (_, k) => Math.floor(t0 + (k + 1) * CYC_PER_TICK * P)));
    expect(cycleCount).toBe(10 * CYC_PER_TICK);
    // sys_clock_cycle_get_32 = elapsed() + cycle_count: the cycles since the start, exactly.
    const now = rig.clock.now();
    expect(elapsed() + cycleCount).toBe(Math.floor((now - t0) / P));
  });

  it('a new timeout writes OCR1 in restart mode: CNT restarts at 0 and the cycles it had counted are lost to the hardware count (X5; why Zephyr moved to free-run mode)', () => {
    const rig = makeRig({ variant: 'imx6dl' });
    rig.w(CR, K32 | WAITEN);
    rig.w(OCR1, CYC_PER_TICK - 1);
    rig.w(CR, K32 | WAITEN | EN);
    rig.clock.advanceTo(Math.ceil(100.5 * P));
    expect(rig.r(CNT)).toBe(100);
    rig.w(OCR1, 2 * CYC_PER_TICK - 1); // sys_clock_set_timeout(2 ticks), having added the 100 cycles to its own count
    expect(rig.r(CNT)).toBe(0);
    const t = rig.clock.now();
    rig.clock.advanceTo(Math.floor(t + 2 * CYC_PER_TICK * P) - 1);
    expect(rig.r(SR)).toBe(0);
    rig.clock.advanceTo(Math.floor(t + 2 * CYC_PER_TICK * P));
    expect([rig.r(CNT), rig.r(SR)]).toEqual([0, OF1]);
  });
});
