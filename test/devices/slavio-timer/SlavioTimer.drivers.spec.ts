// The register sequences of the sun4m drivers, written from what each function does to the
// registers (which ones, in which order, with which values; reference devices-2.md §20), not from
// their code:
// - Linux (arch/sparc/kernel/sun4m_irq.c, time_32.c, sun4m_smp.c): sun4m_init_timers writes
//   timer_config = 0, l10_limit = timer_value(cs_period) with timer_value(n) = (n + 1) << 9 and
//   cs_period = 2 MHz / HZ (uniprocessor) or 2 s of it (SMP), then l14_limit = 0 for every CPU.
//   The level-10 handler reads l10_limit (sun4m_clear_clock_irq) and counts a period; the
//   clocksource reads l10_count: (count >> 9) & 0x3FFFFF, plus cs_period while bit 31 is set.
//   Per-CPU clockevents (SMP): periodic = load_profile_irq(cpu, 2 MHz / HZ); one-shot and
//   shutdown = load_profile_irq(cpu, 0); set_next_event(delta) = load_profile_irq(cpu, delta),
//   which writes l14_limit = timer_value(delta) (0 for 0). The level-14 handler reads l14_limit
//   in periodic mode and writes it 0 in one-shot mode before the next event is set.
// - NetBSD (sys/arch/sparc/sparc/timer_sun4m.c, timer.c, timerreg.h): attach writes t_cfg = 0;
//   the delay calibration reads the limit, writes tmr_ustolim(0x1FFFFF − 1) = 0x1FFFFF << 10,
//   reads the counter, waits 100 µs, reads it again (µs = (value >> 10) & 0x1FFFFF). timer_init_4m
//   writes the system limit tick << 10 and each CPU's limit statint << 10; clockintr_4m reads the
//   system limit; statintr_4m reads the CPU's limit, then writes its non-resetting limit
//   newint << 10 for the next (randomised) interval.
// - OpenBIOS (drivers/obio.c, ob_counter_init), through its struct sun4m_timer_regs, which puts
//   the system registers right after four processor pages (0x4000): the compact layout. It writes
//   cfg = 0xFFFFFFFF (one version reads it back to count the CPUs), then cfg = 0xFFFFFFFE,
//   l10_timer_limit = 0, cpu_timers[0].l14_timer_limit = 0x9C4000, cpu_timers[0].cntrl = 1. An
//   older version wrote cfg = 0xFFFFFFFF, l10_timer_limit = (10000 + 1) << 10, l14_timer_limit = 0.
import { describe, expect, it } from 'vitest';
import { guestRead, guestWrite, runDriver, waitForIrq, waitUntil, type AccessResult, type DriverCommand, type DriverInput, type IrqSignal } from '../../../index';
import { COUNTER, cpu, LIMIT, LIMIT_NR, makeRig, REACHED, START_STOP, STEP, SYS_COUNTER, SYS_LIMIT, TIMER_CONFIG, word, type Rig } from './rig';

type Program = Generator<DriverCommand, void, DriverInput>;
const T0 = 1_000_000; // the kernel sets its timers up 1 ms after reset
const SBUS_CLOCK_RATE = 2_000_000;
const LATENCY = 2_000; // each interrupt handler runs 2 µs after its line rises

/** Linux's timer_value: (n + 1) << 9. */
const timerValue = (n: number): number => (n + 1) * 512;

/** Runs a program on the rig's device and clock from now, collecting its access results. */
const drive = (rig: Rig, program: () => Program): AccessResult[] => {
  const results: AccessResult[] = [];
  runDriver(program, { device: rig.device, scheduler: rig.clock }).subscribe((r) => results.push(r));
  return results;
};

/** An interrupt handler on `line`: at each interrupt (the rise recorded), LATENCY later `body`. */
const handler = (rig: Rig, line: IrqSignal, count: number, rises: number[], body: (k: number) => Program) =>
  drive(rig, function* () {
    for (let k = 0; k < count; k++) {
      yield waitForIrq(line);
      rises.push(rig.clock.now());
      yield waitUntil(rig.clock.now() + LATENCY);
      yield* body(k);
    }
  });

