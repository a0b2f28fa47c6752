export { accessesFrom, type TimedAccess } from './accessesFrom';
export { applyAccesses } from './applyAccesses';
export {
  assertInvariant,
  DEFAULT_INVARIANT_HISTORY,
  type AssertInvariantOptions,
  type InvariantPredicate,
} from './assertInvariant';
export { deliverAsBottomHalf } from './deliverAsBottomHalf';
export {
  wait,
  waitForIrq,
  waitUntil,
  type DriverCommand,
  type DriverInput,
  type WaitCommand,
  type WaitForIrqCommand,
  type WaitUntilCommand,
} from './driverCommands';
export {
  DriverCommandError,
  DriverRunawayError,
  InvariantViolationError,
  OperatorArgumentError,
  TimedAccessError,
} from './errors';
export { DEFAULT_MAX_COMMANDS_PER_INSTANT, runDriver, type DriverProgram, type DriverWait, type RunDriverOptions } from './runDriver';
export { sampleCount, type CountSample, type CountSource } from './sampleCount';
export { toJsonSafe, traceAs } from './traceAs';
export { deliverTriggers } from './deliverTriggers';
