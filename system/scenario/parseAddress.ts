import { ScenarioError } from './ScenarioError';

/**
 * Parses an address or offset: a whole, non-negative JSON number, or a hex
 * string `'0x4000_0000'`-style (`0x` then hex digits, `_` allowed between them).
 * @param value - as given
 * @param what - where it was given (the error's path), e.g. `devices[0].base`
 * @returns the address
 * @throws ScenarioError naming `what`, the value and the rule
 */
export const parseAddress = (value: string | number, what: string): number => {
  if (typeof value === 'number') {
    if (!Number.isSafeInteger(value) || value < 0) throw new ScenarioError(what, value, 'must be a whole, non-negative number');
    return value;
  }
  if (typeof value !== 'string' || !/^0[xX][0-9a-fA-F]+(?:_[0-9a-fA-F]+)*$/.test(value)) {
    throw new ScenarioError(what, value, "must be a whole number or a hex string such as '0x40000000'");
  }
  const n = Number.parseInt(value.slice(2).replaceAll('_', ''), 16);
  if (!Number.isSafeInteger(n)) throw new ScenarioError(what, value, `must be at most 0x${Number.MAX_SAFE_INTEGER.toString(16)}`);
  return n;
};
