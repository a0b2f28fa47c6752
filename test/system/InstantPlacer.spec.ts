import { describe, expect, it } from 'vitest';
import { VirtualClock } from '../../src/clock';
import { GuestActivity } from '../../system/GuestScheduler';
import { InstantPlacer } from '../../system/InstantPlacer';
import { thrown } from '../support/errors';

/** A clock with device events d1..dn at `time` (d2 queued by d1 while it runs, like a deferred delivery). */
const rig = (): { clock: VirtualClock; log: string[]; placer: InstantPlacer } => {
  const clock = new VirtualClock();
  const activity = new GuestActivity();
  const log: string[] = [];
  const placer = new InstantPlacer(clock, activity);
  clock.schedule(function d1() {
    log.push('d1');
    clock.schedule(function d3() {
      log.push('d3');
    }, 0);
  }, 10);
  clock.schedule(function d2() {
    log.push('d2');
  }, 10);
  return { clock, log, placer };
};

describe('InstantPlacer', () => {
  it.each([0, 1, 2, 3])('runs work right after %i device event(s) of its instant, including ones queued during it', (after) => {
    const { clock, log, placer } = rig();
    placer.place(10, after, () => log.push('g'), () => new Error('missed'));
    clock.advanceTo(20);
    const expected = ['d1', 'd2', 'd3'];
    expected.splice(after, 0, 'g');
    expect(log).toEqual(expected);
  });

  it('keeps the order of several pieces placed at one point', () => {
    const { clock, log, placer } = rig();
    placer.place(10, 1, () => log.push('a'), () => new Error('missed'));
    placer.place(10, 1, () => log.push('b'), () => new Error('missed'));
    placer.place(10, 3, () => log.push('c'), () => new Error('missed'));
    clock.advanceTo(20);
    expect(log).toEqual(['d1', 'a', 'b', 'd2', 'd3', 'c']);
  });

  it('stops the clock at an instant with no device event', () => {
    const { clock, log, placer } = rig();
    placer.place(15, 0, () => log.push(`g@${clock.now()}`), () => new Error('missed'));
    clock.advanceTo(20);
    expect(log).toEqual(['d1', 'd2', 'd3', 'g@15']);
  });

  it('reports a place the instant never reaches', () => {
    const { clock, placer } = rig();
    placer.place(10, 5, () => undefined, (seen) => new Error(`missed: ${seen} ran`));
    expect((thrown(() => clock.advanceTo(20)) as Error).message).toBe('missed: 3 ran');
  });
});
