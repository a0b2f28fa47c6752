/**
 * A short check of the parallel explorer on 1 and 2 worker threads, in one
 * process: the forked default-scenario search (the figures of
 * bench/exploreScenario.ts without the re-run baseline, which takes minutes)
 * or, with `--race`, the race of bench/explore.ts (sp804, sync, 6 expiries,
 * the whole space; `--expiries k` for a smaller one).
 * `node --import ./bench/tsLoader.mjs bench/exploreScaling.ts [reps] [bound] [--race] [--expiries k] [--warmup k] [--parts]`
 * (`--warmup`: untimed runs of both variants first, default 1: a fresh thread's
 * first search runs much of its code unoptimized, up to 3x slower).
 * Prints one JSON line: medians of wall time and of the process's CPU time
 * (every thread's) per variant, the speed-up, the CPU the second thread
 * costs beyond the work (2-thread CPU / 1-thread CPU) and the load average
 * (the figures are only comparable within one run; the CPU ratio holds
 * better than wall time on a busy machine; `cpuSpeedUp` is the speed-up two
 * free cores would give by CPU alone). With `--parts`, also a table of
 * the last 2-thread run's parts: when each was handed out and ended, its
 * first run (set-up, rewind, replay of the prefix), its schedules, CPU, time
 * spent waiting for a core (other threads running: the other worker, the
 * compiler, the garbage collector) and
 * garbage collection, and each thread's idle time.
 */
import { loadavg } from 'node:os';
import { PerformanceObserver } from 'node:perf_hooks';
import { raceExplorer } from '../explore/exploreRace';
import { scenarioExplorer } from '../explore/exploreScenario';
import type { PartStats } from '../explore/exploreWorker';
import { parseScenario } from '../system/scenario/loadScenario';
import { DEFAULT_SCENARIO } from '../system/scenario/defaultScenario';
import { median } from './measure';
import { after, warmPool, type Measured, type Search } from './exploreBaseline';
import { threadCpuMs } from '../explore/threadCpuMs';

const args = process.argv.slice(2);
const flag = (name: string): boolean => args.includes(name);
const valueOf = (name: string): string | undefined => {
  const i = args.indexOf(name);
  return i < 0 ? undefined : args[i + 1];
};
const positional = args.filter((a, i) => !a.startsWith('--') && !(i > 0 && (args[i - 1] === '--expiries' || args[i - 1] === '--warmup')));
const reps = Number(positional[0] ?? 3);
const race = flag('--race');
const maxSchedules = Number(positional[1] ?? (race ? 1_000_000 : 2_000));

