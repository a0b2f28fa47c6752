import { Redis } from 'ioredis';
import { parseRedisUrl } from './parseRedisUrl';
import { QueueError } from './QueueError';

/** How long to wait for Redis before giving up (ms). @internal */
export const CONNECT_MILLIS = 5_000;

/** Reconnect delays once connected: 100 ms, doubling, at most 2 s; never gives up (the watchdog decides). */
const backoff = (times: number): number => Math.min(100 * 2 ** (times - 1), 2_000);

/** Per client: ends its reconnecting, and that of every duplicate BullMQ made of it (they share its strategy). */
const stoppers = new WeakMap<Redis, () => void>();

/**
 * Stops a client connected by {@link connectRedis} and all its duplicates
 * from reconnecting ever again, and disconnects it: once Redis is given up
 * for lost, nothing may keep trying (and keep the process alive).
 * @param client - a client from `connectRedis`
 * @internal
 */
export const giveUpRedis = (client: Redis): void => {
  stoppers.get(client)?.();
  client.disconnect();
};

/**
 * `host:port` of a client (for errors).
 * @internal
 */
export const redisAddress = (client: Redis): string => `${client.options.host ?? '?'}:${client.options.port ?? '?'}`;

/**
 * Connects to the Redis a queue URL names, with ioredis. The first
 * connection gets no retry: a refused or failed connection, a refused
 * password, or no answer to PING within `timeoutMillis` is a
 * {@link QueueError} at once (a user waiting on a typo sees it, not a hang).
 * Once connected, a lost connection is reopened with backoff, and commands
 * wait for it (`maxRetriesPerRequest: null`, as BullMQ's workers require):
 * how long Redis may stay away is the caller's watchdog's to say.
 * @param url - `redis[s]://[user:password@]host:port[/db]`
 * @param what - where the URL was given (for errors)
 * @param timeoutMillis - how long to wait
 * @returns a connected client
 * @throws SystemConfigError for a malformed URL; QueueError when Redis cannot be reached
 * @internal
 */
export const connectRedis = async (url: string, what: string, timeoutMillis = CONNECT_MILLIS): Promise<Redis> => {
  const target = parseRedisUrl(url, what);
  let connected = false;
  let givenUp = false;
  let lastError: Error | undefined;
  const client = new Redis({
    ...target,
    // Node's defaults: the certificate checked against the host, which is also the SNI name unless an IP address.
    tls: target.tls === true ? {} : undefined,
    lazyConnect: true,
    maxRetriesPerRequest: null,
    // BullMQ's duplicates of this client copy the strategy: they reconnect too, once this one has connected.
    retryStrategy: (times) => (connected && !givenUp ? backoff(times) : null),
  });
  stoppers.set(client, () => {
    givenUp = true;
  });
  // Kept for the client's life: without a listener ioredis prints each reconnection's error to the console.
  client.on('error', (error: Error) => {
    lastError = error;
  });
  let timer: ReturnType<typeof setTimeout> | undefined;
  try {
    await Promise.race([
      // Connected is not enough: a server that takes the connection and never answers must time out too.
      client.connect().then(() => client.ping()),
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`no answer within ${timeoutMillis / 1000} s`)), timeoutMillis);
      }),
    ]);
    connected = true;
    return client;
  } catch (error) {
    client.disconnect();
    const reason = error instanceof Error && error.message.startsWith('no answer') ? error.message : explain(lastError ?? error);
    throw new QueueError(`cannot reach Redis at ${target.host}:${target.port}: ${reason}`);
  } finally {
    clearTimeout(timer);
  }
};

/** The reason for a failed connection, in one line. */
const explain = (error: unknown): string => {
  const message = error instanceof Error ? error.message : String(error);
  // Redis's own NOAUTH text is about HELLO, which the user never sent.
  if (message.startsWith('NOAUTH')) return 'NOAUTH: this Redis needs a password (redis://[USER]:PASSWORD@HOST:PORT)';
  return message;
};
