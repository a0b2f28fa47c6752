// The AXI Timer's introspection members (Device.lines, probes, registers): the lines are the
// Interrupt pin and the two per-timer terms, each probe reads what a guest read of TCRn returns at
// that instant (down or up, as UDT says) without being an access, and the register list is the
// map's. S_AXI_ACLK is 100 MHz (10 ns per clock). Timer 0 counts down from TLR0 = 3 with ARHT: TCR
// 3, 2, 1, 0, then the carry value 0xFFFFFFFF with T0INT at 40 ns, a period of TLR + 2 = 5 clocks.
// Timer 1 counts up from TLR1 = 0xFFFFFFFC: the carry value 0 with T1INT at 40 ns, period 5 clocks.
import { describe, expect, it } from 'vitest';
import { XILINX_AXI_TIMER_REGISTERS, type XilinxAxiTimer } from '../../../devices/xilinx-axi-timer';
import { ARHT, CLOCK_NS, ENIT, ENT, LOAD, rig as makeRig, TCR0, TCR1, TCSR0, TCSR1, TINT, TLR0, TLR1, UDT } from './rig';

const rig = () => {
  const base = makeRig();
  const device = base.timer;
  const levels: string[] = [];
  for (const [key, line] of Object.entries(device.lines)) line.level$.subscribe((l) => levels.push(`${base.clock.now()} ${key}=${l}`));
  return { ...base, device, levels };
};
type Rig = ReturnType<typeof rig>;

/** Each probe's value now, by name. */
const probed = (device: XilinxAxiTimer): Record<string, bigint> => Object.fromEntries(device.probes.map((p) => [p.name, p.read()]));

/** What guest reads of TCR0 and TCR1 return now, keyed like the probes. */
const guest = ({ r }: Rig): Record<string, bigint> => ({ 'timer0.counter': BigInt(r(TCR0)), 'timer1.counter': BigInt(r(TCR1)) });

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
  w(TLR0, 3);
  w(TCSR0, LOAD | UDT);
  w(TCSR0, ENT | ENIT | ARHT | UDT);
  w(TLR1, 0xffff_fffc);
  w(TCSR1, LOAD);
  w(TCSR1, ENT | ENIT | ARHT);
};

