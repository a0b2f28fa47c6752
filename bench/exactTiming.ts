/**
 * Exact timing against QEMU timing: N periodic PTimers clocked at 24 MHz
 * (41⅔ ns a cycle, where the two timings differ), timer i reloading
 * `24 + i` cycles, with the device callback of the main benchmark (raise and
 * lower an interrupt line), run to about a fixed number of expiries. Both
 * timings run the same configuration in this process, interleaved; each
 * run's clock events are checked against the closed-form expiry count of its
 * own timing (QEMU: whole-ns rounds ⌊d·raw/2^32⌋ with raw = ⌊10^9·2^32/hz⌋;
 * exact: the k-th expiry at ⌊k·d·10^9/hz⌋), so a timing that skipped or
 * doubled an expiry fails the benchmark.
 */
import { performance } from 'node:perf_hooks';
import { IrqLine } from '../src/irq/IrqLine';
import { PTimer, type PTimerPolicy } from '../src/ptimer';
import type { PTimerTiming } from '../src/ptimer/PTimerSnapshot';
import { VirtualClock } from '../src/clock/VirtualClock';
import { median } from './measure';

const HZ = 24_000_000n;
const POLICY: readonly PTimerPolicy[] = [];

/** A run that did not deliver the expiries its timing's closed form says. */
export class ExactTimingBenchError extends Error {
  override readonly name = 'ExactTimingBenchError';
}

/** Options of {@link measureExactTiming}. */
export interface ExactTimingOptions {
  readonly n?: number;
  readonly events?: number;
  readonly reps?: number;
  readonly warmups?: number;
}

/** One timing's figures. */
export interface ExactTimingRow {
  readonly timing: PTimerTiming;
  readonly expiries: number;
  readonly medianEventsPerSec: number;
  readonly minEventsPerSec: number;
  readonly maxEventsPerSec: number;
}

/** What {@link measureExactTiming} gives. */
export interface ExactTimingResult {
  readonly n: number;
  readonly horizon: number;
  readonly reps: number;
  readonly warmups: number;
  readonly rows: readonly ExactTimingRow[];
  /** Exact over QEMU, median events/s. */
  readonly ratio: number;
}

/** Expiries due at or before `horizon` for timer of `d` cycles, in closed form. */
const expected = (timing: PTimerTiming, d: bigint, horizon: bigint): bigint => {
  if (timing === 'qemu') {
    const raw = (1_000_000_000n << 32n) / HZ;
    return horizon / ((d * raw) >> 32n);
  }
  // k·d·10^9/hz < horizon + 1  ⇔  k < (horizon + 1)·hz / (d·10^9)
  const num = (horizon + 1n) * HZ;
  const den = d * 1_000_000_000n;
  return (num + den - 1n) / den - 1n;
};

const runOnce = (timing: PTimerTiming, n: number, horizon: number): number => {
  const clock = new VirtualClock({ maxEventsPerInstant: 10_000_000 });
  let triggers = 0;
  for (let i = 0; i < n; i++) {
    const line = new IrqLine(`t${i}.irq`);
    const timer = new PTimer(clock, {
      timing,
      policy: POLICY,
      name: `t${i}`,
      onTrigger: () => {
        triggers++;
        line.raise();
        line.lower();
      },
    });
    timer.transaction((t) => {
      t.setPeriodFromClock(HZ);
      t.setLimit(24 + i, true);
      t.run(false);
    });
  }
  let want = 0n;
  for (let i = 0; i < n; i++) want += expected(timing, BigInt(24 + i), BigInt(horizon));
  const start = performance.now();
  clock.advanceTo(horizon);
  const ms = performance.now() - start;
  if (BigInt(triggers) !== want) throw new ExactTimingBenchError(`${timing}: ${triggers} expiries, closed form says ${want}`);
  return triggers / (ms / 1000);
};

/**
 * Measures PTimer events/s in both timings at N timers.
 * @param options - N (default 10 000), target expiries per run (1 000 000), reps (7), warm-ups (2)
 */
export const measureExactTiming = (options: ExactTimingOptions = {}): ExactTimingResult => {
  const n = options.n ?? 10_000;
  const events = options.events ?? 1_000_000;
  const reps = options.reps ?? 7;
  const warmups = options.warmups ?? 2;
  // Mean round ≈ (24 + n/2)·41.67 ns; a horizon giving about `events` expiries over all timers.
  const meanRound = (24 + n / 2) * (1e9 / Number(HZ));
  const horizon = Math.ceil((events / n) * meanRound);
  const timings: readonly PTimerTiming[] = ['qemu', 'exact'];
  for (let w = 0; w < warmups; w++) for (const t of timings) runOnce(t, n, horizon);
  const samples = new Map<PTimerTiming, number[]>(timings.map((t) => [t, []]));
  for (let r = 0; r < reps; r++) {
    for (let k = 0; k < timings.length; k++) {
      const t = timings[(k + r) % timings.length]!;
      samples.get(t)!.push(runOnce(t, n, horizon));
    }
  }
  const rows = timings.map((timing): ExactTimingRow => {
    const s = samples.get(timing)!;
    let exp = 0n;
    for (let i = 0; i < n; i++) exp += expected(timing, BigInt(24 + i), BigInt(horizon));
    return { timing, expiries: Number(exp), medianEventsPerSec: median(s), minEventsPerSec: Math.min(...s), maxEventsPerSec: Math.max(...s) };
  });
  return { n, horizon, reps, warmups, rows, ratio: rows[1]!.medianEventsPerSec / rows[0]!.medianEventsPerSec };
};

/** The report section. */
export const renderExactTiming = (r: ExactTimingResult): string[] => {
  const int = (x: number): string => Math.round(x).toLocaleString('en-US');
  return [
    '## Exact timing',
    '',
    `${int(r.n)} periodic PTimers at 24 MHz (41⅔ ns a cycle), timer i reloading 24 + i cycles, LEGACY_POLICY, each callback ` +
      `raising and lowering an interrupt line; run to ${int(r.horizon)} ns. QEMU and exact timing interleaved in one process ` +
      `(${r.warmups} untimed warm-ups each, then ${r.reps} timed runs each, order alternating); each run's expiries checked ` +
      'against its own timing\'s closed form.',
    '',
    '| Timing | Expiries | Events/s median | Min | Max |',
    '|---|--:|--:|--:|--:|',
    ...r.rows.map((row) => `| ${row.timing} | ${int(row.expiries)} | ${int(row.medianEventsPerSec)} | ${int(row.minEventsPerSec)} | ${int(row.maxEventsPerSec)} |`),
    '',
    `Exact timing runs at **${r.ratio.toFixed(2)}×** QEMU timing (target ≥ 0.8×: ${r.ratio >= 0.8 ? 'PASS' : 'FAIL'}).`,
    '',
  ];
};
