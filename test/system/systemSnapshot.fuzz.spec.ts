// Restores tampered system snapshots (#14): real snapshots of a mixed system, taken at several
// instants, each mutated in one part (or two swapped), restored into a freshly built
// system at the snapshot's time. Exactly two outcomes are allowed:
// - refused with a SystemSnapshotError whose path names the changed part (or whose rule names the
//   consistency rule the change broke), the system left exactly as it was, and a retry with the
//   unmutated snapshot then succeeding and running on exactly like the original;
// - accepted as a consistent state: the restored system's own snapshot() equals the mutant, and
//   running it on raises nothing (and, for a mutant equal to the original, runs like it).
// The system is the default scenario cut to ten devices that between them have every kind of part
// (see MIXED): each mutant builds and restores a fresh system, which for the full scenario costs
// four to five times as much. A deep run (PTIMER_DEEP=1, test/support/depth.ts) fuzzes the full
// default scenario with more mutants from a new seed.
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import type { TraceEvent } from '../../src/trace';
import { buildSystem, DEFAULT_SCENARIO, parseScenario, SystemSnapshotError, type Scenario, type System, type SystemSnapshot } from '../../system';
import { DEEP, runs, seedFor } from '../support/depth';
import { scenarioSubset } from '../support/scenarioSubset';
import { applyMutation, mutationArb, type Mutant, type Mutation } from '../support/systemSnapshotMutants';
import { digestAfter } from './programs/rig';

/** Where the originals are snapshot: before the first run, between expiries, right after a busy instant, mid-run. */
const INSTANTS = [0, 250_001, 1_234_567, 2_000_000, 4_321_987];
/** How long each restored system runs on. */
const RUN_ON = 200_000;
const RUNS = runs(1_000, 5_000);
const SEED = seedFor(1414);

/**
 * The default scenario's devices kept for the quick run, with their guests: timers with one and two
 * channels and nested register parts (timer0, dual, axi), watchdogs with feeders (wdog, imxwdog: its
 * power-down counter runs from reset), counters free-running from reset (slavio), level inputs of the
 * controller (intc), every guest program (tick handlers, a polling reader, clocksource readers,
 * feeders, timed accesses on zcan, digic and the ID registers), and a device whose expiries share
 * instants with its own poller (avalon).
 */
const MIXED = ['timer0', 'dual', 'wdog', 'sp804', 'axi', 'avalon', 'zcan', 'imxwdog', 'slavio', 'digic'];

/** Rules whose refusal may name another part than the one changed: the part it contradicts. */
const CONSISTENCY_RULES = [
  // A level input's PENDING bit against the state of the device driving its line: names both parts.
  'the two snapshots disagree',
  'pending work must be what the devices re-create',
  'no device re-created it',
  "must be the index in pending of the guest's own step",
  'must be the time of its step',
  'must be the number of device events listed before its step',
  'a guest has one at most',
  'the guest has a pending step',
  'listed in run order',
  'must be "not-started" exactly when every guest is',
  'but the snapshot gives it no wake-up',
  'but its wake-up is at',
  'the program ends at once',
  'this is another device\'s snapshot',
  'the label of its tag',
];

interface Original {
  readonly snapshot: SystemSnapshot;
  /** The digest of the original run's events in (time, time + RUN_ON]. */
  readonly digest: string;
}

let scenario: Scenario;
let originals: Original[];

const build = (start: number): System => buildSystem(scenario, { start }).system;

beforeAll(() => {
  scenario = parseScenario(DEEP ? DEFAULT_SCENARIO : scenarioSubset(DEFAULT_SCENARIO, MIXED));
  const system = build(0);
  const taken: SystemSnapshot[] = [];
  for (const at of INSTANTS) {
    if (at > 0) system.run(at);
    taken.push(JSON.parse(JSON.stringify(system.snapshot())) as SystemSnapshot);
  }
  system.run(INSTANTS[INSTANTS.length - 1]! + RUN_ON);
  const events: readonly TraceEvent[] = system.trace.events;
  originals = taken.map((snapshot) => ({
    snapshot,
    digest: digestAfter(
      events.filter((e) => e.time <= snapshot.time + RUN_ON),
      snapshot.time === 0 ? -1 : snapshot.time,
    ),
  }));
});

