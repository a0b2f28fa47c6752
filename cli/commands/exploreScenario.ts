import type { Reduction } from '../../explore/exploreSchedules';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { TriggerDelivery } from '../../src/bus/kit/TriggerDelivery';
import type { ExploreScenarioResult } from '../../explore/exploreScenario';
import { ExploreTimeLimitError } from '../../explore/ExploreTimeLimitError';
import { exploreScenarioParallel } from '../../explore/exploreScenarioParallel';
import type { ScenarioPredicate } from '../../explore/exploreScenario';
import { exploreScenarioRandom } from '../../explore/strategies/exploreScenarioRandom';
import { exhaustiveResultLines } from '../exhaustiveResultLines';
import { optionError } from '../optionError';
import { RANDOM_OPTIONS, randomResultLines, randomStrategy, strategyHeading, type StrategyOptions } from '../strategyOptions';
import { createExplorePool } from '../../explore/ExplorePool';
import { LEAD_MILLIS } from './explore';
import { registerNamesOf, toMarbleDiagram } from '../../explore/toMarbleDiagram';
import { indent } from '../indent';
import { checkQueueOptions, openQueuePool, type QueueCommandOptions } from '../queueOption';
import { CliError, USAGE_ERROR } from '../CliError';
import { checkOutputPaths } from '../checkOutputPath';
import { counterexamplePaths, writeCounterexample, type Counterexample, type CounterexampleFiles } from '../writeCounterexample';
import { loadScenarioFile, scenarioFileError } from './run';
import { ScenarioError } from '../../system/scenario/ScenarioError';
import { describeValue } from '../../src/shared/describeValue';

/** Options of `ptimer-rx explore scenario.json`, as parsed. */
export interface ExploreScenarioCommandOptions extends CounterexampleFiles, StrategyOptions, QueueCommandOptions {
  readonly mode?: 'sync' | 'bh' | 'both';
  readonly from?: number;
  readonly until?: number;
  readonly observe: number;
  readonly bhWindow?: number;
  /** Partial-order reduction (`--reduce`; `--no-reduce` is false). */
  readonly reduce: Reduction;
  readonly max: number;
  readonly maxTime?: number;
  readonly workers: number;
  readonly check?: string;
  /** How long the `--check` module's top-level code may take to load (ms; default {@link CHECK_LOAD_MILLIS}). */
  readonly checkLoadMillis?: number;
}

/**
 * How long a `--check` module may take to load. A top-level await that never settles would
 * otherwise leave the command waiting on nothing: Node ends the process silently once nothing
 * else is pending, with no result and no error.
 */
export const CHECK_LOAD_MILLIS = 10_000;

const MODES: Record<'sync' | 'bh' | 'both', readonly TriggerDelivery[]> = {
  sync: ['sync'],
  bh: ['bottom-half'],
  both: ['bottom-half', 'sync'],
};

/**
 * `ptimer-rx explore scenario.json`: the scenario under every order of its
 * same-instant work (the delivery modes asked for, else the scenario's),
 * with the built-in invariants and any `--check` module's predicates; prints
 * the counts, and for a violation its schedule and a marble diagram of the
 * device's events at that instant. With `--strategy random` or `pct`,
 * random orders instead (seeded, on this thread), a violation shrunk.
 * @returns 0, or 1 when synchronous delivery has a violation
 */
