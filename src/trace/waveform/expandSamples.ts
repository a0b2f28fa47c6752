import type { CounterSample } from './CounterSample';
import type { WaveChange } from './WaveformModel';

/** A sample with its place among the changes of its instant. */
export interface NumberedSample {
  readonly sample: CounterSample;
  readonly step: number;
}

/** Why a span of a counter is shown unknown: the labels of its `undefined` changes. */
export const UNKNOWN_REASONS = {
  /** More changes in the window than the cap allows. */
  cap: (max: number): string => `counting: more than ${max} changes in the window`,
  /** A probe without a forecast: known at its samples only. */
  sampled: 'counting: sampled only (the probe has no forecast)',
  /** After the forecast's `until` with no sample to take over (the expiry there was not sampled). */
  past: 'counting: past its forecast (not sampled after the expiry)',
} as const;

/**
 * The changes of one probe's vector inside `[start, end]`, from its samples
 * (in time order): each sample's value at its instant, then, from its
 * forecast, every change up to the next sample (including one at the next
 * sample's instant, before the work there: a tick happens at the start of
 * its instant). The first value shown is free; each later change of value,
 * from a sample or a forecast, counts against `maxChanges`, and the change
 * that would pass it makes the counter unknown from its instant to the end
 * of the window: what is written stays bounded however long the window, and
 * no forecast is consulted past the cap. Where a value is not known the
 * change has value `undefined` and a label saying why: past the cap,
 * between samples without a forecast, or past a forecast's `until`. The
 * value at `start` comes first, when the source was sampled before it.
 *
 * @internal
 * @param samples - one source's samples, numbered, in time order
 * @param start - the window's first instant
 * @param end - the window's last instant
 * @param maxChanges - most changes of value after the first
 * @returns the changes, in time order
 */
export const expandSamples = (samples: readonly NumberedSample[], start: number, end: number, maxChanges: number): WaveChange[] => {
  const out: WaveChange[] = [];
  let budget = maxChanges;
  // nextChange may return instants where the value turns out the same: bound the calls as well.
  let calls = 2 * maxChanges + 64;
  let capped = false;
  const capLabel = UNKNOWN_REASONS.cap(maxChanges);
  const unknown = (time: number, label: string): void => {
    const last = out.at(-1);
    if (last !== undefined && last.value === undefined && last.time <= time) return; // already unknown
    out.push({ time, value: undefined, label });
  };
  /** Shows a known value; false (and unknown from its instant on) when it would pass the cap. */
  const show = (change: WaveChange): boolean => {
    const last = out.at(-1);
    if (last !== undefined && last.value !== change.value) {
      if (budget === 0) {
        capped = true;
        unknown(change.time, capLabel);
        return false;
      }
      budget--;
    }
    out.push(change);
    return true;
  };
  for (let i = 0; i < samples.length && !capped; i++) {
    const { sample, step } = samples[i]!;
    const t = sample.time;
    if (t > end) break;
    // The span of this sample ends where the next one is taken (that instant's start-of-instant value included).
    const next = samples[i + 1]?.sample.time ?? Infinity;
    if (next < start) continue;
    if (t >= start && !show({ time: t, step, value: sample.value })) break;
    const from = Math.max(t, start);
    const hi = Math.min(next, end);
    const f = sample.forecast;
    if (f === undefined) {
      // Known at its instant only; a value taken at `next` itself needs no unknown span before it.
      const gap = t < start ? start : t + 1;
      if (gap <= hi && gap < next) unknown(gap, UNKNOWN_REASONS.sampled);
      continue;
    }
    const until = f.until;
    let current: bigint;
    if (t < start) {
      if (start > until) {
        if (start < next) unknown(start, UNKNOWN_REASONS.past);
        continue;
      }
      current = f.valueAt(start);
      if (!show({ time: start, value: current })) break;
    } else {
      current = sample.value;
    }
    const last = Math.min(hi, until);
    for (let tau = from; tau < last; ) {
      if (calls === 0) {
        capped = true;
        unknown(tau + 1, capLabel);
        break;
      }
      calls--;
      const at = f.nextChange(tau);
      if (at === undefined || at > last) break;
      const value = f.valueAt(at);
      if (value !== current) {
        if (!show({ time: at, step: 0, value })) break;
        current = value;
      }
      tau = at;
    }
    if (capped) break;
    // Past the forecast with no sample to take over: what the work at `until` did is not known here.
    if (until < next && until <= end && until >= from) unknown(until, UNKNOWN_REASONS.past);
  }
  return out;
};
