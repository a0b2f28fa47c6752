// The timestamp counter of the Xilinx CAN controllers, one decision of the device header (X1…X10)
// at a time, on both variants where they agree. 25 MHz: a cycle is 40 ns, a wrap 2 621 440 ns.
import { describe, expect, it } from 'vitest';
import {
  XLNX_CAN_TIMESTAMP_POLICY,
  XLNX_VERSAL_CANFD_REGISTERS,
  XLNX_ZYNQMP_CAN_REGISTERS,
  XlnxCanTimestamp,
} from '../../../devices/xlnx-can-timestamp';
import { ClockInput, DeviceConfigError, RegisterSnapshotError, VirtualClock } from '../../../index';
import { thrown } from '../../support/errors';
import {
  CEN,
  CONFIG,
  CTS,
  HZ,
  ICR,
  IER,
  ISR,
  makeRig,
  RB_DLC,
  RXFIFO_DLC,
  SR,
  SRR,
  SRST,
  TCR,
  TICK,
  TSCNT_OFLW,
  TSR,
  VARIANTS,
  WRAP,
  WRAP_NS,
  type Rig,
} from './rig';

/** A rig with CEN set at `at`: the counter starts from 0 there. */
const counting = (variant: (typeof VARIANTS)[number], at = 1_000): Rig => {
  const rig = makeRig({ variant });
  rig.clock.advanceTo(at);
  rig.w(SRR, CEN);
  return rig;
};

const wraps = (rig: Rig): number[] => rig.events.filter((e) => e.kind === 'expiry').map((e) => e.time);