export const exploreScenarioCommand = async (file: string, options: ExploreScenarioCommandOptions, print: (line: string) => void): Promise<number> => {
  checkQueueOptions(options);
  const random = randomStrategy(options);
  const paths = counterexamplePaths(options);
  checkOutputPaths(paths, [{ path: file, given: 'the scenario' }, ...(options.check === undefined ? [] : [{ path: options.check, given: '--check' }])]);
  let drawn: Counterexample | undefined;
  const { scenario } = loadScenarioFile(file);
  checkSpan(options, scenario.duration);
  const checkModule = options.check === undefined ? undefined : await loadChecks(options.check, options.checkLoadMillis ?? CHECK_LOAD_MILLIS);
  const deliveries = options.mode === undefined ? [scenario.delivery] : MODES[options.mode];
  let code = 0;
  // One pool for every mode: its threads load the simulation (and the check module) once.
  if (options.reduce === 'dpor' && options.queue !== undefined) {
    throw new CliError('--reduce dpor runs on one thread (its space cannot be split into parts): leave out --queue, or use --reduce sleep', USAGE_ERROR);
  }
  // DPOR runs on this thread: no pool for it.
  const pool =
    options.queue !== undefined ? await openQueuePool(options.queue, options.workers, options) : random === undefined && options.reduce !== 'dpor' && (options.workers > 1 || checkModule !== undefined) ? createExplorePool(options.workers) : undefined;
  try {
    for (const delivery of deliveries) {
      let r: CounterexampleRun;
      if (random === undefined) {
        const found = await exploreScenarioParallel(scenario, {
          delivery,
          observe: options.observe,
          reduce: options.reduce,
          maxSchedules: options.max,
          // A --check module is loaded by each worker thread: its predicates run there, and threads
          // that never return (a predicate that loops) are ended after --max-time.
          workers: options.workers,
          ...(options.from === undefined ? {} : { from: options.from }),
          ...(options.until === undefined ? {} : { until: options.until }),
          ...(options.bhWindow === undefined ? {} : { bottomHalfWindow: options.bhWindow }),
          ...(options.maxTime === undefined ? {} : { maxMillis: options.maxTime / 1e6 }),
          ...(checkModule === undefined ? {} : { checkModule: checkModule.url }),
          ...(pool === undefined ? {} : { pool }),
          ...(options.queue === undefined && checkModule === undefined ? { leadMillis: LEAD_MILLIS } : {}),
        }).catch((error: unknown) => {
          if (error instanceof ExploreTimeLimitError) throw new CliError(`--max-time: ${error.message}`);
          // A reference the scenario's JSON schema cannot check (a register a device lacks) is found when it is built.
          throw error instanceof ScenarioError ? scenarioFileError(file, error) : error;
        });
        r = found;
        const bound = found.timedOut === true ? 'time limit reached' : found.exhausted ? 'space exhausted' : 'space not exhausted';
        print(`${scenario.name ?? file}, ${delivery} delivery, ${found.from}..${found.until} ns: ${found.schedules} schedule(s) run, ${found.pruned} pruned, ${bound}`);
        printObserved(found, print);
        for (const line of exhaustiveResultLines(found, 'no order of same-instant work breaks an invariant')) print(line);
        if (found.violation === undefined) continue;
      } else {
        let found;
        try {
          // On this thread: a --check module's predicates run here, and a predicate that never returns is not ended.
          found = exploreScenarioRandom(scenario, {
            delivery,
            observe: options.observe,
            ...random,
            ...(options.from === undefined ? {} : { from: options.from }),
            ...(options.until === undefined ? {} : { until: options.until }),
            ...(options.bhWindow === undefined ? {} : { bottomHalfWindow: options.bhWindow }),
            ...(options.maxTime === undefined ? {} : { maxMillis: options.maxTime / 1e6 }),
            ...(checkModule === undefined ? {} : { predicates: checkModule.predicates }),
          });
        } catch (error) {
          throw error instanceof ScenarioError ? scenarioFileError(file, error) : optionError(error, RANDOM_OPTIONS);
        }
        r = found;
        print(`${scenario.name ?? file}, ${delivery} delivery, ${found.from}..${found.until} ns, ${strategyHeading(found)}`);
        printObserved(found, print);
        for (const line of randomResultLines(found, 'no order breaks an invariant')) print(line);
        if (found.violation === undefined) continue;
      }
      if (delivery === 'sync') code = 1;
      if (r.trace !== undefined) print(indent(counterexample(r)));
      if (drawn === undefined && r.trace !== undefined) {
        const at = violationAt(r.violation!.message) ?? r.until;
        drawn = {
          title: `${scenario.name ?? file}: ${delivery} delivery, counterexample at ${at} ns`,
          trace: r.trace,
          samples: r.samples ?? [],
          devices: Object.entries(r.registers ?? {}).map(([name, registers]) => ({ name, registers })),
          at,
          message: r.violation!.message,
          around: AROUND,
        };
      }
    }
  } finally {
    await pool?.destroy();
  }
  writeCounterexample(paths, options, drawn, print);
  return code;
};

