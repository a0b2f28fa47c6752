// snapshot() / PTimer.restore() / restoreState(): a JSON-safe, versioned
// record of the state (reference/qemu-ptimer.md §1.13 lists what QEMU
// migrates), validated on the way in, and a restored timer continues
// exactly as the original would have.
import { describe, expect, it } from 'vitest';
import {
  PTimer,
  PTimerSnapshotError,
  PTimerTransactionError,
  VirtualClock,
  policyCombinations,
  policyName,
  type PTimerPolicy,
  type PTimerSnapshot,
  type PTimerTriggerCause,
} from '../../index';
import { thrown } from '../support/errors';
import { trustingData } from '../../src/shared/parseWithSchema';


/** LEGACY-or-given periodic timer, P = 1000, limit 10, started at 0, advanced to 2500. */
const running = (policy: readonly PTimerPolicy[] = []) => {
  const clock = new VirtualClock();
  const timer = new PTimer(clock, { policy, name: 'orig' });
  timer.transaction((t) => {
    t.setPeriod(1_000);
    t.setLimit(10, true);
    t.run(false);
  });
  clock.advanceTo(2_500);
  return { clock, timer };
};

describe('snapshot()', () => {
  it('is plain, versioned JSON with 64-bit values as decimal strings', () => {
    const { clock, timer } = running(['WRAP_AFTER_ONE_PERIOD', 'NO_COUNTER_ROUND_DOWN']);
    const scheduled = clock.scheduledCount;
    const snap = timer.snapshot();
    expect(snap).toEqual({
      version: 3,
      timing: 'qemu',
      time: 2_500,
      policy: ['WRAP_AFTER_ONE_PERIOD', 'NO_COUNTER_ROUND_DOWN'],
      rateClamp: false,
      mode: 'periodic',
      limit: '10',
      delta: '10',
      period: '1000',
      periodFrac: '0',
      lastEvent: '0',
      nextEvent: '10000',
      restPeriod: false, // the first countdown was started by a commit: W adds no rest to it
    });
    expect(JSON.parse(JSON.stringify(snap))).toEqual(snap);
    expect(clock.scheduledCount).toBe(scheduled); // reading the state schedules nothing
  });

  it('keeps u64 values exact and the fraction as a string', () => {
    const clock = new VirtualClock({ start: 42 });
    const timer = new PTimer(clock, { rateClamp: true });
    timer.transaction((t) => {
      t.setFreq(3);
      t.setLimit(2n ** 64n - 1n, false);
      t.setCount(2n ** 64n - 2n);
    });
    const snap = timer.snapshot();
    expect(snap).toMatchObject({
      time: 42,
      rateClamp: true,
      mode: 'stopped',
      limit: '18446744073709551615',
      delta: '18446744073709551614',
      period: '333333333',
      periodFrac: String(0x5555_5555),
    });
    const restored = PTimer.restore(new VirtualClock({ start: 42 }), JSON.parse(JSON.stringify(snap)));
    expect(restored.getCount()).toBe(2n ** 64n - 2n);
    expect(restored.getLimit()).toBe(2n ** 64n - 1n);
    expect(restored.getPeriod()).toEqual({ ns: 333_333_333n, frac32: 0x5555_5555n });
    expect(restored.rateClamp).toBe(true);
  });
});

