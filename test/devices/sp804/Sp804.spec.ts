// The SP804 at register level, walked through like its TRM (ARM DDI 0271): program the
// registers, step to just before and just past each TIMCLK edge, read what the guest reads.
// TIMCLK is 1 MHz unless a test says otherwise, so one tick (÷1) is 1 000 ns; a decrement at
// an edge B shows from B + 1 ns, and the step to 0 (with RIS) shows at the edge itself.
import { describe, expect, it } from 'vitest';
import { SP804_POLICY, Sp804, type Sp804Options } from '../../../devices/sp804';
import { ClockInput, DeviceConfigError, LEGACY_POLICY, PTimer, VirtualClock, type TraceEvent } from '../../../index';
import { thrown } from '../../support/errors';

// Per-timer registers (timer 2 at + T2) and the block's registers.
const LOAD = 0x00;
const VALUE = 0x04;
const CONTROL = 0x08;
const INTCLR = 0x0c;
const RIS = 0x10;
const MIS = 0x14;
const BGLOAD = 0x18;
const T2 = 0x20;
const ITCR = 0xf00;
const ITOP = 0xf04;

// Control bits.
const ONESHOT = 1 << 0;
const SIZE32 = 1 << 1;
const PRE16 = 0b01 << 2;
const PRE256 = 0b10 << 2;
const PRE_UNDEFINED = 0b11 << 2;
const INTEN = 1 << 5;
const PERIODIC = 1 << 6;
const ENABLE = 1 << 7;

const TICK = 1_000;

const rig = (timclk: ClockInput | readonly [ClockInput, ClockInput] = new ClockInput('timclk', 1_000_000)) => {
  const clock = new VirtualClock();
  const device = new Sp804(clock, { timclk });
  const events: TraceEvent[] = [];
  device.events$.subscribe((e) => events.push(e));
  return {
    clock,
    device,
    events,
    at: (t: number) => clock.advanceTo(t),
    read: (offset: number) => device.read(offset, 4),
    write: (offset: number, value: number) => device.write(offset, 4, value),
    expiries: (timer = 1) => events.filter((e) => e.kind === 'expiry' && e.timer === `sp804.timer${timer}`).map((e) => e.time),
  };
};

