import { NEVER } from 'rxjs';
import { describe, expect, it } from 'vitest';
import { MinimalTimer } from '../../../devices/minimal-timer/MinimalTimer';
import { conflicts, describeFootprint, type Footprint } from '../../../explore/dpor/Footprint';
import { systemFootprints } from '../../../explore/dpor/systemFootprints';
import { exploreRace } from '../../../explore/exploreRace';
import { exploreScenario } from '../../../explore/exploreScenario';
import { exploreSchedules, type ExplorerRun, type Reduction } from '../../../explore/exploreSchedules';
import { waitUntil } from '../../../operators/driverCommands';
import { defineRegisterMap, reg32, registerInfoOf } from '../../../src/bus';
import type { Device } from '../../../src/bus/Device';
import { guestRead, guestWrite } from '../../../src/bus/GuestAccess';
import { VirtualClock } from '../../../src/clock';
import { SystemConfigError } from '../../../system/errors';
import { System } from '../../../system/System';
import { scheduleAs } from '../../support/labelled';
import { TWO_TICKS_SCENARIO } from '../../support/twoTicksScenario';

const T = 400;

/** A queue: POP reads and removes the head (its map says the read has effects), PEEK only reads it. */
const QUEUE_REGISTERS = defineRegisterMap({ POP: reg32(0x0, {}, { access: 'ro', readEffects: true }), PEEK: reg32(0x4, {}, { access: 'ro' }) });
const queue = (): Device => {
  let head = 10;
  return {
    name: 'q',
    registers: registerInfoOf(QUEUE_REGISTERS),
    events$: NEVER,
    read: (offset: number) => (offset === 0 ? head++ : head),
    write: () => undefined,
    reset: () => void (head = 10),
    snapshot: () => ({ device: 'q', version: 1 }),
    restore: () => undefined,
  } as unknown as Device;
};

/** Guests that each read `offsets` of the queue at T; `seen` gets what they read, per run. */
const readers = (offsets: readonly number[][], seen: string[]) => (): ExplorerRun => {
  const system = new System();
  system.addDevice(queue(), { base: 0 });
  const reads: number[][] = offsets.map(() => []);
  offsets.forEach((list, g) =>
    system.addGuest(`r${g}`, function* () {
      yield waitUntil(T);
      for (const o of list) reads[g]!.push((yield guestRead(o)) ?? -1);
    }),
  );
  return { clock: system.clock, run: () => (system.run(T + 1), seen.push(JSON.stringify(reads))), check: () => undefined, takeFootprint: systemFootprints(system).take };
};

const count = (build: (seen: string[]) => () => ExplorerRun, reduce: Reduction) => {
  const seen: string[] = [];
  const r = exploreSchedules(build(seen), { reduce, from: T });
  return { schedules: r.schedules, outcomes: new Set(seen).size };
};

