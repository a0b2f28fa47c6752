import { describe, expect, it } from 'vitest';
import { SystemConfigError } from '../../system/errors';
import { exploreScenario, type ScenarioPredicate } from '../../explore/exploreScenario';
import { parseScenario } from '../../system/scenario/loadScenario';
import { TWO_TICKS_SCENARIO } from '../support/twoTicksScenario';

const SCENARIO = TWO_TICKS_SCENARIO;

/** The span around the first two tick instants. */
const SPAN = { from: 99_000, until: 201_000 };

describe('exploreScenario', () => {
  it('sync delivery: every order of the span explored, no invariant broken', () => {
    const result = exploreScenario(SCENARIO, { ...SPAN, maxSchedules: 5_000 });
    expect(result.violation).toBeUndefined();
    expect(result.exhausted).toBe(true);
    expect(result.schedules).toBeGreaterThan(1);
    // Observers read both ticking devices at their first two expiry instants in the span.
    expect(result.observed).toEqual([
      { device: 'sp', channels: ['timer1', 'timer2'], instants: [100_000, 200_000] },
      { device: 'mini', channels: ['timer'], instants: [100_000, 200_000] },
    ]);
  });

  it('bottom-half delivery: finds a guest read between an expiry and its delivery, with the trace of that run', () => {
    const result = exploreScenario(SCENARIO, { ...SPAN, delivery: 'bottom-half', maxSchedules: 5_000 });
    expect(result.violation?.message).toMatch(/^G1 \(atomic expiry\) at 100000 ns: a guest read (sp|mini)\.\S+ .* while (sp|mini)\.\S+'s trigger of 100000 ns was not yet delivered$/);
    expect(result.violation!.schedule.length).toBeGreaterThan(0);
    const atInstant = result.trace!.filter((e) => e.time === 100_000).map((e) => `${e.source}.${e.kind}`);
    expect(atInstant.length).toBeGreaterThan(0);
    expect(result.registers!.sp!.some((r) => r.name === 'Timer1Value')).toBe(true);
  });

  it('bottom-half delivery, atomic-expiry check off: the observers catch the inconsistent counter and status', () => {
    const result = exploreScenario(SCENARIO, {
      ...SPAN,
      delivery: 'bottom-half',
      invariants: { atomicExpiry: false },
      maxSchedules: 5_000,
    });
    expect(result.violation?.message).toMatch(/^G1 \(consistent reads\) at 100000 ns: (sp\.timer1|mini\.timer): counter \d+ shows the expiry .* with the status clear$/);
  });

  it('G5: a bottom half deferred past the next expiry delivers two triggers at once (one lost)', () => {
    const result = exploreScenario(SCENARIO, {
      from: 99_000,
      until: 230_000,
      delivery: 'bottom-half',
      bottomHalfWindow: 150_000,
      invariants: { atomicExpiry: false, consistentReads: false },
      maxSchedules: 20_000,
    });
    expect(result.violation?.message).toMatch(/^G5 \(exactly once\) at 200000 ns: one delivery for 2 triggers of (sp\.timer1|mini\.timer) \(the first emitted at 100000 ns\): 1 lost$/);
    expect(result.violation!.schedule.some((label) => label.startsWith("defer bottom-half '"))).toBe(true);
  });

  it('without a window, bottom halves lose nothing: G5 holds in every order', () => {
    const result = exploreScenario(SCENARIO, {
      ...SPAN,
      delivery: 'bottom-half',
      invariants: { atomicExpiry: false, consistentReads: false },
      maxSchedules: 5_000,
    });
    expect(result).toMatchObject({ exhausted: true });
    expect(result.violation).toBeUndefined();
  });

  it('the reduction gives the same verdicts with fewer schedules', () => {
    const first = { from: 99_000, until: 101_000, observe: 1, maxSchedules: 5_000 };
    const reduced = exploreScenario(SCENARIO, first);
    const full = exploreScenario(SCENARIO, { ...first, reduce: false });
    expect(reduced).toMatchObject({ exhausted: true, schedules: 36 });
    expect(full).toMatchObject({ exhausted: true, schedules: 1_260 });
    expect(reduced.violation).toBeUndefined();
    expect(full.violation).toBeUndefined();
    const racy = { ...first, delivery: 'bottom-half' as const };
    expect(exploreScenario(SCENARIO, racy).violation?.message).toBe(exploreScenario(SCENARIO, { ...racy, reduce: false }).violation?.message);
    // Same verdict when the first order is fine: only the consistent-reads check, which needs a reordering.
    const reads = { ...racy, invariants: { atomicExpiry: false } };
    const r1 = exploreScenario(SCENARIO, reads);
    const r2 = exploreScenario(SCENARIO, { ...reads, reduce: false });
    expect(r1.violation?.message).toMatch(/consistent reads/);
    expect(r2.violation?.message).toMatch(/consistent reads/);
  });

  it('user predicates are checked after every event; the first broken one is reported with its schedule', () => {
    // Order-dependent on purpose: the mini tick handler acknowledges before the SP804 one at 102 µs.
    const order: ScenarioPredicate = ({ system, time }) => {
      const acks = system.trace.events.filter((e) => e.time === time && e.kind === 'write').map((e) => e.source);
      return acks[0] === 'mini' && acks.includes('sp') ? `mini acknowledged first at ${time} ns` : undefined;
    };
    const result = exploreScenario(SCENARIO, { ...SPAN, predicates: [order], maxSchedules: 5_000, reduce: false });
    expect(result.violation?.message).toBe('mini acknowledged first at 102000 ns');
    // The normal order acknowledges sp first: the violation needs another order.
    expect(result.violation!.index).toBeGreaterThan(1);
  });

  it('accepts a parsed scenario and instants before `from` keep the normal order', () => {
    const parsed = parseScenario(SCENARIO);
    const late = exploreScenario(parsed, { from: 150_000, until: 201_000, maxSchedules: 5_000 });
    const both = exploreScenario(parsed, { ...SPAN, maxSchedules: 5_000 });
    expect(late.exhausted).toBe(true);
    expect(late.schedules).toBeLessThan(both.schedules);
    expect(late.observed.map((o) => o.instants)).toEqual([[200_000], [200_000]]);
  });

  it('refuses bad options with a SystemConfigError naming the value', () => {
    expect(() => exploreScenario(SCENARIO, { from: 300_000, until: 200_000 })).toThrow(/300000.*must not be after until/);
    expect(() => exploreScenario(SCENARIO, { observe: -1 })).toThrow(SystemConfigError);
    expect(() => exploreScenario(SCENARIO, { delivery: 'later' as 'sync' })).toThrow(/later.*'sync' or 'bottom-half'/);
    expect(() => exploreScenario(SCENARIO, { predicates: ['x' as unknown as ScenarioPredicate] })).toThrow(/predicates\[0\]/);
    expect(() => exploreScenario({ ...SCENARIO, devices: [] })).toThrow();
  });
});
