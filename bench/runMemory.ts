/**
 * The long-run memory item of the benchmark suite: peak resident set size
 * of `ptimer-rx run` on the default scenario for 1, 10 and 60 virtual
 * seconds, with `--vcd --trace` and with no output.
 *
 * Each run is its own child process under `/usr/bin/time -f %M` (the
 * kernel's maximum RSS of the Node process, in KiB); the outputs go to a
 * temporary directory removed afterwards. Memory figures hold under load
 * (another process's work does not change this one's heap); the wall times
 * printed beside them do not, and are given only to say how long a run took.
 *
 * Run alone: `node --import ./bench/tsLoader.mjs bench/runMemory.ts [--quick] [--seconds 1,10,60]` prints the markdown section.
 * `--replay [--seconds 10]` measures `ptimer-rx replay` instead: each run is
 * recorded with `--trace` first, then replayed under `/usr/bin/time`.
 */
import { TS_LOADER_ARGS } from './tsLoaderArgs';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const SCENARIO = 'examples/scenarios/default.json';
/** The goal of issue 15: 60 virtual seconds with `--vcd --trace` under this peak RSS. */
export const RUN_RSS_TARGET_MIB = 300;

/** One measured run. */
export interface RunMemory {
  /** Virtual seconds run. */
  readonly seconds: number;
  /** Whether `--vcd` and `--trace` were written. */
  readonly outputs: boolean;
  /** The command, as run from the repository's root. */
  readonly command: string;
  /** Peak RSS, MiB. */
  readonly peakMiB: number;
  /** Sizes of the files written, bytes (VCD, trace). */
  readonly vcdBytes?: number;
  readonly traceBytes?: number;
  /** Wall time, s (not a speed figure: other sessions share the machine). */
  readonly wallSec: number;
  /** Load average (1, 5, 15 min) before and after. */
  readonly loadBefore: readonly number[];
  readonly loadAfter: readonly number[];
}