describe('XilinxAxiTimer introspection', () => {
  it('lines: exactly interrupt, timer0.irq and timer1.irq, each the public member itself', () => {
    const { device } = rig();
    expect(Object.keys(device.lines)).toEqual(['interrupt', 'timer0.irq', 'timer1.irq']);
    expect(device.lines.interrupt).toBe(device.interrupt);
    expect(device.lines['timer0.irq']).toBe(device.timer0Irq);
    expect(device.lines['timer1.irq']).toBe(device.timer1Irq);
    expect(Object.isFrozen(device.lines)).toBe(true);
  });

  it('probes: timer0.counter and timer1.counter, 32 bits wide, fixed at construction', () => {
    const { device } = rig();
    expect(device.probes.map((p) => [p.name, p.width])).toEqual([
      ['timer0.counter', 32],
      ['timer1.counter', 32],
    ]);
    expect(Object.isFrozen(device.probes)).toBe(true);
    expect(device.probes.every((p) => Object.isFrozen(p))).toBe(true);
  });

  it('each probe reads what the guest reads from TCRn, counting down and up: running, at and after the carry, stopped', () => {
    const rg = rig();
    const { clock, device, r, w } = rg;
    expect(probed(device)).toEqual({ 'timer0.counter': 0n, 'timer1.counter': 0n }); // reset: stopped, counting up from 0
    // Reads ordered before the carry at 40 ns (queued before the counters are armed) see the values before it.
    const beforeStep: Record<string, bigint>[] = [];
    clock.schedule(() => beforeStep.push(probed(device), guest(rg)), 4 * CLOCK_NS);
    program(rg);
    for (const t of [0, 1, CLOCK_NS, CLOCK_NS + 1, 2 * CLOCK_NS + 5, 4 * CLOCK_NS - 1, 4 * CLOCK_NS, 4 * CLOCK_NS + 1, 5 * CLOCK_NS, 5 * CLOCK_NS + 1, 8 * CLOCK_NS + 3]) {
      clock.advanceTo(t);
      expect(probed(device), `at ${t} ns`).toEqual(guest(rg));
    }
    expect(beforeStep).toEqual([
      { 'timer0.counter': 0n, 'timer1.counter': 0xffff_ffffn },
      { 'timer0.counter': 0n, 'timer1.counter': 0xffff_ffffn },
    ]);
    clock.advanceTo(9 * CLOCK_NS); // the second carry: 0xFFFFFFFF down, 0 up
    expect(probed(device)).toEqual({ 'timer0.counter': 0xffff_ffffn, 'timer1.counter': 0n });
    expect(r(TCSR0) & TINT).toBe(TINT);
    clock.advanceTo(10 * CLOCK_NS + 1); // reloaded from TLR
    expect(probed(device)).toEqual({ 'timer0.counter': 3n, 'timer1.counter': 0xffff_fffcn });
    // Timer 0 stopped (ENT cleared) at 11.5 clocks: TCR0 freezes (ambiguity 7), and the probe with it.
    clock.advanceTo(11 * CLOCK_NS + CLOCK_NS / 2);
    w(TCSR0, ENIT | ARHT | UDT | TINT);
    for (const t of [12 * CLOCK_NS, 12 * CLOCK_NS + 1, 50 * CLOCK_NS]) {
      clock.advanceTo(t);
      expect(probed(device), `at ${t} ns`).toEqual(guest(rg));
      expect(r(TCR0)).toBe(2);
    }
  });

  it('reading the probes has no side effect: same snapshot, no event, no line change, nothing scheduled', () => {
    const rg = rig();
    const { clock, device } = rg;
    program(rg);
    for (const t of [0, CLOCK_NS + 1, 4 * CLOCK_NS, 4 * CLOCK_NS + 1, 5 * CLOCK_NS + 1, 9 * CLOCK_NS, 100 * CLOCK_NS + 3]) {
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
    for (let k = 0; k <= 16; k++) {
      for (const t of [k * CLOCK_NS - 1, k * CLOCK_NS, k * CLOCK_NS + 1, k * CLOCK_NS + CLOCK_NS / 2]) {
        if (t >= 0) probedRig.clock.schedule(() => seen.push(probed(probedRig.device)), t);
      }
    }
    for (const line of Object.values(probedRig.device.lines)) line.level$.subscribe(() => seen.push(probed(probedRig.device)));
    for (const rg of [plain, probedRig]) {
      program(rg);
      rg.clock.advanceTo(6 * CLOCK_NS + 1);
      rg.w(TCSR0, ENT | ENIT | ARHT | UDT | TINT); // acknowledge T0INT (write 1 to clear)
      rg.clock.advanceTo(16 * CLOCK_NS);
    }
    expect(seen.length).toBeGreaterThan(60);
    expect(probedRig.events).toEqual(plain.events);
    expect(probedRig.levels).toEqual(plain.levels);
    expect(probedRig.device.snapshot()).toEqual(plain.device.snapshot());
    expect(guest(probedRig)).toEqual(guest(plain));
  });

  it('registers: the full XILINX_AXI_TIMER_REGISTERS list in map order, with offsets and sizes in bytes', () => {
    const { device } = rig();
    expect(device.registers).toEqual(XILINX_AXI_TIMER_REGISTERS.registers.map((reg) => ({ name: reg.name, offset: reg.offset, size: reg.bytes })));
    expect(device.registers.map((reg) => reg.name)).toEqual(['TCSR0', 'TLR0', 'TCR0', 'TCSR1', 'TLR1', 'TCR1']);
    const byName = new Map(device.registers.map((reg) => [reg.name, reg]));
    expect(byName.get('TCR0')).toEqual({ name: 'TCR0', offset: 0x08, size: 4 });
    expect(byName.get('TCSR1')).toEqual({ name: 'TCSR1', offset: 0x10, size: 4 });
    expect(Object.isFrozen(device.registers)).toBe(true);
    expect(rig().device.registers).toBe(device.registers); // computed once, shared by every instance
  });
});
