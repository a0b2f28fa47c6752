// Every bad guest access of the SLAVIO counter/timers (X10): a guest-error event naming the
// device, offset, size and reason; a read of 0; the device's state (snapshot) and its lines
// unchanged. And what is not a guest error: a doubleword access (unimplemented), bits that hold
// nothing, a processor counter's words in user-timer mode.
import { describe, expect, it } from 'vitest';
import { slavioTimerRegisters } from '../../../devices/slavio-timer';
import type { AccessSize, GuestErrorReason } from '../../../index';
import { COUNTER, cpu, LIMIT, LIMIT_NR, limitFor, makeRig, START_STOP, STEP, SYS, SYS_COUNTER, SYS_LIMIT, SYS_LIMIT_NR, TIMER_CONFIG, type Rig } from './rig';

const AT = 12 * STEP + 3; // after the system counter's first match: limit reached, the line high

/** Two CPUs; the system counter and CPU 1's interrupting, CPU 0 a user timer, at `AT`, events cleared. */
const running = (): Rig => {
  const rig = makeRig({ cpus: 2 });
  rig.w(TIMER_CONFIG, 1);
  rig.w(SYS_LIMIT, limitFor(10));
  rig.w(cpu(1) + LIMIT, limitFor(10));
  rig.clock.advanceTo(AT);
  rig.events.length = 0;
  return rig;
};

type Access = { kind: 'read' | 'write'; offset: number; size: AccessSize; value?: number };

const levels = (rig: Rig): boolean[] => [rig.device.systemIrq.level, ...rig.device.processorIrqs.map((l) => l.level)];

const expectRefused = (access: Access, reason: GuestErrorReason): void => {
  const rig = running();
  const { device, events, clock } = rig;
  const before = JSON.stringify(device.snapshot());
  const result = access.kind === 'read' ? device.read(access.offset, access.size) : device.write(access.offset, access.size, access.value ?? 0);
  if (access.kind === 'read') expect(result).toBe(0);
  expect(events).toEqual([
    { kind: 'guest-error', source: 'slavio-timer', time: clock.now(), offset: access.offset, size: access.size, reason, detail: expect.any(String) },
  ]);
  expect(JSON.stringify(device.snapshot())).toBe(before);
  expect(levels(rig)).toEqual([true, false, true]);
};

