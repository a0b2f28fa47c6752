// The Allwinner watchdog, register by register, for both layouts: the interval table, restarts
// (kick, enable), the timeout (pending bit, interrupt, reset request), one timeout per restart,
// reserved intervals, clock changes, reset, timing and options. HOSC is 24 MHz unless a test says
// otherwise: a tick (HOSC ÷ 750) is 31 250 ns, half a second 16 000 ticks. Titles start with the
// decision they pin (the device header's W-tags).
import { describe, expect, it } from 'vitest';
import { AllwinnerWdt, ALLWINNER_WDT_REGISTERS } from '../../../devices/allwinner-wdt';
import { ClockInput, DeviceConfigError, RegisterSnapshotError, VirtualClock } from '../../../index';
import { thrown } from '../../support/errors';
import { EN, HALF, INTERVALS_NS, KICK, makeRig, REGS, RST_EN, TICK } from './rig';

/** Not 0: nothing depends on the clock's first instant. */
const T0 = 1_000;

describe.each(['sun4i', 'sun6i'] as const)('AllwinnerWdt %s', (variant) => {
  const regs = REGS[variant];
  const started = (intv: number, options?: { reset?: boolean; irq?: boolean }) => {
    const rig = makeRig(variant);
    rig.clock.advanceTo(T0);
    rig.enable(intv, options);
    return rig;
  };

  it.each(INTERVALS_NS.map((ns, intv) => [intv, ns]))('W2: WDOG_INTV_VALUE %i times out exactly %i ns after the enable', (intv, ns) => {
    const rig = started(intv, { reset: true, irq: true });
    rig.clock.advanceTo(T0 + ns - 1);
    expect(rig.state()).toEqual([false, false, false]);
    rig.clock.advanceTo(T0 + ns);
    expect(rig.state()).toEqual([true, true, true]);
    expect(rig.timeouts()).toEqual([T0 + ns]);
  });

  it('W2: the countdown is ticks of HOSC ÷ 750: 16 000 per half-second (the probe), 480 ms at 25 MHz', () => {
    const rig = started(0);
    const counter = () => rig.device.probes[0]!.read();
    expect(rig.device.probes[0]!.name).toBe('counter');
    expect(counter()).toBe(16_000n);
    rig.clock.advanceTo(T0 + TICK);
    expect(counter()).toBe(16_000n); // a tick ends at its last ns: the count drops the ns after
    rig.clock.advanceTo(T0 + TICK + 1);
    expect(counter()).toBe(15_999n);
    rig.clock.advanceTo(T0 + HALF - 1);
    expect(counter()).toBe(1n);
    rig.clock.advanceTo(T0 + HALF);
    expect(counter()).toBe(0n);
    const fast = makeRig(variant, { hz: 25_000_000 });
    fast.clock.advanceTo(T0);
    fast.enable(0);
    fast.clock.advanceTo(T0 + 480_000_000);
    expect(fast.timeouts()).toEqual([T0 + 480_000_000]);
  });

  it('W3: a kick (the key and WDOG_RSTART) restarts the countdown from the full interval', () => {
    const rig = started(1); // 1 s
    rig.clock.advanceTo(T0 + 700_000_000);
    rig.kick();
    rig.clock.advanceTo(T0 + 1_699_999_999);
    expect(rig.timeouts()).toEqual([]);
    rig.clock.advanceTo(T0 + 1_700_000_000);
    expect(rig.timeouts()).toEqual([T0 + 1_700_000_000]);
  });

  it('W3: the key alone (WDOG_RSTART 0) restarts nothing', () => {
    const rig = started(0);
    rig.clock.advanceTo(T0 + 300_000_000);
    rig.w(regs.CTRL, KICK & ~1);
    rig.clock.advanceTo(T0 + HALF);
    expect(rig.timeouts()).toEqual([T0 + HALF]);
    expect(rig.events.filter((e) => e.kind !== 'expiry')).toEqual([]);
  });

  it('W3: a WDOG_MODE_REG write that keeps WDOG_EN changes the interval at the next restart only', () => {
    const rig = started(1); // 1 s
    rig.clock.advanceTo(T0 + 200_000_000);
    rig.w(regs.MODE, (0 << regs.INTV) | (rig.r(regs.MODE) & RST_EN) | EN); // 0.5 s, still enabled: no restart
    rig.clock.advanceTo(T0 + 1_000_000_000);
    expect(rig.timeouts()).toEqual([T0 + 1_000_000_000]);
    rig.clock.advanceTo(T0 + 1_200_000_000);
    rig.kick(); // the restart takes the new interval
    rig.clock.advanceTo(T0 + 2_000_000_000);
    expect(rig.timeouts()).toEqual([T0 + 1_000_000_000, T0 + 1_700_000_000]);
  });

  it('W3: WDOG_EN 1 -> 0 stops the countdown; 0 -> 1 restarts it from the full interval', () => {
    const rig = started(1);
    rig.clock.advanceTo(T0 + 600_000_000);
    rig.w(regs.MODE, 1 << regs.INTV); // disabled
    expect(rig.device.timer.mode).toBe('stopped');
    rig.clock.advanceTo(T0 + 2_000_000_000);
    expect(rig.timeouts()).toEqual([]);
    rig.w(regs.MODE, (1 << regs.INTV) | EN);
    rig.clock.advanceTo(T0 + 3_000_000_000);
    expect(rig.timeouts()).toEqual([T0 + 3_000_000_000]);
  });

  it('W3: a kick while WDOG_EN is 0 does nothing (the counter runs only while enabled)', () => {
    const rig = makeRig(variant);
    rig.w(regs.MODE, 0 << regs.INTV);
    rig.kick();
    expect(rig.device.timer.mode).toBe('stopped');
    rig.clock.advanceTo(10 * HALF);
    expect(rig.timeouts()).toEqual([]);
    expect(rig.events).toEqual([]);
  });

  it('W4: a WDOG_CTRL_REG write without the key restarts nothing and is a `locked` guest error', () => {
    const rig = started(0);
    rig.clock.advanceTo(T0 + 300_000_000);
    rig.w(regs.CTRL, 1); // RSTART without the key
    rig.w(regs.CTRL, (0xa56 << 1) | 1); // a wrong key
    expect(rig.events.map((e) => (e.kind === 'guest-error' ? e.reason : e.kind))).toEqual(['locked', 'locked']);
    rig.clock.advanceTo(T0 + HALF);
    expect(rig.timeouts()).toEqual([T0 + HALF]);
  });

  it('W5: the timeout sets the pending bit whatever the interrupt enable; the line follows the enable; writing 1 clears it', () => {
    const rig = started(0);
    rig.clock.advanceTo(T0 + HALF);
    expect(rig.state()).toEqual([true, false, false]); // pending, interrupt disabled, no reset configured
    rig.w(regs.IRQ_EN, regs.BIT);
    expect(rig.device.irq.level).toBe(true);
    rig.w(regs.IRQ_EN, 0);
    expect(rig.device.irq.level).toBe(false);
    rig.w(regs.IRQ_EN, regs.BIT);
    rig.w(regs.IRQ_STA, 0); // a 0 keeps it
    expect(rig.state()).toEqual([true, true, false]);
    rig.w(regs.IRQ_STA, regs.BIT);
    expect(rig.state()).toEqual([false, false, false]);
  });

  it('W6: one timeout per restart: nothing more until a kick, which gives exactly one more', () => {
    const rig = started(0, { irq: true });
    rig.clock.advanceTo(T0 + 10 * HALF);
    expect(rig.timeouts()).toEqual([T0 + HALF]);
    expect(rig.device.timer.mode).toBe('stopped');
    rig.w(regs.IRQ_STA, regs.BIT);
    rig.kick();
    rig.clock.advanceTo(T0 + 20 * HALF);
    expect(rig.timeouts()).toEqual([T0 + HALF, T0 + 11 * HALF]);
  });

  it('W7: the reset request stays high through clears, kicks and a disable; reset() lowers it and clears every register', () => {
    const rig = started(0, { reset: true, irq: true });
    rig.clock.advanceTo(T0 + HALF);
    expect(rig.state()).toEqual([true, true, true]);
    rig.w(regs.IRQ_STA, regs.BIT);
    rig.kick();
    rig.w(regs.MODE, 0);
    expect(rig.state()).toEqual([false, false, true]);
    rig.device.reset();
    expect(rig.state()).toEqual([false, false, false]);
    for (const r of rig.device.registers) expect(rig.r(r.offset), r.name).toBe(0);
    expect(rig.device.timer.mode).toBe('stopped');
    expect(rig.device.timer.getLimit()).toBe(0n);
  });

  it('W8: a reserved interval is stored, read back and reported; a restart with it holds the counter at 0; a valid one restarts it', () => {
    const rig = started(0);
    rig.clock.advanceTo(T0 + 100_000_000);
    rig.w(regs.MODE, 0); // disable, then enable with interval 12 (reserved)
    rig.w(regs.MODE, (12 << regs.INTV) | EN);
    expect(rig.r(regs.MODE)).toBe((12 << regs.INTV) | EN);
    expect(rig.events).toEqual([
      {
        kind: 'unimplemented',
        time: T0 + 100_000_000,
        source: rig.device.name,
        offset: regs.MODE,
        feature: 'WDOG_MODE_REG.WDOG_INTV_VALUE=12 (reserved interval: the counter holds)',
      },
    ]);
    expect([rig.device.timer.mode, rig.device.timer.getCount()]).toEqual(['stopped', 0n]);
    rig.kick(); // still reserved: still held
    rig.clock.advanceTo(T0 + 100 * HALF);
    expect(rig.timeouts()).toEqual([]);
    rig.w(regs.MODE, (15 << regs.INTV) | EN); // another reserved value, still enabled: reported again
    expect(rig.events.filter((e) => e.kind === 'unimplemented')).toHaveLength(2);
    rig.w(regs.MODE, (0 << regs.INTV) | EN); // valid, but WDOG_EN stays 1: no restart (W3)
    rig.kick();
    rig.clock.advanceTo(T0 + 101 * HALF);
    expect(rig.timeouts()).toEqual([T0 + 101 * HALF]);
  });

  it('W9: WDOG_CTRL_REG stores nothing: it reads 0 after a kick', () => {
    const rig = started(0);
    rig.kick();
    expect(rig.r(regs.CTRL)).toBe(0);
    expect(rig.device.snapshot().registers.registers['WDOG_CTRL_REG']).toBe(0);
    expect(rig.events).toEqual([]);
  });

  it('W10: HOSC at 0 Hz freezes the countdown; running again, it continues with the ticks left and a fresh tick', () => {
    const rig = started(0);
    rig.clock.advanceTo(T0 + 100 * TICK + 7); // 15 900 ticks left, 7 ns into the next
    rig.hosc.setHz(0);
    expect([rig.device.timer.mode, rig.device.timer.getCount()]).toEqual(['stopped', 15_900n]);
    rig.clock.advanceTo(T0 + 10 * HALF);
    expect(rig.timeouts()).toEqual([]);
    rig.hosc.setHz(24_000_000);
    rig.clock.advanceTo(T0 + 10 * HALF + 15_900 * TICK);
    expect(rig.timeouts()).toEqual([T0 + 10 * HALF + 15_900 * TICK]);
  });

  it('W10: a HOSC rate change re-times the ticks left with a fresh tick (48 MHz: 15 625 ns a tick)', () => {
    const rig = started(0);
    const at = T0 + 1_000 * TICK + 1; // 15 000 ticks left, 1 ns into the next: that ns is lost
    rig.clock.advanceTo(at);
    rig.hosc.setHz(48_000_000);
    rig.clock.advanceTo(at + 15_000 * 15_625);
    expect(rig.timeouts()).toEqual([at + 15_000 * 15_625]);
  });

  it('W10: a HOSC change while disabled, or after the timeout, starts nothing', () => {
    const rig = makeRig(variant);
    rig.hosc.setHz(12_000_000);
    expect(rig.device.timer.mode).toBe('stopped');
    rig.enable(0);
    rig.clock.advanceTo(2 * HALF);
    rig.hosc.setHz(0);
    rig.hosc.setHz(24_000_000);
    rig.clock.advanceTo(10 * HALF);
    expect(rig.timeouts()).toEqual([2 * HALF]);
  });

  it('W12: every register resets to 0; enabled without more, the watchdog times out with no reset and no interrupt', () => {
    const rig = makeRig(variant);
    for (const r of rig.device.registers) expect(rig.r(r.offset), r.name).toBe(0);
    rig.w(regs.MODE, EN); // 0.5 s
    rig.clock.advanceTo(HALF);
    expect(rig.state()).toEqual([true, false, false]);
  });

  it("Timing: exact (default) times a 0.5 s timeout at 24 MHz exactly; 'qemu' 1 ns early (the tick at 2^-32 ns, floored)", () => {
    const exact = makeRig(variant);
    const qemu = makeRig(variant, { timing: 'qemu' });
    for (const rig of [exact, qemu]) {
      rig.enable(0);
      rig.clock.advanceTo(4 * HALF);
    }
    expect(exact.timeouts()).toEqual([HALF]);
    expect(qemu.timeouts()).toEqual([HALF - 1]);
  });

  it('the interrupt is computed in one place: the line is pending && enable after every access and timeout', () => {
    const rig = started(0, { irq: true });
    const levels: boolean[] = [];
    rig.device.irq.watch((level) => levels.push(level));
    rig.clock.advanceTo(T0 + HALF);
    rig.w(regs.IRQ_STA, regs.BIT);
    expect(levels).toEqual([true, false]); // changes only
  });

  it("snapshots: a snapshot of the other variant is refused at `variant`, nothing changes", () => {
    const other = variant === 'sun4i' ? 'sun6i' : 'sun4i';
    const rig = started(0);
    const mine = JSON.stringify(rig.device.snapshot());
    const theirs = new AllwinnerWdt(new VirtualClock({ start: T0 }), { variant: other, name: rig.device.name }).snapshot();
    const error = thrown(() => rig.device.restore(JSON.parse(JSON.stringify(theirs))));
    expect(error).toBeInstanceOf(RegisterSnapshotError);
    expect((error as RegisterSnapshotError).field).toBe('variant');
    expect(JSON.stringify(rig.device.snapshot())).toBe(mine);
  });

  it('snapshots: a timed-out watchdog with its reset request restores exactly into a fresh one', () => {
    const rig = started(2, { reset: true, irq: true });
    rig.clock.advanceTo(T0 + 5 * HALF);
    const snapshot = JSON.parse(JSON.stringify(rig.device.snapshot())) as unknown;
    const fresh = makeRig(variant, { clock: new VirtualClock({ start: T0 + 5 * HALF }) });
    fresh.device.restore(snapshot);
    expect(fresh.device.snapshot()).toEqual(snapshot);
    expect(fresh.state()).toEqual([true, true, true]);
  });

  it('the default name, lines and clock', () => {
    const clock = new VirtualClock();
    const device = new AllwinnerWdt(clock, { variant });
    expect(device.name).toBe(`allwinner-${variant}-wdt`);
    expect(device.hosc.hz).toBe(24_000_000);
    expect(device.lines).toEqual({ irq: device.irq, reset: device.resetRequest });
    expect([device.irq.name, device.resetRequest.name]).toEqual([`allwinner-${variant}-wdt.irq`, `allwinner-${variant}-wdt.reset`]);
    expect(device.registers.map((r) => r.name)).toEqual(ALLWINNER_WDT_REGISTERS[variant].registers.map((r) => r.name));
  });
});

