import { z } from 'zod';
import { spanNs, U64_MAX } from './arith';
import { effectivePeriod } from './countAt';
import { PTimerSnapshotError } from './errors';
import { fixedOfRatio, MAX_EXACT_DEN, periodIsZero, ratioOfFixed, reduceRatio } from './exact';
import { PTIMER_POLICIES, policyFlags, type PTimerPolicy } from './PTimerPolicy';
import { deadlineOf, type PTimerMode, type PTimerState } from './PTimerState';
import { parseWithSchema, trustingDataNow } from '../shared/parseWithSchema';

/**
 * Current snapshot format version. Older ones are still read: version 1
 * (without `timing`) as QEMU timing, versions 1 and 2 (without
 * `restPeriod`) with the rest period inferred from the countdown's span.
 */
export const PTIMER_SNAPSHOT_VERSION = 3;

/** How a timer keeps time: QEMU's 64.32 fixed-point period, or an exact rational one. */
export type PTimerTiming = 'qemu' | 'exact';

/** Every {@link PTimerTiming}, for option checks. */
export const PTIMER_TIMINGS: readonly PTimerTiming[] = Object.freeze(['qemu', 'exact']);

/** Fields every timer snapshot has. */
interface PTimerSnapshotCommon {
  /** Always {@link PTIMER_SNAPSHOT_VERSION}. */
  readonly version: typeof PTIMER_SNAPSHOT_VERSION;
  /** Virtual time (ns) at which it was taken; restore requires the same time. */
  readonly time: number;
  /** The timer's policy flags, in the timer's order. */
  readonly policy: readonly PTimerPolicy[];
  /** Whether the periodic minimum-period clamp (`rateClamp` option) is on. */
  readonly rateClamp: boolean;
  /** Stopped, periodic or one-shot. */
  readonly mode: PTimerMode;
  /** The reload value (decimal string, unsigned 64-bit). */
  readonly limit: string;
  /** Stopped: the count. Running: the count at `lastEvent` (decimal string, unsigned 64-bit). */
  readonly delta: string;
  /** Virtual time (ns, decimal string) at which the current countdown started; not after `time`. */
  readonly lastEvent: string;
  /** Virtual time (ns, decimal string) at which the current countdown reaches 0 (the expiry runs then); may lie past `Number.MAX_SAFE_INTEGER`. */
  readonly nextEvent: string;
  /**
   * Whether the running countdown began with W's rest period (`WRAP_AFTER_ONE_PERIOD`):
   * it lasts `delta` + 1 periods and reads 0 for the first. Always false when stopped.
   */
  readonly restPeriod: boolean;
}

/** A timer in QEMU timing. */
export interface PTimerQemuSnapshot extends PTimerSnapshotCommon {
  /** QEMU's 64.32 fixed-point period. */
  readonly timing: 'qemu';
  /** Integer part of the period in ns (decimal string). */
  readonly period: string;
  /** Fractional part of the period in units of 2^-32 ns (decimal string). */
  readonly periodFrac: string;
}

/** A timer in exact timing. */
export interface PTimerExactSnapshot extends PTimerSnapshotCommon {
  /** The period is exactly `periodNum/periodDen` ns. */
  readonly timing: 'exact';
  /** The period's numerator, ns (decimal string; in lowest terms with `periodDen`). */
  readonly periodNum: string;
  /** The period's denominator (decimal string, 1 to 2^53 - 1). */
  readonly periodDen: string;
  /** The anchor lies this many 1/`periodDen` ns after `lastEvent` (below `periodDen`). */
  readonly lastPhase: number;
  /** The deadline lies this many 1/`periodDen` ns after `nextEvent` (below `periodDen`). */
  readonly nextPhase: number;
}

/**
 * A timer's state as plain JSON-safe data (64-bit values as decimal strings).
 * Configuration that is not state (callbacks, name) is not included; the
 * policy, rate clamp and timing are, so that a snapshot cannot be restored
 * into a timer that would interpret it differently.
 */
