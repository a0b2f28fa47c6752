import { relative } from 'node:path';
import type { TriggerDelivery } from '../../src/bus/kit/TriggerDelivery';
import { createExplorePool, type ExplorePool } from '../../explore/ExplorePool';
import type { ExploreResult } from '../../explore/exploreSchedules';
import { exploreRaceParallel } from '../../explore/exploreRaceParallel';
import { exploreScenarioParallel } from '../../explore/exploreScenarioParallel';
import { ScenarioError } from '../../system/scenario/ScenarioError';
import { checkOutputPaths } from '../checkOutputPath';
import { CliError, USAGE_ERROR } from '../CliError';
import { optionError } from '../optionError';
import { checkQueueOptions, openQueuePool, redactUrl, type QueueCommandOptions } from '../queueOption';
import { sweepMatrix, type SweepMatrix } from '../sweepMatrix';
import { writeFilesAtomic } from '../writeFileAtomic';
import { CHECK_LOAD_MILLIS, loadChecks } from './exploreScenario';
import { loadScenarioFile, readJsonFile, scenarioFileError } from './run';

/** Options of `ptimer-rx sweep`, as parsed (the matrix's fields as given, unchecked). */
export interface SweepCommandOptions extends QueueCommandOptions {
  readonly matrix?: string;
  readonly devices?: string[];
  readonly scenarios?: string[];
  readonly modes?: string[];
  readonly seeds?: number[];
  readonly expiries?: number;
  readonly max?: number;
  readonly workers: number;
  /** `--check`: an ES module of predicates every scenario cell checks besides the built-in invariants. */
  readonly check?: string;
  /** Where the summary goes: `<out>.md` and `<out>.json`. */
  readonly out: string;
}

/** One cell of the summary. */
export interface SweepCell {
  /** `race` (a catalogue device) or `scenario` (a file). */
  readonly kind: 'race' | 'scenario';
  /** The device type, or the scenario file (relative to the working directory). */
  readonly target: string;
  readonly delivery: TriggerDelivery;
  /** The scenario's seed (scenario cells). */
  readonly seed?: number;
  /** `pass` (the whole space, no violation), `violation`, or `bounded` (no violation in the schedules run). */
  readonly verdict: 'pass' | 'violation' | 'bounded';
  readonly schedules: number;
  readonly pruned: number;
  /** `exhausted` or `bounded` (stopped at the bound or the violation). */
  readonly space: 'exhausted' | 'bounded';
  /** The first violation: which schedule, and what broke. */
  readonly violation?: { readonly index: number; readonly message: string };
  /** Wall-clock time of the cell (ms). */
  readonly millis: number;
}

/**
 * `ptimer-rx sweep`: the race explorer on each device and the scenario
 * explorer on each scenario (and seed), in each delivery mode, on worker
 * threads or on the queue; writes one summary, Markdown and JSON, all or
 * nothing, and prints the table.
 * @returns 0, or 1 when a cell under synchronous delivery has a violation
 */
