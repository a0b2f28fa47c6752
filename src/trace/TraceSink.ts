import type { GuestErrorReason } from '../shared/GuestErrorReason';
import type { AccessSize } from '../shared/AccessSize';
import type { TraceEvent } from './TraceEvent';

/**
 * Where trace events go. Operators and devices take a sink rather than a
 * concrete recorder, so a trace can be collected, streamed or ignored.
 */
export interface TraceSink {
  /** Records one event; called synchronously, in event order. */
  record(event: TraceEvent): void;
  /**
   * Optional: records one access event given as its fields, exactly as
   * `record` would record the `AccessEvent` `{ time, source, kind, offset,
   * size, value, error }` (`error` left out when undefined). A guest access
   * is the most frequent event of a run: a sink that has this method is
   * given accesses this way, without an object per access ({@link Trace} and
   * {@link TraceDigest} have it). A sink without it gets `record`.
   */
  recordAccess?: AccessRecorder;
}

/**
 * An access event given as its fields: `{ time, source, kind, offset, size,
 * value, error }`, `error` left out when undefined (see
 * {@link TraceSink.recordAccess}).
 */
export type AccessRecorder = (
  time: number,
  source: string,
  kind: 'read' | 'write',
  offset: number,
  size: AccessSize,
  value: number,
  error: GuestErrorReason | undefined,
) => void;

/** The `AccessEvent` a {@link TraceSink.recordAccess} call stands for. @internal */
export const accessEventOf = (...[time, source, kind, offset, size, value, error]: Parameters<AccessRecorder>): TraceEvent =>
  error === undefined ? { time, source, kind, offset, size, value } : { time, source, kind, offset, size, value, error };
