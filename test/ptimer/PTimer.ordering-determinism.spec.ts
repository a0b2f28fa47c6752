// G4 (deterministic same-instant order) and G5 (exactly once) as marble tests.
//
// 1 frame = 1 timer tick (test/support/clock.ts). 'ms' in marbles would mean frames here: don't use it.
// Guest letters: b = read before the frame's timer work, a = read after it, c = clear the pending bit.
import type { Subscription } from 'rxjs';
import { describe, expect, it } from 'vitest';
import { policyCombinations, policyName } from '../../index';
import {
  errorLabel,
  marbles,
  periodicMarble,
  read,
  rig,
  trigger,
  type Context,
  type Sim,
} from '../support/marbles';

const A = trigger('expiry', 'A');
const B = trigger('expiry', 'B');

describe('G4: same-instant order is FIFO by when each timer was armed', () => {
  it('G4: two timers due at one instant trigger in the order they were started', marbles((m) => {
    const sim = rig(m, { horizon: 12 });
    sim.device({ name: 'A', start: { limit: 4 } });
    sim.device({ name: 'B', start: { limit: 4 } });
    const expected =                     '----(ab)(ab)(ab)';
    // each expiry re-arms its own timer, A's before B's, so the order holds every round
    m.expect(sim.events$).toBeObservable(expected, { a: A, b: B });
  }));

  it('G4: started the other way round, they trigger the other way round', marbles((m) => {
    const sim = rig(m, { horizon: 12 });
    sim.device({ name: 'B', start: { limit: 4 } });
    sim.device({ name: 'A', start: { limit: 4 } });
    const expected =                     '----(ba)(ba)(ba)';
    m.expect(sim.events$).toBeObservable(expected, { a: A, b: B });
  }));

  it('G4: re-arming a timer onto the same instant puts it behind the one already armed there', marbles((m) => {
    const sim = rig(m, { horizon: 12 });
    const a = sim.device({ name: 'A', start: { limit: 4 } });
    sim.device({ name: 'B', start: { limit: 4 } });
    // at 2, A is re-armed for 2 + 2 = 4: same deadline, but now armed after B
    sim.at(2, () => a.timer.transaction((t) => t.setCount(2)));
    const expected =                     '----(ba)(ba)(ba)';
    m.expect(sim.events$).toBeObservable(expected, { a: A, b: B });
  }));

  it('G4: a timer re-armed elsewhere and then back onto the instant runs behind the one already armed there', marbles((m) => {
    const sim = rig(m, { horizon: 12 });
    const a = sim.device({ name: 'A', start: { limit: 4 } });
    sim.device({ name: 'B', start: { limit: 4 } });
    sim.at(1, () => a.timer.transaction((t) => t.setCount(5))); // deadline 1 + 5 = 6
    sim.at(2, () => a.timer.transaction((t) => t.setCount(2))); // deadline 2 + 2 = 4 again, armed after B
    const expected =                     '----(ba)(ba)(ba)';
    m.expect(sim.events$).toBeObservable(expected, { a: A, b: B });
  }));

  /** Two devices expiring together at 6 and 12, and a guest reading A before and after them. */
  const twoTimersAndAGuest = (m: Context): Sim => {
    const sim = rig(m, { horizon: 12 });
    const a = sim.device({ name: 'A', start: { limit: 6 } });
    sim.device({ name: 'B', start: { limit: 6 } });
    sim.guest('----c-(ba)c-(ba)', a);
    return sim;
  };

  it('G4: a guest read before and after the same instant keeps its place around both triggers', marbles((m) => {
    const sim = twoTimersAndAGuest(m);
    // guest:                            '----c-(ba)  c-(ba)'
    const expected =                     '------(oabn)(oabn)';
    m.expect(sim.events$).toBeObservable(expected, {
      o: read(0, false, 'A'),
      a: A,
      b: B,
      n: read(6, true, 'A'),
    });
  }));

  it('G4: the same scenario gives the same trace, event for event and frame for frame', () => {
    const run = (): readonly (readonly [number, string])[] => {
      let trace: readonly (readonly [number, string])[] = [];
      marbles((m: Context) => {
        const sim = twoTimersAndAGuest(m);
        m.flush();
        trace = [...sim.trace];
      })();
      return trace;
    };
    const first = run();
    expect(first).toHaveLength(8);
    expect(run()).toStrictEqual(first);
    expect(run()).toStrictEqual(first);
  });
});

