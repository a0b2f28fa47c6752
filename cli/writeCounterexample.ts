import { registerNamesOf } from '../explore/toMarbleDiagram';
import type { RegisterInfo } from '../src/bus/Device';
import type { TraceEvent } from '../src/trace/TraceEvent';
import type { CounterSample } from '../src/trace/waveform/CounterSample';
import { buildWaveform, toSvg, toVcd } from '../src/trace/waveform';
import type { GivenPath } from './checkOutputPath';
import { writeFilesAtomic, type OutputText } from './writeFileAtomic';

/** Where `explore --svg` and `--vcd` write a counterexample's waveform. */
export interface CounterexampleFiles {
  readonly svg?: string;
  readonly vcd?: string;
}

/** The given output paths, for the checks made before the exploration. */
export const counterexamplePaths = (files: CounterexampleFiles): GivenPath[] =>
  (
    [
      [files.svg, '--svg'],
      [files.vcd, '--vcd'],
    ] as const
  ).flatMap(([path, given]) => (path === undefined ? [] : [{ path, given }]));

/** A counterexample: the replayed violating run and the instant it broke. */
export interface Counterexample {
  /** What the drawing is titled: device or scenario, delivery, instant. */
  readonly title: string;
  readonly trace: readonly TraceEvent[];
  readonly samples: readonly CounterSample[];
  readonly devices: readonly { readonly name: string; readonly registers?: readonly RegisterInfo[] }[];
  /** The violating instant (ns). */
  readonly at: number;
  /** What was violated: drawn as a `violation` event at `at`. */
  readonly message: string;
  /** How far the drawing reaches either side of it (ns). */
  readonly around: number;
}

/**
 * The counterexample's waveform files: the replayed run from `around` ns
 * before the violating instant to `around` after it, every counter tick in
 * it drawn from the probes' forecasts; the SVG drawn for reading next to the
 * marble diagram, the VCD (same-instant order as ps steps) for a viewer.
 */
export const counterexampleOutputs = (files: CounterexampleFiles, c: Counterexample): OutputText[] => {
  const from = Math.max(0, c.at - c.around);
  const to = c.at + c.around;
  const violation: TraceEvent = { time: c.at, source: 'explore', kind: 'violation', message: c.message };
  const events = [...c.trace, violation].sort((a, b) => a.time - b.time);
  let model: ReturnType<typeof buildWaveform> | undefined;
  const windowed = (): ReturnType<typeof buildWaveform> =>
    (model ??= buildWaveform({ events, samples: c.samples }, { from, to, registerName: registerNamesOf(c.devices) }));
  const out: OutputText[] = [];
  if (files.svg !== undefined) out.push({ path: files.svg, text: () => toSvg([{ title: c.title, model: windowed() }]) });
  if (files.vcd !== undefined) out.push({ path: files.vcd, text: () => toVcd(windowed(), { version: 'ptimer-rx explore', sameInstant: 'delta' }) });
  return out;
};

/**
 * Writes the counterexample's waveform files, or says that there is none to
 * write (the files are then left as they were).
 */
export const writeCounterexample = (
  paths: readonly { readonly path: string }[],
  files: CounterexampleFiles,
  drawn: Counterexample | undefined,
  print: (line: string) => void,
): void => {
  if (paths.length === 0) return;
  if (drawn === undefined) {
    print(`no counterexample: ${paths.map((p) => p.path).join(', ')} not written`);
    return;
  }
  writeFilesAtomic(counterexampleOutputs(files, drawn));
  print(`wrote ${paths.map((p) => p.path).join(', ')}: the counterexample's waveform around ${drawn.at} ns`);
};
