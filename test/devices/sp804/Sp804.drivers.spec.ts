// The register sequences real SP804 drivers issue, run as guest drivers (runDriver) and
// checked against what the TRM says the guest must read, at tick edges and 1 ns after.
// Sequences are stated as facts about what the drivers do (registers, values, order):
// - Linux drivers/clocksource/timer-sp804.c: at probe both timers are disabled; timer 1
//   is the clockevent, timer 2 the clocksource and sched_clock (timer 2 counting down
//   from 0xFFFFFFFF, periodic, 32-bit, read as ~Value); the clockevent's periodic mode
//   loads rate/HZ and enables periodic with IntEnable, its one-shot mode loads the delta
//   and enables one-shot with IntEnable, and its interrupt handler writes 1 to IntClr.
// - Trusted Firmware-A drivers/arm/sp804/sp804_delay_timer.c (bare metal): timer 1 free-
//   running, 32-bit, interrupt disabled, read directly as a down-counter for udelay.
// Both write 0xFFFFFFFF to the read-only Value register at init: a `read-only` guest error
// with no effect, as the TRM makes Value read-only (QEMU ignores it too).
import { describe, expect, it } from 'vitest';
import { Sp804 } from '../../../devices/sp804';
import {
  ClockInput,
  guestRead,
  guestWrite,
  irqEvents,
  runDriver,
  VirtualClock,
  wait,
  waitForIrq,
  waitUntil,
  type AccessResult,
  type DriverCommand,
  type DriverInput,
  type IrqEvent,
  type TraceEvent,
} from '../../../index';

const LOAD = 0x00;
const VALUE = 0x04;
const CONTROL = 0x08;
const INTCLR = 0x0c;
const RIS = 0x10;
const T1 = 0x00;
const T2 = 0x20;

// Control values the drivers write (TRM bit names).
const CTRL_32BIT = 1 << 1;
const CTRL_IE = 1 << 5;
const CTRL_PERIODIC = 1 << 6;
const CTRL_ENABLE = 1 << 7;
const CTRL_ONESHOT = 1 << 0;
const CLOCKSOURCE = CTRL_32BIT | CTRL_ENABLE | CTRL_PERIODIC; // 0xC2
const CLOCKEVENT_PERIODIC = CTRL_32BIT | CTRL_IE | CTRL_PERIODIC | CTRL_ENABLE; // 0xE2
const CLOCKEVENT_ONESHOT = CTRL_32BIT | CTRL_IE | CTRL_ONESHOT | CTRL_ENABLE; // 0xA3
const TFA_FREE_RUNNING = CTRL_32BIT | CTRL_ENABLE; // 0x82

const RATE = 1_000_000; // TIMCLK, Hz
const TICK = 1_000; // ns
const HZ = 100; // Linux tick rate
const RELOAD = RATE / HZ; // 10 000: what the clockevent loads for periodic mode

type Program = () => Generator<DriverCommand, void, DriverInput>;

const system = () => {
  const clock = new VirtualClock();
  const device = new Sp804(clock, { timclk: new ClockInput('timclk', RATE) });
  const events: TraceEvent[] = [];
  device.events$.subscribe((e) => events.push(e));
  const edges: IrqEvent[] = [];
  irqEvents(device.timint1, clock).subscribe((e) => edges.push(e));
  const results: AccessResult[] = [];
  const run = (program: Program) => runDriver(program, { device, scheduler: clock }).subscribe((r) => results.push(r));
  return { clock, device, events, edges, results, run };
};

/** Linux probe, clockevent on timer 1 and clocksource on timer 2 (the default wiring). */
function* linuxProbe(): Generator<DriverCommand, void, DriverInput> {
  yield guestWrite(T1 + CONTROL, 0); // ensure both timers are disabled
  yield guestWrite(T2 + CONTROL, 0);
  yield guestWrite(T1 + CONTROL, 0); // clockevent init: shut down
  yield guestWrite(T2 + CONTROL, 0); // clocksource init
  yield guestWrite(T2 + LOAD, 0xffff_ffff);
  yield guestWrite(T2 + VALUE, 0xffff_ffff); // read-only: refused
  yield guestWrite(T2 + CONTROL, CLOCKSOURCE);
}

