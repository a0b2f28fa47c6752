// The A10 timer block's introspection members (Device.lines, probes, registers): the lines are
// the six per-timer outputs and their OR, each timer's probe reads what a guest read of
// TMRn_CUR_VALUE_REG returns at that instant, the `cnt64` probe reads the 64-bit counter that a
// CNT64_RL_EN latch would capture, without latching it, and the register list is the map's.
// Timer 0: LOSC ÷64 (1 953 125 ns per tick), INTV 3, continuous: 3, 2, 1, then 0 with the
// interrupt at 3 ticks, INTV again one tick later. Timer 1: OSC24M ÷1 (41⅔ ns), INTV 1000, continuous.
import { describe, expect, it } from 'vitest';
import { ALLWINNER_A10_PIT_REGISTERS, type AllwinnerA10Pit } from '../../../devices/allwinner-a10-pit';
import {
  CNT64_CLR_EN,
  CNT64_CTRL_REG,
  CNT64_HI_REG,
  CNT64_LO_REG,
  CNT64_RL_EN,
  CTRL,
  CUR,
  EN,
  INTV,
  LOSC_DIV64,
  LOSC_TICK,
  makeRig,
  RELOAD,
  SRC_OSC24M,
  TMR_IRQ_EN_REG,
  TMR_IRQ_STA_REG,
} from './rig';

const T = LOSC_TICK;
const TIMERS = [0, 1, 2, 3, 4, 5] as const;

const rig = () => {
  const base = makeRig();
  const levels: string[] = [];
  for (const [key, line] of Object.entries(base.device.lines)) line.level$.subscribe((l) => levels.push(`${base.clock.now()} ${key}=${l}`));
  return { ...base, levels };
};
type Rig = ReturnType<typeof rig>;

/** Each probe's value now, by name. */
const probed = (device: AllwinnerA10Pit): Record<string, bigint> => Object.fromEntries(device.probes.map((p) => [p.name, p.read()]));

/** The 64-bit counter as a driver reads it: a CNT64_RL_EN latch, then CNT64_HI:CNT64_LO (a guest read with a side effect). */
const latchedCnt64 = ({ r, w }: Rig): bigint => {
  w(CNT64_CTRL_REG, CNT64_RL_EN);
  return (BigInt(r(CNT64_HI_REG)) << 32n) | BigInt(r(CNT64_LO_REG));
};

/** What the guest reads now, keyed like the probes: each timer's CUR_VALUE, and the 64-bit counter through its latch. */
const guest = (rg: Rig): Record<string, bigint> => ({
  ...Object.fromEntries(TIMERS.map((i) => [`timer${i}.value`, BigInt(rg.r(CUR(i)))])),
  cnt64: latchedCnt64(rg),
});

/** Everything a probe read could disturb: the device's state (the CNT64 latch included), its events and lines, the clock's queue. */
const world = ({ clock, device, events, levels }: Rig) => ({
  snapshot: device.snapshot(),
  events: events.length,
  levels: levels.length,
  pending: clock.pending,
  scheduled: clock.scheduledCount,
  next: clock.nextDeadline(),
});

const program = ({ w }: Rig): void => {
  w(TMR_IRQ_EN_REG, 0b11);
  w(INTV(0), 3);
  w(CTRL(0), LOSC_DIV64 | EN | RELOAD);
  w(INTV(1), 1000);
  w(CTRL(1), SRC_OSC24M | EN | RELOAD);
};

