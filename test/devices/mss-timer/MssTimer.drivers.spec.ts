// The register sequences of Microchip's bare-metal MSS timer driver (mss_timer.h, the SmartFusion2
// and PolarFire SoC versions; MIT licence), written from what each function does to the
// registers (which ones, in which order, reference devices-2.md §8), not from its code:
// - MSS_TIMx_init(mode): TIM64_MODE = 0; TIMx_CTRL = mode << 1 (stopped, interrupt off);
//   TIMx_RIS = 1. MSS_TIM64_init(mode): TIM64_MODE = 1; TIM64_CTRL = mode << 1; TIM1_RIS = 1;
//   TIM2_RIS = 1. The PolarFire version reads TIM64_MODE, TIM1_CTRL and TIM1_RIS back.
// - start / stop / enable_irq / disable_irq: a read-modify-write of the CTRL register setting or
//   clearing ENABLE (bit 0) or INTEN (bit 2) (the SmartFusion version does the same through
//   the Cortex-M3 bit-band alias, one read and one write of the word).
// - load_immediate(v): TIMx_LOADVAL = v; load_background(v): TIMx_BGLOADVAL = v; the 64-bit
//   versions write the U register, then the L register.
// - get_current_value: TIMx_VAL; the 64-bit one reads TIM64_VAL_L, then TIM64_VAL_U.
// - clear_irq: TIMx_RIS = 1 (TIM64_RIS = 1), in the interrupt handler (Timer1_IRQHandler for
//   timer 1 and the 64-bit timer, Timer2_IRQHandler for timer 2).
// The use models are UG0331 §18.3.2's: a 1 ms periodic interrupt and a 30 s 64-bit one-shot, at
// 100 MHz.
import { describe, expect, it } from 'vitest';
import { guestRead, guestWrite, runDriver, waitForIrq, type AccessResult, type DriverCommand, type DriverInput, type IrqSignal } from '../../../index';
import {
  BGLOADVAL,
  CTRL,
  ENABLE,
  INTEN,
  LOADVAL,
  makeRig,
  RIS,
  TICK,
  tim,
  TIM64_BGLOADVAL_L,
  TIM64_BGLOADVAL_U,
  TIM64_CTRL,
  TIM64_LOADVAL_L,
  TIM64_LOADVAL_U,
  TIM64_MODE,
  TIM64_RIS,
  TIM64_VAL_L,
  TIM64_VAL_U,
  VAL,
  type Rig,
} from './rig';

type Program = Generator<DriverCommand, void, DriverInput>;
const PERIODIC = 0;
const ONE_SHOT = 1;
const T0 = 1_000_000; // the application starts 1 ms after boot

/** CTRL |= bits, as the driver's read-modify-write. */
function* setBits(offset: number, bits: number): Program {
  const value = (yield guestRead(offset)) ?? 0;
  yield guestWrite(offset, (value | bits) >>> 0);
}

/** CTRL &= ~bits. */
function* clearBits(offset: number, bits: number): Program {
  const value = (yield guestRead(offset)) ?? 0;
  yield guestWrite(offset, (value & ~bits) >>> 0);
}

/** The driver's functions for timer n (1 or 2), each a short program. */
const mssTim = (n: 1 | 2) => ({
  *init(mode: 0 | 1, readBack = false): Program {
    yield guestWrite(TIM64_MODE, 0);
    if (readBack) yield guestRead(TIM64_MODE);
    yield guestWrite(tim(n, CTRL), mode << 1);
    if (readBack) yield guestRead(tim(n, CTRL));
    yield guestWrite(tim(n, RIS), 1);
    if (readBack) yield guestRead(tim(n, RIS));
  },
  *start(): Program {
    yield* setBits(tim(n, CTRL), ENABLE);
  },
  *stop(): Program {
    yield* clearBits(tim(n, CTRL), ENABLE);
  },
  *enableIrq(): Program {
    yield* setBits(tim(n, CTRL), INTEN);
  },
  *disableIrq(): Program {
    yield* clearBits(tim(n, CTRL), INTEN);
  },
  *loadImmediate(value: number): Program {
    yield guestWrite(tim(n, LOADVAL), value);
  },
  *loadBackground(value: number): Program {
    yield guestWrite(tim(n, BGLOADVAL), value);
  },
  *clearIrq(): Program {
    yield guestWrite(tim(n, RIS), 1);
  },
});

