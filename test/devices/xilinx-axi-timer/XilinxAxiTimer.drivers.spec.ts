// The register sequences real drivers issue to the AXI Timer, on a MicroBlaze-style system with
// S_AXI_ACLK at 100 MHz (one clock = 10 ns), with what the guest must read at exact clock edges
// and 1 ns after:
// - Linux's MicroBlaze timer driver (arch/microblaze/kernel/timer.c, compatible
//   "xlnx,xps-timer-1.00.a"): counter 1 as the clocksource/sched_clock (free-running up count
//   with ARHT), counter 0 as the clockevent (down count, ENIT | ARHT | UDT), acknowledged by
//   writing TCSR0 back as read;
// - the 2021 rewrite posted for drivers/clocksource/timer-xilinx.c (v7): TLR0 = 0, LOAD | TINT,
//   then ENT | ARHT as the clocksource; periodic events counting up with TLR from the period;
// - the vendor's standalone driver (xtmrctr: XTmrCtr_Initialize, SetOptions, SetResetValue,
//   Start, GetValue, GetCaptureValue, InterruptHandler).
// The sequences are written from what those drivers do (registers, values, order), not from
// their code.
import { describe, expect, it } from 'vitest';
import { XilinxAxiTimer } from '../../../devices/xilinx-axi-timer';
import {
  ClockInput,
  guestRead,
  guestWrite,
  runDriver,
  VirtualClock,
  waitForIrq,
  type AccessResult,
  type DriverCommand,
  type DriverInput,
  type DriverProgram,
} from '../../../index';
import { ARHT, CAPT, ENIT, ENT, LOAD, MAX, MDT, rig, TCR0, TCR1, TCSR0, TCSR1, TINT, TLR0, TLR1, UDT } from './rig';

const CLOCK_NS = 10;
const HZ = 100;
const RATE = 100_000_000;

/** Runs a driver program on the device; returns the list its access results are pushed to. */
const runOn = (timer: XilinxAxiTimer, clock: VirtualClock, program: DriverProgram): AccessResult[] => {
  const results: AccessResult[] = [];
  runDriver(program, { device: timer, scheduler: clock }).subscribe((x) => results.push(x));
  return results;
};

