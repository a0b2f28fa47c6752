import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCaptured as cli } from './runCaptured';

// explore --reduce sleep|dpor|off, in this process.
const DEFAULT = join(resolve(__dirname, '../..'), 'examples/scenarios/default.json');
const counts = (stdout: string): string[] => stdout.split('\n').filter((line) => / schedule\(s\) run, /.test(line));
const schedules = (line: string): number => Number(/: (\d+) schedule\(s\) run/.exec(line)![1]);

describe('ptimer-rx explore --reduce', () => {
  it('the race: dpor runs fewer schedules than sleep sets, off more; every verdict is the same', async () => {
    const run = (reduce: string[]) => cli(['explore', '--device', 'sp804', '--expiries', '3', '--workers', '2', ...reduce]);
    const [sleep, dpor, off, noReduce] = [await run([]), await run(['--reduce', 'dpor']), await run(['--reduce', 'off']), await run(['--no-reduce'])];
    for (const r of [sleep, dpor, off]) expect(r.stderr).toBe('');
    // bottom-half breaks G1 (exit 1 only for sync: 0 here), sync holds, whatever the reduction
    for (const r of [sleep, dpor, off]) {
      expect(r.code).toBe(0);
      expect(r.stdout).toContain('no order of same-instant work breaks G1');
      expect(r.stdout).toMatch(/bottom-half delivery: .*\n {2}violation/);
    }
    const sync = (r: { stdout: string }): number => schedules(counts(r.stdout).find((l) => l.includes('sync delivery'))!);
    expect(sync(dpor)).toBeLessThan(sync(sleep));
    expect(sync(sleep)).toBeLessThanOrEqual(sync(off));
    expect(noReduce.stdout).toBe(off.stdout);
  });

  it('a scenario instant where reads commute: dpor exhausts it in fewer schedules than sleep sets, same verdict', async () => {
    const span = ['--mode', 'sync', '--from', '500us', '--until', '500001ns', '--max', '3000'];
    const sleep = await cli(['explore', DEFAULT, ...span]);
    const dpor = await cli(['explore', DEFAULT, ...span, '--reduce', 'dpor']);
    expect(dpor.stderr).toBe('');
    const [s] = counts(sleep.stdout);
    const [d] = counts(dpor.stdout);
    expect(d).toContain('space exhausted');
    expect(schedules(d!)).toBeLessThan(schedules(s!));
    expect(dpor.code).toBe(sleep.code);
  });

  it('refuses a reduction it does not know, and dpor with --queue, in one line naming the option', async () => {
    const bad = await cli(['explore', '--reduce', 'fast']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/^ptimer-rx: --reduce: "fast" is invalid: must be sleep, dpor or off \(run with --help for usage\)\n$/);
    const queue = await cli(['explore', '--reduce', 'dpor', '--queue', 'redis://127.0.0.1:1']);
    expect(queue.code).toBe(2);
    expect(queue.stderr).toMatch(/^ptimer-rx: --reduce dpor runs on one thread .*\n$/);
  });
});
