// The Exynos4210 PWM timers as a datasheet walk-through: the map and reset values, counting and
// reload (P1), start, stop and one-shot (P2), the manual update (P3), prescalers, dividers and
// PCLK (P4), SCLK_PWM (P5), interrupts (P6), the compare buffer (P7), exact and QEMU timing,
// snapshot, restore and continuation. PCLK 100 MHz and both prescalers ÷1 unless a test says
// otherwise: one tick is 10 ns; a decrement at a tick boundary B reads from B + 1 ns.
import { describe, expect, it } from 'vitest';
import { EXYNOS4210_PWM_POLICY, EXYNOS4210_PWM_REGISTERS, Exynos4210Pwm } from '../../../devices/exynos4210-pwm';
import { ClockInput, DeviceConfigError, guestRead, guestWrite, RegisterSnapshotError, VirtualClock, type IrqSignal } from '../../../index';
import { continuationDigests, type ScriptStep } from '../../support/deviceHarness';
import { AUTO_RELOAD, CYCLE, INT_EN, INT_STAT, makeRig, MANUAL_UPDATE, START, TCFG0, TCFG1, TCMPB, TCNTB, TCNTO, TCON, TINT_CSTAT } from './rig';

const expiries = (rig: ReturnType<typeof makeRig>, n?: number): number[] =>
  rig.events.filter((e) => e.kind === 'expiry' && (n === undefined || e.timer === `exynos4210-pwm.timer${n}`)).map((e) => e.time);