/** Whether one path is the other or inside it (`a.b` and `a.b[2].c`). */
const nested = (a: string, b: string): boolean => a === b || a.startsWith(`${b}.`) || a.startsWith(`${b}[`) || b.startsWith(`${a}.`) || b.startsWith(`${a}[`);
const deviceOf = (path: string): string | undefined => /^devices\.([^.[]+)/.exec(path)?.[1];

/**
 * The refusal names the changed part: its path is a changed one, inside one or around one (a
 * device's inner path is the device's to make full: inside the right device is enough); or its
 * rule is a consistency rule, which names the part the change contradicts.
 */
const namesTheChange = (error: SystemSnapshotError, touched: readonly string[]): boolean =>
  touched.some(
    (t) =>
      nested(error.path, t) ||
      (deviceOf(t) !== undefined && deviceOf(t) === deviceOf(error.path)) ||
      // A guest's other keys depend on its state: a changed state makes them unknown or missing, and the rule says so.
      (t.endsWith('.state') && error.path.startsWith(t.slice(0, -'state'.length)) && /with state|"waiting"|required/.test(error.rule)),
  ) || CONSISTENCY_RULES.some((rule) => error.rule.includes(rule));

const rootCause = (error: Error): Error => (error.cause instanceof Error ? rootCause(error.cause) : error);

/** Runs `system` on and returns the digest of what it recorded; any error fails the property. */
const runOn = (system: System, from: number): string => {
  system.run(from + RUN_ON);
  return system.digest();
};

const stats = { refused: 0, accepted: 0, same: 0, skipped: 0 };

const check = (original: Original, mutation: Mutation): void => {
  const mutant: Mutant | undefined = applyMutation(original.snapshot, mutation);
  if (mutant === undefined) {
    stats.skipped++;
    return;
  }
  const given = structuredClone(mutant.snapshot);
  const { time } = original.snapshot;
  const system = build(time);
  const before = system.snapshot();
  const queued = system.clock.pendingEvents();
  let error: unknown;
  try {
    system.restore(mutant.snapshot as unknown as SystemSnapshot);
  } catch (e) {
    error = e;
  }
  // A restore never changes what it was given (nothing of the system aliases it either).
  expect(mutant.snapshot).toEqual(given);
  if (error !== undefined) {
    stats.refused++;
    if (!(error instanceof SystemSnapshotError)) throw new Error(`refused with ${String(error)} (not a SystemSnapshotError); touched ${mutant.touched.join(', ')}`, { cause: error });
    if (!namesTheChange(error, mutant.touched)) throw new Error(`the refusal "${error.message}" does not name the change at ${mutant.touched.join(', ')}`);
    if (!error.message.startsWith(`${error.path}: `) || !error.message.includes(` is invalid: ${error.rule}`)) throw new Error(`message grammar: ${error.message}`);
    // A device's or a program's refusal is typed too (a rule, not a crash such as reading a property of undefined).
    const root = rootCause(error);
    if (!('rule' in root)) throw new Error(`refused through a crash: ${root.name}: ${root.message}; touched ${mutant.touched.join(', ')}`, { cause: root });
    // Left exactly as it was, ready for a retry that runs like the original.
    expect(system.snapshot()).toEqual(before);
    expect(system.clock.pendingEvents()).toEqual(queued);
    expect(system.trace.events).toEqual([]);
    system.restore(original.snapshot);
    expect(system.snapshot()).toEqual(original.snapshot);
    expect(runOn(system, time)).toBe(original.digest);
    return;
  }
  stats.accepted++;
  expect(system.snapshot()).toEqual(mutant.snapshot);
  const digest = runOn(system, time);
  if (JSON.stringify(mutant.snapshot) === JSON.stringify(original.snapshot)) {
    stats.same++;
    expect(digest).toBe(original.digest);
  }
};

describe('system snapshot restore fuzz (#14)', () => {
  it('the unmutated snapshots restore and run on like the originals', () => {
    for (const original of originals) {
      const system = build(original.snapshot.time);
      system.restore(original.snapshot);
      expect(system.snapshot()).toEqual(original.snapshot);
      expect(runOn(system, original.snapshot.time)).toBe(original.digest);
    }
  });

  it(`${RUNS} mutants: each is refused (system unchanged, a retry runs like the original) or restored exactly and runs on`, () => {
    fc.assert(
      fc.property(fc.nat({ max: INSTANTS.length - 1 }), mutationArb, (at, mutation) => check(originals[at]!, mutation)),
      { seed: SEED, numRuns: RUNS, endOnFailure: true },
    );
    // Both outcomes occur, and most mutations (20 in 23) found something to change.
    expect(stats.refused).toBeGreaterThan(RUNS / 4);
    expect(stats.accepted).toBeGreaterThan(RUNS / 40);
    expect(stats.refused + stats.accepted).toBeGreaterThanOrEqual((RUNS * 20) / 23);
  });
});