describe.each(VARIANTS)('XlnxCanTimestamp (%s)', (variant) => {
  const T0 = 1_000;

  it('X1: from CEN the counter reads 0 for a whole cycle, k after k cycles, 0xFFFF in the last cycle and wraps to 0 after 2^16 cycles', () => {
    const rig = counting(variant, T0);
    const at = (ns: number): number => {
      rig.clock.advanceTo(T0 + ns);
      return rig.stamp();
    };
    expect([at(0), at(1), at(TICK), at(TICK + 1), at(2 * TICK + 1), at(1000 * TICK + 1)]).toEqual([0, 0, 0, 1, 2, 1000]);
    // A read at a step's own instant sees the value before it; the wrap is the expiry step (X11).
    expect([at(WRAP_NS - TICK), at(WRAP_NS - TICK + 1), at(WRAP_NS - 1)]).toEqual([0xfffe, 0xffff, 0xffff]);
    expect([at(WRAP_NS), at(WRAP_NS + TICK), at(WRAP_NS + TICK + 1)]).toEqual([0, 0, 1]);
    expect(wraps(rig)).toEqual([T0 + WRAP_NS]);
    rig.clock.advanceTo(T0 + 3 * WRAP_NS);
    expect(wraps(rig)).toEqual([1, 2, 3].map((k) => T0 + k * WRAP_NS));
    expect(rig.device.probes[0]!.read()).toBe(0n);
  });

  it('X1: the policy is the one flag that makes 2^16 minus the count read like the hardware counter', () => {
    expect(XLNX_CAN_TIMESTAMP_POLICY).toEqual(['NO_COUNTER_ROUND_DOWN']);
    expect(counting(variant).device.timer.policy).toEqual(['NO_COUNTER_ROUND_DOWN']);
  });

  it('X2: out of reset the controller is in configuration mode: the counter is held at 0 however long', () => {
    const rig = makeRig({ variant });
    expect(rig.r(SRR)).toBe(0);
    expect(rig.r(SR)).toBe(CONFIG);
    rig.clock.advanceTo(10 * WRAP_NS);
    expect(rig.device.probes[0]!.read()).toBe(0n);
    expect(wraps(rig)).toEqual([]);
    expect(rig.device.timer.mode).toBe('stopped');
  });

  it('X2: setting CEN starts the counter from 0 at the write; a write that keeps CEN changes nothing; clearing it clears and holds it', () => {
    const rig = counting(variant, T0);
    rig.clock.advanceTo(T0 + 500 * TICK + 1);
    rig.w(SRR, CEN); // CEN kept
    expect(rig.stamp()).toBe(500);
    rig.clock.advanceTo(T0 + 700 * TICK + 1);
    rig.w(SRR, 0);
    expect(rig.device.probes[0]!.read()).toBe(0n);
    rig.clock.advanceTo(T0 + 3 * WRAP_NS);
    expect(rig.device.probes[0]!.read()).toBe(0n);
    expect(wraps(rig)).toEqual([]);
    const again = T0 + 3 * WRAP_NS;
    rig.w(SRR, CEN);
    rig.clock.advanceTo(again + 9 * TICK + 1);
    expect(rig.stamp()).toBe(9);
    rig.clock.advanceTo(again + WRAP_NS);
    expect(wraps(rig)).toEqual([again + WRAP_NS]);
  });

  it('X3: CTS clears the counter at the write; it counts on, and wraps 2^16 cycles after the clear', () => {
    const rig = counting(variant, T0);
    const clear = T0 + 12_345 * TICK + 17;
    rig.clock.advanceTo(clear);
    rig.w(TCR, CTS);
    expect(rig.stamp()).toBe(0);
    rig.clock.advanceTo(clear + TICK);
    expect(rig.stamp()).toBe(0);
    rig.clock.advanceTo(clear + TICK + 1);
    expect(rig.stamp()).toBe(1);
    rig.clock.advanceTo(clear + WRAP_NS);
    expect(wraps(rig)).toEqual([clear + WRAP_NS]);
  });

  it('X3: CTS 0 changes nothing; CTS in configuration mode changes nothing (held at 0); the register stores nothing and reads 0 in bits 15:0', () => {
    const rig = counting(variant, T0);
    rig.clock.advanceTo(T0 + 300 * TICK + 1);
    rig.w(TCR, 0);
    expect(rig.stamp()).toBe(300);
    expect(rig.r(TCR) & 0xffff).toBe(0);
    const config = makeRig({ variant });
    config.w(TCR, CTS);
    config.w(SRR, CEN);
    config.clock.advanceTo(5 * TICK + 1);
    expect(config.stamp()).toBe(5);
    expect(config.device.snapshot().registers.registers[variant === 'versal' ? 'TSR' : 'TCR']).toBe(0);
  });

  it('X5: SRST resets the controller: CEN 0, the counter cleared and held, SRR reads 0; SRST with CEN: the reset wins', () => {
    const rig = counting(variant, T0);
    rig.clock.advanceTo(T0 + 1234 * TICK + 1);
    rig.device.captureRxTimestamp();
    rig.w(SRR, SRST | CEN);
    expect([rig.r(SRR), rig.r(SR), rig.device.probes[0]!.read()]).toEqual([0, CONFIG, 0n]);
    expect(rig.r(variant === 'versal' ? RB_DLC : RXFIFO_DLC)).toBe(0);
    rig.clock.advanceTo(T0 + 3 * WRAP_NS);
    expect(wraps(rig)).toEqual([]);
  });

  it('X6: a stored frame carries the counter at that instant in its DLC word; in configuration mode nothing is received', () => {
    const rig = makeRig({ variant });
    const dlc = variant === 'versal' ? RB_DLC : RXFIFO_DLC;
    rig.clock.advanceTo(T0);
    expect(rig.device.captureRxTimestamp()).toBeUndefined();
    expect(rig.r(dlc)).toBe(0);
    rig.w(SRR, CEN);
    rig.clock.advanceTo(T0 + 4321 * TICK + 5);
    expect(rig.device.captureRxTimestamp()).toBe(4321);
    expect(rig.r(dlc)).toBe(4321);
    rig.clock.advanceTo(T0 + WRAP_NS + 7 * TICK + 1);
    expect(rig.device.captureRxTimestamp()).toBe(7);
    // Kept in configuration mode (the RX FIFO keeps its messages); not overwritten there.
    rig.w(SRR, 0);
    expect(rig.device.captureRxTimestamp()).toBeUndefined();
    expect(rig.r(dlc)).toBe(7);
  });

  it('X8: SR.CONFIG is SRR.CEN inverted, the other status bits read 0; SR stores nothing (its reset value)', () => {
    const rig = makeRig({ variant });
    expect(rig.r(SR)).toBe(1);
    rig.w(SRR, CEN);
    expect(rig.r(SR)).toBe(0);
    rig.w(SRR, 0);
    expect(rig.r(SR)).toBe(1);
    expect(rig.device.snapshot().registers.registers['SR']).toBe(1);
  });

  it('X10: a stopped CAN clock freezes the counter; running again it goes on from its reading with a fresh cycle', () => {
    const rig = counting(variant, T0);
    rig.clock.advanceTo(T0 + 100 * TICK + 13);
    rig.canClk.setHz(0);
    rig.clock.advanceTo(T0 + 5 * WRAP_NS);
    expect(rig.stamp()).toBe(100);
    expect(wraps(rig)).toEqual([]);
    const resume = rig.clock.now();
    rig.canClk.setHz(HZ);
    rig.clock.advanceTo(resume + TICK);
    expect(rig.stamp()).toBe(100);
    rig.clock.advanceTo(resume + TICK + 1);
    expect(rig.stamp()).toBe(101);
    rig.clock.advanceTo(resume + (WRAP - 100) * TICK);
    expect(wraps(rig)).toEqual([resume + (WRAP - 100) * TICK]);
  });

  it('X10: a rate change re-times the counter from its reading (the partial cycle is lost)', () => {
    const rig = counting(variant, 0);
    rig.clock.advanceTo(10 * TICK + 20);
    rig.canClk.setHz(HZ / 2); // 80 ns a cycle
    rig.clock.advanceTo(10 * TICK + 20 + 80);
    expect(rig.stamp()).toBe(10);
    rig.clock.advanceTo(10 * TICK + 20 + 81);
    expect(rig.stamp()).toBe(11);
  });

  it('reset(): registers to their reset values, the counter held at 0, the RX timestamp 0, the line low', () => {
    const rig = counting(variant, T0);
    rig.w(IER, TSCNT_OFLW);
    rig.clock.advanceTo(T0 + WRAP_NS + 99 * TICK + 1);
    rig.device.captureRxTimestamp();
    rig.device.reset();
    const fresh = makeRig({ variant, clock: new VirtualClock({ start: rig.clock.now() }) });
    expect(rig.device.snapshot().registers).toEqual(fresh.device.snapshot().registers);
    expect([rig.device.probes[0]!.read(), rig.device.irq.level, rig.device.timer.mode]).toEqual([0n, false, 'stopped']);
    rig.clock.advanceTo(T0 + 4 * WRAP_NS);
    expect(wraps(rig)).toEqual([T0 + WRAP_NS]);
  });

  it('snapshot/restore: a fresh model at the same time takes the state and continues alike', () => {
    const rig = counting(variant, T0);
    rig.w(IER, TSCNT_OFLW);
    rig.clock.advanceTo(T0 + WRAP_NS + 777 * TICK + 3);
    rig.device.captureRxTimestamp();
    const snapshot = JSON.parse(JSON.stringify(rig.device.snapshot())) as unknown;
    const copy = makeRig({ variant, clock: new VirtualClock({ start: rig.clock.now() }) });
    copy.device.restore(snapshot);
    expect(copy.device.snapshot()).toEqual(rig.device.snapshot());
    expect(copy.device.irq.level).toBe(rig.device.irq.level);
    for (const r of [rig, copy]) r.clock.advanceTo(T0 + 3 * WRAP_NS + 5);
    expect(copy.stamp()).toBe(rig.stamp());
    expect(copy.device.snapshot()).toEqual(rig.device.snapshot());
  });

  it('options: the variant names its default instance, and bad options are DeviceConfigErrors naming the field', () => {
    const canClk = new ClockInput('can_clk', HZ);
    expect(new XlnxCanTimestamp(new VirtualClock(), { canClk, variant }).name).toBe(variant === 'versal' ? 'xlnx-versal-canfd' : 'xlnx-zynqmp-can');
    const cases: [unknown, string][] = [
      [{ canClk, variant: 'zynq7000' }, 'XlnxCanTimestamp(options.variant)'],
      [{ variant }, 'XlnxCanTimestamp(options.canClk)'],
      [{ canClk: 25_000_000, variant }, 'XlnxCanTimestamp(options.canClk)'],
      [{ canClk, variant, brp: 3 }, 'XlnxCanTimestamp(options.brp)'],
      [{ canClk, variant, delivery: 'later' }, 'XlnxCanTimestamp(options.delivery)'],
      [{ canClk, variant, name: '' }, 'XlnxCanTimestamp(options.name)'],
    ];
    for (const [options, what] of cases) {
      const error = thrown(() => new XlnxCanTimestamp(new VirtualClock(), options as never));
      expect(error).toBeInstanceOf(DeviceConfigError);
      expect((error as Error).message.startsWith(`${what}: `)).toBe(true);
    }
  });

  it('the registers are the variant map, at their real offsets', () => {
    const map = variant === 'versal' ? XLNX_VERSAL_CANFD_REGISTERS : XLNX_ZYNQMP_CAN_REGISTERS;
    expect(makeRig({ variant }).device.registers.map((r) => [r.name, r.offset])).toEqual(map.registers.map((r) => [r.name, r.offset]));
    expect(map.registers.map((r) => r.name)).toEqual(
      variant === 'versal' ? ['SRR', 'SR', 'ISR', 'IER', 'ICR', 'TSR', 'RB_DLC'] : ['SRR', 'SR', 'TCR', 'RXFIFO_DLC'],
    );
  });
});