export type PTimerSnapshot = PTimerQemuSnapshot | PTimerExactSnapshot;

/**
 * Builds a snapshot from a state. One object literal per timing, in the
 * fields' order (the order JSON and digests see): a fork takes one per timer
 * of every device it snapshots, so it is kept to the strings it must make.
 */
export const toSnapshot = (s: PTimerState, time: number, policy: readonly PTimerPolicy[], rateClamp: boolean): PTimerSnapshot => {
  const running = s.enabled !== 'stopped';
  // The decimal of a deadline that is a safe integer is the number's own.
  const nextEvent = s.nextEvent === Infinity ? s.farNextEvent.toString() : String(s.nextEvent);
  if (!s.exact) {
    return {
      version: PTIMER_SNAPSHOT_VERSION,
      time,
      policy: [...policy],
      rateClamp,
      mode: s.enabled,
      limit: s.limit.toString(),
      delta: s.delta.toString(),
      lastEvent: String(s.lastEvent),
      nextEvent,
      restPeriod: running && s.wrapReload >= 0n,
      timing: 'qemu',
      period: s.period.toString(),
      periodFrac: s.periodFrac.toString(),
    };
  }
  return {
    version: PTIMER_SNAPSHOT_VERSION,
    time,
    policy: [...policy],
    rateClamp,
    mode: s.enabled,
    limit: s.limit.toString(),
    delta: s.delta.toString(),
    lastEvent: String(s.lastEvent),
    nextEvent,
    restPeriod: running && s.wrapReload >= 0n,
    timing: 'exact',
    periodNum: s.periodNum.toString(),
    periodDen: s.periodDen.toString(),
    lastPhase: s.lastPhase,
    nextPhase: s.nextPhase,
  };
};

const I64_MAX = (1n << 63n) - 1n;
const SAFE = BigInt(Number.MAX_SAFE_INTEGER);

const decimal = (max: bigint, what: string) =>
  z
    .string({ error: 'must be a decimal string of a non-negative integer' })
    .regex(/^(0|[1-9][0-9]*)$/, { error: 'must be a decimal string of a non-negative integer (no sign, no leading zeros)', abort: true })
    .refine((v) => BigInt(v) <= max, { error: `must not exceed ${what}` });

const common = {
  time: z.number({ error: 'must be a safe non-negative integer (ns)' }).int({ error: 'must be a safe non-negative integer (ns)' }).min(0, { error: 'must be a safe non-negative integer (ns)' }).max(Number.MAX_SAFE_INTEGER, { error: 'must be a safe non-negative integer (ns)' }),
  policy: z.array(z.enum(PTIMER_POLICIES, { error: `must be one of ${PTIMER_POLICIES.join(', ')}` }), { error: 'must be an array of policy flags' }),
  rateClamp: z.boolean({ error: 'must be a boolean' }),
  mode: z.enum(['stopped', 'periodic', 'oneshot'], { error: 'must be one of stopped, periodic, oneshot' }),
  limit: decimal(U64_MAX, '2^64 - 1'),
  delta: decimal(U64_MAX, '2^64 - 1'),
  lastEvent: decimal(SAFE, `${SAFE} (Number.MAX_SAFE_INTEGER)`),
  nextEvent: decimal((1n << 128n) - 1n, '2^128 - 1'),
};

const phase = z
  .number({ error: 'must be a whole number below periodDen' })
  .int({ error: 'must be a whole number below periodDen' })
  .min(0, { error: 'must be a whole number below periodDen' });

/** Versions 2 and 3 differ by `restPeriod` only. */
const schemaWithTiming = <V extends 2 | 3, R extends z.ZodRawShape>(version: V, rest: R) =>
  z.discriminatedUnion(
    'timing',
    [
      z.strictObject({
        version: z.literal(version),
        timing: z.literal('qemu'),
        ...common,
        ...rest,
        period: decimal(I64_MAX, '2^63 - 1'),
        periodFrac: decimal((1n << 32n) - 1n, '2^32 - 1'),
      }),
      z.strictObject({
        version: z.literal(version),
        timing: z.literal('exact'),
        ...common,
        ...rest,
        periodNum: decimal(U64_MAX << 32n, '2^96'),
        periodDen: decimal(MAX_EXACT_DEN, '2^53 - 1').refine((v) => v !== '0', { error: 'must be positive' }),
        lastPhase: phase,
        nextPhase: phase,
      }),
    ],
    { error: "must be 'qemu' or 'exact'" },
  );

