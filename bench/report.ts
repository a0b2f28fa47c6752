/** Renders bench/RESULTS.md from the measurements (and a console summary). */
import os from 'node:os';
import { FAKE_TIMERS, HW_POLICY, VARIANTS, type Variant } from './variants';
import type { RunSpec } from './workload';

/** What was measured for one variant at one N (or why it was not). */
export interface Measured {
  readonly n: number;
  readonly variant: Variant;
  readonly spec?: RunSpec;
  /** Set when fewer expiries than the target were run (events/s is then an extrapolation). */
  readonly reducedFrom?: number;
  /** Set when the configuration was not run at all. */
  readonly skipped?: string;
  /** For a skipped configuration: events/s extrapolated from a smaller N. */
  readonly estimatedEventsPerSec?: number;
  readonly medianMs?: number;
  readonly minMs?: number;
  readonly maxMs?: number;
  readonly setupMs?: number;
  readonly eventsPerSec?: number;
}

export interface Report {
  readonly command: string;
  readonly codeVersion: string;
  readonly date: string;
  readonly durationSec: number;
  readonly loadBefore: readonly number[];
  readonly loadAfter: readonly number[];
  readonly reps: number;
  readonly warmups: number;
  readonly events: number;
  readonly rxjsBudgetMs: number;
  readonly measured: readonly Measured[];
  /** Targets measured by other items (the memory item's device sizes), shown in the Targets table too. */
  readonly extraTargets?: readonly { readonly name: string; readonly measured: string; readonly pass: boolean }[];
}

/** The N at which the issue's targets apply. */
export const TARGET_N = 10_000;
/** The large N of issue 19's PTimer target. */
export const LARGE_TARGET_N = 100_000;

const int = (x: number): string => Math.round(x).toLocaleString('en-US');
const ms = (x: number): string => (x >= 100 ? x.toFixed(0) : x >= 10 ? x.toFixed(1) : x.toFixed(2));
const rate = (x: number): string => (x >= 1e6 ? `${(x / 1e6).toFixed(2)} M` : x >= 1e3 ? `${(x / 1e3).toFixed(1)} k` : x.toFixed(0));
const ratio = (x: number): string =>
  x >= 100 ? `${x.toFixed(0)}×` : x >= 10 ? `${x.toFixed(1)}×` : x >= 0.1 ? `${x.toFixed(2)}×` : `${x.toPrecision(2)}×`;

interface Rate {
  readonly value: number;
  /** '' measured over the full target; 'reduced' measured over fewer expiries; 'estimated' not run. */
  readonly kind: '' | 'reduced' | 'estimated';
}

const rateOf = (m: Measured | undefined): Rate | undefined => {
  if (m === undefined) return undefined;
  if (m.eventsPerSec !== undefined) return { value: m.eventsPerSec, kind: m.reducedFrom !== undefined ? 'reduced' : '' };
  if (m.estimatedEventsPerSec !== undefined) return { value: m.estimatedEventsPerSec, kind: 'estimated' };
  return undefined;
};

const mark = { '': '', reduced: ' †', estimated: ' ‡' } as const;

/** a / b, marked when either side is not a full measurement (the weaker mark wins). */
const ratioOf = (a: Rate | undefined, b: Rate | undefined): { text: string; value?: number } => {
  if (a === undefined || b === undefined) return { text: 'n/a' };
  const kind = a.kind === 'estimated' || b.kind === 'estimated' ? 'estimated' : a.kind === 'reduced' || b.kind === 'reduced' ? 'reduced' : '';
  const value = a.value / b.value;
  return { text: `${kind === 'estimated' ? '~' : ''}${ratio(value)}${mark[kind]}`, value };
};

/** The bare-heap yardstick at one N: the faster of the bare loops measured. */
const yardstick = (at: readonly Measured[]): Measured | undefined =>
  at
    .filter((m) => m.variant.id.startsWith('bare-') && m.eventsPerSec !== undefined)
    .reduce<Measured | undefined>((best, m) => (best === undefined || m.eventsPerSec! > best.eventsPerSec! ? m : best), undefined);

