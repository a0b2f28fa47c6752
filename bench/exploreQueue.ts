/**
 * The explorer across processes: the race's whole space (sync delivery) on
 * one thread in this process, and on the queue (`createQueuePool`, a
 * redis-server of its own on a free port) with two `ptimer-rx worker`
 * processes of one thread each, in turn in each repetition. The workers are
 * started and warmed (one search each) before timing: their start-up
 * (compiling the sources) is reported apart. Skipped, with a
 * note, when redis-server is not installed.
 */
import { TS_LOADER_ARGS } from './tsLoaderArgs';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';
import { exploreRace } from '../explore/exploreRace';
import { exploreRaceParallel } from '../explore/exploreRaceParallel';
import { createQueuePool } from '../explore/queue/createQueuePool';
import { median } from './measure';

/** What {@link measureExploreQueue} found (medians over the repetitions). */
export interface ExploreQueueFigures {
  readonly skipped?: string;
  readonly expiries: number;
  readonly schedules: number;
  readonly reps: number;
  readonly oneThread: { readonly ms: number; readonly rate: number };
  readonly queue: { readonly ms: number; readonly rate: number };
  /** Starting the two workers and their first (warm-up) search (ms). */
  readonly warmUpMs: number;
}

const ROOT = fileURLToPath(new URL('..', import.meta.url));

const freePort = (): Promise<number> =>
  new Promise((done, fail) => {
    const server = createServer();
    server.once('error', fail);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => done(port));
    });
  });

const waitForLine = (child: ChildProcess, pattern: RegExp): Promise<void> =>
  new Promise((done, fail) => {
    let text = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      text += chunk.toString();
      if (pattern.test(text)) done();
    });
    child.once('exit', (code) => fail(new Error(`worker exited (${code}) before "${pattern.source}": ${text}`)));
  });

const stop = (child: ChildProcess): Promise<void> =>
  new Promise((done) => {
    if (child.exitCode !== null || child.signalCode !== null) return done();
    child.once('exit', () => done());
    child.kill('SIGTERM');
  });

/**
 * Runs the figures (quick: 3 expiries, one repetition; else 4 expiries, 3 repetitions).
 * @param quick - a short sanity run
 */
export const measureExploreQueue = async (quick: boolean): Promise<ExploreQueueFigures> => {
  const expiries = quick ? 3 : 4;
  const reps = quick ? 1 : 3;
  const none = { ms: 0, rate: 0 };
  if (spawnSync('redis-server', ['--version'], { stdio: 'ignore' }).status !== 0) {
    return { skipped: 'redis-server is not installed', expiries, schedules: 0, reps: 0, oneThread: none, queue: none, warmUpMs: 0 };
  }
  const port = await freePort();
  const url = `redis://127.0.0.1:${port}`;
  const redis = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], { stdio: 'ignore' });
  const workers: ChildProcess[] = [];
  try {
    await new Promise((r) => setTimeout(r, 300));
    const started = performance.now();
    for (let i = 0; i < 2; i++) {
      const w = spawn(process.execPath, [...TS_LOADER_ARGS, 'cli/main.ts', 'worker', '--queue', url, '--concurrency', '1'], { cwd: ROOT, stdio: ['ignore', 'pipe', 'inherit'] });
      workers.push(w);
    }
    await Promise.all(workers.map((w) => waitForLine(w, /taking parts/)));
    process.stderr.write(`queue: 2 workers up after ${((performance.now() - started) / 1000).toFixed(1)} s; warming up\n`);
    const pool = await createQueuePool(url, { parts: 2 });
    try {
      // Warm-up: each worker's thread starts (and compiles the sources) on its first part.
      await exploreRaceParallel({ delivery: 'sync', expiries: 3, pool });
      const warmUpMs = performance.now() - started;
      process.stderr.write(`queue: warm after ${(warmUpMs / 1000).toFixed(1)} s\n`);
      const one: number[] = [];
      const queued: number[] = [];
      let schedules = 0;
      for (let r = 0; r < reps; r++) {
        let t = performance.now();
        const a = exploreRace({ delivery: 'sync', expiries });
        one.push(performance.now() - t);
        t = performance.now();
        const b = await exploreRaceParallel({ delivery: 'sync', expiries, pool });
        queued.push(performance.now() - t);
        if (a.schedules !== b.schedules || a.exhausted !== b.exhausted) throw new Error(`queue and one thread differ: ${b.schedules} vs ${a.schedules} schedules`);
        schedules = a.schedules;
      }
      const ms = { one: median(one), queue: median(queued) };
      return {
        expiries,
        schedules,
        reps,
        oneThread: { ms: ms.one, rate: (schedules / ms.one) * 1000 },
        queue: { ms: ms.queue, rate: (schedules / ms.queue) * 1000 },
        warmUpMs,
      };
    } finally {
      await pool.destroy();
    }
  } finally {
    await Promise.all(workers.map(stop));
    await stop(redis);
  }
};

/** The figures as a section of bench/RESULTS.md. */
export const renderExploreQueue = (f: ExploreQueueFigures): string[] => {
  if (f.skipped !== undefined) return ['## Explorer on the queue', '', `Skipped: ${f.skipped}.`, ''];
  return [
    '## Explorer on the queue (two worker processes)',
    '',
    `The race (sp804, sync delivery, ${f.expiries} expiries): ${f.schedules} schedules, the whole space; medians of ${f.reps} repetition(s), one thread and the queue in turn.`,
    `Two \`ptimer-rx worker\` processes (one thread each) on a local redis-server, warmed first (start-up and first search: ${(f.warmUpMs / 1000).toFixed(1)} s).`,
    '',
    '| path | time (ms) | schedules/s | vs one thread |',
    '|---|---:|---:|---:|',
    `| one thread, in process | ${f.oneThread.ms.toFixed(0)} | ${f.oneThread.rate.toFixed(0)} | 1.00× |`,
    `| queue, 2 worker processes | ${f.queue.ms.toFixed(0)} | ${f.queue.rate.toFixed(0)} | ${(f.queue.rate / f.oneThread.rate).toFixed(2)}× |`,
    '',
  ];
};
