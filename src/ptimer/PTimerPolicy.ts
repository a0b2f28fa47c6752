import { PTimerPolicyError } from './errors';

/**
 * The policy flags, by their QEMU names. Each changes one corner of the
 * legacy behaviour (docs/semantics.md §7):
 */
export const PTIMER_POLICIES = [
  /** After a periodic expiry the counter rests at 0 for one period before it shows the limit. */
  'WRAP_AFTER_ONE_PERIOD',
  /** A running periodic timer with limit 0 triggers every period instead of stopping. */
  'CONTINUOUS_TRIGGER',
  /** A zero count never triggers at once; the trigger comes one period later (or never, if it reloads). */
  'NO_IMMEDIATE_TRIGGER',
  /** A zero count reads 0 for one period before it is reloaded from the limit. */
  'NO_IMMEDIATE_RELOAD',
  /** Reads show the hardware-like count (`floor + 1` between boundaries) instead of one less. */
  'NO_COUNTER_ROUND_DOWN',
  /** Only a decrement to 0 triggers; writing 0 (count, limit, or starting at 0) never does. */
  'TRIGGER_ONLY_ON_DECREMENT',
] as const;

/** One policy flag (see {@link PTIMER_POLICIES}). */
export type PTimerPolicy = (typeof PTIMER_POLICIES)[number];

/**
 * No flags: QEMU's legacy behaviour (zero count triggers and reloads at once,
 * reads are one less than hardware between boundaries, a periodic timer with
 * limit 0 stops). It is the default only for compatibility; new device
 * models should choose the flags their hardware needs and say why.
 */
export const LEGACY_POLICY: readonly PTimerPolicy[] = Object.freeze([]);

/** The flags as booleans, for the hot paths. */
export interface PolicyFlags {
  readonly wrapAfterOnePeriod: boolean;
  readonly continuousTrigger: boolean;
  readonly noImmediateTrigger: boolean;
  readonly noImmediateReload: boolean;
  readonly noCounterRoundDown: boolean;
  readonly triggerOnlyOnDecrement: boolean;
}

/**
 * Checks a policy list and turns it into flags.
 * @throws PTimerPolicyError for an unknown or repeated flag, or for
 *   TRIGGER_ONLY_ON_DECREMENT with NO_IMMEDIATE_TRIGGER (QEMU refuses the pair:
 *   one fires when the count becomes 0, the other when it stops being 0)
 */
export const policyFlags = (policy: readonly PTimerPolicy[]): PolicyFlags => {
  if (!Array.isArray(policy)) throw new PTimerPolicyError(policy, 'must be an array of policy flag names');
  const seen = new Set<string>();
  for (const flag of policy) {
    if (!(PTIMER_POLICIES as readonly unknown[]).includes(flag)) {
      throw new PTimerPolicyError(flag, `unknown flag; known flags are ${PTIMER_POLICIES.join(', ')}`);
    }
    if (seen.has(flag)) throw new PTimerPolicyError(flag, 'listed more than once');
    seen.add(flag);
  }
  if (seen.has('TRIGGER_ONLY_ON_DECREMENT') && seen.has('NO_IMMEDIATE_TRIGGER')) {
    throw new PTimerPolicyError(
      policy,
      'TRIGGER_ONLY_ON_DECREMENT cannot be combined with NO_IMMEDIATE_TRIGGER (QEMU refuses this pair)',
    );
  }
  return {
    wrapAfterOnePeriod: seen.has('WRAP_AFTER_ONE_PERIOD'),
    continuousTrigger: seen.has('CONTINUOUS_TRIGGER'),
    noImmediateTrigger: seen.has('NO_IMMEDIATE_TRIGGER'),
    noImmediateReload: seen.has('NO_IMMEDIATE_RELOAD'),
    noCounterRoundDown: seen.has('NO_COUNTER_ROUND_DOWN'),
    triggerOnlyOnDecrement: seen.has('TRIGGER_ONLY_ON_DECREMENT'),
  };
};

/**
 * Every valid policy set: all 64 subsets of the six flags except the 16 that
 * pair TRIGGER_ONLY_ON_DECREMENT with NO_IMMEDIATE_TRIGGER, i.e. 48, in
 * QEMU's bit order (the empty set first).
 */
export const policyCombinations = (): readonly (readonly PTimerPolicy[])[] => {
  const all: PTimerPolicy[][] = [];
  for (let mask = 0; mask < 1 << PTIMER_POLICIES.length; mask++) {
    const set = PTIMER_POLICIES.filter((_, bit) => (mask & (1 << bit)) !== 0);
    if (set.includes('TRIGGER_ONLY_ON_DECREMENT') && set.includes('NO_IMMEDIATE_TRIGGER')) continue;
    all.push(set);
  }
  return all;
};

/** A short name for a policy set: lower-case flags joined by `+`, or `legacy` for none. */
export const policyName = (policy: readonly PTimerPolicy[]): string =>
  policy.length === 0 ? 'legacy' : policy.map((flag) => flag.toLowerCase()).join('+');
