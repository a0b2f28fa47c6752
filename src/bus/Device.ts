import type { Observable } from 'rxjs';
import type { TraceEvent } from '../trace/TraceEvent';
import type { AccessSize } from './GuestAccess';

/**
 * A device the guest can access: a region of registers. Guest accesses never
 * throw: a bad one (see `GuestErrorReason`) emits a `guest-error` event on
 * `events$`, reads 0 and changes nothing.
 *
 * Member order in device classes (STYLE.md 17): constructor, then
 * `read/write/reset/snapshot/restore`, then public lines (`irq$`, …),
 * then private callbacks and `updateIrq`, then fields.
 */
export interface Device {
  /** Name used as the `source` of its trace events (kebab-case hardware name, or an instance name). */
  readonly name: string;
  /**
   * A guest load.
   * @returns the value read (0 for a refused access)
   */
  read(offset: number, size: AccessSize): number;
  /** A guest store. */
  write(offset: number, size: AccessSize, value: number): void;
  /** Hardware reset: registers to their reset values, timers to their initial configuration. */
  reset(): void;
  /** The device's whole state as JSON-safe, versioned data. */
  snapshot(): DeviceSnapshot;
  /**
   * Loads a snapshot taken at the current virtual time.
   * @throws a typed error naming the first malformed field
   */
  restore(snapshot: unknown): void;
  /** Events the device itself originates: guest errors, unimplemented features, expiries. Hot. */
  readonly events$: Observable<TraceEvent>;
}

/** A device snapshot: versioned plain data. */
export interface DeviceSnapshot {
  readonly device: string;
  readonly version: number;
  readonly [part: string]: unknown;
}