describe('AllwinnerWdt sun6i: WDOG_CFG_REG (W5)', () => {
  it.each([
    [0b00, 'reserved, the reset value', false],
    [0b01, 'to whole system', true],
    [0b10, 'only interrupt', false],
    [0b11, 'reserved', false],
  ])('W5: WDOG_CONFIG %i (%s): the timeout sets the pending bit; reset requested: %s', (config, _what, reset) => {
    const rig = makeRig('sun6i');
    rig.w(REGS.sun6i.IRQ_EN, 1);
    rig.w(REGS.sun6i.CFG, config);
    rig.w(REGS.sun6i.MODE, EN);
    rig.clock.advanceTo(HALF);
    expect(rig.state()).toEqual([true, true, reset]);
  });

  it('W5: WDOG_CONFIG is read at the timeout: set to 01 mid-countdown, the timeout resets; cleared before it, none', () => {
    const late = makeRig('sun6i');
    late.w(REGS.sun6i.MODE, EN);
    late.clock.advanceTo(HALF - 1);
    late.w(REGS.sun6i.CFG, 0b01);
    late.clock.advanceTo(HALF);
    expect(late.device.resetRequest.level).toBe(true);
    const undone = makeRig('sun6i');
    undone.enable(0, { reset: true });
    undone.clock.advanceTo(HALF - 1);
    undone.w(REGS.sun6i.CFG, 0b10);
    undone.clock.advanceTo(HALF);
    expect(undone.state()).toEqual([true, false, false]);
  });

  it('reserved bits read 0 and ignore writes, without an event', () => {
    const rig = makeRig('sun6i');
    rig.w(0x00, 0xffff_fffe);
    rig.w(0x04, 0xffff_fffe);
    rig.w(0x14, 0xffff_fffc);
    rig.w(0x18, 0xffff_ff0e); // all but WDOG_EN and WDOG_INTV_VALUE
    expect([rig.r(0x00), rig.r(0x04), rig.r(0x14), rig.r(0x18)]).toEqual([0, 0, 0, 0]);
    expect(rig.events).toEqual([]);
  });
});

