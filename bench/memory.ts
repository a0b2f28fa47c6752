/**
 * The memory item of the benchmark suite: heap per idle PTimer, heap per
 * queued expiry, and whether the heap stays flat over 10 000 000 expiries.
 *
 * Each measurement runs in its own child process
 * (`node --expose-gc <bundle of bench/memoryWorker.ts> <mode> …`), so the
 * heap it reads holds nothing but the module graph and the timers under
 * test; figures are `process.memoryUsage().heapUsed` after forced full GCs.
 * The worker is bundled with esbuild as the package is built (no `keepNames`):
 * under tsx every closure gets its name defined as an own property, which
 * costs a 256-byte property store per closure (about 2.3 KB per device
 * instance) that the shipped library does not have.
 * A heap-snapshot diff says what an idle timer and a queued expiry are made of.
 *
 * Run alone: `node --import ./bench/tsLoader.mjs bench/memory.ts [--quick]` prints the markdown section.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { buildSync } from 'esbuild';

/** Heap read after forced full GCs (see bench/memoryWorker.ts). */
export interface HeapReading {
  /** `process.memoryUsage().heapUsed`, bytes. */
  readonly heapUsed: number;
  /** `v8.getHeapStatistics().used_heap_size`, bytes. */
  readonly usedHeapSize: number;
  /** Used size of V8's code space (compiled code), bytes; part of the above. */
  readonly codeSpace: number;
}

/** One "bytes per thing" row: heap before and after adding `count` things. */
export interface PerItem {
  readonly what: string;
  readonly count: number;
  readonly before: HeapReading;
  readonly after: HeapReading;
  /** (after − before).heapUsed / count. */
  readonly bytesEach: number;
  /** The same from `used_heap_size`. */
  readonly v8BytesEach: number;
}

/** One heap sample of the growth run. */
export interface GrowthSample {
  /** Expiries run so far (callback calls, checked against the closed form). */
  readonly expiries: number;
  readonly heapUsed: number;
  readonly usedHeapSize: number;
  /** Used size of V8's code space, bytes. */
  readonly codeSpace: number;
  /** Wall time since the run started, ms (includes the GCs of earlier samples). */
  readonly ms: number;
}

export interface GrowthResult {
  readonly timers: number;
  /** Expiries run in total (the first horizon at which at least `target` were due). */
  readonly expiries: number;
  readonly target: number;
  /** Expiries between samples (target). */
  readonly every: number;
  /** IRQ edges seen by the lines' level$ subscribers (checked: 2 per expiry). */
  readonly irqEdges: number;
  /** Wall time of the advances alone, ms. */
  readonly runMs: number;
  readonly samples: readonly GrowthSample[];
  /** Least-squares slope of heapUsed over the samples after the first, bytes per 1 000 000 expiries. */
  readonly slopeBytesPerMillion: number;
  /** The slope times the expiries those samples span: fitted growth over the run, bytes. */
  readonly fittedGrowth: number;
  /** heapUsed of the last sample minus the first (before any expiry), bytes. */
  readonly lastMinusFirst: number;
  /** The flatness bound: max(1 MiB, 1 % of the first sample's heapUsed), bytes. */
  readonly bound: number;
  readonly flat: boolean;
}

/** One line of a heap-snapshot diff, per timer. */
export interface BreakdownRow {
  /** Snapshot node type and constructor/name, e.g. `object: Subject`, `(closure)`. */
  readonly what: string;
  readonly bytesPerTimer: number;
  readonly countPerTimer: number;
}

export interface Breakdown {
  readonly timers: number;
  /** Self sizes gained by creating the idle timers. */
  readonly idle: readonly BreakdownRow[];
  readonly idleTotal: number;
  /** Self sizes gained by programming them (one queued expiry each). */
  readonly scheduled: readonly BreakdownRow[];
  readonly scheduledTotal: number;
}

export interface MemoryTarget {
  readonly name: string;
  readonly measured: string;
  readonly pass: boolean;
}

