// The register sequences of the MCT's drivers, replayed with the values the hardware implies:
// Linux drivers/clocksource/exynos_mct.c, the older driver (3.x: the clocksource start writes
// G_CNT_L/U 0, reads the 64-bit counter U, L, U; the "mct-comp" clockevent in periodic and
// one-shot mode; the per-CPU "mct_tick" clockevents) and the newer one (the start only sets
// TIMER_ENABLE, sched_clock and the clocksource read G_CNT_L; set_state_* callbacks; the tick ISR
// stops a one-shot tick and clears its status), both through the write helper that polls the
// write-status bit and clears it; and Samsung's TizenRT s5j_mct.c (a tick from TCNTB with ICNTB 0,
// the global counter set and read by halves). fin is the 24 MHz crystal (41⅔ ns a cycle; TizenRT's
// board: 26 MHz); MCT_CFG stays 0, as both drivers leave it.
import { describe, expect, it } from 'vitest';
import {
  AUTO_INC,
  COMP_ENABLE,
  G_CNT_L,
  G_CNT_U,
  G_CNT_WSTAT,
  G_COMP_ADD_INCR,
  G_COMP_L,
  G_COMP_U,
  G_INT_CSTAT,
  G_INT_ENB,
  G_TCON,
  G_WSTAT,
  ICNT,
  ICNTB,
  ICNTO,
  INT_CSTAT,
  INT_ENB,
  INT_START,
  INTERVAL_MODE,
  L,
  makeRig,
  MANUAL_UPDATE,
  TCNTB,
  TCON,
  TIMER_ENABLE,
  TIMER_START,
  WSTAT,
  type Rig,
} from './rig';

const FIN = 24_000_000;
/** The instant `cycles` fin cycles after `from` (ns, floored: where an event at that edge runs). */
const after = (from: number, cycles: number, hz = FIN): number => from + Math.floor((cycles * 1e9) / hz);
/** Linux's HZ = 100: a jiffy of 10 ms. */
const JIFFY = 10_000_000;

/**
 * The register and bit Linux's write helper polls after a write to `offset` (none for the others):
 * Ln_WSTAT bit 3/1/0 for Ln_TCON/ICNTB/TCNTB; G_WSTAT bit 16/0/1/2 for G_TCON/G_COMP0_L/U/ADD_INCR;
 * G_CNT_WSTAT bit 0/1 for G_CNT_L/U. (FRCNTB and the other comparators are not in its table.)
 */
const statusOf = (offset: number): readonly [number, number] | undefined => {
  if (offset >= 0x300) {
    const base = offset & ~0xff;
    const bit = { [TCON]: 3, [ICNTB]: 1, [TCNTB]: 0 }[offset & 0xff];
    return bit === undefined ? undefined : [base + WSTAT, 1 << bit];
  }
  const table: Record<number, readonly [number, number]> = {
    [G_TCON]: [G_WSTAT, 1 << 16],
    [G_COMP_L(0)]: [G_WSTAT, 1 << 0],
    [G_COMP_U(0)]: [G_WSTAT, 1 << 1],
    [G_COMP_ADD_INCR(0)]: [G_WSTAT, 1 << 2],
    [G_CNT_L]: [G_CNT_WSTAT, 1 << 0],
    [G_CNT_U]: [G_CNT_WSTAT, 1 << 1],
  };
  return table[offset];
};

/** A kernel's view of the MCT: its write helper (with the poll it counts) and its readers. */
class Kernel {
  /** Status reads the helper's polls took, each write's. */
  readonly polls: number[] = [];

  constructor(readonly rig: Rig) {}

  /** exynos4_mct_write: the write, then (for a register with a status bit) poll it and clear it; a bit that never comes is the "MCT hangs" panic. */
  write(value: number, offset: number): void {
    this.rig.w(offset, value);
    const status = statusOf(offset);
    if (status === undefined) return;
    const [register, mask] = status;
    for (let i = 1; i <= 1_000; i++) {
      if ((this.rig.r(register) & mask) !== 0) {
        this.rig.w(register, mask);
        this.polls.push(i);
        return;
      }
    }
    throw new Error(`MCT hangs after writing ${value} (offset:0x${offset.toString(16)})`);
  }

  /** Read-modify-write of a control register through the helper. */
  update(offset: number, change: (old: number) => number): void {
    this.write(change(this.rig.r(offset)), offset);
  }

  /** exynos4_read_count_64: U, then L and U until the two U reads agree. */
  read64(): bigint {
    return this.rig.gcnt();
  }

  /** exynos4_read_count_32 (newer kernels' clocksource and sched_clock): G_CNT_L only. */
  read32(): number {
    return this.rig.r(G_CNT_L);
  }