const mssTim64 = {
  *init(mode: 0 | 1): Program {
    yield guestWrite(TIM64_MODE, 1);
    yield guestWrite(TIM64_CTRL, mode << 1);
    yield guestWrite(tim(1, RIS), 1);
    yield guestWrite(tim(2, RIS), 1);
  },
  *start(): Program {
    yield* setBits(TIM64_CTRL, ENABLE);
  },
  *stop(): Program {
    yield* clearBits(TIM64_CTRL, ENABLE);
  },
  *enableIrq(): Program {
    yield* setBits(TIM64_CTRL, INTEN);
  },
  *loadImmediate(upper: number, lower: number): Program {
    yield guestWrite(TIM64_LOADVAL_U, upper);
    yield guestWrite(TIM64_LOADVAL_L, lower);
  },
  *loadBackground(upper: number, lower: number): Program {
    yield guestWrite(TIM64_BGLOADVAL_U, upper);
    yield guestWrite(TIM64_BGLOADVAL_L, lower);
  },
  /** The current value, read L then U. */
  *currentValue(into: bigint[]): Program {
    const lower = (yield guestRead(TIM64_VAL_L)) ?? 0;
    const upper = (yield guestRead(TIM64_VAL_U)) ?? 0;
    into.push((BigInt(upper) << 32n) | BigInt(lower));
  },
  *clearIrq(): Program {
    yield guestWrite(TIM64_RIS, 1);
  },
};

/** Runs a program on the rig's device and clock from now, collecting its access results. */
const drive = (rig: Rig, program: () => Program): AccessResult[] => {
  const results: AccessResult[] = [];
  runDriver(program, { device: rig.device, scheduler: rig.clock }).subscribe((r) => results.push(r));
  return results;
};

/** An interrupt handler on `line`: at each interrupt, `body`, then the time is recorded. */
const handler = (rig: Rig, line: IrqSignal, count: number, seen: number[], body: (k: number) => Program) =>
  drive(rig, function* () {
    for (let k = 0; k < count; k++) {
      yield waitForIrq(line);
      seen.push(rig.clock.now());
      yield* body(k);
    }
  });

