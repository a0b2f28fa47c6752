export { VirtualClock, type PendingEvent, type VirtualClockOptions } from './VirtualClock';
export { scaleScheduler } from './scaleScheduler';
export { ClockRangeError, ClockReentryError, RunawayError } from './errors';
export { ClockInput } from './ClockInput';
