// The register sequences real drivers issue to this block, on an MPS2 board (TIMCLK 25 MHz, one
// tick = 40 ns), with what the guest must read at exact tick boundaries and 1 ns after.
// - Linux drivers/clocksource/timer-sp804.c (the block is SP804-compatible; with one interrupt line
//   it takes timer 1 for clockevents and timer 2 as the clocksource and sched_clock);
// - Zephyr's counter driver for the CMSDK dual timer (drivers/counter/dualtimer_cmsdk_apb.c);
// - the bare-metal pattern of the CMSDK examples (a ÷16 periodic tick with BGLoad, a polled delay).
// The sequences are written from what those drivers do (registers and order), not from their code.
import { describe, expect, it } from 'vitest';
import { CmsdkApbDualTimer } from '../../../devices/cmsdk-apb-dualtimer';
import {
  ClockInput,
  guestRead,
  guestWrite,
  runDriver,
  VirtualClock,
  wait,
  waitForIrq,
  type AccessResult,
  type DriverProgram,
  type TraceEvent,
} from '../../../index';

const TICK = 40; // ns at 25 MHz

// Timer 1 (+0x00) and timer 2 (+0x20) registers.
const TIMER1 = { LOAD: 0x00, VALUE: 0x04, CONTROL: 0x08, INTCLR: 0x0c, RIS: 0x10, MIS: 0x14, BGLOAD: 0x18 } as const;
const TIMER2 = { LOAD: 0x20, VALUE: 0x24, CONTROL: 0x28, INTCLR: 0x2c, RIS: 0x30, MIS: 0x34, BGLOAD: 0x38 } as const;
// The SP804 control bits as Linux names them.
const TIMER_CTRL_ONESHOT = 1 << 0;
const TIMER_CTRL_32BIT = 1 << 1;
const TIMER_CTRL_DIV16 = 1 << 2;
const TIMER_CTRL_IE = 1 << 5;
const TIMER_CTRL_PERIODIC = 1 << 6;
const TIMER_CTRL_ENABLE = 1 << 7;

const mps2 = () => {
  const clock = new VirtualClock();
  const dual = new CmsdkApbDualTimer(clock, { timclk: new ClockInput('TIMCLK', 25_000_000) });
  const events: TraceEvent[] = [];
  dual.events$.subscribe((e) => events.push(e));
  const run = (program: DriverProgram): AccessResult[] => {
    const results: AccessResult[] = [];
    runDriver(program, { device: dual, scheduler: clock }).subscribe((r) => results.push(r));
    return results;
  };
  return { clock, dual, events, run, r: (o: number) => dual.read(o, 4), w: (o: number, v: number) => dual.write(o, 4, v) };
};

