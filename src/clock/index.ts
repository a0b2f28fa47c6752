export {
  VirtualClock,
  type Chooser,
  type ChooserDefer,
  type ClockObserver,
  type PendingEvent,
  type TriggerNote,
  type VirtualClockOptions,
} from './VirtualClock';
export { labelOf, WORK_KINDS, workTag, type WorkKind, type WorkTag } from './WorkTag';
export { isTaggedScheduler, scheduleTagged, type TaggedScheduler } from './scheduleTagged';
export { scaleScheduler } from './scaleScheduler';
export { ClockObserverError, ClockRangeError, ClockReentryError, RunawayError } from './errors';
export { ClockInput } from './ClockInput';
export { BottomHalf, type BottomHalfPayload } from './BottomHalf';
export { checkpointBottomHalves, type BottomHalfCheckpoint } from './bottomHalfCheckpoint';
export { checkpointClock, type ClockCheckpoint } from './clockCheckpoint';
