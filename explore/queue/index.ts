/**
 * ptimer-rx/queue: the explorer's parts as jobs on a BullMQ queue in Redis
 * (ioredis), for worker processes on any machine. Node only: it opens TCP
 * connections and worker threads. {@link createQueuePool} is the
 * coordinator's side (an `ExplorePool` for `exploreRaceParallel` and
 * `exploreScenarioParallel`), {@link runQueueWorker} the workers' (what
 * `ptimer-rx worker` runs).
 * @packageDocumentation
 * @module ptimer-rx/queue
 */
export { createQueuePool, type QueuePoolOptions } from './createQueuePool';
export { runQueueWorker, type QueueWorker, type QueueWorkerOptions } from './runQueueWorker';
export { QueueError } from './QueueError';
