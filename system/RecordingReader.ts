import { describeValue } from '../src/shared/describeValue';
import { canonicalTraceEvent } from '../src/trace/canonicalTraceEvent';
import { TraceFormatError } from '../src/trace/errors';
import { TraceDigest } from '../src/trace/TraceDigest';
import type { TraceEvent } from '../src/trace/TraceEvent';
import type { AccessSize } from '../src/bus/GuestAccess';
import type { RecordedAccess, RecordedStep } from './Recording';
import { RECORDING_FILE_VERSION, RecordingFormatError, type RecordingHeader } from './RecordingHeader';

/**
 * A forward-only cursor over the lines of a text (a recording file): the
 * lines `text.split('\n')` gives, without a last empty one when the text
 * ends with `'\n'`.
 */
export interface LineCursor {
  /** The next line, without its `'\n'`; `undefined` past the last line. */
  next(): string | undefined;
  /** Whether the text ends with `'\n'` (read it once {@link LineCursor.next} has returned `undefined`). */
  readonly endsWithNewline: boolean;
}

/** The lines of a text held in memory, one at a time (see {@link LineCursor}). */
export const textLines = (text: string): LineCursor => {
  let at = 0;
  return {
    next: () => {
      // Past the end, or at it after a final '\n' (split('\n') gives a last empty piece there, not a line).
      if (at >= text.length) return undefined;
      const end = text.indexOf('\n', at);
      const line = text.slice(at, end === -1 ? text.length : end);
      at = end === -1 ? text.length + 1 : end + 1;
      return line;
    },
    get endsWithNewline() {
      return text.endsWith('\n');
    },
  };
};

/** One recorded trace event: the event in canonical form, and its line as the file holds it (canonical JSON). */
export interface RecordedEventLine {
  /** The event, canonical (as `Trace.events` holds it). */
  readonly event: TraceEvent;
  /** `JSON.stringify(event)`: the line's canonical text, without its `'\n'`. */
  readonly json: string;
}

/** What a whole recording file held, once {@link RecordingReader.finish} has read it to the end. */
export interface RecordingFileTotals {
  /** Guest step lines. */
  readonly steps: number;
  /** Trace event lines (equal to the header's `events`, or `finish` throws). */
  readonly events: number;
  /** Digest of the recorded events (FNV-1a 64 of their canonical lines, as `Trace.digest`). */
  readonly digest: string;
}

const SIZES: readonly number[] = [1, 2, 4, 8];

/**
 * Whitespace a recording file may hold and still be "empty", kept to show in
 * the error: past this many characters only the first are shown.
 */
const EMPTY_TEXT_KEPT = 1 << 20;

const isWhole = (n: unknown): n is number => typeof n === 'number' && Number.isSafeInteger(n) && n >= 0;

const json = (text: string, line: number): unknown => {
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new RecordingFormatError(line, '', text, `must be JSON (${error instanceof Error ? error.message : describeValue(error)})`);
  }
};

const parseAccess = (raw: unknown, line: number): RecordedAccess => {
  if (!Array.isArray(raw)) throw new RecordingFormatError(line, 'access', raw, 'must be ["r", address, size] or ["w", address, size, value]');
  const [kind, address, size, value] = raw as unknown[];
  if (!isWhole(address)) throw new RecordingFormatError(line, 'address', address, 'must be a whole, non-negative number');
  if (!SIZES.includes(size as number)) throw new RecordingFormatError(line, 'size', size, 'must be 1, 2, 4 or 8');
  if (kind === 'r' && raw.length === 3) return { kind: 'read', address, size: size as AccessSize };
  if (kind === 'w' && raw.length === 4 && isWhole(value)) return { kind: 'write', address, size: size as AccessSize, value };
  throw new RecordingFormatError(line, 'access', raw, 'must be ["r", address, size] or ["w", address, size, value]');
};

/** Whether a parsed line is a step line (an object with a `step` key): the steps end at the first line that is not. */
const isStepLine = (value: unknown): value is { step: unknown } => typeof value === 'object' && value !== null && 'step' in value;