export const sweepCommand = async (options: SweepCommandOptions, print: (line: string) => void): Promise<number> => {
  checkQueueOptions(options);
  const file = options.matrix === undefined ? undefined : { path: options.matrix, json: readJsonFile(options.matrix) };
  const given: Record<string, unknown> = {};
  for (const key of ['devices', 'scenarios', 'modes', 'seeds', 'expiries', 'max'] as const) if (options[key] !== undefined) given[key] = options[key];
  if (Array.isArray(given.modes)) given.modes = (given.modes as string[]).map((m) => (m === 'bh' ? 'bottom-half' : m));
  let matrix: SweepMatrix;
  try {
    matrix = sweepMatrix(file, given);
  } catch (error) {
    throw new CliError(error instanceof Error ? error.message : String(error), USAGE_ERROR);
  }
  const md = `${options.out}.md`;
  const json = `${options.out}.json`;
  checkOutputPaths(
    [
      { path: md, given: '--out' },
      { path: json, given: '--out' },
    ],
    [...matrix.scenarios.map((s) => ({ path: s, given: 'a scenario' })), ...(options.matrix === undefined ? [] : [{ path: options.matrix, given: '--matrix' }])],
  );
  const scenarios = matrix.scenarios.map((path) => ({ path, scenario: loadScenarioFile(path).scenario }));
  if (options.check !== undefined && scenarios.length === 0) throw new CliError('--check: its predicates judge scenario cells: give --scenarios (or a matrix with scenarios)', USAGE_ERROR);
  // Loaded here once (a bad module is one line before anything runs); each thread or queue worker loads it again.
  const checkModule = options.check === undefined ? undefined : (await loadChecks(options.check, CHECK_LOAD_MILLIS)).url;

  const pool: ExplorePool | undefined =
    options.queue !== undefined ? await openQueuePool(options.queue, options.workers, options) : options.workers > 1 ? createExplorePool(options.workers) : undefined;
  const cells: SweepCell[] = [];
  const started = Date.now();
  try {
    for (const device of matrix.devices) {
      for (const delivery of matrix.modes) {
        const t = performance.now();
        const r = await exploreRaceParallel({ device, delivery, expiries: matrix.expiries, maxSchedules: matrix.max, workers: options.workers, ...(pool === undefined ? {} : { pool }) }).catch(
          (error: unknown) => {
            throw optionError(error, { 'deviceType(name)': '--devices', 'raceExperiment(device)': '--devices', 'raceExperiment(expiries)': '--expiries' });
          },
        );
        cells.push(cell('race', r.device, delivery, undefined, r, performance.now() - t));
        print(row(cells.at(-1)!));
      }
    }
    for (const { path, scenario } of scenarios) {
      for (const seed of matrix.seeds) {
        for (const delivery of matrix.modes) {
          const t = performance.now();
          const r = await exploreScenarioParallel(seed === undefined ? scenario : { ...scenario, seed }, {
            delivery,
            maxSchedules: matrix.max,
            workers: options.workers,
            ...(pool === undefined ? {} : { pool }),
            ...(checkModule === undefined ? {} : { checkModule }),
          }).catch((error: unknown) => {
            throw error instanceof ScenarioError ? scenarioFileError(path, error) : error;
          });
          cells.push(cell('scenario', relative(process.cwd(), path), delivery, seed ?? scenario.seed, r, performance.now() - t));
          print(row(cells.at(-1)!));
        }
      }
    }
  } finally {
    await pool?.destroy();
  }
  const where = options.queue === undefined ? `${options.workers} worker thread(s)` : `the queue ${redactUrl(options.queue)} (${options.workers} part(s) out at once)`;
  const summary = { on: where, millis: Math.round(Date.now() - started), cells };
  writeFilesAtomic([
    { path: md, text: () => markdown(summary.on, cells) },
    { path: json, text: () => `${JSON.stringify(summary, null, 2)}\n` },
  ]);
  print(`${cells.length} cell(s) on ${where}; summary written to ${md} and ${json}`);
  return cells.some((c) => c.delivery === 'sync' && c.verdict === 'violation') ? 1 : 0;
};

const cell = (kind: SweepCell['kind'], target: string, delivery: TriggerDelivery, seed: number | undefined, r: ExploreResult, millis: number): SweepCell => ({
  kind,
  target,
  delivery,
  ...(seed === undefined ? {} : { seed }),
  verdict: r.violation !== undefined ? 'violation' : r.exhausted ? 'pass' : 'bounded',
  schedules: r.schedules,
  pruned: r.pruned,
  space: r.exhausted ? 'exhausted' : 'bounded',
  ...(r.violation === undefined ? {} : { violation: { index: r.violation.index, message: r.violation.message } }),
  millis: Math.round(millis),
});

const HEADER = ['kind', 'target', 'delivery', 'seed', 'verdict', 'schedules', 'pruned', 'space', 'time (ms)', 'first violation'];

const fields = (c: SweepCell): string[] => [
  c.kind,
  c.target,
  c.delivery,
  c.seed === undefined ? '' : String(c.seed),
  c.verdict,
  String(c.schedules),
  String(c.pruned),
  c.space,
  String(c.millis),
  c.violation === undefined ? '' : `schedule ${c.violation.index}: ${c.violation.message}`,
];

/** A cell as one line of the printed table. */
const row = (c: SweepCell): string => fields(c).filter((f) => f !== '').join('  ');

const cellText = (text: string): string => text.replace(/\|/g, '\\|').replace(/\n/g, ' ');

const markdown = (on: string, cells: readonly SweepCell[]): string =>
  [
    `# ptimer-rx sweep`,
    '',
    `${cells.length} cell(s), explored on ${on}.`,
    '',
    `| ${HEADER.join(' | ')} |`,
    `| ${HEADER.map((h) => (/schedules|pruned|time/.test(h) ? '---:' : '---')).join(' | ')} |`,
    ...cells.map((c) => `| ${fields(c).map(cellText).join(' | ')} |`),
    '',
  ].join('\n');
