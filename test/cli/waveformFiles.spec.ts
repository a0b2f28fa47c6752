// The waveform files the CLI writes (#15 items 1-5): WaveDrom files are one
// diagram each, rendered here by the `wavedrom` package itself; the SVGs draw
// counters tick by tick in a window around something worth seeing; explore
// draws its counterexample.
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { XMLParser } from 'fast-xml-parser';
import { beforeAll, describe, expect, it } from 'vitest';
import type { WaveDromDiagram, WaveDromLane } from '../../src/trace';
import { buildSystem, parseScenario } from '../../system/scenario';
import { drawnLaneNames, renderWaveDrom } from '../support/renderWaveDrom';
import { runCaptured as cli } from './runCaptured';

const ROOT = resolve(__dirname, '../..');
const CORTEX_M = join(ROOT, 'examples/scenarios/cortex-m.json');
const DEFAULT = join(ROOT, 'examples/scenarios/default.json');

const tmp = (): string => mkdtempSync(join(tmpdir(), 'ptimer-rx-waves-'));

/** Every lane of a diagram, groups flattened, in order. */
const lanesOf = (diagram: WaveDromDiagram): WaveDromLane[] =>
  diagram.signal.flatMap((entry) => (Array.isArray(entry) ? (entry.slice(1) as WaveDromLane[]) : [entry as WaveDromLane]));

type Node = Record<string, unknown>;
const parser = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '@_', parseTagValue: false, isArray: (_n, _p, _l, attr) => !attr });
/** The rows of an SVG by signal name, with the texts drawn in each. */
const svgRows = (svg: string): Map<string, string[]> => {
  const rows = new Map<string, string[]>();
  const texts = (node: unknown, out: string[]): string[] => {
    if (Array.isArray(node)) for (const n of node) texts(n, out);
    else if (typeof node === 'object' && node !== null) {
      for (const [key, value] of Object.entries(node as Node)) {
        if (key === 'text' && Array.isArray(value)) for (const t of value) out.push(typeof t === 'string' ? t : String((t as Node)['#text'] ?? ''));
        else if (!key.startsWith('@_')) texts(value, out);
      }
    }
    return out;
  };
  const walk = (node: unknown): void => {
    if (Array.isArray(node)) for (const n of node) walk(n);
    else if (typeof node === 'object' && node !== null) {
      const signal = (node as Node)['@_data-signal'];
      if (typeof signal === 'string') rows.set(signal, texts(node, []));
      else for (const [key, value] of Object.entries(node as Node)) if (!key.startsWith('@_')) walk(value);
    }
  };
  walk(parser.parse(svg));
  return rows;
};

/** Checks a WaveDrom file: one diagram object, which the wavedrom package draws with every lane it lists. */
const expectRenders = (path: string): WaveDromDiagram => {
  const json = JSON.parse(readFileSync(path, 'utf8')) as unknown;
  expect(Array.isArray(json)).toBe(false);
  const diagram = json as WaveDromDiagram;
  const svg = renderWaveDrom(diagram);
  expect(svg.startsWith('<svg')).toBe(true);
  const names = lanesOf(diagram).map((l) => l.name);
  expect(names.length).toBeGreaterThan(3);
  expect(drawnLaneNames(svg)).toEqual(names);
  return diagram;
};

