// Zero-count start, reference/qemu-ptimer.md §1.10a: P = 1000 ns,
// setLimit(L, false) so the count stays 0, then run at t = 0 and no further
// writes. Every policy the matrix lists, with its trigger times (and causes:
// a trigger at the commit instant is 'commit', later ones 'expiry') and the
// reads or end state it gives.
import { describe, expect, it } from 'vitest';
import {
  PTIMER_POLICIES,
  PTimer,
  VirtualClock,
  type PTimerDiagnostic,
  type PTimerMode,
  type PTimerPolicy,
  type PTimerTriggerCause,
} from '../../index';

const SHORT: Record<string, PTimerPolicy> = {
  W: 'WRAP_AFTER_ONE_PERIOD',
  C: 'CONTINUOUS_TRIGGER',
  T: 'NO_IMMEDIATE_TRIGGER',
  R: 'NO_IMMEDIATE_RELOAD',
  D: 'NO_COUNTER_ROUND_DOWN',
  O: 'TRIGGER_ONLY_ON_DECREMENT',
};

/** 'W+R' → the flags in QEMU bit order; 'none' → legacy. */
const policyOf = (short: string): PTimerPolicy[] => {
  if (short === 'none') return [];
  const flags = short.split('+').map((s) => {
    const flag = SHORT[s];
    if (flag === undefined) throw new Error(`bad short policy ${s}`);
    return flag;
  });
  return PTIMER_POLICIES.filter((p) => flags.includes(p));
};

/** Zero-count start at t = 0 with period 1000 ns and limit `limit`. */
const zeroStart = (short: string, limit: number, oneshot: boolean) => {
  const clock = new VirtualClock();
  const fired: Array<[number, PTimerTriggerCause]> = [];
  const diagnostics: PTimerDiagnostic[] = [];
  const timer = new PTimer(clock, {
    policy: policyOf(short),
    onTrigger: ({ time, cause }) => fired.push([time, cause]),
  });
  timer.diagnostics$.subscribe((d) => diagnostics.push(d));
  timer.transaction((t) => {
    t.setPeriod(1_000);
    t.setLimit(limit, false);
    t.run(oneshot);
  });
  const readAt = (t: number): bigint => {
    clock.advanceTo(t);
    return timer.getCount();
  };
  return { clock, timer, fired, diagnostics, readAt };
};

const trig = (...times: number[]): Array<[number, PTimerTriggerCause]> =>
  times.map((t) => [t, t === 0 ? 'commit' : 'expiry']);

describe('§1.10a periodic, L = 3', () => {
  // [policy, triggers up to 5500 ns, reads [t, value] (in time order)]
  const rows: ReadonlyArray<readonly [string, number[], ReadonlyArray<readonly [number, number]>]> = [
    ['none', [0, 3_000], [[0, 3], [1, 2]]],
    ['C', [0, 3_000], [[0, 3], [1, 2]]],
    ['W', [0, 3_000], [[0, 3], [1, 2]]],
    ['T', [3_000], [[0, 3]]],
    ['O', [3_000], [[0, 3]]],
    ['C+T', [3_000], [[0, 3]]],
    ['C+O', [3_000], [[0, 3]]],
    // 0 during [0, 1000), 3 at 1000 (silent reload), 2 at 1001
    ['R', [0, 4_000], [[0, 0], [999, 0], [1_000, 3], [1_001, 2]]],
    // 0 until 1000; trigger and reload at 1000
    ['R+T', [1_000, 4_000], [[0, 0], [999, 0], [1_000, 3]]],
    // 0 until 1000; silent reload at 1000
    ['R+O', [4_000], [[0, 0], [999, 0], [1_000, 3]]],
    // 0 until 1000; W zero window [4000, 5000] after the expiry at 4000
    ['W+R', [0, 4_000], [[0, 0], [999, 0], [4_000, 0], [4_500, 0], [5_000, 0], [5_001, 2]]],
  ];

  it.each(rows)('policy %s: triggers at %j', (short, times, reads) => {
    const { readAt, fired, timer } = zeroStart(short, 3, false);
    for (const [t, value] of reads) expect(readAt(t), `read at ${t}`).toBe(BigInt(value));
    readAt(5_500);
    expect(fired).toEqual(trig(...times));
    expect(timer.mode).toBe('periodic');
  });

  it.each([
    ['none', [0, 3_000, 6_000, 9_000]],
    ['C', [0, 3_000, 6_000, 9_000]],
    ['W', [0, 3_000, 7_000, 11_000]], // every 4000 after the first expiry
  ] as const)('policy %s keeps triggering: %j', (short, times) => {
    const { readAt, fired } = zeroStart(short, 3, false);
    readAt(11_500);
    expect(fired).toEqual(trig(...times));
  });
});

