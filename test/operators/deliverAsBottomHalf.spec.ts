// 1 frame = NS_PER_FRAME ns (test/support/clock.ts); 'ms' in marbles would mean frames here: don't use it.
// The operator exists only to show the LP #1777777 race (reference/qemu-ptimer.md §4.2, §5.2 pitfall 12).
import { Subject, tap } from 'rxjs';
import { describe, expect, it } from 'vitest';
import { scaleScheduler, VirtualClock } from '../../index';
import { deliverAsBottomHalf } from '../../operators/deliverAsBottomHalf';
import { OperatorArgumentError } from '../../operators/errors';
import { NS_PER_FRAME, framesToNs, probeScheduler } from '../support/clock';
import { thrown } from '../support/errors';
import { irq, marbles, read, rig, trigger, type Context } from '../support/marbles';

const setup = (m: Context) => {
  const errors: unknown[] = [];
  const probe = probeScheduler(m.scheduler, (e) => errors.push(e));
  return { ns: scaleScheduler(probe, NS_PER_FRAME), probe, errors };
};

describe('deliverAsBottomHalf', () => {
  describe('battery', () => {
    it('delivers each value at its instant with delay 0, later with a delay', marbles((m) => {
      const { ns } = setup(m);
      const source =   m.cold('a---b---|');
      m.expect(source.pipe(deliverAsBottomHalf(ns))).toBeObservable(
                              'a---b---|');
      m.expect(source.pipe(deliverAsBottomHalf(ns, framesToNs(2)))).toBeObservable(
                              '--a---b-|');
    }));

    it('empty source: completes at once', marbles((m) => {
      const { ns } = setup(m);
      m.expect(m.cold('|').pipe(deliverAsBottomHalf(ns, framesToNs(3)))).toBeObservable('|');
    }));

    it('an error passes through at once and drops a pending delivery', marbles((m) => {
      const { ns } = setup(m);
      const failure = new Error('source failed');
      m.expect(m.cold('a-#', undefined, failure).pipe(deliverAsBottomHalf(ns))).toBeObservable(
                                                          'a-#', undefined, failure);
      m.expect(m.cold('a-#', undefined, failure).pipe(deliverAsBottomHalf(ns, framesToNs(3)))).toBeObservable(
                                                          '--#', undefined, failure);
    }));

    it('early unsubscribe cancels the pending delivery', marbles((m) => {
      const { ns, probe } = setup(m);
      const source =           m.cold('a-----|');
      const sub =                     '^--!';
      m.expect(source.pipe(deliverAsBottomHalf(ns, framesToNs(5))), sub).toBeObservable(
                                      '----');
      m.expect(source).toHaveSubscriptions(sub);
      const queued: number[] = [];
      m.scheduler.schedule(() => queued.push(probe.pending()), 1); // the delivery due at frame 5
      m.scheduler.schedule(() => queued.push(probe.pending()), 4); // cancelled at frame 3
      m.flush();
      expect(queued).toEqual([1, 0]);
    }));

    it('values at one instant: one delivery, of the later value (order kept)', marbles((m) => {
      const { ns } = setup(m);
      m.expect(m.cold('(ab)|').pipe(deliverAsBottomHalf(ns))).toBeObservable(
                      'b---|');
    }));

    it('two deliveries at one instant come out in order: a value sent during a delivery is delivered after it', () => {
      const clock = new VirtualClock();
      const source = new Subject<string>();
      const seen: string[] = [];
      source.pipe(deliverAsBottomHalf(clock)).subscribe((v) => {
        seen.push(`${v}@${clock.now()}`);
        if (v === 'first') source.next('second'); // the bottom half is no longer pending while it runs
      });
      clock.schedule(() => source.next('first'), 10);
      clock.run();
      expect(seen).toEqual(['first@10', 'second@10']);
    });
  });

  describe('bottom-half rules', () => {
    it('coalesces: values while a delivery is pending give one delivery, of the latest', marbles((m) => {
      const { ns } = setup(m);
      const source =   m.cold('a-b-----c--|');
      m.expect(source.pipe(deliverAsBottomHalf(ns, framesToNs(3)))).toBeObservable(
                              '---b-------(c|)');
    }));

    it('a pending delivery keeps its place: later values do not push it back (not a debounce)', marbles((m) => {
      const { ns } = setup(m);
      const source =   m.cold('abcdefg|');
      // a opens a period delivered at 3; d's emission at 3 was queued before the delivery, so it is
      // still in that period. e opens the next one, delivered at 7 with g (a debounce would wait for quiet).
      m.expect(source.pipe(deliverAsBottomHalf(ns, framesToNs(3)))).toBeObservable(
                              '---d---(g|)');
    }));

    it('runs after the work already queued for its instant', () => {
      const clock = new VirtualClock();
      const order: string[] = [];
      const source = new Subject<string>();
      source
        .pipe(
          tap(() => clock.schedule(() => order.push('queued before the delivery, same instant'))),
          deliverAsBottomHalf(clock),
        )
        .subscribe((v) => order.push(`delivered ${v}`));
      clock.schedule(() => {
        source.next('x');
        order.push('emission step ends');
      }, 7);
      clock.run();
      expect(order).toEqual(['emission step ends', 'queued before the delivery, same instant', 'delivered x']);
    });

    it('a delivery pending when the source completes still runs, then the stream completes', marbles((m) => {
      const { ns } = setup(m);
      m.expect(m.cold('a|').pipe(deliverAsBottomHalf(ns, framesToNs(3)))).toBeObservable(
                      '---(a|)');
    }));
  });

  // The race of the seed (LP #1777777): the timer reloads at E = 6 and schedules the bottom half;
  // a guest read queued for E (letter a: after the frame's timer work) runs before it.
  describe('LP #1777777: what it exists to show', () => {
    const LIMIT = 6;

    it('a guest read at the expiry instant sees the reloaded counter and no interrupt pending', marbles((m) => {
      const sim = rig(m, { horizon: 11 }); // before the next expiry, at 12
      const dev = sim.device({ start: { limit: LIMIT }, wired: false, logIrq: true });
      dev.timer.triggers$.pipe(deliverAsBottomHalf(sim.ns)).subscribe(() => dev.raise());
      sim.guest(                         '----c-a----b');
      m.expect(sim.events$).toBeObservable('------(tsi)r', {
        t: trigger(),
        s: read(LIMIT, false), // stale: the counter reloaded, the interrupt not yet pending
        i: irq(),              // the bottom half runs after the guest's read
        r: read(1, true),
      });
    }));

    it('the same guest against synchronous delivery (G1) never sees that state', marbles((m) => {
      const sim = rig(m, { horizon: 11 }); // before the next expiry, at 12
      sim.device({ start: { limit: LIMIT }, logIrq: true });
      sim.guest(                         '----c-a----b');
      m.expect(sim.events$).toBeObservable('------(itn)r', {
        i: irq(),
        t: trigger(),
        n: read(LIMIT, true), // reloaded, and pending: consistent
        r: read(1, true),
      });
    }));
  });

  describe('bad input', () => {
    const clock = new VirtualClock();

    it.each([
      [-1, 'deliverAsBottomHalf(delay): -1 is invalid: must be a whole, non-negative number of ns (a safe integer)'],
      [1.5, 'deliverAsBottomHalf(delay): 1.5 is invalid: must be a whole, non-negative number of ns (a safe integer)'],
      [Number.NaN, 'deliverAsBottomHalf(delay): NaN is invalid: must be a whole, non-negative number of ns (a safe integer)'],
      [Infinity, 'deliverAsBottomHalf(delay): Infinity is invalid: must be a whole, non-negative number of ns (a safe integer)'],
      ['0', 'deliverAsBottomHalf(delay): "0" is invalid: must be a whole, non-negative number of ns (a safe integer)'],
    ])('delay %s: OperatorArgumentError', (delay, message) => {
      const error = thrown(() => deliverAsBottomHalf(clock, delay as number)) as OperatorArgumentError;
      expect(error).toBeInstanceOf(OperatorArgumentError);
      expect(error.value).toBe(delay);
      expect(error.message).toBe(message);
    });

    it('a scheduler that is not one: OperatorArgumentError', () => {
      const error = thrown(() => deliverAsBottomHalf({ now: 0 } as never)) as OperatorArgumentError;
      expect(error).toBeInstanceOf(OperatorArgumentError);
      expect(error.message).toBe('deliverAsBottomHalf(scheduler): {"now":0} is invalid: must be an rxjs SchedulerLike (e.g. a VirtualClock)');
    });
  });
});
