// The EPIT's introspection members (Device.lines, probes, registers): the line is the EPIT
// interrupt (`irq`), the probe reads what a guest read of CNR returns at that instant without
// being an access, and the register list is the map's. ipg is 50 MHz (20 ns per cycle, PRESCALER
// 0). Set-and-forget with LR = 4 and CMPR = 2: CNR counts 4, 3, 2 (OCIF at the step to 2, 40 ns),
// 1, 0, then 4 again: a round of LR + 1 = 5 cycles (E1, E2).
import { describe, expect, it } from 'vitest';
import { IMX_EPIT_REGISTERS, type ImxEpit } from '../../../devices/imx-epit';
import { CLKSRC_IPG, CMPR, CNR, CR, EN, ENMOD, LR, makeRig, OCIEN, RLD, SR, TICK } from './rig';

const rig = () => {
  const base = makeRig();
  const levels: string[] = [];
  for (const [key, line] of Object.entries(base.device.lines)) line.level$.subscribe((l) => levels.push(`${base.clock.now()} ${key}=${l}`));
  return { ...base, levels };
};
type Rig = ReturnType<typeof rig>;

/** Each probe's value now, by name. */
const probed = (device: ImxEpit): Record<string, bigint> => Object.fromEntries(device.probes.map((p) => [p.name, p.read()]));

/** What a guest read of CNR returns now, keyed like the probe. */
const guest = ({ r }: Rig): Record<string, bigint> => ({ counter: BigInt(r(CNR)) });

/** Everything a probe read could disturb: the device's state, its events and line, the clock's queue. */
const world = ({ clock, device, events, levels }: Rig) => ({
  snapshot: device.snapshot(),
  events: events.length,
  levels: levels.length,
  pending: clock.pending,
  scheduled: clock.scheduledCount,
  next: clock.nextDeadline(),
});

const RUN = CLKSRC_IPG | RLD | OCIEN | ENMOD | EN;

const program = ({ w }: Rig): void => {
  w(LR, 4);
  w(CMPR, 2);
  w(CR, RUN);
};

describe('ImxEpit introspection', () => {
  it('lines: exactly irq, the public member itself', () => {
    const { device } = rig();
    expect(Object.keys(device.lines)).toEqual(['irq']);
    expect(device.lines.irq).toBe(device.irq);
    expect(Object.isFrozen(device.lines)).toBe(true);
  });

  it('probes: counter, 32 bits wide, fixed at construction', () => {
    const { device } = rig();
    expect(device.probes.map((p) => [p.name, p.width])).toEqual([['counter', 32]]);
    expect(Object.isFrozen(device.probes)).toBe(true);
    expect(device.probes.every((p) => Object.isFrozen(p))).toBe(true);
  });

  it('the probe reads what the guest reads from CNR: after reset, running, at and after a compare and a reload, stopped', () => {
    const rg = rig();
    const { clock, device, r, w } = rg;
    expect(probed(device)).toEqual({ counter: 0xffff_ffffn }); // CNR's reset value, CLKSRC = 0: stopped
    // Reads ordered before the step to CMPR at 40 ns (queued before the counter is armed) see 3 (E1).
    const beforeStep: Record<string, bigint>[] = [];
    clock.schedule(() => beforeStep.push(probed(device), guest(rg)), 2 * TICK);
    program(rg);
    for (const t of [0, 1, TICK, TICK + 1, 2 * TICK - 1, 2 * TICK, 2 * TICK + 1, 4 * TICK, 4 * TICK + 1, 5 * TICK, 5 * TICK + 1, 7 * TICK, 8 * TICK + 13]) {
      clock.advanceTo(t);
      expect(probed(device), `at ${t} ns`).toEqual(guest(rg));
    }
    expect(beforeStep).toEqual([{ counter: 3n }, { counter: 3n }]);
    expect(r(SR)).toBe(1);
    clock.advanceTo(12 * TICK); // the third round's step to CMPR (rounds start at 0, 5 and 10 cycles)
    expect(probed(device)).toEqual({ counter: 2n });
    // EN cleared at 13.5 cycles: CNR freezes (E3), and the probe with it.
    clock.advanceTo(13 * TICK + TICK / 2);
    w(CR, RUN & ~EN);
    for (const t of [14 * TICK, 14 * TICK + 1, 90 * TICK]) {
      clock.advanceTo(t);
      expect(probed(device), `at ${t} ns`).toEqual(guest(rg));
      expect(r(CNR)).toBe(1);
    }
  });

  it('reading the probes has no side effect: same snapshot, no event, no line change, nothing scheduled', () => {
    const rg = rig();
    const { clock, device } = rg;
    program(rg);
    for (const t of [0, TICK + 1, 2 * TICK, 2 * TICK + 1, 5 * TICK, 5 * TICK + 1, 100 * TICK + 3]) {
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
    probedRig.device.lines.irq.level$.subscribe(() => seen.push(probed(probedRig.device)));
    for (const rg of [plain, probedRig]) {
      program(rg);
      rg.clock.advanceTo(3 * TICK + 1);
      rg.w(SR, 1);
      rg.clock.advanceTo(16 * TICK);
    }
    expect(seen.length).toBeGreaterThan(60);
    expect(probedRig.events).toEqual(plain.events);
    expect(probedRig.levels).toEqual(plain.levels);
    expect(probedRig.device.snapshot()).toEqual(plain.device.snapshot());
    expect(guest(probedRig)).toEqual(guest(plain));
  });

  it('registers: the full IMX_EPIT_REGISTERS list in map order, with offsets and sizes in bytes', () => {
    const { device } = rig();
    expect(device.registers).toEqual(IMX_EPIT_REGISTERS.registers.map((reg) => ({ name: reg.name, offset: reg.offset, size: reg.bytes })));
    expect(device.registers.map((reg) => reg.name)).toEqual(['CR', 'SR', 'LR', 'CMPR', 'CNR']);
    const byName = new Map(device.registers.map((reg) => [reg.name, reg]));
    expect(byName.get('CNR')).toEqual({ name: 'CNR', offset: 0x10, size: 4 });
    expect(byName.get('CMPR')).toEqual({ name: 'CMPR', offset: 0x0c, size: 4 });
    expect(Object.isFrozen(device.registers)).toBe(true);
    expect(rig().device.registers).toBe(device.registers); // computed once, shared by every instance
  });
});
