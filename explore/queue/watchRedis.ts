import type { Redis } from 'ioredis';
import { redisAddress } from './connectRedis';
import { QueueError } from './QueueError';

/** How long Redis may stay away, by default, before a search or a worker gives up (ms). @internal */
export const LOST_MILLIS = 30_000;

/**
 * Watches a connected client: PINGs it a few times per `lostMillis` and
 * calls `onLost` once when no answer came for `lostMillis` (a server that
 * went away, or a connection that hangs without closing: commands then wait
 * for ever, as BullMQ wants them to, so without this nobody would stop).
 * A pause of this process is not taken for Redis's silence: after a late
 * tick, the answer that may be waiting is read before the next judgement.
 * Wall-clock time: the queue lives outside virtual time.
 * @param client - the client, connected
 * @param lostMillis - how long without an answer is too long
 * @param onLost - called once, with the error to report
 * @returns stops watching
 * @internal
 */
export const watchRedis = (client: Redis, lostMillis: number, onLost: (error: QueueError) => void): (() => void) => {
  const every = Math.min(Math.max(Math.round(lostMillis / 4), 25), 5_000);
  let lastAnswer = Date.now();
  let lastTick = lastAnswer;
  let asking = false;
  let stopped = false;
  const tick = (): void => {
    if (stopped) return;
    const now = Date.now();
    // This process was busy (a late tick): an answer may be waiting unread on the socket. Judge at the next tick.
    const late = now - lastTick > 2 * every;
    lastTick = now;
    if (!late && now - lastAnswer >= lostMillis) {
      stop();
      onLost(new QueueError(`lost Redis at ${redisAddress(client)}: no answer for ${lostMillis / 1000} s`));
      return;
    }
    if (asking) return;
    asking = true;
    client.ping().then(
      () => {
        lastAnswer = Date.now();
        asking = false;
      },
      () => {
        asking = false; // the connection broke: the next tick asks again, on the reopened one
      },
    );
  };
  const timer = setInterval(tick, every);
  const stop = (): void => {
    stopped = true;
    clearInterval(timer);
  };
  return stop;
};
