import type { ExplorePool } from '../explore/ExplorePool';
import { isArgumentError } from '../src/shared/ArgumentError';
import { describeValue } from '../src/shared/describeValue';
import { CliError, USAGE_ERROR } from './CliError';
import { optionError } from './optionError';

/** The queue's options of `explore` and `sweep`, as parsed. */
export interface QueueCommandOptions {
  /** Run the parts on a BullMQ queue in Redis (`--queue`). */
  readonly queue?: string;
  /** `--redis-timeout`: how long Redis may be away before the search fails (ns). */
  readonly redisTimeout?: number;
  /** `--queue-ttl`: how long the search's keys outlive its coordinator's last heartbeat (ns). */
  readonly queueTtl?: number;
}

/**
 * Refuses the queue's tuning options without `--queue` (they would be ignored without a word).
 * @throws CliError (usage) naming the option
 */
export const checkQueueOptions = (options: QueueCommandOptions): void => {
  if (options.queue !== undefined) return;
  const given = [options.redisTimeout === undefined ? [] : ['--redis-timeout'], options.queueTtl === undefined ? [] : ['--queue-ttl']].flat();
  if (given.length > 0) throw new CliError(`${given.join(', ')}: only with --queue (it tunes the search's use of Redis)`, USAGE_ERROR);
};

/** The library's names for the queue's duration options, as the CLI's. */
const QUEUE_OPTIONS = {
  'createQueuePool(lostMillis)': '--redis-timeout (ms)',
  'createQueuePool(ttlMillis)': '--queue-ttl (ms)',
  'runQueueWorker(lostMillis)': '--redis-timeout (ms)',
  'runQueueWorker(lockMillis)': '--lock (ms)',
};

/** A duration option in ns as the library's ms (absent stays absent). */
export const millisOf = (ns: number | undefined): number | undefined => (ns === undefined ? undefined : Math.round(ns / 1e6));

/**
 * The parts of `--queue` searches as jobs in Redis (see `createQueuePool`), `parts` out at once.
 * BullMQ and the queue's modules load here, only when `--queue` is given. A part that fails
 * because of the queue (Redis gone past `--redis-timeout`, a worker that failed it) names `--queue`.
 * @throws CliError naming `--queue` for a bad URL or a Redis that cannot be reached, or the option at fault
 */
export const openQueuePool = async (url: string, parts: number, options: QueueCommandOptions = {}): Promise<ExplorePool> => {
  const { createQueuePool } = await import('../explore/queue/createQueuePool');
  const lostMillis = millisOf(options.redisTimeout);
  const ttlMillis = millisOf(options.queueTtl);
  try {
    const pool = await createQueuePool(url, { parts, ...(lostMillis === undefined ? {} : { lostMillis }), ...(ttlMillis === undefined ? {} : { ttlMillis }) });
    return {
      threads: pool.threads,
      run: (task) =>
        pool.run(task).catch((error: unknown) => {
          throw queueError(error, url);
        }),
      destroy: () => pool.destroy(),
    };
  } catch (error) {
    throw queueError(error, url);
  }
};

/**
 * A queue error told as `--queue`'s: a malformed URL is a usage error, an unreachable or lost Redis names
 * the URL, a bad duration option names that option.
 * @param error - what the queue threw
 * @param url - `--queue`'s value
 */
export const queueError = (error: unknown, url: string): unknown => {
  const named = optionError(error, QUEUE_OPTIONS);
  if (named !== error) return named;
  if (isArgumentError(error)) return new CliError(`--queue: ${describeValue(error.value)} is invalid: ${error.rule}`, USAGE_ERROR);
  if (error instanceof Error && error.name === 'QueueError') return new CliError(`--queue ${redactUrl(url)}: ${error.message}`);
  return error;
};

/**
 * A queue URL fit to print: its password, if any, as `***`.
 * @param url - `--queue`'s value
 */
export const redactUrl = (url: string): string => url.replace(/^(rediss?:\/\/[^:@/]*:)[^@/]*@/, '$1***@');
