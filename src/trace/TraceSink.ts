import type { TraceEvent } from './TraceEvent';

/**
 * Where trace events go. Operators and devices take a sink rather than a
 * concrete recorder, so a trace can be collected, streamed or ignored.
 */
export interface TraceSink {
  /** Records one event; called synchronously, in event order. */
  record(event: TraceEvent): void;
}
