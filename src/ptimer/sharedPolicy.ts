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

/**
 * The checked flags of `policy`, shared by every timer that uses the same list.
 * @param policy - the flags as given to a timer (untrusted: checked here)
 * @returns the shared entry
 * @throws PTimerPolicyError for an unknown, repeated or incompatible flag
 */
export const sharedPolicy = (policy: readonly PTimerPolicy[]): SharedPolicy => {
  // Only a plain list of strings is cached: anything else is checked (and refused) every time.
  const key = Array.isArray(policy) && policy.every((p) => typeof p === 'string') ? JSON.stringify(policy) : undefined;
  const known = key === undefined ? undefined : POLICIES.get(key);
  if (known !== undefined) return known;
  const entry: SharedPolicy = { flags: policyFlags(policy), frozen: Object.freeze([...policy]) };
  if (key !== undefined) POLICIES.set(key, entry);
  return entry;
};
