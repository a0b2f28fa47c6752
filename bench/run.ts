/**
 * `npm run bench`: N periodic timers with distinct periods, run to about
 * 1 000 000 expiries, on VirtualClock, rxjs's VirtualTimeScheduler,
 * @sinonjs/fake-timers (when installed), a bare hand-written heap loop, and
 * PTimer on VirtualClock; all in this process,
 * interleaved, every run checked against the closed-form expiry count.
 * Writes bench/RESULTS.md (full run) and prints a summary.
 *
 * Flags (see --help): --quick (2 warm-ups, 2 reps, 100 000 expiries, N up to
 * 10 000; no file unless --out), --only <id-prefix,...>, --n <list>,
 * --reps <k>, --warmup <k>, --events <count>, --rxjs-budget <ms per rep>,
 * --rxjs-setup-max <ms>, --out <path>, --no-write. Only the default full run
 * writes bench/RESULTS.md by itself. A variant that runs a different number
 * of expiries than expected throws WrongCountError: exit code 1, no file.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import os from 'node:os';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { median, sample, type Sample } from './measure';
import { renderReport, type Measured, type Report } from './report';
import { measureAccesses, renderAccesses } from './accesses';
import { HELP_TARGET_MS, measureCliStartup, renderCliStartup } from './cliStartup';
import { BUILD_LINEARITY_LIMIT, measureSystemBuild, renderSystemBuild } from './systemBuild';
import { measureCountReads, renderCountReads } from './countReads';
import { measureExactTiming, renderExactTiming } from './exactTiming';
import { renderExplore } from './explore';
import type { ExploreChildFigures } from './exploreChild';
import { measureDporReduction, renderDporReduction, renderExploreScenario } from './exploreScenario';
import { measureExploreForks, renderExploreForksSection } from './exploreForks';
import { measureExploreQueue, renderExploreQueue } from './exploreQueue';
import { measureMemory, renderMemory } from './memory';
import { measureRunMemory, renderRunMemory } from './runMemory';
import { measureSystemRun, renderSystemRun, summariseSystemRun } from './systemRun';
import { VARIANTS, type Variant } from './variants';
import { specFor, type RunSpec } from './workload';
import { TS_LOADER_ARGS } from './tsLoaderArgs';

const HELP = `usage: npm run bench [-- flags]
  --quick              fast sanity run: 2 warm-ups, 2 reps, 100 000 expiries, N = 10, 1000, 10000; prints only
  --only a,b           run only variants and items whose id starts with one of these
                       (${VARIANTS.map((v) => v.id).join(', ')}, system, build, accesses, counts, exact, memory, explore, explore-dpor, explore-forks, queue, cli;
                       long-runs, only when named: peak RSS of ptimer-rx run for 1, 10, 60 virtual s, about an hour)
  --n 10,1000          values of N
  --reps k             timed repetitions per configuration
  --warmup k           untimed, checked runs of each variant before them (rxjs: 1)
  --events k           target expiries per run
  --rxjs-budget ms     wall time allowed per rxjs repetition; fewer expiries are run
                       (and events/s extrapolated) when 'events' would take longer
  --rxjs-setup-max ms  skip rxjs at an N whose estimated set-up time exceeds this
  --out path           where to write the report (default bench/RESULTS.md for a full run)
  --no-write           print only`;

const { values: args } = parseArgs({
  options: {
    quick: { type: 'boolean', default: false },
    only: { type: 'string' },
    n: { type: 'string' },
    reps: { type: 'string' },
    warmup: { type: 'string' },
    events: { type: 'string' },
    'rxjs-budget': { type: 'string' },
    'rxjs-setup-max': { type: 'string' },
    out: { type: 'string' },
    'no-write': { type: 'boolean', default: false },
    help: { type: 'boolean', default: false },
  },
  strict: true,
});

if (args.help) {
  console.log(HELP);
  process.exit(0);
}

const positiveInt = (text: string | undefined, fallback: number, what: string): number => {
  if (text === undefined) return fallback;
  const v = Number(text.replace(/_/g, ''));
  if (!Number.isSafeInteger(v) || v < 1) throw new Error(`--${what} must be a positive integer, got '${text}'`);
  return v;
};

const quick = args.quick;
const ns = args.n === undefined ? (quick ? [10, 1_000, 10_000] : [10, 1_000, 10_000, 100_000]) : args.n.split(',').map((s) => positiveInt(s, 0, 'n'));
const reps = positiveInt(args.reps, quick ? 2 : 5, 'reps');
// Three runs: the loops reach optimised code only after a couple of whole runs (measured: the
// bare heap's first runs at N = 10 take 35 and 27 ms, then 19 ms steadily).
const warmups = positiveInt(args.warmup, quick ? 2 : 3, 'warmup');
const events = positiveInt(args.events, quick ? 100_000 : 1_000_000, 'events');
const rxjsBudgetMs = positiveInt(args['rxjs-budget'], quick ? 300 : 2_000, 'rxjs-budget');
const rxjsSetupMaxMs = positiveInt(args['rxjs-setup-max'], quick ? 2_000 : 15_000, 'rxjs-setup-max');
const only = args.only?.split(',').map((s) => s.trim()).filter((s) => s !== '');
const variants = only === undefined ? VARIANTS : VARIANTS.filter((v) => only.some((p) => v.id.startsWith(p)));
if (variants.length === 0 && !(only ?? []).some((p) => ['system', 'build', 'accesses', 'counts', 'exact', 'memory', 'explore', 'explore-dpor', 'explore-forks', 'queue', 'cli', 'long-runs'].some((id) => id.startsWith(p)))) throw new Error(`--only ${args.only} matches no variant (${VARIANTS.map((v) => v.id).join(', ')})`);
const isDefaultRun = !quick && args.only === undefined && args.n === undefined && args.reps === undefined && args.warmup === undefined && args.events === undefined;
const outPath = args['no-write'] ? undefined : (args.out ?? (isDefaultRun ? fileURLToPath(new URL('./RESULTS.md', import.meta.url)) : undefined));

const argv = process.argv.slice(2);
const command = process.env.npm_lifecycle_event === 'bench' ? `npm run bench${argv.length > 0 ? ` -- ${argv.join(' ')}` : ''}` : `node --import ./bench/tsLoader.mjs bench/run.ts ${argv.join(' ')}`.trim();

const log = (line: string): void => {
  process.stdout.write(`${line}\n`);
};
const fmtMs = (ms: number): string => (ms >= 100 ? ms.toFixed(0) : ms >= 10 ? ms.toFixed(1) : ms.toFixed(2));

// ---- rxjs sizing -------------------------------------------------------------
// rxjs's VirtualTimeScheduler sorts its whole action array on every insert, so
// both set-up (N inserts) and each expiry cost O(N). Rather than let one
// configuration run for many minutes, a short probe sizes the run; below the
// target the events/s figure is an extrapolation and the report says so.

interface RxjsPlan {
  readonly spec?: RunSpec;
  readonly reducedFrom?: number;
  readonly skipped?: string;
  readonly estimatedEventsPerSec?: number;
}

/** Per-expiry and set-up costs of rxjs at the largest N measured so far, for extrapolation to larger N. */
let rxjsScale: { n: number; usPerEvent: number; setupMs: number } | undefined;