describe('Microchip mss_timer driver, 32-bit timers', () => {
  it('use model 1: MSS_TIM1_init(periodic), load_immediate(0x186A0), enable_irq, start: Timer1_IRQHandler every 1 ms; stop freezes it', () => {
    const rig = makeRig();
    rig.clock.advanceTo(T0);
    const tim1 = mssTim(1);
    const setup = drive(rig, function* () {
      yield* tim1.init(PERIODIC);
      yield* tim1.loadImmediate(0x186a0);
      yield* tim1.enableIrq();
      yield* tim1.start();
    });
    expect(setup.map((r) => [r.kind, r.offset, r.value])).toEqual([
      ['write', TIM64_MODE, 0],
      ['write', tim(1, CTRL), 0],
      ['write', tim(1, RIS), 1],
      ['write', tim(1, LOADVAL), 0x186a0],
      ['read', tim(1, CTRL), 0],
      ['write', tim(1, CTRL), INTEN],
      ['read', tim(1, CTRL), INTEN],
      ['write', tim(1, CTRL), INTEN | ENABLE],
    ]);
    const seen: number[] = [];
    handler(rig, rig.device.timer1int, 5, seen, () => tim1.clearIrq());
    rig.clock.advanceTo(T0 + 5_500_000);
    expect(seen).toEqual([1, 2, 3, 4, 5].map((k) => T0 + k * 1_000_000));
    expect(rig.device.timer1int.level).toBe(false);
    drive(rig, () => tim1.stop());
    const frozen = rig.r(tim(1, VAL));
    expect(frozen).toBe(50_001); // half way through the sixth period, at a tick edge: the value before the edge (X1)
    rig.clock.advanceTo(T0 + 20_000_000);
    expect([rig.r(tim(1, VAL)), rig.r(tim(1, RIS)), rig.device.timer1int.level]).toEqual([frozen, 0, false]);
    expect(rig.events.filter((e) => e.kind === 'guest-error')).toEqual([]);
  });

  it('the PolarFire init reads TIM64_MODE, TIM1_CTRL and TIM1_RIS back: 0, mode << 1, 0', () => {
    const rig = makeRig();
    const results = drive(rig, () => mssTim(1).init(ONE_SHOT, true));
    expect(results.filter((r) => r.kind === 'read').map((r) => [r.offset, r.value])).toEqual([
      [TIM64_MODE, 0],
      [tim(1, CTRL), 2],
      [tim(1, RIS), 0],
    ]);
  });

  it('X4: start then enable_irq 100 µs later: the first interrupt is still 1 ms after start (QEMU restarts the count at enable_irq)', () => {
    const rig = makeRig();
    rig.clock.advanceTo(T0);
    const tim1 = mssTim(1);
    drive(rig, function* () {
      yield* tim1.init(PERIODIC);
      yield* tim1.loadImmediate(100_000);
      yield* tim1.start();
    });
    rig.clock.advanceTo(T0 + 100_000);
    drive(rig, () => tim1.enableIrq());
    const seen: number[] = [];
    handler(rig, rig.device.timer1int, 2, seen, () => tim1.clearIrq());
    rig.clock.advanceTo(T0 + 2_500_000);
    expect(seen).toEqual([T0 + 1_000_000, T0 + 2_000_000]);
  });

  it('X3, X5: load_background changes the period from the next zero; load_background before start starts from it', () => {
    const rig = makeRig();
    rig.clock.advanceTo(T0);
    const tim1 = mssTim(1);
    drive(rig, function* () {
      yield* tim1.init(PERIODIC);
      yield* tim1.loadBackground(1_000); // the counter is at 0: start loads it (X5)
      yield* tim1.enableIrq();
      yield* tim1.start();
    });
    const seen: number[] = [];
    handler(rig, rig.device.timer1int, 4, seen, function* (k) {
      yield* tim1.clearIrq();
      if (k === 0) yield* tim1.loadBackground(500); // the counter already reloaded 1000 here
    });
    rig.clock.advanceTo(T0 + 4_000 * TICK);
    expect(seen).toEqual([1_000, 2_000, 2_500, 3_000].map((ticks) => T0 + ticks * TICK));
    expect([rig.r(tim(1, LOADVAL)), rig.r(tim(1, BGLOADVAL))]).toEqual([500, 500]);
  });

  it('one-shot: MSS_TIM1_init(one-shot), load_immediate(v), enable_irq, start: one interrupt v ticks on; each later load_immediate times another delay', () => {
    const rig = makeRig();
    rig.clock.advanceTo(T0);
    const tim1 = mssTim(1);
    drive(rig, function* () {
      yield* tim1.init(ONE_SHOT);
      yield* tim1.loadImmediate(2_000);
      yield* tim1.enableIrq();
      yield* tim1.start();
    });
    const seen: number[] = [];
    const delays = [700, 50];
    handler(rig, rig.device.timer1int, 3, seen, function* (k) {
      yield* tim1.clearIrq();
      if (k < delays.length) yield* tim1.loadImmediate(delays[k]!);
    });
    rig.clock.advanceTo(T0 + 100_000);
    expect(seen).toEqual([T0 + 2_000 * TICK, T0 + 2_700 * TICK, T0 + 2_750 * TICK]);
    expect([rig.r(tim(1, VAL)), rig.r(tim(1, CTRL)), rig.device.timer1int.level]).toEqual([0, INTEN | 2 | ENABLE, false]);
  });

  it('timers 1 and 2 together: each on its own handler (Timer1_IRQHandler, Timer2_IRQHandler); disable_irq silences timer 2', () => {
    const rig = makeRig();
    const [tim1, tim2] = [mssTim(1), mssTim(2)];
    drive(rig, function* () {
      yield* tim1.init(PERIODIC);
      yield* tim2.init(PERIODIC);
      yield* tim1.loadImmediate(300);
      yield* tim2.loadImmediate(200);
      yield* tim1.enableIrq();
      yield* tim2.enableIrq();
      yield* tim1.start();
      yield* tim2.start();
    });
    const one: number[] = [];
    const two: number[] = [];
    handler(rig, rig.device.timer1int, 3, one, () => tim1.clearIrq());
    handler(rig, rig.device.timer2int, 2, two, function* (k) {
      yield* tim2.clearIrq();
      if (k === 1) yield* tim2.disableIrq();
    });
    rig.clock.advanceTo(1_000 * TICK);
    expect(one).toEqual([300, 600, 900].map((t) => t * TICK));
    expect(two).toEqual([200, 400].map((t) => t * TICK));
    expect([rig.r(tim(2, RIS)), rig.device.timer2int.level]).toEqual([1, false]); // still counting and reaching 0, masked
  });
});