const searchOf = (): Search => {
  if (race) {
    const options = { device: 'sp804', delivery: 'sync' as const, expiries: Number(valueOf('--expiries') ?? 6), maxSchedules };
    const explorer = raceExplorer(options);
    return { build: explorer.build, options: { maxSchedules }, task: (prefix) => ({ kind: 'race', options, prefix }) };
  }
  const scenario = parseScenario(DEFAULT_SCENARIO);
  const options = { from: 999_000, until: 1_000_100, maxSchedules };
  const explorer = scenarioExplorer(scenario, options);
  return { build: explorer.build, options: explorer.exploreOptions, task: (prefix) => ({ kind: 'scenario', scenario, options, prefix }) };
};
const search = searchOf();
const warm = await warmPool(search, 2);
const one: number[] = [];
const two: number[] = [];
const runs: number[] = [];
const oneCpu: number[] = [];
const twoCpu: number[] = [];
/** Runs `f`, adding the CPU time (ms) the process spent meanwhile to `into`. */
const cpu = async <T>(into: number[], f: () => Promise<T>, main?: number[]): Promise<T> => {
  const c0 = process.cpuUsage();
  const m0 = threadCpuMs();
  const r = await f();
  const c = process.cpuUsage(c0);
  into.push((c.user + c.system) / 1000);
  main?.push(threadCpuMs() - m0);
  return r;
};
// Collections on this thread (the search itself on one worker).
const mainGc = { ms: 0, n: 0 };
new PerformanceObserver((list) => {
  for (const e of list.getEntries()) {
    mainGc.ms += e.duration;
    mainGc.n++;
  }
}).observe({ entryTypes: ['gc'] });
const oneMain: number[] = [];
const oneGc: number[] = [];
const twoMain: number[] = [];
let outcomes: string | undefined;
let last: Measured | undefined;
const timelines: number[] = [];
const warmups = Number(valueOf('--warmup') ?? 1);
try {
  // Untimed: the threads' code is compiled (optimized) for the search, as this thread's is by its set-up and first search.
  for (let i = 0; i < warmups; i++) {
    await after(search, 1);
    await after(search, 2, warm.pool);
  }
  for (let i = 0; i < reps; i++) {
    await new Promise((resolve) => setTimeout(resolve, 5));
    const gc0 = { ...mainGc };
    const a = await cpu(oneCpu, () => after(search, 1), oneMain);
    await new Promise((resolve) => setTimeout(resolve, 5));
    oneGc.push(mainGc.ms - gc0.ms);
    const b = await cpu(twoCpu, () => after(search, 2, warm.pool, flag('--parts')), twoMain);
    outcomes ??= a.result.outcomes;
    if (a.result.outcomes !== outcomes || b.result.outcomes !== outcomes) throw new Error('exploreScaling: outcomes differ');
    one.push(a.ms);
    two.push(b.ms);
    runs.push(b.runs);
    last = b;
    timelines.push(b.timeline?.ms ?? 0);
  }
} finally {
  await warm.pool.destroy();
}
const stats = (last?.timeline?.parts ?? []).map((p) => (p.result as { stats?: PartStats }).stats).filter((x) => x !== undefined);
const sum = (f: (s: PartStats) => number): number => Math.round(stats.reduce((a, s) => a + f(s), 0));
console.log(
  JSON.stringify({
    ...(stats.length === 0 ? {} : { lastTwo: { parts: stats.length, workerCpuMs: sum((s) => s.cpuMs), workerWaitMs: sum((s) => s.waitMs), workerGcMs: sum((s) => s.gcMs), firstRunsMs: sum((s) => s.firstRunMs), ms: Math.round(last!.timeline!.ms) } }),
    search: race ? 'race' : 'scenario',
    schedules: last?.result.schedules,
    oneMs: Math.round(median(one)),
    twoMs: Math.round(median(two)),
    speedUp: Number((median(one) / median(two)).toFixed(2)),
    oneCpuMs: Math.round(median(oneCpu)),
    twoCpuMs: Math.round(median(twoCpu)),
    cpuRatio: Number((median(twoCpu) / median(oneCpu)).toFixed(2)),
    // What two free cores would give (load-proof, an upper bound: the parts perfectly balanced): one thread's search
    // takes its own thread's CPU (its helper threads run on the other core); two take the whole process's CPU over two cores.
    cpuSpeedUp: Number(((2 * median(oneMain)) / median(twoCpu)).toFixed(2)),
    // This (the main) thread's CPU: the search itself on one worker, the coordinator's on two.
    oneMainCpuMs: Math.round(median(oneMain)),
    twoMainCpuMs: Math.round(median(twoMain)),
    oneGcMs: Math.round(median(oneGc)),
    twoRuns: median(runs),
    oneEach: one.map(Math.round),
    twoEach: two.map(Math.round),
    twoSearchEach: two.map((_, i) => Math.round(timelines[i] ?? 0)),
    load: loadavg().map((l) => Number(l.toFixed(2))),
  }),
);

const timeline = last?.timeline;
if (timeline !== undefined) {
  const f = (n: number): string => n.toFixed(0);
  console.log('\n| part | thread | start ms | end ms | first run ms | prefix (fixed) | schedules | pruned | CPU ms | wait ms | GC ms (n) | hand-offs |');
  console.log('|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|');
  const busy = new Map<number, number>();
  timeline.parts.forEach((p, i) => {
    const s = (p.result as { stats?: PartStats }).stats;
    if (s !== undefined) busy.set(s.thread, (busy.get(s.thread) ?? 0) + s.ms);
    console.log(
      `| ${i} | ${s?.thread ?? '-'} | ${f(p.startMs)} | ${f(p.endMs)} | ${s === undefined ? '-' : f(s.firstRunMs)} | ${p.prefix}${p.fixed === undefined ? '' : ` (${p.fixed})`} | ` +
        `${p.result.schedules} | ${p.result.pruned} | ${s === undefined ? '-' : f(s.cpuMs)} | ${s === undefined ? '-' : f(s.waitMs)} | ${s === undefined ? '-' : `${f(s.gcMs)} (${s.gcs})`} | ${s?.handOffs ?? '-'} |`,
    );
  });
  const idle = [...busy].map(([t, ms]) => `thread ${t}: ${f(timeline.ms - ms)} ms`).join(', ');
  console.log(`\nsearch ${f(timeline.ms)} ms; idle ${idle}; hand-offs received ${timeline.handOffs}`);
}
