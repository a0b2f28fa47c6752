import type { Redis } from 'ioredis';
import { bullKeysPattern, controlKey, runKey, RUNS_KEY } from './queueKeys';

/**
 * Keys BullMQ gives a lifetime of their own: a part's lock (a longer one
 * would keep a dead worker's part from the others), the stalled check's
 * and the rate limiter's timers, deduplication marks. Never touched here.
 */
const OWN_TTL = /:(lock|stalled-check|limiter)$|:de:/;

/**
 * PEXPIRE ARGV[1] ms on each key that has no TTL or, when ARGV[2] is
 * `longer`, one shorter than that: what `PEXPIRE … NX` and `… GT` do from
 * Redis 7.0, in a script so that older servers (BullMQ takes 5.0 and up) do it too.
 */
const EXPIRE_AT_LEAST = `local ms = tonumber(ARGV[1])
for _, key in ipairs(KEYS) do
  local ttl = redis.call('PTTL', key)
  if ttl == -1 or (ARGV[2] == 'longer' and ttl >= 0 and ttl < ms) then redis.call('PEXPIRE', key, ms) end
end
return 0`;

/** Every key of a search's BullMQ queue now. */
const bullKeys = async (client: Redis, queue: string): Promise<string[]> => {
  const keys: string[] = [];
  let cursor = '0';
  do {
    const [next, batch] = await client.scan(cursor, 'MATCH', bullKeysPattern(queue), 'COUNT', 200);
    keys.push(...batch);
    cursor = next;
  } while (cursor !== '0');
  return keys;
};

/**
 * The coordinator's heartbeat: announces the search (its run key, holding
 * the TTL, and its place in the set of runs) and gives every key of the
 * search, BullMQ's and ours, `ttlMillis` to live. Keys BullMQ creates
 * between two beats get theirs at the next one.
 * @param client - the coordinator's client
 * @param queue - the search's queue
 * @param ttlMillis - how long the keys live without another beat
 * @returns whether the search was still announced (false at the first beat, or after a lapse that let the keys expire)
 * @internal
 */
export const refreshSearchKeys = async (client: Redis, queue: string, ttlMillis: number): Promise<boolean> => {
  const keys = await bullKeys(client, queue);
  // EXISTS first, in the transaction: whether the search was still announced when this beat came.
  const batch = client.multi().exists(runKey(queue)).set(runKey(queue), String(ttlMillis), 'PX', ttlMillis).sadd(RUNS_KEY, queue);
  // The set of runs is shared: it lives as long as the longest-lived search in it, and twice as long, so that
  // workers see a dead search's heartbeat gone while it is still listed.
  batch.eval(EXPIRE_AT_LEAST, 1, RUNS_KEY, 2 * ttlMillis, 'longer');
  for (const key of [controlKey(queue), ...keys]) if (!OWN_TTL.test(key)) batch.pexpire(key, ttlMillis);
  const replies = await batch.exec();
  return replies?.[0]?.[1] === 1;
};

/**
 * A worker's tidying after a search it followed ended (or lost its
 * heartbeat): the keys its own last writes (re)created after the
 * coordinator's last beat get `ttlMillis` to live, if they have no TTL.
 * @param client - the worker's client
 * @param queue - the search's queue
 * @param ttlMillis - the search's TTL
 * @internal
 */
export const expireLeftoverKeys = async (client: Redis, queue: string, ttlMillis: number): Promise<void> => {
  const keys = await bullKeys(client, queue);
  await client.eval(EXPIRE_AT_LEAST, keys.length + 1, controlKey(queue), ...keys, ttlMillis, 'unset');
};

/**
 * After a search that ended (its coordinator deleted its queue and left the
 * runs set): removes what this worker's last calls on the queue wrote after
 * the deletion (BullMQ's `meta`, a stalled check), so that a finished search
 * leaves nothing behind. Queue names are never reused.
 * @param client - the worker's connection
 * @param queue - the search's queue
 * @internal
 */
export const removeLeftoverKeys = async (client: Redis, queue: string): Promise<void> => {
  const keys = await bullKeys(client, queue);
  if (keys.length > 0) await client.del(...keys);
};
