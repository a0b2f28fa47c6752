import { createServer } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCaptured } from '../../cli/runCaptured';
import { freePort, hasRedisServer, startRedis, startWorker, type TestRedis } from './redisServer';

// `explore --queue`: the parts as BullMQ jobs in a real redis-server (the test's own, on a free port), run by
// `ptimer-rx worker` processes; the merged result must be one thread's, to the character.
const RACE = ['explore', '--mode', 'sync', '--expiries', '4'];

describe.skipIf(!hasRedisServer())('explore --queue on redis-server', () => {
  let redis: TestRedis;
  let oneThread: Awaited<ReturnType<typeof runCaptured>>;

  beforeAll(async () => {
    redis = await startRedis();
    oneThread = await runCaptured([...RACE, '--workers', '1']);
    expect(oneThread.stdout).toContain('1296 schedule(s) run, 0 pruned, space exhausted');
  });
  afterAll(async () => {
    await redis?.stop();
  });

  it('a worker killed (SIGKILL) mid-part: the part is taken again by the other, and the result is one thread\'s', async () => {
    const a = startWorker(redis.url);
    const b = startWorker(redis.url);
    try {
      await Promise.all([a.waitFor(/taking parts/), b.waitFor(/taking parts/)]);
      const search = runCaptured([...RACE, '--queue', redis.url, '--workers', '2']);
      // The first part a worker starts runs on a thread it starts then (seconds on the sources): killed mid-part.
      const first = await Promise.race([a, b].map((w) => w.waitFor(/part (\S+) started/).then((m) => ({ w, part: m[1]! }))));
      await first.w.kill();
      const other = first.w === a ? b : a;
      const result = await search;
      expect(result).toEqual(oneThread);
      expect(first.w.output()).not.toMatch(new RegExp(`part ${first.part} finished`));
      expect(other.output()).toMatch(new RegExp(`part ${first.part} started[^]*part ${first.part} finished`));
      expect(await redis.keysOnceSettled()).toEqual([]); // the search's queue, announcement and control are gone
    } finally {
      await Promise.all([a.kill(), b.stop()]);
    }
  });

  it('a worker stopped (SIGTERM) mid-part finishes that part and takes no more; the result is one thread\'s', async () => {
    const a = startWorker(redis.url);
    const b = startWorker(redis.url);
    try {
      await Promise.all([a.waitFor(/taking parts/), b.waitFor(/taking parts/)]);
      const search = runCaptured([...RACE, '--queue', redis.url, '--workers', '2']);
      const first = await Promise.race([a, b].map((w) => w.waitFor(/part (\S+) started/).then((m) => ({ w, part: m[1]! }))));
      const stopped = first.w.stop();
      const result = await search;
      await stopped;
      expect(result).toEqual(oneThread);
      const log = first.w.output();
      expect(log).toMatch(new RegExp(`part ${first.part} finished[^]*worker: stopped`));
      expect(log.match(/part \S+ started/g)).toHaveLength(1);
    } finally {
      await Promise.all([a.kill(), b.stop()]);
    }
  });

  it('a worker that joins after the search started takes parts, and the result is one thread\'s', async () => {
    const a = startWorker(redis.url);
    let b: ReturnType<typeof startWorker> | undefined;
    try {
      await a.waitFor(/taking parts/);
      const search = runCaptured([...RACE, '--queue', redis.url, '--workers', '4']);
      await a.waitFor(/part \S+ started/);
      b = startWorker(redis.url);
      const result = await search;
      expect(result).toEqual(oneThread);
      expect(b.output()).toMatch(/part \S+ finished: \d+ schedule/);
      expect(a.output()).toMatch(/part \S+ finished: \d+ schedule/);
    } finally {
      await Promise.all([a.stop(), b?.stop()]);
    }
  });
});

describe('explore --queue: bad input is one line', () => {
  it('a URL that is not redis://HOST:PORT is a usage error naming --queue', async () => {
    const r = await runCaptured(['explore', '--queue', 'http://localhost:6379']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^ptimer-rx: --queue: "http:\/\/localhost:6379" is invalid: must be redis:\/\/HOST:PORT.*\(run with --help for usage\)\n$/);
  });

  it('a Redis that is not there is an error at once, not a hang', async () => {
    const port = await freePort();
    const r = await runCaptured(['explore', '--queue', `redis://127.0.0.1:${port}`]);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe(`ptimer-rx: --queue redis://127.0.0.1:${port}: cannot reach Redis at 127.0.0.1:${port}: connect ECONNREFUSED 127.0.0.1:${port}\n`);
  });

  it('a server that takes the connection and never answers is an error after 5 s, not a hang', async () => {
    const silent = createServer(() => undefined);
    await new Promise<void>((done) => silent.listen(0, '127.0.0.1', done));
    const { port } = silent.address() as { port: number };
    try {
      const r = await runCaptured(['explore', '--queue', `redis://127.0.0.1:${port}`]);
      expect(r.code).toBe(1);
      expect(r.stderr).toBe(`ptimer-rx: --queue redis://127.0.0.1:${port}: cannot reach Redis at 127.0.0.1:${port}: no answer within 5 s\n`);
    } finally {
      silent.close();
    }
  });

  it('worker: the same errors, and a --lock too short is named', async () => {
    const port = await freePort();
    const bad = await runCaptured(['worker', '--queue', 'redis://:6379']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/^ptimer-rx: --queue: "redis:\/\/:6379" is invalid: must be redis:\/\/HOST:PORT/);
    const away = await runCaptured(['worker', '--queue', `redis://127.0.0.1:${port}`, '--concurrency', '1']);
    expect(away.code).toBe(1);
    expect(away.stderr).toContain(`cannot reach Redis at 127.0.0.1:${port}`);
    const lock = await runCaptured(['worker', '--queue', `redis://127.0.0.1:${port}`, '--lock', '50ms']);
    expect(lock.code).toBe(2);
    expect(lock.stderr).toBe('ptimer-rx: --lock (ms): 50 is invalid: must be a whole number of ms, at least 100 (run with --help for usage)\n');
  });
});