export const renderReport = (r: Report): { markdown: string; summary: string } => {
  const cpus = os.cpus();
  const byN = new Map<number, Measured[]>();
  for (const m of r.measured) byN.set(m.n, [...(byN.get(m.n) ?? []), m]);
  const order = (m: Measured): number => VARIANTS.indexOf(m.variant);
  for (const at of byN.values()) at.sort((a, b) => order(a) - order(b));
  const find = (at: readonly Measured[], id: string): Measured | undefined => at.find((m) => m.variant.id === id);

  // ---- targets ---------------------------------------------------------------
  // Issue 19's targets (item 3), each against the bare-heap yardstick at its N.
  const atTarget = byN.get(TARGET_N) ?? [];
  const bareT = yardstick(atTarget);
  const atLarge = byN.get(LARGE_TARGET_N) ?? [];
  const bareL = yardstick(atLarge);
  const hw = `[${HW_POLICY.join(', ')}]`;
  const nT = `N = ${int(TARGET_N)}`;
  const nL = `N = ${int(LARGE_TARGET_N)}`;
  const targets: { name: string; got: { text: string; value?: number }; min: number }[] = [
    { name: `VirtualClock ≥ 0.85× bare heap (${nT})`, got: ratioOf(rateOf(find(atTarget, 'virtualclock')), rateOf(bareT)), min: 0.85 },
    { name: `VirtualClock ≥ 100× rxjs VirtualTimeScheduler (${nT})`, got: ratioOf(rateOf(find(atTarget, 'virtualclock')), rateOf(find(atTarget, 'rxjs'))), min: 100 },
    { name: `PTimer (LEGACY_POLICY) + IRQ raise/lower ≥ 0.5× bare heap (${nT})`, got: ratioOf(rateOf(find(atTarget, 'ptimer-legacy')), rateOf(bareT)), min: 0.5 },
    { name: `PTimer (${hw}) + IRQ raise/lower ≥ 0.5× bare heap (${nT})`, got: ratioOf(rateOf(find(atTarget, 'ptimer-hw')), rateOf(bareT)), min: 0.5 },
    { name: `PTimer (LEGACY_POLICY) + IRQ raise/lower ≥ 0.35× bare heap (${nL})`, got: ratioOf(rateOf(find(atLarge, 'ptimer-legacy')), rateOf(bareL)), min: 0.35 },
    { name: `PTimer (${hw}) + IRQ raise/lower ≥ 0.35× bare heap (${nL})`, got: ratioOf(rateOf(find(atLarge, 'ptimer-hw')), rateOf(bareL)), min: 0.35 },
  ];
  const verdict = (t: (typeof targets)[number]): string => (t.got.value === undefined ? 'not measured' : t.got.value >= t.min ? '**PASS**' : '**FAIL**');
  const extraTargets = r.extraTargets ?? [];

  const out: string[] = [];
  const p = (line = ''): void => {
    out.push(line);
  };
  p('# ptimer-rx benchmark results');
  p();
  p(`Generated by \`${r.command}\` (bench/run.ts); regenerate rather than edit.`);
  p();
  p('| | |');
  p('|---|---|');
  p(`| Date | ${r.date} |`);
  p(`| Code | ${r.codeVersion} (as loaded at the start of the run) |`);
  p(`| CPU | ${cpus[0]?.model.trim() ?? 'unknown'} × ${cpus.length} logical cores |`);
  p(`| Memory | ${(os.totalmem() / 2 ** 30).toFixed(1)} GiB |`);
  p(`| Runtime | Node ${process.version}, V8 ${process.versions.v8}, ${os.platform()} ${os.arch()} ${os.release()} |`);
  p('| Code as run | the TypeScript sources compiled as the package is built (esbuild, no `keepNames`; bench/tsLoader.mjs), in this process, its worker threads and its child processes; before 2026-12-06 the runs went through tsx, whose `keepNames` made the explorer about 2x slower than the package |');
  p(`| Load average (1/5/15 min) | before ${r.loadBefore.map((x) => x.toFixed(2)).join(' / ')}; after ${r.loadAfter.map((x) => x.toFixed(2)).join(' / ')} |`);
  p(`| Duration | ${r.durationSec.toFixed(0)} s |`);
  p();
  const busy = Math.max(...r.loadBefore.slice(0, 1), ...r.loadAfter.slice(0, 1));
  if (busy > 0.5) {
    p(`The machine was shared: a 1-minute load average of up to ${busy.toFixed(2)} on ${cpus.length} cores means other`);
    p('processes competed for the CPUs during the run; the min column is the least disturbed run of each.');
    p();
  }
  p('## Targets (issue 19)');
  p();
  p('| Target | Measured | Result |');
  p('|---|---|---|');
  for (const t of targets) p(`| ${t.name} | ${t.got.text} | ${verdict(t)} |`);
  for (const t of extraTargets) p(`| ${t.name} | ${t.measured} | ${t.pass ? '**PASS**' : '**FAIL**'} |`);
  p();
  p('"Bare heap" is the faster of the two hand-written loops at that N (the yardstick); ratios are of median events/s.');
  if (extraTargets.length > 0) p('The device sizes come from the memory item (see its section, one row per catalogue type).');
  p();
  p('## Workload and method');
  p();
  p(`- N periodic timers, timer i with period 1000 + i ns, all armed at t = 0; the clock is advanced to the smallest`);
  p(`  horizon at which at least ${int(r.events)} expiries are due, and every expiry calls a trivial callback (a counter`);
  p('  increment). The expected count is computed in closed form; every run (warm-up and timed) is checked against it');
  p('  (callback count and, where there is one, the scheduler\'s own executed count, plus "every timer still armed"),');
  p('  and a mismatch aborts the benchmark without writing this file.');
  p('- Variants: `bare-objects`: objects in an array heap, pop-min, callback, push back; `bare-typed`: parallel typed');
  p('  arrays with replace-top (bench/bareHeap.ts). `virtualclock`: N actions re-arming themselves with');
  p('  `this.schedule(period, period)`. `rxjs`: the same on rxjs `VirtualTimeScheduler` (`maxFrames` = horizon, `flush()`).');
  p(
    FAKE_TIMERS === undefined
      ? '  `sinon`: @sinonjs/fake-timers was not installed for this run (`npm install -D @sinonjs/fake-timers`), so it has no rows.'
      : `  \`sinon\`: @sinonjs/fake-timers ${FAKE_TIMERS.version} (the fake timers of vitest and jest): N \`setInterval\`s, \`tick(horizon)\`.`,
  );
  p('  `ptimer-*`: N `PTimer`s on a `VirtualClock`, period 1 ns and a limit giving the same expiry period (limit = period');
  p('  under LEGACY_POLICY; period − 1 under WRAP_AFTER_ONE_PERIOD, whose first expiry is therefore 1 ns earlier),');
  p('  `onTrigger` the device callback of the issue: it counts, then raises and lowers the timer\'s own `IrqLine`');
  p('  (one `IrqLine.watch` listener per line counts the rising edges, checked equal to the callbacks; a `level$`');
  p('  subscriber instead costs about twice as much per expiry: rxjs\'s subscriber chain, see the README).');
  p(`- Per N: ${r.warmups} warm-up runs of each variant (rxjs: 1), then ${r.reps} timed runs, variants interleaved (order rotated each rep),`);
  p('  a full GC before set-up and again before each timed run. Set-up (creating the timers) is timed separately and');
  p('  excluded from the run time. Times are wall clock (`performance.now()`), all variants in one process.');
  p(`- rxjs sorts its action array on every insert, so each expiry costs O(N) and set-up O(N²). Its run is shortened to`);
  p(`  fit ~${int(r.rxjsBudgetMs)} ms per rep (†: events/s from that shorter run, which is in steady state since the`);
  p('  queue always holds N actions); where even set-up would take too long it is not run (‡: events/s extrapolated');
  p('  linearly in N from the largest N measured).');
  p();

  // ---- per N -----------------------------------------------------------------
  const summaryRows: string[] = [];
  for (const [n, at] of byN) {
    const bare = yardstick(at);
    const vc = rateOf(find(at, 'virtualclock'));
    p(`## N = ${int(n)}`);
    p();
    p('| Variant | Expiries | Horizon (ns) | Median (ms) | Min (ms) | Max (ms) | Events/s (median) | Set-up (ms, median) | × bare heap |');
    p('|---|--:|--:|--:|--:|--:|--:|--:|--:|');
    for (const m of at) {
      const label = `${m.variant.label} (\`${m.variant.id}\`)`;
      if (m.spec === undefined) {
        p(`| ${label} | — | — | — | — | — | ${m.estimatedEventsPerSec !== undefined ? `~${rate(m.estimatedEventsPerSec)} ‡` : '—'} | — | ${ratioOf(rateOf(m), rateOf(bare)).text} |`);
        continue;
      }
      const reduced = m.reducedFrom !== undefined ? ' †' : '';
      p(
        `| ${label} | ${int(m.spec.expected)}${reduced} | ${int(m.spec.horizon)} | ${ms(m.medianMs!)} | ${ms(m.minMs!)} | ${ms(m.maxMs!)} | ` +
          `${rate(m.eventsPerSec!)}${reduced} | ${ms(m.setupMs!)} | ${m === bare ? '1 (yardstick)' : ratioOf(rateOf(m), rateOf(bare)).text} |`,
      );
    }
    for (const m of at) if (m.skipped !== undefined) p(`\n‡ \`${m.variant.id}\`: ${m.skipped}.`);
    p();
    const row = [
      int(n),
      bare === undefined ? 'n/a' : `\`${bare.variant.id}\` ${rate(bare.eventsPerSec!)}`,
      ratioOf(vc, rateOf(bare)).text,
      ratioOf(vc, rateOf(find(at, 'rxjs'))).text,
      ratioOf(vc, rateOf(find(at, 'sinon'))).text,
      ratioOf(rateOf(find(at, 'ptimer-legacy')), rateOf(bare)).text,
      ratioOf(rateOf(find(at, 'ptimer-hw')), rateOf(bare)).text,
    ];
    summaryRows.push(`| ${row.join(' | ')} |`);
  }

  const ratioHeader = [
    '| N | Bare heap (events/s) | VirtualClock / bare heap | VirtualClock / rxjs | VirtualClock / sinon | PTimer legacy / bare heap | PTimer hw / bare heap |',
    '|--:|---|--:|--:|--:|--:|--:|',
  ];
  p('## Ratios');
  p();
  for (const line of [...ratioHeader, ...summaryRows]) p(line);
  p();
  p('† rxjs measured over fewer expiries than the target (see its row). ‡ not run; extrapolated.');
  p();

  const summary = [
    `Targets at N = ${int(TARGET_N)}:`,
    ...targets.map((t) => `  ${verdict(t).replace(/\*/g, '').padEnd(12)} ${t.name}: ${t.got.text}`),
    ...extraTargets.map((t) => `  ${(t.pass ? 'PASS' : 'FAIL').padEnd(12)} ${t.name}: ${t.measured}`),
    'Ratios:',
    ...ratioHeader.slice(0, 1),
    ...summaryRows,
  ].join('\n');
  return { markdown: out.join('\n'), summary };
};
