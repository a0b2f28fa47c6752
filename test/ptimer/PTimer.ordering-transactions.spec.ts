// G2 (deferred, not lost) and G3 (no callback mid-update; re-triggers after the callback returns)
// as marble tests.
//
// 1 frame = 1 timer tick (test/support/clock.ts). 'ms' in marbles would mean frames here: don't use it.
// Guest letters: b = read before the frame's timer work, a = read after it, c = clear the pending bit.
import { describe, it } from 'vitest';
import type { PTimer, PTimerPolicy } from '../../index';
import { PERIOD_NS } from '../support/clock';
import { cases, marbles, read, rig, trigger, view, type Sim } from '../support/marbles';

const LIMIT = 6; // running timers: setLimit(6, true), periodic, from frame 0 → first expiry at frame 6

/** A transaction at `frame` with markers around it: 'begin' before, 'returned' after it returns. */
const transactionAt = (sim: Sim, frame: number, timer: PTimer, changes: (t: PTimer) => void): void =>
  sim.at(frame, () => {
    sim.log('begin');
    timer.transaction(changes);
    sim.log('returned');
  });

const MARKERS = { b: 'begin', r: 'returned' } as const;

interface G2Case {
  readonly policy?: readonly PTimerPolicy[];
  /** Start the timer at frame 0 (default true). */
  readonly running?: boolean;
  readonly changes: (sim: Sim, t: PTimer) => void;
  readonly expected: string;
  readonly values: Record<string, string>;
}

// Transaction at frame 3; the guest reads right after it (same frame). Runs to frame 11.
// k = what the callback sees of its timer, t = the commit trigger on triggers$.
//                      frame: 0  3
const GUEST =                '---a';

cases<G2Case>(
  'G2: a transaction that makes the timer trigger delivers it once, inside commit, after all changes',
  (m, c) => {
    const sim = rig(m, { horizon: 11 });
    const dev = sim.device({
      policy: c.policy ?? [],
      start: c.running === false ? undefined : { limit: LIMIT },
      onTrigger: (tr) => sim.log(view(tr.timer)),
    });
    transactionAt(sim, 3, dev.timer, (t) => c.changes(sim, t));
    sim.guest(GUEST);
    m.expect(sim.events$).toBeObservable(c.expected, { ...MARKERS, t: trigger('commit'), ...c.values });
  },
  {
    'G2: setCount(0) then setLimit(9): the callback sees the new limit': {
      changes: (_, t) => {
        t.setCount(0);
        t.setLimit(9, false);
      },
      expected:               '---(bktra)',
      // old deadline 6 is gone; next expiry at 3 + 9 = 12, past the run
      values: { k: 'dev: sees count 0 limit 9', a: read(9, true) },
    },
    'G2: setLimit(0, true): one trigger, then the legacy zero-limit stop': {
      changes: (_, t) => t.setLimit(0, true),
      expected:               '---(bktra)',
      values: { k: 'dev: sees count 0 limit 0', a: read(0, true) },
    },
    'G2: run with count 0 on a stopped timer': {
      running: false,
      changes: (_, t) => {
        t.setPeriod(PERIOD_NS);
        t.setLimit(9, false);
        t.run(false);
      },
      expected:               '---(bktra)',
      values: { k: 'dev: sees count 0 limit 9', a: read(9, true) },
    },
    'G2: several zero writes in one transaction still trigger once': {
      changes: (_, t) => {
        t.setCount(0);
        t.setLimit(0, true);
        t.setCount(0);
        t.setLimit(9, false);
      },
      expected:               '---(bktra)',
      values: { k: 'dev: sees count 0 limit 9', a: read(9, true) },
    },
    'G2: a period change in the same transaction is applied before the trigger': {
      changes: (_, t) => {
        t.setPeriod(2 * PERIOD_NS);
        t.setCount(0);
        t.setLimit(4, false);
      },
      // next expiry at 3 + 4 × 2 = 11
      expected:               '---(bktra)-(Ku)',
      values: { k: 'dev: sees count 0 limit 4', a: read(4, true), K: 'dev: sees count 4 limit 4', u: trigger() },
    },
    'G2: an intermediate zero never triggers: setLimit(0, true); setLimit(5, true)': {
      changes: (_, t) => {
        t.setLimit(0, true);
        t.setLimit(5, true);
      },
      // only the final count 5 is evaluated: next expiry at 3 + 5 = 8
      expected:               '---(bra)(ke)',
      values: { a: read(5, false), k: 'dev: sees count 5 limit 5', e: trigger() },
    },
    'G2 (policy): TRIGGER_ONLY_ON_DECREMENT makes a written zero silent; it just reloads': {
      policy: ['TRIGGER_ONLY_ON_DECREMENT'],
      changes: (_, t) => {
        t.setCount(0);
        t.setLimit(9, false);
      },
      expected:               '---(bra)',
      values: { a: read(9, false) },
    },
  },
);

