import { SystemConfigError } from '../../system/errors';
import type { RecordedStep } from '../../system/Recording';
import type { RecordingFileTotals, RecordingReader } from '../../system/RecordingReader';
import { buildSystem, parseScenario, ScenarioError } from '../../system/scenario';
import { describeValue } from '../../src/shared/describeValue';
import { CliError } from '../CliError';
import { openRecordingFile, RECORDING_CHUNK_BYTES } from '../readRecordingFile';
import { ReplayComparison } from '../replayComparison';
import { reasonOf } from '../writeFileAtomic';

/**
 * An error in the scenario a recording carries, placed in the file: its
 * header is line 1, the scenario its `scenario` field.
 */
const recordedScenarioError = (file: string, error: unknown): unknown => {
  if (error instanceof ScenarioError) {
    const field = error.path === '(root)' ? 'scenario' : `scenario.${error.path}`;
    return new CliError(`${file}: recording line 1, ${field}: ${describeValue(error.value)} is invalid: ${error.rule}`);
  }
  return error instanceof Error && !(error instanceof CliError) ? new CliError(`${file}: recording line 1, scenario: ${error.message}`) : error;
};

/** A read that failed (the file cannot be opened or read: an fs error names its system call). */
const isReadFailure = (error: unknown): boolean => error instanceof Error && typeof (error as NodeJS.ErrnoException).syscall === 'string';

/** An error as the command prints it: the file first (`cannot read <file>: <reason>` when reading it failed). */
const fileError = (file: string, error: unknown): unknown => {
  if (isReadFailure(error)) return new CliError(`cannot read ${file}: ${reasonOf(error)}`);
  return error instanceof Error && !(error instanceof CliError) ? new CliError(`${file}: ${error.message}`) : error;
};

/**
 * The file's steps for the replay, checked for time order as the replay
 * takes them (the rule and message of `System.replay`), and the rest of them
 * read and checked once the replay is over, so that the errors come in the
 * order a whole read reports them.
 */
class OrderedSteps implements Iterator<RecordedStep> {
  private last = 0;
  private index = 0;
  /** The first step out of order (kept: the replay ended there). */
  disorder: SystemConfigError | undefined;

  constructor(private readonly reader: RecordingReader) {}

  next(): IteratorResult<RecordedStep> {
    if (this.disorder !== undefined) throw this.disorder;
    const step = this.reader.nextStep();
    if (step === undefined) return { done: true, value: undefined };
    if (step.time < this.last) {
      this.disorder = new SystemConfigError(
        step.time,
        `must be a whole ns, not before ${this.last} (steps in time order, none before now)`,
        `replay(steps[${this.index}].time)`,
      );
      throw this.disorder;
    }
    this.last = step.time;
    this.index++;
    return { done: false, value: step };
  }

  /** Reads and checks the steps the replay did not take; a format error wins over a step out of order (it comes first in a whole read). */
  drain(): void {
    try {
      while (!this.next().done);
    } catch (error) {
      if (!(error instanceof SystemConfigError)) throw error;
    }
    while (this.reader.nextStep() !== undefined);
  }
}

/** What the replay made, once the whole file has been read and checked. */
interface ReplayOutcome {
  readonly steps: number;
  readonly events: number;
  readonly digest: string;
  readonly recordedDigest: string;
  readonly stoppedAt: number | undefined;
  readonly comparison: ReplayComparison;
}

/**
 * Replays an open recording: the devices of its scenario, its steps as the
 * replay reaches them, each replayed event compared with the next recorded
 * one as it is made. Whatever fails, the rest of the file is read and
 * checked first, so an error is the one a whole read would report: a bad line
 * (in file order), then the scenario, then a step out of order, then the
 * replay's own failure.
 */
const replayRecording = (file: string, reader: RecordingReader): ReplayOutcome => {
  const { header } = reader;
  const steps = new OrderedSteps(reader);
  const comparison = new ReplayComparison(() => reader.nextEvent());
  /** Reads the rest of the file: throws its own first error (in file order), else a step out of order, else `failure`. */
  const settle = (failure?: unknown): RecordingFileTotals => {
    let totals;
    try {
      steps.drain();
      totals = reader.finish();
    } catch (error) {
      throw fileError(file, error);
    }
    if (steps.disorder !== undefined) throw fileError(file, steps.disorder);
    if (failure !== undefined) throw failure;
    return totals;
  };
  let built;
  try {
    built = buildSystem(parseScenario(header.scenario), { guests: false, keepTrace: false, traceSinks: [comparison] });
  } catch (error) {
    settle(recordedScenarioError(file, error));
    throw error;
  }
  const { system } = built;
  // The work is bounded by what the file holds: a replay that makes more events than the recording
  // has already differs from it, so it stops there rather than run to a header's `until` that the
  // recorded inputs do not account for.
  let events = 0;
  const stopWatching = system.watchTrace(() => {
    if (++events > header.events) system.stop();
  });
  let stoppedAt: number | undefined;
  try {
    system.replay({ steps: { [Symbol.iterator]: () => steps } });
    const result = system.run(header.until);
    if (result.reason === 'stopped') stoppedAt = result.time;
    comparison.end();
  } catch (error) {
    settle(fileError(file, error));
  } finally {
    stopWatching();
  }
  const totals = settle();
  return { steps: totals.steps, events: comparison.replayed, digest: system.digest(), recordedDigest: totals.digest, stoppedAt, comparison };
};

/**
 * `ptimer-rx replay trace.jsonl`: rebuilds the recorded system's devices,
 * replays the recorded guest inputs (not the guest programs) and checks the
 * trace digest. The file is read as the replay goes (its steps and its
 * recorded events each by a cursor of their own) and the replayed events are
 * compared with the recorded ones as they are made, so memory stays bounded
 * whatever the recording's length.
 * @param file - the recording (`ptimer-rx run --trace`)
 * @param print - where the report lines go
 * @param chunkBytes - bytes read at a time (tests pass small ones)
 * @returns 0 when the digests match, 1 when they differ (the first differing event is printed)
 */
export const replayCommand = (file: string, print: (line: string) => void, chunkBytes: number = RECORDING_CHUNK_BYTES): number => {
  let opened;
  try {
    opened = openRecordingFile(file, chunkBytes);
  } catch (error) {
    throw fileError(file, error);
  }
  let outcome: ReplayOutcome;
  try {
    outcome = replayRecording(file, opened.reader);
  } finally {
    opened.close();
  }
  const { header } = opened.reader;
  const { digest, stoppedAt } = outcome;
  print(`ptimer-rx replay: ${outcome.steps} guest steps, ${outcome.events} events, digest ${digest}`);
  if (stoppedAt !== undefined) {
    print(`stopped at ${stoppedAt} ns of the header's ${header.until} ns: the replay had made more events than the recording's ${header.events}`);
  }
  if (digest === header.digest && outcome.recordedDigest === header.digest) {
    print(`digest matches the recording (${header.digest})`);
    return 0;
  }
  const first = outcome.comparison.firstDifference!;
  print(`digest differs: recorded ${header.digest}, replayed ${digest}`);
  print(`first difference at event ${first.event}: recorded ${first.recorded}, replayed ${first.replayed}`);
  return 1;
};
