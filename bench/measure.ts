/**
 * Timing of one variant on one run spec, with the self-check.
 *
 * A hand-rolled loop rather than tinybench: each sample is a macro run of
 * 0.01-2 s that needs a fresh set of N timers (set-up excluded from the
 * timing, but measured), a count check after it, and interleaving with the
 * other variants so that load from other processes hits all of them alike.
 * tinybench's per-task iteration model fits none of that without hooks that
 * would carry most of the logic anyway.
 */
import { performance } from 'node:perf_hooks';
import v8 from 'node:v8';
import vm from 'node:vm';
import type { Variant } from './variants';
import type { RunSpec } from './workload';

/** A full GC between samples, so one variant's garbage is not collected on another's clock. */
export const collectGarbage: () => void = (() => {
  v8.setFlagsFromString('--expose-gc');
  const gc: unknown = vm.runInNewContext('gc');
  return typeof gc === 'function' ? (gc as () => void) : () => {};
})();

/** One timed run. */
export interface Sample {
  readonly setupMs: number;
  readonly runMs: number;
}

/** Thrown when a variant ran a different number of events than the workload implies. */
export class WrongCountError extends Error {
  constructor(variant: string, spec: RunSpec, detail: string) {
    super(`${variant} at N=${spec.n} (horizon ${spec.horizon} ns): ${detail}; expected ${spec.expected} events`);
    this.name = 'WrongCountError';
  }
}

/** Prepares, runs and checks `variant` once on `spec`. */
export const sample = (variant: Variant, spec: RunSpec): Sample => {
  collectGarbage();
  const t0 = performance.now();
  const prepared = variant.prepare(spec);
  const t1 = performance.now();
  collectGarbage();
  const t2 = performance.now();
  prepared.run();
  const t3 = performance.now();
  const counts = prepared.counts();
  const wrong = Object.entries(counts).filter(([, v]) => v !== spec.expected);
  if (wrong.length > 0) {
    throw new WrongCountError(variant.id, spec, wrong.map(([k, v]) => `${k} = ${v}`).join(', '));
  }
  const problems = prepared.problems?.() ?? [];
  if (problems.length > 0) throw new WrongCountError(variant.id, spec, problems.join('; '));
  return { setupMs: t1 - t0, runMs: t3 - t2 };
};

/** Median of a non-empty list. */
export const median = (xs: readonly number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 === 1 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
};