/** The text every step line the writer makes starts with: such a line is a step line when it is JSON at all. */
const STEP_PREFIX = '{"step":';

/**
 * Reads a recording file (the format of `formatRecordingFile`) in bounded
 * memory, whatever its length: the header at once, then the guest steps and
 * the recorded trace events each on demand, through two independent cursors
 * over the file's lines (all steps come before all events, and a replay needs
 * both as it goes). Neither cursor keeps more than the line it is on, so
 * memory is bounded by the longest line, not by the file.
 *
 * Every check {@link parseRecordingFile} makes is made, with the same
 * {@link RecordingFormatError} (line number, field, value, rule): each line as
 * its cursor reaches it, and the end-of-file checks (the event count against
 * the header) in {@link RecordingReader.finish}, which reads whatever the
 * cursors have not reached. The first error a cursor meets is kept and
 * thrown again by every later call, so a caller may stop at once and learn
 * the error in file order at `finish`: a bad step line (they come first)
 * before a bad event line.
 *
 * ## Example
 * ```ts
 * const reader = new RecordingReader(() => textLines(text));
 * for (let s = reader.nextStep(); s !== undefined; s = reader.nextStep()) use(s);
 * const totals = reader.finish(); // throws RecordingFormatError for a bad line or a truncated file
 * ```
 */
export class RecordingReader {
  /** The header line, checked. */
  readonly header: RecordingHeader;
  private readonly stepLines: LineCursor;
  private readonly eventLines: LineCursor;
  /** 1-based number of the line each cursor read last. */
  private stepLine = 1;
  private eventLine = 0;
  private stepsDone = false;
  /** Whether the event cursor has passed the header and the step lines. */
  private eventsFound = false;
  private eventsDone = false;
  private steps = 0;
  private events = 0;
  /** The recorded events' digest, taken as `Trace.digest` takes it (the canonical line of each). */
  private readonly hash = new TraceDigest();
  private stepError: unknown;
  private eventError: unknown;

  /**
   * Reads and checks the header line.
   * @param open - opens a new cursor at the start of the file (called twice: one cursor for the steps, one for the events)
   * @throws RecordingFormatError for an empty file or a bad header
   */
  constructor(open: () => LineCursor) {
    this.stepLines = open();
    const first = this.stepLines.next();
    if (first === undefined || first.trim() === '') this.checkNotEmpty(first);
    this.header = RecordingReader.parseHeader(first!);
    this.eventLines = open();
  }

  /** Guest step lines read so far. */
  get stepCount(): number {
    return this.steps;
  }

  /** Trace event lines read so far. */
  get eventCount(): number {
    return this.events;
  }

  /**
   * The next guest step.
   * @returns the step, or `undefined` after the last one
   * @throws RecordingFormatError for a bad step line (again at every later call)
   */
  nextStep(): RecordedStep | undefined {
    if (this.stepError !== undefined) throw this.stepError;
    if (this.stepsDone) return undefined;
    try {
      const text = this.stepLines.next();
      if (text === undefined) return this.endSteps();
      const line = ++this.stepLine;
      const value = json(text, line);
      if (!isStepLine(value)) return this.endSteps();
      const step = value.step;
      if (!Array.isArray(step) || step.length !== 3 || !isWhole(step[0]) || !isWhole(step[1]) || !Array.isArray(step[2])) {
        throw new RecordingFormatError(line, 'step', step, 'must be [time, after, [accesses...]] with whole numbers');
      }
      const accesses = (step[2] as unknown[]).map((a) => parseAccess(a, line));
      this.steps++;
      return { time: step[0], after: step[1], accesses };
    } catch (error) {
      this.stepError = error;
      throw error;
    }
  }

