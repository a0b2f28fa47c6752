import { RedisClient } from './RedisClient';
import { parseRedisUrl } from './parseRedisUrl';
import { QueueError } from './QueueError';

/** How long to wait for Redis before giving up (ms). @internal */
export const CONNECT_MILLIS = 5_000;

/**
 * Connects to the Redis a queue URL names. The first connection gets no
 * retry: a refused or failed connection, or none within `timeoutMillis`, is a
 * {@link QueueError} at once (a user waiting on a typo sees it, not a hang).
 * Once connected, a lost connection is reopened as usual.
 * @param url - `redis://host:port[/db]`
 * @param what - where the URL was given (for errors)
 * @param timeoutMillis - how long to wait
 * @returns a connected client
 * @throws SystemConfigError for a malformed URL; QueueError when Redis cannot be reached
 * @internal
 */
export const connectRedis = async (url: string, what: string, timeoutMillis = CONNECT_MILLIS): Promise<RedisClient> => {
  const where = parseRedisUrl(url, what);
  let connected = false;
  let lastError: Error | undefined;
  const client = new RedisClient({ ...where, retryStrategy: (times) => (connected ? Math.min(100 * 2 ** (times - 1), 2_000) : null) });
  const remember = (error: Error): void => {
    lastError = error;
  };
  client.on('error', remember);
  let timer: ReturnType<typeof setTimeout> | undefined;
  try {
    await Promise.race([
      // Connected is not enough: a server that takes the connection and never answers must time out too.
      client.connect().then(() => client.raw(['PING'])),
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`no answer within ${timeoutMillis / 1000} s`)), timeoutMillis);
      }),
    ]);
    connected = true;
    return client;
  } catch (error) {
    client.disconnect();
    const reason = error instanceof Error && error.message.startsWith('no answer') ? error.message : (lastError?.message ?? (error instanceof Error ? error.message : String(error)));
    throw new QueueError(`cannot reach Redis at ${where.host}:${where.port}: ${reason}`);
  } finally {
    clearTimeout(timer);
    client.off('error', remember);
  }
};
