// The Cortex-A9 private timer and watchdog's introspection members (Device.lines, probes,
// registers): the lines are PPI 29, PPI 30 and WDRESETREQ, each probe reads what a guest read of
// COUNTER or WCOUNTER returns at that instant without being an access, and the register list is
// the map's. PERIPHCLK is 100 MHz (10 ns per cycle). The private timer: LOAD 3, auto-reload,
// PRESCALER 0, event at 30 ns then every 4 cycles. The watchdog: watchdog mode, WLOAD 5,
// PRESCALER 1 (20 ns per tick): it reaches 0 at 100 ns, asserts WDRESETREQ and stops there.
import { describe, expect, it } from 'vitest';
import { CORTEX_A9_TIMER_WATCHDOG_REGISTERS, type CortexA9TimerWatchdog } from '../../../devices/arm-mptimer';
import {
  AUTO_RELOAD,
  CONTROL,
  COUNTER,
  CYCLE,
  ENABLE,
  IRQ_ENABLE,
  ISR,
  LOAD,
  makeRig,
  prescaler,
  WCONTROL,
  WCOUNTER,
  WD_MODE,
  WLOAD,
} from './rig';

const rig = () => {
  const base = makeRig();
  const levels: string[] = [];
  for (const [key, line] of Object.entries(base.device.lines)) line.level$.subscribe((l) => levels.push(`${base.clock.now()} ${key}=${l}`));
  return { ...base, levels };
};
type Rig = ReturnType<typeof rig>;

/** Each probe's value now, by name. */
const probed = (device: CortexA9TimerWatchdog): Record<string, bigint> => Object.fromEntries(device.probes.map((p) => [p.name, p.read()]));

/** What guest reads of COUNTER and WCOUNTER return now, keyed like the probes. */
const guest = ({ r }: Rig): Record<string, bigint> => ({ 'timer.counter': BigInt(r(COUNTER)), 'watchdog.counter': BigInt(r(WCOUNTER)) });

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
  w(LOAD, 3);
  w(CONTROL, ENABLE | AUTO_RELOAD | IRQ_ENABLE);
  w(WLOAD, 5);
  w(WCONTROL, ENABLE | WD_MODE | prescaler(1));
};

