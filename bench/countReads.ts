/**
 * Count reads: `PTimer.getCount()` must cost the same whatever the timer's
 * rate and however long it has run, because the count is computed from the
 * anchor, the deadline and the period on read (STYLE.md 11), never stepped.
 *
 * Four periodic timers, limit 2^32 − 1: 1 kHz read just after start (the
 * reference), 1 GHz read after one virtual hour, and a fractional period
 * (`setFreq(3e9)`, 1/3 ns: the 64.32 division path) just after start and
 * after the hour. Each is read many times at one instant; the clock events
 * run to reach the hour are checked against the closed-form expiry count, so
 * a timer that scheduled per tick (or skipped expiries) fails the benchmark.
 */
import { PTimer, type PTimerPolicy } from '../src/ptimer';
import { VirtualClock } from '../src/clock/VirtualClock';
import { median } from './measure';

/** The hardware-like policy of the main benchmark's `ptimer-hw` variant (bench/variants.ts). */
const POLICY = ['WRAP_AFTER_ONE_PERIOD', 'NO_COUNTER_ROUND_DOWN'] as const satisfies readonly PTimerPolicy[];
/** Reload value of every timer: the largest 32-bit count. */
const LIMIT = 2 ** 32 - 1;
/** One virtual hour, ns. */
export const HOUR_NS = 3_600_000_000_000;
/** "Just after start": read this many ns after the timer started (off the anchor instant, like the hour's reads). */
const AFTER_START_NS = 1_234;

/** A count read benchmark went wrong: wrong number of clock events, or a count that cannot be right. */
export class CountReadsError extends Error {
  override readonly name = 'CountReadsError';
}

/** One timer configuration measured. */
export interface CountReadsRow {
  readonly id: string;
  readonly label: string;
  /** Virtual time at which the reads are made (ns since the timer started). */
  readonly at: number;
  /** Expiries that fall due by `at`, in closed form. */
  readonly expectedExpiries: number;
  /** Clock events the advance ran (checked equal to `expectedExpiries` and to the triggers delivered). */
  readonly clockEvents: number;
  /** Wall time of the advance to `at` (ms, first run). */
  readonly advanceMs: number;
  /** The count read (the same on every call: time does not move while reading). */
  readonly count: bigint;
  readonly medianNs: number;
  readonly minNs: number;
  readonly maxNs: number;
  /** Median over the reference row's median. */
  readonly ratio: number;
  /** The row this one is compared with (its own row for the reference). */
  readonly versus: string;
}

/** What {@link measureCountReads} gives. */
export interface CountReadsResult {
  readonly callsPerSample: number;
  readonly reps: number;
  readonly warmups: number;
  readonly rows: readonly CountReadsRow[];
  /** 1 GHz after an hour over 1 kHz after start (median ns per call). */
  readonly ratio: number;
}

/** Options of {@link measureCountReads}. */
export interface CountReadsOptions {
  /** `getCount` calls per timed sample (default 1 000 000). */
  readonly calls?: number;
  /** Timed samples per row (default 7). */
  readonly reps?: number;
  /** Untimed samples per row before them (default 2). */
  readonly warmups?: number;
}

interface Config {
  readonly id: string;
  readonly label: string;
  readonly versus: string;
  /** Period set in the start transaction. */
  readonly period: (t: PTimer) => void;
  /** The period in ns as a number (for the closed form). */
  readonly periodNs: number;
  readonly at: number;
  /** The exact count at `at`, when there is a simple closed form. */
  readonly expectedCount?: bigint;
}

/**
 * Expiries due by `t` under WRAP_AFTER_ONE_PERIOD: the first after LIMIT
 * periods, the others every LIMIT + 1 (VALUE holds 0 for one period).
 * With a fractional period each round's span is rounded to whole ns, so the
 * k-th expiry is within k ns of this formula's; at the horizons used the
 * nearest boundary is far further away (3 GHz, 1 h: 2 514.6 rounds of 1.4 s).
 */
