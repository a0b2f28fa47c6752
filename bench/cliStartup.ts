/**
 * How long the `ptimer-rx` command takes to start, as a user runs it: the CLI
 * is built from the current sources with tsup.config.ts's own CLI entry into
 * a temporary directory laid out like the installed package (package.json,
 * dist/, cli/bin.mjs without the sources beside it, so the bin loads the
 * build), and each command is run as a whole process. Node's own start-up
 * (`node -e ""`) is timed alongside, so the figures can be read net of it on a
 * busy machine; and each process's CPU time is taken too, which other
 * processes on the machine change far less than its wall time.
 */
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build, type Options } from 'tsup';
import config from '../tsup.config';
import { median } from './measure';

const ROOT = resolve(fileURLToPath(new URL('..', import.meta.url)));
const SCENARIO = join(ROOT, 'examples/scenarios/default.json');

/** Issue 19's target for `ptimer-rx --help` from the built bin. */
export const HELP_TARGET_MS = 400;

/** One command line timed. */
export interface StartupRow {
  readonly label: string;
  /** The command as a user types it. */
  readonly shown: string;
  /** What the command runs, when the command line does not say. */
  readonly note?: string;
  /** Wall time, from spawning the process to its exit. */
  readonly medianMs: number;
  readonly minMs: number;
  readonly maxMs: number;
  /** CPU time (user + system, every thread) of the process, median. */
  readonly cpuMedianMs: number;
}

/**
 * Loaded into each timed process before its own code (`node --import`): at exit it writes the process's CPU
 * time, all its threads since it started, to file descriptor 3, a pipe the bench reads.
 */
const CPU_REPORTER = `data:text/javascript,${encodeURIComponent(
  'import { writeSync } from "node:fs"; process.on("exit", () => { const u = process.cpuUsage(); writeSync(3, String((u.user + u.system) / 1000)); });',
)}`;

/** What {@link measureCliStartup} found. */
export interface CliStartupFigures {
  readonly runs: number;
  readonly rows: readonly StartupRow[];
  /** The median of `node dist/cli.js --help`, the issue's figure. */
  readonly helpMs: number;
  readonly loadBefore: readonly number[];
  readonly loadAfter: readonly number[];
}

interface Case {
  readonly label: string;
  readonly shown: string;
  readonly note?: string;
  readonly args: readonly string[];
  /** Throws when the run did not do what the command does (so no figure is of a failing command). */
  readonly check: (stdout: string) => void;
}

const expectOutput = (what: string, ok: boolean, stdout: string): void => {
  if (!ok) throw new Error(`cli start-up bench: ${what} printed ${JSON.stringify(stdout.slice(0, 200))}`);
};

/** Builds the CLI like `npm run build` does, into `dir`, beside a manifest and the bin as npm installs them. */
const buildInstalledLayout = async (dir: string): Promise<void> => {
  const cliEntry = (config as Options[]).find((c) => typeof c.entry === 'object' && !Array.isArray(c.entry) && 'cli' in c.entry);
  if (cliEntry === undefined) throw new Error('tsup.config.ts has no entry named cli');
  symlinkSync(join(ROOT, 'node_modules'), join(dir, 'node_modules'), 'dir');
  copyFileSync(join(ROOT, 'package.json'), join(dir, 'package.json'));
  mkdirSync(join(dir, 'cli'));
  copyFileSync(join(ROOT, 'cli/bin.mjs'), join(dir, 'cli/bin.mjs'));
  await build({ ...cliEntry, outDir: join(dir, 'dist'), sourcemap: false, silent: true, config: false });
};

/**
 * Times each command `runs` times after one warm-up run, the commands
 * interleaved (order rotated each round) so that load from other processes
 * falls on all of them alike; every run's exit code and output are checked.
 * @param quick - 3 runs instead of 15
 * @returns the figures
 */