  /** exynos4_mct_comp0_stop. */
  comp0Stop(): void {
    this.update(G_TCON, (t) => t & ~(COMP_ENABLE(0) | AUTO_INC(0)));
    this.write(0, G_INT_ENB);
  }

  /** exynos4_mct_comp0_start(periodic, cycles): auto-increment for periodic, G_COMP0 = counter + cycles, the interrupt, the enable. */
  comp0Start(periodic: boolean, cycles: number): void {
    let tcon = this.rig.r(G_TCON);
    if (periodic) {
      tcon |= AUTO_INC(0);
      this.write(cycles, G_COMP_ADD_INCR(0));
    }
    const comp = this.read64() + BigInt(cycles);
    this.write(Number(comp & 0xffff_ffffn), G_COMP_L(0));
    this.write(Number(comp >> 32n), G_COMP_U(0));
    this.write(1, G_INT_ENB);
    this.write(tcon | COMP_ENABLE(0), G_TCON);
  }

  /** exynos4_mct_tick_stop: clear INT_START and TIMER_START if either is set. */
  tickStop(cpu: number): void {
    const tcon = this.rig.r(L(cpu, TCON));
    if ((tcon & (INT_START | TIMER_START)) !== 0) this.write(tcon & ~(INT_START | TIMER_START), L(cpu, TCON));
  }

  /** exynos4_mct_tick_start(cycles): stop, ICNTB = cycles with the manual update, the interrupt, then start in interval mode. */
  tickStart(cpu: number, cycles: number): void {
    this.tickStop(cpu);
    this.write((MANUAL_UPDATE | cycles) >>> 0, L(cpu, ICNTB));
    this.write(1, L(cpu, INT_ENB));
    this.write(this.rig.r(L(cpu, TCON)) | INT_START | TIMER_START | INTERVAL_MODE, L(cpu, TCON));
  }

  /** exynos4_mct_tick_clear: write 1 to L_INT_CSTAT if its bit 0 is set. */
  tickClear(cpu: number): void {
    if ((this.rig.r(L(cpu, INT_CSTAT)) & 1) !== 0) this.write(1, L(cpu, INT_CSTAT));
  }
}

/** Rising edges of a line, as instants. */
const rises = (line: { watch(l: (level: boolean) => void): unknown }, clock: { now(): number }, handler: () => void = () => {}): number[] => {
  const seen: number[] = [];
  line.watch((high) => {
    if (!high) return;
    seen.push(clock.now());
    handler();
  });
  return seen;
};