/** Everything {@link measureMemory} measured: plain data (JSON-serialisable). */
export interface MemoryResult {
  readonly quick: boolean;
  readonly node: string;
  readonly v8: string;
  /** The child-process commands run, in order. */
  readonly commands: readonly string[];
  readonly durationSec: number;
  /** Bytes per idle PTimer (LEGACY_POLICY, stopped, shared onTrigger). */
  readonly idle: PerItem;
  /** Extra bytes per idle timer once its `triggers$` has one subscriber. */
  readonly subscribed: PerItem;
  /** Extra bytes per timer once programmed periodic (one expiry queued on the VirtualClock). */
  readonly scheduled: PerItem;
  readonly growth: GrowthResult;
  readonly breakdown: Breakdown;
  /** Instances of each catalogue type measured, and the sizes. */
  readonly devices: { readonly count: number; readonly rows: readonly DeviceSize[] };
  readonly targets: readonly MemoryTarget[];
}

/** Target: heap per idle PTimer. */
export const IDLE_TARGET_BYTES = 1024;
/** Target (issue 19): heap per device instance, each catalogue type built with its defaults. */
export const DEVICE_TARGET_BYTES = 4096;

/** One catalogue device type's size (see bench/memoryWorker.ts, mode `devices`). */
export interface DeviceSize {
  readonly type: string;
  /** Its timer channels as the catalogue lists them (driver recipes; 0 for a counter without an interrupt). */
  readonly channels: number;
  /** Heap per instance (heapUsed), bytes. */
  readonly bytesEach: number;
  /** The same from `used_heap_size`. */
  readonly v8BytesEach: number;
  /** The largest entries of a heap-snapshot diff of a few instances, per instance (absent in a quick run). */
  readonly breakdown?: readonly BreakdownRow[];
}
/** Absolute part of the flatness bound. */
export const FLAT_MIN_BYTES = 1024 * 1024;

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const WORKER = 'bench/memoryWorker.ts';

let bundled: string | undefined;
/** bench/memoryWorker.ts bundled (dependencies included) as tsup builds the package: no `keepNames`. */
const workerBundle = (): string => {
  if (bundled !== undefined) return bundled;
  const outfile = path.join(mkdtempSync(path.join(os.tmpdir(), 'ptimer-memory-')), 'memoryWorker.mjs');
  buildSync({ entryPoints: [path.join(ROOT, WORKER)], bundle: true, platform: 'node', format: 'esm', target: 'node20', keepNames: false, outfile, logLevel: 'warning' });
  return (bundled = outfile);
};

/** Runs one worker mode in a fresh `node --expose-gc` process on the bundle and parses its JSON line. */
const runWorker = (commands: string[], args: readonly string[]): any => {
  const argv = ['--expose-gc', workerBundle(), ...args];
  commands.push(`node --expose-gc <bundle of ${WORKER}> ${args.join(' ')}`);
  const r = spawnSync(process.execPath, argv, { cwd: ROOT, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024, timeout: 300_000 });
  if (r.error !== undefined) throw r.error;
  if (r.status !== 0) {
    throw new Error(`memory worker '${args.join(' ')}' exited with ${r.status ?? r.signal}:\n${r.stderr.trim()}`);
  }
  const line = r.stdout.trim().split('\n').pop() ?? '';
  try {
    return JSON.parse(line);
  } catch {
    throw new Error(`memory worker '${args.join(' ')}' printed no JSON:\n${r.stdout}\n${r.stderr}`);
  }
};

const perItem = (what: string, count: number, before: HeapReading, after: HeapReading): PerItem => ({
  what,
  count,
  before,
  after,
  bytesEach: (after.heapUsed - before.heapUsed) / count,
  v8BytesEach: (after.usedHeapSize - before.usedHeapSize) / count,
});