describe('Linux MicroBlaze timer driver', () => {
  /** xilinx_timer_init: the endianness probe, then the clocksource on counter 1. */
  const linuxInit = (r: (o: number) => number, w: (o: number, v: number) => void): boolean => {
    // Probe: write MDT to TCSR0 and read it back; seen in bit 0, so the bus is little-endian.
    w(TCSR0, MDT);
    const littleEndian = (r(TCSR0) & MDT) !== 0;
    // xilinx_clocksource_init: stop counter 1, then start it counting up, no interrupt.
    w(TCSR1, r(TCSR1) & ~ENT);
    w(TCSR1, TINT | ENT | ARHT);
    return littleEndian;
  };

  it('init: the endianness probe reads MDT back; the clocksource (TCR1) counts clocks, exact at edges, one clock lost per wrap', () => {
    const { clock, timer, r, w } = rig();
    expect(linuxInit(r, w)).toBe(true);
    // xilinx_clock_read: TCR1. At an edge the new count is not shown yet; 1 ns later it is.
    expect(r(TCR1)).toBe(0);
    clock.advanceTo(1_000 * CLOCK_NS);
    expect(r(TCR1)).toBe(999);
    clock.advanceTo(1_000 * CLOCK_NS + 1);
    expect(r(TCR1)).toBe(1_000);
    // Monotonic between reads at any instant.
    let last = r(TCR1);
    for (let t = 1_000 * CLOCK_NS + 1; t < 2_000 * CLOCK_NS; t += 37) {
      clock.advanceTo(t);
      expect(r(TCR1)).toBeGreaterThanOrEqual(last);
      last = r(TCR1);
    }
    // The wrap after 2^32 clocks (~43 s): 0xFFFFFFFF, then 0 (the carry: T1INT set, no interrupt
    // as ENIT1 is clear), then TLR1 = 0 reloaded: TCR1 shows 0 for two clocks (period 2^32 + 1).
    const wrap = 2 ** 32 * CLOCK_NS;
    clock.advanceTo(wrap - 1);
    expect(r(TCR1)).toBe(MAX);
    clock.advanceTo(wrap);
    expect([r(TCR1), r(TCSR1) & TINT, timer.interrupt.level]).toEqual([0, TINT, false]);
    clock.advanceTo(wrap + 2 * CLOCK_NS);
    expect(r(TCR1)).toBe(0);
    clock.advanceTo(wrap + 2 * CLOCK_NS + 1);
    expect(r(TCR1)).toBe(1);
  });

  it('clockevent periodic (HZ = 100): TLR0 = rate / HZ, LOAD, then TINT|ENIT|ENT|ARHT|UDT; an interrupt every TLR0 + 2 clocks', () => {
    const { clock, timer, r, w } = rig();
    linuxInit(r, w);
    // xilinx_timer_set_periodic at 1 000 ns: TLR0, LOAD, then run.
    clock.advanceTo(1_000);
    const start = clock.now();
    const load = RATE / HZ;
    w(TLR0, load);
    w(TCSR0, LOAD);
    w(TCSR0, TINT | ENIT | ENT | ARHT | UDT);
    // timer_interrupt: timer_ack (TCSR0 written back as read), then the tick reads the clocksource.
    const results = runOn(timer, clock, function* () {
      for (let i = 0; i < 3; i++) {
        yield waitForIrq(timer.interrupt);
        const tcsr = (yield guestRead(TCSR0)) ?? 0;
        yield guestWrite(TCSR0, tcsr);
        yield guestRead(TCR1);
      }
    });
    // Just before the first interrupt (load + 1 clocks after the start): nothing yet.
    clock.advanceTo(start + (load + 1) * CLOCK_NS - 1);
    expect([r(TCR0), timer.interrupt.level, results]).toEqual([0, false, []]);
    clock.advanceTo(1_000_000_000);
    // Then every load + 2 clocks (the carry clock and the reload): 10 000 020 ns at HZ = 100.
    const irqs = [0, 1, 2].map((k) => start + (load + 1 + k * (load + 2)) * CLOCK_NS);
    expect(results.map((x) => [x.time, x.kind, x.offset, x.value])).toEqual(
      irqs.flatMap((t) => [
        [t, 'read', TCSR0, TINT | ENIT | ENT | ARHT | UDT],
        [t, 'write', TCSR0, TINT | ENIT | ENT | ARHT | UDT],
        [t, 'read', TCR1, t / CLOCK_NS - 1], // the clocksource, read at an edge: one less than elapsed
      ]),
    );
    // After the third the driver stopped acknowledging: the fourth interrupt stays pending.
    expect([r(TCSR0) & TINT, timer.interrupt.level]).toEqual([TINT, true]);
  });

  it('clockevent one-shot: set_next_event(delta) interrupts delta + 1 clocks later; shutdown clears ENT (and a pending TINT)', () => {
    const { clock, timer, events, r, w } = rig();
    linuxInit(r, w);
    const start = (delta: number): void => {
      w(TLR0, delta);
      w(TCSR0, LOAD);
      w(TCSR0, TINT | ENIT | ENT | ARHT | UDT);
    };
    // set_next_event(500) at 0.
    start(500);
    const results = runOn(timer, clock, function* () {
      yield waitForIrq(timer.interrupt);
      const tcsr = (yield guestRead(TCSR0)) ?? 0;
      yield guestWrite(TCSR0, tcsr);
      // The event handler programs the next event: 1 000 clocks.
      yield guestWrite(TLR0, 1_000);
      yield guestWrite(TCSR0, LOAD);
      yield guestWrite(TCSR0, TINT | ENIT | ENT | ARHT | UDT);
    });
    clock.advanceTo(501 * CLOCK_NS - 1);
    expect([r(TCR0), timer.interrupt.level]).toEqual([0, false]);
    clock.advanceTo(501 * CLOCK_NS);
    // The handler ran at the interrupt's instant, after the device's step: the next event is armed.
    expect([r(TCR0), timer.interrupt.level, results.length]).toEqual([1_000, false, 5]);
    clock.advanceTo((501 + 1_001) * CLOCK_NS - 1);
    expect(timer.interrupt.level).toBe(false);
    clock.advanceTo((501 + 1_001) * CLOCK_NS);
    expect([r(TCR0), timer.interrupt.level]).toEqual([MAX, true]);
    // set_state_shutdown: TCSR0 written back without ENT (TINT read as 1 is written back: cleared).
    w(TCSR0, r(TCSR0) & ~ENT);
    expect([r(TCSR0), timer.interrupt.level]).toEqual([ENIT | ARHT | UDT, false]);
    clock.advanceTo(1_000_000);
    expect(r(TCR0)).toBe(MAX);
    expect(events.filter((e) => e.kind === 'expiry').map((e) => e.time)).toEqual([501 * CLOCK_NS, 1_502 * CLOCK_NS]);
  });
});

