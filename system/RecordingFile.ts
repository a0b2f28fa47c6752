import { Trace } from '../src/trace/Trace';
import type { RecordedStep, Recording } from './Recording';
import { RECORDING_FILE_VERSION, type RecordingHeader } from './RecordingHeader';
import { RecordingReader, textLines } from './RecordingReader';

export { RECORDING_FILE_VERSION, RecordingFormatError, type RecordingHeader } from './RecordingHeader';

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

/**
 * Reads a recording file written by {@link formatRecordingFile}.
 * @param text - the file's text
 * @returns header, inputs and trace
 * @throws RecordingFormatError naming the first bad line
 */
export const parseRecordingFile = (text: string): RecordingFile => {
  // The streaming reader makes every check, so a file read whole and one read as it replays fail alike.
  const reader = new RecordingReader(() => textLines(text));
  const steps: RecordedStep[] = [];
  for (let step = reader.nextStep(); step !== undefined; step = reader.nextStep()) steps.push(step);
  const trace = new Trace();
  for (let line = reader.nextEvent(); line !== undefined; line = reader.nextEvent()) trace.record(line.event);
  reader.finish();
  return { header: reader.header, recording: { steps }, trace };
};
