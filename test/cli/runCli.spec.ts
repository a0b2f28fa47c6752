import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { XMLParser } from 'fast-xml-parser';
import { beforeAll, describe, expect, it } from 'vitest';
import { CliError } from '../../cli/CliError';
import { exploreScenarioCommand } from '../../cli/commands/exploreScenario';
import { CHECK_GRACE_MILLIS } from '../../explore';
import { parseVcd } from './parseVcd';
import { runCaptured as cli } from './runCaptured';

// The CLI in this process, its output captured. What only a process shows (the exit code as the process's, a
// closed pipe, --version from the manifest beside the build) is tested on the built command in main.spec.ts,
// and so is explore on several worker threads: there each thread loads the built worker, where here it would
// load the TypeScript sources through tsx, seconds a thread.
const ROOT = resolve(__dirname, '../..');

interface VcdSignal {
  readonly name: string;
  readonly module?: string;
  /** [time, value] pairs, as strings. */
  readonly wave: readonly (readonly [string, string])[];
}

const tmp = (): string => mkdtempSync(join(tmpdir(), 'ptimer-rx-cli-'));
const DEFAULT = join(ROOT, 'examples/scenarios/default.json');

describe('ptimer-rx race', () => {
  let out: string;
  let result: Awaited<ReturnType<typeof cli>>;
  beforeAll(async () => {
    out = tmp();
    result = await cli(['race', '--out', out]);
  });

  it('prints the table: bottom-half delivery shows the race at every expiry, sync none', () => {
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^ptimer-rx race: sp804 \(timer1 channel\), 20 expiries/);
    expect(result.stdout).toMatch(/bottom-half\s+\d+\s+20\s+20\s+E\+0 after ×20/);
    expect(result.stdout).toMatch(/sync\s+\d+\s+20\s+0\s+-/);
  });

  it('explains itself to a newcomer: the race, both modes, E+0, where the files are and what to open them with', () => {
    const text = result.stdout;
    expect(text).toContain('must never see the reloaded counter with the status still clear');
    expect(text).toMatch(/^ {2}bottom-half {2}the legacy design/m);
    expect(text).toMatch(/^ {2}sync {9}the fixed design/m);
    expect(text).toContain('"E+0 after" is at E itself');
    expect(text).toContain(`open ${join(out, 'race.svg')} in a browser`);
    expect(text).toContain('GTKWave or Surfer');
    expect(text).toMatch(/^next: .*ptimer-rx explore/m);
  });

  it('writes a VCD per mode that a VCD parser reads, with the interrupt line and counter changes', async () => {
    expect(readdirSync(out).sort()).toEqual(['race-bottom-half.vcd', 'race-sync.vcd', 'race.svg', 'race.wavedrom.json']);
    const parsed = (await parseVcd(readFileSync(join(out, 'race-sync.vcd'), 'utf8'))) as { signal: VcdSignal[]; timescale: string };
    const byName = (name: string): VcdSignal => {
      const found = parsed.signal.find((s) => s.name === name);
      if (found === undefined) throw new Error(`no ${name} in ${parsed.signal.map((s) => s.name).join(', ')}`);
      return found;
    };
    const line = byName('ptimer_rx.dut.timint1');
    // rises at each of the 20 expiries (1 ms apart at 1 MHz, 1000 ticks) and falls when acknowledged
    // timescale 1 ps: same-instant order as ps offsets ('delta'), so the ns instant is the quotient
    expect(readFileSync(join(out, 'race-sync.vcd'), 'utf8')).toContain('$timescale 1ps $end');
    const rises = line.wave.filter((w) => w[1] === '1').map((w) => Math.floor(Number(w[0]) / 1000));
    expect(rises.slice(0, 3)).toEqual([1_000_000, 2_000_000, 3_000_000]);
    expect(rises).toHaveLength(20);
    const value = byName('ptimer_rx.dut.timer1.value');
    expect(value.wave.length).toBeGreaterThan(20);
  });

  it('writes an SVG with both runs, one panel each, with the counter, line and violation rows', () => {
    const svg = readFileSync(join(out, 'race.svg'), 'utf8');
    const xml = new XMLParser({ ignoreAttributes: false }).parse(svg) as { svg: { g: { '@_data-panel': string; g: { '@_data-signal'?: string }[] }[] } };
    const panels = xml.svg.g;
    expect(panels.map((p) => p['@_data-panel'])).toEqual(['sp804: bottom-half delivery', 'sp804: sync delivery']);
    const rows = (i: number): (string | undefined)[] => panels[i]!.g.map((g) => g['@_data-signal']);
    expect(rows(0)).toEqual(expect.arrayContaining(['dut.timer1.value', 'dut.timint1', 'guest.violation']));
    expect(rows(1)).not.toContain('guest.violation');
  });

  it('writes WaveDrom JSON for both modes: one diagram, a group of lanes per mode', () => {
    const json = JSON.parse(readFileSync(join(out, 'race.wavedrom.json'), 'utf8')) as { signal: [string, ...{ name: string }[]][] };
    expect(json.signal.map((group) => group[0])).toEqual(['sp804: bottom-half delivery', 'sp804: sync delivery']);
    expect(json.signal[0]!.slice(1).map((lane) => (lane as { name: string }).name)).toContain('dut.timint1');
  });

  it('--device and --mode pick the device and delivery; --no-files writes nothing', async () => {
    const dir = tmp();
    const r = await cli(['race', '--device', 'cmsdk-apb-timer', '--mode', 'bh', '--expiries', '5', '--no-files', '--out', join(dir, 'x')]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/cmsdk-apb-timer \(timer channel\), 5 expiries/);
    expect(r.stdout).toMatch(/bottom-half\s+\d+\s+5\s+5\s/);
    expect(r.stdout).not.toMatch(/^sync/m);
    expect(existsSync(join(dir, 'x'))).toBe(false);
  });

  it.each([
    [['race', '--device', 'nope'], /^ptimer-rx: --device: "nope" is invalid: is not a catalogue device type; known types: .*sp804/],
    [['race', '--device', 'cmsdk-apb-watchdog', '--no-files'], /^ptimer-rx: --device: "cmsdk-apb-watchdog" is invalid: has no timer channel/],
    [['race', '--channel', 'timer9', '--no-files'], /^ptimer-rx: --channel: "timer9" is invalid: is not a timer channel of sp804; channels: timer1, timer2/],
    [['explore', '--device', 'nope', '--workers', '1'], /^ptimer-rx: --device: "nope" is invalid: is not a catalogue device type/],
    [['race', '--expiries', '0'], /^ptimer-rx: --expiries: "0" is invalid: must be a whole number from 1 to 10000 \(run with --help for usage\)$/m],
    [['race', '--mode', 'fast'], /^ptimer-rx: --mode: "fast" is invalid: must be sync, bh or both/],
  ])('bad input %j: one line on stderr, non-zero exit', async (args, message) => {
    const r = await cli(args);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(message);
    expect(r.stderr).toMatch(/^[^\n]* \(run with --help for usage\)\n$/);
    expect(r.stdout).toBe('');
  });
});