describe('SlavioTimer guest errors', () => {
  describe('X10: offsets with no register are unmapped', () => {
    it.each([
      ['0x010, past the first processor block', 0x010],
      ['0xffc, the first page\'s last word', 0xffc],
      ['0x2000, the page of absent CPU 2', 0x2000],
      ['0x3004, the page of absent CPU 3', 0x3004],
      ['0x4000, the compact layout\'s system block', 0x4000],
      ['SYS + 0x0C, the system block\'s reserved word', SYS + 0x0c],
      ['SYS + 0x14, past TIMER_CONFIG', SYS + 0x14],
      ['SYS + 0xffc', SYS + 0xffc],
    ])('%s', (_name, offset) => {
      expectRefused({ kind: 'read', offset, size: 4 }, 'unmapped');
      expectRefused({ kind: 'write', offset, size: 4, value: 0xffff_ffff }, 'unmapped');
    });

    it('the compact layout leaves 0x1_0000 unmapped', () => {
      const rig = makeRig({ layout: 'compact' });
      rig.r(SYS_LIMIT);
      expect(rig.events).toEqual([expect.objectContaining({ kind: 'guest-error', reason: 'unmapped', offset: SYS_LIMIT })]);
    });
  });

  describe('X10: registers take word accesses; bytes and halfwords are bad-size', () => {
    const cases: [string, number, AccessSize][] = [];
    for (const r of slavioTimerRegisters(2, 'chip').registers) for (const size of [1, 2] as const) cases.push([r.name, r.offset, size]);
    it.each(cases)('%s, %i-byte read and write', (_name, offset, size) => {
      expectRefused({ kind: 'read', offset, size }, 'bad-size');
      expectRefused({ kind: 'write', offset, size, value: 1 }, 'bad-size');
    });

    it('a byte read of SYS_LIMIT does not acknowledge; a halfword write of TIMER_CONFIG switches no mode', () => {
      expectRefused({ kind: 'read', offset: SYS_LIMIT + 3, size: 1 }, 'bad-size');
      expectRefused({ kind: 'write', offset: TIMER_CONFIG + 2, size: 2, value: 0 }, 'bad-size');
    });
  });

  describe('X10: read-only and write-only registers', () => {
    it('a write to SYS_COUNTER is read-only', () => {
      expectRefused({ kind: 'write', offset: SYS_COUNTER, size: 4, value: 0x200 }, 'read-only');
    });

    it('a write to CPUn_COUNTER in counter/timer mode is read-only (in user-timer mode it sets the low word, X7)', () => {
      expectRefused({ kind: 'write', offset: cpu(1) + COUNTER, size: 4, value: 0x200 }, 'read-only');
    });

    it.each([
      ['SYS_LIMIT_NR', SYS_LIMIT_NR],
      ['CPU0_LIMIT_NR', cpu(0) + LIMIT_NR],
      ['CPU1_LIMIT_NR', cpu(1) + LIMIT_NR],
    ])('a read of %s is write-only', (_name, offset) => {
      expectRefused({ kind: 'read', offset, size: 4 }, 'write-only');
    });
  });

  describe('X10: doubleword accesses are unimplemented, not guest errors', () => {
    it.each([
      ['CPU0_LIMIT', cpu(0) + LIMIT],
      ['CPU1_LIMIT', cpu(1) + LIMIT],
      ['CPU1_LIMIT_NR', cpu(1) + LIMIT_NR],
      ['SYS_LIMIT', SYS_LIMIT],
      ['TIMER_CONFIG', TIMER_CONFIG],
    ])('an 8-byte read and write at %s report `unimplemented`, read 0 and change nothing (not even the acknowledge)', (name, offset) => {
      const rig = running();
      const before = JSON.stringify(rig.device.snapshot());
      expect(rig.device.read(offset, 8)).toBe(0);
      rig.device.write(offset, 8, 0x1234_5678_9abc);
      const unimplemented = { kind: 'unimplemented', source: 'slavio-timer', time: rig.clock.now(), offset, feature: `doubleword access (ldd/std) at ${name}` };
      expect(rig.events).toEqual([unimplemented, unimplemented]);
      expect(JSON.stringify(rig.device.snapshot())).toBe(before);
      expect(levels(rig)).toEqual([true, false, true]);
    });

    it('an 8-byte access that starts at no register, or is not aligned to 8, is a guest error', () => {
      expectRefused({ kind: 'read', offset: cpu(0) + COUNTER, size: 8 }, 'bad-size');
      expectRefused({ kind: 'read', offset: SYS + 0x18, size: 8 }, 'unmapped');
      expectRefused({ kind: 'write', offset: cpu(0) + START_STOP, size: 8, value: 1 }, 'bad-size');
    });
  });

  it('bits that hold nothing read 0 and ignore writes, without an event', () => {
    const rig = running();
    rig.w(cpu(1) + START_STOP, 0xffff_fffe);
    expect(rig.r(cpu(1) + START_STOP)).toBe(0);
    rig.w(TIMER_CONFIG, 0xffff_fff1); // T0 kept at 1, T1 0, absent T2 and T3, reserved bits
    expect(rig.r(TIMER_CONFIG)).toBe(1);
    rig.w(SYS_LIMIT_NR, (0x8000_01ff | limitFor(10)) >>> 0);
    expect(rig.r(SYS_LIMIT)).toBe(limitFor(10));
    expect(rig.events).toEqual([]);
  });

  it('X7: a processor counter\'s words in user-timer mode are no guest error', () => {
    const rig = running();
    rig.w(cpu(0) + LIMIT, 3);
    rig.w(cpu(0) + COUNTER, 0x200);
    rig.w(cpu(0) + LIMIT_NR, limitFor(5));
    expect(rig.events).toEqual([]);
    expect([rig.r(cpu(0) + LIMIT), rig.r(cpu(0) + COUNTER)]).toEqual([3, 0x200]);
  });
});
