import type { AccessSize } from '../shared/AccessSize';
import type { GuestErrorReason } from '../shared/GuestErrorReason';
import { hashAccess, hashIrq, hashTraceEvent, isCheckedAccess, isCheckedIrq } from './canonicalTraceEvent';
import { Fnv1a64 } from './Fnv1a64';
import type { TraceEvent } from './TraceEvent';
import { accessEventOf, type TraceSink } from './TraceSink';

/**
 * A trace sink that keeps only a running digest of the events it records, so
 * a long simulation can be checked for determinism in constant memory.
 *
 * The digest is FNV-1a 64 (16 lower-case hex digits) of the UTF-8 bytes of
 * the trace's canonical JSON lines export, so after recording the same events
 * it equals {@link Trace.digest} of a {@link Trace}, and the digest of
 * `trace.toJsonLines()` computed by any FNV-1a 64 implementation. Equal runs
 * give equal digests; a change to any field of any event, or to their order,
 * changes it (barring a 64-bit collision: this is a check for accidents, not
 * a cryptographic hash).
 *
 * Each event is checked as {@link Trace.record} checks it; a bad event
 * throws and leaves the digest as it was.
 *
 * Ordering: records events in call order; equal digests across runs rely on
 * G4 (same inputs, same order of events).
 *
 * ## Example
 * ```ts
 * const run = (sink: TraceSink) => { ... simulate, calling sink.record(event) ... };
 * const a = new TraceDigest(); run(a);
 * const b = new TraceDigest(); run(b);
 * expect(a.digest()).toBe(b.digest()); // same inputs, same trace, bit for bit
 * ```
 *
 * @see Trace for a recorder that keeps the events
 */
export class TraceDigest implements TraceSink {
  private readonly hash = new Fnv1a64();
  private recorded = 0;

  /** How many events have been recorded. */
  get count(): number {
    return this.recorded;
  }

  /**
   * Adds one event to the digest.
   * @param event - the event (any key order; see `canonicalTraceEvent` for the rules)
   * @throws TraceFormatError naming the event's position and the field, for an event that breaks the format
   */
  record(event: TraceEvent): void {
    // The line's bytes go straight into the hash: no canonical copy, no JSON string.
    hashTraceEvent(event, this.hash, this.recorded + 1, 'event');
    this.recorded++;
  }

  /** {@link TraceSink.recordAccess}: the access event's line is hashed from its fields. */
  recordAccess(time: number, source: string, kind: 'read' | 'write', offset: number, size: AccessSize, value: number, error: GuestErrorReason | undefined): void {
    if (!isCheckedAccess(time, source, offset, size, value, error)) {
      this.record(accessEventOf(time, source, kind, offset, size, value, error)); // throws what record says
      return;
    }
    hashAccess(this.hash, time, source, kind, offset, size, value, error);
    this.recorded++;
  }

  /** Records the irq event `{ time, source, kind: 'irq', level }` given as its fields, as {@link TraceDigest.recordAccess} does an access. */
  recordIrq(time: number, source: string, level: boolean): void {
    if (!isCheckedIrq(time, source, level)) {
      this.record({ time, source, kind: 'irq', level }); // throws what record says
      return;
    }
    hashIrq(this.hash, time, source, level);
    this.recorded++;
  }

  /**
   * The digest of the events so far: 16 lower-case hex digits. Recording may
   * go on afterwards. An empty trace has the FNV-1a 64 offset basis,
   * `cbf29ce484222325`.
   */
  digest(): string {
    return this.hash.hex();
  }
}