describe('XlnxCanTimestamp (versal): the overflow interrupt', () => {
  const T0 = 1_000;

  it('X4: every wrap sets ISR.TSCNT_OFLW, masked or not; the line is TSCNT_OFLW && ETSCNT_OFLW; ICR.CTSCNT_OFLW clears it', () => {
    const rig = counting('versal', T0);
    rig.clock.advanceTo(T0 + WRAP_NS - 1);
    expect([rig.r(ISR), rig.device.irq.level]).toEqual([0, false]);
    rig.clock.advanceTo(T0 + WRAP_NS);
    expect([rig.r(ISR), rig.device.irq.level]).toEqual([TSCNT_OFLW, false]);
    rig.w(IER, TSCNT_OFLW); // enabling a pending status raises the line at the write
    expect(rig.device.irq.level).toBe(true);
    rig.w(ICR, 0); // a 0 clears nothing
    expect(rig.r(ISR)).toBe(TSCNT_OFLW);
    rig.w(ICR, TSCNT_OFLW);
    expect([rig.r(ISR), rig.device.irq.level]).toEqual([0, false]);
    rig.clock.advanceTo(T0 + 2 * WRAP_NS);
    expect([rig.r(ISR), rig.device.irq.level]).toEqual([TSCNT_OFLW, true]);
    rig.w(IER, 0);
    expect(rig.device.irq.level).toBe(false);
  });

  it('X4: a clear (CTS, CEN) is not a wrap: it never sets TSCNT_OFLW, and leaving operation keeps a pending one', () => {
    const rig = counting('versal', T0);
    rig.w(IER, TSCNT_OFLW);
    rig.clock.advanceTo(T0 + WRAP_NS - 1);
    rig.w(TSR, CTS);
    rig.w(SRR, 0);
    rig.w(SRR, CEN);
    expect(rig.r(ISR)).toBe(0);
    rig.clock.advanceTo(T0 + 2 * WRAP_NS);
    expect(rig.r(ISR)).toBe(TSCNT_OFLW);
    rig.w(SRR, 0);
    expect([rig.r(ISR), rig.device.irq.level]).toEqual([TSCNT_OFLW, true]);
  });

  it('X5: SRST clears TSCNT_OFLW and the enables: the line falls', () => {
    const rig = counting('versal', T0);
    rig.w(IER, TSCNT_OFLW | 1);
    rig.clock.advanceTo(T0 + WRAP_NS);
    expect(rig.device.irq.level).toBe(true);
    rig.w(SRR, SRST);
    expect([rig.r(ISR), rig.r(IER), rig.device.irq.level]).toEqual([0, 0, false]);
  });

  it('X7: TSR.TIMESTAMP_CNT is the counter at the read (the standalone driver reads it as the live count)', () => {
    const rig = counting('versal', T0);
    for (const k of [1, 17, 40_000, WRAP - 1]) {
      rig.clock.advanceTo(T0 + k * TICK + 1);
      expect(rig.r(TSR)).toBe(k * 0x1_0000);
    }
  });

  it('X8: the other IER enables are stored and read back, each reported when written 1; the other ICR bits are reported', () => {
    const rig = makeRig({ variant: 'versal' });
    rig.w(IER, ((1 << 4) | TSCNT_OFLW | (1 << 31) | (1 << 7) | (1 << 20)) >>> 0);
    expect(rig.r(IER)).toBe(((1 << 4) | TSCNT_OFLW | (1 << 31)) >>> 0); // reserved bits 7 and 20 read 0
    expect(rig.events.map((e) => (e.kind === 'unimplemented' ? e.feature : e.kind))).toEqual(['IER.ERXOK', 'IER.ETXEWMFLL']);
    rig.events.length = 0;
    rig.w(ICR, (1 << 4) | TSCNT_OFLW);
    expect(rig.events.map((e) => (e.kind === 'unimplemented' ? e.feature : e.kind))).toEqual(['ICR.CRXOK']);
    expect(rig.device.snapshot().registers.registers['ICR']).toBe(0);
  });

  it('the ZynqMP has no overflow status: its line never rises, its ISR is the controller (not modelled)', () => {
    const rig = counting('zynqmp', T0);
    rig.clock.advanceTo(T0 + 3 * WRAP_NS);
    expect(wraps(rig)).toHaveLength(3);
    expect(rig.device.irq.level).toBe(false);
    rig.events.length = 0;
    expect(rig.r(ISR)).toBe(0);
    expect(rig.events).toEqual([{ kind: 'unimplemented', time: rig.clock.now(), source: 'xlnx-zynqmp-can', offset: ISR, feature: 'ISR (CAN controller read: not modelled)' }]);
  });

  it('a snapshot of one variant is refused by the other at variant, changing nothing', () => {
    const versal = counting('versal', T0);
    const zynqmp = makeRig({ variant: 'zynqmp', clock: new VirtualClock({ start: versal.clock.now() }) });
    const before = zynqmp.device.snapshot();
    const snapshot = { ...versal.device.snapshot(), device: 'xlnx-zynqmp-can' };
    const error = thrown(() => zynqmp.device.restore(snapshot)) as RegisterSnapshotError;
    expect(error).toBeInstanceOf(RegisterSnapshotError);
    expect(error.field).toBe('variant');
    expect(zynqmp.device.snapshot()).toEqual(before);
  });
});

describe('Timing (the ZynqMP catalogue clock, 24 MHz: 41⅔ ns a cycle, a wrap every 2 730 666⅔ ns)', () => {
  const wrapTimes = (timing: 'exact' | 'qemu'): number[] => {
    const rig = makeRig({ variant: 'zynqmp', hz: 24_000_000, timing });
    rig.w(SRR, CEN);
    rig.clock.advanceTo(1000 * 2_730_667);
    return wraps(rig);
  };

  it("exact (the default): the k-th wrap at ⌊k·2^16·10^9/24·10^6⌋ ns, the 1000th at 2 730 666 666 ns", () => {
    const seen = wrapTimes('exact');
    expect(seen).toHaveLength(1000);
    expect(seen).toEqual(seen.map((_, i) => Math.floor(((i + 1) * WRAP * 125) / 3)));
    expect(seen[999]).toBe(2_730_666_666);
  });

  it("'qemu': QEMU's period (41 + 2 863 311 530·2^-32 ns) floored per wrap: 2 730 666 ns each, the 1000th 666 ns early", () => {
    const seen = wrapTimes('qemu');
    expect(seen).toEqual(seen.map((_, i) => (i + 1) * 2_730_666));
    expect(seen[999]).toBe(2_730_666_000);
  });
});