/** Runs `program` on a fresh clock, snapshots at `at`, restores through JSON, and compares both per ns for `horizon` ns. */
const continuation = (
  policy: readonly PTimerPolicy[],
  program: (t: PTimer) => void,
  at: number,
  horizon: number,
) => {
  const log = (into: Array<[number, PTimerTriggerCause]>) => ({ time, cause }: { time: number; cause: PTimerTriggerCause }) =>
    into.push([time, cause]);
  const origFired: Array<[number, PTimerTriggerCause]> = [];
  const clockA = new VirtualClock();
  const orig = new PTimer(clockA, { policy, onTrigger: log(origFired) });
  orig.transaction(program);
  clockA.advanceTo(at);
  const json = JSON.stringify(orig.snapshot());
  origFired.length = 0;

  const copyFired: Array<[number, PTimerTriggerCause]> = [];
  const clockB = new VirtualClock({ start: at });
  const copy = PTimer.restore(clockB, JSON.parse(json) as unknown, { name: 'copy', onTrigger: log(copyFired) });
  expect(copy.name).toBe('copy');
  expect(copy.policy).toEqual(policy);
  expect(clockB.nextDeadline()).toBe(clockA.nextDeadline());
  for (let t = at; t <= at + horizon; t++) {
    clockA.advanceTo(t);
    clockB.advanceTo(t);
    expect([copy.getCount(), copy.mode, copy.deadline], `t = ${t}`).toEqual([orig.getCount(), orig.mode, orig.deadline]);
  }
  expect(copyFired).toEqual(origFired);
  return { origFired };
};

describe.each(policyCombinations().map((p) => [policyName(p), p] as const))('ptimer policy=%s', (_name, policy) => {
  it.each([
    [18, 'mid-period (W: inside the zero window after the expiry at 14)'],
    [14, 'at the expiry instant itself (now = anchor)'],
    [15, '1 ns after the expiry'],
  ])('snapshot at %i, %s → JSON → restore: identical reads at every ns and identical triggers', (at) => {
    const { origFired } = continuation(
      policy,
      (t) => {
        t.setPeriod(7);
        t.setLimit(3, true);
        t.setCount(2);
        t.run(false);
      },
      at,
      200,
    );
    expect(origFired.length).toBeGreaterThan(5);
  });

  it('snapshot of a zero-count start (inside R\'s one-period wait) continues identically', () => {
    continuation(
      policy,
      (t) => {
        t.setPeriod(7);
        t.setLimit(3, false);
        t.run(false);
      },
      3,
      150,
    );
  });

  it('snapshot of a fractional-period one-shot continues identically', () => {
    continuation(
      policy,
      (t) => {
        t.setFreq(300_000_000); // 3 + 0x55555555/2^32 ns
        t.setLimit(40, true);
        t.run(true);
      },
      50,
      120,
    );
  });
});

describe('restore checks (PTimerSnapshotError naming the field)', () => {
  const valid = (): Record<string, unknown> => ({ ...running().timer.snapshot() });

  // [field, bad value, the path the error names when it is not the field itself]
  const cases: ReadonlyArray<readonly [string, unknown, string?]> = [
    ['version', 4],
    ['version', '1'],
    ['restPeriod', 'no'],
    ['restPeriod', undefined],
    ['restPeriod', true], // LEGACY policy: no W, so no rest period
    ['version', undefined],
    ['time', -1],
    ['time', 2_500.5],
    ['time', '2500'],
    ['policy', 'WRAP_AFTER_ONE_PERIOD'],
    ['policy', ['WRAP'], 'policy[0]'],
    ['policy', ['TRIGGER_ONLY_ON_DECREMENT', 'NO_IMMEDIATE_TRIGGER']],
    ['policy', ['NO_COUNTER_ROUND_DOWN', 'NO_COUNTER_ROUND_DOWN']],
    ['rateClamp', 'no'],
    ['rateClamp', undefined],
    ['mode', 'running'],
    ['mode', 1],
    ['limit', '-1'],
    ['limit', '1e3'],
    ['limit', '10.0'],
    ['limit', '010'],
    ['limit', ''],
    ['limit', 10],
    ['limit', '18446744073709551616'],
    ['delta', '18446744073709551616'],
    ['delta', null],
    ['period', '9223372036854775808'],
    ['period', 'abc'],
    ['periodFrac', '4294967296'],
    ['periodFrac', 0],
    ['lastEvent', '2501'], // after the snapshot time
    ['lastEvent', 'x'],
    ['nextEvent', '2499'], // a running timer's deadline before the snapshot time
    ['nextEvent', '-5'],
  ];

  const withPaths = cases.map(([field, value, path]) => [field, value, path ?? field] as [string, unknown, string]);
  it.each(withPaths)('%s = %j is rejected; nothing is scheduled', (field, value, path) => {
    const snap = { ...valid(), [field]: value };
    const clock = new VirtualClock({ start: 2_500 });
    const error = thrown(() => PTimer.restore(clock, snap));
    expect(error).toBeInstanceOf(PTimerSnapshotError);
    expect(error).toBeInstanceOf(TypeError);
    expect((error as PTimerSnapshotError).field).toBe(path);
    expect((error as Error).message).toMatch(new RegExp(`^snapshot field '${path.replace(/[[\]]/g, '\\$&')}': .* is invalid: `));
    expect(clock.scheduledCount).toBe(0);
  });

  it.each([null, [], 'snapshot', 42, undefined])('a non-object snapshot (%j) is rejected as (root)', (value) => {
    const error = thrown(() => PTimer.restore(new VirtualClock(), value));
    expect(error).toBeInstanceOf(PTimerSnapshotError);
    expect((error as PTimerSnapshotError).field).toBe('(root)');
    expect((error as Error).message).toContain('must be an object produced by PTimer.snapshot()');
  });

  it('a stopped timer may have a deadline before the snapshot time (it is not armed)', () => {
    const { clock, timer } = running();
    timer.transaction((t) => t.stop());
    clock.advanceTo(20_000);
    const restored = PTimer.restore(new VirtualClock({ start: 20_000 }), timer.snapshot());
    expect(restored.mode).toBe('stopped');
    expect(restored.getCount()).toBe(7n);
  });

  it('restore on a clock at a different time is rejected, naming time', () => {
    const snap = valid();
    for (const start of [2_499, 2_501, 0]) {
      const clock = new VirtualClock({ start });
      const error = thrown(() => PTimer.restore(clock, snap));
      expect(error).toBeInstanceOf(PTimerSnapshotError);
      expect((error as PTimerSnapshotError).field).toBe('time');
      expect((error as Error).message).toContain(`must equal the scheduler's now() (${start} ns)`);
      expect(clock.pending).toBe(0);
    }
  });
});