describe('CortexA9TimerWatchdog introspection', () => {
  it('lines: exactly ppi29, ppi30 and wdresetreq, each the public member itself', () => {
    const { device } = rig();
    expect(Object.keys(device.lines)).toEqual(['ppi29', 'ppi30', 'wdresetreq']);
    expect(device.lines.ppi29).toBe(device.timerIrq);
    expect(device.lines.ppi30).toBe(device.watchdogIrq);
    expect(device.lines.wdresetreq).toBe(device.wdresetreq);
    expect(Object.isFrozen(device.lines)).toBe(true);
  });

  it('probes: timer.counter and watchdog.counter, 32 bits wide, fixed at construction', () => {
    const { device } = rig();
    expect(device.probes.map((p) => [p.name, p.width])).toEqual([
      ['timer.counter', 32],
      ['watchdog.counter', 32],
    ]);
    expect(Object.isFrozen(device.probes)).toBe(true);
    expect(device.probes.every((p) => Object.isFrozen(p))).toBe(true);
  });

  it('each probe reads what the guest reads from COUNTER / WCOUNTER: running, at and after an event, in watchdog mode, stopped', () => {
    const rg = rig();
    const { clock, device, r, w } = rg;
    expect(probed(device)).toEqual({ 'timer.counter': 0n, 'watchdog.counter': 0n });
    // Reads ordered before the timer's step to 0 at 30 ns and the watchdog's at 100 ns see the counts before them.
    const beforeStep: Record<string, bigint>[] = [];
    clock.schedule(() => beforeStep.push(probed(device), guest(rg)), 3 * CYCLE);
    clock.schedule(() => beforeStep.push(probed(device), guest(rg)), 10 * CYCLE);
    program(rg);
    for (const t of [0, 1, CYCLE, CYCLE + 1, 2 * CYCLE + 5, 3 * CYCLE - 1, 3 * CYCLE, 3 * CYCLE + 1, 4 * CYCLE, 4 * CYCLE + 1, 10 * CYCLE, 10 * CYCLE + 1, 23 * CYCLE + 3]) {
      clock.advanceTo(t);
      expect(probed(device), `at ${t} ns`).toEqual(guest(rg));
    }
    expect(beforeStep).toEqual([
      { 'timer.counter': 1n, 'watchdog.counter': 4n },
      { 'timer.counter': 1n, 'watchdog.counter': 4n },
      { 'timer.counter': 2n, 'watchdog.counter': 1n }, // the timer's third round: 3 from 80 ns, 2 from 90 ns + 1
      { 'timer.counter': 2n, 'watchdog.counter': 1n },
    ]);
    expect(device.wdresetreq.level).toBe(true);
    expect(probed(device)['watchdog.counter']).toBe(0n); // watchdog mode: stopped at 0
    // The private timer stopped (ENABLE cleared) at 24.5 cycles: the count holds, and the probe with it.
    clock.advanceTo(24 * CYCLE + CYCLE / 2);
    w(CONTROL, AUTO_RELOAD | IRQ_ENABLE);
    w(ISR, 1);
    const held = r(COUNTER);
    for (const t of [25 * CYCLE, 25 * CYCLE + 1, 90 * CYCLE]) {
      clock.advanceTo(t);
      expect(probed(device), `at ${t} ns`).toEqual(guest(rg));
      expect(r(COUNTER)).toBe(held);
    }
  });

  it('reading the probes has no side effect: same snapshot, no event, no line change, nothing scheduled', () => {
    const rg = rig();
    const { clock, device } = rg;
    program(rg);
    for (const t of [0, CYCLE + 1, 3 * CYCLE, 3 * CYCLE + 1, 10 * CYCLE, 10 * CYCLE + 1, 100 * CYCLE + 3]) {
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
      for (const t of [k * CYCLE - 1, k * CYCLE, k * CYCLE + 1, k * CYCLE + CYCLE / 2]) {
        if (t >= 0) probedRig.clock.schedule(() => seen.push(probed(probedRig.device)), t);
      }
    }
    for (const line of Object.values(probedRig.device.lines)) line.level$.subscribe(() => seen.push(probed(probedRig.device)));
    for (const rg of [plain, probedRig]) {
      program(rg);
      rg.clock.advanceTo(5 * CYCLE + 1);
      rg.w(ISR, 1);
      rg.clock.advanceTo(16 * CYCLE);
    }
    expect(seen.length).toBeGreaterThan(60);
    expect(probedRig.events).toEqual(plain.events);
    expect(probedRig.levels).toEqual(plain.levels);
    expect(probedRig.device.snapshot()).toEqual(plain.device.snapshot());
    expect(guest(probedRig)).toEqual(guest(plain));
  });

  it('registers: the full CORTEX_A9_TIMER_WATCHDOG_REGISTERS list in map order, with offsets and sizes in bytes', () => {
    const { device } = rig();
    expect(device.registers).toEqual(
      CORTEX_A9_TIMER_WATCHDOG_REGISTERS.registers.map((reg) => ({ name: reg.name, offset: reg.offset, size: reg.bytes })),
    );
    const byName = new Map(device.registers.map((reg) => [reg.name, reg]));
    expect(byName.get('COUNTER')).toEqual({ name: 'COUNTER', offset: 0x04, size: 4 });
    expect(byName.get('WCOUNTER')).toEqual({ name: 'WCOUNTER', offset: 0x24, size: 4 });
    expect(byName.get('WDISABLE')).toEqual({ name: 'WDISABLE', offset: 0x34, size: 4 });
    expect(Object.isFrozen(device.registers)).toBe(true);
    expect(rig().device.registers).toBe(device.registers); // computed once, shared by every instance
  });
});
