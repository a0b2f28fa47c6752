/**
 * Guest accesses: the cost of `applyAccesses` over calling the device
 * directly. One access sequence (a mix of VALUE and INTSTATUS reads and
 * RELOAD writes on a CMSDK APB timer, built once as `guestRead`/`guestWrite`
 * objects) is run on a fresh device per run, either through a Subject piped
 * into `applyAccesses` (no sink, and with a `Trace` sink) or by a plain loop
 * calling `device.read`/`device.write`. Virtual time advances the same way on
 * every side, so the counter runs, reloads and expires between accesses.
 *
 * Every run is checked: the number of accesses performed, a checksum of the
 * values the guest saw and the device's final snapshot must equal the direct
 * loop's (and, with the sink, one trace event per access), or the benchmark
 * throws {@link AccessBenchError}.
 */
import { isDeepStrictEqual } from 'node:util';
import v8 from 'node:v8';
import vm from 'node:vm';
import { Subject } from 'rxjs';
import { CmsdkApbTimer } from '../devices/cmsdk-apb-timer';
import { applyAccesses } from '../operators/applyAccesses';
import { guestRead, guestWrite, type GuestAccess } from '../src/bus/GuestAccess';
import { ClockInput } from '../src/clock/ClockInput';
import { VirtualClock } from '../src/clock/VirtualClock';
import { Trace } from '../src/trace/Trace';
import { median } from './measure';

/** CMSDK APB timer registers used (ARM DDI 0479). */
const CTRL = 0x0;
const VALUE = 0x4;
const RELOAD = 0x8;
const INTSTATUS = 0xc;

/** Virtual time advanced after every `ADVANCE_EVERY` accesses, on every side alike. */
const ADVANCE_EVERY = 64;
const ADVANCE_NS = 1_000;

/** The operator's cost target: at most this many times the direct loop (no sink). */
export const ACCESS_TARGET_RATIO = 2;

/** A run performed a different number of accesses, or ended in a different state, than the direct loop. */
export class AccessBenchError extends Error {
  override readonly name = 'AccessBenchError';
}

/** One side of the comparison. */
export type AccessSide = 'direct' | 'operator' | 'operator+trace';

/** What one side measured. */
export interface AccessRow {
  readonly side: AccessSide;
  readonly label: string;
  readonly medianMs: number;
  readonly minMs: number;
  readonly maxMs: number;
  /** Median ns per access. */
  readonly nsPerAccess: number;
  /** Median over the direct loop's median. */
  readonly ratio: number;
}

/** What {@link measureAccesses} gives. */
export interface AccessesResult {
  readonly accesses: number;
  readonly reads: number;
  readonly writes: number;
  readonly reps: number;
  readonly warmups: number;
  readonly rows: readonly AccessRow[];
  /** Operator (no sink) median over direct median. */
  readonly ratio: number;
  /** Same, with the min of each side. */
  readonly ratioOfMins: number;
  readonly target: number;
  readonly pass: boolean;
}

/** Options of {@link measureAccesses}. */
export interface AccessesOptions {
  /** Accesses per run (default 1 000 000). */
  readonly accesses?: number;
  /** Timed runs per side (default 7). */
  readonly reps?: number;
  /** Checked, untimed runs per side before them (default 2). */
  readonly warmups?: number;
}

/** A full GC between runs (as bench/measure.ts does), so one side's garbage is not collected on another's clock. */
const collectGarbage: () => void = (() => {
  v8.setFlagsFromString('--expose-gc');
  const gc: unknown = vm.runInNewContext('gc');
  return typeof gc === 'function' ? (gc as () => void) : () => {};
})();

/**
 * The access sequence: 50 % VALUE reads, 25 % INTSTATUS reads, 25 % RELOAD
 * writes (1..255 cycles, so the counter expires now and then), in a fixed
 * pseudo-random order (xorshift32, seed fixed) so branches are not periodic.
 */
export const buildAccessSequence = (count: number): GuestAccess[] => {
  const out: GuestAccess[] = new Array(count);
  let x = 0x2545f491;
  const next = (): number => {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    return x >>> 0;
  };
  for (let i = 0; i < count; i++) {
    const r = next();
    const pick = r & 3;
    out[i] = pick <= 1 ? guestRead(VALUE) : pick === 2 ? guestRead(INTSTATUS) : guestWrite(RELOAD, 1 + ((r >>> 8) & 0xff));
  }
  return out;
};

