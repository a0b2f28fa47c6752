// 1 frame = NS_PER_FRAME ns (test/support/clock.ts); 'ms' in marbles would mean frames here: don't use it.
import { describe, expect, it } from 'vitest';
import { scaleScheduler, VirtualClock } from '../../index';
import { accessesFrom, type TimedAccess } from '../../operators/accessesFrom';
import { OperatorArgumentError, TimedAccessError } from '../../operators/errors';
import { guestRead, guestWrite, type GuestAccess } from '../../src/bus/GuestAccess';
import { NS_PER_FRAME, framesToNs, probeScheduler } from '../support/clock';
import { thrown } from '../support/errors';
import { marbles, type Context } from '../support/marbles';

const r = guestRead(0x0);
const w = guestWrite(0x0, 7);
const s = guestRead(0x4);

/** The marble scheduler in ns, with a probe counting the work still queued. */
const setup = (m: Context) => {
  const errors: unknown[] = [];
  const probe = probeScheduler(m.scheduler, (e) => errors.push(e));
  return { ns: scaleScheduler(probe, NS_PER_FRAME), probe, errors };
};

const at = (frame: number, access: GuestAccess): TimedAccess => ({ at: framesToNs(frame), access });

describe('accessesFrom', () => {
  describe('battery', () => {
    it('emits each access at its time, completing with the last', marbles((m) => {
      const { ns } = setup(m);
      const accesses = accessesFrom([at(1, r), at(3, w), at(6, s)], ns);
      m.expect(accesses).toBeObservable('-r-w--(s|)', { r, w, s });
    }));

    it('an empty array completes at once', marbles((m) => {
      const { ns, probe } = setup(m);
      m.expect(accessesFrom([], ns)).toBeObservable('|');
      m.flush();
      expect(probe.pending()).toBe(0);
    }));

    it('times are relative to subscription: subscribing at frame 3 shifts the program by 3 frames', marbles((m) => {
      const { ns } = setup(m);
      const accesses = accessesFrom([at(0, r), at(2, w)], ns);
      m.expect(accesses,                 '---^').toBeObservable(
                                         '---r-(w|)', { r, w });
    }));

    it('early unsubscribe cancels every access still scheduled', marbles((m) => {
      const { ns, probe } = setup(m);
      const accesses = accessesFrom([at(1, r), at(5, w), at(8, s)], ns);
      m.expect(accesses,                '^--!').toBeObservable(
                                        '-r--', { r });
      const queued: number[] = [];
      m.scheduler.schedule(() => queued.push(probe.pending()), 2); // before the unsubscription: w and s
      m.scheduler.schedule(() => queued.push(probe.pending()), 4); // after it: nothing
      m.flush();
      expect(queued).toEqual([2, 0]);
    }));

    it('entries at one instant come out at that instant in array order', marbles((m) => {
      const { ns } = setup(m);
      const accesses = accessesFrom([at(0, r), at(2, w), at(2, r), at(2, s)], ns);
      m.expect(accesses).toBeObservable('r-(wrs|)', { r, w, s });
    }));
  });

  describe('times', () => {
    it('are ns on the scheduler: on a VirtualClock, entries at 1 and 1 500 ns run at exactly those times', () => {
      const clock = new VirtualClock();
      const seen: [number, GuestAccess][] = [];
      accessesFrom([{ at: 1, access: r }, { at: 1_500, access: w }], clock).subscribe((a) => seen.push([clock.now(), a]));
      clock.run();
      expect(seen).toEqual([
        [1, r],
        [1_500, w],
      ]);
    });

    it('an entry at 0 runs after the work already queued for the subscription instant (G4)', () => {
      const clock = new VirtualClock();
      const order: string[] = [];
      clock.schedule(() => order.push('queued'));
      accessesFrom([{ at: 0, access: r }], clock).subscribe(() => order.push('access'));
      expect(order).toEqual([]); // nothing synchronous during subscribe
      clock.run();
      expect(order).toEqual(['queued', 'access']);
    });

    it('the array is copied: changing it afterwards changes nothing', () => {
      const clock = new VirtualClock();
      const program: TimedAccess[] = [{ at: 10, access: r }];
      const accesses = accessesFrom(program, clock);
      program.push({ at: 20, access: w });
      const seen: GuestAccess[] = [];
      accesses.subscribe((a) => seen.push(a));
      clock.run();
      expect(seen).toEqual([r]);
    });
  });

  describe('bad input', () => {
    const clock = new VirtualClock();
    const bad = (timed: unknown) => thrown(() => accessesFrom(timed as TimedAccess[], clock)) as TimedAccessError;

    it.each([
      ['negative', -1, 'accessesFrom(timed[1].at): -1 is invalid: must be a whole, non-negative number of ns (a safe integer)'],
      ['fractional', 2.5, 'accessesFrom(timed[1].at): 2.5 is invalid: must be a whole, non-negative number of ns (a safe integer)'],
      ['NaN', Number.NaN, 'accessesFrom(timed[1].at): NaN is invalid: must be a whole, non-negative number of ns (a safe integer)'],
      ['infinite', Infinity, 'accessesFrom(timed[1].at): Infinity is invalid: must be a whole, non-negative number of ns (a safe integer)'],
      ['a string', '5', 'accessesFrom(timed[1].at): "5" is invalid: must be a whole, non-negative number of ns (a safe integer)'],
      ['before the previous', 5, "accessesFrom(timed[1].at): 5 is invalid: must not be before the previous entry's time (10 ns)"],
    ])('a time that is %s: TimedAccessError naming the index and value', (_what, time, message) => {
      const error = bad([{ at: 10, access: r }, { at: time, access: w }]);
      expect(error).toBeInstanceOf(TimedAccessError);
      expect(error).toBeInstanceOf(OperatorArgumentError);
      expect(error.name).toBe('TimedAccessError');
      expect(error.index).toBe(1);
      expect(error.value).toBe(time);
      expect(error.message).toBe(message);
    });

    it('a malformed access: TimedAccessError naming the index, with the bus rule', () => {
      const error = bad([{ at: 0, access: r }, { at: 0, access: r }, { at: 3, access: { kind: 'write', offset: 0, size: 2, value: 70_000 } }]);
      expect(error.index).toBe(2);
      expect(error.message).toBe(
        'accessesFrom(timed[2].access): {"kind":"write","offset":0,"size":2,"value":70000} is invalid: ' +
          'guestWrite(value): 70000 is invalid: must be an unsigned integer that fits in 2 byte(s)',
      );
    });

    it('an entry that is not an object, or has no access', () => {
      expect(bad([null]).message).toBe('accessesFrom(timed[0]): null is invalid: must be an object { at, access }');
      expect(bad([{ at: 0 }]).message).toBe(
        'accessesFrom(timed[0].access): undefined is invalid: must be a guest access (from guestRead or guestWrite)',
      );
    });

    it('arguments of the wrong shape throw OperatorArgumentError', () => {
      const notArray = thrown(() => accessesFrom({} as never, clock)) as OperatorArgumentError;
      expect(notArray).toBeInstanceOf(OperatorArgumentError);
      expect(notArray.message).toBe('accessesFrom(timed): {} is invalid: must be an array of { at, access } entries');
      const noScheduler = thrown(() => accessesFrom([], undefined as never)) as OperatorArgumentError;
      expect(noScheduler.message).toBe(
        'accessesFrom(scheduler): undefined is invalid: must be an rxjs SchedulerLike (e.g. a VirtualClock)',
      );
    });
  });
});
