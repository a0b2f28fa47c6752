import { ArgumentTypeError } from '../shared/ArgumentError';

/** Where a bad event was met: a line of a JSON lines text being parsed, or an event being recorded. */
export type TraceFormatContext = 'line' | 'event';

/**
 * A trace event, or a line of a JSON lines trace, breaks the trace format:
 * a line that is not JSON, an unknown `kind`, a missing or unknown field, or
 * a field of the wrong type or range. The message names the line (or the
 * event's position), the field and the rule.
 *
 * `field` is a path into the event (`'size'`, `'data.values[2]'`), or
 * `'(json)'` when the line is not JSON at all (or blank), `'(root)'` when it
 * is JSON but not an object, or `'(text)'` when the whole input is not a
 * string.
 *
 * @see Trace.fromJsonLines
 * @see Trace.record
 */
export class TraceFormatError extends ArgumentTypeError {
  /** The error's class name, `'TraceFormatError'` (kept when the code is minified). */
  override readonly name = 'TraceFormatError';
  /**
   * Builds the error; the message reads `<where>: <value> is invalid: <rule>`,
   * `<where>` being `trace line <n>` (or `trace event <n>`, `trace event`,
   * `trace text`), followed by `, field '<field>'` for a field.
   *
   * @param line - 1-based line of the JSON lines text, or for a recorded
   *   event the line it would take in the export; `undefined` when unknown
   * @param field - path of the offending field (see the class doc)
   * @param value - its value (`undefined` when missing; the line's text for `'(json)'`)
   * @param rule - the rule it breaks, in words
   * @param context - whether `line` counts lines of a text or recorded events
   * @param cause - the underlying error (the JSON parser's, for `'(json)'`)
   */
  constructor(
    readonly line: number | undefined,
    readonly field: string,
    value: unknown,
    rule: string,
    context: TraceFormatContext = 'line',
    cause?: unknown,
  ) {
    const where = field === '(text)' ? 'trace text' : line === undefined ? 'trace event' : `trace ${context} ${line}`;
    super(field.startsWith('(') ? where : `${where}, field '${field}'`, value, rule, cause === undefined ? undefined : { cause });
  }
}
