// Policy sets (reference/qemu-ptimer.md §1.10, §2): the six QEMU flags, the
// 48 valid combinations QEMU's unit test sweeps, their printable names, and
// the constructor's checks of a policy list.
import { describe, expect, it } from 'vitest';
import {
  LEGACY_POLICY,
  PTIMER_POLICIES,
  PTimer,
  PTimerPolicyError,
  VirtualClock,
  policyCombinations,
  policyName,
  type PTimerPolicy,
} from '../../index';
import { thrown } from '../support/errors';

const O: PTimerPolicy = 'TRIGGER_ONLY_ON_DECREMENT';
const T: PTimerPolicy = 'NO_IMMEDIATE_TRIGGER';

/** Runs `fn`, which must throw, and returns what it threw. */

describe('PTIMER_POLICIES and LEGACY_POLICY', () => {
  it('lists the six QEMU flags in QEMU bit order (W=0x01 … O=0x20)', () => {
    expect(PTIMER_POLICIES).toEqual([
      'WRAP_AFTER_ONE_PERIOD',
      'CONTINUOUS_TRIGGER',
      'NO_IMMEDIATE_TRIGGER',
      'NO_IMMEDIATE_RELOAD',
      'NO_COUNTER_ROUND_DOWN',
      'TRIGGER_ONLY_ON_DECREMENT',
    ]);
  });

  it('LEGACY_POLICY is the empty set, frozen, and is what a timer gets by default', () => {
    expect(LEGACY_POLICY).toEqual([]);
    expect(Object.isFrozen(LEGACY_POLICY)).toBe(true);
    expect(new PTimer(new VirtualClock()).policy).toEqual([]);
  });
});

describe('policyCombinations()', () => {
  const all = policyCombinations();

  it('has 48 sets: all 64 subsets of the six flags but the 16 that pair O with T', () => {
    expect(all).toHaveLength(48);
    expect(all.filter((set) => set.includes(O) && set.includes(T))).toEqual([]);
  });

  it('has no duplicate set and no repeated flag within a set', () => {
    const keys = all.map((set) => [...set].sort().join(','));
    expect(new Set(keys).size).toBe(48);
    for (const set of all) expect(new Set(set).size).toBe(set.length);
  });

  it('holds every valid subset exactly once (checked against the 64 bit masks)', () => {
    const masks = all.map((set) => set.reduce((m, flag) => m | (1 << PTIMER_POLICIES.indexOf(flag)), 0));
    const expected = [...Array(64).keys()].filter((m) => !((m & 0x20) !== 0 && (m & 0x04) !== 0));
    expect([...masks].sort((a, b) => a - b)).toEqual(expected);
  });

  it('starts with the legacy (empty) set and lists flags in QEMU bit order inside each set', () => {
    expect(all[0]).toEqual([]);
    for (const set of all) {
      const order = set.map((flag) => PTIMER_POLICIES.indexOf(flag));
      expect(order).toEqual([...order].sort((a, b) => a - b));
    }
  });

  it('every set is accepted by the PTimer constructor and kept as given', () => {
    const clock = new VirtualClock();
    for (const set of all) expect(new PTimer(clock, { policy: set }).policy).toEqual(set);
  });
});

describe('policyName()', () => {
  it.each([
    [[], 'legacy'],
    [['WRAP_AFTER_ONE_PERIOD'], 'wrap_after_one_period'],
    [['WRAP_AFTER_ONE_PERIOD', 'NO_COUNTER_ROUND_DOWN'], 'wrap_after_one_period+no_counter_round_down'],
    [
      ['WRAP_AFTER_ONE_PERIOD', 'NO_IMMEDIATE_RELOAD', 'NO_COUNTER_ROUND_DOWN', 'TRIGGER_ONLY_ON_DECREMENT'],
      'wrap_after_one_period+no_immediate_reload+no_counter_round_down+trigger_only_on_decrement',
    ],
    [['CONTINUOUS_TRIGGER', 'NO_IMMEDIATE_TRIGGER'], 'continuous_trigger+no_immediate_trigger'],
  ] as const)('%j is named %s', (set, name) => {
    expect(policyName(set)).toBe(name);
  });

  it('gives the 48 combinations 48 distinct names', () => {
    expect(new Set(policyCombinations().map(policyName)).size).toBe(48);
  });
});