describe('Linux sun4m, uniprocessor (HZ = 100)', () => {
  const csPeriod = SBUS_CLOCK_RATE / 100; // 20000 steps, 10 ms

  /** sun4m_init_timers on one CPU. */
  function* initTimers(cpus: number, period: number): Program {
    yield guestWrite(TIMER_CONFIG, 0);
    yield guestWrite(SYS_LIMIT, timerValue(period));
    for (let n = 0; n < cpus; n++) yield guestWrite(cpu(n) + LIMIT, 0);
  }

  it('sun4m_init_timers: timer_config 0, l10_limit 0x009C4200, l14_limit 0; the level-10 tick every 10 ms, acknowledged by reading l10_limit', () => {
    const rig = makeRig();
    rig.clock.advanceTo(T0);
    const setup = drive(rig, () => initTimers(1, csPeriod));
    expect(setup.map((r) => [r.kind, r.offset, r.value])).toEqual([
      ['write', TIMER_CONFIG, 0],
      ['write', SYS_LIMIT, 0x009c_4200],
      ['write', cpu(0) + LIMIT, 0],
    ]);
    const rises: number[] = [];
    const acks = handler(rig, rig.device.systemIrq, 5, rises, function* () {
      yield guestRead(SYS_LIMIT);
    });
    rig.clock.advanceTo(T0 + 55_000_000);
    expect(rises).toEqual([1, 2, 3, 4, 5].map((k) => T0 + k * 10_000_000));
    expect(acks.map((r) => r.value)).toEqual([0x009c_4200, 0x009c_4200, 0x009c_4200, 0x009c_4200, 0x009c_4200]);
    expect(rig.device.systemIrq.level).toBe(false);
    // l14_limit 0: processor counter 0 runs free and never interrupts (X2).
    expect(rig.device.processorIrqs[0]!.level).toBe(false);
    expect(rig.events.filter((e) => e.kind === 'guest-error' || e.kind === 'unimplemented')).toEqual([]);
  });

  it('the clocksource (timer_cs_read): periods counted by the handler × cs_period + the counter, plus cs_period while bit 31 is set, is the time in steps', () => {
    const rig = makeRig();
    rig.clock.advanceTo(T0);
    drive(rig, () => initTimers(1, csPeriod));
    let periods = 0; // timer_cs_internal_counter
    const rises: number[] = [];
    handler(rig, rig.device.systemIrq, 10, rises, function* () {
      yield guestRead(SYS_LIMIT);
      periods++;
    });
    // Reads spread over 50 ms, some between a match and its handler (bit 31 set).
    const at = [...Array.from({ length: 150 }, (_, j) => T0 + 1 + j * 333_333), ...[1, 2, 3, 4].map((k) => T0 + k * 10_000_000 + 1_001)].sort((a, b) => a - b);
    const cycles: [number, number, boolean][] = [];
    drive(rig, function* () {
      for (const t of at) {
        yield waitUntil(t);
        const value = (yield guestRead(SYS_COUNTER)) ?? 0;
        const offset = (Math.floor(value / 512) & 0x3f_ffff) + (value >= REACHED ? csPeriod : 0);
        cycles.push([t, periods * csPeriod + offset, value >= REACHED]);
      }
    });
    rig.clock.advanceTo(T0 + 50_000_001);
    expect(cycles).toHaveLength(154);
    expect(cycles.filter(([, , pending]) => pending)).toHaveLength(4);
    // Off a step boundary the clocksource reads ⌈elapsed / 500 ns⌉: exact, and monotonic.
    for (const [t, value] of cycles) expect(value, `at ${t}`).toBe(Math.ceil((t - T0) / STEP));
  });
});

