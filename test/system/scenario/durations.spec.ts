import { describe, expect, it } from 'vitest';
import { parseAddress, parseDuration, parseFrequency, ScenarioError } from '../../../system';
import { thrown } from '../../support/errors';

const refused = (fn: () => unknown): { path: string; value: unknown; rule: string } => {
  const error = thrown(fn);
  expect(error).toBeInstanceOf(ScenarioError);
  const { path, value, rule } = error as ScenarioError;
  return { path, value, rule };
};

describe('parseDuration', () => {
  it.each([
    ['10ms', 10_000_000],
    ['2.5us', 2_500],
    ['2.5µs', 2_500],
    ['100ns', 100],
    ['1s', 1_000_000_000],
    ['0ns', 0],
    ['0.000001ms', 1],
    ['1.0ns', 1],
    ['10 ms', 10_000_000],
    [' 10ms\t', 10_000_000],
    ['9007199254740991ns', Number.MAX_SAFE_INTEGER],
  ])('%s is %i ns (exact decimal arithmetic)', (text, ns) => {
    expect(parseDuration(text, 'duration')).toBe(ns);
  });

  it.each([
    ['10', "a duration needs a unit (ns, us, µs, ms, s), e.g. '10ms'"],
    ['-1ms', 'must not be negative'],
    ['1.5ns', 'must be a whole number of ns'],
    ['0.0000001ms', 'must be a whole number of ns'],
    ['10min', "unknown unit 'min'; units: ns, us, µs, ms, s"],
    ['ms', "must be a number with a unit (ns, us, µs, ms, s), e.g. '10ms'"],
    ['', "must be a number with a unit (ns, us, µs, ms, s), e.g. '10ms'"],
    ['1e3ms', "unknown unit 'e3ms'; units: ns, us, µs, ms, s"],
    ['9007199254740992ns', 'must be at most 9007199254740991 ns'],
    ['10\u00a0ms', "must be a number with a unit (ns, us, µs, ms, s), e.g. '10ms'"],
    ['\u00a010ms', "must be a number with a unit (ns, us, µs, ms, s), e.g. '10ms'"],
    ['10ms\u2009', "must be a number with a unit (ns, us, µs, ms, s), e.g. '10ms'"],
  ])('%j is refused: %s', (text, rule) => {
    expect(refused(() => parseDuration(text, 'guests[2].every'))).toEqual({ path: 'guests[2].every', value: text, rule });
  });

  it('shows the invisible character it refuses', () => {
    expect((thrown(() => parseDuration('10\u00a0ms', 'duration')) as Error).message).toContain('\\u00a0');
  });

  it('refuses plain numbers, 0 included: a duration needs a unit', () => {
    for (const n of [10, 0]) {
      expect(refused(() => parseDuration(n, 'duration'))).toEqual({
        path: 'duration',
        value: n,
        rule: "a duration needs a unit (ns, us, µs, ms, s): write it as a string, e.g. '10ms'",
      });
    }
    expect((thrown(() => parseDuration('10', 'duration')) as Error).message).toBe(
      `duration: "10" is invalid: a duration needs a unit (ns, us, µs, ms, s), e.g. '10ms'`,
    );
  });
});

describe('parseFrequency', () => {
  it.each([
    ['25MHz', 25_000_000],
    ['32768Hz', 32_768],
    ['1kHz', 1_000],
    ['32.768kHz', 32_768],
    ['1GHz', 1_000_000_000],
    [1_000_000, 1_000_000],
    [0, 0],
  ] as const)('%j is %i Hz', (value, hz) => {
    expect(parseFrequency(value, 'f')).toBe(hz);
  });

  it.each([
    ['25', "a frequency needs a unit (Hz, kHz, MHz, GHz), e.g. '25MHz'"],
    ['1.5Hz', 'must be a whole number of Hz'],
    ['-1kHz', 'must not be negative'],
    ['25mhz', "unknown unit 'mhz'; units: Hz, kHz, MHz, GHz"],
    [1.5, 'a number of Hz must be whole and not negative'],
    [-1, 'a number of Hz must be whole and not negative'],
  ] as const)('%j is refused: %s', (value, rule) => {
    expect(refused(() => parseFrequency(value, 'devices[1].clocks.pclk'))).toEqual({ path: 'devices[1].clocks.pclk', value, rule });
  });
});

describe('parseAddress', () => {
  it.each([
    ['0x40000000', 0x4000_0000],
    ['0x4000_0000', 0x4000_0000],
    ['0XfF', 0xff],
    [4096, 4096],
  ] as const)('%j is %i', (value, n) => {
    expect(parseAddress(value, 'base')).toBe(n);
  });

  it.each([['0xZZ'], ['4096'], ['0x'], ['0x_1'], [-1], [1.5]] as const)('%j is refused', (value) => {
    expect(refused(() => parseAddress(value, 'devices[0].base')).path).toBe('devices[0].base');
  });
});
