import { spawn, spawnSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { build, type Options } from 'tsup';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import config from '../../tsup.config';

// The process around runCli, on the command as it ships: built here with tsup.config.ts's own CLI entry
// (runCli.spec.ts runs everything else in this process). The build goes to a temporary directory beside a
// link to this repository's node_modules, so dist/ is left alone and commander still resolves. Worker threads
// are tested here too: the built command's threads run the built worker (dist/exploreWorker.js), where
// in-process tests would start each thread on the TypeScript sources through tsx, seconds apiece.
const ROOT = resolve(__dirname, '../..');
const DEFAULT = join(ROOT, 'examples/scenarios/default.json');
let dir: string;
let bin: string;

beforeAll(async () => {
  const cliEntry = (config as Options[]).find((c) => typeof c.entry === 'object' && !Array.isArray(c.entry) && 'cli' in c.entry);
  if (cliEntry === undefined) throw new Error('tsup.config.ts has no entry named cli');
  dir = mkdtempSync(join(tmpdir(), 'ptimer-rx-bin-'));
  symlinkSync(join(ROOT, 'node_modules'), join(dir, 'node_modules'), 'dir');
  // The package's layout: the manifest beside dist/ (the bin reads its version there).
  copyFileSync(join(ROOT, 'package.json'), join(dir, 'package.json'));
  const outDir = join(dir, 'dist');
  await build({ ...cliEntry, outDir, sourcemap: false, silent: true, config: false });
  bin = join(outDir, 'cli.js');
}, 120_000);

afterAll(() => rmSync(dir, { recursive: true, force: true }));

const run = (args: readonly string[]): { code: number | null; stdout: string; stderr: string } => {
  // Started as the file itself: its shebang and mode make it a command.
  const r = spawnSync(bin, args, { cwd: ROOT, encoding: 'utf8' });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
};

/** The files `file` imports statically (`import … from "./x.js"`), and theirs: what loads before any command runs. */
const staticClosure = (file: string, seen = new Set<string>()): Set<string> => {
  if (seen.has(file)) return seen;
  seen.add(file);
  for (const m of readFileSync(file, 'utf8').matchAll(/^import\s*(?:[^;]*?\sfrom\s*)?"(\.\/[^"]+)"/gm)) {
    staticClosure(join(file, '..', m[1]!), seen);
  }
  return seen;
};

describe('ptimer-rx, the built command', () => {
  it('runs as a command (shebang, executable): --help on stdout, exit 0', () => {
    const r = run(['--help']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^Usage: ptimer-rx \[options\] \[command\]/);
    const { version } = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string };
    expect(run(['--version']).stdout).toBe(`${version}\n`);
  });

  it('a usage error is one line on stderr and exit code 2; a failed run is one line and exit code 1', () => {
    const usage = run(['race', '--expiries', '0']);
    expect(usage.code).toBe(2);
    expect(usage.stderr.split('\n')).toEqual(['ptimer-rx: --expiries: "0" is invalid: must be a whole number from 1 to 10000 (run with --help for usage)', '']);
    expect(usage.stdout).toBe('');
    const failed = run(['run', join(ROOT, 'no-such-scenario.json')]);
    expect(failed.code).toBe(1);
    expect(failed.stderr).toMatch(/^ptimer-rx: cannot read .*no-such-scenario\.json: ENOENT[^\n]*\n$/);
  });

  it('a closed pipe ends the output, not the process with a stack trace (ptimer-rx --help | head -0)', async () => {
    const child = spawn(bin, ['--help'], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    // The reader goes away before the command writes its first line.
    child.stdout.destroy();
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => void (stderr += chunk.toString()));
    const code = await new Promise<number | null>((done) => child.on('close', done));
    expect(stderr).toBe('');
    expect(code).toBe(0);
  });

  it('is split so that --help loads no command: the models, zod and rxjs come in only when a command runs', () => {
    const loaded = [...staticClosure(bin)];
    const text = loaded.map((f) => readFileSync(f, 'utf8')).join('\n');
    expect(text).not.toMatch(/from\s*"(zod|rxjs|tinypool|fast-check|bullmq)"/);
    expect(text).toMatch(/import\("\.\/race-[\w-]+\.js"\)/);
    // Today about 20 KB; the whole CLI with the models is over 900 KB.
    expect(loaded.reduce((sum, f) => sum + statSync(f).size, 0)).toBeLessThan(64 * 1024);
  });

  it("carries rxjs's ES module build in its chunks, with rxjs's licence: no chunk loads rxjs's 220 CommonJS files", () => {
    const chunks = readdirSync(join(dir, 'dist')).filter((f) => f.endsWith('.js'));
    const text = chunks.map((f) => readFileSync(join(dir, 'dist', f), 'utf8')).join('\n');
    expect(text).not.toMatch(/from\s*"rxjs"|import\("rxjs"\)|require\("rxjs"\)/);
    // esbuild heads each bundled module with its path
    expect(text).toMatch(/^\/\/ \S*node_modules\/rxjs\/dist\/esm\/internal\/Observable\.js$/m);
    expect(text).not.toMatch(/node_modules\/rxjs\/dist\/cjs\//);
    expect(readFileSync(join(dir, 'dist', 'rxjs.LICENSE.txt'), 'utf8')).toMatch(/Apache License/);
  });
});

describe('ptimer-rx explore, the built command on worker threads', () => {
  it('a scenario file on 2 threads: bottom-half breaks G1 with a counterexample, sync exhausts the span', () => {
    const r = run(['explore', DEFAULT, '--mode', 'both', '--from', '199us', '--until', '201us', '--workers', '2']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/default, bottom-half delivery, 199000\.\.201000 ns: 1 schedule\(s\) run/);
    expect(r.stdout).toMatch(/violation \(schedule 1\): G1 \(atomic expiry\) at 200000 ns: a guest read avalon\./);
    expect(r.stdout).toMatch(/counterexample: the events of avalon at 200000 ns/);
    expect(r.stdout).toMatch(/default, sync delivery, 199000\.\.201000 ns: 3 schedule\(s\) run, 0 pruned, space exhausted\n  observers: avalon at 200000 ns\n  no order of same-instant work breaks an invariant/);
  });

  it('--check: a user predicate broken under sync delivery exits 1 with its message', () => {
    const checks = mkdtempSync(join(tmpdir(), 'ptimer-rx-check-'));
    const module = join(checks, 'checks.mjs');
    writeFileSync(module, "export default [({ system, time }) => time >= 200000 && system.trace.events.some((e) => e.source === 'avalon' && e.kind === 'expiry' && e.time === 200000) ? 'avalon expired at 200 us' : undefined];\n");
    // --workers: its default, one thread a core, each loading the module
    const r = run(['explore', DEFAULT, '--from', '199us', '--until', '201us', '--check', module]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/violation \(schedule 1\): avalon expired at 200 us/);
    const bad = run(['explore', DEFAULT, '--check', join(checks, 'missing.mjs')]);
    expect(bad.code).not.toBe(0);
    expect(bad.stderr).toMatch(/^ptimer-rx: --check .*missing\.mjs: cannot load/);
  });
});
