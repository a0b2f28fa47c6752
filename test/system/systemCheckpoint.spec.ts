import { describe, expect, it } from 'vitest';
import { SystemSnapshotError } from '../../system/errors';
import { buildSystem, parseScenario } from '../../system/scenario/loadScenario';
import { DEFAULT_SCENARIO } from '../../system/scenario/defaultScenario';
import { checkpointSystem, systemForks } from '../../system/systemCheckpoint';
import type { TraceEvent } from '../../src/trace/TraceEvent';
import { TWO_TICKS_SCENARIO } from '../support/twoTicksScenario';

/** A scenario's system with a sink that keeps its trace events from `mark()` on. */
const tracked = (scenario: unknown, delivery?: 'bottom-half') => {
  const parsed = parseScenario(scenario);
  let events: TraceEvent[] = [];
  const { system } = buildSystem(delivery === undefined ? parsed : { ...parsed, delivery }, {
    keepTrace: false,
    traceSinks: [{ record: (e: TraceEvent) => void events.push(e) }],
  });
  return {
    system,
    since: () => events,
    mark: () => {
      events = [];
    },
  };
};

describe('checkpointSystem', () => {
  it('rewinds a running system in place: the run from the checkpoint is the same, event for event, every time', () => {
    const { system, since, mark } = tracked(DEFAULT_SCENARIO);
    system.run(499_999);
    const point = checkpointSystem(system, { verify: true });
    expect(point.time).toBe(499_999);
    mark();
    system.run(1_200_000);
    const first = { trace: since(), snapshot: system.snapshot(), executed: system.clock.executedCount };
    expect(first.trace.length).toBeGreaterThan(100);
    for (let i = 0; i < 2; i++) {
      point.rewind();
      expect(system.clock.now()).toBe(499_999);
      expect(system.snapshot()).toEqual(point.snapshot);
      mark();
      system.run(1_200_000);
      expect(since()).toEqual(first.trace);
      expect(system.snapshot()).toEqual(first.snapshot);
      expect(system.clock.executedCount).toBe(first.executed);
    }
  });

  it('rewinds a run stopped part-way through an instant (as the explorer stops pruned runs)', () => {
    const { system, since, mark } = tracked(TWO_TICKS_SCENARIO);
    system.run(99_999);
    const point = checkpointSystem(system, { verify: true });
    mark();
    system.run(300_000);
    const whole = since().slice();
    let seen = 0;
    const stop = system.clock.observe({ before: () => void (++seen === 3 && (() => { throw new Error('cut'); })()) });
    point.rewind();
    expect(() => system.run(300_000)).toThrow('cut');
    stop();
    point.rewind();
    mark();
    system.run(300_000);
    expect(since()).toEqual(whole);
  });

  it('refuses a system that has not run, and one with a legacy bottom half pending', () => {
    expect(() => checkpointSystem(tracked(TWO_TICKS_SCENARIO).system)).toThrow(/taken of a system that has run/);
    const { system } = tracked(TWO_TICKS_SCENARIO, 'bottom-half');
    // Cut the run right after the first expiry: its bottom half is queued, not yet run.
    const stop = system.clock.observe({
      after: (tag) => {
        if (tag.kind === 'expiry') throw new Error('cut');
      },
    });
    expect(() => system.run(200_000)).toThrow('cut');
    stop();
    expect(system.clock.pendingEvents().some((e) => e.tag.kind === 'bottom-half')).toBe(true);
    expect(() => checkpointSystem(system)).toThrow(SystemSnapshotError);
    expect(() => checkpointSystem(system)).toThrow(/legacy bottom half is pending/);
  });
});

describe('systemForks', () => {
  it('a stack of forks, one mid-instant: each rewinds to its own state, and the run from it is the same, event for event', () => {
    const { system, since, mark } = tracked(DEFAULT_SCENARIO);
    system.run(999_999);
    const forks = systemForks(system, { verify: true });
    const low = forks.take()!;
    // A second fork inside the busy 1 ms instant, after its first 5 pieces of work (taken from a chooser, as the explorer does).
    let seen = 0;
    let high: ReturnType<typeof forks.take>;
    const stop = system.clock.observe({
      choose: () => {
        if (seen++ === 5) high = forks.take();
        return 0;
      },
    });
    mark();
    system.run(1_000_100);
    stop();
    const whole = since();
    expect(high).toBeDefined();
    high!.rewind();
    mark();
    system.run(1_000_100);
    const fromHigh = since();
    expect(fromHigh.length).toBeGreaterThan(0);
    expect(whole.slice(whole.length - fromHigh.length)).toEqual(fromHigh);
    // The fork below still holds, and rewinding to it releases the one above.
    low.rewind();
    mark();
    system.run(1_000_100);
    expect(since()).toEqual(whole);
    expect(() => high!.rewind()).toThrow(/released fork/);
    low.release();
    expect(() => low.rewind()).toThrow(SystemSnapshotError);
    forks.dispose();
  });

  it('refuses a system that has not run; takes no fork while a legacy bottom half is pending', () => {
    expect(() => systemForks(tracked(TWO_TICKS_SCENARIO).system)).toThrow(/of a system that has run/);
    const { system } = tracked(TWO_TICKS_SCENARIO, 'bottom-half');
    const stop = system.clock.observe({
      after: (tag) => {
        if (tag.kind === 'expiry') throw new Error('cut');
      },
    });
    expect(() => system.run(200_000)).toThrow('cut');
    stop();
    expect(systemForks(system).take()).toBeUndefined();
  });
});
