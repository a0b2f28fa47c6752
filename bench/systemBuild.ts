/**
 * Building a system is linear in its devices (issue 15 item 7): N minimal
 * timers, each on its own 4 KiB page, added to one `System` and started
 * (the first step of a run), for N doubling from a base size. Each size is
 * built `reps` times after one warm-up, a fresh system each time; the
 * median is reported with the time per device. A build that grew faster
 * than linearly (a scan of the devices already mapped, as the address map
 * once did) shows as a time per device that climbs with N: the item
 * compares the largest N's time per device with the smallest's.
 *
 * Run alone: `node --import ./bench/tsLoader.mjs bench/systemBuild.ts [--quick]` prints the markdown section.
 */
import { performance } from 'node:perf_hooks';
import { loadavg } from 'node:os';
import { pathToFileURL } from 'node:url';
import { MinimalTimer } from '../devices/minimal-timer';
import { System } from '../system/System';
import { median } from './measure';

/** Largest time per device at the largest N over that at the smallest: above this, the build is not linear. */
export const BUILD_LINEARITY_LIMIT = 1.5;

/** One size. */
export interface SystemBuildRow {
  /** Devices. */
  readonly devices: number;
  /** Median wall time to build and start, ms. */
  readonly medianMs: number;
  /** Fastest run, ms. */
  readonly minMs: number;
  /** Median µs per device. */
  readonly usPerDevice: number;
}

/** What {@link measureSystemBuild} found. */
export interface SystemBuildResult {
  readonly rows: readonly SystemBuildRow[];
  readonly reps: number;
  /** Time per device at the largest N over that at the smallest. */
  readonly growth: number;
  readonly loadBefore: readonly number[];
  readonly loadAfter: readonly number[];
}

const buildOnce = (devices: number): number => {
  const t0 = performance.now();
  const system = new System({ keepTrace: false });
  for (let i = 0; i < devices; i++) {
    system.addDevice(new MinimalTimer(system.clock, { name: `t${i}`, periodNs: 1000 + (i % 97) }), { base: 0x1000_0000 + i * 0x1000 });
  }
  system.run(0);
  const ms = performance.now() - t0;
  // The last device must be there: a loop that stopped early would time less work.
  system.device(`t${devices - 1}`);
  system.dispose();
  return ms;
};

/**
 * Builds systems of N, 2N, 4N and 8N minimal timers.
 * @param quick - N from 1 000 (else 5 000), 2 timed runs (else 3)
 */
export const measureSystemBuild = (quick = false): SystemBuildResult => {
  const base = quick ? 1_000 : 5_000;
  const reps = quick ? 2 : 3;
  const loadBefore = loadavg();
  buildOnce(base); // warm-up: the first build compiles the path
  const rows: SystemBuildRow[] = [];
  for (const devices of [base, base * 2, base * 4, base * 8]) {
    const times: number[] = [];
    for (let r = 0; r < reps; r++) {
      globalThis.gc?.();
      times.push(buildOnce(devices));
    }
    const medianMs = median(times);
    rows.push({ devices, medianMs, minMs: Math.min(...times), usPerDevice: (medianMs * 1000) / devices });
  }
  const growth = rows[rows.length - 1]!.usPerDevice / rows[0]!.usPerDevice;
  return { rows, reps, growth, loadBefore, loadAfter: loadavg() };
};

const fmtLoad = (l: readonly number[]): string => l.map((x) => x.toFixed(2)).join(' / ');

/** The markdown section. */
export const renderSystemBuild = (r: SystemBuildResult): string[] => [
  '## Building a system',
  '',
  `N minimal timers, each on its own 4 KiB page, added to one \`System\` (no trace kept) and started (\`run(0)\`); ${r.reps} timed builds per size after one warm-up, a fresh system each time. Load average (1/5/15 min) before ${fmtLoad(r.loadBefore)}, after ${fmtLoad(r.loadAfter)}.`,
  '',
  '| Devices | Median (ms) | Min (ms) | µs per device |',
  '|--:|--:|--:|--:|',
  ...r.rows.map((row) => `| ${row.devices.toLocaleString('en-US')} | ${row.medianMs.toFixed(0)} | ${row.minMs.toFixed(0)} | ${row.usPerDevice.toFixed(1)} |`),
  '',
  '| Target | Measured | Result |',
  '|---|---|---|',
  `| linear: µs per device at ${r.rows[r.rows.length - 1]!.devices.toLocaleString('en-US')} devices ≤ ${BUILD_LINEARITY_LIMIT}× that at ${r.rows[0]!.devices.toLocaleString('en-US')} | ${r.growth.toFixed(2)}× | **${r.growth <= BUILD_LINEARITY_LIMIT ? 'PASS' : 'FAIL'}** |`,
  '',
];

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const result = measureSystemBuild(process.argv.includes('--quick'));
  process.stdout.write(`${renderSystemBuild(result).join('\n')}\n`);
}
