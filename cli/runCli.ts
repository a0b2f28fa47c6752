import { readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { Command, CommanderError, Option } from 'commander';
// Option parsing stays cheap: these modules are small and pull in no model, schema or catalogue.
import { parseDuration } from '../system/scenario/durations';
import { describeValue } from '../src/shared/describeValue';
import { CliError, USAGE_ERROR as USAGE } from './CliError';
import { errorLine } from './errorLine';
import type { ExploreScenarioCommandOptions } from './commands/exploreScenario';
import type { Reduction } from '../explore/exploreSchedules';
import type { SweepCommandOptions } from './commands/sweep';
import type { ProgressOutput } from './progressBar';
import { DEFAULT_RUNS, DEFAULT_SEED, STRATEGIES, type StrategyName } from './strategyOptions';

/** Where the CLI writes. */
export interface CliIo {
  /** One line of normal output. */
  readonly stdout: (line: string) => void;
  /** Errors, and the progress bar when it is a terminal. */
  readonly stderr: ProgressOutput;
}

/** The words every command uses, defined for the program's --help. */
const TERMS = `
Terms:
  expiry (E)    the instant a timer's count reaches 0 and it reloads (periodic) or stops (one-shot)
  bottom-half   legacy delivery: the device hears of the expiry in a later step at the same instant,
                so a guest access queued between the two sees the new counter with a stale status
  sync          synchronous delivery (the fix): the device's callback runs inside the expiry step
  G1            the guarantee sync delivery gives: no guest access observes a half-done expiry
  scenario      a JSON file naming devices (catalogue types), their clocks and guest programs
  recording     the guest accesses of a run, each at its place in its instant: replay reproduces the run`;

/** The terms `race` prints, defined for its --help. */
const RACE_TERMS = `${TERMS}
  E+0 after     a read at the expiry instant, queued after the expiry's work; E-d / E+d: d ns before / after
  inconsistent  a counter-then-status read pair that disagrees about whether the expiry happened

Examples:
  ptimer-rx race                         SP804, both modes, waveforms in ./ptimer-rx-race/
  ptimer-rx race --device armv7m-systick --mode sync --no-files`;

/**
 * The version in the package's manifest, one directory up from this module both in the sources
 * (cli/) and in the build (dist/): one source for `--version` and the published package.
 */
const packageVersion = (): string => {
  try {
    return (JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string }).version;
  } catch {
    // A build copied without its manifest still runs; only --version cannot say more.
    return 'unknown (no package.json beside the build)';
  }
};

/** Ends a usage error's line (on that line: every error is one line). */
const HINT = ' (run with --help for usage)';

/** A bad option value, in the project's grammar: `--expiries: "0" is invalid: must be …`. */
const invalid = (option: string, text: string, rule: string): CliError => new CliError(`${option}: ${describeValue(text)} is invalid: ${rule}`, USAGE);

// The parsers throw CliError rather than commander's InvalidArgumentError: commander would put the raw
// text in front of the message (uncut, control characters and all) and print a second line.
const duration =
  (option: string, { positive = false } = {}) =>
  (text: string): number => {
    let ns: number;
    try {
      ns = parseDuration(text, option);
    } catch (error) {
      throw new CliError(error instanceof Error ? error.message : describeValue(error), USAGE);
    }
    if (positive && ns === 0) throw invalid(option, text, 'must be more than 0 ns');
    return ns;
  };

const wholeNumber =
  (option: string, min: number, max: number) =>
  (text: string): number => {
    const n = Number(text);
    if (!/^\d+$/.test(text) || !Number.isSafeInteger(n) || n < min || n > max) throw invalid(option, text, `must be a whole number from ${min} to ${max}`);
    return n;
  };

const integer =
  (option: string) =>
  (text: string): number => {
    const n = Number(text);
    if (!/^-?\d+$/.test(text) || !Number.isSafeInteger(n)) throw invalid(option, text, 'must be an integer (negative ones too), at most 2^53 - 1 in size');
    return n;
  };

const strategyOption = (): Option =>
  new Option(
    '--strategy <name>',
    'exhaustive: every order (partial-order reduction, the default); random: each choice uniform among its options; pct: random priorities with depth-1 change points (a depth-d bug is found with probability at least 1/(n·k^(d-1)) per run, n pieces of work, k choice points); random and pct run on one thread, seeded, and shrink a violation',
  )
    .choices(STRATEGIES)
    .argParser((text: string): StrategyName => {
      if (!(STRATEGIES as readonly string[]).includes(text)) throw invalid('--strategy', text, 'must be exhaustive, random or pct');
      return text as StrategyName;
    })
    .default('exhaustive');

