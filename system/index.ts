export { System, type RunOptions, type RunProgress, type RunResult, type SystemOptions } from './System';
export type { MapOptions } from './SystemBuilder';
export { SYSTEM_SNAPSHOT_VERSION, type GuestSnapshot, type SystemSnapshot } from './SystemSnapshot';
export { checkpointSystem, systemForks, type CheckpointOptions, type SystemCheckpoint, type SystemFork, type SystemForks } from './systemCheckpoint';
export { GUEST_SNAPSHOT_SCHEMA, SYSTEM_SNAPSHOT_SCHEMA } from './systemSnapshotSchema';
export { fromGenerator, type GuestProgram } from './GuestProgram';
export type { Recording, RecordedAccess, RecordedStep, RecordedStepSink } from './Recording';
export type { StreamedRecording } from './replaySteps';
export { BUS_SOURCE, SystemBus, type BusRegion } from './SystemBus';
export { GuestProgramError, ReplayDivergenceError, SystemConfigError, SystemSnapshotError } from './errors';
export {
  formatRecordedStep,
  formatRecordingFile,
  formatRecordingHeader,
  parseRecordingFile,
  RECORDING_FILE_VERSION,
  RecordingFormatError,
  type RecordingFile,
  type RecordingHeader,
} from './RecordingFile';
export { RecordingReader, textLines, type LineCursor, type RecordedEventLine, type RecordingFileTotals } from './RecordingReader';
export { raceExperiment, type RaceObservation, type RaceOptions, type RaceResult } from './race/raceExperiment';
export * from './catalogue';
export * from './programs';
export * from './scenario';