describe('G2: transactions are the unit', () => {
  it('G2: the same two writes in two transactions trigger at the first commit', marbles((m) => {
    const sim = rig(m, { horizon: 11 });
    const dev = sim.device({ start: { limit: LIMIT }, onTrigger: (tr) => sim.log(view(tr.timer)) });
    sim.at(3, () => {
      sim.log('begin');
      dev.timer.transaction((t) => t.setLimit(0, true));
      sim.log('first returned');
      dev.timer.transaction((t) => t.setLimit(5, true));
      sim.log('returned');
    });
    sim.guest(                           '---a');
    const expected =                     '---(bktfra)';
    m.expect(sim.events$).toBeObservable(expected, {
      ...MARKERS,
      k: 'dev: sees count 0 limit 0',
      t: trigger('commit'),
      f: 'first returned',
      a: read(5, true), // the legacy zero-limit stop left it stopped; the second write just sets the count
    });
  }));

  it('G2: begin()/commit() deliver the same way as transaction()', marbles((m) => {
    const sim = rig(m, { horizon: 11 });
    const dev = sim.device({ start: { limit: LIMIT } });
    sim.at(3, () => {
      dev.timer.begin();
      dev.timer.setCount(0);
      dev.timer.setLimit(9, false);
      sim.log('committing');
      dev.timer.commit();
      sim.log('returned');
    });
    sim.guest(                           '---a');
    const expected =                     '---(ctra)';
    m.expect(sim.events$).toBeObservable(expected, {
      c: 'committing',
      t: trigger('commit'),
      r: 'returned',
      a: read(9, true),
    });
  }));
});

describe('G3: no callback while a transaction is open', () => {
  it('G3: writes inside an open transaction never call back; the one trigger comes in commit', marbles((m) => {
    const sim = rig(m, { horizon: 11 });
    const dev = sim.device({ start: { limit: LIMIT }, onTrigger: () => sim.log('callback') });
    sim.at(3, () => {
      const t = dev.timer;
      t.begin();
      t.setCount(0);
      sim.log('count 0 written');
      t.setLimit(9, false);
      sim.log('limit 9 written');
      t.commit();
      sim.log('returned');
    });
    const expected =                     '---(swktr)';
    m.expect(sim.events$).toBeObservable(expected, {
      s: 'count 0 written',
      w: 'limit 9 written',
      k: 'callback',
      t: trigger('commit'),
      r: 'returned',
    });
  }));

  it('G3/G5: an expiry due while a transaction is held open waits for commit, and is not lost', marbles((m) => {
    const sim = rig(m, { horizon: 12 });
    const dev = sim.device({ start: { limit: LIMIT }, onTrigger: (tr) => sim.log(view(tr.timer)) });
    sim.at(4, () => {
      dev.timer.begin();
      sim.log('begin');
    });
    sim.at(7, () => {
      dev.timer.commit();
      sim.log('returned');
    });
    const expected =                     '----b-e(rkt)(Kt)';
    // deadline 6 passes with the transaction open: the expiry work refuses (e) and calls nobody;
    // after commit at 7 the overdue expiry runs; the next round stays anchored at 6 → 12.
    m.expect(sim.events$).toBeObservable(expected, {
      ...MARKERS,
      e: 'error PTimerTransactionError',
      k: 'dev: sees count 5 limit 6',
      K: 'dev: sees count 6 limit 6',
      t: trigger(),
    });
  }));
});