describe('ptimer-rx run and replay', () => {
  it('runs a scenario, writes every output, and replay reproduces the digest', async () => {
    const dir = tmp();
    const files = { vcd: join(dir, 'out.vcd'), wavedrom: join(dir, 'out.json'), svg: join(dir, 'out.svg'), trace: join(dir, 'out.jsonl') };
    // --max-changes keeps the VCD small for the (slow) parser below: every tick of 2 ms of 100 MHz counters is 26 MB
    const r = await cli(['run', DEFAULT, '--until', '2ms', '--max-changes', '50', '--vcd', files.vcd, '--wavedrom', files.wavedrom, '--svg', files.svg, '--trace', files.trace]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/ran to 2000000 ns/);
    const digest = /digest ([0-9a-f]{16})/.exec(r.stdout)![1];
    expect(r.stdout).toMatch(/ 0 guest errors/);
    for (const f of Object.values(files)) expect(existsSync(f)).toBe(true);
    expect(readdirSync(dir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
    const vcd = (await parseVcd(readFileSync(files.vcd, 'utf8'))) as { signal: VcdSignal[] };
    expect(vcd.signal.some((s) => s.name === 'ptimer_rx.timer0.timerint' && s.wave.some((w) => w[1] === '1'))).toBe(true);

    const replay = await cli(['replay', files.trace]);
    expect(replay.stderr).toBe('');
    expect(replay.code).toBe(0);
    expect(replay.stdout).toContain(`digest matches the recording (${digest})`);
  });

  it('replay of a tampered recording reports the first differing event and exits 1', async () => {
    const dir = tmp();
    const trace = join(dir, 't.jsonl');
    expect((await cli(['run', DEFAULT, '--until', '200us', '--trace', trace])).code).toBe(0);
    const lines = readFileSync(trace, 'utf8').trimEnd().split('\n');
    const i = lines.findIndex((l) => l.includes('"kind":"read"'));
    lines[i] = lines[i]!.replace(/"value":(\d+)/, (_m, v: string) => `"value":${Number(v) + 1}`);
    // keep the header's digest: the file now claims a trace the devices do not produce
    writeFileSync(trace, `${lines.join('\n')}\n`);
    const r = await cli(['replay', trace]);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/digest differs/);
    expect(r.stdout).toMatch(/first difference at event \d+/);
  });

  it("replay of a recording whose header claims a far longer run stops once it has made more events than the file's", async () => {
    const dir = tmp();
    const trace = join(dir, 't.jsonl');
    expect((await cli(['run', DEFAULT, '--until', '200us', '--trace', trace])).code).toBe(0);
    const lines = readFileSync(trace, 'utf8').trimEnd().split('\n');
    const header = JSON.parse(lines[0]!) as { until: number; events: number };
    // 10^6 virtual seconds of a system that makes about a million events each: bounded by the file's events.
    lines[0] = JSON.stringify({ ...header, until: 1e15 });
    writeFileSync(trace, `${lines.join('\n')}\n`);
    const r = await cli(['replay', trace]);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(new RegExp(`^stopped at \\d+ ns of the header's 1000000000000000 ns: the replay had made more events than the recording's ${header.events}$`, 'm'));
    expect(r.stdout).toMatch(/digest differs/);
  });

  it.each<[string, (dir: string) => string[], RegExp]>([
    ['missing file', (d) => ['run', join(d, 'none.json')], /^ptimer-rx: cannot read .*none\.json: ENOENT/],
    ['malformed JSON', (d) => (writeFileSync(join(d, 's.json'), '{ "devices": '), ['run', join(d, 's.json')]), /^ptimer-rx: .*s\.json: not valid JSON/],
    [
      'unknown device type',
      (d) => {
        const s = JSON.parse(readFileSync(DEFAULT, 'utf8')) as { devices: { type: string }[] };
        s.devices[1]!.type = 'pdp11-clock';
        writeFileSync(join(d, 's.json'), JSON.stringify(s));
        return ['run', join(d, 's.json')];
      },
      /^ptimer-rx: .*s\.json: devices\[1\]\.type: "pdp11-clock" is invalid/,
    ],
    ['unit-less duration', () => ['run', DEFAULT, '--until', '10'], /--until.*"10".*unit/],
    ['negative duration', () => ['run', DEFAULT, '--until', '-1ms'], /--until.*"-1ms"/],
    ['unwritable output', (d) => ['run', DEFAULT, '--vcd', join(d, 'no/such/dir/x.vcd')], /^ptimer-rx: --vcd .*x\.vcd: cannot write there \(ENOENT/],
    ['output is a directory', (d) => ['run', DEFAULT, '--svg', d], /^ptimer-rx: --svg .*: is a directory/],
    ['not a recording', () => ['replay', DEFAULT], /^ptimer-rx: .*default\.json: recording line 1/],
  ])('bad input (%s): one line on stderr, non-zero exit, no output file', async (_name, args, message) => {
    const dir = tmp();
    const r = await cli(args(dir));
    expect(r.code).not.toBe(0);
    expect(r.code).not.toBeNull();
    expect(r.stderr).toMatch(message);
    expect(r.stderr.split('\n')).toEqual([expect.any(String), '']);
    expect(readdirSync(dir).filter((f) => !f.endsWith('.json'))).toEqual([]);
  });

  it('--help works for the program and every command', async () => {
    for (const args of [['--help'], ['race', '--help'], ['run', '--help'], ['replay', '--help']]) {
      const r = await cli(args);
      expect(r.code).toBe(0);
      expect(r.stdout).toMatch(/Usage: ptimer-rx/);
    }
    expect((await cli(['run', '--help'])).stdout).toContain('--until <duration>');
  });

  it('--help defines the terms the output uses', async () => {
    const program = (await cli(['--help'])).stdout;
    for (const term of ['expiry (E)', 'bottom-half', 'sync', 'G1', 'scenario', 'recording']) expect(program).toMatch(new RegExp(`^  ${term.replace(/[()]/g, '\\$&')}\\s`, 'm'));
    const race = (await cli(['race', '--help'])).stdout;
    expect(race).toMatch(/^ {2}E\+0 after\s+a read at the expiry instant/m);
    expect(race).toMatch(/^ {2}inconsistent\s/m);
  });

  it("--version prints the package's version", async () => {
    const { version } = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };
    expect(await cli(['--version'])).toMatchObject({ code: 0, stdout: `${version}\n` });
  });
});

describe('ptimer-rx explore', () => {
  it('finds the race under bottom-half delivery, prints its schedule and a marble counterexample, and exhausts sync', async () => {
    const r = await cli(['explore', '--device', 'cmsdk-apb-timer', '--expiries', '2', '--workers', '1']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/bottom-half delivery: \d+ schedule\(s\) run, \d+ pruned, space not exhausted/);
    expect(r.stdout).toMatch(/violation \(schedule \d+\): G1 at \d+ ns/);
    expect(r.stdout).toMatch(/const expected = '\([a-z]+\)';/);
    expect(r.stdout).toMatch(/sync delivery: 36 schedule\(s\) run, 0 pruned, space exhausted\n  no order of same-instant work breaks G1/);
  });

  it('a scenario file: bottom-half breaks G1 with a counterexample, sync exhausts the span (in this thread; on worker threads: main.spec.ts)', async () => {
    const r = await cli(['explore', DEFAULT, '--mode', 'both', '--from', '199us', '--until', '201us', '--workers', '1']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/default, bottom-half delivery, 199000\.\.201000 ns: 1 schedule\(s\) run/);
    expect(r.stdout).toMatch(/violation \(schedule 1\): G1 \(atomic expiry\) at 200000 ns: a guest read avalon\./);
    expect(r.stdout).toMatch(/counterexample: the events of avalon at 200000 ns/);
    expect(r.stdout).toMatch(/default, sync delivery, 199000\.\.201000 ns: 3 schedule\(s\) run, 0 pruned, space exhausted\n  observers: avalon at 200000 ns\n  no order of same-instant work breaks an invariant/);
  });

  it('--check: a predicate that never returns is ended after --max-time (plus the grace), with one clear line', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ptimer-rx-check-'));
    const module = join(dir, 'loops.mjs');
    writeFileSync(module, 'export default [({ time }) => { if (time >= 200000) for (;;) {} return undefined; }];\n');
    const r = await cli(['explore', DEFAULT, '--mode', 'sync', '--from', '199us', '--until', '201us', '--check', module, '--max-time', '1s', '--workers', '1']);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe(
      `ptimer-rx: --max-time: the exploration was still running ${1_000 + CHECK_GRACE_MILLIS} ms after it started: a schedule or a predicate did not return (one that loops?); its threads were ended\n`,
    );
  });

  it('--check: a module whose top-level await never settles gets a clear error, not a silent exit', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ptimer-rx-check-'));
    const module = join(dir, 'hangs.mjs');
    writeFileSync(module, 'await new Promise(() => {});\nexport default [() => undefined];\n');
    const options = { observe: 2, reduce: true, max: 10, workers: 1, check: module, checkLoadMillis: 200 };
    const error = await exploreScenarioCommand(DEFAULT, options, () => undefined).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CliError);
    expect((error as Error).message).toBe(`--check ${module}: its top-level code has not finished loading after 0.2 s (a top-level await that never settles?)`);
  });

  it('bad input: one line on stderr, non-zero exit', async () => {
    expect((await cli(['explore', DEFAULT, '--observe', '-1'])).stderr).toMatch(/--observe: "-1" is invalid: must be a whole number from 0 to 1000/);
    const r = await cli(['explore', '--expiries', '99']);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toMatch(/--expiries: "99" is invalid: must be a whole number from 1 to 8/);
  });
});