const planRxjs = (variant: Variant, n: number): RxjsPlan => {
  // Below N = 1000 fixed costs dominate and the O(N), O(N²) scaling would mislead.
  if (rxjsScale !== undefined && rxjsScale.n >= 1_000 && rxjsScale.n < n) {
    const k = n / rxjsScale.n;
    const setupMs = rxjsScale.setupMs * k * k;
    const usPerEvent = rxjsScale.usPerEvent * k;
    if (setupMs > rxjsSetupMaxMs) {
      const fullMin = (setupMs + (usPerEvent * events) / 1000) / 60_000;
      return {
        skipped:
          `not run. Extrapolating from N=${rxjsScale.n}, set-up would take ~${(setupMs / 1000).toFixed(0)} s per run (O(N²) inserts) and ` +
          `each expiry ~${(usPerEvent / 1000).toFixed(2)} ms (O(N)), so one run of ${events.toLocaleString('en-US')} expiries ~${fullMin.toFixed(0)} min`,
        estimatedEventsPerSec: 1e6 / usPerEvent,
      };
    }
  }
  // Probe with growing runs until one is long enough (≥ 200 ms) to be past JIT warm-up.
  let probe = specFor(n, Math.min(events, 2_000), variant.firstOffset);
  let s = sample(variant, probe);
  while (s.runMs < 200 && probe.expected < events) {
    probe = specFor(n, Math.min(events, probe.expected * 10), variant.firstOffset);
    s = sample(variant, probe);
  }
  const usPerEvent = (s.runMs * 1000) / probe.expected;
  rxjsScale = { n, usPerEvent, setupMs: s.setupMs };
  const affordable = Math.floor((rxjsBudgetMs * 1000) / usPerEvent);
  if (affordable >= events) return { spec: specFor(n, events, variant.firstOffset) };
  // Round down to two significant figures so the report shows a readable count.
  const target = Math.max(2_000, Number(affordable.toPrecision(2)));
  return { spec: specFor(n, target, variant.firstOffset), reducedFrom: events };
};

