import { availableParallelism } from 'node:os';
import { Command, CommanderError, InvalidArgumentError, Option } from 'commander';
import { parseDuration } from '../system/scenario/durations';
import { CliError } from './CliError';
import { exploreCommand } from './commands/explore';
import { exploreScenarioCommand, type ExploreScenarioCommandOptions } from './commands/exploreScenario';
import { raceCommand } from './commands/race';
import { replayCommand } from './commands/replay';
import { runCommand } from './commands/run';
import type { ProgressOutput } from './progressBar';
import { describeValue } from '../src/shared/describeValue';

/** Where the CLI writes. */
export interface CliIo {
  /** One line of normal output. */
  readonly stdout: (line: string) => void;
  /** Errors, and the progress bar when it is a terminal. */
  readonly stderr: ProgressOutput;
}

const duration =
  (option: string) =>
  (text: string): number => {
    try {
      return parseDuration(text, option);
    } catch (error) {
      throw new InvalidArgumentError(error instanceof Error ? error.message : describeValue(error));
    }
  };

// Commander prints these after its own "argument '<text>' is invalid.", so they state only the rule.
const positiveInt =
  (option: string, max: number) =>
  (text: string): number => {
    const n = Number(text);
    if (!/^\d+$/.test(text) || !Number.isSafeInteger(n) || n < 1 || n > max) {
      throw new InvalidArgumentError(`${option} ${describeValue(text)} must be a whole number from 1 to ${max}`);
    }
    return n;
  };

const nonNegativeInt =
  (option: string, max: number) =>
  (text: string): number => {
    const n = Number(text);
    if (!/^\d+$/.test(text) || !Number.isSafeInteger(n) || n > max) {
      throw new InvalidArgumentError(`${option} ${describeValue(text)} must be a whole number from 0 to ${max}`);
    }
    return n;
  };

/**
 * Runs the `ptimer-rx` command line: `race`, `explore`, `run`, `replay`.
 * Bad input of any kind is one line on stderr and a non-zero exit code.
 * @param argv - the arguments after the program name
 * @param io - output streams
 * @returns the exit code
 */
