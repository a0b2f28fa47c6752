/**
 * The child process of bench/memory.ts: one memory measurement per process,
 * so nothing else the benchmark did is on the heap. Started as
 *
 *   node --expose-gc --import tsx bench/memoryWorker.ts <mode> [args]
 *
 * and prints one line of JSON on stdout. Modes:
 *
 * - `timers <n> <subscribe: 0|1>`: heap before, after creating n idle
 *   PTimers (LEGACY_POLICY, one shared onTrigger), optionally after
 *   subscribing each one's `triggers$`, and after programming each one
 *   periodic (period 1000 + i ns, limit 1) so each has one expiry queued;
 *   then n IrqLines, and after giving each one `watch` listener.
 * - `growth <n> <total> <every>`: n periodic timers whose callback raises and
 *   lowers an IrqLine, run to `total` expiries in chunks of `every`, heap
 *   sampled after a full GC at the start and after each chunk; expiry and
 *   edge counts checked exactly.
 * - `devices <n> <snapshots: 0|1> [types]`: for each catalogue device type (system/catalogue),
 *   or only the comma-separated `types` given,
 *   built with its catalogue defaults (default clock frequencies, sync
 *   delivery), heap before and after creating n more instances on one clock
 *   (200 warm-up instances and the inputs made before the baseline, so one-off
 *   costs, the code the JIT compiles, shared tables, do not count); with snapshots, also a
 *   heap-snapshot diff of a few instances: what one is made of.
 * - `breakdown <n>`: heap snapshots before and after creating n idle timers
 *   and after programming them, aggregated by (node type, name) and diffed:
 *   what a timer is made of, per timer.
 *
 * Every heap figure is read after several forced full GCs (`gc()`).
 */
