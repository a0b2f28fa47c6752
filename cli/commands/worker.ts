import { runQueueWorker } from '../../explore/queue/runQueueWorker';
import { millisOf, queueError, redactUrl } from '../queueOption';

/** Options of `ptimer-rx worker`, as parsed. */
export interface WorkerCommandOptions {
  readonly queue: string;
  readonly concurrency: number;
  /** How long a part stays claimed by a worker that stopped answering (ns). */
  readonly lock: number;
  /** `--redis-timeout`: how long Redis may be away before the worker stops (ns). */
  readonly redisTimeout?: number;
}

/**
 * `ptimer-rx worker --queue redis://HOST:PORT`: runs the parts of every
 * `explore --queue` and `sweep --queue` search announced in that Redis, on
 * `concurrency` threads, until SIGINT or SIGTERM (or `stop`, for tests), then
 * finishes the parts it runs (a killed worker's parts go to other workers).
 * Prints a line per search followed and per part started and finished.
 * @returns 0 once stopped
 * @throws CliError naming `--queue` when Redis is away for `--redis-timeout` (the worker stops, exit code 1)
 */
export const workerCommand = async (options: WorkerCommandOptions, print: (line: string) => void, stop?: Promise<void>): Promise<number> => {
  const lostMillis = millisOf(options.redisTimeout);
  const worker = await runQueueWorker(options.queue, {
    concurrency: options.concurrency,
    lockMillis: Math.round(options.lock / 1e6),
    log: print,
    ...(lostMillis === undefined ? {} : { lostMillis }),
  }).catch((error: unknown) => {
    throw queueError(error, options.queue);
  });
  print(`worker: ${options.concurrency} thread(s), taking parts from ${redactUrl(options.queue)} (Ctrl-C to stop)`);
  const stopped =
    stop ??
    new Promise<void>((resolve) => {
      process.once('SIGINT', () => resolve());
      process.once('SIGTERM', () => resolve());
    });
  await Promise.race([stopped.then(() => worker.close()), worker.done]).catch((error: unknown) => {
    throw queueError(error, options.queue);
  });
  print('worker: stopped');
  return 0;
};