/** Least-squares slope of y over x. */
const slope = (xs: readonly number[], ys: readonly number[]): number => {
  const n = xs.length;
  if (n < 2) return 0;
  const mx = xs.reduce((a, b) => a + b, 0) / n;
  const my = ys.reduce((a, b) => a + b, 0) / n;
  let num = 0;
  let den = 0;
  for (let i = 0; i < n; i++) {
    num += (xs[i]! - mx) * (ys[i]! - my);
    den += (xs[i]! - mx) ** 2;
  }
  return den === 0 ? 0 : num / den;
};

const growthOf = (raw: any): GrowthResult => {
  const samples: GrowthSample[] = raw.samples.map((s: any) => ({ expiries: s.expiries, heapUsed: s.heapUsed, usedHeapSize: s.usedHeapSize, codeSpace: s.codeSpace, ms: s.ms }));
  const after = samples.slice(1);
  const xs = after.map((s) => s.expiries / 1e6);
  const k = slope(xs, after.map((s) => s.heapUsed));
  const fittedGrowth = xs.length < 2 ? 0 : k * (xs[xs.length - 1]! - xs[0]!);
  const first = samples[0]!;
  const last = samples[samples.length - 1]!;
  const lastMinusFirst = last.heapUsed - first.heapUsed;
  const bound = Math.max(FLAT_MIN_BYTES, 0.01 * first.heapUsed);
  return {
    timers: raw.n,
    expiries: raw.total,
    target: raw.target,
    every: raw.every,
    irqEdges: raw.edges,
    runMs: raw.runMs,
    samples,
    slopeBytesPerMillion: k,
    fittedGrowth,
    lastMinusFirst,
    bound,
    flat: Math.abs(fittedGrowth) < bound && lastMinusFirst < bound,
  };
};

const rows = (raw: any[]): BreakdownRow[] => raw.map((r) => ({ what: r.what, bytesPerTimer: r.perTimer, countPerTimer: r.countPerTimer }));

/**
 * Measures heap per idle PTimer, per queued expiry and per `triggers$`
 * subscription, the heap over a long run, and a heap-snapshot breakdown,
 * each in a child process.
 * @param options - `quick`: 10 000 timers, 1 000 000 expiries, a 1 000-timer breakdown (a few seconds) instead of 100 000 timers, 10 000 000 expiries and 10 000 (about 20 s)
 * @throws Error if a child fails, including when a growth run's expiry or IRQ edge count is not exactly the closed-form one
 */
