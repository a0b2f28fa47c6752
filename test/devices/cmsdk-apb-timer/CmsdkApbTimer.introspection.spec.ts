// The CMSDK APB timer's introspection members (Device.lines, probes, registers): the line is
// TIMERINT (`irq`), the probe reads what a guest read of VALUE returns at that instant without
// being an access, and the register list is the map's. PCLK is 25 MHz (40 ns per cycle); RELOAD
// = 4 steps 1 -> 0 at 4 cycles (160 ns), then every RELOAD + 1 = 5 cycles (A1).
import { describe, expect, it } from 'vitest';
import { CMSDK_APB_TIMER_REGISTERS, type CmsdkApbTimer } from '../../../devices/cmsdk-apb-timer';
import { CTRL, EN, INTCLEAR, INTSTATUS, IRQEN, makeRig, RELOAD, TICK, VALUE } from './rig';

const rig = () => {
  const base = makeRig();
  const levels: string[] = [];
  for (const [key, line] of Object.entries(base.device.lines)) line.level$.subscribe((l) => levels.push(`${base.clock.now()} ${key}=${l}`));
  return { ...base, levels };
};
type Rig = ReturnType<typeof rig>;

/** Each probe's value now, by name. */
const probed = (device: CmsdkApbTimer): Record<string, bigint> => Object.fromEntries(device.probes.map((p) => [p.name, p.read()]));

/** What a guest read of VALUE returns now, keyed like the probe. */
const guest = ({ r }: Rig): Record<string, bigint> => ({ value: BigInt(r(VALUE)) });

/** Everything a probe read could disturb: the device's state, its events and line, the clock's queue. */
const world = ({ clock, device, events, levels }: Rig) => ({
  snapshot: device.snapshot(),
  events: events.length,
  levels: levels.length,
  pending: clock.pending,
  scheduled: clock.scheduledCount,
  next: clock.nextDeadline(),
});

const program = ({ w }: Rig): void => {
  w(RELOAD, 4);
  w(CTRL, EN | IRQEN);
};

describe('CmsdkApbTimer introspection', () => {
  it('lines: exactly timerint, the public irq member itself', () => {
    const { device } = rig();
    expect(Object.keys(device.lines)).toEqual(['timerint']);
    expect(device.lines.timerint).toBe(device.irq);
    expect(Object.isFrozen(device.lines)).toBe(true);
  });

  it('probes: value, 32 bits wide, fixed at construction', () => {
    const { device } = rig();
    expect(device.probes.map((p) => [p.name, p.width])).toEqual([['value', 32]]);
    expect(Object.isFrozen(device.probes)).toBe(true);
    expect(device.probes.every((p) => Object.isFrozen(p))).toBe(true);
  });

  it('the probe reads what the guest reads from VALUE: running, at and after the 1 -> 0 step, stopped', () => {
    const rg = rig();
    const { clock, device, r, w } = rg;
    expect(probed(device)).toEqual(guest(rg));
    // A read ordered before the 1 -> 0 step at 160 ns (queued before the counter is armed) sees 1 (A9).
    const beforeStep: Record<string, bigint>[] = [];
    clock.schedule(() => beforeStep.push(probed(device), guest(rg)), 4 * TICK);
    program(rg);
    for (const t of [0, 1, TICK, TICK + 1, 2 * TICK + 20, 4 * TICK - 1, 4 * TICK, 4 * TICK + 1, 5 * TICK, 5 * TICK + 1, 9 * TICK, 11 * TICK + 7]) {
      clock.advanceTo(t);
      expect(probed(device), `at ${t} ns`).toEqual(guest(rg));
    }
    expect(beforeStep).toEqual([{ value: 1n }, { value: 1n }]);
    clock.advanceTo(14 * TICK); // the third 1 -> 0 step (4 + 5 + 5 cycles)
    expect(probed(device)).toEqual({ value: 0n });
    expect(r(INTSTATUS)).toBe(1);
    clock.advanceTo(15 * TICK + 1); // reloaded
    expect(probed(device)).toEqual({ value: 4n });
    // EN cleared at 16.5 cycles: VALUE freezes (A11), and the probe with it.
    clock.advanceTo(16 * TICK + TICK / 2);
    w(CTRL, IRQEN);
    for (const t of [17 * TICK, 17 * TICK + 1, 100 * TICK]) {
      clock.advanceTo(t);
      expect(probed(device), `at ${t} ns`).toEqual(guest(rg));
      expect(r(VALUE)).toBe(3);
    }
  });

  it('reading the probes has no side effect: same snapshot, no event, no line change, nothing scheduled', () => {
    const rg = rig();
    const { clock, device } = rg;
    program(rg);
    for (const t of [0, TICK + 1, 4 * TICK, 4 * TICK + 1, 5 * TICK + 1, 9 * TICK, 100 * TICK + 3]) {
      clock.advanceTo(t);
      const before = world(rg);
      for (let i = 0; i < 100; i++) for (const p of device.probes) p.read();
      expect(world(rg), `at ${t} ns`).toEqual(before);
    }
  });

  it('a device whose probe is read at every step, also inside its line subscriber, behaves exactly like one never probed', () => {
    const plain = rig();
    const probedRig = rig();
    const seen: Record<string, bigint>[] = [];
    for (let k = 0; k <= 16; k++) {
      for (const t of [k * TICK - 1, k * TICK, k * TICK + 1, k * TICK + TICK / 2]) {
        if (t >= 0) probedRig.clock.schedule(() => seen.push(probed(probedRig.device)), t);
      }
    }
    probedRig.device.lines.timerint.level$.subscribe(() => seen.push(probed(probedRig.device)));
    for (const rg of [plain, probedRig]) {
      program(rg);
      rg.clock.advanceTo(6 * TICK + 1);
      rg.w(INTCLEAR, 1);
      rg.clock.advanceTo(16 * TICK);
    }
    expect(seen.length).toBeGreaterThan(60);
    expect(probedRig.events).toEqual(plain.events);
    expect(probedRig.levels).toEqual(plain.levels);
    expect(probedRig.device.snapshot()).toEqual(plain.device.snapshot());
    expect(guest(probedRig)).toEqual(guest(plain));
  });

  it('registers: the full CMSDK_APB_TIMER_REGISTERS list in map order, with offsets and sizes in bytes', () => {
    const { device } = rig();
    expect(device.registers).toEqual(CMSDK_APB_TIMER_REGISTERS.registers.map((reg) => ({ name: reg.name, offset: reg.offset, size: reg.bytes })));
    const byName = new Map(device.registers.map((reg) => [reg.name, reg]));
    expect(byName.get('CTRL')).toEqual({ name: 'CTRL', offset: 0x000, size: 4 });
    expect(byName.get('VALUE')).toEqual({ name: 'VALUE', offset: 0x004, size: 4 });
    expect(byName.get('INTSTATUS')).toEqual({ name: 'INTSTATUS', offset: 0x00c, size: 4 });
    expect(byName.get('CID3')).toEqual({ name: 'CID3', offset: 0xffc, size: 4 });
    expect(Object.isFrozen(device.registers)).toBe(true);
    expect(rig().device.registers).toBe(device.registers); // computed once, shared by every instance
  });
});