/** Runs the default scenario for `seconds` virtual seconds in a child process and reads its peak RSS. */
export const measureRun = (seconds: number, outputs: boolean): RunMemory => {
  const dir = mkdtempSync(join(tmpdir(), 'ptimer-rx-runmem-'));
  try {
    const vcd = join(dir, 'run.vcd');
    const trace = join(dir, 'run.jsonl');
    const args = [...TS_LOADER_ARGS, 'cli/main.ts', 'run', SCENARIO, '--until', `${seconds}s`, ...(outputs ? ['--vcd', vcd, '--trace', trace] : [])];
    const loadBefore = loadavg();
    const t0 = performance.now();
    const r = spawnSync('/usr/bin/time', ['-f', '%M', process.execPath, ...args], { cwd: ROOT, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
    const wallSec = (performance.now() - t0) / 1000;
    if (r.status !== 0) throw new Error(`run ${seconds}s failed (${r.status}): ${r.stderr.slice(-2000)}`);
    const kib = Number(r.stderr.trim().split('\n').at(-1));
    if (!Number.isFinite(kib)) throw new Error(`no peak RSS in /usr/bin/time's output: ${r.stderr.slice(-500)}`);
    const command = `/usr/bin/time -f %M node ${args.map((a) => (a.startsWith(dir) ? a.replace(dir, '$TMP') : a)).join(' ')}`;
    return {
      seconds,
      outputs,
      command,
      peakMiB: kib / 1024,
      ...(outputs ? { vcdBytes: statSync(vcd).size, traceBytes: statSync(trace).size } : {}),
      wallSec,
      loadBefore,
      loadAfter: loadavg(),
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
};

/** The result of {@link measureRunMemory}. */
export interface RunMemoryResult {
  readonly runs: readonly RunMemory[];
  readonly node: string;
}

/**
 * Measures every run: for each duration, with outputs and without.
 * @param options - `seconds`: the durations (default 1, 10, 60; `quick`: 0.01 and 0.1); `outputs`: with `--vcd --trace` (true), without (false), or both (default)
 */
export const measureRunMemory = (options: { quick?: boolean; seconds?: readonly number[]; outputs?: readonly boolean[] } = {}): RunMemoryResult => {
  const seconds = options.seconds ?? (options.quick === true ? [0.01, 0.1] : [1, 10, 60]);
  const runs: RunMemory[] = [];
  for (const s of seconds) for (const outputs of options.outputs ?? [true, false]) runs.push(measureRun(s, outputs));
  return { runs, node: process.version };
};

const mib = (bytes: number | undefined): string => (bytes === undefined ? '' : (bytes / 2 ** 20).toFixed(1));

/** The RESULTS.md section: markdown lines. */
export const renderRunMemory = (r: RunMemoryResult): string[] => {
  const target = r.runs.find((x) => x.seconds === 60 && x.outputs);
  return [
    '## Memory of long runs (`ptimer-rx run`)',
    '',
    `Peak resident set size of \`ptimer-rx run ${SCENARIO}\` (the default scenario) in a child process, read with \`/usr/bin/time -f %M\`, Node ${r.node}. ` +
      'The run keeps neither its trace nor its guest inputs, and streams `--vcd` and `--trace` to temporary files beside their paths, so its memory does not grow with its length. ' +
      'Memory figures hold under load; the wall times only say how long each run took on a shared machine and are not speed figures.',
    '',
    ...(target === undefined ? [] : [`Target: 60 virtual seconds with \`--vcd --trace\` under ${RUN_RSS_TARGET_MIB} MiB peak RSS: ${target.peakMiB.toFixed(0)} MiB, **${target.peakMiB < RUN_RSS_TARGET_MIB ? 'PASS' : 'FAIL'}**.`, '']),
    '| Virtual time | Outputs | Peak RSS (MiB) | VCD (MiB) | Trace (MiB) | Wall (s) | Load average before / after |',
    '|--:|---|--:|--:|--:|--:|---|',
    ...r.runs.map(
      (x) =>
        `| ${x.seconds} s | ${x.outputs ? '`--vcd --trace`' : 'none'} | ${x.peakMiB.toFixed(0)} | ${mib(x.vcdBytes)} | ${mib(x.traceBytes)} | ${x.wallSec.toFixed(0)} | ${x.loadBefore.map((l) => l.toFixed(2)).join(' ')} / ${x.loadAfter.map((l) => l.toFixed(2)).join(' ')} |`,
    ),
    '',
    `Commands (from the repository's root; \`$TMP\` a temporary directory): ${[...new Set(r.runs.map((x) => `\`${x.command}\``))].join(', ')}.`,
  ];
};

/** One measured replay of a recorded run. */
export interface ReplayMemory {
  /** Virtual seconds the recording covers. */
  readonly seconds: number;
  /** The replay command, as run from the repository's root. */
  readonly command: string;
  /** Peak RSS of the replay, MiB. */
  readonly peakMiB: number;
  /** Size of the recording, bytes. */
  readonly recordingBytes: number;
  /** The replay's report (its last line says whether the digest matched). */
  readonly report: string;
  /** Wall time of the replay, s (not a speed figure: other sessions share the machine). */
  readonly wallSec: number;
  /** Load average (1, 5, 15 min) before and after the replay. */
  readonly loadBefore: readonly number[];
  readonly loadAfter: readonly number[];
}

/**
 * Records the default scenario for `seconds` virtual seconds (`run --trace`),
 * then replays the recording in a child process and reads the replay's peak
 * RSS: the replay streams its recording, so it should not grow with it.
 */
export const measureReplay = (seconds: number): ReplayMemory => {
  const dir = mkdtempSync(join(tmpdir(), 'ptimer-rx-replaymem-'));
  try {
    const trace = join(dir, 'run.jsonl');
    const record = spawnSync(process.execPath, [...TS_LOADER_ARGS, 'cli/main.ts', 'run', SCENARIO, '--until', `${seconds}s`, '--trace', trace], {
      cwd: ROOT,
      encoding: 'utf8',
      maxBuffer: 64 * 1024 * 1024,
    });
    if (record.status !== 0) throw new Error(`recording ${seconds}s failed (${record.status}): ${record.stderr.slice(-2000)}`);
    const args = [...TS_LOADER_ARGS, 'cli/main.ts', 'replay', trace];
    const loadBefore = loadavg();
    const t0 = performance.now();
    const r = spawnSync('/usr/bin/time', ['-f', '%M', process.execPath, ...args], { cwd: ROOT, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
    const wallSec = (performance.now() - t0) / 1000;
    if (r.status !== 0) throw new Error(`replay of ${seconds}s failed (${r.status}): ${r.stdout.slice(-1000)} ${r.stderr.slice(-2000)}`);
    const kib = Number(r.stderr.trim().split('\n').at(-1));
    if (!Number.isFinite(kib)) throw new Error(`no peak RSS in /usr/bin/time's output: ${r.stderr.slice(-500)}`);
    return {
      seconds,
      command: `/usr/bin/time -f %M node ${args.map((a) => a.replace(dir, '$TMP')).join(' ')}`,
      peakMiB: kib / 1024,
      recordingBytes: statSync(trace).size,
      report: r.stdout.trim(),
      wallSec,
      loadBefore,
      loadAfter: loadavg(),
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
};

/** Markdown lines for replays measured by {@link measureReplay}. */
export const renderReplayMemory = (replays: readonly ReplayMemory[]): string[] => [
  '### Memory of replays (`ptimer-rx replay`)',
  '',
  'Peak resident set size of `ptimer-rx replay` of a recording of the default scenario (`run --trace`), read with `/usr/bin/time -f %M`. ' +
    'The replay reads its recording as it goes (steps and events each by a cursor of their own) and compares each replayed event with the recorded one as it is made, so its memory does not grow with the recording.',
  '',
  '| Virtual time | Recording (MiB) | Peak RSS (MiB) | Result | Wall (s) | Load average before / after |',
  '|--:|--:|--:|---|--:|---|',
  ...replays.map(
    (x) =>
      `| ${x.seconds} s | ${mib(x.recordingBytes)} | ${x.peakMiB.toFixed(0)} | ${x.report.split('\n').at(-1)} | ${x.wallSec.toFixed(0)} | ${x.loadBefore.map((l) => l.toFixed(2)).join(' ')} / ${x.loadAfter.map((l) => l.toFixed(2)).join(' ')} |`,
  ),
  '',
  `Commands: ${[...new Set(replays.map((x) => `\`${x.command}\``))].join(', ')}.`,
];

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const arg = (name: string): string | undefined => {
    const at = process.argv.indexOf(name);
    return at < 0 ? undefined : process.argv[at + 1];
  };
  const render = arg('--render');
  if (process.argv.includes('--replay')) {
    const seconds = arg('--seconds')?.split(',').map(Number) ?? [10];
    console.log(renderReplayMemory(seconds.map(measureReplay)).join('\n'));
  } else if (render !== undefined) {
    // Runs measured apart (e.g. in parallel processes, each with --json), rendered as one section.
    const parts = render.split(',').map((f) => JSON.parse(readFileSync(f, 'utf8')) as RunMemoryResult);
    const runs = parts.flatMap((p) => p.runs).sort((a, b) => a.seconds - b.seconds || Number(b.outputs) - Number(a.outputs));
    console.log(renderRunMemory({ runs, node: parts[0]!.node }).join('\n'));
  } else {
    const seconds = arg('--seconds')?.split(',').map(Number);
    const which = arg('--outputs') ?? 'both';
    const outputs = which === 'both' ? [true, false] : [which === 'yes'];
    const result = measureRunMemory({ quick: process.argv.includes('--quick'), outputs, ...(seconds === undefined ? {} : { seconds }) });
    const json = arg('--json');
    if (json !== undefined) writeFileSync(json, JSON.stringify(result));
    else console.log(renderRunMemory(result).join('\n'));
  }
}
