// The A10 timer block's introspection members (Device.lines, probes, registers): the lines are
// the six per-timer outputs and their OR, each timer's probe reads what a guest read of
// TMRn_CUR_VALUE_REG returns at that instant, the `cnt64` probe reads the 64-bit counter that a
// CNT64_RL_EN latch would capture, without latching it, and the register list is the map's.
// Timer 0: LOSC ÷64 (1 953 125 ns per tick), INTV 3, continuous: 3, 2, 1, then 0 with the
// interrupt at 3 ticks, INTV again one tick later. Timer 1: OSC24M ÷1 (41⅔ ns), INTV 1000, continuous.
import { expect, it } from 'vitest';
import { ALLWINNER_A10_PIT_REGISTERS } from '../../../devices/allwinner-a10-pit';
import { describeIntrospection, probed, registerReads, withLevels } from '../../support/introspection';
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

const rig = () => withLevels(makeRig());
type Rig = ReturnType<typeof rig>;

/** The 64-bit counter as a driver reads it: a CNT64_RL_EN latch, then CNT64_HI:CNT64_LO (a guest read with a side effect). */
const latchedCnt64 = ({ r, w }: Rig): bigint => {
  w(CNT64_CTRL_REG, CNT64_RL_EN);
  return (BigInt(r(CNT64_HI_REG)) << 32n) | BigInt(r(CNT64_LO_REG));
};

describeIntrospection(
  'AllwinnerA10Pit',
  {
    rig,
    lines: (device) => ({ ...Object.fromEntries(TIMERS.map((i) => [`irq${i}`, device.irqs[i]])), irq: device.irq }),
    probes: [...TIMERS.map((i) => [`timer${i}.value`, 32] as const), ['cnt64', 64]],
    // Each timer's CUR_VALUE, and the 64-bit counter through its latch.
    guest: (rg) => ({
      ...Object.fromEntries(TIMERS.map((i) => [`timer${i}.value`, BigInt(rg.r(CUR(i)))])),
      cnt64: latchedCnt64(rg),
    }),
    program: ({ w }) => {
      w(TMR_IRQ_EN_REG, 0b11);
      w(INTV(0), 3);
      w(CTRL(0), LOSC_DIV64 | EN | RELOAD);
      w(INTV(1), 1000);
      w(CTRL(1), SRC_OSC24M | EN | RELOAD);
    },
    tracking: {
      title: 'CUR_VALUE running, at and after a zero, stopped; CNT64 as a latch would capture it',
      // Reads of timer 0 ordered before its zero at 3 ticks (queued before the timers are armed) see 1.
      queuedAt: [3 * T],
      queuedRead: registerReads({ 'timer0.value': CUR(0) }),
      queuedSee: [{ 'timer0.value': 1n }],
      instants: [0, 1, 41, 42, 1_000, T, T + 1, 2 * T + 7, 3 * T - 1, 3 * T, 3 * T + 1, 4 * T, 4 * T + 1, 5 * T + 123_457],
      then: ({ clock, device, r, w }, sweep) => {
        clock.advanceTo(7 * T); // timer 0's second zero
        expect(probed(device)['timer0.value']).toBe(0n);
        expect(r(TMR_IRQ_STA_REG) & 1).toBe(1);
        // Timer 0 paused (EN cleared) at 8.5 ticks: CUR holds, and the probe with it; timer 1 and CNT64 run on.
        clock.advanceTo(8 * T + T / 2 + 0.5);
        w(CTRL(0), LOSC_DIV64);
        sweep([9 * T, 9 * T + 1, 20 * T], () => expect(r(CUR(0))).toBe(3));
      },
    },
    // The CNT64 latch (part of the device's state) is one to disturb, if a probe could.
    noSideEffects: { instants: [0, 42, T + 1, 3 * T, 3 * T + 1, 4 * T + 1, 40 * T + 3], prepare: ({ w }) => w(CNT64_CTRL_REG, CNT64_RL_EN) },
    twin: {
      tick: T,
      rounds: 10,
      offsets: [-1, 0, 1, 41, 42, T / 2 + 0.5],
      serviceAt: 5 * T + 1,
      service: ({ w }) => w(TMR_IRQ_STA_REG, 0b11),
      minSeen: 60,
    },
    registers: {
      map: ALLWINNER_A10_PIT_REGISTERS,
      at: { TMR_IRQ_STA_REG: 0x04, TMR5_CUR_VALUE_REG: 0x68, CNT64_HI_REG: 0xa8 },
      also: (registers) => expect(registers.some((reg) => reg.offset >= 0x100)).toBe(false), // the RTC window is not in the map
    },
  },
  () => {
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
      const { clock, device, r, w } = rig();
      const cnt64 = device.probes.find((p) => p.name === 'cnt64')!;
      clock.advanceTo(1_000_000);
      w(CNT64_CTRL_REG, CNT64_RL_EN);
      expect([r(CNT64_LO_REG), r(CNT64_HI_REG)]).toEqual([24_000, 0]);
      clock.advanceTo(5_000_000);
      expect(cnt64.read()).toBe(120_000n);
      expect([r(CNT64_LO_REG), r(CNT64_HI_REG)]).toEqual([24_000, 0]); // still the latch of 1 ms
      expect(r(CNT64_CTRL_REG)).toBe(0);
    });
  },
);