export const measureMemory = (options: { quick?: boolean } = {}): MemoryResult => {
  const quick = options.quick ?? false;
  const n = quick ? 10_000 : 100_000;
  const growthTimers = 1_000;
  const total = quick ? 1_000_000 : 10_000_000;
  const every = total / 10;
  const breakdownTimers = quick ? 1_000 : 10_000;
  const commands: string[] = [];
  const t0 = performance.now();

  const plain = runWorker(commands, ['timers', String(n), '0']);
  const sub = runWorker(commands, ['timers', String(n), '1']);
  const growth = growthOf(runWorker(commands, ['growth', String(growthTimers), String(total), String(every)]));
  if (growth.expiries < total) throw new Error(`growth run reached ${growth.expiries} expiries, fewer than ${total}`);
  const bd = runWorker(commands, ['breakdown', String(breakdownTimers)]);
  // 1 000 each: at 200 the per-instance figure swung by about ±0.7 KB between runs (heap page granularity).
  // 5 000 a type: the heap readings wander by a few hundred KB, ±0.3 KB an instance at 1 000, ±0.05 KB at 5 000.
  const deviceCount = quick ? 50 : 5_000;
  // Without the per-type heap-snapshot breakdown: 35 snapshots take far longer than the worker's time limit.
  const dev = runWorker(commands, ['devices', String(deviceCount), '0']);
  const deviceRows: DeviceSize[] = dev.rows.map((r: any) => ({
    type: r.type,
    channels: r.timers,
    bytesEach: r.bytesEach,
    v8BytesEach: r.v8BytesEach,
    breakdown: r.breakdown === undefined ? undefined : rows(r.breakdown),
  }));
  const overTarget = deviceRows.filter((d) => d.bytesEach > DEVICE_TARGET_BYTES);
  const largest = deviceRows.reduce((a, b) => (b.bytesEach > a.bytesEach ? b : a));

  const idle = perItem('idle PTimer (LEGACY_POLICY, stopped)', n, plain.before, plain.idle);
  const subscribed = perItem('`triggers$` subscription on an idle timer', n, sub.idle, sub.subscribed);
  const scheduled = perItem('queued expiry (timer programmed periodic)', n, plain.idle, plain.scheduled);
  const fmtB = (x: number): string => `${x.toFixed(0)} B`;
  const targets: MemoryTarget[] = [
    { name: `Idle PTimer < 1 KiB (at ${n.toLocaleString('en-US')} timers)`, measured: `${fmtB(idle.bytesEach)} per timer`, pass: idle.bytesEach < IDLE_TARGET_BYTES },
    {
      name: `Heap flat across ${total.toLocaleString('en-US')} expiries`,
      measured: `last − first ${kib(growth.lastMinusFirst)}; fitted ${kib(growth.fittedGrowth)} (${growth.slopeBytesPerMillion.toFixed(0)} B per M expiries)`,
      pass: growth.flat,
    },
    {
      name: `Device instance ≤ 4 KB (each of the ${deviceRows.length} catalogue types, catalogue defaults)`,
      measured: `${deviceRows.length - overTarget.length} of ${deviceRows.length} within; largest \`${largest.type}\` ${fmtB(largest.bytesEach)}`,
      pass: overTarget.length === 0,
    },
  ];
  return {
    quick,
    node: process.version,
    v8: process.versions.v8,
    commands,
    durationSec: (performance.now() - t0) / 1000,
    idle,
    subscribed,
    scheduled,
    growth,
    breakdown: {
      timers: bd.n,
      idle: rows(bd.idle),
      idleTotal: bd.idleTotalPerTimer,
      scheduled: rows(bd.scheduled),
      scheduledTotal: bd.scheduledTotalPerTimer,
    },
    devices: { count: deviceCount, rows: deviceRows },
    targets,
  };
};

// ---- rendering ------------------------------------------------------------------

const int = (x: number): string => Math.round(x).toLocaleString('en-US');
function kib(bytes: number): string {
  const sign = bytes < 0 ? '−' : '';
  const b = Math.abs(bytes);
  return b >= 1024 * 1024 ? `${sign}${(b / 2 ** 20).toFixed(2)} MiB` : `${sign}${(b / 1024).toFixed(1)} KiB`;
}
const mib = (bytes: number): string => (bytes / 2 ** 20).toFixed(2);

/**
 * What each heap-snapshot entry of a timer is, by inspection of src/ptimer and
 * src/clock at the time of writing. Keys are the snapshot's names with a
 * bundler's leading `_` on a class name removed (see {@link sourceOf}).
 */
const SOURCE: Record<string, string> = {
  'object: TimerRecord': "the timer's state (counter, period, limit, policy bits, callback); it is also its own entry in the clock's queue",
  'object: PTimer': 'the public handle over the record',
  'object: TimerExtra': 'the side record of a timer that needs rarely used state (phases of a fractional period, tick watchers, trigger observers, a far deadline)',
  '(bigint)': 'the period and limit values (heap BigInts)',
  'native: system / JSArrayBufferData': "the clock queue's typed-array keys (amortised growth)",
  'array: (object elements)': "the clock queue's entry array (amortised growth)",
  '(array)': 'arrays shared by all timers (amortised growth), not per timer',
  '(code)': 'compiled code (JIT), not per timer',
};

/** {@link SOURCE}'s text for a snapshot entry, or nothing for an entry it does not know. */
const sourceOf = (what: string): string => SOURCE[what.replace(/^(object: )_/, '$1')] ?? '';

