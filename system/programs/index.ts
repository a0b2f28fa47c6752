export {
  clocksourceReader,
  followsReading,
  type ClocksourceReader,
  type ClocksourceReaderOptions,
  type ClocksourceReaderPosition,
  type ClocksourceReaderStats,
} from './clocksourceReader';
export { periodicTick, type PeriodicTick, type PeriodicTickOptions, type PeriodicTickPosition, type PeriodicTickStats } from './periodicTick';
export { pollingReader, type PollingReader, type PollingReaderOptions, type PollingReaderPosition, type PollingReaderStats } from './pollingReader';
export { timedAccesses, type TimedBusAccess, type TimedAccesses, type TimedAccessesPosition, type TimedAccessesStats } from './timedAccesses';
export {
  watchdogFeeder,
  type WatchdogFeeder,
  type WatchdogFeederOptions,
  type WatchdogFeederPosition,
  type WatchdogFeederStats,
} from './watchdogFeeder';
export { readCounter } from './readCounter';
export { relocate } from './relocate';
export { ticksForDuration, ticksForRate } from './ticksForRate';
