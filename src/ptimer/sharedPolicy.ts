import { policyFlags, type PolicyFlags, type PTimerPolicy } from './PTimerPolicy';

/** A policy list checked once: its flags and a frozen copy. */
export interface SharedPolicy {
  /** The checked flags. */
  readonly flags: PolicyFlags;
  /** The list as given, frozen. */
  readonly frozen: readonly PTimerPolicy[];
}

/** One entry per distinct policy list: thousands of timers with one policy share one flags object. */
const POLICIES = new Map<string, SharedPolicy>();
/** The same entries by the identity of a frozen list (a frozen array's elements cannot change). */
const FROZEN = new WeakMap<readonly PTimerPolicy[], SharedPolicy>();

/** The frozen list of each shared flags object (flags and list are made together, one pair per distinct list). */
const LISTS = new WeakMap<PolicyFlags, readonly PTimerPolicy[]>();

/**
 * The frozen policy list a shared flags object was made from (a timer keeps only its flags).
 * @param flags - flags returned by {@link sharedPolicy}
 * @returns the frozen list
 */
export const policyListOf = (flags: PolicyFlags): readonly PTimerPolicy[] => LISTS.get(flags)!;

/** A new entry, its list findable from its flags. */
const entryOf = (policy: readonly PTimerPolicy[]): SharedPolicy => {
  const entry = { flags: policyFlags(policy), frozen: Object.freeze([...policy]) };
  LISTS.set(entry.flags, entry.frozen);
  return entry;
};

/**
 * The checked flags of `policy`, shared by every timer that uses the same list.
 * @param policy - the flags as given to a timer (untrusted: checked here)
 * @returns the shared entry
 * @throws PTimerPolicyError for an unknown, repeated or incompatible flag
 */
export const sharedPolicy = (policy: readonly PTimerPolicy[]): SharedPolicy => {
  // A frozen list cannot change: found by identity, without building a key (LEGACY_POLICY, a device's POLICY).
  const frozen = Array.isArray(policy) && Object.isFrozen(policy) ? FROZEN.get(policy) : undefined;
  if (frozen !== undefined) return frozen;
  // Only a plain list of strings is cached: anything else is checked (and refused) every time.
  const key = Array.isArray(policy) && policy.every((p) => typeof p === 'string') ? JSON.stringify(policy) : undefined;
  if (key === undefined) return entryOf(policy);
  let entry = POLICIES.get(key);
  if (entry === undefined) POLICIES.set(key, (entry = entryOf(policy)));
  if (Object.isFrozen(policy)) FROZEN.set(policy, entry);
  return entry;
};