describe('ptimer-rx race: waveform files', () => {
  let out: string;
  beforeAll(async () => {
    out = tmp();
    const r = await cli(['race', '--out', out]);
    expect(r.code).toBe(0);
  });

  it('race.wavedrom.json is one WaveDrom diagram (a group of lanes per delivery mode) that the wavedrom package renders', () => {
    const diagram = expectRenders(join(out, 'race.wavedrom.json'));
    expect(diagram.signal.map((g) => (Array.isArray(g) ? g[0] : undefined))).toEqual(['sp804: bottom-half delivery', 'sp804: sync delivery']);
    expect(diagram.head?.text).toBe('sp804: the race around the first expiry (1000000 ns)');
  });

  it('race.svg shows the counter at every tick around the first expiry: 4, 3, 2, 1, 0, then 999 after the reload, never 1000 held from the start', () => {
    const svg = readFileSync(join(out, 'race.svg'), 'utf8');
    expect(svg).toMatch(/^<\?xml[^\n]*\n<svg [^>]*width="840.00"/);
    const rows = svgRows(svg);
    // the first panel's row (both panels have one by that name: the map keeps the last, the sync one)
    expect(rows.get('dut.timer1.value')).toEqual(['dut.timer1.value', '4', '3', '2', '1', '0', '999', '998', '997']);
  });

  it('race.svg draws every event label in full (no R Tim…), one line per read', () => {
    const rows = svgRows(readFileSync(join(out, 'race.svg'), 'utf8'));
    const reads = rows.get('guest.dut.read')!.slice(1);
    expect(reads.length).toBeGreaterThan(10);
    expect(reads.every((t) => /^R Timer1(Value|RIS)=\d+$/.test(t))).toBe(true);
    for (const texts of rows.values()) expect(texts.filter((t) => t.includes('…'))).toEqual([]);
  });

  it('the VCDs scope signals by device and timer (dut.timer1.value) and draw the counter tick by tick', () => {
    const vcd = readFileSync(join(out, 'race-sync.vcd'), 'utf8');
    expect(vcd).toMatch(/\$scope module dut \$end\n\$scope module timer1 \$end\n\$var event 1 \S+ expiry \$end\n\$var reg 32 (\S+) value \$end/);
    const id = /\$var reg 32 (\S+) value \$end/.exec(vcd)![1]!;
    // one change per tick: 20 rounds of 1 000 ticks
    expect(vcd.split('\n').filter((l) => l.endsWith(` ${id}`)).length).toBeGreaterThan(20_000);
  });
});