const SCHEMA_V3 = schemaWithTiming(3, { restPeriod: z.boolean({ error: 'must be a boolean' }) });
const SCHEMA_V2 = schemaWithTiming(2, {});

/** Version 1 had no timing field: QEMU timing. */
const SCHEMA_V1 = z.strictObject({
  version: z.literal(1),
  ...common,
  period: decimal(I64_MAX, '2^63 - 1'),
  periodFrac: decimal((1n << 32n) - 1n, '2^32 - 1'),
});

/** The parts of a snapshot a restore uses. */
export interface ParsedPTimerSnapshot {
  readonly state: PTimerState;
  readonly time: number;
  readonly policy: readonly PTimerPolicy[];
  readonly rateClamp: boolean;
  readonly timing: PTimerTiming;
}

const fail = (path: string, value: unknown, rule: string): PTimerSnapshotError => new PTimerSnapshotError(path, value, rule);

/**
 * Validates an untrusted snapshot and returns its state: its shape (one
 * schema; a refusal names the field's path, its value and the rule), then
 * the rules across fields (see {@link checkConsistent}).
 * @param now - the restoring scheduler's time, when known: `time` must equal it
 * @throws PTimerSnapshotError naming the first bad field
 */
export const fromSnapshot = (input: unknown, now?: number): ParsedPTimerSnapshot => {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    throw fail('(root)', input, 'must be an object produced by PTimer.snapshot()');
  }
  const frozen = Object.isFrozen(input) && Object.isFrozen((input as { policy?: unknown }).policy);
  const known = frozen ? readBefore.get(input) : undefined;
  if (known !== undefined && (known.checked || trustingDataNow())) {
    checkTime(known.parsed.time, now);
    return known.parsed;
  }
  const version = (input as { version?: unknown }).version;
  if (version !== 1 && version !== 2 && version !== PTIMER_SNAPSHOT_VERSION) {
    throw fail('version', version, `must be ${PTIMER_SNAPSHOT_VERSION} (or 2 or 1, read as described at PTIMER_SNAPSHOT_VERSION)`);
  }
  const toError = (p: { path: string; value: unknown; rule: string }): Error => fail(p.path, p.value, p.rule);
  const snap: z.infer<typeof SCHEMA_V2> | z.infer<typeof SCHEMA_V3> =
    version === 1
      ? { ...parseWithSchema(SCHEMA_V1, input, toError), version: 2, timing: 'qemu' as const }
      : version === 2
        ? parseWithSchema(SCHEMA_V2, input, toError)
        : parseWithSchema(SCHEMA_V3, input, toError);
  // Before the rules across fields: those measure the other fields against this time.
  checkTime(snap.time, now);
  const nextEvent = BigInt(snap.nextEvent);
  const near = nextEvent <= SAFE;
  let period: { ns: bigint; frac: bigint };
  let ratio: { num: bigint; den: bigint };
  if (snap.timing === 'exact') {
    ratio = { num: BigInt(snap.periodNum), den: BigInt(snap.periodDen) };
    const reduced = reduceRatio(ratio.num, ratio.den);
    if (reduced.den !== ratio.den) throw fail('periodDen', snap.periodDen, `must be in lowest terms with periodNum (${reduced.num}/${reduced.den})`);
    for (const key of ['lastPhase', 'nextPhase'] as const) {
      if (BigInt(snap[key]) >= ratio.den) throw fail(key, snap[key], `must be below periodDen (${ratio.den})`);
    }
    period = fixedOfRatio(ratio);
    if (period.ns > I64_MAX) throw fail('periodNum', snap.periodNum, 'makes the period exceed 2^63 - 1 ns');
  } else {
    period = { ns: BigInt(snap.period), frac: BigInt(snap.periodFrac) };
    ratio = ratioOfFixed(period.ns, period.frac);
  }
  const exact = snap.timing === 'exact';
  const state: PTimerState = {
    enabled: snap.mode,
    limit: BigInt(snap.limit),
    delta: BigInt(snap.delta),
    wrapReload: -1n,
    period: period.ns,
    periodFrac: period.frac,
    exact,
    periodNum: exact ? ratio.num : 0n,
    periodDen: exact ? ratio.den : 1n,
    lastPhase: exact ? (snap as PTimerExactSnapshot).lastPhase : 0,
    nextPhase: exact ? (snap as PTimerExactSnapshot).nextPhase : 0,
    lastEvent: Number(snap.lastEvent),
    nextEvent: near ? Number(nextEvent) : Infinity,
    farNextEvent: near ? 0n : nextEvent,
  };
  const policy = snap.policy as PTimerPolicy[];
  let flags;
  try {
    flags = policyFlags(policy);
  } catch (error) {
    throw fail('policy', snap.policy, error instanceof Error ? error.message : String(error));
  }
  if (exact && snap.rateClamp) throw fail('rateClamp', true, "must be false in exact timing (the clamp is QEMU's)");
  const restPeriod = snap.version === 3 ? snap.restPeriod : undefined;
  if (checkConsistent(state, snap.time, flags, snap.rateClamp, snap, restPeriod)) state.wrapReload = state.delta;
  const parsed = { state, time: snap.time, policy, rateClamp: snap.rateClamp, timing: snap.timing };
  if (!frozen) return parsed;
  // Shared by every later read of the same snapshot: frozen, so that no reader can change it for the next.
  Object.freeze(state);
  Object.freeze(policy);
  readBefore.set(input, { parsed: Object.freeze(parsed), checked: !trustingDataNow() });
  return parsed;
};

