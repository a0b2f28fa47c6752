export {
  PTimer,
  type PTimerDiagnostic,
  type PTimerOptions,
  type PTimerTick,
  type PTimerTrigger,
  type PTimerTriggerCause,
} from './PTimer';
export {
  LEGACY_POLICY,
  PTIMER_POLICIES,
  policyCombinations,
  policyName,
  type PTimerPolicy,
} from './PTimerPolicy';
export type { PTimerMode } from './PTimerState';
export {
  PTIMER_SNAPSHOT_VERSION,
  PTIMER_TIMINGS,
  type PTimerExactSnapshot,
  type PTimerQemuSnapshot,
  type PTimerSnapshot,
  type PTimerTiming,
} from './PTimerSnapshot';
export {
  PTimerCallbackError,
  PTimerPolicyError,
  PTimerRangeError,
  PTimerSnapshotError,
  PTimerTransactionError,
} from './errors';