describe('Linux timer-sp804 on MPS2', () => {
  /** sp804 probe: both timers disabled, then timer 2 set up as the free-running clocksource. */
  const linuxInit = (w: (o: number, v: number) => void): void => {
    w(TIMER1.CONTROL, 0);
    w(TIMER2.CONTROL, 0);
    // clocksource: disable, Load all-ones, Value all-ones (the driver writes it; the TRM has it
    // read-only), then 32-bit periodic, enabled, no interrupt.
    w(TIMER2.CONTROL, 0);
    w(TIMER2.LOAD, 0xffff_ffff);
    w(TIMER2.VALUE, 0xffff_ffff);
    w(TIMER2.CONTROL, TIMER_CTRL_32BIT | TIMER_CTRL_ENABLE | TIMER_CTRL_PERIODIC);
  };

  it('clocksource / sched_clock: ~Value counts ticks; exact at boundaries; the Value write is a read-only guest error', () => {
    const { clock, dual, events, r, w } = mps2();
    linuxInit(w);
    // The write to the read-only Value was refused and changed nothing.
    expect(events).toEqual([
      expect.objectContaining({ kind: 'guest-error', offset: TIMER2.VALUE, reason: 'read-only', time: 0 }),
    ]);
    const now = (): number => ~r(TIMER2.VALUE) >>> 0; // clocksource_mmio_readl_down
    expect(now()).toBe(0);
    // On the 1000th boundary the 1000th decrement is not shown yet; 1 ns later it is.
    clock.advanceTo(1000 * TICK);
    expect(now()).toBe(999);
    clock.advanceTo(1000 * TICK + 1);
    expect(now()).toBe(1000);
    // Monotonic between reads, at any instant.
    let last = now();
    for (let t = 1000 * TICK + 1; t < 2000 * TICK; t += 37) {
      clock.advanceTo(t);
      expect(now()).toBeGreaterThanOrEqual(last);
      last = now();
    }
    // The wrap after 2^32 ticks (~172 s): 0 on the last tick (RIS set, but no interrupt: IE is
    // clear), then all-ones again: ~Value wraps to 0 like a 32-bit clocksource should.
    const wrap = 0xffff_ffff * TICK;
    clock.advanceTo(wrap - 1);
    expect(now()).toBe(0xffff_fffe);
    clock.advanceTo(wrap);
    expect([now(), r(TIMER2.RIS), r(TIMER2.MIS), dual.timint2.level, dual.timintc.level]).toEqual([0xffff_ffff, 1, 0, false, false]);
    clock.advanceTo(wrap + TICK + 1);
    expect(now()).toBe(0);
  });

  it('clockevent periodic (HZ = 100): Load = rate / HZ, IRQ every Load + 1 ticks, IntClr in the handler', () => {
    const { clock, dual, r, w, run } = mps2();
    linuxInit(w);
    const reload = 25_000_000 / 100; // DIV_ROUND_CLOSEST(rate, HZ)
    // set_state_periodic: shutdown, Load, then control.
    w(TIMER1.CONTROL, 0);
    w(TIMER1.LOAD, reload);
    w(TIMER1.CONTROL, TIMER_CTRL_32BIT | TIMER_CTRL_IE | TIMER_CTRL_PERIODIC | TIMER_CTRL_ENABLE);
    // sp804_timer_interrupt: clear, then the event handler (which reads the clocksource).
    const results = run(function* () {
      for (let i = 0; i < 3; i++) {
        yield waitForIrq(dual.timint1);
        yield guestWrite(TIMER1.INTCLR, 1);
        yield guestRead(TIMER2.VALUE);
      }
    });
    // Just before the first tick interrupt: nothing yet.
    clock.advanceTo(reload * TICK - 1);
    expect([r(TIMER1.VALUE), r(TIMER1.MIS), results]).toEqual([1, 0, []]);
    clock.advanceTo(100_000_000);
    // The hardware period is Load + 1 ticks (the count rests at 0 for one tick).
    const irqs = [reload * TICK, (2 * reload + 1) * TICK, (3 * reload + 2) * TICK];
    expect(results.map((x) => [x.time, x.offset, x.kind === 'read' ? ~x.value >>> 0 : x.value])).toEqual(
      irqs.flatMap((t) => [
        [t, TIMER1.INTCLR, 1],
        [t, TIMER2.VALUE, t / TICK - 1], // the clocksource, read at a boundary: one tick less than elapsed
      ]),
    );
    // The driver stopped after three interrupts: the later ones stay pending until an IntClr.
    expect([r(TIMER1.RIS), dual.timint1.level]).toEqual([1, true]);
    w(TIMER1.INTCLR, 1);
    expect([r(TIMER1.RIS), dual.timint1.level, dual.timintc.level]).toEqual([0, false, false]);
  });

  it('clockevent one-shot: set_next_event loads the delta and starts a one-shot; shutdown stops it', () => {
    const { clock, dual, events, r, w, run } = mps2();
    linuxInit(w);
    const ONESHOT_CTRL = TIMER_CTRL_32BIT | TIMER_CTRL_IE | TIMER_CTRL_ONESHOT | TIMER_CTRL_ENABLE;
    // set_next_event(1000): Load, then control.
    w(TIMER1.LOAD, 1000);
    w(TIMER1.CONTROL, ONESHOT_CTRL);
    const results = run(function* () {
      yield waitForIrq(dual.timint1);
      yield guestWrite(TIMER1.INTCLR, 1);
      // The handler programs the next event: 500 ticks.
      yield guestWrite(TIMER1.LOAD, 500);
      yield guestWrite(TIMER1.CONTROL, ONESHOT_CTRL);
      yield waitForIrq(dual.timint1);
      yield guestWrite(TIMER1.INTCLR, 1);
      // set_state_shutdown.
      yield guestWrite(TIMER1.CONTROL, 0);
    });
    clock.advanceTo(1000 * TICK - 1);
    expect([r(TIMER1.VALUE), r(TIMER1.RIS)]).toEqual([1, 0]);
    clock.advanceTo(1000 * TICK);
    // The handler ran at the interrupt's instant, after the device's step: the next event is armed.
    expect(r(TIMER1.VALUE)).toBe(500);
    clock.advanceTo(1500 * TICK - 1);
    expect(r(TIMER1.VALUE)).toBe(1);
    clock.advanceTo(10_000_000);
    expect(results.map((x) => [x.time, x.offset, x.value])).toEqual([
      [1000 * TICK, TIMER1.INTCLR, 1],
      [1000 * TICK, TIMER1.LOAD, 500],
      [1000 * TICK, TIMER1.CONTROL, ONESHOT_CTRL],
      [1500 * TICK, TIMER1.INTCLR, 1],
      [1500 * TICK, TIMER1.CONTROL, 0],
    ]);
    // One-shot: halted at 0 after each event, no other interrupt.
    expect(events.filter((e) => e.kind === 'expiry').map((e) => e.time)).toEqual([1000 * TICK, 1500 * TICK]);
    expect([r(TIMER1.VALUE), dual.timintc.level]).toEqual([0, false]);
  });
});