/** A copy of the default scenario in `dir`, changed by `edit`. */
const scenarioIn = (dir: string, edit: (s: Record<string, unknown> & { devices: { type: string }[]; guests: { channel?: string }[] }) => void = () => undefined, name = 's.json'): string => {
  const s = JSON.parse(readFileSync(DEFAULT, 'utf8')) as Parameters<typeof edit>[0];
  edit(s);
  const path = join(dir, name);
  writeFileSync(path, JSON.stringify(s, null, 1));
  return path;
};

describe('ptimer-rx: every option and output is checked before the run; outputs are all or nothing', () => {
  it('run --from 2ms --to 1ms --vcd out.vcd: refused before the run, out.vcd untouched', async () => {
    const dir = tmp();
    const vcd = join(dir, 'out.vcd');
    writeFileSync(vcd, 'old');
    const r = await cli(['run', DEFAULT, '--from', '2ms', '--to', '1ms', '--vcd', vcd]);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe('ptimer-rx: --to: 1000000 ns is invalid: the SVG/WaveDrom window must end after it starts (--from 2000000 ns) (run with --help for usage)\n');
    expect(r.stdout).toBe('');
    expect(readFileSync(vcd, 'utf8')).toBe('old');
  });

  it('run --svg with --from at or past the run\'s end: refused before the run', async () => {
    const dir = tmp();
    const r = await cli(['run', DEFAULT, '--until', '1ms', '--from', '1ms', '--svg', join(dir, 'x.svg')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^ptimer-rx: --from: 1000000 ns is invalid: the SVG\/WaveDrom window must start before the run ends \(1000000 ns\)/);
    expect(r.stdout).toBe('');
    expect(readdirSync(dir)).toEqual([]);
  });

  it('race: an output in the way (race.svg is a directory) is found before the run, and no file is replaced', async () => {
    const dir = tmp();
    writeFileSync(join(dir, 'race-bottom-half.vcd'), 'old');
    writeFileSync(join(dir, 'race-sync.vcd'), 'old');
    mkdirSync(join(dir, 'race.svg'));
    const r = await cli(['race', '--expiries', '2', '--out', dir]);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe(`ptimer-rx: --out ${join(dir, 'race.svg')}: is a directory, expected a file path\n`);
    expect(r.stdout).toBe('');
    expect(readFileSync(join(dir, 'race-bottom-half.vcd'), 'utf8')).toBe('old');
    expect(readFileSync(join(dir, 'race-sync.vcd'), 'utf8')).toBe('old');
    expect(readdirSync(dir).sort()).toEqual(['race-bottom-half.vcd', 'race-sync.vcd', 'race.svg']);
  });

  it('race --out under a file: refused before the run; a bad --device creates no directory', async () => {
    const dir = tmp();
    writeFileSync(join(dir, 'file'), '');
    const r = await cli(['race', '--out', join(dir, 'file', 'sub')]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^ptimer-rx: --out .*file\/sub\/race-bottom-half\.vcd: cannot write there \(.*file is not a directory\)\n$/);
    const bad = await cli(['race', '--device', 'nope', '--out', join(dir, 'new')]);
    expect(bad.code).toBe(2);
    expect(existsSync(join(dir, 'new'))).toBe(false);
  });

  it.each([['--vcd'], ['--wavedrom'], ['--svg'], ['--trace']])('run s.json %s s.json: an output that is the scenario is refused, the scenario untouched', async (option) => {
    const dir = tmp();
    const scenario = scenarioIn(dir);
    const before = readFileSync(scenario, 'utf8');
    const r = await cli(['run', scenario, option, join(dir, '.', 's.json')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(`ptimer-rx: ${option} ${join(dir, 's.json')}: is the scenario (${scenario}); writing it would destroy the input, give another path (run with --help for usage)\n`);
    expect(readFileSync(scenario, 'utf8')).toBe(before);
  });

  it('run --vcd a --svg a: two outputs with one path are refused, nothing written', async () => {
    const dir = tmp();
    const out = join(dir, 'a');
    const r = await cli(['run', DEFAULT, '--vcd', out, '--svg', out]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^ptimer-rx: --svg .*\/a: is also the --vcd output \(.*\/a\); give each output its own path/);
    expect(readdirSync(dir)).toEqual([]);
  });
});

describe('ptimer-rx: every error is one line on stderr, naming the option or field and where it came from', () => {
  /** The one line `args` print on stderr, checked to be one line starting `ptimer-rx: `, with nothing on stdout. */
  const oneLine = async (args: readonly string[], code?: number): Promise<string> => {
    const r = await cli(args);
    expect(r.stdout).toBe('');
    if (code !== undefined) expect(r.code).toBe(code);
    else expect(r.code).not.toBe(0);
    expect(r.stderr).toMatch(/^ptimer-rx: [^\n]*\n$/);
    return r.stderr.slice('ptimer-rx: '.length, -1);
  };

  it('commander\'s errors: one line, the usage hint and any suggestion on it, exit code 2', async () => {
    expect(await oneLine(['rase'], 2)).toBe("unknown command 'rase' (Did you mean race?) (run with --help for usage)");
    expect(await oneLine(['race', '--expires', '3'], 2)).toBe("unknown option '--expires' (Did you mean --expiries?) (run with --help for usage)");
    expect(await oneLine(['run'], 2)).toBe("missing required argument 'scenario' (run with --help for usage)");
    expect(await oneLine(['run', DEFAULT, '--until'], 2)).toBe("option '--until <duration>' argument missing (run with --help for usage)");
    expect(await oneLine([], 2)).toBe('no command given: race, explore, run, replay, worker or sweep (run with --help for usage)');
  });

  it('invisible characters in what the user typed are shown escaped; a long value is cut', async () => {
    expect(await oneLine(['race', '--ex\u200bpiries', '3'], 2)).toBe("unknown option '--ex\\u200bpiries' (Did you mean --expiries?) (run with --help for usage)");
    expect(await oneLine(['run', DEFAULT, '--until', '10\u200bms'], 2)).toMatch(/^--until: "10\\u200bms" is invalid: unknown unit '\\u200bms'; /);
    expect(await oneLine(['race', '--device', 'sp\u001b[31m804'])).toMatch(/"sp\\u001b\[31m804"/);
    const path = join(tmp(), 'x\u202etxt.json');
    expect(await oneLine(['run', path])).toBe(`cannot read ${path.replace('\u202e', '\\u202e')}: ENOENT: no such file or directory`);
    const line = await oneLine(['run', DEFAULT, '--until', `${'9'.repeat(100_000)}ms`], 2);
    expect(line.length).toBeLessThan(400);
    expect(line).toMatch(/^--until: "9{100,}…" \(100002 chars\) is invalid: /);
  });

  it('a scenario error names the file and the field, whether the schema or the build finds it', async () => {
    const dir = tmp();
    const badType = scenarioIn(dir, (s) => void (s.devices[1]!.type = 'pdp11-clock'), 'type.json');
    expect(await oneLine(['run', badType], 1)).toMatch(new RegExp(`^${badType.replace(/[.]/g, '\\.')}: devices\\[1\\]\\.type: "pdp11-clock" is invalid: unknown device type`));
    const badChannel = scenarioIn(dir, (s) => void (s.guests[2]!.channel = 'timer9'), 'channel.json');
    expect(await oneLine(['run', badChannel], 1)).toMatch(new RegExp(`^${badChannel.replace(/[.]/g, '\\.')}: guests\\[2\\]\\.channel: "timer9" is invalid: is not a channel of dual`));
    expect(await oneLine(['explore', badChannel, '--workers', '1'], 1)).toMatch(/channel\.json: guests\[2\]\.channel: "timer9" is invalid/);
  });

  it('malformed JSON names the file, and the line and column when the parser gives a position', async () => {
    const dir = tmp();
    // a trailing comma
    writeFileSync(join(dir, 's.json'), '{\n  "name": "x",\n  "seed": 1,\n}\n');
    expect(await oneLine(['run', join(dir, 's.json')], 1)).toMatch(/s\.json: not valid JSON at line 4, column 1: Expected double-quoted property name in JSON at position 30$/);
    writeFileSync(join(dir, 't.json'), '{\n "a": }');
    // Node 20 gives no position here; the text it quotes keeps to the line, its line break shown escaped
    expect(await oneLine(['run', join(dir, 't.json')], 1)).toMatch(/t\.json: not valid JSON: Unexpected token '}', "\{\\n "a": }" is not valid JSON$/);
  });

  it('a recording error names the file and the line; an error in its scenario, line 1 and the field', async () => {
    const dir = tmp();
    const trace = join(dir, 't.jsonl');
    expect((await cli(['run', DEFAULT, '--until', '100us', '--trace', trace])).code).toBe(0);
    const lines = readFileSync(trace, 'utf8').trimEnd().split('\n');
    const step = lines.findIndex((l) => l.startsWith('{"step"'));
    const bad = [...lines];
    bad[step] = bad[step]!.replace(/\["w",(\d+),4,/, '["w",$1,3,');
    writeFileSync(join(dir, 'size.jsonl'), `${bad.join('\n')}\n`);
    expect(await oneLine(['replay', join(dir, 'size.jsonl')], 1)).toBe(`${join(dir, 'size.jsonl')}: recording line ${step + 1}, size: 3 is invalid: must be 1, 2, 4 or 8`);
    const header = JSON.parse(lines[0]!) as { scenario: { devices: { type: string }[] } };
    header.scenario.devices[0]!.type = 'pdp11-clock';
    writeFileSync(join(dir, 'scenario.jsonl'), `${[JSON.stringify(header), ...lines.slice(1)].join('\n')}\n`);
    expect(await oneLine(['replay', join(dir, 'scenario.jsonl')], 1)).toMatch(/scenario\.jsonl: recording line 1, scenario\.devices\[0\]\.type: "pdp11-clock" is invalid: unknown device type/);
  });

  it('explore: --from after --until names the options, not the explorer\'s parameters', async () => {
    expect(await oneLine(['explore', DEFAULT, '--from', '3ms', '--until', '2ms'], 2)).toBe('--from: 3000000 ns is invalid: must not be after --until (2000000 ns) (run with --help for usage)');
    expect(await oneLine(['explore', DEFAULT, '--from', '11ms'], 2)).toMatch(/^--from: 11000000 ns is invalid: must not be after the scenario's duration \(10000000 ns\)/);
    expect(await oneLine(['explore', DEFAULT, '--until', '0ns'], 2)).toMatch(/^--until: 0 ns is invalid: must be at least 1 ns/);
    expect(await oneLine(['explore', DEFAULT, '--max-time', '0s'], 2)).toMatch(/^--max-time: "0s" is invalid: must be more than 0 ns/);
  });

  it('a UTF-8 byte order mark at the start of a scenario or a recording is accepted', async () => {
    const dir = tmp();
    const scenario = join(dir, 'bom.json');
    writeFileSync(scenario, `\ufeff${readFileSync(DEFAULT, 'utf8')}`);
    const trace = join(dir, 't.jsonl');
    const run = await cli(['run', scenario, '--until', '100us', '--trace', trace]);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    writeFileSync(trace, `\ufeff${readFileSync(trace, 'utf8')}`);
    const replay = await cli(['replay', trace]);
    expect(replay.stderr).toBe('');
    expect(replay.stdout).toMatch(/digest matches the recording/);
  });
});
