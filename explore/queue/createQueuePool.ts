import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { SystemConfigError } from '../../system/errors';
import type { ExplorePool } from '../ExplorePool';
import type { ExploreResult } from '../exploreSchedules';
import type { ExploreTask } from '../exploreWorker';
import { connectRedis, CONNECT_MILLIS, giveUpRedis } from './connectRedis';
import { QueueError } from './QueueError';
import { toQueueJob } from './QueueJob';
import { controlKey, QUEUE_PREFIX, runKey, RUNS_KEY, TTL_MILLIS } from './queueKeys';
import { refreshSearchKeys } from './refreshSearchKeys';
import { checkMillis } from './checkMillis';
import { LOST_MILLIS, watchRedis } from './watchRedis';

/** Options of {@link createQueuePool}. */
export interface QueuePoolOptions {
  /**
   * How many parts are out at once (default 8): published and not yet
   * finished, whether a worker runs them or they wait for one. Make it the
   * workers' total concurrency, or a little more so a worker that joins late
   * finds work at once.
   */
  readonly parts?: number;
  /** How long to wait for Redis when connecting (ms, default 5 000). */
  readonly connectMillis?: number;
  /**
   * How long Redis may stay away (no answer) once connected (ms, default
   * 30 000, at least 100): past it the search fails with a
   * {@link QueueError} rather than wait for Redis for ever. A shorter outage
   * costs nothing: the connection is reopened and the search goes on.
   */
  readonly lostMillis?: number;
  /**
   * How long the search's keys in Redis outlive the coordinator's last
   * heartbeat (ms, default 60 000, at least 100; the heartbeat renews them
   * four times per TTL). A coordinator that crashed leaves nothing behind
   * for longer, and workers drop its search once its heartbeat is gone.
   * Keep it well above the pauses this process may have (a coordinator
   * whose heartbeat lapsed loses its search's parts).
   */
  readonly ttlMillis?: number;
}

/** How often the coordinator mirrors its parts' live control (bound, split) to Redis (ms). */
const SYNC_MILLIS = 50;

interface Published {
  readonly view: Int32Array | undefined;
  sent: string;
  readonly resolve: (result: ExploreResult) => void;
  readonly reject: (error: Error) => void;
}

/**
 * Parts of the explorer's searches as jobs on a BullMQ queue in Redis, for
 * `ptimer-rx worker` processes on any machine to run: an {@link ExplorePool}
 * (pass it as `pool` to `exploreRaceParallel` or `exploreScenarioParallel`)
 * whose "threads" are the parts out at once. The search itself is the one
 * threads run (parts handed out lazily in exploration order, a shared
 * bound, results merged in order), so the result is that of one thread. The
 * parts' live control (a lowered bound, a request to split) reaches the
 * workers through Redis, a few times a second. A part whose worker dies is
 * taken again by another once the dead worker's lock on it expires
 * (BullMQ's stalled jobs), and a worker that starts late takes the parts
 * still waiting.
 *
 * Each pool has a queue of its own (a unique name), announced to the
 * workers while the pool lives; `destroy()` deletes the queue and what the
 * pool kept in Redis. BullMQ is loaded only here.
 *
 * Ordering: as the explorers that use it (results merged in exploration order).
 *
 * ## Example
 * ```ts
 * // elsewhere, on any number of machines: ptimer-rx worker --queue redis://queue-host:6379
 * const pool = await createQueuePool('redis://queue-host:6379', { parts: 16 });
 * try {
 *   console.log(await exploreRaceParallel({ delivery: 'sync', pool }));
 * } finally {
 *   await pool.destroy();
 * }
 * ```
 * @param url - `redis://HOST:PORT` or `rediss://HOST:PORT` (TLS), optionally with `USER:PASSWORD@` and a `/DB`
 * @param options - parts out at once, connection timeout, how long Redis may be away, the keys' TTL
 * @returns the pool, connected
 * @throws SystemConfigError for a malformed URL or a bad option; QueueError when Redis cannot be reached
 */
