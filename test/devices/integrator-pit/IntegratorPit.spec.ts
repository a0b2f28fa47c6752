// The Integrator/CP counter/timers as a datasheet walk-through: each timer an SP804 counter at
// 0x100·n (ambiguity 1), the board's clocks (ambiguity 2), one line per timer, reset, clock
// changes at run time, exact and QEMU timing, snapshot, restore and continuation.
import { describe, expect, it } from 'vitest';
import { INTEGRATOR_PIT_POLICY, INTEGRATOR_PIT_REGISTERS, IntegratorPit } from '../../../devices/integrator-pit';
import { SP804_POLICY } from '../../../devices/sp804';
import { ClockInput, DeviceConfigError, guestRead, guestWrite, RegisterSnapshotError, VirtualClock, type IrqSignal } from '../../../index';
import { continuationDigests, type ScriptStep } from '../../support/deviceHarness';
import { at, BGLOAD, CONTROL, ENABLE, IE, INTCLR, LOAD, makeRig, MIS, ONESHOT, PERIODIC, PRE16, RIS, SIZE32, TICK, VALUE } from './rig';

const RUN = ENABLE | PERIODIC | IE | SIZE32; // 0xE2

describe('IntegratorPit', () => {
  it('has three SP804 timer blocks at 0x000, 0x100, 0x200 and nothing else', () => {
    expect(INTEGRATOR_PIT_REGISTERS.registers.map((r) => [r.name, r.offset])).toEqual(
      [0, 1, 2].flatMap((n) =>
        ['Load', 'Value', 'Control', 'IntClr', 'RIS', 'MIS', 'BGLoad'].map((reg, k) => [`Timer${n}${reg}`, 0x100 * n + 4 * k]),
      ),
    );
    expect(INTEGRATOR_PIT_POLICY).toEqual(SP804_POLICY);
  });

  it('resets like the SP804: Control 0x20, Value 0xFFFFFFFF, stopped, lines low', () => {
    const { r, device, clock } = makeRig();
    for (const n of [0, 1, 2]) expect([r(at(n, CONTROL)), r(at(n, VALUE)), r(at(n, LOAD)), r(at(n, RIS))]).toEqual([0x20, 0xffff_ffff, 0, 0]);
    clock.advanceTo(1_000_000);
    expect(r(at(0, VALUE))).toBe(0xffff_ffff);
    expect([device.timint0.level, device.timint1.level, device.timint2.level]).toEqual([false, false, false]);
  });

  it('Load 0xFFFFFFFF, BGLoad written in the tick at 0 after the expiry: Value reads 0, never 2^32 (the SP804 counter, #14)', () => {
    const { r, w, clock } = makeRig();
    const zero = 0xffff_ffff * 1_000; // timer 1 counts at 1 MHz
    w(at(1, LOAD), 0xffff_ffff);
    w(at(1, CONTROL), RUN);
    clock.advanceTo(zero);
    w(at(1, BGLOAD), 5);
    expect(r(at(1, VALUE))).toBe(0);
    clock.advanceTo(zero + 500);
    w(at(1, CONTROL), RUN & ~ENABLE); // stopped in the tick at 0: holds 0
    expect(r(at(1, VALUE))).toBe(0);
  });

  describe('1: each timer is an SP804 counter', () => {
    it('1: worked example on timer 1 (1 MHz): Load 3 periodic reads 3, 2, 1, 0, interrupts every Load + 1 ticks', () => {
      const { r, w, clock, device } = makeRig();
      w(at(1, LOAD), 3);
      w(at(1, CONTROL), RUN);
      expect(r(at(1, VALUE))).toBe(3);
      clock.advanceTo(1_000 + 1);
      expect(r(at(1, VALUE))).toBe(2);
      clock.advanceTo(3_000 - 1);
      expect([r(at(1, VALUE)), r(at(1, RIS)), device.timint1.level]).toEqual([1, 0, false]);
      clock.advanceTo(3_000); // G1: 0, RIS, MIS and TIMINT1 at the same instant
      expect([r(at(1, VALUE)), r(at(1, RIS)), r(at(1, MIS)), device.timint1.level]).toEqual([0, 1, 1, true]);
      w(at(1, INTCLR), 1);
      expect([r(at(1, RIS)), device.timint1.level]).toEqual([0, false]);
      clock.advanceTo(4_000 + 1);
      expect(r(at(1, VALUE))).toBe(3);
      clock.advanceTo(7_000);
      expect(device.timint1.level).toBe(true);
    });

    it('1: Load = 0 interrupts at once; a Control write does not restart the count; BGLoad changes only the reload', () => {
      const { r, w, clock } = makeRig();
      w(at(2, LOAD), 0);
      expect(r(at(2, RIS))).toBe(1);
      w(at(2, INTCLR), 1);
      w(at(2, LOAD), 10);
      w(at(2, CONTROL), RUN);
      clock.advanceTo(3_000 + 1);
      w(at(2, CONTROL), RUN); // QEMU would restart from 10 here (ambiguity 6)
      expect(r(at(2, VALUE))).toBe(7);
      w(at(2, BGLOAD), 4);
      expect([r(at(2, VALUE)), r(at(2, LOAD))]).toEqual([7, 4]);
      clock.advanceTo(10_000);
      expect(r(at(2, RIS))).toBe(1);
      clock.advanceTo(11_000 + 1);
      expect(r(at(2, VALUE))).toBe(4);
    });

    it('1: one-shot halts at 0; 16-bit free-running wraps to 0xFFFF and keeps Value[31:16]', () => {
      const { r, w, clock } = makeRig();
      w(at(1, CONTROL), SIZE32);
      w(at(1, LOAD), 2);
      w(at(1, CONTROL), ENABLE | IE | ONESHOT | SIZE32);
      clock.advanceTo(10_000);
      expect([r(at(1, VALUE)), r(at(1, RIS))]).toEqual([0, 1]);
      w(at(2, LOAD), 0x1234_0002);
      w(at(2, CONTROL), ENABLE); // 16-bit, free-running, ÷1
      clock.advanceTo(10_000 + 2_000);
      expect(r(at(2, VALUE))).toBe(0x1234_0000);
      clock.advanceTo(10_000 + 3_000 + 1);
      expect(r(at(2, VALUE))).toBe(0x1234_ffff);
    });

    it('1: the timers are independent, each on its own line (no combined output)', () => {
      const { w, clock, device } = makeRig();
      const lines = (): boolean[] => [device.timint0.level, device.timint1.level, device.timint2.level];
      w(at(0, LOAD), 25); // 25 ticks at 40 ns = 1 µs
      w(at(0, CONTROL), RUN);
      w(at(2, LOAD), 2);
      w(at(2, CONTROL), RUN);
      clock.advanceTo(1_000);
      expect(lines()).toEqual([true, false, false]);
      clock.advanceTo(2_000);
      expect(lines()).toEqual([true, false, true]);
      expect(Object.keys(device.lines)).toEqual(['timint0', 'timint1', 'timint2']);
    });
  });

  describe('2: clocks', () => {
    it('2: timer 0 at 25 MHz (40 ns), timers 1 and 2 at 1 MHz by default', () => {
      const device = new IntegratorPit(new VirtualClock());
      expect(device.timclk.map((c) => c.hz)).toEqual([25_000_000, 1_000_000, 1_000_000]);
      const { w, r, clock } = makeRig();
      w(at(0, LOAD), 100);
      w(at(0, CONTROL), RUN);
      clock.advanceTo(10 * TICK[0] + 1);
      expect(r(at(0, VALUE))).toBe(90);
    });

    it("2: QEMU's 40 MHz timer 0 is one option away; one input may feed all three", () => {
      const { w, r, clock } = makeRig({ hz: [40_000_000, 1_000_000, 1_000_000] });
      w(at(0, LOAD), 100);
      w(at(0, CONTROL), RUN);
      clock.advanceTo(10 * 25 + 1);
      expect(r(at(0, VALUE))).toBe(90);
      const shared = new ClockInput('t', 2_000_000);
      expect(new IntegratorPit(new VirtualClock(), { timclk: shared }).timclk).toEqual([shared, shared, shared]);
    });

    it('refuses a timclk that is not an input or a triple, naming the option', () => {
      const pair = [new ClockInput('a', 1), new ClockInput('b', 1)];
      expect(() => new IntegratorPit(new VirtualClock(), { timclk: pair as never })).toThrow(DeviceConfigError);
      expect(() => new IntegratorPit(new VirtualClock(), { timclk: pair as never })).toThrow('options.timclk');
    });

    it('a clock change at run time keeps the count and starts a full tick at the new rate; 0 Hz holds it', () => {
      const { w, r, clock, timclk } = makeRig();
      w(at(1, LOAD), 100);
      w(at(1, CONTROL), RUN | PRE16); // ÷16: 16 µs ticks
      clock.advanceTo(10 * 16_000 + 500);
      expect(r(at(1, VALUE))).toBe(90);
      timclk[1].setHz(0);
      clock.advanceTo(1_000_000);
      expect(r(at(1, VALUE))).toBe(90);
      timclk[1].setHz(2_000_000); // 8 µs ticks from now
      clock.advanceTo(1_000_000 + 8_000 - 1);
      expect(r(at(1, VALUE))).toBe(90);
      clock.advanceTo(1_000_000 + 8_000 + 1);
      expect(r(at(1, VALUE))).toBe(89);
    });

    it('reset() stops every counter at 0xFFFFFFFF and lowers the lines', () => {
      const { w, r, clock, device } = makeRig();
      w(at(1, LOAD), 2);
      w(at(1, CONTROL), RUN);
      clock.advanceTo(2_000);
      expect(device.timint1.level).toBe(true);
      device.reset();
      expect([r(at(1, VALUE)), r(at(1, CONTROL)), r(at(1, RIS)), device.timint1.level]).toEqual([0xffff_ffff, 0x20, 0, false]);
      clock.advanceTo(100_000);
      expect(r(at(1, VALUE))).toBe(0xffff_ffff);
    });
  });

  describe('timing', () => {
    // 24 MHz (the core-module oscillator undivided): 41⅔ ns a tick.
    const loaded = (timing?: 'qemu') => {
      const rig = makeRig({ clock: new VirtualClock({ start: 1_000 }), hz: [24_000_000, 1_000_000, 1_000_000], ...(timing === undefined ? {} : { timing }) });
      rig.w(at(0, CONTROL), ENABLE | PERIODIC | SIZE32);
      rig.w(at(0, LOAD), 1_000);
      return rig;
    };

    it('exact (the default) at 24 MHz: Value shows 1000 for the whole first 41⅔ ns tick', () => {
      const { r, clock } = loaded();
      expect(r(at(0, VALUE))).toBe(1_000);
      clock.advanceTo(1_041);
      expect(r(at(0, VALUE))).toBe(1_000);
      clock.advanceTo(1_042);
      expect(r(at(0, VALUE))).toBe(999);
    });

    it("timing 'qemu' at 24 MHz: QEMU's floored countdown reads 999 at the load instant", () => {
      const { r } = loaded('qemu');
      expect(r(at(0, VALUE))).toBe(999);
    });
  });

  describe('snapshot and restore', () => {
    const make = (clock: VirtualClock): { device: IntegratorPit; irq: IrqSignal } => {
      const hz = [25_000_000, 1_000_000, 1_000_000] as const;
      const device = new IntegratorPit(clock, { timclk: [new ClockInput('t0', hz[0]), new ClockInput('t1', hz[1]), new ClockInput('t2', hz[2])] });
      return { device, irq: device.timint1 };
    };
    const script: ScriptStep[] = [
      { at: 0, access: guestWrite(at(0, LOAD), 0xffff_ffff) },
      { at: 0, access: guestWrite(at(0, CONTROL), 0xc2) },
      { at: 0, access: guestWrite(at(1, LOAD), 5) },
      { at: 0, access: guestWrite(at(1, CONTROL), RUN) },
      { at: 0, access: guestWrite(at(2, LOAD), 0x1_0003) },
      { at: 0, access: guestWrite(at(2, CONTROL), ENABLE | IE | ONESHOT) }, // 16-bit one-shot
      { at: 6_000, access: guestWrite(at(1, INTCLR), 1) },
      { at: 7_500, access: guestRead(at(0, VALUE)) },
      { at: 8_000, access: guestWrite(at(1, BGLOAD), 2) },
      { at: 12_000, access: guestWrite(at(1, INTCLR), 1) },
      { at: 15_000, access: guestRead(at(2, VALUE)) },
      { at: 15_000, access: guestRead(at(1, MIS)) },
    ];

    it.each([0, 2_999, 5_000, 6_000, 9_001, 14_000])('continues from a snapshot at %i ns with an equal digest', (snapshotAt) => {
      const { original, restored } = continuationDigests(make, script, snapshotAt, 40_000);
      expect(restored).toBe(original);
    });

    it('is plain versioned data with three timers, upper halves and TIMCLK rates', () => {
      const { device } = make(new VirtualClock());
      const s = JSON.parse(JSON.stringify(device.snapshot())) as Record<string, unknown>;
      expect(s).toMatchObject({ device: 'integrator-pit', version: 1, upper: [0xffff, 0xffff, 0xffff], timclkHz: [25_000_000, 1_000_000, 1_000_000] });
      expect((s.timers as unknown[]).length).toBe(3);
    });

    const running = (): Record<string, unknown> => {
      const clock = new VirtualClock();
      const { device } = make(clock);
      device.write(at(1, LOAD), 4, 5);
      device.write(at(1, CONTROL), 4, RUN);
      clock.advanceTo(2_500);
      return JSON.parse(JSON.stringify(device.snapshot())) as Record<string, unknown>;
    };
    const regs = (s: Record<string, unknown>): Record<string, number> => (s.registers as { registers: Record<string, number> }).registers;
    it.each<[string, (s: Record<string, unknown>) => void, string]>([
      ['another version', (s) => (s.version = 2), "'version'"],
      ['two timers', (s) => (s.timers = (s.timers as unknown[]).slice(0, 2)), "'timers'"],
      ['another TIMCLK rate', (s) => ((s.timclkHz as number[])[0] = 40_000_000), "'timclkHz[0]'"],
      ['an upper half out of range', (s) => ((s.upper as number[])[2] = 0x1_0000), "'upper[2]'"],
      ['BGLoad differing from Load', (s) => (regs(s).Timer1BGLoad = 9), 'Timer1BGLoad'],
      ['TimerEn cleared while counting', (s) => (regs(s).Timer1Control = RUN & ~ENABLE), "'timers[1].mode'"],
      ['a stored MIS', (s) => (regs(s).Timer2MIS = 1), 'Timer2MIS'],
      ['an SP804 ID register', (s) => (regs(s).TimerPeriphID0 = 4), 'TimerPeriphID0'],
    ])('refuses %s at the field, changing nothing', (_name, edit, field) => {
      const s = running();
      edit(s);
      const clock = new VirtualClock({ start: 2_500 });
      const { device } = make(clock);
      device.write(at(0, LOAD), 4, 77);
      const before = JSON.stringify(device.snapshot());
      expect(() => device.restore(s)).toThrow(RegisterSnapshotError);
      expect(() => device.restore(s)).toThrow(field);
      expect(JSON.stringify(device.snapshot())).toBe(before);
    });
  });
});