describe('Sp804 under real drivers', () => {
  it('Linux clocksource/sched_clock: ~Value counts elapsed ticks, one per tick, and wraps modulo 2^32 without a jump', () => {
    const { clock, device, events, results, run } = system();
    const cycles = () => ~device.read(T2 + VALUE, 4) >>> 0; // what clocksource_mmio_readl_down computes
    run(linuxProbe); // at t = 0
    expect(results.map((r) => [r.offset, r.value, r.error])).toEqual([
      [T1 + CONTROL, 0, undefined],
      [T2 + CONTROL, 0, undefined],
      [T1 + CONTROL, 0, undefined],
      [T2 + CONTROL, 0, undefined],
      [T2 + LOAD, 0xffff_ffff, undefined],
      [T2 + VALUE, 0xffff_ffff, 'read-only'],
      [T2 + CONTROL, CLOCKSOURCE, undefined],
    ]);
    expect(events).toEqual([
      { kind: 'guest-error', time: 0, source: 'sp804', offset: T2 + VALUE, size: 4, reason: 'read-only', detail: 'Timer2Value is read-only' },
    ]);
    const N = 0xffff_ffff;
    // Reads at an edge see the previous count; 1 ns later the new one.
    const expected: [number, number][] = [
      [0, 0],
      [TICK, 0],
      [TICK + 1, 1],
      [1_000 * TICK + 1, 1_000],
      [(N - 1) * TICK, N - 2],
      [(N - 1) * TICK + 1, N - 1],
      [N * TICK, N], // the counter reaches 0 (RIS rises; IntEnable is clear, so no interrupt)
      [(N + 1) * TICK, N], // W: the zero tick is the 2^32-th count...
      [(N + 1) * TICK + 1, 0], // ...and the reload to 0xFFFFFFFF reads as 2^32 = 0 mod 2^32
      [(N + 2) * TICK + 1, 1],
    ];
    for (const [t, count] of expected) {
      clock.advanceTo(t);
      expect(cycles(), `cycles at ${t} ns`).toBe(count);
    }
    expect([device.read(T2 + RIS, 4), device.timint2.level]).toEqual([1, false]);
  });

  it('Linux clockevent, periodic: Control 0, Load rate/HZ, Control 0xE2; the handler writes IntClr; ticks every rate/HZ + 1 counts', () => {
    const { clock, device, edges, results, run } = system();
    run(function* () {
      yield* linuxProbe();
      // set_state_periodic
      yield guestWrite(T1 + CONTROL, 0);
      yield guestWrite(T1 + LOAD, RELOAD);
      yield guestWrite(T1 + CONTROL, CLOCKEVENT_PERIODIC);
      for (let i = 0; i < 3; i++) {
        yield waitForIrq(device.timint1);
        yield guestWrite(T1 + INTCLR, 1); // sp804_timer_interrupt
      }
    });
    clock.advanceTo(RELOAD * TICK - 1);
    expect([device.read(T1 + VALUE, 4), device.read(T1 + RIS, 4)]).toEqual([1, 0]);
    clock.advanceTo((3 * RELOAD + 2) * TICK + TICK + 1); // one tick after the third interrupt: reloaded
    expect(device.read(T1 + VALUE, 4)).toBe(RELOAD);
    clock.advanceTo(40 * 1_000_000);
    // The handler runs at each edge; the SP804 period is Load + 1 ticks (10.001 ms at HZ = 100).
    const handled = results.filter((r) => r.offset === T1 + INTCLR).map((r) => r.time);
    expect(handled).toEqual([RELOAD * TICK, (2 * RELOAD + 1) * TICK, (3 * RELOAD + 2) * TICK]);
    expect(edges.map((e) => [e.time, e.level])).toEqual(
      handled.flatMap((t) => [
        [t, true],
        [t, false],
      ]),
    );
    // The driver stopped handling after three: the fourth interrupt (40.003 ms) is still pending.
    clock.advanceTo(41 * 1_000_000);
    expect([device.read(T1 + RIS, 4), device.timint1.level]).toEqual([1, true]);
  });

  it('Linux clockevent, one-shot: shut down, then per event Load delta and Control 0xA3; each fires exactly delta ticks later and halts', () => {
    const { clock, device, results, run } = system();
    const deltas = [500, 2_000, 0xf]; // 0xF is the driver's minimum delta
    const afterHandler: number[] = [];
    run(function* () {
      yield* linuxProbe();
      yield guestWrite(T1 + CONTROL, 0); // set_state_oneshot: shut down until the first event
      yield waitUntil(100 * TICK);
      for (const delta of deltas) {
        // set_next_event
        yield guestWrite(T1 + LOAD, delta);
        yield guestWrite(T1 + CONTROL, CLOCKEVENT_ONESHOT);
        yield waitForIrq(device.timint1);
        yield guestWrite(T1 + INTCLR, 1);
        afterHandler.push((yield guestRead(T1 + VALUE)) as number);
      }
    });
    clock.advanceTo(100 * TICK + 499 * TICK + 1);
    expect(device.read(T1 + VALUE, 4)).toBe(1);
    clock.advanceTo(10_000 * TICK);
    const handled = results.filter((r) => r.offset === T1 + INTCLR).map((r) => r.time);
    expect(handled).toEqual([600 * TICK, 2_600 * TICK, 2_615 * TICK]);
    expect(afterHandler).toEqual([0, 0, 0]); // halted at 0 in the handler
    // Halted at 0 with TimerEn still set (no wrap, no further interrupt).
    expect([device.read(T1 + VALUE, 4), device.read(T1 + CONTROL, 4), device.read(T1 + RIS, 4)]).toEqual([0, CLOCKEVENT_ONESHOT, 0]);
  });

  it('TF-A delay timer (bare metal): Control 0, Load and Value 0xFFFFFFFF, Control 0x82; udelay polls the down-counter', () => {
    const { clock, device, events, results, run } = system();
    const returned: number[] = [];
    /** udelay(us) at 1 MHz: poll Value every 100 ns until the start value minus it reaches us ticks. */
    function* udelay(us: number): Generator<DriverCommand, void, DriverInput> {
      const start = (yield guestRead(T1 + VALUE)) as number;
      for (;;) {
        const now = (yield guestRead(T1 + VALUE)) as number;
        if (((start - now) >>> 0) >= us) break;
        yield wait(100);
      }
      returned.push(clock.now());
    }
    run(function* () {
      // sp804_timer_init
      yield guestWrite(T1 + CONTROL, 0);
      yield guestWrite(T1 + LOAD, 0xffff_ffff);
      yield guestWrite(T1 + VALUE, 0xffff_ffff); // read-only: refused
      yield guestWrite(T1 + CONTROL, TFA_FREE_RUNNING);
      yield waitUntil(12_345);
      yield* udelay(5);
      yield* udelay(1);
    });
    clock.advanceTo(50 * TICK);
    // udelay(5)'s first reads, at 12 345: 12 edges have passed since the enable at 0.
    expect(results.filter((r) => r.kind === 'read').slice(0, 2).map((r) => [r.time, r.value])).toEqual([
      [12_345, 0xffff_ffff - 12],
      [12_345, 0xffff_ffff - 12],
    ]);
    // udelay(5) from 12 345 (mid-tick 12): returns at the first poll after edge 17, 17 045;
    // udelay(1) from there: after edge 18, at 18 045.
    expect(returned).toEqual([17_045, 18_045]);
    expect(events.filter((e) => e.kind === 'guest-error').map((e) => [e.kind === 'guest-error' && e.reason, e.time])).toEqual([['read-only', 0]]);
    expect(device.timint1.level).toBe(false); // IntEnable clear
  });
});
