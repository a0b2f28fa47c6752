// The register sequences of Linux's SuperH TMU driver (drivers/clocksource/sh_tmu.c, as the
// reference devices-2.md §19 gives them), written from which registers each step touches, in
// which order, at which width, not from the driver's code:
// - start/stop of channel n: a read of TSTR (8-bit), then a write with bit n set or cleared (the
//   register is shared by the channels, so the driver reads and modifies it under a lock);
// - enable (the clocksource, and the first step of a clockevent): stop; TCOR = 0xFFFFFFFF;
//   TCNT = 0xFFFFFFFF; TCR = 0x0000 (Pφ/4, no interrupt; 16-bit); start. The counting rate is
//   Pφ/4. The clocksource reads ~TCNT;
// - set_next(delta, periodic): stop; read TCR (acknowledge); TCR = UNIE | Pφ/4 (0x0020);
//   TCOR = periodic ? delta : 0xFFFFFFFF; TCNT = delta; start. Periodic delta = (rate + HZ/2) / HZ;
// - interrupt handler: one-shot TCR = 0x0000, periodic TCR = 0x0020 (either clears UNF);
// - disable: stop; TCR = 0x0000.
// Channel 0 is the clockevent and channel 1 the clocksource, as the driver assigns them. Pφ is
// QEMU r2d's 60 MHz: the driver's rate is 15 MHz, a count 66⅔ ns.
import { describe, expect, it } from 'vitest';
import { guestRead, guestWrite, runDriver, wait, waitForIrq, type AccessResult, type DriverCommand, type DriverInput, type IrqSignal } from '../../../index';
import { makeRig, tcnt, tcor, tcr, TSTR, UNF, UNIE, type Rig } from './rig';

type Program = Generator<DriverCommand, void, DriverInput>;

const PCLK = 60_000_000;
const RATE = PCLK / 4;
const HZ = 100;
const T0 = 1_000_000; // the driver probes 1 ms after boot
/** The instant `counts` Pφ/4 counts after T0, floored to whole ns (exact timing). */
const after = (counts: number): number => T0 + Math.floor((counts * 200) / 3);
const TCR_TPSC_CLK4 = 0x0000;
const TCR_UNIE = 0x0020;

/** The driver's steps for channel `n`, each a short program. */
const shTmu = (n: number) => ({
  *startStop(start: boolean): Program {
    const value = (yield guestRead(TSTR, 1)) ?? 0;
    yield guestWrite(TSTR, start ? value | (1 << n) : value & ~(1 << n) & 0xff, 1);
  },
  *enable(): Program {
    yield* this.startStop(false);
    yield guestWrite(tcor(n), 0xffff_ffff);
    yield guestWrite(tcnt(n), 0xffff_ffff);
    yield guestWrite(tcr(n), TCR_TPSC_CLK4, 2);
    yield* this.startStop(true);
  },
  *setNext(delta: number, periodic: boolean): Program {
    yield* this.startStop(false);
    yield guestRead(tcr(n), 2);
    yield guestWrite(tcr(n), TCR_UNIE | TCR_TPSC_CLK4, 2);
    yield guestWrite(tcor(n), periodic ? delta : 0xffff_ffff);
    yield guestWrite(tcnt(n), delta);
    yield* this.startStop(true);
  },
  *interrupt(oneshot: boolean): Program {
    yield guestWrite(tcr(n), oneshot ? TCR_TPSC_CLK4 : TCR_UNIE | TCR_TPSC_CLK4, 2);
  },
  *disable(): Program {
    yield* this.startStop(false);
    yield guestWrite(tcr(n), TCR_TPSC_CLK4, 2);
  },
  /** The clocksource read: ~TCNT, an up-counter. */
  *read(into: number[]): Program {
    const value = (yield guestRead(tcnt(n))) ?? 0;
    into.push(~value >>> 0);
  },
});