export const createQueuePool = async (url: string, options: QueuePoolOptions = {}): Promise<ExplorePool> => {
  const parts = options.parts ?? 8;
  if (!Number.isSafeInteger(parts) || parts < 1 || parts > 4096) throw new SystemConfigError(parts, 'must be a whole number from 1 to 4096', 'createQueuePool(parts)');
  const lostMillis = checkMillis(options.lostMillis ?? LOST_MILLIS, 'createQueuePool(lostMillis)');
  const ttlMillis = checkMillis(options.ttlMillis ?? TTL_MILLIS, 'createQueuePool(ttlMillis)');
  const client = await connectRedis(url, 'createQueuePool(url)', options.connectMillis ?? CONNECT_MILLIS);
  const { Queue, QueueEvents } = await import('bullmq');
  const name = `explore-${hostname().replace(/[^\w.-]/g, '_')}-${process.pid}-${randomUUID().slice(0, 8)}`;
  const queue = new Queue(name, { connection: client, prefix: QUEUE_PREFIX });
  // A new queue: reading its events from the start misses none, however fast the first part ends.
  // (BullMQ reads them on a duplicate of the client: its blocking reads would hold up ours.)
  const events = new QueueEvents(name, { connection: client, prefix: QUEUE_PREFIX, lastEventId: '0-0' });
  const swallow = (): void => undefined; // connection trouble is retried by BullMQ; a part's failure comes as its event
  queue.on('error', swallow);
  events.on('error', swallow);
  await events.waitUntilReady();

  const published = new Map<string, Published>();
  let next = 0;
  let destroyed: Promise<void> | undefined;
  let lost: QueueError | undefined;
  let signalLost!: (error: QueueError) => void;
  const whenLost = new Promise<never>((_, reject) => (signalLost = reject));
  whenLost.catch(() => undefined);
  const fail = (error: QueueError): void => {
    lost = error;
    signalLost(error);
    for (const p of published.values()) p.reject(error);
    published.clear();
    // Commands waiting for the connection fail now; and nothing (BullMQ's own retries) may reopen it.
    giveUpRedis(client);
  };
  // Redis away past lostMillis: the search fails (its parts' results can no longer come), rather than wait for ever.
  const stopWatching = watchRedis(client, lostMillis, fail);

  // Announced again with each beat: a worker that found the heartbeat lapsed (this process busy past it) forgot it.
  let lastBeat = Date.now();
  let keysAdded = false;
  await refreshSearchKeys(client, name, ttlMillis);

  events.on('completed', ({ jobId, returnvalue }) => {
    const p = published.get(jobId);
    if (p === undefined) return;
    published.delete(jobId);
    p.resolve((typeof returnvalue === 'string' ? JSON.parse(returnvalue) : returnvalue) as ExploreResult);
  });
  events.on('failed', ({ jobId, failedReason }) => {
    const p = published.get(jobId);
    if (p === undefined) return;
    published.delete(jobId);
    p.reject(new QueueError(`a queue worker failed part ${jobId} of ${name}: ${failedReason}`));
  });

  // The coordinator lowers bounds and asks for splits in shared memory (see exploreInParts): mirror them.
  let syncing = false;
  /** The tick under way, which `destroy` waits for: a heartbeat that landed after its deletes would announce the search again. */
  let ticking: Promise<void> | undefined;
  const sync = (): void => {
    if (syncing || lost !== undefined || destroyed !== undefined) return;
    syncing = true;
    ticking = tick();
  };
  const tick = async (): Promise<void> => {
    try {
      const changed: Record<string, string> = {};
      for (const [id, p] of published) {
        if (p.view === undefined) continue;
        const now = encode(p.view);
        if (now !== p.sent) changed[id] = p.sent = now;
      }
      if (Object.keys(changed).length > 0) await client.hset(controlKey(name), changed);
      // A part published since the last beat made keys (its job, maybe the queue's lists): they get their TTL now.
      if (keysAdded || Date.now() - lastBeat >= ttlMillis / 4) {
        keysAdded = false;
        lastBeat = Date.now();
        // A heartbeat that finds the search gone: this process paused past the TTL and the search's keys (its
        // parts' jobs among them) expired. Its parts' results would never come: fail rather than wait for ever.
        if (!(await refreshSearchKeys(client, name, ttlMillis)) && lost === undefined) {
          fail(new QueueError(`the search's keys in Redis expired: this process gave no heartbeat for ${ttlMillis / 1000} s (the TTL)`));
        }
      }
    } catch {
      // Redis is away for a moment: the next tick sends what changed (the bound only falls, so nothing is lost).
    } finally {
      syncing = false;
    }
  };
  const timer = setInterval(sync, SYNC_MILLIS);

  const run = async (task: ExploreTask): Promise<ExploreResult> => {
    if (destroyed !== undefined) throw new SystemConfigError('run', 'cannot be called on a destroyed pool', 'ExplorePool.run()');
    if (lost !== undefined) throw lost;
    const id = `part-${++next}`; // BullMQ refuses custom ids that look like its own (integers)
    const view = task.control === undefined ? undefined : new Int32Array(task.control);
    const sent = view === undefined ? '-1,0' : encode(view);
    const bound = view === undefined || view[0] === -1 ? Number.POSITIVE_INFINITY : view[0]!;
    const result = new Promise<ExploreResult>((resolve, reject) => published.set(id, { view, sent, resolve, reject }));
    result.catch(() => undefined); // a search that failed elsewhere no longer waits on this part
    const publish = async (): Promise<void> => {
      await client.hset(controlKey(name), { [id]: sent });
      // One attempt: a worker that fails a part reports why (a scenario it cannot build, a check module it
      // cannot load); a worker that dies is not a failure but a stalled job, which BullMQ hands to another.
      await queue.add('part', toQueueJob(task, bound), { jobId: id, attempts: 1, removeOnComplete: true, removeOnFail: true });
    };
    try {
      // Raced with the loss: whatever BullMQ does with a connection that is gone, this part fails at once.
      await Promise.race([publish(), whenLost]);
    } catch (error) {
      throw lost ?? error;
    }
    keysAdded = true;
    return result;
  };

  const destroy = (): Promise<void> =>
    (destroyed ??= (async () => {
      clearInterval(timer);
      // Never a throw: a tick catches its own errors.
      await ticking;
      for (const p of published.values()) p.reject(new QueueError(`the queue ${name} was closed with parts still out`));
      published.clear();
      try {
        // Still watched: a Redis that goes away now fails these commands (the keys then expire by themselves).
        if (lost === undefined) {
          await client.srem(RUNS_KEY, name);
          await client.del(runKey(name), controlKey(name));
          await events.close();
          await queue.obliterate({ force: true });
          await queue.close();
        }
      } catch (error) {
        if (lost === undefined) throw error;
      } finally {
        stopWatching();
        if (lost !== undefined) {
          // Nothing to tidy (Redis is gone, or the keys expire by themselves): drop the connections (BullMQ's
          // duplicates would otherwise reconnect for ever).
          await events.disconnect().catch(() => undefined);
          await Promise.all([events.close(), queue.close()]).catch(() => undefined);
        }
        client.disconnect();
      }
    })());

  return { threads: parts, run, destroy };
};

/** A control block's state as the workers read it: `bound,split`, bound -1 for none. */
const encode = (view: Int32Array): string => `${Atomics.load(view, 0)},${Atomics.load(view, 1)}`;