interface Device {
  readonly clock: VirtualClock;
  readonly timer: CmsdkApbTimer;
}

/** A fresh timer at 25 MHz, RELOAD = 100 cycles, running with its interrupt enabled. */
const freshDevice = (): Device => {
  const clock = new VirtualClock();
  const timer = new CmsdkApbTimer(clock, { pclk: new ClockInput('pclk', 25_000_000) });
  timer.write(RELOAD, 4, 100);
  timer.write(CTRL, 4, 0b1001); // EN | IRQEN
  return { clock, timer };
};

/** What a run did, for the checks. */
interface Outcome {
  readonly ms: number;
  readonly performed: number;
  readonly checksum: number;
  readonly traced: number;
  readonly snapshot: unknown;
}

const runDirect = (accesses: readonly GuestAccess[]): Outcome => {
  const { clock, timer } = freshDevice();
  collectGarbage();
  let performed = 0;
  let checksum = 0;
  const t0 = performance.now();
  for (let i = 0; i < accesses.length; i++) {
    const a = accesses[i]!;
    let value: number;
    if (a.kind === 'read') value = timer.read(a.offset, a.size);
    else {
      timer.write(a.offset, a.size, a.value);
      value = a.value;
    }
    performed++;
    checksum += value;
    if (i % ADVANCE_EVERY === ADVANCE_EVERY - 1) clock.advanceBy(ADVANCE_NS);
  }
  const ms = performance.now() - t0;
  return { ms, performed, checksum, traced: 0, snapshot: timer.snapshot() };
};

const runOperator = (accesses: readonly GuestAccess[], withTrace: boolean): Outcome => {
  const { clock, timer } = freshDevice();
  const trace = withTrace ? new Trace() : undefined;
  collectGarbage();
  let performed = 0;
  let checksum = 0;
  let completed = false;
  const t0 = performance.now();
  // The way a user feeds a live guest: a Subject, one `next` per access, time advancing in between.
  const guest = new Subject<GuestAccess>();
  const subscription = guest.pipe(applyAccesses(timer, clock, trace)).subscribe({
    next: (r) => {
      performed++;
      checksum += r.value;
    },
    error: (error: unknown) => {
      throw error;
    },
    complete: () => {
      completed = true;
    },
  });
  for (let i = 0; i < accesses.length; i++) {
    guest.next(accesses[i]!);
    if (i % ADVANCE_EVERY === ADVANCE_EVERY - 1) clock.advanceBy(ADVANCE_NS);
  }
  guest.complete();
  const ms = performance.now() - t0;
  subscription.unsubscribe();
  if (!completed) throw new AccessBenchError('the result stream did not complete with its source');
  return { ms, performed, checksum, traced: trace?.events.length ?? 0, snapshot: timer.snapshot() };
};

const run = (side: AccessSide, accesses: readonly GuestAccess[]): Outcome =>
  side === 'direct' ? runDirect(accesses) : runOperator(accesses, side === 'operator+trace');

/** Throws unless `got` did what the reference (direct) run did. */
const check = (side: AccessSide, got: Outcome, reference: Outcome, expected: number): void => {
  const problems: string[] = [];
  if (got.performed !== expected) problems.push(`performed ${got.performed} accesses, expected ${expected}`);
  if (got.checksum !== reference.checksum) problems.push(`value checksum ${got.checksum}, direct ${reference.checksum}`);
  if (side === 'operator+trace' && got.traced !== expected) problems.push(`traced ${got.traced} events, expected ${expected}`);
  if (!isDeepStrictEqual(got.snapshot, reference.snapshot)) {
    problems.push(`final snapshot differs from the direct loop's: ${JSON.stringify(got.snapshot)} vs ${JSON.stringify(reference.snapshot)}`);
  }
  if (problems.length > 0) throw new AccessBenchError(`${side}: ${problems.join('; ')}`);
};

const LABELS: Record<AccessSide, string> = {
  direct: '`device.read`/`device.write` in a loop',
  operator: '`Subject` → `applyAccesses(device, clock)`',
  'operator+trace': '`Subject` → `applyAccesses(device, clock, trace)` (`Trace` sink)',
};

