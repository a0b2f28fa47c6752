/** Renders an offending value for a message: strings quoted, bigints with `n`, no throw on anything. */
const show = (value: unknown): string => {
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'bigint') return `${value}n`;
  if (typeof value === 'function') return 'a function';
  if (typeof value === 'symbol') return String(value);
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'object' && value !== null) return 'an object';
  return String(value);
};

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
export class TraceFormatError extends TypeError {
  /** The error's class name, `'TraceFormatError'` (kept when the code is minified). */
  override readonly name = 'TraceFormatError';
  /**
   * Builds the error; the message names the line (or event), the field, the value and the rule.
   *
   * @param line - 1-based line of the JSON lines text, or for a recorded
   *   event the line it would take in the export; `undefined` when unknown
   * @param field - path of the offending field (see the class doc)
   * @param value - its value (`undefined` when missing)
   * @param rule - the rule it breaks, in words
   * @param context - whether `line` counts lines of a text or recorded events
   * @param cause - the underlying error (the JSON parser's, for `'(json)'`)
   */
  constructor(
    readonly line: number | undefined,
    readonly field: string,
    readonly value: unknown,
    readonly rule: string,
    context: TraceFormatContext = 'line',
    cause?: unknown,
  ) {
    const where = field === '(text)' ? 'trace text' : line === undefined ? 'trace event' : `trace ${context} ${line}`;
    const what =
      field === '(json)'
        ? `${where} is not valid JSON: ${rule}`
        : field === '(root)' || field === '(text)'
          ? `${where} = ${show(value)} is invalid: ${rule}`
          : value === undefined
            ? `${where}, field '${field}' is missing: ${rule}`
            : `${where}, field '${field}' = ${show(value)} is invalid: ${rule}`;
    super(what, cause === undefined ? undefined : { cause });
  }
}
