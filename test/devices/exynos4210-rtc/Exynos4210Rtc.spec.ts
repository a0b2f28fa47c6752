// The Exynos4210 RTC tick timer as a datasheet walk-through: the map and reset values, counting
// and reload (R1), TICEN and TICCNT (R2), the tick interrupt (R3), CTLEN (R4), TICCKSEL and the
// crystal (R5), exact and QEMU timing, snapshot, restore and continuation. The crystal runs at
// 32 768 Hz: tick k after a start at t is at t + ⌊k·30 517.578125⌋ ns, and a decrement at a
// tick boundary B reads from B + 1 ns.
import { describe, expect, it } from 'vitest';
import { EXYNOS4210_PWM_POLICY } from '../../../devices/exynos4210-pwm';
import { EXYNOS4210_RTC_POLICY, EXYNOS4210_RTC_REGISTERS, Exynos4210Rtc } from '../../../devices/exynos4210-rtc';
import { ClockInput, DeviceConfigError, guestRead, guestWrite, RegisterSnapshotError, VirtualClock, type IrqSignal } from '../../../index';
import { continuationDigests, type ScriptStep } from '../../support/deviceHarness';
import { CTLEN, CURTICCNT, INTP, makeRig, RTCCON, TIC, tick, TICCKSEL, TICCNT, TICEN } from './rig';

