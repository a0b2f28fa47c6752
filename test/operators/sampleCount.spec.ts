// 1 frame = NS_PER_FRAME ns = 1 tick of a PERIOD_NS timer (test/support/clock.ts); 'ms' in marbles would mean frames here: don't use it.
// Timers here use the legacy policy: started with count 6 at frame 0, they read 6 - k at frame k,
// 0 at frame 6 before the expiry (overdue) and 6 again after it (reference §1.9).
import { describe, expect, it } from 'vitest';
import { PTimer, scaleScheduler, type PTimerPolicy } from '../../index';
import { OperatorArgumentError } from '../../operators/errors';
import { sampleCount, type CountSample } from '../../operators/sampleCount';
import { NS_PER_FRAME, PERIOD_NS, framesToNs } from '../support/clock';
import { thrown } from '../support/errors';
import { marbles, type Context } from '../support/marbles';

const LIMIT = 6;

const sample = (frame: number, count: bigint, timer = 't0'): CountSample => ({ time: framesToNs(frame), timer, count });

/** A periodic timer never lets the flush end: runs stop after this frame (as the rig's `horizon`). */
const HORIZON = 20;

const setup = (m: Context, policy: readonly PTimerPolicy[] = []) => {
  m.scheduler.maxFrames = HORIZON;
  const ns = scaleScheduler(m.scheduler, NS_PER_FRAME);
  const timer = new PTimer(ns, { name: 't0', policy });
  const start = () =>
    timer.transaction((t) => {
      t.setPeriod(PERIOD_NS);
      t.setLimit(LIMIT, true);
      t.run(false);
    });
  return { ns, timer, start };
};

describe('sampleCount', () => {
  describe('battery', () => {
    it('reads the count at each notification', marbles((m) => {
      const { ns, timer, start } = setup(m);
      start(); // at frame 0, during setup
      const ticks = m.cold('a-b-c|');
      m.expect(ticks.pipe(sampleCount(timer, ns))).toBeObservable('x-y-z|', {
        x: sample(0, 6n),
        y: sample(2, 4n),
        z: sample(4, 2n),
      });
    }));

    it('empty notifier: no sample, completes', marbles((m) => {
      const { ns, timer } = setup(m);
      m.expect(m.cold('|').pipe(sampleCount(timer, ns))).toBeObservable('|');
    }));

    it('an error of the notifier passes through', marbles((m) => {
      const { ns, timer } = setup(m);
      const failure = new Error('notifier failed');
      m.expect(m.cold('a-#', undefined, failure).pipe(sampleCount(timer, ns))).toBeObservable(
        'x-#',
        { x: sample(0, 0n) },
        failure,
      );
    }));

    it('early unsubscribe releases the notifier; sampling schedules nothing', marbles((m) => {
      const { ns, timer, start } = setup(m);
      start();
      const ticks = m.cold('a-b-c|');
      const sub =          '^--!';
      m.expect(ticks.pipe(sampleCount(timer, ns)), sub).toBeObservable('x-y', { x: sample(0, 6n), y: sample(2, 4n) });
      m.expect(ticks).toHaveSubscriptions(sub);
    }));

    it('notifications at one instant give one sample each, in order', marbles((m) => {
      const ns = scaleScheduler(m.scheduler, NS_PER_FRAME);
      let reads = 0n;
      const counter = { name: 'reads', getCount: () => reads++ }; // each read sees a new count
      m.expect(m.cold('-(ab)|').pipe(sampleCount(counter, ns))).toBeObservable('-(xy)|', {
        x: sample(1, 0n, 'reads'),
        y: sample(1, 1n, 'reads'),
      });
    }));
  });

  describe('ordering', () => {
    it('G1, G4: at an expiry instant, a sample queued before the expiry reads the overdue 0, one queued after it the reloaded count', marbles((m) => {
      const { ns, timer, start } = setup(m);
      // Frame 0 runs, in this order: subscribe `early`, arm the timer (expiry at 6), subscribe `late`.
      const early = m.cold('------e');
      m.expect(early.pipe(sampleCount(timer, ns))).toBeObservable('------x', { x: sample(6, 0n) });
      m.scheduler.schedule(start, 0);
      const late =  m.cold('------l');
      m.expect(late.pipe(sampleCount(timer, ns))).toBeObservable( '------y', { y: sample(6, BigInt(LIMIT)) });
    }));

    it('a sample inside the expiry step (a trigger as notifier) sees the reloaded count', marbles((m) => {
      const { ns, timer, start } = setup(m);
      start();
      m.expect(timer.triggers$.pipe(sampleCount(timer, ns)), '^-------------!').toBeObservable(
                                                              '------x-----y', { x: sample(6, 6n), y: sample(12, 6n) });
    }));

    it('reads a stopped timer as it was left, with the full 64-bit range', marbles((m) => {
      const { ns, timer } = setup(m);
      timer.transaction((t) => t.setLimit(2n ** 64n - 1n, true));
      m.expect(m.cold('a---b|').pipe(sampleCount(timer, ns))).toBeObservable('x---y|', {
        x: sample(0, 2n ** 64n - 1n),
        y: sample(4, 2n ** 64n - 1n),
      });
    }));
  });

  describe('bad input', () => {
    const ns = scaleScheduler({ now: () => 0, schedule: () => { throw new Error('unused'); } } as never, 1);

    it.each([
      ['no timer', undefined, 'sampleCount(timer): undefined is invalid: must be a timer (name and getCount())'],
      ['no getCount', { name: 't' }, 'sampleCount(timer): {"name":"t"} is invalid: must be a timer (name and getCount())'],
      ['no name', { getCount: () => 0n }, 'sampleCount(timer): {} is invalid: must be a timer (name and getCount())'],
    ])('%s: OperatorArgumentError', (_what, timer, message) => {
      const error = thrown(() => sampleCount(timer as never, ns)) as OperatorArgumentError;
      expect(error).toBeInstanceOf(OperatorArgumentError);
      expect(error.message).toBe(message);
    });

    it('a scheduler that is not one: OperatorArgumentError', () => {
      const error = thrown(() => sampleCount({ name: 't', getCount: () => 0n }, null as never)) as OperatorArgumentError;
      expect(error).toBeInstanceOf(OperatorArgumentError);
      expect(error.message).toBe('sampleCount(scheduler): null is invalid: must be an rxjs SchedulerLike (e.g. a VirtualClock)');
    });
  });
});
