import { U64_MAX } from './arith';
import { PTimerSnapshotError } from './errors';
import { PTIMER_POLICIES, type PTimerPolicy } from './PTimerPolicy';
import { deadlineOf, type PTimerMode, type PTimerState } from './PTimerState';

/** Current snapshot format version. */
export const PTIMER_SNAPSHOT_VERSION = 1;

/**
 * A timer's state as plain JSON-safe data (64-bit values as decimal strings).
 * Configuration that is not state (callbacks, name) is not included; the
 * policy is, so that a snapshot cannot be restored into a timer that would
 * interpret it differently.
 */
export interface PTimerSnapshot {
  /** Always {@link PTIMER_SNAPSHOT_VERSION}. */
  readonly version: typeof PTIMER_SNAPSHOT_VERSION;
  /** Virtual time (ns) at which it was taken; restore requires the same time. */
  readonly time: number;
  /** The timer's policy flags. */
  readonly policy: readonly PTimerPolicy[];
  /** Whether the periodic minimum-period clamp (`rateClamp` option) is on. */
  readonly rateClamp: boolean;
  /** Stopped, periodic or one-shot. */
  readonly mode: PTimerMode;
  /** The reload value (decimal string, unsigned 64-bit). */
  readonly limit: string;
  /** Stopped: the count. Running: the count at `lastEvent` (decimal string, unsigned 64-bit). */
  readonly delta: string;
  /** Integer part of the period in ns (decimal string). */
  readonly period: string;
  /** Fractional part of the period in units of 2^-32 ns (decimal string). */
  readonly periodFrac: string;
  /** Virtual time (ns, decimal string) at which the current countdown started; not after `time`. */
  readonly lastEvent: string;
  /** Virtual time (ns, decimal string) at which the current countdown reaches 0; may lie past `Number.MAX_SAFE_INTEGER`. */
  readonly nextEvent: string;
}

/** Builds a snapshot from a state. */
export const toSnapshot = (
  s: PTimerState,
  time: number,
  policy: readonly PTimerPolicy[],
  rateClamp: boolean,
): PTimerSnapshot => ({
  version: PTIMER_SNAPSHOT_VERSION,
  time,
  policy: [...policy],
  rateClamp,
  mode: s.enabled,
  limit: s.limit.toString(),
  delta: s.delta.toString(),
  period: s.period.toString(),
  periodFrac: s.periodFrac.toString(),
  lastEvent: String(s.lastEvent),
  nextEvent: deadlineOf(s).toString(),
});

const MODES: readonly PTimerMode[] = ['stopped', 'periodic', 'oneshot'];

const bigField = (snap: Record<string, unknown>, field: string, max: bigint): bigint => {
  const value = snap[field];
  if (typeof value !== 'string' || !/^(0|[1-9][0-9]*)$/.test(value)) {
    throw new PTimerSnapshotError(field, value, 'must be a decimal string of a non-negative integer');
  }
  const big = BigInt(value);
  if (big > max) throw new PTimerSnapshotError(field, value, `must not exceed ${max}`);
  return big;
};

/**
 * Validates an untrusted snapshot and returns its state.
 * @throws PTimerSnapshotError naming the first bad field
 */
export const fromSnapshot = (
  input: unknown,
): { readonly state: PTimerState; readonly time: number; readonly policy: readonly PTimerPolicy[]; readonly rateClamp: boolean } => {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    throw new PTimerSnapshotError('(root)', input, 'must be an object produced by PTimer.snapshot()');
  }
  const snap = input as Record<string, unknown>;
  if (snap.version !== PTIMER_SNAPSHOT_VERSION) {
    throw new PTimerSnapshotError('version', snap.version, `must be ${PTIMER_SNAPSHOT_VERSION}`);
  }
  const time = snap.time;
  if (typeof time !== 'number' || !Number.isSafeInteger(time) || time < 0) {
    throw new PTimerSnapshotError('time', time, 'must be a safe non-negative integer (ns)');
  }
  const policy = snap.policy;
  if (!Array.isArray(policy) || !policy.every((p) => (PTIMER_POLICIES as readonly unknown[]).includes(p))) {
    throw new PTimerSnapshotError('policy', policy, `must be an array of ${PTIMER_POLICIES.join(', ')}`);
  }
  if (typeof snap.rateClamp !== 'boolean') throw new PTimerSnapshotError('rateClamp', snap.rateClamp, 'must be a boolean');
  if (!MODES.includes(snap.mode as PTimerMode)) {
    throw new PTimerSnapshotError('mode', snap.mode, `must be one of ${MODES.join(', ')}`);
  }
  const I64_MAX = (1n << 63n) - 1n;
  const lastEvent = Number(bigField(snap, 'lastEvent', BigInt(Number.MAX_SAFE_INTEGER)));
  const nextEvent = bigField(snap, 'nextEvent', (1n << 128n) - 1n);
  const near = nextEvent <= BigInt(Number.MAX_SAFE_INTEGER);
  const state: PTimerState = {
    enabled: snap.mode as PTimerMode,
    limit: bigField(snap, 'limit', U64_MAX),
    delta: bigField(snap, 'delta', U64_MAX),
    period: bigField(snap, 'period', I64_MAX),
    periodFrac: bigField(snap, 'periodFrac', (1n << 32n) - 1n),
    lastEvent,
    nextEvent: near ? Number(nextEvent) : Infinity,
    farNextEvent: near ? 0n : nextEvent,
  };
  if (lastEvent > time) {
    throw new PTimerSnapshotError('lastEvent', snap.lastEvent, `must not be after the snapshot time ${time}`);
  }
  if (state.enabled !== 'stopped' && nextEvent < BigInt(time)) {
    throw new PTimerSnapshotError('nextEvent', snap.nextEvent, `a running timer's deadline must not be before the snapshot time ${time}`);
  }
  return { state, time, policy: policy as PTimerPolicy[], rateClamp: snap.rateClamp };
};
