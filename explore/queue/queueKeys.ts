/**
 * Where the explorer's queue keeps its things in Redis. Each search (one
 * `explore --queue` call, one delivery mode) has a BullMQ queue of its own,
 * named uniquely, so searches running at once never share a part. Workers
 * find the searches in a set and follow each while its heartbeat key lives.
 * Every key of a search expires unless its coordinator's heartbeat renews it
 * (see `refreshSearchKeys`): a coordinator that crashed leaves nothing behind
 * for longer than its TTL.
 * @internal
 * @module
 */

/** BullMQ's key prefix for the explorer's queues (BullMQ's default is `bull`). @internal */
export const QUEUE_PREFIX = 'ptimer-rx';

/** The set of the queues of the searches running now (its TTL is the longest of theirs). @internal */
export const RUNS_KEY = `${QUEUE_PREFIX}:runs`;

/**
 * A search's heartbeat: present while its coordinator lives (renewed four
 * times per TTL). Its value is the search's TTL in ms, for the workers that
 * tidy after a search whose heartbeat is gone. @internal
 */
export const runKey = (queue: string): string => `${QUEUE_PREFIX}:run:${queue}`;

/** A search's live part control: a hash, job id → `bound,split` (see `partControlBlock`). @internal */
export const controlKey = (queue: string): string => `${QUEUE_PREFIX}:control:${queue}`;

/** The SCAN pattern of BullMQ's keys of a search's queue (`prefix:queue:suffix`). @internal */
export const bullKeysPattern = (queue: string): string => `${QUEUE_PREFIX}:${queue.replace(/[*?[\]\\]/g, '\\$&')}:*`;

/** How long a search's keys outlive its coordinator's last heartbeat, by default (ms). @internal */
export const TTL_MILLIS = 60_000;
