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
 * A recording file is malformed. The message names the line, what is wrong
 * and the rule.
 */
export class RecordingFormatError extends TypeError {
  /** Always `'RecordingFormatError'`. */
  override readonly name: string = 'RecordingFormatError';
  /**
   * Builds the message from its parts.
   * @param line - 1-based line number
   * @param rule - what is wrong, in words
   * @param options - `cause` when a trace line failed to parse
   */
  constructor(
    readonly line: number,
    readonly rule: string,
    options?: ErrorOptions,
  ) {
    super(`recording line ${line}: ${rule}`, options);
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
  const head: RecordingHeader = {
    format: 'ptimer-rx-recording',
    version: RECORDING_FILE_VERSION,
    scenario: header.scenario,
    until: header.until,
    digest: trace.digest(),
    events: trace.events.length,
  };
  let text = `${JSON.stringify(head)}\n`;
  for (const s of recording.steps) {
    const accesses = s.accesses.map((a) => (a.kind === 'read' ? ['r', a.address, a.size] : ['w', a.address, a.size, a.value ?? 0]));
    text += `${JSON.stringify({ step: [s.time, s.after, accesses] })}\n`;
  }
  return text + trace.toJsonLines();
};

const isWhole = (n: unknown): n is number => typeof n === 'number' && Number.isSafeInteger(n) && n >= 0;

const parseAccess = (raw: unknown, line: number): RecordedAccess => {
  if (!Array.isArray(raw)) throw new RecordingFormatError(line, 'an access must be ["r", address, size] or ["w", address, size, value]');
  const [kind, address, size, value] = raw as unknown[];
  if (!isWhole(address)) throw new RecordingFormatError(line, `address ${JSON.stringify(address)} must be a whole, non-negative number`);
  if (!SIZES.includes(size as number)) throw new RecordingFormatError(line, `size ${JSON.stringify(size)} must be 1, 2, 4 or 8`);
  if (kind === 'r' && raw.length === 3) return { kind: 'read', address, size: size as AccessSize };
  if (kind === 'w' && raw.length === 4 && isWhole(value)) return { kind: 'write', address, size: size as AccessSize, value };
  throw new RecordingFormatError(line, `access ${JSON.stringify(raw)} must be ["r", address, size] or ["w", address, size, value]`);
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
      throw new RecordingFormatError(i + 1, `not JSON (${error instanceof Error ? error.message : String(error)})`);
    }
  };
  if (text.trim() === '') throw new RecordingFormatError(1, 'the file is empty; a recording starts with its header line');
  const head = json(0) as Partial<RecordingHeader> | null;
  if (typeof head !== 'object' || head === null || head.format !== 'ptimer-rx-recording') {
    throw new RecordingFormatError(1, 'the first line must be a ptimer-rx-recording header (write the file with `ptimer-rx run --trace`)');
  }
  if (head.version !== RECORDING_FILE_VERSION) {
    throw new RecordingFormatError(1, `version ${JSON.stringify(head.version)} is not supported (this version reads ${RECORDING_FILE_VERSION})`);
  }
  if (!isWhole(head.until)) throw new RecordingFormatError(1, `until ${JSON.stringify(head.until)} must be whole ns`);
  if (typeof head.digest !== 'string' || !/^[0-9a-f]{16}$/.test(head.digest)) {
    throw new RecordingFormatError(1, `digest ${JSON.stringify(head.digest)} must be 16 hex digits`);
  }
  if (!isWhole(head.events)) throw new RecordingFormatError(1, `events ${JSON.stringify(head.events)} must be a whole number`);
  const steps: RecordedStep[] = [];
  let i = 1;
  for (; i < lines.length; i++) {
    const value = json(i) as { step?: unknown } | null;
    if (typeof value !== 'object' || value === null || !('step' in value)) break;
    const step = value.step;
    if (!Array.isArray(step) || step.length !== 3 || !isWhole(step[0]) || !isWhole(step[1]) || !Array.isArray(step[2])) {
      throw new RecordingFormatError(i + 1, 'a step must be [time, after, [accesses...]] with whole numbers');
    }
    steps.push({ time: step[0], after: step[1], accesses: (step[2] as unknown[]).map((a) => parseAccess(a, i + 1)) });
  }
  const trace = new Trace();
  for (; i < lines.length; i++) {
    try {
      trace.record(canonicalTraceEvent(json(i), i + 1, 'line'));
    } catch (error) {
      if (error instanceof TraceFormatError) throw new RecordingFormatError(i + 1, error.message, { cause: error });
      throw error;
    }
  }
  if (trace.events.length !== head.events) {
    throw new RecordingFormatError(lines.length, `the header promises ${head.events} trace events but the file holds ${trace.events.length} (truncated?)`);
  }
  return { header: head as RecordingHeader, recording: { steps }, trace };
};
