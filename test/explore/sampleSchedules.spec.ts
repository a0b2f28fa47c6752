import { scheduleAs } from '../support/labelled';
import { describe, expect, it } from 'vitest';
import { MinimalTimer } from '../../devices/minimal-timer/MinimalTimer';
import type { TriggerDelivery } from '../../src/bus/kit/TriggerDelivery';
import { waitUntil } from '../../operators/driverCommands';
import { guestRead, guestWrite } from '../../src/bus/GuestAccess';
import { VirtualClock } from '../../src/clock';
import { SystemConfigError } from '../../system/errors';
import type { ExplorerRun } from '../../explore/exploreSchedules';
import { replayChoices, sampleSchedules } from '../../explore/sampleSchedules';
import { System } from '../../system/System';

/** A clock with labelled work all due at 10 ns; `log` records the order it ran in. */
const instant = (labels: readonly string[], check: (log: readonly string[]) => string | undefined = () => undefined) => (): ExplorerRun => {
  const clock = new VirtualClock();
  const log: string[] = [];
  for (const l of labels) scheduleAs(clock, l, () => void log.push(l), 10);
  return { clock, run: () => clock.advanceTo(20), check: () => check(log) };
};

const G = 'guest:g';
const H = 'guest:h';
// FIFO order g a b c d h: h is last, so the one-choice way to run it before g is to pick index 5 first.
const SIX = [G, 'guest:a', 'guest:b', 'guest:c', 'guest:d', H];
const hBeforeG = (log: readonly string[]): string | undefined =>
  log.includes(H) && !(log.includes(G) && log.indexOf(G) < log.indexOf(H)) ? 'h ran before g' : undefined;

describe('replayChoices', () => {
  it('G4: no choices is the normal order: FIFO at every choice point', () => {
    expect(replayChoices(instant(['a', 'b', 'c']), [])).toEqual({ schedule: ['a', 'b'] });
  });

  it('picks choices[k] % ready at the k-th choice point; one piece ready consumes no choice; past the end, FIFO', () => {
    const clock = new VirtualClock();
    const log: string[] = [];
    for (const [l, t] of [['x1', 10], ['x2', 10], ['y', 15], ['z1', 20], ['z2', 20], ['w1', 30], ['w2', 30]] as const) {
      scheduleAs(clock, l, () => void log.push(l), t);
    }
    const run: ExplorerRun = { clock, run: () => clock.advanceTo(40), check: () => undefined };
    // choice points: x1|x2 (3 % 2 = 1), z1|z2 (1), w1|w2 (beyond the sequence: 0); x1 alone and y alone consume nothing
    expect(replayChoices(() => run, [3, 1])).toEqual({ schedule: ['x2', 'z2', 'w1'] });
    expect(log).toEqual(['x2', 'x1', 'y', 'z2', 'z1', 'w1', 'w2']);
  });

  it('checks the invariant at every step, not only at the end (a transient violation is reported)', () => {
    const build = instant(SIX, (log) => (log.length === 1 && log[0] === H ? 'h ran first' : undefined));
    expect(replayChoices(build, [5])).toEqual({ schedule: [H, G, 'guest:a', 'guest:b', 'guest:c'], message: 'h ran first' });
    expect(replayChoices(build, [])).toEqual({ schedule: [G, 'guest:a', 'guest:b', 'guest:c', 'guest:d'] });
  });
});