const clockevent = shTmu(0);
const clocksource = shTmu(1);

/** Runs a program on the rig's device and clock from now, collecting its access results. */
const drive = (rig: Rig, program: () => Program): AccessResult[] => {
  const results: AccessResult[] = [];
  runDriver(program, { device: rig.device, scheduler: rig.clock }).subscribe((r) => results.push(r));
  return results;
};

/** An interrupt handler on `line`: at each interrupt, `body`, then the time is recorded. */
const handler = (rig: Rig, line: IrqSignal, count: number, seen: number[], body: () => Program) =>
  drive(rig, function* () {
    for (let k = 0; k < count; k++) {
      yield waitForIrq(line);
      seen.push(rig.clock.now());
      yield* body();
    }
  });

const linuxRig = (): Rig => {
  const rig = makeRig({ hz: PCLK });
  rig.clock.advanceTo(T0);
  return rig;
};

describe('Linux sh_tmu: the clocksource (channel 1)', () => {
  it('enable: stop, TCOR = TCNT = 0xFFFFFFFF, TCR = Pφ/4 without interrupt, start; ~TCNT then counts up at 15 MHz', () => {
    const rig = linuxRig();
    const setup = drive(rig, () => clocksource.enable());
    expect(setup.map((r) => [r.kind, r.offset, r.size, r.value])).toEqual([
      ['read', TSTR, 1, 0],
      ['write', TSTR, 1, 0],
      ['write', tcor(1), 4, 0xffff_ffff],
      ['write', tcnt(1), 4, 0xffff_ffff],
      ['write', tcr(1), 2, 0],
      ['read', TSTR, 1, 0],
      ['write', TSTR, 1, 0b010],
    ]);
    const readings: number[] = [];
    for (const t of [0, 1_000_000, 10_000_000, 123_456_789]) {
      rig.clock.advanceTo(T0 + t + 1);
      drive(rig, () => clocksource.read(readings));
    }
    // ~TCNT is the counts since the start: 1 ms is 15 000 counts, 123.456789 ms ⌊123 456 790·3/200⌋.
    expect(readings).toEqual([0, 15_000, 150_000, Math.floor((123_456_790 * 3) / 200)]);
    expect([rig.r16(tcr(1)), rig.device.tuni1.level]).toEqual([0, false]);
    expect(rig.events.filter((e) => e.kind !== 'expiry')).toEqual([]);
  });
});

