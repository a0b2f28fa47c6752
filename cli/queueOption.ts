import type { ExplorePool } from '../explore/ExplorePool';
import { isArgumentError } from '../src/shared/ArgumentError';
import { describeValue } from '../src/shared/describeValue';
import { CliError, USAGE_ERROR } from './CliError';

/**
 * The parts of `--queue` searches as jobs in Redis (see `createQueuePool`), `parts` out at once.
 * BullMQ and the queue's modules load here, only when `--queue` is given.
 * @throws CliError naming `--queue` for a bad URL or a Redis that cannot be reached
 */
export const openQueuePool = async (url: string, parts: number): Promise<ExplorePool> => {
  const { createQueuePool } = await import('../explore/queue/createQueuePool');
  try {
    return await createQueuePool(url, { parts });
  } catch (error) {
    throw queueError(error, url);
  }
};

/**
 * A queue error told as `--queue`'s: a malformed URL is a usage error, an unreachable Redis names the URL.
 * @param error - what the queue threw
 * @param url - `--queue`'s value
 */
export const queueError = (error: unknown, url: string): unknown => {
  if (isArgumentError(error)) return new CliError(`--queue: ${describeValue(error.value)} is invalid: ${error.rule}`, USAGE_ERROR);
  if (error instanceof Error && error.name === 'QueueError') return new CliError(`--queue ${redactUrl(url)}: ${error.message}`);
  return error;
};

/**
 * A queue URL fit to print: its password, if any, as `***`.
 * @param url - `--queue`'s value
 */
export const redactUrl = (url: string): string => url.replace(/^(redis:\/\/[^:@/]*:)[^@/]*@/, '$1***@');
