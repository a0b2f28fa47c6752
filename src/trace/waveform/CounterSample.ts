/**
 * A value of a device probe (usually a counter) at one instant, recorded
 * beside the trace for waveforms. Samples are not trace events: they do not
 * enter the trace digest, so sampling more or less often never changes it.
 */
export interface CounterSample {
  /** Virtual time (ns). */
  readonly time: number;
  /** `<device>.<probe>`, e.g. `timer0.counter`. */
  readonly source: string;
  /** The probe's value at `time` (unsigned, fits `width` bits). */
  readonly value: bigint;
  /** Bits of the value (the vector's width). */
  readonly width: number;
}
