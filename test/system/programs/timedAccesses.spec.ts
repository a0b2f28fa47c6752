import { describe, expect, it } from 'vitest';
import { SYSTEM_SNAPSHOT_VERSION, SystemConfigError, timedAccesses, type TimedBusAccess } from '../../../system';
import { thrown } from '../../support/errors';
import { BASE, DEVICE, expectResumes, rig } from './rig';

const US = 1_000;

describe('timedAccesses', () => {
  it('minimal-timer: writes and reads at their instants, same-instant ones in list order in one step', () => {
    // LOAD 0x0, VALUE 0x4, CTRL 0x8 (EN | IRQEN), 1 µs ticks.
    const r = rig('minimal-timer');
    const program = timedAccesses({
      accesses: [
        { at: 1 * US, kind: 'write', address: BASE + 0x0, value: 100 },
        { at: 1 * US, kind: 'write', address: BASE + 0x8, value: 3 },
        { at: 11 * US, kind: 'read', address: BASE + 0x4 },
        { at: 101 * US, kind: 'read', address: BASE + 0xc },
      ],
    });
    r.system.addGuest('acc', program);
    r.system.run(200 * US);
    const accesses = r.system.trace.events.filter((e) => e.kind === 'read' || e.kind === 'write');
    expect(accesses.map((e) => [e.time, e.kind, (e as { offset: number }).offset])).toEqual([
      [1_000, 'write', 0x0],
      [1_000, 'write', 0x8],
      [11_000, 'read', 0x4],
      [101_000, 'read', 0xc],
    ]);
    expect(program.stats()).toEqual({ executed: 4, total: 4, lastRead: 1 }); // INTSTATUS set at 101 µs
  });

  it('sp804: the same list resumes from a snapshot between accesses', () => {
    const list: TimedBusAccess[] = [
      { at: 0, kind: 'write', address: BASE + 0x00, value: 50 }, // Timer1Load
      { at: 0, kind: 'write', address: BASE + 0x08, value: 0xe2 }, // enable, periodic, IntEnable, 32-bit
      ...[1, 2, 3, 4, 5, 6, 7, 8].map((k) => ({ at: k * 20 * US, kind: 'read' as const, address: BASE + 0x04 })),
      { at: 200 * US, kind: 'write', address: BASE + 0x0c, value: 1, size: 4 }, // Timer1IntClr
    ];
    const build = (start: number) => {
      const r = rig('sp804', 'timer1', { start });
      const program = timedAccesses({ accesses: list });
      r.system.addGuest('acc', program);
      return { ...r, program };
    };
    const { original, restored } = expectResumes(build, 70 * US, 300 * US);
    expect(restored.program.stats()).toEqual({ executed: 11, total: 11, lastRead: original.program.stats().lastRead });
    expect(original.system.snapshot()).toMatchObject({ version: SYSTEM_SNAPSHOT_VERSION, guests: { acc: { state: 'done' } } });
    expect(original.system.trace.of('irq', `${DEVICE}.timint1`).map((e) => [e.time, e.level])).toContainEqual([200 * US, false]);
  });

  it('rejects an unsorted list, a write without a value, a read with one, and a value too big, naming the access', () => {
    const make = (accesses: TimedBusAccess[]) => () => timedAccesses({ accesses });
    const unsorted = thrown(make([{ at: 10, kind: 'read', address: 0 }, { at: 5, kind: 'read', address: 0 }]));
    expect(unsorted).toBeInstanceOf(SystemConfigError);
    expect((unsorted as Error).message).toBe(
      'timedAccesses(options.accesses[1]).at: 5 is invalid: must not be before the access before it (at 10 ns): the list is sorted by time',
    );
    expect(thrown(make([{ at: 0, kind: 'write', address: 0 }]))).toBeInstanceOf(SystemConfigError);
    expect(thrown(make([{ at: 0, kind: 'read', address: 0, value: 1 }]))).toBeInstanceOf(SystemConfigError);
    expect((thrown(make([{ at: 0, kind: 'write', address: 0, value: 256, size: 1 }])) as Error).message).toBe(
      'timedAccesses(options.accesses[0]): 256 is invalid: must be an unsigned integer that fits in 1 byte(s)',
    );
  });
});