describe('Sp804', () => {
  it('after reset: the TRM reset values, the PrimeCell identification, lines low, counters still', () => {
    const { device, at, read } = rig();
    for (const base of [0, T2]) {
      expect(read(base + LOAD)).toBe(0);
      expect(read(base + VALUE)).toBe(0xffff_ffff); // TRM reset value (QEMU reads 0 here)
      expect(read(base + CONTROL)).toBe(0x20); // IntEnable; 16-bit, ÷1, free-running, disabled
      expect(read(base + RIS)).toBe(0);
      expect(read(base + MIS)).toBe(0);
      expect(read(base + BGLOAD)).toBe(0);
    }
    expect(read(ITCR)).toBe(0);
    // TimerPeriphID0-3 (part 0x804, designer 0x41, revision 1) and TimerPCellID0-3.
    expect([0xfe0, 0xfe4, 0xfe8, 0xfec, 0xff0, 0xff4, 0xff8, 0xffc].map(read)).toEqual([0x04, 0x18, 0x14, 0x00, 0x0d, 0xf0, 0x05, 0xb1]);
    expect([device.timint1.level, device.timint2.level, device.timintc.level]).toEqual([false, false, false]);
    at(1_000_000_000); // one second later: disabled counters do not count
    expect([read(VALUE), read(T2 + VALUE)]).toEqual([0xffff_ffff, 0xffff_ffff]);
  });

  it('the policy: one tick per value, 0 for one tick with RIS, reload on the next edge: Load + 1 ticks per period (W+O+R+D, not LEGACY)', () => {
    const { device, at, read, write, expiries } = rig();
    write(LOAD, 3);
    write(CONTROL, ENABLE | PERIODIC | INTEN | SIZE32); // t = 0
    at(0);
    expect(read(VALUE)).toBe(3);
    at(1); // D: the hardware count for the whole first tick, not one less
    expect(read(VALUE)).toBe(3);
    at(TICK);
    expect(read(VALUE)).toBe(3);
    at(TICK + 1); // first edge passed
    expect(read(VALUE)).toBe(2);
    at(2 * TICK + 1);
    expect(read(VALUE)).toBe(1);
    at(3 * TICK - 1);
    expect([read(VALUE), read(RIS), device.timint1.level]).toEqual([1, 0, false]);
    at(3 * TICK); // the third edge: 1 -> 0 interrupts (O: only a decrement does)
    expect([read(VALUE), read(RIS), read(MIS), device.timint1.level]).toEqual([0, 1, 1, true]);
    at(4 * TICK); // W: the counter rests at 0 for one tick...
    expect(read(VALUE)).toBe(0);
    at(4 * TICK + 1); // ...and reloads on the next edge
    expect(read(VALUE)).toBe(3);
    at(11 * TICK + 1);
    // Interrupts every Load + 1 = 4 ticks.
    expect(expiries()).toEqual([3 * TICK, 7 * TICK, 11 * TICK]);

    // The same countdown on a LEGACY ptimer (QEMU's arm_timer): one less from the first ns,
    // never 0, interrupts every Load = 3 ticks.
    const clock = new VirtualClock();
    const triggers: number[] = [];
    const legacy = new PTimer(clock, { policy: LEGACY_POLICY, onTrigger: (t) => triggers.push(t.time) });
    legacy.transaction((t) => {
      t.setFreq(1_000_000);
      t.setLimit(3, true);
      t.run(false);
    });
    clock.advanceTo(1);
    expect(legacy.getCount()).toBe(2n);
    clock.advanceTo(3 * TICK);
    expect(legacy.getCount()).toBe(3n);
    clock.advanceTo(9 * TICK);
    expect(triggers).toEqual([3 * TICK, 6 * TICK, 9 * TICK]);
    expect(SP804_POLICY).toEqual(['WRAP_AFTER_ONE_PERIOD', 'TRIGGER_ONLY_ON_DECREMENT', 'NO_IMMEDIATE_RELOAD', 'NO_COUNTER_ROUND_DOWN']);
  });

  it('free-running: counts from Load to 0, interrupts, wraps to the maximum one tick later (32-bit and 16-bit)', () => {
    const { device, at, read, write, expiries } = rig();
    // Timer 1, 32-bit.
    write(LOAD, 2);
    write(CONTROL, ENABLE | INTEN | SIZE32); // t = 0
    at(TICK + 1);
    expect(read(VALUE)).toBe(1);
    at(2 * TICK);
    expect([read(VALUE), read(RIS), device.timint1.level]).toEqual([0, 1, true]);
    at(3 * TICK);
    expect(read(VALUE)).toBe(0);
    at(3 * TICK + 1); // wrapped
    expect(read(VALUE)).toBe(0xffff_ffff);
    // Timer 2, 16-bit (TimerSize 0): Load 0x2_0001; the low half counts, the upper half holds.
    write(T2 + LOAD, 0x2_0001);
    write(T2 + CONTROL, ENABLE | INTEN); // t = 3 001
    at(4 * TICK + 1);
    expect([read(T2 + VALUE), read(T2 + RIS)]).toEqual([0x2_0000, 1]);
    at(5 * TICK + 2);
    expect(read(T2 + VALUE)).toBe(0x2_ffff); // wrapped at 0xFFFF
    // Next zero of each: timer 1 after 2^32 ticks, timer 2 after 2^16.
    at(4 * TICK + 1 + 0x1_0000 * TICK);
    expect(expiries(2)).toEqual([4 * TICK + 1, 4 * TICK + 1 + 0x1_0000 * TICK]);
    at(2 * TICK + 0x1_0000_0000 * TICK);
    expect(expiries(1)).toEqual([2 * TICK, 2 * TICK + 0x1_0000_0000 * TICK]);
    expect(read(VALUE)).toBe(0);
  });

  it('a Load write restarts the count at once, enabled or not; BGLoad only changes the reload value (ambiguity 1)', () => {
    const { at, read, write, expiries } = rig();
    write(LOAD, 5); // disabled: Value shows it at once
    expect(read(VALUE)).toBe(5);
    at(TICK);
    write(CONTROL, ENABLE | PERIODIC | INTEN | SIZE32); // t = 1 000: counting from 5
    at(2 * TICK);
    expect(read(VALUE)).toBe(5);
    at(2 * TICK + 1);
    expect(read(VALUE)).toBe(4);
    write(LOAD, 10); // t = 2 001, running: restart from 10 now
    expect(read(VALUE)).toBe(10);
    at(6 * TICK + 500); // 4.5 ticks later
    expect(read(VALUE)).toBe(6);
    write(BGLOAD, 5); // the count goes on; Load (and BGLoad) read the new reload value
    expect([read(VALUE), read(LOAD), read(BGLOAD)]).toEqual([6, 5, 5]);
    at(12 * TICK + 1); // 10 ticks after the restart: 0, then 5 from the next edge
    expect([read(VALUE), read(RIS)]).toEqual([0, 1]);
    at(13 * TICK + 2);
    expect(read(VALUE)).toBe(5);
    write(INTCLR, 1);
    at(14 * TICK + 500);
    write(LOAD, 7); // restart from 7 at 14 500: the zero due at 18 001 never comes
    at(15 * TICK + 500);
    expect(read(VALUE)).toBe(7);
    at(15 * TICK + 501);
    expect(read(VALUE)).toBe(6);
    at(21 * TICK + 500);
    expect(expiries()).toEqual([12 * TICK + 1, 21 * TICK + 500]);
  });

  it('BGLoad written while the counter rests at 0 applies from the next zero (ambiguity 6)', () => {
    const { at, read, write, expiries } = rig();
    write(LOAD, 3);
    write(CONTROL, ENABLE | PERIODIC | INTEN | SIZE32);
    at(3 * TICK); // 0, RIS set: the interrupt handler reprograms the period at once
    write(INTCLR, 1);
    write(BGLOAD, 5);
    at(4 * TICK + 1); // the reload committed at this zero is still the old 3
    expect(read(VALUE)).toBe(3);
    at(7 * TICK); // next zero
    at(8 * TICK + 1);
    expect(read(VALUE)).toBe(5);
    at(13 * TICK);
    expect(expiries()).toEqual([3 * TICK, 7 * TICK, 13 * TICK]);
    // A reload value of 0 is the exception: the counter is at 0 and stays there (ambiguity 2).
    write(INTCLR, 1);
    write(BGLOAD, 0);
    at(30 * TICK);
    expect([read(VALUE), read(RIS)]).toEqual([0, 0]);
    expect(expiries()).toEqual([3 * TICK, 7 * TICK, 13 * TICK]);
  });

  it('Load 0xFFFFFFFF, BGLoad written in the tick at 0 after the expiry: Value reads 0 there, never 2^32, and a stop holds 0 (#14)', () => {
    const { at, read, write, expiries } = rig();
    const zero = 0xffff_ffff * TICK; // the first expiry
    write(LOAD, 0xffff_ffff);
    write(CONTROL, ENABLE | PERIODIC | INTEN | SIZE32);
    at(zero);
    write(INTCLR, 1);
    write(BGLOAD, 7); // the reload value for the next zero; this round still rests at 0 and reloads 0xFFFFFFFF
    expect(read(VALUE)).toBe(0); // the ptimer used to read the old reload value + 1 here: a bus range error
    at(zero + TICK / 2);
    expect(read(VALUE)).toBe(0);
    at(zero + TICK + 1);
    expect(read(VALUE)).toBe(0xffff_ffff);
    expect(expiries()).toEqual([zero]);

    // The same write, then TimerEn cleared, in the tick at 0 of the second timer: the count held is 0.
    write(T2 + LOAD, 0xffff_ffff);
    write(T2 + CONTROL, ENABLE | PERIODIC | SIZE32);
    const zero2 = zero + TICK + 1 + 0xffff_ffff * TICK;
    at(zero2);
    expect(expiries(2)).toEqual([zero2]);
    write(T2 + BGLOAD, 7);
    at(zero2 + 10);
    write(T2 + CONTROL, PERIODIC | SIZE32);
    expect(read(T2 + VALUE)).toBe(0);
    at(zero2 + 5 * TICK);
    expect(read(T2 + VALUE)).toBe(0);
  });

  it('Load = 0 interrupts at once, enabled or not; the counter then rests at 0 without further interrupts (ambiguity 2)', () => {
    const { device, at, read, write, expiries } = rig();
    write(LOAD, 0); // disabled, IntEnable set at reset
    expect([read(VALUE), read(RIS), read(MIS), device.timint1.level]).toEqual([0, 1, 1, true]);
    write(INTCLR, 0);
    write(CONTROL, ENABLE | PERIODIC | INTEN | SIZE32);
    at(20 * TICK);
    expect([read(VALUE), read(RIS)]).toEqual([0, 0]);
    write(LOAD, 0); // enabled: again at once
    expect(read(RIS)).toBe(1);
    write(INTCLR, 0);
    write(BGLOAD, 2); // t = 20 000: a reload value appears: 0 for one more tick, then 2, silently
    at(21 * TICK - 1);
    expect(read(VALUE)).toBe(0);
    at(21 * TICK + 1);
    expect([read(VALUE), read(RIS)]).toEqual([2, 0]);
    at(22 * TICK + 1);
    expect(read(VALUE)).toBe(1);
    at(23 * TICK);
    expect([read(VALUE), read(RIS)]).toEqual([0, 1]);
    expect(expiries()).toEqual([23 * TICK]);
  });

  it('a Control write does not restart the count; enabling resumes from the held count (ambiguity 3)', () => {
    const { at, read, write } = rig();
    write(CONTROL, ENABLE | SIZE32); // t = 0, from the reset count 0xFFFFFFFF
    at(TICK);
    expect(read(VALUE)).toBe(0xffff_ffff);
    at(TICK + 1);
    expect(read(VALUE)).toBe(0xffff_fffe);
    at(2 * TICK + 500);
    expect(read(VALUE)).toBe(0xffff_fffd);
    write(CONTROL, ENABLE | SIZE32 | INTEN); // mid-tick: same count, same edges
    at(3 * TICK);
    expect(read(VALUE)).toBe(0xffff_fffd);
    at(3 * TICK + 1);
    expect(read(VALUE)).toBe(0xffff_fffc);
    at(3 * TICK + 500);
    write(CONTROL, SIZE32 | INTEN); // disabled: held
    at(9 * TICK);
    expect(read(VALUE)).toBe(0xffff_fffc);
    write(CONTROL, ENABLE | SIZE32 | INTEN); // t = 9 000: resumes, one full tick per value
    at(10 * TICK);
    expect(read(VALUE)).toBe(0xffff_fffc);
    at(10 * TICK + 1);
    expect(read(VALUE)).toBe(0xffff_fffb);
    // Timer 2 from reset in 16-bit mode: the low half counts down from 0xFFFF, the upper half holds.
    write(T2 + CONTROL, ENABLE); // t = 10 001
    at(11 * TICK + 2);
    expect(read(T2 + VALUE)).toBe(0xffff_fffe);
  });

  describe('one-shot (ambiguity 7)', () => {
    it('halts at 0 until a Load write, whatever Control writes keep OneShot', () => {
      const { at, read, write, expiries } = rig();
      write(LOAD, 2);
      write(CONTROL, ENABLE | ONESHOT | INTEN | SIZE32); // t = 0
      at(2 * TICK - 1);
      expect(read(VALUE)).toBe(1);
      at(2 * TICK);
      expect([read(VALUE), read(RIS)]).toEqual([0, 1]);
      at(50 * TICK); // halted: TimerEn still set, no wrap, no second interrupt
      expect([read(VALUE), read(CONTROL)]).toEqual([0, ENABLE | ONESHOT | INTEN | SIZE32]);
      write(INTCLR, 1);
      write(CONTROL, ENABLE | ONESHOT | INTEN | SIZE32); // rewriting Control does not restart it
      at(60 * TICK);
      expect([read(VALUE), read(RIS)]).toEqual([0, 0]);
      write(LOAD, 3); // reprogrammed: counts again
      expect(read(VALUE)).toBe(3);
      at(63 * TICK);
      expect([read(VALUE), read(RIS)]).toEqual([0, 1]);
      expect(expiries()).toEqual([2 * TICK, 63 * TICK]);
    });

    it('clearing OneShot at 0 lets the count go on: 0 for one more tick, then Load (periodic) or the maximum (free-running), silently', () => {
      const { at, read, write, expiries } = rig();
      write(LOAD, 3);
      write(CONTROL, ENABLE | ONESHOT | INTEN | SIZE32);
      at(3 * TICK);
      write(INTCLR, 1);
      at(3 * TICK + 500);
      write(CONTROL, ENABLE | PERIODIC | INTEN | SIZE32); // t = 3 500
      at(4 * TICK + 499);
      expect(read(VALUE)).toBe(0);
      at(4 * TICK + 500);
      // This reload (the ptimer's NO_IMMEDIATE_RELOAD path) shows at the edge itself; the
      // reload after an interrupt (the WRAP_AFTER_ONE_PERIOD path) shows 1 ns after it.
      expect(read(VALUE)).toBe(3);
      at(4 * TICK + 501);
      expect([read(VALUE), read(RIS)]).toEqual([3, 0]);
      at(7 * TICK + 500); // 3 ticks after the reload
      expect([read(VALUE), read(RIS)]).toEqual([0, 1]);
      expect(expiries()).toEqual([3 * TICK, 7 * TICK + 500]);

      // Timer 2, into free-running.
      write(T2 + LOAD, 1);
      write(T2 + CONTROL, ENABLE | ONESHOT | SIZE32); // t = 7 500
      at(8 * TICK + 500);
      expect(read(T2 + VALUE)).toBe(0);
      write(T2 + CONTROL, ENABLE | SIZE32);
      at(9 * TICK + 501);
      expect(read(T2 + VALUE)).toBe(0xffff_ffff);
    });
  });

  it('RIS rises whatever IntEnable says; MIS and TIMINTn are RIS & IntEnable; TIMINTC is their OR; any IntClr write clears', () => {
    const { device, at, read, write } = rig();
    const lines = () => [device.timint1.level, device.timint2.level, device.timintc.level];
    write(LOAD, 2);
    write(CONTROL, ENABLE | PERIODIC | SIZE32); // IntEnable clear
    write(T2 + LOAD, 3);
    write(T2 + CONTROL, ENABLE | PERIODIC | INTEN | SIZE32);
    at(2 * TICK);
    expect([read(RIS), read(MIS)]).toEqual([1, 0]);
    expect(lines()).toEqual([false, false, false]);
    write(CONTROL, ENABLE | PERIODIC | INTEN | SIZE32); // enable the interrupt: it was pending
    expect(read(MIS)).toBe(1);
    expect(lines()).toEqual([true, false, true]);
    at(3 * TICK);
    expect([read(T2 + RIS), read(T2 + MIS)]).toEqual([1, 1]);
    expect(lines()).toEqual([true, true, true]);
    write(INTCLR, 0); // any value clears
    expect([read(RIS), read(MIS)]).toEqual([0, 0]);
    expect(lines()).toEqual([false, true, true]);
    write(T2 + INTCLR, 0xdead_beef);
    expect(lines()).toEqual([false, false, false]);
  });

  it('16-bit mode: the low half counts and interrupts at 0, Load keeps 32 bits, Value[31:16] hold their value (ambiguity 5)', () => {
    const { at, read, write, expiries } = rig();
    write(LOAD, 0x1_0003);
    write(CONTROL, ENABLE | PERIODIC | INTEN); // 16-bit, t = 0
    expect([read(LOAD), read(VALUE)]).toEqual([0x1_0003, 0x1_0003]);
    at(TICK + 1);
    expect(read(VALUE)).toBe(0x1_0002);
    at(3 * TICK);
    expect([read(VALUE), read(RIS)]).toEqual([0x1_0000, 1]); // the low half reached 0
    at(4 * TICK + 1);
    expect(read(VALUE)).toBe(0x1_0003); // reload of Load[15:0]; the upper half held
    at(7 * TICK);
    expect(expiries()).toEqual([3 * TICK, 7 * TICK]);

    // Size switches on a running counter convert the count and start a new tick.
    write(T2 + LOAD, 0x5_0002);
    write(T2 + CONTROL, ENABLE | SIZE32); // t = 7 000, free-running 32-bit
    at(8 * TICK + 500);
    expect(read(T2 + VALUE)).toBe(0x5_0001);
    write(T2 + CONTROL, ENABLE); // to 16-bit at 8 500: upper half 5 held, low half 1 counts
    expect(read(T2 + VALUE)).toBe(0x5_0001);
    at(9 * TICK + 500);
    expect([read(T2 + VALUE), read(T2 + RIS)]).toEqual([0x5_0000, 1]);
    at(10 * TICK + 501);
    expect(read(T2 + VALUE)).toBe(0x5_ffff); // 16-bit wrap
    at(11 * TICK);
    write(T2 + CONTROL, ENABLE | SIZE32); // back to 32-bit at 11 000: one counter again
    expect(read(T2 + VALUE)).toBe(0x5_ffff);
    at(12 * TICK + 1);
    expect(read(T2 + VALUE)).toBe(0x5_fffe);
  });

  it('the prescaler stretches the tick ×16 or ×256; a TimerPre change keeps the count and starts a new tick', () => {
    const { at, read, write, expiries } = rig();
    write(LOAD, 4);
    write(CONTROL, ENABLE | PERIODIC | INTEN | SIZE32 | PRE16); // tick = 16 µs
    at(16 * TICK);
    expect(read(VALUE)).toBe(4);
    at(16 * TICK + 1);
    expect(read(VALUE)).toBe(3);
    at(24 * TICK);
    write(CONTROL, ENABLE | PERIODIC | INTEN | SIZE32 | PRE256); // tick = 256 µs from 24 000
    at(24 * TICK + 256 * TICK);
    expect(read(VALUE)).toBe(3);
    at(24 * TICK + 256 * TICK + 1);
    expect(read(VALUE)).toBe(2);
    at(24 * TICK + 3 * 256 * TICK);
    expect([read(VALUE), read(RIS)]).toEqual([0, 1]);
    expect(expiries()).toEqual([24 * TICK + 3 * 256 * TICK]);
  });

  it('TimerPre = 11 is undefined: it reads back, counts as ÷256 and is reported as unimplemented (ambiguity 4)', () => {
    const { at, read, write, events, expiries } = rig();
    write(LOAD, 2);
    write(CONTROL, ENABLE | PERIODIC | INTEN | SIZE32 | PRE_UNDEFINED);
    expect(read(CONTROL)).toBe(ENABLE | PERIODIC | INTEN | SIZE32 | PRE_UNDEFINED);
    expect(events).toEqual([
      { kind: 'unimplemented', time: 0, source: 'sp804', offset: CONTROL, feature: 'Timer1Control.TimerPre=0b11 (undefined; counts ÷256)' },
    ]);
    at(2 * 256 * TICK - 1);
    expect(read(VALUE)).toBe(1);
    at(2 * 256 * TICK);
    expect(expiries()).toEqual([2 * 256 * TICK]);
  });

  it('clock changes at run time: exact counts after a TIMCLK change; 0 Hz holds the count until the clock returns (ambiguity 8)', () => {
    const timclk1 = new ClockInput('timclk1', 1_000_000);
    const timclk2 = new ClockInput('timclk2', 1_000_000);
    const { at, read, write, expiries } = rig([timclk1, timclk2]);
    write(LOAD, 10);
    write(CONTROL, ENABLE | PERIODIC | INTEN | SIZE32);
    write(T2 + LOAD, 100);
    write(T2 + CONTROL, ENABLE | PERIODIC | SIZE32);
    at(3 * TICK + 500);
    expect(read(VALUE)).toBe(7);
    timclk1.setHz(2_000_000); // 500 ns ticks from 3 500, starting with a full one
    expect(read(VALUE)).toBe(7);
    at(4 * TICK);
    expect(read(VALUE)).toBe(7);
    at(4 * TICK + 1);
    expect(read(VALUE)).toBe(6);
    at(7 * TICK); // 7 ticks of 500 ns after the change
    expect([read(VALUE), read(RIS)]).toEqual([0, 1]);
    at(9 * TICK + 200); // 0 until 7 500, then 10 counting: 7 at 9 200
    expect(read(VALUE)).toBe(7);
    timclk1.setHz(0); // TIMCLK stopped: the count holds
    at(1_000 * TICK);
    expect(read(VALUE)).toBe(7);
    // Timer 2 has its own TIMCLK and went on: zeros every 101 ticks from tick 100, the next at 1 009 000.
    expect(read(T2 + VALUE)).toBe(10);
    timclk1.setHz(1_000_000); // back at 1 MHz from 1 000 000 ns
    at(1_001 * TICK);
    expect(read(VALUE)).toBe(7);
    at(1_001 * TICK + 1);
    expect(read(VALUE)).toBe(6);
    at(1_007 * TICK);
    expect(expiries()).toEqual([7 * TICK, 1_007 * TICK]);
  });

  it('integration test registers: with ITEN, TimerITOP drives TIMINT1/TIMINT2 and the counters do not; MIS still shows them (ambiguity 9)', () => {
    const { device, at, read, write } = rig();
    const lines = () => [device.timint1.level, device.timint2.level, device.timintc.level];
    write(ITCR, 1);
    write(ITOP, 0b10);
    expect(read(ITCR)).toBe(1);
    expect(lines()).toEqual([false, true, true]);
    write(LOAD, 1);
    write(CONTROL, ENABLE | PERIODIC | INTEN | SIZE32);
    at(TICK);
    expect([read(RIS), read(MIS)]).toEqual([1, 1]);
    expect(lines()).toEqual([false, true, true]);
    write(ITOP, 0b01);
    expect(lines()).toEqual([true, false, true]);
    write(ITOP, 0);
    write(ITCR, 0); // back to the counters: timer 1's interrupt is pending
    expect(lines()).toEqual([true, false, true]);
  });

  it('reset() mid-run: reset values, counters stopped at 0xFFFFFFFF, lines low', () => {
    const { device, at, read, write } = rig();
    write(LOAD, 0x1_2345);
    write(CONTROL, ENABLE | PERIODIC | INTEN);
    write(T2 + LOAD, 2);
    write(T2 + CONTROL, ENABLE | ONESHOT | INTEN | SIZE32 | PRE16);
    write(ITCR, 1);
    write(ITOP, 3);
    at(40 * TICK);
    device.reset();
    for (const base of [0, T2]) {
      expect([LOAD, VALUE, CONTROL, RIS, MIS, BGLOAD].map((o) => read(base + o))).toEqual([0, 0xffff_ffff, 0x20, 0, 0, 0]);
    }
    expect(read(ITCR)).toBe(0);
    expect([device.timint1.level, device.timint2.level, device.timintc.level]).toEqual([false, false, false]);
    expect(device.timers.map((t) => t.mode)).toEqual(['stopped', 'stopped']);
    at(80 * TICK);
    expect(read(VALUE)).toBe(0xffff_ffff);
    write(CONTROL, ENABLE); // as after power-on: 16-bit, from 0xFFFF
    at(81 * TICK + 1);
    expect(read(VALUE)).toBe(0xffff_fffe);
  });

  it('refuses bad constructor arguments with a DeviceConfigError naming them', () => {
    const clock = new VirtualClock();
    const timclk = new ClockInput('timclk', 1_000_000);
    expect(() => new Sp804(clock, { timclk: 1_000_000 as unknown as ClockInput })).toThrow(DeviceConfigError);
    expect(() => new Sp804(clock, { timclk: [timclk] as unknown as [ClockInput, ClockInput] })).toThrow(/options\.timclk/);
    expect(() => new Sp804(clock, { delivery: 'later' as 'sync' })).toThrow(/options\.delivery/);
    expect(() => new Sp804(clock, { name: '' })).toThrow(/options\.name/);
    expect(new Sp804(clock, { timclk: [timclk, new ClockInput('t2', 32_768)] }).timclk[1].hz).toBe(32_768);
  });

  it('checks every option: an unknown key, a TIMCLK that is not a ClockInput (or a pair), a bad delivery (#13)', () => {
    const clock = new VirtualClock();
    const timclk = new ClockInput('timclk', 1_000_000);
    const refusal = (options: object): DeviceConfigError => {
      const e = thrown(() => new Sp804(clock, options as Sp804Options));
      expect(e).toBeInstanceOf(DeviceConfigError);
      return e as DeviceConfigError;
    };
    expect(refusal({ timclock: timclk }).message).toMatch(/^Sp804\(options\.timclock\): .* is not an option of Sp804 \(options: name, timclk, delivery, timing\)$/);
    expect(refusal({ timclk: { hz: 1_000_000 } }).message).toMatch(/^Sp804\(options\.timclk\): .*must be a ClockInput or a pair \[timer1, timer2\] of them$/);
    expect(refusal({ timclk: [timclk, 32_768] }).message).toMatch(/^Sp804\(options\.timclk\): /);
    expect(refusal({ delivery: 'later' }).message).toBe(`Sp804(options.delivery): "later" is invalid: must be one of 'sync', 'bottom-half'`);
    expect(refusal({ name: 7 }).message).toMatch(/^Sp804\(options\.name\): /);
    expect(refusal({ timing: 'fast' }).message).toBe(`Sp804(options.timing): "fast" is invalid: must be one of 'qemu', 'exact'`);
  });

  it('dispose(): both timers stop for good, a shared TIMCLK no longer reaches either, events$ completes (#13)', () => {
    const timclk = new ClockInput('timclk', 1_000_000);
    const { clock, device, events, at, write } = rig(timclk);
    let completed = false;
    device.events$.subscribe({ complete: () => (completed = true) });
    write(LOAD, 2);
    write(CONTROL, ENABLE | PERIODIC | INTEN | SIZE32);
    write(T2 + LOAD, 3);
    write(T2 + CONTROL, ENABLE | PERIODIC | INTEN | SIZE32);
    at(2 * TICK); // timer 1 has fired once
    const seen = events.length;
    device.dispose();
    expect(completed).toBe(true);
    expect(clock.pending).toBe(0);
    timclk.setHz(2_000_000); // one input, two listeners: both gone
    expect(clock.pending).toBe(0);
    at(20 * TICK);
    expect(events).toHaveLength(seen);
  });

  it('a line subscriber may write back synchronously inside the TIMINT edge (applied in the timer callback context)', () => {
    const { device, at, read, write, expiries } = rig();
    device.timint1.level$.subscribe((high) => {
      if (!high) return;
      device.write(INTCLR, 4, 1);
      device.write(LOAD, 4, 5);
    });
    write(LOAD, 2);
    write(CONTROL, ENABLE | PERIODIC | INTEN | SIZE32);
    at(2 * TICK); // the edge: cleared and restarted from 5 within it
    expect([read(VALUE), read(RIS), device.timint1.level]).toEqual([5, 0, false]);
    at(3 * TICK + 1);
    expect(read(VALUE)).toBe(4);
    at(12 * TICK);
    expect(expiries()).toEqual([2 * TICK, 7 * TICK, 12 * TICK]);
  });
});
