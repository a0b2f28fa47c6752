import type { Observable } from 'rxjs';
import type { TraceEvent } from '../trace/TraceEvent';
import type { TraceSink } from '../trace/TraceSink';
import type { IrqSignal } from '../shared/IrqSignal';
import type { ValueForecast } from '../shared/ValueForecast';
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
   * Loads a snapshot taken at the current virtual time, all or nothing: a
   * snapshot that is malformed, has fields the format does not, names another
   * device, or describes a state the device cannot reach is refused and
   * nothing changes.
   * @throws a typed error naming the first field at fault by its full path
   *   (the catalogue devices: `RegisterSnapshotError`)
   */
  restore(snapshot: unknown): void;
  /**
   * Events the device itself originates: guest errors, unimplemented
   * features, expiries. Hot; for observers (an error a subscriber throws is
   * rxjs's to report). A system records them through `traceTo`.
   */
  readonly events$: Observable<TraceEvent>;
  /**
   * Connects a synchronous sink that receives every later event the device
   * originates, in order, inside the access or clock step that caused it, so
   * an error the sink throws surfaces there (G5). Devices built on the device
   * kit implement it with an `EventOutlet`; a system falls back to `events$`
   * for a device without it.
   * @param sink - the sink
   * @returns a function that disconnects it
   */
  traceTo?(sink: TraceSink): () => void;
  /**
   * Releases everything the device holds: its timers (no expiry or bottom
   * half runs afterwards), its clock-input listeners and its event streams
   * (completed). Guest accesses afterwards are not supported. A system's
   * `dispose()` calls it; a device without it is only let go of by its
   * system, and keeps its timers on the clock and its clock-input listeners.
   */
  dispose?(): void;
  /**
   * The device's output lines by local name (`{ timint1, timint2, timintc }`),
   * so a system can trace and route them without knowing the device type.
   */
  readonly lines?: Readonly<Record<string, IrqSignal>>;
  /** Side-effect-free views of internal counters, sampled for waveforms. */
  readonly probes?: readonly DeviceProbe[];
  /** The guest-visible registers, so scenarios and labels can use names. */
  readonly registers?: readonly RegisterInfo[];
}

/**
 * A read-only view of a device-internal value (usually a counter). Reading it
 * has no side effect and does not count as a guest access.
 *
 * A probe of a counting value should also say what it will read next
 * ({@link DeviceProbe.forecast}): waveforms then show every tick between two
 * samples. Without it, a waveform knows the value only at the instants it
 * was sampled and shows the spans between as unknown (`x` in VCD,
 * `counting` in WaveDrom and SVG), never a stale value. The device kit
 * builds probes with forecasts: `timerProbe` (a value derived from a
 * PTimer's count) and `cycleCounterProbe` (a free-running count of a clock).
 */
export interface DeviceProbe {
  /** Local name, e.g. `counter` or `timer1.value`. */
  readonly name: string;
  /** Bits the value occupies (a waveform vector's width). */
  readonly width: number;
  /** The value now. */
  read(): bigint;
  /**
   * What the value reads from now on if nothing changes the device (a
   * write, an expiry's work, a clock change): pure, no scheduling. Its value
   * now equals {@link DeviceProbe.read}'s. Return the same object while
   * nothing the value depends on changed, so a recorder keeps one sample per
   * change of state rather than one per event. Optional (see above).
   */
  forecast?(): ValueForecast;
}

/** One guest-visible register: where it is and how wide. */
export interface RegisterInfo {
  /** The register's name in its map (the TRM mnemonic). */
  readonly name: string;
  /** Byte offset of the register in the device's region. */
  readonly offset: number;
  /** The register's width in bytes. */
  readonly size: AccessSize;
  /** Present (true) when a guest read changes the device's state (see `RegisterOptions.readEffects`): reordering tools count such a read as a write. */
  readonly readEffects?: true;
}

/** A device snapshot: versioned plain data. */
export interface DeviceSnapshot {
  /** Name of the device instance that took the snapshot (its `name`); a restore refuses a snapshot of another name (#14). */
  readonly device: string;
  /** Format version of the snapshot; a device refuses a version it does not read. */
  readonly version: number;
  readonly [part: string]: unknown;
}