// Exactly one trigger per expiry, over 300 frames, under every policy combination.
// A count of 3 started at 0: expiries every 3 frames, or 3 then every 4 with WRAP_AFTER_ONE_PERIOD.
const MANY = 300;

describe.each(policyCombinations().map((p) => [policyName(p), p] as const))('ptimer policy=%s', (_name, policy) => {
  it(`G5: exactly one trigger per expiry over ${MANY} frames`, marbles((m) => {
    const sim = rig(m, { horizon: MANY });
    sim.device({ policy, start: { limit: 3 } });
    const span = policy.includes('WRAP_AFTER_ONE_PERIOD') ? 4 : 3;
    const expectedCount = 1 + Math.floor((MANY - 3) / span);
    m.expect(sim.events$).toBeObservable(periodicMarble('t', 3, span, MANY), { t: trigger() });
    m.flush();
    expect(sim.trace.filter(([, label]) => label === trigger())).toHaveLength(expectedCount);
  }));
});

describe('G5: no trigger dropped or doubled', () => {
  it('G5: unsubscribing (or subscribing) inside another subscriber\'s emission leaves the others exactly once', marbles((m) => {
    const sim = rig(m, { horizon: 24 });
    const dev = sim.device({ start: { limit: 8 }, logTriggers: false });
    const triggers$ = dev.timer.triggers$;
    let seen1 = 0;
    let sub2: Subscription | undefined = undefined;
    let sub3: Subscription | undefined = undefined;
    let added5 = false;
    triggers$.subscribe(() => {
      sim.log('1');
      if (++seen1 === 2) sub2?.unsubscribe(); // drops the next subscriber before its turn
    });
    sub2 = triggers$.subscribe(() => sim.log('2'));
    sub3 = triggers$.subscribe(() => {
      sim.log('3');
      sub3?.unsubscribe(); // drops itself after one trigger
    });
    triggers$.subscribe(() => {
      sim.log('4');
      if (!added5) {
        added5 = true;
        triggers$.subscribe(() => sim.log('5')); // joins from the next trigger on
      }
    });
    const expected =                     '--------(1234)--(145)---(145)';
    m.expect(sim.events$).toBeObservable(expected);
  }));

  it('G5: a throwing callback loses no trigger; the step completes and the next expiries still come', marbles((m) => {
    const sim = rig(m, { horizon: 18 });
    let calls = 0;
    sim.device({
      start: { limit: 6 },
      onTrigger: () => {
        if (++calls === 2) throw new Error('device fault');
      },
    });
    sim.guest(                           '----c-a---c-a---c-a');
    const expected =                     '------(tn)--(ten)-(tn)';
    // e: the expiry work throws PTimerCallbackError after the trigger, once the timer is consistent
    m.expect(sim.events$).toBeObservable(expected, {
      t: trigger(),
      e: 'error PTimerCallbackError (device fault)',
      n: read(6, true),
    });
  }));

  it('G5: a callback that throws on a commit trigger: commit throws after the step, and the trigger was delivered', marbles((m) => {
    const sim = rig(m, { horizon: 11 });
    const dev = sim.device({
      start: { limit: 6 },
      onTrigger: ({ cause }) => {
        if (cause === 'commit') throw new Error('device fault');
      },
    });
    sim.at(3, () => {
      sim.log('begin');
      try {
        dev.timer.transaction((t) => {
          t.setCount(0);
          t.setLimit(9, false);
        });
        sim.log('returned');
      } catch (error) {
        sim.log(errorLabel(error));
      }
    });
    sim.guest(                           '---a');
    const expected =                     '---(btea)';
    m.expect(sim.events$).toBeObservable(expected, {
      b: 'begin',
      t: trigger('commit'),
      e: 'error PTimerCallbackError (device fault)',
      a: read(9, true), // reloaded from the new limit and pending: the step completed
    });
  }));

  it('G5: disposing the timer inside its own callback: no callback or trigger afterwards', marbles((m) => {
    const sim = rig(m, { horizon: 20 });
    sim.device({
      start: { limit: 6 },
      onTrigger: ({ timer }) => {
        sim.log('callback');
        timer.dispose();
      },
    });
    const expected =                     '------k';
    // dispose() completes triggers$ before it would emit this trigger, so only the callback shows
    m.expect(sim.events$).toBeObservable(expected, { k: 'callback' });
  }));
});