describe('Linux sh_tmu: the clockevent (channel 0)', () => {
  it(`periodic at HZ ${HZ}: set_next((rate + HZ/2) / HZ = 150 000, periodic): a tick every 150 001 counts, the handler's TCR writes never move it (QEMU drifts)`, () => {
    const rig = linuxRig();
    const delta = Math.floor((RATE + HZ / 2) / HZ);
    expect(delta).toBe(150_000);
    drive(rig, () => clocksource.enable());
    const setup = drive(rig, function* () {
      yield* clockevent.enable();
      yield* clockevent.setNext(delta, true);
    });
    expect(setup.slice(7).map((r) => [r.kind, r.offset, r.size, r.value])).toEqual([
      ['read', TSTR, 1, 0b011],
      ['write', TSTR, 1, 0b010],
      ['read', tcr(0), 2, 0],
      ['write', tcr(0), 2, UNIE],
      ['write', tcor(0), 4, delta],
      ['write', tcnt(0), 4, delta],
      ['read', TSTR, 1, 0b010],
      ['write', TSTR, 1, 0b011],
    ]);
    const seen: number[] = [];
    // The handler runs 2 µs after each interrupt (its latency), then writes TCR = UNIE | Pφ/4.
    drive(rig, function* () {
      for (let k = 0; k < 5; k++) {
        yield waitForIrq(rig.device.tuni0);
        seen.push(rig.clock.now());
        yield wait(2_000);
        yield* clockevent.interrupt(false);
      }
    });
    rig.clock.advanceTo(T0 + 55_000_000);
    // The manual's period: TCOR + 1 = 150 001 counts = 10 000 066⅔ ns.
    expect(seen).toEqual([1, 2, 3, 4, 5].map((k) => after(k * 150_001)));
    expect(rig.device.tuni0.level).toBe(false);
    // The clocksource kept counting through the clockevent's start/stop of the shared TSTR.
    const readings: number[] = [];
    drive(rig, () => clocksource.read(readings));
    expect(readings).toEqual([825_000 - 1]); // T0 + 55 ms is the 825 000th count's edge, not yet taken
    expect(rig.events.filter((e) => e.kind === 'guest-error' || e.kind === 'unimplemented')).toEqual([]);
  });

  it('one-shot: set_next(delta, false) interrupts once, delta + 1 counts on; the handler (TCR = 0) masks it and the counter runs on from 0xFFFFFFFF; each later set_next times another delay', () => {
    const rig = linuxRig();
    drive(rig, () => clockevent.enable());
    drive(rig, () => clockevent.setNext(1_000, false));
    const seen: number[] = [];
    handler(rig, rig.device.tuni0, 2, seen, () => clockevent.interrupt(true));
    rig.clock.advanceTo(T0 + 100_000);
    expect(seen).toEqual([after(1_001)]);
    // The underflow loaded TCOR = 0xFFFFFFFF: counting on from there, no second interrupt. T0 + 100 µs
    // is the 1500th count's edge, not yet taken: 498 counts after the underflow (the 1001st).
    expect([rig.r32(tcnt(0)), rig.r16(tcr(0)), rig.device.tuni0.level]).toEqual([0xffff_ffff - 498, 0, false]);
    drive(rig, () => clockevent.setNext(500, false));
    rig.clock.advanceTo(T0 + 200_000);
    expect(seen).toEqual([after(1_001), T0 + 100_000 + Math.floor((501 * 200) / 3)]);
  });

  it('X5: set_next reads TCR before clearing it: a stale UNF reads 1, the write of UNIE | Pφ/4 (UNF 0) clears it and TUNI0 falls', () => {
    const rig = linuxRig();
    drive(rig, () => clockevent.enable());
    drive(rig, () => clockevent.setNext(10, false));
    rig.clock.advanceTo(after(11));
    expect([rig.r16(tcr(0)), rig.device.tuni0.level]).toEqual([UNF | UNIE, true]);
    const again = drive(rig, () => clockevent.setNext(10, false));
    expect(again.filter((r) => r.offset === tcr(0)).map((r) => [r.kind, r.value])).toEqual([
      ['read', UNF | UNIE],
      ['write', UNIE],
    ]);
    expect(rig.device.tuni0.level).toBe(false);
    rig.clock.advanceTo(after(11) + Math.floor((11 * 200) / 3));
    expect(rig.device.tuni0.level).toBe(true);
  });

  it('disable: stop, TCR = 0: no interrupt, TCNT held; the clocksource on channel 1 runs on', () => {
    const rig = linuxRig();
    drive(rig, function* () {
      yield* clocksource.enable();
      yield* clockevent.enable();
      yield* clockevent.setNext(3_000, true);
    });
    rig.clock.advanceTo(after(1_500) + 1);
    drive(rig, () => clockevent.disable());
    const held = rig.r32(tcnt(0));
    expect(held).toBe(1_500);
    rig.clock.advanceTo(T0 + 10_000_000 + 1); // just past the 150 000th count
    expect([rig.r32(tcnt(0)), rig.r8(TSTR), rig.r16(tcr(0)), rig.device.tuni0.level]).toEqual([held, 0b010, 0, false]);
    expect(rig.events.filter((e) => e.kind === 'expiry')).toEqual([]);
    expect(rig.r32(tcnt(1))).toBe(0xffff_ffff - 150_000);
  });
});