describe('AllwinnerWdt sun4i: WDOG_RST_EN and the shared timer IRQ registers (W1, W5)', () => {
  it('W5: WDOG_RST_EN requests the reset; without it the timeout only sets WDOG_IRQ_PEND (bit 8 of TMR_IRQ_STA_REG)', () => {
    const quiet = makeRig('sun4i');
    quiet.w(0x00, 1 << 8);
    quiet.w(0x94, EN);
    quiet.clock.advanceTo(HALF);
    expect([quiet.r(0x04), quiet.device.irq.level, quiet.device.resetRequest.level]).toEqual([1 << 8, true, false]);
    const resetting = makeRig('sun4i');
    resetting.w(0x94, RST_EN | EN);
    resetting.clock.advanceTo(HALF);
    expect([resetting.r(0x04), resetting.device.irq.level, resetting.device.resetRequest.level]).toEqual([1 << 8, false, true]);
  });

  it('W5: WDOG_RST_EN is read at the timeout: cleared just before it, no reset', () => {
    const rig = makeRig('sun4i');
    rig.w(0x94, RST_EN | EN);
    rig.clock.advanceTo(HALF - 1);
    rig.w(0x94, EN);
    rig.clock.advanceTo(HALF);
    expect(rig.state()).toEqual([true, false, false]);
  });

  it('W1: the timers bits of TMR_IRQ_EN/STA read 0; a 1 written to them is reported, and changes nothing of the watchdog', () => {
    const rig = makeRig('sun4i');
    rig.w(0x00, 0x13f); // the six timers and the watchdog
    rig.w(0x04, 0x3f); // a timer driver's acknowledge
    expect([rig.r(0x00), rig.r(0x04)]).toEqual([1 << 8, 0]);
    expect(rig.events.map((e) => (e.kind === 'unimplemented' ? e.feature : e.kind))).toEqual(['TMR_IRQ_EN_REG[5:0]', 'TMR_IRQ_STA_REG[5:0]']);
  });

  it('reserved bits read 0 and ignore writes, without an event', () => {
    const rig = makeRig('sun4i');
    rig.w(0x00, 0xffff_fec0);
    rig.w(0x04, 0xffff_fec0);
    rig.w(0x94, 0xffff_ff84);
    expect([rig.r(0x00), rig.r(0x04), rig.r(0x94)]).toEqual([0, 0, 0]);
    expect(rig.events).toEqual([]);
  });
});