/** A comma-separated list (empty items dropped; the matrix's schema checks the rest). */
const list = (text: string): string[] => text.split(',').map((s) => s.trim()).filter((s) => s !== '');

const REDUCTIONS = ['sleep', 'dpor', 'off'] as const;

const MODES = ['sync', 'bh', 'both'] as const;
type Mode = (typeof MODES)[number];

const modeOption = (description: string): Option =>
  new Option('--mode <mode>', description).choices(MODES).argParser((text: string): Mode => {
    if (!(MODES as readonly string[]).includes(text)) throw invalid('--mode', text, `must be sync, bh or both`);
    return text as Mode;
  });

/**
 * Runs the `ptimer-rx` command line: `race`, `explore`, `run`, `replay`, `worker`, `sweep`.
 * Bad input of any kind is one line on stderr, starting `ptimer-rx:`, and a
 * non-zero exit code (2 for a usage error).
 *
 * Each command's module (and through it the models, the scenario schema
 * and the catalogue) is imported only when that command runs, so `--help`
 * and usage errors start fast.
 * @param argv - the arguments after the program name
 * @param io - output streams
 * @returns the exit code
 */
export const runCli = async (argv: readonly string[], io: CliIo): Promise<number> => {
  let code = 0;
  const program = new Command()
    .name('ptimer-rx')
    .description('Emulated hardware timers on a virtual clock: run the bottom-half race, simulate scenarios, replay recordings.')
    .version(packageVersion())
    .addHelpText('after', TERMS)
    .exitOverride()
    // Commander's own error text is rebuilt into one line below; what it would print is dropped.
    .configureOutput({ writeOut: (s) => io.stdout(s.replace(/\n$/, '')), writeErr: () => undefined });

  program
    .command('race')
    .description(
      "The seed's race on a real device model: a guest reads the counter and the interrupt status around every expiry, with legacy bottom-half delivery and with synchronous delivery; prints how many reads were inconsistent and writes waveforms (VCD, WaveDrom, SVG).",
    )
    .option('--device <name>', 'catalogue device type', 'sp804')
    .option('--channel <name>', "timer channel of the device (default: its first)")
    .addOption(modeOption('delivery modes to run').default('both'))
    .option('--expiries <n>', 'expiries to read around', wholeNumber('--expiries', 1, 10_000), 20)
    .option('--out <dir>', 'directory for the waveform files', 'ptimer-rx-race')
    .option('--no-files', 'print the table only')
    .addHelpText('after', RACE_TERMS)
    .action(async (options: { device: string; channel?: string; mode: Mode; expiries: number; out: string; files: boolean }) => {
      const { raceCommand } = await import('./commands/race');
      code = raceCommand(options, io.stdout);
    });

  program
    .command('explore')
    .description(
      "The ordering explorer. With a scenario file: the scenario under every order of its same-instant work (timer expiries, guest steps, bottom halves), checking G1 (no guest read between an expiry and its delivery; observers' counter and status reads agree), G5 (each trigger delivered once) and any --check predicates. Without: the seed's race on one catalogue device (readers around each expiry). Partial-order reduction; prints the counts and, for a violation, its schedule and a marble diagram to paste into a test (and, with --svg or --vcd, writes its waveform around the violating instant). Exit code 1 when synchronous delivery breaks an invariant.",
    )
    .argument('[scenario]', 'scenario JSON file (default: the race on --device)')
    .option('--device <name>', 'race: catalogue device type', 'sp804')
    .addOption(modeOption("delivery modes to explore (race default: both; scenario default: the scenario's)"))
    .option('--expiries <n>', 'race: expiries to read around (each multiplies the space)', wholeNumber('--expiries', 1, 8), 3)
    .option('--from <duration>', 'scenario: explore the instants from this time on (earlier work runs in the normal order)', duration('--from'))
    .option('--until <duration>', "scenario: run each schedule to this time (default: the scenario's duration)", duration('--until'))
    .option('--observe <n>', 'scenario: expiry instants per device at which observers read counter and status (0: none)', wholeNumber('--observe', 0, 1_000), 2)
    .option('--bh-window <duration>', 'scenario, bottom-half: a pending bottom half may also run at every later point up to this long after its expiry', duration('--bh-window'))
    .option('--check <module>', 'scenario: ES module whose default export is a predicate ({ system, time }) => message | undefined, or an array of them (each worker thread loads it; with --max-time, a predicate that never returns is ended)')
    .option('--max <n>', 'bound on schedules', wholeNumber('--max', 1, 10_000_000), 10_000)
    .option('--max-time <duration>', 'stop starting schedules after this much wall-clock time (e.g. 30s)', duration('--max-time', { positive: true }))
    .addOption(
      new Option(
        '--reduce <kind>',
        'partial-order reduction: sleep (sleep sets over which devices work touches, the default), dpor (dynamic: footprints learned per run at register granularity; one thread, fewer schedules), off (every order)',
      )
        .choices(REDUCTIONS)
        .argParser((text: string): Reduction => {
          if (!(REDUCTIONS as readonly string[]).includes(text)) throw invalid('--reduce', text, 'must be sleep, dpor or off');
          return text === 'off' ? false : (text as 'sleep' | 'dpor');
        })
        .default('sleep'),
    )
    .option('--no-reduce', 'the same as --reduce off')
    .addOption(strategyOption())
    .option('--seed <n>', `random, pct: the seed (same seed, same runs and result; default ${DEFAULT_SEED})`, integer('--seed'))
    .option('--runs <n>', `random, pct: runs to make (default ${DEFAULT_RUNS})`, wholeNumber('--runs', 1, 10_000_000))
    .option('--depth <d>', 'pct: the bug depth searched for, d - 1 priority change points per run (default 2)', wholeNumber('--depth', 1, 64))
    .option('--workers <n>', 'worker threads (results merged in exploration order: the same result as one thread); default: the cores', wholeNumber('--workers', 1, 256), availableParallelism())
    .option('--queue <url>', 'run the parts as jobs on a BullMQ queue in Redis (redis://HOST:PORT, or rediss:// for TLS), for `ptimer-rx worker` processes on any machine; --workers is then the parts out at once (same result as one thread)')
    .option('--redis-timeout <duration>', 'with --queue: how long Redis may be away before the search fails (default 30s)', duration('--redis-timeout', { positive: true }))
    .option('--queue-ttl <duration>', "with --queue: how long the search's keys in Redis outlive its last heartbeat, so a crashed search's keys expire (default 60s)", duration('--queue-ttl', { positive: true }))
    .option('--svg <file>', "write the counterexample's waveform around the violating instant as an SVG timing diagram (the first mode with one: bottom-half first)")
    .option('--vcd <file>', "write the counterexample's waveform around the violating instant as a VCD (GTKWave, Surfer)")
    .action(async (file: string | undefined, options: ExploreScenarioCommandOptions & { device: string; expiries: number; strategy?: StrategyName }) => {
      if (file === undefined) {
        const { exploreCommand } = await import('./commands/explore');
        code = await exploreCommand({ ...options, mode: options.mode ?? 'both' }, io.stdout);
      } else {
        const { exploreScenarioCommand } = await import('./commands/exploreScenario');
        code = await exploreScenarioCommand(file, options, io.stdout);
      }
    });

  program
    .command('worker')
    .description(
      'Takes the parts of `explore --queue` and `sweep --queue` searches from a BullMQ queue in Redis and runs them on worker threads, until stopped (Ctrl-C). Start one on every machine that has ptimer-rx (and any --check module, at the same path); start or stop them at any time: a part whose worker died is taken again by another.',
    )
    .requiredOption('--queue <url>', 'the Redis the searches use (redis://HOST:PORT, or rediss:// for TLS)')
    .option('--concurrency <n>', 'parts run at once (threads); default: the cores', wholeNumber('--concurrency', 1, 256), availableParallelism())
    .option('--lock <duration>', 'how long a part stays claimed by a worker that stopped answering, before another takes it', duration('--lock', { positive: true }), 10_000_000_000)
    .option('--redis-timeout <duration>', 'how long Redis may be away before the worker stops, exit code 1 (default 30s)', duration('--redis-timeout', { positive: true }))
    .action(async (options: { queue: string; concurrency: number; lock: number; redisTimeout?: number }) => {
      const { workerCommand } = await import('./commands/worker');
      code = await workerCommand(options, io.stdout);
    });

  program
    .command('sweep')
    .description(
      'The race explorer on each device and the scenario explorer on each scenario (and seed), in each delivery mode, on worker threads or on the queue (--queue); prints a line per cell and writes one summary, Markdown and JSON: per cell the verdict, schedules, exhausted or bounded, time. The matrix comes from --matrix (a JSON file with the fields devices, scenarios, modes, seeds, expiries, max), the options overriding it. Exit code 1 when synchronous delivery breaks an invariant in a cell.',
    )
    .option('--matrix <file>', 'JSON file: { "devices": [...], "scenarios": [...], "modes": [...], "seeds": [...], "expiries": n, "max": n } (scenario paths relative to it)')
    .option('--devices <list>', 'race cells: catalogue device types, comma-separated (default sp804 when no scenario is given)', list)
    .option('--scenarios <list>', 'scenario cells: scenario JSON files, comma-separated', list)
    .option('--modes <list>', 'delivery modes, comma-separated: sync, bh (default both)', list)
    .option('--seeds <list>', "scenario seeds, comma-separated whole numbers (default: each scenario's own)", (text: string) => list(text).map((s) => (/^\d+$/.test(s) ? Number(s) : s)) as number[])
    .option('--expiries <n>', 'race: expiries to read around', wholeNumber('--expiries', 1, 8))
    .option('--max <n>', 'bound on schedules per cell', wholeNumber('--max', 1, 10_000_000))
    .option('--workers <n>', 'worker threads (with --queue: parts out at once); default: the cores', wholeNumber('--workers', 1, 256), availableParallelism())
    .option('--queue <url>', 'run the parts as jobs on a BullMQ queue in Redis (redis://HOST:PORT, or rediss:// for TLS), for `ptimer-rx worker` processes on any machine')
    .option('--redis-timeout <duration>', 'with --queue: how long Redis may be away before the sweep fails (default 30s)', duration('--redis-timeout', { positive: true }))
    .option('--queue-ttl <duration>', "with --queue: how long a search's keys in Redis outlive its last heartbeat, so a crashed sweep's keys expire (default 60s)", duration('--queue-ttl', { positive: true }))
    .option('--check <module>', 'scenario cells: ES module whose default export is a predicate ({ system, time }) => message | undefined, or an array of them, checked besides the built-in invariants (each worker thread, or queue worker, loads it: on the queue, at the same path)')
    .option('--out <path>', 'the summary files, <path>.md and <path>.json', 'ptimer-rx-sweep')
    .action(async (options: SweepCommandOptions) => {
      const { sweepCommand } = await import('./commands/sweep');
      code = await sweepCommand(options, io.stdout);
    });

  program
    .command('run')
    .description('Runs a scenario file (devices, clocks, guest programs) for its duration, prints a summary and writes the requested outputs.')
    .argument('<scenario>', 'scenario JSON file')
    .option('--until <duration>', 'virtual time to run to, with a unit (ns, us, ms, s); default: the scenario\'s duration', duration('--until'))
    .option('--vcd <file>', 'write a VCD waveform (GTKWave, Surfer)')
    .option('--wavedrom <file>', 'write WaveDrom JSON (windowed)')
    .option('--svg <file>', 'write an SVG timing diagram (windowed)')
    .option('--from <duration>', 'start of the SVG/WaveDrom window (default: 10us before the first expiry)', duration('--from'))
    .option('--to <duration>', 'end of the SVG/WaveDrom window (default: 50us after its start)', duration('--to'))
    .option(
      '--max-changes <n>',
      "most changes of value per counter, per file (default: 10000 in the window, 100000 in the VCD); past it the counter shows as unknown (x, counting) to the end",
      wholeNumber('--max-changes', 0, 100_000_000),
    )
    .option('--trace <file>', 'write the trace with the recorded guest inputs (JSON lines; see replay)')
    .action(async (file: string, options: { until?: number; vcd?: string; wavedrom?: string; svg?: string; trace?: string; from?: number; to?: number; maxChanges?: number }) => {
      const { runCommand } = await import('./commands/run');
      code = runCommand(file, options, io.stdout, io.stderr);
    });

  program
    .command('replay')
    .description('Re-runs the guest inputs recorded by `run --trace` on the recorded devices and checks that the trace digest is the same.')
    .argument('<trace>', 'recording file written by run --trace')
    .action(async (file: string) => {
      const { replayCommand } = await import('./commands/replay');
      code = replayCommand(file, io.stdout);
    });

  try {
    await program.parseAsync(argv, { from: 'user' });
    return code;
  } catch (error) {
    if (error instanceof CommanderError) {
      // --help and --version: already printed, on stdout
      if (error.exitCode === 0) return 0;
      io.stderr.write(`ptimer-rx: ${usageMessage(error)}${HINT}\n`);
      return USAGE;
    }
    const message = error instanceof Error ? error.message : describeValue(error);
    const usage = error instanceof CliError && error.exitCode === USAGE;
    io.stderr.write(`ptimer-rx: ${errorLine(message)}${usage ? HINT : ''}\n`);
    return error instanceof CliError ? error.exitCode : 1;
  }
};

/**
 * Commander's message as one line: without its `error: ` prefix, its
 * suggestion (`(Did you mean race?)`) on the same line.
 */
const usageMessage = (error: CommanderError): string => {
  // help({ error: true }): no command was given; commander's message is a placeholder.
  if (error.code === 'commander.help') return 'no command given: race, explore, run, replay, worker or sweep';
  return errorLine(error.message.replace(/^error: /, '').split('\n').map((l) => l.trim()).filter((l) => l !== '').join(' '));
};
