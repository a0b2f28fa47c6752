import type { ValueForecast } from '../../shared/ValueForecast';
import type { NumberedSample } from './expandSamples';

/** No `nextChange` result held. */
const NONE = Symbol('none');

/** The span of one sample: from its instant to the next sample of its source. */
interface Span {
  readonly t: number;
  readonly forecast: ValueForecast | undefined;
  current: bigint;
  tau: number;
  /** `nextChange(tau)`, called (and counted) but not yet placed: it lies beyond what is known of the span's end. */
  memo: number | undefined | typeof NONE;
  loopDone: boolean;
  pastDone: boolean;
}

/**
 * What is known of where a span ends when it is advanced: `final` with the
 * next sample's instant (`next`, Infinity for the last span) and the run's
 * last instant (`end`); else only that both lie at or after `at`, the
 * instant being closed, and that the next sample comes after it.
 */
type Bound = { readonly final: true; readonly next: number; readonly end: number } | { readonly final: false; readonly at: number };

/**
 * The streaming form of `expandSamples` over a whole run (the window is
 * `[start, end]`, the run's first and last instants with a change): one
 * source's samples come in as their instants close, and the changes they
 * give come out in the order `expandSamples` lists them, each as soon as it
 * is known (a forecast's change at an instant once that instant closes;
 * whether a span ends unknown once its end is known). Only the open span is
 * held, so a long run is drawn in bounded memory; the cap of changes and the
 * bound on forecast calls are counted as `expandSamples` counts them, so the
 * changes are the same. Past the cap the source is unknown to the end: no
 * more changes, and no forecast is consulted again.
 * @internal
 */
export class SampleStream {
  private budget: number;
  private calls: number;
  private isCapped = false;
  /** The last change given out (none yet while `hasLast` is false): kept as fields, not an object per change (a whole-run VCD has millions). */
  private hasLast = false;
  private lastTime = 0;
  private lastValue: bigint | undefined;
  private span: Span | undefined;

  /**
   * @param maxChanges - the cap of changes computed from forecasts
   * @param out - takes each change, in order: its instant, its step there (`undefined` for none), its value (`undefined`: unknown)
   */
  constructor(
    maxChanges: number,
    private readonly out: (time: number, step: number | undefined, value: bigint | undefined) => void,
  ) {
    this.budget = maxChanges;
    this.calls = 2 * maxChanges + 64;
  }

  /** Whether the source is past its cap: it is unknown to the end, and its samples change nothing. */
  get capped(): boolean {
    return this.isCapped;
  }

  /**
   * Closes instant `at` (one with a change; instants close in time order):
   * the open span gives its changes up to `at`, and the source's samples
   * taken at `at` (maybe none) come out and open their spans.
   */
  advance(at: number, samples: readonly NumberedSample[]): void {
    if (this.isCapped) return;
    if (this.span !== undefined) this.run(this.span, samples.length === 0 ? { final: false, at } : { final: true, next: at, end: at });
    for (let i = 0; i < samples.length; i++) {
      if (this.isCapped) return;
      const { sample, step } = samples[i]!;
      if (!this.show(sample.time, step, sample.value)) return;
      const span: Span = {
        t: sample.time,
        forecast: sample.forecast,
        current: sample.value,
        tau: sample.time,
        memo: NONE,
        loopDone: false,
        pastDone: false,
      };
      this.span = span;
      // Samples of one instant: each span but the last ends where it starts; the last one may end
      // unknown right there (a forecast whose `until` is this instant).
      this.run(span, i < samples.length - 1 ? { final: true, next: at, end: at } : { final: false, at });
    }
  }

  /** The run ended at `end`: the last span ends there. */
  finish(end: number): void {
    if (this.span !== undefined && !this.isCapped) this.run(this.span, { final: true, next: Infinity, end });
    this.span = undefined;
  }

  private push(time: number, step: number | undefined, value: bigint | undefined): void {
    this.hasLast = true;
    this.lastTime = time;
    this.lastValue = value;
    this.out(time, step, value);
  }

  private unknown(time: number): void {
    if (this.hasLast && this.lastValue === undefined && this.lastTime <= time) return; // already unknown
    this.push(time, undefined, undefined);
  }

  /** Shows a known value; false (and unknown from its instant to the end) when it would pass the cap. */
  private show(time: number, step: number, value: bigint): boolean {
    if (this.hasLast && this.lastValue !== value) {
      if (this.budget === 0) {
        this.cap(time);
        return false;
      }
      this.budget--;
    }
    this.push(time, step, value);
    return true;
  }

  private cap(time: number): void {
    this.isCapped = true;
    this.span = undefined;
    this.unknown(time);
  }

  private run(span: Span, bound: Bound): void {
    const f = span.forecast;
    if (f === undefined) {
      if (span.loopDone) return;
      // Known at its instant only: unknown from the next ns, unless a sample is taken there.
      const gap = span.t + 1;
      if (bound.final) {
        if (gap <= Math.min(bound.next, bound.end) && gap < bound.next) this.unknown(gap);
        span.loopDone = true;
      } else if (gap <= bound.at) {
        this.unknown(gap);
        span.loopDone = true;
      }
      return;
    }
    const { until } = f;
    // The span's last instant, or what is known of it so far (it is at least this).
    const limit = bound.final ? Math.min(bound.next, bound.end, until) : Math.min(bound.at, until);
    if (!span.loopDone) this.count(span, f, bound, limit);
    if (this.isCapped) return;
    if (span.loopDone && !span.pastDone) {
      // Past the forecast with no sample to take over.
      if (bound.final) {
        if (until < bound.next && until <= bound.end && until >= span.t) this.unknown(until);
        span.pastDone = true;
      } else if (until <= bound.at) {
        if (until >= span.t) this.unknown(until);
        span.pastDone = true;
      }
    }
  }

  /** Every change the forecast gives up to `limit`, within the cap. */
  private count(span: Span, f: ValueForecast, bound: Bound, limit: number): void {
    const end = (): void => {
      span.loopDone = true;
    };
    for (;;) {
      if (span.memo === NONE) {
        if (!(span.tau < limit)) {
          if (bound.final || span.tau >= f.until) end();
          return;
        }
        if (this.calls === 0) {
          this.cap(span.tau + 1);
          return;
        }
        this.calls--;
        span.memo = f.nextChange(span.tau);
      }
      const at = span.memo;
      if (at === undefined) {
        end();
        return;
      }
      if (at > limit) {
        if (bound.final || at > f.until) end();
        return;
      }
      span.memo = NONE;
      const value = f.valueAt(at);
      if (value !== span.current) {
        if (!this.show(at, 0, value)) return;
        span.current = value;
      }
      span.tau = at;
    }
  }
}
