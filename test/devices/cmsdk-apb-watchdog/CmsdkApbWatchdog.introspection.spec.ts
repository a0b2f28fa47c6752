// The CMSDK APB watchdog's introspection members (Device.lines, probes, registers): the lines are
// WDOGINT (`irq`) and WDOGRES, the probe reads what a guest read of WDOGVALUE returns at that
// instant without being an access, and the register list is the map's. WDOGCLK is 25 MHz (40 ns
// per tick); WDOGLOAD = 4 raises WDOGINT at 4 ticks (160 ns) and, unserviced, requests a reset and
// halts the counter at the next zero, 5 ticks later (A1, A4).
import { describe, expect, it } from 'vitest';
import { CMSDK_APB_WATCHDOG_REGISTERS, type CmsdkApbWatchdog } from '../../../devices/cmsdk-apb-watchdog';
import { INTEN, makeRig, RESEN, TICK, WDOGCONTROL, WDOGINTCLR, WDOGLOAD, WDOGRIS, WDOGVALUE } from './rig';

const rig = () => {
  const base = makeRig();
  const levels: string[] = [];
  for (const [key, line] of Object.entries(base.device.lines)) line.level$.subscribe((l) => levels.push(`${base.clock.now()} ${key}=${l}`));
  return { ...base, levels };
};
type Rig = ReturnType<typeof rig>;

/** Each probe's value now, by name. */
const probed = (device: CmsdkApbWatchdog): Record<string, bigint> => Object.fromEntries(device.probes.map((p) => [p.name, p.read()]));

/** What a guest read of WDOGVALUE returns now, keyed like the probe. */
const guest = ({ r }: Rig): Record<string, bigint> => ({ value: BigInt(r(WDOGVALUE)) });

/** Everything a probe read could disturb: the device's state, its events and lines, the clock's queue. */
const world = ({ clock, device, events, levels }: Rig) => ({
  snapshot: device.snapshot(),
  events: events.length,
  levels: levels.length,
  pending: clock.pending,
  scheduled: clock.scheduledCount,
  next: clock.nextDeadline(),
});

const program = ({ w }: Rig): void => {
  w(WDOGLOAD, 4);
  w(WDOGCONTROL, INTEN | RESEN);
};