describe('Linux timer-xilinx.c rewrite (2021, v7 of the posted patch)', () => {
  /** One AXI Timer block per role, as the rewrite uses counter 0 of each block it probes. */
  const system = () => {
    const clock = new VirtualClock();
    const aclk = new ClockInput('S_AXI_ACLK', RATE);
    const source = new XilinxAxiTimer(clock, { aclk, name: 'axi_timer_0' });
    const event = new XilinxAxiTimer(clock, { aclk, name: 'axi_timer_1' });
    return { clock, source, event };
  };

  it('clocksource: TLR0 = 0, TCSR0 = LOAD | TINT, TCSR0 = ARHT | ENT; TCR0 counts clocks from 0', () => {
    const { clock, source } = system();
    clock.advanceTo(2_000);
    source.write(TLR0, 4, 0);
    source.write(TCSR0, 4, LOAD | TINT);
    source.write(TCSR0, 4, ARHT | ENT);
    clock.advanceTo(2_000 + 123 * CLOCK_NS);
    expect(source.read(TCR0, 4)).toBe(122);
    clock.advanceTo(2_000 + 123 * CLOCK_NS + 1);
    expect(source.read(TCR0, 4)).toBe(123);
  });

  it('clockevent periodic: TLR0 = MAX − cycles + 2 counting up: an interrupt every `cycles` clocks (the first after cycles − 1)', () => {
    const { clock, event } = system();
    const cycles = RATE / HZ;
    event.write(TLR0, 4, MAX - cycles + 2);
    event.write(TCSR0, 4, LOAD);
    event.write(TCSR0, 4, ARHT | ENIT | ENT);
    const seen: number[] = [];
    event.interrupt.level$.subscribe((level) => {
      if (level) seen.push(clock.now());
    });
    // Acknowledged with a write of TINT = 1 at each interrupt.
    runOn(event, clock, function* () {
      for (;;) {
        yield waitForIrq(event.interrupt);
        yield guestWrite(TCSR0, TINT | ARHT | ENIT | ENT);
      }
    });
    clock.advanceTo(3.5 * cycles * CLOCK_NS);
    expect(seen).toEqual([cycles - 1, 2 * cycles - 1, 3 * cycles - 1].map((n) => n * CLOCK_NS));
  });

  it('its handler clears TINT with a read-modify-write that writes the bit as 0: per PG079 (write-1-to-clear) TINT stays set', () => {
    const { clock, event } = system();
    event.write(TLR0, 4, 10);
    event.write(TCSR0, 4, LOAD);
    event.write(TCSR0, 4, ARHT | ENIT | ENT | UDT);
    clock.advanceTo(11 * CLOCK_NS);
    expect(event.interrupt.level).toBe(true);
    // regmap clear-bits: read, clear TINT in the value, write. The hardware ignores a 0 in TINT.
    event.write(TCSR0, 4, event.read(TCSR0, 4) & ~TINT);
    expect([event.read(TCSR0, 4) & TINT, event.interrupt.level]).toEqual([TINT, true]);
    // (QEMU's model clears TINT on any TCSR write, which hides this.)
  });
});