describe('Linux exynos_mct.c, older driver (3.x)', () => {
  /** exynos4_clocksource_init at `at`: exynos4_mct_frc_start(0, 0). */
  const booted = (at = 0): Kernel => {
    const k = new Kernel(makeRig({ hz: FIN }));
    k.rig.clock.advanceTo(at);
    k.write(0, G_CNT_L);
    k.write(0, G_CNT_U);
    k.update(G_TCON, (t) => t | TIMER_ENABLE);
    return k;
  };

  it('clocksource: G_CNT_L, G_CNT_U 0 and TIMER_ENABLE, each write-status bit seen at the first poll; the 64-bit read counts fin cycles', () => {
    const k = booted(1_000);
    expect(k.polls).toEqual([1, 1, 1]);
    expect([k.rig.r(G_CNT_WSTAT), k.rig.r(G_WSTAT)]).toEqual([0, 0]);
    k.rig.clock.advanceTo(1_000 + 1_000_000 + 1); // 1 ms: 24 000 cycles
    expect(k.read64()).toBe(24_000n);
    k.rig.clock.advanceTo(1_000 + 60_000_000_000 + 1); // a minute: 1.44·10^9 cycles
    expect(k.read64()).toBe(1_440_000_000n);
    expect(k.rig.events).toEqual([]);
  });

  it('clocksource: the U, L, U read across the low half\'s carry (G_CNT_L written near 2^32)', () => {
    const k = new Kernel(makeRig({ hz: FIN }));
    k.write(0xffff_fff0, G_CNT_L);
    k.write(0, G_CNT_U);
    k.update(G_TCON, (t) => t | TIMER_ENABLE);
    k.rig.clock.advanceTo(after(0, 16) + 1);
    expect(k.read64()).toBe(0x1_0000_0000n);
  });

  it('mct-comp, periodic (set_mode PERIODIC, HZ 100): comp0_stop, then comp0_start(periodic, 240 000): an interrupt every jiffy, acknowledged by G_INT_CSTAT = 1', () => {
    const k = booted();
    const t0 = 5_000_000;
    k.rig.clock.advanceTo(t0);
    const seen = rises(k.rig.device.lines.g0, k.rig.clock, () => k.write(1, G_INT_CSTAT));
    k.comp0Stop();
    k.comp0Start(true, 240_000);
    expect(k.rig.r(G_TCON)).toBe(TIMER_ENABLE | AUTO_INC(0) | COMP_ENABLE(0));
    expect(k.polls.slice(3)).toEqual([1, 1, 1, 1, 1]); // TCON; ADD_INCR, COMP0_L, COMP0_U, TCON (G_INT_ENB is not polled)
    k.rig.clock.advanceTo(t0 + 5 * JIFFY);
    expect(seen).toEqual([1, 2, 3, 4, 5].map((n) => t0 + n * JIFFY));
    expect(k.rig.r(G_INT_CSTAT)).toBe(0);
    expect(k.rig.device.lines.g0.level).toBe(false);
    expect(k.read64()).toBe(BigInt(((t0 + 5 * JIFFY) * 24) / 1_000) - 1n); // the TCON write re-planned the counter from its reading (X4)
  });

  it('mct-comp, one-shot: set_next_event(cycles) writes G_COMP0 = counter + cycles; the ISR acknowledges and programs the next', () => {
    const k = booted();
    k.rig.clock.advanceTo(2_000_000);
    k.comp0Stop(); // set_mode ONESHOT
    const deltas = [2_400, 24_000, 15]; // 100 µs, 1 ms, the minimum (0xf)
    let i = 0;
    const seen = rises(k.rig.device.lines.g0, k.rig.clock, () => {
      k.write(1, G_INT_CSTAT);
      i++;
      if (i < deltas.length) k.comp0Start(false, deltas[i]!);
    });
    k.comp0Start(false, deltas[0]!);
    expect(k.rig.r(G_TCON)).toBe(TIMER_ENABLE | COMP_ENABLE(0));
    k.rig.clock.advanceTo(10_000_000);
    const first = 2_000_000 + 100_000;
    const second = after(first, 24_000);
    expect(seen).toEqual([first, second, after(second, 15)]);
    expect(k.rig.r(G_INT_CSTAT)).toBe(0);
  });

  it('mct_tick: set-up writes TCNTB = 1 (TICK_BASE_CNT); set_next_event(cycles) interrupts 2·(cycles + 1) fin cycles later, one tick late (X5); the ISR stops a one-shot tick and clears its status', () => {
    const k = booted();
    const cpu = 1;
    k.write(1, L(cpu, TCNTB));
    const t0 = 3_000_000;
    k.rig.clock.advanceTo(t0);
    const seen = rises(k.rig.device.lines.l1, k.rig.clock, () => {
      k.tickStop(cpu); // not periodic: stop
      k.tickClear(cpu);
    });
    k.tickStart(cpu, 1_200); // 100 µs at the clockevent's 12 MHz
    expect(k.rig.r(L(cpu, TCON))).toBe(TIMER_START | INT_START | INTERVAL_MODE);
    expect([k.rig.r(L(cpu, ICNTB)), k.rig.r(L(cpu, ICNTO))]).toEqual([1_200, 1_200]); // MANUAL_UPDATE loaded ICNT and reads 0
    k.rig.clock.advanceTo(t0 + 10 * 100_000);
    expect(seen).toEqual([after(t0, 2 * 1_201)]);
    expect([k.rig.r(L(cpu, TCON)), k.rig.r(L(cpu, INT_CSTAT)), k.rig.r(L(cpu, WSTAT))]).toEqual([INTERVAL_MODE, 0, 0]);
    expect(k.polls.every((p) => p === 1)).toBe(true);
    expect(k.rig.device.lines.l0.level).toBe(false);
  });

  it('mct_tick, periodic (HZ 100): tick_start(120 000 ticks) in interval mode: an interrupt every 2·120 001 cycles, the ISR clearing the status only', () => {
    const k = booted();
    k.write(1, L(0, TCNTB));
    const seen = rises(k.rig.device.lines.l0, k.rig.clock, () => k.tickClear(0));
    k.tickStart(0, 120_000);
    k.rig.clock.advanceTo(5 * JIFFY + 1_000);
    expect(seen).toEqual([1, 2, 3, 4, 5].map((n) => after(0, n * 240_002)));
    expect(k.rig.r(L(0, TCON))).toBe(TIMER_START | INT_START | INTERVAL_MODE);
  });
});

