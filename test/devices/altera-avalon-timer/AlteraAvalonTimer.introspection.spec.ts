// The interval timer's introspection members (Device.lines, probes, registers): the line is the
// core's `irq`, the probe reads the counter a guest gets through a snapl write and snapl/snaph
// reads at that instant, without latching it, and the register list is the map's. clk is 50 MHz
// (20 ns per cycle); with P = 3, START | CONT runs the counter 3, 2, 1, 0 and sets TO, reloading P,
// every P + 1 = 4 cycles (B1).
import { describe, expect, it } from 'vitest';
import { ALTERA_AVALON_TIMER_REGISTERS, type AlteraAvalonTimer } from '../../../devices/altera-avalon-timer';
import { CONT, CONTROL, ITO, makeRig, SNAPH, SNAPL, START, STATUS, STOP, TICK, TO } from './rig';

const rig = () => {
  const base = makeRig();
  const levels: string[] = [];
  for (const [key, line] of Object.entries(base.device.lines)) line.level$.subscribe((l) => levels.push(`${base.clock.now()} ${key}=${l}`));
  return { ...base, levels };
};
type Rig = ReturnType<typeof rig>;

/** Each probe's value now, by name. */
const probed = (device: AlteraAvalonTimer): Record<string, bigint> => Object.fromEntries(device.probes.map((p) => [p.name, p.read()]));

/** The counter as a driver reads it now (a snapl write, then snapl and snaph: a guest read with a side effect), keyed like the probe. */
const guest = ({ snap }: Rig): Record<string, bigint> => ({ counter: BigInt(snap()) });

/** Everything a probe read could disturb: the device's state (the snapshot latch included), its events and line, the clock's queue. */
const world = ({ clock, device, events, levels }: Rig) => ({
  snapshot: device.snapshot(),
  events: events.length,
  levels: levels.length,
  pending: clock.pending,
  scheduled: clock.scheduledCount,
  next: clock.nextDeadline(),
});

const program = ({ period, w }: Rig): void => {
  period(3);
  w(CONTROL, START | CONT | ITO);
};

describe('AlteraAvalonTimer introspection', () => {
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

  it('the probe reads what a snapl latch captures: after reset, running, at and after a timeout, stopped', () => {
    const rg = rig();
    const { clock, device, r, w } = rg;
    expect(probed(device)).toEqual({ counter: 0xffff_ffffn }); // the initial period, stopped (B7)
    expect(probed(device)).toEqual(guest(rg));
    // Reads ordered before the timeout at 80 ns (queued before the counter is armed) see 0, the last cycle (B11).
    const beforeStep: Record<string, bigint>[] = [];
    clock.schedule(() => beforeStep.push(probed(device), guest(rg)), 4 * TICK);
    program(rg);
    for (const t of [0, 1, TICK, TICK + 1, 2 * TICK + 10, 4 * TICK - 1, 4 * TICK, 4 * TICK + 1, 5 * TICK, 5 * TICK + 1, 10 * TICK + 3]) {
      clock.advanceTo(t);
      expect(probed(device), `at ${t} ns`).toEqual(guest(rg));
    }
    expect(beforeStep).toEqual([{ counter: 0n }, { counter: 0n }]);
    clock.advanceTo(12 * TICK); // the third timeout: TO set and P reloaded in one step
    expect(probed(device)).toEqual({ counter: 3n });
    expect(r(STATUS) & TO).toBe(TO);
    // STOP at 13.5 cycles: the counter holds, and the probe with it.
    clock.advanceTo(13 * TICK + TICK / 2);
    w(CONTROL, STOP | CONT | ITO);
    for (const t of [14 * TICK, 14 * TICK + 1, 90 * TICK]) {
      clock.advanceTo(t);
      expect(probed(device), `at ${t} ns`).toEqual(guest(rg));
      expect(probed(device)).toEqual({ counter: 2n });
    }
  });

  it('the probe latches nothing: snapl and snaph keep the value the last snapl write captured', () => {
    const rg = rig();
    const { clock, device, r, w } = rg;
    program(rg);
    clock.advanceTo(TICK + 1);
    w(SNAPL, 0);
    expect([r(SNAPL), r(SNAPH)]).toEqual([2, 0]);
    clock.advanceTo(2 * TICK + 1);
    expect(probed(device)).toEqual({ counter: 1n });
    expect([r(SNAPL), r(SNAPH)]).toEqual([2, 0]); // still the latch of 21 ns
  });

  it('reading the probes has no side effect: same snapshot, no event, no line change, nothing scheduled', () => {
    const rg = rig();
    const { clock, device, w } = rg;
    program(rg);
    w(SNAPL, 0); // a latch to disturb, if the probe could
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
    probedRig.device.lines.irq.level$.subscribe(() => seen.push(probed(probedRig.device)));
    for (const rg of [plain, probedRig]) {
      program(rg);
      rg.clock.advanceTo(5 * TICK + 1);
      rg.w(STATUS, 0); // clear TO
      rg.clock.advanceTo(16 * TICK);
    }
    expect(seen.length).toBeGreaterThan(60);
    expect(probedRig.events).toEqual(plain.events);
    expect(probedRig.levels).toEqual(plain.levels);
    expect(probedRig.device.snapshot()).toEqual(plain.device.snapshot());
    expect(guest(probedRig)).toEqual(guest(plain));
  });

  it('registers: the full ALTERA_AVALON_TIMER_REGISTERS list in map order, with offsets and sizes in bytes', () => {
    const { device } = rig();
    expect(device.registers).toEqual(
      ALTERA_AVALON_TIMER_REGISTERS.registers.map((reg) => ({ name: reg.name, offset: reg.offset, size: reg.bytes })),
    );
    expect(device.registers.map((reg) => reg.name)).toEqual(['STATUS', 'CONTROL', 'PERIODL', 'PERIODH', 'SNAPL', 'SNAPH']);
    const byName = new Map(device.registers.map((reg) => [reg.name, reg]));
    expect(byName.get('PERIODH')).toEqual({ name: 'PERIODH', offset: 0x0c, size: 4 });
    expect(byName.get('SNAPL')).toEqual({ name: 'SNAPL', offset: 0x10, size: 4 });
    expect(Object.isFrozen(device.registers)).toBe(true);
    expect(rig().device.registers).toBe(device.registers); // computed once, shared by every instance
  });
});
