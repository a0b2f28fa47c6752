// The minimal timer's introspection members (Device.lines, probes, registers): the line is the
// public `irq`, the probe reads what a guest read of VALUE returns at that instant without being
// an access, and the register list is the map's. One tick is 100 ns; LOAD = 3 expires every
// 300 ns (LEGACY_POLICY: the count reads 2 on the first boundary and reloads at the expiry).
import { describe, expect, it } from 'vitest';
import { MINIMAL_TIMER_REGISTERS, MinimalTimer } from '../../../devices/minimal-timer';
import { VirtualClock, type TraceEvent } from '../../../index';

const LOAD = 0x0;
const VALUE = 0x4;
const CTRL = 0x8;
const INTSTATUS = 0xc;

const EN = 0b01;
const IRQEN = 0b10;

const TICK = 100;

const rig = () => {
  const clock = new VirtualClock();
  const device = new MinimalTimer(clock, { periodNs: TICK });
  const events: TraceEvent[] = [];
  device.events$.subscribe((e) => events.push(e));
  const levels: string[] = [];
  for (const [key, line] of Object.entries(device.lines)) line.level$.subscribe((l) => levels.push(`${clock.now()} ${key}=${l}`));
  const r = (offset: number): number => device.read(offset, 4);
  const w = (offset: number, value: number): void => device.write(offset, 4, value);
  return { clock, device, events, levels, r, w };
};
type Rig = ReturnType<typeof rig>;

/** Each probe's value now, by name. */
const probed = (device: MinimalTimer): Record<string, bigint> => Object.fromEntries(device.probes.map((p) => [p.name, p.read()]));

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
  w(LOAD, 3);
  w(CTRL, EN | IRQEN);
};

describe('MinimalTimer introspection', () => {
  it('lines: exactly irq, the public member itself', () => {
    const { device } = rig();
    expect(Object.keys(device.lines)).toEqual(['irq']);
    expect(device.lines.irq).toBe(device.irq);
    expect(Object.isFrozen(device.lines)).toBe(true);
  });

  it('probes: value, 32 bits wide, fixed at construction', () => {
    const { device } = rig();
    expect(device.probes.map((p) => [p.name, p.width])).toEqual([['value', 32]]);
    expect(Object.isFrozen(device.probes)).toBe(true);
    expect(device.probes.every((p) => Object.isFrozen(p))).toBe(true);
  });

  it('the probe reads what the guest reads from VALUE: running, at and after an expiry, stopped', () => {
    const rg = rig();
    const { clock, device, r, w } = rg;
    expect(probed(device)).toEqual({ value: 0n });
    // A read ordered before the expiry step at 300 ns (queued before the timer is armed) sees the count before it (0).
    const beforeStep: Record<string, bigint>[] = [];
    clock.schedule(() => beforeStep.push(probed(device), guest(rg)), 3 * TICK);
    program(rg);
    for (const t of [0, 1, TICK - 1, TICK, TICK + 1, 2 * TICK + 50, 3 * TICK - 1, 3 * TICK, 3 * TICK + 1, 6 * TICK, 7 * TICK + 33]) {
      clock.advanceTo(t);
      expect(probed(device), `at ${t} ns`).toEqual(guest(rg));
    }
    expect(beforeStep).toEqual([{ value: 0n }, { value: 0n }]); // LEGACY: 0 in the last tick, before the reload
    clock.advanceTo(9 * TICK); // an expiry: reloaded in the same step
    expect(probed(device)).toEqual({ value: 3n });
    expect(r(INTSTATUS)).toBe(1);
    // Stopped at 9.5 ticks: the count is latched, and the probe holds it.
    clock.advanceTo(9 * TICK + TICK / 2);
    w(CTRL, IRQEN);
    const held = r(VALUE);
    expect(held).toBe(2); // LEGACY: one less between edges
    for (const t of [10 * TICK, 10 * TICK + 1, 40 * TICK]) {
      clock.advanceTo(t);
      expect(probed(device), `at ${t} ns`).toEqual(guest(rg));
      expect(r(VALUE)).toBe(held);
    }
  });

  it('reading the probes has no side effect: same snapshot, no event, no line change, nothing scheduled', () => {
    const rg = rig();
    const { clock, device } = rg;
    program(rg);
    for (const t of [0, TICK, TICK + 1, 3 * TICK, 3 * TICK + 1, 5 * TICK + 7, 60 * TICK]) {
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
    for (let k = 0; k <= 12; k++) {
      for (const t of [k * TICK - 1, k * TICK, k * TICK + 1, k * TICK + TICK / 2]) {
        if (t >= 0) probedRig.clock.schedule(() => seen.push(probed(probedRig.device)), t);
      }
    }
    probedRig.device.lines.irq.level$.subscribe(() => seen.push(probed(probedRig.device)));
    for (const rg of [plain, probedRig]) {
      program(rg);
      rg.clock.advanceTo(4 * TICK + 1);
      rg.w(INTSTATUS, 1);
      rg.clock.advanceTo(12 * TICK);
    }
    expect(seen.length).toBeGreaterThan(40);
    expect(probedRig.events).toEqual(plain.events);
    expect(probedRig.levels).toEqual(plain.levels);
    expect(probedRig.device.snapshot()).toEqual(plain.device.snapshot());
    expect(guest(probedRig)).toEqual(guest(plain));
  });

  it('registers: the full MINIMAL_TIMER_REGISTERS list in map order, with offsets and sizes in bytes', () => {
    const { device } = rig();
    expect(device.registers).toEqual(MINIMAL_TIMER_REGISTERS.registers.map((reg) => ({ name: reg.name, offset: reg.offset, size: reg.bytes })));
    expect(device.registers.map((reg) => reg.name)).toEqual(['LOAD', 'VALUE', 'CTRL', 'INTSTATUS']);
    const byName = new Map(device.registers.map((reg) => [reg.name, reg]));
    expect(byName.get('VALUE')).toEqual({ name: 'VALUE', offset: 0x4, size: 4 });
    expect(byName.get('INTSTATUS')).toEqual({ name: 'INTSTATUS', offset: 0xc, size: 4 });
    expect(Object.isFrozen(device.registers)).toBe(true);
    expect(rig().device.registers).toBe(device.registers); // computed once, shared by every instance
  });
});
