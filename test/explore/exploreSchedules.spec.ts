import { scheduleAs, tagOfLabel } from '../support/labelled';
import { describe, expect, it } from 'vitest';
import { MinimalTimer } from '../../devices/minimal-timer/MinimalTimer';
import type { TriggerDelivery } from '../../src/bus/kit/TriggerDelivery';
import { waitUntil } from '../../operators/driverCommands';
import { guestRead, guestWrite } from '../../src/bus/GuestAccess';
import { VirtualClock } from '../../src/clock';
import { SystemConfigError } from '../../system/errors';
import { exploreSchedules, independentByDevice, replaySchedule, type ExplorerRun } from '../../explore/exploreSchedules';
import { replayChoices } from '../../explore/sampleSchedules';
import { System } from '../../system/System';

/** A clock with labelled work all due at 10 ns; `log` records the order it ran in. */
const instant = (labels: readonly string[], check: (log: readonly string[]) => string | undefined = () => undefined) => (): ExplorerRun => {
  const clock = new VirtualClock();
  const log: string[] = [];
  for (const l of labels) scheduleAs(clock, l, () => void log.push(l), 10);
  return { clock, run: () => clock.advanceTo(20), check: () => check(log) };
};

const A = "ptimer 'a.t' expiry";
const B = "ptimer 'b.t' expiry";
const C = "ptimer 'c.t' expiry";
const G = 'guest:g';