describe('ptimer-rx run: waveform files', () => {
  let dir: string;
  let stdout: string;
  beforeAll(async () => {
    dir = tmp();
    const r = await cli(['run', CORTEX_M, '--until', '2ms', '--svg', join(dir, 'w.svg'), '--wavedrom', join(dir, 'w.json'), '--vcd', join(dir, 'w.vcd')]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    stdout = r.stdout;
  });

  it('the default SVG/WaveDrom window is around the first expiry (from 10 µs before it), not the set-up writes at 0', () => {
    const { system } = buildSystem(parseScenario(JSON.parse(readFileSync(CORTEX_M, 'utf8'))));
    system.run(2_000_000);
    const first = system.trace.events.find((e) => e.kind === 'expiry')!.time;
    expect(first).toBeGreaterThan(50_000);
    const title = `cortex-m ${first - 10_000}-${first + 40_000} ns`;
    expect(readFileSync(join(dir, 'w.svg'), 'utf8')).toContain(`>${title}</text>`);
    expect(expectRenders(join(dir, 'w.json')).head?.text).toBe(title);
    expect(stdout).toContain(`wrote ${join(dir, 'w.svg')}`);
  });

  it('a guest that reads nothing up to the window end has no all-x read_value row; one that does keeps it', () => {
    const rows = svgRows(readFileSync(join(dir, 'w.svg'), 'utf8'));
    expect([...rows.keys()]).not.toContain('guest.systick.read_value');
    expect([...rows.keys()]).toContain('guest.timer0.read_value');
    expect(lanesOf(JSON.parse(readFileSync(join(dir, 'w.json'), 'utf8')) as WaveDromDiagram).map((l) => l.name)).not.toContain('guest.systick.read_value');
  });

  it('counters too dense to draw a value are counting boxes, never a value held from an earlier sample', () => {
    const rows = svgRows(readFileSync(join(dir, 'w.svg'), 'utf8'));
    // 25 MHz counters over 50 µs: 1 250 values each, under a pixel apart
    for (const name of ['systick.current', 'timer0.value', 'wdog.value']) expect(rows.get(name)).toEqual([name, 'counting']);
  });

  it('run --max-changes 0 makes every counter of the VCD unknown after its samples: x, not a held value', async () => {
    const d = tmp();
    const r = await cli(['run', CORTEX_M, '--until', '300us', '--max-changes', '0', '--vcd', join(d, 'x.vcd')]);
    expect(r.code).toBe(0);
    const vcd = readFileSync(join(d, 'x.vcd'), 'utf8');
    const id = /\$var reg 32 (\S+) value \$end/.exec(vcd)![1]!;
    expect(vcd.split('\n').filter((l) => l === `bx ${id}`).length).toBeGreaterThan(0);
    expect((await cli(['run', CORTEX_M, '--max-changes', '-1'])).stderr).toMatch(/^ptimer-rx: --max-changes: "-1" is invalid: must be a whole number from 0 to 100000000/);
  });
});

describe('ptimer-rx explore: the counterexample waveform', () => {
  it('--svg and --vcd write the violating run around the violating instant, next to the marble diagram', async () => {
    const dir = tmp();
    const files = { svg: join(dir, 'ce.svg'), vcd: join(dir, 'ce.vcd') };
    const r = await cli(['explore', '--device', 'cmsdk-apb-timer', '--expiries', '1', '--mode', 'bh', '--workers', '1', '--svg', files.svg, '--vcd', files.vcd]);
    expect(r.stderr).toBe('');
    expect(r.stdout).toMatch(/const expected = '\([a-z]+\)';/);
    const at = Number(/violation \(schedule \d+\): G1 at (\d+) ns/.exec(r.stdout)![1]);
    expect(r.stdout).toContain(`wrote ${files.svg}, ${files.vcd}: the counterexample's waveform around ${at} ns`);
    const svg = readFileSync(files.svg, 'utf8');
    expect(svg).toContain(`cmsdk-apb-timer: bottom-half delivery, counterexample at ${at} ns`);
    const rows = svgRows(svg);
    expect(rows.get('explore.violation')?.join(' ')).toMatch(/violation: G1 at \d+ ns/);
    expect(rows.get('dut.value')!.length).toBeGreaterThan(2);
    // the VCD: ps steps (same-instant order), starting before the instant and ending after it
    const vcd = readFileSync(files.vcd, 'utf8');
    const stamps = vcd.split('\n').filter((l) => l.startsWith('#')).map((l) => Number(l.slice(1)) / 1000);
    expect(stamps[0]).toBeLessThan(at);
    expect(stamps.at(-1)).toBeGreaterThan(at);
    expect(vcd).toMatch(/\$scope module explore \$end\n\$var event 1 \S+ violation \$end/);
  });

  it('with no counterexample, says so and writes nothing', async () => {
    const dir = tmp();
    const r = await cli(['explore', '--device', 'cmsdk-apb-timer', '--expiries', '1', '--mode', 'sync', '--workers', '1', '--svg', join(dir, 'ce.svg')]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(`no counterexample: ${join(dir, 'ce.svg')} not written`);
    expect(existsSync(join(dir, 'ce.svg'))).toBe(false);
  });

  it('a scenario: the counterexample of bottom-half delivery is drawn around its instant', async () => {
    const dir = tmp();
    const svgPath = join(dir, 's.svg');
    const r = await cli(['explore', DEFAULT, '--mode', 'bh', '--from', '199us', '--until', '201us', '--workers', '1', '--svg', svgPath]);
    expect(r.stderr).toBe('');
    expect(r.stdout).toContain(`wrote ${svgPath}: the counterexample's waveform around 200000 ns`);
    const rows = svgRows(readFileSync(svgPath, 'utf8'));
    expect(rows.get('explore.violation')?.join(' ')).toMatch(/G1 \(atomic expiry\) at 200000 ns/);
    expect(rows.get('avalon.counter')!.length).toBeGreaterThan(1);
  });

  it('an output path is checked before exploring: an unwritable one fails at once', async () => {
    const dir = tmp();
    const r = await cli(['explore', '--device', 'cmsdk-apb-timer', '--workers', '1', '--vcd', join(dir, 'no/such/x.vcd')]);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toMatch(/^ptimer-rx: --vcd .*x\.vcd: cannot write there/);
    expect(r.stdout).toBe('');
  });
});
