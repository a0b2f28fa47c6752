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

describe('ClockInput.watch (#13)', () => {
  it('calls listeners synchronously with each change, not with the current rate nor an unchanged one; the teardown removes one', () => {
    const input = new ClockInput('pclk', 10);
    const seen: string[] = [];
    const stopA = input.watch((hz) => void seen.push(`a${hz}`));
    input.watch((hz) => void seen.push(`b${hz}`));
    input.setHz(20);
    input.setHz(20);
    stopA();
    stopA();
    input.setHz(0);
    expect(seen).toEqual(['a20', 'b20', 'b0']);
  });

  it('a throwing listener does not keep the others from the change; the first error is thrown from setHz', () => {
    const input = new ClockInput('pclk', 10);
    const seen: number[] = [];
    input.watch(() => {
      throw new Error('first');
    });
    input.watch((hz) => void seen.push(hz));
    expect(() => input.setHz(30)).toThrow('first');
    expect(seen).toEqual([30]);
    expect(input.hz).toBe(30);
  });

  it('hz$ replays the current rate, then each change, and stops when unsubscribed', () => {
    const input = new ClockInput('pclk', 10);
    const seen: number[] = [];
    const sub = input.hz$.subscribe((hz) => seen.push(hz));
    input.setHz(11);
    sub.unsubscribe();
    input.setHz(12);
    expect(seen).toEqual([10, 11]);
  });
});
