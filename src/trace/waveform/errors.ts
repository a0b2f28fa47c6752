import { ArgumentError } from '../../shared/ArgumentError';

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
 * // WaveformError: buildWaveform(options.from): 20 is invalid: must not be after options.to (10)
 * ```
 *
 * @see buildWaveform
 */
export class WaveformError extends ArgumentError {
  /** Always `'WaveformError'`. */
  override readonly name = 'WaveformError';
}