export const runCli = async (argv: readonly string[], io: CliIo): Promise<number> => {
  let code = 0;
  const err = (text: string): void => void io.stderr.write(text);
  const program = new Command()
    .name('ptimer-rx')
    .description('Emulated hardware timers on a virtual clock: run the bottom-half race, simulate scenarios, replay recordings.')
    .version('0.1.0')
    .exitOverride()
    .configureOutput({ writeOut: (s) => io.stdout(s.replace(/\n$/, '')), writeErr: err })
    .showHelpAfterError('(run with --help for usage)');

  program
    .command('race')
    .description(
      "The seed's race on a real device model: a guest reads the counter and the interrupt status around every expiry, with legacy bottom-half delivery and with synchronous delivery; prints how many reads were inconsistent and writes waveforms (VCD, WaveDrom, SVG).",
    )
    .option('--device <name>', 'catalogue device type', 'sp804')
    .option('--channel <name>', "timer channel of the device (default: its first)")
    .addOption(new Option('--mode <mode>', 'delivery modes to run').choices(['sync', 'bh', 'both']).default('both'))
    .option('--expiries <n>', 'expiries to read around', positiveInt('--expiries', 10_000), 20)
    .option('--out <dir>', 'directory for the waveform files', 'ptimer-rx-race')
    .option('--no-files', 'print the table only')
    .action((options: { device: string; channel?: string; mode: 'sync' | 'bh' | 'both'; expiries: number; out: string; files: boolean }) => {
      code = raceCommand(options, io.stdout);
    });

  program
    .command('explore')
    .description(
      "The ordering explorer. With a scenario file: the scenario under every order of its same-instant work (timer expiries, guest steps, bottom halves), checking G1 (no guest read between an expiry and its delivery; observers' counter and status reads agree), G5 (each trigger delivered once) and any --check predicates. Without: the seed's race on one catalogue device (readers around each expiry). Partial-order reduction; prints the counts and, for a violation, its schedule and a marble diagram to paste into a test. Exit code 1 when synchronous delivery breaks an invariant.",
    )
    .argument('[scenario]', 'scenario JSON file (default: the race on --device)')
    .option('--device <name>', 'race: catalogue device type', 'sp804')
    .addOption(new Option('--mode <mode>', "delivery modes to explore (race default: both; scenario default: the scenario's)").choices(['sync', 'bh', 'both']))
    .option('--expiries <n>', 'race: expiries to read around (each multiplies the space)', positiveInt('--expiries', 8), 3)
    .option('--from <duration>', 'scenario: explore the instants from this time on (earlier work runs in the normal order)', duration('--from'))
    .option('--until <duration>', "scenario: run each schedule to this time (default: the scenario's duration)", duration('--until'))
    .option('--observe <n>', 'scenario: expiry instants per device at which observers read counter and status (0: none)', nonNegativeInt('--observe', 1_000), 2)
    .option('--bh-window <duration>', 'scenario, bottom-half: a pending bottom half may also run at every later point up to this long after its expiry', duration('--bh-window'))
    .option('--check <module>', 'scenario: ES module whose default export is a predicate ({ system, time }) => message | undefined, or an array of them (runs in one thread)')
    .option('--max <n>', 'bound on schedules', positiveInt('--max', 10_000_000), 10_000)
    .option('--max-time <duration>', 'stop starting schedules after this much wall-clock time (e.g. 30s)', duration('--max-time'))
    .option('--no-reduce', 'explore every order, without partial-order reduction')
    .option('--workers <n>', 'worker threads (results merged in exploration order: the same result as one thread); default: the cores', positiveInt('--workers', 256), availableParallelism())
    .action(async (file: string | undefined, options: ExploreScenarioCommandOptions & { device: string; expiries: number }) => {
      code =
        file === undefined
          ? await exploreCommand({ ...options, mode: options.mode ?? 'both' }, io.stdout)
          : await exploreScenarioCommand(file, options, io.stdout);
    });

  program
    .command('run')
    .description('Runs a scenario file (devices, clocks, guest programs) for its duration, prints a summary and writes the requested outputs.')
    .argument('<scenario>', 'scenario JSON file')
    .option('--until <duration>', 'virtual time to run to, with a unit (ns, us, ms, s); default: the scenario\'s duration', duration('--until'))
    .option('--vcd <file>', 'write a VCD waveform (GTKWave, Surfer)')
    .option('--wavedrom <file>', 'write WaveDrom JSON (windowed)')
    .option('--svg <file>', 'write an SVG timing diagram (windowed)')
    .option('--from <duration>', 'start of the SVG/WaveDrom window', duration('--from'))
    .option('--to <duration>', 'end of the SVG/WaveDrom window (default: 50us after --from)', duration('--to'))
    .option('--trace <file>', 'write the trace with the recorded guest inputs (JSON lines; see replay)')
    .action((file: string, options: { until?: number; vcd?: string; wavedrom?: string; svg?: string; trace?: string; from?: number; to?: number }) => {
      code = runCommand(file, options, io.stdout, io.stderr);
    });

  program
    .command('replay')
    .description('Re-runs the guest inputs recorded by `run --trace` on the recorded devices and checks that the trace digest is the same.')
    .argument('<trace>', 'recording file written by run --trace')
    .action((file: string) => {
      code = replayCommand(file, io.stdout);
    });

  try {
    await program.parseAsync(argv, { from: 'user' });
    return code;
  } catch (error) {
    if (error instanceof CommanderError) {
      // help and version exit with 0; commander has already printed its message
      return error.exitCode === 0 ? 0 : 2;
    }
    const message = error instanceof Error ? error.message : describeValue(error);
    err(`ptimer-rx: ${message.split('\n')[0]}\n`);
    return error instanceof CliError ? error.exitCode : 1;
  }
};