describe('AllwinnerWdt options', () => {
  const clock = new VirtualClock();
  it.each<[string, unknown, string]>([
    ['no variant', {}, 'AllwinnerWdt(options.variant)'],
    ['an unknown variant', { variant: 'sun5i' }, 'AllwinnerWdt(options.variant)'],
    ['a hosc that is not a ClockInput', { variant: 'sun6i', hosc: 24_000_000 }, 'AllwinnerWdt(options.hosc)'],
    ['an empty name', { variant: 'sun6i', name: '' }, 'AllwinnerWdt(options.name)'],
    ['an unknown delivery', { variant: 'sun6i', delivery: 'later' }, 'AllwinnerWdt(options.delivery)'],
    ['an unknown timing', { variant: 'sun6i', timing: 'fast' }, 'AllwinnerWdt(options.timing)'],
    ['an unknown option', { variant: 'sun6i', key: 0xa57 }, 'AllwinnerWdt(options.key)'],
  ])('%s is a DeviceConfigError naming the option', (_name, options, where) => {
    const error = thrown(() => new AllwinnerWdt(clock, options as never));
    expect(error).toBeInstanceOf(DeviceConfigError);
    expect((error as Error).message.startsWith(`${where}: `)).toBe(true);
  });

  it('the given HOSC input is used and watched; dispose() lets go of it', () => {
    const hosc = new ClockInput('board.hosc', 12_000_000);
    const device = new AllwinnerWdt(clock, { variant: 'sun6i', hosc, name: 'wdt1' });
    expect(device.hosc).toBe(hosc);
    device.write(0x18, 4, EN);
    expect(device.timer.deadline).toBe(BigInt(clock.now() + 2 * HALF)); // half the rate: twice the time
    device.dispose();
    hosc.setHz(24_000_000);
    expect(clock.pending).toBe(0);
  });
});
