import { describe, expect, it } from 'vitest';
import { choicePoints, keys } from '../../explore/choicePoints';
import { workTag } from '../../src/clock/WorkTag';
import type { PendingEvent } from '../../src/clock/VirtualClock';

/** Ready work at one instant, one piece per label. */
const ready = (...labels: string[]): PendingEvent[] => labels.map((label) => ({ time: 10, tag: workTag('work', label), label }));

describe('keys: the option labels of a choice point', () => {
  it('are the work labels when they are all different', () => {
    expect(keys(ready('a', 'b', 'c'))).toEqual(['a', 'b', 'c']);
  });

  it('number a repeated label from its second occurrence on, in queue order', () => {
    expect(keys(ready('a', 'b', 'a', 'a', 'b'))).toEqual(['a', 'b', 'a#1', 'a#2', 'b#1']);
  });

  it('number repeats in a long list as in a short one', () => {
    const labels = Array.from({ length: 20 }, (_, i) => `w${i % 7}`);
    const got = keys(ready(...labels));
    expect(new Set(got).size).toBe(20);
    expect(got.slice(0, 8)).toEqual(['w0', 'w1', 'w2', 'w3', 'w4', 'w5', 'w6', 'w0#1']);
    expect(got[14]).toBe('w0#2');
  });

  it('are what choicePoints offers (no bottom-half window)', () => {
    expect(choicePoints(0).options(ready('x', 'x'), undefined)).toEqual(['x', 'x#1']);
  });
});
