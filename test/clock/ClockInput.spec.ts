import { describe, expect, it } from 'vitest';
import { ClockInput, ClockRangeError } from '../../index';

describe('ClockInput', () => {
  it('emits the current frequency on subscription, then each change, synchronously and never twice in a row', () => {
    const pclk = new ClockInput('pclk', 25_000_000);
    const seen: number[] = [];
    pclk.hz$.subscribe((hz) => seen.push(hz));
    pclk.setHz(50_000_000);
    pclk.setHz(50_000_000);
    expect(seen).toEqual([25_000_000, 50_000_000]);
    pclk.setHz(0); // stopped
    expect(pclk.hz).toBe(0);
    expect(seen).toEqual([25_000_000, 50_000_000, 0]);
  });

  it.each([-1, 1.5, Number.NaN, Number.MAX_SAFE_INTEGER + 2])('rejects %s Hz with ClockRangeError naming the input', (hz) => {
    expect(() => new ClockInput('pclk', hz)).toThrow(ClockRangeError);
    expect(() => new ClockInput('pclk', 1).setHz(hz)).toThrow(/clock input 'pclk' frequency: .* must be a non-negative whole number of Hz/);
  });
});