describe('restoreState() on an existing timer', () => {
  it('replaces the state and re-arms at the snapshot\'s deadline (the old one is cancelled)', () => {
    const source = running().timer.snapshot(); // deadline 10 000
    const clock = new VirtualClock();
    const fired: number[] = [];
    const timer = new PTimer(clock, { onTrigger: ({ time }) => fired.push(time) });
    timer.transaction((t) => {
      t.setPeriod(100);
      t.setCount(1_000);
      t.run(true); // deadline 100 000
    });
    clock.advanceTo(2_500);
    timer.restoreState(source);
    expect(timer.deadline).toBe(10_000n);
    expect(clock.pending).toBe(1);
    expect(clock.nextDeadline()).toBe(10_000);
    expect(timer.getCount()).toBe(7n);
    clock.advanceTo(100_000);
    expect(fired).toEqual([10_000, 20_000, 30_000, 40_000, 50_000, 60_000, 70_000, 80_000, 90_000, 100_000]);
  });

  it('a snapshot of a stopped timer disarms a running one', () => {
    const stopped = new PTimer(new VirtualClock({ start: 2_500 })).snapshot();
    const { clock, timer } = running();
    timer.restoreState(stopped);
    expect(timer.mode).toBe('stopped');
    expect(clock.pending).toBe(0);
  });

  it('rejects a snapshot taken with a different policy, naming policy', () => {
    const snap = running(['WRAP_AFTER_ONE_PERIOD']).timer.snapshot();
    const { timer } = running(['NO_COUNTER_ROUND_DOWN']);
    const error = thrown(() => timer.restoreState(snap));
    expect(error).toBeInstanceOf(PTimerSnapshotError);
    expect((error as PTimerSnapshotError).field).toBe('policy');
    expect((error as Error).message).toContain("must have this timer's policy flags [NO_COUNTER_ROUND_DOWN] (in any order)");
    expect(timer.deadline).toBe(10_000n); // unchanged
  });

  it('accepts the same policy listed in another order', () => {
    const snap = { ...running(['WRAP_AFTER_ONE_PERIOD', 'NO_COUNTER_ROUND_DOWN']).timer.snapshot() };
    const { timer } = running(['NO_COUNTER_ROUND_DOWN', 'WRAP_AFTER_ONE_PERIOD']);
    expect(snap.policy).toEqual(['WRAP_AFTER_ONE_PERIOD', 'NO_COUNTER_ROUND_DOWN']);
    expect(() => timer.restoreState(snap)).not.toThrow();
  });

  it('rejects a snapshot with a different rateClamp, naming rateClamp', () => {
    const snap: PTimerSnapshot = { ...running().timer.snapshot(), rateClamp: true };
    const { timer } = running();
    const error = thrown(() => timer.restoreState(snap));
    expect(error).toBeInstanceOf(PTimerSnapshotError);
    expect((error as PTimerSnapshotError).field).toBe('rateClamp');
  });

  it('rejects a snapshot taken at another time, naming time', () => {
    const snap = running().timer.snapshot();
    const { clock, timer } = running();
    clock.advanceTo(2_600);
    expect(() => timer.restoreState(snap)).toThrow(PTimerSnapshotError);
    expect(() => timer.restoreState(snap)).toThrow(/snapshot field 'time': 2500 is invalid/);
  });

  it('is refused inside a transaction', () => {
    const { timer } = running();
    const snap = timer.snapshot();
    timer.begin();
    const error = thrown(() => timer.restoreState(snap));
    expect(error).toBeInstanceOf(PTimerTransactionError);
    expect((error as Error).message).toContain('restoreState() while a transaction is open');
  });
});

