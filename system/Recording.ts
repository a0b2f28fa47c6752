import type { AccessSize } from '../src/bus/GuestAccess';

/** One recorded guest access, at an absolute bus address. */
export interface RecordedAccess {
  /** A load or a store. */
  readonly kind: 'read' | 'write';
  /** Absolute bus address. */
  readonly address: number;
  /** Bytes. */
  readonly size: AccessSize;
  /** The value written (writes only). */
  readonly value?: number;
}

/**
 * The accesses one guest step made (one run of a guest's clock work, or its
 * start), and where the step ran: its instant, and how many device (non-guest)
 * events had run at that instant before it.
 */
export interface RecordedStep {
  /** Virtual time of the step (ns). */
  readonly time: number;
  /** Device (non-guest) events that ran at `time` before the step. */
  readonly after: number;
  /** The step's accesses, in order. */
  readonly accesses: readonly RecordedAccess[];
}

/** A system's guest inputs, in the order they happened (see `System.recording`). */
export interface Recording {
  /** Guest steps in the order they ran. */
  readonly steps: readonly RecordedStep[];
}

/**
 * Where a system streams its guest inputs when it is asked to (see
 * `SystemOptions.recordInputs`): each guest step once it is complete, in the
 * order the steps ran, so a long run can write them out instead of keeping
 * them.
 */
export interface RecordedStepSink {
  /** Takes one complete step; called synchronously, in step order. */
  record(step: RecordedStep): void;
}
