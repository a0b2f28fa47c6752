/**
 * Where the explorer's queue keeps its things in Redis. Each search (one
 * `explore --queue` call, one delivery mode) has a BullMQ queue of its own,
 * named uniquely, so searches running at once never share a part. Workers
 * find the searches in a set and follow each while its heartbeat key lives.
 * @internal
 * @module
 */

/** BullMQ's key prefix for the explorer's queues (BullMQ's default is `bull`). @internal */
export const QUEUE_PREFIX = 'ptimer-rx';

/** The set of the queues of the searches running now. @internal */
export const RUNS_KEY = `${QUEUE_PREFIX}:runs`;

/** A search's heartbeat: present while its coordinator lives (refreshed well inside its expiry). @internal */
export const runKey = (queue: string): string => `${QUEUE_PREFIX}:run:${queue}`;

/** A search's live part control: a hash, job id → `bound,split` (see `partControlBlock`). @internal */
export const controlKey = (queue: string): string => `${QUEUE_PREFIX}:control:${queue}`;

/** How long a heartbeat lasts unrefreshed (ms): a coordinator that died is forgotten after this. @internal */
export const HEARTBEAT_MILLIS = 60_000;
