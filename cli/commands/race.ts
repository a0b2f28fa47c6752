import { join } from 'node:path';
import { mkdirSync } from 'node:fs';
import type { TriggerDelivery } from '../../src/bus/kit/TriggerDelivery';
import { buildWaveform, toSvg, toVcd, toWaveDrom, type WaveformModel } from '../../src/trace/waveform';
import { raceExperiment, type RaceResult } from '../../system/race/raceExperiment';
import { CliError } from '../CliError';
import { optionError } from '../optionError';
import { registerNamer } from '../registerNamer';
import { checkOutputPaths } from '../checkOutputPath';
import { reasonOf, writeFilesAtomic } from '../writeFileAtomic';
import { VCD_MAX_CHANGES, WAVEDROM_SLOTS } from '../waveformLimits';

/** Options of `ptimer-rx race`, as parsed. */
export interface RaceCommandOptions {
  readonly device: string;
  readonly channel?: string;
  readonly mode: 'sync' | 'bh' | 'both';
  readonly expiries: number;
  readonly out: string;
  readonly files: boolean;
}

const MODES: Record<RaceCommandOptions['mode'], readonly TriggerDelivery[]> = {
  sync: ['sync'],
  bh: ['bottom-half'],
  both: ['bottom-half', 'sync'],
};

/** The race's parameters, as the library names them in its errors, and the options they come from. */
export const RACE_OPTIONS: Readonly<Record<string, string>> = {
  'deviceType(name)': '--device',
  'raceExperiment(device)': '--device',
  'raceExperiment(channel)': '--channel',
  'raceExperiment(expiries)': '--expiries',
};

/**
 * `ptimer-rx race`: the seed's race on a device model, in each delivery mode;
 * prints the table and writes the waveforms.
 * @returns the exit code: 0, or 1 when synchronous delivery showed an inconsistent read (a G1 bug)
 */
export const raceCommand = (options: RaceCommandOptions, print: (line: string) => void): number => {
  const deliveries = MODES[options.mode];
  const files = raceFiles(options.out, deliveries);
  const paths = options.files ? [...files.vcd, files.wavedrom, files.svg] : [];
  // The directory is made after the run: a run that fails leaves nothing behind.
  checkOutputPaths(
    paths.map((path) => ({ path, given: '--out' })),
    [],
    { createDirectory: true },
  );
  let results: RaceResult[];
  try {
    results = deliveries.map((delivery) =>
      raceExperiment({
        device: options.device,
        delivery,
        expiries: options.expiries,
        ...(options.channel === undefined ? {} : { channel: options.channel }),
      }),
    );
  } catch (error) {
    throw optionError(error, RACE_OPTIONS);
  }
  const first = results[0]!;
  const E = first.expiryTimes;
  const step = E.length > 1 ? E[1]! - E[0]! : E[0]!;
  print(`ptimer-rx race: ${first.device} (${first.channel} channel), ${E.length} expiries every ${step} ns`);
  for (const line of INTRODUCTION) print(line);
  print('');
  print(table(results));
  print('');
  for (const line of LEGEND) print(line);
  const sync = results.find((r) => r.delivery === 'sync');
  const bh = results.find((r) => r.delivery === 'bottom-half');
  if (bh !== undefined) {
    const example = bh.inconsistent[0];
    print(
      example === undefined
        ? '\nbottom-half: no inconsistent observation (unexpected for this device)'
        : `\nbottom-half: e.g. at ${example.time} ns (${example.where}) the guest read counter ${example.counter} (the expiry happened) with the status clear: the bottom half had not run yet.`,
    );
  }
  if (sync !== undefined) {
    print(
      sync.inconsistent.length === 0
        ? 'sync: the device callback runs in the expiry step itself (G1): no read can fall between the reload and the status update.'
        : `sync: ${sync.inconsistent.length} inconsistent observation(s): a G1 violation in ${sync.device}`,
    );
  }
  if (options.files) {
    writeRaceFiles(results, options.out, files);
    print(`\nwrote ${paths.join(', ')}`);
    print(`open ${files.svg} in a browser (both modes around the first expiry, one panel each); the .vcd files in GTKWave or Surfer (the whole run); ${files.wavedrom} in WaveDrom's editor`);
  }
  print('\nnext: `ptimer-rx race --device NAME` for another catalogue device, `ptimer-rx explore` to try every order of the same-instant work, `ptimer-rx run SCENARIO.json` for a whole system; --help on any command');
  return sync !== undefined && sync.inconsistent.length > 0 ? 1 : 0;
};

