import { describe, expect, it } from 'vitest';
import { addObservers, calibrateInstants, observedChannels } from '../../../explore/scenario/observers';
import { SystemSnapshotError } from '../../../system/errors';
import { buildSystem, parseScenario } from '../../../system/scenario/loadScenario';
import type { SystemSnapshot } from '../../../system/SystemSnapshot';
import { TWO_TICKS_SCENARIO } from '../../support/twoTicksScenario';

const scenario = parseScenario(TWO_TICKS_SCENARIO);
const UNTIL = 1_000_000;
const observed = calibrateInstants(buildSystem(scenario).system, UNTIL, 0, 3, observedChannels(scenario)).filter((o) => o.instants.length > 0);

describe('observer guests are resumable: a system with observers can be snapshot and restored (#18)', () => {
  it('a run snapshot between two observed instants and restored into a fresh system logs the rest of the observations the whole run logs', () => {
    expect(observed.map((o) => o.instants)).toEqual([[100_000, 200_000, 300_000], [100_000, 200_000, 300_000]]);
    const whole = buildSystem(scenario).system;
    const all = addObservers(whole, observed);
    whole.run(UNTIL);

    const first = buildSystem(scenario).system;
    const before = addObservers(first, observed);
    first.run(150_000);
    const snapshot = first.snapshot();
    expect(snapshot.guests['observe:sp']).toMatchObject({ state: 'waiting', position: { index: 1 }, wake: { time: 200_000 } });

    const second = buildSystem(scenario, { start: 150_000 }).system;
    const after = addObservers(second, observed);
    second.restore(snapshot);
    second.run(UNTIL);
    expect(before.length).toBeGreaterThan(0);
    expect([...before, ...after]).toEqual(all);
  });

  it('a position the observer cannot be at is refused, naming the field', () => {
    const first = buildSystem(scenario).system;
    addObservers(first, observed);
    first.run(150_000);
    const snapshot = first.snapshot();
    const was = snapshot.guests['observe:sp']!;
    if (was.state !== 'waiting') throw new Error('the observer should be waiting');
    const bad: SystemSnapshot = { ...snapshot, guests: { ...snapshot.guests, 'observe:sp': { ...was, position: { index: 7 } } } };
    const second = buildSystem(scenario, { start: 150_000 }).system;
    addObservers(second, observed);
    expect(() => second.restore(bad)).toThrow(SystemSnapshotError);
    expect(() => second.restore(bad)).toThrow(/guests\.observe:sp\.position\.index: 7 is invalid: is not a value the observer of sp reports/);
  });
});
