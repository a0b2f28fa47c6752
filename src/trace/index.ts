export {
  traceEventName,
  type AccessEvent,
  type ExpiryEvent,
  type GuestErrorEvent,
  type IrqEvent,
  type MarkEvent,
  type TraceEvent,
  type TriggerEvent,
  type UnimplementedEvent,
  type ViolationEvent,
} from './TraceEvent';
export type { AccessRecorder, TraceSink } from './TraceSink';
export { Trace } from './Trace';
export { TraceDigest } from './TraceDigest';
export { canonicalTraceEvent } from './canonicalTraceEvent';
export { TraceFormatError, type TraceFormatContext } from './errors';
export * from './waveform';
