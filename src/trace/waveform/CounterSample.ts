import type { ValueForecast } from '../../shared/ValueForecast';

/**
 * A value of a device probe (usually a counter) at one instant, recorded
 * beside the trace for waveforms. Samples are not trace events: they do not
 * enter the trace digest, so sampling more or less often never changes it.
 *
 * With a `forecast`, the sample also says what the value reads after
 * `time`, until the next sample of its source: {@link buildWaveform} draws
 * every change inside the window from it. Without one, the value is known
 * at `time` only, and the span up to the next sample is shown as unknown.
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
  /**
   * What the value reads from `time` on, if nothing changes the device
   * before the next sample of this source (the system recorder samples
   * after every piece of work, so nothing does).
   */
  readonly forecast?: ValueForecast;
}

/**
 * Where probe samples go as they are taken (see `SystemOptions.sampleSinks`):
 * a streaming waveform writer such as {@link VcdStream} takes them instead of
 * a kept list.
 */
export interface CounterSampleSink {
  /**
   * Takes one sample; called synchronously, each source's samples in time
   * order. Returning `false` says the sink needs no more samples of this
   * source (a writer past its cap draws nothing more of it): the system
   * recorder then stops sampling the source for this sink, which saves
   * asking its probe for a forecast after every piece of work.
   */
  sample(sample: CounterSample): boolean | void;
}
