// `run` streams its outputs while the run goes, keeping neither trace nor inputs
// (#15 item 6, #19 item 2): the files must be the ones the in-memory writers make
// from the kept trace, samples and recording, byte for byte.
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { defaultWindow, runCommand } from '../../cli/commands/run';
import { registerNamer } from '../../cli/registerNamer';
import { VCD_MAX_CHANGES, WAVEDROM_SLOTS } from '../../cli/waveformLimits';
import { buildWaveform, toSvg, toVcd, toWaveDrom } from '../../src/trace/waveform';
import { formatRecordingFile } from '../../system/RecordingFile';
import { buildSystem, parseScenario } from '../../system/scenario';

const DEFAULT = resolve(__dirname, '../../examples/scenarios/default.json');
const UNTIL = 1_000_000; // 1 ms: every kind of device event, and counters past the VCD's cap

/** What `run` wrote before it streamed: the outputs made from the whole kept run. */
const inMemory = (json: unknown, until: number, window?: { from: number; to: number }): Record<string, string> => {
  const { system } = buildSystem(parseScenario(json), { sampleProbes: true, recordInputs: true });
  system.run(until);
  const { events } = system.trace;
  const namer = registerNamer(system);
  const w = window ?? defaultWindow(events, until);
  const model = buildWaveform({ events, samples: system.samples }, { ...w, registerName: namer });
  const title = `default ${w.from}-${w.to} ns`;
  return {
    vcd: toVcd(buildWaveform({ events, samples: system.samples }, { registerName: namer, maxChanges: VCD_MAX_CHANGES }), { version: 'ptimer-rx run', sameInstant: 'delta' }),
    wavedrom: `${JSON.stringify(toWaveDrom(model, { title, maxSlots: WAVEDROM_SLOTS }), null, 1)}\n`,
    svg: toSvg([{ title, model }]),
    trace: formatRecordingFile({ scenario: json, until }, system.recording, system.trace),
  };
};

const ALL = ['svg', 'trace', 'vcd', 'wavedrom'] as const;

const streamed = (scenario: string, until: number, window?: { from: number; to: number }, names: readonly string[] = ALL): Record<string, string> => {
  const dir = mkdtempSync(join(tmpdir(), 'ptimer-rx-streamed-'));
  const path = (name: string): string => join(dir, name);
  const code = runCommand(
    scenario,
    { until, ...Object.fromEntries(names.map((name) => [name, path(name)])), ...(window ?? {}) },
    () => {},
    { write: () => true },
  );
  expect(code).toBe(0);
  // Nothing left beside the outputs: the temporary and scratch files are gone.
  expect(readdirSync(dir).sort()).toEqual([...names].sort());
  return Object.fromEntries(names.map((name) => [name, readFileSync(path(name), 'utf8')]));
};

describe.each(['sync', 'bottom-half'])('run streams its outputs (%s delivery)', (delivery) => {
  const json = JSON.parse(readFileSync(DEFAULT, 'utf8')) as Record<string, unknown>;
  json['delivery'] = delivery;
  const dir = mkdtempSync(join(tmpdir(), 'ptimer-rx-scenario-'));
  const scenario = join(dir, 'default.json');
  writeFileSync(scenario, JSON.stringify(json));

  it('VCD, WaveDrom, SVG and the trace file equal the in-memory writers byte for byte (default window)', () => {
    const want = inMemory(json, UNTIL);
    const got = streamed(scenario, UNTIL);
    for (const name of ['vcd', 'wavedrom', 'svg', 'trace']) expect({ name, same: got[name] === want[name] }).toEqual({ name, same: true });
    // The VCD shows counters past the cap as unknown, as before.
    expect(got['vcd']).toContain('bx ');
  });

  it('and in a window given late in the run (what precedes the window is summed up, not kept)', () => {
    const window = { from: 800_000, to: 900_000 };
    const want = inMemory(json, UNTIL, window);
    const got = streamed(scenario, UNTIL, window, ['svg', 'wavedrom']);
    expect(got['wavedrom'] === want['wavedrom']).toBe(true);
    expect(got['svg'] === want['svg']).toBe(true);
  });
});