/**
 * Runs the guest-access comparison: each side `warmups` times untimed, then
 * `reps` timed runs per side, interleaved with the order rotated each rep.
 * @throws AccessBenchError when a run's count, checksum or final state differs from the direct loop's
 */
export const measureAccesses = (options: AccessesOptions = {}): AccessesResult => {
  const count = options.accesses ?? 1_000_000;
  const reps = options.reps ?? 7;
  const warmups = options.warmups ?? 2;
  const accesses = buildAccessSequence(count);
  const writes = accesses.filter((a) => a.kind === 'write').length;
  const sides: AccessSide[] = ['direct', 'operator', 'operator+trace'];

  const reference = runDirect(accesses);
  check('direct', reference, reference, count);
  for (let w = 0; w < warmups; w++) for (const side of sides) check(side, run(side, accesses), reference, count);

  const times = new Map<AccessSide, number[]>(sides.map((s) => [s, []]));
  for (let r = 0; r < reps; r++) {
    for (let k = 0; k < sides.length; k++) {
      const side = sides[(k + r) % sides.length]!;
      const outcome = run(side, accesses);
      check(side, outcome, reference, count);
      times.get(side)!.push(outcome.ms);
    }
  }

  const directMedian = median(times.get('direct')!);
  const rows = sides.map((side): AccessRow => {
    const t = times.get(side)!;
    const m = median(t);
    return {
      side,
      label: LABELS[side],
      medianMs: m,
      minMs: Math.min(...t),
      maxMs: Math.max(...t),
      nsPerAccess: (m * 1e6) / count,
      ratio: m / directMedian,
    };
  });
  const direct = rows[0]!;
  const operator = rows[1]!;
  const ratio = operator.medianMs / direct.medianMs;
  return {
    accesses: count,
    reads: count - writes,
    writes,
    reps,
    warmups,
    rows,
    ratio,
    ratioOfMins: operator.minMs / direct.minMs,
    target: ACCESS_TARGET_RATIO,
    pass: ratio <= ACCESS_TARGET_RATIO,
  };
};

/** The RESULTS.md section for an {@link AccessesResult}. */
export const renderAccesses = (r: AccessesResult): string[] => {
  const int = (x: number): string => Math.round(x).toLocaleString('en-US');
  const ms = (x: number): string => (x >= 100 ? x.toFixed(0) : x.toFixed(1));
  return [
    '## Guest accesses',
    '',
    `${int(r.accesses)} register accesses (${int(r.reads)} reads: VALUE and INTSTATUS; ${int(r.writes)} RELOAD writes; ` +
      'fixed pseudo-random order) on a CMSDK APB timer at 25 MHz, counting with its interrupt enabled, virtual time ' +
      `advanced ${int(ADVANCE_NS)} ns after every ${ADVANCE_EVERY} accesses. The accesses are built once as ` +
      '`guestRead`/`guestWrite` objects and shared by every side; each run uses a fresh device. The operator sides feed ' +
      'them through a `Subject` (one `next` per access) piped into `applyAccesses`. ' +
      `${r.warmups} untimed warm-up runs per side, then ${r.reps} timed runs per side, interleaved (order rotated each rep), ` +
      'a full GC before each; wall clock (`performance.now()`). Every run is checked against the direct loop: number of ' +
      'accesses, checksum of the values seen, final device snapshot (and, with the sink, one trace event per access).',
    '',
    '| Side | Median (ms) | Min (ms) | Max (ms) | ns per access (median) | × direct (median) |',
    '|---|--:|--:|--:|--:|--:|',
    ...r.rows.map(
      (row) =>
        `| ${row.label} | ${ms(row.medianMs)} | ${ms(row.minMs)} | ${ms(row.maxMs)} | ${row.nsPerAccess.toFixed(0)} | ` +
        `${row.side === 'direct' ? '1' : `${row.ratio.toFixed(2)}×`} |`,
    ),
    '',
    '| Target | Measured | Result |',
    '|---|---|---|',
    `| \`applyAccesses\` (no sink) ≤ ${r.target}× direct calls | ${r.ratio.toFixed(2)}× (of mins: ${r.ratioOfMins.toFixed(2)}×) | **${r.pass ? 'PASS' : 'FAIL'}** |`,
    '',
    'The `Trace` row is informative: recording stores a checked, canonical, frozen copy of every event.',
    '',
  ];
};