describe('Linux exynos_mct.c, newer driver', () => {
  /** exynos4_clocksource_init: exynos4_mct_frc_start() only sets TIMER_ENABLE (the counter is not written). */
  const booted = (): Kernel => {
    const k = new Kernel(makeRig({ hz: FIN }));
    k.update(G_TCON, (t) => t | TIMER_ENABLE);
    return k;
  };

  it('clocksource and sched_clock read G_CNT_L alone: a 32-bit counter at 24 MHz, wrapping after 2^32 cycles', () => {
    const k = booted();
    k.rig.clock.advanceTo(1_000_000 + 1);
    expect(k.read32()).toBe(24_000);
    k.rig.clock.advanceTo(after(0, 2 ** 32 + 5) + 1);
    expect(k.read32()).toBe(5);
    expect(k.read64()).toBe(2n ** 32n + 5n);
  });

  it('mct-comp: set_state_periodic (comp0_stop, comp0_start(true, cycles)), then set_state_shutdown: no interrupt after it', () => {
    const k = booted();
    const seen = rises(k.rig.device.lines.g0, k.rig.clock, () => k.write(1, G_INT_CSTAT));
    k.comp0Stop();
    k.comp0Start(true, 240_000);
    k.rig.clock.advanceTo(2 * JIFFY + 500_010); // G_CNT 492 000, 0.24 of a cycle in
    k.comp0Stop(); // set_state_shutdown
    expect(k.rig.r(G_TCON)).toBe(TIMER_ENABLE);
    k.rig.clock.advanceTo(10 * JIFFY);
    expect(seen).toEqual([JIFFY, 2 * JIFFY]);
    // Still counting; the shutdown's COMP0_ENABLE change re-planned the counter from its reading (X4): 0.24 of a cycle lost.
    expect(k.read32()).toBe(492_000 + Math.floor(((10 * JIFFY - 2 * JIFFY - 500_010) * 24) / 1_000));
  });

  it('mct_tick: set_state_shutdown (tick_stop, tick_clear) ends a periodic tick; the CPU-dying path writes L_INT_CSTAT = 1', () => {
    const k = booted();
    k.write(1, L(0, TCNTB));
    const seen = rises(k.rig.device.lines.l0, k.rig.clock, () => k.tickClear(0));
    k.tickStart(0, 120_000); // set_state_periodic
    k.rig.clock.advanceTo(after(0, 240_002) + 100);
    expect(seen).toHaveLength(1);
    k.tickStop(0);
    k.tickClear(0);
    k.rig.clock.advanceTo(10 * JIFFY);
    expect(seen).toHaveLength(1);
    expect(k.rig.r(L(0, ICNTO))).toBe(119_999);
    k.rig.w(L(0, INT_CSTAT), 1); // exynos4_mct_dying_cpu
    expect([k.rig.r(L(0, INT_CSTAT)), k.rig.device.lines.l0.level]).toEqual([0, false]);
  });
});

describe("TizenRT s5j_mct.c (Samsung's own driver, fin at 26 MHz)", () => {
  const FIN26 = 26_000_000;

  it('mct_init sets G_CNT (U, then L) with polls and starts the counter; mct_global_get_frc_cnt reads U, L, U', () => {
    const k = new Kernel(makeRig({ hz: FIN26 }));
    k.write(0, G_CNT_U);
    k.write(0, G_CNT_L);
    k.update(G_TCON, (t) => t | TIMER_ENABLE);
    k.rig.clock.advanceTo(1_000_000 + 1);
    expect(k.read64()).toBe(26_000n);
  });

  it('mct_local_start_timer0: ICNTEIE, TCNTB = 26·USEC_PER_TICK, ICNTB 0 with the manual update, then INTERVAL_MODE, INT_START, TIMER_START one write each: an interrupt every TCNTB + 1 cycles (X5)', () => {
    const k = new Kernel(makeRig({ hz: FIN26 }));
    const tick = 26 * 10_000; // USEC_PER_TICK 10 000: a 10 ms tick
    const seen = rises(k.rig.device.lines.l0, k.rig.clock, () => k.rig.w(L(0, INT_CSTAT), 3)); // mct_clear_pending
    k.rig.w(L(0, INT_ENB), ICNT);
    k.write(tick, L(0, TCNTB));
    k.write(MANUAL_UPDATE, L(0, ICNTB));
    k.update(L(0, TCON), (t) => t | INTERVAL_MODE);
    k.update(L(0, TCON), (t) => t | INT_START);
    k.update(L(0, TCON), (t) => t | TIMER_START);
    k.rig.clock.advanceTo(31_000_000);
    expect(seen).toEqual([1, 2, 3].map((n) => after(0, n * (tick + 1), FIN26)));
    expect(k.polls).toEqual([1, 1, 1, 1, 1]);
  });
});
