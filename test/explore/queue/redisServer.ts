import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { resolve } from 'node:path';
import { RedisClient } from '../../../explore/queue/RedisClient';

/** Whether Debian's redis-server is installed (.ci/run installs it; the queue tests need it). */
export const hasRedisServer = (): boolean => spawnSync('redis-server', ['--version'], { stdio: 'ignore' }).status === 0;

/** A TCP port nothing listens on now. */
export const freePort = (): Promise<number> =>
  new Promise((done, fail) => {
    const server = createServer();
    server.once('error', fail);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => done(port));
    });
  });

/** A redis-server of the test's own on 127.0.0.1 (no persistence), never a system service. */
export interface TestRedis {
  readonly url: string;
  readonly port: number;
  /** Keys the server holds now. */
  keys(): Promise<string[]>;
  stop(): Promise<void>;
}

export const startRedis = async (): Promise<TestRedis> => {
  const port = await freePort();
  const server = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], { stdio: 'ignore' });
  const client = await (async (): Promise<RedisClient> => {
    for (let i = 0; ; i++) {
      const c = new RedisClient({ host: '127.0.0.1', port, retryStrategy: () => null });
      c.on('error', () => undefined);
      try {
        await c.connect();
        return c;
      } catch (error) {
        c.disconnect();
        if (i > 100 || server.exitCode !== null) throw error;
        await new Promise((r) => setTimeout(r, 100));
      }
    }
  })();
  return {
    url: `redis://127.0.0.1:${port}`,
    port,
    keys: async () => ((await client.raw(['KEYS', '*'])) as string[]).sort(),
    stop: async () => {
      client.disconnect();
      await stopChild(server);
    },
  };
};

const stopChild = (child: ChildProcess, signal: NodeJS.Signals = 'SIGTERM'): Promise<void> =>
  new Promise((done) => {
    if (child.exitCode !== null || child.signalCode !== null) return done();
    child.once('exit', () => done());
    child.kill(signal);
  });

const ROOT = resolve(__dirname, '../../..');

/** A `ptimer-rx worker` process on the TypeScript sources (tsx), its output collected. */
export interface WorkerProcess {
  readonly child: ChildProcess;
  /** Everything it printed so far. */
  output(): string;
  /** Resolves with the first match of `pattern` in its output (now or later). */
  waitFor(pattern: RegExp): Promise<RegExpMatchArray>;
  /** SIGTERM (a clean stop), and waits for the exit. */
  stop(): Promise<void>;
  /** SIGKILL: dies at once, mid-part. */
  kill(): Promise<void>;
}

export const startWorker = (url: string, args: readonly string[] = []): WorkerProcess => {
  // node itself, not npx: a signal must reach the process that runs the worker.
  const child = spawn(process.execPath, ['--import', 'tsx', 'cli/main.ts', 'worker', '--queue', url, '--concurrency', '1', '--lock', '2s', ...args], {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let text = '';
  const waiting: { pattern: RegExp; done: (m: RegExpMatchArray) => void }[] = [];
  const check = (): void => {
    for (const w of [...waiting]) {
      const m = text.match(w.pattern);
      if (m !== null) {
        waiting.splice(waiting.indexOf(w), 1);
        w.done(m);
      }
    }
  };
  child.stdout!.on('data', (chunk: Buffer) => {
    text += chunk.toString();
    check();
  });
  child.stderr!.on('data', (chunk: Buffer) => {
    text += chunk.toString();
  });
  return {
    child,
    output: () => text,
    waitFor: (pattern) =>
      new Promise((done) => {
        waiting.push({ pattern, done });
        check();
      }),
    stop: () => stopChild(child),
    kill: () => stopChild(child, 'SIGKILL'),
  };
};