describe('CmsdkApbWatchdog introspection', () => {
  it('lines: exactly wdogint and wdogres, each the public member itself (wdogint is irq)', () => {
    const { device } = rig();
    expect(Object.keys(device.lines)).toEqual(['wdogint', 'wdogres']);
    expect(device.lines.wdogint).toBe(device.irq);
    expect(device.lines.wdogres).toBe(device.wdogres);
    expect(Object.isFrozen(device.lines)).toBe(true);
  });

  it('probes: value, 32 bits wide, fixed at construction', () => {
    const { device } = rig();
    expect(device.probes.map((p) => [p.name, p.width])).toEqual([['value', 32]]);
    expect(Object.isFrozen(device.probes)).toBe(true);
    expect(device.probes.every((p) => Object.isFrozen(p))).toBe(true);
  });

  it('the probe reads what the guest reads from WDOGVALUE: after reset, running, at and after each zero, halted, reloaded', () => {
    const rg = rig();
    const { clock, device, r, w } = rg;
    expect(probed(device)).toEqual({ value: 0xffff_ffffn }); // stopped at WDOGLOAD's reset value
    // A read ordered before the first zero at 160 ns (queued before the counter is armed) sees 1.
    const beforeStep: Record<string, bigint>[] = [];
    clock.schedule(() => beforeStep.push(probed(device), guest(rg)), 4 * TICK);
    program(rg);
    for (const t of [0, 1, TICK, TICK + 1, 3 * TICK + 20, 4 * TICK - 1, 4 * TICK, 4 * TICK + 1, 5 * TICK, 5 * TICK + 1, 8 * TICK + 1]) {
      clock.advanceTo(t);
      expect(probed(device), `at ${t} ns`).toEqual(guest(rg));
    }
    expect(beforeStep).toEqual([{ value: 1n }, { value: 1n }]);
    expect(r(WDOGRIS)).toBe(1);
    // The second zero at 9 ticks, unserviced: reset requested, the counter halts at 0.
    for (const t of [9 * TICK, 9 * TICK + 1, 30 * TICK]) {
      clock.advanceTo(t);
      expect(probed(device), `at ${t} ns`).toEqual(guest(rg));
      expect(probed(device)).toEqual({ value: 0n });
    }
    expect(device.wdogres.level).toBe(true);
    // WDOGINTCLR reloads and restarts the count (A3).
    w(WDOGINTCLR, 1);
    for (const t of [30 * TICK, 30 * TICK + 1, 31 * TICK + 1, 32 * TICK + 17]) {
      clock.advanceTo(t);
      expect(probed(device), `at ${t} ns`).toEqual(guest(rg));
    }
    expect(probed(device)).toEqual({ value: 2n });
  });

  it('reading the probes has no side effect: same snapshot, no event, no line change, nothing scheduled', () => {
    const rg = rig();
    const { clock, device } = rg;
    program(rg);
    for (const t of [0, TICK + 1, 4 * TICK, 4 * TICK + 1, 9 * TICK, 9 * TICK + 1, 100 * TICK + 3]) {
      clock.advanceTo(t);
      const before = world(rg);
      for (let i = 0; i < 100; i++) for (const p of device.probes) p.read();
      expect(world(rg), `at ${t} ns`).toEqual(before);
    }
  });

  it('a device whose probe is read at every step, also inside its line subscribers, behaves exactly like one never probed', () => {
    const plain = rig();
    const probedRig = rig();
    const seen: Record<string, bigint>[] = [];
    for (let k = 0; k <= 20; k++) {
      for (const t of [k * TICK - 1, k * TICK, k * TICK + 1, k * TICK + TICK / 2]) {
        if (t >= 0) probedRig.clock.schedule(() => seen.push(probed(probedRig.device)), t);
      }
    }
    for (const line of Object.values(probedRig.device.lines)) line.level$.subscribe(() => seen.push(probed(probedRig.device)));
    for (const rg of [plain, probedRig]) {
      program(rg);
      rg.clock.advanceTo(6 * TICK + 1);
      rg.w(WDOGINTCLR, 1); // serviced once: the next zero is a fresh interrupt, the one after it a reset
      rg.clock.advanceTo(20 * TICK);
    }
    expect(seen.length).toBeGreaterThan(80);
    expect(plain.device.wdogres.level).toBe(true);
    expect(probedRig.events).toEqual(plain.events);
    expect(probedRig.levels).toEqual(plain.levels);
    expect(probedRig.device.snapshot()).toEqual(plain.device.snapshot());
    expect(guest(probedRig)).toEqual(guest(plain));
  });

  it('registers: the full CMSDK_APB_WATCHDOG_REGISTERS list in map order, with offsets and sizes in bytes', () => {
    const { device } = rig();
    expect(device.registers).toEqual(
      CMSDK_APB_WATCHDOG_REGISTERS.registers.map((reg) => ({ name: reg.name, offset: reg.offset, size: reg.bytes })),
    );
    const byName = new Map(device.registers.map((reg) => [reg.name, reg]));
    expect(byName.get('WDOGLOAD')).toEqual({ name: 'WDOGLOAD', offset: 0x000, size: 4 });
    expect(byName.get('WDOGVALUE')).toEqual({ name: 'WDOGVALUE', offset: 0x004, size: 4 });
    expect(byName.get('WDOGLOCK')).toEqual({ name: 'WDOGLOCK', offset: 0xc00, size: 4 });
    expect(byName.get('WDOGITOP')).toEqual({ name: 'WDOGITOP', offset: 0xf04, size: 4 });
    expect(Object.isFrozen(device.registers)).toBe(true);
    expect(rig().device.registers).toBe(device.registers); // computed once, shared by every instance
  });
});