/** What the counterexample's printing and drawing need, from either strategy's result. */
type CounterexampleRun = Pick<ExploreScenarioResult, 'until' | 'trace' | 'samples' | 'registers'> & { readonly violation?: { readonly message: string } };

/** Where the observers read. */
const printObserved = (r: Pick<ExploreScenarioResult, 'observed'>, print: (line: string) => void): void => {
  const observed = r.observed.map((o) => `${o.device} at ${o.instants.join(', ')} ns`).join('; ');
  print(`  observers: ${observed === '' ? 'none' : observed}`);
};

/** How far a scenario's counterexample waveform reaches either side of the violating instant (ns). */
const AROUND = 5_000;

/** The instant a violation message names (` at <t> ns`, ` at the end (<t> ns)`), if any. */
const violationAt = (message: string): number | undefined => {
  const found = / at (?:the end \()?(\d+) ns/.exec(message)?.[1];
  return found === undefined ? undefined : Number(found);
};

/** The explored span, checked with the options' names before anything runs (the explorer would name its own parameters). */
const checkSpan = (options: ExploreScenarioCommandOptions, duration: number): void => {
  const until = options.until ?? duration;
  if (until < 1) throw new CliError(`--until: ${until} ns is invalid: must be at least 1 ns`, USAGE_ERROR);
  if (options.from !== undefined && options.from > until) {
    const end = options.until === undefined ? `the scenario's duration (${until} ns)` : `--until (${until} ns)`;
    throw new CliError(`--from: ${options.from} ns is invalid: must not be after ${end}`, USAGE_ERROR);
  }
};

/**
 * Loads a `--check` module once here, to refuse a bad one before anything runs (its default
 * export must be one predicate or an array of them), and returns its URL for the threads and its
 * predicates for a random search on this thread. (`sweep --check` loads its module here too.)
 */
export const loadChecks = async (path: string, loadMillis: number): Promise<{ url: string; predicates: readonly ScenarioPredicate[] }> => {
  const url = pathToFileURL(resolve(path)).href;
  let module: { default?: unknown };
  let timer: ReturnType<typeof setTimeout> | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new CliError(`--check ${path}: its top-level code has not finished loading after ${loadMillis / 1000} s (a top-level await that never settles?)`)),
      loadMillis,
    );
  });
  try {
    module = (await Promise.race([import(url), deadline])) as { default?: unknown };
  } catch (error) {
    if (error instanceof CliError) throw error;
    throw new CliError(`--check ${path}: cannot load: ${error instanceof Error ? error.message.split('\n')[0] : describeValue(error)}`);
  } finally {
    clearTimeout(timer);
  }
  const exported = module.default;
  const list = Array.isArray(exported) ? exported : [exported];
  if (list.length === 0 || list.some((p) => typeof p !== 'function')) {
    throw new CliError(`--check ${path}: its default export must be a predicate (view) => string | undefined, or an array of them`);
  }
  return { url, predicates: list as ScenarioPredicate[] };
};


/**
 * The violating run at the instant that broke it, as a marble diagram: the
 * events of the device the message names (all events of the instant when it
 * names none).
 */
const counterexample = (r: CounterexampleRun): string => {
  const message = r.violation!.message;
  const at = violationAt(message) ?? Number.NaN;
  const device = /(?:read |ns: |of )([A-Za-z_][\w-]*)\./.exec(message)?.[1];
  const known = device !== undefined && r.registers?.[device] !== undefined;
  const events = r.trace!.filter((e) => e.time === at && (!known || e.source === device || e.source.startsWith(`${device}.`) || e.source === `observe:${device}`));
  if (events.length === 0) return 'counterexample: no trace events at that instant';
  const devices = Object.entries(r.registers ?? {}).map(([name, registers]) => ({ name, registers }));
  const diagram = toMarbleDiagram(events, { registerName: registerNamesOf(devices) });
  return `counterexample: the events of ${known ? `${device} at ` : ''}${at} ns, in the order they ran\n${diagram.text}`;
};
