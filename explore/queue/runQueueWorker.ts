import { SystemConfigError } from '../../system/errors';
import { createExplorePool } from '../ExplorePool';
import type { ExploreResult } from '../exploreSchedules';
import { partControlBlock, type PartControlBlock } from '../sharedPartControl';
import { connectRedis, CONNECT_MILLIS } from './connectRedis';
import { fromQueueJob, type QueueJob } from './QueueJob';
import { controlKey, QUEUE_PREFIX, runKey, RUNS_KEY } from './queueKeys';

/** Options of {@link runQueueWorker}. @internal */
export interface QueueWorkerOptions {
  /** Parts run at once (worker threads), per search. */
  readonly concurrency: number;
  /**
   * How long a part stays claimed without its worker renewing the claim (ms):
   * after a worker dies, its parts go to another worker within about this
   * plus half of it. BullMQ's `lockDuration`; the claim is renewed at half of it.
   */
  readonly lockMillis: number;
  /** One line per part started and finished, and per search seen. */
  readonly log: (line: string) => void;
  /** How long to wait for Redis (ms, default 5 000). */
  readonly connectMillis?: number;
}

/** A running queue worker. @internal */
export interface QueueWorker {
  /** Stops taking parts, finishes the parts it runs, ends the threads and disconnects. */
  close(): Promise<void>;
}

/** How often the worker looks for searches and reads its parts' control (ms). */
const POLL_MILLIS = 100;

interface Running {
  readonly queue: string;
  readonly id: string;
  readonly block: PartControlBlock;
}

/**
 * The worker side of the explorer's queue (see `createQueuePool`): follows
 * every search announced in Redis, takes their parts (BullMQ jobs), runs
 * each on a worker thread with the bound and split requests its coordinator
 * sends, and returns the part's result. Runs until `close()`.
 * @param url - `redis://HOST:PORT`
 * @param options - concurrency, lock duration, log
 * @returns the running worker
 * @throws SystemConfigError for a bad URL or option; QueueError when Redis cannot be reached
 * @internal
 */
export const runQueueWorker = async (url: string, options: QueueWorkerOptions): Promise<QueueWorker> => {
  const { concurrency, lockMillis, log } = options;
  if (!Number.isSafeInteger(lockMillis) || lockMillis < 100) throw new SystemConfigError(lockMillis, 'must be a whole number of ms, at least 100', 'runQueueWorker(lockMillis)');
  const client = await connectRedis(url, 'worker --queue', options.connectMillis ?? CONNECT_MILLIS);
  const { Worker } = await import('bullmq');
  const pool = createExplorePool(concurrency);
  const connection = client as never; // see createQueuePool
  const followed = new Map<string, { close(force?: boolean): Promise<void> }>();
  const running = new Map<string, Running>();
  let closing: Promise<void> | undefined;

  const apply = (block: PartControlBlock, state: string | null): void => {
    if (state === null) return;
    const [bound, split] = state.split(',').map(Number);
    if (bound !== undefined && bound >= 0) block.lowerBound(bound);
    if (split === 1) block.requestSplit();
  };

  const follow = (queue: string): void => {
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
        connection,
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
    followed.set(queue, worker);
    log(`${queue}: following`);
  };

  const unfollow = (queue: string): void => {
    const worker = followed.get(queue);
    if (worker === undefined) return;
    followed.delete(queue);
    // Its parts are left to finish: a part this worker cut short would read, to a coordinator that is only
    // late with its heartbeat, as a part that hit its bound (a wrong, truncated result).
    void worker.close().catch(() => undefined);
    log(`${queue}: ended`);
  };

  let polling = false;
  const poll = async (): Promise<void> => {
    if (polling) return;
    polling = true;
    try {
      const queues = (await client.smembers(RUNS_KEY)) ?? [];
      for (const queue of closing === undefined ? queues : []) {
        const live = (await client.get(runKey(queue))) !== null;
        if (live && !followed.has(queue)) follow(queue);
        // A coordinator that died left its search announced: forget it (its queue expires with nobody to feed).
        if (!live) await client.raw(['SREM', RUNS_KEY, queue]);
      }
      for (const queue of [...followed.keys()]) if (!queues.includes(queue) || (await client.get(runKey(queue))) === null) unfollow(queue);
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
  await poll();
  const timer = setInterval(() => void poll(), POLL_MILLIS);

  return {
    close: () =>
      (closing ??= (async () => {
        // Takes no more parts and finishes those it runs (still steered by their coordinators): a part is
        // never reported cut short. A worker that must stop at once is killed; its parts go to others.
        const workers = [...followed.values()];
        followed.clear();
        await Promise.all(workers.map((w) => w.close().catch(() => undefined)));
        clearInterval(timer);
        await pool.destroy();
        client.disconnect();
      })()),
  };
};