const expiriesBy = (periodNs: number, t: number): number => {
  const first = LIMIT * periodNs;
  return t < first ? 0 : Math.floor((t - first) / ((LIMIT + 1) * periodNs)) + 1;
};

/**
 * The count a guest reads at `t` (whole ns) on a 1 ns timer under W + D:
 * after each expiry it reads 0 up to and including one tick later (a read at
 * a tick instant sees the value before that edge), then LIMIT, LIMIT − 1, ….
 */
const countAt1ns = (t: number): bigint => {
  const n = expiriesBy(1, t);
  const sinceExpiry = n === 0 ? t + 1 : t - (LIMIT + (n - 1) * (LIMIT + 1));
  return sinceExpiry <= 1 ? 0n : BigInt(LIMIT + 2 - sinceExpiry);
};

const CONFIGS: readonly Config[] = [
  {
    id: '1khz-start',
    label: '1 kHz (`setPeriod(1e6)`), just after start',
    versus: '1khz-start',
    period: (t) => t.setPeriod(1_000_000),
    periodNs: 1e6,
    at: AFTER_START_NS,
    expectedCount: BigInt(LIMIT), // still in the first period (D: the hardware value, not one less)
  },
  {
    id: '1ghz-hour',
    label: '1 GHz (`setPeriod(1)`), after 1 h',
    versus: '1khz-start',
    period: (t) => t.setPeriod(1),
    periodNs: 1,
    at: HOUR_NS,
    expectedCount: countAt1ns(HOUR_NS),
  },
  {
    id: '3ghz-start',
    label: '3 GHz (`setFreq(3e9)`, 1/3 ns period, 64.32 fraction), just after start',
    versus: '1khz-start',
    period: (t) => t.setFreq(3_000_000_000),
    periodNs: 1 / 3,
    at: AFTER_START_NS,
  },
  {
    id: '3ghz-hour',
    label: '3 GHz (`setFreq(3e9)`), after 1 h',
    versus: '3ghz-start',
    period: (t) => t.setFreq(3_000_000_000),
    periodNs: 1 / 3,
    at: HOUR_NS,
  },
];

interface Prepared {
  readonly timer: PTimer;
  readonly clockEvents: number;
  readonly advanceMs: number;
}

/** A timer started at 0 and advanced to `config.at`, checked. */
const prepare = (config: Config): Prepared => {
  const clock = new VirtualClock();
  let triggers = 0;
  const timer = new PTimer(clock, { name: config.id, policy: POLICY, onTrigger: () => void triggers++ });
  timer.transaction((t) => {
    config.period(t);
    t.setLimit(LIMIT, true);
    t.run(false);
  });
  const before = clock.executedCount;
  const t0 = performance.now();
  clock.advanceTo(config.at);
  const advanceMs = performance.now() - t0;
  const clockEvents = clock.executedCount - before;
  const expected = expiriesBy(config.periodNs, config.at);
  const problems: string[] = [];
  if (clockEvents !== expected) problems.push(`ran ${clockEvents} clock events, expected ${expected} (one per expiry)`);
  if (triggers !== expected) problems.push(`delivered ${triggers} triggers, expected ${expected}`);
  if (clock.pending !== 1) problems.push(`${clock.pending} actions queued after the advance, expected 1 (the next expiry)`);
  const count = timer.getCount();
  if (config.expectedCount !== undefined && count !== config.expectedCount) problems.push(`count ${count}, expected ${config.expectedCount}`);
  if (count < 0n || count > BigInt(LIMIT)) problems.push(`count ${count} outside [0, ${LIMIT}]`);
  if (problems.length > 0) throw new CountReadsError(`${config.id}: ${problems.join('; ')}`);
  return { timer, clockEvents, advanceMs };
};

/** Never a count: comparing with it keeps every call's result used. */
const NOT_A_COUNT = -1n;

/** ns per call over `calls` reads of `timer`. */
const timeReads = (timer: PTimer, calls: number): number => {
  let hits = 0;
  const t0 = performance.now();
  for (let i = 0; i < calls; i++) if (timer.getCount() === NOT_A_COUNT) hits++;
  const ms = performance.now() - t0;
  if (hits !== 0) throw new CountReadsError('getCount returned a negative count');
  return (ms * 1e6) / calls;
};

