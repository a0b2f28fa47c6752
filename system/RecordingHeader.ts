import { ArgumentTypeError } from '../src/shared/ArgumentError';

/** Current recording file format version. */
export const RECORDING_FILE_VERSION = 1;

/** The first line of a recording file: what produced it and what to expect. */
export interface RecordingHeader {
  /** Always `ptimer-rx-recording`. */
  readonly format: 'ptimer-rx-recording';
  /** {@link RECORDING_FILE_VERSION}. */
  readonly version: number;
  /** The scenario the run was built from (its devices are rebuilt for a replay; its guests are not run). */
  readonly scenario: unknown;
  /** Virtual time the run reached (ns). */
  readonly until: number;
  /** Digest of the run's trace. */
  readonly digest: string;
  /** Number of trace events. */
  readonly events: number;
}

/**
 * A recording file is malformed. The message names the line (and the field,
 * if one is at fault), the value and the rule:
 * `recording line 2, size: 3 is invalid: must be 1, 2, 4 or 8`.
 */
export class RecordingFormatError extends ArgumentTypeError {
  /** Always `'RecordingFormatError'`. */
  override readonly name: string = 'RecordingFormatError';
  /**
   * Builds the message, `recording line <line>[, <field>]: <value> is invalid: <rule>`.
   * @param line - 1-based line number
   * @param field - the part of the line at fault (`'version'`, `'size'`, …), or `''` for the whole line
   * @param value - the offending value (the line's text when it is not JSON)
   * @param rule - the rule it breaks, in words
   * @param options - `cause` when a trace line failed to parse
   */
  constructor(
    readonly line: number,
    readonly field: string,
    value: unknown,
    rule: string,
    options?: ErrorOptions,
  ) {
    super(`recording line ${line}${field === '' ? '' : `, ${field}`}`, value, rule, options);
  }
}
