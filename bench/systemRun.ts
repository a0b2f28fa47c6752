/**
 * The whole-system benchmark (issue 19, items 1 and 2): the default scenario
 * (all 35 catalogue device types, their guests and the interrupt controller)
 * for 10 virtual seconds, measured in one process against the yardstick, the
 * bare heap loop at N = 10 000 timers of the clock benchmarks:
 *
 * - untraced: `keepTrace: false, digest: false`, no sinks (nothing recorded);
 * - traced: the full trace kept, then its digest computed;
 * - streamed digest: `keepTrace: false` (what `ptimer-rx run` does).
 *
 * Each run is timed end to end (build, run, digest). Runs are interleaved
 * with the yardstick's, a full GC before each, so that load from other
 * processes hits all of them alike; the ratios are of medians. Peak heap is
 * sampled at every progress report (a hundredth of the run). The profile's
 * top entries come from a child process run under `node --cpu-prof`.
 */
import { TS_LOADER_ARGS } from './tsLoaderArgs';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import v8 from 'node:v8';
import vm from 'node:vm';
import { buildSystem, DEFAULT_SCENARIO, parseScenario, type BuildOptions } from '../system';
import { cpuProfileTop, type ProfileRow } from './cpuProfileTop';
import { median, sample } from './measure';
import { VARIANTS } from './variants';
import { specFor } from './workload';

/** Default: 10 s of virtual time. */
export const SYSTEM_RUN_NS = 10_000_000_000;
/** Targets of issue 19 item 1, as fractions of the yardstick's events/s. */
export const UNTRACED_TARGET = 0.25;
export const TRACED_TARGET = 0.12;
/** The yardstick's N. */
const YARDSTICK_N = 10_000;

/** One configuration's figures. */
export interface SystemRunRow {
  readonly label: string;
  readonly options: string;
  /** Clock events per run (the same every run, checked). */
  readonly events: number;
  /** Trace events per run (the same every run, checked). */
  readonly traceEvents: number;
  /** The digest, where the configuration computes one (equal in every run, checked). */
  readonly digest: string | undefined;
  readonly medianMs: number;
  readonly minMs: number;
  readonly eventsPerSec: number;
  /** eventsPerSec / the yardstick's. */
  readonly ratio: number;
  /** The target ratio, if the issue sets one. */
  readonly target: number | undefined;
  /** Largest heap used seen during a run, MiB. */
  readonly peakHeapMiB: number;
}

/** What {@link measureSystemRun} gave. */
export interface SystemRunResult {
  readonly virtualNs: number;
  readonly reps: number;
  readonly yardstick: { readonly label: string; readonly eventsPerSec: number; readonly events: number };
  readonly rows: readonly SystemRunRow[];
  /** Profile top entries of this code (child process), per mode; undefined when not profiled. */
  readonly profile: { readonly virtualNs: number; readonly traced: ProfileRow[]; readonly untraced: ProfileRow[] } | undefined;
}

const collectGarbage: () => void = (() => {
  v8.setFlagsFromString('--expose-gc');
  const gc: unknown = vm.runInNewContext('gc');
  return typeof gc === 'function' ? (gc as () => void) : () => {};
})();

interface Config {
  readonly label: string;
  readonly options: string;
  readonly build: BuildOptions;
  readonly digest: boolean;
  readonly target: number | undefined;
}

const CONFIGS: readonly Config[] = [
  { label: 'untraced', options: 'keepTrace: false, digest: false', build: { keepTrace: false, digest: false }, digest: false, target: UNTRACED_TARGET },
  { label: 'traced + digest', options: 'trace kept, digest() at the end', build: {}, digest: true, target: TRACED_TARGET },
  { label: 'streamed digest', options: 'keepTrace: false (as ptimer-rx run)', build: { keepTrace: false }, digest: true, target: undefined },
];