/**
 * Measures ns per `getCount()` call for each configuration: `warmups`
 * untimed samples, then `reps` timed samples of `calls` calls, rows
 * interleaved with the order rotated each rep.
 * @throws CountReadsError when a timer ran a different number of clock events than its expiries, or reads a wrong count
 */
export const measureCountReads = (options: CountReadsOptions = {}): CountReadsResult => {
  const calls = options.calls ?? 1_000_000;
  const reps = options.reps ?? 7;
  const warmups = options.warmups ?? 2;
  const prepared = CONFIGS.map(prepare);
  for (let w = 0; w < warmups; w++) for (const p of prepared) timeReads(p.timer, calls);
  const samples = CONFIGS.map((): number[] => []);
  for (let r = 0; r < reps; r++) {
    for (let k = 0; k < CONFIGS.length; k++) {
      const i = (k + r) % CONFIGS.length;
      samples[i]!.push(timeReads(prepared[i]!.timer, calls));
    }
  }
  const medians = new Map(CONFIGS.map((c, i) => [c.id, median(samples[i]!)]));
  const rows = CONFIGS.map((c, i): CountReadsRow => {
    const s = samples[i]!;
    const p = prepared[i]!;
    return {
      id: c.id,
      label: c.label,
      at: c.at,
      expectedExpiries: expiriesBy(c.periodNs, c.at),
      clockEvents: p.clockEvents,
      advanceMs: p.advanceMs,
      count: p.timer.getCount(),
      medianNs: medians.get(c.id)!,
      minNs: Math.min(...s),
      maxNs: Math.max(...s),
      ratio: medians.get(c.id)! / medians.get(c.versus)!,
      versus: c.versus,
    };
  });
  return { callsPerSample: calls, reps, warmups, rows, ratio: rows[1]!.ratio };
};

/** The RESULTS.md section for a {@link CountReadsResult}. */
export const renderCountReads = (r: CountReadsResult): string[] => {
  const int = (x: number): string => Math.round(x).toLocaleString('en-US');
  const ns = (x: number): string => x.toFixed(1);
  const at = (x: number): string => (x === HOUR_NS ? '1 h' : `${int(x)} ns`);
  return [
    '## Count reads',
    '',
    `\`PTimer.getCount()\` on periodic timers with limit 2^32 − 1 and policy [${POLICY.join(', ')}], started at t = 0 and ` +
      'advanced with `VirtualClock.advanceTo` to the time shown, then read at that instant: ' +
      `${r.warmups} untimed samples, then ${r.reps} timed samples of ${int(r.callsPerSample)} calls per timer, ` +
      'timers interleaved (order rotated each sample); wall clock (`performance.now()`). The clock events the advance ' +
      'ran are checked equal to the expiries due in closed form (and to the triggers delivered), and the count read ' +
      'against its closed form where it has a simple one: a timer that worked per tick, or skipped an expiry, fails the run.',
    '',
    '| Timer | Read at | Clock events (expected) | Advance (ms) | Count read | ns/call median | Min | Max | × |',
    '|---|--:|--:|--:|--:|--:|--:|--:|--:|',
    ...r.rows.map(
      (row) =>
        `| ${row.label} | ${at(row.at)} | ${int(row.clockEvents)} (${int(row.expectedExpiries)}) | ${row.advanceMs.toFixed(2)} | ` +
        `${row.count.toLocaleString('en-US')} | ${ns(row.medianNs)} | ${ns(row.minNs)} | ${ns(row.maxNs)} | ` +
        `${row.id === row.versus ? '1 (reference)' : `${row.ratio.toFixed(2)}× \`${row.versus}\``} |`,
    ),
    '',
    `1 GHz after an hour costs ${r.ratio.toFixed(2)}× the 1 kHz read just after start (expected ≈ 1×: no per-tick work, ` +
      'and the hour took one clock event per expiry). The fractional period takes the 64.32 division path, so it is ' +
      'compared with itself just after start.',
    '',
  ];
};