describe('PTimer policy checks (PTimerPolicyError)', () => {
  const clock = new VirtualClock();

  it('shares one checked copy among timers given the same list, frozen or not (#19)', () => {
    const frozen = Object.freeze(['WRAP_AFTER_ONE_PERIOD', 'NO_COUNTER_ROUND_DOWN'] as PTimerPolicy[]);
    const a = new PTimer(clock, { policy: frozen });
    const b = new PTimer(clock, { policy: frozen });
    const c = new PTimer(clock, { policy: ['WRAP_AFTER_ONE_PERIOD', 'NO_COUNTER_ROUND_DOWN'] });
    expect(a.policy).toBe(b.policy);
    expect(c.policy).toBe(a.policy);
    expect(a.policy).toEqual(frozen);
    expect(new PTimer(clock).policy).toBe(new PTimer(clock, { policy: LEGACY_POLICY }).policy);
  });

  it('checks a frozen list with a bad flag every time (never cached)', () => {
    const bad = Object.freeze(['WRAP_AFTER_TWO_PERIODS' as PTimerPolicy]);
    expect(() => new PTimer(clock, { policy: bad })).toThrow(PTimerPolicyError);
    expect(() => new PTimer(clock, { policy: bad })).toThrow(PTimerPolicyError);
  });

  it('rejects an unknown flag, naming it and listing the known ones', () => {
    const error = thrown(() => new PTimer(clock, { policy: ['WRAP_AFTER_TWO_PERIODS' as PTimerPolicy] }));
    expect(error).toBeInstanceOf(PTimerPolicyError);
    expect(error).toBeInstanceOf(TypeError);
    expect((error as Error).message).toContain('policy: "WRAP_AFTER_TWO_PERIODS" is invalid: unknown flag');
    expect((error as Error).message).toContain('WRAP_AFTER_ONE_PERIOD, CONTINUOUS_TRIGGER');
    expect((error as PTimerPolicyError).value).toBe('WRAP_AFTER_TWO_PERIODS');
  });

  it('rejects a lower-case flag name (names are exact)', () => {
    expect(() => new PTimer(clock, { policy: ['wrap_after_one_period' as PTimerPolicy] })).toThrow(
      /policy: "wrap_after_one_period" is invalid: unknown flag/,
    );
  });

  it('rejects a repeated flag', () => {
    const error = thrown(
      () => new PTimer(clock, { policy: ['NO_COUNTER_ROUND_DOWN', 'WRAP_AFTER_ONE_PERIOD', 'NO_COUNTER_ROUND_DOWN'] }),
    );
    expect(error).toBeInstanceOf(PTimerPolicyError);
    expect((error as Error).message).toBe('policy: "NO_COUNTER_ROUND_DOWN" is invalid: listed more than once');
  });

  it('rejects TRIGGER_ONLY_ON_DECREMENT with NO_IMMEDIATE_TRIGGER, in either order (QEMU asserts, §1.4)', () => {
    for (const policy of [[O, T], [T, 'WRAP_AFTER_ONE_PERIOD', O]] as PTimerPolicy[][]) {
      const error = thrown(() => new PTimer(clock, { policy }));
      expect(error).toBeInstanceOf(PTimerPolicyError);
      expect((error as Error).message).toContain(
        'TRIGGER_ONLY_ON_DECREMENT cannot be combined with NO_IMMEDIATE_TRIGGER',
      );
    }
  });

  it.each(['WRAP_AFTER_ONE_PERIOD', ''])('rejects a policy that is not an array (%j), naming the rule', (value) => {
    // A string must not be taken apart into characters (nor '' read as the empty set).
    const error = thrown(() => new PTimer(clock, { policy: value as unknown as PTimerPolicy[] }));
    expect(error).toBeInstanceOf(PTimerPolicyError);
    expect((error as Error).message).toContain('must be an array of policy flag names');
    expect((error as PTimerPolicyError).value).toBe(value);
  });

  it('a rejected constructor schedules nothing on the clock', () => {
    const fresh = new VirtualClock();
    expect(() => new PTimer(fresh, { policy: [O, T] })).toThrow(PTimerPolicyError);
    expect(fresh.scheduledCount).toBe(0);
  });
});