describe('G3: the callback context', () => {
  it('G3: a callback that reprograms its own timer gets the re-trigger after it returns, not nested', marbles((m) => {
    const sim = rig(m, { horizon: 20 });
    let first = true;
    sim.device({
      start: { limit: 9 },
      onTrigger: (tr) => {
        sim.log(`enter (${tr.cause})`);
        if (first) {
          first = false;
          tr.timer.setCount(0); // no begin(): the callback runs in the timer's transaction
        }
        sim.log('exit');
      },
    });
    const expected =                     '---------(xytXyu)-(xyt)';
    // 9: expiry → callback writes 0 and returns → triggers$ → commit re-triggers → second callback.
    // The zero reloads to 9 from frame 9, so the next expiry is at 18.
    m.expect(sim.events$).toBeObservable(expected, {
      x: 'enter (expiry)',
      X: 'enter (commit)',
      y: 'exit',
      t: trigger('expiry'),
      u: trigger('commit'),
    });
  }));

  // Changed on purpose (#13): begin/commit and transaction() join the callback context instead of throwing.
  it('G3: begin()/commit() and transaction() inside the callback join it; the timer runs on, no recursion (#13)', marbles((m) => {
    const sim = rig(m, { horizon: 12 });
    const attempt = (what: string, fn: () => void): void => {
      try {
        fn();
        sim.log(`${what} returned`);
      } catch (error) {
        sim.log(`${what} threw ${(error as Error).name}`);
      }
    };
    sim.device({
      start: { limit: LIMIT },
      onTrigger: ({ timer }) => {
        attempt('begin', () => timer.begin());
        attempt('commit', () => timer.commit());
        attempt('transaction', () => timer.transaction(() => undefined));
      },
    });
    const expected =                     '------(bcxt)(bcxt)';
    m.expect(sim.events$).toBeObservable(expected, {
      b: 'begin returned',
      c: 'commit returned',
      x: 'transaction returned',
      t: trigger(),
    });
  }));

  it('G3: a callback that stops its own timer ends the run, with no re-trigger', marbles((m) => {
    const sim = rig(m, { horizon: 20 });
    sim.device({ start: { limit: LIMIT }, onTrigger: ({ timer }) => timer.stop() });
    sim.guest(                           '------a-----b');
    const expected =                     '------(ta)--b';
    m.expect(sim.events$).toBeObservable(expected, {
      t: trigger(),
      a: read(LIMIT, true), // stopped at the reloaded count
      b: read(LIMIT, true),
    });
  }));

  it('G3: changes made by a commit-trigger callback apply when it returns (its count wins over the reload)', marbles((m) => {
    const sim = rig(m, { horizon: 11 });
    const dev = sim.device({
      start: { limit: LIMIT },
      onTrigger: (tr) => {
        sim.log(`enter (${tr.cause})`);
        tr.timer.setCount(9);
        sim.log('exit');
      },
    });
    transactionAt(sim, 3, dev.timer, (t) => t.setCount(0));
    sim.guest(                           '---a');
    const expected =                     '---(bxytra)';
    // next expiry at 3 + 9 = 12 (not 3 + LIMIT = 9), past the run
    m.expect(sim.events$).toBeObservable(expected, {
      ...MARKERS,
      x: 'enter (commit)',
      y: 'exit',
      t: trigger('commit'),
      a: read(9, true),
    });
  }));

  it('G3: a commit-trigger callback that writes zero again (NO_IMMEDIATE_RELOAD) is called again after it returns, still inside commit', marbles((m) => {
    const sim = rig(m, { horizon: 9 });
    let rounds = 0;
    const dev = sim.device({
      policy: ['NO_IMMEDIATE_RELOAD'],
      start: { limit: LIMIT },
      onTrigger: (tr) => {
        sim.log(`enter (${tr.cause})`);
        if (++rounds === 1) tr.timer.setCount(0);
        sim.log('exit');
      },
    });
    transactionAt(sim, 3, dev.timer, (t) => t.setCount(0));
    const expected =                     '---(bxytxytr)';
    // (Without R the zero would be reloaded from the limit at once, and nothing re-triggers.)
    m.expect(sim.events$).toBeObservable(expected, {
      ...MARKERS,
      x: 'enter (commit)',
      y: 'exit',
      t: trigger('commit'),
    });
  }));

  it('G3: a triggers$ subscriber may reprogram the timer too; its re-trigger comes after every subscriber saw the first', marbles((m) => {
    const sim = rig(m, { horizon: 9 });
    const dev = sim.device({ start: { limit: LIMIT } });
    let first = true;
    dev.timer.triggers$.subscribe((tr) => {
      sim.log(`subscriber (${tr.cause})`);
      if (first) {
        first = false;
        tr.timer.setCount(0);
      }
    });
    dev.timer.triggers$.subscribe((tr) => sim.log(`last subscriber (${tr.cause})`));
    const expected =                     '------(tplucq)';
    m.expect(sim.events$).toBeObservable(expected, {
      t: trigger('expiry'),
      p: 'subscriber (expiry)',
      l: 'last subscriber (expiry)',
      u: trigger('commit'),
      c: 'subscriber (commit)',
      q: 'last subscriber (commit)',
    });
  }));

  it('G3: a callback may run a transaction on another timer; that timer triggers inside that commit', marbles((m) => {
    const sim = rig(m, { horizon: 9 });
    const b = sim.device({ name: 'B' });
    sim.device({
      name: 'A',
      start: { limit: LIMIT },
      onTrigger: () => {
        sim.log('A enter');
        b.timer.transaction((t) => {
          t.setPeriod(PERIOD_NS);
          t.setLimit(9, false);
          t.run(false); // count 0: B triggers at commit
        });
        sim.log('A exit');
      },
    });
    const expected =                     '------(xbya)';
    m.expect(sim.events$).toBeObservable(expected, {
      x: 'A enter',
      b: trigger('commit', 'B'),
      y: 'A exit',
      a: trigger('expiry', 'A'),
    });
  }));
});
