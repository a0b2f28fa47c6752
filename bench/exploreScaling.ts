/**
 * A short check of the forked scenario search on 1 and 2 worker threads, in
 * one process (the figures of bench/exploreScenario.ts without the re-run
 * baseline, which takes minutes): `npx tsx bench/exploreScaling.ts [reps] [bound]`.
 * Prints one JSON line: medians of wall time and of the process's CPU time
 * (every thread's) per variant, the speed-up, the CPU the second thread
 * costs beyond the work (2-thread CPU / 1-thread CPU) and the load average
 * (the figures are only comparable within one run; the CPU ratio holds
 * better than wall time on a busy machine).
 */
import { loadavg } from 'node:os';
import { scenarioExplorer } from '../explore/exploreScenario';
import { parseScenario } from '../system/scenario/loadScenario';
import { DEFAULT_SCENARIO } from '../system/scenario/defaultScenario';
import { median } from './measure';
import { after, warmPool, type Search } from './exploreBaseline';

const reps = Number(process.argv[2] ?? 3);
const maxSchedules = Number(process.argv[3] ?? 2_000);
const scenario = parseScenario(DEFAULT_SCENARIO);
const options = { from: 999_000, until: 1_000_100, maxSchedules };
const explorer = scenarioExplorer(scenario, options);
const search: Search = { build: explorer.build, options: explorer.exploreOptions, task: (prefix) => ({ kind: 'scenario', scenario, options, prefix }) };
const warm = await warmPool(search, 2);
const one: number[] = [];
const two: number[] = [];
const runs: number[] = [];
const oneCpu: number[] = [];
const twoCpu: number[] = [];
/** Runs `f`, adding the CPU time (ms) the process spent meanwhile to `into`. */
const cpu = async <T>(into: number[], f: () => Promise<T>): Promise<T> => {
  const c0 = process.cpuUsage();
  const r = await f();
  const c = process.cpuUsage(c0);
  into.push((c.user + c.system) / 1000);
  return r;
};
let outcomes: string | undefined;
try {
  for (let i = 0; i < reps; i++) {
    const a = await cpu(oneCpu, () => after(search, 1));
    const b = await cpu(twoCpu, () => after(search, 2, warm.pool));
    outcomes ??= a.result.outcomes;
    if (a.result.outcomes !== outcomes || b.result.outcomes !== outcomes) throw new Error('exploreScaling: outcomes differ');
    one.push(a.ms);
    two.push(b.ms);
    runs.push(b.runs);
  }
} finally {
  await warm.pool.destroy();
}
console.log(
  JSON.stringify({
    schedules: maxSchedules,
    oneMs: Math.round(median(one)),
    twoMs: Math.round(median(two)),
    speedUp: Number((median(one) / median(two)).toFixed(2)),
    oneCpuMs: Math.round(median(oneCpu)),
    twoCpuMs: Math.round(median(twoCpu)),
    cpuRatio: Number((median(twoCpu) / median(oneCpu)).toFixed(2)),
    twoRuns: median(runs),
    load: loadavg().map((l) => Number(l.toFixed(2))),
  }),
);