/** Profiles one mode in a child process; the top `top` functions by self time. */
const profileMode = (mode: 'traced' | 'untraced', virtualNs: number, top: number): ProfileRow[] => {
  const dir = mkdtempSync(join(tmpdir(), 'ptimer-rx-prof-'));
  try {
    const root = fileURLToPath(new URL('..', import.meta.url));
    const r = spawnSync(process.execPath, ['--cpu-prof', `--cpu-prof-dir=${dir}`, ...TS_LOADER_ARGS, join(root, 'bench/systemRunProfile.ts'), String(virtualNs), mode], { cwd: root, encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`profile child (${mode}) failed: ${r.stderr}`);
    // The main thread's profile is the first written (the loader's hooks thread writes another).
    const file = readdirSync(dir).filter((f) => f.endsWith('.cpuprofile')).sort()[0];
    if (file === undefined) throw new Error(`profile child (${mode}) wrote no profile`);
    return cpuProfileTop(join(dir, file), top);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
};

/**
 * Measures the yardstick and every configuration `reps` times after one
 * untimed warm-up each, interleaved.
 * @throws Error when two runs give different digests, event or trace counts (a determinism bug)
 */
export const measureSystemRun = (options: { reps: number; virtualNs?: number; profileNs?: number | undefined }): SystemRunResult => {
  const { reps } = options;
  const virtualNs = options.virtualNs ?? SYSTEM_RUN_NS;
  const scenario = parseScenario(DEFAULT_SCENARIO);
  const bare = VARIANTS.filter((v) => v.id === 'bare-objects' || v.id === 'bare-typed');
  const spec = specFor(YARDSTICK_N, 1_000_000);

  const once = (config: Config): { ms: number; events: number; traceEvents: number; digest: string | undefined; peak: number } => {
    collectGarbage();
    let peak = 0;
    const t0 = performance.now();
    const { system } = buildSystem(scenario, config.build);
    const result = system.run(virtualNs, {
      onProgress: () => {
        peak = Math.max(peak, process.memoryUsage().heapUsed);
      },
    });
    const digest = config.digest ? system.digest() : undefined;
    const ms = performance.now() - t0;
    peak = Math.max(peak, process.memoryUsage().heapUsed);
    const out = { ms, events: result.events, traceEvents: system.traceLength, digest, peak };
    system.dispose();
    return out;
  };

  // Warm-up: each loop and each configuration once, untimed, checked.
  for (const v of bare) sample(v, spec);
  const first = CONFIGS.map((c) => once(c));
  const bareMs = new Map(bare.map((v) => [v.id, [] as number[]]));
  const runs = CONFIGS.map(() => [] as ReturnType<typeof once>[]);
  for (let r = 0; r < reps; r++) {
    for (const v of bare) bareMs.get(v.id)!.push(sample(v, spec).runMs);
    CONFIGS.forEach((c, i) => runs[i]!.push(once(c)));
  }
  // The faster of the two loop shapes is the yardstick (the other is no easier to beat).
  const loops = bare.map((v) => ({ label: v.label, eventsPerSec: spec.expected / (median(bareMs.get(v.id)!) / 1000) }));
  const best = loops.reduce((a, b) => (b.eventsPerSec > a.eventsPerSec ? b : a));
  const yardstick = { label: `${best.label}, N = ${YARDSTICK_N.toLocaleString('en-US')}`, eventsPerSec: best.eventsPerSec, events: spec.expected };

  const rows = CONFIGS.map((c, i): SystemRunRow => {
    const list = runs[i]!;
    for (const r of list) {
      const f = first[i]!;
      if (r.digest !== f.digest || r.events !== f.events || r.traceEvents !== f.traceEvents) {
        throw new Error(`${c.label}: a run gave ${r.events} events, ${r.traceEvents} trace events, digest ${r.digest}; the warm-up ${f.events}, ${f.traceEvents}, ${f.digest}`);
      }
    }
    const ms = list.map((r) => r.ms);
    const eventsPerSec = first[i]!.events / (median(ms) / 1000);
    return {
      label: c.label,
      options: c.options,
      events: first[i]!.events,
      traceEvents: first[i]!.traceEvents,
      digest: first[i]!.digest,
      medianMs: median(ms),
      minMs: Math.min(...ms),
      eventsPerSec,
      ratio: eventsPerSec / yardstick.eventsPerSec,
      target: c.target,
      peakHeapMiB: Math.max(...list.map((r) => r.peak)) / 2 ** 20,
    };
  });
  // Every configuration runs the same simulation: same events, and the digests that exist agree.
  const digests = new Set(rows.flatMap((r) => (r.digest === undefined ? [] : [r.digest])));
  if (digests.size > 1 || new Set(rows.map((r) => `${r.events}/${r.traceEvents}`)).size > 1) {
    throw new Error(`the configurations disagree: ${rows.map((r) => `${r.label}: ${r.events} events, ${r.traceEvents} trace events, ${r.digest ?? '-'}`).join('; ')}`);
  }
  const profileNs = options.profileNs;
  const profile =
    profileNs === undefined ? undefined : { virtualNs: profileNs, traced: profileMode('traced', profileNs, 10), untraced: profileMode('untraced', profileNs, 10) };
  return { virtualNs, reps, yardstick, rows, profile };
};

/**
 * The profile's top 10 before the work of issue 19, measured on commit 95ea8cc
 * (2026-12-05 20:36 UTC, load average about 23: proportions only), by the same
 * child process and summary as the "after" tables (1 virtual s; self time;
 * module loading left out). Stored text: that code no longer exists to profile.
 */
export const PROFILE_BEFORE = {
  commit: '95ea8cc',
  date: '2026-12-05',
  virtualNs: 1_000_000_000,
  traced: `
18.3 | 1867 | (garbage collector)
7.1 | 726 | update (src/trace/Fnv1a64.ts)
5.3 | 536 | set natives
4.7 | 481 | (anonymous) (src/trace/canonicalTraceEvent.ts)
3.9 | 401 | digest (src/trace/Trace.ts)
3.5 | 360 | (anonymous) (operators/runDriver.ts)
1.9 | 199 | start (system/programs/periodicTick.ts)
1.9 | 191 | perform (src/bus/AccessPort.ts)
1.7 | 177 | write (src/bus/RegisterBank.ts)
1.6 | 165 | record (src/trace/Trace.ts)`,
  untraced: `
11.5 | 2238 | update (src/trace/Fnv1a64.ts)
8.1 | 1587 | record (src/trace/TraceDigest.ts)
7.2 | 1398 | (garbage collector)
6.2 | 1206 | (anonymous) (operators/runDriver.ts)
5.0 | 976 | (anonymous) (src/trace/canonicalTraceEvent.ts)
4.4 | 860 | set natives
2.9 | 561 | start (system/programs/periodicTick.ts)
2.6 | 501 | perform (src/bus/AccessPort.ts)
2.4 | 461 | read (src/bus/RegisterBank.ts)
2.3 | 448 | (anonymous) (src/ptimer/reload.ts)`,
};

const parseBefore = (text: string): ProfileRow[] =>
  text
    .trim()
    .split('\n')
    .map((line) => {
      const [percent, ms, name] = line.split(' | ');
      return { percent: Number(percent), ms: Number(ms), name: name! };
    });

const profileTable = (title: string, before: ProfileRow[], after: ProfileRow[] | undefined): string[] => {
  const lines = [`| # | ${title}: before (${PROFILE_BEFORE.commit}) | % | after (this run) | % |`, '|--:|:--|--:|:--|--:|'];
  for (let i = 0; i < 10; i++) {
    const b = before[i];
    const a = after?.[i];
    lines.push(`| ${i + 1} | ${b === undefined ? '' : `\`${b.name}\``} | ${b === undefined ? '' : b.percent.toFixed(1)} | ${a === undefined ? '' : `\`${a.name}\``} | ${a === undefined ? '' : a.percent.toFixed(1)} |`);
  }
  return lines;
};

/** One line for the console. */
export const summariseSystemRun = (r: SystemRunResult): string =>
  `system: yardstick ${(r.yardstick.eventsPerSec / 1e6).toFixed(2)} M events/s; ` +
  r.rows.map((row) => `${row.label} ${row.ratio.toFixed(3)}x${row.target === undefined ? '' : ` (${row.ratio >= row.target ? 'PASS' : 'FAIL'}, target ${row.target}x)`}`).join('; ');

/** The RESULTS.md section for a {@link SystemRunResult}. */
export const renderSystemRun = (r: SystemRunResult): string[] => {
  const fmt = (x: number): string => Math.round(x).toLocaleString('en-US');
  const digest = r.rows.find((row) => row.digest !== undefined)?.digest ?? '-';
  return [
    '## Whole system: the default scenario',
    '',
    `The default scenario (examples/scenarios/default.json: one of each of the 35 catalogue device types, ` +
      `their guest programs and an interrupt controller) built and run for ${r.virtualNs / 1e9} virtual seconds, timed end to end ` +
      `(build, run, digest), against the yardstick measured in the same process: the bare heap loop at N = 10,000 timers of the clock ` +
      `benchmarks (${r.yardstick.label}, the faster of its two shapes: ${fmt(r.yardstick.eventsPerSec)} events/s). ${r.reps} timed runs of each after a warm-up, ` +
      `interleaved with the loop's, a full GC before each; medians. Events are clock events. Every run's events, trace events and digest ` +
      `checked equal, across runs and configurations (${digest}). Peak heap: the most used heap seen at the run's progress reports (every hundredth of it).`,
    '',
    '| Configuration | Options | Clock events | Trace events | Wall time median (min) | Events/s | × yardstick | Target | Peak heap |',
    '|:--|:--|--:|--:|--:|--:|--:|:--|--:|',
    ...r.rows.map(
      (row) =>
        `| ${row.label} | ${row.options} | ${fmt(row.events)} | ${fmt(row.traceEvents)} | ${row.medianMs.toFixed(0)} ms (${row.minMs.toFixed(0)} ms) | ${fmt(row.eventsPerSec)} | ${row.ratio.toFixed(3)}× | ` +
        `${row.target === undefined ? '-' : `≥ ${row.target}× ${row.ratio >= row.target ? '**PASS**' : '**FAIL**'}`} | ${row.peakHeapMiB.toFixed(0)} MiB |`,
    ),
    '',
    `Profile, top 10 by self time (\`node --cpu-prof\` of a child process running bench/systemRunProfile.ts for ` +
      `${(r.profile?.virtualNs ?? PROFILE_BEFORE.virtualNs) / 1e9} virtual s; module loading left out, garbage collection kept). ` +
      `"Before" is stored text, measured on commit ${PROFILE_BEFORE.commit} (${PROFILE_BEFORE.date}, under load: proportions only) with the same child and summary (its untraced run had \`keepTrace: false\` only: the digest could not be turned off then); ` +
      `"after" is profiled by this run${r.profile === undefined ? ' (not profiled in this run)' : ''}.`,
    '',
    ...profileTable('traced + digest', parseBefore(PROFILE_BEFORE.traced), r.profile?.traced),
    '',
    ...profileTable('untraced', parseBefore(PROFILE_BEFORE.untraced), r.profile?.untraced),
    '',
  ];
};
