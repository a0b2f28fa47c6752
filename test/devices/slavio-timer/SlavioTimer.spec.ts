// The SLAVIO counter/timers register by register, one decision (X1…X12 of the device header) at a
// time. 1 step = 500 ns (2 MHz); a step shows just after its instant, so d ns after a limit
// write a counter/timer reads max(1, ⌈d / 500⌉) and after a reset ⌈d / 500⌉ − 1.
import { describe, expect, it } from 'vitest';
import {
  SLAVIO_SYSTEM_OFFSET,
  SLAVIO_TIMER_POLICY,
  SLAVIO_TIMER_REGISTERS,
  SlavioTimer,
  slavioTimerRegisters,
  type SlavioTimerSnapshot,
} from '../../../devices/slavio-timer';
import { ClockInput, DeviceConfigError, RegisterSnapshotError, VirtualClock, type GuestAccess, guestRead, guestWrite } from '../../../index';
import { continuationDigests } from '../../support/deviceHarness';
import { thrown } from '../../support/errors';
import {
  COUNTER,
  countOf,
  cpu,
  HZ,
  LIMIT,
  LIMIT_NR,
  limitFor,
  makeRig,
  REACHED,
  START_STOP,
  STEP,
  SYS_COUNTER,
  SYS_LIMIT,
  SYS_LIMIT_NR,
  TIMER_CONFIG,
  word,
  type Rig,
} from './rig';

const WRAP = 2 ** 22;
const T0 = 1_000_000; // the driver starts 1 ms after reset

/** A rig at T0 with the system counter started for `cycles` steps per period (SYS_LIMIT written at T0). */
const started = (cycles: number, options: Parameters<typeof makeRig>[0] = {}): Rig => {
  const rig = makeRig(options);
  rig.clock.advanceTo(T0);
  rig.w(SYS_LIMIT, limitFor(cycles));
  return rig;
};