describe('Microchip mss_timer driver, 64-bit timer', () => {
  it('use model 2: MSS_TIM64_init(one-shot), load_immediate(0, 0xB2D05E00), enable_irq, start: one interrupt on Timer1_IRQHandler 30 s later', () => {
    const rig = makeRig();
    rig.clock.advanceTo(T0);
    drive(rig, function* () {
      yield* mssTim64.init(ONE_SHOT); // also writes TIM1_RIS and TIM2_RIS: ignored in 64-bit mode, no guest error (X7)
      yield* mssTim64.loadImmediate(0, 0xb2d0_5e00);
      yield* mssTim64.enableIrq();
      yield* mssTim64.start();
    });
    const seen: number[] = [];
    const two: number[] = [];
    handler(rig, rig.device.timer1int, 2, seen, function* () {
      yield* mssTim64.clearIrq();
      yield* mssTim64.stop();
    });
    handler(rig, rig.device.timer2int, 1, two, () => mssTim64.clearIrq());
    rig.clock.advanceTo(T0 + 40_000_000_000);
    expect(seen).toEqual([T0 + 30_000_000_000]);
    expect(two).toEqual([]); // the Timer 2 interrupt is not used in 64-bit mode
    expect([rig.r(TIM64_CTRL), rig.r(TIM64_RIS), rig.r(TIM64_VAL_L), rig.r(TIM64_VAL_U)]).toEqual([INTEN | 2, 0, 0, 0]);
    expect(rig.events.filter((e) => e.kind === 'guest-error')).toEqual([]);
  });

  it('X8, X9: a 64-bit periodic timer of 2^32 + 10 ticks: get_current_value (L, then U) reads the 64-bit count; load_background sets the next period', () => {
    const rig = makeRig();
    const period = 2 ** 32 + 10;
    drive(rig, function* () {
      yield* mssTim64.init(PERIODIC);
      yield* mssTim64.loadImmediate(1, 10);
      yield* mssTim64.enableIrq();
      yield* mssTim64.start();
    });
    const values: bigint[] = [];
    for (const ticks of [5, 11, 2 ** 32 + 9]) {
      rig.clock.advanceTo(ticks * TICK + 1);
      drive(rig, () => mssTim64.currentValue(values));
    }
    expect(values).toEqual([0x1_0000_0005n, 0xffff_ffffn, 1n]);
    const seen: number[] = [];
    handler(rig, rig.device.timer1int, 2, seen, function* (k) {
      yield* mssTim64.clearIrq();
      if (k === 0) yield* mssTim64.loadBackground(0, 100);
    });
    rig.clock.advanceTo((2 * period + 50) * TICK + 1);
    expect(seen).toEqual([period * TICK, 2 * period * TICK]); // the second period was already loaded at the first zero
    drive(rig, () => mssTim64.currentValue(values));
    expect(values[3]).toBe(50n); // half way through the background period of 100 ticks
    expect([rig.r(TIM64_LOADVAL_U), rig.r(TIM64_LOADVAL_L), rig.r(TIM64_BGLOADVAL_U), rig.r(TIM64_BGLOADVAL_L)]).toEqual([0, 100, 0, 100]);
  });

  it('X7: MSS_TIM64_init over running 32-bit timers stops them; MSS_TIM1_init afterwards stops the 64-bit timer', () => {
    const rig = makeRig();
    const tim1 = mssTim(1);
    drive(rig, function* () {
      yield* tim1.init(PERIODIC);
      yield* tim1.loadImmediate(10);
      yield* tim1.start();
    });
    rig.clock.advanceTo(15 * TICK);
    drive(rig, function* () {
      yield* mssTim64.init(PERIODIC);
      yield* mssTim64.loadImmediate(0, 8);
      yield* mssTim64.start();
    });
    expect(rig.device.timers.map((t) => t.mode)).toEqual(['stopped', 'stopped', 'periodic']);
    rig.clock.advanceTo(30 * TICK);
    drive(rig, () => tim1.init(ONE_SHOT));
    expect(rig.device.timers.map((t) => t.mode)).toEqual(['stopped', 'stopped', 'stopped']);
    expect([rig.r(TIM64_MODE), rig.r(tim(1, CTRL)), rig.r(TIM64_CTRL)]).toEqual([0, 2, 0]);
  });
});