describe('Exynos4210Rtc', () => {
  it("has the tick timer's registers at the manual's offsets; the policy is the PWM timers' (the shared Samsung counter)", () => {
    expect(EXYNOS4210_RTC_REGISTERS.registers.map((r) => [r.name, r.offset])).toEqual([
      ['INTP', 0x30],
      ['RTCCON', 0x40],
      ['TICCNT', 0x44],
      ['CURTICCNT', 0x90],
    ]);
    expect(EXYNOS4210_RTC_POLICY).toBe(EXYNOS4210_PWM_POLICY);
  });

  it('resets to 0 everywhere: the tick counter stopped at 0, the line low; the crystal defaults to 32 768 Hz', () => {
    const device = new Exynos4210Rtc(new VirtualClock(), { name: 'rtc' });
    expect([INTP, RTCCON, TICCNT, CURTICCNT].map((o) => device.read(o, 4))).toEqual([0, 0, 0, 0]);
    expect([device.xtal.name, device.xtal.hz, device.tick.level]).toEqual(['rtc.xtal', 32_768, false]);
  });

  describe('R1: counting', () => {
    it('R1: worked example, TICCNT 3: reads 3, 2, 1, reaches 0 at tick 3 with INTP.TIC and the line, rests a tick, then rounds of TICCNT + 1 = 4 ticks', () => {
      const rig = makeRig();
      rig.w(TICCNT, 3);
      rig.w(RTCCON, TICEN);
      expect(rig.r(CURTICCNT)).toBe(3);
      rig.clock.advanceTo(tick(1) + 1);
      expect(rig.r(CURTICCNT)).toBe(2);
      rig.clock.advanceTo(tick(3) - 1);
      expect([rig.r(CURTICCNT), rig.r(INTP), rig.device.tick.level]).toEqual([1, 0, false]);
      rig.clock.advanceTo(tick(3)); // G1: 0, INTP.TIC and the line in one step
      expect([rig.r(CURTICCNT), rig.r(INTP), rig.device.tick.level]).toEqual([0, TIC, true]);
      rig.clock.advanceTo(tick(4) + 1);
      expect(rig.r(CURTICCNT)).toBe(3);
      rig.clock.advanceTo(tick(20));
      expect(rig.expiries()).toEqual([3, 7, 11, 15, 19].map((k) => tick(k)));
    });
  });

  describe('R2: TICEN and TICCNT', () => {
    it('R2: TICEN 1 -> 0 holds the count; 0 -> 1 restarts it from TICCNT', () => {
      const rig = makeRig();
      rig.w(TICCNT, 10);
      rig.w(RTCCON, TICEN);
      rig.clock.advanceTo(tick(4) + 1);
      rig.w(RTCCON, 0);
      expect(rig.r(CURTICCNT)).toBe(6);
      rig.clock.advanceTo(1_000_000);
      expect(rig.r(CURTICCNT)).toBe(6);
      rig.w(RTCCON, TICEN);
      expect(rig.r(CURTICCNT)).toBe(10);
      rig.clock.advanceTo(tick(11, 1_000_000));
      expect(rig.expiries()).toEqual([tick(10, 1_000_000)]);
    });

    it('R2: a TICCNT write while counting changes the next reload, not the count (as QEMU)', () => {
      const rig = makeRig();
      rig.w(TICCNT, 10);
      rig.w(RTCCON, TICEN);
      rig.clock.advanceTo(tick(3) + 1);
      rig.w(TICCNT, 2);
      expect(rig.r(CURTICCNT)).toBe(7);
      rig.clock.advanceTo(tick(11) + 1);
      expect(rig.r(CURTICCNT)).toBe(2);
      rig.clock.advanceTo(tick(20));
      expect(rig.expiries()).toEqual([10, 13, 16, 19].map((k) => tick(k)));
    });

    it('R2: TICCNT 0 (outside the manual range) is stored; the counter holds 0 and never interrupts (QEMU refuses values up to 2)', () => {
      const rig = makeRig();
      rig.w(TICCNT, 0);
      rig.w(RTCCON, TICEN);
      rig.clock.advanceTo(1_000_000_000);
      expect([rig.r(TICCNT), rig.r(CURTICCNT), rig.r(INTP), rig.expiries()]).toEqual([0, 0, 0, []]);
      rig.w(TICCNT, 2); // stored in QEMU only from 3
      expect(rig.r(TICCNT)).toBe(2);
    });
  });

  it('R3: the tick interrupt has no enable: the line is INTP.TIC; a byte write of 1 clears it, 0 keeps it', () => {
    const rig = makeRig();
    rig.w(TICCNT, 2);
    rig.w(RTCCON, TICEN);
    rig.clock.advanceTo(tick(2));
    expect(rig.device.tick.level).toBe(true);
    rig.w(INTP, 0, 1);
    expect([rig.r(INTP, 1), rig.device.tick.level]).toEqual([TIC, true]);
    rig.w(INTP, TIC, 1);
    expect([rig.r(INTP, 1), rig.device.tick.level]).toEqual([0, false]);
  });

  it('R4: the tick counts whatever CTLEN says; clearing CTLEN while it counts changes nothing (QEMU stops the tick)', () => {
    const rig = makeRig();
    rig.w(TICCNT, 4);
    rig.w(RTCCON, TICEN | CTLEN);
    rig.clock.advanceTo(tick(2) + 1);
    rig.w(RTCCON, TICEN, 2);
    expect(rig.r(CURTICCNT)).toBe(2);
    rig.clock.advanceTo(tick(20));
    expect(rig.expiries()).toEqual([4, 9, 14, 19].map((k) => tick(k)));
    expect(rig.events.filter((e) => e.kind !== 'expiry')).toEqual([]);
  });

  describe('R5: the tick clock', () => {
    it('R5: TICCKSEL n divides the crystal by 2^n: 15 gives 1 Hz ticks', () => {
      const rig = makeRig();
      rig.w(TICCNT, 2);
      rig.w(RTCCON, TICEN | TICCKSEL(15));
      rig.clock.advanceTo(1_000_000_001);
      expect(rig.r(CURTICCNT)).toBe(1);
      rig.clock.advanceTo(5_000_000_000);
      expect(rig.expiries()).toEqual([2_000_000_000, 5_000_000_000]);
    });

    it('R5: a TICCKSEL change re-times the running count from its reading with a fresh tick; the same TICCKSEL changes nothing', () => {
      const rig = makeRig();
      rig.w(TICCNT, 100);
      rig.w(RTCCON, TICEN);
      const t = tick(5) + 1_000;
      rig.clock.advanceTo(t);
      expect(rig.r(CURTICCNT)).toBe(95);
      rig.w(RTCCON, TICEN | TICCKSEL(1)); // 16 384 Hz from t
      rig.clock.advanceTo(tick(2, t));
      expect(rig.r(CURTICCNT)).toBe(95);
      rig.clock.advanceTo(tick(2, t) + 1);
      expect(rig.r(CURTICCNT)).toBe(94);
      rig.w(RTCCON, TICEN | TICCKSEL(1) | CTLEN);
      rig.clock.advanceTo(tick(4, t) + 1);
      expect(rig.r(CURTICCNT)).toBe(93);
    });

    it('R5: a crystal stopped (0 Hz) holds the count; at another rate it counts on with a fresh tick', () => {
      const rig = makeRig();
      rig.w(TICCNT, 10);
      rig.w(RTCCON, TICEN);
      rig.clock.advanceTo(tick(3) + 1);
      rig.xtal.setHz(0);
      rig.clock.advanceTo(10_000_000);
      expect(rig.r(CURTICCNT)).toBe(7);
      rig.xtal.setHz(1_000_000);
      rig.clock.advanceTo(10_001_001);
      expect(rig.r(CURTICCNT)).toBe(6);
      rig.clock.advanceTo(10_007_000);
      expect(rig.expiries()).toEqual([10_007_000]);
    });
  });

  it('reset() stops the counter at 0 and clears every register; the line falls', () => {
    const rig = makeRig();
    rig.w(TICCNT, 2);
    rig.w(RTCCON, TICEN);
    rig.clock.advanceTo(tick(2));
    rig.device.reset();
    expect([rig.r(RTCCON), rig.r(TICCNT), rig.r(INTP), rig.r(CURTICCNT), rig.device.tick.level]).toEqual([0, 0, 0, 0, false]);
    rig.clock.advanceTo(tick(100));
    expect(rig.expiries()).toEqual([tick(2)]);
  });

  it('options: a crystal input is optional; bad options are refused naming the option', () => {
    expect(() => new Exynos4210Rtc(new VirtualClock(), { xtal: 32_768 as never })).toThrow(DeviceConfigError);
    expect(() => new Exynos4210Rtc(new VirtualClock(), { xtal: 32_768 as never })).toThrow('Exynos4210Rtc(options.xtal)');
    expect(() => new Exynos4210Rtc(new VirtualClock(), { timing: 'fast' as never })).toThrow('Exynos4210Rtc(options.timing)');
    expect(() => new Exynos4210Rtc(new VirtualClock(), { calendar: true } as never)).toThrow('is not an option of Exynos4210Rtc');
  });

  describe('timing', () => {
    // 30 517.578125 ns a tick: 1000 ticks to the first interrupt, then 1001 a round.
    const run = (timing?: 'qemu') => {
      const rig = makeRig(timing === undefined ? {} : { timing });
      rig.w(TICCNT, 1_000);
      rig.w(RTCCON, TICEN);
      const first = rig.r(CURTICCNT);
      rig.clock.advanceTo(100_000_000);
      return { first, expiries: rig.expiries() };
    };

    it('exact (the default): CURTICCNT reads 1000 at the start; interrupt k at ⌊(1000 + 1001·(k - 1)) ticks⌋', () => {
      expect(run()).toEqual({ first: 1_000, expiries: [30_517_578, 61_065_673, 91_613_769] });
    });

    it("timing 'qemu': each countdown floored: 999 at the start, the third interrupt 1 ns early", () => {
      expect(run('qemu')).toEqual({ first: 999, expiries: [30_517_578, 61_065_673, 91_613_768] });
    });
  });

  describe('snapshot and restore', () => {
    const make = (clock: VirtualClock): { device: Exynos4210Rtc; irq: IrqSignal } => {
      const device = new Exynos4210Rtc(clock, { xtal: new ClockInput('xtal', 32_768) });
      return { device, irq: device.tick };
    };
    // Linux-like: a 1024 Hz tick (TICCNT 31), the handler clearing INTP, a frequency change, a stop and restart.
    const script: ScriptStep[] = [
      { at: 0, access: guestWrite(RTCCON, CTLEN, 2) },
      { at: 0, access: guestWrite(TICCNT, 31) },
      { at: 0, access: guestWrite(RTCCON, CTLEN | TICEN, 2) },
      ...[1, 2, 3, 4, 5, 6].map((k) => ({ at: k * 976_563 + 500, access: guestWrite(INTP, TIC, 1) })),
      ...Array.from({ length: 12 }, (_, i) => ({ at: 400_000 * i + 17, access: guestRead(i % 3 === 0 ? INTP : CURTICCNT) })),
      { at: 3_000_000, access: guestWrite(TICCNT, 15) },
      { at: 4_500_000, access: guestWrite(RTCCON, CTLEN | TICEN | TICCKSEL(2), 2) },
      { at: 5_200_000, access: guestWrite(RTCCON, CTLEN, 2) },
      { at: 6_000_000, access: guestRead(0x70, 1) },
      { at: 6_100_000, access: guestWrite(RTCCON, CTLEN | TICEN, 2) },
    ];

    it.each([0, 976_562, 976_563, 2_500_000, 3_000_001, 4_600_000, 5_500_000, 6_050_000])('continues from a snapshot at %i ns with an equal digest', (snapshotAt) => {
      const { original, restored } = continuationDigests(make, script, snapshotAt, 12_000_000);
      expect(restored).toBe(original);
    });

    it('is plain versioned data: the registers, the tick counter and the crystal rate', () => {
      const { device } = make(new VirtualClock());
      const s = JSON.parse(JSON.stringify(device.snapshot())) as Record<string, unknown>;
      expect(s).toMatchObject({ device: 'exynos4210-rtc', version: 1, xtalHz: 32_768, timer: { mode: 'stopped' } });
    });

    const running = (): Record<string, unknown> => {
      const clock = new VirtualClock();
      const { device } = make(clock);
      device.write(TICCNT, 4, 40);
      device.write(RTCCON, 4, TICEN);
      clock.advanceTo(500_000);
      return JSON.parse(JSON.stringify(device.snapshot())) as Record<string, unknown>;
    };
    const regs = (s: Record<string, unknown>): Record<string, number> => (s.registers as { registers: Record<string, number> }).registers;
    it.each<[string, (s: Record<string, unknown>) => void, string]>([
      ['another version', (s) => (s.version = 2), "'version'"],
      ['another crystal rate', (s) => (s.xtalHz = 32_000), "'xtalHz'"],
      ['TICEN cleared while counting', (s) => (regs(s).RTCCON = 0), "'timer.mode'"],
      ['a TICCNT the counter does not reload', (s) => (regs(s).TICCNT = 41), "'timer.limit'"],
      ['CURTICCNT storing the count', (s) => (regs(s).CURTICCNT = 24), "'registers.registers.CURTICCNT'"],
      ['the alarm pending', (s) => (regs(s).INTP = 2), "'registers.registers.INTP'"],
      ['a reserved RTCCON bit', (s) => (regs(s).RTCCON = TICEN | (1 << 12)), "'registers.registers.RTCCON'"],
      ['an extra field', (s) => (s.calendar = {}), "'calendar'"],
    ])('refuses %s at the field, changing nothing', (_name, edit, field) => {
      const s = running();
      edit(s);
      const clock = new VirtualClock({ start: 500_000 });
      const { device } = make(clock);
      device.write(TICCNT, 4, 77);
      const before = JSON.stringify(device.snapshot());
      expect(() => device.restore(s)).toThrow(RegisterSnapshotError);
      expect(() => device.restore(s)).toThrow(field);
      expect(JSON.stringify(device.snapshot())).toBe(before);
    });
  });
});