describe('SlavioTimer', () => {
  it('policy: NO_COUNTER_ROUND_DOWN only (every event is at least a step away)', () => {
    expect(SLAVIO_TIMER_POLICY).toEqual(['NO_COUNTER_ROUND_DOWN']);
  });

  describe('X1 counting', () => {
    it('X1 Linux at HZ = 100: SYS_LIMIT (20000 + 1) << 9 = 0x009C4200 interrupts every 10 ms exactly; the counter reads 1 … 20000', () => {
      const rig = started(20_000);
      const { clock, device } = rig;
      expect(limitFor(20_000)).toBe(0x009c_4200);
      expect(rig.r(SYS_COUNTER)).toBe(word(1)); // restarted at 1 (0x200) by the write
      clock.advanceTo(T0 + 500);
      expect(rig.r(SYS_COUNTER)).toBe(word(1)); // the first step shows just after its instant
      clock.advanceTo(T0 + 501);
      expect(rig.r(SYS_COUNTER)).toBe(word(2));
      // The reference's worked example: 2.5 ms after the write 5000 steps, 1 ns later 5001.
      clock.advanceTo(T0 + 2_500_000);
      expect(rig.r(SYS_COUNTER)).toBe(0x0027_1000);
      clock.advanceTo(T0 + 2_500_001);
      expect(rig.r(SYS_COUNTER)).toBe(0x0027_1200);
      clock.advanceTo(T0 + 10_000_000 - 1);
      expect([rig.r(SYS_COUNTER), device.systemIrq.level]).toEqual([0x009c_4000, false]); // 20000: the limit − 1
      clock.advanceTo(T0 + 10_000_000);
      expect([rig.r(SYS_COUNTER), device.systemIrq.level]).toEqual([0x8000_0200, true]); // reached, back at 1
      expect(rig.r(SYS_LIMIT)).toBe(0x009c_4200); // the acknowledge (X4)
      expect([rig.r(SYS_COUNTER), device.systemIrq.level]).toEqual([0x0000_0200, false]);
      clock.advanceTo(T0 + 20_000_000 - 1);
      expect(device.systemIrq.level).toBe(false);
      clock.advanceTo(T0 + 20_000_000);
      expect(device.systemIrq.level).toBe(true);
    });

    it('X1 the count never reads the limit: one period of 4 steps reads 1, 2, 3, 4 then 1 with limit reached', () => {
      const rig = started(4);
      const seen: number[] = [];
      for (let d = 0; d <= 4 * STEP; d += STEP / 2) {
        rig.clock.advanceTo(T0 + d + (d === 0 ? 0 : 1));
        seen.push(rig.r(SYS_COUNTER));
      }
      expect(seen.map((v) => [countOf(v), v >= REACHED])).toEqual([
        [1, false],
        [1, false],
        [2, false],
        [2, false],
        [3, false],
        [3, false],
        [4, false],
        [4, false],
        [1, true],
      ]);
    });

    it('X1 a limit of 1 (0x200) is met again only after the count has gone round its 22 bits', () => {
      const rig = makeRig();
      rig.clock.advanceTo(T0);
      rig.w(SYS_LIMIT, 0x200);
      rig.clock.advanceTo(T0 + 100 * STEP + 1);
      expect(rig.r(SYS_COUNTER)).toBe(word(101));
      rig.clock.advanceTo(T0 + WRAP * STEP - 1);
      expect([rig.r(SYS_COUNTER), rig.device.systemIrq.level]).toEqual([word(0), false]); // wrapped to 0 on the way
      rig.clock.advanceTo(T0 + WRAP * STEP);
      expect([rig.r(SYS_COUNTER), rig.device.systemIrq.level]).toEqual([word(1, true), true]);
    });

    it('X1 a processor counter in counter/timer mode counts and interrupts the same way, on its own line', () => {
      const rig = makeRig({ cpus: 2 });
      rig.clock.advanceTo(T0);
      rig.w(TIMER_CONFIG, 0);
      rig.w(cpu(1) + LIMIT, limitFor(10));
      rig.clock.advanceTo(T0 + 10 * STEP - 1);
      expect([rig.r(cpu(1) + COUNTER), rig.device.processorIrqs.map((l) => l.level)]).toEqual([word(10), [false, false]]);
      rig.clock.advanceTo(T0 + 10 * STEP);
      expect([rig.r(cpu(1) + COUNTER), rig.device.processorIrqs.map((l) => l.level), rig.device.systemIrq.level]).toEqual([word(1, true), [false, true], false]);
      expect(rig.r(cpu(1) + LIMIT)).toBe(limitFor(10));
      expect(rig.device.processorIrqs[1]!.level).toBe(false);
    });
  });

  describe('X2 limit 0: free-run', () => {
    it('X2 from reset: the count runs 0 … 0x3FFFFF and wraps to 0 every 2^22 steps, without limit reached or an interrupt', () => {
      const rig = makeRig();
      rig.clock.advanceTo(WRAP * STEP - 1);
      expect(rig.r(SYS_COUNTER)).toBe(word(WRAP - 1));
      rig.clock.advanceTo(WRAP * STEP + 1);
      expect(rig.r(SYS_COUNTER)).toBe(word(0));
      rig.clock.advanceTo(WRAP * STEP + STEP + 1);
      expect(rig.r(SYS_COUNTER)).toBe(word(1));
      expect(rig.device.systemIrq.level).toBe(false);
      // Each counter wrapped once (the processor counter runs free from reset too): no status, no line.
      expect(rig.events.filter((e) => e.kind === 'expiry').map((e) => (e.kind === 'expiry' ? [e.timer, e.time] : []))).toEqual([
        ['slavio-timer.system', WRAP * STEP],
        ['slavio-timer.cpu0', WRAP * STEP],
      ]);
      expect(rig.r(cpu(0) + COUNTER)).toBe(word(1));
      expect(rig.device.processorIrqs[0]!.level).toBe(false);
    });

    it('X2 a limit write of 0 restarts the count at 1 and lets it run free (Linux disables the level-14 ticker so)', () => {
      const rig = started(10);
      rig.clock.advanceTo(T0 + 10 * STEP); // reached
      rig.w(SYS_LIMIT, 0);
      expect([rig.r(SYS_COUNTER), rig.device.systemIrq.level]).toEqual([word(1), false]);
      rig.clock.advanceTo(T0 + 10 * STEP + (WRAP - 1) * STEP + 1);
      expect(rig.r(SYS_COUNTER)).toBe(word(0));
      expect(rig.device.systemIrq.level).toBe(false);
    });
  });

  describe('X3 limit write', () => {
    it('X3 restarts the count at 1 and clears limit reached and the line; the next match is a full period after the write', () => {
      const rig = started(10);
      rig.clock.advanceTo(T0 + 10 * STEP + 3 * STEP + 1);
      expect([rig.r(SYS_COUNTER), rig.device.systemIrq.level]).toEqual([word(4, true), true]);
      const at = rig.clock.now();
      rig.w(SYS_LIMIT, limitFor(20));
      expect([rig.r(SYS_COUNTER), rig.device.systemIrq.level]).toEqual([word(1), false]);
      rig.clock.advanceTo(at + 20 * STEP - 1);
      expect(rig.device.systemIrq.level).toBe(false);
      rig.clock.advanceTo(at + 20 * STEP);
      expect(rig.device.systemIrq.level).toBe(true);
    });

    it('X3 bits 8:0 and 31 of a limit hold nothing: read back as 0, ignored', () => {
      const rig = makeRig();
      rig.w(SYS_LIMIT, 0xffff_ffff);
      expect(rig.r(SYS_LIMIT)).toBe(0x7fff_fe00);
      rig.w(cpu(0) + LIMIT, 0xffff_ffff);
      expect(rig.r(cpu(0) + LIMIT)).toBe(0x7fff_fe00);
      expect(rig.events).toEqual([]);
    });
  });

  describe('X4 acknowledge', () => {
    it('X4 reading the counter keeps limit reached (Linux adds a period for it); reading the limit clears it and the line', () => {
      const period = 20_000;
      const rig = started(period);
      rig.clock.advanceTo(T0 + period * STEP + 700 * STEP + 1);
      // Linux's clocksource offset: (counter >> 9) & 0x3FFFFF, plus cs_period while bit 31 is set.
      const offset = (value: number): number => countOf(value) + (value >= REACHED ? period : 0);
      const first = rig.r(SYS_COUNTER);
      expect(first).toBe(word(701, true));
      expect(offset(first)).toBe(period + 701);
      expect(rig.r(SYS_COUNTER)).toBe(word(701, true)); // still set
      expect(rig.device.systemIrq.level).toBe(true);
      rig.r(SYS_LIMIT);
      expect([rig.r(SYS_COUNTER), rig.device.systemIrq.level]).toEqual([word(701), false]);
    });

    it('X4 the line is limit reached: a match while it is set keeps it set, one acknowledge clears it', () => {
      const rig = started(4);
      rig.clock.advanceTo(T0 + 3 * 4 * STEP);
      expect(rig.events.filter((e) => e.kind === 'expiry')).toHaveLength(3);
      expect(rig.device.systemIrq.level).toBe(true);
      rig.r(SYS_LIMIT);
      expect(rig.device.systemIrq.level).toBe(false);
    });

    it('X4 a limit read clears only its own counter', () => {
      const rig = makeRig({ cpus: 2 });
      rig.w(TIMER_CONFIG, 0);
      rig.w(SYS_LIMIT, limitFor(5));
      rig.w(cpu(0) + LIMIT, limitFor(5));
      rig.w(cpu(1) + LIMIT, limitFor(5));
      rig.clock.advanceTo(5 * STEP);
      const levels = (): boolean[] => [rig.device.systemIrq.level, ...rig.device.processorIrqs.map((l) => l.level)];
      expect(levels()).toEqual([true, true, true]);
      rig.r(cpu(0) + LIMIT);
      expect(levels()).toEqual([true, false, true]);
      rig.r(SYS_LIMIT);
      expect(levels()).toEqual([false, false, true]);
    });
  });

  describe('X5 non-resetting limit', () => {
    it('X5 sets the limit and the count goes on from its value (a fresh step at the write); limit reached stays', () => {
      const rig = started(100);
      rig.clock.advanceTo(T0 + 100 * STEP); // reached, count 1
      rig.clock.advanceTo(T0 + 100 * STEP + 40 * STEP + 1);
      const at = rig.clock.now();
      expect(rig.r(SYS_COUNTER)).toBe(word(41, true));
      rig.w(SYS_LIMIT_NR, limitFor(200)); // limit 201
      expect([rig.r(SYS_COUNTER), rig.device.systemIrq.level]).toEqual([word(41, true), true]);
      rig.r(SYS_LIMIT);
      expect(rig.r(SYS_LIMIT)).toBe(limitFor(200));
      // 41 → 201: 160 steps from the write.
      rig.clock.advanceTo(at + 160 * STEP - 1);
      expect([rig.r(SYS_COUNTER), rig.device.systemIrq.level]).toEqual([word(200), false]);
      rig.clock.advanceTo(at + 160 * STEP);
      expect([rig.r(SYS_COUNTER), rig.device.systemIrq.level]).toEqual([word(1, true), true]);
      // Then periods of the new limit.
      rig.r(SYS_LIMIT);
      rig.clock.advanceTo(at + 2 * 160 * STEP + 40 * STEP);
      expect(rig.device.systemIrq.level).toBe(true);
    });

    it('X5 a count at or past the new limit counts on through the 22-bit wrap and meets it after', () => {
      const rig = started(100);
      rig.clock.advanceTo(T0 + 60 * STEP + 1);
      const at = rig.clock.now();
      rig.w(SYS_LIMIT_NR, limitFor(30)); // limit 31, the count at 61
      rig.clock.advanceTo(at + 40 * STEP + 1);
      expect([rig.r(SYS_COUNTER), rig.device.systemIrq.level]).toEqual([word(101), false]); // past the old limit too
      rig.clock.advanceTo(at + (WRAP - 61) * STEP + 1);
      expect(rig.r(SYS_COUNTER)).toBe(word(0));
      rig.clock.advanceTo(at + (WRAP - 30) * STEP - 1);
      expect([rig.r(SYS_COUNTER), rig.device.systemIrq.level]).toEqual([word(30), false]);
      rig.clock.advanceTo(at + (WRAP - 30) * STEP);
      expect([rig.r(SYS_COUNTER), rig.device.systemIrq.level]).toEqual([word(1, true), true]);
    });

    it('X5 a count equal to the new limit needs the whole 22-bit round; a new limit of 0 makes it free-run on', () => {
      const rig = started(100);
      rig.clock.advanceTo(T0 + 30 * STEP + 1); // count 31
      const at = rig.clock.now();
      rig.w(SYS_LIMIT_NR, limitFor(30)); // limit 31
      rig.clock.advanceTo(at + WRAP * STEP - 1);
      expect(rig.device.systemIrq.level).toBe(false);
      rig.clock.advanceTo(at + WRAP * STEP);
      expect(rig.device.systemIrq.level).toBe(true);
      rig.r(SYS_LIMIT);
      rig.w(SYS_LIMIT_NR, 0);
      const free = rig.clock.now();
      expect(rig.r(SYS_COUNTER)).toBe(word(1));
      rig.clock.advanceTo(free + (WRAP - 1) * STEP + 1);
      expect([rig.r(SYS_COUNTER), rig.device.systemIrq.level]).toEqual([word(0), false]);
    });

    it('X5 NetBSD statintr_4m: acknowledge at the interrupt, then a non-resetting limit for the next randomised interval', () => {
      const rig = makeRig();
      rig.w(TIMER_CONFIG, 0);
      rig.w(cpu(0) + LIMIT, 7_812 << 10); // statint 7812 µs: tmr_ustolim4m = n << 10
      const edges: number[] = [];
      rig.device.processorIrqs[0]!.level$.subscribe((high) => {
        if (high) edges.push(rig.clock.now());
      });
      rig.clock.advanceTo(15_623 * STEP - 1);
      expect(edges).toEqual([]);
      rig.clock.advanceTo(15_623 * STEP); // limit 2·7812 = 15624: 15623 steps, 7.8115 ms
      expect(edges).toEqual([15_623 * STEP]);
      // The handler runs 20.1 µs later, the count at 41.
      const handler = 15_623 * STEP + 20_100;
      rig.clock.advanceTo(handler);
      rig.r(cpu(0) + LIMIT);
      expect(rig.r(cpu(0) + COUNTER)).toBe(word(41));
      rig.w(cpu(0) + LIMIT_NR, 7_000 << 10); // limit 14000: 13959 steps from the write
      rig.clock.advanceTo(handler + 13_959 * STEP);
      expect(edges).toEqual([15_623 * STEP, handler + 13_959 * STEP]);
    });
  });

  describe('X6 TIMER_CONFIG', () => {
    it('X6 only the bits of the CPUs present exist (OpenBIOS counts the CPUs from the read-back of all ones)', () => {
      for (const cpus of [1, 2, 3, 4]) {
        const rig = makeRig({ cpus });
        rig.w(TIMER_CONFIG, 0xffff_ffff);
        expect(rig.r(TIMER_CONFIG)).toBe(2 ** cpus - 1);
        expect(rig.events).toEqual([]);
      }
    });

    it('X6 to user-timer mode: the counter restarts at 0 as a user timer, limit reached cleared, the line falls', () => {
      const rig = makeRig();
      rig.w(TIMER_CONFIG, 0);
      rig.w(cpu(0) + LIMIT, limitFor(4));
      rig.clock.advanceTo(4 * STEP);
      expect(rig.device.processorIrqs[0]!.level).toBe(true);
      rig.w(TIMER_CONFIG, 1);
      const at = rig.clock.now();
      expect([rig.r(cpu(0) + LIMIT), rig.r(cpu(0) + COUNTER), rig.device.processorIrqs[0]!.level]).toEqual([0, 0, false]);
      rig.clock.advanceTo(at + 1000 * STEP + 1);
      expect([rig.r(cpu(0) + LIMIT), rig.r(cpu(0) + COUNTER)]).toEqual([0, 1000 * 512]);
    });

    it('X6 back to counter/timer mode: the kept limit, the count at 1; writing the mode a counter is in changes nothing', () => {
      const rig = makeRig({ cpus: 2 });
      rig.w(TIMER_CONFIG, 0);
      rig.w(cpu(0) + LIMIT, limitFor(9));
      rig.w(cpu(1) + LIMIT, limitFor(50));
      rig.w(TIMER_CONFIG, 1);
      rig.clock.advanceTo(T0);
      rig.w(TIMER_CONFIG, 3); // CPU 0 stays a user timer, CPU 1 becomes one
      expect(rig.r(cpu(0) + COUNTER)).toBe(1999 * 512); // CPU 0's user count went on
      rig.w(TIMER_CONFIG, 2);
      expect([rig.r(cpu(0) + COUNTER), rig.r(cpu(0) + LIMIT)]).toEqual([word(1), limitFor(9)]);
      rig.clock.advanceTo(T0 + 9 * STEP);
      expect(rig.device.processorIrqs.map((l) => l.level)).toEqual([true, false]);
    });
  });

  describe('X7 user timer', () => {
    /** CPU 0 a user timer from T0. */
    const user = (): Rig => {
      const rig = makeRig();
      rig.clock.advanceTo(T0);
      rig.w(TIMER_CONFIG, 1);
      return rig;
    };
    const u54 = (rig: Rig): bigint => (BigInt(rig.r(cpu(0) + LIMIT) & 0x7fff_ffff) << 23n) | BigInt(rig.r(cpu(0) + COUNTER) >>> 9);

    it('X7 a 54-bit up-counter: count bits 53:23 in LIMIT bits 30:0, bits 22:0 in COUNTER bits 31:9; reads have no side effect', () => {
      const rig = user();
      rig.clock.advanceTo(T0 + 5 * STEP + 1);
      expect([rig.r(cpu(0) + LIMIT), rig.r(cpu(0) + COUNTER), rig.r(cpu(0) + LIMIT)]).toEqual([0, 5 * 512, 0]);
      rig.w(cpu(0) + COUNTER, 0xffff_fe00); // bits 22:0 all ones
      rig.clock.advanceTo(rig.clock.now() + STEP + 1);
      expect([rig.r(cpu(0) + LIMIT), rig.r(cpu(0) + COUNTER)]).toEqual([1, 0]); // the carry into bit 23
      expect(rig.device.probes[1]!.read()).toBe(1n << 23n);
    });

    it('X7 a word write sets its part of the count; the other part keeps its value and counting goes on', () => {
      const rig = user();
      rig.clock.advanceTo(T0 + 300 * STEP + 1);
      rig.w(cpu(0) + LIMIT, 0x1234_5678);
      expect(u54(rig)).toBe((0x1234_5678n << 23n) | 300n);
      rig.w(cpu(0) + COUNTER, 7 * 512 + 0x1ff); // bits 8:0 hold nothing
      expect(u54(rig)).toBe((0x1234_5678n << 23n) | 7n);
      rig.clock.advanceTo(rig.clock.now() + 10 * STEP + 1);
      expect(u54(rig)).toBe((0x1234_5678n << 23n) | 17n);
      expect(rig.r(cpu(0) + COUNTER) & 0x1ff).toBe(0);
    });

    it('X7 the 54-bit overflow sets limit reached in the most significant word and never interrupts; a write clears it', () => {
      const rig = user();
      rig.w(cpu(0) + LIMIT, 0x7fff_ffff);
      rig.w(cpu(0) + COUNTER, 0xffff_fe00);
      const at = rig.clock.now();
      rig.clock.advanceTo(at + STEP);
      expect([rig.r(cpu(0) + LIMIT), rig.r(cpu(0) + COUNTER)]).toEqual([REACHED, 0]);
      expect(rig.r(cpu(0) + LIMIT)).toBe(REACHED); // a read does not clear it in user-timer mode
      expect(rig.device.processorIrqs[0]!.level).toBe(false);
      rig.w(cpu(0) + COUNTER, 0);
      expect(rig.r(cpu(0) + LIMIT)).toBe(0);
    });

    it('X7 LIMIT_NR in user-timer mode keeps the limit for counter/timer mode and leaves the user count alone', () => {
      const rig = user();
      rig.clock.advanceTo(T0 + 10 * STEP + 1);
      rig.w(cpu(0) + LIMIT_NR, limitFor(6));
      expect(u54(rig)).toBe(10n);
      rig.clock.advanceTo(T0 + 20 * STEP + 1);
      expect(u54(rig)).toBe(20n);
      rig.w(TIMER_CONFIG, 0);
      const at = rig.clock.now();
      expect(rig.r(cpu(0) + LIMIT)).toBe(limitFor(6));
      rig.clock.advanceTo(at + 6 * STEP);
      expect(rig.device.processorIrqs[0]!.level).toBe(true);
    });
  });

  describe('X8 START_STOP.RUN', () => {
    it('X8 holds and resumes the user timer; reads back; resets to 1', () => {
      const rig = makeRig();
      expect(rig.r(cpu(0) + START_STOP)).toBe(1);
      rig.w(TIMER_CONFIG, 1);
      rig.clock.advanceTo(10 * STEP + 1);
      rig.w(cpu(0) + START_STOP, 0);
      expect(rig.r(cpu(0) + START_STOP)).toBe(0);
      rig.clock.advanceTo(1_000_000);
      expect(rig.r(cpu(0) + COUNTER)).toBe(10 * 512);
      rig.w(cpu(0) + START_STOP, 0xffff_ffff);
      expect(rig.r(cpu(0) + START_STOP)).toBe(1); // bits 31:1 reserved
      rig.clock.advanceTo(1_000_000 + 5 * STEP + 1);
      expect(rig.r(cpu(0) + COUNTER)).toBe(15 * 512);
    });

    it('X8 does nothing in counter/timer mode; a user timer entered with RUN 0 holds at 0', () => {
      const rig = makeRig();
      rig.w(cpu(0) + START_STOP, 0);
      rig.w(cpu(0) + LIMIT, limitFor(8));
      rig.clock.advanceTo(8 * STEP);
      expect(rig.device.processorIrqs[0]!.level).toBe(true);
      rig.w(TIMER_CONFIG, 1);
      rig.clock.advanceTo(100 * STEP);
      expect([rig.r(cpu(0) + LIMIT), rig.r(cpu(0) + COUNTER)]).toEqual([0, 0]);
    });
  });

  it('X9 reset: limits 0, counts 0, limit reached clear, lines low, TIMER_CONFIG 0, RUN 1, counting again at once', () => {
    const rig = makeRig({ cpus: 2 });
    rig.w(SYS_LIMIT, limitFor(3));
    rig.w(cpu(1) + LIMIT, limitFor(3));
    rig.w(TIMER_CONFIG, 1);
    rig.w(cpu(0) + START_STOP, 0);
    rig.clock.advanceTo(T0);
    expect([rig.device.systemIrq.level, rig.device.processorIrqs[1]!.level]).toEqual([true, true]);
    rig.device.reset();
    expect([rig.device.systemIrq.level, ...rig.device.processorIrqs.map((l) => l.level)]).toEqual([false, false, false]);
    expect([SYS_LIMIT, SYS_COUNTER, TIMER_CONFIG, cpu(0) + LIMIT, cpu(0) + COUNTER, cpu(0) + START_STOP, cpu(1) + START_STOP].map((o) => rig.r(o))).toEqual([
      0, 0, 0, 0, 0, 1, 1,
    ]);
    rig.clock.advanceTo(T0 + 7 * STEP + 1);
    expect([rig.r(SYS_COUNTER), rig.r(cpu(0) + COUNTER), rig.r(cpu(1) + COUNTER)]).toEqual([word(7), word(7), word(7)]);
  });

  describe('X11 layouts', () => {
    it('X11 the system block at 0x1_0000 (chip) or 0x4000 (compact); the processor blocks at 0x1000·n in both', () => {
      expect(SLAVIO_SYSTEM_OFFSET).toEqual({ chip: 0x1_0000, compact: 0x4000 });
      const names = (cpus: number, layout: 'chip' | 'compact') => slavioTimerRegisters(cpus, layout).registers.map((r) => [r.name, r.offset]);
      expect(names(1, 'compact')).toEqual([
        ['CPU0_LIMIT', 0x0],
        ['CPU0_COUNTER', 0x4],
        ['CPU0_LIMIT_NR', 0x8],
        ['CPU0_START_STOP', 0xc],
        ['SYS_LIMIT', 0x4000],
        ['SYS_COUNTER', 0x4004],
        ['SYS_LIMIT_NR', 0x4008],
        ['TIMER_CONFIG', 0x4010],
      ]);
      expect(names(4, 'chip')).toEqual(SLAVIO_TIMER_REGISTERS.registers.map((r) => [r.name, r.offset]));
      expect(names(4, 'chip').map(([, o]) => o)).toEqual([
        0x0, 0x4, 0x8, 0xc, 0x1000, 0x1004, 0x1008, 0x100c, 0x2000, 0x2004, 0x2008, 0x200c, 0x3000, 0x3004, 0x3008, 0x300c, 0x1_0000, 0x1_0004, 0x1_0008, 0x1_0010,
      ]);
      expect(slavioTimerRegisters(2, 'chip')).toBe(slavioTimerRegisters(2, 'chip'));
    });

    it('X11 the same accesses, shifted, read the same values in both layouts', () => {
      const script = (sys: number): readonly { at: number; access: GuestAccess }[] => [
        { at: 100, access: guestWrite(sys + 0x10, 0) },
        { at: 200, access: guestWrite(sys, limitFor(7)) },
        { at: 300, access: guestWrite(cpu(0), limitFor(5)) },
        { at: 4_000, access: guestRead(sys + 4) },
        { at: 4_100, access: guestRead(cpu(0) + 4) },
        { at: 4_200, access: guestRead(sys) },
        { at: 4_300, access: guestWrite(sys + 8, limitFor(20)) },
        { at: 9_000, access: guestRead(sys + 4) },
      ];
      const run = (layout: 'chip' | 'compact') => {
        const rig = makeRig({ layout });
        const seen: (number | boolean)[] = [];
        for (const { at, access } of script(SLAVIO_SYSTEM_OFFSET[layout])) {
          rig.clock.advanceTo(at);
          if (access.kind === 'read') seen.push(rig.device.read(access.offset, 4));
          else rig.device.write(access.offset, 4, access.value);
          seen.push(rig.device.systemIrq.level, rig.device.processorIrqs[0]!.level);
        }
        return seen;
      };
      expect(run('compact')).toEqual(run('chip'));
    });
  });

  describe('X12 clk', () => {
    it('X12 a rate change re-times every counter from its reading with a fresh step; 0 Hz holds every count', () => {
      const rig = makeRig();
      rig.w(SYS_LIMIT, limitFor(100));
      rig.w(TIMER_CONFIG, 1);
      rig.clock.advanceTo(10 * STEP + 250);
      rig.clk.setHz(1_000_000); // 1000 ns steps from here; the half step in progress is lost
      const at = rig.clock.now();
      expect([rig.r(SYS_COUNTER), rig.r(cpu(0) + COUNTER)]).toEqual([word(11), 10 * 512]);
      rig.clock.advanceTo(at + 5 * 1000 + 1);
      expect([rig.r(SYS_COUNTER), rig.r(cpu(0) + COUNTER)]).toEqual([word(16), 15 * 512]);
      rig.clk.setHz(0);
      rig.clock.advanceTo(at + 1_000_000);
      expect([rig.r(SYS_COUNTER), rig.r(cpu(0) + COUNTER)]).toEqual([word(16), 15 * 512]);
      rig.w(SYS_LIMIT, limitFor(3)); // a write while held: the count restarts at 1 and holds
      expect(rig.r(SYS_COUNTER)).toBe(word(1));
      rig.clk.setHz(HZ);
      const back = rig.clock.now();
      rig.clock.advanceTo(back + 3 * STEP);
      expect(rig.device.systemIrq.level).toBe(true);
    });

    it('timing: at 3 MHz, exact timing puts the third expiry of a 10-step period at 10 µs, QEMU timing at 9.999 µs', () => {
      const edges = (timing: 'exact' | 'qemu'): number[] => {
        const rig = makeRig({ hz: 3_000_000, timing });
        const times: number[] = [];
        rig.device.events$.subscribe((e) => {
          if (e.kind === 'expiry') times.push(e.time);
        });
        rig.w(SYS_LIMIT, limitFor(10));
        rig.clock.advanceTo(10_000);
        return times;
      };
      expect(edges('exact')).toEqual([3_333, 6_666, 10_000]);
      expect(edges('qemu')).toEqual([3_333, 6_666, 9_999]);
    });
  });

  describe('options', () => {
    it('defaults: one CPU, the chip layout, its own 2 MHz clk, the name slavio-timer', () => {
      const device = new SlavioTimer(new VirtualClock());
      expect([device.cpus, device.layout, device.clk.hz, device.name]).toEqual([1, 'chip', HZ, 'slavio-timer']);
      expect(Object.keys(device.lines)).toEqual(['system', 'cpu0']);
      expect(device.timers.map((t) => t.name)).toEqual(['slavio-timer.system', 'slavio-timer.cpu0']);
    });

    it.each<[string, Record<string, unknown>, string]>([
      ['cpus 0', { cpus: 0 }, 'SlavioTimer(options.cpus)'],
      ['cpus 5', { cpus: 5 }, 'SlavioTimer(options.cpus)'],
      ['cpus 1.5', { cpus: 1.5 }, 'SlavioTimer(options.cpus)'],
      ['an unknown layout', { layout: 'sun4d' }, 'SlavioTimer(options.layout)'],
      ['a clk that is not a ClockInput', { clk: 2_000_000 }, 'SlavioTimer(options.clk)'],
      ['an empty name', { name: '' }, 'SlavioTimer(options.name)'],
      ['an unknown delivery', { delivery: 'later' }, 'SlavioTimer(options.delivery)'],
      ['an unknown option', { hz: 2_000_000 }, 'SlavioTimer(options.hz)'],
    ])('refuses %s with a DeviceConfigError naming the option', (_what, options, where) => {
      const error = thrown(() => new SlavioTimer(new VirtualClock(), options as never));
      expect(error).toBeInstanceOf(DeviceConfigError);
      expect((error as Error).message.startsWith(where)).toBe(true);
    });
  });

  describe('snapshots', () => {
    const script: readonly { at: number; access: GuestAccess }[] = [
      { at: 1_000, access: guestWrite(TIMER_CONFIG, 2) },
      { at: 1_500, access: guestWrite(SYS_LIMIT, limitFor(30)) },
      { at: 2_000, access: guestWrite(cpu(0) + LIMIT, limitFor(17)) },
      { at: 3_000, access: guestWrite(cpu(1) + LIMIT, 0x55) },
      { at: 9_000, access: guestRead(cpu(0) + LIMIT) },
      { at: 12_000, access: guestWrite(SYS_LIMIT_NR, limitFor(45)) },
      { at: 17_001, access: guestRead(SYS_COUNTER) },
      { at: 21_000, access: guestRead(SYS_LIMIT) },
      { at: 22_000, access: guestWrite(cpu(1) + START_STOP, 0) },
      { at: 30_000, access: guestRead(cpu(1) + COUNTER) },
      { at: 31_000, access: guestWrite(cpu(1) + START_STOP, 1) },
      { at: 40_000, access: guestRead(cpu(0) + COUNTER) },
    ];
    const make = (clock: VirtualClock) => {
      const device = new SlavioTimer(clock, { cpus: 2, clk: new ClockInput('clk', HZ) });
      return { device, irq: device.systemIrq };
    };

    it.each([5_000, 11_999, 17_001, 25_000])('continuation from a snapshot at %i ns has the original digest', (at) => {
      const { original, restored } = continuationDigests(make, script, at, 60_000);
      expect(restored).toBe(original);
    });

    it('a round trip restores every counter, limit and limit-reached bit (user timer held by RUN 0 included)', () => {
      const a = makeRig({ cpus: 2 });
      a.w(TIMER_CONFIG, 2);
      a.w(cpu(1) + START_STOP, 0);
      a.w(SYS_LIMIT, limitFor(9));
      a.w(cpu(0) + LIMIT, limitFor(4));
      a.clock.advanceTo(T0 + 123);
      const snapshot = JSON.parse(JSON.stringify(a.device.snapshot())) as SlavioTimerSnapshot;
      expect(snapshot.limits).toEqual([10, 5, 0]);
      expect(snapshot.reached).toEqual([true, true, false]);
      const b = makeRig({ cpus: 2, clock: new VirtualClock({ start: T0 + 123 }) });
      b.device.restore(snapshot);
      expect(b.device.snapshot()).toEqual(snapshot);
      expect([b.device.systemIrq.level, ...b.device.processorIrqs.map((l) => l.level)]).toEqual([true, true, false]);
      for (const r of [a, b]) r.clock.advanceTo(T0 + 10_000);
      expect([SYS_COUNTER, cpu(0) + COUNTER, cpu(1) + COUNTER].map((o) => b.r(o))).toEqual([SYS_COUNTER, cpu(0) + COUNTER, cpu(1) + COUNTER].map((o) => a.r(o)));
    });

    it.each<[string, (s: Record<string, unknown> & { registers: { registers: Record<string, number> } }) => void, string, RegExp]>([
      ['a limit register storing a value', (s) => (s.registers.registers['CPU0_LIMIT'] = 0x200), 'registers.registers.CPU0_LIMIT', /its reset value/],
      ['a limit the reload does not match', (s) => ((s.limits as number[])[0] = 11), 'timers[0].limit', /limits\[0\] 11/],
      ['a limit above 22 bits', (s) => ((s.limits as number[])[0] = 0x40_0000), 'limits[0]', /integer in \[0, 4194303\]/],
      ['user-timer mode without the user timer\'s wrap', (s) => (s.registers.registers['TIMER_CONFIG'] = 1), 'timers[1].limit', /54-bit wrap, while registers\.registers\.TIMER_CONFIG\.T0 1/],
      ['a held user timer made to run', (s) => (s.registers.registers['CPU1_START_STOP'] = 1), 'timers[2].mode', /CPU1_START_STOP\.RUN is 1/],
      ['a stray CPU', (s) => (s.reached as boolean[]).push(false), 'reached', /3 entries/],
      ['another clk rate', (s) => (s.clkHz = 1_000_000), 'clkHz', /clk input's rate now/],
    ])('refuses %s at its field, changing nothing', (_what, edit, field, rule) => {
      const a = makeRig({ cpus: 2 });
      a.w(TIMER_CONFIG, 2);
      a.w(cpu(1) + START_STOP, 0);
      a.w(SYS_LIMIT, limitFor(9));
      a.clock.advanceTo(T0);
      const snapshot = JSON.parse(JSON.stringify(a.device.snapshot())) as Parameters<typeof edit>[0];
      edit(snapshot);
      const b = makeRig({ cpus: 2, clock: new VirtualClock({ start: T0 }) });
      const before = JSON.stringify(b.device.snapshot());
      const error = thrown(() => b.device.restore(snapshot)) as RegisterSnapshotError;
      expect(error).toBeInstanceOf(RegisterSnapshotError);
      expect(error.field).toBe(field);
      expect(error.rule).toMatch(rule);
      expect(JSON.stringify(b.device.snapshot())).toBe(before);
    });
  });
});
