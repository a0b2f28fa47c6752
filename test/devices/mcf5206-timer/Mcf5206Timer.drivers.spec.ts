// The register sequences Linux's ColdFire timer driver (arch/m68k/coldfire/timers.c, the 5206's)
// issues, replayed on the model with what it must read. Written from what the driver does (which
// registers, in which order, with which values: reference devices-2.md §22), not from its code:
// - tick and clocksource on timer 1, at FREQ = bus clock / 16: TMR = 0 (disable); TRR = FREQ / HZ
//   - 1 (the timer counts 0 to TRR included); TMR = ORI | CLK16 | restart | enable (0x001D);
//   the interrupt handler: TER = CAP | REF (a byte), then its cycle count += FREQ / HZ;
//   the clocksource: cycle count + TCN; older kernels also add a jiffy when the interrupt is
//   still pending (interrupts off across the tick);
// - the profiling timer on timer 2 (CONFIG_HIGHPROFILE): TMR = 0; TRR = FREQ / 1013;
//   TMR = 0x001D; its handler: TER = CAP | REF.
// On the 5206 the bus clock is the system clock; at 25 MHz FREQ = 1 562 500 (640 ns a step),
// and with HZ = 100 a jiffy is 15 625 steps = 10 ms.
import { describe, expect, it } from 'vitest';
import { CAP, CLK16, FRR, makeRig, ORI, REF, RST, TCN, TER, TMR, TRR, type Rig } from './rig';

const FREQ = 25_000_000 / 16;
const HZ = 100;
const CYCLES_PER_JIFFY = FREQ / HZ; // 15 625
const STEP = 640; // ns
const TICK_MODE = ORI | CLK16 | FRR | RST; // 0x001D
const T0 = 1_000_000; // the driver starts 1 ms after boot

/** hw_timer_init on timer 1. */
const init = (rig: Rig): void => {
  rig.w(TMR(1), 0);
  rig.w(TRR(1), CYCLES_PER_JIFFY - 1);
  rig.w(TMR(1), TICK_MODE);
};

/** mcftmr_tick: acknowledge (TER = CAP | REF), count a jiffy; `latency` ns after the interrupt. */
const handler = (rig: Rig, state: { cnt: number; at: number[] }, latency = 0): void => {
  rig.device.timer1.watch((high) => {
    if (!high) return;
    const run = () => {
      rig.w(TER(1), CAP | REF);
      state.cnt += CYCLES_PER_JIFFY;
      state.at.push(rig.clock.now());
    };
    if (latency === 0) run();
    else rig.clock.schedule(run, latency);
  });
};

describe('Linux timers.c, timer 1 (tick and clocksource)', () => {
  it('hw_timer_init: TMR 0, TRR 15 624, TMR 0x001D: a tick every 15 625 steps = 10 ms, the first 10 ms after the TMR write', () => {
    const rig = makeRig();
    rig.clock.advanceTo(T0);
    const state = { cnt: 0, at: [] as number[] };
    handler(rig, state);
    init(rig);
    expect([rig.r(TMR(1)), rig.r(TRR(1)), rig.r(TCN(1))]).toEqual([0x001d, 15_624, 0]);
    rig.clock.advanceTo(T0 + 50_000_000);
    expect(state.at).toEqual([1, 2, 3, 4, 5].map((k) => T0 + k * 10_000_000));
    expect([rig.device.timer1.level, rig.r(TER(1))]).toEqual([false, 0]);
    expect(rig.events.filter((e) => e.kind === 'guest-error' || e.kind === 'unimplemented')).toEqual([]);
  });

  it('the clocksource (cycle count + TCN) counts steps exactly: m steps after the start it reads m, across ticks', () => {
    const rig = makeRig();
    rig.clock.advanceTo(T0);
    const state = { cnt: 0, at: [] as number[] };
    handler(rig, state);
    init(rig);
    const read = (): number => state.cnt + rig.r(TCN(1));
    for (const m of [0, 1, 2, 15_623, 15_624, 15_625, 15_626, 31_249, 31_250, 100_000]) {
      rig.clock.advanceTo(T0 + m * STEP + 1);
      expect(read()).toBe(m);
    }
  });

  it('with the handler 3 µs late, the older kernels\' correction (a jiffy more while REF is pending) keeps the reading monotonic through each tick', () => {
    const rig = makeRig();
    rig.clock.advanceTo(T0);
    const state = { cnt: 0, at: [] as number[] };
    handler(rig, state, 3_000);
    init(rig);
    const read = (): number => state.cnt + rig.r(TCN(1)) + ((rig.r(TER(1)) & REF) !== 0 ? CYCLES_PER_JIFFY : 0);
    let last = -1;
    for (let t = T0; t < T0 + 30_500_000; t += 997) {
      rig.clock.advanceTo(t);
      const now = read();
      expect(now).toBeGreaterThanOrEqual(last);
      last = now;
    }
    expect(state.at).toEqual([1, 2, 3].map((k) => T0 + k * 10_000_000 + 3_000));
  });
});

describe('Linux timers.c, timer 2 (profiling)', () => {
  it('coldfire_profile_init: TRR = FREQ / 1013 = 1542 (no - 1): a profiling interrupt every 1543 steps, timer 1 undisturbed', () => {
    const rig = makeRig();
    rig.clock.advanceTo(T0);
    const state = { cnt: 0, at: [] as number[] };
    handler(rig, state);
    init(rig);
    const profile: number[] = [];
    rig.device.timer2.watch((high) => {
      if (!high) return;
      rig.w(TER(2), CAP | REF);
      profile.push(rig.clock.now());
    });
    rig.w(TMR(2), 0);
    rig.w(TRR(2), Math.floor(FREQ / 1013));
    rig.w(TMR(2), TICK_MODE);
    expect(rig.r(TRR(2))).toBe(1_542);
    rig.clock.advanceTo(T0 + 10_000_000);
    expect(profile).toHaveLength(10);
    expect(profile).toEqual(profile.map((_, k) => T0 + (k + 1) * 1_543 * STEP));
    expect(state.at).toEqual([T0 + 10_000_000]);
  });
});