describe('Zephyr counter driver (dualtimer_cmsdk_apb) on timer 1', () => {
  it('start, get_value, set_top_value, ISR, get_pending_int, stop', () => {
    const { clock, dual, r, w, run } = mps2();
    let load = 0xffff_ffff;
    // start(): Load, then ENABLE | 32-bit (free-running, no interrupt).
    w(TIMER1.LOAD, load);
    w(TIMER1.CONTROL, TIMER_CTRL_ENABLE | TIMER_CTRL_32BIT);
    // get_value(): load - Value.
    clock.advanceTo(1000 * TICK);
    expect(load - r(TIMER1.VALUE)).toBe(999);
    clock.advanceTo(1000 * TICK + 1);
    expect(load - r(TIMER1.VALUE)).toBe(1000);
    // set_top_value(50 000): Load, then CONTROL |= INTEN | MODE (read-modify-write).
    load = 50_000;
    const top = clock.now();
    w(TIMER1.LOAD, load);
    w(TIMER1.CONTROL, r(TIMER1.CONTROL) | TIMER_CTRL_IE | TIMER_CTRL_PERIODIC);
    expect(load - r(TIMER1.VALUE)).toBe(0);
    // The ISR clears the interrupt and calls the top callback; get_pending_int() reads RIS.
    const pending: number[] = [];
    run(function* () {
      for (let i = 0; i < 2; i++) {
        yield waitForIrq(dual.timint1);
        yield guestWrite(TIMER1.INTCLR, 1);
        pending.push((yield guestRead(TIMER1.RIS)) ?? -1);
      }
    });
    clock.advanceTo(top + 50_000 * TICK - 1);
    expect([load - r(TIMER1.VALUE), r(TIMER1.RIS)]).toEqual([49_999, 0]);
    clock.advanceTo(top + 50_000 * TICK);
    expect([load - r(TIMER1.VALUE), pending]).toEqual([50_000, [0]]);
    // Periodic: the next top after Load + 1 ticks.
    clock.advanceTo(top + 100_001 * TICK);
    expect(pending).toEqual([0, 0]);
    // stop(): CONTROL = 0, the count freezes. 10 ticks after the second top: one tick at 0,
    // then 50 000 … 49 991.
    clock.advanceTo(top + 100_001 * TICK + 10 * TICK + 1);
    w(TIMER1.CONTROL, 0);
    const held = r(TIMER1.VALUE);
    expect(held).toBe(49_991);
    clock.advanceTo(clock.now() + 1_000_000);
    expect(r(TIMER1.VALUE)).toBe(held);
  });
});

describe('bare-metal CMSDK pattern', () => {
  it('a ÷16 periodic tick set with Load and BGLoad; the handler checks MIS, then clears', () => {
    const { clock, dual, run, w } = mps2();
    const N = 1_000; // 1 000 × 16 × 40 ns = 640 µs; period (N + 1) ticks
    w(TIMER2.CONTROL, 0);
    w(TIMER2.LOAD, N);
    w(TIMER2.BGLOAD, N);
    w(TIMER2.CONTROL, TIMER_CTRL_ENABLE | TIMER_CTRL_PERIODIC | TIMER_CTRL_IE | TIMER_CTRL_DIV16 | TIMER_CTRL_32BIT);
    const seen: [number, number][] = [];
    run(function* () {
      for (let i = 0; i < 3; i++) {
        yield waitForIrq(dual.timintc);
        const mis = (yield guestRead(TIMER2.MIS)) ?? -1;
        seen.push([clock.now(), mis]);
        if (mis === 1) yield guestWrite(TIMER2.INTCLR, 1);
      }
    });
    clock.advanceTo(5_000_000);
    const tick = 16 * TICK;
    expect(seen).toEqual([
      [N * tick, 1],
      [(2 * N + 1) * tick, 1],
      [(3 * N + 2) * tick, 1],
    ]);
  });

  it('a polled delay: one-shot without interrupt, poll RIS, clear', () => {
    const { clock, run } = mps2();
    const polls: [number, number][] = [];
    run(function* () {
      // delay(250 ticks = 10 µs)
      yield guestWrite(TIMER1.CONTROL, 0);
      yield guestWrite(TIMER1.LOAD, 250);
      yield guestWrite(TIMER1.CONTROL, TIMER_CTRL_ENABLE | TIMER_CTRL_32BIT | TIMER_CTRL_ONESHOT);
      for (;;) {
        const ris = (yield guestRead(TIMER1.RIS)) ?? -1;
        polls.push([clock.now(), ris]);
        if (ris === 1) break;
        yield wait(3_000);
      }
      yield guestWrite(TIMER1.INTCLR, 1);
    });
    clock.advanceTo(100_000);
    // Polls at 0, 3, 6, 9 µs read 0; the one at 12 µs (after the 10 µs expiry) reads 1.
    expect(polls).toEqual([
      [0, 0],
      [3_000, 0],
      [6_000, 0],
      [9_000, 0],
      [12_000, 1],
    ]);
  });
});