const breakdownTable = (title: string, list: readonly BreakdownRow[], total: number): string[] => [
  `| ${title} | Bytes per timer | Objects per timer | What it is |`,
  '|---|--:|--:|---|',
  ...list.map((r) => `| \`${r.what}\` | ${r.bytesPerTimer.toFixed(1)} | ${r.countPerTimer.toFixed(2)} | ${sourceOf(r.what)} |`),
  `| total (all snapshot nodes) | ${total.toFixed(1)} | | |`,
];

/** The RESULTS.md section for a {@link MemoryResult}: markdown lines. */
export const renderMemory = (r: MemoryResult): string[] => {
  const g = r.growth;
  const verdict = (pass: boolean): string => (pass ? '**PASS**' : '**FAIL**');
  const out: string[] = [
    '## Memory',
    '',
    `${r.quick ? 'Quick run (sanity only). ' : ''}Measured in child processes (${r.commands.length}: \`${r.commands.join('`, `')}\`), Node ${r.node}, in ${r.durationSec.toFixed(0)} s.`,
    '',
    '| Target | Measured | Result |',
    '|---|---|---|',
    ...r.targets.map((t) => `| ${t.name} | ${t.measured} | ${verdict(t.pass)} |`),
    '',
    '| Measurement | Count | Heap before (MiB) | Heap after (MiB) | Bytes each (heapUsed) | Bytes each (used_heap_size) |',
    '|---|--:|--:|--:|--:|--:|',
    ...[r.idle, r.scheduled, r.subscribed].map(
      (m) => `| ${m.what} | ${int(m.count)} | ${mib(m.before.heapUsed)} | ${mib(m.after.heapUsed)} | ${m.bytesEach.toFixed(1)} | ${m.v8BytesEach.toFixed(1)} |`,
    ),
    '',
    'Method: each figure is `process.memoryUsage().heapUsed` read after repeated forced full GCs (`gc()` under `--expose-gc`) in a ' +
      'fresh child process, before and after creating the timers (stopped, `LEGACY_POLICY`, one shared `onTrigger`; the array holding them ' +
      'allocated before the baseline), then after programming each periodic (period 1000 + i ns, limit 1: one expiry queued per timer), the ' +
      'difference divided by the count. ' +
      `The growth run programs ${int(g.timers)} such timers whose callback raises and lowers its own \`IrqLine\` (with a \`level$\` subscriber), ` +
      `advances the VirtualClock in ${int(g.target / g.every)} chunks of ~${int(g.every)} expiries, checks the callback and IRQ edge counts ` +
      'exactly against the closed form (bench/workload.ts) and reads the heap after a full GC at the start and after each chunk; it is flat when both the ' +
      `growth from the first sample to the last and the least-squares growth fitted over the samples after the first are under ${kib(g.bound)} ` +
      `(max of 1 MiB and 1 % of the starting heap: ${(g.bound / g.expiries).toFixed(2)} bytes per expiry over this run, ` +
      `so a leak of one 16-byte object per ${int((16 * g.expiries) / g.bound)} expiries would fail it).`,
    '',
    `### Heap across ${int(g.expiries)} expiries (${int(g.timers)} timers, IRQ raise + lower per expiry)`,
    '',
    '| Expiries | heapUsed (MiB) | Δ from first (KiB) | Δ from previous (KiB) | of which code space (KiB) | Wall time (s) |',
    '|--:|--:|--:|--:|--:|--:|',
    ...g.samples.map(
      (s, i) =>
        `| ${int(s.expiries)} | ${mib(s.heapUsed)} | ${((s.heapUsed - g.samples[0]!.heapUsed) / 1024).toFixed(1)} | ` +
        `${i === 0 ? '' : ((s.heapUsed - g.samples[i - 1]!.heapUsed) / 1024).toFixed(1)} | ` +
        `${i === 0 ? '' : ((s.codeSpace - g.samples[i - 1]!.codeSpace) / 1024).toFixed(1)} | ${(s.ms / 1000).toFixed(2)} |`,
    ),
    '',
    `Slope over the samples after the first: ${g.slopeBytesPerMillion.toFixed(0)} bytes per million expiries (fitted growth ${kib(g.fittedGrowth)}); ` +
      `last − first: ${kib(g.lastMinusFirst)}, of which ${kib(g.samples[g.samples.length - 1]!.codeSpace - g.samples[0]!.codeSpace)} code space ` +
      "(the step to the second sample is allocated once: the JIT's code and feedback, and state each IrqLine and its Subject keep after their first emission, about 60 B per line). " +
      `${int(g.expiries)} callback calls and ${int(g.irqEdges)} IRQ edges, as computed; advances took ${(g.runMs / 1000).toFixed(1)} s ` +
      `(${((g.expiries / g.runMs) * 1e-3).toFixed(2)} M expiries/s).`,
    '',
    `### What a timer is made of (heap snapshot diff, ${int(r.breakdown.timers)} timers)`,
    '',
    'Self sizes of the nodes gained, grouped by snapshot type and name, divided by the number of timers ("what it is" by inspection of the sources).',
    '',
    ...breakdownTable('Idle timer', r.breakdown.idle, r.breakdown.idleTotal),
    '',
    ...breakdownTable('Programmed (one queued expiry)', r.breakdown.scheduled, r.breakdown.scheduledTotal),
    '',
    `### One instance of each catalogue device type (${int(r.devices.count)} instances each)`,
    '',
    'Each type of system/catalogue built as scenarios build it (`type.create` with its default clock frequencies and sync delivery) on one ' +
      'VirtualClock; heap after forced full GCs before and after creating the instances, divided by their number (200 warm-up instances and ' +
      'the clock inputs created before the baseline, so the code the JIT compiles, shared register maps and other one-off costs are not ' +
      'counted). Largest heap-snapshot ' +
      `entries per instance from a diff of ${r.devices.rows.some((d) => d.breakdown !== undefined) ? 'a few' : 'no (quick run)'} instances.`,
    '',
    '| Type | Timer channels | Bytes per instance | ≤ 4 KB | Largest parts (bytes per instance) |',
    '|---|--:|--:|---|---|',
    ...r.devices.rows.map(
      (d) =>
        `| \`${d.type}\` | ${d.channels} | ${int(d.bytesEach)} | ${d.bytesEach <= DEVICE_TARGET_BYTES ? 'PASS' : '**FAIL**'} | ` +
        `${(d.breakdown ?? []).slice(0, 4).map((b) => `\`${b.what}\` ${int(b.bytesPerTimer)}`).join(', ')} |`,
    ),
    '',
  ];
  if (!r.targets[0]!.pass) {
    const top = [...r.breakdown.idle].filter((x) => x.what !== 'object: PTimer' && x.what !== '(code)').slice(0, 5);
    out.push(
      `The idle timer misses the target by ${(r.idle.bytesEach - IDLE_TARGET_BYTES).toFixed(0)} bytes. Besides the timer object ` +
        `(${r.breakdown.idle.find((x) => x.what === 'object: PTimer')?.bytesPerTimer.toFixed(0) ?? '?'} B), most of it is per-timer ` +
        `machinery that an idle timer never uses: ${top.map((x) => `\`${x.what}\` ${x.bytesPerTimer.toFixed(0)} B`).join(', ')}. ` +
        'Creating the Subjects, Observables, the `watchers` Set and the label on first use, and sharing the policy flags among timers ' +
        'with the same policy, would bring it well under 1 KiB.',
      '',
    );
  }
  return out;
};

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const result = measureMemory({ quick: process.argv.includes('--quick') });
  process.stdout.write(`${renderMemory(result).join('\n')}\n`);
  if (process.argv.includes('--json')) process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
}