export const measureCliStartup = async (quick = false): Promise<CliStartupFigures> => {
  const runs = quick ? 3 : 15;
  const loadBefore = loadavg();
  const dir = mkdtempSync(join(tmpdir(), 'ptimer-rx-bench-cli-'));
  try {
    await buildInstalledLayout(dir);
    const { version } = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string };
    const help = (stdout: string): void => expectOutput('--help', stdout.startsWith('Usage: ptimer-rx [options] [command]'), stdout);
    const ran = (stdout: string): void => expectOutput('run --until 1ms', /ran to 1000000 ns/.test(stdout), stdout);
    const cases: Case[] = [
      { label: 'Node alone', shown: 'node -e ""', args: ['-e', ''], check: () => undefined },
      { label: 'help', shown: 'node dist/cli.js --help', args: [join(dir, 'dist/cli.js'), '--help'], check: help },
      { label: 'help, installed bin', shown: 'node cli/bin.mjs --help', note: 'installed: loads dist/cli.js', args: [join(dir, 'cli/bin.mjs'), '--help'], check: help },
      {
        label: 'version',
        shown: 'node dist/cli.js --version',
        args: [join(dir, 'dist/cli.js'), '--version'],
        check: (stdout) => expectOutput('--version', stdout === `${version}\n`, stdout),
      },
      {
        label: 'run',
        shown: 'node dist/cli.js run examples/scenarios/default.json --until 1ms',
        args: [join(dir, 'dist/cli.js'), 'run', SCENARIO, '--until', '1ms'],
        check: ran,
      },
      // For comparison: a clone of the repository runs the bin on the TypeScript sources, through tsx.
      { label: 'help, from the sources', shown: 'node cli/bin.mjs --help', note: 'in a clone: the sources through tsx', args: [join(ROOT, 'cli/bin.mjs'), '--help'], check: help },
    ];
    const once = (c: Case): { wall: number; cpu: number } => {
      const t0 = performance.now();
      const r = spawnSync(process.execPath, ['--import', CPU_REPORTER, ...c.args], { cwd: ROOT, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe', 'pipe'] });
      const wall = performance.now() - t0;
      if (r.status !== 0) throw new Error(`cli start-up bench: ${c.shown} exited ${r.status ?? r.signal}: ${r.stderr}`);
      c.check(r.stdout);
      const cpu = Number(r.output[3]);
      if (!(cpu > 0)) throw new Error(`cli start-up bench: ${c.shown} reported no CPU time (${JSON.stringify(r.output[3])})`);
      return { wall, cpu };
    };
    for (const c of cases) once(c);
    const times = cases.map((): { wall: number; cpu: number }[] => []);
    for (let r = 0; r < runs; r++) {
      for (let k = 0; k < cases.length; k++) {
        const i = (k + r) % cases.length;
        times[i]!.push(once(cases[i]!));
      }
    }
    const rows = cases.map((c, i) => {
      const wall = times[i]!.map((t) => t.wall);
      return { label: c.label, shown: c.shown, note: c.note, medianMs: median(wall), minMs: Math.min(...wall), maxMs: Math.max(...wall), cpuMedianMs: median(times[i]!.map((t) => t.cpu)) };
    });
    return { runs, rows, helpMs: rows.find((r) => r.label === 'help')!.medianMs, loadBefore, loadAfter: loadavg() };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
};

const ms = (x: number): string => x.toFixed(0);

/** The RESULTS.md section. */
export const renderCliStartup = (f: CliStartupFigures): string[] => {
  const node = f.rows.find((r) => r.label === 'Node alone')!;
  const help = f.rows.find((r) => r.label === 'help')!;
  return [
    '## CLI start-up',
    '',
    `Each command as a whole process (\`spawnSync\`: wall time from start to exit, and the process's CPU time, all threads, user + system), built from these sources with tsup.config.ts's CLI entry ` +
      `into a directory laid out as the installed package; ${f.runs} runs of each after a warm-up, the commands interleaved, ` +
      `every run's exit code and output checked. Load average (1/5/15 min) before ${f.loadBefore.map((x) => x.toFixed(2)).join(' / ')}, ` +
      `after ${f.loadAfter.map((x) => x.toFixed(2)).join(' / ')}.`,
    '',
    `| Target | Measured | Result |`,
    '|---|---|---|',
    `| \`ptimer-rx --help\` from the built bin < ${HELP_TARGET_MS} ms (wall median) | ${ms(f.helpMs)} ms | **${f.helpMs < HELP_TARGET_MS ? 'PASS' : 'FAIL'}** |`,
    `| the same, CPU time (its wall time on a free core, less the waits for the disk) < ${HELP_TARGET_MS} ms | ${ms(help.cpuMedianMs)} ms | **${help.cpuMedianMs < HELP_TARGET_MS ? 'PASS' : 'FAIL'}** |`,
    '',
    'Other processes on the machine lengthen the wall times (Node alone shows by how much); the CPU times are what each command ' +
      'costs, and change far less with the load.',
    '',
    '| Command | Wall median | Min | Max | Wall median less Node alone | CPU median | CPU median less Node alone |',
    '|---|--:|--:|--:|--:|--:|--:|',
    ...f.rows.map(
      (r) =>
        `| \`${r.shown}\`${r.note === undefined ? '' : ` (${r.note})`} | ${ms(r.medianMs)} ms | ${ms(r.minMs)} ms | ${ms(r.maxMs)} ms | ${r.label === 'Node alone' ? '' : `${ms(r.medianMs - node.medianMs)} ms`} | ` +
        `${ms(r.cpuMedianMs)} ms | ${r.label === 'Node alone' ? '' : `${ms(r.cpuMedianMs - node.cpuMedianMs)} ms`} |`,
    ),
    '',
    '`--help` and `--version` load only the option parser (commander) and the CLI\'s own first chunk, about 20 KB; a command loads its own ' +
      'module when it runs, and with it the models, the catalogue, zod and the part of rxjs the CLI bundles (cli/runCli.ts, tsup.config.ts).',
  ];
};
