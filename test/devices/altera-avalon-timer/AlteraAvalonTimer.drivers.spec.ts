// The register sequences real drivers issue to this core, with what the guest must read at
// the clk edges that matter (and 1 ns either side). Written from what the drivers do (which
// registers, in which order), not from their code:
// - Linux drivers/clocksource/timer-nios2.c (16-bit accesses): a clocksource timer with the
//   period all ones, CONT | START, read by a snapl write then snapl/snaph; a clockevent timer
//   (stop, period halves, CONT | ITO | START, or ITO | START for one-shot) whose interrupt
//   handler writes 0 to status.
// - The Intel HAL's altera_avalon_timer: the system clock driver (control = ITO | CONT |
//   START on the configured period; its ISR writes 0 to status and reads control back) and
//   the timestamp driver (stop, period all ones, CONT | START, snapshot reads).
// clk is 50 MHz (20 ns per cycle).
import { describe, expect, it } from 'vitest';
import { guestRead, guestWrite, runDriver, waitForIrq, type AccessResult, type DriverCommand } from '../../../index';
import { CONT, CONTROL, HZ, ITO, makeRig, PERIODH, PERIODL, RUN, SNAPH, SNAPL, START, STATUS, STOP, TICK, TO, type Rig } from './rig';

const T0 = 2_000_000; // the drivers start 2 ms after boot

const drive = (rig: Rig, program: () => Generator<DriverCommand, void, number | undefined>): AccessResult[] => {
  const results: AccessResult[] = [];
  runDriver(program, { device: rig.device, scheduler: rig.clock }).subscribe((r) => results.push(r));
  return results;
};

/** A 16-bit access, as Linux's readw/writew. */
const rw = (rig: Rig, offset: number): number => rig.device.read(offset, 2);
const ww = (rig: Rig, offset: number, value: number): void => rig.device.write(offset, 2, value & 0xffff);

describe('Linux timer-nios2', () => {
  it('clocksource: ~snapshot counts one per cycle from START, changing 1 ns after each edge, and wraps after 2^32 cycles', () => {
    const rig = makeRig();
    rig.clock.advanceTo(T0);
    // stop, period all ones, continuous start
    ww(rig, CONTROL, STOP);
    ww(rig, PERIODL, 0xffff);
    ww(rig, PERIODH, 0xffff);
    ww(rig, CONTROL, CONT | START);
    const read = (): number => {
      ww(rig, SNAPL, 0);
      return ~((rw(rig, SNAPH) << 16) | rw(rig, SNAPL)) >>> 0;
    };
    expect(read()).toBe(0);
    rig.clock.advanceTo(T0 + TICK);
    expect(read()).toBe(0);
    rig.clock.advanceTo(T0 + TICK + 1);
    expect(read()).toBe(1);
    rig.clock.advanceTo(T0 + 1_000_000_000 + 1);
    expect(read()).toBe(HZ);
    // the wrap: 2^32 cycles after START the counter reloads all ones (TO set, ITO clear: no line)
    rig.clock.advanceTo(T0 + 2 ** 32 * TICK - 1);
    expect(read()).toBe(0xffff_ffff);
    rig.clock.advanceTo(T0 + 2 ** 32 * TICK + 1);
    expect(read()).toBe(0);
    expect([rw(rig, STATUS), rig.device.irq.level]).toEqual([RUN | TO, false]);
  });

  describe('clockevent', () => {
    /** nios2_timer_config(): read control, write it with STOP, the period halves, then the new control. */
    function* config(period: number, periodic: boolean): Generator<DriverCommand, void, number | undefined> {
      const ctrl = (yield guestRead(CONTROL, 2)) ?? 0;
      yield guestWrite(CONTROL, ctrl | STOP, 2);
      yield guestWrite(PERIODL, period & 0xffff, 2);
      yield guestWrite(PERIODH, period >>> 16, 2);
      const next = (ctrl | START | ITO) & ~(periodic ? 0 : CONT);
      yield guestWrite(CONTROL, periodic ? next | CONT : next, 2);
    }
    /** The interrupt handler clears TO. */
    function* isr(): Generator<DriverCommand, void, number | undefined> {
      yield guestWrite(STATUS, 0, 2);
    }

    it('periodic (HZ = 100): CONT | ITO | START, a tick every period + 1 cycles, each cleared at once', () => {
      const rig = makeRig();
      rig.clock.advanceTo(T0);
      const P = HZ / 100 - 1; // 499 999: 10 ms
      const results = drive(rig, function* () {
        yield* config(P, true);
        for (let n = 0; n < 3; n++) {
          yield waitForIrq(rig.device.irq);
          yield* isr();
        }
      });
      const first = T0 + (P + 1) * TICK;
      rig.clock.advanceTo(first - 1);
      expect(rig.state()).toEqual([0, RUN, false]);
      rig.clock.advanceTo(first + 3 * (P + 1) * TICK - 1);
      expect(results.filter((r) => r.kind === 'write' && r.offset === STATUS).map((r) => r.time)).toEqual(
        [0, 1, 2].map((n) => first + n * (P + 1) * TICK),
      );
      expect(rig.device.irq.level).toBe(false);
      // the read-modify-write of control never carried a strobe back (B4)
      expect(rig.r(CONTROL)).toBe(CONT | ITO);
      expect(rig.events.filter((e) => e.kind === 'expiry')).toHaveLength(3);
    });

    it('one-shot: set_next_event programs ITO | START without CONT; one interrupt, then the counter rests (B6)', () => {
      const rig = makeRig();
      rig.clock.advanceTo(T0);
      let e1 = 0;
      drive(rig, function* () {
        yield* config(999, false);
        yield waitForIrq(rig.device.irq);
        e1 = rig.clock.now();
        yield* isr();
        yield* config(14, false); // a short next event
        yield waitForIrq(rig.device.irq);
        yield* isr();
      });
      rig.clock.advanceTo(T0 + 1000 * TICK - 1);
      expect(rig.state()).toEqual([0, RUN, false]);
      rig.clock.advanceTo(T0 + 1000 * TICK + 15 * TICK - 1);
      expect(e1).toBe(T0 + 1000 * TICK);
      expect(rig.state()).toEqual([0, RUN, false]);
      rig.clock.advanceTo(T0 + 1000 * TICK + 15 * TICK + 1);
      expect(rig.state()).toEqual([14, 0, false]);
      rig.clock.advanceTo(T0 + 1_000_000_000);
      expect(rig.events.filter((e) => e.kind === 'expiry').map((e) => e.time)).toEqual([T0 + 1000 * TICK, T0 + 1015 * TICK]);
    });
  });
});

