import { canonicalTraceEvent } from '../src/trace/canonicalTraceEvent';
import type { TraceEvent } from '../src/trace/TraceEvent';
import type { TraceSink } from '../src/trace/TraceSink';
import type { RecordedStep, RecordedStepSink } from '../system/Recording';
import { formatRecordedStep, formatRecordingHeader, type RecordingHeader } from '../system/RecordingFile';
import type { StreamedFiles } from './writeFileAtomic';

/** A recording file (`run --trace`) written while the run goes. */
export interface RecordingFileStream {
  /** Takes the run's trace events (give it to the system's `traceSinks`). */
  readonly events: TraceSink;
  /** Takes the run's guest steps (the system's `recordInputs`). */
  readonly steps: RecordedStepSink;
  /** Writes the file: the header (known only now: digest and count), the steps, then the events. */
  finish(header: Omit<RecordingHeader, 'format' | 'version'>): void;
}

/**
 * Streams a recording file (the format of `formatRecordingFile`, byte for
 * byte) to `path` through `files`: the steps and the events each go to a
 * scratch file as they happen, and `finish` writes the header and copies
 * both after it, so the run keeps neither in memory.
 */
export const streamRecordingFile = (files: StreamedFiles, path: string): RecordingFileStream => {
  const steps = files.scratch(path, 'steps');
  const events = files.scratch(path, 'events');
  let count = 0;
  return {
    events: {
      record: (event: TraceEvent): void => {
        count++;
        events.write(`${JSON.stringify(canonicalTraceEvent(event, count, 'event'))}\n`);
      },
    },
    steps: { record: (step: RecordedStep): void => steps.write(formatRecordedStep(step)) },
    finish: (header) => {
      const out = files.output(path);
      out.write(formatRecordingHeader(header));
      for (const chunk of steps.read()) out.write(chunk);
      for (const chunk of events.read()) out.write(chunk);
    },
  };
};
