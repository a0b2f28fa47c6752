// The SP804's introspection members (Device.lines, probes, registers), walked through like the
// TRM (ARM DDI 0271): the lines are the public TIMINT outputs, each probe reads what a guest read
// of TimerXValue returns at that instant without being an access, and the register list is the
// map's. TIMCLK is 1 MHz, so one tick is 1 000 ns; Load = 3 periodic reaches 0 (RIS) at 3 000 ns.
import { describe, expect, it } from 'vitest';
import { SP804_REGISTERS, Sp804 } from '../../../devices/sp804';
import { ClockInput, VirtualClock, type TraceEvent } from '../../../index';

const LOAD = 0x00;
const VALUE = 0x04;
const CONTROL = 0x08;
const INTCLR = 0x0c;
const T2 = 0x20;

const SIZE32 = 1 << 1;
const INTEN = 1 << 5;
const PERIODIC = 1 << 6;
const ENABLE = 1 << 7;

const TICK = 1_000;

const rig = () => {
  const clock = new VirtualClock();
  const device = new Sp804(clock, { timclk: new ClockInput('timclk', 1_000_000) });
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
const probed = (device: Sp804): Record<string, bigint> => Object.fromEntries(device.probes.map((p) => [p.name, p.read()]));

/** What guest reads of the value registers return now, keyed like the probes. */
const guest = ({ r }: Rig): Record<string, bigint> => ({ 'timer1.value': BigInt(r(VALUE)), 'timer2.value': BigInt(r(T2 + VALUE)) });

/** Everything a probe read could disturb: the device's state, its events and lines, the clock's queue. */
const world = ({ clock, device, events, levels }: Rig) => ({
  snapshot: device.snapshot(),
  events: events.length,
  levels: levels.length,
  pending: clock.pending,
  scheduled: clock.scheduledCount,
  next: clock.nextDeadline(),
});

/** Timer 1: Load 3, periodic, 32-bit. Timer 2: Load 0xABCD0002, periodic, 16-bit (Value[31:16] holds 0xABCD). */
const program = ({ w }: Rig): void => {
  w(LOAD, 3);
  w(CONTROL, ENABLE | PERIODIC | INTEN | SIZE32);
  w(T2 + LOAD, 0xabcd_0002);
  w(T2 + CONTROL, ENABLE | PERIODIC | INTEN);
};

describe('Sp804 introspection', () => {
  it('lines: exactly timint1, timint2 and timintc, each the public member itself', () => {
    const { device } = rig();
    expect(Object.keys(device.lines)).toEqual(['timint1', 'timint2', 'timintc']);
    expect(device.lines.timint1).toBe(device.timint1);
    expect(device.lines.timint2).toBe(device.timint2);
    expect(device.lines.timintc).toBe(device.timintc);
    expect(Object.isFrozen(device.lines)).toBe(true);
  });

  it('probes: timer1.value and timer2.value, 32 bits wide, fixed at construction', () => {
    const { device } = rig();
    expect(device.probes.map((p) => [p.name, p.width])).toEqual([
      ['timer1.value', 32],
      ['timer2.value', 32],
    ]);
    expect(Object.isFrozen(device.probes)).toBe(true);
    expect(device.probes.every((p) => Object.isFrozen(p))).toBe(true);
  });

  it('each probe reads what the guest reads from TimerXValue: after reset, running, at and after a zero, stopped', () => {
    const rg = rig();
    const { clock, device, r, w } = rg;
    // After reset: both counters stopped at 0xFFFFFFFF.
    expect(probed(device)).toEqual({ 'timer1.value': 0xffff_ffffn, 'timer2.value': 0xffff_ffffn });
    expect(probed(device)).toEqual(guest(rg));
    // Reads ordered before the zero step at 3 000 ns (queued before the timers are armed) see 1.
    const beforeStep: Record<string, bigint>[] = [];
    clock.schedule(() => beforeStep.push(probed(device), guest(rg)), 3 * TICK);
    program(rg);
    for (const t of [0, 1, TICK, TICK + 1, 2 * TICK + 500, 3 * TICK - 1, 3 * TICK, 3 * TICK + 1, 4 * TICK, 4 * TICK + 1, 9 * TICK + 250]) {
      clock.advanceTo(t);
      expect(probed(device), `at ${t} ns`).toEqual(guest(rg));
    }
    expect(beforeStep).toEqual([
      { 'timer1.value': 1n, 'timer2.value': 0xabcd_0000n }, // timer 2 (Load 2) reached 0 at 2 000 ns and rests there
      { 'timer1.value': 1n, 'timer2.value': 0xabcd_0000n },
    ]);
    // 11 µs: both zero steps (periods of 4 and 3 ticks); timer 2 keeps its held upper half; one tick on, the reloads.
    clock.advanceTo(11 * TICK);
    expect(probed(device)).toEqual({ 'timer1.value': 0n, 'timer2.value': 0xabcd_0000n });
    clock.advanceTo(12 * TICK + 1);
    expect(probed(device)).toEqual({ 'timer1.value': 3n, 'timer2.value': 0xabcd_0002n });
    expect(probed(device)).toEqual(guest(rg));
    // Timer 1 stopped (TimerEn cleared) at 12.5 µs: its counter holds 3, and the probe with it; timer 2 runs on.
    clock.advanceTo(12 * TICK + TICK / 2);
    w(CONTROL, PERIODIC | INTEN | SIZE32);
    for (const t of [13 * TICK + 1, 14 * TICK, 20 * TICK + 1]) {
      clock.advanceTo(t);
      expect(probed(device), `at ${t} ns`).toEqual(guest(rg));
      expect(r(VALUE)).toBe(3);
    }
  });

  it('reading the probes has no side effect: same snapshot, no event, no line change, nothing scheduled', () => {
    const rg = rig();
    const { clock, device } = rg;
    program(rg);
    for (const t of [0, TICK + 1, 3 * TICK, 3 * TICK + 1, 4 * TICK + 1, 7 * TICK, 50 * TICK + 3]) {
      clock.advanceTo(t);
      const before = world(rg);
      for (let i = 0; i < 100; i++) for (const p of device.probes) p.read();
      expect(world(rg), `at ${t} ns`).toEqual(before);
    }
  });

  it('a device whose probes are read at every step, also inside its line subscribers, behaves exactly like one never probed', () => {
    const plain = rig();
    const probedRig = rig();
    const seen: Record<string, bigint>[] = [];
    for (let k = 0; k <= 12; k++) {
      for (const t of [k * TICK - 1, k * TICK, k * TICK + 1, k * TICK + TICK / 2]) {
        if (t >= 0) probedRig.clock.schedule(() => seen.push(probed(probedRig.device)), t);
      }
    }
    for (const line of Object.values(probedRig.device.lines)) line.level$.subscribe(() => seen.push(probed(probedRig.device)));
    for (const rg of [plain, probedRig]) {
      program(rg);
      rg.clock.advanceTo(5 * TICK + 1);
      rg.w(INTCLR, 1);
      rg.w(T2 + INTCLR, 1);
      rg.clock.advanceTo(12 * TICK);
    }
    expect(seen.length).toBeGreaterThan(40);
    expect(probedRig.events).toEqual(plain.events);
    expect(probedRig.levels).toEqual(plain.levels);
    expect(probedRig.device.snapshot()).toEqual(plain.device.snapshot());
    expect(guest(probedRig)).toEqual(guest(plain));
  });

  it('registers: the full SP804_REGISTERS list in map order, with offsets and sizes in bytes', () => {
    const { device } = rig();
    expect(device.registers).toEqual(SP804_REGISTERS.registers.map((reg) => ({ name: reg.name, offset: reg.offset, size: reg.bytes })));
    const byName = new Map(device.registers.map((reg) => [reg.name, reg]));
    expect(byName.get('Timer1Load')).toEqual({ name: 'Timer1Load', offset: 0x00, size: 4 });
    expect(byName.get('Timer2Value')).toEqual({ name: 'Timer2Value', offset: 0x24, size: 4 });
    expect(byName.get('TimerITCR')).toEqual({ name: 'TimerITCR', offset: 0xf00, size: 4 });
    expect(Object.isFrozen(device.registers)).toBe(true);
    expect(rig().device.registers).toBe(device.registers); // computed once, shared by every instance
  });
});
