// The rxjs battery (STYLE item 23) for ticks$, the timer's one operator-like stream.
//
// 1 frame = 1 timer tick (test/support/clock.ts). 'ms' in marbles would mean frames here: don't use it.
// Every timer here is LEGACY, programmed setLimit(3, true), periodic, started at frame 0: it reads
//   frame:  0 1 2 3 4 5 6 7 8 9
//   count:  3 2 1 3 2 1 3 2 1 3      (expiries at 3, 6, 9; the legacy read is 0 only in the last ns
//                                     before each expiry, which no frame samples)
// Digits in the marbles below are the counts.
import { map } from 'rxjs';
import { describe, expect, it } from 'vitest';
import type { PTimer } from '../../index';
import { NS_PER_FRAME } from '../support/clock';
import { marbles, rig, type Sim } from '../support/marbles';

const counts = (timer: PTimer) => timer.ticks$.pipe(map(({ count }) => String(count)));

const running = (sim: Sim): PTimer => sim.device({ start: { limit: 3 } }).timer;

describe('ticks$', () => {
  it('emits the count at each frame where it changes, stamped with that instant', marbles((m) => {
    const sim = rig(m, { horizon: 9 });
    const timer = running(sim);
    const stamped$ = timer.ticks$.pipe(map(({ time, count }) => `${count}@${time / NS_PER_FRAME}`));
    const expected =                     '-abcdefghi';
    m.expect(stamped$).toBeObservable(expected, {
      a: '2@1', b: '1@2', c: '3@3', d: '2@4', e: '1@5', f: '3@6', g: '2@7', h: '1@8', i: '3@9',
    });
  }));

  it('basic: the counts over three periods', marbles((m) => {
    const sim = rig(m, { horizon: 9 });
    const timer = running(sim);
    m.expect(counts(timer)).toBeObservable('-213213213');
  }));

  it('empty: a stopped timer emits nothing and schedules nothing', marbles((m) => {
    const sim = rig(m, { horizon: 6 });
    const timer = sim.device().timer;
    const queued: number[] = [];
    sim.at(3, () => queued.push(sim.pending()));
    m.expect(counts(timer)).toBeObservable('-------');
    m.flush();
    expect(queued).toEqual([0]);
  }));

  it('complete: dispose() completes it', marbles((m) => {
    const sim = rig(m, { horizon: 9 });
    const timer = running(sim);
    sim.at(4, () => timer.dispose());
    m.expect(counts(timer)).toBeObservable('-213|');
  }));

  it('early unsubscribe cancels its scheduled work (the expiry alone stays queued)', marbles((m) => {
    const sim = rig(m, { horizon: 9 });
    const timer = running(sim);
    const queued: number[] = [];
    sim.at(2, () => queued.push(sim.pending())); // subscribed: the expiry at 3 and the next tick
    sim.at(6, () => queued.push(sim.pending())); // unsubscribed at 4: only the expiry at 6
    const subscription =                 '^---!';
    const expected =                     '-213';
    m.expect(counts(timer), subscription).toBeObservable(expected);
    m.flush();
    expect(queued).toEqual([2, 1]);
  }));

  it('each subscription has its own schedule: one leaving does not stop the other', marbles((m) => {
    const sim = rig(m, { horizon: 9 });
    const timer = running(sim);
    m.expect(counts(timer), '^---!').toBeObservable('-213');
    m.expect(counts(timer)).toBeObservable(      '-213213213');
  }));

  it('G4: two changes at one instant keep their order (expiry reload, then a write)', marbles((m) => {
    const sim = rig(m, { horizon: 9 });
    const timer = running(sim);
    sim.at(3, () => timer.transaction((t) => t.setCount(5)), 'after');
    const subscription =                 '^---!';
    const expected =                     '-21(35)';
    m.expect(counts(timer), subscription).toBeObservable(expected);
  }));

  it('G1: a step that changes the count twice shows only its final count (callback reprograms at expiry)', marbles((m) => {
    const sim = rig(m, { horizon: 9 });
    const timer = sim.device({ start: { limit: 3 }, onTrigger: (tr) => tr.timer.setCount(5) }).timer;
    const subscription =                 '^---!';
    const expected =                     '-215';
    // the reload to 3 and the callback's 5 are one step at frame 3: nobody sees the 3
    m.expect(counts(timer), subscription).toBeObservable(expected);
  }));

  it('a subscription that starts late emits changes from then on, not the current count', marbles((m) => {
    const sim = rig(m, { horizon: 9 });
    const timer = running(sim);
    m.expect(counts(timer), '----^----!').toBeObservable('-----1321');
  }));
});