import { readFileSync, rmSync, mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import v8 from 'node:v8';
import { ClockInput } from '../src/clock/ClockInput';
import { VirtualClock } from '../src/clock/VirtualClock';
import { DEVICE_TYPES } from '../system/catalogue/catalogue';
import { IrqLine } from '../src/irq/IrqLine';
import { PTimer, type PTimerTrigger } from '../src/ptimer/PTimer';
import { LEGACY_POLICY } from '../src/ptimer/PTimerPolicy';
import { expiriesUpTo, specFor } from './workload';

const gc = globalThis.gc;
if (typeof gc !== 'function') throw new Error('bench/memoryWorker.ts needs node --expose-gc');

/** One reading of the heap after forced full GCs. */
export interface HeapReading {
  /** `process.memoryUsage().heapUsed`. */
  readonly heapUsed: number;
  /** `v8.getHeapStatistics().used_heap_size`. */
  readonly usedHeapSize: number;
  /** Used size of V8's code space (compiled code), part of the above. */
  readonly codeSpace: number;
}

/** Full GCs until the heap stops shrinking (at least 4, at most 10), then one reading. */
const settle = (): HeapReading => {
  let last = Infinity;
  for (let i = 0; i < 10; i++) {
    gc();
    const used = v8.getHeapStatistics().used_heap_size;
    if (i >= 3 && used >= last) break;
    last = used;
  }
  const heapUsed = process.memoryUsage().heapUsed;
  const usedHeapSize = v8.getHeapStatistics().used_heap_size;
  const codeSpace = v8.getHeapSpaceStatistics().find((sp) => sp.space_name === 'code_space')?.space_used_size ?? 0;
  return { heapUsed, usedHeapSize, codeSpace };
};

const benchClock = (): VirtualClock => new VirtualClock({ maxEventsPerInstant: 1_000_000_000, maxEventsPerRun: 1_000_000_000 });

/** Timer i's expiry period (ns): distinct, as in bench/workload.ts. */
const periodOf = (i: number): number => 1000 + i;

/** Periodic with period `periodNs` and limit 1: one expiry every `periodNs`, the first `periodNs` from now. */
const programPeriodic = (timer: PTimer, periodNs: number): void => {
  timer.transaction((t) => {
    t.setPeriod(periodNs);
    t.setLimit(1, true);
    t.run(false);
  });
};

const sinkTrigger = (_t: PTimerTrigger): void => {};

const modeTimers = (n: number, subscribe: boolean): unknown => {
  const clock = benchClock();
  // Allocated before the baseline so the array holding the timers is not counted.
  const timers: (PTimer | null)[] = new Array<PTimer | null>(n).fill(null);
  const subs: unknown[] = subscribe ? new Array<unknown>(n).fill(null) : [];
  const before = settle();
  for (let i = 0; i < n; i++) timers[i] = new PTimer(clock, { policy: LEGACY_POLICY, onTrigger: sinkTrigger });
  const idle = settle();
  let subscribed: HeapReading | undefined;
  if (subscribe) {
    const observer = (_t: PTimerTrigger): void => {};
    for (let i = 0; i < n; i++) subs[i] = timers[i]!.triggers$.subscribe(observer);
    subscribed = settle();
  }
  for (let i = 0; i < n; i++) programPeriodic(timers[i]!, periodOf(i));
  const scheduled = settle();
  const pending = clock.pending;
  if (pending !== n) throw new Error(`${pending} expiries queued after programming ${n} timers`);
  // Keep everything reachable up to the last reading.
  if (timers.length !== n || subs.length !== (subscribe ? n : 0)) throw new Error('unreachable');
  // The other per-channel object on an expiry path: n interrupt lines, then each with one listener (a device's consumer).
  const lines: (IrqLine | null)[] = new Array<IrqLine | null>(n).fill(null);
  const linesBefore = settle();
  for (let i = 0; i < n; i++) lines[i] = new IrqLine('irq');
  const linesIdle = settle();
  const listener = (_level: boolean): void => {};
  for (let i = 0; i < n; i++) lines[i]!.watch(listener);
  const linesWatched = settle();
  if (lines.length !== n || timers.length !== n) throw new Error('unreachable');
  return { mode: 'timers', n, subscribe, before, idle, subscribed, scheduled, pending, linesBefore, linesIdle, linesWatched };
};

const modeGrowth = (n: number, total: number, every: number): unknown => {
  if (total % every !== 0) throw new Error(`total ${total} is not a multiple of ${every}`);
  const clock = benchClock();
  let triggers = 0;
  let edges = 0;
  const lines: IrqLine[] = [];
  const timers: PTimer[] = [];
  for (let i = 0; i < n; i++) {
    const line = new IrqLine(`irq${i}`);
    line.level$.subscribe(() => {
      edges++;
    });
    lines.push(line);
    const timer = new PTimer(clock, {
      policy: LEGACY_POLICY,
      name: `t${i}`,
      onTrigger: () => {
        triggers++;
        line.raise();
        line.lower();
      },
    });
    programPeriodic(timer, periodOf(i));
    timers.push(timer);
  }
  const initialEdges = edges; // each level$ subscription replays the current level once
  if (initialEdges !== n) throw new Error(`${initialEdges} initial level emissions, expected ${n}`);
  const period = Array.from({ length: n }, (_, i) => periodOf(i));
  const samples: ({ expiries: number; target: number; horizon: number; ms: number } & HeapReading)[] = [];
  const first = settle();
  samples.push({ expiries: 0, target: 0, horizon: 0, ...first, ms: 0 });
  const t0 = performance.now();
  let runMs = 0;
  for (let target = every; target <= total; target += every) {
    // The smallest horizon with at least `target` expiries due (closed form, bench/workload.ts).
    const spec = specFor(n, target, 0);
    const expected = expiriesUpTo(period, period, spec.horizon);
    const r0 = performance.now();
    clock.advanceTo(spec.horizon);
    runMs += performance.now() - r0;
    if (triggers !== expected) throw new Error(`growth: ${triggers} callback calls by ${spec.horizon} ns, expected ${expected}`);
    if (edges - initialEdges !== 2 * expected) throw new Error(`growth: ${edges - initialEdges} IRQ edges by ${spec.horizon} ns, expected ${2 * expected}`);
    if (clock.pending !== n) throw new Error(`growth: ${clock.pending} expiries queued, expected ${n}`);
    samples.push({ expiries: triggers, target, horizon: spec.horizon, ...settle(), ms: performance.now() - t0 });
  }
  if (lines.some((l) => l.level) || timers.length !== n) throw new Error('growth: a line was left high');
  return { mode: 'growth', n, total: triggers, target: total, every, edges: edges - initialEdges, runMs, samples };
};

// ---- heap snapshot breakdown ---------------------------------------------------

interface Agg {
  count: number;
  size: number;
}

/** Aggregates a .heapsnapshot by node type and name (strings, numbers and code by type only). */
const aggregate = (file: string): Map<string, Agg> => {
  const snap = JSON.parse(readFileSync(file, 'utf8')) as {
    snapshot: { meta: { node_fields: string[]; node_types: [string[]] } };
    nodes: number[];
    strings: string[];
  };
  const fields = snap.snapshot.meta.node_fields;
  const types = snap.snapshot.meta.node_types[0];
  const nf = fields.length;
  const iType = fields.indexOf('type');
  const iName = fields.indexOf('name');
  const iSize = fields.indexOf('self_size');
  const byName = new Set(['object', 'closure', 'array', 'hidden', 'native', 'object shape', 'synthetic']);
  const out = new Map<string, Agg>();
  const nodes = snap.nodes;
  for (let i = 0; i < nodes.length; i += nf) {
    const type = types[nodes[i + iType]!]!;
    let name = byName.has(type) ? snap.strings[nodes[i + iName]!]! : '';
    if (type === 'hidden' && name.startsWith('system / ')) name = name.replace(/ \/ .*$/, '') + ' / ' + name.split(' / ')[1];
    if (name.length > 60) name = `${name.slice(0, 57)}…`;
    const key = name === '' ? `(${type})` : `${type}: ${name}`;
    const a = out.get(key);
    const size = nodes[i + iSize]!;
    if (a === undefined) out.set(key, { count: 1, size });
    else {
      a.count++;
      a.size += size;
    }
  }
  return out;
};

/** Per-timer difference of two aggregates, largest first; entries under 2 bytes per timer dropped. */
const diff = (a: Map<string, Agg>, b: Map<string, Agg>, n: number): { what: string; perTimer: number; countPerTimer: number }[] => {
  const keys = new Set([...a.keys(), ...b.keys()]);
  const rows: { what: string; perTimer: number; countPerTimer: number }[] = [];
  for (const k of keys) {
    const x = a.get(k) ?? { count: 0, size: 0 };
    const y = b.get(k) ?? { count: 0, size: 0 };
    const perTimer = (y.size - x.size) / n;
    if (Math.abs(perTimer) >= 2) rows.push({ what: k, perTimer, countPerTimer: (y.count - x.count) / n });
  }
  return rows.sort((p, q) => q.perTimer - p.perTimer);
};

const modeBreakdown = (n: number): unknown => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'ptimer-mem-'));
  try {
    const clock = benchClock();
    const timers: (PTimer | null)[] = new Array<PTimer | null>(n).fill(null);
    settle();
    const s0 = v8.writeHeapSnapshot(path.join(dir, '0.heapsnapshot'));
    for (let i = 0; i < n; i++) timers[i] = new PTimer(clock, { policy: LEGACY_POLICY, onTrigger: sinkTrigger });
    settle();
    const s1 = v8.writeHeapSnapshot(path.join(dir, '1.heapsnapshot'));
    for (let i = 0; i < n; i++) programPeriodic(timers[i]!, periodOf(i));
    settle();
    const s2 = v8.writeHeapSnapshot(path.join(dir, '2.heapsnapshot'));
    if (clock.pending !== n || timers.length !== n) throw new Error('breakdown: timers not armed');
    const a0 = aggregate(s0);
    const a1 = aggregate(s1);
    const a2 = aggregate(s2);
    const total = (m: Map<string, Agg>): number => [...m.values()].reduce((s, x) => s + x.size, 0);
    return {
      mode: 'breakdown',
      n,
      idle: diff(a0, a1, n),
      scheduled: diff(a1, a2, n),
      idleTotalPerTimer: (total(a1) - total(a0)) / n,
      scheduledTotalPerTimer: (total(a2) - total(a1)) / n,
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
};

// ---- catalogue devices ------------------------------------------------------------

/** Instances made before a device type's baseline: enough for the JIT to compile what creating one runs (one-off code, not per instance). */
const DEVICE_WARM_UP = 200;

/** Instances in a device's heap-snapshot diff: enough to average out, few enough to snapshot quickly. */
const DEVICE_SNAPSHOT_COUNT = 20;

const modeDevices = (n: number, snapshots: boolean, only: readonly string[] | undefined): unknown => {
  const unknown = only?.filter((t) => !DEVICE_TYPES.some((type) => type.type === t));
  if (unknown !== undefined && unknown.length > 0) throw new Error(`memoryWorker: unknown device type(s) ${unknown.join(', ')}`);
  const dir = snapshots ? mkdtempSync(path.join(os.tmpdir(), 'ptimer-dev-')) : undefined;
  try {
    const rows = DEVICE_TYPES.filter((type) => only === undefined || only.includes(type.type)).map((type) => {
      const clock = benchClock();
      const clocks = Object.fromEntries(type.clocks.map((c) => [c.name, new ClockInput(c.name, c.hz)]));
      const make = (i: number): unknown => type.create(clock, { name: `${type.type}${i}`, clocks, delivery: 'sync' });
      // Warm-up instances, kept: the code the JIT compiles for a type once it is hot is not any instance's.
      const warm = Array.from({ length: DEVICE_WARM_UP }, (_, i) => make(-1 - i));
      const devices: unknown[] = new Array<unknown>(n).fill(null);
      const before = settle();
      for (let i = 0; i < n; i++) devices[i] = make(i + 1);
      const after = settle();
      let breakdown: { what: string; perTimer: number; countPerTimer: number }[] | undefined;
      if (dir !== undefined) {
        const few: unknown[] = new Array<unknown>(DEVICE_SNAPSHOT_COUNT).fill(null);
        settle();
        const s0 = v8.writeHeapSnapshot(path.join(dir, `${type.type}-0.heapsnapshot`));
        for (let i = 0; i < DEVICE_SNAPSHOT_COUNT; i++) few[i] = make(n + 1 + i);
        settle();
        const s1 = v8.writeHeapSnapshot(path.join(dir, `${type.type}-1.heapsnapshot`));
        breakdown = diff(aggregate(s0), aggregate(s1), DEVICE_SNAPSHOT_COUNT).slice(0, 8);
        rmSync(s0);
        rmSync(s1);
        if (few.length !== DEVICE_SNAPSHOT_COUNT) throw new Error('unreachable');
      }
      if (warm.length !== DEVICE_WARM_UP || devices.length !== n) throw new Error('unreachable');
      return {
        type: type.type,
        timers: type.channels.length,
        bytesEach: (after.heapUsed - before.heapUsed) / n,
        v8BytesEach: (after.usedHeapSize - before.usedHeapSize) / n,
        pending: clock.pending,
        breakdown,
      };
    });
    return { mode: 'devices', n, rows };
  } finally {
    if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
  }
};

// ---- entry -----------------------------------------------------------------------

const int = (text: string | undefined, what: string): number => {
  const v = Number(text);
  if (!Number.isSafeInteger(v) || v < 1) throw new Error(`memoryWorker: ${what} must be a positive integer, got '${text}'`);
  return v;
};

const [mode, ...rest] = process.argv.slice(2);
let result: unknown;
switch (mode) {
  case 'timers':
    result = modeTimers(int(rest[0], 'n'), rest[1] === '1');
    break;
  case 'growth':
    result = modeGrowth(int(rest[0], 'n'), int(rest[1], 'total'), int(rest[2], 'every'));
    break;
  case 'breakdown':
    result = modeBreakdown(int(rest[0], 'n'));
    break;
  case 'devices':
    result = modeDevices(int(rest[0], 'n'), rest[1] === '1', rest[2]?.split(','));
    break;
  default:
    throw new Error(`memoryWorker: unknown mode '${mode}' (timers, growth, breakdown, devices)`);
}
process.stdout.write(`${JSON.stringify(result)}\n`);