/** How a scenario makes the first trigger, whose callback takes the snapshot. */
type Start = (timer: PTimer) => void;
const CALLBACK_STARTS: readonly (readonly [string, Start])[] = [
  ['periodic expiry', (t) => t.transaction((x) => { x.setPeriod(1_000); x.setLimit(3, true); x.run(false); })],
  ['one-shot expiry', (t) => t.transaction((x) => { x.setPeriod(1_000); x.setLimit(3, true); x.run(true); })],
  ['expiry with limit 0 (no W adjustment)', (t) => t.transaction((x) => { x.setPeriod(1_000); x.setCount(2); x.run(false); })],
  ['commit of a zero count on a running timer', (t) => {
    t.transaction((x) => { x.setPeriod(1_000); x.setLimit(4, true); x.run(false); });
    t.transaction((x) => x.setCount(0));
  }],
];

describe.each(policyCombinations().map((p) => [policyName(p), p] as const))('snapshot() in the callback context (#13), policy=%s', (_name, policy) => {
  it.each(CALLBACK_STARTS)('%s: restoring it continues exactly as the original after the callback', (_what, start) => {
    const END = 12_000;
    const clock = new VirtualClock();
    let snap: PTimerSnapshot | undefined;
    let at = -1;
    const seen: string[] = [];
    const timer = new PTimer(clock, {
      policy,
      name: 'orig',
      onTrigger: ({ timer: t, time, cause }) => {
        if (snap === undefined) {
          snap = t.snapshot();
          at = time;
        } else if (time > at) seen.push(`${cause}@${time}`);
      },
    });
    start(timer);
    if (snap === undefined) clock.advanceTo(1_000); // triggers only at commit for some policies
    const sample = (c: VirtualClock, t: PTimer, out: string[]): void => {
      for (let now = c.now() + 100; now <= END; now += 100) {
        c.advanceTo(now);
        out.push(`${now}:${t.getCount()}:${t.mode}`);
      }
    };
    const from = clock.now();
    if (snap === undefined) {
      // No trigger in reach under this policy: nothing to compare.
      expect(timer.deadline === undefined || timer.deadline > 1_000n).toBe(true);
      return;
    }
    const counts: string[] = [];
    sample(clock, timer, counts);

    const json = JSON.parse(JSON.stringify(snap)) as PTimerSnapshot;
    const clock2 = new VirtualClock({ start: json.time });
    const seen2: string[] = [];
    const restored = PTimer.restore(clock2, json, { name: 'copy', onTrigger: ({ time, cause }) => void (time > at && seen2.push(`${cause}@${time}`)) });
    if (clock2.now() < from) clock2.advanceTo(from);
    const counts2: string[] = [];
    sample(clock2, restored, counts2);
    expect(seen2).toEqual(seen);
    expect(counts2).toEqual(counts);
  });
});