describe('Exynos4210Pwm', () => {
  it("has the manual's registers at their offsets; the policy is the shared Samsung counter's (W+O+R+D)", () => {
    expect(EXYNOS4210_PWM_REGISTERS.registers.map((r) => [r.name, r.offset])).toEqual([
      ['TCFG0', 0x00],
      ['TCFG1', 0x04],
      ['TCON', 0x08],
      ...[0, 1, 2, 3].flatMap((n) => [
        [`TCNTB${n}`, TCNTB(n)],
        [`TCMPB${n}`, TCMPB(n)],
        [`TCNTO${n}`, TCNTO(n)],
      ]),
      ['TCNTB4', 0x3c],
      ['TCNTO4', 0x40],
      ['TINT_CSTAT', 0x44],
    ]);
    expect(EXYNOS4210_PWM_POLICY).toEqual(['WRAP_AFTER_ONE_PERIOD', 'TRIGGER_ONLY_ON_DECREMENT', 'NO_IMMEDIATE_RELOAD', 'NO_COUNTER_ROUND_DOWN']);
  });

  it('resets with TCFG0 0x101 and everything else 0: every counter stopped at 0, the lines low', () => {
    const device = new Exynos4210Pwm(new VirtualClock());
    const r = (o: number) => device.read(o, 4);
    expect([r(TCFG0), r(TCFG1), r(TCON), r(TINT_CSTAT)]).toEqual([0x101, 0, 0, 0]);
    for (const n of [0, 1, 2, 3, 4]) expect([r(TCNTB(n)), r(TCNTO(n))]).toEqual([0, 0]);
    expect(device.pclk.hz).toBe(100_000_000);
    expect(Object.values(device.lines).map((l) => l.level)).toEqual([false, false, false, false, false]);
  });

  describe('P1: counting', () => {
    it('P1: worked example, timer 3 loaded with 3: reads 3, 2, 1, reaches 0 at 3 ticks with the status and the line, rests at 0 a tick, then rounds of TCNTB + 1 = 4 ticks', () => {
      const rig = makeRig();
      rig.start(3, 3, true);
      expect(rig.r(TCNTO(3))).toBe(3);
      rig.clock.advanceTo(CYCLE + 1);
      expect(rig.r(TCNTO(3))).toBe(2);
      rig.clock.advanceTo(3 * CYCLE - 1);
      expect([rig.r(TCNTO(3)), rig.r(TINT_CSTAT), rig.device.irq3.level]).toEqual([1, INT_EN(3), false]);
      rig.clock.advanceTo(3 * CYCLE); // G1: 0, the status and the line in one step
      expect([rig.r(TCNTO(3)), rig.r(TINT_CSTAT), rig.device.irq3.level]).toEqual([0, INT_EN(3) | INT_STAT(3), true]);
      rig.clock.advanceTo(4 * CYCLE);
      expect(rig.r(TCNTO(3))).toBe(0);
      rig.clock.advanceTo(4 * CYCLE + 1);
      expect(rig.r(TCNTO(3))).toBe(3);
      rig.clock.advanceTo(20 * CYCLE);
      expect(expiries(rig)).toEqual([3, 7, 11, 15, 19].map((k) => k * CYCLE));
    });

    it('P1: TCNTB is double-buffered: a write while counting changes the next reload, not the count', () => {
      const rig = makeRig();
      rig.start(0, 10, true);
      rig.clock.advanceTo(35);
      rig.w(TCNTB(0), 2);
      expect(rig.r(TCNTO(0))).toBe(7);
      rig.clock.advanceTo(111);
      expect(rig.r(TCNTO(0))).toBe(2); // 0 at 100, reloaded at 110
      rig.clock.advanceTo(200);
      expect(expiries(rig)).toEqual([100, 130, 160, 190]);
    });

    it('P1, P4: TCNTB written in the tick at 0 after an interrupt: that tick still reads 0, the reload takes the value held at 0, the next reload the new one', () => {
      const rig = makeRig();
      rig.start(4, 7, true);
      rig.clock.advanceTo(73);
      rig.w(TCNTB(4), 5);
      expect(rig.r(TCNTO(4))).toBe(0);
      rig.clock.advanceTo(81);
      expect(rig.r(TCNTO(4))).toBe(7);
      rig.clock.advanceTo(161);
      expect(rig.r(TCNTO(4))).toBe(5);
      rig.clock.advanceTo(300);
      expect(expiries(rig)).toEqual([70, 150, 210, 270]);
    });

    it('P4: the same with the largest count: TCNTO reads 0, never 2^32; a stop or a new rate in that tick holds 0, then a tick later the new TCNTB loads', () => {
      const rig = makeRig();
      rig.start(4, 0xffff_ffff, true);
      const zero = 0xffff_ffff * CYCLE;
      rig.clock.advanceTo(zero + 3);
      rig.w(TCNTB(4), 5);
      expect(rig.r(TCNTO(4))).toBe(0);
      rig.w(TCON, rig.r(TCON) & ~START(4)); // stopped in the tick at 0
      expect(rig.r(TCNTO(4))).toBe(0);
      rig.clock.advanceTo(zero + 1_000);
      rig.w(TCON, rig.r(TCON) | START(4));
      rig.clock.advanceTo(zero + 1_011);
      expect(rig.r(TCNTO(4))).toBe(5); // a 0 count with auto-reload: a tick, then the buffer
      // a new rate in the tick at 0 after the next interrupt (at zero + 1 060), with TCNTB changed in it
      rig.clock.advanceTo(zero + 1_063);
      rig.w(TCNTB(4), 9);
      rig.w(TCFG0, 1 << 8);
      expect(rig.r(TCNTO(4))).toBe(0);
      rig.clock.advanceTo(zero + 1_063 + 21);
      expect(rig.r(TCNTO(4))).toBe(9);
      expect(expiries(rig)).toEqual([zero, zero + 1_060]);
    });

    it('P4, G3: the same from a handler on the line, in the expiry step: TCNTO reads 0 in the tick, then the value held at 0', () => {
      const rig = makeRig();
      rig.start(4, 0xffff_ffff, true);
      const seen: number[] = [];
      rig.device.irq4.watch((high) => {
        if (!high) return;
        rig.w(TCNTB(4), 5);
        seen.push(rig.r(TCNTO(4)));
        rig.w(TINT_CSTAT, INT_EN(4) | INT_STAT(4));
      });
      const zero = 0xffff_ffff * CYCLE;
      rig.clock.advanceTo(zero + 5);
      seen.push(rig.r(TCNTO(4)));
      rig.clock.advanceTo(zero + CYCLE + 1);
      seen.push(rig.r(TCNTO(4)));
      expect(seen).toEqual([0, 0, 0xffff_ffff]);
    });
  });

  describe('P2: start, stop and one-shot', () => {
    it('P2: START 0 holds the count; START 1 counts on from it, without a reload', () => {
      const rig = makeRig();
      rig.start(2, 10, true);
      rig.clock.advanceTo(45);
      rig.w(TCON, rig.r(TCON) & ~START(2));
      expect(rig.r(TCNTO(2))).toBe(6);
      rig.clock.advanceTo(1_000);
      expect(rig.r(TCNTO(2))).toBe(6);
      rig.w(TCON, rig.r(TCON) | START(2));
      rig.clock.advanceTo(1_010);
      expect(rig.r(TCNTO(2))).toBe(6);
      rig.clock.advanceTo(1_011);
      expect(rig.r(TCNTO(2))).toBe(5);
      rig.clock.advanceTo(1_070);
      expect(expiries(rig)).toEqual([1_060]);
    });

    it('P2: without auto-reload, one interrupt TCNTB ticks after the start, then 0 held with START still 1 (QEMU clears START)', () => {
      const rig = makeRig();
      rig.start(1, 4, false);
      rig.clock.advanceTo(40);
      expect([rig.r(TCNTO(1)), rig.device.irq1.level]).toEqual([0, true]);
      rig.clock.advanceTo(10_000);
      expect([rig.r(TCNTO(1)), rig.r(TCON) & START(1)]).toEqual([0, START(1)]);
      expect(expiries(rig)).toEqual([40]);
    });

    it('P2: a timer loaded with 0 never interrupts, with or without auto-reload (Linux: a 0 "would not generate any timer interrupt")', () => {
      for (const autoReload of [false, true]) {
        const rig = makeRig();
        rig.start(3, 0, autoReload);
        rig.clock.advanceTo(10_000);
        expect([rig.r(TCNTO(3)), rig.r(TINT_CSTAT) & INT_STAT(3), rig.device.irq3.level, expiries(rig)]).toEqual([0, 0, false, []]);
      }
    });

    it('P2: a 0 count given auto-reload (TCNTB > 0) waits a tick, then loads TCNTB silently and counts on', () => {
      const rig = makeRig();
      rig.start(1, 4, false);
      rig.clock.advanceTo(100); // halted at 0 since 40
      rig.w(TINT_CSTAT, INT_EN(1) | INT_STAT(1));
      rig.w(TCON, rig.r(TCON) | AUTO_RELOAD(1));
      expect(rig.r(TCNTO(1))).toBe(0);
      rig.clock.advanceTo(109);
      expect([rig.r(TCNTO(1)), rig.device.irq1.level]).toEqual([0, false]);
      rig.clock.advanceTo(111);
      expect([rig.r(TCNTO(1)), rig.device.irq1.level]).toEqual([4, false]);
      rig.clock.advanceTo(200);
      expect(expiries(rig)).toEqual([40, 150, 200]);
    });

    it('P2: AUTO_RELOAD cleared while counting: the count goes on and stops at its next 0', () => {
      const rig = makeRig();
      rig.start(0, 5, true);
      rig.clock.advanceTo(75);
      rig.w(TCON, rig.r(TCON) & ~AUTO_RELOAD(0));
      expect(rig.r(TCNTO(0))).toBe(4);
      rig.clock.advanceTo(10_000);
      expect([rig.r(TCNTO(0)), expiries(rig)]).toEqual([0, [50, 110]]);
    });
  });

  describe('P3: the manual update', () => {
    it('P3: while MANUAL_UPDATE is 1 the count is TCNTB and holds, even with START set; a TCNTB write shows at once; clearing it lets the count go (QEMU: counts from the 0 -> 1 edge)', () => {
      const rig = makeRig();
      rig.w(TCNTB(0), 9);
      rig.w(TCON, MANUAL_UPDATE(0) | START(0) | AUTO_RELOAD(0));
      rig.clock.advanceTo(500);
      expect(rig.r(TCNTO(0))).toBe(9);
      rig.w(TCNTB(0), 4);
      expect(rig.r(TCNTO(0))).toBe(4);
      rig.w(TCON, START(0) | AUTO_RELOAD(0));
      rig.clock.advanceTo(511);
      expect(rig.r(TCNTO(0))).toBe(3);
      rig.clock.advanceTo(545);
      expect(expiries(rig)).toEqual([540]);
    });

    it('P3: a manual update on a running timer reloads its count and holds it there', () => {
      const rig = makeRig();
      rig.start(2, 50, true);
      rig.clock.advanceTo(205);
      rig.w(TCON, rig.r(TCON) | MANUAL_UPDATE(2));
      rig.clock.advanceTo(1_000);
      expect([rig.r(TCNTO(2)), expiries(rig)]).toEqual([50, []]);
    });
  });

  describe('P4: prescalers, dividers and PCLK', () => {
    it('P4: timer n ticks at PCLK / (prescaler + 1) / 2^DIV_MUXn: prescaler 0 feeds timers 0 and 1, prescaler 1 timers 2-4', () => {
      const rig = makeRig();
      rig.w(TCFG0, 4 | (9 << 8)); // ÷5 for timers 0-1, ÷10 for timers 2-4
      rig.w(TCFG1, 1 | (3 << 12)); // timer 0 ÷2, timer 3 ÷8
      for (const n of [0, 1, 3, 4]) rig.start(n, 100, true);
      rig.clock.advanceTo(1_001);
      // ticks of 100, 50, 800 and 100 ns
      expect([0, 1, 3, 4].map((n) => rig.r(TCNTO(n)))).toEqual([90, 80, 99, 90]);
    });

    it('P4: a TCFG0 write re-times a running count from its reading with a fresh tick; a write that keeps its rate changes nothing', () => {
      const rig = makeRig();
      rig.start(2, 100, true);
      rig.clock.advanceTo(105);
      expect(rig.r(TCNTO(2))).toBe(90);
      rig.w(TCFG0, 1 << 8); // timers 2-4 ÷2: 20 ns ticks from 105
      rig.clock.advanceTo(125);
      expect(rig.r(TCNTO(2))).toBe(90);
      rig.clock.advanceTo(126);
      expect(rig.r(TCNTO(2))).toBe(89);
      rig.w(TCFG0, 1 << 8);
      rig.w(TCFG0, (1 << 8) | 7); // prescaler 0 only: timer 2 untouched
      rig.clock.advanceTo(145);
      expect(rig.r(TCNTO(2))).toBe(89);
      rig.clock.advanceTo(146);
      expect(rig.r(TCNTO(2))).toBe(88);
    });

    it('P4: a PCLK change re-times every running count with a fresh tick; 0 Hz holds them all', () => {
      const rig = makeRig();
      rig.start(0, 100, true);
      rig.start(4, 100, true);
      rig.clock.advanceTo(55);
      rig.pclk.setHz(0);
      rig.clock.advanceTo(1_000_000);
      expect([rig.r(TCNTO(0)), rig.r(TCNTO(4))]).toEqual([95, 95]);
      rig.pclk.setHz(50_000_000); // 20 ns ticks from now
      rig.clock.advanceTo(1_000_020);
      expect(rig.r(TCNTO(0))).toBe(95);
      rig.clock.advanceTo(1_000_021);
      expect([rig.r(TCNTO(0)), rig.r(TCNTO(4))]).toEqual([94, 94]);
    });

    it('P4: reset() stops every counter at 0, restores TCFG0 and clears TCON and TINT_CSTAT; the lines fall', () => {
      const rig = makeRig();
      rig.start(3, 2, true);
      rig.clock.advanceTo(20);
      expect(rig.device.irq3.level).toBe(true);
      rig.device.reset();
      expect([rig.r(TCFG0), rig.r(TCON), rig.r(TINT_CSTAT), rig.r(TCNTB(3)), rig.r(TCNTO(3)), rig.device.irq3.level]).toEqual([0x101, 0, 0, 0, 0, false]);
      rig.clock.advanceTo(10_000);
      expect(expiries(rig)).toEqual([20]);
    });
  });

  describe('P5: SCLK_PWM and reserved dividers', () => {
    it('P5: DIV_MUX 5 (SCLK_PWM) is stored and reported, and the timer holds; a divider again counts on with a fresh tick (QEMU: ÷32)', () => {
      const rig = makeRig();
      rig.start(3, 100, true);
      rig.clock.advanceTo(105);
      rig.w(TCFG1, 5 << 12);
      expect(rig.r(TCFG1)).toBe(5 << 12);
      expect(rig.events.filter((e) => e.kind === 'unimplemented')).toEqual([
        { kind: 'unimplemented', time: 105, source: 'exynos4210-pwm', offset: TCFG1, feature: 'TCFG1.DIV_MUX3=5 (SCLK_PWM, the external clock: not modelled, timer 3 holds its count)' },
      ]);
      rig.clock.advanceTo(100_000);
      expect(rig.r(TCNTO(3))).toBe(90);
      rig.w(TCFG1, 0);
      rig.clock.advanceTo(100_011);
      expect(rig.r(TCNTO(3))).toBe(89);
    });

    it('P5: a reserved divider (6-15) is reported as such', () => {
      const rig = makeRig();
      rig.w(TCFG1, 9 << 16);
      expect(rig.events.map((e) => (e.kind === 'unimplemented' ? e.feature : e.kind))).toEqual(['TCFG1.DIV_MUX4=9 (a reserved divider: not modelled, timer 4 holds its count)']);
    });
  });

  describe('P6: interrupts', () => {
    it('P6: the status rises whatever the enable; enabling it then raises the line (QEMU does not); writing 1 clears it, 0 keeps it', () => {
      const rig = makeRig();
      rig.w(TCNTB(4), 2);
      rig.w(TCON, MANUAL_UPDATE(4));
      rig.w(TCON, START(4));
      rig.clock.advanceTo(20);
      expect([rig.r(TINT_CSTAT), rig.device.irq4.level]).toEqual([INT_STAT(4), false]);
      rig.w(TINT_CSTAT, INT_EN(4));
      expect([rig.r(TINT_CSTAT), rig.device.irq4.level]).toEqual([INT_EN(4) | INT_STAT(4), true]);
      rig.w(TINT_CSTAT, 0);
      expect([rig.r(TINT_CSTAT), rig.device.irq4.level]).toEqual([INT_STAT(4), false]);
      rig.w(TINT_CSTAT, INT_EN(4) | INT_STAT(4));
      expect([rig.r(TINT_CSTAT), rig.device.irq4.level]).toEqual([INT_EN(4), false]);
    });

    it('P6: five lines, one per timer, no combined output', () => {
      const rig = makeRig();
      for (const n of [0, 1, 2, 3, 4]) rig.start(n, 10 * (n + 1), false);
      const seen: boolean[][] = [];
      for (const t of [10, 20, 30, 40, 50]) {
        rig.clock.advanceTo(t * CYCLE);
        seen.push(rig.lines());
      }
      expect(seen).toEqual([
        [true, false, false, false, false],
        [true, true, false, false, false],
        [true, true, true, false, false],
        [true, true, true, true, false],
        [true, true, true, true, true],
      ]);
      expect(Object.keys(rig.device.lines)).toEqual(['irq0', 'irq1', 'irq2', 'irq3', 'irq4']);
    });
  });

  it('P7: TCMPB is stored and reads back, with no event and no effect on the count', () => {
    const rig = makeRig();
    rig.start(1, 10, true);
    rig.w(TCMPB(1), 3);
    rig.clock.advanceTo(101);
    expect([rig.r(TCMPB(1)), rig.r(TCNTO(1)), rig.events.filter((e) => e.kind !== 'expiry')]).toEqual([3, 0, []]);
  });

  describe('options', () => {
    it('a PCLK input is optional (100 MHz, named after the instance); bad options are refused naming the option', () => {
      expect(new Exynos4210Pwm(new VirtualClock(), { name: 'pwm' }).pclk.name).toBe('pwm.pclk');
      expect(() => new Exynos4210Pwm(new VirtualClock(), { pclk: 24_000_000 as never })).toThrow(DeviceConfigError);
      expect(() => new Exynos4210Pwm(new VirtualClock(), { pclk: 24_000_000 as never })).toThrow('Exynos4210Pwm(options.pclk)');
      expect(() => new Exynos4210Pwm(new VirtualClock(), { delivery: 'later' as never })).toThrow('Exynos4210Pwm(options.delivery)');
      expect(() => new Exynos4210Pwm(new VirtualClock(), { prescaler: 1 } as never)).toThrow('is not an option of Exynos4210Pwm');
    });
  });

  describe('timing', () => {
    // QEMU's fixed 24 MHz: 41⅔ ns a tick.
    const loaded = (timing?: 'qemu') => {
      const rig = makeRig({ clock: new VirtualClock({ start: 1_000 }), hz: 24_000_000, ...(timing === undefined ? {} : { timing }) });
      rig.start(0, 1_000, true);
      return rig;
    };

    it('exact (the default) at 24 MHz: TCNTO shows 1000 for the whole first tick; interrupt k at ⌊k·1001 ticks⌋ after the first', () => {
      const rig = loaded();
      expect(rig.r(TCNTO(0))).toBe(1_000);
      rig.clock.advanceTo(1_041);
      expect(rig.r(TCNTO(0))).toBe(1_000);
      rig.clock.advanceTo(1_042);
      expect(rig.r(TCNTO(0))).toBe(999);
      rig.clock.advanceTo(1_000 + 1_000 * 42 * 4);
      // 1000 ticks to the first, then 1001 each: ⌊(1000 + 1001·k)·125/3⌋ ns after the start
      expect(expiries(rig)).toEqual([0, 1, 2, 3].map((k) => 1_000 + Math.floor(((1_000 + 1_001 * k) * 125) / 3)));
    });

    it("timing 'qemu' at 24 MHz: QEMU's floored countdown reads 999 at the start instant", () => {
      expect(loaded('qemu').r(TCNTO(0))).toBe(999);
    });
  });

  describe('snapshot and restore', () => {
    const make = (clock: VirtualClock): { device: Exynos4210Pwm; irq: IrqSignal } => {
      const device = new Exynos4210Pwm(clock, { pclk: new ClockInput('pclk', 100_000_000) });
      return { device, irq: device.irq3 };
    };
    // Linux-like: timer 4 free-running as a clocksource, timer 3 periodic with its handler, then one-shot events.
    const script: ScriptStep[] = [
      { at: 0, access: guestWrite(TCFG0, 1 << 8) },
      { at: 0, access: guestWrite(TCNTB(4), 0xffff_ffff) },
      { at: 0, access: guestWrite(TCON, MANUAL_UPDATE(4)) },
      { at: 0, access: guestWrite(TCON, START(4) | AUTO_RELOAD(4)) },
      { at: 0, access: guestWrite(TCNTB(3), 24) },
      { at: 0, access: guestWrite(TCON, START(4) | AUTO_RELOAD(4) | MANUAL_UPDATE(3)) },
      { at: 0, access: guestWrite(TINT_CSTAT, INT_EN(3) | INT_STAT(3)) },
      { at: 0, access: guestWrite(TCON, START(4) | AUTO_RELOAD(4) | START(3) | AUTO_RELOAD(3)) },
      ...[1, 2, 3, 4, 5].map((k) => ({ at: k * 500 + 2, access: guestWrite(TINT_CSTAT, INT_EN(3) | INT_STAT(3)) })),
      ...Array.from({ length: 20 }, (_, i) => ({ at: 130 * i + 7, access: guestRead(i % 2 === 0 ? TCNTO(4) : TCNTO(3)) })),
      { at: 3_000, access: guestWrite(TCNTB(3), 7) },
      { at: 3_000, access: guestWrite(TCON, START(4) | AUTO_RELOAD(4) | MANUAL_UPDATE(3)) },
      { at: 3_000, access: guestWrite(TCON, START(4) | AUTO_RELOAD(4) | START(3)) },
      { at: 3_500, access: guestWrite(TINT_CSTAT, INT_EN(3) | INT_STAT(3)) },
      { at: 4_000, access: guestWrite(TCFG1, 5 << 16) },
      { at: 5_000, access: guestWrite(TCFG1, 0) },
      { at: 5_100, access: guestRead(0x48) },
    ];

    it.each([0, 499, 500, 1_234, 3_000, 3_155, 4_500, 5_050])('continues from a snapshot at %i ns with an equal digest', (snapshotAt) => {
      const { original, restored } = continuationDigests(make, script, snapshotAt, 20_000);
      expect(restored).toBe(original);
    });

    it('is plain versioned data: the registers, five timers and the PCLK rate', () => {
      const { device } = make(new VirtualClock());
      const s = JSON.parse(JSON.stringify(device.snapshot())) as Record<string, unknown>;
      expect(s).toMatchObject({ device: 'exynos4210-pwm', version: 1, pclkHz: 100_000_000 });
      expect((s.timers as unknown[]).length).toBe(5);
    });

    const running = (): Record<string, unknown> => {
      const clock = new VirtualClock();
      const { device } = make(clock);
      device.write(TCFG0, 4, 0);
      device.write(TCNTB(1), 4, 50);
      device.write(TCON, 4, MANUAL_UPDATE(1));
      device.write(TCON, 4, START(1) | AUTO_RELOAD(1));
      clock.advanceTo(255);
      return JSON.parse(JSON.stringify(device.snapshot())) as Record<string, unknown>;
    };
    const regs = (s: Record<string, unknown>): Record<string, number> => (s.registers as { registers: Record<string, number> }).registers;
    it.each<[string, (s: Record<string, unknown>) => void, string]>([
      ['another version', (s) => (s.version = 2), "'version'"],
      ['four timers', (s) => (s.timers = (s.timers as unknown[]).slice(0, 4)), "'timers'"],
      ['another PCLK rate', (s) => (s.pclkHz = 24_000_000), "'pclkHz'"],
      ['START1 cleared while timer 1 counts', (s) => (regs(s).TCON = AUTO_RELOAD(1)), "'timers[1].mode'"],
      ['a prescaler timers 0 and 1 do not tick at (stopped or not)', (s) => (regs(s).TCFG0 = 1), "'timers[0].periodNum'"],
      ['TCNTO1 storing the count', (s) => (regs(s).TCNTO1 = 25), "'registers.registers.TCNTO1'"],
      ['a reserved TCON bit', (s) => (regs(s).TCON = regs(s).TCON! | (1 << 5)), "'registers.registers.TCON'"],
    ])('refuses %s at the field, changing nothing', (_name, edit, field) => {
      const s = running();
      edit(s);
      const clock = new VirtualClock({ start: 255 });
      const { device } = make(clock);
      device.write(TCNTB(2), 4, 77);
      const before = JSON.stringify(device.snapshot());
      expect(() => device.restore(s)).toThrow(RegisterSnapshotError);
      expect(() => device.restore(s)).toThrow(field);
      expect(JSON.stringify(device.snapshot())).toBe(before);
    });

    it('restores a timer held by SCLK_PWM and counts on once a divider is chosen again', () => {
      const clock = new VirtualClock();
      const { device } = make(clock);
      device.write(TCFG0, 4, 0);
      device.write(TCNTB(0), 4, 100);
      device.write(TCON, 4, MANUAL_UPDATE(0));
      device.write(TCON, 4, START(0) | AUTO_RELOAD(0));
      clock.advanceTo(305);
      device.write(TCFG1, 4, 5);
      clock.advanceTo(1_000);
      const s = JSON.parse(JSON.stringify(device.snapshot())) as unknown;
      const later = new VirtualClock({ start: 1_000 });
      const other = make(later);
      other.device.restore(s);
      later.advanceTo(5_000);
      expect(other.device.read(TCNTO(0), 4)).toBe(70);
      other.device.write(TCFG1, 4, 0);
      later.advanceTo(5_011);
      expect(other.device.read(TCNTO(0), 4)).toBe(69);
    });
  });
});
