import { readFileSync } from 'node:fs';
import { buildWaveform, toSvg, toWaveDrom, VcdStream } from '../../src/trace/waveform';
import type { CounterSample } from '../../src/trace/waveform/CounterSample';
import type { TraceSink } from '../../src/trace/TraceSink';
import { buildSystem, parseScenario, type BuildOptions, type BuiltScenario, type Scenario } from '../../system/scenario';
import { checkOutputPaths, type GivenPath } from '../checkOutputPath';
import { CliError, USAGE_ERROR } from '../CliError';
import { progressBar, type ProgressOutput } from '../progressBar';
import { registerNamer } from '../registerNamer';
import { streamRecordingFile } from '../streamRecordingFile';
import { LEAD, WINDOW, WindowKeeper } from '../WindowKeeper';
import { reasonOf, StreamedFiles } from '../writeFileAtomic';
import { describeValue } from '../../src/shared/describeValue';
import type { TraceEvent } from '../../src/trace/TraceEvent';
import { VCD_MAX_CHANGES, WAVEDROM_SLOTS } from '../waveformLimits';

/** Options of `ptimer-rx run`, as parsed (durations in ns). */
export interface RunCommandOptions {
  readonly until?: number;
  readonly vcd?: string;
  readonly wavedrom?: string;
  readonly svg?: string;
  readonly trace?: string;
  /** Waveform window for SVG and WaveDrom (ns); default: 50 µs from 10 µs before the first expiry. */
  readonly from?: number;
  readonly to?: number;
  /** Most counter changes per signal computed for each output (default: 10 000 in a window, 100 000 in the VCD). */
  readonly maxChanges?: number;
}

/**
 * The default SVG/WaveDrom window: around the first expiry (what the
 * scenario is about), not the set-up writes at time 0; from 0 when nothing
 * expired.
 */
export const defaultWindow = (events: readonly TraceEvent[], until: number): { readonly from: number; readonly to: number } => {
  const first = events.find((e) => e.kind === 'expiry');
  const from = first === undefined ? 0 : Math.max(0, first.time - LEAD);
  return { from, to: Math.min(until, from + WINDOW) };
};

/** Byte order mark: some editors start a UTF-8 file with it; JSON.parse would call it an unexpected token. */
const BOM = '\uFEFF';

/**
 * Reads a UTF-8 text file for the CLI: an error names the file, and a byte
 * order mark at the start is dropped.
 */
export const readTextFile = (path: string): string => {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new CliError(`cannot read ${path}: ${reasonOf(error)}`);
  }
  return text.startsWith(BOM) ? text.slice(BOM.length) : text;
};

/** Where a JSON syntax error is, as `line L, column C`, when the parser gave its position. */
const positionIn = (text: string, message: string): string => {
  const at = /at position (\d+)/.exec(message);
  if (at === null) return '';
  const before = text.slice(0, Number(at[1]));
  const line = before.split('\n').length;
  return ` at line ${line}, column ${before.length - before.lastIndexOf('\n')}`;
};

/** Reads and parses a JSON file, naming the file (and the line, when known) in any error. */
export const readJsonFile = (path: string): unknown => {
  const text = readTextFile(path);
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    const message = error instanceof Error ? error.message : describeValue(error);
    throw new CliError(`${path}: not valid JSON${positionIn(text, message)}: ${message}`);
  }
};

/** An error in a scenario, as one the CLI prints: the file first, then the field and the rule. */
export const scenarioFileError = (path: string, error: unknown): unknown =>
  error instanceof CliError || !(error instanceof Error) ? error : new CliError(`${path}: ${error.message}`);

/** Parses a scenario, naming the file in the error. */
export const loadScenarioFile = (path: string): { readonly scenario: Scenario; readonly json: unknown } => {
  const json = readJsonFile(path);
  try {
    return { scenario: parseScenario(json), json };
  } catch (error) {
    throw scenarioFileError(path, error);
  }
};

/** Builds a scenario's system, naming the file in the error (a reference to a device, line or register it lacks). */
const buildScenarioFile = (path: string, scenario: Scenario, options: BuildOptions): BuiltScenario => {
  try {
    return buildSystem(scenario, options);
  } catch (error) {
    throw scenarioFileError(path, error);
  }
};

/** Counts what the run's summary reports, as the events go by. */
const eventCounter = (): TraceSink & { readonly counts: Map<string, number>; total: number } => {
  const counter = {
    counts: new Map<string, number>(),
    total: 0,
    record(event: TraceEvent): void {
      counter.total++;
      counter.counts.set(event.kind, (counter.counts.get(event.kind) ?? 0) + 1);
    },
    // Accesses are most of a run's events: counted without an event object each.
    recordAccess(_time: number, _source: string, kind: 'read' | 'write'): void {
      counter.total++;
      counter.counts.set(kind, (counter.counts.get(kind) ?? 0) + 1);
    },
  };
  return counter;
};

/**
 * `ptimer-rx run scenario.json`: builds the scenario's system, runs it, prints
 * a summary and writes the requested outputs. Every option and output path
 * is checked before the run, and the outputs are written all or nothing.
 *
 * Memory: the run keeps neither its trace nor its guest inputs. The VCD and
 * the trace file are written while the run goes, to temporary files beside
 * their paths (a VCD's body and a trace file's steps and events wait in
 * scratch files until their headers are known), renamed over the paths only
 * once every output is complete; SVG and WaveDrom keep only what their
 * window needs. So memory stays bounded however long the run.
 * @returns the exit code
 */
