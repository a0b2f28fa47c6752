import { readFileSync } from 'node:fs';
import { buildWaveform, toSvg, toVcd, toWaveDrom } from '../../src/trace/waveform';
import { formatRecordingFile } from '../../system/RecordingFile';
import { buildSystem, parseScenario, type Scenario } from '../../system/scenario';
import { checkOutputPath } from '../checkOutputPath';
import { CliError } from '../CliError';
import { progressBar, type ProgressOutput } from '../progressBar';
import { registerNamer } from '../registerNamer';
import { reasonOf, writeFileAtomic } from '../writeFileAtomic';
import { describeValue } from '../../src/shared/describeValue';

/** Options of `ptimer-rx run`, as parsed (durations in ns). */
export interface RunCommandOptions {
  readonly until?: number;
  readonly vcd?: string;
  readonly wavedrom?: string;
  readonly svg?: string;
  readonly trace?: string;
  /** Waveform window for SVG and WaveDrom (ns); default the first 50 µs. */
  readonly from?: number;
  readonly to?: number;
}

/** Default SVG/WaveDrom window length: long enough for a few expiries, short enough to read. */
const WINDOW = 50_000;

/** Reads and parses a JSON file, naming the file in any error. */
export const readJsonFile = (path: string): unknown => {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new CliError(`cannot read ${path}: ${reasonOf(error)}`);
  }
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw new CliError(`${path}: not valid JSON: ${error instanceof Error ? error.message : describeValue(error)}`);
  }
};

/** Parses a scenario, naming the file in the error. */
export const loadScenarioFile = (path: string): { readonly scenario: Scenario; readonly json: unknown } => {
  const json = readJsonFile(path);
  try {
    return { scenario: parseScenario(json), json };
  } catch (error) {
    throw new CliError(`${path}: ${error instanceof Error ? error.message : describeValue(error)}`);
  }
};

/**
 * `ptimer-rx run scenario.json`: builds the scenario's system, runs it, prints
 * a summary and writes the requested outputs.
 * @returns the exit code
 */
export const runCommand = (file: string, options: RunCommandOptions, print: (line: string) => void, stderr: ProgressOutput): number => {
  const outputs: [string | undefined, string][] = [
    [options.vcd, '--vcd'],
    [options.wavedrom, '--wavedrom'],
    [options.svg, '--svg'],
    [options.trace, '--trace'],
  ];
  for (const [path, option] of outputs) if (path !== undefined) checkOutputPath(path, option);
  const { scenario, json } = loadScenarioFile(file);
  const waves = options.vcd !== undefined || options.wavedrom !== undefined || options.svg !== undefined;
  const { system, until: scenarioUntil, programs } = buildSystem(scenario, { sampleProbes: waves });
  const until = options.until ?? scenarioUntil;
  const bar = progressBar(stderr, `${scenario.name ?? file}`);
  const result = system.run(until, bar.onProgress === undefined ? {} : { onProgress: bar.onProgress });
  bar.done();

  const events = system.trace.events;
  const count = (kind: string): number => events.filter((e) => e.kind === kind).length;
  print(`ptimer-rx run: ${scenario.name ?? file}: ${system.deviceNames.length} devices, ran to ${result.time} ns (${result.events} clock events)`);
  print(`trace: ${events.length} events (${count('read') + count('write')} guest accesses, ${count('expiry')} expiries, ${count('irq')} line changes, ${count('guest-error')} guest errors), digest ${system.digest()}`);
  for (const [name, program] of Object.entries(programs)) {
    const stats = (program as { stats?: () => unknown }).stats?.();
    if (stats !== undefined) print(`guest ${name}: ${JSON.stringify(stats)}`);
  }

  const namer = registerNamer(system);
  if (options.vcd !== undefined) {
    writeFileAtomic(options.vcd, toVcd(buildWaveform({ events, samples: system.samples }, { registerName: namer }), { version: 'ptimer-rx run', sameInstant: 'delta' }));
  }
  const from = options.from ?? 0;
  const to = options.to ?? Math.min(result.time, from + WINDOW);
  if (to <= from) throw new CliError(`--from ${from} ns / --to ${to} ns: the window must end after it starts`);
  const windowed = (): ReturnType<typeof buildWaveform> => buildWaveform({ events, samples: system.samples }, { from, to, registerName: namer });
  if (options.wavedrom !== undefined) {
    writeFileAtomic(options.wavedrom, `${JSON.stringify(toWaveDrom(windowed(), { maxSlots: 4096 }), null, 1)}\n`);
  }
  if (options.svg !== undefined) writeFileAtomic(options.svg, toSvg([{ title: `${scenario.name ?? file} ${from}-${to} ns`, model: windowed() }]));
  if (options.trace !== undefined) {
    writeFileAtomic(options.trace, formatRecordingFile({ scenario: json, until: result.time }, system.recording, system.trace));
  }
  for (const [path] of outputs) if (path !== undefined) print(`wrote ${path}`);
  return 0;
};