describe('exploreSchedules', () => {
  it('independentByDevice: timer work of different devices commutes, nothing else does', () => {
    expect(independentByDevice(tagOfLabel(A), tagOfLabel(B))).toBe(true);
    expect(independentByDevice(tagOfLabel(A), tagOfLabel("ptimer 'a.u' expiry"))).toBe(false);
    expect(independentByDevice(tagOfLabel(A), tagOfLabel(G))).toBe(false);
    // A pending bottom half is its device's work too.
    expect(independentByDevice(tagOfLabel("bottom-half 'b.t'"), tagOfLabel(A))).toBe(true);
    expect(independentByDevice(tagOfLabel("bottom-half 'a.t'"), tagOfLabel(A))).toBe(false);
    expect(independentByDevice(tagOfLabel("bottom-half 'a.t'"), tagOfLabel(G))).toBe(false);
  });

  it('without reduction, runs every order of the work due at one instant', () => {
    const orders = new Set<string>();
    const result = exploreSchedules(() => {
      const clock = new VirtualClock();
      const log: string[] = [];
      for (const l of [A, B, C]) scheduleAs(clock, l, () => void log.push(l[8]!), 10);
      return { clock, run: () => (clock.advanceTo(20), orders.add(log.join(''))), check: () => undefined };
    }, { reduce: false });
    expect(result).toEqual({ schedules: 6, pruned: 0, exhausted: true, outcomes: 'SSSSSS' });
    expect([...orders].sort()).toEqual(['abc', 'acb', 'bac', 'bca', 'cab', 'cba']);
  });

  it('with reduction, work that all commutes is run in one order only', () => {
    expect(exploreSchedules(instant([A, B, C]), { reduce: true })).toMatchObject({ schedules: 1, exhausted: true });
  });

  it('reduction keeps one order per class of equivalent orders (two commuting timers and a guest: 4 of 6)', () => {
    const seen: string[] = [];
    const build = (): ExplorerRun => {
      const clock = new VirtualClock();
      const log: string[] = [];
      for (const l of [A, B, G]) scheduleAs(clock, l, () => void log.push(l[0] === 'g' ? 'g' : l[8]!), 10);
      return { clock, run: () => (clock.advanceTo(20), seen.push(log.join(''))), check: () => undefined };
    };
    expect(exploreSchedules(build, { reduce: false })).toMatchObject({ schedules: 6, exhausted: true });
    seen.length = 0;
    const reduced = exploreSchedules(build, { reduce: true });
    expect(reduced).toMatchObject({ schedules: 4, exhausted: true });
    // every class (where g sits relative to a and to b) is represented
    const cls = (o: string): string => `${o.indexOf('g') < o.indexOf('a')}${o.indexOf('g') < o.indexOf('b')}`;
    expect(new Set(seen.map(cls)).size).toBe(4);
  });

  it('finds an order that breaks the invariant, with its schedule; reduced or not, the same verdict', () => {
    const build = instant([G, A, 'guest:h'], (log) => (log.indexOf('guest:h') >= 0 && log.indexOf('guest:h') < log.indexOf(G) ? 'h ran before g' : undefined));
    for (const reduce of [false, true]) {
      const r = exploreSchedules(build, { reduce });
      expect(r.violation?.message).toBe('h ran before g');
      expect(r.violation!.schedule.indexOf('guest:h')).toBeLessThan(r.violation!.schedule.indexOf(G) === -1 ? Infinity : r.violation!.schedule.indexOf(G));
      expect(r.exhausted).toBe(false);
    }
  });

  it('stops at the schedule bound and says the space was not exhausted', () => {
    expect(exploreSchedules(instant([G, 'guest:h', 'guest:i', 'guest:j']), { maxSchedules: 5 })).toMatchObject({ schedules: 5, exhausted: false });
  });

  describe('the seed race on the minimal timer (a guest reads VALUE then INTSTATUS at the expiry instant)', () => {
    const LIMIT = 4;
    const E = LIMIT * 100;
    const build = (delivery: TriggerDelivery) => (): ExplorerRun => {
      const system = new System();
      system.addDevice(new MinimalTimer(system.clock, { name: 'timer0', periodNs: 100, delivery }), { base: 0 });
      const seen: [number, number][] = [];
      system.addGuest('reader', function* () {
        yield guestWrite(0x0, LIMIT); // LOAD
        yield guestWrite(0x8, 0b11); // EN | IRQEN
        yield waitUntil(E); // queued before nothing else at E: the explorer tries it on both sides
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

    it('bottom-half delivery: an order exists where the read falls between the reload and the bottom half', () => {
      const r = exploreSchedules(build('bottom-half'));
      expect(r.violation?.message).toMatch(/^G1/);
      expect(r.violation!.schedule).toContain('guest:reader');
    });

    it('G1: synchronous delivery: every order explored, none breaks it', () => {
      const r = exploreSchedules(build('sync'));
      expect(r.violation).toBeUndefined();
      expect(r.exhausted).toBe(true);
      expect(r.schedules).toBeGreaterThanOrEqual(2);
    });
  });
});

describe('exploreSchedules: bottom-half window', () => {
  const BH = "bottom-half 'a.t'";
  /** A bottom half pending at 10 ns and guest steps at 15 and 20 ns; `runs` collects where the bottom half ran. */
  const bhRun = (runs: string[]) => (): ExplorerRun => {
    const clock = new VirtualClock();
    const log: string[] = [];
    scheduleAs(clock, BH, () => void log.push(`bh@${clock.now()}`), 10);
    scheduleAs(clock, 'guest:g', () => void log.push(`g@${clock.now()}`), 15);
    scheduleAs(clock, 'guest:h', () => void log.push(`h@${clock.now()}`), 20);
    return { clock, run: () => (clock.advanceTo(30), runs.push(log.join(' '))), check: () => undefined };
  };

  it('runs the bottom half at every point up to the window: each order of each instant it is deferred to, once', () => {
    const runs: string[] = [];
    const result = exploreSchedules(bhRun(runs), { bottomHalfWindow: 10 });
    expect(result).toMatchObject({ schedules: 5, exhausted: true });
    expect([...runs].sort()).toEqual([
      'bh@10 g@15 h@20',
      'bh@15 g@15 h@20',
      'g@15 bh@15 h@20',
      'g@15 bh@20 h@20',
      'g@15 h@20 bh@20',
    ]);
  });

  it('a shorter window stops the deferrals at its end; none without a window', () => {
    const short: string[] = [];
    expect(exploreSchedules(bhRun(short), { bottomHalfWindow: 5 })).toMatchObject({ schedules: 3, exhausted: true });
    expect([...short].sort()).toEqual(['bh@10 g@15 h@20', 'bh@15 g@15 h@20', 'g@15 bh@15 h@20']);
    const none: string[] = [];
    expect(exploreSchedules(bhRun(none))).toMatchObject({ schedules: 1, exhausted: true });
    expect(none).toEqual(['bh@10 g@15 h@20']);
  });

  it('a deferral is part of the schedule: replaySchedule and replayChoices run it again', () => {
    const replayed: string[] = [];
    replaySchedule(bhRun(replayed)(), [`defer ${BH}`, 'guest:g', `defer ${BH}`, BH], { bottomHalfWindow: 10 });
    expect(replayed).toEqual(['g@15 bh@20 h@20']);
    // Options at 10 ns: [bh, defer bh]; at 15: [g, bh]; then [bh, defer bh]; at 20: [h, bh].
    const chosen: string[] = [];
    const { schedule } = replayChoices(bhRun(chosen), [1, 0, 1, 1], 10);
    expect(schedule).toEqual([`defer ${BH}`, 'guest:g', `defer ${BH}`, BH]);
    expect(chosen).toEqual(['g@15 bh@20 h@20']);
    // Without the window the same choices cannot defer.
    const plain: string[] = [];
    replayChoices(bhRun(plain), [1, 0, 1, 1]);
    expect(plain).toEqual(['bh@10 g@15 h@20']);
  });

  it('a window that is not whole ns is refused, naming it', () => {
    expect(() => exploreSchedules(bhRun([]), { bottomHalfWindow: -1 })).toThrow(/bottomHalfWindow.*-1|-1.*whole, non-negative/);
    expect(() => exploreSchedules(bhRun([]), { bottomHalfWindow: 1.5 })).toThrow(SystemConfigError);
  });
});

describe('exploreSchedules: time bound', () => {
  it('maxMillis ends the search between schedules and says so', () => {
    const labels = ['guest:a', 'guest:b', 'guest:c', 'guest:d', 'guest:e', 'guest:f', 'guest:g', 'guest:h'];
    const result = exploreSchedules(instant(labels), { reduce: false, maxSchedules: 100_000, maxMillis: 20 });
    expect(result.timedOut).toBe(true);
    expect(result.exhausted).toBe(false);
    expect(result.schedules).toBeGreaterThan(0);
    expect(result.schedules).toBeLessThan(40_320);
  });

  it('a maxMillis that is not a positive number is refused', () => {
    expect(() => exploreSchedules(instant(['guest:a']), { maxMillis: 0 })).toThrow(/maxMillis.*positive|positive.*ms/);
  });
});
