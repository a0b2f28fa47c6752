export { createQueuePool, type QueuePoolOptions } from './createQueuePool';
export { QueueError } from './QueueError';