describe('§1.10a periodic, L = 0', () => {
  // [policy, triggers up to 3500 ns, end state, time of the delta-zero stop if any]
  const rows: ReadonlyArray<readonly [string, number[], PTimerMode, number | undefined]> = [
    ['none', [0], 'stopped', 0],
    ['R', [0], 'stopped', 0],
    ['W', [0], 'stopped', 0],
    ['T', [1_000], 'stopped', 1_000],
    ['R+T', [1_000], 'stopped', 1_000],
    ['O', [], 'stopped', 0],
    ['R+O', [], 'stopped', 0],
    ['C', [0, 1_000, 2_000, 3_000], 'periodic', undefined],
    ['C+T', [1_000, 2_000, 3_000], 'periodic', undefined],
    ['C+O', [1_000, 2_000, 3_000], 'periodic', undefined],
  ];

  it.each(rows)('policy %s: triggers at %j, then %s', (short, times, mode, stopAt) => {
    const { clock, readAt, fired, timer, diagnostics } = zeroStart(short, 0, false);
    expect(readAt(3_500)).toBe(0n);
    expect(fired).toEqual(trig(...times));
    expect(timer.mode).toBe(mode);
    if (stopAt === undefined) {
      // C keeps it running, one event per period, reading 0 throughout.
      expect(diagnostics).toEqual([]);
      expect(clock.nextDeadline()).toBe(4_000);
      expect(readAt(3_999)).toBe(0n);
    } else {
      expect(diagnostics.map((d) => [d.kind, d.time])).toEqual([['delta-zero', stopAt]]);
      expect(clock.pending).toBe(0);
    }
  });
});

describe('§1.10a one-shot, L = 3', () => {
  it.each([
    ['none', [0, 3_000]],
    ['C', [0, 3_000]],
    ['W', [0, 3_000]],
    ['T', [3_000]],
    ['O', [3_000]],
    ['R', [0]],
    ['R+T', [1_000]],
    ['R+O', []],
  ] as const)('policy %s: triggers at %j, then stopped with count 0', (short, times) => {
    const { clock, readAt, fired, timer } = zeroStart(short, 3, true);
    readAt(5_000);
    expect(fired).toEqual(trig(...times));
    expect(timer.mode).toBe('stopped');
    expect(timer.getCount()).toBe(0n);
    expect(clock.pending).toBe(0);
  });

  it.each(['none', 'C', 'W', 'T', 'O'])(
    'policy %s: reloads to 3 at the start and counts down (3 at 0, 2 at 1, 0 at 2999)',
    (short) => {
      const { readAt } = zeroStart(short, 3, true);
      expect(readAt(0)).toBe(3n);
      expect(readAt(1)).toBe(2n);
      expect(readAt(2_999)).toBe(0n);
    },
  );

  it.each(['R', 'R+O'])('policy %s: the count stays 0 (no immediate reload on a one-shot)', (short) => {
    const { readAt, timer } = zeroStart(short, 3, true);
    expect(readAt(0)).toBe(0n);
    expect(timer.mode).toBe('stopped');
  });

  it('policy R+T: reads 0 and waits one period, then triggers and stops', () => {
    const { readAt, timer, fired } = zeroStart('R+T', 3, true);
    expect(readAt(0)).toBe(0n);
    expect(timer.mode).toBe('oneshot');
    expect(readAt(999)).toBe(0n);
    expect(fired).toEqual([]);
    expect(readAt(1_000)).toBe(0n);
    expect(fired).toEqual(trig(1_000));
  });
});

describe('§1.10a one-shot, L = 0', () => {
  it.each([
    ['none', [0]],
    ['R', [0]],
    ['W', [0]],
    ['C', [0]],
    ['T', [1_000]],
    ['R+T', [1_000]],
    ['C+T', [1_000]],
    ['O', []],
    ['R+O', []],
    ['C+O', []],
  ] as const)('policy %s: triggers at %j, then stopped with count 0', (short, times) => {
    const { clock, readAt, fired, timer } = zeroStart(short, 0, true);
    readAt(3_000);
    expect(fired).toEqual(trig(...times));
    expect(timer.mode).toBe('stopped');
    expect(timer.getCount()).toBe(0n);
    expect(clock.pending).toBe(0);
  });
});
