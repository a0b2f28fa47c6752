import type { Redis } from 'ioredis';
import { bullKeysPattern, controlKey, runKey, RUNS_KEY } from './queueKeys';

/**
 * Keys BullMQ gives a lifetime of their own: a part's lock (a longer one
 * would keep a dead worker's part from the others), the stalled check's
 * and the rate limiter's timers, deduplication marks. Never touched here.
 */
const OWN_TTL = /:(lock|stalled-check|limiter)$|:de:/;

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
  const batch = client.multi().set(runKey(queue), String(ttlMillis), 'PX', ttlMillis, 'GET').sadd(RUNS_KEY, queue);
  // The set of runs is shared: it lives as long as the longest-lived search in it (NX: it had no TTL; GT: a
  // longer one), and twice as long, so that workers see a dead search's heartbeat gone while it is still listed.
  batch.pexpire(RUNS_KEY, 2 * ttlMillis, 'NX').pexpire(RUNS_KEY, 2 * ttlMillis, 'GT');
  for (const key of [controlKey(queue), ...keys]) if (!OWN_TTL.test(key)) batch.pexpire(key, ttlMillis);
  const replies = await batch.exec();
  return replies?.[0]?.[1] != null;
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
  const batch = client.multi();
  for (const key of [controlKey(queue), ...keys]) batch.pexpire(key, ttlMillis, 'NX');
  await batch.exec();
};