describe("reduce: 'dpor': footprints learned at register granularity (#18)", () => {
  it('reads that commute are run in one order; the per-device reduction orders them', () => {
    const build = (seen: string[]) => readers([[4], [4], [4, 4]], seen);
    expect(count(build, 'dpor')).toEqual({ schedules: 1, outcomes: 1 });
    // Today's relation: guest steps depend on everything (3 guests, each reading in one step at T: 3! orders).
    expect(count(build, true)).toEqual({ schedules: 6, outcomes: 1 });
  });

  it('a read the register map marks as having effects is a write: every order that matters is run', () => {
    const build = (seen: string[]) => readers([[0], [0], [4]], seen);
    const full = count(build, false);
    const dpor = count(build, 'dpor');
    expect(dpor.outcomes).toBe(full.outcomes);
    expect(full.outcomes).toBe(6); // two pops in either order, the peek before, between or after them
    expect(dpor.schedules).toBe(6);
    expect(QUEUE_REGISTERS.byName.POP.readEffects).toBe(true);
    expect(QUEUE_REGISTERS.byName.PEEK.readEffects).toBe(false);
  });

  it('an rc field makes a read have effects without the flag; registerInfoOf says so only where it is true', () => {
    const map = defineRegisterMap({ CSR: reg32(0x0, { FLAG: { lsb: 16, width: 1, mode: 'rc' } } as never), LOAD: reg32(0x4) });
    expect(map.byName.CSR.readEffects).toBe(true);
    expect(registerInfoOf(map)).toEqual([
      { name: 'CSR', offset: 0, size: 4, readEffects: true },
      { name: 'LOAD', offset: 4, size: 4 },
    ]);
    expect(() => defineRegisterMap({ X: reg32(0, {}, { readEffects: 'yes' as unknown as boolean }) })).toThrow(/readEffects must be true or false/);
  });

  it('an expiry raising a line a controller latches conflicts with a guest reading the controller, not with one reading another device', () => {
    const prints: { label: string; print: Footprint }[] = [];
    const system = new System();
    system.addDevice(new MinimalTimer(system.clock, { name: 't0', periodNs: 100 }), { base: 0x1000 });
    system.addDevice(new MinimalTimer(system.clock, { name: 't1', periodNs: 100 }), { base: 0x2000 });
    system.addInterruptController('intc', ['t0.irq', 't1.irq'], { base: 0x8000 });
    system.addGuest('setup', function* () {
      for (const base of [0x1000, 0x2000]) {
        yield guestWrite(base, 4);
        yield guestWrite(base + 8, 0b11);
      }
    });
    system.addGuest('g', function* () {
      yield waitUntil(T);
      yield guestRead(0x8000);
    });
    system.addGuest('h', function* () {
      yield waitUntil(T);
      yield guestRead(0x2004);
    });
    const recorder = systemFootprints(system, [{ name: 'intc', inputs: ['t0.irq', 't1.irq'] }]);
    system.clock.observe({ before: () => void recorder.take(), after: (tag, time) => void (time === T && prints.push({ label: `${tag.kind}:${tag.owner}`, print: recorder.take() })) });
    system.run(T + 1);
    const by = new Map(prints.map((p) => [p.label, p.print]));
    expect(describeFootprint(by.get('expiry:t0.timer')!)).toBe('write t0, input intc#0');
    expect(describeFootprint(by.get('expiry:t1.timer')!)).toBe('write t1, input intc#1');
    const reads = [by.get('guest:g')!, by.get('guest:h')!];
    expect(reads.map(describeFootprint)).toEqual(['read intc@0x0', 'read t1@0x4']);
    // Two expiries on different inputs commute; each conflicts with the read of PENDING; the read of t1 only with t1's expiry.
    expect(conflicts(by.get('expiry:t0.timer')!, by.get('expiry:t1.timer')!)).toBe(false);
    expect(conflicts(by.get('expiry:t0.timer')!, reads[0]!)).toBe(true);
    expect(conflicts(by.get('expiry:t1.timer')!, reads[0]!)).toBe(true);
    expect(conflicts(by.get('expiry:t0.timer')!, reads[1]!)).toBe(false);
    expect(conflicts(by.get('expiry:t1.timer')!, reads[1]!)).toBe(true);
  });

  it('without footprints from the run, work is judged by its tag, as the per-device reduction does', () => {
    const runs = (labels: readonly string[], seen: string[]) => (): ExplorerRun => {
      const clock = new VirtualClock();
      const log: string[] = [];
      for (const l of labels) scheduleAs(clock, l, () => void log.push(l), 10);
      return { clock, run: () => (clock.advanceTo(20), seen.push(log.join())), check: () => undefined };
    };
    const timers = ["ptimer 'a.t' expiry", "ptimer 'b.t' expiry", "ptimer 'c.t' expiry"];
    expect(exploreSchedules(runs(timers, []), { reduce: 'dpor' })).toMatchObject({ schedules: 1, exhausted: true });
    const withGuest = [timers[0]!, timers[1]!, 'guest:g'];
    expect(exploreSchedules(runs(withGuest, []), { reduce: 'dpor' })).toMatchObject({ schedules: 4, exhausted: true });
    // Unknown work depends on everything.
    expect(exploreSchedules(runs(['x', 'y', 'z'], []), { reduce: 'dpor' })).toMatchObject({ schedules: 6, exhausted: true });
  });

  it('refuses a reduction it does not know and the part options a one-part search cannot take', () => {
    const build = readers([[4]], []);
    expect(() => exploreSchedules(build, { reduce: 'fast' as unknown as Reduction })).toThrow(SystemConfigError);
    expect(() => exploreSchedules(build, { reduce: 'dpor', prefix: ['guest:r0'] })).toThrow(/prefix.*'dpor'|'dpor'.*one part/);
    expect(() => exploreSchedules(build, { reduce: 'dpor', stopAt: 1 })).toThrow(SystemConfigError);
  });
});

describe("reduce: 'dpor' on the explorers (#18)", () => {
  it('the race still finds the counterexample under legacy bottom-half delivery, and none under sync delivery, in fewer schedules', () => {
    const racy = exploreRace({ device: 'sp804', delivery: 'bottom-half', reduce: 'dpor' });
    expect(racy.violation?.message).toMatch(/^G1 at \d+ ns/);
    expect(racy.violation?.message).toBe(exploreRace({ device: 'sp804', delivery: 'bottom-half', reduce: false }).violation?.message);
    const sync = exploreRace({ device: 'sp804', delivery: 'sync', reduce: 'dpor' });
    const today = exploreRace({ device: 'sp804', delivery: 'sync' });
    expect(sync).toMatchObject({ exhausted: true });
    expect(sync.violation).toBeUndefined();
    expect(today).toMatchObject({ exhausted: true, schedules: 216 });
    expect(sync.schedules).toBeLessThan(today.schedules);
  });

  it('a scenario: the same verdicts as the unreduced search, fewer schedules than the per-device reduction', () => {
    const first = { from: 99_000, until: 101_000, observe: 1, maxSchedules: 5_000 };
    const dpor = exploreScenario(TWO_TICKS_SCENARIO, { ...first, reduce: 'dpor' });
    expect(dpor).toMatchObject({ exhausted: true });
    expect(dpor.violation).toBeUndefined();
    expect(dpor.schedules).toBeLessThan(exploreScenario(TWO_TICKS_SCENARIO, first).schedules); // 36 today
    const racy = { ...first, delivery: 'bottom-half' as const };
    expect(exploreScenario(TWO_TICKS_SCENARIO, { ...racy, reduce: 'dpor' }).violation?.message).toBe(exploreScenario(TWO_TICKS_SCENARIO, { ...racy, reduce: false }).violation?.message);
    // A verdict that needs a reordering: only the consistent-reads check.
    const reads = { ...racy, invariants: { atomicExpiry: false } };
    expect(exploreScenario(TWO_TICKS_SCENARIO, { ...reads, reduce: 'dpor' }).violation?.message).toMatch(/consistent reads/);
  });
});
