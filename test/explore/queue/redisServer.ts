import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join, resolve } from 'node:path';
import { Redis } from 'ioredis';

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
  /** A client of the test's own (for the test's looks into the server). */
  readonly client: Redis;
  /** Keys the server holds now. */
  keys(): Promise<string[]>;
  /**
   * Keys the server holds once they are all gone, or after `millis` (what is left then): workers
   * still running notice a search's end at their next poll and remove what their last calls on it
   * wrote after the coordinator deleted its queue.
   */
  keysOnceSettled(millis?: number): Promise<string[]>;
  /** Ends the server (SIGTERM by default; SIGKILL: gone at once, as a crashed or unplugged Redis). */
  stop(signal?: NodeJS.Signals): Promise<void>;
}

/** Files of a TLS server: its certificate and key, and the CA that signed it (PEM paths). */
export interface TestTls {
  readonly ca: string;
  readonly cert: string;
  readonly key: string;
}

/**
 * Starts a redis-server on a free port.
 * @param options.args - more redis-server arguments, e.g. `['--requirepass', 'secret']`
 * @param options.password - what the test's own client authenticates with
 * @param options.tls - TLS only (`rediss://`), with these files
 */
export const startRedis = async (options: { args?: readonly string[]; password?: string; tls?: TestTls } = {}): Promise<TestRedis> => {
  const { args = [], password, tls } = options;
  const port = await freePort();
  const listen = tls === undefined ? ['--port', String(port)] : ['--port', '0', '--tls-port', String(port), '--tls-cert-file', tls.cert, '--tls-key-file', tls.key, '--tls-ca-cert-file', tls.ca, '--tls-auth-clients', 'no'];
  const server = spawn('redis-server', [...listen, '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', ...args], { stdio: 'ignore' });
  const client = await (async (): Promise<Redis> => {
    for (let i = 0; ; i++) {
      const c = new Redis({
        host: '127.0.0.1',
        port,
        lazyConnect: true,
        retryStrategy: () => null,
        ...(password === undefined ? {} : { password }),
        ...(tls === undefined ? {} : { tls: { ca: readFileSync(tls.ca) } }),
      });
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
    url: `${tls === undefined ? 'redis' : 'rediss'}://127.0.0.1:${port}`,
    port,
    client,
    keys: async () => (await client.keys('*')).sort(),
    keysOnceSettled: async (millis = 10_000) => {
      const until = Date.now() + millis;
      for (;;) {
        const keys = (await client.keys('*')).sort();
        if (keys.length === 0 || Date.now() >= until) return keys;
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    },
    stop: async (signal = 'SIGTERM') => {
      client.disconnect();
      await stopChild(server, signal);
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

/** A `ptimer-rx` process on the TypeScript sources (tsx), its output collected. */
export interface CliProcess {
  readonly child: ChildProcess;
  /** Everything it printed so far (stdout and stderr). */
  output(): string;
  /** Resolves with the first match of `pattern` in its output (now or later). */
  waitFor(pattern: RegExp): Promise<RegExpMatchArray>;
  /** Resolves with its exit code (null when a signal ended it) once it has exited. */
  exited(): Promise<number | null>;
  /** SIGTERM (a clean stop), and waits for the exit. */
  stop(): Promise<void>;
  /** SIGKILL: dies at once, mid-part. */
  kill(): Promise<void>;
}

/** A `ptimer-rx worker` process. */
export type WorkerProcess = CliProcess;

/** `ptimer-rx ARGS` as a process of its own (node itself, not npx: a signal must reach the process that runs it). */
export const startCli = (args: readonly string[], env: NodeJS.ProcessEnv = {}): CliProcess => {
  const child = spawn(process.execPath, ['--import', 'tsx', 'cli/main.ts', ...args], {
    cwd: ROOT,
    env: { ...process.env, ...env },
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
  const append = (chunk: Buffer): void => {
    text += chunk.toString();
    check();
  };
  child.stdout!.on('data', append);
  child.stderr!.on('data', append);
  const exit = new Promise<number | null>((done) => child.once('exit', (code) => done(code)));
  return {
    child,
    output: () => text,
    waitFor: (pattern) =>
      new Promise((done) => {
        waiting.push({ pattern, done });
        check();
      }),
    exited: () => exit,
    stop: () => stopChild(child),
    kill: () => stopChild(child, 'SIGKILL'),
  };
};

/** A `ptimer-rx worker` process taking parts from `url`, one thread, a 2 s lock. */
export const startWorker = (url: string, args: readonly string[] = [], env: NodeJS.ProcessEnv = {}): WorkerProcess =>
  startCli(['worker', '--queue', url, '--concurrency', '1', '--lock', '2s', ...args], env);

/**
 * A CA and a server certificate it signed for 127.0.0.1 (openssl, EC keys), in `dir`; undefined when
 * openssl is missing.
 */
export const makeTestTls = (dir: string): TestTls | undefined => {
  const run = (args: readonly string[]): boolean => spawnSync('openssl', args, { cwd: dir, stdio: 'ignore' }).status === 0;
  const ec = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];
  writeFileSync(join(dir, 'san.ext'), 'subjectAltName = IP:127.0.0.1\n');
  const made =
    run(['req', '-x509', ...ec, '-keyout', 'ca.key', '-out', 'ca.crt', '-days', '2', '-subj', '/CN=ptimer-rx test CA']) &&
    run(['req', ...ec, '-keyout', 'server.key', '-out', 'server.csr', '-subj', '/CN=127.0.0.1']) &&
    run(['x509', '-req', '-in', 'server.csr', '-CA', 'ca.crt', '-CAkey', 'ca.key', '-CAcreateserial', '-out', 'server.crt', '-days', '2', '-extfile', 'san.ext']);
  return made ? { ca: join(dir, 'ca.crt'), cert: join(dir, 'server.crt'), key: join(dir, 'server.key') } : undefined;
};