  /**
   * The next recorded trace event, checked as `parseRecordingFile` checks it.
   * The digest and the count of the events read so far are kept.
   * @returns the event and its canonical line, or `undefined` after the last one
   * @throws RecordingFormatError for a bad event line (again at every later call)
   */
  nextEvent(): RecordedEventLine | undefined {
    if (this.eventError !== undefined) throw this.eventError;
    if (this.eventsDone) return undefined;
    try {
      const text = this.eventsFound ? this.eventLines.next() : this.findEvents();
      if (text === undefined) {
        this.eventsDone = true;
        return undefined;
      }
      const line = this.eventsFound ? ++this.eventLine : this.eventLine;
      this.eventsFound = true;
      let event: TraceEvent;
      try {
        event = canonicalTraceEvent(json(text, line), line, 'line');
      } catch (error) {
        if (error instanceof TraceFormatError) {
          throw new RecordingFormatError(line, error.field.startsWith('(') ? '' : error.field, error.value, error.rule, { cause: error });
        }
        throw error;
      }
      const canonical = JSON.stringify(event);
      this.hash.record(event);
      this.events++;
      return { event, json: canonical };
    } catch (error) {
      this.eventError = error;
      throw error;
    }
  }

  /**
   * Reads the rest of the file (the steps, then the events, neither kept) and
   * makes the end-of-file check.
   * @returns the totals of the whole file
   * @throws RecordingFormatError for the first bad line in file order, or when the file holds fewer or more events than the header says
   */
  finish(): RecordingFileTotals {
    while (this.nextStep() !== undefined);
    while (this.nextEvent() !== undefined);
    if (this.events !== this.header.events) {
      throw new RecordingFormatError(
        this.eventLine,
        '',
        this.events,
        `is the number of trace events the file holds, but the header promises ${this.header.events} (truncated?)`,
      );
    }
    return { steps: this.steps, events: this.events, digest: this.hash.digest() };
  }

  /** Skips the event cursor past the header and the step lines; returns the first event line (its number in `eventLine`). */
  private findEvents(): string | undefined {
    for (;;) {
      const text = this.eventLines.next();
      if (text === undefined) return undefined;
      this.eventLine++;
      if (this.eventLine === 1) continue;
      // A line the writer made is told at a glance; any other is parsed (a bad one is where the events start: the step cursor reports it).
      if (text.startsWith(STEP_PREFIX)) continue;
      let value: unknown;
      try {
        value = JSON.parse(text);
      } catch {
        return text;
      }
      if (!isStepLine(value)) return text;
    }
  }

  private endSteps(): undefined {
    this.stepsDone = true;
    return undefined;
  }

  /** An empty first line: the whole file may be blank (then it is empty), or the first line is not JSON. */
  private checkNotEmpty(first: string | undefined): void {
    let text = first ?? '';
    let lines = first === undefined ? 0 : 1;
    for (let line = this.stepLines.next(); line !== undefined; line = this.stepLines.next()) {
      if (line.trim() !== '') return; // not empty: parsing the first line says what is wrong with it
      lines++;
      if (text.length < EMPTY_TEXT_KEPT) text += `\n${line}`;
    }
    if (lines > 0 && this.stepLines.endsWithNewline && text.length < EMPTY_TEXT_KEPT) text += '\n';
    throw new RecordingFormatError(1, '', text, 'the file is empty; a recording starts with its header line');
  }

  /** Checks the header line (line 1). */
  private static parseHeader(text: string): RecordingHeader {
    const head = json(text, 1) as Partial<RecordingHeader> | null;
    if (typeof head !== 'object' || head === null || head.format !== 'ptimer-rx-recording') {
      throw new RecordingFormatError(1, '', head, 'the first line must be a ptimer-rx-recording header (write the file with `ptimer-rx run --trace`)');
    }
    if (head.version !== RECORDING_FILE_VERSION) {
      throw new RecordingFormatError(1, 'version', head.version, `is not supported (this version reads ${RECORDING_FILE_VERSION})`);
    }
    if (!isWhole(head.until)) throw new RecordingFormatError(1, 'until', head.until, 'must be whole ns');
    if (typeof head.digest !== 'string' || !/^[0-9a-f]{16}$/.test(head.digest)) {
      throw new RecordingFormatError(1, 'digest', head.digest, 'must be 16 hex digits');
    }
    if (!isWhole(head.events)) throw new RecordingFormatError(1, 'events', head.events, 'must be a whole number');
    return head as RecordingHeader;
  }
}
