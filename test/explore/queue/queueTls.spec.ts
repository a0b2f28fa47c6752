import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCaptured } from '../../cli/runCaptured';
import { hasRedisServer, makeTestTls, startCli, startRedis, startWorker } from './redisServer';

// rediss://: a redis-server of the test's own that speaks TLS only, its certificate signed by a CA of the
// test's own (openssl). Node trusts that CA only when told (NODE_EXTRA_CA_CERTS, read at start-up): the
// coordinator and the worker run as processes of their own with it.
const RACE = ['explore', '--mode', 'sync', '--expiries', '2'];
const dir = mkdtempSync(join(tmpdir(), 'ptimer-rx-tls-'));
const tls = hasRedisServer() ? makeTestTls(dir) : undefined;
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe.skipIf(tls === undefined)('explore --queue rediss:// (TLS)', () => {
  it("a certificate Node does not trust is one line; trusted, a search over TLS gives one thread's result", async () => {
    const redis = await startRedis({ tls: tls! });
    const at = `127.0.0.1:${redis.port}`;
    const env = { NODE_EXTRA_CA_CERTS: tls!.ca };
    const worker = startWorker(redis.url, [], env);
    try {
      const untrusted = await runCaptured([...RACE, '--queue', redis.url]);
      expect(untrusted.code).toBe(1);
      expect(untrusted.stderr).toMatch(new RegExp(`^ptimer-rx: --queue rediss://${at}: cannot reach Redis at ${at}: [^\\n]*certificate[^\\n]*\\n$`));
      await worker.waitFor(/taking parts/);
      const oneThread = await runCaptured([...RACE, '--workers', '1']);
      const search = startCli([...RACE, '--queue', redis.url, '--workers', '2'], env);
      // Code and output together: a failure shows what the search printed.
      expect({ code: await search.exited(), output: search.output() }).toEqual({ code: 0, output: oneThread.stdout });
      expect(worker.output()).toMatch(/part \S+ finished: \d+ schedule/);
      expect(await redis.keysOnceSettled()).toEqual([]);
    } finally {
      await worker.stop();
      await redis.stop();
    }
  });
});
