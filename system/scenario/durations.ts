import { ScenarioError } from './ScenarioError';

/** Nanoseconds per unit; `µs` and `us` are the same unit. */
const DURATION_UNITS: Readonly<Record<string, number>> = { ns: 0, us: 3, µs: 3, ms: 6, s: 9 };
/** Hertz per unit, as powers of ten. */
const FREQUENCY_UNITS: Readonly<Record<string, number>> = { Hz: 0, kHz: 3, MHz: 6, GHz: 9 };

// Only ASCII spaces and tabs may surround the number and its unit: `\s` would also take a no-break
// or other Unicode space, which a reader of the file cannot tell from a space.
const NUMBER_WITH_UNIT = /^([+-]?)(\d+(?:\.\d*)?|\.\d+)[ \t]*([^\d\s.+-]\S*)?$/;
const ASCII_BLANK_ENDS = /^[ \t]+|[ \t]+$/g;

/**
 * `digits[.fraction] × 10^exponent` as a whole number, exactly (decimal
 * arithmetic: '2.5us' is 2500 ns, not a float's neighbour), or `undefined`
 * when it is not whole.
 */
const scaleExactly = (number: string, exponent: number): bigint | undefined => {
  const [int = '', frac = ''] = number.split('.');
  const padded = frac.padEnd(exponent, '0');
  if (/[^0]/.test(padded.slice(exponent))) return undefined;
  return BigInt((int === '' ? '0' : int) + padded.slice(0, exponent));
};

const parseWithUnit = (
  text: string | number,
  what: string,
  units: Readonly<Record<string, number>>,
  kind: { readonly noun: string; readonly base: string; readonly example: string },
): number => {
  const list = Object.keys(units).join(', ');
  if (typeof text !== 'string') {
    throw new ScenarioError(what, text, `a ${kind.noun} needs a unit (${list}): write it as a string, e.g. '${kind.example}'`);
  }
  const match = NUMBER_WITH_UNIT.exec(text.replace(ASCII_BLANK_ENDS, ''));
  if (match === null) throw new ScenarioError(what, text, `must be a number with a unit (${list}), e.g. '${kind.example}'`);
  const [, sign, number, unit] = match as unknown as [string, string, string, string | undefined];
  if (unit === undefined) throw new ScenarioError(what, text, `a ${kind.noun} needs a unit (${list}), e.g. '${kind.example}'`);
  const exponent = units[unit];
  if (exponent === undefined) throw new ScenarioError(what, text, `unknown unit '${unit}'; units: ${list}`);
  const value = scaleExactly(number, exponent);
  if (value === undefined) throw new ScenarioError(what, text, `must be a whole number of ${kind.base}`);
  if (sign === '-' && value !== 0n) throw new ScenarioError(what, text, 'must not be negative');
  if (value > BigInt(Number.MAX_SAFE_INTEGER)) throw new ScenarioError(what, text, `must be at most ${Number.MAX_SAFE_INTEGER} ${kind.base}`);
  return Number(value);
};

/**
 * Parses a duration with a unit: `'10ms'`, `'2.5us'`, `'100ns'`, `'1s'`,
 * `'0ns'` (units ns, us, µs, ms, s). The result must be a whole number of ns;
 * a duration without a unit, `'10'` or the JSON number `10`, is refused, as
 * is a negative one.
 * @param text - the duration as given
 * @param what - where it was given (the error's path), e.g. `guests[2].every`
 * @returns whole ns
 * @throws ScenarioError naming `what`, the value and the rule
 */
export const parseDuration = (text: string | number, what: string): number =>
  parseWithUnit(text, what, DURATION_UNITS, { noun: 'duration', base: 'ns', example: '10ms' });

/**
 * Parses a frequency: `'25MHz'`, `'32768Hz'`, `'1kHz'`, `'32.768kHz'` (units
 * Hz, kHz, MHz, GHz), or a JSON number of Hz. The result must be a whole,
 * non-negative number of Hz (0 is a stopped clock).
 * @param value - the frequency as given
 * @param what - where it was given (the error's path), e.g. `devices[1].clocks.pclk`
 * @returns whole Hz
 * @throws ScenarioError naming `what`, the value and the rule
 */
export const parseFrequency = (value: string | number, what: string): number => {
  if (typeof value === 'number') {
    if (!Number.isSafeInteger(value) || value < 0) throw new ScenarioError(what, value, 'a number of Hz must be whole and not negative');
    return value;
  }
  return parseWithUnit(value, what, FREQUENCY_UNITS, { noun: 'frequency', base: 'Hz', example: '25MHz' });
};
