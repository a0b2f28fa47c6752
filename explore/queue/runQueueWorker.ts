import { SystemConfigError } from '../../system/errors';
import { createExplorePool } from '../ExplorePool';
import type { ExploreResult } from '../exploreSchedules';
import { partControlBlock, type PartControlBlock } from '../sharedPartControl';
import { checkMillis } from './checkMillis';
import { connectRedis, CONNECT_MILLIS, giveUpRedis } from './connectRedis';
import type { createQueuePool } from './createQueuePool';
import type { QueueError } from './QueueError';
import { fromQueueJob, type QueueJob } from './QueueJob';
import { controlKey, QUEUE_PREFIX, runKey, RUNS_KEY, TTL_MILLIS } from './queueKeys';
import { expireLeftoverKeys, removeLeftoverKeys } from './refreshSearchKeys';
import { LOST_MILLIS, watchRedis } from './watchRedis';

/** Options of {@link runQueueWorker}. */
export interface QueueWorkerOptions {
  /** Parts run at once (worker threads), per search. */
  readonly concurrency: number;
  /**
   * How long a part stays claimed without its worker renewing the claim (ms):
   * after a worker dies, its parts go to another worker within about this
   * plus half of it. BullMQ's `lockDuration`; the claim is renewed at half of it.
   */
  readonly lockMillis: number;
  /** One line per part started and finished, and per search seen (default: none). */
  readonly log?: (line: string) => void;
  /** How long to wait for Redis when connecting (ms, default 5 000). */
  readonly connectMillis?: number;
  /**
   * How long Redis may stay away (no answer) once connected (ms, default
   * 30 000, at least 100): past it the worker stops by itself (its parts
   * are abandoned; another worker takes them once Redis is back) and
   * {@link QueueWorker.done} rejects with a {@link QueueError}.
   */
  readonly lostMillis?: number;
}

/** A running queue worker (see {@link runQueueWorker}). */
export interface QueueWorker {
  /** Stops taking parts, finishes the parts it runs, ends the threads and disconnects. Idempotent. */
  close(): Promise<void>;
  /**
   * Settles when the worker has stopped: resolves once `close()` is done;
   * rejects with a {@link QueueError} when the worker stopped by itself,
   * Redis having been away for `lostMillis`.
   */
  readonly done: Promise<void>;
}

/** How often the worker looks for searches and reads its parts' control (ms). */
const POLL_MILLIS = 100;

interface Running {
  readonly queue: string;
  readonly id: string;
  readonly block: PartControlBlock;
}

interface Followed {
  readonly worker: { close(force?: boolean): Promise<void>; disconnect(): Promise<void> };
  /** The search's TTL (its run key's value), for the keys this worker leaves behind. */
  readonly ttlMillis: number;
}

/**
 * The worker side of the explorer's queue (see {@link createQueuePool}):
 * follows every search announced in Redis, takes their parts (BullMQ jobs),
 * runs each on a worker thread with the bound and split requests its
 * coordinator sends, and returns the part's result. A search whose
 * coordinator's heartbeat is gone (it crashed, or lost Redis) is dropped:
 * no new parts of it are taken, and the keys this worker wrote for it get
 * the search's TTL. Runs until `close()`, or until Redis has been away
 * for `lostMillis`. Node only (worker threads, TCP).
 *
 * Ordering: a part runs as on the coordinator's own threads (the result of
 * the search is that of one thread).
 *
 * ## Example
 * ```ts
 * const worker = await runQueueWorker('redis://queue-host:6379', { concurrency: 4, lockMillis: 10_000, log: console.log });
 * process.once('SIGTERM', () => void worker.close());
 * await worker.done; // rejects if Redis is away for 30 s
 * ```
 * @param url - `redis://HOST:PORT` or `rediss://HOST:PORT` (TLS), optionally with `USER:PASSWORD@` and a `/DB`
 * @param options - concurrency, lock duration, log, connection timeout, how long Redis may be away
 * @returns the running worker
 * @throws SystemConfigError for a bad URL or option; QueueError when Redis cannot be reached
 */