describe('AllwinnerA10Pit introspection', () => {
  it('lines: exactly irq0 … irq5 and irq, each the public member itself', () => {
    const { device } = rig();
    expect(Object.keys(device.lines)).toEqual(['irq0', 'irq1', 'irq2', 'irq3', 'irq4', 'irq5', 'irq']);
    for (const i of TIMERS) expect(device.lines[`irq${i}`]).toBe(device.irqs[i]);
    expect(device.lines.irq).toBe(device.irq);
    expect(Object.isFrozen(device.lines)).toBe(true);
  });

  it('probes: timer0.value … timer5.value (32 bits) and cnt64 (64 bits), fixed at construction', () => {
    const { device } = rig();
    expect(device.probes.map((p) => [p.name, p.width])).toEqual([
      ['timer0.value', 32],
      ['timer1.value', 32],
      ['timer2.value', 32],
      ['timer3.value', 32],
      ['timer4.value', 32],
      ['timer5.value', 32],
      ['cnt64', 64],
    ]);
    expect(Object.isFrozen(device.probes)).toBe(true);
    expect(device.probes.every((p) => Object.isFrozen(p))).toBe(true);
  });

  it('each probe reads what the guest reads: CUR_VALUE running, at and after a zero, stopped; CNT64 as a latch would capture it', () => {
    const rg = rig();
    const { clock, device, r, w } = rg;
    expect(probed(device)).toEqual(guest(rg));
    // Reads ordered before timer 0's zero at 3 ticks (queued before the timers are armed) see 1.
    const beforeStep: bigint[] = [];
    clock.schedule(() => beforeStep.push(probed(device)['timer0.value']!, BigInt(r(CUR(0)))), 3 * T);
    program(rg);
    for (const t of [0, 1, 41, 42, 1_000, T, T + 1, 2 * T + 7, 3 * T - 1, 3 * T, 3 * T + 1, 4 * T, 4 * T + 1, 5 * T + 123_457]) {
      clock.advanceTo(t);
      expect(probed(device), `at ${t} ns`).toEqual(guest(rg));
    }
    expect(beforeStep).toEqual([1n, 1n]);
    clock.advanceTo(7 * T); // timer 0's second zero
    expect(probed(device)['timer0.value']).toBe(0n);
    expect(r(TMR_IRQ_STA_REG) & 1).toBe(1);
    // Timer 0 paused (EN cleared) at 8.5 ticks: CUR holds, and the probe with it; timer 1 and CNT64 run on.
    clock.advanceTo(8 * T + T / 2 + 0.5);
    w(CTRL(0), LOSC_DIV64);
    for (const t of [9 * T, 9 * T + 1, 20 * T]) {
      clock.advanceTo(t);
      expect(probed(device), `at ${t} ns`).toEqual(guest(rg));
      expect(r(CUR(0))).toBe(3);
    }
  });

  it('cnt64 is the whole 64-bit count: past 2^32 OSC24M ticks it still equals the latched CNT64_HI:CNT64_LO', () => {
    const rg = rig();
    const { clock, device, w } = rg;
    const cnt64 = device.probes.find((p) => p.name === 'cnt64')!;
    clock.advanceTo(200_000_000_000); // 200 s at 24 MHz: 4.8e9 ticks, above 2^32
    expect(cnt64.read()).toBe(4_800_000_000n);
    expect(cnt64.read()).toBe(latchedCnt64(rg));
    clock.advanceTo(200_000_000_001);
    expect(cnt64.read()).toBe(latchedCnt64(rg));
    w(CNT64_CTRL_REG, CNT64_CLR_EN); // cleared: counts from 0 again
    clock.advanceTo(200_000_001_001); // 1 µs after the clear
    expect(cnt64.read()).toBe(24n);
    expect(cnt64.read()).toBe(latchedCnt64(rg));
  });

  it('the cnt64 probe latches nothing: CNT64_LO and CNT64_HI keep the last latched value', () => {
    const rg = rig();
    const { clock, device, r, w } = rg;
    const cnt64 = device.probes.find((p) => p.name === 'cnt64')!;
    clock.advanceTo(1_000_000);
    w(CNT64_CTRL_REG, CNT64_RL_EN);
    expect([r(CNT64_LO_REG), r(CNT64_HI_REG)]).toEqual([24_000, 0]);
    clock.advanceTo(5_000_000);
    expect(cnt64.read()).toBe(120_000n);
    expect([r(CNT64_LO_REG), r(CNT64_HI_REG)]).toEqual([24_000, 0]); // still the latch of 1 ms
    expect(r(CNT64_CTRL_REG)).toBe(0);
  });

  it('reading the probes has no side effect: same snapshot, no event, no line change, nothing scheduled', () => {
    const rg = rig();
    const { clock, device, w } = rg;
    program(rg);
    w(CNT64_CTRL_REG, CNT64_RL_EN); // a latch to disturb, if a probe could
    for (const t of [0, 42, T + 1, 3 * T, 3 * T + 1, 4 * T + 1, 40 * T + 3]) {
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
    for (let k = 0; k <= 10; k++) {
      for (const t of [k * T - 1, k * T, k * T + 1, k * T + 41, k * T + 42, k * T + T / 2 + 0.5]) {
        if (t >= 0) probedRig.clock.schedule(() => seen.push(probed(probedRig.device)), t);
      }
    }
    for (const line of Object.values(probedRig.device.lines)) line.level$.subscribe(() => seen.push(probed(probedRig.device)));
    for (const rg of [plain, probedRig]) {
      program(rg);
      rg.clock.advanceTo(5 * T + 1);
      rg.w(TMR_IRQ_STA_REG, 0b11);
      rg.clock.advanceTo(10 * T);
    }
    expect(seen.length).toBeGreaterThan(60);
    expect(probedRig.events).toEqual(plain.events);
    expect(probedRig.levels).toEqual(plain.levels);
    expect(probedRig.device.snapshot()).toEqual(plain.device.snapshot());
    expect(guest(probedRig)).toEqual(guest(plain));
  });

  it('registers: the full ALLWINNER_A10_PIT_REGISTERS list in map order, with offsets and sizes in bytes', () => {
    const { device } = rig();
    expect(device.registers).toEqual(
      ALLWINNER_A10_PIT_REGISTERS.registers.map((reg) => ({ name: reg.name, offset: reg.offset, size: reg.bytes })),
    );
    const byName = new Map(device.registers.map((reg) => [reg.name, reg]));
    expect(byName.get('TMR_IRQ_STA_REG')).toEqual({ name: 'TMR_IRQ_STA_REG', offset: 0x04, size: 4 });
    expect(byName.get('TMR5_CUR_VALUE_REG')).toEqual({ name: 'TMR5_CUR_VALUE_REG', offset: 0x68, size: 4 });
    expect(byName.get('CNT64_HI_REG')).toEqual({ name: 'CNT64_HI_REG', offset: 0xa8, size: 4 });
    expect(device.registers.some((reg) => reg.offset >= 0x100)).toBe(false); // the RTC window is not in the map
    expect(Object.isFrozen(device.registers)).toBe(true);
    expect(rig().device.registers).toBe(device.registers); // computed once, shared by every instance
  });
});