export const runCommand = (file: string, options: RunCommandOptions, print: (line: string) => void, stderr: ProgressOutput): number => {
  const outputs: GivenPath[] = (
    [
      [options.vcd, '--vcd'],
      [options.wavedrom, '--wavedrom'],
      [options.svg, '--svg'],
      [options.trace, '--trace'],
    ] as const
  ).flatMap(([path, given]) => (path === undefined ? [] : [{ path, given }]));
  checkOutputPaths(outputs, [{ path: file, given: 'the scenario' }]);
  const { scenario, json } = loadScenarioFile(file);
  const windowed = options.wavedrom !== undefined || options.svg !== undefined;
  const given = options.from !== undefined || options.to !== undefined;
  const from = options.from ?? 0;
  const files = new StreamedFiles();
  try {
    const counter = eventCounter();
    const vcd =
      options.vcd === undefined
        ? undefined
        : (() => {
            const out = files.output(options.vcd);
            const spool = files.scratch(options.vcd, 'body');
            return new VcdStream({ write: (text) => out.write(text), spool, version: 'ptimer-rx run', maxChanges: options.maxChanges ?? VCD_MAX_CHANGES });
          })();
    const recording = options.trace === undefined ? undefined : streamRecordingFile(files, options.trace);
    // The window's end depends on the run's length, known once the system is built: the keeper is made after.
    let keeper: WindowKeeper | undefined;
    const windowSink = {
      record: (event: TraceEvent): void => keeper!.record(event),
      sample: (sample: CounterSample): void => keeper!.sample(sample),
    };
    const { system, until: scenarioUntil, programs } = buildScenarioFile(file, scenario, {
      keepTrace: false,
      traceSinks: [counter, ...(vcd === undefined ? [] : [vcd]), ...(windowed ? [windowSink] : []), ...(recording === undefined ? [] : [recording.events])],
      sampleSinks: [...(vcd === undefined ? [] : [vcd]), ...(windowed ? [windowSink] : [])],
      recordInputs: recording?.steps ?? false,
    });
    const until = options.until ?? scenarioUntil;
    const to = options.to ?? Math.min(until, from + WINDOW);
    // Checked whenever the window is used or given, so a run never ends in a window it cannot draw.
    if ((windowed || given) && to <= from) {
      throw new CliError(
        options.to === undefined
          ? `--from: ${from} ns is invalid: the SVG/WaveDrom window must start before the run ends (${until} ns)`
          : `--to: ${to} ns is invalid: the SVG/WaveDrom window must end after it starts (--from ${from} ns)`,
        USAGE_ERROR,
      );
    }
    if (windowed) keeper = new WindowKeeper(given ? { from, to } : undefined);
    const bar = progressBar(stderr, `${scenario.name ?? file}`);
    let result;
    try {
      result = system.run(until, bar.onProgress === undefined ? {} : { onProgress: bar.onProgress });
    } catch (error) {
      // A guest program of the scenario failed, or a device refused what it did.
      throw scenarioFileError(file, error);
    } finally {
      bar.done();
    }

    const count = (kind: string): number => counter.counts.get(kind) ?? 0;
    print(`ptimer-rx run: ${scenario.name ?? file}: ${system.deviceNames.length} devices, ran to ${result.time} ns (${result.events} clock events)`);
    print(`trace: ${counter.total} events (${count('read') + count('write')} guest accesses, ${count('expiry')} expiries, ${count('irq')} line changes, ${count('guest-error')} guest errors), digest ${system.digest()}`);
    for (const [name, program] of Object.entries(programs)) {
      const stats = (program as { stats?: () => unknown }).stats?.();
      if (stats !== undefined) print(`guest ${name}: ${JSON.stringify(stats)}`);
    }

    const namer = registerNamer(system);
    const kept = keeper?.result(result.time);
    const maxChanges = options.maxChanges === undefined ? {} : { maxChanges: options.maxChanges };
    let model: ReturnType<typeof buildWaveform> | undefined;
    const windowModel = (): ReturnType<typeof buildWaveform> =>
      (model ??= buildWaveform({ events: kept!.events, samples: kept!.samples }, { ...kept!.window, registerName: namer, ...maxChanges }));
    const title = kept === undefined ? '' : `${scenario.name ?? file} ${kept.window.from}-${kept.window.to} ns`;
    const finish: Record<string, (path: string) => void> = {
      '--vcd': () => vcd!.finish(),
      '--wavedrom': (path) => files.output(path).write(`${JSON.stringify(toWaveDrom(windowModel(), { title, maxSlots: WAVEDROM_SLOTS }), null, 1)}\n`),
      '--svg': (path) => files.output(path).write(toSvg([{ title, model: windowModel() }])),
      '--trace': () => recording!.finish({ scenario: json, until: result.time, digest: system.digest(), events: system.traceLength }),
    };
    for (const o of outputs) finish[o.given]!(o.path);
    files.commit();
  } catch (error) {
    files.discard();
    throw error;
  }
  for (const o of outputs) print(`wrote ${o.path}`);
  return 0;
};
