import { describe, expect, it } from 'vitest';
import { checkDeviceOptions, ClockInput, DeviceConfigError } from '../../../index';

const RULES = {
  clk: 'clock',
  ref: 'clock?',
  name: 'name?',
  delivery: 'delivery?',
  timing: 'timing?',
  latch: 'boolean?',
  width: { integer: [1, 32] },
  mode: { oneOf: ['a', 'b'], optional: true },
  even: { check: (v: unknown) => (typeof v === 'number' && v % 2 === 0 ? undefined : 'must be even'), optional: true },
} as const;
const GOOD = { clk: new ClockInput('clk', 1), width: 8 };

describe('checkDeviceOptions', () => {
  it('accepts options that keep every rule, optional ones left out', () => {
    expect(() => checkDeviceOptions('Dev', GOOD, RULES)).not.toThrow();
    expect(() =>
      checkDeviceOptions('Dev', { ...GOOD, ref: new ClockInput('r', 0), name: 'x', delivery: 'bottom-half', timing: 'qemu', latch: false, mode: 'b', even: 4 }, RULES),
    ).not.toThrow();
  });

  it.each([
    ['options', 5, /Dev\(options\): 5 is invalid: must be an object of options/],
    ['a missing clock', { width: 8 }, /Dev\(options\.clk\): undefined is invalid: must be a ClockInput/],
    ['a bad optional clock', { ...GOOD, ref: 3 }, /Dev\(options\.ref\): 3 is invalid: must be a ClockInput/],
    ['an empty name', { ...GOOD, name: '' }, /Dev\(options\.name\): "" is invalid: must be a non-empty string/],
    ['a bad delivery', { ...GOOD, delivery: 'late' }, /Dev\(options\.delivery\): "late" is invalid: must be one of 'sync', 'bottom-half'/],
    ['a bad timing', { ...GOOD, timing: 'fast' }, /Dev\(options\.timing\): "fast" is invalid: must be one of 'qemu', 'exact'/],
    ['a non-boolean', { ...GOOD, latch: 1 }, /Dev\(options\.latch\): 1 is invalid: must be a boolean/],
    ['an integer out of range', { ...GOOD, width: 33 }, /Dev\(options\.width\): 33 is invalid: must be an integer in \[1, 32\]/],
    ['a value not listed', { ...GOOD, mode: 'c' }, /Dev\(options\.mode\): "c" is invalid: must be one of 'a', 'b'/],
    ["a device's own check", { ...GOOD, even: 3 }, /Dev\(options\.even\): 3 is invalid: must be even/],
    ['a misspelt option', { ...GOOD, widht: 8 }, /Dev\(options\.widht\): 8 is invalid: is not an option of Dev \(options: clk, ref, name/],
  ])('refuses %s with a DeviceConfigError naming the field path, the value and the rule', (_what, options, message) => {
    expect(() => checkDeviceOptions('Dev', options, RULES)).toThrow(DeviceConfigError);
    expect(() => checkDeviceOptions('Dev', options, RULES)).toThrow(message);
  });
});
