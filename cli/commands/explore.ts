import { CliError, USAGE_ERROR } from '../CliError';
import type { Reduction } from '../../explore/exploreSchedules';
import type { TriggerDelivery } from '../../src/bus/kit/TriggerDelivery';
import type { ExploreRaceResult } from '../../explore/exploreRace';
import { exploreRaceParallel } from '../../explore/exploreRaceParallel';
import { exploreRaceRandom } from '../../explore/strategies/exploreRaceRandom';
import { createExplorePool } from '../../explore/ExplorePool';
import { registerNamesOf, toMarbleDiagram } from '../../explore/toMarbleDiagram';
import { checkOutputPaths } from '../checkOutputPath';
import { counterexamplePaths, writeCounterexample, type Counterexample, type CounterexampleFiles } from '../writeCounterexample';
import { indent } from '../indent';
import { exhaustiveResultLines } from '../exhaustiveResultLines';
import { optionError } from '../optionError';
import { checkQueueOptions, openQueuePool, type QueueCommandOptions } from '../queueOption';
import { RACE_OPTIONS } from './race';
import { RANDOM_OPTIONS, randomResultLines, randomStrategy, strategyHeading, type StrategyOptions } from '../strategyOptions';

/** Options of `ptimer-rx explore`, as parsed. */
export interface ExploreCommandOptions extends CounterexampleFiles, StrategyOptions, QueueCommandOptions {
  readonly device: string;
  readonly mode: 'sync' | 'bh' | 'both';
  readonly expiries: number;
  /** Partial-order reduction (`--reduce`; `--no-reduce` is false). */
  readonly reduce: Reduction;
  readonly max: number;
  readonly workers: number;
  /** Random strategies: stop starting runs after this long (ns of wall-clock time). */
  readonly maxTime?: number;
}

/**
 * How long an exhaustive search runs in the command's own thread before it
 * starts its worker threads (ms of CPU time): a search over by then starts none (a
 * thread's start costs about as much as a short search), a longer one keeps
 * running while they start. The threads, once started, stay up for the
 * command's other delivery modes.
 */
export const LEAD_MILLIS = 2_000;

const MODES: Record<ExploreCommandOptions['mode'], readonly TriggerDelivery[]> = {
  sync: ['sync'],
  bh: ['bottom-half'],
  both: ['bottom-half', 'sync'],
};

/**
 * `ptimer-rx explore`: the seed's race on a catalogue device under every
 * order of each expiry instant's work; prints the counts, and for a
 * violation its schedule and a marble diagram of the run around it; with
 * `--svg`/`--vcd`, writes the first counterexample's waveform (in mode
 * order: bottom-half first) around the violating instant. With `--strategy
 * random` or `pct`, random orders instead (seeded, on this thread), a
 * violation shrunk.
 * @returns 0, or 1 when synchronous delivery has a violation (a G1 bug)
 */
export const exploreCommand = async (options: ExploreCommandOptions, print: (line: string) => void): Promise<number> => {
  checkQueueOptions(options);
  const random = randomStrategy(options);
  const paths = counterexamplePaths(options);
  checkOutputPaths(paths);
  let drawn: Counterexample | undefined;
  let code = 0;
  // One pool for every mode: its threads load the simulation once.
  if (options.reduce === 'dpor' && options.queue !== undefined) {
    throw new CliError('--reduce dpor runs on one thread (its space cannot be split into parts): leave out --queue, or use --reduce sleep', USAGE_ERROR);
  }
  // DPOR runs on this thread: no pool for it.
  const pool = options.queue !== undefined ? await openQueuePool(options.queue, options.workers, options) : options.workers > 1 && random === undefined && options.reduce !== 'dpor' ? createExplorePool(options.workers) : undefined;
  try {
    for (const delivery of MODES[options.mode]) {
      let r: CounterexampleRun;
      if (random === undefined) {
        const found = await exploreRaceParallel({
          device: options.device,
          delivery,
          expiries: options.expiries,
          reduce: options.reduce,
          maxSchedules: options.max,
          workers: options.workers,
          ...(pool === undefined ? {} : { pool }),
          ...(options.queue === undefined ? { leadMillis: LEAD_MILLIS } : {}),
        }).catch((error: unknown) => {
          throw optionError(error, RACE_OPTIONS);
        });
        r = found;
        print(
          `${found.device} (${found.channel}), ${delivery} delivery: ${found.schedules} schedule(s) run, ${found.pruned} pruned, ${found.exhausted ? 'space exhausted' : 'space not exhausted'}`,
        );
        for (const line of exhaustiveResultLines(found, 'no order of same-instant work breaks G1')) print(line);
        if (found.violation === undefined) continue;
      } else {
        let found;
        try {
          found = exploreRaceRandom({
            device: options.device,
            delivery,
            expiries: options.expiries,
            ...random,
            ...(options.maxTime === undefined ? {} : { maxMillis: options.maxTime / 1e6 }),
          });
        } catch (error) {
          throw optionError(error, { ...RACE_OPTIONS, ...RANDOM_OPTIONS });
        }
        r = found;
        print(`${found.device} (${found.channel}), ${delivery} delivery, ${strategyHeading(found)}`);
        for (const line of randomResultLines(found, 'no order breaks G1')) print(line);
        if (found.violation === undefined) continue;
      }
      if (delivery === 'sync') code = 1;
      if (r.trace !== undefined) print(indent(counterexample(r)));
      if (drawn === undefined && r.trace !== undefined) {
        const at = violationInstant(r);
        drawn = {
          title: `${r.device}: ${delivery} delivery, counterexample at ${at} ns`,
          trace: r.trace,
          samples: r.samples ?? [],
          devices: [{ name: 'dut', ...(r.registers === undefined ? {} : { registers: r.registers }) }],
          at,
          message: r.violation!.message,
          // The race's read window and as much again either side, as `race` draws the first expiry.
          around: 2 * r.window,
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
type CounterexampleRun = Pick<ExploreRaceResult, 'device' | 'trace' | 'samples' | 'registers' | 'window'> & { readonly violation?: { readonly message: string } };

/** The instant the race's G1 check names (`G1 at <t> ns …`). */
const violationInstant = (r: CounterexampleRun): number => Number(/^G1 at (\d+) ns/.exec(r.violation!.message)?.[1] ?? 0);


/** The violating run around the instant that broke it, as a marble diagram to paste into a test. */
const counterexample = (r: CounterexampleRun): string => {
  const at = violationInstant(r);
  const registers = r.registers;
  const events = r.trace!.filter((e) => e.time === at && e.source.startsWith('dut'));
  const diagram = toMarbleDiagram(events, { registerName: registerNamesOf([{ name: 'dut', ...(registers === undefined ? {} : { registers }) }]) });
  return `counterexample: the events of ${at} ns, in the order they ran\n${diagram.text}`;
};
