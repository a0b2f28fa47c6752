import { canonicalTraceEvent } from '../src/trace/canonicalTraceEvent';
import type { TraceEvent } from '../src/trace/TraceEvent';
import type { TraceSink } from '../src/trace/TraceSink';
import type { RecordedEventLine } from '../system/RecordingReader';

/** Where a replayed trace first differs from the recorded one. */
export interface TraceDifference {
  /** 1-based number of the event. */
  readonly event: number;
  /** The recorded event's canonical JSON, or `null` past the recorded events. */
  readonly recorded: string;
  /** The replayed event's canonical JSON, or `null` past the replayed events. */
  readonly replayed: string;
}

/**
 * A trace sink that compares each replayed event with the next recorded one
 * as the replay makes it, both as the recording file writes them (canonical
 * JSON), keeping only the first difference and the count: the replay keeps
 * no trace, and the recorded events are read one at a time.
 */
export class ReplayComparison implements TraceSink {
  private count = 0;
  private recordedEnded = false;
  private difference: TraceDifference | undefined;

  /** @param nextRecorded - the next recorded event, `undefined` after the last (a reader's `nextEvent`) */
  constructor(private readonly nextRecorded: () => RecordedEventLine | undefined) {}

  /** Replayed events so far. */
  get replayed(): number {
    return this.count;
  }

  /** Compares one replayed event (once a difference is found, only counts). */
  record(event: TraceEvent): void {
    const n = ++this.count;
    if (this.difference !== undefined) return;
    const replayed = JSON.stringify(canonicalTraceEvent(event, n, 'event'));
    const recorded = this.recordedEnded ? undefined : this.nextRecorded();
    if (recorded === undefined) this.recordedEnded = true;
    if (recorded?.json !== replayed) this.difference = { event: n, recorded: recorded?.json ?? 'null', replayed };
  }

  /**
   * Ends the comparison once the replay is over (before the rest of the
   * recorded events are read): with no differing pair, the first difference
   * is a recorded event past the replayed ones (one more is read), or, when
   * both end together, the event after the last, with neither.
   */
  end(): void {
    if (this.difference !== undefined) return;
    const recorded = this.recordedEnded ? undefined : this.nextRecorded();
    this.recordedEnded = true;
    this.difference = { event: this.count + 1, recorded: recorded?.json ?? 'null', replayed: 'null' };
  }

  /** The first difference (after {@link ReplayComparison.end}, there always is one to name, though digests may still agree). */
  get firstDifference(): TraceDifference | undefined {
    return this.difference;
  }
}
