import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCaptured as cli } from './runCaptured';

// explore --strategy random|pct, in this process: both run on one thread whatever --workers says.
const ROOT = resolve(__dirname, '../..');
const DEFAULT = join(ROOT, 'examples/scenarios/default.json');
const SPAN = ['--from', '199us', '--until', '201us'];

describe('ptimer-rx explore --strategy', () => {
  it('pct on the race: prints strategy, seed, runs, the bound for n and k, and the shrunk counterexample; sync holds', async () => {
    const args = ['explore', '--device', 'cmsdk-apb-timer', '--expiries', '2', '--strategy', 'pct', '--seed', '3', '--runs', '200'];
    const r = await cli(args);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^cmsdk-apb-timer \(timer\), bottom-half delivery, pct strategy, seed 3, depth 2: \d+ run\(s\)\n/);
    expect(r.stdout).toMatch(/ {2}pct: n = \d+ piece\(s\) of work, k = \d+ choice point\(s\): a run finds a depth-2 bug with probability at least 1\/\(\d+·\d+\) = 0\.\d{4}\n/);
    expect(r.stdout).toMatch(/ {2}violation \(run \d+\): G1 at \d+ ns \(expiry \d+ ns\): counter \d+ after the expiry with the status clear\n {2}shrunk: (a choice sequence of \d+ → \d+ \(in \d+ run\(s\)\)|nothing to shrink, the run found takes the normal FIFO order)\n {2}schedule: .+\n {2}choices: \[[\d, ]*\]/);
    expect(r.stdout).toMatch(/counterexample: the events of \d+ ns, in the order they ran\n.*\n.*const expected = '\([a-z]+\)';/);
    expect(r.stdout).toMatch(/sync delivery, pct strategy, seed 3, depth 2: 200 run\(s\)\n.*\n {2}no order breaks G1 in 200 pct run\(s\)\n {2}a depth-2 bug escapes all 200 run\(s\) with probability at most /);
    // the same seed: the same output, line for line
    expect(await cli(args)).toEqual(r);
  });

  it('random on a scenario: bottom-half breaks G1 (shrunk, marble, waveform file); under sync the exit code is 0', async () => {
    const svg = join(mkdtempSync(join(tmpdir(), 'ptimer-rx-strategy-')), 'ce.svg');
    const r = await cli(['explore', DEFAULT, '--mode', 'both', ...SPAN, '--strategy', 'random', '--seed', '5', '--runs', '40', '--svg', svg]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^default, bottom-half delivery, 199000\.\.201000 ns, random strategy, seed 5: \d+ run\(s\)\n {2}observers: avalon at 200000 ns\n {2}violation \(run \d+\): G1 \(atomic expiry\) at 200000 ns/);
    expect(r.stdout).toMatch(/counterexample: the events of avalon at 200000 ns/);
    expect(r.stdout).toMatch(/default, sync delivery, 199000\.\.201000 ns, random strategy, seed 5: 40 run\(s\)\n {2}observers: avalon at 200000 ns\n {2}no order breaks an invariant in 40 random run\(s\)\n/);
    expect(existsSync(svg)).toBe(true);
    expect(readFileSync(svg, 'utf8')).toMatch(/G1 \(atomic expiry\) at 200000 ns/);
  });

  it('--check predicates run on this thread with a random strategy; a sync violation exits 1', async () => {
    const module = join(mkdtempSync(join(tmpdir(), 'ptimer-rx-strategy-')), 'late.mjs');
    writeFileSync(module, "export default ({ time }) => (time >= 200000 ? 'no work at 200 us, please' : undefined);\n");
    const r = await cli(['explore', DEFAULT, '--mode', 'sync', ...SPAN, '--check', module, '--strategy', 'pct', '--runs', '5']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/pct strategy, seed 1, depth 2: 1 run\(s\)/);
    expect(r.stdout).toMatch(/violation \(run 1\): no work at 200 us, please\n {2}shrunk: (a choice sequence of \d+ → 0|nothing to shrink)/);
  });

  it.each([
    [['--strategy', 'dfs'], '--strategy: "dfs" is invalid: must be exhaustive, random or pct'],
    [['--strategy', 'random', '--runs', '-3'], '--runs: "-3" is invalid: must be a whole number from 1 to 10000000'],
    [['--strategy', 'random', '--runs', '0'], '--runs: "0" is invalid: must be a whole number from 1 to 10000000'],
    [['--strategy', 'pct', '--seed', '1.5'], '--seed: "1.5" is invalid: must be an integer (negative ones too), at most 2^53 - 1 in size'],
    [['--strategy', 'pct', '--seed', 'x'], '--seed: "x" is invalid: must be an integer (negative ones too), at most 2^53 - 1 in size'],
    [['--strategy', 'pct', '--depth', '0'], '--depth: "0" is invalid: must be a whole number from 1 to 64'],
    [['--strategy', 'random', '--depth', '3'], '--depth: 3 is invalid: applies to --strategy pct only'],
    [['--seed', '4'], '--seed: 4 is invalid: applies to --strategy random or pct only'],
    [['--strategy', 'exhaustive', '--runs', '10'], '--runs: 10 is invalid: applies to --strategy random or pct only'],
  ])('bad strategy options %j: one ptimer-rx: line naming the option, exit 2', async (args, message) => {
    for (const form of [[], [DEFAULT]]) {
      const r = await cli(['explore', ...form, ...args]);
      expect(r).toEqual({ code: 2, stdout: '', stderr: `ptimer-rx: ${message} (run with --help for usage)\n` });
    }
  });

  it('a negative seed is a seed like any other', async () => {
    const r = await cli(['explore', '--device', 'cmsdk-apb-timer', '--expiries', '1', '--mode', 'sync', '--strategy', 'random', '--seed', '-7', '--runs', '3']);
    expect(r.stdout).toMatch(/random strategy, seed -7: 3 run\(s\)/);
  });
});
