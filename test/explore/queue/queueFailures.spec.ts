import { describe, expect, it } from 'vitest';
import { createQueuePool } from '../../../explore/queue/createQueuePool';
import { bullKeysPattern } from '../../../explore/queue/queueKeys';
import { runCaptured } from '../../cli/runCaptured';
import { hasRedisServer, startCli, startRedis, startWorker } from './redisServer';

// What goes wrong around the queue, against a real redis-server of the test's own: Redis gone mid-search,
// a coordinator that crashes, a refused password. The race's space with 4 expiries: parts of seconds each.
const RACE = ['explore', '--mode', 'sync', '--expiries', '4'];

/** Polls `probe` until it holds (every 100 ms), failing with `what` after `millis`. */
const eventually = async (probe: () => Promise<boolean>, what: string, millis: number): Promise<void> => {
  const end = Date.now() + millis;
  while (!(await probe())) {
    if (Date.now() > end) throw new Error(`not within ${millis / 1000} s: ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
};

/** `promise`, or a failure naming `what` (and what `output` shows) after `millis`: a hang is reported, not a timeout. */
const within = async <T>(promise: Promise<T>, millis: number, what: string, output: () => string): Promise<T> => {
  let timer: ReturnType<typeof setTimeout> | undefined;
  try {
    return await Promise.race([promise, new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`${what}: not within ${millis / 1000} s; output:\n${output()}`)), millis)))]);
  } finally {
    clearTimeout(timer);
  }
};

describe.skipIf(!hasRedisServer())('the queue when things fail (redis-server)', () => {
  it('Redis killed mid-search: the search and the worker each fail with one line after --redis-timeout, exit code 1', async () => {
    const redis = await startRedis();
    const worker = startWorker(redis.url, ['--redis-timeout', '2s']);
    try {
      await worker.waitFor(/taking parts/);
      const search = runCaptured([...RACE, '--queue', redis.url, '--workers', '2', '--redis-timeout', '2s']);
      const first = await Promise.race([worker.waitFor(/part \S+ started/).then(() => 'a part started'), search.then((r) => `the search ended: ${r.stderr}`)]);
      expect(first).toBe('a part started');
      await redis.stop('SIGKILL');
      const lost = `--queue ${redis.url}: lost Redis at 127.0.0.1:${redis.port}: no answer for 2 s`;
      const r = await within(search, 30_000, 'the search ends', () => worker.output());
      expect(r.code).toBe(1);
      expect(r.stderr).toBe(`ptimer-rx: ${lost}\n`);
      expect(await within(worker.exited(), 30_000, 'the worker exits', () => worker.output())).toBe(1);
      expect(worker.output()).toContain(`ptimer-rx: ${lost}\n`);
      expect(worker.output()).not.toContain('worker: stopped');
    } finally {
      await worker.kill();
      await redis.stop();
    }
  });

  it('a coordinator killed (SIGKILL) mid-search: its keys all expire after --queue-ttl, and the worker drops the search', async () => {
    const redis = await startRedis();
    const worker = startWorker(redis.url);
    const coordinator = startCli([...RACE, '--queue', redis.url, '--workers', '2', '--queue-ttl', '2s']);
    try {
      await worker.waitFor(/taking parts/);
      const [, queue] = await worker.waitFor(/(\S+): part \S+ started/);
      // Alive, every key of the search lives at most the TTL: none is left without one (BullMQ's locks keep theirs).
      // (A key BullMQ made in the last few ms gets its TTL at the coordinator's next tick: hence "eventually".)
      let ttls: (readonly [string, number])[] = [];
      const allBounded = async (): Promise<boolean> => {
        const keys = await redis.keys();
        ttls = await Promise.all(keys.map(async (k) => [k, await redis.client.pttl(k)] as const));
        const unbounded = ttls.filter(([k, ttl]) => ttl < 0 || ttl > (k === 'ptimer-rx:runs' ? 4_000 : 2_000));
        return keys.includes(`ptimer-rx:run:${queue}`) && keys.filter((k) => k.startsWith(`ptimer-rx:${queue}:`)).length > 3 && unbounded.length === 0;
      };
      await eventually(allBounded, 'every key of the search has a TTL of at most 2 s', 10_000).catch((error: Error) => {
        throw new Error(`${error.message}: ${JSON.stringify(ttls)}`);
      });
      await coordinator.kill();
      await worker.waitFor(new RegExp(`${queue}: heartbeat gone: dropped`));
      // The part it ran is finished (a late coordinator must not get a truncated one); nothing is left after the TTL.
      await eventually(async () => (await redis.keys()).length === 0, 'the dead search\'s keys expire', 60_000);
      const after = worker.output().slice(worker.output().indexOf('heartbeat gone'));
      expect(after).not.toMatch(/part \S+ started/);
      expect(await redis.client.scan('0', 'MATCH', bullKeysPattern(queue!), 'COUNT', 1000)).toEqual(['0', []]);
    } finally {
      await coordinator.kill();
      await worker.stop();
      await redis.stop();
    }
  });

  it('a coordinator paused (SIGSTOP) past --queue-ttl: its keys expire; resumed, it fails with one line rather than wait for parts that are gone', async () => {
    const redis = await startRedis();
    const worker = startWorker(redis.url);
    // A search long enough (46 656 schedules, seconds) to be cut into parts; paused once its first part has handed
    // back the rest and a later part runs, so that parts are left the paused coordinator could only wait for (paused
    // earlier, the worker may finish the whole space in its first part: the coordinator then rightly succeeds).
    const coordinator = startCli(['explore', '--mode', 'sync', '--expiries', '6', '--queue', redis.url, '--workers', '2', '--queue-ttl', '1s']);
    try {
      await worker.waitFor(/taking parts/);
      const [, queue] = await worker.waitFor(/(\S+): part \S+ finished: .* handed back/);
      await worker.waitFor(new RegExp(`${queue}: part \\S+ started \\(schedules starting with`));
      coordinator.child.kill('SIGSTOP');
      await worker.waitFor(new RegExp(`${queue}: heartbeat gone: dropped`));
      const ofSearch = async (): Promise<string[]> => (await redis.keys()).filter((k) => k.includes(queue!));
      await eventually(async () => (await ofSearch()).length === 0, "the paused search's keys expire", 60_000);
      coordinator.child.kill('SIGCONT');
      expect(await coordinator.exited()).toBe(1);
      expect(coordinator.output()).toContain(`ptimer-rx: --queue ${redis.url}: the search's keys in Redis expired: this process gave no heartbeat for 1 s (the TTL)\n`);
    } finally {
      coordinator.child.kill('SIGCONT');
      await coordinator.kill();
      await worker.stop();
      await redis.stop();
    }
  });

  it('a password: refused (WRONGPASS) or missing (NOAUTH) is one line naming host:port, the password redacted; the right one connects', async () => {
    const redis = await startRedis({ args: ['--requirepass', 's3cret'], password: 's3cret' });
    const at = `127.0.0.1:${redis.port}`;
    try {
      const wrong = await runCaptured([...RACE, '--queue', `redis://:nope@${at}`]);
      expect(wrong.code).toBe(1);
      expect(wrong.stderr).toBe(`ptimer-rx: --queue redis://:***@${at}: cannot reach Redis at ${at}: WRONGPASS invalid username-password pair or user is disabled.\n`);
      const none = await runCaptured(['worker', '--queue', `redis://${at}`, '--concurrency', '1']);
      expect(none.code).toBe(1);
      expect(none.stderr).toBe(`ptimer-rx: --queue redis://${at}: cannot reach Redis at ${at}: NOAUTH: this Redis needs a password (redis://[USER]:PASSWORD@HOST:PORT)\n`);
      const pool = await createQueuePool(`redis://default:s3cret@${at}/3`);
      const [queue] = await redis.client.smembers('ptimer-rx:runs'); // db 0: the search went to db 3
      expect(queue).toBeUndefined();
      await redis.client.select(3);
      expect(await redis.client.smembers('ptimer-rx:runs')).toHaveLength(1);
      await pool.destroy();
      expect(await redis.keysOnceSettled()).toEqual([]);
    } finally {
      await redis.stop();
    }
  });
});

