import { availableParallelism } from 'node:os';
import { Command, CommanderError, InvalidArgumentError, Option } from 'commander';
import { parseDuration } from '../system/scenario/durations';
import { CliError } from './CliError';
import { exploreCommand } from './commands/explore';
import { raceCommand } from './commands/race';
import { replayCommand } from './commands/replay';
import { runCommand } from './commands/run';
import type { ProgressOutput } from './progressBar';

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
      throw new InvalidArgumentError(error instanceof Error ? error.message : String(error));
    }
  };

const positiveInt =
  (option: string, max: number) =>
  (text: string): number => {
    const n = Number(text);
    if (!/^\d+$/.test(text) || !Number.isSafeInteger(n) || n < 1 || n > max) {
      throw new InvalidArgumentError(`${option} ${JSON.stringify(text)} must be a whole number from 1 to ${max}`);
    }
    return n;
  };

/**
 * Runs the `ptimer-rx` command line: `race`, `run`, `replay`.
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
      "The seed's race under every order of the work that shares an expiry instant (readers, the expiry, a legacy bottom half): the ordering explorer, with partial-order reduction; prints the counts and, for a violation, its schedule and a marble diagram to paste into a test.",
    )
    .option('--device <name>', 'catalogue device type', 'sp804')
    .addOption(new Option('--mode <mode>', 'delivery modes to explore').choices(['sync', 'bh', 'both']).default('both'))
    .option('--expiries <n>', 'expiries to read around (each multiplies the space)', positiveInt('--expiries', 8), 3)
    .option('--max <n>', 'bound on schedules', positiveInt('--max', 10_000_000), 10_000)
    .option('--no-reduce', 'explore every order, without partial-order reduction')
    .option('--workers <n>', 'worker threads (results merged in exploration order: the same result as one thread); default: the cores', positiveInt('--workers', 256), availableParallelism())
    .action(async (options: { device: string; mode: 'sync' | 'bh' | 'both'; expiries: number; max: number; reduce: boolean; workers: number }) => {
      code = await exploreCommand(options, io.stdout);
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
    const message = error instanceof Error ? error.message : String(error);
    err(`ptimer-rx: ${message.split('\n')[0]}\n`);
    return error instanceof CliError ? error.exitCode : 1;
  }
};
