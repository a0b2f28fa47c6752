// The minimal timer's tick is a whole number of ns (`periodNs`), which both timings keep
// exactly (#14): exact (the default) and QEMU timing read and expire alike.
import { describe, expect, it } from 'vitest';
import { MinimalTimer } from '../../../devices';
import { VirtualClock, type PTimerTiming } from '../../../index';

const LOAD = 0x0;
const VALUE = 0x4;
const CTRL = 0x8;
const INTSTATUS = 0xc;

/** VALUE and INTSTATUS at each of `times`, and the expiry instants, for a 3-tick periodic count of 100 ns ticks. */
const run = (timing?: PTimerTiming) => {
  const clock = new VirtualClock();
  const device = new MinimalTimer(clock, { periodNs: 100, ...(timing === undefined ? {} : { timing }) });
  const expiries: number[] = [];
  device.events$.subscribe((e) => e.kind === 'expiry' && expiries.push(e.time));
  device.write(LOAD, 4, 3);
  device.write(CTRL, 4, 0b11);
  const reads: number[] = [];
  for (const t of [0, 99, 100, 299, 300, 301, 100_000]) {
    clock.advanceTo(t);
    reads.push(device.read(VALUE, 4), device.read(INTSTATUS, 4));
  }
  return { timing: device.timer.timing, reads, expiries };
};

describe('MinimalTimer timing (#14)', () => {
  it("exact by default; with a whole-ns tick, timing 'qemu' reads and expires the same", () => {
    const exact = run();
    const qemu = run('qemu');
    expect([exact.timing, qemu.timing]).toEqual(['exact', 'qemu']);
    expect(exact.expiries).toHaveLength(333);
    expect(exact.expiries.slice(0, 3)).toEqual([300, 600, 900]);
    expect(qemu.reads).toEqual(exact.reads);
    expect(qemu.expiries).toEqual(exact.expiries);
  });
});