describe('the queue: bad durations are one line naming the option', () => {
  it('--queue-ttl, --redis-timeout (explore, worker) below 100 ms', async () => {
    const ttl = await runCaptured([...RACE, '--queue', 'redis://127.0.0.1:1', '--queue-ttl', '50ms']);
    expect(ttl.code).toBe(2);
    expect(ttl.stderr).toBe('ptimer-rx: --queue-ttl (ms): 50 is invalid: must be a whole number of ms from 100 to 86 400 000 (a day) (run with --help for usage)\n');
    const lost = await runCaptured(['worker', '--queue', 'redis://127.0.0.1:1', '--redis-timeout', '10ms']);
    expect(lost.code).toBe(2);
    expect(lost.stderr).toBe('ptimer-rx: --redis-timeout (ms): 10 is invalid: must be a whole number of ms from 100 to 86 400 000 (a day) (run with --help for usage)\n');
  });

  it('--redis-timeout and --queue-ttl without --queue (explore, a scenario, sweep) are refused, not ignored', async () => {
    const line = 'ptimer-rx: --redis-timeout, --queue-ttl: only with --queue (it tunes the search\'s use of Redis) (run with --help for usage)\n';
    for (const args of [RACE, ['explore', 'examples/scenarios/default.json'], ['sweep', '--devices', 'sp804']]) {
      const r = await runCaptured([...args, '--redis-timeout', '5s', '--queue-ttl', '10s']);
      expect(r.code).toBe(2);
      expect(r.stderr).toBe(line);
      expect(r.stdout).toBe('');
    }
    const one = await runCaptured([...RACE, '--queue-ttl', '10s']);
    expect(one.stderr).toBe('ptimer-rx: --queue-ttl: only with --queue (it tunes the search\'s use of Redis) (run with --help for usage)\n');
  });
});