describe('snapshot() in the callback context: what is refused (#13)', () => {
  it('after the callback changed the timer (the changes are not applied yet) it throws PTimerTransactionError', () => {
    const clock = new VirtualClock();
    let error: unknown;
    const timer = new PTimer(clock, {
      name: 'dut',
      onTrigger: ({ timer: t }) => {
        t.setCount(7);
        error = thrown(() => t.snapshot());
      },
    });
    timer.transaction((x) => { x.setPeriod(1_000); x.setLimit(3, true); x.run(false); });
    clock.advanceTo(3_000);
    expect(error).toBeInstanceOf(PTimerTransactionError);
    expect((error as Error).message).toContain('snapshot() after the trigger callback changed the timer');
    // The change itself applied when the callback returned.
    expect(timer.getCount()).toBe(7n);
  });

  it('inside a user transaction it still throws', () => {
    const clock = new VirtualClock();
    const timer = new PTimer(clock, { name: 'dut' });
    timer.begin();
    expect(() => timer.snapshot()).toThrow(/snapshot\(\) while a transaction is open/);
    timer.commit();
  });
});

describe('a frozen snapshot read again and again (what the ordering explorer rewinds to)', () => {
  /** The snapshot frozen with its policy, as a fork holds it. */
  const frozen = (snap: PTimerSnapshot): PTimerSnapshot => {
    Object.freeze(snap.policy);
    return Object.freeze(snap);
  };

  it('puts the same state back every time, whatever the timer did in between', () => {
    const snap = frozen(running().timer.snapshot()); // at 2 500: count 7, deadline 10 000
    const { clock, timer } = running();
    for (const to of [5_500, 9_000]) {
      timer.restoreState(snap);
      expect(timer.getCount()).toBe(7n);
      expect(timer.deadline).toBe(10_000n);
      expect(clock.pending).toBe(1);
      // Run on, change the timer, and go back to the snapshot's time for the next read.
      clock.advanceTo(to);
      timer.transaction((t) => t.setLimit(3, true));
      clock.counters = { ...clock.counters, time: 2_500 };
    }
  });

  it('still refuses it at another time, naming time, after it was read once', () => {
    const snap = frozen(running().timer.snapshot());
    const { clock, timer } = running();
    timer.restoreState(snap);
    clock.advanceTo(2_600);
    const error = thrown(() => timer.restoreState(snap));
    expect(error).toBeInstanceOf(PTimerSnapshotError);
    expect((error as PTimerSnapshotError).field).toBe('time');
  });

  it('still refuses it into a timer of another policy, and accepts its flags in another order', () => {
    const snap = frozen(running(['WRAP_AFTER_ONE_PERIOD', 'NO_COUNTER_ROUND_DOWN']).timer.snapshot());
    running(['WRAP_AFTER_ONE_PERIOD', 'NO_COUNTER_ROUND_DOWN']).timer.restoreState(snap);
    expect(() => running(['NO_COUNTER_ROUND_DOWN', 'WRAP_AFTER_ONE_PERIOD']).timer.restoreState(snap)).not.toThrow();
    const error = thrown(() => running(['WRAP_AFTER_ONE_PERIOD']).timer.restoreState(snap));
    expect((error as PTimerSnapshotError).field).toBe('policy');
  });

  it('checks its shape on an untrusted read even when a trusted read (unchecked) came first', () => {
    const snap = frozen({ ...running().timer.snapshot(), extra: 1 } as unknown as PTimerSnapshot);
    const { timer } = running();
    // Trusted: the schema is not run, so the unknown field passes.
    trustingData(() => timer.restoreState(snap));
    const error = thrown(() => timer.restoreState(snap));
    expect(error).toBeInstanceOf(PTimerSnapshotError);
    expect((error as PTimerSnapshotError).field).toBe('extra');
  });
});