describe('Linux sun4m, SMP (two CPUs)', () => {
  /** load_profile_irq(cpu, limit): l14_limit = timer_value(limit), or 0. */
  const loadProfileIrq = (n: number, limit: number): Program =>
    (function* () {
      yield guestWrite(cpu(n) + LIMIT, limit === 0 ? 0 : timerValue(limit));
    })();

  it('init: the level-10 counter as a 2 s clocksource only (l10_limit = timer_value(4000000)), every l14_limit 0', () => {
    const rig = makeRig({ cpus: 2 });
    rig.clock.advanceTo(T0);
    drive(rig, function* () {
      yield guestWrite(TIMER_CONFIG, 0);
      yield guestWrite(SYS_LIMIT, timerValue(2 * SBUS_CLOCK_RATE));
      yield guestWrite(cpu(0) + LIMIT, 0);
      yield guestWrite(cpu(1) + LIMIT, 0);
    });
    expect(timerValue(2 * SBUS_CLOCK_RATE)).toBe(0x7a12_0200);
    rig.clock.advanceTo(T0 + 2_000_000_000 - 1);
    expect(rig.r(SYS_COUNTER)).toBe(word(4_000_000));
    expect([rig.device.systemIrq.level, ...rig.device.processorIrqs.map((l) => l.level)]).toEqual([false, false, false]);
    rig.clock.advanceTo(T0 + 2_000_000_000);
    expect(rig.device.systemIrq.level).toBe(true);
  });

  it('one-shot per-CPU events: set_next_event(delta) writes timer_value(delta); the handler writes l14_limit 0 (the acknowledge), then the next event', () => {
    const rig = makeRig({ cpus: 2 });
    rig.clock.advanceTo(T0);
    const deltas = [
      [2_000, 3_000, 1_234],
      [5_000, 700],
    ];
    drive(rig, function* () {
      yield guestWrite(TIMER_CONFIG, 0);
      for (const n of [0, 1]) yield* loadProfileIrq(n, 0); // clockevent set to one-shot
      for (const n of [0, 1]) yield* loadProfileIrq(n, deltas[n]![0]!);
    });
    const rises = [[], []] as [number[], number[]];
    const writes = [0, 1].map((n) =>
      handler(rig, rig.device.processorIrqs[n]!, deltas[n]!.length, rises[n]!, function* (k) {
        yield* loadProfileIrq(n, 0);
        const next = deltas[n]![k + 1];
        if (next !== undefined) yield* loadProfileIrq(n, next);
      }),
    );
    rig.clock.advanceTo(T0 + 50_000_000);
    // Each event `delta` steps after the write that set it: the start, or the previous handler.
    const expected = (n: number): number[] =>
      deltas[n]!.reduce<number[]>((times, delta, k) => [...times, (k === 0 ? T0 : times[k - 1]! + LATENCY) + delta * STEP], []);
    expect(rises[0]).toEqual(expected(0));
    expect(rises[1]).toEqual(expected(1));
    expect(writes[1]!.map((r) => r.value)).toEqual([0, timerValue(700), 0]);
    // After the last event the limit is 0: the counter runs free, no more interrupts.
    expect(rig.device.processorIrqs.map((l) => l.level)).toEqual([false, false]);
    expect(rig.events.filter((e) => e.kind === 'guest-error')).toEqual([]);
  });

  it('periodic per-CPU events: load_profile_irq(cpu, 2 MHz / HZ); the handler reads l14_limit', () => {
    const rig = makeRig({ cpus: 2 });
    rig.clock.advanceTo(T0);
    drive(rig, function* () {
      yield guestWrite(TIMER_CONFIG, 0);
      yield* loadProfileIrq(1, SBUS_CLOCK_RATE / 100);
    });
    const rises: number[] = [];
    handler(rig, rig.device.processorIrqs[1]!, 3, rises, function* () {
      yield guestRead(cpu(1) + LIMIT);
    });
    rig.clock.advanceTo(T0 + 35_000_000);
    expect(rises).toEqual([1, 2, 3].map((k) => T0 + k * 10_000_000));
    expect(rig.device.processorIrqs[0]!.level).toBe(false);
  });
});

describe('NetBSD sun4m', () => {
  it('timerattach: t_cfg 0, then the delay calibration: limit read, 0x1FFFFF << 10, counter 100 µs apart reads 100 µs more, no limit bit', () => {
    const rig = makeRig();
    rig.clock.advanceTo(T0);
    const results = drive(rig, function* () {
      yield guestWrite(TIMER_CONFIG, 0);
      yield guestRead(SYS_LIMIT);
      yield guestWrite(SYS_LIMIT, 0x1f_ffff * 1024);
      yield guestRead(SYS_COUNTER);
      yield waitUntil(rig.clock.now() + 100_000); // delay(100)
      yield guestRead(SYS_COUNTER);
    });
    rig.clock.advanceTo(T0 + 200_000);
    expect(results.map((r) => [r.time, r.kind, r.offset])).toEqual([
      [T0, 'write', TIMER_CONFIG],
      [T0, 'read', SYS_LIMIT],
      [T0, 'write', SYS_LIMIT],
      [T0, 'read', SYS_COUNTER],
      [T0 + 100_000, 'read', SYS_COUNTER],
    ]);
    const [t0, t1] = results.filter((r) => r.offset === SYS_COUNTER).map((r) => r.value);
    expect(t1! & REACHED).toBe(0);
    const us = (v: number): number => Math.floor(v / 1024) & 0x1f_ffff;
    expect([us(t0!), us(t1!)]).toEqual([0, 100]);
    expect(us(t1!) - us(t0!)).toBeGreaterThanOrEqual(100);
  });

  it('timer_init_4m, clockintr_4m and statintr_4m: hardclock every 19999 steps (tick << 10), the statclock reprogrammed with the non-resetting limit', () => {
    const rig = makeRig();
    rig.clock.advanceTo(T0);
    const tick = 10_000; // µs, hz = 100
    const statint = 7_812; // µs, stathz = 128
    const newints = [7_500, 8_100, 7_900];
    drive(rig, function* () {
      yield guestWrite(TIMER_CONFIG, 0);
      yield guestWrite(SYS_LIMIT, tick * 1024);
      yield guestWrite(cpu(0) + LIMIT, statint * 1024);
    });
    const hard: number[] = [];
    handler(rig, rig.device.systemIrq, 4, hard, function* () {
      yield guestRead(SYS_LIMIT);
    });
    const stat: number[] = [];
    const counts: number[] = [];
    handler(rig, rig.device.processorIrqs[0]!, newints.length + 1, stat, function* (k) {
      yield guestRead(cpu(0) + LIMIT);
      counts.push(Math.floor(rig.r(cpu(0) + COUNTER) / 512));
      if (k < newints.length) yield guestWrite(cpu(0) + LIMIT_NR, newints[k]! * 1024);
    });
    rig.clock.advanceTo(T0 + 45_000_000);
    // tick << 10 is a limit of 2·tick steps: a period of 2·tick − 1 steps, 9.9995 ms (X1; NetBSD's
    // timerreg.h reports 10 ms on real machines, the 50 ppm question).
    expect(hard).toEqual([1, 2, 3, 4].map((k) => T0 + k * (2 * tick - 1) * STEP));
    // The statclock: its first interval from the write, each next one from the count at its handler.
    expect(counts.every((c) => c === LATENCY / STEP)).toBe(true); // 2 µs: the count at 4
    const expected: number[] = [T0 + (2 * statint - 1) * STEP];
    for (const newint of newints) expected.push(expected.at(-1)! + LATENCY + (2 * newint - LATENCY / STEP) * STEP);
    expect(stat).toEqual(expected);
  });
});