// ---- the run -------------------------------------------------------------------

/** The code measured: HEAD and any uncommitted changes under the measured sources (read-only git queries). */
const codeVersion = ((): string => {
  const git = (...a: string[]): string => execFileSync('git', a, { cwd: fileURLToPath(new URL('..', import.meta.url)), encoding: 'utf8' });
  try {
    // Porcelain lines are "XY path": keep the leading status column, so no trim before slicing.
    const dirty = git('status', '--porcelain', '--', 'src', 'index.ts', 'bench').split('\n').filter((l) => l.length > 3);
    return `commit ${git('rev-parse', '--short', 'HEAD').trim()}${dirty.length > 0 ? ` plus uncommitted changes to ${dirty.map((l) => l.slice(3)).join(', ')}` : ''}`;
  } catch {
    return 'unknown (git not available)';
  }
})();

const loadBefore = os.loadavg();
const started = new Date();
const t0 = performance.now();
log(`ptimer-rx bench: N = ${ns.join(', ')}; ${events.toLocaleString('en-US')} expiries; ${reps} reps after ${warmups} warm-up runs; variants: ${variants.map((v) => v.id).join(', ')}`);
log(`load average before: ${loadBefore.map((x) => x.toFixed(2)).join(' ')}`);

const measured: Measured[] = [];
for (const n of ns) {
  const specs = new Map<number, RunSpec>();
  const specOf = (v: Variant): RunSpec => {
    let s = specs.get(v.firstOffset);
    if (s === undefined) specs.set(v.firstOffset, (s = specFor(n, events, v.firstOffset)));
    return s;
  };
  const plans = new Map<Variant, { spec: RunSpec; reducedFrom?: number }>();
  for (const v of variants) {
    if (v.id === 'rxjs') {
      const plan = planRxjs(v, n);
      if (plan.spec === undefined) {
        measured.push({ n, variant: v, skipped: plan.skipped, estimatedEventsPerSec: plan.estimatedEventsPerSec });
        log(`N=${n} ${v.id}: ${plan.skipped}`);
        continue;
      }
      plans.set(v, { spec: plan.spec, reducedFrom: plan.reducedFrom });
    } else {
      plans.set(v, { spec: specOf(v) });
    }
  }
  const active = [...plans.keys()];
  // Warm-up: checked, untimed runs of each (JIT tiers, inline caches, heap growth). rxjs gets
  // one (plus its probe): its runs are long and dominated by Array.prototype.sort.
  for (let w = 0; w < warmups; w++) {
    for (const v of active) if (w === 0 || v.id !== 'rxjs') sample(v, plans.get(v)!.spec);
  }
  const samples = new Map<Variant, Sample[]>(active.map((v) => [v, []]));
  for (let r = 0; r < reps; r++) {
    // Rotate the order each rep so no variant always runs right after the same one.
    for (let k = 0; k < active.length; k++) {
      const v = active[(k + r) % active.length]!;
      samples.get(v)!.push(sample(v, plans.get(v)!.spec));
    }
  }
  for (const v of active) {
    const { spec, reducedFrom } = plans.get(v)!;
    const runs = samples.get(v)!.map((s) => s.runMs);
    const m: Measured = {
      n,
      variant: v,
      spec,
      reducedFrom,
      medianMs: median(runs),
      minMs: Math.min(...runs),
      maxMs: Math.max(...runs),
      setupMs: median(samples.get(v)!.map((s) => s.setupMs)),
      eventsPerSec: spec.expected / (median(runs) / 1000),
    };
    measured.push(m);
    log(
      `N=${String(n).padStart(6)} ${v.id.padEnd(14)} ${spec.expected.toLocaleString('en-US').padStart(9)} events  ` +
        `median ${fmtMs(m.medianMs!).padStart(7)} ms  min ${fmtMs(m.minMs!).padStart(7)} ms  ` +
        `${(m.eventsPerSec! / 1e6).toFixed(2).padStart(7)} M events/s  (set-up ${fmtMs(m.setupMs!)} ms)` +
        (reducedFrom !== undefined ? '  [reduced run, extrapolated]' : ''),
    );
  }
}