/** What the run is, in plain words, printed before the table. */
const INTRODUCTION = [
  'The race: a timer reaches 0, reloads, and sets its interrupt status. A guest that reads the counter and then the',
  'status must never see the reloaded counter with the status still clear (a tick it would miss). The guest here',
  'reads both at every expiry instant E, queued before and after the expiry, and at ns steps around E.',
  '',
  '  bottom-half  the legacy design: the timer tells its device about the expiry later, in a deferred step',
  '  sync         the fixed design: the device updates its status in the expiry step itself',
];

/** How to read the table's columns, printed after it. */
const LEGEND = [
  'observations: counter-then-status read pairs; inconsistent: pairs whose counter and status disagree.',
  'where: when the bad pairs were read, relative to the expiry instant E: "E+0 after" is at E itself, queued',
  'after the expiry\'s work; "E-d", "E+d" are d ns before or after E.',
];

/** Where `race` writes: a VCD per delivery mode (in `deliveries` order), WaveDrom JSON and an SVG of them all. */
const raceFiles = (out: string, deliveries: readonly TriggerDelivery[]): { readonly vcd: readonly string[]; readonly wavedrom: string; readonly svg: string } => ({
  vcd: deliveries.map((delivery) => join(out, `race-${delivery}.vcd`)),
  wavedrom: join(out, 'race.wavedrom.json'),
  svg: join(out, 'race.svg'),
});

const table = (results: readonly RaceResult[]): string => {
  const rows = [
    ['delivery', 'observations', 'expiries', 'inconsistent', 'where'],
    ...results.map((r) => [
      r.delivery,
      String(r.observations.length),
      String(r.expiryTimes.length),
      String(r.inconsistent.length),
      summarizeWhere(r),
    ]),
  ];
  const widths = rows[0]!.map((_, c) => Math.max(...rows.map((row) => row[c]!.length)));
  return rows.map((row) => row.map((cell, c) => (c === 0 || c === 4 ? cell.padEnd(widths[c]!) : cell.padStart(widths[c]!))).join('  ').trimEnd()).join('\n');
};

const summarizeWhere = (r: RaceResult): string => {
  const counts = new Map<string, number>();
  for (const o of r.inconsistent) counts.set(o.where, (counts.get(o.where) ?? 0) + 1);
  return [...counts].map(([where, n]) => `${where} ×${n}`).join(', ') || '-';
};

/** Width of the race's SVG (px): GitHub shows a README image up to about this wide, so the README figure is drawn 1:1. */
export const RACE_SVG_WIDTH = 840;

const modelOf = (r: RaceResult, window: { readonly from?: number; readonly to?: number }, maxChanges?: number): WaveformModel =>
  buildWaveform(
    { events: [...r.events, ...r.violations].sort((a, b) => a.time - b.time), samples: r.samples },
    { ...window, registerName: registerNamer(r.system), ...(maxChanges === undefined ? {} : { maxChanges }) },
  );

const writeRaceFiles = (results: readonly RaceResult[], out: string, files: ReturnType<typeof raceFiles>): void => {
  try {
    mkdirSync(out, { recursive: true });
  } catch (error) {
    throw new CliError(`--out ${out}: cannot create the directory (${reasonOf(error)})`);
  }
  const first = results[0]!;
  const E = first.expiryTimes;
  // Around the first expiry: its read window and as much again either side.
  const from = Math.max(0, E[0]! - 2 * first.window);
  const to = E[0]! + 2 * first.window;
  // Both the WaveDrom and the SVG file draw these; made once, when the first of them is written.
  let windowed: { title: string; model: WaveformModel }[] | undefined;
  const panels = (): { title: string; model: WaveformModel }[] =>
    (windowed ??= results.map((r) => ({ title: `${r.device}: ${r.delivery} delivery`, model: modelOf(r, { from, to }) })));
  const title = `${first.device}: the race around the first expiry (${E[0]} ns)`;
  writeFilesAtomic([
    ...results.map((r, i) => ({ path: files.vcd[i]!, text: () => toVcd(modelOf(r, {}, VCD_MAX_CHANGES), { version: 'ptimer-rx race', sameInstant: 'delta' }) })),
    // One diagram: a group of lanes per delivery mode, on one time axis.
    { path: files.wavedrom, text: () => `${JSON.stringify(toWaveDrom(panels(), { title, maxSlots: WAVEDROM_SLOTS }), null, 1)}\n` },
    { path: files.svg, text: () => toSvg(panels(), { width: RACE_SVG_WIDTH }) },
  ]);
};
