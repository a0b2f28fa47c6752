import { canonicalTraceEvent, hashTraceEvent } from './canonicalTraceEvent';
import { TraceFormatError } from './errors';
import { describeValue } from '../shared/describeValue';
import { Fnv1a64 } from './Fnv1a64';
import type { TraceEvent } from './TraceEvent';
import type { TraceSink } from './TraceSink';

/**
 * A trace recorder: keeps every event recorded, in order, and exports them
 * as JSON lines with a digest for determinism checks.
 *
 * Each event is checked when it is recorded and stored in canonical form
 * (see {@link canonicalTraceEvent}): a frozen copy with its keys in a fixed
 * order and a mark's `data` made JSON-safe (bigints as decimal strings, keys
 * sorted). So the export depends only on the events' contents, never on how
 * their objects were built, later changes to the recorded objects do not
 * alter the trace, and `Trace.fromJsonLines(t.toJsonLines()).events` equals
 * `t.events`.
 *
 * Export format (`toJsonLines`): one event per line as compact JSON (no
 * spaces), keys in the order `time`, `source`, `kind`, then the kind's
 * fields as declared in its interface; absent optional fields are left out;
 * every line, the last included, ends with `'\n'`; an empty trace is `''`.
 *
 * Ordering: records events in call order; equal traces across runs rely on
 * G4 (same inputs, same order of events).
 *
 * ## Example
 * ```ts
 * const clock = new VirtualClock();
 * const trace = new Trace();
 * const irq = new IrqLine('irq0');
 * irqEvents(irq, clock).subscribe((e) => trace.record(e));
 * clock.schedule(() => irq.raise(), 100);
 * clock.advanceBy(200);
 * trace.toJsonLines(); // '{"time":100,"source":"irq0","kind":"irq","level":true}\n'
 * ```
 *
 * @see TraceDigest to check long runs without keeping the events
 */
export class Trace implements TraceSink {
  private readonly list: TraceEvent[] = [];
  /** The digest of the first `hashed` events: {@link Trace.digest} hashes only what was recorded since it last ran. */
  private readonly hash = new Fnv1a64();
  private hashed = 0;

  /** The events recorded so far, in order, each in canonical form and frozen. */
  get events(): readonly TraceEvent[] {
    return this.list;
  }

  /**
   * Records one event after the others.
   * @param event - the event (any key order; see {@link canonicalTraceEvent} for the rules)
   * @throws TraceFormatError naming the event's position (the line it would
   *   take in the export) and the field, for an event that breaks the format;
   *   nothing is recorded then
   */
  record(event: TraceEvent): void {
    this.list.push(canonicalTraceEvent(event, this.list.length + 1, 'event'));
  }

  /**
   * The recorded events of one kind, optionally from one source, in order.
   * @param kind - the event kind, e.g. `'irq'`
   * @param source - if given, only events whose `source` is this name
   * @returns a new array, typed by the kind
   */
  of<K extends TraceEvent['kind']>(
    kind: K,
    source?: string,
  ): (TraceEvent & {
    /** The requested kind. */
    readonly kind: K;
  })[] {
    return this.list.filter(
      (e): e is TraceEvent & { readonly kind: K } => e.kind === kind && (source === undefined || e.source === source),
    );
  }

  /**
   * The trace as JSON lines (format in the class doc). Equal traces give
   * equal strings, byte for byte.
   */
  toJsonLines(): string {
    let text = '';
    for (const event of this.list) text += `${JSON.stringify(event)}\n`;
    return text;
  }

  /**
   * FNV-1a 64 of the UTF-8 bytes of {@link Trace.toJsonLines}, as 16
   * lower-case hex digits; the same value a {@link TraceDigest} given the
   * same events reports.
   */
  digest(): string {
    // Each event is hashed once, from its fields (see hashTraceEvent), however often this is asked.
    const { list, hash } = this;
    for (let i = this.hashed; i < list.length; i++) hashTraceEvent(list[i], hash, i + 1, 'event');
    this.hashed = list.length;
    return hash.hex();
  }

  /**
   * Reads a trace back from JSON lines, e.g. to replay or compare a run.
   * Accepts what {@link Trace.toJsonLines} writes, and also any key order and
   * JSON whitespace within a line, `'\r\n'` line ends, and a last line
   * without `'\n'`. Each line must hold exactly one event: blank lines are
   * errors.
   *
   * @param text - the JSON lines
   * @returns a trace holding the events in the order of the lines
   * @throws TraceFormatError naming the 1-based line and the field: for a line
   *   that is not JSON (field `'(json)'`, with the parser's error as
   *   `cause`), not an object (`'(root)'`), or whose event has an unknown
   *   kind, a missing or unknown field, or a field of the wrong type or range
   */
  static fromJsonLines(text: string): Trace {
    if (typeof text !== 'string') {
      throw new TraceFormatError(undefined, '(text)', text, 'must be a string of JSON lines');
    }
    const trace = new Trace();
    if (text === '') return trace;
    const lines = text.split('\n');
    if (lines[lines.length - 1] === '') lines.pop();
    lines.forEach((line, i) => {
      const number = i + 1;
      if (line.trim() === '') {
        throw new TraceFormatError(number, '(json)', line, 'the line is blank; each line must hold one event');
      }
      let parsed: unknown;
      try {
        parsed = JSON.parse(line);
      } catch (error) {
        const reason = error instanceof Error ? error.message : describeValue(error);
        throw new TraceFormatError(number, '(json)', line, `must be valid JSON (${reason})`, 'line', error);
      }
      trace.list.push(canonicalTraceEvent(parsed, number, 'line'));
    });
    return trace;
  }
}
