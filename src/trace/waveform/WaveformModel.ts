/**
 * What a waveform signal shows:
 * - `'wire'`: a one-bit level (`0n` or `1n`), e.g. an interrupt line;
 * - `'vector'`: a multi-bit value held until the next change, e.g. a counter;
 * - `'event'`: instants with no level (each change is one occurrence, value
 *   `1n`), e.g. a guest read or a timer expiry.
 */
export type WaveKind = 'wire' | 'vector' | 'event';

/**
 * One change of a signal. For a wire or vector the value holds from `time`
 * until the signal's next change; for an event it is one occurrence.
 *
 * A vector's value may be `undefined`: from `time` until its next change
 * the value is not known exactly (a counter with more changes in the window
 * than {@link BuildWaveformOptions.maxChanges}, a probe sampled without a
 * forecast), and the exporters say so (`x` in VCD, a `counting` box in
 * WaveDrom and SVG) rather than draw a value it does not have.
 */
export interface WaveChange {
  /** Virtual time (ns), a non-negative safe integer. */
  readonly time: number;
  /**
   * Wire: `0n`/`1n`; vector: the value (unsigned, fits `width` bits), or
   * `undefined` when not known from here on; event: `1n`.
   */
  readonly value: bigint | undefined;
  /**
   * Text to show beside an event (`R VALUE=4`, `W CTRL=0x3`, `violation: …`);
   * for a vector's unknown span, why it is unknown (`counting: more than …`).
   */
  readonly label?: string;
  /**
   * The change's place among all the model's changes at its instant (0 is
   * first), when known: {@link buildWaveform} numbers trace events in trace
   * order and puts probe samples after them. Exporters that can show
   * same-instant order (VCD with `sameInstant: 'delta'`) use it.
   */
  readonly step?: number;
}

/** One row of a waveform: a named signal and its changes, in order. */
export interface WaveSignal {
  /** Dotted hierarchical name, e.g. `timer0.irq`, `guest.timer0.read`. */
  readonly name: string;
  /** What the signal shows: a wire, a vector or events (see {@link WaveKind}). */
  readonly kind: WaveKind;
  /** Bits: 1 for wires and events, the value's width for vectors. */
  readonly width: number;
  /**
   * Changes in non-decreasing time order. Several changes at one instant
   * are kept, in the order they happened (the last one is the value after
   * that instant). A wire or vector has no known value before its first
   * change.
   */
  readonly changes: readonly WaveChange[];
}

/**
 * A waveform: plain, JSON-friendly data (apart from bigint values) that the
 * exporters render: {@link toVcd}, {@link toWaveDrom}, {@link toSvg}.
 *
 * The window is `[start, end]` (ns, inclusive). A wire or vector whose value
 * at `start` is known has a change at `start` giving it (several, if it
 * changed at that very instant).
 *
 * Ordering: signals keep each instant's changes in the order they happened
 * (G4), so same-instant races stay visible in the model even where a format
 * cannot show them.
 *
 * ## Example
 * ```ts
 * const model: WaveformModel = {
 *   start: 0,
 *   end: 100,
 *   signals: [
 *     { name: 'timer0.irq', kind: 'wire', width: 1, changes: [{ time: 0, value: 0n }, { time: 60, value: 1n }] },
 *     { name: 'guest.timer0.read', kind: 'event', width: 1, changes: [{ time: 60, value: 1n, label: 'R VALUE=4' }] },
 *   ],
 * };
 * ```
 *
 * @see buildWaveform to make one from trace events and counter samples
 */
export interface WaveformModel {
  /** The signals, one row each, in model order; names are unique. */
  readonly signals: readonly WaveSignal[];
  /** First instant of the window (ns). */
  readonly start: number;
  /** Last instant of the window (ns), at least `start`. */
  readonly end: number;
}

/**
 * One titled waveform of a drawing with several ({@link toSvg},
 * {@link toWaveDrom}): e.g. the same race run in two delivery modes, drawn
 * on one time axis.
 */
export interface WaveformPanel {
  /** Shown above the panel (SVG) or as its group's name (WaveDrom); `''` draws no title. */
  readonly title: string;
  /** The waveform drawn in the panel. */
  readonly model: WaveformModel;
}
