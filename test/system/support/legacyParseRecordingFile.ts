/**
 * The whole-file recording reader as it was before the streaming reader
 * (`parseRecordingFile` of the first recording format, reading every line of
 * a string): kept as the oracle the streaming reader's errors are checked
 * against, message for message and line for line.
 */
import { describeValue } from '../../../src/shared/describeValue';
import { canonicalTraceEvent } from '../../../src/trace/canonicalTraceEvent';
import { TraceFormatError } from '../../../src/trace/errors';
import { Trace } from '../../../src/trace/Trace';
import type { AccessSize } from '../../../src/bus/GuestAccess';
import type { RecordedAccess, RecordedStep } from '../../../system/Recording';
import { RECORDING_FILE_VERSION, RecordingFormatError, type RecordingFile, type RecordingHeader } from '../../../system/RecordingFile';

const SIZES: readonly number[] = [1, 2, 4, 8];
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
export const legacyParseRecordingFile = (text: string): RecordingFile => {
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