/**
 * What frozen snapshots were read as: a fork's snapshots, which the
 * ordering explorer's rewinds put back again and again (each one read twice
 * per restore, by the device's checks and by `restoreState`). Only for
 * frozen input, which cannot change between reads; `checked` tells whether
 * that read ran the schema (it does not inside `trustingData`), which an
 * untrusted read needs. Every rule across fields has run; the time is
 * checked on each read.
 */
const readBefore = new WeakMap<object, { readonly parsed: ParsedPTimerSnapshot; readonly checked: boolean }>();

/** A snapshot restores only at its own time (when the restoring clock's, `now`, is known). */
const checkTime = (time: number, now: number | undefined): void => {
  if (now !== undefined && time !== now) throw fail('time', time, `must equal the scheduler's now() (${now} ns): restore on a clock at the snapshot's time`);
};

/** Two policies with the same flags, in any order (a policy is a set); most often in the same order. */
const samePolicy = (a: readonly PTimerPolicy[], b: readonly PTimerPolicy[]): boolean => {
  if (a.length === b.length && a.every((flag, i) => flag === b[i])) return true;
  const asSet = (policy: readonly PTimerPolicy[]): string => [...policy].sort().join(',');
  return asSet(a) === asSet(b);
};

/** What a timer is configured with, which a snapshot restored into it must match. */
export interface PTimerConfig {
  readonly policy: readonly PTimerPolicy[];
  readonly timing: PTimerTiming;
  readonly rateClamp: boolean;
}

/**
 * {@link fromSnapshot} for restoring into a given timer: also its time must
 * be `now`, and its policy (the same flags, in any order: a policy is a set), timing and rate clamp
 * the timer's. The one check `PTimer.restoreState` and a device checking its
 * timer parts ahead of loading (src/bus/timerPart) both use.
 * @throws PTimerSnapshotError naming the first bad or mismatching field
 */