describe('OpenBIOS ob_counter_init (its struct: the compact layout)', () => {
  const CFG = 0x4010;
  const L10_LIMIT = 0x4000;

  it('cfg all ones read back counts the CPUs; then cfg 0xFFFFFFFE, l10 limit 0 (free-run), the level-14 ticker at 0x9C4000 on CPU 0', () => {
    for (const cpus of [1, 2, 4]) {
      const rig = makeRig({ cpus, layout: 'compact' });
      rig.clock.advanceTo(T0);
      const results = drive(rig, function* () {
        yield guestWrite(CFG, 0xffff_ffff);
        yield guestRead(CFG);
        yield guestWrite(CFG, 0xffff_fffe);
        yield guestWrite(L10_LIMIT, 0);
        yield guestWrite(cpu(0) + LIMIT, 0x9c_4000);
        yield guestWrite(cpu(0) + START_STOP, 1);
      });
      const mask = results.find((r) => r.kind === 'read')!.value;
      const ncpus = [0, 1, 2, 3].filter((n) => (mask >>> n) & 1).length;
      expect(ncpus).toBe(cpus);
      // CPU 0 in counter/timer mode, the others user timers.
      expect(rig.r(CFG)).toBe((2 ** cpus - 2) >>> 0);
      const rises: number[] = [];
      handler(rig, rig.device.processorIrqs[0]!, 3, rises, function* () {
        yield guestRead(cpu(0) + LIMIT);
      });
      rig.clock.advanceTo(T0 + 31_000_000);
      // 0x9C4000 is a limit of 20000 steps: a period of 19999, 9.9995 ms.
      expect(rises).toEqual([1, 2, 3].map((k) => T0 + k * 19_999 * STEP));
      expect(rig.device.systemIrq.level).toBe(false);
      expect(rig.events.filter((e) => e.kind === 'guest-error')).toEqual([]);
    }
  });

  it('the older sequence: cfg 0xFFFFFFFF makes CPU 0 a user timer, so l14_timer_limit = 0 sets its high word; the level-10 tick every 20001 steps', () => {
    const rig = makeRig({ layout: 'compact' });
    rig.clock.advanceTo(T0);
    drive(rig, function* () {
      yield guestWrite(CFG, 0xffff_ffff);
      yield guestWrite(L10_LIMIT, (10_000 + 1) * 1024);
      yield guestWrite(cpu(0) + LIMIT, 0);
      yield guestWrite(cpu(0) + START_STOP, 1);
    });
    const rises: number[] = [];
    handler(rig, rig.device.systemIrq, 2, rises, function* () {
      yield guestRead(L10_LIMIT);
    });
    rig.clock.advanceTo(T0 + 25_000_001);
    expect(rises).toEqual([1, 2].map((k) => T0 + k * 20_001 * STEP));
    // The user timer counted from the cfg write: 25 ms, 50000 steps (the last shows just after its instant).
    expect([rig.r(cpu(0) + LIMIT), rig.r(cpu(0) + COUNTER)]).toEqual([0, 50_000 * 512]);
    expect(rig.device.processorIrqs[0]!.level).toBe(false);
  });

  it('in the chip layout the struct\'s system registers at 0x4000 fall in an empty page: unmapped guest errors', () => {
    const rig = makeRig({ layout: 'chip' });
    drive(rig, function* () {
      yield guestWrite(CFG, 0xffff_fffe);
      yield guestWrite(L10_LIMIT, 0);
    });
    expect(rig.events.map((e) => (e.kind === 'guest-error' ? [e.reason, e.offset] : e.kind))).toEqual([
      ['unmapped', CFG],
      ['unmapped', L10_LIMIT],
    ]);
  });
});