describe('Xilinx standalone driver (xtmrctr)', () => {
  /** XTmrCtr_Initialize → InitHw: for each counter, TLR = 0, then TINT | LOAD, then 0. */
  const initialize = (r: (o: number) => number, w: (o: number, v: number) => void): void => {
    for (const [tcsr, tlr] of [
      [TCSR0, TLR0],
      [TCSR1, TLR1],
    ] as const) {
      expect(r(tcsr) & ENT).toBe(0); // "already started" check
      w(tlr, 0);
      w(tcsr, TINT | LOAD);
      w(tcsr, 0);
    }
  };
  /** XTmrCtr_Start: remember TCSR, LOAD, then the remembered value with ENT. */
  const start = (r: (o: number) => number, w: (o: number, v: number) => void, tcsr: number): void => {
    const saved = r(tcsr);
    w(tcsr, LOAD);
    w(tcsr, saved | ENT);
  };
  /** XTmrCtr_InterruptHandler for both counters; `callback` is the user's handler. */
  const interruptHandler = function* (
    workaround: boolean,
    callback: (counter: number) => Generator<DriverCommand, void, DriverInput>,
  ): Generator<DriverCommand, void, DriverInput> {
    for (const [n, tcsrOffset] of [
      [0, TCSR0],
      [1, TCSR1],
    ] as const) {
      let tcsr = (yield guestRead(tcsrOffset)) ?? 0;
      if ((tcsr & ENIT) === 0 || (tcsr & TINT) === 0) continue;
      yield* callback(n);
      tcsr = (yield guestRead(tcsrOffset)) ?? 0;
      // Older versions: a one-shot in generate mode is disabled and pulsed with LOAD before the ack.
      if (workaround && (tcsr & ARHT) === 0 && (tcsr & MDT) === 0) {
        tcsr &= ~ENT;
        yield guestWrite(tcsrOffset, tcsr | LOAD);
        yield guestWrite(tcsrOffset, tcsr);
      }
      yield guestWrite(tcsrOffset, tcsr | TINT);
    }
  };

  it('periodic: SetOptions(INT | AUTO_RELOAD | DOWN), SetResetValue(998), Start: an interrupt every 1 000 clocks', () => {
    const { clock, timer, r, w } = rig();
    initialize(r, w);
    // XTmrCtr_SetOptions(0, XTC_INT_MODE_OPTION | XTC_AUTO_RELOAD_OPTION | XTC_DOWN_COUNT_OPTION).
    w(TCSR0, ENIT | ARHT | UDT);
    // XTmrCtr_SetResetValue(0, 998): a period of 998 + 2 = 1 000 clocks.
    w(TLR0, 998);
    start(r, w, TCSR0);
    const values: number[] = [];
    runOn(timer, clock, function* () {
      for (let i = 0; i < 3; i++) {
        yield waitForIrq(timer.interrupt);
        yield* interruptHandler(true, function* () {
          values.push((yield guestRead(TCR0)) ?? -1); // XTmrCtr_GetValue
        });
      }
    });
    // First interrupt 999 clocks after Start, then every 1 000.
    clock.advanceTo(999 * CLOCK_NS - 1);
    expect([r(TCR0), values]).toEqual([0, []]);
    clock.advanceTo(999 * CLOCK_NS);
    expect([values, timer.interrupt.level]).toEqual([[MAX], false]);
    clock.advanceTo(2_999 * CLOCK_NS);
    expect(values).toEqual([MAX, MAX, MAX]);
    // In between, GetValue counts down from 998.
    clock.advanceTo(3_000 * CLOCK_NS + 1);
    expect(r(TCR0)).toBe(998);
  });

  it.each([
    ['with the disable-and-LOAD workaround', true, 99],
    ['without it (later versions)', false, MAX],
  ] as const)('one-shot (no AUTO_RELOAD), %s: one interrupt, then the counter stays stopped', (_what, workaround, after) => {
    const { clock, timer, events, r, w } = rig();
    initialize(r, w);
    w(TCSR0, ENIT | UDT);
    w(TLR0, 99);
    start(r, w, TCSR0);
    runOn(timer, clock, function* () {
      yield waitForIrq(timer.interrupt);
      yield* interruptHandler(workaround, function* () {});
    });
    clock.advanceTo(100 * CLOCK_NS - 1);
    expect(r(TCR0)).toBe(0);
    clock.advanceTo(100 * CLOCK_NS);
    // Acknowledged at once; with the workaround the counter was reloaded with TLR and disabled.
    expect([r(TCR0), r(TCSR0) & (TINT | ENT), timer.interrupt.level]).toEqual([after, workaround ? 0 : ENT, false]);
    clock.advanceTo(1_000_000);
    expect([r(TCR0), r(TCSR0) & TINT, timer.interrupt.level]).toEqual([after, 0, false]);
    expect(events.filter((e) => e.kind === 'expiry').map((e) => e.time)).toEqual([100 * CLOCK_NS]);
  });

  it('capture: SetOptions(CAPTURE_MODE | INT_MODE | AUTO_RELOAD), Start; the callback reads GetCaptureValue (TLR1)', () => {
    const { clock, timer, r, w } = rig();
    initialize(r, w);
    // XTC_CAPTURE_MODE_OPTION sets MDT and CAPT.
    w(TCSR1, MDT | CAPT | ENIT | ARHT);
    start(r, w, TCSR1);
    const captured: number[] = [];
    runOn(timer, clock, function* () {
      for (let i = 0; i < 2; i++) {
        yield waitForIrq(timer.interrupt);
        yield* interruptHandler(true, function* () {
          captured.push((yield guestRead(TLR1)) ?? -1); // XTmrCtr_GetCaptureValue
        });
      }
    });
    // CaptureTrig1 at 1 234 ns (TCR1 = 123) and at 5 000 ns (TCR1 = 499: an edge shows the count before it).
    clock.schedule(() => timer.capture(1), 1_234);
    clock.schedule(() => timer.capture(1), 5_000);
    clock.advanceTo(10_000);
    expect(captured).toEqual([123, 499]);
    expect([r(TCSR1) & TINT, timer.interrupt.level]).toEqual([0, false]);
    expect(r(TCR0)).toBe(0); // counter 0 was never started
  });
});