export const fromSnapshotFor = (timer: PTimerConfig, input: unknown, now: number): ParsedPTimerSnapshot => {
  const parsed = fromSnapshot(input, now);
  if (!samePolicy(parsed.policy, timer.policy)) {
    throw fail('policy', parsed.policy, `must have this timer's policy flags [${timer.policy.join(', ')}] (in any order)`);
  }
  if (parsed.timing !== timer.timing) throw fail('timing', parsed.timing, `must match this timer's timing ('${timer.timing}')`);
  if (parsed.rateClamp !== timer.rateClamp) throw fail('rateClamp', parsed.rateClamp, `must match this timer's rateClamp (${timer.rateClamp})`);
  return parsed;
};

/**
 * Rules across fields, which a timer's own steps always keep: the anchor is
 * not after the snapshot; a running timer has a period, a deadline not
 * before the snapshot, and a countdown from anchor to deadline that is the
 * span of its count (or of one period for a zero count that re-fires), or
 * of one period more where it began with W's rest period (`restPeriod`,
 * which only W, a running timer and a non-zero count may have).
 * @param restPeriod - the snapshot's `restPeriod`, or `undefined` for a
 *   version without it: then a span of one period more than the count is
 *   taken as the rest period (as the timer that wrote it read it, except
 *   when a limit written during the rest made it read the old reload + 1)
 * @returns whether the countdown begins with the rest period
 */
const checkConsistent = (
  s: PTimerState,
  time: number,
  flags: ReturnType<typeof policyFlags>,
  rateClamp: boolean,
  snap: { readonly lastEvent: string; readonly nextEvent: string; readonly mode: string },
  restPeriod: boolean | undefined,
): boolean => {
  if (s.lastEvent > time) throw fail('lastEvent', snap.lastEvent, `must not be after the snapshot time ${time}`);
  if (restPeriod === true) {
    if (s.enabled === 'stopped') throw fail('restPeriod', true, 'must be false while the timer is stopped (only a running countdown has a rest period)');
    if (!flags.wrapAfterOnePeriod) throw fail('restPeriod', true, 'must be false without WRAP_AFTER_ONE_PERIOD in the policy (only its reload adds a rest period)');
    if (s.delta === 0n) throw fail('restPeriod', true, 'must be false for a zero delta (the rest period follows a reload of a non-zero limit)');
  }
  if (s.enabled === 'stopped') return false;
  if (periodIsZero(s)) throw fail('mode', snap.mode, 'must be stopped when the period is zero (a timer without a period cannot run)');
  const deadline = deadlineOf(s);
  if (deadline < BigInt(time)) throw fail('nextEvent', snap.nextEvent, `a running timer's deadline must not be before the snapshot time ${time}`);
  const fits = (d: bigint): boolean => {
    if (s.exact) {
      const units = (deadline - BigInt(s.lastEvent)) * s.periodDen + BigInt(s.nextPhase - s.lastPhase);
      return units === d * s.periodNum;
    }
    const span = deadline - BigInt(s.lastEvent);
    if (span === spanNs(d, s.period, s.periodFrac)) return true;
    // The clamp applied when the countdown was anchored periodic, even if the mode changed since.
    const clamped = effectivePeriod({ ...s, enabled: 'periodic' }, d, rateClamp);
    return rateClamp && span === spanNs(d, clamped.p, clamped.f);
  };
  const plain = s.delta === 0n ? 1n : s.delta;
  const withRest = s.delta + 1n;
  if (restPeriod !== true && fits(plain)) return false;
  if (restPeriod !== false && flags.wrapAfterOnePeriod && s.delta !== 0n && fits(withRest)) return true;
  const expected =
    restPeriod === true
      ? `${withRest} periods (delta + 1: restPeriod is true)`
      : restPeriod === false
        ? `${plain} period(s) (${s.delta === 0n ? 'one for a zero delta' : 'delta'}: restPeriod is false)`
        : `${plain}${flags.wrapAfterOnePeriod && s.delta !== 0n ? ` or ${withRest}` : ''} period(s)`;
  throw fail('nextEvent', snap.nextEvent, `must be the end of a countdown of ${expected} from lastEvent ${snap.lastEvent} (the count it was anchored with)`);
};