export const runQueueWorker = async (url: string, options: QueueWorkerOptions): Promise<QueueWorker> => {
  const { concurrency, lockMillis } = options;
  const log = options.log ?? ((): void => undefined);
  if (!Number.isSafeInteger(concurrency) || concurrency < 1 || concurrency > 256) throw new SystemConfigError(concurrency, 'must be a whole number from 1 to 256', 'runQueueWorker(concurrency)');
  if (!Number.isSafeInteger(lockMillis) || lockMillis < 100) throw new SystemConfigError(lockMillis, 'must be a whole number of ms, at least 100', 'runQueueWorker(lockMillis)');
  const lostMillis = checkMillis(options.lostMillis ?? LOST_MILLIS, 'runQueueWorker(lostMillis)');
  const client = await connectRedis(url, 'runQueueWorker(url)', options.connectMillis ?? CONNECT_MILLIS);
  const { Worker } = await import('bullmq');
  const pool = createExplorePool(concurrency);
  const followed = new Map<string, Followed>();
  const running = new Map<string, Running>();
  let closing: Promise<void> | undefined;
  let timer: ReturnType<typeof setInterval> | undefined;
  let settle!: { resolve: () => void; reject: (error: QueueError) => void };
  const done = new Promise<void>((resolve, reject) => (settle = { resolve, reject }));
  done.catch(() => undefined); // a caller that only calls close() never sees it

  const apply = (block: PartControlBlock, state: string | null): void => {
    if (state === null) return;
    const [bound, split] = state.split(',').map(Number);
    if (bound !== undefined && bound >= 0) block.lowerBound(bound);
    if (split === 1) block.requestSplit();
  };

  const follow = (queue: string, ttlMillis: number): void => {
    const worker = new Worker(
      queue,
      async (job): Promise<ExploreResult> => {
        const data = job.data as QueueJob;
        const id = job.id!;
        const block = partControlBlock(data.bound);
        apply(block, await client.hget(controlKey(queue), id));
        const key = `${queue}/${id}`;
        running.set(key, { queue, id, block });
        log(`${queue}: part ${id} started (${data.prefix.length === 0 ? 'the whole space' : `schedules starting with ${data.prefix.length} given choice(s)`})`);
        try {
          const result = await pool.run({ ...fromQueueJob(data), control: block.buffer });
          log(`${queue}: part ${id} finished: ${result.schedules} schedule(s), ${result.pruned} pruned${result.rest === undefined ? '' : `, ${result.rest.length} handed back`}`);
          return result;
        } finally {
          running.delete(key);
        }
      },
      {
        connection: client,
        prefix: QUEUE_PREFIX,
        concurrency,
        lockDuration: lockMillis,
        stalledInterval: Math.max(50, Math.round(lockMillis / 2)),
        // A part taken again after its worker died more than this often is failed (a part that kills workers).
        maxStalledCount: 5,
      },
    );
    // A search that ends takes its queue with it: the worker's last calls on it may fail; nothing to report.
    worker.on('error', () => undefined);
    followed.set(queue, { worker, ttlMillis });
    log(`${queue}: following`);
  };

  const unfollow = (queue: string, why: string, ended = false): void => {
    const f = followed.get(queue);
    if (f === undefined) return;
    followed.delete(queue);
    // Its parts are left to finish: a part this worker cut short would read, to a coordinator that is only
    // late with its heartbeat, as a part that hit its bound (a wrong, truncated result). What finishing them
    // wrote after the coordinator's last beat gets the search's TTL (a crashed coordinator's keys all expire);
    // after a search that ended, it is removed (its coordinator has deleted the rest).
    void f.worker
      .close()
      .then(() => (ended ? removeLeftoverKeys(client, queue) : expireLeftoverKeys(client, queue, f.ttlMillis)))
      .catch(() => undefined);
    log(`${queue}: ${why}`);
  };

  let polling = false;
  const poll = async (): Promise<void> => {
    if (polling) return;
    polling = true;
    try {
      const queues = await client.smembers(RUNS_KEY);
      const beats = queues.length === 0 ? [] : await client.mget(...queues.map(runKey));
      for (const [i, queue] of queues.entries()) {
        const beat = beats[i] ?? null;
        if (beat !== null && !followed.has(queue) && closing === undefined) follow(queue, ttlOf(beat));
        // A coordinator that died left its search announced: forget it (its keys expire with its heartbeat's TTL).
        if (beat === null) {
          await client.srem(RUNS_KEY, queue);
          unfollow(queue, 'heartbeat gone: dropped (no new parts taken)');
        }
      }
      for (const queue of [...followed.keys()]) if (!queues.includes(queue)) unfollow(queue, 'ended', true);
      const byQueue = new Map<string, Running[]>();
      for (const r of running.values()) byQueue.set(r.queue, [...(byQueue.get(r.queue) ?? []), r]);
      for (const [queue, list] of byQueue) {
        const states = await client.hmget(controlKey(queue), ...list.map((r) => r.id));
        list.forEach((r, i) => apply(r.block, states[i] ?? null));
      }
    } catch {
      // Redis is away for a moment: BullMQ's connections retry; so does the next poll.
    } finally {
      polling = false;
    }
  };

  // Redis away past lostMillis: stop (the parts' results could not be returned), rather than wait for ever.
  // During a close() too: it would wait for ever on the parts' last writes.
  const stopWatching = watchRedis(client, lostMillis, (error) => {
    clearInterval(timer);
    const workers = [...followed.values()];
    followed.clear();
    // Commands waiting for the connection fail now; and nothing (BullMQ's own retries) may reopen it.
    giveUpRedis(client);
    // BullMQ's workers are stopped but not waited for (their teardown may wait on Redis): their loops end,
    // their connections can no longer reopen.
    for (const f of workers) {
      void f.worker.close(true).catch(() => undefined);
      void f.worker.disconnect().catch(() => undefined);
    }
    const stopping = pool.destroy().catch(() => undefined);
    closing ??= stopping;
    void stopping.then(() => settle.reject(error));
  });

  await poll();
  if (closing === undefined) timer = setInterval(() => void poll(), POLL_MILLIS);

  return {
    close: () =>
      (closing ??= (async () => {
        // Takes no more parts and finishes those it runs (still steered by their coordinators): a part is
        // never reported cut short. A worker that must stop at once is killed; its parts go to others.
        const workers = [...followed.values()];
        followed.clear();
        await Promise.all(workers.map((f) => f.worker.close().catch(() => undefined)));
        clearInterval(timer);
        stopWatching();
        await pool.destroy();
        client.disconnect();
        settle.resolve();
      })()),
    done,
  };
};

/** A search's TTL from its run key (a coordinator older than the TTLs wrote `1`: the default then). */
const ttlOf = (beat: string): number => {
  const ttl = Number(beat);
  return Number.isSafeInteger(ttl) && ttl >= 100 ? ttl : TTL_MILLIS;
};
