import { configure, type Context } from 'rxjs-marbles';
import { expect } from 'vitest';

export type { Context } from 'rxjs-marbles';

interface Message {
  readonly frame: number;
  readonly notification: { readonly kind: 'N' | 'E' | 'C'; readonly value?: unknown; readonly error?: unknown };
}

const isMessage = (x: unknown): x is Message => typeof x === 'object' && x !== null && 'frame' in x && 'notification' in x;

/** TestScheduler messages as `[frame, value]` pairs, so a failing assertion shows a short diff. */
const compact = (x: unknown): unknown => {
  if (!Array.isArray(x) || !x.every(isMessage)) return x;
  return x.map(({ frame, notification: n }) =>
    n.kind === 'N' ? [frame, n.value] : n.kind === 'C' ? [frame, '<complete>'] : [frame, '<error>', n.error],
  );
};

/**
 * Frames a marble test runs for unless it sets `m.scheduler.maxFrames`
 * itself: periodic timers never let the scheduler go idle, and in run mode
 * rxjs would otherwise flush forever. Work due later never runs.
 */
export const DEFAULT_HORIZON_FRAMES = 1_000;

const configured = configure({
  run: true,
  assert: (value: unknown, message: string) => expect(value, message).toBeTruthy(),
  assertDeepEqual: (actual: unknown, expected: unknown) => expect(compact(actual)).toStrictEqual(compact(expected)),
  frameworkMatcher: true,
}).marbles;

/**
 * rxjs-marbles for vitest: `it('…', marbles((m) => { … }))` runs the body on a
 * fresh rxjs `TestScheduler` in run mode (one frame = one unit of
 * `m.scheduler.now()`; see {@link nsScheduler} for timers) and checks
 * `m.expect(…).toBeObservable(…)` with vitest's `expect`. The run stops at
 * {@link DEFAULT_HORIZON_FRAMES} unless the body sets `m.scheduler.maxFrames`.
 *
 * Ordering: the TestScheduler runs same-frame work FIFO by when it was
 * scheduled (G4), so a sync group `(ab)` in an expected marble means "same
 * instant, in this order".
 *
 * ## Example
 * ```ts
 * it('G1: reload and IRQ in one step', marbles((m) => {
 *   m.expect(events$).toBeObservable('----(ti)', { t: 'expiry', i: 'irq=1' });
 * }));
 * ```
 * @param test - the test body
 * @returns a vitest test function
 */
export const marbles = (test: (m: Context) => void): (() => void) =>
  configured((m: Context) => {
    test(m);
    // run() sets maxFrames to Infinity before calling us; bound the flush that follows.
    if (m.scheduler.maxFrames === Number.POSITIVE_INFINITY) m.scheduler.maxFrames = DEFAULT_HORIZON_FRAMES;
  });
