// The catalogue checks (test/support/deviceHarness.ts) on both layouts of the Allwinner watchdog:
// the G1 read sweep around a timeout (W13), snapshot continuation, and random accesses with
// clock changes; and the race at system level, through the catalogue recipe.
//
// The watchdog has no counter register: in the sweep the read pair is the model's own countdown
// (the `counter` probe, read without an access), which stands for what the guest knows by its
// own clock, that the timeout instant has come, and the pending bit the guest reads. The race
// is between the timeout and that read.
import { describe, expect, it } from 'vitest';
import { AllwinnerWdt } from '../../../devices/allwinner-wdt';
import { waitUntil } from '../../../operators/driverCommands';
import { ClockInput, guestRead, guestWrite, VirtualClock, type TriggerDelivery } from '../../../index';
import { System } from '../../../system';
import { deviceType } from '../../../system/catalogue';
import { relocate } from '../../../system/programs/relocate';
import { continuationDigests, fuzzDevice, sweepRace, type RaceProbe, type ScriptStep } from '../../support/deviceHarness';
import { EN, HALF, HOSC_HZ, KICK, REGS, RST_EN, TICK } from './rig';

const SPAN = 3;

describe.each(['sun4i', 'sun6i'] as const)('AllwinnerWdt %s against the catalogue checks', (variant) => {
  const regs = REGS[variant];
  const device = (clock: VirtualClock, delivery: TriggerDelivery): AllwinnerWdt =>
    new AllwinnerWdt(clock, { variant, hosc: new ClockInput('hosc', HOSC_HZ), delivery });

  /** Enabled at 0 with 0.5 s: the timeout at HALF. */
  const firstTimeout = (clock: VirtualClock, delivery: TriggerDelivery): RaceProbe => {
    const d = device(clock, delivery);
    return {
      expiry: HALF,
      start: () => d.write(regs.MODE, 4, EN),
      readPair: () => [Number(d.probes[0]!.read()), (d.read(regs.IRQ_STA, 4) & regs.BIT) !== 0],
      // The countdown reads 1 until the timeout (also at its instant, read before it), then 0.
      showsExpiry: (counter) => counter === 0,
    };
  };

  it('W13 G1: synchronous delivery: no read sees the countdown at 0 and the pending bit clear, or the reverse', () => {
    const r = sweepRace(firstTimeout, 'sync', SPAN);
    expect(r.reads).toBe(2 * (2 * SPAN + 1));
    expect(r.where).toEqual([]);
  });

  it('W13: legacy bottom half: the read queued right after the timeout at its instant sees the pending bit still clear', () => {
    expect(sweepRace(firstTimeout, 'bottom-half', SPAN).where).toEqual(['E+0 after']);
  });

  describe('a snapshot mid-run continues in a fresh system with the same digest', () => {
    // A Linux-like run: 1 s with the reset, kicks, a late kick (a timeout), the pending bit
    // cleared, an interval change, a disable, a re-enable with a reserved interval, a valid one,
    // and bad accesses (a keyless kick, a byte access, a hole).
    const mode = (intv: number, bits: number) => (intv << regs.INTV) | bits;
    const resetSetup: ScriptStep[] = variant === 'sun6i' ? [{ at: 0, access: guestWrite(regs.CFG, 1) }] : [];
    const resetBit = variant === 'sun4i' ? RST_EN : 0;
    const script: ScriptStep[] = [
      { at: 0, access: guestWrite(regs.IRQ_EN, regs.BIT) },
      ...resetSetup,
      { at: 0, access: guestWrite(regs.MODE, mode(1, resetBit | EN)) },
      ...Array.from({ length: 5 }, (_, i) => ({ at: 400_000_000 * (i + 1), access: guestWrite(regs.CTRL, KICK) })),
      // The last kick at 2 s: a timeout at 3 s.
      { at: 3_500_000_000, access: guestRead(regs.IRQ_STA) },
      { at: 3_600_000_000, access: guestWrite(regs.IRQ_STA, regs.BIT) },
      { at: 3_700_000_000, access: guestWrite(regs.MODE, mode(0, resetBit | EN)) },
      { at: 3_800_000_000, access: guestWrite(regs.CTRL, KICK) },
      { at: 4_000_000_000, access: guestWrite(regs.CTRL, 1) },
      { at: 4_100_000_000, access: guestRead(regs.MODE, 1) },
      { at: 4_200_000_000, access: guestRead(0x1c) },
      { at: 4_250_000_000, access: guestWrite(regs.MODE, 0) },
      { at: 5_000_000_000, access: guestWrite(regs.MODE, mode(13, EN)) },
      { at: 6_000_000_000, access: guestWrite(regs.MODE, 0) },
      { at: 6_000_000_000, access: guestWrite(regs.MODE, mode(2, EN)) },
    ];
    const make = (clock: VirtualClock) => {
      const d = device(clock, 'sync');
      return { device: d, irq: d.irq };
    };
    it.each([
      ['before anything runs', 0],
      ['mid-countdown, kicked', 1_234_567_891],
      ['at the timeout (after it)', 3_000_000_000],
      ['timed out, pending', 3_500_000_000],
      ['restarted with 0.5 s', 3_900_000_000],
      ['disabled', 4_500_000_000],
      ['holding on a reserved interval', 5_500_000_000],
      ['restarted with 2 s', 6_000_000_001],
    ])('%s (%i ns)', (_name, at) => {
      const { original, restored } = continuationDigests(make, script, at, 9_000_000_000);
      expect(restored).toBe(original);
    });
  });

  it('random accesses, instants and clock changes: nothing throws, the line equals pending && enable, runs are deterministic', () => {
    fuzzDevice(
      (clock) => {
        const hosc = new ClockInput('hosc', HOSC_HZ);
        const d = new AllwinnerWdt(clock, { variant, hosc });
        return {
          device: d,
          irq: d.irq,
          clocks: [hosc],
          irqFromRegisters: () => {
            const r = d.snapshot().registers.registers;
            const names = variant === 'sun4i' ? ['TMR_IRQ_EN_REG', 'TMR_IRQ_STA_REG'] : ['WDOG_IRQ_EN_REG', 'WDOG_IRQ_STA_REG'];
            return (r[names[0]!]! & r[names[1]!]! & regs.BIT) !== 0;
          },
        };
      },
      {
        offsets: [regs.IRQ_EN, regs.IRQ_STA, regs.CTRL, regs.CFG, regs.MODE, 0x10, 0x100],
        region: 0x200,
        maxAdvance: 600_000_000,
        hzChoices: [0, 1, 32_768, 12_000_000, 24_000_000, 25_000_000],
        values: [KICK, EN, EN | RST_EN, regs.BIT, 1, 0x10 | EN, 0x8 | EN, 0xf0, 0x78, 0],
        sizes: [4, 4, 4, 1],
        runs: 200,
      },
    );
  });

  it('W13 at system level, through the catalogue recipe: a status read at the timeout instant sees it only after its work, under sync; never under a bottom half', () => {
    const type = deviceType(`allwinner-${variant}-wdt`);
    const channel = type.channels[0]!;
    const ticks = channel.minTicks;
    const read = (delivery: TriggerDelivery) => {
      const system = new System();
      const hosc = new ClockInput('dut.hosc', HOSC_HZ);
      system.addDevice(type.create(system.clock, { name: 'dut', clocks: { hosc }, delivery }), { base: 0x4000_0000 });
      const expiry = 1_000 + HALF; // ticks = 12 000 000 HOSC cycles: 0.5 s
      const seen: Record<string, boolean> = {};
      const status = guestRead(0x4000_0000 + channel.status.offset, 4);
      // Added first: its wake-up at the instant is queued before the watchdog arms for it.
      system.addGuest('early', function* () {
        yield waitUntil(expiry);
        seen['before'] = ((yield status) ?? 0) !== 0;
      });
      system.addGuest('driver', function* () {
        yield waitUntil(1_000);
        for (const a of channel.start(ticks)) yield relocate(0x4000_0000, a);
      });
      system.addGuest('late', function* () {
        yield waitUntil(expiry - 1); // after the arm: its wake-up at the instant is queued behind the timeout
        yield waitUntil(expiry);
        seen['after'] = ((yield status) ?? 0) !== 0;
        yield waitUntil(expiry + TICK);
        seen['a tick later'] = ((yield status) ?? 0) !== 0;
      });
      system.run(expiry + 2 * TICK);
      expect(system.trace.of('expiry').map((e) => e.time)).toEqual([expiry]);
      return seen;
    };
    expect(read('sync')).toEqual({ before: false, after: true, 'a tick later': true });
    expect(read('bottom-half')).toEqual({ before: false, after: false, 'a tick later': true }); // the stale read
  });
});