describe('Intel HAL altera_avalon_timer', () => {
  it('system clock: ITO | CONT | START on the configured 1 ms period; the ISR writes 0 to status and reads control back', () => {
    const rig = makeRig({ initialPeriod: 49_999 }); // 1 ms at 50 MHz
    rig.clock.advanceTo(T0);
    const controls: number[] = [];
    const results = drive(rig, function* () {
      yield guestWrite(CONTROL, ITO | CONT | START);
      for (let n = 0; n < 3; n++) {
        yield waitForIrq(rig.device.irq);
        yield guestWrite(STATUS, 0);
        controls.push((yield guestRead(CONTROL)) ?? -1);
      }
    });
    rig.clock.advanceTo(T0 + 1_000_000 - 1);
    expect(rig.state()).toEqual([0, RUN, false]);
    rig.clock.advanceTo(T0 + 3_000_000 + 1);
    expect(results.filter((r) => r.kind === 'write' && r.offset === STATUS).map((r) => r.time)).toEqual([1, 2, 3].map((n) => T0 + n * 1_000_000));
    expect(controls).toEqual([ITO | CONT, ITO | CONT, ITO | CONT]);
    expect(rig.device.irq.level).toBe(false);
  });

  it('timestamp: stop, period all ones, CONT | START; timestamp = all ones - snapshot, exact at each edge', () => {
    const rig = makeRig();
    rig.clock.advanceTo(T0);
    rig.w(CONTROL, STOP);
    rig.w(PERIODL, 0xffff);
    rig.w(PERIODH, 0xffff);
    rig.w(CONTROL, CONT | START);
    const timestamp = (): number => {
      rig.w(SNAPL, 0);
      return (0xffff_ffff - ((rig.r(SNAPH) << 16) | rig.r(SNAPL))) >>> 0;
    };
    expect(timestamp()).toBe(0);
    rig.clock.advanceTo(T0 + 1000 * TICK);
    expect(timestamp()).toBe(999);
    rig.clock.advanceTo(T0 + 1000 * TICK + 1);
    expect(timestamp()).toBe(1000);
    expect(rig.device.irq.level).toBe(false);
  });
});
