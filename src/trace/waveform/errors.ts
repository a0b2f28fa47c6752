/** Renders an offending value for a message: strings quoted, bigints with `n`, never throws. */
const show = (value: unknown): string => {
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'bigint') return `${value}n`;
  if (typeof value === 'function') return 'a function';
  if (typeof value === 'symbol') return String(value);
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'object' && value !== null) return 'an object';
  return String(value);
};

/**
 * An input given to a waveform builder or exporter breaks a rule: a time
 * that is not a non-negative safe integer, a window whose `from` is after
 * its `to`, a time that goes backwards within one signal, a sample value
 * that does not fit its width, two signals of different kinds under one
 * name, a malformed model, or an export that would be too large. The
 * message names where the value came from, the value and the rule.
 *
 * ## Example
 * ```ts
 * buildWaveform({ events: [] }, { from: 20, to: 10 });
 * // WaveformError: buildWaveform(options.from) = 20 is invalid: must not be after options.to (10)
 * ```
 *
 * @see buildWaveform
 */
export class WaveformError extends Error {
  /** Always `'WaveformError'`. */
  override readonly name = 'WaveformError';
  /**
   * Makes the error; its message reads `<what> = <value> is invalid: <rule>`.
   * @param what - where the value came from, e.g. `buildWaveform(events[3].time)`
   * @param value - the offending value
   * @param rule - the rule it breaks, in words
   */
  constructor(
    readonly what: string,
    readonly value: unknown,
    readonly rule: string,
  ) {
    super(`${what} = ${show(value)} is invalid: ${rule}`);
  }
}
