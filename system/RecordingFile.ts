import { ArgumentTypeError } from '../src/shared/ArgumentError';
import { describeValue } from '../src/shared/describeValue';
import { canonicalTraceEvent } from '../src/trace/canonicalTraceEvent';
import { TraceFormatError } from '../src/trace/errors';
import { Trace } from '../src/trace/Trace';
import type { AccessSize } from '../src/bus/GuestAccess';
import type { RecordedAccess, RecordedStep, Recording } from './Recording';

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

/** A parsed recording file. */
export interface RecordingFile {
  /** The header line. */
  readonly header: RecordingHeader;
  /** The guest inputs. */
  readonly recording: Recording;
  /** The recorded run's trace. */
  readonly trace: Trace;
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

const SIZES: readonly number[] = [1, 2, 4, 8];

/**
 * Writes a recording file: JSON lines, a header first, then one
 * `{"step":[time, after, [["r", address, size] | ["w", address, size, value], ...]]}`
 * line per guest step, then the trace's events (canonical trace lines).
 * @param header - the header fields other than `format`, `version`, `events` and `digest`
 * @param recording - the guest inputs
 * @param trace - the run's trace
 * @returns the file's text
 */
export const formatRecordingFile = (header: { readonly scenario: unknown; readonly until: number }, recording: Recording, trace: Trace): string => {
  let text = formatRecordingHeader({ ...header, digest: trace.digest(), events: trace.events.length });
  for (const s of recording.steps) text += formatRecordedStep(s);
  return text + trace.toJsonLines();
};

/**
 * The header line of a recording file (see {@link formatRecordingFile}),
 * for a writer that streams the steps and events and learns the digest and
 * count at the end.
 * @param header - the header fields other than `format` and `version`
 * @returns the line, with its `'\n'`
 */
export const formatRecordingHeader = (header: Omit<RecordingHeader, 'format' | 'version'>): string => {
  const head: RecordingHeader = {
    format: 'ptimer-rx-recording',
    version: RECORDING_FILE_VERSION,
    scenario: header.scenario,
    until: header.until,
    digest: header.digest,
    events: header.events,
  };
  return `${JSON.stringify(head)}\n`;
};

/**
 * One guest step's line of a recording file (see {@link formatRecordingFile}).
 * @param step - the step
 * @returns the line, with its `'\n'`
 */
export const formatRecordedStep = (step: RecordedStep): string => {
  const accesses = step.accesses.map((a) => (a.kind === 'read' ? ['r', a.address, a.size] : ['w', a.address, a.size, a.value ?? 0]));
  return `${JSON.stringify({ step: [step.time, step.after, accesses] })}\n`;
};

const isWhole = (n: unknown): n is number => typeof n === 'number' && Number.isSafeInteger(n) && n >= 0;

const parseAccess = (raw: unknown, line: number): RecordedAccess => {
  if (!Array.isArray(raw)) throw new RecordingFormatError(line, 'access', raw, 'must be ["r", address, size] or ["w", address, size, value]');
  const [kind, address, size, value] = raw as unknown[];
  if (!isWhole(address)) throw new RecordingFormatError(line, 'address', address, 'must be a whole, non-negative number');
  if (!SIZES.includes(size as number)) throw new RecordingFormatError(line, 'size', size, 'must be 1, 2, 4 or 8');
  if (kind === 'r' && raw.length === 3) return { kind: 'read', address, size: size as AccessSize };
  if (kind === 'w' && raw.length === 4 && isWhole(value)) return { kind: 'write', address, size: size as AccessSize, value };
  throw new RecordingFormatError(line, 'access', raw, 'must be ["r", address, size] or ["w", address, size, value]');
};

/**
 * Reads a recording file written by {@link formatRecordingFile}.
 * @param text - the file's text
 * @returns header, inputs and trace
 * @throws RecordingFormatError naming the first bad line
 */
export const parseRecordingFile = (text: string): RecordingFile => {
  const lines = text.split('\n');
  if (lines.at(-1) === '') lines.pop();
  const json = (i: number): unknown => {
    try {
      return JSON.parse(lines[i]!);
    } catch (error) {
      throw new RecordingFormatError(i + 1, '', lines[i], `must be JSON (${error instanceof Error ? error.message : describeValue(error)})`);
    }
  };
  if (text.trim() === '') throw new RecordingFormatError(1, '', text, 'the file is empty; a recording starts with its header line');
  const head = json(0) as Partial<RecordingHeader> | null;
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
  const steps: RecordedStep[] = [];
  let i = 1;
  for (; i < lines.length; i++) {
    const value = json(i) as { step?: unknown } | null;
    if (typeof value !== 'object' || value === null || !('step' in value)) break;
    const step = value.step;
    if (!Array.isArray(step) || step.length !== 3 || !isWhole(step[0]) || !isWhole(step[1]) || !Array.isArray(step[2])) {
      throw new RecordingFormatError(i + 1, 'step', step, 'must be [time, after, [accesses...]] with whole numbers');
    }
    steps.push({ time: step[0], after: step[1], accesses: (step[2] as unknown[]).map((a) => parseAccess(a, i + 1)) });
  }
  const trace = new Trace();
  for (; i < lines.length; i++) {
    try {
      trace.record(canonicalTraceEvent(json(i), i + 1, 'line'));
    } catch (error) {
      if (error instanceof TraceFormatError) {
        throw new RecordingFormatError(i + 1, error.field.startsWith('(') ? '' : error.field, error.value, error.rule, { cause: error });
      }
      throw error;
    }
  }
  if (trace.events.length !== head.events) {
    throw new RecordingFormatError(
      lines.length,
      '',
      trace.events.length,
      `is the number of trace events the file holds, but the header promises ${head.events} (truncated?)`,
    );
  }
  return { header: head as RecordingHeader, recording: { steps }, trace };
};