describe('sampleSchedules', () => {
  it('finds an order that breaks the invariant and shrinks it to the minimal choices [5]', () => {
    const build = instant(SIX, hBeforeG);
    const r = sampleSchedules(build, { seed: 42 });
    expect(r.seed).toBe(42);
    expect(r.violation).toEqual({ message: 'h ran before g', choices: [5], schedule: [H, G, 'guest:a', 'guest:b', 'guest:c'] });
    expect(r.runs).toBeGreaterThanOrEqual(1);
    expect(r.runs).toBeLessThan(1000);
    // [5] is minimal: no shorter sequence ([] is FIFO) and no single smaller choice breaks it
    expect(replayChoices(build, []).message).toBeUndefined();
    for (let k = 0; k < 5; k++) expect(replayChoices(build, [k]).message).toBeUndefined();
    // pasting the counterexample into a test reproduces it
    expect(replayChoices(build, r.violation!.choices)).toEqual({ schedule: r.violation!.schedule, message: 'h ran before g' });
  });

  it('an invariant that holds in every order is never reported: every requested run is made', () => {
    const build = instant(SIX, (log) => (log.length === SIX.length && new Set(log).size !== SIX.length ? 'some work ran twice' : undefined));
    expect(sampleSchedules(build, { seed: 1, runs: 300 })).toEqual({ runs: 300, seed: 1 });
  });

  it('is deterministic: the same seed gives the same result', () => {
    const build = instant(SIX, hBeforeG);
    expect(sampleSchedules(build, { seed: 7, runs: 50 })).toEqual(sampleSchedules(build, { seed: 7, runs: 50 }));
    const holds = instant(SIX);
    expect(sampleSchedules(holds, { seed: 7, runs: 50 })).toEqual(sampleSchedules(holds, { seed: 7, runs: 50 }));
  });

  it('different seeds shrink to the same minimal counterexample', () => {
    const build = instant(SIX, hBeforeG);
    const results = [1, 2, 3].map((seed) => sampleSchedules(build, { seed }));
    for (const r of results) expect(r.violation?.choices).toEqual([5]);
    expect(results.map((r) => r.seed)).toEqual([1, 2, 3]);
  });

  it('shrinking is local: with two violating orders of equal length it returns one, and neither can be shortened or lowered', () => {
    // b before a and d before c, FIFO a b c d e f: [1, 2] (b, then d) and [3, 1] (d, then b) both break it in two choices
    const build = instant(['a', 'b', 'c', 'd', 'e', 'f'], (log) =>
      log.length === 6 && log.indexOf('b') < log.indexOf('a') && log.indexOf('d') < log.indexOf('c') ? 'b before a and d before c' : undefined,
    );
    for (const k of [0, 1, 2, 3, 4, 5]) expect(replayChoices(build, [k]).message).toBeUndefined(); // one choice is not enough
    for (const seed of [1, 2, 3, 4, 5, 6]) {
      const choices = sampleSchedules(build, { seed }).violation?.choices;
      expect([[1, 2], [3, 1]]).toContainEqual(choices);
    }
    // each is a local minimum: dropping or lowering either choice gives no violation
    for (const c of [[0, 1], [1, 1], [2, 1], [3, 0], [1, 0], [0, 2]]) expect(replayChoices(build, c).message).toBeUndefined();
  });

  it('maxChoices bounds the sequence: with 0 every run is the normal order', () => {
    expect(sampleSchedules(instant(SIX, hBeforeG), { seed: 1, runs: 100, maxChoices: 0 })).toEqual({ runs: 100, seed: 1 });
  });

  it('an exception from the system ends sampling with the shrunk choices that throw it', () => {
    const boom = new Error('h ran with g still pending');
    const build = (): ExplorerRun => {
      const clock = new VirtualClock();
      let gDone = false;
      for (const l of SIX) {
        scheduleAs(clock, l, () => {
          if (l === G) gDone = true;
          if (l === H && !gDone) throw boom;
        }, 10);
      }
      return { clock, run: () => clock.advanceTo(20), check: () => undefined };
    };
    let thrown: unknown;
    try {
      sampleSchedules(build, { seed: 3 });
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(Error);
    expect((thrown as Error).message).toBe('sampleSchedules: the run threw with choices [5]: h ran with g still pending');
    expect((thrown as Error).cause).toBe(boom);
  });

  it('a build that does not make the same system every time is reported, not shrunk into nonsense', () => {
    let builds = 0;
    const build = (): ExplorerRun => {
      const first = ++builds === 1;
      return instant(SIX, () => (first ? 'only the first system breaks it' : undefined))();
    };
    expect(() => sampleSchedules(build, { seed: 1 })).toThrowError(/failed once but not on replay/);
  });

  it('rejects options that are not whole numbers in range', () => {
    const build = instant(SIX);
    expect(() => sampleSchedules(build, { seed: 1, runs: 0 })).toThrowError(SystemConfigError);
    expect(() => sampleSchedules(build, { seed: 1, maxChoices: -1 })).toThrowError(/sampleSchedules\(maxChoices\)/);
    expect(() => sampleSchedules(build, { seed: 0.5 })).toThrowError(/sampleSchedules\(seed\)/);
  });

  describe('the seed race on the minimal timer (a guest reads VALUE then INTSTATUS at the expiry instant)', () => {
    const LIMIT = 4;
    const E = LIMIT * 100;
    const EXPIRY = "ptimer 'timer0.timer' expiry";
    const build = (delivery: TriggerDelivery) => (): ExplorerRun => {
      const system = new System();
      system.addDevice(new MinimalTimer(system.clock, { name: 'timer0', periodNs: 100, delivery }), { base: 0 });
      const seen: [number, number][] = [];
      system.addGuest('reader', function* () {
        yield guestWrite(0x0, LIMIT); // LOAD
        yield guestWrite(0x8, 0b11); // EN | IRQEN
        yield waitUntil(E); // queued after the expiry at E: the sampler tries it on both sides
        const value = (yield guestRead(0x4)) ?? -1;
        const status = (yield guestRead(0xc)) ?? -1;
        seen.push([value, status]);
      });
      return {
        clock: system.clock,
        run: () => void system.run(E + 100),
        check: () => (seen.some(([v, s]) => v === LIMIT && s === 0) ? `G1: the guest read VALUE=${LIMIT} (reloaded) with INTSTATUS=0` : undefined),
      };
    };

    it('bottom-half delivery: finds the read between the reload and the bottom half, shrunk to the normal order', () => {
      const r = sampleSchedules(build('bottom-half'), { seed: 1, runs: 200 });
      expect(r.violation?.message).toMatch(/^G1/);
      // [] is FIFO: expiry (reload, bottom half queued), then the guest reads, before the bottom half raises INTSTATUS
      expect(r.violation?.choices).toEqual([]);
      expect(r.violation?.schedule).toEqual([EXPIRY, 'guest:reader']);
      // it is the order that breaks it: the guest reading before the expiry is fine
      expect(replayChoices(build('bottom-half'), [1])).toEqual({ schedule: ['guest:reader'] });
    });

    it('G1: synchronous delivery: no order among 200 sampled breaks it', () => {
      expect(sampleSchedules(build('sync'), { seed: 1, runs: 200 })).toEqual({ runs: 200, seed: 1 });
    });
  });
});
