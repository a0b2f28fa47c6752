import { describe, expect, it } from 'vitest';
import { SystemSnapshotError } from '../../system/errors';
import { DeviceConfigError, RegisterSnapshotError } from '../../src/bus/errors';
import { bottomHalvesPutBack, withBottomHalvesPutBack } from '../../src/bus/bottomHalvesPutBack';
import { buildSystem, parseScenario } from '../../system/scenario/loadScenario';
import { DEFAULT_SCENARIO } from '../../system/scenario/defaultScenario';
import { checkpointSystem, systemForks } from '../../system/systemCheckpoint';
import type { TraceEvent } from '../../src/trace/TraceEvent';
import { TWO_TICKS_SCENARIO } from '../support/twoTicksScenario';
import { cutAfterFirstExpiry } from '../support/cutAfterFirstExpiry';
import { BottomHalf } from '../../src/clock/BottomHalf';
import { scenarioSubset } from '../support/scenarioSubset';
import { System } from '../../system/System';
import { MinimalTimer } from '../../devices/minimal-timer/MinimalTimer';
import { waitUntil } from '../../operators/driverCommands';
import { guestWrite } from '../../src/bus/GuestAccess';
import { thrown } from '../support/errors';

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

  it('refuses a system that has not run', () => {
    expect(() => checkpointSystem(tracked(TWO_TICKS_SCENARIO).system)).toThrow(/taken of a system that has run/);
  });

  it('with a legacy bottom half pending: a rewind puts it back, and the run on is the same every time', () => {
    const { system, since, mark } = tracked(TWO_TICKS_SCENARIO, 'bottom-half');
    // Cut the run right after the first expiry: its bottom half is queued, not yet run.
    cutAfterFirstExpiry(system, 200_000);
    const pending = system.clock.pendingEvents();
    expect(pending.some((e) => e.tag.kind === 'bottom-half')).toBe(true);
    const point = checkpointSystem(system, { verify: true });
    expect(system.clock.pendingEvents()).toEqual(pending);
    mark();
    system.run(400_000);
    const whole = [...since()];
    expect(whole.some((e) => e.kind === 'expiry' && e.time === 100_000)).toBe(true);
    for (let i = 0; i < 2; i++) {
      point.rewind();
      expect(system.clock.pendingEvents()).toEqual(pending);
      mark();
      system.run(400_000);
      expect(since()).toEqual(whole);
    }
  });

  it('takes the i.MX GPT and the Exynos MCT between an expiry and its bottom half and puts both back: the run on is the same every time', () => {
    for (const device of ['gpt', 'mct']) {
      const { system, since, mark } = tracked(scenarioSubset(DEFAULT_SCENARIO, [device]), 'bottom-half');
      cutAfterFirstExpiry(system, 3_000_000);
      const pending = system.clock.pendingEvents();
      expect(pending.some((e) => e.tag.kind === 'bottom-half' && e.tag.owner.startsWith(device))).toBe(true);
      const point = checkpointSystem(system, { verify: true });
      mark();
      system.run(6_000_000);
      const whole = [...since()];
      // The bottom half ran and planned the countdowns after it.
      expect(whole.filter((e) => e.kind === 'expiry').length, device).toBeGreaterThan(2);
      for (let i = 0; i < 2; i++) {
        point.rewind();
        expect(system.clock.pendingEvents()).toEqual(pending);
        mark();
        system.run(6_000_000);
        expect(since(), device).toEqual(whole);
      }
    }
  });

  it('the state between an expiry and its bottom half is refused by a plain restore (the bottom half would never come), taken inside withBottomHalvesPutBack', () => {
    for (const [device, path] of [
      ['gpt', 'timer.delta'],
      ['mct', 'locals[0].tick.delta'],
    ] as const) {
      const { system } = tracked(scenarioSubset(DEFAULT_SCENARIO, [device]), 'bottom-half');
      cutAfterFirstExpiry(system, 3_000_000);
      const d = system.device(device);
      const taken = d.snapshot();
      const error = thrown(() => d.restore(taken));
      expect(error, device).toBeInstanceOf(RegisterSnapshotError);
      expect((error as RegisterSnapshotError).field, device).toBe(path);
      expect((error as RegisterSnapshotError).message).toMatch(/waits for its bottom half/);
      withBottomHalvesPutBack(() => d.restore(taken));
      expect(d.snapshot(), device).toEqual(taken);
      expect(bottomHalvesPutBack()).toBe(false);
    }
    expect(() => withBottomHalvesPutBack('restore' as never)).toThrow(DeviceConfigError);
    expect(() => withBottomHalvesPutBack('restore' as never)).toThrow(/^withBottomHalvesPutBack\(restore\): "restore" is invalid: must be a function/);
  });

  it('refuses a bottom half it cannot note', () => {
    const { system } = tracked(TWO_TICKS_SCENARIO);
    system.run(50_000);
    new BottomHalf(system.clock, 'plain', () => undefined).schedule();
    expect(() => checkpointSystem(system)).toThrow(/carries nothing a checkpoint can note/);
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
    const whole = [...since()];
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

  /** Counts each device's snapshot and restore calls (the forks call them on the system's device objects). */
  const counting = (system: ReturnType<typeof tracked>['system']) => {
    const snapshots = new Map<string, number>();
    const restores = new Map<string, number>();
    for (const name of system.deviceNames) {
      const device = system.device(name);
      const snapshot = device.snapshot.bind(device);
      const restore = device.restore.bind(device);
      device.snapshot = () => (snapshots.set(name, (snapshots.get(name) ?? 0) + 1), snapshot());
      device.restore = (s) => (restores.set(name, (restores.get(name) ?? 0) + 1), restore(s));
    }
    const total = (m: Map<string, number>): number => [...m.values()].reduce((a, b) => a + b, 0);
    return { snapshots, restores, total, reset: () => (snapshots.clear(), restores.clear()) };
  };

  it('a fork at a later instant shares the snapshots of devices untouched since the fork below; a rewind restores them at their time: the same run, event for event', () => {
    for (const verify of [false, true]) {
      const { system, since, mark } = tracked(DEFAULT_SCENARIO);
      const calls = counting(system);
      system.run(999_000);
      const forks = systemForks(system, { verify });
      forks.take();
      // A few devices run work or are accessed between 999 000 and 999 500 ns; most are untouched until the busy 1 ms instant.
      system.run(999_500);
      calls.reset();
      const later = forks.take()!;
      const shared = system.deviceNames.length - (calls.snapshots.size - (verify ? system.deviceNames.length : 0));
      if (!verify) expect(calls.total(calls.snapshots)).toBeLessThan(system.deviceNames.length / 2);
      mark();
      system.run(1_000_100);
      const whole = [...since()];
      // Dozens of devices run their ticks at 1 ms: restored from snapshots taken at 999 000 ns.
      calls.reset();
      later.rewind();
      expect(calls.restores.size).toBeGreaterThan(10);
      mark();
      system.run(1_000_100);
      expect(since()).toEqual(whole);
      expect(shared).toBeGreaterThan(0);
      forks.dispose();
    }
  });

  it('a device only read since a fork (reads its register map says have no effects) is not restored; the run after the rewind is the same', () => {
    const { system, since, mark } = tracked(DEFAULT_SCENARIO);
    const calls = counting(system);
    system.run(999_999);
    const forks = systemForks(system, { verify: true });
    // At 1 ms, once the instant's expiries have run: only its pollers' and clocksource readers' steps are left.
    let fork: ReturnType<typeof forks.take>;
    const stop = system.clock.observe({
      choose: (ready) => {
        if (fork === undefined && ready.every((e) => e.tag.kind === 'guest')) {
          fork = forks.take();
          mark();
        }
        return 0;
      },
    });
    system.run(1_000_007);
    stop();
    const whole = [...since()];
    expect(fork).toBeDefined();
    // The devices whose every event since the fork is a read without effects (pollers and clocksource readers).
    const effects = (device: string, offset: number): boolean =>
      (system.device(device).registers ?? []).some((r) => r.readEffects === true && offset >= r.offset && offset < r.offset + r.size);
    const readOnly = system.deviceNames.filter((n) => {
      const own = whole.filter((e) => e.source === n || e.source.startsWith(`${n}.`));
      return own.length > 0 && own.every((e) => e.kind === 'read' && e.error === undefined && !effects(n, e.offset));
    });
    expect(readOnly.length).toBeGreaterThan(0);
    calls.reset();
    fork!.rewind(); // verified: the whole state is the fork's
    for (const n of readOnly) expect(calls.restores.get(n)).toBeUndefined();
    mark();
    system.run(1_000_007);
    expect(whole.slice(whole.length - since().length)).toEqual(since());
    expect(since().length).toBeGreaterThan(0);
    forks.dispose();
  });

  it('refuses a system that has not run', () => {
    expect(() => systemForks(tracked(TWO_TICKS_SCENARIO).system)).toThrow(/of a system that has run/);
  });

  it('forks with a legacy bottom half pending: a rewind puts it back (due then, delivering the same trigger), and the run on is the same', () => {
    const { system, since, mark } = tracked(TWO_TICKS_SCENARIO, 'bottom-half');
    cutAfterFirstExpiry(system, 200_000);
    const pending = system.clock.pendingEvents();
    expect(pending.some((e) => e.tag.kind === 'bottom-half')).toBe(true);
    const forks = systemForks(system, { verify: true });
    const fork = forks.take()!;
    expect(fork).toBeDefined();
    mark();
    system.run(400_000);
    const first = { trace: since(), snapshot: system.snapshot() };
    // The bottom half ran (an expiry event of its device, delivered later than the timer's expiry work).
    expect(first.trace.some((e) => e.kind === 'expiry')).toBe(true);
    for (let i = 0; i < 2; i++) {
      fork.rewind();
      expect(system.clock.pendingEvents()).toEqual(pending);
      mark();
      system.run(400_000);
      expect(since()).toEqual(first.trace);
      expect(system.snapshot()).toEqual(first.snapshot);
    }
    forks.dispose();
  });

  it('a rewind to a fork without a bottom half pending cancels one pending at the end of the run', () => {
    const { system, since, mark } = tracked(TWO_TICKS_SCENARIO, 'bottom-half');
    system.run(50_000);
    const forks = systemForks(system, { verify: true });
    const fork = forks.take()!;
    const pending = system.clock.pendingEvents();
    expect(pending.some((e) => e.tag.kind === 'bottom-half')).toBe(false);
    mark();
    system.run(400_000);
    const whole = [...since()];
    fork.rewind();
    cutAfterFirstExpiry(system, 400_000);
    expect(system.clock.pendingEvents().some((e) => e.tag.kind === 'bottom-half')).toBe(true);
    fork.rewind();
    expect(system.clock.pendingEvents()).toEqual(pending);
    mark();
    system.run(400_000);
    expect(since()).toEqual(whole);
    forks.dispose();
  });

  it('a fork between the i.MX GPT\'s expiry and its bottom half rewinds, and the run from it is the same; so does the fork below it', () => {
    const { system, since, mark } = tracked(scenarioSubset(DEFAULT_SCENARIO, ['gpt']), 'bottom-half');
    system.run(10_000);
    const forks = systemForks(system, { verify: true });
    const below = forks.take()!;
    mark();
    system.run(3_000_000);
    const whole = [...since()];
    below.rewind();
    cutAfterFirstExpiry(system, 3_000_000);
    const midway = forks.take()!;
    expect(midway).toBeDefined();
    mark();
    system.run(3_000_000);
    const fromMidway = [...since()];
    expect(midway.tryRewind()).toBe(true);
    mark();
    system.run(3_000_000);
    expect(since()).toEqual(fromMidway);
    below.rewind();
    mark();
    system.run(3_000_000);
    expect(since()).toEqual(whole);
    forks.dispose();
  });

  it('forks a system that records nothing (its accesses only counted): a device changed only by a guest write since the fork is restored', () => {
    const system = new System({ keepTrace: false, digest: false });
    const timer = new MinimalTimer(system.clock, { name: 't', periodNs: 100 });
    system.addDevice(timer, { base: 0x4000_0000 });
    const load = timer.registers.find((r) => r.name === 'LOAD')!;
    // A guest that reports where it is (a fork restarts it from there): before or after its one write.
    let wrote = false;
    system.addGuest('g', {
      *start(position?: unknown) {
        wrote = (position as { wrote?: boolean } | undefined)?.wrote === true;
        if (wrote) return;
        yield waitUntil(10);
        yield guestWrite(0x4000_0000 + load.offset, 1234, 4);
        wrote = true;
      },
      position: () => ({ wrote }),
    });
    system.run(5);
    const forks = systemForks(system, { verify: true });
    const before = forks.take()!;
    const parts = system.checkpointParts() as { recorder: { countsAccessesOnly: boolean } };
    expect(parts.recorder.countsAccessesOnly).toBe(true);
    system.run(20);
    expect(timer.snapshot().registers.registers['LOAD']).toBe(1234);
    before.rewind(); // verified: the whole state is the fork's, so the written device was restored
    expect(timer.snapshot().registers.registers['LOAD']).toBe(0);
    forks.dispose();
  });

  it('takes no fork while a bottom half is pending that it cannot note (one without a payload)', () => {
    const { system } = tracked(TWO_TICKS_SCENARIO);
    system.run(50_000);
    const half = new BottomHalf(system.clock, 'plain', () => undefined);
    half.schedule();
    expect(systemForks(system).take()).toBeUndefined();
    half.cancel();
    expect(systemForks(system).take()).toBeDefined();
  });
});

describe('traceMark (a fork whose predicates read the trace)', () => {
  it('takes back the events recorded since, with a checkpoint: the run after the rewind records the same trace again', () => {
    const { system } = buildSystem(parseScenario(TWO_TICKS_SCENARIO));
    system.run(99_000);
    const checkpoint = checkpointSystem(system);
    const back = system.traceMark()!;
    const atMark = system.trace.toJsonLines();
    system.run(201_000);
    const whole = system.trace.toJsonLines();
    expect(whole.length).toBeGreaterThan(atMark.length);
    checkpoint.rewind();
    back();
    expect(system.trace.toJsonLines()).toBe(atMark);
    system.run(201_000);
    expect(system.trace.toJsonLines()).toBe(whole);
  });

  it('has nothing to take back without a kept trace, or with sinks that have had the events', () => {
    expect(buildSystem(parseScenario(TWO_TICKS_SCENARIO), { keepTrace: false }).system.traceMark()).toBeUndefined();
    expect(buildSystem(parseScenario(TWO_TICKS_SCENARIO), { traceSinks: [{ record: () => undefined }] }).system.traceMark()).toBeUndefined();
  });
});
