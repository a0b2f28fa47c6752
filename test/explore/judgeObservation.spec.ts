import { describe, expect, it } from 'vitest';
import { exploreScenario } from '../../explore/exploreScenario';
import { judgeObservation, type Observation } from '../../explore/scenario/observers';
import { DEFAULT_SCENARIO } from '../../system/scenario/defaultScenario';

const read = (counter: number, pending: boolean, afterWrite = false): Observation => ({ device: 'd', channel: 'c', time: 40, counter, pending, afterWrite });

describe('judgeObservation: G1 on one observer read', () => {
  it('a counter that moved on with the status set, or unchanged with the status unchanged, holds', () => {
    expect(judgeObservation(read(99, true), read(0, false))).toBeUndefined();
    expect(judgeObservation(read(0, false), read(0, false))).toBeUndefined();
  });

  it('a counter that moved on with the status clear breaks G1, unless the device leaves the status clear after that instant anyway', () => {
    const message = 'G1 (consistent reads) at 40 ns: d.c: counter 99 shows the expiry (it read 0 before the instant\'s work) with the status clear';
    expect(judgeObservation(read(99, false), read(0, false))).toBe(message);
    // after the instant's work, in the normal order, the device flags it: the read came between
    expect(judgeObservation(read(99, false), read(0, false), read(99, true))).toBe(message);
    // after it, the status is clear only because a guest wrote (an acknowledge): no excuse either
    expect(judgeObservation(read(99, false), read(0, false), read(99, false, true))).toBe(message);
    // after it, another count: not the state this read shows
    expect(judgeObservation(read(99, false), read(0, false), read(98, false))).toBe(message);
    // a reload that flags nothing (SysTick's first, from 0): the same count, status clear, no write
    expect(judgeObservation(read(99, false), read(0, false), read(99, false))).toBeUndefined();
  });

  it('a status that changed while the counter did not breaks G1 whatever comes after', () => {
    expect(judgeObservation(read(5, true), read(5, false), read(5, true))).toMatch(/status set \(it was clear before the instant's work\) while the counter still reads 5$/);
  });

  it("the default scenario's first instants under sync delivery: SysTick's first reload from 0 is no violation", () => {
    const r = exploreScenario(DEFAULT_SCENARIO, { delivery: 'sync', until: 1_000, maxSchedules: 50 });
    expect(r.observed.map((o) => o.device)).toContain('systick');
    expect(r.exhausted).toBe(true);
    expect(r.violation).toBeUndefined();
  });
});