// The other items of the suite, each with its own section: the whole system (the default
// scenario for 10 virtual seconds), guest accesses through the operator, count reads, memory, CLI start-up.
const EXTRA_IDS = ['system', 'build', 'accesses', 'counts', 'exact', 'memory', 'explore', 'explore-dpor', 'explore-forks', 'queue', 'cli'] as const;
const wants = (id: (typeof EXTRA_IDS)[number]): boolean => only === undefined || only.some((p) => id.startsWith(p));
const extraSections: string[][] = [];
/** Targets other items measure that the Targets table shows too (issue 19's device size). */
const extraTargets: { name: string; measured: string; pass: boolean }[] = [];
if (wants('system')) {
  const systemRun = measureSystemRun(quick ? { reps: 1, virtualNs: 1_000_000_000, profileNs: 100_000_000 } : { reps: 3, profileNs: 1_000_000_000 });
  log(summariseSystemRun(systemRun));
  extraSections.push(renderSystemRun(systemRun));
}
if (wants('accesses')) {
  const accesses = measureAccesses(quick ? { accesses: 200_000, reps: 3, warmups: 1 } : {});
  log(`accesses: applyAccesses ${accesses.ratio.toFixed(2)}× direct calls (${accesses.pass ? 'PASS' : 'FAIL'})`);
  extraSections.push(renderAccesses(accesses));
}
if (wants('counts')) {
  const counts = measureCountReads(quick ? { calls: 200_000, reps: 3, warmups: 1 } : {});
  log('count reads: measured');
  extraSections.push(renderCountReads(counts));
}
if (wants('exact')) {
  const exact = measureExactTiming(quick ? { events: 200_000, reps: 3, warmups: 1 } : {});
  log(`exact timing: ${exact.ratio.toFixed(2)}× QEMU timing at N = ${exact.n} (${exact.ratio >= 0.8 ? 'PASS' : 'FAIL'})`);
  extraSections.push(renderExactTiming(exact));
}
if (wants('explore')) {
  // In a fresh process (see bench/exploreChild.ts): what ran before in this one slows the one-thread searches only.
  const child = spawnSync(process.execPath, [...TS_LOADER_ARGS, fileURLToPath(new URL('./exploreChild.ts', import.meta.url)), ...(quick ? ['--quick'] : [])], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
    maxBuffer: 16 * 1024 * 1024,
  });
  if (child.status !== 0) throw new Error(`bench/exploreChild.ts failed (exit ${child.status ?? child.signal})`);
  const { race: explore, scenario } = JSON.parse(child.stdout.trim().split('\n').at(-1)!) as ExploreChildFigures;
  log(`explore: ${explore.schedules} schedules, 1 thread ${explore.oneThreadMs.toFixed(0)} ms, 2 threads ${explore.twoThreadsMs.toFixed(0)} ms`);
  extraSections.push(renderExplore(explore));
  log(`explore default scenario: ${scenario.schedules} schedules, 1 thread ${scenario.oneThreadMs.toFixed(0)} ms, 2 threads ${scenario.twoThreadsMs.toFixed(0)} ms; reduction ${scenario.reduction.full} -> ${scenario.reduction.reduced}`);
  extraSections.push(renderExploreScenario(scenario));
}
if (wants('explore-dpor')) {
  const dpor = measureDporReduction(quick);
  log(`explore DPOR: ${dpor.map((r) => `${r.what}: ${r.full.schedules}${r.full.exhausted ? '' : '+'} unreduced, ${r.sleep.schedules}${r.sleep.exhausted ? '' : '+'} per-device, ${r.dpor.schedules} DPOR`).join('; ')}`);
  extraSections.push(renderDporReduction(dpor));
}
if (wants('explore-forks')) {
  const forks = measureExploreForks(quick);
  log(`explore forks: ${forks.map((f) => `${f.search} ${(f.forked / f.rerun).toFixed(1)}x`).join('; ')}`);
  extraSections.push(renderExploreForksSection(forks));
}
if (wants('queue')) {
  const q = await measureExploreQueue(quick);
  log(q.skipped !== undefined ? `explore on the queue: skipped (${q.skipped})` : `explore on the queue: ${q.schedules} schedules, 1 thread ${q.oneThread.ms.toFixed(0)} ms, 2 worker processes ${q.queue.ms.toFixed(0)} ms (${(q.queue.rate / q.oneThread.rate).toFixed(2)}x)`);
  extraSections.push(renderExploreQueue(q));
}
if (wants('memory')) {
  const memory = measureMemory({ quick });
  log(`memory: ${memory.targets.map((t) => `${t.name}: ${t.measured} (${t.pass ? 'PASS' : 'FAIL'})`).join('; ')}`);
  extraSections.push(renderMemory(memory));
  extraTargets.push(...memory.targets.filter((t) => t.name.startsWith('Device instance')));
}
if (wants('build')) {
  const build = measureSystemBuild(quick);
  log(`system build: ${build.rows.map((r) => `${r.devices} devices ${r.medianMs.toFixed(0)} ms`).join(', ')}; growth ${build.growth.toFixed(2)}x (${build.growth <= BUILD_LINEARITY_LIMIT ? 'PASS' : 'FAIL'})`);
  extraSections.push(renderSystemBuild(build));
}
if (wants('cli')) {
  const cli = await measureCliStartup(quick);
  log(`cli start-up: --help ${cli.helpMs.toFixed(0)} ms median (${cli.helpMs < HELP_TARGET_MS ? 'PASS' : 'FAIL'}, target < ${HELP_TARGET_MS} ms)`);
  extraSections.push(renderCliStartup(cli));
}
// Long runs take most of an hour (the 60-second one): measured only when asked for by name.
if (only?.some((p) => 'long-runs'.startsWith(p)) === true) {
  const longRuns = measureRunMemory({ quick });
  log(`long runs: ${longRuns.runs.map((r) => `${r.seconds} s ${r.outputs ? 'with outputs' : 'none'}: ${r.peakMiB.toFixed(0)} MiB`).join('; ')}`);
  extraSections.push(renderRunMemory(longRuns));
}

const loadAfter = os.loadavg();
const report: Report = {
  command,
  codeVersion,
  date: started.toISOString(),
  durationSec: (performance.now() - t0) / 1000,
  loadBefore,
  loadAfter,
  reps,
  warmups,
  events,
  rxjsBudgetMs,
  measured,
  extraTargets,
};
const rendered = renderReport(report);
const markdown = [rendered.markdown, ...extraSections.map((lines) => lines.join('\n'))].join('\n\n');
const { summary } = rendered;
log(`load average after: ${loadAfter.map((x) => x.toFixed(2)).join(' ')}`);
log(summary);
if (outPath !== undefined) {
  writeFileSync(outPath, markdown);
  log(`wrote ${outPath}`);
}
